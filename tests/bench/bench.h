/*
 * Benchmarks (P1–P4): each compares two ways of doing one thing in the same run, so the machine's speed cancels
 * out. A measurement repeats both sides ROUNDS times, interleaved, and reports the median ratio and its spread
 * (lowest and highest round) beside the goal. Never a test: nothing here fails the build, it prints.
 */
#ifndef MAPIHOST_BENCH_H
#define MAPIHOST_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <windows.h>
#include "mapihost.h"
#include "mapihost_x.h"

#define ROUNDS 11

/* Seconds since start, a QueryPerformanceCounter reading. */
static inline double bench_seconds_since(LARGE_INTEGER start)
{
    LARGE_INTEGER now, frequency;

    QueryPerformanceCounter(&now);
    QueryPerformanceFrequency(&frequency);
    return (double)(now.QuadPart - start.QuadPart) / (double)frequency.QuadPart;
}

/* Seconds of cost of running body(context) count times. */
static inline double bench_time(void (*body)(void *context, int count), void *context, int count)
{
    LARGE_INTEGER start;

    QueryPerformanceCounter(&start);
    body(context, count);
    return bench_seconds_since(start);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

struct bench_result {
    double median, low, high;
};

/* The median and spread of ROUNDS ratios (sorted in place). */
static inline struct bench_result bench_summary(double *ratios)
{
    struct bench_result result;

    qsort(ratios, ROUNDS, sizeof(double), compare_doubles);
    result.median = ratios[ROUNDS / 2];
    result.low = ratios[0];
    result.high = ratios[ROUNDS - 1];
    return result;
}

/* The ratio time(measured) / time(baseline) over ROUNDS interleaved rounds of count runs each. */
static inline struct bench_result bench_ratio(void (*measured)(void *context, int count),
                                              void (*baseline)(void *context, int count), void *context, int count)
{
    double ratios[ROUNDS];
    int i;

    measured(context, count / 10 + 1); /* warm both up: DLLs paged in, caches filled */
    baseline(context, count / 10 + 1);
    for (i = 0; i < ROUNDS; i++) {
        double base = bench_time(baseline, context, count);
        ratios[i] = bench_time(measured, context, count) / base;
    }
    return bench_summary(ratios);
}

/* One line per measurement: "P1 lifecycle / LoadLibrary+FreeLibrary: 1.05x (0.98-1.20), goal <= 1.10x: met". */
static inline int bench_report(const char *name, struct bench_result result, const char *goal_text, int met)
{
    printf("%-58s %7.2fx (%.2f-%.2f)  goal %s: %s\n", name, result.median, result.low, result.high, goal_text,
           met ? "met" : "MISSED");
    return met;
}

/* A new file name in the temporary folder, its full path in path, open for writing; the benchmark ends when it
 * cannot be made. bench_close_file closes it, and ends the benchmark when it could not be written. */
static inline FILE *bench_create_file(const char *name, char *path, size_t size)
{
    char folder[MAX_PATH];
    FILE *file;

    GetTempPathA(sizeof(folder), folder);
    snprintf(path, size, "%s%s", folder, name);
    if (!(file = fopen(path, "w"))) {
        fprintf(stderr, "bench: cannot write %s\n", path);
        exit(2);
    }
    return file;
}

static inline void bench_close_file(FILE *file, const char *path)
{
    if (fclose(file)) {
        fprintf(stderr, "bench: cannot write %s\n", path);
        exit(2);
    }
}

/* A call the benchmark relies on: a failure ends it with a message, so no figure is ever made of calls that failed. */
static inline void bench_check(HRESULT hr, const char *what)
{
    if (hr != S_OK) {
        fprintf(stderr, "bench: %s failed (%#lx); nothing is measured\n", what, (unsigned long)hr);
        exit(2);
    }
}

/* MAPILogonEx of the profile file at path, a new session; the benchmark ends when it fails. */
static inline IMAPISession *bench_logon(const char *path)
{
    IMAPISession *session;

    if (MAPILogonEx(0, (char *)path, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session) != S_OK) {
        fprintf(stderr, "bench: MAPILogonEx of %s failed\n", path);
        exit(2);
    }
    return session;
}

static inline void bench_logoff(IMAPISession *session)
{
    bench_check(IMAPISession_Logoff(session, 0, 0, 0), "IMAPISession::Logoff");
    IMAPISession_Release(session);
}

#endif
