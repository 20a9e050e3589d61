/*
 * The spooler's status row and status object (Q1, Q27, Q28, Q30).
 *
 * A session whose mail the spooler moves has a row of resource type MAPI_SPOOLER in its status table, from its
 * logon to its logoff: STATUS_AVAILABLE, with STATUS_OUTBOUND_ACTIVE or STATUS_INBOUND_ACTIVE while a pass sends or
 * receives (each change notified to the table's views). IMAPISession::OpenEntry of the row's PR_ENTRYID gives the
 * status object: its properties are the row's; ValidateState goes to every transport's IXPLogon::ValidateState and
 * FlushQueues to flush.c, both on the spooler's thread; SettingsDialog and ChangePassword are not the spooler's
 * (MAPI_E_NO_SUPPORT, as MAPI's own answers). The object holds a reference on the session and answers
 * MAPI_E_END_OF_SESSION once the session's mail has stopped.
 */
#include <stdlib.h>

#include "mapihost_private.h"
#include "propval.h"
#include "mail.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(status);

#define FLUSH_FLAGS (FLUSH_UPLOAD | FLUSH_DOWNLOAD | FLUSH_FORCE | FLUSH_NO_UI | FLUSH_ASYNC_OK)

static HRESULT publish(struct mail *mail, ULONG code)
{
    SPropValue values[8];
    ULONG n = 0;

    values[n].ulPropTag = PR_DISPLAY_NAME_A;
    values[n++].Value.lpszA = "MAPI Spooler";
    values[n].ulPropTag = PR_PROVIDER_DISPLAY_A;
    values[n++].Value.lpszA = "mapihost";
    values[n].ulPropTag = PR_PROVIDER_DLL_NAME_A;
    values[n++].Value.lpszA = "mapihost.dll";
    values[n].ulPropTag = PR_RESOURCE_TYPE;
    values[n++].Value.l = MAPI_SPOOLER;
    values[n].ulPropTag = PR_RESOURCE_FLAGS;
    values[n++].Value.l = 0;
    values[n].ulPropTag = PR_RESOURCE_METHODS;
    values[n++].Value.l = STATUS_VALIDATE_STATE | STATUS_FLUSH_QUEUES;
    values[n].ulPropTag = PR_STATUS_CODE;
    values[n++].Value.l = code;
    values[n].ulPropTag = PR_STATUS_STRING_A;
    values[n++].Value.lpszA = code & STATUS_OUTBOUND_ACTIVE  ? "Sending"
                              : code & STATUS_INBOUND_ACTIVE ? "Receiving"
                                                             : "Ready";
    return statustable_set_host_row(mail->session, STATUS_ROWID_SPOOLER, n, values);
}

HRESULT spoolerstatus_add(struct mail *mail)
{
    mail->status_code = STATUS_AVAILABLE;
    return publish(mail, STATUS_AVAILABLE);
}

void spoolerstatus_remove(struct mail *mail)
{
    statustable_remove_host_row(mail->session, STATUS_ROWID_SPOOLER);
}

void spoolerstatus_traffic(struct mail *mail, ULONG active)
{
    ULONG code = STATUS_AVAILABLE | active;
    BOOL changed;

    mailbox_lock();
    changed = mail->status_code != code;
    mail->status_code = code;
    mailbox_unlock();
    if (changed) publish(mail, code);
}

struct spooler_status {
    IMAPIStatus IMAPIStatus_iface;
    LONG refcount;
    struct session *session;
};

static inline struct spooler_status *impl_from_IMAPIStatus(IMAPIStatus *iface)
{
    return CONTAINING_RECORD(iface, struct spooler_status, IMAPIStatus_iface);
}

/* The session's spooler state while its mail flows; NULL after its logoff. */
static struct mail *mail_of(struct spooler_status *status)
{
    return status->session->logged_off ? NULL : status->session->mail;
}

static HRESULT WINAPI status_QueryInterface(IMAPIStatus *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IMAPIStatus, NULL };

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI status_AddRef(IMAPIStatus *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IMAPIStatus(iface)->refcount);
}

static ULONG WINAPI status_Release(IMAPIStatus *iface)
{
    struct spooler_status *status = impl_from_IMAPIStatus(iface);
    ULONG refcount = InterlockedDecrement(&status->refcount);

    TRACE("(%p)\n", iface);
    if (!refcount) {
        IMAPISession_Release(&status->session->IMAPISession_iface);
        free(status);
    }
    return refcount;
}

static HRESULT WINAPI status_GetLastError(IMAPIStatus *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI status_SaveChanges(IMAPIStatus *iface, ULONG flags)
{
    TRACE("(%p, %#lx)\n", iface, flags);
    return MAPI_E_NO_ACCESS; /* the row is MAPI's to change */
}

/* The row as the status table has it now: its columns are the object's properties. */
static HRESULT current_row(struct spooler_status *status, SRow **row)
{
    SPropValue key = { PR_ROWID, 0, { .l = STATUS_ROWID_SPOOLER } };

    *row = NULL;
    if (!mail_of(status)) return MAPI_E_END_OF_SESSION;
    return tabledata_query_row(status->session->status_table, &key, row, NULL);
}

static HRESULT WINAPI status_GetProps(IMAPIStatus *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                      SPropValue **values)
{
    SRow *row;
    HRESULT hr;

    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, tags, flags, count, values);
    if (!count || !values) return MAPI_E_INVALID_PARAMETER;
    if ((hr = current_row(impl_from_IMAPIStatus(iface), &row)) != S_OK) return hr;
    hr = props_get(row->cValues, row->lpProps, NULL, tags, flags, count, values);
    MAPIFreeBuffer(row);
    return hr;
}

static HRESULT WINAPI status_GetPropList(IMAPIStatus *iface, ULONG flags, SPropTagArray **tags)
{
    SRow *row;
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", iface, flags, tags);
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if ((hr = current_row(impl_from_IMAPIStatus(iface), &row)) != S_OK) return hr;
    hr = props_list(row->cValues, row->lpProps, NULL, flags, tags);
    MAPIFreeBuffer(row);
    return hr;
}

static HRESULT WINAPI status_OpenProperty(IMAPIStatus *iface, ULONG tag, const IID *iid, ULONG options, ULONG flags,
                                          IUnknown **out)
{
    TRACE("(%p, %#lx, %p, %#lx, %#lx, %p)\n", iface, tag, iid, options, flags, out);
    if (out) *out = NULL;
    return MAPI_E_NO_SUPPORT; /* every property is a plain value */
}

static HRESULT WINAPI status_SetProps(IMAPIStatus *iface, ULONG count, SPropValue *values, SPropProblemArray **problems)
{
    TRACE("(%p, %#lx, %p, %p)\n", iface, count, values, problems);
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI status_DeleteProps(IMAPIStatus *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    TRACE("(%p, %p, %p)\n", iface, tags, problems);
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI status_CopyTo(IMAPIStatus *iface, ULONG exclude_count, const IID *exclude, SPropTagArray *tags,
                                    ULONG_PTR ui_param, IMAPIProgress *progress, const IID *iid, void *dest,
                                    ULONG flags, SPropProblemArray **problems)
{
    TRACE("(%p, %#lx, %p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, exclude_count, exclude, tags, ui_param, progress,
          iid, dest, flags, problems);
    return unsupported("IMAPIStatus of the spooler", "CopyTo");
}

static HRESULT WINAPI status_CopyProps(IMAPIStatus *iface, SPropTagArray *tags, ULONG_PTR ui_param,
                                       IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                       SPropProblemArray **problems)
{
    TRACE("(%p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, tags, ui_param, progress, iid, dest, flags, problems);
    return unsupported("IMAPIStatus of the spooler", "CopyProps");
}

static HRESULT WINAPI status_GetNamesFromIDs(IMAPIStatus *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                             ULONG *count, MAPINAMEID ***names)
{
    TRACE("(%p, %p, %p, %#lx, %p, %p)\n", iface, tags, guid, flags, count, names);
    return MAPI_E_NO_SUPPORT; /* it has no named properties */
}

static HRESULT WINAPI status_GetIDsFromNames(IMAPIStatus *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                             SPropTagArray **tags)
{
    TRACE("(%p, %#lx, %p, %#lx, %p)\n", iface, count, names, flags, tags);
    return MAPI_E_NO_SUPPORT;
}

struct validate {
    struct mail *mail;
    ULONG_PTR ui_param;
    ULONG flags;
};

static HRESULT validate_call(IXPLogon *transport, void *context)
{
    struct validate *validate = context;

    return IXPLogon_ValidateState(transport, validate->ui_param, validate->flags);
}

static void validate_answered(struct logon *transport, HRESULT hr, void *context)
{
    event_step(about_logon(transport), "%s: IXPLogon::ValidateState(%#lx) -> %s (Q27)", logon_name(transport),
               ((struct validate *)context)->flags, hresult_text(hr));
}

static void validate_on_thread(void *context)
{
    struct validate *validate = context;

    mailbox_each_transport(validate->mail, NULL, 0, "ValidateState", validate_call, validate_answered, validate);
}

static HRESULT WINAPI status_ValidateState(IMAPIStatus *iface, ULONG_PTR ui_param, ULONG flags)
{
    struct validate validate = { mail_of(impl_from_IMAPIStatus(iface)), ui_param, flags };

    TRACE("(%p, %#Ix, %#lx)\n", iface, ui_param, flags);
    if (!validate.mail) return MAPI_E_END_OF_SESSION;
    mailbox_run(validate_on_thread, &validate);
    return S_OK;
}

static HRESULT WINAPI status_SettingsDialog(IMAPIStatus *iface, ULONG_PTR ui_param, ULONG flags)
{
    TRACE("(%p, %#Ix, %#lx)\n", iface, ui_param, flags);
    return MAPI_E_NO_SUPPORT; /* Q27: the spooler's status object has no settings */
}

static HRESULT WINAPI status_ChangePassword(IMAPIStatus *iface, LPTSTR old_password, LPTSTR new_password, ULONG flags)
{
    TRACE("(%p, %p, %p, %#lx)\n", iface, old_password, new_password, flags);
    return MAPI_E_NO_SUPPORT; /* nor a password */
}

struct flush_request {
    struct mail *mail;
    ULONG flags;
    const struct logon *target;
};

static void flush_on_thread(void *context)
{
    struct flush_request *request = context;

    spoolerstatus_traffic(request->mail,
                          request->flags & FLUSH_UPLOAD ? STATUS_OUTBOUND_ACTIVE : STATUS_INBOUND_ACTIVE);
    flush_queues(request->mail, request->flags, request->target);
    spoolerstatus_traffic(request->mail, 0);
}

/* Q28: synchronous unless FLUSH_ASYNC_OK, which notes the work for the spooler's next pass and returns. A target is
 * the status entry ID of one of the session's transports: only that one is told to flush; the queue is the store's,
 * and goes whole. */
static HRESULT WINAPI status_FlushQueues(IMAPIStatus *iface, ULONG_PTR ui_param, ULONG size, ENTRYID *target,
                                         ULONG flags)
{
    struct spooler_status *status = impl_from_IMAPIStatus(iface);
    struct flush_request request = { mail_of(status), flags, NULL };
    struct logon *logon = NULL;
    ULONG rowid;

    TRACE("(%p, %#Ix, %#lx, %p, %#lx)\n", iface, ui_param, size, target, flags);
    if (flags & ~FLUSH_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    if (!request.mail) return MAPI_E_END_OF_SESSION;
    if (size || target) {
        if (!target || IsBadReadPtr(target, size)
            || !statustable_parse_entry_id(status->session, size, target, &rowid, &logon) || !logon
            || logon->provider->kind != PROVIDER_XP)
            return MAPI_E_INVALID_PARAMETER;
        request.target = logon;
    }
    if (!(flags & (FLUSH_UPLOAD | FLUSH_DOWNLOAD))) return S_OK; /* nothing asked */
    if (flags & FLUSH_ASYNC_OK) {
        mailbox_lock();
        if (flags & FLUSH_UPLOAD) request.mail->send_wanted = TRUE;
        if (flags & FLUSH_DOWNLOAD) request.mail->receive_wanted = TRUE;
        request.mail->next_poll = 0;
        mailbox_wake();
        mailbox_unlock();
        return S_OK;
    }
    mailbox_run(flush_on_thread, &request);
    return S_OK;
}

static const IMAPIStatusVtbl status_vtbl = {
    status_QueryInterface, status_AddRef,         status_Release,         status_GetLastError,    status_SaveChanges,
    status_GetProps,       status_GetPropList,    status_OpenProperty,    status_SetProps,        status_DeleteProps,
    status_CopyTo,         status_CopyProps,      status_GetNamesFromIDs, status_GetIDsFromNames, status_ValidateState,
    status_SettingsDialog, status_ChangePassword, status_FlushQueues,
};

HRESULT spoolerstatus_open(struct session *session, const IID *iid, ULONG *type, IUnknown **out)
{
    struct spooler_status *status;
    HRESULT hr;

    if (!(status = calloc(1, sizeof(*status)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    status->IMAPIStatus_iface.lpVtbl = &status_vtbl;
    status->refcount = 1;
    status->session = session;
    IMAPISession_AddRef(&session->IMAPISession_iface);
    hr = IMAPIStatus_QueryInterface(&status->IMAPIStatus_iface, iid ? iid : &IID_IMAPIStatus, (void **)out);
    IMAPIStatus_Release(&status->IMAPIStatus_iface);
    if (hr == S_OK) *type = MAPI_STATUS;
    return hr == E_NOINTERFACE ? MAPI_E_INTERFACE_NOT_SUPPORTED : hr;
}
