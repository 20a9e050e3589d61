/*
 * IMsgServiceAdmin and IMsgServiceAdmin2 (spec S17-S25) over one stored profile, from IProfAdmin::AdminServices or
 * IMAPISession::AdminServices (S16). Changes reach the profile at once and running sessions from their next logon
 * (S7). Implemented: every method but RenameMsgService, which MAPI documents as always MAPI_E_NO_SUPPORT (S22).
 * CopyMsgService copies into another IMsgServiceAdmin or IMAPISession of this host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "ini.h"
#include "profsect.h"
#include "propval.h"
#include "core.h"
#include "svcentry.h"
#include "table.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(svcadmin);

struct svcadmin {
    IMsgServiceAdmin2 IMsgServiceAdmin2_iface;
    LONG refcount;
    struct profstore *store;
    MAPIERROR *last_error; /* what the last service entry gave with MAPI_E_EXTENDED_ERROR (S20) */
};

static const IMsgServiceAdmin2Vtbl svcadmin_vtbl;

static inline struct svcadmin *impl_from_IMsgServiceAdmin2(IMsgServiceAdmin2 *iface)
{
    return CONTAINING_RECORD(iface, struct svcadmin, IMsgServiceAdmin2_iface);
}

/* A service of the profile by its PR_SERVICE_UID. */
static struct psection *find_service(struct profstore *store, const MAPIUID *uid)
{
    struct psection *section;

    if (!uid) return NULL;
    AcquireSRWLockShared(&store->lock);
    section = psection_lookup(store, uid);
    if (section && !psection_is_service(section)) section = NULL;
    ReleaseSRWLockShared(&store->lock);
    return section;
}

static HRESULT narrow(LPTSTR text, ULONG flags, char *out, size_t size)
{
    if (!text) {
        *out = 0;
        return S_OK;
    }
    if (flags & MAPI_UNICODE)
        return WideCharToMultiByte(CP_ACP, 0, (const WCHAR *)text, -1, out, (int)size, NULL, NULL)
                   ? S_OK
                   : MAPI_E_INVALID_PARAMETER;
    return (size_t)snprintf(out, size, "%s", text) < size ? S_OK : MAPI_E_INVALID_PARAMETER;
}

static HRESULT WINAPI svcadmin_QueryInterface(IMsgServiceAdmin2 *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMsgServiceAdmin, &IID_IMsgServiceAdmin2, NULL };

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI svcadmin_AddRef(IMsgServiceAdmin2 *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IMsgServiceAdmin2(iface)->refcount);
}

static ULONG WINAPI svcadmin_Release(IMsgServiceAdmin2 *iface)
{
    struct svcadmin *admin = impl_from_IMsgServiceAdmin2(iface);
    ULONG refcount = InterlockedDecrement(&admin->refcount);

    TRACE("(%p)\n", iface);
    if (!refcount) {
        MAPIFreeBuffer(admin->last_error);
        profstore_release(admin->store);
        free(admin);
    }
    return refcount;
}

static HRESULT WINAPI svcadmin_GetLastError(IMsgServiceAdmin2 *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    struct svcadmin *admin = impl_from_IMsgServiceAdmin2(iface);

    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    if (!admin->last_error) return S_OK;
    /* The caller frees what it gets: a copy, strings included. */
    if (MAPIAllocateBuffer(sizeof(**error), (void **)error)) return MAPI_E_NOT_ENOUGH_MEMORY;
    **error = *admin->last_error;
    (*error)->lpszError = (*error)->lpszComponent = NULL;
    if (admin->last_error->lpszError
        && !MAPIAllocateMore(strlen(admin->last_error->lpszError) + 1, *error, (void **)&(*error)->lpszError))
        strcpy((*error)->lpszError, admin->last_error->lpszError);
    if (admin->last_error->lpszComponent
        && !MAPIAllocateMore(strlen(admin->last_error->lpszComponent) + 1, *error, (void **)&(*error)->lpszComponent))
        strcpy((*error)->lpszComponent, admin->last_error->lpszComponent);
    return S_OK;
}

/* S18: one row per service, in profile order. */
static HRESULT WINAPI svcadmin_GetMsgServiceTable(IMsgServiceAdmin2 *iface, ULONG flags, IMAPITable **out)
{
    static const ULONG copied[] = { PR_DISPLAY_NAME_A,     PR_RESOURCE_FLAGS, PR_SERVICE_DLL_NAME_A,
                                    PR_SERVICE_ENTRY_NAME, PR_SERVICE_NAME_A, PR_SERVICE_SUPPORT_FILES_A,
                                    PR_SERVICE_UID };
    struct svcadmin *admin = impl_from_IMsgServiceAdmin2(iface);
    ULONG columns[] = { PR_DISPLAY_NAME_A,     PR_INSTANCE_KEY,   PR_RESOURCE_FLAGS,          PR_SERVICE_DLL_NAME_A,
                        PR_SERVICE_ENTRY_NAME, PR_SERVICE_NAME_A, PR_SERVICE_SUPPORT_FILES_A, PR_SERVICE_UID };
    struct psection **services;
    struct table_data *table;
    ULONG count, i, j;
    HRESULT hr = S_OK;

    TRACE("(%p, %#lx, %p)\n", iface, flags, out);
    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    for (i = 0; flags & MAPI_UNICODE && i < ARRAYSIZE(columns); i++)
        if (PROP_TYPE(columns[i]) == PT_STRING8 && columns[i] != PR_SERVICE_ENTRY_NAME)
            columns[i] = CHANGE_PROP_TYPE(columns[i], PT_UNICODE);
    if (!(table = tabledata_create(ARRAYSIZE(columns), columns))) return MAPI_E_NOT_ENOUGH_MEMORY;
    count = profstore_list(admin->store, NULL, FALSE, &services);
    AcquireSRWLockShared(&admin->store->lock);
    for (i = 0; hr == S_OK && i < count; i++) {
        SPropValue values[ARRAYSIZE(copied) + 2];
        const SPropValue *value;
        ULONG n = 0;

        values[n].ulPropTag = PR_ROWID;
        values[n++].Value.l = i;
        values[n].ulPropTag = PR_INSTANCE_KEY;
        values[n].Value.bin.cb = sizeof(MAPIUID);
        values[n++].Value.bin.lpb = services[i]->uid.ab;
        for (j = 0; j < ARRAYSIZE(copied); j++)
            if ((value = psection_find(services[i], copied[j]))) values[n++] = *value;
        hr = tabledata_set_row(table, n, values);
    }
    ReleaseSRWLockShared(&admin->store->lock);
    free(services);
    if (hr == S_OK) hr = tabledata_open_view(table, out);
    tabledata_release(table);
    return hr;
}

HRESULT svcadmin_add_sections(struct profstore *store, const struct ini *ini, const char *service_name,
                              const char *display_name, struct psection **out)
{
    const struct ini_section *inf_service = ini_find(ini, service_name);
    SPropValue *props = NULL, extra[3];
    struct psection *service;
    ULONG count, n = 0;
    HRESULT hr;
    int kind;

    if (!inf_service) {
        event_error(ABOUT_HOST, NULL, "%s: [Services] lists %s, but it has no [%s] section", ini->path, service_name,
                    service_name);
        return MAPI_E_NOT_FOUND;
    }
    if ((hr = mapisvc_section_props(ini, service_name, &count, &props)) != S_OK) return hr;
    if ((hr = profstore_add(store, service_name, NULL, count, props, &service)) != S_OK) {
        MAPIFreeBuffer(props);
        return hr;
    }
    MAPIFreeBuffer(props);
    extra[n].ulPropTag = PR_SERVICE_UID;
    extra[n].Value.bin.cb = sizeof(MAPIUID);
    extra[n++].Value.bin.lpb = service->uid.ab;
    extra[n].ulPropTag = PR_SERVICE_NAME_A;
    extra[n++].Value.lpszA = (char *)service_name;
    /* S19: the INF's PR_DISPLAY_NAME wins over the caller's. */
    if (display_name && *display_name && !psection_find(service, PR_DISPLAY_NAME_A)) {
        extra[n].ulPropTag = PR_DISPLAY_NAME_A;
        extra[n++].Value.lpszA = (char *)display_name;
    }
    if ((hr = profstore_set_props(store, service, n, extra)) != S_OK) return hr;
    for (kind = 0; hr == S_OK && kind < 2; kind++) {
        const char *list = ini_value(inf_service, kind ? "Sections" : "Providers");
        char *copy, *name, *context = NULL;

        if (!list) continue;
        copy = _strdup(list);
        for (name = strtok_r(copy, ",", &context); hr == S_OK && name; name = strtok_r(NULL, ",", &context)) {
            struct psection *section;
            name = ini_trim(name);
            if (!*name) continue;
            if ((hr = mapisvc_section_props(ini, name, &count, &props)) == MAPI_E_NOT_FOUND)
                event_error(ABOUT_HOST, NULL, "%s: service [%s] lists section [%s], which does not exist", ini->path,
                            service_name, name);
            if (hr != S_OK) break;
            if (!kind)
                hr = provadmin_add_provider(store, service, name, count, props, 0, NULL, &section);
            else if ((hr = profstore_add(store, name, NULL, count, props, &section)) == S_OK)
                hr = profstore_set_props(store, section, 1, extra); /* PR_SERVICE_UID */
            MAPIFreeBuffer(props);
        }
        free(copy);
    }
    *out = service;
    return hr;
}

/* S19: a second instance of a SERVICE_SINGLE_COPY service is refused. */
static BOOL single_copy_present(struct profstore *store, const char *service_name)
{
    struct psection **services;
    ULONG count = profstore_list(store, NULL, FALSE, &services), i;
    BOOL present = FALSE;

    AcquireSRWLockShared(&store->lock);
    for (i = 0; i < count; i++) {
        const SPropValue *name = psection_find(services[i], PR_SERVICE_NAME_A);
        const SPropValue *flags = psection_find(services[i], PR_RESOURCE_FLAGS);
        present |= name && PROP_TYPE(name->ulPropTag) == PT_STRING8 && !_stricmp(name->Value.lpszA, service_name)
                   && flags && flags->Value.l & SERVICE_SINGLE_COPY;
    }
    ReleaseSRWLockShared(&store->lock);
    free(services);
    return present;
}

HRESULT svcadmin_create_service(struct profstore *store, const char *service_name, const char *display_name,
                                ULONG_PTR ui_param, ULONG flags, MAPIUID *uid)
{
    char path[MAX_PATH];
    struct psection *service = NULL;
    struct ini *ini;
    HRESULT hr;

    if (!(ini = mapisvc_find(store->folder, service_name, path, sizeof(path)))) {
        event_error(ABOUT_HOST, NULL,
                    "CreateMsgService: no MAPISVC.INF lists service %s (looked in the profile folder, beside "
                    "mapihost.dll and in the system folder)",
                    service_name);
        return MAPI_E_NOT_FOUND;
    }
    if (single_copy_present(store, service_name)) {
        event_error(ABOUT_HOST, NULL,
                    "CreateMsgService: service %s is SERVICE_SINGLE_COPY and the profile has it already", service_name);
        mapisvc_free(ini);
        return MAPI_E_NO_ACCESS;
    }
    if ((hr = profstore_begin(store)) != S_OK) {
        mapisvc_free(ini);
        return hr;
    }
    hr = svcadmin_add_sections(store, ini, service_name, display_name, &service);
    mapisvc_free(ini);
    event_step(ABOUT_HOST, "profile %s: service %s created from %s -> %s", store->name, service_name, path,
               hresult_text(hr));
    /* S19: the entry runs after every INF line is in, with the UI flags only when the caller allows UI. */
    if (hr == S_OK && svcentry_exists(store, service))
        hr = provadmin_call_entry(store, service, MSG_SERVICE_CREATE, ui_param,
                                  flags & (SERVICE_UI_ALLOWED | SERVICE_UI_ALWAYS | MAPI_UNICODE), 0, NULL, NULL);
    if (hr == S_OK && uid) *uid = service->uid;
    if (profstore_end(store, hr == S_OK) != S_OK && hr == S_OK) hr = MAPI_E_CALL_FAILED;
    return hr;
}

static HRESULT create_service(IMsgServiceAdmin2 *iface, LPTSTR service, LPTSTR display, ULONG_PTR ui_param, ULONG flags,
                              MAPIUID *uid)
{
    static const ULONG known = MAPI_UNICODE | SERVICE_UI_ALLOWED | SERVICE_UI_ALWAYS | SERVICE_NO_RESTART_WARNING;
    struct svcadmin *admin = impl_from_IMsgServiceAdmin2(iface);
    char service_name[256], display_name[256];

    if (!service) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~known) return MAPI_E_UNKNOWN_FLAGS;
    if (narrow(service, flags, service_name, sizeof(service_name)) != S_OK
        || narrow(display, flags, display_name, sizeof(display_name)) != S_OK)
        return MAPI_E_INVALID_PARAMETER;
    return svcadmin_create_service(admin->store, service_name, display_name, ui_param, flags, uid);
}

static HRESULT WINAPI svcadmin_CreateMsgService(IMsgServiceAdmin2 *iface, LPTSTR service, LPTSTR display,
                                                ULONG_PTR ui_param, ULONG flags)
{
    TRACE("(%p, %p, %p, %#Ix, %#lx)\n", iface, service, display, ui_param, flags);
    return create_service(iface, service, display, ui_param, flags, NULL);
}

static HRESULT WINAPI svcadmin_CreateMsgServiceEx(IMsgServiceAdmin2 *iface, LPTSTR service, LPTSTR display,
                                                  ULONG_PTR ui_param, ULONG flags, MAPIUID *uid)
{
    TRACE("(%p, %p, %p, %#Ix, %#lx, %p)\n", iface, service, display, ui_param, flags, uid);
    return create_service(iface, service, display, ui_param, flags, uid);
}

HRESULT svcadmin_delete_service(struct profstore *store, struct psection *service)
{
    struct psection **sections, **extras, **all;
    ULONG providers, extra_count, i;
    HRESULT hr = S_OK;

    /* S22: the entry hears of it before the sections go, and never after. */
    if (svcentry_exists(store, service)
        && (hr = provadmin_call_entry(store, service, MSG_SERVICE_DELETE, 0, 0, 0, NULL, NULL)) != S_OK)
        return hr;
    providers = profstore_list(store, service, TRUE, &sections);
    extra_count = profstore_list(store, service, FALSE, &extras);
    if (!(all = malloc((providers + extra_count + 1) * sizeof(*all))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else {
        for (i = 0; i < providers; i++) all[i] = sections[i];
        for (i = 0; i < extra_count; i++) all[providers + i] = extras[i];
        all[providers + extra_count] = service;
        hr = profstore_remove(store, providers + extra_count + 1, all);
    }
    event_step(ABOUT_HOST, "profile %s: service %s deleted -> %s", store->name, service->name, hresult_text(hr));
    free(all);
    free(sections);
    free(extras);
    return hr;
}

static HRESULT WINAPI svcadmin_DeleteMsgService(IMsgServiceAdmin2 *iface, MAPIUID *uid)
{
    struct svcadmin *admin = impl_from_IMsgServiceAdmin2(iface);
    struct psection *service;

    TRACE("(%p, %p)\n", iface, uid);
    if (!uid) return MAPI_E_INVALID_PARAMETER;
    if (!(service = find_service(admin->store, uid))) return MAPI_E_NOT_FOUND;
    return svcadmin_delete_service(admin->store, service);
}

/* Copies one section into dest with a new MAPIUID; the structure tags are set by the caller. */
static HRESULT copy_section(struct profstore *source, struct psection *section, struct profstore *dest,
                            struct psection **out)
{
    SPropValue *props;
    ULONG count;
    HRESULT hr;

    if ((hr = profstore_get_props(source, section, &count, &props)) != S_OK) return hr;
    hr = profstore_add(dest, section->name, NULL, count, props, out);
    MAPIFreeBuffer(props);
    return hr;
}

static HRESULT WINAPI svcadmin_CopyMsgService(IMsgServiceAdmin2 *iface, MAPIUID *uid, LPTSTR display,
                                              const IID *iid_to_copy, const IID *iid_dest, void *dest_object,
                                              ULONG_PTR ui_param, ULONG flags)
{
    struct svcadmin *admin = impl_from_IMsgServiceAdmin2(iface);
    struct psection *service, *copy, **members, *member;
    struct profstore *dest;
    SPropValue structure[2];
    ULONG count, i;
    HRESULT hr;
    int kind;

    TRACE("(%p, %p, %p, %p, %p, %p, %#Ix, %#lx)\n", iface, uid, display, iid_to_copy, iid_dest, dest_object, ui_param,
          flags);
    if (!uid || !dest_object) return MAPI_E_INVALID_PARAMETER;
    if (!(service = find_service(admin->store, uid))) return MAPI_E_NOT_FOUND;
    if (!(dest = svcadmin_store_of(iid_dest, dest_object)))
        return unsupported("IMsgServiceAdmin", "CopyMsgService into an object not of this host");
    if ((hr = profstore_begin(dest)) != S_OK) return hr;
    /* S21: new MAPIUIDs, no entry call; the copy is configured as the original is. */
    if ((hr = copy_section(admin->store, service, dest, &copy)) == S_OK) {
        structure[0].ulPropTag = PR_SERVICE_UID;
        structure[0].Value.bin.cb = sizeof(MAPIUID);
        structure[0].Value.bin.lpb = copy->uid.ab;
        hr = profstore_set_props(dest, copy, 1, structure);
    }
    for (kind = 0; hr == S_OK && kind < 2; kind++) {
        count = profstore_list(admin->store, service, !kind, &members);
        for (i = 0; hr == S_OK && i < count; i++) {
            if ((hr = copy_section(admin->store, members[i], dest, &member)) != S_OK) break;
            structure[1] = structure[0];
            structure[1].ulPropTag = PR_PROVIDER_UID;
            structure[1].Value.bin.lpb = member->uid.ab;
            hr = profstore_set_props(dest, member, kind ? 1 : 2, structure);
        }
        free(members);
    }
    hr = profstore_end(dest, hr == S_OK) == S_OK ? hr : MAPI_E_CALL_FAILED;
    profstore_release(dest);
    return hr;
}

static HRESULT WINAPI svcadmin_RenameMsgService(IMsgServiceAdmin2 *iface, MAPIUID *uid, ULONG flags, LPTSTR display)
{
    TRACE("(%p, %p, %#lx, %p)\n", iface, uid, flags, display);
    return unsupported("IMsgServiceAdmin", "RenameMsgService"); /* documented: always (S22) */
}

static HRESULT WINAPI svcadmin_ConfigureMsgService(IMsgServiceAdmin2 *iface, MAPIUID *uid, ULONG_PTR ui_param,
                                                   ULONG flags, ULONG count, SPropValue *props)
{
    static const ULONG known =
        MAPI_UNICODE | SERVICE_UI_ALLOWED | SERVICE_UI_ALWAYS | MSG_SERVICE_UI_READ_ONLY | UI_CURRENT_PROVIDER_FIRST;
    struct svcadmin *admin = impl_from_IMsgServiceAdmin2(iface);
    struct psection *service;

    TRACE("(%p, %p, %#Ix, %#lx, %#lx, %p)\n", iface, uid, ui_param, flags, count, props);
    if (!uid || (count && !props)) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~known) return MAPI_E_UNKNOWN_FLAGS;
    if (!(service = find_service(admin->store, uid))) return MAPI_E_NOT_FOUND;
    if (!svcentry_exists(admin->store, service)) {
        event_error(ABOUT_HOST, NULL,
                    "ConfigureMsgService: service %s has no service entry (PR_SERVICE_DLL_NAME and "
                    "PR_SERVICE_ENTRY_NAME) to configure it",
                    service->name);
        return MAPI_E_NOT_INITIALIZED;
    }
    MAPIFreeBuffer(admin->last_error);
    admin->last_error = NULL;
    return provadmin_call_entry(admin->store, service, MSG_SERVICE_CONFIGURE, ui_param, flags, count, props,
                                &admin->last_error);
}

static HRESULT WINAPI svcadmin_OpenProfileSection(IMsgServiceAdmin2 *iface, MAPIUID *uid, const IID *iid, ULONG flags,
                                                  IProfSect **out)
{
    TRACE("(%p, %p, %p, %#lx, %p)\n", iface, uid, iid, flags, out);
    if (out) *out = NULL;
    if (iid && !IsEqualIID(iid, &IID_IProfSect) && !IsEqualIID(iid, &IID_IMAPIProp) && !IsEqualIID(iid, &IID_IUnknown))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    return profsect_open_as_client(impl_from_IMsgServiceAdmin2(iface)->store, uid, flags, out);
}

/* S24: the complete list of the profile's transports, in the new order; PR_PROVIDER_ORDINAL records it. */
static HRESULT WINAPI svcadmin_MsgServiceTransportOrder(IMsgServiceAdmin2 *iface, ULONG count, MAPIUID *uids,
                                                        ULONG flags)
{
    struct svcadmin *admin = impl_from_IMsgServiceAdmin2(iface);
    struct psection **services, **providers, **order;
    ULONG service_count, provider_count, transports = 0, i, j;
    HRESULT hr = S_OK;

    TRACE("(%p, %#lx, %p, %#lx)\n", iface, count, uids, flags);
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    if (count && !uids) return MAPI_E_INVALID_PARAMETER;
    if (!(order = calloc(count ? count : 1, sizeof(*order)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    service_count = profstore_list(admin->store, NULL, FALSE, &services);
    for (i = 0; i < service_count; i++) {
        provider_count = profstore_list(admin->store, services[i], TRUE, &providers);
        for (j = 0; j < provider_count; j++) {
            const SPropValue *type = psection_find(providers[j], PR_RESOURCE_TYPE);
            ULONG k;
            if (!type || type->Value.l != MAPI_TRANSPORT_PROVIDER) continue;
            transports++;
            for (k = 0; k < count; k++)
                if (!memcmp(&uids[k], &providers[j]->uid, sizeof(MAPIUID))) order[k] = providers[j];
        }
        free(providers);
    }
    free(services);
    if (count != transports) hr = MAPI_E_BUSY;
    for (i = 0; hr == S_OK && i < count; i++)
        if (!order[i]) hr = MAPI_E_NOT_FOUND;
    if (hr == S_OK && (hr = profstore_begin(admin->store)) == S_OK) {
        for (i = 0; hr == S_OK && i < count; i++) {
            SPropValue ordinal = { PR_PROVIDER_ORDINAL, 0, { .l = (LONG)i } };
            hr = profstore_set_props(admin->store, order[i], 1, &ordinal);
        }
        hr = profstore_end(admin->store, hr == S_OK) == S_OK ? hr : MAPI_E_CALL_FAILED;
    }
    free(order);
    return hr;
}

static HRESULT WINAPI svcadmin_AdminProviders(IMsgServiceAdmin2 *iface, MAPIUID *uid, ULONG flags, IProviderAdmin **out)
{
    struct svcadmin *admin = impl_from_IMsgServiceAdmin2(iface);
    struct psection *service;

    TRACE("(%p, %p, %#lx, %p)\n", iface, uid, flags, out);
    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    if (!(service = find_service(admin->store, uid))) return MAPI_E_NOT_FOUND;
    return provadmin_create(admin->store, service, out);
}

/* Sets or clears flag in PR_RESOURCE_FLAGS of section. */
static HRESULT set_resource_flag(struct profstore *store, struct psection *section, ULONG flag, BOOL on)
{
    SPropValue resource = { PR_RESOURCE_FLAGS, 0, { .l = 0 } };
    const SPropValue *value;

    if ((value = psection_find(section, PR_RESOURCE_FLAGS))) resource.Value.l = value->Value.l;
    resource.Value.l = on ? resource.Value.l | flag : resource.Value.l & ~flag;
    return profstore_set_props(store, section, 1, &resource);
}

/* S25: the chosen service supplies the primary identity, through its providers (STATUS_PRIMARY_IDENTITY, what
 * IMAPISession::QueryIdentity looks for in the status table); the other services and their providers do not. */
static HRESULT WINAPI svcadmin_SetPrimaryIdentity(IMsgServiceAdmin2 *iface, MAPIUID *uid, ULONG flags)
{
    struct svcadmin *admin = impl_from_IMsgServiceAdmin2(iface);
    struct psection *chosen = NULL, **services, **providers;
    const SPropValue *value;
    ULONG count, provider_count, i, j;
    HRESULT hr;

    TRACE("(%p, %p, %#lx)\n", iface, uid, flags);
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    if (uid && !(chosen = find_service(admin->store, uid))) return MAPI_E_NOT_FOUND;
    if (chosen && (value = psection_find(chosen, PR_RESOURCE_FLAGS)) && value->Value.l & SERVICE_NO_PRIMARY_IDENTITY)
        return MAPI_E_NO_ACCESS;
    if ((hr = profstore_begin(admin->store)) != S_OK) return hr;
    count = profstore_list(admin->store, NULL, FALSE, &services);
    for (i = 0; hr == S_OK && i < count; i++) {
        hr = set_resource_flag(admin->store, services[i], SERVICE_PRIMARY_IDENTITY, services[i] == chosen);
        provider_count = profstore_list(admin->store, services[i], TRUE, &providers);
        for (j = 0; hr == S_OK && j < provider_count; j++)
            hr = set_resource_flag(admin->store, providers[j], STATUS_PRIMARY_IDENTITY, services[i] == chosen);
        free(providers);
    }
    free(services);
    return profstore_end(admin->store, hr == S_OK) == S_OK ? hr : MAPI_E_CALL_FAILED;
}

static HRESULT WINAPI svcadmin_GetProviderTable(IMsgServiceAdmin2 *iface, ULONG flags, IMAPITable **out)
{
    TRACE("(%p, %#lx, %p)\n", iface, flags, out);
    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    /* S23: every provider of the profile, no extra sections. */
    return provadmin_table(impl_from_IMsgServiceAdmin2(iface)->store, NULL, FALSE, flags, out);
}

static const IMsgServiceAdmin2Vtbl svcadmin_vtbl = {
    svcadmin_QueryInterface,
    svcadmin_AddRef,
    svcadmin_Release,
    svcadmin_GetLastError,
    svcadmin_GetMsgServiceTable,
    svcadmin_CreateMsgService,
    svcadmin_DeleteMsgService,
    svcadmin_CopyMsgService,
    svcadmin_RenameMsgService,
    svcadmin_ConfigureMsgService,
    svcadmin_OpenProfileSection,
    svcadmin_MsgServiceTransportOrder,
    svcadmin_AdminProviders,
    svcadmin_SetPrimaryIdentity,
    svcadmin_GetProviderTable,
    svcadmin_CreateMsgServiceEx,
};

HRESULT svcadmin_create(struct profstore *store, IMsgServiceAdmin **out)
{
    struct svcadmin *admin = calloc(1, sizeof(*admin));

    *out = NULL;
    if (!admin) return MAPI_E_NOT_ENOUGH_MEMORY;
    admin->IMsgServiceAdmin2_iface.lpVtbl = &svcadmin_vtbl;
    admin->refcount = 1;
    profstore_addref(store);
    admin->store = store;
    *out = (IMsgServiceAdmin *)&admin->IMsgServiceAdmin2_iface;
    return S_OK;
}

struct profstore *svcadmin_store_of(const IID *iid, void *object)
{
    IMsgServiceAdmin *admin = NULL;
    struct profstore *store = NULL;

    if (!object) return NULL;
    if (((IMsgServiceAdmin2 *)object)->lpVtbl == &svcadmin_vtbl) {
        store = impl_from_IMsgServiceAdmin2(object)->store;
        profstore_addref(store);
    }
    /* A session's profile through the session's own IMsgServiceAdmin, as a client would reach it. */
    else if (iid && IsEqualIID(iid, &IID_IMAPISession)
             && SUCCEEDED(IMAPISession_AdminServices((IMAPISession *)object, 0, &admin))) {
        if (((IMsgServiceAdmin2 *)admin)->lpVtbl == &svcadmin_vtbl) {
            store = impl_from_IMsgServiceAdmin2((IMsgServiceAdmin2 *)admin)->store;
            profstore_addref(store);
        }
        IMsgServiceAdmin_Release(admin);
    }
    return store;
}
