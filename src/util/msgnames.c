/*
 * Named properties of a message on IStorage (msgnames.h): property IDs from 0x8000 up, each a name (a GUID and a
 * number or a string), kept in the .msg file's storage "__nameid_version1.0" ([MS-OXMSG]):
 *   "__substg1.0_00020102": the GUIDs, 16 bytes each (GUID index 3 is the first; 1 is PS_MAPI, 2 PS_PUBLIC_STRINGS);
 *   "__substg1.0_00030102": one 8-byte entry per ID, in ID order: the number, or the name's offset in the string
 *     stream, then (ID - 0x8000) << 16 | GUID index << 1 | 1 for a string name;
 *   "__substg1.0_00040102": each string name as a 4-byte byte count and its UTF-16, padded to 4 bytes;
 *   "__substg1.0_10XX0102": the same entries again, spread over 31 streams by a hash of the name (the number, or a
 *     CRC-32 of the string), for readers that look names up.
 * IDs below 0x8000 name themselves (PS_MAPI, the ID as number), as MAPI answers for them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgnames.h"
#include "wbstream.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(msgnames);

static const GUID ps_mapi = { 0x00020328, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };
static const GUID ps_public_strings = { 0x00020329, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };

#define FIRST_NAMED 0x8000
#define LAST_NAMED 0xfffe
#define BUCKETS 0x1f

struct msg_name {
    GUID guid;
    ULONG kind;   /* MNID_ID or MNID_STRING */
    ULONG number; /* MNID_ID */
    WCHAR *text;  /* MNID_STRING */
};

struct msg_names {
    LONG refcount;
    SRWLOCK lock;
    ULONG count, capacity;
    struct msg_name *names; /* names[i] is ID 0x8000 + i */
};

struct msg_names *msgnames_create(void)
{
    struct msg_names *names = calloc(1, sizeof(*names));

    if (names) {
        names->refcount = 1;
        InitializeSRWLock(&names->lock);
    }
    return names;
}

void msgnames_addref(struct msg_names *names)
{
    InterlockedIncrement(&names->refcount);
}

static void clear(struct msg_names *names)
{
    ULONG i;

    for (i = 0; i < names->count; i++) free(names->names[i].text);
    free(names->names);
    names->names = NULL;
    names->count = names->capacity = 0;
}

void msgnames_release(struct msg_names *names)
{
    if (!names || InterlockedDecrement(&names->refcount)) return;
    clear(names);
    free(names);
}

static BOOL same_name(const struct msg_name *name, const MAPINAMEID *wanted)
{
    if (!IsEqualGUID(&name->guid, wanted->lpguid) || name->kind != wanted->ulKind) return FALSE;
    return name->kind == MNID_ID ? name->number == (ULONG)wanted->Kind.lID
                                 : !wcscmp(name->text, wanted->Kind.lpwstrName);
}

/* The ID of a name, adding it when add; 0 when it has none (or none can be added). Under the lock. */
static ULONG id_of(struct msg_names *names, const MAPINAMEID *wanted, BOOL add)
{
    struct msg_name *name;
    ULONG i;

    for (i = 0; i < names->count; i++)
        if (same_name(&names->names[i], wanted)) return FIRST_NAMED + i;
    if (!add || FIRST_NAMED + names->count > LAST_NAMED) return 0;
    if (names->count == names->capacity) {
        ULONG capacity = names->capacity ? 2 * names->capacity : 16;
        struct msg_name *grown = realloc(names->names, capacity * sizeof(*grown));
        if (!grown) return 0;
        names->names = grown;
        names->capacity = capacity;
    }
    name = &names->names[names->count];
    name->guid = *wanted->lpguid;
    name->kind = wanted->ulKind;
    name->number = wanted->ulKind == MNID_ID ? (ULONG)wanted->Kind.lID : 0;
    name->text = NULL;
    if (wanted->ulKind == MNID_STRING && !(name->text = _wcsdup(wanted->Kind.lpwstrName))) return 0;
    return FIRST_NAMED + names->count++;
}

static BOOL valid_name(const MAPINAMEID *name)
{
    if (!readable_bytes(name, sizeof(*name)) || !readable_bytes(name->lpguid, sizeof(GUID))) return FALSE;
    return name->ulKind == MNID_ID || (name->ulKind == MNID_STRING && readable_text(name->Kind.lpwstrName));
}

HRESULT msgnames_ids(struct msg_names *names, const struct mapi_allocators *alloc, BOOL writable, ULONG count,
                     MAPINAMEID **wanted, ULONG flags, SPropTagArray **tags)
{
    BOOL create = !!(flags & MAPI_CREATE), all = !count && !wanted, missing = FALSE;
    ULONG i, total;
    HRESULT hr;

    if (!tags) return MAPI_E_INVALID_PARAMETER;
    *tags = NULL;
    if (flags & ~MAPI_CREATE) return MAPI_E_UNKNOWN_FLAGS;
    if (!all && (!count || !readable_bytes(wanted, count * sizeof(*wanted)))) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; !all && i < count; i++)
        if (!valid_name(wanted[i])) return MAPI_E_INVALID_PARAMETER;
    if (create && !writable) return MAPI_E_NO_ACCESS;
    AcquireSRWLockExclusive(&names->lock);
    total = all ? names->count : count;
    if (!(hr = alloc->buffer(CbNewSPropTagArray(total), (void **)tags))) {
        (*tags)->cValues = total;
        for (i = 0; i < total; i++) {
            ULONG id = FIRST_NAMED + i;

            /* PS_MAPI names a property by its own ID. */
            if (!all && IsEqualGUID(wanted[i]->lpguid, &ps_mapi) && wanted[i]->ulKind == MNID_ID)
                id = (ULONG)wanted[i]->Kind.lID & 0xffff;
            else if (!all)
                id = id_of(names, wanted[i], create);
            (*tags)->aulPropTag[i] = id ? PROP_TAG(PT_UNSPECIFIED, id) : PROP_TAG(PT_ERROR, 0);
            missing |= !id;
        }
    }
    ReleaseSRWLockExclusive(&names->lock);
    return hr ? hr : missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

/* A copy of a name in the chain of parent. */
static HRESULT copy_name(const struct mapi_allocators *alloc, void *parent, const struct msg_name *name,
                         MAPINAMEID **out)
{
    HRESULT hr;
    size_t size;

    if ((hr = alloc->more(sizeof(**out) + sizeof(GUID), parent, (void **)out))) return hr;
    (*out)->lpguid = (GUID *)(*out + 1);
    *(*out)->lpguid = name->guid;
    (*out)->ulKind = name->kind;
    if (name->kind == MNID_ID) {
        (*out)->Kind.lID = (LONG)name->number;
        return S_OK;
    }
    size = (wcslen(name->text) + 1) * sizeof(WCHAR);
    if ((hr = alloc->more((ULONG)size, parent, (void **)&(*out)->Kind.lpwstrName))) return hr;
    memcpy((*out)->Kind.lpwstrName, name->text, size);
    return S_OK;
}

HRESULT msgnames_names(struct msg_names *names, const struct mapi_allocators *alloc, SPropTagArray **tags,
                       const GUID *guid, ULONG flags, ULONG *count, MAPINAMEID ***out)
{
    BOOL missing = FALSE;
    ULONG i, total;
    HRESULT hr;

    if (!tags || !count || !out) return MAPI_E_INVALID_PARAMETER;
    *count = 0;
    *out = NULL;
    if (flags & ~MAPI_NO_STRINGS & ~MAPI_NO_IDS) return MAPI_E_UNKNOWN_FLAGS;
    AcquireSRWLockShared(&names->lock);
    if (!*tags) { /* every name (of the GUID, when given), and the tags with them */
        for (i = 0, total = 0; i < names->count; i++) total += !guid || IsEqualGUID(guid, &names->names[i].guid);
        if ((hr = alloc->buffer(CbNewSPropTagArray(total), (void **)tags))) goto done;
        (*tags)->cValues = 0;
        for (i = 0; i < names->count; i++)
            if (!guid || IsEqualGUID(guid, &names->names[i].guid))
                (*tags)->aulPropTag[(*tags)->cValues++] = PROP_TAG(PT_UNSPECIFIED, FIRST_NAMED + i);
    } else if (!readable_bytes(*tags, CbNewSPropTagArray(0))
               || !readable_bytes(*tags, CbNewSPropTagArray((*tags)->cValues))) {
        hr = MAPI_E_INVALID_PARAMETER;
        goto done;
    }
    total = (*tags)->cValues;
    if ((hr = alloc->buffer((total ? total : 1) * sizeof(**out), (void **)out))) goto done;
    for (i = 0; !hr && i < total; i++) {
        ULONG id = PROP_ID((*tags)->aulPropTag[i]);
        struct msg_name own = { ps_mapi, MNID_ID, id, NULL };
        const struct msg_name *name = id < FIRST_NAMED                  ? &own
                                      : id - FIRST_NAMED < names->count ? &names->names[id - FIRST_NAMED]
                                                                        : NULL;

        if (name
            && ((flags & MAPI_NO_STRINGS && name->kind == MNID_STRING)
                || (flags & MAPI_NO_IDS && name->kind == MNID_ID)))
            name = NULL;
        (*out)[i] = NULL;
        if (name)
            hr = copy_name(alloc, *out, name, &(*out)[i]);
        else
            missing = TRUE;
    }
    if (hr) {
        alloc->free(*out);
        *out = NULL;
    } else
        *count = total;
done:
    ReleaseSRWLockShared(&names->lock);
    return hr ? hr : missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

/* ---- The .msg mapping ---------------------------------------------------------------------------------------- */

static const WCHAR nameid_storage[] = L"__nameid_version1.0";
static const WCHAR guid_stream[] = L"__substg1.0_00020102";
static const WCHAR entry_stream[] = L"__substg1.0_00030102";
static const WCHAR string_stream[] = L"__substg1.0_00040102";

/* The CRC-32 the format hashes string names with: reflected, polynomial 0xEDB88320, starting at 0, not inverted. */
static ULONG name_crc(const WCHAR *text)
{
    const BYTE *bytes = (const BYTE *)text;
    size_t size = wcslen(text) * sizeof(WCHAR), i;
    ULONG crc = 0;
    int bit;

    for (i = 0; i < size; i++) {
        crc ^= bytes[i];
        for (bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >> 1) ^ 0xedb88320 : crc >> 1;
    }
    return crc;
}

/* A name's GUID index: 1 and 2 for the two standard sets, 3 and up for the GUID stream's. */
static ULONG guid_index(const GUID *guid, const GUID *guids, ULONG *guid_count)
{
    ULONG i;

    if (IsEqualGUID(guid, &ps_mapi)) return 1;
    if (IsEqualGUID(guid, &ps_public_strings)) return 2;
    for (i = 0; i < *guid_count; i++)
        if (IsEqualGUID(guid, &guids[i])) return 3 + i;
    ((GUID *)guids)[(*guid_count)++] = *guid;
    return 3 + i;
}

HRESULT msgnames_save(struct msg_names *names, IStorage *root)
{
    ULONG guid_count = 0, string_size = 0, i, bucket_sizes[BUCKETS] = { 0 };
    ULONG *entries = NULL, *buckets = NULL; /* bucket b's entries at buckets + b * 2 * count */
    BYTE *strings = NULL;
    GUID *guids = NULL;
    IStorage *storage;
    WCHAR name[32];
    HRESULT hr;

    AcquireSRWLockShared(&names->lock);
    if (!names->count) {
        ReleaseSRWLockShared(&names->lock);
        return S_OK; /* a file's mapping, if it had one and nothing was named since, stays as it is */
    }
    for (i = 0; i < names->count; i++)
        if (names->names[i].kind == MNID_STRING) string_size += 4 + ((wcslen(names->names[i].text) * 2 + 3) & ~3u);
    guids = calloc(names->count, sizeof(*guids));
    entries = calloc(names->count, 2 * sizeof(*entries));
    strings = calloc(1, string_size + 4);
    buckets = calloc(BUCKETS * 2 * names->count, sizeof(*buckets));
    hr = guids && entries && strings && buckets ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0, string_size = 0; SUCCEEDED(hr) && i < names->count; i++) {
        const struct msg_name *entry = &names->names[i];
        ULONG index = guid_index(&entry->guid, guids, &guid_count), kind = entry->kind == MNID_STRING, key, bucket;

        if (kind) {
            ULONG bytes = (ULONG)wcslen(entry->text) * 2;
            memcpy(strings + string_size, &bytes, 4);
            memcpy(strings + string_size + 4, entry->text, bytes);
            entries[2 * i] = string_size;
            string_size += 4 + ((bytes + 3) & ~3u);
            key = name_crc(entry->text);
        } else
            entries[2 * i] = key = entry->number;
        entries[2 * i + 1] = i << 16 | index << 1 | kind;
        bucket = (key ^ (index << 1 | kind)) % BUCKETS;
        buckets[bucket * 2 * names->count + bucket_sizes[bucket]++] = key;
        buckets[bucket * 2 * names->count + bucket_sizes[bucket]++] = entries[2 * i + 1];
    }
    ReleaseSRWLockShared(&names->lock);
    if (SUCCEEDED(hr))
        hr = IStorage_CreateStorage(root, nameid_storage, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, 0,
                                    &storage);
    if (SUCCEEDED(hr)) {
        hr = stream_write_new(storage, guid_stream, guids, guid_count * sizeof(GUID));
        if (SUCCEEDED(hr)) hr = stream_write_new(storage, entry_stream, entries, names->count * 8);
        if (SUCCEEDED(hr)) hr = stream_write_new(storage, string_stream, strings, string_size);
        for (i = 0; SUCCEEDED(hr) && i < BUCKETS; i++) {
            if (!bucket_sizes[i]) continue;
            swprintf(name, ARRAYSIZE(name), L"__substg1.0_%04lX0102", 0x1000 + i);
            hr = stream_write_new(storage, name, buckets + i * 2 * names->count, bucket_sizes[i] * 4);
        }
        IStorage_Release(storage);
    }
    free(guids);
    free(entries);
    free(strings);
    free(buckets);
    return hr;
}

static HRESULT get(IStorage *storage, const WCHAR *name, BYTE **bytes, ULONG *size)
{
    IStream *stream;
    HRESULT hr;

    *bytes = NULL;
    *size = 0;
    if (FAILED(hr = IStorage_OpenStream(storage, name, NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, 0, &stream)))
        return hr == STG_E_FILENOTFOUND ? S_OK : hr; /* an empty stream may be left out */
    hr = stream_read_all(stream, bytes, size);
    IStream_Release(stream);
    return hr;
}

HRESULT msgnames_load(struct msg_names *names, IStorage *root)
{
    BYTE *guids = NULL, *entries = NULL, *strings = NULL;
    ULONG guid_size, entry_size, string_size, i;
    IStorage *storage;
    HRESULT hr;

    if (FAILED(IStorage_OpenStorage(root, nameid_storage, NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, NULL, 0, &storage)))
        return S_OK;
    if (SUCCEEDED(hr = get(storage, guid_stream, &guids, &guid_size))
        && SUCCEEDED(hr = get(storage, entry_stream, &entries, &entry_size)))
        hr = get(storage, string_stream, &strings, &string_size);
    IStorage_Release(storage);
    if (SUCCEEDED(hr) && (guid_size % sizeof(GUID) || entry_size % 8)) hr = MAPI_E_CORRUPT_DATA;
    AcquireSRWLockExclusive(&names->lock);
    clear(names);
    for (i = 0; SUCCEEDED(hr) && i < entry_size / 8; i++) {
        ULONG key, info, index, id;
        MAPINAMEID name;
        GUID guid;
        WCHAR *text = NULL;

        memcpy(&key, entries + 8 * i, 4);
        memcpy(&info, entries + 8 * i + 4, 4);
        index = (info & 0xffff) >> 1;
        id = FIRST_NAMED + (info >> 16);
        if (index == 1)
            guid = ps_mapi;
        else if (index == 2)
            guid = ps_public_strings;
        else if (index >= 3 && (index - 3) < guid_size / sizeof(GUID))
            memcpy(&guid, guids + (index - 3) * sizeof(GUID), sizeof(GUID));
        else {
            hr = MAPI_E_CORRUPT_DATA;
            break;
        }
        name.lpguid = &guid;
        name.ulKind = info & 1 ? MNID_STRING : MNID_ID;
        if (name.ulKind == MNID_STRING) {
            ULONG bytes;
            if ((ULONGLONG)key + 4 > string_size || (memcpy(&bytes, strings + key, 4), bytes % 2)
                || (ULONGLONG)key + 4 + bytes > string_size || !(text = calloc(1, bytes + 2))) {
                hr = MAPI_E_CORRUPT_DATA;
                break;
            }
            memcpy(text, strings + key + 4, bytes);
            name.Kind.lpwstrName = text;
        } else
            name.Kind.lID = (LONG)key;
        /* Entries are in ID order: each one's ID is the next, or the file is not what the format says. */
        if (id != FIRST_NAMED + names->count || id_of(names, &name, TRUE) != id) hr = MAPI_E_CORRUPT_DATA;
        free(text);
    }
    if (FAILED(hr)) clear(names);
    ReleaseSRWLockExclusive(&names->lock);
    free(guids);
    free(entries);
    free(strings);
    return hr;
}
