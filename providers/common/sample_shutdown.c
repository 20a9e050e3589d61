/*
 * The samples' provider objects: IMAPIProviderShutdown (runtime spec part F), which MAPI finds by QueryInterface on
 * the provider object. The samples welcome fast shutdown: QueryFastShutdown and NotifyProcessShutdown answer S_OK,
 * and DoFastShutdown writes what the provider has not yet saved (the store's data) before it returns. After it, a
 * sample makes no call to MAPI: the process is about to end without logoffs (F7).
 *
 * The recording fixture's faults, from the provider's first logon with any: "fast-none" (no such interface),
 * "fast-refuse" (QueryFastShutdown answers MAPI_E_NO_SUPPORT, opting out), "fast-no-save" (DoFastShutdown saves
 * nothing), "fast-late-call" (the store still calls StoreLogoffTransports from its last Release after DoFastShutdown),
 * and for each method, named "query", "notify" or "do": "fast-fail-<method>" (MAPI_E_CALL_FAILED),
 * "fast-crash-<method>" and "fast-hang-<method>".
 */
#include <stdio.h>

#include "sample.h"

static inline struct sample_provider *impl_from_IMAPIProviderShutdown(IMAPIProviderShutdown *iface)
{
    return CONTAINING_RECORD(iface, struct sample_provider, IMAPIProviderShutdown_iface);
}

/* The fault list's verdict on a method: crash and hang do not return; S_OK means go on. */
static HRESULT method_fault(struct sample_provider *provider, const char *method)
{
    char name[32];

    snprintf(name, sizeof(name), "fast-crash-%s", method);
    if (sample_fault(provider->faults, name)) *(volatile int *)NULL = 0;
    snprintf(name, sizeof(name), "fast-hang-%s", method);
    if (sample_fault(provider->faults, name)) Sleep(INFINITE);
    snprintf(name, sizeof(name), "fast-fail-%s", method);
    return sample_fault(provider->faults, name) ? MAPI_E_CALL_FAILED : S_OK;
}

static HRESULT WINAPI shutdown_QueryInterface(IMAPIProviderShutdown *iface, REFIID riid, void **out)
{
    struct sample_provider *provider = impl_from_IMAPIProviderShutdown(iface);

    return IUnknown_QueryInterface(provider->outer, riid, out);
}

static ULONG WINAPI shutdown_AddRef(IMAPIProviderShutdown *iface)
{
    return IUnknown_AddRef(impl_from_IMAPIProviderShutdown(iface)->outer);
}

static ULONG WINAPI shutdown_Release(IMAPIProviderShutdown *iface)
{
    return IUnknown_Release(impl_from_IMAPIProviderShutdown(iface)->outer);
}

static HRESULT WINAPI shutdown_QueryFastShutdown(IMAPIProviderShutdown *iface)
{
    struct sample_provider *provider = impl_from_IMAPIProviderShutdown(iface);
    HRESULT hr;

    sample_trace("%s: IMAPIProviderShutdown::QueryFastShutdown", provider->name);
    if ((hr = method_fault(provider, "query")) != S_OK) return hr;
    return sample_fault(provider->faults, "fast-refuse") ? MAPI_E_NO_SUPPORT : S_OK;
}

static HRESULT WINAPI shutdown_NotifyProcessShutdown(IMAPIProviderShutdown *iface)
{
    struct sample_provider *provider = impl_from_IMAPIProviderShutdown(iface);

    sample_trace("%s: IMAPIProviderShutdown::NotifyProcessShutdown", provider->name);
    return method_fault(provider, "notify");
}

static HRESULT WINAPI shutdown_DoFastShutdown(IMAPIProviderShutdown *iface)
{
    struct sample_provider *provider = impl_from_IMAPIProviderShutdown(iface);
    HRESULT hr;

    sample_trace("%s: IMAPIProviderShutdown::DoFastShutdown", provider->name);
    if ((hr = method_fault(provider, "do")) != S_OK) return hr;
    if (provider->save && !sample_fault(provider->faults, "fast-no-save")) provider->save(provider);
    provider->fast_shut_down = TRUE;
    return S_OK;
}

static const IMAPIProviderShutdownVtbl shutdown_vtbl = {
    shutdown_QueryInterface,        shutdown_AddRef,         shutdown_Release, shutdown_QueryFastShutdown,
    shutdown_NotifyProcessShutdown, shutdown_DoFastShutdown,
};

void sample_provider_init(struct sample_provider *provider, const char *name, IUnknown *outer,
                          void (*save)(struct sample_provider *provider))
{
    provider->IMAPIProviderShutdown_iface.lpVtbl = &shutdown_vtbl;
    provider->outer = outer;
    provider->name = name;
    provider->refcount = 1;
    provider->logons = 0;
    provider->shut_down = provider->fast_shut_down = FALSE;
    provider->faults[0] = 0;
    provider->save = save;
    sample_object_created();
}

HRESULT sample_provider_query_interface(struct sample_provider *provider, REFIID riid, void **out, const IID *iid)
{
    const IID *const iids[] = { iid, NULL };

    if (out && IsEqualIID(riid, &IID_IMAPIProviderShutdown) && !sample_fault(provider->faults, "fast-none")) {
        *out = &provider->IMAPIProviderShutdown_iface;
        IUnknown_AddRef(provider->outer);
        return S_OK;
    }
    return sample_query_interface(provider->outer, riid, out, iids);
}
