/*
 * mapicheck: runs a provider DLL through its lifecycle and reports, step by step, whether the provider kept its side
 * of the contract (spec §3). Every line it prints comes from the host's event log; the last line is the verdict.
 *
 *   mapicheck PROVIDER.dll     init, Shutdown and Release of each provider the DLL exports, then unload
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "mapihost_x.h"
#include "mapihost.h"

static const char *const severity_names[] = { "step", "VIOLATION", "ERROR" };

static void WINAPI print_event(void *context, ULONG severity, const char *line)
{
    printf("  %-9s %s\n", severity_names[severity], line);
}

static int usage(void)
{
    fputs("usage: mapicheck PROVIDER.dll\n", stderr);
    return 2;
}

static int verdict(BOOL unloaded)
{
    ULONG violations = MapihostEventCount(MAPIHOST_EVENT_VIOLATION), errors = MapihostEventCount(MAPIHOST_EVENT_ERROR);
    ULONG steps = MapihostEventCount(MAPIHOST_EVENT_STEP), buffers = MapihostLiveBuffers();
    BOOL pass = !violations && !errors && !buffers && unloaded;

    printf("verdict: %s (%lu steps, %lu violations, %lu errors, %lu MAPI buffers leaked, provider DLLs %s)\n",
           pass ? "PASS" : "FAIL", steps, violations, errors, buffers, unloaded ? "unloaded" : "still loaded");
    return pass ? 0 : 1;
}

static int probe_dll(const char *path)
{
    HRESULT hr;
    BOOL unloaded;

    MapihostSetEventSink(print_event, NULL);
    printf("mapicheck: provider DLL %s\n", path);
    if (FAILED(hr = MAPIInitialize(NULL))) {
        printf("MAPIInitialize failed: %#lx\n", (unsigned long)hr);
        return 1;
    }
    hr = MapihostProbeProviderDll(path);
    printf("  %-9s MapihostProbeProviderDll -> %#lx\n", "result", (unsigned long)hr);
    MAPIUninitialize();
    /* H23: the DLL must be gone right after the last MAPIUninitialize, and not before. */
    unloaded = !MapihostLoadedLibraries() && !GetModuleHandleA(path);
    return verdict(unloaded);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc != 2 || argv[1][0] == '-') return usage();
    return probe_dll(argv[1]);
}
