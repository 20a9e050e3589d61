/*
 * Provider objects of a session (spec §1B, §2.4, §2.6, §2.9): one per DLL and type, made by the entry point when a
 * logon first needs it (H5, E19), and given Shutdown(&0) and its one Release when its last logon is gone (H20-H22).
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "core.h"
#include "guard.h"

/* H20-H22: Shutdown(&0), then the one Release; the DLL is freed later, after the last MAPIUninitialize (H23). */
void provider_shutdown(struct provider *provider)
{
    const char *name = provider->library->name, *iface_name = loader_interface_names[provider->kind];
    struct library *library = provider->library;
    ULONG flags = 0, refs;
    HRESULT hr;

    guard_step(iface_name, "Shutdown");
    hr = library_shutdown_provider(provider->kind, provider->object, &flags);
    event_step(about_provider(provider), "%s: %s::Shutdown(&0) -> %s", name, iface_name, hresult_text(hr));
    if (provider->fast_shutdown) {
        /* F3: the pointer fast shutdown asked for goes with the object, before its final Release. */
        refs = IMAPIProviderShutdown_Release(provider->fast_shutdown);
        provider->fast_shutdown = NULL;
        event_step(about_provider(provider), "%s: IMAPIProviderShutdown::Release -> %lu", name, refs);
    }
    guard_step(iface_name, "Release");
    refs = library_release_provider(library, provider->object);
    provider->object = NULL;
    event_step(about_provider(provider), "%s: %s::Release -> %lu", name, iface_name, refs);
    if (refs)
        event_violation(about_provider(provider), "H22",
                        "%s: the %s provider object is still alive after the host's final Release (H22); "
                        "its DLL stays loaded",
                        name, loader_kind_names[provider->kind]);
}

void provider_logon_gone(struct provider *provider)
{
    if (!--provider->logons && provider->object) provider_shutdown(provider);
}

/* The session's live provider object of kind from the DLL of library (or, without one, named dll_name as in the
 * profile), or NULL. */
static struct provider *find_provider(struct session *session, enum provider_kind kind, struct library *library,
                                      const char *dll_name)
{
    struct provider *provider = NULL;
    struct list *cursor;

    EnterCriticalSection(&session->cs);
    LIST_FOR_EACH (cursor, &session->providers) {
        struct provider *candidate = LIST_ENTRY(cursor, struct provider, entry);
        if (candidate->object && candidate->kind == kind
            && (library ? candidate->library == library : !strcmp(candidate->dll_name, dll_name)))
            provider = candidate;
    }
    LeaveCriticalSection(&session->cs);
    return provider;
}

/* The session's provider object for config's DLL and type, made by the entry point if there is none yet. A DLL name
 * the session already resolved is not looked for on disk again: with thousands of sections naming one DLL, that
 * search was most of MAPILogonEx's time (P2). */
struct provider *provider_get(struct session *session, const struct profile_provider *config, HRESULT *hr)
{
    struct provider *provider;
    struct library *library;
    char path[MAX_PATH];
    IUnknown *object;
    ULONG version;

    *hr = S_OK;
    if ((provider = find_provider(session, config->kind, NULL, config->dll_name))) return provider;
    if ((*hr = profile_dll_path(session->profile->folder, "PR_PROVIDER_DLL_NAME", config->dll_name, path, sizeof(path)))
        != S_OK)
        return NULL;
    if (!(library = library_open(path, hr))) return NULL;
    provider = find_provider(session, config->kind, library, NULL);
    if (!provider && (*hr = library_init_provider(library, config->kind, &object, &version)) == S_OK) {
        if ((provider = calloc(1, sizeof(*provider)))) {
            provider->session = session;
            provider->library = library;
            provider->kind = config->kind;
            provider->dll_name = config->dll_name;
            provider->object = object;
            EnterCriticalSection(&session->cs);
            list_add_tail(&session->providers, &provider->entry);
            LeaveCriticalSection(&session->cs);
            process_provider_added();
        } else {
            library_release_provider(library, object);
            *hr = MAPI_E_NOT_ENOUGH_MEMORY;
        }
    }
    library_close(library); /* the provider object holds the library from here (library_init_provider) */
    return provider;
}
