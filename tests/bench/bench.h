/*
 * Benchmarks (issue 9): each compares two ways of doing one thing in the same run, so the machine's speed cancels
 * out. A measurement repeats both sides ROUNDS times, interleaved, and reports the median ratio and its spread
 * (lowest and highest round) beside the goal. Never a test: nothing here fails the build, it prints.
 */
#ifndef MAPIHOST_BENCH_H
#define MAPIHOST_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

#define ROUNDS 11

/* Seconds of cost of running body(context) count times. */
static inline double bench_time(void (*body)(void *context, int count), void *context, int count)
{
    LARGE_INTEGER frequency, start, end;

    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&start);
    body(context, count);
    QueryPerformanceCounter(&end);
    return (double)(end.QuadPart - start.QuadPart) / (double)frequency.QuadPart;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

struct bench_result {
    double median, low, high;
};

/* The ratio time(measured) / time(baseline) over ROUNDS interleaved rounds of count runs each. */
static inline struct bench_result bench_ratio(void (*measured)(void *context, int count),
                                              void (*baseline)(void *context, int count), void *context, int count)
{
    double ratios[ROUNDS];
    struct bench_result result;
    int i;

    measured(context, count / 10 + 1); /* warm both up: DLLs paged in, caches filled */
    baseline(context, count / 10 + 1);
    for (i = 0; i < ROUNDS; i++) {
        double base = bench_time(baseline, context, count);
        ratios[i] = bench_time(measured, context, count) / base;
    }
    qsort(ratios, ROUNDS, sizeof(double), compare_doubles);
    result.median = ratios[ROUNDS / 2];
    result.low = ratios[0];
    result.high = ratios[ROUNDS - 1];
    return result;
}

/* One line per measurement: "P1 lifecycle / LoadLibrary+FreeLibrary: 1.05x (0.98-1.20), goal <= 1.10x: met". */
static inline int bench_report(const char *name, struct bench_result result, const char *goal_text, int met)
{
    printf("%-58s %7.2fx (%.2f-%.2f)  goal %s: %s\n", name, result.median, result.low, result.high, goal_text,
           met ? "met" : "MISSED");
    return met;
}

#endif
