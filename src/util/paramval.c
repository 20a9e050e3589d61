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
#include "propval.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(paramval);

/* What an argument is. The counted kinds take their length from another argument (struct arg.count). */
enum kind {
    A_ANY,     /* flags, a count, a connection, a window: anything */
    A_NONZERO, /* a ULONG that must not be 0 (SeekRowApprox's denominator) */
    A_IID_IN,  /* a readable IID or GUID */
    A_IID_OPT,
    A_OUT, /* a writable pointer-sized out value */
    A_OUT_OPT,
    A_OUT_ULONG, /* a writable ULONG */
    A_OUT_ULONG_OPT,
    A_OUT_QWORD_OPT, /* a writable ULARGE_INTEGER */
    A_INOUT_ULONG,   /* a ULONG read and written back (Shutdown's, StoreLogoff's and Logoff's flags) */
    A_OUT_STATSTG,
    A_OBJECT, /* a COM object: readable, with a readable vtable whose QueryInterface is code */
    A_OBJECT_OPT,
    A_TAGS, /* an SPropTagArray */
    A_TAGS_OPT,
    A_TAGS_BYREF, /* a readable pointer to NULL or an SPropTagArray (GetNamesFromIDs) */
    A_COLUMNS,    /* an SPropTagArray fit for SetColumns (FBadColumnSet) */
    A_SORT,       /* an SSortOrderSet (FBadSortOrderSet) */
    A_RES,        /* an SRestriction (FBadRestriction) */
    A_RES_OPT,
    A_ENTRYLIST, /* an SBinaryArray of entry identifiers (FBadEntryList) */
    A_ENTRYLIST_OPT,
    A_ADRLIST,  /* an ADRLIST, laid out as an SRowSet (FBadRowSet) */
    A_FLAGLIST, /* a writable FlagList */
    A_STRING,   /* a readable string of either width */
    A_STRING_OPT,
    A_NOTIF,   /* one NOTIFICATION */
    A_PROPS,   /* counted: SPropValue[count] */
    A_BYTES,   /* counted: readable bytes, any pointer when the count is 0 */
    A_WBYTES,  /* counted: writable bytes */
    A_NAMEIDS, /* counted: LPMAPINAMEID[count] (FBadRglpNameID) */
    A_IIDS,    /* counted: IID[count] */
    A_NOTIFS,  /* counted: NOTIFICATION[count] */
};

struct arg {
    unsigned char kind;
    unsigned char count; /* counted kinds: the index of the argument that holds the count */
};

#define MAX_ARGS 12
struct method {
    unsigned char argc;
    struct arg args[MAX_ARGS];
};

#define M(name, ...) [name] = { sizeof((struct arg[]){ __VA_ARGS__ }) / sizeof(struct arg), { __VA_ARGS__ } }
#define M0(name) [name] = { 0, { { 0, 0 } } }
#define A(kind)                                                                                                        \
    {                                                                                                                  \
        A_##kind, 0                                                                                                    \
    }
#define N(kind, index)                                                                                                 \
    {                                                                                                                  \
        A_##kind, index                                                                                                \
    }

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
    }
    return FALSE;
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
    for (i = 0; i < entry->argc; i++) {
        if (!good_arg(&entry->args[i], args, args[i])) {
            TRACE("method %u: argument %lu (%p) is not valid\n", method, i + 1, (void *)args[i]);
            return MAPI_E_CALL_FAILED;
        }
    }
    return S_OK;
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
