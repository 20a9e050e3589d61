/*
 * IMsgStore, the client's side of a store logon (the pair is in sample_ms.c). Its own properties are what the store
 * computes (its name, entry ID, MAPIUID, support mask, the IPM subtree and the well-known folders' entry IDs, the
 * valid-folder mask) and one the client may change, PR_COMMENT, which the store writes behind: at logoff or at
 * DoFastShutdown (sample_ms.c). OpenEntry opens the store's folders and messages (the root folder without an entry
 * ID); receive folders map message classes to folders, the longest matching class prefix winning; the queue methods
 * are the store's side of submission, for MAPI's spooler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3.h"
#include "store.h"

static HRESULT WINAPI store_QueryInterface(IMsgStore *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IMsgStore, NULL };

    return sample_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI store_AddRef(IMsgStore *iface)
{
    return InterlockedIncrement(&impl_from_IMsgStore(iface)->store_refs);
}

static ULONG WINAPI store_Release(IMsgStore *iface)
{
    struct store *store = impl_from_IMsgStore(iface);
    IMAPISupport *support = store->support;
    ULONG refcount = store->store_refs - 1, flags = LOGOFF_ABORT;

    sample_trace("IMsgStore::Release -> %lu", refcount);
    if (refcount || !support) {
        store_unref(store, &store->store_refs);
        return refcount;
    }
    /* The last client reference: the store shuts itself down (§4.2). MAPI calls IMSLogon::Logoff and Release from
     * inside the support object's Release (E8), so the pair stays allocated until that returns. */
    store->releasing = TRUE;
    InterlockedDecrement(&store->store_refs);
    /* After DoFastShutdown the process is ending: nothing to tell MAPI but the Release ("fast-late-call" tells). */
    if (!store->storelogoff_called
        && (!store_fast_shut_down(store) || sample_fault(store->config.faults, "fast-late-call")))
        IMAPISupport_StoreLogoffTransports(support, &flags);
    store->storelogoff_called = TRUE;
    store->support = NULL;
    if (!sample_fault(store->config.faults, "keep-support")) IMAPISupport_Release(support);
    store->releasing = FALSE;
    store_free_if_unused(store);
    return 0;
}

SAMPLE_MAPIPROP_BASE(store, IMsgStore)

static BOOL is_comment(ULONG tag)
{
    return PROP_ID(tag) == PROP_ID(PR_COMMENT_A) && (PROP_TYPE(tag) == PT_STRING8 || PROP_TYPE(tag) == PT_UNICODE);
}

/* PR_COMMENT only; any other property refuses the whole call (MAPI_E_NO_ACCESS) and changes nothing. */
static HRESULT WINAPI store_SetProps(IMsgStore *iface, ULONG count, SPropValue *values, SPropProblemArray **problems)
{
    struct store *store = impl_from_IMsgStore(iface);
    struct comment comment = store->comment;
    ULONG i;

    if (problems) *problems = NULL;
    if (!values) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; i < count; i++) {
        if (!is_comment(values[i].ulPropTag)) return MAPI_E_NO_ACCESS;
        comment.present = TRUE;
        if (PROP_TYPE(values[i].ulPropTag) == PT_STRING8)
            snprintf(comment.text, sizeof(comment.text), "%s", values[i].Value.lpszA);
        else if (!WideCharToMultiByte(CP_ACP, 0, values[i].Value.lpszW, -1, comment.text, sizeof(comment.text), NULL,
                                      NULL))
            return MAPI_E_INVALID_PARAMETER;
    }
    store->comment = comment;
    return store_set_properties(store);
}

static HRESULT WINAPI store_DeleteProps(IMsgStore *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    struct store *store = impl_from_IMsgStore(iface);
    ULONG i;

    if (problems) *problems = NULL;
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; i < tags->cValues; i++)
        if (!is_comment(tags->aulPropTag[i])) return MAPI_E_NO_ACCESS;
    store->comment.present = FALSE;
    return store_set_properties(store);
}

/* Commits to the cache; the data file follows at logoff or DoFastShutdown. */
static HRESULT WINAPI store_SaveChanges(IMsgStore *iface, ULONG flags)
{
    struct store *store = impl_from_IMsgStore(iface);

    sample_trace("%s: IMsgStore::SaveChanges", store->config.display_name);
    if (store->logged_off) return MAPI_E_INVALID_OBJECT;
    if (store->committed.present != store->comment.present || strcmp(store->committed.text, store->comment.text))
        store->unwritten = TRUE;
    store->committed = store->comment;
    return S_OK;
}

static HRESULT WINAPI store_GetProps(IMsgStore *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                     SPropValue **values)
{
    return propbag_get_props(&impl_from_IMsgStore(iface)->props, tags, flags, count, values);
}

static HRESULT WINAPI store_GetPropList(IMsgStore *iface, ULONG flags, SPropTagArray **tags)
{
    return propbag_get_prop_list(&impl_from_IMsgStore(iface)->props, tags);
}

/* §4.2 steps 2-3: keep the flags, tell MAPI once with the same flag (E4: at StoreLogoff). */
static HRESULT WINAPI store_StoreLogoff(IMsgStore *iface, ULONG *flags)
{
    struct store *store = impl_from_IMsgStore(iface);
    ULONG transport_flags;
    HRESULT hr;

    sample_trace("IMsgStore::StoreLogoff(%#lx)", flags ? *flags : 0);
    if (!flags) return MAPI_E_INVALID_PARAMETER;
    if (store->logged_off || !store->support) return MAPI_E_INVALID_OBJECT;
    transport_flags = LOGOFF_COMPLETE;
    if (!store->storelogoff_called) {
        transport_flags = *flags;
        if (FAILED(hr = IMAPISupport_StoreLogoffTransports(store->support, &transport_flags))) return hr;
        /* Mail in flight under LOGOFF_ABORT or LOGOFF_QUIET: nothing happened, the client may ask again (§4.3). */
        store->storelogoff_called = !!(transport_flags & LOGOFF_COMPLETE);
    }
    *flags = transport_flags & (LOGOFF_INBOUND | LOGOFF_OUTBOUND | LOGOFF_OUTBOUND_QUEUE);
    return S_OK;
}

static HRESULT WINAPI store_GetNamesFromIDs(IMsgStore *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                            ULONG *count, MAPINAMEID ***names)
{
    return storenames_names(impl_from_IMsgStore(iface), tags, guid, flags, count, names);
}

static HRESULT WINAPI store_GetIDsFromNames(IMsgStore *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                            SPropTagArray **tags)
{
    return storenames_ids(impl_from_IMsgStore(iface), count, names, flags, tags);
}

static HRESULT WINAPI store_Advise(IMsgStore *iface, ULONG size, ENTRYID *entry_id, ULONG mask, IMAPIAdviseSink *sink,
                                   ULONG_PTR *connection)
{
    return store_advise(impl_from_IMsgStore(iface), size, entry_id, mask, sink, connection);
}

static HRESULT WINAPI store_Unadvise(IMsgStore *iface, ULONG_PTR connection)
{
    return store_unadvise(impl_from_IMsgStore(iface), connection);
}

static BOOL is_store_id(const struct store *store, ULONG size, const ENTRYID *entry_id)
{
    return size == store->entry_id_size && !memcmp(entry_id, store->entry_id, size);
}

static HRESULT WINAPI store_CompareEntryIDs(IMsgStore *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
                                            ENTRYID *entry2, ULONG flags, ULONG *result)
{
    struct store *store = impl_from_IMsgStore(iface);
    ULONG kind1, kind2;
    LONGLONG id1, id2;

    if (!entry1 || !entry2 || !result) return MAPI_E_INVALID_PARAMETER;
    if (is_store_id(store, size1, entry1) || is_store_id(store, size2, entry2)) {
        *result = is_store_id(store, size1, entry1) && is_store_id(store, size2, entry2);
        return S_OK;
    }
    if (!storeid_parse(&store->db, size1, entry1, &kind1, &id1)
        || !storeid_parse(&store->db, size2, entry2, &kind2, &id2))
        return MAPI_E_UNKNOWN_ENTRYID;
    *result = kind1 == kind2 && id1 == id2;
    return S_OK;
}

HRESULT store_open_entry(struct store *store, ULONG size, const ENTRYID *entry_id, const IID *iid, ULONG flags,
                         ULONG *type, IUnknown **out)
{
    ULONG kind = KIND_FOLDER;
    LONGLONG id = store->db.roles[ROLE_ROOT];
    HRESULT hr;

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (store->logged_off) return MAPI_E_END_OF_SESSION;
    if (entry_id && !storeid_parse(&store->db, size, entry_id, &kind, &id)) return MAPI_E_INVALID_ENTRYID;
    if (iid && !IsEqualIID(iid, &IID_IUnknown) && !IsEqualIID(iid, &IID_IMAPIProp)
        && !IsEqualIID(iid, kind == KIND_FOLDER ? &IID_IMAPIFolder : &IID_IMessage)
        && !(kind == KIND_FOLDER && IsEqualIID(iid, &IID_IMAPIContainer)))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (kind == KIND_FOLDER)
        hr = folder_open(store, id, (IMAPIFolder **)out);
    else
        hr = message_open(store, id, !!(flags & (MAPI_MODIFY | MAPI_BEST_ACCESS)), (IMessage **)out);
    if (SUCCEEDED(hr) && type) *type = kind == KIND_FOLDER ? MAPI_FOLDER : MAPI_MESSAGE;
    return hr;
}

static HRESULT WINAPI store_OpenEntry(IMsgStore *iface, ULONG size, ENTRYID *entry_id, const IID *iid, ULONG flags,
                                      ULONG *type, IUnknown **out)
{
    return store_open_entry(impl_from_IMsgStore(iface), size, entry_id, iid, flags, type, out);
}

/* A message class argument as WCHAR, in the width the flags say; NULL stands for "". */
static BOOL class_argument(const void *text, ULONG flags, WCHAR *out, int size)
{
    if (!text) {
        out[0] = 0;
        return TRUE;
    }
    if (flags & MAPI_UNICODE) {
        if (IsBadStringPtrW(text, size) || wcslen(text) >= (size_t)size) return FALSE;
        wcscpy(out, text);
        return TRUE;
    }
    return !IsBadStringPtrA(text, size) && MultiByteToWideChar(CP_ACP, 0, text, -1, out, size) > 0;
}

static HRESULT WINAPI store_SetReceiveFolder(IMsgStore *iface, LPTSTR message_class, ULONG flags, ULONG size,
                                             ENTRYID *entry_id)
{
    struct store *store = impl_from_IMsgStore(iface);
    WCHAR name[256];
    ULONG kind;
    LONGLONG id;

    if (store->logged_off) return MAPI_E_END_OF_SESSION;
    if ((flags & ~MAPI_UNICODE) || !class_argument(message_class, flags, name, ARRAYSIZE(name)))
        return MAPI_E_INVALID_PARAMETER;
    /* No entry ID: the class goes back to its default (its parent class's folder); "" always has one. */
    if (!entry_id) {
        if (!name[0]) return MAPI_E_INVALID_PARAMETER;
        return storedb_exec(&store->db, "DELETE FROM receive WHERE class = ?", "t", name);
    }
    if (!storeid_parse(&store->db, size, entry_id, &kind, &id) || kind != KIND_FOLDER) return MAPI_E_INVALID_ENTRYID;
    if (!storedb_integer(&store->db, 0, "SELECT count(*) FROM folders WHERE id = ?", "i", id)) return MAPI_E_NOT_FOUND;
    return storedb_exec(&store->db, "INSERT OR REPLACE INTO receive VALUES(?, ?)", "ti", name, id);
}

static HRESULT WINAPI store_GetReceiveFolder(IMsgStore *iface, LPTSTR message_class, ULONG flags, ULONG *size,
                                             ENTRYID **entry_id, LPTSTR *explicit_class)
{
    struct store *store = impl_from_IMsgStore(iface);
    struct store_entry_id folder;
    struct sqlite3_stmt *row;
    WCHAR name[256], *dot;
    LONGLONG id = 0;
    HRESULT hr = S_OK;
    int length;

    if (explicit_class) *explicit_class = NULL;
    if (store->logged_off) return MAPI_E_END_OF_SESSION;
    if (!size || !entry_id || (flags & ~MAPI_UNICODE) || !class_argument(message_class, flags, name, ARRAYSIZE(name)))
        return MAPI_E_INVALID_PARAMETER;
    *entry_id = NULL;
    /* "IPM.Note.Mine" is looked for as itself, then "IPM.Note", "IPM", "". */
    EnterCriticalSection(store->db.lock);
    for (;;) {
        if ((id = storedb_integer(&store->db, 0, "SELECT folder FROM receive WHERE class = ?", "t", name))) break;
        if (!name[0]) break;
        if ((dot = wcsrchr(name, '.')))
            *dot = 0;
        else
            name[0] = 0;
    }
    if (id && explicit_class
        && (row = storedb_prepare(&store->db, &hr, "SELECT class FROM receive WHERE class = ?", "t", name))) {
        if (sqlite3_step(row) == SQLITE_ROW) wcscpy(name, sqlite3_column_text16(row, 0));
        sqlite3_finalize(row);
    }
    LeaveCriticalSection(store->db.lock);
    if (!id) return MAPI_E_NOT_FOUND;
    storeid_make(&store->db, KIND_FOLDER, id, &folder);
    if (sample_allocate_buffer(sizeof(folder), (void **)entry_id)) return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(*entry_id, &folder, sizeof(folder));
    *size = sizeof(folder);
    if (!explicit_class) return S_OK;
    if (flags & MAPI_UNICODE) {
        if (!sample_allocate_buffer((wcslen(name) + 1) * sizeof(WCHAR), (void **)explicit_class))
            wcscpy((WCHAR *)*explicit_class, name);
    } else {
        length = WideCharToMultiByte(CP_ACP, 0, name, -1, NULL, 0, NULL, NULL);
        if (!sample_allocate_buffer(length, (void **)explicit_class))
            WideCharToMultiByte(CP_ACP, 0, name, -1, (char *)*explicit_class, length, NULL, NULL);
    }
    if (!*explicit_class) {
        sample_free_buffer(*entry_id);
        *entry_id = NULL;
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    return S_OK;
}

static HRESULT WINAPI store_GetReceiveFolderTable(IMsgStore *iface, ULONG flags, IMAPITable **table)
{
    struct store *store = impl_from_IMsgStore(iface);

    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (store->logged_off) return MAPI_E_END_OF_SESSION;
    return storetable_receive_folders(store, flags, table);
}

/* The row ID of a message entry ID the store has, and its submit flags (-1: not in the queue). */
static HRESULT queued_message(struct store *store, ULONG size, const ENTRYID *entry_id, LONGLONG *id, LONGLONG *submit)
{
    ULONG kind;

    if (!storeid_parse(&store->db, size, entry_id, &kind, id) || kind != KIND_MESSAGE) return MAPI_E_INVALID_ENTRYID;
    /* One query, one read transaction: -2 for no such message, -1 for one not queued. */
    *submit = storedb_integer(&store->db, -2, "SELECT coalesce(submit, -1) FROM messages WHERE id = ?", "i", *id);
    if (*submit == -2) return MAPI_E_NOT_FOUND;
    if (*submit >= 0 && *submit & SUBMIT_SENT_PENDING) *submit = -1; /* finished: no longer queued */
    return S_OK;
}

static HRESULT WINAPI store_AbortSubmit(IMsgStore *iface, ULONG size, ENTRYID *entry_id, ULONG flags)
{
    struct store *store = impl_from_IMsgStore(iface);
    LONGLONG id, submit;
    HRESULT hr;

    if (store->logged_off) return MAPI_E_END_OF_SESSION;
    if (!entry_id || flags) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = storedb_begin(&store->db))) return hr;
    if (FAILED(hr = queued_message(store, size, entry_id, &id, &submit)))
        ;
    else if (submit < 0)
        hr = MAPI_E_NOT_IN_QUEUE;
    else if (submit & SUBMITFLAG_LOCKED)
        hr = MAPI_E_UNABLE_TO_ABORT; /* a transport has it */
    else
        hr = storedb_exec(&store->db, "UPDATE messages SET submit = NULL, flags = flags & ~? WHERE id = ?", "li",
                          MSGFLAG_SUBMIT, id);
    return store_finish(store, hr);
}

/* What FinishedMsg does when MAPI's DoSentMail cannot: the table of IMsgStore::FinishedMsg's page. */
static HRESULT sent_mail(struct store *store, IMessage *message, LONGLONG id)
{
    SizedSPropTagArray(2, tags) = { 2, { PR_DELETE_AFTER_SUBMIT, PR_SENTMAIL_ENTRYID } };
    SPropValue *values;
    LONGLONG folder;
    ULONG count, kind;
    HRESULT hr;

    if (FAILED(hr = IMessage_GetProps(message, (SPropTagArray *)&tags, 0, &count, &values))) return hr;
    if (values[1].ulPropTag == PR_SENTMAIL_ENTRYID
        && storeid_parse(&store->db, values[1].Value.bin.cb, (ENTRYID *)values[1].Value.bin.lpb, &kind, &folder)
        && kind == KIND_FOLDER)
        hr = storedb_exec(&store->db, "UPDATE messages SET folder = ? WHERE id = ?", "ii", folder, id);
    if (SUCCEEDED(hr) && values[0].ulPropTag == PR_DELETE_AFTER_SUBMIT && values[0].Value.b)
        hr = storedb_exec(&store->db, "DELETE FROM messages WHERE id = ?", "i", id);
    sample_free_buffer(values);
    return hr;
}

/* The finished message's sent copy placed by MAPI's DoSentMail (or by the store when MAPI has none), then the mark
 * that it was pending cleared. */
static HRESULT place_sent(struct store *store, LONGLONG id)
{
    IMessage *message;
    HRESULT hr;

    /* The message unlocked, with one reference, goes to DoSentMail, which releases it (imapisupport-dosentmail). */
    if (FAILED(hr = message_open(store, id, TRUE, &message))) return hr;
    hr = IMAPISupport_DoSentMail(store->support, 0, message);
    if (hr == MAPI_E_NO_SUPPORT) {
        hr = sent_mail(store, message, id);
        IMessage_Release(message);
    }
    if (FAILED(hr)) return hr;
    return storedb_exec(&store->db, "UPDATE messages SET submit = NULL WHERE id = ?", "i", id);
}

/* The sent copies an earlier spooler finished and never placed (a process killed inside FinishedMsg), placed when a
 * spooler first reads the queue: at most 64 at a time, more than kills leave. */
static void place_pending_sent(struct store *store)
{
    LONGLONG ids[64];
    ULONG count = 0, i;
    struct sqlite3_stmt *rows;
    HRESULT hr;

    EnterCriticalSection(store->db.lock);
    if ((rows = storedb_prepare(&store->db, &hr,
                                "SELECT id FROM messages WHERE submit & " SUBMIT_SENT_PENDING_SQL " LIMIT 64", NULL))) {
        while (count < ARRAYSIZE(ids) && sqlite3_step(rows) == SQLITE_ROW) ids[count++] = sqlite3_column_int64(rows, 0);
        sqlite3_finalize(rows);
    }
    LeaveCriticalSection(store->db.lock);
    for (i = 0; i < count; i++)
        sample_trace("%s: message %lu, finished by an earlier spooler, gets its sent copy placed -> %#lx",
                     store->config.display_name, (ULONG)ids[i], (ULONG)place_sent(store, ids[i]));
}

static HRESULT WINAPI store_GetOutgoingQueue(IMsgStore *iface, ULONG flags, IMAPITable **table)
{
    struct store *store = impl_from_IMsgStore(iface);

    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (store->logged_off) return MAPI_E_END_OF_SESSION;
    if (store->spooler && !store->sent_checked) {
        store->sent_checked = TRUE;
        place_pending_sent(store);
    }
    return storetable_outgoing_queue(store, flags, table);
}

static HRESULT WINAPI store_SetLockState(IMsgStore *iface, IMessage *message, ULONG state)
{
    struct store *store = impl_from_IMsgStore(iface);
    SizedSPropTagArray(1, tags) = { 1, { PR_ENTRYID } };
    LONGLONG id, submit;
    SPropValue *value;
    ULONG count;
    HRESULT hr;

    if (store->logged_off) return MAPI_E_END_OF_SESSION;
    if (!message || (state != MSG_LOCKED && state != MSG_UNLOCKED)) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = IMessage_GetProps(message, (SPropTagArray *)&tags, 0, &count, &value))) return hr;
    if (value->ulPropTag != PR_ENTRYID)
        hr = MAPI_E_INVALID_PARAMETER;
    else if (SUCCEEDED(hr = queued_message(store, value->Value.bin.cb, (ENTRYID *)value->Value.bin.lpb, &id, &submit)))
        hr = submit < 0
                 ? MAPI_E_NOT_IN_QUEUE
                 : storedb_exec(&store->db, "UPDATE messages SET submit = ? WHERE id = ?", "li",
                                (ULONG)(state == MSG_LOCKED ? submit | SUBMITFLAG_LOCKED : submit & ~SUBMITFLAG_LOCKED),
                                id);
    sample_free_buffer(value);
    return hr;
}

static HRESULT WINAPI store_FinishedMsg(IMsgStore *iface, ULONG flags, ULONG size, ENTRYID *entry_id)
{
    struct store *store = impl_from_IMsgStore(iface);
    LONGLONG id, submit;
    HRESULT hr;

    if (store->logged_off) return MAPI_E_END_OF_SESSION;
    if (!entry_id || flags) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = queued_message(store, size, entry_id, &id, &submit))) return hr;
    if (submit < 0) return MAPI_E_NOT_IN_QUEUE;
    if (FAILED(hr = storedb_exec(&store->db, "UPDATE messages SET submit = ?, flags = flags & ~? WHERE id = ?", "lli",
                                 SUBMIT_SENT_PENDING, MSGFLAG_SUBMIT | MSGFLAG_UNSENT, id)))
        return hr;
    return place_sent(store, id);
}

/* The spooler tells the store of a message a transport delivered into it; the store tells its clients. */
static HRESULT WINAPI store_NotifyNewMail(IMsgStore *iface, NOTIFICATION *notification)
{
    struct store *store = impl_from_IMsgStore(iface);
    NEWMAIL_NOTIFICATION *mail;
    WCHAR message_class[256];
    ULONG kind;
    LONGLONG id, folder;

    if (store->logged_off) return MAPI_E_END_OF_SESSION;
    if (!notification || notification->ulEventType != fnevNewMail) return MAPI_E_INVALID_PARAMETER;
    mail = &notification->info.newmail;
    if (!storeid_parse(&store->db, mail->cbEntryID, mail->lpEntryID, &kind, &id) || kind != KIND_MESSAGE
        || !storeid_parse(&store->db, mail->cbParentID, mail->lpParentID, &kind, &folder) || kind != KIND_FOLDER)
        return MAPI_E_INVALID_ENTRYID;
    if (!class_argument(mail->lpszMessageClass, mail->ulFlags, message_class, ARRAYSIZE(message_class)))
        return MAPI_E_INVALID_PARAMETER;
    store_notify_new_mail(store, id, folder, message_class, mail->ulMessageFlags);
    return S_OK;
}

const IMsgStoreVtbl store_vtbl = {
    store_QueryInterface,   store_AddRef,           store_Release,
    store_GetLastError,     store_SaveChanges,      store_GetProps,
    store_GetPropList,      store_OpenProperty,     store_SetProps,
    store_DeleteProps,      store_CopyTo,           store_CopyProps,
    store_GetNamesFromIDs,  store_GetIDsFromNames,  store_Advise,
    store_Unadvise,         store_CompareEntryIDs,  store_OpenEntry,
    store_SetReceiveFolder, store_GetReceiveFolder, store_GetReceiveFolderTable,
    store_StoreLogoff,      store_AbortSubmit,      store_GetOutgoingQueue,
    store_SetLockState,     store_FinishedMsg,      store_NotifyNewMail,
};
