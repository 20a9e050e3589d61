/* Property values: deep copies in one MAPI allocation chain, freed with one MAPIFreeBuffer (spec §2.14). */
#ifndef MAPIHOST_PROPVAL_H
#define MAPIHOST_PROPVAL_H

#include <windows.h>
#include "mapihost_defs.h"

/* The three allocators a utility was given (CreateTable, CreateIProp); host_allocators are mapihost's own. Every
 * buffer a caller gets back comes from the allocators it gave. */
struct mapi_allocators {
    ALLOCATEBUFFER *buffer;
    ALLOCATEMORE *more;
    FREEBUFFER *free;
};
extern const struct mapi_allocators host_allocators;

/* Copies count values into a new MAPIAllocateBuffer block; strings and binaries are MAPIAllocateMore children. */
HRESULT props_copy(ULONG count, const SPropValue *source, SPropValue **copy);
/* Copies one value's payload into dest, allocating with MAPIAllocateMore (or alloc's) on parent. */
HRESULT prop_copy_into(const SPropValue *source, SPropValue *dest, void *parent);
HRESULT prop_copy_into_with(const struct mapi_allocators *alloc, const SPropValue *source, SPropValue *dest,
                            void *parent);
/* Every out-of-line block of a value (a string, a binary, a GUID, a multi-valued array and its elements), in the
 * order a copy lays them out: visit gets the bytes, their size, and where the copy's pointer to them goes (NULL when
 * copy is NULL: measuring). Copying and measuring both walk this, so a size and the copy it measures always agree.
 * MAPI_E_INVALID_PARAMETER for a NULL the value needs, MAPI_E_INVALID_TYPE for an unknown type. */
typedef HRESULT (*prop_block_visit)(void *context, const void *data, ULONG size, void **where);
HRESULT prop_blocks(const SPropValue *source, SPropValue *copy, prop_block_visit visit, void *context);
/* Copies source as the property tag asks for: a string is converted to the width tag names (PT_UNSPECIFIED keeps
 * the stored one). */
HRESULT prop_copy_as(const SPropValue *source, ULONG tag, SPropValue *dest, void *parent);
/* The values tags ask for, in one new MAPI allocation: each in the string width its tag names (F5), or PT_ERROR with
 * MAPI_E_NOT_FOUND where values has none; PR_NULL stays PR_NULL (U27). *missing (may be NULL) counts those. A table
 * row and GetProps both. */
HRESULT props_select(ULONG count, const SPropValue *values, ULONG tag_count, const ULONG *tags, SPropValue **result,
                     ULONG *missing);
HRESULT props_select_with(const struct mapi_allocators *alloc, ULONG count, const SPropValue *values, ULONG tag_count,
                          const ULONG *tags, SPropValue **result, ULONG *missing);
/* A string property's tag in the width flags ask for (MAPI_UNICODE or not); any other tag as it is. */
ULONG prop_tag_in_width(ULONG tag, ULONG flags);
/* IMAPIProp::GetPropList over an array of values: the tags of those listed accepts (NULL: all), strings in the width
 * flags ask for; unknown flags refused. */
HRESULT props_list(ULONG count, const SPropValue *values, BOOL (*listed)(ULONG tag), ULONG flags, SPropTagArray **tags);
/* IMAPIProp::GetProps over an array of values: tags, or with none every value that listed accepts (NULL: all), its
 * strings in the width flags ask for (MAPI_UNICODE or not); MAPI_W_ERRORS_RETURNED when some are missing. */
HRESULT props_get(ULONG count, const SPropValue *values, BOOL (*listed)(ULONG tag), const SPropTagArray *tags,
                  ULONG flags, ULONG *result_count, SPropValue **result);
/* The value with tag in the array, ignoring the string width (_A and _W both match, F5) and matching any type for
 * PT_UNSPECIFIED, or NULL. */
const SPropValue *props_find(ULONG count, const SPropValue *values, ULONG tag);
/* The size of one element of a multi-valued type's array (type with or without MV_FLAG), or 0 for an unknown type. */
size_t prop_element_size(ULONG type);
/* Memory a caller handed in can be read: size bytes at p, or a string of either width to its terminator. NULL is
 * never readable. */
BOOL readable_bytes(const void *p, size_t size);
BOOL readable_text(const void *p);
/* Every pointer a value holds can be read for the length the value gives it (a multi-valued property with no values
 * may have no array): validation checks this before anything reads through a caller's value. */
BOOL prop_readable(const SPropValue *value);
/* Two values are equal: same tag and same content. */
BOOL prop_equal(const SPropValue *a, const SPropValue *b);
/* A hash of the tag and value: equal under prop_equal, equal hashes. */
size_t prop_hash(const SPropValue *value);

#endif
