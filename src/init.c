/*
 * MAPIInitialize and MAPIUninitialize: a process-wide count (spec §1A, H28). The count rises only when the call
 * succeeds, and an unbalanced MAPIUninitialize is reported, never fatal. When the last MAPIUninitialize brings
 * the count to zero, provider DLLs whose objects are all released are freed (H23, loader.c).
 */
#include "mapihost_private.h"
#include "loader.h"
#include "session.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(init);

#define KNOWN_INIT_FLAGS (MAPI_MULTITHREAD_NOTIFICATIONS | MAPI_NT_SERVICE | MAPI_NO_COINIT)

static SRWLOCK lock = SRWLOCK_INIT;
static LONG init_count;

/* ScInitMapiUtil's count (U7): the utilities and the allocators work while either count is positive. */
static LONG util_count;

BOOL mapihost_is_initialized(void)
{
    return InterlockedCompareExchange(&init_count, 0, 0) > 0;
}

BOOL mapihost_utilities_ready(void)
{
    return mapihost_is_initialized() || InterlockedCompareExchange(&util_count, 0, 0) > 0;
}

SCODE WINAPI ScInitMapiUtil(ULONG flags)
{
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    InterlockedIncrement(&util_count);
    return S_OK;
}

void WINAPI DeinitMapiUtil(void)
{
    if (InterlockedDecrement(&util_count) < 0) InterlockedIncrement(&util_count);
}

/* U93: OLE storage codes as MAPI's. */
SCODE WINAPI MapStorageSCode(SCODE code)
{
    switch (code) {
    case S_OK: return S_OK;
    case STG_E_ACCESSDENIED: return MAPI_E_NO_ACCESS;
    case STG_E_FILENOTFOUND: case STG_E_PATHNOTFOUND: return MAPI_E_NOT_FOUND;
    case STG_E_INSUFFICIENTMEMORY: return MAPI_E_NOT_ENOUGH_MEMORY;
    case STG_E_INVALIDPARAMETER: return MAPI_E_INVALID_PARAMETER;
    case STG_E_MEDIUMFULL: return MAPI_E_NOT_ENOUGH_DISK;
    }
    return MAPI_E_CALL_FAILED;
}

void mapihost_on_last_uninitialize(void)
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
            EVENT_ERROR("MAPIInitialize: MAPIINIT_0 version %lu; only MAPI_INIT_VERSION (0) exists", init->ulVersion);
            return MAPI_E_INVALID_PARAMETER;
        }
        if (init->ulFlags & ~KNOWN_INIT_FLAGS) {
            EVENT_ERROR("MAPIInitialize: unknown MAPIINIT_0 flags %#lx", init->ulFlags & ~KNOWN_INIT_FLAGS);
            return MAPI_E_UNKNOWN_FLAGS;
        }
    }
    AcquireSRWLockExclusive(&lock);
    init_count++;
    TRACE("count now %ld\n", init_count);
    ReleaseSRWLockExclusive(&lock);
    return S_OK;
}

void WINAPI MAPIUninitialize(void)
{
    BOOL last;

    AcquireSRWLockExclusive(&lock);
    if (init_count <= 0) {
        ReleaseSRWLockExclusive(&lock);
        EVENT_ERROR("MAPIUninitialize without a matching MAPIInitialize; ignored (H28)");
        return;
    }
    last = --init_count == 0;
    TRACE("count now %ld\n", init_count);
    ReleaseSRWLockExclusive(&lock);
    if (last) {
        DeinitMapiUtil(); /* implicitly, for a ScInitMapiUtil without its DeinitMapiUtil (U7) */
        mapihost_on_last_uninitialize();
    }
}
