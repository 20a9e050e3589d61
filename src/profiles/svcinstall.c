/*
 * Installing and uninstalling a message service (MapihostInstallService, mapiprof install/uninstall; spec S33, S39):
 * the service's entry with MSG_SERVICE_INSTALL or MSG_SERVICE_UNINSTALL, outside any profile.
 */
#include <stdio.h>
#include <string.h>

#include "mapihost_private.h"
#include "ini.h"
#include "profile.h"
#include "svcentry.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(svcinstall);

/* S39 (INF): after a successful UNINSTALL, the files of PR_SERVICE_DELETE_FILES go, from the INF's folder; never a
 * DLL that a service or provider of that INF still names. */
static void delete_service_files(const struct ini *ini, const char *inf_path, struct psection *service)
{
    const SPropValue *files = psection_find(service, PR_SERVICE_DELETE_FILES_A);
    char folder[MAX_PATH], path[MAX_PATH], *slash;
    ULONG i, j, k;

    if (!files || PROP_TYPE(files->ulPropTag) != PT_MV_STRING8) return;
    snprintf(folder, sizeof(folder), "%s", inf_path);
    if ((slash = strrchr(folder, '\\'))) slash[1] = 0;
    for (i = 0; i < files->Value.MVszA.cValues; i++) {
        const char *file = files->Value.MVszA.lppszA[i];
        BOOL shared = FALSE;
        for (j = 0; j < ini->count && !shared; j++)
            for (k = 0; k < ini->sections[j].count && !shared; k++) {
                const struct ini_line *line = &ini->sections[j].lines[k];
                shared = (!_stricmp(line->key, "PR_SERVICE_DLL_NAME") || !_stricmp(line->key, "PR_PROVIDER_DLL_NAME"))
                         && !_stricmp(line->value, file);
            }
        if (shared) {
            event_step(ABOUT_HOST, "service %s: %s is named by a service or provider of %s, so it stays", service->name,
                       file, inf_path);
            continue;
        }
        snprintf(path, sizeof(path), "%s%s", folder, file);
        event_step(ABOUT_HOST, "service %s: PR_SERVICE_DELETE_FILES: %s %s", service->name, path,
                   DeleteFileA(path) ? "deleted" : "not deleted (missing or in use)");
    }
}

/* MSG_SERVICE_INSTALL and MSG_SERVICE_UNINSTALL come from an installer, not a profile (S33): the entry gets the
 * service as MAPISVC.INF defines it, in a profile of its own that is gone afterwards. */
HRESULT WINAPI MapihostInstallService(const char *service_name, BOOL uninstall, ULONG_PTR ui_param, ULONG flags)
{
    char inf_path[MAX_PATH], folder[MAX_PATH], path[MAX_PATH];
    struct psection *service;
    struct profstore *store;
    struct ini *ini;
    HRESULT hr;

    TRACE("(%p, %#lx, %#Ix, %#lx)\n", service_name, (unsigned long)uninstall, ui_param, flags);
    if (!service_name) return MAPI_E_INVALID_PARAMETER;
    if (!mapihost_is_initialized()) return MAPI_E_NOT_INITIALIZED;
    if (!proffolder_path(folder, sizeof(folder))) folder[0] = 0;
    if (!(ini = mapisvc_find(folder, service_name, inf_path, sizeof(inf_path)))) {
        event_error(ABOUT_HOST, NULL, "no MAPISVC.INF lists service %s", service_name);
        return MAPI_E_NOT_FOUND;
    }
    GetTempPathA(sizeof(path), path);
    snprintf(path + strlen(path), sizeof(path) - strlen(path), "mapihost-install-%lu-%lu.inf", GetCurrentProcessId(),
             GetTickCount());
    if ((hr = profstore_open(path, TRUE, &store)) == S_OK) {
        if ((hr = svcadmin_add_sections(store, ini, service_name, NULL, &service)) == S_OK) {
            if (!svcentry_exists(store, service)) {
                event_error(ABOUT_HOST, NULL,
                            "service %s has no service entry (PR_SERVICE_DLL_NAME, PR_SERVICE_ENTRY_NAME) in %s",
                            service_name, inf_path);
                hr = MAPI_E_NOT_INITIALIZED;
            } else
                hr = provadmin_call_entry(store, service, uninstall ? MSG_SERVICE_UNINSTALL : MSG_SERVICE_INSTALL,
                                          ui_param, flags & (SERVICE_UI_ALLOWED | SERVICE_UI_ALWAYS), 0, NULL, NULL);
            if (hr == S_OK && uninstall) delete_service_files(ini, inf_path, service);
        }
        profstore_delete_file(store);
        profstore_release(store);
    }
    mapisvc_free(ini);
    return hr;
}
