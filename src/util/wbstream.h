/* Streams in memory (wbstream.c): one read whole, and one written back through its owner's flush. */
#ifndef MAPIHOST_WBSTREAM_H
#define MAPIHOST_WBSTREAM_H

#include <windows.h>
#include <objidl.h>

/* The whole of stream, from its start, in one malloc'd buffer (free with free()) followed by four zero bytes, so
 * that text in it ends in a NUL of either width. */
HRESULT stream_read_all(IStream *stream, BYTE **bytes, ULONG *size);
/* A stream of storage named name, made (or emptied) and holding exactly size bytes. */
HRESULT stream_write_new(IStorage *storage, const WCHAR *name, const void *bytes, ULONG size);

struct wbstream_ops {
    /* Writes bytes where they belong. */
    HRESULT (*flush)(void *context, IStream *bytes);
    /* The stream is gone: context can go too. */
    void (*release)(void *context);
};

/* A stream over bytes (its reference is taken, on success or not): writes are refused unless writable; dirty says
 * whether the bytes must be written back even if nothing more is written. */
HRESULT wbstream_create(IStream *bytes, BOOL writable, BOOL dirty, const struct wbstream_ops *ops, void *context,
                        IStream **out);

#endif
