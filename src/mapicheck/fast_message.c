/*
 * The fast-shutdown check's second marker: a message. Beside PR_COMMENT, the fast path's process saves a message into
 * each store's receive folder (CreateMessage, SaveChanges) before DoFastShutdown, and keeps that folder and its
 * contents table open over it; the orderly session after it opens the message by its entry ID and must find its
 * subject, then deletes it. A store without a receive folder takes no
 * message marker, and that is reported, not checked.
 */
#include <stdio.h>
#include <string.h>

#include "mapicheck.h"

/* The store's receive folder for ordinary mail, opened for writing. */
static HRESULT open_inbox(IMsgStore *store, IMAPIFolder **inbox)
{
    ENTRYID *entry_id;
    ULONG size, type;
    HRESULT hr;

    *inbox = NULL;
    if (FAILED(hr = IMsgStore_GetReceiveFolder(store, NULL, 0, &size, &entry_id, NULL))) return hr;
    hr = IMsgStore_OpenEntry(store, size, entry_id, NULL, MAPI_MODIFY, &type, (IUnknown **)inbox);
    MAPIFreeBuffer(entry_id);
    if (SUCCEEDED(hr) && type != MAPI_FOLDER) {
        IUnknown_Release((IUnknown *)*inbox);
        *inbox = NULL;
        hr = MAPI_E_INVALID_OBJECT;
    }
    return hr;
}

HRESULT fast_message_write(IMsgStore *store, const char *subject, char *entry_hex, size_t size, IUnknown **held)
{
    SPropValue value = { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = (char *)subject };
    SizedSPropTagArray(1, tags) = { 1, { PR_ENTRYID } };
    IMAPIFolder *inbox;
    IMessage *message;
    SPropValue *entry_id;
    ULONG count, i;
    HRESULT hr;

    held[0] = held[1] = NULL;
    if (FAILED(hr = open_inbox(store, &inbox))) return hr;
    hr = IMAPIFolder_CreateMessage(inbox, NULL, 0, &message);
    if (FAILED(hr)) {
        IMAPIFolder_Release(inbox);
        return hr;
    }
    if (SUCCEEDED(hr = IMessage_SetProps(message, 1, &value, NULL))
        && SUCCEEDED(hr = IMessage_SaveChanges(message, KEEP_OPEN_READONLY))
        && SUCCEEDED(hr = IMessage_GetProps(message, (SPropTagArray *)&tags, 0, &count, &entry_id))) {
        if (entry_id->ulPropTag != PR_ENTRYID || entry_id->Value.bin.cb * 2 >= size)
            hr = MAPI_E_NOT_FOUND;
        else
            for (i = 0; i < entry_id->Value.bin.cb; i++) sprintf(entry_hex + 2 * i, "%02X", entry_id->Value.bin.lpb[i]);
        MAPIFreeBuffer(entry_id);
    }
    IMessage_Release(message);
    /* The folder and its contents table stay open over the fast shutdown, as a client's window would keep them. */
    held[0] = (IUnknown *)inbox;
    if (FAILED(IMAPIFolder_GetContentsTable(inbox, 0, (IMAPITable **)&held[1]))) held[1] = NULL;
    return hr;
}

BOOL fast_message_check(IMsgStore *store, const char *entry_hex, const char *subject)
{
    SizedSPropTagArray(1, tags) = { 1, { PR_SUBJECT_A } };
    BYTE entry_id[256];
    SBinary binary = { 0, entry_id };
    ENTRYLIST list = { 1, &binary };
    IMAPIFolder *inbox;
    IMessage *message;
    SPropValue *value;
    ULONG count, type, byte;
    BOOL kept = FALSE;
    HRESULT hr;

    while (binary.cb < sizeof(entry_id) && sscanf(entry_hex + 2 * binary.cb, "%2lx", &byte) == 1)
        entry_id[binary.cb++] = (BYTE)byte;
    hr = IMsgStore_OpenEntry(store, binary.cb, (ENTRYID *)entry_id, NULL, 0, &type, (IUnknown **)&message);
    if (SUCCEEDED(hr) && type == MAPI_MESSAGE) {
        if (SUCCEEDED(IMessage_GetProps(message, (SPropTagArray *)&tags, 0, &count, &value))) {
            kept = value->ulPropTag == PR_SUBJECT_A && !strcmp(value->Value.lpszA, subject);
            MAPIFreeBuffer(value);
        }
    }
    if (SUCCEEDED(hr)) IUnknown_Release((IUnknown *)message);
    printf("mapicheck: the marker message %s (OpenEntry -> %#lx)\n", kept ? "is there" : "is MISSING",
           (unsigned long)hr);
    /* The store as it was: the marker goes. */
    if (SUCCEEDED(open_inbox(store, &inbox))) {
        printf("mapicheck: the marker message deleted -> %#lx\n",
               (unsigned long)IMAPIFolder_DeleteMessages(inbox, &list, 0, NULL, 0));
        IMAPIFolder_Release(inbox);
    }
    return kept;
}
