/*
 * P4: 10,000 whole lifecycles of the three sample providers (MAPIInitialize, MAPILogonEx, OpenMsgStore of the store,
 * Logoff, MAPIUninitialize with its FreeLibrary calls) in one process. After the first 100 cycles the process's
 * working set, its handle count and the live MAPI buffers must stay flat: the growth per 1,000 cycles is printed
 * for each, from cycle 100 to the last. Goal 0; the working set, which moves by whole pages, is called flat below
 * one page per 1,000 cycles.
 */
#include <string.h>

#include "bench.h"
#include <psapi.h>
#include <winternl.h>
#include "mapihost_util.h"

/* MAPIHOST_BENCH_CYCLES to try another count. */
static int CYCLES = 10000;
#define SETTLE 100
#define PAGE 4096

static char profile_path[MAX_PATH];

static void write_profile(void)
{
    static const char profile[] =
        "[Services]\nSamples = Sample services\n[Samples]\nProviders = Sample AB, Sample store, Sample transport\n"
        "[Sample AB]\nPR_PROVIDER_DLL_NAME = sampleab.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"
        "[Sample store]\nPR_PROVIDER_DLL_NAME = samplems.dll\nPR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\n"
        "PR_RESOURCE_FLAGS = STATUS_DEFAULT_STORE\n"
        "[Sample transport]\nPR_PROVIDER_DLL_NAME = samplexp.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"
        "[Sample AB settings]\nMAPIUID = 6D617069686F737453616D706C654142\n6610001F = the soak directory\n"
        "[Sample MS settings]\nMAPIUID = 6D617069686F737453616D706C654D53\n6610001F = the soak store\n";
    FILE *file = bench_create_file("mapihost-soak.inf", profile_path, sizeof(profile_path));

    fputs(profile, file);
    bench_close_file(file, profile_path);
}

/* One whole lifecycle, the default store opened and released on the way. */
static void cycle(void)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_DEFAULT_STORE } };
    IMAPISession *session;
    IMAPITable *stores;
    IMsgStore *store;
    SRowSet *rows;

    bench_check(MAPIInitialize(NULL), "MAPIInitialize");
    session = bench_logon(profile_path);
    bench_check(IMAPISession_GetMsgStoresTable(session, 0, &stores), "GetMsgStoresTable");
    bench_check(HrQueryAllRows(stores, (SPropTagArray *)&columns, NULL, NULL, 0, &rows), "HrQueryAllRows");
    if (!rows->cRows) bench_check(MAPI_E_NOT_FOUND, "the default store's row");
    bench_check(IMAPISession_OpenMsgStore(session, 0, rows->aRow[0].lpProps[0].Value.bin.cb,
                                          (ENTRYID *)rows->aRow[0].lpProps[0].Value.bin.lpb, NULL, MDB_NO_DIALOG,
                                          &store),
                "OpenMsgStore");
    IMsgStore_Release(store);
    FreeProws(rows);
    IMAPITable_Release(stores);
    bench_logoff(session);
    MAPIUninitialize();
}

/* The process's handles, from the system's handle list: Wine's GetProcessHandleCount answers 0. */
static ULONG count_handles(void)
{
    static NTSTATUS(WINAPI * query)(SYSTEM_INFORMATION_CLASS, void *, ULONG, ULONG *);
    ULONG size = 1 << 16, needed, count = 0, i;
    SYSTEM_HANDLE_INFORMATION *info = NULL;
    NTSTATUS status;

    if (!query) query = (void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQuerySystemInformation");
    do {
        free(info);
        if (!(info = malloc(size *= 2))) return 0;
        status = query(SystemHandleInformation, info, size, &needed);
    } while (status == (NTSTATUS)0xc0000004 /* STATUS_INFO_LENGTH_MISMATCH */);
    if (status >= 0)
        for (i = 0; i < info->Count; i++) count += info->Handle[i].OwnerPid == GetCurrentProcessId();
    free(info);
    return count;
}

struct sample {
    double working_set, handles, buffers;
};

static struct sample measure(void)
{
    PROCESS_MEMORY_COUNTERS memory = { .cb = sizeof(memory) };
    struct sample sample;

    GetProcessMemoryInfo(GetCurrentProcess(), &memory, sizeof(memory));
    sample.working_set = (double)memory.WorkingSetSize;
    sample.handles = count_handles();
    sample.buffers = MapihostLiveBuffers();
    return sample;
}

static int report(const char *name, double first, double last, double limit, const char *unit)
{
    double growth = (last - first) / ((CYCLES - SETTLE) / 1000.0);
    int met = growth < limit;

    printf("%-58s %9.1f %s per 1,000 cycles (%.0f -> %.0f)  goal 0: %s\n", name, growth, unit, first, last,
           met ? "met" : "MISSED");
    return met;
}

int main(void)
{
    struct sample settled = { 0 }, sample;
    int i, met = 0;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (getenv("MAPIHOST_BENCH_CYCLES")) CYCLES = atoi(getenv("MAPIHOST_BENCH_CYCLES"));
    write_profile();
    for (i = 1; i <= CYCLES; i++) {
        cycle();
        if (i == SETTLE) settled = measure();
        if (i % (CYCLES / 5) == 0) {
            sample = measure();
            printf("P4 cycle %5d: working set %.0f KB, %.0f handles, %.0f live MAPI buffers\n", i,
                   sample.working_set / 1024, sample.handles, sample.buffers);
        }
    }
    sample = measure();
    met += report("P4 working set growth", settled.working_set / 1024, sample.working_set / 1024, PAGE / 1024.0, "KB");
    met += report("P4 handle count growth", settled.handles, sample.handles, 1, "handles");
    met += report("P4 live MAPI buffers growth", settled.buffers, sample.buffers, 1, "buffers");
    DeleteFileA(profile_path);
    printf("summary: %d of 3 goals met\n", met);
    return 0;
}
