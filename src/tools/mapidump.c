/*
 * mapidump: what a profile's stores hold, and what a .msg file holds, without writing a client. Through the same
 * interfaces a client uses (MAPILogonEx, the message-store table, folders' hierarchy and contents tables, messages,
 * OpenIMsgOnIStg); read-only. Text by default, JSON with --json; UTF-8 either way. Exit code 0, 1 (failed, the
 * reason on stderr) or 2 (usage).
 *
 *   mapidump [--json] stores PROFILE                     the message stores, the default marked
 *   mapidump [--json] folders PROFILE                    the default store's folder tree, with message counts
 *   mapidump [--json] contents PROFILE FOLDER            a folder's messages: subject, class, size
 *   mapidump [--json] message PROFILE FOLDER INDEX       one message's properties, recipients and attachments
 *   mapidump [--json] msg FILE                           a .msg file the same way
 *
 * PROFILE is a profile's name or a profile file's path; FOLDER is a path of display names from the store's root,
 * separated by '/' ("" is the root); INDEX counts from 0 in the contents table's order. Property values are written
 * as a profile file writes them (docs/host-behaviour.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <shellapi.h>

#include "mapihost_x.h"
#include "mapihost.h"
#include "mapihost_util.h"

static BOOL json;

static void WINAPI print_event(void *context, ULONG severity, const char *line)
{
    if (severity != MAPIHOST_EVENT_STEP) fprintf(stderr, "mapidump: %s\n", line);
}

static int fail(const char *what, HRESULT hr)
{
    fprintf(stderr, "mapidump: %s failed: %s\n", what, MapihostErrorName(hr));
    return 1;
}

/* Text as UTF-8: a profile file's values already are, but an ANSI string's bytes are in the code page. */
static void put_utf8(const char *text)
{
    WCHAR *wide;
    char *utf8;
    int length;

    if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, NULL, 0)) {
        fputs(text, stdout);
        return;
    }
    length = MultiByteToWideChar(CP_ACP, 0, text, -1, NULL, 0);
    if (!(wide = calloc(length + 1, sizeof(WCHAR)))) return;
    MultiByteToWideChar(CP_ACP, 0, text, -1, wide, length);
    length = WideCharToMultiByte(CP_UTF8, 0, wide, -1, NULL, 0, NULL, NULL);
    if ((utf8 = calloc(length + 1, 1))) {
        WideCharToMultiByte(CP_UTF8, 0, wide, -1, utf8, length, NULL, NULL);
        fputs(utf8, stdout);
        free(utf8);
    }
    free(wide);
}

static void put_json_string(const char *text)
{
    char *escaped = malloc(6 * strlen(text) + 3);
    const char *p;
    size_t n = 0;

    if (!escaped) return;
    escaped[n++] = '"';
    for (p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;

        if (c == '"' || c == '\\') {
            escaped[n++] = '\\';
            escaped[n++] = (char)c;
        } else if (c < 0x20)
            n += sprintf(escaped + n, "\\u%04x", c);
        else
            escaped[n++] = (char)c; /* UTF-8's bytes above 0x7f pass as they are */
    }
    escaped[n++] = '"';
    escaped[n] = 0;
    put_utf8(escaped);
    free(escaped);
}

/* A list of values: "TAG = VALUE" lines, or a JSON array of {"tag", "value"} (the two halves of the same text). */
static void put_values(const char *indent, ULONG count, const SPropValue *values)
{
    char text[8192], *equals;
    ULONG i;

    if (json) putchar('[');
    for (i = 0; i < count; i++) {
        if (MapihostFormatProp(&values[i], text, sizeof(text)) == MAPI_E_STRING_TOO_LONG)
            strcpy(text + sizeof(text) - 20, " ... (cut)");
        if (!json) {
            printf("%s", indent);
            put_utf8(text);
            putchar('\n');
            continue;
        }
        equals = strstr(text, " = ");
        if (equals) *equals = 0;
        printf("%s{\"tag\": ", i ? ", " : "");
        put_json_string(text);
        printf(", \"value\": ");
        put_json_string(equals ? equals + 3 : "");
        putchar('}');
    }
    if (json) putchar(']');
}

/* Every row of a table with the columns asked for (NULL: every column its rows have). */
static HRESULT all_rows(IMAPITable *table, SPropTagArray *columns, SRowSet **rows)
{
    SPropTagArray *all = NULL;
    HRESULT hr = S_OK;

    if (!columns && SUCCEEDED(hr = IMAPITable_QueryColumns(table, TBL_ALL_COLUMNS, &all))) columns = all;
    if (SUCCEEDED(hr)) hr = HrQueryAllRows(table, columns, NULL, NULL, 0, rows);
    MAPIFreeBuffer(all);
    IMAPITable_Release(table);
    return hr;
}

static const SPropValue *find(const SRow *row, ULONG tag)
{
    return PpropFindProp(row->lpProps, row->cValues, tag);
}

static const char *row_text(const SRow *row, ULONG tag, char *buffer, size_t size)
{
    const SPropValue *value = find(row, CHANGE_PROP_TYPE(tag, PT_UNICODE));

    if (value && WideCharToMultiByte(CP_UTF8, 0, value->Value.lpszW, -1, buffer, (int)size, NULL, NULL)) return buffer;
    if ((value = find(row, CHANGE_PROP_TYPE(tag, PT_STRING8)))) return value->Value.lpszA;
    return "";
}

/* ---- A message, whether in a store or in a file ------------------------------------------------------------- */

static int dump_message(IMessage *message)
{
    SPropValue *values;
    IMAPITable *table;
    SRowSet *rows;
    ULONG count, i;
    HRESULT hr;

    if (FAILED(hr = IMessage_GetProps(message, NULL, MAPI_UNICODE, &count, &values))) return fail("GetProps", hr);
    printf(json ? "{\"properties\": " : "properties:\n");
    put_values("  ", count, values);
    MAPIFreeBuffer(values);
    if (FAILED(hr = IMessage_GetRecipientTable(message, MAPI_UNICODE, &table))
        || FAILED(hr = all_rows(table, NULL, &rows)))
        return fail("the recipient table", hr);
    printf(json ? ", \"recipients\": [" : "recipients: %lu\n", rows->cRows);
    for (i = 0; i < rows->cRows; i++) {
        if (json)
            printf("%s", i ? ", " : "");
        else
            printf("  recipient %lu:\n", i);
        put_values("    ", rows->aRow[i].cValues, rows->aRow[i].lpProps);
    }
    FreeProws(rows);
    if (FAILED(hr = IMessage_GetAttachmentTable(message, MAPI_UNICODE, &table))
        || FAILED(hr = all_rows(table, NULL, &rows)))
        return fail("the attachment table", hr);
    printf(json ? "], \"attachments\": [" : "attachments: %lu\n", rows->cRows);
    for (i = 0; i < rows->cRows; i++) {
        const SPropValue *number = find(&rows->aRow[i], PR_ATTACH_NUM);
        IAttach *attach;

        if (json)
            printf("%s", i ? ", " : "");
        else
            printf("  attachment %lu:\n", i);
        /* The attachment's own properties, as its table gives only some. */
        if (number && SUCCEEDED(IMessage_OpenAttach(message, number->Value.l, NULL, 0, &attach))) {
            if (SUCCEEDED(IAttach_GetProps(attach, NULL, MAPI_UNICODE, &count, &values))) {
                put_values("    ", count, values);
                MAPIFreeBuffer(values);
            }
            IAttach_Release(attach);
        } else
            put_values("    ", rows->aRow[i].cValues, rows->aRow[i].lpProps);
    }
    FreeProws(rows);
    printf(json ? "]}\n" : "");
    return 0;
}

static int dump_msg_file(const WCHAR *path)
{
    IStorage *storage;
    IMessage *message;
    LPMSGSESS session;
    HRESULT hr;
    int result;

    if (FAILED(
            hr = StgOpenStorage(path, NULL, STGM_READ | STGM_SHARE_DENY_WRITE | STGM_TRANSACTED, NULL, 0, &storage))) {
        fprintf(stderr, "mapidump: %ls is not a .msg file this can read (%s)\n", path, MapihostErrorName(hr));
        return 1;
    }
    if (FAILED(hr = OpenIMsgSession(MAPIGetDefaultMalloc(), 0, &session))) {
        IStorage_Release(storage);
        return fail("OpenIMsgSession", hr);
    }
    hr = OpenIMsgOnIStg(session, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, MAPIGetDefaultMalloc(), NULL,
                        storage, NULL, 0, MAPI_UNICODE, &message);
    if (SUCCEEDED(hr)) {
        result = dump_message(message);
        IMessage_Release(message);
    } else {
        fprintf(stderr, "mapidump: %ls: %s\n", path,
                hr == MAPI_E_CORRUPT_DATA ? "the file breaks the .msg format" : MapihostErrorName(hr));
        result = 1;
    }
    CloseIMsgSession(session);
    IStorage_Release(storage);
    return result;
}

/* ---- A profile's stores ------------------------------------------------------------------------------------- */

static HRESULT open_default_store(IMAPISession *session, IMsgStore **store)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_DEFAULT_STORE } };
    IMAPITable *table;
    SRowSet *rows;
    HRESULT hr;
    ULONG i;

    *store = NULL;
    if (FAILED(hr = IMAPISession_GetMsgStoresTable(session, 0, &table))
        || FAILED(hr = all_rows(table, (SPropTagArray *)&columns, &rows)))
        return hr;
    hr = MAPI_E_NOT_FOUND;
    for (i = 0; i < rows->cRows && hr == MAPI_E_NOT_FOUND; i++)
        if (rows->aRow[i].lpProps[1].ulPropTag == PR_DEFAULT_STORE && rows->aRow[i].lpProps[1].Value.b)
            hr = IMAPISession_OpenMsgStore(session, 0, rows->aRow[i].lpProps[0].Value.bin.cb,
                                           (ENTRYID *)rows->aRow[i].lpProps[0].Value.bin.lpb, NULL, MDB_NO_DIALOG,
                                           store);
    FreeProws(rows);
    return hr;
}

static int list_stores(IMAPISession *session)
{
    SizedSPropTagArray(3, columns) = { 3, { PR_DISPLAY_NAME_W, PR_DEFAULT_STORE, PR_PROVIDER_DISPLAY_W } };
    char name[512], provider[512];
    IMAPITable *table;
    SRowSet *rows;
    HRESULT hr;
    ULONG i;

    if (FAILED(hr = IMAPISession_GetMsgStoresTable(session, MAPI_UNICODE, &table))
        || FAILED(hr = all_rows(table, (SPropTagArray *)&columns, &rows)))
        return fail("the message-store table", hr);
    printf(json ? "{\"stores\": [" : "");
    for (i = 0; i < rows->cRows; i++) {
        BOOL is_default = rows->aRow[i].lpProps[1].ulPropTag == PR_DEFAULT_STORE && rows->aRow[i].lpProps[1].Value.b;

        row_text(&rows->aRow[i], PR_DISPLAY_NAME_W, name, sizeof(name));
        row_text(&rows->aRow[i], PR_PROVIDER_DISPLAY_W, provider, sizeof(provider));
        if (!json) {
            put_utf8(name);
            printf("%s (", is_default ? " (default)" : "");
            put_utf8(provider);
            printf(")\n");
            continue;
        }
        printf("%s{\"name\": ", i ? ", " : "");
        put_json_string(name);
        printf(", \"provider\": ");
        put_json_string(provider);
        printf(", \"default\": %s}", is_default ? "true" : "false");
    }
    printf(json ? "]}\n" : "");
    FreeProws(rows);
    return 0;
}

static HRESULT open_folder(IMsgStore *store, ULONG size, const ENTRYID *entry_id, IMAPIFolder **folder)
{
    ULONG type;

    return IMsgStore_OpenEntry(store, size, (ENTRYID *)entry_id, &IID_IMAPIFolder, 0, &type, (IUnknown **)folder);
}

/* The folder a path of display names leads to from the store's root. */
static HRESULT find_folder(IMsgStore *store, const char *path, IMAPIFolder **folder)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_W } };
    char buffer[512], part[512];
    const char *slash;
    IMAPITable *table;
    SRowSet *rows;
    HRESULT hr;
    ULONG i;

    if (FAILED(hr = open_folder(store, 0, NULL, folder))) return hr;
    for (; *path; path = *slash ? slash + 1 : slash) {
        slash = path + strcspn(path, "/");
        snprintf(part, sizeof(part), "%.*s", (int)(slash - path), path);
        if (!*part) continue;
        hr = IMAPIFolder_GetHierarchyTable(*folder, MAPI_UNICODE, &table);
        if (SUCCEEDED(hr)) hr = all_rows(table, (SPropTagArray *)&columns, &rows);
        IMAPIFolder_Release(*folder);
        *folder = NULL;
        if (FAILED(hr)) return hr;
        hr = MAPI_E_NOT_FOUND;
        for (i = 0; i < rows->cRows && hr == MAPI_E_NOT_FOUND; i++)
            if (!_stricmp(row_text(&rows->aRow[i], PR_DISPLAY_NAME_W, buffer, sizeof(buffer)), part))
                hr = open_folder(store, rows->aRow[i].lpProps[0].Value.bin.cb,
                                 (ENTRYID *)rows->aRow[i].lpProps[0].Value.bin.lpb, folder);
        FreeProws(rows);
        if (hr == MAPI_E_NOT_FOUND) fprintf(stderr, "mapidump: no folder \"%s\" there\n", part);
        if (FAILED(hr)) return hr;
    }
    return S_OK;
}

static int list_folders(IMsgStore *store)
{
    SizedSPropTagArray(3, columns) = { 3, { PR_DISPLAY_NAME_W, PR_DEPTH, PR_CONTENT_COUNT } };
    IMAPIFolder *root;
    IMAPITable *table;
    char name[512];
    SRowSet *rows;
    HRESULT hr;
    ULONG i;

    if (FAILED(hr = open_folder(store, 0, NULL, &root))) return fail("opening the root folder", hr);
    hr = IMAPIFolder_GetHierarchyTable(root, CONVENIENT_DEPTH | MAPI_UNICODE, &table);
    IMAPIFolder_Release(root);
    if (FAILED(hr) || FAILED(hr = all_rows(table, (SPropTagArray *)&columns, &rows)))
        return fail("the hierarchy table", hr);
    printf(json ? "{\"folders\": [" : "");
    for (i = 0; i < rows->cRows; i++) {
        const SRow *row = &rows->aRow[i];
        LONG depth = find(row, PR_DEPTH) ? find(row, PR_DEPTH)->Value.l : 1;
        LONG messages = find(row, PR_CONTENT_COUNT) ? find(row, PR_CONTENT_COUNT)->Value.l : -1;

        row_text(row, PR_DISPLAY_NAME_W, name, sizeof(name));
        if (!json) {
            printf("%*s", (int)(2 * depth), "");
            put_utf8(name);
            if (messages >= 0) printf(" (%ld messages)", messages);
            putchar('\n');
            continue;
        }
        printf("%s{\"name\": ", i ? ", " : "");
        put_json_string(name);
        printf(", \"depth\": %ld, \"messages\": %ld}", depth, messages);
    }
    printf(json ? "]}\n" : "");
    FreeProws(rows);
    return 0;
}

static int list_contents(IMsgStore *store, const char *path, LONG index)
{
    SizedSPropTagArray(4, columns) = { 4, { PR_ENTRYID, PR_SUBJECT_W, PR_MESSAGE_CLASS_W, PR_MESSAGE_SIZE } };
    char subject[1024], message_class[256];
    IMAPIFolder *folder;
    IMAPITable *table;
    IMessage *message;
    SRowSet *rows;
    HRESULT hr;
    ULONG i, type;
    int result = 0;

    if (FAILED(hr = find_folder(store, path, &folder))) return fail("finding the folder", hr);
    hr = IMAPIFolder_GetContentsTable(folder, MAPI_UNICODE, &table);
    IMAPIFolder_Release(folder);
    if (FAILED(hr) || FAILED(hr = all_rows(table, (SPropTagArray *)&columns, &rows)))
        return fail("the contents table", hr);
    if (index >= 0) { /* one message */
        if ((ULONG)index >= rows->cRows) {
            fprintf(stderr, "mapidump: the folder has %lu messages; there is no message %ld\n", rows->cRows, index);
            result = 1;
        } else if (FAILED(hr = IMsgStore_OpenEntry(store, rows->aRow[index].lpProps[0].Value.bin.cb,
                                                   (ENTRYID *)rows->aRow[index].lpProps[0].Value.bin.lpb, &IID_IMessage,
                                                   0, &type, (IUnknown **)&message)))
            result = fail("opening the message", hr);
        else {
            result = dump_message(message);
            IMessage_Release(message);
        }
        FreeProws(rows);
        return result;
    }
    printf(json ? "{\"messages\": [" : "");
    for (i = 0; i < rows->cRows; i++) {
        const SPropValue *size = find(&rows->aRow[i], PR_MESSAGE_SIZE);

        row_text(&rows->aRow[i], PR_SUBJECT_W, subject, sizeof(subject));
        row_text(&rows->aRow[i], PR_MESSAGE_CLASS_W, message_class, sizeof(message_class));
        if (!json) {
            printf("%lu: ", i);
            put_utf8(subject);
            printf(" [%s, %ld bytes]\n", message_class, size ? size->Value.l : 0);
            continue;
        }
        printf("%s{\"index\": %lu, \"subject\": ", i ? ", " : "", i);
        put_json_string(subject);
        printf(", \"class\": ");
        put_json_string(message_class);
        printf(", \"size\": %ld}", size ? size->Value.l : 0);
    }
    printf(json ? "]}\n" : "");
    FreeProws(rows);
    return 0;
}

static const char synopsis[] =
    "usage: mapidump [--json] stores PROFILE | folders PROFILE | contents PROFILE FOLDER\n"
    "              | message PROFILE FOLDER INDEX | msg FILE\n"
    "  PROFILE: a profile's name or a profile file's path; FOLDER: display names from the root, separated by\n"
    "  '/' (\"\" is the root); INDEX: from 0, in the contents table's order\n";

static int usage(void)
{
    fputs(synopsis, stderr);
    return 2;
}

static int help(void)
{
    fputs("mapidump: what a profile's stores hold, and what a .msg file holds; read-only. Text, or JSON with --json.\n"
          "Exit code 0, 1 (failed, the reason on stderr) or 2 (usage).\n\n",
          stdout);
    fputs(synopsis, stdout);
    fputs("\nExamples:\n"
          "  mapidump stores work                   the message stores, the default marked\n"
          "  mapidump folders work                  the default store's folder tree, with message counts\n"
          "  mapidump contents work \"Top of Information Store/Inbox\"\n"
          "  mapidump --json message work \"Top of Information Store/Inbox\" 0\n"
          "  mapidump msg saved.msg                 a .msg file's properties, recipients and attachments\n",
          stdout);
    return 0;
}

/* The session's work: the commands that need a profile. */
static int run_profile(const char *command, const char *profile, int argc, char **argv)
{
    IMAPISession *session;
    IMsgStore *store = NULL;
    HRESULT hr;
    int result;

    if (FAILED(hr = MAPILogonEx(0, (LPTSTR)profile, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL, &session))) {
        fprintf(stderr, "mapidump: cannot log on to profile \"%s\": %s\n", profile, MapihostErrorName(hr));
        return 1;
    }
    if (!strcmp(command, "stores"))
        result = list_stores(session);
    else if (FAILED(hr = open_default_store(session, &store)))
        result = fail("opening the default store", hr);
    else if (!strcmp(command, "folders"))
        result = list_folders(store);
    else
        result = list_contents(store, argv[0], argc > 1 ? atol(argv[1]) : -1);
    if (store) IMsgStore_Release(store);
    IMAPISession_Logoff(session, 0, 0, 0);
    IMAPISession_Release(session);
    return result;
}

int main(void)
{
    int argc, i, result, wanted;
    WCHAR **wide = CommandLineToArgvW(GetCommandLineW(), &argc);
    char **argv = calloc(argc + 1, sizeof(*argv));
    const char *command;
    HRESULT hr;

    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    SetConsoleOutputCP(CP_UTF8);
    if (!wide || !argv) return 1;
    /* Arguments as the system gives them, in UTF-16; names go to MAPI in the code page, paths stay wide. */
    for (i = 0; i < argc; i++) {
        int size = WideCharToMultiByte(CP_ACP, 0, wide[i], -1, NULL, 0, NULL, NULL);
        if (!(argv[i] = calloc(size + 1, 1))) return 1;
        WideCharToMultiByte(CP_ACP, 0, wide[i], -1, argv[i], size, NULL, NULL);
    }
    i = 1;
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) return help();
    if (i < argc && !strcmp(argv[i], "--json")) json = TRUE, i++;
    if (i >= argc) return usage();
    command = argv[i++];
    wanted = !strcmp(command, "stores") || !strcmp(command, "folders") || !strcmp(command, "msg") ? 1
             : !strcmp(command, "contents")                                                       ? 2
             : !strcmp(command, "message")                                                        ? 3
                                                                                                  : -1;
    if (wanted < 0) {
        fprintf(stderr, "mapidump: %s: not a command\n", command);
        return usage();
    }
    if (argc - i != wanted) {
        fprintf(stderr, "mapidump: %s takes %d argument%s\n", command, wanted, wanted > 1 ? "s" : "");
        return usage();
    }
    if (!strcmp(command, "message") && (!argv[i + 2][0] || strspn(argv[i + 2], "0123456789") != strlen(argv[i + 2]))) {
        fprintf(stderr, "mapidump: %s: not a message index (a number from 0)\n", argv[i + 2]);
        return usage();
    }
    MapihostSetEventSink(print_event, NULL);
    if ((hr = MAPIInitialize(NULL)) != S_OK) return fail("MAPIInitialize", hr);
    if (!strcmp(command, "msg"))
        result = dump_msg_file(wide[i]);
    else
        result = run_profile(command, argv[i], argc - i - 1, argv + i + 1);
    MAPIUninitialize();
    fflush(stdout);
    return result;
}
