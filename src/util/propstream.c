/*
 * A property as a stream (IMAPIProp::OpenProperty with IID_IStream), for the objects whose properties live in an
 * IPropData: messages on storages and their attachments. The stream holds the value's bytes (a string without its
 * terminating NUL; PT_UNICODE as UTF-16); opened with MAPI_MODIFY, what was written goes back into the property at
 * Commit and at the last Release, so that the object's SaveChanges keeps it. MAPI_CREATE starts it empty.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "propstream.h"

struct propstream {
    IStream IStream_iface;
    LONG refcount;
    IStream *inner;               /* the bytes, in memory */
    IPropData *props;             /* a reference */
    ULONG tag;
    BOOL writable, dirty;
};

static inline struct propstream *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct propstream, IStream_iface);
}

/* The stream's bytes back into the property. */
static HRESULT write_back(struct propstream *stream)
{
    LARGE_INTEGER zero = { .QuadPart = 0 };
    SPropValue value = { stream->tag, 0, { .l = 0 } };
    ULONG type = PROP_TYPE(stream->tag), terminator = type == PT_UNICODE ? 2 : type == PT_STRING8 ? 1 : 0;
    ULARGE_INTEGER end;
    BYTE *bytes;
    ULONG done;
    HRESULT hr;

    if (FAILED(hr = IStream_Seek(stream->inner, zero, STREAM_SEEK_END, &end))) return hr;
    if (end.QuadPart >= 1 << 30) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(bytes = calloc(1, (size_t)end.QuadPart + terminator + 1))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (SUCCEEDED(hr = IStream_Seek(stream->inner, zero, STREAM_SEEK_SET, NULL))
        && SUCCEEDED(hr = IStream_Read(stream->inner, bytes, (ULONG)end.QuadPart, &done))) {
        if (type == PT_BINARY) {
            value.Value.bin.cb = done;
            value.Value.bin.lpb = bytes;
        }
        else value.Value.lpszA = (char *)bytes; /* lpszW alike: the same pointer, terminated by calloc */
        hr = IPropData_SetProps(stream->props, 1, &value, NULL);
        if (SUCCEEDED(hr)) stream->dirty = FALSE;
    }
    free(bytes);
    return hr;
}

static HRESULT WINAPI stream_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_ISequentialStream, &IID_IStream, NULL };

    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI stream_AddRef(IStream *iface)
{
    return InterlockedIncrement(&impl_from_IStream(iface)->refcount);
}

static ULONG WINAPI stream_Release(IStream *iface)
{
    struct propstream *stream = impl_from_IStream(iface);
    ULONG refcount = InterlockedDecrement(&stream->refcount);

    if (!refcount) {
        if (stream->dirty) write_back(stream);
        IStream_Release(stream->inner);
        IPropData_Release(stream->props);
        free(stream);
    }
    return refcount;
}

static HRESULT WINAPI stream_Read(IStream *iface, void *buffer, ULONG size, ULONG *done)
{
    return IStream_Read(impl_from_IStream(iface)->inner, buffer, size, done);
}

static HRESULT WINAPI stream_Write(IStream *iface, const void *buffer, ULONG size, ULONG *done)
{
    struct propstream *stream = impl_from_IStream(iface);

    if (done) *done = 0;
    if (!stream->writable) return STG_E_ACCESSDENIED;
    stream->dirty = TRUE;
    return IStream_Write(stream->inner, buffer, size, done);
}

static HRESULT WINAPI stream_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *position)
{
    return IStream_Seek(impl_from_IStream(iface)->inner, move, origin, position);
}

static HRESULT WINAPI stream_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    struct propstream *stream = impl_from_IStream(iface);

    if (!stream->writable) return STG_E_ACCESSDENIED;
    stream->dirty = TRUE;
    return IStream_SetSize(stream->inner, size);
}

static HRESULT WINAPI stream_CopyTo(IStream *iface, IStream *dest, ULARGE_INTEGER size, ULARGE_INTEGER *read,
                                    ULARGE_INTEGER *written)
{
    return IStream_CopyTo(impl_from_IStream(iface)->inner, dest, size, read, written);
}

static HRESULT WINAPI stream_Commit(IStream *iface, DWORD flags)
{
    struct propstream *stream = impl_from_IStream(iface);

    return stream->writable ? write_back(stream) : STG_E_ACCESSDENIED;
}

static HRESULT WINAPI stream_Revert(IStream *iface)
{
    return S_OK; /* writes go to the property at Commit: nothing is transacted beyond that */
}

static HRESULT WINAPI stream_LockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type)
{
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI stream_UnlockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type)
{
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI stream_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    return IStream_Stat(impl_from_IStream(iface)->inner, stat, flags | STATFLAG_NONAME);
}

static HRESULT WINAPI stream_Clone(IStream *iface, IStream **out)
{
    if (out) *out = NULL;
    return STG_E_INVALIDFUNCTION;
}

static const IStreamVtbl propstream_vtbl = {
    stream_QueryInterface, stream_AddRef, stream_Release, stream_Read, stream_Write, stream_Seek, stream_SetSize,
    stream_CopyTo, stream_Commit, stream_Revert, stream_LockRegion, stream_UnlockRegion, stream_Stat, stream_Clone,
};

HRESULT propstream_open(IPropData *props, LPFREEBUFFER free_buffer, ULONG tag, ULONG flags, BOOL object_writable,
                        IStream **out)
{
    ULONG type = PROP_TYPE(tag);
    struct propstream *stream;
    SPropValue *value = NULL;
    const void *bytes = NULL;
    size_t size = 0;
    HRESULT hr = S_OK;

    *out = NULL;
    if (type != PT_BINARY && type != PT_STRING8 && type != PT_UNICODE) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (flags & ~(MAPI_MODIFY | MAPI_CREATE | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;
    if (flags & (MAPI_MODIFY | MAPI_CREATE) && !object_writable) return MAPI_E_NO_ACCESS;
    if (!(flags & MAPI_CREATE)) {
        if (HrGetOneProp((IMAPIProp *)props, tag, &value) != S_OK) return MAPI_E_NOT_FOUND;
        if (type == PT_BINARY) {
            bytes = value->Value.bin.lpb;
            size = value->Value.bin.cb;
        } else {
            bytes = value->Value.lpszA;
            size = type == PT_UNICODE ? wcslen(value->Value.lpszW) * sizeof(WCHAR) : strlen(value->Value.lpszA);
        }
    }
    if (!(stream = calloc(1, sizeof(*stream)))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (SUCCEEDED(hr = CreateStreamOnHGlobal(NULL, TRUE, &stream->inner))) {
        LARGE_INTEGER zero = { .QuadPart = 0 };
        if (size) hr = IStream_Write(stream->inner, bytes, (ULONG)size, NULL);
        if (SUCCEEDED(hr)) hr = IStream_Seek(stream->inner, zero, STREAM_SEEK_SET, NULL);
    }
    if (value) free_buffer(value);
    if (FAILED(hr)) {
        if (stream && stream->inner) IStream_Release(stream->inner);
        free(stream);
        return hr;
    }
    stream->IStream_iface.lpVtbl = &propstream_vtbl;
    stream->refcount = 1;
    stream->props = props;
    IPropData_AddRef(props);
    stream->tag = tag;
    stream->writable = !!(flags & (MAPI_MODIFY | MAPI_CREATE));
    stream->dirty = !!(flags & MAPI_CREATE); /* a created property exists even if nothing is written */
    *out = &stream->IStream_iface;
    return S_OK;
}
