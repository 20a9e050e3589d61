/*
 * A MAPI client written against mingw-w64's own mapix.h, not mapihost's headers, linked to mapihost.dll's import
 * library: it must work unchanged (the public surface). It also finds the seven entry points by name with
 * GetProcAddress, undecorated, as a client that LoadLibrary's MAPI does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapicode.h>
#include <mapitags.h>

static void test_entry_points_by_name(void **state)
{
    static const char *const names[] = { "MAPIInitialize",      "MAPIUninitialize", "MAPILogonEx",
                                         "MAPIAllocateBuffer",  "MAPIAllocateMore", "MAPIFreeBuffer",
                                         "MAPIGetDefaultMalloc" };
    HMODULE module = LoadLibraryA("mapihost.dll");
    unsigned int i;

    assert_non_null(module);
    for (i = 0; i < ARRAYSIZE(names); i++)
        if (!GetProcAddress(module, names[i])) fail_msg("mapihost.dll does not export %s", names[i]);
    FreeLibrary(module);
}

static void test_session_through_mingw_headers(void **state)
{
    static const char profile[] =
        "[Services]\nS = Samples\n[S]\nProviders = AB, XP\n"
        "[AB]\nPR_PROVIDER_DLL_NAME = sampleab.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"
        "[XP]\nPR_PROVIDER_DLL_NAME = samplexp.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"
        "[AB settings]\nMAPIUID = 6D617069686F737453616D706C654142\n6610001F = a directory\n";
    char folder[MAX_PATH], path[MAX_PATH];
    LPMAPISESSION session = NULL;
    LPMAPITABLE table = NULL;
    LPVOID buffer, child;
    ULONG rows = 0;
    FILE *file;

    GetTempPathA(sizeof(folder), folder);
    snprintf(path, sizeof(path), "%smapihost-sdk-client-%lu.inf", folder, GetCurrentProcessId());
    assert_non_null(file = fopen(path, "wb"));
    fputs(profile, file);
    fclose(file);

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    assert_int_equal(MAPIAllocateBuffer(16, &buffer), S_OK);
    assert_int_equal(MAPIAllocateMore(16, buffer, &child), S_OK);
    assert_int_equal(MAPIFreeBuffer(buffer), S_OK);
    assert_non_null(MAPIGetDefaultMalloc());

    assert_int_equal(MAPILogonEx(0, path, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session), S_OK);
    DeleteFileA(path);
    assert_int_equal(session->lpVtbl->GetStatusTable(session, 0, &table), S_OK);
    assert_int_equal(table->lpVtbl->GetRowCount(table, 0, &rows), S_OK);
    assert_int_equal(rows, 4); /* MAPI, the spooler, the address book, the transport */
    table->lpVtbl->Release(table);
    assert_int_equal(session->lpVtbl->Logoff(session, 0, 0, 0), S_OK);
    assert_int_equal(session->lpVtbl->Release(session), 0);
    assert_non_null(GetModuleHandleA("sampleab32.dll"));
    MAPIUninitialize();
    assert_null(GetModuleHandleA("sampleab32.dll"));
    assert_null(GetModuleHandleA("samplexp32.dll"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_points_by_name),
        cmocka_unit_test(test_session_through_mingw_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
