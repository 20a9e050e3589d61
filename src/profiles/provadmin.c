/*
 * IProviderAdmin (spec S26-S29): the providers of one message service. Implemented: every method. The object a
 * service entry gets is closed when the entry returns (S31): its methods then fail with MAPI_E_INVALID_OBJECT.
 * Provider tables are snapshots (static, S27), with the columns of S23; an extra section (Sections=) has a row whose
 * PR_RESOURCE_TYPE is a PT_ERROR (X8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "ini.h"
#include "profsect.h"
#include "propval.h"
#include "svcentry.h"
#include "table.h"
#include "mapihost_val.h"
#include "paramval.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(provadmin);

struct provadmin {
    IProviderAdmin IProviderAdmin_iface;
    LONG refcount;
    struct profstore *store;
    struct psection *service;
    BOOL closed;
};

static inline struct provadmin *impl_from_IProviderAdmin(IProviderAdmin *iface)
{
    return CONTAINING_RECORD(iface, struct provadmin, IProviderAdmin_iface);
}

/* IProviderAdmin's methods' arguments (util/paramval.h), checked before they are touched. */
enum { PA_GetLastError, PA_GetProviderTable, PA_CreateProvider, PA_DeleteProvider, PA_OpenProfileSection };
static const struct method provadmin_args[] = {
    M(PA_GetLastError, A(ANY), A(ANY), A(OUT)),
    M(PA_GetProviderTable, A(ANY), A(OUT)),
    M(PA_CreateProvider, A(STRING), A(ANY), N(PROPS, 1), A(ANY), A(ANY), A(OUT_UID)),
    M(PA_DeleteProvider, A(UID)),
    M(PA_OpenProfileSection, A(UID_OPT), A(IID_OPT), A(ANY), A(OUT)),
};

/* A method's arguments checked as util/paramval.h describes them: a bad one is refused by name (docs/misuse.md). */
#define refuse_own(method, ...)                                                                                        \
    paramval_refuse_bad(ABOUT_HOST, "IProviderAdmin", #method, &provadmin_args[PA_##method], __VA_ARGS__)

static HRESULT WINAPI provadmin_QueryInterface(IProviderAdmin *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IProviderAdmin, NULL };
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    if ((hr = paramval_refuse_method("IProviderAdmin", "QueryInterface", IUnknown_QueryInterface, riid, out)))
        return hr;
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI provadmin_AddRef(IProviderAdmin *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IProviderAdmin(iface)->refcount);
}

static ULONG WINAPI provadmin_Release(IProviderAdmin *iface)
{
    struct provadmin *admin = impl_from_IProviderAdmin(iface);
    ULONG refcount = InterlockedDecrement(&admin->refcount);

    TRACE("(%p)\n", iface);
    if (!refcount) {
        profstore_release(admin->store);
        free(admin);
    }
    return refcount;
}

static HRESULT WINAPI provadmin_GetLastError(IProviderAdmin *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    if ((hr = refuse_own(GetLastError, result, flags, error))) return hr;
    if (impl_from_IProviderAdmin(iface)->closed) return MAPI_E_INVALID_OBJECT;
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL; /* no extended information */
    return S_OK;
}

static void set_binary(SPropValue *value, ULONG tag, ULONG size, void *bytes)
{
    value->ulPropTag = tag;
    value->Value.bin.cb = size;
    value->Value.bin.lpb = bytes;
}

/* One provider-table row of section (S23), sharing section's values: valid under the store's lock. */
static HRESULT add_provider_row(struct table_data *table, ULONG rowid, struct psection *section,
                                struct psection *service)
{
    static const ULONG copied[] = { PR_DISPLAY_NAME_A, PR_PROVIDER_DISPLAY_A, PR_PROVIDER_DLL_NAME_A,
                                    PR_RESOURCE_FLAGS, PR_RESOURCE_TYPE,      PR_SERVICE_UID };
    const SPropValue *value;
    SPropValue values[12];
    ULONG n = 0, i;

    values[n].ulPropTag = PR_ROWID;
    values[n++].Value.l = rowid;
    set_binary(&values[n++], PR_INSTANCE_KEY, sizeof(MAPIUID), &section->uid);
    set_binary(&values[n++], PR_PROVIDER_UID, sizeof(MAPIUID), &section->uid);
    for (i = 0; i < ARRAYSIZE(copied); i++)
        if ((value = psection_find(section, copied[i]))) values[n++] = *value;
    if (!psection_is_provider(section)) {
        values[n].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(PR_RESOURCE_TYPE));
        values[n++].Value.err = MAPI_E_NOT_FOUND;
    }
    values[n].ulPropTag = PR_PROVIDER_ORDINAL;
    if ((value = psection_find(section, PR_PROVIDER_ORDINAL)))
        values[n++].Value.l = value->Value.l;
    else
        values[n++].Value.l = rowid;
    if ((value = psection_find(service, PR_SERVICE_NAME_A))) values[n++] = *value;
    return tabledata_set_row(table, n, values);
}

HRESULT provadmin_table(struct profstore *store, struct psection *only_service, BOOL extras, ULONG flags,
                        IMAPITable **out)
{
    ULONG columns[] = { PR_INSTANCE_KEY,     PR_DISPLAY_NAME_A, PR_PROVIDER_DISPLAY_A, PR_PROVIDER_DLL_NAME_A,
                        PR_PROVIDER_ORDINAL, PR_PROVIDER_UID,   PR_RESOURCE_FLAGS,     PR_RESOURCE_TYPE,
                        PR_SERVICE_NAME_A,   PR_SERVICE_UID };
    struct psection **services, **members;
    ULONG service_count, i, j, k, count, rowid = 0;
    struct table_data *table;
    HRESULT hr = S_OK;

    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    for (i = 0; flags & MAPI_UNICODE && i < ARRAYSIZE(columns); i++)
        if (PROP_TYPE(columns[i]) == PT_STRING8) columns[i] = CHANGE_PROP_TYPE(columns[i], PT_UNICODE);
    if (!(table = tabledata_create(ARRAYSIZE(columns), columns))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (only_service) {
        services = &only_service;
        service_count = 1;
    } else
        service_count = profstore_list(store, NULL, FALSE, &services);
    for (i = 0; hr == S_OK && i < service_count; i++)
        for (k = 0; hr == S_OK && k < (extras ? 2u : 1u); k++) {
            count = profstore_list(store, services[i], k == 0, &members);
            AcquireSRWLockShared(&store->lock);
            for (j = 0; hr == S_OK && j < count; j++) hr = add_provider_row(table, rowid++, members[j], services[i]);
            ReleaseSRWLockShared(&store->lock);
            free(members);
        }
    if (!only_service) free(services);
    if (hr == S_OK) hr = tabledata_open_view(table, out);
    tabledata_release(table);
    return hr;
}

static HRESULT WINAPI provadmin_GetProviderTable(IProviderAdmin *iface, ULONG flags, IMAPITable **table)
{
    struct provadmin *admin = impl_from_IProviderAdmin(iface);
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", iface, flags, table);
    if ((hr = refuse_own(GetProviderTable, flags, table))) return hr;
    *table = NULL;
    if (admin->closed) return MAPI_E_INVALID_OBJECT;
    return provadmin_table(admin->store, admin->service, TRUE, flags, table);
}

/* The INF section named provider, for the service this admin belongs to, as profile values (S28). */
static HRESULT inf_provider(struct provadmin *admin, const char *provider, ULONG *count, SPropValue **props)
{
    char service_name[256] = "", path[MAX_PATH];
    const SPropValue *value;
    struct ini *ini;
    HRESULT hr;

    AcquireSRWLockShared(&admin->store->lock);
    if ((value = psection_find(admin->service, PR_SERVICE_NAME_A)) && PROP_TYPE(value->ulPropTag) == PT_STRING8)
        snprintf(service_name, sizeof(service_name), "%s", value->Value.lpszA);
    ReleaseSRWLockShared(&admin->store->lock);
    if (!*service_name || !(ini = mapisvc_find(admin->store->folder, service_name, path, sizeof(path)))) {
        event_error(ABOUT_HOST, NULL,
                    "service %s: no MAPISVC.INF defines it (PR_SERVICE_NAME \"%s\"), so it has no provider %s",
                    admin->service->name, service_name, provider);
        return MAPI_E_NOT_FOUND;
    }
    if (!ini_find(ini, provider)) {
        event_error(ABOUT_HOST, NULL, "service %s: %s has no provider section [%s]", admin->service->name, path,
                    provider);
        hr = MAPI_E_NOT_FOUND;
    } else
        hr = mapisvc_section_props(ini, provider, count, props);
    mapisvc_free(ini);
    return hr;
}

/* A provider section of this service: the INF's lines, then lpProps, then the structure (S3). */
HRESULT provadmin_add_provider(struct profstore *store, struct psection *service, const char *name, ULONG inf_count,
                               const SPropValue *inf_props, ULONG count, const SPropValue *props, struct psection **out)
{
    SPropValue structure[2];
    struct psection *section;
    MAPIUID uid;
    HRESULT hr;

    CoCreateGuid((GUID *)&uid);
    set_binary(&structure[0], PR_SERVICE_UID, sizeof(MAPIUID), &service->uid);
    set_binary(&structure[1], PR_PROVIDER_UID, sizeof(MAPIUID), &uid);
    if ((hr = profstore_add(store, name, &uid, inf_count, inf_props, &section)) != S_OK) return hr;
    if ((hr = profstore_set_props(store, section, count, props)) == S_OK)
        hr = profstore_set_props(store, section, 2, structure);
    if (hr != S_OK)
        profstore_remove(store, 1, &section);
    else
        *out = section;
    return hr;
}

static HRESULT WINAPI provadmin_CreateProvider(IProviderAdmin *iface, LPTSTR provider, ULONG count, SPropValue *props,
                                               ULONG_PTR ui_param, ULONG flags, MAPIUID *uid)
{
    struct provadmin *admin = impl_from_IProviderAdmin(iface);
    ULONG inf_count = 0, entry_flags = flags & MAPI_DIALOG ? SERVICE_UI_ALLOWED : 0;
    SPropValue *inf_props = NULL;
    struct psection *section;
    char name[256];
    HRESULT hr;

    TRACE("(%p, %p, %#lx, %p, %#Ix, %#lx, %p)\n", iface, provider, count, props, ui_param, flags, uid);
    if ((hr = refuse_own(CreateProvider, provider, count, props, ui_param, flags, uid))) return hr;
    if (admin->closed) return MAPI_E_INVALID_OBJECT;
    if (!provider || !uid || (count && !props)) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_DIALOG | MAPI_UNICODE)) return MAPI_E_UNKNOWN_FLAGS;
    if (flags & MAPI_UNICODE) {
        if (!WideCharToMultiByte(CP_ACP, 0, (const WCHAR *)provider, -1, name, sizeof(name), NULL, NULL))
            return MAPI_E_INVALID_PARAMETER;
    } else
        snprintf(name, sizeof(name), "%s", provider);
    if ((hr = inf_provider(admin, name, &inf_count, &inf_props)) != S_OK) return hr;
    if ((hr = profstore_begin(admin->store)) != S_OK) {
        MAPIFreeBuffer(inf_props);
        return hr;
    }
    hr = provadmin_add_provider(admin->store, admin->service, name, inf_count, inf_props, count, props, &section);
    MAPIFreeBuffer(inf_props);
    /* S28: the entry hears of it; MAPI_E_NO_SUPPORT from it is a refusal, like any error. */
    if (hr == S_OK && svcentry_exists(admin->store, admin->service))
        hr = provadmin_call_entry(admin->store, admin->service, MSG_SERVICE_PROVIDER_CREATE, ui_param, entry_flags, 0,
                                  NULL, NULL);
    if (hr == S_OK) *uid = section->uid;
    profstore_end(admin->store, hr == S_OK);
    return hr;
}

static HRESULT WINAPI provadmin_DeleteProvider(IProviderAdmin *iface, MAPIUID *uid)
{
    struct provadmin *admin = impl_from_IProviderAdmin(iface);
    struct psection *section;
    HRESULT hr;

    TRACE("(%p, %p)\n", iface, uid);
    if ((hr = refuse_own(DeleteProvider, uid))) return hr;
    if (admin->closed) return MAPI_E_INVALID_OBJECT;
    if (!uid) return MAPI_E_INVALID_PARAMETER;
    AcquireSRWLockShared(&admin->store->lock);
    section = psection_lookup(admin->store, uid);
    if (section && !psection_belongs_to(section, admin->service)) section = NULL;
    ReleaseSRWLockShared(&admin->store->lock);
    if (!section) return MAPI_E_NOT_FOUND;
    /* S29: the entry first; then the section goes (X9), whatever sessions still use it keep their view (S7). */
    if (svcentry_exists(admin->store, admin->service)
        && (hr = provadmin_call_entry(admin->store, admin->service, MSG_SERVICE_PROVIDER_DELETE, 0, 0, 0, NULL, NULL))
               != S_OK
        && hr != MAPI_E_NO_SUPPORT)
        return hr;
    return profstore_remove(admin->store, 1, &section);
}

static HRESULT WINAPI provadmin_OpenProfileSection(IProviderAdmin *iface, MAPIUID *uid, const IID *iid, ULONG flags,
                                                   IProfSect **out)
{
    struct provadmin *admin = impl_from_IProviderAdmin(iface);
    HRESULT hr;

    TRACE("(%p, %p, %p, %#lx, %p)\n", iface, uid, iid, flags, out);
    if ((hr = refuse_own(OpenProfileSection, uid, iid, flags, out))) return hr;
    if (out) *out = NULL;
    if (admin->closed) return MAPI_E_INVALID_OBJECT;
    if (iid && !IsEqualIID(iid, &IID_IProfSect) && !IsEqualIID(iid, &IID_IMAPIProp) && !IsEqualIID(iid, &IID_IUnknown))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    /* NULL: the service's own section (X10); any UID, the provider's own fixed one included (F5). */
    return profsect_open(admin->store, uid ? uid : &admin->service->uid, flags, out);
}

static const IProviderAdminVtbl provadmin_vtbl = {
    provadmin_QueryInterface,   provadmin_AddRef,         provadmin_Release,        provadmin_GetLastError,
    provadmin_GetProviderTable, provadmin_CreateProvider, provadmin_DeleteProvider, provadmin_OpenProfileSection,
};

HRESULT provadmin_create(struct profstore *store, struct psection *service, IProviderAdmin **out)
{
    struct provadmin *admin = calloc(1, sizeof(*admin));

    *out = NULL;
    if (!admin) return MAPI_E_NOT_ENOUGH_MEMORY;
    admin->IProviderAdmin_iface.lpVtbl = &provadmin_vtbl;
    admin->refcount = 1;
    profstore_addref(store);
    admin->store = store;
    admin->service = service;
    *out = &admin->IProviderAdmin_iface;
    return S_OK;
}

HRESULT provadmin_call_entry(struct profstore *store, struct psection *service, ULONG context, ULONG_PTR ui_param,
                             ULONG flags, ULONG count, SPropValue *props, MAPIERROR **error)
{
    IProviderAdmin *iface;
    HRESULT hr;

    if (error) *error = NULL;
    if ((hr = provadmin_create(store, service, &iface)) != S_OK) return hr;
    hr = svcentry_call_with(store, service, iface, context, ui_param, flags, count, props, error);
    /* After the call its methods fail with MAPI_E_INVALID_OBJECT. */
    impl_from_IProviderAdmin(iface)->closed = TRUE;
    IProviderAdmin_Release(iface);
    return hr;
}
