/*
 * mapicheck: runs a profile or a provider DLL through its lifecycle and reports, step by step, whether each provider
 * kept its side of the contract (spec §3). Every event line of the host is printed as it happens; at the end comes the
 * report: by default the lines again, grouped by what they concern (a provider DLL, or a logon by its profile
 * section), and the verdict line.
 *
 *   mapicheck --profile PROFILE   a client session over a profile (a name, or the path of an .inf file)
 *   mapicheck PROVIDER.dll        the same session over a profile of the providers the DLL exports
 *   --fast-shutdown, --store      the fast path (fast_mode.c), or each store's scripted session (store_mode.c)
 *   --transport, --to             mail through each transport (transport_mode.c)
 *   --format, --output, --prop    the report's format (report.c) and file, a DLL's service settings
 * arguments.c reads them, in any order, and --help explains each.
 *
 * Exit codes: 0 PASS, 1 FAIL (a rule broken, a provider that failed), 2 BAD INPUT (usage, a missing or unusable
 * profile or DLL, an output file that cannot be written).
 */
#include <errno.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "mapihost_x.h"
#include "mapihost.h"
#include "mapicheck.h"

/* A provider's crash in a call mapicheck makes on its objects as a client (the host guards only its own calls into
 * providers): the checker still writes its report, a FAIL naming the DLL and the place, and exits. */
static LONG WINAPI provider_crashed(EXCEPTION_POINTERS *info)
{
    void *address = info->ExceptionRecord->ExceptionAddress;
    char path[MAX_PATH], where[MAX_PATH + 24], *dll = NULL;
    HMODULE module;

    if (GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                           address, &module)
        && GetModuleFileNameA(module, path, sizeof(path))) {
        dll = strrchr(path, '\\') ? strrchr(path, '\\') + 1 : path;
        snprintf(where, sizeof(where), "%s+%#llx", dll, (unsigned long long)((char *)address - (char *)module));
    } else
        snprintf(where, sizeof(where), "%p", address);
    ExitProcess(verdict_crashed(info->ExceptionRecord->ExceptionCode, where, dll));
}

int main(int argc, char **argv)
{
    FILE *report_out = stdout; /* where the report goes: stdout, or --output's file */
    struct arguments args;
    int result;

    setvbuf(stdout, NULL, _IONBF, 0);
    SetConsoleOutputCP(CP_UTF8); /* what it prints is in its code page, UTF-8 (tools/utf8.manifest) */
    MapihostSetEventRecordSink(verdict_record_event, NULL);
    /* The checker must get past a hung provider to judge the rest (a worker thread for the calls, which mapicheck alone
     * allows). */
    MapihostAbandonHungCalls(TRUE);
    SetUnhandledExceptionFilter(provider_crashed);

    /* The fast path's own process, which fast_mode_check starts. */
    if (argc == 5 && !strcmp(argv[1], "--fast-shutdown-run")) return fast_mode_run(argv[2], argv[3], argv[4]);
    /* The store script's reopen in another process, which store_mode_check starts. */
    if (argc == 5 && !strcmp(argv[1], "--store-reopen")) return store_mode_reopen(argv[2], argv[3], argv[4]);
    if ((result = arguments_parse(argc, argv, &args)) >= 0) return result;
    if (args.output && !(report_out = fopen(args.output, "wb"))) {
        fprintf(stderr, "mapicheck: --output %s: cannot write it (%s)\n", args.output, strerror(errno));
        return RESULT_BAD_INPUT;
    }
    if (!args.output && args.format != FORMAT_TEXT) {
        /* The report alone on standard output; everything else on standard error, this process's and the fast
         * path's alike. */
        report_out = _fdopen(_dup(1), "wb");
        _dup2(2, 1);
        SetStdHandle(STD_OUTPUT_HANDLE, GetStdHandle(STD_ERROR_HANDLE));
    }
    verdict_set_report(args.format, report_out, args.fast);
    transport_mode_set_address(args.to);
    if (args.profile) {
        verdict_set_target("profile", args.profile);
        return args.check(args.profile);
    }
    verdict_set_target("dll", args.dll);
    return dll_mode_check(args.dll, args.props, args.prop_count, args.check);
}
