/*
 * Regions of memory for MAPI buffers (region.h).
 *
 * A region is 1 MB, aligned to 1 MB, and holds slots of one size: a power of two from 64 bytes to 32 KB, the
 * block's 32-byte header and its data. A block bigger than the largest slot gets a region of its own, as many
 * megabytes as it needs. A lookup table indexed by address / 1 MB finds the region of any pointer; it is only ever
 * added to, so readers take no lock. Since slots are powers of two from the region's start, the block at a pointer
 * is one shift and one mask away.
 *
 * Most MAPI buffers are small and short-lived (a chain made, read, freed), so each thread keeps up to CACHED_MAX
 * free blocks per size and moves them to and from a shared free list BATCH at a time: one lock for many blocks.
 * Regions are never given back: a large one's pages beyond its header are decommitted when its block is freed.
 */
#include "mapihost_private.h"
#include "region.h"

#define REGION_SHIFT 20
#define REGION_SIZE ((SIZE_T)1 << REGION_SHIFT)
#define SMALLEST_SHIFT 6 /* 64-byte slots: 32 bytes of data */
#define CLASSES 10       /* up to 32 KB slots */
#define LARGE CLASSES    /* the class of a block with a region of its own */
#define CACHED_MAX 64
#define BATCH 32

/* Spin locks: every critical section here is a few instructions long, and under Wine an SRW lock's release wakes
 * waiters through the kernel even when there are none. */
static inline void spin_lock(volatile BYTE *lock)
{
    unsigned int spins = 0;

    while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE)) {
        if (++spins < 64)
            YieldProcessor();
        else
            SwitchToThread();
    }
}

static inline void spin_unlock(volatile BYTE *lock)
{
    __atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

struct region {
    BYTE *base;
    int class;                /* LARGE: one block at base */
    SIZE_T span;              /* LARGE: the bytes reserved from base, a multiple of REGION_SIZE */
    SIZE_T committed;         /* LARGE: the bytes committed from base */
    SIZE_T carved;            /* small: the bytes from base ever handed out as slots */
    struct region *next;      /* all regions, newest first */
    struct region *next_free; /* LARGE and its block free: the next such region */
};

/* The lookup table: the user address space of Win64 is 47 bits, 27 of them above the region size; the top 13 pick a
 * leaf, the other 14 a region in it. */
#define LEAF_BITS 14
#define ROOT_ENTRIES (1u << (47 - REGION_SHIFT - LEAF_BITS))
static struct region **volatile regions_by_address[ROOT_ENTRIES];

static struct {
    volatile BYTE lock;
    struct region *all;        /* every region, for the live-block walk */
    struct region *large_free; /* large regions whose block is free */
} regions;

static struct size_class {
    volatile BYTE lock;
    struct block *free;    /* free blocks, linked by next */
    struct region *region; /* the newest region */
    BYTE *cursor, *end;    /* its slots never handed out yet */
} __attribute__((aligned(64))) classes[CLASSES];

static SIZE_T slot_size(int class)
{
    return (SIZE_T)1 << (SMALLEST_SHIFT + class);
}

static int class_of(ULONG size)
{
    int class = 0;

    while (class < CLASSES && size > slot_size(class) - sizeof(struct block)) class ++;
    return class;
}

static struct region *region_at(ULONG_PTR address)
{
    ULONG_PTR index = address >> REGION_SHIFT;
    struct region **leaf;

    if (address >> 47) return NULL;
    leaf = __atomic_load_n(&regions_by_address[index >> LEAF_BITS], __ATOMIC_ACQUIRE);
    return leaf ? __atomic_load_n(&leaf[index & ((1u << LEAF_BITS) - 1)], __ATOMIC_ACQUIRE) : NULL;
}

/* Enters region in the lookup table for every megabyte of span; FALSE when a leaf cannot be had. */
static BOOL region_publish(struct region *region, SIZE_T span)
{
    ULONG_PTR index, last = ((ULONG_PTR)region->base + span - 1) >> REGION_SHIFT;

    for (index = (ULONG_PTR)region->base >> REGION_SHIFT; index <= last; index++) {
        struct region **volatile *slot = &regions_by_address[index >> LEAF_BITS], **leaf = *slot;

        if (!leaf) {
            leaf = VirtualAlloc(NULL, sizeof(*leaf) << LEAF_BITS, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
            if (!leaf) return FALSE;
            if (InterlockedCompareExchangePointer((void **)slot, leaf, NULL)) {
                VirtualFree(leaf, 0, MEM_RELEASE); /* another thread's leaf came first */
                leaf = *slot;
            }
        }
        __atomic_store_n(&leaf[index & ((1u << LEAF_BITS) - 1)], region, __ATOMIC_RELEASE);
    }
    spin_lock(&regions.lock);
    region->next = regions.all;
    regions.all = region;
    spin_unlock(&regions.lock);
    return TRUE;
}

/* A new region of span bytes (a multiple of REGION_SIZE) aligned to REGION_SIZE, commit bytes of it committed. */
static struct region *region_new(int class, SIZE_T span, SIZE_T commit)
{
    struct region *region;
    BYTE *reserved;

    if (span < commit || !(region = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*region)))) return NULL;
    /* One region more than needed, so that an aligned span fits; the rest stays reserved and unused. */
    if (!(reserved = VirtualAlloc(NULL, span + REGION_SIZE, MEM_RESERVE, PAGE_NOACCESS))) goto fail;
    region->base = (BYTE *)(((ULONG_PTR)reserved + REGION_SIZE - 1) & ~(REGION_SIZE - 1));
    region->class = class;
    region->span = span;
    region->committed = commit;
    if (!VirtualAlloc(region->base, commit, MEM_COMMIT, PAGE_READWRITE) || !region_publish(region, span)) {
        VirtualFree(reserved, 0, MEM_RELEASE);
        goto fail;
    }
    return region;
fail:
    HeapFree(GetProcessHeap(), 0, region);
    return NULL;
}

/* ---- Large blocks: a region each ----------------------------------------------------------------------------- */

static SIZE_T page_round(SIZE_T size)
{
    return (size + 0xfff) & ~(SIZE_T)0xfff;
}

/* A free large region that fits size without wasting more than its size again, or a new one. */
static struct block *large_get(ULONG size)
{
    SIZE_T need = page_round(sizeof(struct block) + (SIZE_T)size);
    SIZE_T span = (need + REGION_SIZE - 1) & ~(REGION_SIZE - 1);
    struct region *region, **link;

    spin_lock(&regions.lock);
    for (link = &regions.large_free; (region = *link); link = &region->next_free)
        if (region->span >= span && region->span <= 2 * span) {
            *link = region->next_free;
            break;
        }
    spin_unlock(&regions.lock);
    if (!region) return (region = region_new(LARGE, span, need)) ? (struct block *)region->base : NULL;
    if (need > region->committed) {
        if (!VirtualAlloc(region->base, need, MEM_COMMIT, PAGE_READWRITE)) {
            region_put((struct block *)region->base);
            return NULL;
        }
        region->committed = need;
    }
    return (struct block *)region->base;
}

static void large_put(struct region *region)
{
    /* The header's page stays: a stale pointer to the block must still read "free". */
    if (region->committed > 0x1000) {
        VirtualFree(region->base + 0x1000, region->committed - 0x1000, MEM_DECOMMIT);
        region->committed = 0x1000;
    }
    spin_lock(&regions.lock);
    region->next_free = regions.large_free;
    regions.large_free = region;
    spin_unlock(&regions.lock);
}

/* ---- Small blocks: shared free lists and per-thread caches --------------------------------------------------- */

/* Up to count blocks of class into out, from the free list or slots never used; how many. */
static int class_take(int class, struct block **out, int count)
{
    struct size_class *shared = &classes[class];
    int n = 0;

    spin_lock(&shared->lock);
    for (; n < count && shared->free; n++) {
        out[n] = shared->free;
        shared->free = out[n]->next;
    }
    while (n < count) {
        if (shared->cursor == shared->end) {
            struct region *region = region_new(class, REGION_SIZE, REGION_SIZE);

            if (!region) break;
            shared->region = region;
            shared->cursor = region->base;
            shared->end = region->base + REGION_SIZE;
        }
        out[n++] = (struct block *)shared->cursor;
        shared->cursor += slot_size(class);
    }
    /* The live-block walk reads only slots handed out: the rest of a region is never touched. */
    if (shared->region)
        __atomic_store_n(&shared->region->carved, shared->cursor - shared->region->base, __ATOMIC_RELEASE);
    spin_unlock(&shared->lock);
    return n;
}

static void class_give(int class, struct block **blocks, int count)
{
    struct size_class *shared = &classes[class];
    int i;

    for (i = 0; i + 1 < count; i++) blocks[i]->next = blocks[i + 1];
    spin_lock(&shared->lock);
    blocks[count - 1]->next = shared->free;
    shared->free = blocks[0];
    spin_unlock(&shared->lock);
}

struct cache {
    struct block *blocks[CLASSES][CACHED_MAX];
    int count[CLASSES];
};

static DWORD cache_index = TLS_OUT_OF_INDEXES;

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

struct block *region_get(ULONG size)
{
    int class = class_of(size);
    struct cache *cache;
    struct block *block;

    if (class == LARGE) return large_get(size);
    if (!(cache = thread_cache(TRUE))) return class_take(class, &block, 1) ? block : NULL;
    if (!cache->count[class]) cache->count[class] = class_take(class, cache->blocks[class], BATCH);
    return cache->count[class] ? cache->blocks[class][--cache->count[class]] : NULL;
}

void region_put(struct block *block)
{
    struct region *region = region_at((ULONG_PTR)block);
    struct cache *cache;
    int class = region->class;

    if (class == LARGE) {
        large_put(region);
        return;
    }
    if (!(cache = thread_cache(TRUE))) {
        class_give(class, &block, 1);
        return;
    }
    if (cache->count[class] == CACHED_MAX) {
        cache->count[class] -= BATCH;
        class_give(class, &cache->blocks[class][cache->count[class]], BATCH);
    }
    cache->blocks[class][cache->count[class]++] = block;
}

void region_thread_detach(void)
{
    struct cache *cache = thread_cache(FALSE);
    int class;

    if (!cache) return;
    for (class = 0; class < CLASSES; class ++)
        if (cache->count[class]) class_give(class, cache->blocks[class], cache->count[class]);
    TlsSetValue(cache_index, NULL);
    HeapFree(GetProcessHeap(), 0, cache);
}

/* ---- Lookups ----------------------------------------------------------------------------------------------- */

struct block *region_block_of(const void *data)
{
    ULONG_PTR address = (ULONG_PTR)data, offset;
    struct region *region = region_at(address);

    if (!region) return NULL;
    offset = address - (ULONG_PTR)region->base;
    if (region->class == LARGE) return offset == sizeof(struct block) ? (struct block *)region->base : NULL;
    /* Inside a slot of this region: the data is exactly one header into it. */
    if ((offset & (slot_size(region->class) - 1)) != sizeof(struct block)) return NULL;
    return (struct block *)(address - sizeof(struct block));
}

void region_for_each_live(void (*visit)(const struct block *block, void *context), void *context)
{
    struct region *region;
    SIZE_T offset;

    spin_lock(&regions.lock);
    region = regions.all;
    spin_unlock(&regions.lock);
    /* Regions are only ever added at the head: the list from here on stays as it is. */
    for (; region; region = region->next) {
        SIZE_T step = region->class == LARGE ? REGION_SIZE : slot_size(region->class);
        SIZE_T end = region->class == LARGE ? 1 : __atomic_load_n(&region->carved, __ATOMIC_ACQUIRE);

        for (offset = 0; offset < end; offset += step) {
            const struct block *block = (const struct block *)(region->base + offset);
            BYTE state = __atomic_load_n(&block->state, __ATOMIC_ACQUIRE);

            if (state == BLOCK_ROOT || state == BLOCK_CHILD) visit(block, context);
        }
    }
}
