/*
 * P1: a whole provider lifecycle through mapihost (MAPIInitialize, MAPILogonEx of one address book, Logoff, Release,
 * MAPIUninitialize with its FreeLibrary) against a bare LoadLibrary + FreeLibrary of the same provider DLL.
 * P3: MAPIAllocateBuffer + 8 x MAPIAllocateMore + MAPIFreeBuffer, mapihost's against Wine's mapi32 in the same
 * process (its x64 exports, found by name), on one thread and on 8 at once.
 */
#include <string.h>

#include "bench.h"
#include "sampler.h"

static char profile_path[MAX_PATH];

static void lifecycle(void *context, int count)
{
    int i;

    for (i = 0; i < count; i++) {
        bench_check(MAPIInitialize(NULL), "MAPIInitialize");
        bench_logoff(bench_logon(profile_path));
        MAPIUninitialize();
    }
}

static void load_and_free(void *context, int count)
{
    int i;

    for (i = 0; i < count; i++) {
        HMODULE module = LoadLibraryA("sampleab32.dll");

        if (!module || !FreeLibrary(module)) bench_check(HRESULT_FROM_WIN32(GetLastError()), "sampleab32.dll's load");
    }
}

typedef SCODE(WINAPI ALLOCATE_BUFFER)(ULONG size, void **out);
typedef SCODE(WINAPI ALLOCATE_MORE)(ULONG size, void *parent, void **out);
typedef ULONG(WINAPI FREE_BUFFER)(void *buffer);

struct allocator {
    ALLOCATE_BUFFER *buffer;
    ALLOCATE_MORE *more;
    FREE_BUFFER *free;
    const char *name;
};

static struct allocator ours = { MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, "mapihost's allocator" },
                        wines = { .name = "Wine's mapi32 allocator" };

static void allocate_chain(const struct allocator *allocator, int count)
{
    void *root, *child;
    int i, j;

    for (i = 0; i < count; i++) {
        bench_check(allocator->buffer(64, &root), allocator->name);
        for (j = 0; j < 8; j++) bench_check(allocator->more(32 + j * 8, root, &child), allocator->name);
        bench_check(allocator->free(root), allocator->name);
    }
}

static void chain_ours(void *context, int count)
{
    allocate_chain(&ours, count);
}

static void chain_wines(void *context, int count)
{
    allocate_chain(&wines, count);
}

struct threaded {
    void (*body)(void *context, int count);
    int count;
};

static DWORD WINAPI thread_body(void *parameter)
{
    struct threaded *run = parameter;

    run->body(NULL, run->count);
    return 0;
}

/* body run on 8 threads at once, each count times. */
static void on_eight_threads(void (*body)(void *context, int count), int count)
{
    struct threaded run = { body, count };
    HANDLE threads[8];
    int i;

    for (i = 0; i < 8; i++)
        if (!(threads[i] = CreateThread(NULL, 0, thread_body, &run, 0, NULL)))
            bench_check(HRESULT_FROM_WIN32(GetLastError()), "CreateThread");
    if (WaitForMultipleObjects(8, threads, TRUE, INFINITE) != WAIT_OBJECT_0) bench_check(E_FAIL, "the threads' end");
    for (i = 0; i < 8; i++) CloseHandle(threads[i]);
}

static void chain_ours_8(void *context, int count)
{
    on_eight_threads(chain_ours, count);
}

static void chain_wines_8(void *context, int count)
{
    on_eight_threads(chain_wines, count);
}

/* Wine's own mapi32: loaded by name, Wine's loader prefers its builtin to the forwarder in the bin folder; its
 * builtins carry "Wine builtin DLL" after the DOS header, which tells them from ours. */
static BOOL find_wines_allocator(void)
{
    HMODULE mapi32 = LoadLibraryA("mapi32.dll");

    if (!mapi32 || memcmp((char *)mapi32 + 0x40, "Wine builtin DLL", 16)) return FALSE;
    wines.buffer = (ALLOCATE_BUFFER *)(void *)GetProcAddress(mapi32, "MAPIAllocateBuffer");
    wines.more = (ALLOCATE_MORE *)(void *)GetProcAddress(mapi32, "MAPIAllocateMore");
    wines.free = (FREE_BUFFER *)(void *)GetProcAddress(mapi32, "MAPIFreeBuffer");
    return wines.buffer && wines.more && wines.free;
}

int main(void)
{
    static const char profile[] =
        "[Services]\nDirectory = Sample directory\n[Directory]\nProviders = Sample AB\n"
        "[Sample AB]\nPR_PROVIDER_DLL_NAME = sampleab.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"
        "[Sample AB settings]\nMAPIUID = 6D617069686F737453616D706C654142\n6610001F = the bench directory\n";
    struct bench_result result;
    int met = 0, goals = 0;
    FILE *file;

    setvbuf(stdout, NULL, _IONBF, 0);
    file = bench_create_file("mapihost-bench.inf", profile_path, sizeof(profile_path));
    fputs(profile, file);
    bench_close_file(file, profile_path);

    if (getenv("MAPIHOST_BENCH_PROFILE")) {
        lifecycle(NULL, 20);
        sampler_start();
        lifecycle(NULL, 1000);
        sampler_stop("the lifecycle");
        sampler_start();
        load_and_free(NULL, 1000);
        sampler_stop("LoadLibrary+FreeLibrary");
        bench_check(MAPIInitialize(NULL), "MAPIInitialize");
        sampler_start();
        chain_ours(NULL, 200000);
        sampler_stop("mapihost's allocator chain");
        MAPIUninitialize();
        return 0;
    }
    result = bench_ratio(lifecycle, load_and_free, NULL, 300);
    met += bench_report("P1 lifecycle / bare LoadLibrary+FreeLibrary", result, "<= 1.10x", result.median <= 1.10);
    goals++;

    if (find_wines_allocator()) {
        /* As every client and provider runs it: MAPI initialized, which mapihost's allocator requires (the lifecycle
         * rounds above have uninitialized it). Each chain checks every call. */
        bench_check(MAPIInitialize(NULL), "MAPIInitialize");
        /* Speed is the inverse of time: Wine's time over ours. */
        result = bench_ratio(chain_wines, chain_ours, NULL, 20000);
        met += bench_report("P3 allocator speed, mapihost / Wine's mapi32", result, ">= 2x", result.median >= 2.0);
        goals++;
        result = bench_ratio(chain_wines_8, chain_ours_8, NULL, 5000);
        met += bench_report("P3 allocator speed on 8 threads, mapihost / Wine's mapi32", result, ">= 2x",
                            result.median >= 2.0);
        goals++;
        MAPIUninitialize();
    } else
        printf("P3: mapi32.dll here is not Wine's builtin (mapihost is the system's MAPI?): not measured\n");

    DeleteFileA(profile_path);
    printf("summary: %d of %d goals met\n", met, goals);
    return 0;
}
