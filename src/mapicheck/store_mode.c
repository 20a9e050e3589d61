/*
 * mapicheck --store: each store of a profile driven through a scripted client session, and each step reported by the
 * store's rule (docs/rules.md, M1-M10) beside the lifecycle's own checks.
 *
 * The first session, profile mode's (profile_mode.c), shows the store's folder tree, checks its special folders and
 * its receive folder, makes a folder and a message with properties, a recipient and an attachment, saves it, and finds
 * it in the folder's contents table and counts, with an advise sink on the folder. A process of its own (mapicheck
 * --store-reopen) then opens the message by its entry ID through a new session. A second session moves the message to
 * another folder, deletes it, and deletes both folders, the store as it was. A rule is reported as passed only where
 * its step ran; a store the script cannot begin on (no folder to work in) is reported, and its rules are not.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mapicheck.h"

#define MAX_STORES 16

/* What the first session left in each store for the next steps. */
static struct store_run {
    BOOL scripted; /* a message was saved */
    char name[128];
    SBinary parent, folder, target, message;
    BYTE ids[4][256];
} runs[MAX_STORES];
static char subject[64];
static BOOL script_ok = TRUE;

/* A step of the script: passed (a step line naming its rule) or broken (a violation), printed and recorded. */
static BOOL check(struct store_run *run, BOOL ok, const char *rule, const char *format, ...)
{
    char line[512];
    va_list args;
    int length;

    length = snprintf(line, sizeof(line), "%s: ", run->name);
    va_start(args, format);
    length += vsnprintf(line + length, sizeof(line) - length, format, args);
    va_end(args);
    if (length > 0 && length < (int)sizeof(line)) snprintf(line + length, sizeof(line) - length, " (%s)", rule);
    if (!ok) script_ok = FALSE;
    verdict_note(ok ? MAPIHOST_EVENT_STEP : MAPIHOST_EVENT_VIOLATION, rule, "message store", run->name, line);
    return ok;
}

/* ---- helpers ---- */

static void keep_id(SBinary *kept, BYTE *storage, const SBinary *id)
{
    kept->cb = id->cb <= 256 ? id->cb : 0;
    kept->lpb = storage;
    memcpy(storage, id->lpb, kept->cb);
}

static LONG get_long(void *object, ULONG tag, LONG missing)
{
    SPropValue *value = script_get_prop(object, tag);
    LONG result = value ? (PROP_TYPE(tag) == PT_BOOLEAN ? value->Value.b : value->Value.l) : missing;

    MAPIFreeBuffer(value);
    return result;
}

static HRESULT open_folder(IMsgStore *store, const SBinary *id, IMAPIFolder **folder)
{
    ULONG type = 0;
    HRESULT hr = IMsgStore_OpenEntry(store, id->cb, (ENTRYID *)id->lpb, NULL, MAPI_MODIFY, &type, (IUnknown **)folder);

    if (SUCCEEDED(hr) && type != MAPI_FOLDER) {
        IUnknown_Release((IUnknown *)*folder);
        return MAPI_E_INVALID_OBJECT;
    }
    return hr;
}

/* Whether a table (released here) has a row whose PR_ENTRYID the store calls the same as id; *rows its row count. */
static BOOL table_lists(IMsgStore *store, IMAPITable *table, const SBinary *id, ULONG *rows_seen)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
    SRowSet *rows = NULL;
    ULONG i, same;
    BOOL found = FALSE;

    *rows_seen = 0;
    if (SUCCEEDED(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0))
        && SUCCEEDED(IMAPITable_QueryRows(table, 1000, 0, &rows))) {
        *rows_seen = rows->cRows;
        for (i = 0; i < rows->cRows; i++) {
            const SPropValue *value = rows->aRow[i].lpProps;
            if (id && value->ulPropTag == PR_ENTRYID
                && SUCCEEDED(IMsgStore_CompareEntryIDs(store, value->Value.bin.cb, (ENTRYID *)value->Value.bin.lpb,
                                                       id->cb, (ENTRYID *)id->lpb, 0, &same))
                && same)
                found = TRUE;
            MAPIFreeBuffer(rows->aRow[i].lpProps);
        }
        MAPIFreeBuffer(rows);
    }
    IMAPITable_Release(table);
    return found;
}

static BOOL contents_list(IMsgStore *store, IMAPIFolder *folder, const SBinary *id, ULONG *rows)
{
    IMAPITable *table;

    *rows = 0;
    return SUCCEEDED(IMAPIFolder_GetContentsTable(folder, 0, &table)) && table_lists(store, table, id, rows);
}

/* The folder tree under the root, one line per folder, indented by depth. */
static void show_tree(IMsgStore *store)
{
    SizedSPropTagArray(3, columns) = { 3, { PR_DISPLAY_NAME_A, PR_DEPTH, PR_CONTENT_COUNT } };
    IMAPIFolder *root;
    IMAPITable *table;
    SRowSet *rows;
    ULONG type, i;

    if (FAILED(IMsgStore_OpenEntry(store, 0, NULL, NULL, 0, &type, (IUnknown **)&root))) return;
    if (SUCCEEDED(IMAPIFolder_GetHierarchyTable(root, CONVENIENT_DEPTH, &table))) {
        if (SUCCEEDED(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0))
            && SUCCEEDED(IMAPITable_QueryRows(table, 200, 0, &rows))) {
            printf("  folder tree:\n");
            for (i = 0; i < rows->cRows; i++) {
                const SPropValue *v = rows->aRow[i].lpProps;
                printf("  %*s%s", (int)(2 * (v[1].ulPropTag == PR_DEPTH ? v[1].Value.l : 1)), "",
                       PROP_TYPE(v[0].ulPropTag) == PT_STRING8 ? v[0].Value.lpszA : "?");
                if (v[2].ulPropTag == PR_CONTENT_COUNT) printf(" (%ld messages)", v[2].Value.l);
                printf("\n");
                MAPIFreeBuffer(rows->aRow[i].lpProps);
            }
            MAPIFreeBuffer(rows);
        }
        IMAPITable_Release(table);
    }
    IMAPIFolder_Release(root);
}

/* ---- the first session: special folders, a folder, a message ---- */

/* M1, then the folder the script works in: the IPM subtree, else the root. */
static BOOL special_folders(struct store_run *run, IMsgStore *store)
{
    static const struct {
        ULONG tag, bit;
    } special[] = { { PR_IPM_SUBTREE_ENTRYID, FOLDER_IPM_SUBTREE_VALID },
                    { PR_IPM_OUTBOX_ENTRYID, FOLDER_IPM_OUTBOX_VALID },
                    { PR_IPM_WASTEBASKET_ENTRYID, FOLDER_IPM_WASTEBASKET_VALID },
                    { PR_IPM_SENTMAIL_ENTRYID, FOLDER_IPM_SENTMAIL_VALID } };
    LONG mask = get_long(store, PR_VALID_FOLDER_MASK, 0);
    IMAPIFolder *folder;
    SPropValue *value;
    ULONG i, opened = 0, named = 0;

    run->parent.cb = 0;
    for (i = 0; i < ARRAYSIZE(special); i++) {
        if (!(mask & special[i].bit)) continue;
        named++;
        if (!(value = script_get_prop(store, special[i].tag))) continue;
        if (SUCCEEDED(open_folder(store, &value->Value.bin, &folder))) {
            opened++;
            IMAPIFolder_Release(folder);
            if (i == 0) keep_id(&run->parent, run->ids[0], &value->Value.bin);
        }
        MAPIFreeBuffer(value);
    }
    if (named)
        check(run, opened == named, "M1", "%lu of the %lu special folders PR_VALID_FOLDER_MASK (%#lx) names open",
              opened, named, mask);
    else
        printf("mapicheck: %s names no special folders (PR_VALID_FOLDER_MASK 0): M1 not checked\n", run->name);
    if (!run->parent.cb) {
        /* The root, by its entry ID. */
        ULONG type;
        if (SUCCEEDED(IMsgStore_OpenEntry(store, 0, NULL, NULL, 0, &type, (IUnknown **)&folder))) {
            if ((value = script_get_prop(folder, PR_ENTRYID))) {
                keep_id(&run->parent, run->ids[0], &value->Value.bin);
                MAPIFreeBuffer(value);
            }
            IMAPIFolder_Release(folder);
        }
    }
    return run->parent.cb != 0;
}

static void receive_folder(struct store_run *run, IMsgStore *store)
{
    IMAPIFolder *folder;
    ENTRYID *entry_id;
    ULONG size;
    HRESULT hr;
    SBinary id;

    if (FAILED(hr = IMsgStore_GetReceiveFolder(store, NULL, 0, &size, &entry_id, NULL))) {
        check(run, FALSE, "M2", "GetReceiveFolder(no class) -> %#lx", (unsigned long)hr);
        return;
    }
    id.cb = size;
    id.lpb = (BYTE *)entry_id;
    hr = open_folder(store, &id, &folder);
    check(run, SUCCEEDED(hr), "M2", "the receive folder for ordinary mail opens as a folder -> %#lx",
          (unsigned long)hr);
    if (SUCCEEDED(hr)) IMAPIFolder_Release(folder);
    MAPIFreeBuffer(entry_id);
}

/* M3: the test folder and the target of the move, kept by entry ID. */
static IMAPIFolder *make_folders(struct store_run *run, IMsgStore *store, IMAPIFolder *parent)
{
    char name[96];
    IMAPIFolder *folder = NULL, *twin = NULL, *target = NULL;
    IMAPITable *table;
    SPropValue *id;
    ULONG rows;
    HRESULT hr;
    BOOL listed = FALSE;

    snprintf(name, sizeof(name), "%s", subject);
    hr = IMAPIFolder_CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0, &folder);
    if (!check(run, SUCCEEDED(hr), "M3", "CreateFolder(\"%s\") -> %#lx", name, (unsigned long)hr)) return NULL;
    if ((id = script_get_prop(folder, PR_ENTRYID))) {
        keep_id(&run->folder, run->ids[1], &id->Value.bin);
        MAPIFreeBuffer(id);
        if (SUCCEEDED(IMAPIFolder_GetHierarchyTable(parent, 0, &table)))
            listed = table_lists(store, table, &run->folder, &rows);
    }
    check(run, listed, "M3", "the parent's hierarchy table lists the new folder");
    hr = IMAPIFolder_CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0, &twin);
    check(run, hr == MAPI_E_COLLISION, "M3", "CreateFolder of the same name again -> %#lx (MAPI_E_COLLISION)",
          (unsigned long)hr);
    if (SUCCEEDED(hr)) IMAPIFolder_Release(twin);
    strcat(name, " target");
    if (SUCCEEDED(IMAPIFolder_CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL, 0, &target))) {
        if ((id = script_get_prop(target, PR_ENTRYID))) {
            keep_id(&run->target, run->ids[2], &id->Value.bin);
            MAPIFreeBuffer(id);
        }
        IMAPIFolder_Release(target);
    }
    return folder;
}

/* M4: the message, saved; its entry ID kept. */
static BOOL make_message(struct store_run *run, IMAPIFolder *folder)
{
    SPropValue props[3] = { { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = subject },
                            { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = (char *)"IPM.Note" },
                            { .ulPropTag = PR_BODY_A, .Value.lpszA = (char *)"written by mapicheck --store" } };
    SPropValue recipient[3] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = (char *)"mapicheck" },
                                { .ulPropTag = PR_ADDRTYPE_A, .Value.lpszA = (char *)"SMTP" },
                                { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    SPropValue attachment[2] = { { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE },
                                 { .ulPropTag = PR_ATTACH_DATA_BIN, .Value.bin = { 8, (BYTE *)"mapicheck" } } };
    struct {
        ULONG count;
        ADRENTRY entries[1];
    } list = { 1, { { 0, 3, recipient } } };
    IMessage *message;
    IAttach *attach;
    SPropValue *id;
    ULONG number;
    HRESULT hr;

    hr = IMAPIFolder_CreateMessage(folder, NULL, 0, &message);
    if (!check(run, SUCCEEDED(hr), "M4", "CreateMessage -> %#lx", (unsigned long)hr)) return FALSE;
    if (SUCCEEDED(hr = IMessage_SetProps(message, 3, props, NULL))
        && SUCCEEDED(hr = IMessage_ModifyRecipients(message, MODRECIP_ADD, (ADRLIST *)&list))
        && SUCCEEDED(hr = IMessage_CreateAttach(message, NULL, 0, &number, &attach))) {
        if (SUCCEEDED(hr = IAttach_SetProps(attach, 2, attachment, NULL))) hr = IAttach_SaveChanges(attach, 0);
        IAttach_Release(attach);
    }
    if (SUCCEEDED(hr)) hr = IMessage_SaveChanges(message, KEEP_OPEN_READWRITE);
    if (check(run, SUCCEEDED(hr), "M4", "properties, a recipient and an attachment, then SaveChanges -> %#lx",
              (unsigned long)hr)
        && (id = script_get_prop(message, PR_ENTRYID))) {
        keep_id(&run->message, run->ids[3], &id->Value.bin);
        MAPIFreeBuffer(id);
    }
    if (SUCCEEDED(hr))
        check(run,
              run->message.cb && get_long(message, PR_HASATTACH, FALSE) && get_long(message, PR_MESSAGE_SIZE, 0) > 0,
              "M4", "the saved message has an entry ID (%lu bytes), PR_HASATTACH %ld, PR_MESSAGE_SIZE %ld",
              run->message.cb, get_long(message, PR_HASATTACH, -1), get_long(message, PR_MESSAGE_SIZE, -1));
    IMessage_Release(message);
    return SUCCEEDED(hr) && run->message.cb;
}

static void create_in_store(IMAPISession *session, ULONG index, IMsgStore *store)
{
    struct store_run *run = &runs[index];
    struct counting_sink sink;
    IMAPIFolder *parent, *folder;
    SPropValue *name;
    ULONG_PTR connection = 0;
    ULONG rows;
    BOOL listed;

    script_sink_init(&sink);
    if (index >= MAX_STORES) return;
    memset(run, 0, sizeof(*run));
    snprintf(run->name, sizeof(run->name), "store %lu", index);
    if ((name = script_get_prop(store, PR_DISPLAY_NAME_A))) {
        snprintf(run->name, sizeof(run->name), "%s", name->Value.lpszA);
        MAPIFreeBuffer(name);
    }
    show_tree(store);
    if (!special_folders(run, store) || FAILED(open_folder(store, &run->parent, &parent))) {
        printf("mapicheck: %s has no folder the script can work in: M2-M10 not checked\n", run->name);
        return;
    }
    receive_folder(run, store);
    if ((folder = make_folders(run, store, parent))) {
        IMsgStore_Advise(store, run->folder.cb, (ENTRYID *)run->folder.lpb, fnevObjectCreated,
                         &sink.IMAPIAdviseSink_iface, &connection);
        run->scripted = make_message(run, folder);
        if (run->scripted) {
            if (connection)
                check(run, sink.created > 0, "M9", "the folder's advise sink heard fnevObjectCreated %ld times",
                      sink.created);
            listed = contents_list(store, folder, &run->message, &rows);
            check(run, listed && get_long(folder, PR_CONTENT_COUNT, -1) == 1, "M5",
                  "the contents table lists the message (%lu rows), PR_CONTENT_COUNT %ld", rows,
                  get_long(folder, PR_CONTENT_COUNT, -1));
        }
        if (connection) IMsgStore_Unadvise(store, connection);
        IMAPIFolder_Release(folder);
    }
    IMAPIFolder_Release(parent);
}

/* ---- the reopen, in a process of its own ---- */

static void hex_of(const SBinary *id, char *out)
{
    ULONG i;

    for (i = 0; i < id->cb; i++) sprintf(out + 2 * i, "%02X", id->lpb[i]);
    out[2 * id->cb] = 0;
}

int store_mode_reopen(const char *profile, const char *hex, const char *expected)
{
    IMsgStore *stores[MAX_STORES];
    IMAPISession *session;
    IMessage *message;
    SPropValue *value;
    BYTE id[256];
    ULONG size = 0, type, count, i, byte;
    HRESULT hr;
    BOOL found = FALSE;

    while (size < sizeof(id) && sscanf(hex + 2 * size, "%2lx", &byte) == 1) id[size++] = (BYTE)byte;
    if (FAILED(MAPIInitialize(NULL))) return 2;
    if (FAILED(MAPILogonEx(0, (LPTSTR)profile, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session))) {
        MAPIUninitialize();
        return 2;
    }
    count = profile_mode_open_stores(session, stores, MAX_STORES);
    hr = IMAPISession_OpenEntry(session, size, (ENTRYID *)id, NULL, 0, &type, (IUnknown **)&message);
    printf("mapicheck: another process: IMAPISession::OpenEntry(the message) -> %#lx\n", (unsigned long)hr);
    if (SUCCEEDED(hr)) {
        if (type == MAPI_MESSAGE && (value = script_get_prop(message, PR_SUBJECT_A))) {
            found = !strcmp(value->Value.lpszA, expected);
            MAPIFreeBuffer(value);
        }
        IMessage_Release(message);
    }
    for (i = 0; i < count; i++) IMsgStore_Release(stores[i]);
    IMAPISession_Logoff(session, 0, 0, 0);
    IMAPISession_Release(session);
    MAPIUninitialize();
    return found ? 0 : 1;
}

static void reopen_elsewhere(const char *profile, struct store_run *run)
{
    STARTUPINFOA startup = { .cb = sizeof(startup) };
    PROCESS_INFORMATION process;
    char self[MAX_PATH], hex[520], command[2 * MAX_PATH + 700];
    DWORD code = 99;

    GetModuleFileNameA(NULL, self, sizeof(self));
    hex_of(&run->message, hex);
    snprintf(command, sizeof(command), "\"%s\" --store-reopen \"%s\" %s \"%s\"", self, profile, hex, subject);
    if (CreateProcessA(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &process))
        code = child_wait(&process, "another process's session");
    check(run, code == 0, "M6",
          "another process's session opens the message by its entry ID, subject and all (exit %lu)", code);
}

/* ---- the second session: move, delete, and the store as it was ---- */

static void finish_in_store(IMAPISession *session, ULONG index, IMsgStore *store)
{
    struct store_run *run = &runs[index];
    struct counting_sink sink;
    IMAPIFolder *parent = NULL, *folder = NULL, *target = NULL;
    SBinary *moved = NULL;
    ENTRYLIST list = { 1, &run->message };
    ULONG_PTR connection = 0;
    IMAPITable *table;
    SRowSet *rows;
    ULONG count;
    HRESULT hr;
    BOOL gone;

    script_sink_init(&sink);
    if (index >= MAX_STORES || !run->scripted) return;
    if (FAILED(open_folder(store, &run->parent, &parent)) || FAILED(open_folder(store, &run->folder, &folder))
        || !run->target.cb || FAILED(open_folder(store, &run->target, &target))) {
        check(run, FALSE, "M6", "the folders made in the first session open again by their entry IDs");
        goto done;
    }
    IMsgStore_Advise(store, run->folder.cb, (ENTRYID *)run->folder.lpb, fnevObjectMoved | fnevObjectDeleted,
                     &sink.IMAPIAdviseSink_iface, &connection);
    hr = IMAPIFolder_CopyMessages(folder, &list, NULL, target, 0, NULL, MESSAGE_MOVE);
    check(run,
          SUCCEEDED(hr) && get_long(folder, PR_CONTENT_COUNT, -1) == 0 && get_long(target, PR_CONTENT_COUNT, -1) == 1,
          "M7", "CopyMessages(MESSAGE_MOVE) -> %#lx; the counts are now %ld and %ld", (unsigned long)hr,
          get_long(folder, PR_CONTENT_COUNT, -1), get_long(target, PR_CONTENT_COUNT, -1));
    if (connection) {
        check(run, sink.moved + sink.deleted > 0, "M9",
              "the folder's advise sink heard the message leave (%ld moved, %ld deleted)", sink.moved, sink.deleted);
        IMsgStore_Unadvise(store, connection);
    }
    /* The message in the target folder, whatever entry ID the move gave it. */
    if (SUCCEEDED(IMAPIFolder_GetContentsTable(target, 0, &table))) {
        SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
        if (SUCCEEDED(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0))
            && SUCCEEDED(IMAPITable_QueryRows(table, 1, 0, &rows))) {
            if (rows->cRows && rows->aRow[0].lpProps[0].ulPropTag == PR_ENTRYID) {
                moved = &rows->aRow[0].lpProps[0].Value.bin;
                list.lpbin = moved;
                hr = IMAPIFolder_DeleteMessages(target, &list, 0, NULL, 0);
                gone = !contents_list(store, target, NULL, &count) && count == 0;
                check(run, hr == S_OK && gone && get_long(target, PR_CONTENT_COUNT, -1) == 0, "M8",
                      "DeleteMessages -> %#lx; the folder's table has %lu rows, PR_CONTENT_COUNT %ld",
                      (unsigned long)hr, count, get_long(target, PR_CONTENT_COUNT, -1));
            }
            if (rows->cRows) MAPIFreeBuffer(rows->aRow[0].lpProps);
            MAPIFreeBuffer(rows);
        }
        IMAPITable_Release(table);
    }
    IMAPIFolder_Release(folder);
    IMAPIFolder_Release(target);
    folder = target = NULL;
    hr = IMAPIFolder_DeleteFolder(parent, run->folder.cb, (ENTRYID *)run->folder.lpb, 0, NULL,
                                  DEL_MESSAGES | DEL_FOLDERS);
    if (SUCCEEDED(hr))
        hr = IMAPIFolder_DeleteFolder(parent, run->target.cb, (ENTRYID *)run->target.lpb, 0, NULL,
                                      DEL_MESSAGES | DEL_FOLDERS);
    gone = SUCCEEDED(hr) && SUCCEEDED(IMAPIFolder_GetHierarchyTable(parent, 0, &table))
           && !table_lists(store, table, &run->folder, &count);
    check(run, gone, "M10",
          "DeleteFolder(DEL_MESSAGES | DEL_FOLDERS) of both folders -> %#lx; the parent no longer lists them",
          (unsigned long)hr);
    show_tree(store);
done:
    if (folder) IMAPIFolder_Release(folder);
    if (target) IMAPIFolder_Release(target);
    if (parent) IMAPIFolder_Release(parent);
}

int store_mode_check(const char *profile)
{
    BOOL unloaded, logged_on, first, second = TRUE;
    ULONG i;

    snprintf(subject, sizeof(subject), "mapicheck store %lu", GetCurrentProcessId());
    printf("mapicheck: the store script over profile %s, first session\n", profile);
    first = profile_mode_run(profile, create_in_store, &unloaded, &logged_on);
    if (!logged_on) return verdict_bad_input("MAPILogonEx failed: no session over this profile");
    for (i = 0; i < MAX_STORES; i++)
        if (runs[i].scripted) reopen_elsewhere(profile, &runs[i]);
    printf("mapicheck: the store script, second session\n");
    second = profile_mode_run(profile, finish_in_store, &unloaded, &logged_on);
    return verdict_give(first && second && script_ok, unloaded);
}
