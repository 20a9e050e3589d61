/* A set of pointers (open addressing, linear probing). Not thread-safe: the owner holds its own lock. */
#ifndef MAPIHOST_PTRSET_H
#define MAPIHOST_PTRSET_H

#include <stddef.h>

struct ptrset {
    const void **slots; /* NULL: empty; PTRSET_TOMBSTONE: removed */
    size_t capacity;    /* a power of two, or 0 */
    size_t count;       /* live pointers */
    size_t used;        /* live pointers plus tombstones */
};

int ptrset_add(struct ptrset *set, const void *ptr);    /* 1 added, 0 already there, -1 out of memory */
int ptrset_remove(struct ptrset *set, const void *ptr); /* 1 removed, 0 absent */
int ptrset_contains(const struct ptrset *set, const void *ptr);
/* Calls visit for each pointer in the set, in no particular order. */
void ptrset_for_each(const struct ptrset *set, void (*visit)(const void *ptr, void *context), void *context);

#endif
