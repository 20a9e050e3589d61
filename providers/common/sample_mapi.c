/*
 * How the samples find MAPI's utility functions, as a third party's provider must (spec U1-U4): the default mail
 * client's MSIComponentID, FGetComponentPath from the system's mapi32.dll, then each function by Wine's decorated name
 * first and its plain name second. Where no mail client is registered, the MAPI that loaded the provider: the module
 * its allocators live in.
 */
#include <stdio.h>
#include <string.h>

#include "sample.h"

typedef BOOL(WINAPI FGETCOMPONENTPATH)(LPSTR component, LPSTR qualifier, LPSTR path, DWORD size, BOOL install);

static HMODULE registered_mapi(void)
{
    char client[128], key[256], component[64], path[MAX_PATH], system[MAX_PATH];
    DWORD size = sizeof(client);
    FGETCOMPONENTPATH *get_path;
    HMODULE stub, module = NULL;

    if (RegGetValueA(HKEY_LOCAL_MACHINE, "Software\\Clients\\Mail", NULL, RRF_RT_REG_SZ, NULL, client, &size))
        return NULL;
    snprintf(key, sizeof(key), "Software\\Clients\\Mail\\%s", client);
    size = sizeof(component);
    if (RegGetValueA(HKEY_LOCAL_MACHINE, key, "MSIComponentID", RRF_RT_REG_SZ, NULL, component, &size)) return NULL;
    GetSystemDirectoryA(system, sizeof(system));
    strncat(system, "\\mapi32.dll", sizeof(system) - strlen(system) - 1);
    if (!(stub = LoadLibraryA(system))) return NULL;
    if ((get_path = (FGETCOMPONENTPATH *)(void *)GetProcAddress(stub, "FGetComponentPath"))
        && get_path(component, NULL, path, sizeof(path), FALSE))
        module = GetModuleHandleA(path); /* in use by the process already, or it is not the MAPI that hosts us */
    FreeLibrary(stub);
    return module;
}

void *sample_mapi_function(const char *name, int bytes)
{
    static HMODULE mapi;
    char decorated[64];
    void *function;

    if (!mapi && !(mapi = registered_mapi()))
        GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                           (const char *)sample_allocate_buffer, &mapi);
    if (!mapi) return NULL;
    snprintf(decorated, sizeof(decorated), "%s@%d", name, bytes);
    if ((function = (void *)GetProcAddress(mapi, decorated))) return function;
    return (void *)GetProcAddress(mapi, name);
}
