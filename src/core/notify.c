/* Subscriptions: each holds a reference on its sink; sinks are called and released outside the lock. */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "notify.h"

struct subscription {
    struct list entry;
    struct hash_link by_connection, by_owner, by_key;
    void *owner;
    ULONG_PTR connection;
    ULONG mask;
    IMAPIAdviseSink *sink;
    ULONG key_size;
    BYTE key[1];
};

void subscriptions_init(struct subscriptions *subs)
{
    InitializeSRWLock(&subs->lock);
    list_init(&subs->entries);
    hashtable_init(&subs->by_connection);
    hashtable_init(&subs->by_owner);
    hashtable_init(&subs->by_key);
    subs->next_connection = 1;
}

#define SUB(link, field) LIST_ENTRY(link, struct subscription, field)

/* Into every index, or into none. */
static BOOL index_subscription(struct subscriptions *subs, struct subscription *sub)
{
    if (!hashtable_add(&subs->by_connection, &sub->by_connection, sub->connection)) return FALSE;
    if (hashtable_add(&subs->by_owner, &sub->by_owner, hash_pointer(sub->owner))) {
        if (hashtable_add(&subs->by_key, &sub->by_key, hash_bytes(sub->key, sub->key_size))) return TRUE;
        hashtable_remove(&subs->by_owner, &sub->by_owner);
    }
    hashtable_remove(&subs->by_connection, &sub->by_connection);
    return FALSE;
}

HRESULT subscriptions_add(struct subscriptions *subs, void *owner, const NOTIFKEY *key, ULONG mask,
                          IMAPIAdviseSink *sink, ULONG_PTR *connection)
{
    struct subscription *sub;

    if (!key || !sink || !connection || !mask) return MAPI_E_INVALID_PARAMETER;
    if (!(sub = malloc(offsetof(struct subscription, key[key->cb ? key->cb : 1])))) return MAPI_E_NOT_ENOUGH_MEMORY;
    sub->owner = owner;
    sub->mask = mask;
    sub->sink = sink;
    sub->key_size = key->cb;
    memcpy(sub->key, key->ab, key->cb);
    AcquireSRWLockExclusive(&subs->lock);
    sub->connection = subs->next_connection;
    if (!index_subscription(subs, sub)) {
        ReleaseSRWLockExclusive(&subs->lock);
        free(sub);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    *connection = subs->next_connection++;
    list_add_tail(&subs->entries, &sub->entry);
    ReleaseSRWLockExclusive(&subs->lock);
    IMAPIAdviseSink_AddRef(sink);
    return S_OK;
}

static void free_subscriptions(struct list *removed)
{
    struct list *cursor, *next;

    LIST_FOR_EACH_SAFE (cursor, next, removed) {
        struct subscription *sub = LIST_ENTRY(cursor, struct subscription, entry);
        IMAPIAdviseSink_Release(sub->sink);
        free(sub);
    }
}

static void move_to(struct subscriptions *subs, struct subscription *sub, struct list *removed)
{
    hashtable_remove(&subs->by_connection, &sub->by_connection);
    hashtable_remove(&subs->by_owner, &sub->by_owner);
    hashtable_remove(&subs->by_key, &sub->by_key);
    list_remove(&sub->entry);
    list_add_tail(removed, &sub->entry);
}

/* Moves the subscriptions that match into removed: by connection, or by owner when connection is 0 (every one when
 * any_owner). */
static ULONG take(struct subscriptions *subs, ULONG_PTR connection, void *owner, BOOL any_owner, struct list *removed)
{
    struct hash_link *link, *next_link;
    struct list *cursor, *next;
    ULONG count = 0;

    AcquireSRWLockExclusive(&subs->lock);
    if (connection) {
        HASHTABLE_FOR_EACH (link, &subs->by_connection, connection)
            if (SUB(link, by_connection)->connection == connection) {
                move_to(subs, SUB(link, by_connection), removed);
                count++;
                break;
            }
    } else if (any_owner) {
        LIST_FOR_EACH_SAFE (cursor, next, &subs->entries) {
            move_to(subs, LIST_ENTRY(cursor, struct subscription, entry), removed);
            count++;
        }
        hashtable_free(&subs->by_connection); /* empty now: their buckets go too */
        hashtable_free(&subs->by_owner);
        hashtable_free(&subs->by_key);
    } else
        for (link = hashtable_first(&subs->by_owner, hash_pointer(owner)); link; link = next_link) {
            next_link = hashtable_next(&subs->by_owner, link);
            if (SUB(link, by_owner)->owner != owner) continue;
            move_to(subs, SUB(link, by_owner), removed);
            count++;
        }
    ReleaseSRWLockExclusive(&subs->lock);
    return count;
}

HRESULT subscriptions_remove(struct subscriptions *subs, ULONG_PTR connection)
{
    struct list removed = LIST_INIT(removed);

    if (!connection || !take(subs, connection, NULL, FALSE, &removed)) return MAPI_E_NOT_FOUND;
    free_subscriptions(&removed);
    return S_OK;
}

ULONG subscriptions_remove_owner(struct subscriptions *subs, void *owner)
{
    struct list removed = LIST_INIT(removed);
    ULONG count = take(subs, 0, owner, !owner, &removed);

    free_subscriptions(&removed);
    return count;
}

ULONG subscriptions_notify(struct subscriptions *subs, const NOTIFKEY *key, ULONG count, NOTIFICATION *notifications)
{
    IMAPIAdviseSink **sinks = NULL;
    ULONG called = 0, i, j, mask = 0;
    struct hash_link *link;

    for (i = 0; i < count; i++) mask |= notifications[i].ulEventType;
    AcquireSRWLockShared(&subs->lock);
    HASHTABLE_FOR_EACH (link, &subs->by_key, hash_bytes(key->ab, key->cb)) {
        struct subscription *sub = SUB(link, by_key);
        IMAPIAdviseSink **grown;

        if (!(sub->mask & mask) || sub->key_size != key->cb || memcmp(sub->key, key->ab, key->cb)) continue;
        if (!(grown = realloc(sinks, (called + 1) * sizeof(*sinks)))) break;
        sinks = grown;
        sinks[called++] = sub->sink;
        IMAPIAdviseSink_AddRef(sub->sink);
    }
    ReleaseSRWLockShared(&subs->lock);
    for (j = 0; j < called; j++) {
        IMAPIAdviseSink_OnNotify(sinks[j], count, notifications);
        IMAPIAdviseSink_Release(sinks[j]);
    }
    free(sinks);
    return called;
}
