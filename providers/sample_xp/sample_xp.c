/*
 * The sample transport (spec §1C step 14, §1F, §2.9, §2.10), built only against mapihost's published headers.
 *
 * TransportLogon adds the status row every transport must have, keeps the support object and its logon's MAPIUID.
 * AddressTypes answers one address type, "SAMPLE", and that MAPIUID; the arrays stay the logon's until
 * TransportLogoff (E29). TransportNotify turns inbound and outbound traffic on and off and mirrors it in the status
 * row's PR_STATUS_CODE. TransportLogoff invalidates the logon (MakeInvalid), frees the arrays, releases the status
 * object and then, last, the support object. RegisterOptions, Idle, SubmitMessage, EndMessage, Poll, StartMessage,
 * ValidateState and FlushQueues return MAPI_E_NO_SUPPORT: the sample carries no mail.
 */
#include <stdlib.h>
#include <string.h>

#include "sample.h"

#define XP_LOGON_METHODS 15 /* IXPLogon's vtable: IUnknown 3, IXPLogon 12 */

struct xp_provider {
    IXPProvider IXPProvider_iface;
    struct sample_provider base;
};

struct xp_logon {
    IXPLogon IXPLogon_iface;
    LONG refcount;
    struct xp_provider *provider;
    IMAPISupport *support; /* ours until TransportLogoff */
    IMAPIStatus *status;
    struct propbag status_row;
    ULONG status_code;
    MAPIUID uid;
    MAPIUID *uids[1]; /* AddressTypes' arrays, valid until TransportLogoff */
    LPTSTR types[1];
    struct sample_config config;
    BOOL logged_off;
};

static inline struct xp_logon *impl_from_IXPLogon(IXPLogon *iface)
{
    return CONTAINING_RECORD(iface, struct xp_logon, IXPLogon_iface);
}

static HRESULT WINAPI logon_QueryInterface(IXPLogon *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IXPLogon, NULL };

    return sample_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI logon_AddRef(IXPLogon *iface)
{
    return InterlockedIncrement(&impl_from_IXPLogon(iface)->refcount);
}

/* TransportLogoff's work; a final Release without it does it too (releasing-the-transport-provider.md, E22). */
static void logoff(struct xp_logon *logon)
{
    IMAPISupport *support = logon->support;

    if (logon->logged_off) return;
    logon->logged_off = TRUE;
    logon->types[0] = NULL;
    logon->uids[0] = NULL;
    if (logon->status) IMAPIStatus_Release(logon->status);
    logon->status = NULL;
    /* The support object goes last: its Release may take the provider object with it (E1). */
    logon->support = NULL;
    if (!sample_fault(logon->config.faults, "keep-support")) IMAPISupport_Release(support);
    sample_trace("%s: %ld objects of the DLL still alive", logon->config.display_name, sample_live_objects());
}

static ULONG WINAPI logon_Release(IXPLogon *iface)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);
    ULONG refcount = InterlockedDecrement(&logon->refcount);

    sample_trace("IXPLogon::Release -> %lu", refcount);
    if (!refcount) {
        logoff(logon);
        InterlockedDecrement(&logon->provider->base.logons);
        propbag_free(&logon->status_row);
        free(logon);
        sample_object_destroyed();
    }
    return refcount;
}

static HRESULT WINAPI logon_AddressTypes(IXPLogon *iface, ULONG *flags, ULONG *type_count, LPTSTR **types,
                                         ULONG *uid_count, MAPIUID ***uids)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);

    sample_trace("IXPLogon::AddressTypes");
    if (!flags || !type_count || !types || !uid_count || !uids) return MAPI_E_INVALID_PARAMETER;
    if (logon->logged_off) return MAPI_E_INVALID_OBJECT;
    logon->types[0] = "SAMPLE";
    logon->uids[0] = &logon->uid;
    *flags = 0; /* MultiByte strings */
    *type_count = 1;
    *types = logon->types;
    *uid_count = 1;
    *uids = logon->uids;
    return S_OK;
}

static HRESULT WINAPI logon_RegisterOptions(IXPLogon *iface, ULONG *flags, ULONG *count, OPTIONDATA **options)
{
    return MAPI_E_NO_SUPPORT;
}

/* Traffic on and off, mirrored in the status row. The flags go back unchanged, as the spooler requires. */
static HRESULT WINAPI logon_TransportNotify(IXPLogon *iface, ULONG *flags, void **data)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);
    SPropValue code;

    sample_trace("IXPLogon::TransportNotify(%#lx)", flags ? *flags : 0);
    if (!flags) return MAPI_E_INVALID_PARAMETER;
    if (logon->logged_off) return MAPI_E_INVALID_OBJECT;
    if (*flags & NOTIFY_BEGIN_INBOUND) logon->status_code |= STATUS_INBOUND_ENABLED;
    if (*flags & NOTIFY_BEGIN_OUTBOUND) logon->status_code |= STATUS_OUTBOUND_ENABLED;
    if (*flags & NOTIFY_END_INBOUND) logon->status_code &= ~STATUS_INBOUND_ENABLED;
    if (*flags & NOTIFY_END_OUTBOUND) logon->status_code &= ~STATUS_OUTBOUND_ENABLED;
    code.ulPropTag = PR_STATUS_CODE;
    code.Value.l = logon->status_code;
    IMAPISupport_ModifyStatusRow(logon->support, 1, &code, STATUSROW_UPDATE);
    if (sample_fault(logon->config.faults, "change-notify-flags")) *flags = 0;
    return S_OK;
}

static HRESULT WINAPI logon_Idle(IXPLogon *iface, ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_TransportLogoff(IXPLogon *iface, ULONG flags)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);

    sample_trace("IXPLogon::TransportLogoff(%lu)", flags);
    if (logon->logged_off) return S_OK;
    /* From here only QueryInterface, AddRef and Release work on the logon (ixplogon-transportlogoff.md). */
    IMAPISupport_MakeInvalid(logon->support, 0, &logon->IXPLogon_iface, logon->refcount, XP_LOGON_METHODS);
    logoff(logon);
    return S_OK;
}

static HRESULT WINAPI logon_SubmitMessage(IXPLogon *iface, ULONG flags, IMessage *message, ULONG_PTR *reference,
                                          ULONG_PTR *result)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_EndMessage(IXPLogon *iface, ULONG_PTR reference, ULONG *flags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_Poll(IXPLogon *iface, ULONG *incoming)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_StartMessage(IXPLogon *iface, ULONG flags, IMessage *message, ULONG_PTR *reference)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_OpenStatusEntry(IXPLogon *iface, const IID *iid, ULONG flags, ULONG *type,
                                            IMAPIStatus **out)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);

    sample_trace("IXPLogon::OpenStatusEntry");
    return sample_open_status_entry(&logon->status, &logon->status_row, logon->logged_off, type, (void **)out);
}

static HRESULT WINAPI logon_ValidateState(IXPLogon *iface, ULONG_PTR ui_param, ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_FlushQueues(IXPLogon *iface, ULONG_PTR ui_param, ULONG size, ENTRYID *target, ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

static const IXPLogonVtbl logon_vtbl = {
    logon_QueryInterface,  logon_AddRef,          logon_Release,     logon_AddressTypes,
    logon_RegisterOptions, logon_TransportNotify, logon_Idle,        logon_TransportLogoff,
    logon_SubmitMessage,   logon_EndMessage,      logon_Poll,        logon_StartMessage,
    logon_OpenStatusEntry, logon_ValidateState,   logon_FlushQueues,
};

static inline struct xp_provider *impl_from_IXPProvider(IXPProvider *iface)
{
    return CONTAINING_RECORD(iface, struct xp_provider, IXPProvider_iface);
}

static HRESULT WINAPI provider_QueryInterface(IXPProvider *iface, REFIID riid, void **out)
{
    return sample_provider_query_interface(&impl_from_IXPProvider(iface)->base, riid, out, &IID_IXPProvider);
}

static ULONG WINAPI provider_AddRef(IXPProvider *iface)
{
    return InterlockedIncrement(&impl_from_IXPProvider(iface)->base.refcount);
}

static ULONG WINAPI provider_Release(IXPProvider *iface)
{
    struct xp_provider *provider = impl_from_IXPProvider(iface);

    return sample_provider_release(&provider->base, provider);
}

static HRESULT WINAPI provider_Shutdown(IXPProvider *iface, ULONG *flags)
{
    return sample_provider_shutdown(&impl_from_IXPProvider(iface)->base, flags);
}

static HRESULT add_status_row(struct xp_logon *logon, IMAPISupport *support)
{
    logon->status_code = STATUS_AVAILABLE;
    return sample_add_status_row(support, &logon->status_row, logon->config.display_name, "mapihost sample transport",
                                 logon->status_code, 0, 0, NULL);
}

static HRESULT WINAPI provider_TransportLogon(IXPProvider *iface, IMAPISupport *support, ULONG_PTR ui_param,
                                              LPTSTR profile_name, ULONG *flags, MAPIERROR **error, IXPLogon **out)
{
    struct xp_provider *provider = impl_from_IXPProvider(iface);
    struct xp_logon *logon;
    HRESULT hr;

    sample_trace("IXPProvider::TransportLogon(flags %#lx)", flags ? *flags : 0);
    if (!support || !flags || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (error) *error = NULL;
    if (!(logon = calloc(1, sizeof(*logon)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr = sample_read_config(support, &logon->config))) goto fail;
    if (sample_fault(logon->config.faults, "fail-one"))
        hr = MAPI_E_FAILONEPROVIDER;
    else if (sample_fault(logon->config.faults, "fail-logon"))
        hr = MAPI_E_LOGON_FAILED;
    if (FAILED(hr) || FAILED(hr = IMAPISupport_NewUID(support, &logon->uid))) goto fail;
    if (!sample_fault(logon->config.faults, "no-status-row") && FAILED(hr = add_status_row(logon, support))) goto fail;
    if (!sample_fault(logon->config.faults, "no-addref")) IMAPISupport_AddRef(support);
    logon->support = support;
    logon->IXPLogon_iface.lpVtbl = &logon_vtbl;
    logon->refcount = sample_fault(logon->config.faults, "leak-logon") ? 2 : 1;
    logon->provider = provider;
    sample_provider_logon_added(&provider->base, &logon->config);
    sample_object_created();
    *flags = 0; /* neither Idle nor Poll wanted */
    *out = &logon->IXPLogon_iface;
    return S_OK;
fail:
    propbag_free(&logon->status_row);
    free(logon);
    return hr;
}

static const IXPProviderVtbl provider_vtbl = {
    provider_QueryInterface, provider_AddRef, provider_Release, provider_Shutdown, provider_TransportLogon,
};

HRESULT STDMAPIINITCALLTYPE XPProviderInit(HINSTANCE instance, LPMALLOC malloc, LPALLOCATEBUFFER allocate_buffer,
                                           LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer, ULONG flags,
                                           ULONG mapi_version, ULONG *provider_version, IXPProvider **out)
{
    struct xp_provider *provider;
    HRESULT hr;

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (FAILED(hr = sample_init("XPProviderInit", mapi_version, provider_version, allocate_buffer, allocate_more,
                                free_buffer)))
        return hr;
    if (!(provider = calloc(1, sizeof(*provider)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    provider->IXPProvider_iface.lpVtbl = &provider_vtbl;
    sample_provider_init(&provider->base, "IXPProvider", (IUnknown *)&provider->IXPProvider_iface, NULL);
    *out = &provider->IXPProvider_iface;
    return S_OK;
}
