/*
 * MAPI's validation exports (spec U9): each returns TRUE for input that is not valid, and reads nothing it has not
 * first found readable, so that a validator is safe on exactly the input it exists to refuse. The method-by-method
 * validation behind ValidateParms is paramval.c.
 */
#include <stddef.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "propval.h"
#include "restrict.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(validate);

ULONG WINAPI FBadPropTag(ULONG tag)
{
    ULONG type = PROP_TYPE(tag) & ~MV_FLAG;

    TRACE("(%#lx)\n", tag);
    /* The multi-value-instance bit belongs in table columns and restrictions, never in a property's tag (U9). */
    if (PROP_TYPE(tag) & MV_INSTANCE) return TRUE;
    switch (type) {
    case PT_UNSPECIFIED:
    case PT_NULL:
    case PT_I2:
    case PT_LONG:
    case PT_R4:
    case PT_DOUBLE:
    case PT_CURRENCY:
    case PT_APPTIME:
    case PT_ERROR:
    case PT_BOOLEAN:
    case PT_OBJECT:
    case PT_I8:
    case PT_STRING8:
    case PT_UNICODE:
    case PT_SYSTIME:
    case PT_CLSID:
    case PT_BINARY: return FALSE;
    }
    return TRUE;
}

ULONG WINAPI FBadProp(LPSPropValue value)
{
    TRACE("(%p)\n", value);
    if (!value || IsBadReadPtr(value, sizeof(*value)) || FBadPropTag(value->ulPropTag)) return TRUE;
    /* A Boolean is TRUE or FALSE; any property ID goes, PROP_ID_NULL included (U9). */
    if (PROP_TYPE(value->ulPropTag) == PT_BOOLEAN && value->Value.b != TRUE && value->Value.b != FALSE) return TRUE;
    return !prop_readable(value);
}

ULONG WINAPI FBadRow(LPSRow row)
{
    ULONG i;

    TRACE("(%p)\n", row);
    if (!readable_bytes(row, sizeof(*row))) return TRUE;
    if (row->cValues && !readable_bytes(row->lpProps, (size_t)row->cValues * sizeof(SPropValue))) return TRUE;
    for (i = 0; i < row->cValues; i++)
        if (FBadProp(&row->lpProps[i])) return TRUE;
    return FALSE;
}

BOOL WINAPI FBadRowSet(LPSRowSet rows)
{
    ULONG i;

    TRACE("(%p)\n", rows);
    if (!readable_bytes(rows, offsetof(SRowSet, aRow))
        || !readable_bytes(rows, offsetof(SRowSet, aRow) + (size_t)rows->cRows * sizeof(SRow)))
        return TRUE;
    for (i = 0; i < rows->cRows; i++)
        if (FBadRow(&rows->aRow[i])) return TRUE;
    return FALSE;
}

ULONG WINAPI FBadRestriction(LPSRestriction restriction)
{
    TRACE("(%p)\n", restriction);
    /* Malformed, not merely beyond what a table evaluates. */
    return restriction_check(restriction) == MAPI_E_INVALID_PARAMETER;
}

ULONG WINAPI FBadColumnSet(LPSPropTagArray columns)
{
    ULONG i;

    TRACE("(%p)\n", columns);
    if (!readable_bytes(columns, offsetof(SPropTagArray, aulPropTag))
        || !readable_bytes(columns, CbNewSPropTagArray(columns->cValues)))
        return TRUE;
    for (i = 0; i < columns->cValues; i++)
        if (PROP_TYPE(columns->aulPropTag[i]) == PT_ERROR || FBadPropTag(columns->aulPropTag[i])) return TRUE;
    return FALSE;
}

ULONG WINAPI FBadSortOrderSet(LPSSortOrderSet sort)
{
    ULONG i;

    TRACE("(%p)\n", sort);
    if (!readable_bytes(sort, offsetof(SSortOrderSet, aSort)) || !readable_bytes(sort, CbSSortOrderSet(sort)))
        return TRUE;
    if (sort->cCategories > sort->cSorts || sort->cExpanded > sort->cCategories) return TRUE;
    for (i = 0; i < sort->cSorts; i++) {
        ULONG order = sort->aSort[i].ulOrder;
        if (FBadPropTag(sort->aSort[i].ulPropTag) || PROP_TYPE(sort->aSort[i].ulPropTag) == PT_ERROR) return TRUE;
        if (order != TABLE_SORT_ASCEND && order != TABLE_SORT_DESCEND && order != TABLE_SORT_COMBINE) return TRUE;
        if (order == TABLE_SORT_COMBINE && !i) return TRUE;
    }
    return FALSE;
}

BOOL WINAPI FBadRglpszW(LPWSTR *strings, ULONG count)
{
    ULONG i;

    TRACE("(%p, %#lx)\n", strings, count);
    if (count && !readable_bytes(strings, (size_t)count * sizeof(*strings))) return TRUE;
    for (i = 0; i < count; i++)
        if (!readable_text(strings[i])) return TRUE;
    return FALSE;
}

BOOL WINAPI FBadRglpszA(LPSTR *strings, ULONG count)
{
    ULONG i;

    TRACE("(%p, %#lx)\n", strings, count);
    if (count && !readable_bytes(strings, (size_t)count * sizeof(*strings))) return TRUE;
    for (i = 0; i < count; i++)
        if (!readable_text(strings[i])) return TRUE;
    return FALSE;
}

BOOL WINAPI FBadRglpNameID(LPMAPINAMEID *names, ULONG count)
{
    ULONG i;

    TRACE("(%p, %#lx)\n", names, count);
    if (count && !readable_bytes(names, (size_t)count * sizeof(*names))) return TRUE;
    for (i = 0; i < count; i++) {
        if (!readable_bytes(names[i], sizeof(*names[i])) || !readable_bytes(names[i]->lpguid, sizeof(GUID)))
            return TRUE;
        if (names[i]->ulKind == MNID_STRING ? !readable_text(names[i]->Kind.lpwstrName) : names[i]->ulKind != MNID_ID)
            return TRUE;
    }
    return FALSE;
}

BOOL WINAPI FBadEntryList(LPENTRYLIST list)
{
    ULONG i;

    TRACE("(%p)\n", list);
    if (!readable_bytes(list, sizeof(*list))) return TRUE;
    if (list->cValues && !readable_bytes(list->lpbin, (size_t)list->cValues * sizeof(SBinary))) return TRUE;
    for (i = 0; i < list->cValues; i++)
        if (list->lpbin[i].cb && !readable_bytes(list->lpbin[i].lpb, list->lpbin[i].cb)) return TRUE;
    return FALSE;
}

/* TRUE when text is not a readable string of fewer than length characters (its NUL within the bound). */
BOOL WINAPI IsBadBoundedStringPtr(const void *text, UINT length)
{
    TRACE("(%p, %#lx)\n", text, (unsigned long)length);
    return !text || !length || IsBadStringPtrA(text, length) || strnlen(text, length) >= length;
}
