/*
 * What a store asks of MAPI while it submits, and tight coupling (Q2, Q7, Q21). A transport couples itself with a
 * store by putting the store's entry ID, as the session's message-store table gives it, in PR_OWN_STORE_ENTRYID of its
 * status row; the pair then sends the recipients that transport takes without the spooler.
 *
 * ExpandRecips answers NEEDS_PREPROCESSING when a transport of the session has a preprocessor for one of the
 * message's recipients, and NEEDS_SPOOLER unless the store is coupled and its transport takes every recipient, once
 * recipients.c has completed the list (lists expanded, one-offs resolved, names put back, duplicates marked).
 *
 * CompleteMsg (the pair sent a message itself) and SpoolerNotify(NOTIFY_NEWMAIL_RECEIVED) (the pair delivered one)
 * are noted and done on the spooler's thread, never inside the store's call, which may hold its own locks: the sent
 * message gets its sent-mail handling (DoSentMail, Q15-Q16) and the delivered one is announced (NotifyNewMail, Q24),
 * both through the spooler's own logon to the store. So both need the store to be the session's default store, the
 * one the spooler logs on to; another store's are refused (CompleteMsg) or ignored (NOTIFY_NEWMAIL_RECEIVED) and
 * named in the event log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "mail.h"
#include "mailsupport.h"
#include "oneoff.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(coupling);

/* A coupled store's hand-over, for the spooler's thread. */
struct handover {
    struct list entry;                 /* in mail->coupled */
    BOOL newmail;                      /* NOTIFY_NEWMAIL_RECEIVED; else CompleteMsg */
    NEWMAIL_NOTIFICATION notification; /* its entry IDs and class point into the same block */
};

/* The transport whose status row names the store in PR_OWN_STORE_ENTRYID, or NULL. */
static struct logon *coupled_transport(struct logon *store)
{
    struct session *session = store->session;
    struct logon **transports, *found = NULL;
    ULONG count = logon_all_of(session, PROVIDER_XP, &transports), i;
    SPropValue *own;

    for (i = 0; i < count && !found; i++) {
        if (FAILED(statusrows_owner_prop(&session->status_rows, transports[i], PR_OWN_STORE_ENTRYID, &own))) continue;
        if (storetable_find(session, own->Value.bin.cb, (ENTRYID *)own->Value.bin.lpb) == store->config)
            found = transports[i];
        MAPIFreeBuffer(own);
    }
    free(transports);
    return found;
}

HRESULT coupling_expand_recips(struct logon *logon, IMessage *message, ULONG *flags)
{
    struct logon *transport = coupled_transport(logon);
    struct recipients_done done;
    BOOL all = transport != NULL;
    char what[160] = "";
    SRowSet *rows;
    HRESULT hr;
    ULONG i;

    *flags = 0;
    if (FAILED(hr = recipients_complete(logon->session, message, &done, &rows))) return hr;
    for (i = 0; all && i < rows->cRows; i++) all = mailbox_match(transport, &rows->aRow[i]) != MATCH_NONE;
    if (preprocess_wanted(logon->session, rows)) *flags |= NEEDS_PREPROCESSING;
    if (!all) *flags |= NEEDS_SPOOLER;
    if (done.lists || done.one_offs || done.names || done.duplicates)
        snprintf(what, sizeof(what), " (%lu lists expanded, %lu one-offs resolved, %lu names put back, %lu duplicates)",
                 done.lists, done.one_offs, done.names, done.duplicates);
    event_step(
        about_logon(logon), "%s: IMAPISupport::ExpandRecips(%lu recipients%s) -> %s%s%s%s (Q7)", logon_name(logon),
        rows->cRows, what, *flags ? "" : "0", *flags & NEEDS_PREPROCESSING ? "NEEDS_PREPROCESSING" : "",
        *flags == (NEEDS_PREPROCESSING | NEEDS_SPOOLER) ? " | " : "", *flags & NEEDS_SPOOLER ? "NEEDS_SPOOLER" : "");
    FreeProws(rows);
    return S_OK;
}

/* The mail of the logon's session if the store is the spooler's; otherwise NULL, named in the event log. */
static struct mail *spooler_store_mail(struct logon *logon, const char *what)
{
    struct mail *mail = logon->session->mail;

    if (mail && mail->store_config == logon->config) return mail;
    event_step(about_logon(logon),
               "%s: %s from a store that is not the session's default store (or a session "
               "without mail): the spooler does not handle it",
               logon_name(logon), what);
    return NULL;
}

/* A hand-over recorded, its entry IDs and class copied into one block; the spooler woken. */
static HRESULT hand_over(struct mail *mail, BOOL newmail, const NEWMAIL_NOTIFICATION *notification)
{
    size_t class_size = !notification->lpszMessageClass ? 0
                        : notification->ulFlags & MAPI_UNICODE
                            ? (wcslen((const WCHAR *)notification->lpszMessageClass) + 1) * sizeof(WCHAR)
                            : strlen((const char *)notification->lpszMessageClass) + 1;
    struct handover *handover =
        malloc(sizeof(*handover) + notification->cbEntryID + notification->cbParentID + class_size);
    BYTE *p;

    if (!handover) return MAPI_E_NOT_ENOUGH_MEMORY;
    handover->newmail = newmail;
    handover->notification = *notification;
    p = (BYTE *)(handover + 1);
    handover->notification.lpEntryID = (ENTRYID *)memcpy(p, notification->lpEntryID, notification->cbEntryID);
    p += notification->cbEntryID;
    handover->notification.lpParentID =
        notification->cbParentID ? (ENTRYID *)memcpy(p, notification->lpParentID, notification->cbParentID) : NULL;
    p += notification->cbParentID;
    handover->notification.lpszMessageClass = class_size ? memcpy(p, notification->lpszMessageClass, class_size) : NULL;
    mailbox_lock();
    list_add_tail(&mail->coupled, &handover->entry);
    mailbox_wake();
    mailbox_unlock();
    return S_OK;
}

HRESULT coupling_complete_msg(struct logon *logon, ULONG size, const ENTRYID *entry_id)
{
    NEWMAIL_NOTIFICATION notification = { size, (ENTRYID *)entry_id, 0, NULL, 0, NULL, 0 };
    struct mail *mail;

    if (!coupled_transport(logon)) return MAPI_E_NOT_FOUND; /* mailsupport.c names the offence */
    if (!(mail = spooler_store_mail(logon, "IMAPISupport::CompleteMsg"))) return MAPI_E_NO_SUPPORT;
    return hand_over(mail, FALSE, &notification);
}

HRESULT coupling_newmail(struct logon *store, const NEWMAIL_NOTIFICATION *notification)
{
    struct mail *mail = spooler_store_mail(store, "SpoolerNotify(NOTIFY_NEWMAIL_RECEIVED)");

    return mail ? hand_over(mail, TRUE, notification) : S_OK;
}

/* One hand-over, on the spooler's thread, through its own logon to the store. */
static void run_one(struct mail *mail, IMsgStore *store, struct handover *handover)
{
    const NEWMAIL_NOTIFICATION *notification = &handover->notification;
    IMessage *message;
    ULONG type;
    HRESULT hr;

    hr = IMsgStore_OpenEntry(store, notification->cbEntryID, notification->lpEntryID, &IID_IMessage,
                             handover->newmail ? 0 : MAPI_MODIFY, &type, (IUnknown **)&message);
    if (SUCCEEDED(hr) && handover->newmail) {
        NOTIFICATION newmail = { .ulEventType = fnevNewMail, .info.newmail = *notification };

        IMessage_Release(message);
        hr = IMsgStore_NotifyNewMail(store, &newmail);
    } else if (SUCCEEDED(hr))
        hr = mailsupport_do_sent_mail(mail->store_logon, message); /* takes the reference */
    event_step(about_logon(mail->store_logon), "%s: a coupled store's %s -> %s (Q21)", logon_name(mail->store_logon),
               handover->newmail ? "new mail announced (IMsgStore::NotifyNewMail)"
                                 : "sent message finished (DoSentMail)",
               hresult_text(hr));
}

void coupling_run(struct mail *mail)
{
    struct list work = LIST_INIT(work), *cursor, *next;
    IMsgStore *store;

    mailbox_lock();
    list_move_tail(&work, &mail->coupled);
    mailbox_unlock();
    if (list_empty(&work)) return;
    store = mailbox_store(mail);
    LIST_FOR_EACH_SAFE (cursor, next, &work) {
        struct handover *handover = LIST_ENTRY(cursor, struct handover, entry);

        if (store) run_one(mail, store, handover);
        free(handover);
    }
}
