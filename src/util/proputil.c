/*
 * MAPI's property-value and row utilities (spec U68-U74), exported under their names for providers and clients:
 * lookup, one-property access, the copy family, comparison, row sets and address lists, HrQueryAllRows and
 * HrAddColumns(Ex). Sizes count strings with their terminator; every out-of-line block of the copy family starts on
 * an 8-byte boundary, and ScCountProps, ScCopyProps and ScRelocProps measure over the same walk of a value's blocks
 * (prop_blocks), so they agree byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "propval.h"
#include "restrict.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(proputil);

LPSPropValue WINAPI PpropFindProp(LPSPropValue values, ULONG count, ULONG tag)
{
    ULONG i;

    TRACE("(%p, %#lx, %#lx)\n", values, count, tag);
    if (!values) return NULL;
    for (i = 0; i < count; i++)
        if (PROP_TYPE(tag) == PT_UNSPECIFIED ? PROP_ID(values[i].ulPropTag) == PROP_ID(tag)
                                             : values[i].ulPropTag == tag)
            return &values[i];
    return NULL;
}

LPSPropValue WINAPI LpValFindProp(ULONG tag, ULONG count, LPSPropValue values)
{
    ULONG i;

    TRACE("(%#lx, %#lx, %p)\n", tag, count, values);
    /* Unlike PpropFindProp, by property ID alone, whatever the types (as Windows' does; the page calls them the same).
     */
    for (i = 0; values && i < count; i++)
        if (PROP_ID(values[i].ulPropTag) == PROP_ID(tag)) return &values[i];
    return NULL;
}

BOOL WINAPI FPropExists(LPMAPIPROP object, ULONG tag)
{
    SPropTagArray *tags;
    BOOL found = FALSE;
    ULONG i;

    TRACE("(%p, %#lx)\n", object, tag);
    if (!object || FAILED(IMAPIProp_GetPropList(object, 0, &tags))) return FALSE;
    for (i = 0; i < tags->cValues && !found; i++)
        found = PROP_TYPE(tag) == PT_UNSPECIFIED ? PROP_ID(tags->aulPropTag[i]) == PROP_ID(tag)
                                                 : tags->aulPropTag[i] == tag;
    MAPIFreeBuffer(tags);
    return found;
}

HRESULT WINAPI HrGetOneProp(LPMAPIPROP object, ULONG tag, LPSPropValue *value)
{
    SizedSPropTagArray(1, tags) = { 1, { tag } };
    SPropValue *values = NULL;
    ULONG count;
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", object, tag, value);
    if (!object || !value) return MAPI_E_INVALID_PARAMETER;
    *value = NULL;
    hr = IMAPIProp_GetProps(object, (SPropTagArray *)&tags, 0, &count, &values);
    if (FAILED(hr)) return hr;
    /* Never a warning (U69): an error entry is that error, and the caller gets nothing. */
    if (PROP_TYPE(values[0].ulPropTag) == PT_ERROR) {
        hr = values[0].Value.err;
        MAPIFreeBuffer(values);
        return hr;
    }
    *value = values;
    return S_OK;
}

HRESULT WINAPI HrSetOneProp(LPMAPIPROP object, LPSPropValue value)
{
    SPropProblemArray *problems = NULL;
    HRESULT hr;

    TRACE("(%p, %p)\n", object, value);
    if (!object || !value) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = IMAPIProp_SetProps(object, 1, value, &problems))) return hr;
    if (problems && problems->cProblem) hr = problems->aProblem[0].scode;
    MAPIFreeBuffer(problems);
    return hr;
}

ULONG WINAPI UlPropSize(LPSPropValue value)
{
    TRACE("(%p)\n", value);
    return value ? prop_size(value) : 0;
}

LONG WINAPI LPropCompareProp(LPSPropValue a, LPSPropValue b)
{
    TRACE("(%p, %p)\n", a, b);
    if (!a || !b) return 0;
    return prop_compare(a, b);
}

BOOL WINAPI FPropCompareProp(LPSPropValue a, ULONG relop, LPSPropValue b)
{
    TRACE("(%p, %#lx, %p)\n", a, relop, b);
    return a && b && prop_compare_relop(a, relop, b);
}

BOOL WINAPI FPropContainsProp(LPSPropValue value, LPSPropValue pattern, ULONG fuzzy)
{
    ULONG level = fuzzy & 0xffff;

    TRACE("(%p, %p, %#lx)\n", value, pattern, fuzzy);
    if (!value || !pattern) return FALSE;
    /* A level the function does not know is an exact match (U71). */
    if (level > FL_PREFIX) fuzzy &= ~0xffffu;
    return prop_contains(value, pattern, fuzzy);
}

/* ---- The copy family (U70) ------------------------------------------------------------------------------------- */

/* What ScCountProps accepts: a known type other than PT_UNSPECIFIED and PT_NULL, a real property ID, and values
 * where a multi-valued property has any. */
static BOOL countable(const SPropValue *value)
{
    ULONG id = PROP_ID(value->ulPropTag), type = PROP_TYPE(value->ulPropTag);

    if (id == PROP_ID_NULL || id == PROP_ID_INVALID || type == PT_UNSPECIFIED || type == PT_NULL) return FALSE;
    if (type & MV_FLAG) return value->Value.MVl.cValues && prop_element_size(type);
    return TRUE;
}

/* Every out-of-line block of a copy starts on an 8-byte boundary and takes one byte at least. Measuring and the bump
 * allocator of ScCopyProps both round with this, over the same walk (prop_blocks): they cannot disagree. */
static ULONG block_size(ULONG size)
{
    return ((size ? size : 1) + 7) & ~(ULONG)7;
}

static HRESULT measure_block(void *context, const void *data, ULONG size, void **where)
{
    *(ULONG *)context += block_size(size);
    return S_OK;
}

/* The bytes one value takes in a ScCopyProps block: its SPropValue and its blocks. */
static SCODE value_size(const SPropValue *value, ULONG *size)
{
    ULONG data = 0;
    SCODE sc;

    if (!countable(value)) return MAPI_E_INVALID_PARAMETER;
    if ((sc = prop_blocks(value, NULL, measure_block, &data)) != S_OK)
        return sc == MAPI_E_INVALID_TYPE ? MAPI_E_INVALID_PARAMETER : sc;
    *size = sizeof(SPropValue) + data;
    return S_OK;
}

SCODE WINAPI ScCountProps(int count, LPSPropValue values, ULONG *size)
{
    ULONG total = 0, one;
    SCODE sc;
    int i;

    TRACE("(%#lx, %p, %p)\n", (unsigned long)count, values, size);
    if (count < 0 || (count && !values)) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; i < count; i++) {
        if ((sc = value_size(&values[i], &one)) != S_OK) return sc;
        total += one;
    }
    if (size) *size = total;
    return S_OK;
}

/* A bump allocator over the caller's block: what ScCopyProps hands prop_copy_into_with. */
static __thread BYTE *copy_cursor;

static SCODE WINAPI bump_more(ULONG size, void *parent, void **out)
{
    TRACE("(%#lx, %p, %p)\n", size, parent, out);
    *out = copy_cursor;
    copy_cursor += block_size(size);
    return S_OK;
}

SCODE WINAPI ScCopyProps(int count, LPSPropValue values, LPVOID dest, ULONG *size)
{
    static const struct mapi_allocators bump = { NULL, bump_more, NULL };
    SPropValue *copy = dest;
    SCODE sc;
    int i;

    TRACE("(%#lx, %p, %p, %p)\n", (unsigned long)count, values, dest, size);
    if (!dest) return MAPI_E_INVALID_PARAMETER;
    if ((sc = ScCountProps(count, values, NULL)) != S_OK) return sc;
    copy_cursor = (BYTE *)dest + count * sizeof(SPropValue);
    for (i = 0; i < count; i++)
        if ((sc = prop_copy_into_with(&bump, &values[i], &copy[i], dest)) != S_OK) return sc;
    if (size) *size = (ULONG)(copy_cursor - (BYTE *)dest);
    return S_OK;
}

SCODE WINAPI ScDupPropset(int count, LPSPropValue values, ALLOCATEBUFFER *allocate, LPSPropValue *copy)
{
    ULONG size;
    SCODE sc;

    TRACE("(%#lx, %p, %p, %p)\n", (unsigned long)count, values, allocate, copy);
    if (!allocate || !copy) return MAPI_E_INVALID_PARAMETER;
    *copy = NULL;
    if ((sc = ScCountProps(count, values, &size)) != S_OK) return sc;
    if ((sc = allocate(size ? size : 1, (void **)copy)) != S_OK) return sc;
    if ((sc = ScCopyProps(count, values, *copy, NULL)) != S_OK) {
        MAPIFreeBuffer(*copy);
        *copy = NULL;
    }
    return sc;
}

SCODE WINAPI PropCopyMore(LPSPropValue dest, LPSPropValue source, ALLOCATEMORE *allocate_more, LPVOID parent)
{
    struct mapi_allocators alloc = { NULL, allocate_more, NULL };
    SCODE sc;

    TRACE("(%p, %p, %p, %p)\n", dest, source, allocate_more, parent);
    if (!dest || !source || !allocate_more) return MAPI_E_INVALID_PARAMETER;
    sc = prop_copy_into_with(&alloc, source, dest, parent);
    return sc == MAPI_E_INVALID_TYPE ? MAPI_E_NO_SUPPORT : sc;
}

/* Moves one pointer by delta; the data it points to is read where it now lies (U70). */
#define RELOCATE(pointer, delta) ((pointer) = (void *)((BYTE *)(pointer) + (delta)))

static void relocate(SPropValue *value, ptrdiff_t delta, BOOL read_new)
{
    ULONG type = PROP_TYPE(value->ulPropTag), i;
    void *array;

    switch (type) {
    case PT_STRING8:
    case PT_UNICODE:
    case PT_CLSID: RELOCATE(value->Value.lpszA, delta); return;
    case PT_BINARY: RELOCATE(value->Value.bin.lpb, delta); return;
    }
    if (!(type & MV_FLAG)) return;
    array = read_new ? (BYTE *)value->Value.MVl.lpl + delta : (void *)value->Value.MVl.lpl;
    for (i = 0; i < value->Value.MVl.cValues; i++) switch (type & ~MV_FLAG) {
        case PT_STRING8:
        case PT_UNICODE: RELOCATE(((void **)array)[i], delta); break;
        case PT_BINARY: RELOCATE(((SBinary *)array)[i].lpb, delta); break;
        }
    RELOCATE(value->Value.MVl.lpl, delta);
}

SCODE WINAPI ScRelocProps(int count, LPSPropValue values, LPVOID base_old, LPVOID base_new, ULONG *size)
{
    ptrdiff_t delta = (BYTE *)base_new - (BYTE *)base_old;
    BOOL read_new = base_new != NULL;
    ULONG total = 0, one;
    SCODE sc;
    int n;

    TRACE("(%#lx, %p, %p, %p, %p)\n", (unsigned long)count, values, base_old, base_new, size);
    /* Arrays are read through their old address when the block is being made position-independent (new base 0),
     * through their new one otherwise; the size is measured, as ScCountProps does, where the data can be read. */
    if (count < 0 || (count && !values)) return MAPI_E_INVALID_PARAMETER;
    for (n = 0; n < count; n++) {
        if (!read_new && (sc = value_size(&values[n], &one)) != S_OK) return sc;
        relocate(&values[n], delta, read_new);
        if (read_new && (sc = value_size(&values[n], &one)) != S_OK) return sc;
        total += one;
    }
    if (size) *size = total;
    return S_OK;
}

/* ---- Row sets, address lists, whole tables (U72-U74) ----------------------------------------------------------- */

void WINAPI FreeProws(LPSRowSet rows)
{
    ULONG i;

    TRACE("(%p)\n", rows);
    if (!rows) return;
    for (i = 0; i < rows->cRows; i++) MAPIFreeBuffer(rows->aRow[i].lpProps);
    MAPIFreeBuffer(rows);
}

void WINAPI FreePadrlist(LPADRLIST list)
{
    TRACE("(%p)\n", list);
    FreeProws((LPSRowSet)list); /* the same layout (U72) */
}

HRESULT WINAPI HrQueryAllRows(LPMAPITABLE table, LPSPropTagArray columns, LPSRestriction restriction,
                              LPSSortOrderSet sort, LONG max_rows, LPSRowSet *rows)
{
    ULONG count;
    HRESULT hr;

    TRACE("(%p, %p, %p, %p, %#lx, %p)\n", table, columns, restriction, sort, max_rows, rows);
    if (!table || !rows || max_rows < 0) return MAPI_E_INVALID_PARAMETER;
    *rows = NULL;
    if (columns && FAILED(hr = IMAPITable_SetColumns(table, columns, TBL_BATCH))) return hr;
    if (restriction && FAILED(hr = IMAPITable_Restrict(table, restriction, TBL_BATCH))) return hr;
    if (sort && FAILED(hr = IMAPITable_SortTable(table, sort, TBL_BATCH))) return hr;
    if (FAILED(hr = IMAPITable_SeekRow(table, BOOKMARK_BEGINNING, 0, NULL))) return hr;
    if (FAILED(hr = IMAPITable_GetRowCount(table, 0, &count))) return hr;
    if (max_rows && count > (ULONG)max_rows) return MAPI_E_TABLE_TOO_BIG;
    return IMAPITable_QueryRows(table, count ? (LONG)count : 1, 0, rows);
}

HRESULT WINAPI HrAddColumnsEx(LPMAPITABLE table, LPSPropTagArray added, ALLOCATEBUFFER *allocate,
                              FREEBUFFER *free_buffer, FNFILTERCOLUMNS *filter)
{
    SPropTagArray *current, *columns;
    ULONG i, j;
    HRESULT hr;

    TRACE("(%p, %p, %p, %p, %p)\n", table, added, allocate, free_buffer, filter);
    if (!table || !added || !allocate || !free_buffer) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = IMAPITable_QueryColumns(table, 0, &current))) return hr;
    if (filter) filter(current);
    if ((hr = allocate(CbNewSPropTagArray(added->cValues + current->cValues), (void **)&columns)) == S_OK) {
        /* The new columns first, then the old ones they do not repeat (U74). */
        memcpy(columns->aulPropTag, added->aulPropTag, added->cValues * sizeof(ULONG));
        columns->cValues = added->cValues;
        for (i = 0; i < current->cValues; i++) {
            for (j = 0; j < added->cValues && added->aulPropTag[j] != current->aulPropTag[i]; j++) {}
            if (j == added->cValues) columns->aulPropTag[columns->cValues++] = current->aulPropTag[i];
        }
        hr = IMAPITable_SetColumns(table, columns, 0);
        free_buffer(columns);
    }
    MAPIFreeBuffer(current);
    return hr;
}

HRESULT WINAPI HrAddColumns(LPMAPITABLE table, LPSPropTagArray added, ALLOCATEBUFFER *allocate, FREEBUFFER *free_buffer)
{
    TRACE("(%p, %p, %p, %p)\n", table, added, allocate, free_buffer);
    return HrAddColumnsEx(table, added, allocate, free_buffer, NULL);
}
