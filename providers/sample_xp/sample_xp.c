/*
 * The sample transport (spec §1C step 14, §1F, §2.9, §2.10, runtime spec Q), built only against mapihost's published
 * headers. It carries mail between mailboxes through drop folders (dropfolder.c): its address type is "SAMPLE", an
 * address is a mailbox name, and each logon's mailbox is the PR_EMAIL_ADDRESS of its profile section, or else its
 * profile's name.
 *
 * TransportLogon opens its mailbox, adds the status row every transport must have (its identity the mailbox, as a
 * one-off SAMPLE address), keeps the support object and its
 * logon's MAPIUID, registers its preprocessor (preprocess.c), and asks to be polled (LOGON_SP_POLL). AddressTypes
 * answers "SAMPLE" and that MAPIUID; the arrays stay the logon's until TransportLogoff (E29). TransportNotify turns
 * inbound and outbound traffic on and off and mirrors it in the status row's PR_STATUS_CODE. SubmitMessage writes the
 * message to the mailbox of each SAMPLE recipient it is responsible for and marks it done; a mailbox that does not
 * exist gets a non-delivery report (StatusRecips). Poll says whether the logon's mailbox holds mail, StartMessage takes
 * the oldest. TransportLogoff invalidates the logon (MakeInvalid), frees the arrays, releases the status object and
 * then, last, the support object. RegisterOptions, Idle and ValidateState return MAPI_E_NO_SUPPORT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xp.h"
#ifdef SAMPLE_FAULTS
#include "coupled.h"
#endif

#define XP_LOGON_METHODS 15 /* IXPLogon's vtable: IUnknown 3, IXPLogon 12 */

struct xp_provider {
    IXPProvider IXPProvider_iface;
    struct sample_provider base;
};

struct xp_logon {
    IXPLogon IXPLogon_iface;
    LONG refcount;
    struct xp_provider *provider;
    IMAPISupport *support; /* ours until TransportLogoff */
    IMAPIStatus *status;
    struct propbag status_row;
    ULONG status_code;
    MAPIUID uid;
    MAPIUID *uids[1]; /* AddressTypes' arrays, valid until TransportLogoff */
    LPTSTR types[1];
    struct sample_config config;
    BOOL logged_off;
    struct drop drop;    /* the logon's own mailbox */
    LONG next_reference; /* SubmitMessage's message references */
    /* The recorder's faults "defer-submit" and "send-deferred": the message it deferred. */
    BYTE deferred_id[256];
    ULONG deferred_size;
    ULONG_PTR deferred_reference;
    BOOL deferred_asked;
    BOOL coupled; /* the recorder's "coupled": its status row names its store */
    /* The recorder's "critical-error" and "critsec": what it told the spooler. */
    BOOL error_reported, critsec_asked, in_critsec;
    BOOL types_changed; /* "config-change": its address type is now NOMATCH */
    HANDLE cancelled;   /* "cancel-submit", "cancel-start": set by TransportNotify(NOTIFY_CANCEL_MESSAGE) */
};

static inline struct xp_logon *impl_from_IXPLogon(IXPLogon *iface)
{
    return CONTAINING_RECORD(iface, struct xp_logon, IXPLogon_iface);
}

static HRESULT WINAPI logon_QueryInterface(IXPLogon *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IXPLogon, NULL };

    return sample_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI logon_AddRef(IXPLogon *iface)
{
    return InterlockedIncrement(&impl_from_IXPLogon(iface)->refcount);
}

/* TransportLogoff's work; a final Release without it does it too (releasing-the-transport-provider.md, E22). */
static void logoff(struct xp_logon *logon)
{
    IMAPISupport *support = logon->support;

    if (logon->logged_off) return;
    logon->logged_off = TRUE;
    drop_close(&logon->drop);
    logon->types[0] = NULL;
    logon->uids[0] = NULL;
    if (logon->status) IMAPIStatus_Release(logon->status);
    logon->status = NULL;
    /* The support object goes last: its Release may take the provider object with it (E1). */
    logon->support = NULL;
    if (!sample_fault(logon->config.faults, "keep-support")) IMAPISupport_Release(support);
    sample_trace("%s: %ld objects of the DLL still alive", logon->config.display_name, sample_live_objects());
}

static ULONG WINAPI logon_Release(IXPLogon *iface)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);
    ULONG refcount = InterlockedDecrement(&logon->refcount);

    sample_trace("IXPLogon::Release -> %lu", refcount);
    if (!refcount) {
        logoff(logon);
        InterlockedDecrement(&logon->provider->base.logons);
        propbag_free(&logon->status_row);
        if (logon->cancelled) CloseHandle(logon->cancelled);
        free(logon);
        sample_object_destroyed();
    }
    return refcount;
}

static HRESULT WINAPI logon_AddressTypes(IXPLogon *iface, ULONG *flags, ULONG *type_count, LPTSTR **types,
                                         ULONG *uid_count, MAPIUID ***uids)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);

    sample_trace("IXPLogon::AddressTypes");
    if (!flags || !type_count || !types || !uid_count || !uids) return MAPI_E_INVALID_PARAMETER;
    if (logon->logged_off) return MAPI_E_INVALID_OBJECT;
    logon->types[0] = logon->types_changed ? "NOMATCH" : "SAMPLE";
    logon->uids[0] = &logon->uid;
    *flags = 0; /* MultiByte strings */
    *type_count = 1;
    *types = logon->types;
    if (sample_fault(logon->config.faults, "any-type")) { /* the recorder's: a transport for every address type */
        *type_count = 0;
        *types = NULL;
    }
    *uid_count = 1;
    *uids = logon->uids;
    return S_OK;
}

static HRESULT WINAPI logon_RegisterOptions(IXPLogon *iface, ULONG *flags, ULONG *count, OPTIONDATA **options)
{
    return MAPI_E_NO_SUPPORT;
}

/* The recorder's "defer-submit" (Q14): the message's entry ID is kept and EndMessage answers END_DONT_RESEND; with
 * "send-deferred" the next Poll asks for it again (NOTIFY_SENTDEFERRED), and SubmitMessage(BEGIN_DEFERRED) sends it. */
static HRESULT defer(struct xp_logon *logon, IMessage *message, ULONG_PTR *reference)
{
    SizedSPropTagArray(1, tags) = { 1, { PR_ENTRYID } };
    SPropValue *id;
    ULONG count;
    HRESULT hr;

    if (FAILED(hr = IMessage_GetProps(message, (SPropTagArray *)&tags, 0, &count, &id))) return hr;
    if (id->ulPropTag != PR_ENTRYID || id->Value.bin.cb > sizeof(logon->deferred_id))
        hr = MAPI_E_CALL_FAILED;
    else {
        memcpy(logon->deferred_id, id->Value.bin.lpb, id->Value.bin.cb);
        logon->deferred_size = id->Value.bin.cb;
        logon->deferred_asked = FALSE;
        *reference = logon->deferred_reference = InterlockedIncrement(&logon->next_reference);
    }
    sample_free_buffer(id);
    return hr;
}

/* A message the spooler takes back (NOTIFY_ABORT_DEFERRED): *data points to an SBinary of its entry ID. */
static void deferred_taken_back(struct xp_logon *logon, void **data)
{
    const SBinary *id = data ? *data : NULL;
    BOOL same = id && id->cb == logon->deferred_size && !memcmp(id->lpb, logon->deferred_id, id->cb);

    sample_trace("%s: the deferred message taken back: %s", logon->config.display_name,
                 same ? "its entry ID" : "another entry ID");
    if (same) logon->deferred_size = 0;
}

/* The recorder's "cancel-submit" and "cancel-start": the call sets its msgref and waits, a minute at most, for the
 * spooler to cancel it (NOTIFY_CANCEL_MESSAGE), then answers MAPI_E_USER_CANCEL, the message kept where it was. */
static HRESULT wait_for_cancel(struct xp_logon *logon, ULONG_PTR *reference)
{
    *reference = InterlockedIncrement(&logon->next_reference);
    sample_trace("%s: msgref %#lx waits to be cancelled", logon->config.display_name, (unsigned long)*reference);
    return WaitForSingleObject(logon->cancelled, 60000) == WAIT_OBJECT_0 ? MAPI_E_USER_CANCEL : MAPI_E_CALL_FAILED;
}

/* Traffic on and off, mirrored in the status row. The flags go back unchanged, as the spooler requires. */
static HRESULT WINAPI logon_TransportNotify(IXPLogon *iface, ULONG *flags, void **data)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);
    SPropValue code;

    sample_trace("IXPLogon::TransportNotify(%#lx)", flags ? *flags : 0);
    if (!flags) return MAPI_E_INVALID_PARAMETER;
    if (logon->logged_off) return MAPI_E_INVALID_OBJECT;
    /* From another thread, while SubmitMessage, EndMessage or StartMessage may be running: nothing else is touched. */
    if (*flags == NOTIFY_CANCEL_MESSAGE) {
        sample_trace("%s: msgref %#lx cancelled", logon->config.display_name,
                     data ? (unsigned long)*(ULONG_PTR *)data : 0ul);
        if (logon->cancelled) SetEvent(logon->cancelled);
        return S_OK;
    }
    if (*flags & NOTIFY_BEGIN_INBOUND) logon->status_code |= STATUS_INBOUND_ENABLED;
    if (*flags & NOTIFY_BEGIN_OUTBOUND) logon->status_code |= STATUS_OUTBOUND_ENABLED;
    if (*flags & NOTIFY_END_INBOUND) logon->status_code &= ~STATUS_INBOUND_ENABLED;
    if (*flags & NOTIFY_END_OUTBOUND) logon->status_code &= ~STATUS_OUTBOUND_ENABLED;
    if (*flags & NOTIFY_ABORT_DEFERRED) deferred_taken_back(logon, data);
    code.ulPropTag = PR_STATUS_CODE;
    code.Value.l = logon->status_code;
    IMAPISupport_ModifyStatusRow(logon->support, 1, &code, STATUSROW_UPDATE);
    if (sample_fault(logon->config.faults, "change-notify-flags")) *flags = 0;
    return S_OK;
}

/* An idle moment: a message a sender's crash cut short, written into this mailbox after its logon swept it, goes now
 * that it is old enough not to be one still being written. Not in the call log: when it comes depends on the clock. */
static HRESULT WINAPI logon_Idle(IXPLogon *iface, ULONG flags)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);

    if (logon->logged_off) return MAPI_E_INVALID_OBJECT;
    drop_sweep(&logon->drop, 10 * 60 * 1000);
    return S_OK;
}

static HRESULT WINAPI logon_TransportLogoff(IXPLogon *iface, ULONG flags)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);

    sample_trace("IXPLogon::TransportLogoff(%lu)", flags);
    if (logon->logged_off) return S_OK;
    /* From here only QueryInterface, AddRef and Release work on the logon (ixplogon-transportlogoff.md). */
    IMAPISupport_MakeInvalid(logon->support, 0, &logon->IXPLogon_iface, logon->refcount, XP_LOGON_METHODS);
    logoff(logon);
    return S_OK;
}

/* A recipient row's string property, narrow. */
static const char *row_string(const SRow *row, ULONG id, char *buffer, int size)
{
    ULONG i;

    for (i = 0; i < row->cValues; i++) {
        if (PROP_ID(row->lpProps[i].ulPropTag) != id) continue;
        if (PROP_TYPE(row->lpProps[i].ulPropTag) == PT_STRING8) return row->lpProps[i].Value.lpszA;
        if (PROP_TYPE(row->lpProps[i].ulPropTag) == PT_UNICODE
            && WideCharToMultiByte(CP_ACP, 0, row->lpProps[i].Value.lpszW, -1, buffer, size, NULL, NULL))
            return buffer;
    }
    return NULL;
}

static SPropValue *row_prop(SRow *row, ULONG tag)
{
    ULONG i;

    for (i = 0; i < row->cValues; i++)
        if (row->lpProps[i].ulPropTag == tag) return &row->lpProps[i];
    return NULL;
}

/* One recipient of a non-delivery report, in a block of its own (MAPI frees the list with FreePadrlist). */
static HRESULT undeliverable(ADRENTRY *entry, const char *address)
{
    static const char text[] = "There is no such mailbox.";
    SPropValue *values;
    HRESULT hr;
    char *copy;

    if (FAILED(hr = sample_allocate_buffer(6 * sizeof(*values) + strlen(address) + 1, (void **)&values))) return hr;
    copy = (char *)(values + 6);
    strcpy(copy, address);
    values[0].ulPropTag = PR_DISPLAY_NAME_A;
    values[0].Value.lpszA = copy;
    values[1].ulPropTag = PR_ADDRTYPE_A;
    values[1].Value.lpszA = (char *)"SAMPLE";
    values[2].ulPropTag = PR_EMAIL_ADDRESS_A;
    values[2].Value.lpszA = copy;
    values[3].ulPropTag = PR_NDR_REASON_CODE;
    values[3].Value.l = MAPI_REASON_TRANSFER_FAILED;
    values[4].ulPropTag = PR_NDR_DIAG_CODE;
    values[4].Value.l = MAPI_DIAG_OR_NAME_UNRECOGNIZED;
    values[5].ulPropTag = PR_REPORT_TEXT_A;
    values[5].Value.lpszA = (char *)text;
    entry->ulReserved1 = 0;
    entry->cValues = 6;
    entry->rgPropVals = values;
    return S_OK;
}

/* Sends to every SAMPLE recipient it is responsible for (PR_RESPONSIBILITY FALSE) and marks each done. */
static HRESULT WINAPI logon_SubmitMessage(IXPLogon *iface, ULONG flags, IMessage *message, ULONG_PTR *reference,
                                          ULONG_PTR *result)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);
    SPropTagArray *all;
    ADRLIST *failed = NULL;
    IMAPITable *table;
    SRowSet *rows = NULL;
    HRESULT hr;
    ULONG i;

    sample_trace("IXPLogon::SubmitMessage(%#lx)", flags);
    if (!message || !reference) return MAPI_E_INVALID_PARAMETER;
    if (logon->logged_off) return MAPI_E_INVALID_OBJECT;
    if (sample_fault(logon->config.faults, "crash-submit")) *(volatile int *)NULL = 0;
    if (sample_fault(logon->config.faults, "hang-submit")) Sleep(INFINITE);
    if (sample_fault(logon->config.faults, "cancel-submit")) return wait_for_cancel(logon, reference);
    if (sample_fault(logon->config.faults, "wait-submit")) {
        if (result) *result = 3600; /* the spooler keeps the message queued for an hour */
        return MAPI_E_WAIT;
    }
    if (logon->in_critsec) {
        logon->in_critsec = FALSE;
        sample_trace("IMAPISupport::SpoolerNotify(NOTIFY_NONCRIT) -> %#lx",
                     (unsigned long)IMAPISupport_SpoolerNotify(logon->support, NOTIFY_NONCRIT, NULL));
    }
    if (flags & BEGIN_DEFERRED)
        logon->deferred_size = 0;
    else if (sample_fault(logon->config.faults, "defer-submit"))
        return defer(logon, message, reference);
    if (FAILED(hr = IMessage_GetRecipientTable(message, 0, &table))) return hr;
    /* Every property of every row: MODRECIP_MODIFY replaces whole rows. */
    if (SUCCEEDED(IMAPITable_QueryColumns(table, TBL_ALL_COLUMNS, &all))) {
        IMAPITable_SetColumns(table, all, 0);
        sample_free_buffer(all);
    }
    hr = IMAPITable_QueryRows(table, 0x7fffffff, 0, &rows);
    IMAPITable_Release(table);
    if (FAILED(hr)) return hr;
    if (FAILED(hr = sample_allocate_buffer(CbNewADRLIST(rows->cRows), (void **)&failed))) goto done;
    failed->cEntries = 0;
    for (i = 0; SUCCEEDED(hr) && i < rows->cRows; i++) {
        SRow *row = &rows->aRow[i];
        SPropValue *responsibility = row_prop(row, PR_RESPONSIBILITY);
        char type[16], address[256];
        const char *to;

        if (!responsibility || responsibility->Value.b) continue;
        if (!(to = row_string(row, PROP_ID(PR_ADDRTYPE_A), type, sizeof(type))) || strcmp(to, "SAMPLE")) continue;
        if (!(to = row_string(row, PROP_ID(PR_EMAIL_ADDRESS_A), address, sizeof(address)))) continue;
        hr = drop_send(&logon->drop, message, to);
        sample_trace("%s: sent to %s: %#lx", logon->config.display_name, to, (unsigned long)hr);
        if (hr == MAPI_E_NOT_FOUND) hr = undeliverable(&failed->aEntries[failed->cEntries++], to);
        if (SUCCEEDED(hr)) responsibility->Value.b = TRUE; /* delivered, or conclusively failed */
    }
    if (SUCCEEDED(hr)) hr = IMessage_ModifyRecipients(message, MODRECIP_MODIFY, (ADRLIST *)rows);
    if (SUCCEEDED(hr) && failed->cEntries) {
        if (SUCCEEDED(IMAPISupport_StatusRecips(logon->support, message, failed))) failed = NULL; /* MAPI's now */
    }
    if (SUCCEEDED(hr)) *reference = InterlockedIncrement(&logon->next_reference);
done:
    if (failed) {
        for (i = 0; i < failed->cEntries; i++) sample_free_buffer(failed->aEntries[i].rgPropVals);
        sample_free_buffer(failed);
    }
    for (i = 0; rows && i < rows->cRows; i++) sample_free_buffer(rows->aRow[i].lpProps);
    sample_free_buffer(rows);
    return hr;
}

static HRESULT WINAPI logon_EndMessage(IXPLogon *iface, ULONG_PTR reference, ULONG *flags)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);

    sample_trace("IXPLogon::EndMessage(%Iu)", reference);
    if (!flags) return MAPI_E_INVALID_PARAMETER;
    /* Sent, SubmitMessage having written every file; or deferred ("defer-submit"). */
    *flags = logon->deferred_size && reference == logon->deferred_reference ? END_DONT_RESEND : 0;
    return S_OK;
}

static HRESULT WINAPI logon_Poll(IXPLogon *iface, ULONG *incoming)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);

    if (!incoming) return MAPI_E_INVALID_PARAMETER;
    if (logon->logged_off) return MAPI_E_INVALID_OBJECT;
    /* The recorder's "critical-error" (Q25): the first Poll reports one, and the spooler must call no more. Its
     * "critsec" (Q22): the first Poll enters a critical section, which SubmitMessage leaves; no Poll comes between. */
    if (logon->error_reported || logon->in_critsec)
        sample_trace("IXPLogon::Poll %s", logon->in_critsec ? "in its critical section" : "after its critical error");
    if (!logon->error_reported && sample_fault(logon->config.faults, "critical-error")) {
        logon->error_reported = TRUE;
        sample_trace("IMAPISupport::SpoolerNotify(NOTIFY_CRITICAL_ERROR) -> %#lx",
                     (unsigned long)IMAPISupport_SpoolerNotify(logon->support, NOTIFY_CRITICAL_ERROR, NULL));
    }
    /* Its "config-change" (Q3): the first Poll changes its address type and says so (NOTIFY_CONFIG_CHANGE). */
    if (!logon->types_changed && sample_fault(logon->config.faults, "config-change")) {
        logon->types_changed = TRUE;
        sample_trace("IMAPISupport::SpoolerNotify(NOTIFY_CONFIG_CHANGE) -> %#lx",
                     (unsigned long)IMAPISupport_SpoolerNotify(logon->support, NOTIFY_CONFIG_CHANGE, NULL));
    }
    if (!logon->critsec_asked && sample_fault(logon->config.faults, "critsec")) {
        logon->critsec_asked = logon->in_critsec = TRUE;
        sample_trace("IMAPISupport::SpoolerNotify(NOTIFY_CRITSEC) -> %#lx",
                     (unsigned long)IMAPISupport_SpoolerNotify(logon->support, NOTIFY_CRITSEC, NULL));
    }
#ifdef SAMPLE_FAULTS
    if (!logon->coupled && sample_fault(logon->config.faults, "coupled"))
        logon->coupled = coupled_transport_publish(logon->support);
#endif
    if (logon->deferred_size && !logon->deferred_asked && sample_fault(logon->config.faults, "send-deferred")) {
        SBinary id = { logon->deferred_size, logon->deferred_id };

        logon->deferred_asked = TRUE;
        sample_trace("IMAPISupport::SpoolerNotify(NOTIFY_SENTDEFERRED) -> %#lx",
                     (unsigned long)IMAPISupport_SpoolerNotify(logon->support, NOTIFY_SENTDEFERRED, &id));
    }
    *incoming = (logon->status_code & STATUS_INBOUND_ENABLED) && drop_waiting(&logon->drop);
    return S_OK;
}

/* The oldest message of the mailbox into the new message, saved; with none, the message is left unsaved. */
static HRESULT WINAPI logon_StartMessage(IXPLogon *iface, ULONG flags, IMessage *message, ULONG_PTR *reference)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);
    HRESULT hr;

    sample_trace("IXPLogon::StartMessage(%#lx)", flags);
    if (!message || !reference) return MAPI_E_INVALID_PARAMETER;
    if (logon->logged_off) return MAPI_E_INVALID_OBJECT;
    if (sample_fault(logon->config.faults, "crash-start")) *(volatile int *)NULL = 0;
    if (sample_fault(logon->config.faults, "cancel-start")) return wait_for_cancel(logon, reference);
    hr = drop_receive(&logon->drop, message);
    return SUCCEEDED(hr) ? S_OK : hr;
}

static HRESULT WINAPI logon_OpenStatusEntry(IXPLogon *iface, const IID *iid, ULONG flags, ULONG *type,
                                            IMAPIStatus **out)
{
    struct xp_logon *logon = impl_from_IXPLogon(iface);

    sample_trace("IXPLogon::OpenStatusEntry");
    return sample_open_status_entry(&logon->status, &logon->status_row, logon->logged_off, type, (void **)out);
}

static HRESULT WINAPI logon_ValidateState(IXPLogon *iface, ULONG_PTR ui_param, ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

/* Nothing waits inside the transport: SubmitMessage writes at once, and the spooler polls the mailbox. */
static HRESULT WINAPI logon_FlushQueues(IXPLogon *iface, ULONG_PTR ui_param, ULONG size, ENTRYID *target, ULONG flags)
{
    sample_trace("IXPLogon::FlushQueues(%#lx)", flags);
    return impl_from_IXPLogon(iface)->logged_off ? MAPI_E_INVALID_OBJECT : S_OK;
}

static const IXPLogonVtbl logon_vtbl = {
    logon_QueryInterface,  logon_AddRef,          logon_Release,     logon_AddressTypes,
    logon_RegisterOptions, logon_TransportNotify, logon_Idle,        logon_TransportLogoff,
    logon_SubmitMessage,   logon_EndMessage,      logon_Poll,        logon_StartMessage,
    logon_OpenStatusEntry, logon_ValidateState,   logon_FlushQueues,
};

static inline struct xp_provider *impl_from_IXPProvider(IXPProvider *iface)
{
    return CONTAINING_RECORD(iface, struct xp_provider, IXPProvider_iface);
}

static HRESULT WINAPI provider_QueryInterface(IXPProvider *iface, REFIID riid, void **out)
{
    return sample_provider_query_interface(&impl_from_IXPProvider(iface)->base, riid, out, &IID_IXPProvider);
}

static ULONG WINAPI provider_AddRef(IXPProvider *iface)
{
    return InterlockedIncrement(&impl_from_IXPProvider(iface)->base.refcount);
}

static ULONG WINAPI provider_Release(IXPProvider *iface)
{
    struct xp_provider *provider = impl_from_IXPProvider(iface);

    return sample_provider_release(&provider->base, provider);
}

static HRESULT WINAPI provider_Shutdown(IXPProvider *iface, ULONG *flags)
{
    return sample_provider_shutdown(&impl_from_IXPProvider(iface)->base, flags);
}

/* The row names the logon's identity, the mailbox as a one-off SAMPLE address: a client (mapicheck --transport) can
 * send to it, and the mail comes back to this logon. */
static HRESULT add_status_row(struct xp_logon *logon, IMAPISupport *support, const char *mailbox)
{
    char search_key[160];
    SPropValue identity[3];
    ENTRYID *entry_id;
    ULONG size;
    HRESULT hr;

    logon->status_code = STATUS_AVAILABLE;
    if (FAILED(hr = IMAPISupport_CreateOneOff(support, (LPTSTR)mailbox, (LPTSTR) "SAMPLE", (LPTSTR)mailbox, 0, &size,
                                              &entry_id)))
        return hr;
    snprintf(search_key, sizeof(search_key), "SAMPLE:%s", mailbox);
    CharUpperA(search_key);
    identity[0].ulPropTag = PR_IDENTITY_ENTRYID;
    identity[0].Value.bin.cb = size;
    identity[0].Value.bin.lpb = (BYTE *)entry_id;
    identity[1].ulPropTag = PR_IDENTITY_DISPLAY_A;
    identity[1].Value.lpszA = (char *)mailbox;
    identity[2].ulPropTag = PR_IDENTITY_SEARCH_KEY;
    identity[2].Value.bin.cb = strlen(search_key) + 1;
    identity[2].Value.bin.lpb = (BYTE *)search_key;
    hr = sample_add_status_row(support, &logon->status_row, logon->config.display_name, "mapihost sample transport",
                               logon->status_code, 0, ARRAYSIZE(identity), identity);
    sample_free_buffer(entry_id);
    return hr;
}

/* The logon's mailbox: its profile's name, or, for a profile named by its file, that file's name without its
 * folder and extension. */
static const char *mailbox_name(const char *profile_name, char *buffer, size_t size)
{
    const char *start = profile_name && *profile_name ? profile_name : "default", *c;
    char *dot;

    for (c = start; *c; c++)
        if (*c == '\\' || *c == '/' || *c == ':') start = c + 1;
    snprintf(buffer, size, "%s", *start ? start : "default");
    if ((dot = strrchr(buffer, '.')) && dot != buffer) *dot = 0;
    return buffer;
}

static HRESULT WINAPI provider_TransportLogon(IXPProvider *iface, IMAPISupport *support, ULONG_PTR ui_param,
                                              LPTSTR profile_name, ULONG *flags, MAPIERROR **error, IXPLogon **out)
{
    struct xp_provider *provider = impl_from_IXPProvider(iface);
    char name[128];
    const char *mailbox;
    struct xp_logon *logon;
    HRESULT hr;

    sample_trace("IXPProvider::TransportLogon(flags %#lx)", flags ? *flags : 0);
    if (!support || !flags || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (error) *error = NULL;
    if (!(logon = calloc(1, sizeof(*logon)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr = sample_read_config(support, &logon->config))) goto fail;
    if ((sample_fault(logon->config.faults, "cancel-submit") || sample_fault(logon->config.faults, "cancel-start"))
        && !(logon->cancelled = CreateEventA(NULL, FALSE, FALSE, NULL))) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto fail;
    }
    if (sample_fault(logon->config.faults, "fail-one"))
        hr = MAPI_E_FAILONEPROVIDER;
    else if (sample_fault(logon->config.faults, "fail-logon"))
        hr = MAPI_E_LOGON_FAILED;
    if (FAILED(hr) || FAILED(hr = IMAPISupport_NewUID(support, &logon->uid))
        || FAILED(
            hr = drop_open(&logon->drop, mailbox = logon->config.address[0]
                                                       ? logon->config.address
                                                       : mailbox_name((const char *)profile_name, name, sizeof(name)))))
        goto fail;
    if (!sample_fault(logon->config.faults, "no-status-row") && FAILED(hr = add_status_row(logon, support, mailbox)))
        goto fail;
    if (!sample_fault(logon->config.faults, "coupled") && FAILED(hr = preprocess_register(support))) goto fail;
    if (!sample_fault(logon->config.faults, "no-addref")) IMAPISupport_AddRef(support);
    logon->support = support;
    logon->IXPLogon_iface.lpVtbl = &logon_vtbl;
    logon->refcount = sample_fault(logon->config.faults, "leak-logon") ? 2 : 1;
    logon->provider = provider;
    sample_provider_logon_added(&provider->base, &logon->config);
    sample_object_created();
    *flags = LOGON_SP_POLL | LOGON_SP_IDLE; /* the mailbox is a folder: the spooler asks it for mail */
    *out = &logon->IXPLogon_iface;
    return S_OK;
fail:
    drop_close(&logon->drop);
    propbag_free(&logon->status_row);
    if (logon->cancelled) CloseHandle(logon->cancelled);
    free(logon);
    return hr;
}

static const IXPProviderVtbl provider_vtbl = {
    provider_QueryInterface, provider_AddRef, provider_Release, provider_Shutdown, provider_TransportLogon,
};

HRESULT STDMAPIINITCALLTYPE XPProviderInit(HINSTANCE instance, LPMALLOC malloc, LPALLOCATEBUFFER allocate_buffer,
                                           LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer, ULONG flags,
                                           ULONG mapi_version, ULONG *provider_version, IXPProvider **out)
{
    struct xp_provider *provider;
    HRESULT hr;

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (FAILED(hr = sample_init("XPProviderInit", mapi_version, provider_version, allocate_buffer, allocate_more,
                                free_buffer)))
        return hr;
    if (!(provider = calloc(1, sizeof(*provider)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    provider->IXPProvider_iface.lpVtbl = &provider_vtbl;
    sample_provider_init(&provider->base, "IXPProvider", (IUnknown *)&provider->IXPProvider_iface, NULL);
    *out = &provider->IXPProvider_iface;
    return S_OK;
}
