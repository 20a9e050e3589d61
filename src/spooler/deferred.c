/*
 * Messages a transport deferred (Q14, Q17, Q33). A transport that answers EndMessage with END_DONT_RESEND keeps the
 * message's entry ID and says later, with SpoolerNotify(NOTIFY_SENTDEFERRED), when it wants it again; the spooler
 * then gives it back with SubmitMessage(BEGIN_DEFERRED). Meanwhile the message stays in the store's outgoing queue,
 * unlocked, so that its sender can still cancel it with AbortSubmit, and the spooler passes it over. A deferred
 * message that leaves the queue (cancelled or deleted) is taken back from its transport with
 * TransportNotify(NOTIFY_ABORT_DEFERRED | NOTIFY_CANCEL_MESSAGE); when the spooler lets go of the store or the
 * session ends, each is told with NOTIFY_ABORT_DEFERRED alone and stays queued for a later session. Both give the
 * transport, through lppvData, a pointer to an SBinary of the entry ID, the form in which it gave it
 * (docs/spooler.md).
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "mail.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(deferred);

struct deferred {
    struct list entry; /* in mail->deferred */
    struct logon *transport;
    SBinary id;
    BOOL due; /* the transport asked for it again (NOTIFY_SENTDEFERRED) */
};

static BOOL same_id(const SBinary *a, const SBinary *b)
{
    return a->cb == b->cb && !memcmp(a->lpb, b->lpb, a->cb);
}

/* The record of the message (of transport, when given), or NULL; the lock held. */
static struct deferred *find(struct mail *mail, const struct logon *transport, const SBinary *id)
{
    struct list *cursor;

    LIST_FOR_EACH (cursor, &mail->deferred) {
        struct deferred *deferred = LIST_ENTRY(cursor, struct deferred, entry);

        if ((!transport || deferred->transport == transport) && same_id(&deferred->id, id)) return deferred;
    }
    return NULL;
}

void deferred_add(struct mail *mail, struct logon *transport, const SBinary *id)
{
    struct deferred *deferred = malloc(sizeof(*deferred) + id->cb);

    if (!deferred) return; /* unrecorded, it is simply sent again at the next pass */
    deferred->transport = transport;
    deferred->id.cb = id->cb;
    deferred->id.lpb = (BYTE *)(deferred + 1);
    memcpy(deferred->id.lpb, id->lpb, id->cb);
    deferred->due = FALSE;
    mailbox_lock();
    list_add_tail(&mail->deferred, &deferred->entry);
    mailbox_unlock();
    event_step(about_logon(transport),
               "%s: EndMessage -> END_DONT_RESEND: the message is deferred, queued and unlocked until the transport "
               "asks for it (NOTIFY_SENTDEFERRED, Q14)",
               logon_name(transport));
}

struct logon *deferred_take(struct mail *mail, const SBinary *id, BOOL *waiting)
{
    struct logon *transport = NULL;
    struct deferred *deferred;

    mailbox_lock();
    if ((deferred = find(mail, NULL, id)) && deferred->due) {
        transport = deferred->transport;
        list_remove(&deferred->entry);
        free(deferred);
        deferred = NULL;
    }
    mailbox_unlock();
    *waiting = deferred != NULL;
    return transport;
}

BOOL deferred_due(struct mail *mail, struct logon *transport, const SBinary *id)
{
    struct deferred *deferred;

    mailbox_lock();
    if ((deferred = find(mail, transport, id))) {
        deferred->due = TRUE;
        mail->send_wanted = TRUE;
        mailbox_wake();
    }
    mailbox_unlock();
    return deferred != NULL;
}

/* TransportNotify(flags) about one deferred message, guarded; the record is freed. */
struct abort_call {
    struct deferred *deferred;
    ULONG flags;
    HRESULT hr;
};

static void abort_call(void *context)
{
    struct abort_call *call = context;
    void *data = &call->deferred->id;

    guard_step("IXPLogon", "TransportNotify");
    call->hr = IXPLogon_TransportNotify((IXPLogon *)call->deferred->transport->object, &call->flags, &data);
}

static void take_back(struct deferred *deferred, ULONG flags, const char *why)
{
    struct abort_call call = { deferred, flags, S_OK };

    if (mailbox_call(deferred->transport, "IXPLogon::TransportNotify", abort_call, &call))
        event_step(about_logon(deferred->transport), "%s: %s: IXPLogon::TransportNotify(%s) -> %s",
                   logon_name(deferred->transport), why,
                   flags & NOTIFY_CANCEL_MESSAGE ? "NOTIFY_ABORT_DEFERRED | NOTIFY_CANCEL_MESSAGE"
                                                 : "NOTIFY_ABORT_DEFERRED",
                   hresult_text(call.hr));
    free(deferred);
}

/* The records whose message the queue still holds are kept; the others are moved to gone. The lock held. */
static void split_gone(struct mail *mail, const SRowSet *queue, struct list *gone)
{
    struct list *cursor, *next;
    ULONG i;

    LIST_FOR_EACH_SAFE (cursor, next, &mail->deferred) {
        struct deferred *deferred = LIST_ENTRY(cursor, struct deferred, entry);
        BOOL queued = FALSE;

        for (i = 0; i < queue->cRows && !queued; i++)
            queued = queue->aRow[i].lpProps[0].ulPropTag == PR_ENTRYID
                     && same_id(&queue->aRow[i].lpProps[0].Value.bin, &deferred->id);
        if (queued) continue;
        list_remove(&deferred->entry);
        list_add_tail(gone, &deferred->entry);
    }
}

void deferred_check(struct mail *mail)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
    struct list gone = LIST_INIT(gone), *cursor, *next;
    IMAPITable *table;
    SRowSet *queue;
    IMsgStore *store;
    BOOL any;

    mailbox_lock();
    any = !list_empty(&mail->deferred);
    mailbox_unlock();
    if (!any || !(store = mailbox_store(mail))) return;
    if (FAILED(IMsgStore_GetOutgoingQueue(store, 0, &table))) return;
    if (SUCCEEDED(HrQueryAllRows(table, (SPropTagArray *)&columns, NULL, NULL, 0, &queue))) {
        mailbox_lock();
        split_gone(mail, queue, &gone);
        mailbox_unlock();
        FreeProws(queue);
    }
    IMAPITable_Release(table);
    LIST_FOR_EACH_SAFE (cursor, next, &gone)
        take_back(LIST_ENTRY(cursor, struct deferred, entry), NOTIFY_ABORT_DEFERRED | NOTIFY_CANCEL_MESSAGE,
                  "a message it deferred left the outgoing queue (AbortSubmit, Q17)");
}

void deferred_abort_all(struct mail *mail)
{
    struct list all = LIST_INIT(all), *cursor, *next;

    mailbox_lock();
    list_move_tail(&all, &mail->deferred);
    mailbox_unlock();
    LIST_FOR_EACH_SAFE (cursor, next, &all)
        take_back(LIST_ENTRY(cursor, struct deferred, entry), NOTIFY_ABORT_DEFERRED,
                  "the spooler lets go of the store; a message it deferred stays queued (Q33)");
}
