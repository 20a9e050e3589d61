/*
 * The fault matrix (docs/misuse.md): the misuse fixture (tests/fixtures/misuse) calls every object the host hands a
 * provider and a service entry with bad arguments, after their last Release and after its logoff. Each call must
 * get its documented error, the host must not crash, and the event log must name each offence. Real Wine, real
 * DLLs, nothing mocked.
 */
#include "lifecycle.h"
#include "mapihost_util.h"

#define MISUSE "misuse32.dll"

struct expected {
    const char *what;
    HRESULT hr;
};

static const struct expected support_cases[] = {
    { "IMAPISupport::QueryInterface(unreadable IID)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::QueryInterface(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::QueryInterface(wrong IID)", MAPI_E_INTERFACE_NOT_SUPPORTED },
    { "IMAPISupport::GetLastError(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::GetMemAllocRoutines(NULL)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::OpenProfileSection(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::OpenProfileSection(unreadable UID)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::NewUID(NULL)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::MakeInvalid(unknown flags)", MAPI_E_UNKNOWN_FLAGS },
    { "IMAPISupport::MakeInvalid(NULL object)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::GetSvcConfigSupportObj(NULL out)", MAPI_E_INVALID_PARAMETER },
};

static const struct expected logon_cases[] = {
    { "IMAPISupport::Subscribe(unreadable key)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::Subscribe(unreadable sink)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::Notify(no notifications)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::Notify(unreadable notifications)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::ModifyStatusRow(unreadable values)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::CreateOneOff(NULL name)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::CreateOneOff(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::SetProviderUID(NULL)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::CompareEntryIDs(unreadable entry IDs)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::OpenEntry(unreadable IID)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::OpenEntry(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::OpenTemplateID(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::WrapStoreEntryID(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::PrepareSubmit(address book)", MAPI_E_NO_SUPPORT },
    { "IMAPISupport::StatusRecips(address book)", MAPI_E_NO_SUPPORT },
    { "IMAPISupport::SpoolerNotify(address book)", MAPI_E_NO_SUPPORT },
    { "IMAPISupport::RegisterPreprocessor(address book)", MAPI_E_NO_SUPPORT },
    { "IMAPISupport::ModifyProfile(address book)", MAPI_E_NO_SUPPORT },
    { "IProfSect::QueryInterface(wrong IID)", MAPI_E_INTERFACE_NOT_SUPPORTED },
    { "IProfSect::GetProps(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IProfSect::GetProps(unreadable tags)", MAPI_E_INVALID_PARAMETER },
    { "IProfSect::GetPropList(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IProfSect::SetProps(unreadable values)", MAPI_E_INVALID_PARAMETER },
    { "IProfSect::SetProps(unreadable string)", MAPI_E_INVALID_PARAMETER },
    { "IProfSect::DeleteProps(NULL tags)", MAPI_E_INVALID_PARAMETER },
    { "IProfSect::OpenProperty(unreadable IID)", MAPI_E_INVALID_PARAMETER },
    { "IProfSect::GetIDsFromNames(unreadable names)", MAPI_E_INVALID_PARAMETER },
    { "IProfSect::GetNamesFromIDs(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IProfSect::CopyTo(NULL destination)", MAPI_E_INVALID_PARAMETER },
    { "IProfSect::Release", 0 },
    { "IProfSect::GetProps(after its last Release)", MAPI_E_INVALID_OBJECT },
    { "IProfSect::Release(after its last Release)", 0 },
    { "IMAPISupport::OpenAddressBook(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::OpenAddressBook(unreadable IID)", MAPI_E_INVALID_PARAMETER },
    { "IAddrBook::QueryInterface(wrong IID)", MAPI_E_INTERFACE_NOT_SUPPORTED },
    { "IAddrBook::OpenEntry(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IAddrBook::OpenEntry(unreadable entry ID)", MAPI_E_INVALID_PARAMETER },
    { "IAddrBook::CompareEntryIDs(unreadable entry IDs)", MAPI_E_INVALID_PARAMETER },
    { "IAddrBook::Advise(NULL sink)", MAPI_E_INVALID_PARAMETER },
    { "IAddrBook::CreateOneOff(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IAddrBook::ResolveName(NULL list)", MAPI_E_INVALID_PARAMETER },
    { "IAddrBook::GetSearchPath(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IAddrBook::SetSearchPath(unreadable rows)", MAPI_E_INVALID_PARAMETER },
    { "IMAPITable::SetColumns(unreadable columns)", MAPI_E_INVALID_PARAMETER },
    { "IMAPITable::QueryRows(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IMAPITable::GetRowCount(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IMAPITable::FindRow(NULL restriction)", MAPI_E_INVALID_PARAMETER },
    { "IMAPITable::Restrict(unreadable value)", MAPI_E_INVALID_PARAMETER },
    { "IMAPITable::SortTable(NULL sort)", MAPI_E_INVALID_PARAMETER },
    { "IMAPITable::QueryPosition(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IMAPITable::SeekRowApprox(denominator 0)", MAPI_E_INVALID_PARAMETER },
    { "IMAPITable::Advise(NULL sink)", MAPI_E_INVALID_PARAMETER },
    { "IMAPITable::Release", 0 },
    { "IMAPITable::QueryRows(after its last Release)", MAPI_E_INVALID_OBJECT },
    { "IAddrBook::Release", 0 },
    { "IAddrBook::OpenEntry(after its last Release)", MAPI_E_INVALID_OBJECT },
    { "IPropData::GetProps(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IPropData::SetProps(unreadable values)", MAPI_E_INVALID_PARAMETER },
    { "IPropData::DeleteProps(NULL tags)", MAPI_E_INVALID_PARAMETER },
    { "IPropData::HrSetObjAccess(unknown access)", MAPI_E_INVALID_PARAMETER },
    { "IPropData::HrSetPropAccess(NULL tags)", MAPI_E_INVALID_PARAMETER },
    { "IPropData::HrGetPropAccess(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IPropData::HrAddObjProps(NULL tags)", MAPI_E_INVALID_PARAMETER },
    { "IPropData::Release", 0 },
    { "IPropData::GetPropList(after its last Release)", MAPI_E_INVALID_OBJECT },
};

static const struct expected shutdown_cases[] = {
    { "IMAPISupport::NewUID(after its logoff)", MAPI_E_INVALID_OBJECT },
    { "IMAPISupport::Release(its last)", 0 },
    { "IMAPISupport::NewUID(after its last Release)", MAPI_E_INVALID_OBJECT },
    { "IMAPISupport::Release(after its last Release)", 0 },
};

static const struct expected entry_cases[] = {
    { "IMAPISupport::PrepareSubmit(service entry)", MAPI_E_NO_SUPPORT },
    { "IMAPISupport::Subscribe(service entry)", MAPI_E_NO_SUPPORT },
    { "IProviderAdmin::QueryInterface(wrong IID)", MAPI_E_INTERFACE_NOT_SUPPORTED },
    { "IProviderAdmin::GetLastError(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IProviderAdmin::GetProviderTable(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IProviderAdmin::CreateProvider(NULL name)", MAPI_E_INVALID_PARAMETER },
    { "IProviderAdmin::CreateProvider(unreadable values)", MAPI_E_INVALID_PARAMETER },
    { "IProviderAdmin::DeleteProvider(unreadable UID)", MAPI_E_INVALID_PARAMETER },
    { "IProviderAdmin::OpenProfileSection(NULL out)", MAPI_E_INVALID_PARAMETER },
    { "IProviderAdmin::OpenProfileSection(unreadable IID)", MAPI_E_INVALID_PARAMETER },
};

static const struct expected store_cases[] = {
    { "IMAPISupport::PrepareSubmit(NULL message)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::PrepareSubmit(NULL flags)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::ExpandRecips(unreadable message)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::CompleteMsg(no entry ID)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::CompleteMsg(unknown flags)", MAPI_E_UNKNOWN_FLAGS },
    { "IMAPISupport::DoSentMail(unknown flags)", MAPI_E_UNKNOWN_FLAGS },
    { "IMAPISupport::DoSentMail(NULL message)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::DoCopyTo(NULL source)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::DoCopyProps(NULL source)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::ModifyProfile(unknown flags)", MAPI_E_UNKNOWN_FLAGS },
    { "IMAPISupport::StoreLogoffTransports(NULL flags)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::SpoolerNotify(unknown flag)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::SpoolerNotify(unreadable new mail)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::RegisterPreprocessor(store)", MAPI_E_NO_SUPPORT },
};

static const struct expected transport_cases[] = {
    { "IMAPISupport::RegisterPreprocessor(NULL DLL name)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::StatusRecips(NULL message)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::StatusRecips(unreadable list)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::SpoolerNotify(deferred without an entry ID)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::SpoolerNotify(deferred and critical error)", MAPI_E_INVALID_PARAMETER },
    { "IMAPISupport::PrepareSubmit(transport)", MAPI_E_NO_SUPPORT },
    { "IMAPISupport::SetProviderUID(transport)", MAPI_E_NO_SUPPORT },
};

static char results[1 << 15];

/* The fixture's answers so far, copied while its DLL is loaded. */
static void read_results(void)
{
    HMODULE module = GetModuleHandleA(MISUSE);
    const char *(WINAPI * get_results)(void);

    assert_non_null(module);
    assert_non_null(get_results = (void *)GetProcAddress(module, "MisuseResults"));
    snprintf(results, sizeof(results), "%s", get_results());
}

/* Each case answered as documented; each refused one named in the event log by its interface and method. */
static void check_cases(const char *prefix, const struct expected *cases, size_t count)
{
    char line[256], method[128];
    size_t i;

    for (i = 0; i < count; i++) {
        snprintf(line, sizeof(line), "%s%s -> %#lx\n", prefix, cases[i].what, (unsigned long)cases[i].hr);
        if (!strstr(results, line)) {
            fputs(results, stderr);
            fail_msg("expected %s", line);
        }
        if (cases[i].hr != MAPI_E_INVALID_PARAMETER && cases[i].hr != MAPI_E_UNKNOWN_FLAGS
            && cases[i].hr != MAPI_E_NO_SUPPORT)
            continue;
        snprintf(method, sizeof(method), "%.*s", (int)strcspn(cases[i].what, "("), cases[i].what);
        if (!strstr(events, method)) {
            fputs(events, stderr);
            fail_msg("the event log does not name %s", method);
        }
    }
}

#define MISUSE_PROFILE                                                                                                 \
    "[Services]\nMisuse = the misuse fixture\n[Misuse]\nProviders = Misuse AB\n"                                       \
    "[Misuse AB]\nPR_PROVIDER_DLL_NAME = misuse.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"

/* A provider's logon misuses its support object and every object it gets through it; its shutdown calls the support
 * object after its logoff and after its last Release. */
static void test_provider_misuse(void **state)
{
    IMAPISession *session;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    start_events();
    session = logon_profile("misuse.inf", MISUSE_PROFILE, 0);
    read_results();
    check_cases("", support_cases, ARRAYSIZE(support_cases));
    check_cases("", logon_cases, ARRAYSIZE(logon_cases));
    assert_true(count_of(events, "VIOLATION ") >= 60);
    assert_non_null(strstr(events, "an IProfSect was called after its last Release"));
    assert_non_null(strstr(events, "an IMAPITable was called after its last Release"));
    assert_non_null(strstr(events, "an IAddrBook was called after its last Release"));
    assert_non_null(strstr(events, "an IPropData was called after its last Release"));

    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    read_results();
    check_cases("", shutdown_cases, ARRAYSIZE(shutdown_cases));
    assert_non_null(strstr(events, "IMAPISupport::NewUID after its logoff; MAPI_E_INVALID_OBJECT"));
    assert_non_null(strstr(events, "IMAPISupport::NewUID after its last Release; MAPI_E_INVALID_OBJECT"));
    assert_non_null(strstr(events, "more often than it added references (H12)"));
    IMAPISession_Release(session);
    MAPIUninitialize();
    assert_null(GetModuleHandleA(MISUSE));
}

/* A store's and a transport's support objects, misused in their logons, which then fail: the session goes on, and
 * the store cannot be opened. */
static void test_store_and_transport_misuse(void **state)
{
    IMAPISession *session;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    start_events();
    session = logon_profile("misuse-ms-xp.inf",
                            "[Services]\nMisuse = the misuse fixture\n[Misuse]\nProviders = Misuse MS, Misuse XP\n"
                            "[Misuse MS]\nPR_PROVIDER_DLL_NAME = misuse.dll\nPR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\n"
                            "PR_RESOURCE_FLAGS = STATUS_DEFAULT_STORE\nPR_DISPLAY_NAME = Misuse MS\n"
                            "[Misuse XP]\nPR_PROVIDER_DLL_NAME = misuse.dll\n"
                            "PR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\nPR_DISPLAY_NAME = Misuse XP\n",
                            0);
    assert_null(open_first_store_with(session, MDB_WRITE, MAPI_E_FAILONEPROVIDER));
    read_results();
    check_cases("store ", store_cases, ARRAYSIZE(store_cases));
    check_cases("transport ", transport_cases, ARRAYSIZE(transport_cases));
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    IMAPISession_Release(session);
    MAPIUninitialize();
    assert_null(GetModuleHandleA(MISUSE));
}

/* The service entry in each of the seven contexts: install, create, configure, provider create and delete, delete,
 * uninstall; each time its support object and its IProviderAdmin misused, and the previous call's support object
 * called after that call returned. */
static void test_service_entry_misuse(void **state)
{
    static const ULONG contexts[] = { MSG_SERVICE_INSTALL,         MSG_SERVICE_CREATE,          MSG_SERVICE_CONFIGURE,
                                      MSG_SERVICE_PROVIDER_CREATE, MSG_SERVICE_PROVIDER_DELETE, MSG_SERVICE_DELETE,
                                      MSG_SERVICE_UNINSTALL };
    IMsgServiceAdmin2 *services2;
    IMsgServiceAdmin *services;
    IProviderAdmin *providers;
    MAPIUID service, provider;
    char path[MAX_PATH], prefix[64], line[256];
    IProfAdmin *admin;
    FILE *file;
    size_t i;

    snprintf(path, sizeof(path), "%s\\MAPISVC.INF", profile_folder);
    assert_non_null(file = fopen(path, "wb"));
    fputs("[Services]\nMISUSE = the misuse fixture\n[MISUSE]\nPR_SERVICE_DLL_NAME = misuse.dll\n"
          "PR_SERVICE_ENTRY_NAME = ServiceEntry\nProviders = Misuse AB\n"
          "[Misuse AB]\nPR_PROVIDER_DLL_NAME = misuse.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n",
          file);
    fclose(file);

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    start_events();
    assert_int_equal(MapihostInstallService("MISUSE", FALSE, 0, 0), S_OK);
    assert_int_equal(MAPIAdminProfiles(0, &admin), S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(admin, (LPTSTR) "misuse", NULL, 0, 0), S_OK);
    assert_int_equal(IProfAdmin_AdminServices(admin, (LPTSTR) "misuse", NULL, 0, 0, &services), S_OK);
    assert_int_equal(IMsgServiceAdmin_QueryInterface(services, &IID_IMsgServiceAdmin2, (void **)&services2), S_OK);
    assert_int_equal(IMsgServiceAdmin2_CreateMsgServiceEx(services2, (LPTSTR) "MISUSE", NULL, 0, 0, &service), S_OK);
    IMsgServiceAdmin2_Release(services2);
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(services, &service, 0, 0, 0, NULL), S_OK);
    assert_int_equal(IMsgServiceAdmin_AdminProviders(services, &service, 0, &providers), S_OK);
    assert_int_equal(IProviderAdmin_CreateProvider(providers, (LPTSTR) "Misuse AB", 0, NULL, 0, 0, &provider), S_OK);
    assert_int_equal(IProviderAdmin_DeleteProvider(providers, &provider), S_OK);
    IProviderAdmin_Release(providers);
    read_results();
    assert_int_equal(IMsgServiceAdmin_DeleteMsgService(services, &service), S_OK);
    IMsgServiceAdmin_Release(services);
    assert_int_equal(IProfAdmin_DeleteProfile(admin, (LPTSTR) "misuse", 0), S_OK);
    IProfAdmin_Release(admin);
    assert_int_equal(MapihostInstallService("MISUSE", TRUE, 0, 0), S_OK);
    read_results();

    for (i = 0; i < ARRAYSIZE(contexts); i++) {
        snprintf(prefix, sizeof(prefix), "ServiceEntry(%lu) ", contexts[i]);
        check_cases(prefix, support_cases, ARRAYSIZE(support_cases));
        check_cases(prefix, entry_cases, ARRAYSIZE(entry_cases));
        if (i) {
            snprintf(line, sizeof(line), "%sIMAPISupport::NewUID(after its service entry returned) -> %#lx\n", prefix,
                     (unsigned long)MAPI_E_INVALID_OBJECT);
            if (!strstr(results, line)) fail_msg("expected \"%s\" in:\n%s", line, results);
        }
    }
    assert_non_null(strstr(events, "after its service entry returned; MAPI_E_INVALID_OBJECT"));
    MAPIUninitialize();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_provider_misuse),
        cmocka_unit_test(test_store_and_transport_misuse),
        cmocka_unit_test_setup_teardown(test_service_entry_misuse, setup_folder, teardown_folder),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
