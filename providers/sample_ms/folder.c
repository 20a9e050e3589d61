/*
 * IMAPIFolder over a row of the store's folders table. A folder keeps no state but its row ID: every property is read
 * from the database when asked, so the counts (PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_ASSOC_CONTENT_COUNT,
 * PR_SUBFOLDERS) are right whoever changed the store. Changes are saved at once, each in one transaction; a folder's
 * SaveChanges has nothing left to do. Search folders are not made (no STORE_SEARCH_OK), so SetSearchCriteria and
 * GetSearchCriteria answer MAPI_E_NO_SUPPORT. The well-known folders can be neither moved nor deleted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3.h"
#include "store.h"

#define FOLDER_ACCESS                                                                                                  \
    (MAPI_ACCESS_READ | MAPI_ACCESS_MODIFY | MAPI_ACCESS_DELETE | MAPI_ACCESS_CREATE_HIERARCHY                         \
     | MAPI_ACCESS_CREATE_CONTENTS | MAPI_ACCESS_CREATE_ASSOCIATED)

struct folder {
    IMAPIFolder IMAPIFolder_iface;
    LONG refcount;
    struct store_object object;
    LONGLONG id;
};

static inline struct folder *impl_from_IMAPIFolder(IMAPIFolder *iface)
{
    return CONTAINING_RECORD(iface, struct folder, IMAPIFolder_iface);
}

const char folder_select[] =
    "SELECT f.id, f.parent, f.type, f.name, f.comment, f.class, f.created, f.modified, f.role,"
    " (SELECT count(*) FROM messages m WHERE m.folder = f.id AND m.associated = 0),"
    " (SELECT count(*) FROM messages m WHERE m.folder = f.id AND m.associated = 0 AND (m.flags & 1) = 0),"
    " (SELECT count(*) FROM messages m WHERE m.folder = f.id AND m.associated = 1),"
    " EXISTS(SELECT 1 FROM folders c WHERE c.parent = f.id) FROM folders f";

static void set_text(SPropValue *value, ULONG tag, struct sqlite3_stmt *row, int column)
{
    value->ulPropTag = tag;
    value->Value.lpszW = (WCHAR *)sqlite3_column_text16(row, column);
}

static void set_time(SPropValue *value, ULONG tag, LONGLONG time)
{
    value->ulPropTag = tag;
    value->Value.ft = store_filetime(time);
}

static void set_long(SPropValue *value, ULONG tag, LONG number)
{
    value->ulPropTag = tag;
    value->Value.l = number;
}

ULONG folder_row_values(struct store *store, struct sqlite3_stmt *row, SPropValue *values, struct store_entry_id ids[3])
{
    LONGLONG id = sqlite3_column_int64(row, 0), parent = sqlite3_column_int64(row, 1);
    BOOL well_known = sqlite3_column_type(row, 8) != SQLITE_NULL;
    ULONG n = 0;

    storeid_value(&values[n++], PR_ENTRYID, &store->db, KIND_FOLDER, id, &ids[0]);
    values[n] = values[n - 1];
    values[n++].ulPropTag = PR_RECORD_KEY;
    values[n] = values[n - 1];
    values[n++].ulPropTag = PR_INSTANCE_KEY;
    /* The root is its own parent, as in Outlook's stores. */
    storeid_value(&values[n++], PR_PARENT_ENTRYID, &store->db, KIND_FOLDER, parent ? parent : id, &ids[1]);
    values[n].ulPropTag = PR_STORE_ENTRYID;
    values[n].Value.bin.cb = store->entry_id_size;
    values[n++].Value.bin.lpb = store->entry_id;
    values[n].ulPropTag = PR_STORE_RECORD_KEY;
    values[n].Value.bin.cb = sizeof(store->db.uid);
    values[n++].Value.bin.lpb = store->db.uid.ab;
    set_long(&values[n++], PR_OBJECT_TYPE, MAPI_FOLDER);
    set_long(&values[n++], PR_FOLDER_TYPE, sqlite3_column_int(row, 2));
    set_long(&values[n++], PR_DISPLAY_TYPE, DT_FOLDER);
    set_long(&values[n++], PR_STATUS, 0);
    set_text(&values[n++], PR_DISPLAY_NAME_W, row, 3);
    if (sqlite3_column_type(row, 4) != SQLITE_NULL) set_text(&values[n++], PR_COMMENT_W, row, 4);
    if (sqlite3_column_type(row, 5) != SQLITE_NULL) set_text(&values[n++], PR_CONTAINER_CLASS_W, row, 5);
    set_time(&values[n++], PR_CREATION_TIME, sqlite3_column_int64(row, 6));
    set_time(&values[n++], PR_LAST_MODIFICATION_TIME, sqlite3_column_int64(row, 7));
    set_long(&values[n++], PR_CONTENT_COUNT, sqlite3_column_int(row, 9));
    set_long(&values[n++], PR_CONTENT_UNREAD, sqlite3_column_int(row, 10));
    set_long(&values[n++], PR_ASSOC_CONTENT_COUNT, sqlite3_column_int(row, 11));
    values[n].ulPropTag = PR_SUBFOLDERS;
    values[n++].Value.b = (unsigned short)sqlite3_column_int(row, 12);
    set_long(&values[n++], PR_ACCESS,
             well_known ? MAPI_ACCESS_READ | MAPI_ACCESS_MODIFY | MAPI_ACCESS_CREATE_HIERARCHY
                              | MAPI_ACCESS_CREATE_CONTENTS | MAPI_ACCESS_CREATE_ASSOCIATED
                        : FOLDER_ACCESS);
    set_long(&values[n++], PR_ACCESS_LEVEL, MAPI_MODIFY);
    return n;
}

void folder_touch(struct store *store, LONGLONG folder)
{
    storedb_exec(&store->db, "UPDATE folders SET modified = ? WHERE id = ?", "ii", store_now(), folder);
    store_changed(store, fnevObjectModified, KIND_FOLDER, folder,
                  storedb_integer(&store->db, 0, "SELECT parent FROM folders WHERE id = ?", "i", folder), 0, 0);
}

/* A string argument in the width the flags say, as WCHAR. */
static BOOL wide_argument(const void *text, ULONG flags, WCHAR *out, int size)
{
    if (!text) return FALSE;
    if (flags & MAPI_UNICODE) {
        if (IsBadStringPtrW(text, size) || wcslen(text) >= (size_t)size) return FALSE;
        wcscpy(out, text);
        return TRUE;
    }
    if (IsBadStringPtrA(text, size)) return FALSE;
    return MultiByteToWideChar(CP_ACP, 0, text, -1, out, size) > 0;
}

static HRESULT usable(struct folder *folder)
{
    return store_object_usable(&folder->object);
}

static HRESULT WINAPI folder_QueryInterface(IMAPIFolder *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IMAPIContainer, &IID_IMAPIFolder, NULL };

    return sample_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI folder_AddRef(IMAPIFolder *iface)
{
    return InterlockedIncrement(&impl_from_IMAPIFolder(iface)->refcount);
}

static ULONG WINAPI folder_Release(IMAPIFolder *iface)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    ULONG refcount = InterlockedDecrement(&folder->refcount);

    if (!refcount) {
        store_object_remove(&folder->object);
        free(folder);
    }
    return refcount;
}

SAMPLE_MAPIPROP_BASE(folder, IMAPIFolder)

static HRESULT WINAPI folder_GetNamesFromIDs(IMAPIFolder *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                             ULONG *count, MAPINAMEID ***names)
{
    return storenames_names(impl_from_IMAPIFolder(iface)->object.store, tags, guid, flags, count, names);
}

static HRESULT WINAPI folder_GetIDsFromNames(IMAPIFolder *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                             SPropTagArray **tags)
{
    return storenames_ids(impl_from_IMAPIFolder(iface)->object.store, count, names, flags, tags);
}

/* Folders are saved as they change. */
static HRESULT WINAPI folder_SaveChanges(IMAPIFolder *iface, ULONG flags)
{
    return usable(impl_from_IMAPIFolder(iface));
}

static HRESULT get_folder_props(struct folder *folder, SPropTagArray *tags, ULONG flags, ULONG *count,
                                SPropValue **values, SPropTagArray **list)
{
    struct store *store = folder->object.store;
    struct store_entry_id ids[3];
    struct sqlite3_stmt *row;
    SPropValue props[32];
    struct propbag bag;
    char sql[1024];
    HRESULT hr;

    if (FAILED(hr = usable(folder))) return hr;
    snprintf(sql, sizeof(sql), "%s WHERE f.id = ?", folder_select);
    EnterCriticalSection(store->db.lock);
    if ((row = storedb_prepare(&store->db, &hr, sql, "i", folder->id))) {
        if (sqlite3_step(row) == SQLITE_ROW) {
            bag.count = folder_row_values(store, row, props, ids);
            bag.values = props;
            hr = list ? propbag_get_prop_list(&bag, list) : propbag_get_props(&bag, tags, flags, count, values);
        } else
            hr = MAPI_E_OBJECT_DELETED;
        sqlite3_finalize(row);
    }
    LeaveCriticalSection(store->db.lock);
    return hr;
}

static HRESULT WINAPI folder_GetProps(IMAPIFolder *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                      SPropValue **values)
{
    return get_folder_props(impl_from_IMAPIFolder(iface), tags, flags, count, values, NULL);
}

static HRESULT WINAPI folder_GetPropList(IMAPIFolder *iface, ULONG flags, SPropTagArray **tags)
{
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    return get_folder_props(impl_from_IMAPIFolder(iface), NULL, flags, NULL, NULL, tags);
}

/* Problems for the properties a folder does not take, one per tag. */
static HRESULT add_problem(SPropProblemArray **problems, ULONG total, ULONG index, ULONG tag, SCODE error)
{
    SPropProblemArray *array = *problems;

    if (!array) {
        if (sample_allocate_buffer(CbNewSPropProblemArray(total), (void **)&array)) return MAPI_E_NOT_ENOUGH_MEMORY;
        array->cProblem = 0;
        *problems = array;
    }
    array->aProblem[array->cProblem].ulIndex = index;
    array->aProblem[array->cProblem].ulPropTag = tag;
    array->aProblem[array->cProblem++].scode = error;
    return S_OK;
}

static const char *column_of(ULONG tag)
{
    switch (PROP_ID(tag)) {
    case PROP_ID(PR_DISPLAY_NAME_W): return "name";
    case PROP_ID(PR_COMMENT_W): return "comment";
    case PROP_ID(PR_CONTAINER_CLASS_W): return "class";
    }
    return NULL;
}

static HRESULT set_column(struct folder *folder, const SPropValue *value)
{
    struct storedb *db = &folder->object.store->db;
    char sql[128];
    WCHAR text[1024];

    if (!wide_argument(value->Value.lpszA, PROP_TYPE(value->ulPropTag) == PT_UNICODE ? MAPI_UNICODE : 0, text,
                       ARRAYSIZE(text)))
        return MAPI_E_INVALID_PARAMETER;
    if (PROP_ID(value->ulPropTag) == PROP_ID(PR_DISPLAY_NAME_W) && !text[0]) return MAPI_E_INVALID_PARAMETER;
    snprintf(sql, sizeof(sql), "UPDATE folders SET %s = ?, modified = ? WHERE id = ?", column_of(value->ulPropTag));
    return storedb_exec(db, sql, "tii", text, store_now(), folder->id);
}

static HRESULT WINAPI folder_SetProps(IMAPIFolder *iface, ULONG count, SPropValue *values, SPropProblemArray **problems)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    struct storedb *db = &folder->object.store->db;
    SPropProblemArray *found = NULL;
    HRESULT hr;
    ULONG i;

    if (problems) *problems = NULL;
    if (FAILED(hr = usable(folder))) return hr;
    if (!values || IsBadReadPtr(values, count * sizeof(*values))) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = storedb_begin(db))) return hr;
    for (i = 0; SUCCEEDED(hr) && i < count; i++) {
        ULONG tag = values[i].ulPropTag, type = PROP_TYPE(tag);
        if (column_of(tag) && (type == PT_STRING8 || type == PT_UNICODE))
            hr = set_column(folder, &values[i]);
        else
            hr = add_problem(&found, count, i, tag, column_of(tag) ? MAPI_E_BAD_VALUE : MAPI_E_COMPUTED);
    }
    if (SUCCEEDED(hr)) folder_touch(folder->object.store, folder->id);
    if (FAILED(hr = store_finish(folder->object.store, hr))) {
        if (found) sample_free_buffer(found);
        return hr;
    }
    if (problems)
        *problems = found;
    else if (found)
        sample_free_buffer(found);
    return S_OK;
}

static HRESULT WINAPI folder_DeleteProps(IMAPIFolder *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    struct storedb *db = &folder->object.store->db;
    SPropProblemArray *found = NULL;
    char sql[128];
    HRESULT hr;
    ULONG i;

    if (problems) *problems = NULL;
    if (FAILED(hr = usable(folder))) return hr;
    if (!tags || IsBadReadPtr(tags, CbNewSPropTagArray(0))) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = storedb_begin(db))) return hr;
    for (i = 0; SUCCEEDED(hr) && i < tags->cValues; i++) {
        const char *column = column_of(tags->aulPropTag[i]);
        if (column && strcmp(column, "name")) {
            snprintf(sql, sizeof(sql), "UPDATE folders SET %s = NULL WHERE id = ?", column);
            hr = storedb_exec(db, sql, "i", folder->id);
        } else
            hr = add_problem(&found, tags->cValues, i, tags->aulPropTag[i], MAPI_E_COMPUTED);
    }
    hr = store_finish(folder->object.store, hr);
    if (FAILED(hr) || !problems) {
        if (found) sample_free_buffer(found);
        return hr;
    }
    *problems = found;
    return S_OK;
}

static HRESULT WINAPI folder_GetContentsTable(IMAPIFolder *iface, ULONG flags, IMAPITable **table)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    HRESULT hr;

    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (FAILED(hr = usable(folder))) return hr;
    return storetable_contents(folder->object.store, folder->id, flags, table);
}

static HRESULT WINAPI folder_GetHierarchyTable(IMAPIFolder *iface, ULONG flags, IMAPITable **table)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    HRESULT hr;

    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (FAILED(hr = usable(folder))) return hr;
    return storetable_hierarchy(folder->object.store, folder->id, flags, table);
}

static HRESULT WINAPI folder_OpenEntry(IMAPIFolder *iface, ULONG size, ENTRYID *entry_id, const IID *iid, ULONG flags,
                                       ULONG *type, IUnknown **out)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    HRESULT hr;

    if (FAILED(hr = usable(folder))) return hr;
    if (!entry_id) { /* the folder itself */
        if (FAILED(hr = folder_open(folder->object.store, folder->id, (IMAPIFolder **)out))) return hr;
        if (type) *type = MAPI_FOLDER;
        return S_OK;
    }
    return IMsgStore_OpenEntry(&folder->object.store->IMsgStore_iface, size, entry_id, iid, flags, type, out);
}

static HRESULT WINAPI folder_SetSearchCriteria(IMAPIFolder *iface, SRestriction *restriction, ENTRYLIST *containers,
                                               ULONG flags)
{
    sample_trace("IMAPIFolder::SetSearchCriteria: not supported (no search folders)");
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_GetSearchCriteria(IMAPIFolder *iface, ULONG flags, SRestriction **restriction,
                                               ENTRYLIST **containers, ULONG *state)
{
    sample_trace("IMAPIFolder::GetSearchCriteria: not supported (no search folders)");
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI folder_CreateMessage(IMAPIFolder *iface, const IID *iid, ULONG flags, IMessage **message)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    HRESULT hr;

    if (!message) return MAPI_E_INVALID_PARAMETER;
    *message = NULL;
    if (FAILED(hr = usable(folder))) return hr;
    if (iid && !IsEqualIID(iid, &IID_IMessage) && !IsEqualIID(iid, &IID_IMAPIProp) && !IsEqualIID(iid, &IID_IUnknown))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    return message_create(folder->object.store, folder->id, !!(flags & MAPI_ASSOCIATED), message);
}

/* The folder a client passed as a destination, if it is one of this store's. */
static struct folder *our_folder(struct folder *source, void *dest)
{
    IMAPIFolder *iface = dest;

    if (!iface || IsBadReadPtr(iface, sizeof(*iface)) || iface->lpVtbl != source->IMAPIFolder_iface.lpVtbl) return NULL;
    return impl_from_IMAPIFolder(iface)->object.store == source->object.store ? impl_from_IMAPIFolder(iface) : NULL;
}

/* The message IDs of a list, each checked to be in folder; *missing counts the others. */
static HRESULT list_message(struct folder *folder, const SBinary *entry, LONGLONG *id)
{
    struct storedb *db = &folder->object.store->db;
    ULONG kind;

    if (!storeid_parse(db, entry->cb, (const ENTRYID *)entry->lpb, &kind, id) || kind != KIND_MESSAGE)
        return MAPI_E_NOT_FOUND;
    return storedb_integer(db, 0, "SELECT count(*) FROM messages WHERE id = ? AND folder = ?", "ii", *id, folder->id)
               ? S_OK
               : MAPI_E_NOT_FOUND;
}

static BOOL valid_list(const ENTRYLIST *list)
{
    return list && !IsBadReadPtr(list, sizeof(*list))
           && (!list->cValues || !IsBadReadPtr(list->lpbin, list->cValues * sizeof(*list->lpbin)));
}

static HRESULT WINAPI folder_CopyMessages(IMAPIFolder *iface, ENTRYLIST *list, const IID *iid, void *dest_folder,
                                          ULONG_PTR ui_param, IMAPIProgress *progress, ULONG flags)
{
    struct folder *folder = impl_from_IMAPIFolder(iface), *dest;
    struct store *store = folder->object.store;
    ULONG i, missing = 0;
    LONGLONG id, copy;
    HRESULT hr;

    if (FAILED(hr = usable(folder))) return hr;
    if (!valid_list(list) || !dest_folder || (flags & ~(MESSAGE_MOVE | MESSAGE_DIALOG | MAPI_DECLINE_OK)))
        return MAPI_E_INVALID_PARAMETER;
    /* Another store's folder: MAPI's support object copies between stores. */
    if (!(dest = our_folder(folder, dest_folder)))
        return IMAPISupport_CopyMessages(store->support, &IID_IMAPIFolder, iface, list, iid, dest_folder, ui_param,
                                         progress, flags);
    if (FAILED(hr = usable(dest))) return hr;
    if (FAILED(hr = storedb_begin(&store->db))) return hr;
    for (i = 0; SUCCEEDED(hr) && i < list->cValues; i++) {
        if (FAILED(list_message(folder, &list->lpbin[i], &id))) {
            missing++;
            continue;
        }
        if (flags & MESSAGE_MOVE) {
            hr = storedb_exec(&store->db, "UPDATE messages SET folder = ? WHERE id = ?", "ii", dest->id, id);
            store_changed(store, fnevObjectMoved, KIND_MESSAGE, id, dest->id, id, folder->id);
        } else if (SUCCEEDED(hr = message_copy_row(store, id, dest->id, &copy)))
            store_changed(store, fnevObjectCopied, KIND_MESSAGE, copy, dest->id, id, folder->id);
    }
    if (SUCCEEDED(hr)) {
        folder_touch(store, folder->id);
        folder_touch(store, dest->id);
    }
    hr = store_finish(store, hr);
    return FAILED(hr) ? hr : missing ? MAPI_W_PARTIAL_COMPLETION : S_OK;
}

static HRESULT WINAPI folder_DeleteMessages(IMAPIFolder *iface, ENTRYLIST *list, ULONG_PTR ui_param,
                                            IMAPIProgress *progress, ULONG flags)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    struct storedb *db = &folder->object.store->db;
    ULONG i, missing = 0;
    LONGLONG id;
    HRESULT hr;

    if (FAILED(hr = usable(folder))) return hr;
    if (!valid_list(list)) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = storedb_begin(db))) return hr;
    for (i = 0; SUCCEEDED(hr) && i < list->cValues; i++)
        if (FAILED(list_message(folder, &list->lpbin[i], &id)))
            missing++;
        else if (SUCCEEDED(hr = storedb_exec(db, "DELETE FROM messages WHERE id = ?", "i", id)))
            store_changed(folder->object.store, fnevObjectDeleted, KIND_MESSAGE, id, folder->id, 0, 0);
    if (SUCCEEDED(hr)) folder_touch(folder->object.store, folder->id);
    hr = store_finish(folder->object.store, hr);
    return FAILED(hr) ? hr : missing ? MAPI_W_PARTIAL_COMPLETION : S_OK;
}

static HRESULT WINAPI folder_CreateFolder(IMAPIFolder *iface, ULONG type, LPTSTR name, LPTSTR comment, const IID *iid,
                                          ULONG flags, IMAPIFolder **out)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    struct store *store = folder->object.store;
    WCHAR wide_name[256], wide_comment[1024];
    LONGLONG existing, now = store_now();
    HRESULT hr;

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (FAILED(hr = usable(folder))) return hr;
    if (!wide_argument(name, flags, wide_name, ARRAYSIZE(wide_name)) || !wide_name[0]
        || (comment && !wide_argument(comment, flags, wide_comment, ARRAYSIZE(wide_comment))))
        return MAPI_E_INVALID_PARAMETER;
    if (type == FOLDER_SEARCH) return MAPI_E_NO_SUPPORT;
    if (type != FOLDER_GENERIC) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = storedb_begin(&store->db))) return hr;
    existing = storedb_integer(&store->db, 0, "SELECT id FROM folders WHERE parent = ? AND name = ? COLLATE NOCASE",
                               "it", folder->id, wide_name);
    if (existing && !(flags & OPEN_IF_EXISTS))
        hr = MAPI_E_COLLISION;
    else if (!existing
             && SUCCEEDED(hr = storedb_exec(&store->db,
                                            "INSERT INTO folders(parent, type, name, comment, created, modified)"
                                            " VALUES(?,?,?,?,?,?)",
                                            "ilttii", folder->id, type, wide_name, comment ? wide_comment : NULL, now,
                                            now))) {
        existing = sqlite3_last_insert_rowid(store->db.db);
        store_changed(store, fnevObjectCreated, KIND_FOLDER, existing, folder->id, 0, 0);
        folder_touch(store, folder->id);
    }
    hr = store_finish(store, hr);
    if (FAILED(hr)) return hr;
    return folder_open(store, existing, out);
}

/* A subfolder of folder named by an entry ID, which may not be a well-known one when it is to be moved or deleted. */
static HRESULT subfolder(struct folder *folder, ULONG size, ENTRYID *entry_id, BOOL changing, LONGLONG *id)
{
    struct storedb *db = &folder->object.store->db;
    ULONG kind;

    if (!storeid_parse(db, size, entry_id, &kind, id) || kind != KIND_FOLDER) return MAPI_E_INVALID_ENTRYID;
    if (!storedb_integer(db, 0, "SELECT count(*) FROM folders WHERE id = ? AND parent = ?", "ii", *id, folder->id))
        return MAPI_E_NOT_FOUND;
    if (changing && storedb_integer(db, 0, "SELECT count(*) FROM folders WHERE id = ? AND role IS NOT NULL", "i", *id))
        return MAPI_E_NO_ACCESS;
    return S_OK;
}

/* The folder and everything under it, as a common table expression named "tree". */
#define FOLDER_TREE                                                                                                    \
    "WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT f.id FROM folders f JOIN tree ON f.parent = tree.id) "

/* Copies a folder's row, its messages and (with subfolders) its tree under parent. */
static HRESULT copy_tree(struct store *store, LONGLONG id, LONGLONG parent, const WCHAR *name, BOOL subfolders)
{
    struct sqlite3_stmt *children;
    LONGLONG copy, message, child;
    struct sqlite3_stmt *messages;
    HRESULT hr;

    if (FAILED(hr = storedb_exec(&store->db,
                                 "INSERT INTO folders(parent, type, name, comment, class, created, modified, sort)"
                                 " SELECT ?, type, coalesce(?, name), comment, class, ?, ?, sort FROM folders"
                                 " WHERE id = ?",
                                 "itiii", parent, name, store_now(), store_now(), id)))
        return hr;
    copy = sqlite3_last_insert_rowid(store->db.db);
    store_changed(store, fnevObjectCopied, KIND_FOLDER, copy, parent, id, 0);
    if (!(messages = storedb_prepare(&store->db, &hr, "SELECT id FROM messages WHERE folder = ?", "i", id))) return hr;
    while (SUCCEEDED(hr) && sqlite3_step(messages) == SQLITE_ROW) {
        message = sqlite3_column_int64(messages, 0);
        hr = message_copy_row(store, message, copy, &message);
    }
    sqlite3_finalize(messages);
    if (FAILED(hr) || !subfolders) return hr;
    if (!(children = storedb_prepare(&store->db, &hr, "SELECT id FROM folders WHERE parent = ?", "i", id))) return hr;
    while (SUCCEEDED(hr) && sqlite3_step(children) == SQLITE_ROW) {
        child = sqlite3_column_int64(children, 0);
        hr = copy_tree(store, child, copy, NULL, TRUE);
    }
    sqlite3_finalize(children);
    return hr;
}

static HRESULT WINAPI folder_CopyFolder(IMAPIFolder *iface, ULONG size, ENTRYID *entry_id, const IID *iid,
                                        void *dest_folder, LPTSTR new_name, ULONG_PTR ui_param, IMAPIProgress *progress,
                                        ULONG flags)
{
    struct folder *folder = impl_from_IMAPIFolder(iface), *dest;
    struct store *store = folder->object.store;
    WCHAR name[256];
    LONGLONG id;
    HRESULT hr;

    if (FAILED(hr = usable(folder))) return hr;
    if (!entry_id || !dest_folder || (new_name && !wide_argument(new_name, flags, name, ARRAYSIZE(name))))
        return MAPI_E_INVALID_PARAMETER;
    if (!(dest = our_folder(folder, dest_folder)))
        return IMAPISupport_CopyFolder(store->support, &IID_IMAPIFolder, iface, size, entry_id, iid, dest_folder,
                                       new_name, ui_param, progress, flags);
    if (FAILED(hr = usable(dest)) || FAILED(hr = storedb_begin(&store->db))) return hr;
    if (FAILED(hr = subfolder(folder, size, entry_id, !!(flags & FOLDER_MOVE), &id)))
        ;
    else if (storedb_integer(&store->db, 0, FOLDER_TREE "SELECT count(*) FROM tree WHERE id = ?", "ii", id, dest->id))
        hr = MAPI_E_FOLDER_CYCLE;
    else if (storedb_integer(&store->db, 0,
                             "SELECT count(*) FROM folders WHERE parent = ? AND name = coalesce(?, (SELECT name FROM"
                             " folders WHERE id = ?)) COLLATE NOCASE",
                             "iti", dest->id, new_name ? name : NULL, id))
        hr = MAPI_E_COLLISION;
    else if (flags & FOLDER_MOVE) {
        hr = storedb_exec(&store->db, "UPDATE folders SET parent = ?, name = coalesce(?, name) WHERE id = ?", "iti",
                          dest->id, new_name ? name : NULL, id);
        store_changed(store, fnevObjectMoved, KIND_FOLDER, id, dest->id, id, folder->id);
    } else
        hr = copy_tree(store, id, dest->id, new_name ? name : NULL, !!(flags & COPY_SUBFOLDERS));
    if (SUCCEEDED(hr)) {
        folder_touch(store, folder->id);
        folder_touch(store, dest->id);
    }
    return store_finish(store, hr);
}

/* Deletes a folder's messages (associated ones too with associated), and with subfolders its whole tree below. */
static HRESULT delete_contents(struct storedb *db, LONGLONG id, BOOL associated, BOOL subfolders)
{
    HRESULT hr;

    if (FAILED(hr = storedb_exec(db, "DELETE FROM messages WHERE folder = ? AND (? OR associated = 0)", "il", id,
                                 (ULONG)associated))
        || !subfolders)
        return hr;
    if (FAILED(hr = storedb_exec(db,
                                 FOLDER_TREE "DELETE FROM messages WHERE folder IN (SELECT id FROM tree WHERE id <> ?)",
                                 "ii", id, id))
        || FAILED(
            hr = storedb_exec(db, FOLDER_TREE "DELETE FROM receive WHERE folder IN (SELECT id FROM tree WHERE id <> ?)",
                              "ii", id, id)))
        return hr;
    return storedb_exec(db, FOLDER_TREE "DELETE FROM folders WHERE id IN (SELECT id FROM tree WHERE id <> ?)", "ii", id,
                        id);
}

static HRESULT WINAPI folder_DeleteFolder(IMAPIFolder *iface, ULONG size, ENTRYID *entry_id, ULONG_PTR ui_param,
                                          IMAPIProgress *progress, ULONG flags)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    struct storedb *db = &folder->object.store->db;
    LONGLONG id;
    HRESULT hr;

    if (FAILED(hr = usable(folder))) return hr;
    if (!entry_id || (flags & ~(DEL_FOLDERS | DEL_MESSAGES | FOLDER_DIALOG))) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = storedb_begin(db))) return hr;
    if (FAILED(hr = subfolder(folder, size, entry_id, TRUE, &id)))
        ;
    else if (!(flags & DEL_MESSAGES)
             && storedb_integer(db, 0, "SELECT count(*) FROM messages WHERE folder = ?", "i", id))
        hr = MAPI_E_HAS_MESSAGES;
    else if (!(flags & DEL_FOLDERS) && storedb_integer(db, 0, "SELECT count(*) FROM folders WHERE parent = ?", "i", id))
        hr = MAPI_E_HAS_FOLDERS;
    else if (SUCCEEDED(hr = delete_contents(db, id, TRUE, TRUE))
             && SUCCEEDED(hr = storedb_exec(db, "DELETE FROM receive WHERE folder = ?", "i", id))
             && SUCCEEDED(hr = storedb_exec(db, "DELETE FROM folders WHERE id = ?", "i", id)))
        store_changed(folder->object.store, fnevObjectDeleted, KIND_FOLDER, id, folder->id, 0, 0);
    if (SUCCEEDED(hr)) folder_touch(folder->object.store, folder->id);
    return store_finish(folder->object.store, hr);
}

static HRESULT WINAPI folder_SetReadFlags(IMAPIFolder *iface, ENTRYLIST *list, ULONG_PTR ui_param,
                                          IMAPIProgress *progress, ULONG flags)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    struct storedb *db = &folder->object.store->db;
    const char *sql = flags & CLEAR_READ_FLAG ? "UPDATE messages SET flags = flags & ~1 WHERE id = ?"
                                              : "UPDATE messages SET flags = flags | 1 WHERE id = ?";
    ULONG i, missing = 0;
    LONGLONG id;
    HRESULT hr;

    if (FAILED(hr = usable(folder))) return hr;
    if ((list && !valid_list(list))
        || (flags
            & ~(SUPPRESS_RECEIPT | CLEAR_READ_FLAG | MAPI_DEFERRED_ERRORS | GENERATE_RECEIPT_ONLY | CLEAR_RN_PENDING
                | CLEAR_NRN_PENDING | 0x2 /* FOLDER_DIALOG */)))
        return MAPI_E_INVALID_PARAMETER;
    if (flags & GENERATE_RECEIPT_ONLY) return S_OK; /* receipts are the transports' business; nothing changes here */
    if (FAILED(hr = storedb_begin(db))) return hr;
    if (!list) {
        hr = storedb_exec(db,
                          flags & CLEAR_READ_FLAG ? "UPDATE messages SET flags = flags & ~1 WHERE folder = ?"
                                                  : "UPDATE messages SET flags = flags | 1 WHERE folder = ?",
                          "i", folder->id);
        store_changed(folder->object.store, 0, KIND_CONTENTS, folder->id, 0, 0, 0);
    } else
        for (i = 0; SUCCEEDED(hr) && i < list->cValues; i++)
            if (FAILED(list_message(folder, &list->lpbin[i], &id)))
                missing++;
            else if (SUCCEEDED(hr = storedb_exec(db, sql, "i", id)))
                store_changed(folder->object.store, fnevObjectModified, KIND_MESSAGE, id, folder->id, 0, 0);
    if (SUCCEEDED(hr)) folder_touch(folder->object.store, folder->id); /* its unread count */
    hr = store_finish(folder->object.store, hr);
    return FAILED(hr) ? hr : missing ? MAPI_W_PARTIAL_COMPLETION : S_OK;
}

static HRESULT WINAPI folder_GetMessageStatus(IMAPIFolder *iface, ULONG size, ENTRYID *entry_id, ULONG flags,
                                              ULONG *status)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    SBinary entry = { size, (BYTE *)entry_id };
    LONGLONG id;
    HRESULT hr;

    if (FAILED(hr = usable(folder))) return hr;
    if (!entry_id || !status) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = list_message(folder, &entry, &id))) return hr;
    *status = (ULONG)storedb_integer(&folder->object.store->db, 0, "SELECT status FROM messages WHERE id = ?", "i", id);
    return S_OK;
}

static HRESULT WINAPI folder_SetMessageStatus(IMAPIFolder *iface, ULONG size, ENTRYID *entry_id, ULONG status,
                                              ULONG mask, ULONG *old_status)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    struct storedb *db = &folder->object.store->db;
    SBinary entry = { size, (BYTE *)entry_id };
    ULONG old;
    LONGLONG id;
    HRESULT hr;

    if (FAILED(hr = usable(folder))) return hr;
    if (!entry_id) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = storedb_begin(db))) return hr;
    if (SUCCEEDED(hr = list_message(folder, &entry, &id))) {
        old = (ULONG)storedb_integer(db, 0, "SELECT status FROM messages WHERE id = ?", "i", id);
        hr = storedb_exec(db, "UPDATE messages SET status = ? WHERE id = ?", "li", (old & ~mask) | (status & mask), id);
        store_changed(folder->object.store, fnevObjectModified, KIND_MESSAGE, id, folder->id, 0, 0);
    }
    hr = store_finish(folder->object.store, hr);
    if (SUCCEEDED(hr) && old_status) *old_status = old;
    return hr;
}

static HRESULT WINAPI folder_SaveContentsSort(IMAPIFolder *iface, SSortOrderSet *sort, ULONG flags)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    HRESULT hr;

    if (FAILED(hr = usable(folder))) return hr;
    if (!sort || IsBadReadPtr(sort, CbNewSSortOrderSet(0)) || IsBadReadPtr(sort, CbSSortOrderSet(sort)))
        return MAPI_E_INVALID_PARAMETER;
    return storedb_exec(&folder->object.store->db, "UPDATE folders SET sort = ? WHERE id = ?", "bi",
                        (ULONG)CbSSortOrderSet(sort), sort, folder->id);
}

static HRESULT WINAPI folder_EmptyFolder(IMAPIFolder *iface, ULONG_PTR ui_param, IMAPIProgress *progress, ULONG flags)
{
    struct folder *folder = impl_from_IMAPIFolder(iface);
    struct storedb *db = &folder->object.store->db;
    HRESULT hr;

    if (FAILED(hr = usable(folder))) return hr;
    if (flags & ~(DEL_ASSOCIATED | FOLDER_DIALOG)) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = storedb_begin(db))) return hr;
    /* The well-known folders under it stay, emptied. */
    if (storedb_integer(db, 0,
                        FOLDER_TREE "SELECT count(*) FROM folders WHERE role IS NOT NULL AND id IN"
                                    " (SELECT id FROM tree WHERE id <> ?)",
                        "ii", folder->id, folder->id))
        hr = MAPI_E_NO_ACCESS;
    else if (SUCCEEDED(hr = delete_contents(db, folder->id, !!(flags & DEL_ASSOCIATED), TRUE)))
        store_changed(folder->object.store, 0, KIND_CONTENTS, folder->id, 0, 0, 0);
    if (SUCCEEDED(hr)) folder_touch(folder->object.store, folder->id);
    return store_finish(folder->object.store, hr);
}

static const IMAPIFolderVtbl folder_vtbl = {
    folder_QueryInterface,    folder_AddRef,           folder_Release,
    folder_GetLastError,      folder_SaveChanges,      folder_GetProps,
    folder_GetPropList,       folder_OpenProperty,     folder_SetProps,
    folder_DeleteProps,       folder_CopyTo,           folder_CopyProps,
    folder_GetNamesFromIDs,   folder_GetIDsFromNames,  folder_GetContentsTable,
    folder_GetHierarchyTable, folder_OpenEntry,        folder_SetSearchCriteria,
    folder_GetSearchCriteria, folder_CreateMessage,    folder_CopyMessages,
    folder_DeleteMessages,    folder_CreateFolder,     folder_CopyFolder,
    folder_DeleteFolder,      folder_SetReadFlags,     folder_GetMessageStatus,
    folder_SetMessageStatus,  folder_SaveContentsSort, folder_EmptyFolder,
};

HRESULT folder_open(struct store *store, LONGLONG id, IMAPIFolder **out)
{
    struct folder *folder;

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!storedb_integer(&store->db, 0, "SELECT count(*) FROM folders WHERE id = ?", "i", id)) return MAPI_E_NOT_FOUND;
    if (!(folder = calloc(1, sizeof(*folder)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    folder->IMAPIFolder_iface.lpVtbl = &folder_vtbl;
    folder->refcount = 1;
    folder->id = id;
    store_object_add(store, &folder->object, NULL);
    *out = &folder->IMAPIFolder_iface;
    return S_OK;
}
