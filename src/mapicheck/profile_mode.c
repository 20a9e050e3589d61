/*
 * mapicheck's profile mode: a real client session over a profile, as an ordinary MAPI client drives it. Logon,
 * every store of the message-store table opened, the address book opened and each logon's identity looked up in
 * it, MAPI's root container, the search path and its containers' contents listed, the status table shown, the
 * client's objects released, Logoff, MAPIUninitialize. Afterwards the session must hold nothing of any provider
 * (H12-H15, H20-H22) and every provider DLL must be gone (H23).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "mapihost_x.h"
#include "mapihost.h"
#include "mapicheck.h"

static void print_string(const char *label, const SPropValue *value)
{
    if (PROP_TYPE(value->ulPropTag) == PT_STRING8)
        printf("%s%s", label, value->Value.lpszA);
    else if (PROP_TYPE(value->ulPropTag) == PT_UNICODE)
        printf("%s%ls", label, value->Value.lpszW);
}

/* The first rows of a table in the given columns, as one MAPI row set; the table is released. */
static SRowSet *query_rows(IMAPITable *table, SPropTagArray *columns)
{
    SRowSet *rows = NULL;

    if (FAILED(IMAPITable_SetColumns(table, columns, 0)) || FAILED(IMAPITable_QueryRows(table, 100, 0, &rows)))
        rows = NULL;
    IMAPITable_Release(table);
    return rows;
}

static void free_rows(SRowSet *rows)
{
    ULONG i;

    for (i = 0; i < rows->cRows; i++) MAPIFreeBuffer(rows->aRow[i].lpProps);
    MAPIFreeBuffer(rows);
}

/* Prints what an object a provider handed out calls itself. */
static void print_display_name(const char *label, IMAPIProp *object)
{
    SizedSPropTagArray(1, name_tag) = { 1, { PR_DISPLAY_NAME_A } };
    SPropValue *name;
    ULONG count;

    if (FAILED(IMAPIProp_GetProps(object, (SPropTagArray *)&name_tag, 0, &count, &name))) return;
    print_string(label, name);
    printf("\n");
    MAPIFreeBuffer(name);
}

/* The status table's columns mapicheck shows, and the identity it opens. */
enum { STATUS_NAME, STATUS_TYPE, STATUS_CODE, STATUS_DLL, STATUS_IDENTITY, STATUS_COLUMNS };

static void show_status_table(const SRowSet *rows)
{
    ULONG i;

    printf("status table: %lu rows\n", rows->cRows);
    for (i = 0; i < rows->cRows; i++) {
        const SPropValue *v = rows->aRow[i].lpProps;
        print_string("  ", &v[STATUS_NAME]);
        printf(" | type %lu | status %#lx", v[STATUS_TYPE].Value.ul, v[STATUS_CODE].Value.ul);
        print_string(" | ", &v[STATUS_DLL]);
        printf("\n");
    }
}

ULONG profile_mode_open_stores(IMAPISession *session, IMsgStore **stores, ULONG max)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_A } };
    IMAPITable *table;
    SRowSet *rows;
    ULONG i, opened = 0;

    if (FAILED(IMAPISession_GetMsgStoresTable(session, 0, &table))
        || !(rows = query_rows(table, (SPropTagArray *)&columns)))
        return 0;
    for (i = 0; i < rows->cRows && opened < max; i++) {
        const SBinary *id = &rows->aRow[i].lpProps[0].Value.bin;
        IMsgStore *store;
        HRESULT hr;

        hr = IMAPISession_OpenMsgStore(session, 0, id->cb, (ENTRYID *)id->lpb, NULL, MDB_NO_DIALOG, &store);
        printf("OpenMsgStore(%s) -> %#lx\n", rows->aRow[i].lpProps[1].Value.lpszA, (unsigned long)hr);
        if (FAILED(hr)) continue;
        print_display_name("  the store calls itself ", (IMAPIProp *)store);
        stores[opened++] = store;
    }
    free_rows(rows);
    return opened;
}

/* Opens, through the address book, each identity a status row announces. */
static void open_identities(IMAPISession *session, const SRowSet *rows)
{
    IAddrBook *address_book;
    ULONG i, type;

    if (FAILED(IMAPISession_OpenAddressBook(session, 0, NULL, 0, &address_book))) return;
    for (i = 0; i < rows->cRows; i++) {
        const SPropValue *id = &rows->aRow[i].lpProps[STATUS_IDENTITY];
        IMAPIProp *entry;
        HRESULT hr;

        if (id->ulPropTag != PR_IDENTITY_ENTRYID) continue;
        hr = IAddrBook_OpenEntry(address_book, id->Value.bin.cb, (ENTRYID *)id->Value.bin.lpb, NULL, 0, &type,
                                 (IUnknown **)&entry);
        printf("IAddrBook::OpenEntry(identity) -> %#lx\n", (unsigned long)hr);
        if (FAILED(hr)) continue;
        print_display_name("  the entry is ", entry);
        IMAPIProp_Release(entry);
    }
    IAddrBook_Release(address_book);
}

/* Prints the display names of a table's rows on one line after label; the table is released. */
static void print_names(const char *label, IMAPITable *table)
{
    SizedSPropTagArray(1, names) = { 1, { PR_DISPLAY_NAME_A } };
    SRowSet *rows;
    ULONG i;

    if (!(rows = query_rows(table, (SPropTagArray *)&names))) return;
    printf("%s%lu rows", label, rows->cRows);
    for (i = 0; i < rows->cRows; i++) print_string(i ? ", " : ": ", &rows->aRow[i].lpProps[0]);
    printf("\n");
    free_rows(rows);
}

/* The address book as a client sees it: MAPI's root and its hierarchy, each container of the search path with its
 * contents (the providers' tables), and the session's identity. */
static void show_address_book(IMAPISession *session)
{
    IAddrBook *address_book;
    IABContainer *container;
    IMAPITable *table;
    SRowSet *path;
    ENTRYID *identity;
    ULONG i, type, size;
    HRESULT hr;

    if (FAILED(IMAPISession_OpenAddressBook(session, 0, NULL, 0, &address_book))) return;
    hr = IAddrBook_OpenEntry(address_book, 0, NULL, NULL, 0, &type, (IUnknown **)&container);
    printf("IAddrBook::OpenEntry(root) -> %#lx\n", (unsigned long)hr);
    if (SUCCEEDED(hr)) {
        if (SUCCEEDED(IABContainer_GetHierarchyTable(container, 0, &table))) print_names("  hierarchy: ", table);
        IABContainer_Release(container);
    }
    if (SUCCEEDED(IAddrBook_GetSearchPath(address_book, 0, &path))) {
        for (i = 0; i < path->cRows; i++) {
            const SPropValue *id = &path->aRow[i].lpProps[0];
            if (id->ulPropTag != PR_ENTRYID
                || FAILED(IAddrBook_OpenEntry(address_book, id->Value.bin.cb, (ENTRYID *)id->Value.bin.lpb, NULL, 0,
                                              &type, (IUnknown **)&container)))
                continue;
            print_string("  search path: ", &path->aRow[i].lpProps[1]);
            printf("\n");
            if (SUCCEEDED(IABContainer_GetContentsTable(container, 0, &table))) print_names("    contents: ", table);
            IABContainer_Release(container);
        }
        free_rows(path);
    }
    hr = IMAPISession_QueryIdentity(session, &size, &identity);
    printf("IMAPISession::QueryIdentity -> %#lx\n", (unsigned long)hr);
    if (SUCCEEDED(hr)) MAPIFreeBuffer(identity);
    IAddrBook_Release(address_book);
}

BOOL profile_mode_run(const char *profile, store_script *check_store, BOOL *unloaded, BOOL *logged_on)
{
    SizedSPropTagArray(STATUS_COLUMNS, status_columns) = { STATUS_COLUMNS,
                                                           { [STATUS_NAME] = PR_DISPLAY_NAME_A,
                                                             [STATUS_TYPE] = PR_RESOURCE_TYPE,
                                                             [STATUS_CODE] = PR_STATUS_CODE,
                                                             [STATUS_DLL] = PR_PROVIDER_DLL_NAME_A,
                                                             [STATUS_IDENTITY] = PR_IDENTITY_ENTRYID } };
    MAPIHOST_SESSION_STATE state;
    SRowSet *status_rows;
    IMAPITable *table;
    IMsgStore *stores[16];
    IMAPISession *session;
    ULONG store_count, i;
    BOOL clean = TRUE;
    HRESULT hr;

    *unloaded = *logged_on = FALSE;
    printf("mapicheck: profile %s\n", profile);
    if (FAILED(hr = MAPIInitialize(NULL))) {
        printf("MAPIInitialize failed: %#lx\n", (unsigned long)hr);
        return FALSE;
    }
    hr = MAPILogonEx(0, (LPTSTR)profile, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session);
    printf("MAPILogonEx -> %#lx\n", (unsigned long)hr);
    if ((*logged_on = SUCCEEDED(hr))) {
        store_count = profile_mode_open_stores(session, stores, ARRAYSIZE(stores));
        for (i = 0; check_store && i < store_count; i++) check_store(session, i, stores[i]);
        /* One look at the status table, with the stores open: their rows are there too. */
        if (SUCCEEDED(IMAPISession_GetStatusTable(session, 0, &table))
            && (status_rows = query_rows(table, (SPropTagArray *)&status_columns))) {
            open_identities(session, status_rows);
            show_address_book(session);
            show_status_table(status_rows);
            free_rows(status_rows);
        }
        /* A client releases what it opened before Logoff (ending-a-mapi-session.md): each store then logs itself
         * off through its support object (spec §4.2). */
        for (i = 0; i < store_count; i++) IMsgStore_Release(stores[i]);
        hr = IMAPISession_Logoff(session, 0, 0, 0);
        printf("IMAPISession::Logoff -> %#lx\n", (unsigned long)hr);
        if (SUCCEEDED(MapihostGetSessionState((IUnknown *)session, &state))) {
            printf("after Logoff: %lu MAPIUIDs, %lu status rows, %lu logons, %lu support objects held, "
                   "%lu provider objects\n",
                   state.uids, state.status_rows, state.logons, state.supports, state.providers);
            clean = !state.uids && state.status_rows == 1 && !state.logons && !state.supports && !state.providers;
        }
        IMAPISession_Release(session);
    }
    printf("provider DLLs loaded before the last MAPIUninitialize: %lu\n", MapihostLoadedLibraries());
    MAPIUninitialize();
    *unloaded = !MapihostLoadedLibraries();
    return SUCCEEDED(hr) && clean;
}

int profile_mode_check(const char *profile)
{
    BOOL unloaded, logged_on, ok = profile_mode_run(profile, NULL, &unloaded, &logged_on);

    return logged_on ? verdict_give(ok, unloaded)
                     : verdict_bad_input("MAPILogonEx failed: no session over "
                                         "this profile");
}
