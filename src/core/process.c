/*
 * What the host keeps for the whole process, below the sessions: the sessions in creation order (fast shutdown calls
 * their providers in that order, F4), how many provider objects were made (a QueryFastShutdown answer holds for
 * those it asked), and whether DoFastShutdown ended MAPI's part of the process (F7). Kept apart from session.c and
 * fastshutdown.c, which both use it, so neither needs the other's internals.
 */
#include <stdlib.h>

#include "mapihost_private.h"
#include "core.h"

static SRWLOCK sessions_lock = SRWLOCK_INIT;
static struct list sessions = LIST_INIT(sessions);
static LONG providers_added;
static LONG done;

void process_add_session(struct session *session)
{
    AcquireSRWLockExclusive(&sessions_lock);
    list_add_tail(&sessions, &session->process_entry);
    ReleaseSRWLockExclusive(&sessions_lock);
}

void process_remove_session(struct session *session)
{
    AcquireSRWLockExclusive(&sessions_lock);
    list_remove(&session->process_entry);
    ReleaseSRWLockExclusive(&sessions_lock);
}

/* A reference on a session whose last one is not gone already (a session being freed is still listed a moment). */
static BOOL add_ref_if_alive(struct session *session)
{
    LONG count = *(volatile LONG *)&session->refcount, seen;

    while (count > 0) {
        if ((seen = InterlockedCompareExchange(&session->refcount, count + 1, count)) == count) return TRUE;
        count = seen;
    }
    return FALSE;
}

ULONG process_sessions(struct session ***out)
{
    struct list *cursor;
    ULONG count = 0;

    AcquireSRWLockShared(&sessions_lock);
    if ((*out = malloc((list_count(&sessions) + 1) * sizeof(**out))))
        LIST_FOR_EACH (cursor, &sessions) {
            struct session *session = LIST_ENTRY(cursor, struct session, process_entry);

            if (add_ref_if_alive(session)) (*out)[count++] = session;
        }
    ReleaseSRWLockShared(&sessions_lock);
    return count;
}

BOOL process_fast_shutdown_done(void)
{
    return *(volatile LONG *)&done;
}

void process_set_fast_shutdown_done(void)
{
    InterlockedExchange(&done, TRUE);
}

void process_late_call(const char *what)
{
    event_error(ABOUT_HOST, "F7",
                "%s after DoFastShutdown: a client makes no MAPI call after it, MAPIUninitialize included (F7); "
                "MAPI_E_END_OF_SESSION",
                what);
}

void process_provider_added(void)
{
    InterlockedIncrement(&providers_added);
}

LONG process_providers_added(void)
{
    return *(volatile LONG *)&providers_added;
}

static const struct spooler_hooks *volatile spooler_hooks;

void process_set_spooler_hooks(const struct spooler_hooks *hooks)
{
    spooler_hooks = hooks;
}

const struct spooler_hooks *process_spooler_hooks(void)
{
    return spooler_hooks;
}
