/*
 * No path narrows a Unicode value: a string with characters outside any ANSI code page ("Grüße € 日本 🙂", a
 * character beyond the BMP included) is set through every way mapihost stores a property and read back exactly:
 * a profile section (written to its file and read by a new session), IPropData, a table's rows, a message on
 * IStorage (saved and opened again) and a message in the sample store (saved, the session ended, opened again).
 */
#include "lifecycle.h"
#include "mapihost_util.h"

static const WCHAR text[] = L"Gr\u00fc\u00dfe \u20ac \u65e5\u672c \U0001F642";

#define SECTION_UID "6D617069686F73742D756E69636F6465" /* "mapihost-unicode" */
#define UNICODE_PROFILE                                                                                                \
    "[Services]\nStore = Store service\n[Store]\nProviders = Sample Store\n"                                           \
    "[Sample Store]\nMAPIUID = 6D617069686F73742D756E692D4D5321\nPR_PROVIDER_DLL_NAME = samplems.dll\n"                \
    "PR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\nPR_RESOURCE_FLAGS = STATUS_DEFAULT_STORE\nPR_DISPLAY_NAME = Unicode\n"    \
    "[Sample MS settings]\nMAPIUID = 6D617069686F737453616D706C654D53\n6610001F = the unicode store\n"

static void assert_text(const SPropValue *value)
{
    assert_int_equal(PROP_TYPE(value->ulPropTag), PT_UNICODE);
    assert_true(!wcscmp(value->Value.lpszW, text));
}

static SPropValue *get_one(void *object, ULONG tag)
{
    SPropValue *value = NULL;

    assert_int_equal(HrGetOneProp(object, tag, &value), S_OK);
    return value;
}

static void test_property_data(void **state)
{
    SPropValue value = { PR_SUBJECT_W, 0, { .lpszW = (WCHAR *)text } }, *got;
    IPropData *data;

    assert_int_equal(CreateIProp(&IID_IPropData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, &data),
                     S_OK);
    assert_int_equal(IPropData_SetProps(data, 1, &value, NULL), S_OK);
    assert_text(got = get_one(data, PR_SUBJECT_W));
    MAPIFreeBuffer(got);
    IPropData_Release(data);
}

static void test_table_rows(void **state)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ROWID, PR_DISPLAY_NAME_W } };
    SPropValue values[2] = { { PR_ROWID, 0, { .l = 1 } }, { PR_DISPLAY_NAME_W, 0, { .lpszW = (WCHAR *)text } } };
    SRow row = { 0, 2, values };
    ITableData *data;
    IMAPITable *view;
    SRowSet *rows;

    assert_int_equal(CreateTable(&IID_ITableData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL,
                                 TBLTYPE_DYNAMIC, PR_ROWID, (SPropTagArray *)&columns, &data),
                     S_OK);
    assert_int_equal(ITableData_HrModifyRow(data, &row), S_OK);
    assert_int_equal(ITableData_HrGetView(data, NULL, NULL, 0, &view), S_OK);
    assert_int_equal(HrQueryAllRows(view, (SPropTagArray *)&columns, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_text(&rows->aRow[0].lpProps[1]);
    FreeProws(rows);
    IMAPITable_Release(view);
    ITableData_Release(data);
}

static void test_message_on_storage(void **state)
{
    SPropValue value = { PR_BODY_W, 0, { .lpszW = (WCHAR *)text } }, *got;
    ILockBytes *bytes;
    IStorage *storage;
    IMessage *message;
    int round;

    assert_int_equal(CreateILockBytesOnHGlobal(NULL, TRUE, &bytes), S_OK);
    assert_int_equal(
        StgCreateDocfileOnILockBytes(bytes, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, &storage), S_OK);
    for (round = 0; round < 2; round++) { /* set and saved, then opened again */
        assert_int_equal(OpenIMsgOnIStg(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                                        MAPIGetDefaultMalloc(), NULL, storage, NULL, 0, round ? 0 : MAPI_UNICODE,
                                        &message),
                         S_OK);
        if (!round) {
            assert_int_equal(IMessage_SetProps(message, 1, &value, NULL), S_OK);
            assert_int_equal(IMessage_SaveChanges(message, 0), S_OK);
        } else {
            assert_text(got = get_one(message, PR_BODY_W));
            MAPIFreeBuffer(got);
        }
        IMessage_Release(message);
    }
    IStorage_Release(storage);
    ILockBytes_Release(bytes);
}

/* A profile section: written to the profile's file, read by a new session over it. */
static void test_profile_section(void **state)
{
    SPropValue value = { PROP_TAG(PT_UNICODE, 0x6620), 0, { .lpszW = (WCHAR *)text } }, *got;
    MAPIUID uid = { { 'm', 'a', 'p', 'i', 'h', 'o', 's', 't', '-', 'u', 'n', 'i', 'c', 'o', 'd', 'e' } };
    IMAPISession *session;
    IProfSect *section;
    char path[MAX_PATH];
    int round;

    write_temp_file("unicode.inf", UNICODE_PROFILE, path, sizeof(path));
    for (round = 0; round < 2; round++) {
        assert_int_equal(MAPILogonEx(0, path, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL, &session), S_OK);
        assert_int_equal(IMAPISession_OpenProfileSection(session, &uid, NULL, MAPI_MODIFY, &section), S_OK);
        if (!round)
            assert_int_equal(IProfSect_SetProps(section, 1, &value, NULL), S_OK);
        else {
            assert_text(got = get_one(section, value.ulPropTag));
            MAPIFreeBuffer(got);
        }
        IProfSect_Release(section);
        assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
        IMAPISession_Release(session);
    }
    DeleteFileA(path);
}

/* A message of the sample store: saved, the session ended, the message opened again in a new one. */
static void test_store_message(void **state)
{
    SPropValue value = { PR_SUBJECT_W, 0, { .lpszW = (WCHAR *)text } }, *got, *entry_id = NULL;
    IMAPISession *session;
    IMAPIFolder *folder;
    IMsgStore *store;
    IMessage *message;
    char path[MAX_PATH];
    ULONG type;
    int round;

    write_temp_file("unicode-store.inf", UNICODE_PROFILE, path, sizeof(path));
    for (round = 0; round < 2; round++) {
        assert_int_equal(MAPILogonEx(0, path, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL, &session), S_OK);
        store = open_first_store_with(session, MDB_WRITE, S_OK);
        if (!round) {
            folder = open_inbox(store);
            assert_int_equal(IMAPIFolder_CreateMessage(folder, NULL, 0, &message), S_OK);
            assert_int_equal(IMessage_SetProps(message, 1, &value, NULL), S_OK);
            assert_int_equal(IMessage_SaveChanges(message, KEEP_OPEN_READWRITE), S_OK);
            entry_id = get_one(message, PR_ENTRYID);
            IMAPIFolder_Release(folder);
        } else {
            assert_int_equal(IMsgStore_OpenEntry(store, entry_id->Value.bin.cb, (ENTRYID *)entry_id->Value.bin.lpb,
                                                 NULL, 0, &type, (IUnknown **)&message),
                             S_OK);
            assert_text(got = get_one(message, PR_SUBJECT_W));
            MAPIFreeBuffer(got);
        }
        IMessage_Release(message);
        IMsgStore_Release(store);
        assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
        IMAPISession_Release(session);
    }
    MAPIFreeBuffer(entry_id);
    DeleteFileA(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        mapi_test(test_property_data),   mapi_test(test_table_rows),    mapi_test(test_message_on_storage),
        mapi_test(test_profile_section), mapi_test(test_store_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
