/*
 * The store's notifications, through MAPI (IMAPISupport::Subscribe and Notify), as a store provider must send them:
 * a client's Advise on the store, a folder or a message subscribes under that object's entry ID (the store's own
 * entry ID for the whole store), and each change is sent under the changed object's entry ID, its folder's (and the
 * old folder's, for a move) and the store's, so an advise on a folder hears about the messages and folders in it.
 * The changes of a transaction wait in a list until it commits, then go to the sinks and the open tables together.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* A NOTIFKEY holding an entry ID. */
struct key {
    ULONG cb;
    BYTE ab[64];
};

static void make_key(struct key *key, const void *entry_id, ULONG size)
{
    key->cb = size;
    memcpy(key->ab, entry_id, size);
}

HRESULT store_advise(struct store *store, ULONG size, const ENTRYID *entry_id, ULONG mask, IMAPIAdviseSink *sink,
                     ULONG_PTR *connection)
{
    ULONG kind;
    LONGLONG id;
    struct key key;

    if (!sink || !connection || !mask) return MAPI_E_INVALID_PARAMETER;
    if (!entry_id || !size)
        make_key(&key, store->entry_id, store->entry_id_size);
    else if (storeid_parse(&store->db, size, entry_id, &kind, &id))
        make_key(&key, entry_id, size);
    else
        return MAPI_E_INVALID_ENTRYID;
    if (!store->support) return MAPI_E_END_OF_SESSION;
    return IMAPISupport_Subscribe(store->support, (NOTIFKEY *)&key, mask, 0, sink, connection);
}

HRESULT store_unadvise(struct store *store, ULONG_PTR connection)
{
    if (!store->support) return MAPI_E_END_OF_SESSION;
    return IMAPISupport_Unsubscribe(store->support, connection);
}

/* Sends one notification under each of the keys. */
static void send_under(struct store *store, NOTIFICATION *notification, const struct store_entry_id *const *keys,
                       ULONG count)
{
    struct key key;
    ULONG flags, i;

    if (!store->support) return;
    for (i = 0; i < count; i++) {
        if (!keys[i]) continue;
        make_key(&key, keys[i], sizeof(*keys[i]));
        IMAPISupport_Notify(store->support, (NOTIFKEY *)&key, 1, notification, &flags);
    }
    make_key(&key, store->entry_id, store->entry_id_size);
    IMAPISupport_Notify(store->support, (NOTIFKEY *)&key, 1, notification, &flags);
}

void store_notify_object(struct store *store, ULONG event, ULONG kind, LONGLONG id, LONGLONG parent, LONGLONG old_id,
                         LONGLONG old_parent)
{
    struct store_entry_id object, folder, old_object, old_folder;
    const struct store_entry_id *keys[3] = { &object, &folder, old_parent ? &old_folder : NULL };
    NOTIFICATION notification;

    memset(&notification, 0, sizeof(notification));
    notification.ulEventType = event;
    storeid_make(&store->db, kind, id, &object);
    storeid_make(&store->db, KIND_FOLDER, parent, &folder);
    notification.info.obj.cbEntryID = sizeof(object);
    notification.info.obj.lpEntryID = (ENTRYID *)&object;
    notification.info.obj.ulObjType = kind == KIND_FOLDER ? MAPI_FOLDER : MAPI_MESSAGE;
    notification.info.obj.cbParentID = sizeof(folder);
    notification.info.obj.lpParentID = (ENTRYID *)&folder;
    if (old_id) {
        storeid_make(&store->db, kind, old_id, &old_object);
        notification.info.obj.cbOldID = sizeof(old_object);
        notification.info.obj.lpOldID = (ENTRYID *)&old_object;
    }
    if (old_parent) {
        storeid_make(&store->db, KIND_FOLDER, old_parent, &old_folder);
        notification.info.obj.cbOldParentID = sizeof(old_folder);
        notification.info.obj.lpOldParentID = (ENTRYID *)&old_folder;
    }
    send_under(store, &notification, keys, 3);
}

void store_notify_new_mail(struct store *store, LONGLONG id, LONGLONG folder, const WCHAR *message_class,
                           ULONG message_flags)
{
    struct store_entry_id object, parent;
    const struct store_entry_id *keys[2] = { &object, &parent };
    NOTIFICATION notification;

    memset(&notification, 0, sizeof(notification));
    notification.ulEventType = fnevNewMail;
    storeid_make(&store->db, KIND_MESSAGE, id, &object);
    storeid_make(&store->db, KIND_FOLDER, folder, &parent);
    notification.info.newmail.cbEntryID = sizeof(object);
    notification.info.newmail.lpEntryID = (ENTRYID *)&object;
    notification.info.newmail.cbParentID = sizeof(parent);
    notification.info.newmail.lpParentID = (ENTRYID *)&parent;
    notification.info.newmail.ulFlags = MAPI_UNICODE;
    notification.info.newmail.lpszMessageClass = (LPTSTR)message_class;
    notification.info.newmail.ulMessageFlags = message_flags;
    send_under(store, &notification, keys, 2);
}

void store_changed(struct store *store, ULONG event, ULONG kind, LONGLONG id, LONGLONG parent, LONGLONG old_id,
                   LONGLONG old_parent)
{
    struct store_change *change, *more;
    ULONG i;

    for (i = 0; i < store->change_count; i++)
        if (store->changes[i].event == event && store->changes[i].kind == kind && store->changes[i].id == id) return;
    if (store->change_count == store->change_capacity) {
        ULONG capacity = store->change_capacity ? 2 * store->change_capacity : 16;
        if (!(more = realloc(store->changes, capacity * sizeof(*more)))) return; /* told no more, the data is right */
        store->changes = more;
        store->change_capacity = capacity;
    }
    change = &store->changes[store->change_count++];
    change->event = event;
    change->kind = kind;
    change->id = id;
    change->parent = parent;
    change->old_id = old_id;
    change->old_parent = old_parent;
}

/* The open tables of one logon brought up to date. */
static void tell_tables(struct store *store, const struct store_change *change)
{
    switch (change->kind) {
    case KIND_MESSAGE:
        storetable_message_changed(store, change->id, change->parent);
        if (change->event == fnevObjectMoved) storetable_message_changed(store, change->id, change->old_parent);
        break;
    case KIND_FOLDER:
        storetable_folder_changed(store, change->id, change->event != fnevObjectModified);
        if (change->event == fnevObjectDeleted) storetable_contents_reload(store, change->id);
        break;
    case KIND_CONTENTS: /* bulk changes: deletions (subfolders too, for EmptyFolder) or read flags */
        storetable_contents_reload(store, change->id);
        storetable_folder_changed(store, change->id, TRUE);
        break;
    }
}

/* The sinks hear of a change once, through MAPI; the tables of every logon over the database see it. */
static void tell(struct store *store, const struct store_change *change, struct store **siblings, ULONG sibling_count)
{
    ULONG i;

    if (change->kind != KIND_CONTENTS)
        store_notify_object(store, change->event, change->kind, change->id, change->parent, change->old_id,
                            change->old_parent);
    tell_tables(store, change);
    for (i = 0; i < sibling_count; i++) tell_tables(siblings[i], change);
}

HRESULT store_commit(struct store *store)
{
    struct store_change *changes = store->changes;
    ULONG count = store->change_count, i;
    HRESULT hr;

    /* The list is the transaction's, under the database's lock until the commit: taken before that lets go. */
    store->changes = NULL;
    store->change_count = store->change_capacity = 0;
    if (SUCCEEDED(hr = storedb_commit(&store->db)) && count) {
        struct store **siblings;
        ULONG sibling_count = store_siblings(store, &siblings);

        for (i = 0; i < count; i++) tell(store, &changes[i], siblings, sibling_count);
        for (i = 0; i < sibling_count; i++) IMsgStore_Release(&siblings[i]->IMsgStore_iface);
        free(siblings);
    }
    free(changes);
    return hr;
}

void store_rollback(struct store *store)
{
    store->change_count = 0;
    storedb_rollback(&store->db);
}

HRESULT store_finish(struct store *store, HRESULT hr)
{
    if (SUCCEEDED(hr)) return store_commit(store);
    store_rollback(store);
    return hr;
}
