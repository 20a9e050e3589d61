/*
 * A MAPI client built outside mapihost's tree against the installed package: a session over the profile given, the
 * fast-shutdown interface asked for (its IID comes from the package's IIDs), the status table counted, the orderly
 * shutdown. Prints "client: PASS" and exits 0 when every step succeeded.
 */
#include <stdio.h>
#include <windows.h>

#include "mapihost.h"
#include "mapihost_x.h"

int main(int argc, char **argv)
{
    IMAPIClientShutdown *client;
    IMAPISession *session;
    IMAPITable *table;
    ULONG rows = 0;
    HRESULT hr;
    BOOL ok;

    if (argc != 2) return 2;
    if (FAILED(hr = MAPIInitialize(NULL))
        || FAILED(hr = MAPILogonEx(0, argv[1], NULL, MAPI_EXTENDED | MAPI_NEW_SESSION, &session))) {
        printf("client: no session over %s: %#lx\n", argv[1], (unsigned long)hr);
        return 1;
    }
    if (SUCCEEDED(hr = IMAPISession_QueryInterface(session, &IID_IMAPIClientShutdown, (void **)&client)))
        IMAPIClientShutdown_Release(client);
    if (SUCCEEDED(hr) && SUCCEEDED(hr = IMAPISession_GetStatusTable(session, 0, &table))) {
        hr = IMAPITable_GetRowCount(table, 0, &rows);
        IMAPITable_Release(table);
    }
    printf("client: IMAPIClientShutdown and the status table -> %#lx, %lu status rows\n", (unsigned long)hr, rows);
    if (SUCCEEDED(hr)) hr = IMAPISession_Logoff(session, 0, 0, 0);
    IMAPISession_Release(session);
    MAPIUninitialize();
    /* MAPI's own row, the spooler's and the transport's; the provider DLL gone after the last MAPIUninitialize */
    ok = SUCCEEDED(hr) && rows == 3 && !MapihostLoadedLibraries();
    printf("client: %s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
