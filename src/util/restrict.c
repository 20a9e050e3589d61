/*
 * Restrictions and value comparisons (restrict.h). The rules the documentation leaves open are the spec's (INF)
 * choices: a leaf on a missing or PT_ERROR property is FALSE (U44), an MV column matches when any value does (U46,
 * U47), RES_COMMENT evaluates its child or is TRUE without one (X30), AND of nothing is TRUE and OR of nothing FALSE.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "propval.h"
#include "restrict.h"

static BOOL is_string(ULONG type)
{
    return type == PT_STRING8 || type == PT_UNICODE;
}

/* Two single-valued types compare when equal, or when both are strings. */
static BOOL comparable(ULONG a, ULONG b)
{
    return a == b || (is_string(a) && is_string(b));
}

/* A string value as wide text; *owned is set when the caller must free it. */
static const WCHAR *wide_text(const SPropValue *value, WCHAR **owned)
{
    int size;

    *owned = NULL;
    if (PROP_TYPE(value->ulPropTag) == PT_UNICODE) return value->Value.lpszW ? value->Value.lpszW : L"";
    if (!value->Value.lpszA) return L"";
    size = MultiByteToWideChar(CP_ACP, 0, value->Value.lpszA, -1, NULL, 0);
    if (!(*owned = malloc(size * sizeof(WCHAR)))) return L"";
    MultiByteToWideChar(CP_ACP, 0, value->Value.lpszA, -1, *owned, size);
    return *owned;
}

static int compare_text(const SPropValue *a, const SPropValue *b, DWORD flags)
{
    WCHAR *owned_a, *owned_b;
    const WCHAR *x = wide_text(a, &owned_a), *y = wide_text(b, &owned_b);
    int result = CompareStringW(LOCALE_USER_DEFAULT, flags, x, -1, y, -1) - CSTR_EQUAL;

    free(owned_a);
    free(owned_b);
    return result;
}

static LONG sign(LONGLONG x)
{
    return x < 0 ? -1 : x > 0;
}

/* One element of a multi-valued value as a single value. */
static void element(const SPropValue *mv, ULONG index, SPropValue *out)
{
    ULONG type = PROP_TYPE(mv->ulPropTag) & ~MV_FLAG;
    size_t size = prop_element_size(type);

    memset(out, 0, sizeof(*out));
    out->ulPropTag = PROP_TAG(type, PROP_ID(mv->ulPropTag));
    if (type == PT_CLSID)
        out->Value.lpguid = &mv->Value.MVguid.lpguid[index];
    else
        memcpy(&out->Value, (const BYTE *)mv->Value.MVl.lpl + index * size, size);
}

LONG prop_compare(const SPropValue *a, const SPropValue *b)
{
    ULONG type = PROP_TYPE(a->ulPropTag), i;
    SPropValue x, y;
    LONG result;

    if (is_string(type) && is_string(PROP_TYPE(b->ulPropTag))) return compare_text(a, b, 0);
    /* Values of different types (a single value and a multi-valued one of the same ID, in a table's rows) sort by
     * their types: one is never read as the other, which would take a single value for an array. */
    if (!comparable(type, PROP_TYPE(b->ulPropTag))) return type < PROP_TYPE(b->ulPropTag) ? -1 : 1;
    switch (type) {
    case PT_I2: return sign((LONGLONG)a->Value.i - b->Value.i);
    case PT_BOOLEAN: return sign((LONGLONG) !!a->Value.b - !!b->Value.b);
    case PT_LONG: return sign((LONGLONG)a->Value.l - b->Value.l);
    case PT_ERROR: return a->Value.err == b->Value.err ? 0 : (ULONG)a->Value.err < (ULONG)b->Value.err ? -1 : 1;
    case PT_R4: return a->Value.flt < b->Value.flt ? -1 : a->Value.flt > b->Value.flt;
    case PT_DOUBLE:
    case PT_APPTIME: return a->Value.dbl < b->Value.dbl ? -1 : a->Value.dbl > b->Value.dbl;
    case PT_I8:
    case PT_CURRENCY:
        return a->Value.li.QuadPart < b->Value.li.QuadPart ? -1 : a->Value.li.QuadPart > b->Value.li.QuadPart;
    case PT_SYSTIME: {
        ULONGLONG p = ((ULONGLONG)a->Value.ft.dwHighDateTime << 32) | a->Value.ft.dwLowDateTime;
        ULONGLONG q = ((ULONGLONG)b->Value.ft.dwHighDateTime << 32) | b->Value.ft.dwLowDateTime;
        return p < q ? -1 : p > q;
    }
    case PT_CLSID: return sign(memcmp(a->Value.lpguid, b->Value.lpguid, sizeof(GUID)));
    case PT_BINARY:
        if ((result = memcmp(a->Value.bin.lpb, b->Value.bin.lpb, min(a->Value.bin.cb, b->Value.bin.cb))))
            return sign(result);
        return sign((LONGLONG)a->Value.bin.cb - b->Value.bin.cb);
    }
    if (type & MV_FLAG) {
        /* An ordered tuple: the first difference decides, then the shorter one first (U56). */
        for (i = 0; i < a->Value.MVl.cValues && i < b->Value.MVl.cValues; i++) {
            element(a, i, &x);
            element(b, i, &y);
            if ((result = prop_compare(&x, &y))) return result;
        }
        return sign((LONGLONG)a->Value.MVl.cValues - b->Value.MVl.cValues);
    }
    return 0;
}

static BOOL relop_holds(LONG comparison, ULONG relop)
{
    switch (relop) {
    case RELOP_LT: return comparison < 0;
    case RELOP_LE: return comparison <= 0;
    case RELOP_GT: return comparison > 0;
    case RELOP_GE: return comparison >= 0;
    case RELOP_EQ: return comparison == 0;
    case RELOP_NE: return comparison != 0;
    }
    return FALSE; /* RELOP_RE and anything else */
}

BOOL prop_compare_relop(const SPropValue *a, ULONG relop, const SPropValue *b)
{
    if (!comparable(PROP_TYPE(a->ulPropTag), PROP_TYPE(b->ulPropTag))) return FALSE;
    return relop_holds(prop_compare(a, b), relop);
}

BOOL prop_contains(const SPropValue *value, const SPropValue *pattern, ULONG fuzzy)
{
    ULONG type = PROP_TYPE(value->ulPropTag), level = fuzzy & 0xffff;
    BOOL ignore_case = !!(fuzzy & (FL_IGNORECASE | FL_LOOSE));

    if (is_string(type) && is_string(PROP_TYPE(pattern->ulPropTag))) {
        WCHAR *owned_v, *owned_p;
        const WCHAR *v = wide_text(value, &owned_v), *p = wide_text(pattern, &owned_p);
        DWORD flags =
            (ignore_case ? NORM_IGNORECASE : 0) | (fuzzy & (FL_IGNORENONSPACE | FL_LOOSE) ? NORM_IGNORENONSPACE : 0);
        int length = lstrlenW(v), wanted = lstrlenW(p), i;
        BOOL found = FALSE;

        if (level == FL_PREFIX)
            found = wanted <= length && CompareStringW(LOCALE_USER_DEFAULT, flags, v, wanted, p, wanted) == CSTR_EQUAL;
        else if (level == FL_SUBSTRING)
            for (i = 0; !found && i + wanted <= length; i++)
                found = CompareStringW(LOCALE_USER_DEFAULT, flags, v + i, wanted, p, wanted) == CSTR_EQUAL;
        else
            found = CompareStringW(LOCALE_USER_DEFAULT, flags, v, -1, p, -1) == CSTR_EQUAL;
        free(owned_v);
        free(owned_p);
        return found;
    }
    if (type == PT_BINARY && PROP_TYPE(pattern->ulPropTag) == PT_BINARY) {
        const SBinary *v = &value->Value.bin, *p = &pattern->Value.bin;
        ULONG i;
        if (level == FL_PREFIX) return p->cb <= v->cb && !memcmp(v->lpb, p->lpb, p->cb);
        if (level == FL_SUBSTRING) {
            for (i = 0; i + p->cb <= v->cb; i++)
                if (!memcmp(v->lpb + i, p->lpb, p->cb)) return TRUE;
            return FALSE;
        }
        return v->cb == p->cb && !memcmp(v->lpb, p->lpb, p->cb);
    }
    return FALSE;
}

ULONG prop_size(const SPropValue *value)
{
    ULONG type = PROP_TYPE(value->ulPropTag), count = value->Value.MVl.cValues, size = 0, i;
    SPropValue x;

    switch (type) {
    case PT_STRING8: return value->Value.lpszA ? (ULONG)strlen(value->Value.lpszA) + 1 : 0;
    case PT_UNICODE: return value->Value.lpszW ? (lstrlenW(value->Value.lpszW) + 1) * sizeof(WCHAR) : 0;
    case PT_BINARY: return value->Value.bin.cb;
    case PT_BOOLEAN: return sizeof(value->Value.b);
    case PT_ERROR: return sizeof(value->Value.err);
    case PT_MV_STRING8:
    case PT_MV_UNICODE:
    case PT_MV_BINARY:
        for (i = 0; value->Value.MVl.lpl && i < count; i++) {
            element(value, i, &x);
            size += prop_size(&x);
        }
        return size;
    }
    /* A fixed-size multi-valued property: its count times its element's size, without reading the array. */
    if (type & MV_FLAG) return count * (ULONG)prop_element_size(type);
    return (ULONG)prop_element_size(type);
}

/* ---- Validation and copies ------------------------------------------------------------------------------------- */

/* A restriction's value: readable down to its last pointer, of a type the tag allows. */
static HRESULT check_value(const SPropValue *value, ULONG tag, BOOL exact_type)
{
    ULONG want = PROP_TYPE(tag) & ~MV_FLAG, have;

    if (!value || IsBadReadPtr(value, sizeof(*value)) || !prop_readable(value)) return MAPI_E_INVALID_PARAMETER;
    have = PROP_TYPE(value->ulPropTag);
    if (have & MV_FLAG) return MAPI_E_TOO_COMPLEX;
    if (exact_type ? have != want && !(is_string(have) && is_string(want)) : !comparable(have, want))
        return MAPI_E_TOO_COMPLEX;
    return S_OK;
}

static HRESULT check_node(const SRestriction *res, ULONG depth)
{
    const SRestriction *children;
    ULONG i, count;
    HRESULT hr;

    if (!res || IsBadReadPtr(res, sizeof(*res))) return MAPI_E_INVALID_PARAMETER;
    /* A bound on nesting: the walks are recursive, and a node that contains itself would never end. */
    if (depth > RESTRICTION_MAX_DEPTH) return MAPI_E_TOO_COMPLEX;
    switch (res->rt) {
    case RES_AND:
    case RES_OR:
        count = res->res.resAnd.cRes;
        children = res->res.resAnd.lpRes;
        if (count && (!children || IsBadReadPtr(children, count * sizeof(*children)))) return MAPI_E_INVALID_PARAMETER;
        for (i = 0; i < count; i++)
            if ((hr = check_node(&children[i], depth + 1)) != S_OK) return hr;
        return S_OK;
    case RES_NOT: return check_node(res->res.resNot.lpRes, depth + 1);
    case RES_CONTENT:
        if ((hr = check_value(res->res.resContent.lpProp, res->res.resContent.ulPropTag, FALSE)) != S_OK) return hr;
        if ((res->res.resContent.ulFuzzyLevel & 0xffff) > FL_PREFIX) return MAPI_E_TOO_COMPLEX;
        i = PROP_TYPE(res->res.resContent.ulPropTag) & ~MV_FLAG;
        return is_string(i) || i == PT_BINARY ? S_OK : MAPI_E_TOO_COMPLEX;
    case RES_PROPERTY:
        if ((hr = check_value(res->res.resProperty.lpProp, res->res.resProperty.ulPropTag, TRUE)) != S_OK) return hr;
        return res->res.resProperty.relop > RELOP_NE ? MAPI_E_TOO_COMPLEX : S_OK; /* RELOP_RE is never specified */
    case RES_COMPAREPROPS:
        if (res->res.resCompareProps.relop > RELOP_NE) return MAPI_E_TOO_COMPLEX;
        return comparable(PROP_TYPE(res->res.resCompareProps.ulPropTag1),
                          PROP_TYPE(res->res.resCompareProps.ulPropTag2))
                   ? S_OK
                   : MAPI_E_TOO_COMPLEX;
    case RES_BITMASK:
        if (res->res.resBitMask.relBMR > BMR_NEZ) return MAPI_E_INVALID_PARAMETER;
        return PROP_TYPE(res->res.resBitMask.ulPropTag) == PT_LONG ? S_OK : MAPI_E_TOO_COMPLEX;
    case RES_SIZE: return res->res.resSize.relop > RELOP_NE ? MAPI_E_TOO_COMPLEX : S_OK;
    case RES_EXIST:
        return res->res.resExist.ulReserved1 || res->res.resExist.ulReserved2 ? MAPI_E_INVALID_PARAMETER : S_OK;
    case RES_SUBRESTRICTION: return MAPI_E_TOO_COMPLEX; /* a row has no sub-objects (U23) */
    case RES_COMMENT:
        count = res->res.resComment.cValues;
        if (count
            && (!res->res.resComment.lpProp || IsBadReadPtr(res->res.resComment.lpProp, count * sizeof(SPropValue))))
            return MAPI_E_INVALID_PARAMETER;
        return res->res.resComment.lpRes ? check_node(res->res.resComment.lpRes, depth + 1) : S_OK;
    }
    return MAPI_E_INVALID_PARAMETER;
}

HRESULT restriction_check(const SRestriction *res)
{
    return check_node(res, 0);
}

/* The copy: every node and value chained to one block. */
static HRESULT copy_node(const SRestriction *src, SRestriction *dst, void *parent)
{
    ULONG i;
    HRESULT hr;

    *dst = *src;
    switch (src->rt) {
    case RES_AND:
    case RES_OR:
        if (MAPIAllocateMore((src->res.resAnd.cRes + 1) * sizeof(*dst), parent, (void **)&dst->res.resAnd.lpRes))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        for (i = 0; i < src->res.resAnd.cRes; i++)
            if ((hr = copy_node(&src->res.resAnd.lpRes[i], &dst->res.resAnd.lpRes[i], parent)) != S_OK) return hr;
        return S_OK;
    case RES_NOT:
        if (MAPIAllocateMore(sizeof(*dst), parent, (void **)&dst->res.resNot.lpRes)) return MAPI_E_NOT_ENOUGH_MEMORY;
        return copy_node(src->res.resNot.lpRes, dst->res.resNot.lpRes, parent);
    case RES_CONTENT:
    case RES_PROPERTY: {
        /* resContent and resProperty keep lpProp at the same place. */
        const SPropValue *value = src->rt == RES_CONTENT ? src->res.resContent.lpProp : src->res.resProperty.lpProp;
        SPropValue *copy;
        if (MAPIAllocateMore(sizeof(*copy), parent, (void **)&copy)) return MAPI_E_NOT_ENOUGH_MEMORY;
        if ((hr = prop_copy_into(value, copy, parent)) != S_OK) return hr;
        if (src->rt == RES_CONTENT)
            dst->res.resContent.lpProp = copy;
        else
            dst->res.resProperty.lpProp = copy;
        return S_OK;
    }
    case RES_COMMENT:
        dst->res.resComment.cValues = 0; /* annotations do not filter */
        dst->res.resComment.lpProp = NULL;
        if (!src->res.resComment.lpRes) return S_OK;
        if (MAPIAllocateMore(sizeof(*dst), parent, (void **)&dst->res.resComment.lpRes))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        return copy_node(src->res.resComment.lpRes, dst->res.resComment.lpRes, parent);
    }
    return S_OK;
}

HRESULT restriction_copy(const SRestriction *res, SRestriction **copy)
{
    HRESULT hr;

    if ((hr = MAPIAllocateBuffer(sizeof(**copy), (void **)copy)) != S_OK) return hr;
    if ((hr = copy_node(res, *copy, *copy)) != S_OK) {
        MAPIFreeBuffer(*copy);
        *copy = NULL;
    }
    return hr;
}

/* ---- Evaluation ------------------------------------------------------------------------------------------------ */

/* The row's value for tag: same ID, a comparable type (strings of either width), not an error. */
static const SPropValue *row_value(ULONG count, const SPropValue *values, ULONG tag)
{
    const SPropValue *value = props_find(count, values, CHANGE_PROP_TYPE(tag, PT_UNSPECIFIED));

    if (!value || PROP_TYPE(value->ulPropTag) == PT_ERROR) return NULL;
    if (!comparable(PROP_TYPE(value->ulPropTag) & ~MV_FLAG, PROP_TYPE(tag) & ~MV_FLAG)) return NULL;
    if ((PROP_TYPE(value->ulPropTag) & MV_FLAG) != (PROP_TYPE(tag) & MV_FLAG)) return NULL;
    return value;
}

/* test(value) on a single value, or on any value of a multi-valued one. */
static BOOL any_value(const SPropValue *value, BOOL (*test)(const SPropValue *, const void *), const void *context)
{
    SPropValue x;
    ULONG i;

    if (!(PROP_TYPE(value->ulPropTag) & MV_FLAG)) return test(value, context);
    for (i = 0; i < value->Value.MVl.cValues; i++) {
        element(value, i, &x);
        if (test(&x, context)) return TRUE;
    }
    return FALSE;
}

static BOOL test_property(const SPropValue *value, const void *context)
{
    const SPropertyRestriction *res = context;

    return prop_compare_relop(value, res->relop, res->lpProp);
}

static BOOL test_content(const SPropValue *value, const void *context)
{
    const SContentRestriction *res = context;

    return prop_contains(value, res->lpProp, res->ulFuzzyLevel);
}

BOOL restriction_matches(const SRestriction *res, ULONG count, const SPropValue *values)
{
    const SPropValue *value, *other;
    ULONG i;

    if (!res) return TRUE;
    switch (res->rt) {
    case RES_AND:
        for (i = 0; i < res->res.resAnd.cRes; i++)
            if (!restriction_matches(&res->res.resAnd.lpRes[i], count, values)) return FALSE;
        return TRUE;
    case RES_OR:
        for (i = 0; i < res->res.resOr.cRes; i++)
            if (restriction_matches(&res->res.resOr.lpRes[i], count, values)) return TRUE;
        return FALSE;
    case RES_NOT: return !restriction_matches(res->res.resNot.lpRes, count, values);
    case RES_CONTENT:
        return (value = row_value(count, values, res->res.resContent.ulPropTag))
               && any_value(value, test_content, &res->res.resContent);
    case RES_PROPERTY:
        return (value = row_value(count, values, res->res.resProperty.ulPropTag))
               && any_value(value, test_property, &res->res.resProperty);
    case RES_COMPAREPROPS:
        return (value = row_value(count, values, res->res.resCompareProps.ulPropTag1))
               && (other = row_value(count, values, res->res.resCompareProps.ulPropTag2))
               && prop_compare_relop(value, res->res.resCompareProps.relop, other);
    case RES_BITMASK:
        if (!(value = row_value(count, values, res->res.resBitMask.ulPropTag))) return FALSE;
        return (res->res.resBitMask.relBMR == BMR_EQZ) == !(value->Value.l & res->res.resBitMask.ulMask);
    case RES_SIZE:
        if (!(value = row_value(count, values, res->res.resSize.ulPropTag))) return FALSE;
        return relop_holds(sign((LONGLONG)prop_size(value) - res->res.resSize.cb), res->res.resSize.relop);
    case RES_EXIST:
        return (value = props_find(count, values, CHANGE_PROP_TYPE(res->res.resExist.ulPropTag, PT_UNSPECIFIED)))
               && PROP_TYPE(value->ulPropTag) != PT_ERROR;
    case RES_COMMENT:
        return !res->res.resComment.lpRes || restriction_matches(res->res.resComment.lpRes, count, values);
    }
    return FALSE;
}
