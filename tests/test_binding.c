/*
 * Providers that find MAPI's utilities as real ones do get mapihost's code (spec U1-U4, W6), and the
 * session still ends in the documented shutdown with no buffer left between allocators:
 *  - test_binding (no argument): mapireg registers mapihost in the Wine prefix; the fixture bindrt32.dll finds the
 *    MAPI DLL through the default mail client, its MSIComponentID and the system mapi32's FGetComponentPath, and
 *    looks each function up by its decorated name first;
 *  - test_binding import: bindimp32.dll imports MAPI32.dll by plain name; with WINEDLLOVERRIDES=mapi32=n the loader
 *    takes mapihost's mapi32.dll, which forwards every export to mapihost.dll.
 */
#include "lifecycle.h"

static BOOL import_mode;

static void test_provider_gets_mapihost_utilities(void **state)
{
    const char *dll = import_mode ? "bindimp32.dll" : "bindrt32.dll";
    char sections[256];
    IMAPISession *session;
    MAPIHOST_SESSION_STATE session_state;
    const char *log;

    if (!import_mode) assert_int_equal(run_process("mapireg.exe register", NULL), 0);
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    start_events();
    snprintf(sections, sizeof(sections),
             "[Services]\nS = binding\n[S]\nProviders = AB\n[AB]\n"
             "PR_PROVIDER_DLL_NAME = %s\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n",
             import_mode ? "bindimp.dll" : "bindrt.dll");
    session = logon_profile("binding.inf", sections, 0);
    log = provider_log(dll);
    assert_in_order(log, "IABProvider::Logon", "bound CreateTable in mapihost.dll", "bound CreateIProp in mapihost.dll",
                    "bound HrQueryAllRows in mapihost.dll", "bound FreeProws in mapihost.dll",
                    "bound HrGetOneProp in mapihost.dll", "table: gamma beta", "property: a property object");
    if (!import_mode) assert_in_order(log, "mail client mapihost, component {698E8998-B3F8-4A41-98DB-639B388552AC}");
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    assert_providers_gone(session, &session_state);
    assert_in_order(provider_log(dll), "IABLogon::Logoff", "IABProvider::Shutdown", "IABProvider::Release -> 0");
    IMAPISession_Release(session);
    MAPIUninitialize();
    assert_null(GetModuleHandleA(dll)); /* H23, and nothing of the fixture's was left for mapihost to free */
    assert_int_equal(MapihostEventCount(MAPIHOST_EVENT_VIOLATION), 0);
    if (!import_mode) assert_int_equal(run_process("mapireg.exe unregister", NULL), 0);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        lifecycle_test(test_provider_gets_mapihost_utilities),
    };
    import_mode = argc > 1 && !strcmp(argv[1], "import");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
