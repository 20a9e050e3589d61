/* A message on IStorage as both its files see it: the message (msgstg.c) and its attachments (msgattach.c). */
#ifndef MAPIHOST_MESSAGE_H
#define MAPIHOST_MESSAGE_H

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "list.h"
#include "propval.h"
#include "msgnames.h"

struct _MSGSESS {
    LONG refcount; /* CloseIMsgSession's, and one per message still in it */
    CRITICAL_SECTION cs;
    struct list messages; /* struct message, entry */
};

struct message {
    IMessage IMessage_iface;
    LONG refcount;
    struct list entry;
    LPMSGSESS session; /* a reference; NULL outside a session */
    BOOL closed;       /* by CloseIMsgSession: every call but Release fails (U95) */
    BOOL writable;
    ULONG flags; /* OpenIMsgOnIStg's: IMSG_NO_ISTG_COMMIT, MAPI_UNICODE */
    ULONG next_rowid;
    ULONG next_attach;
    IPropData *props;
    ITableData *recipients;
    ITableData *attachments;      /* every saved attachment's properties, indexed by PR_ATTACH_NUM */
    CRITICAL_SECTION cs;          /* guards open_attachments */
    struct list open_attachments; /* struct attachment, entry: OpenAttach gives an open one again (U96) */
    IStorage *storage;
    MSGCALLRELEASE *release;
    ULONG caller_data;
    struct mapi_allocators alloc;
    BOOL embedded;           /* an attachment's embedded message: its .msg header is the embedded kind */
    struct msg_names *names; /* named properties: one mapping for the message, its attachments and embedded ones */
    /* How an attachment opens its embedded message over storage (msgstg.c): through this pointer, so that the
     * attachments need nothing of the file that makes messages. */
    HRESULT (*open_embedded)(struct message *parent, IStorage *storage, IMessage **out);
    /* The storage of attachment number (msgattach.c), AddRef'd: the one its open attachment holds, or opened (made
     * when new) for the caller. */
    HRESULT (*attachment_storage)(struct message *message, ULONG number, IStorage **out);
    ULONG (*attachment_keys)(const ULONG *number, ULONG count, const SPropValue *values, SPropValue *added);
};

static inline struct message *impl_from_IMessage(IMessage *iface)
{
    return CONTAINING_RECORD(iface, struct message, IMessage_iface);
}

#endif
