/*
 * Logging providers on and off (spec §1C, §1F, §4.2).
 *
 * On: address books and transports at MAPILogonEx (transports not under MAPI_NO_MAIL), stores at OpenMsgStore. One
 * provider object per DLL and type in a session, shared by all its logons (H5, E19). The host holds one reference on
 * a new support object during the Logon call and drops it afterwards, so only the provider's AddRef keeps it (H7).
 * MAPI_E_UNCONFIGURED gets the service's entry point to configure it and one more try (S34). MAPI_E_FAILONEPROVIDER
 * drops that provider; any other failure, a second MAPI_E_UNCONFIGURED included, disables its whole message service
 * for the session (H8).
 *
 * Off, per logon: the logoff method once (H16, H17; a transport first gets TransportNotify(END_INBOUND |
 * END_OUTBOUND), H18), the support object's last Release removes the logon's UIDs, rows and subscriptions (E3), or
 * the host does it for a provider that kept its support object (E21), then one Release of the logon (H15). A
 * provider object whose last logon is gone gets Shutdown(&0) and one Release (H20-H22), the generic order of E1 for
 * every type. Across types the order is transports, then address books, then stores: the one order the
 * documentation fixes (fast shutdown), and it stops mail flow before the stores and directories it uses (E1, E24).
 * Within a type, the latest logon goes first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "guard.h"
#include "core.h"
#include "svcentry.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(logon);

static const char *const logon_interfaces[3] = { "IABLogon", "IMSLogon", "IXPLogon" };

/* What an event of a provider section is about before (or without) its logon: its type and section name. */
static struct event_about about_config(const struct profile_provider *config)
{
    return (struct event_about){ NULL, loader_kind_names[config->kind], config->section.name };
}

static BOOL is_live(const struct logon *logon, enum provider_kind kind)
{
    return logon->active && !logon->released && logon->provider->kind == kind;
}

ULONG logon_all_of(struct session *session, enum provider_kind kind, struct logon ***logons)
{
    struct list *cursor;
    ULONG count = 0;

    EnterCriticalSection(&session->cs);
    LIST_FOR_EACH (cursor, &session->logons) count += is_live(LIST_ENTRY(cursor, struct logon, entry), kind);
    if ((*logons = malloc((count ? count : 1) * sizeof(**logons)))) {
        count = 0;
        LIST_FOR_EACH (cursor, &session->logons) {
            struct logon *logon = LIST_ENTRY(cursor, struct logon, entry);
            if (is_live(logon, kind)) (*logons)[count++] = logon;
        }
    } else
        count = 0;
    LeaveCriticalSection(&session->cs);
    return count;
}

/* What a logon leaves in the session: gone with its support object (E3), or by force (E21). */
static void remove_logon_state(struct logon *logon)
{
    struct session *session = logon->session;
    ULONG uids = uidreg_remove_owner(&session->uids, logon);
    ULONG rows = statusrows_remove_owner(&session->status_rows, logon);
    ULONG subs = subscriptions_remove_owner(&session->subscriptions, logon);

    event_step(about_logon(logon), "%s: %lu MAPIUIDs, %lu status rows and %lu subscriptions removed (E3, H13, H14)",
               logon_name(logon), uids, rows, subs);
}

/* E21: the provider keeps a support object the host is done with. Its calls fail from now on, and what the logon
 * left in the session goes now rather than at a last Release that may never come. */
static void detach_support(struct logon *logon)
{
    support_detach(logon->support);
    logon->support = NULL;
    remove_logon_state(logon);
}

static void call_logoff(struct logon *logon)
{
    const char *name = logon_name(logon);
    ULONG zero = 0, notify_flags = NOTIFY_END_INBOUND | NOTIFY_END_OUTBOUND;
    void *data = NULL;
    HRESULT hr;

    switch (logon->provider->kind) {
    case PROVIDER_AB:
        guard_step("IABLogon", "Logoff");
        hr = IABLogon_Logoff((IABLogon *)logon->object, 0);
        event_step(about_logon(logon), "%s: IABLogon::Logoff(0) -> %s", name, hresult_text(hr));
        break;
    case PROVIDER_MS:
        guard_step("IMSLogon", "Logoff");
        hr = IMSLogon_Logoff((IMSLogon *)logon->object, &zero);
        event_step(about_logon(logon), "%s: IMSLogon::Logoff(&0) -> %s", name, hresult_text(hr));
        break;
    case PROVIDER_XP:
        /* H18: traffic ends first; the host keeps nothing of AddressTypes' arrays (E29). */
        guard_step("IXPLogon", "TransportNotify");
        hr = IXPLogon_TransportNotify((IXPLogon *)logon->object, &notify_flags, &data);
        event_step(about_logon(logon), "%s: IXPLogon::TransportNotify(NOTIFY_END_INBOUND | NOTIFY_END_OUTBOUND) -> %s",
                   name, hresult_text(hr));
        if (notify_flags != (NOTIFY_END_INBOUND | NOTIFY_END_OUTBOUND))
            event_violation(about_logon(logon), NULL,
                            "%s: TransportNotify changed its flags to %#lx; they must come back unchanged", name,
                            notify_flags);
        guard_step("IXPLogon", "TransportLogoff");
        hr = IXPLogon_TransportLogoff((IXPLogon *)logon->object, 0);
        event_step(about_logon(logon), "%s: IXPLogon::TransportLogoff(0) -> %s%s", name, hresult_text(hr),
                   hr == S_OK ? "" : ", still logged off (H19)");
        return;
    }
    if (hr != S_OK)
        event_violation(about_logon(logon), "E9",
                        "%s: %s::Logoff returned %s, but only S_OK is documented; it is logged off anyway "
                        "(E9)",
                        name, logon_interfaces[logon->provider->kind], hresult_text(hr));
}

/* One logon's teardown; every step runs at most once, whichever path reaches it first (H16, E7). */
static void logon_shutdown(struct logon *logon)
{
    const char *name = logon_name(logon);
    struct support *support;
    ULONG refs;

    if (!logon->logged_off) {
        logon->logged_off = TRUE;
        call_logoff(logon);
        if ((support = logon->support)) {
            event_violation(about_logon(logon), "H12",
                            "%s still holds %lu references on its support object after logoff (H12); the "
                            "host removes its UIDs and status rows itself (E21)",
                            name, support_refcount(support));
            detach_support(logon);
        }
    }
    if (logon->released) return;
    logon->released = TRUE;
    guard_step(logon_interfaces[logon->provider->kind], "Release");
    refs = IUnknown_Release(logon->object);
    event_step(about_logon(logon), "%s: %s::Release -> %lu", name, logon_interfaces[logon->provider->kind], refs);
    /* A store's logon may be kept by its paired IMsgStore, which the client can still hold (spec §1C 13). */
    if (refs && logon->provider->kind != PROVIDER_MS)
        event_violation(about_logon(logon), "H15",
                        "%s: the logon object is still alive after the host's final Release (H15)", name);
    provider_logon_gone(logon->provider);
}

static void store_logoff_guarded(struct logon *logon);

void logon_support_released(struct logon *logon)
{
    if (process_fast_shutdown_done()) return; /* F7: the process is ending, nothing is torn down */
    logon->support = NULL;
    remove_logon_state(logon);
    /* §4.2: a store that releases its support object before it was logged off is shutting down by itself, from
     * inside its own IMsgStore::Release (E8): MAPI logs it off there and then. */
    if (logon->provider->kind == PROVIDER_MS && logon->active && !logon->logged_off) {
        event_step(about_logon(logon), "%s: the store released its support object: the store logoff path (§4.2)",
                   logon_name(logon));
        store_logoff_guarded(logon);
    }
}

static struct logon *logon_new(struct session *session, struct provider *provider,
                               const struct profile_provider *config)
{
    struct logon *logon = calloc(1, sizeof(*logon));

    if (!logon) return NULL;
    logon->session = session;
    logon->provider = provider;
    logon->config = config;
    if (!(logon->support = support_create(logon, logon_support_released))) {
        free(logon);
        return NULL;
    }
    EnterCriticalSection(&session->cs);
    list_add_tail(&session->logons, &logon->entry);
    LeaveCriticalSection(&session->cs);
    return logon;
}

/* After a Logon call: takes the result, drops the host's support reference (H7), frees what MAPI frees (H10). */
static HRESULT logon_finish(struct logon *logon, const char *method, HRESULT hr, IUnknown *object, MAPIERROR *error,
                            BYTE *security)
{
    const char *name = logon_name(logon);
    struct support *support = logon->support;

    event_step(about_logon(logon), "%s: %s::%s -> %s", name, loader_interface_names[logon->provider->kind], method,
               hresult_text(hr));
    if (FAILED(hr) || !object) {
        /* Out-parameters after a failure are not to be trusted (F5). */
        if (!FAILED(hr)) {
            event_error(about_logon(logon), NULL, "%s: %s succeeded but returned no logon object", name, method);
            hr = MAPI_E_CALL_FAILED;
        }
        logon->logged_off = logon->released = TRUE;
        if (IMAPISupport_Release(support_iface(support)) && logon->support) {
            event_violation(about_logon(logon), "H12", "%s kept its support object although its Logon failed (H12)",
                            name);
            detach_support(logon);
        }
        if (!logon->provider->logons) provider_shutdown(logon->provider); /* E28 */
        return hr;
    }
    MAPIFreeBuffer(error);
    MAPIFreeBuffer(security);
    logon->object = object;
    logon->active = TRUE;
    logon->provider->logons++;
    if (!IMAPISupport_Release(support_iface(support))) {
        event_violation(about_logon(logon), "H7",
                        "%s did not AddRef its support object in Logon; the host logs it off (H7)", name);
        logon_shutdown(logon);
        return MAPI_E_FAILONEPROVIDER;
    }
    return S_OK;
}

static BOOL service_disabled(struct session *session, const struct profile_service *service)
{
    ULONG i;

    for (i = 0; i < session->profile->service_count; i++)
        if (session->profile->services[i] == service) return session->disabled[i];
    return FALSE;
}

static HRESULT logon_ab(struct session *session, struct provider *provider, const struct profile_provider *config,
                        ULONG_PTR ui_param)
{
    ULONG flags = session->flags & MAPI_LOGON_UI ? 0 : AB_NO_DIALOG, security_size = 0;
    struct logon *logon = logon_new(session, provider, config);
    IABLogon *object = NULL;
    MAPIERROR *error = NULL;
    BYTE *security = NULL;
    HRESULT hr;

    if (!logon) return MAPI_E_NOT_ENOUGH_MEMORY;
    guard_step("IABProvider", "Logon");
    hr = IABProvider_Logon((IABProvider *)provider->object, support_iface(logon->support), ui_param,
                           session->profile_name, flags, &security_size, &security, &error, &object);
    return logon_finish(logon, "Logon", hr, (IUnknown *)object, error, security);
}

/* The address types a transport answered, kept for transport selection (Q3, Q11): a copy, since the arrays stay
 * the provider's (E29). A NULL array is "any type"; a single empty string "none". */
static void keep_address_types(struct logon *logon, ULONG flags, ULONG count, LPTSTR *types)
{
    char **kept = types && count ? calloc(count, sizeof(*kept)) : NULL, **old;
    ULONG i, n = 0, old_count;

    for (i = 0; kept && i < count; i++) {
        char text[64] = "";

        if (!types[i]) continue;
        if (flags & MAPI_UNICODE)
            WideCharToMultiByte(CP_ACP, 0, (const WCHAR *)types[i], -1, text, sizeof(text), NULL, NULL);
        else
            snprintf(text, sizeof(text), "%s", (const char *)types[i]);
        if (text[0] && (kept[n] = _strdup(text))) n++;
    }
    AcquireSRWLockExclusive(&logon->address_types_lock);
    old = logon->address_types;
    old_count = logon->address_type_count;
    logon->address_types = kept;
    logon->address_type_count = n;
    logon->any_address_type = !types;
    ReleaseSRWLockExclusive(&logon->address_types_lock);
    while (old_count) free(old[--old_count]);
    free(old);
}

void logon_read_address_types(struct logon *logon)
{
    IXPLogon *xp = (IXPLogon *)logon->object;
    ULONG flags = 0, type_count = 0, uid_count = 0, i;
    LPTSTR *types = NULL;
    MAPIUID **uids = NULL;
    HRESULT hr;

    guard_step("IXPLogon", "AddressTypes");
    hr = IXPLogon_AddressTypes(xp, &flags, &type_count, &types, &uid_count, &uids);
    event_step(about_logon(logon), "%s: IXPLogon::AddressTypes -> %s, %lu address types, %lu MAPIUIDs",
               logon_name(logon), hresult_text(hr), SUCCEEDED(hr) ? type_count : 0, SUCCEEDED(hr) ? uid_count : 0);
    /* Transports register their MAPIUIDs this way (E31); the host copies them, since the arrays stay the
     * provider's (E29). */
    for (i = 0; SUCCEEDED(hr) && uids && i < uid_count; i++)
        if (uids[i]) uidreg_add(&logon->session->uids, uids[i], logon);
    if (SUCCEEDED(hr)) keep_address_types(logon, flags, type_count, types);
}

/* Spec §1C step 14: AddressTypes right after the logon, a status row (required of transports, E15), traffic on. */
static void start_transport(struct logon *logon)
{
    IXPLogon *xp = (IXPLogon *)logon->object;
    void *data = NULL;
    ULONG flags;
    HRESULT hr;

    logon_read_address_types(logon);
    if (!statusrows_count_owner(&logon->session->status_rows, logon))
        event_violation(about_logon(logon), "E15", "%s: a transport must add a status row at logon (E15)",
                        logon_name(logon));
    flags = NOTIFY_BEGIN_INBOUND | NOTIFY_BEGIN_OUTBOUND;
    guard_step("IXPLogon", "TransportNotify");
    hr = IXPLogon_TransportNotify(xp, &flags, &data);
    event_step(about_logon(logon), "%s: IXPLogon::TransportNotify(NOTIFY_BEGIN_INBOUND | NOTIFY_BEGIN_OUTBOUND) -> %s",
               logon_name(logon), hresult_text(hr));
}

static HRESULT logon_xp(struct session *session, struct provider *provider, const struct profile_provider *config,
                        ULONG_PTR ui_param)
{
    /* As the spooler does at a profile's first logon: traffic off until TransportNotify turns it on. */
    ULONG flags = LOGON_NO_INBOUND | LOGON_NO_OUTBOUND | (session->flags & MAPI_LOGON_UI ? 0 : LOGON_NO_DIALOG);
    struct logon *logon = logon_new(session, provider, config);
    IXPLogon *object = NULL;
    MAPIERROR *error = NULL;
    HRESULT hr;

    if (!logon) return MAPI_E_NOT_ENOUGH_MEMORY;
    guard_step("IXPProvider", "TransportLogon");
    hr = IXPProvider_TransportLogon((IXPProvider *)provider->object, support_iface(logon->support), ui_param,
                                    session->profile_name, &flags, &error, &object);
    if ((hr = logon_finish(logon, "TransportLogon", hr, (IUnknown *)object, error, NULL)) == S_OK) {
        logon->transport_flags = flags;
        start_transport(logon);
    }
    return hr;
}

/* A host operation on one provider, run on a guarded thread (guard.c): its logon, its store's logon, or its logoff. */
struct guarded_op {
    struct session *session;
    const struct profile_provider *config;
    struct logon *logon;       /* logoff: the logon */
    struct provider *provider; /* the provider object concerned, once known */
    ULONG_PTR ui_param;
    ULONG size, flags; /* OpenMsgStore's */
    const ENTRYID *entry_id;
    const IID *iid;
    IMsgStore *store;
    HRESULT hr;
};

/* A provider that crashed or hung: it gets no more calls, its logons leave nothing behind in the session, and its
 * DLL stays loaded for the rest of the process (what it left running may still need its code). */
static void abandon_provider(struct provider *provider)
{
    struct session *session = provider->session;
    struct list *cursor;

    EnterCriticalSection(&session->cs);
    LIST_FOR_EACH (cursor, &session->logons) {
        struct logon *logon = LIST_ENTRY(cursor, struct logon, entry);

        if (logon->provider != provider || logon->released) continue;
        logon->logged_off = logon->released = TRUE;
        if (logon->support) detach_support(logon);
    }
    LeaveCriticalSection(&session->cs);
    provider->object = NULL;
    provider->logons = 0;
    library_abandon(provider->library);
}

static BOOL run_guarded_where(const char *logon, const char *what, struct provider **provider,
                              void (*call)(void *context), void *context, BOOL here)
{
    const char *dll = NULL, *kind = NULL;
    char who[MAX_PATH + 32], text[MAX_PATH + 300], during[sizeof(text) + 128];
    struct guard_fault fault;
    enum guard_outcome outcome;

    if (logon)
        snprintf(who, sizeof(who), "%s", logon);
    else
        snprintf(who, sizeof(who), "%s (%s)", (*provider)->library->name, loader_interface_names[(*provider)->kind]);
    snprintf(text, sizeof(text), "%s: %s", who, what);
    outcome = here ? guard_run_here(text, call, context, &fault) : guard_run(text, call, context, &fault);
    if (outcome == GUARD_RETURNED) return TRUE;
    /* The method that crashed or hung, where the call came to be in it: "in IABProvider::Shutdown during its logoff".
     */
    if (fault.step[0])
        snprintf(during, sizeof(during), "%s %s during %s", outcome == GUARD_CRASHED ? "in" : "from", fault.step, what);
    else
        snprintf(during, sizeof(during), "%s %s", outcome == GUARD_CRASHED ? "during" : "from", what);
    if (*provider) {
        dll = (*provider)->library->name;
        kind = loader_kind_names[(*provider)->kind];
    }
    if (outcome == GUARD_CRASHED)
        event_log(MAPIHOST_EVENT_VIOLATION, (struct event_about){ dll, kind, logon }, "crash",
                  "%s crashed %s (exception %#lx at %s); "
                  "the host abandons its provider and keeps its DLL loaded",
                  who, during, fault.code, fault.where);
    else
        event_log(MAPIHOST_EVENT_VIOLATION, (struct event_about){ dll, kind, logon }, "hang",
                  "%s did not return %s within %lu ms; "
                  "the host stopped the call, abandons its provider and keeps its DLL loaded",
                  who, during, fault.code);
    if (*provider) abandon_provider(*provider);
    return FALSE;
}

BOOL logon_run_guarded(const char *logon, const char *what, struct provider **provider, void (*call)(void *context),
                       void *context)
{
    return run_guarded_where(logon, what, provider, call, context, FALSE);
}

static HRESULT run_guarded(struct guarded_op *op, void (*run)(void *op), const char *what)
{
    const char *name = op->logon ? logon_name(op->logon) : op->config->section.name;

    return logon_run_guarded(name, what, &op->provider, run, op) ? op->hr : MAPI_E_CALL_FAILED;
}

static void start_provider(void *context)
{
    struct guarded_op *op = context;

    if (!(op->provider = provider_get(op->session, op->config, &op->hr))) return;
    op->hr = op->config->kind == PROVIDER_AB ? logon_ab(op->session, op->provider, op->config, op->ui_param)
                                             : logon_xp(op->session, op->provider, op->config, op->ui_param);
}

static void shutdown_op(void *context)
{
    struct guarded_op *op = context;

    inflight_wait(op->logon);
    logon_shutdown(op->logon);
    op->hr = S_OK;
}

static void store_logoff_op(void *context)
{
    logon_shutdown(((struct guarded_op *)context)->logon);
}

/* The store's own logoff, from inside its IMsgStore::Release (E8): Logoff, Release and perhaps Shutdown, each a
 * guarded step on the client's thread, so that a crash names its method and ends no more than the host's calls. */
static void store_logoff_guarded(struct logon *logon)
{
    struct guarded_op op = {
        .session = logon->session, .config = logon->config, .logon = logon, .provider = logon->provider
    };

    run_guarded_where(logon_name(logon), "its store logoff", &op.provider, store_logoff_op, &op, TRUE);
}

void logon_shutdown_one(struct logon *logon)
{
    struct guarded_op op = {
        .session = logon->session, .config = logon->config, .logon = logon, .provider = logon->provider
    };

    run_guarded(&op, shutdown_op, "its logoff");
}

/* S34, H8: a logon that returns MAPI_E_UNCONFIGURED gets its service's entry point with MSG_SERVICE_CONFIGURE (UI
 * only if the session allows it), then exactly one more try with a fresh support object; no loop. */
static HRESULT logon_configured(struct guarded_op *op, void (*run)(void *op))
{
    const struct profile_service *service = op->config->service;
    struct session *session = op->session;
    struct profstore *store = session->profile->store;
    struct psection *section;
    ULONG flags;
    HRESULT hr;

    if ((hr = run_guarded(op, run, "its logon")) != MAPI_E_UNCONFIGURED) return hr;
    AcquireSRWLockShared(&store->lock);
    section = psection_lookup(store, &service->section.uid);
    ReleaseSRWLockShared(&store->lock);
    if (!section || !svcentry_exists(store, section)) {
        event_error(about_config(op->config), "S34",
                    "%s is unconfigured, and service %s has no service entry to configure it (S34)",
                    op->config->section.name, service->section.name);
        return hr;
    }
    flags = (session->flags & MAPI_LOGON_UI ? SERVICE_UI_ALLOWED : 0) | (session->flags & MAPI_UNICODE);
    event_step(about_config(op->config),
               "%s: MAPI_E_UNCONFIGURED: service %s is configured through its entry point, then the logon "
               "is tried once more (S34)",
               op->config->section.name, service->section.name);
    if ((hr = provadmin_call_entry(store, section, MSG_SERVICE_CONFIGURE, op->ui_param, flags, 0, NULL, NULL)) != S_OK)
        return hr;
    op->provider = NULL;
    if ((hr = run_guarded(op, run, "its logon after configuration")) == MAPI_E_UNCONFIGURED)
        event_error(about_config(op->config), "S34",
                    "%s is still unconfigured after its service entry configured it; no further "
                    "try (S34)",
                    op->config->section.name);
    return hr;
}

/* H8: FAILONEPROVIDER drops one provider; anything else the whole message service, its live logons included. */
static void logon_failed(struct session *session, const struct profile_provider *config, HRESULT hr)
{
    struct logon **logons;
    ULONG i, count;
    int kind;

    if (hr == MAPI_E_FAILONEPROVIDER) {
        event_error(about_config(config), "H8",
                    "%s is unavailable for the session (MAPI_E_FAILONEPROVIDER); the rest of service %s "
                    "goes on (H8)",
                    config->section.name, config->service->section.name);
        return;
    }
    event_error(about_config(config), "H8", "%s failed with %s: message service %s is disabled for the session (H8)",
                config->section.name, hresult_text(hr), config->service->section.name);
    for (i = 0; i < session->profile->service_count; i++)
        if (session->profile->services[i] == config->service) session->disabled[i] = TRUE;
    for (kind = PROVIDER_XP; kind >= PROVIDER_AB; kind--) {
        count = logon_all_of(session, kind, &logons);
        for (i = 0; i < count; i++)
            if (logons[i]->config->service == config->service) logon_shutdown_one(logons[i]);
        free(logons);
    }
}

HRESULT logon_start_providers(struct session *session, ULONG_PTR ui_param, enum provider_kind kind)
{
    ULONG i, j;
    HRESULT hr;

    for (i = 0; i < session->profile->service_count; i++) {
        const struct profile_service *service = session->profile->services[i];

        for (j = 0; j < service->provider_count && !session->disabled[i]; j++) {
            struct guarded_op op = { .session = session, .config = service->providers[j], .ui_param = ui_param };

            if (op.config->kind != kind) continue;
            if ((hr = logon_configured(&op, start_provider)) != S_OK) logon_failed(session, op.config, hr);
        }
    }
    return S_OK;
}

static HRESULT open_store(struct session *session, const struct profile_provider *config, ULONG_PTR ui_param,
                          ULONG size, const ENTRYID *entry_id, const IID *iid, ULONG flags, IMsgStore **store,
                          struct provider **provider_out)
{
    static const ULONG passed =
        MDB_NO_DIALOG | MDB_WRITE | MDB_TEMPORARY | MDB_NO_MAIL | MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS;
    ULONG logon_flags = (flags & passed) | (session->flags & MAPI_LOGON_UI ? 0 : MDB_NO_DIALOG), security_size = 0;
    struct provider *provider;
    struct logon *logon;
    IMSLogon *object = NULL;
    IMsgStore *mdb = NULL;
    MAPIERROR *error = NULL;
    BYTE *security = NULL;
    HRESULT hr;

    if (!(*provider_out = provider = provider_get(session, config, &hr))) return hr;
    if (!(logon = logon_new(session, provider, config))) return MAPI_E_NOT_ENOUGH_MEMORY;
    guard_step("IMSProvider", "Logon");
    hr = IMSProvider_Logon((IMSProvider *)provider->object, support_iface(logon->support), ui_param,
                           session->profile_name, size, (ENTRYID *)entry_id, logon_flags, iid, &security_size,
                           &security, &error, &object, &mdb);
    if (SUCCEEDED(hr) && !object && mdb) {
        /* H11, E19: the store was open already; the provider hands back that store and no new logon. */
        event_step(about_logon(logon), "%s: IMSProvider::Logon -> %s, the store already open (H11)", logon_name(logon),
                   hresult_text(hr));
        MAPIFreeBuffer(error);
        MAPIFreeBuffer(security);
        logon->logged_off = logon->released = TRUE;
        if (IMAPISupport_Release(support_iface(logon->support)) && logon->support) {
            event_violation(about_logon(logon), "H11",
                            "%s kept the support object of a logon that returned no logon object (H11)",
                            logon_name(logon));
            detach_support(logon);
        }
        *store = mdb;
        return S_OK;
    }
    if (SUCCEEDED(hr) && object && !mdb) {
        event_error(about_logon(logon), NULL, "%s: IMSProvider::Logon returned a logon object but no store",
                    logon_name(logon));
        logon_finish(logon, "Logon", hr, (IUnknown *)object, error, security);
        return MAPI_E_CALL_FAILED;
    }
    if ((hr = logon_finish(logon, "Logon", hr, (IUnknown *)object, error, security)) != S_OK) {
        if (mdb && !FAILED(hr)) IMsgStore_Release(mdb);
        return hr;
    }
    *store = mdb;
    return S_OK;
}

static void open_store_op(void *context)
{
    struct guarded_op *op = context;

    op->hr = open_store(op->session, op->config, op->ui_param, op->size, op->entry_id, op->iid, op->flags, &op->store,
                        &op->provider);
}

HRESULT logon_open_store(struct session *session, const struct profile_provider *config, ULONG_PTR ui_param, ULONG size,
                         const ENTRYID *entry_id, const IID *iid, ULONG flags, IMsgStore **store)
{
    struct guarded_op op = { .session = session,
                             .config = config,
                             .ui_param = ui_param,
                             .size = size,
                             .entry_id = entry_id,
                             .iid = iid,
                             .flags = flags };
    HRESULT hr;

    if (service_disabled(session, config->service)) {
        event_error(about_config(config), "H8", "%s: message service %s is disabled for the session (H8)",
                    config->section.name, config->service->section.name);
        return MAPI_E_LOGON_FAILED;
    }
    if (FAILED(hr = logon_configured(&op, open_store_op))) {
        logon_failed(session, config, hr);
        return hr;
    }
    *store = op.store;
    return hr;
}

/* Q8: the spooler's own logon to a store, made like a client's (one support object, H6) but through SpoolerLogon,
 * which hands back a logon and a store object of the spooler's alone. */
static void spooler_store_op(void *context)
{
    struct guarded_op *op = context;
    IMSLogon *object = NULL;
    IMsgStore *mdb = NULL;
    MAPIERROR *error = NULL;
    struct logon *logon;

    if (!(op->provider = provider_get(op->session, op->config, &op->hr))) return;
    if (!(op->logon = logon = logon_new(op->session, op->provider, op->config))) {
        op->hr = MAPI_E_NOT_ENOUGH_MEMORY;
        return;
    }
    logon->spooler = TRUE;
    guard_step("IMSProvider", "SpoolerLogon");
    op->hr = IMSProvider_SpoolerLogon((IMSProvider *)op->provider->object, support_iface(logon->support), 0,
                                      op->session->profile_name, op->size, (ENTRYID *)op->entry_id,
                                      MDB_NO_DIALOG | MDB_WRITE, NULL, 0, NULL, &error, &object, &mdb);
    if (SUCCEEDED(op->hr) && (!object || !mdb)) {
        event_error(about_logon(logon), NULL, "%s: IMSProvider::SpoolerLogon succeeded without a logon and a store",
                    logon_name(logon));
        if (mdb) IMsgStore_Release(mdb);
        mdb = NULL;
        op->hr = MAPI_E_CALL_FAILED;
    }
    if ((op->hr = logon_finish(logon, "SpoolerLogon", op->hr, (IUnknown *)object, error, NULL)) != S_OK) {
        if (mdb) IMsgStore_Release(mdb);
        return;
    }
    op->store = mdb;
}

HRESULT logon_spooler_store(struct session *session, const struct profile_provider *config, ULONG size,
                            const ENTRYID *entry_id, IMsgStore **store, struct logon **logon)
{
    struct guarded_op op = { .session = session, .config = config, .size = size, .entry_id = entry_id };
    HRESULT hr;

    *store = NULL;
    *logon = NULL;
    if (service_disabled(session, config->service)) return MAPI_E_LOGON_FAILED;
    if ((hr = run_guarded(&op, spooler_store_op, "its spooler logon")) != S_OK) return hr;
    *store = op.store;
    *logon = op.logon;
    return S_OK;
}

void logon_shutdown_kind(struct session *session, enum provider_kind kind)
{
    struct logon **logons;
    ULONG i, count = logon_all_of(session, kind, &logons);

    for (i = count; i > 0; i--) logon_shutdown_one(logons[i - 1]);
    free(logons);
}

void logon_shutdown_all(struct session *session)
{
    logon_shutdown_kind(session, PROVIDER_XP);
    logon_shutdown_kind(session, PROVIDER_AB);
    logon_shutdown_kind(session, PROVIDER_MS);
}
