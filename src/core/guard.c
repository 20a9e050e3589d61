/*
 * Guarded calls (guard.h). A crash is an exception no handler of the provider's took: the system dispatches it up
 * the calling thread's frames, and the first frame above the provider's is guard_trampoline's, whose handler unwinds
 * to the trampoline (running the provider's termination handlers on the way) and returns 1 from it. Handlers the
 * provider or the system install run first, so an exception someone catches is no crash; exceptions outside guarded
 * calls never meet the handler, and the process's unhandled-exception filter is left alone. The host holds no lock
 * while a provider runs, so a crash leaves no host lock taken; what the provider held is lost with its frames, which
 * is why the host never calls it again.
 *
 * Hangs: each call on a client's thread is listed while in flight, and a watchdog thread reports one that passes
 * the timeout, once. In abandoning mode (MapihostAbandonHungCalls) the calls of each thread go to its one worker
 * thread instead, and the caller waits for it with the timeout: a hung worker is terminated and the thread's next
 * call gets a new one.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "guard.h"
#include "list.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(guard);

#define DEFAULT_TIMEOUT 30000
#define WATCHDOG_PERIOD 100     /* ms between the watchdog's looks */
#define WATCHDOG_IDLE_EXIT 5000 /* ms without calls in flight before the watchdog goes */

struct guarded_call {
    void (*call)(void *context);
    void *context;
    const char *what;
    DWORD code;    /* the exception, once crashed */
    void *address; /* where it was raised */
    char step[96]; /* guard_step's */
    ULONGLONG started;
    DWORD timeout;     /* MAPIHOST_CALL_TIMEOUT when it began */
    BOOL reported;     /* by the watchdog */
    struct list entry; /* in in_flight, while on a client's thread */
};

/* guard_trampoline(call, context, guarded): call(context), then 0; 1 when guard_frame_handler unwound a crash to
 * guard_landing. The guarded_call is kept at -8(%rbp), where the handler finds it from the establisher frame. */
LONG guard_trampoline(void (*call)(void *context), void *context, struct guarded_call *guarded);
extern const char guard_landing[];
__asm__(".text\n"
        ".def guard_trampoline; .scl 2; .type 32; .endef\n"
        ".globl guard_trampoline\n"
        ".seh_proc guard_trampoline\n"
        "guard_trampoline:\n"
        "    pushq %rbp\n"
        "    .seh_pushreg %rbp\n"
        "    movq %rsp, %rbp\n"
        "    .seh_setframe %rbp, 0\n"
        "    subq $48, %rsp\n"
        "    .seh_stackalloc 48\n"
        "    .seh_endprologue\n"
        "    movq %r8, -8(%rbp)\n"
        "    movq %rcx, %rax\n"
        "    movq %rdx, %rcx\n"
        "    callq *%rax\n"
        "    xorl %eax, %eax\n"
        ".globl guard_landing\n"
        "guard_landing:\n"
        "    movq %rbp, %rsp\n"
        "    popq %rbp\n"
        "    ret\n"
        "    .seh_handler guard_frame_handler, @except\n"
        "    .seh_endproc\n");

EXCEPTION_DISPOSITION guard_frame_handler(EXCEPTION_RECORD *record, void *frame, CONTEXT *context,
                                          DISPATCHER_CONTEXT *dispatch)
{
    struct guarded_call *call = *(struct guarded_call **)((char *)frame - 8);

    if (record->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)) return ExceptionContinueSearch;
    call->code = record->ExceptionCode;
    call->address = record->ExceptionAddress;
    RtlUnwindEx(frame, (void *)guard_landing, record, (void *)1, context, dispatch->HistoryTable);
    return ExceptionContinueSearch; /* not reached */
}

/* The guarded call running on this thread, for guard_step. */
static __thread struct guarded_call *current_call;

void guard_step(const char *object, const char *method)
{
    if (current_call) snprintf(current_call->step, sizeof(current_call->step), "%s::%s", object, method);
}

static enum guard_outcome run_here(struct guarded_call *call)
{
    struct guarded_call *outer = current_call;
    int crashed;

    current_call = call;
    crashed = guard_trampoline(call->call, call->context, call);
    current_call = outer;
    if (!crashed) return GUARD_RETURNED;
    /* The guard page a stack overflow used up is put back, or the thread's next overflow would end the process. */
    if (call->code == EXCEPTION_STACK_OVERFLOW) _resetstkoflw();
    return GUARD_CRASHED;
}

static DWORD call_timeout(void)
{
    char text[16];
    DWORD length = GetEnvironmentVariableA("MAPIHOST_CALL_TIMEOUT", text, sizeof(text));
    DWORD timeout = length && length < sizeof(text) ? strtoul(text, NULL, 10) : 0;

    return timeout ? timeout : DEFAULT_TIMEOUT;
}

/* The watchdog: started with the first call in flight, gone after WATCHDOG_IDLE_EXIT without one. It holds a
 * reference on mapihost.dll while it runs, so the DLL is never unloaded under it. */
static SRWLOCK in_flight_lock = SRWLOCK_INIT;
static struct list in_flight = LIST_INIT(in_flight);
static BOOL watchdog_running;

static DWORD WINAPI watchdog(void *module)
{
    DWORD timeout = 0, idle = 0;
    char what[256];
    struct list *cursor;

    TRACE("(%p)\n", module);
    for (;;) {
        Sleep(WATCHDOG_PERIOD);
        what[0] = 0;
        AcquireSRWLockExclusive(&in_flight_lock);
        if (list_empty(&in_flight) && (idle += WATCHDOG_PERIOD) >= WATCHDOG_IDLE_EXIT) {
            watchdog_running = FALSE;
            ReleaseSRWLockExclusive(&in_flight_lock);
            FreeLibraryAndExitThread(module, 0);
        }
        if (!list_empty(&in_flight)) idle = 0;
        LIST_FOR_EACH (cursor, &in_flight) {
            struct guarded_call *call = LIST_ENTRY(cursor, struct guarded_call, entry);
            if (call->reported || GetTickCount64() - call->started < call->timeout) continue;
            call->reported = TRUE;
            timeout = call->timeout;
            lstrcpynA(what, call->what, sizeof(what));
            break;
        }
        ReleaseSRWLockExclusive(&in_flight_lock);
        /* The sink is the client's code: never called under the lock. */
        if (what[0])
            event_error(ABOUT_HOST, "hang",
                        "%s has not returned within %lu ms (MAPIHOST_CALL_TIMEOUT); it runs on the client's "
                        "thread, which the host cannot take back, so the host goes on waiting for it",
                        what, timeout);
    }
}

static void call_begins(struct guarded_call *call)
{
    HMODULE module;
    HANDLE thread;

    call->started = GetTickCount64();
    call->timeout = call_timeout();
    AcquireSRWLockExclusive(&in_flight_lock);
    list_add_tail(&in_flight, &call->entry);
    if (!watchdog_running
        && GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (const char *)watchdog, &module)) {
        if ((thread = CreateThread(NULL, 0, watchdog, module, 0, NULL))) {
            watchdog_running = TRUE;
            CloseHandle(thread);
        } else
            FreeLibrary(module);
    }
    ReleaseSRWLockExclusive(&in_flight_lock);
}

static void call_ends(struct guarded_call *call)
{
    AcquireSRWLockExclusive(&in_flight_lock);
    list_remove(&call->entry);
    ReleaseSRWLockExclusive(&in_flight_lock);
}

/* Abandoning mode: one worker thread per calling thread, kept between calls. */
static LONG abandon_hung;
static INIT_ONCE worker_once = INIT_ONCE_STATIC_INIT;
static DWORD worker_tls = TLS_OUT_OF_INDEXES; /* a thread's worker; (void *)1 on a worker itself */

struct worker {
    HANDLE thread, go, done;
    struct guarded_call *call;
    enum guard_outcome outcome;
};

static BOOL CALLBACK init_worker_tls(INIT_ONCE *once, void *parameter, void **context)
{
    return (worker_tls = TlsAlloc()) != TLS_OUT_OF_INDEXES;
}

static DWORD WINAPI worker_thread(void *parameter)
{
    struct worker *worker = parameter;

    TRACE("(%p)\n", parameter);
    TlsSetValue(worker_tls, (void *)1);
    while (WaitForSingleObject(worker->go, INFINITE) == WAIT_OBJECT_0) {
        worker->outcome = run_here(worker->call);
        SetEvent(worker->done);
    }
    return 0;
}

static void worker_free(struct worker *worker)
{
    if (worker->thread) CloseHandle(worker->thread);
    if (worker->go) CloseHandle(worker->go);
    if (worker->done) CloseHandle(worker->done);
    free(worker);
}

static struct worker *worker_get(void)
{
    struct worker *worker = TlsGetValue(worker_tls);

    if (worker) return worker;
    if (!(worker = calloc(1, sizeof(*worker)))) return NULL;
    if (!(worker->go = CreateEventA(NULL, FALSE, FALSE, NULL))
        || !(worker->done = CreateEventA(NULL, FALSE, FALSE, NULL))
        || !(worker->thread = CreateThread(NULL, 0, worker_thread, worker, 0, NULL))) {
        worker_free(worker);
        return NULL;
    }
    TlsSetValue(worker_tls, worker);
    return worker;
}

static enum guard_outcome run_on_worker(struct guarded_call *call, DWORD *waited)
{
    struct worker *worker = worker_get();
    DWORD timeout = call_timeout();

    if (!worker) {
        WARN("no worker thread, calling on this one\n");
        return run_here(call);
    }
    worker->call = call;
    SetEvent(worker->go);
    if (WaitForSingleObject(worker->done, timeout) != WAIT_TIMEOUT) return worker->outcome;
    TerminateThread(worker->thread, 2);
    WaitForSingleObject(worker->thread, INFINITE);
    worker_free(worker);
    TlsSetValue(worker_tls, NULL);
    *waited = timeout;
    return GUARD_HUNG;
}

void WINAPI MapihostAbandonHungCalls(BOOL abandon)
{
    TRACE("(%#lx)\n", (unsigned long)abandon);
    InterlockedExchange(&abandon_hung, abandon != FALSE);
}

/* An address as module+offset, or the bare address outside any module. */
static void describe_address(void *address, char *out, size_t size)
{
    char path[MAX_PATH], *name;
    HMODULE module;

    if (!GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            address, &module)
        || !GetModuleFileNameA(module, path, sizeof(path))) {
        snprintf(out, size, "%p", address);
        return;
    }
    name = strrchr(path, '\\') ? strrchr(path, '\\') + 1 : path;
    snprintf(out, size, "%s+%#llx", name, (unsigned long long)((char *)address - (char *)module));
}

static enum guard_outcome guard(const char *what, void (*call)(void *context), void *context, struct guard_fault *fault,
                                BOOL may_move)
{
    struct guarded_call guarded = { .call = call, .context = context, .what = what };
    enum guard_outcome outcome;
    DWORD *code = &fault->code;

    memset(fault, 0, sizeof(*fault));
    /* A call made from inside a guarded call on a worker runs where it is: the outer call's time-out covers it. */
    if (may_move && InterlockedCompareExchange(&abandon_hung, 0, 0)
        && InitOnceExecuteOnce(&worker_once, init_worker_tls, NULL, NULL) && TlsGetValue(worker_tls) != (void *)1)
        outcome = run_on_worker(&guarded, code);
    else {
        call_begins(&guarded);
        outcome = run_here(&guarded);
        call_ends(&guarded);
    }
    if (outcome == GUARD_CRASHED) {
        *code = guarded.code;
        describe_address(guarded.address, fault->where, sizeof(fault->where));
    }
    /* On a hang the worker may still be writing it; the step was named before the call that hung. */
    memcpy(fault->step, guarded.step, sizeof(fault->step));
    fault->step[sizeof(fault->step) - 1] = 0;
    return outcome;
}

enum guard_outcome guard_run(const char *what, void (*call)(void *context), void *context, struct guard_fault *fault)
{
    return guard(what, call, context, fault, TRUE);
}

enum guard_outcome guard_run_here(const char *what, void (*call)(void *context), void *context,
                                  struct guard_fault *fault)
{
    return guard(what, call, context, fault, FALSE);
}
