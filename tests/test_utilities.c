/*
 * MAPI's utility functions as mapihost.dll exports them (spec U2, U10-U23, U62-U74): both export names of each,
 * CreateTable and ITableData, CreateIProp and IPropData, and the property and row utilities, including bad input.
 */
#include "test_support.h"
#include "mapihost_util.h"
#include "mapihost_val.h"

/* The allocators a provider gives: MAPI's, counted, so a test can tell which allocator a buffer came from. */
static LONG buffers_given, more_given;

static SCODE WINAPI counted_buffer(ULONG size, void **out)
{
    InterlockedIncrement(&buffers_given);
    return MAPIAllocateBuffer(size, out);
}

static SCODE WINAPI counted_more(ULONG size, void *parent, void **out)
{
    InterlockedIncrement(&more_given);
    return MAPIAllocateMore(size, parent, out);
}

/* U2: each function under its plain name and Wine's 32-bit stdcall name is the same code. */
static void test_export_names(void **state)
{
    static const struct {
        const char *name;
        int bytes;
    } names[] = {
        { "MAPIInitialize", 4 },
        { "MAPIUninitialize", 0 },
        { "MAPILogonEx", 20 },
        { "MAPIAllocateBuffer", 8 },
        { "MAPIAllocateMore", 12 },
        { "MAPIFreeBuffer", 4 },
        { "MAPIGetDefaultMalloc", 0 },
        { "MAPIAdminProfiles", 8 },
        { "CreateTable", 36 },
        { "CreateIProp", 24 },
        { "PpropFindProp", 12 },
        { "LpValFindProp", 12 },
        { "FPropExists", 8 },
        { "HrGetOneProp", 12 },
        { "HrSetOneProp", 8 },
        { "ScCountProps", 12 },
        { "ScCopyProps", 16 },
        { "ScRelocProps", 20 },
        { "ScDupPropset", 16 },
        { "PropCopyMore", 16 },
        { "UlPropSize", 4 },
        { "LPropCompareProp", 8 },
        { "FPropCompareProp", 12 },
        { "FPropContainsProp", 12 },
        { "FreeProws", 4 },
        { "FreePadrlist", 4 },
        { "HrQueryAllRows", 24 },
        { "HrAddColumns", 16 },
        { "HrAddColumnsEx", 20 },
        { "FGetComponentPath", 20 },
        { "HrAllocAdviseSink", 12 },
        { "HrThisThreadAdviseSink", 8 },
        { "HrDispatchNotifications", 4 },
        { "ScCountNotifications", 12 },
        { "ScCopyNotifications", 16 },
        { "ScRelocNotifications", 20 },
        { "UlAddRef", 4 },
        { "UlRelease", 4 },
        { "HexFromBin", 12 },
        { "FBinFromHex", 8 },
        { "ScBinFromHexBounded", 12 },
        { "UlFromSzHex", 4 },
        { "UFromSz", 4 },
        { "SzFindCh", 8 },
        { "SzFindLastCh", 8 },
        { "SzFindSz", 8 },
        { "FtAddFt", 16 },
        { "FtAdcFt", 20 },
        { "FtSubFt", 16 },
        { "FtMulDw", 12 },
        { "FtMulDwDw", 8 },
        { "FtNegFt", 8 },
        { "MNLS_lstrlenW", 4 },
        { "MNLS_lstrcmpW", 8 },
        { "MNLS_lstrcpyW", 8 },
        { "MNLS_CompareStringW", 24 },
        { "MNLS_MultiByteToWideChar", 24 },
        { "MNLS_WideCharToMultiByte", 32 },
        { "MNLS_IsBadStringPtrW", 8 },
        { "ScInitMapiUtil", 4 },
        { "DeinitMapiUtil", 0 },
        { "MapStorageSCode", 4 },
        { "FBadPropTag", 4 },
        { "FBadProp", 4 },
        { "FBadRow", 4 },
        { "FBadRowSet", 4 },
        { "FBadRestriction", 4 },
        { "FBadColumnSet", 4 },
        { "FBadSortOrderSet", 4 },
        { "FBadRglpszW", 8 },
        { "FBadRglpszA", 8 },
        { "FBadRglpNameID", 8 },
        { "FBadEntryList", 4 },
        { "__ValidateParameters", 8 },
        { "__CPPValidateParameters", 8 },
        { "HrValidateParameters", 8 },
        { "HrSzFromEntryID", 12 },
        { "HrEntryIDFromSz", 12 },
        { "HrComposeEID", 28 },
        { "HrDecomposeEID", 28 },
        { "WrapStoreEntryID", 24 },
        { "ScCreateConversationIndex", 16 },
        { "ScGenerateMuid", 4 },
        { "FEqualNames", 8 },
        { "OpenStreamOnFile", 24 },
        { "HrComposeMsgID", 24 },
        { "HrDecomposeMsgID", 24 },
        { "IsBadBoundedStringPtr", 8 },
        { "HrIStorageFromStream", 16 },
        { "BuildDisplayTable", 40 },
        { "ChangeIdleRoutine", 28 },
        { "CloseIMsgSession", 4 },
        { "DeregisterIdleRoutine", 4 },
        { "EnableIdleRoutine", 8 },
        { "FtgRegisterIdleRoutine", 20 },
        { "GetAttribIMsgOnIStg", 12 },
        { "GetTnefStreamCodepage", 12 },
        { "HrValidateIPMSubtree", 20 },
        { "MAPIDeinitIdle", 0 },
        { "MAPIInitIdle", 4 },
        { "OpenIMsgOnIStg", 44 },
        { "OpenIMsgSession", 12 },
        { "OpenTnefStream", 28 },
        { "OpenTnefStreamEx", 32 },
        { "RTFSync", 12 },
        { "ScLocalPathFromUNC", 12 },
        { "ScUNCFromLocalPath", 12 },
        { "SetAttribIMsgOnIStg", 16 },
        { "WrapCompressedRTFStream", 12 },
    };
    HMODULE module = GetModuleHandleA("mapihost.dll");
    char decorated[64];
    size_t i;

    assert_non_null(module);
    for (i = 0; i < ARRAYSIZE(names); i++) {
        FARPROC plain = GetProcAddress(module, names[i].name);
        snprintf(decorated, sizeof(decorated), "%s@%d", names[i].name, names[i].bytes);
        if (!plain) fail_msg("%s is not exported", names[i].name);
        if (GetProcAddress(module, decorated) != plain) fail_msg("%s is not the code of %s", decorated, names[i].name);
    }
}

static SRow *row_of(SPropValue *values, ULONG count)
{
    static SRow row;

    row.cValues = count;
    row.lpProps = values;
    return &row;
}

/* U10-U23: a table keyed by a string column, with the provider's allocators. */
/* Compressed RTF: an "LZFu" stream (the example of the compressed_rtf package, checked against [MS-OXRTFCP]) reads
 * as its RTF; what is written comes back; a damaged CRC is refused. */
static IStream *stream_of(const void *bytes, ULONG size)
{
    LARGE_INTEGER zero = { .QuadPart = 0 };
    IStream *stream;

    assert_int_equal(CreateStreamOnHGlobal(NULL, TRUE, &stream), S_OK);
    assert_int_equal(IStream_Write(stream, bytes, size, NULL), S_OK);
    assert_int_equal(IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL), S_OK);
    return stream;
}

static void test_compressed_rtf(void **state)
{
    static const char rtf[] = "{\\rtf1\\ansi\\ansicpg1252\\pard test}";
    static BYTE lzfu[] = { '#',  0,    0,   0,    '"',  0,    0,    0,    'L',  'Z', 'F', 'u',  '3',
                           '\\', 0xe8, 't', 0x03, 0x00, '\n', 0x00, 'r',  'c',  'p', 'g', '1',  '2',
                           '5',  0x92, '2', '\n', 0xf3, ' ',  't',  0x07, 0x90, 't', '}', 0x0f, 0x10 };
    IStream *compressed, *plain;
    char text[64] = "";
    ULONG done;

    compressed = stream_of(lzfu, sizeof(lzfu));
    assert_int_equal(WrapCompressedRTFStream(compressed, 0, &plain), S_OK);
    assert_int_equal(IStream_Read(plain, text, sizeof(text) - 1, &done), S_OK);
    assert_int_equal(done, sizeof(rtf) - 1);
    assert_string_equal(text, rtf);
    IStream_Release(plain);
    IStream_Release(compressed);
    lzfu[12] ^= 1;
    compressed = stream_of(lzfu, sizeof(lzfu));
    assert_int_equal(WrapCompressedRTFStream(compressed, 0, &plain), MAPI_E_CORRUPT_DATA);
    IStream_Release(compressed);

    compressed = stream_of("", 0);
    assert_int_equal(WrapCompressedRTFStream(compressed, MAPI_MODIFY, &plain), S_OK);
    assert_int_equal(IStream_Write(plain, rtf, sizeof(rtf) - 1, NULL), S_OK);
    IStream_Release(plain); /* written back as "MELA" */
    memset(text, 0, sizeof(text));
    assert_int_equal(WrapCompressedRTFStream(compressed, 0, &plain), S_OK);
    assert_int_equal(IStream_Read(plain, text, sizeof(text) - 1, &done), S_OK);
    assert_string_equal(text, rtf);
    IStream_Release(plain);
    IStream_Release(compressed);
}

/* U91: a page of three controls laid out by test_utilities.rc. */
static void test_display_table(void **state)
{
    DTBLPAGE page_control = { 0, 0, 0, 7 };
    DTBLLABEL label = { 0, 0 };
    DTBLEDIT edit = { 0, DT_EDITABLE, 64, PR_DISPLAY_NAME_A };
    DTBLCHECKBOX check = { 0, 0, PROP_TAG(PT_BOOLEAN, 0x6601) };
    BYTE ids[4] = { 1, 2, 3, 4 };
    DTCTL controls[] = {
        { DTCT_PAGE, 0, &ids[0], 1, NULL, 0, { .lppage = &page_control } },
        { DTCT_LABEL, 0, &ids[1], 1, NULL, 101, { .lplabel = &label } },
        { DTCT_EDIT, DT_EDITABLE, &ids[2], 1, (LPTSTR) "*", 102, { .lpedit = &edit } },
        { DTCT_CHECKBOX, DT_EDITABLE, &ids[3], 1, NULL, 103, { .lpcheckbox = &check } },
    };
    DTPAGE page = {
        ARRAYSIZE(controls), (LPTSTR)MAKEINTRESOURCEA(100), { .lpszComponent = (LPTSTR) "General" }, controls
    };
    SizedSPropTagArray(
        6, columns) = { 6, { PR_CONTROL_TYPE, PR_XPOS, PR_YPOS, PR_DELTAX, PR_DELTAY, PR_CONTROL_STRUCTURE } };
    ITableData *data;
    IMAPITable *table;
    SRowSet *rows;
    const BYTE *bytes;

    assert_int_equal(BuildDisplayTable(MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL,
                                       GetModuleHandleA(NULL), 1, &page, 0, &table, &data),
                     S_OK);
    assert_int_equal(HrQueryAllRows(table, (SPropTagArray *)&columns, NULL, NULL, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 4);
    bytes = rows->aRow[0].lpProps[5].Value.bin.lpb; /* the page: its label is the dialog's caption */
    assert_string_equal((const char *)bytes + ((const DTBLPAGE *)bytes)->ulbLpszLabel, "General");
    assert_string_equal((const char *)bytes + ((const DTBLPAGE *)bytes)->ulbLpszComponent, "General");
    assert_int_equal(((const DTBLPAGE *)bytes)->ulContext, 7);
    assert_int_equal(rows->aRow[1].lpProps[0].Value.l, DTCT_LABEL);
    assert_int_equal(rows->aRow[1].lpProps[1].Value.l, 7);
    assert_int_equal(rows->aRow[1].lpProps[2].Value.l, 10);
    assert_int_equal(rows->aRow[1].lpProps[3].Value.l, 40);
    assert_int_equal(rows->aRow[1].lpProps[4].Value.l, 8);
    bytes = rows->aRow[1].lpProps[5].Value.bin.lpb;
    assert_string_equal((const char *)bytes + ((const DTBLLABEL *)bytes)->ulbLpszLabelName, "&Name:");
    bytes = rows->aRow[2].lpProps[5].Value.bin.lpb;
    assert_string_equal((const char *)bytes + ((const DTBLEDIT *)bytes)->ulbLpszCharsAllowed, "*");
    assert_int_equal(((const DTBLEDIT *)bytes)->ulPropTag, PR_DISPLAY_NAME_A);
    bytes = rows->aRow[3].lpProps[5].Value.bin.lpb;
    assert_string_equal((const char *)bytes + ((const DTBLCHECKBOX *)bytes)->ulbLpszLabel, "Enabled");
    FreeProws(rows);
    IMAPITable_Release(table);
    ITableData_Release(data);
    controls[1].ulItemID = 999; /* no such item */
    assert_int_equal(BuildDisplayTable(MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL,
                                       GetModuleHandleA(NULL), 1, &page, 0, &table, NULL),
                     MAPI_E_NOT_FOUND);
    assert_null(table);
}

/* What mapihost lacks answers cleanly and says so (missing.c): never a Wine stub that ends the process. */
static char last_event[512];

static void WINAPI keep_event(void *context, ULONG severity, const char *line)
{
    snprintf(last_event, sizeof(last_event), "%s", line);
}

static void test_missing_utilities(void **state)
{
    HRESULT(WINAPI * open_tnef)(void *, IStream *, LPSTR, ULONG, void *, WORD, void **);
    void *(WINAPI * register_idle)(void *, void *, short, ULONG, USHORT);
    HMODULE module = GetModuleHandleA("mapihost.dll");
    void *tnef = (void *)1;

    MapihostSetEventSink(keep_event, NULL);
    assert_non_null(open_tnef = (void *)GetProcAddress(module, "OpenTnefStream"));
    assert_int_equal(open_tnef(NULL, NULL, NULL, 0, NULL, 0, &tnef), MAPI_E_NO_SUPPORT);
    assert_null(tnef);
    assert_non_null(strstr(last_event, "OpenTnefStream: not implemented"));
    assert_non_null(register_idle = (void *)GetProcAddress(module, "FtgRegisterIdleRoutine@20"));
    assert_null(register_idle(NULL, NULL, 0, 1, 0));
    assert_non_null(strstr(last_event, "FtgRegisterIdleRoutine"));
    MapihostSetEventSink(NULL, NULL);
}

/* U95-U97: a message on a storage, saved, released (its callback runs), opened again from the storage alone. */
static ULONG released_with;

static void WINAPI message_released(ULONG caller_data, LPMESSAGE message)
{
    released_with = caller_data;
}

static ADRLIST *two_recipients(void)
{
    static const char *const names[] = { "Ann", "Bob" };
    ADRLIST *list;
    ULONG i;

    assert_int_equal(MAPIAllocateBuffer(CbNewADRLIST(2), (void **)&list), S_OK);
    list->cEntries = 2;
    for (i = 0; i < 2; i++) {
        list->aEntries[i].ulReserved1 = 0;
        list->aEntries[i].cValues = 2;
        assert_int_equal(MAPIAllocateBuffer(2 * sizeof(SPropValue), (void **)&list->aEntries[i].rgPropVals), S_OK);
        list->aEntries[i].rgPropVals[0].ulPropTag = PR_DISPLAY_NAME_A;
        list->aEntries[i].rgPropVals[0].Value.lpszA = (char *)names[i];
        list->aEntries[i].rgPropVals[1].ulPropTag = PR_RECIPIENT_TYPE;
        list->aEntries[i].rgPropVals[1].Value.l = i ? MAPI_CC : MAPI_TO;
    }
    return list;
}

static SRowSet *recipient_rows(IMessage *message)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ROWID, PR_DISPLAY_NAME_A } };
    IMAPITable *table;
    SRowSet *rows;

    assert_int_equal(IMessage_GetRecipientTable(message, 0, &table), S_OK);
    assert_int_equal(HrQueryAllRows(table, (SPropTagArray *)&columns, NULL, NULL, 0, &rows), S_OK);
    IMAPITable_Release(table);
    return rows;
}

/* Attachment 0 with data, saved; attachment 1 saved and deleted again; attachment 2 an embedded message (numbered
 * from 0, as the .msg layout numbers their storages). An open
 * attachment, and an open embedded message, opens as itself. */
static void add_attachments(IMessage *message)
{
    SPropValue values[2] = { { PR_ATTACH_METHOD, 0, { .l = ATTACH_BY_VALUE } },
                             { PR_ATTACH_DATA_BIN, 0, { .bin = { 3, (BYTE *)"abc" } } } };
    SPropValue subject = { PR_SUBJECT_A, 0, { .lpszA = (char *)"Inner" } };
    IMessage *inner, *again_inner;
    IAttach *attach, *again;
    ULONG number;

    assert_int_equal(IMessage_CreateAttach(message, NULL, 0, &number, &attach), S_OK);
    assert_int_equal(number, 0);
    assert_int_equal(IAttach_SetProps(attach, 2, values, NULL), S_OK);
    assert_int_equal(IAttach_SaveChanges(attach, 0), S_OK);
    assert_int_equal(IMessage_OpenAttach(message, 0, NULL, MAPI_MODIFY, &again), S_OK);
    assert_ptr_equal(again, attach);
    IAttach_Release(again);
    IAttach_Release(attach);
    assert_int_equal(IMessage_CreateAttach(message, NULL, 0, &number, &attach), S_OK);
    assert_int_equal(number, 1);
    assert_int_equal(IAttach_SaveChanges(attach, 0), S_OK);
    IAttach_Release(attach);
    assert_int_equal(IMessage_DeleteAttach(message, 1, 0, NULL, 0), S_OK);
    assert_int_equal(IMessage_OpenAttach(message, 1, NULL, 0, &attach), MAPI_E_NOT_FOUND);

    assert_int_equal(IMessage_CreateAttach(message, NULL, 0, &number, &attach), S_OK);
    assert_int_equal(number, 2);
    assert_int_equal(IAttach_OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, MAPI_CREATE | MAPI_MODIFY,
                                          (IUnknown **)&inner),
                     S_OK);
    assert_int_equal(IMessage_SetProps(inner, 1, &subject, NULL), S_OK);
    assert_int_equal(IMessage_SaveChanges(inner, 0), S_OK);
    assert_int_equal(IAttach_OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, (IUnknown **)&again_inner),
                     S_OK);
    assert_ptr_equal(again_inner, inner);
    IMessage_Release(again_inner);
    IMessage_Release(inner);
    assert_int_equal(IAttach_SaveChanges(attach, 0), S_OK);
    IAttach_Release(attach);
}

/* What add_attachments left, read back from the storage. */
static void check_attachment(IMessage *message)
{
    IMAPITable *table;
    SPropValue *value;
    IMessage *inner;
    IStream *data;
    IAttach *attach;
    char text[8];
    ULONG count;

    assert_int_equal(IMessage_GetAttachmentTable(message, 0, &table), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &count), S_OK);
    assert_int_equal(count, 2);
    IMAPITable_Release(table);
    assert_int_equal(IMessage_OpenAttach(message, 0, NULL, 0, &attach), S_OK);
    assert_int_equal(IAttach_OpenProperty(attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, (IUnknown **)&data), S_OK);
    assert_int_equal(IStream_Read(data, text, sizeof(text), &count), S_OK);
    assert_int_equal(count, 3);
    assert_memory_equal(text, "abc", 3);
    assert_int_equal(IStream_Write(data, "x", 1, NULL), STG_E_ACCESSDENIED); /* opened without MAPI_MODIFY */
    IStream_Release(data);
    assert_int_equal(IAttach_OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, (IUnknown **)&inner),
                     MAPI_E_NOT_FOUND); /* it holds data, no message */
    IAttach_Release(attach);
    assert_int_equal(IMessage_OpenAttach(message, 2, NULL, 0, &attach), S_OK);
    assert_int_equal(HrGetOneProp((IMAPIProp *)attach, PR_ATTACH_METHOD, &value), S_OK);
    assert_int_equal(value->Value.l, ATTACH_EMBEDDED_MSG);
    MAPIFreeBuffer(value);
    assert_int_equal(IAttach_OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, (IUnknown **)&inner), S_OK);
    assert_int_equal(HrGetOneProp((IMAPIProp *)inner, PR_SUBJECT_A, &value), S_OK);
    assert_string_equal(value->Value.lpszA, "Inner");
    MAPIFreeBuffer(value);
    IMessage_Release(inner);
    IAttach_Release(attach);
}

static void test_message_on_storage(void **state)
{
    SizedSPropTagArray(2, tags) = { 2, { PR_SUBJECT_A, PR_DISPLAY_TYPE } };
    SPropValue values[2] = { { PR_SUBJECT_A, 0, { .lpszA = (char *)"Hello\nworld" } },
                             { PR_MESSAGE_FLAGS, 0, { .l = 0 } } };
    SizedSPropTagArray(1, subject_only) = { 1, { PR_SUBJECT_A } };
    struct {
        ULONG cValues;
        ULONG aPropAttr[1];
    } read_only = { 1, { PROPATTR_READABLE } };
    SPropProblemArray *problems;
    SPropAttrArray *attributes;
    SPropValue *value;
    IStream *body;
    ILockBytes *bytes;
    IStorage *storage;
    IMessage *message;
    LPMSGSESS session;
    ADRLIST *list;
    SRowSet *rows;

    assert_int_equal(CreateILockBytesOnHGlobal(NULL, TRUE, &bytes), S_OK);
    assert_int_equal(StgCreateDocfileOnILockBytes(
                         bytes, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE | STGM_TRANSACTED, 0, &storage),
                     S_OK);
    assert_int_equal(OpenIMsgSession(NULL, 0, &session), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(OpenIMsgSession(MAPIGetDefaultMalloc(), 0, &session), S_OK);
    assert_int_equal(OpenIMsgOnIStg(session, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                                    MAPIGetDefaultMalloc(), NULL, storage, message_released, 42, 0, &message),
                     S_OK);
    assert_int_equal(IMessage_SetProps(message, 2, values, NULL), S_OK);
    assert_int_equal(IMessage_SetReadFlag(message, 0), S_OK);
    list = two_recipients();
    assert_int_equal(IMessage_ModifyRecipients(message, 0, list), S_OK);
    rows = recipient_rows(message);
    assert_int_equal(rows->cRows, 2);
    MAPIFreeBuffer(list->aEntries[1].rgPropVals); /* remove Ann by her row ID */
    list->cEntries = 1;
    list->aEntries[0].cValues = 1;
    list->aEntries[0].rgPropVals[0] = rows->aRow[0].lpProps[0];
    assert_int_equal(IMessage_ModifyRecipients(message, MODRECIP_REMOVE, list), S_OK);
    list->aEntries[0].cValues = 0;
    FreePadrlist(list);
    FreeProws(rows);
    add_attachments(message);
    assert_int_equal(
        IMessage_OpenProperty(message, PR_BODY_A, &IID_IStream, 0, MAPI_CREATE | MAPI_MODIFY, (IUnknown **)&body),
        S_OK);
    assert_int_equal(IStream_Write(body, "Body text", 9, NULL), S_OK);
    IStream_Release(body); /* the text goes into PR_BODY */
    assert_int_equal(IMessage_SubmitMessage(message, 0), MAPI_E_NO_SUPPORT);
    assert_int_equal(IMessage_SaveChanges(message, 0), S_OK);
    assert_int_equal(IMessage_Release(message), 0);
    assert_int_equal(released_with, 42);

    /* Again, outside any session, from the storage alone. */
    assert_int_equal(OpenIMsgOnIStg(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, MAPIGetDefaultMalloc(),
                                    NULL, storage, NULL, 0, 0, &message),
                     S_OK);
    assert_int_equal(HrGetOneProp((IMAPIProp *)message, PR_SUBJECT_A, &value), S_OK);
    assert_string_equal(value->Value.lpszA, "Hello\nworld");
    MAPIFreeBuffer(value);
    assert_int_equal(HrGetOneProp((IMAPIProp *)message, PR_BODY_A, &value), S_OK);
    assert_string_equal(value->Value.lpszA, "Body text");
    MAPIFreeBuffer(value);
    assert_int_equal(HrGetOneProp((IMAPIProp *)message, PR_MESSAGE_FLAGS, &value), S_OK);
    assert_int_equal(value->Value.l & MSGFLAG_READ, MSGFLAG_READ);
    MAPIFreeBuffer(value);
    rows = recipient_rows(message);
    assert_int_equal(rows->cRows, 1);
    assert_string_equal(rows->aRow[0].lpProps[1].Value.lpszA, "Bob");
    FreeProws(rows);
    check_attachment(message);
    assert_int_equal(GetAttribIMsgOnIStg(message, (SPropTagArray *)&tags, &attributes), S_OK);
    assert_int_equal(attributes->aPropAttr[0], PROPATTR_READABLE | PROPATTR_WRITEABLE);
    assert_int_equal(attributes->aPropAttr[1], PROPATTR_NOT_PRESENT);
    MAPIFreeBuffer(attributes);
    assert_int_equal(SetAttribIMsgOnIStg(message, (SPropTagArray *)&subject_only, (SPropAttrArray *)&read_only, NULL),
                     S_OK);
    assert_int_equal(IMessage_SetProps(message, 1, values, &problems), S_OK);
    assert_non_null(problems); /* the subject is read-only now */
    assert_int_equal(problems->aProblem[0].scode, MAPI_E_NO_ACCESS);
    MAPIFreeBuffer(problems);
    assert_int_equal(GetAttribIMsgOnIStg(storage, (SPropTagArray *)&tags, &attributes), MAPI_E_INVALID_PARAMETER);
    IMessage_Release(message);

    /* CloseIMsgSession closes what is still open in it. */
    assert_int_equal(OpenIMsgOnIStg(session, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                                    MAPIGetDefaultMalloc(), NULL, storage, NULL, 0, 0, &message),
                     S_OK);
    CloseIMsgSession(session);
    assert_int_equal(HrGetOneProp((IMAPIProp *)message, PR_SUBJECT_A, &value), MAPI_E_INVALID_OBJECT);
    assert_int_equal(IMessage_Release(message), 0);
    IStorage_Release(storage);
    ILockBytes_Release(bytes);
}

static void test_create_table(void **state)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_DISPLAY_NAME_A, PR_STATUS_CODE } };
    SizedSSortOrderSet(1, by_code) = { 1, 0, 0, { { PR_STATUS_CODE, TABLE_SORT_DESCEND } } };
    SPropValue a[2] = { { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"a" } }, { PR_STATUS_CODE, 0, { .l = 1 } } };
    SPropValue b[2] = { { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"b" } }, { PR_STATUS_CODE, 0, { .l = 2 } } };
    SPropValue c[3] = { { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"c" } },
                        { PR_STATUS_CODE, 0, { .l = 3 } },
                        { PR_ENTRYID, 0, { .bin = { 1, (BYTE *)"x" } } } };
    SPropValue no_key = { PR_STATUS_CODE, 0, { .l = 9 } }, *key = &b[0];
    struct test_sink sink = TEST_SINK_INIT;
    SRow many_rows[9];
    SRowSet *set;
    SPropValue many[9][2];
    ITableData *data;
    IMAPITable *view;
    ULONG_PTR connection;
    SRowSet *rows;
    SRow *row;
    ULONG index, deleted, i;
    LONG given;

    assert_int_equal(CreateTable(&IID_IUnknown, counted_buffer, counted_more, MAPIFreeBuffer, NULL, TBLTYPE_DYNAMIC,
                                 PR_DISPLAY_NAME_A, (SPropTagArray *)&columns, &data),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(CreateTable(NULL, counted_buffer, counted_more, MAPIFreeBuffer, NULL, TBLTYPE_DYNAMIC,
                                 PROP_TAG(PT_MV_STRING8, 0x3001), (SPropTagArray *)&columns, &data),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(CreateTable(&IID_ITableData, counted_buffer, counted_more, MAPIFreeBuffer, NULL, TBLTYPE_DYNAMIC,
                                 PR_DISPLAY_NAME_A, (SPropTagArray *)&columns, &data),
                     S_OK);
    assert_int_equal(ITableData_HrModifyRow(data, row_of(a, 2)), S_OK);
    assert_int_equal(ITableData_HrModifyRow(data, row_of(c, 3)), S_OK);
    assert_int_equal(ITableData_HrInsertRow(data, 1, row_of(b, 2)), S_OK);                     /* a, b, c */
    assert_int_equal(ITableData_HrInsertRow(data, 0, row_of(b, 2)), MAPI_E_INVALID_PARAMETER); /* a duplicate */
    assert_int_equal(ITableData_HrModifyRow(data, row_of(&no_key, 1)), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ITableData_HrEnumRow(data, 1, &row), S_OK);
    assert_string_equal(row->lpProps[0].Value.lpszA, "b");
    MAPIFreeBuffer(row);
    assert_int_equal(ITableData_HrEnumRow(data, 3, &row), S_OK);
    assert_null(row); /* past the end */
    assert_int_equal(ITableData_HrQueryRow(data, &c[0], &row, &index), S_OK);
    assert_int_equal(index, 2);
    assert_int_equal(row->cValues, 3); /* every property of the row, not only the columns */
    MAPIFreeBuffer(row);
    assert_int_equal(ITableData_HrQueryRow(data, &no_key, &row, &index), MAPI_E_INVALID_PARAMETER);

    /* A sorted view; the allocators given serve what it returns (U10). */
    assert_int_equal(ITableData_HrGetView(data, (SSortOrderSet *)&by_code, NULL, 0, &view), S_OK);
    assert_int_equal(IMAPITable_Advise(view, fnevTableModified, &sink.IMAPIAdviseSink_iface, &connection), S_OK);
    given = buffers_given;
    assert_int_equal(IMAPITable_QueryRows(view, 10, 0, &rows), S_OK);
    assert_int_equal(buffers_given, given + 4); /* the set and each of the three rows */
    assert_int_equal(rows->cRows, 3);
    assert_string_equal(rows->aRow[0].lpProps[0].Value.lpszA, "c");
    assert_string_equal(rows->aRow[2].lpProps[0].Value.lpszA, "a");
    FreeProws(rows);

    /* Notifications (U60): per row, more than eight rows as one TABLE_CHANGED, TAD_ALL_ROWS as TABLE_RELOAD. */
    assert_int_equal(ITableData_HrNotify(data, 0, 1, key), S_OK);
    assert_int_equal(ITableData_HrDeleteRow(data, &a[0]), S_OK);
    assert_int_equal(ITableData_HrDeleteRow(data, &a[0]), MAPI_E_NOT_FOUND);
    assert_int_equal(sink.changes, 2);
    assert_int_equal(sink.last_table_event, TABLE_ROW_DELETED);
    for (i = 0; i < 9; i++) {
        static char names[9][4];
        snprintf(names[i], sizeof(names[i]), "n%lu", i);
        many[i][0].ulPropTag = PR_DISPLAY_NAME_A;
        many[i][0].Value.lpszA = names[i];
        many[i][1].ulPropTag = PR_STATUS_CODE;
        many[i][1].Value.l = 10 + i;
        many_rows[i].cValues = 2;
        many_rows[i].lpProps = many[i];
    }
    assert_int_equal(MAPIAllocateBuffer(offsetof(SRowSet, aRow[9]), (void **)&set), S_OK);
    set->cRows = 9;
    memcpy(set->aRow, many_rows, sizeof(many_rows));
    set->aRow[8].cValues = 1;
    set->aRow[8].lpProps = &many[8][1]; /* no index value: all or nothing (U15) */
    assert_int_equal(ITableData_HrModifyRows(data, 0, set), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(sink.changes, 2);
    set->aRow[8] = many_rows[8];
    assert_int_equal(ITableData_HrModifyRows(data, 0, set), S_OK);
    assert_int_equal(sink.changes, 3);
    assert_int_equal(sink.last_table_event, TABLE_CHANGED);
    set->cRows = 2;
    assert_int_equal(ITableData_HrDeleteRows(data, 0, set, &deleted), S_OK);
    assert_int_equal(deleted, 2);
    assert_int_equal(ITableData_HrDeleteRows(data, TAD_ALL_ROWS, NULL, &deleted), S_OK);
    assert_int_equal(deleted, 9);
    assert_int_equal(sink.last_table_event, TABLE_RELOAD);
    MAPIFreeBuffer(set);
    assert_int_equal(IMAPITable_Unadvise(view, connection), S_OK);
    ITableData_Release(data);
    IMAPITable_Release(view); /* the view kept the rows */
}

static LONG released;
static ITableData *released_data;

static void WINAPI on_release(ULONG_PTR caller_data, ITableData *data, IMAPITable *view)
{
    released = (LONG)caller_data;
    released_data = data;
    ITableData_Release(data); /* the usual use: the provider's last reference (U21, U22) */
}

static void test_caller_release(void **state)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_ROWID } };
    ITableData *data;
    IMAPITable *view;

    assert_int_equal(CreateTable(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, TBLTYPE_SNAPSHOT,
                                 PR_ROWID, (SPropTagArray *)&columns, &data),
                     S_OK);
    assert_int_equal(ITableData_HrGetView(data, NULL, on_release, 42, &view), S_OK);
    assert_int_equal(IMAPITable_Release(view), 0);
    assert_int_equal(released, 42);
    assert_ptr_equal(released_data, data);
}

/* U62-U67 */
static void test_property_data(void **state)
{
    SPropValue values[3] = { { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"name" } },
                             { PR_STATUS_CODE, 0, { .l = 7 } },
                             { PR_NULL, 0, { .l = 0 } } };
    SizedSPropTagArray(2, asked) = { 2, { PROP_TAG(PT_UNSPECIFIED, 0x3001), PR_ENTRYID } };
    SizedSPropTagArray(1, code) = { 1, { PR_STATUS_CODE } };
    SizedSPropTagArray(1, object) = { 1, { PROP_TAG(PT_OBJECT, 0x0E12) } };
    SizedSPropTagArray(1, not_object) = { 1, { PR_STATUS_CODE } };
    SPropValue empty_mv = { PROP_TAG(PT_MV_LONG, 0x6601), 0, { .MVl = { 0, NULL } } };
    SPropValue changed = { PR_STATUS_CODE, 0, { .l = 8 } };
    ULONG read_only[1] = { IPROP_READONLY | IPROP_CLEAN }, bad[1] = { IPROP_READONLY | IPROP_READWRITE };
    ULONG rw_alone[1] = { IPROP_READWRITE }, ro_dirty[1] = { IPROP_READONLY | IPROP_DIRTY };
    SPropProblemArray *problems;
    SPropTagArray *tags = NULL;
    IPropData *data, *copy;
    SPropValue *got;
    ULONG count, *access;
    LONG given = buffers_given;

    assert_int_equal(CreateIProp(&IID_IMAPITable, counted_buffer, counted_more, MAPIFreeBuffer, NULL, &data),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(CreateIProp(&IID_IPropData, counted_buffer, counted_more, MAPIFreeBuffer, NULL, &data), S_OK);
    assert_int_equal(IPropData_GetProps(data, NULL, 0, &count, &got), S_OK);
    assert_int_equal(count, 0);
    /* A PT_NULL value fails the whole call and nothing is stored; without it the rest goes in. */
    assert_int_equal(IPropData_SetProps(data, 3, values, &problems), MAPI_E_INVALID_PARAMETER);
    assert_null(problems);
    assert_int_equal(IPropData_GetProps(data, NULL, 0, &count, &got), S_OK);
    assert_int_equal(count, 0);
    MAPIFreeBuffer(got);
    assert_int_equal(IPropData_SetProps(data, 2, values, &problems), S_OK);
    assert_null(problems);
    assert_int_equal(IPropData_SetProps(data, 1, &empty_mv, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_GetProps(data, (SPropTagArray *)&asked, MAPI_UNICODE, &count, &got),
                     MAPI_W_ERRORS_RETURNED);
    assert_int_equal(got[0].ulPropTag, PR_DISPLAY_NAME_W); /* PT_UNSPECIFIED in the width asked for (U67) */
    assert_true(!lstrcmpW(got[0].Value.lpszW, L"name"));
    assert_int_equal(got[1].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_ENTRYID)));
    MAPIFreeBuffer(got);
    assert_true(buffers_given > given); /* from the allocators given */

    /* Access control (U63-U66). */
    assert_int_equal(IPropData_HrSetPropAccess(data, (SPropTagArray *)&code, bad), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_HrSetPropAccess(data, (SPropTagArray *)&code, read_only), S_OK);
    assert_int_equal(IPropData_SetProps(data, 1, &changed, &problems), S_OK);
    assert_non_null(problems);
    assert_int_equal(problems->aProblem[0].scode, MAPI_E_NO_ACCESS);
    MAPIFreeBuffer(problems);
    assert_int_equal(IPropData_HrGetPropAccess(data, &tags, &access), S_OK);
    assert_int_equal(tags->cValues, 2);
    assert_int_equal(access[0], IPROP_READWRITE | IPROP_DIRTY);
    assert_int_equal(access[1], IPROP_READONLY | IPROP_CLEAN);
    MAPIFreeBuffer(tags);
    MAPIFreeBuffer(access);
    assert_int_equal(IPropData_HrAddObjProps(data, (SPropTagArray *)&not_object, NULL), MAPI_E_INVALID_TYPE);
    assert_int_equal(IPropData_HrAddObjProps(data, (SPropTagArray *)&object, NULL), S_OK);
    assert_int_equal(IPropData_GetPropList(data, 0, &tags), S_OK);
    assert_int_equal(tags->cValues, 3); /* PT_OBJECT properties are listed */
    MAPIFreeBuffer(tags);

    /* CopyTo another IMAPIProp (U67), then a read-only object refuses changes. */
    assert_int_equal(CreateIProp(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, &copy), S_OK);
    assert_int_equal(IPropData_CopyTo(data, 0, NULL, NULL, 0, NULL, &IID_IMAPIProp, copy, 0, NULL), S_OK);
    assert_int_equal(HrGetOneProp((IMAPIProp *)copy, PR_STATUS_CODE, &got), S_OK);
    assert_int_equal(got->Value.l, 7);
    MAPIFreeBuffer(got);
    assert_int_equal(IPropData_HrSetObjAccess(copy, IPROP_READONLY), S_OK);
    assert_int_equal(HrSetOneProp((IMAPIProp *)copy, &changed), MAPI_E_NO_ACCESS);
    /* Its owner still marks its properties: one access level and one status, whatever the object's access. */
    assert_int_equal(IPropData_HrSetPropAccess(copy, (SPropTagArray *)&code, rw_alone), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IPropData_HrSetPropAccess(copy, (SPropTagArray *)&code, ro_dirty), S_OK);
    assert_int_equal(IPropData_DeleteProps(copy, (SPropTagArray *)&code, NULL), MAPI_E_NO_ACCESS);
    assert_int_equal(IPropData_HrSetObjAccess(copy, 5), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(HrGetOneProp((IMAPIProp *)copy, PR_ENTRYID, &got), MAPI_E_NOT_FOUND);
    assert_null(got);
    assert_true(FPropExists((IMAPIProp *)copy, PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_STATUS_CODE))));
    assert_false(FPropExists((IMAPIProp *)copy, PR_ENTRYID));
    IPropData_Release(copy);
    IPropData_Release(data);
}

/* U68-U71 */
static void test_property_utilities(void **state)
{
    static BYTE bytes[] = { 1, 2, 3 };
    static LPSTR strings[] = { (LPSTR) "x", (LPSTR) "yz" };
    SPropValue values[4] = { { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"Name" } },
                             { PR_ENTRYID, 0, { .bin = { 3, bytes } } },
                             { PROP_TAG(PT_MV_STRING8, 0x6600), 0, { .MVszA = { 2, strings } } },
                             { PR_STATUS_CODE, 0, { .l = 5 } } };
    SPropValue bad = { PROP_TAG(PT_LONG, PROP_ID_NULL), 0, { .l = 0 } };
    SPropValue upper = { PR_DISPLAY_NAME_W, 0, { .lpszW = (WCHAR *)L"NA" } }, one = { PR_STATUS_CODE, 0, { .l = 1 } };
    SPropValue *copy, *moved, single;
    ULONG size, size2;
    BYTE *block, *elsewhere;

    assert_ptr_equal(PpropFindProp(values, 4, PR_ENTRYID), &values[1]);
    assert_ptr_equal(PpropFindProp(values, 4, PROP_TAG(PT_UNSPECIFIED, 0x3001)), &values[0]);
    assert_null(PpropFindProp(values, 4, PR_DISPLAY_NAME_W)); /* the whole tag, unless PT_UNSPECIFIED */
    assert_ptr_equal(LpValFindProp(PR_STATUS_CODE, 4, values), &values[3]);
    assert_int_equal(UlPropSize(&values[0]), 5);
    assert_int_equal(UlPropSize(&values[2]), 5); /* "x" and "yz" with their terminators */
    assert_true(LPropCompareProp(&one, &values[3]) < 0);
    assert_true(FPropCompareProp(&values[3], RELOP_GT, &one));
    assert_false(FPropCompareProp(&values[3], RELOP_GT, &values[0])); /* different types */
    assert_true(FPropContainsProp(&values[0], &upper, FL_PREFIX | FL_IGNORECASE));
    assert_false(FPropContainsProp(&values[0], &upper, FL_PREFIX));

    /* The copy family (U70): count, copy into one block, make it position-independent, move it, relocate it. */
    assert_int_equal(ScCountProps(1, &bad, &size), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ScCountProps(4, values, &size), S_OK);
    assert_int_equal(MAPIAllocateBuffer(size, (void **)&block), S_OK);
    assert_int_equal(ScCopyProps(4, values, block, &size2), S_OK);
    assert_int_equal(size2, size);
    copy = (SPropValue *)block;
    assert_string_equal(copy[0].Value.lpszA, "Name");
    assert_true(copy[0].Value.lpszA > (char *)block && copy[0].Value.lpszA < (char *)block + size);
    assert_int_equal(ScRelocProps(4, copy, block, NULL, NULL), S_OK);
    assert_int_equal(MAPIAllocateBuffer(size, (void **)&elsewhere), S_OK);
    memcpy(elsewhere, block, size);
    moved = (SPropValue *)elsewhere;
    assert_int_equal(ScRelocProps(4, moved, NULL, elsewhere, NULL), S_OK);
    assert_string_equal(moved[0].Value.lpszA, "Name");
    assert_memory_equal(moved[1].Value.bin.lpb, bytes, 3);
    assert_string_equal(moved[2].Value.MVszA.lppszA[1], "yz");
    MAPIFreeBuffer(block);
    MAPIFreeBuffer(elsewhere);
    assert_int_equal(ScDupPropset(4, values, MAPIAllocateBuffer, &copy), S_OK);
    assert_string_equal(copy[2].Value.MVszA.lppszA[0], "x");
    assert_int_equal(PropCopyMore(&single, &values[1], MAPIAllocateMore, copy), S_OK);
    assert_memory_equal(single.Value.bin.lpb, bytes, 3);
    assert_ptr_not_equal(single.Value.bin.lpb, bytes);
    MAPIFreeBuffer(copy); /* the copy went with its parent */
    single.ulPropTag = PROP_TAG(0x0FFF, 0x6601);
    assert_int_equal(PropCopyMore(&single, &single, MAPIAllocateMore, NULL), MAPI_E_NO_SUPPORT);
    FreeProws(NULL);
    FreePadrlist(NULL);
}

/* U73, U74 */
static void test_query_all_rows(void **state)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ROWID, PR_STATUS_CODE } };
    SizedSPropTagArray(1, added) = { 1, { PR_DISPLAY_NAME_A } };
    SizedSSortOrderSet(1, down) = { 1, 0, 0, { { PR_STATUS_CODE, TABLE_SORT_DESCEND } } };
    SPropValue row[2], threshold = { PR_STATUS_CODE, 0, { .l = 1 } };
    SRestriction above = { RES_PROPERTY, { .resProperty = { RELOP_GT, PR_STATUS_CODE, &threshold } } };
    SPropTagArray *now;
    ITableData *data;
    IMAPITable *view;
    SRowSet *rows;
    ULONG i;

    assert_int_equal(CreateTable(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, TBLTYPE_DYNAMIC,
                                 PR_ROWID, (SPropTagArray *)&columns, &data),
                     S_OK);
    for (i = 0; i < 5; i++) {
        row[0].ulPropTag = PR_ROWID;
        row[0].Value.l = i;
        row[1].ulPropTag = PR_STATUS_CODE;
        row[1].Value.l = i;
        assert_int_equal(ITableData_HrModifyRow(data, row_of(row, 2)), S_OK);
    }
    assert_int_equal(ITableData_HrGetView(data, NULL, NULL, 0, &view), S_OK);
    assert_int_equal(HrQueryAllRows(view, (SPropTagArray *)&columns, &above, (SSortOrderSet *)&down, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 3);
    assert_int_equal(rows->aRow[0].lpProps[1].Value.l, 4);
    FreeProws(rows);
    assert_int_equal(HrQueryAllRows(view, NULL, NULL, NULL, 2, &rows), MAPI_E_TABLE_TOO_BIG);
    assert_null(rows);
    assert_int_equal(HrAddColumns(view, (SPropTagArray *)&added, MAPIAllocateBuffer, MAPIFreeBuffer), S_OK);
    assert_int_equal(IMAPITable_QueryColumns(view, 0, &now), S_OK);
    assert_int_equal(now->cValues, 3);
    assert_int_equal(now->aulPropTag[0], PR_DISPLAY_NAME_A); /* the new ones first */
    assert_int_equal(now->aulPropTag[2], PR_STATUS_CODE);
    MAPIFreeBuffer(now);
    IMAPITable_Release(view);
    ITableData_Release(data);
}

/* U82-U85, U93, U9 */
static void test_small_helpers(void **state)
{
    BYTE bytes[] = { 0x0a, 0xff, 0x00 }, back[3];
    FILETIME one = { 1, 0 }, max = { 0xffffffff, 0xffffffff }, sum;
    SPropValue bad = { PROP_TAG(0x0FFF, 0x6600), 0, { .l = 0 } };
    LPWSTR strings[] = { (LPWSTR)L"a", NULL };
    SizedSSortOrderSet(1, combine_first) = { 1, 0, 0, { { PR_ROWID, TABLE_SORT_COMBINE } } };
    char text[16];
    WORD carry = 0;

    HexFromBin(bytes, 3, text);
    assert_string_equal(text, "0AFF00");
    assert_true(FBinFromHex(text, back));
    assert_memory_equal(back, bytes, 3);
    assert_false(FBinFromHex((LPSTR) "0G", back));
    assert_false(FBinFromHex((LPSTR) "ABC", back)); /* an odd count */
    assert_int_equal(ScBinFromHexBounded(text, back, 2), MAPI_E_CALL_FAILED);
    assert_int_equal(UlFromSzHex("1fz"), 0x1f);
    assert_int_equal(UFromSz("42abc"), 42);
    assert_int_equal(UFromSz("x"), 0);
    assert_string_equal(SzFindCh("a.b.c", '.'), ".b.c");
    assert_string_equal(SzFindLastCh("a.b.c", '.'), ".c");
    assert_string_equal(SzFindSz("mapihost", "host"), "host");
    assert_null(SzFindSz("map", "mapihost"));
    assert_null(SzFindCh(NULL, 'a'));
    sum = FtAddFt(max, one);
    assert_int_equal(sum.dwLowDateTime | sum.dwHighDateTime, 0); /* wraps modulo 2^64 */
    sum = FtAdcFt(max, one, &carry);
    assert_int_equal(carry, 1);
    sum = FtSubFt(one, one);
    assert_int_equal(sum.dwLowDateTime, 0);
    sum = FtMulDwDw(0x10000, 0x10000);
    assert_int_equal(sum.dwHighDateTime, 1);
    sum = FtMulDw(3, one);
    assert_int_equal(sum.dwLowDateTime, 3);
    sum = FtNegFt(one);
    assert_int_equal(sum.dwLowDateTime, 0xffffffff);
    assert_int_equal(MNLS_lstrlenW(L"four"), 4);
    assert_int_equal(UlRelease(NULL), 0);
    assert_int_equal(MapStorageSCode(STG_E_FILENOTFOUND), MAPI_E_NOT_FOUND);
    assert_int_equal(MapStorageSCode(0x80030123), MAPI_E_CALL_FAILED);
    assert_true(FBadProp(&bad));
    assert_true(FBadRglpszW(strings, 2));
    assert_false(FBadRglpszW(strings, 1));
    assert_true(FBadRowSet(NULL));
    assert_true(FBadSortOrderSet((SSortOrderSet *)&combine_first));
    assert_true(FBadRestriction(NULL));
    assert_int_equal(__ValidateParameters(IUnknown_QueryInterface, NULL), MAPI_E_CALL_FAILED);
}

static LONG callbacks;

static LONG WINAPI count_callback(LPVOID context, ULONG count, LPNOTIFICATION notifications)
{
    callbacks += count;
    *(LONG *)context = notifications[0].info.tab.ulTableEvent;
    return 0;
}

static DWORD WINAPI notify_from_thread(void *sink)
{
    NOTIFICATION notification = { .ulEventType = fnevExtended };

    IMAPIAdviseSink_OnNotify((IMAPIAdviseSink *)sink, 1, &notification);
    return 0;
}

/* U76-U79 */
static void test_notification_utilities(void **state)
{
    static BYTE entry_id[] = { 0, 0, 0, 0, 1, 2 };
    SPropValue row[2] = { { PR_ROWID, 0, { .l = 7 } }, { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"seven" } } };
    NOTIFICATION notifications[2] = { { .ulEventType = fnevTableModified }, { .ulEventType = fnevNewMail } };
    struct test_sink inner = TEST_SINK_INIT;
    IMAPIAdviseSink *sink, *wrapper;
    NOTIFICATION *copy, *moved;
    ULONG size, copied;
    LONG event = 0;
    HANDLE thread;
    BYTE *elsewhere;

    notifications[0].info.tab.ulTableEvent = TABLE_ROW_ADDED;
    notifications[0].info.tab.propIndex = row[0];
    notifications[0].info.tab.propPrior.ulPropTag = PR_NULL;
    notifications[0].info.tab.row.cValues = 2;
    notifications[0].info.tab.row.lpProps = row;
    notifications[1].info.newmail.cbEntryID = sizeof(entry_id);
    notifications[1].info.newmail.lpEntryID = (ENTRYID *)entry_id;
    notifications[1].info.newmail.lpszMessageClass = (LPSTR) "IPM.Note";

    assert_int_equal(ScCountNotifications(2, notifications, &size), S_OK);
    assert_int_equal(MAPIAllocateBuffer(size, (void **)&copy), S_OK);
    assert_int_equal(ScCopyNotifications(2, notifications, copy, &copied), S_OK);
    assert_int_equal(copied, size);
    assert_string_equal(copy[0].info.tab.row.lpProps[1].Value.lpszA, "seven");
    assert_string_equal(copy[1].info.newmail.lpszMessageClass, "IPM.Note");
    assert_int_equal(ScRelocNotifications(2, copy, copy, NULL, NULL), S_OK);
    assert_int_equal(MAPIAllocateBuffer(size, (void **)&elsewhere), S_OK);
    memcpy(elsewhere, copy, size);
    moved = (NOTIFICATION *)elsewhere;
    assert_int_equal(ScRelocNotifications(2, moved, NULL, elsewhere, NULL), S_OK);
    assert_string_equal(moved[0].info.tab.row.lpProps[1].Value.lpszA, "seven");
    assert_memory_equal(moved[1].info.newmail.lpEntryID, entry_id, sizeof(entry_id));
    MAPIFreeBuffer(copy);
    MAPIFreeBuffer(elsewhere);
    notifications[0].ulEventType = 0x4242;
    assert_int_equal(ScCountNotifications(1, notifications, &size), MAPI_E_INVALID_PARAMETER);
    notifications[0].ulEventType = fnevTableModified;

    assert_int_equal(HrAllocAdviseSink(count_callback, &event, &sink), S_OK);
    IMAPIAdviseSink_OnNotify(sink, 1, notifications);
    assert_int_equal(callbacks, 1);
    assert_int_equal(event, TABLE_ROW_ADDED);
    assert_int_equal(UlRelease(sink), 0);

    /* A notification from another thread waits for this one (U77, U78). */
    assert_int_equal(HrThisThreadAdviseSink(&inner.IMAPIAdviseSink_iface, &wrapper), S_OK);
    assert_int_equal(inner.refcount, 2);
    thread = CreateThread(NULL, 0, notify_from_thread, wrapper, 0, NULL);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    assert_int_equal(inner.changes, 0);
    assert_int_equal(HrDispatchNotifications(0), S_OK);
    assert_int_equal(inner.changes, 1);
    assert_int_equal(inner.last_type, fnevExtended);
    assert_int_equal(IMAPIAdviseSink_Release(wrapper), 0);
    assert_int_equal(inner.refcount, 1);
}

/* U94: paths already in the asked-for form are copied (S_FALSE); the build machine has no network drive. */
static void test_unc_paths(void)
{
    char path[MAX_PATH];

    assert_int_equal(ScLocalPathFromUNC((LPSTR) "C:\\dir\\file", path, sizeof(path)), S_FALSE);
    assert_string_equal(path, "C:\\dir\\file");
    assert_int_equal(ScUNCFromLocalPath((LPSTR) "\\\\server\\share\\file", path, sizeof(path)), S_FALSE);
    assert_string_equal(path, "\\\\server\\share\\file");
    assert_int_equal(ScLocalPathFromUNC((LPSTR) "\\\\nosuchserver\\share", path, sizeof(path)), MAPI_E_NOT_FOUND);
    assert_int_equal(ScUNCFromLocalPath((LPSTR) "C:\\dir", path, sizeof(path)), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ScLocalPathFromUNC((LPSTR) "C:\\dir\\file", path, 5), MAPI_E_TOO_BIG);
    assert_int_equal(ScUNCFromLocalPath(NULL, path, sizeof(path)), MAPI_E_INVALID_PARAMETER);
}

/* U92: a compound file made on a stream from its current position, then opened again read-only. */
static void test_storage_on_stream(void)
{
    static const char prefix[] = "prefix";
    LARGE_INTEGER start = { .QuadPart = sizeof(prefix) };
    IStream *stream, *inner;
    IStorage *storage;
    char text[8] = "";
    ULONG done;

    assert_int_equal(CreateStreamOnHGlobal(NULL, TRUE, &stream), S_OK);
    assert_int_equal(IStream_Write(stream, prefix, sizeof(prefix), NULL), S_OK);
    assert_int_equal(
        HrIStorageFromStream((IUnknown *)stream, NULL, STGSTRM_CREATE | STGSTRM_MODIFY | STGSTRM_CURRENT, &storage),
        S_OK);
    assert_int_equal(
        IStorage_CreateStream(storage, L"part", STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, 0, &inner),
        S_OK);
    assert_int_equal(IStream_Write(inner, "hello", 6, NULL), S_OK);
    IStream_Release(inner);
    assert_int_equal(IStorage_Commit(storage, STGC_DEFAULT), S_OK);
    IStorage_Release(storage);

    assert_int_equal(IStream_Seek(stream, start, STREAM_SEEK_SET, NULL), S_OK);
    assert_int_equal(HrIStorageFromStream((IUnknown *)stream, &IID_IStream, STGSTRM_CURRENT, &storage), S_OK);
    assert_int_equal(IStorage_OpenStream(storage, L"part", NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, 0, &inner), S_OK);
    assert_int_equal(IStream_Read(inner, text, sizeof(text), &done), S_OK);
    assert_int_equal(done, 6);
    assert_string_equal(text, "hello");
    IStream_Release(inner);
    assert_true(FAILED(IStorage_CreateStream(storage, L"more", STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0,
                                             0, &inner))); /* opened without STGSTRM_MODIFY */
    IStorage_Release(storage);
    /* From position 0 the prefix is in the way: no compound file there. */
    assert_true(FAILED(HrIStorageFromStream((IUnknown *)stream, NULL, STGSTRM_RESET, &storage)));
    IStream_Release(stream);
}

/* U86, U87, U89, U90 and FEqualNames */
static void test_entry_ids_and_streams(void **state)
{
    static BYTE message[] = { 0, 0, 0, 0, 9, 8, 7 }, key[] = { 1, 2, 3, 4 };
    static GUID guid = { 1, 2, 3, { 4 } };
    MAPINAMEID a = { &guid, MNID_ID, { .lID = 5 } }, b = a, c = { &guid, MNID_STRING, { .lpwstrName = (LPWSTR)L"x" } };
    ULONG size, key_size, message_size;
    ENTRYID *entry_id, *store, *msg;
    BYTE *index, *reply;
    ULONG index_size, reply_size;
    char *text, path[MAX_PATH];
    IStream *stream;
    ULONG done;

    assert_int_equal(HrSzFromEntryID(sizeof(key), (ENTRYID *)key, &text), S_OK);
    assert_string_equal(text, "01020304");
    assert_int_equal(HrEntryIDFromSz(text, &size, &entry_id), S_OK);
    assert_int_equal(size, 4);
    assert_memory_equal(entry_id, key, 4);
    MAPIFreeBuffer(entry_id);
    MAPIFreeBuffer(text);
    assert_int_equal(HrEntryIDFromSz((LPSTR) "0G", &size, &entry_id), MAPI_E_INVALID_ENTRYID);
    assert_int_equal(HrComposeMsgID(NULL, sizeof(key), key, sizeof(message), (ENTRYID *)message, &text), S_OK);
    assert_int_equal(HrDecomposeMsgID(NULL, text, &key_size, &store, &message_size, &msg), S_OK);
    assert_memory_equal(store, key, sizeof(key));
    assert_memory_equal(msg, message, sizeof(message));
    MAPIFreeBuffer(text);
    MAPIFreeBuffer(store);
    MAPIFreeBuffer(msg);
    test_storage_on_stream();
    test_unc_paths();
    assert_false(IsBadBoundedStringPtr("abc", 4));
    assert_true(IsBadBoundedStringPtr("abcd", 4)); /* no NUL within the bound */
    assert_true(IsBadBoundedStringPtr(NULL, 4));

    assert_int_equal(HrComposeEID(NULL, sizeof(key), key, sizeof(message), (ENTRYID *)message, &size, &entry_id), S_OK);
    assert_int_equal(HrDecomposeEID(NULL, size, entry_id, &key_size, &store, &message_size, &msg), S_OK);
    assert_int_equal(key_size, sizeof(key));
    assert_memory_equal(store, key, sizeof(key));
    assert_int_equal(message_size, sizeof(message));
    assert_memory_equal(msg, message, sizeof(message));
    MAPIFreeBuffer(entry_id);
    MAPIFreeBuffer(store);
    MAPIFreeBuffer(msg);
    assert_int_equal(HrDecomposeEID(NULL, sizeof(message), (ENTRYID *)message, &key_size, &store, &message_size, &msg),
                     S_OK);
    assert_null(store); /* not compound: the message's ID alone */
    MAPIFreeBuffer(msg);
    assert_int_equal(WrapStoreEntryID(0, (LPSTR) "samplems.dll", sizeof(message), (ENTRYID *)message, &size, &entry_id),
                     S_OK);
    assert_true(size > sizeof(message) + 12);
    assert_memory_equal((BYTE *)entry_id + size - sizeof(message), message, sizeof(message));
    MAPIFreeBuffer(entry_id);

    assert_int_equal(ScCreateConversationIndex(0, NULL, &index_size, &index), S_OK);
    assert_int_equal(index_size, 22);
    assert_int_equal(index[0], 1);
    assert_int_equal(ScCreateConversationIndex(index_size, index, &reply_size, &reply), S_OK);
    assert_int_equal(reply_size, 27);
    assert_memory_equal(reply, index, 22);
    MAPIFreeBuffer(index);
    MAPIFreeBuffer(reply);
    assert_true(FEqualNames(&a, &b));
    assert_false(FEqualNames(&a, &c));

    /* A temporary file that goes with its stream. */
    assert_int_equal(OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer,
                                      SOF_UNIQUEFILENAME | STGM_READWRITE | STGM_CREATE | STGM_DELETEONRELEASE, NULL,
                                      (LPSTR) "tst", &stream),
                     S_OK);
    assert_int_equal(IStream_Write(stream, "data", 4, &done), S_OK);
    assert_int_equal(done, 4);
    {
        STATSTG stat;
        assert_int_equal(IStream_Stat(stream, &stat, STATFLAG_DEFAULT), S_OK);
        WideCharToMultiByte(CP_ACP, 0, stat.pwcsName, -1, path, sizeof(path), NULL, NULL);
        CoTaskMemFree(stat.pwcsName);
    }
    assert_non_null(strstr(path, "tst"));
    IStream_Release(stream);
    assert_true(GetFileAttributesA(path) == INVALID_FILE_ATTRIBUTES);
    assert_int_equal(
        OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer, STGM_READ, (LPSTR) "C:\\no\\such.file", NULL, &stream),
        MAPI_E_NOT_FOUND);
    assert_int_equal(OpenStreamOnFile(MAPIAllocateBuffer, MAPIFreeBuffer, STGM_CREATE, (LPSTR) "x.tmp", NULL, &stream),
                     MAPI_E_INVALID_PARAMETER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        mapi_test(test_export_names),          mapi_test(test_create_table),
        mapi_test(test_caller_release),        mapi_test(test_property_data),
        mapi_test(test_property_utilities),    mapi_test(test_query_all_rows),
        mapi_test(test_small_helpers),         mapi_test(test_notification_utilities),
        mapi_test(test_entry_ids_and_streams), mapi_test(test_message_on_storage),
        mapi_test(test_compressed_rtf),        mapi_test(test_display_table),
        mapi_test(test_missing_utilities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
