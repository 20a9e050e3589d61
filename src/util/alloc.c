/*
 * MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer (spec §2.14).
 *
 * Every block carries a header; a block from MAPIAllocateMore is linked to its root, and one MAPIFreeBuffer on the
 * root frees the whole chain. Every live block is also in a pointer set, and nothing is read from a pointer the set
 * does not know: real providers hand the host blocks it never allocated (Wine's IPropData mixes allocators, F4) and
 * free children or free twice (E13). Those are reported as violations in the event log, and survived.
 *
 * A block also remembers the code that asked for it, so that the MAPI buffers a provider DLL leaves behind can be
 * counted when it is unloaded (H27).
 */
#include <stdlib.h>

#include "mapihost_private.h"
#include "hashtable.h"
#include "ptrset.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(alloc);

#define ROOT_MAGIC 0x4d484246 /* "MHBF" */
#define MORE_MAGIC 0x4d48424d /* "MHBM" */

struct block {
    DWORD magic;
    ULONG size;
    struct block *root;         /* a root points to itself */
    struct block *next;         /* root: its first child; child: the next child of the same root */
    const void *caller;         /* the return address of the allocation call */
    SRWLOCK chain;              /* root: guards next, the list of its children */
} __attribute__((aligned(16))); /* the caller's data after the header is 16-byte aligned, as on Win64 */

/* The live set, split by pointer into shards with a lock each, so that threads allocating for unrelated sessions do
 * not wait for each other (P3). A shard's lock guards only its set; a root's chain lock guards its list
 * of children. Locks are never nested but in one order: a shard (shared), then a root's chain. */
#define SHARDS 64

static struct shard {
    SRWLOCK lock;
    struct ptrset live; /* data pointers of the live blocks that hash here, roots and children */
} __attribute__((aligned(64))) shards[SHARDS];

static inline void *data_of(struct block *block)
{
    return block + 1;
}
static inline struct block *block_of(const void *data)
{
    return (struct block *)data - 1;
}

/* The hash's top bits: a shard's pointer set places its pointers by the low bits of the same mix. */
static struct shard *shard_of(const void *data)
{
    return &shards[(ULONG64)hash_pointer(data) >> 58];
}

/* A new block, already in the live set: nobody else knows its pointer yet. */
static struct block *new_block(ULONG size, DWORD magic, const void *caller)
{
    struct block *block = malloc(sizeof(*block) + size);
    struct shard *shard;
    int added;

    if (!block) return NULL;
    block->magic = magic;
    block->size = size;
    block->root = block;
    block->next = NULL;
    block->caller = caller;
    InitializeSRWLock(&block->chain);
    shard = shard_of(data_of(block));
    AcquireSRWLockExclusive(&shard->lock);
    added = ptrset_add(&shard->live, data_of(block));
    ReleaseSRWLockExclusive(&shard->lock);
    if (added < 0) {
        free(block);
        return NULL;
    }
    return block;
}

/* Takes data out of the live set; FALSE if it was not there. */
static BOOL retire(const void *data)
{
    struct shard *shard = shard_of(data);
    BOOL removed;

    AcquireSRWLockExclusive(&shard->lock);
    removed = ptrset_remove(&shard->live, data) > 0;
    ReleaseSRWLockExclusive(&shard->lock);
    return removed;
}

SCODE WINAPI MAPIAllocateBuffer(ULONG cbSize, LPVOID *lppBuffer)
{
    struct block *block;

    TRACE("(%lu, %p)\n", cbSize, lppBuffer);
    if (!lppBuffer) return MAPI_E_INVALID_PARAMETER;
    *lppBuffer = NULL;
    if (!mapihost_utilities_ready()) return MAPI_E_NOT_INITIALIZED;

    if (!(block = new_block(cbSize, ROOT_MAGIC, __builtin_return_address(0)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    *lppBuffer = data_of(block);
    return S_OK;
}

SCODE WINAPI MAPIAllocateMore(ULONG cbSize, LPVOID lpObject, LPVOID *lppBuffer)
{
    struct block *block, *root = NULL;
    struct shard *shard;

    TRACE("(%lu, %p, %p)\n", cbSize, lpObject, lppBuffer);
    if (!lppBuffer) return MAPI_E_INVALID_PARAMETER;
    *lppBuffer = NULL;
    if (!mapihost_utilities_ready()) return MAPI_E_NOT_INITIALIZED;

    if (!(block = new_block(cbSize, MORE_MAGIC, __builtin_return_address(0)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    /* While the parent's shard is held, the parent stays live, and so does its root (freeing the root retires the
     * parent first). A child given as the parent is linked to its root: one MAPIFreeBuffer still frees everything. */
    shard = shard_of(lpObject);
    AcquireSRWLockShared(&shard->lock);
    if (ptrset_contains(&shard->live, lpObject)) {
        root = block_of(lpObject)->root;
        AcquireSRWLockExclusive(&root->chain);
        block->root = root;
        block->next = root->next;
        root->next = block;
        ReleaseSRWLockExclusive(&root->chain);
    }
    ReleaseSRWLockShared(&shard->lock);

    if (!root) {
        block->magic = ROOT_MAGIC;
        event_violation(ABOUT_HOST, "memory",
                        "MAPIAllocateMore: parent %p was not allocated by MAPIAllocateBuffer; the %lu bytes "
                        "at %p get no parent and need their own MAPIFreeBuffer (F4)",
                        lpObject, cbSize, data_of(block));
    }
    *lppBuffer = data_of(block);
    return S_OK;
}

/* The children linked to root so far, taken off it. */
static struct block *take_children(struct block *root)
{
    struct block *children;

    AcquireSRWLockExclusive(&root->chain);
    children = root->next;
    root->next = NULL;
    ReleaseSRWLockExclusive(&root->chain);
    return children;
}

ULONG WINAPI MAPIFreeBuffer(LPVOID lpBuffer)
{
    struct block *block, *children, *child, *next, *retired = NULL, *parent = NULL;
    struct shard *shard;

    TRACE("(%p)\n", lpBuffer);
    /* Works before MAPIInitialize and after the last MAPIUninitialize: buffers outlive sessions (H26). */
    if (!lpBuffer) return S_OK;

    shard = shard_of(lpBuffer);
    AcquireSRWLockExclusive(&shard->lock);
    block = ptrset_contains(&shard->live, lpBuffer) ? block_of(lpBuffer) : NULL;
    if (block && block->magic == ROOT_MAGIC)
        ptrset_remove(&shard->live, lpBuffer);
    else if (block)
        parent = block->root;
    ReleaseSRWLockExclusive(&shard->lock);
    if (!block) {
        event_violation(ABOUT_HOST, "E13",
                        "MAPIFreeBuffer: %p is not a live MAPI buffer (foreign, or already freed); ignored "
                        "(E13)",
                        lpBuffer);
        return S_OK;
    }
    if (parent) {
        event_violation(ABOUT_HOST, "E13",
                        "MAPIFreeBuffer: %p came from MAPIAllocateMore; it is freed with its parent %p, not "
                        "alone (E13)",
                        lpBuffer, data_of(parent));
        return S_OK;
    }
    /* A child retired from its shard can no longer be a parent; one given as a parent just before may still have
     * linked a new child, so the chain is taken again until it stays empty. */
    while ((children = take_children(block))) {
        for (child = children; child; child = next) {
            next = child->next;
            retire(data_of(child));
            child->next = retired;
            retired = child;
        }
    }
    for (; retired; retired = next) {
        next = retired->next;
        retired->magic = 0;
        free(retired);
    }
    block->magic = 0;
    free(block);
    return S_OK;
}

ULONG mapihost_live_buffers(void)
{
    ULONG count = 0, i;

    for (i = 0; i < SHARDS; i++) {
        AcquireSRWLockShared(&shards[i].lock);
        count += shards[i].live.count;
        ReleaseSRWLockShared(&shards[i].lock);
    }
    return count;
}

struct module_count {
    const BYTE *start, *end;
    ULONG count;
};

static void count_if_from(const void *data, void *context)
{
    struct module_count *module = context;
    const BYTE *caller = block_of(data)->caller;

    module->count += caller >= module->start && caller < module->end;
}

ULONG mapihost_live_buffers_from(HMODULE module)
{
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)module;
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)((const BYTE *)module + dos->e_lfanew);
    struct module_count counted = { (const BYTE *)module, (const BYTE *)module + nt->OptionalHeader.SizeOfImage, 0 };

    ULONG i;

    for (i = 0; i < SHARDS; i++) {
        AcquireSRWLockShared(&shards[i].lock);
        if (shards[i].live.count) ptrset_for_each(&shards[i].live, count_if_from, &counted);
        ReleaseSRWLockShared(&shards[i].lock);
    }
    return counted.count;
}

/* The published count (mapihost.h), for tests and the checker. */
ULONG WINAPI MapihostLiveBuffers(void)
{
    TRACE("()\n");
    return mapihost_live_buffers();
}
