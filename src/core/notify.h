/*
 * Subscriptions of a session (IMAPISupport::Subscribe, Unsubscribe, Notify): advise sinks keyed by a NOTIFKEY.
 * Providers leave subscriptions behind (F5), so the host drops a logon's own when the logon goes: the sinks often
 * live in the provider DLL, and must be released while it is still loaded.
 */
#ifndef MAPIHOST_NOTIFY_H
#define MAPIHOST_NOTIFY_H

#include <windows.h>
#include "mapihost_spi.h"
#include "hashtable.h"
#include "list.h"

struct subscriptions {
    SRWLOCK lock;
    struct list entries;                              /* in the order they were made */
    struct hashtable by_connection, by_owner, by_key; /* no scan of them all for one (P2) */
    ULONG_PTR next_connection;
};

void subscriptions_init(struct subscriptions *subs);
HRESULT subscriptions_add(struct subscriptions *subs, void *owner, const NOTIFKEY *key, ULONG mask,
                          IMAPIAdviseSink *sink, ULONG_PTR *connection);
HRESULT subscriptions_remove(struct subscriptions *subs, ULONG_PTR connection);
/* Calls every sink subscribed to key for the events in notifications; returns how many sinks were called. */
ULONG subscriptions_notify(struct subscriptions *subs, const NOTIFKEY *key, ULONG count, NOTIFICATION *notifications);
/* Releases the sinks owner left subscribed (NULL: all); returns how many. */
ULONG subscriptions_remove_owner(struct subscriptions *subs, void *owner);

#endif
