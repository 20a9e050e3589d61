/*
 * Entry-ID helpers (spec U86, U87, U89) and FEqualNames. The encodings the documentation leaves to the host (X37):
 *  - HrSzFromEntryID: the bytes as upper-case hex;
 *  - HrComposeEID: a compound ID is COMPOUND_UID, a 32-bit store-record-key size, the key, then the message's ID;
 *  - WrapStoreEntryID: WRAP_UID, a version byte (0), a flags byte, the DLL's base name with its NUL, then the
 *    store's own ID; the host recognises its wrapping and never hands it to a provider (U87);
 *  - ScCreateConversationIndex: a 22-byte header (a reserved byte 1, 5 bytes of the current FILETIME, a new GUID),
 *    then one 5-byte block per reply (the time since the header's, and a random nibble), as Outlook writes them.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(entryid);

static const MAPIUID compound_uid = { { 'm', 'a', 'p', 'i', 'h', 'o', 's', 't', 'c', 'o', 'm', 'p', 'o', 'u', 'n',
                                        'd' } };
static const MAPIUID wrap_uid = { { 'm', 'a', 'p', 'i', 'h', 'o', 's', 't', 's', 't', 'o', 'r', 'e', 'w', 'r', 'p' } };

#define HEADER (offsetof(ENTRYID, ab) + sizeof(MAPIUID))

HRESULT WINAPI HrSzFromEntryID(ULONG size, LPENTRYID entry_id, LPSTR *text)
{
    HRESULT hr;

    TRACE("(%#lx, %p, %p)\n", size, entry_id, text);
    if (!entry_id || !text) return MAPI_E_INVALID_PARAMETER;
    if ((hr = MAPIAllocateBuffer(size * 2 + 1, (void **)text)) != S_OK) return hr;
    HexFromBin((BYTE *)entry_id, (int)size, *text);
    return S_OK;
}

HRESULT WINAPI HrEntryIDFromSz(LPSTR text, ULONG *size, LPENTRYID *entry_id)
{
    size_t length;
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", text, size, entry_id);
    if (!text || !size || !entry_id) return MAPI_E_INVALID_PARAMETER;
    length = strlen(text);
    if (!length || length % 2) return MAPI_E_INVALID_ENTRYID;
    if ((hr = MAPIAllocateBuffer((ULONG)length / 2, (void **)entry_id)) != S_OK) return hr;
    if (!FBinFromHex(text, (BYTE *)*entry_id)) {
        MAPIFreeBuffer(*entry_id);
        *entry_id = NULL;
        return MAPI_E_INVALID_ENTRYID;
    }
    *size = (ULONG)length / 2;
    return S_OK;
}

static HRESULT copy_id(ULONG size, const void *data, ULONG *out_size, LPENTRYID *out)
{
    HRESULT hr;

    if ((hr = MAPIAllocateBuffer(size ? size : 1, (void **)out)) != S_OK) return hr;
    memcpy(*out, data, size);
    *out_size = size;
    return S_OK;
}

HRESULT WINAPI HrComposeEID(LPMAPISESSION session, ULONG key_size, LPBYTE key, ULONG message_size, LPENTRYID message_id,
                            ULONG *size, LPENTRYID *entry_id)
{
    BYTE *block;
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx, %p, %p, %p)\n", session, key_size, key, message_size, message_id, size, entry_id);
    if (!size || !entry_id || (message_size && !message_id) || (key_size && !key)) return MAPI_E_INVALID_PARAMETER;
    if (!key_size) return copy_id(message_size, message_id, size, entry_id); /* no store: a copy (U86) */
    if ((hr = MAPIAllocateBuffer((ULONG)HEADER + 4 + key_size + message_size, (void **)&block)) != S_OK) return hr;
    memset(block, 0, offsetof(ENTRYID, ab));
    memcpy(block + offsetof(ENTRYID, ab), &compound_uid, sizeof(MAPIUID));
    memcpy(block + HEADER, &key_size, 4);
    memcpy(block + HEADER + 4, key, key_size);
    memcpy(block + HEADER + 4 + key_size, message_id, message_size);
    *size = (ULONG)HEADER + 4 + key_size + message_size;
    *entry_id = (ENTRYID *)block;
    return S_OK;
}

HRESULT WINAPI HrDecomposeEID(LPMAPISESSION session, ULONG size, LPENTRYID entry_id, ULONG *key_size, LPENTRYID *key,
                              ULONG *message_size, LPENTRYID *message_id)
{
    const BYTE *bytes = (const BYTE *)entry_id;
    ULONG stored;
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %p, %p, %p, %p)\n", session, size, entry_id, key_size, key, message_size, message_id);
    if (!entry_id || !key_size || !key || !message_size || !message_id) return MAPI_E_INVALID_PARAMETER;
    *key = *message_id = NULL;
    *key_size = 0;
    if (size < HEADER + 4 || memcmp(bytes + offsetof(ENTRYID, ab), &compound_uid, sizeof(MAPIUID)))
        return copy_id(size, entry_id, message_size, message_id); /* not compound: a copy, no store (U86) */
    memcpy(&stored, bytes + HEADER, 4);
    if (stored > size - HEADER - 4) return MAPI_E_INVALID_ENTRYID;
    if ((hr = copy_id(stored, bytes + HEADER + 4, key_size, key)) != S_OK) return hr;
    if ((hr = copy_id(size - (ULONG)HEADER - 4 - stored, bytes + HEADER + 4 + stored, message_size, message_id))) {
        MAPIFreeBuffer(*key);
        *key = NULL;
    }
    return hr;
}

/* HrComposeEID, then HrSzFromEntryID (U86). */
HRESULT WINAPI HrComposeMsgID(LPMAPISESSION session, ULONG key_size, LPBYTE key, ULONG message_size,
                              LPENTRYID message_id, LPSTR *text)
{
    ENTRYID *entry_id;
    ULONG size;
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx, %p, %p)\n", session, key_size, key, message_size, message_id, text);
    if (!text) return MAPI_E_INVALID_PARAMETER;
    if ((hr = HrComposeEID(session, key_size, key, message_size, message_id, &size, &entry_id)) != S_OK) return hr;
    hr = HrSzFromEntryID(size, entry_id, text);
    MAPIFreeBuffer(entry_id);
    return hr;
}

/* HrEntryIDFromSz, then HrDecomposeEID. */
HRESULT WINAPI HrDecomposeMsgID(LPMAPISESSION session, LPSTR text, ULONG *key_size, LPENTRYID *key, ULONG *message_size,
                                LPENTRYID *message_id)
{
    ENTRYID *entry_id;
    ULONG size;
    HRESULT hr;

    TRACE("(%p, %p, %p, %p, %p, %p)\n", session, text, key_size, key, message_size, message_id);
    if ((hr = HrEntryIDFromSz(text, &size, &entry_id)) != S_OK) return hr;
    hr = HrDecomposeEID(session, size, entry_id, key_size, key, message_size, message_id);
    MAPIFreeBuffer(entry_id);
    return hr;
}

HRESULT WINAPI WrapStoreEntryID(ULONG flags, LPSTR dll_name, ULONG size, LPENTRYID original, ULONG *wrapped_size,
                                LPENTRYID *wrapped)
{
    size_t name = dll_name ? strlen(dll_name) + 1 : 0;
    BYTE *block;
    HRESULT hr;

    TRACE("(%#lx, %p, %#lx, %p, %p, %p)\n", flags, dll_name, size, original, wrapped_size, wrapped);
    if (!dll_name || !original || !wrapped_size || !wrapped) return MAPI_E_INVALID_PARAMETER;
    if ((hr = MAPIAllocateBuffer((ULONG)(HEADER + 2 + name + size), (void **)&block)) != S_OK) return hr;
    memset(block, 0, offsetof(ENTRYID, ab));
    memcpy(block + offsetof(ENTRYID, ab), &wrap_uid, sizeof(MAPIUID));
    block[HEADER] = 0;
    block[HEADER + 1] = (BYTE)flags;
    memcpy(block + HEADER + 2, dll_name, name);
    memcpy(block + HEADER + 2 + name, original, size);
    *wrapped_size = (ULONG)(HEADER + 2 + name + size);
    *wrapped = (ENTRYID *)block;
    return S_OK;
}

BOOL wrapped_store_entry_id(ULONG size, const ENTRYID *wrapped, const char **dll_name, ULONG *original_size,
                            const ENTRYID **original)
{
    const BYTE *bytes = (const BYTE *)wrapped;
    const BYTE *name_end;

    if (!wrapped || size < HEADER + 3 || memcmp(bytes + offsetof(ENTRYID, ab), &wrap_uid, sizeof(MAPIUID)))
        return FALSE;
    if (!(name_end = memchr(bytes + HEADER + 2, 0, size - HEADER - 2))) return FALSE;
    *dll_name = (const char *)bytes + HEADER + 2;
    *original = (const ENTRYID *)(name_end + 1);
    *original_size = (ULONG)(size - (name_end + 1 - bytes));
    return TRUE;
}

SCODE WINAPI ScCreateConversationIndex(ULONG parent_size, LPBYTE parent, ULONG *size, LPBYTE *index)
{
    ULONGLONG now;
    FILETIME ft;
    GUID guid;
    SCODE sc;

    TRACE("(%#lx, %p, %p, %p)\n", parent_size, parent, size, index);
    if (!size || !index || (parent_size && !parent) || (parent_size && parent_size < 22))
        return MAPI_E_INVALID_PARAMETER;
    GetSystemTimeAsFileTime(&ft);
    now = ((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    if ((sc = MAPIAllocateBuffer(parent_size ? parent_size + 5 : 22, (void **)index)) != S_OK) return sc;
    if (!parent_size) {
        /* The header: a reserved byte, the top 40 bits of the time, a GUID. */
        (*index)[0] = 1;
        for (int i = 0; i < 5; i++) (*index)[1 + i] = (BYTE)(now >> (56 - 8 * i));
        CoCreateGuid(&guid);
        memcpy(*index + 6, &guid, sizeof(guid));
        *size = 22;
        return S_OK;
    }
    /* A reply: the parent, then a block of the time since the header's (bits 18-48) and a random nibble. */
    {
        ULONGLONG header = 0, delta;
        for (int i = 0; i < 5; i++) header = (header << 8) | parent[1 + i];
        delta = (now - (header << 24)) >> 18;
        memcpy(*index, parent, parent_size);
        for (int i = 0; i < 4; i++) (*index)[parent_size + i] = (BYTE)(delta >> (24 - 8 * i));
        (*index)[parent_size + 4] = (BYTE)(GetTickCount() & 0x0f);
        *size = parent_size + 5;
    }
    return S_OK;
}

SCODE WINAPI ScGenerateMuid(LPMAPIUID uid)
{
    TRACE("(%p)\n", uid);
    if (!uid) return MAPI_E_INVALID_PARAMETER;
    return FAILED(CoCreateGuid((GUID *)uid)) ? MAPI_E_CALL_FAILED : S_OK;
}

BOOL WINAPI FEqualNames(LPMAPINAMEID a, LPMAPINAMEID b)
{
    TRACE("(%p, %p)\n", a, b);
    if (!a || !b || !a->lpguid || !b->lpguid) return FALSE;
    if (a->ulKind != b->ulKind || !IsEqualGUID(a->lpguid, b->lpguid)) return FALSE;
    if (a->ulKind == MNID_ID) return a->Kind.lID == b->Kind.lID;
    return a->Kind.lpwstrName && b->Kind.lpwstrName && !lstrcmpW(a->Kind.lpwstrName, b->Kind.lpwstrName);
}
