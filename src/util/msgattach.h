/* The attachments of a message on IStorage (msgattach.c). */
#ifndef MAPIHOST_MSGATTACH_H
#define MAPIHOST_MSGATTACH_H

#include "message.h"

/* msgattach.c: attachment number of message, opened (its saved properties) or made (create). */
HRESULT attachment_open(struct message *message, ULONG number, BOOL create, IAttach **out);

/* An attachment table row's keys, PR_INSTANCE_KEY and PR_RECORD_KEY, where values lacks them: both the attachment's
 * number (its bytes at *number, which must outlive the row's copy). Written to added; how many. */
ULONG attachment_keys(const ULONG *number, ULONG count, const SPropValue *values, SPropValue *added);

/* The storage of attachment number, AddRef'd: the one its open attachment holds for its embedded message, or opened
 * here, and made when there is none yet (message->attachment_storage). */
HRESULT attachment_storage(struct message *message, ULONG number, IStorage **out);

#endif
