/*
 * Helpers of the lifecycle tests: real sessions of mapihost.dll over real provider DLLs, nothing mocked. The host's
 * event lines and the recording fixture's call log are both plain text; the tests assert on the order of lines.
 */
#ifndef MAPIHOST_LIFECYCLE_H
#define MAPIHOST_LIFECYCLE_H

#include "test_support.h"
#include "files.h"
#include "mapihost_spi.h"

/* The recording fixture: the three samples in one DLL, with the faults a profile section asks for. */
#define RECORDER "recorder32.dll"

/* Every host event since start_events(), one per line: "step ...", "VIOLATION ...", "ERROR ...". */
static char events[1 << 17];

static inline void WINAPI append_event(void *context, ULONG severity, const char *line)
{
    static const char *const names[] = { "step", "VIOLATION", "ERROR" };
    size_t length = strlen(events);

    snprintf(events + length, sizeof(events) - length, "%s %s\n", names[severity], line);
}

static inline void start_events(void)
{
    events[0] = 0;
    MapihostSetEventSink(append_event, NULL);
}

/* The call log of a loaded provider DLL (its exported ProviderCallLog), or "" when it is not loaded. */
static inline const char *provider_log(const char *dll)
{
    HMODULE module = GetModuleHandleA(dll);
    const char *(WINAPI * get_log)(void);

    if (!module || !(get_log = (void *)GetProcAddress(module, "ProviderCallLog"))) return "";
    return get_log();
}

/* The provider objects, logons and other objects of a loaded sample DLL still alive. */
static inline LONG provider_live_objects(const char *dll)
{
    HMODULE module = GetModuleHandleA(dll);
    LONG(WINAPI * get_count)(void);

    if (!module || !(get_count = (void *)GetProcAddress(module, "ProviderLiveObjects"))) return -1;
    return get_count();
}

static inline ULONG count_of(const char *text, const char *needle)
{
    ULONG count = 0;

    for (text = strstr(text, needle); text; text = strstr(text + 1, needle)) count++;
    return count;
}

/* Each of the NULL-terminated lines appears in text after the one before it. */
#define assert_in_order(text, ...) check_in_order(#text, text, (const char *const[]){ __VA_ARGS__, NULL })
static inline void check_in_order(const char *what, const char *text, const char *const *lines)
{
    const char *position = text, *found;

    for (; *lines; lines++) {
        if (!(found = strstr(position, *lines)))
            fail_msg("%s: \"%s\" is missing, or comes too early, in:\n%s", what, *lines, text);
        position = found + strlen(*lines);
    }
}

#define assert_count(text, needle, expected)                                                                           \
    do {                                                                                                               \
        ULONG count_ = count_of((text), (needle));                                                                     \
        if (count_ != (expected))                                                                                      \
            fail_msg("\"%s\" appears %lu times, not %d, in:\n%s", (needle), count_, (int)(expected), (text));          \
    } while (0)

/* Runs command in a new process, its standard output and error into output when that is not NULL (an inheritable
 * handle), and returns its exit code. */
static inline DWORD run_process(const char *command, HANDLE output)
{
    STARTUPINFOA startup = { .cb = sizeof(startup) };
    PROCESS_INFORMATION process;
    char line[2048];
    DWORD code = 99;

    if (output) {
        startup.dwFlags = STARTF_USESTDHANDLES;
        startup.hStdOutput = startup.hStdError = output;
    }
    snprintf(line, sizeof(line), "%s", command);
    assert_true(CreateProcessA(NULL, line, NULL, NULL, output != NULL, 0, NULL, NULL, &startup, &process));
    WaitForSingleObject(process.hProcess, INFINITE);
    GetExitCodeProcess(process.hProcess, &code);
    CloseHandle(process.hProcess);
    CloseHandle(process.hThread);
    return code;
}

/* Writes a profile file and logs on to it by path. */
static inline IMAPISession *logon_profile(const char *name, const char *text, ULONG flags)
{
    IMAPISession *session = NULL;
    char path[MAX_PATH];

    write_temp_file(name, text, path, sizeof(path));
    assert_int_equal(MAPILogonEx(0, path, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | flags, &session), S_OK);
    DeleteFileA(path);
    assert_non_null(session);
    return session;
}

/* After Logoff: nothing of any provider is left in the session, whatever support objects providers still hold. */
static inline void assert_providers_gone(IMAPISession *session, MAPIHOST_SESSION_STATE *state)
{
    assert_int_equal(MapihostGetSessionState((IUnknown *)session, state), S_OK);
    assert_int_equal(state->uids, 0);        /* H13 */
    assert_int_equal(state->status_rows, 1); /* H14, H29: MAPI's own row only */
    assert_int_equal(state->logons, 0);      /* H15 */
    assert_int_equal(state->providers, 0);   /* H22 */
}

static inline void assert_session_clean(IMAPISession *session)
{
    MAPIHOST_SESSION_STATE state;

    assert_providers_gone(session, &state);
    assert_int_equal(state.supports, 0); /* H12 */
}

/* A good address book (the sample, in a DLL of its own) in a message service of its own, beside faulty ones. */
#define GOOD_SERVICE                                                                                                   \
    "[Good]\nProviders = Good AB\n"                                                                                    \
    "[Good AB]\nPR_PROVIDER_DLL_NAME = sampleab.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n" SAMPLE_AB_SETTINGS

/* The sample address book's settings section, under the MAPIUID fixed in its code, as its service entry writes it. */
#define SAMPLE_AB_SETTINGS                                                                                             \
    "[Sample AB settings]\nMAPIUID = 6D617069686F737453616D706C654142\n6610001F = the sample directory\n"

/* Initialises MAPI and logs on to a profile of two services: Faulty, of the providers and sections given, and
 * GOOD_SERVICE. */
static inline IMAPISession *logon_faulty(const char *providers, const char *sections, ULONG flags)
{
    char text[2048];

    snprintf(text, sizeof(text),
             "[Services]\nFaulty = Faulty service\nGood = Good service\n"
             "[Faulty]\nProviders = %s\n%s" GOOD_SERVICE,
             providers, sections);
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    start_events();
    return logon_profile("faulty.inf", text, flags);
}

/* After Logoff: the good address book went through its whole logon and shutdown. */
static inline void assert_good_shut_down(void)
{
    assert_in_order(events, "step Good AB: IABProvider::Logon -> S_OK", "step Good AB: IABLogon::Logoff(0) -> S_OK",
                    "step Good AB: IABLogon::Release -> 0", "step sampleab32.dll: IABProvider::Shutdown(&0) -> S_OK",
                    "step sampleab32.dll: IABProvider::Release -> 0");
}

/* Opens the first store of the session's message-store table. */
/* The session's first store, opened with flags (MDB_WRITE to change it); the answer must be expected. */
static inline IMsgStore *open_first_store_with(IMAPISession *session, ULONG flags, HRESULT expected)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
    IMsgStore *store = NULL;
    IMAPITable *table;
    SRowSet *rows;
    HRESULT hr;

    assert_int_equal(IMAPISession_GetMsgStoresTable(session, 0, &table), S_OK);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 1, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    hr = IMAPISession_OpenMsgStore(session, 0, rows->aRow[0].lpProps[0].Value.bin.cb,
                                   (ENTRYID *)rows->aRow[0].lpProps[0].Value.bin.lpb, NULL, flags, &store);
    assert_int_equal(hr, expected);
    MAPIFreeBuffer(rows->aRow[0].lpProps);
    MAPIFreeBuffer(rows);
    IMAPITable_Release(table);
    return store;
}

static inline IMsgStore *open_first_store(IMAPISession *session, HRESULT expected)
{
    return open_first_store_with(session, 0, expected);
}

/* The store's receive folder for IPM (the Inbox), opened to be changed. */
static inline IMAPIFolder *open_inbox(IMsgStore *store)
{
    IMAPIFolder *inbox;
    ENTRYID *entry_id;
    ULONG size, type;

    assert_int_equal(IMsgStore_GetReceiveFolder(store, (LPTSTR) "IPM", 0, &size, &entry_id, NULL), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(store, size, entry_id, NULL, MAPI_MODIFY, &type, (IUnknown **)&inbox), S_OK);
    MAPIFreeBuffer(entry_id);
    return inbox;
}

/* Runs command as a process of its own; what it writes (stdout and stderr) goes to output. Its exit code. */
static inline DWORD run_captured(const char *command, char *output, size_t size)
{
    SECURITY_ATTRIBUTES inherit = { sizeof(inherit), NULL, TRUE };
    char path[MAX_PATH];
    DWORD code, done = 0;
    HANDLE file;

    GetTempPathA(sizeof(path), path);
    snprintf(path + strlen(path), sizeof(path) - strlen(path), "mapihost-output-%lu.txt", GetCurrentProcessId());
    file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, CREATE_ALWAYS,
                       FILE_FLAG_DELETE_ON_CLOSE, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    code = run_process(command, file);
    SetFilePointer(file, 0, NULL, FILE_BEGIN);
    ReadFile(file, output, (DWORD)size - 1, &done, NULL);
    output[done] = 0;
    CloseHandle(file);
    return code;
}

/* MAPI buffers are counted around each test (H26); MAPI is initialised inside the tests, which check the unload. */
static ULONG buffers_at_start;

static inline int count_buffers(void **state)
{
    buffers_at_start = MapihostLiveBuffers();
    return 0;
}

static inline int check_buffers(void **state)
{
    ULONG leaked = MapihostLiveBuffers() - buffers_at_start;

    MapihostSetEventSink(NULL, NULL);
    if (leaked) print_error("%lu MAPI buffers leaked by the test\n", leaked);
    return leaked ? -1 : 0;
}

#define lifecycle_test(f) cmocka_unit_test_setup_teardown(f, count_buffers, check_buffers)

/* A session of a test's own over a profile file written for it (MAPI_NO_MAIL: no spooler), made by a group's setup
 * and ended by its teardown, which also checks for leaked buffers. */
static char own_profile_path[MAX_PATH];

/* A profile folder of the test's own (MAPIHOST_PROFILE_DIR), fresh for each test, with its MAPISVC.INF and profiles;
 * teardown_folder empties and removes it and checks the test's MAPI buffers. */
static char profile_folder[MAX_PATH];

static inline int setup_folder(void **state)
{
    GetTempPathA(sizeof(profile_folder), profile_folder);
    snprintf(profile_folder + strlen(profile_folder), sizeof(profile_folder) - strlen(profile_folder),
             "mapihost-profiles-%lu", GetCurrentProcessId());
    CreateDirectoryA(profile_folder, NULL);
    SetEnvironmentVariableA("MAPIHOST_PROFILE_DIR", profile_folder);
    return count_buffers(state);
}

static inline int teardown_folder(void **state)
{
    delete_files_in(profile_folder, "*", TRUE);
    SetEnvironmentVariableA("MAPIHOST_PROFILE_DIR", NULL);
    return check_buffers(state);
}

static inline int open_own_session(void **state, const char *name, const char *text, IMAPISession **session)
{
    count_buffers(state);
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    write_temp_file(name, text, own_profile_path, sizeof(own_profile_path));
    return MAPILogonEx(0, own_profile_path, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL, session) != S_OK;
}

static inline int close_own_session(void **state, IMAPISession *session)
{
    IMAPISession_Logoff(session, 0, 0, 0);
    IMAPISession_Release(session);
    DeleteFileA(own_profile_path);
    MAPIUninitialize();
    return check_buffers(state);
}

#endif
