/*
 * mapicheck's provider-DLL mode. A DLL named by MAPI's rule, <stem>32.dll, gets a profile of its own with a provider
 * section for each entry point it exports, and goes through a whole client session (mapicheck_session.c): init,
 * logon, the client's calls, logoff, Shutdown, Release and the unload. Any other name cannot be written in a profile
 * (H1), so such a DLL only goes through init, Shutdown and Release (MapihostProbeProviderDll).
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "mapicheck.h"

static const char *const entry_points[3] = { "ABProviderInit", "MSProviderInit", "XPProviderInit" };
static const char *const resource_types[3] = { "MAPI_AB_PROVIDER", "MAPI_STORE_PROVIDER", "MAPI_TRANSPORT_PROVIDER" };
static const char *const section_names[3] = { "Address book", "Message store", "Transport" };

/* The name a profile gives the DLL at path: its full path without the "32" MAPI inserts (H1), or FALSE. */
static BOOL profile_dll_name(const char *path, char *name, size_t size)
{
    char full[MAX_PATH], *file, *period;

    if (!GetFullPathNameA(path, sizeof(full), full, &file) || !file) return FALSE;
    if (!(period = strchr(file, '.')) || strchr(period + 1, '.') || period - file < 3 || strncmp(period - 2, "32", 2))
        return FALSE;
    return snprintf(name, size, "%.*s%s", (int)(period - 2 - full), full, period) < (int)size;
}

/* Which entry points the DLL exports, read without running any of its code (no DllMain). */
static ULONG exported_entry_points(const char *path, BOOL exported[3])
{
    HMODULE module = LoadLibraryExA(path, NULL, DONT_RESOLVE_DLL_REFERENCES);
    ULONG count = 0, kind;

    for (kind = 0; kind < 3; kind++) count += exported[kind] = module && GetProcAddress(module, entry_points[kind]);
    if (module) FreeLibrary(module);
    return count;
}

int mapicheck_dll(const char *path)
{
    char name[MAX_PATH], profile[MAX_PATH], folder[MAX_PATH], text[4096];
    BOOL exported[3];
    ULONG kind;
    size_t length;
    FILE *file;
    int result;

    if (!profile_dll_name(path, name, sizeof(name))) {
        printf("mapicheck: %s is not named <name>32.dll, so no profile can name it (H1): init, Shutdown and "
               "Release only\n", path);
        return mapicheck_probe(path);
    }
    if (!exported_entry_points(path, exported)) return mapicheck_probe(path); /* it reports why */

    length = snprintf(text, sizeof(text), "[Services]\nChecked = %s\n[Checked]\nProviders =", path);
    for (kind = 0; kind < 3; kind++)
        if (exported[kind])
            length += snprintf(text + length, sizeof(text) - length, "%s %s", text[length - 1] == '=' ? "" : ",",
                               section_names[kind]);
    text[length++] = '\n';
    for (kind = 0; kind < 3; kind++)
        if (exported[kind])
            length += snprintf(text + length, sizeof(text) - length, "[%s]\nPR_PROVIDER_DLL_NAME = %s\n"
                               "PR_RESOURCE_TYPE = %s\n", section_names[kind], name, resource_types[kind]);
    GetTempPathA(sizeof(folder), folder);
    snprintf(profile, sizeof(profile), "%smapicheck-%lu.inf", folder, GetCurrentProcessId());
    if (length >= sizeof(text) || !(file = fopen(profile, "wb"))) {
        printf("mapicheck: cannot write a profile for %s in %s\n", path, folder);
        return 1;
    }
    fputs(text, file);
    fclose(file);
    printf("mapicheck: provider DLL %s, in a profile of its own:\n%s\n", path, text);
    result = mapicheck_session(profile);
    DeleteFileA(profile);
    return result;
}
