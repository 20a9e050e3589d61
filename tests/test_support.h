/* Helpers shared by the unit tests: temporary files and a capture of the host's event log. */
#ifndef MAPIHOST_TEST_SUPPORT_H
#define MAPIHOST_TEST_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <windows.h>

#include "mapihost.h"
#include "mapihost_x.h"

/* A page nothing can read, for the tests of what a function does with unreadable memory, and MAPI initialized: a
 * group's setup and teardown. */
static void *no_access;

static inline int setup_unreadable_page(void **state)
{
    no_access = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_NOACCESS);
    return !no_access || MAPIInitialize(NULL) != S_OK;
}

static inline int teardown_unreadable_page(void **state)
{
    MAPIUninitialize();
    VirtualFree(no_access, 0, MEM_RELEASE);
    return 0;
}

/* Writes text to a new file in a fresh temporary folder; path receives its full name. */
static inline void write_temp_file(const char *name, const char *text, char *path, size_t size)
{
    char folder[MAX_PATH];
    FILE *file;

    GetTempPathA(sizeof(folder), folder);
    snprintf(path, size, "%smapihost-test-%lu-%s", folder, (unsigned long)GetCurrentProcessId(), name);
    file = fopen(path, "wb");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
}

/* The first error or violation event since capture_errors(): the root cause, which later ones may follow from. */
static char last_error[512];

static inline void WINAPI capture_event(void *context, ULONG severity, const char *line)
{
    if (severity != MAPIHOST_EVENT_STEP && !last_error[0]) snprintf(last_error, sizeof(last_error), "%s", line);
}

static inline void capture_errors(void)
{
    last_error[0] = 0;
    MapihostSetEventSink(capture_event, NULL);
}

#define assert_error_mentions(text)                                                                                    \
    do {                                                                                                               \
        if (!strstr(last_error, (text))) fail_msg("error event \"%s\" does not mention \"%s\"", last_error, (text));   \
    } while (0)

/* An advise sink that counts its notifications and keeps the last one's kind; its refcount is checked by tests. */
struct test_sink {
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refcount;
    ULONG changes;          /* OnNotify calls */
    ULONG last_type;        /* ulEventType of the last notification */
    ULONG last_table_event; /* for fnevTableModified */
    char table_log[512];    /* each table event: "added 4 after 3", "deleted 1 after -", ... (PT_LONG keys) */
};

static inline HRESULT WINAPI test_sink_QueryInterface(IMAPIAdviseSink *iface, REFIID riid, void **out)
{
    *out = NULL;
    return E_NOINTERFACE;
}

static inline ULONG WINAPI test_sink_AddRef(IMAPIAdviseSink *iface)
{
    return InterlockedIncrement(&CONTAINING_RECORD(iface, struct test_sink, IMAPIAdviseSink_iface)->refcount);
}

static inline ULONG WINAPI test_sink_Release(IMAPIAdviseSink *iface)
{
    return InterlockedDecrement(&CONTAINING_RECORD(iface, struct test_sink, IMAPIAdviseSink_iface)->refcount);
}

static inline ULONG WINAPI test_sink_OnNotify(IMAPIAdviseSink *iface, ULONG count, NOTIFICATION *notifications)
{
    struct test_sink *sink = CONTAINING_RECORD(iface, struct test_sink, IMAPIAdviseSink_iface);

    sink->changes++;
    sink->last_type = notifications[count - 1].ulEventType;
    if (sink->last_type == fnevTableModified) sink->last_table_event = notifications[count - 1].info.tab.ulTableEvent;
    for (ULONG i = 0; i < count; i++) {
        static const char *const names[] = { "?",        "changed", "error", "added", "deleted",
                                             "modified", "?",       "?",     "?",     "reload" };
        const TABLE_NOTIFICATION *table = &notifications[i].info.tab;
        size_t length = strlen(sink->table_log);
        char index[16] = "-", prior[16] = "-";

        if (notifications[i].ulEventType != fnevTableModified) continue;
        if (PROP_TYPE(table->propIndex.ulPropTag) == PT_LONG)
            snprintf(index, sizeof(index), "%ld", table->propIndex.Value.l);
        if (PROP_TYPE(table->propPrior.ulPropTag) == PT_LONG)
            snprintf(prior, sizeof(prior), "%ld", table->propPrior.Value.l);
        snprintf(sink->table_log + length, sizeof(sink->table_log) - length, "%s%s %s after %s", length ? ", " : "",
                 names[table->ulTableEvent < 10 ? table->ulTableEvent : 0], index, prior);
    }
    return 0;
}

static const IMAPIAdviseSinkVtbl test_sink_vtbl = {
    test_sink_QueryInterface,
    test_sink_AddRef,
    test_sink_Release,
    test_sink_OnNotify,
};
#define TEST_SINK_INIT                                                                                                 \
    {                                                                                                                  \
        .IMAPIAdviseSink_iface = { &test_sink_vtbl }, .refcount = 1                                                    \
    }

/* Fixtures: MAPI initialised around each test, and no MAPI buffer left behind by it (H26). */
static ULONG buffers_before_test;

static inline int initialize_mapi(void **state)
{
    buffers_before_test = MapihostLiveBuffers();
    return MAPIInitialize(NULL) == S_OK ? 0 : -1;
}

static inline int uninitialize_mapi(void **state)
{
    ULONG leaked = MapihostLiveBuffers() - buffers_before_test;

    MAPIUninitialize();
    if (leaked) print_error("%lu MAPI buffers leaked by the test\n", leaked);
    return leaked ? -1 : 0;
}

#define mapi_test(f) cmocka_unit_test_setup_teardown(f, initialize_mapi, uninitialize_mapi)

#endif
