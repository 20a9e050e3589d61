/*
 * Memory for MAPI buffers: every block lives in a region the allocator reserved for itself, and a region is never
 * given back to the system. So any pointer at all can be looked up without a lock and without reading outside
 * mapihost's own memory, and a block's header stays readable after the block is freed: that is what lets
 * MAPIFreeBuffer tell a foreign pointer, a double free and a child from a live root without a set of live blocks.
 */
#ifndef MAPIHOST_REGION_H
#define MAPIHOST_REGION_H

#include <windows.h>

enum block_state { BLOCK_FREE, BLOCK_ROOT, BLOCK_CHILD, BLOCK_FREEING };

/* A block's header, just before the caller's data; 32 bytes, so the data is 16-byte aligned, as on Win64. */
struct block {
    struct block *root;  /* a root points to itself */
    struct block *next;  /* root: its first child; child: the next of the same root; free: the next free block */
    const void *caller;  /* the return address of the allocation call */
    ULONG size;          /* the bytes the caller asked for */
    volatile BYTE chain; /* root: a spin lock over its list of children; 0 whenever nobody holds it */
    volatile BYTE state; /* enum block_state */
    BYTE unused[2];
};

static inline void *block_data(struct block *block)
{
    return block + 1;
}

/* Memory for a block with size bytes of data, its state BLOCK_FREE and its chain lock open; NULL when the system
 * has none. region_put takes a block back (any thread's). */
struct block *region_get(ULONG size);
void region_put(struct block *block);
/* The block whose data starts exactly at data, whatever its state; NULL for a pointer no region of ours has a block
 * at (a foreign buffer, a pointer into a block's middle, garbage). */
struct block *region_block_of(const void *data);
/* Calls visit for every block that is not free (a snapshot: blocks other threads allocate meanwhile may or may not
 * be seen). */
void region_for_each_live(void (*visit)(const struct block *block, void *context), void *context);
/* A thread that ends gives its cached free blocks back to everyone (dllmain.c). */
void region_thread_detach(void);

#endif
