/*
 * MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer (spec §2.14).
 *
 * Every block carries a header; a block from MAPIAllocateMore is linked to its root, and one MAPIFreeBuffer on the
 * root frees the whole chain. Blocks live in regions of mapihost's own (region.c), where the block at any pointer is
 * found without a lock and its state (free, root, child) read without touching memory the pointer's owner may have
 * freed: real providers hand the host blocks it never allocated (Wine's IPropData mixes allocators, F4) and free
 * children or free twice (E13). Those are reported as violations in the event log, and survived.
 *
 * A block also remembers the code that asked for it, so that the MAPI buffers a provider DLL leaves behind can be
 * counted when it is unloaded (H27).
 */
#include "mapihost_private.h"
#include "region.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(alloc);

static inline void chain_lock(struct block *root)
{
    unsigned int spins = 0;

    while (__atomic_exchange_n(&root->chain, 1, __ATOMIC_ACQUIRE)) {
        if (++spins < 64)
            YieldProcessor();
        else
            SwitchToThread();
    }
}

static inline void chain_unlock(struct block *root)
{
    __atomic_store_n(&root->chain, 0, __ATOMIC_RELEASE);
}

static inline BYTE state_of(const struct block *block)
{
    return __atomic_load_n(&block->state, __ATOMIC_ACQUIRE);
}

/* A block nobody else knows yet, with its header filled but still free. */
static struct block *new_block(ULONG size, const void *caller)
{
    struct block *block = region_get(size);

    if (!block) return NULL;
    block->root = block;
    block->next = NULL;
    block->caller = caller;
    block->size = size;
    return block;
}

/* Links child to the chain parent belongs to; FALSE when parent is no live block. parent's header may change under
 * us (another thread freeing a chain it was given), so everything read before the root's lock is checked again
 * under it; a header is always readable, and its root is always some block's header. */
static BOOL link_child(struct block *parent, struct block *child)
{
    BYTE state = state_of(parent);
    struct block *root = parent->root;
    BOOL linked;

    if ((state != BLOCK_ROOT && state != BLOCK_CHILD) || !root) return FALSE;
    chain_lock(root);
    linked =
        state_of(root) == BLOCK_ROOT && (parent == root || (state_of(parent) == BLOCK_CHILD && parent->root == root));
    if (linked) {
        child->root = root;
        child->next = root->next;
        root->next = child;
        __atomic_store_n(&child->state, BLOCK_CHILD, __ATOMIC_RELEASE);
    }
    chain_unlock(root);
    return linked;
}

SCODE WINAPI MAPIAllocateBuffer(ULONG cbSize, LPVOID *lppBuffer)
{
    struct block *block;

    TRACE("(%lu, %p)\n", cbSize, lppBuffer);
    if (!lppBuffer) return MAPI_E_INVALID_PARAMETER;
    *lppBuffer = NULL;
    if (!mapihost_utilities_ready()) return MAPI_E_NOT_INITIALIZED;

    if (!(block = new_block(cbSize, __builtin_return_address(0)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    __atomic_store_n(&block->state, BLOCK_ROOT, __ATOMIC_RELEASE);
    *lppBuffer = block_data(block);
    return S_OK;
}

SCODE WINAPI MAPIAllocateMore(ULONG cbSize, LPVOID lpObject, LPVOID *lppBuffer)
{
    struct block *block, *parent;

    TRACE("(%lu, %p, %p)\n", cbSize, lpObject, lppBuffer);
    if (!lppBuffer) return MAPI_E_INVALID_PARAMETER;
    *lppBuffer = NULL;
    if (!mapihost_utilities_ready()) return MAPI_E_NOT_INITIALIZED;

    if (!(block = new_block(cbSize, __builtin_return_address(0)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    /* A child given as the parent is linked to its root: one MAPIFreeBuffer still frees everything. */
    if (!(parent = region_block_of(lpObject)) || !link_child(parent, block)) {
        __atomic_store_n(&block->state, BLOCK_ROOT, __ATOMIC_RELEASE);
        event_violation(ABOUT_HOST, "memory",
                        "MAPIAllocateMore: parent %p was not allocated by MAPIAllocateBuffer; the %lu bytes "
                        "at %p get no parent and need their own MAPIFreeBuffer (F4)",
                        lpObject, cbSize, block_data(block));
    }
    *lppBuffer = block_data(block);
    return S_OK;
}

ULONG WINAPI MAPIFreeBuffer(LPVOID lpBuffer)
{
    struct block *block, *child, *next;
    BYTE state = BLOCK_ROOT;

    TRACE("(%p)\n", lpBuffer);
    /* Works before MAPIInitialize and after the last MAPIUninitialize: buffers outlive sessions (H26). */
    if (!lpBuffer) return S_OK;

    block = region_block_of(lpBuffer);
    /* Only one caller can turn a root into a freeing one: a second free of it, at once or later, sees it gone. */
    if (!block
        || !__atomic_compare_exchange_n(&block->state, &state, BLOCK_FREEING, FALSE, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
        if (state == BLOCK_CHILD)
            event_violation(ABOUT_HOST, "E13",
                            "MAPIFreeBuffer: %p came from MAPIAllocateMore; it is freed with its parent %p, not "
                            "alone (E13)",
                            lpBuffer, block_data(block->root));
        else
            event_violation(ABOUT_HOST, "E13",
                            "MAPIFreeBuffer: %p is not a live MAPI buffer (foreign, or already freed); ignored "
                            "(E13)",
                            lpBuffer);
        return S_OK;
    }
    /* A MAPIAllocateMore that takes the root's lock after this sees it freeing and links nothing more. */
    chain_lock(block);
    child = block->next;
    block->next = NULL;
    chain_unlock(block);
    for (; child; child = next) {
        next = child->next;
        __atomic_store_n(&child->state, BLOCK_FREE, __ATOMIC_RELEASE);
        region_put(child);
    }
    __atomic_store_n(&block->state, BLOCK_FREE, __ATOMIC_RELEASE);
    region_put(block);
    return S_OK;
}

static void count_one(const struct block *block, void *context)
{
    ++*(ULONG *)context;
}

ULONG mapihost_live_buffers(void)
{
    ULONG count = 0;

    region_for_each_live(count_one, &count);
    return count;
}

struct module_count {
    const BYTE *start, *end;
    ULONG count;
};

static void count_if_from(const struct block *block, void *context)
{
    struct module_count *module = context;
    const BYTE *caller = block->caller;

    module->count += caller >= module->start && caller < module->end;
}

ULONG mapihost_live_buffers_from(HMODULE module)
{
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)module;
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)((const BYTE *)module + dos->e_lfanew);
    struct module_count counted = { (const BYTE *)module, (const BYTE *)module + nt->OptionalHeader.SizeOfImage, 0 };

    region_for_each_live(count_if_from, &counted);
    return counted.count;
}

/* The published count (mapihost.h), for tests and the checker. */
ULONG WINAPI MapihostLiveBuffers(void)
{
    TRACE("()\n");
    return mapihost_live_buffers();
}
