/*
 * CreateIProp and IPropData (spec U62-U67): a property object in memory, with access control per object and per
 * property, everything it returns allocated with the allocators its creator gave. Implemented: every method but
 * OpenProperty, GetNamesFromIDs and GetIDsFromNames (MAPI_E_NO_SUPPORT). Non-transacted: SaveChanges does nothing.
 * CopyTo and CopyProps copy to any IMAPIProp, as the documented configuration procedure needs (a profile section
 * into an IPropData object and back).
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "copyto.h"
#include "propval.h"
#include "mapihost_val.h"
#include "paramval.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(propdata);

struct entry {
    ULONG tag;
    ULONG access;      /* IPROP_READONLY or IPROP_READWRITE, with IPROP_CLEAN or IPROP_DIRTY */
    SPropValue *value; /* its own block; NULL for a PT_OBJECT property */
    BOOL deleted;
};

struct propdata {
    IPropData IPropData_iface;
    LONG refcount;
    SRWLOCK lock;
    struct mapi_allocators alloc;
    ULONG access; /* the object's: IPROP_READONLY or IPROP_READWRITE */
    struct entry *entries;
    ULONG count;
};

static inline struct propdata *impl_from_IPropData(IPropData *iface)
{
    return CONTAINING_RECORD(iface, struct propdata, IPropData_iface);
}

static struct entry *find_entry(struct propdata *data, ULONG tag, BOOL deleted_too)
{
    ULONG i;

    for (i = 0; i < data->count; i++)
        if (PROP_ID(data->entries[i].tag) == PROP_ID(tag) && (deleted_too || !data->entries[i].deleted))
            return &data->entries[i];
    return NULL;
}

/* IPropData's own methods' arguments (util/paramval.h); the IMAPIProp ones are mapival.h's. */
enum { PD_HrSetObjAccess, PD_HrSetPropAccess, PD_HrGetPropAccess, PD_HrAddObjProps };
static const struct method propdata_args[] = {
    M(PD_HrSetObjAccess, A(ACCESS)),
    M(PD_HrSetPropAccess, A(TAGS), A(ULONGS)),
    M(PD_HrGetPropAccess, A(OUT), A(OUT)),
    M(PD_HrAddObjProps, A(TAGS), A(OUT_OPT)),
};

/* A method's arguments checked as util/paramval.h describes them: a bad one is refused by name (docs/misuse.md). */
#define refuse_bad(method, ...) paramval_refuse_method("IPropData", #method, IMAPIProp_##method, __VA_ARGS__)
#define refuse_own(method, ...)                                                                                        \
    paramval_refuse_bad(ABOUT_HOST, "IPropData", #method, &propdata_args[PD_##method], __VA_ARGS__)

static HRESULT WINAPI propdata_QueryInterface(IPropData *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IPropData, NULL };
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    if ((hr = paramval_refuse_method("IPropData", "QueryInterface", IUnknown_QueryInterface, riid, out))) return hr;
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI propdata_AddRef(IPropData *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IPropData(iface)->refcount);
}

static ULONG WINAPI propdata_Release(IPropData *iface)
{
    struct propdata *data = impl_from_IPropData(iface);
    ULONG refcount = InterlockedDecrement(&data->refcount), i;

    TRACE("(%p)\n", iface);
    if (refcount) return refcount;
    for (i = 0; i < data->count; i++) data->alloc.free(data->entries[i].value);
    free(data->entries);
    quarantine_object(data, "IPropData");
    return 0;
}

static HRESULT WINAPI propdata_GetLastError(IPropData *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    if ((hr = refuse_bad(GetLastError, result, flags, error))) return hr;
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI propdata_SaveChanges(IPropData *iface, ULONG flags)
{
    TRACE("(%p, %#lx)\n", iface, flags);
    return S_OK; /* non-transacted (U62) */
}

/* The string width a PT_UNSPECIFIED (or either-width) request gets (U67). */
static ULONG wanted_tag(ULONG tag, ULONG stored, ULONG flags)
{
    ULONG type = PROP_TYPE(stored) & ~MV_FLAG, mv = PROP_TYPE(stored) & MV_FLAG;

    if (PROP_TYPE(tag) != PT_UNSPECIFIED) return tag;
    if (type == PT_STRING8 || type == PT_UNICODE)
        return PROP_TAG(mv | (flags & MAPI_UNICODE ? PT_UNICODE : PT_STRING8), PROP_ID(tag));
    return stored;
}

static HRESULT WINAPI propdata_GetProps(IPropData *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                        SPropValue **values)
{
    struct propdata *data = impl_from_IPropData(iface);
    SPropValue *stored = NULL;
    ULONG *wanted = NULL, n = 0, i, missing = 0;
    HRESULT hr = S_OK;

    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, tags, flags, count, values);
    if ((hr = refuse_bad(GetProps, tags, flags, count, values))) return hr;
    /* An empty tag array, as a client passes on what an empty GetPropList gave it, asks for nothing: S_OK, 0. */
    if (!count || !values) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    *count = 0;
    *values = NULL;
    AcquireSRWLockShared(&data->lock);
    /* The stored values side by side, then one block of the ones asked for. */
    if (!(stored = malloc((data->count + 1) * sizeof(*stored)))
        || !(wanted = malloc(((tags ? tags->cValues : data->count) + 1) * sizeof(*wanted))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; hr == S_OK && i < data->count; i++)
        if (!data->entries[i].deleted && data->entries[i].value) stored[n++] = *data->entries[i].value;
    if (hr == S_OK) {
        ULONG asked = tags ? tags->cValues : n;
        for (i = 0; i < asked; i++) {
            const SPropValue *value = props_find(
                n, stored, tags ? CHANGE_PROP_TYPE(tags->aulPropTag[i], PT_UNSPECIFIED) : stored[i].ulPropTag);
            ULONG tag = tags ? tags->aulPropTag[i] : CHANGE_PROP_TYPE(stored[i].ulPropTag, PT_UNSPECIFIED);
            wanted[i] = value ? wanted_tag(tag, value->ulPropTag, flags) : tag;
        }
        if (asked && (hr = props_select_with(&data->alloc, n, stored, asked, wanted, values, &missing)) == S_OK)
            *count = asked; /* nothing at all: S_OK, 0 and NULL (U67) */
    }
    ReleaseSRWLockShared(&data->lock);
    free(stored);
    free(wanted);
    if (hr != S_OK) return hr;
    return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

static HRESULT WINAPI propdata_GetPropList(IPropData *iface, ULONG flags, SPropTagArray **tags)
{
    struct propdata *data = impl_from_IPropData(iface);
    ULONG i;
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", iface, flags, tags);
    if ((hr = refuse_bad(GetPropList, flags, tags))) return hr;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    AcquireSRWLockShared(&data->lock);
    if ((hr = data->alloc.buffer(CbNewSPropTagArray(data->count), (void **)tags)) == S_OK) {
        (*tags)->cValues = 0;
        for (i = 0; i < data->count; i++)
            if (!data->entries[i].deleted)
                (*tags)->aulPropTag[(*tags)->cValues++] =
                    wanted_tag(CHANGE_PROP_TYPE(data->entries[i].tag, PT_UNSPECIFIED), data->entries[i].tag, flags);
    }
    ReleaseSRWLockShared(&data->lock);
    return hr;
}

static HRESULT WINAPI propdata_OpenProperty(IPropData *iface, ULONG tag, const IID *iid, ULONG options, ULONG flags,
                                            IUnknown **out)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx, %#lx, %p)\n", iface, tag, iid, options, flags, out);
    if ((hr = refuse_bad(OpenProperty, tag, iid, options, flags, out))) return hr;
    if (out) *out = NULL;
    return unsupported("IPropData", "OpenProperty");
}

/* A problem array of the entries whose scode is set, or NULL; from the object's allocators. */
static HRESULT make_problems(struct propdata *data, ULONG count, const ULONG *tags, size_t stride, const SCODE *codes,
                             SPropProblemArray **problems)
{
    ULONG i, n = 0;
    HRESULT hr;

    *problems = NULL;
    for (i = 0; i < count; i++) n += codes[i] != S_OK;
    if (!n) return S_OK;
    if ((hr = data->alloc.buffer(CbNewSPropProblemArray(n), (void **)problems)) != S_OK) return hr;
    (*problems)->cProblem = 0;
    for (i = 0; i < count; i++) {
        if (codes[i] == S_OK) continue;
        (*problems)->aProblem[(*problems)->cProblem].ulIndex = i;
        (*problems)->aProblem[(*problems)->cProblem].ulPropTag = *(const ULONG *)((const BYTE *)tags + i * stride);
        (*problems)->aProblem[(*problems)->cProblem++].scode = codes[i];
    }
    return S_OK;
}

/* One value stored as its own block. Under the exclusive lock. */
static HRESULT store_value(struct propdata *data, const SPropValue *value)
{
    struct entry *entry = find_entry(data, value->ulPropTag, TRUE), *grown;
    SPropValue *copy;
    HRESULT hr;

    if ((hr = data->alloc.buffer(sizeof(*copy), (void **)&copy)) != S_OK) return hr;
    if ((hr = prop_copy_into_with(&data->alloc, value, copy, copy)) != S_OK) {
        data->alloc.free(copy);
        return hr;
    }
    if (!entry) {
        if (!(grown = realloc(data->entries, (data->count + 1) * sizeof(*grown)))) {
            data->alloc.free(copy);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        data->entries = grown;
        entry = &data->entries[data->count++];
        entry->access = IPROP_READWRITE;
        entry->value = NULL;
    }
    data->alloc.free(entry->value);
    entry->value = copy;
    entry->tag = value->ulPropTag; /* a new type replaces the old value (U67) */
    entry->deleted = FALSE;
    entry->access = (entry->access & ~IPROP_CLEAN) | IPROP_DIRTY;
    return S_OK;
}

static HRESULT WINAPI propdata_SetProps(IPropData *iface, ULONG count, SPropValue *values, SPropProblemArray **problems)
{
    struct propdata *data = impl_from_IPropData(iface);
    SCODE *codes;
    struct entry *entry;
    HRESULT hr = S_OK;
    ULONG i;

    TRACE("(%p, %#lx, %p, %p)\n", iface, count, values, problems);
    if ((hr = refuse_bad(SetProps, count, values, problems))) return hr;
    if (problems) *problems = NULL;
    if (count && (!values || IsBadReadPtr(values, count * sizeof(*values)))) return MAPI_E_INVALID_PARAMETER;
    /* Every value is checked before any is stored: one that cannot be read, an object, a PT_NULL or a multi-valued
     * property without values fails the whole call, and nothing changes. */
    for (i = 0; i < count; i++)
        if (FBadProp(&values[i]) || PROP_TYPE(values[i].ulPropTag) == PT_OBJECT
            || PROP_TYPE(values[i].ulPropTag) == PT_NULL
            || (PROP_TYPE(values[i].ulPropTag) & MV_FLAG && !values[i].Value.MVl.cValues))
            return MAPI_E_INVALID_PARAMETER;
    if (!(codes = calloc(count + 1, sizeof(*codes)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    AcquireSRWLockExclusive(&data->lock);
    if (data->access == IPROP_READONLY) hr = MAPI_E_NO_ACCESS;
    for (i = 0; hr == S_OK && i < count; i++) {
        ULONG type = PROP_TYPE(values[i].ulPropTag);
        if (type == PT_ERROR) continue;
        if ((entry = find_entry(data, values[i].ulPropTag, FALSE)) && entry->access & IPROP_READONLY)
            codes[i] = MAPI_E_NO_ACCESS;
        else if ((codes[i] = store_value(data, &values[i])) == MAPI_E_NOT_ENOUGH_MEMORY)
            hr = codes[i];
    }
    if (hr == S_OK && problems) hr = make_problems(data, count, &values->ulPropTag, sizeof(*values), codes, problems);
    ReleaseSRWLockExclusive(&data->lock);
    free(codes);
    return hr;
}

static HRESULT WINAPI propdata_DeleteProps(IPropData *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    struct propdata *data = impl_from_IPropData(iface);
    struct entry *entry;
    SCODE *codes;
    HRESULT hr = S_OK;
    ULONG i;

    TRACE("(%p, %p, %p)\n", iface, tags, problems);
    if ((hr = refuse_bad(DeleteProps, tags, problems))) return hr;
    if (problems) *problems = NULL;
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if (!(codes = calloc(tags->cValues + 1, sizeof(*codes)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    AcquireSRWLockExclusive(&data->lock);
    if (data->access == IPROP_READONLY) hr = MAPI_E_NO_ACCESS;
    for (i = 0; hr == S_OK && i < tags->cValues; i++) {
        if (!(entry = find_entry(data, tags->aulPropTag[i], FALSE)))
            codes[i] = MAPI_E_NOT_FOUND;
        else if (entry->access & IPROP_READONLY)
            codes[i] = MAPI_E_NO_ACCESS;
        else {
            entry->deleted = TRUE;
            entry->access = (entry->access & ~IPROP_CLEAN) | IPROP_DIRTY;
        }
    }
    if (hr == S_OK && problems)
        hr = make_problems(data, tags->cValues, tags->aulPropTag, sizeof(ULONG), codes, problems);
    ReleaseSRWLockExclusive(&data->lock);
    free(codes);
    return hr;
}

static HRESULT WINAPI propdata_CopyTo(IPropData *iface, ULONG exclude_count, const IID *exclude,
                                      SPropTagArray *exclude_props, ULONG_PTR ui_param, IMAPIProgress *progress,
                                      const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, exclude_count, exclude, exclude_props, ui_param,
          progress, iid, dest, flags, problems);
    if ((hr =
             refuse_bad(CopyTo, exclude_count, exclude, exclude_props, ui_param, progress, iid, dest, flags, problems)))
        return hr;
    return copyto_all((IMAPIProp *)iface, exclude_props, dest, flags, problems);
}

static HRESULT WINAPI propdata_CopyProps(IPropData *iface, SPropTagArray *include, ULONG_PTR ui_param,
                                         IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                         SPropProblemArray **problems)
{
    HRESULT hr;

    TRACE("(%p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, include, ui_param, progress, iid, dest, flags, problems);
    if ((hr = refuse_bad(CopyProps, include, ui_param, progress, iid, dest, flags, problems))) return hr;
    return copyto_props((IMAPIProp *)iface, include, dest, flags, problems);
}

static HRESULT WINAPI propdata_GetNamesFromIDs(IPropData *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                               ULONG *count, MAPINAMEID ***names)
{
    HRESULT hr;

    TRACE("(%p, %p, %p, %#lx, %p, %p)\n", iface, tags, guid, flags, count, names);
    if ((hr = refuse_bad(GetNamesFromIDs, tags, guid, flags, count, names))) return hr;
    return unsupported("IPropData", "GetNamesFromIDs");
}

static HRESULT WINAPI propdata_GetIDsFromNames(IPropData *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                               SPropTagArray **tags)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx, %p)\n", iface, count, names, flags, tags);
    if ((hr = refuse_bad(GetIDsFromNames, count, names, flags, tags))) return hr;
    return unsupported("IPropData", "GetIDsFromNames");
}

static HRESULT WINAPI propdata_HrSetObjAccess(IPropData *iface, ULONG access)
{
    struct propdata *data = impl_from_IPropData(iface);
    HRESULT hr;

    TRACE("(%p, %#lx)\n", iface, access);
    if ((hr = refuse_own(HrSetObjAccess, access))) return hr;
    AcquireSRWLockExclusive(&data->lock);
    data->access = access;
    ReleaseSRWLockExclusive(&data->lock);
    return S_OK;
}

/* One access level and one status, nothing else (IPROP_READWRITE alone is not enough). */
static BOOL valid_access(ULONG access)
{
    ULONG mode = access & (IPROP_READONLY | IPROP_READWRITE), state = access & (IPROP_CLEAN | IPROP_DIRTY);

    return (mode == IPROP_READONLY || mode == IPROP_READWRITE) && (state == IPROP_CLEAN || state == IPROP_DIRTY)
           && !(access & ~(IPROP_READONLY | IPROP_READWRITE | IPROP_CLEAN | IPROP_DIRTY));
}

static HRESULT WINAPI propdata_HrSetPropAccess(IPropData *iface, SPropTagArray *tags, ULONG *access)
{
    struct propdata *data = impl_from_IPropData(iface);
    struct entry *entry;
    HRESULT hr = S_OK;
    ULONG i;

    TRACE("(%p, %p, %p)\n", iface, tags, access);
    if ((hr = refuse_own(HrSetPropAccess, tags, access))) return hr;
    for (i = 0; i < tags->cValues; i++)
        if (!valid_access(access[i])) return MAPI_E_INVALID_PARAMETER;
    /* The object's own access does not matter here: this is how its owner marks properties, read-only ones too. */
    AcquireSRWLockExclusive(&data->lock);
    for (i = 0; i < tags->cValues; i++)
        if ((entry = find_entry(data, tags->aulPropTag[i], FALSE))) entry->access = access[i];
    ReleaseSRWLockExclusive(&data->lock);
    return hr;
}

/* U65 (X34): access and status flags for each property asked for, or for all of them, deleted ones as tag 0. */
static HRESULT WINAPI propdata_HrGetPropAccess(IPropData *iface, SPropTagArray **tags, ULONG **access)
{
    struct propdata *data = impl_from_IPropData(iface);
    SPropTagArray *out = NULL;
    ULONG i, count;
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, tags, access);
    if ((hr = refuse_own(HrGetPropAccess, tags, access))) return hr;
    AcquireSRWLockShared(&data->lock);
    count = *tags ? (*tags)->cValues : data->count;
    if ((hr = data->alloc.buffer(CbNewSPropTagArray(count), (void **)&out)) == S_OK
        && (hr = data->alloc.buffer((count ? count : 1) * sizeof(ULONG), (void **)access)) == S_OK) {
        out->cValues = count;
        for (i = 0; i < count; i++) {
            const struct entry *entry = *tags ? find_entry(data, (*tags)->aulPropTag[i], FALSE) : &data->entries[i];
            out->aulPropTag[i] = !entry || entry->deleted ? 0 : entry->tag;
            (*access)[i] = entry ? entry->access : 0;
        }
    }
    ReleaseSRWLockShared(&data->lock);
    if (hr != S_OK) {
        data->alloc.free(out);
        return hr;
    }
    if (!*tags)
        *tags = out;
    else
        data->alloc.free(out);
    return S_OK;
}

static HRESULT WINAPI propdata_HrAddObjProps(IPropData *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    struct propdata *data = impl_from_IPropData(iface);
    struct entry *grown;
    SCODE *codes;
    HRESULT hr = S_OK;
    ULONG i, failed = 0;

    TRACE("(%p, %p, %p)\n", iface, tags, problems);
    if ((hr = refuse_own(HrAddObjProps, tags, problems))) return hr;
    if (problems) *problems = NULL;
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; i < tags->cValues; i++)
        if (PROP_TYPE(tags->aulPropTag[i]) != PT_OBJECT) return MAPI_E_INVALID_TYPE;
    if (!(codes = calloc(tags->cValues + 1, sizeof(*codes)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    AcquireSRWLockExclusive(&data->lock);
    if (data->access == IPROP_READONLY) hr = MAPI_E_NO_ACCESS;
    for (i = 0; hr == S_OK && i < tags->cValues; i++) {
        struct entry *entry = find_entry(data, tags->aulPropTag[i], TRUE);
        if (!entry) {
            if (!(grown = realloc(data->entries, (data->count + 1) * sizeof(*grown)))) {
                codes[i] = MAPI_E_NOT_ENOUGH_MEMORY;
                failed++;
                continue;
            }
            data->entries = grown;
            entry = &data->entries[data->count++];
            entry->value = NULL;
        } else if (entry->access & IPROP_READONLY && !entry->deleted) {
            codes[i] = MAPI_E_NO_ACCESS;
            failed++;
            continue;
        }
        data->alloc.free(entry->value);
        entry->value = NULL;
        entry->tag = tags->aulPropTag[i];
        entry->deleted = FALSE;
        entry->access = IPROP_READWRITE | IPROP_DIRTY;
    }
    if (hr == S_OK && failed && problems)
        hr = make_problems(data, tags->cValues, tags->aulPropTag, sizeof(ULONG), codes, problems);
    ReleaseSRWLockExclusive(&data->lock);
    free(codes);
    return hr == S_OK && failed ? MAPI_W_PARTIAL_COMPLETION : hr;
}

static const IPropDataVtbl propdata_vtbl = {
    propdata_QueryInterface,  propdata_AddRef,          propdata_Release,        propdata_GetLastError,
    propdata_SaveChanges,     propdata_GetProps,        propdata_GetPropList,    propdata_OpenProperty,
    propdata_SetProps,        propdata_DeleteProps,     propdata_CopyTo,         propdata_CopyProps,
    propdata_GetNamesFromIDs, propdata_GetIDsFromNames, propdata_HrSetObjAccess, propdata_HrSetPropAccess,
    propdata_HrGetPropAccess, propdata_HrAddObjProps,
};

SCODE WINAPI CreateIProp(LPCIID iid, ALLOCATEBUFFER *allocate_buffer, ALLOCATEMORE *allocate_more,
                         FREEBUFFER *free_buffer, LPVOID reserved, LPPROPDATA *out)
{
    struct propdata *data;

    TRACE("(%p, %p, %p, %p, %p, %p)\n", iid, allocate_buffer, allocate_more, free_buffer, reserved, out);
    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (iid && !IsEqualIID(iid, &IID_IPropData)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (!allocate_buffer || !allocate_more || !free_buffer) return MAPI_E_INVALID_PARAMETER;
    if (!(data = calloc(1, sizeof(*data)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    data->IPropData_iface.lpVtbl = &propdata_vtbl;
    data->refcount = 1;
    InitializeSRWLock(&data->lock);
    data->alloc.buffer = allocate_buffer;
    data->alloc.more = allocate_more;
    data->alloc.free = free_buffer;
    data->access = IPROP_READWRITE; /* new objects are read/write (U62) */
    *out = &data->IPropData_iface;
    return S_OK;
}
