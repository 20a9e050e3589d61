/*
 * The sample message store at scale (P5-P7), through mapihost.dll and the store's real SQLite files. One profile holds
 * two stores, each with a folder of its own: 100,000 messages in one, 1,000 in the other (made once, by copying a
 * first thousand with CopyMessages, and kept for the next run). Measured side by side:
 * - P5: a contents table opened, sorted by PR_MESSAGE_DELIVERY_TIME (descending, as a mail client shows it), given
 *   five columns and its first 50 rows read, over 100,000 messages against over 1,000: at most 3x;
 * - P6: SaveChanges of a new 4 KB message against writing the same 4 KB to a file with WriteFile and FlushFileBuffers
 *   (both durable on return): at most 3x;
 * - P7: the process's working set while all 100,000 rows are read in pages of 50: flat (under 1 MB of growth
 *   between the first 10,000 rows and the end).
 */
#include <string.h>

#include "bench.h"
#include "mapihost_util.h"
#include <psapi.h>

#define BIG 100000
#define SMALL 1000
#define PAGE 50

static const char profile_text[] =
    "[Services]\nBench = Bench stores\n[Bench]\nProviders = Big, Small\n"
    "[Big]\nMAPIUID = 6D617069686F73742D62656E63682D31\nPR_PROVIDER_DLL_NAME = samplems.dll\n"
    "PR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\nPR_DISPLAY_NAME = Big\n"
    "[Small]\nMAPIUID = 6D617069686F73742D62656E63682D32\nPR_PROVIDER_DLL_NAME = samplems.dll\n"
    "PR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\nPR_DISPLAY_NAME = Small\n"
    "[Sample MS settings]\nMAPIUID = 6D617069686F737453616D706C654D53\n6610001F = the bench stores\n";

struct bench_store {
    IMsgStore *store;
    IMAPIFolder *folder;
};

static ULONG content_count(IMAPIFolder *folder)
{
    SizedSPropTagArray(1, tags) = { 1, { PR_CONTENT_COUNT } };
    SPropValue *value;
    ULONG count, result;

    bench_check(IMAPIFolder_GetProps(folder, (SPropTagArray *)&tags, 0, &count, &value), "GetProps(PR_CONTENT_COUNT)");
    if (value->ulPropTag != PR_CONTENT_COUNT) bench_check(MAPI_E_NOT_FOUND, "PR_CONTENT_COUNT");
    result = value->Value.l;
    MAPIFreeBuffer(value);
    return result;
}

/* The store's folder of the given name under its IPM subtree. */
static IMAPIFolder *bench_folder(IMsgStore *store, const char *name)
{
    SizedSPropTagArray(1, tags) = { 1, { PR_IPM_SUBTREE_ENTRYID } };
    IMAPIFolder *subtree, *folder;
    SPropValue *value;
    ULONG count, type;

    bench_check(IMsgStore_GetProps(store, (SPropTagArray *)&tags, 0, &count, &value),
                "GetProps(PR_IPM_SUBTREE_ENTRYID)");
    bench_check(IMsgStore_OpenEntry(store, value->Value.bin.cb, (ENTRYID *)value->Value.bin.lpb, NULL, MAPI_MODIFY,
                                    &type, (IUnknown **)&subtree),
                "OpenEntry(IPM subtree)");
    MAPIFreeBuffer(value);
    bench_check(IMAPIFolder_CreateFolder(subtree, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, OPEN_IF_EXISTS, &folder),
                "CreateFolder");
    IMAPIFolder_Release(subtree);
    return folder;
}

/* count messages in the folder: a first thousand saved one by one, each delivered at its own time, then copies. */
static void fill(IMAPIFolder *folder, ULONG count)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
    SPropValue props[2];
    IMAPITable *table;
    IMessage *message;
    SRowSet *rows;
    ENTRYLIST list;
    char subject[32];
    ULONG i, first = count < SMALL ? count : SMALL;

    if (content_count(folder) == count) return;
    printf("bench: filling a folder with %lu messages (kept for the next run)\n", count);
    bench_check(IMAPIFolder_EmptyFolder(folder, 0, NULL, 0), "EmptyFolder");
    for (i = 0; i < first; i++) {
        snprintf(subject, sizeof(subject), "message %lu", i);
        props[0].ulPropTag = PR_SUBJECT_A;
        props[0].Value.lpszA = subject;
        props[1].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
        props[1].Value.ft.dwHighDateTime = 0x01d90000;
        props[1].Value.ft.dwLowDateTime = i * 10000000u;
        bench_check(IMAPIFolder_CreateMessage(folder, NULL, 0, &message), "CreateMessage");
        bench_check(IMessage_SetProps(message, 2, props, NULL), "SetProps");
        bench_check(IMessage_SaveChanges(message, 0), "SaveChanges");
        IMessage_Release(message);
    }
    bench_check(IMAPIFolder_GetContentsTable(folder, 0, &table), "GetContentsTable");
    bench_check(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), "SetColumns");
    bench_check(IMAPITable_QueryRows(table, first, 0, &rows), "QueryRows");
    if (!(list.lpbin = malloc(rows->cRows * sizeof(*list.lpbin)))) exit(2);
    for (i = 0; i < rows->cRows; i++) list.lpbin[i] = rows->aRow[i].lpProps[0].Value.bin;
    for (list.cValues = rows->cRows; content_count(folder) + list.cValues <= count;)
        bench_check(IMAPIFolder_CopyMessages(folder, &list, NULL, folder, 0, NULL, 0), "CopyMessages");
    free(list.lpbin);
    FreeProws(rows);
    IMAPITable_Release(table);
    if (content_count(folder) != count) bench_check(MAPI_E_CALL_FAILED, "filling the folder to its size");
}

/* P5: the first page of the folder's contents table, newest first. */
static void first_page(void *context, int count)
{
    SizedSPropTagArray(
        5, columns) = { 5, { PR_ENTRYID, PR_SUBJECT_A, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE } };
    SizedSSortOrderSet(1, newest) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    IMAPIFolder *folder = ((struct bench_store *)context)->folder;
    IMAPITable *table;
    SRowSet *rows;

    while (count--) {
        bench_check(IMAPIFolder_GetContentsTable(folder, 0, &table), "GetContentsTable");
        bench_check(IMAPITable_SortTable(table, (SSortOrderSet *)&newest, 0), "SortTable");
        bench_check(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), "SetColumns");
        bench_check(IMAPITable_QueryRows(table, PAGE, 0, &rows), "QueryRows");
        if (rows->cRows != PAGE) bench_check(MAPI_E_NOT_FOUND, "QueryRows of a full page");
        FreeProws(rows);
        IMAPITable_Release(table);
    }
}

static struct bench_store big, small;

static void big_first_page(void *context, int count)
{
    first_page(&big, count);
}

static void small_first_page(void *context, int count)
{
    first_page(&small, count);
}

/* P6: a new message with a 4 KB body, saved; and the same bytes written to a file and flushed. */
static char body[4096];
static IMAPIFolder *saves;
static char file_path[MAX_PATH];

static void save_message(void *context, int count)
{
    SPropValue value = { .ulPropTag = PR_BODY_A, .Value.lpszA = body };
    IMessage *message;

    while (count--) {
        bench_check(IMAPIFolder_CreateMessage(saves, NULL, 0, &message), "CreateMessage");
        bench_check(IMessage_SetProps(message, 1, &value, NULL), "SetProps(PR_BODY)");
        bench_check(IMessage_SaveChanges(message, 0), "SaveChanges");
        IMessage_Release(message);
    }
}

static void write_file(void *context, int count)
{
    HANDLE file;
    DWORD written;

    while (count--) {
        file = CreateFileA(file_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        if (file == INVALID_HANDLE_VALUE) bench_check(MAPI_E_CALL_FAILED, "CreateFile");
        if (!WriteFile(file, body, sizeof(body), &written, NULL) || written != sizeof(body) || !FlushFileBuffers(file))
            bench_check(MAPI_E_CALL_FAILED, "WriteFile and FlushFileBuffers");
        CloseHandle(file);
    }
}

/* P7: the process's working set (Wine reports no private bytes); a reading of nothing ends the benchmark. */
static double memory_kb(void)
{
    PROCESS_MEMORY_COUNTERS counters = { .cb = sizeof(counters) };

    if (!GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof(counters)) || !counters.WorkingSetSize)
        bench_check(MAPI_E_CALL_FAILED, "GetProcessMemoryInfo");
    return counters.WorkingSetSize / 1024.0;
}

static int scroll_memory(void)
{
    SizedSPropTagArray(3, columns) = { 3, { PR_ENTRYID, PR_SUBJECT_A, PR_MESSAGE_DELIVERY_TIME } };
    SizedSSortOrderSet(1, newest) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    double early = 0, late;
    IMAPITable *table;
    SRowSet *rows;
    ULONG read = 0, got;
    LARGE_INTEGER start;

    QueryPerformanceCounter(&start);
    bench_check(IMAPIFolder_GetContentsTable(big.folder, 0, &table), "GetContentsTable");
    bench_check(IMAPITable_SortTable(table, (SSortOrderSet *)&newest, 0), "SortTable");
    bench_check(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), "SetColumns");
    do {
        bench_check(IMAPITable_QueryRows(table, PAGE, 0, &rows), "QueryRows");
        read += got = rows->cRows;
        FreeProws(rows);
        if (read == 10000) early = memory_kb();
    } while (got);
    late = memory_kb();
    IMAPITable_Release(table);
    if (read != BIG) bench_check(MAPI_E_NOT_FOUND, "reading every row");
    printf("%-58s %9.0f KB (%.0f -> %.0f KB; %lu rows in %.2f s)  goal < 1024 KB: %s\n",
           "P7 working set growth scrolling 100,000 rows", late - early, early, late, read, bench_seconds_since(start),
           late - early < 1024 ? "met" : "MISSED");
    return late - early < 1024;
}

static IMsgStore *open_store(IMAPISession *session, const char *name)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_A } };
    IMsgStore *store = NULL;
    IMAPITable *table;
    SRowSet *rows;
    ULONG i;

    bench_check(IMAPISession_GetMsgStoresTable(session, 0, &table), "GetMsgStoresTable");
    bench_check(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), "SetColumns");
    bench_check(IMAPITable_QueryRows(table, 10, 0, &rows), "QueryRows");
    for (i = 0; i < rows->cRows; i++)
        if (!strcmp(rows->aRow[i].lpProps[1].Value.lpszA, name))
            bench_check(IMAPISession_OpenMsgStore(session, 0, rows->aRow[i].lpProps[0].Value.bin.cb,
                                                  (ENTRYID *)rows->aRow[i].lpProps[0].Value.bin.lpb, NULL, MDB_WRITE,
                                                  &store),
                        "OpenMsgStore");
    FreeProws(rows);
    IMAPITable_Release(table);
    if (!store) bench_check(MAPI_E_NOT_FOUND, "the bench store");
    return store;
}

int main(void)
{
    char profile[MAX_PATH];
    IMAPISession *session;
    struct bench_result result;
    FILE *file;
    int met = 0;

    setvbuf(stdout, NULL, _IONBF, 0);
    file = bench_create_file("mapihost-bench-store.inf", profile, sizeof(profile));
    fputs(profile_text, file);
    bench_close_file(file, profile);
    bench_check(MAPIInitialize(NULL), "MAPIInitialize");
    session = bench_logon(profile);
    big.store = open_store(session, "Big");
    small.store = open_store(session, "Small");
    big.folder = bench_folder(big.store, "Bench");
    small.folder = bench_folder(small.store, "Bench");
    fill(big.folder, BIG);
    fill(small.folder, SMALL);

    result = bench_ratio(big_first_page, small_first_page, NULL, 20);
    met += bench_report("P5 first 50 rows by delivery time, 100,000 / 1,000 messages", result, "<= 3x",
                        result.median <= 3);

    memset(body, 'x', sizeof(body) - 1);
    saves = bench_folder(small.store, "Saves");
    GetTempPathA(sizeof(file_path), file_path);
    strcat(file_path, "mapihost-bench-4k.bin");
    result = bench_ratio(save_message, write_file, NULL, 20);
    met += bench_report("P6 SaveChanges of a 4 KB message / WriteFile+FlushFileBuffers", result, "<= 3x",
                        result.median <= 3);
    bench_check(IMAPIFolder_EmptyFolder(saves, 0, NULL, 0), "EmptyFolder");
    DeleteFileA(file_path);

    met += scroll_memory();
    printf("summary: %d of 3 goals met\n", met);

    IMAPIFolder_Release(saves);
    IMAPIFolder_Release(big.folder);
    IMAPIFolder_Release(small.folder);
    IMsgStore_Release(big.store);
    IMsgStore_Release(small.store);
    bench_logoff(session);
    MAPIUninitialize();
    DeleteFileA(profile);
    return 0;
}
