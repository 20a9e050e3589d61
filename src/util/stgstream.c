/*
 * HrIStorageFromStream (spec U92): a compound file (IStorage) layered on a stream, as store providers give their
 * attachments an IStorage. The stream becomes an ILockBytes whose offset 0 is the stream's position 0
 * (STGSTRM_RESET) or its position at the call (STGSTRM_CURRENT); OLE's docfile code does the rest, created afresh
 * (STGSTRM_CREATE) or opened, read-only unless STGSTRM_MODIFY. An ILockBytes given as such is used as it is.
 */
#include <stdlib.h>

#include "mapihost_private.h"
#include "mapihost_util.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(stgstream);

struct stream_bytes {
    ILockBytes ILockBytes_iface;
    LONG refcount;
    IStream *stream; /* a reference */
    ULONGLONG base;  /* the stream position of offset 0 */
};

static inline struct stream_bytes *impl_from_ILockBytes(ILockBytes *iface)
{
    return CONTAINING_RECORD(iface, struct stream_bytes, ILockBytes_iface);
}

static HRESULT WINAPI bytes_QueryInterface(ILockBytes *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_ILockBytes, NULL };

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI bytes_AddRef(ILockBytes *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_ILockBytes(iface)->refcount);
}

static ULONG WINAPI bytes_Release(ILockBytes *iface)
{
    struct stream_bytes *bytes = impl_from_ILockBytes(iface);
    ULONG refcount = InterlockedDecrement(&bytes->refcount);

    TRACE("(%p)\n", iface);
    if (!refcount) {
        IStream_Release(bytes->stream);
        free(bytes);
    }
    return refcount;
}

static HRESULT seek(struct stream_bytes *bytes, ULARGE_INTEGER offset)
{
    LARGE_INTEGER position = { .QuadPart = (LONGLONG)(bytes->base + offset.QuadPart) };

    return IStream_Seek(bytes->stream, position, STREAM_SEEK_SET, NULL);
}

static HRESULT WINAPI bytes_ReadAt(ILockBytes *iface, ULARGE_INTEGER offset, void *buffer, ULONG size, ULONG *done)
{
    struct stream_bytes *bytes = impl_from_ILockBytes(iface);
    HRESULT hr;

    TRACE("(%p, {...}, %p, %#lx, %p)\n", iface, buffer, size, done);
    if (done) *done = 0;
    if (FAILED(hr = seek(bytes, offset))) return hr;
    return IStream_Read(bytes->stream, buffer, size, done);
}

static HRESULT WINAPI bytes_WriteAt(ILockBytes *iface, ULARGE_INTEGER offset, const void *buffer, ULONG size,
                                    ULONG *done)
{
    struct stream_bytes *bytes = impl_from_ILockBytes(iface);
    HRESULT hr;

    TRACE("(%p, {...}, %p, %#lx, %p)\n", iface, buffer, size, done);
    if (done) *done = 0;
    if (FAILED(hr = seek(bytes, offset))) return hr;
    return IStream_Write(bytes->stream, buffer, size, done);
}

static HRESULT WINAPI bytes_Flush(ILockBytes *iface)
{
    TRACE("(%p)\n", iface);
    return IStream_Commit(impl_from_ILockBytes(iface)->stream, STGC_DEFAULT);
}

static HRESULT WINAPI bytes_SetSize(ILockBytes *iface, ULARGE_INTEGER size)
{
    struct stream_bytes *bytes = impl_from_ILockBytes(iface);

    TRACE("(%p, {...})\n", iface);
    size.QuadPart += bytes->base;
    return IStream_SetSize(bytes->stream, size);
}

static HRESULT WINAPI bytes_LockRegion(ILockBytes *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type)
{
    TRACE("(%p, {...}, {...}, %#lx)\n", iface, type);
    return STG_E_INVALIDFUNCTION; /* no region locking: OLE then relies on the exclusive share mode */
}

static HRESULT WINAPI bytes_UnlockRegion(ILockBytes *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type)
{
    TRACE("(%p, {...}, {...}, %#lx)\n", iface, type);
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI bytes_Stat(ILockBytes *iface, STATSTG *stat, DWORD flags)
{
    struct stream_bytes *bytes = impl_from_ILockBytes(iface);
    HRESULT hr;

    TRACE("(%p, %p, %#lx)\n", iface, stat, flags);
    if (FAILED(hr = IStream_Stat(bytes->stream, stat, flags))) return hr;
    stat->type = STGTY_LOCKBYTES;
    stat->cbSize.QuadPart = stat->cbSize.QuadPart > bytes->base ? stat->cbSize.QuadPart - bytes->base : 0;
    return S_OK;
}

static const ILockBytesVtbl bytes_vtbl = {
    bytes_QueryInterface, bytes_AddRef,  bytes_Release,    bytes_ReadAt,       bytes_WriteAt,
    bytes_Flush,          bytes_SetSize, bytes_LockRegion, bytes_UnlockRegion, bytes_Stat,
};

static HRESULT bytes_on_stream(IStream *stream, BOOL current, ILockBytes **out)
{
    struct stream_bytes *bytes;
    LARGE_INTEGER zero = { .QuadPart = 0 };
    ULARGE_INTEGER position = { .QuadPart = 0 };
    HRESULT hr;

    if (current && FAILED(hr = IStream_Seek(stream, zero, STREAM_SEEK_CUR, &position))) return hr;
    if (!(bytes = malloc(sizeof(*bytes)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    bytes->ILockBytes_iface.lpVtbl = &bytes_vtbl;
    bytes->refcount = 1;
    bytes->stream = stream;
    IStream_AddRef(stream);
    bytes->base = position.QuadPart;
    *out = &bytes->ILockBytes_iface;
    return S_OK;
}

HRESULT WINAPI HrIStorageFromStream(LPUNKNOWN unknown, LPCIID iid, ULONG flags, LPSTORAGE *storage)
{
    DWORD mode = STGM_SHARE_EXCLUSIVE | STGM_DIRECT;
    ILockBytes *bytes;
    IStream *stream;
    HRESULT hr;

    TRACE("(%p, %p, %#lx, %p)\n", unknown, iid, flags, storage);
    if (!unknown || !storage) return MAPI_E_INVALID_PARAMETER;
    *storage = NULL;
    if (flags & ~(STGSTRM_CURRENT | STGSTRM_MODIFY | STGSTRM_CREATE)) return MAPI_E_UNKNOWN_FLAGS;
    if (iid && IsEqualIID(iid, &IID_ILockBytes)) {
        if (FAILED(hr = IUnknown_QueryInterface(unknown, &IID_ILockBytes, (void **)&bytes))) return hr;
    } else if (iid && !IsEqualIID(iid, &IID_IStream))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    else {
        if (FAILED(hr = IUnknown_QueryInterface(unknown, &IID_IStream, (void **)&stream))) return hr;
        hr = bytes_on_stream(stream, !!(flags & STGSTRM_CURRENT), &bytes);
        IStream_Release(stream);
        if (FAILED(hr)) return hr;
    }
    mode |= flags & (STGSTRM_MODIFY | STGSTRM_CREATE) ? STGM_READWRITE : STGM_READ;
    if (flags & STGSTRM_CREATE)
        hr = StgCreateDocfileOnILockBytes(bytes, mode | STGM_CREATE, 0, storage);
    else
        hr = StgOpenStorageOnILockBytes(bytes, NULL, mode, NULL, 0, storage);
    ILockBytes_Release(bytes);
    return hr;
}
