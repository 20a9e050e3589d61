/* One-off entry IDs and the mail users they name (oneoff.h). The mail user implements GetProps and GetPropList;
 * its other IMAPIProp methods return MAPI_E_NO_SUPPORT (it is read-only). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "oneoff.h"
#include "propval.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(oneoff);

static const MAPIUID oneoff_uid = { MAPI_ONE_OFF_UID };
#define ONEOFF_HEADER (4 + sizeof(MAPIUID) + 4) /* flags, MAPIUID, version, flags */

BOOL oneoff_is(ULONG size, const ENTRYID *entry_id)
{
    return entry_id && size >= ONEOFF_HEADER && !memcmp(entry_id->ab, &oneoff_uid, sizeof(oneoff_uid));
}

static size_t string_size(const void *text, BOOL wide)
{
    if (!text) return wide ? sizeof(WCHAR) : 1;
    return wide ? (lstrlenW(text) + 1) * sizeof(WCHAR) : strlen(text) + 1;
}

HRESULT oneoff_create(LPTSTR name, LPTSTR address_type, LPTSTR address, ULONG flags, ULONG *size, ENTRYID **entry_id)
{
    BOOL wide = !!(flags & MAPI_UNICODE);
    const void *strings[3] = { name, address_type, address };
    WORD header[2] = { 0, (WORD)((wide ? MAPI_ONE_OFF_UNICODE : 0)
                                 | (flags & MAPI_SEND_NO_RICH_INFO ? MAPI_ONE_OFF_NO_RICH_INFO : 0)) };
    size_t total = ONEOFF_HEADER, i;
    BYTE *p;

    if (!size || !entry_id || !address_type || !address) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_UNICODE | MAPI_SEND_NO_RICH_INFO)) return MAPI_E_UNKNOWN_FLAGS;
    for (i = 0; i < 3; i++) total += string_size(strings[i], wide);
    if (MAPIAllocateBuffer((ULONG)total, (void **)entry_id)) return MAPI_E_NOT_ENOUGH_MEMORY;
    p = (BYTE *)*entry_id;
    memset(p, 0, 4);
    memcpy(p + 4, &oneoff_uid, sizeof(oneoff_uid));
    memcpy(p + 4 + sizeof(oneoff_uid), header, sizeof(header));
    p += ONEOFF_HEADER;
    for (i = 0; i < 3; i++) {
        size_t length = string_size(strings[i], wide);
        if (strings[i])
            memcpy(p, strings[i], length);
        else
            memset(p, 0, length);
        p += length;
    }
    *size = (ULONG)total;
    return S_OK;
}

/* The three strings of a one-off, each checked to end inside the entry ID. */
static BOOL parse(ULONG size, const ENTRYID *entry_id, BOOL *wide, BOOL *rich, const void *strings[3])
{
    const BYTE *p = (const BYTE *)entry_id + ONEOFF_HEADER, *end = (const BYTE *)entry_id + size;
    WORD header[2];
    int i;

    if (!oneoff_is(size, entry_id)) return FALSE;
    memcpy(header, (const BYTE *)entry_id + 4 + sizeof(MAPIUID), sizeof(header));
    *wide = !!(header[1] & MAPI_ONE_OFF_UNICODE);
    *rich = !(header[1] & MAPI_ONE_OFF_NO_RICH_INFO);
    for (i = 0; i < 3; i++) {
        strings[i] = p;
        if (*wide) {
            while (p + 1 < end && (p[0] || p[1])) p += 2;
            if (p + 1 >= end) return FALSE;
            p += 2;
        } else {
            while (p < end && *p) p++;
            if (p >= end) return FALSE;
            p++;
        }
    }
    return TRUE;
}

HRESULT oneoff_compare(ULONG size1, const ENTRYID *entry1, ULONG size2, const ENTRYID *entry2, BOOL *equal)
{
    const void *a[3], *b[3];
    BOOL wide_a, wide_b, rich;
    WCHAR text[2][2][512];
    int i, j;

    if (!parse(size1, entry1, &wide_a, &rich, a) || !parse(size2, entry2, &wide_b, &rich, b))
        return MAPI_E_INVALID_ENTRYID;
    /* Address type and address, in one width. */
    for (i = 1; i < 3; i++) {
        const void *pair[2] = { a[i], b[i] };
        BOOL wide[2] = { wide_a, wide_b };
        for (j = 0; j < 2; j++) {
            if (wide[j])
                lstrcpynW(text[i - 1][j], pair[j], 512);
            else
                MultiByteToWideChar(CP_ACP, 0, pair[j], -1, text[i - 1][j], 512);
        }
    }
    *equal = !lstrcmpiW(text[0][0], text[0][1]) && !lstrcmpiW(text[1][0], text[1][1]);
    return S_OK;
}

struct mailuser {
    IMailUser IMailUser_iface;
    LONG refcount;
    ULONG count;
    SPropValue *props;
};

static inline struct mailuser *impl_from_IMailUser(IMailUser *iface)
{
    return CONTAINING_RECORD(iface, struct mailuser, IMailUser_iface);
}

static HRESULT WINAPI mailuser_QueryInterface(IMailUser *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IMailUser, NULL };

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI mailuser_AddRef(IMailUser *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IMailUser(iface)->refcount);
}

static ULONG WINAPI mailuser_Release(IMailUser *iface)
{
    struct mailuser *user = impl_from_IMailUser(iface);
    ULONG refcount = InterlockedDecrement(&user->refcount);

    TRACE("(%p)\n", iface);
    if (!refcount) {
        MAPIFreeBuffer(user->props);
        free(user);
    }
    return refcount;
}

static HRESULT WINAPI mailuser_GetLastError(IMailUser *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI mailuser_SaveChanges(IMailUser *iface, ULONG flags)
{
    TRACE("(%p, %#lx)\n", iface, flags);
    return MAPI_E_NO_ACCESS; /* read-only */
}

static HRESULT WINAPI mailuser_GetProps(IMailUser *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                        SPropValue **values)
{
    struct mailuser *user = impl_from_IMailUser(iface);

    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, tags, flags, count, values);
    return props_get(user->count, user->props, NULL, tags, flags, count, values);
}

static HRESULT WINAPI mailuser_GetPropList(IMailUser *iface, ULONG flags, SPropTagArray **tags)
{
    struct mailuser *user = impl_from_IMailUser(iface);

    TRACE("(%p, %#lx, %p)\n", iface, flags, tags);
    return props_list(user->count, user->props, NULL, flags, tags);
}

static HRESULT WINAPI mailuser_OpenProperty(IMailUser *iface, ULONG tag, const IID *iid, ULONG options, ULONG flags,
                                            IUnknown **out)
{
    TRACE("(%p, %#lx, %p, %#lx, %#lx, %p)\n", iface, tag, iid, options, flags, out);
    if (out) *out = NULL;
    return unsupported("IMailUser of a one-off", "OpenProperty");
}

static HRESULT WINAPI mailuser_SetProps(IMailUser *iface, ULONG count, SPropValue *values, SPropProblemArray **problems)
{
    TRACE("(%p, %#lx, %p, %p)\n", iface, count, values, problems);
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI mailuser_DeleteProps(IMailUser *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    TRACE("(%p, %p, %p)\n", iface, tags, problems);
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI mailuser_CopyTo(IMailUser *iface, ULONG exclude_count, const IID *exclude, SPropTagArray *tags,
                                      ULONG_PTR ui_param, IMAPIProgress *progress, const IID *iid, void *dest,
                                      ULONG flags, SPropProblemArray **problems)
{
    TRACE("(%p, %#lx, %p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, exclude_count, exclude, tags, ui_param, progress,
          iid, dest, flags, problems);
    return unsupported("IMailUser of a one-off", "CopyTo");
}

static HRESULT WINAPI mailuser_CopyProps(IMailUser *iface, SPropTagArray *tags, ULONG_PTR ui_param,
                                         IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                         SPropProblemArray **problems)
{
    TRACE("(%p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, tags, ui_param, progress, iid, dest, flags, problems);
    return unsupported("IMailUser of a one-off", "CopyProps");
}

static HRESULT WINAPI mailuser_GetNamesFromIDs(IMailUser *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                               ULONG *count, MAPINAMEID ***names)
{
    TRACE("(%p, %p, %p, %#lx, %p, %p)\n", iface, tags, guid, flags, count, names);
    return unsupported("IMailUser of a one-off", "GetNamesFromIDs");
}

static HRESULT WINAPI mailuser_GetIDsFromNames(IMailUser *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                               SPropTagArray **tags)
{
    TRACE("(%p, %#lx, %p, %#lx, %p)\n", iface, count, names, flags, tags);
    return unsupported("IMailUser of a one-off", "GetIDsFromNames");
}

static const IMailUserVtbl mailuser_vtbl = {
    mailuser_QueryInterface,  mailuser_AddRef,          mailuser_Release,     mailuser_GetLastError,
    mailuser_SaveChanges,     mailuser_GetProps,        mailuser_GetPropList, mailuser_OpenProperty,
    mailuser_SetProps,        mailuser_DeleteProps,     mailuser_CopyTo,      mailuser_CopyProps,
    mailuser_GetNamesFromIDs, mailuser_GetIDsFromNames,
};

HRESULT oneoff_open(ULONG size, const ENTRYID *entry_id, ULONG *type, IUnknown **out)
{
    static const ULONG string_tags[3] = { PR_DISPLAY_NAME_A, PR_ADDRTYPE_A, PR_EMAIL_ADDRESS_A };
    const void *strings[3];
    struct mailuser *user;
    SPropValue values[8];
    char search_key[1024];
    BOOL wide, rich;
    ULONG n = 0, i;
    HRESULT hr;

    if (!parse(size, entry_id, &wide, &rich, strings)) return MAPI_E_INVALID_ENTRYID;
    for (i = 0; i < 3; i++) {
        values[n].ulPropTag = wide ? CHANGE_PROP_TYPE(string_tags[i], PT_UNICODE) : string_tags[i];
        values[n++].Value.lpszA = (char *)strings[i];
    }
    values[n].ulPropTag = PR_ENTRYID;
    values[n].Value.bin.cb = size;
    values[n++].Value.bin.lpb = (BYTE *)entry_id;
    /* PR_SEARCH_KEY: ADDRTYPE:ADDRESS in capitals, narrow, with its NUL. */
    if (wide) {
        WCHAR key[512];
        lstrcpynW(key, strings[1], 256);
        lstrcatW(key, L":");
        lstrcpynW(key + lstrlenW(key), strings[2], 255);
        WideCharToMultiByte(CP_ACP, 0, key, -1, search_key, sizeof(search_key), NULL, NULL);
    } else
        snprintf(search_key, sizeof(search_key), "%s:%s", (const char *)strings[1], (const char *)strings[2]);
    CharUpperA(search_key);
    values[n].ulPropTag = PR_SEARCH_KEY;
    values[n].Value.bin.cb = (ULONG)strlen(search_key) + 1;
    values[n++].Value.bin.lpb = (BYTE *)search_key;
    values[n].ulPropTag = PR_SEND_RICH_INFO;
    values[n++].Value.b = (unsigned short)rich;
    values[n].ulPropTag = PR_OBJECT_TYPE;
    values[n++].Value.l = MAPI_MAILUSER;
    values[n].ulPropTag = PR_DISPLAY_TYPE;
    values[n++].Value.l = DT_MAILUSER;
    if (!(user = calloc(1, sizeof(*user)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if ((hr = props_copy(n, values, &user->props)) != S_OK) {
        free(user);
        return hr;
    }
    user->IMailUser_iface.lpVtbl = &mailuser_vtbl;
    user->refcount = 1;
    user->count = n;
    *type = MAPI_MAILUSER;
    *out = (IUnknown *)&user->IMailUser_iface;
    return S_OK;
}
