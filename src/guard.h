/*
 * Guarded calls into providers: the host's calls run on a thread of their own, so that a provider that crashes
 * (an exception nothing handles) or hangs (no return within MAPIHOST_CALL_TIMEOUT milliseconds, 30000 by default)
 * stops that thread only. The host then reports it by name and shuts every other provider down (spec §3, standards).
 */
#ifndef MAPIHOST_GUARD_H
#define MAPIHOST_GUARD_H

#include <windows.h>

enum guard_outcome { GUARD_RETURNED, GUARD_CRASHED, GUARD_HUNG };

/* Runs call(context) on a new thread and waits for it. On GUARD_CRASHED *code is the exception; on GUARD_HUNG the
 * thread was terminated after *code milliseconds. */
enum guard_outcome guard_run(void (*call)(void *context), void *context, DWORD *code);

#endif
