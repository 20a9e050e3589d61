/*
 * Fuzz target "props": property values and restrictions as a provider or client hands them to MAPI's utilities. The
 * input is a recipe: values of every property type (strings, binaries and arrays of the lengths it says, pointing into
 * memory of exactly that size) and a restriction tree over them, which go through the validators (FBadProp,
 * FBadRestriction), the copies (ScCountProps, ScCopyProps, ScDupPropset, PropCopyMore), the comparisons
 * (LPropCompareProp, FPropCompareProp, FPropContainsProp) and a restriction's evaluation over the values as a row.
 * A value the validator takes must copy to what it was, and the two sizes must agree.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_x.h"
#include "mapihost_util.h"
#include "restrict.h"
#include "fuzz.h"

struct recipe {
    const BYTE *p, *end;
    void *parent; /* the MAPI buffer everything built hangs on */
};

static ULONG take(struct recipe *r, ULONG bytes)
{
    ULONG value = 0, i;

    for (i = 0; i < bytes && r->p < r->end; i++) value |= (ULONG)*r->p++ << (8 * i);
    return value;
}

/* size bytes in memory of their own, from the recipe as far as it goes, zeros after. */
static void *take_bytes(struct recipe *r, ULONG size)
{
    ULONG left = (ULONG)(r->end - r->p), copied = size < left ? size : left;
    BYTE *copy = NULL;

    if (MAPIAllocateMore(size ? size : 1, r->parent, (void **)&copy)) return NULL;
    memcpy(copy, r->p, copied);
    memset(copy + copied, 0, size - copied);
    r->p += copied;
    return copy;
}

static char *take_string(struct recipe *r)
{
    ULONG length = take(r, 1) % 64;
    char *text = take_bytes(r, length + 1);

    if (text) text[length] = 0;
    return text;
}

static WCHAR *take_wide(struct recipe *r)
{
    ULONG length = take(r, 1) % 32;
    WCHAR *text = take_bytes(r, (length + 1) * sizeof(WCHAR));

    if (text) text[length] = 0;
    return text;
}

static const ULONG types[] = {
    PT_UNSPECIFIED, PT_NULL,      PT_I2,         PT_LONG,        PT_R4,         PT_DOUBLE,
    PT_CURRENCY,    PT_APPTIME,   PT_ERROR,      PT_BOOLEAN,     PT_OBJECT,     PT_I8,
    PT_STRING8,     PT_UNICODE,   PT_SYSTIME,    PT_CLSID,       PT_BINARY,     PT_MV_I2,
    PT_MV_LONG,     PT_MV_R4,     PT_MV_DOUBLE,  PT_MV_CURRENCY, PT_MV_APPTIME, PT_MV_SYSTIME,
    PT_MV_STRING8,  PT_MV_BINARY, PT_MV_UNICODE, PT_MV_CLSID,    PT_MV_I8,
};

/* The element size of a multi-valued type's array, 0 for the pointer ones (strings, binaries). */
static ULONG element_size(ULONG type)
{
    switch (type & ~MV_FLAG) {
    case PT_I2: return sizeof(short);
    case PT_LONG:
    case PT_R4: return 4;
    case PT_DOUBLE:
    case PT_CURRENCY:
    case PT_APPTIME:
    case PT_SYSTIME:
    case PT_I8: return 8;
    case PT_CLSID: return sizeof(GUID);
    default: return 0;
    }
}

static void take_value(struct recipe *r, SPropValue *value)
{
    ULONG selector = take(r, 1), type, count, i;

    type = selector < 0xF0 ? types[selector % ARRAYSIZE(types)] : take(r, 2); /* now and then a type that is none */
    value->ulPropTag = PROP_TAG(type, 0x6600 + take(r, 1) % 16);
    value->dwAlignPad = 0;
    memset(&value->Value, 0, sizeof(value->Value));
    if (type & MV_FLAG) {
        count = take(r, 1) % 8;
        value->Value.MVi.cValues = count;
        if (element_size(type)) {
            value->Value.MVi.lpi = take_bytes(r, count * element_size(type));
            return;
        }
        if (MAPIAllocateMore(count * sizeof(void *) + 1, r->parent, (void **)&value->Value.MVszA.lppszA)) return;
        for (i = 0; i < count; i++) {
            if ((type & ~MV_FLAG) == PT_STRING8)
                value->Value.MVszA.lppszA[i] = take_string(r);
            else if ((type & ~MV_FLAG) == PT_UNICODE)
                value->Value.MVszW.lppszW[i] = take_wide(r);
        }
        if ((type & ~MV_FLAG) == PT_BINARY) {
            SBinary *bins = NULL;
            if (MAPIAllocateMore(count * sizeof(*bins) + 1, r->parent, (void **)&bins)) return;
            for (i = 0; i < count; i++) {
                bins[i].cb = take(r, 1);
                if (!(bins[i].lpb = take_bytes(r, bins[i].cb))) bins[i].cb = 0;
            }
            value->Value.MVbin.lpbin = bins;
        }
        return;
    }
    switch (type) {
    case PT_STRING8: value->Value.lpszA = take_string(r); break;
    case PT_UNICODE: value->Value.lpszW = take_wide(r); break;
    case PT_CLSID: value->Value.lpguid = take_bytes(r, sizeof(GUID)); break;
    case PT_BINARY:
        value->Value.bin.cb = take(r, 1);
        if (!(value->Value.bin.lpb = take_bytes(r, value->Value.bin.cb))) value->Value.bin.cb = 0;
        break;
    default: {
        ULONG low = take(r, 4), high = take(r, 4);
        value->Value.li.LowPart = low;
        value->Value.li.HighPart = (LONG)high;
    }
    }
}

static SRestriction *take_restriction(struct recipe *r, const SPropValue *values, ULONG count, ULONG depth)
{
    SRestriction *res = NULL;
    ULONG kind = take(r, 1), i, n;

    if (MAPIAllocateMore(sizeof(*res), r->parent, (void **)&res)) return NULL;
    memset(res, 0, sizeof(*res));
    res->rt = depth > 5 ? RES_EXIST : kind % 11;
    switch (res->rt) {
    case RES_AND:
    case RES_OR:
        n = take(r, 1) % 4;
        res->res.resAnd.cRes = n;
        if (MAPIAllocateMore(n * sizeof(SRestriction) + 1, r->parent, (void **)&res->res.resAnd.lpRes)) return NULL;
        for (i = 0; i < n; i++) {
            SRestriction *child = take_restriction(r, values, count, depth + 1);
            if (child)
                res->res.resAnd.lpRes[i] = *child;
            else
                res->res.resAnd.lpRes[i].rt = RES_EXIST;
        }
        break;
    case RES_NOT:
    case RES_SUBRESTRICTION:
    case RES_COMMENT:
        if (res->rt == RES_SUBRESTRICTION) res->res.resSub.ulSubObject = take(r, 4);
        if (res->rt == RES_COMMENT) {
            res->res.resComment.cValues = count ? take(r, 1) % (count + 1) : 0;
            res->res.resComment.lpProp = (SPropValue *)values;
            res->res.resComment.lpRes = take_restriction(r, values, count, depth + 1);
        } else
            res->res.resNot.lpRes = take_restriction(r, values, count, depth + 1);
        break;
    case RES_CONTENT:
        res->res.resContent.ulFuzzyLevel = take(r, 4);
        res->res.resContent.lpProp = count ? (SPropValue *)&values[take(r, 1) % count] : NULL;
        res->res.resContent.ulPropTag = res->res.resContent.lpProp ? res->res.resContent.lpProp->ulPropTag : take(r, 4);
        break;
    case RES_PROPERTY:
        res->res.resProperty.relop = take(r, 1) % 8;
        res->res.resProperty.lpProp = count ? (SPropValue *)&values[take(r, 1) % count] : NULL;
        res->res.resProperty.ulPropTag = take(r, 1) & 1 || !count ? take(r, 4) : res->res.resProperty.lpProp->ulPropTag;
        break;
    case RES_COMPAREPROPS:
        res->res.resCompareProps.relop = take(r, 1) % 8;
        res->res.resCompareProps.ulPropTag1 = count ? values[take(r, 1) % count].ulPropTag : take(r, 4);
        res->res.resCompareProps.ulPropTag2 = count ? values[take(r, 1) % count].ulPropTag : take(r, 4);
        break;
    case RES_BITMASK:
        res->res.resBitMask.relBMR = take(r, 1) % 3;
        res->res.resBitMask.ulPropTag = count ? values[take(r, 1) % count].ulPropTag : take(r, 4);
        res->res.resBitMask.ulMask = take(r, 4);
        break;
    case RES_SIZE:
        res->res.resSize.relop = take(r, 1) % 8;
        res->res.resSize.ulPropTag = count ? values[take(r, 1) % count].ulPropTag : take(r, 4);
        res->res.resSize.cb = take(r, 2);
        break;
    default: res->res.resExist.ulPropTag = count ? values[take(r, 1) % count].ulPropTag : take(r, 4); break;
    }
    return res;
}

static void check_copies(ULONG count, SPropValue *values)
{
    SPropValue *dup = NULL, more;
    ULONG size = 0, used = 0, i;
    void *block;

    if (ScCountProps(count, values, &size) != S_OK) return;
    if (MAPIAllocateBuffer(size + 1, &block)) return;
    if (ScCopyProps(count, values, block, &used) == S_OK && used != size)
        fuzz_fail("ScCountProps says %lu bytes, ScCopyProps used %lu", size, used);
    MAPIFreeBuffer(block);
    if (ScDupPropset(count, values, MAPIAllocateBuffer, &dup) != S_OK) return;
    for (i = 0; i < count; i++) {
        if (LPropCompareProp(&values[i], &dup[i]))
            fuzz_fail("value %lu (tag %#lx) does not compare equal to its copy", i, values[i].ulPropTag);
        FPropCompareProp(&values[i], RELOP_LT, &dup[(i + 1) % count]);
        FPropContainsProp(&values[i], &dup[(i + 1) % count], FL_SUBSTRING | FL_IGNORECASE);
        if (PropCopyMore(&more, &values[i], MAPIAllocateMore, dup) != S_OK) continue;
    }
    MAPIFreeBuffer(dup);
}

static void run(const BYTE *data, size_t size)
{
    struct recipe r = { data, data + size, NULL };
    SPropValue *values;
    SRestriction *res;
    ULONG count, i, bad = 0;

    if (MAPIAllocateBuffer(1, &r.parent)) return;
    count = take(&r, 1) % 12;
    if (MAPIAllocateMore((count + 1) * sizeof(*values), r.parent, (void **)&values)) goto done;
    for (i = 0; i < count; i++) {
        take_value(&r, &values[i]);
        FBadPropTag(values[i].ulPropTag);
        bad |= FBadProp(&values[i]);
    }
    if (!bad) check_copies(count, values);
    if ((res = take_restriction(&r, values, count, 0)) && !FBadRestriction(res)) {
        if (restriction_check(res) == S_OK) restriction_matches(res, count, values);
    }
done:
    MAPIFreeBuffer(r.parent);
}

const struct fuzz_target fuzz_props_target = { "props", run, NULL };
