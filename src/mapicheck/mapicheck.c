/*
 * mapicheck: runs a profile or a provider DLL through its lifecycle and reports, step by step, whether each provider
 * kept its side of the contract (spec §3). Every event line of the host is printed as it happens; at the end the
 * lines are shown again, grouped by what they concern (a provider DLL, or a logon by its profile section), and the
 * last line is the verdict.
 *
 *   mapicheck --profile PROFILE   a client session over a profile (a name, or the path of an .inf file)
 *   mapicheck PROVIDER.dll        the same session over a profile of the providers the DLL exports; a DLL whose
 *                                 name a profile cannot give (H1) gets init, Shutdown and Release only
 *   --fast-shutdown               before either: the fast path instead (mapicheck_fast.c)
 *
 * Exit codes: 0 pass, 1 fail, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "mapihost_x.h"
#include "mapihost.h"
#include "mapicheck.h"

static const char *const severity_names[] = { "step", "VIOLATION", "ERROR" };

struct event {
    ULONG severity;
    char *line;
};
static struct event *events;
static ULONG event_count;

static void WINAPI record_event(void *context, ULONG severity, const char *line)
{
    struct event *grown = realloc(events, (event_count + 1) * sizeof(*events));

    printf("  %-9s %s\n", severity_names[severity], line);
    if (!grown) return;
    events = grown;
    events[event_count].severity = severity;
    events[event_count++].line = _strdup(line);
}

/* What an event line concerns: the text before its first ": ", or "" for the host's own lines. */
static size_t subject_length(const char *line)
{
    const char *colon = strstr(line, ": ");
    return colon ? (size_t)(colon - line) : 0;
}

static BOOL same_subject(const char *line, const char *subject, size_t length)
{
    return subject_length(line) == length && !strncmp(line, subject, length);
}

static void print_lifecycles(void)
{
    ULONG i, j;

    printf("lifecycle of each provider DLL and logon, as observed:\n");
    for (i = 0; i < event_count; i++) {
        size_t length = subject_length(events[i].line);
        BOOL seen = FALSE;

        for (j = 0; j < i && !seen; j++)
            seen = same_subject(events[j].line, events[i].line, length);
        if (seen || !length || !strncmp(events[i].line, "session ", 8)) continue;
        printf("  %.*s\n", (int)length, events[i].line);
        for (j = i; j < event_count; j++)
            if (same_subject(events[j].line, events[i].line, length))
                printf("    %-9s %s\n", severity_names[events[j].severity], events[j].line + length + 2);
    }
}

int mapicheck_verdict(BOOL ok, BOOL unloaded)
{
    ULONG violations = MapihostEventCount(MAPIHOST_EVENT_VIOLATION), errors = MapihostEventCount(MAPIHOST_EVENT_ERROR);
    ULONG steps = MapihostEventCount(MAPIHOST_EVENT_STEP), buffers = MapihostLiveBuffers();
    BOOL pass = ok && !violations && !errors && !buffers && unloaded;

    print_lifecycles();
    printf("verdict: %s (%lu steps, %lu violations, %lu errors, %lu MAPI buffers leaked, provider DLLs %s)\n",
           pass ? "PASS" : "FAIL", steps, violations, errors, buffers, unloaded ? "unloaded" : "still loaded");
    return pass ? 0 : 1;
}

int mapicheck_fast_path_verdict(BOOL ok)
{
    ULONG violations = MapihostEventCount(MAPIHOST_EVENT_VIOLATION), errors = MapihostEventCount(MAPIHOST_EVENT_ERROR);
    BOOL pass = ok && !violations && !errors;

    print_lifecycles();
    printf("fast path: %s (%lu steps, %lu violations, %lu errors)\n", pass ? "PASS" : "FAIL",
           MapihostEventCount(MAPIHOST_EVENT_STEP), violations, errors);
    return pass ? 0 : 1;
}

int mapicheck_probe(const char *path)
{
    HRESULT hr;

    printf("mapicheck: provider DLL %s\n", path);
    if (FAILED(hr = MAPIInitialize(NULL))) {
        printf("MAPIInitialize failed: %#lx\n", (unsigned long)hr);
        return 1;
    }
    hr = MapihostProbeProviderDll(path);
    printf("MapihostProbeProviderDll -> %#lx\n", (unsigned long)hr);
    MAPIUninitialize();
    /* H23: the DLL must be gone right after the last MAPIUninitialize, and not before. */
    return mapicheck_verdict(TRUE, !MapihostLoadedLibraries() && !GetModuleHandleA(path));
}

static int usage(void)
{
    fputs("usage: mapicheck [--fast-shutdown] --profile PROFILE\n"
          "       mapicheck [--fast-shutdown] [--prop TAG=VALUE]... PROVIDER.dll\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int first = 1, i;
    BOOL fast;

    MapihostSetEventSink(record_event, NULL);
    /* The checker must get past a hung provider to judge the rest (issue 9: a worker thread there, never here). */
    MapihostAbandonHungCalls(TRUE);

    /* The fast path's own process, which mapicheck_fast starts. */
    if (argc == 4 && !strcmp(argv[1], "--fast-shutdown-run")) return mapicheck_fast_run(argv[2], argv[3]);
    if ((fast = argc > 1 && !strcmp(argv[1], "--fast-shutdown"))) first = 2;
    if (argc == first + 2 && !strcmp(argv[first], "--profile"))
        return fast ? mapicheck_fast(argv[first + 1]) : mapicheck_session(argv[first + 1]);
    for (i = first; i + 1 < argc && !strcmp(argv[i], "--prop"); i += 2) {}
    if (i != argc - 1 || argv[i][0] == '-') return usage();
    return mapicheck_dll(argv[i], (const char *const *)argv + first, i - first, fast);
}
