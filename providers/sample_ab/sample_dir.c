/*
 * The sample address book's containers, built as real providers build them: the root (OpenEntry with no entry ID)
 * has a hierarchy table listing the directory; the directory has a contents table of its users, sorted by display
 * name, and resolves names against them. Both tables come from MAPI's CreateTable (found the run-time way,
 * sample_mapi.c) and its sorted views. CreateEntry, CopyEntries, DeleteEntries, SetSearchCriteria and
 * GetSearchCriteria return MAPI_E_NO_SUPPORT; the root has no contents table and resolves no names. With the
 * recorder's fault "pdl" the directory also holds a personal distribution list (MAPIPDL), the same object answering
 * as an IDistList, whose contents are its members.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample_dir.h"

struct container {
    IABContainer IABContainer_iface; /* a list's IDistList too: the same vtable layout */
    LONG refcount;
    BOOL root;
    ULONG list;            /* SAMPLE_LIST or SAMPLE_INNER_LIST for a personal distribution list, else 0 */
    BOOL lists;            /* the directory shows SAMPLE_LIST (the recorder's "pdl") */
    IMAPISupport *support; /* a list's: its members are one-off entries */
    MAPIUID uid;
    struct propbag props;
};

static inline struct container *impl_from_IABContainer(IABContainer *iface)
{
    return CONTAINING_RECORD(iface, struct container, IABContainer_iface);
}

void sample_user_name(ULONG number, char *name, size_t size)
{
    snprintf(name, size, "Sample User %lu", number);
}

static struct user_entry_id entry_id_of(const MAPIUID *uid, ULONG number)
{
    struct user_entry_id id = { { 0 }, *uid, number };

    return id;
}

static HRESULT WINAPI container_QueryInterface(IABContainer *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IMAPIContainer, &IID_IABContainer, NULL };
    static const IID *const list_iids[] = { &IID_IMAPIProp, &IID_IMAPIContainer, &IID_IDistList, NULL };

    return sample_query_interface((IUnknown *)iface, riid, out, impl_from_IABContainer(iface)->list ? list_iids : iids);
}

static ULONG WINAPI container_AddRef(IABContainer *iface)
{
    return InterlockedIncrement(&impl_from_IABContainer(iface)->refcount);
}

static ULONG WINAPI container_Release(IABContainer *iface)
{
    struct container *container = impl_from_IABContainer(iface);
    ULONG refcount = InterlockedDecrement(&container->refcount);

    if (!refcount) {
        propbag_free(&container->props);
        if (container->support) IMAPISupport_Release(container->support);
        free(container);
        sample_object_destroyed();
    }
    return refcount;
}

SAMPLE_MAPIPROP_DEFAULTS(container, IABContainer)

static HRESULT WINAPI container_GetProps(IABContainer *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                         SPropValue **values)
{
    return propbag_get_props(&impl_from_IABContainer(iface)->props, tags, flags, count, values);
}

static HRESULT WINAPI container_GetPropList(IABContainer *iface, ULONG flags, SPropTagArray **tags)
{
    return propbag_get_prop_list(&impl_from_IABContainer(iface)->props, tags);
}

/* A table of rows, handed out as a view sorted by display name; the data goes with the view (CALLERRELEASE). */
static void WINAPI release_data(ULONG_PTR unused, ITableData *data, IMAPITable *view)
{
    ITableData_Release(data);
}

static HRESULT table_of(ULONG row_count, SPropValue (*rows)[6], ULONG value_count, ULONG last_column, IMAPITable **out)
{
    SizedSPropTagArray(6, columns) = {
        6, { PR_ENTRYID, PR_DISPLAY_NAME_A, PR_OBJECT_TYPE, PR_DISPLAY_TYPE, PR_INSTANCE_KEY, last_column }
    };
    SizedSSortOrderSet(1, by_name) = { 1, 0, 0, { { PR_DISPLAY_NAME_A, TABLE_SORT_ASCEND } } };
    CREATETABLE *create_table = (CREATETABLE *)sample_mapi_function("CreateTable", 36);
    ITableData *data;
    ULONG i;
    HRESULT hr;

    if (!create_table) return MAPI_E_NO_SUPPORT;
    columns.cValues = value_count; /* users have no sixth column */
    if (FAILED(hr = create_table(NULL, sample_allocate_buffer, sample_allocate_more, sample_free_buffer, NULL,
                                 TBLTYPE_SNAPSHOT, PR_INSTANCE_KEY, (SPropTagArray *)&columns, &data)))
        return hr;
    for (i = 0; SUCCEEDED(hr) && i < row_count; i++) {
        SRow row = { 0, value_count, rows[i] };
        hr = ITableData_HrModifyRow(data, &row);
    }
    if (SUCCEEDED(hr) && SUCCEEDED(hr = ITableData_HrGetView(data, (SSortOrderSet *)&by_name, release_data, 0, out)))
        return S_OK;
    ITableData_Release(data);
    return hr;
}

static void set_row(SPropValue *row, struct user_entry_id *id, const char *name, ULONG type, ULONG display_type)
{
    row[0].ulPropTag = PR_ENTRYID;
    row[0].Value.bin.cb = sizeof(*id);
    row[0].Value.bin.lpb = (BYTE *)id;
    row[1].ulPropTag = PR_DISPLAY_NAME_A;
    row[1].Value.lpszA = (char *)name;
    row[2].ulPropTag = PR_OBJECT_TYPE;
    row[2].Value.l = type;
    row[3].ulPropTag = PR_DISPLAY_TYPE;
    row[3].Value.l = display_type;
    row[4].ulPropTag = PR_INSTANCE_KEY;
    row[4].Value.bin.cb = sizeof(id->number);
    row[4].Value.bin.lpb = (BYTE *)&id->number;
}

/* A row's sixth value: its PR_ADDRTYPE. */
static void set_address_type(SPropValue *row, const char *type)
{
    row[5].ulPropTag = PR_ADDRTYPE_A;
    row[5].Value.lpszA = (char *)type;
}

/* The recorder's "pdl": SAMPLE_LIST holds a one-off entry for the mailbox "spool" and SAMPLE_INNER_LIST, which holds
 * another one-off entry for the same mailbox, its address in capitals: a list to expand, a list within it, and a
 * duplicate to mark (ExpandRecips, Q7). */
static HRESULT list_members(struct container *container, IMAPITable **table)
{
    static const ULONG numbers[2] = { 1, 2 }; /* instance keys */
    struct user_entry_id inner = entry_id_of(&container->uid, SAMPLE_INNER_LIST);
    BOOL outer = container->list == SAMPLE_LIST;
    SPropValue rows[2][6];
    ENTRYID *one_off = NULL;
    ULONG size, count = 1;
    HRESULT hr;

    if (FAILED(hr = IMAPISupport_CreateOneOff(container->support, (LPTSTR)(outer ? "Spool Mailbox" : "Spool Again"),
                                              (LPTSTR) "SAMPLE", (LPTSTR)(outer ? "spool" : "SPOOL"), 0, &size,
                                              &one_off)))
        return hr;
    set_row(rows[0], &inner, outer ? "Spool Mailbox" : "Spool Again", MAPI_MAILUSER, DT_MAILUSER);
    rows[0][0].Value.bin.cb = size;
    rows[0][0].Value.bin.lpb = (BYTE *)one_off;
    rows[0][4].Value.bin.cb = sizeof(numbers[0]);
    rows[0][4].Value.bin.lpb = (BYTE *)&numbers[0];
    set_address_type(rows[0], "SAMPLE");
    if (outer) {
        set_row(rows[count], &inner, "Inner List", MAPI_DISTLIST, DT_PRIVATE_DISTLIST);
        rows[count][4].Value.bin.lpb = (BYTE *)&numbers[1];
        set_address_type(rows[count++], "MAPIPDL");
    }
    hr = table_of(count, rows, 6, PR_ADDRTYPE_A, table);
    sample_free_buffer(one_off);
    return hr;
}

/* The directory's users, inserted out of order so that the view's sort shows. */
static HRESULT WINAPI container_GetContentsTable(IABContainer *iface, ULONG flags, IMAPITable **table)
{
    static const ULONG order[SAMPLE_USERS] = { 3, 1, 2 };
    struct container *container = impl_from_IABContainer(iface);
    struct user_entry_id ids[SAMPLE_USERS + 1];
    SPropValue rows[SAMPLE_USERS + 1][6];
    char names[SAMPLE_USERS][64];
    ULONG i;

    sample_trace("IABContainer::GetContentsTable(%s)", container->root   ? "root"
                                                       : container->list ? "list"
                                                                         : "directory");
    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (container->root) return MAPI_E_NO_SUPPORT;
    if (container->list) return list_members(container, table);
    for (i = 0; i < SAMPLE_USERS; i++) {
        ids[i] = entry_id_of(&container->uid, order[i]);
        sample_user_name(order[i], names[i], sizeof(names[i]));
        set_row(rows[i], &ids[i], names[i], MAPI_MAILUSER, DT_MAILUSER);
    }
    if (container->lists) { /* the list is in the directory too */
        ids[SAMPLE_USERS] = entry_id_of(&container->uid, SAMPLE_LIST);
        set_row(rows[SAMPLE_USERS], &ids[SAMPLE_USERS], "Sample List", MAPI_DISTLIST, DT_PRIVATE_DISTLIST);
        for (i = 0; i <= SAMPLE_USERS; i++) set_address_type(rows[i], i == SAMPLE_USERS ? "MAPIPDL" : "");
    }
    return table_of(SAMPLE_USERS + !!container->lists, rows, container->lists ? 6 : 5, PR_ADDRTYPE_A, table);
}

/* The root's one child: the directory, a container of recipients (PR_CONTAINER_FLAGS, PR_DEPTH 0). */
static HRESULT WINAPI container_GetHierarchyTable(IABContainer *iface, ULONG flags, IMAPITable **table)
{
    struct container *container = impl_from_IABContainer(iface);
    struct user_entry_id id = entry_id_of(&container->uid, SAMPLE_DIRECTORY);
    SPropValue rows[1][6];

    sample_trace("IABContainer::GetHierarchyTable(%s)", container->root ? "root" : "directory");
    if (!table) return MAPI_E_INVALID_PARAMETER;
    set_row(rows[0], &id, "Sample Directory", MAPI_ABCONT, DT_GLOBAL);
    rows[0][5].ulPropTag = PR_CONTAINER_FLAGS;
    rows[0][5].Value.l = AB_RECIPIENTS | AB_UNMODIFIABLE;
    return table_of(container->root ? 1 : 0, rows, 6, PR_CONTAINER_FLAGS, table);
}

static HRESULT WINAPI container_OpenEntry(IABContainer *iface, ULONG size, ENTRYID *entry_id, const IID *iid,
                                          ULONG flags, ULONG *type, IUnknown **out)
{
    return MAPI_E_NO_SUPPORT; /* entries open through the logon (IAddrBook::OpenEntry) */
}

static HRESULT WINAPI container_SetSearchCriteria(IABContainer *iface, SRestriction *res, ENTRYLIST *containers,
                                                  ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI container_GetSearchCriteria(IABContainer *iface, ULONG flags, SRestriction **res,
                                                  ENTRYLIST **containers, ULONG *state)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI container_CreateEntry(IABContainer *iface, ULONG size, ENTRYID *template_id, ULONG flags,
                                            IMAPIProp **out)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI container_CopyEntries(IABContainer *iface, ENTRYLIST *entries, ULONG_PTR ui_param,
                                            IMAPIProgress *progress, ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI container_DeleteEntries(IABContainer *iface, ENTRYLIST *entries, ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

/* A user whose display name starts with the entry's, without case; exactly one resolves it. */
static HRESULT WINAPI container_ResolveNames(IABContainer *iface, SPropTagArray *tags, ULONG flags, ADRLIST *list,
                                             FlagList *states)
{
    struct container *container = impl_from_IABContainer(iface);
    ULONG i, number, found, match = 0;
    char name[64];

    sample_trace("IABContainer::ResolveNames(%lu entries)", list ? list->cEntries : 0);
    if (container->root) return MAPI_E_NO_SUPPORT;
    if (!list || !states || states->cFlags != list->cEntries) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; i < list->cEntries; i++) {
        ADRENTRY *entry = &list->aEntries[i];
        const char *wanted = NULL;
        ULONG j;

        if (states->ulFlag[i] != MAPI_UNRESOLVED) continue;
        for (j = 0; j < entry->cValues; j++)
            if (entry->rgPropVals[j].ulPropTag == PR_DISPLAY_NAME_A) wanted = entry->rgPropVals[j].Value.lpszA;
        if (!wanted) continue;
        for (found = 0, number = 1; number <= SAMPLE_USERS; number++) {
            sample_user_name(number, name, sizeof(name));
            if (!_strnicmp(name, wanted, strlen(wanted))) {
                found++;
                match = number;
            }
        }
        if (found > 1)
            states->ulFlag[i] = MAPI_AMBIGUOUS;
        else if (found == 1) {
            struct user_entry_id id = entry_id_of(&container->uid, match);
            SPropValue *values;
            if (FAILED(sample_allocate_buffer(sizeof(SPropValue) * 4 + sizeof(id) + 64, (void **)&values)))
                return MAPI_E_NOT_ENOUGH_MEMORY;
            values[0].ulPropTag = PR_ENTRYID;
            values[0].Value.bin.cb = sizeof(id);
            values[0].Value.bin.lpb = (BYTE *)(values + 4);
            memcpy(values + 4, &id, sizeof(id));
            values[1].ulPropTag = PR_DISPLAY_NAME_A;
            values[1].Value.lpszA = (char *)(values + 4) + sizeof(id);
            sample_user_name(match, values[1].Value.lpszA, 48);
            values[2].ulPropTag = PR_ADDRTYPE_A;
            values[2].Value.lpszA = values[1].Value.lpszA + 48; /* in the same block: it outlives the DLL */
            strcpy(values[2].Value.lpszA, "SAMPLE");
            values[3].ulPropTag = PR_OBJECT_TYPE;
            values[3].Value.l = MAPI_MAILUSER;
            sample_free_buffer(entry->rgPropVals);
            entry->rgPropVals = values;
            entry->cValues = 4;
            states->ulFlag[i] = MAPI_RESOLVED;
        }
    }
    return S_OK;
}

static const IABContainerVtbl container_vtbl = {
    container_QueryInterface,    container_AddRef,          container_Release,
    container_GetLastError,      container_SaveChanges,     container_GetProps,
    container_GetPropList,       container_OpenProperty,    container_SetProps,
    container_DeleteProps,       container_CopyTo,          container_CopyProps,
    container_GetNamesFromIDs,   container_GetIDsFromNames, container_GetContentsTable,
    container_GetHierarchyTable, container_OpenEntry,       container_SetSearchCriteria,
    container_GetSearchCriteria, container_CreateEntry,     container_CopyEntries,
    container_DeleteEntries,     container_ResolveNames,
};

/* A container over the given properties, its other fields for the caller to set. */
static struct container *container_new(const SPropValue *values, ULONG count)
{
    struct container *container = calloc(1, sizeof(*container));

    if (!container) return NULL;
    if (FAILED(propbag_init(&container->props, count, values))) {
        free(container);
        return NULL;
    }
    container->IABContainer_iface.lpVtbl = &container_vtbl;
    container->refcount = 1;
    sample_object_created();
    return container;
}

HRESULT sample_list_create(const MAPIUID *uid, ULONG number, IMAPISupport *support, IDistList **out)
{
    struct user_entry_id id = entry_id_of(uid, number);
    struct container *container;
    SPropValue values[4];

    values[0].ulPropTag = PR_OBJECT_TYPE;
    values[0].Value.l = MAPI_DISTLIST;
    values[1].ulPropTag = PR_DISPLAY_NAME_A;
    values[1].Value.lpszA = number == SAMPLE_LIST ? (char *)"Sample List" : (char *)"Inner List";
    values[2].ulPropTag = PR_ADDRTYPE_A;
    values[2].Value.lpszA = (char *)"MAPIPDL";
    values[3].ulPropTag = PR_ENTRYID;
    values[3].Value.bin.cb = sizeof(id);
    values[3].Value.bin.lpb = (BYTE *)&id;
    if (!(container = container_new(values, 4))) return MAPI_E_NOT_ENOUGH_MEMORY;
    container->list = number;
    container->uid = *uid;
    container->support = support;
    IMAPISupport_AddRef(support);
    *out = (IDistList *)&container->IABContainer_iface;
    return S_OK;
}

HRESULT sample_container_create(const MAPIUID *uid, BOOL root, BOOL lists, IABContainer **out)
{
    struct user_entry_id id = entry_id_of(uid, SAMPLE_DIRECTORY);
    struct container *container;
    SPropValue values[4];
    ULONG count = 3;

    values[0].ulPropTag = PR_OBJECT_TYPE;
    values[0].Value.l = MAPI_ABCONT;
    values[1].ulPropTag = PR_DISPLAY_NAME_A;
    values[1].Value.lpszA = root ? (char *)"" : (char *)"Sample Directory";
    values[2].ulPropTag = PR_CONTAINER_FLAGS;
    values[2].Value.l = root ? AB_SUBCONTAINERS | AB_UNMODIFIABLE : AB_RECIPIENTS | AB_UNMODIFIABLE;
    if (!root) {
        values[count].ulPropTag = PR_ENTRYID;
        values[count].Value.bin.cb = sizeof(id);
        values[count++].Value.bin.lpb = (BYTE *)&id;
    }
    if (!(container = container_new(values, count))) return MAPI_E_NOT_ENOUGH_MEMORY;
    container->root = root;
    container->lists = lists;
    container->uid = *uid;
    *out = &container->IABContainer_iface;
    return S_OK;
}
