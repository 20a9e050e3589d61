/*
 * A transport provider to start from. Copy this folder, rename "myxp" everywhere (files, CMakeLists.txt, myxp.def),
 * give it a MAPIUID and an address type of its own, and fill in what the TODOs say. As it stands it passes mapicheck:
 *
 * - XPProviderInit checks MAPI's SPI version and keeps the allocators MAPI hands over (rule H3);
 * - TransportLogon adds the status row every transport must have (ModifyStatusRow) and keeps the support object
 *   (H7); AddressTypes names the address type and MAPIUID whose mail the spooler gives it;
 * - TransportNotify turns traffic on and off and hands the flags back unchanged;
 * - TransportLogoff releases the support object (H12); MAPI removes the status row itself (H14);
 * - MAPI calls Release on the logon, then Shutdown and Release on the provider (H15, H20, H22).
 *
 * It moves no mail yet: SubmitMessage says it is not implemented, so the spooler reports the recipients
 * undeliverable, and Poll never has mail. Every method the template does not implement is a real function that says
 * so in the debugger output and returns MAPI_E_NO_SUPPORT. The rule IDs are explained in
 * share/doc/mapihost/rules.md, the spooler's calls in share/doc/mapihost/spooler.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

#include "mapihost_spi.h"

/* TODO: a MAPIUID of your own (uuidgen) and your address type: the spooler hands this transport the recipients
 * of this type, and entry IDs that begin with this MAPIUID. */
static const MAPIUID myxp_uid = { { 0x6d, 0x79, 0x78, 0x70, 0x2d, 0x74, 0x65, 0x6d, 0x70, 0x6c, 0x61, 0x74, 0x65, 0x2d,
                                    0x30, 0x31 } };
#define MYXP_ADDRESS_TYPE "MYXP"

/* The allocators MAPI hands to XPProviderInit: whatever the provider returns to MAPI is allocated with them. */
static LPALLOCATEBUFFER allocate_buffer;
static LPALLOCATEMORE allocate_more;
static LPFREEBUFFER free_buffer;

static HRESULT not_implemented(const char *method)
{
    char line[128];

    snprintf(line, sizeof(line), "myxp: %s is not implemented (MAPI_E_NO_SUPPORT)\n", method);
    OutputDebugStringA(line);
    return MAPI_E_NO_SUPPORT;
}

struct logon {
    IXPLogon IXPLogon_iface;
    LONG refcount;
    IMAPISupport *support; /* kept from TransportLogon to TransportLogoff */
    ULONG status_code;     /* the status row's PR_STATUS_CODE */
    LPTSTR types[1];       /* AddressTypes' arrays, valid until TransportLogoff */
    MAPIUID *uids[1];
};

struct provider {
    IXPProvider IXPProvider_iface;
    LONG refcount;
};

static inline struct logon *impl_from_IXPLogon(IXPLogon *iface)
{
    return CONTAINING_RECORD(iface, struct logon, IXPLogon_iface);
}

static HRESULT WINAPI logon_QueryInterface(IXPLogon *iface, REFIID riid, void **out)
{
    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IXPLogon)) {
        *out = NULL;
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    }
    IXPLogon_AddRef(iface);
    *out = iface;
    return S_OK;
}

static ULONG WINAPI logon_AddRef(IXPLogon *iface)
{
    return InterlockedIncrement(&impl_from_IXPLogon(iface)->refcount);
}

static ULONG WINAPI logon_Release(IXPLogon *iface)
{
    struct logon *logon = impl_from_IXPLogon(iface);
    ULONG refcount = InterlockedDecrement(&logon->refcount);

    if (!refcount) {
        /* Released without a TransportLogoff (a host in trouble): let the support object go all the same. */
        if (logon->support) IMAPISupport_Release(logon->support);
        free(logon);
    }
    return refcount;
}

static HRESULT WINAPI logon_AddressTypes(IXPLogon *iface, ULONG *flags, ULONG *type_count, LPTSTR **types,
                                         ULONG *uid_count, MAPIUID ***uids)
{
    struct logon *logon = impl_from_IXPLogon(iface);

    if (!flags || !type_count || !types || !uid_count || !uids) return MAPI_E_INVALID_PARAMETER;
    logon->types[0] = (LPTSTR)MYXP_ADDRESS_TYPE;
    logon->uids[0] = (MAPIUID *)&myxp_uid;
    *flags = 0; /* the address types are 8-bit strings */
    *type_count = 1;
    *types = logon->types;
    *uid_count = 1;
    *uids = logon->uids;
    return S_OK;
}

static HRESULT WINAPI logon_RegisterOptions(IXPLogon *iface, ULONG *flags, ULONG *count, OPTIONDATA **options)
{
    return not_implemented("IXPLogon::RegisterOptions");
}

/* Traffic on and off, mirrored in the status row. The flags go back unchanged, as the spooler requires. */
static HRESULT WINAPI logon_TransportNotify(IXPLogon *iface, ULONG *flags, void **data)
{
    struct logon *logon = impl_from_IXPLogon(iface);
    SPropValue code;

    if (!flags) return MAPI_E_INVALID_PARAMETER;
    if (*flags & NOTIFY_BEGIN_INBOUND) logon->status_code |= STATUS_INBOUND_ENABLED;
    if (*flags & NOTIFY_BEGIN_OUTBOUND) logon->status_code |= STATUS_OUTBOUND_ENABLED;
    if (*flags & NOTIFY_END_INBOUND) logon->status_code &= ~STATUS_INBOUND_ENABLED;
    if (*flags & NOTIFY_END_OUTBOUND) logon->status_code &= ~STATUS_OUTBOUND_ENABLED;
    /* TODO: NOTIFY_ABORT_DEFERRED and NOTIFY_CANCEL_MESSAGE, once SubmitMessage can defer. */
    code.ulPropTag = PR_STATUS_CODE;
    code.Value.l = logon->status_code;
    return IMAPISupport_ModifyStatusRow(logon->support, 1, &code, STATUSROW_UPDATE);
}

static HRESULT WINAPI logon_Idle(IXPLogon *iface, ULONG flags)
{
    return S_OK; /* TODO: background work, if TransportLogon asks for LOGON_SP_IDLE */
}

/* The provider's objects go here, and the support object last (H12). */
static HRESULT WINAPI logon_TransportLogoff(IXPLogon *iface, ULONG flags)
{
    struct logon *logon = impl_from_IXPLogon(iface);

    /* TODO: close connections, release every object this logon still holds. */
    if (logon->support) IMAPISupport_Release(logon->support);
    logon->support = NULL;
    return S_OK;
}

/* TODO: send the message to the recipients of MYXP_ADDRESS_TYPE that are this transport's (PR_RESPONSIBILITY FALSE),
 * set PR_RESPONSIBILITY on each, and report any undeliverable through IMAPISupport::StatusRecips. */
static HRESULT WINAPI logon_SubmitMessage(IXPLogon *iface, ULONG flags, IMessage *message, ULONG_PTR *reference,
                                          ULONG_PTR *return_parameter)
{
    return not_implemented("IXPLogon::SubmitMessage");
}

static HRESULT WINAPI logon_EndMessage(IXPLogon *iface, ULONG_PTR reference, ULONG *flags)
{
    if (!flags) return MAPI_E_INVALID_PARAMETER;
    *flags = 0; /* done with the message SubmitMessage or StartMessage had */
    return S_OK;
}

/* Called when TransportLogon asks for LOGON_SP_POLL: whether mail waits to be received. */
static HRESULT WINAPI logon_Poll(IXPLogon *iface, ULONG *incoming)
{
    if (!incoming) return MAPI_E_INVALID_PARAMETER;
    *incoming = 0; /* TODO: look for incoming mail */
    return S_OK;
}

/* TODO: fill the new message with the mail Poll found, and SaveChanges it. */
static HRESULT WINAPI logon_StartMessage(IXPLogon *iface, ULONG flags, IMessage *message, ULONG_PTR *reference)
{
    return not_implemented("IXPLogon::StartMessage");
}

static HRESULT WINAPI logon_OpenStatusEntry(IXPLogon *iface, const IID *iid, ULONG flags, ULONG *type,
                                            IMAPIStatus **out)
{
    return not_implemented("IXPLogon::OpenStatusEntry");
}

static HRESULT WINAPI logon_ValidateState(IXPLogon *iface, ULONG_PTR ui_param, ULONG flags)
{
    return not_implemented("IXPLogon::ValidateState");
}

/* Nothing waits inside this transport, so there is nothing to flush. */
static HRESULT WINAPI logon_FlushQueues(IXPLogon *iface, ULONG_PTR ui_param, ULONG size, ENTRYID *target, ULONG flags)
{
    return S_OK;
}

static const IXPLogonVtbl logon_vtbl = {
    logon_QueryInterface,  logon_AddRef,          logon_Release,     logon_AddressTypes,
    logon_RegisterOptions, logon_TransportNotify, logon_Idle,        logon_TransportLogoff,
    logon_SubmitMessage,   logon_EndMessage,      logon_Poll,        logon_StartMessage,
    logon_OpenStatusEntry, logon_ValidateState,   logon_FlushQueues,
};

static inline struct provider *impl_from_IXPProvider(IXPProvider *iface)
{
    return CONTAINING_RECORD(iface, struct provider, IXPProvider_iface);
}

static HRESULT WINAPI provider_QueryInterface(IXPProvider *iface, REFIID riid, void **out)
{
    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IXPProvider)) {
        *out = NULL;
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    }
    IXPProvider_AddRef(iface);
    *out = iface;
    return S_OK;
}

static ULONG WINAPI provider_AddRef(IXPProvider *iface)
{
    return InterlockedIncrement(&impl_from_IXPProvider(iface)->refcount);
}

static ULONG WINAPI provider_Release(IXPProvider *iface)
{
    struct provider *provider = impl_from_IXPProvider(iface);
    ULONG refcount = InterlockedDecrement(&provider->refcount);

    if (!refcount) free(provider);
    return refcount;
}

/* MAPI calls Shutdown once every logon of this provider object is gone (H20). */
static HRESULT WINAPI provider_Shutdown(IXPProvider *iface, ULONG *flags)
{
    return S_OK; /* TODO: free what the provider object holds for all its logons */
}

static HRESULT WINAPI provider_TransportLogon(IXPProvider *iface, IMAPISupport *support, ULONG_PTR ui_param,
                                              LPTSTR profile_name, ULONG *flags, MAPIERROR **error, IXPLogon **out)
{
    SPropValue row[4];
    struct logon *logon;
    HRESULT hr;

    if (error) *error = NULL;
    if (!support || !flags || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    /* TODO: read the transport's settings from its profile section (IMAPISupport::OpenProfileSection with NULL). */
    row[0].ulPropTag = PR_DISPLAY_NAME_A;
    row[0].Value.lpszA = (char *)"My transport"; /* TODO: your transport's name */
    row[1].ulPropTag = PR_PROVIDER_DISPLAY_A;
    row[1].Value.lpszA = (char *)"My transport";
    row[2].ulPropTag = PR_STATUS_CODE;
    row[2].Value.l = STATUS_AVAILABLE;
    row[3].ulPropTag = PR_RESOURCE_METHODS;
    row[3].Value.l = 0; /* no IMAPIStatus methods yet */
    if ((hr = IMAPISupport_ModifyStatusRow(support, ARRAYSIZE(row), row, 0)) != S_OK) return hr;

    if (!(logon = calloc(1, sizeof(*logon)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    logon->IXPLogon_iface.lpVtbl = &logon_vtbl;
    logon->refcount = 1;
    logon->status_code = STATUS_AVAILABLE;
    logon->support = support;
    IMAPISupport_AddRef(support);
    *flags = 0; /* TODO: LOGON_SP_POLL to be asked for mail, LOGON_SP_IDLE for idle time */
    *out = &logon->IXPLogon_iface;
    return S_OK;
}

static const IXPProviderVtbl provider_vtbl = {
    provider_QueryInterface, provider_AddRef, provider_Release, provider_Shutdown, provider_TransportLogon,
};

/* The entry point MAPI calls after LoadLibrary; myxp.def exports it undecorated. */
HRESULT STDMAPIINITCALLTYPE XPProviderInit(HINSTANCE instance, LPMALLOC malloc, LPALLOCATEBUFFER allocate,
                                           LPALLOCATEMORE more, LPFREEBUFFER free_function, ULONG flags,
                                           ULONG mapi_version, ULONG *provider_version, LPXPPROVIDER *out)
{
    struct provider *provider;

    if (!provider_version || !out) return MAPI_E_INVALID_PARAMETER;
    *provider_version = CURRENT_SPI_VERSION;
    if (mapi_version < CURRENT_SPI_VERSION) return MAPI_E_VERSION;
    allocate_buffer = allocate;
    allocate_more = more;
    free_buffer = free_function;

    if (!(provider = calloc(1, sizeof(*provider)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    provider->IXPProvider_iface.lpVtbl = &provider_vtbl;
    provider->refcount = 1;
    *out = &provider->IXPProvider_iface;
    return S_OK;
}
