/*
 * FGetComponentPath (spec U3, U6): how providers' run-time loaders find "the MAPI DLL". For mapihost's own component
 * ID, read from its mail-client key at the call (so a registration takes effect at once), the answer is mapihost's
 * own path; for any other component, the system's answer, from the system folder's mapi32.dll. Under Wine that
 * mapi32 forwards FGetComponentPath back to the default client's DLL, which may be this one: a call that comes back
 * on its own thread answers FALSE instead of going round again.
 */
#include <stdio.h>
#include <string.h>

#include "mapihost_private.h"
#include "component.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(component);

typedef BOOL(WINAPI FGETCOMPONENTPATH)(LPSTR component, LPSTR qualifier, LPSTR path, DWORD size, BOOL install);

static __thread BOOL asking_system;

static HMODULE own_module(void)
{
    HMODULE module = NULL;

    GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (const char *)own_module, &module);
    return module;
}

/* The component ID the mapihost client key names now, or FALSE when mapihost is not registered. */
static BOOL registered_component(char *text, DWORD size)
{
    DWORD type;

    return RegGetValueA(HKEY_LOCAL_MACHINE, MAPIHOST_CLIENT_KEY, "MSIComponentID", RRF_RT_REG_SZ, &type, text, &size)
           == ERROR_SUCCESS;
}

static BOOL system_answer(LPSTR component, LPSTR qualifier, LPSTR path, DWORD size, BOOL install)
{
    char system[MAX_PATH];
    FGETCOMPONENTPATH *function;
    HMODULE module;
    BOOL found = FALSE;

    if (asking_system || !GetSystemDirectoryA(system, sizeof(system))) return FALSE;
    strncat(system, "\\mapi32.dll", sizeof(system) - strlen(system) - 1);
    if (!(module = LoadLibraryA(system))) return FALSE;
    if (module != own_module()
        && (function = (FGETCOMPONENTPATH *)(void *)GetProcAddress(module, "FGetComponentPath"))) {
        asking_system = TRUE;
        found = function(component, qualifier, path, size, install);
        asking_system = FALSE;
    }
    FreeLibrary(module);
    return found;
}

BOOL WINAPI FGetComponentPath(LPSTR component, LPSTR qualifier, LPSTR path, DWORD size, BOOL install)
{
    char registered[64];

    TRACE("(%p, %p, %p, %#lx, %#lx)\n", component, qualifier, path, size, (unsigned long)install);
    if (!component || !path || !size) return FALSE;
    if (registered_component(registered, sizeof(registered)) && !_stricmp(component, registered)) {
        DWORD length = GetModuleFileNameA(own_module(), path, size);
        TRACE("component %s: %s\n", component, path);
        return length && length < size;
    }
    return system_answer(component, qualifier, path, size, install);
}
