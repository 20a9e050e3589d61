/*
 * mapicheck: runs a profile or a provider DLL through its lifecycle and reports, step by step, whether each provider
 * kept its side of the contract (spec §3). Every event line of the host is printed as it happens; at the end comes the
 * report: by default the lines again, grouped by what they concern (a provider DLL, or a logon by its profile
 * section), and the verdict line.
 *
 *   mapicheck --profile PROFILE   a client session over a profile (a name, or the path of an .inf file)
 *   mapicheck PROVIDER.dll        the same session over a profile of the providers the DLL exports; a DLL whose
 *                                 name a profile cannot give (H1) gets init, Shutdown and Release only
 *   --fast-shutdown               before either: the fast path instead (mapicheck_fast.c)
 *   --format text|json|junit|mermaid [--output FILE]
 *                                 the report's format (report.c) and file; without --output it goes to standard
 *                                 output, and the running commentary to standard error
 *
 * Exit codes: 0 PASS, 1 FAIL (a rule broken, a provider that failed), 2 BAD INPUT (usage, a missing or unusable
 * profile or DLL, an output file that cannot be written).
 */
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "mapihost_x.h"
#include "mapihost.h"
#include "mapicheck.h"

static const char *const severity_names[] = { "step", "VIOLATION", "ERROR" };

static struct record *records;
static ULONG record_count;
static enum report_format format = FORMAT_TEXT;
static FILE *report_out;          /* where the report goes: stdout, or --output's file */
static const char *run_mode = "profile", *run_target = "";
static BOOL fast_mode;            /* --fast-shutdown */

static char *copy(const char *text)
{
    return text ? _strdup(text) : NULL;
}

static void add_record(ULONG severity, const char *rule, const char *dll, const char *provider, const char *logon,
                       const char *line, BOOL fast)
{
    struct record *grown = realloc(records, (record_count + 1) * sizeof(*records));

    if (!grown) return;
    records = grown;
    records[record_count++] = (struct record){ severity, copy(rule), copy(dll), copy(provider), copy(logon),
                                               copy(line), fast };
}

/* Every event is printed as it happens (to standard error when the report itself goes to standard output). */
static void WINAPI record_event(void *context, const MAPIHOST_EVENT *event)
{
    printf("  %-9s %s\n", severity_names[event->ulSeverity], event->lpszLine);
    add_record(event->ulSeverity, event->lpszRule, event->lpszDll, event->lpszProvider, event->lpszLogon,
               event->lpszLine, FALSE);
}

void mapicheck_set_target(const char *mode, const char *target)
{
    run_mode = mode;
    run_target = target;
}

static ULONG count_records(ULONG severity)
{
    ULONG i, count = 0;

    for (i = 0; i < record_count; i++) count += records[i].severity == severity;
    return count;
}

ULONG mapicheck_record_count(void)
{
    return record_count;
}

ULONG mapicheck_provider_steps_since(ULONG mark)
{
    ULONG i, count = 0;

    for (i = mark; i < record_count; i++) count += records[i].severity == MAPIHOST_EVENT_STEP && records[i].dll;
    return count;
}

static int finish(enum report_result result, const char *reason, BOOL unloaded)
{
    struct report report = { run_mode, run_target, fast_mode, records, record_count, result, reason,
                             count_records(MAPIHOST_EVENT_STEP), count_records(MAPIHOST_EVENT_VIOLATION),
                             count_records(MAPIHOST_EVENT_ERROR), MapihostLiveBuffers(), unloaded };

    report_write(report_out, format, &report);
    fflush(report_out);
    if (report_out != stdout) /* the commentary still ends in the verdict */
        printf("verdict: %s (report written)\n", result == RESULT_PASS ? "PASS" : result == RESULT_FAIL ? "FAIL"
                                                                                  : "BAD INPUT");
    return result;
}

int mapicheck_verdict(BOOL ok, BOOL unloaded)
{
    BOOL pass = ok && !count_records(MAPIHOST_EVENT_VIOLATION) && !count_records(MAPIHOST_EVENT_ERROR)
                && !MapihostLiveBuffers() && unloaded;

    return finish(pass ? RESULT_PASS : RESULT_FAIL, ok ? NULL : "the run's own checks failed", unloaded);
}

int mapicheck_bad_input(const char *why)
{
    printf("mapicheck: %s\n", why);
    return finish(RESULT_BAD_INPUT, why, !MapihostLoadedLibraries());
}

int mapicheck_fast_path_verdict(BOOL ok, const char *path)
{
    ULONG violations = count_records(MAPIHOST_EVENT_VIOLATION), errors = count_records(MAPIHOST_EVENT_ERROR), i;
    BOOL pass = ok && !violations && !errors;
    FILE *file = fopen(path, "wb");

    /* One record per line, tab-separated, empty for none: the main process's report has them all. */
    for (i = 0; file && i < record_count; i++) {
        const struct record *r = &records[i];
        char *c;

        for (c = r->line; *c; c++)
            if (*c == '\t' || *c == '\n') *c = ' ';
        fprintf(file, "%lu\t%s\t%s\t%s\t%s\t%s\n", r->severity, r->rule ? r->rule : "", r->dll ? r->dll : "",
                r->provider ? r->provider : "", r->logon ? r->logon : "", r->line);
    }
    if (file) fclose(file);
    printf("fast path: %s (%lu steps, %lu violations, %lu errors)\n", pass ? "PASS" : "FAIL",
           count_records(MAPIHOST_EVENT_STEP), violations, errors);
    return pass ? RESULT_PASS : RESULT_FAIL;
}

void mapicheck_read_records(const char *path)
{
    FILE *file = fopen(path, "rb");
    char line[1024], *field[6], *end;
    int n;

    while (file && fgets(line, sizeof(line), file)) {
        if ((end = strchr(line, '\n'))) *end = 0;
        for (n = 0, field[0] = line; n < 5 && (end = strchr(field[n], '\t')); n++) {
            *end = 0;
            field[n + 1] = end + 1;
        }
        if (n != 5 || field[0][0] < '0' || field[0][0] > '2') continue;
        add_record(field[0][0] - '0', *field[1] ? field[1] : NULL, *field[2] ? field[2] : NULL,
                   *field[3] ? field[3] : NULL, *field[4] ? field[4] : NULL, field[5], TRUE);
    }
    if (file) fclose(file);
}

int mapicheck_probe(const char *path)
{
    HRESULT hr;

    printf("mapicheck: provider DLL %s\n", path);
    mapicheck_set_target("probe", path);
    if (FAILED(hr = MAPIInitialize(NULL))) return mapicheck_bad_input("MAPIInitialize failed");
    hr = MapihostProbeProviderDll(path);
    printf("MapihostProbeProviderDll -> %#lx\n", (unsigned long)hr);
    MAPIUninitialize();
    /* H23: the DLL must be gone right after the last MAPIUninitialize, and not before. */
    return mapicheck_verdict(TRUE, !MapihostLoadedLibraries() && !GetModuleHandleA(path));
}

static int usage(void)
{
    fputs("usage: mapicheck [--fast-shutdown] [--format text|json|junit|mermaid] [--output FILE] --profile PROFILE\n"
          "       mapicheck [--fast-shutdown] [--format F] [--output FILE] [--prop TAG=VALUE]... PROVIDER.dll\n",
          stderr);
    return RESULT_BAD_INPUT;
}

/* --format's value, or -1. */
static int parse_format(const char *name)
{
    static const char *const names[] = { "text", "json", "junit", "mermaid" };
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(names); i++)
        if (!strcmp(name, names[i])) return i;
    return -1;
}

int main(int argc, char **argv)
{
    const char *output = NULL;
    int first = 1, i, chosen;

    setvbuf(stdout, NULL, _IONBF, 0);
    report_out = stdout;
    MapihostSetEventRecordSink(record_event, NULL);
    /* The checker must get past a hung provider to judge the rest (issue 9: a worker thread there, never here). */
    MapihostAbandonHungCalls(TRUE);

    /* The fast path's own process, which mapicheck_fast starts. */
    if (argc == 5 && !strcmp(argv[1], "--fast-shutdown-run")) return mapicheck_fast_run(argv[2], argv[3], argv[4]);
    for (; first < argc; first++) {
        if (!strcmp(argv[first], "--fast-shutdown")) fast_mode = TRUE;
        else if (!strcmp(argv[first], "--format") && first + 1 < argc) {
            if ((chosen = parse_format(argv[++first])) < 0) return usage();
            format = chosen;
        } else if (!strcmp(argv[first], "--output") && first + 1 < argc) output = argv[++first];
        else break;
    }
    if (output && !(report_out = fopen(output, "wb"))) {
        fprintf(stderr, "mapicheck: cannot write %s\n", output);
        return RESULT_BAD_INPUT;
    }
    if (!output && format != FORMAT_TEXT) {
        /* The report alone on standard output; everything else on standard error, this process's and the fast
         * path's alike. */
        report_out = _fdopen(_dup(1), "wb");
        _dup2(2, 1);
        SetStdHandle(STD_OUTPUT_HANDLE, GetStdHandle(STD_ERROR_HANDLE));
    }
    if (argc == first + 2 && !strcmp(argv[first], "--profile")) {
        mapicheck_set_target("profile", argv[first + 1]);
        return fast_mode ? mapicheck_fast(argv[first + 1]) : mapicheck_session(argv[first + 1]);
    }
    for (i = first; i + 1 < argc && !strcmp(argv[i], "--prop"); i += 2) {}
    if (i != argc - 1 || argv[i][0] == '-') return usage();
    mapicheck_set_target("dll", argv[i]);
    return mapicheck_dll(argv[i], (const char *const *)argv + first, i - first, fast_mode);
}
