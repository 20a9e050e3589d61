/* Subscriptions: each holds a reference on its sink; sinks are called and released outside the lock. */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "notify.h"

struct subscription {
    struct list entry;
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
    subs->next_connection = 1;
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
    IMAPIAdviseSink_AddRef(sink);
    AcquireSRWLockExclusive(&subs->lock);
    *connection = sub->connection = subs->next_connection++;
    list_add_tail(&subs->entries, &sub->entry);
    ReleaseSRWLockExclusive(&subs->lock);
    return S_OK;
}

static void free_subscriptions(struct list *removed)
{
    struct list *cursor, *next;

    LIST_FOR_EACH_SAFE(cursor, next, removed) {
        struct subscription *sub = LIST_ENTRY(cursor, struct subscription, entry);
        IMAPIAdviseSink_Release(sub->sink);
        free(sub);
    }
}

/* Moves the subscriptions that match into removed: by connection, or by owner when connection is 0. */
static ULONG take(struct subscriptions *subs, ULONG_PTR connection, void *owner, BOOL any_owner, struct list *removed)
{
    struct list *cursor, *next;
    ULONG count = 0;

    AcquireSRWLockExclusive(&subs->lock);
    LIST_FOR_EACH_SAFE(cursor, next, &subs->entries) {
        struct subscription *sub = LIST_ENTRY(cursor, struct subscription, entry);
        if (connection ? sub->connection != connection : !any_owner && sub->owner != owner) continue;
        list_remove(cursor);
        list_add_tail(removed, cursor);
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
    struct list *cursor;

    for (i = 0; i < count; i++) mask |= notifications[i].ulEventType;
    AcquireSRWLockShared(&subs->lock);
    LIST_FOR_EACH(cursor, &subs->entries) {
        struct subscription *sub = LIST_ENTRY(cursor, struct subscription, entry);
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
