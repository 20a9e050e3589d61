/*
 * Streams in memory (wbstream.h). stream_read_all reads one whole, stream_write_new writes one anew. A write-back
 * stream keeps its bytes in memory and writes them where they belong at Commit and at the last Release when something
 * was written: properties opened as streams (propstream.c) and compressed RTF written through WrapCompressedRTFStream
 * (rtf.c).
 */
#include <stdlib.h>

#include "mapihost_private.h"
#include "wbstream.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(wbstream);

struct wbstream {
    IStream IStream_iface;
    LONG refcount;
    IStream *inner; /* the bytes, in memory */
    const struct wbstream_ops *ops;
    void *context;
    BOOL writable, dirty;
};

static inline struct wbstream *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct wbstream, IStream_iface);
}

HRESULT stream_read_all(IStream *stream, BYTE **bytes, ULONG *size)
{
    LARGE_INTEGER zero = { .QuadPart = 0 };
    STATSTG stat;
    HRESULT hr;

    *bytes = NULL;
    *size = 0;
    if (FAILED(hr = IStream_Stat(stream, &stat, STATFLAG_NONAME))
        || FAILED(hr = IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL)))
        return hr;
    if (stat.cbSize.QuadPart >= 1 << 30 || !(*bytes = calloc(1, (size_t)stat.cbSize.QuadPart + 4)))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr = IStream_Read(stream, *bytes, (ULONG)stat.cbSize.QuadPart, size))) {
        free(*bytes);
        *bytes = NULL;
    }
    return hr;
}

HRESULT stream_write_new(IStorage *storage, const WCHAR *name, const void *bytes, ULONG size)
{
    IStream *stream;
    HRESULT hr;

    if (FAILED(
            hr = IStorage_CreateStream(storage, name, STGM_CREATE | STGM_WRITE | STGM_SHARE_EXCLUSIVE, 0, 0, &stream)))
        return hr;
    hr = IStream_Write(stream, size ? bytes : "", size, NULL);
    IStream_Release(stream);
    return hr;
}

/* The bytes to where they belong; the stream is clean after. */
static HRESULT write_back(struct wbstream *stream)
{
    HRESULT hr;

    if (SUCCEEDED(hr = stream->ops->flush(stream->context, stream->inner))) stream->dirty = FALSE;
    return hr;
}

static HRESULT WINAPI stream_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_ISequentialStream, &IID_IStream, NULL };

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI stream_AddRef(IStream *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IStream(iface)->refcount);
}

static ULONG WINAPI stream_Release(IStream *iface)
{
    struct wbstream *stream = impl_from_IStream(iface);
    ULONG refcount = InterlockedDecrement(&stream->refcount);

    TRACE("(%p)\n", iface);
    if (!refcount) {
        if (stream->dirty) write_back(stream);
        IStream_Release(stream->inner);
        stream->ops->release(stream->context);
        free(stream);
    }
    return refcount;
}

static HRESULT WINAPI stream_Read(IStream *iface, void *buffer, ULONG size, ULONG *done)
{
    TRACE("(%p, %p, %#lx, %p)\n", iface, buffer, size, done);
    return IStream_Read(impl_from_IStream(iface)->inner, buffer, size, done);
}

static HRESULT WINAPI stream_Write(IStream *iface, const void *buffer, ULONG size, ULONG *done)
{
    struct wbstream *stream = impl_from_IStream(iface);

    TRACE("(%p, %p, %#lx, %p)\n", iface, buffer, size, done);
    if (done) *done = 0;
    if (!stream->writable) return STG_E_ACCESSDENIED;
    stream->dirty = TRUE;
    return IStream_Write(stream->inner, buffer, size, done);
}

static HRESULT WINAPI stream_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *position)
{
    TRACE("(%p, {...}, %#lx, %p)\n", iface, origin, position);
    return IStream_Seek(impl_from_IStream(iface)->inner, move, origin, position);
}

static HRESULT WINAPI stream_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    struct wbstream *stream = impl_from_IStream(iface);

    TRACE("(%p, {...})\n", iface);
    if (!stream->writable) return STG_E_ACCESSDENIED;
    stream->dirty = TRUE;
    return IStream_SetSize(stream->inner, size);
}

static HRESULT WINAPI stream_CopyTo(IStream *iface, IStream *dest, ULARGE_INTEGER size, ULARGE_INTEGER *read,
                                    ULARGE_INTEGER *written)
{
    TRACE("(%p, %p, {...}, %p, %p)\n", iface, dest, read, written);
    return IStream_CopyTo(impl_from_IStream(iface)->inner, dest, size, read, written);
}

static HRESULT WINAPI stream_Commit(IStream *iface, DWORD flags)
{
    struct wbstream *stream = impl_from_IStream(iface);

    TRACE("(%p, %#lx)\n", iface, flags);
    return stream->writable ? write_back(stream) : STG_E_ACCESSDENIED;
}

static HRESULT WINAPI stream_Revert(IStream *iface)
{
    TRACE("(%p)\n", iface);
    return S_OK; /* writes go out at Commit: nothing is transacted beyond that */
}

static HRESULT WINAPI stream_LockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type)
{
    TRACE("(%p, {...}, {...}, %#lx)\n", iface, type);
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI stream_UnlockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type)
{
    TRACE("(%p, {...}, {...}, %#lx)\n", iface, type);
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI stream_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    TRACE("(%p, %p, %#lx)\n", iface, stat, flags);
    return IStream_Stat(impl_from_IStream(iface)->inner, stat, flags | STATFLAG_NONAME);
}

static HRESULT WINAPI stream_Clone(IStream *iface, IStream **out)
{
    TRACE("(%p, %p)\n", iface, out);
    if (out) *out = NULL;
    return STG_E_INVALIDFUNCTION;
}

static const IStreamVtbl wbstream_vtbl = {
    stream_QueryInterface, stream_AddRef,       stream_Release, stream_Read,   stream_Write,
    stream_Seek,           stream_SetSize,      stream_CopyTo,  stream_Commit, stream_Revert,
    stream_LockRegion,     stream_UnlockRegion, stream_Stat,    stream_Clone,
};

HRESULT wbstream_create(IStream *bytes, BOOL writable, BOOL dirty, const struct wbstream_ops *ops, void *context,
                        IStream **out)
{
    LARGE_INTEGER zero = { .QuadPart = 0 };
    struct wbstream *stream;
    HRESULT hr;

    *out = NULL;
    if (FAILED(hr = IStream_Seek(bytes, zero, STREAM_SEEK_SET, NULL)) || !(stream = calloc(1, sizeof(*stream)))) {
        IStream_Release(bytes);
        return FAILED(hr) ? hr : MAPI_E_NOT_ENOUGH_MEMORY;
    }
    stream->IStream_iface.lpVtbl = &wbstream_vtbl;
    stream->refcount = 1;
    stream->inner = bytes;
    stream->ops = ops;
    stream->context = context;
    stream->writable = writable;
    stream->dirty = dirty;
    *out = &stream->IStream_iface;
    return S_OK;
}
