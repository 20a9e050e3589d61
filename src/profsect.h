/*
 * Profile sections as providers see them (IMAPISupport::OpenProfileSection, spec §2.11): one set of properties per
 * section MAPIUID for the session, loaded from the profile file, or empty for a UID the file does not know (real
 * providers open sections under their own hard-coded UIDs, F5). Changes last for the session: the file is never
 * written.
 */
#ifndef MAPIHOST_PROFSECT_H
#define MAPIHOST_PROFSECT_H

#include <windows.h>
#include "mapihost_defs.h"
#include "profile.h"

struct profsect_cache;

struct profsect_cache *profsect_cache_create(const struct profile *profile);
/* Sections handed out keep the cache alive: providers keep them past logoff (F5). */
void profsect_cache_release(struct profsect_cache *cache);
/* flags: MAPI_MODIFY allows SetProps, MAPI_DEFERRED_ERRORS is accepted. */
HRESULT profsect_open(struct profsect_cache *cache, const MAPIUID *uid, ULONG flags, IProfSect **out);

#endif
