/* The MAPI utilities the store uses, found once as a third party finds them (sample_mapi.c). */
#include "store.h"

struct store_mapi store_mapi;

HRESULT store_mapi_load(void)
{
    static SRWLOCK lock = SRWLOCK_INIT;
    HRESULT hr = S_OK;

    AcquireSRWLockExclusive(&lock);
    if (!store_mapi.create_table) {
        store_mapi.open_msg_session = sample_mapi_function("OpenIMsgSession", 12);
        store_mapi.close_msg_session = sample_mapi_function("CloseIMsgSession", 4);
        store_mapi.open_msg_on_stg = sample_mapi_function("OpenIMsgOnIStg", 44);
        store_mapi.prop_copy_more = sample_mapi_function("PropCopyMore", 16);
        if (store_mapi.open_msg_session && store_mapi.close_msg_session && store_mapi.open_msg_on_stg
            && store_mapi.prop_copy_more)
            store_mapi.create_table = sample_mapi_function("CreateTable", 36);
        if (!store_mapi.create_table) {
            sample_trace(
                "the store needs CreateTable, OpenIMsgSession, CloseIMsgSession, OpenIMsgOnIStg and PropCopyMore "
                "from MAPI");
            hr = MAPI_E_CALL_FAILED;
        }
    }
    ReleaseSRWLockExclusive(&lock);
    return hr;
}
