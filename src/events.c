/* The event log: one line per lifecycle step or rule broken, for the checker's report and for tests. */
#include <stdio.h>

#include "mapihost_private.h"
#include "mapihost.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(events);

static SRWLOCK lock = SRWLOCK_INIT;
static MAPIHOST_EVENT_SINK *event_sink;
static void *event_context;
static LONG counts[3];

void WINAPI MapihostSetEventSink(MAPIHOST_EVENT_SINK *sink, void *context)
{
    AcquireSRWLockExclusive(&lock);
    event_sink = sink;
    event_context = context;
    ReleaseSRWLockExclusive(&lock);
}

ULONG WINAPI MapihostEventCount(ULONG severity)
{
    return severity < 3 ? (ULONG)InterlockedCompareExchange(&counts[severity], 0, 0) : 0;
}

void mapihost_event(ULONG severity, const char *format, ...)
{
    MAPIHOST_EVENT_SINK *sink;
    void *context;
    char line[512];
    va_list args;

    va_start(args, format);
    vsnprintf(line, sizeof(line), format, args);
    va_end(args);
    InterlockedIncrement(&counts[severity]);
    TRACE("%lu %s\n", severity, line);

    AcquireSRWLockShared(&lock);
    sink = event_sink;
    context = event_context;
    ReleaseSRWLockShared(&lock);
    /* Called outside the lock: a sink may well call back into MAPI. */
    if (sink) sink(context, severity, line);
}

ULONG WINAPI MapihostLiveBuffers(void)
{
    return mapihost_live_buffers();
}
