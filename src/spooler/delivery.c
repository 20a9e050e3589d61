/*
 * A message a transport delivers in StartMessage (Q23, Q24, X41). The spooler makes it before the transport says what
 * it is, in the receive folder for IPM; once saved it goes to the receive folder of its own message class when that
 * is another, and is announced with NotifyNewMail.
 *
 * Duplicates come from the at-least-once promise: a transport that had sent a message but died before the spooler
 * finished it sends it again, and one that died between the store's save and the deletion of its own copy hands it
 * over again. A message is the same message when it has the same PR_INTERNET_MESSAGE_ID, or, without one, the same
 * PR_SEARCH_KEY (which a transport carries with the message), in the receive folder of its class; the earlier one
 * stays, and the new one is never saved (incoming.c asks delivery_seen from its SaveChanges). The folder's contents
 * table is asked with an equality restriction; a store whose tables cannot answer it delivers duplicates, as it
 * would without the check.
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

/* The entry ID of the receive folder for the message's class (Q24), which the caller frees; FALSE if none. */
static BOOL class_folder_id(IMsgStore *store, const SPropValue *facts, SBinary *id)
{
    const char *message_class =
        facts[MESSAGE_CLASS].ulPropTag == PR_MESSAGE_CLASS_A ? facts[MESSAGE_CLASS].Value.lpszA : "IPM";

    id->cb = 0;
    id->lpb = NULL;
    return SUCCEEDED(IMsgStore_GetReceiveFolder(store, (LPTSTR)message_class, 0, &id->cb, (ENTRYID **)&id->lpb, NULL));
}

/* The key a second delivery is known by: the Internet message ID, else the search key; NULL if neither. */
static SPropValue *key_of(SPropValue *facts)
{
    return facts[MESSAGE_ID].ulPropTag == PR_INTERNET_MESSAGE_ID_A ? &facts[MESSAGE_ID]
           : facts[SEARCH_KEY].ulPropTag == PR_SEARCH_KEY          ? &facts[SEARCH_KEY]
                                                                   : NULL;
}

static const SizedSPropTagArray(FACT_COUNT, fact_tags) = {
    FACT_COUNT, { PR_ENTRYID, PR_PARENT_ENTRYID, PR_MESSAGE_CLASS_A, PR_INTERNET_MESSAGE_ID_A, PR_SEARCH_KEY }
};

BOOL delivery_seen(struct mail *mail, IMessage *message)
{
    SPropValue *facts, *key;
    IMAPIFolder *folder;
    SRowSet *rows = NULL;
    SBinary id;
    ULONG count;
    BOOL seen = FALSE;

    if (FAILED(IMessage_GetProps(message, (SPropTagArray *)&fact_tags, 0, &count, &facts))) return FALSE;
    if ((key = key_of(facts)) && class_folder_id(mail->store, facts, &id)) {
        if ((folder = open_folder(mail->store, &id))) {
            seen = SUCCEEDED(same_key(folder, key, &rows)) && rows->cRows;
            FreeProws(rows);
            IMAPIFolder_Release(folder);
        }
        MAPIFreeBuffer(id.lpb);
    }
    if (seen)
        event_step(ABOUT_HOST, "session %s: a message delivered again (the same %s) is dropped (X41)",
                   mail->session->profile_name,
                   key->ulPropTag == PR_SEARCH_KEY ? "PR_SEARCH_KEY" : "PR_INTERNET_MESSAGE_ID");
    MAPIFreeBuffer(facts);
    return seen;
}

/* Saved in another folder than its class's receive folder: moved there, and found there again by its key, which
 * is unique there; NULL if it stays where it is. */
static IMessage *move_to_class_folder(struct mail *mail, SPropValue *facts)
{
    IMAPIFolder *folder = NULL, *target = NULL;
    ENTRYLIST list = { 1, &facts[ENTRY_ID].Value.bin };
    SPropValue *key = key_of(facts);
    IMessage *moved = NULL;
    SRowSet *rows = NULL;
    ULONG same = TRUE, type;
    SBinary target_id;

    if (!key || !class_folder_id(mail->store, facts, &target_id)) return NULL;
    if (SUCCEEDED(IMsgStore_CompareEntryIDs(mail->store, target_id.cb, (ENTRYID *)target_id.lpb,
                                            facts[PARENT_ID].Value.bin.cb, (ENTRYID *)facts[PARENT_ID].Value.bin.lpb, 0,
                                            &same))
        && !same && (folder = open_folder(mail->store, &facts[PARENT_ID].Value.bin))
        && (target = open_folder(mail->store, &target_id))
        && SUCCEEDED(IMAPIFolder_CopyMessages(folder, &list, NULL, target, 0, NULL, MESSAGE_MOVE))
        && SUCCEEDED(same_key(target, key, &rows)) && rows->cRows == 1
        && rows->aRow[0].lpProps[0].ulPropTag == PR_ENTRYID
        && FAILED(IMsgStore_OpenEntry(mail->store, rows->aRow[0].lpProps[0].Value.bin.cb,
                                      (ENTRYID *)rows->aRow[0].lpProps[0].Value.bin.lpb, &IID_IMessage, 0, &type,
                                      (IUnknown **)&moved)))
        moved = NULL;
    FreeProws(rows);
    if (target) IMAPIFolder_Release(target);
    if (folder) IMAPIFolder_Release(folder);
    MAPIFreeBuffer(target_id.lpb);
    return moved;
}

HRESULT delivery_finish(struct mail *mail, IMessage *message)
{
    IMessage *moved;
    SPropValue *facts;
    ULONG count;
    HRESULT hr;

    if (FAILED(hr = IMessage_GetProps(message, (SPropTagArray *)&fact_tags, 0, &count, &facts))) return hr;
    if (facts[ENTRY_ID].ulPropTag != PR_ENTRYID || facts[PARENT_ID].ulPropTag != PR_PARENT_ENTRYID) {
        MAPIFreeBuffer(facts);
        return MAPI_E_NOT_FOUND; /* never saved: no message */
    }
    moved = move_to_class_folder(mail, facts);
    hr = mailbox_announce(mail, moved ? moved : message);
    if (moved) IMessage_Release(moved);
    MAPIFreeBuffer(facts);
    return hr;
}
