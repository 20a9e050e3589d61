/*
 * StoreLogoffTransports (§4.2, §4.3, Q31): a store being logged off meets the mail the spooler moves for it. For the
 * store the spooler holds (the session's default store), per input flag:
 *   LOGOFF_ABORT, LOGOFF_QUIET: with a message being sent or received, or messages queued, nothing changes and the
 *     output flags say which (LOGOFF_OUTBOUND, LOGOFF_INBOUND, LOGOFF_OUTBOUND_QUEUE); idle, the spooler lets go of
 *     the store and the answer is LOGOFF_COMPLETE;
 *   LOGOFF_ORDERLY: the message in progress finishes, nothing new is picked, the spooler lets go of the store;
 *     LOGOFF_COMPLETE, with LOGOFF_OUTBOUND_QUEUE when messages stay queued (they wait for a later session, Q32);
 *   LOGOFF_NO_WAIT: what is queued now is sent first, then the spooler lets go; LOGOFF_COMPLETE;
 *   LOGOFF_PURGE: as NO_WAIT, after IXPLogon::FlushQueues of every transport; LOGOFF_COMPLETE.
 * For any other store, and for the spooler's own logon, there is nothing in flight: LOGOFF_COMPLETE at once.
 */
#include "mapihost_private.h"
#include "mail.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(storelogoff);

/* Messages in the spooler's store's outgoing queue now. */
static ULONG queue_count(struct mail *mail)
{
    IMAPITable *table;
    ULONG count = 0;

    if (!mail->store || FAILED(IMsgStore_GetOutgoingQueue(mail->store, 0, &table))) return 0;
    if (FAILED(IMAPITable_GetRowCount(table, 0, &count))) count = 0;
    IMAPITable_Release(table);
    return count;
}

struct closing {
    struct mail *mail;
    ULONG in, out;
};

/* On the spooler's thread, so after the message in progress: what the flag asks, then the store let go. */
static void close_on_thread(void *context)
{
    struct closing *closing = context;
    struct mail *mail = closing->mail;
    ULONG queued;

    if ((closing->in == LOGOFF_ABORT || closing->in == LOGOFF_QUIET) && queue_count(mail)) {
        closing->out = LOGOFF_OUTBOUND_QUEUE; /* nothing changes */
        return;
    }
    if (closing->in == LOGOFF_PURGE) flush_transports(mail, FLUSH_UPLOAD | FLUSH_DOWNLOAD, NULL);
    if (closing->in == LOGOFF_NO_WAIT || closing->in == LOGOFF_PURGE) {
        mailbox_forget_queue(mail); /* the whole queue as it is now, once through */
        while (outbound_run(mail)) continue;
    }
    queued = queue_count(mail);
    mailbox_lock();
    mail->store_closing = TRUE;
    mail->queued = 0;
    mailbox_unlock();
    coupling_run(mail);
    deferred_abort_all(mail);
    mailbox_release_store(mail);
    mailbox_lock();
    mail->store_closing = FALSE;
    mail->store_away = TRUE; /* until a later OpenMsgStore brings it back (spooler_store_opened) */
    mailbox_unlock();
    closing->out = LOGOFF_COMPLETE | (closing->in == LOGOFF_ORDERLY && queued ? LOGOFF_OUTBOUND_QUEUE : 0);
}

HRESULT storelogoff_transports(struct logon *logon, ULONG in, ULONG *out)
{
    struct mail *mail = logon->session->mail;
    struct closing closing = { mail, in, 0 };
    ULONG activity;

    *out = LOGOFF_COMPLETE;
    if (!mail || logon->spooler || logon->config != mail->store_config) return S_OK;
    mailbox_lock();
    activity = (mail->sending ? LOGOFF_OUTBOUND : 0) | (mail->receiving ? LOGOFF_INBOUND : 0);
    if (in != LOGOFF_ABORT && in != LOGOFF_QUIET) mail->store_closing = in == LOGOFF_ORDERLY; /* nothing new */
    mailbox_unlock();
    if ((in == LOGOFF_ABORT || in == LOGOFF_QUIET) && activity) {
        *out = activity | (mail->queued ? LOGOFF_OUTBOUND_QUEUE : 0);
    } else {
        mailbox_run(close_on_thread, &closing);
        *out = closing.out;
    }
    return S_OK;
}
