/*
 * MAPIAdminProfiles and IProfAdmin (spec S6, S9-S16): the profiles of the profile folder (stored.h), one .inf file
 * each, and the default profile (a file beside them). Implemented: every method; ChangeProfilePassword does nothing
 * and succeeds (S15); "app" profiles (MAPI_APP_PROFILE) are not kept apart.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "ini.h"
#include "svcentry.h"
#include "table.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(profadmin);

struct profadmin {
    IProfAdmin IProfAdmin_iface;
    LONG refcount;
};

static inline struct profadmin *impl_from_IProfAdmin(IProfAdmin *iface)
{
    return CONTAINING_RECORD(iface, struct profadmin, IProfAdmin_iface);
}

/* S6: up to 64 characters; letters, digits, underscore and inner spaces. */
static BOOL valid_name(const char *name)
{
    size_t length = strlen(name), i;

    if (!length || length > cchProfileNameMax || isspace((unsigned char)name[0])
        || isspace((unsigned char)name[length - 1]))
        return FALSE;
    for (i = 0; i < length; i++) {
        unsigned char c = name[i];
        if (!(isalnum(c) || c == '_' || c == ' ' || c == '-' || c == '.' || c >= 0x80)) return FALSE;
    }
    return !strstr(name, "..");
}

/* A profile name argument, narrowed, checked, and its file. */
static HRESULT name_and_path(LPTSTR text, ULONG flags, char *name, size_t size, char *path, size_t path_size)
{
    if (!text) return MAPI_E_INVALID_PARAMETER;
    if (flags & MAPI_UNICODE) {
        if (!WideCharToMultiByte(CP_ACP, 0, (const WCHAR *)text, -1, name, (int)size, NULL, NULL))
            return MAPI_E_INVALID_PARAMETER;
    } else if ((size_t)snprintf(name, size, "%s", text) >= size)
        return MAPI_E_INVALID_PARAMETER;
    if (!valid_name(name)) {
        event_error(ABOUT_HOST, "S6",
                    "profile name \"%s\" is not valid: up to 64 letters, digits, underscores and inner spaces "
                    "(S6)",
                    name);
        return MAPI_E_INVALID_PARAMETER;
    }
    if (!proffolder_file_for(name, path, path_size)) {
        event_error(ABOUT_HOST, NULL, "no folder for profiles (set MAPIHOST_PROFILE_DIR)");
        return MAPI_E_NOT_FOUND;
    }
    return S_OK;
}

/* The profile folder, made if need be (a first profile under %APPDATA%). */
static void make_folder(const char *path)
{
    char folder[MAX_PATH], *p;

    snprintf(folder, sizeof(folder), "%s", path);
    for (p = folder + 3; *p; p++)
        if (*p == '\\' || *p == '/') {
            char saved = *p;
            *p = 0;
            CreateDirectoryA(folder, NULL);
            *p = saved;
        }
}

/* The stored profile of an existing name. */
static HRESULT open_existing(LPTSTR text, ULONG flags, char *name, size_t size, struct profstore **store)
{
    char path[MAX_PATH];
    HRESULT hr;

    *store = NULL;
    if ((hr = name_and_path(text, flags, name, size, path, sizeof(path))) != S_OK) return hr;
    if (!profstore_exists(path)) return MAPI_E_NOT_FOUND;
    return profstore_open(path, FALSE, store);
}

static HRESULT WINAPI profadmin_QueryInterface(IProfAdmin *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IProfAdmin, NULL };

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI profadmin_AddRef(IProfAdmin *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IProfAdmin(iface)->refcount);
}

static ULONG WINAPI profadmin_Release(IProfAdmin *iface)
{
    struct profadmin *admin = impl_from_IProfAdmin(iface);
    ULONG refcount = InterlockedDecrement(&admin->refcount);

    TRACE("(%p)\n", iface);
    if (!refcount) free(admin);
    return refcount;
}

static HRESULT WINAPI profadmin_GetLastError(IProfAdmin *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL; /* no extended information */
    return S_OK;
}

/* S10: a static table of the profiles, with PR_DISPLAY_NAME and PR_DEFAULT_PROFILE. */
static HRESULT WINAPI profadmin_GetProfileTable(IProfAdmin *iface, ULONG flags, IMAPITable **out)
{
    ULONG columns[] = { PR_DISPLAY_NAME_A, PR_DEFAULT_PROFILE };
    char folder[MAX_PATH], pattern[MAX_PATH], path[MAX_PATH], default_name[MAX_PATH] = "";
    struct table_data *table;
    WIN32_FIND_DATAA found;
    HRESULT hr = S_OK;
    ULONG rowid = 0;
    HANDLE find;

    TRACE("(%p, %#lx, %p)\n", iface, flags, out);
    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~(MAPI_UNICODE | MAPI_APP_PROFILE)) return MAPI_E_UNKNOWN_FLAGS;
    if (flags & MAPI_UNICODE) columns[0] = PR_DISPLAY_NAME_W;
    if (!(table = tabledata_create(ARRAYSIZE(columns), columns))) return MAPI_E_NOT_ENOUGH_MEMORY;
    proffolder_default_name(default_name, sizeof(default_name));
    if (proffolder_path(folder, sizeof(folder))) {
        snprintf(pattern, sizeof(pattern), "%s\\*.inf", folder);
        if ((find = FindFirstFileA(pattern, &found)) != INVALID_HANDLE_VALUE) {
            do {
                SPropValue values[3];
                char *dot = strrchr(found.cFileName, '.');
                if (found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY || !dot || _stricmp(dot, ".inf")) continue;
                snprintf(path, sizeof(path), "%s\\%s", folder, found.cFileName);
                if (!_stricmp(found.cFileName, "MAPISVC.INF") || !profstore_exists(path)) continue;
                *dot = 0;
                values[0].ulPropTag = PR_ROWID;
                values[0].Value.l = rowid++;
                values[1].ulPropTag = PR_DISPLAY_NAME_A;
                values[1].Value.lpszA = found.cFileName;
                values[2].ulPropTag = PR_DEFAULT_PROFILE;
                values[2].Value.b = !_stricmp(found.cFileName, default_name);
                hr = tabledata_set_row(table, 3, values);
            } while (hr == S_OK && FindNextFileA(find, &found));
            FindClose(find);
        }
    }
    if (hr == S_OK) hr = tabledata_open_view(table, out);
    tabledata_release(table);
    return hr;
}

/* S11: MAPI_DEFAULT_SERVICES adds each service of MAPISVC.INF's [Default Services]. */
static HRESULT add_default_services(struct profstore *store, ULONG_PTR ui_param, ULONG flags)
{
    const struct ini_section *defaults;
    char path[MAX_PATH];
    struct ini *ini;
    HRESULT hr = S_OK;
    ULONG i;

    if (!(ini = mapisvc_find(store->folder, NULL, path, sizeof(path)))) return S_OK;
    if ((defaults = ini_find(ini, "Default Services")))
        for (i = 0; hr == S_OK && i < defaults->count; i++)
            hr = svcadmin_create_service(store, defaults->lines[i].key, defaults->lines[i].value, ui_param,
                                         flags & MAPI_DIALOG ? SERVICE_UI_ALLOWED : 0, NULL);
    mapisvc_free(ini);
    return hr;
}

static HRESULT WINAPI profadmin_CreateProfile(IProfAdmin *iface, LPTSTR profile_name, LPTSTR password,
                                              ULONG_PTR ui_param, ULONG flags)
{
    char name[MAX_PATH], path[MAX_PATH];
    struct profstore *store;
    HRESULT hr;

    TRACE("(%p, %p, %p, %#Ix, %#lx)\n", iface, profile_name, password, ui_param, flags);
    if (flags & ~(MAPI_UNICODE | MAPI_DEFAULT_SERVICES | MAPI_DIALOG | MAPI_APP_PROFILE)) return MAPI_E_UNKNOWN_FLAGS;
    if ((hr = name_and_path(profile_name, flags, name, sizeof(name), path, sizeof(path))) != S_OK) return hr;
    if (profstore_exists(path)) return MAPI_E_NO_ACCESS; /* S11 */
    make_folder(path);
    if ((hr = profstore_open(path, TRUE, &store)) != S_OK) return hr;
    if (flags & MAPI_DEFAULT_SERVICES && (hr = add_default_services(store, ui_param, flags)) != S_OK) {
        profstore_delete_file(store); /* S11 (INF): a failing entry takes the new profile with it */
        profstore_release(store);
        return hr;
    }
    event_step(ABOUT_HOST, "profile %s created (%s)", name, path);
    profstore_release(store);
    return S_OK;
}

static HRESULT WINAPI profadmin_DeleteProfile(IProfAdmin *iface, LPTSTR profile_name, ULONG flags)
{
    char name[MAX_PATH], default_name[MAX_PATH];
    struct psection **services;
    struct profstore *store;
    ULONG count, i;
    HRESULT hr;

    TRACE("(%p, %p, %#lx)\n", iface, profile_name, flags);
    if (flags & ~(MAPI_UNICODE | MAPI_APP_PROFILE)) return MAPI_E_UNKNOWN_FLAGS;
    if ((hr = open_existing(profile_name, flags, name, sizeof(name), &store)) != S_OK) return hr;
    /* S12: every service entry hears of it before the services go. */
    count = profstore_list(store, NULL, FALSE, &services);
    for (i = 0; i < count; i++)
        if (svcentry_exists(store, services[i]))
            provadmin_call_entry(store, services[i], MSG_SERVICE_DELETE, 0, 0, 0, NULL, NULL);
    free(services);
    hr = profstore_delete_file(store);
    event_step(ABOUT_HOST, "profile %s deleted%s", name, store->sessions ? " when its last session ends (S12)" : "");
    profstore_release(store);
    /* A default that names no profile is none: MAPILogonEx's default must never point at a deleted one. */
    if (hr == S_OK && proffolder_default_name(default_name, sizeof(default_name)) && !_stricmp(default_name, name))
        hr = proffolder_set_default_name(NULL);
    return hr;
}

static HRESULT WINAPI profadmin_ChangeProfilePassword(IProfAdmin *iface, LPTSTR profile_name, LPTSTR old_password,
                                                      LPTSTR new_password, ULONG flags)
{
    TRACE("(%p, %p, %p, %p, %#lx)\n", iface, profile_name, old_password, new_password, flags);
    return S_OK; /* S15: no action */
}

static HRESULT WINAPI profadmin_CopyProfile(IProfAdmin *iface, LPTSTR old_name, LPTSTR old_password, LPTSTR new_name,
                                            ULONG_PTR ui_param, ULONG flags)
{
    char name[MAX_PATH], copy_name[MAX_PATH], path[MAX_PATH];
    struct profstore *store, *copy;
    struct psection *instance;
    SPropValue key;
    MAPIUID uid;
    HRESULT hr;

    TRACE("(%p, %p, %p, %p, %#Ix, %#lx)\n", iface, old_name, old_password, new_name, ui_param, flags);
    if (flags & ~(MAPI_UNICODE | MAPI_DIALOG | MAPI_APP_PROFILE)) return MAPI_E_UNKNOWN_FLAGS;
    if ((hr = name_and_path(new_name, flags, copy_name, sizeof(copy_name), path, sizeof(path))) != S_OK) return hr;
    if (profstore_exists(path)) return MAPI_E_NO_ACCESS; /* X4 */
    if ((hr = open_existing(old_name, flags, name, sizeof(name), &store)) != S_OK) return hr;
    if (!CopyFileA(store->path, path, TRUE)) hr = MAPI_E_NO_ACCESS;
    profstore_release(store);
    if (hr != S_OK || (hr = profstore_open(path, FALSE, &copy)) != S_OK) return hr;
    /* S13: a copy is another profile: its own PR_SEARCH_KEY. */
    CoCreateGuid((GUID *)&uid);
    key.ulPropTag = PR_SEARCH_KEY;
    key.Value.bin.cb = sizeof(uid);
    key.Value.bin.lpb = uid.ab;
    AcquireSRWLockShared(&copy->lock);
    instance = psection_lookup(copy, &psection_instance_uid);
    ReleaseSRWLockShared(&copy->lock);
    if (instance) hr = profstore_set_props(copy, instance, 1, &key);
    profstore_release(copy);
    event_step(ABOUT_HOST, "profile %s copied to %s -> %s", name, copy_name, hresult_text(hr));
    return hr;
}

static HRESULT WINAPI profadmin_RenameProfile(IProfAdmin *iface, LPTSTR old_name, LPTSTR old_password, LPTSTR new_name,
                                              ULONG_PTR ui_param, ULONG flags)
{
    char name[MAX_PATH], renamed[MAX_PATH], path[MAX_PATH], default_name[MAX_PATH];
    struct profstore *store;
    HRESULT hr;

    TRACE("(%p, %p, %p, %p, %#Ix, %#lx)\n", iface, old_name, old_password, new_name, ui_param, flags);
    if (flags & ~(MAPI_UNICODE | MAPI_DIALOG | MAPI_APP_PROFILE)) return MAPI_E_UNKNOWN_FLAGS;
    if ((hr = name_and_path(new_name, flags, renamed, sizeof(renamed), path, sizeof(path))) != S_OK) return hr;
    if (profstore_exists(path)) return MAPI_E_NO_ACCESS; /* S14 (INF) */
    if ((hr = open_existing(old_name, flags, name, sizeof(name), &store)) != S_OK) return hr;
    /* S14: sessions using it go on; this host renames at once and their changes follow the file. */
    hr = profstore_rename(store, path);
    profstore_release(store);
    if (hr == S_OK && proffolder_default_name(default_name, sizeof(default_name)) && !_stricmp(default_name, name))
        hr = proffolder_set_default_name(renamed);
    event_step(ABOUT_HOST, "profile %s renamed to %s -> %s", name, renamed, hresult_text(hr));
    return hr;
}

static HRESULT WINAPI profadmin_SetDefaultProfile(IProfAdmin *iface, LPTSTR profile_name, ULONG flags)
{
    char name[MAX_PATH], path[MAX_PATH];
    HRESULT hr;

    TRACE("(%p, %p, %#lx)\n", iface, profile_name, flags);
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (!profile_name) return proffolder_set_default_name(NULL); /* S15: NULL only clears */
    if ((hr = name_and_path(profile_name, flags, name, sizeof(name), path, sizeof(path))) != S_OK) return hr;
    if (!profstore_exists(path)) return MAPI_E_NOT_FOUND;
    return proffolder_set_default_name(name);
}

static HRESULT WINAPI profadmin_AdminServices(IProfAdmin *iface, LPTSTR profile_name, LPTSTR password,
                                              ULONG_PTR ui_param, ULONG flags, IMsgServiceAdmin **out)
{
    struct profstore *store;
    char name[MAX_PATH];
    HRESULT hr;

    TRACE("(%p, %p, %p, %#Ix, %#lx, %p)\n", iface, profile_name, password, ui_param, flags, out);
    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    /* S16: an unknown profile is a failed logon. */
    if ((hr = open_existing(profile_name, flags & MAPI_UNICODE, name, sizeof(name), &store)) != S_OK)
        return hr == MAPI_E_INVALID_PARAMETER ? hr : MAPI_E_LOGON_FAILED;
    hr = svcadmin_create(store, out);
    profstore_release(store);
    return hr;
}

static const IProfAdminVtbl profadmin_vtbl = {
    profadmin_QueryInterface,  profadmin_AddRef,        profadmin_Release,           profadmin_GetLastError,
    profadmin_GetProfileTable, profadmin_CreateProfile, profadmin_DeleteProfile,     profadmin_ChangeProfilePassword,
    profadmin_CopyProfile,     profadmin_RenameProfile, profadmin_SetDefaultProfile, profadmin_AdminServices,
};

HRESULT WINAPI MAPIAdminProfiles(ULONG flags, IProfAdmin **out)
{
    struct profadmin *admin;

    TRACE("(%#lx, %p)\n", flags, out);
    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!mapihost_is_initialized()) return MAPI_E_NOT_INITIALIZED;
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    if (!(admin = calloc(1, sizeof(*admin)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    admin->IProfAdmin_iface.lpVtbl = &profadmin_vtbl;
    admin->refcount = 1;
    *out = &admin->IProfAdmin_iface;
    return S_OK;
}
