/*
 * Restrictions over a row's properties (spec U43-U53) and the ordering of property values (U71), for table views,
 * FindRow and the property utilities. A restriction is validated and deep-copied once, then evaluated per row.
 */
#ifndef MAPIHOST_RESTRICT_H
#define MAPIHOST_RESTRICT_H

#include <windows.h>
#include "mapihost_defs.h"

/* How deep restrictions may nest: deeper (a node that contains itself included) is MAPI_E_TOO_COMPLEX. */
#define RESTRICTION_MAX_DEPTH 256
/* S_OK for a restriction views can evaluate; MAPI_E_INVALID_PARAMETER for a malformed one or one with a pointer that
 * cannot be read (U53, FBadRestriction's test), MAPI_E_TOO_COMPLEX for one they cannot evaluate (RELOP_RE,
 * RES_SUBRESTRICTION, mismatched types, nesting beyond RESTRICTION_MAX_DEPTH, U46-U52). Every walk of a restriction
 * comes after this check, so none reads an unreadable pointer or recurses without end. */
HRESULT restriction_check(const SRestriction *res);
/* A deep copy in one MAPIAllocateBuffer block (free with MAPIFreeBuffer); res must have passed restriction_check. */
HRESULT restriction_copy(const SRestriction *res, SRestriction **copy);
/* res holds for the row's values (U44: a missing property fails a leaf). NULL holds for every row. */
BOOL restriction_matches(const SRestriction *res, ULONG count, const SPropValue *values);

/* LPropCompareProp's order (U71) for two values of one type: < 0, 0, > 0. Strings of both widths compare as text. */
LONG prop_compare(const SPropValue *a, const SPropValue *b);
/* FPropCompareProp: a relop b; FALSE for different types or RELOP_RE. */
BOOL prop_compare_relop(const SPropValue *a, ULONG relop, const SPropValue *b);
/* FPropContainsProp for strings of either width and binaries (U71, X27). */
BOOL prop_contains(const SPropValue *value, const SPropValue *pattern, ULONG fuzzy);
/* UlPropSize: the bytes of a value's data (strings with their terminator). */
ULONG prop_size(const SPropValue *value);

#endif
