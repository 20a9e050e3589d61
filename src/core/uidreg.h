/*
 * The MAPIUID registry of one session (spec §1D, H9, H13): SetProviderUID adds, duplicates included; routing picks
 * the first logon that registered a UID; a logon's UIDs go when its support object does (E3) or when the host
 * forces the cleanup after a provider kept its support object (E21).
 */
#ifndef MAPIHOST_UIDREG_H
#define MAPIHOST_UIDREG_H

#include <windows.h>
#include "mapihost_defs.h"
#include "hashtable.h"

/* Each registration is in two tables, by its MAPIUID and by its owner, so routing and a logon's cleanup cost the
 * same with 10 registrations or 10,000 (P2). */
struct uid_registry {
    SRWLOCK lock;
    struct hashtable by_uid; /* equal UIDs in registration order */
    struct hashtable by_owner;
};

void uidreg_init(struct uid_registry *registry);
void uidreg_clear(struct uid_registry *registry);
HRESULT uidreg_add(struct uid_registry *registry, const MAPIUID *uid, void *owner);
/* The owner that registered uid first, or NULL. */
void *uidreg_lookup(struct uid_registry *registry, const MAPIUID *uid);
/* The owner of the MAPIUID in the 16 bytes after an entry ID's four flag bytes, or NULL. */
void *uidreg_route(struct uid_registry *registry, ULONG size, const ENTRYID *entry_id);
/* Removes every UID owner registered; returns how many. */
ULONG uidreg_remove_owner(struct uid_registry *registry, void *owner);
/* The UIDs owner registered; all of them for NULL. */
ULONG uidreg_count_owner(struct uid_registry *registry, void *owner);

#endif
