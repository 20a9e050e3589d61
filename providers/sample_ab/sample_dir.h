/* The sample address book's containers (sample_dir.c): its root, whose hierarchy lists the directory, and the
 * directory, whose contents are its users. */
#ifndef SAMPLE_DIR_H
#define SAMPLE_DIR_H

#include "sample.h"
#include "mapihost_util.h"

/* The entry ID of a user or of the directory: flags, the logon's MAPIUID, a number. */
struct user_entry_id {
    BYTE flags[4];
    MAPIUID uid;
    ULONG number;
};

#define SAMPLE_USERS 3
#define SAMPLE_DIRECTORY 0xffffffff  /* the number of the directory's own entry ID */
#define SAMPLE_LIST 0xfffffffe       /* the recorder's "pdl": a personal distribution list in the directory */
#define SAMPLE_INNER_LIST 0xfffffffd /* ... and the list within it */

/* The name of user number (1 to SAMPLE_USERS). */
void sample_user_name(ULONG number, char *name, size_t size);
/* The root container (IABLogon::OpenEntry with no entry ID), or the directory, with lists the list in it. */
HRESULT sample_container_create(const MAPIUID *uid, BOOL root, BOOL lists, IABContainer **out);
/* The list SAMPLE_LIST or SAMPLE_INNER_LIST; support makes its one-off members. */
HRESULT sample_list_create(const MAPIUID *uid, ULONG number, IMAPISupport *support, IDistList **out);

#endif
