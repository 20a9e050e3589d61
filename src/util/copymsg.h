/* What IMessage::CopyTo copies besides properties (copymsg.c). */
#ifndef MAPIHOST_COPYMSG_H
#define MAPIHOST_COPYMSG_H

#include <windows.h>
#include "mapihost_defs.h"

/* The recipients and attachments of source into dest, each unless exclude names PR_MESSAGE_RECIPIENTS or
 * PR_MESSAGE_ATTACHMENTS. */
HRESULT copymsg_parts(IMessage *source, const SPropTagArray *exclude, IMessage *dest, ULONG flags);

#endif
