/*
 * Provider calls on the client's own thread (MAPI calls Logon and Logoff on the caller's thread): a provider
 * that keeps a window and thread-local state from Logon to Logoff shuts down cleanly, and fails when a client logs
 * off on another thread, so the fixture itself is shown to notice; sessions whose providers crash run on several
 * threads at once, each crash contained on its own thread. Real sessions over real DLLs, nothing mocked.
 */
#include "lifecycle.h"

#define SESSIONS 4

static CRITICAL_SECTION events_cs;

/* The sessions' threads report at once: one line at a time into the shared log. */
static void WINAPI append_event_locked(void *context, ULONG severity, const char *line)
{
    EnterCriticalSection(&events_cs);
    append_event(context, severity, line);
    LeaveCriticalSection(&events_cs);
}

static IMAPISession *logon_thread_affine(void)
{
    return logon_faulty("Bad",
                        "[Bad]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"
                        "6700001e = thread-affine\n",
                        0);
}

static void test_thread_affine_provider(void **state)
{
    IMAPISession *session = logon_thread_affine();

    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    assert_in_order(events, "step Bad: IABProvider::Logon -> S_OK", "step Bad: IABLogon::Logoff(0) -> S_OK",
                    "step Bad: IABLogon::Release -> 0");
    assert_null(strstr(provider_log(RECORDER), "thread-affine: called on thread"));
    assert_good_shut_down();
    assert_session_clean(session);
    IMAPISession_Release(session);
    MAPIUninitialize();
}

static DWORD WINAPI logoff_thread(void *session)
{
    return IMAPISession_Logoff((IMAPISession *)session, 0, 0, 0);
}

/* The client logs off on another thread: the host makes the calls there, and the provider's state is not there. */
static void test_logoff_on_another_thread(void **state)
{
    IMAPISession *session = logon_thread_affine();
    HANDLE thread = CreateThread(NULL, 0, logoff_thread, session, 0, NULL);
    DWORD result;

    assert_non_null(thread);
    WaitForSingleObject(thread, INFINITE);
    GetExitCodeThread(thread, &result);
    CloseHandle(thread);
    assert_int_equal(result, S_OK);
    assert_in_order(events, "step Bad: IABLogon::Logoff(0) -> MAPI_E_CALL_FAILED");
    assert_non_null(strstr(provider_log(RECORDER), "thread-affine: called on thread"));
    assert_good_shut_down();
    IMAPISession_Release(session);
    MAPIUninitialize();
}

static DWORD WINAPI crashing_session(void *path)
{
    IMAPISession *session = NULL;
    HRESULT hr;

    if ((hr = MAPIInitialize(NULL)) != S_OK) return hr;
    if ((hr = MAPILogonEx(0, path, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session)) == S_OK) {
        hr = IMAPISession_Logoff(session, 0, 0, 0);
        IMAPISession_Release(session);
    }
    MAPIUninitialize();
    return hr;
}

static void test_crashes_on_several_threads(void **state)
{
    HANDLE threads[SESSIONS];
    char path[MAX_PATH];
    DWORD result;
    int i;

    write_temp_file("crashes.inf",
                    "[Services]\nFaulty = Faulty service\nGood = Good service\n"
                    "[Faulty]\nProviders = Bad\n[Bad]\nPR_PROVIDER_DLL_NAME = recorder.dll\n"
                    "PR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n6700001e = crash-logoff\n" GOOD_SERVICE,
                    path, sizeof(path));
    assert_int_equal(MAPIInitialize(NULL), S_OK); /* keeps the DLLs' count above 0 between the sessions */
    start_events();
    MapihostSetEventSink(append_event_locked, NULL);
    for (i = 0; i < SESSIONS; i++) assert_non_null(threads[i] = CreateThread(NULL, 0, crashing_session, path, 0, NULL));
    WaitForMultipleObjects(SESSIONS, threads, TRUE, INFINITE);
    for (i = 0; i < SESSIONS; i++) {
        GetExitCodeThread(threads[i], &result);
        CloseHandle(threads[i]);
        assert_int_equal(result, S_OK);
    }
    MapihostSetEventSink(append_event, NULL);
    DeleteFileA(path);
    assert_count(events, "VIOLATION Bad crashed in IABLogon::Logoff during its logoff (exception 0xc0000005", SESSIONS);
    assert_count(events, "step Good AB: IABLogon::Logoff(0) -> S_OK", SESSIONS);
    assert_count(events, "step sampleab32.dll: IABProvider::Release -> 0", SESSIONS);
    MAPIUninitialize();
    buffers_at_start = MapihostLiveBuffers(); /* the abandoned providers' buffers are their leak */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        lifecycle_test(test_thread_affine_provider),
        lifecycle_test(test_logoff_on_another_thread),
        lifecycle_test(test_crashes_on_several_threads),
    };

    InitializeCriticalSection(&events_cs);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
