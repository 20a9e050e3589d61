/*
 * mapireg: registers mapihost as the system's MAPI (spec U3-U5), in a Wine prefix or on Windows, and takes it back.
 *
 *   mapireg register [--not-default]   HKLM\Software\Clients\Mail\mapihost with DLLPathEx (this mapihost.dll) and
 *                                      MSIComponentID (mapihost's own), the default mail client unless --not-default
 *                                      (the previous default is kept to come back at unregister), and
 *                                      HKLM\Software\Microsoft\Windows Messaging Subsystem MAPIX = 1
 *   mapireg unregister                 the previous default client back, mapihost's key gone
 *   mapireg status                     the default client, mapihost's key, and what the system's FGetComponentPath
 *                                      answers for mapihost's component: the path run-time loaders will load
 *
 * Under Wine, the builtin mapi32.dll reads the default client's DLLPathEx when it loads and forwards MAPIInitialize,
 * MAPILogonEx, the allocators, MAPIAdminProfiles and FGetComponentPath there; providers that look their utilities up
 * through FGetComponentPath then load mapihost.dll itself. Exit code 0 on success, 1 on failure, 2 on usage.
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "component.h"

#define MESSAGING_KEY "Software\\Microsoft\\Windows Messaging Subsystem"

typedef BOOL(WINAPI FGETCOMPONENTPATH)(LPSTR component, LPSTR qualifier, LPSTR path, DWORD size, BOOL install);

static BOOL get_string(const char *key, const char *name, char *text, DWORD size)
{
    return RegGetValueA(HKEY_LOCAL_MACHINE, key, name, RRF_RT_REG_SZ, NULL, text, &size) == ERROR_SUCCESS;
}

static BOOL set_string(const char *key, const char *name, const char *text)
{
    LONG result = RegSetKeyValueA(HKEY_LOCAL_MACHINE, key, name, REG_SZ, text, (DWORD)strlen(text) + 1);

    if (result != ERROR_SUCCESS)
        fprintf(stderr, "mapireg: cannot write HKLM\\%s%s%s (error %ld; administrator rights?)\n", key,
                name ? "\\" : "", name ? name : "", result);
    return result == ERROR_SUCCESS;
}

/* mapihost.dll's full path: beside this tool, where both are built and installed. */
static BOOL mapihost_path(char *path, DWORD size)
{
    DWORD length = GetModuleFileNameA(NULL, path, size);
    char *slash;

    if (!length || length >= size || !(slash = strrchr(path, '\\')) || (size_t)(slash - path) + 14 > size) return FALSE;
    strcpy(slash + 1, "mapihost.dll");
    return GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES;
}

static int do_register(BOOL make_default)
{
    char path[MAX_PATH], previous[256] = "";

    if (!mapihost_path(path, sizeof(path))) {
        fprintf(stderr, "mapireg: cannot find mapihost.dll\n");
        return 1;
    }
    get_string(MAIL_CLIENTS_KEY, NULL, previous, sizeof(previous));
    if (!set_string(MAPIHOST_CLIENT_KEY, NULL, MAPIHOST_CLIENT_NAME)
        || !set_string(MAPIHOST_CLIENT_KEY, "DLLPathEx", path)
        || !set_string(MAPIHOST_CLIENT_KEY, "MSIComponentID", MAPIHOST_COMPONENT_ID)
        || !set_string(MESSAGING_KEY, "MAPIX", "1") || !set_string(MESSAGING_KEY, "MAPIXVER", "1.0.0.1"))
        return 1;
    if (make_default) {
        /* The default before mapihost, to give back at unregister. */
        if (_stricmp(previous, MAPIHOST_CLIENT_NAME) && !set_string(MAPIHOST_CLIENT_KEY, "PreviousDefault", previous))
            return 1;
        if (!set_string(MAIL_CLIENTS_KEY, NULL, MAPIHOST_CLIENT_NAME)) return 1;
    }
    printf("mapireg: %s registered as mail client \"%s\"%s, component %s\n", path, MAPIHOST_CLIENT_NAME,
           make_default ? " (the default)" : "", MAPIHOST_COMPONENT_ID);
    return 0;
}

static int do_unregister(void)
{
    char current[256] = "", previous[256] = "";
    LONG result;

    get_string(MAIL_CLIENTS_KEY, NULL, current, sizeof(current));
    if (!_stricmp(current, MAPIHOST_CLIENT_NAME)) {
        if (get_string(MAPIHOST_CLIENT_KEY, "PreviousDefault", previous, sizeof(previous)) && *previous) {
            if (!set_string(MAIL_CLIENTS_KEY, NULL, previous)) return 1;
        } else
            RegDeleteKeyValueA(HKEY_LOCAL_MACHINE, MAIL_CLIENTS_KEY, NULL);
    }
    result = RegDeleteTreeA(HKEY_LOCAL_MACHINE, MAPIHOST_CLIENT_KEY);
    if (result != ERROR_SUCCESS && result != ERROR_FILE_NOT_FOUND) {
        fprintf(stderr, "mapireg: cannot delete HKLM\\%s (error %ld)\n", MAPIHOST_CLIENT_KEY, result);
        return 1;
    }
    printf("mapireg: mapihost unregistered; the default mail client is %s\n", *previous ? previous : "(none)");
    return 0;
}

static int do_status(void)
{
    char current[256] = "(none)", path[MAX_PATH] = "", system[MAX_PATH], answer[MAX_PATH] = "";
    FGETCOMPONENTPATH *function;
    HMODULE module;

    get_string(MAIL_CLIENTS_KEY, NULL, current, sizeof(current));
    printf("default mail client: %s\n", current);
    if (!get_string(MAPIHOST_CLIENT_KEY, "DLLPathEx", path, sizeof(path))) {
        printf("mapihost: not registered\n");
        return 1;
    }
    printf("mapihost: DLLPathEx %s, MSIComponentID %s\n", path, MAPIHOST_COMPONENT_ID);
    /* What a provider's run-time loader gets: the system mapi32's FGetComponentPath for mapihost's component. */
    GetSystemDirectoryA(system, sizeof(system));
    strncat(system, "\\mapi32.dll", sizeof(system) - strlen(system) - 1);
    if ((module = LoadLibraryA(system))
        && (function = (FGETCOMPONENTPATH *)(void *)GetProcAddress(module, "FGetComponentPath"))
        && function((LPSTR)MAPIHOST_COMPONENT_ID, NULL, answer, sizeof(answer), FALSE))
        printf("system FGetComponentPath(%s): %s\n", MAPIHOST_COMPONENT_ID, answer);
    else
        printf("system FGetComponentPath(%s): no answer\n", MAPIHOST_COMPONENT_ID);
    if (module) FreeLibrary(module);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "register")) return do_register(TRUE);
    if (argc == 3 && !strcmp(argv[1], "register") && !strcmp(argv[2], "--not-default")) return do_register(FALSE);
    if (argc == 2 && !strcmp(argv[1], "unregister")) return do_unregister();
    if (argc == 2 && !strcmp(argv[1], "status")) return do_status();
    fputs("usage: mapireg register [--not-default] | unregister | status\n", stderr);
    return 2;
}
