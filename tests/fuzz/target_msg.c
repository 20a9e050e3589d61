/*
 * Fuzz target "msg": a message on IStorage in the .msg layout (msgfile.c, msgnames.c, msgattach.c), as
 * OpenIMsgOnIStg opens a file someone sent. The input says which streams the storage holds and what is in each:
 * the property streams of the message, a recipient, an attachment and an embedded message, value streams, and the
 * named-property mapping. The message is then read as a client reads it: its properties, its recipient and attachment
 * tables, an attachment with its embedded message, and the names of its named properties.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_x.h"
#include "mapihost_util.h"
#include "fuzz.h"

/* Where a stream may go: a storage path (storages separated by '/') and the stream's name. */
static const WCHAR *const places[] = {
    L"__properties_version1.0",
    L"__substg1.0_0037001F",
    L"__substg1.0_1000001F",
    L"__substg1.0_0E1D001E",
    L"__substg1.0_10090102",
    L"__substg1.0_8000001F",
    L"__substg1.0_80011102",
    L"__substg1.0_8002101F",
    L"__substg1.0_8002101F-00000000",
    L"__substg1.0_00030048",
    L"__nameid_version1.0/__substg1.0_00020102",
    L"__nameid_version1.0/__substg1.0_00030102",
    L"__nameid_version1.0/__substg1.0_00040102",
    L"__nameid_version1.0/__substg1.0_10000102",
    L"__recip_version1.0_#00000000/__properties_version1.0",
    L"__recip_version1.0_#00000000/__substg1.0_3001001F",
    L"__attach_version1.0_#00000000/__properties_version1.0",
    L"__attach_version1.0_#00000000/__substg1.0_37010102",
    L"__attach_version1.0_#00000000/__substg1.0_3707001F",
    L"__attach_version1.0_#00000000/__substg1.0_3701000D/__properties_version1.0",
    L"__attach_version1.0_#00000000/__substg1.0_3701000D/__substg1.0_0037001F",
    L"__attach_version1.0_#00000001/__properties_version1.0",
};

/* The storage at path's storages (made as needed) and the stream's name at its end. */
static IStorage *storage_for(IStorage *root, const WCHAR *path, const WCHAR **name)
{
    WCHAR part[64];
    IStorage *storage = root, *child;
    const WCHAR *slash;

    IStorage_AddRef(root);
    while ((slash = wcschr(path, '/'))) {
        memcpy(part, path, (slash - path) * sizeof(WCHAR));
        part[slash - path] = 0;
        if (FAILED(IStorage_OpenStorage(storage, part, NULL, STGM_READWRITE | STGM_SHARE_EXCLUSIVE, NULL, 0, &child))
            && FAILED(IStorage_CreateStorage(storage, part, STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, 0, &child))) {
            IStorage_Release(storage);
            return NULL;
        }
        IStorage_Release(storage);
        storage = child;
        path = slash + 1;
    }
    *name = path;
    return storage;
}

static IStorage *build(const BYTE *data, size_t size)
{
    const BYTE *p = data, *end = data + size;
    ILockBytes *bytes;
    IStorage *root, *storage;
    IStream *stream;
    const WCHAR *name;
    ULONG count, length;

    if (FAILED(CreateILockBytesOnHGlobal(NULL, TRUE, &bytes))) return NULL;
    if (FAILED(StgCreateDocfileOnILockBytes(bytes, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, &root))) {
        ILockBytes_Release(bytes);
        return NULL;
    }
    ILockBytes_Release(bytes);
    for (count = p < end ? *p++ % 12 : 0; count-- && p + 3 <= end;) {
        const WCHAR *place = places[*p++ % ARRAYSIZE(places)];
        length = p[0] | p[1] << 8;
        p += 2;
        if (length > (ULONG)(end - p)) length = (ULONG)(end - p);
        if (!(storage = storage_for(root, place, &name))) continue;
        if (SUCCEEDED(
                IStorage_CreateStream(storage, name, STGM_CREATE | STGM_WRITE | STGM_SHARE_EXCLUSIVE, 0, 0, &stream))) {
            IStream_Write(stream, p, length, NULL);
            IStream_Release(stream);
        }
        IStorage_Release(storage);
        p += length;
    }
    return root;
}

static void read_table(IMAPITable *table)
{
    SRowSet *rows = NULL;
    ULONG i;

    if (IMAPITable_QueryRows(table, 16, 0, &rows) == S_OK) {
        for (i = 0; i < rows->cRows; i++) MAPIFreeBuffer(rows->aRow[i].lpProps);
        MAPIFreeBuffer(rows);
    }
    IMAPITable_Release(table);
}

/* What a client reads of a message: all its properties, both widths, and their names. */
static void read_props(IMAPIProp *object)
{
    SPropTagArray *tags = NULL, *named = NULL;
    MAPINAMEID **names = NULL;
    SPropValue *values = NULL;
    ULONG count = 0, i, n = 0;

    if (IMAPIProp_GetPropList(object, MAPI_UNICODE, &tags) == S_OK) MAPIFreeBuffer(tags);
    if (SUCCEEDED(IMAPIProp_GetProps(object, NULL, MAPI_UNICODE, &count, &values))) {
        if (MAPIAllocateBuffer(CbNewSPropTagArray(count), (void **)&named) == S_OK) {
            for (i = 0; i < count; i++)
                if (PROP_ID(values[i].ulPropTag) >= 0x8000) named->aulPropTag[n++] = values[i].ulPropTag;
            named->cValues = n;
            if (n && SUCCEEDED(IMAPIProp_GetNamesFromIDs(object, &named, NULL, 0, &count, &names)))
                MAPIFreeBuffer(names);
            MAPIFreeBuffer(named);
        }
        MAPIFreeBuffer(values);
    }
    if (SUCCEEDED(IMAPIProp_GetProps(object, NULL, 0, &count, &values))) MAPIFreeBuffer(values);
}

static void read_message(IMessage *message, ULONG depth)
{
    IMAPITable *table;
    IAttach *attach;
    IMessage *embedded;

    read_props((IMAPIProp *)message);
    if (IMessage_GetRecipientTable(message, MAPI_UNICODE, &table) == S_OK) read_table(table);
    if (IMessage_GetAttachmentTable(message, MAPI_UNICODE, &table) == S_OK) read_table(table);
    if (depth < 2 && IMessage_OpenAttach(message, 0, NULL, 0, &attach) == S_OK) {
        read_props((IMAPIProp *)attach);
        if (IAttach_OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, (IUnknown **)&embedded) == S_OK) {
            read_message(embedded, depth + 1);
            IMessage_Release(embedded);
        }
        IAttach_Release(attach);
    }
}

static void run(const BYTE *data, size_t size)
{
    IStorage *storage = build(data, size);
    IMessage *message;

    if (!storage) return;
    if (OpenIMsgOnIStg(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, MAPIGetDefaultMalloc(), NULL,
                       storage, NULL, 0, 0, &message)
        == S_OK) {
        read_message(message, 0);
        IMessage_Release(message);
    }
    IStorage_Release(storage);
}

const struct fuzz_target fuzz_msg_target = { "msg", run, NULL };
