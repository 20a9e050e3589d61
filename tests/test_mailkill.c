/*
 * Nothing lost, nothing doubled (Q32, X41), nothing mocked: a process that sends mail to itself through the real
 * sample store and transport is killed (TerminateProcess, as kill -9) at a random moment, over and over, and each
 * kill falls somewhere in the message's path: the client's submit, the preprocessor, the transport's SubmitMessage,
 * FinishedMsg and DoSentMail, the transport's StartMessage and the store's save. Then one session finishes the work
 * the killed ones left, and every message whose SubmitMessage had answered S_OK is in the Inbox exactly once.
 *
 * Run as "test_mailkill child ROUND LOG", it is the process killed: it writes each host event, and each message it
 * submitted, to LOG as a line, so that the parent knows what was sent and what the last step before the kill was.
 */
#include <fcntl.h>
#include <io.h>
#include <stdlib.h>

#include "mailflow.h"

#define ROUNDS 100
#define MESSAGES_PER_ROUND 12
#define DRAIN_MS 90000 /* the longest the last session may take to deliver what the killed ones left */

/* The child's log: one line per event, written at once so that a kill loses at most the line being written. */
static HANDLE child_log;

static void child_line(const char *text)
{
    char line[512];
    DWORD written;
    int length = snprintf(line, sizeof(line), "%s\n", text);

    WriteFile(child_log, line, (DWORD)min(length, (int)sizeof(line) - 1), &written, NULL);
}

static void WINAPI child_event(void *context, ULONG severity, const char *line)
{
    child_line(line);
}

/* Opens the session, says it is ready, then submits MESSAGES_PER_ROUND messages to itself and lets the spooler carry
 * them until it is killed. */
static int child(ULONG round, const char *log_path, const char *ready_name)
{
    HANDLE ready = OpenEventA(EVENT_MODIFY_STATE, FALSE, ready_name);
    char subject[32], line[64];
    ULONG i;

    child_log = CreateFileA(log_path, FILE_APPEND_DATA, FILE_SHARE_READ, NULL, CREATE_ALWAYS, 0, NULL);
    if (!ready || child_log == INVALID_HANDLE_VALUE || MAPIInitialize(NULL)) return 2;
    /* A failed assertion's message goes to the log too, for the parent to show. */
    _dup2(_open_osfhandle((intptr_t)child_log, _O_APPEND), 2);
    MapihostSetEventSink(child_event, NULL);
    open_session(SPOOL_PROFILE);
    SetEvent(ready);
    for (i = 0; i < MESSAGES_PER_ROUND; i++) {
        snprintf(subject, sizeof(subject), "r%03lu-%02lu", round, i);
        submit("SAMPLE", "spool", subject);
        snprintf(line, sizeof(line), "client: submitted %s", subject);
        child_line(line);
        Sleep(15);
    }
    Sleep(INFINITE);
    return 0;
}

/* A file's text, kept until the next call. */
static const char *file_text(const char *path)
{
    static char text[1 << 16];
    size_t length = 0;
    FILE *file;

    if ((file = fopen(path, "rb"))) {
        length = fread(text, 1, sizeof(text) - 1, file);
        fclose(file);
    }
    text[length] = 0;
    return text;
}

/* Where a kill fell: the step the child's log names last, the kill coming after it and before the next. The first
 * five are steps of sending, the next three of receiving. */
static const char *const steps[] = {
    "client: submitted", "SpoolerLogon", "SampleXPPreprocess", "IXPLogon::SubmitMessage",     "RemovePreprocessInfo",
    "DoSentMail",        "StartMessage", "dropped (X41)",      "earlier session left queued",
};
#define FIRST_RECEIVING_STEP 5
static ULONG kills_after[ARRAYSIZE(steps) + 1];
/* Kills with mail in flight (submitted and not yet delivered by the child) while it was sending or receiving. */
static ULONG kills_sending, kills_receiving;

/* The subjects the child confirmed (after S_OK from SubmitMessage) are appended to sent (each followed by '\n'), and
 * where the kill fell is counted. */
static void read_child_log(const char *path, char *sent, size_t size)
{
    char *text = (char *)file_text(path), *end;
    const char *line, *last = NULL;
    ULONG submitted = 0, delivered = 0;
    size_t step;

    /* Only whole lines count: the kill may have cut the last one. */
    if ((end = strrchr(text, '\n')))
        end[1] = 0;
    else
        text[0] = 0;
    for (line = text; *line; line = strchr(line, '\n') + 1) {
        if (!strncmp(line, "client: submitted ", 18)) {
            const char *subject = line + 18;
            size_t n = strcspn(subject, "\n"), used = strlen(sent);

            assert_true(used + n + 2 < size);
            memcpy(sent + used, subject, n);
            strcpy(sent + used + n, "\n");
            submitted++;
        }
        if (strstr(line, "StartMessage -> S_OK") && strstr(line, "StartMessage -> S_OK") < strchr(line, '\n'))
            delivered++;
        last = line;
    }
    for (step = 0; step < ARRAYSIZE(steps); step++)
        if (last && strstr(last, steps[step]) && strstr(last, steps[step]) < strchr(last, '\n')) break;
    kills_after[step]++;
    if (submitted > delivered && step < FIRST_RECEIVING_STEP) kills_sending++;
    if (submitted > delivered && step >= FIRST_RECEIVING_STEP && step < ARRAYSIZE(steps)) kills_receiving++;
}

/* The steps a round may be killed just after: the client's submit to the delivery. */
#define TARGET_STEPS 7

/* Returns once the child's log shows steps[target] (its first to fourth time, at random; SpoolerLogon's only once),
 * or after two seconds without it. */
static void kill_after_step(const char *log_path, ULONG target)
{
    ULONG wanted = target == 1 ? 1 : 1 + rand() % 4;
    ULONGLONG end = GetTickCount64() + 2000;

    while (count_of(file_text(log_path), steps[target]) < wanted && GetTickCount64() < end) Sleep(1);
}

/* How many Inbox messages have each subject: one line "subject count" per subject into counts. */
static ULONG inbox_subjects(char *subjects, size_t size)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_SUBJECT_A } };
    IMAPIFolder *inbox = open_folder(0);
    IMAPITable *table;
    SRowSet *rows;
    ULONG i, total = 0;

    subjects[0] = 0;
    assert_int_equal(IMAPIFolder_GetContentsTable(inbox, 0, &table), S_OK);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), S_OK);
    for (;;) {
        assert_int_equal(IMAPITable_QueryRows(table, 200, 0, &rows), S_OK);
        if (!rows->cRows) break;
        for (i = 0; i < rows->cRows; i++, total++) {
            size_t used = strlen(subjects);
            const char *subject =
                rows->aRow[i].lpProps[0].ulPropTag == PR_SUBJECT_A ? rows->aRow[i].lpProps[0].Value.lpszA : "?";

            assert_true(used + strlen(subject) + 3 < size);
            snprintf(subjects + used, size - used, "\n%s\n", subject);
        }
        FreeProws(rows);
    }
    FreeProws(rows);
    IMAPITable_Release(table);
    IMAPIFolder_Release(inbox);
    return total;
}

/* Each subject in sent ("a\nb\n...") appears in the Inbox once; returns how many are still missing, failing at once
 * on a doubled one. */
static ULONG missing_from_inbox(const char *sent)
{
    static char subjects[1 << 18];
    char needle[40];
    const char *line;
    ULONG missing = 0, copies;

    inbox_subjects(subjects, sizeof(subjects));
    for (line = sent; *line; line = strchr(line, '\n') + 1) {
        snprintf(needle, sizeof(needle), "\n%.*s\n", (int)strcspn(line, "\n"), line);
        if ((copies = count_of(subjects, needle)) > 1) fail_msg("%s is in the Inbox %lu times", line, copies);
        if (!copies) missing++;
    }
    return missing;
}

static void test_killed_while_sending_and_receiving(void **state)
{
    static char sent[1 << 16], subjects[1 << 18];
    STARTUPINFOA startup = { .cb = sizeof(startup) };
    char command[3 * MAX_PATH], log_path[MAX_PATH], report[1024];
    ULONG round, seed, missing, total, confirmed, step;
    PROCESS_INFORMATION process;
    ULONGLONG end;
    HANDLE ready;

    /* Random moments, reproducible from the seed printed (MAPIHOST_TEST_SEED repeats a run). */
    seed = GetEnvironmentVariableA("MAPIHOST_TEST_SEED", command, 16) ? strtoul(command, NULL, 0) : GetTickCount();
    print_message("seed %lu\n", seed);
    srand(seed);
    GetTempPathA(sizeof(log_path), log_path);
    strcat(log_path, "mapihost-test-mailkill.log");
    assert_non_null(ready = CreateEventA(NULL, TRUE, FALSE, "mapihost-test-mailkill-ready"));
    sent[0] = 0;
    for (round = 0; round < ROUNDS; round++) {
        ResetEvent(ready);
        GetModuleFileNameA(NULL, command, MAX_PATH);
        snprintf(command + strlen(command), sizeof(command) - strlen(command), " child %lu \"%s\"", round, log_path);
        assert_true(CreateProcessA(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &process));
        if (WaitForMultipleObjects(2, (HANDLE[]){ ready, process.hProcess }, FALSE, WAIT_MS) != WAIT_OBJECT_0) {
            DWORD code = 0;

            GetExitCodeProcess(process.hProcess, &code);
            fail_msg("round %lu: the child did not open its session (exit code %#lx); its log:\n%s", round, code,
                     file_text(log_path));
        }
        /* Every other round at a random moment from its first submit to well after its last delivery; the others
         * just after a chosen step of the path, so that the quick ones (the transport's SubmitMessage, DoSentMail)
         * are met as surely as the slow ones. */
        if (round % 2)
            kill_after_step(log_path, (round / 2) % TARGET_STEPS);
        else
            Sleep((DWORD)(rand() % 500));
        TerminateProcess(process.hProcess, 9);
        WaitForSingleObject(process.hProcess, INFINITE);
        CloseHandle(process.hProcess);
        CloseHandle(process.hThread);
        read_child_log(log_path, sent, sizeof(sent));
    }
    CloseHandle(ready);
    DeleteFileA(log_path);

    /* Where the kills fell, so that a run shows it covered the whole path. */
    report[0] = 0;
    for (step = 0; step <= ARRAYSIZE(steps); step++)
        snprintf(report + strlen(report), sizeof(report) - strlen(report), "  after %s: %lu\n",
                 step < ARRAYSIZE(steps) ? steps[step] : "another step", kills_after[step]);
    print_message("%d kills, %lu with mail in flight while sending and %lu while receiving; the last step before "
                  "each:\n%s",
                  ROUNDS, kills_sending, kills_receiving, report);
    assert_true(kills_sending > 0 && kills_receiving > 0);

    /* One session finishes what the killed ones left: everything confirmed arrives, once. */
    open_session(SPOOL_PROFILE);
    end = GetTickCount64() + DRAIN_MS;
    while ((missing = missing_from_inbox(sent))) {
        if (GetTickCount64() > end) fail_msg("%lu confirmed messages never arrived", missing);
        Sleep(250);
    }
    while (message_count(PR_IPM_OUTBOX_ENTRYID)) {
        if (GetTickCount64() > end) fail_msg("the Outbox is never emptied");
        Sleep(250);
    }
    Sleep(1000); /* a few more polls: nothing comes twice */
    assert_int_equal(missing_from_inbox(sent), 0);
    total = inbox_subjects(subjects, sizeof(subjects));
    confirmed = count_of(sent, "\n");
    print_message("%lu messages confirmed sent, %lu in the Inbox (the rest were submitted as the kill came)\n",
                  confirmed, total);
    assert_true(total >= confirmed && total <= confirmed + ROUNDS);
}

static int setup(void **state)
{
    count_buffers(state);
    delete_files();
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    return 0;
}

static int teardown(void **state)
{
    if (session) close_session();
    MAPIUninitialize();
    return check_buffers(state);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_killed_while_sending_and_receiving, setup, teardown),
    };

    if (argc > 3 && !strcmp(argv[1], "child"))
        return child(strtoul(argv[2], NULL, 10), argv[3], "mapihost-test-mailkill-ready");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
