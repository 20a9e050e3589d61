/* The event log: one line per lifecycle step or rule broken, for the checker's report and for tests. */
#include <stdarg.h>
#include <stdio.h>

#include "mapihost_private.h"
#include "mapihost.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(event);

static SRWLOCK lock = SRWLOCK_INIT;
static MAPIHOST_EVENT_SINK *event_sink;
static void *event_context;
static MAPIHOST_EVENT_RECORD_SINK *record_sink;
static void *record_context;
static LONG counts[3];

void WINAPI MapihostSetEventSink(MAPIHOST_EVENT_SINK *sink, void *context)
{
    TRACE("(%p, %p)\n", sink, context);
    AcquireSRWLockExclusive(&lock);
    event_sink = sink;
    event_context = context;
    ReleaseSRWLockExclusive(&lock);
}

void WINAPI MapihostSetEventRecordSink(MAPIHOST_EVENT_RECORD_SINK *sink, void *context)
{
    TRACE("(%p, %p)\n", sink, context);
    AcquireSRWLockExclusive(&lock);
    record_sink = sink;
    record_context = context;
    ReleaseSRWLockExclusive(&lock);
}

ULONG WINAPI MapihostEventCount(ULONG severity)
{
    TRACE("(%#lx)\n", severity);
    return severity < 3 ? (ULONG)InterlockedCompareExchange(&counts[severity], 0, 0) : 0;
}

static void log_event(ULONG severity, struct event_about about, const char *rule, const char *format, va_list args)
{
    MAPIHOST_EVENT event = { severity, rule, about.dll, about.provider, about.logon, NULL };
    MAPIHOST_EVENT_RECORD_SINK *records;
    MAPIHOST_EVENT_SINK *sink;
    void *context, *records_context;
    char line[512];

    InterlockedIncrement(&counts[severity]);
    AcquireSRWLockShared(&lock);
    sink = event_sink;
    context = event_context;
    records = record_sink;
    records_context = record_context;
    ReleaseSRWLockShared(&lock);
    /* No work nobody reads: the line is formatted only for a sink or the debug channel. */
    if (!sink && !records && !mapihost_debug_enabled(&mapihost_channel, MAPIHOST_TRACE)) return;
    vsnprintf(line, sizeof(line), format, args);
    TRACE("%lu %s %s\n", severity, rule ? rule : "-", line);
    event.lpszLine = line;
    /* Called outside the lock: a sink may well call back into MAPI. */
    if (sink) sink(context, severity, line);
    if (records) records(records_context, &event);
}

void event_log(ULONG severity, struct event_about about, const char *rule, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    log_event(severity, about, rule, format, args);
    va_end(args);
}

void event_step(struct event_about about, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    log_event(MAPIHOST_EVENT_STEP, about, NULL, format, args);
    va_end(args);
}

void event_violation(struct event_about about, const char *rule, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    log_event(MAPIHOST_EVENT_VIOLATION, about, rule, format, args);
    va_end(args);
}

void event_error(struct event_about about, const char *rule, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    log_event(MAPIHOST_EVENT_ERROR, about, rule, format, args);
    va_end(args);
}

/* An HRESULT for an event line: "S_OK", or the MAPI_E_ name and the number, or the number alone. */
const char *hresult_text(HRESULT hr)
{
    static const struct {
        HRESULT hr;
        const char *name;
    } names[] = {
#define NAME(code) { code, #code }
        NAME(S_OK),
        NAME(S_FALSE),
        NAME(E_UNEXPECTED),
        NAME(E_NOTIMPL),
        NAME(MAPI_W_ERRORS_RETURNED),
        NAME(MAPI_E_CALL_FAILED),
        NAME(MAPI_E_NOT_ENOUGH_MEMORY),
        NAME(MAPI_E_INVALID_PARAMETER),
        NAME(MAPI_E_INTERFACE_NOT_SUPPORTED),
        NAME(MAPI_E_NO_ACCESS),
        NAME(MAPI_E_NO_SUPPORT),
        NAME(MAPI_E_UNKNOWN_FLAGS),
        NAME(MAPI_E_INVALID_ENTRYID),
        NAME(MAPI_E_INVALID_OBJECT),
        NAME(MAPI_E_NOT_FOUND),
        NAME(MAPI_E_VERSION),
        NAME(MAPI_E_LOGON_FAILED),
        NAME(MAPI_E_SESSION_LIMIT),
        NAME(MAPI_E_USER_CANCEL),
        NAME(MAPI_E_CORRUPT_DATA),
        NAME(MAPI_E_UNCONFIGURED),
        NAME(MAPI_E_FAILONEPROVIDER),
        NAME(MAPI_E_UNKNOWN_CPID),
        NAME(MAPI_E_UNKNOWN_LCID),
        NAME(MAPI_E_END_OF_SESSION),
        NAME(MAPI_E_UNKNOWN_ENTRYID),
        NAME(MAPI_E_NOT_INITIALIZED),
        NAME(MAPI_E_OBJECT_CHANGED),
        NAME(MAPI_E_BUSY),
        NAME(MAPI_E_COLLISION),
        NAME(MAPI_E_DISK_ERROR),
        NAME(MAPI_E_BAD_CHARWIDTH),
        NAME(MAPI_E_EXTENDED_ERROR),
        NAME(MAPI_E_COMPUTED),
        NAME(MAPI_E_INVALID_TYPE),
        NAME(MAPI_E_NETWORK_ERROR),
        NAME(MAPI_E_UNABLE_TO_ABORT),
        NAME(MAPI_E_OBJECT_DELETED),
        NAME(MAPI_E_WAIT),
        NAME(MAPI_E_CANCEL),
        NAME(MAPI_E_NOT_ME),
        NAME(MAPI_E_CORRUPT_STORE),
        NAME(MAPI_E_NOT_IN_QUEUE),
        NAME(MAPI_E_NO_RECIPIENTS),
        NAME(MAPI_E_SUBMITTED),
#undef NAME
    };
    static char buffers[8][64];
    static LONG next;
    char *buffer;
    ULONG i;

    for (i = 0; i < ARRAYSIZE(names); i++)
        if (names[i].hr == hr) {
            if (!hr) return names[i].name;
            buffer = buffers[InterlockedIncrement(&next) % ARRAYSIZE(buffers)];
            snprintf(buffer, sizeof(buffers[0]), "%s (%#lx)", names[i].name, (unsigned long)hr);
            return buffer;
        }
    buffer = buffers[InterlockedIncrement(&next) % ARRAYSIZE(buffers)];
    snprintf(buffer, sizeof(buffers[0]), "%#lx", (unsigned long)hr);
    return buffer;
}

/* The published name of an HRESULT (mapihost.h), for the tools and clients. */
const char *WINAPI MapihostErrorName(HRESULT hr)
{
    TRACE("(%#lx)\n", hr);
    return hresult_text(hr);
}
