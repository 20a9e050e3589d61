/*
 * The support methods of the message flow (Q4-Q6, Q16, Q19, Q25, Q31), below the spooler: what they check and do on
 * the message they get, and the spooler's part through the hooks it sets (process_spooler_hooks), so that a
 * session without a spooler (MAPI_NO_MAIL, or no transport) still gets the documented answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "core.h"
#include "mailsupport.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(mailsupport);

/* Q6: for a resend (MSGFLAG_RESEND), recipients that had the message (MAPI_SUBMITTED) are done and the MAPI_P1 ones
 * are the ones to send to; otherwise nothing changes. *flags is 0: no preprocessing is asked of the store. */
HRESULT mailsupport_prepare_submit(struct logon *logon, IMessage *message, ULONG *flags)
{
    SizedSPropTagArray(1, tags) = { 1, { PR_MESSAGE_FLAGS } };
    SPropValue *value;
    IMAPITable *table;
    SRowSet *rows;
    ULONG count, i, j;
    HRESULT hr;

    if (!message || !flags) return MAPI_E_INVALID_PARAMETER;
    *flags = 0;
    if (FAILED(hr = IMessage_GetProps(message, (SPropTagArray *)&tags, 0, &count, &value))) return hr;
    count = value->ulPropTag == PR_MESSAGE_FLAGS && value->Value.l & MSGFLAG_RESEND;
    MAPIFreeBuffer(value);
    if (!count) return S_OK;
    if (FAILED(hr = IMessage_GetRecipientTable(message, 0, &table))) return hr;
    hr = HrQueryAllRows(table, NULL, NULL, NULL, 0, &rows);
    IMAPITable_Release(table);
    if (FAILED(hr)) return hr;
    for (i = 0; i < rows->cRows; i++) {
        SRow *row = &rows->aRow[i];
        SPropValue *type = PpropFindProp(row->lpProps, row->cValues, PR_RECIPIENT_TYPE);
        SPropValue *responsibility = PpropFindProp(row->lpProps, row->cValues, PR_RESPONSIBILITY);

        if (!type || !responsibility) continue; /* the rows the spooler wrote have both */
        if (type->Value.l & MAPI_SUBMITTED) {
            type->Value.l &= ~MAPI_SUBMITTED;
            responsibility->Value.b = TRUE;
        } else if (type->Value.l & MAPI_P1)
            responsibility->Value.b = FALSE;
        for (j = 0; j < row->cValues; j++)
            if (PROP_TYPE(row->lpProps[j].ulPropTag) == PT_ERROR) row->lpProps[j].ulPropTag = PR_NULL;
    }
    hr = IMessage_ModifyRecipients(message, MODRECIP_MODIFY, (ADRLIST *)rows);
    FreeProws(rows);
    event_step(about_logon(logon), "%s: IMAPISupport::PrepareSubmit of a resent message -> %s (Q6)", logon_name(logon),
               hresult_text(hr));
    return hr;
}

/* Q16, X18: a sent message is deleted (PR_DELETE_AFTER_SUBMIT, which wins), moved to PR_SENTMAIL_ENTRYID's folder,
 * or left where it is; the caller's reference is consumed either way. */
HRESULT mailsupport_do_sent_mail(struct logon *logon, IMessage *message)
{
    SizedSPropTagArray(4, tags) = { 4, { PR_ENTRYID, PR_PARENT_ENTRYID, PR_DELETE_AFTER_SUBMIT, PR_SENTMAIL_ENTRYID } };
    IMSLogon *store = (IMSLogon *)logon->object;
    IMAPIFolder *folder = NULL, *target = NULL;
    SPropValue *values;
    ENTRYLIST list;
    ULONG count, type;
    HRESULT hr;

    if (!message) return MAPI_E_INVALID_PARAMETER;
    if (!store) {
        /* Called inside the store's Logon, before MAPI has its logon object: there is no store to move it in. */
        IMessage_Release(message);
        event_error(about_logon(logon), NULL, "%s: IMAPISupport::DoSentMail before its logon returned",
                    logon_name(logon));
        return MAPI_E_CALL_FAILED;
    }
    hr = IMessage_GetProps(message, (SPropTagArray *)&tags, 0, &count, &values);
    IMessage_Release(message);
    if (FAILED(hr)) return hr;
    if (values[0].ulPropTag != PR_ENTRYID || values[1].ulPropTag != PR_PARENT_ENTRYID) {
        MAPIFreeBuffer(values);
        return MAPI_E_INVALID_PARAMETER; /* a message never saved was never sent */
    }
    list.cValues = 1;
    list.lpbin = &values[0].Value.bin;
    hr = IMSLogon_OpenEntry(store, values[1].Value.bin.cb, (ENTRYID *)values[1].Value.bin.lpb, &IID_IMAPIFolder,
                            MAPI_MODIFY, &type, (IUnknown **)&folder);
    if (SUCCEEDED(hr) && values[2].ulPropTag == PR_DELETE_AFTER_SUBMIT && values[2].Value.b)
        hr = IMAPIFolder_DeleteMessages(folder, &list, 0, NULL, 0);
    else if (SUCCEEDED(hr) && values[3].ulPropTag == PR_SENTMAIL_ENTRYID
             && SUCCEEDED(hr = IMSLogon_OpenEntry(store, values[3].Value.bin.cb, (ENTRYID *)values[3].Value.bin.lpb,
                                                  &IID_IMAPIFolder, MAPI_MODIFY, &type, (IUnknown **)&target))) {
        hr = IMAPIFolder_CopyMessages(folder, &list, NULL, target, 0, NULL, MESSAGE_MOVE);
        IMAPIFolder_Release(target);
    }
    if (folder) IMAPIFolder_Release(folder);
    event_step(about_logon(logon), "%s: IMAPISupport::DoSentMail: the sent message %s -> %s (Q16)", logon_name(logon),
               values[2].ulPropTag == PR_DELETE_AFTER_SUBMIT && values[2].Value.b ? "deleted"
               : values[3].ulPropTag == PR_SENTMAIL_ENTRYID                       ? "moved to its sent-mail folder"
                                                                                  : "left in its folder",
               hresult_text(hr));
    MAPIFreeBuffer(values);
    return hr;
}

/* Q25: which flags a store and a transport may give; the spooler acts on them later. */
HRESULT mailsupport_spooler_notify(struct logon *logon, ULONG flags, void *data)
{
    static const ULONG store_flags = NOTIFY_READYTOSEND | NOTIFY_NEWMAIL_RECEIVED;
    static const ULONG transport_flags = NOTIFY_NEWMAIL | NOTIFY_READYTOSEND | NOTIFY_SENTDEFERRED | NOTIFY_CRITSEC
                                         | NOTIFY_NONCRIT | NOTIFY_CONFIG_CHANGE | NOTIFY_CRITICAL_ERROR;
    const struct spooler_hooks *hooks = process_spooler_hooks();
    ULONG allowed = logon->provider->kind == PROVIDER_MS ? store_flags : transport_flags;

    if (!flags || (flags & ~allowed) || ((flags & NOTIFY_SENTDEFERRED) && (flags & NOTIFY_CRITICAL_ERROR))
        || ((flags & (NOTIFY_SENTDEFERRED | NOTIFY_NEWMAIL_RECEIVED)) && !data)) {
        event_violation(about_logon(logon), "Q25",
                        "%s: IMAPISupport::SpoolerNotify(%#lx): flags a %s may not give, or without their data (Q25)",
                        logon_name(logon), flags, loader_kind_names[logon->provider->kind]);
        return MAPI_E_INVALID_PARAMETER;
    }
    return hooks ? hooks->notify(logon, flags, data) : S_OK;
}

/* §4.2: exactly one input flag (E6: anything else is MAPI_E_INVALID_PARAMETER), once per shutdown (a second call is a
 * violation, and still answered); the spooler, if the session has one, meets the mail in flight (Q31). */
HRESULT mailsupport_store_logoff(struct logon *logon, ULONG *flags)
{
    static const ULONG inputs = LOGOFF_NO_WAIT | LOGOFF_ORDERLY | LOGOFF_PURGE | LOGOFF_ABORT | LOGOFF_QUIET;
    const struct spooler_hooks *hooks = process_spooler_hooks();
    ULONG in;

    if (!flags) return MAPI_E_INVALID_PARAMETER;
    in = *flags;
    if (!(in & inputs) || (in & ~inputs) || (in & (in - 1))) {
        event_violation(about_logon(logon), "E6",
                        "%s: StoreLogoffTransports(%#lx) needs exactly one LOGOFF_ input flag (E6)", logon_name(logon),
                        in);
        return MAPI_E_INVALID_PARAMETER;
    }
    if (logon->storelogoff_done)
        event_violation(about_logon(logon), NULL,
                        "%s: StoreLogoffTransports called again in one shutdown; it must be called once "
                        "(§4.2)",
                        logon_name(logon));
    logon->storelogoff_done = TRUE;
    *flags = LOGOFF_COMPLETE;
    if (hooks) hooks->store_logoff(logon, in, flags);
    if (*flags == LOGOFF_COMPLETE)
        event_step(about_logon(logon), "%s: IMAPISupport::StoreLogoffTransports(%#lx) -> S_OK, LOGOFF_COMPLETE",
                   logon_name(logon), in);
    else
        event_step(about_logon(logon), "%s: IMAPISupport::StoreLogoffTransports(%#lx) -> S_OK, %#lx%s (Q31)",
                   logon_name(logon), in, *flags,
                   *flags & LOGOFF_COMPLETE ? "" : ": mail in flight, the store stays with the spooler");
    if (!(*flags & LOGOFF_COMPLETE)) logon->storelogoff_done = FALSE; /* nothing happened: it may be asked again */
    return S_OK;
}

HRESULT mailsupport_status_recips(struct logon *logon, IMessage *message, ADRLIST *recipients)
{
    const struct spooler_hooks *hooks = process_spooler_hooks();

    if (!message || !recipients) return MAPI_E_INVALID_PARAMETER;
    return hooks ? hooks->status_recips(logon, message, recipients) : MAPI_E_NO_SUPPORT;
}

/* Q10: the preprocessor's functions are found now, in the DLL named (a bare name: beside the transport's own DLL
 * first). One that cannot be found is recorded, reported and never run: the registration itself succeeds, as
 * RegisterPreprocessor's page promises, and the transport's logon goes on. */
HRESULT mailsupport_register_preprocessor(struct logon *logon, const MAPIUID *uid, const char *address_type,
                                          const char *dll_name, const char *preprocess, const char *remove_info,
                                          ULONG flags)
{
    struct preprocessor entry = { 0 }, *grown;
    char name[300];
    HRESULT hr = S_OK;

    if (!dll_name || !*dll_name || (uid && IsBadReadPtr(uid, sizeof(*uid)))) return MAPI_E_INVALID_PARAMETER;
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    snprintf(name, sizeof(name), "%s!%s", dll_name, preprocess ? preprocess : "(none)");
    if ((entry.has_uid = uid != NULL)) entry.uid = *uid;
    if ((address_type && !(entry.address_type = _strdup(address_type))) || !(entry.name = _strdup(name))) {
        free(entry.address_type);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (preprocess && (entry.library = library_open_near(logon->provider->library, dll_name, &hr))) {
        entry.preprocess = (PREPROCESSMESSAGE *)(void *)library_entry(entry.library, preprocess);
        if (remove_info) entry.remove = (REMOVEPREPROCESSINFO *)(void *)library_entry(entry.library, remove_info);
    }
    EnterCriticalSection(&logon->session->cs);
    if ((grown = realloc(logon->preprocessors, (logon->preprocessor_count + 1) * sizeof(*grown)))) {
        logon->preprocessors = grown;
        grown[logon->preprocessor_count++] = entry;
    }
    LeaveCriticalSection(&logon->session->cs);
    if (!grown) {
        if (entry.library) library_close(entry.library);
        free(entry.address_type);
        free(entry.name);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (preprocess && !entry.preprocess)
        event_error(about_logon(logon), "Q10", "%s: IMAPISupport::RegisterPreprocessor(%s): %s, so it will never run",
                    logon_name(logon), name,
                    entry.library ? "the DLL has no such function" : "the DLL cannot be loaded");
    else
        event_step(about_logon(logon), "%s: IMAPISupport::RegisterPreprocessor(%s, for %s%s%s) -> S_OK",
                   logon_name(logon), name, uid ? "a MAPIUID" : "", uid && address_type ? " or " : "",
                   address_type ? address_type
                   : uid        ? ""
                                : "every recipient");
    return S_OK;
}

/* Q7: without a spooler in the process no transport has a preprocessor or a store of its own: the spooler sends. */
HRESULT mailsupport_expand_recips(struct logon *logon, IMessage *message, ULONG *flags)
{
    const struct spooler_hooks *hooks = process_spooler_hooks();

    if (hooks) return hooks->expand_recips(logon, message, flags);
    *flags = NEEDS_SPOOLER;
    return S_OK;
}

/* Q21: only a store a transport is coupled with may call it (never one without a spooler in the process). */
HRESULT mailsupport_complete_msg(struct logon *logon, ULONG size, const ENTRYID *entry_id)
{
    const struct spooler_hooks *hooks = process_spooler_hooks();
    HRESULT hr = hooks ? hooks->complete_msg(logon, size, entry_id) : MAPI_E_NOT_FOUND;

    if (hr != MAPI_E_NOT_FOUND) return hr;
    event_violation(about_logon(logon), "Q21",
                    "%s: IMAPISupport::CompleteMsg from a store no transport is coupled with (Q21); MAPI_E_NO_SUPPORT",
                    logon_name(logon));
    return MAPI_E_NO_SUPPORT;
}
