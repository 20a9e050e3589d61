/*
 * IProfSect over the session's copy of the profile. Implemented: GetProps, GetPropList, SetProps (with MAPI_MODIFY),
 * SaveChanges (nothing to do: changes are the session's) and GetLastError. OpenProperty, DeleteProps, CopyTo,
 * CopyProps, GetNamesFromIDs and GetIDsFromNames return MAPI_E_NO_SUPPORT.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "list.h"
#include "profsect.h"
#include "propval.h"

struct section {
    struct list entry;
    MAPIUID uid;
    ULONG count;
    SPropValue *props;            /* one MAPI allocation chain */
};

struct profsect_cache {
    LONG refcount;
    SRWLOCK lock;
    struct list sections;
};

struct profsect {
    IProfSect IProfSect_iface;
    LONG refcount;
    struct profsect_cache *cache;
    struct section *section;
    BOOL writable;
};

static HRESULT value_from_profile(const struct profile_prop *prop, SPropValue *value, void *parent)
{
    int size;

    value->ulPropTag = prop->tag;
    switch (PROP_TYPE(prop->tag)) {
    case PT_LONG: value->Value.l = prop->number; return S_OK;
    case PT_BOOLEAN: value->Value.b = !!prop->number; return S_OK;
    case PT_STRING8:
        if (MAPIAllocateMore(strlen(prop->text) + 1, parent, (void **)&value->Value.lpszA)) break;
        strcpy(value->Value.lpszA, prop->text);
        return S_OK;
    case PT_UNICODE: /* written in UTF-8 in the file */
        size = MultiByteToWideChar(CP_UTF8, 0, prop->text, -1, NULL, 0);
        if (MAPIAllocateMore(size * sizeof(WCHAR), parent, (void **)&value->Value.lpszW)) break;
        MultiByteToWideChar(CP_UTF8, 0, prop->text, -1, value->Value.lpszW, size);
        return S_OK;
    case PT_BINARY:
        value->Value.bin.cb = prop->size;
        if (MAPIAllocateMore(prop->size ? prop->size : 1, parent, (void **)&value->Value.bin.lpb)) break;
        memcpy(value->Value.bin.lpb, prop->bytes, prop->size);
        return S_OK;
    default: return MAPI_E_INVALID_TYPE;
    }
    return MAPI_E_NOT_ENOUGH_MEMORY;
}

static struct section *add_section(struct profsect_cache *cache, const MAPIUID *uid,
                                   const struct profile_section *source)
{
    ULONG count = source ? source->prop_count : 0, i;
    struct section *section = calloc(1, sizeof(*section));

    if (!section) return NULL;
    if (MAPIAllocateBuffer((count ? count : 1) * sizeof(SPropValue), (void **)&section->props)) goto fail;
    for (i = 0; i < count; i++)
        if (value_from_profile(&source->props[i], &section->props[i], section->props)) goto fail;
    section->count = count;
    section->uid = *uid;
    list_add_tail(&cache->sections, &section->entry);
    return section;
fail:
    MAPIFreeBuffer(section->props);
    free(section);
    return NULL;
}

struct profsect_cache *profsect_cache_create(const struct profile *profile)
{
    struct profsect_cache *cache = calloc(1, sizeof(*cache));
    ULONG i, j;

    if (!cache) return NULL;
    cache->refcount = 1;
    InitializeSRWLock(&cache->lock);
    list_init(&cache->sections);
    for (i = 0; i < profile->service_count; i++) {
        const struct profile_service *service = profile->services[i];
        BOOL ok = !!add_section(cache, &service->section.uid, &service->section);
        for (j = 0; ok && j < service->provider_count; j++)
            ok = !!add_section(cache, &service->providers[j]->section.uid, &service->providers[j]->section);
        if (!ok) {
            profsect_cache_release(cache);
            return NULL;
        }
    }
    return cache;
}

void profsect_cache_release(struct profsect_cache *cache)
{
    struct list *cursor, *next;

    if (InterlockedDecrement(&cache->refcount)) return;
    LIST_FOR_EACH_SAFE(cursor, next, &cache->sections) {
        struct section *section = LIST_ENTRY(cursor, struct section, entry);
        MAPIFreeBuffer(section->props);
        free(section);
    }
    free(cache);
}

static inline struct profsect *impl_from_IProfSect(IProfSect *iface)
{
    return CONTAINING_RECORD(iface, struct profsect, IProfSect_iface);
}

static HRESULT WINAPI profsect_QueryInterface(IProfSect *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IProfSect, NULL };

    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI profsect_AddRef(IProfSect *iface)
{
    return InterlockedIncrement(&impl_from_IProfSect(iface)->refcount);
}

static ULONG WINAPI profsect_Release(IProfSect *iface)
{
    struct profsect *profsect = impl_from_IProfSect(iface);
    ULONG refcount = InterlockedDecrement(&profsect->refcount);

    if (!refcount) {
        profsect_cache_release(profsect->cache);
        free(profsect);
    }
    return refcount;
}

static HRESULT WINAPI profsect_GetLastError(IProfSect *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL; /* no extended information */
    return S_OK;
}

static HRESULT WINAPI profsect_SaveChanges(IProfSect *iface, ULONG flags)
{
    return impl_from_IProfSect(iface)->writable ? S_OK : MAPI_E_NO_ACCESS;
}

/* GetProps: every value when tags is NULL (strings narrowed without MAPI_UNICODE); otherwise one per tag,
 * PT_ERROR/MAPI_E_NOT_FOUND for a missing one. */
static HRESULT WINAPI profsect_GetProps(IProfSect *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                        SPropValue **values)
{
    struct profsect *profsect = impl_from_IProfSect(iface);
    struct section *section = profsect->section;
    ULONG n, i, missing = 0, *own_tags = NULL;
    HRESULT hr;

    if (!count || !values) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    *count = 0;
    *values = NULL;
    AcquireSRWLockShared(&profsect->cache->lock);
    n = tags ? tags->cValues : section->count;
    if (!tags && (own_tags = malloc((n ? n : 1) * sizeof(*own_tags))))
        for (i = 0; i < n; i++) {
            own_tags[i] = section->props[i].ulPropTag;
            if (PROP_TYPE(own_tags[i]) == PT_UNICODE && !(flags & MAPI_UNICODE))
                own_tags[i] = CHANGE_PROP_TYPE(own_tags[i], PT_STRING8);
        }
    if (!tags && !own_tags) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else hr = props_select(section->count, section->props, n, tags ? tags->aulPropTag : own_tags, values, &missing);
    ReleaseSRWLockShared(&profsect->cache->lock);
    free(own_tags);
    if (hr != S_OK) return hr;
    *count = n;
    return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

static HRESULT WINAPI profsect_GetPropList(IProfSect *iface, ULONG flags, SPropTagArray **tags)
{
    struct profsect *profsect = impl_from_IProfSect(iface);
    SPropTagArray *result;
    ULONG i;

    if (!tags) return MAPI_E_INVALID_PARAMETER;
    *tags = NULL;
    AcquireSRWLockShared(&profsect->cache->lock);
    if (MAPIAllocateBuffer(CbNewSPropTagArray(profsect->section->count), (void **)&result)) {
        ReleaseSRWLockShared(&profsect->cache->lock);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    result->cValues = profsect->section->count;
    for (i = 0; i < result->cValues; i++) result->aulPropTag[i] = profsect->section->props[i].ulPropTag;
    ReleaseSRWLockShared(&profsect->cache->lock);
    *tags = result;
    return S_OK;
}

static HRESULT WINAPI profsect_OpenProperty(IProfSect *iface, ULONG tag, const IID *iid, ULONG options, ULONG flags,
                                            IUnknown **out)
{
    if (out) *out = NULL;
    return MAPI_E_NO_SUPPORT;
}

/* SetProps: a value replaces the one with the same property ID, whatever its type; the rest are added. */
static HRESULT WINAPI profsect_SetProps(IProfSect *iface, ULONG count, SPropValue *values,
                                        SPropProblemArray **problems)
{
    struct profsect *profsect = impl_from_IProfSect(iface);
    struct section *section = profsect->section;
    SPropValue *result;
    ULONG i, n = 0;
    HRESULT hr = S_OK;

    if (problems) *problems = NULL;
    if (!profsect->writable) return MAPI_E_NO_ACCESS;
    if (count && !values) return MAPI_E_INVALID_PARAMETER;
    AcquireSRWLockExclusive(&profsect->cache->lock);
    if (MAPIAllocateBuffer((section->count + count + 1) * sizeof(*result), (void **)&result)) {
        ReleaseSRWLockExclusive(&profsect->cache->lock);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; hr == S_OK && i < section->count; i++)
        if (!props_find(count, values, CHANGE_PROP_TYPE(section->props[i].ulPropTag, PT_UNSPECIFIED)))
            hr = prop_copy_into(&section->props[i], &result[n++], result);
    for (i = 0; hr == S_OK && i < count; i++) hr = prop_copy_into(&values[i], &result[n++], result);
    if (hr == S_OK) {
        MAPIFreeBuffer(section->props);
        section->props = result;
        section->count = n;
    } else MAPIFreeBuffer(result);
    ReleaseSRWLockExclusive(&profsect->cache->lock);
    return hr;
}

static HRESULT WINAPI profsect_DeleteProps(IProfSect *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    if (problems) *problems = NULL;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI profsect_CopyTo(IProfSect *iface, ULONG exclude_count, const IID *exclude, SPropTagArray *tags,
                                      ULONG_PTR ui_param, IMAPIProgress *progress, const IID *iid, void *dest,
                                      ULONG flags, SPropProblemArray **problems)
{
    if (problems) *problems = NULL;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI profsect_CopyProps(IProfSect *iface, SPropTagArray *tags, ULONG_PTR ui_param,
                                         IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                         SPropProblemArray **problems)
{
    if (problems) *problems = NULL;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI profsect_GetNamesFromIDs(IProfSect *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                               ULONG *count, MAPINAMEID ***names)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI profsect_GetIDsFromNames(IProfSect *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                               SPropTagArray **tags)
{
    return MAPI_E_NO_SUPPORT;
}

static const IProfSectVtbl profsect_vtbl = {
    profsect_QueryInterface,
    profsect_AddRef,
    profsect_Release,
    profsect_GetLastError,
    profsect_SaveChanges,
    profsect_GetProps,
    profsect_GetPropList,
    profsect_OpenProperty,
    profsect_SetProps,
    profsect_DeleteProps,
    profsect_CopyTo,
    profsect_CopyProps,
    profsect_GetNamesFromIDs,
    profsect_GetIDsFromNames,
};

HRESULT profsect_open(struct profsect_cache *cache, const MAPIUID *uid, ULONG flags, IProfSect **out)
{
    struct section *section = NULL;
    struct profsect *profsect;
    struct list *cursor;

    if (!uid || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~(MAPI_MODIFY | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;
    if (!(profsect = calloc(1, sizeof(*profsect)))) return MAPI_E_NOT_ENOUGH_MEMORY;

    AcquireSRWLockExclusive(&cache->lock);
    LIST_FOR_EACH(cursor, &cache->sections) {
        struct section *candidate = LIST_ENTRY(cursor, struct section, entry);
        if (!memcmp(&candidate->uid, uid, sizeof(*uid))) section = candidate;
    }
    if (!section) section = add_section(cache, uid, NULL); /* on demand, read-only or not (F5) */
    ReleaseSRWLockExclusive(&cache->lock);
    if (!section) {
        free(profsect);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    profsect->IProfSect_iface.lpVtbl = &profsect_vtbl;
    profsect->refcount = 1;
    profsect->section = section;
    profsect->writable = !!(flags & MAPI_MODIFY);
    InterlockedIncrement(&cache->refcount);
    profsect->cache = cache;
    *out = &profsect->IProfSect_iface;
    return S_OK;
}
