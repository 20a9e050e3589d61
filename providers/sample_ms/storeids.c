/*
 * Entry IDs of the store's folders and messages (store.h). They are long-term: the store's MAPIUID is made once, at
 * the store's first logon, and kept in its database, and row IDs are never reused (AUTOINCREMENT), so an entry ID
 * names the same object in every session and process, or nothing once it is deleted. MAPI sends an entry ID to this
 * store by the MAPIUID in it, which the store registers at logon (IMAPISupport::SetProviderUID).
 */
#include <string.h>

#include "store.h"

void storeid_make(const struct storedb *db, ULONG kind, LONGLONG id, struct store_entry_id *out)
{
    memset(out, 0, sizeof(*out));
    out->store = db->uid;
    out->kind = kind;
    out->id = (ULONG)id;
}

BOOL storeid_parse(const struct storedb *db, ULONG size, const ENTRYID *entry_id, ULONG *kind, LONGLONG *id)
{
    struct store_entry_id parsed;

    if (!entry_id || size != sizeof(parsed) || IsBadReadPtr(entry_id, size)) return FALSE;
    memcpy(&parsed, entry_id, size);
    if (memcmp(&parsed.store, &db->uid, sizeof(db->uid)) || (parsed.kind != KIND_FOLDER && parsed.kind != KIND_MESSAGE)
        || !parsed.id)
        return FALSE;
    /* The flag bytes may say short-term (MAPI_SHORTTERM and the like): the store's are all long-term anyway. */
    *kind = parsed.kind;
    *id = parsed.id;
    return TRUE;
}

void storeid_value(SPropValue *value, ULONG tag, const struct storedb *db, ULONG kind, LONGLONG id,
                   struct store_entry_id *storage)
{
    storeid_make(db, kind, id, storage);
    value->ulPropTag = tag;
    value->Value.bin.cb = sizeof(*storage);
    value->Value.bin.lpb = (BYTE *)storage;
}
