/*
 * Bad input and misbehaving providers (spec §3, H1, H4, H7, H8, H12, H15, E9, E15, E21). Each case gets its
 * documented MAPI_E_* or violation and a message naming the culprit, and the rest of the session still logs on and
 * shuts down cleanly: every profile here also holds a good address book (the sample, in a DLL of its own) in a
 * message service of its own.
 */
#include "lifecycle.h"

/* After Logoff: the good address book went through its whole shutdown, and the DLLs go at the end. */
static void check_good_after_logoff(IMAPISession *session)
{
    assert_good_shut_down();
    IMAPISession_Release(session);
    assert_int_equal(provider_live_objects("sampleab32.dll"), 0);
    MAPIUninitialize();
    assert_null(GetModuleHandleA("sampleab32.dll"));
    assert_null(GetModuleHandleA(RECORDER));
}

static void logoff_and_check_good(IMAPISession *session)
{
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    check_good_after_logoff(session);
}

static void test_missing_dll(void **state)
{
    IMAPISession *session = logon_faulty("Missing",
                                         "[Missing]\nPR_PROVIDER_DLL_NAME = nothere.dll\n"
                                         "PR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n",
                                         0);

    assert_in_order(events, "ERROR nothere32.dll: cannot load",
                    "ERROR Missing failed with MAPI_E_NOT_FOUND (0x8004010f): message "
                    "service Faulty is disabled");
    logoff_and_check_good(session);
}

/* A provider named without a folder is never loaded from the current directory, which others may write to: a copy of
 * a good provider there is not found, and the error says the DLL could not be loaded. */
static void test_no_dll_from_current_directory(void **state)
{
    char folder[MAX_PATH], dll[MAX_PATH], previous[MAX_PATH], self[MAX_PATH], *slash;
    IMAPISession *session;

    GetTempPathA(sizeof(folder), folder);
    snprintf(folder + strlen(folder), sizeof(folder) - strlen(folder), "mapihost-cwd-%lu", GetCurrentProcessId());
    CreateDirectoryA(folder, NULL);
    GetModuleFileNameA(NULL, self, sizeof(self));
    if ((slash = strrchr(self, '\\'))) *slash = 0;
    snprintf(dll, sizeof(dll), "%s\\cwdonly32.dll", folder);
    snprintf(previous, sizeof(previous), "%s\\sampleab32.dll", self);
    assert_true(CopyFileA(previous, dll, FALSE));
    GetCurrentDirectoryA(sizeof(previous), previous);
    assert_true(SetCurrentDirectoryA(folder));
    session = logon_faulty("Planted",
                           "[Planted]\nPR_PROVIDER_DLL_NAME = cwdonly.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n", 0);
    SetCurrentDirectoryA(previous);
    assert_in_order(events, "ERROR cwdonly32.dll: cannot load");
    assert_null(GetModuleHandleA("cwdonly32.dll"));
    logoff_and_check_good(session);
    DeleteFileA(dll);
    RemoveDirectoryA(folder);
}

static void test_dll_without_entry_point(void **state)
{
    IMAPISession *session = logon_faulty("NoEntry",
                                         "[NoEntry]\nPR_PROVIDER_DLL_NAME = mingwab.dll\n"
                                         "PR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n",
                                         0);

    assert_in_order(events, "ERROR mingwab32.dll: does not export XPProviderInit");
    logoff_and_check_good(session);
    assert_null(GetModuleHandleA("mingwab32.dll"));
}

static void test_dll_name_rules(void **state)
{
    IMAPISession *session = logon_faulty("Suffixed, Dotted",
                                         "[Suffixed]\nPR_PROVIDER_DLL_NAME = sampleab32.dll\n"
                                         "PR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"
                                         "[Dotted]\nPR_PROVIDER_DLL_NAME = sample.ab.dll\n"
                                         "PR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n",
                                         0);

    /* H1, E33: the first disables the service, so the second is never tried */
    assert_in_order(events, "ERROR PR_PROVIDER_DLL_NAME \"sampleab32.dll\" already ends in \"32\"",
                    "message service Faulty is disabled");
    assert_count(events, "sample.ab.dll", 0);
    logoff_and_check_good(session);

    session = logon_faulty("Dotted",
                           "[Dotted]\nPR_PROVIDER_DLL_NAME = sample.ab.dll\n"
                           "PR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n",
                           0);
    assert_in_order(events, "ERROR PR_PROVIDER_DLL_NAME \"sample.ab.dll\" has more than one period");
    logoff_and_check_good(session);
}

/* H4: a provider answering an SPI version older than PDK1 is released at once; MAPI_E_VERSION disables it. */
static void test_wrong_spi_version(void **state)
{
    IMAPISession *session;

    SetEnvironmentVariableA("SAMPLE_SPI_VERSION", "0x100");
    session =
        logon_faulty("Old", "[Old]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n", 0);
    SetEnvironmentVariableA("SAMPLE_SPI_VERSION", NULL);
    assert_in_order(events, "ERROR recorder32.dll: ABProviderInit reports SPI version 0x100",
                    "ERROR Old failed with MAPI_E_VERSION (0x80040110)");
    assert_in_order(provider_log(RECORDER), "ABProviderInit", "IABProvider::Release -> 0");
    assert_count(provider_log(RECORDER), "Logon", 0);
    assert_int_equal(provider_live_objects(RECORDER), 0);
    logoff_and_check_good(session);
}

static void test_profiles(void **state)
{
    IMAPISession *session = NULL;
    char path[MAX_PATH], folder[MAX_PATH];

    assert_int_equal(MAPILogonEx(0, "whatever", NULL, 0, &session), MAPI_E_NOT_INITIALIZED);
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    start_events();

    write_temp_file("malformed.inf", "[Services]\nA = a service\n[A]\nProviders = Nowhere\n", path, sizeof(path));
    assert_int_equal(MAPILogonEx(0, path, NULL, 0, &session), MAPI_E_LOGON_FAILED);
    assert_null(session);
    assert_in_order(events, "line 3: service [A] lists provider section [Nowhere], which does not exist",
                    "MAPILogonEx: profile", "cannot be used (MAPI_E_CORRUPT_DATA (0x8004011b))");
    DeleteFileA(path);

    write_temp_file("empty.inf", "", path, sizeof(path));
    assert_int_equal(MAPILogonEx(0, path, NULL, 0, &session), MAPI_E_LOGON_FAILED);
    assert_in_order(events, "no [Services] section");
    DeleteFileA(path);

    /* A name, not a path: <name>.inf in MAPIHOST_PROFILE_DIR. */
    GetTempPathA(sizeof(folder), folder);
    SetEnvironmentVariableA("MAPIHOST_PROFILE_DIR", folder);
    assert_int_equal(MAPILogonEx(0, "mapihost-no-such-profile", NULL, 0, &session), MAPI_E_LOGON_FAILED);
    assert_in_order(events, "mapihost-no-such-profile.inf: cannot open the file");
    snprintf(path, sizeof(path), "%smapihost-named.inf", folder);
    write_temp_file("unused.inf", "", folder, sizeof(folder));
    DeleteFileA(folder);
    {
        FILE *file = fopen(path, "wb");
        assert_non_null(file);
        fputs("[Services]\nGood = Good service\n" GOOD_SERVICE, file);
        fclose(file);
    }
    assert_int_equal(MAPILogonEx(0, (LPTSTR)L"mapihost-named", NULL, MAPI_UNICODE, &session), S_OK);
    IMAPISession_Logoff(session, 0, 0, 0);
    IMAPISession_Release(session);
    assert_int_equal(MAPILogonEx(0, "mapihost-named", NULL, 0, &session), S_OK);
    DeleteFileA(path);
    SetEnvironmentVariableA("MAPIHOST_PROFILE_DIR", NULL);
    assert_int_equal(MAPILogonEx(0, NULL, NULL, 0, &(IMAPISession *){ NULL }), MAPI_E_LOGON_FAILED);
    logoff_and_check_good(session);
}

/* H8: MAPI_E_FAILONEPROVIDER drops one provider, the rest of its service goes on. */
static void test_fail_one_provider(void **state)
{
    IMAPISession *session = logon_faulty(
        "Bad AB, Sibling AB",
        "[Bad AB]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n6700001e = fail-one\n"
        "[Sibling AB]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n",
        0);

    assert_in_order(events, "step Bad AB: IABProvider::Logon -> MAPI_E_FAILONEPROVIDER (0x8004011d)",
                    "ERROR Bad AB is unavailable for the session (MAPI_E_FAILONEPROVIDER)",
                    "step Sibling AB: IABProvider::Logon -> S_OK");
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    assert_in_order(events, "step Sibling AB: IABLogon::Logoff(0) -> S_OK");
    assert_count(provider_log(RECORDER), "IABProvider::Shutdown", 2); /* E28: after the failure, then at the end */
    assert_int_equal(provider_live_objects(RECORDER), 0);
    IMAPISession_Release(session);
    MAPIUninitialize();
    assert_null(GetModuleHandleA(RECORDER));
}

/* H8: any other failure disables the whole service, its providers already logged on included. */
static void check_service_failure(const char *fault, const char *code)
{
    char sections[512], expected[128];
    IMAPISession *session;

    snprintf(sections, sizeof(sections),
             "[Sibling AB]\nPR_PROVIDER_DLL_NAME = recorder.dll\n"
             "PR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n[Bad AB]\nPR_PROVIDER_DLL_NAME = recorder.dll\n"
             "PR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n6700001e = %s\n",
             fault);
    session = logon_faulty("Sibling AB, Bad AB", sections, 0);
    snprintf(expected, sizeof(expected), "ERROR Bad AB failed with %s: message service Faulty is disabled", code);
    assert_in_order(events, "step Sibling AB: IABProvider::Logon -> S_OK", expected,
                    "step Sibling AB: IABLogon::Logoff(0) -> S_OK", "step Sibling AB: IABLogon::Release -> 0",
                    "step recorder32.dll: IABProvider::Shutdown(&0) -> S_OK");
    assert_int_equal(provider_live_objects(RECORDER), 0);
    logoff_and_check_good(session);
}

static void test_logon_failed(void **state)
{
    check_service_failure("fail-logon", "MAPI_E_LOGON_FAILED (0x80040111)");
}

static void test_unconfigured(void **state)
{
    check_service_failure("unconfigured",
                          "MAPI_E_UNCONFIGURED (0x8004011c)"); /* no service entry points: a failure like any other */
}

static void test_store_logon_failed(void **state)
{
    IMAPISession *session = logon_faulty("Bad MS",
                                         "[Bad MS]\nPR_PROVIDER_DLL_NAME = recorder.dll\n"
                                         "PR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\n6700001e = fail-logon\n",
                                         0);

    assert_null(open_first_store(session, MAPI_E_LOGON_FAILED));
    assert_in_order(events,
                    "ERROR Bad MS failed with MAPI_E_LOGON_FAILED (0x80040111): message service Faulty is disabled");
    assert_null(open_first_store(session, MAPI_E_LOGON_FAILED)); /* disabled: not tried again */
    assert_count(provider_log(RECORDER), "IMSProvider::Logon", 1);
    logoff_and_check_good(session);
}

/* A provider of the given type in the Faulty service commits fault; expected: the violation the host reports. */
static void check_misbehaviour(const char *type, const char *fault, const char *expected)
{
    MAPIHOST_SESSION_STATE state_now;
    char sections[512];
    IMAPISession *session;

    snprintf(sections, sizeof(sections),
             "[Bad]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = %s\n"
             "6700001e = %s\n",
             type, fault);
    session = logon_faulty("Bad", sections, 0);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    assert_in_order(events, expected);
    /* the host went on: the bad provider is shut down, and its UIDs and rows are gone (E21) */
    assert_in_order(events, "step recorder32.dll: I", "Provider::Shutdown(&0) -> S_OK");
    assert_providers_gone(session, &state_now);
    check_good_after_logoff(session);
}

static void test_keeps_support_object(void **state)
{
    check_misbehaviour("MAPI_AB_PROVIDER", "keep-support",
                       "VIOLATION Bad still holds 1 references on its support object after logoff (H12); the host "
                       "removes its UIDs and status rows itself (E21)");
}

static void test_no_addref_of_support_object(void **state)
{
    check_misbehaviour("MAPI_AB_PROVIDER", "no-addref",
                       "VIOLATION Bad did not AddRef its support object in Logon; the host logs it off (H7)");
}

static void test_over_release_of_support_object(void **state)
{
    check_misbehaviour("MAPI_AB_PROVIDER", "over-release",
                       "VIOLATION Bad released its support object more often than it added references (H12)");
}

static void test_logoff_error(void **state)
{
    check_misbehaviour(
        "MAPI_AB_PROVIDER", "logoff-error",
        "VIOLATION Bad: IABLogon::Logoff returned MAPI_E_CALL_FAILED (0x80004005), but only S_OK is documented");
}

static void test_leaked_logon(void **state)
{
    check_misbehaviour("MAPI_AB_PROVIDER", "leak-logon",
                       "VIOLATION Bad: the logon object is still alive after the host's final Release (H15)");
    /* The leaked logon keeps the MAPI buffers it allocated: the provider's leak (H27), not the test's. */
    assert_in_order(events, "VIOLATION recorder32.dll: ",
                    "MAPI buffers it allocated are still live after the last "
                    "MAPIUninitialize (H27)",
                    "step recorder32.dll: FreeLibrary");
    assert_true(MapihostLiveBuffers() > buffers_at_start);
    buffers_at_start = MapihostLiveBuffers();
}

static void test_transport_changes_notify_flags(void **state)
{
    check_misbehaviour("MAPI_TRANSPORT_PROVIDER", "change-notify-flags",
                       "VIOLATION Bad: TransportNotify changed its flags to 0");
}

static void test_transport_without_status_row(void **state)
{
    check_misbehaviour("MAPI_TRANSPORT_PROVIDER", "no-status-row",
                       "VIOLATION Bad: a transport must add a status row at logon (E15)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        lifecycle_test(test_missing_dll),
        lifecycle_test(test_no_dll_from_current_directory),
        lifecycle_test(test_dll_without_entry_point),
        lifecycle_test(test_dll_name_rules),
        lifecycle_test(test_wrong_spi_version),
        lifecycle_test(test_profiles),
        lifecycle_test(test_fail_one_provider),
        lifecycle_test(test_logon_failed),
        lifecycle_test(test_unconfigured),
        lifecycle_test(test_store_logon_failed),
        lifecycle_test(test_keeps_support_object),
        lifecycle_test(test_no_addref_of_support_object),
        lifecycle_test(test_over_release_of_support_object),
        lifecycle_test(test_logoff_error),
        lifecycle_test(test_leaked_logon),
        lifecycle_test(test_transport_changes_notify_flags),
        lifecycle_test(test_transport_without_status_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
