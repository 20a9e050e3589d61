/*
 * Calls in flight into a logon (E25): the host's calls into a logon for a client (OpenEntry, CompareEntryIDs through
 * the session or a support object) count themselves in and out, and a logoff waits until none is left and lets no
 * new one in; after DoFastShutdown none gets in at all (F7). Kept apart from logon.c so that routing and support
 * objects need nothing of the logon lifecycle.
 */
#include "core.h"

BOOL inflight_enter(struct logon *logon)
{
    struct session *session = logon->session;
    BOOL usable;

    EnterCriticalSection(&session->cs);
    if ((usable = logon->active && !logon->closing && !logon->logged_off && !process_fast_shutdown_done()))
        logon->calls++;
    LeaveCriticalSection(&session->cs);
    return usable;
}

void inflight_leave(struct logon *logon)
{
    struct session *session = logon->session;

    EnterCriticalSection(&session->cs);
    if (!--logon->calls) WakeAllConditionVariable(&session->calls_done);
    LeaveCriticalSection(&session->cs);
}

/* No new call gets in, and the ones in flight return, before the logoff starts. On the guarded thread: a call that
 * never returns is the provider hanging. */
void inflight_wait(struct logon *logon)
{
    struct session *session = logon->session;

    EnterCriticalSection(&session->cs);
    logon->closing = TRUE;
    while (logon->calls) SleepConditionVariableCS(&session->calls_done, &session->cs, INFINITE);
    LeaveCriticalSection(&session->cs);
}
