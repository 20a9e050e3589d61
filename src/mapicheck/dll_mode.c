/*
 * mapicheck's provider-DLL mode. A DLL named by MAPI's rule, <stem>32.dll, gets a profile of its own with a provider
 * section for each entry point it exports, and goes through a whole client session (profile_mode_check.c): init,
 * logon, the client's calls, logoff, Shutdown, Release and the unload. Any other name cannot be written in a profile
 * (H1): no session can load it, so nothing is checked and the run stops as bad input, saying how to name the DLL. A
 * verdict is only ever given on a lifecycle that ran.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "mapihost_x.h"
#include "mapihost.h"
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

/* A DLL no profile can name: MAPI loads <name>32.dll for a profile's <name>.dll, so the file must end in "32" before
 * its only period. Nothing runs; the message says how to name it. */
static int unnamed(const char *path)
{
    const char *file = path, *p, *period;
    char why[MAX_PATH + 512];

    for (p = path; *p; p++)
        if (*p == '\\' || *p == '/') file = p + 1;
    period = strchr(file, '.');

    if (!period || strchr(period + 1, '.'))
        snprintf(why, sizeof(why),
                 "%s cannot be a provider DLL's file name: MAPI loads the name a profile gives with \"32\" put "
                 "before its first period (H1), so the name needs exactly one period, as in myprovider32.dll",
                 file);
    else
        snprintf(why, sizeof(why),
                 "%s is not named <name>32.dll, so no profile can name it and no session can load it (MAPI loads "
                 "the name a profile gives with \"32\" put before its first period, H1); nothing was checked. Name "
                 "the DLL %.*s32%s (with CMake: set_target_properties(TARGET PROPERTIES OUTPUT_NAME %.*s32 PREFIX "
                 "\"\")) and check that file",
                 file, (int)(period - file), file, period, (int)(period - file), file);
    return verdict_bad_input(why);
}

/* Why Windows cannot load a file, in words: the common cases named, the rest as the system says them. */
static void load_failure(DWORD error, char *why, size_t size)
{
    int length;

    switch (error) {
    case ERROR_BAD_EXE_FORMAT:
        snprintf(why, size, "not a 64-bit DLL (a 32-bit DLL, or no DLL at all); mapihost is 64-bit");
        return;
    case ERROR_MOD_NOT_FOUND: snprintf(why, size, "a DLL it needs is missing"); return;
    case ERROR_ACCESS_DENIED: snprintf(why, size, "access denied"); return;
    case ERROR_SHARING_VIOLATION: snprintf(why, size, "another program has it open and shares it with no one"); return;
    }
    length = snprintf(why, size, "Win32 error %lu: ", error);
    if (!FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, error, 0, why + length,
                        size - length, NULL))
        snprintf(why + length, size - length, "cannot be loaded");
    while ((length = strlen(why)) && (why[length - 1] == '\n' || why[length - 1] == '\r' || why[length - 1] == '.'))
        why[length - 1] = 0;
}

/* Which entry points the DLL exports, read without running any of its code (no DllMain); -1 when it cannot be
 * loaded, with why. */
static int exported_entry_points(const char *path, BOOL exported[3], char *why, size_t size)
{
    HMODULE module = LoadLibraryExA(path, NULL, DONT_RESOLVE_DLL_REFERENCES);
    int count = 0;
    ULONG kind;

    if (!module) {
        load_failure(GetLastError(), why, size);
        return -1;
    }
    for (kind = 0; kind < 3; kind++) count += exported[kind] = GetProcAddress(module, entry_points[kind]) != NULL;
    FreeLibrary(module);
    return count;
}

/* The DLL's service entry (S30), if it exports one. */
static BOOL exports_service_entry(const char *path)
{
    HMODULE module = LoadLibraryExA(path, NULL, DONT_RESOLVE_DLL_REFERENCES);
    BOOL found = module && GetProcAddress(module, "ServiceEntry");

    if (module) FreeLibrary(module);
    return found;
}

/* As a provider author's tool would: IProfAdmin::AdminServices, then ConfigureMsgService with the --prop values. The
 * service entry's calls and results are in the event log. */
static BOOL configure_service(const char *profile_name, const char *const *args, int arg_count)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_SERVICE_UID } };
    IMsgServiceAdmin *services = NULL;
    SPropValue *props = NULL, **values = NULL;
    IMAPITable *table = NULL;
    IProfAdmin *admin = NULL;
    SRowSet *rows = NULL;
    const char *why;
    HRESULT hr;
    int i, count = 0;

    if ((hr = MAPIInitialize(NULL)) != S_OK) return FALSE;
    if (!(values = calloc(arg_count / 2 + 1, sizeof(*values))) || !(props = calloc(arg_count / 2 + 1, sizeof(*props))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 1; hr == S_OK && i < arg_count; i += 2) {
        if ((hr = MapihostParseProp(args[i], &values[count], &why)) != S_OK)
            printf("mapicheck: --prop %s: %s\n", args[i], why ? why : "cannot be parsed");
        else
            props[count] = *values[count], count++;
    }
    if (hr == S_OK && (hr = MAPIAdminProfiles(0, &admin)) == S_OK
        && (hr = IProfAdmin_AdminServices(admin, (LPTSTR)profile_name, NULL, 0, 0, &services)) == S_OK
        && (hr = IMsgServiceAdmin_GetMsgServiceTable(services, 0, &table)) == S_OK
        && (hr = IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0)) == S_OK
        && (hr = IMAPITable_QueryRows(table, 1, 0, &rows)) == S_OK && rows->cRows)
        hr = IMsgServiceAdmin_ConfigureMsgService(services, (MAPIUID *)rows->aRow[0].lpProps[0].Value.bin.lpb, 0, 0,
                                                  count, props);
    printf("mapicheck: IMsgServiceAdmin::ConfigureMsgService with %d properties -> %#lx\n", count, (ULONG)hr);
    if (rows) {
        for (i = 0; i < (int)rows->cRows; i++) MAPIFreeBuffer(rows->aRow[i].lpProps);
        MAPIFreeBuffer(rows);
    }
    if (table) IMAPITable_Release(table);
    if (services) IMsgServiceAdmin_Release(services);
    if (admin) IProfAdmin_Release(admin);
    for (i = 0; i < count; i++) MAPIFreeBuffer(values[i]);
    free(values);
    free(props);
    MAPIUninitialize();
    return hr == S_OK;
}

int dll_mode_check(const char *path, const char *const *args, int arg_count, profile_check *check)
{
    char name[MAX_PATH], profile[MAX_PATH], folder[MAX_PATH], profile_name[64], text[4096];
    char why[2 * MAX_PATH + 256], reason[256];
    int count;
    BOOL exported[3], service_entry;
    ULONG kind;
    size_t length;
    FILE *file;
    int result;

    if (GetFileAttributesA(path) == INVALID_FILE_ATTRIBUTES) {
        snprintf(why, sizeof(why), "%s: no such file", path);
        return verdict_bad_input(why);
    }
    if (!profile_dll_name(path, name, sizeof(name))) return unnamed(path);
    if ((count = exported_entry_points(path, exported, reason, sizeof(reason))) < 0) {
        snprintf(why, sizeof(why), "%s cannot be loaded: %s", path, reason);
        return verdict_bad_input(why);
    }
    if (!count) {
        snprintf(why, sizeof(why),
                 "%s is not a provider DLL: it exports none of ABProviderInit, MSProviderInit and XPProviderInit",
                 path);
        return verdict_bad_input(why);
    }

    length = snprintf(text, sizeof(text), "[Services]\nChecked = %s\n[Checked]\nProviders =", path);
    service_entry = exports_service_entry(path);
    for (kind = 0; kind < 3; kind++)
        if (exported[kind])
            length += snprintf(text + length, sizeof(text) - length, "%s %s", text[length - 1] == '=' ? "" : ",",
                               section_names[kind]);
    text[length++] = '\n';
    if (service_entry)
        length += snprintf(text + length, sizeof(text) - length,
                           "PR_SERVICE_DLL_NAME = %s\n"
                           "PR_SERVICE_ENTRY_NAME = ServiceEntry\n",
                           name);
    for (kind = 0; kind < 3; kind++)
        if (exported[kind])
            length += snprintf(text + length, sizeof(text) - length,
                               "[%s]\nPR_PROVIDER_DLL_NAME = %s\n"
                               "PR_RESOURCE_TYPE = %s\n",
                               section_names[kind], name, resource_types[kind]);
    GetTempPathA(sizeof(folder), folder);
    snprintf(profile_name, sizeof(profile_name), "mapicheck-%lu", GetCurrentProcessId());
    snprintf(profile, sizeof(profile), "%s%s.inf", folder, profile_name);
    if (length >= sizeof(text) || !(file = fopen(profile, "wb"))) {
        printf("mapicheck: cannot write a profile for %s in %s\n", path, folder);
        return verdict_bad_input("cannot write a profile for the DLL");
    }
    fputs(text, file);
    fclose(file);
    printf("mapicheck: provider DLL %s, in a profile of its own:\n%s\n", path, text);
    /* A DLL with a service entry is configured through it, as MAPI would, before the session (S20). */
    if (service_entry) {
        SetEnvironmentVariableA("MAPIHOST_PROFILE_DIR", folder);
        if (!configure_service(profile_name, args, arg_count))
            printf("mapicheck: the service entry did not configure the service; the logon will say why\n");
    } else if (arg_count)
        printf("mapicheck: %s exports no ServiceEntry; --prop is ignored\n", path);
    result = check(profile);
    DeleteFileA(profile);
    return result;
}
