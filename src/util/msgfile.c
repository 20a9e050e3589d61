/*
 * The .msg layout of a message on IStorage, as Microsoft publishes it ([MS-OXMSG]), so that what a transport writes
 * through OpenIMsgOnIStg is a .msg file any reader opens, and a .msg file made elsewhere opens with all it holds.
 *
 * A storage holds a property stream, "__properties_version1.0": a header (32 bytes for a top-level message, 24 for an
 * embedded one, 8 for a recipient or an attachment), then 16 bytes per property: its tag, its flags, and 8 bytes that
 * are the value itself for a fixed-size type, or the size of the value for any other, whose bytes are in a stream of
 * their own named "__substg1.0_" and the tag in hexadecimal. A string's stream has no terminator (its size in the
 * entry counts one); a fixed-size multi-valued property is one stream of its values; a variable-size one is a stream
 * of lengths and one stream per value, its index after a '-'. Each recipient is a storage
 * "__recip_version1.0_#<id>", each attachment "__attach_version1.0_#<id>", both in hexadecimal, with their own
 * property streams; an embedded message is the storage "__substg1.0_3701000D" of its attachment, a message itself.
 *
 * The message's and its attachments' strings are written in Unicode, the width that loses nothing (a client asking
 * for the other width still gets it); a recipient's keep the width they were set in, since transports that read
 * their own files back look in the recipient table for the tags they wrote. Recipients are written numbered from 0 in
 * the table's order; an attachment's storage is numbered by its PR_ATTACH_NUM, since an open embedded message lives in
 * it, and the header's next IDs say which numbers are free. Reading is bounded by what each stream holds: an entry
 * whose value stream is missing, too short or too long for its type is MAPI_E_CORRUPT_DATA. Named properties are mapped
 * in the storage "__nameid_version1.0" at the file's top (msgnames.c), one mapping for the message and everything in
 * it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "msgfile.h"
#include "wbstream.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(msgfile);

static const WCHAR properties_stream[] = L"__properties_version1.0";
static const WCHAR recipient_prefix[] = L"__recip_version1.0_#";
static const WCHAR attachment_prefix[] = L"__attach_version1.0_#";
static const WCHAR value_prefix[] = L"__substg1.0_";

#define HEADER_TOP 32
#define HEADER_EMBEDDED 24
#define HEADER_CHILD 8
#define ENTRY_SIZE 16
#define FLAGS_READ_WRITE 6 /* PROPATTR_READABLE | PROPATTR_WRITABLE */
#define EMBEDDED_SIZE 0xffffffff

void msgfile_attachment_name(ULONG number, WCHAR name[MSGFILE_NAME_SIZE])
{
    swprintf(name, MSGFILE_NAME_SIZE, L"%ls%08lX", attachment_prefix, number);
}

static void value_name(ULONG tag, LONG index, WCHAR name[MSGFILE_NAME_SIZE])
{
    if (index < 0)
        swprintf(name, MSGFILE_NAME_SIZE, L"%ls%08lX", value_prefix, tag);
    else
        swprintf(name, MSGFILE_NAME_SIZE, L"%ls%08lX-%08lX", value_prefix, tag, (ULONG)index);
}

BOOL msgfile_present(IStorage *storage)
{
    IStream *stream;

    if (FAILED(IStorage_OpenStream(storage, properties_stream, NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, 0, &stream)))
        return FALSE;
    IStream_Release(stream);
    return TRUE;
}

/* The bytes one element of a fixed-size type takes; 0 for a type stored in streams. */
static ULONG fixed_size(ULONG type)
{
    switch (type & ~MV_FLAG) {
    case PT_I2:
    case PT_BOOLEAN: return 2;
    case PT_LONG:
    case PT_R4:
    case PT_ERROR: return 4;
    case PT_DOUBLE:
    case PT_CURRENCY:
    case PT_APPTIME:
    case PT_I8:
    case PT_SYSTIME: return 8;
    case PT_CLSID: return 16; /* only ever in a stream */
    }
    return 0;
}

/* ---- Writing ------------------------------------------------------------------------------------------------- */

/* A string's bytes as the format keeps them: without its terminator. */
static ULONG string_bytes(ULONG type, const void *text)
{
    return type == PT_UNICODE ? lstrlenW(text) * sizeof(WCHAR) : (ULONG)strlen(text);
}

/* The streams of one value; *size is what its entry says. */
static HRESULT write_value_streams(IStorage *storage, const SPropValue *value, ULONG *size)
{
    ULONG tag = value->ulPropTag, type = PROP_TYPE(tag), element = fixed_size(type), count, i, *lengths;
    WCHAR name[MSGFILE_NAME_SIZE];
    HRESULT hr = S_OK;

    value_name(tag, -1, name);
    switch (type) {
    case PT_STRING8:
    case PT_UNICODE:
        *size = string_bytes(type, value->Value.lpszA);
        hr = stream_write_new(storage, name, value->Value.lpszA, *size);
        *size += type == PT_UNICODE ? 2 : 1;
        return hr;
    case PT_BINARY: *size = value->Value.bin.cb; return stream_write_new(storage, name, value->Value.bin.lpb, *size);
    case PT_CLSID: *size = sizeof(GUID); return stream_write_new(storage, name, value->Value.lpguid, *size);
    }
    count = value->Value.MVl.cValues;
    if (element) { /* fixed-size values, one after another */
        *size = count * element;
        return stream_write_new(storage, name, value->Value.MVl.lpl, *size);
    }
    /* Variable-size values: a stream of lengths (4 bytes each, 8 for binaries), then one stream each; a string's
     * stream keeps its terminator, which its length counts. */
    if (!(lengths = calloc(count ? 2 * count : 1, sizeof(ULONG)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; SUCCEEDED(hr) && i < count; i++) {
        const void *bytes;
        ULONG length;

        if (type == PT_MV_BINARY) {
            bytes = value->Value.MVbin.lpbin[i].lpb;
            length = value->Value.MVbin.lpbin[i].cb;
            lengths[2 * i] = length;
        } else {
            bytes = value->Value.MVszA.lppszA[i];
            length = string_bytes(type & ~MV_FLAG, bytes) + (type == PT_MV_UNICODE ? 2 : 1);
            lengths[i] = length;
        }
        value_name(tag, (LONG)i, name);
        hr = stream_write_new(storage, name, bytes, length);
    }
    *size = count * (type == PT_MV_BINARY ? 8 : 4);
    value_name(tag, -1, name);
    if (SUCCEEDED(hr)) hr = stream_write_new(storage, name, lengths, *size);
    free(lengths);
    return hr;
}

/* Whether a value goes into the file: what the format has a place for. */
static BOOL storable(ULONG tag)
{
    ULONG type = PROP_TYPE(tag);

    switch (type) {
    case PT_STRING8:
    case PT_UNICODE:
    case PT_BINARY:
    case PT_CLSID:
    case PT_MV_STRING8:
    case PT_MV_UNICODE:
    case PT_MV_BINARY: return TRUE;
    }
    return fixed_size(type) != 0;
}

/* The value streams of an earlier save go first, so that a property deleted since leaves nothing behind. */
static HRESULT remove_value_streams(IStorage *storage)
{
    WCHAR *names[64];
    IEnumSTATSTG *list;
    STATSTG element;
    ULONG count, i;
    HRESULT hr;

    do {
        if (FAILED(hr = IStorage_EnumElements(storage, 0, NULL, 0, &list))) return hr;
        count = 0;
        while (count < ARRAYSIZE(names) && IEnumSTATSTG_Next(list, 1, &element, NULL) == S_OK) {
            if (element.type == STGTY_STREAM && !wcsncmp(element.pwcsName, value_prefix, wcslen(value_prefix)))
                names[count++] = element.pwcsName;
            else
                CoTaskMemFree(element.pwcsName);
        }
        IEnumSTATSTG_Release(list);
        for (i = 0; i < count; i++) {
            if (SUCCEEDED(hr)) hr = IStorage_DestroyElement(storage, names[i]);
            CoTaskMemFree(names[i]);
        }
    } while (SUCCEEDED(hr) && count == ARRAYSIZE(names));
    return hr;
}

/* header: its size and, for a message, the four counts after its 8 reserved bytes. */
static HRESULT write_props(IStorage *storage, const BYTE *header, ULONG header_size, ULONG count,
                           const SPropValue *values, BOOL embedded_object)
{
    ULONG total = header_size + (count + 1) * ENTRY_SIZE, n = 0, i;
    BYTE *stream;
    HRESULT hr;

    if (FAILED(hr = remove_value_streams(storage))) return hr;
    if (!(stream = calloc(1, total))) return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(stream, header, header_size);
    for (i = 0; SUCCEEDED(hr) && i < count; i++) {
        BYTE *entry = stream + header_size + n * ENTRY_SIZE;
        ULONG tag = values[i].ulPropTag, type = PROP_TYPE(tag), size, flags = FLAGS_READ_WRITE;

        if (!storable(tag) || tag == PR_INSTANCE_KEY) continue; /* a table's key, not a property to keep */
        memcpy(entry, &tag, 4);
        memcpy(entry + 4, &flags, 4);
        if (!(type & MV_FLAG) && type != PT_CLSID && fixed_size(type))
            memcpy(entry + 8, &values[i].Value, fixed_size(type));
        else if (SUCCEEDED(hr = write_value_streams(storage, &values[i], &size)))
            memcpy(entry + 8, &size, 4);
        n++;
    }
    if (SUCCEEDED(hr) && embedded_object) { /* the embedded message's storage, as PR_ATTACH_DATA_OBJ */
        ULONG tag = PR_ATTACH_DATA_OBJ, flags = FLAGS_READ_WRITE, size = EMBEDDED_SIZE;
        BYTE *entry = stream + header_size + n++ * ENTRY_SIZE;

        memcpy(entry, &tag, 4);
        memcpy(entry + 4, &flags, 4);
        memcpy(entry + 8, &size, 4);
    }
    if (SUCCEEDED(hr)) hr = stream_write_new(storage, properties_stream, stream, header_size + n * ENTRY_SIZE);
    free(stream);
    return hr;
}

/* Every element of storage whose name starts with prefix, destroyed. */
static void remove_prefixed(IStorage *storage, const WCHAR *prefix)
{
    IEnumSTATSTG *list;
    STATSTG element;
    BOOL again = TRUE;

    while (again && SUCCEEDED(IStorage_EnumElements(storage, 0, NULL, 0, &list))) {
        again = FALSE;
        while (!again && IEnumSTATSTG_Next(list, 1, &element, NULL) == S_OK) {
            if (!wcsncmp(element.pwcsName, prefix, wcslen(prefix)))
                again = SUCCEEDED(IStorage_DestroyElement(storage, element.pwcsName));
            CoTaskMemFree(element.pwcsName);
        }
        IEnumSTATSTG_Release(list);
    }
}

static HRESULT save_rows(struct message *message, ITableData *table, BOOL attachments, ULONG *written)
{
    static const ULONG mode = STGM_READWRITE | STGM_SHARE_EXCLUSIVE;
    BYTE header[HEADER_CHILD] = { 0 };
    WCHAR name[MSGFILE_NAME_SIZE];
    IStorage *child;
    HRESULT hr;
    SRow *row;
    ULONG i;

    *written = 0;
    for (i = 0; SUCCEEDED(hr = ITableData_HrEnumRow(table, i, &row)) && row; i++) {
        const SPropValue *number = PpropFindProp(row->lpProps, row->cValues, PR_ATTACH_NUM);
        const SPropValue *method = PpropFindProp(row->lpProps, row->cValues, PR_ATTACH_METHOD);
        BOOL embedded = FALSE;

        if (attachments) {
            hr = message->attachment_storage(message, number ? (ULONG)number->Value.l : i, &child);
            embedded = method && method->Value.l == ATTACH_EMBEDDED_MSG;
        } else {
            swprintf(name, MSGFILE_NAME_SIZE, L"%ls%08lX", recipient_prefix, *written);
            hr = IStorage_CreateStorage(message->storage, name, STGM_CREATE | mode, 0, 0, &child);
        }
        if (SUCCEEDED(hr)) {
            hr = write_props(child, header, sizeof(header), row->cValues, row->lpProps, embedded);
            IStorage_Release(child);
        }
        message->alloc.free(row);
        if (FAILED(hr)) return hr;
        (*written)++;
    }
    return hr;
}

HRESULT msgfile_save(struct message *message)
{
    BYTE header[HEADER_TOP] = { 0 };
    ULONG next[2] = { 0, message->next_attach }, counts[2], count;
    SPropValue *values;
    HRESULT hr;

    /* Recipients are written afresh, numbered from 0; attachments keep their storages, numbered as they are. */
    remove_prefixed(message->storage, recipient_prefix);
    if (FAILED(hr = save_rows(message, message->recipients, FALSE, &counts[0]))
        || FAILED(hr = save_rows(message, message->attachments, TRUE, &counts[1])))
        return hr;
    next[0] = counts[0];
    memcpy(header + 8, &next[0], 4);
    memcpy(header + 12, &next[1], 4);
    memcpy(header + 16, &counts[0], 4);
    memcpy(header + 20, &counts[1], 4);
    /* Strings in Unicode: asked for in the other width, IPropData would narrow a Unicode one to the code page. */
    if (FAILED(hr = IPropData_GetProps(message->props, NULL, MAPI_UNICODE, &count, &values))) return hr;
    hr = write_props(message->storage, header, message->embedded ? HEADER_EMBEDDED : HEADER_TOP, count, values, FALSE);
    message->alloc.free(values);
    /* One mapping per file, at its top (an embedded message shares its parent's). */
    if (SUCCEEDED(hr) && !message->embedded) hr = msgnames_save(message->names, message->storage);
    return hr;
}

/* ---- Reading ------------------------------------------------------------------------------------------------- */

static HRESULT read_stream(IStorage *storage, const WCHAR *name, BYTE **bytes, ULONG *size)
{
    IStream *stream;
    HRESULT hr;

    *bytes = NULL;
    if (FAILED(hr = IStorage_OpenStream(storage, name, NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, 0, &stream)))
        return hr == STG_E_FILENOTFOUND ? MAPI_E_CORRUPT_DATA : hr;
    hr = stream_read_all(stream, bytes, size);
    IStream_Release(stream);
    return hr;
}

/* A string from a stream's bytes, in the parent's chain: a terminator is added, and any the stream kept dropped. */
static HRESULT copy_string(const struct mapi_allocators *alloc, void *parent, ULONG type, const BYTE *bytes, ULONG size,
                           void **out)
{
    ULONG unit = type == PT_UNICODE ? sizeof(WCHAR) : 1;
    HRESULT hr;

    if (size % unit) return MAPI_E_CORRUPT_DATA;
    while (size >= unit && !memcmp(bytes + size - unit, "\0\0", unit)) size -= unit;
    if ((hr = alloc->more(size + unit, parent, out))) return hr;
    memcpy(*out, bytes, size);
    memset((BYTE *)*out + size, 0, unit);
    return S_OK;
}

static HRESULT copy_bytes(const struct mapi_allocators *alloc, void *parent, const BYTE *bytes, ULONG size, void **out)
{
    HRESULT hr;

    if ((hr = alloc->more(size ? size : 1, parent, out))) return hr;
    memcpy(*out, bytes, size);
    return S_OK;
}

/* The value of one variable-size or multi-valued entry, from its streams. */
static HRESULT read_value_streams(IStorage *storage, const struct mapi_allocators *alloc, void *parent,
                                  SPropValue *value)
{
    ULONG tag = value->ulPropTag, type = PROP_TYPE(tag), element = fixed_size(type), size, count, i;
    WCHAR name[MSGFILE_NAME_SIZE];
    BYTE *bytes;
    HRESULT hr;

    value_name(tag, -1, name);
    if (FAILED(hr = read_stream(storage, name, &bytes, &size))) return hr;
    switch (type) {
    case PT_STRING8:
    case PT_UNICODE: hr = copy_string(alloc, parent, type, bytes, size, (void **)&value->Value.lpszA); break;
    case PT_BINARY:
        value->Value.bin.cb = size;
        hr = copy_bytes(alloc, parent, bytes, size, (void **)&value->Value.bin.lpb);
        break;
    case PT_CLSID:
        hr = size == sizeof(GUID) ? copy_bytes(alloc, parent, bytes, size, (void **)&value->Value.lpguid)
                                  : MAPI_E_CORRUPT_DATA;
        break;
    default:
        if (element) { /* fixed-size multi-valued: the stream is the array */
            if (type == PT_MV_I2) element = 2;
            if (size % element) {
                hr = MAPI_E_CORRUPT_DATA;
                break;
            }
            value->Value.MVl.cValues = size / element;
            hr = copy_bytes(alloc, parent, bytes, size, (void **)&value->Value.MVl.lpl);
            break;
        }
        /* Variable-size multi-valued: lengths, then a stream per value. */
        count = size / (type == PT_MV_BINARY ? 8 : 4);
        if (size % (type == PT_MV_BINARY ? 8 : 4)) {
            hr = MAPI_E_CORRUPT_DATA;
            break;
        }
        value->Value.MVl.cValues = count;
        if ((hr = alloc->more((count ? count : 1) * sizeof(SBinary), parent, (void **)&value->Value.MVl.lpl))) break;
        for (i = 0; SUCCEEDED(hr) && i < count; i++) {
            BYTE *element_bytes;
            ULONG element_size;

            value_name(tag, (LONG)i, name);
            if (FAILED(hr = read_stream(storage, name, &element_bytes, &element_size))) break;
            if (type == PT_MV_BINARY) {
                value->Value.MVbin.lpbin[i].cb = element_size;
                hr = copy_bytes(alloc, parent, element_bytes, element_size, (void **)&value->Value.MVbin.lpbin[i].lpb);
            } else
                hr = copy_string(alloc, parent, type & ~MV_FLAG, element_bytes, element_size,
                                 (void **)&value->Value.MVszA.lppszA[i]);
            free(element_bytes);
        }
    }
    free(bytes);
    return hr;
}

/* A property stream and the value streams it names, as values in one allocation of alloc's; the header's bytes
 * after its reserved 8 go to counts (4 ULONGs) when the stream has a message's header. */
static HRESULT read_props(IStorage *storage, const struct mapi_allocators *alloc, BOOL child, ULONG *count,
                          SPropValue **values, ULONG counts[4])
{
    ULONG size, header, entries, i;
    BYTE *stream;
    HRESULT hr;

    *count = 0;
    *values = NULL;
    if (FAILED(hr = read_stream(storage, properties_stream, &stream, &size))) return hr;
    /* A message's header is 32 bytes at the top, 24 embedded: only one leaves whole entries after it. */
    header = child                                                           ? HEADER_CHILD
             : (size >= HEADER_TOP && (size - HEADER_TOP) % ENTRY_SIZE == 0) ? HEADER_TOP
                                                                             : HEADER_EMBEDDED;
    if (size < header || (size - header) % ENTRY_SIZE) {
        free(stream);
        return MAPI_E_CORRUPT_DATA;
    }
    if (counts) memcpy(counts, stream + 8, 4 * sizeof(ULONG));
    entries = (size - header) / ENTRY_SIZE;
    if ((hr = alloc->buffer((entries ? entries : 1) * sizeof(SPropValue), (void **)values))) {
        free(stream);
        return hr;
    }
    for (i = 0; SUCCEEDED(hr) && i < entries; i++) {
        const BYTE *entry = stream + header + i * ENTRY_SIZE;
        SPropValue *value = &(*values)[*count];
        ULONG tag, type;

        memcpy(&tag, entry, 4);
        type = PROP_TYPE(tag);
        if (!storable(tag)) continue; /* PR_ATTACH_DATA_OBJ and types this host does not keep */
        memset(value, 0, sizeof(*value));
        value->ulPropTag = tag;
        if (!(type & MV_FLAG) && type != PT_CLSID && fixed_size(type)) {
            memcpy(&value->Value, entry + 8, fixed_size(type));
            if (type == PT_BOOLEAN) value->Value.b = !!entry[8]; /* one byte in the format */
        } else
            hr = read_value_streams(storage, alloc, *values, value);
        if (SUCCEEDED(hr)) (*count)++;
    }
    free(stream);
    if (FAILED(hr)) {
        alloc->free(*values);
        *values = NULL;
        *count = 0;
    }
    return hr;
}

/* The number a child storage's name ends in, or FALSE when it is not one of prefix's. */
static BOOL child_number(const WCHAR *name, const WCHAR *prefix, ULONG *number)
{
    size_t length = wcslen(prefix);
    WCHAR *end;

    if (wcsncmp(name, prefix, length) || wcslen(name) != length + 8) return FALSE;
    *number = wcstoul(name + length, &end, 16);
    return !*end;
}

/* One recipient or attachment storage into its table: a recipient gets PR_ROWID, an attachment PR_ATTACH_NUM, from
 * the number its storage has. */
static HRESULT load_child(struct message *message, const WCHAR *name, BOOL attachment, ULONG number)
{
    static const ULONG mode = STGM_READ | STGM_SHARE_EXCLUSIVE;
    ULONG key = attachment ? PR_ATTACH_NUM : PR_ROWID, count, i;
    SPropValue *values, *all;
    IStorage *child;
    HRESULT hr;

    if (FAILED(hr = IStorage_OpenStorage(message->storage, name, NULL, mode, NULL, 0, &child))) return hr;
    hr = read_props(child, &message->alloc, TRUE, &count, &values, NULL);
    IStorage_Release(child);
    if (FAILED(hr)) return hr;
    /* The key first, then every value but an old one of the same tag; an attachment's row its table keys too. */
    if (SUCCEEDED(hr = message->alloc.buffer((count + 3) * sizeof(*all), (void **)&all))) {
        SRow row = { 0, 1, all };

        all[0].ulPropTag = key;
        all[0].dwAlignPad = 0;
        all[0].Value.l = attachment ? number : number + 1;
        for (i = 0; i < count; i++)
            if (values[i].ulPropTag != key) all[row.cValues++] = values[i];
        if (attachment) row.cValues += message->attachment_keys(&number, row.cValues, all, &all[row.cValues]);
        hr = ITableData_HrModifyRow(attachment ? message->attachments : message->recipients, &row);
        if (!attachment && number + 2 > message->next_rowid) message->next_rowid = number + 2;
        if (attachment && number + 1 > message->next_attach) message->next_attach = number + 1;
        message->alloc.free(all);
    }
    message->alloc.free(values);
    return hr;
}

HRESULT msgfile_load(struct message *message)
{
    ULONG count, counts[4], number;
    IEnumSTATSTG *list;
    SPropValue *values;
    STATSTG element;
    HRESULT hr;

    if (FAILED(hr = msgnames_load(message->names, message->storage))
        || FAILED(hr = read_props(message->storage, &message->alloc, FALSE, &count, &values, counts)))
        return hr;
    hr = IPropData_SetProps(message->props, count, values, NULL);
    message->alloc.free(values);
    if (FAILED(hr)) return hr;
    if (counts[1] > message->next_attach) message->next_attach = counts[1];
    if (FAILED(hr = IStorage_EnumElements(message->storage, 0, NULL, 0, &list))) return hr;
    while (SUCCEEDED(hr) && IEnumSTATSTG_Next(list, 1, &element, NULL) == S_OK) {
        if (element.type == STGTY_STORAGE) {
            if (child_number(element.pwcsName, recipient_prefix, &number))
                hr = load_child(message, element.pwcsName, FALSE, number);
            else if (child_number(element.pwcsName, attachment_prefix, &number))
                hr = load_child(message, element.pwcsName, TRUE, number);
        }
        CoTaskMemFree(element.pwcsName);
    }
    IEnumSTATSTG_Release(list);
    return hr;
}
