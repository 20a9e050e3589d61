/*
 * mapicheck's records and verdict: every event the host reports is printed as it happens and kept as a record (rule,
 * DLL, provider type, logon as data); at the end the records become the report (report.c) in the format asked for,
 * and the verdict its exit code. The modes call down into this file; it calls none of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "mapihost_x.h"
#include "mapihost.h"
#include "mapicheck.h"

static const char *const severity_names[] = { "step", "VIOLATION", "ERROR" };

/* Events come from every thread that calls a provider: the client's and the spooler's. */
static SRWLOCK records_lock = SRWLOCK_INIT;
static struct record *records;
static ULONG record_count;
static enum report_format format = FORMAT_TEXT;
static FILE *report_out; /* where the report goes: stdout, or --output's file; NULL: stdout */
static const char *run_mode = "profile", *run_target = "";
static BOOL fast_mode; /* --fast-shutdown */

static char *copy(const char *text)
{
    return text ? _strdup(text) : NULL;
}

static void add_record(ULONG severity, const char *rule, const char *dll, const char *provider, const char *logon,
                       const char *line, BOOL fast)
{
    struct record *grown;

    AcquireSRWLockExclusive(&records_lock);
    if ((grown = realloc(records, (record_count + 1) * sizeof(*records)))) {
        records = grown;
        records[record_count++] =
            (struct record){ severity, copy(rule), copy(dll), copy(provider), copy(logon), copy(line), fast };
    }
    ReleaseSRWLockExclusive(&records_lock);
}

/* Every event is printed as it happens (to standard error when the report itself goes to standard output). */
void WINAPI verdict_record_event(void *context, const MAPIHOST_EVENT *event)
{
    printf("  %-9s %s\n", severity_names[event->ulSeverity], event->lpszLine);
    add_record(event->ulSeverity, event->lpszRule, event->lpszDll, event->lpszProvider, event->lpszLogon,
               event->lpszLine, FALSE);
}

void verdict_note(ULONG severity, const char *rule, const char *provider, const char *logon, const char *line)
{
    printf("  %-9s %s\n", severity_names[severity], line);
    add_record(severity, rule, NULL, provider, logon, line, FALSE);
}

void verdict_set_target(const char *mode, const char *target)
{
    run_mode = mode;
    run_target = target;
}

void verdict_set_report(enum report_format report_format, FILE *out, BOOL fast)
{
    format = report_format;
    report_out = out;
    fast_mode = fast;
}

static ULONG count_records(ULONG severity)
{
    ULONG i, count = 0;

    for (i = 0; i < record_count; i++) count += records[i].severity == severity;
    return count;
}

ULONG verdict_record_count(void)
{
    ULONG count;

    AcquireSRWLockShared(&records_lock);
    count = record_count;
    ReleaseSRWLockShared(&records_lock);
    return count;
}

ULONG verdict_provider_steps_since(ULONG mark)
{
    ULONG i, count = 0;

    AcquireSRWLockShared(&records_lock);
    for (i = mark; i < record_count; i++) count += records[i].severity == MAPIHOST_EVENT_STEP && records[i].dll;
    ReleaseSRWLockShared(&records_lock);
    return count;
}

static int finish(enum report_result result, const char *reason, BOOL unloaded)
{
    struct report report = { run_mode,
                             run_target,
                             fast_mode,
                             records,
                             record_count,
                             result,
                             reason,
                             count_records(MAPIHOST_EVENT_STEP),
                             count_records(MAPIHOST_EVENT_VIOLATION),
                             count_records(MAPIHOST_EVENT_ERROR),
                             MapihostLiveBuffers(),
                             unloaded };

    FILE *out = report_out ? report_out : stdout;

    report_write(out, format, &report);
    fflush(out);
    if (out != stdout) /* the commentary still ends in the verdict */
        printf("verdict: %s (report written)\n", result == RESULT_PASS   ? "PASS"
                                                 : result == RESULT_FAIL ? "FAIL"
                                                                         : "BAD INPUT");
    return result;
}

int verdict_give(BOOL ok, BOOL unloaded)
{
    BOOL pass = ok && !count_records(MAPIHOST_EVENT_VIOLATION) && !count_records(MAPIHOST_EVENT_ERROR)
                && !MapihostLiveBuffers() && unloaded;

    return finish(pass ? RESULT_PASS : RESULT_FAIL, ok ? NULL : "the run's own checks failed", unloaded);
}

int verdict_crashed(DWORD code, const char *where, const char *dll)
{
    char line[MAX_PATH + 256];

    snprintf(line, sizeof(line),
             "a provider crashed in a call mapicheck made on one of its objects as a client (exception %#lx at %s); "
             "the run ends here",
             code, where);
    printf("  %-9s %s\n", severity_names[MAPIHOST_EVENT_VIOLATION], line);
    add_record(MAPIHOST_EVENT_VIOLATION, "crash", dll, NULL, NULL, line, FALSE);
    return finish(RESULT_FAIL, "a provider crashed in a client's call", FALSE);
}

int verdict_bad_input(const char *why)
{
    printf("mapicheck: %s\n", why);
    return finish(RESULT_BAD_INPUT, why, !MapihostLoadedLibraries());
}

int verdict_fast_path(BOOL ok, const char *path)
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

void verdict_read_records(const char *path)
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
