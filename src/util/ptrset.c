/* A set of pointers: the allocator asks it whether a block is one of its own before touching the block (F4). */
#include <stdint.h>
#include <stdlib.h>

#include "ptrset.h"

static const void *const tombstone = &tombstone;

static size_t slot_of(const void *ptr, size_t capacity)
{
    uintptr_t h = (uintptr_t)ptr;

    h ^= h >> 33; /* Blocks are 16-byte aligned: mix the high bits into the low ones. */
    h *= (uintptr_t)0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h & (capacity - 1);
}

static size_t find(const struct ptrset *set, const void *ptr)
{
    size_t i = slot_of(ptr, set->capacity);

    while (set->slots[i] && set->slots[i] != ptr) i = (i + 1) & (set->capacity - 1);
    return i;
}

static int grow(struct ptrset *set)
{
    size_t capacity = set->capacity ? set->capacity * 2 : 64, i;
    const void **old = set->slots;
    size_t old_capacity = set->capacity;

    /* Only live entries move, so a set full of tombstones is rebuilt at the same size. */
    if (set->count * 4 < old_capacity) capacity = old_capacity;
    if (!(set->slots = calloc(capacity, sizeof(*set->slots)))) {
        set->slots = old;
        return 0;
    }
    set->capacity = capacity;
    set->used = set->count;
    for (i = 0; i < old_capacity; i++) {
        size_t j;
        if (!old[i] || old[i] == tombstone) continue;
        j = slot_of(old[i], capacity);
        while (set->slots[j]) j = (j + 1) & (capacity - 1);
        set->slots[j] = old[i];
    }
    free(old);
    return 1;
}

int ptrset_contains(const struct ptrset *set, const void *ptr)
{
    return set->capacity && ptr && set->slots[find(set, ptr)] == ptr;
}

/* One probe: the pointer is either met, or the first tombstone (else the empty slot that ends the run) takes it. */
int ptrset_add(struct ptrset *set, const void *ptr)
{
    size_t i, slot = (size_t)-1;

    if ((set->used + 1) * 2 > set->capacity && !grow(set)) return -1;
    for (i = slot_of(ptr, set->capacity); set->slots[i]; i = (i + 1) & (set->capacity - 1)) {
        if (set->slots[i] == ptr) return 0;
        if (set->slots[i] == tombstone && slot == (size_t)-1) slot = i;
    }
    if (slot == (size_t)-1) {
        slot = i;
        set->used++;
    }
    set->slots[slot] = ptr;
    set->count++;
    return 1;
}

int ptrset_remove(struct ptrset *set, const void *ptr)
{
    size_t i;

    if (!set->capacity || !ptr || set->slots[i = find(set, ptr)] != ptr) return 0;
    set->slots[i] = tombstone;
    set->count--;
    return 1;
}

void ptrset_for_each(const struct ptrset *set, void (*visit)(const void *ptr, void *context), void *context)
{
    size_t i;

    for (i = 0; i < set->capacity; i++)
        if (set->slots[i] && set->slots[i] != tombstone) visit(set->slots[i], context);
}
