/*
 * mapicheck's profile mode: a real client session over a profile, as an ordinary MAPI client drives it. Logon,
 * every store of the message-store table opened, the address book opened and each logon's identity looked up in
 * it, the status table shown, the client's objects released, Logoff, MAPIUninitialize. Afterwards the session must
 * hold nothing of any provider (H12-H15, H20-H22) and every provider DLL must be gone (H23).
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
    if (PROP_TYPE(value->ulPropTag) == PT_STRING8) printf("%s%s", label, value->Value.lpszA);
    else if (PROP_TYPE(value->ulPropTag) == PT_UNICODE) printf("%s%ls", label, value->Value.lpszW);
}

static void show_status_table(IMAPISession *session)
{
    SizedSPropTagArray(4, columns) = { 4, { PR_DISPLAY_NAME_A, PR_RESOURCE_TYPE, PR_STATUS_CODE,
                                            PR_PROVIDER_DLL_NAME_A } };
    IMAPITable *table;
    SRowSet *rows;
    ULONG i;

    if (FAILED(IMAPISession_GetStatusTable(session, 0, &table))) return;
    if (SUCCEEDED(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0))
        && SUCCEEDED(IMAPITable_QueryRows(table, 100, 0, &rows))) {
        printf("status table: %lu rows\n", rows->cRows);
        for (i = 0; i < rows->cRows; i++) {
            const SPropValue *v = rows->aRow[i].lpProps;
            print_string("  ", &v[0]);
            printf(" | type %lu | status %#lx", v[1].Value.ul, v[2].Value.ul);
            print_string(" | ", &v[3]);
            printf("\n");
            MAPIFreeBuffer(rows->aRow[i].lpProps);
        }
        MAPIFreeBuffer(rows);
    }
    IMAPITable_Release(table);
}

/* Opens each store of the message-store table and shows its display name; the stores stay open. */
static ULONG open_stores(IMAPISession *session, IMsgStore **stores, ULONG max)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_A } };
    SizedSPropTagArray(1, name_tag) = { 1, { PR_DISPLAY_NAME_A } };
    IMAPITable *table;
    SRowSet *rows;
    ULONG i, count, opened = 0;

    if (FAILED(IMAPISession_GetMsgStoresTable(session, 0, &table))) return 0;
    if (SUCCEEDED(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0))
        && SUCCEEDED(IMAPITable_QueryRows(table, 100, 0, &rows))) {
        for (i = 0; i < rows->cRows && opened < max; i++) {
            const SBinary *id = &rows->aRow[i].lpProps[0].Value.bin;
            IMsgStore *store;
            SPropValue *name;
            HRESULT hr;

            hr = IMAPISession_OpenMsgStore(session, 0, id->cb, (ENTRYID *)id->lpb, NULL, MDB_NO_DIALOG, &store);
            printf("OpenMsgStore(%s) -> %#lx\n", rows->aRow[i].lpProps[1].Value.lpszA, (unsigned long)hr);
            if (FAILED(hr)) continue;
            if (SUCCEEDED(IMsgStore_GetProps(store, (SPropTagArray *)&name_tag, 0, &count, &name))) {
                print_string("  the store calls itself ", name);
                printf("\n");
                MAPIFreeBuffer(name);
            }
            stores[opened++] = store;
        }
        for (i = 0; i < rows->cRows; i++) MAPIFreeBuffer(rows->aRow[i].lpProps);
        MAPIFreeBuffer(rows);
    }
    IMAPITable_Release(table);
    return opened;
}

/* Opens, through the address book, each identity a status row announces. */
static void open_identities(IMAPISession *session)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_IDENTITY_ENTRYID } };
    SizedSPropTagArray(1, name_tag) = { 1, { PR_DISPLAY_NAME_A } };
    IAddrBook *address_book;
    IMAPITable *table;
    SRowSet *rows;
    ULONG i, type, count;

    if (FAILED(IMAPISession_OpenAddressBook(session, 0, NULL, 0, &address_book))) return;
    if (SUCCEEDED(IMAPISession_GetStatusTable(session, 0, &table))) {
        if (SUCCEEDED(IMAPITable_SetColumns(table, (SPropTagArray *)&columns, 0))
            && SUCCEEDED(IMAPITable_QueryRows(table, 100, 0, &rows))) {
            for (i = 0; i < rows->cRows; i++) {
                const SPropValue *id = &rows->aRow[i].lpProps[0];
                IMAPIProp *entry;
                SPropValue *name;
                HRESULT hr;

                if (id->ulPropTag != PR_IDENTITY_ENTRYID) continue;
                hr = IAddrBook_OpenEntry(address_book, id->Value.bin.cb, (ENTRYID *)id->Value.bin.lpb, NULL, 0,
                                         &type, (IUnknown **)&entry);
                printf("IAddrBook::OpenEntry(identity) -> %#lx\n", (unsigned long)hr);
                if (FAILED(hr)) continue;
                if (SUCCEEDED(IMAPIProp_GetProps(entry, (SPropTagArray *)&name_tag, 0, &count, &name))) {
                    print_string("  the entry is ", name);
                    printf("\n");
                    MAPIFreeBuffer(name);
                }
                IMAPIProp_Release(entry);
            }
            for (i = 0; i < rows->cRows; i++) MAPIFreeBuffer(rows->aRow[i].lpProps);
            MAPIFreeBuffer(rows);
        }
        IMAPITable_Release(table);
    }
    IAddrBook_Release(address_book);
}

int mapicheck_session(const char *profile)
{
    MAPIHOST_SESSION_STATE state;
    IMsgStore *stores[16];
    IMAPISession *session;
    ULONG store_count, i;
    BOOL clean = TRUE;
    HRESULT hr;

    printf("mapicheck: profile %s\n", profile);
    if (FAILED(hr = MAPIInitialize(NULL))) {
        printf("MAPIInitialize failed: %#lx\n", (unsigned long)hr);
        return 1;
    }
    hr = MAPILogonEx(0, (LPTSTR)profile, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session);
    printf("MAPILogonEx -> %#lx\n", (unsigned long)hr);
    if (SUCCEEDED(hr)) {
        store_count = open_stores(session, stores, ARRAYSIZE(stores));
        open_identities(session);
        show_status_table(session);
        /* A client releases what it opened before Logoff (ending-a-mapi-session.md): each store then logs itself
         * off through its support object (spec §4.2). */
        for (i = 0; i < store_count; i++) IMsgStore_Release(stores[i]);
        hr = IMAPISession_Logoff(session, 0, 0, 0);
        printf("IMAPISession::Logoff -> %#lx\n", (unsigned long)hr);
        if (SUCCEEDED(MapihostGetSessionState((IUnknown *)session, &state))) {
            printf("after Logoff: %lu MAPIUIDs, %lu status rows, %lu logons, %lu support objects held, "
                   "%lu provider objects\n", state.uids, state.status_rows, state.logons, state.supports,
                   state.providers);
            clean = !state.uids && state.status_rows == 1 && !state.logons && !state.supports && !state.providers;
        }
        IMAPISession_Release(session);
    }
    printf("provider DLLs loaded before the last MAPIUninitialize: %lu\n", MapihostLoadedLibraries());
    MAPIUninitialize();
    return mapicheck_verdict(SUCCEEDED(hr) && clean, !MapihostLoadedLibraries());
}
