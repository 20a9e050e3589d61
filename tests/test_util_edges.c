/*
 * The utility library's documented edge cases, as Windows' MAPI answers them (U7, U9, U62-U71), table by table:
 * sizes, types, NULLs, empty values, flags and error codes, and input that once corrupted memory or crashed (an
 * empty binary copied past its block, a single value read as an array, an unreadable or endless restriction). Memory
 * that cannot be read comes from VirtualAlloc, so a check that only tests for NULL fails.
 */
#include "test_support.h"
#include "mapihost_util.h"
#include "mapihost_val.h"

static BYTE bytes[4] = { 1, 2, 3, 4 };
static char *strings[2] = { "a", "bc" };
static LONG longs[3] = { 1, 2, 3 };
static SBinary empty_bins[2] = { { 0, NULL }, { 4, bytes } };
static GUID guid = { 0x12345678, 1, 2, { 3, 4, 5, 6, 7, 8, 9, 10 } };

/* UlPropSize: the bytes of the value alone. */
static void test_prop_size(void **state)
{
    static const struct {
        SPropValue value;
        ULONG size;
    } cases[] = {
        { { PROP_TAG(PT_I2, 0x6600), 0, { .i = 1 } }, 2 },
        { { PROP_TAG(PT_BOOLEAN, 0x6600), 0, { .b = TRUE } }, 2 },
        { { PROP_TAG(PT_LONG, 0x6600), 0, { .l = 1 } }, 4 },
        { { PROP_TAG(PT_ERROR, 0x6600), 0, { .err = MAPI_E_NOT_FOUND } }, 4 },
        { { PROP_TAG(PT_R4, 0x6600), 0, { .flt = 1 } }, 4 },
        { { PROP_TAG(PT_DOUBLE, 0x6600), 0, { .dbl = 1 } }, 8 },
        { { PROP_TAG(PT_SYSTIME, 0x6600), 0, { .ft = { 1, 2 } } }, 8 },
        { { PROP_TAG(PT_CLSID, 0x6600), 0, { .lpguid = &guid } }, 16 },
        { { PROP_TAG(PT_STRING8, 0x6600), 0, { .lpszA = "ab" } }, 3 },
        { { PROP_TAG(PT_UNICODE, 0x6600), 0, { .lpszW = L"ab" } }, 6 },
        { { PROP_TAG(PT_BINARY, 0x6600), 0, { .bin = { 4, bytes } } }, 4 },
        { { PROP_TAG(PT_BINARY, 0x6600), 0, { .bin = { 0, NULL } } }, 0 },
        /* A fixed-size multi-valued property: count times size, the array never read (NULL here). */
        { { PROP_TAG(PT_MV_LONG, 0x6600), 0, { .MVl = { 3, NULL } } }, 12 },
        { { PROP_TAG(PT_MV_I2, 0x6600), 0, { .MVi = { 2, NULL } } }, 4 },
        { { PROP_TAG(PT_MV_STRING8, 0x6600), 0, { .MVszA = { 2, strings } } }, 5 },
        { { PROP_TAG(PT_MV_BINARY, 0x6600), 0, { .MVbin = { 2, empty_bins } } }, 4 },
    };
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(cases); i++) {
        print_message("UlPropSize case %u\n", i);
        assert_int_equal(UlPropSize((SPropValue *)&cases[i].value), cases[i].size);
    }
}

/* ScCountProps refuses what it cannot size, and leaves the count alone when it does. */
static void test_count_refusals(void **state)
{
    static const SPropValue bad[] = {
        { PROP_TAG(PT_UNSPECIFIED, 0x6600), 0, { .l = 0 } },
        { PROP_TAG(PT_NULL, 0x6600), 0, { .l = 0 } },
        { PROP_TAG(0x0FF0, 0x6600), 0, { .l = 0 } },
        { PROP_TAG(PT_LONG, PROP_ID_NULL), 0, { .l = 0 } },
        { PROP_TAG(PT_LONG, PROP_ID_INVALID), 0, { .l = 0 } },
        { PROP_TAG(PT_MV_LONG, 0x6600), 0, { .MVl = { 0, NULL } } },
        { PROP_TAG(PT_STRING8, 0x6600), 0, { .lpszA = NULL } },
    };
    unsigned int i;
    ULONG size;

    for (i = 0; i < ARRAYSIZE(bad); i++) {
        print_message("ScCountProps refusal %u\n", i);
        size = 0xdeadbeef;
        assert_int_equal(ScCountProps(1, (SPropValue *)&bad[i], &size), MAPI_E_INVALID_PARAMETER);
        assert_int_equal(size, 0xdeadbeef);
    }
    assert_int_equal(ScCountProps(-1, (SPropValue *)bad, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ScCountProps(1, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ScCountProps(0, NULL, &size), S_OK);
    assert_int_equal(size, 0);
}

/* ScCountProps, ScCopyProps and ScRelocProps give one size, and the copy stays inside it: the bytes after the block
 * keep their guard pattern. An empty binary, once counted 0 and copied 8, is among the values. */
static void test_count_copy_reloc_agree(void **state)
{
    SPropValue values[] = {
        { PROP_TAG(PT_BINARY, 0x6600), 0, { .bin = { 0, NULL } } },
        { PROP_TAG(PT_BINARY, 0x6601), 0, { .bin = { 4, bytes } } },
        { PROP_TAG(PT_STRING8, 0x6602), 0, { .lpszA = "a string" } },
        { PROP_TAG(PT_UNICODE, 0x6603), 0, { .lpszW = L"wide" } },
        { PROP_TAG(PT_MV_BINARY, 0x6604), 0, { .MVbin = { 2, empty_bins } } },
        { PROP_TAG(PT_MV_STRING8, 0x6605), 0, { .MVszA = { 2, strings } } },
        { PROP_TAG(PT_MV_LONG, 0x6606), 0, { .MVl = { 3, longs } } },
        { PROP_TAG(PT_CLSID, 0x6607), 0, { .lpguid = &guid } },
        { PROP_TAG(PT_LONG, 0x6608), 0, { .l = 7 } },
    };
    ULONG counted, copied, relocated, i;
    SPropValue *copy, *dup;
    BYTE *block, *moved;

    assert_int_equal(ScCountProps(ARRAYSIZE(values), values, &counted), S_OK);
    block = malloc(counted + 64);
    memset(block, 0xA5, counted + 64);
    assert_int_equal(ScCopyProps(ARRAYSIZE(values), values, block, &copied), S_OK);
    assert_int_equal(copied, counted);
    for (i = 0; i < 64; i++) assert_int_equal(block[counted + i], 0xA5);
    copy = (SPropValue *)block;
    assert_int_equal(copy[1].Value.bin.cb, 4);
    assert_memory_equal(copy[1].Value.bin.lpb, bytes, 4);
    assert_string_equal(copy[5].Value.MVszA.lppszA[1], "bc");

    /* Moved as a block, then relocated: the size is the same, and the values read right at the new place. */
    moved = malloc(counted);
    memcpy(moved, block, counted);
    assert_int_equal(ScRelocProps(ARRAYSIZE(values), (SPropValue *)moved, block, moved, &relocated), S_OK);
    assert_int_equal(relocated, counted);
    assert_string_equal(((SPropValue *)moved)[2].Value.lpszA, "a string");
    assert_memory_equal(((SPropValue *)moved)[4].Value.MVbin.lpbin[1].lpb, bytes, 4);
    /* Made position-independent (new base 0) and back. */
    assert_int_equal(ScRelocProps(ARRAYSIZE(values), (SPropValue *)moved, moved, NULL, &relocated), S_OK);
    assert_int_equal(relocated, counted);
    assert_int_equal(ScRelocProps(ARRAYSIZE(values), (SPropValue *)moved, NULL, moved, &relocated), S_OK);
    assert_string_equal(((SPropValue *)moved)[5].Value.MVszA.lppszA[0], "a");
    free(moved);
    free(block);

    assert_int_equal(ScDupPropset(ARRAYSIZE(values), values, MAPIAllocateBuffer, &dup), S_OK);
    assert_int_equal(dup[0].Value.bin.cb, 0);
    assert_int_equal(dup[8].Value.l, 7);
    MAPIFreeBuffer(dup);
}

/* LpValFindProp by property ID alone; PpropFindProp by the whole tag (or the ID for PT_UNSPECIFIED). */
static void test_find(void **state)
{
    SPropValue values[2] = { { PR_DISPLAY_NAME_A, 0, { .lpszA = "name" } }, { PR_STATUS_CODE, 0, { .l = 1 } } };

    assert_ptr_equal(LpValFindProp(PR_DISPLAY_NAME_W, 2, values), &values[0]);
    assert_ptr_equal(LpValFindProp(PROP_TAG(PT_BINARY, PROP_ID(PR_STATUS_CODE)), 2, values), &values[1]);
    assert_null(LpValFindProp(PR_ENTRYID, 2, values));
    assert_null(LpValFindProp(PR_STATUS_CODE, 2, NULL));
    assert_null(PpropFindProp(values, 2, PR_DISPLAY_NAME_W));
    assert_ptr_equal(PpropFindProp(values, 2, PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_DISPLAY_NAME_A))), &values[0]);
}

/* A single value and a multi-valued one of the same ID order by type; neither is read as the other. */
static void test_compare_mixed(void **state)
{
    SPropValue single = { PROP_TAG(PT_LONG, 0x6600), 0, { .l = 0x1000 } };
    SPropValue multi = { PROP_TAG(PT_MV_LONG, 0x6600), 0, { .MVl = { 3, longs } } };

    assert_true(LPropCompareProp(&single, &multi) < 0);
    assert_true(LPropCompareProp(&multi, &single) > 0);
    assert_int_equal(LPropCompareProp(&multi, &multi), 0);
}

/* A table whose rows mix the two sorts without reading one as the other. */
static void test_sort_mixed(void **state)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ROWID, PROP_TAG(PT_LONG, 0x6600) } };
    SizedSSortOrderSet(1, order) = { 1, 0, 0, { { PROP_TAG(PT_LONG, 0x6600), TABLE_SORT_ASCEND } } };
    SPropValue rows[2][2] = {
        { { PR_ROWID, 0, { .l = 1 } }, { PROP_TAG(PT_MV_LONG, 0x6600), 0, { .MVl = { 3, longs } } } },
        { { PR_ROWID, 0, { .l = 2 } }, { PROP_TAG(PT_LONG, 0x6600), 0, { .l = 5 } } },
    };
    ITableData *data;
    IMAPITable *view;
    SRowSet *got;
    SRow row;
    ULONG i;

    assert_int_equal(CreateTable(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, TBLTYPE_DYNAMIC,
                                 PR_ROWID, (SPropTagArray *)&columns, &data),
                     S_OK);
    for (i = 0; i < 2; i++) {
        row = (SRow){ 0, 2, rows[i] };
        assert_int_equal(ITableData_HrModifyRow(data, &row), S_OK);
    }
    assert_int_equal(ITableData_HrGetView(data, NULL, NULL, 0, &view), S_OK);
    assert_int_equal(IMAPITable_SortTable(view, (SSortOrderSet *)&order, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(view, 10, 0, &got), S_OK);
    assert_int_equal(got->cRows, 2);
    FreeProws(got);
    IMAPITable_Release(view);
    ITableData_Release(data);
}

/* FBadPropTag, FBadColumnSet and FBadProp. */
static void test_validation(void **state)
{
    static const struct {
        ULONG tag;
        BOOL bad;
    } tags[] = {
        { PR_DISPLAY_NAME_A, FALSE },
        { PROP_TAG(PT_MV_LONG, 0x6600), FALSE },
        { PROP_TAG(PT_UNSPECIFIED, 0x6600), FALSE },
        { PROP_TAG(PT_LONG | MV_INSTANCE, 0x6600), TRUE },
        { PROP_TAG(PT_MV_LONG | MV_INSTANCE, 0x6600), TRUE },
        { PROP_TAG(0x0FF0, 0x6600), TRUE },
    };
    SPropValue good[] = {
        { PROP_TAG(PT_LONG, PROP_ID_NULL), 0, { .l = 1 } },
        { PROP_TAG(PT_MV_LONG, 0x6600), 0, { .MVl = { 0, NULL } } },
        { PROP_TAG(PT_BOOLEAN, 0x6600), 0, { .b = TRUE } },
        { PROP_TAG(PT_BINARY, 0x6600), 0, { .bin = { 0, NULL } } },
        { PROP_TAG(PT_STRING8, 0x6600), 0, { .lpszA = "text" } },
    };
    SPropValue bad[] = {
        { PROP_TAG(PT_STRING8, 0x6600), 0, { .lpszA = no_access } },
        { PROP_TAG(PT_UNICODE, 0x6600), 0, { .lpszW = NULL } },
        { PROP_TAG(PT_BINARY, 0x6600), 0, { .bin = { 4, no_access } } },
        { PROP_TAG(PT_MV_STRING8, 0x6600), 0, { .MVszA = { 2, no_access } } },
        { PROP_TAG(PT_CLSID, 0x6600), 0, { .lpguid = no_access } },
        { PROP_TAG(PT_BOOLEAN, 0x6600), 0, { .b = 2 } },
        { PROP_TAG(PT_LONG | MV_INSTANCE, 0x6600), 0, { .l = 1 } },
    };
    SizedSPropTagArray(1, instance_column) = { 1, { PROP_TAG(PT_MV_LONG | MV_INSTANCE, 0x6600) } };
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(tags); i++) {
        print_message("FBadPropTag case %u\n", i);
        assert_int_equal(!!FBadPropTag(tags[i].tag), tags[i].bad);
    }
    assert_true(FBadColumnSet((SPropTagArray *)&instance_column));
    for (i = 0; i < ARRAYSIZE(good); i++) {
        print_message("FBadProp good %u\n", i);
        assert_false(FBadProp(&good[i]));
    }
    for (i = 0; i < ARRAYSIZE(bad); i++) {
        print_message("FBadProp bad %u\n", i);
        assert_true(FBadProp(&bad[i]));
    }
    assert_true(FBadProp(NULL));
    assert_true(FBadProp(no_access));
}

/* Restrictions: an unreadable node or value is bad, never read; one nested beyond the limit, or one that contains
 * itself, is too complex for a view and ends (no stack overflow). */
static void test_restriction_bounds(void **state)
{
    SPropValue unreadable_value = { PROP_TAG(PT_BINARY, 0x6600), 0, { .bin = { 4, no_access } } };
    SRestriction not_unreadable = { RES_NOT, { .resNot = { 0, no_access } } };
    SRestriction property_unreadable = { RES_PROPERTY, { .resProperty = { RELOP_EQ, PR_ENTRYID, no_access } } };
    SRestriction property_bad_value = {
        RES_PROPERTY, { .resProperty = { RELOP_EQ, PROP_TAG(PT_BINARY, 0x6600), &unreadable_value } }
    };
    SRestriction exist = { RES_EXIST, { .resExist = { 0, PR_ENTRYID, 0 } } };
    SRestriction self = { RES_NOT, { .resNot = { 0, NULL } } };
    SizedSPropTagArray(1, columns) = { 1, { PR_ROWID } };
    SRestriction *chain;
    ITableData *data;
    IMAPITable *view;
    ULONG i, depth = 100000;

    assert_true(FBadRestriction(&not_unreadable));
    assert_true(FBadRestriction(&property_unreadable));
    assert_true(FBadRestriction(&property_bad_value));
    assert_true(FBadRestriction(no_access));
    assert_false(FBadRestriction(&exist));

    self.res.resNot.lpRes = &self;
    chain = calloc(depth, sizeof(*chain));
    for (i = 0; i < depth; i++) {
        chain[i].rt = RES_NOT;
        chain[i].res.resNot.lpRes = i + 1 < depth ? &chain[i + 1] : &exist;
    }
    assert_false(FBadRestriction(&self)); /* well formed, only endless */
    assert_false(FBadRestriction(chain));
    assert_int_equal(CreateTable(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, TBLTYPE_DYNAMIC,
                                 PR_ROWID, (SPropTagArray *)&columns, &data),
                     S_OK);
    assert_int_equal(ITableData_HrGetView(data, NULL, NULL, 0, &view), S_OK);
    /* ValidateParms as a provider's Restrict would call it: a bad argument, never a crash. */
    assert_int_equal(HrValidateParametersV(IMAPITable_Restrict, view, &not_unreadable, 0), MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParametersV(IMAPITable_Restrict, view, &property_unreadable, 0), MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParametersV(IMAPITable_Restrict, view, &exist, 0), S_OK);
    assert_int_equal(IMAPITable_Restrict(view, &self, 0), MAPI_E_TOO_COMPLEX);
    assert_int_equal(IMAPITable_Restrict(view, chain, 0), MAPI_E_TOO_COMPLEX);
    assert_int_equal(IMAPITable_Restrict(view, &chain[depth - 200], 0), S_OK); /* within the limit */
    assert_int_equal(IMAPITable_Restrict(view, &not_unreadable, 0), MAPI_E_INVALID_PARAMETER);
    IMAPITable_Release(view);
    ITableData_Release(data);
    free(chain);
}

/* IPropData checks every value before storing any. */
static void test_propdata_values(void **state)
{
    SPropValue unreadable[2] = { { PR_STATUS_CODE, 0, { .l = 1 } }, { PR_ENTRYID, 0, { .bin = { 8, no_access } } } };
    SPropValue null_value = { PR_NULL, 0, { .l = 0 } };
    SPropTagArray no_tags = { 0, { 0 } };
    IPropData *data;
    SPropValue *got;
    ULONG count;

    assert_int_equal(CreateIProp(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, &data), S_OK);
    assert_int_equal(IPropData_SetProps(data, 2, unreadable, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_SetProps(data, 1, &null_value, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_SetProps(data, 1, no_access, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_GetProps(data, NULL, 0, &count, &got), S_OK);
    assert_int_equal(count, 0); /* nothing was stored */
    MAPIFreeBuffer(got);
    /* An empty tag array asks for nothing, NULL for everything: both answer S_OK. */
    assert_int_equal(IPropData_SetProps(data, 1, unreadable, NULL), S_OK);
    assert_int_equal(IPropData_GetProps(data, (SPropTagArray *)&no_tags, 0, &count, &got), S_OK);
    assert_int_equal(count, 0);
    MAPIFreeBuffer(got);
    assert_int_equal(IPropData_GetProps(data, NULL, 0, &count, &got), S_OK);
    assert_int_equal(count, 1);
    MAPIFreeBuffer(got);
    IPropData_Release(data);
}

/* ITableData checks rows and keys before reading them. */
static void test_tabledata_values(void **state)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ROWID, PR_ENTRYID } };
    SPropValue unreadable[2] = { { PR_ROWID, 0, { .l = 1 } }, { PR_ENTRYID, 0, { .bin = { 8, no_access } } } };
    SPropValue bad_key = { PR_ROWID | MV_INSTANCE, 0, { .l = 1 } };
    SRow row = { 0, 2, unreadable };
    SRowSet *rows = calloc(1, CbNewSRowSet(1));
    ITableData *data;
    SRow *found;

    rows->cRows = 1;
    rows->aRow[0] = row;
    assert_int_equal(CreateTable(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, TBLTYPE_DYNAMIC,
                                 PR_ROWID, (SPropTagArray *)&columns, &data),
                     S_OK);
    assert_int_equal(ITableData_HrModifyRow(data, &row), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ITableData_HrInsertRow(data, 0, &row), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ITableData_HrModifyRows(data, 0, rows), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ITableData_HrNotify(data, 0, 2, unreadable), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ITableData_HrDeleteRow(data, no_access), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ITableData_HrQueryRow(data, &bad_key, &found, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ITableData_HrEnumRow(data, 0, &found), S_OK);
    assert_null(found); /* nothing was added */
    ITableData_Release(data);
    free(rows);
}

/* ScInitMapiUtil's count is the caller's own: the allocator and MAPIGetDefaultMalloc work on it alone, and the last
 * MAPIUninitialize leaves it alone. */
static void test_util_init(void **state)
{
    IMalloc *malloc;
    void *buffer;

    MAPIUninitialize(); /* the setup's; nothing initialized now */
    assert_null(MAPIGetDefaultMalloc());
    assert_int_equal(MAPIAllocateBuffer(8, &buffer), MAPI_E_NOT_INITIALIZED);
    assert_int_equal(ScInitMapiUtil(0), S_OK);
    assert_non_null(malloc = MAPIGetDefaultMalloc());
    assert_int_equal(IMalloc_AddRef(malloc), 1);
    assert_int_equal(IMalloc_Release(malloc), 1);
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    MAPIUninitialize();
    assert_int_equal(MAPIAllocateBuffer(8, &buffer), S_OK); /* still the caller's ScInitMapiUtil */
    MAPIFreeBuffer(buffer);
    DeinitMapiUtil();
    assert_int_equal(MAPIAllocateBuffer(8, &buffer), MAPI_E_NOT_INITIALIZED);
    assert_int_equal(MAPIInitialize(NULL), S_OK); /* for the teardown */
}

/* The process heap's bytes in use. */
static SIZE_T heap_in_use(void)
{
    PROCESS_HEAP_ENTRY entry = { 0 };
    SIZE_T used = 0;

    HeapLock(GetProcessHeap());
    while (HeapWalk(GetProcessHeap(), &entry))
        if (entry.wFlags & PROCESS_HEAP_ENTRY_BUSY) used += entry.cbData;
    HeapUnlock(GetProcessHeap());
    return used;
}

static DWORD WINAPI make_chains(void *unused)
{
    void *root, *child;
    int i, j;

    for (i = 0; i < 64; i++) {
        if (MAPIAllocateBuffer(100, &root) != S_OK) return 1;
        for (j = 0; j < 16; j++)
            if (MAPIAllocateMore(40 + 30 * (j % 8), root, &child) != S_OK) return 1;
        MAPIFreeBuffer(root);
    }
    return 0;
}

/* Each thread keeps freed blocks for reuse in a cache on the heap (P3); a thread that ends gives its blocks to the
 * others and its cache back, so threads that come and go leave nothing behind. */
static void test_thread_caches_go(void **state)
{
    SIZE_T before, after;
    HANDLE thread;
    DWORD code;
    int i;

    assert_int_equal(make_chains(NULL), 0); /* this thread's own cache, made before measuring */
    before = heap_in_use();
    for (i = 0; i < 100; i++) {
        assert_non_null(thread = CreateThread(NULL, 0, make_chains, NULL, 0, NULL));
        WaitForSingleObject(thread, INFINITE);
        assert_true(GetExitCodeThread(thread, &code));
        assert_int_equal(code, 0);
        CloseHandle(thread);
    }
    after = heap_in_use();
    print_message("heap in use: %Iu bytes before 100 threads, %Iu after\n", before, after);
    /* A cache kept by each ended thread would be about 100 x 5 KB here. */
    assert_true(after < before + 128 * 1024);
}

/* Whether COM works on the calling thread: the call a client makes first after MAPIInitialize. */
static HRESULT com_works(void)
{
    IGlobalInterfaceTable *table;
    HRESULT hr = CoCreateInstance(&CLSID_StdGlobalInterfaceTable, NULL, CLSCTX_INPROC_SERVER,
                                  &IID_IGlobalInterfaceTable, (void **)&table);

    if (SUCCEEDED(hr)) IGlobalInterfaceTable_Release(table);
    return hr;
}

enum com_case { COM_PLAIN, COM_NO_COINIT, COM_ALREADY_MTA };

/* One MAPIInitialize-MAPIUninitialize pair on a thread of its own; 0 when COM was as MAPIINIT_0 asks. */
static DWORD WINAPI com_thread(void *parameter)
{
    enum com_case which = (enum com_case)(ULONG_PTR)parameter;
    MAPIINIT_0 no_coinit = { MAPI_INIT_VERSION, MAPI_NO_COINIT };
    DWORD wrong = 0;

    if (com_works() != CO_E_NOTINITIALIZED) return 1;
    if (which == COM_ALREADY_MTA && FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED))) return 2;
    if (MAPIInitialize(which == COM_NO_COINIT ? &no_coinit : NULL) != S_OK) return 3;
    if (which == COM_NO_COINIT ? com_works() != CO_E_NOTINITIALIZED : com_works() != S_OK) wrong = 4;
    MAPIUninitialize();
    /* Balanced: COM is back as the thread had it. */
    if (which == COM_ALREADY_MTA ? com_works() != S_OK : com_works() != CO_E_NOTINITIALIZED) wrong = 5;
    if (which == COM_ALREADY_MTA) CoUninitialize();
    return wrong;
}

/* MAPIInitialize initialises COM unless MAPI_NO_COINIT, MAPIUninitialize balances it, and a thread already in the
 * multithreaded apartment keeps it. */
static void test_com_initialised(void **state)
{
    enum com_case which;
    HANDLE thread;
    DWORD code;

    assert_int_equal(com_works(), S_OK); /* the setup's MAPIInitialize, on this thread */
    for (which = COM_PLAIN; which <= COM_ALREADY_MTA; which++) {
        assert_non_null(thread = CreateThread(NULL, 0, com_thread, (void *)(ULONG_PTR)which, 0, NULL));
        WaitForSingleObject(thread, INFINITE);
        assert_true(GetExitCodeThread(thread, &code));
        print_message("COM case %d: %lu\n", which, code);
        assert_int_equal(code, 0);
        CloseHandle(thread);
    }
}

/* SwapPlong, SwapPword, CbOfEncoded. */
static void test_small_exports(void **state)
{
    ULONG longs_in[2] = { 0x11223344, 0xA0B0C0D0 };
    USHORT words[2] = { 0x1122, 0xA0B0 };

    SwapPlong(longs_in, 2);
    assert_int_equal(longs_in[0], 0x44332211);
    assert_int_equal(longs_in[1], 0xD0C0B0A0);
    SwapPword(words, 2);
    assert_int_equal(words[0], 0x2211);
    assert_int_equal(words[1], 0xB0A0);
    SwapPlong(NULL, 3);
    assert_int_equal(CbOfEncoded(NULL), 0);
    assert_int_equal(CbOfEncoded(""), 3);
    assert_int_equal(CbOfEncoded("abcd"), 6);
    assert_int_equal(CbOfEncoded("abcdefgh"), 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prop_size),
        cmocka_unit_test(test_count_refusals),
        cmocka_unit_test(test_count_copy_reloc_agree),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_compare_mixed),
        cmocka_unit_test(test_sort_mixed),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_restriction_bounds),
        cmocka_unit_test(test_propdata_values),
        cmocka_unit_test(test_tabledata_values),
        cmocka_unit_test(test_util_init),
        cmocka_unit_test(test_small_exports),
        cmocka_unit_test(test_thread_caches_go),
        cmocka_unit_test(test_com_initialised),
    };

    return cmocka_run_group_tests(tests, setup_unreadable_page, teardown_unreadable_page);
}
