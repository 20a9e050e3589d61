/*
 * Released objects kept for a while (docs/misuse.md). An object of the host's that a provider or a client releases for
 * the last time is not freed at once: its vtable is swapped for one whose every method names the offence and answers
 * MAPI_E_INVALID_OBJECT (AddRef and Release answer 0), and its memory waits in a queue of the last QUARANTINE_SIZE
 * released objects, the oldest freed as a new one comes. A call on a released object is then a named error instead of
 * a use of freed memory for as long as the object is queued; as with a debug heap's delayed free, a call much later
 * is not caught. Objects whose own vtable already refuses the calls (support objects) are queued without the swap.
 */
#include "mapihost_private.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(quarantine);

#define QUARANTINE_SIZE 1024
#define RELEASED_SLOTS 64 /* more than any interface the host implements has methods */

/* A released object's first two pointers: the swapped vtable and the interface's name, for the event line. */
struct released {
    const void *const *vtable;
    const char *iface_name;
};

static SRWLOCK lock = SRWLOCK_INIT;
static void *queue[QUARANTINE_SIZE];
static void (*destroyers[QUARANTINE_SIZE])(void *block);
static ULONG next;

static HRESULT WINAPI released_method(struct released *object)
{
    TRACE("(%p)\n", object);
    event_violation(ABOUT_HOST, "misuse", "an %s was called after its last Release; MAPI_E_INVALID_OBJECT",
                    object->iface_name);
    return MAPI_E_INVALID_OBJECT;
}

static ULONG WINAPI released_refcount(struct released *object)
{
    TRACE("(%p)\n", object);
    event_violation(ABOUT_HOST, "misuse", "an %s was given AddRef or Release after its last Release",
                    object->iface_name);
    return 0;
}

static const void *const *released_vtable(void)
{
    static const void *slots[RELEASED_SLOTS];
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    BOOL pending;
    ULONG i;

    if (InitOnceBeginInitialize(&once, 0, &pending, NULL) && pending) {
        for (i = 0; i < RELEASED_SLOTS; i++)
            slots[i] = i == 1 || i == 2 ? (const void *)released_refcount : (const void *)released_method;
        InitOnceComplete(&once, 0, NULL);
    }
    return slots;
}

void quarantine_block(void *block, void (*destroy)(void *block))
{
    void (*evicted_destroy)(void *block);
    void *evicted;

    AcquireSRWLockExclusive(&lock);
    evicted = queue[next];
    evicted_destroy = destroyers[next];
    queue[next] = block;
    destroyers[next] = destroy;
    next = (next + 1) % QUARANTINE_SIZE;
    ReleaseSRWLockExclusive(&lock);
    if (evicted) evicted_destroy(evicted);
}

void quarantine_object(void *object, const char *iface_name)
{
    struct released *released = object;

    TRACE("(%p, %s)\n", object, iface_name);
    released->iface_name = iface_name;
    released->vtable = released_vtable();
    quarantine_block(object, free);
}
