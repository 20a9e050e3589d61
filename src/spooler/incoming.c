/*
 * The message a transport fills in StartMessage (Q23): the store's new message, wrapped so that its SaveChanges can
 * refuse a second delivery before it is ever saved (X41). Checked after the save instead, a process killed between
 * the save and the deletion of the copy would keep both; checked before, a kill at any moment leaves one copy, or
 * none and the transport's file, which the next session delivers.
 *
 * SaveChanges asks the receive folder of the message's class whether it holds a message with the same
 * PR_INTERNET_MESSAGE_ID (or, without one, PR_SEARCH_KEY). If so it answers S_OK without saving: the transport goes
 * on as after any delivery and lets go of its copy, and the spooler, seeing incoming_duplicate, drops the unsaved
 * message. Every other method is the store's own.
 */
#include <stdlib.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "mail.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(incoming);

struct incoming {
    IMessage IMessage_iface;
    LONG refcount;
    IMessage *inner;
    struct mail *mail;
    BOOL duplicate;
};

static inline struct incoming *impl_from_IMessage(IMessage *iface)
{
    return CONTAINING_RECORD(iface, struct incoming, IMessage_iface);
}

static inline IMessage *inner(IMessage *iface)
{
    return impl_from_IMessage(iface)->inner;
}

static HRESULT WINAPI incoming_QueryInterface(IMessage *iface, REFIID riid, void **out)
{
    TRACE("(%p, %p, %p)\n", iface, riid, out);
    if (!out) return E_INVALIDARG;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IMAPIProp) || IsEqualGUID(riid, &IID_IMessage)) {
        *out = iface;
        IMessage_AddRef(iface);
        return S_OK;
    }
    return IMessage_QueryInterface(inner(iface), riid, out);
}

static ULONG WINAPI incoming_AddRef(IMessage *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IMessage(iface)->refcount);
}

static ULONG WINAPI incoming_Release(IMessage *iface)
{
    struct incoming *incoming = impl_from_IMessage(iface);
    ULONG refcount = InterlockedDecrement(&incoming->refcount);

    TRACE("(%p) -> %lu\n", iface, refcount);
    if (!refcount) {
        IMessage_Release(incoming->inner);
        free(incoming);
    }
    return refcount;
}

static HRESULT WINAPI incoming_GetLastError(IMessage *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    return IMessage_GetLastError(inner(iface), result, flags, error);
}

static HRESULT WINAPI incoming_SaveChanges(IMessage *iface, ULONG flags)
{
    struct incoming *incoming = impl_from_IMessage(iface);

    TRACE("(%p, %#lx)\n", iface, flags);
    /* Q17: cancelled, the transport keeps its message and delivers it again later; nothing half-made is saved. */
    if (mailbox_transfer_cancelled(incoming->mail)) return MAPI_E_USER_CANCEL;
    if (incoming->duplicate) return S_OK;
    if (delivery_seen(incoming->mail, incoming->inner)) {
        incoming->duplicate = TRUE;
        return S_OK;
    }
    return IMessage_SaveChanges(incoming->inner, flags);
}

static HRESULT WINAPI incoming_GetProps(IMessage *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                        SPropValue **values)
{
    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, tags, flags, count, values);
    return IMessage_GetProps(inner(iface), tags, flags, count, values);
}

static HRESULT WINAPI incoming_GetPropList(IMessage *iface, ULONG flags, SPropTagArray **tags)
{
    TRACE("(%p, %#lx, %p)\n", iface, flags, tags);
    return IMessage_GetPropList(inner(iface), flags, tags);
}

static HRESULT WINAPI incoming_OpenProperty(IMessage *iface, ULONG tag, const IID *iid, ULONG options, ULONG flags,
                                            IUnknown **out)
{
    TRACE("(%p, %#lx, %p, %#lx, %#lx, %p)\n", iface, tag, iid, options, flags, out);
    return IMessage_OpenProperty(inner(iface), tag, iid, options, flags, out);
}

static HRESULT WINAPI incoming_SetProps(IMessage *iface, ULONG count, SPropValue *values, SPropProblemArray **problems)
{
    TRACE("(%p, %lu, %p, %p)\n", iface, count, values, problems);
    return IMessage_SetProps(inner(iface), count, values, problems);
}

static HRESULT WINAPI incoming_DeleteProps(IMessage *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    TRACE("(%p, %p, %p)\n", iface, tags, problems);
    return IMessage_DeleteProps(inner(iface), tags, problems);
}

static HRESULT WINAPI incoming_CopyTo(IMessage *iface, ULONG excluded_count, const IID *excluded, SPropTagArray *tags,
                                      ULONG_PTR ui_param, IMAPIProgress *progress, const IID *iid, void *target,
                                      ULONG flags, SPropProblemArray **problems)
{
    TRACE("(%p, %lu, %p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, excluded_count, excluded, tags, ui_param, progress,
          iid, target, flags, problems);
    return IMessage_CopyTo(inner(iface), excluded_count, excluded, tags, ui_param, progress, iid, target, flags,
                           problems);
}

static HRESULT WINAPI incoming_CopyProps(IMessage *iface, SPropTagArray *tags, ULONG_PTR ui_param,
                                         IMAPIProgress *progress, const IID *iid, void *target, ULONG flags,
                                         SPropProblemArray **problems)
{
    TRACE("(%p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, tags, ui_param, progress, iid, target, flags, problems);
    return IMessage_CopyProps(inner(iface), tags, ui_param, progress, iid, target, flags, problems);
}

static HRESULT WINAPI incoming_GetNamesFromIDs(IMessage *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                               ULONG *count, MAPINAMEID ***names)
{
    TRACE("(%p, %p, %p, %#lx, %p, %p)\n", iface, tags, guid, flags, count, names);
    return IMessage_GetNamesFromIDs(inner(iface), tags, guid, flags, count, names);
}

static HRESULT WINAPI incoming_GetIDsFromNames(IMessage *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                               SPropTagArray **tags)
{
    TRACE("(%p, %lu, %p, %#lx, %p)\n", iface, count, names, flags, tags);
    return IMessage_GetIDsFromNames(inner(iface), count, names, flags, tags);
}

static HRESULT WINAPI incoming_GetAttachmentTable(IMessage *iface, ULONG flags, IMAPITable **table)
{
    TRACE("(%p, %#lx, %p)\n", iface, flags, table);
    return IMessage_GetAttachmentTable(inner(iface), flags, table);
}

static HRESULT WINAPI incoming_OpenAttach(IMessage *iface, ULONG number, const IID *iid, ULONG flags, IAttach **out)
{
    TRACE("(%p, %lu, %p, %#lx, %p)\n", iface, number, iid, flags, out);
    return IMessage_OpenAttach(inner(iface), number, iid, flags, out);
}

static HRESULT WINAPI incoming_CreateAttach(IMessage *iface, const IID *iid, ULONG flags, ULONG *number, IAttach **out)
{
    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, iid, flags, number, out);
    return IMessage_CreateAttach(inner(iface), iid, flags, number, out);
}

static HRESULT WINAPI incoming_DeleteAttach(IMessage *iface, ULONG number, ULONG_PTR ui_param, IMAPIProgress *progress,
                                            ULONG flags)
{
    TRACE("(%p, %lu, %#Ix, %p, %#lx)\n", iface, number, ui_param, progress, flags);
    return IMessage_DeleteAttach(inner(iface), number, ui_param, progress, flags);
}

static HRESULT WINAPI incoming_GetRecipientTable(IMessage *iface, ULONG flags, IMAPITable **table)
{
    TRACE("(%p, %#lx, %p)\n", iface, flags, table);
    return IMessage_GetRecipientTable(inner(iface), flags, table);
}

static HRESULT WINAPI incoming_ModifyRecipients(IMessage *iface, ULONG flags, ADRLIST *list)
{
    TRACE("(%p, %#lx, %p)\n", iface, flags, list);
    return IMessage_ModifyRecipients(inner(iface), flags, list);
}

static HRESULT WINAPI incoming_SubmitMessage(IMessage *iface, ULONG flags)
{
    TRACE("(%p, %#lx)\n", iface, flags);
    return IMessage_SubmitMessage(inner(iface), flags);
}

static HRESULT WINAPI incoming_SetReadFlag(IMessage *iface, ULONG flags)
{
    TRACE("(%p, %#lx)\n", iface, flags);
    return IMessage_SetReadFlag(inner(iface), flags);
}

static const IMessageVtbl incoming_vtbl = {
    incoming_QueryInterface,    incoming_AddRef,           incoming_Release,
    incoming_GetLastError,      incoming_SaveChanges,      incoming_GetProps,
    incoming_GetPropList,       incoming_OpenProperty,     incoming_SetProps,
    incoming_DeleteProps,       incoming_CopyTo,           incoming_CopyProps,
    incoming_GetNamesFromIDs,   incoming_GetIDsFromNames,  incoming_GetAttachmentTable,
    incoming_OpenAttach,        incoming_CreateAttach,     incoming_DeleteAttach,
    incoming_GetRecipientTable, incoming_ModifyRecipients, incoming_SubmitMessage,
    incoming_SetReadFlag,
};

HRESULT incoming_wrap(struct mail *mail, IMessage *message, IMessage **out)
{
    struct incoming *incoming;

    if (!(incoming = calloc(1, sizeof(*incoming)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    incoming->IMessage_iface.lpVtbl = &incoming_vtbl;
    incoming->refcount = 1;
    incoming->inner = message;
    IMessage_AddRef(message);
    incoming->mail = mail;
    *out = &incoming->IMessage_iface;
    return S_OK;
}

BOOL incoming_duplicate(IMessage *message)
{
    return message->lpVtbl == &incoming_vtbl && impl_from_IMessage(message)->duplicate;
}
