/*
 * The sample address-book provider (spec §1C, §2.4, §2.5), built only against mapihost's published headers.
 *
 * Logon opens its profile section, registers a MAPIUID of its own (NewUID, then SetProviderUID), adds a status row
 * whose PR_IDENTITY_ENTRYID names its first user, and keeps its support object. OpenEntry opens its root container
 * (no entry ID), its directory (sample_dir.c) or one of its users (an IMailUser with PR_DISPLAY_NAME, PR_ENTRYID
 * and PR_OBJECT_TYPE); OpenStatusEntry its status object. Logoff
 * releases the status object and then the support object, and traces the objects still alive. CompareEntryIDs,
 * Advise, Unadvise, OpenTemplateID, GetOneOffTable and PrepareRecips return MAPI_E_NO_SUPPORT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "sample_dir.h"

struct ab_provider {
    IABProvider IABProvider_iface;
    struct sample_provider base;
};

struct ab_logon {
    IABLogon IABLogon_iface;
    LONG refcount;
    struct ab_provider *provider;
    IMAPISupport *support; /* ours until Logoff */
    IMAPIStatus *status;   /* made on the first OpenStatusEntry, kept until Logoff */
    struct propbag status_row;
    struct user_entry_id user;
    struct sample_config config;
    struct sample_affinity affinity; /* the recorder's fault "thread-affine" only */
    BOOL logged_off;
};

struct mailuser {
    IMailUser IMailUser_iface;
    LONG refcount;
    struct propbag props;
};

static inline struct mailuser *impl_from_IMailUser(IMailUser *iface)
{
    return CONTAINING_RECORD(iface, struct mailuser, IMailUser_iface);
}

static HRESULT WINAPI mailuser_QueryInterface(IMailUser *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IMailUser, NULL };

    return sample_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI mailuser_AddRef(IMailUser *iface)
{
    return InterlockedIncrement(&impl_from_IMailUser(iface)->refcount);
}

static ULONG WINAPI mailuser_Release(IMailUser *iface)
{
    struct mailuser *user = impl_from_IMailUser(iface);
    ULONG refcount = InterlockedDecrement(&user->refcount);

    if (!refcount) {
        propbag_free(&user->props);
        free(user);
        sample_object_destroyed();
    }
    return refcount;
}

SAMPLE_MAPIPROP_DEFAULTS(mailuser, IMailUser)

static HRESULT WINAPI mailuser_GetProps(IMailUser *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                        SPropValue **values)
{
    return propbag_get_props(&impl_from_IMailUser(iface)->props, tags, flags, count, values);
}

static HRESULT WINAPI mailuser_GetPropList(IMailUser *iface, ULONG flags, SPropTagArray **tags)
{
    return propbag_get_prop_list(&impl_from_IMailUser(iface)->props, tags);
}

static const IMailUserVtbl mailuser_vtbl = {
    mailuser_QueryInterface,  mailuser_AddRef,          mailuser_Release,     mailuser_GetLastError,
    mailuser_SaveChanges,     mailuser_GetProps,        mailuser_GetPropList, mailuser_OpenProperty,
    mailuser_SetProps,        mailuser_DeleteProps,     mailuser_CopyTo,      mailuser_CopyProps,
    mailuser_GetNamesFromIDs, mailuser_GetIDsFromNames,
};

static HRESULT mailuser_create(const struct user_entry_id *entry_id, IMailUser **out)
{
    struct mailuser *user = calloc(1, sizeof(*user));
    SPropValue values[3];
    char name[64];

    if (!user) return MAPI_E_NOT_ENOUGH_MEMORY;
    sample_user_name(entry_id->number, name, sizeof(name));
    values[0].ulPropTag = PR_DISPLAY_NAME_A;
    values[0].Value.lpszA = name;
    values[1].ulPropTag = PR_ENTRYID;
    values[1].Value.bin.cb = sizeof(*entry_id);
    values[1].Value.bin.lpb = (BYTE *)entry_id;
    values[2].ulPropTag = PR_OBJECT_TYPE;
    values[2].Value.l = MAPI_MAILUSER;
    if (FAILED(propbag_init(&user->props, 3, values))) {
        free(user);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    user->IMailUser_iface.lpVtbl = &mailuser_vtbl;
    user->refcount = 1;
    sample_object_created();
    *out = &user->IMailUser_iface;
    return S_OK;
}

static inline struct ab_logon *impl_from_IABLogon(IABLogon *iface)
{
    return CONTAINING_RECORD(iface, struct ab_logon, IABLogon_iface);
}

static HRESULT WINAPI logon_QueryInterface(IABLogon *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IABLogon, NULL };

    return sample_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI logon_AddRef(IABLogon *iface)
{
    return InterlockedIncrement(&impl_from_IABLogon(iface)->refcount);
}

/* Logoff's work; a final Release without Logoff does it too (E22). */
static void logoff(struct ab_logon *logon)
{
    if (logon->logged_off) return;
    logon->logged_off = TRUE;
    if (logon->status) IMAPIStatus_Release(logon->status);
    logon->status = NULL;
    if (sample_fault(logon->config.faults, "over-release")) IMAPISupport_Release(logon->support);
    /* The support object goes last: MAPI removes our UIDs and status row as it goes (E3). */
    if (!sample_fault(logon->config.faults, "keep-support")) IMAPISupport_Release(logon->support);
    sample_trace("%s: %ld objects of the DLL still alive", logon->config.display_name, sample_live_objects());
}

static ULONG WINAPI logon_Release(IABLogon *iface)
{
    struct ab_logon *logon = impl_from_IABLogon(iface);
    ULONG refcount = InterlockedDecrement(&logon->refcount);

    sample_trace("IABLogon::Release -> %lu", refcount);
    if (!refcount) {
        logoff(logon);
        InterlockedDecrement(&logon->provider->base.logons);
        propbag_free(&logon->status_row);
        free(logon);
        sample_object_destroyed();
    }
    return refcount;
}

static HRESULT WINAPI logon_GetLastError(IABLogon *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI logon_Logoff(IABLogon *iface, ULONG flags)
{
    struct ab_logon *logon = impl_from_IABLogon(iface);

    sample_trace("IABLogon::Logoff(%lu)", flags);
    if (sample_fault(logon->config.faults, "crash-logoff")) *(volatile int *)NULL = 0;
    if (sample_fault(logon->config.faults, "hang-logoff")) Sleep(INFINITE);
    if (sample_fault(logon->config.faults, "slow-logoff")) Sleep(1500);
    if (sample_fault(logon->config.faults, "thread-affine") && !sample_affinity_end(&logon->affinity)) {
        logoff(logon);
        return MAPI_E_CALL_FAILED;
    }
    logoff(logon);
    return sample_fault(logon->config.faults, "logoff-error") ? MAPI_E_CALL_FAILED : S_OK;
}

static HRESULT WINAPI logon_OpenEntry(IABLogon *iface, ULONG size, ENTRYID *entry_id, const IID *iid, ULONG flags,
                                      ULONG *type, IUnknown **out)
{
    struct ab_logon *logon = impl_from_IABLogon(iface);
    const struct user_entry_id *user = (const struct user_entry_id *)entry_id;
    HRESULT hr;

    sample_trace("IABLogon::OpenEntry(%lu bytes)", size);
    if (!out || !type) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (logon->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!entry_id) {
        /* The root container (spec U, the address book as MAPI builds it). */
        if (FAILED(hr = sample_container_create(&logon->user.uid, TRUE, FALSE, (IABContainer **)out))) return hr;
        *type = MAPI_ABCONT;
        return S_OK;
    }
    if (size != sizeof(*user) || memcmp(&user->uid, &logon->user.uid, sizeof(MAPIUID))) return MAPI_E_INVALID_ENTRYID;
    if (user->number == SAMPLE_DIRECTORY) {
        if (FAILED(hr = sample_container_create(&logon->user.uid, FALSE, sample_fault(logon->config.faults, "pdl"),
                                                (IABContainer **)out)))
            return hr;
        *type = MAPI_ABCONT;
        return S_OK;
    }
    if ((user->number == SAMPLE_LIST || user->number == SAMPLE_INNER_LIST)
        && sample_fault(logon->config.faults, "pdl")) {
        if (FAILED(hr = sample_list_create(&logon->user.uid, user->number, logon->support, (IDistList **)out)))
            return hr;
        *type = MAPI_DISTLIST;
        return S_OK;
    }
    if (!user->number || user->number > SAMPLE_USERS) return MAPI_E_NOT_FOUND;
    if (sample_fault(logon->config.faults, "crash-open-entry")) *(volatile int *)NULL = 0;
    if (sample_fault(logon->config.faults, "slow-open-entry")) {
        Sleep(300);
        sample_trace("IABLogon::OpenEntry returns, late");
    }
    if (FAILED(hr = mailuser_create(user, (IMailUser **)out))) return hr;
    *type = MAPI_MAILUSER;
    return S_OK;
}

static HRESULT WINAPI logon_CompareEntryIDs(IABLogon *iface, ULONG size1, ENTRYID *entry1, ULONG size2, ENTRYID *entry2,
                                            ULONG flags, ULONG *result)
{
    return MAPI_E_NO_SUPPORT;
}

/* Notifications on an entry go through MAPI: a subscription under the entry ID as its key. The directory never
 * changes while logged on, so nothing is ever sent; a client's Advise and Unadvise still work as documented. */
static HRESULT WINAPI logon_Advise(IABLogon *iface, ULONG size, ENTRYID *entry_id, ULONG mask, IMAPIAdviseSink *sink,
                                   ULONG_PTR *connection)
{
    struct ab_logon *logon = impl_from_IABLogon(iface);
    BYTE key[sizeof(ULONG) + 256];

    sample_trace("IABLogon::Advise(%#lx)", mask);
    if (logon->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!entry_id || !size || size > 256 || !sink || !connection || !mask) return MAPI_E_INVALID_PARAMETER;
    memcpy(key, &size, sizeof(ULONG));
    memcpy(key + sizeof(ULONG), entry_id, size);
    return IMAPISupport_Subscribe(logon->support, (NOTIFKEY *)key, mask, 0, sink, connection);
}

static HRESULT WINAPI logon_Unadvise(IABLogon *iface, ULONG_PTR connection)
{
    struct ab_logon *logon = impl_from_IABLogon(iface);

    sample_trace("IABLogon::Unadvise");
    if (logon->logged_off) return MAPI_E_INVALID_OBJECT;
    return IMAPISupport_Unsubscribe(logon->support, connection);
}

static HRESULT WINAPI logon_OpenStatusEntry(IABLogon *iface, const IID *iid, ULONG flags, ULONG *type,
                                            IMAPIStatus **out)
{
    struct ab_logon *logon = impl_from_IABLogon(iface);

    sample_trace("IABLogon::OpenStatusEntry");
    return sample_open_status_entry(&logon->status, &logon->status_row, logon->logged_off, type, (void **)out);
}

static HRESULT WINAPI logon_OpenTemplateID(IABLogon *iface, ULONG size, ENTRYID *template_id, ULONG template_flags,
                                           IMAPIProp *data, const IID *iid, IMAPIProp **out, IMAPIProp *sibling)
{
    if (out) *out = NULL;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_GetOneOffTable(IABLogon *iface, ULONG flags, IMAPITable **table)
{
    if (table) *table = NULL;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_PrepareRecips(IABLogon *iface, ULONG flags, SPropTagArray *tags, ADRLIST *recipients)
{
    return MAPI_E_NO_SUPPORT;
}

static const IABLogonVtbl logon_vtbl = {
    logon_QueryInterface, logon_AddRef,          logon_Release,       logon_GetLastError, logon_Logoff,
    logon_OpenEntry,      logon_CompareEntryIDs, logon_Advise,        logon_Unadvise,     logon_OpenStatusEntry,
    logon_OpenTemplateID, logon_GetOneOffTable,  logon_PrepareRecips,
};

static inline struct ab_provider *impl_from_IABProvider(IABProvider *iface)
{
    return CONTAINING_RECORD(iface, struct ab_provider, IABProvider_iface);
}

static HRESULT WINAPI provider_QueryInterface(IABProvider *iface, REFIID riid, void **out)
{
    return sample_provider_query_interface(&impl_from_IABProvider(iface)->base, riid, out, &IID_IABProvider);
}

static ULONG WINAPI provider_AddRef(IABProvider *iface)
{
    return InterlockedIncrement(&impl_from_IABProvider(iface)->base.refcount);
}

static ULONG WINAPI provider_Release(IABProvider *iface)
{
    struct ab_provider *provider = impl_from_IABProvider(iface);

    return sample_provider_release(&provider->base, provider);
}

static HRESULT WINAPI provider_Shutdown(IABProvider *iface, ULONG *flags)
{
    return sample_provider_shutdown(&impl_from_IABProvider(iface)->base, flags);
}

static HRESULT add_status_row(struct ab_logon *logon, IMAPISupport *support)
{
    SPropValue identity[2];

    identity[0].ulPropTag = PR_IDENTITY_ENTRYID;
    identity[0].Value.bin.cb = sizeof(logon->user);
    identity[0].Value.bin.lpb = (BYTE *)&logon->user;
    identity[1].ulPropTag = PR_IDENTITY_DISPLAY_A;
    identity[1].Value.lpszA = "Sample User 1";
    return sample_add_status_row(support, &logon->status_row, logon->config.display_name,
                                 "mapihost sample address book", STATUS_AVAILABLE, STATUS_VALIDATE_STATE, 2, identity);
}

static HRESULT WINAPI provider_Logon(IABProvider *iface, IMAPISupport *support, ULONG_PTR ui_param, LPTSTR profile_name,
                                     ULONG flags, ULONG *security_size, BYTE **security, MAPIERROR **error,
                                     IABLogon **out)
{
    struct ab_provider *provider = impl_from_IABProvider(iface);
    struct ab_logon *logon;
    HRESULT hr;

    sample_trace("IABProvider::Logon(flags %#lx)", flags);
    if (!support || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (error) *error = NULL;
    if (security_size) *security_size = 0; /* E30 */
    if (security) *security = NULL;
    if (!(logon = calloc(1, sizeof(*logon)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr = sample_read_config(support, &logon->config))
        || FAILED(hr = sample_read_setting(support, &sample_ab_settings_uid, &logon->config)))
        goto fail;
    if (sample_fault(logon->config.faults, "crash-logon")) *(volatile int *)NULL = 0;
    if (sample_fault(logon->config.faults, "thread-affine")) sample_affinity_begin(&logon->affinity);
    if (sample_fault(logon->config.faults, "fail-one"))
        hr = MAPI_E_FAILONEPROVIDER;
    else if (sample_fault(logon->config.faults, "fail-logon"))
        hr = MAPI_E_LOGON_FAILED;
    else if (sample_fault(logon->config.faults, "unconfigured"))
        hr = MAPI_E_UNCONFIGURED;
    if (FAILED(hr)) goto fail;
    logon->user.number = 1;
    if (FAILED(hr = IMAPISupport_NewUID(support, &logon->user.uid))
        || FAILED(hr = IMAPISupport_SetProviderUID(support, &logon->user.uid, 0))
        || FAILED(hr = add_status_row(logon, support)))
        goto fail;
    if (!sample_fault(logon->config.faults, "no-addref")) IMAPISupport_AddRef(support);
    logon->support = support;
    logon->IABLogon_iface.lpVtbl = &logon_vtbl;
    logon->refcount = sample_fault(logon->config.faults, "leak-logon") ? 2 : 1;
    logon->provider = provider;
    sample_provider_logon_added(&provider->base, &logon->config);
    sample_object_created();
    *out = &logon->IABLogon_iface;
    return S_OK;
fail:
    propbag_free(&logon->status_row);
    free(logon);
    return hr;
}

static const IABProviderVtbl provider_vtbl = {
    provider_QueryInterface, provider_AddRef, provider_Release, provider_Shutdown, provider_Logon,
};

HRESULT STDMAPIINITCALLTYPE ABProviderInit(HINSTANCE instance, LPMALLOC malloc, LPALLOCATEBUFFER allocate_buffer,
                                           LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer, ULONG flags,
                                           ULONG mapi_version, ULONG *provider_version, IABProvider **out)
{
    struct ab_provider *provider;
    HRESULT hr;

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (FAILED(hr = sample_init("ABProviderInit", mapi_version, provider_version, allocate_buffer, allocate_more,
                                free_buffer)))
        return hr;
    if (!(provider = calloc(1, sizeof(*provider)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    provider->IABProvider_iface.lpVtbl = &provider_vtbl;
    sample_provider_init(&provider->base, "IABProvider", (IUnknown *)&provider->IABProvider_iface, NULL);
    *out = &provider->IABProvider_iface;
    return S_OK;
}

/* The service entry MAPISVC.INF names (S30); exported as ServiceEntry by the sample's .def file. */
HRESULT WINAPI SampleABServiceEntry(HINSTANCE instance, IMalloc *malloc, IMAPISupport *support, ULONG_PTR ui_param,
                                    ULONG flags, ULONG context, ULONG count, SPropValue *props, IProviderAdmin *admin,
                                    MAPIERROR **error)
{
    return sample_service_entry(&sample_ab_settings_uid, support, flags, context, count, props, admin, error);
}
