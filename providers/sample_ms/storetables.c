/*
 * The store's tables, made with MAPI's own table data (CreateTable) so that columns, sorting, restrictions,
 * bookmarks and categories behave as every MAPI table does: a folder's contents table (normal or associated, sorted
 * by the folder's saved sort order, SaveContentsSort; storecontents.c reads it from the database until it needs
 * MAPI's table data), its hierarchy table (one level, or all levels below with
 * CONVENIENT_DEPTH, with PR_DEPTH), the receive-folder table and the outgoing queue (oldest submission first).
 * Contents and hierarchy tables follow the store's committed changes; the other two are snapshots. Strings are
 * PT_UNICODE with MAPI_UNICODE and PT_STRING8 without. Each view is a store object: the store's logoff makes the views
 * the client still holds invalid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3.h"
#include "store.h"
#include "storetables.h"

static void add_text(struct row *row, ULONG tag_w, const WCHAR *text)
{
    SPropValue *value = &row->values[row->count];
    int length;

    if (!text) return;
    if (row->unicode) {
        value->ulPropTag = tag_w;
        value->Value.lpszW = (WCHAR *)text;
    } else {
        length = WideCharToMultiByte(CP_ACP, 0, text, -1, row->narrow + row->used, sizeof(row->narrow) - row->used,
                                     NULL, NULL);
        if (!length) return;
        value->ulPropTag = CHANGE_PROP_TYPE(tag_w, PT_STRING8);
        value->Value.lpszA = row->narrow + row->used;
        row->used += length;
    }
    row->count++;
}

static void add_long(struct row *row, ULONG tag, LONG number)
{
    row->values[row->count].ulPropTag = tag;
    row->values[row->count++].Value.l = number;
}

static void add_time(struct row *row, ULONG tag, LONGLONG time)
{
    if (!time) return;
    row->values[row->count].ulPropTag = tag;
    row->values[row->count++].Value.ft = store_filetime(time);
}

/* The values of a row as folder_row_values made them, strings narrowed when the table is not Unicode. */
static void add_values(struct row *row, const SPropValue *values, ULONG count)
{
    ULONG i;

    for (i = 0; i < count; i++)
        if (PROP_TYPE(values[i].ulPropTag) == PT_UNICODE)
            add_text(row, values[i].ulPropTag, values[i].Value.lpszW);
        else
            row->values[row->count++] = values[i];
}

static void WINAPI view_released(ULONG_PTR caller_data, ITableData *data, IMAPITable *view)
{
    struct store_table *table = (struct store_table *)caller_data;

    /* MAPI calls this while the view still holds the data (U22), so the data's last reference may go here. */
    if (table->data) ITableData_Release(table->data);
    store_object_remove(&table->object);
    free(table);
}

void close_table(struct store_object *object)
{
    struct store_table *table = CONTAINING_RECORD(object, struct store_table, object);
    IMAPISupport *support = object->store->support;

    if (!support) return;
    if (table->view) IMAPISupport_MakeInvalid(support, 0, table->view, 1, TABLE_METHODS);
    if (table->outer) IMAPISupport_MakeInvalid(support, 0, table->outer, 1, TABLE_METHODS);
}

/* A view on data for the client; the data's own reference goes to the table of a kind that follows changes, else
 * the view keeps the data alone. */
static HRESULT make_view(struct store *store, ITableData *data, SSortOrderSet *sort, enum table_kind kind,
                         LONGLONG folder, ULONG flags, IMAPITable **out)
{
    struct store_table *table;
    HRESULT hr;

    if (!(table = calloc(1, sizeof(*table)))) {
        ITableData_Release(data);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    table->kind = kind;
    table->folder = folder;
    table->flags = flags;
    store_object_add(store, &table->object, close_table);
    hr = ITableData_HrGetView(data, sort, view_released, (ULONG_PTR)table, &table->view);
    if (SUCCEEDED(hr) && kind != TABLE_FIXED)
        table->data = data;
    else
        ITableData_Release(data);
    if (FAILED(hr)) {
        store_object_remove(&table->object);
        free(table);
        return hr;
    }
    *out = table->view;
    return S_OK;
}

HRESULT new_data(ULONG count, const ULONG *columns, BOOL unicode, ITableData **data)
{
    SPropTagArray *tags;
    HRESULT hr;
    ULONG i;

    if (!(tags = malloc(CbNewSPropTagArray(count)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    tags->cValues = count;
    for (i = 0; i < count; i++)
        tags->aulPropTag[i] =
            !unicode && PROP_TYPE(columns[i]) == PT_UNICODE ? CHANGE_PROP_TYPE(columns[i], PT_STRING8) : columns[i];
    hr = store_mapi.create_table(&IID_ITableData, sample_allocate_buffer, sample_allocate_more, sample_free_buffer,
                                 NULL, TBLTYPE_DYNAMIC, PR_INSTANCE_KEY, tags, data);
    free(tags);
    return hr;
}

static HRESULT add_row(ITableData *data, struct row *row)
{
    SRow srow = { 0, row->count, row->values };

    return ITableData_HrModifyRow(data, &srow);
}

const ULONG contents_columns[] = {
    PR_INSTANCE_KEY,       PR_ENTRYID,
    PR_RECORD_KEY,         PR_PARENT_ENTRYID,
    PR_STORE_ENTRYID,      PR_OBJECT_TYPE,
    PR_SUBJECT_W,          PR_MESSAGE_CLASS_W,
    PR_SENDER_NAME_W,      PR_DISPLAY_TO_W,
    PR_DISPLAY_CC_W,       PR_MESSAGE_DELIVERY_TIME,
    PR_CLIENT_SUBMIT_TIME, PR_LAST_MODIFICATION_TIME,
    PR_MESSAGE_FLAGS,      PR_MESSAGE_SIZE,
    PR_HASATTACH,          PR_IMPORTANCE,
    PR_MSG_STATUS,         PR_STORE_RECORD_KEY,
    PR_MAPPING_SIGNATURE,
};

const ULONG contents_column_count = ARRAYSIZE(contents_columns);

void message_row(struct store *store, struct sqlite3_stmt *statement, struct row *row)
{
    LONGLONG id = sqlite3_column_int64(statement, 0);

    row->count = 0;
    row->used = 0;
    storeid_value(&row->values[row->count++], PR_ENTRYID, &store->db, KIND_MESSAGE, id, &row->ids[0]);
    row->values[row->count] = row->values[0];
    row->values[row->count++].ulPropTag = PR_RECORD_KEY;
    row->values[row->count] = row->values[0];
    row->values[row->count++].ulPropTag = PR_INSTANCE_KEY;
    storeid_value(&row->values[row->count++], PR_PARENT_ENTRYID, &store->db, KIND_FOLDER,
                  sqlite3_column_int64(statement, 1), &row->ids[1]);
    row->values[row->count].ulPropTag = PR_STORE_ENTRYID;
    row->values[row->count].Value.bin.cb = store->entry_id_size;
    row->values[row->count++].Value.bin.lpb = store->entry_id;
    /* The store's own MAPIUID names it, and its one mapping of named properties. */
    row->values[row->count].ulPropTag = PR_STORE_RECORD_KEY;
    row->values[row->count].Value.bin.cb = sizeof(store->db.uid);
    row->values[row->count++].Value.bin.lpb = store->db.uid.ab;
    row->values[row->count] = row->values[row->count - 1];
    row->values[row->count++].ulPropTag = PR_MAPPING_SIGNATURE;
    add_long(row, PR_OBJECT_TYPE, MAPI_MESSAGE);
    add_text(row, PR_SUBJECT_W, sqlite3_column_text16(statement, 2));
    add_text(row, PR_MESSAGE_CLASS_W, sqlite3_column_text16(statement, 3));
    add_text(row, PR_SENDER_NAME_W, sqlite3_column_text16(statement, 4));
    add_text(row, PR_DISPLAY_TO_W, sqlite3_column_text16(statement, 5));
    add_text(row, PR_DISPLAY_CC_W, sqlite3_column_text16(statement, 6));
    add_text(row, PR_DISPLAY_BCC_W, sqlite3_column_text16(statement, 7));
    add_time(row, PR_MESSAGE_DELIVERY_TIME, sqlite3_column_int64(statement, 8));
    add_time(row, PR_CLIENT_SUBMIT_TIME, sqlite3_column_int64(statement, 9));
    add_time(row, PR_LAST_MODIFICATION_TIME, sqlite3_column_int64(statement, 10));
    add_long(row, PR_MESSAGE_FLAGS, sqlite3_column_int(statement, 11));
    add_long(row, PR_MESSAGE_SIZE, sqlite3_column_int(statement, 12));
    row->values[row->count].ulPropTag = PR_HASATTACH;
    row->values[row->count++].Value.b = (unsigned short)sqlite3_column_int(statement, 13);
    add_long(row, PR_IMPORTANCE, sqlite3_column_int(statement, 14));
    add_long(row, PR_MSG_STATUS, sqlite3_column_int(statement, 15));
    if (sqlite3_column_type(statement, 16) != SQLITE_NULL)
        add_long(row, PR_SUBMIT_FLAGS, sqlite3_column_int(statement, 16));
    add_long(row, PR_PRIORITY, sqlite3_column_int(statement, 17));
    if (sqlite3_column_type(statement, 18) == SQLITE_BLOB) {
        row->values[row->count].ulPropTag = PR_SEARCH_KEY;
        row->values[row->count].Value.bin.cb = sqlite3_column_bytes(statement, 18);
        row->values[row->count++].Value.bin.lpb = (BYTE *)sqlite3_column_blob(statement, 18);
    }
    add_text(row, PR_INTERNET_MESSAGE_ID_W, sqlite3_column_text16(statement, 19));
}

/* Fills data with the messages a query selects. */
static HRESULT fill_messages(struct store *store, ITableData *data, struct row *row, const char *sql,
                             const char *format, LONGLONG parameter1, ULONG parameter2)
{
    struct sqlite3_stmt *statement;
    HRESULT hr;

    if (!(statement = storedb_prepare(&store->db, &hr, sql, format, parameter1, parameter2))) return hr;
    while (SUCCEEDED(hr) && sqlite3_step(statement) == SQLITE_ROW) {
        message_row(store, statement, row);
        hr = add_row(data, row);
    }
    sqlite3_finalize(statement);
    return hr;
}

HRESULT fill_contents(struct store *store, ITableData *data, struct row *row, LONGLONG folder, ULONG flags)
{
    return fill_messages(store, data, row,
                         "SELECT " MESSAGE_COLUMNS " FROM messages WHERE folder = ? AND associated = ? ORDER BY id",
                         "il", folder, (ULONG) !!(flags & MAPI_ASSOCIATED));
}

HRESULT storetable_contents(struct store *store, LONGLONG folder, ULONG flags, IMAPITable **out)
{
    SSortOrderSet *sort = NULL;
    struct sqlite3_stmt *saved;
    HRESULT hr;
    int size;

    if (flags & ~(MAPI_ASSOCIATED | MAPI_UNICODE | MAPI_DEFERRED_ERRORS | 0x2 /* SHOW_SOFT_DELETES */))
        return MAPI_E_UNKNOWN_FLAGS;
    /* The folder's saved sort order, if any (SaveContentsSort), and whole. */
    EnterCriticalSection(store->db.lock);
    if ((saved = storedb_prepare(&store->db, &hr, "SELECT sort FROM folders WHERE id = ?", "i", folder))) {
        if (sqlite3_step(saved) == SQLITE_ROW && (size = sqlite3_column_bytes(saved, 0)) >= (int)CbNewSSortOrderSet(0)
            && (sort = malloc(size))) {
            memcpy(sort, sqlite3_column_blob(saved, 0), size);
            if ((ULONG)size < CbSSortOrderSet(sort)) {
                free(sort);
                sort = NULL;
            }
        }
        sqlite3_finalize(saved);
    }
    LeaveCriticalSection(store->db.lock);
    hr = contents_table_create(store, folder, flags, sort, out);
    free(sort);
    return hr;
}

static const ULONG hierarchy_columns[] = {
    PR_INSTANCE_KEY,  PR_ENTRYID,        PR_RECORD_KEY,          PR_PARENT_ENTRYID, PR_STORE_ENTRYID,
    PR_OBJECT_TYPE,   PR_FOLDER_TYPE,    PR_DISPLAY_NAME_W,      PR_COMMENT_W,      PR_CONTAINER_CLASS_W,
    PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_ASSOC_CONTENT_COUNT, PR_SUBFOLDERS,     PR_DEPTH,
    PR_ACCESS,        PR_ACCESS_LEVEL,   PR_DISPLAY_TYPE,        PR_STATUS,
};

/* The subfolders of parent, by name, each followed by its own with all levels (CONVENIENT_DEPTH). */
static HRESULT fill_folders(struct store *store, ITableData *data, struct row *row, LONGLONG parent, LONG depth,
                            BOOL all_levels)
{
    struct sqlite3_stmt *statement;
    struct store_entry_id ids[3];
    SPropValue values[32];
    char sql[1024];
    LONGLONG *children = NULL;
    ULONG count = 0, i;
    HRESULT hr;

    snprintf(sql, sizeof(sql), "%s WHERE f.parent = ? ORDER BY f.name COLLATE NOCASE", folder_select);
    if (!(statement = storedb_prepare(&store->db, &hr, sql, "i", parent))) return hr;
    while (SUCCEEDED(hr) && sqlite3_step(statement) == SQLITE_ROW) {
        ULONG n = folder_row_values(store, statement, values, ids);
        row->count = 0;
        row->used = 0;
        add_values(row, values, n);
        add_long(row, PR_DEPTH, depth);
        hr = add_row(data, row);
        if (SUCCEEDED(hr) && all_levels) {
            LONGLONG *more = realloc(children, (count + 1) * sizeof(*children));
            if (!more)
                hr = MAPI_E_NOT_ENOUGH_MEMORY;
            else
                (children = more)[count++] = sqlite3_column_int64(statement, 0);
        }
    }
    sqlite3_finalize(statement);
    /* Depth first, each folder's subfolders right after it: rows keep the order they were added in. */
    for (i = 0; SUCCEEDED(hr) && i < count; i++) hr = fill_folders(store, data, row, children[i], depth + 1, TRUE);
    free(children);
    return hr;
}

HRESULT storetable_hierarchy(struct store *store, LONGLONG folder, ULONG flags, IMAPITable **out)
{
    ITableData *data;
    struct row *row;
    HRESULT hr;

    if (flags & ~(CONVENIENT_DEPTH | MAPI_UNICODE | MAPI_DEFERRED_ERRORS | 0x2 /* SHOW_SOFT_DELETES */))
        return MAPI_E_UNKNOWN_FLAGS;
    if (!(row = calloc(1, sizeof(*row)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    row->unicode = !!(flags & MAPI_UNICODE);
    if (FAILED(hr = new_data(ARRAYSIZE(hierarchy_columns), hierarchy_columns, row->unicode, &data))) {
        free(row);
        return hr;
    }
    EnterCriticalSection(store->db.lock);
    hr = fill_folders(store, data, row, folder, 1, !!(flags & CONVENIENT_DEPTH));
    LeaveCriticalSection(store->db.lock);
    free(row);
    return SUCCEEDED(hr) ? make_view(store, data, NULL, TABLE_HIERARCHY, folder, flags, out)
                         : (ITableData_Release(data), hr);
}

static const ULONG receive_columns[] = { PR_INSTANCE_KEY, PR_ENTRYID, PR_RECORD_KEY, PR_MESSAGE_CLASS_W };

HRESULT storetable_receive_folders(struct store *store, ULONG flags, IMAPITable **out)
{
    struct sqlite3_stmt *statement;
    struct store_entry_id id;
    ITableData *data;
    struct row *row;
    ULONG number = 0;
    HRESULT hr;

    if (flags & ~(MAPI_UNICODE | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;
    if (!(row = calloc(1, sizeof(*row)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    row->unicode = !!(flags & MAPI_UNICODE);
    if (FAILED(hr = new_data(ARRAYSIZE(receive_columns), receive_columns, row->unicode, &data))) {
        free(row);
        return hr;
    }
    EnterCriticalSection(store->db.lock);
    if ((statement = storedb_prepare(&store->db, &hr, "SELECT class, folder FROM receive ORDER BY class", NULL))) {
        while (SUCCEEDED(hr) && sqlite3_step(statement) == SQLITE_ROW) {
            row->count = row->used = 0;
            number++;
            row->values[row->count].ulPropTag = PR_INSTANCE_KEY;
            row->values[row->count].Value.bin.cb = sizeof(number);
            row->values[row->count++].Value.bin.lpb = (BYTE *)&number;
            storeid_value(&row->values[row->count++], PR_ENTRYID, &store->db, KIND_FOLDER,
                          sqlite3_column_int64(statement, 1), &id);
            row->values[row->count] = row->values[row->count - 1];
            row->values[row->count++].ulPropTag = PR_RECORD_KEY;
            add_text(row, PR_MESSAGE_CLASS_W, sqlite3_column_text16(statement, 0));
            hr = add_row(data, row);
        }
        sqlite3_finalize(statement);
    }
    LeaveCriticalSection(store->db.lock);
    free(row);
    return SUCCEEDED(hr) ? make_view(store, data, NULL, TABLE_FIXED, 0, 0, out) : (ITableData_Release(data), hr);
}

static const ULONG queue_columns[] = {
    PR_INSTANCE_KEY, PR_ENTRYID,       PR_SUBMIT_FLAGS, PR_CLIENT_SUBMIT_TIME, PR_MESSAGE_SIZE,  PR_MESSAGE_FLAGS,
    PR_SUBJECT_W,    PR_SENDER_NAME_W, PR_DISPLAY_TO_W, PR_DISPLAY_CC_W,       PR_DISPLAY_BCC_W, PR_PRIORITY,
};

HRESULT storetable_outgoing_queue(struct store *store, ULONG flags, IMAPITable **out)
{
    SizedSSortOrderSet(1, by_time) = { 1, 0, 0, { { PR_CLIENT_SUBMIT_TIME, TABLE_SORT_ASCEND } } };
    ITableData *data;
    struct row *row;
    HRESULT hr;

    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (!(row = calloc(1, sizeof(*row)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    row->unicode = !!(flags & MAPI_UNICODE);
    if (FAILED(hr = new_data(ARRAYSIZE(queue_columns), queue_columns, row->unicode, &data))) {
        free(row);
        return hr;
    }
    EnterCriticalSection(store->db.lock);
    hr = fill_messages(store, data, row,
                       "SELECT " MESSAGE_COLUMNS
                       " FROM messages WHERE submit IS NOT NULL AND NOT submit & " SUBMIT_SENT_PENDING_SQL,
                       NULL, 0, 0);
    LeaveCriticalSection(store->db.lock);
    free(row);
    return SUCCEEDED(hr) ? make_view(store, data, (SSortOrderSet *)&by_time, TABLE_FIXED, 0, 0, out)
                         : (ITableData_Release(data), hr);
}

/* ---- following the store's changes ---- */

/* An open table's data, referenced, to change outside the list's lock (the views' sinks may call the store). */
struct open_table {
    ITableData *data;
    LONGLONG folder;
    ULONG flags;
};

/* The open tables of kind, over folder (any folder with ANY_FOLDER); the caller releases each data and frees. */
#define ANY_FOLDER (-1)
static ULONG open_tables(struct store *store, enum table_kind kind, LONGLONG folder, struct open_table **out)
{
    struct store_object *object;
    struct open_table *tables = NULL, *more;
    ULONG count = 0;

    AcquireSRWLockShared(&store->objects_lock);
    for (object = store->objects; object; object = object->next) {
        struct store_table *table = CONTAINING_RECORD(object, struct store_table, object);
        if (object->close != close_table || object->closed || !table->data || table->kind != kind
            || (folder != ANY_FOLDER && table->folder != folder))
            continue;
        if (!(more = realloc(tables, (count + 1) * sizeof(*tables)))) break;
        tables = more;
        tables[count].data = table->data;
        tables[count].folder = table->folder;
        tables[count++].flags = table->flags;
        ITableData_AddRef(table->data);
    }
    ReleaseSRWLockShared(&store->objects_lock);
    *out = tables;
    return count;
}

static void release_tables(struct open_table *tables, ULONG count)
{
    ULONG i;

    for (i = 0; i < count; i++) ITableData_Release(tables[i].data);
    free(tables);
}

/* The key of a row: its instance key, the entry ID. */
static void row_key(struct store *store, ULONG kind, LONGLONG id, SPropValue *key, struct store_entry_id *storage)
{
    storeid_value(key, PR_INSTANCE_KEY, &store->db, kind, id, storage);
}

void storetable_message_changed(struct store *store, LONGLONG id, LONGLONG folder)
{
    struct open_table *tables;
    struct store_entry_id storage;
    struct sqlite3_stmt *statement;
    SPropValue key;
    struct row *row;
    ULONG count, i;
    HRESULT hr;

    if (!(count = open_tables(store, TABLE_CONTENTS, folder, &tables))) return;
    row_key(store, KIND_MESSAGE, id, &key, &storage);
    if ((row = calloc(1, sizeof(*row)))) {
        EnterCriticalSection(store->db.lock);
        for (i = 0; i < count; i++) {
            /* Where the message is now one of the table's, its row is changed or added; else it goes. */
            statement = storedb_prepare(&store->db, &hr,
                                        "SELECT " MESSAGE_COLUMNS " FROM messages"
                                        " WHERE id = ? AND folder = ? AND associated = ?",
                                        "iil", id, folder, (ULONG) !!(tables[i].flags & MAPI_ASSOCIATED));
            row->unicode = !!(tables[i].flags & MAPI_UNICODE);
            if (statement && sqlite3_step(statement) == SQLITE_ROW) {
                message_row(store, statement, row);
                add_row(tables[i].data, row);
            } else
                ITableData_HrDeleteRow(tables[i].data, &key);
            sqlite3_finalize(statement);
        }
        LeaveCriticalSection(store->db.lock);
        free(row);
    }
    release_tables(tables, count);
}

/* A folder's row changed in place, at the depth it has in the table. */
static void modify_folder_row(struct store *store, ITableData *data, struct row *row, LONGLONG id)
{
    struct store_entry_id storage, ids[3];
    struct sqlite3_stmt *statement;
    SPropValue key, values[32];
    SRow *old;
    LONG depth = 1;
    char sql[1024];
    HRESULT hr;
    ULONG i;

    row_key(store, KIND_FOLDER, id, &key, &storage);
    if (FAILED(ITableData_HrQueryRow(data, &key, &old, NULL))) return; /* not one of this table's folders */
    for (i = 0; i < old->cValues; i++)
        if (old->lpProps[i].ulPropTag == PR_DEPTH) depth = old->lpProps[i].Value.l;
    sample_free_buffer(old);
    snprintf(sql, sizeof(sql), "%s WHERE f.id = ?", folder_select);
    if (!(statement = storedb_prepare(&store->db, &hr, sql, "i", id))) return;
    if (sqlite3_step(statement) == SQLITE_ROW) {
        ULONG n = folder_row_values(store, statement, values, ids);
        row->count = row->used = 0;
        add_values(row, values, n);
        add_long(row, PR_DEPTH, depth);
        add_row(data, row);
    }
    sqlite3_finalize(statement);
}

void storetable_folder_changed(struct store *store, LONGLONG id, BOOL tree_changed)
{
    struct open_table *tables;
    struct row *row;
    ULONG count, i, deleted;

    if (!(count = open_tables(store, TABLE_HIERARCHY, ANY_FOLDER, &tables))) return;
    if ((row = calloc(1, sizeof(*row)))) {
        EnterCriticalSection(store->db.lock);
        for (i = 0; i < count; i++) {
            row->unicode = !!(tables[i].flags & MAPI_UNICODE);
            if (!tree_changed) {
                modify_folder_row(store, tables[i].data, row, id);
                continue;
            }
            /* Folders came, went or moved: the rows again, which the views hear as TABLE_RELOAD. */
            ITableData_HrDeleteRows(tables[i].data, TAD_ALL_ROWS, NULL, &deleted);
            fill_folders(store, tables[i].data, row, tables[i].folder, 1, !!(tables[i].flags & CONVENIENT_DEPTH));
        }
        LeaveCriticalSection(store->db.lock);
        free(row);
    }
    release_tables(tables, count);
}

void storetable_contents_reload(struct store *store, LONGLONG folder)
{
    struct open_table *tables;
    struct row *row;
    ULONG count, i, deleted;

    if (!(count = open_tables(store, TABLE_CONTENTS, folder, &tables))) return;
    if ((row = calloc(1, sizeof(*row)))) {
        EnterCriticalSection(store->db.lock);
        for (i = 0; i < count; i++) {
            row->unicode = !!(tables[i].flags & MAPI_UNICODE);
            ITableData_HrDeleteRows(tables[i].data, TAD_ALL_ROWS, NULL, &deleted);
            fill_contents(store, tables[i].data, row, folder, tables[i].flags);
        }
        LeaveCriticalSection(store->db.lock);
        free(row);
    }
    release_tables(tables, count);
}
