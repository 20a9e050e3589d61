/*
 * The provider rows of a session's status table (spec §6.3): ModifyStatusRow adds a row, or with STATUSROW_UPDATE
 * merges columns into the logon's latest row; a logon's rows go with its support object (E3, H14, H29).
 */
#ifndef MAPIHOST_STATUSROW_H
#define MAPIHOST_STATUSROW_H

#include <windows.h>
#include "mapihost_defs.h"
#include "hashtable.h"
#include "list.h"
#include "table.h"

struct status_row {
    struct list entry;
    struct hash_link by_rowid, by_owner;
    void *owner; /* the logon that added it */
    ULONG rowid; /* PR_ROWID: unique in the session, never reused */
    ULONG count;
    SPropValue *props; /* one MAPI allocation chain */
};

/* Makes the published form of a row: the provider's columns plus the ones MAPI supplies and computes (spec §6.3),
 * as one MAPI allocation. */
typedef HRESULT (*status_decorate_fn)(void *context, const struct status_row *row, ULONG *count, SPropValue **values);

struct status_rows {
    SRWLOCK lock;
    struct list rows;                    /* in the order they were added */
    struct hashtable by_rowid, by_owner; /* each owner's rows in the order they were added */
    ULONG next_rowid;
    struct table_data *table; /* where rows are published, or NULL */
    status_decorate_fn decorate;
    void *context;
};

void statusrows_init(struct status_rows *rows);
/* From now on every added, merged or removed row is mirrored in table, decorated. */
void statusrows_publish_to(struct status_rows *rows, struct table_data *table, status_decorate_fn decorate,
                           void *context);
/* The owner of the row with rowid, or NULL. */
void *statusrows_owner_of(struct status_rows *rows, ULONG rowid);
void statusrows_clear(struct status_rows *rows);
HRESULT statusrows_modify(struct status_rows *rows, void *owner, ULONG count, const SPropValue *values, ULONG flags);
ULONG statusrows_remove_owner(struct status_rows *rows, void *owner);
ULONG statusrows_count_owner(struct status_rows *rows, void *owner);
/* A copy of the tag's value in owner's latest row (one MAPI allocation), or MAPI_E_NOT_FOUND. */
HRESULT statusrows_owner_prop(struct status_rows *rows, void *owner, ULONG tag, SPropValue **value);

#endif
