/*
 * Message services and profile administration (spec part S), end to end: mapihost.dll, the recording fixture's
 * service entries (tests/fixtures/recorder/service_faults.c), MAPISVC.INF and profiles in a folder of the test's own,
 * and mapiprof.exe as a second process. Nothing is mocked. The entries that crash or hang run last: they leave the
 * fixture's DLL loaded for the rest of the process.
 */
#include "lifecycle.h"
#include "mapihost_util.h"

#define PR_SAMPLE_SETTING PROP_TAG(PT_UNICODE, 0x6610)
static const MAPIUID settings_uid = { { 'm', 'a', 'p', 'i', 'h', 'o', 's', 't', 'S', 'a', 'm', 'p', 'l', 'e', 'A',
                                        'B' } };
#define SETTINGS_UID_TEXT "6D617069686F737453616D706C654142"

/* MAPISVC.INF in the profile folder: the service FIXTURE over the recorder's address book, with entry entry. */
static void write_mapisvc(const char *entry, const char *faults)
{
    char path[MAX_PATH];
    FILE *file;

    snprintf(path, sizeof(path), "%s\\MAPISVC.INF", profile_folder);
    assert_non_null(file = fopen(path, "wb"));
    fprintf(file,
            "[Services]\nFIXTURE = the fixture service\n[FIXTURE]\nPR_SERVICE_DLL_NAME = recorder.dll\n"
            "PR_SERVICE_ENTRY_NAME = %s\nProviders = Fixture AB\n[Fixture AB]\nPR_PROVIDER_DLL_NAME = recorder.dll\n"
            "PR_RESOURCE_TYPE = MAPI_AB_PROVIDER\nPR_DISPLAY_NAME = Fixture AB\n6700001e = %s\n",
            entry, faults);
    fclose(file);
}

#define services_test(f) cmocka_unit_test_setup_teardown(f, setup_folder, teardown_folder)

/* The whole of a file in the profile folder, for comparisons; NULL when there is none. */
static char *file_text(const char *name)
{
    static char text[1 << 16];
    char path[MAX_PATH];
    size_t length;
    FILE *file;

    snprintf(path, sizeof(path), "%s\\%s", profile_folder, name);
    if (!(file = fopen(path, "rb"))) return NULL;
    length = fread(text, 1, sizeof(text) - 1, file);
    fclose(file);
    text[length] = 0;
    return text;
}

/* Runs mapiprof.exe with args; its stdout and stderr go to output. Returns its exit code. */
static DWORD run_tool(const char *args, char *output, size_t size)
{
    char command[2048];

    snprintf(command, sizeof(command), "mapiprof.exe %s", args);
    return run_captured(command, output, size);
}

/* A profile of the FIXTURE service, made through IProfAdmin and IMsgServiceAdmin2. */
static IMsgServiceAdmin *create_profile(const char *name, IProfAdmin **admin, MAPIUID *service)
{
    IMsgServiceAdmin2 *services2;
    IMsgServiceAdmin *services;

    assert_int_equal(MAPIAdminProfiles(0, admin), S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(*admin, (LPTSTR)name, NULL, 0, 0), S_OK);
    assert_int_equal(IProfAdmin_AdminServices(*admin, (LPTSTR)name, NULL, 0, 0, &services), S_OK);
    assert_int_equal(IMsgServiceAdmin_QueryInterface(services, &IID_IMsgServiceAdmin2, (void **)&services2), S_OK);
    assert_int_equal(IMsgServiceAdmin2_CreateMsgServiceEx(services2, "FIXTURE", NULL, 0, 0, service), S_OK);
    IMsgServiceAdmin2_Release(services2);
    return services;
}

/* The end of a test's administration: its objects released, MAPI uninitialised. */
static void close_profile(IMsgServiceAdmin *services, IProfAdmin *admin)
{
    IMsgServiceAdmin_Release(services);
    IProfAdmin_Release(admin);
    MAPIUninitialize();
}

/* PR_SAMPLE_SETTING of the settings section, or "" when it has none. */
static const char *setting_of(IMsgServiceAdmin *services)
{
    SizedSPropTagArray(1, tags) = { 1, { PROP_TAG(PT_STRING8, 0x6610) } };
    static char text[256];
    SPropValue *values;
    IProfSect *section;
    ULONG count;

    text[0] = 0;
    assert_int_equal(IMsgServiceAdmin_OpenProfileSection(services, (MAPIUID *)&settings_uid, NULL, 0, &section), S_OK);
    if (IProfSect_GetProps(section, (SPropTagArray *)&tags, 0, &count, &values) == S_OK)
        snprintf(text, sizeof(text), "%s", values[0].Value.lpszA);
    MAPIFreeBuffer(values);
    IProfSect_Release(section);
    return text;
}

static ULONG row_count(IMAPITable *table)
{
    ULONG count = 0;

    assert_int_equal(IMAPITable_GetRowCount(table, 0, &count), S_OK);
    IMAPITable_Release(table);
    return count;
}

/* S33: every context reaches the entry, with a support object and the service's IProviderAdmin. */
static void test_every_context(void **state)
{
    SPropValue setting = { PR_SAMPLE_SETTING, 0, { .lpszW = (WCHAR *)L"given" } };
    IMsgServiceAdmin *services;
    IProviderAdmin *providers;
    IMAPISession *session;
    IMAPITable *table;
    IProfAdmin *admin;
    MAPIUID service, provider;

    write_mapisvc("RecordEntry", "needs-settings");
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    start_events();
    services = create_profile("contexts", &admin, &service);
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(services, &service, 0, SERVICE_UI_ALLOWED, 1, &setting),
                     S_OK);
    assert_string_equal(setting_of(services), "given");
    assert_int_equal(IMsgServiceAdmin_AdminProviders(services, &service, 0, &providers), S_OK);
    assert_int_equal(IProviderAdmin_CreateProvider(providers, "Fixture AB", 0, NULL, 0, 0, &provider), S_OK);
    assert_int_equal(IProviderAdmin_GetProviderTable(providers, 0, &table), S_OK);
    assert_int_equal(row_count(table), 2);
    assert_int_equal(IProviderAdmin_DeleteProvider(providers, &provider), S_OK);
    assert_int_equal(IProviderAdmin_DeleteProvider(providers, &provider), MAPI_E_NOT_FOUND);
    IProviderAdmin_Release(providers);

    /* The setting is there for the provider's own fixed MAPIUID: it logs on. */
    assert_int_equal(MAPILogonEx(0, "contexts", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session), S_OK);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    assert_session_clean(session);
    IMAPISession_Release(session);

    assert_int_equal(IMsgServiceAdmin_DeleteMsgService(services, &service), S_OK);
    assert_int_equal(IMsgServiceAdmin_GetMsgServiceTable(services, 0, &table), S_OK);
    assert_int_equal(row_count(table), 0);
    assert_int_equal(MapihostInstallService("FIXTURE", FALSE, 0, 0), S_OK);
    assert_int_equal(MapihostInstallService("FIXTURE", TRUE, 0, 0), S_OK);
    assert_in_order(provider_log(RECORDER), "RecordEntry(context 2, flags 0, 0 properties, support yes, admin yes)",
                    "RecordEntry(context 3, flags 0x10, 1 properties, support yes, admin yes)",
                    "RecordEntry(context 6, flags 0, 0 properties, support yes, admin yes)",
                    "RecordEntry(context 7, flags 0, 0 properties, support yes, admin yes)", "IABProvider::Logon",
                    "RecordEntry(context 4, flags 0, 0 properties", "RecordEntry(context 1, flags 0, 0 properties",
                    "RecordEntry(context 5, flags 0, 0 properties");
    assert_in_order(events, "service FIXTURE: recorder32.dll!RecordEntry(MSG_SERVICE_CREATE",
                    "recorder32.dll!RecordEntry(MSG_SERVICE_CONFIGURE, flags 0x10, 1 properties) -> S_OK",
                    "MSG_SERVICE_PROVIDER_CREATE", "MSG_SERVICE_PROVIDER_DELETE", "MSG_SERVICE_DELETE",
                    "MSG_SERVICE_INSTALL", "MSG_SERVICE_UNINSTALL");
    assert_int_equal(IProfAdmin_DeleteProfile(admin, "contexts", 0), S_OK);
    close_profile(services, admin);
    assert_null(GetModuleHandleA(RECORDER)); /* H23: the service DLL goes with the last MAPIUninitialize */
}

/* S34: MAPI_E_UNCONFIGURED, the entry with MSG_SERVICE_CONFIGURE, then one more logon that succeeds. */
static void test_unconfigured_then_configured(void **state)
{
    SizedSPropTagArray(1, tags) = { 1, { PR_SAMPLE_SETTING } };
    IMsgServiceAdmin *services;
    IMAPISession *session;
    IProfSect *section;
    IProfAdmin *admin;
    MAPIUID service;

    write_mapisvc("RecordEntry", "needs-settings");
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    services = create_profile("retry", &admin, &service);
    assert_int_equal(
        IMsgServiceAdmin_OpenProfileSection(services, (MAPIUID *)&settings_uid, NULL, MAPI_MODIFY, &section), S_OK);
    assert_int_equal(IProfSect_DeleteProps(section, (SPropTagArray *)&tags, NULL), S_OK);
    IProfSect_Release(section);
    start_events();
    assert_int_equal(MAPILogonEx(0, "retry", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session), S_OK);
    assert_in_order(events, "Fixture AB: IABProvider::Logon -> MAPI_E_UNCONFIGURED",
                    "Fixture AB: MAPI_E_UNCONFIGURED: service FIXTURE is configured through its entry point",
                    "recorder32.dll!RecordEntry(MSG_SERVICE_CONFIGURE, flags 0, 0 properties) -> S_OK",
                    "Fixture AB: IABProvider::Logon -> S_OK");
    assert_count(provider_log(RECORDER), "IABProvider::Logon", 2);
    assert_string_equal(setting_of(services), "written by the service entry");
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    assert_session_clean(session);
    IMAPISession_Release(session);

    /* A logon that allows UI lets the entry show its property sheet: SERVICE_UI_ALLOWED. */
    assert_int_equal(
        IMsgServiceAdmin_OpenProfileSection(services, (MAPIUID *)&settings_uid, NULL, MAPI_MODIFY, &section), S_OK);
    assert_int_equal(IProfSect_DeleteProps(section, (SPropTagArray *)&tags, NULL), S_OK);
    IProfSect_Release(section);
    assert_int_equal(MAPILogonEx(0, "retry", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_LOGON_UI, &session), S_OK);
    assert_in_order(events, "recorder32.dll!RecordEntry(MSG_SERVICE_CONFIGURE, flags 0x10, 0 properties) -> S_OK");
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    IMAPISession_Release(session);
    close_profile(services, admin);
    assert_null(GetModuleHandleA(RECORDER));
}

/* S34: a provider still unconfigured after its entry configured it gets no third try, and H8 applies. */
static void test_still_unconfigured(void **state)
{
    IMsgServiceAdmin *services;
    IMAPISession *session;
    IProfAdmin *admin;
    MAPIUID service;

    write_mapisvc("RecordEntry", "unconfigured");
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    services = create_profile("stubborn", &admin, &service);
    start_events();
    assert_int_equal(MAPILogonEx(0, "stubborn", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session), S_OK);
    assert_count(provider_log(RECORDER), "IABProvider::Logon", 2);
    assert_count(events, "MSG_SERVICE_CONFIGURE", 1);
    assert_in_order(events,
                    "ERROR Fixture AB is still unconfigured after its service entry configured it; no "
                    "further try (S34)",
                    "ERROR Fixture AB failed with MAPI_E_UNCONFIGURED",
                    "message service FIXTURE is disabled for the session (H8)");
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    assert_session_clean(session);
    IMAPISession_Release(session);
    close_profile(services, admin);
    assert_null(GetModuleHandleA(RECORDER));
}

/* An entry that fails, or cancels after writing half its settings, leaves the profile as it was. */
static void check_entry_refused(const char *entry, HRESULT expected, const char *event)
{
    SPropValue setting = { PR_SAMPLE_SETTING, 0, { .lpszW = (WCHAR *)L"never kept" } };
    IMsgServiceAdmin *services;
    IProfAdmin *admin;
    MAPIUID service;
    char *before, path[MAX_PATH];

    snprintf(path, sizeof(path), "%s.inf", entry);
    write_mapisvc(entry, "");
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    services = create_profile(entry, &admin, &service);
    assert_non_null(before = _strdup(file_text(path)));
    assert_string_equal(setting_of(services), "");
    start_events();
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(services, &service, 0, 0, 1, &setting), expected);
    assert_in_order(events, event, "the profile is left as it was");
    assert_string_equal(file_text(path), before);
    assert_string_equal(setting_of(services), "");
    free(before);
    close_profile(services, admin);
}

static void test_entry_fails(void **state)
{
    check_entry_refused("FailEntry", MAPI_E_NO_ACCESS,
                        "ERROR service FIXTURE: MSG_SERVICE_CONFIGURE failed with "
                        "MAPI_E_NO_ACCESS");
    check_entry_refused("CancelEntry", MAPI_E_USER_CANCEL,
                        "ERROR service FIXTURE: MSG_SERVICE_CONFIGURE failed with "
                        "MAPI_E_USER_CANCEL");
}

static void test_entry_crashes(void **state)
{
    check_entry_refused("CrashEntry", MAPI_E_CALL_FAILED,
                        "ERROR service FIXTURE: its service entry crashed during "
                        "MSG_SERVICE_CONFIGURE");
    buffers_at_start = MapihostLiveBuffers(); /* the abandoned entry's buffers are its leak */
}

static void test_entry_hangs(void **state)
{
    SetEnvironmentVariableA("MAPIHOST_CALL_TIMEOUT", "1000");
    MapihostAbandonHungCalls(TRUE);
    check_entry_refused("HangEntry", MAPI_E_CALL_FAILED,
                        "ERROR service FIXTURE: its service entry did not return "
                        "from MSG_SERVICE_CONFIGURE within 1000 ms");
    MapihostAbandonHungCalls(FALSE);
    SetEnvironmentVariableA("MAPIHOST_CALL_TIMEOUT", NULL);
    buffers_at_start = MapihostLiveBuffers();
}

/* What one process writes, another reads: every storable property type, through mapiprof show. */
static void test_persistence_across_processes(void **state)
{
    static BYTE bytes[] = { 0x00, 0xff, 0x10 };
    static GUID guid = { 0x01234567, 0x89ab, 0xcdef, { 1, 2, 3, 4, 5, 6, 7, 8 } };
    static LONG longs[] = { 1, -2, 3 };
    static char *strings[] = { "one, two", "", "\"quoted\"" };
    SPropValue values[] = {
        { PROP_TAG(PT_I2, 0x6620), 0, { .i = -7 } },
        { PROP_TAG(PT_LONG, 0x6621), 0, { .l = 12345678 } },
        { PROP_TAG(PT_R4, 0x6622), 0, { .flt = 0.1f } },
        { PROP_TAG(PT_DOUBLE, 0x6623), 0, { .dbl = 2.718281828459045 } },
        { PROP_TAG(PT_BOOLEAN, 0x6624), 0, { .b = 1 } },
        { PROP_TAG(PT_I8, 0x6625), 0, { .li.QuadPart = -1234567890123LL } },
        { PROP_TAG(PT_STRING8, 0x6626), 0, { .lpszA = (char *)"  spaces, \"quotes\"\nand a line  " } },
        { PROP_TAG(PT_UNICODE, 0x6627),
          0,
          { .lpszW = (WCHAR *)L"Gr\x00fc\x00df"
                              L"e \x263a" } },
        { PROP_TAG(PT_BINARY, 0x6628), 0, { .bin = { sizeof(bytes), bytes } } },
        { PROP_TAG(PT_CLSID, 0x6629), 0, { .lpguid = &guid } },
        { PROP_TAG(PT_SYSTIME, 0x662A), 0, { .li.QuadPart = 133000000000000000LL } },
        { PROP_TAG(PT_MV_LONG, 0x662B), 0, { .MVl = { 3, longs } } },
        { PROP_TAG(PT_MV_STRING8, 0x662C), 0, { .MVszA = { 3, strings } } },
        { PROP_TAG(PT_CURRENCY, 0x662D), 0, { .li.QuadPart = 99990000 } },
        { PROP_TAG(PT_APPTIME, 0x662E), 0, { .dbl = 45000.5 } },
        { PROP_TAG(PT_ERROR, 0x662F), 0, { .err = MAPI_E_NOT_FOUND } },
    };
    IMsgServiceAdmin *services;
    IProfSect *section;
    SPropValue *read, *mine;
    IProfAdmin *admin;
    char output[8192];
    MAPIUID service;
    ULONG count;

    write_mapisvc("RecordEntry", "");
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    services = create_profile("persist", &admin, &service);
    assert_int_equal(
        IMsgServiceAdmin_OpenProfileSection(services, (MAPIUID *)&settings_uid, NULL, MAPI_MODIFY, &section), S_OK);
    assert_int_equal(IProfSect_SetProps(section, ARRAYSIZE(values), values, NULL), S_OK);
    IProfSect_Release(section);
    close_profile(services, admin);

    assert_int_equal(run_tool("show persist", output, sizeof(output)), 0);
    assert_in_order(output, "MAPIUID " SETTINGS_UID_TEXT, "66200002 = -7", "66210003 = 0xbc614e",
                    "66220004 = 0.100000001", "66230005 = 2.7182818284590451", "6624000B = TRUE",
                    "66250014 = -1234567890123", "6626001F = \"  spaces, \\\"quotes\\\"\\nand a line  \"",
                    "6627001F = Gr\xc3\xbc\xc3\x9f"
                    "e \xe2\x98\xba",
                    "66280102 = 00FF10", "66290048 = {01234567-89AB-CDEF-0102-030405060708}",
                    "662A0040 = 133000000000000000", "662B1003 = 1, -2, 3",
                    "662C101E = \"one, two\", \"\", \"\\\"quoted\\\"\"", "662D0006 = 99990000", "662E0007 = 45000.5",
                    "662F000A = (error MAPI_E_NOT_FOUND");

    /* And back in this process, from the file, value for value. */
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    assert_int_equal(MAPIAdminProfiles(0, &admin), S_OK);
    assert_int_equal(IProfAdmin_AdminServices(admin, "persist", NULL, 0, 0, &services), S_OK);
    assert_int_equal(IMsgServiceAdmin_OpenProfileSection(services, (MAPIUID *)&settings_uid, NULL, 0, &section), S_OK);
    assert_int_equal(IProfSect_GetProps(section, NULL, MAPI_UNICODE, &count, &read), S_OK);
    assert_int_equal(count, ARRAYSIZE(values) + 1 /* the entry's setting */ + 2 /* computed */);
    mine = read + 1; /* after the entry's own setting */
    assert_int_equal(mine[0].Value.i, -7);
    assert_int_equal(mine[1].Value.l, 12345678);
    assert_true(mine[2].Value.flt == 0.1f);
    assert_true(mine[3].Value.dbl == 2.718281828459045);
    assert_int_equal(mine[4].Value.b, 1);
    assert_int_equal(mine[5].Value.li.QuadPart, -1234567890123LL);
    assert_int_equal(mine[6].ulPropTag, PROP_TAG(PT_UNICODE, 0x6626)); /* asked for in Unicode */
    assert_true(!lstrcmpW(mine[6].Value.lpszW, L"  spaces, \"quotes\"\nand a line  "));
    assert_true(!lstrcmpW(mine[7].Value.lpszW, L"Gr\x00fc\x00df"
                                               L"e \x263a"));
    assert_memory_equal(mine[8].Value.bin.lpb, bytes, sizeof(bytes));
    assert_memory_equal(mine[9].Value.lpguid, &guid, sizeof(guid));
    assert_int_equal(mine[10].Value.li.QuadPart, 133000000000000000LL);
    assert_int_equal(mine[11].Value.MVl.cValues, 3);
    assert_int_equal(mine[11].Value.MVl.lpl[1], -2);
    assert_int_equal(mine[12].Value.MVszA.cValues, 3);
    assert_string_equal(mine[12].Value.MVszA.lppszA[0], "one, two");
    assert_string_equal(mine[12].Value.MVszA.lppszA[1], "");
    assert_string_equal(mine[12].Value.MVszA.lppszA[2], "\"quoted\""); /* multi-valued: as stored */
    assert_int_equal(mine[13].Value.li.QuadPart, 99990000);
    assert_true(mine[14].Value.dbl == 45000.5);
    assert_int_equal(mine[15].Value.err, MAPI_E_NOT_FOUND);
    MAPIFreeBuffer(read);
    IProfSect_Release(section);
    close_profile(services, admin);
}

/* A crash between writing the new file and replacing the old leaves the old profile whole. */
static void test_crash_mid_write(void **state)
{
    char output[8192], *before;
    IProfAdmin *admin;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    assert_int_equal(MAPIAdminProfiles(0, &admin), S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(admin, "atomic", NULL, 0, 0), S_OK);
    IProfAdmin_Release(admin);
    MAPIUninitialize();
    assert_int_equal(run_tool("set atomic " SETTINGS_UID_TEXT " --new 6610001F=old", output, sizeof(output)), 0);
    assert_non_null(before = _strdup(file_text("atomic.inf")));

    SetEnvironmentVariableA("MAPIHOST_FAULT", "profile-before-replace");
    assert_int_equal(run_tool("set atomic " SETTINGS_UID_TEXT " 6610001F=new", output, sizeof(output)), 3);
    SetEnvironmentVariableA("MAPIHOST_FAULT", NULL);
    assert_string_equal(file_text("atomic.inf"), before);
    assert_non_null(strstr(file_text("atomic.inf.new"), "6610001F = new")); /* the new file, never renamed */
    assert_int_equal(run_tool("show atomic", output, sizeof(output)), 0);
    assert_non_null(strstr(output, "6610001F = old"));
    assert_int_equal(run_tool("set atomic " SETTINGS_UID_TEXT " 6610001F=new", output, sizeof(output)), 0);
    assert_non_null(strstr(file_text("atomic.inf"), "6610001F = new"));
    free(before);
}

/* The lock file: a writer waits for it, then gives up with a clear error; and a process whose copy is older than
 * the file is refused rather than overwriting another's change. */
static void test_lock_and_concurrent_change(void **state)
{
    SPropValue value = { PROP_TAG(PT_STRING8, 0x6610), 0, { .lpszA = (char *)"mine" } };
    char output[8192], lock_path[MAX_PATH];
    IMsgServiceAdmin *services;
    IProfSect *section;
    IProfAdmin *admin;
    HANDLE lock;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    assert_int_equal(MAPIAdminProfiles(0, &admin), S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(admin, "shared", NULL, 0, 0), S_OK);
    assert_int_equal(IProfAdmin_AdminServices(admin, "shared", NULL, 0, 0, &services), S_OK);
    assert_int_equal(
        IMsgServiceAdmin_OpenProfileSection(services, (MAPIUID *)&settings_uid, NULL, MAPI_MODIFY, &section), S_OK);
    start_events();
    snprintf(lock_path, sizeof(lock_path), "%s\\shared.inf.lock", profile_folder);
    lock = CreateFileA(lock_path, GENERIC_WRITE, 0, NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(lock != INVALID_HANDLE_VALUE);
    SetEnvironmentVariableA("MAPIHOST_PROFILE_LOCK_TIMEOUT", "200");
    assert_int_equal(IProfSect_SetProps(section, 1, &value, NULL), MAPI_E_BUSY);
    SetEnvironmentVariableA("MAPIHOST_PROFILE_LOCK_TIMEOUT", NULL);
    assert_in_order(events, "is locked by another process", "nothing was written");
    CloseHandle(lock);
    assert_int_equal(IProfSect_SetProps(section, 1, &value, NULL), S_OK);
    assert_int_equal(GetFileAttributesA(lock_path), INVALID_FILE_ATTRIBUTES); /* the host's lock goes with it */

    /* Another process changes the file: this one's next change is refused, and the file keeps the other's. */
    assert_int_equal(run_tool("set shared " SETTINGS_UID_TEXT " 6611001F=theirs", output, sizeof(output)), 0);
    value.Value.lpszA = (char *)"mine again";
    assert_int_equal(IProfSect_SetProps(section, 1, &value, NULL), MAPI_E_OBJECT_CHANGED);
    assert_in_order(events, "was changed by another process since this one read it");
    assert_non_null(strstr(file_text("shared.inf"), "6611001F = theirs"));
    assert_non_null(strstr(file_text("shared.inf"), "6610001E = mine\n"));
    IProfSect_Release(section);
    close_profile(services, admin);
}

/* Another process reading the profile without sharing its deletion holds it a moment. */
static DWORD WINAPI hold_for_a_moment(void *handle)
{
    Sleep(300);
    CloseHandle(handle);
    return 0;
}

/* Faults say what happened, and lose nothing: a read-only profile is refused at once and stays as it was, read-only;
 * a full disk is MAPI_E_NOT_ENOUGH_DISK with the system's reason; a reader holding the file for a moment is waited
 * for, not failed. */
static void test_write_faults(void **state)
{
    SPropValue value = { PROP_TAG(PT_STRING8, 0x6610), 0, { .lpszA = (char *)"changed" } };
    char path[MAX_PATH], *before;
    IMsgServiceAdmin *services;
    IProfSect *section;
    IProfAdmin *admin;
    ULONGLONG start;
    HANDLE reader;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    assert_int_equal(MAPIAdminProfiles(0, &admin), S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(admin, "faults", NULL, 0, 0), S_OK);
    assert_int_equal(IProfAdmin_AdminServices(admin, "faults", NULL, 0, 0, &services), S_OK);
    assert_int_equal(
        IMsgServiceAdmin_OpenProfileSection(services, (MAPIUID *)&settings_uid, NULL, MAPI_MODIFY, &section), S_OK);
    start_events();
    snprintf(path, sizeof(path), "%s\\faults.inf", profile_folder);
    assert_non_null(before = _strdup(file_text("faults.inf")));

    assert_true(SetFileAttributesA(path, FILE_ATTRIBUTE_READONLY));
    start = GetTickCount64();
    assert_int_equal(IProfSect_SetProps(section, 1, &value, NULL), MAPI_E_NO_ACCESS);
    assert_true(GetTickCount64() - start < 1000); /* at once, not after the lock's time-out */
    assert_in_order(events, "faults.inf is read-only; the change was not written and the file is unchanged");
    assert_true(GetFileAttributesA(path) & FILE_ATTRIBUTE_READONLY);
    assert_string_equal(file_text("faults.inf"), before);
    assert_true(SetFileAttributesA(path, FILE_ATTRIBUTE_NORMAL));

    SetEnvironmentVariableA("MAPIHOST_FAULT", "profile-disk-full");
    assert_int_equal(IProfSect_SetProps(section, 1, &value, NULL), MAPI_E_NOT_ENOUGH_DISK);
    SetEnvironmentVariableA("MAPIHOST_FAULT", NULL);
    assert_in_order(events, "(Win32 error 112); the profile is unchanged");
    assert_string_equal(file_text("faults.inf"), before);

    reader = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    assert_true(reader != INVALID_HANDLE_VALUE);
    CloseHandle(CreateThread(NULL, 0, hold_for_a_moment, reader, 0, NULL));
    assert_int_equal(IProfSect_SetProps(section, 1, &value, NULL), S_OK);
    assert_non_null(strstr(file_text("faults.inf"), "6610001E = changed"));
    free(before);
    IProfSect_Release(section);
    close_profile(services, admin);
}

/* Profiles: create, copy, rename, default, the default profile at logon, delete. */
static void test_profile_administration(void **state)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_DISPLAY_NAME_A, PR_DEFAULT_PROFILE } };
    IMsgServiceAdmin *services;
    IMAPISession *session;
    IMAPITable *table;
    IProfAdmin *admin;
    SRowSet *rows;
    MAPIUID service;
    ULONG i;

    write_mapisvc("RecordEntry", "");
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    services = create_profile("first", &admin, &service);
    IMsgServiceAdmin_Release(services);
    assert_int_equal(IProfAdmin_CreateProfile(admin, "first", NULL, 0, 0), MAPI_E_NO_ACCESS);
    assert_int_equal(IProfAdmin_CreateProfile(admin, " bad", NULL, 0, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IProfAdmin_CopyProfile(admin, "first", NULL, "second", 0, 0), S_OK);
    assert_int_equal(IProfAdmin_CopyProfile(admin, "first", NULL, "second", 0, 0), MAPI_E_NO_ACCESS);
    assert_int_equal(IProfAdmin_RenameProfile(admin, "second", NULL, "third", 0, 0), S_OK);
    assert_int_equal(IProfAdmin_SetDefaultProfile(admin, "third", 0), S_OK);
    assert_int_equal(IProfAdmin_SetDefaultProfile(admin, "nowhere", 0), MAPI_E_NOT_FOUND);
    assert_int_equal(IProfAdmin_GetProfileTable(admin, 0, &table), S_OK);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 2);
    for (i = 0; i < rows->cRows; i++) {
        assert_true(!strcmp(rows->aRow[i].lpProps[0].Value.lpszA, "first")
                    || !strcmp(rows->aRow[i].lpProps[0].Value.lpszA, "third"));
        assert_int_equal(rows->aRow[i].lpProps[1].Value.b, !strcmp(rows->aRow[i].lpProps[0].Value.lpszA, "third"));
        MAPIFreeBuffer(rows->aRow[i].lpProps);
    }
    MAPIFreeBuffer(rows);
    IMAPITable_Release(table);
    /* MAPI_USE_DEFAULT, and no name at all: the default profile (S15). */
    start_events();
    assert_int_equal(MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session), S_OK);
    assert_in_order(events, "session third: MAPILogonEx over");
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    IMAPISession_Release(session);
    assert_int_equal(MAPILogonEx(0, "first", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_USE_DEFAULT, &session),
                     S_OK);
    assert_in_order(events, "session third: MAPILogonEx over");
    /* A profile deleted while in use stays usable for its session and is gone for everyone else (S12). */
    assert_int_equal(IProfAdmin_DeleteProfile(admin, "third", 0), S_OK);
    assert_int_equal(IProfAdmin_AdminServices(admin, "third", NULL, 0, 0, &services), MAPI_E_LOGON_FAILED);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    IMAPISession_Release(session);
    assert_null(file_text("third.inf"));
    /* It was the default: now no profile is (a default naming no profile would fail every MAPILogonEx). */
    assert_int_equal(MAPILogonEx(0, NULL, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session), MAPI_E_LOGON_FAILED);
    assert_int_equal(IProfAdmin_DeleteProfile(admin, "third", 0), MAPI_E_NOT_FOUND);
    assert_int_equal(IProfAdmin_DeleteProfile(admin, "first", 0), S_OK);
    IProfAdmin_Release(admin);
    MAPIUninitialize();
}

/* The tool, as a script uses it, and its errors. */
static void test_tool(void **state)
{
    char output[16384], path[MAX_PATH];
    FILE *file;

    write_mapisvc("RecordEntry", "");
    assert_int_equal(run_tool("create tool", output, sizeof(output)), 0);
    assert_int_equal(run_tool("add tool FIXTURE", output, sizeof(output)), 0);
    assert_int_equal(strlen(output), 32 + 2); /* the new service's MAPIUID */
    /* The fixture's entry merges what it is given into its settings section. */
    assert_int_equal(
        run_tool("-v configure tool FIXTURE PR_DISPLAY_NAME=renamed 6610001F=configured", output, sizeof(output)), 0);
    assert_non_null(strstr(output, "RecordEntry(MSG_SERVICE_CONFIGURE, flags 0, 2 properties) -> S_OK"));
    assert_int_equal(run_tool("copy tool tool2", output, sizeof(output)), 0);
    assert_int_equal(run_tool("rename tool2 tool3", output, sizeof(output)), 0);
    assert_int_equal(run_tool("default tool3", output, sizeof(output)), 0);
    assert_int_equal(run_tool("list", output, sizeof(output)), 0);
    assert_non_null(strstr(output, "tool3 (default)"));
    assert_int_equal(count_of(output, "tool"), 2);
    assert_int_equal(run_tool("unset tool " SETTINGS_UID_TEXT " 6610001F", output, sizeof(output)), 0);
    assert_int_equal(run_tool("show tool", output, sizeof(output)), 0);
    assert_in_order(output, "[FIXTURE] service", "[Fixture AB] provider", "PR_RESOURCE_TYPE = 35",
                    "MAPIUID " SETTINGS_UID_TEXT, "PR_DISPLAY_NAME_W = renamed");
    assert_null(strstr(output, "6610001F = configured"));
    assert_int_equal(run_tool("remove tool FIXTURE", output, sizeof(output)), 0);
    /* The default deleted: no profile is the default any more. */
    assert_int_equal(run_tool("delete tool3", output, sizeof(output)), 0);
    assert_int_equal(run_tool("list", output, sizeof(output)), 0);
    assert_null(strstr(output, "(default)"));

    /* Errors, each named. */
    assert_int_equal(run_tool("add tool NOSUCH", output, sizeof(output)), 1);
    assert_non_null(strstr(output, "no MAPISVC.INF lists service NOSUCH"));
    assert_int_equal(run_tool("set tool " SETTINGS_UID_TEXT " PR_NOTHING=1", output, sizeof(output)), 1);
    assert_non_null(strstr(output, "unknown property tag"));
    assert_int_equal(run_tool("set tool " SETTINGS_UID_TEXT " PR_RESOURCE_FLAGS=lots", output, sizeof(output)), 1);
    assert_non_null(strstr(output, "\"lots\" is neither a number nor a known constant"));
    assert_int_equal(run_tool("set tool 1234 6610001F=x", output, sizeof(output)), 2);
    /* A MAPIUID no section has is a typing mistake: nothing is made for it. */
    assert_int_equal(run_tool("set tool 00112233445566778899AABBCCDDEEFF 6610001F=x", output, sizeof(output)), 1);
    assert_non_null(strstr(output, "profile tool has no section with MAPIUID 00112233445566778899AABBCCDDEEFF"));
    assert_int_equal(run_tool("show nosuch", output, sizeof(output)), 1);
    assert_non_null(strstr(output, "there is no profile named \"nosuch\""));
    assert_int_equal(run_tool("create tool", output, sizeof(output)), 1);
    assert_non_null(strstr(output, "a profile named \"tool\" already exists (MAPI_E_NO_ACCESS"));
    assert_int_equal(run_tool("delete nosuch", output, sizeof(output)), 1);
    assert_non_null(strstr(output, "MAPI_E_NOT_FOUND"));
    /* A name that looks like an option is refused before anything is made. */
    assert_int_equal(run_tool("create -v2", output, sizeof(output)), 2);
    assert_non_null(strstr(output, "-v2: not a profile or service name"));
    assert_int_equal(run_tool("list", output, sizeof(output)), 0);
    assert_null(strstr(output, "-v2"));
    write_mapisvc("NoSuchEntry", "");
    assert_int_equal(run_tool("add tool FIXTURE", output, sizeof(output)), 1);
    assert_non_null(strstr(output, "recorder32.dll does not export its service entry NoSuchEntry"));
    snprintf(path, sizeof(path), "%s\\MAPISVC.INF", profile_folder);
    assert_non_null(file = fopen(path, "wb"));
    fputs("[Services]\nFIXTURE = x\n[FIXTURE]\nthis line is no key\nPR_RESOURCE_FLAGS = bogus\n", file);
    fclose(file);
    assert_int_equal(run_tool("add tool FIXTURE", output, sizeof(output)), 1);
    assert_non_null(strstr(output, "MAPISVC.INF, line 4: expected key = value"));
    assert_non_null(strstr(output, "line 5: PR_RESOURCE_FLAGS: \"bogus\" is neither a number"));
    assert_int_equal(run_tool("delete tool", output, sizeof(output)), 0);
}

/* The rest of IMsgServiceAdmin: its tables' columns, CopyMsgService into another profile and into a session's,
 * MsgServiceTransportOrder, SetPrimaryIdentity, RenameMsgService (always MAPI_E_NO_SUPPORT, S22). */
static void test_service_admin(void **state)
{
    static const ULONG service_columns[] = { PR_DISPLAY_NAME_A,          PR_INSTANCE_KEY,       PR_RESOURCE_FLAGS,
                                             PR_SERVICE_DLL_NAME_A,      PR_SERVICE_ENTRY_NAME, PR_SERVICE_NAME_A,
                                             PR_SERVICE_SUPPORT_FILES_A, PR_SERVICE_UID };
    SizedSPropTagArray(2, ordinal) = { 2, { PR_PROVIDER_UID, PR_PROVIDER_ORDINAL } };
    SizedSPropTagArray(1, flags_tag) = { 1, { PR_RESOURCE_FLAGS } };
    IMsgServiceAdmin *services, *other;
    SPropTagArray *columns;
    IMAPISession *session;
    IProfAdmin *admin;
    IMAPITable *table;
    IProfSect *section;
    SPropValue *values;
    MAPIUID service, transports[2];
    SRowSet *rows;
    ULONG i, count;
    char path[MAX_PATH];
    FILE *file;

    snprintf(path, sizeof(path), "%s\\MAPISVC.INF", profile_folder);
    assert_non_null(file = fopen(path, "wb"));
    fputs("[Services]\nFIXTURE = the fixture service\n[FIXTURE]\nPR_SERVICE_DLL_NAME = recorder.dll\n"
          "PR_SERVICE_ENTRY_NAME = RecordEntry\nPR_SERVICE_SUPPORT_FILES = recorder32.dll, other.dll\n"
          "Providers = XP 1, XP 2\nSections = Extra\n"
          "[XP 1]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"
          "[XP 2]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"
          "[Extra]\n66300003 = 7\n",
          file);
    fclose(file);
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    services = create_profile("admin", &admin, &service);
    assert_int_equal(IMsgServiceAdmin_GetMsgServiceTable(services, 0, &table), S_OK);
    assert_int_equal(IMAPITable_QueryColumns(table, 0, &columns), S_OK);
    assert_int_equal(columns->cValues, ARRAYSIZE(service_columns));
    for (i = 0; i < ARRAYSIZE(service_columns); i++) assert_int_equal(columns->aulPropTag[i], service_columns[i]);
    MAPIFreeBuffer(columns);
    IMAPITable_Release(table);

    /* S24: the complete list of transports or nothing; the order lands in PR_PROVIDER_ORDINAL. */
    assert_int_equal(IMsgServiceAdmin_GetProviderTable(services, 0, &table), S_OK);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&ordinal, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 2); /* providers only, no extra section (S23) */
    for (i = 0; i < 2; i++) {
        memcpy(&transports[1 - i], rows->aRow[i].lpProps[0].Value.bin.lpb, sizeof(MAPIUID));
        MAPIFreeBuffer(rows->aRow[i].lpProps);
    }
    MAPIFreeBuffer(rows);
    IMAPITable_Release(table);
    assert_int_equal(IMsgServiceAdmin_MsgServiceTransportOrder(services, 1, transports, 0), MAPI_E_BUSY);
    assert_int_equal(IMsgServiceAdmin_MsgServiceTransportOrder(services, 2, transports, 0), S_OK);
    assert_int_equal(IMsgServiceAdmin_OpenProfileSection(services, &transports[0], NULL, MAPI_FORCE_ACCESS, &section),
                     S_OK);
    assert_int_equal(IProfSect_GetProps(section, (SPropTagArray *)&ordinal, 0, &count, &values), S_OK);
    assert_int_equal(values[1].Value.l, 0); /* the second transport of the INF now comes first */
    MAPIFreeBuffer(values);
    IProfSect_Release(section);
    assert_int_equal(IMsgServiceAdmin_OpenProfileSection(services, &transports[0], NULL, 0, &section),
                     MAPI_E_NO_ACCESS); /* a provider's section, without MAPI_FORCE_ACCESS (S5) */
    transports[1] = service;
    assert_int_equal(IMsgServiceAdmin_MsgServiceTransportOrder(services, 2, transports, 0), MAPI_E_NOT_FOUND);

    /* S25 */
    assert_int_equal(IMsgServiceAdmin_SetPrimaryIdentity(services, &service, 0), S_OK);
    assert_int_equal(IMsgServiceAdmin_OpenProfileSection(services, &service, NULL, 0, &section), S_OK);
    assert_int_equal(IProfSect_GetProps(section, (SPropTagArray *)&flags_tag, 0, &count, &values), S_OK);
    assert_int_equal(values[0].Value.l & SERVICE_PRIMARY_IDENTITY, SERVICE_PRIMARY_IDENTITY);
    MAPIFreeBuffer(values);
    IProfSect_Release(section);
    assert_int_equal(IMsgServiceAdmin_RenameMsgService(services, &service, 0, "x"), MAPI_E_NO_SUPPORT);

    /* S21: copies, with new MAPIUIDs and no entry call, into another profile and into a session's. */
    assert_int_equal(IProfAdmin_CreateProfile(admin, "copy", NULL, 0, 0), S_OK);
    assert_int_equal(IProfAdmin_AdminServices(admin, "copy", NULL, 0, 0, &other), S_OK);
    assert_int_equal(
        IMsgServiceAdmin_CopyMsgService(services, &service, NULL, NULL, &IID_IMsgServiceAdmin, other, 0, 0), S_OK);
    assert_int_equal(IMsgServiceAdmin_GetProviderTable(other, 0, &table), S_OK);
    assert_int_equal(row_count(table), 2);
    assert_int_equal(IMsgServiceAdmin_GetMsgServiceTable(other, 0, &table), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_true(memcmp(rows->aRow[0].lpProps[1].Value.bin.lpb, &service, sizeof(service))); /* a new MAPIUID */
    MAPIFreeBuffer(rows->aRow[0].lpProps);
    MAPIFreeBuffer(rows);
    IMAPITable_Release(table);
    assert_non_null(strstr(file_text("copy.inf"), "66300003 = 7")); /* the extra section came too */
    IMsgServiceAdmin_Release(other);
    assert_int_equal(MAPILogonEx(0, "copy", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL, &session), S_OK);
    assert_int_equal(IMsgServiceAdmin_CopyMsgService(services, &service, NULL, NULL, &IID_IMAPISession, session, 0, 0),
                     S_OK);
    assert_int_equal(IMAPISession_AdminServices(session, 0, &other), S_OK);
    assert_int_equal(IMsgServiceAdmin_GetMsgServiceTable(other, 0, &table), S_OK);
    assert_int_equal(row_count(table), 2);
    IMsgServiceAdmin_Release(other);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    IMAPISession_Release(session);
    assert_count(provider_log(RECORDER), "RecordEntry(context 2", 1); /* copies call no entry (S21) */
    close_profile(services, admin);
}

/* One-off entry IDs (item 5): made by IAddrBook::CreateOneOff in either width, opened as mail users, compared by
 * address. */
static void test_one_offs(void **state)
{
    SizedSPropTagArray(
        5, tags) = { 5, { PR_DISPLAY_NAME_A, PR_ADDRTYPE_A, PR_EMAIL_ADDRESS_A, PR_SEND_RICH_INFO, PR_SEARCH_KEY } };
    ENTRYID *narrow, *wide;
    ULONG narrow_size, wide_size, type, count, equal;
    IMsgServiceAdmin *services;
    IMAPISession *session;
    SPropValue *values;
    IMailUser *user;
    IProfAdmin *admin;
    IAddrBook *book;
    MAPIUID service;

    write_mapisvc("RecordEntry", "");
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    services = create_profile("oneoffs", &admin, &service);
    assert_int_equal(MAPILogonEx(0, "oneoffs", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session), S_OK);
    assert_int_equal(IMAPISession_OpenAddressBook(session, 0, NULL, 0, &book), S_OK);
    assert_int_equal(IAddrBook_CreateOneOff(book, "Someone", "SMTP", "some.one@example.org", MAPI_SEND_NO_RICH_INFO,
                                            &narrow_size, &narrow),
                     S_OK);
    assert_int_equal(IAddrBook_CreateOneOff(book, (LPTSTR)L"Someone else", (LPTSTR)L"smtp",
                                            (LPTSTR)L"SOME.ONE@example.org", MAPI_UNICODE, &wide_size, &wide),
                     S_OK);
    assert_int_equal(IAddrBook_OpenEntry(book, narrow_size, narrow, NULL, 0, &type, (IUnknown **)&user), S_OK);
    assert_int_equal(type, MAPI_MAILUSER);
    assert_int_equal(IMailUser_GetProps(user, (SPropTagArray *)&tags, 0, &count, &values), S_OK);
    assert_string_equal(values[0].Value.lpszA, "Someone");
    assert_string_equal(values[1].Value.lpszA, "SMTP");
    assert_string_equal(values[2].Value.lpszA, "some.one@example.org");
    assert_int_equal(values[3].Value.b, FALSE);
    assert_string_equal((char *)values[4].Value.bin.lpb, "SMTP:SOME.ONE@EXAMPLE.ORG");
    MAPIFreeBuffer(values);
    IMailUser_Release(user);
    assert_int_equal(IAddrBook_OpenEntry(book, wide_size, wide, NULL, 0, &type, (IUnknown **)&user), S_OK);
    assert_int_equal(IMailUser_GetProps(user, (SPropTagArray *)&tags, 0, &count, &values), S_OK);
    assert_string_equal(values[0].Value.lpszA, "Someone else"); /* narrowed, as asked */
    assert_int_equal(values[3].Value.b, TRUE);
    MAPIFreeBuffer(values);
    IMailUser_Release(user);
    assert_int_equal(IAddrBook_CompareEntryIDs(book, narrow_size, narrow, wide_size, wide, 0, &equal), S_OK);
    assert_true(equal);
    equal = FALSE;
    assert_int_equal(IMAPISession_CompareEntryIDs(session, narrow_size, narrow, wide_size, wide, 0, &equal), S_OK);
    assert_true(equal);
    narrow_size -= 2; /* cut inside the address: malformed */
    assert_int_equal(IAddrBook_OpenEntry(book, narrow_size, narrow, NULL, 0, &type, (IUnknown **)&user),
                     MAPI_E_INVALID_ENTRYID);
    MAPIFreeBuffer(narrow);
    MAPIFreeBuffer(wide);
    IAddrBook_Release(book);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    IMAPISession_Release(session);
    close_profile(services, admin);
}

/* The address book as MAPI builds it (item 5): the root's hierarchy lists the provider's directory, whose contents
 * come sorted; ResolveName goes through the default search path, and "[TYPE:address]" makes a one-off. The session's
 * identity comes from the status table. */
static void test_address_book(void **state)
{
    SizedSPropTagArray(1, names) = { 1, { PR_DISPLAY_NAME_A } };
    SizedSSortOrderSet(1, by_name) = { 1, 0, 0, { { PR_DISPLAY_NAME_A, TABLE_SORT_ASCEND } } };
    const char *wanted[] = { "sample user 2", "[SMTP:some.one@example.org]", "Sample", "Nobody" };
    IABContainer *root, *directory;
    SPropValue *name;
    ENTRYID *identity;
    IMailUser *user;
    ULONG size;
    IMsgServiceAdmin *services;
    IMAPITable *hierarchy, *contents;
    IMAPISession *session;
    SRowSet *rows, *path;
    ADRLIST *list;
    IProfAdmin *admin;
    IAddrBook *book;
    MAPIUID service;
    ULONG type, i;

    write_mapisvc("RecordEntry", "");
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    services = create_profile("book", &admin, &service);
    assert_int_equal(MAPILogonEx(0, "book", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session), S_OK);
    assert_int_equal(IMAPISession_OpenAddressBook(session, 0, NULL, 0, &book), S_OK);
    assert_int_equal(IAddrBook_OpenEntry(book, 0, NULL, NULL, 0, &type, (IUnknown **)&root), S_OK);
    assert_int_equal(type, MAPI_ABCONT);
    assert_int_equal(IABContainer_GetHierarchyTable(root, 0, &hierarchy), S_OK);
    assert_int_equal(HrQueryAllRows(hierarchy, (SPropTagArray *)&names, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_string_equal(rows->aRow[0].lpProps[0].Value.lpszA, "Sample Directory");
    FreeProws(rows);
    IMAPITable_Release(hierarchy);
    IABContainer_Release(root);

    assert_int_equal(IAddrBook_GetSearchPath(book, 0, &path), S_OK);
    assert_int_equal(path->cRows, 1);
    assert_int_equal(IAddrBook_OpenEntry(book, path->aRow[0].lpProps[0].Value.bin.cb,
                                         (ENTRYID *)path->aRow[0].lpProps[0].Value.bin.lpb, NULL, 0, &type,
                                         (IUnknown **)&directory),
                     S_OK);
    assert_int_equal(type, MAPI_ABCONT);
    assert_int_equal(IABContainer_GetContentsTable(directory, 0, &contents), S_OK);
    assert_int_equal(HrQueryAllRows(contents, (SPropTagArray *)&names, NULL, (SSortOrderSet *)&by_name, 0, &rows),
                     S_OK);
    assert_int_equal(rows->cRows, 3);
    for (i = 0; i < 3; i++) {
        char expected[32];
        snprintf(expected, sizeof(expected), "Sample User %lu", i + 1);
        assert_string_equal(rows->aRow[i].lpProps[0].Value.lpszA, expected);
    }
    FreeProws(rows);
    IMAPITable_Release(contents);
    IABContainer_Release(directory);

    /* A search path of nothing: only one-offs resolve. */
    path->cRows = 0;
    assert_int_equal(IAddrBook_SetSearchPath(book, 0, path), S_OK);
    path->cRows = 1;
    assert_int_equal(MAPIAllocateBuffer(CbNewADRLIST(1), (void **)&list), S_OK);
    list->cEntries = 1;
    list->aEntries[0].ulReserved1 = 0;
    list->aEntries[0].cValues = 1;
    assert_int_equal(MAPIAllocateBuffer(sizeof(SPropValue), (void **)&list->aEntries[0].rgPropVals), S_OK);
    list->aEntries[0].rgPropVals[0].ulPropTag = PR_DISPLAY_NAME_A;
    list->aEntries[0].rgPropVals[0].Value.lpszA = (char *)wanted[0];
    assert_int_equal(IAddrBook_ResolveName(book, 0, 0, NULL, list), MAPI_E_NOT_FOUND);
    assert_int_equal(IAddrBook_SetSearchPath(book, 0, path), S_OK);
    MAPIFreeBuffer(list->aEntries[0].rgPropVals);

    /* Each name alone through the search path set back: found, one-off, ambiguous, unknown. */
    for (i = 0; i < ARRAYSIZE(wanted); i++) {
        static const HRESULT expected[] = { S_OK, S_OK, MAPI_E_AMBIGUOUS_RECIP, MAPI_E_NOT_FOUND };
        const SPropValue *value;

        assert_int_equal(MAPIAllocateBuffer(sizeof(SPropValue), (void **)&list->aEntries[0].rgPropVals), S_OK);
        list->aEntries[0].cValues = 1;
        list->aEntries[0].rgPropVals[0].ulPropTag = PR_DISPLAY_NAME_A;
        list->aEntries[0].rgPropVals[0].Value.lpszA = (char *)wanted[i];
        assert_int_equal(IAddrBook_ResolveName(book, 0, 0, NULL, list), expected[i]);
        value = PpropFindProp(list->aEntries[0].rgPropVals, list->aEntries[0].cValues, PR_DISPLAY_NAME_A);
        if (i == 0) assert_string_equal(value->Value.lpszA, "Sample User 2");
        if (i == 1) assert_string_equal(value->Value.lpszA, "some.one@example.org");
        assert_true((PpropFindProp(list->aEntries[0].rgPropVals, list->aEntries[0].cValues, PR_ENTRYID) != NULL)
                    == (i < 2));
        MAPIFreeBuffer(list->aEntries[0].rgPropVals);
    }
    /* A Unicode caller's one-off. */
    assert_int_equal(MAPIAllocateBuffer(sizeof(SPropValue), (void **)&list->aEntries[0].rgPropVals), S_OK);
    list->aEntries[0].cValues = 1;
    list->aEntries[0].rgPropVals[0].ulPropTag = PR_DISPLAY_NAME_W;
    list->aEntries[0].rgPropVals[0].Value.lpszW = (WCHAR *)L"[X400:c=de;a=b]";
    assert_int_equal(IAddrBook_ResolveName(book, 0, MAPI_UNICODE, NULL, list), S_OK);
    assert_non_null(PpropFindProp(list->aEntries[0].rgPropVals, list->aEntries[0].cValues, PR_ENTRYID));
    FreePadrlist(list);
    FreeProws(path);

    /* No service supplies the primary identity yet: the provider's own, with MAPI_W_NO_SERVICE; then chosen (S25). */
    assert_int_equal(IMAPISession_QueryIdentity(session, &size, &identity), MAPI_W_NO_SERVICE);
    assert_int_equal(IAddrBook_OpenEntry(book, size, identity, NULL, 0, &type, (IUnknown **)&user), S_OK);
    assert_int_equal(HrGetOneProp((IMAPIProp *)user, PR_DISPLAY_NAME_A, &name), S_OK);
    assert_string_equal(name->Value.lpszA, "Sample User 1");
    MAPIFreeBuffer(name);
    MAPIFreeBuffer(identity);
    IMailUser_Release(user);
    IAddrBook_Release(book);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    IMAPISession_Release(session);
    assert_int_equal(IMsgServiceAdmin_SetPrimaryIdentity(services, &service, 0), S_OK);
    assert_int_equal(MAPILogonEx(0, "book", NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session), S_OK);
    assert_int_equal(IMAPISession_QueryIdentity(session, &size, &identity), S_OK);
    MAPIFreeBuffer(identity);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    IMAPISession_Release(session);
    close_profile(services, admin);
}

/* A MAPISVC.INF whose provider section sets a property twice, or one ID under two types, would make a profile its own
 * reader refuses: CreateMsgService refuses it, naming the file and line, and the profile keeps what it had. */
static void test_bad_inf_keeps_profile(void **state)
{
    MAPIUID service;
    IMsgServiceAdmin *services;
    IProfAdmin *admin;
    IMAPITable *table;
    SRowSet *rows, *sections;
    char path[MAX_PATH];
    ULONG before;
    FILE *file;

    write_mapisvc("RecordEntry", "");
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    services = create_profile("keep", &admin, &service);
    assert_int_equal(MapihostGetProfileSections("keep", &sections), S_OK);
    before = sections->cRows;
    FreeProws(sections);
    snprintf(path, sizeof(path), "%s\\MAPISVC.INF", profile_folder);
    assert_non_null(file = fopen(path, "wb"));
    fputs("[Services]\nTWICE = a key set twice\nTYPES = one ID, two types\n"
          "[TWICE]\nPR_SERVICE_DLL_NAME = recorder.dll\nProviders = Twice AB\n"
          "[Twice AB]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"
          "PR_DISPLAY_NAME = first\nPR_DISPLAY_NAME = second\n"
          "[TYPES]\nPR_SERVICE_DLL_NAME = recorder.dll\nProviders = Types AB\n"
          "[Types AB]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"
          "6700001e = text\n67000003 = 5\n",
          file);
    fclose(file);
    capture_errors();
    assert_true(FAILED(IMsgServiceAdmin_CreateMsgService(services, "TWICE", NULL, 0, 0)));
    assert_error_mentions("MAPISVC.INF, line 11: PR_DISPLAY_NAME: [Twice AB] already sets property 0x3001");
    capture_errors();
    assert_true(FAILED(IMsgServiceAdmin_CreateMsgService(services, "TYPES", NULL, 0, 0)));
    assert_error_mentions("line 19: 67000003: [Types AB] already sets property 0x6700 with another type");
    MapihostSetEventSink(NULL, NULL);
    /* The profile reads as before: the first service alone. */
    assert_int_equal(MapihostGetProfileSections("keep", &sections), S_OK);
    assert_int_equal(sections->cRows, before);
    FreeProws(sections);
    assert_int_equal(IMsgServiceAdmin_GetMsgServiceTable(services, 0, &table), S_OK);
    assert_int_equal(HrQueryAllRows(table, NULL, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    FreeProws(rows);
    IMAPITable_Release(table);
    close_profile(services, admin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        services_test(test_every_context),
        services_test(test_unconfigured_then_configured),
        services_test(test_still_unconfigured),
        services_test(test_entry_fails),
        services_test(test_persistence_across_processes),
        services_test(test_crash_mid_write),
        services_test(test_lock_and_concurrent_change),
        services_test(test_write_faults),
        services_test(test_profile_administration),
        services_test(test_tool),
        services_test(test_one_offs),
        services_test(test_address_book),
        services_test(test_service_admin),
        services_test(test_bad_inf_keeps_profile),
        /* last: an entry that crashed or hung keeps the fixture's DLL loaded */
        services_test(test_entry_crashes),
        services_test(test_entry_hangs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
