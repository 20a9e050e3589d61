/*
 * The whole chain, end to end: a provider DLL built from our generated headers, loaded with a real LoadLibrary
 * under Wine, initialised through its exported entry point with mapihost.dll's allocators, released, and unloaded
 * with FreeLibrary until GetModuleHandle no longer finds it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <windows.h>
#include "mapihost_spi.h"

#define SAMPLE_AB "sampleab32.dll"

static void test_load_init_release_unload(void **state)
{
    ABPROVIDERINIT *init;
    IABProvider *provider = NULL;
    ULONG version = 0, flags = 0;
    HMODULE module;

    assert_null(GetModuleHandleA(SAMPLE_AB));
    module = LoadLibraryA(SAMPLE_AB);
    assert_non_null(module);
    init = (ABPROVIDERINIT *)(void *)GetProcAddress(module, "ABProviderInit");
    assert_non_null(init);

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    assert_int_equal(init(module, MAPIGetDefaultMalloc(), MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, 0,
                          CURRENT_SPI_VERSION, &version, &provider),
                     S_OK);
    assert_non_null(provider);
    assert_true(version >= CURRENT_SPI_VERSION);
    assert_int_equal(IABProvider_Shutdown(provider, &flags), S_OK);
    assert_int_equal(IABProvider_Release(provider), 0);
    MAPIUninitialize();

    assert_true(FreeLibrary(module));
    assert_null(GetModuleHandleA(SAMPLE_AB));
}

static void test_missing_entry_point(void **state)
{
    HMODULE module = LoadLibraryA(SAMPLE_AB);

    assert_non_null(module);
    assert_null(GetProcAddress(module, "MSProviderInit"));
    assert_null(GetProcAddress(module, "XPProviderInit"));
    assert_true(FreeLibrary(module));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_init_release_unload),
        cmocka_unit_test(test_missing_entry_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
