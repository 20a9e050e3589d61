/*
 * mapireg: registers mapihost as the system's MAPI (spec U3-U5), in a Wine prefix or on Windows, and takes it back.
 *
 *   mapireg register [--not-default]   HKLM\Software\Clients\Mail\mapihost with DLLPathEx (this mapihost.dll) and
 *                                      MSIComponentID (mapihost's own), the default mail client unless --not-default
 *                                      (the previous default is kept to come back at unregister), and
 *                                      HKLM\Software\Microsoft\Windows Messaging Subsystem MAPIX = 1
 *   mapireg unregister                 every value register changed back as it was, mapihost's key gone
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

/* The values register sets outside mapihost's own key. Before the first change of each, what it held is kept in
 * mapihost's key ("Previous" + its name, or "Absent" + its name when there was none), so that unregister, or a
 * register that fails halfway, puts back exactly what was there. The default mail client is one of them. */
static const struct {
    const char *key, *name, *value;
} shared_values[] = {
    { MESSAGING_KEY, "MAPIX", "1" },
    { MESSAGING_KEY, "MAPIXVER", "1.0.0.1" },
    { MAIL_CLIENTS_KEY, NULL, MAPIHOST_CLIENT_NAME },
};

static void saved_names(size_t i, char *previous, char *absent, size_t size)
{
    const char *name = shared_values[i].name ? shared_values[i].name : "Default";

    snprintf(previous, size, "Previous%s", name);
    snprintf(absent, size, "Absent%s", name);
}

/* Remembers value i as it is now, unless an earlier register already did; FALSE if it cannot be written. */
static BOOL save_shared(size_t i)
{
    char previous[64], absent[64], value[MAX_PATH];

    saved_names(i, previous, absent, sizeof(previous));
    if (get_string(MAPIHOST_CLIENT_KEY, previous, value, sizeof(value))
        || get_string(MAPIHOST_CLIENT_KEY, absent, value, sizeof(value)))
        return TRUE;
    /* A default that already names mapihost (its key lost by hand) is no default to give back. */
    if (get_string(shared_values[i].key, shared_values[i].name, value, sizeof(value))
        && (shared_values[i].name || _stricmp(value, MAPIHOST_CLIENT_NAME)))
        return set_string(MAPIHOST_CLIENT_KEY, previous, value);
    return set_string(MAPIHOST_CLIENT_KEY, absent, "1");
}

/* Every shared value back as it was before mapihost's first register, then mapihost's key gone. */
static BOOL restore_shared(void)
{
    char previous[64], absent[64], value[MAX_PATH];
    BOOL restored = TRUE;
    LONG result;
    size_t i;

    for (i = 0; i < ARRAYSIZE(shared_values); i++) {
        saved_names(i, previous, absent, sizeof(previous));
        if (get_string(MAPIHOST_CLIENT_KEY, previous, value, sizeof(value)))
            restored &= set_string(shared_values[i].key, shared_values[i].name, value);
        else if (get_string(MAPIHOST_CLIENT_KEY, absent, value, sizeof(value))) {
            result = RegDeleteKeyValueA(HKEY_LOCAL_MACHINE, shared_values[i].key, shared_values[i].name);
            restored &= result == ERROR_SUCCESS || result == ERROR_FILE_NOT_FOUND;
        }
    }
    if (!restored) return FALSE;
    result = RegDeleteTreeA(HKEY_LOCAL_MACHINE, MAPIHOST_CLIENT_KEY);
    if (result != ERROR_SUCCESS && result != ERROR_FILE_NOT_FOUND) {
        fprintf(stderr, "mapireg: cannot delete HKLM\\%s (error %ld)\n", MAPIHOST_CLIENT_KEY, result);
        return FALSE;
    }
    return TRUE;
}

/* A folder any program of this user can write to: whoever can replace mapihost.dll there runs code in every MAPI
 * client. Probed by creating a file, as the only check that holds for every kind of permission. */
static BOOL user_writable(const char *dll)
{
    char probe[MAX_PATH + 32];
    const char *slash = strrchr(dll, '\\');
    HANDLE file;

    snprintf(probe, sizeof(probe), "%.*s\\~mapireg-%lu.tmp", (int)(slash - dll), dll, GetCurrentProcessId());
    file = CreateFileA(probe, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_FLAG_DELETE_ON_CLOSE, NULL);
    if (file == INVALID_HANDLE_VALUE) return FALSE;
    CloseHandle(file);
    return TRUE;
}

static int do_register(BOOL make_default)
{
    char path[MAX_PATH], current[256] = "";
    BOOL done;
    size_t i;

    if (!mapihost_path(path, sizeof(path))) {
        fprintf(stderr, "mapireg: cannot find mapihost.dll beside mapireg.exe\n");
        return 1;
    }
    if (user_writable(path))
        fprintf(stderr,
                "mapireg: warning: %s is in a folder this user can write to; any program running as this user could "
                "replace it, and every MAPI client would load it. Install mapihost where only administrators write "
                "(such as Program Files) before registering it for real use.\n",
                path);
    done = set_string(MAPIHOST_CLIENT_KEY, NULL, MAPIHOST_CLIENT_NAME)
           && set_string(MAPIHOST_CLIENT_KEY, "DLLPathEx", path)
           && set_string(MAPIHOST_CLIENT_KEY, "MSIComponentID", MAPIHOST_COMPONENT_ID);
    for (i = 0; done && i < ARRAYSIZE(shared_values); i++) {
        if (!shared_values[i].name && !make_default) continue;
        done = save_shared(i) && set_string(shared_values[i].key, shared_values[i].name, shared_values[i].value);
    }
    if (!done) {
        /* Half a registration is worse than none: everything goes back. */
        fprintf(stderr, "mapireg: registration failed; %s\n",
                restore_shared() ? "everything it changed is back as it was"
                                 : "some of what it changed could not be put back");
        return 1;
    }
    get_string(MAIL_CLIENTS_KEY, NULL, current, sizeof(current));
    printf("mapireg: %s registered as mail client \"%s\", component %s; the default mail client is %s\n", path,
           MAPIHOST_CLIENT_NAME, MAPIHOST_COMPONENT_ID, *current ? current : "(none)");
    return 0;
}

static int do_unregister(void)
{
    char current[256] = "", path[MAX_PATH];

    if (!get_string(MAPIHOST_CLIENT_KEY, "DLLPathEx", path, sizeof(path))) {
        printf("mapireg: mapihost was not registered; nothing changed\n");
        return 0;
    }
    if (!restore_shared()) return 1;
    get_string(MAIL_CLIENTS_KEY, NULL, current, sizeof(current));
    printf("mapireg: mapihost unregistered; the default mail client is %s\n", *current ? current : "(none)");
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

static int help(void)
{
    fputs("mapireg: registers mapihost as the system's MAPI, and takes it back. Exit code 0, 1 (failed) or 2 "
          "(usage).\n\n"
          "  mapireg register [--not-default]   the mapihost.dll beside mapireg as a mail client whose MAPI\n"
          "                                     run-time loaders find (and the default one unless --not-default)\n"
          "  mapireg unregister                 every value register changed, back as it was\n"
          "  mapireg status                     the default client, mapihost's key, and the DLL loaders would load\n"
          "\nExample, in a Wine prefix:  wine mapireg.exe register && wine mapireg.exe status\n",
          stdout);
    return 0;
}

int main(int argc, char **argv)
{
    SetConsoleOutputCP(CP_UTF8); /* what it prints is in its code page, UTF-8 (utf8.manifest) */
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) return help();
    if (argc == 2 && !strcmp(argv[1], "register")) return do_register(TRUE);
    if (argc == 3 && !strcmp(argv[1], "register") && !strcmp(argv[2], "--not-default")) return do_register(FALSE);
    if (argc == 2 && !strcmp(argv[1], "unregister")) return do_unregister();
    if (argc == 2 && !strcmp(argv[1], "status")) return do_status();
    fputs("usage: mapireg register [--not-default] | unregister | status   (mapireg --help explains)\n", stderr);
    return 2;
}
