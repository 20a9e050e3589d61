/*
 * What the spooler's files share (docs/spooler.md). Each session the spooler serves has a struct mail: its transports,
 * logged on and off on the spooler's thread and called only there, and the spooler's own logon to the session's
 * default store (IMSProvider::SpoolerLogon), made when there is first mail to move. Outbound (outbound.c): the
 * store's outgoing queue, a message locked, handed to the transports that take its recipients' address types,
 * finished by the store and by DoSentMail. Inbound (inbound.c): transports polled or told of new mail, StartMessage
 * into the receive folder, NotifyNewMail. StoreLogoffTransports (storelogoff.c) meets the mail in flight. The thread
 * and the sessions are spooler.c's; mailbox.c holds what the others need of them.
 */
#ifndef MAPIHOST_MAIL_H
#define MAPIHOST_MAIL_H

#include "core.h"
#include "guard.h"

/* What the spooler keeps of one session. Fields marked "lock" change under the spooler's lock; the rest only on
 * the spooler's thread. */
struct mail {
    struct list entry; /* in the spooler's sessions (lock) */
    struct session *session;
    /* The spooler's store: the session's default store, logged on through SpoolerLogon when first needed. */
    const struct profile_provider *store_config;
    ULONG store_id_size;
    BYTE store_id[64];
    struct logon *store_logon;
    IMsgStore *store;
    BOOL store_failed;  /* its SpoolerLogon failed: not tried again in this session */
    BOOL store_away;    /* StoreLogoff let it go: no SpoolerLogon until the client opens the store again (lock) */
    BOOL locks_checked; /* the locks an earlier spooler left are undone (Q32), once per store logon */
    /* Work asked for (lock). */
    BOOL send_wanted;    /* SpoolerNotify(NOTIFY_READYTOSEND), or a retry is due */
    BOOL receive_wanted; /* a transport's SpoolerNotify(NOTIFY_NEWMAIL) */
    BOOL store_closing;  /* StoreLogoffTransports is under way: nothing new is picked from the store */
    ULONGLONG next_poll; /* when LOGON_SP_POLL transports are polled next (GetTickCount64) */
    ULONGLONG retry_at;  /* when a message a transport deferred (MAPI_E_WAIT, ...) is tried again; 0: none */
    /* Activity, for StoreLogoffTransports (lock; Q31). */
    BOOL sending, receiving;
    /* The transport call moving a message now, which a logoff that waits too long cancels (lock; Q17, Q33). */
    struct transfer {
        struct logon *transport;    /* NULL: none */
        const ULONG_PTR *reference; /* the call's msgref: 0 outbound, 1 inbound until the transport sets it */
        BOOL cancelled;             /* NOTIFY_CANCEL_MESSAGE was sent for it */
        BOOL notifying;             /* ... and is being sent now: the transport stays logged on until it returns */
    } transfer;
    BOOL ending;  /* a cancelled logoff: no new message is picked (lock) */
    ULONG queued; /* messages in the store's outgoing queue at the last look */
    /* The queue as last read (spooler's thread only), oldest first, sent SEND_PER_PASS at a time: read again only
     * once gone through, so that a long queue is read once, not once per pass. */
    SRowSet *queue;
    ULONG queue_next;
    ULONG status_code;    /* the spooler's status row's PR_STATUS_CODE as last published (lock) */
    struct list deferred; /* messages transports deferred (deferred.c; lock) */
    struct list coupled;  /* what coupled stores handed over: CompleteMsg, NOTIFY_NEWMAIL_RECEIVED (coupling.c; lock) */
};

/* mailbox.c: what the spooler's files share, below them all. */
/* The spooler's lock, for the fields marked so, and its wake-up: the thread sleeps on it between passes. */
void mailbox_lock(void);
void mailbox_unlock(void);
void mailbox_wake(void);
/* Sleeps (the lock held) until woken or ms pass. */
void mailbox_sleep(DWORD ms);
/* Runs call(context) on the spooler's thread and waits for it; at once when already there. */
void mailbox_run(void (*call)(void *context), void *context);
/* The same; if call has not run after late_ms, late(context) runs once on this thread, and the wait goes on. */
void mailbox_run_late(void (*call)(void *context), void *context, DWORD late_ms, void (*late)(void *context));
/* Q17, Q33: the transfer under way cancelled from another thread (TransportNotify(NOTIFY_CANCEL_MESSAGE) with its
 * msgref, why said in the event), and no new message picked for the session from now on. */
void mailbox_transfer_cancel(struct mail *mail, const char *why);
/* Whether the transfer under way was cancelled (Q17): the incoming message's SaveChanges asks. */
BOOL mailbox_transfer_cancelled(struct mail *mail);
/* The spooler's thread: the requests mailbox_run queued, run now (the lock held, released around each). */
void mailbox_serve(void);
BOOL mailbox_has_requests(void);
void mailbox_set_thread(DWORD thread_id);
/* The spooler's store logon for the session, made now if needed (Q8); NULL if there is none. Spooler's thread. */
IMsgStore *mailbox_store(struct mail *mail);
/* Logs the spooler's store logon off (LOGOFF_COMPLETE's promise, Q31). Spooler's thread. */
void mailbox_release_store(struct mail *mail);
/* The queue as last read is forgotten: the next pass reads it again. */
void mailbox_forget_queue(struct mail *mail);
/* Runs call(context) guarded for a transport (logon_run_guarded); FALSE if it crashed or hung (the transport is
 * abandoned then) or was already gone. */
BOOL mailbox_call(struct logon *transport, const char *what, void (*call)(void *context), void *context);
/* The same for a call that moves a message (SubmitMessage and EndMessage, StartMessage), with the msgref it may set:
 * the transfer a logoff may cancel (Q17). *cancelled: NOTIFY_CANCEL_MESSAGE was sent for it. */
BOOL mailbox_call_transfer(struct mail *mail, struct logon *transport, const char *what, void (*call)(void *context),
                           void *context, const ULONG_PTR *reference, BOOL *cancelled);
/* call(transport, context) as IXPLogon::method for each of the session's transports, in logon order (target alone,
 * when given; only those that asked for every one of logon_flags at logon), each through mailbox_call; answered
 * (may be NULL) hears what each call that returned answered. Spooler's thread. */
void mailbox_each_transport(struct mail *mail, const struct logon *target, ULONG logon_flags, const char *method,
                            HRESULT (*call)(IXPLogon *transport, void *context),
                            void (*answered)(struct logon *transport, HRESULT hr, void *context), void *context);
/* A new message in the spooler's store, in the receive folder of the class (Q23, Q24). Spooler's thread. */
HRESULT mailbox_new_message(struct mail *mail, const char *message_class, IMessage **message);
/* IMsgStore::NotifyNewMail for a saved message of the spooler's store (Q24); MAPI_E_NOT_FOUND if it was never
 * saved. */
HRESULT mailbox_announce(struct mail *mail, IMessage *message);

/* A string column of a row in either width, as the code page's text (in buffer when converted); NULL when the row
 * has none. Stores keep recipients in Unicode or not, as they choose. */
const char *mailbox_row_text(const SRow *row, ULONG tag, char *buffer, size_t size);

/* How a transport matches a recipient (Q11), strongest first: by a MAPIUID it registered in the recipient's entry ID,
 * by an address type it named, or as a transport of any type. Each recipient goes to the transports that match it
 * best first. And every recipient of a message with every property it has (a row written back with MODRECIP_MODIFY
 * replaces the whole row). */
enum match { MATCH_NONE, MATCH_UID, MATCH_TYPE, MATCH_ANY };
enum match mailbox_match(struct logon *transport, const SRow *row);
HRESULT mailbox_read_recipients(IMessage *message, SRowSet **rows);

/* outbound.c: sends up to a pass's worth of what the spooler's store has queued (Q8-Q16), oldest first, and asks for
 * another pass when more waits; stops early when the store is closing. TRUE while the queue as read has more. */
BOOL outbound_run(struct mail *mail);

/* deferred.c (Q14, Q17, Q33): messages a transport deferred (END_DONT_RESEND), left queued and unlocked. deferred_add
 * records one; deferred_take answers the transport to give it back to (SubmitMessage(BEGIN_DEFERRED)) once that one
 * asked for it, else NULL with *waiting saying whether it is still deferred (the pass leaves it); deferred_due is
 * NOTIFY_SENTDEFERRED, FALSE for a message the transport did not defer. deferred_check takes back, with
 * NOTIFY_ABORT_DEFERRED | NOTIFY_CANCEL_MESSAGE, those no longer queued; deferred_abort_all all of them, with
 * NOTIFY_ABORT_DEFERRED, before the spooler lets go of the store. Spooler's thread but for deferred_due. */
void deferred_add(struct mail *mail, struct logon *transport, const SBinary *id);
struct logon *deferred_take(struct mail *mail, const SBinary *id, BOOL *waiting);
BOOL deferred_due(struct mail *mail, struct logon *transport, const SBinary *id);
void deferred_check(struct mail *mail);
void deferred_abort_all(struct mail *mail);

/* coupling.c (Q7, Q21): a store's ExpandRecips and CompleteMsg; coupling_newmail records a coupled store's
 * NOTIFY_NEWMAIL_RECEIVED for the spooler's thread, where coupling_run announces it and does what CompleteMsg asked
 * (the sent message's DoSentMail). */
HRESULT coupling_expand_recips(struct logon *logon, IMessage *message, ULONG *flags);

/* recipients.c: ExpandRecips' work on the recipient list (Q7): MAPIPDL lists expanded, one-offs resolved, changed
 * display names put back, duplicates marked; what was done counted in done, the rows as they now are in *rows. */
struct recipients_done {
    ULONG lists, one_offs, names, duplicates;
};
HRESULT recipients_complete(struct session *session, IMessage *message, struct recipients_done *done, SRowSet **rows);
HRESULT coupling_complete_msg(struct logon *logon, ULONG size, const ENTRYID *entry_id);
HRESULT coupling_newmail(struct logon *store, const NEWMAIL_NOTIFICATION *notification);
void coupling_run(struct mail *mail);

/* report.c: a non-delivery report for recipients, in the sender's default store (Q11, Q19); report_status_recips is
 * IMAPISupport::StatusRecips, which frees the list on success only. */
HRESULT report_make(struct mail *mail, IMessage *message, ADRLIST *recipients);
HRESULT report_status_recips(struct logon *logon, IMessage *message, ADRLIST *recipients);

/* preprocess.c: the transport's preprocessors (Q10) that match one of the recipients it is given (mine), run on the
 * message before its SubmitMessage, in registration order; FALSE if one failed or crashed (the message is tried
 * later). *ran notes which ran, for preprocess_done, which calls their RemovePreprocessInfo once the message is sent
 * and frees it. A message a preprocessor made goes to send_made, which the caller gives. */
typedef void preprocess_made(struct mail *mail, struct logon *transport, IMessage *made, const char *preprocessor);
BOOL preprocess_run(struct mail *mail, struct logon *transport, IMessage *message, const SRowSet *rows,
                    const BOOL *mine, preprocess_made *send_made, BOOL **ran);
void preprocess_done(struct logon *transport, IMessage *message, BOOL *ran);
/* Some transport of the session has a preprocessor for one of the recipients (ExpandRecips, Q7). */
BOOL preprocess_wanted(struct session *session, const SRowSet *rows);

/* delivery.c: delivery_seen says whether the receive folder of an unsaved incoming message's class already has it
 * (X41); delivery_finish moves a saved one to that folder and announces it: S_OK, or MAPI_E_NOT_FOUND if it was
 * never saved. */
BOOL delivery_seen(struct mail *mail, IMessage *message);
HRESULT delivery_finish(struct mail *mail, IMessage *message);

/* incoming.c: the store's new message, given to StartMessage, whose SaveChanges saves nothing for a message
 * delivered before; incoming_duplicate says it was one. */
HRESULT incoming_wrap(struct mail *mail, IMessage *message, IMessage **out);
BOOL incoming_duplicate(IMessage *message);

/* inbound.c: polls the transports that asked for it (when poll_due), asks every transport when one told of new mail
 * (told), and delivers what they have (Q22-Q24). */
void inbound_run(struct mail *mail, BOOL poll_due, BOOL told);

/* flush.c (Q27): flush_transports calls IXPLogon::FlushQueues(flags) of each transport (or of target alone);
 * flush_queues does that, then sends the whole outgoing queue (FLUSH_UPLOAD) and asks every transport for what it
 * has (FLUSH_DOWNLOAD). Spooler's thread. */
void flush_transports(struct mail *mail, ULONG flags, const struct logon *target);
void flush_queues(struct mail *mail, ULONG flags, const struct logon *target);

/* spoolerstatus.c (Q1, Q27, Q30): the spooler's row in the session's status table, its status code following the
 * traffic, and the status object behind it. */
HRESULT spoolerstatus_add(struct mail *mail);
void spoolerstatus_remove(struct mail *mail);
void spoolerstatus_traffic(struct mail *mail, ULONG active); /* STATUS_OUTBOUND_ACTIVE, STATUS_INBOUND_ACTIVE or 0 */
HRESULT spoolerstatus_open(struct session *session, const IID *iid, ULONG *type, IUnknown **out);

/* storelogoff.c: StoreLogoffTransports for a store (Q31). */
HRESULT storelogoff_transports(struct logon *logon, ULONG in, ULONG *out);

#endif
