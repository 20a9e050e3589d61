/*
 * MAPI's root address-book container (spec U, "the address book as MAPI builds it"): what IAddrBook::OpenEntry(0,
 * NULL) opens. Its hierarchy table lists each address-book provider's top-level containers, read from that provider's
 * own root (IABLogon::OpenEntry with no entry ID) when the table is asked for; a provider without a root adds none.
 * Its properties are PR_OBJECT_TYPE, PR_DISPLAY_NAME (empty) and PR_CONTAINER_FLAGS (AB_SUBCONTAINERS). OpenEntry
 * goes to the providers by MAPIUID (H9). It has no contents table and resolves no names (MAPI_E_NO_SUPPORT), like
 * CreateEntry, CopyEntries, DeleteEntries, SetSearchCriteria, GetSearchCriteria and the IMAPIProp methods that write.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "propval.h"
#include "core.h"
#include "table.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(abroot);

struct abroot {
    IABContainer IABContainer_iface;
    LONG refcount;
    struct session *session; /* a reference on the session */
};

static inline struct abroot *impl_from_IABContainer(IABContainer *iface)
{
    return CONTAINING_RECORD(iface, struct abroot, IABContainer_iface);
}

static const SPropValue root_props[] = {
    { PR_OBJECT_TYPE, 0, { .l = MAPI_ABCONT } },
    { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"" } },
    { PR_CONTAINER_FLAGS, 0, { .l = AB_SUBCONTAINERS | AB_UNMODIFIABLE } },
};

static HRESULT WINAPI abroot_QueryInterface(IABContainer *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IMAPIContainer, &IID_IABContainer, NULL };

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI abroot_AddRef(IABContainer *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IABContainer(iface)->refcount);
}

static ULONG WINAPI abroot_Release(IABContainer *iface)
{
    struct abroot *root = impl_from_IABContainer(iface);
    ULONG refcount = InterlockedDecrement(&root->refcount);

    TRACE("(%p)\n", iface);
    if (!refcount) {
        IMAPISession_Release(&root->session->IMAPISession_iface);
        free(root);
    }
    return refcount;
}

static HRESULT WINAPI abroot_GetLastError(IABContainer *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI abroot_SaveChanges(IABContainer *iface, ULONG flags)
{
    TRACE("(%p, %#lx)\n", iface, flags);
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI abroot_GetProps(IABContainer *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                      SPropValue **values)
{
    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, tags, flags, count, values);
    return props_get(ARRAYSIZE(root_props), root_props, NULL, tags, flags, count, values);
}

static HRESULT WINAPI abroot_GetPropList(IABContainer *iface, ULONG flags, SPropTagArray **tags)
{
    TRACE("(%p, %#lx, %p)\n", iface, flags, tags);
    return props_list(ARRAYSIZE(root_props), root_props, NULL, flags, tags);
}

static HRESULT WINAPI abroot_OpenProperty(IABContainer *iface, ULONG tag, const IID *iid, ULONG options, ULONG flags,
                                          IUnknown **out)
{
    TRACE("(%p, %#lx, %p, %#lx, %#lx, %p)\n", iface, tag, iid, options, flags, out);
    if (out) *out = NULL;
    return unsupported("MAPI's root address-book container", "OpenProperty");
}

static HRESULT WINAPI abroot_SetProps(IABContainer *iface, ULONG count, SPropValue *values,
                                      SPropProblemArray **problems)
{
    TRACE("(%p, %#lx, %p, %p)\n", iface, count, values, problems);
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI abroot_DeleteProps(IABContainer *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    TRACE("(%p, %p, %p)\n", iface, tags, problems);
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI abroot_CopyTo(IABContainer *iface, ULONG exclude_count, const IID *exclude,
                                    SPropTagArray *excluded, ULONG_PTR ui_param, IMAPIProgress *progress,
                                    const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems)
{
    TRACE("(%p, %#lx, %p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, exclude_count, exclude, excluded, ui_param,
          progress, iid, dest, flags, problems);
    return unsupported("MAPI's root address-book container", "CopyTo");
}

static HRESULT WINAPI abroot_CopyProps(IABContainer *iface, SPropTagArray *tags, ULONG_PTR ui_param,
                                       IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                       SPropProblemArray **problems)
{
    TRACE("(%p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, tags, ui_param, progress, iid, dest, flags, problems);
    return unsupported("MAPI's root address-book container", "CopyProps");
}

static HRESULT WINAPI abroot_GetNamesFromIDs(IABContainer *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                             ULONG *count, MAPINAMEID ***names)
{
    TRACE("(%p, %p, %p, %#lx, %p, %p)\n", iface, tags, guid, flags, count, names);
    return unsupported("MAPI's root address-book container", "GetNamesFromIDs");
}

static HRESULT WINAPI abroot_GetIDsFromNames(IABContainer *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                             SPropTagArray **tags)
{
    TRACE("(%p, %#lx, %p, %#lx, %p)\n", iface, count, names, flags, tags);
    return unsupported("MAPI's root address-book container", "GetIDsFromNames");
}

static HRESULT WINAPI abroot_GetContentsTable(IABContainer *iface, ULONG flags, IMAPITable **table)
{
    TRACE("(%p, %#lx, %p)\n", iface, flags, table);
    if (table) *table = NULL;
    return unsupported("MAPI's root address-book container", "GetContentsTable"); /* the root holds containers only */
}

static const ULONG container_columns[] = { PR_ENTRYID,      PR_DISPLAY_NAME_A,  PR_OBJECT_TYPE,
                                           PR_DISPLAY_TYPE, PR_CONTAINER_FLAGS, PR_DEPTH,
                                           PR_INSTANCE_KEY, PR_COMMENT_A,       PR_STATUS };

/* One provider's top-level containers, added to data from rowid on: the columns a hierarchy table must have, asked
 * for by name, since a provider's default column set need not hold them all. */
static ULONG add_provider_containers(struct logon *logon, struct table_data *data, ULONG rowid)
{
    SizedSPropTagArray(ARRAYSIZE(container_columns), columns);
    IABContainer *container = NULL;
    IMAPITable *table = NULL;
    SRowSet *rows = NULL;
    ULONG type, i, j, n;

    columns.cValues = ARRAYSIZE(container_columns);
    memcpy(columns.aulPropTag, container_columns, sizeof(container_columns));
    if (!inflight_enter(logon)) return rowid;
    if (SUCCEEDED(IABLogon_OpenEntry((IABLogon *)logon->object, 0, NULL, NULL, 0, &type, (IUnknown **)&container))
        && container && type == MAPI_ABCONT && SUCCEEDED(IABContainer_GetHierarchyTable(container, 0, &table))
        && SUCCEEDED(HrQueryAllRows(table, (SPropTagArray *)&columns, NULL, NULL, 0, &rows))) {
        for (i = 0; i < rows->cRows; i++) {
            SPropValue *values = malloc((rows->aRow[i].cValues + 1) * sizeof(*values));
            if (!values) continue;
            for (j = n = 0; j < rows->aRow[i].cValues; j++) /* columns the provider lacks stay absent */
                if (PROP_TYPE(rows->aRow[i].lpProps[j].ulPropTag) != PT_ERROR) values[n++] = rows->aRow[i].lpProps[j];
            values[n].ulPropTag = PR_ROWID;
            values[n].Value.l = rowid++;
            tabledata_set_row(data, n + 1, values);
            free(values);
        }
    }
    FreeProws(rows);
    if (table) IMAPITable_Release(table);
    if (container) IABContainer_Release(container);
    inflight_leave(logon);
    return rowid;
}

HRESULT abroot_containers(struct session *session, struct table_data **out)
{
    struct logon **logons;
    ULONG count, i, rowid = 0;

    if (!(*out = tabledata_create(ARRAYSIZE(container_columns), container_columns))) return MAPI_E_NOT_ENOUGH_MEMORY;
    count = logon_all_of(session, PROVIDER_AB, &logons);
    for (i = 0; i < count; i++) rowid = add_provider_containers(logons[i], *out, rowid);
    free(logons);
    return S_OK;
}

static HRESULT WINAPI abroot_GetHierarchyTable(IABContainer *iface, ULONG flags, IMAPITable **table)
{
    struct table_data *data;
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", iface, flags, table);
    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if ((hr = abroot_containers(impl_from_IABContainer(iface)->session, &data)) != S_OK) return hr;
    hr = tabledata_open_view(data, table);
    tabledata_release(data);
    return hr;
}

static HRESULT WINAPI abroot_OpenEntry(IABContainer *iface, ULONG size, ENTRYID *entry_id, const IID *iid, ULONG flags,
                                       ULONG *type, IUnknown **out)
{
    TRACE("(%p, %#lx, %p, %p, %#lx, %p, %p)\n", iface, size, entry_id, iid, flags, type, out);
    return route_open_entry(impl_from_IABContainer(iface)->session, TRUE, size, entry_id, iid, flags, type, out);
}

static HRESULT WINAPI abroot_SetSearchCriteria(IABContainer *iface, SRestriction *res, ENTRYLIST *containers,
                                               ULONG flags)
{
    TRACE("(%p, %p, %p, %#lx)\n", iface, res, containers, flags);
    return unsupported("MAPI's root address-book container", "SetSearchCriteria");
}

static HRESULT WINAPI abroot_GetSearchCriteria(IABContainer *iface, ULONG flags, SRestriction **res,
                                               ENTRYLIST **containers, ULONG *state)
{
    TRACE("(%p, %#lx, %p, %p, %p)\n", iface, flags, res, containers, state);
    return unsupported("MAPI's root address-book container", "GetSearchCriteria");
}

static HRESULT WINAPI abroot_CreateEntry(IABContainer *iface, ULONG size, ENTRYID *template_id, ULONG flags,
                                         IMAPIProp **out)
{
    TRACE("(%p, %#lx, %p, %#lx, %p)\n", iface, size, template_id, flags, out);
    return unsupported("MAPI's root address-book container", "CreateEntry");
}

static HRESULT WINAPI abroot_CopyEntries(IABContainer *iface, ENTRYLIST *entries, ULONG_PTR ui_param,
                                         IMAPIProgress *progress, ULONG flags)
{
    TRACE("(%p, %p, %#Ix, %p, %#lx)\n", iface, entries, ui_param, progress, flags);
    return unsupported("MAPI's root address-book container", "CopyEntries");
}

static HRESULT WINAPI abroot_DeleteEntries(IABContainer *iface, ENTRYLIST *entries, ULONG flags)
{
    TRACE("(%p, %p, %#lx)\n", iface, entries, flags);
    return unsupported("MAPI's root address-book container", "DeleteEntries");
}

static HRESULT WINAPI abroot_ResolveNames(IABContainer *iface, SPropTagArray *tags, ULONG flags, ADRLIST *list,
                                          FlagList *states)
{
    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, tags, flags, list, states);
    return unsupported("MAPI's root address-book container", "ResolveNames");
}

static const IABContainerVtbl abroot_vtbl = {
    abroot_QueryInterface,    abroot_AddRef,          abroot_Release,
    abroot_GetLastError,      abroot_SaveChanges,     abroot_GetProps,
    abroot_GetPropList,       abroot_OpenProperty,    abroot_SetProps,
    abroot_DeleteProps,       abroot_CopyTo,          abroot_CopyProps,
    abroot_GetNamesFromIDs,   abroot_GetIDsFromNames, abroot_GetContentsTable,
    abroot_GetHierarchyTable, abroot_OpenEntry,       abroot_SetSearchCriteria,
    abroot_GetSearchCriteria, abroot_CreateEntry,     abroot_CopyEntries,
    abroot_DeleteEntries,     abroot_ResolveNames,
};

HRESULT abroot_create(struct session *session, IABContainer **out)
{
    struct abroot *root = calloc(1, sizeof(*root));

    if (!root) return MAPI_E_NOT_ENOUGH_MEMORY;
    root->IABContainer_iface.lpVtbl = &abroot_vtbl;
    root->refcount = 1;
    IMAPISession_AddRef(&session->IMAPISession_iface);
    root->session = session;
    *out = &root->IABContainer_iface;
    return S_OK;
}
