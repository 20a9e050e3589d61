/*
 * Guarded calls. A crash is an exception no handler took: the process's unhandled-exception filter sees it on the
 * faulting thread, and when that thread is one of ours it ends the thread instead of the process. Handlers the
 * provider or the system install still run first, so an exception someone catches is no crash. The filter is the
 * process's, and clients (test frameworks among them) set their own: ours is installed for each guarded call and the
 * one before it put back afterwards; exceptions on other threads go on to it. A hang is a call
 * that does not return in time: its thread is terminated. The host holds no lock while a provider runs, so neither
 * leaves a host lock taken; what the provider held is lost with it, which is why the host never calls it again.
 */
#include <stdlib.h>

#include "mapihost_private.h"
#include "guard.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(guard);

#define DEFAULT_TIMEOUT 30000

struct guarded_call {
    void (*call)(void *context);
    void *context;
    BOOL crashed;
    DWORD code;
};

static INIT_ONCE init_once = INIT_ONCE_STATIC_INIT;
static DWORD tls_index = TLS_OUT_OF_INDEXES;
static LPTOP_LEVEL_EXCEPTION_FILTER chained_filter; /* the client's, for exceptions not on our threads */

static LONG WINAPI unhandled_exception(EXCEPTION_POINTERS *info)
{
    struct guarded_call *call = tls_index != TLS_OUT_OF_INDEXES ? TlsGetValue(tls_index) : NULL;

    if (!call) return chained_filter ? chained_filter(info) : EXCEPTION_CONTINUE_SEARCH;
    call->code = info->ExceptionRecord->ExceptionCode;
    call->crashed = TRUE;
    ExitThread(1);
}

static BOOL CALLBACK init_guard(INIT_ONCE *once, void *parameter, void **context)
{
    return (tls_index = TlsAlloc()) != TLS_OUT_OF_INDEXES;
}

static DWORD WINAPI guarded_thread(void *parameter)
{
    struct guarded_call *call = parameter;

    TlsSetValue(tls_index, call);
    call->call(call->context);
    TlsSetValue(tls_index, NULL);
    return 0;
}

static DWORD call_timeout(void)
{
    char text[16];
    DWORD length = GetEnvironmentVariableA("MAPIHOST_CALL_TIMEOUT", text, sizeof(text));
    DWORD timeout = length && length < sizeof(text) ? strtoul(text, NULL, 10) : 0;

    return timeout ? timeout : DEFAULT_TIMEOUT;
}

enum guard_outcome guard_run(void (*call)(void *context), void *context, DWORD *code)
{
    struct guarded_call guarded = { call, context, FALSE, 0 };
    LPTOP_LEVEL_EXCEPTION_FILTER previous;
    DWORD timeout = call_timeout();
    enum guard_outcome outcome;
    HANDLE thread;

    *code = 0;
    if (!InitOnceExecuteOnce(&init_once, init_guard, NULL, NULL)
        || !(thread = CreateThread(NULL, 0, guarded_thread, &guarded, CREATE_SUSPENDED, NULL))) {
        /* No thread to spare: the call runs unguarded rather than not at all. */
        WARN("no guarded thread, calling directly\n");
        call(context);
        return GUARD_RETURNED;
    }
    previous = SetUnhandledExceptionFilter(unhandled_exception);
    if (previous != unhandled_exception) chained_filter = previous;
    ResumeThread(thread);
    if (WaitForSingleObject(thread, timeout) == WAIT_TIMEOUT) {
        TerminateThread(thread, 2);
        WaitForSingleObject(thread, INFINITE);
        *code = timeout;
        outcome = GUARD_HUNG;
    } else if (guarded.crashed) {
        *code = guarded.code;
        outcome = GUARD_CRASHED;
    } else outcome = GUARD_RETURNED;
    SetUnhandledExceptionFilter(previous);
    CloseHandle(thread);
    return outcome;
}
