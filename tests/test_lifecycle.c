/*
 * The documented lifecycle, end to end (spec §1, §3, §4): real sessions of mapihost.dll over the recording fixture
 * (the three samples in one DLL, every call they receive in its log), the mingw-w64-header fixture, and LoadLibrary
 * and FreeLibrary as Wine does them.
 */
#include "lifecycle.h"

/* One message service of the recorder's three providers: three providers of one DLL. */
static const char three_types[] =
    "[Services]\nRecorded = Recorded service\n"
    "[Recorded]\nProviders = AB, MS, XP\n"
    "[AB]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\nPR_DISPLAY_NAME = Recorded AB\n"
    "[MS]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\nPR_DISPLAY_NAME = Recorded MS\n"
    "PR_RESOURCE_FLAGS = STATUS_DEFAULT_STORE\n"
    "[XP]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"
    "PR_DISPLAY_NAME = Recorded XP\n";

/* Session Logoff with the store still held by the client: every type through the session path (spec §1F). */
static void test_one_provider_of_each_type(void **state)
{
    IMAPISession *session;
    IMsgStore *store;
    const char *log;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    start_events();
    session = logon_profile("three.inf", three_types, 0);
    store = open_first_store(session, S_OK);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    assert_session_clean(session);
    IMAPISession_Release(session);

    /* Every call the three providers received, exactly: logon at MAPILogonEx (AB, XP) and OpenMsgStore (MS), then
     * Logoff by type, transports first (E1, E24), each logon released before its provider's Shutdown (H20). */
    log = provider_log(RECORDER);
    assert_string_equal(
        log, "ABProviderInit(version 0x10010)\n"
             "IABProvider::Logon(flags 0x1)\n"
             "XPProviderInit(version 0x10010)\n"
             "IXPProvider::TransportLogon(flags 0x19)\n"
             "IXPLogon::AddressTypes\n"
             "IXPLogon::TransportNotify(0x3)\n"
             "MSProviderInit(version 0x10010)\n"
             "IMSProvider::Logon(flags 0x1)\n"
             "IMsgStore::Release -> 1\n" /* the outgoing queue the spooler looked at (Q32), released */
             "IXPLogon::TransportNotify(0x30000)\n"
             "IXPLogon::TransportLogoff(0)\n"
             "Recorded XP: 6 objects of the DLL still alive\n"
             "IXPLogon::Release -> 0\n"
             "IXPProvider::Shutdown(&0, 0 logons left)\n"
             "IXPProvider::Release -> 0\n"
             "IABLogon::Logoff(0)\n"
             "Recorded AB: 4 objects of the DLL still alive\n"
             "IABLogon::Release -> 0\n"
             "IABProvider::Shutdown(&0, 0 logons left)\n"
             "IABProvider::Release -> 0\n"
             "IMSLogon::Logoff(&0)\n"
             "Recorded MS: 2 objects of the DLL still alive\n" /* the provider, and the store the client holds */
             "IMSLogon::Release -> 0\n"
             "IMSProvider::Shutdown(&0, 0 logons left)\n"
             "IMSProvider::Release -> 0\n");
    /* the host's side: support objects gone before the logon Release (E3) */
    assert_in_order(events, "step XP: 1 MAPIUIDs, 1 status rows", "step XP: IXPLogon::Release -> 0",
                    "step AB: 1 MAPIUIDs, 1 status rows", "step AB: IABLogon::Release -> 0",
                    "step MS: 1 MAPIUIDs, 1 status rows", "step MS: IMSLogon::Release -> 0");
    assert_count(events, "VIOLATION", 0);
    assert_count(events, "ERROR", 0);

    /* The store was invalidated at logoff (MakeInvalid); its Release still works and frees the last object. */
    assert_int_equal(IMsgStore_StoreLogoff(store, &(ULONG){ LOGOFF_ORDERLY }), MAPI_E_INVALID_OBJECT);
    IMsgStore_Release(store);
    assert_int_equal(provider_live_objects(RECORDER), 0);

    /* H23: loaded until the last MAPIUninitialize, gone right after it. */
    assert_non_null(GetModuleHandleA(RECORDER));
    MAPIUninitialize();
    assert_null(GetModuleHandleA(RECORDER));
    assert_count(events, "step recorder32.dll: LoadLibrary", 1);
    assert_count(events, "step recorder32.dll: FreeLibrary", 1);
}

/* IMsgStore::StoreLogoff, then the store's last Release: the store logs off alone, before the session (§4.2). */
static void test_store_logoff_path(void **state)
{
    IMAPISession *session;
    IMsgStore *store;
    ULONG flags = LOGOFF_ORDERLY;
    const char *log;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    start_events();
    session = logon_profile("storelogoff.inf", three_types, 0);
    store = open_first_store(session, S_OK);
    assert_int_equal(IMsgStore_StoreLogoff(store, &flags), S_OK);
    assert_int_equal(IMsgStore_Release(store), 0);

    log = provider_log(RECORDER);
    assert_in_order(log, "IMsgStore::StoreLogoff(0x2)", "IMsgStore::Release -> 0", "IMSLogon::Logoff(&0)",
                    "IMSLogon::Release -> 0", "IMSProvider::Shutdown(&0, 0 logons left)", "IMSProvider::Release -> 0");
    assert_in_order(events, "step MS: IMAPISupport::StoreLogoffTransports(0x2) -> S_OK, LOGOFF_COMPLETE",
                    "step MS: 1 MAPIUIDs, 1 status rows", "step MS: IMSLogon::Logoff(&0)");
    /* the AB and XP logons are untouched */
    assert_count(log, "IABLogon::Logoff", 0);

    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    assert_session_clean(session);
    IMAPISession_Release(session);
    log = provider_log(RECORDER);
    assert_count(log, "IMSLogon::Logoff", 1); /* H16: not again at the session's Logoff */
    assert_count(log, "StoreLogoffTransports", 0);
    assert_count(events, "StoreLogoffTransports", 1);
    assert_count(events, "VIOLATION", 0);
    assert_int_equal(provider_live_objects(RECORDER), 0);
    MAPIUninitialize();
    assert_null(GetModuleHandleA(RECORDER));
}

/* Two address-book sections of one DLL: one provider object, two logons, Shutdown after both (H20, E19). A store
 * opened twice: the second Logon hands back the open store (H11). */
static void test_several_logons_of_one_provider(void **state)
{
    static const char profile[] =
        "[Services]\nTwo = Two address books\n"
        "[Two]\nProviders = First, Second, Store\n"
        "[First]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"
        "[Second]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"
        "[Store]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\n";
    IMAPISession *session;
    IMsgStore *store, *again;
    MAPIHOST_SESSION_STATE state_now;
    const char *log;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    start_events();
    session = logon_profile("several.inf", profile, 0);
    store = open_first_store(session, S_OK);
    again = open_first_store(session, S_OK);
    assert_ptr_equal(again, store);
    assert_int_equal(MapihostGetSessionState((IUnknown *)session, &state_now), S_OK);
    assert_int_equal(state_now.logons, 3);
    assert_int_equal(state_now.providers, 2);
    assert_int_equal(state_now.uids, 3);
    assert_in_order(events, "step Store: IMSProvider::Logon -> S_OK, the store already open (H11)");
    IMsgStore_Release(again);
    IMsgStore_Release(store);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    assert_session_clean(session);
    IMAPISession_Release(session);

    log = provider_log(RECORDER);
    assert_count(log, "ABProviderInit", 1);
    assert_count(log, "IABProvider::Logon", 2);
    assert_count(log, "MSProviderInit", 1);
    assert_count(log, "IMSProvider::Logon", 2);
    assert_in_order(log, "IABLogon::Logoff(0)", "IABLogon::Release -> 0", "IABLogon::Logoff(0)",
                    "IABLogon::Release -> 0", "IABProvider::Shutdown(&0, 0 logons left)", "IABProvider::Release -> 0");
    assert_count(log, "IABProvider::Shutdown", 1);
    /* Logoff order within a type: the latest logon first */
    assert_in_order(events, "step Second: IABLogon::Logoff(0)", "step First: IABLogon::Logoff(0)");
    assert_count(events, "VIOLATION", 0);
    assert_int_equal(provider_live_objects(RECORDER), 0);
    MAPIUninitialize();
    assert_null(GetModuleHandleA(RECORDER));
}

/* Two sessions in one process: a provider object each, one LoadLibrary, and the DLL stays until the end. */
static void test_two_sessions(void **state)
{
    IMAPISession *first, *second;
    MAPIHOST_SESSION_STATE state_now;
    const char *log;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    assert_int_equal(MAPIInitialize(NULL), S_OK); /* two clients */
    start_events();
    first = logon_profile("first.inf", three_types, 0);
    second = logon_profile("second.inf", three_types, MAPI_NO_MAIL);
    log = provider_log(RECORDER);
    assert_count(log, "ABProviderInit", 2);
    assert_count(log, "XPProviderInit", 1); /* MAPI_NO_MAIL: no transport in the second */
    assert_count(events, "LoadLibrary", 1);

    assert_int_equal(IMAPISession_Logoff(first, 0, 0, 0), S_OK);
    assert_session_clean(first);
    IMAPISession_Release(first);
    assert_int_equal(MapihostGetSessionState((IUnknown *)second, &state_now), S_OK);
    assert_int_equal(state_now.logons, 1);
    assert_int_equal(state_now.status_rows, 2);
    assert_count(provider_log(RECORDER), "IABProvider::Shutdown", 1);

    MAPIUninitialize(); /* not the last: the second session's provider DLL must stay */
    assert_non_null(GetModuleHandleA(RECORDER));
    assert_int_equal(IMAPISession_Logoff(second, 0, 0, 0), S_OK);
    assert_session_clean(second);
    IMAPISession_Release(second);
    assert_count(provider_log(RECORDER), "IABProvider::Shutdown", 2);
    assert_int_equal(provider_live_objects(RECORDER), 0);
    assert_count(events, "VIOLATION", 0);
    MAPIUninitialize();
    assert_null(GetModuleHandleA(RECORDER));
}

/* A provider built against mingw-w64's headers (32-bit ULONG for ULONG_PTR) and a _W status row (F5). */
static void test_mingw_header_provider(void **state)
{
    static const char profile[] =
        "[Services]\nThird = Third party\n"
        "[Third]\nProviders = Mingw AB\n"
        "[Mingw AB]\nPR_PROVIDER_DLL_NAME = mingwab.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n";
    SizedSPropTagArray(2, columns) = { 2, { PR_DISPLAY_NAME_A, PR_RESOURCE_TYPE } };
    IMAPISession *session;
    IMAPITable *table;
    SRowSet *rows;
    ULONG row_count;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    start_events();
    session = logon_profile("mingw.inf", profile, 0);
    assert_int_equal(IMAPISession_GetStatusTable(session, 0, &table), S_OK);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 2);
    /* written as PR_DISPLAY_NAME_W, asked for as _A */
    assert_int_equal(rows->aRow[1].lpProps[0].ulPropTag, PR_DISPLAY_NAME_A);
    assert_string_equal(rows->aRow[1].lpProps[0].Value.lpszA, "mingw-w64 fixture");
    assert_int_equal(rows->aRow[1].lpProps[1].Value.ul, MAPI_AB_PROVIDER);
    MAPIFreeBuffer(rows->aRow[0].lpProps);
    MAPIFreeBuffer(rows->aRow[1].lpProps);
    MAPIFreeBuffer(rows);

    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    /* a view opened before Logoff still sees the rows: the provider's is gone (H14) */
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &row_count), S_OK);
    assert_int_equal(row_count, 1);
    IMAPITable_Release(table);
    assert_session_clean(session);
    IMAPISession_Release(session);
    assert_in_order(provider_log("mingwab32.dll"), "ABProviderInit", "IABProvider::Logon", "IABLogon::Logoff",
                    "IABLogon::Release -> 0", "IABProvider::Shutdown", "IABProvider::Release -> 0");
    assert_count(events, "VIOLATION", 0);
    MAPIUninitialize();
    assert_null(GetModuleHandleA("mingwab32.dll"));
}

/* H25: after Logoff only Release works, on the session and on what it handed out. */
static void test_only_release_after_logoff(void **state)
{
    struct test_sink sink = TEST_SINK_INIT;
    ULONG_PTR connection;
    IMAPISession *session;
    IAddrBook *address_book;
    IMAPITable *table;
    ULONG type;
    IUnknown *unknown;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    session = logon_profile("after.inf", three_types, MAPI_NO_MAIL);
    assert_int_equal(IMAPISession_OpenAddressBook(session, 0, NULL, 0, &address_book), S_OK);
    /* spec §1F 19: a sink advised on the session itself hears of the logoff, as fnevExtended */
    assert_int_equal(IMAPISession_Advise(session, 0, NULL, fnevExtended, &sink.IMAPIAdviseSink_iface, &connection),
                     S_OK);
    assert_int_equal(sink.refcount, 2);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    assert_int_equal(sink.changes, 1);
    assert_int_equal(sink.last_type, fnevExtended);
    assert_int_equal(sink.refcount, 1);
    assert_int_equal(IMAPISession_Unadvise(session, connection), MAPI_E_END_OF_SESSION);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), MAPI_E_END_OF_SESSION);
    assert_int_equal(IMAPISession_GetStatusTable(session, 0, &table), MAPI_E_END_OF_SESSION);
    assert_null(table);
    assert_int_equal(IMAPISession_QueryInterface(session, &IID_IMAPISession, (void **)&unknown), MAPI_E_END_OF_SESSION);
    assert_int_equal(IAddrBook_OpenEntry(address_book, 0, NULL, NULL, 0, &type, &unknown), MAPI_E_END_OF_SESSION);
    assert_int_equal(IAddrBook_Release(address_book), 0);
    assert_int_equal(IMAPISession_Release(session), 0);
    MAPIUninitialize();
}

/* The status table (spec §6.3): computed columns, and PR_ENTRYID opening the provider's status object. */
static void test_status_table(void **state)
{
    SizedSPropTagArray(6, columns) = { 6,
                                       { PR_DISPLAY_NAME_A, PR_RESOURCE_TYPE, PR_ENTRYID, PR_OBJECT_TYPE,
                                         PR_PROVIDER_DLL_NAME_A, PR_IDENTITY_ENTRYID } };
    SizedSPropTagArray(1, name_tag) = { 1, { PR_DISPLAY_NAME_A } };
    struct test_sink sink = TEST_SINK_INIT;
    ULONG_PTR connection;
    IMAPISession *session;
    IAddrBook *address_book;
    IMAPIStatus *status;
    IMailUser *user;
    IMAPITable *table;
    SPropValue *name;
    ENTRYID *one_off;
    SRowSet *rows;
    ULONG type, count, i;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    session = logon_profile("status.inf", three_types, 0);
    assert_int_equal(IMAPISession_GetStatusTable(session, 0, &table), S_OK);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 10, 0, &rows), S_OK);
    /* MAPI, the address book, the spooler (Q30), the transport: the store is not open */
    assert_int_equal(rows->cRows, 4);
    assert_string_equal(rows->aRow[0].lpProps[0].Value.lpszA, "MAPI Subsystem");
    assert_int_equal(rows->aRow[0].lpProps[1].Value.ul, MAPI_SUBSYSTEM);
    assert_string_equal(rows->aRow[1].lpProps[0].Value.lpszA, "Recorded AB");
    assert_int_equal(rows->aRow[1].lpProps[1].Value.ul, MAPI_AB_PROVIDER);
    assert_int_equal(rows->aRow[1].lpProps[3].Value.ul, MAPI_STATUS);
    assert_string_equal(rows->aRow[1].lpProps[4].Value.lpszA, "recorder.dll");
    assert_int_equal(rows->aRow[2].lpProps[1].Value.ul, MAPI_SPOOLER);
    assert_int_equal(rows->aRow[3].lpProps[1].Value.ul, MAPI_TRANSPORT_PROVIDER);

    assert_int_equal(IMAPISession_OpenEntry(session, rows->aRow[1].lpProps[2].Value.bin.cb,
                                            (ENTRYID *)rows->aRow[1].lpProps[2].Value.bin.lpb, NULL, 0, &type,
                                            (IUnknown **)&status),
                     S_OK);
    assert_int_equal(type, MAPI_STATUS);
    assert_int_equal(IMAPIStatus_ValidateState(status, 0, 0), S_OK);
    IMAPIStatus_Release(status);

    /* the address book's identity routes by its MAPIUID (H9) */
    assert_int_equal(IMAPISession_OpenAddressBook(session, 0, NULL, 0, &address_book), S_OK);
    assert_int_equal(IAddrBook_OpenEntry(address_book, rows->aRow[1].lpProps[5].Value.bin.cb,
                                         (ENTRYID *)rows->aRow[1].lpProps[5].Value.bin.lpb, NULL, 0, &type,
                                         (IUnknown **)&user),
                     S_OK);
    assert_int_equal(type, MAPI_MAILUSER);
    assert_int_equal(IMailUser_GetProps(user, (SPropTagArray *)&name_tag, 0, &count, &name), S_OK);
    assert_string_equal(name->Value.lpszA, "Sample User 1");
    MAPIFreeBuffer(name);
    IMailUser_Release(user);
    /* IAddrBook::Advise goes to the address book that holds the entry, Unadvise back to it */
    assert_int_equal(IAddrBook_Advise(address_book, rows->aRow[1].lpProps[5].Value.bin.cb,
                                      (ENTRYID *)rows->aRow[1].lpProps[5].Value.bin.lpb, fnevObjectModified,
                                      &sink.IMAPIAdviseSink_iface, &connection),
                     S_OK);
    assert_int_not_equal(connection, 0);
    assert_int_equal(IAddrBook_Unadvise(address_book, connection), S_OK);
    assert_int_equal(IAddrBook_Unadvise(address_book, connection), MAPI_E_NOT_FOUND);
    assert_in_order(provider_log(RECORDER), "IABLogon::Advise(0x10)", "IABLogon::Unadvise");
    /* a one-off is MAPI's own entry: the session opens it too, and it has nothing to advise on */
    assert_int_equal(IAddrBook_CreateOneOff(address_book, "Zoe", "SMTP", "zoe@example.org", 0, &count, &one_off), S_OK);
    assert_int_equal(
        IAddrBook_Advise(address_book, count, one_off, fnevObjectModified, &sink.IMAPIAdviseSink_iface, &connection),
        MAPI_E_NO_SUPPORT);
    assert_int_equal(IMAPISession_OpenEntry(session, count, one_off, NULL, 0, &type, (IUnknown **)&user), S_OK);
    assert_int_equal(type, MAPI_MAILUSER);
    IMailUser_Release(user);
    MAPIFreeBuffer(one_off);
    IAddrBook_Release(address_book);

    /* IMAPISession::OpenEntry routes it the same way */
    assert_int_equal(IMAPISession_OpenEntry(session, rows->aRow[1].lpProps[5].Value.bin.cb,
                                            (ENTRYID *)rows->aRow[1].lpProps[5].Value.bin.lpb, NULL, 0, &type,
                                            (IUnknown **)&user),
                     S_OK);
    assert_int_equal(type, MAPI_MAILUSER);
    IMailUser_Release(user);

    for (i = 0; i < rows->cRows; i++) MAPIFreeBuffer(rows->aRow[i].lpProps);
    MAPIFreeBuffer(rows);
    /* rows going at Logoff are announced to the table's sinks (status-tables.md) */
    assert_int_equal(IMAPITable_Advise(table, fnevTableModified, &sink.IMAPIAdviseSink_iface, &connection), S_OK);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    /* the transport's row updated by TransportNotify, then the provider rows and the spooler's removed */
    assert_int_equal(sink.changes, 4);
    assert_int_equal(sink.last_table_event, TABLE_ROW_DELETED); /* rows visible in the view notify one by one (U59) */
    assert_int_equal(IMAPITable_Unadvise(table, connection), S_OK);
    assert_int_equal(sink.refcount, 1);
    IMAPITable_Release(table);
    assert_session_clean(session);
    IMAPISession_Release(session);
    assert_int_equal(provider_live_objects(RECORDER), 0);
    MAPIUninitialize();
}

struct open_call {
    IAddrBook *address_book;
    SBinary entry_id;
    HRESULT hr;
};

static DWORD WINAPI open_entry_thread(void *parameter)
{
    struct open_call *call = parameter;
    IUnknown *entry = NULL;
    ULONG type;

    call->hr = IAddrBook_OpenEntry(call->address_book, call->entry_id.cb, (ENTRYID *)call->entry_id.lpb, NULL, 0, &type,
                                   &entry);
    if (entry) IUnknown_Release(entry);
    return 0;
}

/* E25: Logoff from one thread while another thread's call is inside the provider: the logoff waits for it. */
static void test_logoff_waits_for_calls_in_flight(void **state)
{
    static const char profile[] =
        "[Services]\nS = Slow\n[S]\nProviders = Slow AB\n"
        "[Slow AB]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"
        "6700001e = slow-open-entry\n";
    SizedSPropTagArray(1, columns) = { 1, { PR_IDENTITY_ENTRYID } };
    struct open_call call = { NULL, { 0, NULL }, E_FAIL };
    IMAPISession *session;
    IMAPITable *table;
    SRowSet *rows;
    HANDLE thread;
    int waited;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    session = logon_profile("slow.inf", profile, 0);
    assert_int_equal(IMAPISession_GetStatusTable(session, 0, &table), S_OK);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), S_OK);
    assert_int_equal(IMAPITable_SeekRow(table, BOOKMARK_BEGINNING, 1, NULL), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 1, 0, &rows), S_OK);
    call.entry_id = rows->aRow[0].lpProps[0].Value.bin;
    assert_int_equal(IMAPISession_OpenAddressBook(session, 0, NULL, 0, &call.address_book), S_OK);

    assert_non_null(thread = CreateThread(NULL, 0, open_entry_thread, &call, 0, NULL));
    for (waited = 0; !strstr(provider_log(RECORDER), "IABLogon::OpenEntry(") && waited < 5000; waited++) Sleep(1);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    assert_int_equal(WaitForSingleObject(thread, INFINITE), WAIT_OBJECT_0);
    CloseHandle(thread);
    assert_int_equal(call.hr, S_OK);
    assert_in_order(provider_log(RECORDER), "IABLogon::OpenEntry(", "IABLogon::OpenEntry returns, late",
                    "IABLogon::Logoff(0)");

    MAPIFreeBuffer(rows->aRow[0].lpProps);
    MAPIFreeBuffer(rows);
    IMAPITable_Release(table);
    IAddrBook_Release(call.address_book);
    assert_session_clean(session);
    IMAPISession_Release(session);
    assert_int_equal(provider_live_objects(RECORDER), 0);
    MAPIUninitialize();
}

/* A client that forgets IMAPISession::Logoff: the last Release logs the session off, and says so. */
static void test_release_without_logoff(void **state)
{
    IMAPISession *session;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    start_events();
    session = logon_profile("nologoff.inf", three_types, 0);
    assert_int_equal(IMAPISession_Release(session), 0);
    assert_in_order(events, "released without IMAPISession::Logoff; the host logs it off now",
                    "step XP: IXPLogon::TransportLogoff(0) -> S_OK", "step AB: IABLogon::Logoff(0) -> S_OK",
                    "step recorder32.dll: IABProvider::Release -> 0");
    assert_int_equal(provider_live_objects(RECORDER), 0);
    MAPIUninitialize();
    assert_null(GetModuleHandleA(RECORDER));
}

/* The message-store table has every column its page requires (message-store-tables.md), with values that say what
 * the store is: its provider display, record key, resource type, provider and service UIDs. */
static void test_store_table_columns(void **state)
{
    static const ULONG required[] = { PR_DEFAULT_STORE,  PR_DISPLAY_NAME, PR_ENTRYID,          PR_INSTANCE_KEY,
                                      PR_MDB_PROVIDER,   PR_OBJECT_TYPE,  PR_PROVIDER_DISPLAY, PR_RECORD_KEY,
                                      PR_RESOURCE_FLAGS, PR_RESOURCE_TYPE };
    SizedSPropTagArray(4, asked) = { 4, { PR_RESOURCE_TYPE, PR_PROVIDER_UID, PR_SERVICE_UID, PR_RECORD_KEY } };
    SPropTagArray *columns;
    IMAPISession *session;
    IMAPITable *table;
    SRowSet *rows;
    ULONG i, j;

    assert_int_equal(MAPIInitialize(NULL), S_OK);
    session = logon_profile("storetable.inf", three_types, 0);
    assert_int_equal(IMAPISession_GetMsgStoresTable(session, 0, &table), S_OK);
    assert_int_equal(IMAPITable_QueryColumns(table, 0, &columns), S_OK);
    for (i = 0; i < ARRAYSIZE(required); i++) {
        for (j = 0; j < columns->cValues && columns->aulPropTag[j] != required[i]; j++) {}
        print_message("column %#lx\n", required[i]);
        assert_true(j < columns->cValues);
    }
    MAPIFreeBuffer(columns);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&asked, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_int_equal(rows->aRow[0].lpProps[0].Value.ul, MAPI_STORE_PROVIDER);
    for (i = 1; i < 4; i++) {
        assert_int_equal(PROP_TYPE(rows->aRow[0].lpProps[i].ulPropTag), PT_BINARY);
        assert_int_equal(rows->aRow[0].lpProps[i].Value.bin.cb, sizeof(MAPIUID));
    }
    /* A provider's and its service's are different sections. */
    assert_memory_not_equal(rows->aRow[0].lpProps[1].Value.bin.lpb, rows->aRow[0].lpProps[2].Value.bin.lpb,
                            sizeof(MAPIUID));
    MAPIFreeBuffer(rows->aRow[0].lpProps);
    MAPIFreeBuffer(rows);
    IMAPITable_Release(table);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    IMAPISession_Release(session);
    MAPIUninitialize();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        lifecycle_test(test_one_provider_of_each_type),
        lifecycle_test(test_store_logoff_path),
        lifecycle_test(test_several_logons_of_one_provider),
        lifecycle_test(test_two_sessions),
        lifecycle_test(test_mingw_header_provider),
        lifecycle_test(test_only_release_after_logoff),
        lifecycle_test(test_status_table),
        lifecycle_test(test_store_table_columns),
        lifecycle_test(test_release_without_logoff),
        lifecycle_test(test_logoff_waits_for_calls_in_flight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
