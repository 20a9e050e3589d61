/*
 * IAddrBook: the session's address book, over its address-book logons. OpenEntry opens a one-off as a mail user and
 * sends any other entry ID to the address-book logon that registered its MAPIUID (H9), as Advise and Unadvise do;
 * OpenEntry without an entry ID is MAPI's root container. The methods listed in docs/unsupported.md answer
 * MAPI_E_NO_SUPPORT; after the session's Logoff every method but AddRef and Release returns MAPI_E_END_OF_SESSION
 * (H25).
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "list.h"
#include "oneoff.h"
#include "propval.h"
#include "core.h"
#include "mapihost_val.h"
#include "paramval.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(addrbook);

/* A client's Advise, passed to the address book that holds the entry: Unadvise finds that address book again by the
 * entry ID (the logon may be gone by then) and gives it back its own connection number. */
struct advise {
    struct list entry;
    ULONG_PTR connection, provider_connection;
    ULONG size;
    BYTE entry_id[];
};

struct addrbook {
    IAddrBook IAddrBook_iface;
    LONG refcount;
    struct session *session; /* holds a reference */
    SRWLOCK lock;            /* over advises and next_connection */
    struct list advises;
    ULONG_PTR next_connection;
};

static inline struct addrbook *impl_from_IAddrBook(IAddrBook *iface)
{
    return CONTAINING_RECORD(iface, struct addrbook, IAddrBook_iface);
}

/* After the session's Logoff every method fails (H25). */
static BOOL usable(IAddrBook *iface)
{
    return !impl_from_IAddrBook(iface)->session->logged_off;
}

/* IAddrBook's own methods' arguments (util/paramval.h), checked before they are touched; the IMAPIProp ones are
 * mapival.h's. Address, Details and RecipOptions show dialogs the host does not have and touch nothing. */
enum {
    AB_OpenEntry,
    AB_CompareEntryIDs,
    AB_Advise,
    AB_Unadvise,
    AB_CreateOneOff,
    AB_NewEntry,
    AB_ResolveName,
    AB_QueryDefaultRecipOpt,
    AB_GetPAB,
    AB_SetPAB,
    AB_GetDefaultDir,
    AB_SetDefaultDir,
    AB_GetSearchPath,
    AB_SetSearchPath,
    AB_PrepareRecips
};
static const struct method addrbook_args[] = {
    M(AB_OpenEntry, A(ANY), N(BYTES, 0), A(IID_OPT), A(ANY), A(OUT_ULONG), A(OUT)),
    M(AB_CompareEntryIDs, A(ANY), N(BYTES, 0), A(ANY), N(BYTES, 2), A(ANY), A(OUT_ULONG)),
    M(AB_Advise, A(ANY), N(BYTES, 0), A(ANY), A(OBJECT), A(OUT)),
    M(AB_CreateOneOff, A(STRING), A(STRING), A(STRING), A(ANY), A(OUT_ULONG), A(OUT)),
    M(AB_NewEntry, A(ANY), A(ANY), A(ANY), N(BYTES, 2), A(ANY), N(BYTES, 4), A(OUT_ULONG_OPT), A(OUT_OPT)),
    M(AB_ResolveName, A(ANY), A(ANY), A(STRING_OPT), A(ADRLIST)),
    M(AB_QueryDefaultRecipOpt, A(STRING), A(ANY), A(OUT_ULONG), A(OUT)),
    M(AB_GetPAB, A(OUT_ULONG), A(OUT)),
    M(AB_SetPAB, A(ANY), N(BYTES, 0)),
    M(AB_GetDefaultDir, A(OUT_ULONG), A(OUT)),
    M(AB_SetDefaultDir, A(ANY), N(BYTES, 0)),
    M(AB_GetSearchPath, A(ANY), A(OUT)),
    M(AB_SetSearchPath, A(ANY), A(ADRLIST)),
    M(AB_PrepareRecips, A(ANY), A(TAGS_OPT), A(ADRLIST)),
};

/* A method's arguments checked as util/paramval.h describes them: a bad one is refused by name (docs/misuse.md). */
#define refuse_bad(method, ...) paramval_refuse_method("IAddrBook", #method, IMAPIProp_##method, __VA_ARGS__)
#define refuse_own(method, ...)                                                                                        \
    paramval_refuse_bad(ABOUT_HOST, "IAddrBook", #method, &addrbook_args[AB_##method], __VA_ARGS__)

static HRESULT WINAPI addrbook_QueryInterface(IAddrBook *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IAddrBook, NULL };
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    if ((hr = paramval_refuse_method("IAddrBook", "QueryInterface", IUnknown_QueryInterface, riid, out))) return hr;
    if (out) *out = NULL;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI addrbook_AddRef(IAddrBook *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IAddrBook(iface)->refcount);
}

static ULONG WINAPI addrbook_Release(IAddrBook *iface)
{
    struct addrbook *addrbook = impl_from_IAddrBook(iface);
    ULONG refcount = InterlockedDecrement(&addrbook->refcount);

    TRACE("(%p)\n", iface);
    if (!refcount) {
        while (!list_empty(&addrbook->advises)) {
            struct advise *advise = LIST_ENTRY(addrbook->advises.next, struct advise, entry);
            list_remove(&advise->entry);
            free(advise);
        }
        IMAPISession_Release(&addrbook->session->IMAPISession_iface);
        quarantine_object(addrbook, "IAddrBook");
    }
    return refcount;
}

static HRESULT WINAPI addrbook_GetLastError(IAddrBook *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    if ((hr = refuse_bad(GetLastError, result, flags, error))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL; /* no extended information */
    return S_OK;
}

static HRESULT WINAPI addrbook_SaveChanges(IAddrBook *iface, ULONG flags)
{
    TRACE("(%p, %#lx)\n", iface, flags);
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "SaveChanges");
}

/* The address book object's own properties: what it is. */
static const SPropValue addrbook_props[] = { { PR_OBJECT_TYPE, 0, { .l = MAPI_ADDRBOOK } } };

static HRESULT WINAPI addrbook_GetProps(IAddrBook *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                        SPropValue **values)
{
    HRESULT hr;

    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, tags, flags, count, values);
    if ((hr = refuse_bad(GetProps, tags, flags, count, values))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return props_get(ARRAYSIZE(addrbook_props), addrbook_props, NULL, tags, flags, count, values);
}

static HRESULT WINAPI addrbook_GetPropList(IAddrBook *iface, ULONG flags, SPropTagArray **tags)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", iface, flags, tags);
    if ((hr = refuse_bad(GetPropList, flags, tags))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return props_list(ARRAYSIZE(addrbook_props), addrbook_props, NULL, flags, tags);
}

static HRESULT WINAPI addrbook_OpenProperty(IAddrBook *iface, ULONG tag, const IID *iid, ULONG options, ULONG flags,
                                            IUnknown **out)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx, %#lx, %p)\n", iface, tag, iid, options, flags, out);
    if ((hr = refuse_bad(OpenProperty, tag, iid, options, flags, out))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "OpenProperty");
}

static HRESULT WINAPI addrbook_SetProps(IAddrBook *iface, ULONG count, SPropValue *values, SPropProblemArray **problems)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %p)\n", iface, count, values, problems);
    if ((hr = refuse_bad(SetProps, count, values, problems))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "SetProps");
}

static HRESULT WINAPI addrbook_DeleteProps(IAddrBook *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, tags, problems);
    if ((hr = refuse_bad(DeleteProps, tags, problems))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "DeleteProps");
}

static HRESULT WINAPI addrbook_CopyTo(IAddrBook *iface, ULONG exclude_count, const IID *exclude,
                                      SPropTagArray *exclude_props, ULONG_PTR ui_param, IMAPIProgress *progress,
                                      const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, exclude_count, exclude, exclude_props, ui_param,
          progress, iid, dest, flags, problems);
    if ((hr =
             refuse_bad(CopyTo, exclude_count, exclude, exclude_props, ui_param, progress, iid, dest, flags, problems)))
        return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "CopyTo");
}

static HRESULT WINAPI addrbook_CopyProps(IAddrBook *iface, SPropTagArray *include, ULONG_PTR ui_param,
                                         IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                         SPropProblemArray **problems)
{
    HRESULT hr;

    TRACE("(%p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, include, ui_param, progress, iid, dest, flags, problems);
    if ((hr = refuse_bad(CopyProps, include, ui_param, progress, iid, dest, flags, problems))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "CopyProps");
}

static HRESULT WINAPI addrbook_GetNamesFromIDs(IAddrBook *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                               ULONG *count, MAPINAMEID ***names)
{
    HRESULT hr;

    TRACE("(%p, %p, %p, %#lx, %p, %p)\n", iface, tags, guid, flags, count, names);
    if ((hr = refuse_bad(GetNamesFromIDs, tags, guid, flags, count, names))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "GetNamesFromIDs");
}

static HRESULT WINAPI addrbook_GetIDsFromNames(IAddrBook *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                               SPropTagArray **tags)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx, %p)\n", iface, count, names, flags, tags);
    if ((hr = refuse_bad(GetIDsFromNames, count, names, flags, tags))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "GetIDsFromNames");
}

static HRESULT WINAPI addrbook_OpenEntry(IAddrBook *iface, ULONG size, ENTRYID *entry_id, const IID *iid, ULONG flags,
                                         ULONG *type, IUnknown **out)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %p, %#lx, %p, %p)\n", iface, size, entry_id, iid, flags, type, out);
    if ((hr = refuse_own(OpenEntry, size, entry_id, iid, flags, type, out))) return hr;
    if (out) *out = NULL;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    if (!entry_id || !size) {
        /* MAPI's root container, whose hierarchy lists every address book's top-level containers. */
        if (!type || !out) return MAPI_E_INVALID_PARAMETER;
        *type = MAPI_ABCONT;
        return abroot_create(impl_from_IAddrBook(iface)->session, (IABContainer **)out);
    }
    return route_open_entry(impl_from_IAddrBook(iface)->session, TRUE, size, entry_id, iid, flags, type, out);
}

static HRESULT WINAPI addrbook_CompareEntryIDs(IAddrBook *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
                                               ENTRYID *entry2, ULONG flags, ULONG *result)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx, %p, %#lx, %p)\n", iface, size1, entry1, size2, entry2, flags, result);
    if ((hr = refuse_own(CompareEntryIDs, size1, entry1, size2, entry2, flags, result))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return route_compare_entry_ids(impl_from_IAddrBook(iface)->session, size1, entry1, size2, entry2, flags, result);
}

/* The address book that holds the entry takes the subscription (IABLogon::Advise, which subscribes through its
 * support object); a one-off is MAPI's own entry and never changes. */
static HRESULT WINAPI addrbook_Advise(IAddrBook *iface, ULONG size, ENTRYID *entry_id, ULONG mask,
                                      IMAPIAdviseSink *sink, ULONG_PTR *connection)
{
    struct addrbook *addrbook = impl_from_IAddrBook(iface);
    struct advise *advise;
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx, %p, %p)\n", iface, size, entry_id, mask, sink, connection);
    if ((hr = refuse_own(Advise, size, entry_id, mask, sink, connection))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    if (!connection || !sink || !mask || !entry_id || !size || IsBadReadPtr(entry_id, size))
        return MAPI_E_INVALID_PARAMETER;
    *connection = 0;
    if (oneoff_is(size, entry_id)) return MAPI_E_NO_SUPPORT;
    if (!(logon = route_enter_address_book(addrbook->session, size, entry_id))) return MAPI_E_INVALID_ENTRYID;
    if (!(advise = calloc(1, offsetof(struct advise, entry_id[size])))) {
        inflight_leave(logon);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    hr = IABLogon_Advise((IABLogon *)logon->object, size, entry_id, mask, sink, &advise->provider_connection);
    inflight_leave(logon);
    if (FAILED(hr)) {
        free(advise);
        return hr;
    }
    advise->size = size;
    memcpy(advise->entry_id, entry_id, size);
    AcquireSRWLockExclusive(&addrbook->lock);
    *connection = advise->connection = ++addrbook->next_connection;
    list_add_tail(&addrbook->advises, &advise->entry);
    ReleaseSRWLockExclusive(&addrbook->lock);
    return S_OK;
}

static HRESULT WINAPI addrbook_Unadvise(IAddrBook *iface, ULONG_PTR connection)
{
    struct addrbook *addrbook = impl_from_IAddrBook(iface);
    struct advise *advise = NULL;
    struct logon *logon;
    struct list *cursor;
    HRESULT hr = S_OK;

    TRACE("(%p, %#Ix)\n", iface, connection);
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    AcquireSRWLockExclusive(&addrbook->lock);
    LIST_FOR_EACH (cursor, &addrbook->advises)
        if (LIST_ENTRY(cursor, struct advise, entry)->connection == connection) {
            advise = LIST_ENTRY(cursor, struct advise, entry);
            list_remove(&advise->entry);
            break;
        }
    ReleaseSRWLockExclusive(&addrbook->lock);
    if (!advise) return MAPI_E_NOT_FOUND;
    /* An address book logged off since took its subscriptions with it (H13). */
    if ((logon = route_enter_address_book(addrbook->session, advise->size, (ENTRYID *)advise->entry_id))) {
        hr = IABLogon_Unadvise((IABLogon *)logon->object, advise->provider_connection);
        inflight_leave(logon);
    }
    free(advise);
    return hr;
}

static HRESULT WINAPI addrbook_CreateOneOff(IAddrBook *iface, LPTSTR name, LPTSTR address_type, LPTSTR address,
                                            ULONG flags, ULONG *size, ENTRYID **entry_id)
{
    HRESULT hr;

    TRACE("(%p, %p, %p, %p, %#lx, %p, %p)\n", iface, name, address_type, address, flags, size, entry_id);
    if ((hr = refuse_own(CreateOneOff, name, address_type, address, flags, size, entry_id))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return oneoff_create(name, address_type, address, flags, size, entry_id);
}

static HRESULT WINAPI addrbook_NewEntry(IAddrBook *iface, ULONG_PTR ui_param, ULONG flags, ULONG container_size,
                                        ENTRYID *container, ULONG template_size, ENTRYID *template_id, ULONG *new_size,
                                        ENTRYID **new_entry)
{
    HRESULT hr;

    TRACE("(%p, %#Ix, %#lx, %#lx, %p, %#lx, %p, %p, %p)\n", iface, ui_param, flags, container_size, container,
          template_size, template_id, new_size, new_entry);
    if ((hr = refuse_own(NewEntry, ui_param, flags, container_size, container, template_size, template_id, new_size,
                         new_entry)))
        return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "NewEntry");
}

/* "[TYPE:address]" names a one-off recipient: resolved here, without a container. */
static HRESULT resolve_one_off(ADRENTRY *entry, const char *name)
{
    char text[512], *colon;
    SPropValue values[4], *props;
    ENTRYID *entry_id;
    ULONG size;
    HRESULT hr;

    if (name[0] != '[' || strlen(name) >= sizeof(text) || name[strlen(name) - 1] != ']') return MAPI_E_NOT_FOUND;
    strcpy(text, name + 1);
    text[strlen(text) - 1] = 0;
    if (!(colon = strchr(text, ':')) || colon == text || !colon[1]) return MAPI_E_NOT_FOUND;
    *colon = 0;
    if ((hr = oneoff_create(colon + 1, text, colon + 1, 0, &size, &entry_id)) != S_OK) return hr;
    values[0].ulPropTag = PR_ENTRYID;
    values[0].Value.bin.cb = size;
    values[0].Value.bin.lpb = (BYTE *)entry_id;
    values[1].ulPropTag = PR_DISPLAY_NAME_A;
    values[1].Value.lpszA = colon + 1;
    values[2].ulPropTag = PR_ADDRTYPE_A;
    values[2].Value.lpszA = text;
    values[3].ulPropTag = PR_EMAIL_ADDRESS_A;
    values[3].Value.lpszA = colon + 1;
    hr = props_copy(4, values, &props);
    MAPIFreeBuffer(entry_id);
    if (hr != S_OK) return hr;
    MAPIFreeBuffer(entry->rgPropVals);
    entry->rgPropVals = props;
    entry->cValues = 4;
    return S_OK;
}

/* Each entry without PR_ENTRYID: a one-off "[TYPE:address]", else the containers of the search path in order,
 * through IABContainer::ResolveNames. No dialog is ever shown (no UI in this host). */
static HRESULT WINAPI addrbook_ResolveName(IAddrBook *iface, ULONG_PTR ui_param, ULONG flags, LPTSTR title,
                                           ADRLIST *list)
{
    struct session *session = impl_from_IAddrBook(iface)->session;
    FlagList *states;
    SRowSet *path = NULL;
    ULONG i, j;
    HRESULT hr = S_OK;

    TRACE("(%p, %#Ix, %#lx, %p, %p)\n", iface, ui_param, flags, title, list);
    if ((hr = refuse_own(ResolveName, ui_param, flags, title, list))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    if (!list) return MAPI_E_INVALID_PARAMETER;
    if (!(states = calloc(1, offsetof(FlagList, ulFlag[list->cEntries + 1])))) return MAPI_E_NOT_ENOUGH_MEMORY;
    states->cFlags = list->cEntries;
    for (i = 0; i < list->cEntries; i++) {
        ADRENTRY *entry = &list->aEntries[i];
        const SPropValue *name = props_find(entry->cValues, entry->rgPropVals, PR_DISPLAY_NAME_A);
        char narrow[512];

        if (props_find(entry->cValues, entry->rgPropVals, PR_ENTRYID))
            states->ulFlag[i] = MAPI_RESOLVED;
        else if (name && PROP_TYPE(name->ulPropTag) == PT_STRING8 && resolve_one_off(entry, name->Value.lpszA) == S_OK)
            states->ulFlag[i] = MAPI_RESOLVED;
        else if ((name = props_find(entry->cValues, entry->rgPropVals, PR_DISPLAY_NAME_W))
                 && WideCharToMultiByte(CP_ACP, 0, name->Value.lpszW, -1, narrow, sizeof(narrow), NULL, NULL)
                 && resolve_one_off(entry, narrow) == S_OK)
            states->ulFlag[i] = MAPI_RESOLVED; /* a Unicode caller's one-off, resolved in narrow properties */
    }
    if (searchpath_get(session, &path) == S_OK) {
        for (j = 0; j < path->cRows; j++) {
            const SPropValue *id = props_find(path->aRow[j].cValues, path->aRow[j].lpProps, PR_ENTRYID);
            IABContainer *container = NULL;
            ULONG type;
            if (!id
                || FAILED(route_open_entry(session, TRUE, id->Value.bin.cb, (ENTRYID *)id->Value.bin.lpb, NULL, 0,
                                           &type, (IUnknown **)&container)))
                continue;
            if (type == MAPI_ABCONT) IABContainer_ResolveNames(container, NULL, flags & MAPI_UNICODE, list, states);
            IABContainer_Release(container);
        }
        FreeProws(path);
    }
    for (i = 0; i < list->cEntries; i++) {
        if (states->ulFlag[i] == MAPI_AMBIGUOUS)
            hr = MAPI_E_AMBIGUOUS_RECIP;
        else if (states->ulFlag[i] == MAPI_UNRESOLVED && hr == S_OK)
            hr = MAPI_E_NOT_FOUND;
    }
    free(states);
    return hr;
}

static HRESULT WINAPI addrbook_Address(IAddrBook *iface, ULONG_PTR *ui_param, ADRPARM *parameters, ADRLIST **list)
{
    TRACE("(%p, %p, %p, %p)\n", iface, ui_param, parameters, list);
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "Address");
}

static HRESULT WINAPI addrbook_Details(IAddrBook *iface, ULONG_PTR *ui_param, LPFNDISMISS dismiss,
                                       void *dismiss_context, ULONG size, ENTRYID *entry_id, LPFNBUTTON button,
                                       void *button_context, LPTSTR button_text, ULONG flags)
{
    TRACE("(%p, %p, %p, %p, %#lx, %p, %p, %p, %p, %#lx)\n", iface, ui_param, dismiss, dismiss_context, size, entry_id,
          button, button_context, button_text, flags);
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "Details");
}

static HRESULT WINAPI addrbook_RecipOptions(IAddrBook *iface, ULONG_PTR ui_param, ULONG flags, ADRENTRY *recipient)
{
    TRACE("(%p, %#Ix, %#lx, %p)\n", iface, ui_param, flags, recipient);
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "RecipOptions");
}

static HRESULT WINAPI addrbook_QueryDefaultRecipOpt(IAddrBook *iface, LPTSTR address_type, ULONG flags, ULONG *count,
                                                    SPropValue **options)
{
    HRESULT hr;

    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, address_type, flags, count, options);
    if ((hr = refuse_own(QueryDefaultRecipOpt, address_type, flags, count, options))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "QueryDefaultRecipOpt");
}

static HRESULT WINAPI addrbook_GetPAB(IAddrBook *iface, ULONG *size, ENTRYID **entry_id)
{
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, size, entry_id);
    if ((hr = refuse_own(GetPAB, size, entry_id))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "GetPAB");
}

static HRESULT WINAPI addrbook_SetPAB(IAddrBook *iface, ULONG size, ENTRYID *entry_id)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", iface, size, entry_id);
    if ((hr = refuse_own(SetPAB, size, entry_id))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "SetPAB");
}

static HRESULT WINAPI addrbook_GetDefaultDir(IAddrBook *iface, ULONG *size, ENTRYID **entry_id)
{
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, size, entry_id);
    if ((hr = refuse_own(GetDefaultDir, size, entry_id))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "GetDefaultDir");
}

static HRESULT WINAPI addrbook_SetDefaultDir(IAddrBook *iface, ULONG size, ENTRYID *entry_id)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", iface, size, entry_id);
    if ((hr = refuse_own(SetDefaultDir, size, entry_id))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "SetDefaultDir");
}

static HRESULT WINAPI addrbook_GetSearchPath(IAddrBook *iface, ULONG flags, SRowSet **path)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", iface, flags, path);
    if ((hr = refuse_own(GetSearchPath, flags, path))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    if (!path) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return searchpath_get(impl_from_IAddrBook(iface)->session, path);
}

static HRESULT WINAPI addrbook_SetSearchPath(IAddrBook *iface, ULONG flags, SRowSet *path)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", iface, flags, path);
    if ((hr = refuse_own(SetSearchPath, flags, path))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    if (!path) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return searchpath_set(impl_from_IAddrBook(iface)->session, path);
}

static HRESULT WINAPI addrbook_PrepareRecips(IAddrBook *iface, ULONG flags, SPropTagArray *tags, ADRLIST *recipients)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %p)\n", iface, flags, tags, recipients);
    if ((hr = refuse_own(PrepareRecips, flags, tags, recipients))) return hr;
    if (!usable(iface)) return MAPI_E_END_OF_SESSION;
    return unsupported("IAddrBook", "PrepareRecips");
}

static const IAddrBookVtbl addrbook_vtbl = {
    addrbook_QueryInterface,
    addrbook_AddRef,
    addrbook_Release,
    addrbook_GetLastError,
    addrbook_SaveChanges,
    addrbook_GetProps,
    addrbook_GetPropList,
    addrbook_OpenProperty,
    addrbook_SetProps,
    addrbook_DeleteProps,
    addrbook_CopyTo,
    addrbook_CopyProps,
    addrbook_GetNamesFromIDs,
    addrbook_GetIDsFromNames,
    addrbook_OpenEntry,
    addrbook_CompareEntryIDs,
    addrbook_Advise,
    addrbook_Unadvise,
    addrbook_CreateOneOff,
    addrbook_NewEntry,
    addrbook_ResolveName,
    addrbook_Address,
    addrbook_Details,
    addrbook_RecipOptions,
    addrbook_QueryDefaultRecipOpt,
    addrbook_GetPAB,
    addrbook_SetPAB,
    addrbook_GetDefaultDir,
    addrbook_SetDefaultDir,
    addrbook_GetSearchPath,
    addrbook_SetSearchPath,
    addrbook_PrepareRecips,
};

HRESULT addrbook_create(struct session *session, IAddrBook **out)
{
    struct addrbook *addrbook = calloc(1, sizeof(*addrbook));

    if (!addrbook) return MAPI_E_NOT_ENOUGH_MEMORY;
    addrbook->IAddrBook_iface.lpVtbl = &addrbook_vtbl;
    addrbook->refcount = 1;
    InitializeSRWLock(&addrbook->lock);
    list_init(&addrbook->advises);
    IMAPISession_AddRef(&session->IMAPISession_iface);
    addrbook->session = session;
    *out = &addrbook->IAddrBook_iface;
    return S_OK;
}
