/* The MAPIUID registry: a list in registration order, so the first registrant wins (H9). */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "uidreg.h"

struct uid_entry {
    struct list entry;
    MAPIUID uid;
    void *owner;
};

void uidreg_init(struct uid_registry *registry)
{
    InitializeSRWLock(&registry->lock);
    list_init(&registry->entries);
}

void uidreg_clear(struct uid_registry *registry)
{
    struct list *cursor, *next;

    LIST_FOR_EACH_SAFE(cursor, next, &registry->entries) {
        list_remove(cursor);
        free(LIST_ENTRY(cursor, struct uid_entry, entry));
    }
}

HRESULT uidreg_add(struct uid_registry *registry, const MAPIUID *uid, void *owner)
{
    struct uid_entry *entry;

    if (!uid) return MAPI_E_INVALID_PARAMETER;
    if (!(entry = malloc(sizeof(*entry)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    entry->uid = *uid;
    entry->owner = owner;
    AcquireSRWLockExclusive(&registry->lock);
    list_add_tail(&registry->entries, &entry->entry);
    ReleaseSRWLockExclusive(&registry->lock);
    return S_OK;
}

void *uidreg_lookup(struct uid_registry *registry, const MAPIUID *uid)
{
    struct list *cursor;
    void *owner = NULL;

    AcquireSRWLockShared(&registry->lock);
    LIST_FOR_EACH(cursor, &registry->entries) {
        struct uid_entry *entry = LIST_ENTRY(cursor, struct uid_entry, entry);
        if (!memcmp(&entry->uid, uid, sizeof(*uid))) {
            owner = entry->owner;
            break;
        }
    }
    ReleaseSRWLockShared(&registry->lock);
    return owner;
}

void *uidreg_route(struct uid_registry *registry, ULONG size, const ENTRYID *entry_id)
{
    if (!entry_id || size < offsetof(ENTRYID, ab) + sizeof(MAPIUID)) return NULL;
    return uidreg_lookup(registry, (const MAPIUID *)entry_id->ab);
}

ULONG uidreg_remove_owner(struct uid_registry *registry, void *owner)
{
    struct list *cursor, *next;
    ULONG removed = 0;

    AcquireSRWLockExclusive(&registry->lock);
    LIST_FOR_EACH_SAFE(cursor, next, &registry->entries) {
        struct uid_entry *entry = LIST_ENTRY(cursor, struct uid_entry, entry);
        if (entry->owner != owner) continue;
        list_remove(cursor);
        free(entry);
        removed++;
    }
    ReleaseSRWLockExclusive(&registry->lock);
    return removed;
}

ULONG uidreg_count_owner(struct uid_registry *registry, void *owner)
{
    struct list *cursor;
    ULONG count = 0;

    AcquireSRWLockShared(&registry->lock);
    LIST_FOR_EACH(cursor, &registry->entries) {
        void *entry_owner = LIST_ENTRY(cursor, struct uid_entry, entry)->owner;
        count += !owner || entry_owner == owner;
    }
    ReleaseSRWLockShared(&registry->lock);
    return count;
}
