/* MAPI's generic copy between two IMAPIProp objects (IMAPISupport::DoCopyProps and DoCopyTo). */
#ifndef MAPIHOST_PROPCOPY_H
#define MAPIHOST_PROPCOPY_H

#include <windows.h>
#include "mapihost_defs.h"

/* The properties include names (all of them when NULL) from source to dest. */
HRESULT copyto_props(IMAPIProp *source, SPropTagArray *include, IMAPIProp *dest, ULONG flags,
                     SPropProblemArray **problems);
/* Whether the exclusion list (NULL: none) names the tag's property ID. */
BOOL copyto_excludes(const SPropTagArray *exclude, ULONG tag);
/* Every property of source but those exclude names. */
HRESULT copyto_all(IMAPIProp *source, SPropTagArray *exclude, IMAPIProp *dest, ULONG flags,
                   SPropProblemArray **problems);

#endif
