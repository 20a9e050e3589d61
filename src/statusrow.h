/*
 * The provider rows of a session's status table (spec §6.3): ModifyStatusRow adds a row, or with STATUSROW_UPDATE
 * merges columns into the logon's latest row; a logon's rows go with its support object (E3, H14, H29).
 */
#ifndef MAPIHOST_STATUSROW_H
#define MAPIHOST_STATUSROW_H

#include <windows.h>
#include "mapihost_defs.h"
#include "list.h"

struct status_row {
    struct list entry;
    void *owner;         /* the logon that added it */
    ULONG rowid;         /* PR_ROWID: unique in the session, never reused */
    ULONG count;
    SPropValue *props;   /* one MAPI allocation chain */
};

struct status_rows {
    SRWLOCK lock;
    struct list rows;    /* in the order they were added */
    ULONG next_rowid;
};

void statusrows_init(struct status_rows *rows);
void statusrows_clear(struct status_rows *rows);
HRESULT statusrows_modify(struct status_rows *rows, void *owner, ULONG count, const SPropValue *values, ULONG flags);
ULONG statusrows_remove_owner(struct status_rows *rows, void *owner);
ULONG statusrows_count_owner(struct status_rows *rows, void *owner);

#endif
