/*
 * The samples' status object: IMAPIStatus over the columns of the logon's status row. ValidateState is implemented
 * (there is nothing to re-check, so S_OK) and announced in PR_RESOURCE_METHODS; SettingsDialog, ChangePassword and
 * FlushQueues return MAPI_E_NO_SUPPORT.
 */
#include <stdlib.h>

#include "sample.h"

struct status {
    IMAPIStatus IMAPIStatus_iface;
    LONG refcount;
    struct propbag props;
};

static inline struct status *impl_from_IMAPIStatus(IMAPIStatus *iface)
{
    return CONTAINING_RECORD(iface, struct status, IMAPIStatus_iface);
}

static HRESULT WINAPI status_QueryInterface(IMAPIStatus *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IMAPIStatus, NULL };

    return sample_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI status_AddRef(IMAPIStatus *iface)
{
    return InterlockedIncrement(&impl_from_IMAPIStatus(iface)->refcount);
}

static ULONG WINAPI status_Release(IMAPIStatus *iface)
{
    struct status *status = impl_from_IMAPIStatus(iface);
    ULONG refcount = InterlockedDecrement(&status->refcount);

    if (!refcount) {
        propbag_free(&status->props);
        free(status);
        sample_object_destroyed();
    }
    return refcount;
}

SAMPLE_MAPIPROP_DEFAULTS(status, IMAPIStatus)

static HRESULT WINAPI status_GetProps(IMAPIStatus *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                      SPropValue **values)
{
    return propbag_get_props(&impl_from_IMAPIStatus(iface)->props, tags, flags, count, values);
}

static HRESULT WINAPI status_GetPropList(IMAPIStatus *iface, ULONG flags, SPropTagArray **tags)
{
    return propbag_get_prop_list(&impl_from_IMAPIStatus(iface)->props, tags);
}

static HRESULT WINAPI status_ValidateState(IMAPIStatus *iface, ULONG_PTR ui_param, ULONG flags)
{
    sample_trace("IMAPIStatus::ValidateState(%#lx)", flags);
    return S_OK;
}

static HRESULT WINAPI status_SettingsDialog(IMAPIStatus *iface, ULONG_PTR ui_param, ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI status_ChangePassword(IMAPIStatus *iface, LPTSTR old_password, LPTSTR new_password, ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI status_FlushQueues(IMAPIStatus *iface, ULONG_PTR ui_param, ULONG size, ENTRYID *target,
                                         ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

static const IMAPIStatusVtbl status_vtbl = {
    status_QueryInterface, status_AddRef,         status_Release,         status_GetLastError,    status_SaveChanges,
    status_GetProps,       status_GetPropList,    status_OpenProperty,    status_SetProps,        status_DeleteProps,
    status_CopyTo,         status_CopyProps,      status_GetNamesFromIDs, status_GetIDsFromNames, status_ValidateState,
    status_SettingsDialog, status_ChangePassword, status_FlushQueues,
};

HRESULT sample_status_create(ULONG count, const SPropValue *values, IMAPIStatus **out)
{
    struct status *status = calloc(1, sizeof(*status));

    *out = NULL;
    if (!status) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(propbag_init(&status->props, count, values))) {
        free(status);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    status->IMAPIStatus_iface.lpVtbl = &status_vtbl;
    status->refcount = 1;
    sample_object_created();
    *out = &status->IMAPIStatus_iface;
    return S_OK;
}

HRESULT sample_open_status_entry(IMAPIStatus **status, const struct propbag *row, BOOL logged_off, ULONG *type,
                                 void **out)
{
    HRESULT hr;

    if (!out || !type) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (logged_off) return MAPI_E_INVALID_OBJECT;
    if (!*status && FAILED(hr = sample_status_create(row->count, row->values, status))) return hr;
    IMAPIStatus_AddRef(*status);
    *out = *status;
    *type = MAPI_STATUS;
    return S_OK;
}

HRESULT sample_add_status_row(IMAPISupport *support, struct propbag *row, const char *display_name,
                              const char *provider_display, ULONG status_code, ULONG methods, ULONG extra_count,
                              const SPropValue *extra)
{
    SPropValue values[8];
    ULONG count = 4;
    HRESULT hr;

    if (extra_count > ARRAYSIZE(values) - count) return MAPI_E_INVALID_PARAMETER;
    values[0].ulPropTag = PR_DISPLAY_NAME_A;
    values[0].Value.lpszA = (char *)display_name;
    values[1].ulPropTag = PR_PROVIDER_DISPLAY_A;
    values[1].Value.lpszA = (char *)provider_display;
    values[2].ulPropTag = PR_STATUS_CODE;
    values[2].Value.l = status_code;
    values[3].ulPropTag = PR_RESOURCE_METHODS;
    values[3].Value.l = methods;
    while (extra_count--) values[count++] = *extra++;
    if (FAILED(hr = propbag_init(row, count, values))) return hr;
    return IMAPISupport_ModifyStatusRow(support, count, values, 0);
}
