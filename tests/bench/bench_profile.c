/*
 * Profiles at scale (P11, P12): a profile of one message service and 100,000 other sections, and one of 10,000, in a
 * profile folder of the benchmark's own. Measured side by side:
 * - P11: `mapiprof show` of the big profile (a process of its own, its output thrown away) against a MAPILogonEx and
 *   Logoff over the same profile, also in a process of its own (this program run with --logon): at most 2x. Both
 *   sides start a process and read the file once; a logon in this process would find the profile already read;
 * - P12: `mapiprof show` of 100,000 sections against 10,000: at most 11x (linear).
 * Every logon, logoff and mapiprof run must succeed, or nothing is measured.
 */
#include <string.h>

#include "bench.h"

#define BIG 100000
#define SMALL 10000

struct bench_profile {
    char folder[MAX_PATH], command_big[MAX_PATH + 64], command_small[MAX_PATH + 64], big_path[MAX_PATH];
    char command_logon[3 * MAX_PATH];
};

/* A profile named name of the sample address book's service and sections extra sections. */
static void write_profile(const char *folder, const char *name, ULONG sections)
{
    char path[MAX_PATH];
    FILE *file;
    ULONG i;

    snprintf(path, sizeof(path), "%s\\%s.inf", folder, name);
    if (!(file = fopen(path, "w"))) {
        fprintf(stderr, "bench: cannot write %s\n", path);
        exit(2);
    }
    fputs("[Services]\nSamples = Sample address book\n[Samples]\nProviders = Sample AB\n"
          "[Sample AB]\nPR_PROVIDER_DLL_NAME = sampleab.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"
          "[Sample AB settings]\nMAPIUID = 6D617069686F737453616D706C654142\n6610001F = the sample directory\n",
          file);
    for (i = 0; i < sections; i++)
        fprintf(file, "[Section %lu]\nMAPIUID = %032lX\n6600001F = value %lu\n66010003 = %lu\n", i, i + 1, i, i);
    bench_close_file(file, path);
}

/* Runs command with its output thrown away; the benchmark ends unless it exits 0. */
static void run_quietly(const char *command)
{
    SECURITY_ATTRIBUTES inherit = { sizeof(inherit), NULL, TRUE };
    PROCESS_INFORMATION process;
    STARTUPINFOA startup;
    HANDLE nul =
        CreateFileA("NUL", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, OPEN_EXISTING, 0, NULL);
    char line[3 * MAX_PATH];
    DWORD code = 1;

    snprintf(line, sizeof(line), "%s", command);
    memset(&startup, 0, sizeof(startup));
    startup.cb = sizeof(startup);
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdOutput = startup.hStdError = nul;
    startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    if (CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &process)) {
        WaitForSingleObject(process.hProcess, INFINITE);
        GetExitCodeProcess(process.hProcess, &code);
        CloseHandle(process.hProcess);
        CloseHandle(process.hThread);
    }
    CloseHandle(nul);
    if (code) {
        fprintf(stderr, "bench: %s failed (exit code %lu); nothing is measured\n", command, code);
        exit(2);
    }
}

static void show_big(void *context, int count)
{
    struct bench_profile *bench = context;

    while (count--) run_quietly(bench->command_big);
}

static void show_small(void *context, int count)
{
    struct bench_profile *bench = context;

    while (count--) run_quietly(bench->command_small);
}

static void logon_big(void *context, int count)
{
    struct bench_profile *bench = context;

    while (count--) run_quietly(bench->command_logon);
}

/* The child of logon_big: one logon and logoff, then exit 0 (bench_logon and bench_check exit 2 on a failure). */
static int logon_once(const char *path)
{
    bench_check(MAPIInitialize(NULL), "MAPIInitialize");
    bench_logoff(bench_logon(path));
    MAPIUninitialize();
    return 0;
}

int main(int argc, char **argv)
{
    static struct bench_profile bench;
    struct bench_result result;
    char self[MAX_PATH];
    int met = 1;

    if (argc == 3 && !strcmp(argv[1], "--logon")) return logon_once(argv[2]);

    GetTempPathA(sizeof(bench.folder), bench.folder);
    snprintf(bench.folder + strlen(bench.folder), sizeof(bench.folder) - strlen(bench.folder),
             "mapihost-bench-profiles");
    CreateDirectoryA(bench.folder, NULL);
    SetEnvironmentVariableA("MAPIHOST_PROFILE_DIR", bench.folder);
    write_profile(bench.folder, "big", BIG);
    write_profile(bench.folder, "small", SMALL);
    snprintf(bench.big_path, sizeof(bench.big_path), "%s\\big.inf", bench.folder);
    snprintf(bench.command_big, sizeof(bench.command_big), "mapiprof.exe show big");
    snprintf(bench.command_small, sizeof(bench.command_small), "mapiprof.exe show small");
    GetModuleFileNameA(NULL, self, sizeof(self));
    snprintf(bench.command_logon, sizeof(bench.command_logon), "\"%s\" --logon \"%s\"", self, bench.big_path);

    printf("profiles of %d and %d sections beside one service\n", BIG, SMALL);
    result = bench_ratio(show_big, logon_big, &bench, 1);
    met &= bench_report("P11 mapiprof show / a logon process, 100,000 sections", result, "<= 2x", result.median <= 2.0);
    result = bench_ratio(show_big, show_small, &bench, 1);
    met &= bench_report("P12 mapiprof show, 100,000 / 10,000 sections", result, "<= 11x", result.median <= 11.0);
    return met ? 0 : 1;
}
