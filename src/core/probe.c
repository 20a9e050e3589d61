/*
 * MapihostProbeProviderDll: the checker's provider-DLL mode. Each provider the DLL exports goes through the part
 * of the lifecycle that needs no session: init (H3, H4), Shutdown(&0) (H21) and exactly one Release (H22). The
 * DLL itself is freed after the last MAPIUninitialize (H23), where the caller can check it is gone.
 */
#include "mapihost_private.h"
#include "loader.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(probe);

HRESULT WINAPI MapihostProbeProviderDll(const char *path)
{
    struct library *library;
    HRESULT hr, result = S_OK;
    int kind, found = 0;

    TRACE("(%p)\n", path);
    if (!path) return MAPI_E_INVALID_PARAMETER;
    if (!mapihost_is_initialized()) return MAPI_E_NOT_INITIALIZED;
    if (!(library = library_open(path, &hr))) return hr;

    for (kind = PROVIDER_AB; kind <= PROVIDER_XP; kind++) {
        IUnknown *provider;
        ULONG version, flags = 0, refs;

        if (!mapihost_os->get_proc_address(library->module, loader_entry_names[kind])) continue;
        found++;
        if (FAILED(hr = library_init_provider(library, kind, &provider, &version))) {
            result = hr;
            continue;
        }
        hr = library_shutdown_provider(kind, provider, &flags);
        event_step(about_dll(library->name), "%s::Shutdown(&0) -> %s", loader_interface_names[kind], hresult_text(hr));
        refs = library_release_provider(library, provider);
        event_step(about_dll(library->name), "%s::Release -> %lu", loader_interface_names[kind], refs);
        if (refs) {
            event_violation(about_dll(library->name), "H22",
                            "%s provider object of %s is still alive after the host's only "
                            "reference was released (H22); the DLL stays loaded",
                            loader_kind_names[kind], path);
            result = MAPI_E_CALL_FAILED;
        }
    }
    if (!found) {
        event_error(ABOUT_HOST, NULL, "%s exports none of ABProviderInit, MSProviderInit, XPProviderInit", path);
        result = MAPI_E_NO_SUPPORT;
    }
    library_close(library);
    return result;
}

ULONG WINAPI MapihostLoadedLibraries(void)
{
    TRACE("()\n");
    return library_count();
}
