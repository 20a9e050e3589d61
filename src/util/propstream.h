/* A property of an IPropData as an IStream (propstream.c): OpenProperty(IID_IStream) of messages on storages and
 * their attachments. */
#ifndef MAPIHOST_PROPSTREAM_H
#define MAPIHOST_PROPSTREAM_H

#include "mapihost_util.h"

/* tag (PT_BINARY, PT_STRING8 or PT_UNICODE) of props; free_buffer frees what props hands out. MAPI_MODIFY or
 * MAPI_CREATE (only when object_writable) make it writable; without MAPI_CREATE a missing property is
 * MAPI_E_NOT_FOUND. */
HRESULT propstream_open(IPropData *props, LPFREEBUFFER free_buffer, ULONG tag, ULONG flags, BOOL object_writable,
                        IStream **out);

#endif
