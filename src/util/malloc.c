/*
 * The IMalloc given to provider entry points and returned by MAPIGetDefaultMalloc. It is one static object whose
 * AddRef and Release do not count: real providers Release an IMalloc they never AddRef'd (F5), and a counted object
 * would be destroyed under the host. Memory comes from the process heap, like ole32's task allocator.
 */
#include "mapihost_private.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(malloc);

static HRESULT WINAPI malloc_QueryInterface(IMalloc *iface, REFIID riid, void **out)
{
    TRACE("(%p, %p, %p)\n", iface, riid, out);
    if (!out) return E_INVALIDARG;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMalloc)) {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI malloc_AddRef(IMalloc *iface)
{
    TRACE("(%p)\n", iface);
    return 1; /* a static object: like the task allocator's, its count is always 1 */
}

static ULONG WINAPI malloc_Release(IMalloc *iface)
{
    TRACE("(%p)\n", iface);
    return 1;
}

static void *WINAPI malloc_Alloc(IMalloc *iface, SIZE_T size)
{
    TRACE("(%p, %#Ix)\n", iface, size);
    return HeapAlloc(GetProcessHeap(), 0, size);
}

static void *WINAPI malloc_Realloc(IMalloc *iface, void *ptr, SIZE_T size)
{
    TRACE("(%p, %p, %#Ix)\n", iface, ptr, size);
    if (!ptr) return HeapAlloc(GetProcessHeap(), 0, size);
    if (!size) {
        HeapFree(GetProcessHeap(), 0, ptr);
        return NULL;
    }
    return HeapReAlloc(GetProcessHeap(), 0, ptr, size);
}

static void WINAPI malloc_Free(IMalloc *iface, void *ptr)
{
    TRACE("(%p, %p)\n", iface, ptr);
    if (ptr) HeapFree(GetProcessHeap(), 0, ptr);
}

static SIZE_T WINAPI malloc_GetSize(IMalloc *iface, void *ptr)
{
    TRACE("(%p, %p)\n", iface, ptr);
    return ptr ? HeapSize(GetProcessHeap(), 0, ptr) : (SIZE_T)-1;
}

static int WINAPI malloc_DidAlloc(IMalloc *iface, void *ptr)
{
    TRACE("(%p, %p)\n", iface, ptr);
    return ptr ? -1 : 0; /* -1: cannot tell, as the documentation allows. */
}

static void WINAPI malloc_HeapMinimize(IMalloc *iface)
{
    TRACE("(%p)\n", iface);
}

static const IMallocVtbl malloc_vtbl = {
    malloc_QueryInterface, malloc_AddRef,  malloc_Release,  malloc_Alloc,        malloc_Realloc,
    malloc_Free,           malloc_GetSize, malloc_DidAlloc, malloc_HeapMinimize,
};

static IMalloc static_malloc = { &malloc_vtbl };

IMalloc *mapihost_get_malloc(void)
{
    return &static_malloc;
}

LPMALLOC WINAPI MAPIGetDefaultMalloc(void)
{
    TRACE("()\n");
    /* MAPIInitialize or ScInitMapiUtil alone, as for every utility (U7). */
    return mapihost_utilities_ready() ? &static_malloc : NULL;
}
