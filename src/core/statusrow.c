/* Status rows: each a deep copy of what the provider passed, so the provider may free its own array at once. */
#include <stdlib.h>

#include "mapihost_private.h"
#include "propval.h"
#include "statusrow.h"

void statusrows_init(struct status_rows *rows)
{
    InitializeSRWLock(&rows->lock);
    list_init(&rows->rows);
    hashtable_init(&rows->by_rowid);
    hashtable_init(&rows->by_owner);
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

    LIST_FOR_EACH_SAFE (cursor, next, &rows->rows) {
        list_remove(cursor);
        free_row(LIST_ENTRY(cursor, struct status_row, entry));
    }
    hashtable_free(&rows->by_rowid);
    hashtable_free(&rows->by_owner);
}

#define ROW_BY_OWNER(link) LIST_ENTRY(link, struct status_row, by_owner)
#define ROW_BY_ROWID(link) LIST_ENTRY(link, struct status_row, by_rowid)

static struct status_row *latest_row_of(struct status_rows *rows, void *owner)
{
    struct status_row *latest = NULL;
    struct hash_link *link;

    HASHTABLE_FOR_EACH (link, &rows->by_owner, hash_pointer(owner))
        if (ROW_BY_OWNER(link)->owner == owner) latest = ROW_BY_OWNER(link);
    return latest;
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
            && (hr = prop_copy_into(&values[i], &result[n++], result)) != S_OK)
            goto fail;
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
    if (!(row = malloc(sizeof(*row)))) goto no_memory;
    row->owner = owner;
    row->rowid = rows->next_rowid;
    row->count = props_count;
    row->props = props;
    if (!hashtable_add(&rows->by_rowid, &row->by_rowid, row->rowid)) goto no_memory;
    if (!hashtable_add(&rows->by_owner, &row->by_owner, hash_pointer(owner))) {
        hashtable_remove(&rows->by_rowid, &row->by_rowid);
        goto no_memory;
    }
    rows->next_rowid++;
    list_add_tail(&rows->rows, &row->entry);
    published = decorate(rows, row, &published_count);
    ReleaseSRWLockExclusive(&rows->lock);
    publish(rows, published_count, published);
    return S_OK;
no_memory:
    ReleaseSRWLockExclusive(&rows->lock);
    free(row);
    MAPIFreeBuffer(props);
    return MAPI_E_NOT_ENOUGH_MEMORY;
}

ULONG statusrows_remove_owner(struct status_rows *rows, void *owner)
{
    struct list *cursor, *next, removed = LIST_INIT(removed);
    struct hash_link *link, *next_link;
    ULONG count = 0;

    AcquireSRWLockExclusive(&rows->lock);
    for (link = hashtable_first(&rows->by_owner, hash_pointer(owner)); link; link = next_link) {
        struct status_row *row = ROW_BY_OWNER(link);
        next_link = hashtable_next(&rows->by_owner, link);
        if (row->owner != owner) continue;
        hashtable_remove(&rows->by_owner, &row->by_owner);
        hashtable_remove(&rows->by_rowid, &row->by_rowid);
        list_remove(&row->entry);
        list_add_tail(&removed, &row->entry);
        count++;
    }
    ReleaseSRWLockExclusive(&rows->lock);
    LIST_FOR_EACH_SAFE (cursor, next, &removed) {
        struct status_row *row = LIST_ENTRY(cursor, struct status_row, entry);
        if (rows->table) tabledata_delete_row(rows->table, row->rowid);
        free_row(row);
    }
    return count;
}

void *statusrows_owner_of(struct status_rows *rows, ULONG rowid)
{
    struct hash_link *link;
    void *owner = NULL;

    AcquireSRWLockShared(&rows->lock);
    HASHTABLE_FOR_EACH (link, &rows->by_rowid, rowid)
        if (ROW_BY_ROWID(link)->rowid == rowid) owner = ROW_BY_ROWID(link)->owner;
    ReleaseSRWLockShared(&rows->lock);
    return owner;
}

HRESULT statusrows_owner_prop(struct status_rows *rows, void *owner, ULONG tag, SPropValue **value)
{
    const struct status_row *row;
    const SPropValue *found = NULL;
    HRESULT hr = MAPI_E_NOT_FOUND;

    *value = NULL;
    AcquireSRWLockShared(&rows->lock);
    if ((row = latest_row_of(rows, owner)) && (found = props_find(row->count, row->props, tag))
        && (hr = MAPIAllocateBuffer(sizeof(**value), (void **)value)) == S_OK
        && (hr = prop_copy_into(found, *value, *value)) != S_OK) {
        MAPIFreeBuffer(*value);
        *value = NULL;
    }
    ReleaseSRWLockShared(&rows->lock);
    return hr;
}

ULONG statusrows_count_owner(struct status_rows *rows, void *owner)
{
    struct hash_link *link;
    ULONG count = 0;

    AcquireSRWLockShared(&rows->lock);
    HASHTABLE_FOR_EACH (link, &rows->by_owner, hash_pointer(owner)) count += ROW_BY_OWNER(link)->owner == owner;
    ReleaseSRWLockShared(&rows->lock);
    return count;
}
