/*
 * The store's one map of named properties (GetIDsFromNames, GetNamesFromIDs on the store, its folders and messages):
 * a name (a property set GUID and a number or a string) gets the ID 0x8000 + its row in the names table, the same
 * in every object, session and process, for the life of the store.
 */
#include <string.h>

#include "sqlite3.h"
#include "store.h"

#define FIRST_NAMED_ID 0x8000
#define LAST_NAMED_ID 0xFFFE

static BOOL valid_name(const MAPINAMEID *name)
{
    if (!name || IsBadReadPtr(name, sizeof(*name)) || !name->lpguid || IsBadReadPtr(name->lpguid, sizeof(GUID)))
        return FALSE;
    if (name->ulKind == MNID_ID) return TRUE;
    return name->ulKind == MNID_STRING && name->Kind.lpwstrName && !IsBadStringPtrW(name->Kind.lpwstrName, 4096);
}

/* The ID of one name, made with create: 0 when it has none (or is not valid). */
static ULONG name_id(struct storedb *db, const MAPINAMEID *name, BOOL create)
{
    const WCHAR *text = name->ulKind == MNID_STRING ? name->Kind.lpwstrName : NULL;
    LONGLONG id, lid = name->ulKind == MNID_ID ? name->Kind.lID : 0;

    id = storedb_integer(db, 0, "SELECT id FROM names WHERE guid = ? AND kind = ? AND lid IS ? AND name IS ?", "blit",
                         (ULONG)sizeof(GUID), name->lpguid, name->ulKind, text ? (LONGLONG)0 : lid, text);
    if (!id && create
        && SUCCEEDED(storedb_exec(db, "INSERT INTO names(guid, kind, lid, name) VALUES(?,?,?,?)", "blit",
                                  (ULONG)sizeof(GUID), name->lpguid, name->ulKind, text ? (LONGLONG)0 : lid, text)))
        id = sqlite3_last_insert_rowid(db->db);
    return id && id + FIRST_NAMED_ID - 1 <= LAST_NAMED_ID ? (ULONG)(id + FIRST_NAMED_ID - 1) : 0;
}

HRESULT storenames_ids(struct store *store, ULONG count, MAPINAMEID **names, ULONG flags, SPropTagArray **tags)
{
    struct storedb *db = &store->db;
    SPropTagArray *result;
    ULONG i, missing = 0, id;
    HRESULT hr;

    if (!tags) return MAPI_E_INVALID_PARAMETER;
    *tags = NULL;
    if (!count || !names || IsBadReadPtr(names, count * sizeof(*names))) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; i < count; i++)
        if (!valid_name(names[i])) return MAPI_E_INVALID_PARAMETER;
    if (sample_allocate_buffer(CbNewSPropTagArray(count), (void **)&result)) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr = storedb_begin(db))) {
        sample_free_buffer(result);
        return hr;
    }
    result->cValues = count;
    for (i = 0; i < count; i++) {
        id = name_id(db, names[i], !!(flags & MAPI_CREATE));
        result->aulPropTag[i] = id ? PROP_TAG(PT_UNSPECIFIED, id) : PROP_TAG(PT_ERROR, 0);
        missing += !id;
    }
    if (FAILED(hr = storedb_commit(db))) {
        sample_free_buffer(result);
        return hr;
    }
    *tags = result;
    return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

/* One name into names[i], allocated on parent; FALSE when the ID has no name. */
static BOOL fill_name(struct storedb *db, ULONG id, const GUID *only, MAPINAMEID **out, void *parent)
{
    struct sqlite3_stmt *row;
    MAPINAMEID *name = NULL;
    const void *text;
    HRESULT hr;
    int size;

    *out = NULL;
    if (id < FIRST_NAMED_ID || id > LAST_NAMED_ID) return FALSE;
    if (!(row = storedb_prepare(db, &hr, "SELECT guid, kind, lid, name FROM names WHERE id = ?", "i",
                                (LONGLONG)(id - FIRST_NAMED_ID + 1))))
        return FALSE;
    if (sqlite3_step(row) == SQLITE_ROW && sqlite3_column_bytes(row, 0) == sizeof(GUID)
        && (!only || !memcmp(only, sqlite3_column_blob(row, 0), sizeof(GUID)))
        && !sample_allocate_more(sizeof(*name) + sizeof(GUID), parent, (void **)&name)) {
        name->lpguid = (GUID *)(name + 1);
        memcpy(name->lpguid, sqlite3_column_blob(row, 0), sizeof(GUID));
        name->ulKind = sqlite3_column_int(row, 1);
        if (name->ulKind == MNID_ID)
            name->Kind.lID = sqlite3_column_int(row, 2);
        else {
            text = sqlite3_column_text16(row, 3);
            size = sqlite3_column_bytes16(row, 3) + sizeof(WCHAR);
            if (sample_allocate_more(size, parent, (void **)&name->Kind.lpwstrName))
                name = NULL;
            else
                memcpy(name->Kind.lpwstrName, text, size);
        }
    }
    sqlite3_finalize(row);
    *out = name;
    return name != NULL;
}

HRESULT storenames_names(struct store *store, SPropTagArray **tags, GUID *guid, ULONG flags, ULONG *count,
                         MAPINAMEID ***names)
{
    struct storedb *db = &store->db;
    SPropTagArray *asked;
    MAPINAMEID **result;
    ULONG i, n, found = 0;
    HRESULT hr = S_OK;

    if (!tags || !count || !names) return MAPI_E_INVALID_PARAMETER;
    *count = 0;
    *names = NULL;
    EnterCriticalSection(db->lock);
    /* No tags: every name the store has (of the property set guid, if one is given), and their tags. */
    if (!*tags) {
        n = (ULONG)storedb_integer(db, 0, "SELECT count(*) FROM names", NULL);
        if (sample_allocate_buffer(CbNewSPropTagArray(n), (void **)&asked))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else {
            asked->cValues = n;
            for (i = 0; i < n; i++) asked->aulPropTag[i] = PROP_TAG(PT_UNSPECIFIED, FIRST_NAMED_ID + i);
        }
    } else
        asked = *tags;
    if (SUCCEEDED(hr)
        && sample_allocate_buffer((asked->cValues ? asked->cValues : 1) * sizeof(*result), (void **)&result))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr)) {
        for (i = 0; i < asked->cValues; i++)
            found += fill_name(db, PROP_ID(asked->aulPropTag[i]), guid, &result[i], result);
        *count = asked->cValues;
        *names = result;
        if (!*tags) *tags = asked;
        hr = found == asked->cValues ? S_OK : MAPI_W_ERRORS_RETURNED;
    } else if (asked && asked != *tags)
        sample_free_buffer(asked);
    LeaveCriticalSection(db->lock);
    return hr;
}
