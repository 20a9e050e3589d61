/*
 * MAPIInitialize and MAPIUninitialize: a process-wide count (spec §1A, H28). The count rises only when the call
 * succeeds, and an unbalanced MAPIUninitialize is reported, never fatal. When the last MAPIUninitialize brings
 * the count to zero, provider DLLs whose objects are all released are freed (H23, loader.c). The utilities learn the
 * count through utilities_set_mapi_count (util/utilinit.c): they work while MAPI or ScInitMapiUtil is initialised.
 * After DoFastShutdown the last MAPIUninitialize frees nothing (F7).
 *
 * COM: MAPIInitialize initialises COM on the calling thread (CoInitialize) unless MAPIINIT_0 says MAPI_NO_COINIT, and
 * each MAPIUninitialize on a thread balances one such CoInitialize of that thread. A thread already in the
 * multithreaded apartment keeps it: CoInitialize's RPC_E_CHANGED_MODE is no failure, and nothing is balanced.
 */
#include "mapihost_private.h"
#include "loader.h"
#include "core.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(init);

#define KNOWN_INIT_FLAGS (MAPI_MULTITHREAD_NOTIFICATIONS | MAPI_NT_SERVICE | MAPI_NO_COINIT)

static SRWLOCK lock = SRWLOCK_INIT;
static LONG init_count;
static __thread LONG com_inits; /* CoInitialize calls of this thread's MAPIInitialize not yet balanced */

/* Called once the count reaches zero, outside the lock: frees provider DLLs nothing uses any more (H23). */
static void on_last_uninitialize(void)
{
    support_free_config_all();
    support_free_invalid_vtables();
    library_unload_unused();
}

HRESULT WINAPI MAPIInitialize(LPVOID lpMapiInit)
{
    const MAPIINIT_0 *init = lpMapiInit;

    TRACE("(%p)\n", lpMapiInit);
    if (init) {
        if (init->ulVersion != MAPI_INIT_VERSION) {
            event_error(ABOUT_HOST, NULL, "MAPIInitialize: MAPIINIT_0 version %lu; only MAPI_INIT_VERSION (0) exists",
                        init->ulVersion);
            return MAPI_E_INVALID_PARAMETER;
        }
        if (init->ulFlags & ~KNOWN_INIT_FLAGS) {
            event_error(ABOUT_HOST, NULL, "MAPIInitialize: unknown MAPIINIT_0 flags %#lx",
                        init->ulFlags & ~KNOWN_INIT_FLAGS);
            return MAPI_E_UNKNOWN_FLAGS;
        }
    }
    if (!init || !(init->ulFlags & MAPI_NO_COINIT)) {
        HRESULT hr = CoInitialize(NULL);

        if (SUCCEEDED(hr))
            com_inits++;
        else if (hr != RPC_E_CHANGED_MODE) {
            event_error(ABOUT_HOST, NULL, "MAPIInitialize: CoInitialize failed with %s", hresult_text(hr));
            return hr; /* the documented exception: CoInitialize's own error */
        }
    }
    AcquireSRWLockExclusive(&lock);
    utilities_set_mapi_count(++init_count);
    TRACE("count now %ld\n", init_count);
    ReleaseSRWLockExclusive(&lock);
    return S_OK;
}

void WINAPI MAPIUninitialize(void)
{
    BOOL last;

    TRACE("()\n");
    AcquireSRWLockExclusive(&lock);
    if (init_count <= 0) {
        ReleaseSRWLockExclusive(&lock);
        event_error(ABOUT_HOST, "H28", "MAPIUninitialize without a matching MAPIInitialize; ignored (H28)");
        return;
    }
    last = --init_count == 0;
    utilities_set_mapi_count(init_count);
    TRACE("count now %ld\n", init_count);
    ReleaseSRWLockExclusive(&lock);
    if (last && process_fast_shutdown_done()) {
        /* F7, E27: the client should have exited; provider DLLs stay loaded until it does, and no leak is told. */
        process_late_call("MAPIUninitialize");
        event_step(ABOUT_HOST, "MAPIUninitialize after DoFastShutdown: nothing is torn down, no provider DLL is freed");
    } else if (last) {
        /* A ScInitMapiUtil of the caller's own is not undone here: its utilities keep working until its own
         * DeinitMapiUtil (U7). */
        on_last_uninitialize();
    }
    /* This thread's CoInitialize, last: provider DLLs were freed with COM still up (H23). */
    if (com_inits) {
        com_inits--;
        CoUninitialize();
    }
}
