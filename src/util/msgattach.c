/*
 * The attachments of a message on a storage (msgstg.c, spec U96). An attachment keeps its properties in an IPropData
 * while it is open; its SaveChanges puts them, PR_ATTACH_NUM included, into the message's attachment table, and the
 * message's SaveChanges writes that table to the storage with the rest. OpenAttach of an attachment that is open
 * already gives the same object again. Each open attachment holds a reference on its message. OpenProperty gives a
 * property as a stream, or PR_ATTACH_DATA_OBJ as an embedded message in the attachment's storage ([MS-OXMSG],
 * msgfile.c). Named properties are its message's (msgnames.c).
 */
#include <stdlib.h>
#include <string.h>

#include "message.h"
#include "msgattach.h"
#include "msgfile.h"
#include "copyto.h"
#include "propstream.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(msgattach);

struct attachment {
    IAttach IAttach_iface;
    LONG refcount;
    struct list entry;       /* in message->open_attachments */
    struct message *message; /* a reference on the message */
    ULONG number;
    IPropData *props;
    IMessage *embedded; /* a reference on the embedded message once opened: it is the same at every open */
    IStorage *storage;  /* the attachment's storage, held while its embedded message may be open */
};

static inline struct attachment *impl_from_IAttach(IAttach *iface)
{
    return CONTAINING_RECORD(iface, struct attachment, IAttach_iface);
}

static HRESULT WINAPI attachment_QueryInterface(IAttach *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IAttach, NULL };

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI attachment_AddRef(IAttach *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IAttach(iface)->refcount);
}

static ULONG WINAPI attachment_Release(IAttach *iface)
{
    struct attachment *attachment = impl_from_IAttach(iface);
    struct message *message = attachment->message;
    ULONG refcount;

    TRACE("(%p)\n", iface);
    EnterCriticalSection(&message->cs); /* against OpenAttach taking it again */
    if (!(refcount = InterlockedDecrement(&attachment->refcount))) list_remove(&attachment->entry);
    LeaveCriticalSection(&message->cs);
    if (refcount) return refcount;
    if (attachment->embedded) IMessage_Release(attachment->embedded);
    if (attachment->storage) IStorage_Release(attachment->storage);
    IPropData_Release(attachment->props);
    IMessage_Release(&message->IMessage_iface);
    free(attachment);
    return 0;
}

static HRESULT WINAPI attachment_GetLastError(IAttach *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    return S_OK;
}

ULONG attachment_keys(const ULONG *number, ULONG count, const SPropValue *values, SPropValue *added)
{
    static const ULONG tags[2] = { PR_INSTANCE_KEY, PR_RECORD_KEY };
    ULONG n = 0, i;

    for (i = 0; i < ARRAYSIZE(tags); i++) {
        if (PpropFindProp((SPropValue *)values, count, tags[i])) continue;
        added[n].ulPropTag = tags[i];
        added[n].dwAlignPad = 0;
        added[n].Value.bin.cb = sizeof(*number);
        added[n++].Value.bin.lpb = (BYTE *)number;
    }
    return n;
}

/* Into the message's attachment table: the message's own SaveChanges makes it last. */
static HRESULT WINAPI attachment_SaveChanges(IAttach *iface, ULONG flags)
{
    struct attachment *attachment = impl_from_IAttach(iface);
    struct message *message = attachment->message;
    SPropValue *values, *keyed;
    SRow row = { 0 };
    HRESULT hr;

    TRACE("(%p, %#lx)\n", iface, flags);
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    if (!message->writable) return MAPI_E_NO_ACCESS;
    /* Strings in Unicode: in the other width a Unicode file name would be narrowed to the code page. */
    if (FAILED(hr = IPropData_GetProps(attachment->props, NULL, MAPI_UNICODE, &row.cValues, &values))) return hr;
    if (!(keyed = malloc((row.cValues + 2) * sizeof(*keyed)))) {
        message->alloc.free(values);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    memcpy(keyed, values, row.cValues * sizeof(*keyed));
    row.lpProps = keyed;
    row.cValues += attachment_keys(&attachment->number, row.cValues, keyed, &keyed[row.cValues]);
    hr = ITableData_HrModifyRow(message->attachments, &row);
    free(keyed);
    message->alloc.free(values);
    return hr;
}

static HRESULT WINAPI attachment_GetProps(IAttach *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                          SPropValue **values)
{
    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, tags, flags, count, values);
    if (impl_from_IAttach(iface)->message->closed) return MAPI_E_INVALID_OBJECT;
    return IPropData_GetProps(impl_from_IAttach(iface)->props, tags, flags, count, values);
}

static HRESULT WINAPI attachment_GetPropList(IAttach *iface, ULONG flags, SPropTagArray **tags)
{
    TRACE("(%p, %#lx, %p)\n", iface, flags, tags);
    if (impl_from_IAttach(iface)->message->closed) return MAPI_E_INVALID_OBJECT;
    return IPropData_GetPropList(impl_from_IAttach(iface)->props, flags, tags);
}

/* An open attachment of number, AddRef'd, or NULL. Under message->cs. */
static struct attachment *find_open(struct message *message, ULONG number)
{
    struct list *cursor;

    LIST_FOR_EACH (cursor, &message->open_attachments) {
        struct attachment *attachment = LIST_ENTRY(cursor, struct attachment, entry);
        if (attachment->number == number && attachment->refcount) {
            IAttach_AddRef(&attachment->IAttach_iface);
            return attachment;
        }
    }
    return NULL;
}

/* The storage of attachment number, opened (read-only with its message), or made when new. */
static HRESULT open_storage(struct message *message, ULONG number, IStorage **out)
{
    static const ULONG mode = STGM_SHARE_EXCLUSIVE;
    WCHAR name[MSGFILE_NAME_SIZE];
    HRESULT hr;

    msgfile_attachment_name(number, name);
    hr = IStorage_OpenStorage(message->storage, name, NULL, mode | (message->writable ? STGM_READWRITE : STGM_READ),
                              NULL, 0, out);
    if (hr == STG_E_FILENOTFOUND && message->writable)
        hr = IStorage_CreateStorage(message->storage, name, mode | STGM_READWRITE | STGM_FAILIFTHERE, 0, 0, out);
    return hr;
}

HRESULT attachment_storage(struct message *message, ULONG number, IStorage **out)
{
    struct attachment *attachment;

    *out = NULL;
    EnterCriticalSection(&message->cs);
    if ((attachment = find_open(message, number)) && (*out = attachment->storage)) IStorage_AddRef(*out);
    LeaveCriticalSection(&message->cs);
    if (attachment) IAttach_Release(&attachment->IAttach_iface);
    return *out ? S_OK : open_storage(message, number, out);
}

/* U96, [MS-OXMSG]: an embedded message is the storage "__substg1.0_3701000D" of its attachment's storage, opened as a
 * message on its own (transacted, so that its SaveChanges commits into the attachment); the attachment becomes
 * ATTACH_EMBEDDED_MSG. Opened again while open, it is the same object. */
static HRESULT open_embedded(struct attachment *attachment, ULONG flags, IMessage **out)
{
    static const ULONG mode = STGM_SHARE_EXCLUSIVE | STGM_TRANSACTED;
    struct message *message = attachment->message;
    SPropValue method = { PR_ATTACH_METHOD, 0, { .l = ATTACH_EMBEDDED_MSG } };
    IStorage *storage;
    HRESULT hr;

    if ((*out = attachment->embedded)) {
        IMessage_AddRef(*out);
        return S_OK;
    }
    if (flags & (MAPI_MODIFY | MAPI_CREATE) && !message->writable) return MAPI_E_NO_ACCESS;
    if (!attachment->storage && FAILED(hr = open_storage(message, attachment->number, &attachment->storage)))
        return hr == STG_E_FILENOTFOUND ? MAPI_E_NOT_FOUND : MapStorageSCode(hr);
    if (flags & MAPI_CREATE)
        hr = IStorage_CreateStorage(attachment->storage, MSGFILE_EMBEDDED_STORAGE, mode | STGM_CREATE | STGM_READWRITE,
                                    0, 0, &storage);
    else
        hr = IStorage_OpenStorage(attachment->storage, MSGFILE_EMBEDDED_STORAGE, NULL,
                                  mode | (message->writable ? STGM_READWRITE : STGM_READ), NULL, 0, &storage);
    if (FAILED(hr)) return hr == STG_E_FILENOTFOUND ? MAPI_E_NOT_FOUND : MapStorageSCode(hr);
    hr = message->open_embedded(message, storage, out);
    IStorage_Release(storage);
    if (FAILED(hr)) return hr;
    attachment->embedded = *out;
    IMessage_AddRef(*out);
    return flags & MAPI_CREATE ? IPropData_SetProps(attachment->props, 1, &method, NULL) : S_OK;
}

/* Properties as streams (PR_ATTACH_DATA_BIN above all), and the embedded message (PR_ATTACH_DATA_OBJ). */
static HRESULT WINAPI attachment_OpenProperty(IAttach *iface, ULONG tag, const IID *iid, ULONG options, ULONG flags,
                                              IUnknown **out)
{
    struct attachment *attachment = impl_from_IAttach(iface);
    struct message *message = attachment->message;

    TRACE("(%p, %#lx, %p, %#lx, %#lx, %p)\n", iface, tag, iid, options, flags, out);
    if (!iid || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    if (IsEqualIID(iid, &IID_IMessage)) {
        if (PROP_ID(tag) != PROP_ID(PR_ATTACH_DATA_OBJ)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
        return open_embedded(attachment, flags, (IMessage **)out);
    }
    if (!IsEqualIID(iid, &IID_IStream)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    return propstream_open(attachment->props, message->alloc.free, tag, flags, message->writable, (IStream **)out);
}

static HRESULT WINAPI attachment_SetProps(IAttach *iface, ULONG count, SPropValue *values, SPropProblemArray **problems)
{
    struct attachment *attachment = impl_from_IAttach(iface);

    TRACE("(%p, %#lx, %p, %p)\n", iface, count, values, problems);
    if (attachment->message->closed) return MAPI_E_INVALID_OBJECT;
    if (!attachment->message->writable) return MAPI_E_NO_ACCESS;
    return IPropData_SetProps(attachment->props, count, values, problems);
}

static HRESULT WINAPI attachment_DeleteProps(IAttach *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    struct attachment *attachment = impl_from_IAttach(iface);

    TRACE("(%p, %p, %p)\n", iface, tags, problems);
    if (attachment->message->closed) return MAPI_E_INVALID_OBJECT;
    if (!attachment->message->writable) return MAPI_E_NO_ACCESS;
    return IPropData_DeleteProps(attachment->props, tags, problems);
}

static HRESULT WINAPI attachment_CopyTo(IAttach *iface, ULONG exclude_count, const IID *exclude,
                                        SPropTagArray *excluded, ULONG_PTR ui_param, IMAPIProgress *progress,
                                        const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems)
{
    TRACE("(%p, %#lx, %p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, exclude_count, exclude, excluded, ui_param,
          progress, iid, dest, flags, problems);
    if (impl_from_IAttach(iface)->message->closed) return MAPI_E_INVALID_OBJECT;
    if (!dest) return MAPI_E_INVALID_PARAMETER;
    return copyto_all((IMAPIProp *)iface, excluded, dest, flags, problems);
}

static HRESULT WINAPI attachment_CopyProps(IAttach *iface, SPropTagArray *included, ULONG_PTR ui_param,
                                           IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                           SPropProblemArray **problems)
{
    TRACE("(%p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, included, ui_param, progress, iid, dest, flags, problems);
    if (impl_from_IAttach(iface)->message->closed) return MAPI_E_INVALID_OBJECT;
    if (!dest) return MAPI_E_INVALID_PARAMETER;
    return copyto_props((IMAPIProp *)iface, included, dest, flags, problems);
}

static HRESULT WINAPI attachment_GetNamesFromIDs(IAttach *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                                 ULONG *count, MAPINAMEID ***names)
{
    struct message *message = impl_from_IAttach(iface)->message;

    TRACE("(%p, %p, %p, %#lx, %p, %p)\n", iface, tags, guid, flags, count, names);
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    return msgnames_names(message->names, &message->alloc, tags, guid, flags, count, names);
}

static HRESULT WINAPI attachment_GetIDsFromNames(IAttach *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                                 SPropTagArray **tags)
{
    struct message *message = impl_from_IAttach(iface)->message;

    TRACE("(%p, %#lx, %p, %#lx, %p)\n", iface, count, names, flags, tags);
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    return msgnames_ids(message->names, &message->alloc, message->writable, count, names, flags, tags);
}

static const IAttachVtbl attachment_vtbl = {
    attachment_QueryInterface,  attachment_AddRef,          attachment_Release,     attachment_GetLastError,
    attachment_SaveChanges,     attachment_GetProps,        attachment_GetPropList, attachment_OpenProperty,
    attachment_SetProps,        attachment_DeleteProps,     attachment_CopyTo,      attachment_CopyProps,
    attachment_GetNamesFromIDs, attachment_GetIDsFromNames,
};

/* The saved properties of attachment number (MAPI_E_NOT_FOUND if none), or just PR_ATTACH_NUM for a new one. */
static HRESULT initial_props(struct message *message, ULONG number, BOOL create, IPropData *props)
{
    SPropValue key = { PR_ATTACH_NUM, 0, { .l = number } };
    SizedSPropTagArray(1, fixed) = { 1, { PR_ATTACH_NUM } };
    ULONG read_only = IPROP_READONLY | IPROP_CLEAN;
    SRow *row = NULL;
    HRESULT hr;

    if (create)
        hr = IPropData_SetProps(props, 1, &key, NULL);
    else if (SUCCEEDED(hr = ITableData_HrQueryRow(message->attachments, &key, &row, NULL))) {
        hr = IPropData_SetProps(props, row->cValues, row->lpProps, NULL);
        message->alloc.free(row);
    }
    if (SUCCEEDED(hr)) hr = IPropData_HrSetPropAccess(props, (SPropTagArray *)&fixed, &read_only);
    return hr;
}

HRESULT attachment_open(struct message *message, ULONG number, BOOL create, IAttach **out)
{
    struct attachment *attachment;
    HRESULT hr;

    EnterCriticalSection(&message->cs);
    attachment = create ? NULL : find_open(message, number);
    LeaveCriticalSection(&message->cs);
    if (attachment) {
        *out = &attachment->IAttach_iface;
        return S_OK;
    }
    if (!(attachment = calloc(1, sizeof(*attachment)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if ((hr = CreateIProp(&IID_IPropData, message->alloc.buffer, message->alloc.more, message->alloc.free, NULL,
                          &attachment->props))
            != S_OK
        || FAILED(hr = initial_props(message, number, create, attachment->props))) {
        if (attachment->props) IPropData_Release(attachment->props);
        free(attachment);
        return hr;
    }
    attachment->IAttach_iface.lpVtbl = &attachment_vtbl;
    attachment->refcount = 1;
    attachment->number = number;
    attachment->message = message;
    IMessage_AddRef(&message->IMessage_iface);
    EnterCriticalSection(&message->cs);
    list_add_tail(&message->open_attachments, &attachment->entry);
    LeaveCriticalSection(&message->cs);
    *out = &attachment->IAttach_iface;
    return S_OK;
}
