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

/* Where a guarded call went wrong: on GUARD_CRASHED code is the exception and where its address as module+offset
 * ("recorder32.dll+0x1a2b"); on GUARD_HUNG (abandoning mode only) code is the milliseconds waited. step is the
 * provider method under way (guard_step), or empty. */
struct guard_fault {
    DWORD code;
    char where[MAX_PATH + 24];
    char step[96];
};

/* Runs call(context) guarded; what names the call in the watchdog's report ("sampleab: Logon"). */
enum guard_outcome guard_run(const char *what, void (*call)(void *context), void *context, struct guard_fault *fault);
/* The same, always on the calling thread: for the host's calls made inside a client's own call into the provider
 * (a store that logs itself off from its IMsgStore::Release), which share that call's thread and what it holds. A hang
 * there is reported, never abandoned. */
enum guard_outcome guard_run_here(const char *what, void (*call)(void *context), void *context,
                                  struct guard_fault *fault);

/* The provider method the guarded call on this thread makes next ("IABProvider::Shutdown"), so that a crash or a hang
 * names it; a call outside a guarded one is not affected. */
void guard_step(const char *object, const char *method);

#endif
