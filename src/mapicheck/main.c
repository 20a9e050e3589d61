/*
 * mapicheck: runs a profile or a provider DLL through its lifecycle and reports, step by step, whether each provider
 * kept its side of the contract (spec §3). Every event line of the host is printed as it happens; at the end comes the
 * report: by default the lines again, grouped by what they concern (a provider DLL, or a logon by its profile
 * section), and the verdict line.
 *
 *   mapicheck --profile PROFILE   a client session over a profile (a name, or the path of an .inf file)
 *   mapicheck PROVIDER.dll        the same session over a profile of the providers the DLL exports; a DLL whose
 *                                 name a profile cannot give (H1) gets init, Shutdown and Release only
 *   --fast-shutdown               before either: the fast path instead (fast_mode.c)
 *   --store                       before either: each store through a scripted session (store_mode.c)
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

static int usage(void)
{
    fputs("usage: mapicheck [--fast-shutdown | --store] [--format text|json|junit|mermaid] [--output FILE] "
          "--profile PROFILE\n"
          "       mapicheck [--fast-shutdown | --store] [--format F] [--output FILE] [--prop TAG=VALUE]... "
          "PROVIDER.dll\n",
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
    enum report_format format = FORMAT_TEXT;
    const char *output = NULL;
    FILE *report_out = stdout; /* where the report goes: stdout, or --output's file */
    BOOL fast_mode = FALSE;    /* --fast-shutdown */
    profile_check *check = profile_mode_check;
    int first = 1, i, chosen;

    setvbuf(stdout, NULL, _IONBF, 0);
    MapihostSetEventRecordSink(verdict_record_event, NULL);
    /* The checker must get past a hung provider to judge the rest (a worker thread for the calls, which mapicheck alone
     * allows). */
    MapihostAbandonHungCalls(TRUE);

    /* The fast path's own process, which fast_mode_check starts. */
    if (argc == 5 && !strcmp(argv[1], "--fast-shutdown-run")) return fast_mode_run(argv[2], argv[3], argv[4]);
    /* The store script's reopen in another process, which store_mode_check starts. */
    if (argc == 5 && !strcmp(argv[1], "--store-reopen")) return store_mode_reopen(argv[2], argv[3], argv[4]);
    for (; first < argc; first++) {
        if (!strcmp(argv[first], "--fast-shutdown") && check == profile_mode_check) {
            fast_mode = TRUE;
            check = fast_mode_check;
        } else if (!strcmp(argv[first], "--store") && check == profile_mode_check)
            check = store_mode_check;
        else if (!strcmp(argv[first], "--format") && first + 1 < argc) {
            if ((chosen = parse_format(argv[++first])) < 0) return usage();
            format = chosen;
        } else if (!strcmp(argv[first], "--output") && first + 1 < argc)
            output = argv[++first];
        else
            break;
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
    verdict_set_report(format, report_out, fast_mode);
    if (argc == first + 2 && !strcmp(argv[first], "--profile")) {
        verdict_set_target("profile", argv[first + 1]);
        return check(argv[first + 1]);
    }
    for (i = first; i + 1 < argc && !strcmp(argv[i], "--prop"); i += 2) {}
    if (i != argc - 1 || argv[i][0] == '-') return usage();
    verdict_set_target("dll", argv[i]);
    return dll_mode_check(argv[i], (const char *const *)argv + first, i - first, check);
}
