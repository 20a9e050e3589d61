/* The named properties of a message on IStorage and its subobjects (msgnames.c). */
#ifndef MAPIHOST_MSGNAMES_H
#define MAPIHOST_MSGNAMES_H

#include "mapihost_private.h"
#include "propval.h"

/* One mapping for a .msg file: its message, attachments and embedded messages share it, as the format keeps one. */
struct msg_names;

struct msg_names *msgnames_create(void);
void msgnames_addref(struct msg_names *names);
void msgnames_release(struct msg_names *names);
/* IMAPIProp::GetIDsFromNames and GetNamesFromIDs over the mapping; writable says whether MAPI_CREATE may add. */
HRESULT msgnames_ids(struct msg_names *names, const struct mapi_allocators *alloc, BOOL writable, ULONG count,
                     MAPINAMEID **wanted, ULONG flags, SPropTagArray **tags);
HRESULT msgnames_names(struct msg_names *names, const struct mapi_allocators *alloc, SPropTagArray **tags,
                       const GUID *guid, ULONG flags, ULONG *count, MAPINAMEID ***out);
/* The mapping from, and into, a .msg file's storage "__nameid_version1.0" ([MS-OXMSG]); a file without one has no
 * names. MAPI_E_CORRUPT_DATA for a mapping that breaks the format. */
HRESULT msgnames_load(struct msg_names *names, IStorage *root);
HRESULT msgnames_save(struct msg_names *names, IStorage *root);

#endif
