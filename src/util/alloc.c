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
    LONG chain;                 /* root: a spin lock over next, the list of its children */
} __attribute__((aligned(16))); /* the caller's data after the header is 16-byte aligned, as on Win64 */

/* Spin locks: every critical section here is a few instructions long, and under Wine an SRW lock's release wakes
 * waiters through the kernel even when there are none, which made the locks most of an allocation's cost. */
static inline void spin_lock(volatile LONG *lock)
{
    unsigned int spins = 0;

    while (InterlockedCompareExchange(lock, 1, 0)) {
        if (++spins < 64)
            YieldProcessor();
        else
            SwitchToThread();
    }
}

static inline void spin_unlock(volatile LONG *lock)
{
    /* x86-64 keeps stores in order: the compiler barrier alone makes this a release. */
    __atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

/* The live set, split by pointer into shards with a lock each, so that threads allocating for unrelated sessions do
 * not wait for each other (P3). A shard's lock guards only its set; a root's chain lock guards its list
 * of children. Locks are never nested but in one order: a shard, then a root's chain. */
#define SHARDS 64

static struct shard {
    LONG lock;
    struct ptrset live; /* data pointers of the live blocks that hash here, roots and children */
} __attribute__((aligned(64))) shards[SHARDS];

/* Memory for blocks. Most MAPI buffers are small and short-lived (a chain made, read, freed), and a heap call per
 * block was much of what they cost, so each thread keeps a few freed small blocks per size class and reuses them; a
 * block freed on another thread joins that thread's cache. A cached block is in no live set: to the checks it is
 * freed memory like any other. A thread's cache goes back to the heap when the thread ends (alloc_thread_detach,
 * from DllMain), so threads that come and go leave nothing behind. */
#define CLASSES 4     /* 64, 128, 256 and 512 bytes of data */
#define CACHED_MAX 16 /* blocks kept per class and thread: 16 KB at the most */

struct cache {
    struct block *free[CLASSES][CACHED_MAX];
    int count[CLASSES];
};

static DWORD cache_index = TLS_OUT_OF_INDEXES;

/* The size class of a block with size bytes of data, or CLASSES for one too big to cache. */
static int class_of(ULONG size)
{
    int class = 0;

    while (class < CLASSES && size > (64u << class)) class ++;
    return class;
}

static struct cache *thread_cache(BOOL create)
{
    DWORD index = cache_index;
    struct cache *cache;

    if (index == TLS_OUT_OF_INDEXES) {
        if (!create || (index = TlsAlloc()) == TLS_OUT_OF_INDEXES) return NULL;
        if (InterlockedCompareExchange((LONG *)&cache_index, (LONG)index, (LONG)TLS_OUT_OF_INDEXES)
            != (LONG)TLS_OUT_OF_INDEXES) {
            TlsFree(index); /* another thread's came first */
            index = cache_index;
        }
    }
    if ((cache = TlsGetValue(index)) || !create) return cache;
    if ((cache = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*cache)))) TlsSetValue(index, cache);
    return cache;
}

static struct block *memory_get(ULONG size)
{
    int class = class_of(size);
    struct cache *cache = class < CLASSES ? thread_cache(FALSE) : NULL;

    if (cache && cache->count[class]) return cache->free[class][--cache->count[class]];
    return HeapAlloc(GetProcessHeap(), 0, sizeof(struct block) + (class < CLASSES ? 64u << class : size));
}

static void memory_put(struct block *block)
{
    int class = class_of(block->size);
    struct cache *cache = class < CLASSES ? thread_cache(TRUE) : NULL;

    if (cache && cache->count[class] < CACHED_MAX) {
        cache->free[class][cache->count[class]++] = block;
        return;
    }
    HeapFree(GetProcessHeap(), 0, block);
}

void alloc_thread_detach(void)
{
    struct cache *cache = thread_cache(FALSE);
    int class;

    if (!cache) return;
    for (class = 0; class < CLASSES; class ++)
        while (cache->count[class]) HeapFree(GetProcessHeap(), 0, cache->free[class][--cache->count[class]]);
    TlsSetValue(cache_index, NULL);
    HeapFree(GetProcessHeap(), 0, cache);
}

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
    struct block *block = memory_get(size);
    struct shard *shard;
    int added;

    if (!block) return NULL;
    block->magic = magic;
    block->size = size;
    block->root = block;
    block->next = NULL;
    block->caller = caller;
    block->chain = 0;
    shard = shard_of(data_of(block));
    spin_lock(&shard->lock);
    added = ptrset_add(&shard->live, data_of(block));
    spin_unlock(&shard->lock);
    if (added < 0) {
        memory_put(block);
        return NULL;
    }
    return block;
}

/* Takes data out of the live set; FALSE if it was not there. */
static BOOL retire(const void *data)
{
    struct shard *shard = shard_of(data);
    BOOL removed;

    spin_lock(&shard->lock);
    removed = ptrset_remove(&shard->live, data) > 0;
    spin_unlock(&shard->lock);
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
    spin_lock(&shard->lock);
    if (ptrset_contains(&shard->live, lpObject)) {
        root = block_of(lpObject)->root;
        spin_lock(&root->chain);
        block->root = root;
        block->next = root->next;
        root->next = block;
        spin_unlock(&root->chain);
    }
    spin_unlock(&shard->lock);

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

    spin_lock(&root->chain);
    children = root->next;
    root->next = NULL;
    spin_unlock(&root->chain);
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
    spin_lock(&shard->lock);
    block = ptrset_contains(&shard->live, lpBuffer) ? block_of(lpBuffer) : NULL;
    if (block && block->magic == ROOT_MAGIC)
        ptrset_remove(&shard->live, lpBuffer);
    else if (block)
        parent = block->root;
    spin_unlock(&shard->lock);
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
        memory_put(retired);
    }
    block->magic = 0;
    memory_put(block);
    return S_OK;
}

ULONG mapihost_live_buffers(void)
{
    ULONG count = 0, i;

    for (i = 0; i < SHARDS; i++) {
        spin_lock(&shards[i].lock);
        count += shards[i].live.count;
        spin_unlock(&shards[i].lock);
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
        spin_lock(&shards[i].lock);
        if (shards[i].live.count) ptrset_for_each(&shards[i].live, count_if_from, &counted);
        spin_unlock(&shards[i].lock);
    }
    return counted.count;
}

/* The published count (mapihost.h), for tests and the checker. */
ULONG WINAPI MapihostLiveBuffers(void)
{
    TRACE("()\n");
    return mapihost_live_buffers();
}
