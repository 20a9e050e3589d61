/*
 * A property as a stream (IMAPIProp::OpenProperty with IID_IStream), for the objects whose properties live in an
 * IPropData: messages on storages and their attachments. The stream holds the value's bytes (a string without its
 * terminating NUL; PT_UNICODE as UTF-16); opened with MAPI_MODIFY, what was written goes back into the property at
 * Commit and at the last Release (wbstream.c), so that the object's SaveChanges keeps it. MAPI_CREATE starts it
 * empty.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "propstream.h"
#include "wbstream.h"

struct property {
    IPropData *props; /* a reference */
    ULONG tag;
};

static HRESULT flush_property(void *context, IStream *bytes)
{
    struct property *property = context;
    SPropValue value = { property->tag, 0, { .l = 0 } };
    BYTE *data;
    ULONG size;
    HRESULT hr;

    if (FAILED(hr = stream_read_all(bytes, &data, &size))) return hr;
    if (PROP_TYPE(property->tag) == PT_BINARY) {
        value.Value.bin.cb = size;
        value.Value.bin.lpb = data;
    } else
        value.Value.lpszA = (char *)data; /* lpszW alike: the same pointer, NUL-terminated in either width */
    hr = IPropData_SetProps(property->props, 1, &value, NULL);
    free(data);
    return hr;
}

static void release_property(void *context)
{
    struct property *property = context;

    IPropData_Release(property->props);
    free(property);
}

static const struct wbstream_ops property_ops = { flush_property, release_property };

HRESULT propstream_open(IPropData *props, LPFREEBUFFER free_buffer, ULONG tag, ULONG flags, BOOL object_writable,
                        IStream **out)
{
    ULONG type = PROP_TYPE(tag);
    struct property *property;
    SPropValue *value = NULL;
    IStream *bytes;
    HRESULT hr;

    *out = NULL;
    if (type != PT_BINARY && type != PT_STRING8 && type != PT_UNICODE) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (flags & ~(MAPI_MODIFY | MAPI_CREATE | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;
    if (flags & (MAPI_MODIFY | MAPI_CREATE) && !object_writable) return MAPI_E_NO_ACCESS;
    if (!(flags & MAPI_CREATE) && HrGetOneProp((IMAPIProp *)props, tag, &value) != S_OK) return MAPI_E_NOT_FOUND;
    if (SUCCEEDED(hr = CreateStreamOnHGlobal(NULL, TRUE, &bytes)) && value) {
        if (type == PT_BINARY)
            hr = IStream_Write(bytes, value->Value.bin.lpb, value->Value.bin.cb, NULL);
        else if (type == PT_UNICODE)
            hr = IStream_Write(bytes, value->Value.lpszW, (ULONG)(wcslen(value->Value.lpszW) * sizeof(WCHAR)), NULL);
        else
            hr = IStream_Write(bytes, value->Value.lpszA, (ULONG)strlen(value->Value.lpszA), NULL);
        if (FAILED(hr)) IStream_Release(bytes);
    }
    if (value) free_buffer(value);
    if (FAILED(hr)) return hr;
    if (!(property = malloc(sizeof(*property)))) {
        IStream_Release(bytes);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    property->props = props;
    IPropData_AddRef(props);
    property->tag = tag;
    /* A created property exists even if nothing is written. */
    if (FAILED(hr = wbstream_create(bytes, !!(flags & (MAPI_MODIFY | MAPI_CREATE)), !!(flags & MAPI_CREATE),
                                    &property_ops, property, out)))
        release_property(property);
    return hr;
}
