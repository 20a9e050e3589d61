/*
 * The spooler's thread and the sessions it serves (spooler.h, docs/spooler.md).
 *
 * One thread for the process, as Outlook runs its spooler in-process (Q1): it starts with the first session that
 * allows mail and has a transport, and ends with the last one. A session's transports are logged on and off on it,
 * and every transport call is made from it; a client's thread hands it the work (mailbox_run) and waits. Between
 * requests the thread sleeps until a SpoolerNotify wakes it, a transport that asked for LOGON_SP_POLL is due
 * (MAPIHOST_SPOOLER_POLL milliseconds, 250 by default), or a deferred message is due again. A pass that only polls
 * is an idle moment: the transports that asked for LOGON_SP_IDLE get IXPLogon::Idle then, at the same pace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mail.h"
#include "spooler.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(spooler);

#define DEFAULT_POLL_MS 250
/* How long a session's logoff waits for a transport still moving a message before it cancels the transfer (Q33). */
#define CANCEL_AFTER_MS 5000

static struct list sessions = LIST_INIT(sessions); /* struct mail, under the mailbox lock */
static HANDLE thread;
static BOOL stopping;
static DWORD poll_ms = DEFAULT_POLL_MS;

/* The next session with work, its work taken (the lock held); NULL with *wait set to the time to sleep. */
static struct mail *next_work(BOOL *send, BOOL *receive, BOOL *poll, DWORD *wait)
{
    ULONGLONG now = GetTickCount64();
    struct list *cursor;

    *wait = poll_ms;
    LIST_FOR_EACH (cursor, &sessions) {
        struct mail *mail = LIST_ENTRY(cursor, struct mail, entry);

        if (mail->retry_at && now >= mail->retry_at) {
            mail->retry_at = 0;
            mail->send_wanted = TRUE;
        }
        *poll = now >= mail->next_poll;
        if (mail->send_wanted || mail->receive_wanted || *poll || !list_empty(&mail->coupled)) {
            *send = mail->send_wanted;
            *receive = mail->receive_wanted;
            mail->send_wanted = mail->receive_wanted = FALSE;
            if (*poll) mail->next_poll = now + poll_ms;
            /* The session goes last, so that a busy one does not starve the others. */
            list_remove(&mail->entry);
            list_add_tail(&sessions, &mail->entry);
            return mail;
        }
        if (mail->next_poll - now < *wait) *wait = (DWORD)(mail->next_poll - now);
        if (mail->retry_at && mail->retry_at - now < *wait) *wait = (DWORD)(mail->retry_at - now);
    }
    return NULL;
}

static void address_types_call(void *context)
{
    logon_read_address_types(context);
}

/* Q3: the transports that told of a configuration change are asked for their address types again, before the
 * pass routes anything by them. */
static void reread_address_types(struct mail *mail)
{
    struct logon **transports;
    ULONG count = logon_all_of(mail->session, PROVIDER_XP, &transports), i;

    for (i = 0; i < count; i++)
        if (InterlockedExchange(&transports[i]->config_changed, 0))
            mailbox_call(transports[i], "IXPLogon::AddressTypes", address_types_call, transports[i]);
    free(transports);
}

static HRESULT idle_call(IXPLogon *transport, void *context)
{
    return IXPLogon_Idle(transport, 0);
}

static DWORD WINAPI spooler_main(void *unused)
{
    BOOL send, receive, poll;
    struct mail *mail;
    DWORD wait;

    TRACE("(%p)\n", unused);
    mailbox_lock();
    for (;;) {
        mailbox_serve();
        if (stopping) break;
        /* F7: after DoFastShutdown no provider is called again; what is queued stays queued in the store. */
        if (process_fast_shutdown_done() || !(mail = next_work(&send, &receive, &poll, &wait))) {
            if (process_fast_shutdown_done()) wait = INFINITE;
            if (!mailbox_has_requests()) mailbox_sleep(wait);
            continue;
        }
        mailbox_unlock();
        coupling_run(mail); /* what coupled stores handed over (Q21) */
        reread_address_types(mail);
        if (send) {
            spoolerstatus_traffic(mail, STATUS_OUTBOUND_ACTIVE);
            outbound_run(mail);
        }
        if (receive) spoolerstatus_traffic(mail, STATUS_INBOUND_ACTIVE);
        if (receive || poll) inbound_run(mail, poll, receive);
        if (poll) deferred_check(mail); /* a deferred message its sender cancelled (Q17) */
        /* A poll that finds nothing is no traffic: the row changes only around a send or a told receive. */
        if (send || receive)
            spoolerstatus_traffic(mail, 0);
        else /* no mail moved: an idle moment for the transports that asked for one (Q22) */
            mailbox_each_transport(mail, NULL, LOGON_SP_IDLE, "Idle", idle_call, NULL, NULL);
        mailbox_lock();
    }
    mailbox_unlock();
    return 0;
}

/* SpoolerNotify (Q25, flags checked by mailsupport.c): the work is noted and done later on the spooler's thread,
 * never inside the call. */
static HRESULT hook_notify(struct logon *logon, ULONG flags, void *data)
{
    struct mail *mail = logon->session->mail;

    if (!mail) return S_OK; /* no spooler for the session (MAPI_NO_MAIL, or no transport): nothing to wake */
    /* Q14: the message is given back to this transport at the next pass; one it did not defer here (an earlier
     * session's, say) is queued and unlocked and goes at the next pass anyway. */
    if (flags & NOTIFY_SENTDEFERRED && !IsBadReadPtr(data, sizeof(SBinary))
        && !IsBadReadPtr(((SBinary *)data)->lpb, ((SBinary *)data)->cb) && !deferred_due(mail, logon, data))
        event_step(about_logon(logon),
                   "%s: SpoolerNotify(NOTIFY_SENTDEFERRED) of a message it did not defer in this "
                   "session: the queue is read again",
                   logon_name(logon));
    /* Q22, Q25: a transport's critical section stops its Poll and Idle calls; after a critical error it gets none
     * but its logoff, and the messages only it takes wait for a later session. */
    if (flags & NOTIFY_CONFIG_CHANGE) InterlockedExchange(&logon->config_changed, 1); /* Q3: asked again */
    if (flags & NOTIFY_CRITSEC) InterlockedExchange(&logon->critsec, 1);
    if (flags & NOTIFY_NONCRIT) InterlockedExchange(&logon->critsec, 0);
    if (flags & NOTIFY_CRITICAL_ERROR) {
        InterlockedExchange(&logon->failed, 1);
        event_error(about_logon(logon), "Q25",
                    "%s: SpoolerNotify(NOTIFY_CRITICAL_ERROR): an unrecoverable error; the spooler calls it no more "
                    "but for its logoff, and what only it takes waits for a later session",
                    logon_name(logon));
    }
    if (flags & NOTIFY_NEWMAIL_RECEIVED) {
        const NEWMAIL_NOTIFICATION *newmail = data;

        if (IsBadReadPtr(newmail, sizeof(*newmail)) || !newmail->cbEntryID
            || IsBadReadPtr(newmail->lpEntryID, newmail->cbEntryID)
            || (newmail->cbParentID && IsBadReadPtr(newmail->lpParentID, newmail->cbParentID))
            || (newmail->lpszMessageClass
                && (newmail->ulFlags & MAPI_UNICODE ? IsBadStringPtrW((WCHAR *)newmail->lpszMessageClass, ~0u)
                                                    : IsBadStringPtrA((char *)newmail->lpszMessageClass, ~0u)))) {
            event_violation(
                about_logon(logon), "misuse",
                "%s: IMAPISupport::SpoolerNotify(NOTIFY_NEWMAIL_RECEIVED) with a NEWMAIL_NOTIFICATION that cannot be "
                "read; MAPI_E_INVALID_PARAMETER",
                logon_name(logon));
            return MAPI_E_INVALID_PARAMETER;
        }
        return coupling_newmail(logon, newmail); /* Q21: announced on the spooler's thread */
    }
    mailbox_lock();
    if (flags & (NOTIFY_READYTOSEND | NOTIFY_SENTDEFERRED | NOTIFY_CONFIG_CHANGE)) mail->send_wanted = TRUE;
    if (flags & NOTIFY_NEWMAIL) mail->receive_wanted = TRUE;
    mailbox_wake();
    mailbox_unlock();
    TRACE("%s: SpoolerNotify(%#lx) noted\n", logon_name(logon), flags);
    return S_OK;
}

static const struct spooler_hooks hooks = { hook_notify,        storelogoff_transports, report_status_recips,
                                            spoolerstatus_open, coupling_expand_recips, coupling_complete_msg };

/* The session's transports in, its spooler state made (on the spooler's thread). */
struct start {
    struct session *session;
    ULONG_PTR ui_param;
};

static void start_on_thread(void *context)
{
    struct start *start = context;

    logon_start_providers(start->session, start->ui_param, PROVIDER_XP);
}

static BOOL has_transport(const struct profile *profile)
{
    ULONG i, j;

    for (i = 0; i < profile->service_count; i++)
        for (j = 0; j < profile->services[i]->provider_count; j++)
            if (profile->services[i]->providers[j]->kind == PROVIDER_XP) return TRUE;
    return FALSE;
}

static BOOL start_thread(void)
{
    char text[16];
    DWORD id;

    if (thread) return TRUE;
    if (GetEnvironmentVariableA("MAPIHOST_SPOOLER_POLL", text, sizeof(text)) && atoi(text) > 0) poll_ms = atoi(text);
    stopping = FALSE;
    if (!(thread = CreateThread(NULL, 0, spooler_main, NULL, CREATE_SUSPENDED, &id))) return FALSE;
    mailbox_set_thread(id);
    process_set_spooler_hooks(&hooks);
    ResumeThread(thread);
    event_step(ABOUT_HOST, "the spooler's thread started (Q1)");
    return TRUE;
}

void spooler_session_start(struct session *session, ULONG_PTR ui_param)
{
    struct start start = { session, ui_param };
    struct mail *mail;

    if (session->flags & MAPI_NO_MAIL || !has_transport(session->profile)) return;
    if (!(mail = calloc(1, sizeof(*mail)))) return;
    mail->session = session;
    list_init(&mail->deferred);
    list_init(&mail->coupled);
    mail->store_config = storetable_default(session, &mail->store_id_size, mail->store_id);
    mailbox_lock();
    if (!start_thread()) {
        mailbox_unlock();
        free(mail);
        event_error(ABOUT_HOST, "Q1", "session %s: the spooler's thread cannot start; its transports stay off",
                    session->profile_name);
        return;
    }
    session->mail = mail;
    list_add_tail(&sessions, &mail->entry);
    mailbox_unlock();
    if (FAILED(spoolerstatus_add(mail)))
        event_error(ABOUT_HOST, "Q30", "session %s: the spooler's status row could not be added",
                    session->profile_name);
    mailbox_run(start_on_thread, &start);
}

void spooler_store_opened(struct session *session, const struct profile_provider *config, IMsgStore *store)
{
    struct mail *mail = session->mail;
    IMAPITable *queue;
    ULONG count = 0;

    if (!mail || config != mail->store_config) return;
    mailbox_lock();
    mail->store_away = FALSE; /* the client has the store again: so may the spooler */
    mailbox_unlock();
    /* Q32: what an earlier session left queued goes now. The spooler logs on to the store only when there is mail
     * to move, so a session that moves none sees no SpoolerLogon. */
    if (FAILED(IMsgStore_GetOutgoingQueue(store, 0, &queue))) return;
    if (FAILED(IMAPITable_GetRowCount(queue, 0, &count))) count = 0;
    IMAPITable_Release(queue);
    if (!count) return;
    event_step(ABOUT_HOST, "session %s: %lu messages an earlier session left queued are sent now (Q32)",
               session->profile_name, count);
    mailbox_lock();
    mail->send_wanted = TRUE;
    mailbox_wake();
    mailbox_unlock();
}

static void end_on_thread(void *context)
{
    struct mail *mail = context;

    /* Mail flow stops first (E1, E24): what coupled stores handed over is done, what transports deferred is taken
     * back, then the transports and the spooler's store logon go. */
    coupling_run(mail);
    deferred_abort_all(mail);
    logon_shutdown_kind(mail->session, PROVIDER_XP);
    mailbox_release_store(mail);
    mailbox_lock();
    list_remove(&mail->entry);
    mailbox_unlock();
}

static void cancel_late(void *context)
{
    char why[64];

    snprintf(why, sizeof(why), "still moving a message %d s into its session's logoff", CANCEL_AFTER_MS / 1000);
    mailbox_transfer_cancel(context, why);
}

void spooler_session_end(struct session *session)
{
    struct mail *mail = session->mail;
    HANDLE ended = NULL;

    if (!mail) return;
    mailbox_run_late(end_on_thread, mail, CANCEL_AFTER_MS, cancel_late);
    spoolerstatus_remove(mail);
    mailbox_lock();
    session->mail = NULL;
    if (list_empty(&sessions)) {
        stopping = TRUE;
        ended = thread;
        thread = NULL;
        process_set_spooler_hooks(NULL);
        mailbox_wake();
    }
    mailbox_unlock();
    free(mail);
    if (!ended) return;
    WaitForSingleObject(ended, INFINITE);
    CloseHandle(ended);
    mailbox_set_thread(0);
    event_step(ABOUT_HOST, "the spooler's thread ended with the last session that had mail (Q1)");
}
