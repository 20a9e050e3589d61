/* The MAPIUID registry: registrations of one UID stay in registration order, so the first registrant wins (H9). */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "uidreg.h"

struct uid_entry {
    struct hash_link by_uid, by_owner;
    MAPIUID uid;
    void *owner;
};

#define ENTRY_BY_UID(link) LIST_ENTRY(link, struct uid_entry, by_uid)
#define ENTRY_BY_OWNER(link) LIST_ENTRY(link, struct uid_entry, by_owner)

void uidreg_init(struct uid_registry *registry)
{
    InitializeSRWLock(&registry->lock);
    hashtable_init(&registry->by_uid);
    hashtable_init(&registry->by_owner);
}

static size_t hash_uid(const MAPIUID *uid)
{
    return hash_bytes(uid, sizeof(*uid));
}

static void remove_entry(struct uid_registry *registry, struct uid_entry *entry)
{
    hashtable_remove(&registry->by_uid, &entry->by_uid);
    hashtable_remove(&registry->by_owner, &entry->by_owner);
    free(entry);
}

void uidreg_clear(struct uid_registry *registry)
{
    struct list *cursor, *next;
    size_t i;

    for (i = 0; i < registry->by_uid.bucket_count; i++)
        LIST_FOR_EACH_SAFE (cursor, next, &registry->by_uid.buckets[i])
            free(ENTRY_BY_UID(LIST_ENTRY(cursor, struct hash_link, entry)));
    hashtable_free(&registry->by_uid);
    hashtable_free(&registry->by_owner);
}

HRESULT uidreg_add(struct uid_registry *registry, const MAPIUID *uid, void *owner)
{
    struct uid_entry *entry;
    int added;

    if (!uid) return MAPI_E_INVALID_PARAMETER;
    if (!(entry = malloc(sizeof(*entry)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    entry->uid = *uid;
    entry->owner = owner;
    AcquireSRWLockExclusive(&registry->lock);
    if ((added = hashtable_add(&registry->by_uid, &entry->by_uid, hash_uid(uid)))
        && !(added = hashtable_add(&registry->by_owner, &entry->by_owner, hash_pointer(owner))))
        hashtable_remove(&registry->by_uid, &entry->by_uid);
    ReleaseSRWLockExclusive(&registry->lock);
    if (added) return S_OK;
    free(entry);
    return MAPI_E_NOT_ENOUGH_MEMORY;
}

void *uidreg_lookup(struct uid_registry *registry, const MAPIUID *uid)
{
    struct hash_link *link;
    void *owner = NULL;

    AcquireSRWLockShared(&registry->lock);
    HASHTABLE_FOR_EACH (link, &registry->by_uid, hash_uid(uid))
        if (!memcmp(&ENTRY_BY_UID(link)->uid, uid, sizeof(*uid))) {
            owner = ENTRY_BY_UID(link)->owner;
            break;
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
    struct hash_link *link, *next;
    ULONG removed = 0;

    AcquireSRWLockExclusive(&registry->lock);
    for (link = hashtable_first(&registry->by_owner, hash_pointer(owner)); link; link = next) {
        next = hashtable_next(&registry->by_owner, link);
        if (ENTRY_BY_OWNER(link)->owner != owner) continue;
        remove_entry(registry, ENTRY_BY_OWNER(link));
        removed++;
    }
    ReleaseSRWLockExclusive(&registry->lock);
    return removed;
}

ULONG uidreg_count_owner(struct uid_registry *registry, void *owner)
{
    struct hash_link *link;
    ULONG count = 0;

    AcquireSRWLockShared(&registry->lock);
    if (!owner)
        count = registry->by_uid.count;
    else
        HASHTABLE_FOR_EACH (link, &registry->by_owner, hash_pointer(owner))
            count += ENTRY_BY_OWNER(link)->owner == owner;
    ReleaseSRWLockShared(&registry->lock);
    return count;
}
