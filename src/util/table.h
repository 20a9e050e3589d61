/*
 * Tables: a table's rows (struct table_data: insertion order, an index column, sparse rows) and any number of
 * IMAPITable views of them (spec U10-U61, see table.c). The host's own tables (status, message stores, profiles,
 * services, providers) are keyed by PR_ROWID; CreateTable's ITableData (createtable.c) by any index column.
 */
#ifndef MAPIHOST_TABLE_H
#define MAPIHOST_TABLE_H

#include <windows.h>
#include "mapihost_defs.h"
#include "mapihost_util.h"
#include "propval.h"

struct table_data;

/* columns: what a new view shows until SetColumns. The host's tables: index PR_ROWID, dynamic, host allocators. */
struct table_data *tabledata_create(ULONG column_count, const ULONG *columns);
struct table_data *tabledata_create_ex(ULONG index_tag, ULONG type, const struct mapi_allocators *alloc,
                                       ULONG column_count, const ULONG *columns);
void tabledata_addref(struct table_data *data);
void tabledata_release(struct table_data *data);

/* The ITableData operations (U14-U20); every change is seen by every view and notified to its sinks. */
HRESULT tabledata_modify_row(struct table_data *data, const SRow *row);
HRESULT tabledata_insert_row(struct table_data *data, ULONG position, const SRow *row);
HRESULT tabledata_modify_rows(struct table_data *data, const SRowSet *rows);
HRESULT tabledata_delete_key(struct table_data *data, const SPropValue *key);
HRESULT tabledata_delete_rows(struct table_data *data, ULONG flags, const SRowSet *rows, ULONG *deleted);
HRESULT tabledata_query_row(struct table_data *data, const SPropValue *key, SRow **row, ULONG *index);
HRESULT tabledata_enum_row(struct table_data *data, ULONG number, SRow **row);
HRESULT tabledata_notify_row(struct table_data *data, ULONG count, const SPropValue *values);

/* The host's tables: inserts the row whose PR_ROWID is in values, or replaces the row with that PR_ROWID. */
HRESULT tabledata_set_row(struct table_data *data, ULONG count, const SPropValue *values);
HRESULT tabledata_delete_row(struct table_data *data, ULONG rowid);
ULONG tabledata_row_count(struct table_data *data);

/* A new view (U21): sorted as given, cursor at the start; release(caller_data, owner, view) at its last Release. */
HRESULT tabledata_open_view_ex(struct table_data *data, const SSortOrderSet *sort, CALLERRELEASE *release,
                               ULONG_PTR caller_data, ITableData *owner, IMAPITable **table);
HRESULT tabledata_open_view(struct table_data *data, IMAPITable **table);

#endif
