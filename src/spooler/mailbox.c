/*
 * What the spooler's files share (mail.h): one lock and one wake-up for the whole process, the requests other
 * threads hand to the spooler's thread (so that every transport call is made there, Q1), and the spooler's own logon
 * to a session's default store, made the first time there is mail to move (Q8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mail.h"
#include "mapihost_util.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(mailbox);

struct request {
    struct list entry;
    void (*call)(void *context);
    void *context;
    BOOL done;
};

static CRITICAL_SECTION lock;
static INIT_ONCE lock_once = INIT_ONCE_STATIC_INIT;
static CONDITION_VARIABLE wake = CONDITION_VARIABLE_INIT, served = CONDITION_VARIABLE_INIT;
static struct list requests = LIST_INIT(requests);
static DWORD spooler_thread_id;

static BOOL CALLBACK init_lock(INIT_ONCE *once, void *param, void **context)
{
    InitializeCriticalSection(&lock);
    return TRUE;
}

void mailbox_lock(void)
{
    InitOnceExecuteOnce(&lock_once, init_lock, NULL, NULL);
    EnterCriticalSection(&lock);
}

void mailbox_unlock(void)
{
    LeaveCriticalSection(&lock);
}

void mailbox_wake(void)
{
    WakeAllConditionVariable(&wake);
}

void mailbox_sleep(DWORD ms)
{
    SleepConditionVariableCS(&wake, &lock, ms);
}

void mailbox_set_thread(DWORD thread_id)
{
    spooler_thread_id = thread_id;
}

void mailbox_run_late(void (*call)(void *context), void *context, DWORD late_ms, void (*late)(void *context))
{
    struct request request = { .call = call, .context = context };
    ULONGLONG due = GetTickCount64() + late_ms;

    if (GetCurrentThreadId() == spooler_thread_id) {
        call(context);
        return;
    }
    mailbox_lock();
    list_add_tail(&requests, &request.entry);
    WakeAllConditionVariable(&wake);
    while (!request.done) {
        ULONGLONG now = GetTickCount64();

        if (!late) {
            SleepConditionVariableCS(&served, &lock, INFINITE);
        } else if (now < due) {
            SleepConditionVariableCS(&served, &lock, (DWORD)(due - now));
        } else {
            mailbox_unlock();
            late(context);
            late = NULL;
            mailbox_lock();
        }
    }
    mailbox_unlock();
}

void mailbox_run(void (*call)(void *context), void *context)
{
    mailbox_run_late(call, context, INFINITE, NULL);
}

static void transfer_begin(struct mail *mail, struct logon *transport, const ULONG_PTR *reference)
{
    mailbox_lock();
    mail->transfer.transport = transport;
    mail->transfer.reference = reference;
    mail->transfer.cancelled = FALSE;
    mailbox_unlock();
}

static BOOL transfer_end(struct mail *mail)
{
    BOOL cancelled;

    mailbox_lock();
    /* A TransportNotify(NOTIFY_CANCEL_MESSAGE) still in progress on another thread ends first: after this, the
     * spooler may log the transport off. */
    while (mail->transfer.notifying) SleepConditionVariableCS(&served, &lock, INFINITE);
    cancelled = mail->transfer.cancelled;
    mail->transfer.transport = NULL;
    mailbox_unlock();
    return cancelled;
}

BOOL mailbox_call_transfer(struct mail *mail, struct logon *transport, const char *what, void (*call)(void *context),
                           void *context, const ULONG_PTR *reference, BOOL *cancelled)
{
    BOOL called;

    transfer_begin(mail, transport, reference);
    called = mailbox_call(transport, what, call, context);
    *cancelled = transfer_end(mail);
    return called;
}

struct cancel {
    IXPLogon *transport;
    ULONG_PTR reference;
    ULONG flags;
    HRESULT hr;
};

static void cancel_call(void *context)
{
    struct cancel *cancel = context;

    guard_step("IXPLogon", "TransportNotify");
    cancel->hr = IXPLogon_TransportNotify(cancel->transport, &cancel->flags, (void **)&cancel->reference);
}

void mailbox_transfer_cancel(struct mail *mail, const char *why)
{
    struct cancel cancel = { .flags = NOTIFY_CANCEL_MESSAGE };
    struct logon *transport;

    mailbox_lock();
    mail->ending = TRUE;
    if ((transport = mail->transfer.transport) && !mail->transfer.cancelled) {
        mail->transfer.cancelled = mail->transfer.notifying = TRUE;
        cancel.reference = *mail->transfer.reference;
    } else {
        transport = NULL;
    }
    mailbox_unlock();
    if (!transport) return;
    /* From this thread, while the spooler's is inside the transport: the one call the transport must take so. */
    cancel.transport = (IXPLogon *)transport->object;
    if (mailbox_call(transport, "IXPLogon::TransportNotify", cancel_call, &cancel))
        event_step(about_logon(transport),
                   "%s: %s: IXPLogon::TransportNotify(NOTIFY_CANCEL_MESSAGE, msgref %#Ix) -> %s", logon_name(transport),
                   why, cancel.reference, hresult_text(cancel.hr));
    mailbox_lock();
    mail->transfer.notifying = FALSE;
    WakeAllConditionVariable(&served);
    mailbox_unlock();
}

BOOL mailbox_transfer_cancelled(struct mail *mail)
{
    BOOL cancelled;

    mailbox_lock();
    cancelled = mail->transfer.cancelled;
    mailbox_unlock();
    return cancelled;
}

BOOL mailbox_has_requests(void)
{
    return !list_empty(&requests);
}

void mailbox_serve(void)
{
    while (!list_empty(&requests)) {
        struct request *request = LIST_ENTRY(requests.next, struct request, entry);

        list_remove(&request->entry);
        mailbox_unlock();
        request->call(request->context);
        mailbox_lock();
        request->done = TRUE;
        WakeAllConditionVariable(&served);
    }
}

IMsgStore *mailbox_store(struct mail *mail)
{
    struct logon *logon;
    IMsgStore *store;
    HRESULT hr;

    if (mail->store || mail->store_failed || mail->store_away) return mail->store;
    if (!mail->store_config) {
        mail->store_failed = TRUE;
        event_error(ABOUT_HOST, "Q8", "session %s: no default store, so the spooler has nowhere to take mail from (Q8)",
                    mail->session->profile_name);
        return NULL;
    }
    hr = logon_spooler_store(mail->session, mail->store_config, mail->store_id_size, (ENTRYID *)mail->store_id, &store,
                             &logon);
    if (hr != S_OK) {
        mail->store_failed = TRUE;
        event_error(ABOUT_HOST, "Q8", "%s: the spooler's logon failed (%s); the session's mail waits (Q8)",
                    mail->store_config->section.name, hresult_text(hr));
        return NULL;
    }
    event_step(about_logon(logon), "%s: the spooler logged on to the default store (IMSProvider::SpoolerLogon, Q8)",
               logon_name(logon));
    mail->store = store;
    mail->store_logon = logon;
    return store;
}

void mailbox_forget_queue(struct mail *mail)
{
    if (mail->queue) FreeProws(mail->queue);
    mail->queue = NULL;
    mail->queue_next = 0;
}

void mailbox_release_store(struct mail *mail)
{
    IMsgStore *store = mail->store;
    struct logon *logon = mail->store_logon;

    mailbox_forget_queue(mail);
    if (!store) return;
    mailbox_lock();
    mail->store = NULL;
    mail->store_logon = NULL;
    mail->locks_checked = FALSE;
    mailbox_unlock();
    /* The spooler's references go: its store object, then its logon, in the documented order (§4.2 step 8). */
    IMsgStore_Release(store);
    logon_shutdown_one(logon);
}

HRESULT mailbox_new_message(struct mail *mail, const char *message_class, IMessage **message)
{
    IMsgStore *store = mailbox_store(mail);
    ENTRYID *folder_id = NULL;
    IMAPIFolder *folder;
    ULONG size = 0, type;
    HRESULT hr;

    *message = NULL;
    if (!store) return MAPI_E_NOT_FOUND;
    if (FAILED(hr = IMsgStore_GetReceiveFolder(store, (LPTSTR)message_class, 0, &size, &folder_id, NULL))) return hr;
    hr = IMsgStore_OpenEntry(store, size, folder_id, &IID_IMAPIFolder, MAPI_MODIFY, &type, (IUnknown **)&folder);
    MAPIFreeBuffer(folder_id);
    if (FAILED(hr)) return hr;
    hr = IMAPIFolder_CreateMessage(folder, NULL, 0, message);
    IMAPIFolder_Release(folder);
    return hr;
}

HRESULT mailbox_announce(struct mail *mail, IMessage *message)
{
    SizedSPropTagArray(4, tags) = { 4, { PR_ENTRYID, PR_PARENT_ENTRYID, PR_MESSAGE_CLASS_A, PR_MESSAGE_FLAGS } };
    NOTIFICATION notification = { .ulEventType = fnevNewMail };
    SPropValue *values;
    ULONG count;
    HRESULT hr;

    if (!mail->store) return MAPI_E_NOT_FOUND;
    if (FAILED(hr = IMessage_GetProps(message, (SPropTagArray *)&tags, 0, &count, &values))) return hr;
    if (values[0].ulPropTag != PR_ENTRYID || values[1].ulPropTag != PR_PARENT_ENTRYID) {
        MAPIFreeBuffer(values);
        return MAPI_E_NOT_FOUND; /* never saved */
    }
    notification.info.newmail.cbEntryID = values[0].Value.bin.cb;
    notification.info.newmail.lpEntryID = (ENTRYID *)values[0].Value.bin.lpb;
    notification.info.newmail.cbParentID = values[1].Value.bin.cb;
    notification.info.newmail.lpParentID = (ENTRYID *)values[1].Value.bin.lpb;
    notification.info.newmail.lpszMessageClass =
        (LPTSTR)(values[2].ulPropTag == PR_MESSAGE_CLASS_A ? values[2].Value.lpszA : "IPM");
    notification.info.newmail.ulMessageFlags = values[3].ulPropTag == PR_MESSAGE_FLAGS ? values[3].Value.l : 0;
    hr = IMsgStore_NotifyNewMail(mail->store, &notification);
    MAPIFreeBuffer(values);
    return hr;
}

BOOL mailbox_call(struct logon *transport, const char *what, void (*call)(void *context), void *context)
{
    struct provider *provider = transport->provider;

    if (!provider->object || transport->logged_off || process_fast_shutdown_done()
        || InterlockedCompareExchange(&transport->failed, 0, 0))
        return FALSE;
    return logon_run_guarded(logon_name(transport), what, &provider, call, context);
}

struct each_call {
    const char *method;
    HRESULT (*call)(IXPLogon *transport, void *context);
    IXPLogon *transport;
    void *context;
    HRESULT hr;
};

static void each_call(void *context)
{
    struct each_call *each = context;

    guard_step("IXPLogon", each->method);
    each->hr = each->call(each->transport, each->context);
}

void mailbox_each_transport(struct mail *mail, const struct logon *target, ULONG logon_flags, const char *method,
                            HRESULT (*call)(IXPLogon *transport, void *context),
                            void (*answered)(struct logon *transport, HRESULT hr, void *context), void *context)
{
    struct logon **transports;
    ULONG count = logon_all_of(mail->session, PROVIDER_XP, &transports), i;
    char what[64];

    snprintf(what, sizeof(what), "IXPLogon::%s", method);
    for (i = 0; i < count; i++) {
        struct each_call each = { method, call, (IXPLogon *)transports[i]->object, context, S_OK };

        if ((target && transports[i] != target) || (transports[i]->transport_flags & logon_flags) != logon_flags
            || (logon_flags & LOGON_SP_IDLE && InterlockedCompareExchange(&transports[i]->critsec, 0, 0)))
            continue;
        if (mailbox_call(transports[i], what, each_call, &each) && answered) answered(transports[i], each.hr, context);
    }
    free(transports);
}

const char *mailbox_row_text(const SRow *row, ULONG tag, char *buffer, size_t size)
{
    ULONG i;

    for (i = 0; i < row->cValues; i++) {
        const SPropValue *value = &row->lpProps[i];

        if (PROP_ID(value->ulPropTag) != PROP_ID(tag)) continue;
        if (PROP_TYPE(value->ulPropTag) == PT_STRING8) return value->Value.lpszA;
        if (PROP_TYPE(value->ulPropTag) == PT_UNICODE
            && WideCharToMultiByte(CP_ACP, 0, value->Value.lpszW, -1, buffer, (int)size, NULL, NULL))
            return buffer;
    }
    return NULL;
}

/* Q11: a MAPIUID the transport registered in the recipient's entry ID, then an address type it named (exact match:
 * PR_ADDRTYPE holds only A-Z and 0-9), then "any type". */
enum match mailbox_match(struct logon *transport, const SRow *row)
{
    const SPropValue *id = PpropFindProp(row->lpProps, row->cValues, PR_ENTRYID);
    char buffer[64];
    const char *type = mailbox_row_text(row, PR_ADDRTYPE_A, buffer, sizeof(buffer));
    enum match match = MATCH_NONE;
    ULONG i;

    if (id && uidreg_route(&transport->session->uids, id->Value.bin.cb, (ENTRYID *)id->Value.bin.lpb) == transport)
        return MATCH_UID;
    AcquireSRWLockShared(&transport->address_types_lock);
    for (i = 0; type && !match && i < transport->address_type_count; i++)
        if (!strcmp(transport->address_types[i], type)) match = MATCH_TYPE;
    if (!match && transport->any_address_type) match = MATCH_ANY;
    ReleaseSRWLockShared(&transport->address_types_lock);
    return match;
}

/* Every recipient with every property it has: a row written back with MODRECIP_MODIFY replaces the whole row, and
 * a store need not show PR_ADDRTYPE or PR_RESPONSIBILITY in its default columns. */
HRESULT mailbox_read_recipients(IMessage *message, SRowSet **rows)
{
    SPropTagArray *all = NULL;
    IMAPITable *table;
    HRESULT hr;

    *rows = NULL;
    if (FAILED(hr = IMessage_GetRecipientTable(message, 0, &table))) return hr;
    if (FAILED(IMAPITable_QueryColumns(table, TBL_ALL_COLUMNS, &all))) all = NULL;
    hr = HrQueryAllRows(table, all, NULL, NULL, 0, rows);
    MAPIFreeBuffer(all);
    IMAPITable_Release(table);
    return hr;
}
