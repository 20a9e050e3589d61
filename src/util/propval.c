/*
 * Property values. Status rows mix PT_STRING8 and PT_UNICODE tags for the same property (F5), so lookups ignore the
 * string width, and copies keep whatever width the provider wrote.
 */
#include <string.h>

#include "mapihost_private.h"
#include "hashtable.h"
#include "propval.h"

static BOOL same_property(ULONG a, ULONG b)
{
    ULONG ta = PROP_TYPE(a), tb = PROP_TYPE(b);

    if (PROP_ID(a) != PROP_ID(b)) return FALSE;
    if (ta == tb || ta == PT_UNSPECIFIED || tb == PT_UNSPECIFIED) return TRUE;
    return (ta == PT_STRING8 || ta == PT_UNICODE) && (tb == PT_STRING8 || tb == PT_UNICODE);
}

const SPropValue *props_find(ULONG count, const SPropValue *values, ULONG tag)
{
    ULONG i;

    for (i = 0; i < count; i++)
        if (same_property(values[i].ulPropTag, tag)) return &values[i];
    return NULL;
}

const struct mapi_allocators host_allocators = { MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer };

size_t prop_element_size(ULONG type)
{
    switch (type & ~MV_FLAG) {
    case PT_I2: return sizeof(short);
    case PT_LONG: return sizeof(LONG);
    case PT_R4: return sizeof(float);
    case PT_DOUBLE:
    case PT_APPTIME: return sizeof(double);
    case PT_CURRENCY:
    case PT_I8:
    case PT_SYSTIME: return sizeof(LARGE_INTEGER);
    case PT_CLSID: return sizeof(GUID);
    case PT_BINARY: return sizeof(SBinary);
    case PT_STRING8:
    case PT_UNICODE: return sizeof(void *);
    }
    return 0;
}

/* Every SxxxArray is { ULONG cValues; T *array; }: the array first, then what its strings and binaries point to.
 * copy is the value being made (NULL while measuring); its array is the one the element pointers go into. */
static HRESULT multi_blocks(const SPropValue *source, SPropValue *copy, prop_block_visit visit, void *context)
{
    ULONG type = PROP_TYPE(source->ulPropTag) & ~MV_FLAG, count = source->Value.MVl.cValues, i;
    size_t size = prop_element_size(type);
    HRESULT hr;

    if (!size) return MAPI_E_INVALID_TYPE;
    if (count && !source->Value.MVl.lpl) return MAPI_E_INVALID_PARAMETER;
    if ((hr = visit(context, source->Value.MVl.lpl, count * (ULONG)size, copy ? (void **)&copy->Value.MVl.lpl : NULL)))
        return hr;
    for (i = 0; hr == S_OK && i < count; i++) {
        switch (type) {
        case PT_STRING8: {
            const char *text = source->Value.MVszA.lppszA[i];
            if (!text) return MAPI_E_INVALID_PARAMETER;
            hr = visit(context, text, (ULONG)strlen(text) + 1, copy ? (void **)&copy->Value.MVszA.lppszA[i] : NULL);
            break;
        }
        case PT_UNICODE: {
            const WCHAR *text = source->Value.MVszW.lppszW[i];
            if (!text) return MAPI_E_INVALID_PARAMETER;
            hr = visit(context, text, (lstrlenW(text) + 1) * sizeof(WCHAR),
                       copy ? (void **)&copy->Value.MVszW.lppszW[i] : NULL);
            break;
        }
        case PT_BINARY: {
            const SBinary *bin = &source->Value.MVbin.lpbin[i];
            if (bin->cb && !bin->lpb) return MAPI_E_INVALID_PARAMETER;
            hr = visit(context, bin->lpb, bin->cb, copy ? (void **)&copy->Value.MVbin.lpbin[i].lpb : NULL);
            break;
        }
        }
    }
    return hr;
}

HRESULT prop_blocks(const SPropValue *source, SPropValue *copy, prop_block_visit visit, void *context)
{
    switch (PROP_TYPE(source->ulPropTag)) {
    case PT_STRING8:
        if (!source->Value.lpszA) return MAPI_E_INVALID_PARAMETER;
        return visit(context, source->Value.lpszA, (ULONG)strlen(source->Value.lpszA) + 1,
                     copy ? (void **)&copy->Value.lpszA : NULL);
    case PT_UNICODE:
        if (!source->Value.lpszW) return MAPI_E_INVALID_PARAMETER;
        return visit(context, source->Value.lpszW, (lstrlenW(source->Value.lpszW) + 1) * sizeof(WCHAR),
                     copy ? (void **)&copy->Value.lpszW : NULL);
    case PT_BINARY:
        if (source->Value.bin.cb && !source->Value.bin.lpb) return MAPI_E_INVALID_PARAMETER;
        return visit(context, source->Value.bin.lpb, source->Value.bin.cb, copy ? (void **)&copy->Value.bin.lpb : NULL);
    case PT_CLSID:
        if (!source->Value.lpguid) return MAPI_E_INVALID_PARAMETER;
        return visit(context, source->Value.lpguid, sizeof(GUID), copy ? (void **)&copy->Value.lpguid : NULL);
    case PT_NULL:
    case PT_I2:
    case PT_LONG:
    case PT_R4:
    case PT_DOUBLE:
    case PT_CURRENCY:
    case PT_APPTIME:
    case PT_ERROR:
    case PT_BOOLEAN:
    case PT_I8:
    case PT_SYSTIME:
    case PT_OBJECT: return S_OK;
    }
    if (PROP_TYPE(source->ulPropTag) & MV_FLAG) return multi_blocks(source, copy, visit, context);
    return MAPI_E_INVALID_TYPE;
}

struct copy_target {
    const struct mapi_allocators *alloc;
    void *parent;
};

/* A copy's block: allocated in the parent's chain (one byte at least) and filled. */
static HRESULT copy_block(void *context, const void *data, ULONG size, void **where)
{
    const struct copy_target *target = context;
    SCODE sc;

    if ((sc = target->alloc->more(size ? size : 1, target->parent, where)) != S_OK) return sc;
    if (size) memcpy(*where, data, size);
    return S_OK;
}

HRESULT prop_copy_into(const SPropValue *source, SPropValue *dest, void *parent)
{
    return prop_copy_into_with(&host_allocators, source, dest, parent);
}

HRESULT prop_copy_into_with(const struct mapi_allocators *alloc, const SPropValue *source, SPropValue *dest,
                            void *parent)
{
    struct copy_target target = { alloc, parent };

    *dest = *source;
    return prop_blocks(source, dest, copy_block, &target);
}

HRESULT props_copy(ULONG count, const SPropValue *source, SPropValue **copy)
{
    SPropValue *values;
    HRESULT hr;
    ULONG i;

    *copy = NULL;
    if (count && !source) return MAPI_E_INVALID_PARAMETER;
    if ((hr = MAPIAllocateBuffer((count ? count : 1) * sizeof(*values), (void **)&values)) != S_OK) return hr;
    for (i = 0; i < count; i++)
        if ((hr = prop_copy_into(&source[i], &values[i], values)) != S_OK) {
            MAPIFreeBuffer(values);
            return hr;
        }
    *copy = values;
    return S_OK;
}

static BOOL multi_equal(const SPropValue *a, const SPropValue *b)
{
    ULONG type = PROP_TYPE(a->ulPropTag) & ~MV_FLAG, i;
    SPropValue x, y;

    if (a->Value.MVl.cValues != b->Value.MVl.cValues || !prop_element_size(type)) return FALSE;
    for (i = 0; i < a->Value.MVl.cValues; i++) {
        x.ulPropTag = y.ulPropTag = PROP_TAG(type, 0);
        if (type == PT_CLSID) {
            x.Value.lpguid = &a->Value.MVguid.lpguid[i];
            y.Value.lpguid = &b->Value.MVguid.lpguid[i];
        } else {
            size_t size = prop_element_size(type);
            memcpy(&x.Value, (const BYTE *)a->Value.MVl.lpl + i * size, size);
            memcpy(&y.Value, (const BYTE *)b->Value.MVl.lpl + i * size, size);
        }
        if (!prop_equal(&x, &y)) return FALSE;
    }
    return TRUE;
}

BOOL prop_equal(const SPropValue *a, const SPropValue *b)
{
    if (a->ulPropTag != b->ulPropTag) return FALSE;
    switch (PROP_TYPE(a->ulPropTag)) {
    case PT_STRING8: return !strcmp(a->Value.lpszA, b->Value.lpszA);
    case PT_UNICODE: return !wcscmp(a->Value.lpszW, b->Value.lpszW);
    case PT_BINARY:
        return a->Value.bin.cb == b->Value.bin.cb && !memcmp(a->Value.bin.lpb, b->Value.bin.lpb, a->Value.bin.cb);
    case PT_CLSID: return IsEqualGUID(a->Value.lpguid, b->Value.lpguid);
    case PT_I2:
    case PT_BOOLEAN: return a->Value.i == b->Value.i;
    case PT_LONG:
    case PT_ERROR: return a->Value.l == b->Value.l;
    case PT_I8:
    case PT_CURRENCY:
    case PT_SYSTIME: return a->Value.li.QuadPart == b->Value.li.QuadPart;
    case PT_DOUBLE:
    case PT_APPTIME: return a->Value.dbl == b->Value.dbl;
    case PT_R4: return a->Value.flt == b->Value.flt;
    case PT_NULL: return TRUE;
    }
    if (PROP_TYPE(a->ulPropTag) & MV_FLAG) return multi_equal(a, b);
    return FALSE;
}

size_t prop_hash(const SPropValue *value)
{
    size_t tag = value->ulPropTag;
    double number;

    switch (PROP_TYPE(value->ulPropTag)) {
    case PT_STRING8: return tag ^ hash_bytes(value->Value.lpszA, strlen(value->Value.lpszA));
    case PT_UNICODE: return tag ^ hash_bytes(value->Value.lpszW, wcslen(value->Value.lpszW) * sizeof(WCHAR));
    case PT_BINARY: return tag ^ hash_bytes(value->Value.bin.lpb, value->Value.bin.cb);
    case PT_CLSID: return tag ^ hash_bytes(value->Value.lpguid, sizeof(GUID));
    case PT_I2:
    case PT_BOOLEAN: return tag ^ hash_bytes(&value->Value.i, sizeof(value->Value.i));
    case PT_LONG:
    case PT_ERROR: return tag ^ hash_bytes(&value->Value.l, sizeof(value->Value.l));
    case PT_I8:
    case PT_CURRENCY:
    case PT_SYSTIME: return tag ^ hash_bytes(&value->Value.li, sizeof(value->Value.li));
    case PT_DOUBLE:
    case PT_APPTIME:
    case PT_R4:
        /* 0.0 and -0.0 are equal; NaN equals nothing, so its hash does not matter. */
        number = PROP_TYPE(value->ulPropTag) == PT_R4 ? value->Value.flt : value->Value.dbl;
        if (number == 0.0) number = 0.0;
        return tag ^ hash_bytes(&number, sizeof(number));
    }
    return tag; /* multi-valued and the rest: equal values only need equal hashes */
}

/* A string in the other width: MultiByte strings are in the ANSI code page, as MAPI's are. */
static HRESULT convert_string(const struct mapi_allocators *alloc, const SPropValue *source, ULONG tag,
                              SPropValue *dest, void *parent)
{
    UINT code_page = CP_ACP;
    int size;

    dest->ulPropTag = tag;
    if (PROP_TYPE(tag) == PT_UNICODE) {
        size = MultiByteToWideChar(code_page, 0, source->Value.lpszA, -1, NULL, 0);
        if (alloc->more(size * sizeof(WCHAR), parent, (void **)&dest->Value.lpszW) != S_OK)
            return MAPI_E_NOT_ENOUGH_MEMORY;
        MultiByteToWideChar(code_page, 0, source->Value.lpszA, -1, dest->Value.lpszW, size);
        return S_OK;
    }
    size = WideCharToMultiByte(code_page, 0, source->Value.lpszW, -1, NULL, 0, NULL, NULL);
    if (alloc->more(size, parent, (void **)&dest->Value.lpszA) != S_OK) return MAPI_E_NOT_ENOUGH_MEMORY;
    WideCharToMultiByte(code_page, 0, source->Value.lpszW, -1, dest->Value.lpszA, size, NULL, NULL);
    return S_OK;
}

static HRESULT copy_as(const struct mapi_allocators *alloc, const SPropValue *source, ULONG tag, SPropValue *dest,
                       void *parent)
{
    ULONG type = PROP_TYPE(tag), have = PROP_TYPE(source->ulPropTag);

    if (type != have && type != PT_UNSPECIFIED && (type == PT_STRING8 || type == PT_UNICODE))
        return convert_string(alloc, source, tag, dest, parent);
    return prop_copy_into_with(alloc, source, dest, parent);
}

HRESULT prop_copy_as(const SPropValue *source, ULONG tag, SPropValue *dest, void *parent)
{
    return copy_as(&host_allocators, source, tag, dest, parent);
}

HRESULT props_select(ULONG count, const SPropValue *values, ULONG tag_count, const ULONG *tags, SPropValue **result,
                     ULONG *missing)
{
    return props_select_with(&host_allocators, count, values, tag_count, tags, result, missing);
}

ULONG prop_tag_in_width(ULONG tag, ULONG flags)
{
    ULONG type = PROP_TYPE(tag) & ~MV_FLAG;

    if (type != PT_STRING8 && type != PT_UNICODE) return tag;
    return CHANGE_PROP_TYPE(tag, (PROP_TYPE(tag) & MV_FLAG) | (flags & MAPI_UNICODE ? PT_UNICODE : PT_STRING8));
}

HRESULT props_list(ULONG count, const SPropValue *values, BOOL (*listed)(ULONG tag), ULONG flags, SPropTagArray **tags)
{
    ULONG i;

    if (!tags) return MAPI_E_INVALID_PARAMETER;
    *tags = NULL;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (MAPIAllocateBuffer(CbNewSPropTagArray(count), (void **)tags)) return MAPI_E_NOT_ENOUGH_MEMORY;
    (*tags)->cValues = 0;
    for (i = 0; i < count; i++)
        if (!listed || listed(values[i].ulPropTag))
            (*tags)->aulPropTag[(*tags)->cValues++] = PROP_TYPE(values[i].ulPropTag) & MV_FLAG
                                                          ? values[i].ulPropTag
                                                          : prop_tag_in_width(values[i].ulPropTag, flags);
    return S_OK;
}

HRESULT props_get(ULONG count, const SPropValue *values, BOOL (*listed)(ULONG tag), const SPropTagArray *tags,
                  ULONG flags, ULONG *result_count, SPropValue **result)
{
    ULONG n = 0, i, missing = 0, *own = NULL;
    HRESULT hr;

    if (!result_count || !result) return MAPI_E_INVALID_PARAMETER;
    *result_count = 0;
    *result = NULL;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (tags)
        n = tags->cValues;
    else if (!(own = malloc((count ? count : 1) * sizeof(*own))))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; !tags && i < count; i++) {
        ULONG tag = values[i].ulPropTag;
        if (listed && !listed(tag)) continue;
        /* Single-valued strings only: a multi-valued one keeps its width, as copies do not convert arrays. */
        own[n++] = PROP_TYPE(tag) & MV_FLAG ? tag : prop_tag_in_width(tag, flags);
    }
    hr = props_select(count, values, n, tags ? tags->aulPropTag : own, result, &missing);
    free(own);
    if (hr != S_OK) return hr;
    *result_count = n;
    return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

HRESULT props_select_with(const struct mapi_allocators *alloc, ULONG count, const SPropValue *values, ULONG tag_count,
                          const ULONG *tags, SPropValue **result, ULONG *missing)
{
    SPropValue *selected;
    ULONG i, lacking = 0;
    HRESULT hr;

    *result = NULL;
    if ((hr = alloc->buffer((tag_count ? tag_count : 1) * sizeof(*selected), (void **)&selected))) return hr;
    for (i = 0; i < tag_count; i++) {
        const SPropValue *value = PROP_TYPE(tags[i]) == PT_NULL ? NULL : props_find(count, values, tags[i]);

        if (tags[i] == PR_NULL) {
            /* A reserved slot stays PR_NULL (U27). */
            selected[i].ulPropTag = PR_NULL;
            selected[i].dwAlignPad = 0;
            selected[i].Value.x = 0;
        } else if (!value) {
            selected[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tags[i]));
            selected[i].dwAlignPad = 0;
            selected[i].Value.err = MAPI_E_NOT_FOUND;
            lacking++;
        } else if ((hr = copy_as(alloc, value, tags[i], &selected[i], selected)) != S_OK) {
            alloc->free(selected);
            return hr;
        }
    }
    if (missing) *missing = lacking;
    *result = selected;
    return S_OK;
}

BOOL readable_bytes(const void *p, size_t size)
{
    return p && !IsBadReadPtr(p, size);
}

BOOL readable_text(const void *p)
{
    /* Probing to the first NUL byte covers both widths: a wide string has one by its first character. */
    return p && !IsBadStringPtrA(p, ~0u);
}

BOOL prop_readable(const SPropValue *value)
{
    ULONG type = PROP_TYPE(value->ulPropTag), count = value->Value.MVi.cValues, i;
    const SBinaryArray *bins = &value->Value.MVbin;

    switch (type) {
    case PT_STRING8:
    case PT_UNICODE: return readable_text(value->Value.lpszA);
    case PT_BINARY: return !value->Value.bin.cb || readable_bytes(value->Value.bin.lpb, value->Value.bin.cb);
    case PT_CLSID: return readable_bytes(value->Value.lpguid, sizeof(GUID));
    }
    /* A multi-valued property with no values may have no array. */
    if (!(type & MV_FLAG) || !count) return TRUE;
    if (!readable_bytes(value->Value.MVi.lpi, count * prop_element_size(type & ~MV_FLAG))) return FALSE;
    for (i = 0; i < count; i++) {
        switch (type) {
        case PT_MV_STRING8:
        case PT_MV_UNICODE:
            if (!readable_text(value->Value.MVszA.lppszA[i])) return FALSE;
            break;
        case PT_MV_BINARY:
            if (bins->lpbin[i].cb && !readable_bytes(bins->lpbin[i].lpb, bins->lpbin[i].cb)) return FALSE;
            break;
        }
    }
    return TRUE;
}
