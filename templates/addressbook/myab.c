/*
 * An address-book provider to start from. Copy this folder, rename "myab" everywhere (files, CMakeLists.txt,
 * myab.def), give it a MAPIUID of its own, and fill in what the TODOs say. As it stands it passes mapicheck:
 *
 * - ABProviderInit checks MAPI's SPI version and keeps the allocators MAPI hands over (rule H3);
 * - Logon registers the provider's MAPIUID (SetProviderUID) and a status row (ModifyStatusRow), and keeps the support
 *   object, which keeps the DLL loaded while the logon lives (H7);
 * - Logoff releases the support object (H12); MAPI removes the MAPIUID and the status row itself (H13, H14);
 * - MAPI calls Release on the logon, then Shutdown and Release on the provider (H15, H20, H22).
 *
 * Every method the template does not implement is a real function that says so in the debugger output and returns
 * MAPI_E_NO_SUPPORT. The rule IDs are explained in share/doc/mapihost/rules.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

#include "mapihost_spi.h"

/* TODO: a MAPIUID of your own (uuidgen), fixed for good: it begins every entry ID this provider makes, and MAPI
 * sends the entry IDs that begin with it to this provider (H9). */
static const MAPIUID myab_uid = { { 0x6d, 0x79, 0x61, 0x62, 0x2d, 0x74, 0x65, 0x6d, 0x70, 0x6c, 0x61, 0x74, 0x65, 0x2d,
                                    0x30, 0x31 } };

/* The allocators MAPI hands to ABProviderInit: whatever the provider returns to MAPI is allocated with them. */
static LPALLOCATEBUFFER allocate_buffer;
static LPALLOCATEMORE allocate_more;
static LPFREEBUFFER free_buffer;

static HRESULT not_implemented(const char *method)
{
    char line[128];

    snprintf(line, sizeof(line), "myab: %s is not implemented (MAPI_E_NO_SUPPORT)\n", method);
    OutputDebugStringA(line);
    return MAPI_E_NO_SUPPORT;
}

struct logon {
    IABLogon IABLogon_iface;
    LONG refcount;
    IMAPISupport *support; /* kept from Logon to Logoff */
};

struct provider {
    IABProvider IABProvider_iface;
    LONG refcount;
};

static inline struct logon *impl_from_IABLogon(IABLogon *iface)
{
    return CONTAINING_RECORD(iface, struct logon, IABLogon_iface);
}

static HRESULT WINAPI logon_QueryInterface(IABLogon *iface, REFIID riid, void **out)
{
    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IABLogon)) {
        *out = NULL;
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    }
    IABLogon_AddRef(iface);
    *out = iface;
    return S_OK;
}

static ULONG WINAPI logon_AddRef(IABLogon *iface)
{
    return InterlockedIncrement(&impl_from_IABLogon(iface)->refcount);
}

static ULONG WINAPI logon_Release(IABLogon *iface)
{
    struct logon *logon = impl_from_IABLogon(iface);
    ULONG refcount = InterlockedDecrement(&logon->refcount);

    if (!refcount) {
        /* Released without a Logoff (a host in trouble): let the support object go all the same. */
        if (logon->support) IMAPISupport_Release(logon->support);
        free(logon);
    }
    return refcount;
}

static HRESULT WINAPI logon_GetLastError(IABLogon *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL; /* TODO: describe the last error in a MAPIERROR allocated with allocate_buffer */
    return S_OK;
}

/* The provider's objects go here, and the support object last (H12). */
static HRESULT WINAPI logon_Logoff(IABLogon *iface, ULONG flags)
{
    struct logon *logon = impl_from_IABLogon(iface);

    /* TODO: release every object this logon still holds: open containers, tables, the status object. */
    if (logon->support) IMAPISupport_Release(logon->support);
    logon->support = NULL;
    return S_OK;
}

/* TODO: no entry ID opens the provider's root container; an entry ID beginning with myab_uid one of its entries. */
static HRESULT WINAPI logon_OpenEntry(IABLogon *iface, ULONG size, ENTRYID *entry_id, const IID *iid, ULONG flags,
                                      ULONG *type, IUnknown **out)
{
    return not_implemented("IABLogon::OpenEntry");
}

static HRESULT WINAPI logon_CompareEntryIDs(IABLogon *iface, ULONG size1, ENTRYID *entry1, ULONG size2, ENTRYID *entry2,
                                            ULONG flags, ULONG *result)
{
    return not_implemented("IABLogon::CompareEntryIDs");
}

static HRESULT WINAPI logon_Advise(IABLogon *iface, ULONG size, ENTRYID *entry_id, ULONG mask, IMAPIAdviseSink *sink,
                                   ULONG_PTR *connection)
{
    return not_implemented("IABLogon::Advise");
}

static HRESULT WINAPI logon_Unadvise(IABLogon *iface, ULONG_PTR connection)
{
    return not_implemented("IABLogon::Unadvise");
}

static HRESULT WINAPI logon_OpenStatusEntry(IABLogon *iface, const IID *iid, ULONG flags, ULONG *type,
                                            IMAPIStatus **out)
{
    return not_implemented("IABLogon::OpenStatusEntry");
}

static HRESULT WINAPI logon_OpenTemplateID(IABLogon *iface, ULONG size, ENTRYID *template_id, ULONG template_flags,
                                           IMAPIProp *data, const IID *iid, IMAPIProp **out, IMAPIProp *sibling)
{
    return not_implemented("IABLogon::OpenTemplateID");
}

static HRESULT WINAPI logon_GetOneOffTable(IABLogon *iface, ULONG flags, IMAPITable **table)
{
    return not_implemented("IABLogon::GetOneOffTable");
}

static HRESULT WINAPI logon_PrepareRecips(IABLogon *iface, ULONG flags, SPropTagArray *tags, ADRLIST *recipients)
{
    return not_implemented("IABLogon::PrepareRecips");
}

static const IABLogonVtbl logon_vtbl = {
    logon_QueryInterface, logon_AddRef,          logon_Release,       logon_GetLastError, logon_Logoff,
    logon_OpenEntry,      logon_CompareEntryIDs, logon_Advise,        logon_Unadvise,     logon_OpenStatusEntry,
    logon_OpenTemplateID, logon_GetOneOffTable,  logon_PrepareRecips,
};

static inline struct provider *impl_from_IABProvider(IABProvider *iface)
{
    return CONTAINING_RECORD(iface, struct provider, IABProvider_iface);
}

static HRESULT WINAPI provider_QueryInterface(IABProvider *iface, REFIID riid, void **out)
{
    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IABProvider)) {
        *out = NULL;
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    }
    IABProvider_AddRef(iface);
    *out = iface;
    return S_OK;
}

static ULONG WINAPI provider_AddRef(IABProvider *iface)
{
    return InterlockedIncrement(&impl_from_IABProvider(iface)->refcount);
}

static ULONG WINAPI provider_Release(IABProvider *iface)
{
    struct provider *provider = impl_from_IABProvider(iface);
    ULONG refcount = InterlockedDecrement(&provider->refcount);

    if (!refcount) free(provider);
    return refcount;
}

/* MAPI calls Shutdown once every logon of this provider object is gone (H20). */
static HRESULT WINAPI provider_Shutdown(IABProvider *iface, ULONG *flags)
{
    /* TODO: free what the provider object holds for all its logons. */
    return S_OK;
}

static HRESULT WINAPI provider_Logon(IABProvider *iface, IMAPISupport *support, ULONG_PTR ui_param, LPTSTR profile_name,
                                     ULONG flags, ULONG *security_size, BYTE **security, MAPIERROR **error,
                                     IABLogon **out)
{
    SPropValue row[4];
    struct logon *logon;
    HRESULT hr;

    if (error) *error = NULL;
    if (!support || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    /* TODO: read the provider's settings from its profile section (IMAPISupport::OpenProfileSection with NULL). */
    if ((hr = IMAPISupport_SetProviderUID(support, (MAPIUID *)&myab_uid, 0)) != S_OK) return hr;

    row[0].ulPropTag = PR_DISPLAY_NAME_A;
    row[0].Value.lpszA = (char *)"My address book"; /* TODO: your provider's name */
    row[1].ulPropTag = PR_PROVIDER_DISPLAY_A;
    row[1].Value.lpszA = (char *)"My address book";
    row[2].ulPropTag = PR_STATUS_CODE;
    row[2].Value.l = STATUS_AVAILABLE;
    row[3].ulPropTag = PR_RESOURCE_METHODS;
    row[3].Value.l = 0; /* no IMAPIStatus methods yet */
    if ((hr = IMAPISupport_ModifyStatusRow(support, ARRAYSIZE(row), row, 0)) != S_OK) return hr;

    if (!(logon = calloc(1, sizeof(*logon)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    logon->IABLogon_iface.lpVtbl = &logon_vtbl;
    logon->refcount = 1;
    logon->support = support;
    IMAPISupport_AddRef(support);
    *out = &logon->IABLogon_iface;
    return S_OK;
}

static const IABProviderVtbl provider_vtbl = {
    provider_QueryInterface, provider_AddRef, provider_Release, provider_Shutdown, provider_Logon,
};

/* The entry point MAPI calls after LoadLibrary; myab.def exports it undecorated. */
HRESULT STDMAPIINITCALLTYPE ABProviderInit(HINSTANCE instance, LPMALLOC malloc, LPALLOCATEBUFFER allocate,
                                           LPALLOCATEMORE more, LPFREEBUFFER free_function, ULONG flags,
                                           ULONG mapi_version, ULONG *provider_version, LPABPROVIDER *out)
{
    struct provider *provider;

    if (!provider_version || !out) return MAPI_E_INVALID_PARAMETER;
    *provider_version = CURRENT_SPI_VERSION;
    if (mapi_version < CURRENT_SPI_VERSION) return MAPI_E_VERSION;
    allocate_buffer = allocate;
    allocate_more = more;
    free_buffer = free_function;

    if (!(provider = calloc(1, sizeof(*provider)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    provider->IABProvider_iface.lpVtbl = &provider_vtbl;
    provider->refcount = 1;
    *out = &provider->IABProvider_iface;
    return S_OK;
}
