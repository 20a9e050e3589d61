/*
 * Parameter validation behind ValidateParms, UlValidateParms and their older forms (spec U9): a table gives each
 * method of mapival.h's METHODS enumeration its arguments, and each argument is checked for what the method will do
 * with it: an out pointer must be writable, an IID or a buffer readable for its whole length, a property value,
 * restriction, sort order, column set, entry list, address list or notification well formed and readable down to its
 * last pointer. Flags are not checked: they grow from one MAPI version to the next, and refusing a newer flag would
 * break the provider rather than protect it. A bad argument fails the call with MAPI_E_CALL_FAILED
 * ([validateparms.md]); the debug channel "validate" names the method and the argument.
 *
 * The four ways in (all Win64: one pointer-sized slot per argument):
 *   HrValidateParametersV(method, this, args...) and HrValidateParametersValist: what ValidateParms expands to;
 *   __ValidateParameters(method, &this): the C form, this then the arguments;
 *   __CPPValidateParameters(method, &first) and HrValidateParameters(method, args): the arguments after this.
 * An enumerator beyond the table (a newer SDK's method) is accepted: its arguments are not known here.
 */
#include <stddef.h>

#include "mapihost_private.h"
#include "mapihost_val.h"
#include "paramval.h"
#include "propval.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(paramval);

/* The argument lists of mapidefs.h and mapispi.h with their Win64 types; inherited methods check as their base. */
#define GETLASTERROR(name) M(name, A(ANY), A(ANY), A(OUT))
#define OPENENTRY(name) M(name, A(ANY), N(BYTES, 0), A(IID_OPT), A(ANY), A(OUT_ULONG), A(OUT))
#define COMPAREIDS(name) M(name, A(ANY), N(BYTES, 0), A(ANY), N(BYTES, 2), A(ANY), A(OUT_ULONG))
#define ADVISE(name) M(name, A(ANY), N(BYTES, 0), A(ANY), A(OBJECT), A(OUT))
#define STATUSENTRY(name) M(name, A(IID_OPT), A(ANY), A(OUT_ULONG), A(OUT))
#define ABENTRIES(prefix)                                                                                              \
    M(prefix##_CreateEntry, A(ANY), N(BYTES, 0), A(ANY), A(OUT)),                                                      \
        M(prefix##_CopyEntries, A(ENTRYLIST), A(ANY), A(OBJECT_OPT), A(ANY)),                                          \
        M(prefix##_DeleteEntries, A(ENTRYLIST), A(ANY)),                                                               \
        M(prefix##_ResolveNames, A(TAGS_OPT), A(ANY), A(ADRLIST), A(FLAGLIST))

static const struct method methods[] = {
    M(IUnknown_QueryInterface, A(IID_IN), A(OUT)),
    M0(IUnknown_AddRef),
    M0(IUnknown_Release),

    GETLASTERROR(IMAPIProp_GetLastError),
    M(IMAPIProp_SaveChanges, A(ANY)),
    M(IMAPIProp_GetProps, A(TAGS_OPT), A(ANY), A(OUT_ULONG), A(OUT)),
    M(IMAPIProp_GetPropList, A(ANY), A(OUT)),
    M(IMAPIProp_OpenProperty, A(ANY), A(IID_IN), A(ANY), A(ANY), A(OUT)),
    M(IMAPIProp_SetProps, A(ANY), N(PROPS, 0), A(OUT_OPT)),
    M(IMAPIProp_DeleteProps, A(TAGS), A(OUT_OPT)),
    M(IMAPIProp_CopyTo, A(ANY), N(IIDS, 0), A(TAGS_OPT), A(ANY), A(OBJECT_OPT), A(IID_OPT), A(OBJECT), A(ANY),
      A(OUT_OPT)),
    M(IMAPIProp_CopyProps, A(TAGS_OPT), A(ANY), A(OBJECT_OPT), A(IID_OPT), A(OBJECT), A(ANY), A(OUT_OPT)),
    M(IMAPIProp_GetNamesFromIDs, A(TAGS_BYREF), A(IID_OPT), A(ANY), A(OUT_ULONG), A(OUT)),
    M(IMAPIProp_GetIDsFromNames, A(ANY), N(NAMEIDS, 0), A(ANY), A(OUT)),

    GETLASTERROR(IMAPITable_GetLastError),
    M(IMAPITable_Advise, A(ANY), A(OBJECT), A(OUT)),
    M(IMAPITable_Unadvise, A(ANY)),
    M(IMAPITable_GetStatus, A(OUT_ULONG), A(OUT_ULONG)),
    M(IMAPITable_SetColumns, A(COLUMNS), A(ANY)),
    M(IMAPITable_QueryColumns, A(ANY), A(OUT)),
    M(IMAPITable_GetRowCount, A(ANY), A(OUT_ULONG)),
    M(IMAPITable_SeekRow, A(ANY), A(ANY), A(OUT_ULONG_OPT)),
    M(IMAPITable_SeekRowApprox, A(ANY), A(NONZERO)),
    M(IMAPITable_QueryPosition, A(OUT_ULONG), A(OUT_ULONG), A(OUT_ULONG)),
    M(IMAPITable_FindRow, A(RES), A(ANY), A(ANY)),
    M(IMAPITable_Restrict, A(RES_OPT), A(ANY)),
    M(IMAPITable_CreateBookmark, A(OUT)),
    M(IMAPITable_FreeBookmark, A(ANY)),
    M(IMAPITable_SortTable, A(SORT), A(ANY)),
    M(IMAPITable_QuerySortOrder, A(OUT)),
    M(IMAPITable_QueryRows, A(ANY), A(ANY), A(OUT)),
    M0(IMAPITable_Abort),
    M(IMAPITable_ExpandRow, A(ANY), N(BYTES, 0), A(ANY), A(ANY), A(OUT_OPT), A(OUT_ULONG_OPT)),
    M(IMAPITable_CollapseRow, A(ANY), N(BYTES, 0), A(ANY), A(OUT_ULONG_OPT)),
    M(IMAPITable_WaitForCompletion, A(ANY), A(ANY), A(OUT_ULONG_OPT)),
    M(IMAPITable_GetCollapseState, A(ANY), A(ANY), N(BYTES, 1), A(OUT_ULONG), A(OUT)),
    M(IMAPITable_SetCollapseState, A(ANY), A(ANY), N(BYTES, 1), A(OUT)),

    M(IMAPIContainer_GetContentsTable, A(ANY), A(OUT)),
    M(IMAPIContainer_GetHierarchyTable, A(ANY), A(OUT)),
    OPENENTRY(IMAPIContainer_OpenEntry),
    M(IMAPIContainer_SetSearchCriteria, A(RES_OPT), A(ENTRYLIST_OPT), A(ANY)),
    M(IMAPIContainer_GetSearchCriteria, A(ANY), A(OUT_OPT), A(OUT_OPT), A(OUT_ULONG_OPT)),

    ABENTRIES(IABContainer),
    ABENTRIES(IDistList),

    M(IMAPIFolder_CreateMessage, A(IID_OPT), A(ANY), A(OUT)),
    M(IMAPIFolder_CopyMessages, A(ENTRYLIST), A(IID_OPT), A(OBJECT), A(ANY), A(OBJECT_OPT), A(ANY)),
    M(IMAPIFolder_DeleteMessages, A(ENTRYLIST), A(ANY), A(OBJECT_OPT), A(ANY)),
    M(IMAPIFolder_CreateFolder, A(ANY), A(STRING), A(STRING_OPT), A(IID_OPT), A(ANY), A(OUT)),
    M(IMAPIFolder_CopyFolder, A(ANY), N(BYTES, 0), A(IID_OPT), A(OBJECT), A(STRING_OPT), A(ANY), A(OBJECT_OPT), A(ANY)),
    M(IMAPIFolder_DeleteFolder, A(ANY), N(BYTES, 0), A(ANY), A(OBJECT_OPT), A(ANY)),
    M(IMAPIFolder_SetReadFlags, A(ENTRYLIST_OPT), A(ANY), A(OBJECT_OPT), A(ANY)),
    M(IMAPIFolder_GetMessageStatus, A(ANY), N(BYTES, 0), A(ANY), A(OUT_ULONG)),
    M(IMAPIFolder_SetMessageStatus, A(ANY), N(BYTES, 0), A(ANY), A(ANY), A(OUT_ULONG_OPT)),
    M(IMAPIFolder_SaveContentsSort, A(SORT), A(ANY)),
    M(IMAPIFolder_EmptyFolder, A(ANY), A(OBJECT_OPT), A(ANY)),

    ADVISE(IMsgStore_Advise),
    M(IMsgStore_Unadvise, A(ANY)),
    COMPAREIDS(IMsgStore_CompareEntryIDs),
    OPENENTRY(IMsgStore_OpenEntry),
    M(IMsgStore_SetReceiveFolder, A(STRING_OPT), A(ANY), A(ANY), N(BYTES, 2)),
    M(IMsgStore_GetReceiveFolder, A(STRING_OPT), A(ANY), A(OUT_ULONG), A(OUT), A(OUT_OPT)),
    M(IMsgStore_GetReceiveFolderTable, A(ANY), A(OUT)),
    M(IMsgStore_StoreLogoff, A(INOUT_ULONG)),
    M(IMsgStore_AbortSubmit, A(ANY), N(BYTES, 0), A(ANY)),
    M(IMsgStore_GetOutgoingQueue, A(ANY), A(OUT)),
    M(IMsgStore_SetLockState, A(OBJECT), A(ANY)),
    M(IMsgStore_FinishedMsg, A(ANY), A(ANY), N(BYTES, 1)),
    M(IMsgStore_NotifyNewMail, A(NOTIF)),

    M(IMessage_GetAttachmentTable, A(ANY), A(OUT)),
    M(IMessage_OpenAttach, A(ANY), A(IID_OPT), A(ANY), A(OUT)),
    M(IMessage_CreateAttach, A(IID_OPT), A(ANY), A(OUT_ULONG), A(OUT)),
    M(IMessage_DeleteAttach, A(ANY), A(ANY), A(OBJECT_OPT), A(ANY)),
    M(IMessage_GetRecipientTable, A(ANY), A(OUT)),
    M(IMessage_ModifyRecipients, A(ANY), A(ADRLIST)),
    M(IMessage_SubmitMessage, A(ANY)),
    M(IMessage_SetReadFlag, A(ANY)),

    M(IABProvider_Shutdown, A(INOUT_ULONG)),
    M(IABProvider_Logon, A(OBJECT), A(ANY), A(STRING_OPT), A(ANY), A(OUT_ULONG_OPT), A(OUT_OPT), A(OUT_OPT), A(OUT)),
    GETLASTERROR(IABLogon_GetLastError),
    M(IABLogon_Logoff, A(ANY)),
    OPENENTRY(IABLogon_OpenEntry),
    COMPAREIDS(IABLogon_CompareEntryIDs),
    ADVISE(IABLogon_Advise),
    M(IABLogon_Unadvise, A(ANY)),
    STATUSENTRY(IABLogon_OpenStatusEntry),
    M(IABLogon_OpenTemplateID, A(ANY), N(BYTES, 0), A(ANY), A(OBJECT), A(IID_OPT), A(OUT), A(OBJECT_OPT)),
    M(IABLogon_GetOneOffTable, A(ANY), A(OUT)),
    M(IABLogon_PrepareRecips, A(ANY), A(TAGS_OPT), A(ADRLIST)),

    M(IXPProvider_Shutdown, A(INOUT_ULONG)),
    M(IXPProvider_TransportLogon, A(OBJECT), A(ANY), A(STRING_OPT), A(INOUT_ULONG), A(OUT_OPT), A(OUT)),
    M(IXPLogon_AddressTypes, A(OUT_ULONG), A(OUT_ULONG), A(OUT), A(OUT_ULONG), A(OUT)),
    M(IXPLogon_RegisterOptions, A(OUT_ULONG), A(OUT_ULONG), A(OUT)),
    M(IXPLogon_TransportNotify, A(INOUT_ULONG), A(OUT_OPT)),
    M(IXPLogon_Idle, A(ANY)),
    M(IXPLogon_TransportLogoff, A(ANY)),
    M(IXPLogon_SubmitMessage, A(ANY), A(OBJECT), A(OUT), A(OUT)),
    M(IXPLogon_EndMessage, A(ANY), A(OUT_ULONG)),
    M(IXPLogon_Poll, A(OUT_ULONG)),
    M(IXPLogon_StartMessage, A(ANY), A(OBJECT), A(OUT)),
    STATUSENTRY(IXPLogon_OpenStatusEntry),
    M(IXPLogon_ValidateState, A(ANY), A(ANY)),
    M(IXPLogon_FlushQueues, A(ANY), A(ANY), N(BYTES, 1), A(ANY)),

    M(IMSProvider_Shutdown, A(INOUT_ULONG)),
    M(IMSProvider_Logon, A(OBJECT), A(ANY), A(STRING_OPT), A(ANY), N(BYTES, 3), A(ANY), A(IID_OPT), A(OUT_ULONG),
      A(OUT), A(OUT_OPT), A(OUT), A(OUT)),
    M(IMSProvider_SpoolerLogon, A(OBJECT), A(ANY), A(STRING_OPT), A(ANY), N(BYTES, 3), A(ANY), A(IID_OPT), A(ANY),
      N(BYTES, 7), A(OUT_OPT), A(OUT), A(OUT)),
    COMPAREIDS(IMSProvider_CompareStoreIDs),
    GETLASTERROR(IMSLogon_GetLastError),
    M(IMSLogon_Logoff, A(INOUT_ULONG)),
    OPENENTRY(IMSLogon_OpenEntry),
    COMPAREIDS(IMSLogon_CompareEntryIDs),
    ADVISE(IMSLogon_Advise),
    M(IMSLogon_Unadvise, A(ANY)),
    STATUSENTRY(IMSLogon_OpenStatusEntry),

    GETLASTERROR(IMAPIControl_GetLastError),
    M(IMAPIControl_Activate, A(ANY), A(ANY)),
    M(IMAPIControl_GetState, A(ANY), A(OUT_ULONG)),
    M(IMAPIStatus_ValidateState, A(ANY), A(ANY)),
    M(IMAPIStatus_SettingsDialog, A(ANY), A(ANY)),
    M(IMAPIStatus_ChangePassword, A(STRING), A(STRING), A(ANY)),
    M(IMAPIStatus_FlushQueues, A(ANY), A(ANY), N(BYTES, 1), A(ANY)),

    M(IStream_Read, N(WBYTES, 1), A(ANY), A(OUT_ULONG_OPT)),
    M(IStream_Write, N(BYTES, 1), A(ANY), A(OUT_ULONG_OPT)),
    M(IStream_Seek, A(ANY), A(ANY), A(OUT_QWORD_OPT)),
    M(IStream_SetSize, A(ANY)),
    M(IStream_CopyTo, A(OBJECT), A(ANY), A(OUT_QWORD_OPT), A(OUT_QWORD_OPT)),
    M(IStream_Commit, A(ANY)),
    M0(IStream_Revert),
    M(IStream_LockRegion, A(ANY), A(ANY), A(ANY)),
    M(IStream_UnlockRegion, A(ANY), A(ANY), A(ANY)),
    M(IStream_Stat, A(OUT_STATSTG), A(ANY)),
    M(IStream_Clone, A(OUT)),

    M(IMAPIAdviseSink_OnNotify, A(ANY), N(NOTIFS, 0)),
};

static BOOL writable(void *p, size_t size)
{
    return p && !IsBadWritePtr(p, size);
}

static BOOL good_object(IUnknown *object)
{
    return readable_bytes(object, sizeof(void *)) && readable_bytes(object->lpVtbl, 3 * sizeof(void *))
           && !IsBadCodePtr((FARPROC)(void *)object->lpVtbl->QueryInterface);
}

static BOOL good_tags(const SPropTagArray *tags)
{
    return readable_bytes(tags, sizeof(ULONG)) && readable_bytes(tags, CbNewSPropTagArray(tags->cValues));
}

/* Columns for SetColumns: FBadColumnSet's rule, but a multi-valued column may ask for one row per value
 * (MV_INSTANCE), which FBadColumnSet, about property tags, refuses. */
static BOOL good_columns(const SPropTagArray *columns)
{
    ULONG i, tag;

    if (!good_tags(columns)) return FALSE;
    for (i = 0; i < columns->cValues; i++) {
        tag = columns->aulPropTag[i];
        if ((tag & MVI_FLAG) == MVI_FLAG) tag &= ~MV_INSTANCE;
        if (PROP_TYPE(tag) == PT_ERROR || FBadPropTag(tag)) return FALSE;
    }
    return TRUE;
}

static BOOL good_props(ULONG count, const SPropValue *values)
{
    ULONG i;

    if (!count) return TRUE;
    if (!readable_bytes(values, count * sizeof(*values))) return FALSE;
    /* FBadProp: a known type, and every pointer readable for the length the value gives it. */
    for (i = 0; i < count; i++)
        if (FBadProp((SPropValue *)&values[i])) return FALSE;
    return TRUE;
}

static BOOL good_rows(const SRowSet *rows)
{
    ULONG i;

    if (!readable_bytes(rows, offsetof(SRowSet, aRow)) || !readable_bytes(rows, CbNewSRowSet(rows->cRows)))
        return FALSE;
    for (i = 0; i < rows->cRows; i++)
        if (!good_props(rows->aRow[i].cValues, rows->aRow[i].lpProps)) return FALSE;
    return TRUE;
}

static BOOL good_entry_list(const SBinaryArray *list)
{
    ULONG i;

    if (!readable_bytes(list, sizeof(*list))) return FALSE;
    if (list->cValues && !readable_bytes(list->lpbin, list->cValues * sizeof(SBinary))) return FALSE;
    for (i = 0; i < list->cValues; i++)
        if (list->lpbin[i].cb && !readable_bytes(list->lpbin[i].lpb, list->lpbin[i].cb)) return FALSE;
    return TRUE; /* FBadEntryList's checks, each done above as a readable range */
}

static BOOL good_restriction(SRestriction *restriction)
{
    return readable_bytes(restriction, sizeof(*restriction)) && !FBadRestriction(restriction);
}

static BOOL good_sort(const SSortOrderSet *sort)
{
    return readable_bytes(sort, offsetof(SSortOrderSet, aSort)) && readable_bytes(sort, CbSSortOrderSet(sort))
           && !FBadSortOrderSet((SSortOrderSet *)sort);
}

static BOOL good_name_ids(ULONG count, MAPINAMEID **names)
{
    ULONG i;

    if (!count) return TRUE;
    if (!readable_bytes(names, count * sizeof(*names))) return FALSE;
    for (i = 0; i < count; i++) {
        if (!readable_bytes(names[i], sizeof(MAPINAMEID)) || !readable_bytes(names[i]->lpguid, sizeof(GUID)))
            return FALSE;
        if (names[i]->ulKind == MNID_STRING && !readable_text(names[i]->Kind.lpwstrName)) return FALSE;
    }
    return !FBadRglpNameID(names, count);
}

static BOOL good_notifications(ULONG count, NOTIFICATION *notifications)
{
    if (!count) return TRUE;
    return readable_bytes(notifications, count * sizeof(*notifications))
           && SUCCEEDED(ScCountNotifications(count, notifications, NULL));
}

static BOOL good_arg(const struct arg *arg, const ULONG_PTR *args, ULONG_PTR value)
{
    void *p = (void *)value;
    ULONG count = (ULONG)args[arg->count];

    switch (arg->kind) {
    case A_ANY: return TRUE;
    case A_NONZERO: return (ULONG)value != 0;
    case A_IID_IN: return readable_bytes(p, sizeof(IID));
    case A_IID_OPT: return !p || readable_bytes(p, sizeof(IID));
    case A_OUT: return writable(p, sizeof(void *));
    case A_OUT_OPT: return !p || writable(p, sizeof(void *));
    case A_OUT_ULONG: return writable(p, sizeof(ULONG));
    case A_OUT_ULONG_OPT: return !p || writable(p, sizeof(ULONG));
    case A_OUT_QWORD_OPT: return !p || writable(p, sizeof(ULARGE_INTEGER));
    case A_INOUT_ULONG: return readable_bytes(p, sizeof(ULONG)) && writable(p, sizeof(ULONG));
    case A_OUT_STATSTG: return writable(p, sizeof(STATSTG));
    case A_OBJECT: return good_object(p);
    case A_OBJECT_OPT: return !p || good_object(p);
    case A_TAGS: return good_tags(p);
    case A_TAGS_OPT: return !p || good_tags(p);
    case A_TAGS_BYREF:
        return readable_bytes(p, sizeof(void *)) && (!*(SPropTagArray **)p || good_tags(*(SPropTagArray **)p));
    case A_COLUMNS: return good_columns(p);
    case A_SORT: return good_sort(p);
    case A_RES: return good_restriction(p);
    case A_RES_OPT: return !p || good_restriction(p);
    case A_ENTRYLIST: return good_entry_list(p);
    case A_ENTRYLIST_OPT: return !p || good_entry_list(p);
    case A_ADRLIST: return good_rows(p);
    case A_FLAGLIST: return good_tags(p) && writable(p, CbNewSPropTagArray(((SPropTagArray *)p)->cValues));
    case A_STRING: return readable_text(p);
    case A_STRING_OPT: return !p || readable_text(p);
    case A_NOTIF: return good_notifications(1, p);
    case A_PROPS: return good_props(count, p);
    case A_BYTES: return !count || readable_bytes(p, count);
    case A_WBYTES: return !count || writable(p, count);
    case A_NAMEIDS: return good_name_ids(count, p);
    case A_IIDS: return !count || readable_bytes(p, count * sizeof(IID));
    case A_NOTIFS: return good_notifications(count, p);
    case A_NOTIFKEY:
        return readable_bytes(p, offsetof(NOTIFKEY, ab))
               && readable_bytes(p, offsetof(NOTIFKEY, ab) + ((NOTIFKEY *)p)->cb);
    case A_UID: return readable_bytes(p, sizeof(MAPIUID));
    case A_UID_OPT: return !p || readable_bytes(p, sizeof(MAPIUID));
    case A_OUT_UID: return writable(p, sizeof(MAPIUID));
    case A_ULONGS: return readable_bytes(p, sizeof(ULONG));
    case A_ACCESS: return (ULONG)value == IPROP_READONLY || (ULONG)value == IPROP_READWRITE;
    }
    return FALSE;
}

ULONG paramval_check(const struct method *entry, const ULONG_PTR *args)
{
    ULONG i;

    for (i = 0; i < entry->argc; i++)
        if (!good_arg(&entry->args[i], args, args[i])) break;
    return i;
}

const char *paramval_kind_text(unsigned char kind)
{
    static const char *const texts[A_KINDS] = {
        [A_NONZERO] = "a number other than 0",
        [A_IID_IN] = "a readable interface identifier",
        [A_IID_OPT] = "NULL or a readable interface identifier",
        [A_OUT] = "a writable pointer",
        [A_OUT_OPT] = "NULL or a writable pointer",
        [A_OUT_ULONG] = "a writable ULONG",
        [A_OUT_ULONG_OPT] = "NULL or a writable ULONG",
        [A_OUT_QWORD_OPT] = "NULL or a writable 64-bit number",
        [A_INOUT_ULONG] = "a readable and writable ULONG",
        [A_OUT_STATSTG] = "a writable STATSTG",
        [A_OBJECT] = "a COM object",
        [A_OBJECT_OPT] = "NULL or a COM object",
        [A_TAGS] = "a readable property tag array",
        [A_TAGS_OPT] = "NULL or a readable property tag array",
        [A_TAGS_BYREF] = "a readable pointer to NULL or a property tag array",
        [A_COLUMNS] = "a column set",
        [A_SORT] = "a sort order set",
        [A_RES] = "a restriction",
        [A_RES_OPT] = "NULL or a restriction",
        [A_ENTRYLIST] = "an entry list",
        [A_ENTRYLIST_OPT] = "NULL or an entry list",
        [A_ADRLIST] = "an address list",
        [A_FLAGLIST] = "a writable flag list",
        [A_STRING] = "a readable string",
        [A_STRING_OPT] = "NULL or a readable string",
        [A_NOTIF] = "a notification",
        [A_PROPS] = "readable property values",
        [A_BYTES] = "readable bytes",
        [A_WBYTES] = "writable bytes",
        [A_NAMEIDS] = "readable property names",
        [A_IIDS] = "readable interface identifiers",
        [A_NOTIFS] = "readable notifications",
        [A_NOTIFKEY] = "a readable notification key",
        [A_UID] = "a readable MAPIUID",
        [A_UID_OPT] = "NULL or a readable MAPIUID",
        [A_OUT_UID] = "a writable MAPIUID",
        [A_ULONGS] = "a readable array of ULONG",
        [A_ACCESS] = "IPROP_READONLY or IPROP_READWRITE",
    };

    return kind < A_KINDS && texts[kind] ? texts[kind] : "valid";
}

HRESULT paramval_refuse_badv(struct event_about about, const char *iface_name, const char *method,
                             const struct method *entry, va_list list)
{
    ULONG_PTR args[MAX_ARGS];
    ULONG i;

    for (i = 0; i < entry->argc; i++) args[i] = va_arg(list, ULONG_PTR);
    if ((i = paramval_check(entry, args)) == entry->argc) return S_OK;
    event_violation(about, "misuse", "%s::%s called with argument %lu (%p) not %s; MAPI_E_INVALID_PARAMETER",
                    iface_name, method, i + 1, (void *)args[i], paramval_kind_text(entry->args[i].kind));
    return MAPI_E_INVALID_PARAMETER;
}

HRESULT paramval_refuse_bad(struct event_about about, const char *iface_name, const char *method,
                            const struct method *entry, ...)
{
    va_list list;
    HRESULT hr;

    va_start(list, entry);
    hr = paramval_refuse_badv(about, iface_name, method, entry, list);
    va_end(list);
    return hr;
}

HRESULT paramval_refuse_method(const char *iface_name, const char *method, ULONG id, ...)
{
    va_list list;
    HRESULT hr;

    va_start(list, id);
    hr = paramval_refuse_badv(ABOUT_HOST, iface_name, method, &methods[id], list);
    va_end(list);
    return hr;
}

static const struct method *method_entry(METHODS method)
{
    if ((ULONG)method >= ARRAYSIZE(methods)) {
        TRACE("method %u is not in mapival.h's table; accepted unchecked\n", method);
        return NULL;
    }
    return &methods[method];
}

/* args holds the method's arguments after this, one slot each. */
static HRESULT check_args(METHODS method, const struct method *entry, const ULONG_PTR *args)
{
    ULONG i;

    if (entry->argc && !readable_bytes(args, entry->argc * sizeof(*args))) return MAPI_E_CALL_FAILED;
    if ((i = paramval_check(entry, args)) == entry->argc) return S_OK;
    TRACE("method %u: argument %lu (%p) is not valid\n", method, i + 1, (void *)args[i]);
    return MAPI_E_CALL_FAILED;
}

static HRESULT check_object(METHODS method, IUnknown *object)
{
    if (good_object(object)) return S_OK;
    TRACE("method %u: the object %p is not valid\n", method, object);
    return MAPI_E_CALL_FAILED;
}

HRESULT WINAPI HrValidateParametersValist(METHODS method, va_list list)
{
    const struct method *entry = method_entry(method);
    ULONG_PTR args[MAX_ARGS];
    IUnknown *object;
    ULONG i;

    TRACE("(%#lx, {...})\n", (unsigned long)method);
    if (!entry) return S_OK;
    object = va_arg(list, IUnknown *);
    for (i = 0; i < entry->argc; i++) args[i] = va_arg(list, ULONG_PTR);
    if (FAILED(check_object(method, object))) return MAPI_E_CALL_FAILED;
    return check_args(method, entry, args);
}

HRESULT __cdecl HrValidateParametersV(METHODS method, ...)
{
    va_list list;
    HRESULT hr;

    TRACE("(%#lx, ...)\n", (unsigned long)method);
    va_start(list, method);
    hr = HrValidateParametersValist(method, list);
    va_end(list);
    return hr;
}

HRESULT WINAPI HrValidateParameters(METHODS method, LPVOID *first)
{
    const struct method *entry = method_entry(method);

    TRACE("(%#lx, %p)\n", (unsigned long)method, first);
    return entry ? check_args(method, entry, (const ULONG_PTR *)first) : S_OK;
}

HRESULT WINAPI __CPPValidateParameters(METHODS method, const LPVOID first)
{
    TRACE("(%#lx, %p)\n", (unsigned long)method, first);
    return HrValidateParameters(method, first);
}

HRESULT WINAPI __ValidateParameters(METHODS method, LPVOID this_slot)
{
    const struct method *entry = method_entry(method);
    IUnknown **slots = this_slot;

    TRACE("(%#lx, %p)\n", (unsigned long)method, this_slot);
    if (!entry) return S_OK;
    if (!readable_bytes(slots, sizeof(*slots)) || FAILED(check_object(method, slots[0]))) return MAPI_E_CALL_FAILED;
    return check_args(method, entry, (const ULONG_PTR *)(slots + 1));
}
