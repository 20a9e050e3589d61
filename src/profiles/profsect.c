/*
 * IProfSect (profsect.h). Implemented: GetProps, GetPropList, SetProps and DeleteProps (with MAPI_MODIFY; each change
 * is written to the profile at once, S4), SaveChanges (nothing left to do) and GetLastError. Every section also shows
 * PR_PROFILE_NAME and PR_OBJECT_TYPE, which are computed and read-only (S2), as are PR_SERVICE_UID and
 * PR_PROVIDER_UID (S3). Secure properties (IDs 0x67F0-0x67FF) are returned only when asked for by tag (S4). Named
 * properties are refused (S4). OpenProperty, CopyTo, CopyProps, GetNamesFromIDs and GetIDsFromNames return
 * MAPI_E_NO_SUPPORT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "profsect.h"
#include "propval.h"
#include "mapihost_val.h"
#include "paramval.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(profsect);

/* A method's arguments checked as util/paramval.h describes them: a bad one is refused by name (docs/misuse.md). */
#define refuse_bad(method, ...) paramval_refuse_method("IProfSect", #method, IMAPIProp_##method, __VA_ARGS__)

struct profsect {
    IProfSect IProfSect_iface;
    LONG refcount;
    struct profstore *store;
    struct psection *section;
    BOOL writable;
};

static inline struct profsect *impl_from_IProfSect(IProfSect *iface)
{
    return CONTAINING_RECORD(iface, struct profsect, IProfSect_iface);
}

static BOOL is_computed(ULONG tag)
{
    ULONG id = PROP_ID(tag);

    return id == PROP_ID(PR_PROFILE_NAME_A) || id == PROP_ID(PR_OBJECT_TYPE) || id == PROP_ID(PR_SERVICE_UID)
           || id == PROP_ID(PR_PROVIDER_UID);
}

/* Listed unless secure (0x67F0-0x67FF): those are read only when asked for by tag. */
static BOOL is_listed(ULONG tag)
{
    return PROP_ID(tag) < 0x67F0 || PROP_ID(tag) > 0x67FF;
}

static HRESULT WINAPI profsect_QueryInterface(IProfSect *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IProfSect, NULL };
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    if ((hr = paramval_refuse_method("IProfSect", "QueryInterface", IUnknown_QueryInterface, riid, out))) return hr;
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI profsect_AddRef(IProfSect *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IProfSect(iface)->refcount);
}

static ULONG WINAPI profsect_Release(IProfSect *iface)
{
    struct profsect *profsect = impl_from_IProfSect(iface);
    ULONG refcount = InterlockedDecrement(&profsect->refcount);

    TRACE("(%p)\n", iface);
    if (!refcount) {
        profstore_release(profsect->store);
        quarantine_object(profsect, "IProfSect");
    }
    return refcount;
}

static HRESULT WINAPI profsect_GetLastError(IProfSect *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    if ((hr = refuse_bad(GetLastError, result, flags, error))) return hr;
    *error = NULL; /* no extended information */
    return S_OK;
}

static HRESULT WINAPI profsect_SaveChanges(IProfSect *iface, ULONG flags)
{
    TRACE("(%p, %#lx)\n", iface, flags);
    return impl_from_IProfSect(iface)->writable ? S_OK : MAPI_E_NO_ACCESS;
}

/* The section's values and the computed ones, in one MAPI allocation. */
static HRESULT visible_props(struct profsect *profsect, ULONG *count, SPropValue **values)
{
    SPropValue *stored, *all;
    ULONG n, i;
    HRESULT hr;

    if ((hr = profstore_get_props(profsect->store, profsect->section, &n, &stored)) != S_OK) return hr;
    if ((hr = MAPIAllocateBuffer((n + 2) * sizeof(*all), (void **)&all)) != S_OK) {
        MAPIFreeBuffer(stored);
        return hr;
    }
    for (i = 0; hr == S_OK && i < n; i++) hr = prop_copy_into(&stored[i], &all[i], all);
    MAPIFreeBuffer(stored);
    all[n].ulPropTag = PR_PROFILE_NAME_A;
    all[n].Value.lpszA = profsect->store->name;
    if (hr == S_OK) hr = prop_copy_into(&all[n], &all[n], all);
    all[n + 1].ulPropTag = PR_OBJECT_TYPE;
    all[n + 1].Value.l = MAPI_PROFSECT;
    if (hr != S_OK) {
        MAPIFreeBuffer(all);
        return hr;
    }
    *count = n + 2;
    *values = all;
    return S_OK;
}

/* GetProps: every value but the secure ones when tags is NULL (strings narrowed without MAPI_UNICODE); otherwise
 * one per tag, PT_ERROR/MAPI_E_NOT_FOUND for a missing one. */
static HRESULT WINAPI profsect_GetProps(IProfSect *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                        SPropValue **values)
{
    struct profsect *profsect = impl_from_IProfSect(iface);
    ULONG all_count;
    SPropValue *all;
    HRESULT hr;

    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, tags, flags, count, values);
    if ((hr = refuse_bad(GetProps, tags, flags, count, values))) return hr;
    *count = 0;
    *values = NULL;
    if ((hr = visible_props(profsect, &all_count, &all)) != S_OK) return hr;
    hr = props_get(all_count, all, is_listed, tags, flags, count, values);
    MAPIFreeBuffer(all);
    return hr;
}

static HRESULT WINAPI profsect_GetPropList(IProfSect *iface, ULONG flags, SPropTagArray **tags)
{
    struct profsect *profsect = impl_from_IProfSect(iface);
    SPropValue *all;
    ULONG count;
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", iface, flags, tags);
    if ((hr = refuse_bad(GetPropList, flags, tags))) return hr;
    *tags = NULL;
    if ((hr = visible_props(profsect, &count, &all)) != S_OK) return hr;
    hr = props_list(count, all, is_listed, flags, tags);
    MAPIFreeBuffer(all);
    return hr;
}

static HRESULT WINAPI profsect_OpenProperty(IProfSect *iface, ULONG tag, const IID *iid, ULONG options, ULONG flags,
                                            IUnknown **out)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx, %#lx, %p)\n", iface, tag, iid, options, flags, out);
    if ((hr = refuse_bad(OpenProperty, tag, iid, options, flags, out))) return hr;
    if (out) *out = NULL;
    return unsupported("IProfSect", "OpenProperty");
}

/* A problem for each tag a profile section refuses: computed ones (S2, S3) and named properties (S4). */
static HRESULT refused_tags(ULONG count, const ULONG *tags, size_t stride, ULONG *refused, SPropProblemArray **problems)
{
    SPropProblemArray *array = NULL;
    ULONG i, n = 0;

    for (i = 0; i < count; i++) {
        ULONG tag = *(const ULONG *)((const BYTE *)tags + i * stride);
        refused[i] = is_computed(tag) ? MAPI_E_COMPUTED : PROP_ID(tag) >= 0x8000 ? MAPI_E_NO_SUPPORT : 0;
        n += !!refused[i];
    }
    if (!n || !problems) return S_OK;
    if (MAPIAllocateBuffer(CbNewSPropProblemArray(n), (void **)&array)) return MAPI_E_NOT_ENOUGH_MEMORY;
    array->cProblem = 0;
    for (i = 0; i < count; i++) {
        if (!refused[i]) continue;
        array->aProblem[array->cProblem].ulIndex = i;
        array->aProblem[array->cProblem].ulPropTag = *(const ULONG *)((const BYTE *)tags + i * stride);
        array->aProblem[array->cProblem++].scode = refused[i];
    }
    *problems = array;
    return S_OK;
}

static HRESULT WINAPI profsect_SetProps(IProfSect *iface, ULONG count, SPropValue *values, SPropProblemArray **problems)
{
    struct profsect *profsect = impl_from_IProfSect(iface);
    SPropValue *accepted;
    ULONG *refused, i, n = 0;
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %p)\n", iface, count, values, problems);
    if ((hr = refuse_bad(SetProps, count, values, problems))) return hr;
    if (problems) *problems = NULL;
    if (!profsect->writable) return MAPI_E_NO_ACCESS;
    if (count && !values) return MAPI_E_INVALID_PARAMETER;
    /* Every value is checked before anything is read or written: a bad one fails the call and changes nothing. */
    for (i = 0; i < count; i++)
        if (FBadProp(&values[i])) return MAPI_E_INVALID_PARAMETER;
    refused = malloc((count ? count : 1) * sizeof(*refused));
    accepted = malloc((count ? count : 1) * sizeof(*accepted));
    if (!refused || !accepted)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if ((hr = refused_tags(count, values ? &values->ulPropTag : NULL, sizeof(*values), refused, problems))
             == S_OK) {
        for (i = 0; i < count; i++)
            if (!refused[i]) accepted[n++] = values[i];
        hr = profstore_set_props(profsect->store, profsect->section, n, accepted);
    }
    free(refused);
    free(accepted);
    if (hr != S_OK && problems && *problems) {
        MAPIFreeBuffer(*problems);
        *problems = NULL;
    }
    return hr;
}

static HRESULT WINAPI profsect_DeleteProps(IProfSect *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    struct profsect *profsect = impl_from_IProfSect(iface);
    ULONG *refused, *accepted, i, n = 0;
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, tags, problems);
    if ((hr = refuse_bad(DeleteProps, tags, problems))) return hr;
    if (problems) *problems = NULL;
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if (!profsect->writable) return MAPI_E_NO_ACCESS;
    refused = malloc((tags->cValues ? tags->cValues : 1) * sizeof(*refused));
    accepted = malloc((tags->cValues ? tags->cValues : 1) * sizeof(*accepted));
    if (!refused || !accepted)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if ((hr = refused_tags(tags->cValues, tags->aulPropTag, sizeof(ULONG), refused, problems)) == S_OK) {
        for (i = 0; i < tags->cValues; i++)
            if (!refused[i]) accepted[n++] = tags->aulPropTag[i];
        hr = profstore_delete_props(profsect->store, profsect->section, n, accepted);
    }
    free(refused);
    free(accepted);
    if (hr != S_OK && problems && *problems) {
        MAPIFreeBuffer(*problems);
        *problems = NULL;
    }
    return hr;
}

static HRESULT WINAPI profsect_CopyTo(IProfSect *iface, ULONG exclude_count, const IID *exclude, SPropTagArray *tags,
                                      ULONG_PTR ui_param, IMAPIProgress *progress, const IID *iid, void *dest,
                                      ULONG flags, SPropProblemArray **problems)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, exclude_count, exclude, tags, ui_param, progress,
          iid, dest, flags, problems);
    if ((hr = refuse_bad(CopyTo, exclude_count, exclude, tags, ui_param, progress, iid, dest, flags, problems)))
        return hr;
    if (problems) *problems = NULL;
    return unsupported("IProfSect", "CopyTo");
}

static HRESULT WINAPI profsect_CopyProps(IProfSect *iface, SPropTagArray *tags, ULONG_PTR ui_param,
                                         IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                         SPropProblemArray **problems)
{
    HRESULT hr;

    TRACE("(%p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, tags, ui_param, progress, iid, dest, flags, problems);
    if ((hr = refuse_bad(CopyProps, tags, ui_param, progress, iid, dest, flags, problems))) return hr;
    if (problems) *problems = NULL;
    return unsupported("IProfSect", "CopyProps");
}

static HRESULT WINAPI profsect_GetNamesFromIDs(IProfSect *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                               ULONG *count, MAPINAMEID ***names)
{
    HRESULT hr;

    TRACE("(%p, %p, %p, %#lx, %p, %p)\n", iface, tags, guid, flags, count, names);
    if ((hr = refuse_bad(GetNamesFromIDs, tags, guid, flags, count, names))) return hr;
    return unsupported("IProfSect", "GetNamesFromIDs");
}

static HRESULT WINAPI profsect_GetIDsFromNames(IProfSect *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                               SPropTagArray **tags)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx, %p)\n", iface, count, names, flags, tags);
    if ((hr = refuse_bad(GetIDsFromNames, count, names, flags, tags))) return hr;
    return unsupported("IProfSect", "GetIDsFromNames");
}

static const IProfSectVtbl profsect_vtbl = {
    profsect_QueryInterface,  profsect_AddRef,          profsect_Release,     profsect_GetLastError,
    profsect_SaveChanges,     profsect_GetProps,        profsect_GetPropList, profsect_OpenProperty,
    profsect_SetProps,        profsect_DeleteProps,     profsect_CopyTo,      profsect_CopyProps,
    profsect_GetNamesFromIDs, profsect_GetIDsFromNames,
};

HRESULT profsect_open(struct profstore *store, const MAPIUID *uid, ULONG flags, IProfSect **out)
{
    struct psection *section;
    struct profsect *profsect;
    HRESULT hr = S_OK;

    if (!uid || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~(MAPI_MODIFY | MAPI_DEFERRED_ERRORS | MAPI_FORCE_ACCESS)) return MAPI_E_UNKNOWN_FLAGS;
    AcquireSRWLockShared(&store->lock);
    section = psection_lookup(store, uid);
    ReleaseSRWLockShared(&store->lock);
    if (!section) {
        char name[64];
        int i;
        strcpy(name, "Section ");
        for (i = 0; i < 16; i++) sprintf(name + 8 + 2 * i, "%02X", uid->ab[i]);
        /* On demand, read-only or not (F5); a racing open of the same UID finds the first one. */
        if ((hr = profstore_add(store, name, uid, 0, NULL, &section)) == MAPI_E_COLLISION) {
            AcquireSRWLockShared(&store->lock);
            section = psection_lookup(store, uid);
            ReleaseSRWLockShared(&store->lock);
            hr = section ? S_OK : MAPI_E_NOT_FOUND;
        }
        if (hr != S_OK) return hr;
    }
    if (!(profsect = calloc(1, sizeof(*profsect)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    profsect->IProfSect_iface.lpVtbl = &profsect_vtbl;
    profsect->refcount = 1;
    profsect->section = section;
    profsect->writable = !!(flags & MAPI_MODIFY);
    profstore_addref(store);
    profsect->store = store;
    *out = &profsect->IProfSect_iface;
    return S_OK;
}

HRESULT profsect_open_as_client(struct profstore *store, const MAPIUID *uid, ULONG flags, IProfSect **out)
{
    struct psection *section;
    BOOL provider;

    if (out) *out = NULL;
    if (!uid) return MAPI_E_INVALID_PARAMETER;
    AcquireSRWLockShared(&store->lock);
    provider = (section = psection_lookup(store, uid)) && psection_is_provider(section);
    ReleaseSRWLockShared(&store->lock);
    /* S5: a provider's section is the provider's, unless the client insists. */
    if (provider && !(flags & MAPI_FORCE_ACCESS)) return MAPI_E_NO_ACCESS;
    return profsect_open(store, uid, flags, out);
}
