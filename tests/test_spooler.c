/*
 * Mail through the spooler, nothing mocked: mapihost.dll's spooler thread over the real sample store (SQLite) and the
 * real sample transport (drop folders on disk). A message submitted from the Outbox reaches the Inbox exactly once
 * and is announced with fnevNewMail, after the transport's preprocessor ran on it, and its sent copy goes to Sent
 * Items; a message handed over twice is delivered once; a recipient nobody takes, and a mailbox that
 * does not exist, come back as non-delivery reports; a store logged off while a message waits in its queue answers
 * each LOGOFF_ flag as documented, and the message waits for the next session, which sends it; the spooler's status
 * object flushes the queues before it returns.
 */
#include "mailflow.h"

static int setup(void **state)
{
    count_buffers(state);
    delete_files();
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    start_events();
    open_session(SPOOL_PROFILE);
    return 0;
}

static int teardown(void **state)
{
    if (session) close_session();
    MAPIUninitialize();
    return check_buffers(state);
}

/* The only message of a folder (the Inbox for 0), its columns as asked; the caller frees the rows. */
static SRowSet *only_message(ULONG folder_tag, const SPropTagArray *columns)
{
    IMAPIFolder *folder = open_folder(folder_tag);
    IMAPITable *table;
    SRowSet *rows;

    assert_int_equal(IMAPIFolder_GetContentsTable(folder, 0, &table), S_OK);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)columns, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    IMAPITable_Release(table);
    IMAPIFolder_Release(folder);
    return rows;
}

/* The subject and class of the Inbox's only message. */
static void inbox_message(char *subject, char *message_class)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_SUBJECT_A, PR_MESSAGE_CLASS_A } };
    SRowSet *rows = only_message(0, (SPropTagArray *)&columns);

    strcpy(subject, rows->aRow[0].lpProps[0].ulPropTag == PR_SUBJECT_A ? rows->aRow[0].lpProps[0].Value.lpszA : "");
    strcpy(message_class, rows->aRow[0].lpProps[1].Value.lpszA);
    FreeProws(rows);
}

/* The store's fnevNewMail, heard from listen_for_mail on; expect_arrival waits for it and checks the Inbox's only
 * message. */
static struct test_sink new_mail;
static ULONG_PTR new_mail_connection;

static void listen_for_mail(void)
{
    new_mail = (struct test_sink)TEST_SINK_INIT;
    assert_int_equal(
        IMsgStore_Advise(store, 0, NULL, fnevNewMail, &new_mail.IMAPIAdviseSink_iface, &new_mail_connection), S_OK);
}

static void expect_arrival(const char *subject)
{
    char got[64], message_class[64];

    wait_for_mail(&new_mail, 1);
    inbox_message(got, message_class);
    assert_string_equal(got, subject);
    assert_int_equal(IMsgStore_Unadvise(store, new_mail_connection), S_OK);
}

/* A string property of the Inbox's only message, kept until the next call. */
static const char *inbox_text(ULONG tag)
{
    static char text[256];
    SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
    SRowSet *rows = only_message(0, (SPropTagArray *)&columns);
    IMessage *message;
    SPropValue *value;
    ULONG type;

    assert_int_equal(IMsgStore_OpenEntry(store, rows->aRow[0].lpProps[0].Value.bin.cb,
                                         (ENTRYID *)rows->aRow[0].lpProps[0].Value.bin.lpb, NULL, 0, &type,
                                         (IUnknown **)&message),
                     S_OK);
    value = get_prop(message, tag);
    snprintf(text, sizeof(text), "%s", value->Value.lpszA);
    MAPIFreeBuffer(value);
    IMessage_Release(message);
    FreeProws(rows);
    return text;
}

/* Submits a message and waits for the new mail it brings to the Inbox (itself, or a report); with got_subject, the
 * Inbox's only message's subject and class. */
static void submit_and_receive(const char *address_type, const char *address, const char *subject, char *got_subject,
                               char *got_class)
{
    listen_for_mail();
    submit(address_type, address, subject);
    wait_for_mail(&new_mail, 1);
    assert_int_equal(new_mail.last_type, fnevNewMail);
    assert_int_equal(IMsgStore_Unadvise(store, new_mail_connection), S_OK);
    if (got_subject) inbox_message(got_subject, got_class);
}

/* Q1-Q24: to the transport's own mailbox and back, exactly once; the sent copy in Sent Items, the Outbox empty. */
static void test_send_to_self(void **state)
{
    char subject[64], message_class[64];

    submit_and_receive("SAMPLE", "spool", "to myself", subject, message_class);
    assert_string_equal(subject, "to myself");
    assert_string_equal(message_class, "IPM");
    wait_for_event("DoSentMail: the sent message moved to its sent-mail folder -> S_OK");
    assert_int_equal(message_count(PR_IPM_OUTBOX_ENTRYID), 0);
    assert_int_equal(message_count(PR_IPM_SENTMAIL_ENTRYID), 1);
    /* Exactly once: another poll brings nothing more. */
    Sleep(600);
    assert_int_equal(message_count(0), 1);
    /* Q10: the transport's preprocessor ran before its SubmitMessage, and its ID came with the message. */
    assert_true(strstr(inbox_text(PR_INTERNET_MESSAGE_ID_A), "@sample.mapihost>") != NULL);
    close_session();
    assert_in_order(events, "step the spooler's thread started (Q1)", "IMAPISupport::RegisterPreprocessor(",
                    "!SampleXPPreprocess, for SAMPLE) -> S_OK", "IXPProvider::TransportLogon -> S_OK",
                    "IMSProvider::SpoolerLogon -> S_OK", "!SampleXPPreprocess -> S_OK, 0 messages made",
                    "Spool Transport: IXPLogon::SubmitMessage(1 recipients) -> S_OK", "RemovePreprocessInfo for ",
                    "Spool Transport: IXPLogon::StartMessage -> S_OK, a message delivered",
                    "Spool Transport: IXPLogon::TransportLogoff(0) -> S_OK",
                    "the spooler's thread ended with the last session that had mail (Q1)");
    /* Q7: the store asked; a preprocessor is registered for SAMPLE, and no transport is coupled with the store. */
    assert_non_null(strstr(events, "IMAPISupport::ExpandRecips(1 recipients) -> NEEDS_PREPROCESSING | NEEDS_SPOOLER"));
    assert_count(events, "VIOLATION", 0);
}

static void wait_for_file_gone(const char *path)
{
    ULONGLONG end = GetTickCount64() + WAIT_MS;

    while (GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES) {
        if (GetTickCount64() > end) fail_msg("%s is still there after %d ms", path, WAIT_MS);
        Sleep(20);
    }
}

/* Copies every message file of one mailbox's drop folder into another's, under two names each: one message handed
 * over twice, as a transport does that died between the store's save and deleting its file. */
static ULONG copy_drop_files(const char *from, const char *to)
{
    char base[MAX_PATH], pattern[2 * MAX_PATH], source[2 * MAX_PATH], target[2 * MAX_PATH], temporary[2 * MAX_PATH];
    WIN32_FIND_DATAA found;
    HANDLE find;
    ULONG copied = 0;
    int twice;

    GetEnvironmentVariableA("APPDATA", base, sizeof(base));
    snprintf(pattern, sizeof(pattern), "%s\\mapihost\\sample-mail\\%s\\*.msg", base, from);
    assert_true((find = FindFirstFileA(pattern, &found)) != INVALID_HANDLE_VALUE);
    do
        for (twice = 0; twice < 2; twice++) {
            snprintf(source, sizeof(source), "%s\\mapihost\\sample-mail\\%s\\%s", base, from, found.cFileName);
            snprintf(temporary, sizeof(temporary), "%s\\mapihost\\sample-mail\\%s\\~copy.tmp", base, to);
            snprintf(target, sizeof(target), "%s\\mapihost\\sample-mail\\%s\\%d%s", base, to, twice, found.cFileName);
            /* Whole or not at all, as the transport writes them. */
            assert_true(CopyFileA(source, temporary, FALSE));
            assert_true(MoveFileA(temporary, target));
            copied++;
        }
    while (FindNextFileA(find, &found));
    FindClose(find);
    return copied;
}

/* Q22: a transport that asked for LOGON_SP_IDLE gets Idle when the spooler has no mail to move. The sample's Idle
 * deletes what a sender's crash left half-written in its mailbox, once it is old enough not to be still written. */
static void test_idle(void **state)
{
    char base[MAX_PATH], stale[2 * MAX_PATH], fresh[2 * MAX_PATH];
    FILETIME long_ago;
    ULARGE_INTEGER time;
    HANDLE file;

    GetEnvironmentVariableA("APPDATA", base, sizeof(base));
    snprintf(stale, sizeof(stale), "%s\\mapihost\\sample-mail\\spool\\~stale.tmp", base);
    snprintf(fresh, sizeof(fresh), "%s\\mapihost\\sample-mail\\spool\\~fresh.tmp", base);
    GetSystemTimeAsFileTime(&long_ago);
    time.LowPart = long_ago.dwLowDateTime;
    time.HighPart = long_ago.dwHighDateTime;
    time.QuadPart -= 20ull * 60 * 10000000; /* twenty minutes */
    long_ago.dwLowDateTime = time.LowPart;
    long_ago.dwHighDateTime = time.HighPart;
    assert_true((file = CreateFileA(stale, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL)) != INVALID_HANDLE_VALUE);
    assert_true(SetFileTime(file, NULL, NULL, &long_ago));
    CloseHandle(file);
    assert_true((file = CreateFileA(fresh, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL)) != INVALID_HANDLE_VALUE);
    CloseHandle(file);
    wait_for_file_gone(stale);
    assert_int_not_equal(GetFileAttributesA(fresh), INVALID_FILE_ATTRIBUTES); /* maybe still being written */
    DeleteFileA(fresh);
}

/* X41: a message handed over twice is delivered once; the second copy is dropped by its Internet message ID. */
/* A message sent to a mailbox no session reads, so that its file stays there for copy_drop_files. */
static void send_elsewhere(const char *subject)
{
    char base[MAX_PATH], folder[2 * MAX_PATH];

    GetEnvironmentVariableA("APPDATA", base, sizeof(base));
    snprintf(folder, sizeof(folder), "%s\\mapihost\\sample-mail\\elsewhere", base);
    assert_true(CreateDirectoryA(folder, NULL));
    submit("SAMPLE", "elsewhere", subject);
    wait_for_event("DoSentMail: the sent message moved to its sent-mail folder -> S_OK");
}

static void test_duplicate_dropped(void **state)
{
    send_elsewhere("twice");
    assert_int_equal(copy_drop_files("elsewhere", "spool"), 2);
    wait_for_event("a message delivered again (the same PR_INTERNET_MESSAGE_ID) is dropped");
    assert_int_equal(message_count(0), 1);
    assert_string_equal(inbox_text(PR_SUBJECT_A), "twice");
    assert_count(events, "VIOLATION", 0);
}

/* Q19: a mailbox that does not exist: the transport reports it (StatusRecips), and the sender gets a non-delivery
 * report with the message inside. */
static void test_unknown_mailbox(void **state)
{
    char subject[64], message_class[64];

    submit_and_receive("SAMPLE", "nobody", "to nobody", subject, message_class);
    assert_string_equal(subject, "Undeliverable: to nobody");
    assert_string_equal(message_class, "REPORT.IPM.NDR");
    assert_in_order(events, "IMAPISupport::StatusRecips(1 recipients): a non-delivery report (Q19)");
}

/* Q11: an address type no transport takes: the spooler itself reports it. */
static void test_no_transport(void **state)
{
    char subject[64], message_class[64];

    submit_and_receive("FAX", "+1 555 0100", "by fax", subject, message_class);
    assert_string_equal(subject, "Undeliverable: by fax");
    assert_string_equal(message_class, "REPORT.IPM.NDR");
    assert_in_order(events, "1 recipients of a message no transport takes (address type FAX): a non-delivery report");
}

/* Q19: the report gives the original's subject back whole, characters outside the code page included. */
static void test_report_keeps_unicode_subject(void **state)
{
    static const WCHAR expected[] = L"Undeliverable: Gr\u00fc\u00dfe \u20ac \u65e5\u672c";
    SizedSPropTagArray(1, columns) = { 1, { PR_SUBJECT_W } };
    struct test_sink sink = TEST_SINK_INIT;
    IMAPIFolder *inbox;
    IMAPITable *table;
    ULONG_PTR connection;
    SRowSet *rows;

    assert_int_equal(IMsgStore_Advise(store, 0, NULL, fnevNewMail, &sink.IMAPIAdviseSink_iface, &connection), S_OK);
    submit("FAX", "+1 555 0100",
           "Gr\xc3\xbc\xc3\x9f"
           "e \xe2\x82\xac \xe6\x97\xa5\xe6\x9c\xac");
    wait_for_mail(&sink, 1);
    assert_int_equal(IMsgStore_Unadvise(store, connection), S_OK);
    inbox = open_folder(0);
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, MAPI_UNICODE, &table), S_OK);
    assert_int_equal(HrQueryAllRows(table, (SPropTagArray *)&columns, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_true(!wcscmp(rows->aRow[0].lpProps[0].Value.lpszW, expected));
    FreeProws(rows);
    IMAPITable_Release(table);
    IMAPIFolder_Release(inbox);
}

/* Q31, Q32: a message the transport defers stays queued. LOGOFF_ABORT and LOGOFF_QUIET change nothing and say so
 * (LOGOFF_OUTBOUND_QUEUE); LOGOFF_ORDERLY logs the store off with the message still queued; the next session, with a
 * transport that sends, sends it. */
static void test_store_logoff_with_queued_mail(void **state)
{
    ULONG flags;

    close_session();
    open_session(WAITING_PROFILE);
    submit("SAMPLE", "spool", "waits");
    wait_for_event("Waiting Transport: IXPLogon::SubmitMessage(1 recipients) -> MAPI_E_WAIT");
    flags = LOGOFF_ABORT;
    assert_int_equal(IMsgStore_StoreLogoff(store, &flags), S_OK);
    assert_int_equal(flags, LOGOFF_OUTBOUND_QUEUE);
    flags = LOGOFF_QUIET;
    assert_int_equal(IMsgStore_StoreLogoff(store, &flags), S_OK);
    assert_int_equal(flags, LOGOFF_OUTBOUND_QUEUE);
    assert_int_equal(message_count(PR_IPM_OUTBOX_ENTRYID), 1); /* the store still works: nothing happened */
    flags = LOGOFF_ORDERLY;
    assert_int_equal(IMsgStore_StoreLogoff(store, &flags), S_OK);
    assert_int_equal(flags, LOGOFF_OUTBOUND_QUEUE);
    assert_in_order(events, "StoreLogoffTransports(0x8) -> S_OK, 0x80000: mail in flight",
                    "StoreLogoffTransports(0x2) -> S_OK, 0x90000 (Q31)");
    close_session();

    open_session(SPOOL_PROFILE);
    listen_for_mail();
    expect_arrival("waits");
}

/* Q31: once the store is logged off the spooler has let go of it and receives nothing: mail that comes meanwhile
 * waits with its transport, quietly (it used to be taken, and reported as "no receive folder"), and arrives with
 * the next session that opens the store. */
static void test_mail_waits_while_store_away(void **state)
{
    ULONG flags = LOGOFF_ORDERLY;

    send_elsewhere("while away");
    assert_int_equal(IMsgStore_StoreLogoff(store, &flags), S_OK);
    assert_int_equal(copy_drop_files("elsewhere", "spool"), 2);
    Sleep(1000); /* four polls of the transport, each of which finds the mail */
    assert_count(events, "no receive folder", 0);
    assert_count(events, "ERROR", 0);
    close_session();
    open_session(SPOOL_PROFILE);
    listen_for_mail();
    expect_arrival("while away");
}

/* The entry ID of the Outbox's only message, kept until the next call. */
static SBinary *outbox_entry_id(void)
{
    static BYTE bytes[256];
    static SBinary id;
    SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
    SRowSet *rows = only_message(PR_IPM_OUTBOX_ENTRYID, (SPropTagArray *)&columns);

    assert_true(rows->aRow[0].lpProps[0].Value.bin.cb <= sizeof(bytes));
    id.cb = rows->aRow[0].lpProps[0].Value.bin.cb;
    memcpy(bytes, rows->aRow[0].lpProps[0].Value.bin.lpb, id.cb);
    id.lpb = bytes;
    FreeProws(rows);
    return &id;
}

#define DEFERRED "Deferring Transport: EndMessage -> END_DONT_RESEND: the message is deferred"

/* A session whose transport defers what it is given, and a message it has deferred. */
static void submit_deferred(const char *subject)
{
    close_session();
    open_session(DEFERRING_PROFILE(""));
    submit("SAMPLE", "spool", subject);
    wait_for_event(DEFERRED);
}

/* Q14: a message the transport deferred is not offered again until it asks for it (NOTIFY_SENTDEFERRED); then it
 * gets it with BEGIN_DEFERRED, sends it, and it arrives once. */
static void test_deferred_then_sent(void **state)
{
    close_session();
    open_session(DEFERRING_PROFILE(",send-deferred"));
    listen_for_mail();
    submit("SAMPLE", "spool", "deferred");
    expect_arrival("deferred");
    assert_in_order(events, "Deferring Transport: IXPLogon::SubmitMessage(1 recipients) -> S_OK, EndMessage", DEFERRED,
                    "Deferring Transport: IXPLogon::SubmitMessage(BEGIN_DEFERRED, 1 recipients) -> S_OK");
    assert_in_order(provider_log(RECORDER), "IXPLogon::SubmitMessage(0)", "IXPLogon::EndMessage(",
                    "IMAPISupport::SpoolerNotify(NOTIFY_SENTDEFERRED) -> 0", "IXPLogon::SubmitMessage(0x1)");
    assert_int_equal(count_of(events, "Deferring Transport: IXPLogon::SubmitMessage("), 2);
    close_session();
    assert_count(events, "VIOLATION", 0);
}

/* Q17: a deferred message waits, unlocked, and is never offered again by itself; its sender can still cancel it,
 * and the transport is told with NOTIFY_ABORT_DEFERRED | NOTIFY_CANCEL_MESSAGE and the message's entry ID. */
static void test_deferred_cancelled(void **state)
{
    submit_deferred("cancelled");
    Sleep(800); /* polls and passes: still deferred, not offered again */
    assert_int_equal(count_of(events, "Deferring Transport: IXPLogon::SubmitMessage("), 1);
    assert_int_equal(IMsgStore_AbortSubmit(store, outbox_entry_id()->cb, (ENTRYID *)outbox_entry_id()->lpb, 0), S_OK);
    wait_for_event("IXPLogon::TransportNotify(NOTIFY_ABORT_DEFERRED | NOTIFY_CANCEL_MESSAGE) -> S_OK");
    assert_non_null(
        strstr(provider_log(RECORDER), "Deferring Transport: the deferred message taken back: its entry ID"));
    close_session();
    assert_int_equal(count_of(events, "NOTIFY_ABORT_DEFERRED"), 1); /* not again at logoff */
    assert_count(events, "VIOLATION", 0);
}

/* Q33: at the session's logoff the transport is told of the message it still defers (NOTIFY_ABORT_DEFERRED alone)
 * before its traffic ends; the message stays queued, and the next session sends it. */
static void test_deferred_at_logoff(void **state)
{
    submit_deferred("still deferred");
    close_session();
    assert_in_order(events,
                    "Deferring Transport: the spooler lets go of the store; a message it deferred stays "
                    "queued (Q33): IXPLogon::TransportNotify(NOTIFY_ABORT_DEFERRED) -> S_OK",
                    "Deferring Transport: IXPLogon::TransportNotify(NOTIFY_END_INBOUND | NOTIFY_END_OUTBOUND)",
                    "Deferring Transport: IXPLogon::TransportLogoff(0) -> S_OK");
    assert_count(events, "VIOLATION", 0);

    open_session(SPOOL_PROFILE);
    listen_for_mail();
    expect_arrival("still deferred");
}

/* Waits until the recording transport's call log has text. */
static void wait_for_call(const char *text)
{
    ULONGLONG end = GetTickCount64() + WAIT_MS;

    while (!strstr(provider_log(RECORDER), text)) {
        if (GetTickCount64() > end) fail_msg("\"%s\" not in the call log within %d ms", text, WAIT_MS);
        Sleep(20);
    }
}

/* The host's line for a transfer it cancelled at logoff, with the msgref the transport had set. */
#define CANCEL_LINE(msgref)                                                                                            \
    "Faulty Transport: still moving a message 5 s into its session's logoff: "                                         \
    "IXPLogon::TransportNotify(NOTIFY_CANCEL_MESSAGE, msgref " msgref ") -> S_OK"

/* Q17, Q33: a session logs off while its transport is inside SubmitMessage and does not return; 5 s on, the
 * logging-off thread tells the transport to let go of the message (NOTIFY_CANCEL_MESSAGE with the msgref it set),
 * the call returns, the transport logs off, and the message, still queued, goes with the next session, once. */
static void test_send_cancelled_at_logoff(void **state)
{
    close_session();
    open_session(FAULTY_TRANSPORT_PROFILE("cancel-submit"));
    submit("SAMPLE", "spool", "cancelled in flight");
    wait_for_call("Faulty Transport: msgref 0x1 waits to be cancelled");
    close_session();
    assert_in_order(events, CANCEL_LINE("0x1"),
                    "Faulty Transport: IXPLogon::SubmitMessage(1 recipients) -> MAPI_E_USER_CANCEL",
                    "Faulty Transport: IXPLogon::TransportLogoff(0) -> S_OK");
    assert_in_order(provider_log(RECORDER), "IXPLogon::TransportNotify(0x80000000)",
                    "Faulty Transport: msgref 0x1 cancelled");
    assert_count(events, "VIOLATION", 0);
    assert_count(events, "ERROR", 0);

    open_session(SPOOL_PROFILE);
    listen_for_mail();
    expect_arrival("cancelled in flight");
}

/* Q17: the same while StartMessage receives: the message stays with the transport, nothing half-made is saved, and
 * the next session delivers it once (its Inbox's only message). */
static void test_receive_cancelled_at_logoff(void **state)
{
    close_session();
    open_session(FAULTY_TRANSPORT_PROFILE("cancel-start"));
    submit("SAMPLE", "spool", "received later"); /* sent: msgref 1 */
    wait_for_call("Faulty Transport: msgref 0x2 waits to be cancelled");
    close_session();
    assert_in_order(
        events, CANCEL_LINE("0x2"),
        "Faulty Transport: IXPLogon::StartMessage -> MAPI_E_USER_CANCEL (0x80040113), cancelled: the message "
        "stays with it (Q17)",
        "Faulty Transport: IXPLogon::TransportLogoff(0) -> S_OK");
    assert_count(events, "VIOLATION", 0);
    assert_count(events, "ERROR", 0);

    open_session(SPOOL_PROFILE);
    listen_for_mail();
    expect_arrival("received later");
}

/* The spool mailbox with an address book of personal distribution lists: the recorder's "pdl". */
#define LIST_PROFILE                                                                                                   \
    "[Services]\nStore = Store service\nMail = Mail service\nBook = Book service\n" STORE_SECTIONS                     \
    "[Mail]\nProviders = Spool Transport\n"                                                                            \
    "[Spool Transport]\nPR_PROVIDER_DLL_NAME = samplexp.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"             \
    "PR_DISPLAY_NAME = Spool Transport\nPR_EMAIL_ADDRESS = spool\n"                                                    \
    "[Book]\nProviders = List AB\n"                                                                                    \
    "[List AB]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\nPR_DISPLAY_NAME = List AB\n" \
    "6700001e = pdl\n"

/* The entry ID of the directory row named name, found as a client finds it: root, hierarchy, contents. */
static SPropValue *directory_entry(IAddrBook *address_book, const char *name)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_A } };
    IMAPIContainer *root, *directory;
    IMAPITable *table;
    SPropValue *found = NULL;
    SRowSet *rows;
    ULONG type, i;

    assert_int_equal(IAddrBook_OpenEntry(address_book, 0, NULL, NULL, 0, &type, (IUnknown **)&root), S_OK);
    assert_int_equal(IMAPIContainer_GetHierarchyTable(root, 0, &table), S_OK);
    assert_int_equal(HrQueryAllRows(table, (SPropTagArray *)&columns, NULL, NULL, 0, &rows), S_OK);
    IMAPITable_Release(table);
    IMAPIContainer_Release(root);
    assert_int_equal(rows->cRows, 1);
    assert_int_equal(IAddrBook_OpenEntry(address_book, rows->aRow[0].lpProps[0].Value.bin.cb,
                                         (ENTRYID *)rows->aRow[0].lpProps[0].Value.bin.lpb, NULL, 0, &type,
                                         (IUnknown **)&directory),
                     S_OK);
    FreeProws(rows);
    assert_int_equal(IMAPIContainer_GetContentsTable(directory, 0, &table), S_OK);
    assert_int_equal(HrQueryAllRows(table, (SPropTagArray *)&columns, NULL, NULL, 0, &rows), S_OK);
    IMAPITable_Release(table);
    IMAPIContainer_Release(directory);
    for (i = 0; i < rows->cRows && !found; i++)
        if (!strcmp(rows->aRow[i].lpProps[1].Value.lpszA, name)) {
            assert_int_equal(ScDupPropset(1, rows->aRow[i].lpProps, MAPIAllocateBuffer, &found), S_OK);
        }
    FreeProws(rows);
    assert_non_null(found);
    return found;
}

/* Q7: ExpandRecips completes the list. A personal distribution list (MAPIPDL) becomes its members, a list within it
 * too; a one-off recipient whose display name the client changed gets its own back; recipients with an address
 * another has (letter case aside) are marked duplicates, so the transport is given the mailbox once; the message
 * arrives once, and its sent copy is addressed to all three names. */
static void test_recipients_completed(void **state)
{
    SPropValue list_row[4], renamed[5], *list_id;
    struct {
        ULONG cEntries;
        ADRENTRY aEntries[2];
    } recipients = { 2, { { 0, 4, list_row }, { 0, 5, renamed } } };
    SizedSPropTagArray(1, display_to) = { 1, { PR_DISPLAY_TO_A } };
    IAddrBook *address_book;
    ENTRYID *one_off;
    SRowSet *sent;
    ULONG size;

    close_session();
    open_session(LIST_PROFILE);
    assert_int_equal(IMAPISession_OpenAddressBook(session, 0, NULL, AB_NO_DIALOG, &address_book), S_OK);
    list_id = directory_entry(address_book, "Sample List");
    assert_int_equal(IAddrBook_CreateOneOff(address_book, (LPTSTR) "Spool Mailbox", (LPTSTR) "SAMPLE", (LPTSTR) "spool",
                                            0, &size, &one_off),
                     S_OK);
    list_row[0] = *list_id;
    list_row[1].ulPropTag = PR_DISPLAY_NAME_A;
    list_row[1].Value.lpszA = (char *)"Sample List";
    list_row[2].ulPropTag = PR_ADDRTYPE_A;
    list_row[2].Value.lpszA = (char *)"MAPIPDL";
    list_row[3].ulPropTag = PR_RECIPIENT_TYPE;
    list_row[3].Value.l = MAPI_TO;
    renamed[0].ulPropTag = PR_ENTRYID;
    renamed[0].Value.bin.cb = size;
    renamed[0].Value.bin.lpb = (BYTE *)one_off;
    renamed[1].ulPropTag = PR_DISPLAY_NAME_A;
    renamed[1].Value.lpszA = (char *)"Renamed";
    renamed[2].ulPropTag = PR_ADDRTYPE_A;
    renamed[2].Value.lpszA = (char *)"SAMPLE";
    renamed[3].ulPropTag = PR_EMAIL_ADDRESS_A;
    renamed[3].Value.lpszA = (char *)"spool";
    renamed[4].ulPropTag = PR_RECIPIENT_TYPE;
    renamed[4].Value.l = MAPI_TO;
    listen_for_mail();
    submit_to((ADRLIST *)&recipients, "to a list");
    expect_arrival("to a list");
    sent = only_message(PR_IPM_SENTMAIL_ENTRYID, (SPropTagArray *)&display_to);
    assert_int_equal(sent->aRow[0].lpProps[0].ulPropTag, PR_DISPLAY_TO_A);
    /* The list's members in its table's order (by name: "Inner List" first), then the renamed one-off. */
    assert_string_equal(sent->aRow[0].lpProps[0].Value.lpszA, "Spool Again; Spool Mailbox; Spool Mailbox");
    FreeProws(sent);
    assert_in_order(events,
                    "Sample Store: IMAPISupport::ExpandRecips(3 recipients (1 lists expanded, 2 one-offs resolved, 1 "
                    "names put back, 2 duplicates))",
                    "Spool Transport: IXPLogon::SubmitMessage(1 recipients) -> S_OK");
    assert_count(events, "IXPLogon::SubmitMessage(", 1);
    assert_count(events, "VIOLATION", 0);
    assert_count(events, "ERROR", 0);
    MAPIFreeBuffer(one_off);
    MAPIFreeBuffer(list_id);
    IAddrBook_Release(address_book);
}

/* Q10: a message the preprocessor makes (the recorder's, for a subject beginning "copy me") is given to its transport
 * at once and not preprocessed again; the original and the copy arrive once each, and nothing stays in the Outbox. */
static void test_preprocessor_made_message(void **state)
{
    close_session();
    open_session(FAULTY_TRANSPORT_PROFILE("none"));
    listen_for_mail();
    submit("SAMPLE", "spool", "copy me");
    wait_for_mail(&new_mail, 2);
    Sleep(800); /* passes and polls: nothing more comes */
    assert_int_equal(message_count(0), 2);
    assert_int_equal(message_count(PR_IPM_OUTBOX_ENTRYID), 0);
    assert_in_order(events, "recorder32.dll!SampleXPPreprocess -> S_OK, 1 messages made",
                    "Faulty Transport: a message made by ",
                    "!SampleXPPreprocess: IXPLogon::SubmitMessage -> S_OK, EndMessage",
                    "Faulty Transport: IXPLogon::SubmitMessage(1 recipients) -> S_OK");
    assert_count(events, "!SampleXPPreprocess -> S_OK, ", 1); /* it ran once: not on the copy */
    assert_count(events, "VIOLATION", 0);
    assert_count(events, "ERROR", 0);
    assert_int_equal(IMsgStore_Unadvise(store, new_mail_connection), S_OK);
}

/* Waits until a row of the session's status table has PR_OWN_STORE_ENTRYID: a transport coupled with its store. */
static void wait_for_coupling(void)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_OWN_STORE_ENTRYID } };
    ULONGLONG end = GetTickCount64() + WAIT_MS;
    IMAPITable *table;
    SRowSet *rows;
    BOOL coupled;
    ULONG i;

    assert_int_equal(IMAPISession_GetStatusTable(session, 0, &table), S_OK);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), S_OK);
    do {
        if (GetTickCount64() > end) fail_msg("no transport named its store within %d ms", WAIT_MS);
        Sleep(20);
        assert_int_equal(IMAPITable_SeekRow(table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
        assert_int_equal(IMAPITable_QueryRows(table, 10, 0, &rows), S_OK);
        for (i = 0, coupled = FALSE; i < rows->cRows; i++)
            coupled |= rows->aRow[i].lpProps[0].ulPropTag == PR_OWN_STORE_ENTRYID;
        FreeProws(rows);
    } while (!coupled);
    IMAPITable_Release(table);
}

/* Q2, Q7, Q21: a store coupled with a transport that takes every recipient sends the message itself, without the
 * spooler (ExpandRecips answers 0); what it delivers it announces (NOTIFY_NEWMAIL_RECEIVED, which reaches the client
 * as fnevNewMail), and the sent message it hands back (CompleteMsg) goes to Sent Items. */
static void test_coupled_pair(void **state)
{
    close_session();
    open_session(COUPLED_PROFILE);
    wait_for_coupling();
    listen_for_mail();
    submit("SAMPLE", "spool", "coupled");
    expect_arrival("coupled");
    wait_for_event("a coupled store's sent message finished (DoSentMail) -> S_OK (Q21)");
    assert_int_equal(message_count(PR_IPM_OUTBOX_ENTRYID), 0);
    assert_int_equal(message_count(PR_IPM_SENTMAIL_ENTRYID), 1);
    assert_in_order(events, "Coupled Store: IMAPISupport::ExpandRecips(1 recipients) -> 0 (Q7)",
                    "a coupled store's new mail announced (IMsgStore::NotifyNewMail) -> S_OK (Q21)");
    assert_int_equal(count_of(events, "IXPLogon::SubmitMessage"), 0); /* the spooler sent nothing */
    close_session();
    assert_count(events, "VIOLATION", 0);
}

/* Q25: after a transport's NOTIFY_CRITICAL_ERROR the spooler calls it no more but for its logoff; a message only it
 * takes stays queued for a later session, which sends it. */
static void test_critical_error(void **state)
{
    close_session();
    open_session(FAULTY_TRANSPORT_PROFILE("critical-error"));
    wait_for_event("Faulty Transport: SpoolerNotify(NOTIFY_CRITICAL_ERROR): an unrecoverable error");
    submit("SAMPLE", "spool", "after the error");
    Sleep(800); /* passes and polls: nothing goes to the transport */
    assert_int_equal(message_count(PR_IPM_OUTBOX_ENTRYID), 1);
    assert_null(strstr(provider_log(RECORDER), "IXPLogon::Poll after its critical error"));
    assert_null(strstr(provider_log(RECORDER), "IXPLogon::SubmitMessage("));
    close_session();
    assert_in_order(events, "Faulty Transport: IXPLogon::TransportLogoff(0) -> S_OK");

    open_session(SPOOL_PROFILE);
    listen_for_mail();
    expect_arrival("after the error");
}

/* Q22: between a transport's NOTIFY_CRITSEC and NOTIFY_NONCRIT the spooler neither polls it nor gives it an idle
 * moment; other calls go on (its SubmitMessage leaves the section), and then polling resumes. */
static void test_critical_section(void **state)
{
    ULONGLONG end;

    close_session();
    open_session(FAULTY_TRANSPORT_PROFILE("critsec"));
    for (end = GetTickCount64() + WAIT_MS; !strstr(provider_log(RECORDER), "SpoolerNotify(NOTIFY_CRITSEC) -> 0");
         Sleep(20))
        if (GetTickCount64() > end) fail_msg("the transport entered no critical section within %d ms", WAIT_MS);
    Sleep(800); /* polls due meanwhile: none may come */
    assert_null(strstr(provider_log(RECORDER), "IXPLogon::Poll in its critical section"));
    listen_for_mail();
    submit("SAMPLE", "spool", "out of the section");
    expect_arrival("out of the section");
    assert_in_order(provider_log(RECORDER), "SpoolerNotify(NOTIFY_CRITSEC) -> 0", "IXPLogon::SubmitMessage(0)",
                    "SpoolerNotify(NOTIFY_NONCRIT) -> 0");
    close_session();
    assert_count(events, "VIOLATION", 0);
}

/* Q3: after a transport's NOTIFY_CONFIG_CHANGE the spooler asks for its address types again and routes by the new
 * ones: a SAMPLE recipient it no longer takes gets a non-delivery report. */
static void test_config_change(void **state)
{
    ULONGLONG end = GetTickCount64() + WAIT_MS;

    close_session();
    open_session(FAULTY_TRANSPORT_PROFILE("config-change"));
    while (count_of(events, "Faulty Transport: IXPLogon::AddressTypes -> S_OK, 1 address types") < 2) {
        if (GetTickCount64() > end) fail_msg("AddressTypes was not asked again within %d ms", WAIT_MS);
        Sleep(20);
    }
    submit("SAMPLE", "spool", "no longer taken");
    wait_for_event("1 recipients of a message no transport takes (address type SAMPLE): a non-delivery report");
    assert_in_order(provider_log(RECORDER), "SpoolerNotify(NOTIFY_CONFIG_CHANGE) -> 0", "IXPLogon::AddressTypes");
    assert_null(strstr(provider_log(RECORDER), "IXPLogon::SubmitMessage("));
    close_session();
    assert_count(events, "VIOLATION", 0);
}

/* Q11: a transport of any address type gets a recipient only after the transports that name its type, whatever the
 * profile's order; a recipient of a type nobody names goes to it. */
static void test_catch_all_after_explicit(void **state)
{
    close_session();
    open_session("[Services]\nStore = Store service\nMail = Mail service\n" STORE_SECTIONS
                 "[Mail]\nProviders = Any Transport, Spool Transport\n"
                 "[Any Transport]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"
                 "PR_DISPLAY_NAME = Any Transport\nPR_EMAIL_ADDRESS = spool-any\n6700001e = any-type\n"
                 "[Spool Transport]\nPR_PROVIDER_DLL_NAME = samplexp.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"
                 "PR_DISPLAY_NAME = Spool Transport\nPR_EMAIL_ADDRESS = spool\n");
    listen_for_mail();
    submit("SAMPLE", "spool", "to the one that names it");
    expect_arrival("to the one that names it");
    assert_int_equal(count_of(events, "Any Transport: IXPLogon::SubmitMessage("), 0);
    submit("OTHER", "somewhere", "to the catch-all");
    wait_for_event("Any Transport: IXPLogon::SubmitMessage(1 recipients) -> S_OK");
    close_session();
    assert_count(events, "VIOLATION", 0);
}

/* Q7: a recipient the client named only by a one-off entry ID (IAddrBook::CreateOneOff) gets its address type and
 * address from it when the store calls ExpandRecips, so a transport takes it and the message arrives. */
static void test_one_off_recipient(void **state)
{
    IMAPIFolder *outbox = open_folder(PR_IPM_OUTBOX_ENTRYID);
    SPropValue recipient[3], subject;
    ADRLIST list = { 1, { { 0, 3, recipient } } };
    IMessage *message;
    IAddrBook *book;
    ENTRYID *id;
    ULONG size;

    assert_int_equal(IMAPISession_OpenAddressBook(session, 0, NULL, 0, &book), S_OK);
    assert_int_equal(IAddrBook_CreateOneOff(book, (LPTSTR) "spool", (LPTSTR) "SAMPLE", (LPTSTR) "spool", 0, &size, &id),
                     S_OK);
    recipient[0].ulPropTag = PR_DISPLAY_NAME_A;
    recipient[0].Value.lpszA = (char *)"spool";
    recipient[1].ulPropTag = PR_ENTRYID;
    recipient[1].Value.bin.cb = size;
    recipient[1].Value.bin.lpb = (BYTE *)id;
    recipient[2].ulPropTag = PR_RECIPIENT_TYPE;
    recipient[2].Value.l = MAPI_TO;
    subject.ulPropTag = PR_SUBJECT_A;
    subject.Value.lpszA = (char *)"by its entry ID";
    assert_int_equal(IMAPIFolder_CreateMessage(outbox, NULL, 0, &message), S_OK);
    assert_int_equal(IMessage_SetProps(message, 1, &subject, NULL), S_OK);
    assert_int_equal(IMessage_ModifyRecipients(message, MODRECIP_ADD, &list), S_OK);
    listen_for_mail();
    assert_int_equal(IMessage_SubmitMessage(message, 0), S_OK);
    IMessage_Release(message);
    expect_arrival("by its entry ID");
    MAPIFreeBuffer(id);
    IAddrBook_Release(book);
    IMAPIFolder_Release(outbox);
    close_session();
    assert_count(events, "VIOLATION", 0);
}

/* Q31: with nothing in flight every flag completes, and the spooler lets go of the store. */
static void test_store_logoff_idle(void **state)
{
    static const ULONG inputs[] = { LOGOFF_NO_WAIT, LOGOFF_ORDERLY, LOGOFF_PURGE, LOGOFF_ABORT, LOGOFF_QUIET };
    char text[128];
    ULONG flags, i;

    for (i = 0; i < ARRAYSIZE(inputs); i++) {
        if (i) {
            close_session();
            open_session(SPOOL_PROFILE);
        }
        submit_and_receive("SAMPLE", "spool", "before the logoff", NULL,
                           NULL); /* so that the spooler holds the store */
        start_events();
        flags = inputs[i];
        assert_int_equal(IMsgStore_StoreLogoff(store, &flags), S_OK);
        assert_int_equal(flags, 0);
        snprintf(text, sizeof(text), "StoreLogoffTransports(%#lx) -> S_OK, LOGOFF_COMPLETE", inputs[i]);
        assert_in_order(events, text);
        /* The spooler's logon is gone; the client's stays until its Release. */
        assert_count(events, "IMSLogon::Logoff", 1);
    }
}

/* The spooler's status object, opened from its row of the session's status table (Q27, Q28, Q30). */
static IMAPIStatus *open_spooler_status(SBinary *entry_id_copy, BYTE *bytes)
{
    SizedSPropTagArray(3, columns) = { 3, { PR_RESOURCE_TYPE, PR_ENTRYID, PR_RESOURCE_METHODS } };
    SPropValue type_value = { PR_RESOURCE_TYPE, 0, { .l = MAPI_SPOOLER } };
    SRestriction only = { RES_PROPERTY, { .resProperty = { RELOP_EQ, PR_RESOURCE_TYPE, &type_value } } };
    IMAPIStatus *status;
    IMAPITable *table;
    SRowSet *rows;
    ULONG type;

    assert_int_equal(IMAPISession_GetStatusTable(session, 0, &table), S_OK);
    assert_int_equal(HrQueryAllRows(table, (SPropTagArray *)&columns, &only, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_int_equal(rows->aRow[0].lpProps[2].Value.l, STATUS_VALIDATE_STATE | STATUS_FLUSH_QUEUES);
    assert_int_equal(IMAPISession_OpenEntry(session, rows->aRow[0].lpProps[1].Value.bin.cb,
                                            (ENTRYID *)rows->aRow[0].lpProps[1].Value.bin.lpb, NULL, 0, &type,
                                            (IUnknown **)&status),
                     S_OK);
    assert_int_equal(type, MAPI_STATUS);
    if (entry_id_copy) {
        entry_id_copy->cb = rows->aRow[0].lpProps[1].Value.bin.cb;
        memcpy(bytes, rows->aRow[0].lpProps[1].Value.bin.lpb, entry_id_copy->cb);
        entry_id_copy->lpb = bytes;
    }
    FreeProws(rows);
    IMAPITable_Release(table);
    return status;
}

/* Q27, Q28: the spooler's row is there while mail flows; FlushQueues sends and receives before it returns, asks the
 * transport to flush and ends each phase; a bad flag or target is refused; after the logoff the object says so. */
static void test_spooler_status(void **state)
{
    SizedSPropTagArray(2, tags) = { 2, { PR_RESOURCE_TYPE, PR_DISPLAY_NAME_A } };
    IMAPIStatus *status = open_spooler_status(NULL, NULL);
    BYTE not_a_transport[64] = { 0 };
    SPropValue *values;
    ULONG count;

    assert_int_equal(IMAPIStatus_GetProps(status, (SPropTagArray *)&tags, 0, &count, &values), S_OK);
    assert_int_equal(values[0].Value.l, MAPI_SPOOLER);
    assert_string_equal(values[1].Value.lpszA, "MAPI Spooler");
    MAPIFreeBuffer(values);
    assert_int_equal(IMAPIStatus_FlushQueues(status, 0, 0, NULL, 0x1000), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(
        IMAPIStatus_FlushQueues(status, 0, sizeof(not_a_transport), (ENTRYID *)not_a_transport, FLUSH_UPLOAD),
        MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPIStatus_SettingsDialog(status, 0, 0), MAPI_E_NO_SUPPORT);
    assert_int_equal(IMAPIStatus_ValidateState(status, 0, 0), S_OK);

    /* Synchronous: the message is in the Inbox when the call returns. */
    submit("SAMPLE", "spool", "flushed");
    assert_int_equal(IMAPIStatus_FlushQueues(status, 0, 0, NULL, FLUSH_UPLOAD | FLUSH_DOWNLOAD | FLUSH_NO_UI), S_OK);
    assert_int_equal(message_count(0), 1);
    assert_int_equal(message_count(PR_IPM_OUTBOX_ENTRYID), 0);
    assert_in_order(events, "IXPLogon::ValidateState(0) -> MAPI_E_NO_SUPPORT", "IXPLogon::FlushQueues(0x16) -> S_OK");
    assert_int_equal(IMAPIStatus_FlushQueues(status, 0, 0, NULL, FLUSH_DOWNLOAD | FLUSH_ASYNC_OK), S_OK);

    close_session();
    assert_int_equal(IMAPIStatus_FlushQueues(status, 0, 0, NULL, FLUSH_UPLOAD), MAPI_E_END_OF_SESSION);
    assert_int_equal(IMAPIStatus_GetProps(status, (SPropTagArray *)&tags, 0, &count, &values), MAPI_E_END_OF_SESSION);
    IMAPIStatus_Release(status);
    assert_count(events, "VIOLATION", 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_send_to_self, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_mailbox, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_transport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_keeps_unicode_subject, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_logoff_with_queued_mail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_logoff_idle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mail_waits_while_store_away, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deferred_then_sent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deferred_cancelled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deferred_at_logoff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_send_cancelled_at_logoff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receive_cancelled_at_logoff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recipients_completed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_preprocessor_made_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_coupled_pair, setup, teardown),
        cmocka_unit_test_setup_teardown(test_critical_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_critical_section, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catch_all_after_explicit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_off_recipient, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spooler_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
