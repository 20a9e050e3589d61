/*
 * IProfSect over a section of a stored profile (stored.h), as providers, service entries and administration
 * objects see it (spec §2.11, S4, S5). A MAPIUID the profile does not know opens a new, empty section (real
 * providers open sections under their own fixed UIDs, F5); it reaches the file with its first property.
 */
#ifndef MAPIHOST_PROFSECT_H
#define MAPIHOST_PROFSECT_H

#include <windows.h>
#include "mapihost_defs.h"
#include "stored.h"

/* flags: MAPI_MODIFY allows SetProps and DeleteProps; MAPI_DEFERRED_ERRORS and MAPI_FORCE_ACCESS are accepted. */
HRESULT profsect_open(struct profstore *store, const MAPIUID *uid, ULONG flags, IProfSect **out);

/* The same for a client (IMAPISession, IMsgServiceAdmin): a provider's section needs MAPI_FORCE_ACCESS (S5). */
HRESULT profsect_open_as_client(struct profstore *store, const MAPIUID *uid, ULONG flags, IProfSect **out);

#endif
