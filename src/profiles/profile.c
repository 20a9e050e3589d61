/*
 * A session's view of its profile (profile.h). The view checks what a logon needs: every service lists providers,
 * and every provider section names its DLL and a valid type. A stored profile that fails these checks can still be
 * opened and repaired through profile administration; only logons refuse it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "profile.h"
#include "propval.h"

static void __attribute__((format(printf, 3, 4)))
view_error(const struct profile *profile, BOOL *failed, const char *format, ...)
{
    char message[512];
    va_list args;

    va_start(args, format);
    vsnprintf(message, sizeof(message), format, args);
    va_end(args);
    event_error(ABOUT_HOST, NULL, "profile %s: %s", profile->path, message);
    *failed = TRUE;
}

const SPropValue *profile_find_prop(const struct profile_section *section, ULONG tag)
{
    return props_find(section->prop_count, section->props, tag);
}

const char *profile_find_string(const struct profile_section *section, ULONG tag)
{
    SPropValue *value = (SPropValue *)profile_find_prop(section, tag);
    SPropValue narrow;

    if (!value) return NULL;
    if (PROP_TYPE(value->ulPropTag) == PT_STRING8) return value->Value.lpszA;
    if (PROP_TYPE(value->ulPropTag) != PT_UNICODE) return NULL;
    /* Narrowed once, in place: the copy belongs to the view. */
    if (prop_copy_as(value, CHANGE_PROP_TYPE(tag, PT_STRING8), &narrow, section->props) != S_OK) return NULL;
    *value = narrow;
    return value->Value.lpszA;
}

static BOOL copy_section(struct profstore *store, struct psection *source, struct profile_section *section)
{
    section->name = _strdup(source->name);
    section->uid = source->uid;
    return section->name && profstore_get_props(store, source, &section->prop_count, &section->props) == S_OK;
}

static struct profile_provider *view_provider(struct profile *profile, struct psection *source,
                                              struct profile_service *service, BOOL *failed)
{
    struct profile_provider *provider = calloc(1, sizeof(*provider));
    const SPropValue *type;

    if (!provider) return NULL;
    provider->service = service;
    if (!copy_section(profile->store, source, &provider->section)) {
        view_error(profile, failed, "out of memory");
        return provider;
    }
    if (!(provider->dll_name = profile_find_string(&provider->section, PR_PROVIDER_DLL_NAME_A)) || !*provider->dll_name)
        view_error(profile, failed, "provider section [%s] has no PR_PROVIDER_DLL_NAME", source->name);
    if (!(type = profile_find_prop(&provider->section, PR_RESOURCE_TYPE)))
        view_error(profile, failed, "provider section [%s] has no PR_RESOURCE_TYPE", source->name);
    else if (type->Value.l == MAPI_AB_PROVIDER)
        provider->kind = PROVIDER_AB;
    else if (type->Value.l == MAPI_STORE_PROVIDER)
        provider->kind = PROVIDER_MS;
    else if (type->Value.l == MAPI_TRANSPORT_PROVIDER)
        provider->kind = PROVIDER_XP;
    else
        view_error(profile, failed,
                   "provider section [%s]: PR_RESOURCE_TYPE %lu is not MAPI_AB_PROVIDER, "
                   "MAPI_STORE_PROVIDER or MAPI_TRANSPORT_PROVIDER",
                   source->name, type->Value.l);
    if ((type = profile_find_prop(&provider->section, PR_RESOURCE_FLAGS))) provider->resource_flags = type->Value.l;
    if (!(provider->display_name = profile_find_string(&provider->section, PR_DISPLAY_NAME_A)))
        provider->display_name = provider->section.name;
    return provider;
}

static struct profile_service *view_service(struct profile *profile, struct psection *source, BOOL *failed)
{
    struct profile_service *service = calloc(1, sizeof(*service));
    struct psection **providers;
    const char *display;
    ULONG i, count;

    if (!service) return NULL;
    if (!copy_section(profile->store, source, &service->section)) {
        view_error(profile, failed, "out of memory");
        return service;
    }
    display = profile_find_string(&service->section, PR_DISPLAY_NAME_A);
    service->display_name = _strdup(display ? display : source->name);
    service->dll_name = profile_find_string(&service->section, PR_SERVICE_DLL_NAME_A);
    service->entry_name = profile_find_string(&service->section, PR_SERVICE_ENTRY_NAME);
    count = profstore_list(profile->store, source, TRUE, &providers);
    service->providers = calloc(count ? count : 1, sizeof(*service->providers));
    for (i = 0; service->providers && i < count; i++)
        if ((service->providers[service->provider_count] = view_provider(profile, providers[i], service, failed)))
            service->provider_count++;
    free(providers);
    if (!service->provider_count && !*failed)
        view_error(profile, failed, "service section [%s] lists no providers", source->name);
    return service;
}

struct profile *profile_view(struct profstore *store, HRESULT *hr)
{
    struct profile *profile = calloc(1, sizeof(*profile));
    struct psection **services;
    BOOL failed = FALSE;
    ULONG i, count;

    if (!profile) {
        *hr = MAPI_E_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    profstore_addref(store);
    profile->store = store;
    profile->path = _strdup(store->path);
    profile->folder = _strdup(store->folder);
    count = profstore_list(store, NULL, FALSE, &services);
    if (!count) view_error(profile, &failed, "no [Services] section, or it lists no message service");
    profile->services = calloc(count ? count : 1, sizeof(*profile->services));
    for (i = 0; profile->services && i < count; i++)
        if ((profile->services[profile->service_count] = view_service(profile, services[i], &failed)))
            profile->service_count++;
    free(services);
    if (failed || !profile->services) {
        profile_free(profile);
        *hr = MAPI_E_CORRUPT_DATA;
        return NULL;
    }
    *hr = S_OK;
    return profile;
}

struct profile *profile_load(const char *path, HRESULT *hr)
{
    struct profstore *store;
    struct profile *profile;

    if ((*hr = profstore_open(path, FALSE, &store)) != S_OK) return NULL;
    profile = profile_view(store, hr);
    profstore_release(store);
    return profile;
}

static void free_section(struct profile_section *section)
{
    MAPIFreeBuffer(section->props);
    free(section->name);
}

void profile_free(struct profile *profile)
{
    ULONG i, j;

    if (!profile) return;
    for (i = 0; i < profile->service_count; i++) {
        struct profile_service *service = profile->services[i];
        for (j = 0; j < service->provider_count; j++) {
            free_section(&service->providers[j]->section);
            free(service->providers[j]);
        }
        free(service->providers);
        free_section(&service->section);
        free(service->display_name);
        free(service);
    }
    free(profile->services);
    free(profile->folder);
    free(profile->path);
    if (profile->store) profstore_release(profile->store);
    free(profile);
}

/* mapihost.dll's folder, with its backslash. */
static BOOL host_folder(char *folder, size_t size)
{
    HMODULE self = NULL;
    char *slash;

    if (!GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (const char *)host_folder, &self)
        || !GetModuleFileNameA(self, folder, size) || !(slash = strrchr(folder, '\\')))
        return FALSE;
    slash[1] = 0;
    return TRUE;
}

HRESULT profile_dll_path(const char *folder, const char *what, const char *dll_name, char *path, size_t size)
{
    const char *base = dll_name, *period, *p;
    char name[MAX_PATH];
    size_t stem;

    for (p = dll_name; *p; p++)
        if (*p == '\\' || *p == '/') base = p + 1;
    if ((period = strchr(dll_name, '.')) && strchr(period + 1, '.')) {
        event_error(ABOUT_HOST, "H1",
                    "%s \"%s\" has more than one period; MAPI inserts \"32\" before the first, so such a name "
                    "cannot be loaded (H1)",
                    what, dll_name);
        return MAPI_E_INVALID_PARAMETER;
    }
    stem = period ? (size_t)(period - dll_name) : strlen(dll_name);
    if (period && period < base) {
        event_error(ABOUT_HOST, "H1", "%s \"%s\": the period is in the folder, not the file name (H1)", what, dll_name);
        return MAPI_E_INVALID_PARAMETER;
    }
    if (stem - (base - dll_name) >= 2 && !strncmp(dll_name + stem - 2, "32", 2)) {
        event_error(ABOUT_HOST, "E33",
                    "%s \"%s\" already ends in \"32\"; write the name without it, MAPI adds it (H1, E33)", what,
                    dll_name);
        return MAPI_E_INVALID_PARAMETER;
    }
    if ((size_t)snprintf(name, sizeof(name), "%.*s32%s", (int)stem, dll_name, period ? period : "") >= sizeof(name))
        return MAPI_E_INVALID_PARAMETER;

    /* A relative name: the profile's folder first, then mapihost.dll's, where its MAPISVC.INF names the services it
     * installs, then the loader's safe search (the client's folder and the system's, loader.c). */
    if (base == dll_name || (dll_name[0] != '\\' && dll_name[0] != '/' && dll_name[1] != ':')) {
        char local[MAX_PATH], host[MAX_PATH];
        const char *folders[2] = { folder ? folder : "", host_folder(host, sizeof(host)) ? host : NULL };
        int i;

        for (i = 0; i < 2; i++)
            if (folders[i] && (size_t)snprintf(local, sizeof(local), "%s%s", folders[i], name) < sizeof(local)
                && GetFileAttributesA(local) != INVALID_FILE_ATTRIBUTES)
                return (size_t)snprintf(path, size, "%s", local) < size ? S_OK : MAPI_E_INVALID_PARAMETER;
    }
    if ((size_t)snprintf(path, size, "%s", name) >= size) return MAPI_E_INVALID_PARAMETER;
    return S_OK;
}
