/*
 * Helpers of the mail-flow tests (test_spooler, test_mailkill): a session over the real sample store and the real
 * sample transport, the store's folders, and messages submitted through the Outbox. Nothing is mocked.
 */
#ifndef MAPIHOST_MAILFLOW_H
#define MAPIHOST_MAILFLOW_H

#include "lifecycle.h"
#include "mapihost_util.h"

#define SPOOL_STORE_UID "6D617069686F73742D73706F6F6C4D53"
/* A store (fixed MAPIUID, so the same file in every session) and a transport whose mailbox is "spool". */
#define STORE_SECTIONS                                                                                                 \
    "[Store]\nProviders = Sample Store\n"                                                                              \
    "[Sample Store]\nMAPIUID = " SPOOL_STORE_UID "\nPR_PROVIDER_DLL_NAME = samplems.dll\n"                             \
    "PR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\nPR_RESOURCE_FLAGS = STATUS_DEFAULT_STORE\nPR_DISPLAY_NAME = Spool "       \
    "Store\n"                                                                                                          \
    "[Sample MS settings]\nMAPIUID = 6D617069686F737453616D706C654D53\n6610001F = the spool store\n"
#define SPOOL_PROFILE                                                                                                  \
    "[Services]\nStore = Store service\nMail = Mail service\n" STORE_SECTIONS "[Mail]\nProviders = Spool Transport\n"  \
    "[Spool Transport]\nPR_PROVIDER_DLL_NAME = samplexp.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"             \
    "PR_DISPLAY_NAME = Spool Transport\nPR_EMAIL_ADDRESS = spool\n"
/* The same store, with the recording transport told to answer SubmitMessage with MAPI_E_WAIT. */
#define WAITING_PROFILE                                                                                                \
    "[Services]\nStore = Store service\nMail = Mail service\n" STORE_SECTIONS                                          \
    "[Mail]\nProviders = Waiting Transport\n"                                                                          \
    "[Waiting Transport]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"           \
    "PR_DISPLAY_NAME = Waiting Transport\nPR_EMAIL_ADDRESS = spool\n6700001e = wait-submit\n"

/* The same, with the recording transport deferring what it is given (END_DONT_RESEND) and faults more. */
#define DEFERRING_PROFILE(faults)                                                                                      \
    "[Services]\nStore = Store service\nMail = Mail service\n" STORE_SECTIONS                                          \
    "[Mail]\nProviders = Deferring Transport\n"                                                                        \
    "[Deferring Transport]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"         \
    "PR_DISPLAY_NAME = Deferring Transport\nPR_EMAIL_ADDRESS = spool\n6700001e = defer-submit" faults "\n"

/* The same store, with the recording transport given the faults. */
#define FAULTY_TRANSPORT_PROFILE(faults)                                                                               \
    "[Services]\nStore = Store service\nMail = Mail service\n" STORE_SECTIONS "[Mail]\nProviders = Faulty Transport\n" \
    "[Faulty Transport]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"            \
    "PR_DISPLAY_NAME = Faulty Transport\nPR_EMAIL_ADDRESS = spool\n6700001e = " faults "\n"

/* The recorder's store and transport as a tightly coupled pair (Q21), the store on the same file. */
#define COUPLED_PROFILE                                                                                                \
    "[Services]\nStore = Store service\nMail = Mail service\n[Store]\nProviders = Coupled Store\n"                     \
    "[Coupled Store]\nMAPIUID = " SPOOL_STORE_UID "\nPR_PROVIDER_DLL_NAME = recorder.dll\n"                            \
    "PR_RESOURCE_TYPE = MAPI_STORE_PROVIDER\nPR_RESOURCE_FLAGS = STATUS_DEFAULT_STORE\nPR_DISPLAY_NAME = Coupled "     \
    "Store\n6700001e = coupled\n"                                                                                      \
    "[Sample MS settings]\nMAPIUID = 6D617069686F737453616D706C654D53\n6610001F = the spool store\n"                   \
    "[Mail]\nProviders = Coupled Transport\n"                                                                          \
    "[Coupled Transport]\nPR_PROVIDER_DLL_NAME = recorder.dll\nPR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n"           \
    "PR_DISPLAY_NAME = Coupled Transport\nPR_EMAIL_ADDRESS = spool\n6700001e = coupled\n"

#define WAIT_MS 20000 /* the longest a delivery may take before the test fails */

static IMAPISession *session;
static IMsgStore *store;

static inline void open_session(const char *profile)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
    IMAPITable *table;
    SRowSet *rows;

    session = logon_profile("spool.inf", profile, 0);
    assert_int_equal(IMAPISession_GetMsgStoresTable(session, 0, &table), S_OK);
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 1, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    assert_int_equal(IMAPISession_OpenMsgStore(session, 0, rows->aRow[0].lpProps[0].Value.bin.cb,
                                               (ENTRYID *)rows->aRow[0].lpProps[0].Value.bin.lpb, NULL, MDB_WRITE,
                                               &store),
                     S_OK);
    FreeProws(rows);
    IMAPITable_Release(table);
}

static inline void close_session(void)
{
    if (store) IMsgStore_Release(store);
    store = NULL;
    assert_int_equal(IMAPISession_Logoff(session, 0, 0, 0), S_OK);
    IMAPISession_Release(session);
    session = NULL;
}

/* Deletes what earlier runs left: this store's files and these tests' mailboxes, nothing of other tests'. */
static inline void delete_files(void)
{
    static const char *const mailboxes[] = { "spool", "elsewhere" };
    char base[MAX_PATH], folder[2 * MAX_PATH];
    ULONG i;

    GetEnvironmentVariableA("APPDATA", base, sizeof(base));
    for (i = 0; i < ARRAYSIZE(mailboxes); i++) {
        snprintf(folder, sizeof(folder), "%s\\mapihost\\sample-mail\\%s", base, mailboxes[i]);
        delete_files_in(folder, "*", TRUE);
    }
    snprintf(folder, sizeof(folder), "%s\\mapihost\\sample-stores", base);
    delete_files_in(folder, "*" SPOOL_STORE_UID "*", FALSE);
}

static inline SPropValue *get_prop(void *object, ULONG tag)
{
    SizedSPropTagArray(1, tags) = { 1, { tag } };
    SPropValue *values = NULL;
    ULONG count;

    assert_true(SUCCEEDED(IMAPIProp_GetProps((IMAPIProp *)object, (SPropTagArray *)&tags, 0, &count, &values)));
    if (values->ulPropTag != tag) fail_msg("property %#lx is missing (%#lx)", tag, values->ulPropTag);
    return values;
}

/* A folder the store names by one of its properties (PR_IPM_OUTBOX_ENTRYID, ...), or the Inbox for 0. */
static inline IMAPIFolder *open_folder(ULONG tag)
{
    IMAPIFolder *folder;
    ENTRYID *entry_id;
    SPropValue *value;
    ULONG size, type;

    if (!tag) {
        assert_int_equal(IMsgStore_GetReceiveFolder(store, NULL, 0, &size, &entry_id, NULL), S_OK);
        assert_int_equal(IMsgStore_OpenEntry(store, size, entry_id, NULL, MAPI_MODIFY, &type, (IUnknown **)&folder),
                         S_OK);
        MAPIFreeBuffer(entry_id);
        return folder;
    }
    value = get_prop(store, tag);
    assert_int_equal(IMsgStore_OpenEntry(store, value->Value.bin.cb, (ENTRYID *)value->Value.bin.lpb, NULL, MAPI_MODIFY,
                                         &type, (IUnknown **)&folder),
                     S_OK);
    MAPIFreeBuffer(value);
    return folder;
}

static inline ULONG message_count(ULONG folder_tag)
{
    IMAPIFolder *folder = open_folder(folder_tag);
    IMAPITable *table;
    ULONG count = 0;

    assert_int_equal(IMAPIFolder_GetContentsTable(folder, 0, &table), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &count), S_OK);
    IMAPITable_Release(table);
    IMAPIFolder_Release(folder);
    return count;
}

/* A message in the Outbox to the recipients of list, its sent copy asked for in Sent Items, submitted; the subject is
 * UTF-8. */
static inline void submit_to(const ADRLIST *list, const char *subject)
{
    WCHAR wide_subject[256];
    IMAPIFolder *outbox = open_folder(PR_IPM_OUTBOX_ENTRYID);
    SPropValue *sent = get_prop(store, PR_IPM_SENTMAIL_ENTRYID), values[3];
    IMessage *message;

    MultiByteToWideChar(CP_UTF8, 0, subject, -1, wide_subject, ARRAYSIZE(wide_subject));
    values[0].ulPropTag = PR_SUBJECT_W;
    values[0].Value.lpszW = wide_subject;
    values[1].ulPropTag = PR_BODY_A;
    values[1].Value.lpszA = (char *)"carried by the spooler";
    values[2].ulPropTag = PR_SENTMAIL_ENTRYID;
    values[2].Value.bin = sent->Value.bin;
    assert_int_equal(IMAPIFolder_CreateMessage(outbox, NULL, 0, &message), S_OK);
    assert_int_equal(IMessage_SetProps(message, 3, values, NULL), S_OK);
    assert_int_equal(IMessage_ModifyRecipients(message, MODRECIP_ADD, (ADRLIST *)list), S_OK);
    assert_int_equal(IMessage_SubmitMessage(message, 0), S_OK);
    IMessage_Release(message);
    IMAPIFolder_Release(outbox);
    MAPIFreeBuffer(sent);
}

/* The same to one recipient, its display name its address. */
static inline void submit(const char *address_type, const char *address, const char *subject)
{
    SPropValue recipient[4];
    ADRLIST list = { 1, { { 0, 4, recipient } } };

    recipient[0].ulPropTag = PR_DISPLAY_NAME_A;
    recipient[0].Value.lpszA = (char *)address;
    recipient[1].ulPropTag = PR_ADDRTYPE_A;
    recipient[1].Value.lpszA = (char *)address_type;
    recipient[2].ulPropTag = PR_EMAIL_ADDRESS_A;
    recipient[2].Value.lpszA = (char *)address;
    recipient[3].ulPropTag = PR_RECIPIENT_TYPE;
    recipient[3].Value.l = MAPI_TO;
    submit_to(&list, subject);
}

/* Waits for the sink to hear n notifications; fails after WAIT_MS. */
static inline void wait_for_mail(struct test_sink *sink, ULONG n)
{
    ULONGLONG end = GetTickCount64() + WAIT_MS;

    while (InterlockedCompareExchange((LONG *)&sink->changes, 0, 0) < (LONG)n) {
        if (GetTickCount64() > end) fail_msg("no new mail after %d ms; events:\n%s", WAIT_MS, events);
        Sleep(20);
    }
}

static inline void wait_for_event(const char *text)
{
    ULONGLONG end = GetTickCount64() + WAIT_MS;

    while (!strstr(events, text)) {
        if (GetTickCount64() > end) fail_msg("\"%s\" did not come within %d ms; events:\n%s", text, WAIT_MS, events);
        Sleep(20);
    }
}

#endif
