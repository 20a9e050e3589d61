/*
 * Outbound mail (Q8-Q16, Q19). The spooler reads its store's outgoing queue oldest first, and for each message:
 * opens it, locks it (SetLockState), and offers its recipients to the transports in profile order, first those a
 * transport matches by a MAPIUID it registered, then by an address type it named, then the transports of any type
 * (Q11, mailbox_match); only recipients whose PR_RESPONSIBILITY is still FALSE are offered. Before SubmitMessage those
 * are set FALSE and the others TRUE (Q12), and after EndMessage the ones the transport took are TRUE. A transport that
 * answers MAPI_E_WAIT, MAPI_E_BUSY or another error keeps the message queued (unlocked) for a later try; MAPI_E_NOT_ME
 * passes the recipients on. A transport's preprocessors run just before its SubmitMessage (preprocess.c). Recipients no
 * transport takes get a non-delivery report (report.c). Then the store finishes the message (FinishedMsg), which calls
 * DoSentMail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "mail.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(outbound);

#define RETRY_MS 5000 /* a transport that gives no time (or an error other than MAPI_E_WAIT) is tried again after */

/* A string property of a row, narrow, whatever type it came as. */
static BOOL responsible(const SRow *row)
{
    const SPropValue *value = PpropFindProp(row->lpProps, row->cValues, PR_RESPONSIBILITY);

    return value && value->Value.b;
}

/* Every row written back with PR_RESPONSIBILITY set: FALSE for the rows in mine, TRUE for the others (Q12). */
static HRESULT set_responsibility(IMessage *message, const SRowSet *rows, const BOOL *mine)
{
    ADRLIST *list;
    HRESULT hr;
    ULONG i, j;

    if (FAILED(hr = MAPIAllocateBuffer(CbNewADRLIST(rows->cRows), (void **)&list))) return hr;
    list->cEntries = rows->cRows;
    for (i = 0; i < rows->cRows; i++) {
        const SRow *row = &rows->aRow[i];
        SPropValue *values;

        list->aEntries[i].ulReserved1 = 0;
        list->aEntries[i].cValues = 0;
        list->aEntries[i].rgPropVals = NULL;
        if (FAILED(hr = MAPIAllocateMore((row->cValues + 1) * sizeof(*values), list, (void **)&values))) break;
        for (j = 0; j < row->cValues; j++)
            if (PROP_ID(row->lpProps[j].ulPropTag) != PROP_ID(PR_RESPONSIBILITY)
                && PROP_TYPE(row->lpProps[j].ulPropTag) != PT_ERROR)
                values[list->aEntries[i].cValues++] = row->lpProps[j];
        values[list->aEntries[i].cValues].ulPropTag = PR_RESPONSIBILITY;
        values[list->aEntries[i].cValues++].Value.b = !mine[i];
        list->aEntries[i].rgPropVals = values;
    }
    if (SUCCEEDED(hr)) hr = IMessage_ModifyRecipients(message, MODRECIP_MODIFY, list);
    MAPIFreeBuffer(list);
    return hr;
}

/* One transport's SubmitMessage and EndMessage, guarded. */
struct submit {
    ULONG flags; /* BEGIN_DEFERRED for a message the transport deferred */
    IXPLogon *transport;
    IMessage *message;
    ULONG_PTR reference, wait;
    ULONG end_flags;
    HRESULT hr, end_hr;
};

static void submit_call(void *context)
{
    struct submit *submit = context;

    guard_step("IXPLogon", "SubmitMessage");
    submit->hr =
        IXPLogon_SubmitMessage(submit->transport, submit->flags, submit->message, &submit->reference, &submit->wait);
    if (submit->hr != S_OK) return;
    guard_step("IXPLogon", "EndMessage");
    submit->end_hr = IXPLogon_EndMessage(submit->transport, submit->reference, &submit->end_flags);
}

/* What became of a message: sent (or reported); to be tried again; deferred by a transport (HELD); or passed over,
 * still deferred (WAITING). */
enum outcome { SENT, RETRY, HELD, WAITING };

/* Messages sent in one pass over the queue before the spooler receives and answers its callers again. */
#define SEND_PER_PASS 32

/* The queue is gone through again after delay ms (the earliest of the times asked). */
static void retry_later(struct mail *mail, ULONGLONG delay)
{
    ULONGLONG at = GetTickCount64() + delay;

    mailbox_lock();
    if (!mail->retry_at || mail->retry_at > at) mail->retry_at = at;
    mailbox_unlock();
}

/* Q10: a message a preprocessor made is submitted by the spooler, straight to the transport whose preprocessor made
 * it: not through the queue, so it is not preprocessed again (a preprocessor that makes a message for every message
 * would otherwise never stop), and it has no FinishedMsg or sent-mail handling; the preprocessor keeps what it made
 * where it put it. One the transport does not take whole (any answer but S_OK with no END_ flag) goes to its store's
 * queue instead, so that it is not lost. */
static void send_made(struct mail *mail, struct logon *transport, IMessage *message, const char *preprocessor)
{
    struct submit submit = { .transport = (IXPLogon *)transport->object, .message = message };
    BOOL called, cancelled;

    called = mailbox_call_transfer(mail, transport, "IXPLogon::SubmitMessage", submit_call, &submit, &submit.reference,
                                   &cancelled);
    if (called && submit.hr == S_OK && !submit.end_flags) {
        event_step(about_logon(transport), "%s: a message made by %s: IXPLogon::SubmitMessage -> S_OK, EndMessage",
                   logon_name(transport), preprocessor);
        return;
    }
    event_step(about_logon(transport),
               "%s: a message made by %s, not sent (IXPLogon::SubmitMessage -> %s): IMessage::SubmitMessage -> %s",
               logon_name(transport), preprocessor, called ? hresult_text(submit.hr) : "not called",
               hresult_text(IMessage_SubmitMessage(message, 0)));
}

/* The message through one transport (flags: SubmitMessage's), for the recipients it matches as match says. Rows
 * still not taken stay with PR_RESPONSIBILITY FALSE in *rows. */
static enum outcome offer(struct mail *mail, struct logon *transport, enum match match, ULONG flags, IMessage *message,
                          SRowSet **rows, ULONG *taken)
{
    struct submit submit = { .flags = flags, .transport = (IXPLogon *)transport->object, .message = message };
    BOOL *mine, *preprocessed = NULL, called, cancelled;
    ULONG i, count = 0;
    HRESULT hr;

    *taken = 0;
    if (!(mine = calloc((*rows)->cRows + 1, sizeof(*mine)))) return RETRY;
    for (i = 0; i < (*rows)->cRows; i++)
        count += mine[i] = !responsible(&(*rows)->aRow[i]) && mailbox_match(transport, &(*rows)->aRow[i]) == match;
    if (!count) {
        free(mine);
        return SENT; /* nothing for this transport */
    }
    if (InterlockedCompareExchange(&transport->failed, 0, 0)) {
        /* Q11: its recipients wait until it is back, in a later session (NOTIFY_CRITICAL_ERROR, Q25). */
        free(mine);
        retry_later(mail, RETRY_MS);
        return RETRY;
    }
    if (FAILED(hr = set_responsibility(message, *rows, mine)))
        event_error(about_logon(mail->store_logon), "Q12",
                    "%s: the recipients of a queued message cannot be marked for %s (%s); it is tried later",
                    logon_name(mail->store_logon), logon_name(transport), hresult_text(hr));
    else if (!preprocess_run(mail, transport, message, *rows, mine, send_made, &preprocessed))
        hr = MAPI_E_CALL_FAILED; /* preprocess_run reported why */
    free(mine);
    if (FAILED(hr)) {
        retry_later(mail, RETRY_MS);
        return RETRY;
    }
    called = mailbox_call_transfer(mail, transport, "IXPLogon::SubmitMessage", submit_call, &submit, &submit.reference,
                                   &cancelled);
    if (!called) {
        free(preprocessed);
        return RETRY;
    }
    event_step(about_logon(transport), "%s: IXPLogon::SubmitMessage(%s%lu recipients) -> %s%s", logon_name(transport),
               flags & BEGIN_DEFERRED ? "BEGIN_DEFERRED, " : "", count, hresult_text(submit.hr),
               submit.hr == S_OK ? ", EndMessage" : "");
    if (submit.hr == S_OK && !(submit.end_flags & ~END_DONT_RESEND))
        preprocess_done(transport, message, preprocessed); /* it is sent, or the transport's now */
    else
        free(preprocessed);
    /* Q17: cancelled, and not sent: it stays queued, for a later session. */
    if (cancelled && submit.hr != S_OK) return RETRY;
    /* Q13: not this transport's, or a deferred resend it no longer wants: the recipients go on to the others. */
    if (submit.hr == MAPI_E_NOT_ME || submit.hr == MAPI_E_CANCEL) return SENT;
    if (submit.hr != S_OK) {
        /* Q13: MAPI_E_WAIT and MAPI_E_NETWORK_ERROR give the seconds to wait; anything else waits the host's time. */
        ULONGLONG delay = (submit.hr == MAPI_E_WAIT || submit.hr == MAPI_E_NETWORK_ERROR) && submit.wait
                              ? (ULONGLONG)submit.wait * 1000
                              : RETRY_MS;
        retry_later(mail, delay);
        return RETRY;
    }
    if (submit.end_flags & END_DONT_RESEND) return HELD; /* the transport keeps it (deferred.c) */
    if (submit.end_flags & (END_RESEND_NOW | END_RESEND_LATER)) {
        mailbox_lock();
        if (submit.end_flags & END_RESEND_NOW) mail->send_wanted = TRUE;
        mailbox_unlock();
        if (submit.end_flags & END_RESEND_LATER) retry_later(mail, RETRY_MS);
        return RETRY;
    }
    FreeProws(*rows);
    if (FAILED(mailbox_read_recipients(message, rows))) return RETRY;
    for (i = 0; i < (*rows)->cRows; i++) *taken += responsible(&(*rows)->aRow[i]);
    return SENT;
}

/* The recipients left with PR_RESPONSIBILITY FALSE get a non-delivery report (Q11). */
static void report_untaken(struct mail *mail, IMessage *message, SRowSet *rows)
{
    ADRLIST *list;
    ULONG i, n = 0;

    if (FAILED(MAPIAllocateBuffer(CbNewADRLIST(rows->cRows), (void **)&list))) return;
    for (i = 0; i < rows->cRows; i++)
        if (!responsible(&rows->aRow[i])) {
            list->aEntries[n].ulReserved1 = 0;
            list->aEntries[n].cValues = rows->aRow[i].cValues;
            list->aEntries[n++].rgPropVals = rows->aRow[i].lpProps;
        }
    list->cEntries = n;
    if (n) {
        char buffer[64];
        const char *type = mailbox_row_text((const SRow *)&list->aEntries[0], PR_ADDRTYPE_A, buffer, sizeof(buffer));

        event_error(ABOUT_HOST, "Q11",
                    "session %s: %lu recipients of a message no transport takes (address type %s%s): a non-delivery "
                    "report",
                    mail->session->profile_name, n, type ? type : "(none)", n > 1 ? ", ..." : "");
        report_make(mail, message, list);
    }
    MAPIFreeBuffer(list); /* the rows' values stay the row set's */
}

static HRESULT finish(struct mail *mail, const SBinary *entry_id)
{
    HRESULT hr = IMsgStore_FinishedMsg(mail->store, 0, entry_id->cb, (ENTRYID *)entry_id->lpb);

    if (FAILED(hr))
        event_error(about_logon(mail->store_logon), "Q15", "%s: IMsgStore::FinishedMsg -> %s (Q15)",
                    logon_name(mail->store_logon), hresult_text(hr));
    return hr;
}

/* One queued message through the transports: SENT when it is done with (sent or reported). A message a transport
 * deferred waits, unlocked, until that transport asks for it, and then goes to it first (deferred.c). */
static enum outcome send_one(struct mail *mail, const SBinary *entry_id)
{
    struct logon **transports, *holder = NULL, *deferred_to;
    enum outcome outcome = SENT;
    enum match match;
    IMessage *message;
    SRowSet *rows = NULL;
    ULONG type, count, i, taken;
    BOOL waiting;
    HRESULT hr;

    deferred_to = deferred_take(mail, entry_id, &waiting);
    if (waiting) return WAITING;
    hr = IMsgStore_OpenEntry(mail->store, entry_id->cb, (ENTRYID *)entry_id->lpb, &IID_IMessage, MAPI_MODIFY, &type,
                             (IUnknown **)&message);
    if (FAILED(hr)) return hr == MAPI_E_NOT_FOUND ? SENT : RETRY; /* not found: cancelled meanwhile (AbortSubmit) */
    if (FAILED(hr = IMsgStore_SetLockState(mail->store, message, MSG_LOCKED))
        || FAILED(mailbox_read_recipients(message, &rows))) {
        IMessage_Release(message);
        return RETRY;
    }
    /* Q11: the transports in profile order, first for the recipients whose entry ID carries a MAPIUID they
     * registered, then for those of an address type they named, then the transports of any type. */
    count = logon_all_of(mail->session, PROVIDER_XP, &transports);
    for (match = MATCH_UID; match <= MATCH_ANY && outcome == SENT; match++)
        for (i = 0; i < count && outcome == SENT; i++) {
            ULONG left = 0, j;

            for (j = 0; j < rows->cRows; j++) left += !responsible(&rows->aRow[j]);
            if (!left) break;
            holder = transports[i];
            outcome = offer(mail, holder, match, holder == deferred_to ? BEGIN_DEFERRED : 0, message, &rows, &taken);
        }
    free(transports);
    if (outcome == SENT) report_untaken(mail, message, rows);
    FreeProws(rows);
    if (outcome != SENT) IMsgStore_SetLockState(mail->store, message, MSG_UNLOCKED);
    /* Released without saving: what the transports changed is not the message's (Q13). */
    IMessage_Release(message);
    if (outcome == SENT) finish(mail, entry_id);
    if (outcome == HELD) deferred_add(mail, holder, entry_id);
    return outcome;
}

/* Q32: a message still locked when the spooler logs on to its store was locked by a spooler that is gone (a process
 * that died, a transport logged off holding it): unlocked, it is the queue's again and a client may abort it. */
static void unlock_stale(struct mail *mail, const SRowSet *rows)
{
    IMessage *message;
    ULONG i, type, count = 0;

    for (i = 0; i < rows->cRows; i++) {
        const SPropValue *id = &rows->aRow[i].lpProps[0], *flags = &rows->aRow[i].lpProps[2];

        if (id->ulPropTag != PR_ENTRYID || flags->ulPropTag != PR_SUBMIT_FLAGS || !(flags->Value.l & SUBMITFLAG_LOCKED)
            || FAILED(IMsgStore_OpenEntry(mail->store, id->Value.bin.cb, (ENTRYID *)id->Value.bin.lpb, &IID_IMessage, 0,
                                          &type, (IUnknown **)&message)))
            continue;
        count += SUCCEEDED(IMsgStore_SetLockState(mail->store, message, MSG_UNLOCKED));
        IMessage_Release(message);
    }
    if (count)
        event_step(about_logon(mail->store_logon),
                   "%s: %lu queued messages an earlier spooler had locked, unlocked (Q32)",
                   logon_name(mail->store_logon), count);
    mail->locks_checked = TRUE;
}

/* The queue as the store has it now, oldest first; FALSE if it cannot be read. */
static BOOL read_queue(struct mail *mail, IMsgStore *store)
{
    SizedSPropTagArray(3, columns) = { 3, { PR_ENTRYID, PR_CLIENT_SUBMIT_TIME, PR_SUBMIT_FLAGS } };
    SizedSSortOrderSet(1, order) = { 1, 0, 0, { { PR_CLIENT_SUBMIT_TIME, TABLE_SORT_ASCEND } } };
    IMAPITable *table;
    HRESULT hr;

    mailbox_forget_queue(mail);
    if (FAILED(IMsgStore_GetOutgoingQueue(store, 0, &table))) return FALSE;
    hr = HrQueryAllRows(table, (SPropTagArray *)&columns, NULL, (SSortOrderSet *)&order, 0, &mail->queue);
    IMAPITable_Release(table);
    if (FAILED(hr)) return FALSE;
    if (!mail->locks_checked) unlock_stale(mail, mail->queue);
    return TRUE;
}

BOOL outbound_run(struct mail *mail)
{
    IMsgStore *store = mailbox_store(mail);
    BOOL closing = FALSE, more;
    ULONG tried = 0, left = 0;
    enum outcome outcome;

    if (!store) return FALSE;
    if ((!mail->queue || mail->queue_next == mail->queue->cRows) && !read_queue(mail, store)) return FALSE;
    mailbox_lock();
    mail->queued = mail->queue->cRows - mail->queue_next;
    mailbox_unlock();
    while (mail->queue_next < mail->queue->cRows && tried < SEND_PER_PASS) {
        const SPropValue *id = &mail->queue->aRow[mail->queue_next].lpProps[0];

        mailbox_lock();
        if (!(closing = mail->store_closing || mail->ending)) mail->sending = TRUE;
        mailbox_unlock();
        if (closing) break;
        mail->queue_next++;
        tried++;
        if (id->ulPropTag == PR_ENTRYID && (outcome = send_one(mail, &id->Value.bin)) != RETRY && outcome != WAITING) {
            left++;
            mailbox_lock();
            mail->queued--;
            mailbox_unlock();
        }
        mailbox_lock();
        mail->sending = FALSE;
        mailbox_unlock();
    }
    /* Another pass, after the spooler has received and answered its callers: for the rest of the queue as read, or,
     * when this pass moved mail, to read it again for what was submitted meanwhile. A queue of messages that only
     * wait for a retry ends here until the retry is due. */
    more = mail->queue_next < mail->queue->cRows;
    if (!closing && (more || left)) {
        mailbox_lock();
        mail->send_wanted = TRUE;
        mailbox_unlock();
    }
    return !closing && more;
}
