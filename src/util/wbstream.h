/* A stream kept in memory and written back through its owner's flush (wbstream.c). */
#ifndef MAPIHOST_WBSTREAM_H
#define MAPIHOST_WBSTREAM_H

#include <windows.h>
#include <objidl.h>

struct wbstream_ops {
    /* Writes bytes (positioned at 0) where they belong. */
    HRESULT (*flush)(void *context, IStream *bytes);
    /* The stream is gone: context can go too. */
    void (*release)(void *context);
};

/* A stream over bytes (its reference is taken, on success or not): writes are refused unless writable; dirty says
 * whether the bytes must be written back even if nothing more is written. */
HRESULT wbstream_create(IStream *bytes, BOOL writable, BOOL dirty, const struct wbstream_ops *ops, void *context,
                        IStream **out);

#endif
