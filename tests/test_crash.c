/*
 * Providers that crash or hang (standards: "a provider that ... crashes or hangs ... the host reports it by name
 * and still shuts every other provider down cleanly"). The host's calls run on guarded threads (guard.c). A provider
 * that crashed or hung is abandoned and its DLL stays loaded for the process, so these cases have a process of
 * their own.
 */
#include "lifecycle.h"

static IMAPISession *logon_with_fault(const char *fault)
{
    char sections[256];

    snprintf(sections, sizeof(sections),
             "[Bad]\nPR_PROVIDER_DLL_NAME = recorder.dll\n"
             "PR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n6700001e = %s\n",
             fault);
    return logon_faulty("Bad", sections, 0);
}

/* After Logoff: nothing of either provider is left in the session, the good one shut down cleanly, and only its
 * DLL is freed at the last MAPIUninitialize. */
static void check_rest_shut_down(IMAPISession *session)
{
    MAPIHOST_SESSION_STATE state_now;

    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    assert_good_shut_down();
    assert_providers_gone(session, &state_now);
    IMAPISession_Release(session);
    MAPIUninitialize();
    /* the abandoned provider's objects keep their MAPI buffers: its leak, not the test's */
    buffers_at_start = MapihostLiveBuffers();
    assert_null(GetModuleHandleA("sampleab32.dll"));
    assert_non_null(GetModuleHandleA(RECORDER));
    assert_in_order(events,
                    "VIOLATION recorder32.dll: stays loaded after the last MAPIUninitialize: a provider from it "
                    "crashed or hung");
}

static void test_crash_in_logoff(void **state)
{
    IMAPISession *session = logon_with_fault("crash-logoff");

    check_rest_shut_down(session);
    /* The method that crashed, and where: each provider call is its own step. */
    assert_in_order(events,
                    "VIOLATION Bad crashed in IABLogon::Logoff during its logoff (exception 0xc0000005 at "
                    "recorder32.dll+0x",
                    "); the host abandons its provider");
    assert_count(events, "Bad: IABLogon::Release", 0); /* no call after the crash */
}

/* A crash in the provider object's Shutdown, after a clean Logoff, is its own step: named, with where it happened. */
static void test_crash_in_shutdown(void **state)
{
    IMAPISession *session = logon_with_fault("crash-shutdown");

    check_rest_shut_down(session);
    assert_in_order(events, "Bad: IABLogon::Logoff(0) -> S_OK", "Bad: IABLogon::Release -> 0",
                    "VIOLATION Bad crashed in IABProvider::Shutdown during its logoff (exception 0xc0000005 at "
                    "recorder32.dll+0x");
    assert_count(events, "recorder32.dll: IABProvider::Release", 0); /* abandoned: never called again */
}

static void test_hang_in_logoff(void **state)
{
    IMAPISession *session;

    SetEnvironmentVariableA("MAPIHOST_CALL_TIMEOUT", "500");
    MapihostAbandonHungCalls(TRUE);
    session = logon_with_fault("hang-logoff");
    check_rest_shut_down(session);
    MapihostAbandonHungCalls(FALSE);
    SetEnvironmentVariableA("MAPIHOST_CALL_TIMEOUT", NULL);
    assert_in_order(events,
                    "VIOLATION Bad did not return from IABLogon::Logoff during its logoff within 500 ms; the host "
                    "stopped the call");
    assert_count(events, "Bad: IABLogon::Release", 0);
}

/* On the client's own thread a slow call cannot be taken back: the watchdog reports it, the host waits, and the
 * provider's lifecycle goes on to its end. */
static void test_slow_call_reported(void **state)
{
    IMAPISession *session;

    SetEnvironmentVariableA("MAPIHOST_CALL_TIMEOUT", "500");
    session = logon_with_fault("slow-logoff");
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    SetEnvironmentVariableA("MAPIHOST_CALL_TIMEOUT", NULL);
    assert_good_shut_down();
    IMAPISession_Release(session);
    MAPIUninitialize();
    assert_in_order(events, "ERROR Bad: its logoff has not returned within 500 ms (MAPIHOST_CALL_TIMEOUT)",
                    "Bad: IABLogon::Release");
    assert_count(events, "abandons its provider", 0);
}

static void test_crash_in_logon(void **state)
{
    IMAPISession *session = logon_with_fault("crash-logon");

    assert_in_order(events,
                    "VIOLATION Bad crashed in IABProvider::Logon during its logon (exception 0xc0000005 at "
                    "recorder32.dll+0x",
                    "ERROR Bad failed with MAPI_E_CALL_FAILED (0x80004005): message service Faulty is disabled",
                    "step Good AB: IABProvider::Logon -> S_OK");
    check_rest_shut_down(session);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        lifecycle_test(test_crash_in_logon),     lifecycle_test(test_crash_in_logoff),
        lifecycle_test(test_crash_in_shutdown),  lifecycle_test(test_hang_in_logoff),
        lifecycle_test(test_slow_call_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
