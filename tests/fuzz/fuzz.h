/*
 * mapihost's in-process fuzzer (tests/fuzz/): a driver (fuzz.c) that mutates inputs and keeps those that reach code
 * no earlier input reached, and the targets, one file each, that hand an input to one of mapihost's parsers of
 * untrusted bytes. The parsers' files are compiled with -fsanitize-coverage=trace-pc, so the driver sees which of
 * their branches an input takes. An input always ends at an inaccessible page: a read past its end faults.
 */
#ifndef MAPIHOST_FUZZ_H
#define MAPIHOST_FUZZ_H

#include <stddef.h>
#include <windows.h>

struct fuzz_target {
    const char *name;
    void (*run)(const BYTE *data, size_t size);
    const char *const *dictionary; /* tokens the mutator inserts, NULL-terminated; or NULL */
};

/* An input broke a property the target asserts (a text written that reads back otherwise, ...): the driver keeps
 * the input as a finding, as it does a crash, and stops. */
void fuzz_fail(const char *format, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The targets (target_*.c). */
extern const struct fuzz_target fuzz_profile_target, fuzz_mapisvc_target, fuzz_rtf_target, fuzz_dialog_target,
    fuzz_props_target, fuzz_msg_target;

#endif
