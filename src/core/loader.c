/*
 * Provider DLLs (spec §1B, §1G). Each DLL is loaded once and counted by the provider objects alive from it; it is
 * freed only when none is left *and* MAPI is uninitialised (H23, the strict form of E2). Every LoadLibrary is
 * matched by one FreeLibrary (H2), FreeLibrary never runs under our lock (a DllMain may call back, H24), and a DLL
 * whose provider object outlived its Release stays loaded: its vtables point into it (F5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "loader.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(loader);

const char *const loader_kind_names[3] = { "address book", "message store", "transport" };
const char *const loader_entry_names[3] = { "ABProviderInit", "MSProviderInit", "XPProviderInit" };
const char *const loader_interface_names[3] = { "IABProvider", "IMSProvider", "IXPProvider" };

/* A safe search: a full path loads that file, its dependencies from its own folder first; a bare name is looked for
 * in the application's folder and the system's, never in the current directory or along PATH, which others can
 * write to. */
static HMODULE os_load_library(const char *path)
{
    BOOL full = path[0] == '\\' || path[0] == '/' || (path[0] && path[1] == ':');

    return LoadLibraryExA(path, NULL,
                          full ? LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR | LOAD_LIBRARY_SEARCH_DEFAULT_DIRS
                               : LOAD_LIBRARY_SEARCH_DEFAULT_DIRS);
}
static FARPROC os_get_proc_address(HMODULE module, const char *name)
{
    return GetProcAddress(module, name);
}
static BOOL os_free_library(HMODULE module)
{
    return FreeLibrary(module);
}

static const struct os_ops win32_ops = {
    .load_library = os_load_library,
    .get_proc_address = os_get_proc_address,
    .free_library = os_free_library,
};
const struct os_ops *mapihost_os = &win32_ops;

/* The administrator's policy (docs/host-behaviour.md, "Provider DLLs"): HKLM\Software\Policies\mapihost, value
 * ProviderFolders, the folders provider and service DLLs may come from (a REG_MULTI_SZ, or a REG_SZ separated by ';').
 * Only HKLM: a user can write HKCU. The folders as full paths without a trailing separator; how many (0: no policy). */
#define POLICY_KEY "Software\\Policies\\mapihost"
#define POLICY_VALUE "ProviderFolders"

static ULONG policy_folders(char (*folders)[MAX_PATH], ULONG max, char *text, DWORD size)
{
    ULONG count = 0;
    size_t length, folder;
    DWORD i;
    char *p;

    if (RegGetValueA(HKEY_LOCAL_MACHINE, POLICY_KEY, POLICY_VALUE, RRF_RT_REG_SZ | RRF_RT_REG_MULTI_SZ, NULL, text,
                     &size)
            != ERROR_SUCCESS
        || !size)
        return 0;
    for (i = 0; i + 1 < size; i++)
        if (!text[i]) text[i] = ';'; /* a REG_MULTI_SZ's strings, as one list */
    text[size - 1] = 0;
    for (p = text; *p && count < max; p += length + (p[length] ? 1 : 0)) {
        char separator;

        length = strcspn(p, ";");
        separator = p[length];
        p[length] = 0;
        folder = length ? GetFullPathNameA(p, MAX_PATH, folders[count], NULL) : 0;
        p[length] = separator;
        if (!folder || folder >= MAX_PATH) continue;
        while (folder > 3 && (folders[count][folder - 1] == '\\' || folders[count][folder - 1] == '/'))
            folders[count][--folder] = 0;
        count++;
    }
    return count;
}

/* Under the policy, the file path may load: a full path inside an allowed folder (or below one), a bare name found in
 * one; the file to load into allowed. Without a policy, the path as it is. FALSE, with the event said, otherwise. */
static BOOL policy_allows(const char *path, char *allowed, size_t size)
{
    char folders[16][MAX_PATH], text[16 * MAX_PATH], full[MAX_PATH], list[16 * (MAX_PATH + 2)] = "";
    ULONG count = policy_folders(folders, ARRAYSIZE(folders), text, sizeof(text)), i;
    const char *name = strrchr(path, '\\') ? strrchr(path, '\\') + 1 : path;
    BOOL bare = !strpbrk(path, "\\/:");
    size_t length;

    if ((size_t)snprintf(allowed, size, "%s", path) >= size) return FALSE;
    if (!count) return TRUE;
    for (i = 0; i < count; i++) {
        length = strlen(folders[i]);
        if (bare) {
            snprintf(full, sizeof(full), "%s\\%s", folders[i], path);
            if (GetFileAttributesA(full) != INVALID_FILE_ATTRIBUTES)
                return snprintf(allowed, size, "%s", full) < (int)size;
        } else if (GetFullPathNameA(path, sizeof(full), full, NULL) && !_strnicmp(full, folders[i], length)
                   && (full[length] == '\\' || full[length] == '/'))
            return snprintf(allowed, size, "%s", full) < (int)size;
        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? "; " : "", folders[i]);
    }
    event_error(about_dll(name), "policy",
                "%s: not loaded: the policy %s in HKLM\\%s allows provider DLLs only from %s, and %s %s", name,
                POLICY_VALUE, POLICY_KEY, list, path, bare ? "is in none of them" : "is not in them");
    return FALSE;
}

static SRWLOCK lock = SRWLOCK_INIT;
static struct list libraries = LIST_INIT(libraries);

static struct library *find_library(const char *path, HMODULE module)
{
    struct list *cursor;

    LIST_FOR_EACH (cursor, &libraries) {
        struct library *library = LIST_ENTRY(cursor, struct library, entry);
        if ((path && !_stricmp(library->path, path)) || (module && library->module == module)) return library;
    }
    return NULL;
}

struct library *library_open(const char *path, HRESULT *hr)
{
    char loaded[MAX_PATH], allowed[MAX_PATH];
    struct library *library;
    HMODULE module;

    if (!policy_allows(path, allowed, sizeof(allowed))) {
        *hr = MAPI_E_NO_ACCESS;
        return NULL;
    }
    path = allowed;
    AcquireSRWLockExclusive(&lock);
    if ((library = find_library(path, NULL))) {
        library->users++;
        ReleaseSRWLockExclusive(&lock);
        return library;
    }
    ReleaseSRWLockExclusive(&lock);

    if (!(module = mapihost_os->load_library(path))) {
        const char *name = strrchr(path, '\\');
        event_error(ABOUT_HOST, NULL, "%s: cannot load the provider DLL %s: Win32 error %lu", name ? name + 1 : path,
                    path, GetLastError());
        *hr = MAPI_E_NOT_FOUND;
        return NULL;
    }

    AcquireSRWLockExclusive(&lock);
    if ((library = find_library(NULL, module))) {
        /* The same DLL under another name: keep one LoadLibrary per DLL, undo the second at once. */
        library->users++;
        ReleaseSRWLockExclusive(&lock);
        mapihost_os->free_library(module);
        return library;
    }
    if (!(library = calloc(1, sizeof(*library))) || !(library->path = _strdup(path))) {
        ReleaseSRWLockExclusive(&lock);
        free(library);
        mapihost_os->free_library(module);
        *hr = MAPI_E_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    library->name = strrchr(library->path, '\\') ? strrchr(library->path, '\\') + 1 : library->path;
    library->module = module;
    library->users = 1;
    list_add_tail(&libraries, &library->entry);
    ReleaseSRWLockExclusive(&lock);
    /* The file actually loaded, wherever the search found it. */
    if (!GetModuleFileNameA(module, loaded, sizeof(loaded))) snprintf(loaded, sizeof(loaded), "?");
    event_step(about_dll(library->name), "%s: LoadLibrary(%s) -> %s", library->name, path, loaded);
    return library;
}

struct library *library_open_near(const struct library *beside, const char *name, HRESULT *hr)
{
    char path[MAX_PATH];
    const char *slash = beside && beside->path ? strrchr(beside->path, '\\') : NULL;
    BOOL bare = !strpbrk(name, "\\/:");

    if (bare && slash && (size_t)(slash - beside->path) + 1 + strlen(name) < sizeof(path)) {
        snprintf(path, sizeof(path), "%.*s\\%s", (int)(slash - beside->path), beside->path, name);
        if (GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES) return library_open(path, hr);
    }
    return library_open(name, hr);
}

FARPROC library_entry(const struct library *library, const char *name)
{
    return mapihost_os->get_proc_address(library->module, name);
}

/* Unlinks library if nothing uses it and MAPI is no longer initialised; the caller frees it outside the lock. */
static BOOL detach_if_unused(struct library *library)
{
    if (library->users > 0 || library->leaked || library->abandoned || mapihost_is_initialized()) return FALSE;
    list_remove(&library->entry);
    return TRUE;
}

/* H27: what a provider allocated with MAPI's allocators and never freed, counted while its code is still mapped. */
static void report_leaked_buffers(const struct library *library)
{
    ULONG leaked = mapihost_live_buffers_from(library->module);

    if (leaked)
        event_violation(about_dll(library->name), "H27",
                        "%s: %lu MAPI buffers it allocated are still live after the last "
                        "MAPIUninitialize (H27)",
                        library->name, leaked);
}

static void free_library(struct library *library)
{
    report_leaked_buffers(library);
    event_step(about_dll(library->name), "%s: FreeLibrary", library->name);
    mapihost_os->free_library(library->module);
    free(library->path);
    free(library);
}

void library_close(struct library *library)
{
    BOOL unused;

    AcquireSRWLockExclusive(&lock);
    library->users--;
    unused = detach_if_unused(library);
    ReleaseSRWLockExclusive(&lock);
    if (unused) free_library(library);
}

static ULONG release_provider_object(struct library *library, IUnknown *provider)
{
    ULONG refs = IUnknown_Release(provider);

    if (refs) {
        AcquireSRWLockExclusive(&lock);
        library->leaked = TRUE;
        ReleaseSRWLockExclusive(&lock);
    }
    return refs;
}

HRESULT library_shutdown_provider(enum provider_kind kind, IUnknown *provider, ULONG *flags)
{
    switch (kind) {
    case PROVIDER_AB: return IABProvider_Shutdown((IABProvider *)provider, flags);
    case PROVIDER_MS: return IMSProvider_Shutdown((IMSProvider *)provider, flags);
    case PROVIDER_XP: return IXPProvider_Shutdown((IXPProvider *)provider, flags);
    }
    return E_UNEXPECTED;
}

ULONG library_release_provider(struct library *library, IUnknown *provider)
{
    ULONG refs = release_provider_object(library, provider);

    library_close(library);
    return refs;
}

void library_abandon(struct library *library)
{
    AcquireSRWLockExclusive(&lock);
    library->abandoned = TRUE;
    ReleaseSRWLockExclusive(&lock);
}

/* Why a library outlives the last MAPIUninitialize, reported once the loader's lock is dropped (a sink may call in). */
static void report_kept(const struct library *library)
{
    report_leaked_buffers(library);
    if (library->abandoned)
        event_violation(about_dll(library->name), "H23",
                        "%s: stays loaded after the last MAPIUninitialize: a provider from it "
                        "crashed or hung",
                        library->name);
    else if (library->leaked)
        event_violation(about_dll(library->name), "H23",
                        "%s: stays loaded after the last MAPIUninitialize: a provider object from "
                        "it is still alive after its final Release (F5)",
                        library->name);
    else
        event_error(about_dll(library->name), "H23", "%s: stays loaded after the last MAPIUninitialize: still in use",
                    library->name);
}

void library_unload_unused(void)
{
    struct list unused = LIST_INIT(unused), *cursor, *next;
    struct library **kept = NULL;
    ULONG kept_count = 0, i;

    AcquireSRWLockExclusive(&lock);
    LIST_FOR_EACH_SAFE (cursor, next, &libraries) {
        struct library *library = LIST_ENTRY(cursor, struct library, entry);
        struct library **grown;

        if (detach_if_unused(library))
            list_add_tail(&unused, &library->entry);
        else if ((grown = realloc(kept, (kept_count + 1) * sizeof(*kept))))
            (kept = grown)[kept_count++] = library;
    }
    ReleaseSRWLockExclusive(&lock);
    /* Read without the lock: after the last MAPIUninitialize nothing else may be using MAPI. */
    for (i = 0; i < kept_count; i++) report_kept(kept[i]);
    free(kept);
    LIST_FOR_EACH_SAFE (cursor, next, &unused) free_library(LIST_ENTRY(cursor, struct library, entry));
}

ULONG library_count(void)
{
    struct list *cursor;
    ULONG count = 0;

    AcquireSRWLockExclusive(&lock);
    LIST_FOR_EACH (cursor, &libraries) count++;
    ReleaseSRWLockExclusive(&lock);
    return count;
}

/* ABPROVIDERINIT, MSPROVIDERINIT and XPPROVIDERINIT share one signature but for the type of the last pointer. */
typedef HRESULT(STDMAPIINITCALLTYPE PROVIDERINIT)(HINSTANCE, LPMALLOC, LPALLOCATEBUFFER, LPALLOCATEMORE, LPFREEBUFFER,
                                                  ULONG, ULONG, ULONG *, IUnknown **);

HRESULT library_init_provider(struct library *library, enum provider_kind kind, IUnknown **provider, ULONG *version)
{
    const char *name = loader_entry_names[kind];
    IUnknown *object = NULL;
    ULONG provider_version = 0;
    PROVIDERINIT *init;
    HRESULT hr;

    *provider = NULL;
    *version = 0;
    if (!(init = (PROVIDERINIT *)(void *)mapihost_os->get_proc_address(library->module, name))) {
        event_error(about_dll(library->name), NULL, "%s: does not export %s, so it holds no %s provider", library->name,
                    name, loader_kind_names[kind]);
        return MAPI_E_NO_SUPPORT;
    }
    /* H3: the real HMODULE, a live IMalloc, our allocators, no flags, and exactly CURRENT_SPI_VERSION (F5). */
    hr = init(library->module, mapihost_get_malloc(), MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, 0,
              CURRENT_SPI_VERSION, &provider_version, &object);
    if (FAILED(hr)) {
        /* Out-parameters after a failure are garbage in real providers (F5): never touch them. */
        event_error(about_dll(library->name), NULL, "%s: %s failed with %s", library->name, name, hresult_text(hr));
        return hr;
    }
    if (!object) {
        event_error(about_dll(library->name), NULL, "%s: %s succeeded but returned no provider object", library->name,
                    name);
        return MAPI_E_CALL_FAILED;
    }
    /* H4: a provider older than the first SPI cannot be served; newer ones are accepted (F5: 0x00020003). */
    if (provider_version < PDK1_SPI_VERSION) {
        event_error(about_dll(library->name), "H4",
                    "%s: %s reports SPI version %#lx, older than %#lx; its provider object is "
                    "released at once (H4)",
                    library->name, name, provider_version, (unsigned long)PDK1_SPI_VERSION);
        if (release_provider_object(library, object))
            event_violation(about_dll(library->name), "H22",
                            "%s: %s: the provider object is still alive after its Release; the DLL "
                            "stays loaded (H22)",
                            library->name, name);
        return MAPI_E_VERSION;
    }
    event_step(about_dll(library->name), "%s: %s -> S_OK, SPI version %#lx", library->name, name, provider_version);
    AcquireSRWLockExclusive(&lock);
    library->users++;
    ReleaseSRWLockExclusive(&lock);
    *provider = object;
    *version = provider_version;
    return S_OK;
}
