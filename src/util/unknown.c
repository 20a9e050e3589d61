/* IUnknown::QueryInterface for the host's objects, which each answer IUnknown and a short list of interfaces. */
#include "mapihost_private.h"

HRESULT unknown_query_interface(IUnknown *iface, REFIID riid, void **out, const IID *const *iids)
{
    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown))
        for (;; iids++) {
            if (!*iids) return MAPI_E_INTERFACE_NOT_SUPPORTED;
            if (IsEqualIID(riid, *iids)) break;
        }
    *out = iface;
    IUnknown_AddRef(iface);
    return S_OK;
}
