/*
 * When the utility library works (spec U7): while MAPIInitialize's count (init.c reports it here) or ScInitMapiUtil's
 * is positive. ScInitMapiUtil and DeinitMapiUtil, and MapStorageSCode (U93), live here too.
 */
#include "mapihost_private.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(utilinit);

static LONG mapi_count;
static LONG util_count;

void utilities_set_mapi_count(LONG count)
{
    InterlockedExchange(&mapi_count, count);
}

BOOL mapihost_is_initialized(void)
{
    return __atomic_load_n(&mapi_count, __ATOMIC_ACQUIRE) > 0;
}

BOOL mapihost_utilities_ready(void)
{
    /* Plain loads: every allocation asks, and a locked instruction here was a tenth of its cost. */
    return mapihost_is_initialized() || __atomic_load_n(&util_count, __ATOMIC_ACQUIRE) > 0;
}

SCODE WINAPI ScInitMapiUtil(ULONG flags)
{
    TRACE("(%#lx)\n", flags);
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    InterlockedIncrement(&util_count);
    return S_OK;
}

void WINAPI DeinitMapiUtil(void)
{
    TRACE("()\n");
    if (InterlockedDecrement(&util_count) < 0) InterlockedIncrement(&util_count);
}

/* U93: OLE storage codes as MAPI's. */
SCODE WINAPI MapStorageSCode(SCODE code)
{
    TRACE("(%#lx)\n", code);
    switch (code) {
    case S_OK: return S_OK;
    case STG_E_ACCESSDENIED: return MAPI_E_NO_ACCESS;
    case STG_E_FILENOTFOUND:
    case STG_E_PATHNOTFOUND: return MAPI_E_NOT_FOUND;
    case STG_E_INSUFFICIENTMEMORY: return MAPI_E_NOT_ENOUGH_MEMORY;
    case STG_E_INVALIDPARAMETER: return MAPI_E_INVALID_PARAMETER;
    case STG_E_MEDIUMFULL: return MAPI_E_NOT_ENOUGH_DISK;
    }
    return MAPI_E_CALL_FAILED;
}
