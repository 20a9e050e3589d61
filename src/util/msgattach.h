/* The attachments of a message on IStorage (msgattach.c). */
#ifndef MAPIHOST_MSGATTACH_H
#define MAPIHOST_MSGATTACH_H

#include <stdio.h>

#include "message.h"

/* msgattach.c: attachment number of message, opened (its saved properties) or made (create). */
HRESULT attachment_open(struct message *message, ULONG number, BOOL create, IAttach **out);

/* The substorage of an attachment's embedded message: "__attach_<number>" (created substorages start with "__",
 * U96). */
#define ATTACHMENT_STORAGE_NAME 24
static inline void attachment_storage_name(ULONG number, WCHAR name[ATTACHMENT_STORAGE_NAME])
{
    swprintf(name, ATTACHMENT_STORAGE_NAME, L"__attach_%lu", number);
}

#endif
