/*
 * The documented edge cases of mapihost's utility exports (docs/exports.md), one table per family, each row what a
 * function's Microsoft page says it answers (U62-U93): conversions and searches on text, FILETIME arithmetic, the
 * reference-count helpers, named-property comparison, storage codes, property comparison and the FBad validators.
 * test_util_edges holds the property-value sizes and copies, and the inputs that once crashed.
 */
#include "test_support.h"
#include "mapihost_util.h"
#include "mapihost_val.h"

/* UlFromSzHex and UFromSz stop at the first character that is not a digit; no digit at all is 0. */
static void test_numbers_from_text(void **state)
{
    static const struct {
        const char *text;
        ULONG hex;
        UINT decimal;
    } cases[] = {
        { "5a", 0x5a, 5 },
        { "5g5h", 5, 5 },
        { "55", 0x55, 55 },
        { "5a5b", 0x5a5b, 5 },
        { "", 0, 0 },
        { "g", 0, 0 },
        { " 12", 0, 0 },
        { "-1", 0, 0 },
        { "AbCdEf", 0xabcdef, 0 },
        { "ffffffff", 0xffffffff, 0 },
        { "0012x", 0x12, 12 },
        { "4294967295", 0x94967295, 4294967295u },
    };
    size_t i;

    for (i = 0; i < ARRAYSIZE(cases); i++) {
        print_message("\"%s\"\n", cases[i].text);
        assert_int_equal(UlFromSzHex(cases[i].text), cases[i].hex);
        assert_int_equal(UFromSz(cases[i].text), cases[i].decimal);
    }
}

/* SzFindCh, SzFindLastCh and SzFindSz: exact, case-sensitive; NULL when absent or given NULL. */
static void test_text_searches(void **state)
{
    static const struct {
        const char *text;
        USHORT ch;
        int first, last; /* offsets, -1 for NULL */
    } chars[] = {
        { "abcabc", 'b', 1, 4 }, { "abcabc", 'B', -1, -1 }, { "abcabc", 'z', -1, -1 },
        { "a", 'a', 0, 0 },      { "", 'a', -1, -1 },       { NULL, 'a', -1, -1 },
    };
    static const struct {
        const char *text, *key;
        int found;
    } keys[] = {
        { "abcabc", "ca", 2 }, { "abcabc", "abc", 0 }, { "abcabc", "CA", -1 }, { "ab", "abc", -1 },
        { NULL, "a", -1 },     { "abc", NULL, -1 },    { "xyz", "z", 2 },      { "aab", "ab", 1 },
    };
    size_t i;

    for (i = 0; i < ARRAYSIZE(chars); i++) {
        const char *text = chars[i].text;

        print_message("'%c' in \"%s\"\n", chars[i].ch, text ? text : "(null)");
        assert_ptr_equal(SzFindCh(text, chars[i].ch), chars[i].first < 0 ? NULL : text + chars[i].first);
        assert_ptr_equal(SzFindLastCh(text, chars[i].ch), chars[i].last < 0 ? NULL : text + chars[i].last);
    }
    for (i = 0; i < ARRAYSIZE(keys); i++) {
        const char *text = keys[i].text;

        print_message("\"%s\" in \"%s\"\n", keys[i].key ? keys[i].key : "(null)", text ? text : "(null)");
        assert_ptr_equal(SzFindSz(text, keys[i].key), keys[i].found < 0 ? NULL : text + keys[i].found);
    }
}

/* FBinFromHex takes upper and lower case and refuses anything else; HexFromBin writes 2 * cb digits and a NUL. */
static void test_hex(void **state)
{
    static const struct {
        const char *hex;
        BOOL ok;
        ULONG count;
        BYTE bytes[4];
        const char *back; /* HexFromBin of the bytes */
    } cases[] = {
        { "0aFF", TRUE, 2, { 0x0a, 0xff }, "0AFF" },
        { "00", TRUE, 1, { 0 }, "00" },
        { "", TRUE, 0, { 0 }, "" },
        { "DeadBeef", TRUE, 4, { 0xde, 0xad, 0xbe, 0xef }, "DEADBEEF" },
        { "0g", FALSE, 0, { 0 }, NULL },
        { "zz", FALSE, 0, { 0 }, NULL },
        { "12 4", FALSE, 0, { 0 }, NULL },
    };
    char text[16];
    BYTE bytes[8];
    size_t i;

    for (i = 0; i < ARRAYSIZE(cases); i++) {
        print_message("\"%s\"\n", cases[i].hex);
        memset(bytes, 0xcc, sizeof(bytes));
        assert_int_equal(FBinFromHex((char *)cases[i].hex, bytes), cases[i].ok);
        if (!cases[i].ok) continue;
        assert_memory_equal(bytes, cases[i].bytes, cases[i].count);
        assert_int_equal(bytes[cases[i].count], 0xcc); /* nothing written past the last pair */
        memset(text, 'x', sizeof(text));
        HexFromBin((BYTE *)cases[i].bytes, (int)cases[i].count, text);
        assert_string_equal(text, cases[i].back);
    }
}

static FILETIME ft(ULONGLONG value)
{
    FILETIME result = { (DWORD)value, (DWORD)(value >> 32) };
    return result;
}

static ULONGLONG u64(FILETIME value)
{
    return (ULONGLONG)value.dwHighDateTime << 32 | value.dwLowDateTime;
}

/* The FILETIME functions are unsigned 64-bit arithmetic modulo 2^64; FtAdcFt's carry is 0 or 1. */
static void test_filetime_arithmetic(void **state)
{
    static const struct {
        ULONGLONG a, b;
        WORD carry_in;
        ULONGLONG sum, difference, adc;
        WORD carry_out;
    } cases[] = {
        { 1, 2, 0, 3, 0xffffffffffffffffull, 3, 0 },
        { 0xffffffffffffffffull, 1, 0, 0, 0xfffffffffffffffeull, 0, 1 },
        { 0xffffffffffffffffull, 0, 1, 0xffffffffffffffffull, 0xffffffffffffffffull, 0, 1 },
        { 0x00000000ffffffffull, 1, 1, 0x100000000ull, 0xfffffffeull, 0x100000001ull, 0 },
        { 0x8000000000000000ull, 0x8000000000000000ull, 0, 0, 0, 0, 1 },
    };
    static const struct {
        DWORD multiplier;
        ULONGLONG multiplicand, product;
    } products[] = {
        { 3, 5, 15 },
        { 0, 0xffffffffffffffffull, 0 },
        { 2, 0x8000000000000001ull, 2 },
        { 0xffffffff, 0xffffffff, 0xfffffffe00000001ull },
    };
    size_t i;
    WORD carry;

    for (i = 0; i < ARRAYSIZE(cases); i++) {
        print_message("%#I64x, %#I64x, carry %u\n", cases[i].a, cases[i].b, cases[i].carry_in);
        assert_true(u64(FtAddFt(ft(cases[i].a), ft(cases[i].b))) == cases[i].sum);
        assert_true(u64(FtSubFt(ft(cases[i].a), ft(cases[i].b))) == cases[i].difference);
        carry = cases[i].carry_in;
        assert_true(u64(FtAdcFt(ft(cases[i].a), ft(cases[i].b), &carry)) == cases[i].adc);
        assert_int_equal(carry, cases[i].carry_out);
        assert_true(u64(FtAdcFt(ft(cases[i].a), ft(cases[i].b), NULL)) == cases[i].sum); /* as FtAddFt */
        assert_true(u64(FtNegFt(ft(cases[i].a))) == (ULONGLONG)-cases[i].a);
    }
    for (i = 0; i < ARRAYSIZE(products); i++) {
        assert_true(u64(FtMulDw(products[i].multiplier, ft(products[i].multiplicand))) == products[i].product);
        if (products[i].multiplicand <= 0xffffffff)
            assert_true(u64(FtMulDwDw(products[i].multiplier, (DWORD)products[i].multiplicand)) == products[i].product);
    }
}

/* UlRelease of NULL returns at once; both answer what the object's method answered. */
static void test_reference_helpers(void **state)
{
    IMalloc *malloc = MAPIGetDefaultMalloc();
    LPPROPDATA data;

    assert_int_equal(UlRelease(NULL), 0);
    assert_int_equal(CreateIProp(&IID_IPropData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, &data),
                     S_OK);
    assert_int_equal(UlAddRef(data), 2);
    assert_int_equal(UlRelease(data), 1);
    assert_int_equal(UlRelease(data), 0);
    /* The task allocator's counts are fixed (MAPIGetDefaultMalloc's page). */
    assert_int_equal(UlAddRef(malloc), 1);
    assert_int_equal(UlRelease(malloc), 1);
}

/* FEqualNames: the same GUID and the same kind of name, compared case-sensitively. */
static void test_equal_names(void **state)
{
    static GUID one = { 1, 2, 3, { 4 } }, two = { 1, 2, 3, { 5 } };
    static WCHAR abc[] = L"Abc", abc_lower[] = L"abc", abc_copy[] = L"Abc";
    static const struct {
        MAPINAMEID a, b;
        BOOL equal;
    } cases[] = {
        { { &one, MNID_ID, { .lID = 7 } }, { &one, MNID_ID, { .lID = 7 } }, TRUE },
        { { &one, MNID_ID, { .lID = 7 } }, { &one, MNID_ID, { .lID = 8 } }, FALSE },
        { { &one, MNID_ID, { .lID = 7 } }, { &two, MNID_ID, { .lID = 7 } }, FALSE },
        { { &one, MNID_STRING, { .lpwstrName = abc } }, { &one, MNID_STRING, { .lpwstrName = abc_copy } }, TRUE },
        { { &one, MNID_STRING, { .lpwstrName = abc } }, { &one, MNID_STRING, { .lpwstrName = abc_lower } }, FALSE },
        { { &one, MNID_STRING, { .lpwstrName = abc } }, { &one, MNID_ID, { .lID = 7 } }, FALSE },
    };
    size_t i;

    for (i = 0; i < ARRAYSIZE(cases); i++) {
        print_message("case %u\n", (unsigned)i);
        assert_int_equal(FEqualNames((MAPINAMEID *)&cases[i].a, (MAPINAMEID *)&cases[i].b), cases[i].equal);
        assert_int_equal(FEqualNames((MAPINAMEID *)&cases[i].b, (MAPINAMEID *)&cases[i].a), cases[i].equal);
    }
}

/* MapStorageSCode: the storage codes MAPI has a twin for, and MAPI_E_CALL_FAILED for any other. */
static void test_storage_codes(void **state)
{
    static const struct {
        SCODE storage, mapi;
    } cases[] = {
        { S_OK, S_OK },
        { STG_E_ACCESSDENIED, MAPI_E_NO_ACCESS },
        { STG_E_FILENOTFOUND, MAPI_E_NOT_FOUND },
        { STG_E_INSUFFICIENTMEMORY, MAPI_E_NOT_ENOUGH_MEMORY },
        { STG_E_INVALIDPARAMETER, MAPI_E_INVALID_PARAMETER },
        { STG_E_MEDIUMFULL, MAPI_E_NOT_ENOUGH_DISK },
        { E_UNEXPECTED, MAPI_E_CALL_FAILED },
    };
    size_t i;

    for (i = 0; i < ARRAYSIZE(cases); i++) assert_int_equal(MapStorageSCode(cases[i].storage), cases[i].mapi);
}

/* FPropCompareProp's relational operators and LPropCompareProp's order, over values of each kind of type. */
static void test_compare(void **state)
{
    static BYTE short_bytes[] = { 1, 2 }, long_bytes[] = { 1, 2, 0 };
    static const struct {
        SPropValue a, b;
        int order; /* the sign LPropCompareProp answers */
    } pairs[] = {
        { { PR_IMPORTANCE, 0, { .l = 1 } }, { PR_IMPORTANCE, 0, { .l = 2 } }, -1 },
        { { PR_IMPORTANCE, 0, { .l = 2 } }, { PR_IMPORTANCE, 0, { .l = 2 } }, 0 },
        { { PR_IMPORTANCE, 0, { .l = -5 } }, { PR_IMPORTANCE, 0, { .l = 2 } }, -1 },
        { { PR_SUBJECT_A, 0, { .lpszA = "b" } }, { PR_SUBJECT_A, 0, { .lpszA = "a" } }, 1 },
        { { PR_SUBJECT_A, 0, { .lpszA = "ab" } }, { PR_SUBJECT_A, 0, { .lpszA = "ab" } }, 0 },
        { { PR_SUBJECT_W, 0, { .lpszW = L"a" } }, { PR_SUBJECT_W, 0, { .lpszW = L"ab" } }, -1 },
        { { PR_ENTRYID, 0, { .bin = { 2, short_bytes } } }, { PR_ENTRYID, 0, { .bin = { 3, long_bytes } } }, -1 },
        { { PROP_TAG(PT_BOOLEAN, 0x0029), 0, { .b = FALSE } }, { PROP_TAG(PT_BOOLEAN, 0x0029), 0, { .b = TRUE } }, -1 },
        { { PR_MESSAGE_DELIVERY_TIME, 0, { .ft = { 5, 1 } } }, { PR_MESSAGE_DELIVERY_TIME, 0, { .ft = { 6, 0 } } }, 1 },
    };
    static const ULONG relops[] = { RELOP_LT, RELOP_LE, RELOP_GT, RELOP_GE, RELOP_EQ, RELOP_NE };
    size_t i, r;

    for (i = 0; i < ARRAYSIZE(pairs); i++) {
        LONG order = LPropCompareProp((SPropValue *)&pairs[i].a, (SPropValue *)&pairs[i].b);
        int sign = order < 0 ? -1 : order > 0;

        print_message("pair %u: %ld\n", (unsigned)i, order);
        assert_int_equal(sign, pairs[i].order);
        for (r = 0; r < ARRAYSIZE(relops); r++) {
            BOOL expected = relops[r] == RELOP_LT   ? sign < 0
                            : relops[r] == RELOP_LE ? sign <= 0
                            : relops[r] == RELOP_GT ? sign > 0
                            : relops[r] == RELOP_GE ? sign >= 0
                            : relops[r] == RELOP_EQ ? sign == 0
                                                    : sign != 0;
            assert_int_equal(FPropCompareProp((SPropValue *)&pairs[i].a, relops[r], (SPropValue *)&pairs[i].b),
                             expected);
        }
        assert_false(FPropCompareProp((SPropValue *)&pairs[i].a, 77, (SPropValue *)&pairs[i].b));
    }
}

/* FBadPropTag: a type MAPI defines, without the multi-value-instance bit. */
static void test_bad_prop_tags(void **state)
{
    static const struct {
        ULONG tag;
        BOOL bad;
    } cases[] = {
        { PR_SUBJECT_A, FALSE },
        { PR_SUBJECT_W, FALSE },
        { PROP_TAG(PT_MV_LONG, 0x8000), FALSE },
        { PROP_TAG(PT_BINARY, 0x3001), FALSE },
        { PROP_TAG(PT_MV_BINARY | MV_INSTANCE, 0x3001), TRUE },
        { PROP_TAG(0x0099, 0x3001), TRUE },
        { PROP_TAG(PT_SYSTIME, 0x0e06), FALSE },
        { PROP_TAG(PT_OBJECT, 0x3701), FALSE },
        { PROP_TAG(PT_CLSID, 0x0001), FALSE },
    };
    size_t i;

    for (i = 0; i < ARRAYSIZE(cases); i++) {
        print_message("%#lx\n", cases[i].tag);
        assert_int_equal(!!FBadPropTag(cases[i].tag), cases[i].bad);
    }
}

/* The structure validators: NULL, unreadable memory, a count past the data, and good ones. */
static void test_bad_structures(void **state)
{
    SPropValue good = { PR_IMPORTANCE, 0, { .l = 1 } }, bad_type = { PROP_TAG(0x0099, 0x3001), 0, { .l = 0 } };
    SRow rows[2] = { { 0, 1, &good }, { 0, 1, &bad_type } };
    SRowSet *one_row;
    SBinary ids[2] = { { 2, (BYTE *)"ab" }, { 5, NULL } };
    ENTRYLIST good_list = { 1, ids }, bad_list = { 2, ids }, empty_list = { 0, NULL };
    SizedSSortOrderSet(2, sorts) = { 2, 0, 0, { { PR_SUBJECT_A, TABLE_SORT_ASCEND }, { PR_IMPORTANCE, 7 } } };
    SizedSSortOrderSet(1, good_sort) = { 1, 0, 0, { { PR_SUBJECT_A, TABLE_SORT_DESCEND } } };
    SizedSSortOrderSet(1, too_many_categories) = { 1, 2, 0, { { PR_SUBJECT_A, TABLE_SORT_ASCEND } } };
    SizedSPropTagArray(2, columns) = { 2, { PR_SUBJECT_A, PR_IMPORTANCE } };
    WCHAR *wide[2] = { L"a", NULL }, *wide_bad[2] = { L"a", no_access };
    char *narrow[2] = { "a", NULL };
    MAPINAMEID id = { (GUID *)&IID_IUnknown, MNID_ID, { .lID = 1 } },
               name = { (GUID *)&IID_IUnknown, MNID_STRING, { .lpwstrName = L"x" } };
    MAPINAMEID unreadable_guid = { no_access, MNID_ID, { .lID = 1 } },
               unreadable_name = { (GUID *)&IID_IUnknown, MNID_STRING, { .lpwstrName = no_access } };
    MAPINAMEID *good_names[2] = { &id, &name }, *bad_names[2] = { &unreadable_guid, &unreadable_name };

    assert_true(FBadRow(NULL));
    assert_true(FBadRow(no_access));
    assert_false(FBadRow(&rows[0]));
    assert_true(FBadRow(&rows[1]));

    assert_int_equal(MAPIAllocateBuffer(CbNewSRowSet(1), (void **)&one_row), S_OK);
    one_row->cRows = 1;
    one_row->aRow[0] = rows[0];
    assert_false(FBadRowSet(one_row));
    one_row->aRow[0] = rows[1];
    assert_true(FBadRowSet(one_row));
    MAPIFreeBuffer(one_row);
    assert_true(FBadRowSet(NULL));
    assert_true(FBadRowSet(no_access));
    rows[1].lpProps = no_access;
    assert_true(FBadRow(&rows[1]));

    assert_false(FBadEntryList(&good_list));
    assert_false(FBadEntryList(&empty_list));
    assert_true(FBadEntryList(&bad_list)); /* five bytes at NULL */
    assert_true(FBadEntryList(NULL));
    assert_true(FBadEntryList(no_access));

    assert_false(FBadSortOrderSet((SSortOrderSet *)&good_sort));
    assert_true(FBadSortOrderSet((SSortOrderSet *)&sorts));               /* order 7 */
    assert_true(FBadSortOrderSet((SSortOrderSet *)&too_many_categories)); /* more categories than sorts */
    assert_true(FBadSortOrderSet(NULL));
    assert_true(FBadSortOrderSet(no_access));

    assert_false(FBadColumnSet((SPropTagArray *)&columns));
    columns.aulPropTag[1] = PROP_TAG(0x0099, 1);
    assert_true(FBadColumnSet((SPropTagArray *)&columns));
    assert_true(FBadColumnSet(NULL));
    assert_true(FBadColumnSet(no_access));

    assert_false(FBadRglpszW(wide, 1));
    assert_true(FBadRglpszW(wide, 2)); /* a NULL string */
    assert_true(FBadRglpszW(wide_bad, 2));
    assert_false(FBadRglpszA(narrow, 1));
    assert_true(FBadRglpszA(narrow, 2));
    assert_true(FBadRglpszA(no_access, 1));
    assert_false(FBadRglpszA(NULL, 0));

    assert_false(FBadRglpNameID(good_names, 2));
    assert_true(FBadRglpNameID(bad_names, 1));     /* an unreadable GUID */
    assert_true(FBadRglpNameID(bad_names + 1, 1)); /* an unreadable name */
    assert_true(FBadRglpNameID(no_access, 1));
}

/* What the allocators and the row helpers answer at their limits. */
static void test_allocation_limits(void **state)
{
    SPropValue *value = (SPropValue *)1;
    void *buffer;

    assert_int_equal(MAPIAllocateBuffer(0, &buffer), S_OK); /* a zero-byte block is still a block */
    assert_non_null(buffer);
    assert_int_equal(MAPIAllocateMore(0, buffer, &buffer), S_OK);
    assert_int_equal(MAPIFreeBuffer(NULL), 0);
    FreeProws(NULL);
    FreePadrlist(NULL);
    assert_int_equal(HrGetOneProp(NULL, PR_SUBJECT_A, &value), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(HrSetOneProp(NULL, value), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(HrQueryAllRows(NULL, NULL, NULL, NULL, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_null(PpropFindProp(NULL, 3, PR_SUBJECT_A));
    assert_null(LpValFindProp(PR_SUBJECT_A, 3, NULL));
}

/* Notifications, entry IDs as text, PropCopyMore and conversation indexes at their documented edges. */
static void test_copies_and_encodings(void **state)
{
    NOTIFICATION good = { fnevTableModified, 0, { .tab = { TABLE_RELOAD } } },
                 bad = { 0x40000000, 0, { .ext = { 0 } } };
    SPropValue unknown = { PROP_TAG(0x0099, 0x3001), 0, { .l = 0 } }, copy;
    BYTE entry[3] = { 0x00, 0x7f, 0xff }, *index, *child;
    ULONG size = 77, index_size, child_size;
    ENTRYID *back;
    char *text;

    assert_int_equal(ScCountNotifications(0, NULL, &size), S_OK);
    assert_int_equal(size, 0);
    assert_int_equal(ScCountNotifications(1, &good, NULL), S_OK); /* validation alone */
    assert_int_equal(ScCountNotifications(1, &good, &size), S_OK);
    assert_true(size >= sizeof(NOTIFICATION));
    size = 77;
    assert_int_equal(ScCountNotifications(1, &bad, &size), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(size, 77);

    assert_int_equal(HrSzFromEntryID(sizeof(entry), (ENTRYID *)entry, &text), S_OK);
    assert_int_equal(HrEntryIDFromSz(text, &size, &back), S_OK);
    assert_int_equal(size, sizeof(entry));
    assert_memory_equal(back, entry, sizeof(entry));
    MAPIFreeBuffer(back);
    MAPIFreeBuffer(text);
    assert_int_equal(HrEntryIDFromSz("not an entry ID!", &size, &back), MAPI_E_INVALID_ENTRYID);

    assert_int_equal(PropCopyMore(&copy, &unknown, MAPIAllocateMore, &copy), MAPI_E_NO_SUPPORT);

    /* A new conversation's index is 22 bytes; a reply's adds 5 to its parent's. */
    assert_int_equal(ScCreateConversationIndex(0, NULL, &index_size, &index), S_OK);
    assert_int_equal(index_size, 22);
    assert_int_equal(ScCreateConversationIndex(index_size, index, &child_size, &child), S_OK);
    assert_int_equal(child_size, 27);
    assert_memory_equal(child, index, 22);
    MAPIFreeBuffer(child);
    MAPIFreeBuffer(index);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_from_text),
        cmocka_unit_test(test_text_searches),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_filetime_arithmetic),
        cmocka_unit_test(test_reference_helpers),
        cmocka_unit_test(test_equal_names),
        cmocka_unit_test(test_storage_codes),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_bad_prop_tags),
        cmocka_unit_test(test_bad_structures),
        cmocka_unit_test(test_allocation_limits),
        cmocka_unit_test(test_copies_and_encodings),
    };

    return cmocka_run_group_tests(tests, setup_unreadable_page, teardown_unreadable_page);
}
