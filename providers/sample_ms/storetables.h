/*
 * What the store's table files share: a table the client holds (a store object), a row being made, and the contents
 * rows. storetables.c makes tables over MAPI's table data; storecontents.c the contents table that reads its rows
 * from the database as the client asks for them, until it needs MAPI's.
 */
#ifndef SAMPLE_STORETABLES_H
#define SAMPLE_STORETABLES_H

#include "store.h"

#define TABLE_METHODS 26 /* IMAPITable's vtable: IUnknown 3, IMAPITable 23 */

/* A table the client holds. Contents and hierarchy tables keep their data, to bring it up to date after a change
 * (storetable_message_changed and the rest): MAPI's table data tells the views (fnevTableModified). */
enum table_kind { TABLE_FIXED, TABLE_CONTENTS, TABLE_HIERARCHY };
struct store_table {
    struct store_object object; /* close: close_table */
    IMAPITable *view;           /* MAPI's view on data, or NULL */
    ITableData *data;           /* ours, for contents and hierarchy tables that follow changes */
    IMAPITable *outer;          /* the store's own table object in front of the view (storecontents.c), or NULL */
    enum table_kind kind;
    LONGLONG folder;
    ULONG flags; /* of GetContentsTable or GetHierarchyTable */
};
/* At logoff: the client's tables answer MAPI_E_INVALID_OBJECT from then on (MakeInvalid); Release still works. */
void close_table(struct store_object *object);

/* One row being made: its values, and room for the strings narrowed for a client without MAPI_UNICODE. */
struct row {
    SPropValue values[40];
    ULONG count;
    BOOL unicode;
    char narrow[8192];
    size_t used;
    struct store_entry_id ids[3]; /* what the row's entry IDs point to */
};

/* The columns of a contents table, and the SELECT list message_row reads a message's row from. */
extern const ULONG contents_columns[];
extern const ULONG contents_column_count;
#define MESSAGE_COLUMNS                                                                                                \
    "id, folder, subject, class, sender, display_to, display_cc, display_bcc, delivered, submitted, modified, flags,"  \
    " size, hasattach, importance, status, submit, priority, search_key, message_id"
#define MESSAGE_COLUMN_COUNT 20
void message_row(struct store *store, struct sqlite3_stmt *statement, struct row *row);

/* MAPI's table data with the columns given (strings narrowed without unicode), and a folder's contents in it. */
HRESULT new_data(ULONG count, const ULONG *columns, BOOL unicode, ITableData **data);
HRESULT fill_contents(struct store *store, ITableData *data, struct row *row, LONGLONG folder, ULONG flags);

/* storecontents.c: the contents table the client gets, sorted by sort (NULL: by creation) */
HRESULT contents_table_create(struct store *store, LONGLONG folder, ULONG flags, const SSortOrderSet *sort,
                              IMAPITable **out);

#endif
