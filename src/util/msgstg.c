/*
 * IMessage on IStorage (spec U95-U98): OpenIMsgSession, CloseIMsgSession, OpenIMsgOnIStg, GetAttribIMsgOnIStg and
 * SetAttribIMsgOnIStg, as transports and stores use them to keep messages in files.
 *
 * A message keeps its properties in an IPropData (CreateIProp) and its recipients in an ITableData (CreateTable,
 * indexed by PR_ROWID), both with the caller's allocators. SaveChanges writes them, and the attachments' properties,
 * in the .msg layout Microsoft publishes ([MS-OXMSG], msgfile.c), so the storage is a .msg file any reader opens; it
 * commits the storage unless IMSG_NO_ISTG_COMMIT. A storage that holds a .msg opens with what it holds; one in the
 * text layout of this host's earlier versions (a stream "__properties") still opens, and is saved as a .msg.
 * A storage opened without write access gives a read-only message. OpenProperty gives a property as a stream
 * (propstream.c). Named properties are mapped as the .msg file keeps them (msgnames.c); SubmitMessage always answers
 * MAPI_E_NO_SUPPORT (U96). The support object
 * is used only for its allocators: no progress dialogs, no short-term entry IDs made long-term.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "ini.h"
#include "list.h"
#include "copyto.h"
#include "copymsg.h"
#include "proptext.h"
#include "propval.h"
#include "message.h"
#include "msgattach.h"
#include "msgfile.h"
#include "propstream.h"
#include "wbstream.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(msgstg);

/* The text layout of this host's versions before [MS-OXMSG]: still read, never written. */
static const WCHAR legacy_stream[] = L"__properties";

/* What goes to and comes from the storage. */

static void WINAPI ignore_line(void *context, int line, const char *message)
{
    TRACE("(%p, %#lx, %p)\n", context, (unsigned long)line, message);
}

/* [MS-OXMSG] (msgfile.c); a layout of this host's older versions goes once the message is saved in the new one. */
static HRESULT save(struct message *message)
{
    HRESULT hr = msgfile_save(message);

    if (SUCCEEDED(hr)) IStorage_DestroyElement(message->storage, legacy_stream);
    if (SUCCEEDED(hr) && !(message->flags & IMSG_NO_ISTG_COMMIT)) hr = IStorage_Commit(message->storage, STGC_DEFAULT);
    return FAILED(hr) ? MapStorageSCode(hr) : S_OK;
}

/* One section's lines as property values in one MAPI buffer; lines that do not parse are skipped. */
static HRESULT parse_section(const struct ini_section *section, ULONG *count, SPropValue **values)
{
    const char *why;
    ULONG i, tag;
    HRESULT hr;

    *count = 0;
    if ((hr = MAPIAllocateBuffer((section->count ? section->count : 1) * sizeof(**values), (void **)values))) return hr;
    for (i = 0; i < section->count; i++) {
        if (!proptext_parse_tag(section->lines[i].key, &tag)) continue;
        if (proptext_parse_value(tag, section->lines[i].value, &(*values)[*count], *values, &why) == S_OK) (*count)++;
    }
    return S_OK;
}

static HRESULT load_legacy(struct message *message)
{
    struct ini ini = { .path = "__properties" };
    SPropValue *values, *key;
    IStream *stream;
    ULONG count, size, i;
    BYTE *text;
    HRESULT hr;

    if (FAILED(
            IStorage_OpenStream(message->storage, legacy_stream, NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, 0, &stream)))
        return S_OK; /* a new message */
    hr = stream_read_all(stream, &text, &size);
    if (SUCCEEDED(hr)) {
        if (!ini_parse(&ini, (char *)text, ignore_line, NULL)) hr = MAPI_E_NOT_ENOUGH_MEMORY;
        for (i = 0; SUCCEEDED(hr) && i < ini.count; i++) {
            if ((hr = parse_section(&ini.sections[i], &count, &values)) != S_OK) break;
            if (!_stricmp(ini.sections[i].name, "message"))
                hr = IPropData_SetProps(message->props, count, values, NULL);
            else if (!_stricmp(ini.sections[i].name, "recipient") && (key = PpropFindProp(values, count, PR_ROWID))) {
                SRow row = { 0, count, values };
                if (key->Value.l >= (LONG)message->next_rowid) message->next_rowid = key->Value.l + 1;
                hr = ITableData_HrModifyRow(message->recipients, &row);
            } else if (!_stricmp(ini.sections[i].name, "attachment")
                       && (key = PpropFindProp(values, count, PR_ATTACH_NUM))) {
                SRow row = { 0, count, values };
                if (key->Value.l >= (LONG)message->next_attach) message->next_attach = key->Value.l + 1;
                hr = ITableData_HrModifyRow(message->attachments, &row);
            }
            MAPIFreeBuffer(values);
        }
        ini_free(&ini);
        free(text);
    }
    IStream_Release(stream);
    return FAILED(hr) ? MapStorageSCode(hr) : S_OK;
}

static HRESULT load(struct message *message)
{
    HRESULT hr;

    if (!msgfile_present(message->storage)) return load_legacy(message);
    hr = msgfile_load(message);
    /* A storage's own failures in MAPI's words; the format's (MAPI_E_CORRUPT_DATA) as they are. */
    return FAILED(hr) && HRESULT_FACILITY(hr) == FACILITY_STORAGE ? MapStorageSCode(hr) : hr;
}

/* The object. */

/* The session goes with its last reference: CloseIMsgSession's, or that of the last message still in it, so that a
 * message released on another thread while the session closes never touches freed memory. */
static void session_release(LPMSGSESS session)
{
    if (InterlockedDecrement(&session->refcount)) return;
    DeleteCriticalSection(&session->cs);
    free(session);
}

static HRESULT WINAPI message_QueryInterface(IMessage *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IMessage, NULL };

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI message_AddRef(IMessage *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IMessage(iface)->refcount);
}

/* U96: the caller's MSGCALLRELEASE runs after the last Release, when the storage is no longer used. */
static ULONG WINAPI message_Release(IMessage *iface)
{
    struct message *message = impl_from_IMessage(iface);
    ULONG refcount = InterlockedDecrement(&message->refcount);
    LPMSGSESS session;

    TRACE("(%p)\n", iface);
    if (refcount) return refcount;
    if ((session = message->session)) {
        EnterCriticalSection(&session->cs);
        list_remove(&message->entry); /* a no-op once CloseIMsgSession has emptied the list */
        LeaveCriticalSection(&session->cs);
        session_release(session);
    }
    if (message->props) IPropData_Release(message->props);
    msgnames_release(message->names);
    if (message->recipients) ITableData_Release(message->recipients);
    if (message->attachments) ITableData_Release(message->attachments);
    DeleteCriticalSection(&message->cs);
    IStorage_Release(message->storage);
    if (message->release) message->release(message->caller_data, iface);
    free(message);
    return 0;
}

static HRESULT WINAPI message_GetLastError(IMessage *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI message_SaveChanges(IMessage *iface, ULONG flags)
{
    struct message *message = impl_from_IMessage(iface);

    TRACE("(%p, %#lx)\n", iface, flags);
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    if (!message->writable) return MAPI_E_NO_ACCESS;
    return save(message);
}

static HRESULT WINAPI message_GetProps(IMessage *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                       SPropValue **values)
{
    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, tags, flags, count, values);
    if (impl_from_IMessage(iface)->closed) return MAPI_E_INVALID_OBJECT;
    return IPropData_GetProps(impl_from_IMessage(iface)->props, tags, flags, count, values);
}

static HRESULT WINAPI message_GetPropList(IMessage *iface, ULONG flags, SPropTagArray **tags)
{
    TRACE("(%p, %#lx, %p)\n", iface, flags, tags);
    if (impl_from_IMessage(iface)->closed) return MAPI_E_INVALID_OBJECT;
    return IPropData_GetPropList(impl_from_IMessage(iface)->props, flags, tags);
}

/* Properties as streams (propstream.c); no other interface. */
static HRESULT WINAPI message_OpenProperty(IMessage *iface, ULONG tag, const IID *iid, ULONG options, ULONG flags,
                                           IUnknown **out)
{
    struct message *message = impl_from_IMessage(iface);

    TRACE("(%p, %#lx, %p, %#lx, %#lx, %p)\n", iface, tag, iid, options, flags, out);
    if (!iid || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    if (!IsEqualIID(iid, &IID_IStream)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    return propstream_open(message->props, message->alloc.free, tag, flags, message->writable, (IStream **)out);
}

static HRESULT WINAPI message_SetProps(IMessage *iface, ULONG count, SPropValue *values, SPropProblemArray **problems)
{
    struct message *message = impl_from_IMessage(iface);

    TRACE("(%p, %#lx, %p, %p)\n", iface, count, values, problems);
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    if (!message->writable) return MAPI_E_NO_ACCESS;
    return IPropData_SetProps(message->props, count, values, problems);
}

static HRESULT WINAPI message_DeleteProps(IMessage *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    struct message *message = impl_from_IMessage(iface);

    TRACE("(%p, %p, %p)\n", iface, tags, problems);
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    if (!message->writable) return MAPI_E_NO_ACCESS;
    return IPropData_DeleteProps(message->props, tags, problems);
}

static HRESULT WINAPI message_CopyTo(IMessage *iface, ULONG exclude_count, const IID *exclude, SPropTagArray *excluded,
                                     ULONG_PTR ui_param, IMAPIProgress *progress, const IID *iid, void *dest,
                                     ULONG flags, SPropProblemArray **problems)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, exclude_count, exclude, excluded, ui_param,
          progress, iid, dest, flags, problems);
    if (impl_from_IMessage(iface)->closed) return MAPI_E_INVALID_OBJECT;
    if (!dest) return MAPI_E_INVALID_PARAMETER;
    hr = copyto_all((IMAPIProp *)iface, excluded, dest, flags, problems);
    /* A message to a message: its recipients and attachments too. */
    if (SUCCEEDED(hr) && iid && IsEqualIID(iid, &IID_IMessage)) hr = copymsg_parts(iface, excluded, dest, flags);
    return hr;
}

static HRESULT WINAPI message_CopyProps(IMessage *iface, SPropTagArray *included, ULONG_PTR ui_param,
                                        IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                        SPropProblemArray **problems)
{
    TRACE("(%p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, included, ui_param, progress, iid, dest, flags, problems);
    if (impl_from_IMessage(iface)->closed) return MAPI_E_INVALID_OBJECT;
    if (!dest) return MAPI_E_INVALID_PARAMETER;
    return copyto_props((IMAPIProp *)iface, included, dest, flags, problems);
}

static HRESULT WINAPI message_GetNamesFromIDs(IMessage *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                              ULONG *count, MAPINAMEID ***names)
{
    struct message *message = impl_from_IMessage(iface);

    TRACE("(%p, %p, %p, %#lx, %p, %p)\n", iface, tags, guid, flags, count, names);
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    return msgnames_names(message->names, &message->alloc, tags, guid, flags, count, names);
}

static HRESULT WINAPI message_GetIDsFromNames(IMessage *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                              SPropTagArray **tags)
{
    struct message *message = impl_from_IMessage(iface);

    TRACE("(%p, %#lx, %p, %#lx, %p)\n", iface, count, names, flags, tags);
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    return msgnames_ids(message->names, &message->alloc, message->writable, count, names, flags, tags);
}

/* A view of a message's table whose default string columns are in the width the caller asked for (MAPI_UNICODE or
 * not): a Unicode name is never narrowed for a client that can take it. */
static HRESULT view_in_width(ITableData *data, ULONG flags, IMAPITable **table)
{
    SPropTagArray *columns;
    HRESULT hr;
    ULONG i;

    if (FAILED(hr = ITableData_HrGetView(data, NULL, NULL, 0, table))) return hr;
    if (SUCCEEDED(hr = IMAPITable_QueryColumns(*table, 0, &columns))) {
        for (i = 0; i < columns->cValues; i++) {
            ULONG type = PROP_TYPE(columns->aulPropTag[i]);
            if (type == PT_STRING8 || type == PT_UNICODE)
                columns->aulPropTag[i] =
                    CHANGE_PROP_TYPE(columns->aulPropTag[i], flags & MAPI_UNICODE ? PT_UNICODE : PT_STRING8);
        }
        hr = IMAPITable_SetColumns(*table, columns, 0);
        MAPIFreeBuffer(columns);
    }
    if (FAILED(hr)) {
        IMAPITable_Release(*table);
        *table = NULL;
    }
    return hr;
}

static HRESULT WINAPI message_GetAttachmentTable(IMessage *iface, ULONG flags, IMAPITable **table)
{
    struct message *message = impl_from_IMessage(iface);

    TRACE("(%p, %#lx, %p)\n", iface, flags, table);
    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return view_in_width(message->attachments, flags, table);
}

static HRESULT WINAPI message_OpenAttach(IMessage *iface, ULONG number, const IID *iid, ULONG flags, IAttach **attach)
{
    struct message *message = impl_from_IMessage(iface);

    TRACE("(%p, %#lx, %p, %#lx, %p)\n", iface, number, iid, flags, attach);
    if (!attach) return MAPI_E_INVALID_PARAMETER;
    *attach = NULL;
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    if (iid && !IsEqualIID(iid, &IID_IAttach)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (flags & MAPI_MODIFY && !message->writable) return MAPI_E_NO_ACCESS;
    return attachment_open(message, number, FALSE, attach);
}

static HRESULT WINAPI message_CreateAttach(IMessage *iface, const IID *iid, ULONG flags, ULONG *number,
                                           IAttach **attach)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;

    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, iid, flags, number, attach);
    if (!attach || !number) return MAPI_E_INVALID_PARAMETER;
    *attach = NULL;
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    if (iid && !IsEqualIID(iid, &IID_IAttach)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (!message->writable) return MAPI_E_NO_ACCESS;
    if ((hr = attachment_open(message, message->next_attach, TRUE, attach)) == S_OK) *number = message->next_attach++;
    return hr;
}

static HRESULT WINAPI message_DeleteAttach(IMessage *iface, ULONG number, ULONG_PTR ui_param, IMAPIProgress *progress,
                                           ULONG flags)
{
    struct message *message = impl_from_IMessage(iface);
    SPropValue key = { PR_ATTACH_NUM, 0, { .l = number } };
    WCHAR name[MSGFILE_NAME_SIZE];
    HRESULT hr;

    TRACE("(%p, %#lx, %#Ix, %p, %#lx)\n", iface, number, ui_param, progress, flags);
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    if (!message->writable) return MAPI_E_NO_ACCESS;
    if (FAILED(hr = ITableData_HrDeleteRow(message->attachments, &key))) return hr;
    msgfile_attachment_name(number, name);
    IStorage_DestroyElement(message->storage, name); /* its embedded message, if it had one */
    return S_OK;
}

static HRESULT WINAPI message_GetRecipientTable(IMessage *iface, ULONG flags, IMAPITable **table)
{
    struct message *message = impl_from_IMessage(iface);

    TRACE("(%p, %#lx, %p)\n", iface, flags, table);
    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return view_in_width(message->recipients, flags, table);
}

/* One recipient row: the entry's properties and its PR_ROWID, the entry's own one replaced. */
static HRESULT modify_recipient(struct message *message, const ADRENTRY *entry, ULONG rowid)
{
    SPropValue *values = malloc((entry->cValues + 1) * sizeof(*values));
    SRow row = { 0, 0, values };
    ULONG i;
    HRESULT hr;

    if (!values) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < entry->cValues; i++)
        if (PROP_ID(entry->rgPropVals[i].ulPropTag) != PROP_ID(PR_ROWID)) values[row.cValues++] = entry->rgPropVals[i];
    values[row.cValues].ulPropTag = PR_ROWID;
    values[row.cValues++].Value.l = rowid;
    hr = ITableData_HrModifyRow(message->recipients, &row);
    free(values);
    return hr;
}

/* No flag replaces every recipient; MODRECIP_ADD adds, MODRECIP_MODIFY replaces and MODRECIP_REMOVE removes the rows
 * the entries' PR_ROWID name (an unknown one is skipped). */
static HRESULT WINAPI message_ModifyRecipients(IMessage *iface, ULONG flags, ADRLIST *mods)
{
    struct message *message = impl_from_IMessage(iface);
    const SPropValue *rowid;
    HRESULT hr = S_OK;
    ULONG i;

    TRACE("(%p, %#lx, %p)\n", iface, flags, mods);
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    if (!mods) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MODRECIP_ADD | MODRECIP_MODIFY | MODRECIP_REMOVE)) return MAPI_E_UNKNOWN_FLAGS;
    if (flags & (flags - 1)) return MAPI_E_INVALID_PARAMETER; /* one operation at a time */
    if (!message->writable) return MAPI_E_NO_ACCESS;
    for (i = 0; flags & (MODRECIP_MODIFY | MODRECIP_REMOVE) && i < mods->cEntries; i++)
        if (!PpropFindProp(mods->aEntries[i].rgPropVals, mods->aEntries[i].cValues, PR_ROWID))
            return MAPI_E_INVALID_PARAMETER;
    if (!flags) hr = ITableData_HrDeleteRows(message->recipients, TAD_ALL_ROWS, NULL, NULL);
    for (i = 0; SUCCEEDED(hr) && i < mods->cEntries; i++) {
        const ADRENTRY *entry = &mods->aEntries[i];
        rowid = PpropFindProp(entry->rgPropVals, entry->cValues, PR_ROWID);
        if (flags & MODRECIP_REMOVE) {
            if ((hr = ITableData_HrDeleteRow(message->recipients, (SPropValue *)rowid)) == MAPI_E_NOT_FOUND) hr = S_OK;
        } else if (flags & MODRECIP_MODIFY)
            hr = modify_recipient(message, entry, rowid->Value.l);
        else
            hr = modify_recipient(message, entry, message->next_rowid++);
    }
    return hr;
}

static HRESULT WINAPI message_SubmitMessage(IMessage *iface, ULONG flags)
{
    TRACE("(%p, %#lx)\n", iface, flags);
    if (impl_from_IMessage(iface)->closed) return MAPI_E_INVALID_OBJECT;
    return unsupported("IMessage on IStorage", "SubmitMessage"); /* a message on a storage is in no store (U96) */
}

/* PR_MESSAGE_FLAGS: MSGFLAG_READ set, or cleared with CLEAR_READ_FLAG; CLEAR_RN_PENDING and CLEAR_NRN_PENDING clear
 * their pending flags. No receipt is ever sent: there is no spooler behind these messages. */
static HRESULT WINAPI message_SetReadFlag(IMessage *iface, ULONG flags)
{
    struct message *message = impl_from_IMessage(iface);
    SPropValue *value, update = { PR_MESSAGE_FLAGS, 0, { .l = 0 } };

    TRACE("(%p, %#lx)\n", iface, flags);
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    if (flags
        & ~(SUPPRESS_RECEIPT | CLEAR_READ_FLAG | MAPI_DEFERRED_ERRORS | GENERATE_RECEIPT_ONLY | CLEAR_RN_PENDING
            | CLEAR_NRN_PENDING))
        return MAPI_E_UNKNOWN_FLAGS;
    if (!message->writable) return MAPI_E_NO_ACCESS;
    if (flags & GENERATE_RECEIPT_ONLY) return S_OK;
    if (HrGetOneProp((IMAPIProp *)message->props, PR_MESSAGE_FLAGS, &value) == S_OK) {
        update.Value.l = value->Value.l;
        message->alloc.free(value);
    }
    if (flags & CLEAR_READ_FLAG)
        update.Value.l &= ~MSGFLAG_READ;
    else
        update.Value.l |= MSGFLAG_READ;
    if (flags & CLEAR_RN_PENDING) update.Value.l &= ~MSGFLAG_RN_PENDING;
    if (flags & CLEAR_NRN_PENDING) update.Value.l &= ~MSGFLAG_NRN_PENDING;
    return IPropData_SetProps(message->props, 1, &update, NULL);
}

static const IMessageVtbl message_vtbl = {
    message_QueryInterface,    message_AddRef,           message_Release,
    message_GetLastError,      message_SaveChanges,      message_GetProps,
    message_GetPropList,       message_OpenProperty,     message_SetProps,
    message_DeleteProps,       message_CopyTo,           message_CopyProps,
    message_GetNamesFromIDs,   message_GetIDsFromNames,  message_GetAttachmentTable,
    message_OpenAttach,        message_CreateAttach,     message_DeleteAttach,
    message_GetRecipientTable, message_ModifyRecipients, message_SubmitMessage,
    message_SetReadFlag,
};

/* The exports. */

SCODE WINAPI OpenIMsgSession(LPMALLOC malloc, ULONG flags, LPMSGSESS *out)
{
    LPMSGSESS session;

    TRACE("(%p, %#lx, %p)\n", malloc, flags, out);
    if (!malloc || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (!(session = calloc(1, sizeof(*session)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    session->refcount = 1;
    InitializeCriticalSection(&session->cs);
    list_init(&session->messages);
    *out = session;
    return S_OK;
}

/* U95: every message of the session turns invalid; each is freed at its own last Release. */
void WINAPI CloseIMsgSession(LPMSGSESS session)
{
    struct list *cursor, *next;

    TRACE("(%p)\n", session);
    if (!session) return;
    EnterCriticalSection(&session->cs);
    LIST_FOR_EACH_SAFE (cursor, next, &session->messages) {
        struct message *message = LIST_ENTRY(cursor, struct message, entry);
        message->closed = TRUE;
        list_remove(&message->entry);
    }
    LeaveCriticalSection(&session->cs);
    session_release(session);
}

/* An attachment's embedded message: the parent's allocators and width, outside any session; it commits into the
 * parent. */
static HRESULT open_embedded(struct message *parent, IStorage *storage, IMessage **out)
{
    HRESULT hr = OpenIMsgOnIStg(NULL, parent->alloc.buffer, parent->alloc.more, parent->alloc.free,
                                MAPIGetDefaultMalloc(), NULL, storage, NULL, 0, parent->flags & MAPI_UNICODE, out);

    if (SUCCEEDED(hr)) {
        struct message *inner = impl_from_IMessage(*out);

        inner->embedded = TRUE; /* its .msg header is the embedded kind, and the file's names are its own */
        msgnames_release(inner->names);
        msgnames_addref(inner->names = parent->names);
    }
    return hr;
}

SCODE WINAPI OpenIMsgOnIStg(LPMSGSESS session, LPALLOCATEBUFFER allocate, LPALLOCATEMORE allocate_more,
                            LPFREEBUFFER free_buffer, LPMALLOC malloc, LPVOID support, LPSTORAGE storage,
                            MSGCALLRELEASE *release, ULONG caller_data, ULONG flags, LPMESSAGE *out)
{
    SizedSPropTagArray(4, columns) = { 4, { PR_ROWID, PR_DISPLAY_NAME_A, PR_RECIPIENT_TYPE, PR_ENTRYID } };
    SizedSPropTagArray(6, attachment_columns) = { 6,
                                                  { PR_ATTACH_NUM, PR_INSTANCE_KEY, PR_RECORD_KEY, PR_ATTACH_METHOD,
                                                    PR_ATTACH_FILENAME_A, PR_RENDERING_POSITION } };
    struct message *message;
    STATSTG stat;
    HRESULT hr;

    TRACE("(%p, %p, %p, %p, %p, %p, %p, %p, %#lx, %#lx, %p)\n", session, allocate, allocate_more, free_buffer, malloc,
          support, storage, release, caller_data, flags, out);
    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!storage || !malloc) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(IMSG_NO_ISTG_COMMIT | MAPI_UNICODE)) return MAPI_E_UNKNOWN_FLAGS;
    if ((!allocate || !allocate_more || !free_buffer)
        && (!support
            || FAILED(
                IMAPISupport_GetMemAllocRoutines((IMAPISupport *)support, &allocate, &allocate_more, &free_buffer))))
        return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = IStorage_Stat(storage, &stat, STATFLAG_NONAME))) return MapStorageSCode(hr);
    if ((stat.grfMode & 3) == STGM_WRITE) return MAPI_E_INVALID_PARAMETER; /* write-only storages are refused (U96) */
    if (!(message = calloc(1, sizeof(*message)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    message->IMessage_iface.lpVtbl = &message_vtbl;
    message->refcount = 1;
    message->writable = (stat.grfMode & 3) == STGM_READWRITE;
    message->flags = flags;
    message->next_rowid = 1;
    message->next_attach = 0; /* the first attachment's storage is "__attach_version1.0_#00000000" */
    InitializeCriticalSection(&message->cs);
    list_init(&message->open_attachments);
    message->release = release;
    message->caller_data = caller_data;
    message->alloc.buffer = allocate;
    message->alloc.more = allocate_more;
    message->alloc.free = free_buffer;
    message->open_embedded = open_embedded;
    message->attachment_storage = attachment_storage;
    message->attachment_keys = attachment_keys;
    message->storage = storage;
    IStorage_AddRef(storage);
    list_init(&message->entry);
    if (!(message->names = msgnames_create()))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if ((hr = CreateIProp(&IID_IPropData, allocate, allocate_more, free_buffer, NULL, &message->props)) != S_OK
             || (hr = CreateTable(&IID_ITableData, allocate, allocate_more, free_buffer, NULL, TBLTYPE_DYNAMIC,
                                  PR_ROWID, (SPropTagArray *)&columns, &message->recipients))
                    != S_OK
             || (hr = CreateTable(&IID_ITableData, allocate, allocate_more, free_buffer, NULL, TBLTYPE_DYNAMIC,
                                  PR_ATTACH_NUM, (SPropTagArray *)&attachment_columns, &message->attachments))
                    != S_OK
             || (hr = load(message)) != S_OK) {
        message->release = NULL; /* the caller's callback is for messages it got */
        IMessage_Release(&message->IMessage_iface);
        return hr;
    }
    if ((message->session = session)) {
        InterlockedIncrement(&session->refcount);
        EnterCriticalSection(&session->cs);
        list_add_tail(&session->messages, &message->entry);
        LeaveCriticalSection(&session->cs);
    }
    *out = &message->IMessage_iface;
    return S_OK;
}

static struct message *message_of(void *object)
{
    IMessage *iface = object;

    return iface && iface->lpVtbl == &message_vtbl ? impl_from_IMessage(iface) : NULL;
}

/* U97: readable when present, writeable when IPropData says read-write and the storage allows writing. */
HRESULT WINAPI GetAttribIMsgOnIStg(LPVOID object, LPSPropTagArray tags, LPSPropAttrArray *out)
{
    struct message *message = message_of(object);
    SPropTagArray *asked = tags;
    ULONG *access, i;
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", object, tags, out);
    if (!message || !tags || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    if (FAILED(hr = IPropData_HrGetPropAccess(message->props, &asked, &access))) return hr;
    if ((hr = message->alloc.buffer(CbNewSPropAttrArray(tags->cValues ? tags->cValues : 1), (void **)out)) == S_OK) {
        (*out)->cValues = tags->cValues;
        for (i = 0; i < tags->cValues; i++) {
            if (!access[i])
                (*out)->aPropAttr[i] = PROPATTR_NOT_PRESENT;
            else
                (*out)->aPropAttr[i] =
                    PROPATTR_READABLE | (message->writable && access[i] & IPROP_READWRITE ? PROPATTR_WRITEABLE : 0);
        }
    }
    message->alloc.free(access);
    return hr;
}

HRESULT WINAPI SetAttribIMsgOnIStg(LPVOID object, LPSPropTagArray tags, LPSPropAttrArray attributes,
                                   LPSPropProblemArray *problems)
{
    struct message *message = message_of(object);
    SPropTagArray *current_tags = tags;
    ULONG *access, i;
    HRESULT hr;

    TRACE("(%p, %p, %p, %p)\n", object, tags, attributes, problems);
    if (problems) *problems = NULL;
    if (!message || !tags || !attributes || tags->cValues != attributes->cValues) return MAPI_E_INVALID_PARAMETER;
    if (message->closed) return MAPI_E_INVALID_OBJECT;
    /* Each property keeps its status (clean or dirty); only its access level changes. */
    if ((hr = IPropData_HrGetPropAccess(message->props, &current_tags, &access)) != S_OK) return hr;
    for (i = 0; i < tags->cValues; i++)
        access[i] = (attributes->aPropAttr[i] & PROPATTR_WRITEABLE ? IPROP_READWRITE : IPROP_READONLY)
                    | (access[i] & IPROP_DIRTY ? IPROP_DIRTY : IPROP_CLEAN);
    hr = IPropData_HrSetPropAccess(message->props, tags, access);
    message->alloc.free(current_tags);
    message->alloc.free(access);
    return hr;
}
