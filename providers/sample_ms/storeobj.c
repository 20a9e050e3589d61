/*
 * The objects a store handed out, kept in a list so that its logoff can close them all (store.h): the store's
 * IMSLogon::Logoff releases every open folder, message, attachment, table and stream, as the store-shutdown page
 * asks, and each object answers MAPI_E_END_OF_SESSION afterwards instead of reaching what is gone.
 */
#include "store.h"

void store_object_add(struct store *store, struct store_object *object, void (*close)(struct store_object *object))
{
    object->store = store;
    object->close = close;
    object->closed = FALSE;
    object->prev = NULL;
    /* An open object holds the store as a client reference would: a client may release the IMsgStore and go on with
     * a folder it opened, and the store shuts down (StoreLogoffTransports) only when the last of them goes. */
    InterlockedIncrement(&store->store_refs);
    AcquireSRWLockExclusive(&store->objects_lock);
    if ((object->next = store->objects)) object->next->prev = object;
    store->objects = object;
    ReleaseSRWLockExclusive(&store->objects_lock);
    sample_object_created();
}

void store_object_remove(struct store_object *object)
{
    struct store *store = object->store;

    AcquireSRWLockExclusive(&store->objects_lock);
    if (object->prev)
        object->prev->next = object->next;
    else
        store->objects = object->next;
    if (object->next) object->next->prev = object->prev;
    ReleaseSRWLockExclusive(&store->objects_lock);
    sample_object_destroyed();
    IMsgStore_Release(&store->IMsgStore_iface);
}

void store_objects_close(struct store *store)
{
    struct store_object *object;
    ULONG count = 0;

    /* An object's close may release other objects of the list (a message its attachments' tables): start again from
     * the head after each. */
    for (;;) {
        AcquireSRWLockExclusive(&store->objects_lock);
        for (object = store->objects; object && object->closed; object = object->next)
            ;
        if (object) object->closed = TRUE;
        ReleaseSRWLockExclusive(&store->objects_lock);
        if (!object) break;
        if (object->close) object->close(object);
        count++;
    }
    if (count) sample_trace("%s: logoff closed %lu objects the client still held", store->config.display_name, count);
}

HRESULT store_object_usable(const struct store_object *object)
{
    return object->closed ? MAPI_E_END_OF_SESSION : S_OK;
}
