/*
 * Parameter validation as providers call it (spec U9, [validateparms.md]): ValidateParms over mapival.h's methods,
 * the four ways in agreeing, and bad arguments of each kind failing with MAPI_E_CALL_FAILED instead of being read
 * through. Memory that cannot be read or written comes from VirtualAlloc, so a check that only tests for NULL fails.
 */
#include "test_support.h"
#include "mapihost_util.h"
#include "mapihost_val.h"

static struct test_sink object = TEST_SINK_INIT;
#define OBJ (&object.IMAPIAdviseSink_iface)

static void *read_only;

static int make_pages(void **state)
{
    no_access = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_NOACCESS);
    read_only = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READONLY);
    return !no_access || !read_only;
}

static int free_pages(void **state)
{
    VirtualFree(no_access, 0, MEM_RELEASE);
    VirtualFree(read_only, 0, MEM_RELEASE);
    return 0;
}

/* What a provider's IMAPIProp::GetProps and IMAPITable::SortTable begin with. */
static HRESULT provider_get_props(void *this, SPropTagArray *tags, ULONG flags, ULONG *count, SPropValue **values)
{
    ValidateParms((IMAPIProp_GetProps, this, tags, flags, count, values));
    return S_OK;
}

static HRESULT provider_sort_table(void *this, SSortOrderSet *sort, ULONG flags)
{
    ValidateParms((IMAPITable_SortTable, this, sort, flags));
    return S_OK;
}

static ULONG provider_release(void *this)
{
    UlValidateParms((IUnknown_Release, this));
    return 1;
}

static void test_validate_parms_macro(void **state)
{
    SizedSPropTagArray(2, tags) = { 2, { PR_DISPLAY_NAME_A, PR_ENTRYID } };
    SizedSSortOrderSet(
        2, sort) = { 2, 0, 0, { { PR_DISPLAY_NAME_A, TABLE_SORT_DESCEND }, { PR_ENTRYID, TABLE_SORT_ASCEND } } };
    SizedSSortOrderSet(1, categories) = { 1, 2, 0, { { PR_DISPLAY_NAME_A, TABLE_SORT_ASCEND } } };
    SPropValue *values;
    ULONG count;

    assert_int_equal(provider_get_props(OBJ, (SPropTagArray *)&tags, 0, &count, &values), S_OK);
    assert_int_equal(provider_get_props(OBJ, NULL, 0, &count, &values), S_OK);
    assert_int_equal(provider_get_props(OBJ, (SPropTagArray *)&tags, 0, NULL, &values), MAPI_E_CALL_FAILED);
    assert_int_equal(provider_get_props(OBJ, (SPropTagArray *)&tags, 0, read_only, &values), MAPI_E_CALL_FAILED);
    assert_int_equal(provider_get_props(OBJ, no_access, 0, &count, &values), MAPI_E_CALL_FAILED);
    assert_int_equal(provider_get_props(NULL, NULL, 0, &count, &values), MAPI_E_CALL_FAILED);
    assert_int_equal(provider_get_props(no_access, NULL, 0, &count, &values), MAPI_E_CALL_FAILED);

    assert_int_equal(provider_sort_table(OBJ, (SSortOrderSet *)&sort, 0), S_OK);
    assert_int_equal(provider_sort_table(OBJ, (SSortOrderSet *)&categories, 0), MAPI_E_CALL_FAILED);
    assert_int_equal(provider_sort_table(OBJ, NULL, 0), MAPI_E_CALL_FAILED);

    assert_int_equal(provider_release(OBJ), 1);
    assert_int_equal(provider_release(NULL), (ULONG)MAPI_E_CALL_FAILED);
}

/* Each argument kind, good and bad. */
static void test_argument_kinds(void **state)
{
    static const BYTE entry_bytes[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    SPropValue good[2] = { { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"Ann" } },
                           { PR_ENTRYID, 0, { .bin = { 8, (BYTE *)entry_bytes } } } };
    SPropValue unreadable = { PR_ENTRYID, 0, { .bin = { 8, no_access } } };
    SPropValue null_id = { PROP_TAG(PT_LONG, 0), 0, { .l = 1 } };
    SRestriction exist = { RES_EXIST, { .resExist = { 0, PR_DISPLAY_NAME_A, 0 } } };
    SRestriction bad_and = { RES_AND, { .resAnd = { 2, NULL } } };
    SBinary bins[1] = { { 8, (BYTE *)entry_bytes } }, bad_bins[1] = { { 8, no_access } };
    SBinaryArray list = { 1, bins }, bad_list = { 1, bad_bins };
    ADRLIST adrlist = { 1, { { 0, 1, good } } };
    ADRLIST bad_adrlist = { 1, { { 0, 1, &unreadable } } };
    SizedSPropTagArray(1, flags) = { 1, { MAPI_UNRESOLVED } };
    ULONG ulong, connection_flags = 0;
    ULONG_PTR connection;
    IMAPITable *table;
    char buffer[16];

    assert_int_equal(HrValidateParametersV(IMAPIProp_SetProps, OBJ, 2, good, NULL), S_OK);
    assert_int_equal(HrValidateParametersV(IMAPIProp_SetProps, OBJ, 1, &unreadable, NULL), MAPI_E_CALL_FAILED);
    /* FBadProp's rule: PROP_ID_NULL with a valid type is a valid value (U9). */
    assert_int_equal(HrValidateParametersV(IMAPIProp_SetProps, OBJ, 1, &null_id, NULL), S_OK);
    assert_int_equal(HrValidateParametersV(IMAPIProp_SetProps, OBJ, 3, no_access, NULL), MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParametersV(IMAPIProp_SetProps, OBJ, 0, NULL, NULL), S_OK);

    assert_int_equal(HrValidateParametersV(IMAPITable_FindRow, OBJ, &exist, BOOKMARK_BEGINNING, 0), S_OK);
    assert_int_equal(HrValidateParametersV(IMAPITable_FindRow, OBJ, NULL, BOOKMARK_BEGINNING, 0), MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParametersV(IMAPITable_FindRow, OBJ, &bad_and, BOOKMARK_BEGINNING, 0),
                     MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParametersV(IMAPITable_Restrict, OBJ, NULL, 0), S_OK);
    assert_int_equal(HrValidateParametersV(IMAPITable_SeekRowApprox, OBJ, 1, 2), S_OK);
    assert_int_equal(HrValidateParametersV(IMAPITable_SeekRowApprox, OBJ, 1, 0), MAPI_E_CALL_FAILED);

    /* Entry identifiers: any pointer for a count of 0 (the root), a readable one otherwise. */
    assert_int_equal(HrValidateParametersV(IMAPIContainer_OpenEntry, OBJ, 0, NULL, NULL, 0, &ulong, &table), S_OK);
    assert_int_equal(
        HrValidateParametersV(IMAPIContainer_OpenEntry, OBJ, 8, entry_bytes, &IID_IMAPITable, 0, &ulong, &table), S_OK);
    assert_int_equal(HrValidateParametersV(IMAPIContainer_OpenEntry, OBJ, 8, NULL, NULL, 0, &ulong, &table),
                     MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParametersV(IMAPIContainer_OpenEntry, OBJ, 8, entry_bytes, no_access, 0, &ulong, &table),
                     MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParametersV(IMsgStore_CompareEntryIDs, OBJ, 8, entry_bytes, 9, no_access, 0, &ulong),
                     MAPI_E_CALL_FAILED);

    assert_int_equal(HrValidateParametersV(IABContainer_DeleteEntries, OBJ, &list, 0), S_OK);
    assert_int_equal(HrValidateParametersV(IABContainer_DeleteEntries, OBJ, &bad_list, 0), MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParametersV(IABContainer_ResolveNames, OBJ, NULL, 0, &adrlist, &flags), S_OK);
    assert_int_equal(HrValidateParametersV(IABContainer_ResolveNames, OBJ, NULL, 0, &bad_adrlist, &flags),
                     MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParametersV(IABContainer_ResolveNames, OBJ, NULL, 0, &adrlist, read_only),
                     MAPI_E_CALL_FAILED);

    /* Objects: a sink must be one; in/out flags must be writable. */
    assert_int_equal(HrValidateParametersV(IMAPITable_Advise, OBJ, fnevTableModified, OBJ, &connection), S_OK);
    assert_int_equal(HrValidateParametersV(IMAPITable_Advise, OBJ, fnevTableModified, &ulong, &connection),
                     MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParametersV(IMsgStore_StoreLogoff, OBJ, &connection_flags), S_OK);
    assert_int_equal(HrValidateParametersV(IMsgStore_StoreLogoff, OBJ, read_only), MAPI_E_CALL_FAILED);
    assert_int_equal(
        HrValidateParametersV(IMAPIFolder_CreateFolder, OBJ, FOLDER_GENERIC, "Inbox", NULL, NULL, 0, &table), S_OK);
    assert_int_equal(
        HrValidateParametersV(IMAPIFolder_CreateFolder, OBJ, FOLDER_GENERIC, no_access, NULL, NULL, 0, &table),
        MAPI_E_CALL_FAILED);

    /* Buffers: the whole length, in the right direction. */
    assert_int_equal(HrValidateParametersV(IStream_Read, OBJ, buffer, sizeof(buffer), NULL), S_OK);
    assert_int_equal(HrValidateParametersV(IStream_Read, OBJ, read_only, 16, NULL), MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParametersV(IStream_Write, OBJ, read_only, 16, &ulong), S_OK);
    assert_int_equal(HrValidateParametersV(IStream_Write, OBJ, (char *)read_only + 4000, 200, &ulong),
                     MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParametersV(IMAPIAdviseSink_OnNotify, OBJ, 0, NULL), S_OK);
    assert_int_equal(HrValidateParametersV(IMAPIAdviseSink_OnNotify, OBJ, 1, no_access), MAPI_E_CALL_FAILED);
}

/* __ValidateParameters (this, then the arguments), __CPPValidateParameters and HrValidateParameters (the arguments
 * after this) see one slot per argument and answer as ValidateParms does; a method beyond the table is let through. */
static void test_four_ways_in(void **state)
{
    SizedSPropTagArray(1, tags) = { 1, { PR_DISPLAY_NAME_A } };
    SPropValue *values;
    ULONG count;
    ULONG_PTR good[5] = { (ULONG_PTR)OBJ, (ULONG_PTR)&tags, 0, (ULONG_PTR)&count, (ULONG_PTR)&values };
    ULONG_PTR bad[5] = { (ULONG_PTR)OBJ, (ULONG_PTR)&tags, 0, (ULONG_PTR)read_only, (ULONG_PTR)&values };
    ULONG_PTR no_this[5] = { 0, (ULONG_PTR)&tags, 0, (ULONG_PTR)&count, (ULONG_PTR)&values };

    assert_int_equal(__ValidateParameters(IMAPIProp_GetProps, good), S_OK);
    assert_int_equal(__ValidateParameters(IMAPIProp_GetProps, bad), MAPI_E_CALL_FAILED);
    assert_int_equal(__ValidateParameters(IMAPIProp_GetProps, no_this), MAPI_E_CALL_FAILED);
    assert_int_equal(__CPPValidateParameters(IMAPIProp_GetProps, good + 1), S_OK);
    assert_int_equal(__CPPValidateParameters(IMAPIProp_GetProps, bad + 1), MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParameters(IMAPIProp_GetProps, (void **)(good + 1)), S_OK);
    assert_int_equal(HrValidateParameters(IMAPIProp_GetProps, (void **)(bad + 1)), MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParameters(IMAPIProp_GetProps, NULL), MAPI_E_CALL_FAILED);
    assert_int_equal(HrValidateParameters(IUnknown_AddRef, NULL), S_OK);
    assert_int_equal(HrValidateParameters(IMAPIAdviseSink_OnNotify + 1, NULL), S_OK);
    assert_int_equal(HrValidateParametersV(IMAPIAdviseSink_OnNotify + 1, NULL), S_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        mapi_test(test_validate_parms_macro),
        mapi_test(test_argument_kinds),
        mapi_test(test_four_ways_in),
    };
    return cmocka_run_group_tests(tests, make_pages, free_pages);
}
