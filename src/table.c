/*
 * IMAPITable views over table data. Implemented: SetColumns, QueryColumns, GetRowCount, QueryRows, SeekRow,
 * QueryPosition, FindRow and Restrict (RES_AND, RES_OR, RES_NOT, RES_EXIST, and RES_PROPERTY with RELOP_EQ or
 * RELOP_NE), GetStatus, Advise and Unadvise (fnevTableModified, sent as TABLE_CHANGED). Every other method returns
 * MAPI_E_NO_SUPPORT. Rows handed out are MAPI buffers: one per row's values and one for the row set (FreeProws).
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "list.h"
#include "propval.h"
#include "table.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(table);

struct table_row {
    ULONG rowid;
    ULONG count;
    SPropValue *props; /* one MAPI allocation chain */
};

struct table_data {
    LONG refcount;
    SRWLOCK lock;
    struct table_row *rows;
    ULONG row_count;
    ULONG *columns;
    ULONG column_count;
    struct list views;
};

struct sink {
    struct list entry;
    ULONG_PTR connection;
    IMAPIAdviseSink *sink;
};

struct table_view {
    IMAPITable IMAPITable_iface;
    LONG refcount;
    struct table_data *data;
    struct list entry;          /* in data->views, under data->lock */
    ULONG *columns;
    ULONG column_count;
    SRestriction *restriction;  /* our own deep copy, or NULL */
    ULONG position;             /* index among the rows the restriction lets through */
    struct list sinks;          /* under data->lock */
    ULONG_PTR next_connection;
};

/* Restrictions: deep copies of the kinds we evaluate. free_members frees what res points to, not res. */
static void free_members(SRestriction *res)
{
    ULONG i;

    switch (res->rt) {
    case RES_AND:
    case RES_OR:
        for (i = 0; i < res->res.resAnd.cRes; i++) free_members(&res->res.resAnd.lpRes[i]);
        free(res->res.resAnd.lpRes);
        break;
    case RES_NOT:
        free_members(res->res.resNot.lpRes);
        free(res->res.resNot.lpRes);
        break;
    case RES_PROPERTY:
        MAPIFreeBuffer(res->res.resProperty.lpProp);
        break;
    }
}

static HRESULT copy_restriction(const SRestriction *src, SRestriction *dst)
{
    ULONG i;
    HRESULT hr;

    memset(dst, 0, sizeof(*dst));
    dst->rt = src->rt;
    switch (src->rt) {
    case RES_AND:
    case RES_OR:
        if (!(dst->res.resAnd.lpRes = calloc(src->res.resAnd.cRes ? src->res.resAnd.cRes : 1, sizeof(*dst))))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        for (i = 0; i < src->res.resAnd.cRes; i++) {
            dst->res.resAnd.cRes = i + 1;
            if ((hr = copy_restriction(&src->res.resAnd.lpRes[i], &dst->res.resAnd.lpRes[i])) != S_OK) return hr;
        }
        dst->res.resAnd.cRes = src->res.resAnd.cRes;
        return S_OK;
    case RES_NOT:
        if (!(dst->res.resNot.lpRes = calloc(1, sizeof(*dst)))) return MAPI_E_NOT_ENOUGH_MEMORY;
        return copy_restriction(src->res.resNot.lpRes, dst->res.resNot.lpRes);
    case RES_EXIST:
        dst->res.resExist = src->res.resExist;
        return S_OK;
    case RES_PROPERTY:
        if (src->res.resProperty.relop != RELOP_EQ && src->res.resProperty.relop != RELOP_NE) break;
        dst->res.resProperty = src->res.resProperty;
        return props_copy(1, src->res.resProperty.lpProp, &dst->res.resProperty.lpProp);
    }
    dst->rt = RES_EXIST; /* nothing owned to free */
    return MAPI_E_TOO_COMPLEX;
}

static BOOL matches(const SRestriction *res, const struct table_row *row)
{
    const SPropValue *value;
    ULONG i;

    if (!res) return TRUE;
    switch (res->rt) {
    case RES_AND:
        for (i = 0; i < res->res.resAnd.cRes; i++)
            if (!matches(&res->res.resAnd.lpRes[i], row)) return FALSE;
        return TRUE;
    case RES_OR:
        for (i = 0; i < res->res.resOr.cRes; i++)
            if (matches(&res->res.resOr.lpRes[i], row)) return TRUE;
        return FALSE;
    case RES_NOT:
        return !matches(res->res.resNot.lpRes, row);
    case RES_EXIST:
        return props_find(row->count, row->props, res->res.resExist.ulPropTag) != NULL;
    case RES_PROPERTY:
        value = props_find(row->count, row->props, res->res.resProperty.ulPropTag);
        if (!value) return FALSE; /* a missing property satisfies neither EQ nor NE */
        return prop_equal(value, res->res.resProperty.lpProp) == (res->res.resProperty.relop == RELOP_EQ);
    }
    return FALSE;
}

/* Rows as a view sees them, under data->lock: the i-th row its restriction lets through. */
static ULONG visible_count(const struct table_view *view)
{
    ULONG i, count = 0;

    for (i = 0; i < view->data->row_count; i++) count += matches(view->restriction, &view->data->rows[i]);
    return count;
}

static const struct table_row *visible_row(const struct table_view *view, ULONG index)
{
    ULONG i;

    for (i = 0; i < view->data->row_count; i++)
        if (matches(view->restriction, &view->data->rows[i]) && !index--) return &view->data->rows[i];
    return NULL;
}

/* One row in the view's columns; a string comes in the width its column names, whichever the row holds (F5). A
 * missing column is PT_ERROR with MAPI_E_NOT_FOUND, as MAPI tables do. */
static HRESULT project_row(const struct table_view *view, const struct table_row *row, SRow *out)
{
    SPropValue *values;
    HRESULT hr;

    if ((hr = props_select(row->count, row->props, view->column_count, view->columns, &values, NULL)) != S_OK)
        return hr;
    out->ulAdrEntryPad = 0;
    out->cValues = view->column_count;
    out->lpProps = values;
    return S_OK;
}

static inline struct table_view *impl_from_IMAPITable(IMAPITable *iface)
{
    return CONTAINING_RECORD(iface, struct table_view, IMAPITable_iface);
}

static HRESULT WINAPI table_QueryInterface(IMAPITable *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPITable, NULL };

    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI table_AddRef(IMAPITable *iface)
{
    return InterlockedIncrement(&impl_from_IMAPITable(iface)->refcount);
}

static ULONG WINAPI table_Release(IMAPITable *iface)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    ULONG refcount = InterlockedDecrement(&view->refcount);
    struct list *cursor, *next;

    if (refcount) return refcount;
    AcquireSRWLockExclusive(&view->data->lock);
    list_remove(&view->entry);
    ReleaseSRWLockExclusive(&view->data->lock);
    LIST_FOR_EACH_SAFE(cursor, next, &view->sinks) {
        struct sink *sink = LIST_ENTRY(cursor, struct sink, entry);
        IMAPIAdviseSink_Release(sink->sink);
        free(sink);
    }
    if (view->restriction) {
        free_members(view->restriction);
        free(view->restriction);
    }
    tabledata_release(view->data);
    free(view->columns);
    free(view);
    return 0;
}

static HRESULT WINAPI table_GetLastError(IMAPITable *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    if (error) *error = NULL;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI table_Advise(IMAPITable *iface, ULONG mask, IMAPIAdviseSink *advise_sink,
                                   ULONG_PTR *connection)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    struct sink *sink;

    if (!advise_sink || !connection) return MAPI_E_INVALID_PARAMETER;
    *connection = 0;
    if (!(mask & fnevTableModified)) return MAPI_E_NO_SUPPORT;
    if (!(sink = malloc(sizeof(*sink)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    IMAPIAdviseSink_AddRef(advise_sink);
    sink->sink = advise_sink;
    AcquireSRWLockExclusive(&view->data->lock);
    sink->connection = ++view->next_connection;
    list_add_tail(&view->sinks, &sink->entry);
    ReleaseSRWLockExclusive(&view->data->lock);
    *connection = sink->connection;
    return S_OK;
}

static HRESULT WINAPI table_Unadvise(IMAPITable *iface, ULONG_PTR connection)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    struct sink *found = NULL;
    struct list *cursor;

    AcquireSRWLockExclusive(&view->data->lock);
    LIST_FOR_EACH(cursor, &view->sinks) {
        struct sink *sink = LIST_ENTRY(cursor, struct sink, entry);
        if (sink->connection != connection) continue;
        list_remove(cursor);
        found = sink;
        break;
    }
    ReleaseSRWLockExclusive(&view->data->lock);
    if (!found) return MAPI_E_NOT_FOUND;
    IMAPIAdviseSink_Release(found->sink);
    free(found);
    return S_OK;
}

static HRESULT WINAPI table_GetStatus(IMAPITable *iface, ULONG *status, ULONG *type)
{
    if (!status || !type) return MAPI_E_INVALID_PARAMETER;
    *status = TBLSTAT_COMPLETE;
    *type = TBLTYPE_DYNAMIC;
    return S_OK;
}

static HRESULT WINAPI table_SetColumns(IMAPITable *iface, SPropTagArray *tags, ULONG flags)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    ULONG *columns;

    if (!tags || !tags->cValues) return MAPI_E_INVALID_PARAMETER;
    if (!(columns = malloc(tags->cValues * sizeof(*columns)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(columns, tags->aulPropTag, tags->cValues * sizeof(*columns));
    AcquireSRWLockExclusive(&view->data->lock);
    free(view->columns);
    view->columns = columns;
    view->column_count = tags->cValues;
    ReleaseSRWLockExclusive(&view->data->lock);
    return S_OK;
}

static HRESULT WINAPI table_QueryColumns(IMAPITable *iface, ULONG flags, SPropTagArray **tags)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    const ULONG *columns;
    ULONG count;
    HRESULT hr;

    if (!tags) return MAPI_E_INVALID_PARAMETER;
    *tags = NULL;
    if (flags & ~TBL_ALL_COLUMNS) return MAPI_E_UNKNOWN_FLAGS;
    AcquireSRWLockShared(&view->data->lock);
    columns = flags & TBL_ALL_COLUMNS ? view->data->columns : view->columns;
    count = flags & TBL_ALL_COLUMNS ? view->data->column_count : view->column_count;
    if (!(hr = MAPIAllocateBuffer(offsetof(SPropTagArray, aulPropTag) + (count + 1) * sizeof(ULONG), (void **)tags))) {
        (*tags)->cValues = count;
        memcpy((*tags)->aulPropTag, columns, count * sizeof(ULONG));
    }
    ReleaseSRWLockShared(&view->data->lock);
    return hr;
}

static HRESULT WINAPI table_GetRowCount(IMAPITable *iface, ULONG flags, ULONG *count)
{
    struct table_view *view = impl_from_IMAPITable(iface);

    if (!count) return MAPI_E_INVALID_PARAMETER;
    AcquireSRWLockShared(&view->data->lock);
    *count = visible_count(view);
    ReleaseSRWLockShared(&view->data->lock);
    return S_OK;
}

/* The index a bookmark names, under data->lock. */
static LONG bookmark_index(const struct table_view *view, BOOKMARK origin, LONG rows)
{
    if (origin == BOOKMARK_BEGINNING) return 0;
    if (origin == BOOKMARK_END) return rows;
    return (LONG)min(view->position, (ULONG)rows);
}

/* Moves the cursor by count rows from origin, clamped to the table; returns how far it moved. */
static LONG seek(struct table_view *view, BOOKMARK origin, LONG count)
{
    LONG rows = visible_count(view), start = bookmark_index(view, origin, rows), target;

    target = start + count;
    if (target < 0) target = 0;
    if (target > rows) target = rows;
    view->position = target;
    return target - start;
}

static HRESULT WINAPI table_SeekRow(IMAPITable *iface, BOOKMARK origin, LONG count, LONG *sought)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    LONG moved;

    if (origin > BOOKMARK_END) return MAPI_E_INVALID_BOOKMARK;
    AcquireSRWLockExclusive(&view->data->lock);
    moved = seek(view, origin, count);
    ReleaseSRWLockExclusive(&view->data->lock);
    if (sought) *sought = moved;
    return S_OK;
}

static HRESULT WINAPI table_SeekRowApprox(IMAPITable *iface, ULONG numerator, ULONG denominator)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI table_QueryPosition(IMAPITable *iface, ULONG *row, ULONG *numerator, ULONG *denominator)
{
    struct table_view *view = impl_from_IMAPITable(iface);

    if (!row || !numerator || !denominator) return MAPI_E_INVALID_PARAMETER;
    AcquireSRWLockShared(&view->data->lock);
    *denominator = visible_count(view);
    *row = *numerator = min(view->position, *denominator);
    ReleaseSRWLockShared(&view->data->lock);
    return S_OK;
}

static HRESULT WINAPI table_FindRow(IMAPITable *iface, SRestriction *res, BOOKMARK origin, ULONG flags)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    SRestriction copy;
    HRESULT hr = MAPI_E_NOT_FOUND;
    LONG index, rows;

    if (!res) return MAPI_E_INVALID_PARAMETER;
    if (origin > BOOKMARK_END) return MAPI_E_INVALID_BOOKMARK;
    if (flags & ~DIR_BACKWARD) return MAPI_E_UNKNOWN_FLAGS;
    if (copy_restriction(res, &copy) != S_OK) {
        free_members(&copy);
        return MAPI_E_TOO_COMPLEX;
    }
    AcquireSRWLockExclusive(&view->data->lock);
    rows = visible_count(view);
    index = bookmark_index(view, origin, rows);
    if (flags & DIR_BACKWARD) index--;
    for (; index >= 0 && index < rows; index += flags & DIR_BACKWARD ? -1 : 1)
        if (matches(&copy, visible_row(view, index))) {
            view->position = index;
            hr = S_OK;
            break;
        }
    ReleaseSRWLockExclusive(&view->data->lock);
    free_members(&copy);
    return hr;
}

static HRESULT WINAPI table_Restrict(IMAPITable *iface, SRestriction *res, ULONG flags)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    SRestriction *copy = NULL, *old;
    HRESULT hr;

    if (res) {
        if (!(copy = malloc(sizeof(*copy)))) return MAPI_E_NOT_ENOUGH_MEMORY;
        if ((hr = copy_restriction(res, copy)) != S_OK) {
            free_members(copy);
            free(copy);
            return hr;
        }
    }
    AcquireSRWLockExclusive(&view->data->lock);
    old = view->restriction;
    view->restriction = copy;
    view->position = 0;
    ReleaseSRWLockExclusive(&view->data->lock);
    if (old) {
        free_members(old);
        free(old);
    }
    return S_OK;
}

static HRESULT WINAPI table_CreateBookmark(IMAPITable *iface, BOOKMARK *position)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI table_FreeBookmark(IMAPITable *iface, BOOKMARK position)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI table_SortTable(IMAPITable *iface, SSortOrderSet *criteria, ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI table_QuerySortOrder(IMAPITable *iface, SSortOrderSet **criteria)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI table_QueryRows(IMAPITable *iface, LONG count, ULONG flags, SRowSet **rows)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    ULONG first, wanted, i, saved;
    SRowSet *set;
    HRESULT hr;

    if (!rows) return MAPI_E_INVALID_PARAMETER;
    *rows = NULL;
    if (flags & ~TBL_NOADVANCE) return MAPI_E_UNKNOWN_FLAGS;
    AcquireSRWLockExclusive(&view->data->lock);
    saved = view->position;
    if (count < 0) seek(view, BOOKMARK_CURRENT, count); /* backwards: the rows before the cursor, in order */
    first = min(view->position, visible_count(view));
    wanted = min(count < 0 ? saved - view->position : (ULONG)count, visible_count(view) - first);
    if (!(hr = MAPIAllocateBuffer(offsetof(SRowSet, aRow) + (wanted + 1) * sizeof(SRow), (void **)&set))) {
        set->cRows = 0;
        for (i = 0; i < wanted && !hr; i++)
            if (!(hr = project_row(view, visible_row(view, first + i), &set->aRow[i]))) set->cRows++;
        if (hr) {
            for (i = 0; i < set->cRows; i++) MAPIFreeBuffer(set->aRow[i].lpProps);
            MAPIFreeBuffer(set);
        } else *rows = set;
    }
    if (hr || (flags & TBL_NOADVANCE)) view->position = saved;
    else if (count >= 0) view->position = first + wanted;
    ReleaseSRWLockExclusive(&view->data->lock);
    return hr;
}

static HRESULT WINAPI table_Abort(IMAPITable *iface)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI table_ExpandRow(IMAPITable *iface, ULONG key_size, BYTE *key, ULONG count, ULONG flags,
                                      SRowSet **rows, ULONG *more)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI table_CollapseRow(IMAPITable *iface, ULONG key_size, BYTE *key, ULONG flags, ULONG *count)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI table_WaitForCompletion(IMAPITable *iface, ULONG flags, ULONG timeout, ULONG *status)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI table_GetCollapseState(IMAPITable *iface, ULONG flags, ULONG key_size, BYTE *key,
                                             ULONG *state_size, BYTE **state)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI table_SetCollapseState(IMAPITable *iface, ULONG flags, ULONG state_size, BYTE *state,
                                             BOOKMARK *location)
{
    return MAPI_E_NO_SUPPORT;
}

static const IMAPITableVtbl table_vtbl = {
    table_QueryInterface,
    table_AddRef,
    table_Release,
    table_GetLastError,
    table_Advise,
    table_Unadvise,
    table_GetStatus,
    table_SetColumns,
    table_QueryColumns,
    table_GetRowCount,
    table_SeekRow,
    table_SeekRowApprox,
    table_QueryPosition,
    table_FindRow,
    table_Restrict,
    table_CreateBookmark,
    table_FreeBookmark,
    table_SortTable,
    table_QuerySortOrder,
    table_QueryRows,
    table_Abort,
    table_ExpandRow,
    table_CollapseRow,
    table_WaitForCompletion,
    table_GetCollapseState,
    table_SetCollapseState,
};

struct table_data *tabledata_create(ULONG column_count, const ULONG *columns)
{
    struct table_data *data = calloc(1, sizeof(*data));

    if (!data || !(data->columns = malloc((column_count ? column_count : 1) * sizeof(ULONG)))) {
        free(data);
        return NULL;
    }
    memcpy(data->columns, columns, column_count * sizeof(ULONG));
    data->column_count = column_count;
    data->refcount = 1;
    InitializeSRWLock(&data->lock);
    list_init(&data->views);
    return data;
}

void tabledata_addref(struct table_data *data)
{
    InterlockedIncrement(&data->refcount);
}

void tabledata_release(struct table_data *data)
{
    ULONG i;

    if (InterlockedDecrement(&data->refcount)) return;
    for (i = 0; i < data->row_count; i++) MAPIFreeBuffer(data->rows[i].props);
    free(data->rows);
    free(data->columns);
    free(data);
}

/* Tells every view's sinks that the rows changed. Sinks are called outside the lock, each held by a reference. */
static void notify_changed(struct table_data *data)
{
    IMAPIAdviseSink **sinks = NULL;
    ULONG count = 0, i;
    struct list *view_cursor, *sink_cursor;
    NOTIFICATION notification;

    AcquireSRWLockShared(&data->lock);
    LIST_FOR_EACH(view_cursor, &data->views) {
        struct table_view *view = LIST_ENTRY(view_cursor, struct table_view, entry);
        LIST_FOR_EACH(sink_cursor, &view->sinks) {
            IMAPIAdviseSink **grown = realloc(sinks, (count + 1) * sizeof(*sinks));
            if (!grown) break;
            sinks = grown;
            sinks[count] = LIST_ENTRY(sink_cursor, struct sink, entry)->sink;
            IMAPIAdviseSink_AddRef(sinks[count]);
            count++;
        }
    }
    ReleaseSRWLockShared(&data->lock);

    memset(&notification, 0, sizeof(notification));
    notification.ulEventType = fnevTableModified;
    notification.info.tab.ulTableEvent = TABLE_CHANGED;
    notification.info.tab.propIndex.ulPropTag = PR_NULL;
    notification.info.tab.propPrior.ulPropTag = PR_NULL;
    for (i = 0; i < count; i++) {
        IMAPIAdviseSink_OnNotify(sinks[i], 1, &notification);
        IMAPIAdviseSink_Release(sinks[i]);
    }
    free(sinks);
}

static struct table_row *find_row(struct table_data *data, ULONG rowid)
{
    ULONG i;

    for (i = 0; i < data->row_count; i++)
        if (data->rows[i].rowid == rowid) return &data->rows[i];
    return NULL;
}

HRESULT tabledata_set_row(struct table_data *data, ULONG count, const SPropValue *values)
{
    const SPropValue *rowid = props_find(count, values, PR_ROWID);
    struct table_row *row, *grown;
    SPropValue *props;
    HRESULT hr;

    if (!rowid) return MAPI_E_INVALID_PARAMETER;
    if ((hr = props_copy(count, values, &props)) != S_OK) return hr;
    AcquireSRWLockExclusive(&data->lock);
    if ((row = find_row(data, rowid->Value.ul))) MAPIFreeBuffer(row->props);
    else if ((grown = realloc(data->rows, (data->row_count + 1) * sizeof(*grown)))) {
        data->rows = grown;
        row = &data->rows[data->row_count++];
        row->rowid = rowid->Value.ul;
    }
    if (row) {
        row->count = count;
        row->props = props;
    }
    ReleaseSRWLockExclusive(&data->lock);
    if (!row) {
        MAPIFreeBuffer(props);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    notify_changed(data);
    return S_OK;
}

HRESULT tabledata_delete_row(struct table_data *data, ULONG rowid)
{
    struct table_row *row;

    AcquireSRWLockExclusive(&data->lock);
    if (!(row = find_row(data, rowid))) {
        ReleaseSRWLockExclusive(&data->lock);
        return MAPI_E_NOT_FOUND;
    }
    MAPIFreeBuffer(row->props);
    memmove(row, row + 1, (data->rows + data->row_count - (row + 1)) * sizeof(*row));
    data->row_count--;
    ReleaseSRWLockExclusive(&data->lock);
    notify_changed(data);
    return S_OK;
}

ULONG tabledata_row_count(struct table_data *data)
{
    ULONG count;

    AcquireSRWLockShared(&data->lock);
    count = data->row_count;
    ReleaseSRWLockShared(&data->lock);
    return count;
}

HRESULT tabledata_open_view(struct table_data *data, IMAPITable **table)
{
    struct table_view *view;

    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (!(view = calloc(1, sizeof(*view)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(view->columns = malloc((data->column_count ? data->column_count : 1) * sizeof(ULONG)))) {
        free(view);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    view->IMAPITable_iface.lpVtbl = &table_vtbl;
    view->refcount = 1;
    memcpy(view->columns, data->columns, data->column_count * sizeof(ULONG));
    view->column_count = data->column_count;
    list_init(&view->sinks);
    tabledata_addref(data);
    view->data = data;
    AcquireSRWLockExclusive(&data->lock);
    list_add_tail(&data->views, &view->entry);
    ReleaseSRWLockExclusive(&data->lock);
    *table = &view->IMAPITable_iface;
    return S_OK;
}
