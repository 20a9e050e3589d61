/*
 * A message-store provider to start from. Copy this folder, rename "myms" everywhere (files, CMakeLists.txt,
 * myms.def), give it a MAPIUID of its own, and fill in what the TODOs say. As it stands it passes mapicheck:
 *
 * - MSProviderInit checks MAPI's SPI version and keeps the allocators MAPI hands over (rule H3);
 * - Logon registers the store's MAPIUID and a status row, keeps the support object (H7), and hands MAPI two faces
 *   of one store: the IMSLogon MAPI keeps and the IMsgStore the client gets. The store answers GetProps with its
 *   name and kind, and every other method with MAPI_E_NO_SUPPORT: no folders yet;
 * - the store shuts itself down when the client releases it last: StoreLogoffTransports, then the support object
 *   goes, and MAPI calls IMSLogon::Logoff and Release from inside that Release (the store-logoff path);
 * - a session's Logoff without that goes through IMSLogon::Logoff, which releases the support object (H12);
 * - MAPI removes the MAPIUID and the status row (H13, H14), then calls Shutdown and Release on the provider.
 *
 * Every method the template does not implement is a real function that says so in the debugger output and returns
 * MAPI_E_NO_SUPPORT. The rule IDs are explained in share/doc/mapihost/rules.md, what a store must hold in
 * share/doc/mapihost/message-store.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "mapihost_spi.h"

/* TODO: a MAPIUID of your own (uuidgen), fixed for good: it begins every entry ID this store makes, and MAPI sends
 * the entry IDs that begin with it to this store (H9). */
static const MAPIUID myms_uid = { { 0x6d, 0x79, 0x6d, 0x73, 0x2d, 0x74, 0x65, 0x6d, 0x70, 0x6c, 0x61, 0x74, 0x65, 0x2d,
                                    0x30, 0x31 } };
static const char myms_name[] = "My message store"; /* TODO: your store's name */

/* The allocators MAPI hands to MSProviderInit: whatever the provider returns to MAPI is allocated with them. */
static LPALLOCATEBUFFER allocate_buffer;
static LPALLOCATEMORE allocate_more;
static LPFREEBUFFER free_buffer;

static HRESULT not_implemented(const char *method)
{
    char line[128];

    snprintf(line, sizeof(line), "myms: %s is not implemented (MAPI_E_NO_SUPPORT)\n", method);
    OutputDebugStringA(line);
    return MAPI_E_NO_SUPPORT;
}

/* One store: the client's IMsgStore and MAPI's IMSLogon, each counted apart; it goes when both counts are 0. */
struct store {
    IMsgStore IMsgStore_iface;
    IMSLogon IMSLogon_iface;
    LONG store_refs, logon_refs;
    IMAPISupport *support; /* kept from Logon until the store logs off */
    BOOL releasing;        /* inside the last IMsgStore::Release, where MAPI calls back into the logon */
    BOOL transports_told;  /* StoreLogoffTransports called */
};

struct provider {
    IMSProvider IMSProvider_iface;
    LONG refcount;
};

static void store_free_if_unused(struct store *store)
{
    if (!store->store_refs && !store->logon_refs && !store->releasing) free(store);
}

static void store_release_support(struct store *store)
{
    IMAPISupport *support = store->support;

    /* TODO: release every object the store still holds (folders, messages, tables, the status object). */
    store->support = NULL;
    if (support) IMAPISupport_Release(support); /* last: H12 */
}

static inline struct store *impl_from_IMsgStore(IMsgStore *iface)
{
    return CONTAINING_RECORD(iface, struct store, IMsgStore_iface);
}

static HRESULT WINAPI store_QueryInterface(IMsgStore *iface, REFIID riid, void **out)
{
    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIProp) && !IsEqualIID(riid, &IID_IMsgStore)) {
        *out = NULL;
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    }
    IMsgStore_AddRef(iface);
    *out = iface;
    return S_OK;
}

static ULONG WINAPI store_AddRef(IMsgStore *iface)
{
    return InterlockedIncrement(&impl_from_IMsgStore(iface)->store_refs);
}

/* The client's last reference: the store logs itself off. */
static ULONG WINAPI store_Release(IMsgStore *iface)
{
    struct store *store = impl_from_IMsgStore(iface);
    ULONG refcount = InterlockedDecrement(&store->store_refs), flags = LOGOFF_ABORT;

    if (refcount) return refcount;
    store->releasing = TRUE;
    if (store->support && !store->transports_told) IMAPISupport_StoreLogoffTransports(store->support, &flags);
    store->transports_told = TRUE;
    store_release_support(store);
    store->releasing = FALSE;
    store_free_if_unused(store);
    return 0;
}

static HRESULT WINAPI store_GetLastError(IMsgStore *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL; /* TODO: describe the last error in a MAPIERROR allocated with allocate_buffer */
    return S_OK;
}

static HRESULT WINAPI store_SaveChanges(IMsgStore *iface, ULONG flags)
{
    return not_implemented("IMsgStore::SaveChanges");
}

/* The store's properties: one value for tag, strings and binaries allocated with more onto base. */
static HRESULT store_property(ULONG tag, SPropValue *value, void *base)
{
    HRESULT hr = S_OK;
    ULONG size;

    value->ulPropTag = tag;
    switch (tag) {
    case PR_DISPLAY_NAME_A: value->Value.lpszA = (char *)myms_name; break;
    case PR_DISPLAY_NAME_W:
        size = MultiByteToWideChar(CP_ACP, 0, myms_name, -1, NULL, 0);
        if (SUCCEEDED(hr = allocate_more(size * sizeof(WCHAR), base, (void **)&value->Value.lpszW)))
            MultiByteToWideChar(CP_ACP, 0, myms_name, -1, value->Value.lpszW, size);
        break;
    case PR_OBJECT_TYPE: value->Value.l = MAPI_STORE; break;
    case PR_STORE_SUPPORT_MASK: value->Value.l = 0; break; /* TODO: STORE_*_OK as the store grows */
    case PR_MDB_PROVIDER:
    case PR_RECORD_KEY:
        value->Value.bin.cb = sizeof(myms_uid); /* TODO: PR_RECORD_KEY unique to this store */
        value->Value.bin.lpb = (BYTE *)&myms_uid;
        break;
    default:
        value->ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
        value->Value.err = MAPI_E_NOT_FOUND;
        return MAPI_W_ERRORS_RETURNED;
    }
    return hr;
}

static const ULONG store_tags[] = { PR_DISPLAY_NAME_A, PR_OBJECT_TYPE, PR_STORE_SUPPORT_MASK, PR_MDB_PROVIDER,
                                    PR_RECORD_KEY };

static HRESULT WINAPI store_GetProps(IMsgStore *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                     SPropValue **values)
{
    ULONG i, n = tags ? tags->cValues : ARRAYSIZE(store_tags), tag;
    HRESULT hr, result = S_OK;
    SPropValue *out;

    if (!count || !values || (tags && !tags->cValues)) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = allocate_buffer(n * sizeof(*out), (void **)&out))) return hr;
    for (i = 0; i < n; i++) {
        tag = tags ? tags->aulPropTag[i] : store_tags[i];
        /* A string asked for without its type, or all of them: in the width MAPI_UNICODE says. */
        if (PROP_ID(tag) == PROP_ID(PR_DISPLAY_NAME_A) && (PROP_TYPE(tag) == PT_UNSPECIFIED || !tags))
            tag = flags & MAPI_UNICODE ? PR_DISPLAY_NAME_W : PR_DISPLAY_NAME_A;
        if (FAILED(hr = store_property(tag, &out[i], out))) {
            free_buffer(out);
            return hr;
        }
        if (hr != S_OK) result = hr;
    }
    *count = n;
    *values = out;
    return result;
}

static HRESULT WINAPI store_GetPropList(IMsgStore *iface, ULONG flags, SPropTagArray **tags)
{
    HRESULT hr;

    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = allocate_buffer(CbNewSPropTagArray(ARRAYSIZE(store_tags)), (void **)tags))) return hr;
    (*tags)->cValues = ARRAYSIZE(store_tags);
    memcpy((*tags)->aulPropTag, store_tags, sizeof(store_tags));
    return S_OK;
}

static HRESULT WINAPI store_OpenProperty(IMsgStore *iface, ULONG tag, const IID *iid, ULONG options, ULONG flags,
                                         IUnknown **out)
{
    return not_implemented("IMsgStore::OpenProperty");
}

static HRESULT WINAPI store_SetProps(IMsgStore *iface, ULONG count, SPropValue *values, SPropProblemArray **problems)
{
    return not_implemented("IMsgStore::SetProps");
}

static HRESULT WINAPI store_DeleteProps(IMsgStore *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    return not_implemented("IMsgStore::DeleteProps");
}

static HRESULT WINAPI store_CopyTo(IMsgStore *iface, ULONG excluded_count, const IID *excluded, SPropTagArray *tags,
                                   ULONG_PTR ui_param, IMAPIProgress *progress, const IID *iid, void *destination,
                                   ULONG flags, SPropProblemArray **problems)
{
    return not_implemented("IMsgStore::CopyTo");
}

static HRESULT WINAPI store_CopyProps(IMsgStore *iface, SPropTagArray *tags, ULONG_PTR ui_param,
                                      IMAPIProgress *progress, const IID *iid, void *destination, ULONG flags,
                                      SPropProblemArray **problems)
{
    return not_implemented("IMsgStore::CopyProps");
}

static HRESULT WINAPI store_GetNamesFromIDs(IMsgStore *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                            ULONG *count, MAPINAMEID ***names)
{
    return not_implemented("IMsgStore::GetNamesFromIDs");
}

static HRESULT WINAPI store_GetIDsFromNames(IMsgStore *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                            SPropTagArray **tags)
{
    return not_implemented("IMsgStore::GetIDsFromNames");
}

static HRESULT WINAPI store_Advise(IMsgStore *iface, ULONG size, ENTRYID *entry_id, ULONG mask, IMAPIAdviseSink *sink,
                                   ULONG_PTR *connection)
{
    return not_implemented("IMsgStore::Advise");
}

static HRESULT WINAPI store_Unadvise(IMsgStore *iface, ULONG_PTR connection)
{
    return not_implemented("IMsgStore::Unadvise");
}

static HRESULT WINAPI store_CompareEntryIDs(IMsgStore *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
                                            ENTRYID *entry2, ULONG flags, ULONG *result)
{
    return not_implemented("IMsgStore::CompareEntryIDs");
}

/* TODO: no entry ID opens the root folder; an entry ID beginning with myms_uid a folder or message. */
static HRESULT WINAPI store_OpenEntry(IMsgStore *iface, ULONG size, ENTRYID *entry_id, const IID *iid, ULONG flags,
                                      ULONG *type, IUnknown **out)
{
    return not_implemented("IMsgStore::OpenEntry");
}

static HRESULT WINAPI store_SetReceiveFolder(IMsgStore *iface, LPTSTR message_class, ULONG flags, ULONG size,
                                             ENTRYID *entry_id)
{
    return not_implemented("IMsgStore::SetReceiveFolder");
}

static HRESULT WINAPI store_GetReceiveFolder(IMsgStore *iface, LPTSTR message_class, ULONG flags, ULONG *size,
                                             ENTRYID **entry_id, LPTSTR *explicit_class)
{
    return not_implemented("IMsgStore::GetReceiveFolder");
}

static HRESULT WINAPI store_GetReceiveFolderTable(IMsgStore *iface, ULONG flags, IMAPITable **table)
{
    return not_implemented("IMsgStore::GetReceiveFolderTable");
}

/* The client logs the store off: MAPI's transports are told, with the client's flags (nothing is in flight in a
 * store that holds no messages). */
static HRESULT WINAPI store_StoreLogoff(IMsgStore *iface, ULONG *flags)
{
    struct store *store = impl_from_IMsgStore(iface);
    HRESULT hr;

    if (!flags) return MAPI_E_INVALID_PARAMETER;
    if (!store->support) return MAPI_E_INVALID_OBJECT;
    if (!store->transports_told) {
        if (FAILED(hr = IMAPISupport_StoreLogoffTransports(store->support, flags))) return hr;
        store->transports_told = TRUE;
    }
    *flags = 0;
    return S_OK;
}

static HRESULT WINAPI store_AbortSubmit(IMsgStore *iface, ULONG size, ENTRYID *entry_id, ULONG flags)
{
    return not_implemented("IMsgStore::AbortSubmit");
}

static HRESULT WINAPI store_GetOutgoingQueue(IMsgStore *iface, ULONG flags, IMAPITable **table)
{
    return not_implemented("IMsgStore::GetOutgoingQueue");
}

static HRESULT WINAPI store_SetLockState(IMsgStore *iface, IMessage *message, ULONG state)
{
    return not_implemented("IMsgStore::SetLockState");
}

static HRESULT WINAPI store_FinishedMsg(IMsgStore *iface, ULONG flags, ULONG size, ENTRYID *entry_id)
{
    return not_implemented("IMsgStore::FinishedMsg");
}

static HRESULT WINAPI store_NotifyNewMail(IMsgStore *iface, NOTIFICATION *notification)
{
    return not_implemented("IMsgStore::NotifyNewMail");
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

static inline struct store *impl_from_IMSLogon(IMSLogon *iface)
{
    return CONTAINING_RECORD(iface, struct store, IMSLogon_iface);
}

static HRESULT WINAPI logon_QueryInterface(IMSLogon *iface, REFIID riid, void **out)
{
    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMSLogon)) {
        *out = NULL;
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    }
    IMSLogon_AddRef(iface);
    *out = iface;
    return S_OK;
}

static ULONG WINAPI logon_AddRef(IMSLogon *iface)
{
    return InterlockedIncrement(&impl_from_IMSLogon(iface)->logon_refs);
}

static ULONG WINAPI logon_Release(IMSLogon *iface)
{
    struct store *store = impl_from_IMSLogon(iface);
    ULONG refcount = InterlockedDecrement(&store->logon_refs);

    if (refcount) return refcount;
    store_release_support(store); /* released without a Logoff (a host in trouble): as if it had come */
    store_free_if_unused(store);
    return 0;
}

static HRESULT WINAPI logon_GetLastError(IMSLogon *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    return store_GetLastError(&impl_from_IMSLogon(iface)->IMsgStore_iface, result, flags, error);
}

/* MAPI logs the store off: from the session's Logoff, or from inside the store's last Release. */
static HRESULT WINAPI logon_Logoff(IMSLogon *iface, ULONG *flags)
{
    store_release_support(impl_from_IMSLogon(iface));
    return S_OK;
}

static HRESULT WINAPI logon_OpenEntry(IMSLogon *iface, ULONG size, ENTRYID *entry_id, const IID *iid, ULONG flags,
                                      ULONG *type, IUnknown **out)
{
    return store_OpenEntry(&impl_from_IMSLogon(iface)->IMsgStore_iface, size, entry_id, iid, flags, type, out);
}

static HRESULT WINAPI logon_CompareEntryIDs(IMSLogon *iface, ULONG size1, ENTRYID *entry1, ULONG size2, ENTRYID *entry2,
                                            ULONG flags, ULONG *result)
{
    return not_implemented("IMSLogon::CompareEntryIDs");
}

static HRESULT WINAPI logon_Advise(IMSLogon *iface, ULONG size, ENTRYID *entry_id, ULONG mask, IMAPIAdviseSink *sink,
                                   ULONG_PTR *connection)
{
    return not_implemented("IMSLogon::Advise");
}

static HRESULT WINAPI logon_Unadvise(IMSLogon *iface, ULONG_PTR connection)
{
    return not_implemented("IMSLogon::Unadvise");
}

static HRESULT WINAPI logon_OpenStatusEntry(IMSLogon *iface, const IID *iid, ULONG flags, ULONG *type, void **out)
{
    return not_implemented("IMSLogon::OpenStatusEntry");
}

static const IMSLogonVtbl logon_vtbl = {
    logon_QueryInterface, logon_AddRef,          logon_Release, logon_GetLastError, logon_Logoff,
    logon_OpenEntry,      logon_CompareEntryIDs, logon_Advise,  logon_Unadvise,     logon_OpenStatusEntry,
};

static inline struct provider *impl_from_IMSProvider(IMSProvider *iface)
{
    return CONTAINING_RECORD(iface, struct provider, IMSProvider_iface);
}

static HRESULT WINAPI provider_QueryInterface(IMSProvider *iface, REFIID riid, void **out)
{
    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMSProvider)) {
        *out = NULL;
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    }
    IMSProvider_AddRef(iface);
    *out = iface;
    return S_OK;
}

static ULONG WINAPI provider_AddRef(IMSProvider *iface)
{
    return InterlockedIncrement(&impl_from_IMSProvider(iface)->refcount);
}

static ULONG WINAPI provider_Release(IMSProvider *iface)
{
    struct provider *provider = impl_from_IMSProvider(iface);
    ULONG refcount = InterlockedDecrement(&provider->refcount);

    if (!refcount) free(provider);
    return refcount;
}

/* MAPI calls Shutdown once every logon of this provider object is gone (H20). */
static HRESULT WINAPI provider_Shutdown(IMSProvider *iface, ULONG *flags)
{
    return S_OK; /* TODO: free what the provider object holds for all its logons */
}

/* A store and its logon over support: the client's (Logon) or the spooler's (SpoolerLogon). */
static HRESULT store_logon(IMAPISupport *support, BOOL spooler, IMSLogon **logon_out, IMsgStore **store_out)
{
    SPropValue row[4];
    struct store *store;
    HRESULT hr;

    if (!support || !logon_out || !store_out) return MAPI_E_INVALID_PARAMETER;
    *logon_out = NULL;
    *store_out = NULL;
    /* TODO: open the store's data, named in its profile section (IMAPISupport::OpenProfileSection with NULL). */
    if ((hr = IMAPISupport_SetProviderUID(support, (MAPIUID *)&myms_uid, 0)) != S_OK) return hr;
    if (!spooler) { /* the spooler's logon adds no status row of its own */
        row[0].ulPropTag = PR_DISPLAY_NAME_A;
        row[0].Value.lpszA = (char *)myms_name;
        row[1].ulPropTag = PR_PROVIDER_DISPLAY_A;
        row[1].Value.lpszA = (char *)myms_name;
        row[2].ulPropTag = PR_STATUS_CODE;
        row[2].Value.l = STATUS_AVAILABLE;
        row[3].ulPropTag = PR_RESOURCE_METHODS;
        row[3].Value.l = 0; /* no IMAPIStatus methods yet */
        if ((hr = IMAPISupport_ModifyStatusRow(support, ARRAYSIZE(row), row, 0)) != S_OK) return hr;
    }

    if (!(store = calloc(1, sizeof(*store)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    store->IMsgStore_iface.lpVtbl = &store_vtbl;
    store->IMSLogon_iface.lpVtbl = &logon_vtbl;
    store->store_refs = store->logon_refs = 1;
    store->support = support;
    IMAPISupport_AddRef(support);
    *logon_out = &store->IMSLogon_iface;
    *store_out = &store->IMsgStore_iface;
    return S_OK;
}

static HRESULT WINAPI provider_Logon(IMSProvider *iface, IMAPISupport *support, ULONG_PTR ui_param, LPTSTR profile_name,
                                     ULONG size, ENTRYID *entry_id, ULONG flags, const IID *iid, ULONG *security_size,
                                     BYTE **security, MAPIERROR **error, IMSLogon **logon, IMsgStore **store)
{
    if (security_size) *security_size = 0;
    if (security) *security = NULL;
    if (error) *error = NULL;
    return store_logon(support, FALSE, logon, store);
}

static HRESULT WINAPI provider_SpoolerLogon(IMSProvider *iface, IMAPISupport *support, ULONG_PTR ui_param,
                                            LPTSTR profile_name, ULONG size, ENTRYID *entry_id, ULONG flags,
                                            const IID *iid, ULONG security_size, BYTE *security, MAPIERROR **error,
                                            IMSLogon **logon, IMsgStore **store)
{
    if (error) *error = NULL;
    return store_logon(support, TRUE, logon, store);
}

/* Whether two entry IDs name the same store. TODO: compare what identifies your store's data, not the bytes. */
static HRESULT WINAPI provider_CompareStoreIDs(IMSProvider *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
                                               ENTRYID *entry2, ULONG flags, ULONG *result)
{
    if (!result || (size1 && !entry1) || (size2 && !entry2)) return MAPI_E_INVALID_PARAMETER;
    *result = size1 == size2 && (!size1 || !memcmp(entry1, entry2, size1));
    return S_OK;
}

static const IMSProviderVtbl provider_vtbl = {
    provider_QueryInterface, provider_AddRef,       provider_Release,         provider_Shutdown,
    provider_Logon,          provider_SpoolerLogon, provider_CompareStoreIDs,
};

/* The entry point MAPI calls after LoadLibrary; myms.def exports it undecorated. */
HRESULT STDMAPIINITCALLTYPE MSProviderInit(HINSTANCE instance, LPMALLOC malloc, LPALLOCATEBUFFER allocate,
                                           LPALLOCATEMORE more, LPFREEBUFFER free_function, ULONG flags,
                                           ULONG mapi_version, ULONG *provider_version, LPMSPROVIDER *out)
{
    struct provider *provider;

    if (!provider_version || !out) return MAPI_E_INVALID_PARAMETER;
    *provider_version = CURRENT_SPI_VERSION;
    if (mapi_version < CURRENT_SPI_VERSION) return MAPI_E_VERSION;
    allocate_buffer = allocate;
    allocate_more = more;
    free_buffer = free_function;

    if (!(provider = calloc(1, sizeof(*provider)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    provider->IMSProvider_iface.lpVtbl = &provider_vtbl;
    provider->refcount = 1;
    *out = &provider->IMSProvider_iface;
    return S_OK;
}
