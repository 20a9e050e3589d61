/*
 * Calling a message service's entry point (svcentry.h, spec S30-S34). The DLL is found by MAPI's name rule (H1) like
 * a provider's, loaded through the same loader (so it is freed only after the last MAPIUninitialize, H23), and its
 * entry runs guarded: a crash or hang is reported by name, and its DLL is kept loaded. The profile is batched around
 * the call, so a failing entry leaves it as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "guard.h"
#include "loader.h"
#include "profile.h"
#include "core.h"
#include "svcentry.h"

const char *const service_context_names[8] = {
    "(no context)",       "MSG_SERVICE_INSTALL",   "MSG_SERVICE_CREATE",          "MSG_SERVICE_CONFIGURE",
    "MSG_SERVICE_DELETE", "MSG_SERVICE_UNINSTALL", "MSG_SERVICE_PROVIDER_CREATE", "MSG_SERVICE_PROVIDER_DELETE",
};

struct entry_call {
    MSGSERVICEENTRY *entry;
    HINSTANCE module;
    IMAPISupport *support;
    IProviderAdmin *admin;
    ULONG_PTR ui_param;
    ULONG flags, context, count;
    SPropValue *props;
    MAPIERROR *error;
    HRESULT hr;
};

static void run_entry(void *context)
{
    struct entry_call *call = context;

    call->hr = call->entry(call->module, mapihost_get_malloc(), call->support, call->ui_param, call->flags,
                           call->context, call->count, call->props, call->admin, &call->error);
}

/* A string of the service section, narrowed, copied into buffer. */
static BOOL service_string(struct psection *service, ULONG tag, char *buffer, size_t size)
{
    const SPropValue *value = psection_find(service, tag);

    if (!value) return FALSE;
    if (PROP_TYPE(value->ulPropTag) == PT_UNICODE)
        return WideCharToMultiByte(CP_ACP, 0, value->Value.lpszW, -1, buffer, (int)size, NULL, NULL) > 1;
    if (PROP_TYPE(value->ulPropTag) != PT_STRING8 || strlen(value->Value.lpszA) >= size) return FALSE;
    strcpy(buffer, value->Value.lpszA);
    return *buffer != 0;
}

BOOL svcentry_exists(struct profstore *store, struct psection *service)
{
    char dll[MAX_PATH], entry[256];
    BOOL exists;

    AcquireSRWLockShared(&store->lock);
    exists = service_string(service, PR_SERVICE_DLL_NAME_A, dll, sizeof(dll))
             && service_string(service, PR_SERVICE_ENTRY_NAME, entry, sizeof(entry));
    ReleaseSRWLockShared(&store->lock);
    return exists;
}

/* Loads the service's DLL and finds its entry point; each failure is an error event naming the service. */
static struct library *find_entry(struct profstore *store, struct psection *service, const char *name,
                                  MSGSERVICEENTRY **entry, char entry_name[256], HRESULT *hr)
{
    char dll[MAX_PATH], path[MAX_PATH];
    struct library *library;
    BOOL found;

    AcquireSRWLockShared(&store->lock);
    found = service_string(service, PR_SERVICE_DLL_NAME_A, dll, sizeof(dll))
            && service_string(service, PR_SERVICE_ENTRY_NAME, entry_name, 256);
    ReleaseSRWLockShared(&store->lock);
    if (!found) {
        *hr = MAPI_E_NOT_INITIALIZED;
        return NULL;
    }
    if ((*hr = profile_dll_path(store->folder, "PR_SERVICE_DLL_NAME", dll, path, sizeof(path))) != S_OK) return NULL;
    if (!(library = library_open(path, hr))) {
        event_error(ABOUT_HOST, NULL, "service %s: its DLL %s cannot be loaded", name, path);
        return NULL;
    }
    if (!(*entry = (MSGSERVICEENTRY *)(void *)mapihost_os->get_proc_address(library->module, entry_name))) {
        event_error(ABOUT_HOST, NULL, "service %s: %s does not export its service entry %s (PR_SERVICE_ENTRY_NAME)",
                    name, library->name, entry_name);
        library_close(library);
        *hr = MAPI_E_NOT_FOUND;
        return NULL;
    }
    return library;
}

HRESULT svcentry_call_with(struct profstore *store, struct psection *service, IProviderAdmin *admin, ULONG context,
                           ULONG_PTR ui_param, ULONG flags, ULONG count, SPropValue *props, MAPIERROR **error)
{
    struct entry_call call = {
        .admin = admin, .ui_param = ui_param, .flags = flags, .context = context, .count = count, .props = props
    };
    const char *context_name = context < ARRAYSIZE(service_context_names) ? service_context_names[context] : "?";
    char name[256], entry_name[256], what[300];
    struct library *library;
    BOOL abandoned = FALSE;
    struct guard_fault fault;
    HRESULT hr;

    if (error) *error = NULL;
    if (process_fast_shutdown_done()) {
        process_late_call("a message service's configuration");
        return MAPI_E_END_OF_SESSION;
    }
    snprintf(name, sizeof(name), "%s", service->name);
    if (!(library = find_entry(store, service, name, &call.entry, entry_name, &hr))) return hr;
    call.module = library->module;
    if ((hr = profstore_begin(store)) != S_OK) goto done;
    if ((hr = support_create_config(store, &service->uid, name, &call.support)) != S_OK) {
        profstore_end(store, FALSE);
        goto done;
    }
    snprintf(what, sizeof(what), "service %s: its service entry (%s)", name, context_name);
    switch (guard_run(what, run_entry, &call, &fault)) {
    case GUARD_RETURNED:
        hr = call.hr;
        event_step(ABOUT_HOST, "service %s: %s!%s(%s, flags %#lx, %lu properties) -> %s", name, library->name,
                   entry_name, context_name, flags, count, hresult_text(hr));
        break;
    case GUARD_CRASHED:
        event_error(ABOUT_HOST, "crash",
                    "service %s: its service entry crashed during %s (exception %#lx at %s); the host keeps its "
                    "DLL loaded",
                    name, context_name, fault.code, fault.where);
        abandoned = TRUE;
        break;
    case GUARD_HUNG:
        event_error(ABOUT_HOST, "hang",
                    "service %s: its service entry did not return from %s within %lu ms; the host stopped the "
                    "call and keeps its DLL loaded",
                    name, context_name, fault.code);
        abandoned = TRUE;
        break;
    }
    if (abandoned) {
        /* What it left running may still need its code; its MAPIERROR is not to be trusted. */
        library_abandon(library);
        call.error = NULL;
        hr = MAPI_E_CALL_FAILED;
    }
    /* Valid only during the call (S31). */
    support_end_config(call.support);
    IMAPISupport_Release(call.support);
    if (FAILED(hr)) {
        profstore_end(store, FALSE);
        event_error(ABOUT_HOST, NULL, "service %s: %s failed with %s; the profile is left as it was", name,
                    context_name, hresult_text(hr));
    } else if ((hr = profstore_end(store, TRUE)) != S_OK)
        event_error(ABOUT_HOST, NULL, "service %s: what %s wrote could not be saved (%s)", name, context_name,
                    hresult_text(hr));
    if (error)
        *error = call.error;
    else
        MAPIFreeBuffer(call.error);
done:
    library_close(library);
    return hr;
}
