/*
 * A message a transport saved in StartMessage, delivered (Q23, Q24, X41): it goes to the receive folder of its own
 * message class when that is not the folder it was made in (the spooler makes it before the transport says what it
 * is), a second delivery of a message already there is dropped, and what stays is announced with NotifyNewMail.
 *
 * Duplicates come from the at-least-once promise: a transport that had sent a message but died before the spooler
 * finished it sends it again, and one that died between the store's save and the deletion of its own copy hands it
 * over again. A message is the same message when it has the same PR_INTERNET_MESSAGE_ID, or, without one, the same
 * PR_SEARCH_KEY (which a transport carries with the message) in the folder it is delivered to; the earlier one
 * stays. The folder's contents table is asked with an equality restriction; a store whose tables cannot answer it
 * delivers duplicates, as it would without the check.
 */
#include "mapihost_private.h"
#include "mapihost_util.h"
#include "mail.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(delivery);

enum { ENTRY_ID, PARENT_ID, MESSAGE_CLASS, MESSAGE_ID, SEARCH_KEY, FACT_COUNT };

/* The rows of folder whose key equals the message's: PR_ENTRYID of each. */
static HRESULT same_key(IMAPIFolder *folder, SPropValue *key, SRowSet **rows)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
    SRestriction equal = { .rt = RES_PROPERTY };
    IMAPITable *table;
    HRESULT hr;

    *rows = NULL;
    equal.res.resProperty.relop = RELOP_EQ;
    equal.res.resProperty.ulPropTag = key->ulPropTag;
    equal.res.resProperty.lpProp = key;
    if (FAILED(hr = IMAPIFolder_GetContentsTable(folder, 0, &table))) return hr;
    hr = HrQueryAllRows(table, (SPropTagArray *)&columns, &equal, NULL, 0, rows);
    IMAPITable_Release(table);
    return hr;
}

static IMAPIFolder *open_folder(IMsgStore *store, const SBinary *id)
{
    IMAPIFolder *folder;
    ULONG type;

    if (FAILED(IMsgStore_OpenEntry(store, id->cb, (ENTRYID *)id->lpb, &IID_IMAPIFolder, MAPI_MODIFY, &type,
                                   (IUnknown **)&folder)))
        return NULL;
    return folder;
}

/* The receive folder of the message's class, if it is not the one it is in (Q24); NULL otherwise. */
static IMAPIFolder *class_folder(IMsgStore *store, const SPropValue *facts)
{
    ENTRYID *id = NULL;
    ULONG size = 0, same = TRUE;
    SBinary bin;
    IMAPIFolder *folder = NULL;

    if (facts[MESSAGE_CLASS].ulPropTag != PR_MESSAGE_CLASS_A
        || FAILED(IMsgStore_GetReceiveFolder(store, (LPTSTR)facts[MESSAGE_CLASS].Value.lpszA, 0, &size, &id, NULL)))
        return NULL;
    if (SUCCEEDED(IMsgStore_CompareEntryIDs(store, size, id, facts[PARENT_ID].Value.bin.cb,
                                            (ENTRYID *)facts[PARENT_ID].Value.bin.lpb, 0, &same))
        && !same) {
        bin.cb = size;
        bin.lpb = (BYTE *)id;
        folder = open_folder(store, &bin);
    }
    MAPIFreeBuffer(id);
    return folder;
}

static void drop(IMAPIFolder *folder, SBinary *id)
{
    ENTRYLIST list = { 1, id };

    IMAPIFolder_DeleteMessages(folder, &list, 0, NULL, 0);
}

HRESULT delivery_finish(struct mail *mail, IMessage *message)
{
    SizedSPropTagArray(FACT_COUNT, tags) = {
        FACT_COUNT, { PR_ENTRYID, PR_PARENT_ENTRYID, PR_MESSAGE_CLASS_A, PR_INTERNET_MESSAGE_ID_A, PR_SEARCH_KEY }
    };
    IMAPIFolder *folder, *target;
    IMessage *moved = NULL;
    SPropValue *facts, *key;
    SRowSet *rows = NULL;
    ULONG count, type;
    HRESULT hr;

    if (FAILED(hr = IMessage_GetProps(message, (SPropTagArray *)&tags, 0, &count, &facts))) return hr;
    if (facts[ENTRY_ID].ulPropTag != PR_ENTRYID || facts[PARENT_ID].ulPropTag != PR_PARENT_ENTRYID
        || !(folder = open_folder(mail->store, &facts[PARENT_ID].Value.bin))) {
        MAPIFreeBuffer(facts);
        return MAPI_E_NOT_FOUND; /* never saved: no message */
    }
    key = facts[MESSAGE_ID].ulPropTag == PR_INTERNET_MESSAGE_ID_A ? &facts[MESSAGE_ID]
          : facts[SEARCH_KEY].ulPropTag == PR_SEARCH_KEY          ? &facts[SEARCH_KEY]
                                                                  : NULL;
    /* Its class's own receive folder: moved there, and found there again by its key. */
    if (key && (target = class_folder(mail->store, facts))) {
        ENTRYLIST list = { 1, &facts[ENTRY_ID].Value.bin };

        if (SUCCEEDED(IMAPIFolder_CopyMessages(folder, &list, NULL, target, 0, NULL, MESSAGE_MOVE))) {
            IMAPIFolder_Release(folder);
            folder = target;
            if (SUCCEEDED(same_key(folder, key, &rows)) && rows->cRows
                && rows->aRow[rows->cRows - 1].lpProps[0].ulPropTag == PR_ENTRYID
                && SUCCEEDED(IMsgStore_OpenEntry(mail->store, rows->aRow[rows->cRows - 1].lpProps[0].Value.bin.cb,
                                                 (ENTRYID *)rows->aRow[rows->cRows - 1].lpProps[0].Value.bin.lpb,
                                                 &IID_IMessage, 0, &type, (IUnknown **)&moved)))
                message = moved;
            else
                key = NULL; /* not found again: announced where it was, as best known */
        } else
            IMAPIFolder_Release(target);
    } else if (key && FAILED(same_key(folder, key, &rows)))
        rows = NULL;
    /* The message itself is one of the rows; another is an earlier delivery, which stays. Moved, the new one is
     * the last made. */
    hr = S_OK;
    if (key && rows && rows->cRows > 1) {
        drop(folder, moved ? &rows->aRow[rows->cRows - 1].lpProps[0].Value.bin : &facts[ENTRY_ID].Value.bin);
        event_step(ABOUT_HOST, "session %s: a message delivered again (the same %s) is dropped (X41)",
                   mail->session->profile_name,
                   key->ulPropTag == PR_SEARCH_KEY ? "PR_SEARCH_KEY" : "PR_INTERNET_MESSAGE_ID");
        hr = S_FALSE;
    }
    if (hr == S_OK) hr = mailbox_announce(mail, message);
    FreeProws(rows);
    if (moved) IMessage_Release(moved);
    IMAPIFolder_Release(folder);
    MAPIFreeBuffer(facts);
    return hr;
}
