/*
 * The ABI proof (W1): every vtable our IDL generates has exactly the slots of mingw-w64's SDK headers, in the
 * same order, at the same offsets, with the same size; and every parameter Win64 declares ULONG_PTR is ULONG_PTR in
 * ours and is not in mingw-w64's. The two header sets live in abi_sdk.c and abi_ours.c; this file compares them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <cmocka.h>

#include <windows.h>
#include "mapihost_spi.h"
#include "abi/abi_slots.h"

static void test_same_slots_same_offsets(void **state)
{
    unsigned long i, mismatches = 0;

    assert_int_equal(sdk_slot_count, our_slot_count);
    for (i = 0; i < our_slot_count; i++) {
        assert_string_equal(sdk_slots[i].method, our_slots[i].method);
        if (sdk_slots[i].offset != our_slots[i].offset) {
            print_error("%s::%s at offset %lu in ours, %lu in the SDK\n", our_slots[i].iface, our_slots[i].method,
                        our_slots[i].offset, sdk_slots[i].offset);
            mismatches++;
        }
    }
    assert_int_equal(mismatches, 0);
}

static void test_slots_are_consecutive(void **state)
{
    unsigned long i, slot = 0;

    /* Within an interface the n-th listed method sits at n pointers: no slot missing, none reordered. */
    for (i = 0; i < our_slot_count; i++) {
        if (i && strcmp(our_slots[i].iface, our_slots[i - 1].iface)) slot = 0;
        if (our_slots[i].offset != slot * sizeof(void *))
            fail_msg("%s::%s is at offset %lu, expected slot %lu", our_slots[i].iface, our_slots[i].method,
                     our_slots[i].offset, slot);
        slot++;
    }
}

static void test_same_vtable_sizes(void **state)
{
    unsigned long i, j;

    assert_int_equal(sdk_vtbl_count, our_vtbl_count);
    for (i = 0; i < our_vtbl_count; i++) {
        unsigned long slots = 0;

        assert_string_equal(sdk_vtbls[i].iface, our_vtbls[i].iface);
        for (j = 0; j < our_slot_count; j++) slots += !strcmp(our_slots[j].iface, our_vtbls[i].iface);
        if (our_vtbls[i].size != sdk_vtbls[i].size || our_vtbls[i].size != slots * sizeof(void *))
            fail_msg("%sVtbl: %lu bytes in ours, %lu in the SDK, %lu slots listed", our_vtbls[i].iface,
                     our_vtbls[i].size, sdk_vtbls[i].size, slots);
    }
}

static void test_win64_signatures_in_ours(void **state)
{
    unsigned long i, wrong = 0;

    assert_int_equal(sizeof(ULONG_PTR), sizeof(void *));
    assert_int_equal(sizeof(ULONG_PTR), 8);
    for (i = 0; i < our_signature_count; i++) {
        if (our_signatures[i].compatible) continue;
        print_error("%s: ours is not the Win64 signature (ULONG_PTR at %s)\n", our_signatures[i].method,
                    our_signatures[i].params);
        wrong++;
    }
    assert_int_equal(wrong, 0);
}

static void test_win64_signatures_differ_in_sdk(void **state)
{
    unsigned long i, same = 0;

    /* Each row must name a real mingw-w64 difference, or it proves nothing about ours. */
    assert_int_equal(sdk_signature_count, our_signature_count);
    for (i = 0; i < sdk_signature_count; i++) {
        if (!sdk_signatures[i].compatible) continue;
        print_error("%s: mingw-w64 already has the Win64 signature; the row is not a difference\n",
                    sdk_signatures[i].method);
        same++;
    }
    assert_int_equal(same, 0);
}

static void check_ole_iid(const char *name, const IID *iid, DWORD data1)
{
    static const BYTE ole_tail[8] = { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 };

    if (iid->Data1 != data1 || iid->Data2 || iid->Data3 || memcmp(iid->Data4, ole_tail, 8))
        fail_msg("%s is not {%08lx-0000-0000-C000-000000000046}", name, (unsigned long)data1);
}

static void test_iids(void **state)
{
    /* spec §2.3; the fast-shutdown IIDs are missing from mingw-w64 (§7) and come from MAPIGuid.h. */
    check_ole_iid("IID_IMAPISession", &IID_IMAPISession, 0x00020300);
    check_ole_iid("IID_IMAPITable", &IID_IMAPITable, 0x00020301);
    check_ole_iid("IID_IMAPIProp", &IID_IMAPIProp, 0x00020303);
    check_ole_iid("IID_IProfSect", &IID_IProfSect, 0x00020304);
    check_ole_iid("IID_IMAPIStatus", &IID_IMAPIStatus, 0x00020305);
    check_ole_iid("IID_IMsgStore", &IID_IMsgStore, 0x00020306);
    check_ole_iid("IID_IAddrBook", &IID_IAddrBook, 0x00020309);
    check_ole_iid("IID_IMAPISupport", &IID_IMAPISupport, 0x0002030F);
    check_ole_iid("IID_IMSProvider", &IID_IMSProvider, 0x00020310);
    check_ole_iid("IID_IABProvider", &IID_IABProvider, 0x00020311);
    check_ole_iid("IID_IXPProvider", &IID_IXPProvider, 0x00020312);
    check_ole_iid("IID_IMSLogon", &IID_IMSLogon, 0x00020313);
    check_ole_iid("IID_IABLogon", &IID_IABLogon, 0x00020314);
    check_ole_iid("IID_IXPLogon", &IID_IXPLogon, 0x00020315);
    check_ole_iid("IID_IMAPIClientShutdown", &IID_IMAPIClientShutdown, 0x00020397);
    check_ole_iid("IID_IMAPIProviderShutdown", &IID_IMAPIProviderShutdown, 0x00020398);
}

static void test_fast_shutdown_layout(void **state)
{
    /* Not in mingw-w64, so compared with spec §2.3 instead: IUnknown, then these three. */
    assert_int_equal(offsetof(IMAPIProviderShutdownVtbl, QueryFastShutdown), 3 * sizeof(void *));
    assert_int_equal(offsetof(IMAPIProviderShutdownVtbl, NotifyProcessShutdown), 4 * sizeof(void *));
    assert_int_equal(offsetof(IMAPIProviderShutdownVtbl, DoFastShutdown), 5 * sizeof(void *));
    assert_int_equal(sizeof(IMAPIProviderShutdownVtbl), 6 * sizeof(void *));
    assert_int_equal(offsetof(IMAPIClientShutdownVtbl, QueryFastShutdown), 3 * sizeof(void *));
    assert_int_equal(offsetof(IMAPIClientShutdownVtbl, NotifyProcessShutdown), 4 * sizeof(void *));
    assert_int_equal(offsetof(IMAPIClientShutdownVtbl, DoFastShutdown), 5 * sizeof(void *));
    assert_int_equal(sizeof(IMAPIClientShutdownVtbl), 6 * sizeof(void *));
}

static void test_data_layouts(void **state)
{
    /* The structures providers and hosts exchange by pointer: Win64 sizes (they match the SDK's on x64). */
    assert_int_equal(sizeof(SPropValue), 24);
    assert_int_equal(offsetof(SPropValue, Value), 8);
    assert_int_equal(sizeof(SRow), 16);
    assert_int_equal(offsetof(SRowSet, aRow), 8);
    assert_int_equal(sizeof(MAPIUID), 16);
    assert_int_equal(offsetof(ENTRYID, ab), 4);
    assert_int_equal(sizeof(NOTIFICATION), 8 + sizeof(TABLE_NOTIFICATION));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_slots_same_offsets),
        cmocka_unit_test(test_slots_are_consecutive),
        cmocka_unit_test(test_same_vtable_sizes),
        cmocka_unit_test(test_win64_signatures_in_ours),
        cmocka_unit_test(test_win64_signatures_differ_in_sdk),
        cmocka_unit_test(test_iids),
        cmocka_unit_test(test_fast_shutdown_layout),
        cmocka_unit_test(test_data_layouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
