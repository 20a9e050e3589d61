/*
 * Tables (spec U10-U61). A table's rows (struct table_data) are kept in insertion order (U13) and identified by an
 * index column: PR_ROWID for the host's own tables, any single-valued column for CreateTable's (U11). Rows are sparse:
 * a row may carry properties outside the column set, and every property ever stored becomes an available column
 * (U12). Any number of IMAPITable views share the rows, each with its own columns, restriction, sort order, cursor,
 * bookmarks and advise sinks (U22); a view's rows are the ones its restriction lets through, in its sort order (stable,
 * absent values last in both directions, U56), else in insertion order.
 *
 * Implemented: every IMAPITable method but the categorized ones: SortTable with categories gives MAPI_E_TOO_COMPLEX,
 * and ExpandRow, CollapseRow, GetCollapseState and SetCollapseState return MAPI_E_NO_SUPPORT (U23, U40). Multi-valued
 * instance columns (MVI_FLAG) are refused with MAPI_E_TOO_COMPLEX. Everything is synchronous: GetStatus says
 * TBLSTAT_COMPLETE, Abort MAPI_E_UNABLE_TO_ABORT, WaitForCompletion S_OK (U38).
 *
 * Notifications (U57-U60): a change to a row is, for each view, TABLE_ROW_ADDED, _MODIFIED or _DELETED as the row
 * enters, stays in or leaves that view; rows the view does not show notify nothing. They are sent once the change is
 * made, on the thread that made it, outside the table's lock (U61 allows asynchronous delivery; this host delivers at
 * once, in order).
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "hashtable.h"
#include "list.h"
#include "propval.h"
#include "restrict.h"
#include "table.h"
#include "mapihost_val.h"
#include "paramval.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(table);

/* A method's arguments checked as util/paramval.h describes them: a bad one is refused by name (docs/misuse.md). */
#define refuse_bad(method, ...) paramval_refuse_method("IMAPITable", #method, IMAPITable_##method, __VA_ARGS__)

#define NO_INDEX (~0u)
#define MAX_BOOKMARKS 256
#define FIRST_BOOKMARK 3 /* 0, 1 and 2 are BOOKMARK_BEGINNING, _CURRENT and _END */

struct table_row {
    struct hash_link by_key; /* in data->by_key */
    ULONG index;             /* where it is in data->rows */
    ULONG serial;            /* never reused in its table: what bookmarks hold */
    ULONG count;
    SPropValue *props; /* one block from the table's allocators */
};

struct table_data {
    LONG refcount;
    SRWLOCK lock; /* the rows and every view's state */
    ULONG index_tag;
    ULONG type;                   /* TBLTYPE_*, what GetStatus reports */
    struct mapi_allocators alloc; /* what the rows and everything the views return come from */
    struct table_row **rows;      /* insertion order */
    ULONG row_count, row_capacity;
    struct hashtable by_key; /* the rows by their index value: no scan to find one */
    ULONG next_serial;
    ULONG *columns; /* a new view's columns */
    ULONG column_count;
    ULONG *available; /* every column ever stored (U12) */
    ULONG available_count;
    struct list views;
};

struct bookmark {
    BOOKMARK id;
    ULONG serial;   /* the row after the cursor; 0 for the end of the view */
    ULONG position; /* where it was, for a row that left the view */
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
    struct list entry; /* in data->views */
    ULONG *columns;
    ULONG column_count;
    SRestriction *restriction;  /* restriction_copy's block, or NULL */
    SSortOrderSet *sort;        /* malloc'ed, or NULL: insertion order */
    struct table_row **visible; /* the view's rows, in its order */
    ULONG visible_count;
    ULONG position; /* the cursor: before visible[position] */
    struct bookmark *bookmarks;
    ULONG bookmark_count;
    BOOKMARK next_bookmark;
    struct list sinks;
    ULONG_PTR next_connection;
    CALLERRELEASE *release; /* HrGetView's callback (U21), or NULL */
    ULONG_PTR caller_data;
    ITableData *owner;
};

/* Notifications built under the lock and sent after it. */
struct pending {
    struct pending *next;
    IMAPIAdviseSink *sink;      /* a reference */
    NOTIFICATION *notification; /* one MAPI block */
};

/* ---- Rows and views -------------------------------------------------------------------------------------------- */

static const SPropValue *row_key(const struct table_data *data, const struct table_row *row)
{
    return props_find(row->count, row->props, data->index_tag);
}

static ULONG index_in(struct table_row *const *rows, ULONG count, const struct table_row *row)
{
    ULONG i;

    for (i = 0; row && i < count; i++)
        if (rows[i] == row) return i;
    return NO_INDEX;
}

struct sort_item {
    struct table_row *row;
    ULONG order; /* insertion order: ties keep it (U56) */
};

static const SPropValue *sort_value(const struct table_row *row, ULONG tag)
{
    const SPropValue *value = props_find(row->count, row->props, CHANGE_PROP_TYPE(tag, PT_UNSPECIFIED));

    return value && PROP_TYPE(value->ulPropTag) != PT_ERROR ? value : NULL;
}

static int compare_items(const struct sort_item *x, const struct sort_item *y, const SSortOrderSet *sort)
{
    ULONG i;

    for (i = 0; i < sort->cSorts; i++) {
        const SPropValue *p = sort_value(x->row, sort->aSort[i].ulPropTag);
        const SPropValue *q = sort_value(y->row, sort->aSort[i].ulPropTag);
        LONG result;

        if (!p || !q) {
            if (p || q) return p ? -1 : 1; /* absent values last, either way */
            continue;
        }
        if ((result = prop_compare(p, q))) return sort->aSort[i].ulOrder == TABLE_SORT_DESCEND ? -result : result;
    }
    return x->order < y->order ? -1 : x->order > y->order;
}

/* A merge sort of items[0..n) through scratch (n items): qsort's comparator has no context, and a process-wide
 * "current sort order" would serialize every table of every session (no process-wide lock on a hot path). */
static void sort_items(struct sort_item *items, struct sort_item *scratch, ULONG n, const SSortOrderSet *sort)
{
    ULONG half = n / 2, i = 0, j = half, k = 0;

    if (n < 2) return;
    sort_items(items, scratch, half, sort);
    sort_items(items + half, scratch, n - half, sort);
    while (i < half && j < n) scratch[k++] = compare_items(&items[j], &items[i], sort) < 0 ? items[j++] : items[i++];
    while (i < half) scratch[k++] = items[i++];
    memcpy(items, scratch, k * sizeof(*items));
}

/* The view's rows from the data's, through its restriction and sort order. Under the exclusive lock. */
static HRESULT rebuild(struct table_view *view)
{
    struct table_data *data = view->data;
    struct sort_item *items;
    struct table_row **visible;
    ULONG i, n = 0;

    if (!(items = malloc((data->row_count + 1) * sizeof(*items)))
        || !(visible = malloc((data->row_count + 1) * sizeof(*visible)))) {
        free(items);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; i < data->row_count; i++)
        if (restriction_matches(view->restriction, data->rows[i]->count, data->rows[i]->props)) {
            items[n].row = data->rows[i];
            items[n++].order = i;
        }
    if (view->sort && view->sort->cSorts && n > 1) {
        struct sort_item *scratch = malloc(n * sizeof(*scratch));
        if (!scratch) {
            free(items);
            free(visible);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        sort_items(items, scratch, n, view->sort);
        free(scratch);
    }
    for (i = 0; i < n; i++) visible[i] = items[i].row;
    free(items);
    free(view->visible);
    view->visible = visible;
    view->visible_count = n;
    if (view->position > n) view->position = n;
    return S_OK;
}

/* Restrict, SortTable and TABLE_RELOAD: bookmarks go and the cursor rewinds (U35, U37). */
static void reset_cursor(struct table_view *view)
{
    view->bookmark_count = 0;
    view->position = 0;
}

/* The view's columns of row, as a row set entry from the table's allocators. */
static HRESULT project_row(const struct table_view *view, const struct table_row *row, SRow *out)
{
    out->ulAdrEntryPad = 0;
    out->cValues = view->column_count;
    return props_select_with(&view->data->alloc, row->count, row->props, view->column_count, view->columns,
                             &out->lpProps, NULL);
}

/* ---- Notifications --------------------------------------------------------------------------------------------- */

static void queue(struct table_view *view, NOTIFICATION *notification, struct pending **pending)
{
    struct list *cursor;

    LIST_FOR_EACH (cursor, &view->sinks) {
        struct pending *item = malloc(sizeof(*item));
        NOTIFICATION *copy;
        ULONG size = sizeof(*copy);

        if (!item) break;
        /* One block per sink, so each delivery frees its own (U61). */
        if (MAPIAllocateBuffer(size, (void **)&copy)) {
            free(item);
            break;
        }
        *copy = *notification;
        if ((notification->info.tab.propIndex.ulPropTag != PR_NULL
             && prop_copy_into(&notification->info.tab.propIndex, &copy->info.tab.propIndex, copy))
            || (notification->info.tab.propPrior.ulPropTag != PR_NULL
                && prop_copy_into(&notification->info.tab.propPrior, &copy->info.tab.propPrior, copy))
            || (notification->info.tab.row.cValues
                && props_copy(notification->info.tab.row.cValues, notification->info.tab.row.lpProps,
                              &copy->info.tab.row.lpProps))) {
            MAPIFreeBuffer(copy);
            free(item);
            break;
        }
        item->sink = LIST_ENTRY(cursor, struct sink, entry)->sink;
        IMAPIAdviseSink_AddRef(item->sink);
        item->notification = copy;
        item->next = *pending;
        *pending = item;
    }
}

/* The sinks in the order the changes happened (the list was built last first). */
static void deliver(struct pending *pending)
{
    struct pending *reversed = NULL, *next;

    for (; pending; pending = next) {
        next = pending->next;
        pending->next = reversed;
        reversed = pending;
    }
    for (; reversed; reversed = next) {
        next = reversed->next;
        IMAPIAdviseSink_OnNotify(reversed->sink, 1, reversed->notification);
        IMAPIAdviseSink_Release(reversed->sink);
        MAPIFreeBuffer(reversed->notification->info.tab.row.lpProps);
        MAPIFreeBuffer(reversed->notification);
        free(reversed);
    }
}

/* One view's notification about row (U58): the index value, the row before it in the view or PR_NULL, and the
 * view's columns of the row (none for a deleted row). */
static void notify_row(struct table_view *view, ULONG event, const struct table_row *row, const struct table_row *prior,
                       struct pending **pending)
{
    static const SPropValue null_value = { PR_NULL, 0, { .x = 0 } };
    NOTIFICATION notification = { .ulEventType = fnevTableModified };
    const SPropValue *key = row_key(view->data, row), *prior_key = prior ? row_key(view->data, prior) : NULL;
    SRow projected = { 0 };

    notification.info.tab.ulTableEvent = event;
    notification.info.tab.propIndex = key ? *key : null_value;
    notification.info.tab.propPrior = prior_key ? *prior_key : null_value;
    if (event != TABLE_ROW_DELETED && project_row(view, row, &projected) == S_OK) notification.info.tab.row = projected;
    queue(view, &notification, pending);
    view->data->alloc.free(projected.lpProps);
}

static void notify_table(struct table_view *view, ULONG event, struct pending **pending)
{
    NOTIFICATION notification = { .ulEventType = fnevTableModified };

    notification.info.tab.ulTableEvent = event;
    notification.info.tab.propIndex.ulPropTag = PR_NULL;
    notification.info.tab.propPrior.ulPropTag = PR_NULL;
    queue(view, &notification, pending);
}

/* After row changed (or was taken out of data->rows: gone), every view follows with its cursor on the same row, and
 * unless quiet tells its sinks what the change was for it (U59). Under the exclusive lock. */
static void views_follow(struct table_data *data, struct table_row *row, BOOL gone, BOOL quiet,
                         struct pending **pending)
{
    struct list *cursor;

    LIST_FOR_EACH (cursor, &data->views) {
        struct table_view *view = LIST_ENTRY(cursor, struct table_view, entry);
        ULONG before = index_in(view->visible, view->visible_count, row), after, index;
        struct table_row *before_prior = before != NO_INDEX && before ? view->visible[before - 1] : NULL;
        struct table_row *at_cursor = view->position < view->visible_count ? view->visible[view->position] : NULL;

        if (rebuild(view) != S_OK) continue;
        after = gone ? NO_INDEX : index_in(view->visible, view->visible_count, row);
        if (!at_cursor)
            view->position = view->visible_count;
        else if ((index = index_in(view->visible, view->visible_count, at_cursor)) != NO_INDEX)
            view->position = index;
        if (quiet || list_empty(&view->sinks)) continue;
        if (after != NO_INDEX)
            notify_row(view, before == NO_INDEX ? TABLE_ROW_ADDED : TABLE_ROW_MODIFIED, row,
                       after ? view->visible[after - 1] : NULL, pending);
        else if (before != NO_INDEX)
            notify_row(view, TABLE_ROW_DELETED, row, before_prior, pending);
    }
}

/* Every view rebuilt, and told event (TABLE_CHANGED, or TABLE_RELOAD, which also resets cursors and bookmarks). */
static void views_reload(struct table_data *data, ULONG event, struct pending **pending)
{
    struct list *cursor;

    LIST_FOR_EACH (cursor, &data->views) {
        struct table_view *view = LIST_ENTRY(cursor, struct table_view, entry);
        if (event == TABLE_RELOAD) reset_cursor(view);
        rebuild(view);
        notify_table(view, event, pending);
    }
}

/* ---- The data -------------------------------------------------------------------------------------------------- */

static void free_row(struct table_data *data, struct table_row *row)
{
    if (!row) return;
    data->alloc.free(row->props);
    free(row);
}

static struct table_row *find_row(struct table_data *data, const SPropValue *key)
{
    struct hash_link *link;

    HASHTABLE_FOR_EACH (link, &data->by_key, prop_hash(key)) {
        struct table_row *row = LIST_ENTRY(link, struct table_row, by_key);
        if (prop_equal(row_key(data, row), key)) return row;
    }
    return NULL;
}

/* A new row holding a copy of values, its columns made available (U12). Under the exclusive lock. */
static HRESULT new_row(struct table_data *data, ULONG count, const SPropValue *values, struct table_row **out)
{
    struct table_row *row = calloc(1, sizeof(*row));
    ULONG i, j;
    HRESULT hr;

    if (!row) return MAPI_E_NOT_ENOUGH_MEMORY;
    if ((hr = data->alloc.buffer((count ? count : 1) * sizeof(SPropValue), (void **)&row->props)) != S_OK) {
        free(row);
        return hr;
    }
    for (i = 0; i < count; i++)
        if ((hr = prop_copy_into_with(&data->alloc, &values[i], &row->props[i], row->props)) != S_OK) {
            free_row(data, row);
            return hr;
        }
    row->count = count;
    row->serial = ++data->next_serial;
    for (i = 0; i < count; i++) {
        ULONG *grown;
        for (j = 0; j < data->available_count && data->available[j] != values[i].ulPropTag; j++) {}
        if (j < data->available_count || PROP_TYPE(values[i].ulPropTag) == PT_ERROR) continue;
        if (!(grown = realloc(data->available, (data->available_count + 1) * sizeof(*grown)))) break;
        data->available = grown;
        data->available[data->available_count++] = values[i].ulPropTag;
    }
    *out = row;
    return S_OK;
}

/* The rows from first on know where they are again. */
static void renumber(struct table_data *data, ULONG first)
{
    for (; first < data->row_count; first++) data->rows[first]->index = first;
}

/* A new row at index, indexed by its key. Appending (what the host's tables do) moves no other row. */
static BOOL insert_at(struct table_data *data, ULONG index, struct table_row *row)
{
    if (data->row_count == data->row_capacity) {
        ULONG capacity = data->row_capacity ? data->row_capacity * 2 : 16;
        struct table_row **grown = realloc(data->rows, capacity * sizeof(*grown));
        if (!grown) return FALSE;
        data->rows = grown;
        data->row_capacity = capacity;
    }
    if (!hashtable_add(&data->by_key, &row->by_key, prop_hash(row_key(data, row)))) return FALSE;
    memmove(&data->rows[index + 1], &data->rows[index], (data->row_count - index) * sizeof(*data->rows));
    data->rows[index] = row;
    data->row_count++;
    renumber(data, index);
    return TRUE;
}

static void remove_row(struct table_data *data, struct table_row *row)
{
    ULONG index = row->index;

    hashtable_remove(&data->by_key, &row->by_key);
    memmove(&data->rows[index], &data->rows[index + 1], (data->row_count - index - 1) * sizeof(*data->rows));
    data->row_count--;
    renumber(data, index);
}

/* HrModifyRow (U14): the row with the same index value is replaced where it stands, or the row is appended; with
 * position, a new row goes there instead and an existing index value is an error (HrInsertRow, U16). */
static HRESULT put_row(struct table_data *data, const SRow *source, ULONG position, BOOL quiet,
                       struct pending **pending)
{
    const SPropValue *key = source ? props_find(source->cValues, source->lpProps, data->index_tag) : NULL;
    struct table_row *row, *old;
    HRESULT hr;

    if (!key || key->ulPropTag != data->index_tag) return MAPI_E_INVALID_PARAMETER;
    if ((old = find_row(data, key)) && position != NO_INDEX) return MAPI_E_INVALID_PARAMETER;
    if ((hr = new_row(data, source->cValues, source->lpProps, &row)) != S_OK) return hr;
    if (old) {
        /* The same row for the views and their bookmarks: its values change, not its identity. */
        data->alloc.free(old->props);
        old->props = row->props;
        old->count = row->count;
        free(row);
        row = old;
    } else if (!insert_at(data, position == NO_INDEX ? data->row_count : min(position, data->row_count), row)) {
        free_row(data, row);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    views_follow(data, row, FALSE, quiet, pending);
    return S_OK;
}

static HRESULT take_row(struct table_data *data, const SPropValue *key, BOOL quiet, struct pending **pending)
{
    struct table_row *row;

    if (!key || key->ulPropTag != data->index_tag) return MAPI_E_INVALID_PARAMETER;
    if (!(row = find_row(data, key))) return MAPI_E_NOT_FOUND;
    remove_row(data, row);
    views_follow(data, row, TRUE, quiet, pending);
    free_row(data, row);
    return S_OK;
}

struct table_data *tabledata_create_ex(ULONG index_tag, ULONG type, const struct mapi_allocators *alloc,
                                       ULONG column_count, const ULONG *columns)
{
    struct table_data *data = calloc(1, sizeof(*data));

    if (!data) return NULL;
    if (!(data->columns = malloc((column_count ? column_count : 1) * sizeof(ULONG)))
        || !(data->available = malloc((column_count ? column_count : 1) * sizeof(ULONG)))) {
        free(data->columns);
        free(data);
        return NULL;
    }
    memcpy(data->columns, columns, column_count * sizeof(ULONG));
    memcpy(data->available, columns, column_count * sizeof(ULONG));
    data->column_count = data->available_count = column_count;
    data->refcount = 1;
    data->index_tag = index_tag;
    data->type = type;
    data->alloc = *alloc;
    InitializeSRWLock(&data->lock);
    hashtable_init(&data->by_key);
    list_init(&data->views);
    return data;
}

struct table_data *tabledata_create(ULONG column_count, const ULONG *columns)
{
    return tabledata_create_ex(PR_ROWID, TBLTYPE_DYNAMIC, &host_allocators, column_count, columns);
}

void tabledata_addref(struct table_data *data)
{
    InterlockedIncrement(&data->refcount);
}

void tabledata_release(struct table_data *data)
{
    ULONG i;

    if (InterlockedDecrement(&data->refcount)) return;
    for (i = 0; i < data->row_count; i++) free_row(data, data->rows[i]);
    hashtable_free(&data->by_key);
    free(data->rows);
    free(data->columns);
    free(data->available);
    free(data);
}

/* Runs a change under the lock, then delivers what it notified. */
#define CHANGE(data, call)                                                                                             \
    ({                                                                                                                 \
        struct pending *pending_ = NULL;                                                                               \
        HRESULT hr_;                                                                                                   \
        AcquireSRWLockExclusive(&(data)->lock);                                                                        \
        hr_ = (call);                                                                                                  \
        ReleaseSRWLockExclusive(&(data)->lock);                                                                        \
        deliver(pending_);                                                                                             \
        hr_;                                                                                                           \
    })

HRESULT tabledata_modify_row(struct table_data *data, const SRow *row)
{
    return CHANGE(data, put_row(data, row, NO_INDEX, FALSE, &pending_));
}

HRESULT tabledata_insert_row(struct table_data *data, ULONG position, const SRow *row)
{
    if (position > tabledata_row_count(data)) return MAPI_E_INVALID_PARAMETER;
    return CHANGE(data, put_row(data, row, position, FALSE, &pending_));
}

/* U15: all or nothing on the index column; up to 8 rows notify one by one, more as one TABLE_CHANGED. */
static HRESULT modify_rows(struct table_data *data, const SRowSet *rows, struct pending **pending)
{
    BOOL quiet = rows->cRows > 8;
    struct list *cursor;
    HRESULT hr = S_OK;
    ULONG i;

    for (i = 0; i < rows->cRows; i++) {
        const SPropValue *key = props_find(rows->aRow[i].cValues, rows->aRow[i].lpProps, data->index_tag);
        if (!key || key->ulPropTag != data->index_tag) return MAPI_E_INVALID_PARAMETER;
    }
    for (i = 0; hr == S_OK && i < rows->cRows; i++) hr = put_row(data, &rows->aRow[i], NO_INDEX, quiet, pending);
    if (quiet)
        LIST_FOR_EACH (cursor, &data->views)
            notify_table(LIST_ENTRY(cursor, struct table_view, entry), TABLE_CHANGED, pending);
    return hr;
}

HRESULT tabledata_modify_rows(struct table_data *data, const SRowSet *rows)
{
    if (!rows) return MAPI_E_INVALID_PARAMETER;
    return CHANGE(data, modify_rows(data, rows, &pending_));
}

HRESULT tabledata_delete_key(struct table_data *data, const SPropValue *key)
{
    return CHANGE(data, take_row(data, key, FALSE, &pending_));
}

/* U18: rows not found are skipped; TAD_ALL_ROWS empties the table with one TABLE_RELOAD. */
static HRESULT delete_rows(struct table_data *data, ULONG flags, const SRowSet *rows, ULONG *deleted,
                           struct pending **pending)
{
    ULONG i, count = 0;

    if (flags & TAD_ALL_ROWS) {
        count = data->row_count;
        for (i = 0; i < data->row_count; i++) free_row(data, data->rows[i]);
        data->row_count = 0;
        hashtable_free(&data->by_key);
        views_reload(data, TABLE_RELOAD, pending);
    } else
        for (i = 0; i < rows->cRows; i++)
            count += take_row(data, props_find(rows->aRow[i].cValues, rows->aRow[i].lpProps, data->index_tag), FALSE,
                              pending)
                     == S_OK;
    if (deleted) *deleted = count;
    return S_OK;
}

HRESULT tabledata_delete_rows(struct table_data *data, ULONG flags, const SRowSet *rows, ULONG *deleted)
{
    if (flags & ~TAD_ALL_ROWS) return MAPI_E_UNKNOWN_FLAGS;
    if (!(flags & TAD_ALL_ROWS) && !rows) return MAPI_E_INVALID_PARAMETER;
    return CHANGE(data, delete_rows(data, flags, rows, deleted, &pending_));
}

/* A whole row, as one block from the table's allocators: the SRow, then its values (U19). */
static HRESULT copy_whole_row(struct table_data *data, const struct table_row *row, SRow **out)
{
    SRow *copy;
    ULONG i;
    HRESULT hr;

    if ((hr = data->alloc.buffer(sizeof(*copy) + (row->count + 1) * sizeof(SPropValue), (void **)&copy))) return hr;
    copy->ulAdrEntryPad = 0;
    copy->cValues = row->count;
    copy->lpProps = (SPropValue *)(copy + 1);
    for (i = 0; i < row->count; i++)
        if ((hr = prop_copy_into_with(&data->alloc, &row->props[i], &copy->lpProps[i], copy)) != S_OK) {
            data->alloc.free(copy);
            return hr;
        }
    *out = copy;
    return S_OK;
}

HRESULT tabledata_query_row(struct table_data *data, const SPropValue *key, SRow **row, ULONG *index)
{
    struct table_row *found;
    HRESULT hr;

    if (!key || !row || key->ulPropTag != data->index_tag) return MAPI_E_INVALID_PARAMETER;
    *row = NULL;
    AcquireSRWLockShared(&data->lock);
    if (!(found = find_row(data, key)))
        hr = MAPI_E_NOT_FOUND;
    else if ((hr = copy_whole_row(data, found, row)) == S_OK && index)
        *index = found->index;
    ReleaseSRWLockShared(&data->lock);
    return hr;
}

HRESULT tabledata_enum_row(struct table_data *data, ULONG number, SRow **row)
{
    HRESULT hr = S_OK;

    if (!row) return MAPI_E_INVALID_PARAMETER;
    *row = NULL;
    AcquireSRWLockShared(&data->lock);
    if (number < data->row_count) hr = copy_whole_row(data, data->rows[number], row);
    ReleaseSRWLockShared(&data->lock);
    return hr; /* past the end: S_OK and no row (U13) */
}

/* HrNotify (U20): TABLE_ROW_MODIFIED for the row, changed or not. */
static HRESULT notify_key(struct table_data *data, const SPropValue *key, struct pending **pending)
{
    struct table_row *row;

    if (!key) return MAPI_E_INVALID_PARAMETER;
    if (!(row = find_row(data, key))) return MAPI_E_NOT_FOUND;
    views_follow(data, row, FALSE, FALSE, pending);
    return S_OK;
}

HRESULT tabledata_notify_row(struct table_data *data, ULONG count, const SPropValue *values)
{
    const SPropValue *key = values ? props_find(count, values, data->index_tag) : NULL;

    return CHANGE(data, notify_key(data, key, &pending_));
}

HRESULT tabledata_set_row(struct table_data *data, ULONG count, const SPropValue *values)
{
    SRow row = { 0, count, (SPropValue *)values };

    return tabledata_modify_row(data, &row);
}

HRESULT tabledata_delete_row(struct table_data *data, ULONG rowid)
{
    SPropValue key = { PR_ROWID, 0, { .l = (LONG)rowid } };

    return tabledata_delete_key(data, &key);
}

ULONG tabledata_row_count(struct table_data *data)
{
    ULONG count;

    AcquireSRWLockShared(&data->lock);
    count = data->row_count;
    ReleaseSRWLockShared(&data->lock);
    return count;
}

/* ---- IMAPITable ------------------------------------------------------------------------------------------------ */

static const IMAPITableVtbl table_vtbl;

static inline struct table_view *impl_from_IMAPITable(IMAPITable *iface)
{
    return CONTAINING_RECORD(iface, struct table_view, IMAPITable_iface);
}

static HRESULT WINAPI table_QueryInterface(IMAPITable *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPITable, NULL };
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    if ((hr = paramval_refuse_method("IMAPITable", "QueryInterface", IUnknown_QueryInterface, riid, out))) return hr;
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI table_AddRef(IMAPITable *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IMAPITable(iface)->refcount);
}

static ULONG WINAPI table_Release(IMAPITable *iface)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    ULONG refcount = InterlockedDecrement(&view->refcount);
    struct list *cursor, *next;

    TRACE("(%p)\n", iface);
    if (refcount) return refcount;
    AcquireSRWLockExclusive(&view->data->lock);
    list_remove(&view->entry);
    ReleaseSRWLockExclusive(&view->data->lock);
    /* U22: the callback runs while the view still holds the data, so it may drop the provider's last reference. */
    if (view->release) view->release(view->caller_data, view->owner, iface);
    LIST_FOR_EACH_SAFE (cursor, next, &view->sinks) {
        struct sink *sink = LIST_ENTRY(cursor, struct sink, entry);
        IMAPIAdviseSink_Release(sink->sink);
        free(sink);
    }
    tabledata_release(view->data);
    MAPIFreeBuffer(view->restriction);
    free(view->sort);
    free(view->visible);
    free(view->bookmarks);
    free(view->columns);
    quarantine_object(view, "IMAPITable"); /* a late call is refused by name */
    return 0;
}

static HRESULT WINAPI table_GetLastError(IMAPITable *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    if ((hr = refuse_bad(GetLastError, result, flags, error))) return hr;
    *error = NULL; /* no extended information (U39) */
    return S_OK;
}

static HRESULT WINAPI table_Advise(IMAPITable *iface, ULONG mask, IMAPIAdviseSink *advise_sink, ULONG_PTR *connection)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    struct sink *sink;
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %p)\n", iface, mask, advise_sink, connection);
    if ((hr = refuse_bad(Advise, mask, advise_sink, connection))) return hr;
    if (!advise_sink || !connection || mask != fnevTableModified) return MAPI_E_INVALID_PARAMETER;
    if (!(sink = calloc(1, sizeof(*sink)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    IMAPIAdviseSink_AddRef(advise_sink);
    sink->sink = advise_sink;
    AcquireSRWLockExclusive(&view->data->lock);
    sink->connection = *connection = ++view->next_connection;
    list_add_tail(&view->sinks, &sink->entry);
    ReleaseSRWLockExclusive(&view->data->lock);
    return S_OK;
}

static HRESULT WINAPI table_Unadvise(IMAPITable *iface, ULONG_PTR connection)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    struct sink *found = NULL;
    struct list *cursor;

    TRACE("(%p, %#Ix)\n", iface, connection);
    AcquireSRWLockExclusive(&view->data->lock);
    LIST_FOR_EACH (cursor, &view->sinks) {
        struct sink *sink = LIST_ENTRY(cursor, struct sink, entry);
        if (sink->connection == connection) found = sink;
    }
    if (found) list_remove(&found->entry);
    ReleaseSRWLockExclusive(&view->data->lock);
    if (!found) return MAPI_E_NOT_FOUND;
    IMAPIAdviseSink_Release(found->sink);
    free(found);
    return S_OK;
}

static HRESULT WINAPI table_GetStatus(IMAPITable *iface, ULONG *status, ULONG *type)
{
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, status, type);
    if ((hr = refuse_bad(GetStatus, status, type))) return hr;
    *status = TBLSTAT_COMPLETE;
    *type = impl_from_IMAPITable(iface)->data->type;
    return S_OK;
}

static HRESULT WINAPI table_SetColumns(IMAPITable *iface, SPropTagArray *tags, ULONG flags)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    ULONG *columns, i;
    HRESULT hr;

    TRACE("(%p, %p, %#lx)\n", iface, tags, flags);
    if ((hr = refuse_bad(SetColumns, tags, flags))) return hr;
    if (!tags || !tags->cValues) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(TBL_ASYNC | TBL_BATCH)) return MAPI_E_UNKNOWN_FLAGS;
    for (i = 0; i < tags->cValues; i++)
        if ((PROP_TYPE(tags->aulPropTag[i]) & MVI_FLAG) == MVI_FLAG) return MAPI_E_TOO_COMPLEX;
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

    TRACE("(%p, %#lx, %p)\n", iface, flags, tags);
    if ((hr = refuse_bad(QueryColumns, flags, tags))) return hr;
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~TBL_ALL_COLUMNS) return MAPI_E_UNKNOWN_FLAGS;
    AcquireSRWLockShared(&view->data->lock);
    columns = flags & TBL_ALL_COLUMNS ? view->data->available : view->columns;
    count = flags & TBL_ALL_COLUMNS ? view->data->available_count : view->column_count;
    if ((hr = view->data->alloc.buffer(CbNewSPropTagArray(count), (void **)tags)) == S_OK) {
        (*tags)->cValues = count;
        memcpy((*tags)->aulPropTag, columns, count * sizeof(ULONG));
    }
    ReleaseSRWLockShared(&view->data->lock);
    return hr;
}

static HRESULT WINAPI table_GetRowCount(IMAPITable *iface, ULONG flags, ULONG *count)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", iface, flags, count);
    if ((hr = refuse_bad(GetRowCount, flags, count))) return hr;
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    AcquireSRWLockShared(&view->data->lock);
    *count = view->visible_count;
    ReleaseSRWLockShared(&view->data->lock);
    return S_OK;
}

/* Where a bookmark stands in the view now (U31, U36): its row, or the next visible one if its row left the view,
 * which is MAPI_W_POSITION_CHANGED. Under the lock. */
static HRESULT bookmark_position(const struct table_view *view, BOOKMARK origin, ULONG *position)
{
    ULONG i, index;

    switch (origin) {
    case BOOKMARK_BEGINNING: *position = 0; return S_OK;
    case BOOKMARK_CURRENT: *position = view->position; return S_OK;
    case BOOKMARK_END: *position = view->visible_count; return S_OK;
    }
    for (i = 0; i < view->bookmark_count; i++) {
        const struct bookmark *bookmark = &view->bookmarks[i];
        if (bookmark->id != origin) continue;
        if (!bookmark->serial) {
            *position = view->visible_count;
            return S_OK;
        }
        for (index = 0; index < view->visible_count; index++)
            if (view->visible[index]->serial == bookmark->serial) {
                *position = index;
                return S_OK;
            }
        *position = min(bookmark->position, view->visible_count);
        return MAPI_W_POSITION_CHANGED;
    }
    return MAPI_E_INVALID_BOOKMARK;
}

static HRESULT WINAPI table_SeekRow(IMAPITable *iface, BOOKMARK origin, LONG count, LONG *sought)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    ULONG start;
    LONGLONG target;
    HRESULT hr;

    TRACE("(%p, %#lx, %#lx, %p)\n", iface, (unsigned long)origin, count, sought);
    if ((hr = refuse_bad(SeekRow, origin, count, sought))) return hr;
    AcquireSRWLockExclusive(&view->data->lock);
    if (SUCCEEDED(hr = bookmark_position(view, origin, &start))) {
        target = (LONGLONG)start + count;
        if (target < 0) target = 0;
        if (target > view->visible_count) target = view->visible_count;
        view->position = (ULONG)target;
        if (sought) *sought = (LONG)(target - start);
    }
    ReleaseSRWLockExclusive(&view->data->lock);
    return hr;
}

static HRESULT WINAPI table_SeekRowApprox(IMAPITable *iface, ULONG numerator, ULONG denominator)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    HRESULT hr;

    TRACE("(%p, %#lx, %#lx)\n", iface, numerator, denominator);
    if ((hr = refuse_bad(SeekRowApprox, numerator, denominator))) return hr;
    if (!denominator || numerator > denominator) return MAPI_E_INVALID_PARAMETER;
    AcquireSRWLockExclusive(&view->data->lock);
    view->position = (ULONG)((ULONGLONG)view->visible_count * numerator / denominator);
    ReleaseSRWLockExclusive(&view->data->lock);
    return S_OK;
}

static HRESULT WINAPI table_QueryPosition(IMAPITable *iface, ULONG *row, ULONG *numerator, ULONG *denominator)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    HRESULT hr;

    TRACE("(%p, %p, %p, %p)\n", iface, row, numerator, denominator);
    if ((hr = refuse_bad(QueryPosition, row, numerator, denominator))) return hr;
    AcquireSRWLockShared(&view->data->lock);
    *row = *numerator = view->position;
    *denominator = max(view->visible_count, 1);
    ReleaseSRWLockShared(&view->data->lock);
    return S_OK;
}

/* U34: forward from the bookmark, or backward from the row before it; the restriction lasts for the call. */
static HRESULT WINAPI table_FindRow(IMAPITable *iface, SRestriction *res, BOOKMARK origin, ULONG flags)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    HRESULT hr, found = MAPI_E_NOT_FOUND;
    ULONG start, i;

    TRACE("(%p, %p, %#lx, %#lx)\n", iface, res, (unsigned long)origin, flags);
    if ((hr = refuse_bad(FindRow, res, origin, flags))) return hr;
    if (flags & ~DIR_BACKWARD) return MAPI_E_UNKNOWN_FLAGS;
    if ((hr = restriction_check(res)) != S_OK) return hr;
    AcquireSRWLockExclusive(&view->data->lock);
    if (SUCCEEDED(hr = bookmark_position(view, origin, &start))) {
        if (flags & DIR_BACKWARD) {
            for (i = start; i-- > 0;)
                if (restriction_matches(res, view->visible[i]->count, view->visible[i]->props)) break;
            if (i != NO_INDEX) found = S_OK;
        } else {
            for (i = start; i < view->visible_count; i++)
                if (restriction_matches(res, view->visible[i]->count, view->visible[i]->props)) break;
            if (i < view->visible_count) found = S_OK;
        }
        if (found == S_OK)
            view->position = i;
        else
            hr = found;
    }
    ReleaseSRWLockExclusive(&view->data->lock);
    return hr;
}

static HRESULT WINAPI table_Restrict(IMAPITable *iface, SRestriction *res, ULONG flags)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    SRestriction *copy = NULL, *old;
    HRESULT hr;

    TRACE("(%p, %p, %#lx)\n", iface, res, flags);
    if ((hr = refuse_bad(Restrict, res, flags))) return hr;
    if (flags & ~(TBL_ASYNC | TBL_BATCH)) return MAPI_E_UNKNOWN_FLAGS;
    if (res && ((hr = restriction_check(res)) != S_OK || (hr = restriction_copy(res, &copy)) != S_OK)) return hr;
    AcquireSRWLockExclusive(&view->data->lock);
    old = view->restriction;
    view->restriction = copy;
    if ((hr = rebuild(view)) != S_OK)
        view->restriction = old;
    else {
        MAPIFreeBuffer(old);
        reset_cursor(view);
    }
    ReleaseSRWLockExclusive(&view->data->lock);
    if (hr != S_OK) MAPIFreeBuffer(copy);
    return hr;
}

static HRESULT WINAPI table_CreateBookmark(IMAPITable *iface, BOOKMARK *position)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    struct bookmark *grown;
    HRESULT hr = S_OK;

    TRACE("(%p, %p)\n", iface, position);
    if ((hr = refuse_bad(CreateBookmark, position))) return hr;
    AcquireSRWLockExclusive(&view->data->lock);
    if (view->bookmark_count >= MAX_BOOKMARKS)
        hr = MAPI_E_UNABLE_TO_COMPLETE;
    else if (!(grown = realloc(view->bookmarks, (view->bookmark_count + 1) * sizeof(*grown))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else {
        struct bookmark *bookmark = &grown[view->bookmark_count++];
        view->bookmarks = grown;
        if (!view->next_bookmark) view->next_bookmark = FIRST_BOOKMARK;
        bookmark->id = *position = view->next_bookmark++;
        bookmark->serial = view->position < view->visible_count ? view->visible[view->position]->serial : 0;
        bookmark->position = view->position;
    }
    ReleaseSRWLockExclusive(&view->data->lock);
    return hr;
}

static HRESULT WINAPI table_FreeBookmark(IMAPITable *iface, BOOKMARK position)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    HRESULT hr = MAPI_E_INVALID_BOOKMARK;
    ULONG i;

    TRACE("(%p, %#lx)\n", iface, (unsigned long)position);
    if (position < FIRST_BOOKMARK) return S_OK;
    AcquireSRWLockExclusive(&view->data->lock);
    for (i = 0; i < view->bookmark_count; i++)
        if (view->bookmarks[i].id == position) {
            view->bookmarks[i] = view->bookmarks[--view->bookmark_count];
            hr = S_OK;
            break;
        }
    ReleaseSRWLockExclusive(&view->data->lock);
    return hr;
}

/* U37, U55: ascending or descending keys, no categories, no repeated or multi-valued-instance key. */
static HRESULT check_sort(const SSortOrderSet *sort)
{
    ULONG i, j;

    if (!sort || sort->cCategories > sort->cSorts || sort->cExpanded > sort->cCategories)
        return MAPI_E_INVALID_PARAMETER;
    if (sort->cCategories) return MAPI_E_TOO_COMPLEX;
    for (i = 0; i < sort->cSorts; i++) {
        ULONG order = sort->aSort[i].ulOrder, tag = sort->aSort[i].ulPropTag;
        if (order != TABLE_SORT_ASCEND && order != TABLE_SORT_DESCEND) return MAPI_E_TOO_COMPLEX;
        if ((PROP_TYPE(tag) & MVI_FLAG) == MVI_FLAG || PROP_TYPE(tag) == PT_OBJECT) return MAPI_E_TOO_COMPLEX;
        for (j = 0; j < i; j++)
            if (PROP_ID(sort->aSort[j].ulPropTag) == PROP_ID(tag)) return MAPI_E_TOO_COMPLEX;
    }
    return S_OK;
}

static HRESULT set_sort(struct table_view *view, const SSortOrderSet *sort)
{
    SSortOrderSet *copy = NULL, *old;
    HRESULT hr;

    if ((hr = check_sort(sort)) != S_OK) return hr;
    if (sort->cSorts) {
        if (!(copy = malloc(CbSSortOrderSet(sort)))) return MAPI_E_NOT_ENOUGH_MEMORY;
        memcpy(copy, sort, CbSSortOrderSet(sort));
    }
    old = view->sort;
    view->sort = copy;
    if ((hr = rebuild(view)) != S_OK) {
        view->sort = old; /* a failure keeps the old order */
        free(copy);
        return hr;
    }
    free(old);
    reset_cursor(view);
    return S_OK;
}

static HRESULT WINAPI table_SortTable(IMAPITable *iface, SSortOrderSet *criteria, ULONG flags)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    HRESULT hr;

    TRACE("(%p, %p, %#lx)\n", iface, criteria, flags);
    if ((hr = refuse_bad(SortTable, criteria, flags))) return hr;
    if (flags & ~(TBL_ASYNC | TBL_BATCH)) return MAPI_E_UNKNOWN_FLAGS;
    AcquireSRWLockExclusive(&view->data->lock);
    hr = set_sort(view, criteria);
    ReleaseSRWLockExclusive(&view->data->lock);
    return hr;
}

static HRESULT WINAPI table_QuerySortOrder(IMAPITable *iface, SSortOrderSet **criteria)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    ULONG count;
    HRESULT hr;

    TRACE("(%p, %p)\n", iface, criteria);
    if ((hr = refuse_bad(QuerySortOrder, criteria))) return hr;
    AcquireSRWLockShared(&view->data->lock);
    count = view->sort ? view->sort->cSorts : 0;
    if ((hr = view->data->alloc.buffer(CbNewSSortOrderSet(count), (void **)criteria)) == S_OK) {
        if (view->sort)
            memcpy(*criteria, view->sort, CbNewSSortOrderSet(count));
        else
            memset(*criteria, 0, CbNewSSortOrderSet(0));
    }
    ReleaseSRWLockShared(&view->data->lock);
    return hr;
}

/* U30: forward from the cursor, or the |count| rows before it; each row its own block, then the set (FreeProws). */
static HRESULT WINAPI table_QueryRows(IMAPITable *iface, LONG count, ULONG flags, SRowSet **rows)
{
    struct table_view *view = impl_from_IMAPITable(iface);
    const struct mapi_allocators *alloc = &view->data->alloc;
    ULONG start, end, i;
    SRowSet *set;
    HRESULT hr;

    TRACE("(%p, %#lx, %#lx, %p)\n", iface, count, flags, rows);
    if ((hr = refuse_bad(QueryRows, count, flags, rows))) return hr;
    if (!rows || !count) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~TBL_NOADVANCE) return MAPI_E_UNKNOWN_FLAGS;
    *rows = NULL;
    AcquireSRWLockExclusive(&view->data->lock);
    if (count > 0) {
        start = view->position;
        end = (ULONG)min((ULONGLONG)start + (ULONG)count, view->visible_count);
    } else {
        end = view->position;
        start = end > (ULONG)-count ? end - (ULONG)-count : 0;
    }
    if ((hr = alloc->buffer(offsetof(SRowSet, aRow[end - start + 1]), (void **)&set)) == S_OK) {
        set->cRows = 0;
        for (i = start; hr == S_OK && i < end; i++)
            if ((hr = project_row(view, view->visible[i], &set->aRow[set->cRows])) == S_OK) set->cRows++;
        if (hr != S_OK) {
            while (set->cRows) alloc->free(set->aRow[--set->cRows].lpProps);
            alloc->free(set);
        } else {
            view->position = flags & TBL_NOADVANCE ? start : (count > 0 ? end : view->position);
            *rows = set;
        }
    }
    ReleaseSRWLockExclusive(&view->data->lock);
    return hr;
}

static HRESULT WINAPI table_Abort(IMAPITable *iface)
{
    TRACE("(%p)\n", iface);
    return MAPI_E_UNABLE_TO_ABORT; /* nothing runs asynchronously (U38, X33) */
}

static HRESULT WINAPI table_ExpandRow(IMAPITable *iface, ULONG key_size, BYTE *key, ULONG count, ULONG flags,
                                      SRowSet **rows, ULONG *more)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx, %#lx, %p, %p)\n", iface, key_size, key, count, flags, rows, more);
    if ((hr = refuse_bad(ExpandRow, key_size, key, count, flags, rows, more))) return hr;
    if (rows) *rows = NULL;
    return unsupported("IMAPITable", "ExpandRow"); /* no categories (U23) */
}

static HRESULT WINAPI table_CollapseRow(IMAPITable *iface, ULONG key_size, BYTE *key, ULONG flags, ULONG *count)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx, %p)\n", iface, key_size, key, flags, count);
    if ((hr = refuse_bad(CollapseRow, key_size, key, flags, count))) return hr;
    return unsupported("IMAPITable", "CollapseRow");
}

static HRESULT WINAPI table_WaitForCompletion(IMAPITable *iface, ULONG flags, ULONG timeout, ULONG *status)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %#lx, %p)\n", iface, flags, timeout, status);
    if ((hr = refuse_bad(WaitForCompletion, flags, timeout, status))) return hr;
    if (status) *status = TBLSTAT_COMPLETE;
    return S_OK;
}

static HRESULT WINAPI table_GetCollapseState(IMAPITable *iface, ULONG flags, ULONG key_size, BYTE *key,
                                             ULONG *state_size, BYTE **state)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %#lx, %p, %p, %p)\n", iface, flags, key_size, key, state_size, state);
    if ((hr = refuse_bad(GetCollapseState, flags, key_size, key, state_size, state))) return hr;
    if (state) *state = NULL;
    return unsupported("IMAPITable", "GetCollapseState");
}

static HRESULT WINAPI table_SetCollapseState(IMAPITable *iface, ULONG flags, ULONG state_size, BYTE *state,
                                             BOOKMARK *location)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %#lx, %p, %p)\n", iface, flags, state_size, state, location);
    if ((hr = refuse_bad(SetCollapseState, flags, state_size, state, location))) return hr;
    return unsupported("IMAPITable", "SetCollapseState");
}

static const IMAPITableVtbl table_vtbl = {
    table_QueryInterface,   table_AddRef,           table_Release,
    table_GetLastError,     table_Advise,           table_Unadvise,
    table_GetStatus,        table_SetColumns,       table_QueryColumns,
    table_GetRowCount,      table_SeekRow,          table_SeekRowApprox,
    table_QueryPosition,    table_FindRow,          table_Restrict,
    table_CreateBookmark,   table_FreeBookmark,     table_SortTable,
    table_QuerySortOrder,   table_QueryRows,        table_Abort,
    table_ExpandRow,        table_CollapseRow,      table_WaitForCompletion,
    table_GetCollapseState, table_SetCollapseState,
};

HRESULT tabledata_open_view_ex(struct table_data *data, const SSortOrderSet *sort, CALLERRELEASE *release,
                               ULONG_PTR caller_data, ITableData *owner, IMAPITable **table)
{
    struct table_view *view;
    HRESULT hr;

    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (sort && (hr = check_sort(sort)) != S_OK) return hr;
    if (!(view = calloc(1, sizeof(*view)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    view->IMAPITable_iface.lpVtbl = &table_vtbl;
    view->refcount = 1;
    list_init(&view->sinks);
    tabledata_addref(data);
    view->data = data;
    AcquireSRWLockExclusive(&data->lock);
    if (!(view->columns = malloc((data->column_count ? data->column_count : 1) * sizeof(ULONG)))) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    } else {
        /* A new view's columns: the initial set plus every column stored since (U12). */
        memcpy(view->columns, data->available, data->column_count * sizeof(ULONG));
        view->column_count = data->column_count;
        hr = sort ? set_sort(view, sort) : rebuild(view);
    }
    if (hr == S_OK) list_add_tail(&data->views, &view->entry);
    ReleaseSRWLockExclusive(&data->lock);
    if (hr != S_OK) {
        tabledata_release(data);
        free(view->columns);
        free(view->visible);
        free(view->sort);
        free(view);
        return hr;
    }
    view->release = release;
    view->caller_data = caller_data;
    view->owner = owner;
    *table = &view->IMAPITable_iface;
    return S_OK;
}

HRESULT tabledata_open_view(struct table_data *data, IMAPITable **table)
{
    return tabledata_open_view_ex(data, NULL, NULL, 0, NULL, table);
}
