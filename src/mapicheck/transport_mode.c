/*
 * mapicheck --transport: mail sent through each transport of a profile and received back, and a store logged off
 * with mail in flight, each step reported by the spooler's rule (docs/rules.md, Q4-Q32) beside the lifecycle's own
 * checks.
 *
 * The first session, profile mode's (profile_mode.c), works in the default store. For each transport whose status
 * row names an identity (PR_IDENTITY_ENTRYID, opened through the address book for its address type and address), or
 * for the address --to gives, a message is submitted from the Outbox with its sent copy asked for in Sent Items, and
 * must arrive in the receive folder exactly once, announced with fnevNewMail, while the Outbox lets it go and Sent
 * Items gets one copy. Then QUEUED messages are submitted at once and the store is logged off with LOGOFF_ABORT, which
 * must refuse while mail is in flight and say so, then with LOGOFF_ORDERLY, which must complete. A second session must
 * deliver every one of them exactly once (Q32), and the messages mapicheck made are deleted. A transport that
 * crashes or hangs in SubmitMessage or StartMessage is reported by the host (and the mail never comes). A step that
 * could not run (no identity, nothing left in flight for LOGOFF_ABORT to meet) is said so, and its rule is not
 * reported as kept.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mapicheck.h"
#include "mapihost_util.h"

#define MAX_ADDRESSES 8
#define QUEUED 10
#define MAIL_WAIT_MS 30000 /* the longest a message may take to come back */
#define IN_FLIGHT (LOGOFF_INBOUND | LOGOFF_OUTBOUND | LOGOFF_OUTBOUND_QUEUE) /* StoreLogoff's output flags */

struct address {
    char transport[128], type[64], address[256], display[256];
};

static struct address addresses[MAX_ADDRESSES];
static ULONG address_count;
static const char *given_to; /* --to TYPE:ADDRESS */
static char prefix[64];      /* every subject mapicheck sends begins with it */
static BOOL script_ok = TRUE, default_done, in_flight_at_logoff;

void transport_mode_set_address(const char *to)
{
    given_to = to;
}

static BOOL check(const char *who, BOOL ok, const char *rule, const char *format, ...)
{
    char line[512];
    va_list args;
    int length;

    length = snprintf(line, sizeof(line), "%s: ", who);
    va_start(args, format);
    length += vsnprintf(line + length, sizeof(line) - length, format, args);
    va_end(args);
    if (length > 0 && length < (int)sizeof(line)) snprintf(line + length, sizeof(line) - length, " (%s)", rule);
    if (!ok) script_ok = FALSE;
    verdict_note(ok ? MAPIHOST_EVENT_STEP : MAPIHOST_EVENT_VIOLATION, rule, "transport", who, line);
    return ok;
}

/* ---- the store's folders and what they hold ---- */

/* The folder a store property names (PR_IPM_OUTBOX_ENTRYID, ...), or the receive folder of IPM.Note for 0. */
static IMAPIFolder *open_folder(IMsgStore *store, ULONG tag)
{
    IMAPIFolder *folder = NULL;
    ENTRYID *entry_id;
    SPropValue *value;
    ULONG size, type;

    if (!tag) {
        if (FAILED(IMsgStore_GetReceiveFolder(store, (LPTSTR) "IPM.Note", 0, &size, &entry_id, NULL))) return NULL;
        if (FAILED(IMsgStore_OpenEntry(store, size, entry_id, NULL, MAPI_MODIFY, &type, (IUnknown **)&folder)))
            folder = NULL;
        MAPIFreeBuffer(entry_id);
        return folder;
    }
    if (!(value = script_get_prop(store, tag))) return NULL;
    if (FAILED(IMsgStore_OpenEntry(store, value->Value.bin.cb, (ENTRYID *)value->Value.bin.lpb, NULL, MAPI_MODIFY,
                                   &type, (IUnknown **)&folder)))
        folder = NULL;
    MAPIFreeBuffer(value);
    return folder;
}

/* How many messages of the folder have the subject (or, when remove, deletes every one whose subject begins with
 * it); -1 if the folder cannot be read. */
static LONG count_subject(IMAPIFolder *folder, const char *subject, BOOL remove)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_SUBJECT_A } };
    IMAPITable *table;
    SRowSet *rows;
    LONG count = 0;
    ULONG i;

    if (!folder || FAILED(IMAPIFolder_GetContentsTable(folder, 0, &table))) return -1;
    if (FAILED(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0))) count = -1;
    while (count >= 0 && SUCCEEDED(IMAPITable_QueryRows(table, 100, 0, &rows))) {
        ULONG got = rows->cRows;
        for (i = 0; i < rows->cRows; i++) {
            const SPropValue *id = &rows->aRow[i].lpProps[0], *text = &rows->aRow[i].lpProps[1];
            if (text->ulPropTag != PR_SUBJECT_A) continue;
            if (!remove && !strcmp(text->Value.lpszA, subject)) count++;
            if (remove && id->ulPropTag == PR_ENTRYID && !strncmp(text->Value.lpszA, subject, strlen(subject))) {
                ENTRYLIST list = { 1, (SBinary *)&id->Value.bin };
                if (SUCCEEDED(IMAPIFolder_DeleteMessages(folder, &list, 0, NULL, 0))) count++;
            }
        }
        FreeProws(rows);
        if (!got) break;
    }
    IMAPITable_Release(table);
    return count;
}

/* ---- where to send ---- */

/* "TYPE:ADDRESS" into an address; FALSE if it is not one. */
static BOOL parse_address(const char *text, struct address *out)
{
    const char *colon = strchr(text, ':');

    if (!colon || colon == text || !colon[1] || colon - text >= (int)sizeof(out->type)) return FALSE;
    snprintf(out->type, sizeof(out->type), "%.*s", (int)(colon - text), text);
    snprintf(out->address, sizeof(out->address), "%s", colon + 1);
    snprintf(out->display, sizeof(out->display), "%s", colon + 1);
    snprintf(out->transport, sizeof(out->transport), "--to %s", text);
    return TRUE;
}

/* The identity of each transport's status row, opened through the address book. */
static void find_identities(IMAPISession *session)
{
    SizedSPropTagArray(3, columns) = { 3, { PR_RESOURCE_TYPE, PR_DISPLAY_NAME_A, PR_IDENTITY_ENTRYID } };
    IAddrBook *address_book;
    IMAPITable *table;
    IMAPIProp *entry;
    SRowSet *rows;
    ULONG i, type;

    if (FAILED(IMAPISession_OpenAddressBook(session, 0, NULL, 0, &address_book))) return;
    if (SUCCEEDED(IMAPISession_GetStatusTable(session, 0, &table))) {
        if (SUCCEEDED(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0))
            && SUCCEEDED(IMAPITable_QueryRows(table, 100, 0, &rows))) {
            for (i = 0; i < rows->cRows && address_count < MAX_ADDRESSES; i++) {
                const SPropValue *v = rows->aRow[i].lpProps;
                struct address *to = &addresses[address_count];
                SPropValue *type_value, *address_value;

                if (v[0].ulPropTag != PR_RESOURCE_TYPE || v[0].Value.l != MAPI_TRANSPORT_PROVIDER) continue;
                snprintf(to->transport, sizeof(to->transport), "%s",
                         v[1].ulPropTag == PR_DISPLAY_NAME_A ? v[1].Value.lpszA : "a transport");
                if (v[2].ulPropTag != PR_IDENTITY_ENTRYID) {
                    printf("mapicheck: %s names no identity in its status row: nothing to send to (give --to)\n",
                           to->transport);
                    continue;
                }
                if (FAILED(IAddrBook_OpenEntry(address_book, v[2].Value.bin.cb, (ENTRYID *)v[2].Value.bin.lpb, NULL, 0,
                                               &type, (IUnknown **)&entry)))
                    continue;
                type_value = script_get_prop(entry, PR_ADDRTYPE_A);
                address_value = script_get_prop(entry, PR_EMAIL_ADDRESS_A);
                if (type_value && address_value) {
                    snprintf(to->type, sizeof(to->type), "%s", type_value->Value.lpszA);
                    snprintf(to->address, sizeof(to->address), "%s", address_value->Value.lpszA);
                    snprintf(to->display, sizeof(to->display), "%s", address_value->Value.lpszA);
                    address_count++;
                }
                MAPIFreeBuffer(type_value);
                MAPIFreeBuffer(address_value);
                IMAPIProp_Release(entry);
            }
            FreeProws(rows);
        }
        IMAPITable_Release(table);
    }
    IAddrBook_Release(address_book);
}

/* Whether store is the session's default store: the spooler sends from it and delivers to it. */
static BOOL is_default_store(IMAPISession *session, IMsgStore *store)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_DEFAULT_STORE, PR_ENTRYID } };
    SPropValue *id = script_get_prop(store, PR_ENTRYID);
    IMAPITable *table;
    SRowSet *rows;
    ULONG i, same = FALSE;

    if (!id) return FALSE;
    if (SUCCEEDED(IMAPISession_GetMsgStoresTable(session, 0, &table))) {
        if (SUCCEEDED(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0))
            && SUCCEEDED(IMAPITable_QueryRows(table, 100, 0, &rows))) {
            for (i = 0; i < rows->cRows && !same; i++) {
                const SPropValue *v = rows->aRow[i].lpProps;
                if (v[0].ulPropTag == PR_DEFAULT_STORE && v[0].Value.b && v[1].ulPropTag == PR_ENTRYID)
                    IMAPISession_CompareEntryIDs(session, v[1].Value.bin.cb, (ENTRYID *)v[1].Value.bin.lpb,
                                                 id->Value.bin.cb, (ENTRYID *)id->Value.bin.lpb, 0, &same);
            }
            FreeProws(rows);
        }
        IMAPITable_Release(table);
    }
    MAPIFreeBuffer(id);
    return same;
}

/* ---- the first session: a message to each address, then StoreLogoff with mail in flight ---- */

/* A message with subject to the address, submitted from the Outbox, its sent copy asked for in Sent Items. */
static HRESULT submit(IMsgStore *store, IMAPIFolder *outbox, const struct address *to, const char *subject)
{
    SPropValue *sent = script_get_prop(store, PR_IPM_SENTMAIL_ENTRYID), values[3], recipient[4];
    ADRLIST list = { 1, { { 0, 4, recipient } } };
    ULONG count = 2;
    IMessage *message;
    HRESULT hr;

    recipient[0].ulPropTag = PR_DISPLAY_NAME_A;
    recipient[0].Value.lpszA = (char *)to->display;
    recipient[1].ulPropTag = PR_ADDRTYPE_A;
    recipient[1].Value.lpszA = (char *)to->type;
    recipient[2].ulPropTag = PR_EMAIL_ADDRESS_A;
    recipient[2].Value.lpszA = (char *)to->address;
    recipient[3].ulPropTag = PR_RECIPIENT_TYPE;
    recipient[3].Value.l = MAPI_TO;
    values[0].ulPropTag = PR_SUBJECT_A;
    values[0].Value.lpszA = (char *)subject;
    values[1].ulPropTag = PR_BODY_A;
    values[1].Value.lpszA = (char *)"mapicheck --transport: this message should come back once";
    if (sent) {
        values[2].ulPropTag = PR_SENTMAIL_ENTRYID;
        values[2].Value.bin = sent->Value.bin;
        count++;
    }
    if (SUCCEEDED(hr = IMAPIFolder_CreateMessage(outbox, NULL, 0, &message))) {
        if (SUCCEEDED(hr = IMessage_SetProps(message, count, values, NULL))
            && SUCCEEDED(hr = IMessage_ModifyRecipients(message, MODRECIP_ADD, &list)))
            hr = IMessage_SubmitMessage(message, 0);
        IMessage_Release(message);
    }
    MAPIFreeBuffer(sent);
    return hr;
}

/* Waits until the folder holds the message with subject, until end (a GetTickCount64 time), or until a provider
 * breaks a rule (a crash or a hang is one: the mail will not come); its count then. */
static LONG wait_for(IMAPIFolder *folder, const char *subject, ULONGLONG end)
{
    ULONG violations = MapihostEventCount(MAPIHOST_EVENT_VIOLATION);
    LONG count;

    while ((count = count_subject(folder, subject, FALSE)) == 0 && GetTickCount64() < end
           && MapihostEventCount(MAPIHOST_EVENT_VIOLATION) == violations)
        Sleep(100);
    return count;
}

/* Whether the message came back. */
static BOOL send_to(IMsgStore *store, const struct address *to, ULONG n)
{
    struct counting_sink sink;
    IMAPIFolder *outbox = open_folder(store, PR_IPM_OUTBOX_ENTRYID), *inbox = open_folder(store, 0),
                *sent = open_folder(store, PR_IPM_SENTMAIL_ENTRYID);
    ULONG_PTR connection = 0;
    char subject[160];
    LONG received = 0, left;
    HRESULT hr;

    printf("mapicheck: a message through %s to %s:%s\n", to->transport, to->type, to->address);
    if (!check(to->transport, outbox && inbox, "Q4",
               "the default store has an Outbox and a receive folder for IPM.Note"))
        goto done;
    snprintf(subject, sizeof(subject), "%s #%lu", prefix, n);
    script_sink_init(&sink);
    IMsgStore_Advise(store, 0, NULL, fnevNewMail, &sink.IMAPIAdviseSink_iface, &connection);
    hr = submit(store, outbox, to, subject);
    if (!check(to->transport, hr == S_OK, "Q4", "IMessage::SubmitMessage -> %#lx", (unsigned long)hr)) goto done;
    received = wait_for(inbox, subject, GetTickCount64() + MAIL_WAIT_MS);
    check(to->transport, received == 1, "Q23",
          "the message arrived in the receive folder %ld time(s) (waited up to %d s)", received, MAIL_WAIT_MS / 1000);
    if (received > 0) {
        Sleep(500); /* a second copy would come with the next poll */
        received = count_subject(inbox, subject, FALSE);
        check(to->transport, received == 1, "Q23", "still once a moment later (%ld)", received);
        if (connection)
            check(to->transport, sink.new_mail > 0, "Q24", "the store's advise sink heard fnevNewMail (%ld)",
                  sink.new_mail);
        left = count_subject(outbox, subject, FALSE);
        check(to->transport, left == 0, "Q15", "the Outbox no longer holds it (%ld)", left);
        if (sent)
            check(to->transport, wait_for(sent, subject, GetTickCount64() + MAIL_WAIT_MS) == 1, "Q16",
                  "Sent Items holds its sent copy, once (%ld)", count_subject(sent, subject, FALSE));
    }
    if (connection) IMsgStore_Unadvise(store, connection);
done:
    if (outbox) IMAPIFolder_Release(outbox);
    if (inbox) IMAPIFolder_Release(inbox);
    if (sent) IMAPIFolder_Release(sent);
    return received > 0;
}

/* QUEUED messages submitted, and the store logged off at once: LOGOFF_ABORT must refuse while any is in flight. */
static void logoff_in_flight(IMsgStore *store, const struct address *to)
{
    IMAPIFolder *outbox = open_folder(store, PR_IPM_OUTBOX_ENTRYID);
    char subject[160], name[160];
    ULONG i, flags;
    SPropValue *value;
    HRESULT hr = S_OK;

    snprintf(name, sizeof(name), "%s (StoreLogoff)", to->transport);
    if (!outbox) return;
    for (i = 0; i < QUEUED && SUCCEEDED(hr); i++) {
        snprintf(subject, sizeof(subject), "%s queued #%lu", prefix, i);
        hr = submit(store, outbox, to, subject);
    }
    IMAPIFolder_Release(outbox);
    if (!check(name, SUCCEEDED(hr), "Q4", "%d messages submitted -> %#lx", QUEUED, (unsigned long)hr)) return;
    /* StoreLogoff's output names what is in flight; none means the logoff went ahead (E5). */
    flags = LOGOFF_ABORT;
    hr = IMsgStore_StoreLogoff(store, &flags);
    printf("mapicheck: StoreLogoff(LOGOFF_ABORT) with mail just submitted -> %#lx, flags %#lx\n", (unsigned long)hr,
           flags);
    if (hr == S_OK && !(flags & IN_FLIGHT)) {
        printf("mapicheck: the spooler had moved everything already: LOGOFF_ABORT met no mail in flight, and Q31 is "
               "not checked with mail in flight\n");
        return;
    }
    in_flight_at_logoff = TRUE;
    value = script_get_prop(store, PR_DISPLAY_NAME_A);
    check(name, hr == S_OK && value, "Q31",
          "LOGOFF_ABORT with mail in flight -> %#lx: refused, saying why (flags %#lx), and the store still answers",
          (unsigned long)hr, flags);
    MAPIFreeBuffer(value);
    flags = LOGOFF_ORDERLY;
    hr = IMsgStore_StoreLogoff(store, &flags);
    check(name, hr == S_OK && !(flags & ~IN_FLIGHT), "Q31",
          "then LOGOFF_ORDERLY -> %#lx, flags %#lx: the message in progress finished, the rest stays queued",
          (unsigned long)hr, flags);
}

static void first_session(IMAPISession *session, ULONG index, IMsgStore *store)
{
    ULONG i, came_back = 0;

    if (default_done || !is_default_store(session, store)) return;
    default_done = TRUE;
    if (given_to)
        address_count = 1; /* addresses[0], parsed from --to before the session */
    else
        find_identities(session);
    for (i = 0; i < address_count; i++) came_back += send_to(store, &addresses[i], i);
    if (came_back == address_count && address_count)
        logoff_in_flight(store, &addresses[0]);
    else
        printf("mapicheck: mail did not come back, so StoreLogoff with mail in flight (Q31, Q32) is not checked\n");
}

/* ---- the second session: what was queued comes, once; then what mapicheck made goes ---- */

static void second_session(IMAPISession *session, ULONG index, IMsgStore *store)
{
    IMAPIFolder *inbox, *sent;
    char subject[160];
    LONG received, removed;
    ULONGLONG end = GetTickCount64() + MAIL_WAIT_MS; /* for all of them */
    ULONG i, once = 0;

    if (default_done || !is_default_store(session, store)) return;
    default_done = TRUE;
    if (!(inbox = open_folder(store, 0))) return;
    for (i = 0; i < QUEUED && in_flight_at_logoff; i++) {
        snprintf(subject, sizeof(subject), "%s queued #%lu", prefix, i);
        received = wait_for(inbox, subject, end);
        once += received == 1;
    }
    if (in_flight_at_logoff)
        check(addresses[0].transport, once == QUEUED, "Q32",
              "a new session delivered the %d messages queued at the logoff, each once (%lu once)", QUEUED, once);
    removed = count_subject(inbox, prefix, TRUE);
    if ((sent = open_folder(store, PR_IPM_SENTMAIL_ENTRYID))) {
        removed += count_subject(sent, prefix, TRUE);
        IMAPIFolder_Release(sent);
    }
    printf("mapicheck: deleted the %ld messages it sent, received and sent copies\n", removed);
    IMAPIFolder_Release(inbox);
}

int transport_mode_check(const char *profile)
{
    BOOL unloaded, logged_on, first, second;

    if (given_to && !parse_address(given_to, &addresses[0])) return verdict_bad_input("--to needs TYPE:ADDRESS");
    snprintf(prefix, sizeof(prefix), "mapicheck transport %lu", GetCurrentProcessId());
    printf("mapicheck: mail through the transports of profile %s, first session\n", profile);
    first = profile_mode_run(profile, first_session, &unloaded, &logged_on);
    if (!logged_on) return verdict_bad_input("MAPILogonEx failed: no session over this profile");
    if (!default_done) return verdict_bad_input("the profile has no default message store to send from");
    if (!address_count) {
        /* A transport that broke down before its status row could be read (its row goes with it) is a failure. */
        if (MapihostEventCount(MAPIHOST_EVENT_VIOLATION)) return verdict_give(FALSE, unloaded);
        return verdict_bad_input("no transport names an identity to send to; give --to TYPE:ADDRESS");
    }
    printf("mapicheck: mail through the transports, second session\n");
    default_done = FALSE;
    second = profile_mode_run(profile, second_session, &unloaded, &logged_on);
    return verdict_give(first && second && script_ok, unloaded);
}
