/*
 * Inbound mail (Q22-Q24). A transport that asked for LOGON_SP_POLL at logon is polled when due; one that told the
 * spooler of new mail (SpoolerNotify(NOTIFY_NEWMAIL)) is asked at once. For each message it has, the spooler makes a
 * new message in the default store's receive folder for IPM (the Inbox) and calls StartMessage; the transport fills
 * it and saves it. A message it did not save is no message (the store drops it at its Release); a saved one is
 * delivered (delivery.c): moved to its class's receive folder and announced with IMsgStore::NotifyNewMail, which
 * clients hear as fnevNewMail. The transport is given the message wrapped (incoming.c), so that one it delivered
 * before is never saved. While the default store is being logged off (StoreLogoffTransports), the message arriving
 * is finished and nothing more is delivered; once it is logged off, nothing is received until a client opens it
 * again, and the transports keep their mail meanwhile.
 */
#include <stdlib.h>

#include "mapihost_private.h"
#include "mail.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(inbound);

#define MAX_PER_PASS                                                                                                   \
    32 /* messages taken from one transport before the others, and the spooler's callers, get a turn                   \
        */

struct receive {
    IXPLogon *transport;
    IMessage *message;
    ULONG incoming;
    ULONG_PTR reference;
    HRESULT hr;
};

static void poll_call(void *context)
{
    struct receive *receive = context;

    guard_step("IXPLogon", "Poll");
    receive->hr = IXPLogon_Poll(receive->transport, &receive->incoming);
}

static void start_call(void *context)
{
    struct receive *receive = context;

    guard_step("IXPLogon", "StartMessage");
    receive->hr = IXPLogon_StartMessage(receive->transport, 0, receive->message, &receive->reference);
}

/* The default store is being logged off, or was (StoreLogoff): nothing is received into it until a client opens it
 * again, and the transports keep their mail meanwhile. */
static BOOL closing(struct mail *mail)
{
    BOOL closing;

    mailbox_lock();
    closing = mail->store_closing || mail->store_away || mail->ending;
    mailbox_unlock();
    return closing;
}

/* One StartMessage; TRUE if a message arrived. */
static BOOL receive_one(struct mail *mail, struct logon *transport)
{
    struct receive receive = { .transport = (IXPLogon *)transport->object, .reference = 1 }; /* Q23: msgref 1 */
    IMessage *made;
    BOOL called, cancelled;
    HRESULT hr;

    if (FAILED(hr = mailbox_new_message(mail, "IPM", &made))
        || FAILED(hr = incoming_wrap(mail, made, &receive.message))) {
        event_error(ABOUT_HOST, "Q23", "session %s: no receive folder for new mail (%s); it stays with %s (Q23)",
                    mail->session->profile_name, hresult_text(hr), logon_name(transport));
        if (made) IMessage_Release(made);
        return FALSE;
    }
    IMessage_Release(made); /* the wrapper holds it */
    mailbox_lock();
    mail->receiving = TRUE;
    mailbox_unlock();
    called = mailbox_call_transfer(mail, transport, "IXPLogon::StartMessage", start_call, &receive, &receive.reference,
                                   &cancelled);
    mailbox_lock();
    mail->receiving = FALSE;
    mailbox_unlock();
    if (called && receive.hr == S_OK)
        hr = incoming_duplicate(receive.message) ? S_FALSE : delivery_finish(mail, receive.message);
    IMessage_Release(receive.message);
    if (!called) return FALSE;
    if (receive.hr != S_OK && cancelled) {
        event_step(about_logon(transport),
                   "%s: IXPLogon::StartMessage -> %s, cancelled: the message stays with it (Q17)",
                   logon_name(transport), hresult_text(receive.hr));
        return FALSE;
    }
    if (receive.hr != S_OK) {
        /* Q23, X23: an error loses what the transport had not saved; it keeps what it did not hand over. */
        event_error(about_logon(transport), "Q23", "%s: IXPLogon::StartMessage -> %s", logon_name(transport),
                    hresult_text(receive.hr));
        return FALSE;
    }
    if (hr == MAPI_E_NOT_FOUND) return FALSE; /* not saved: no message */
    if (hr == S_FALSE) return TRUE;           /* delivered before: taken, and dropped */
    event_step(about_logon(transport), "%s: IXPLogon::StartMessage -> S_OK, a message delivered (NotifyNewMail -> %s)",
               logon_name(transport), hresult_text(hr));
    return TRUE;
}

static void receive_from(struct mail *mail, struct logon *transport, BOOL poll)
{
    struct receive receive = { .transport = (IXPLogon *)transport->object };
    ULONG taken = 0;

    while (taken < MAX_PER_PASS && !closing(mail)) {
        if (poll) {
            if (InterlockedCompareExchange(&transport->critsec, 0, 0)) return; /* no Poll in its critical section */
            receive.incoming = 0;
            if (!mailbox_call(transport, "IXPLogon::Poll", poll_call, &receive) || FAILED(receive.hr)
                || !receive.incoming)
                return;
        }
        if (!receive_one(mail, transport)) return;
        taken++;
    }
    if (taken == MAX_PER_PASS) { /* more may wait: the next pass goes on at once */
        mailbox_lock();
        mail->receive_wanted = TRUE;
        mailbox_unlock();
    }
}

void inbound_run(struct mail *mail, BOOL poll_due, BOOL told)
{
    struct logon **transports;
    ULONG count, i;

    if (closing(mail)) return;
    count = logon_all_of(mail->session, PROVIDER_XP, &transports);
    for (i = 0; i < count; i++) {
        BOOL polls = !!(transports[i]->transport_flags & LOGON_SP_POLL);

        /* A polling transport is asked when due or told of; the others only when they told of new mail. */
        if (told || (polls && poll_due)) receive_from(mail, transports[i], polls);
    }
    free(transports);
}
