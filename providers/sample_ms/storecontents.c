/*
 * A folder's contents table, read from the database as the client asks for rows: opening it costs nothing, sorting
 * by a column the database has (the delivery, submission and modification times, the subject and the other columns
 * it keeps) is an ORDER BY, which the (folder, associated, delivered) and (folder, associated, modified) indexes
 * answer without a sort, and reading on from where the last QueryRows stopped continues after that row's sort key
 * rather than counting rows again. So the first rows of a folder of 100,000 messages come as fast as those of a
 * folder of 1,000, and scrolling holds no more memory than the rows handed out.
 *
 * One restriction the database answers too: equality on PR_SEARCH_KEY or PR_INTERNET_MESSAGE_ID, which the
 * spooler asks of a receive folder for each message it delivers (is it there already?), answered by an index.
 *
 * What a database query does not give as MAPI's tables do (other restrictions, FindRow, bookmarks, categories, a sort
 * on a column it does not have, notifications) makes the table load its rows into MAPI's own table data once and pass
 * every call on to a view over it (materialize): from then on it is the same table as the store's other tables,
 * columns, sort order and position carried over, and it follows the store's changes (storetables.c).
 *
 * The rows are the database's when read: a table that has not materialized is no snapshot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3.h"
#include "storetables.h"

#define MAX_KEYS 8

struct contents {
    IMAPITable IMAPITable_iface;
    LONG refcount;
    struct store_table table; /* its view and data once materialized */
    SPropTagArray *columns;   /* SetColumns', or NULL for the default */
    SSortOrderSet *sort;      /* SortTable's, or NULL for creation order */
    char keys[MAX_KEYS][64];  /* the sort's SQL expressions, the row ID last */
    ULONG key_count;
    BOOL descending; /* every key's direction, when they share one; mixed: seeking by key is off */
    BOOL one_direction;
    ULONG position;                /* the cursor: rows before it */
    ULONG next;                    /* where the last forward read ended, and after which keys */
    sqlite3_value *last[MAX_KEYS]; /* the sort keys of the row before next, or NULL */
    SPropValue *filter;            /* Restrict's equality the database answers (one block), or NULL */
};

static inline struct contents *impl_from_IMAPITable(IMAPITable *iface)
{
    return CONTAINING_RECORD(iface, struct contents, IMAPITable_iface);
}

/* ---- sorting in SQL ---- */

/* The message columns a sort can use, by property ID: the expression and the property type it sorts. */
static const struct sortable {
    ULONG id, type;
    const char *expression;
} sortable[] = {
    { PROP_ID(PR_MESSAGE_DELIVERY_TIME), PT_SYSTIME, "delivered" },
    { PROP_ID(PR_CLIENT_SUBMIT_TIME), PT_SYSTIME, "ifnull(submitted, 0)" },
    { PROP_ID(PR_LAST_MODIFICATION_TIME), PT_SYSTIME, "modified" },
    { PROP_ID(PR_MESSAGE_SIZE), PT_LONG, "size" },
    { PROP_ID(PR_MESSAGE_FLAGS), PT_LONG, "flags" },
    { PROP_ID(PR_IMPORTANCE), PT_LONG, "importance" },
    { PROP_ID(PR_PRIORITY), PT_LONG, "priority" },
    { PROP_ID(PR_MSG_STATUS), PT_LONG, "status" },
    { PROP_ID(PR_HASATTACH), PT_BOOLEAN, "hasattach" },
    { PROP_ID(PR_SUBJECT_W), PT_UNICODE, "ifnull(subject, '') COLLATE NOCASE" },
    { PROP_ID(PR_MESSAGE_CLASS_W), PT_UNICODE, "ifnull(class, '') COLLATE NOCASE" },
    { PROP_ID(PR_SENDER_NAME_W), PT_UNICODE, "ifnull(sender, '') COLLATE NOCASE" },
    { PROP_ID(PR_DISPLAY_TO_W), PT_UNICODE, "ifnull(display_to, '') COLLATE NOCASE" },
};

static const char *sort_expression(ULONG tag)
{
    ULONG type = PROP_TYPE(tag), i;

    for (i = 0; i < ARRAYSIZE(sortable); i++)
        if (sortable[i].id == PROP_ID(tag)
            && (type == sortable[i].type || (sortable[i].type == PT_UNICODE && type == PT_STRING8)))
            return sortable[i].expression;
    return NULL;
}

/* The keys of a sort the database can do, or FALSE (categories, a column it lacks, too many keys). */
static BOOL sql_keys(struct contents *contents, const SSortOrderSet *sort)
{
    const char *expression;
    ULONG i;

    contents->key_count = 0;
    contents->one_direction = TRUE;
    contents->descending = FALSE;
    if (sort && (sort->cCategories || sort->cSorts >= MAX_KEYS)) return FALSE;
    for (i = 0; sort && i < sort->cSorts; i++) {
        if (!(expression = sort_expression(sort->aSort[i].ulPropTag))
            || (sort->aSort[i].ulOrder != TABLE_SORT_ASCEND && sort->aSort[i].ulOrder != TABLE_SORT_DESCEND))
            return FALSE;
        if (i && (sort->aSort[i].ulOrder == TABLE_SORT_DESCEND) != contents->descending)
            contents->one_direction = FALSE;
        contents->descending = sort->aSort[i].ulOrder == TABLE_SORT_DESCEND;
        snprintf(contents->keys[contents->key_count++], sizeof(contents->keys[0]), "%s", expression);
    }
    if (sort && sort->cSorts) contents->descending = sort->aSort[0].ulOrder == TABLE_SORT_DESCEND;
    /* The row ID last, in the direction of the keys, so the index is read in one direction. */
    snprintf(contents->keys[contents->key_count++], sizeof(contents->keys[0]), "id");
    return TRUE;
}

static void forget_last(struct contents *contents)
{
    ULONG i;

    for (i = 0; i < MAX_KEYS; i++) {
        sqlite3_value_free(contents->last[i]);
        contents->last[i] = NULL;
    }
    contents->next = (ULONG)-1;
}

/* The column and the SQL condition for an equality on a message key, or NULL. */
static const char *filter_condition(ULONG tag)
{
    if (tag == PR_SEARCH_KEY) return " AND search_key = ?20";
    if (tag == PR_INTERNET_MESSAGE_ID_W || tag == PR_INTERNET_MESSAGE_ID_A) return " AND message_id = ?20";
    return NULL;
}

static void bind_filter(sqlite3_stmt *statement, const SPropValue *filter)
{
    if (!filter) return;
    if (filter->ulPropTag == PR_SEARCH_KEY)
        sqlite3_bind_blob(statement, 20, filter->Value.bin.lpb, filter->Value.bin.cb, SQLITE_STATIC);
    else if (filter->ulPropTag == PR_INTERNET_MESSAGE_ID_W)
        sqlite3_bind_text16(statement, 20, filter->Value.lpszW, -1, SQLITE_STATIC);
    else
        sqlite3_bind_text(statement, 20, filter->Value.lpszA, -1, SQLITE_STATIC);
}

/* The query for count rows from the cursor: after the last row's keys when reading on, else from an offset. */
static sqlite3_stmt *rows_query(struct contents *contents, ULONG count, ULONG offset, HRESULT *hr)
{
    struct store *store = contents->table.object.store;
    BOOL seek = offset && offset == contents->next && contents->one_direction && contents->last[0];
    char sql[2048], *end = sql;
    sqlite3_stmt *statement;
    ULONG i, k;
    int result;

    end += sprintf(end, "SELECT " MESSAGE_COLUMNS);
    for (k = 0; k < contents->key_count; k++) end += sprintf(end, ", %s", contents->keys[k]);
    end += sprintf(end, " FROM messages WHERE folder = ?1 AND associated = ?2");
    if (contents->filter) end += sprintf(end, "%s", filter_condition(contents->filter->ulPropTag));
    if (seek) {
        end += sprintf(end, " AND (");
        for (k = 0; k < contents->key_count; k++) end += sprintf(end, "%s%s", k ? ", " : "", contents->keys[k]);
        end += sprintf(end, ") %s (", contents->descending ? "<" : ">");
        for (k = 0; k < contents->key_count; k++) end += sprintf(end, "%s?%lu", k ? ", " : "", k + 5);
        end += sprintf(end, ")");
    }
    end += sprintf(end, " ORDER BY ");
    for (k = 0; k < contents->key_count; k++) {
        BOOL descending = k + 1 == contents->key_count ? contents->descending
                                                       : contents->sort->aSort[k].ulOrder == TABLE_SORT_DESCEND;
        end += sprintf(end, "%s%s%s", k ? ", " : "", contents->keys[k], descending ? " DESC" : "");
    }
    sprintf(end, " LIMIT ?3 OFFSET ?4");
    if ((result = sqlite3_prepare_v2(store->db.db, sql, -1, &statement, NULL)) != SQLITE_OK) {
        *hr = storedb_error(&store->db, result, "reading a contents table");
        return NULL;
    }
    sqlite3_bind_int64(statement, 1, contents->table.folder);
    sqlite3_bind_int(statement, 2, !!(contents->table.flags & MAPI_ASSOCIATED));
    sqlite3_bind_int64(statement, 3, count);
    sqlite3_bind_int64(statement, 4, seek ? 0 : offset);
    for (i = 0; seek && i < contents->key_count; i++) sqlite3_bind_value(statement, i + 5, contents->last[i]);
    bind_filter(statement, contents->filter);
    *hr = S_OK;
    return statement;
}

static LONGLONG row_count(struct contents *contents)
{
    struct store *store = contents->table.object.store;
    sqlite3_stmt *statement;
    LONGLONG count = 0;
    char sql[200];
    HRESULT hr;

    snprintf(sql, sizeof(sql), "SELECT count(*) FROM messages WHERE folder = ?1 AND associated = ?2%s",
             contents->filter ? filter_condition(contents->filter->ulPropTag) : "");
    EnterCriticalSection(store->db.lock);
    if ((statement = storedb_prepare(&store->db, &hr, sql, "il", contents->table.folder,
                                     (ULONG) !!(contents->table.flags & MAPI_ASSOCIATED)))) {
        bind_filter(statement, contents->filter);
        if (sqlite3_step(statement) == SQLITE_ROW) count = sqlite3_column_int64(statement, 0);
        sqlite3_finalize(statement);
    }
    LeaveCriticalSection(store->db.lock);
    return count;
}

/* One row in the table's columns, in one buffer the client frees. */
static HRESULT project(struct contents *contents, const struct row *row, SRow *out)
{
    const SPropTagArray *columns = contents->columns;
    ULONG count = columns ? columns->cValues : contents_column_count, i, j, tag;
    SPropValue *values;
    HRESULT hr = S_OK;

    out->ulAdrEntryPad = 0;
    out->cValues = count;
    if (sample_allocate_buffer(count * sizeof(*values), (void **)&values)) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; hr == S_OK && i < count; i++) {
        tag = columns ? columns->aulPropTag[i] : contents_columns[i];
        if (!columns && !row->unicode && PROP_TYPE(tag) == PT_UNICODE) tag = CHANGE_PROP_TYPE(tag, PT_STRING8);
        for (j = 0; j < row->count; j++)
            if (PROP_ID(row->values[j].ulPropTag) == PROP_ID(tag)
                && (PROP_TYPE(tag) == PT_UNSPECIFIED || PROP_TYPE(tag) == PROP_TYPE(row->values[j].ulPropTag)))
                break;
        if (j < row->count)
            hr = store_mapi.prop_copy_more(&values[i], (SPropValue *)&row->values[j], sample_allocate_more, values);
        else {
            values[i].ulPropTag = CHANGE_PROP_TYPE(tag, PT_ERROR);
            values[i].Value.err = MAPI_E_NOT_FOUND;
        }
    }
    if (hr != S_OK) {
        sample_free_buffer(values);
        return hr;
    }
    out->lpProps = values;
    return S_OK;
}

static HRESULT read_rows(struct contents *contents, ULONG start, ULONG count, SRowSet **out)
{
    struct store *store = contents->table.object.store;
    sqlite3_stmt *statement;
    struct row *row;
    SRowSet *rows;
    HRESULT hr;
    ULONG k;

    if (!(row = calloc(1, sizeof(*row)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    row->unicode = !!(contents->table.flags & MAPI_UNICODE);
    if (sample_allocate_buffer(CbNewSRowSet(count ? count : 1), (void **)&rows)) {
        free(row);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    rows->cRows = 0;
    EnterCriticalSection(store->db.lock);
    if ((statement = rows_query(contents, count, start, &hr))) {
        while (hr == S_OK && rows->cRows < count && sqlite3_step(statement) == SQLITE_ROW) {
            message_row(store, statement, row);
            if ((hr = project(contents, row, &rows->aRow[rows->cRows])) == S_OK) rows->cRows++;
        }
        /* The keys of the last row read: the next read goes on after them. */
        if (hr == S_OK && rows->cRows) {
            forget_last(contents);
            for (k = 0; k < contents->key_count; k++)
                contents->last[k] = sqlite3_value_dup(sqlite3_column_value(statement, MESSAGE_COLUMN_COUNT + k));
            contents->next = start + rows->cRows;
        }
        sqlite3_finalize(statement);
    }
    LeaveCriticalSection(store->db.lock);
    free(row);
    if (hr != S_OK) {
        while (rows->cRows) sample_free_buffer(rows->aRow[--rows->cRows].lpProps);
        sample_free_buffer(rows);
        return hr;
    }
    *out = rows;
    return S_OK;
}

/* ---- MAPI's table data, once the database cannot serve ---- */

static HRESULT materialize(struct contents *contents)
{
    struct store *store = contents->table.object.store;
    ITableData *data;
    IMAPITable *view;
    struct row *row;
    HRESULT hr;

    if (contents->table.view) return S_OK;
    if (!(row = calloc(1, sizeof(*row)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    row->unicode = !!(contents->table.flags & MAPI_UNICODE);
    if (FAILED(hr = new_data(contents_column_count, contents_columns, row->unicode, &data))) {
        free(row);
        return hr;
    }
    EnterCriticalSection(store->db.lock);
    hr = fill_contents(store, data, row, contents->table.folder, contents->table.flags);
    LeaveCriticalSection(store->db.lock);
    free(row);
    if (SUCCEEDED(hr)) hr = ITableData_HrGetView(data, contents->sort, NULL, 0, &view);
    if (FAILED(hr)) {
        ITableData_Release(data);
        return hr;
    }
    if (contents->columns) IMAPITable_SetColumns(view, contents->columns, 0);
    if (contents->filter) {
        SRestriction equal = { .rt = RES_PROPERTY };

        equal.res.resProperty.relop = RELOP_EQ;
        equal.res.resProperty.ulPropTag = contents->filter->ulPropTag;
        equal.res.resProperty.lpProp = contents->filter;
        IMAPITable_Restrict(view, &equal, 0);
    }
    IMAPITable_SeekRow(view, BOOKMARK_BEGINNING, contents->position, NULL);
    contents->table.data = data;
    contents->table.view = view;
    forget_last(contents);
    return S_OK;
}

/* The view every call goes to, made now if need be: NULL with *hr set when it cannot be. */
static IMAPITable *view_of(struct contents *contents, HRESULT *hr)
{
    if (contents->table.object.closed) {
        *hr = MAPI_E_INVALID_OBJECT;
        return NULL;
    }
    *hr = materialize(contents);
    return contents->table.view;
}

/* ---- IMAPITable ---- */

static HRESULT WINAPI contents_QueryInterface(IMAPITable *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPITable, NULL };

    return sample_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI contents_AddRef(IMAPITable *iface)
{
    return InterlockedIncrement(&impl_from_IMAPITable(iface)->refcount);
}

static ULONG WINAPI contents_Release(IMAPITable *iface)
{
    struct contents *contents = impl_from_IMAPITable(iface);
    ULONG refcount = InterlockedDecrement(&contents->refcount);

    if (refcount) return refcount;
    if (contents->table.view) IMAPITable_Release(contents->table.view);
    if (contents->table.data) ITableData_Release(contents->table.data);
    forget_last(contents);
    sample_free_buffer(contents->filter);
    free(contents->columns);
    free(contents->sort);
    store_object_remove(&contents->table.object);
    free(contents);
    return 0;
}

static HRESULT WINAPI contents_GetLastError(IMAPITable *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI contents_Advise(IMAPITable *iface, ULONG mask, IMAPIAdviseSink *sink, ULONG_PTR *connection)
{
    HRESULT hr;
    IMAPITable *view = view_of(impl_from_IMAPITable(iface), &hr);

    return view ? IMAPITable_Advise(view, mask, sink, connection) : hr;
}

static HRESULT WINAPI contents_Unadvise(IMAPITable *iface, ULONG_PTR connection)
{
    struct contents *contents = impl_from_IMAPITable(iface);

    if (!contents->table.view) return MAPI_E_NOT_FOUND; /* no Advise came */
    return IMAPITable_Unadvise(contents->table.view, connection);
}

static HRESULT WINAPI contents_GetStatus(IMAPITable *iface, ULONG *status, ULONG *type)
{
    struct contents *contents = impl_from_IMAPITable(iface);

    if (contents->table.view) return IMAPITable_GetStatus(contents->table.view, status, type);
    if (!status || !type) return MAPI_E_INVALID_PARAMETER;
    *status = TBLSTAT_COMPLETE;
    *type = TBLTYPE_DYNAMIC;
    return S_OK;
}

static HRESULT WINAPI contents_SetColumns(IMAPITable *iface, SPropTagArray *tags, ULONG flags)
{
    struct contents *contents = impl_from_IMAPITable(iface);
    SPropTagArray *copy;
    HRESULT hr;
    ULONG i;

    if (!tags || IsBadReadPtr(tags, CbNewSPropTagArray(0)) || !tags->cValues
        || IsBadReadPtr(tags, CbSPropTagArray(tags)))
        return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(TBL_ASYNC | TBL_BATCH)) return MAPI_E_UNKNOWN_FLAGS;
    for (i = 0; i < tags->cValues; i++)
        if ((PROP_TYPE(tags->aulPropTag[i]) & MVI_FLAG) == MVI_FLAG) return MAPI_E_TOO_COMPLEX;
    if (contents->table.view && FAILED(hr = IMAPITable_SetColumns(contents->table.view, tags, flags))) return hr;
    if (!(copy = malloc(CbSPropTagArray(tags)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(copy, tags, CbSPropTagArray(tags));
    free(contents->columns);
    contents->columns = copy;
    return S_OK;
}

static HRESULT WINAPI contents_QueryColumns(IMAPITable *iface, ULONG flags, SPropTagArray **tags)
{
    struct contents *contents = impl_from_IMAPITable(iface);
    const ULONG *list = contents->columns ? contents->columns->aulPropTag : contents_columns;
    ULONG count = contents->columns ? contents->columns->cValues : contents_column_count, i;
    SPropTagArray *result;

    if (contents->table.view) return IMAPITable_QueryColumns(contents->table.view, flags, tags);
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~TBL_ALL_COLUMNS) return MAPI_E_UNKNOWN_FLAGS;
    if (flags & TBL_ALL_COLUMNS) {
        list = contents_columns;
        count = contents_column_count;
    }
    if (sample_allocate_buffer(CbNewSPropTagArray(count), (void **)&result)) return MAPI_E_NOT_ENOUGH_MEMORY;
    result->cValues = count;
    for (i = 0; i < count; i++)
        result->aulPropTag[i] =
            list == contents_columns && !(contents->table.flags & MAPI_UNICODE) && PROP_TYPE(list[i]) == PT_UNICODE
                ? CHANGE_PROP_TYPE(list[i], PT_STRING8)
                : list[i];
    *tags = result;
    return S_OK;
}

static HRESULT WINAPI contents_GetRowCount(IMAPITable *iface, ULONG flags, ULONG *count)
{
    struct contents *contents = impl_from_IMAPITable(iface);

    if (contents->table.view) return IMAPITable_GetRowCount(contents->table.view, flags, count);
    if (!count) return MAPI_E_INVALID_PARAMETER;
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    *count = (ULONG)row_count(contents);
    return S_OK;
}

static HRESULT WINAPI contents_SeekRow(IMAPITable *iface, BOOKMARK origin, LONG count, LONG *sought)
{
    struct contents *contents = impl_from_IMAPITable(iface);
    LONGLONG rows, start, target;

    if (contents->table.view) return IMAPITable_SeekRow(contents->table.view, origin, count, sought);
    if (origin != BOOKMARK_BEGINNING && origin != BOOKMARK_CURRENT && origin != BOOKMARK_END)
        return MAPI_E_INVALID_BOOKMARK; /* no bookmark was made: CreateBookmark materializes */
    rows = row_count(contents);
    start = origin == BOOKMARK_BEGINNING ? 0 : origin == BOOKMARK_END ? rows : min(contents->position, rows);
    target = start + count;
    target = target < 0 ? 0 : target > rows ? rows : target;
    contents->position = (ULONG)target;
    if (sought) *sought = (LONG)(target - start);
    return S_OK;
}

static HRESULT WINAPI contents_SeekRowApprox(IMAPITable *iface, ULONG numerator, ULONG denominator)
{
    struct contents *contents = impl_from_IMAPITable(iface);

    if (contents->table.view) return IMAPITable_SeekRowApprox(contents->table.view, numerator, denominator);
    if (!denominator || numerator > denominator) return MAPI_E_INVALID_PARAMETER;
    contents->position = (ULONG)((ULONGLONG)row_count(contents) * numerator / denominator);
    return S_OK;
}

static HRESULT WINAPI contents_QueryPosition(IMAPITable *iface, ULONG *row, ULONG *numerator, ULONG *denominator)
{
    struct contents *contents = impl_from_IMAPITable(iface);
    LONGLONG rows;

    if (contents->table.view) return IMAPITable_QueryPosition(contents->table.view, row, numerator, denominator);
    if (!row || !numerator || !denominator) return MAPI_E_INVALID_PARAMETER;
    rows = row_count(contents);
    *row = *numerator = (ULONG)min(contents->position, rows);
    *denominator = (ULONG)max(rows, 1);
    return S_OK;
}

static HRESULT WINAPI contents_FindRow(IMAPITable *iface, SRestriction *restriction, BOOKMARK origin, ULONG flags)
{
    HRESULT hr;
    IMAPITable *view = view_of(impl_from_IMAPITable(iface), &hr);

    return view ? IMAPITable_FindRow(view, restriction, origin, flags) : hr;
}

/* An equality on a message key the database has a column for, with a value of the same type. */
static BOOL sql_filter(const SRestriction *restriction)
{
    const SPropValue *value;

    if (IsBadReadPtr(restriction, sizeof(*restriction)) || restriction->rt != RES_PROPERTY
        || restriction->res.resProperty.relop != RELOP_EQ)
        return FALSE;
    value = restriction->res.resProperty.lpProp;
    return !IsBadReadPtr(value, sizeof(*value)) && value->ulPropTag == restriction->res.resProperty.ulPropTag
           && filter_condition(value->ulPropTag)
           && (value->ulPropTag == PR_SEARCH_KEY ? !IsBadReadPtr(value->Value.bin.lpb, value->Value.bin.cb)
                                                 : !IsBadReadPtr(value->Value.lpszA, 1));
}

static HRESULT WINAPI contents_Restrict(IMAPITable *iface, SRestriction *restriction, ULONG flags)
{
    struct contents *contents = impl_from_IMAPITable(iface);
    IMAPITable *view;
    HRESULT hr;

    /* Removing a restriction the database answered (or none) rewinds (U35); so does setting one it answers. */
    if (!contents->table.view && (!restriction || sql_filter(restriction))) {
        SPropValue *filter = NULL;

        if (flags & ~(TBL_ASYNC | TBL_BATCH)) return MAPI_E_UNKNOWN_FLAGS;
        if (restriction) {
            if (sample_allocate_buffer(sizeof(*filter), (void **)&filter)) return MAPI_E_NOT_ENOUGH_MEMORY;
            if (store_mapi.prop_copy_more(filter, restriction->res.resProperty.lpProp, sample_allocate_more, filter)) {
                sample_free_buffer(filter);
                return MAPI_E_NOT_ENOUGH_MEMORY;
            }
        }
        sample_free_buffer(contents->filter);
        contents->filter = filter;
        contents->position = 0;
        forget_last(contents);
        return S_OK;
    }
    view = view_of(contents, &hr);
    return view ? IMAPITable_Restrict(view, restriction, flags) : hr;
}

static HRESULT WINAPI contents_CreateBookmark(IMAPITable *iface, BOOKMARK *position)
{
    HRESULT hr;
    IMAPITable *view = view_of(impl_from_IMAPITable(iface), &hr);

    return view ? IMAPITable_CreateBookmark(view, position) : hr;
}

static HRESULT WINAPI contents_FreeBookmark(IMAPITable *iface, BOOKMARK position)
{
    struct contents *contents = impl_from_IMAPITable(iface);

    if (contents->table.view) return IMAPITable_FreeBookmark(contents->table.view, position);
    return position <= BOOKMARK_END ? S_OK : MAPI_E_INVALID_BOOKMARK;
}

static HRESULT WINAPI contents_SortTable(IMAPITable *iface, SSortOrderSet *sort, ULONG flags)
{
    struct contents *contents = impl_from_IMAPITable(iface);
    SSortOrderSet *copy;
    IMAPITable *view;
    HRESULT hr;

    if (!sort || IsBadReadPtr(sort, CbNewSSortOrderSet(0)) || IsBadReadPtr(sort, CbSSortOrderSet(sort)))
        return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(TBL_ASYNC | TBL_BATCH)) return MAPI_E_UNKNOWN_FLAGS;
    if (!(copy = malloc(CbSSortOrderSet(sort)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(copy, sort, CbSSortOrderSet(sort));
    if (contents->table.view || !sql_keys(contents, sort)) {
        /* MAPI's table sorts what the database cannot, and keeps its own order if it refuses (U37). */
        if (!(view = view_of(contents, &hr)) || FAILED(hr = IMAPITable_SortTable(view, sort, flags))) {
            free(copy);
            sql_keys(contents, contents->sort);
            return hr;
        }
    }
    free(contents->sort);
    contents->sort = copy;
    contents->position = 0;
    forget_last(contents);
    return S_OK;
}

static HRESULT WINAPI contents_QuerySortOrder(IMAPITable *iface, SSortOrderSet **sort)
{
    struct contents *contents = impl_from_IMAPITable(iface);
    ULONG size = contents->sort ? CbSSortOrderSet(contents->sort) : CbNewSSortOrderSet(0);

    if (contents->table.view) return IMAPITable_QuerySortOrder(contents->table.view, sort);
    if (!sort) return MAPI_E_INVALID_PARAMETER;
    if (sample_allocate_buffer(size, (void **)sort)) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (contents->sort)
        memcpy(*sort, contents->sort, size);
    else
        memset(*sort, 0, size);
    return S_OK;
}

static HRESULT WINAPI contents_QueryRows(IMAPITable *iface, LONG count, ULONG flags, SRowSet **rows)
{
    struct contents *contents = impl_from_IMAPITable(iface);
    ULONG start, end;
    HRESULT hr;

    if (contents->table.view) return IMAPITable_QueryRows(contents->table.view, count, flags, rows);
    if (!rows || !count) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~TBL_NOADVANCE) return MAPI_E_UNKNOWN_FLAGS;
    *rows = NULL;
    /* As MAPI's tables (U30): forward from the cursor, or back |count| rows and forward from there. */
    if (count > 0) {
        start = contents->position;
        end = (ULONG)min((ULONGLONG)start + (ULONG)count, 0xFFFFFFFFull);
    } else {
        end = contents->position;
        start = end > (ULONG)-count ? end - (ULONG)-count : 0;
    }
    if (FAILED(hr = read_rows(contents, start, end - start, rows))) return hr;
    contents->position = flags & TBL_NOADVANCE ? start : count > 0 ? start + (*rows)->cRows : contents->position;
    return S_OK;
}

static HRESULT WINAPI contents_Abort(IMAPITable *iface)
{
    struct contents *contents = impl_from_IMAPITable(iface);

    if (contents->table.view) return IMAPITable_Abort(contents->table.view);
    return MAPI_E_UNABLE_TO_ABORT; /* nothing runs asynchronously (U38) */
}

static HRESULT WINAPI contents_ExpandRow(IMAPITable *iface, ULONG key_size, BYTE *key, ULONG count, ULONG flags,
                                         SRowSet **rows, ULONG *more)
{
    HRESULT hr;
    IMAPITable *view = view_of(impl_from_IMAPITable(iface), &hr);

    return view ? IMAPITable_ExpandRow(view, key_size, key, count, flags, rows, more) : hr;
}

static HRESULT WINAPI contents_CollapseRow(IMAPITable *iface, ULONG key_size, BYTE *key, ULONG flags, ULONG *count)
{
    HRESULT hr;
    IMAPITable *view = view_of(impl_from_IMAPITable(iface), &hr);

    return view ? IMAPITable_CollapseRow(view, key_size, key, flags, count) : hr;
}

static HRESULT WINAPI contents_WaitForCompletion(IMAPITable *iface, ULONG flags, ULONG timeout, ULONG *status)
{
    struct contents *contents = impl_from_IMAPITable(iface);

    if (contents->table.view) return IMAPITable_WaitForCompletion(contents->table.view, flags, timeout, status);
    if (status) *status = TBLSTAT_COMPLETE;
    return S_OK;
}

static HRESULT WINAPI contents_GetCollapseState(IMAPITable *iface, ULONG flags, ULONG key_size, BYTE *key,
                                                ULONG *state_size, BYTE **state)
{
    HRESULT hr;
    IMAPITable *view = view_of(impl_from_IMAPITable(iface), &hr);

    return view ? IMAPITable_GetCollapseState(view, flags, key_size, key, state_size, state) : hr;
}

static HRESULT WINAPI contents_SetCollapseState(IMAPITable *iface, ULONG flags, ULONG state_size, BYTE *state,
                                                BOOKMARK *location)
{
    HRESULT hr;
    IMAPITable *view = view_of(impl_from_IMAPITable(iface), &hr);

    return view ? IMAPITable_SetCollapseState(view, flags, state_size, state, location) : hr;
}

static const IMAPITableVtbl contents_vtbl = {
    contents_QueryInterface,   contents_AddRef,           contents_Release,
    contents_GetLastError,     contents_Advise,           contents_Unadvise,
    contents_GetStatus,        contents_SetColumns,       contents_QueryColumns,
    contents_GetRowCount,      contents_SeekRow,          contents_SeekRowApprox,
    contents_QueryPosition,    contents_FindRow,          contents_Restrict,
    contents_CreateBookmark,   contents_FreeBookmark,     contents_SortTable,
    contents_QuerySortOrder,   contents_QueryRows,        contents_Abort,
    contents_ExpandRow,        contents_CollapseRow,      contents_WaitForCompletion,
    contents_GetCollapseState, contents_SetCollapseState,
};

HRESULT contents_table_create(struct store *store, LONGLONG folder, ULONG flags, const SSortOrderSet *sort,
                              IMAPITable **out)
{
    struct contents *contents;
    HRESULT hr;

    if (!(contents = calloc(1, sizeof(*contents)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    contents->IMAPITable_iface.lpVtbl = &contents_vtbl;
    contents->refcount = 1;
    contents->table.kind = TABLE_CONTENTS;
    contents->table.folder = folder;
    contents->table.flags = flags;
    contents->table.outer = &contents->IMAPITable_iface;
    contents->next = (ULONG)-1;
    sql_keys(contents, NULL);
    store_object_add(store, &contents->table.object, close_table);
    /* The folder's saved order, as a client's SortTable would set it. */
    if (sort && sort->cSorts
        && FAILED(hr = contents_SortTable(&contents->IMAPITable_iface, (SSortOrderSet *)sort, 0))) {
        contents_Release(&contents->IMAPITable_iface);
        return hr;
    }
    *out = &contents->IMAPITable_iface;
    return S_OK;
}
