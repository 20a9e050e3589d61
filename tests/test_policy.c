/*
 * The administrator's policy on where provider DLLs may come from (loader.c, docs/host-behaviour.md "Provider DLLs"):
 * HKLM\Software\Policies\mapihost, ProviderFolders. A DLL outside the listed folders is not loaded, and the error
 * names it, the policy and the folders, while the rest of the session logs on and off as usual; a bare name is looked
 * for in the listed folders only; without the policy a DLL loads from anywhere its profile says. The policy is
 * machine-wide, so this test holds the lock every test that loads a DLL from outside the build's folder holds.
 */
#include "lifecycle.h"

#define POLICY_KEY "Software\\Policies\\mapihost"

static char bin[MAX_PATH], elsewhere[MAX_PATH], elsewhere_dll[MAX_PATH];

/* The policy's value, of type (REG_SZ or REG_MULTI_SZ), size bytes of it; NULL: no policy. */
static void set_policy(DWORD type, const char *folders, DWORD size)
{
    if (!folders) {
        RegDeleteKeyValueA(HKEY_LOCAL_MACHINE, POLICY_KEY, "ProviderFolders");
        return;
    }
    assert_int_equal(RegSetKeyValueA(HKEY_LOCAL_MACHINE, POLICY_KEY, "ProviderFolders", type, folders, size),
                     ERROR_SUCCESS);
}

/* The build's folder, and a copy of the sample address book in a folder of its own. */
static int setup(void **state)
{
    char source[MAX_PATH], *slash;

    GetModuleFileNameA(NULL, bin, sizeof(bin));
    if ((slash = strrchr(bin, '\\'))) *slash = 0;
    GetTempPathA(sizeof(elsewhere), elsewhere);
    snprintf(elsewhere + strlen(elsewhere), sizeof(elsewhere) - strlen(elsewhere), "mapihost-policy-%lu",
             GetCurrentProcessId());
    CreateDirectoryA(elsewhere, NULL);
    snprintf(elsewhere_dll, sizeof(elsewhere_dll), "%s\\elsewhere32.dll", elsewhere);
    snprintf(source, sizeof(source), "%s\\sampleab32.dll", bin);
    return CopyFileA(source, elsewhere_dll, FALSE) ? 0 : -1;
}

static int teardown(void **state)
{
    set_policy(0, NULL, 0);
    DeleteFileA(elsewhere_dll);
    RemoveDirectoryA(elsewhere);
    return 0;
}

/* The copy, named by its full path (with the "32" MAPI inserts taken out), as the Faulty service's address book. */
static IMAPISession *logon_elsewhere(void)
{
    char sections[MAX_PATH + 256];

    snprintf(sections, sizeof(sections),
             "[Elsewhere]\nPR_PROVIDER_DLL_NAME = %s\\elsewhere.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"
             "6610001F = the copy's directory\n",
             elsewhere);
    return logon_faulty("Elsewhere", sections, 0);
}

static void logoff(IMAPISession *session)
{
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    assert_good_shut_down();
    IMAPISession_Release(session);
    MAPIUninitialize();
}

/* Only the build's folder: the copy elsewhere is refused, by name, before any of its code runs. */
static void test_dll_outside_the_folders(void **state)
{
    IMAPISession *session;

    set_policy(REG_SZ, bin, (DWORD)strlen(bin) + 1);
    session = logon_elsewhere();
    assert_in_order(events,
                    "ERROR elsewhere32.dll: not loaded: the policy ProviderFolders in "
                    "HKLM\\Software\\Policies\\mapihost allows provider DLLs only from ",
                    "is not in them", "step Good AB: IABProvider::Logon -> S_OK");
    assert_null(GetModuleHandleA("elsewhere32.dll"));
    logoff(session);
}

/* Two folders as a REG_MULTI_SZ, the first one missing: the bare names of the good service load from the build's
 * folder, by their full path there. */
static void test_bare_name_from_the_folders(void **state)
{
    char folders[2 * MAX_PATH];
    size_t first = strlen("C:\\nowhere") + 1;
    IMAPISession *session;

    memcpy(folders, "C:\\nowhere", first);
    memcpy(folders + first, bin, strlen(bin) + 1);
    folders[first + strlen(bin) + 1] = 0;
    set_policy(REG_MULTI_SZ, folders, (DWORD)(first + strlen(bin) + 2));
    session = logon_elsewhere();
    assert_in_order(events, "ERROR elsewhere32.dll: not loaded", "step sampleab32.dll: LoadLibrary(");
    assert_in_order(events, "sampleab32.dll) -> ", "step Good AB: IABProvider::Logon -> S_OK");
    logoff(session);
}

/* No policy: the profile's full path is loaded, wherever it is. */
static void test_no_policy(void **state)
{
    IMAPISession *session;

    set_policy(0, NULL, 0);
    session = logon_elsewhere();
    assert_in_order(events, "step Elsewhere: IABProvider::Logon -> S_OK");
    assert_count(events, "not loaded", 0);
    logoff(session);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        lifecycle_test(test_dll_outside_the_folders),
        lifecycle_test(test_bare_name_from_the_folders),
        lifecycle_test(test_no_policy),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
