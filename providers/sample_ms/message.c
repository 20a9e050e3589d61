/*
 * A message of the store: a row of the messages table whose content (properties, recipients, attachments, embedded
 * messages, large values as streams) is an IMessage on IStorage from MAPI's utility library (OpenIMsgOnIStg), kept as
 * the row's blob. This object wraps that message: it hands the content calls to it, and adds what a store's message
 * has besides: its identity (PR_ENTRYID, PR_PARENT_ENTRYID, PR_STORE_ENTRYID, ...), the values the store computes
 * (PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE, PR_HASATTACH, PR_DISPLAY_TO/CC/BCC, PR_MSG_STATUS, PR_ACCESS), the store's map of
 * named properties, and SaveChanges, which writes the content and the row's table columns in one transaction.
 *
 * SaveChanges fails with MAPI_E_OBJECT_CHANGED if another object saved the message since this one was opened (unless
 * FORCE_SAVE), and MAPI_E_OBJECT_DELETED if it was deleted. After SaveChanges without KEEP_OPEN_READWRITE, and after
 * SubmitMessage, the message is read-only (MAPI_E_NO_ACCESS).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "sqlite3.h"
#include "store.h"
#ifdef SAMPLE_FAULTS
#include "coupled.h"
#endif

struct message {
    IMessage IMessage_iface;
    LONG refcount;
    struct store_object object;
    IMessage *inner;
    IStorage *storage;
    ILockBytes *bytes;
    LONGLONG id; /* 0 until the first SaveChanges */
    LONGLONG folder;
    LONGLONG modified; /* the row's, when this object read or wrote it */
    BOOL associated;
    BOOL modify;
    ULONG flags;     /* PR_MESSAGE_FLAGS */
    BOOL submitting; /* SubmitMessage's save: the row joins the outgoing queue in the same transaction */
    ULONG submit_flags;
};

static inline struct message *impl_from_IMessage(IMessage *iface)
{
    return CONTAINING_RECORD(iface, struct message, IMessage_iface);
}

/* The properties only the store sets. */
static BOOL computed(ULONG tag)
{
    switch (PROP_ID(tag)) {
    case PROP_ID(PR_ENTRYID):
    case PROP_ID(PR_RECORD_KEY):
    case PROP_ID(PR_INSTANCE_KEY):
    case PROP_ID(PR_PARENT_ENTRYID):
    case PROP_ID(PR_STORE_ENTRYID):
    case PROP_ID(PR_STORE_RECORD_KEY):
    case PROP_ID(PR_OBJECT_TYPE):
    case PROP_ID(PR_MESSAGE_SIZE):
    case PROP_ID(PR_HASATTACH):
    case PROP_ID(PR_MSG_STATUS):
    case PROP_ID(PR_SUBMIT_FLAGS):
    case PROP_ID(PR_ACCESS):
    case PROP_ID(PR_ACCESS_LEVEL):
    case PROP_ID(PR_DISPLAY_TO_W):
    case PROP_ID(PR_DISPLAY_CC_W):
    case PROP_ID(PR_DISPLAY_BCC_W):
    case PROP_ID(PR_MESSAGE_FLAGS): return TRUE;
    }
    return FALSE;
}

static void close_message(struct store_object *object)
{
    struct message *message = CONTAINING_RECORD(object, struct message, object);

    if (message->inner) IMessage_Release(message->inner);
    if (message->storage) IStorage_Release(message->storage);
    if (message->bytes) ILockBytes_Release(message->bytes);
    message->inner = NULL;
    message->storage = NULL;
    message->bytes = NULL;
}

static HRESULT usable(struct message *message)
{
    return store_object_usable(&message->object);
}

static HRESULT writable(struct message *message)
{
    HRESULT hr = usable(message);

    return FAILED(hr) ? hr : message->modify ? S_OK : MAPI_E_NO_ACCESS;
}

/* The message's content, as bytes of a compound file. */
static HRESULT content_bytes(struct message *message, HGLOBAL *global, ULONG *size)
{
    STATSTG stat;
    HRESULT hr;

    if (FAILED(hr = ILockBytes_Stat(message->bytes, &stat, STATFLAG_NONAME))
        || FAILED(hr = GetHGlobalFromILockBytes(message->bytes, global)))
        return hr;
    *size = stat.cbSize.LowPart;
    return S_OK;
}

/* Recipients' display names of one type, joined with "; " (PR_DISPLAY_TO and the others), into out. */
static void display_recipients(struct message *message, ULONG type, WCHAR *out, size_t size)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_DISPLAY_NAME_W, PR_RECIPIENT_TYPE } };
    IMAPITable *table;
    SRowSet *rows;
    size_t used = 0;
    ULONG i;

    out[0] = 0;
    if (FAILED(IMessage_GetRecipientTable(message->inner, MAPI_UNICODE, &table))) return;
    if (SUCCEEDED(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0))
        && SUCCEEDED(IMAPITable_QueryRows(table, 0x7fffffff, 0, &rows))) {
        for (i = 0; i < rows->cRows; i++) {
            SPropValue *props = rows->aRow[i].lpProps;
            if (props[1].ulPropTag != PR_RECIPIENT_TYPE || props[1].Value.l != (LONG)type
                || PROP_TYPE(props[0].ulPropTag) != PT_UNICODE)
                continue;
            used += swprintf(out + used, size - used - 1, used ? L"; %ls" : L"%ls", props[0].Value.lpszW);
            if (used >= size - 1) used = size - 1;
            out[used] = 0;
        }
        for (i = 0; i < rows->cRows; i++) sample_free_buffer(rows->aRow[i].lpProps);
        sample_free_buffer(rows);
    }
    IMAPITable_Release(table);
}

static BOOL has_attachments(struct message *message)
{
    IMAPITable *table;
    ULONG count = 0;

    if (FAILED(IMessage_GetAttachmentTable(message->inner, 0, &table))) return FALSE;
    IMAPITable_GetRowCount(table, 0, &count);
    IMAPITable_Release(table);
    return count > 0;
}

/* The columns of the message's row that come from its properties, in the order of the UPDATE and INSERT below. */
static const ULONG summary_tags[] = {
    PR_SUBJECT_W, PR_MESSAGE_CLASS_W, PR_SENDER_NAME_W, PR_MESSAGE_DELIVERY_TIME, PR_CLIENT_SUBMIT_TIME, PR_IMPORTANCE,
    PR_PRIORITY,  PR_CREATION_TIME,   PR_SEARCH_KEY,    PR_INTERNET_MESSAGE_ID_W,
};

static LONGLONG time_of(const SPropValue *value)
{
    return PROP_TYPE(value->ulPropTag) == PT_SYSTIME
               ? (LONGLONG)value->Value.ft.dwHighDateTime << 32 | value->Value.ft.dwLowDateTime
               : 0;
}

static HRESULT write_row(struct message *message)
{
    struct storedb *db = &message->object.store->db;
    SizedSPropTagArray(ARRAYSIZE(summary_tags), tags);
    WCHAR to[512], cc[512], bcc[512];
    SPropValue *values = NULL;
    LONGLONG times[3], now = store_now();
    const SBinary no_key = { 0, NULL };
    ULONG count, size;
    struct sqlite3_stmt *statement;
    HGLOBAL global;
    void *content;
    HRESULT hr;
    int result;

    tags.cValues = ARRAYSIZE(summary_tags);
    memcpy(tags.aulPropTag, summary_tags, sizeof(summary_tags));
    if (FAILED(hr = IMessage_GetProps(message->inner, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &values)))
        return hr;
    times[0] = time_of(&values[3]); /* PR_MESSAGE_DELIVERY_TIME */
    times[1] = time_of(&values[4]); /* PR_CLIENT_SUBMIT_TIME */
    times[2] = time_of(&values[7]); /* PR_CREATION_TIME */
    display_recipients(message, MAPI_TO, to, ARRAYSIZE(to));
    display_recipients(message, MAPI_CC, cc, ARRAYSIZE(cc));
    display_recipients(message, MAPI_BCC, bcc, ARRAYSIZE(bcc));
    if (has_attachments(message))
        message->flags |= MSGFLAG_HASATTACH;
    else
        message->flags &= ~MSGFLAG_HASATTACH;
    message->flags &= ~MSGFLAG_UNMODIFIED;
    if (FAILED(hr = content_bytes(message, &global, &size))) goto done;
    content = GlobalLock(global);
#define TEXT_OF(i) (PROP_TYPE(values[i].ulPropTag) == PT_UNICODE ? values[i].Value.lpszW : NULL)
#define LONG_OF(i) (PROP_TYPE(values[i].ulPropTag) == PT_LONG ? values[i].Value.l : 1)
#define BIN_OF(i) (PROP_TYPE(values[i].ulPropTag) == PT_BINARY ? values[i].Value.bin : no_key)
    statement = storedb_prepare(
        db, &hr,
        message->id ? "UPDATE messages SET folder = ?1, associated = ?2, flags = ?3, subject = ?4, class = ?5,"
                      " sender = ?6, display_to = ?7, display_cc = ?8, display_bcc = ?9, delivered = ?10,"
                      " submitted = ?11, created = ?12, modified = ?13, importance = ?14, priority = ?15, size = ?16,"
                      " hasattach = ?17, content = ?18, search_key = ?19, message_id = ?20 WHERE id = ?21"
                    : "INSERT INTO messages(folder, associated, flags, subject, class, sender, display_to, display_cc,"
                      " display_bcc, delivered, submitted, created, modified, importance, priority, size, hasattach,"
                      " content, search_key, message_id)"
                      " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)",
        message->id ? "illttttttiiiillllbbti" : "illttttttiiiillllbbt", message->folder, (ULONG)message->associated,
        message->flags, TEXT_OF(0), TEXT_OF(1), TEXT_OF(2), to[0] ? to : NULL, cc[0] ? cc : NULL, bcc[0] ? bcc : NULL,
        times[0] ? times[0] : now, times[1], times[2] ? times[2] : now, now, (ULONG)LONG_OF(5),
        (ULONG)(PROP_TYPE(values[6].ulPropTag) == PT_LONG ? values[6].Value.l : 0), size,
        (ULONG) !!(message->flags & MSGFLAG_HASATTACH), size, content, BIN_OF(8).cb, BIN_OF(8).lpb, TEXT_OF(9),
        message->id);
#undef TEXT_OF
#undef LONG_OF
#undef BIN_OF
    GlobalUnlock(global);
    if (!statement) goto done;
    result = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (result != SQLITE_DONE)
        hr = storedb_error(db, result, "saving a message");
    else {
        if (!message->id) message->id = sqlite3_last_insert_rowid(db->db);
        message->modified = now;
    }
done:
    sample_free_buffer(values);
    return hr;
}

static HRESULT WINAPI message_QueryInterface(IMessage *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IMessage, NULL };

    return sample_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI message_AddRef(IMessage *iface)
{
    return InterlockedIncrement(&impl_from_IMessage(iface)->refcount);
}

static ULONG WINAPI message_Release(IMessage *iface)
{
    struct message *message = impl_from_IMessage(iface);
    ULONG refcount = InterlockedDecrement(&message->refcount);

    if (!refcount) {
        close_message(&message->object);
        store_object_remove(&message->object);
        free(message);
    }
    return refcount;
}

static HRESULT WINAPI message_GetLastError(IMessage *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI message_SaveChanges(IMessage *iface, ULONG flags)
{
    struct message *message = impl_from_IMessage(iface);
    struct store *store = message->object.store;
    LONGLONG modified;
    BOOL created;
    HRESULT hr;

    if (FAILED(hr = writable(message))) return hr;
    if (flags & ~(KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = IMessage_SaveChanges(message->inner, KEEP_OPEN_READWRITE))) return hr;
    /* A saved message may be its only copy once the save returns (a transport deletes its own after StartMessage):
     * this commit waits for the disk even on the spooler's logon. */
    if (FAILED(hr = storedb_begin_durable(&store->db))) return hr;
    if (message->id) {
        modified = storedb_integer(&store->db, -1, "SELECT modified FROM messages WHERE id = ?", "i", message->id);
        if (modified < 0)
            hr = MAPI_E_OBJECT_DELETED;
        else if (modified != message->modified && !(flags & FORCE_SAVE))
            hr = MAPI_E_OBJECT_CHANGED;
    }
    created = !message->id;
    if (SUCCEEDED(hr) && SUCCEEDED(hr = write_row(message))) {
        store_changed(store, created ? fnevObjectCreated : fnevObjectModified, KIND_MESSAGE, message->id,
                      message->folder, 0, 0);
        if (message->submitting)
            hr = storedb_exec(&store->db, "UPDATE messages SET submit = ? WHERE id = ?", "li", message->submit_flags,
                              message->id);
        folder_touch(store, message->folder);
    }
    hr = store_finish(store, hr);
    if (SUCCEEDED(hr) && !(flags & KEEP_OPEN_READWRITE)) message->modify = FALSE;
    return hr;
}

/* Whether tags (NULL: all) ask for a value computed from the message's row, not from the object. */
static BOOL asks_row(const SPropTagArray *tags)
{
    ULONG i;

    for (i = 0; tags && i < tags->cValues; i++) switch (PROP_ID(tags->aulPropTag[i])) {
        case PROP_ID(PR_MESSAGE_SIZE):
        case PROP_ID(PR_MSG_STATUS):
        case PROP_ID(PR_SUBMIT_FLAGS):
        case PROP_ID(PR_DISPLAY_TO_W):
        case PROP_ID(PR_DISPLAY_CC_W):
        case PROP_ID(PR_DISPLAY_BCC_W): return TRUE;
        }
    return !tags;
}

/* The values the store computes, for a saved message; for a new one only what it has already. Those of its row are
 * read only when tags (NULL: all) ask for one: each read is a transaction of its own. */
static ULONG computed_values(struct message *message, const SPropTagArray *tags, SPropValue *values,
                             struct store_entry_id ids[2], struct sqlite3_stmt **row)
{
    struct store *store = message->object.store;
    HRESULT hr;
    ULONG n = 0;

    *row = NULL;
    values[n].ulPropTag = PR_OBJECT_TYPE;
    values[n++].Value.l = MAPI_MESSAGE;
    values[n].ulPropTag = PR_MESSAGE_FLAGS;
    values[n++].Value.l = message->flags;
    values[n].ulPropTag = PR_STORE_ENTRYID;
    values[n].Value.bin.cb = store->entry_id_size;
    values[n++].Value.bin.lpb = store->entry_id;
    values[n].ulPropTag = PR_STORE_RECORD_KEY;
    values[n].Value.bin.cb = sizeof(store->db.uid);
    values[n++].Value.bin.lpb = store->db.uid.ab;
    storeid_value(&values[n++], PR_PARENT_ENTRYID, &store->db, KIND_FOLDER, message->folder, &ids[1]);
    values[n].ulPropTag = PR_ACCESS;
    values[n++].Value.l = MAPI_ACCESS_READ | MAPI_ACCESS_DELETE | (message->modify ? MAPI_ACCESS_MODIFY : 0);
    values[n].ulPropTag = PR_ACCESS_LEVEL;
    values[n++].Value.l = message->modify ? MAPI_MODIFY : 0;
    values[n].ulPropTag = PR_HASATTACH;
    values[n++].Value.b = !!(message->flags & MSGFLAG_HASATTACH);
    if (!message->id) return n;
    storeid_value(&values[n++], PR_ENTRYID, &store->db, KIND_MESSAGE, message->id, &ids[0]);
    values[n] = values[n - 1];
    values[n++].ulPropTag = PR_RECORD_KEY;
    values[n] = values[n - 1];
    values[n++].ulPropTag = PR_INSTANCE_KEY;
    if (!asks_row(tags)) return n;
    if (!(*row = storedb_prepare(&store->db, &hr,
                                 "SELECT size, status, submit, display_to, display_cc, display_bcc FROM messages"
                                 " WHERE id = ?",
                                 "i", message->id)))
        return n;
    if (sqlite3_step(*row) != SQLITE_ROW) return n;
    values[n].ulPropTag = PR_MESSAGE_SIZE;
    values[n++].Value.l = sqlite3_column_int(*row, 0);
    values[n].ulPropTag = PR_MSG_STATUS;
    values[n++].Value.l = sqlite3_column_int(*row, 1);
    if (sqlite3_column_type(*row, 2) != SQLITE_NULL && !(sqlite3_column_int(*row, 2) & SUBMIT_SENT_PENDING)) {
        values[n].ulPropTag = PR_SUBMIT_FLAGS;
        values[n++].Value.l = sqlite3_column_int(*row, 2);
    }
    if (sqlite3_column_type(*row, 3) != SQLITE_NULL) {
        values[n].ulPropTag = PR_DISPLAY_TO_W;
        values[n++].Value.lpszW = (WCHAR *)sqlite3_column_text16(*row, 3);
    }
    if (sqlite3_column_type(*row, 4) != SQLITE_NULL) {
        values[n].ulPropTag = PR_DISPLAY_CC_W;
        values[n++].Value.lpszW = (WCHAR *)sqlite3_column_text16(*row, 4);
    }
    if (sqlite3_column_type(*row, 5) != SQLITE_NULL) {
        values[n].ulPropTag = PR_DISPLAY_BCC_W;
        values[n++].Value.lpszW = (WCHAR *)sqlite3_column_text16(*row, 5);
    }
    return n;
}

/* The tags GetProps(NULL) answers: the content's, less what the store computes, and the computed ones. */
static HRESULT all_tags(struct message *message, ULONG flags, const struct propbag *bag, SPropTagArray **out)
{
    SPropTagArray *inner, *tags;
    ULONG i, n = 0;
    HRESULT hr;

    if (FAILED(hr = IMessage_GetPropList(message->inner, flags, &inner))) return hr;
    if (sample_allocate_buffer(CbNewSPropTagArray(inner->cValues + bag->count), (void **)&tags)) {
        sample_free_buffer(inner);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; i < inner->cValues; i++)
        if (!computed(inner->aulPropTag[i])) tags->aulPropTag[n++] = inner->aulPropTag[i];
    for (i = 0; i < bag->count; i++) tags->aulPropTag[n++] = bag->values[i].ulPropTag;
    tags->cValues = n;
    sample_free_buffer(inner);
    *out = tags;
    return S_OK;
}

static HRESULT WINAPI message_GetProps(IMessage *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                       SPropValue **values)
{
    struct message *message = impl_from_IMessage(iface);
    struct store *store = message->object.store;
    SPropTagArray *asked = tags, *list = NULL;
    SPropValue props[24], *one;
    struct store_entry_id ids[2];
    struct sqlite3_stmt *row;
    struct propbag bag;
    SizedSPropTagArray(1, single) = { 1, { 0 } };
    ULONG i, n;
    HRESULT hr;

    if (FAILED(hr = usable(message))) return hr;
    if (!count || !values || (tags && IsBadReadPtr(tags, CbNewSPropTagArray(0)))) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(store->db.lock);
    bag.values = props;
    bag.count = computed_values(message, tags, props, ids, &row);
    if (!asked) hr = all_tags(message, flags, &bag, &list), asked = list;
    if (SUCCEEDED(hr)) hr = IMessage_GetProps(message->inner, asked, flags, count, values);
    /* Each computed tag asked for gets the store's value (or MAPI_E_NOT_FOUND), on the same allocation. */
    for (i = 0; SUCCEEDED(hr) && i < asked->cValues; i++) {
        if (!computed(asked->aulPropTag[i])) continue;
        single.aulPropTag[0] = asked->aulPropTag[i];
        if (FAILED(propbag_get_props(&bag, (SPropTagArray *)&single, flags, &n, &one))) continue;
        if (PROP_TYPE(one->ulPropTag) == PT_BINARY) {
            if (!sample_allocate_more(one->Value.bin.cb, *values, (void **)&(*values)[i].Value.bin.lpb)) {
                memcpy((*values)[i].Value.bin.lpb, one->Value.bin.lpb, one->Value.bin.cb);
                (*values)[i].Value.bin.cb = one->Value.bin.cb;
                (*values)[i].ulPropTag = one->ulPropTag;
            }
        } else if (PROP_TYPE(one->ulPropTag) == PT_UNICODE || PROP_TYPE(one->ulPropTag) == PT_STRING8) {
            size_t size = PROP_TYPE(one->ulPropTag) == PT_UNICODE ? (wcslen(one->Value.lpszW) + 1) * sizeof(WCHAR)
                                                                  : strlen(one->Value.lpszA) + 1;
            if (!sample_allocate_more(size, *values, (void **)&(*values)[i].Value.lpszA)) {
                memcpy((*values)[i].Value.lpszA, one->Value.lpszA, size);
                (*values)[i].ulPropTag = one->ulPropTag;
            }
        } else
            (*values)[i] = *one;
        sample_free_buffer(one);
    }
    if (row) sqlite3_finalize(row);
    LeaveCriticalSection(store->db.lock);
    if (list) sample_free_buffer(list);
    if (FAILED(hr)) return hr;
    for (i = 0; i < *count; i++)
        if (PROP_TYPE((*values)[i].ulPropTag) == PT_ERROR) return MAPI_W_ERRORS_RETURNED;
    return S_OK;
}

static HRESULT WINAPI message_GetPropList(IMessage *iface, ULONG flags, SPropTagArray **tags)
{
    struct message *message = impl_from_IMessage(iface);
    struct store *store = message->object.store;
    struct store_entry_id ids[2];
    struct sqlite3_stmt *row;
    SPropValue props[24];
    struct propbag bag;
    HRESULT hr;

    if (FAILED(hr = usable(message))) return hr;
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(store->db.lock);
    bag.values = props;
    bag.count = computed_values(message, NULL, props, ids, &row);
    hr = all_tags(message, flags, &bag, tags);
    if (row) sqlite3_finalize(row);
    LeaveCriticalSection(store->db.lock);
    return hr;
}

static HRESULT WINAPI message_OpenProperty(IMessage *iface, ULONG tag, const IID *iid, ULONG options, ULONG flags,
                                           IUnknown **out)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;

    if (out) *out = NULL;
    if (FAILED(hr = usable(message))) return hr;
    if ((flags & (MAPI_CREATE | MAPI_MODIFY)) && !message->modify) return MAPI_E_NO_ACCESS;
    return IMessage_OpenProperty(message->inner, tag, iid, options, flags, out);
}

/* SetProps and DeleteProps: the computed tags are refused one by one (MAPI_E_COMPUTED), the rest go to the content;
 * PR_MESSAGE_FLAGS may be set on a message not saved yet, as a client making a message in a folder does. */
static HRESULT split_problems(SPropProblemArray *inner, const ULONG *map, ULONG computed_count,
                              const ULONG *computed_index, const ULONG *computed_tag, SPropProblemArray **problems)
{
    SPropProblemArray *result;
    ULONG i, n = 0, inner_count = inner ? inner->cProblem : 0;

    if (!problems || (!inner_count && !computed_count)) return S_OK;
    if (sample_allocate_buffer(CbNewSPropProblemArray(inner_count + computed_count), (void **)&result))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < inner_count; i++) {
        result->aProblem[n] = inner->aProblem[i];
        result->aProblem[n++].ulIndex = map[inner->aProblem[i].ulIndex];
    }
    for (i = 0; i < computed_count; i++) {
        result->aProblem[n].ulIndex = computed_index[i];
        result->aProblem[n].ulPropTag = computed_tag[i];
        result->aProblem[n++].scode = MAPI_E_COMPUTED;
    }
    result->cProblem = n;
    *problems = result;
    return S_OK;
}

static HRESULT WINAPI message_SetProps(IMessage *iface, ULONG count, SPropValue *values, SPropProblemArray **problems)
{
    struct message *message = impl_from_IMessage(iface);
    ULONG i, n = 0, c = 0, *map, *bad_index, *bad_tag;
    SPropProblemArray *inner = NULL;
    SPropValue *passed;
    HRESULT hr;

    if (problems) *problems = NULL;
    if (FAILED(hr = writable(message))) return hr;
    if (!values || IsBadReadPtr(values, count * sizeof(*values))) return MAPI_E_INVALID_PARAMETER;
    if (!(passed = malloc(count * (sizeof(*passed) + 3 * sizeof(ULONG)) + 1))) return MAPI_E_NOT_ENOUGH_MEMORY;
    map = (ULONG *)(passed + count);
    bad_index = map + count;
    bad_tag = bad_index + count;
    for (i = 0; i < count; i++) {
        ULONG tag = values[i].ulPropTag;
        if (tag == PR_MESSAGE_FLAGS && !message->id) {
            message->flags = (values[i].Value.l & ~(MSGFLAG_HASATTACH | MSGFLAG_SUBMIT)) | MSGFLAG_UNMODIFIED;
            continue;
        }
        if (computed(tag)) {
            bad_index[c] = i;
            bad_tag[c++] = tag;
            continue;
        }
        map[n] = i;
        passed[n++] = values[i];
    }
    hr = n ? IMessage_SetProps(message->inner, n, passed, problems ? &inner : NULL) : S_OK;
    if (SUCCEEDED(hr)) hr = split_problems(inner, map, c, bad_index, bad_tag, problems);
    if (inner) sample_free_buffer(inner);
    free(passed);
    return hr;
}

static HRESULT WINAPI message_DeleteProps(IMessage *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    struct message *message = impl_from_IMessage(iface);
    ULONG i, n = 0, c = 0, *map, *bad_index, *bad_tag;
    SPropProblemArray *inner = NULL;
    SPropTagArray *passed;
    HRESULT hr;

    if (problems) *problems = NULL;
    if (FAILED(hr = writable(message))) return hr;
    if (!tags || IsBadReadPtr(tags, CbNewSPropTagArray(0)) || IsBadReadPtr(tags, CbNewSPropTagArray(tags->cValues)))
        return MAPI_E_INVALID_PARAMETER;
    if (!(passed = malloc(CbNewSPropTagArray(tags->cValues) + 3 * tags->cValues * sizeof(ULONG))))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    map = (ULONG *)((BYTE *)passed + CbNewSPropTagArray(tags->cValues));
    bad_index = map + tags->cValues;
    bad_tag = bad_index + tags->cValues;
    for (i = 0; i < tags->cValues; i++)
        if (computed(tags->aulPropTag[i])) {
            bad_index[c] = i;
            bad_tag[c++] = tags->aulPropTag[i];
        } else {
            map[n] = i;
            passed->aulPropTag[n++] = tags->aulPropTag[i];
        }
    passed->cValues = n;
    hr = n ? IMessage_DeleteProps(message->inner, passed, problems ? &inner : NULL) : S_OK;
    if (SUCCEEDED(hr)) hr = split_problems(inner, map, c, bad_index, bad_tag, problems);
    if (inner) sample_free_buffer(inner);
    free(passed);
    return hr;
}

static HRESULT WINAPI message_CopyTo(IMessage *iface, ULONG exclude_count, const IID *exclude, SPropTagArray *excluded,
                                     ULONG_PTR ui_param, IMAPIProgress *progress, const IID *iid, void *dest,
                                     ULONG flags, SPropProblemArray **problems)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;

    if (FAILED(hr = usable(message))) return hr;
    return IMessage_CopyTo(message->inner, exclude_count, exclude, excluded, ui_param, progress, iid, dest, flags,
                           problems);
}

static HRESULT WINAPI message_CopyProps(IMessage *iface, SPropTagArray *tags, ULONG_PTR ui_param,
                                        IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                        SPropProblemArray **problems)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;

    if (FAILED(hr = usable(message))) return hr;
    return IMessage_CopyProps(message->inner, tags, ui_param, progress, iid, dest, flags, problems);
}

static HRESULT WINAPI message_GetNamesFromIDs(IMessage *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                              ULONG *count, MAPINAMEID ***names)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;

    if (FAILED(hr = usable(message))) return hr;
    return storenames_names(message->object.store, tags, guid, flags, count, names);
}

static HRESULT WINAPI message_GetIDsFromNames(IMessage *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                              SPropTagArray **tags)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;

    if (FAILED(hr = usable(message))) return hr;
    return storenames_ids(message->object.store, count, names, flags, tags);
}

static HRESULT WINAPI message_GetAttachmentTable(IMessage *iface, ULONG flags, IMAPITable **table)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;

    if (FAILED(hr = usable(message))) return hr;
    return IMessage_GetAttachmentTable(message->inner, flags, table);
}

static HRESULT WINAPI message_OpenAttach(IMessage *iface, ULONG number, const IID *iid, ULONG flags, IAttach **attach)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;

    if (FAILED(hr = usable(message))) return hr;
    if ((flags & MAPI_MODIFY) && !message->modify) return MAPI_E_NO_ACCESS;
    return IMessage_OpenAttach(message->inner, number, iid, flags, attach);
}

static HRESULT WINAPI message_CreateAttach(IMessage *iface, const IID *iid, ULONG flags, ULONG *number,
                                           IAttach **attach)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;

    if (FAILED(hr = writable(message))) return hr;
    return IMessage_CreateAttach(message->inner, iid, flags, number, attach);
}

static HRESULT WINAPI message_DeleteAttach(IMessage *iface, ULONG number, ULONG_PTR ui_param, IMAPIProgress *progress,
                                           ULONG flags)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;

    if (FAILED(hr = writable(message))) return hr;
    return IMessage_DeleteAttach(message->inner, number, ui_param, progress, flags);
}

static HRESULT WINAPI message_GetRecipientTable(IMessage *iface, ULONG flags, IMAPITable **table)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;

    if (FAILED(hr = usable(message))) return hr;
    return IMessage_GetRecipientTable(message->inner, flags, table);
}

static HRESULT WINAPI message_ModifyRecipients(IMessage *iface, ULONG flags, ADRLIST *changes)
{
    struct message *message = impl_from_IMessage(iface);
    HRESULT hr;

    if (FAILED(hr = writable(message))) return hr;
    return IMessage_ModifyRecipients(message->inner, flags, changes);
}

static ULONG recipient_count(struct message *message)
{
    IMAPITable *table;
    ULONG count = 0;

    if (FAILED(IMessage_GetRecipientTable(message->inner, 0, &table))) return 0;
    IMAPITable_GetRowCount(table, 0, &count);
    IMAPITable_Release(table);
    return count;
}

/* The store's part of submission: MAPI prepares the message (PrepareSubmit), the store saves it with MSGFLAG_SUBMIT
 * and puts it in its outgoing queue, and tells the spooler (SpoolerNotify(NOTIFY_READYTOSEND)). */
static HRESULT WINAPI message_SubmitMessage(IMessage *iface, ULONG flags)
{
    struct message *message = impl_from_IMessage(iface);
    struct store *store = message->object.store;
    ULONG prepare_flags = 0, expand_flags = 0, old_flags;
    SPropValue time;
    HRESULT hr;

    if (FAILED(hr = writable(message))) return hr;
    if (flags & ~FORCE_SUBMIT) return MAPI_E_UNKNOWN_FLAGS;
    if (!recipient_count(message)) return MAPI_E_NO_RECIPIENTS;
    hr = IMAPISupport_PrepareSubmit(store->support, iface, &prepare_flags);
    if (FAILED(hr) && hr != MAPI_E_NO_SUPPORT) return hr;
    /* Q7: whether a preprocessor must run, and whether the spooler sends (always, but for the recorder's coupled pair:
     * no transport is coupled with this store). A MAPI without ExpandRecips: the spooler sends. */
    if ((hr = IMAPISupport_ExpandRecips(store->support, iface, &expand_flags)) == MAPI_E_NO_SUPPORT)
        expand_flags = NEEDS_SPOOLER;
    else if (FAILED(hr))
        return hr;
#ifdef SAMPLE_FAULTS
    if (!(expand_flags & (NEEDS_SPOOLER | NEEDS_PREPROCESSING)) && sample_fault(store->config.faults, "coupled"))
        return coupled_submit(store, iface);
#endif
    GetSystemTimeAsFileTime(&time.Value.ft);
    time.ulPropTag = PR_CLIENT_SUBMIT_TIME;
    if (FAILED(hr = IMessage_SetProps(message->inner, 1, &time, NULL))) return hr;
    old_flags = message->flags;
    message->flags = (message->flags | MSGFLAG_SUBMIT | MSGFLAG_UNSENT) & ~MSGFLAG_UNMODIFIED;
    message->submitting = TRUE;
    message->submit_flags =
        (prepare_flags & SUBMITFLAG_PREPROCESS) | (expand_flags & NEEDS_PREPROCESSING ? SUBMITFLAG_PREPROCESS : 0);
    hr = message_SaveChanges(iface, KEEP_OPEN_READWRITE);
    message->submitting = FALSE;
    if (FAILED(hr)) {
        message->flags = old_flags; /* not submitted: the client may try again */
        return hr;
    }
    message->modify = FALSE;
    hr = IMAPISupport_SpoolerNotify(store->support, NOTIFY_READYTOSEND, NULL);
    sample_trace("%s: message %lu submitted (SpoolerNotify -> %#lx)", store->config.display_name, (ULONG)message->id,
                 (unsigned long)hr);
    return S_OK;
}

static HRESULT WINAPI message_SetReadFlag(IMessage *iface, ULONG flags)
{
    struct message *message = impl_from_IMessage(iface);
    struct store *store = message->object.store;
    HRESULT hr;

    if (FAILED(hr = usable(message))) return hr;
    if (flags
        & ~(SUPPRESS_RECEIPT | CLEAR_READ_FLAG | MAPI_DEFERRED_ERRORS | GENERATE_RECEIPT_ONLY | CLEAR_RN_PENDING
            | CLEAR_NRN_PENDING))
        return MAPI_E_UNKNOWN_FLAGS;
    if (flags & GENERATE_RECEIPT_ONLY) return S_OK;
    if (flags & CLEAR_READ_FLAG)
        message->flags &= ~MSGFLAG_READ;
    else
        message->flags |= MSGFLAG_READ;
    if (!message->id) return S_OK;
    if (FAILED(hr = storedb_begin(&store->db))) return hr;
    if (SUCCEEDED(hr = storedb_exec(&store->db,
                                    flags & CLEAR_READ_FLAG ? "UPDATE messages SET flags = flags & ~1 WHERE id = ?"
                                                            : "UPDATE messages SET flags = flags | 1 WHERE id = ?",
                                    "i", message->id))) {
        store_changed(store, fnevObjectModified, KIND_MESSAGE, message->id, message->folder, 0, 0);
        folder_touch(store, message->folder);
    }
    return store_finish(store, hr);
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

/* A message object over a compound file: new (content NULL) or the bytes of a saved one. */
static HRESULT make_message(struct store *store, const void *content, ULONG size, BOOL modify, struct message **out)
{
    struct message *message;
    HGLOBAL global = NULL;
    HRESULT hr;

    if (!(message = calloc(1, sizeof(*message)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    message->IMessage_iface.lpVtbl = &message_vtbl;
    message->refcount = 1;
    message->modify = modify;
    if (content) {
        if (!(global = GlobalAlloc(GMEM_MOVEABLE, size ? size : 1))) {
            free(message);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        memcpy(GlobalLock(global), content, size);
        GlobalUnlock(global);
    }
    if (FAILED(hr = CreateILockBytesOnHGlobal(global, TRUE, &message->bytes))) {
        if (global) GlobalFree(global);
    } else if (content) {
        hr = StgOpenStorageOnILockBytes(message->bytes, NULL, STGM_READWRITE | STGM_SHARE_EXCLUSIVE, NULL, 0,
                                        &message->storage);
    } else
        hr = StgCreateDocfileOnILockBytes(message->bytes, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0,
                                          &message->storage);
    if (SUCCEEDED(hr))
        hr = store_mapi.open_msg_on_stg(store->msg_session, sample_allocate_buffer, sample_allocate_more,
                                        sample_free_buffer, store->malloc, NULL, message->storage, NULL, 0, 0,
                                        &message->inner);
    if (FAILED(hr)) {
        sample_trace("%s: a message's content could not be %s (%#lx)", store->config.display_name,
                     content ? "read" : "made", (unsigned long)hr);
        close_message(&message->object);
        free(message);
        return content ? MAPI_E_CORRUPT_STORE : hr;
    }
    store_object_add(store, &message->object, close_message);
    *out = message;
    return S_OK;
}

HRESULT message_create(struct store *store, LONGLONG folder, BOOL associated, IMessage **out)
{
    struct message *message;
    SPropValue values[2];
    GUID search_key;
    HRESULT hr;

    if (FAILED(hr = make_message(store, NULL, 0, TRUE, &message))) return hr;
    message->folder = folder;
    message->associated = associated;
    message->flags = MSGFLAG_UNSENT | MSGFLAG_READ | MSGFLAG_UNMODIFIED | (associated ? MSGFLAG_ASSOCIATED : 0);
    CoCreateGuid(&search_key);
    values[0].ulPropTag = PR_SEARCH_KEY;
    values[0].Value.bin.cb = sizeof(search_key);
    values[0].Value.bin.lpb = (BYTE *)&search_key;
    values[1].ulPropTag = PR_MESSAGE_CLASS_W;
    values[1].Value.lpszW = (WCHAR *)L"IPM";
    if (FAILED(hr = IMessage_SetProps(message->inner, 2, values, NULL))) {
        IMessage_Release(&message->IMessage_iface);
        return hr;
    }
    *out = &message->IMessage_iface;
    return S_OK;
}

HRESULT message_open(struct store *store, LONGLONG id, BOOL modify, IMessage **out)
{
    struct sqlite3_stmt *row;
    struct message *message;
    HRESULT hr;

    *out = NULL;
    EnterCriticalSection(store->db.lock);
    if (!(row = storedb_prepare(&store->db, &hr,
                                "SELECT folder, associated, flags, modified, content FROM messages WHERE id = ?", "i",
                                id)))
        ;
    else if (sqlite3_step(row) != SQLITE_ROW)
        hr = MAPI_E_NOT_FOUND;
    else if (SUCCEEDED(hr = make_message(store, sqlite3_column_blob(row, 4), sqlite3_column_bytes(row, 4), modify,
                                         &message))) {
        message->id = id;
        message->folder = sqlite3_column_int64(row, 0);
        message->associated = sqlite3_column_int(row, 1);
        message->flags = sqlite3_column_int(row, 2);
        message->modified = sqlite3_column_int64(row, 3);
        *out = &message->IMessage_iface;
    }
    if (row) sqlite3_finalize(row);
    LeaveCriticalSection(store->db.lock);
    return hr;
}

HRESULT message_copy_row(struct store *store, LONGLONG id, LONGLONG folder, LONGLONG *new_id)
{
    HRESULT hr = storedb_exec(&store->db,
                              "INSERT INTO messages(folder, associated, flags, status, subject, class, sender,"
                              " display_to, display_cc, display_bcc, delivered, submitted, created, modified,"
                              " importance, priority, size, hasattach, content, search_key, message_id)"
                              " SELECT ?, associated, flags & ~4, status, subject, class, sender, display_to,"
                              " display_cc, display_bcc, delivered, submitted, created, ?, importance, priority, size,"
                              " hasattach, content, search_key, message_id FROM messages WHERE id = ?",
                              "iii", folder, store_now(), id);

    if (SUCCEEDED(hr)) *new_id = sqlite3_last_insert_rowid(store->db.db);
    return hr;
}
