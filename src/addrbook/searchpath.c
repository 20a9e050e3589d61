/*
 * The address book's search path (IAddrBook::GetSearchPath, SetSearchPath): the path SetSearchPath gave, for the rest
 * of the session (this host keeps it in the session, not in the profile), else every top-level container of the
 * root hierarchy that holds recipients (AB_RECIPIENTS), in provider order, with PR_ENTRYID and PR_DISPLAY_NAME.
 */
#include <stdlib.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "propval.h"
#include "core.h"
#include "table.h"

static HRESULT copy_rows(const SRowSet *rows, SRowSet **copy)
{
    ULONG i;
    HRESULT hr;

    if ((hr = MAPIAllocateBuffer(offsetof(SRowSet, aRow[rows->cRows + 1]), (void **)copy)) != S_OK) return hr;
    (*copy)->cRows = 0;
    for (i = 0; i < rows->cRows; i++) {
        SRow *row = &(*copy)->aRow[i];
        row->ulAdrEntryPad = 0;
        row->cValues = rows->aRow[i].cValues;
        if ((hr = props_copy(row->cValues, rows->aRow[i].lpProps, &row->lpProps)) != S_OK) {
            FreeProws(*copy);
            *copy = NULL;
            return hr;
        }
        (*copy)->cRows++;
    }
    return S_OK;
}

HRESULT searchpath_get(struct session *session, SRowSet **path)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_A } };
    SRestriction recipients = { RES_BITMASK, { .resBitMask = { BMR_NEZ, PR_CONTAINER_FLAGS, AB_RECIPIENTS } } };
    struct table_data *containers;
    IMAPITable *view;
    HRESULT hr;

    *path = NULL;
    EnterCriticalSection(&session->cs);
    hr = session->search_path ? copy_rows(session->search_path, path) : S_FALSE;
    LeaveCriticalSection(&session->cs);
    if (hr != S_FALSE) return hr;
    if ((hr = abroot_containers(session, &containers)) != S_OK) return hr;
    if ((hr = tabledata_open_view(containers, &view)) == S_OK) {
        hr = HrQueryAllRows(view, (SPropTagArray *)&columns, &recipients, NULL, 0, path);
        IMAPITable_Release(view);
    }
    tabledata_release(containers);
    return hr;
}

HRESULT searchpath_set(struct session *session, const SRowSet *path)
{
    SRowSet *copy, *old;
    ULONG i;
    HRESULT hr;

    for (i = 0; i < path->cRows; i++)
        if (!props_find(path->aRow[i].cValues, path->aRow[i].lpProps, PR_ENTRYID)) return MAPI_E_INVALID_PARAMETER;
    if ((hr = copy_rows(path, &copy)) != S_OK) return hr;
    EnterCriticalSection(&session->cs);
    old = session->search_path;
    session->search_path = copy;
    LeaveCriticalSection(&session->cs);
    FreeProws(old);
    return S_OK;
}
