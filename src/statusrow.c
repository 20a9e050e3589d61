/* Status rows: each a deep copy of what the provider passed, so the provider may free its own array at once. */
#include <stdlib.h>

#include "mapihost_private.h"
#include "propval.h"
#include "statusrow.h"

void statusrows_init(struct status_rows *rows)
{
    InitializeSRWLock(&rows->lock);
    list_init(&rows->rows);
    rows->next_rowid = 1;
    rows->table = NULL;
    rows->decorate = NULL;
    rows->context = NULL;
}

void statusrows_publish_to(struct status_rows *rows, struct table_data *table, status_decorate_fn decorate,
                           void *context)
{
    rows->table = table;
    rows->decorate = decorate;
    rows->context = context;
}

/* Under the lock: the row's published form, for publish() to hand to the table once the lock is dropped. */
static SPropValue *decorate(struct status_rows *rows, const struct status_row *row, ULONG *count)
{
    SPropValue *values;

    if (!rows->table || rows->decorate(rows->context, row, count, &values) != S_OK) return NULL;
    return values;
}

/* Outside the lock, because the table calls its advise sinks, and a sink may come back to ModifyStatusRow. */
static void publish(struct status_rows *rows, ULONG count, SPropValue *values)
{
    if (!values) return;
    tabledata_set_row(rows->table, count, values);
    MAPIFreeBuffer(values);
}

static void free_row(struct status_row *row)
{
    MAPIFreeBuffer(row->props);
    free(row);
}

void statusrows_clear(struct status_rows *rows)
{
    struct list *cursor, *next;

    LIST_FOR_EACH_SAFE(cursor, next, &rows->rows) {
        list_remove(cursor);
        free_row(LIST_ENTRY(cursor, struct status_row, entry));
    }
}

static struct status_row *latest_row_of(struct status_rows *rows, void *owner)
{
    struct list *cursor;

    for (cursor = rows->rows.prev; cursor != &rows->rows; cursor = cursor->prev) {
        struct status_row *row = LIST_ENTRY(cursor, struct status_row, entry);
        if (row->owner == owner) return row;
    }
    return NULL;
}

/* The row's columns with values merged in: a column already there takes the new value, whatever its string width. */
static HRESULT merge(const struct status_row *row, ULONG count, const SPropValue *values, SPropValue **merged,
                     ULONG *merged_count)
{
    SPropValue *result;
    ULONG i, n = 0;
    HRESULT hr;

    if ((hr = MAPIAllocateBuffer((row->count + count) * sizeof(*result), (void **)&result)) != S_OK) return hr;
    for (i = 0; i < row->count; i++) {
        const SPropValue *update = props_find(count, values, row->props[i].ulPropTag);
        if ((hr = prop_copy_into(update ? update : &row->props[i], &result[n++], result)) != S_OK) goto fail;
    }
    for (i = 0; i < count; i++)
        if (!props_find(row->count, row->props, values[i].ulPropTag)
            && (hr = prop_copy_into(&values[i], &result[n++], result)) != S_OK) goto fail;
    *merged = result;
    *merged_count = n;
    return S_OK;
fail:
    MAPIFreeBuffer(result);
    return hr;
}

HRESULT statusrows_modify(struct status_rows *rows, void *owner, ULONG count, const SPropValue *values, ULONG flags)
{
    struct status_row *row;
    SPropValue *props, *published;
    ULONG props_count = count, published_count = 0;
    HRESULT hr;

    if (flags & ~STATUSROW_UPDATE) return MAPI_E_UNKNOWN_FLAGS;
    if (!count || !values) return MAPI_E_INVALID_PARAMETER;

    AcquireSRWLockExclusive(&rows->lock);
    if ((flags & STATUSROW_UPDATE) && (row = latest_row_of(rows, owner))) {
        if ((hr = merge(row, count, values, &props, &props_count)) == S_OK) {
            MAPIFreeBuffer(row->props);
            row->props = props;
            row->count = props_count;
        }
        published = hr == S_OK ? decorate(rows, row, &published_count) : NULL;
        ReleaseSRWLockExclusive(&rows->lock);
        publish(rows, published_count, published);
        return hr;
    }
    /* No flags, or an update before any row: a new row (documented choice). */
    if ((hr = props_copy(count, values, &props)) != S_OK) {
        ReleaseSRWLockExclusive(&rows->lock);
        return hr;
    }
    if (!(row = malloc(sizeof(*row)))) {
        ReleaseSRWLockExclusive(&rows->lock);
        MAPIFreeBuffer(props);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    row->owner = owner;
    row->rowid = rows->next_rowid++;
    row->count = props_count;
    row->props = props;
    list_add_tail(&rows->rows, &row->entry);
    published = decorate(rows, row, &published_count);
    ReleaseSRWLockExclusive(&rows->lock);
    publish(rows, published_count, published);
    return S_OK;
}

ULONG statusrows_remove_owner(struct status_rows *rows, void *owner)
{
    struct list *cursor, *next, removed = LIST_INIT(removed);
    ULONG count = 0;

    AcquireSRWLockExclusive(&rows->lock);
    LIST_FOR_EACH_SAFE(cursor, next, &rows->rows) {
        if (LIST_ENTRY(cursor, struct status_row, entry)->owner != owner) continue;
        list_remove(cursor);
        list_add_tail(&removed, cursor);
        count++;
    }
    ReleaseSRWLockExclusive(&rows->lock);
    LIST_FOR_EACH_SAFE(cursor, next, &removed) {
        struct status_row *row = LIST_ENTRY(cursor, struct status_row, entry);
        if (rows->table) tabledata_delete_row(rows->table, row->rowid);
        free_row(row);
    }
    return count;
}

void *statusrows_owner_of(struct status_rows *rows, ULONG rowid)
{
    struct list *cursor;
    void *owner = NULL;

    AcquireSRWLockShared(&rows->lock);
    LIST_FOR_EACH(cursor, &rows->rows) {
        struct status_row *row = LIST_ENTRY(cursor, struct status_row, entry);
        if (row->rowid == rowid) owner = row->owner;
    }
    ReleaseSRWLockShared(&rows->lock);
    return owner;
}

ULONG statusrows_count_owner(struct status_rows *rows, void *owner)
{
    struct list *cursor;
    ULONG count = 0;

    AcquireSRWLockShared(&rows->lock);
    LIST_FOR_EACH(cursor, &rows->rows) count += LIST_ENTRY(cursor, struct status_row, entry)->owner == owner;
    ReleaseSRWLockShared(&rows->lock);
    return count;
}
