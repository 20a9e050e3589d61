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
#define SAMPLE_DIRECTORY 0xffffffff /* the number of the directory's own entry ID */

/* The name of user number (1 to SAMPLE_USERS). */
void sample_user_name(ULONG number, char *name, size_t size);
/* The root container (IABLogon::OpenEntry with no entry ID), or the directory. */
HRESULT sample_container_create(const MAPIUID *uid, BOOL root, IABContainer **out);

#endif
