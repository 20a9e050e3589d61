/*
 * mapidump as a person uses it, as a separate process: a .msg file's properties, recipients and attachments as text
 * and as JSON, in UTF-8; a profile's stores, folder tree, a folder's contents and one message, over the real sample
 * store; and the mistakes: a file that is no .msg, a folder that is not there, an index that is no number.
 */
#include "lifecycle.h"
#include "mapihost_util.h"

#define DUMP_PROFILE                                                                                                   \
    "[Services]\nStore = Store service\n[Store]\nProviders = Sample Store\n"                                           \
    "[Sample Store]\nMAPIUID = 6D617069686F73742D64756D702D4D53\nPR_PROVIDER_DLL_NAME = samplems.dll\n"                \
    "PR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\nPR_RESOURCE_FLAGS = STATUS_DEFAULT_STORE\nPR_DISPLAY_NAME = Dump Store\n" \
    "[Sample MS settings]\nMAPIUID = 6D617069686F737453616D706C654D53\n6610001F = the dump store\n"

static const WCHAR subject[] = L"Gr\u00fc\u00dfe \u20ac \u65e5\u672c";
static const char subject_utf8[] = "Gr\xc3\xbc\xc3\x9f"
                                   "e \xe2\x82\xac \xe6\x97\xa5\xe6\x9c\xac";

static DWORD dump(const char *args, char *output, size_t size)
{
    char command[2048];

    snprintf(command, sizeof(command), "mapidump.exe %s", args);
    return run_captured(command, output, size);
}

/* Brackets and braces balance outside strings, and strings end: the shape of JSON, without a parser. */
static void assert_json_shape(const char *text)
{
    int depth = 0;
    BOOL in_string = FALSE;

    assert_true(*text == '{');
    for (; *text; text++) {
        if (in_string) {
            if (*text == '\\')
                text++;
            else if (*text == '"')
                in_string = FALSE;
            continue;
        }
        if (*text == '"') in_string = TRUE;
        if (*text == '{' || *text == '[') depth++;
        if (*text == '}' || *text == ']') assert_true(--depth >= 0);
    }
    assert_false(in_string);
    assert_int_equal(depth, 0);
}

static void test_msg_file(void **state)
{
    SPropValue values[2] = { { PR_SUBJECT_W, 0, { .lpszW = (WCHAR *)subject } },
                             { PR_BODY_A, 0, { .lpszA = (char *)"a \"quoted\" body" } } };
    SPropValue recipient[2] = { { PR_DISPLAY_NAME_W, 0, { .lpszW = (WCHAR *)L"Zo\u00eb" } },
                                { PR_RECIPIENT_TYPE, 0, { .l = MAPI_TO } } };
    SPropValue attachment[2] = { { PR_ATTACH_METHOD, 0, { .l = ATTACH_BY_VALUE } },
                                 { PR_ATTACH_DATA_BIN, 0, { .bin = { 3, (BYTE *)"abc" } } } };
    ADRLIST list = { 1, { { 0, 2, recipient } } };
    char path[MAX_PATH], args[MAX_PATH + 32], output[65536], text_path[MAX_PATH];
    WCHAR wide[MAX_PATH];
    IStorage *storage;
    IMessage *message;
    IAttach *attach;
    ULONG number;

    write_temp_file("dump.msg", "", path, sizeof(path));
    MultiByteToWideChar(CP_ACP, 0, path, -1, wide, MAX_PATH);
    assert_int_equal(
        StgCreateDocfile(wide, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE | STGM_TRANSACTED, 0, &storage),
        S_OK);
    assert_int_equal(OpenIMsgOnIStg(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, MAPIGetDefaultMalloc(),
                                    NULL, storage, NULL, 0, MAPI_UNICODE, &message),
                     S_OK);
    assert_int_equal(IMessage_SetProps(message, 2, values, NULL), S_OK);
    assert_int_equal(IMessage_ModifyRecipients(message, MODRECIP_ADD, &list), S_OK);
    assert_int_equal(IMessage_CreateAttach(message, NULL, 0, &number, &attach), S_OK);
    assert_int_equal(IAttach_SetProps(attach, 2, attachment, NULL), S_OK);
    assert_int_equal(IAttach_SaveChanges(attach, 0), S_OK);
    IAttach_Release(attach);
    assert_int_equal(IMessage_SaveChanges(message, 0), S_OK);
    IMessage_Release(message);
    IStorage_Release(storage);

    snprintf(args, sizeof(args), "msg \"%s\"", path);
    assert_int_equal(dump(args, output, sizeof(output)), 0);
    assert_in_order(output, "properties:", "0037001F = ", subject_utf8, "recipients: 1", "Zo\xc3\xab", "attachments: 1",
                    "37010102 = 616263");
    snprintf(args, sizeof(args), "--json msg \"%s\"", path);
    assert_int_equal(dump(args, output, sizeof(output)), 0);
    assert_json_shape(output);
    assert_in_order(output, "{\"properties\": [", "{\"tag\": \"0037001F\", \"value\": ", subject_utf8, "\\\"quoted\\\"",
                    "\"recipients\": [[", "\"attachments\": [[");
    DeleteFileA(path);

    /* Not a .msg: said so, exit 1. */
    write_temp_file("not.msg", "plain text", text_path, sizeof(text_path));
    snprintf(args, sizeof(args), "msg \"%s\"", text_path);
    assert_int_equal(dump(args, output, sizeof(output)), 1);
    assert_non_null(strstr(output, "is not a .msg file this can read"));
    DeleteFileA(text_path);
}

static void test_profile(void **state)
{
    SPropValue values[2] = { { PR_SUBJECT_W, 0, { .lpszW = (WCHAR *)subject } },
                             { PR_MESSAGE_CLASS_A, 0, { .lpszA = (char *)"IPM.Note" } } };
    char path[MAX_PATH], args[MAX_PATH + 128], output[65536];
    IMAPISession *session;
    IMAPIFolder *inbox;
    IMsgStore *store;
    IMessage *message;

    /* A message in the Inbox of a store of the test's own. */
    write_temp_file("dump.inf", DUMP_PROFILE, path, sizeof(path));
    assert_int_equal(MAPILogonEx(0, path, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL, &session), S_OK);
    store = open_first_store_with(session, MDB_WRITE, S_OK);
    inbox = open_inbox(store);
    assert_int_equal(IMAPIFolder_CreateMessage(inbox, NULL, 0, &message), S_OK);
    assert_int_equal(IMessage_SetProps(message, 2, values, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(message, 0), S_OK);
    IMessage_Release(message);
    IMAPIFolder_Release(inbox);
    IMsgStore_Release(store);
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    IMAPISession_Release(session);

    snprintf(args, sizeof(args), "stores \"%s\"", path);
    assert_int_equal(dump(args, output, sizeof(output)), 0);
    assert_non_null(strstr(output, "Dump Store (default)"));
    snprintf(args, sizeof(args), "--json folders \"%s\"", path);
    assert_int_equal(dump(args, output, sizeof(output)), 0);
    assert_json_shape(output);
    assert_in_order(output, "{\"name\": \"Top of Information Store\"", "{\"name\": \"Inbox\", \"depth\": 2");
    snprintf(args, sizeof(args), "contents \"%s\" \"Top of Information Store/Inbox\"", path);
    assert_int_equal(dump(args, output, sizeof(output)), 0);
    assert_in_order(output, "0: ", subject_utf8, "[IPM.Note");
    snprintf(args, sizeof(args), "message \"%s\" \"Top of Information Store/Inbox\" 0", path);
    assert_int_equal(dump(args, output, sizeof(output)), 0);
    assert_in_order(output, "properties:", subject_utf8, "recipients: 0", "attachments: 0");

    /* Mistakes, each named. */
    snprintf(args, sizeof(args), "contents \"%s\" \"Top of Information Store/Nowhere\"", path);
    assert_int_equal(dump(args, output, sizeof(output)), 1);
    assert_non_null(strstr(output, "no folder \"Nowhere\" there"));
    snprintf(args, sizeof(args), "message \"%s\" Inbox first", path);
    assert_int_equal(dump(args, output, sizeof(output)), 2);
    assert_non_null(strstr(output, "first: not a message index"));
    assert_int_equal(dump("folders", output, sizeof(output)), 2);
    assert_non_null(strstr(output, "folders takes 1 argument"));
    assert_int_equal(dump("list", output, sizeof(output)), 2);
    assert_non_null(strstr(output, "list: not a command"));
    DeleteFileA(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        mapi_test(test_msg_file),
        mapi_test(test_profile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
