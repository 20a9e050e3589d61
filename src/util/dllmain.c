/*
 * mapihost.dll's DllMain: only what a thread's end or the DLL's unload must give back. It calls no MAPI function and
 * no provider (H24): the last MAPIUninitialize, not the loader's lock, is where the host tears down.
 */
#include "mapihost_private.h"
#include "region.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(dllmain);

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    TRACE("(%p, %#lx, %p)\n", instance, reason, reserved);
    /* A thread's cache of freed MAPI buffers; at an unload, the unloading thread's (the others' stay with the
     * process heap, which outlives the DLL). */
    if (reason == DLL_THREAD_DETACH || (reason == DLL_PROCESS_DETACH && !reserved)) region_thread_detach();
    return TRUE;
}
