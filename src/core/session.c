/*
 * MAPILogonEx and IMAPISession (spec §1A, §1F, §2.13, H25).
 *
 * Profiles: MAPILogonEx(ui, name, NULL, flags, &session) opens name as is when it ends in ".inf" or holds a path
 * separator, and <name>.inf in the folder MAPIHOST_PROFILE_DIR names otherwise; without that variable, in
 * %APPDATA%\mapihost\profiles. Any profile it cannot use gives MAPI_E_LOGON_FAILED, the reason in an error event.
 * Every logon makes a new session: shared sessions (no MAPI_NEW_SESSION) are not implemented.
 *
 * Implemented: QueryInterface, AddRef, Release, GetLastError, GetMsgStoresTable, OpenMsgStore, OpenAddressBook,
 * OpenProfileSection, GetStatusTable, OpenEntry and CompareEntryIDs (through route.c), Advise and Unadvise on the
 * session itself, QueryIdentity, AdminServices and Logoff. The other methods return MAPI_E_NO_SUPPORT. After Logoff
 * every method but AddRef and Release returns MAPI_E_END_OF_SESSION, and so it does in every session after
 * DoFastShutdown. The session also answers QueryInterface for IMAPIClientShutdown (fastshutdown.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "profsect.h"
#include "core.h"
#include "spooler.h"
#include "svcentry.h"
#include "table.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(session);

static inline struct session *impl_from_IMAPISession(IMAPISession *iface)
{
    return CONTAINING_RECORD(iface, struct session, IMAPISession_iface);
}

/* H25: after Logoff only Release is valid; F7: after DoFastShutdown, in every session of the process. */
static BOOL usable(struct session *session)
{
    if (session->logged_off) return FALSE;
    if (process_fast_shutdown_done()) {
        process_late_call("an IMAPISession method");
        return FALSE;
    }
    return TRUE;
}

static HRESULT WINAPI session_QueryInterface(IMAPISession *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPISession, NULL };
    struct session *session = impl_from_IMAPISession(iface);

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    if (out) *out = NULL;
    if (!usable(session)) return MAPI_E_END_OF_SESSION;
    if (out && IsEqualIID(riid, &IID_IMAPIClientShutdown)) { /* F1 */
        *out = &session->IMAPIClientShutdown_iface;
        IMAPISession_AddRef(iface);
        return S_OK;
    }
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI session_AddRef(IMAPISession *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IMAPISession(iface)->refcount);
}

static void free_session(struct session *session)
{
    struct list *cursor, *next;

    process_remove_session(session);
    if (session->status_table) tabledata_release(session->status_table);
    if (session->store_table) tabledata_release(session->store_table);
    statusrows_clear(&session->status_rows);
    FreeProws(session->search_path);
    uidreg_clear(&session->uids);
    subscriptions_remove_owner(&session->subscriptions, NULL);
    support_free_all(session);
    LIST_FOR_EACH_SAFE (cursor, next, &session->logons) {
        struct logon *logon = LIST_ENTRY(cursor, struct logon, entry);
        while (logon->preprocessor_count) {
            struct preprocessor *preprocessor = &logon->preprocessors[--logon->preprocessor_count];
            free(preprocessor->address_type);
            free(preprocessor->name);
            if (preprocessor->library) library_close(preprocessor->library);
        }
        free(logon->preprocessors);
        while (logon->address_type_count) free(logon->address_types[--logon->address_type_count]);
        free(logon->address_types);
        free(logon);
    }
    LIST_FOR_EACH_SAFE (cursor, next, &session->providers) free(LIST_ENTRY(cursor, struct provider, entry));
    InterlockedDecrement(&session->profile->store->sessions);
    profile_free(session->profile);
    free(session->profile_name);
    free(session->disabled);
    DeleteCriticalSection(&session->cs);
    free(session);
}

/* Advise with no entry ID: the session itself. Such sinks hear of the logoff (spec §1F 19). */
static const NOTIFKEY session_key = { 0, { 0 } };

static void logoff(struct session *session)
{
    NOTIFICATION notification = { .ulEventType = fnevExtended };
    ULONG told;

    session->logged_off = TRUE;
    /* imapisession-advise.md: an fnevExtended notification when the logoff happens. Its ulEvent is not documented:
     * 0, with no parameters. The sinks are released then, since Unadvise fails from now on (H25). */
    if ((told = subscriptions_notify(&session->subscriptions, &session_key, 1, &notification)))
        event_step(ABOUT_HOST, "session %s: %lu advise sinks told of the logoff (fnevExtended)", session->profile_name,
                   told);
    subscriptions_remove_owner(&session->subscriptions, session);
    spooler_session_end(session); /* transports and the spooler's store logon, on the spooler's thread */
    logon_shutdown_all(session);
    event_step(ABOUT_HOST, "session %s: every provider logged off and shut down", session->profile_name);
}

static ULONG WINAPI session_Release(IMAPISession *iface)
{
    struct session *session = impl_from_IMAPISession(iface);
    ULONG refcount = InterlockedDecrement(&session->refcount);

    TRACE("(%p)\n", iface);
    if (refcount) return refcount;
    if (process_fast_shutdown_done()) {
        /* F7, E27: the process is ending; freeing would release what providers gave the session. */
        event_step(ABOUT_HOST, "session %s: released after DoFastShutdown; nothing is torn down",
                   session->profile_name);
        return 0;
    }
    if (!session->logged_off) {
        event_error(ABOUT_HOST, NULL, "session %s released without IMAPISession::Logoff; the host logs it off now",
                    session->profile_name);
        logoff(session);
    }
    free_session(session);
    return 0;
}

static HRESULT WINAPI session_GetLastError(IMAPISession *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    if (!usable(impl_from_IMAPISession(iface))) return MAPI_E_END_OF_SESSION;
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL; /* no extended information */
    return S_OK;
}

static HRESULT WINAPI session_GetMsgStoresTable(IMAPISession *iface, ULONG flags, IMAPITable **table)
{
    struct session *session = impl_from_IMAPISession(iface);

    TRACE("(%p, %#lx, %p)\n", iface, flags, table);
    if (table) *table = NULL;
    if (!usable(session)) return MAPI_E_END_OF_SESSION;
    return tabledata_open_view(session->store_table, table);
}

static HRESULT WINAPI session_OpenMsgStore(IMAPISession *iface, ULONG_PTR ui_param, ULONG size, ENTRYID *entry_id,
                                           const IID *iid, ULONG flags, IMsgStore **store)
{
    struct session *session = impl_from_IMAPISession(iface);
    const struct profile_provider *config;
    HRESULT hr;

    TRACE("(%p, %#Ix, %#lx, %p, %p, %#lx, %p)\n", iface, ui_param, size, entry_id, iid, flags, store);
    if (!store) return MAPI_E_INVALID_PARAMETER;
    *store = NULL;
    if (!usable(session)) return MAPI_E_END_OF_SESSION;
    if (!(config = storetable_find(session, size, entry_id))) return MAPI_E_UNKNOWN_ENTRYID;
    event_step(ABOUT_HOST, "session %s: OpenMsgStore(%s)", session->profile_name, config->section.name);
    if ((hr = logon_open_store(session, config, ui_param, size, entry_id, iid, flags, store)) == S_OK)
        spooler_store_opened(session, config, *store);
    return hr;
}

static HRESULT WINAPI session_OpenAddressBook(IMAPISession *iface, ULONG_PTR ui_param, const IID *iid, ULONG flags,
                                              IAddrBook **out)
{
    struct session *session = impl_from_IMAPISession(iface);

    TRACE("(%p, %#Ix, %p, %#lx, %p)\n", iface, ui_param, iid, flags, out);
    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!usable(session)) return MAPI_E_END_OF_SESSION;
    if (iid && !IsEqualIID(iid, &IID_IAddrBook) && !IsEqualIID(iid, &IID_IUnknown))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    return addrbook_create(session, out);
}

static HRESULT WINAPI session_OpenProfileSection(IMAPISession *iface, MAPIUID *uid, const IID *iid, ULONG flags,
                                                 IProfSect **out)
{
    struct session *session = impl_from_IMAPISession(iface);

    TRACE("(%p, %p, %p, %#lx, %p)\n", iface, uid, iid, flags, out);
    if (out) *out = NULL;
    if (!usable(session)) return MAPI_E_END_OF_SESSION;
    return profsect_open_as_client(session->profile->store, uid, flags, out);
}

static HRESULT WINAPI session_GetStatusTable(IMAPISession *iface, ULONG flags, IMAPITable **table)
{
    struct session *session = impl_from_IMAPISession(iface);

    TRACE("(%p, %#lx, %p)\n", iface, flags, table);
    if (table) *table = NULL;
    if (!usable(session)) return MAPI_E_END_OF_SESSION;
    return tabledata_open_view(session->status_table, table);
}

static HRESULT WINAPI session_OpenEntry(IMAPISession *iface, ULONG size, ENTRYID *entry_id, const IID *iid, ULONG flags,
                                        ULONG *type, IUnknown **out)
{
    struct session *session = impl_from_IMAPISession(iface);

    TRACE("(%p, %#lx, %p, %p, %#lx, %p, %p)\n", iface, size, entry_id, iid, flags, type, out);
    if (out) *out = NULL;
    if (!usable(session)) return MAPI_E_END_OF_SESSION;
    return route_open_entry(session, FALSE, size, entry_id, iid, flags, type, out);
}

static HRESULT WINAPI session_CompareEntryIDs(IMAPISession *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
                                              ENTRYID *entry2, ULONG flags, ULONG *result)
{
    TRACE("(%p, %#lx, %p, %#lx, %p, %#lx, %p)\n", iface, size1, entry1, size2, entry2, flags, result);
    if (!usable(impl_from_IMAPISession(iface))) return MAPI_E_END_OF_SESSION;
    return route_compare_entry_ids(impl_from_IMAPISession(iface), size1, entry1, size2, entry2, flags, result);
}

/* Only the session itself (no entry ID) can be advised on: advising on entries needs providers' Advise methods. */
static HRESULT WINAPI session_Advise(IMAPISession *iface, ULONG size, ENTRYID *entry_id, ULONG mask,
                                     IMAPIAdviseSink *sink, ULONG_PTR *connection)
{
    struct session *session = impl_from_IMAPISession(iface);

    TRACE("(%p, %#lx, %p, %#lx, %p, %p)\n", iface, size, entry_id, mask, sink, connection);
    if (!usable(session)) return MAPI_E_END_OF_SESSION;
    if (entry_id || size) return unsupported("IMAPISession", "Advise on an entry ID");
    return subscriptions_add(&session->subscriptions, session, &session_key, mask, sink, connection);
}

static HRESULT WINAPI session_Unadvise(IMAPISession *iface, ULONG_PTR connection)
{
    struct session *session = impl_from_IMAPISession(iface);

    TRACE("(%p, %#Ix)\n", iface, connection);
    if (!usable(session)) return MAPI_E_END_OF_SESSION;
    return subscriptions_remove(&session->subscriptions, connection);
}

static HRESULT WINAPI session_MessageOptions(IMAPISession *iface, ULONG_PTR ui_param, ULONG flags, LPTSTR address_type,
                                             IMessage *message)
{
    TRACE("(%p, %#Ix, %#lx, %p, %p)\n", iface, ui_param, flags, address_type, message);
    if (!usable(impl_from_IMAPISession(iface))) return MAPI_E_END_OF_SESSION;
    return unsupported("IMAPISession", "MessageOptions");
}

static HRESULT WINAPI session_QueryDefaultMessageOpt(IMAPISession *iface, LPTSTR address_type, ULONG flags,
                                                     ULONG *count, SPropValue **options)
{
    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, address_type, flags, count, options);
    if (!usable(impl_from_IMAPISession(iface))) return MAPI_E_END_OF_SESSION;
    return unsupported("IMAPISession", "QueryDefaultMessageOpt");
}

static HRESULT WINAPI session_EnumAdrTypes(IMAPISession *iface, ULONG flags, ULONG *count, LPTSTR **types)
{
    TRACE("(%p, %#lx, %p, %p)\n", iface, flags, count, types);
    if (!usable(impl_from_IMAPISession(iface))) return MAPI_E_END_OF_SESSION;
    return unsupported("IMAPISession", "EnumAdrTypes");
}

static HRESULT WINAPI session_QueryIdentity(IMAPISession *iface, ULONG *size, ENTRYID **entry_id)
{
    TRACE("(%p, %p, %p)\n", iface, size, entry_id);
    if (!usable(impl_from_IMAPISession(iface))) return MAPI_E_END_OF_SESSION;
    if (!size || !entry_id) return MAPI_E_INVALID_PARAMETER;
    *size = 0;
    *entry_id = NULL;
    return statustable_identity(impl_from_IMAPISession(iface), size, entry_id);
}

static HRESULT WINAPI session_Logoff(IMAPISession *iface, ULONG_PTR ui_param, ULONG flags, ULONG reserved)
{
    struct session *session = impl_from_IMAPISession(iface);

    TRACE("(%p, %#Ix, %#lx, %#lx)\n", iface, ui_param, flags, reserved);
    if (!usable(session)) return MAPI_E_END_OF_SESSION;
    if (flags & ~(MAPI_LOGOFF_SHARED | MAPI_LOGOFF_UI)) return MAPI_E_UNKNOWN_FLAGS;
    event_step(ABOUT_HOST, "session %s: IMAPISession::Logoff", session->profile_name);
    /* MAPI_LOGOFF_SHARED is ignored for a session that is not shared (spec §1F 19), and none is here. */
    logoff(session);
    return S_OK;
}

static HRESULT WINAPI session_SetDefaultStore(IMAPISession *iface, ULONG flags, ULONG size, ENTRYID *entry_id)
{
    TRACE("(%p, %#lx, %#lx, %p)\n", iface, flags, size, entry_id);
    if (!usable(impl_from_IMAPISession(iface))) return MAPI_E_END_OF_SESSION;
    return unsupported("IMAPISession", "SetDefaultStore");
}

/* S16: the same IMsgServiceAdmin as IProfAdmin::AdminServices, for the session's profile; changes apply from the
 * next session (S7). */
static HRESULT WINAPI session_AdminServices(IMAPISession *iface, ULONG flags, LPSERVICEADMIN *admin)
{
    struct session *session = impl_from_IMAPISession(iface);

    TRACE("(%p, %#lx, %p)\n", iface, flags, admin);
    if (admin) *admin = NULL;
    if (!usable(session)) return MAPI_E_END_OF_SESSION;
    if (!admin) return MAPI_E_INVALID_PARAMETER;
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    return svcadmin_create(session->profile->store, admin);
}

static HRESULT WINAPI session_ShowForm(IMAPISession *iface, ULONG_PTR ui_param, IMsgStore *store, IMAPIFolder *parent,
                                       const IID *iid, ULONG_PTR token, IMessage *sent, ULONG flags, ULONG status,
                                       ULONG message_flags, ULONG access, LPSTR message_class)
{
    TRACE("(%p, %#Ix, %p, %p, %p, %#Ix, %p, %#lx, %#lx, %#lx, %#lx, %p)\n", iface, ui_param, store, parent, iid, token,
          sent, flags, status, message_flags, access, message_class);
    if (!usable(impl_from_IMAPISession(iface))) return MAPI_E_END_OF_SESSION;
    return unsupported("IMAPISession", "ShowForm");
}

static HRESULT WINAPI session_PrepareForm(IMAPISession *iface, const IID *iid, IMessage *message, ULONG_PTR *token)
{
    TRACE("(%p, %p, %p, %p)\n", iface, iid, message, token);
    if (!usable(impl_from_IMAPISession(iface))) return MAPI_E_END_OF_SESSION;
    return unsupported("IMAPISession", "PrepareForm");
}

static const IMAPISessionVtbl session_vtbl = {
    session_QueryInterface,
    session_AddRef,
    session_Release,
    session_GetLastError,
    session_GetMsgStoresTable,
    session_OpenMsgStore,
    session_OpenAddressBook,
    session_OpenProfileSection,
    session_GetStatusTable,
    session_OpenEntry,
    session_CompareEntryIDs,
    session_Advise,
    session_Unadvise,
    session_MessageOptions,
    session_QueryDefaultMessageOpt,
    session_EnumAdrTypes,
    session_QueryIdentity,
    session_Logoff,
    session_SetDefaultStore,
    session_AdminServices,
    session_ShowForm,
    session_PrepareForm,
};

HRESULT session_create(struct profile *profile, const char *name, ULONG flags, IMAPISession **out)
{
    struct session *session = calloc(1, sizeof(*session));
    HRESULT hr = MAPI_E_NOT_ENOUGH_MEMORY;

    if (!session) {
        profile_free(profile);
        return hr;
    }
    session->IMAPISession_iface.lpVtbl = &session_vtbl;
    session->IMAPIClientShutdown_iface.lpVtbl = &client_shutdown_vtbl;
    session->refcount = 1;
    InitializeCriticalSection(&session->cs);
    InitializeConditionVariable(&session->calls_done);
    session->profile = profile;
    InterlockedIncrement(&profile->store->sessions);
    session->flags = flags;
    list_init(&session->providers);
    list_init(&session->logons);
    list_init(&session->supports);
    uidreg_init(&session->uids);
    statusrows_init(&session->status_rows);
    subscriptions_init(&session->subscriptions);
    process_add_session(session);
    if (!(session->profile_name = _strdup(name))
        || !(session->disabled = calloc(profile->service_count + 1, sizeof(*session->disabled)))
        || (hr = statustable_init(session)) != S_OK || (hr = storetable_init(session)) != S_OK) {
        session->logged_off = TRUE;
        free_session(session);
        return hr;
    }
    *out = &session->IMAPISession_iface;
    return S_OK;
}

HRESULT WINAPI MapihostGetSessionState(IUnknown *iface, MAPIHOST_SESSION_STATE *state)
{
    struct session *session;
    struct list *cursor;

    TRACE("(%p, %p)\n", iface, state);
    if (!iface || !state || iface->lpVtbl != (const void *)&session_vtbl) return MAPI_E_INVALID_PARAMETER;
    session = impl_from_IMAPISession((IMAPISession *)iface);
    memset(state, 0, sizeof(*state));
    state->uids = uidreg_count_owner(&session->uids, NULL);
    state->status_rows = tabledata_row_count(session->status_table);
    EnterCriticalSection(&session->cs);
    LIST_FOR_EACH (cursor, &session->logons) {
        struct logon *logon = LIST_ENTRY(cursor, struct logon, entry);
        state->logons += logon->active && !logon->released;
    }
    LIST_FOR_EACH (cursor, &session->providers)
        state->providers += !!LIST_ENTRY(cursor, struct provider, entry)->object;
    LeaveCriticalSection(&session->cs);
    state->supports = support_count_referenced(session);
    return S_OK;
}

/* The profile file for a MAPILogonEx profile name (see the top of this file). */
static BOOL profile_path(const char *name, char *path, size_t size)
{
    size_t length = strlen(name);

    if (strpbrk(name, "\\/:") || (length > 4 && !_stricmp(name + length - 4, ".inf")))
        return snprintf(path, size, "%s", name) < (int)size;
    return proffolder_file_for(name, path, size);
}

/* The profile name MAPILogonEx was given, or the default profile's with MAPI_USE_DEFAULT or no name (S15). */
static HRESULT logon_profile_name(LPTSTR profile_name, ULONG flags, char *name, size_t size)
{
    BOOL given = profile_name && (flags & MAPI_UNICODE ? *(const WCHAR *)profile_name : *profile_name);

    if (!given || flags & MAPI_USE_DEFAULT) {
        if (proffolder_default_name(name, size)) return S_OK;
        event_error(ABOUT_HOST, NULL,
                    "MAPILogonEx: no profile name and no default profile (IProfAdmin::SetDefaultProfile sets "
                    "one); this host has no logon dialog");
        return MAPI_E_LOGON_FAILED;
    }
    if (flags & MAPI_UNICODE) {
        if (!WideCharToMultiByte(CP_ACP, 0, (const WCHAR *)profile_name, -1, name, (int)size, NULL, NULL))
            return MAPI_E_INVALID_PARAMETER;
    } else if (snprintf(name, size, "%s", profile_name) >= (int)size)
        return MAPI_E_INVALID_PARAMETER;
    return S_OK;
}

HRESULT WINAPI MAPILogonEx(ULONG_PTR ui_param, LPTSTR profile_name, LPTSTR password, ULONG flags, IMAPISession **out)
{
    char name[MAX_PATH], path[MAX_PATH];
    struct profile *profile;
    IMAPISession *session;
    HRESULT hr;

    TRACE("(%#Ix, %p, %p, %#lx, %p)\n", ui_param, profile_name, password, flags, out);
    if (!mapihost_is_initialized()) return MAPI_E_NOT_INITIALIZED;
    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (process_fast_shutdown_done()) {
        process_late_call("MAPILogonEx");
        return MAPI_E_LOGON_FAILED;
    }
    if ((hr = logon_profile_name(profile_name, flags, name, sizeof(name))) != S_OK) return hr;
    if (!profile_path(name, path, sizeof(path))) {
        event_error(ABOUT_HOST, NULL, "MAPILogonEx: no folder for profile %s (set MAPIHOST_PROFILE_DIR)", name);
        return MAPI_E_LOGON_FAILED;
    }
    if (!(profile = profile_load(path, &hr))) {
        event_error(ABOUT_HOST, NULL, "MAPILogonEx: profile %s cannot be used (%s)", path, hresult_text(hr));
        return MAPI_E_LOGON_FAILED;
    }
    if ((hr = session_create(profile, name, flags, &session)) != S_OK) return hr;
    event_step(ABOUT_HOST, "session %s: MAPILogonEx over %s", name, path);
    logon_start_providers(impl_from_IMAPISession(session), ui_param, PROVIDER_AB);
    spooler_session_start(impl_from_IMAPISession(session), ui_param);
    *out = session;
    return S_OK;
}
