/*
 * MAPI's validation exports (spec U9): each returns TRUE for input that is not valid. The method-by-method
 * validation behind ValidateParms is paramval.c.
 */
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
    if (!row || (row->cValues && !row->lpProps)) return TRUE;
    for (i = 0; i < row->cValues; i++)
        if (FBadProp(&row->lpProps[i])) return TRUE;
    return FALSE;
}

BOOL WINAPI FBadRowSet(LPSRowSet rows)
{
    ULONG i;

    TRACE("(%p)\n", rows);
    if (!rows) return TRUE;
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
    if (!columns) return TRUE;
    for (i = 0; i < columns->cValues; i++)
        if (PROP_TYPE(columns->aulPropTag[i]) == PT_ERROR || FBadPropTag(columns->aulPropTag[i])) return TRUE;
    return FALSE;
}

ULONG WINAPI FBadSortOrderSet(LPSSortOrderSet sort)
{
    ULONG i;

    TRACE("(%p)\n", sort);
    if (!sort || sort->cCategories > sort->cSorts || sort->cExpanded > sort->cCategories) return TRUE;
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
    if (count && !strings) return TRUE;
    for (i = 0; i < count; i++)
        if (!strings[i]) return TRUE;
    return FALSE;
}

BOOL WINAPI FBadRglpszA(LPSTR *strings, ULONG count)
{
    ULONG i;

    TRACE("(%p, %#lx)\n", strings, count);
    if (count && !strings) return TRUE;
    for (i = 0; i < count; i++)
        if (!strings[i]) return TRUE;
    return FALSE;
}

BOOL WINAPI FBadRglpNameID(LPMAPINAMEID *names, ULONG count)
{
    ULONG i;

    TRACE("(%p, %#lx)\n", names, count);
    if (count && !names) return TRUE;
    for (i = 0; i < count; i++) {
        if (!names[i] || !names[i]->lpguid) return TRUE;
        if (names[i]->ulKind == MNID_STRING ? !names[i]->Kind.lpwstrName : names[i]->ulKind != MNID_ID) return TRUE;
    }
    return FALSE;
}

BOOL WINAPI FBadEntryList(LPENTRYLIST list)
{
    ULONG i;

    TRACE("(%p)\n", list);
    if (!list || (list->cValues && !list->lpbin)) return TRUE;
    for (i = 0; i < list->cValues; i++)
        if (list->lpbin[i].cb && !list->lpbin[i].lpb) return TRUE;
    return FALSE;
}

/* TRUE when text is not a readable string of fewer than length characters (its NUL within the bound). */
BOOL WINAPI IsBadBoundedStringPtr(const void *text, UINT length)
{
    TRACE("(%p, %#lx)\n", text, (unsigned long)length);
    return !text || !length || IsBadStringPtrA(text, length) || strnlen(text, length) >= length;
}
