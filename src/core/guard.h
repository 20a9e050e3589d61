/*
 * Guarded calls into providers (spec §3, standards). MAPI calls a provider's entry point, Logon, Logoff, Shutdown and
 * Release on the client's own thread, and so does the host: a guarded call runs on the calling thread, inside a
 * frame whose exception handler takes any exception the provider's code leaves unhandled, so a crash ends the call
 * and not the process. A call that does not return within MAPIHOST_CALL_TIMEOUT milliseconds (30000 by default) is
 * reported by a watchdog thread; on the client's thread it cannot be abandoned, so the host goes on waiting for it.
 * A checker or a test that must survive a hang asks for MapihostAbandonHungCalls: the calls of each of its threads
 * then run on one long-lived worker thread of that thread's, which is abandoned on a hang.
 */
#ifndef MAPIHOST_GUARD_H
#define MAPIHOST_GUARD_H

#include <windows.h>

enum guard_outcome { GUARD_RETURNED, GUARD_CRASHED, GUARD_HUNG };

/* Runs call(context) guarded; what names the call in the watchdog's report ("sampleab: Logon"). On GUARD_CRASHED
 * *code is the exception; on GUARD_HUNG (abandoning mode only) the call was abandoned after *code milliseconds. */
enum guard_outcome guard_run(const char *what, void (*call)(void *context), void *context, DWORD *code);

#endif
