/*
 * Fast shutdown (spec §5; runtime spec part F): IMAPIClientShutdown on every session (F1), and MAPI's calls on
 * the providers' IMAPIProviderShutdown.
 *
 * Who is called (F4, X40): every provider object with a live logon in any session of the process; sessions in
 * creation order, and within each session transports, then address books, then stores, each type in logon order. A
 * provider object is called once per client call, however many logons it has. Its IMAPIProviderShutdown is found by
 * one QueryInterface on the provider object, at the first QueryFastShutdown that meets it (F3): a failure or a NULL
 * pointer means it has none. The pointer is released just before the object's final Release (provider.c).
 *
 * QueryFastShutdown reads FastShutdownBehavior at each call (F2: absent is 0; anything but a DWORD 0, 1 or 2 counts
 * as 2) and answers (F5): 0, S_OK unless a provider that has the interface returns an error; 1, S_OK only if every
 * provider has it and returns S_OK; 2, MAPI_E_NO_SUPPORT, and no provider is asked, not even for the interface.
 * Every provider is asked even after one refused, so the events show all the answers. A successful answer holds
 * until a new provider object appears in the process.
 *
 * NotifyProcessShutdown and DoFastShutdown forward only while a successful answer holds (F6); otherwise Notify
 * returns S_OK and Do MAPI_E_NO_SUPPORT, and neither calls a provider. Only S_OK is documented from a provider's
 * Notify and Do: anything else is a violation and changes nothing. A provider that crashes or hangs in any of the
 * three is abandoned as at logoff (logon.c); in QueryFastShutdown that counts as a refusal.
 *
 * After DoFastShutdown (F7, E27) the process is ending: nothing calls into a provider again and nothing is torn down
 * (see process_fast_shutdown_done's callers), and a client call gets MAPI_E_END_OF_SESSION.
 *
 * The three methods run one at a time in the process, under a lock held while providers are called: only clients
 * call IMAPIClientShutdown (best practices), so a provider that calls it from inside one of its own methods is told
 * MAPI_E_CALL_FAILED instead of deadlocking.
 */
#include <stdio.h>
#include <stdlib.h>

#include "mapihost_private.h"
#include "core.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(fastshutdown);

#define POLICY_KEY "Software\\Policies\\Microsoft\\Office\\14.0\\Outlook\\Options\\Shutdown"

enum method { ASK_INTERFACE, QUERY, NOTIFY, DO };
static const char *const method_names[] = {
    "QueryInterface(IID_IMAPIProviderShutdown)",
    "IMAPIProviderShutdown::QueryFastShutdown",
    "IMAPIProviderShutdown::NotifyProcessShutdown",
    "IMAPIProviderShutdown::DoFastShutdown",
};
static const char *const behavior_names[] = {
    "fast unless a provider opts out",
    "fast only if every provider opts in",
    "never fast",
};

static SRWLOCK lock = SRWLOCK_INIT;
static DWORD lock_owner;
static LONG answer_generation = -1; /* process_providers_added() when QueryFastShutdown last said S_OK */

static BOOL answer_holds(void)
{
    return *(volatile LONG *)&answer_generation == process_providers_added();
}

static inline struct session *impl_from_IMAPIClientShutdown(IMAPIClientShutdown *iface)
{
    return CONTAINING_RECORD(iface, struct session, IMAPIClientShutdown_iface);
}

/* Takes the lock for the method named, or says why the call is refused (*hr). */
static BOOL enter(const char *method, HRESULT *hr)
{
    if (process_fast_shutdown_done()) {
        process_late_call(method);
        *hr = MAPI_E_END_OF_SESSION;
        return FALSE;
    }
    if (*(volatile DWORD *)&lock_owner == GetCurrentThreadId()) {
        event_violation(ABOUT_HOST, "F6",
                        "%s called from inside a provider's fast-shutdown method; only clients call "
                        "IMAPIClientShutdown (best practices)",
                        method);
        *hr = MAPI_E_CALL_FAILED;
        return FALSE;
    }
    AcquireSRWLockExclusive(&lock);
    lock_owner = GetCurrentThreadId();
    return TRUE;
}

static void leave(void)
{
    lock_owner = 0;
    ReleaseSRWLockExclusive(&lock);
}

/* F2. */
static DWORD read_behavior(void)
{
    DWORD value = 0, size = sizeof(value), type = REG_NONE;
    LSTATUS status =
        RegGetValueA(HKEY_CURRENT_USER, POLICY_KEY, "FastShutdownBehavior", RRF_RT_ANY, &type, &value, &size);

    if (status == ERROR_FILE_NOT_FOUND) return 0;
    if (status == ERROR_SUCCESS && type == REG_DWORD && value <= 2) return value;
    event_error(ABOUT_HOST, "F2",
                "fast shutdown: FastShutdownBehavior under HKCU\\%s is not a DWORD 0, 1 or 2; taken as 2, fast "
                "shutdown off (F2)",
                POLICY_KEY);
    return 2;
}

/* The provider objects a client call concerns (F4), and the sessions they live in, referenced until done. */
struct targets {
    struct session **sessions;
    ULONG session_count;
    struct provider **providers;
    ULONG count;
};

static BOOL is_target(const struct logon *logon, enum provider_kind kind)
{
    return logon->active && !logon->released && logon->provider->kind == kind && logon->provider->object;
}

static void add_session_targets(struct targets *targets, struct session *session)
{
    static const enum provider_kind order[3] = { PROVIDER_XP, PROVIDER_AB, PROVIDER_MS };
    struct provider **grown;
    struct list *cursor;
    ULONG first = targets->count, i;
    int k;

    EnterCriticalSection(&session->cs);
    if (!(grown =
              realloc(targets->providers, (targets->count + list_count(&session->providers) + 1) * sizeof(*grown)))) {
        LeaveCriticalSection(&session->cs);
        return;
    }
    targets->providers = grown;
    for (k = 0; k < 3; k++)
        LIST_FOR_EACH (cursor, &session->logons) {
            struct logon *logon = LIST_ENTRY(cursor, struct logon, entry);

            if (!is_target(logon, order[k])) continue;
            for (i = first; i < targets->count && targets->providers[i] != logon->provider; i++) {}
            if (i == targets->count) targets->providers[targets->count++] = logon->provider;
        }
    LeaveCriticalSection(&session->cs);
}

static void collect_targets(struct targets *targets)
{
    ULONG i;

    targets->providers = NULL;
    targets->count = 0;
    targets->session_count = process_sessions(&targets->sessions);
    for (i = 0; i < targets->session_count; i++) add_session_targets(targets, targets->sessions[i]);
}

static void release_targets(struct targets *targets)
{
    ULONG i;

    for (i = 0; i < targets->session_count; i++) IMAPISession_Release(&targets->sessions[i]->IMAPISession_iface);
    free(targets->sessions);
    free(targets->providers);
}

struct fast_call {
    struct provider *provider;
    enum method method;
    HRESULT hr;
};

static void run_call(void *context)
{
    struct fast_call *call = context;
    IMAPIProviderShutdown *iface = call->provider->fast_shutdown;
    void *found = NULL;

    switch (call->method) {
    case ASK_INTERFACE:
        call->hr = IUnknown_QueryInterface(call->provider->object, &IID_IMAPIProviderShutdown, &found);
        /* Out-parameters after a failure are not to be trusted (W5). */
        call->provider->fast_shutdown = SUCCEEDED(call->hr) ? found : NULL;
        break;
    case QUERY: call->hr = IMAPIProviderShutdown_QueryFastShutdown(iface); break;
    case NOTIFY: call->hr = IMAPIProviderShutdown_NotifyProcessShutdown(iface); break;
    case DO: call->hr = IMAPIProviderShutdown_DoFastShutdown(iface); break;
    }
}

/* One guarded call into a provider; FALSE if it crashed or hung, and the provider is abandoned. */
static BOOL call_provider(struct provider *provider, enum method method, HRESULT *hr)
{
    const char *dll = provider->library->name, *iface_name = loader_interface_names[provider->kind];
    struct fast_call call = { .provider = provider, .method = method, .hr = E_UNEXPECTED };
    struct provider *guarded = provider;

    if (!logon_run_guarded(NULL, method_names[method], &guarded, run_call, &call)) return FALSE;
    *hr = call.hr;
    event_step(about_provider(call.provider), "%s: %s: %s -> %s", dll, iface_name, method_names[method],
               hresult_text(call.hr));
    return TRUE;
}

/* The provider's IMAPIProviderShutdown, asked for once (F3); NULL without one. *crashed: the question crashed or
 * hung it. */
static IMAPIProviderShutdown *provider_interface(struct provider *provider, BOOL *crashed)
{
    HRESULT hr;

    *crashed = FALSE;
    if (!provider->fast_shutdown_asked) {
        provider->fast_shutdown_asked = TRUE;
        *crashed = !call_provider(provider, ASK_INTERFACE, &hr);
    }
    return provider->object ? provider->fast_shutdown : NULL;
}

static HRESULT WINAPI client_QueryInterface(IMAPIClientShutdown *iface, REFIID riid, void **out)
{
    TRACE("(%p, %p, %p)\n", iface, riid, out);
    return IMAPISession_QueryInterface(&impl_from_IMAPIClientShutdown(iface)->IMAPISession_iface, riid, out);
}

static ULONG WINAPI client_AddRef(IMAPIClientShutdown *iface)
{
    TRACE("(%p)\n", iface);
    return IMAPISession_AddRef(&impl_from_IMAPIClientShutdown(iface)->IMAPISession_iface);
}

static ULONG WINAPI client_Release(IMAPIClientShutdown *iface)
{
    TRACE("(%p)\n", iface);
    return IMAPISession_Release(&impl_from_IMAPIClientShutdown(iface)->IMAPISession_iface);
}

static HRESULT WINAPI client_QueryFastShutdown(IMAPIClientShutdown *iface)
{
    ULONG asked = 0, refused = 0, missing = 0, i;
    struct targets targets = { 0 };
    DWORD behavior;
    BOOL ok, crashed;
    LONG generation;
    HRESULT hr;

    TRACE("(%p)\n", iface);
    if (!enter("IMAPIClientShutdown::QueryFastShutdown", &hr)) return hr;
    behavior = read_behavior();
    event_step(ABOUT_HOST, "fast shutdown: IMAPIClientShutdown::QueryFastShutdown, FastShutdownBehavior %lu: %s",
               behavior, behavior_names[behavior]);
    InterlockedExchange(&answer_generation, -1);
    generation = process_providers_added();
    if (behavior != 2) {
        collect_targets(&targets);
        for (i = 0; i < targets.count; i++) {
            IMAPIProviderShutdown *shutdown = provider_interface(targets.providers[i], &crashed);

            if (crashed)
                refused++;
            else if (!shutdown)
                missing++;
            else if (asked++, !call_provider(targets.providers[i], QUERY, &hr) || hr != S_OK)
                refused++;
        }
    }
    ok = behavior == 0 ? !refused : behavior == 1 && !refused && !missing;
    if (ok) InterlockedExchange(&answer_generation, generation);
    release_targets(&targets);
    hr = ok ? S_OK : MAPI_E_NO_SUPPORT;
    event_step(ABOUT_HOST,
               "fast shutdown: QueryFastShutdown -> %s (%lu providers asked, %lu refused, %lu without "
               "IMAPIProviderShutdown)",
               hresult_text(hr), asked, refused, missing);
    leave();
    return hr;
}

/* Notify or Do to every provider with the interface, while a successful answer holds (F6). */
static BOOL forward(enum method method, const char *client_method)
{
    struct targets targets;
    BOOL crashed;
    HRESULT hr;
    ULONG i;

    if (!answer_holds()) {
        event_error(ABOUT_HOST, "F6",
                    "fast shutdown: %s without a successful QueryFastShutdown since the last provider object "
                    "appeared; no provider is called (F6, best practices)",
                    client_method);
        return FALSE;
    }
    collect_targets(&targets);
    for (i = 0; i < targets.count; i++) {
        struct provider *provider = targets.providers[i];

        if (!provider_interface(provider, &crashed) || !call_provider(provider, method, &hr) || hr == S_OK) continue;
        event_violation(about_provider(provider), "F6", "%s: %s: %s returned %s; only S_OK is documented%s",
                        provider->library->name, loader_interface_names[provider->kind], method_names[method],
                        hresult_text(hr), method == DO ? ", and the process ends now: its data may be lost" : "");
    }
    release_targets(&targets);
    return TRUE;
}

static HRESULT WINAPI client_NotifyProcessShutdown(IMAPIClientShutdown *iface)
{
    HRESULT hr;

    TRACE("(%p)\n", iface);
    if (!enter("IMAPIClientShutdown::NotifyProcessShutdown", &hr)) return hr;
    event_step(ABOUT_HOST, "fast shutdown: IMAPIClientShutdown::NotifyProcessShutdown");
    forward(NOTIFY, "NotifyProcessShutdown");
    leave();
    return S_OK;
}

static HRESULT WINAPI client_DoFastShutdown(IMAPIClientShutdown *iface)
{
    HRESULT hr;

    TRACE("(%p)\n", iface);
    if (!enter("IMAPIClientShutdown::DoFastShutdown", &hr)) return hr;
    event_step(ABOUT_HOST, "fast shutdown: IMAPIClientShutdown::DoFastShutdown");
    if (forward(DO, "DoFastShutdown")) {
        process_set_fast_shutdown_done();
        event_step(ABOUT_HOST,
                   "fast shutdown: DoFastShutdown -> S_OK; from now on nothing calls into a provider, and the "
                   "client exits without another MAPI call (F7)");
        hr = S_OK;
    } else
        hr = MAPI_E_NO_SUPPORT;
    leave();
    return hr;
}

const IMAPIClientShutdownVtbl client_shutdown_vtbl = {
    client_QueryInterface,        client_AddRef,         client_Release, client_QueryFastShutdown,
    client_NotifyProcessShutdown, client_DoFastShutdown,
};
