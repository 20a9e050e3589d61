/*
 * The sample address-book provider: IABProvider, built only against mapihost's published headers.
 */
#include <windows.h>

#include "mapihost_spi.h"

struct provider {
    IABProvider IABProvider_iface;
    LONG refcount;
};

static inline struct provider *impl_from_IABProvider(IABProvider *iface)
{
    return CONTAINING_RECORD(iface, struct provider, IABProvider_iface);
}

static HRESULT WINAPI provider_QueryInterface(IABProvider *iface, REFIID riid, void **out)
{
    if (!out) return E_INVALIDARG;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IABProvider)) {
        *out = iface;
        IABProvider_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI provider_AddRef(IABProvider *iface)
{
    return InterlockedIncrement(&impl_from_IABProvider(iface)->refcount);
}

static ULONG WINAPI provider_Release(IABProvider *iface)
{
    struct provider *provider = impl_from_IABProvider(iface);
    ULONG refcount = InterlockedDecrement(&provider->refcount);

    if (!refcount) HeapFree(GetProcessHeap(), 0, provider);
    return refcount;
}

static HRESULT WINAPI provider_Shutdown(IABProvider *iface, ULONG *flags)
{
    return S_OK;
}

static HRESULT WINAPI provider_Logon(IABProvider *iface, IMAPISupport *support, ULONG_PTR ui_param,
                                     LPTSTR profile_name, ULONG flags, ULONG *security_size, BYTE **security,
                                     MAPIERROR **error, IABLogon **logon)
{
    if (logon) *logon = NULL;
    return MAPI_E_NO_SUPPORT;
}

static const IABProviderVtbl provider_vtbl = {
    provider_QueryInterface,
    provider_AddRef,
    provider_Release,
    provider_Shutdown,
    provider_Logon,
};

HRESULT STDMAPIINITCALLTYPE ABProviderInit(HINSTANCE instance, LPMALLOC malloc, LPALLOCATEBUFFER allocate_buffer,
                                           LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer, ULONG flags,
                                           ULONG mapi_version, ULONG *provider_version, IABProvider **out)
{
    struct provider *provider;

    if (!provider_version || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    *provider_version = CURRENT_SPI_VERSION;
    if (mapi_version < CURRENT_SPI_VERSION) return MAPI_E_VERSION;
    if (!(provider = HeapAlloc(GetProcessHeap(), 0, sizeof(*provider)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    provider->IABProvider_iface.lpVtbl = &provider_vtbl;
    provider->refcount = 1;
    *out = &provider->IABProvider_iface;
    return S_OK;
}
