/*
 * The sample message store (spec §1C, §2.6-§2.8, §4), built only against mapihost's published headers.
 *
 * A logon is one object with two interfaces, IMSLogon for MAPI and IMsgStore for the client, freed when both are
 * released (spec §1C step 13, E8). Logon registers a MAPIUID, adds a status row and keeps the support object; a
 * second Logon for a store already open returns that store and no logon (H11). The store answers GetProps and
 * GetPropList (PR_DISPLAY_NAME, PR_ENTRYID, PR_RECORD_KEY, PR_OBJECT_TYPE, PR_STORE_SUPPORT_MASK,
 * PR_PROVIDER_DISPLAY) and StoreLogoff, which calls StoreLogoffTransports at once (E4 allows either time). Its
 * final Release calls StoreLogoffTransports(LOGOFF_ABORT) if StoreLogoff never came, then releases the support
 * object, and MAPI logs the store off from there (§4.2). IMSLogon::Logoff invalidates a store the client still
 * holds, and releases the support object last. Folders do not exist: OpenEntry and the other IMsgStore methods
 * return MAPI_E_NO_SUPPORT, as do SpoolerLogon, IMSLogon's CompareEntryIDs, Advise and Unadvise.
 *
 * The store's data is one property a client may change: PR_COMMENT (kept as PT_STRING8), through SetProps or
 * DeleteProps and then SaveChanges. Like real stores, it caches what SaveChanges commits and writes it to its data
 * file later: at logoff, or at DoFastShutdown when the process is about to end without one. The file is
 * %APPDATA%\mapihost\sample-stores\<the store's entry ID in hex>.txt, written atomically (a new file renamed over
 * the old), and gone when the store has no comment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"

#define STORE_METHODS 27 /* IMsgStore's vtable: IUnknown 3, IMAPIProp 11, IMsgStore 13 */

struct ms_provider {
    IMSProvider IMSProvider_iface;
    struct sample_provider base;
    SRWLOCK lock;
    struct store *stores; /* open stores, for H11 */
};

struct store {
    IMSLogon IMSLogon_iface;
    IMsgStore IMsgStore_iface;
    LONG logon_refs, store_refs;  /* freed when both are 0 */
    struct ms_provider *provider; /* until logoff */
    struct store *next;
    IMAPISupport *support; /* ours until logoff */
    IMAPIStatus *status;
    struct propbag props, status_row;
    ULONG entry_id_size;
    BYTE entry_id[64];
    MAPIUID uid;
    struct sample_config config;
    struct comment {
        BOOL present;
        char text[256];
    } comment, committed; /* as changed, as SaveChanges left it */
    BOOL unwritten;       /* committed is not in the data file yet */
    char data_path[MAX_PATH];
    BOOL logged_off, storelogoff_called;
    BOOL releasing; /* inside the store's final Release, where MAPI re-enters (E8) */
};

static inline struct store *impl_from_IMSLogon(IMSLogon *iface)
{
    return CONTAINING_RECORD(iface, struct store, IMSLogon_iface);
}

static inline struct store *impl_from_IMsgStore(IMsgStore *iface)
{
    return CONTAINING_RECORD(iface, struct store, IMsgStore_iface);
}

static void store_free_if_unused(struct store *store)
{
    if (store->releasing || store->logon_refs || store->store_refs) return;
    propbag_free(&store->props);
    propbag_free(&store->status_row);
    free(store);
    sample_object_destroyed();
}

/* Drops one of the pair's two counts; the shared state goes with the last. */
static void store_unref(struct store *store, LONG *refs)
{
    if (!InterlockedDecrement(refs)) store_free_if_unused(store);
}

static void unlink_store(struct store *store)
{
    struct ms_provider *provider = store->provider;
    struct store **cursor;

    AcquireSRWLockExclusive(&provider->lock);
    for (cursor = &provider->stores; *cursor; cursor = &(*cursor)->next)
        if (*cursor == store) {
            *cursor = store->next;
            break;
        }
    ReleaseSRWLockExclusive(&provider->lock);
}

/* The data file's name, from the store's entry ID. */
static BOOL make_data_path(struct store *store)
{
    size_t length = GetEnvironmentVariableA("APPDATA", store->data_path, sizeof(store->data_path));
    ULONG i;

    if (!length || length + 64 + 2 * store->entry_id_size >= sizeof(store->data_path)) return FALSE;
    length += sprintf(store->data_path + length, "\\mapihost\\sample-stores\\");
    for (i = 0; i < store->entry_id_size; i++) length += sprintf(store->data_path + length, "%02X", store->entry_id[i]);
    strcpy(store->data_path + length, ".txt");
    return TRUE;
}

/* The folders of the data file, made before its first write. */
static void make_data_folders(const struct store *store)
{
    char folder[MAX_PATH], *end;

    snprintf(folder, sizeof(folder), "%s", store->data_path);
    if (!(end = strrchr(folder, '\\'))) return;
    *end = 0;
    end = strrchr(folder, '\\');
    *end = 0;
    CreateDirectoryA(folder, NULL);
    *end = '\\';
    CreateDirectoryA(folder, NULL);
}

static void read_data(struct store *store)
{
    HANDLE file = CreateFileA(store->data_path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    DWORD size = 0;

    if (file == INVALID_HANDLE_VALUE) return;
    store->committed.present = ReadFile(file, store->committed.text, sizeof(store->committed.text) - 1, &size, NULL);
    store->committed.text[size] = 0;
    CloseHandle(file);
    store->comment = store->committed;
}

/* Writes what SaveChanges committed, if the file does not have it yet: a new file, flushed, renamed over the old. */
static void write_data(struct store *store)
{
    char new_path[MAX_PATH + 4];
    DWORD size = strlen(store->committed.text), written = 0;
    HANDLE file;
    BOOL ok;

    if (!store->unwritten) return;
    store->unwritten = FALSE;
    if (!store->committed.present) {
        ok = DeleteFileA(store->data_path) || GetLastError() == ERROR_FILE_NOT_FOUND;
    } else {
        snprintf(new_path, sizeof(new_path), "%s.new", store->data_path);
        make_data_folders(store);
        file = CreateFileA(new_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
        ok = file != INVALID_HANDLE_VALUE && WriteFile(file, store->committed.text, size, &written, NULL)
             && written == size && FlushFileBuffers(file);
        if (file != INVALID_HANDLE_VALUE) CloseHandle(file);
        ok = ok && MoveFileExA(new_path, store->data_path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH);
    }
    sample_trace("%s: data %s", store->config.display_name, ok ? "written" : "could not be written");
}

/* DoFastShutdown's: every open store's data to disk before it returns. */
static void save_stores(struct sample_provider *base)
{
    struct ms_provider *provider = CONTAINING_RECORD(base, struct ms_provider, base);
    struct store *store;

    AcquireSRWLockShared(&provider->lock);
    for (store = provider->stores; store; store = store->next) write_data(store);
    ReleaseSRWLockShared(&provider->lock);
}

static void logoff(struct store *store)
{
    IMAPISupport *support = store->support;

    if (store->logged_off) return;
    write_data(store);
    store->logged_off = TRUE;
    unlink_store(store);
    InterlockedDecrement(&store->provider->base.logons);
    store->provider = NULL;
    if (store->status) IMAPIStatus_Release(store->status);
    store->status = NULL;
    if (!support) return; /* released already, by the store's final Release */
    /* A store the client still holds becomes invalid (ending-a-mapi-session.md); its Release keeps working. */
    if (store->store_refs)
        IMAPISupport_MakeInvalid(support, 0, &store->IMsgStore_iface, store->store_refs, STORE_METHODS);
    store->support = NULL;
    if (!sample_fault(store->config.faults, "keep-support")) IMAPISupport_Release(support);
    sample_trace("%s: %ld objects of the DLL still alive", store->config.display_name, sample_live_objects());
}

static HRESULT WINAPI logon_QueryInterface(IMSLogon *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMSLogon, NULL };

    return sample_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI logon_AddRef(IMSLogon *iface)
{
    return InterlockedIncrement(&impl_from_IMSLogon(iface)->logon_refs);
}

static ULONG WINAPI logon_Release(IMSLogon *iface)
{
    struct store *store = impl_from_IMSLogon(iface);
    ULONG refcount = store->logon_refs - 1;

    sample_trace("IMSLogon::Release -> %lu", refcount);
    if (!refcount) logoff(store); /* without Logoff first: behave as if it had come (E22) */
    store_unref(store, &store->logon_refs);
    return refcount;
}

static HRESULT WINAPI logon_GetLastError(IMSLogon *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI logon_Logoff(IMSLogon *iface, ULONG *flags)
{
    struct store *store = impl_from_IMSLogon(iface);

    sample_trace("IMSLogon::Logoff(%s)", flags && !*flags ? "&0" : "?");
    logoff(store);
    return S_OK;
}

static HRESULT WINAPI logon_OpenEntry(IMSLogon *iface, ULONG size, ENTRYID *entry_id, const IID *iid, ULONG flags,
                                      ULONG *type, IUnknown **out)
{
    if (out) *out = NULL;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_CompareEntryIDs(IMSLogon *iface, ULONG size1, ENTRYID *entry1, ULONG size2, ENTRYID *entry2,
                                            ULONG flags, ULONG *result)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_Advise(IMSLogon *iface, ULONG size, ENTRYID *entry_id, ULONG mask, IMAPIAdviseSink *sink,
                                   ULONG_PTR *connection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_Unadvise(IMSLogon *iface, ULONG_PTR connection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_OpenStatusEntry(IMSLogon *iface, const IID *iid, ULONG flags, ULONG *type, void **out)
{
    struct store *store = impl_from_IMSLogon(iface);

    sample_trace("IMSLogon::OpenStatusEntry");
    return sample_open_status_entry(&store->status, &store->status_row, store->logged_off, type, (void **)out);
}

static const IMSLogonVtbl logon_vtbl = {
    logon_QueryInterface, logon_AddRef,          logon_Release, logon_GetLastError, logon_Logoff,
    logon_OpenEntry,      logon_CompareEntryIDs, logon_Advise,  logon_Unadvise,     logon_OpenStatusEntry,
};

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
        && (!store->provider || !store->provider->base.fast_shut_down
            || sample_fault(store->config.faults, "fast-late-call")))
        IMAPISupport_StoreLogoffTransports(support, &flags);
    store->storelogoff_called = TRUE;
    store->support = NULL;
    if (!sample_fault(store->config.faults, "keep-support")) IMAPISupport_Release(support);
    store->releasing = FALSE;
    store_free_if_unused(store);
    return 0;
}

SAMPLE_MAPIPROP_COMMON(store, IMsgStore)

static HRESULT set_properties(struct store *store);

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
    return set_properties(store);
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
    return set_properties(store);
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

static HRESULT WINAPI store_Advise(IMsgStore *iface, ULONG size, ENTRYID *entry_id, ULONG mask, IMAPIAdviseSink *sink,
                                   ULONG_PTR *connection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_Unadvise(IMsgStore *iface, ULONG_PTR connection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_CompareEntryIDs(IMsgStore *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
                                            ENTRYID *entry2, ULONG flags, ULONG *result)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_OpenEntry(IMsgStore *iface, ULONG size, ENTRYID *entry_id, const IID *iid, ULONG flags,
                                      ULONG *type, IUnknown **out)
{
    if (out) *out = NULL;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_SetReceiveFolder(IMsgStore *iface, LPTSTR message_class, ULONG flags, ULONG size,
                                             ENTRYID *entry_id)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_GetReceiveFolder(IMsgStore *iface, LPTSTR message_class, ULONG flags, ULONG *size,
                                             ENTRYID **entry_id, LPTSTR *explicit_class)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_GetReceiveFolderTable(IMsgStore *iface, ULONG flags, IMAPITable **table)
{
    return MAPI_E_NO_SUPPORT;
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
    if (!store->storelogoff_called) {
        transport_flags = *flags;
        if (FAILED(hr = IMAPISupport_StoreLogoffTransports(store->support, &transport_flags))) return hr;
        store->storelogoff_called = TRUE;
    }
    *flags = 0; /* nothing arriving, sending or queued */
    return S_OK;
}

static HRESULT WINAPI store_AbortSubmit(IMsgStore *iface, ULONG size, ENTRYID *entry_id, ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_GetOutgoingQueue(IMsgStore *iface, ULONG flags, IMAPITable **table)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_SetLockState(IMsgStore *iface, IMessage *message, ULONG state)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_FinishedMsg(IMsgStore *iface, ULONG flags, ULONG size, ENTRYID *entry_id)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_NotifyNewMail(IMsgStore *iface, NOTIFICATION *notification)
{
    return MAPI_E_NO_SUPPORT;
}

static const IMsgStoreVtbl store_vtbl = {
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

static inline struct ms_provider *impl_from_IMSProvider(IMSProvider *iface)
{
    return CONTAINING_RECORD(iface, struct ms_provider, IMSProvider_iface);
}

static HRESULT WINAPI provider_QueryInterface(IMSProvider *iface, REFIID riid, void **out)
{
    return sample_provider_query_interface(&impl_from_IMSProvider(iface)->base, riid, out, &IID_IMSProvider);
}

static ULONG WINAPI provider_AddRef(IMSProvider *iface)
{
    return InterlockedIncrement(&impl_from_IMSProvider(iface)->base.refcount);
}

static ULONG WINAPI provider_Release(IMSProvider *iface)
{
    struct ms_provider *provider = impl_from_IMSProvider(iface);

    return sample_provider_release(&provider->base, provider);
}

static HRESULT WINAPI provider_Shutdown(IMSProvider *iface, ULONG *flags)
{
    return sample_provider_shutdown(&impl_from_IMSProvider(iface)->base, flags);
}

static struct store *find_open_store(struct ms_provider *provider, ULONG size, const ENTRYID *entry_id)
{
    struct store *store;

    AcquireSRWLockShared(&provider->lock);
    for (store = provider->stores; store; store = store->next)
        if (store->entry_id_size == size && !memcmp(store->entry_id, entry_id, size)) break;
    if (store) IMsgStore_AddRef(&store->IMsgStore_iface);
    ReleaseSRWLockShared(&provider->lock);
    return store;
}

/* The store's properties: what it computes, and its comment. */
static HRESULT set_properties(struct store *store)
{
    SPropValue values[7];
    ULONG count = 6;

    values[0].ulPropTag = PR_DISPLAY_NAME_A;
    values[0].Value.lpszA = store->config.display_name;
    values[1].ulPropTag = PR_PROVIDER_DISPLAY_A;
    values[1].Value.lpszA = "mapihost sample message store";
    values[2].ulPropTag = PR_ENTRYID;
    values[2].Value.bin.cb = store->entry_id_size;
    values[2].Value.bin.lpb = store->entry_id;
    values[3].ulPropTag = PR_RECORD_KEY;
    values[3].Value.bin.cb = sizeof(store->uid);
    values[3].Value.bin.lpb = store->uid.ab;
    values[4].ulPropTag = PR_OBJECT_TYPE;
    values[4].Value.l = MAPI_STORE;
    values[5].ulPropTag = PR_STORE_SUPPORT_MASK;
    values[5].Value.l = 0;
    if (store->comment.present) {
        values[count].ulPropTag = PR_COMMENT_A;
        values[count++].Value.lpszA = store->comment.text;
    }
    propbag_free(&store->props);
    return propbag_init(&store->props, count, values);
}

static HRESULT WINAPI provider_Logon(IMSProvider *iface, IMAPISupport *support, ULONG_PTR ui_param, LPTSTR profile_name,
                                     ULONG size, ENTRYID *entry_id, ULONG flags, const IID *iid, ULONG *security_size,
                                     BYTE **security, MAPIERROR **error, IMSLogon **out_logon, IMsgStore **out_store)
{
    struct ms_provider *provider = impl_from_IMSProvider(iface);
    struct store *store;
    HRESULT hr;

    sample_trace("IMSProvider::Logon(flags %#lx)", flags);
    if (!support || !entry_id || !out_logon || !out_store) return MAPI_E_INVALID_PARAMETER;
    *out_logon = NULL;
    *out_store = NULL;
    if (error) *error = NULL;
    if (security_size) *security_size = 0;
    if (security) *security = NULL;
    if (size > sizeof(store->entry_id)) return MAPI_E_INVALID_ENTRYID;
    if ((store = find_open_store(provider, size, entry_id))) {
        *out_store = &store->IMsgStore_iface; /* H11: the open store, no logon, no support reference */
        return S_OK;
    }
    if (!(store = calloc(1, sizeof(*store)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(store->entry_id, entry_id, size);
    store->entry_id_size = size;
    if (FAILED(hr = sample_read_config(support, &store->config))
        || FAILED(hr = sample_read_setting(support, &sample_ms_settings_uid, &store->config)))
        goto fail;
    if (sample_fault(store->config.faults, "fail-one"))
        hr = MAPI_E_FAILONEPROVIDER;
    else if (sample_fault(store->config.faults, "fail-logon"))
        hr = MAPI_E_LOGON_FAILED;
    if (FAILED(hr) || FAILED(hr = IMAPISupport_NewUID(support, &store->uid))
        || FAILED(hr = IMAPISupport_SetProviderUID(support, &store->uid, 0)) || FAILED(hr = set_properties(store))
        || FAILED(hr = sample_add_status_row(support, &store->status_row, store->config.display_name,
                                             "mapihost sample message store", STATUS_AVAILABLE, STATUS_VALIDATE_STATE,
                                             0, NULL)))
        goto fail;
    if (make_data_path(store)) read_data(store);
    if (store->comment.present && FAILED(hr = set_properties(store))) goto fail;
    if (!sample_fault(store->config.faults, "no-addref")) IMAPISupport_AddRef(support);
    store->support = support;
    store->IMSLogon_iface.lpVtbl = &logon_vtbl;
    store->IMsgStore_iface.lpVtbl = &store_vtbl;
    store->logon_refs = sample_fault(store->config.faults, "leak-logon") ? 2 : 1;
    store->store_refs = 1;
    store->provider = provider;
    AcquireSRWLockExclusive(&provider->lock);
    store->next = provider->stores;
    provider->stores = store;
    ReleaseSRWLockExclusive(&provider->lock);
    sample_provider_logon_added(&provider->base, &store->config);
    sample_object_created();
    *out_logon = &store->IMSLogon_iface;
    *out_store = &store->IMsgStore_iface;
    return S_OK;
fail:
    propbag_free(&store->props);
    propbag_free(&store->status_row);
    free(store);
    return hr;
}

static HRESULT WINAPI provider_SpoolerLogon(IMSProvider *iface, IMAPISupport *support, ULONG_PTR ui_param,
                                            LPTSTR profile_name, ULONG size, ENTRYID *entry_id, ULONG flags,
                                            const IID *iid, ULONG security_size, BYTE *security, MAPIERROR **error,
                                            IMSLogon **out_logon, IMsgStore **out_store)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI provider_CompareStoreIDs(IMSProvider *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
                                               ENTRYID *entry2, ULONG flags, ULONG *result)
{
    if (!entry1 || !entry2 || !result) return MAPI_E_INVALID_PARAMETER;
    *result = size1 == size2 && !memcmp(entry1, entry2, size1);
    return S_OK;
}

static const IMSProviderVtbl provider_vtbl = {
    provider_QueryInterface, provider_AddRef,       provider_Release,         provider_Shutdown,
    provider_Logon,          provider_SpoolerLogon, provider_CompareStoreIDs,
};

HRESULT STDMAPIINITCALLTYPE MSProviderInit(HINSTANCE instance, LPMALLOC malloc, LPALLOCATEBUFFER allocate_buffer,
                                           LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer, ULONG flags,
                                           ULONG mapi_version, ULONG *provider_version, IMSProvider **out)
{
    struct ms_provider *provider;
    HRESULT hr;

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (FAILED(hr = sample_init("MSProviderInit", mapi_version, provider_version, allocate_buffer, allocate_more,
                                free_buffer)))
        return hr;
    if (!(provider = calloc(1, sizeof(*provider)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    provider->IMSProvider_iface.lpVtbl = &provider_vtbl;
    sample_provider_init(&provider->base, "IMSProvider", (IUnknown *)&provider->IMSProvider_iface, save_stores);
    InitializeSRWLock(&provider->lock);
    *out = &provider->IMSProvider_iface;
    return S_OK;
}

/* The service entry MAPISVC.INF names (S30); exported as ServiceEntry by the sample's .def file. */
HRESULT WINAPI SampleMSServiceEntry(HINSTANCE instance, IMalloc *malloc, IMAPISupport *support, ULONG_PTR ui_param,
                                    ULONG flags, ULONG context, ULONG count, SPropValue *props, IProviderAdmin *admin,
                                    MAPIERROR **error)
{
    return sample_service_entry(&sample_ms_settings_uid, support, flags, context, count, props, admin, error);
}
