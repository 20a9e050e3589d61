/*
 * The fuzz driver (fuzz.h). Coverage-guided, in the manner of libFuzzer and AFL, in one process under Wine:
 *
 *   mapihost_fuzz TARGET [--seed N] [--runs N | --seconds N] [--corpus DIR] [--findings DIR]
 *   mapihost_fuzz TARGET --replay PATH...      every file (or every file of a folder) once, no mutation
 *
 * Each run copies the input so that it ends at an inaccessible page, calls the target, and watches four things: a
 * crash (an unhandled exception), a hang (no run finishes for 10 s), a leak (MAPI buffers live after the run that were
 * not before) and a property the target asserts (fuzz_fail). Any of them is a finding: the input is saved in the
 * findings folder as <kind>-<hash>.bin, said on standard error, and the process exits 1. An input that reaches a
 * branch of the instrumented parsers no earlier input reached joins the corpus (in memory). The runs of a seed are
 * the same every time. Exit code 0 with no finding, 1 with one, 2 on usage.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_x.h"
#include "mapihost.h"
#include "fuzz.h"

#define MAX_INPUT 65536
#define MAP_SIZE 65536
#define MAX_CORPUS 8192
#define HANG_SECONDS 10

static const struct fuzz_target *const targets[] = {
    &fuzz_profile_target, &fuzz_mapisvc_target, &fuzz_rtf_target,
    &fuzz_dialog_target,  &fuzz_props_target,   &fuzz_msg_target,
};

/* Edges of the instrumented code this run took, and those any input of the corpus took. */
static BYTE coverage[MAP_SIZE], seen[MAP_SIZE];
static uintptr_t previous_block;

/* Called by the compiler at every branch of the instrumented files: the edge from the previous block to this one. */
void __sanitizer_cov_trace_pc(void)
{
    uintptr_t block = (uintptr_t)__builtin_return_address(0);

    block = (block ^ (block >> 15) ^ (block << 3)) & (MAP_SIZE - 1);
    coverage[block ^ previous_block] = 1;
    previous_block = block >> 1;
}

static const struct fuzz_target *target;
static const char *findings_folder;
static BYTE *guarded_end; /* the first byte of the inaccessible page */
static const BYTE *input; /* the run's input, ending at guarded_end */
static size_t input_size;
static volatile LONG runs; /* finished */

static uint64_t random_state;

static uint64_t next_random(void)
{
    random_state ^= random_state >> 12;
    random_state ^= random_state << 25;
    random_state ^= random_state >> 27;
    return random_state * 0x2545F4914F6CDD1DULL;
}

static size_t below(size_t limit)
{
    return limit ? (size_t)(next_random() % limit) : 0;
}

/* Saves the run's input as a finding and ends the process. */
static void __attribute__((noreturn)) finding(const char *kind, const char *why)
{
    char path[MAX_PATH];
    uint64_t hash = 14695981039346656037ULL;
    size_t i;
    FILE *file;

    for (i = 0; i < input_size; i++) hash = (hash ^ input[i]) * 1099511628211ULL;
    /* The folder and those above it, as needed. */
    snprintf(path, sizeof(path), "%s\\", findings_folder);
    for (i = 1; path[i]; i++)
        if (path[i] == '\\' || path[i] == '/') {
            char separator = path[i];
            path[i] = 0;
            CreateDirectoryA(path, NULL);
            path[i] = separator;
        }
    snprintf(path, sizeof(path), "%s\\%s-%016llx.bin", findings_folder, kind, (unsigned long long)hash);
    if ((file = fopen(path, "wb"))) {
        fwrite(input, 1, input_size, file);
        fclose(file);
    }
    fprintf(stderr, "fuzz %s: %s after %ld runs: %s; the input is %s\n", target->name, kind, runs, why, path);
    fflush(stderr);
    TerminateProcess(GetCurrentProcess(), 1);
    for (;;) {}
}

void fuzz_fail(const char *format, ...)
{
    char why[1024];
    va_list args;

    va_start(args, format);
    vsnprintf(why, sizeof(why), format, args);
    va_end(args);
    finding("fail", why);
}

static LONG WINAPI crashed(EXCEPTION_POINTERS *info)
{
    char why[128];

    snprintf(why, sizeof(why), "exception %#lx at %p", info->ExceptionRecord->ExceptionCode,
             info->ExceptionRecord->ExceptionAddress);
    finding("crash", why);
}

static DWORD WINAPI watchdog(void *unused)
{
    LONG last = -1, same = 0;

    for (;;) {
        Sleep(1000);
        if (runs != last) {
            last = runs;
            same = 0;
        } else if (++same >= HANG_SECONDS)
            finding("hang", "a run did not return within 10 s");
    }
}

/* One run: the input copied to end at the guard page, the target called, leaks and new edges counted. */
static BOOL run_one(const BYTE *data, size_t size)
{
    ULONG live = MapihostLiveBuffers();
    BOOL novel = FALSE;
    BYTE *copy = guarded_end - size;
    ULONG i;

    memcpy(copy, data, size);
    input = copy;
    input_size = size;
    memset(coverage, 0, sizeof(coverage));
    previous_block = 0;
    target->run(copy, size);
    if (MapihostLiveBuffers() != live) {
        char why[64];
        snprintf(why, sizeof(why), "%ld MAPI buffers more live after the run", (long)(MapihostLiveBuffers() - live));
        finding("leak", why);
    }
    InterlockedIncrement(&runs);
    for (i = 0; i < MAP_SIZE; i++)
        if (coverage[i] && !seen[i]) novel = seen[i] = 1;
    return novel;
}

struct corpus {
    BYTE *inputs[MAX_CORPUS];
    size_t sizes[MAX_CORPUS];
    ULONG count;
};

static void corpus_add(struct corpus *corpus, const BYTE *data, size_t size)
{
    BYTE *copy;

    if (corpus->count == MAX_CORPUS || !(copy = malloc(size ? size : 1))) return;
    memcpy(copy, data, size);
    corpus->inputs[corpus->count] = copy;
    corpus->sizes[corpus->count++] = size;
}

static BYTE *read_file(const char *path, size_t *size)
{
    FILE *file = fopen(path, "rb");
    BYTE *data = malloc(MAX_INPUT);

    *size = 0;
    if (!file || !data) {
        if (file) fclose(file);
        free(data);
        return NULL;
    }
    *size = fread(data, 1, MAX_INPUT, file);
    fclose(file);
    return data;
}

/* Each file of folder (or the file itself) to visit(path); FALSE when there is no such file or folder. */
static BOOL each_file(const char *path, void (*visit)(const char *path, void *context), void *context)
{
    char pattern[MAX_PATH], file[MAX_PATH];
    WIN32_FIND_DATAA found;
    HANDLE find;
    DWORD attributes = GetFileAttributesA(path);

    if (attributes == INVALID_FILE_ATTRIBUTES) return FALSE;
    if (!(attributes & FILE_ATTRIBUTE_DIRECTORY)) {
        visit(path, context);
        return TRUE;
    }
    snprintf(pattern, sizeof(pattern), "%s\\*", path);
    if ((find = FindFirstFileA(pattern, &found)) == INVALID_HANDLE_VALUE) return TRUE;
    do {
        if (found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY || found.cFileName[0] == '.') continue;
        snprintf(file, sizeof(file), "%s\\%s", path, found.cFileName);
        visit(file, context);
    } while (FindNextFileA(find, &found));
    FindClose(find);
    return TRUE;
}

static void replay_file(const char *path, void *context)
{
    size_t size;
    BYTE *data = read_file(path, &size);

    if (!data) return;
    run_one(data, size);
    free(data);
    ++*(ULONG *)context;
}

static void seed_file(const char *path, void *context)
{
    size_t size;
    BYTE *data = read_file(path, &size);

    if (!data) return;
    run_one(data, size);
    corpus_add(context, data, size);
    free(data);
}

static const ULONG interesting[] = {
    0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF
};

/* One change to data (size bytes, room for MAX_INPUT); the new size. */
static size_t mutate(BYTE *data, size_t size, const struct corpus *corpus)
{
    const char *const *dictionary = target->dictionary;
    size_t at = below(size + 1), length, words = 0, i;
    const char *token;
    ULONG value;

    while (dictionary && dictionary[words]) words++;
    switch (below(10)) {
    case 0:
        if (size) data[below(size)] ^= 1 << below(8);
        return size;
    case 1:
        if (size) data[below(size)] = (BYTE)next_random();
        return size;
    case 2:
        value = interesting[below(ARRAYSIZE(interesting))];
        length = (size_t)1 << below(3);
        if (at + length > size) return size;
        memcpy(data + at, &value, length);
        return size;
    case 3:
        length = 1 + below(16);
        if (size + length > MAX_INPUT) return size;
        memmove(data + at + length, data + at, size - at);
        for (i = 0; i < length; i++) data[at + i] = (BYTE)next_random();
        return size + length;
    case 4:
        if (at >= size) return size;
        length = 1 + below(size - at);
        memmove(data + at, data + at + length, size - at - length);
        return size - length;
    case 5:
        if (!size) return size;
        length = 1 + below(size < 64 ? size : 64);
        if (size + length > MAX_INPUT) return size;
        memmove(data + at + length, data + at, size - at);
        memcpy(data + at, data + below(size - length + 1), length);
        return size + length;
    case 6:
    case 7:
        if (!words) return size;
        token = dictionary[below(words)];
        length = strlen(token);
        if (size + length > MAX_INPUT) return size;
        memmove(data + at + length, data + at, size - at);
        memcpy(data + at, token, length);
        return size + length;
    case 8:
        if (corpus->count) {
            ULONG other = (ULONG)below(corpus->count);
            size_t from = below(corpus->sizes[other] + 1);
            length = corpus->sizes[other] - from;
            if (at + length > MAX_INPUT) length = MAX_INPUT - at;
            memcpy(data + at, corpus->inputs[other] + from, length);
            return at + length;
        }
        return size;
    default:
        if (size) data[below(size)] += (BYTE)(below(33) - 16);
        return size;
    }
}

static int usage(void)
{
    ULONG i;

    fputs("usage: mapihost_fuzz TARGET [--seed N] [--runs N | --seconds N] [--corpus DIR] [--findings DIR]\n"
          "       mapihost_fuzz TARGET --replay PATH...\ntargets:",
          stderr);
    for (i = 0; i < ARRAYSIZE(targets); i++) fprintf(stderr, " %s", targets[i]->name);
    fputc('\n', stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *corpus_folder = NULL;
    ULONGLONG seed = 1, max_runs = 0, seconds = 0, start;
    static struct corpus corpus;
    static BYTE work[MAX_INPUT];
    ULONG edges = 0, replayed = 0, i;
    BYTE *area;
    size_t size;
    int arg;

    if (argc < 2) return usage();
    for (i = 0; i < ARRAYSIZE(targets) && strcmp(targets[i]->name, argv[1]); i++) {}
    if (i == ARRAYSIZE(targets)) return usage();
    target = targets[i];
    findings_folder = ".";
    /* The input area: MAX_INPUT bytes, then a page nothing may touch. */
    if (!(area = VirtualAlloc(NULL, MAX_INPUT + 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE))
        || !VirtualProtect(area + MAX_INPUT, 4096, PAGE_NOACCESS, &(DWORD){ 0 }))
        return 2;
    guarded_end = area + MAX_INPUT;
    SetUnhandledExceptionFilter(crashed);
    CloseHandle(CreateThread(NULL, 0, watchdog, NULL, 0, NULL));
    if (FAILED(MAPIInitialize(NULL))) return 2;

    for (arg = 2; arg < argc; arg++) {
        if (!strcmp(argv[arg], "--replay")) {
            while (++arg < argc)
                if (!each_file(argv[arg], replay_file, &replayed)) {
                    fprintf(stderr, "fuzz %s: %s: no such file or folder\n", target->name, argv[arg]);
                    return 2;
                }
            printf("fuzz %s: %lu inputs replayed, no finding\n", target->name, replayed);
            MAPIUninitialize();
            return 0;
        }
        if (arg + 1 == argc) return usage();
        if (!strcmp(argv[arg], "--seed"))
            seed = _strtoui64(argv[++arg], NULL, 10);
        else if (!strcmp(argv[arg], "--runs"))
            max_runs = _strtoui64(argv[++arg], NULL, 10);
        else if (!strcmp(argv[arg], "--seconds"))
            seconds = _strtoui64(argv[++arg], NULL, 10);
        else if (!strcmp(argv[arg], "--corpus"))
            corpus_folder = argv[++arg];
        else if (!strcmp(argv[arg], "--findings"))
            findings_folder = argv[++arg];
        else
            return usage();
    }
    if (!max_runs && !seconds) max_runs = 10000;
    random_state = seed * 0x9E3779B97F4A7C15ULL + 1;

    run_one(work, 0);
    corpus_add(&corpus, work, 0);
    if (corpus_folder) each_file(corpus_folder, seed_file, &corpus);
    start = GetTickCount64();
    while ((!max_runs || (ULONGLONG)runs < max_runs) && (!seconds || GetTickCount64() - start < seconds * 1000)) {
        ULONG pick = (ULONG)below(corpus.count), changes = 1 + (ULONG)below(8);

        size = corpus.sizes[pick];
        memcpy(work, corpus.inputs[pick], size);
        while (changes--) size = mutate(work, size, &corpus);
        if (run_one(work, size)) corpus_add(&corpus, work, size);
    }
    for (i = 0; i < MAP_SIZE; i++) edges += seen[i];
    start = GetTickCount64() - start;
    printf("fuzz %s: %ld runs in %.1f s (%.0f/s), seed %llu, corpus %lu inputs, %lu edges, no finding\n", target->name,
           runs, start / 1000.0, start ? runs * 1000.0 / start : 0.0, (unsigned long long)seed, corpus.count, edges);
    MAPIUninitialize();
    return 0;
}
