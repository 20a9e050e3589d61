/*
 * IMessage on IStorage and the .msg layout ([MS-OXMSG]). The files here are built, and read back, by hand from the
 * published format, independently of mapihost's writer: a .msg made to the specification opens with everything in
 * it, what mapihost saves is laid out as the specification says, a Unicode value comes back exactly, and a file that
 * breaks the format is refused with MAPI_E_CORRUPT_DATA, never a crash.
 */
#include "test_support.h"
#include "mapihost_util.h"

static const WCHAR subject[] = L"Gr\u00fc\u00dfe \u20ac \u65e5\u672c"; /* Grüße € 日本: none of it narrows */

/* A storage in memory, as a .msg file is one on disk. */
static IStorage *new_storage(void)
{
    ILockBytes *bytes;
    IStorage *storage;

    assert_int_equal(CreateILockBytesOnHGlobal(NULL, TRUE, &bytes), S_OK);
    assert_int_equal(
        StgCreateDocfileOnILockBytes(bytes, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, &storage), S_OK);
    ILockBytes_Release(bytes);
    return storage;
}

static void put_stream(IStorage *storage, const WCHAR *name, const void *bytes, ULONG size)
{
    IStream *stream;

    assert_int_equal(
        IStorage_CreateStream(storage, name, STGM_CREATE | STGM_WRITE | STGM_SHARE_EXCLUSIVE, 0, 0, &stream), S_OK);
    assert_int_equal(IStream_Write(stream, bytes, size, NULL), S_OK);
    IStream_Release(stream);
}

static ULONG get_stream(IStorage *storage, const WCHAR *name, BYTE *bytes, ULONG size)
{
    IStream *stream;
    ULONG read = 0;

    assert_int_equal(IStorage_OpenStream(storage, name, NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, 0, &stream), S_OK);
    assert_int_equal(IStream_Read(stream, bytes, size, &read), S_OK);
    IStream_Release(stream);
    return read;
}

static IStorage *sub_storage(IStorage *parent, const WCHAR *name, BOOL create)
{
    IStorage *storage;

    if (create)
        assert_int_equal(
            IStorage_CreateStorage(parent, name, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, 0, &storage),
            S_OK);
    else
        assert_int_equal(IStorage_OpenStorage(parent, name, NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, NULL, 0, &storage),
                         S_OK);
    return storage;
}

/* A property stream under construction: a header, then 16-byte entries. */
struct props {
    BYTE bytes[1024];
    ULONG size;
};

static void props_header(struct props *props, ULONG header_size, ULONG recipients, ULONG attachments)
{
    memset(props, 0, sizeof(*props));
    props->size = header_size;
    if (header_size > 8) {
        ULONG counts[4] = { recipients, attachments, recipients, attachments };
        memcpy(props->bytes + 8, counts, sizeof(counts));
    }
}

static void props_entry(struct props *props, ULONG tag, const void *value, ULONG value_size)
{
    ULONG flags = 6;

    memcpy(props->bytes + props->size, &tag, 4);
    memcpy(props->bytes + props->size + 4, &flags, 4);
    memcpy(props->bytes + props->size + 8, value, value_size);
    props->size += 16;
}

/* A variable-size value: its entry gives the size, its stream the bytes (a string without its terminator). */
static void props_stream(struct props *props, IStorage *storage, ULONG tag, const void *bytes, ULONG size)
{
    ULONG type = PROP_TYPE(tag), entry_size = size + (type == PT_UNICODE ? 2 : type == PT_STRING8 ? 1 : 0);
    WCHAR name[64];

    swprintf(name, ARRAYSIZE(name), L"__substg1.0_%08lX", tag);
    put_stream(storage, name, bytes, size);
    props_entry(props, tag, &entry_size, 4);
}

static void props_write(struct props *props, IStorage *storage)
{
    put_stream(storage, L"__properties_version1.0", props->bytes, props->size);
}

static IMessage *open_message(IStorage *storage, ULONG flags, HRESULT expected)
{
    IMessage *message = NULL;

    assert_int_equal(OpenIMsgOnIStg(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, MAPIGetDefaultMalloc(),
                                    NULL, storage, NULL, 0, flags, &message),
                     expected);
    return message;
}

static SPropValue *prop(void *object, ULONG tag)
{
    SPropValue *value = NULL;

    assert_int_equal(HrGetOneProp(object, tag, &value), S_OK);
    return value;
}

#define PROP_MV_NAMES PROP_TAG(PT_MV_UNICODE, 0x6700)
#define PROP_MV_NUMBERS PROP_TAG(PT_MV_LONG, 0x6701)

/* A .msg written from the specification alone opens with its properties, recipient and attachment. */
static void test_reads_a_msg_built_from_the_specification(void **state)
{
    static const WCHAR one[] = L"one", two[] = L"\u00e9t\u00e9";
    IStorage *storage = new_storage(), *child;
    LONG importance = 2 /* high */, numbers[3] = { 7, -1, 42 }, method = ATTACH_BY_VALUE, type = MAPI_CC;
    ULONG lengths[2] = { sizeof(one), sizeof(two) };
    FILETIME when = { 0x12345678, 0x01d00000 };
    SizedSPropTagArray(3, columns) = { 3, { PR_DISPLAY_NAME_W, PR_RECIPIENT_TYPE, PR_EMAIL_ADDRESS_W } };
    struct props props;
    IMessage *message;
    IMAPITable *table;
    SPropValue *value;
    IAttach *attach;
    SRowSet *rows;

    props_header(&props, 32, 1, 1);
    props_stream(&props, storage, PR_SUBJECT_W, subject, sizeof(subject) - 2);
    props_entry(&props, PR_IMPORTANCE, &importance, 4);
    props_entry(&props, PR_MESSAGE_DELIVERY_TIME, &when, 8);
    props_stream(&props, storage, PR_BODY_A, "ansi body", 9);
    props_stream(&props, storage, PR_SEARCH_KEY, "\x01\x02\x00\x03", 4);
    put_stream(storage, L"__substg1.0_6700101F-00000000", one, sizeof(one));
    put_stream(storage, L"__substg1.0_6700101F-00000001", two, sizeof(two));
    props_stream(&props, storage, PROP_MV_NAMES, lengths, sizeof(lengths));
    props_stream(&props, storage, PROP_MV_NUMBERS, numbers, sizeof(numbers));
    props_write(&props, storage);

    child = sub_storage(storage, L"__recip_version1.0_#00000000", TRUE);
    props_header(&props, 8, 0, 0);
    props_stream(&props, child, PR_DISPLAY_NAME_W, L"Zo\u00eb", 6);
    props_stream(&props, child, PR_EMAIL_ADDRESS_W, L"zoe@example.org", 30);
    props_entry(&props, PR_RECIPIENT_TYPE, &type, 4);
    props_write(&props, child);
    IStorage_Release(child);
    child = sub_storage(storage, L"__attach_version1.0_#00000000", TRUE);
    props_header(&props, 8, 0, 0);
    props_entry(&props, PR_ATTACH_METHOD, &method, 4);
    props_stream(&props, child, PROP_TAG(PT_UNICODE, 0x3707), L"a.txt", 10);
    props_stream(&props, child, PR_ATTACH_DATA_BIN, "file bytes", 10);
    props_write(&props, child);
    IStorage_Release(child);

    message = open_message(storage, MAPI_UNICODE, S_OK);
    value = prop(message, PR_SUBJECT_W);
    assert_true(!wcscmp(value->Value.lpszW, subject));
    MAPIFreeBuffer(value);
    value = prop(message, PR_IMPORTANCE);
    assert_int_equal(value->Value.l, 2 /* high */);
    MAPIFreeBuffer(value);
    value = prop(message, PR_MESSAGE_DELIVERY_TIME);
    assert_memory_equal(&value->Value.ft, &when, sizeof(when));
    MAPIFreeBuffer(value);
    value = prop(message, PR_BODY_A);
    assert_string_equal(value->Value.lpszA, "ansi body");
    MAPIFreeBuffer(value);
    value = prop(message, PR_SEARCH_KEY);
    assert_int_equal(value->Value.bin.cb, 4);
    assert_memory_equal(value->Value.bin.lpb, "\x01\x02\x00\x03", 4);
    MAPIFreeBuffer(value);
    value = prop(message, PROP_MV_NAMES);
    assert_int_equal(value->Value.MVszW.cValues, 2);
    assert_true(!wcscmp(value->Value.MVszW.lppszW[0], one) && !wcscmp(value->Value.MVszW.lppszW[1], two));
    MAPIFreeBuffer(value);
    value = prop(message, PROP_MV_NUMBERS);
    assert_int_equal(value->Value.MVl.cValues, 3);
    assert_memory_equal(value->Value.MVl.lpl, numbers, sizeof(numbers));
    MAPIFreeBuffer(value);

    assert_int_equal(IMessage_GetRecipientTable(message, MAPI_UNICODE, &table), S_OK);
    assert_int_equal(HrQueryAllRows(table, (SPropTagArray *)&columns, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_true(!wcscmp(rows->aRow[0].lpProps[0].Value.lpszW, L"Zo\u00eb"));
    assert_int_equal(rows->aRow[0].lpProps[1].Value.l, MAPI_CC);
    assert_true(!wcscmp(rows->aRow[0].lpProps[2].Value.lpszW, L"zoe@example.org"));
    FreeProws(rows);
    IMAPITable_Release(table);
    assert_int_equal(IMessage_OpenAttach(message, 0, NULL, 0, &attach), S_OK);
    value = prop(attach, PR_ATTACH_DATA_BIN);
    assert_int_equal(value->Value.bin.cb, 10);
    assert_memory_equal(value->Value.bin.lpb, "file bytes", 10);
    MAPIFreeBuffer(value);
    IAttach_Release(attach);
    IMessage_Release(message);
    IStorage_Release(storage);
}

/* The property stream of storage: its length, and the 16-byte entry of tag (its value or size at +8), or NULL. */
static const BYTE *find_entry(const BYTE *stream, ULONG length, ULONG header, ULONG tag)
{
    ULONG offset;

    assert_int_equal((length - header) % 16, 0);
    for (offset = header; offset < length; offset += 16)
        if (!memcmp(stream + offset, &tag, 4)) return stream + offset;
    return NULL;
}

/* What mapihost saves is laid out as the specification says, read here without mapihost. */
static void test_writes_the_specification_layout(void **state)
{
    SPropValue values[2] = { { PR_SUBJECT_W, 0, { .lpszW = (WCHAR *)subject } }, { PR_IMPORTANCE, 0, { .l = 0 } } };
    SPropValue recipient[3] = { { PR_DISPLAY_NAME_W, 0, { .lpszW = (WCHAR *)L"Bo" } },
                                { PR_RECIPIENT_TYPE, 0, { .l = MAPI_TO } },
                                { PR_ADDRTYPE_A, 0, { .lpszA = (char *)"SMTP" } } };
    SPropValue attachment[2] = { { PR_ATTACH_METHOD, 0, { .l = ATTACH_BY_VALUE } },
                                 { PR_ATTACH_DATA_BIN, 0, { .bin = { 5, (BYTE *)"12345" } } } };
    SPropValue inner_subject = { PR_SUBJECT_A, 0, { .lpszA = (char *)"inner" } };
    ADRLIST list = { 1, { { 0, 3, recipient } } };
    IStorage *storage = new_storage(), *child, *object;
    BYTE stream[2048];
    const BYTE *entry;
    ULONG length, size, number;
    IMessage *message = open_message(storage, MAPI_UNICODE, S_OK), *inner;
    IAttach *attach;

    assert_int_equal(IMessage_SetProps(message, 2, values, NULL), S_OK);
    assert_int_equal(IMessage_ModifyRecipients(message, MODRECIP_ADD, &list), S_OK);
    assert_int_equal(IMessage_CreateAttach(message, NULL, 0, &number, &attach), S_OK);
    assert_int_equal(IAttach_SetProps(attach, 2, attachment, NULL), S_OK);
    assert_int_equal(IAttach_SaveChanges(attach, 0), S_OK);
    IAttach_Release(attach);
    assert_int_equal(IMessage_CreateAttach(message, NULL, 0, &number, &attach), S_OK);
    assert_int_equal(IAttach_OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, MAPI_CREATE | MAPI_MODIFY,
                                          (IUnknown **)&inner),
                     S_OK);
    assert_int_equal(IMessage_SetProps(inner, 1, &inner_subject, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(inner, 0), S_OK);
    IMessage_Release(inner);
    assert_int_equal(IAttach_SaveChanges(attach, 0), S_OK);
    IAttach_Release(attach);
    assert_int_equal(IMessage_SaveChanges(message, 0), S_OK);
    IMessage_Release(message);

    /* The message: a 32-byte header with one recipient and two attachments, the subject in its own stream. */
    length = get_stream(storage, L"__properties_version1.0", stream, sizeof(stream));
    assert_int_equal(((ULONG *)stream)[4], 1); /* recipient count */
    assert_int_equal(((ULONG *)stream)[5], 2); /* attachment count */
    assert_non_null(entry = find_entry(stream, length, 32, PR_IMPORTANCE));
    assert_int_equal(*(const LONG *)(entry + 8), 0);
    assert_non_null(entry = find_entry(stream, length, 32, PR_SUBJECT_W));
    size = *(const ULONG *)(entry + 8);
    length = get_stream(storage, L"__substg1.0_0037001F", stream, sizeof(stream));
    assert_int_equal(length, sizeof(subject) - 2); /* no terminator in the stream */
    assert_int_equal(size, length + 2);            /* one in the size */
    assert_memory_equal(stream, subject, length);

    child = sub_storage(storage, L"__recip_version1.0_#00000000", FALSE);
    length = get_stream(child, L"__properties_version1.0", stream, sizeof(stream));
    assert_non_null(entry = find_entry(stream, length, 8, PR_RECIPIENT_TYPE));
    assert_int_equal(*(const LONG *)(entry + 8), MAPI_TO);
    length = get_stream(child, L"__substg1.0_3001001F", stream, sizeof(stream));
    assert_int_equal(length, 4);
    assert_memory_equal(stream, L"Bo", 4);
    IStorage_Release(child);

    child = sub_storage(storage, L"__attach_version1.0_#00000000", FALSE);
    assert_int_equal(get_stream(child, L"__substg1.0_37010102", stream, sizeof(stream)), 5);
    assert_memory_equal(stream, "12345", 5);
    IStorage_Release(child);
    child = sub_storage(storage, L"__attach_version1.0_#00000001", FALSE);
    length = get_stream(child, L"__properties_version1.0", stream, sizeof(stream));
    assert_non_null(entry = find_entry(stream, length, 8, PR_ATTACH_DATA_OBJ));
    assert_int_equal(*(const ULONG *)(entry + 8), 0xffffffff);
    object = sub_storage(child, L"__substg1.0_3701000D", FALSE);
    length = get_stream(object, L"__properties_version1.0", stream, sizeof(stream));
    assert_int_equal((length - 24) % 16, 0); /* an embedded message's header is 24 bytes */
    assert_int_equal(get_stream(object, L"__substg1.0_0037001F", stream, sizeof(stream)), 10); /* in Unicode */
    assert_memory_equal(stream, L"inner", 10);
    IStorage_Release(object);
    IStorage_Release(child);

    /* And mapihost reads its own file back, Unicode exactly, with or without MAPI_UNICODE. */
    message = open_message(storage, 0, S_OK);
    values[0].ulPropTag = PR_SUBJECT_W;
    {
        SPropValue *value = prop(message, PR_SUBJECT_W);
        assert_true(!wcscmp(value->Value.lpszW, subject));
        MAPIFreeBuffer(value);
    }
    IMessage_Release(message);
    IStorage_Release(storage);
}

static const GUID ps_public_strings = { 0x00020329, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };
static const GUID ps_mapi = { 0x00020328, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };
static const GUID common = { 0x00062008, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };

/* Named properties: one mapping for a message and everything in it, kept in "__nameid_version1.0" as the
 * specification lays it out, and read back from there. */
static void test_named_properties(void **state)
{
    MAPINAMEID keywords = { (GUID *)&ps_public_strings, MNID_STRING, { .lpwstrName = (WCHAR *)L"Keywords" } };
    MAPINAMEID reminder = { (GUID *)&common, MNID_ID, { .lID = 0x8514 } };
    MAPINAMEID own = { (GUID *)&ps_mapi, MNID_ID, { .lID = 0x0037 } };
    MAPINAMEID unknown = { (GUID *)&common, MNID_STRING, { .lpwstrName = (WCHAR *)L"nobody" } };
    MAPINAMEID *both[2] = { &keywords, &reminder }, *lookups[3] = { &reminder, &own, &unknown }, **names;
    IStorage *storage = new_storage(), *nameid;
    IMessage *message = open_message(storage, MAPI_UNICODE, S_OK), *inner;
    SPropTagArray *tags, *inner_tags, *all = NULL;
    SPropValue value = { 0, 0, { .lpszW = (WCHAR *)L"red, urgent" } };
    BYTE bytes[256];
    ULONG count, number;
    IAttach *attach;

    assert_int_equal(IMessage_GetIDsFromNames(message, 2, both, 0, &tags), MAPI_W_ERRORS_RETURNED); /* none yet */
    MAPIFreeBuffer(tags);
    assert_int_equal(IMessage_GetIDsFromNames(message, 2, both, MAPI_CREATE, &tags), S_OK);
    assert_int_equal(tags->aulPropTag[0], PROP_TAG(PT_UNSPECIFIED, 0x8000));
    assert_int_equal(tags->aulPropTag[1], PROP_TAG(PT_UNSPECIFIED, 0x8001));
    value.ulPropTag = CHANGE_PROP_TYPE(tags->aulPropTag[0], PT_UNICODE);
    assert_int_equal(IMessage_SetProps(message, 1, &value, NULL), S_OK);
    /* An embedded message shares the file's mapping. */
    assert_int_equal(IMessage_CreateAttach(message, NULL, 0, &number, &attach), S_OK);
    assert_int_equal(IAttach_OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, MAPI_CREATE | MAPI_MODIFY,
                                          (IUnknown **)&inner),
                     S_OK);
    assert_int_equal(IMessage_GetIDsFromNames(inner, 1, &both[1], 0, &inner_tags), S_OK);
    assert_int_equal(inner_tags->aulPropTag[0], PROP_TAG(PT_UNSPECIFIED, 0x8001));
    MAPIFreeBuffer(inner_tags);
    assert_int_equal(IMessage_SaveChanges(inner, 0), S_OK);
    IMessage_Release(inner);
    assert_int_equal(IAttach_SaveChanges(attach, 0), S_OK);
    IAttach_Release(attach);
    assert_int_equal(IMessage_SaveChanges(message, 0), S_OK);
    IMessage_Release(message);
    MAPIFreeBuffer(tags);

    /* By hand: two entries in ID order, one GUID of its own, one string, and each in its hash stream. */
    nameid = sub_storage(storage, L"__nameid_version1.0", FALSE);
    assert_int_equal(get_stream(nameid, L"__substg1.0_00030102", bytes, sizeof(bytes)), 16);
    assert_int_equal(((ULONG *)bytes)[0], 0);                     /* the string's offset */
    assert_int_equal(((ULONG *)bytes)[1], 0 << 16 | 2 << 1 | 1);  /* ID 0x8000, PS_PUBLIC_STRINGS, a string */
    assert_int_equal(((ULONG *)bytes)[2], 0x8514);                /* the number */
    assert_int_equal(((ULONG *)bytes)[3], 1u << 16 | 3 << 1 | 0); /* ID 0x8001, the first GUID of the stream */
    assert_int_equal(get_stream(nameid, L"__substg1.0_00020102", bytes, sizeof(bytes)), 16);
    assert_memory_equal(bytes, &common, 16);
    assert_int_equal(get_stream(nameid, L"__substg1.0_00040102", bytes, sizeof(bytes)), 4 + 16);
    assert_int_equal(((ULONG *)bytes)[0], 16);
    assert_memory_equal(bytes + 4, L"Keywords", 16);
    /* CRC-32 of "Keywords" in UTF-16 (0x2EDA4D3B), and the number, each in the stream its hash picks */
    assert_int_equal(get_stream(nameid, L"__substg1.0_10150102", bytes, sizeof(bytes)), 8);
    assert_int_equal(((ULONG *)bytes)[0], 0x2eda4d3b);
    assert_int_equal(get_stream(nameid, L"__substg1.0_101C0102", bytes, sizeof(bytes)), 8);
    assert_int_equal(((ULONG *)bytes)[0], 0x8514);
    IStorage_Release(nameid);

    /* Read back: the names by their IDs, the IDs by their names, and a PS_MAPI name is its own ID. */
    message = open_message(storage, 0, S_OK);
    assert_int_equal(IMessage_GetNamesFromIDs(message, &all, NULL, 0, &count, &names), S_OK);
    assert_int_equal(count, 2);
    assert_true(IsEqualGUID(names[0]->lpguid, &ps_public_strings) && names[0]->ulKind == MNID_STRING
                && !wcscmp(names[0]->Kind.lpwstrName, L"Keywords"));
    assert_true(IsEqualGUID(names[1]->lpguid, &common) && names[1]->ulKind == MNID_ID && names[1]->Kind.lID == 0x8514);
    MAPIFreeBuffer(names);
    MAPIFreeBuffer(all);
    assert_int_equal(IMessage_GetIDsFromNames(message, 3, lookups, 0, &tags), MAPI_W_ERRORS_RETURNED);
    assert_int_equal(tags->aulPropTag[0], PROP_TAG(PT_UNSPECIFIED, 0x8001));
    assert_int_equal(tags->aulPropTag[1], PROP_TAG(PT_UNSPECIFIED, 0x0037));
    assert_int_equal(tags->aulPropTag[2], PROP_TAG(PT_ERROR, 0));
    MAPIFreeBuffer(tags);
    {
        SPropValue *got = prop(message, PROP_TAG(PT_UNICODE, 0x8000));
        assert_true(!wcscmp(got->Value.lpszW, L"red, urgent"));
        MAPIFreeBuffer(got);
    }
    IMessage_Release(message);
    IStorage_Release(storage);
}

/* A file that breaks the format is refused as corrupt, whatever part of it is wrong. */
static void test_refuses_broken_files(void **state)
{
    static const struct {
        const char *what;
        ULONG header, tag, entry_size, stream_size; /* stream_size ~0: no value stream */
        ULONG props_length;                         /* 0: as built */
    } cases[] = {
        { "a property stream that ends inside an entry", 32, PR_IMPORTANCE, 4, ~0u, 45 },
        { "an entry whose value stream is missing", 32, PR_SUBJECT_W, 10, ~0u, 0 },
        { "a GUID stream of 5 bytes", 32, PROP_TAG(PT_CLSID, 0x6702), 5, 5, 0 },
        { "a Unicode stream of an odd length", 32, PR_SUBJECT_W, 5, 3, 0 },
        { "a length stream of a multi-valued string that is no whole number of lengths", 32, PROP_MV_NAMES, 3, 3, 0 },
        { "values of a multi-valued number that are no whole number of numbers", 32, PROP_MV_NUMBERS, 6, 6, 0 },
        { "an entry naming a value stream of a multi-valued string that is missing", 32, PROP_MV_NAMES, 4, 4, 0 },
    };
    BYTE filler[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
    struct props props;
    size_t i;

    for (i = 0; i < ARRAYSIZE(cases); i++) {
        IStorage *storage = new_storage();
        WCHAR name[64];

        print_message("%s\n", cases[i].what);
        props_header(&props, cases[i].header, 0, 0);
        if (cases[i].stream_size != ~0u) {
            swprintf(name, ARRAYSIZE(name), L"__substg1.0_%08lX", cases[i].tag);
            put_stream(storage, name, filler, cases[i].stream_size);
        }
        props_entry(&props, cases[i].tag, &cases[i].entry_size, 4);
        if (cases[i].props_length) props.size = cases[i].props_length;
        props_write(&props, storage);
        assert_null(open_message(storage, 0, MAPI_E_CORRUPT_DATA));
        IStorage_Release(storage);
    }
    /* A name mapping whose entry names a GUID the GUID stream does not have. */
    {
        ULONG entry[2] = { 0x8514, 0 << 16 | 9 << 1 };
        IStorage *storage = new_storage(), *nameid = sub_storage(storage, L"__nameid_version1.0", TRUE);

        put_stream(nameid, L"__substg1.0_00030102", entry, sizeof(entry));
        IStorage_Release(nameid);
        props_header(&props, 32, 0, 0);
        props_write(&props, storage);
        assert_null(open_message(storage, 0, MAPI_E_CORRUPT_DATA));
        IStorage_Release(storage);
    }
}

static ULONG row_count_of(IMAPITable *table)
{
    ULONG count;

    assert_int_equal(IMAPITable_GetRowCount(table, 0, &count), S_OK);
    IMAPITable_Release(table);
    return count;
}

/* IMessage::CopyTo to another message carries its recipients and attachments (imapiprop-copyto.md), and leaves each
 * out when the exclusion list names PR_MESSAGE_RECIPIENTS or PR_MESSAGE_ATTACHMENTS. */
static void test_copyto_carries_recipients_and_attachments(void **state)
{
    SPropValue recipients[2][3] = {
        { { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"Al" } },
          { PR_RECIPIENT_TYPE, 0, { .l = MAPI_TO } },
          { PR_ADDRTYPE_A, 0, { .lpszA = (char *)"SMTP" } } },
        { { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"Bo" } },
          { PR_RECIPIENT_TYPE, 0, { .l = MAPI_CC } },
          { PR_ADDRTYPE_A, 0, { .lpszA = (char *)"SMTP" } } },
    };
    struct {
        ULONG cEntries;
        ADRENTRY aEntries[2];
    } list = { 2, { { 0, 3, recipients[0] }, { 0, 3, recipients[1] } } };
    SPropValue attachment[2] = { { PR_ATTACH_METHOD, 0, { .l = ATTACH_BY_VALUE } },
                                 { PR_ATTACH_FILENAME_A, 0, { .lpszA = (char *)"a.txt" } } };
    SizedSPropTagArray(1, no_recipients) = { 1, { PR_MESSAGE_RECIPIENTS } };
    SizedSPropTagArray(1, no_attachments) = { 1, { PR_MESSAGE_ATTACHMENTS } };
    IStorage *storages[3] = { new_storage(), new_storage(), new_storage() };
    IMessage *source = open_message(storages[0], 0, S_OK), *copy, *partial;
    IMAPITable *table;
    SPropValue *name;
    IAttach *attach;
    ULONG number;

    assert_int_equal(IMessage_ModifyRecipients(source, MODRECIP_ADD, (ADRLIST *)&list), S_OK);
    assert_int_equal(IMessage_CreateAttach(source, NULL, 0, &number, &attach), S_OK);
    assert_int_equal(IAttach_SetProps(attach, 2, attachment, NULL), S_OK);
    assert_int_equal(IAttach_SaveChanges(attach, 0), S_OK);
    IAttach_Release(attach);

    copy = open_message(storages[1], 0, S_OK);
    assert_int_equal(IMessage_CopyTo(source, 0, NULL, NULL, 0, NULL, &IID_IMessage, copy, 0, NULL), S_OK);
    assert_int_equal(IMessage_GetRecipientTable(copy, 0, &table), S_OK);
    assert_int_equal(row_count_of(table), 2);
    assert_int_equal(IMessage_GetAttachmentTable(copy, 0, &table), S_OK);
    assert_int_equal(row_count_of(table), 1);
    assert_int_equal(IMessage_OpenAttach(copy, 0, NULL, 0, &attach), S_OK);
    name = prop(attach, PR_ATTACH_FILENAME_A);
    assert_string_equal(name->Value.lpszA, "a.txt");
    MAPIFreeBuffer(name);
    IAttach_Release(attach);
    IMessage_Release(copy);

    partial = open_message(storages[2], 0, S_OK);
    assert_int_equal(
        IMessage_CopyTo(source, 0, NULL, (SPropTagArray *)&no_recipients, 0, NULL, &IID_IMessage, partial, 0, NULL),
        S_OK);
    assert_int_equal(IMessage_GetRecipientTable(partial, 0, &table), S_OK);
    assert_int_equal(row_count_of(table), 0);
    assert_int_equal(
        IMessage_CopyTo(source, 0, NULL, (SPropTagArray *)&no_attachments, 0, NULL, &IID_IMessage, partial, 0, NULL),
        S_OK);
    assert_int_equal(IMessage_GetRecipientTable(partial, 0, &table), S_OK);
    assert_int_equal(row_count_of(table), 2);
    assert_int_equal(IMessage_GetAttachmentTable(partial, 0, &table), S_OK);
    assert_int_equal(row_count_of(table), 1); /* from the first copy: the second added none */
    IMessage_Release(partial);
    IMessage_Release(source);
    for (number = 0; number < 3; number++) IStorage_Release(storages[number]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        mapi_test(test_reads_a_msg_built_from_the_specification),
        mapi_test(test_writes_the_specification_layout),
        mapi_test(test_named_properties),
        mapi_test(test_refuses_broken_files),
        mapi_test(test_copyto_carries_recipients_and_attachments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
