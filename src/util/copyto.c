/*
 * IMAPISupport::DoCopyTo and DoCopyProps for store providers: MAPI's generic copy of one IMAPIProp's properties to
 * another, for a provider that does not copy between its own objects itself. Properties are read with GetProps and
 * written with SetProps; MAPI_NOREPLACE keeps what the destination has, MAPI_MOVE deletes the copied ones from the
 * source. Object properties (PT_OBJECT) and subobjects are not copied (there is no generic way to open them), and
 * MAPI_DIALOG shows no progress (there is no UI). The interfaces named are not checked beyond IMAPIProp.
 */
#include <stdlib.h>

#include "mapihost_private.h"
#include "copyto.h"
#include "propval.h"

HRESULT copyto_props(IMAPIProp *source, SPropTagArray *include, IMAPIProp *dest, ULONG flags,
                     SPropProblemArray **problems)
{
    SPropValue *values = NULL, *have = NULL;
    SPropTagArray *copied = NULL;
    ULONG count = 0, have_count = 0, i, n = 0;
    HRESULT hr;

    if (problems) *problems = NULL;
    if (!source || !dest) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_MOVE | MAPI_NOREPLACE | MAPI_DECLINE_OK | MAPI_DIALOG | MAPI_UNICODE))
        return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = IMAPIProp_GetProps(source, include, flags & MAPI_UNICODE, &count, &values))) return hr;
    if (flags & MAPI_NOREPLACE) IMAPIProp_GetProps(dest, include, flags & MAPI_UNICODE, &have_count, &have);
    if ((hr = MAPIAllocateBuffer(CbNewSPropTagArray(count), (void **)&copied)) == S_OK) {
        for (i = 0; i < count; i++) {
            ULONG type = PROP_TYPE(values[i].ulPropTag);
            const SPropValue *existing = have ? props_find(have_count, have, values[i].ulPropTag) : NULL;
            if (type == PT_ERROR || type == PT_OBJECT) continue;
            if (existing && PROP_TYPE(existing->ulPropTag) != PT_ERROR) continue;
            values[n++] = values[i];
        }
        hr = n ? IMAPIProp_SetProps(dest, n, values, problems) : S_OK;
        for (i = 0, copied->cValues = 0; SUCCEEDED(hr) && flags & MAPI_MOVE && i < n; i++)
            copied->aulPropTag[copied->cValues++] = values[i].ulPropTag;
        if (SUCCEEDED(hr) && copied->cValues) hr = IMAPIProp_DeleteProps(source, copied, NULL);
    }
    MAPIFreeBuffer(copied);
    MAPIFreeBuffer(values);
    MAPIFreeBuffer(have);
    return FAILED(hr) ? hr : S_OK;
}

BOOL copyto_excludes(const SPropTagArray *exclude, ULONG tag)
{
    ULONG i;

    for (i = 0; exclude && i < exclude->cValues; i++)
        if (PROP_ID(exclude->aulPropTag[i]) == PROP_ID(tag)) return TRUE;
    return FALSE;
}

HRESULT copyto_all(IMAPIProp *source, SPropTagArray *exclude, IMAPIProp *dest, ULONG flags,
                   SPropProblemArray **problems)
{
    SPropTagArray *tags;
    ULONG i, n = 0;
    HRESULT hr;

    if (problems) *problems = NULL;
    if (!source || !dest) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(hr = IMAPIProp_GetPropList(source, flags & MAPI_UNICODE, &tags))) return hr;
    for (i = 0; i < tags->cValues; i++)
        if (!copyto_excludes(exclude, tags->aulPropTag[i])) tags->aulPropTag[n++] = tags->aulPropTag[i];
    tags->cValues = n;
    hr = n ? copyto_props(source, tags, dest, flags, problems) : S_OK;
    MAPIFreeBuffer(tags);
    return hr;
}
