/*
 * What IMessage::CopyTo copies besides properties: a message's recipients and its attachments, the subobjects a
 * message names by PR_MESSAGE_RECIPIENTS and PR_MESSAGE_ATTACHMENTS, each left alone when the exclusion list names it
 * (imapiprop-copyto.md). Without MAPI_NOREPLACE the destination's recipients are replaced; with it they are added to.
 * Attachments are always added: each is made in the destination with CreateAttach, given the source attachment's
 * properties (but its number) and saved. An attachment's object property (an embedded message, PT_OBJECT) is not
 * copied, as no property of type PT_OBJECT is (copyto.c); MAPI_MOVE leaves the source's subobjects in place.
 */
#include "mapihost_private.h"
#include "mapihost_util.h"
#include "copymsg.h"
#include "copyto.h"

/* Every row of the table, every column; the caller frees them. */
static HRESULT all_rows(IMAPITable *table, SRowSet **rows)
{
    SPropTagArray *columns;
    HRESULT hr;

    if (FAILED(hr = IMAPITable_QueryColumns(table, TBL_ALL_COLUMNS, &columns))) return hr;
    hr = HrQueryAllRows(table, columns, NULL, NULL, 0, rows);
    MAPIFreeBuffer(columns);
    return hr;
}

static HRESULT copy_recipients(IMessage *source, IMessage *dest, ULONG flags)
{
    IMAPITable *table;
    SRowSet *rows;
    ULONG i, j, n;
    HRESULT hr;

    if (FAILED(hr = IMessage_GetRecipientTable(source, flags & MAPI_UNICODE, &table))) return hr;
    hr = all_rows(table, &rows);
    IMAPITable_Release(table);
    if (FAILED(hr)) return hr;
    /* The row IDs are the destination's to give; errors are not values. An SRowSet is an ADRLIST in layout. */
    for (i = 0; i < rows->cRows; i++) {
        SRow *row = &rows->aRow[i];

        for (j = n = 0; j < row->cValues; j++)
            if (PROP_ID(row->lpProps[j].ulPropTag) != PROP_ID(PR_ROWID)
                && PROP_TYPE(row->lpProps[j].ulPropTag) != PT_ERROR)
                row->lpProps[n++] = row->lpProps[j];
        row->cValues = n;
    }
    if (rows->cRows || !(flags & MAPI_NOREPLACE))
        hr = IMessage_ModifyRecipients(dest, flags & MAPI_NOREPLACE ? MODRECIP_ADD : 0, (ADRLIST *)rows);
    FreeProws(rows);
    return hr;
}

static HRESULT copy_attachment(IMessage *source, ULONG number, IMessage *dest, ULONG flags)
{
    SizedSPropTagArray(1, not_copied) = { 1, { PR_ATTACH_NUM } };
    IAttach *from, *to;
    ULONG new_number;
    HRESULT hr;

    if (FAILED(hr = IMessage_OpenAttach(source, number, NULL, 0, &from))) return hr;
    if (SUCCEEDED(hr = IMessage_CreateAttach(dest, NULL, 0, &new_number, &to))) {
        if (SUCCEEDED(hr = IAttach_CopyTo(from, 0, NULL, (SPropTagArray *)&not_copied, 0, NULL, &IID_IAttach, to,
                                          flags & ~(MAPI_MOVE | MAPI_NOREPLACE), NULL)))
            hr = IAttach_SaveChanges(to, 0);
        IAttach_Release(to);
    }
    IAttach_Release(from);
    return hr;
}

static HRESULT copy_attachments(IMessage *source, IMessage *dest, ULONG flags)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_ATTACH_NUM } };
    IMAPITable *table;
    SRowSet *rows;
    ULONG i;
    HRESULT hr;

    if (FAILED(hr = IMessage_GetAttachmentTable(source, 0, &table))) return hr;
    hr = HrQueryAllRows(table, (SPropTagArray *)&columns, NULL, NULL, 0, &rows);
    IMAPITable_Release(table);
    if (FAILED(hr)) return hr;
    for (i = 0; SUCCEEDED(hr) && i < rows->cRows; i++)
        if (rows->aRow[i].lpProps[0].ulPropTag == PR_ATTACH_NUM)
            hr = copy_attachment(source, rows->aRow[i].lpProps[0].Value.l, dest, flags);
    FreeProws(rows);
    return hr;
}

HRESULT copymsg_parts(IMessage *source, const SPropTagArray *exclude, IMessage *dest, ULONG flags)
{
    HRESULT hr = S_OK;

    if (!copyto_excludes(exclude, PR_MESSAGE_RECIPIENTS)) hr = copy_recipients(source, dest, flags);
    if (SUCCEEDED(hr) && !copyto_excludes(exclude, PR_MESSAGE_ATTACHMENTS)) hr = copy_attachments(source, dest, flags);
    return hr;
}
