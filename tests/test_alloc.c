/* MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer and the IMalloc (spec §2.14, E13, F4, F5, H26). */
#include "test_support.h"
#include "mapihost_private.h"

static void test_not_initialized(void **state)
{
    void *buffer = (void *)1;

    MAPIUninitialize();
    assert_int_equal(MAPIAllocateBuffer(16, &buffer), MAPI_E_NOT_INITIALIZED);
    assert_null(buffer);
    assert_int_equal(MAPIAllocateMore(16, NULL, &buffer), MAPI_E_NOT_INITIALIZED);
    assert_null(MAPIGetDefaultMalloc());
    assert_int_equal(MAPIFreeBuffer(NULL), S_OK);
    assert_int_equal(MAPIInitialize(NULL), S_OK);
}

static void test_chain_freed_by_one_call(void **state)
{
    ULONG live = mapihost_live_buffers();
    void *root, *child, *grandchild;

    assert_int_equal(MAPIAllocateBuffer(10, &root), S_OK);
    assert_int_equal(MAPIAllocateMore(20, root, &child), S_OK);
    /* A child given as the parent is linked to the root, so the one free below still frees it. */
    assert_int_equal(MAPIAllocateMore(30, child, &grandchild), S_OK);
    assert_int_equal((uintptr_t)root % 16, 0);
    assert_int_equal((uintptr_t)child % 16, 0);
    memset(grandchild, 0xab, 30);
    assert_int_equal(mapihost_live_buffers(), live + 3);
    assert_int_equal(MAPIFreeBuffer(root), S_OK);
    assert_int_equal(mapihost_live_buffers(), live);
}

static void test_bad_frees_are_survived(void **state)
{
    ULONG live = mapihost_live_buffers();
    char foreign[64];
    void *root, *child;

    assert_int_equal(MAPIAllocateBuffer(8, &root), S_OK);
    assert_int_equal(MAPIAllocateMore(8, root, &child), S_OK);
    capture_errors();
    assert_int_equal(MAPIFreeBuffer(child), S_OK); /* a child alone: reported, not freed (E13) */
    assert_int_equal(mapihost_live_buffers(), live + 2);
    assert_int_equal(MAPIFreeBuffer(root), S_OK);
    assert_int_equal(MAPIFreeBuffer(root), S_OK); /* twice: reported, never touched */
    assert_int_equal(MAPIFreeBuffer(foreign + 16), S_OK);
    assert_int_equal(mapihost_live_buffers(), live);
}

/* Blocks too big for a shared region get one of their own, and come back after a free (P3). */
static void test_large_blocks(void **state)
{
    static const ULONG sizes[] = { 32 * 1024, 100000, 3 * 1024 * 1024 + 5 };
    ULONG live = mapihost_live_buffers(), i;
    void *root, *child, *small;

    for (i = 0; i < ARRAYSIZE(sizes); i++) {
        assert_int_equal(MAPIAllocateBuffer(sizes[i], &root), S_OK);
        assert_int_equal((uintptr_t)root % 16, 0);
        memset(root, 0x5a, sizes[i]);
        assert_int_equal(MAPIAllocateMore(sizes[i], root, &child), S_OK);
        memset(child, 0xa5, sizes[i]);
        assert_int_equal(MAPIAllocateMore(8, child, &small), S_OK);
        assert_int_equal(mapihost_live_buffers(), live + 3);
        assert_int_equal(MAPIFreeBuffer(root), S_OK);
        assert_int_equal(mapihost_live_buffers(), live);
        capture_errors();
        assert_int_equal(MAPIFreeBuffer(root), S_OK); /* its region stays ours: still known as freed */
        assert_error_mentions("not a live MAPI buffer");
        assert_int_equal(MAPIFreeBuffer(child), S_OK);
        assert_int_equal(mapihost_live_buffers(), live);
    }
}

/* A pointer into a block, between blocks or to another allocator's memory is no block: reported, nothing freed. */
static void test_pointers_that_are_no_block(void **state)
{
    ULONG live = mapihost_live_buffers();
    void *root, *heap = HeapAlloc(GetProcessHeap(), 0, 64);
    char *inside;

    assert_int_equal(MAPIAllocateBuffer(200, &root), S_OK);
    inside = root;
    capture_errors();
    assert_int_equal(MAPIFreeBuffer(inside + 16), S_OK);
    assert_int_equal(MAPIFreeBuffer(inside - 16), S_OK);
    assert_int_equal(MAPIFreeBuffer(inside + 200), S_OK);
    assert_int_equal(MAPIFreeBuffer(heap), S_OK);
    assert_int_equal(MAPIFreeBuffer((void *)(uintptr_t)0xfedcba9876543210ull), S_OK);
    assert_int_equal(mapihost_live_buffers(), live + 1);
    assert_int_equal(MAPIFreeBuffer(root), S_OK);
    assert_int_equal(mapihost_live_buffers(), live);
    HeapFree(GetProcessHeap(), 0, heap);
}

static void test_foreign_parent(void **state)
{
    ULONG live = mapihost_live_buffers();
    char foreign[64];
    void *block = NULL;

    /* Wine's IPropData hands the host blocks from another allocator (F4): still served, reported, never read. */
    capture_errors();
    assert_int_equal(MAPIAllocateMore(12, foreign + 8, &block), S_OK);
    assert_non_null(block);
    assert_error_mentions("not allocated by MAPIAllocateBuffer");
    assert_int_equal(MAPIFreeBuffer(block), S_OK);
    assert_int_equal(mapihost_live_buffers(), live);
}

static void test_invalid_parameters(void **state)
{
    assert_int_equal(MAPIAllocateBuffer(8, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(MAPIAllocateMore(8, NULL, NULL), MAPI_E_INVALID_PARAMETER);
}

static void test_malloc_ignores_refcounts(void **state)
{
    IMalloc *malloc = MAPIGetDefaultMalloc();
    void *p;

    assert_non_null(malloc);
    /* Providers Release an IMalloc they never AddRef'd (F5): the object must survive it. */
    IMalloc_Release(malloc);
    IMalloc_Release(malloc);
    p = IMalloc_Alloc(malloc, 100);
    assert_non_null(p);
    assert_true(IMalloc_GetSize(malloc, p) >= 100);
    IMalloc_Free(malloc, p);
    assert_ptr_equal(MAPIGetDefaultMalloc(), malloc);
}

#define RACERS 4
#define RACES 20000

/* Each racer allocates and frees chains of its own, and adds children to one root all share. */
static DWORD WINAPI race(void *shared_root)
{
    void *root, *child;
    int i, j;

    for (i = 0; i < RACES; i++) {
        if (MAPIAllocateBuffer(24, &root)) return 1;
        for (j = 0; j < 4; j++)
            if (MAPIAllocateMore(8, j ? child : root, &child)) return 1;
        if (i % 16 == 0 && MAPIAllocateMore(8, shared_root, &child)) return 1;
        MAPIFreeBuffer(root);
    }
    return 0;
}

/* No lock is shared by every allocation (P3): threads allocating at once lose no block and free every one. */
static void test_threads_at_once(void **state)
{
    ULONG live = mapihost_live_buffers(), i;
    HANDLE threads[RACERS];
    DWORD code;
    void *shared;

    assert_int_equal(MAPIAllocateBuffer(8, &shared), S_OK);
    for (i = 0; i < RACERS; i++) assert_non_null(threads[i] = CreateThread(NULL, 0, race, shared, 0, NULL));
    WaitForMultipleObjects(RACERS, threads, TRUE, INFINITE);
    for (i = 0; i < RACERS; i++) {
        assert_true(GetExitCodeThread(threads[i], &code));
        assert_int_equal(code, 0);
        CloseHandle(threads[i]);
    }
    assert_int_equal(mapihost_live_buffers(), live + 1 + RACERS * ((RACES + 15) / 16));
    assert_int_equal(MAPIFreeBuffer(shared), S_OK);
    assert_int_equal(mapihost_live_buffers(), live);
}

static void test_init_counting(void **state)
{
    MAPIINIT_0 bad_version = { 1, 0 }, bad_flags = { MAPI_INIT_VERSION, 0x100 };

    assert_int_equal(MAPIInitialize(&bad_version), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(MAPIInitialize(&bad_flags), MAPI_E_UNKNOWN_FLAGS);
    assert_true(mapihost_is_initialized()); /* the fixture's count, untouched by the failures */
    MAPIUninitialize();
    assert_false(mapihost_is_initialized());
    capture_errors();
    MAPIUninitialize(); /* unbalanced: reported, ignored */
    assert_false(mapihost_is_initialized());
    assert_error_mentions("without a matching MAPIInitialize");
    assert_int_equal(MAPIInitialize(NULL), S_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        mapi_test(test_not_initialized),
        mapi_test(test_chain_freed_by_one_call),
        mapi_test(test_bad_frees_are_survived),
        mapi_test(test_foreign_parent),
        mapi_test(test_large_blocks),
        mapi_test(test_pointers_that_are_no_block),
        mapi_test(test_threads_at_once),
        mapi_test(test_invalid_parameters),
        mapi_test(test_malloc_ignores_refcounts),
        mapi_test(test_init_counting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
