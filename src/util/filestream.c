/*
 * OpenStreamOnFile (spec U90): an IStream on a file, over the system's file stream (SHCreateStreamOnFileEx). Only
 * STGM_DELETEONRELEASE needs more: such a stream is wrapped so that its last Release also deletes the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <shlwapi.h>

#include "mapihost_private.h"
#include "mapihost_util.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(filestream);

struct doomed_stream {
    IStream IStream_iface;
    LONG refcount;
    IStream *inner;
    char path[MAX_PATH];
};

static inline struct doomed_stream *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct doomed_stream, IStream_iface);
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
    struct doomed_stream *stream = impl_from_IStream(iface);
    ULONG refcount = InterlockedDecrement(&stream->refcount);

    TRACE("(%p)\n", iface);
    if (!refcount) {
        IStream_Release(stream->inner);
        DeleteFileA(stream->path);
        free(stream);
    }
    return refcount;
}

#define INNER(iface) (impl_from_IStream(iface)->inner)

static HRESULT WINAPI stream_Read(IStream *iface, void *data, ULONG size, ULONG *done)
{
    TRACE("(%p, %p, %#lx, %p)\n", iface, data, size, done);
    return IStream_Read(INNER(iface), data, size, done);
}

static HRESULT WINAPI stream_Write(IStream *iface, const void *data, ULONG size, ULONG *done)
{
    TRACE("(%p, %p, %#lx, %p)\n", iface, data, size, done);
    return IStream_Write(INNER(iface), data, size, done);
}

static HRESULT WINAPI stream_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *position)
{
    TRACE("(%p, {...}, %#lx, %p)\n", iface, origin, position);
    return IStream_Seek(INNER(iface), move, origin, position);
}

static HRESULT WINAPI stream_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    TRACE("(%p, {...})\n", iface);
    return IStream_SetSize(INNER(iface), size);
}

static HRESULT WINAPI stream_CopyTo(IStream *iface, IStream *dest, ULARGE_INTEGER size, ULARGE_INTEGER *read,
                                    ULARGE_INTEGER *written)
{
    TRACE("(%p, %p, {...}, %p, %p)\n", iface, dest, read, written);
    return IStream_CopyTo(INNER(iface), dest, size, read, written);
}

static HRESULT WINAPI stream_Commit(IStream *iface, DWORD flags)
{
    TRACE("(%p, %#lx)\n", iface, flags);
    return IStream_Commit(INNER(iface), flags);
}

static HRESULT WINAPI stream_Revert(IStream *iface)
{
    TRACE("(%p)\n", iface);
    return IStream_Revert(INNER(iface));
}

static HRESULT WINAPI stream_LockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type)
{
    TRACE("(%p, {...}, {...}, %#lx)\n", iface, type);
    return IStream_LockRegion(INNER(iface), offset, size, type);
}

static HRESULT WINAPI stream_UnlockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type)
{
    TRACE("(%p, {...}, {...}, %#lx)\n", iface, type);
    return IStream_UnlockRegion(INNER(iface), offset, size, type);
}

static HRESULT WINAPI stream_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    TRACE("(%p, %p, %#lx)\n", iface, stat, flags);
    return IStream_Stat(INNER(iface), stat, flags);
}

static HRESULT WINAPI stream_Clone(IStream *iface, IStream **clone)
{
    TRACE("(%p, %p)\n", iface, clone);
    if (clone) *clone = NULL;
    return STG_E_INVALIDFUNCTION; /* a clone would outlive the file */
}

static const IStreamVtbl doomed_vtbl = {
    stream_QueryInterface, stream_AddRef,       stream_Release, stream_Read,   stream_Write,
    stream_Seek,           stream_SetSize,      stream_CopyTo,  stream_Commit, stream_Revert,
    stream_LockRegion,     stream_UnlockRegion, stream_Stat,    stream_Clone,
};

HRESULT WINAPI OpenStreamOnFile(LPALLOCATEBUFFER allocate_buffer, LPFREEBUFFER free_buffer, ULONG flags,
                                LPSTR file_name, LPSTR prefix, LPSTREAM *out)
{
    static const ULONG known = SOF_UNIQUEFILENAME | STGM_READ | STGM_WRITE | STGM_READWRITE | STGM_CREATE
                               | STGM_DELETEONRELEASE | STGM_SHARE_DENY_NONE | STGM_SHARE_DENY_READ
                               | STGM_SHARE_DENY_WRITE | STGM_SHARE_EXCLUSIVE | STGM_TRANSACTED;
    char path[MAX_PATH], folder[MAX_PATH], stem[4] = "SOF";
    struct doomed_stream *doomed;
    WCHAR wide[MAX_PATH];
    IStream *stream;
    HRESULT hr;

    TRACE("(%p, %p, %#lx, %p, %p, %p)\n", allocate_buffer, free_buffer, flags, file_name, prefix, out);
    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~known) return MAPI_E_UNKNOWN_FLAGS;
    /* U90: creating needs read/write; no name needs a temporary file that goes with the stream. */
    if (flags & STGM_CREATE && !(flags & STGM_READWRITE)) return MAPI_E_INVALID_PARAMETER;
    if (!file_name && !(flags & SOF_UNIQUEFILENAME)
        && (flags & (STGM_CREATE | STGM_DELETEONRELEASE)) != (STGM_CREATE | STGM_DELETEONRELEASE))
        return MAPI_E_INVALID_PARAMETER;
    if (flags & SOF_UNIQUEFILENAME || !file_name) {
        if (file_name && flags & SOF_UNIQUEFILENAME)
            snprintf(folder, sizeof(folder), "%s", file_name);
        else if (!GetTempPathA(sizeof(folder), folder))
            strcpy(folder, ".");
        if (prefix && *prefix) snprintf(stem, sizeof(stem), "%.3s", prefix);
        if (!GetTempFileNameA(folder, stem, 0, path)) return MAPI_E_NOT_FOUND; /* <prefix>HHHH.TMP */
        flags |= STGM_CREATE | STGM_READWRITE;
    } else if ((size_t)snprintf(path, sizeof(path), "%s", file_name) >= sizeof(path))
        return MAPI_E_INVALID_PARAMETER;
    MultiByteToWideChar(CP_ACP, 0, path, -1, wide, MAX_PATH);
    hr = SHCreateStreamOnFileEx(wide, flags & ~(SOF_UNIQUEFILENAME | STGM_DELETEONRELEASE), FILE_ATTRIBUTE_NORMAL,
                                !!(flags & STGM_CREATE), NULL, &stream);
    if (FAILED(hr))
        return hr == HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND) || hr == HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND)
                   ? MAPI_E_NOT_FOUND
                   : MAPI_E_NO_ACCESS;
    if (!(flags & STGM_DELETEONRELEASE)) {
        *out = stream;
        return S_OK;
    }
    if (!(doomed = calloc(1, sizeof(*doomed)))) {
        IStream_Release(stream);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    doomed->IStream_iface.lpVtbl = &doomed_vtbl;
    doomed->refcount = 1;
    doomed->inner = stream;
    strcpy(doomed->path, path);
    *out = &doomed->IStream_iface;
    return S_OK;
}
