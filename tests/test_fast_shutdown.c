/*
 * Fast shutdown (F1–F7), against the recording fixture as transport, address book and store
 * of one session. After DoFastShutdown a process has no MAPI left (F7), so each case is a process of its own: this
 * executable, run as "test_fast_shutdown child STEPS XP-FAULTS AB-FAULTS MS-FAULTS" ("-" for none), logs on, takes
 * the steps, prints the host's events with what the client got among them ("client: ..."), then the fixture's call
 * log, and exits. The tests set the user option FastShutdownBehavior in the registry, run such a process and read
 * what it printed.
 */
#include <fcntl.h>
#include <io.h>

#include "lifecycle.h"

#define POLICY_KEY "Software\\Policies\\Microsoft\\Office\\14.0\\Outlook\\Options\\Shutdown"
#define NO_POLICY -1

/* The fixture's three provider objects in the order fast shutdown must reach them (F4), each line of its log. */
#define CALLS(method)                                                                                                  \
    "IXPProvider: IMAPIProviderShutdown::" method "\n", "IABProvider: IMAPIProviderShutdown::" method "\n",            \
        "IMSProvider: IMAPIProviderShutdown::" method "\n"

/* ---- the child process ---- */

/* A line among the host's events, where it happened. */
static void print_client(const char *format, ...)
{
    size_t length = strlen(events);
    va_list args;

    va_start(args, format);
    length += vsnprintf(events + length, sizeof(events) - length, format, args);
    va_end(args);
    snprintf(events + length, sizeof(events) - length, "\n");
}

static void print_result(const char *what, HRESULT hr)
{
    if (hr == S_OK)
        print_client("client: %s -> S_OK", what);
    else
        print_client("client: %s -> %#lx", what, (unsigned long)hr);
}

static IMAPISession *logon_providers(const char *name, const char *xp, const char *ab, const char *ms)
{
    char text[1024], *end = text;

    /* Profile order is address book, store, transport: fast shutdown's order is not the profile's. */
    end += sprintf(end, "[Services]\nFast = Fast service\n[Fast]\nProviders = %s AB%s%s\n", name, ms ? ", Store" : "",
                   xp ? ", XP" : "");
    end += sprintf(end,
                   "[%s AB]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"
                   "6700001e = %s\n",
                   name, ab);
    if (ms)
        end += sprintf(end,
                       "[Store]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\n"
                       "6700001e = %s\n",
                       ms);
    if (xp)
        sprintf(end,
                "[XP]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"
                "6700001e = %s\n",
                xp);
    return logon_profile("fast.inf", text, 0);
}

/* What a client may still try after DoFastShutdown, though it should not (F7). */
static void try_after_done(IMAPISession *session, IMAPIClientShutdown *client, IMsgStore *store)
{
    IMAPISession *second = NULL;
    IAddrBook *address_book;

    print_result("after: IMAPISession::OpenAddressBook",
                 IMAPISession_OpenAddressBook(session, 0, NULL, 0, &address_book));
    print_result("after: IMAPISession::Logoff", IMAPISession_Logoff(session, 0, 0, 0));
    print_result("after: QueryFastShutdown", IMAPIClientShutdown_QueryFastShutdown(client));
    print_result("after: MAPILogonEx",
                 MAPILogonEx(0, (LPTSTR) "fast", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &second));
    IMAPIClientShutdown_Release(client);
    IMAPISession_Release(session);
    MAPIUninitialize();
    print_client("client: after MAPIUninitialize, recorder32.dll is %s",
                 GetModuleHandleA(RECORDER) ? "still loaded" : "unloaded");
    IMsgStore_Release(store); /* the only call into a provider allowed now: a Release */
}

static int run_child(const char *steps, const char *xp, const char *ab, const char *ms)
{
    static char calls[32768]; /* the fixture's log, kept before an orderly MAPIUninitialize unloads it */
    IMAPISession *session, *second = NULL;
    IMAPIClientShutdown *client;
    IUnknown *unknown;
    IMsgStore *store;
    const char *step;

    if (strstr(xp, "hang") || strstr(ab, "hang") || strstr(ms, "hang")) {
        SetEnvironmentVariableA("MAPIHOST_CALL_TIMEOUT", "500");
        MapihostAbandonHungCalls(TRUE);
    }
    MAPIInitialize(NULL);
    start_events();
    session = logon_providers("Fast", xp, ab, ms);
    store = open_first_store(session, S_OK);
    print_result("QueryInterface(IID_IMAPIClientShutdown)",
                 IMAPISession_QueryInterface(session, &IID_IMAPIClientShutdown, (void **)&client));
    IMAPIClientShutdown_QueryInterface(client, &IID_IUnknown, (void **)&unknown);
    print_client("client: its IUnknown is the session's: %s", unknown == (IUnknown *)session ? "yes" : "no");
    IUnknown_Release(unknown);
    for (step = steps; *step; step++) switch (*step) {
        case 'q': print_result("QueryFastShutdown", IMAPIClientShutdown_QueryFastShutdown(client)); break;
        case 'n': print_result("NotifyProcessShutdown", IMAPIClientShutdown_NotifyProcessShutdown(client)); break;
        case 'd': print_result("DoFastShutdown", IMAPIClientShutdown_DoFastShutdown(client)); break;
        case 's': second = logon_providers("Second", "-", "-", NULL); break; /* new provider objects */
        case 'a': try_after_done(session, client, store); break;
        case 'l':
            IMsgStore_Release(store);
            if (second) IMAPISession_Logoff(second, 0, 0, 0);
            print_result("IMAPISession::Logoff", IMAPISession_Logoff(session, 0, 0, 0));
            if (second) IMAPISession_Release(second);
            IMAPIClientShutdown_Release(client);
            IMAPISession_Release(session);
            snprintf(calls, sizeof(calls), "%s", provider_log(RECORDER));
            MAPIUninitialize();
            break;
        }
    _setmode(_fileno(stdout), _O_BINARY); /* lines end in \n, as the assertions expect */
    printf("=== events\n%s=== calls\n%s=== end\n", events, calls[0] ? calls : provider_log(RECORDER));
    fflush(stdout);
    ExitProcess(0); /* as a client does after DoFastShutdown: no more MAPI, no teardown */
}

/* ---- the tests ---- */

static void set_policy(LONG value)
{
    DWORD dword = value;

    if (value == NO_POLICY)
        RegDeleteKeyValueA(HKEY_CURRENT_USER, POLICY_KEY, "FastShutdownBehavior");
    else
        assert_int_equal(
            RegSetKeyValueA(HKEY_CURRENT_USER, POLICY_KEY, "FastShutdownBehavior", REG_DWORD, &dword, sizeof(dword)),
            ERROR_SUCCESS);
}

static char output[1 << 18];

/* Runs a child with the policy value given; output holds what it printed. Returns the fixture's call log in it. */
static LONG runs;

static const char *run(LONG policy, const char *steps, const char *xp, const char *ab, const char *ms)
{
    SECURITY_ATTRIBUTES inherit = { sizeof(inherit), NULL, TRUE };
    char command[MAX_PATH + 256], self[MAX_PATH], path[MAX_PATH];
    const char *calls;
    DWORD size = 0;
    HANDLE file;

    set_policy(policy);
    GetModuleFileNameA(NULL, self, sizeof(self));
    snprintf(command, sizeof(command), "\"%s\" child %s %s %s %s", self, steps, xp, ab, ms);
    GetTempPathA(sizeof(path), path);
    /* A name of its own per case: a handle the last case's child left to a process it started cannot block it. */
    snprintf(path + strlen(path), sizeof(path) - strlen(path), "mapihost-fast-%lu-%lu.txt", GetCurrentProcessId(),
             (unsigned long)InterlockedIncrement(&runs));
    file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, CREATE_ALWAYS,
                       FILE_FLAG_DELETE_ON_CLOSE, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    assert_int_equal(run_process(command, file), 0);
    SetFilePointer(file, 0, NULL, FILE_BEGIN);
    ReadFile(file, output, sizeof(output) - 1, &size, NULL);
    output[size] = 0;
    CloseHandle(file);
    set_policy(NO_POLICY);
    if (!strstr(output, "=== end\n")) fail_msg("the child process did not finish:\n%s", output);
    calls = strstr(output, "=== calls\n");
    return calls;
}

/* The whole fast path with every provider in favour: each call reaches transport, address book and store in that
 * order, DoFastShutdown returns S_OK, and afterwards nothing calls into a provider but the client's own Release. */
static void test_every_provider_agrees(void **state)
{
    const char *calls = run(NO_POLICY, "qnda", "-", "-", "-");

    assert_in_order(
        output, "client: QueryInterface(IID_IMAPIClientShutdown) -> S_OK", "client: its IUnknown is the session's: yes",
        "client: QueryFastShutdown -> S_OK", "client: NotifyProcessShutdown -> S_OK", "client: DoFastShutdown -> S_OK",
        "client: after: IMAPISession::OpenAddressBook -> 0x80040200",
        "client: after: IMAPISession::Logoff -> 0x80040200", "client: after: QueryFastShutdown -> 0x80040200",
        "client: after: MAPILogonEx -> 0x80040111", "client: after MAPIUninitialize, recorder32.dll is still loaded");
    assert_in_order(output, "step fast shutdown: IMAPIClientShutdown::QueryFastShutdown, FastShutdownBehavior 0",
                    "step recorder32.dll: IXPProvider: QueryInterface(IID_IMAPIProviderShutdown) -> S_OK",
                    "step recorder32.dll: IXPProvider: IMAPIProviderShutdown::QueryFastShutdown -> S_OK",
                    "step recorder32.dll: IABProvider: QueryInterface(IID_IMAPIProviderShutdown) -> S_OK",
                    "step recorder32.dll: IMSProvider: IMAPIProviderShutdown::QueryFastShutdown -> S_OK",
                    "step fast shutdown: QueryFastShutdown -> S_OK (3 providers asked, 0 refused, 0 without",
                    "step recorder32.dll: IMSProvider: IMAPIProviderShutdown::DoFastShutdown -> S_OK",
                    "ERROR MAPIUninitialize after DoFastShutdown",
                    "step MAPIUninitialize after DoFastShutdown: "
                    "nothing is torn down");
    assert_in_order(calls, CALLS("QueryFastShutdown"), CALLS("NotifyProcessShutdown"), CALLS("DoFastShutdown"));
    assert_in_order(calls, "IMSProvider: IMAPIProviderShutdown::DoFastShutdown\nIMsgStore::Release -> 0\n=== end\n");
    assert_count(calls, "IMAPIProviderShutdown::", 9);
    assert_count(calls, "Logoff", 0);
    assert_count(calls, "Shutdown(", 0);
    assert_count(output, "VIOLATION", 0);
    assert_count(output, "FreeLibrary", 0);
    assert_count(output, "IMAPIProviderShutdown::Release", 0);
}

/* A store that still calls MAPI after DoFastShutdown is told MAPI_E_END_OF_SESSION, and that is a violation; the host
 * makes no call back into it. */
static void test_provider_calls_after_done(void **state)
{
    const char *calls = run(NO_POLICY, "qnda", "-", "-", "fast-late-call");

    assert_in_order(output, "client: DoFastShutdown -> S_OK",
                    "VIOLATION Store called its support object after DoFastShutdown; MAPI_E_END_OF_SESSION");
    assert_in_order(calls, "IMSProvider: IMAPIProviderShutdown::DoFastShutdown\nIMsgStore::Release -> 0\n=== end");
}

/* FastShutdownBehavior 0: a provider without the interface does not count; one that returns an error (refusing, or
 * failing) makes the answer MAPI_E_NO_SUPPORT, every provider is still asked, and the orderly shutdown follows, with
 * each IMAPIProviderShutdown released before its provider object's final Release (F3). */
static void test_option_0(void **state)
{
    const char *calls = run(0, "qnd", "-", "fast-none", "-");

    assert_in_order(output, "client: QueryFastShutdown -> S_OK", "client: DoFastShutdown -> S_OK");
    assert_in_order(output, "IABProvider: QueryInterface(IID_IMAPIProviderShutdown) -> MAPI_E_INTERFACE_NOT_SUPPORTED",
                    "(2 providers asked, 0 refused, 1 without IMAPIProviderShutdown)");
    assert_count(calls, "IABProvider: IMAPIProviderShutdown", 0);
    assert_count(calls, "IMAPIProviderShutdown::DoFastShutdown", 2);

    calls = run(0, "qndl", "fast-refuse", "-", "fast-fail-query");
    assert_in_order(output, "client: QueryFastShutdown -> 0x80040102", "client: NotifyProcessShutdown -> S_OK",
                    "client: DoFastShutdown -> 0x80040102", "client: IMAPISession::Logoff -> S_OK");
    assert_in_order(output, "IXPProvider: IMAPIProviderShutdown::QueryFastShutdown -> MAPI_E_NO_SUPPORT",
                    "IMSProvider: IMAPIProviderShutdown::QueryFastShutdown -> MAPI_E_CALL_FAILED",
                    "(3 providers asked, 2 refused, 0 without",
                    "ERROR fast shutdown: NotifyProcessShutdown without a successful QueryFastShutdown",
                    "ERROR fast shutdown: DoFastShutdown without a successful QueryFastShutdown",
                    /* the client releases its store first, which logs it off (spec §4.2) */
                    "step recorder32.dll: IMSProvider::Shutdown(&0) -> S_OK",
                    "step recorder32.dll: IMAPIProviderShutdown::Release -> 1",
                    "step recorder32.dll: IMSProvider::Release -> 0",
                    "step recorder32.dll: IXPProvider::Shutdown(&0) -> S_OK",
                    "step recorder32.dll: IMAPIProviderShutdown::Release -> 1",
                    "step recorder32.dll: IXPProvider::Release -> 0", "step recorder32.dll: FreeLibrary");
    assert_in_order(calls, CALLS("QueryFastShutdown"), "IMSProvider::Shutdown", "IXPProvider::Shutdown",
                    "IABProvider::Shutdown");
    assert_count(calls, "NotifyProcessShutdown", 0);
    assert_count(calls, "DoFastShutdown", 0);
}

/* FastShutdownBehavior 1: S_OK only if every provider has the interface and says S_OK. */
static void test_option_1(void **state)
{
    const char *calls = run(1, "qnd", "-", "-", "-");

    assert_in_order(output, "FastShutdownBehavior 1: fast only if every provider opts in",
                    "client: QueryFastShutdown -> S_OK", "client: DoFastShutdown -> S_OK");
    assert_in_order(calls, CALLS("QueryFastShutdown"), CALLS("NotifyProcessShutdown"), CALLS("DoFastShutdown"));

    calls = run(1, "qndl", "-", "-", "fast-none");
    assert_in_order(output, "client: QueryFastShutdown -> 0x80040102", "client: DoFastShutdown -> 0x80040102",
                    "client: IMAPISession::Logoff -> S_OK");
    assert_in_order(output, "(2 providers asked, 0 refused, 1 without IMAPIProviderShutdown)");
    assert_count(calls, "DoFastShutdown", 0);
    assert_count(calls, "Shutdown(&0", 3);

    run(1, "q", "-", "fast-refuse", "-");
    assert_in_order(output, "(3 providers asked, 1 refused, 0 without", "client: QueryFastShutdown -> 0x80040102");
}

/* FastShutdownBehavior 2, and any value that is not 0, 1 or 2: never fast, and no provider is asked anything, not
 * even for the interface; Notify and Do call no provider either. */
static void test_option_2(void **state)
{
    static const LONG values[] = { 2, 7 };
    const char *calls;
    size_t i;

    for (i = 0; i < ARRAYSIZE(values); i++) {
        calls = run(values[i], "qndl", "-", "-", "-");
        assert_in_order(output, "FastShutdownBehavior 2: never fast", "client: QueryFastShutdown -> 0x80040102",
                        "client: NotifyProcessShutdown -> S_OK", "client: DoFastShutdown -> 0x80040102",
                        "client: IMAPISession::Logoff -> S_OK");
        assert_count(output, "QueryInterface(IID_IMAPIProviderShutdown)", 0);
        assert_count(output, "IMAPIProviderShutdown::Release", 0);
        assert_count(calls, "IMAPIProviderShutdown", 0);
        assert_count(calls, "Shutdown(&0", 3);
        assert_count(output, "is not a DWORD 0, 1 or 2; taken as 2", values[i] == 7);
    }
}

/* Notify and Do without a successful query forward nothing (F6); neither do they once a provider object appeared
 * after the query: a second session is new providers, asked at the next query after the first session's (F4). */
static void test_answer_must_hold(void **state)
{
    const char *calls = run(NO_POLICY, "ndl", "-", "-", "-");

    assert_in_order(output, "client: NotifyProcessShutdown -> S_OK", "client: DoFastShutdown -> 0x80040102",
                    "client: IMAPISession::Logoff -> S_OK");
    assert_count(calls, "IMAPIProviderShutdown", 0);

    calls = run(NO_POLICY, "qsdqnd", "-", "-", "-");
    assert_in_order(output, "client: QueryFastShutdown -> S_OK", "client: DoFastShutdown -> 0x80040102",
                    "client: QueryFastShutdown -> S_OK", "client: DoFastShutdown -> S_OK");
    assert_in_order(output, "(3 providers asked, 0 refused",
                    "ERROR fast shutdown: DoFastShutdown without a "
                    "successful QueryFastShutdown since the last provider object appeared",
                    "(5 providers asked");
    /* first session: transport, address book, store; then the second's transport and address book */
    assert_in_order(calls, CALLS("QueryFastShutdown"), CALLS("QueryFastShutdown"),
                    "IXPProvider: IMAPIProviderShutdown::QueryFastShutdown\n"
                    "IABProvider: IMAPIProviderShutdown::QueryFastShutdown\n"
                    "IXPProvider: IMAPIProviderShutdown::NotifyProcessShutdown");
    assert_count(calls, "DoFastShutdown", 5);
}

/* A provider that crashes or hangs in QueryFastShutdown is abandoned and counts as a refusal; the others are still
 * asked, and logged off in order afterwards. */
static void test_query_crashes_or_hangs(void **state)
{
    static const char *const faults[] = { "fast-crash-query", "fast-hang-query" };
    static const char *const reports[] = {
        "VIOLATION recorder32.dll (IABProvider) crashed during IMAPIProviderShutdown::QueryFastShutdown",
        "VIOLATION recorder32.dll (IABProvider) did not return from IMAPIProviderShutdown::QueryFastShutdown "
        "within 500 ms",
    };
    const char *calls;
    size_t i;

    for (i = 0; i < ARRAYSIZE(faults); i++) {
        calls = run(NO_POLICY, "ql", "-", faults[i], "-");
        assert_in_order(output, reports[i], "IMSProvider: IMAPIProviderShutdown::QueryFastShutdown -> S_OK",
                        "(3 providers asked, 1 refused", "client: QueryFastShutdown -> 0x80040102",
                        "step recorder32.dll: IXPProvider::Release -> 0", "client: IMAPISession::Logoff -> S_OK");
        assert_count(calls, "IABProvider::Shutdown", 0);
        assert_in_order(calls, "IMSProvider::Shutdown");
    }
}

/* Errors, crashes and hangs in NotifyProcessShutdown and DoFastShutdown are violations; the other providers are
 * still called, and DoFastShutdown still answers S_OK: the process ends either way. */
static void test_notify_and_do_faults(void **state)
{
    static const struct {
        const char *fault, *report;
    } cases[] = {
        { "fast-fail-notify", "VIOLATION recorder32.dll: IXPProvider: IMAPIProviderShutdown::NotifyProcessShutdown "
                              "returned MAPI_E_CALL_FAILED (0x80004005); only S_OK is documented" },
        { "fast-crash-notify", "VIOLATION recorder32.dll (IXPProvider) crashed during "
                               "IMAPIProviderShutdown::NotifyProcessShutdown" },
        { "fast-hang-notify", "VIOLATION recorder32.dll (IXPProvider) did not return from "
                              "IMAPIProviderShutdown::NotifyProcessShutdown within 500 ms" },
        { "fast-fail-do", "VIOLATION recorder32.dll: IXPProvider: IMAPIProviderShutdown::DoFastShutdown returned "
                          "MAPI_E_CALL_FAILED (0x80004005); only S_OK is documented, and the process ends now" },
        { "fast-crash-do", "VIOLATION recorder32.dll (IXPProvider) crashed during "
                           "IMAPIProviderShutdown::DoFastShutdown" },
        { "fast-hang-do", "VIOLATION recorder32.dll (IXPProvider) did not return from "
                          "IMAPIProviderShutdown::DoFastShutdown within 500 ms" },
    };
    const char *calls;
    size_t i;

    for (i = 0; i < ARRAYSIZE(cases); i++) {
        BOOL abandoned = !strstr(cases[i].fault, "fail");

        calls = run(NO_POLICY, "qnd", cases[i].fault, "-", "-");
        assert_in_order(output, "client: QueryFastShutdown -> S_OK", "client: NotifyProcessShutdown -> S_OK",
                        "client: DoFastShutdown -> S_OK");
        assert_in_order(output, cases[i].report,
                        "step recorder32.dll: IMSProvider: IMAPIProviderShutdown::"
                        "DoFastShutdown -> S_OK",
                        "step fast shutdown: DoFastShutdown -> S_OK");
        /* an abandoned transport gets no DoFastShutdown after its Notify crashed or hung */
        assert_count(calls, "IXPProvider: IMAPIProviderShutdown::DoFastShutdown",
                     abandoned && strstr(cases[i].fault, "notify") ? 0 : 1);
        assert_count(calls, "IMAPIProviderShutdown::DoFastShutdown",
                     abandoned && strstr(cases[i].fault, "notify") ? 2 : 3);
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_provider_agrees),
        cmocka_unit_test(test_provider_calls_after_done),
        cmocka_unit_test(test_option_0),
        cmocka_unit_test(test_option_1),
        cmocka_unit_test(test_option_2),
        cmocka_unit_test(test_answer_must_hold),
        cmocka_unit_test(test_query_crashes_or_hangs),
        cmocka_unit_test(test_notify_and_do_faults),
    };

    if (argc == 6 && !strcmp(argv[1], "child")) return run_child(argv[2], argv[3], argv[4], argv[5]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
