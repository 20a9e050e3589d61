/*
 * Every table MAPI defines the columns of carries its required columns by default (QueryColumns without
 * TBL_ALL_COLUMNS), as each table's page lists them: the profile, message-service, provider, status and
 * message-store tables, MAPI's root address-book container's hierarchy, a message on IStorage's recipient and
 * attachment tables, and the sample store's receive-folder, hierarchy, contents, recipient and attachment tables.
 * A column counts whatever its string width.
 */
#include "lifecycle.h"
#include "mapihost_util.h"

#define COLUMNS_PROFILE                                                                                                \
    "[Services]\nStore = Store service\nDirectory = Sample directory\n"                                                \
    "[Store]\nProviders = Sample Store\n"                                                                              \
    "[Sample Store]\nMAPIUID = 6D617069686F73742D636F6C732D4D53\nPR_PROVIDER_DLL_NAME = samplems.dll\n"                \
    "PR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\nPR_RESOURCE_FLAGS = STATUS_DEFAULT_STORE\nPR_DISPLAY_NAME = Columns\n"    \
    "[Sample MS settings]\nMAPIUID = 6D617069686F737453616D706C654D53\n6610001F = the columns store\n"                 \
    "[Directory]\nProviders = Sample AB\n"                                                                             \
    "[Sample AB]\nPR_PROVIDER_DLL_NAME = sampleab.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n" SAMPLE_AB_SETTINGS

#define REQUIRED(...)                                                                                                  \
    (const ULONG[])                                                                                                    \
    {                                                                                                                  \
        __VA_ARGS__, 0                                                                                                 \
    }

static const ULONG *const profile_columns = REQUIRED(PR_DEFAULT_PROFILE, PR_DISPLAY_NAME_A);
static const ULONG *const service_columns =
    REQUIRED(PR_DISPLAY_NAME_A, PR_INSTANCE_KEY, PR_RESOURCE_FLAGS, PR_SERVICE_DLL_NAME_A, PR_SERVICE_ENTRY_NAME,
             PR_SERVICE_NAME_A, PR_SERVICE_SUPPORT_FILES_A, PR_SERVICE_UID);
static const ULONG *const provider_columns =
    REQUIRED(PR_INSTANCE_KEY, PR_DISPLAY_NAME_A, PR_PROVIDER_DISPLAY_A, PR_PROVIDER_DLL_NAME_A, PR_PROVIDER_ORDINAL,
             PR_PROVIDER_UID, PR_RESOURCE_FLAGS, PR_RESOURCE_TYPE, PR_SERVICE_NAME_A, PR_SERVICE_UID);
static const ULONG *const status_columns =
    REQUIRED(PR_DISPLAY_NAME_A, PR_PROVIDER_DLL_NAME_A, PR_STATUS_CODE, PR_RESOURCE_FLAGS, PR_RESOURCE_METHODS,
             PR_RESOURCE_TYPE, PR_ENTRYID, PR_INSTANCE_KEY, PR_OBJECT_TYPE, PR_ROWID);
static const ULONG *const store_columns =
    REQUIRED(PR_DISPLAY_NAME_A, PR_ENTRYID, PR_INSTANCE_KEY, PR_MDB_PROVIDER, PR_OBJECT_TYPE, PR_PROVIDER_DISPLAY_A,
             PR_RECORD_KEY, PR_RESOURCE_FLAGS, PR_RESOURCE_TYPE, PR_DEFAULT_STORE);
#define HIERARCHY                                                                                                      \
    PR_COMMENT_A, PR_DEPTH, PR_DISPLAY_NAME_A, PR_DISPLAY_TYPE, PR_ENTRYID, PR_INSTANCE_KEY, PR_OBJECT_TYPE, PR_STATUS
static const ULONG *const ab_hierarchy_columns = REQUIRED(HIERARCHY, PR_CONTAINER_FLAGS);
static const ULONG *const store_hierarchy_columns =
    REQUIRED(HIERARCHY, PR_FOLDER_TYPE, PR_SUBFOLDERS, PR_CONTENT_COUNT, PR_CONTENT_UNREAD);
static const ULONG *const contents_columns =
    REQUIRED(PR_DISPLAY_CC_A, PR_DISPLAY_TO_A, PR_ENTRYID, PR_HASATTACH, PR_INSTANCE_KEY, PR_LAST_MODIFICATION_TIME,
             PR_MAPPING_SIGNATURE, PR_MESSAGE_CLASS_A, PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE, PR_MSG_STATUS, PR_OBJECT_TYPE,
             PR_PARENT_ENTRYID, PR_RECORD_KEY, PR_STORE_ENTRYID, PR_STORE_RECORD_KEY);
static const ULONG *const receive_folder_columns = REQUIRED(PR_ENTRYID, PR_MESSAGE_CLASS_A, PR_RECORD_KEY);
static const ULONG *const recipient_columns = REQUIRED(PR_DISPLAY_NAME_A, PR_RECIPIENT_TYPE, PR_ROWID);
static const ULONG *const attachment_columns =
    REQUIRED(PR_ATTACH_NUM, PR_INSTANCE_KEY, PR_RECORD_KEY, PR_RENDERING_POSITION);

/* The table's default columns hold every required one (by property ID); the table is released. */
static void check_columns(const char *what, IMAPITable *table, const ULONG *required)
{
    char missing[1024] = "";
    SPropTagArray *columns;
    ULONG i;

    assert_int_equal(IMAPITable_QueryColumns(table, 0, &columns), S_OK);
    for (; *required; required++) {
        for (i = 0; i < columns->cValues && PROP_ID(columns->aulPropTag[i]) != PROP_ID(*required); i++) continue;
        if (i == columns->cValues)
            snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " %08lX", *required);
    }
    MAPIFreeBuffer(columns);
    IMAPITable_Release(table);
    if (*missing) fail_msg("%s: required columns missing:%s", what, missing);
}

static IMAPISession *session;

static int setup(void **state)
{
    return open_own_session(state, "columns.inf", COLUMNS_PROFILE, &session);
}

static int teardown(void **state)
{
    return close_own_session(state, session);
}

static void test_session_tables(void **state)
{
    IMsgServiceAdmin *services;
    IProviderAdmin *providers;
    IProfAdmin *admin;
    IMAPITable *table;
    IAddrBook *address_book;
    IABContainer *root;
    ULONG type;
    SRowSet *rows;
    SizedSPropTagArray(1, uid) = { 1, { PR_SERVICE_UID } };

    assert_int_equal(MAPIAdminProfiles(0, &admin), S_OK);
    assert_int_equal(IProfAdmin_GetProfileTable(admin, 0, &table), S_OK);
    check_columns("the profile table", table, profile_columns);
    IProfAdmin_Release(admin);

    assert_int_equal(IMAPISession_AdminServices(session, 0, &services), S_OK);
    assert_int_equal(IMsgServiceAdmin_GetMsgServiceTable(services, 0, &table), S_OK);
    check_columns("the message-service table", table, service_columns);
    assert_int_equal(IMsgServiceAdmin_GetMsgServiceTable(services, 0, &table), S_OK);
    assert_int_equal(HrQueryAllRows(table, (SPropTagArray *)&uid, NULL, NULL, 0, &rows), S_OK);
    IMAPITable_Release(table);
    assert_int_equal(
        IMsgServiceAdmin_AdminProviders(services, (MAPIUID *)rows->aRow[0].lpProps[0].Value.bin.lpb, 0, &providers),
        S_OK);
    FreeProws(rows);
    assert_int_equal(IProviderAdmin_GetProviderTable(providers, 0, &table), S_OK);
    check_columns("a provider table", table, provider_columns);
    IProviderAdmin_Release(providers);
    IMsgServiceAdmin_Release(services);

    assert_int_equal(IMAPISession_GetStatusTable(session, 0, &table), S_OK);
    check_columns("the status table", table, status_columns);
    assert_int_equal(IMAPISession_GetMsgStoresTable(session, 0, &table), S_OK);
    check_columns("the message-store table", table, store_columns);

    assert_int_equal(IMAPISession_OpenAddressBook(session, 0, NULL, 0, &address_book), S_OK);
    assert_int_equal(IAddrBook_OpenEntry(address_book, 0, NULL, NULL, 0, &type, (IUnknown **)&root), S_OK);
    assert_int_equal(IABContainer_GetHierarchyTable(root, 0, &table), S_OK);
    check_columns("the root address-book container's hierarchy table", table, ab_hierarchy_columns);
    IABContainer_Release(root);
    IAddrBook_Release(address_book);
}

/* A message's recipient and attachment tables, with one of each. */
static void check_message_tables(const char *owner, IMessage *message)
{
    SPropValue recipient[2] = { { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"Bo" } },
                                { PR_RECIPIENT_TYPE, 0, { .l = MAPI_TO } } };
    ADRLIST list = { 1, { { 0, 2, recipient } } };
    IMAPITable *table;
    IAttach *attach;
    char what[128];
    ULONG number;

    assert_int_equal(IMessage_ModifyRecipients(message, MODRECIP_ADD, &list), S_OK);
    assert_int_equal(IMessage_CreateAttach(message, NULL, 0, &number, &attach), S_OK);
    assert_int_equal(IAttach_SaveChanges(attach, 0), S_OK);
    IAttach_Release(attach);
    assert_int_equal(IMessage_GetRecipientTable(message, 0, &table), S_OK);
    snprintf(what, sizeof(what), "%s: the recipient table", owner);
    check_columns(what, table, recipient_columns);
    assert_int_equal(IMessage_GetAttachmentTable(message, 0, &table), S_OK);
    snprintf(what, sizeof(what), "%s: the attachment table", owner);
    check_columns(what, table, attachment_columns);
}

static void test_message_on_storage(void **state)
{
    ILockBytes *bytes;
    IStorage *storage;
    IMessage *message;

    assert_int_equal(CreateILockBytesOnHGlobal(NULL, TRUE, &bytes), S_OK);
    assert_int_equal(
        StgCreateDocfileOnILockBytes(bytes, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, &storage), S_OK);
    assert_int_equal(OpenIMsgOnIStg(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, MAPIGetDefaultMalloc(),
                                    NULL, storage, NULL, 0, 0, &message),
                     S_OK);
    check_message_tables("a message on IStorage", message);
    IMessage_Release(message);
    IStorage_Release(storage);
    ILockBytes_Release(bytes);
}

static void test_store_tables(void **state)
{
    IMAPIFolder *root, *inbox;
    IMAPITable *table;
    IMsgStore *store;
    IMessage *message;
    ULONG type;

    store = open_first_store_with(session, MDB_WRITE, S_OK);
    assert_int_equal(IMsgStore_GetReceiveFolderTable(store, 0, &table), S_OK);
    check_columns("the sample store's receive-folder table", table, receive_folder_columns);
    assert_int_equal(IMsgStore_OpenEntry(store, 0, NULL, NULL, 0, &type, (IUnknown **)&root), S_OK);
    assert_int_equal(IMAPIFolder_GetHierarchyTable(root, 0, &table), S_OK);
    check_columns("the sample store's hierarchy table", table, store_hierarchy_columns);
    IMAPIFolder_Release(root);
    inbox = open_inbox(store);
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &table), S_OK);
    check_columns("the sample store's contents table", table, contents_columns);
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &message), S_OK);
    check_message_tables("a message of the sample store", message);
    IMessage_Release(message);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_session_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_message_on_storage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_tables, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
