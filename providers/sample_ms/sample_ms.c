/*
 * The sample message store's provider object and logons (spec §1C, §2.6-§2.8, §4), built only against mapihost's
 * published headers and SQLite. The store itself is in the files beside this one (store.h says which holds what).
 *
 * A logon is one object with two interfaces, IMSLogon for MAPI and IMsgStore for the client, freed when both are
 * released and no folder, message or table of the store is left (spec §1C step 13, E8). Logon opens the store's
 * database (made, with its folders, at the first logon), registers the store's own long-term MAPIUID, adds a status
 * row and keeps the support object; a second Logon for a store already open returns that store and no logon (H11).
 * The store's final Release calls StoreLogoffTransports(LOGOFF_ABORT) if StoreLogoff never came, then releases the
 * support object, and MAPI logs the store off from there (§4.2). IMSLogon::Logoff closes every object the client
 * still holds (they answer MAPI_E_END_OF_SESSION), invalidates the store if the client holds it, closes the
 * database, and releases the support object last. SpoolerLogon gives the spooler a logon pair of its own over the same
 * database.
 *
 * The store's own PR_COMMENT is written behind, as a store that caches would: at logoff, or at DoFastShutdown when
 * the process is about to end without one, to %APPDATA%\mapihost\sample-stores\<the store's entry ID in hex>.txt,
 * atomically (a new file renamed over the old). Folders and messages are written through, one transaction each, to
 * the database beside it, <entry ID in hex>.db.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#ifdef SAMPLE_FAULTS
#include "coupled.h"
#endif

struct ms_provider {
    IMSProvider IMSProvider_iface;
    struct sample_provider base;
    SRWLOCK lock;
    struct store *stores; /* open stores, for H11 */
    IMalloc *malloc;
};

static inline struct store *impl_from_IMSLogon(IMSLogon *iface)
{
    return CONTAINING_RECORD(iface, struct store, IMSLogon_iface);
}

void store_free_if_unused(struct store *store)
{
    if (store->releasing || store->logon_refs || store->store_refs) return;
    propbag_free(&store->props);
    propbag_free(&store->status_row);
    free(store->changes);
    free(store);
    sample_object_destroyed();
}

void store_unref(struct store *store, LONG *refs)
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
    BOOL ok;

    if (!store->unwritten) return;
    store->unwritten = FALSE;
    if (!store->committed.present) {
        ok = DeleteFileA(store->data_path) || GetLastError() == ERROR_FILE_NOT_FOUND;
    } else {
        snprintf(new_path, sizeof(new_path), "%s.new", store->data_path);
        make_data_folders(store);
        ok = sample_write_file(new_path, CREATE_ALWAYS, store->committed.text, strlen(store->committed.text))
             && MoveFileExA(new_path, store->data_path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH);
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

BOOL store_fast_shut_down(const struct store *store)
{
    return store->provider && store->provider->base.fast_shut_down;
}

static void close_store(struct store *store);

static void logoff(struct store *store)
{
    IMAPISupport *support = store->support;

    if (store->logged_off) return;
    write_data(store);
    store->logged_off = TRUE;
    store_objects_close(store);
    close_store(store);
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
    return store_open_entry(impl_from_IMSLogon(iface), size, entry_id, iid, flags, type, out);
}

static HRESULT WINAPI logon_CompareEntryIDs(IMSLogon *iface, ULONG size1, ENTRYID *entry1, ULONG size2, ENTRYID *entry2,
                                            ULONG flags, ULONG *result)
{
    return IMsgStore_CompareEntryIDs(&impl_from_IMSLogon(iface)->IMsgStore_iface, size1, entry1, size2, entry2, flags,
                                     result);
}

static HRESULT WINAPI logon_Advise(IMSLogon *iface, ULONG size, ENTRYID *entry_id, ULONG mask, IMAPIAdviseSink *sink,
                                   ULONG_PTR *connection)
{
    return store_advise(impl_from_IMSLogon(iface), size, entry_id, mask, sink, connection);
}

static HRESULT WINAPI logon_Unadvise(IMSLogon *iface, ULONG_PTR connection)
{
    return store_unadvise(impl_from_IMSLogon(iface), connection);
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
        if (!store->spooler && store->entry_id_size == size && !memcmp(store->entry_id, entry_id, size)) break;
    if (store) IMsgStore_AddRef(&store->IMsgStore_iface);
    ReleaseSRWLockShared(&provider->lock);
    return store;
}

/* The store's properties: what it computes, and its comment. */
/* What the store supports, truthfully: no search folders, no RTF synchronisation, no OLE attachments of its own. */
#define SUPPORT_MASK                                                                                                   \
    (STORE_ENTRYID_UNIQUE | STORE_MODIFY_OK | STORE_CREATE_OK | STORE_ATTACH_OK | STORE_SUBMIT_OK | STORE_NOTIFY_OK    \
     | STORE_MV_PROPS_OK | STORE_RESTRICTION_OK | STORE_SORT_OK | STORE_CATEGORIZE_OK | STORE_UNICODE_OK               \
     | STORE_ANSI_OK | STORE_LOCALSTORE)

/* The store's properties: what it computes, and its comment. */
HRESULT store_set_properties(struct store *store)
{
    static const struct {
        ULONG tag;
        enum store_role role;
    } folders[] = {
        { PR_IPM_SUBTREE_ENTRYID, ROLE_IPM },   { PR_IPM_OUTBOX_ENTRYID, ROLE_OUTBOX },
        { PR_IPM_SENTMAIL_ENTRYID, ROLE_SENT }, { PR_IPM_WASTEBASKET_ENTRYID, ROLE_DELETED },
        { PR_IPM_DRAFTS_ENTRYID, ROLE_DRAFTS },
    };
    struct store_entry_id ids[ARRAYSIZE(folders)];
    SPropValue values[16];
    ULONG count = 0, i;

    values[count].ulPropTag = PR_DISPLAY_NAME_A;
    values[count++].Value.lpszA = store->config.display_name;
    values[count].ulPropTag = PR_PROVIDER_DISPLAY_A;
    values[count++].Value.lpszA = "mapihost sample message store";
    values[count].ulPropTag = PR_ENTRYID;
    values[count].Value.bin.cb = store->entry_id_size;
    values[count++].Value.bin.lpb = store->entry_id;
    values[count].ulPropTag = PR_STORE_ENTRYID;
    values[count].Value.bin.cb = store->entry_id_size;
    values[count++].Value.bin.lpb = store->entry_id;
    values[count].ulPropTag = PR_RECORD_KEY;
    values[count].Value.bin.cb = sizeof(store->db.uid);
    values[count++].Value.bin.lpb = store->db.uid.ab;
    values[count] = values[count - 1];
    values[count++].ulPropTag = PR_STORE_RECORD_KEY;
    values[count].ulPropTag = PR_MDB_PROVIDER;
    values[count].Value.bin.cb = sizeof(sample_ms_settings_uid);
    values[count++].Value.bin.lpb = (BYTE *)sample_ms_settings_uid.ab;
    values[count].ulPropTag = PR_OBJECT_TYPE;
    values[count++].Value.l = MAPI_STORE;
    values[count].ulPropTag = PR_STORE_SUPPORT_MASK;
    values[count++].Value.l = SUPPORT_MASK;
    values[count].ulPropTag = PR_VALID_FOLDER_MASK;
    values[count++].Value.l = FOLDER_IPM_SUBTREE_VALID | FOLDER_IPM_INBOX_VALID | FOLDER_IPM_OUTBOX_VALID
                              | FOLDER_IPM_WASTEBASKET_VALID | FOLDER_IPM_SENTMAIL_VALID;
    for (i = 0; i < ARRAYSIZE(folders); i++)
        storeid_value(&values[count++], folders[i].tag, &store->db, KIND_FOLDER, store->db.roles[folders[i].role],
                      &ids[i]);
    if (store->comment.present) {
        values[count].ulPropTag = PR_COMMENT_A;
        values[count++].Value.lpszA = store->comment.text;
    }
    propbag_free(&store->props);
    return propbag_init(&store->props, count, values);
}

/* The store's database (made at the first logon) and its session of messages on storage. */
static HRESULT open_store(struct store *store, struct ms_provider *provider, IMAPISupport *support)
{
    char path[MAX_PATH];
    HRESULT hr;

    InitializeSRWLock(&store->objects_lock);
    store->malloc = provider->malloc;
    if (FAILED(hr = store_mapi_load())) return hr;
    make_data_folders(store);
    snprintf(path, sizeof(path), "%.*s.db", (int)(strlen(store->data_path) - 4), store->data_path);
    if (FAILED(hr = storedb_open(&store->db, path, support))) return hr;
    store->db_open = TRUE;
    /* The spooler's changes but a delivered message's save need not wait for the disk (docs/message-store.md). */
    if (store->spooler) storedb_relax(&store->db);
    /* The recorder's disk-full: the file may not grow, as on a full disk (SQLite answers SQLITE_FULL). */
    if (sample_fault(store->config.faults, "disk-full")) storedb_exec(&store->db, "PRAGMA max_page_count = 1", NULL);
    return store_mapi.open_msg_session(store->malloc, 0, &store->msg_session);
}

/* What open_store made, for a logon that fails after it. */
static void close_store(struct store *store)
{
    if (store->msg_session) store_mapi.close_msg_session(store->msg_session);
    store->msg_session = NULL;
    if (store->db_open) storedb_close(&store->db);
    store->db_open = FALSE;
}

/* A logon pair over the store's database: the client's (Logon), or the spooler's (SpoolerLogon), which shares the
 * process's connection to the database (storedb.c) but not its durability, registers no MAPIUID and adds no status row:
 * the client's logon has them. The open tables of each see the other's changes (storenotify.c). */
static HRESULT store_logon(struct ms_provider *provider, IMAPISupport *support, ULONG size, ENTRYID *entry_id,
                           BOOL spooler, IMSLogon **out_logon, IMsgStore **out_store)
{
    struct store *store;
    HRESULT hr = S_OK;

    if (!(store = calloc(1, sizeof(*store)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(store->entry_id, entry_id, size);
    store->entry_id_size = size;
    store->spooler = spooler;
    if (FAILED(hr = sample_read_config(support, &store->config))
        || FAILED(hr = sample_read_setting(support, &sample_ms_settings_uid, &store->config)))
        goto fail;
#ifdef SAMPLE_FAULTS
    if (!spooler && sample_fault(store->config.faults, "coupled"))
        coupled_store_logged_on((const BYTE *)entry_id, size);
#endif
    if (sample_fault(store->config.faults, "fail-one"))
        hr = MAPI_E_FAILONEPROVIDER;
    else if (sample_fault(store->config.faults, "fail-logon"))
        hr = MAPI_E_LOGON_FAILED;
    if (SUCCEEDED(hr) && !make_data_path(store)) hr = MAPI_E_NOT_FOUND; /* no %APPDATA%: nowhere to keep the store */
    if (FAILED(hr) || FAILED(hr = open_store(store, provider, support))
        || (!spooler && FAILED(hr = IMAPISupport_SetProviderUID(support, &store->db.uid, 0)))
        || FAILED(hr = store_set_properties(store))
        || (!spooler
            && FAILED(hr = sample_add_status_row(support, &store->status_row, store->config.display_name,
                                                 "mapihost sample message store", STATUS_AVAILABLE,
                                                 STATUS_VALIDATE_STATE, 0, NULL))))
        goto fail;
    read_data(store);
    if (store->comment.present && FAILED(hr = store_set_properties(store))) goto fail;
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
    close_store(store);
    propbag_free(&store->props);
    propbag_free(&store->status_row);
    free(store);
    return hr;
}

static HRESULT WINAPI provider_Logon(IMSProvider *iface, IMAPISupport *support, ULONG_PTR ui_param, LPTSTR profile_name,
                                     ULONG size, ENTRYID *entry_id, ULONG flags, const IID *iid, ULONG *security_size,
                                     BYTE **security, MAPIERROR **error, IMSLogon **out_logon, IMsgStore **out_store)
{
    struct ms_provider *provider = impl_from_IMSProvider(iface);
    struct store *store;

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
    return store_logon(provider, support, size, entry_id, FALSE, out_logon, out_store);
}

static HRESULT WINAPI provider_SpoolerLogon(IMSProvider *iface, IMAPISupport *support, ULONG_PTR ui_param,
                                            LPTSTR profile_name, ULONG size, ENTRYID *entry_id, ULONG flags,
                                            const IID *iid, ULONG security_size, BYTE *security, MAPIERROR **error,
                                            IMSLogon **out_logon, IMsgStore **out_store)
{
    struct ms_provider *provider = impl_from_IMSProvider(iface);

    sample_trace("IMSProvider::SpoolerLogon(flags %#lx)", flags);
    if (!support || !entry_id || !out_logon || !out_store) return MAPI_E_INVALID_PARAMETER;
    *out_logon = NULL;
    *out_store = NULL;
    if (error) *error = NULL;
    if (size > sizeof(((struct store *)NULL)->entry_id)) return MAPI_E_INVALID_ENTRYID;
    return store_logon(provider, support, size, entry_id, TRUE, out_logon, out_store);
}

/* The other open logons over the same database (the client's and the spooler's), each with a reference the caller
 * drops with IMsgStore_Release; the caller frees *siblings. */
ULONG store_siblings(struct store *store, struct store ***siblings)
{
    struct ms_provider *provider = store->provider;
    struct store *other;
    ULONG count = 0;

    *siblings = NULL;
    if (!provider) return 0;
    AcquireSRWLockShared(&provider->lock);
    for (other = provider->stores; other; other = other->next) count += other != store;
    if (count && (*siblings = malloc(count * sizeof(**siblings)))) {
        count = 0;
        for (other = provider->stores; other; other = other->next)
            if (other != store && !strcmp(other->db.path, store->db.path)) {
                IMsgStore_AddRef(&other->IMsgStore_iface);
                (*siblings)[count++] = other;
            }
    } else
        count = 0;
    ReleaseSRWLockShared(&provider->lock);
    return count;
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
    provider->malloc = malloc;
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
