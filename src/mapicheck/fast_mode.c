/*
 * mapicheck --fast-shutdown: the fast path of a client's exit (runtime spec part F), then proof that the stores kept
 * what the client committed before it.
 *
 * After DoFastShutdown a client makes no MAPI call and exits (F7), so the fast path has a process of its own:
 * mapicheck starts itself with --fast-shutdown-run. That process logs on, opens every store of the message-store
 * table, writes a marker into each store's PR_COMMENT (SetProps, then SaveChanges: committed, as far as a client can
 * tell) and a marker message with its folder and contents table left open, calls QueryFastShutdown,
 * NotifyProcessShutdown and DoFastShutdown, drops its references (the Releases are the only calls into providers
 * after DoFastShutdown) and exits without another MAPI call. A refusal (a provider opts out, or
 * FastShutdownBehavior) makes it shut down the orderly way instead, as Outlook does. Its verdict covers the host's
 * events there: the providers' answers, their errors, crashes and hangs, and any call a provider makes to MAPI after
 * DoFastShutdown.
 *
 * Then the orderly session of profile mode runs over the same profile, and each store must show its marker: a store
 * that lost it did not have its data on disk when DoFastShutdown returned. Its earlier comment is put back. A store
 * that takes no PR_COMMENT is reported and not checked. A store with folders takes a second marker, a message saved
 * into its receive folder (fast_message.c), which must be there too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "mapihost_x.h"
#include "mapihost.h"
#include "mapicheck.h"

#define MAX_STORES 16

/* What the fast path's process wrote into each store, and what was there before. */
struct marker {
    BOOL written, had_old;
    char text[64], old[512];
    char message[160]; /* the marker message's entry ID in hex, or "-" */
};

static HRESULT get_comment(IMsgStore *store, char *text, size_t size, BOOL *present)
{
    SizedSPropTagArray(1, tags) = { 1, { PR_COMMENT_A } };
    SPropValue *value;
    ULONG count;
    HRESULT hr;

    *present = FALSE;
    *text = 0;
    if (FAILED(hr = IMsgStore_GetProps(store, (SPropTagArray *)&tags, 0, &count, &value))) return hr;
    if (count == 1 && value->ulPropTag == PR_COMMENT_A) {
        *present = TRUE;
        snprintf(text, size, "%s", value->Value.lpszA);
    }
    MAPIFreeBuffer(value);
    return S_OK;
}

/* Sets the store's comment, or deletes it (text NULL), and commits. */
static HRESULT set_comment(IMsgStore *store, const char *text)
{
    SPropValue value = { .ulPropTag = PR_COMMENT_A, .Value.lpszA = (char *)text };
    SizedSPropTagArray(1, tags) = { 1, { PR_COMMENT_A } };
    HRESULT hr;

    hr = text ? IMsgStore_SetProps(store, 1, &value, NULL) : IMsgStore_DeleteProps(store, (SPropTagArray *)&tags, NULL);
    return FAILED(hr) ? hr : IMsgStore_SaveChanges(store, KEEP_OPEN_READWRITE);
}

/* One line per store: "<index> -" if it took no marker, else "<index> <had an old comment> <message> <marker>\t<old>"
 * where <message> is the marker message's entry ID in hex, or "-". */
static void write_marker(FILE *file, ULONG index, IMsgStore *store, IUnknown **held)
{
    struct marker marker = { 0 };
    HRESULT hr;

    snprintf(marker.text, sizeof(marker.text), "mapicheck fast shutdown %lu.%lu", GetCurrentProcessId(), index);
    if (FAILED(get_comment(store, marker.old, sizeof(marker.old), &marker.had_old)) || strchr(marker.old, '\n')
        || FAILED(hr = set_comment(store, marker.text))) {
        printf("mapicheck: store %lu takes no PR_COMMENT; what it keeps over a fast shutdown is not checked\n", index);
        fprintf(file, "%lu -\n", index);
        return;
    }
    printf("mapicheck: store %lu: PR_COMMENT \"%s\" committed (SaveChanges) before the fast shutdown\n", index,
           marker.text);
    if (SUCCEEDED(hr = fast_message_write(store, marker.text, marker.message, sizeof(marker.message), held)))
        printf("mapicheck: store %lu: a message \"%s\" saved into its receive folder\n", index, marker.text);
    else {
        printf("mapicheck: store %lu takes no marker message (%#lx): its messages over a fast shutdown are not "
               "checked\n",
               index, (unsigned long)hr);
        strcpy(marker.message, "-");
    }
    fprintf(file, "%lu %d %s %s\t%s\n", index, marker.had_old, marker.message, marker.text, marker.old);
}

/* The client's objects, the held folders and tables first. */
static void release_all(IUnknown **held, IMsgStore **stores, ULONG count)
{
    ULONG i;

    for (i = 0; i < 2 * count; i++)
        if (held[i]) IUnknown_Release(held[i]);
    for (i = 0; i < count; i++) IMsgStore_Release(stores[i]);
}

int fast_mode_run(const char *profile, const char *markers, const char *records)
{
    IMsgStore *stores[MAX_STORES];
    IUnknown *held[2 * MAX_STORES] = { 0 }; /* each store's receive folder and contents table, open over it */
    IMAPIClientShutdown *client;
    IMAPISession *session;
    ULONG count, i, mark, late;
    FILE *file;
    HRESULT hr;
    int code;

    printf("mapicheck: the fast path, in a process of its own\n");
    if (FAILED(hr = MAPIInitialize(NULL))
        || FAILED(hr = MAPILogonEx(0, (LPTSTR)profile, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session))) {
        printf("mapicheck: no session over %s: %#lx\n", profile, (unsigned long)hr);
        return RESULT_BAD_INPUT;
    }
    if (!(file = fopen(markers, "wb"))) return RESULT_BAD_INPUT;
    count = profile_mode_open_stores(session, stores, MAX_STORES);
    for (i = 0; i < count; i++) write_marker(file, i, stores[i], &held[2 * i]);
    fclose(file);
    if (FAILED(hr = IMAPISession_QueryInterface(session, &IID_IMAPIClientShutdown, (void **)&client))) {
        printf("mapicheck: the session has no IMAPIClientShutdown: %#lx\n", (unsigned long)hr);
        return RESULT_FAIL;
    }
    hr = IMAPIClientShutdown_QueryFastShutdown(client);
    printf("IMAPIClientShutdown::QueryFastShutdown -> %#lx\n", (unsigned long)hr);
    if (hr != S_OK) {
        printf("mapicheck: no fast shutdown (a provider opts out, or FastShutdownBehavior says so): the orderly "
               "shutdown follows, as Outlook does\n");
        IMAPIClientShutdown_Release(client);
        release_all(held, stores, count);
        hr = IMAPISession_Logoff(session, 0, 0, 0);
        printf("IMAPISession::Logoff -> %#lx\n", (unsigned long)hr);
        IMAPISession_Release(session);
        MAPIUninitialize();
        return verdict_fast_path(hr == S_OK, records);
    }
    hr = IMAPIClientShutdown_NotifyProcessShutdown(client);
    printf("IMAPIClientShutdown::NotifyProcessShutdown -> %#lx\n", (unsigned long)hr);
    hr = IMAPIClientShutdown_DoFastShutdown(client);
    printf("IMAPIClientShutdown::DoFastShutdown -> %#lx\n", (unsigned long)hr);
    /* As a client exits: its references dropped, no other MAPI call (F7). Those Releases are the only calls into a
     * provider now: a host step about a provider would be another. A provider's call to MAPI is reported by the
     * host. */
    mark = verdict_record_count();
    release_all(held, stores, count);
    IMAPIClientShutdown_Release(client);
    IMAPISession_Release(session);
    if ((late = verdict_provider_steps_since(mark)))
        printf("mapicheck: FAIL: %lu calls reached a provider after DoFastShutdown, besides the client's Releases\n",
               late);
    printf("mapicheck: the client's objects released; the process exits now: its DLLs and buffers are no leak "
           "(E27)\n");
    code = verdict_fast_path(hr == S_OK && !late, records);
    ExitProcess(code);
}

static struct marker markers[MAX_STORES];
static ULONG marker_count;
static BOOL stores_kept = TRUE;

static void read_markers(const char *path)
{
    FILE *file = fopen(path, "rb");
    char line[700], *tab, *end;
    ULONG index;
    int had_old;

    marker_count = 0;
    while (file && fgets(line, sizeof(line), file) && marker_count < MAX_STORES) {
        struct marker *marker = &markers[marker_count++];

        memset(marker, 0, sizeof(*marker));
        if ((end = strchr(line, '\n'))) *end = 0;
        if (sscanf(line, "%lu %d ", &index, &had_old) != 2 || !(tab = strchr(line, '\t'))) continue;
        *tab = 0;
        marker->written = TRUE;
        marker->had_old = had_old;
        sscanf(strchr(strchr(line, ' ') + 1, ' ') + 1, "%159s", marker->message);
        snprintf(marker->text, sizeof(marker->text), "%s", strchr(strchr(strchr(line, ' ') + 1, ' ') + 1, ' ') + 1);
        snprintf(marker->old, sizeof(marker->old), "%s", tab + 1);
    }
    if (file) fclose(file);
}

/* In the orderly session: the store shows the marker committed before DoFastShutdown; its old comment goes back. */
static void check_store(IMAPISession *session, ULONG index, IMsgStore *store)
{
    const struct marker *marker;
    char text[512];
    BOOL present;

    if (index >= marker_count || !(marker = &markers[index])->written) return;
    get_comment(store, text, sizeof(text), &present);
    if (present && !strcmp(text, marker->text))
        printf("mapicheck: store %lu kept what was committed before the fast shutdown\n", index);
    else {
        printf("mapicheck: FAIL: store %lu lost what SaveChanges committed before DoFastShutdown (PR_COMMENT is "
               "%s%s%s): its data was not on disk when DoFastShutdown returned (best practices)\n",
               index, present ? "\"" : "missing", present ? text : "", present ? "\"" : "");
        stores_kept = FALSE;
    }
    if (strcmp(marker->message, "-") && !fast_message_check(store, marker->message, marker->text)) {
        printf("mapicheck: FAIL: store %lu lost the message saved before DoFastShutdown\n", index);
        stores_kept = FALSE;
    }
    printf("mapicheck: store %lu: its earlier PR_COMMENT put back -> %#lx\n", index,
           (unsigned long)set_comment(store, marker->had_old ? marker->old : NULL));
}

int fast_mode_check(const char *profile)
{
    STARTUPINFOA startup = { .cb = sizeof(startup), .dwFlags = STARTF_USESTDHANDLES };
    char self[MAX_PATH], path[MAX_PATH], records[MAX_PATH], command[4 * MAX_PATH];
    PROCESS_INFORMATION process;
    DWORD code = RESULT_FAIL;
    BOOL unloaded, logged_on, ok;

    printf("mapicheck: fast shutdown over profile %s\n", profile);
    GetModuleFileNameA(NULL, self, sizeof(self));
    GetTempPathA(sizeof(path), path);
    snprintf(path + strlen(path), sizeof(path) - strlen(path), "mapicheck-fast-%lu.txt", GetCurrentProcessId());
    snprintf(records, sizeof(records), "%s.events", path);
    snprintf(command, sizeof(command), "\"%s\" --fast-shutdown-run \"%s\" \"%s\" \"%s\"", self, profile, path, records);
    /* The fast path's lines go where this process's go, in order. */
    DuplicateHandle(GetCurrentProcess(), GetStdHandle(STD_OUTPUT_HANDLE), GetCurrentProcess(), &startup.hStdOutput, 0,
                    TRUE, DUPLICATE_SAME_ACCESS);
    startup.hStdError = startup.hStdOutput;
    if (CreateProcessA(NULL, command, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &process))
        code = child_wait(&process, "the fast path's process");
    else
        printf("mapicheck: cannot start %s: Win32 error %lu\n", self, GetLastError());
    CloseHandle(startup.hStdOutput);
    read_markers(path);
    DeleteFileA(path);
    verdict_read_records(records);
    DeleteFileA(records);
    if (code == RESULT_BAD_INPUT) return verdict_bad_input("the fast path had no session over this profile");
    printf("mapicheck: the fast path's process exited with %lu; an orderly session now reads what the stores kept\n",
           code);
    ok = profile_mode_run(profile, check_store, &unloaded, &logged_on);
    printf("mapicheck: fast path %s, stores %s\n", code ? "FAILED" : "passed",
           stores_kept ? "kept their data" : "LOST DATA");
    if (!logged_on) return verdict_bad_input("MAPILogonEx failed: no session over this profile");
    return verdict_give(ok && !code && stores_kept, unloaded);
}
