/*
 * Tables: a table's rows (struct table_data, keyed by PR_ROWID and owned by whoever fills it, such as the session's
 * status table) and any number of IMAPITable views of them, each with its own columns, restriction and cursor.
 * Views are dynamic: a change to the rows is seen by every view and announced to its sinks as TABLE_CHANGED.
 */
#ifndef MAPIHOST_TABLE_H
#define MAPIHOST_TABLE_H

#include <windows.h>
#include "mapihost_defs.h"

struct table_data;

/* columns: what a new view shows until SetColumns. */
struct table_data *tabledata_create(ULONG column_count, const ULONG *columns);
void tabledata_addref(struct table_data *data);
void tabledata_release(struct table_data *data);
/* Inserts the row whose PR_ROWID is in values, or replaces the row with that PR_ROWID. */
HRESULT tabledata_set_row(struct table_data *data, ULONG count, const SPropValue *values);
HRESULT tabledata_delete_row(struct table_data *data, ULONG rowid);
ULONG tabledata_row_count(struct table_data *data);
HRESULT tabledata_open_view(struct table_data *data, IMAPITable **table);

#endif
