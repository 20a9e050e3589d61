/*
 * A sampling profiler for the benchmarks, to measure where a missed goal's time goes rather than guess: with
 * MAPIHOST_BENCH_PROFILE set, a thread stops the measured thread every millisecond, and records where it was: the
 * innermost frame, and the innermost frame in mapihost.dll (found by unwinding a copy of the stopped thread's stack
 * with the modules' .pdata). At the end each is printed as module!0xRVA with its share of the samples;
 * tests/bench/resolve-profile turns the RVAs into function names with addr2line.
 */
#ifndef MAPIHOST_BENCH_SAMPLER_H
#define MAPIHOST_BENCH_SAMPLER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define SAMPLER_MAX 200000
#define SAMPLER_DEPTH 32

#define SAMPLER_STACK 32768

struct sampler {
    HANDLE target, thread;
    ULONG64 stack_base; /* the measured thread's stack, from its TEB */
    volatile LONG stop;
    ULONG64 *leaf, *ours; /* addresses */
    ULONG count;
    BYTE stack[SAMPLER_STACK];
};

static struct sampler sampler;

static BOOL in_module(ULONG64 address, HMODULE module)
{
    HMODULE found;

    return GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                              (const char *)address, &found)
           && found == module;
}

/* The innermost return address in module, unwinding from context over the stack copied at rsp; 0 if none. */
static ULONG64 sampler_frame_in(CONTEXT *context, HMODULE module, ULONG64 rsp, ULONG64 size)
{
    ULONG64 delta = (ULONG64)sampler.stack - rsp;
    int depth;

    /* The copy stands in for the stack, which has moved on since. */
    context->Rsp += delta;
    if (context->Rbp >= rsp && context->Rbp < rsp + size) context->Rbp += delta;
    for (depth = 0; depth < SAMPLER_DEPTH && context->Rip; depth++) {
        ULONG64 base, frame;
        void *handler_data;
        RUNTIME_FUNCTION *function;

        if (in_module(context->Rip, module)) return context->Rip;
        if (context->Rsp < (ULONG64)sampler.stack || context->Rsp + 8 > (ULONG64)sampler.stack + size) break;
        if (!(function = RtlLookupFunctionEntry(context->Rip, &base, NULL))) {
            context->Rip = *(ULONG64 *)context->Rsp; /* a leaf function: the return address is on top */
            context->Rsp += 8;
            continue;
        }
        RtlVirtualUnwind(UNW_FLAG_NHANDLER, base, context->Rip, function, context, &handler_data, &frame, NULL);
    }
    return 0;
}

/* While the thread is stopped, nothing that takes a lock it may hold (the loader's, the heap's): its registers and
 * a copy of the top of its stack only. The unwinding is done on the copy once it runs again. */
static DWORD WINAPI sampler_body(void *parameter)
{
    HMODULE ours = GetModuleHandleA("mapihost.dll");

    while (!sampler.stop && sampler.count < SAMPLER_MAX) {
        CONTEXT context = { .ContextFlags = CONTEXT_FULL };
        ULONG64 rsp = 0, size = 0;
        BOOL stopped;

        Sleep(1);
        if (SuspendThread(sampler.target) == (DWORD)-1) break;
        if ((stopped = GetThreadContext(sampler.target, &context))) {
            rsp = context.Rsp;
            size = sampler.stack_base > rsp ? min(sampler.stack_base - rsp, SAMPLER_STACK) : 0;
            memcpy(sampler.stack, (const void *)rsp, size);
        }
        ResumeThread(sampler.target);
        if (!stopped) continue;
        sampler.leaf[sampler.count] = context.Rip;
        sampler.ours[sampler.count++] = sampler_frame_in(&context, ours, rsp, size);
    }
    return 0;
}

static inline void sampler_start(void)
{
    if (!getenv("MAPIHOST_BENCH_PROFILE")) return;
    DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &sampler.target, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    sampler.leaf = calloc(SAMPLER_MAX, sizeof(ULONG64));
    sampler.ours = calloc(SAMPLER_MAX, sizeof(ULONG64));
    sampler.count = 0;
    sampler.stop = 0;
    sampler.stack_base = (ULONG64)((NT_TIB *)NtCurrentTeb())->StackBase;
    sampler.thread = CreateThread(NULL, 0, sampler_body, NULL, 0, NULL);
}

static int compare_addresses(const void *a, const void *b)
{
    ULONG64 x = *(const ULONG64 *)a, y = *(const ULONG64 *)b;

    return x < y ? -1 : x > y;
}

struct sampled_function {
    ULONG64 start;
    ULONG count;
};

static int compare_counts(const void *a, const void *b)
{
    const struct sampled_function *x = a, *y = b;

    return x->count > y->count ? -1 : x->count < y->count;
}

/* The functions the addresses fall in (their .pdata start), each printed as module!0xRVA with its share of the
 * samples, the most frequent first (up to 25). */
static void sampler_print(const char *what, ULONG64 *addresses, ULONG count)
{
    struct sampled_function *functions = calloc(count + 1, sizeof(*functions));
    ULONG i, n = 0;

    for (i = 0; i < count; i++) {
        ULONG64 base;
        RUNTIME_FUNCTION *function = addresses[i] ? RtlLookupFunctionEntry(addresses[i], &base, NULL) : NULL;
        if (function) addresses[i] = base + function->BeginAddress;
    }
    qsort(addresses, count, sizeof(*addresses), compare_addresses);
    for (i = 0; i < count; i++) {
        if (!n || functions[n - 1].start != addresses[i]) functions[n++].start = addresses[i];
        functions[n - 1].count++;
    }
    qsort(functions, n, sizeof(*functions), compare_counts);
    printf("profile, %s (%lu samples):\n", what, count);
    for (i = 0; i < n && i < 25; i++) {
        HMODULE module = NULL;
        char name[MAX_PATH] = "?", *leaf;

        if (functions[i].start
            && GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                                  (const char *)functions[i].start, &module))
            GetModuleFileNameA(module, name, sizeof(name));
        leaf = strrchr(name, '\\') ? strrchr(name, '\\') + 1 : name;
        printf("  %5.1f%%  %s!0x%llx\n", 100.0 * functions[i].count / count, leaf,
               (unsigned long long)(module ? functions[i].start - (ULONG64)module : functions[i].start));
    }
    free(functions);
}

static inline void sampler_stop(const char *what)
{
    if (!sampler.thread) return;
    sampler.stop = 1;
    WaitForSingleObject(sampler.thread, INFINITE);
    CloseHandle(sampler.thread);
    CloseHandle(sampler.target);
    sampler.thread = NULL;
    sampler_print("innermost frame", sampler.leaf, sampler.count);
    sampler_print("innermost frame in mapihost.dll", sampler.ours, sampler.count);
    free(sampler.leaf);
    free(sampler.ours);
}

#endif
