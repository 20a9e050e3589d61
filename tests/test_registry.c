/* The MAPIUID registry (H9, H13) and the status rows (H14, H29, E3), with the property copies under them. */
#include "test_support.h"
#include "mapihost_private.h"
#include "propval.h"
#include "statusrow.h"
#include "uidreg.h"

static const MAPIUID uid_a = { { 0xa1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 } };
static const MAPIUID uid_b = { { 0xb2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 } };
static int logon1, logon2; /* owners: any distinct addresses */

static void test_first_registrant_wins(void **state)
{
    struct uid_registry registry;

    uidreg_init(&registry);
    assert_int_equal(uidreg_add(&registry, &uid_a, &logon1), S_OK);
    assert_int_equal(uidreg_add(&registry, &uid_a, &logon2), S_OK); /* duplicates are kept */
    assert_int_equal(uidreg_add(&registry, &uid_a, &logon1), S_OK);
    assert_int_equal(uidreg_add(&registry, &uid_b, &logon2), S_OK);
    assert_ptr_equal(uidreg_lookup(&registry, &uid_a), &logon1);
    assert_ptr_equal(uidreg_lookup(&registry, &uid_b), &logon2);
    assert_int_equal(uidreg_count_owner(&registry, &logon1), 2);

    assert_int_equal(uidreg_remove_owner(&registry, &logon1), 2);
    assert_ptr_equal(uidreg_lookup(&registry, &uid_a), &logon2); /* the next registrant takes over */
    assert_int_equal(uidreg_remove_owner(&registry, &logon2), 2);
    assert_null(uidreg_lookup(&registry, &uid_a));
    assert_null(uidreg_lookup(&registry, &uid_b));
    uidreg_clear(&registry);
}

static void test_route_entry_id(void **state)
{
    struct uid_registry registry;
    BYTE buffer[4 + 16 + 8] = { 0 };
    ENTRYID *entry_id = (ENTRYID *)buffer;

    uidreg_init(&registry);
    uidreg_add(&registry, &uid_b, &logon1);
    memcpy(entry_id->ab, &uid_b, sizeof(uid_b));
    assert_ptr_equal(uidreg_route(&registry, sizeof(buffer), entry_id), &logon1);
    assert_null(uidreg_route(&registry, 19, entry_id)); /* too short to hold flags and a MAPIUID */
    assert_null(uidreg_route(&registry, sizeof(buffer), NULL));
    entry_id->ab[0] ^= 0xff;
    assert_null(uidreg_route(&registry, sizeof(buffer), entry_id));
    uidreg_clear(&registry);
}

static const SPropValue *find(const struct status_rows *rows, ULONG index, ULONG tag)
{
    const struct list *cursor = rows->rows.next;

    while (index--) cursor = cursor->next;
    return props_find(LIST_ENTRY(cursor, struct status_row, entry)->count,
                      LIST_ENTRY(cursor, struct status_row, entry)->props, tag);
}

static void test_status_rows(void **state)
{
    ULONG live = mapihost_live_buffers();
    struct status_rows rows;
    char name[] = "Sample transport";
    SPropValue row[2], update[2];

    statusrows_init(&rows);
    row[0].ulPropTag = PR_DISPLAY_NAME_A;
    row[0].Value.lpszA = name;
    row[1].ulPropTag = PR_STATUS_CODE;
    row[1].Value.l = STATUS_AVAILABLE;
    assert_int_equal(statusrows_modify(&rows, &logon1, 2, row, 0), S_OK);
    name[0] = 'X'; /* the provider's own copy may change or go: the row keeps its own */
    assert_string_equal(find(&rows, 0, PR_DISPLAY_NAME_A)->Value.lpszA, "Sample transport");

    /* STATUSROW_UPDATE merges into the latest row, matching _A and _W tags alike (F5). */
    update[0].ulPropTag = PR_DISPLAY_NAME_W;
    update[0].Value.lpszW = (WCHAR *)L"Renamed";
    update[1].ulPropTag = PR_STATUS_STRING_A;
    update[1].Value.lpszA = (char *)"ready";
    assert_int_equal(statusrows_modify(&rows, &logon1, 2, update, STATUSROW_UPDATE), S_OK);
    assert_int_equal(statusrows_count_owner(&rows, &logon1), 1);
    assert_int_equal(lstrcmpW(find(&rows, 0, PR_DISPLAY_NAME_A)->Value.lpszW, L"Renamed"), 0);
    assert_int_equal(find(&rows, 0, PR_STATUS_CODE)->Value.l, STATUS_AVAILABLE);
    assert_string_equal(find(&rows, 0, PR_STATUS_STRING_A)->Value.lpszA, "ready");

    assert_int_equal(statusrows_modify(&rows, &logon2, 1, row, 0), S_OK);
    assert_int_equal(statusrows_modify(&rows, &logon1, 1, row, 0x1), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(statusrows_modify(&rows, &logon1, 0, row, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(statusrows_remove_owner(&rows, &logon1), 1);
    assert_int_equal(statusrows_count_owner(&rows, &logon1), 0);
    assert_int_equal(statusrows_count_owner(&rows, &logon2), 1);
    statusrows_clear(&rows);
    assert_int_equal(mapihost_live_buffers(), live); /* every row's chain was freed */
}

static void test_prop_copy_types(void **state)
{
    static BYTE bytes[] = { 1, 2, 3 };
    SPropValue in[3], *out;

    in[0].ulPropTag = PROP_TAG(PT_BINARY, 0x6600);
    in[0].Value.bin.cb = sizeof(bytes);
    in[0].Value.bin.lpb = bytes;
    in[1].ulPropTag = PROP_TAG(PT_I8, 0x6601);
    in[1].Value.li.QuadPart = 0x123456789abcdefLL;
    in[2].ulPropTag = PROP_TAG(0x0FFF, 0x6602); /* no such type */
    assert_int_equal(props_copy(2, in, &out), S_OK);
    assert_true(prop_equal(&in[0], &out[0]));
    assert_ptr_not_equal(out[0].Value.bin.lpb, bytes);
    assert_true(prop_equal(&in[1], &out[1]));
    MAPIFreeBuffer(out);
    assert_int_equal(props_copy(3, in, &out), MAPI_E_INVALID_TYPE);
    assert_null(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        mapi_test(test_first_registrant_wins),
        mapi_test(test_route_entry_id),
        mapi_test(test_status_rows),
        mapi_test(test_prop_copy_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
