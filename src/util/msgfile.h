/* The .msg layout of a message on IStorage ([MS-OXMSG]; msgfile.c), as msgstg.c saves and loads it. */
#ifndef MAPIHOST_MSGFILE_H
#define MAPIHOST_MSGFILE_H

#include "message.h"

/* The storage of attachment number in its message's storage, and its embedded message's storage inside it. */
#define MSGFILE_NAME_SIZE 40
void msgfile_attachment_name(ULONG number, WCHAR name[MSGFILE_NAME_SIZE]);
#define MSGFILE_EMBEDDED_STORAGE L"__substg1.0_3701000D"

/* Whether the storage holds a message in the .msg layout (its property stream). */
BOOL msgfile_present(IStorage *storage);
/* The message's properties, recipients and attachments from its storage; MAPI_E_CORRUPT_DATA for a layout that
 * breaks the format, with nothing half-loaded kept by the caller. */
HRESULT msgfile_load(struct message *message);
/* The message's properties, recipients and attachment properties into its storage (not committed). */
HRESULT msgfile_save(struct message *message);

#endif
