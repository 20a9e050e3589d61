/*
 * Mail through the spooler (P8-P10), over the real sample store and the real sample transport, sending to the
 * transport's own mailbox:
 * - P8: 1,000 messages of 4 KB from IMessage::SubmitMessage to their arrival in the Inbox, against writing the same
 *   bytes to 1,000 files (WriteFile and FlushFileBuffers, as durable as a mailbox file) and reading them back: at
 *   most 3x;
 * - P9: the same flow for 10,000 messages against 1,000: at most 11x. Each of three runs of 10,000 is divided by the
 *   mean of the runs of 1,000 just before and after it, and the median of the three ratios is the figure: this
 *   machine's processor alone runs a third faster or slower from one second to the next, and drifts over minutes, so
 *   only runs made side by side compare;
 * - P10: 8 client threads submitting while a ninth logs the store off: no deadlock, and every message whose
 *   SubmitMessage succeeded arrives, once.
 * Each round starts with an empty Inbox and Sent Items (not timed). A message that does not arrive within a minute
 * of the last one ends the benchmark: no figure is made of mail that never came.
 */
#include <string.h>

#include "../files.h"
#include "bench.h"
#include "mapihost_util.h"

#define BENCH_STORE_UID "6D617069686F73742D62656E63684D4C"
#define MAILBOX "bench-mail"
#define MESSAGES 1000
#define MANY 10000
#define MANY_RUNS 3
#define THREADS 8
#define PER_THREAD 50
#define STALL_MS 60000 /* the longest the Inbox may stay unchanged while mail is owed */

static const char profile_text[] =
    "[Services]\nStore = Store service\nMail = Mail service\n"
    "[Store]\nProviders = Bench Store\n"
    "[Bench Store]\nMAPIUID = " BENCH_STORE_UID "\nPR_PROVIDER_DLL_NAME = samplems.dll\n"
    "PR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\nPR_RESOURCE_FLAGS = STATUS_DEFAULT_STORE\nPR_DISPLAY_NAME = Bench Store\n"
    "[Sample MS settings]\nMAPIUID = 6D617069686F737453616D706C654D53\n6610001F = the mail bench store\n"
    "[Mail]\nProviders = Bench Transport\n"
    "[Bench Transport]\nPR_PROVIDER_DLL_NAME = samplexp.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"
    "PR_DISPLAY_NAME = Bench Transport\nPR_EMAIL_ADDRESS = " MAILBOX "\n";

static char body[4096];
static IMAPISession *session;

/* The session's one store, opened for writing. */
static IMsgStore *open_store(void)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
    IMsgStore *store;
    IMAPITable *table;
    SRowSet *rows;

    bench_check(IMAPISession_GetMsgStoresTable(session, 0, &table), "GetMsgStoresTable");
    bench_check(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), "SetColumns");
    bench_check(IMAPITable_QueryRows(table, 1, 0, &rows), "QueryRows");
    if (rows->cRows != 1) bench_check(MAPI_E_NOT_FOUND, "the bench store's row");
    bench_check(IMAPISession_OpenMsgStore(session, 0, rows->aRow[0].lpProps[0].Value.bin.cb,
                                          (ENTRYID *)rows->aRow[0].lpProps[0].Value.bin.lpb, NULL, MDB_WRITE, &store),
                "OpenMsgStore");
    FreeProws(rows);
    IMAPITable_Release(table);
    return store;
}

/* The folder a store property names, or the Inbox for 0. */
static IMAPIFolder *open_folder(IMsgStore *store, ULONG tag)
{
    SizedSPropTagArray(1, tags) = { 1, { tag } };
    IMAPIFolder *folder;
    ENTRYID *entry_id;
    SPropValue *value;
    ULONG size, count, type;

    if (!tag) {
        bench_check(IMsgStore_GetReceiveFolder(store, NULL, 0, &size, &entry_id, NULL), "GetReceiveFolder");
        bench_check(IMsgStore_OpenEntry(store, size, entry_id, NULL, MAPI_MODIFY, &type, (IUnknown **)&folder),
                    "OpenEntry(Inbox)");
        MAPIFreeBuffer(entry_id);
        return folder;
    }
    bench_check(IMsgStore_GetProps(store, (SPropTagArray *)&tags, 0, &count, &value), "GetProps(folder entry ID)");
    if (value->ulPropTag != tag) bench_check(MAPI_E_NOT_FOUND, "a folder entry ID");
    bench_check(IMsgStore_OpenEntry(store, value->Value.bin.cb, (ENTRYID *)value->Value.bin.lpb, NULL, MAPI_MODIFY,
                                    &type, (IUnknown **)&folder),
                "OpenEntry(folder)");
    MAPIFreeBuffer(value);
    return folder;
}

static ULONG row_count(IMAPIFolder *folder)
{
    IMAPITable *table;
    ULONG count;

    bench_check(IMAPIFolder_GetContentsTable(folder, 0, &table), "GetContentsTable");
    bench_check(IMAPITable_GetRowCount(table, 0, &count), "GetRowCount");
    IMAPITable_Release(table);
    return count;
}

/* A message of 4 KB to the bench mailbox, its sent copy asked for in sent (a PR_SENTMAIL_ENTRYID), submitted. */
static HRESULT submit_one(IMAPIFolder *outbox, const SPropValue *sent)
{
    SPropValue values[3], recipient[4];
    ADRLIST list = { 1, { { 0, 4, recipient } } };
    IMessage *message;
    HRESULT hr;

    recipient[0].ulPropTag = PR_DISPLAY_NAME_A;
    recipient[0].Value.lpszA = (char *)MAILBOX;
    recipient[1].ulPropTag = PR_ADDRTYPE_A;
    recipient[1].Value.lpszA = (char *)"SAMPLE";
    recipient[2].ulPropTag = PR_EMAIL_ADDRESS_A;
    recipient[2].Value.lpszA = (char *)MAILBOX;
    recipient[3].ulPropTag = PR_RECIPIENT_TYPE;
    recipient[3].Value.l = MAPI_TO;
    values[0].ulPropTag = PR_SUBJECT_A;
    values[0].Value.lpszA = (char *)"bench";
    values[1].ulPropTag = PR_BODY_A;
    values[1].Value.lpszA = body;
    values[2] = *sent;
    if ((hr = IMAPIFolder_CreateMessage(outbox, NULL, 0, &message)) != S_OK) return hr;
    if ((hr = IMessage_SetProps(message, 3, values, NULL)) == S_OK
        && (hr = IMessage_ModifyRecipients(message, MODRECIP_ADD, (ADRLIST *)&list)) == S_OK)
        hr = IMessage_SubmitMessage(message, 0);
    IMessage_Release(message);
    return hr;
}

/* Waits until the Inbox holds count messages; a minute without one more ends the benchmark. */
static void wait_for_inbox(IMAPIFolder *inbox, ULONG count)
{
    ULONGLONG stalled = GetTickCount64() + STALL_MS;
    ULONG now, before = 0;

    while ((now = row_count(inbox)) < count) {
        if (now != before) stalled = GetTickCount64() + STALL_MS;
        if (GetTickCount64() > stalled) {
            fprintf(stderr, "bench: %lu of %lu messages arrived, none for %d s; nothing is measured\n", now, count,
                    STALL_MS / 1000);
            exit(2);
        }
        before = now;
        Sleep(50); /* a client that looks often, not one that competes with the flow for the store */
    }
    if (now != count) {
        fprintf(stderr, "bench: %lu messages arrived for %lu sent; nothing is measured\n", now, count);
        exit(2);
    }
}

struct flow {
    IMsgStore *store;
    IMAPIFolder *outbox, *inbox, *sent_items;
    SPropValue *sent; /* PR_SENTMAIL_ENTRYID, the Sent Items folder */
};

static struct flow flow;

/* Untimed: the Inbox and Sent Items emptied, the Outbox empty. */
static void empty_folders(void)
{
    bench_check(IMAPIFolder_EmptyFolder(flow.inbox, 0, NULL, 0), "EmptyFolder(Inbox)");
    bench_check(IMAPIFolder_EmptyFolder(flow.sent_items, 0, NULL, 0), "EmptyFolder(Sent Items)");
    if (row_count(flow.outbox)) bench_check(MAPI_E_CALL_FAILED, "an empty Outbox");
}

static void send_and_receive(ULONG count)
{
    ULONG i;

    for (i = 0; i < count; i++) bench_check(submit_one(flow.outbox, flow.sent), "SubmitMessage of a 4 KB message");
    wait_for_inbox(flow.inbox, count);
}

/* The baseline: the same bytes written durably to count files, then read back and deleted. */
static void files(ULONG count)
{
    char folder[MAX_PATH], path[MAX_PATH + 32], read[sizeof(body)];
    DWORD done;
    HANDLE file;
    ULONG i;

    GetTempPathA(sizeof(folder), folder);
    for (i = 0; i < count; i++) {
        snprintf(path, sizeof(path), "%smapihost-bench-mail-%lu.bin", folder, i);
        file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        if (file == INVALID_HANDLE_VALUE) bench_check(MAPI_E_CALL_FAILED, "CreateFile");
        if (!WriteFile(file, body, sizeof(body), &done, NULL) || done != sizeof(body) || !FlushFileBuffers(file))
            bench_check(MAPI_E_CALL_FAILED, "WriteFile and FlushFileBuffers");
        CloseHandle(file);
    }
    for (i = 0; i < count; i++) {
        snprintf(path, sizeof(path), "%smapihost-bench-mail-%lu.bin", folder, i);
        file = CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
        if (file == INVALID_HANDLE_VALUE) bench_check(MAPI_E_CALL_FAILED, "CreateFile to read");
        if (!ReadFile(file, read, sizeof(read), &done, NULL) || done != sizeof(body) || memcmp(read, body, done))
            bench_check(MAPI_E_CALL_FAILED, "ReadFile of what was written");
        CloseHandle(file);
        if (!DeleteFileA(path)) bench_check(MAPI_E_CALL_FAILED, "DeleteFile");
    }
}

static double time_flow(ULONG count)
{
    LARGE_INTEGER start;

    empty_folders();
    QueryPerformanceCounter(&start);
    send_and_receive(count);
    return bench_seconds_since(start);
}

static double time_files(ULONG count)
{
    LARGE_INTEGER start;

    QueryPerformanceCounter(&start);
    files(count);
    return bench_seconds_since(start);
}

/* P10: THREADS clients submit PER_THREAD messages each through the session's store while one logs it off. A client
 * whose store is gone opens it again; only a SubmitMessage that answered S_OK counts as sent. */
static LONG submitted, refused;
static HANDLE go;

static DWORD WINAPI client_thread(void *unused)
{
    IMsgStore *store = open_store();
    IMAPIFolder *outbox = open_folder(store, PR_IPM_OUTBOX_ENTRYID);
    ULONG sent_count = 0, tries = 0;
    HRESULT hr;

    WaitForSingleObject(go, INFINITE);
    while (sent_count < PER_THREAD && tries++ < 10 * PER_THREAD) {
        if ((hr = submit_one(outbox, flow.sent)) == S_OK) {
            sent_count++;
            InterlockedIncrement(&submitted);
            continue;
        }
        InterlockedIncrement(&refused); /* the store was logged off under it: open it again */
        IMAPIFolder_Release(outbox);
        IMsgStore_Release(store);
        store = open_store();
        outbox = open_folder(store, PR_IPM_OUTBOX_ENTRYID);
    }
    IMAPIFolder_Release(outbox);
    IMsgStore_Release(store);
    return 0;
}

static DWORD WINAPI logoff_thread(void *unused)
{
    IMsgStore *store = open_store();
    ULONG flags = LOGOFF_ORDERLY;

    WaitForSingleObject(go, INFINITE);
    while (InterlockedCompareExchange(&submitted, 0, 0) < THREADS * PER_THREAD / 4) Sleep(1);
    bench_check(IMsgStore_StoreLogoff(store, &flags), "StoreLogoff(LOGOFF_ORDERLY)");
    IMsgStore_Release(store);
    return 0;
}

static int concurrent_logoff(void)
{
    HANDLE threads[THREADS + 1];
    DWORD waited;
    ULONG i;

    empty_folders();
    submitted = refused = 0;
    go = CreateEventA(NULL, TRUE, FALSE, NULL);
    for (i = 0; i <= THREADS; i++)
        if (!(threads[i] = CreateThread(NULL, 0, i < THREADS ? client_thread : logoff_thread, NULL, 0, NULL)))
            bench_check(MAPI_E_CALL_FAILED, "CreateThread");
    SetEvent(go);
    waited = WaitForMultipleObjects(THREADS + 1, threads, TRUE, 120000);
    for (i = 0; i <= THREADS; i++) CloseHandle(threads[i]);
    CloseHandle(go);
    if (waited == WAIT_TIMEOUT) {
        printf("%-58s deadlock: threads still waiting after 120 s  goal: MISSED\n", "P10 8 clients and a StoreLogoff");
        exit(1);
    }
    /* The bench's own objects went with the logoff: the arrivals are read through the store opened again. */
    IMAPIFolder_Release(flow.outbox);
    IMAPIFolder_Release(flow.sent_items);
    IMAPIFolder_Release(flow.inbox);
    IMsgStore_Release(flow.store);
    flow.store = open_store();
    flow.inbox = open_folder(flow.store, 0);
    wait_for_inbox(flow.inbox, submitted);
    Sleep(1000); /* a few more polls: nothing comes twice */
    printf("%-58s %7ld sent (%ld refused during the logoff), %lu received  goal all, once: %s\n",
           "P10 8 clients submitting while a ninth logs the store off", submitted, refused, row_count(flow.inbox),
           row_count(flow.inbox) == (ULONG)submitted && submitted == THREADS * PER_THREAD ? "met" : "MISSED");
    return row_count(flow.inbox) == (ULONG)submitted && submitted == THREADS * PER_THREAD;
}

static void delete_leftovers(void)
{
    char base[MAX_PATH], folder[2 * MAX_PATH];

    GetEnvironmentVariableA("APPDATA", base, sizeof(base));
    snprintf(folder, sizeof(folder), "%s\\mapihost\\sample-mail\\" MAILBOX, base);
    delete_files_in(folder, "*", TRUE);
    snprintf(folder, sizeof(folder), "%s\\mapihost\\sample-stores", base);
    delete_files_in(folder, "*" BENCH_STORE_UID "*", FALSE);
}

int main(void)
{
    double ratios[ROUNDS], many[MANY_RUNS], small, large;
    struct bench_result result;
    char profile[MAX_PATH];
    FILE *file;
    int i, met = 0;

    setvbuf(stdout, NULL, _IONBF, 0);
    memset(body, 'm', sizeof(body) - 1);
    delete_leftovers();
    file = bench_create_file("mapihost-bench-mail.inf", profile, sizeof(profile));
    fputs(profile_text, file);
    bench_close_file(file, profile);
    bench_check(MAPIInitialize(NULL), "MAPIInitialize");
    session = bench_logon(profile);
    flow.store = open_store();
    flow.outbox = open_folder(flow.store, PR_IPM_OUTBOX_ENTRYID);
    flow.inbox = open_folder(flow.store, 0);
    flow.sent_items = open_folder(flow.store, PR_IPM_SENTMAIL_ENTRYID);
    {
        SizedSPropTagArray(1, tags) = { 1, { PR_IPM_SENTMAIL_ENTRYID } };
        ULONG count;

        bench_check(IMsgStore_GetProps(flow.store, (SPropTagArray *)&tags, 0, &count, &flow.sent),
                    "GetProps(PR_IPM_SENTMAIL_ENTRYID)");
        flow.sent->ulPropTag = PR_SENTMAIL_ENTRYID;
    }

    time_flow(MESSAGES / 10); /* warm up: DLLs paged in, the store's file made */
    time_files(MESSAGES / 10);
    for (i = 0; i < ROUNDS; i++) {
        double base = time_files(MESSAGES);
        ratios[i] = time_flow(MESSAGES) / base;
    }
    result = bench_summary(ratios);
    met += bench_report("P8 1,000 4 KB messages SubmitMessage->Inbox / files", result, "<= 3x", result.median <= 3);

    for (i = 0, small = time_flow(MESSAGES); i < MANY_RUNS; i++) {
        double before = small;

        large = time_flow(MANY);
        small = time_flow(MESSAGES);
        many[i] = large / ((before + small) / 2);
        printf("    (run %d: %.1f s for 10,000 messages, between %.1f s and %.1f s for 1,000)\n", i + 1, large, before,
               small);
    }
    qsort(many, MANY_RUNS, sizeof(double), compare_doubles);
    result.median = many[MANY_RUNS / 2];
    result.low = many[0];
    result.high = many[MANY_RUNS - 1];
    met += bench_report("P9 10,000 messages / 1,000 through the spooler", result, "<= 11x", result.median <= 11);

    met += concurrent_logoff();
    printf("summary: %d of 3 goals met\n", met);

    MAPIFreeBuffer(flow.sent);
    IMAPIFolder_Release(flow.inbox);
    IMsgStore_Release(flow.store);
    bench_logoff(session);
    MAPIUninitialize();
    DeleteFileA(profile);
    delete_leftovers();
    return 0;
}
