/*
 * Providers that find MAPI's utilities as real ones do get mapihost's code (spec U1-U4, W6), and the
 * session still ends in the documented shutdown with no buffer left between allocators:
 *  - test_binding (no argument): mapireg registers mapihost in the Wine prefix; the fixture bindrt32.dll finds the
 *    MAPI DLL through the default mail client, its MSIComponentID and the system mapi32's FGetComponentPath, and
 *    looks each function up by its decorated name first;
 *  - test_binding import: bindimp32.dll imports MAPI32.dll by plain name; with WINEDLLOVERRIDES=mapi32=n the loader
 *    takes mapihost's mapi32.dll, which forwards every export to mapihost.dll.
 * Both runs also check that mapireg unregister puts back what register changed.
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

#define MAIL_KEY "Software\\Clients\\Mail"
#define MESSAGING_KEY "Software\\Microsoft\\Windows Messaging Subsystem"

/* A registry value as text, or "(absent)". */
static const char *reg_text(const char *key, const char *name, char *text, DWORD size)
{
    if (RegGetValueA(HKEY_LOCAL_MACHINE, key, name, RRF_RT_REG_SZ, NULL, text, &size) != ERROR_SUCCESS)
        strcpy(text, "(absent)");
    return text;
}

static void reg_put(const char *key, const char *name, const char *text)
{
    if (!strcmp(text, "(absent)"))
        RegDeleteKeyValueA(HKEY_LOCAL_MACHINE, key, name);
    else
        assert_int_equal(RegSetKeyValueA(HKEY_LOCAL_MACHINE, key, name, REG_SZ, text, (DWORD)strlen(text) + 1), 0);
}

/* mapireg register changes the default mail client and the MAPIX values; unregister puts back exactly what was
 * there before the first register, values that were absent included, and says which client is the default then. */
static void test_unregister_puts_back(void **state)
{
    char saved[3][256], text[256], output[4096];

    reg_text(MAIL_KEY, NULL, saved[0], sizeof(saved[0]));
    reg_text(MESSAGING_KEY, "MAPIX", saved[1], sizeof(saved[1]));
    reg_text(MESSAGING_KEY, "MAPIXVER", saved[2], sizeof(saved[2]));
    reg_put(MAIL_KEY, NULL, "Another Client");
    reg_put(MESSAGING_KEY, "MAPIX", "(absent)");
    reg_put(MESSAGING_KEY, "MAPIXVER", "9.9");

    assert_int_equal(run_process("mapireg.exe register", NULL), 0);
    assert_int_equal(run_process("mapireg.exe register", NULL), 0); /* twice: the first one's memory stays */
    assert_string_equal(reg_text(MAIL_KEY, NULL, text, sizeof(text)), "mapihost");
    assert_string_equal(reg_text(MESSAGING_KEY, "MAPIX", text, sizeof(text)), "1");
    assert_int_equal(run_captured("mapireg.exe unregister", output, sizeof(output)), 0);
    assert_non_null(strstr(output, "the default mail client is Another Client"));
    assert_string_equal(reg_text(MAIL_KEY, NULL, text, sizeof(text)), "Another Client");
    assert_string_equal(reg_text(MESSAGING_KEY, "MAPIX", text, sizeof(text)), "(absent)");
    assert_string_equal(reg_text(MESSAGING_KEY, "MAPIXVER", text, sizeof(text)), "9.9");
    assert_string_equal(reg_text(MAIL_KEY "\\mapihost", "DLLPathEx", text, sizeof(text)), "(absent)");

    reg_put(MAIL_KEY, NULL, saved[0]);
    reg_put(MESSAGING_KEY, "MAPIX", saved[1]);
    reg_put(MESSAGING_KEY, "MAPIXVER", saved[2]);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        lifecycle_test(test_provider_gets_mapihost_utilities),
        cmocka_unit_test(test_unregister_puts_back),
    };
    import_mode = argc > 1 && !strcmp(argv[1], "import");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
