/*
 * The sample message store as a MAPI client uses it, through mapihost.dll over the real sample DLL and its SQLite
 * file, nothing mocked: the folders of a first logon, a message with recipients and an attachment that survives a
 * new session and a killed process, copies, moves and deletions with the folders' counts, notifications, objects
 * still open at logoff, a corrupt file, and a store one process at a time. Run as "test_store child-save", it is the
 * process killed after a save; as "test_store child-loop FILE", the one killed at any moment while it saves; as
 * "test_store child-open", a second process opening the store.
 */
#include "lifecycle.h"
#include "mapihost_util.h"

/* The store's profile section has a fixed MAPIUID, so its entry ID, and so its file, are the same in every session
 * and process of the test. */
#define STORE_PROFILE                                                                                                  \
    "[Services]\nStore = Store service\n[Store]\nProviders = Sample Store\n"                                           \
    "[Sample Store]\nMAPIUID = 6D617069686F73742D746573742D4D53\nPR_PROVIDER_DLL_NAME = samplems.dll\n"                \
    "PR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\nPR_RESOURCE_FLAGS = STATUS_DEFAULT_STORE\nPR_DISPLAY_NAME = Test Store\n" \
    "[Sample MS settings]\nMAPIUID = 6D617069686F737453616D706C654D53\n6610001F = the test store\n"

#define SUBJECT L"a message that survives"
#define BODY "the body, through a stream"

static IMAPISession *session;
static IMsgStore *store;

/* The store's entry ID from the session's message-store table. */
static void store_entry_id(IMAPISession *session, SBinary *out, BYTE *buffer)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
    IMAPITable *table;
    SRowSet *rows;

    assert_int_equal(IMAPISession_GetMsgStoresTable(session, 0, &table), S_OK);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 1, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    out->cb = rows->aRow[0].lpProps[0].Value.bin.cb;
    memcpy(buffer, rows->aRow[0].lpProps[0].Value.bin.lpb, out->cb);
    out->lpb = buffer;
    FreeProws(rows);
    IMAPITable_Release(table);
}

/* The store's file, as the sample names it: its entry ID in hex under %APPDATA%. */
static void store_file(const SBinary *entry_id, char *path, const char *suffix)
{
    int length = GetEnvironmentVariableA("APPDATA", path, MAX_PATH);
    ULONG i;

    length += sprintf(path + length, "\\mapihost\\sample-stores\\");
    for (i = 0; i < entry_id->cb; i++) length += sprintf(path + length, "%02X", entry_id->lpb[i]);
    strcpy(path + length, suffix);
}

static void delete_store_files(const SBinary *entry_id)
{
    static const char *const suffixes[] = { ".db", ".db-wal", ".db-shm", ".txt" };
    char path[MAX_PATH];
    int i;

    for (i = 0; i < 4; i++) {
        store_file(entry_id, path, suffixes[i]);
        DeleteFileA(path);
    }
}

/* Logs on to a profile of one store and opens it; fresh: its files deleted first, so the logon makes it. */
static HRESULT open_session_with(const char *profile, BOOL fresh)
{
    BYTE buffer[256];
    SBinary entry_id;

    session = logon_profile("store.inf", profile, 0);
    store_entry_id(session, &entry_id, buffer);
    if (fresh) delete_store_files(&entry_id);
    store = NULL;
    return IMAPISession_OpenMsgStore(session, 0, entry_id.cb, (ENTRYID *)entry_id.lpb, NULL, MDB_WRITE, &store);
}

static HRESULT open_session(BOOL fresh)
{
    return open_session_with(STORE_PROFILE, fresh);
}

static void close_session(void)
{
    IMAPISession *ending = session;

    if (store) IMsgStore_Release(store);
    store = NULL;
    session = NULL;
    assert_int_equal(IMAPISession_Logoff(ending, 0, 0, 0), S_OK);
    IMAPISession_Release(ending);
}

static int setup(void **state)
{
    count_buffers(state);
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    start_events();
    return open_session(TRUE) == S_OK ? 0 : -1;
}

static int teardown(void **state)
{
    if (session) close_session();
    session = NULL;
    MAPIUninitialize();
    return check_buffers(state);
}

/* One property of an object; the caller frees it. */
static SPropValue *get_prop(void *object, ULONG tag)
{
    SizedSPropTagArray(1, tags) = { 1, { tag } };
    SPropValue *values = NULL;
    ULONG count;

    assert_true(SUCCEEDED(IMAPIProp_GetProps((IMAPIProp *)object, (SPropTagArray *)&tags, 0, &count, &values)));
    return values;
}

static ULONG get_long(void *object, ULONG tag)
{
    SPropValue *value = get_prop(object, tag);
    ULONG result;

    if (PROP_TYPE(value->ulPropTag) == PT_ERROR) fail_msg("property %#lx: error %#lx", tag, value->Value.err);
    result = PROP_TYPE(tag) == PT_BOOLEAN ? value->Value.b : value->Value.l;
    MAPIFreeBuffer(value);
    return result;
}

/* A folder or message opened from a binary property of object (an entry ID). */
static void *open_from(void *object, ULONG tag, ULONG expected_type)
{
    SPropValue *value = get_prop(object, tag);
    IUnknown *opened = NULL;
    ULONG type = 0;

    assert_int_equal(value->ulPropTag, tag);
    assert_int_equal(IMsgStore_OpenEntry(store, value->Value.bin.cb, (ENTRYID *)value->Value.bin.lpb, NULL, MAPI_MODIFY,
                                         &type, &opened),
                     S_OK);
    assert_int_equal(type, expected_type);
    MAPIFreeBuffer(value);
    return opened;
}

static ULONG row_count(IMAPIContainer *container, ULONG flags)
{
    IMAPITable *table;
    ULONG count = 0;

    assert_int_equal(IMAPIContainer_GetContentsTable(container, flags, &table), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &count), S_OK);
    IMAPITable_Release(table);
    return count;
}

static IMAPIFolder *create_folder(IMAPIFolder *parent, const char *name)
{
    IMAPIFolder *folder = NULL;

    assert_int_equal(IMAPIFolder_CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0, &folder), S_OK);
    return folder;
}

/* A message in folder with a subject, saved and released. */
static void create_simple_message(IMAPIFolder *folder, const WCHAR *subject)
{
    SPropValue value = { .ulPropTag = PR_SUBJECT_W, .Value.lpszW = (WCHAR *)subject };
    IMessage *message;

    assert_int_equal(IMAPIFolder_CreateMessage(folder, NULL, 0, &message), S_OK);
    assert_int_equal(IMessage_SetProps(message, 1, &value, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(message, 0), S_OK);
    IMessage_Release(message);
}

/* The entry IDs of the messages of a folder's contents table, in a row set the caller frees. */
static SRowSet *contents_rows(IMAPIFolder *folder, ULONG count_expected)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_SUBJECT_W } };
    IMAPITable *table;
    SRowSet *rows;

    assert_int_equal(IMAPIFolder_GetContentsTable(folder, MAPI_UNICODE, &table), S_OK);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 100, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, count_expected);
    IMAPITable_Release(table);
    return rows;
}

/* The first logon makes the root, the IPM subtree and its five folders; the store says so in its properties. */
static void test_first_logon_makes_folders(void **state)
{
    static const char *const names[] = { "Deleted Items", "Drafts", "Inbox", "Outbox", "Sent Items" };
    SizedSPropTagArray(1, columns) = { 1, { PR_DISPLAY_NAME_A } };
    SizedSSortOrderSet(1, sort) = { 1, 0, 0, { { PR_DISPLAY_NAME_A, TABLE_SORT_ASCEND } } };
    IMAPIFolder *subtree, *outbox, *root;
    SPropValue *value;
    IMAPITable *table;
    ENTRYID *inbox_id;
    SRowSet *rows;
    ULONG size, type, i;
    char *class_found;

    subtree = open_from(store, PR_IPM_SUBTREE_ENTRYID, MAPI_FOLDER);
    outbox = open_from(store, PR_IPM_OUTBOX_ENTRYID, MAPI_FOLDER);
    root = open_from(store, PR_IPM_SENTMAIL_ENTRYID, MAPI_FOLDER); /* (the COM macros name their object twice) */
    IMAPIFolder_Release(root);
    root = open_from(store, PR_IPM_WASTEBASKET_ENTRYID, MAPI_FOLDER);
    IMAPIFolder_Release(root);
    assert_int_equal(get_long(store, PR_VALID_FOLDER_MASK), FOLDER_IPM_SUBTREE_VALID | FOLDER_IPM_INBOX_VALID
                                                                | FOLDER_IPM_OUTBOX_VALID | FOLDER_IPM_WASTEBASKET_VALID
                                                                | FOLDER_IPM_SENTMAIL_VALID);
    assert_true(get_long(store, PR_STORE_SUPPORT_MASK) & STORE_ENTRYID_UNIQUE);
    assert_true(get_long(store, PR_STORE_SUPPORT_MASK) & STORE_SUBMIT_OK);

    assert_int_equal(IMAPIFolder_GetHierarchyTable(subtree, 0, &table), S_OK);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), S_OK);
    assert_int_equal(IMAPITable_SortTable(table, (SSortOrderSet *)&sort, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 5);
    for (i = 0; i < 5; i++) assert_string_equal(rows->aRow[i].lpProps[0].Value.lpszA, names[i]);
    FreeProws(rows);
    IMAPITable_Release(table);
    assert_int_equal(get_long(subtree, PR_FOLDER_TYPE), FOLDER_GENERIC);
    assert_int_equal(get_long(subtree, PR_SUBFOLDERS), TRUE);
    assert_int_equal(get_long(outbox, PR_CONTENT_COUNT), 0);

    /* The Inbox receives IPM and its subclasses; OpenEntry of nothing is the root, whose parent is itself. */
    assert_int_equal(IMsgStore_GetReceiveFolder(store, (LPTSTR) "IPM.Note.Custom", 0, &size, &inbox_id, &class_found),
                     S_OK);
    assert_string_equal(class_found, "IPM");
    assert_int_equal(IMsgStore_OpenEntry(store, size, inbox_id, NULL, 0, &type, (IUnknown **)&root), S_OK);
    value = get_prop(root, PR_DISPLAY_NAME_A);
    assert_string_equal(value->Value.lpszA, "Inbox");
    MAPIFreeBuffer(value);
    IMAPIFolder_Release(root);
    MAPIFreeBuffer(inbox_id);
    MAPIFreeBuffer(class_found);
    assert_int_equal(IMsgStore_OpenEntry(store, 0, NULL, NULL, 0, &type, (IUnknown **)&root), S_OK);
    assert_int_equal(type, MAPI_FOLDER);
    assert_int_equal(get_long(root, PR_FOLDER_TYPE), FOLDER_ROOT);
    IMAPIFolder_Release(root);

    /* Bad input: a foreign entry ID, a folder name that is taken. */
    {
        BYTE foreign[36] = { 0 };
        IMAPIFolder *twin = NULL;
        assert_int_equal(
            IMsgStore_OpenEntry(store, sizeof(foreign), (ENTRYID *)foreign, NULL, 0, &type, (IUnknown **)&root),
            MAPI_E_INVALID_ENTRYID);
        assert_int_equal(IMAPIFolder_CreateFolder(subtree, FOLDER_GENERIC, (LPTSTR) "Inbox", NULL, NULL, 0, &twin),
                         MAPI_E_COLLISION);
        assert_int_equal(
            IMAPIFolder_CreateFolder(subtree, FOLDER_GENERIC, (LPTSTR) "Inbox", NULL, NULL, OPEN_IF_EXISTS, &twin),
            S_OK);
        IMAPIFolder_Release(twin);
    }
    IMAPIFolder_Release(outbox);
    IMAPIFolder_Release(subtree);
}

/* Writes the full message: properties, a body through a stream, a recipient and an attachment. */
static void write_full_message(IMessage *message)
{
    SPropValue props[3] = { { .ulPropTag = PR_SUBJECT_W, .Value.lpszW = (WCHAR *)SUBJECT },
                            { .ulPropTag = PR_IMPORTANCE, .Value.l = 2 /* IMPORTANCE_HIGH */ },
                            { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = (char *)"IPM.Note" } };
    SPropValue recipient[3] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = (char *)"Ann" },
                                { .ulPropTag = PR_EMAIL_ADDRESS_A, .Value.lpszA = (char *)"ann@example.org" },
                                { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    SPropValue data = { .ulPropTag = PR_ATTACH_DATA_BIN, .Value.bin = { 5, (BYTE *)"bytes" } };
    struct {
        ULONG count;
        ADRENTRY entries[1];
    } list = { 1, { { 0, 3, recipient } } };
    IAttach *attach;
    IStream *stream;
    ULONG number, written;

    assert_int_equal(IMessage_SetProps(message, 3, props, NULL), S_OK);
    assert_int_equal(IMessage_OpenProperty(message, PR_BODY_A, &IID_IStream, STGM_WRITE, MAPI_CREATE | MAPI_MODIFY,
                                           (IUnknown **)&stream),
                     S_OK);
    assert_int_equal(IStream_Write(stream, BODY, sizeof(BODY), &written), S_OK);
    assert_int_equal(IStream_Commit(stream, 0), S_OK);
    IStream_Release(stream);
    assert_int_equal(IMessage_ModifyRecipients(message, MODRECIP_ADD, (ADRLIST *)&list), S_OK);
    assert_int_equal(IMessage_CreateAttach(message, NULL, 0, &number, &attach), S_OK);
    assert_int_equal(IAttach_SetProps(attach, 1, &data, NULL), S_OK);
    assert_int_equal(IAttach_SaveChanges(attach, 0), S_OK);
    IAttach_Release(attach);
}

/* What write_full_message wrote, read from a message opened anew. */
static void check_full_message(IMessage *message)
{
    SPropValue *value = get_prop(message, PR_SUBJECT_W);
    IMAPITable *table;
    IStream *stream;
    char body[64] = { 0 };
    ULONG count, read;

    assert_true(!wcscmp(value->Value.lpszW, SUBJECT));
    MAPIFreeBuffer(value);
    assert_int_equal(get_long(message, PR_IMPORTANCE), 2 /* IMPORTANCE_HIGH */);
    assert_int_equal(get_long(message, PR_HASATTACH), TRUE);
    assert_true(get_long(message, PR_MESSAGE_SIZE) > sizeof(BODY));
    assert_int_equal(IMessage_OpenProperty(message, PR_BODY_A, &IID_IStream, STGM_READ, 0, (IUnknown **)&stream), S_OK);
    assert_int_equal(IStream_Read(stream, body, sizeof(body), &read), S_OK);
    assert_string_equal(body, BODY);
    IStream_Release(stream);
    assert_int_equal(IMessage_GetRecipientTable(message, 0, &table), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &count), S_OK);
    assert_int_equal(count, 1);
    IMAPITable_Release(table);
    assert_int_equal(IMessage_GetAttachmentTable(message, 0, &table), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &count), S_OK);
    assert_int_equal(count, 1);
    IMAPITable_Release(table);
}

/* A message saved in one session opens in the next through the session, by its entry ID, with all it had. */
static void test_message_survives_logoff(void **state)
{
    IMAPIFolder *subtree = open_from(store, PR_IPM_SUBTREE_ENTRYID, MAPI_FOLDER),
                *folder = create_folder(subtree, "Kept");
    SPropValue *entry_id;
    IMessage *message;
    SRowSet *rows;
    ULONG type;

    assert_int_equal(IMAPIFolder_CreateMessage(folder, NULL, 0, &message), S_OK);
    write_full_message(message);
    assert_int_equal(IMessage_SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
    entry_id = get_prop(message, PR_ENTRYID);
    assert_int_equal(entry_id->ulPropTag, PR_ENTRYID);
    check_full_message(message);
    IMessage_Release(message);
    assert_int_equal(get_long(folder, PR_CONTENT_COUNT), 1);
    assert_int_equal(get_long(folder, PR_CONTENT_UNREAD), 0); /* what the client writes, it has read */
    rows = contents_rows(folder, 1);
    assert_true(!wcscmp(rows->aRow[0].lpProps[1].Value.lpszW, SUBJECT));
    FreeProws(rows);
    IMAPIFolder_Release(folder);
    IMAPIFolder_Release(subtree);
    close_session();

    assert_int_equal(open_session(FALSE), S_OK);
    assert_int_equal(IMAPISession_OpenEntry(session, entry_id->Value.bin.cb, (ENTRYID *)entry_id->Value.bin.lpb, NULL,
                                            0, &type, (IUnknown **)&message),
                     S_OK);
    assert_int_equal(type, MAPI_MESSAGE);
    check_full_message(message);
    IMessage_Release(message);
    MAPIFreeBuffer(entry_id);
}

/* Copies and moves between two folders, deletions, read flags: the counts follow every step. */
static void test_copy_move_delete(void **state)
{
    IMAPIFolder *subtree = open_from(store, PR_IPM_SUBTREE_ENTRYID, MAPI_FOLDER);
    IMAPIFolder *from = create_folder(subtree, "From"), *to = create_folder(subtree, "To");
    SRowSet *rows;
    ENTRYLIST list;
    SBinary ids[2];

    create_simple_message(from, L"one");
    create_simple_message(from, L"two");
    rows = contents_rows(from, 2);
    ids[0] = rows->aRow[0].lpProps[0].Value.bin;
    ids[1] = rows->aRow[1].lpProps[0].Value.bin;
    list.cValues = 2;
    list.lpbin = ids;
    assert_int_equal(IMAPIFolder_CopyMessages(from, &list, NULL, to, 0, NULL, 0), S_OK);
    assert_int_equal(get_long(from, PR_CONTENT_COUNT), 2);
    assert_int_equal(get_long(to, PR_CONTENT_COUNT), 2);
    list.cValues = 1;
    assert_int_equal(IMAPIFolder_CopyMessages(from, &list, NULL, to, 0, NULL, MESSAGE_MOVE), S_OK);
    assert_int_equal(get_long(from, PR_CONTENT_COUNT), 1);
    assert_int_equal(get_long(to, PR_CONTENT_COUNT), 3);
    /* The moved message is gone from where it was: deleting it there again finds nothing. */
    assert_int_equal(IMAPIFolder_DeleteMessages(from, &list, 0, NULL, 0), MAPI_W_PARTIAL_COMPLETION);
    list.lpbin = &ids[1];
    assert_int_equal(IMAPIFolder_SetReadFlags(from, &list, 0, NULL, CLEAR_READ_FLAG), S_OK);
    assert_int_equal(get_long(from, PR_CONTENT_UNREAD), 1);
    assert_int_equal(IMAPIFolder_SetReadFlags(from, &list, 0, NULL, 0), S_OK);
    assert_int_equal(get_long(from, PR_CONTENT_UNREAD), 0);
    assert_int_equal(IMAPIFolder_DeleteMessages(from, &list, 0, NULL, 0), S_OK);
    assert_int_equal(get_long(from, PR_CONTENT_COUNT), 0);
    FreeProws(rows);

    assert_int_equal(IMAPIFolder_EmptyFolder(to, 0, NULL, 0), S_OK);
    assert_int_equal(get_long(to, PR_CONTENT_COUNT), 0);
    assert_int_equal(row_count((IMAPIContainer *)to, 0), 0);
    IMAPIFolder_Release(from);
    IMAPIFolder_Release(to);
    assert_int_equal(get_long(subtree, PR_SUBFOLDERS), TRUE);
    IMAPIFolder_Release(subtree);
}

/* Advise on a folder hears of the messages made, moved and deleted in it, through MAPI's Subscribe and Notify; its
 * open contents table follows each change, and the parent's hierarchy table the folder's counts. */
static void test_notifications(void **state)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_CONTENT_COUNT } };
    struct test_sink folder_sink = TEST_SINK_INIT, table_sink = TEST_SINK_INIT, hierarchy_sink = TEST_SINK_INIT;
    IMAPIFolder *subtree = open_from(store, PR_IPM_SUBTREE_ENTRYID, MAPI_FOLDER);
    IMAPIFolder *watched = create_folder(subtree, "Watched"), *other = create_folder(subtree, "Other");
    ULONG_PTR folder_connection, table_connection, hierarchy_connection;
    IMAPITable *contents, *hierarchy;
    SPropValue *entry_id = get_prop(watched, PR_ENTRYID);
    SRowSet *rows;
    ENTRYLIST list;
    ULONG count, i;

    assert_int_equal(IMsgStore_Advise(store, entry_id->Value.bin.cb, (ENTRYID *)entry_id->Value.bin.lpb,
                                      fnevObjectCreated | fnevObjectDeleted | fnevObjectModified | fnevObjectMoved
                                          | fnevObjectCopied,
                                      &folder_sink.IMAPIAdviseSink_iface, &folder_connection),
                     S_OK);
    assert_int_equal(IMAPIFolder_GetContentsTable(watched, 0, &contents), S_OK);
    assert_int_equal(
        IMAPITable_Advise(contents, fnevTableModified, &table_sink.IMAPIAdviseSink_iface, &table_connection), S_OK);
    assert_int_equal(IMAPIFolder_GetHierarchyTable(subtree, 0, &hierarchy), S_OK);
    assert_int_equal(
        IMAPITable_Advise(hierarchy, fnevTableModified, &hierarchy_sink.IMAPIAdviseSink_iface, &hierarchy_connection),
        S_OK);

    create_simple_message(watched, L"watched");
    assert_true(folder_sink.changes > 0);
    assert_int_equal(IMAPITable_GetRowCount(contents, 0, &count), S_OK);
    assert_int_equal(count, 1);
    assert_non_null(strstr(table_sink.table_log, "added"));
    assert_true(hierarchy_sink.changes > 0); /* the folder's PR_CONTENT_COUNT changed in its row */

    folder_sink.changes = 0;
    rows = contents_rows(watched, 1);
    list.cValues = 1;
    list.lpbin = &rows->aRow[0].lpProps[0].Value.bin;
    assert_int_equal(IMAPIFolder_CopyMessages(watched, &list, NULL, other, 0, NULL, MESSAGE_MOVE), S_OK);
    FreeProws(rows);
    assert_true(folder_sink.changes > 0);
    assert_int_equal(IMAPITable_GetRowCount(contents, 0, &count), S_OK);
    assert_int_equal(count, 0);
    assert_non_null(strstr(table_sink.table_log, "deleted"));

    /* The hierarchy table's rows say what the folders hold now. */
    assert_int_equal(IMAPITable_SetColumns(hierarchy, (SPropTagArray *)&columns, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(hierarchy, 50, 0, &rows), S_OK);
    for (count = 0, i = 0; i < rows->cRows; i++) count += rows->aRow[i].lpProps[0].Value.l;
    FreeProws(rows);
    assert_int_equal(count, 1);

    assert_int_equal(IMAPITable_Unadvise(contents, table_connection), S_OK);
    assert_int_equal(IMAPITable_Unadvise(hierarchy, hierarchy_connection), S_OK);
    assert_int_equal(IMsgStore_Unadvise(store, folder_connection), S_OK);
    assert_int_equal(folder_sink.refcount, 1);
    assert_int_equal(table_sink.refcount, 1);
    IMAPITable_Release(contents);
    IMAPITable_Release(hierarchy);
    MAPIFreeBuffer(entry_id);
    IMAPIFolder_Release(watched);
    IMAPIFolder_Release(other);
    IMAPIFolder_Release(subtree);
}

/* The store's side of submission: SubmitMessage puts the message in the outgoing queue, marked MSGFLAG_SUBMIT and
 * read-only; AbortSubmit takes it out again. */
static void test_submit_and_abort(void **state)
{
    SPropValue recipient[2] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = (char *)"Ann" },
                                { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    struct {
        ULONG count;
        ADRENTRY entries[1];
    } list = { 1, { { 0, 2, recipient } } };
    IMAPIFolder *outbox = open_from(store, PR_IPM_OUTBOX_ENTRYID, MAPI_FOLDER);
    SPropValue *entry_id;
    IMAPITable *queue;
    IMessage *message;
    ULONG count;

    assert_int_equal(IMAPIFolder_CreateMessage(outbox, NULL, 0, &message), S_OK);
    assert_int_equal(IMessage_SubmitMessage(message, 0), MAPI_E_NO_RECIPIENTS);
    assert_int_equal(IMessage_ModifyRecipients(message, MODRECIP_ADD, (ADRLIST *)&list), S_OK);
    assert_int_equal(IMessage_SubmitMessage(message, 0), S_OK);
    assert_true(get_long(message, PR_MESSAGE_FLAGS) & MSGFLAG_SUBMIT);
    assert_int_equal(IMessage_SaveChanges(message, 0), MAPI_E_NO_ACCESS); /* read-only once submitted */
    entry_id = get_prop(message, PR_ENTRYID);
    IMessage_Release(message);

    assert_int_equal(IMsgStore_GetOutgoingQueue(store, 0, &queue), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(queue, 0, &count), S_OK);
    assert_int_equal(count, 1);
    IMAPITable_Release(queue);
    assert_int_equal(IMsgStore_AbortSubmit(store, entry_id->Value.bin.cb, (ENTRYID *)entry_id->Value.bin.lpb, 0), S_OK);
    assert_int_equal(IMsgStore_AbortSubmit(store, entry_id->Value.bin.cb, (ENTRYID *)entry_id->Value.bin.lpb, 0),
                     MAPI_E_NOT_IN_QUEUE);
    assert_int_equal(IMsgStore_GetOutgoingQueue(store, 0, &queue), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(queue, 0, &count), S_OK);
    assert_int_equal(count, 0);
    IMAPITable_Release(queue);
    MAPIFreeBuffer(entry_id);
    assert_int_equal(get_long(outbox, PR_CONTENT_COUNT), 1);
    IMAPIFolder_Release(outbox);
}

/* Every row of a table in pages of 7, their subjects joined into text. */
static void read_subjects(IMAPITable *table, char *text, size_t size)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_SUBJECT_A } };
    SRowSet *rows;
    ULONG i;

    *text = 0;
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), S_OK);
    assert_int_equal(IMAPITable_SeekRow(table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    do {
        assert_int_equal(IMAPITable_QueryRows(table, 7, 0, &rows), S_OK);
        for (i = 0; i < rows->cRows; i++)
            snprintf(text + strlen(text), size - strlen(text), "%s ", rows->aRow[i].lpProps[0].Value.lpszA);
        i = rows->cRows;
        FreeProws(rows);
    } while (i);
}

/* The contents table reads its rows from the database until a call needs MAPI's table data (here CreateBookmark,
 * Restrict, FindRow); for each sort, both ways give the same rows in the same order, page after page. */
static void test_contents_table(void **state)
{
    static const SSortOrder orders[][2] = {
        { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } },
        { { PR_SUBJECT_A, TABLE_SORT_ASCEND } },
        { { PR_IMPORTANCE, TABLE_SORT_ASCEND }, { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } },
        { { PR_IMPORTANCE, TABLE_SORT_DESCEND }, { PR_SUBJECT_A, TABLE_SORT_DESCEND } },
    };
    static const ULONG key_counts[] = { 1, 1, 2, 2 };
    IMAPIFolder *subtree = open_from(store, PR_IPM_SUBTREE_ENTRYID, MAPI_FOLDER),
                *folder = create_folder(subtree, "Many");
    char lazy[1024], loaded[1024], name[16];
    SPropValue props[3], value;
    SRestriction restriction;
    IMAPITable *table, *other;
    IMessage *message;
    BOOKMARK bookmark;
    ULONG i, row, numerator, denominator;
    SRowSet *rows;

    for (i = 0; i < 30; i++) {
        snprintf(name, sizeof(name), "m%02lu", (i * 7) % 30); /* subjects in another order than delivery */
        props[0].ulPropTag = PR_SUBJECT_A;
        props[0].Value.lpszA = name;
        props[1].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
        props[1].Value.ft.dwHighDateTime = 0x01d00000;
        props[1].Value.ft.dwLowDateTime = i * 1000;
        props[2].ulPropTag = PR_IMPORTANCE;
        props[2].Value.l = i % 3;
        assert_int_equal(IMAPIFolder_CreateMessage(folder, NULL, 0, &message), S_OK);
        assert_int_equal(IMessage_SetProps(message, 3, props, NULL), S_OK);
        assert_int_equal(IMessage_SaveChanges(message, 0), S_OK);
        IMessage_Release(message);
    }
    for (i = 0; i < ARRAYSIZE(orders); i++) {
        struct {
            ULONG sorts, categories, expanded;
            SSortOrder order[2];
        } sort = { key_counts[i], 0, 0, { orders[i][0], orders[i][1] } };
        assert_int_equal(IMAPIFolder_GetContentsTable(folder, 0, &table), S_OK);
        assert_int_equal(IMAPITable_SortTable(table, (SSortOrderSet *)&sort, 0), S_OK);
        read_subjects(table, lazy, sizeof(lazy));
        assert_int_equal(IMAPIFolder_GetContentsTable(folder, 0, &other), S_OK);
        assert_int_equal(IMAPITable_SortTable(other, (SSortOrderSet *)&sort, 0), S_OK);
        assert_int_equal(IMAPITable_CreateBookmark(other, &bookmark), S_OK); /* MAPI's table data from here */
        read_subjects(other, loaded, sizeof(loaded));
        assert_string_equal(lazy, loaded);
        IMAPITable_Release(other);
        IMAPITable_Release(table);
    }
    /* The last sort, importance then subject, both descending, as Python's sorted() has it. */
    assert_string_equal(lazy, "m29 m26 m23 m20 m17 m14 m11 m08 m05 m02 m28 m25 m22 m19 m16 m13 m10 m07 m04 m01 m27 m24 "
                              "m21 m18 m15 m12 m09 m06 m03 m00 ");

    /* Positions and a read backwards, then a restriction, which MAPI's table data evaluates. */
    assert_int_equal(IMAPIFolder_GetContentsTable(folder, 0, &table), S_OK);
    assert_int_equal(IMAPITable_SeekRow(table, BOOKMARK_END, -5, NULL), S_OK);
    assert_int_equal(IMAPITable_QueryPosition(table, &row, &numerator, &denominator), S_OK);
    assert_int_equal(row, 25);
    assert_int_equal(denominator, 30);
    assert_int_equal(IMAPITable_QueryRows(table, -3, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 3);
    FreeProws(rows);
    value.ulPropTag = PR_SUBJECT_A;
    value.Value.lpszA = (char *)"m07";
    restriction.rt = RES_PROPERTY;
    restriction.res.resProperty.relop = RELOP_EQ;
    restriction.res.resProperty.ulPropTag = PR_SUBJECT_A;
    restriction.res.resProperty.lpProp = &value;
    assert_int_equal(IMAPITable_Restrict(table, &restriction, 0), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &row), S_OK);
    assert_int_equal(row, 1);
    assert_int_equal(IMAPITable_Restrict(table, NULL, 0), S_OK);
    assert_int_equal(IMAPITable_FindRow(table, &restriction, BOOKMARK_BEGINNING, 0), S_OK);
    assert_int_equal(IMAPITable_QueryPosition(table, &row, &numerator, &denominator), S_OK);
    assert_int_equal(row, 1); /* m07 is the second made: 1 * 7 */
    IMAPITable_Release(table);
    assert_int_equal(IMAPIFolder_EmptyFolder(folder, 0, NULL, 0), S_OK);
    IMAPIFolder_Release(folder);
    IMAPIFolder_Release(subtree);
}

/* The recording fixture's store, whose file may not grow (its "disk-full" fault), as on a full disk. */
#define FULL_DISK_PROFILE(faults)                                                                                      \
    "[Services]\nStore = Store service\n[Store]\nProviders = Recorded Store\n"                                         \
    "[Recorded Store]\nMAPIUID = 6D617069686F73742D66756C6C2D4D53\nPR_PROVIDER_DLL_NAME = recorder.dll\n"              \
    "PR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\n6700001e = " faults "\n"

/* A message with a body of size bytes in the receive folder; the SaveChanges result. */
static HRESULT save_into_inbox(ULONG size, IMAPIFolder **inbox)
{
    SPropValue value = { .ulPropTag = PR_BODY_A };
    IMessage *message;
    HRESULT hr;

    *inbox = open_inbox(store);
    assert_non_null(value.Value.lpszA = malloc(size));
    memset(value.Value.lpszA, 'x', size - 1);
    value.Value.lpszA[size - 1] = 0;
    assert_int_equal(IMAPIFolder_CreateMessage(*inbox, NULL, 0, &message), S_OK);
    assert_int_equal(IMessage_SetProps(message, 1, &value, NULL), S_OK);
    hr = IMessage_SaveChanges(message, 0);
    IMessage_Release(message);
    free(value.Value.lpszA);
    return hr;
}

/* A full disk fails SaveChanges with MAPI_E_NOT_ENOUGH_DISK, and what was there stays. */
static void test_full_disk(void **state)
{
    IMAPIFolder *inbox;

    close_session();
    assert_int_equal(open_session_with(FULL_DISK_PROFILE("none"), TRUE), S_OK);
    assert_int_equal(save_into_inbox(100, &inbox), S_OK);
    IMAPIFolder_Release(inbox);
    close_session();

    assert_int_equal(open_session_with(FULL_DISK_PROFILE("disk-full"), FALSE), S_OK);
    assert_int_equal(save_into_inbox(256 * 1024, &inbox), MAPI_E_NOT_ENOUGH_DISK);
    assert_int_equal(get_long(inbox, PR_CONTENT_COUNT), 1);
    assert_int_equal(row_count((IMAPIContainer *)inbox, 0), 1);
    IMAPIFolder_Release(inbox);
}

/* StoreLogoff with a folder, a message and a table still open: they keep the store, and it logs off (MAPI's logon
 * gone) when the last of them is released, long before the session's Logoff. */
static void test_storelogoff_with_objects(void **state)
{
    MAPIHOST_SESSION_STATE before, after;
    IMAPIFolder *inbox;
    IMessage *message;
    IMAPITable *table;
    ULONG flags = LOGOFF_NO_WAIT;

    assert_int_equal(save_into_inbox(10, &inbox), S_OK);
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &message), S_OK);
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &table), S_OK);
    assert_int_equal(IMsgStore_StoreLogoff(store, &flags), S_OK);
    IMsgStore_Release(store);
    store = NULL;
    assert_int_equal(MapihostGetSessionState((IUnknown *)session, &before), S_OK);
    assert_int_equal(before.logons, 1);
    assert_int_equal(row_count((IMAPIContainer *)inbox, 0), 1); /* still usable: they hold the store */
    IMAPITable_Release(table);
    IMessage_Release(message);
    IMAPIFolder_Release(inbox);
    assert_int_equal(MapihostGetSessionState((IUnknown *)session, &after), S_OK);
    assert_int_equal(after.logons, 0);
    assert_int_equal(after.uids, 0);
}

/* Saves a new message of inbox, ends the session, and opens the message again in a new one by its entry ID. */
static IMessage *save_and_reopen(IMessage *message, IMAPIFolder *inbox)
{
    SPropValue *entry_id;
    ULONG type;

    assert_int_equal(IMessage_SaveChanges(message, KEEP_OPEN_READONLY), S_OK);
    entry_id = get_prop(message, PR_ENTRYID);
    IMessage_Release(message);
    IMAPIFolder_Release(inbox);
    close_session();
    assert_int_equal(open_session(FALSE), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(store, entry_id->Value.bin.cb, (ENTRYID *)entry_id->Value.bin.lpb, NULL, 0,
                                         &type, (IUnknown **)&message),
                     S_OK);
    MAPIFreeBuffer(entry_id);
    return message;
}

/* A named property (one map for the whole store) and an RTF body (compressed by MAPI's WrapCompressedRTFStream)
 * saved in one session read back in the next. */
static void test_named_property_and_rtf(void **state)
{
    static const char rtf[] = "{\\rtf1\\ansi hello from mapihost}";
    GUID public_strings = { 0x00020329, 0, 0, { 0xC0, 0, 0, 0, 0, 0, 0, 0x46 } };
    MAPINAMEID name = { &public_strings, MNID_STRING, { .lpwstrName = (WCHAR *)L"mapihost test" } },
               *names[1] = { &name };
    MAPINAMEID **found_names;
    SPropTagArray *tags, *again;
    SPropValue value, *read_value;
    IStream *stream, *text;
    IMAPIFolder *inbox;
    IMessage *message;
    char buffer[128] = { 0 };
    ULONG written, read, count;
    GUID *no_guid = NULL;

    assert_int_equal(save_into_inbox(10, &inbox), S_OK);
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &message), S_OK);
    assert_int_equal(IMessage_GetIDsFromNames(message, 1, names, MAPI_CREATE, &tags), S_OK);
    assert_true(PROP_ID(tags->aulPropTag[0]) >= 0x8000);
    value.ulPropTag = CHANGE_PROP_TYPE(tags->aulPropTag[0], PT_LONG);
    value.Value.l = 42;
    assert_int_equal(IMessage_SetProps(message, 1, &value, NULL), S_OK);
    assert_int_equal(IMessage_OpenProperty(message, PR_RTF_COMPRESSED, &IID_IStream, 0, MAPI_CREATE | MAPI_MODIFY,
                                           (IUnknown **)&stream),
                     S_OK);
    assert_int_equal(WrapCompressedRTFStream(stream, MAPI_MODIFY, &text), S_OK);
    assert_int_equal(IStream_Write(text, rtf, sizeof(rtf) - 1, &written), S_OK);
    assert_int_equal(IStream_Commit(text, 0), S_OK);
    IStream_Release(text);
    assert_int_equal(IStream_Commit(stream, 0), S_OK);
    IStream_Release(stream);
    message = save_and_reopen(message, inbox);
    /* The same name has the same ID in the new session, from the store itself as from the message. */
    assert_int_equal(IMsgStore_GetIDsFromNames(store, 1, names, 0, &again), S_OK);
    assert_int_equal(again->aulPropTag[0], tags->aulPropTag[0]);
    read_value = get_prop(message, value.ulPropTag);
    assert_int_equal(read_value->Value.l, 42);
    MAPIFreeBuffer(read_value);
    assert_int_equal(IMessage_GetNamesFromIDs(message, &again, no_guid, 0, &count, &found_names), S_OK);
    assert_int_equal(count, 1);
    assert_int_equal(found_names[0]->ulKind, MNID_STRING);
    assert_true(!wcscmp(found_names[0]->Kind.lpwstrName, L"mapihost test"));
    MAPIFreeBuffer(found_names);
    assert_int_equal(IMessage_OpenProperty(message, PR_RTF_COMPRESSED, &IID_IStream, 0, 0, (IUnknown **)&stream), S_OK);
    assert_int_equal(WrapCompressedRTFStream(stream, 0, &text), S_OK);
    assert_int_equal(IStream_Read(text, buffer, sizeof(buffer) - 1, &read), S_OK);
    assert_string_equal(buffer, rtf);
    IStream_Release(text);
    IStream_Release(stream);
    IMessage_Release(message);
    MAPIFreeBuffer(again);
    MAPIFreeBuffer(tags);
}

/* Attachments of the other kinds a client makes: an embedded message (PR_ATTACH_DATA_OBJ opened as an IMessage) and
 * one by reference (a path), saved in one session and read back in the next. */
static void test_embedded_and_reference_attachments(void **state)
{
    SPropValue embedded_method = { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_EMBEDDED_MSG };
    SPropValue by_reference[2] = { { .ulPropTag = PR_ATTACH_METHOD, .Value.l = 2 /* ATTACH_BY_REFERENCE */ },
                                   { .ulPropTag = PROP_TAG(PT_STRING8, 0x3708) /* PR_ATTACH_PATHNAME */,
                                     .Value.lpszA = (char *)"C:\\shared\\report.txt" } };
    SPropValue subject = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = (char *)"the embedded one" };
    SPropValue *value;
    IMAPIFolder *inbox;
    IMessage *message, *inner;
    IAttach *attach;
    ULONG numbers[2];

    inbox = open_inbox(store);
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &message), S_OK);
    assert_int_equal(IMessage_CreateAttach(message, NULL, 0, &numbers[0], &attach), S_OK);
    assert_int_equal(IAttach_SetProps(attach, 1, &embedded_method, NULL), S_OK);
    assert_int_equal(IAttach_OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, MAPI_CREATE | MAPI_MODIFY,
                                          (IUnknown **)&inner),
                     S_OK);
    assert_int_equal(IMessage_SetProps(inner, 1, &subject, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(inner, 0), S_OK);
    IMessage_Release(inner);
    assert_int_equal(IAttach_SaveChanges(attach, 0), S_OK);
    IAttach_Release(attach);
    assert_int_equal(IMessage_CreateAttach(message, NULL, 0, &numbers[1], &attach), S_OK);
    assert_int_equal(IAttach_SetProps(attach, 2, by_reference, NULL), S_OK);
    assert_int_equal(IAttach_SaveChanges(attach, 0), S_OK);
    IAttach_Release(attach);
    message = save_and_reopen(message, inbox);
    assert_int_equal(IMessage_OpenAttach(message, numbers[0], NULL, 0, &attach), S_OK);
    assert_int_equal(IAttach_OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, (IUnknown **)&inner), S_OK);
    value = get_prop(inner, PR_SUBJECT_A);
    assert_string_equal(value->Value.lpszA, "the embedded one");
    MAPIFreeBuffer(value);
    IMessage_Release(inner);
    IAttach_Release(attach);
    assert_int_equal(IMessage_OpenAttach(message, numbers[1], NULL, 0, &attach), S_OK);
    value = get_prop(attach, by_reference[1].ulPropTag);
    assert_string_equal(value->Value.lpszA, by_reference[1].Value.lpszA);
    MAPIFreeBuffer(value);
    IAttach_Release(attach);
    IMessage_Release(message);
}

/* NotifyNewMail (the spooler's, after a delivery) reaches a client's Advise on the whole store as fnevNewMail. */
static void test_new_mail_notification(void **state)
{
    struct test_sink sink = TEST_SINK_INIT;
    NOTIFICATION notification = { .ulEventType = fnevNewMail };
    SPropValue *message_id, *folder_id;
    IMAPIFolder *inbox;
    IMessage *message;
    ULONG_PTR connection;

    assert_int_equal(IMsgStore_Advise(store, 0, NULL, fnevNewMail, &sink.IMAPIAdviseSink_iface, &connection), S_OK);
    inbox = open_inbox(store);
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &message), S_OK);
    assert_int_equal(IMessage_SaveChanges(message, KEEP_OPEN_READONLY), S_OK);
    message_id = get_prop(message, PR_ENTRYID);
    folder_id = get_prop(inbox, PR_ENTRYID);
    notification.info.newmail.cbEntryID = message_id->Value.bin.cb;
    notification.info.newmail.lpEntryID = (ENTRYID *)message_id->Value.bin.lpb;
    notification.info.newmail.cbParentID = folder_id->Value.bin.cb;
    notification.info.newmail.lpParentID = (ENTRYID *)folder_id->Value.bin.lpb;
    notification.info.newmail.lpszMessageClass = (LPTSTR) "IPM.Note";
    assert_int_equal(IMsgStore_NotifyNewMail(store, &notification), S_OK);
    assert_int_equal(sink.changes, 1);
    assert_int_equal(sink.last_type, fnevNewMail);
    assert_int_equal(IMsgStore_Unadvise(store, connection), S_OK);
    assert_int_equal(sink.refcount, 1);
    MAPIFreeBuffer(message_id);
    MAPIFreeBuffer(folder_id);
    IMessage_Release(message);
    IMAPIFolder_Release(inbox);
}

/* Objects of every kind still open at the session's logoff, the IMsgStore released before: the objects kept the
 * store open; its logoff closes them, they answer MAPI_E_END_OF_SESSION (a table, MAPI's own, MakeInvalid's
 * MAPI_E_INVALID_OBJECT), and releasing them afterwards is safe; the DLL leaves with MAPIUninitialize. */
static void test_objects_open_at_logoff(void **state)
{
    IMAPIFolder *inbox;
    IMessage *message;
    IAttach *attach;
    IMAPITable *table;
    SPropValue *value;
    ULONG number, type;
    ENTRYID *inbox_id;
    ULONG size;

    assert_int_equal(IMsgStore_GetReceiveFolder(store, NULL, 0, &size, &inbox_id, NULL), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(store, size, inbox_id, NULL, MAPI_MODIFY, &type, (IUnknown **)&inbox), S_OK);
    MAPIFreeBuffer(inbox_id);
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &message), S_OK);
    assert_int_equal(IMessage_CreateAttach(message, NULL, 0, &number, &attach), S_OK);
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &table), S_OK);
    IMsgStore_Release(store);
    store = NULL;
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);

    assert_int_equal(IMAPIFolder_GetProps(inbox, NULL, 0, &number, &value), MAPI_E_END_OF_SESSION);
    assert_int_equal(IMessage_SaveChanges(message, 0), MAPI_E_END_OF_SESSION);
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &number), MAPI_E_INVALID_OBJECT); /* MakeInvalid's */
    IAttach_Release(attach);
    IMAPITable_Release(table);
    IMessage_Release(message);
    IMAPIFolder_Release(inbox);
    IMAPISession_Release(session);
    session = NULL;
    MAPIUninitialize();
    assert_null(GetModuleHandleA("samplems32.dll"));
    assert_int_equal(MAPIInitialize(NULL), S_OK); /* for the teardown's */
}

/* A file that is not the store's: the logon fails with MAPI_E_CORRUPT_STORE and the file is left as it was. */
static void test_corrupt_store(void **state)
{
    static const char garbage[] = "not a database at all, but a user's file";
    BYTE buffer[256];
    char path[MAX_PATH], read_back[sizeof(garbage)] = { 0 };
    SBinary entry_id;
    IMsgStore *broken = NULL;
    FILE *file;

    store_entry_id(session, &entry_id, buffer);
    close_session();
    session = NULL;
    delete_store_files(&entry_id);
    store_file(&entry_id, path, ".db");
    assert_non_null(file = fopen(path, "wb"));
    fwrite(garbage, 1, sizeof(garbage), file);
    fclose(file);

    session = logon_profile("store.inf", STORE_PROFILE, 0);
    capture_errors();
    assert_int_equal(IMAPISession_OpenMsgStore(session, 0, entry_id.cb, (ENTRYID *)entry_id.lpb, NULL, 0, &broken),
                     MAPI_E_CORRUPT_STORE);
    assert_null(broken);
    assert_non_null(file = fopen(path, "rb"));
    assert_int_equal(fread(read_back, 1, sizeof(read_back), file), sizeof(garbage));
    fclose(file);
    assert_string_equal(read_back, garbage);
    delete_store_files(&entry_id);
}

/* What a process saved and then was killed after (TerminateProcess, as kill -9): the next process finds it. */
static void test_survives_kill(void **state)
{
    char command[MAX_PATH + 32];
    IMAPIFolder *inbox;
    ENTRYID *inbox_id;
    SRowSet *rows;
    ULONG size, type;

    close_session();
    session = NULL;
    GetModuleFileNameA(NULL, command, MAX_PATH);
    strcat(command, " child-save");
    assert_int_equal(run_process(command, NULL), 9);

    assert_int_equal(open_session(FALSE), S_OK);
    assert_int_equal(IMsgStore_GetReceiveFolder(store, NULL, 0, &size, &inbox_id, NULL), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(store, size, inbox_id, NULL, 0, &type, (IUnknown **)&inbox), S_OK);
    MAPIFreeBuffer(inbox_id);
    rows = contents_rows(inbox, 1);
    assert_true(!wcscmp(rows->aRow[0].lpProps[1].Value.lpszW, L"saved, then killed"));
    FreeProws(rows);
    IMAPIFolder_Release(inbox);
}

/* The subjects of the Inbox's messages, which the looping child numbers 1, 2, 3...: how many, and whether they are
 * exactly 1..count, each message opening with its content. */
static ULONG numbered_messages(BOOL *contiguous)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_SUBJECT_A } };
    SizedSSortOrderSet(1, by_time) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND } } };
    IMAPIFolder *inbox;
    IMAPITable *table;
    IMessage *message;
    SRowSet *rows;
    ULONG count = 0, i, type;
    SPropValue *subject;

    *contiguous = TRUE;
    inbox = open_inbox(store);
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &table), S_OK);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), S_OK);
    assert_int_equal(IMAPITable_SortTable(table, (SSortOrderSet *)&by_time, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 10000, 0, &rows), S_OK);
    for (i = 0; i < rows->cRows; i++) {
        if (rows->aRow[i].lpProps[1].ulPropTag != PR_SUBJECT_A) continue;
        if ((ULONG)atol(rows->aRow[i].lpProps[1].Value.lpszA) != ++count) *contiguous = FALSE;
        assert_int_equal(IMsgStore_OpenEntry(store, rows->aRow[i].lpProps[0].Value.bin.cb,
                                             (ENTRYID *)rows->aRow[i].lpProps[0].Value.bin.lpb, NULL, 0, &type,
                                             (IUnknown **)&message),
                         S_OK);
        subject = get_prop(message, PR_SUBJECT_A);
        assert_string_equal(subject->Value.lpszA, rows->aRow[i].lpProps[1].Value.lpszA);
        MAPIFreeBuffer(subject);
        IMessage_Release(message);
    }
    FreeProws(rows);
    IMAPITable_Release(table);
    IMAPIFolder_Release(inbox);
    return count;
}

/* A process saving message after message is killed (TerminateProcess, as kill -9) at moments that fall anywhere in
 * its work, ten times: each time the store opens, holds every message whose SaveChanges had returned S_OK (and at
 * most the one being saved), each whole, numbered without a gap. */
static void test_killed_at_any_moment(void **state)
{
    STARTUPINFOA startup = { .cb = sizeof(startup) };
    PROCESS_INFORMATION process;
    char command[2 * MAX_PATH], report[MAX_PATH];
    ULONG round, confirmed, count = 0;
    BOOL contiguous;
    FILE *file;

    close_session();
    GetTempPathA(sizeof(report), report);
    strcat(report, "mapihost-test-store-saved.txt");
    for (round = 0; round < 10; round++) {
        DeleteFileA(report);
        GetModuleFileNameA(NULL, command, MAX_PATH);
        snprintf(command + strlen(command), sizeof(command) - strlen(command), " child-loop \"%s\"", report);
        assert_true(CreateProcessA(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &process));
        Sleep(700 + (GetTickCount() * 7919 + round * 131) % 900); /* somewhere in the middle of a save or not */
        TerminateProcess(process.hProcess, 9);
        WaitForSingleObject(process.hProcess, INFINITE);
        CloseHandle(process.hProcess);
        CloseHandle(process.hThread);
        /* What the rounds before left, or more if this child confirmed more. */
        confirmed = count;
        if ((file = fopen(report, "r"))) {
            if (fscanf(file, "%lu", &confirmed) != 1 || confirmed < count) confirmed = count;
            fclose(file);
        }
        assert_int_equal(open_session(FALSE), S_OK);
        count = numbered_messages(&contiguous);
        close_session();
        if (count < confirmed || count > confirmed + 1 || !contiguous)
            fail_msg("round %lu: %lu messages saved (%s), %lu confirmed", round, count,
                     contiguous ? "numbered 1 on" : "with a gap", confirmed);
    }
    DeleteFileA(report);
    assert_int_equal(open_session(FALSE), S_OK);
}

/* The child of test_killed_at_any_moment: saves messages numbered on from the Inbox's count, writing the last number
 * whose SaveChanges returned S_OK to report, until it is killed. */
static int child_loop(const char *report)
{
    SPropValue value = { .ulPropTag = PR_SUBJECT_A };
    IMAPIFolder *inbox;
    IMessage *message;
    char subject[16], partial[MAX_PATH + 8];
    BOOL contiguous;
    ULONG number;
    FILE *file;

    if (MAPIInitialize(NULL) || open_session(FALSE)) return 1;
    number = numbered_messages(&contiguous);
    inbox = open_inbox(store);
    for (;;) {
        snprintf(subject, sizeof(subject), "%lu", ++number);
        value.Value.lpszA = subject;
        if (IMAPIFolder_CreateMessage(inbox, NULL, 0, &message) || IMessage_SetProps(message, 1, &value, NULL)
            || IMessage_SaveChanges(message, 0))
            return 3;
        IMessage_Release(message);
        /* The number written whole or not at all, whenever the kill comes. */
        snprintf(partial, sizeof(partial), "%s.new", report);
        if (!(file = fopen(partial, "w"))) return 4;
        fprintf(file, "%lu\n", number);
        fclose(file);
        if (!MoveFileExA(partial, report, MOVEFILE_REPLACE_EXISTING)) return 5;
    }
}

/* A process has the store to itself while it has it open (docs/message-store.md, "One connection per process"): a
 * second one cannot open it, and says so (MAPI_E_BUSY), and can once the first has logged off. */
static void test_one_process_at_a_time(void **state)
{
    STARTUPINFOA startup = { .cb = sizeof(startup) };
    PROCESS_INFORMATION process;
    char command[MAX_PATH + 32];
    DWORD code;
    int round;

    for (round = 0; round < 2; round++) {
        if (round) close_session(); /* the second time, this process has let go of it */
        GetModuleFileNameA(NULL, command, MAX_PATH);
        strcat(command, " child-open");
        assert_true(CreateProcessA(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &process));
        assert_int_equal(WaitForSingleObject(process.hProcess, 60000), WAIT_OBJECT_0);
        assert_true(GetExitCodeProcess(process.hProcess, &code));
        CloseHandle(process.hProcess);
        CloseHandle(process.hThread);
        assert_int_equal(code, round ? 10 : 11);
    }
    assert_int_equal(open_session(FALSE), S_OK);
}

/* The child of test_one_process_at_a_time: 10 if it opened the store, 11 if the store was busy, 12 otherwise. */
static int child_open(void)
{
    HRESULT hr;

    if (MAPIInitialize(NULL)) return 1;
    hr = open_session(FALSE);
    close_session();
    MAPIUninitialize();
    return hr == S_OK ? 10 : hr == MAPI_E_BUSY ? 11 : 12;
}

/* The child of test_survives_kill: saves a message into the Inbox and dies without logging off. */
static int child_save(void)
{
    IMAPIFolder *inbox;
    ENTRYID *inbox_id;
    ULONG size, type;

    if (MAPIInitialize(NULL) || open_session(FALSE)) return 1;
    if (IMsgStore_GetReceiveFolder(store, NULL, 0, &size, &inbox_id, NULL)
        || IMsgStore_OpenEntry(store, size, inbox_id, NULL, MAPI_MODIFY, &type, (IUnknown **)&inbox))
        return 2;
    create_simple_message(inbox, L"saved, then killed");
    TerminateProcess(GetCurrentProcess(), 9);
    return 3;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_first_logon_makes_folders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_message_survives_logoff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_move_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notifications, setup, teardown),
        cmocka_unit_test_setup_teardown(test_submit_and_abort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contents_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_disk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storelogoff_with_objects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_named_property_and_rtf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_embedded_and_reference_attachments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_mail_notification, setup, teardown),
        cmocka_unit_test_setup_teardown(test_objects_open_at_logoff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_survives_kill, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_at_any_moment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_process_at_a_time, setup, teardown),
    };

    if (argc > 1 && !strcmp(argv[1], "child-save")) return child_save();
    if (argc > 1 && !strcmp(argv[1], "child-open")) return child_open();
    if (argc > 2 && !strcmp(argv[1], "child-loop")) return child_loop(argv[2]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
