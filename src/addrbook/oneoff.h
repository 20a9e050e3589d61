/*
 * One-off entry IDs (IMAPISupport::CreateOneOff, IAddrBook::CreateOneOff): MAPI_ONE_OFF_UID, a 16-bit version (0),
 * 16-bit flags (MAPI_ONE_OFF_UNICODE, MAPI_ONE_OFF_NO_RICH_INFO), then the display name, address type and address,
 * NUL-terminated, in the width the flags say. IAddrBook::OpenEntry opens one as a read-only mail user.
 */
#ifndef MAPIHOST_ONEOFF_H
#define MAPIHOST_ONEOFF_H

#include <windows.h>
#include "mapihost_defs.h"

/* flags: MAPI_UNICODE (the strings are wide), MAPI_SEND_NO_RICH_INFO. The entry ID is one MAPI allocation. */
HRESULT oneoff_create(LPTSTR name, LPTSTR address_type, LPTSTR address, ULONG flags, ULONG *size, ENTRYID **entry_id);
BOOL oneoff_is(ULONG size, const ENTRYID *entry_id);
/* The mail user a one-off names: PR_DISPLAY_NAME, PR_ADDRTYPE, PR_EMAIL_ADDRESS, PR_ENTRYID, PR_SEARCH_KEY,
 * PR_SEND_RICH_INFO, PR_OBJECT_TYPE, PR_DISPLAY_TYPE. MAPI_E_INVALID_ENTRYID for a malformed one. */
HRESULT oneoff_open(ULONG size, const ENTRYID *entry_id, ULONG *type, IUnknown **out);
/* *equal: the two one-offs name the same address (address type and address, case-insensitive). */
HRESULT oneoff_compare(ULONG size1, const ENTRYID *entry1, ULONG size2, const ENTRYID *entry2, BOOL *equal);

#endif
