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
#include "ptrset.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(alloc);

#define ROOT_MAGIC 0x4d484246 /* "MHBF" */
#define MORE_MAGIC 0x4d48424d /* "MHBM" */

struct block {
    DWORD magic;
    ULONG size;
    struct block *root; /* a root points to itself */
    struct block *next; /* root: its first child; child: the next child of the same root */
    const void *caller; /* the return address of the allocation call */
} __attribute__((aligned(16)));  /* the caller's data after the header is 16-byte aligned, as on Win64 */

static SRWLOCK lock = SRWLOCK_INIT;
static struct ptrset live; /* data pointers of every live block, roots and children */

static inline void *data_of(struct block *block) { return block + 1; }
static inline struct block *block_of(const void *data) { return (struct block *)data - 1; }

static struct block *new_block(ULONG size, DWORD magic, const void *caller)
{
    struct block *block = malloc(sizeof(*block) + size);

    if (!block) return NULL;
    block->magic = magic;
    block->size = size;
    block->root = block;
    block->next = NULL;
    block->caller = caller;
    if (ptrset_add(&live, data_of(block)) < 0) {
        free(block);
        return NULL;
    }
    return block;
}

SCODE WINAPI MAPIAllocateBuffer(ULONG cbSize, LPVOID *lppBuffer)
{
    struct block *block;

    TRACE("(%lu, %p)\n", cbSize, lppBuffer);
    if (!lppBuffer) return MAPI_E_INVALID_PARAMETER;
    *lppBuffer = NULL;
    if (!mapihost_utilities_ready()) return MAPI_E_NOT_INITIALIZED;

    AcquireSRWLockExclusive(&lock);
    block = new_block(cbSize, ROOT_MAGIC, __builtin_return_address(0));
    ReleaseSRWLockExclusive(&lock);
    if (!block) return MAPI_E_NOT_ENOUGH_MEMORY;
    *lppBuffer = data_of(block);
    return S_OK;
}

SCODE WINAPI MAPIAllocateMore(ULONG cbSize, LPVOID lpObject, LPVOID *lppBuffer)
{
    struct block *block, *root = NULL;

    TRACE("(%lu, %p, %p)\n", cbSize, lpObject, lppBuffer);
    if (!lppBuffer) return MAPI_E_INVALID_PARAMETER;
    *lppBuffer = NULL;
    if (!mapihost_utilities_ready()) return MAPI_E_NOT_INITIALIZED;

    AcquireSRWLockExclusive(&lock);
    if (ptrset_contains(&live, lpObject)) root = block_of(lpObject)->root;
    /* A child given as the parent is linked to its root: one MAPIFreeBuffer still frees everything. */
    if (!(block = new_block(cbSize, root ? MORE_MAGIC : ROOT_MAGIC, __builtin_return_address(0)))) {
        ReleaseSRWLockExclusive(&lock);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (root) {
        block->root = root;
        block->next = root->next;
        root->next = block;
    }
    ReleaseSRWLockExclusive(&lock);

    if (!root)
        EVENT_VIOLATION("MAPIAllocateMore: parent %p was not allocated by MAPIAllocateBuffer; the %lu bytes at %p "
                        "get no parent and need their own MAPIFreeBuffer (F4)", lpObject, cbSize, data_of(block));
    *lppBuffer = data_of(block);
    return S_OK;
}

ULONG WINAPI MAPIFreeBuffer(LPVOID lpBuffer)
{
    struct block *block, *next;

    TRACE("(%p)\n", lpBuffer);
    /* Works before MAPIInitialize and after the last MAPIUninitialize: buffers outlive sessions (H26). */
    if (!lpBuffer) return S_OK;

    AcquireSRWLockExclusive(&lock);
    if (!ptrset_contains(&live, lpBuffer)) {
        ReleaseSRWLockExclusive(&lock);
        EVENT_VIOLATION("MAPIFreeBuffer: %p is not a live MAPI buffer (foreign, or already freed); ignored (E13)",
                        lpBuffer);
        return S_OK;
    }
    block = block_of(lpBuffer);
    if (block->magic == MORE_MAGIC) {
        ReleaseSRWLockExclusive(&lock);
        EVENT_VIOLATION("MAPIFreeBuffer: %p came from MAPIAllocateMore; it is freed with its parent %p, not alone "
                        "(E13)", lpBuffer, data_of(block->root));
        return S_OK;
    }
    for (; block; block = next) {
        next = block->next;
        ptrset_remove(&live, data_of(block));
        block->magic = 0;
        free(block);
    }
    if (!live.count) ptrset_clear(&live);
    ReleaseSRWLockExclusive(&lock);
    return S_OK;
}

ULONG mapihost_live_buffers(void)
{
    ULONG count;

    AcquireSRWLockShared(&lock);
    count = live.count;
    ReleaseSRWLockShared(&lock);
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

    AcquireSRWLockShared(&lock);
    ptrset_for_each(&live, count_if_from, &counted);
    ReleaseSRWLockShared(&lock);
    return counted.count;
}

/* The published count (mapihost.h), for tests and the checker. */
ULONG WINAPI MapihostLiveBuffers(void)
{
    return mapihost_live_buffers();
}
