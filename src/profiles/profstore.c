/*
 * Stored profiles (stored.h): opening and sharing them within the process, reading and saving their files
 * (the text is proffile.c's, the atomic write and the lock profwrite.c's), changes to their sections and batches.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "filetext.h"
#include "ini.h"
#include "stored.h"
#include "proptext.h"
#include "propval.h"
#include "strbuf.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(profstore);

static SRWLOCK open_lock = SRWLOCK_INIT;
static struct list open_profiles = LIST_INIT(open_profiles);

/* ---- Sections by role ----------------------------------------------------------------------------------------- */

ULONG profstore_list(struct profstore *store, const struct psection *service, BOOL providers, struct psection ***list)
{
    struct list *cursor;
    ULONG count = 0, pass;

    *list = NULL;
    AcquireSRWLockShared(&store->lock);
    for (pass = 0; pass < 2; pass++) {
        count = 0;
        LIST_FOR_EACH (cursor, &store->sections) {
            struct psection *section = LIST_ENTRY(cursor, struct psection, entry);
            BOOL match = service ? psection_belongs_to(section, service) && psection_is_provider(section) == providers
                                 : psection_is_service(section);
            if (section->deleted || !match) continue;
            if (pass) (*list)[count] = section;
            count++;
        }
        if (!pass && !(*list = malloc((count ? count : 1) * sizeof(**list)))) break;
    }
    ReleaseSRWLockShared(&store->lock);
    return *list ? count : 0;
}

/* ---- Files ----------------------------------------------------------------------------------------------------- */

#define NO_FILE_HASH 0 /* the hash of a file that does not exist */

static ULONGLONG hash_text(const char *data, size_t length)
{
    return hash_bytes(data, length) | 1; /* never NO_FILE_HASH */
}

static ULONGLONG hash_file(const char *path)
{
    size_t length;
    HRESULT hr;
    char *text = filetext_read(path, &length, &hr);
    ULONGLONG hash = text ? hash_text(text, length) : NO_FILE_HASH;

    free(text);
    return hash;
}

/* Every value of section is in its copy as read back (the reader may add what it derives, a service's display name
 * from [Services]); values the file never holds (objects) aside. */
static BOOL section_kept(const struct psection *section, const struct psection *copy)
{
    const SPropValue *found;
    ULONG i;

    if (!copy || strcmp(section->name, copy->name)) return FALSE;
    for (i = 0; i < section->count; i++) {
        if (PROP_TYPE(section->props[i].ulPropTag) == PT_OBJECT) continue;
        found = psection_find(copy, section->props[i].ulPropTag);
        if (!found || !prop_equal(found, &section->props[i])) return FALSE;
    }
    return TRUE;
}

/* The writer never writes what its reader refuses: a profile made unreadable loses every service in it. The new text
 * is parsed back, and every section and value in memory must be found in it as it is. */
static HRESULT read_back(struct profstore *store, const struct strbuf *text)
{
    struct profstore scratch = { .path = store->path, .name = store->name };
    struct list *cursor, *next;
    char *copy = _strdup(text->text);
    BOOL changed = FALSE, same = FALSE;

    list_init(&scratch.sections);
    if (copy && proffile_parse(&scratch, copy, &changed)) {
        same = TRUE;
        LIST_FOR_EACH (cursor, &store->sections) {
            struct psection *section = LIST_ENTRY(cursor, struct psection, entry);
            /* Deleted sections, and loose ones never written to, are not in the file. */
            if (section->deleted || (!section->count && !psection_is_service(section))) continue;
            if (!(same = section_kept(section, psection_lookup(&scratch, &section->uid)))) break;
        }
    }
    free(copy);
    LIST_FOR_EACH_SAFE (cursor, next, &scratch.sections) psection_free(LIST_ENTRY(cursor, struct psection, entry));
    hashtable_free(&scratch.by_uid);
    if (same) return S_OK;
    event_error(ABOUT_HOST, NULL,
                "profile %s: the change would write a text that does not read back as it is meant; nothing was "
                "written, and the profile keeps what it had",
                store->path);
    return MAPI_E_CORRUPT_DATA;
}

/* Writes the profile as it is in memory. Called with store->lock held exclusively. */
static HRESULT save(struct profstore *store)
{
    HANDLE lock = INVALID_HANDLE_VALUE;
    struct strbuf text = { 0 };
    HRESULT hr = S_OK;

    if (store->batch) {
        store->dirty = TRUE;
        return S_OK;
    }
    proffile_format(store, &text);
    if (text.failed) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    /* Nothing the file holds changed (a section opened on demand and never written, say). */
    if (hash_text(text.text, text.length) == store->file_hash) goto done;
    if ((hr = read_back(store, &text)) != S_OK) goto done;
    if ((lock = profwrite_lock(store->path, &hr)) == INVALID_HANDLE_VALUE) goto done;
    if (hash_file(store->path) != store->file_hash) {
        event_error(ABOUT_HOST, NULL,
                    "profile %s was changed by another process since this one read it; this change "
                    "is refused and the file keeps the other's (open the profile again to change it)",
                    store->path);
        hr = MAPI_E_OBJECT_CHANGED;
    } else if ((hr = profwrite_atomic(store->path, text.text, text.length)) == S_OK) {
        store->file_hash = hash_text(text.text, text.length);
        TRACE("profile %s written, %lu bytes\n", store->path, (ULONG)text.length);
    }
done:
    if (lock != INVALID_HANDLE_VALUE) CloseHandle(lock);
    strbuf_free(&text);
    return hr;
}

/* ---- Opening and sharing --------------------------------------------------------------------------------------- */

static void set_names(struct profstore *store, const char *path)
{
    const char *base = path, *p;
    char *dot;

    for (p = path; *p; p++)
        if (*p == '\\' || *p == '/') base = p + 1;
    free(store->path);
    free(store->name);
    free(store->folder);
    store->path = _strdup(path);
    store->name = _strdup(base);
    if ((dot = strrchr(store->name, '.')) && !_stricmp(dot, ".inf")) *dot = 0;
    store->folder = _strdup(path);
    store->folder[base - path] = 0;
}

static void free_store(struct profstore *store)
{
    struct list *cursor, *next;

    LIST_FOR_EACH_SAFE (cursor, next, &store->sections) psection_free(LIST_ENTRY(cursor, struct psection, entry));
    hashtable_free(&store->by_uid);
    free(store->path);
    free(store->name);
    free(store->folder);
    free(store);
}

static HRESULT load(struct profstore *store, BOOL create)
{
    BOOL changed = FALSE, parsed;
    size_t length = 0;
    char *text;
    HRESULT hr;

    if (!(text = filetext_read(store->path, &length, &hr))) {
        if (hr != MAPI_E_NOT_FOUND || !create) {
            event_error(ABOUT_HOST, NULL, "profile %s: cannot %s the file", store->path,
                        hr == MAPI_E_NOT_FOUND ? "open" : "read");
            return hr;
        }
        store->file_hash = NO_FILE_HASH;
        changed = TRUE;
        text = _strdup("");
    } else
        store->file_hash = hash_text(text, length);
    parsed = proffile_parse(store, text, &changed);
    free(text);
    if (!parsed) return MAPI_E_CORRUPT_DATA;
    /* New UIDs must be on disk before anyone uses them, or the next process would make others. */
    if (changed && (hr = save(store)) != S_OK) {
        if (create) return hr;
        event_error(ABOUT_HOST, NULL,
                    "profile %s: the MAPIUIDs given to its sections could not be recorded; they last for this "
                    "process only",
                    store->path);
    }
    return S_OK;
}

HRESULT profstore_open(const char *path, BOOL create, struct profstore **out)
{
    char full[MAX_PATH];
    struct profstore *store;
    struct list *cursor;
    HRESULT hr;

    *out = NULL;
    if (!GetFullPathNameA(path, sizeof(full), full, NULL)) return MAPI_E_INVALID_PARAMETER;
    AcquireSRWLockExclusive(&open_lock);
    LIST_FOR_EACH (cursor, &open_profiles) {
        store = LIST_ENTRY(cursor, struct profstore, entry);
        if (_stricmp(store->path, full)) continue;
        ReleaseSRWLockExclusive(&open_lock);
        if (store->delete_pending) return MAPI_E_NOT_FOUND; /* deleted while in use: hidden (S12) */
        InterlockedIncrement(&store->refcount);
        *out = store;
        return S_OK;
    }
    if (!(store = calloc(1, sizeof(*store)))) {
        ReleaseSRWLockExclusive(&open_lock);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    store->refcount = 1;
    InitializeSRWLock(&store->lock);
    list_init(&store->sections);
    set_names(store, full);
    AcquireSRWLockExclusive(&store->lock);
    hr = load(store, create);
    ReleaseSRWLockExclusive(&store->lock);
    if (hr != S_OK)
        free_store(store);
    else {
        list_add_tail(&open_profiles, &store->entry);
        *out = store;
    }
    ReleaseSRWLockExclusive(&open_lock);
    return hr;
}

BOOL profstore_exists(const char *path)
{
    char full[MAX_PATH];
    struct list *cursor;
    BOOL exists;

    if (!GetFullPathNameA(path, sizeof(full), full, NULL)) return FALSE;
    exists = GetFileAttributesA(full) != INVALID_FILE_ATTRIBUTES;
    AcquireSRWLockShared(&open_lock);
    LIST_FOR_EACH (cursor, &open_profiles) {
        struct profstore *store = LIST_ENTRY(cursor, struct profstore, entry);
        if (!_stricmp(store->path, full) && store->delete_pending) exists = FALSE;
    }
    ReleaseSRWLockShared(&open_lock);
    return exists;
}

void profstore_addref(struct profstore *store)
{
    InterlockedIncrement(&store->refcount);
}

void profstore_release(struct profstore *store)
{
    AcquireSRWLockExclusive(&open_lock);
    if (InterlockedDecrement(&store->refcount)) {
        ReleaseSRWLockExclusive(&open_lock);
        return;
    }
    list_remove(&store->entry);
    ReleaseSRWLockExclusive(&open_lock);
    if (store->delete_pending) {
        DeleteFileA(store->path);
        event_step(ABOUT_HOST, "profile %s: deleted now that its last session has ended (S12)", store->name);
    }
    free_store(store);
}

HRESULT profstore_delete_file(struct profstore *store)
{
    HRESULT hr;
    HANDLE lock = profwrite_lock(store->path, &hr);

    if (lock == INVALID_HANDLE_VALUE) return hr;
    AcquireSRWLockExclusive(&open_lock);
    /* Hidden from every later open in this process at once; the file goes with the last user when sessions use
     * it (S12), else now. */
    store->delete_pending = TRUE;
    if (!store->sessions) DeleteFileA(store->path);
    ReleaseSRWLockExclusive(&open_lock);
    CloseHandle(lock);
    return S_OK;
}

HRESULT profstore_rename(struct profstore *store, const char *new_path)
{
    char full[MAX_PATH], old_lock[MAX_PATH + 8];
    HRESULT hr;
    HANDLE lock = profwrite_lock(store->path, &hr);

    if (lock == INVALID_HANDLE_VALUE) return hr;
    if (!GetFullPathNameA(new_path, sizeof(full), full, NULL))
        hr = MAPI_E_INVALID_PARAMETER;
    else if (!MoveFileExA(store->path, full, MOVEFILE_WRITE_THROUGH)) {
        event_error(ABOUT_HOST, NULL, "profile %s: cannot rename it to %s (error %lu)", store->path, full,
                    GetLastError());
        hr = GetLastError() == ERROR_ALREADY_EXISTS ? MAPI_E_NO_ACCESS : MAPI_E_CALL_FAILED;
    }
    snprintf(old_lock, sizeof(old_lock), "%s.lock", store->path);
    if (hr == S_OK) {
        AcquireSRWLockExclusive(&store->lock);
        set_names(store, full);
        ReleaseSRWLockExclusive(&store->lock);
    }
    CloseHandle(lock);
    if (hr == S_OK) DeleteFileA(old_lock);
    return hr;
}

/* ---- Changes --------------------------------------------------------------------------------------------------- */

/* Swaps in new values for a section and writes the profile; on failure the old values come back. */
static HRESULT replace_props(struct profstore *store, struct psection *section, ULONG count, SPropValue *props)
{
    SPropValue *old_props = section->props;
    ULONG old_count = section->count;
    HRESULT hr;

    section->props = props;
    section->count = count;
    if ((hr = save(store)) != S_OK) {
        section->props = old_props;
        section->count = old_count;
        MAPIFreeBuffer(props);
    } else
        MAPIFreeBuffer(old_props);
    return hr;
}

static HRESULT copy_values(ULONG count, const SPropValue *source, SPropValue **copy)
{
    if (!count) {
        *copy = NULL;
        return S_OK;
    }
    return props_copy(count, source, copy);
}

static BOOL name_taken(struct profstore *store, const char *name)
{
    struct list *cursor;

    if (!_stricmp(name, "Services") || !_stricmp(name, "Profile")) return TRUE;
    LIST_FOR_EACH (cursor, &store->sections) {
        struct psection *section = LIST_ENTRY(cursor, struct psection, entry);
        if (!section->deleted && !_stricmp(section->name, name)) return TRUE;
    }
    return FALSE;
}

/* Section names are the file's [headers]: a second "X" becomes "X (2)". */
static BOOL unique_name(struct profstore *store, struct psection *section)
{
    size_t length = strlen(section->name) + 16;
    char *name;
    int n;

    if (!name_taken(store, section->name)) return TRUE;
    if (!(name = malloc(length))) return FALSE;
    for (n = 2; snprintf(name, length, "%s (%d)", section->name, n), name_taken(store, name); n++) {}
    free(section->name);
    section->name = name;
    return TRUE;
}

HRESULT profstore_add(struct profstore *store, const char *name, const MAPIUID *uid, ULONG count,
                      const SPropValue *props, struct psection **out)
{
    struct psection *section = calloc(1, sizeof(*section));
    HRESULT hr;

    if (out) *out = NULL;
    if (!section || !(section->name = _strdup(name))) {
        free(section);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (uid)
        section->uid = *uid;
    else
        proffile_new_uid(&section->uid);
    if ((hr = copy_values(count, props, &section->props)) != S_OK) {
        psection_free(section);
        return hr;
    }
    section->count = count;
    AcquireSRWLockExclusive(&store->lock);
    if (!unique_name(store, section))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (psection_lookup(store, &section->uid))
        hr = MAPI_E_COLLISION;
    else if (!psection_add(store, section))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if ((hr = save(store)) != S_OK)
        psection_remove(store, section);
    ReleaseSRWLockExclusive(&store->lock);
    if (hr != S_OK)
        psection_free(section);
    else if (out)
        *out = section;
    return hr;
}

HRESULT profstore_set_props(struct profstore *store, struct psection *section, ULONG count, const SPropValue *props)
{
    SPropValue *result;
    ULONG i, n = 0;
    HRESULT hr = S_OK;

    AcquireSRWLockExclusive(&store->lock);
    if (MAPIAllocateBuffer((section->count + count + 1) * sizeof(*result), (void **)&result)) {
        ReleaseSRWLockExclusive(&store->lock);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; hr == S_OK && i < section->count; i++)
        if (!props_find(count, props, CHANGE_PROP_TYPE(section->props[i].ulPropTag, PT_UNSPECIFIED)))
            hr = prop_copy_into(&section->props[i], &result[n++], result);
    for (i = 0; hr == S_OK && i < count; i++) {
        /* The last of several values with one ID wins. */
        if (props_find(count - i - 1, props + i + 1, CHANGE_PROP_TYPE(props[i].ulPropTag, PT_UNSPECIFIED))) continue;
        hr = prop_copy_into(&props[i], &result[n++], result);
    }
    if (hr == S_OK)
        hr = replace_props(store, section, n, result);
    else
        MAPIFreeBuffer(result);
    ReleaseSRWLockExclusive(&store->lock);
    return hr;
}

HRESULT profstore_delete_props(struct profstore *store, struct psection *section, ULONG count, const ULONG *tags)
{
    SPropValue *result;
    ULONG i, j, n = 0;
    HRESULT hr = S_OK;

    AcquireSRWLockExclusive(&store->lock);
    if (MAPIAllocateBuffer((section->count + 1) * sizeof(*result), (void **)&result)) {
        ReleaseSRWLockExclusive(&store->lock);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; hr == S_OK && i < section->count; i++) {
        BOOL drop = FALSE;
        for (j = 0; j < count; j++) drop |= PROP_ID(tags[j]) == PROP_ID(section->props[i].ulPropTag);
        if (!drop) hr = prop_copy_into(&section->props[i], &result[n++], result);
    }
    if (hr == S_OK)
        hr = replace_props(store, section, n, result);
    else
        MAPIFreeBuffer(result);
    ReleaseSRWLockExclusive(&store->lock);
    return hr;
}

HRESULT profstore_remove(struct profstore *store, ULONG count, struct psection **sections)
{
    HRESULT hr;
    ULONG i;

    AcquireSRWLockExclusive(&store->lock);
    for (i = 0; i < count; i++) sections[i]->deleted = TRUE;
    if ((hr = save(store)) != S_OK)
        for (i = 0; i < count; i++) sections[i]->deleted = FALSE;
    ReleaseSRWLockExclusive(&store->lock);
    return hr;
}

HRESULT profstore_get_props(struct profstore *store, struct psection *section, ULONG *count, SPropValue **props)
{
    HRESULT hr;

    AcquireSRWLockShared(&store->lock);
    *count = section->count;
    hr = props_copy(section->count, section->props, props);
    ReleaseSRWLockShared(&store->lock);
    return hr;
}

/* ---- Batches --------------------------------------------------------------------------------------------------- */

struct snapshot {
    ULONG count;
    struct {
        struct psection *section;
        ULONG count;
        SPropValue *props;
        BOOL deleted;
    } * items;
};

static void free_snapshot(struct snapshot *snapshot)
{
    ULONG i;

    if (!snapshot) return;
    for (i = 0; i < snapshot->count; i++) MAPIFreeBuffer(snapshot->items[i].props);
    free(snapshot->items);
    free(snapshot);
}

static struct snapshot *take_snapshot(struct profstore *store)
{
    struct snapshot *snapshot = calloc(1, sizeof(*snapshot));
    struct list *cursor;
    ULONG n = 0;

    if (!snapshot) return NULL;
    LIST_FOR_EACH (cursor, &store->sections) n++;
    if (!(snapshot->items = calloc(n ? n : 1, sizeof(*snapshot->items)))) {
        free(snapshot);
        return NULL;
    }
    LIST_FOR_EACH (cursor, &store->sections) {
        struct psection *section = LIST_ENTRY(cursor, struct psection, entry);
        snapshot->items[snapshot->count].section = section;
        snapshot->items[snapshot->count].count = section->count;
        snapshot->items[snapshot->count].deleted = section->deleted;
        if (copy_values(section->count, section->props, &snapshot->items[snapshot->count].props) != S_OK) {
            free_snapshot(snapshot);
            return NULL;
        }
        snapshot->count++;
    }
    return snapshot;
}

HRESULT profstore_begin(struct profstore *store)
{
    HRESULT hr = S_OK;

    AcquireSRWLockExclusive(&store->lock);
    if (!store->batch && !(store->snapshot = take_snapshot(store)))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else
        store->batch++;
    ReleaseSRWLockExclusive(&store->lock);
    return hr;
}

/* Sections added since the snapshot are marked deleted; the others get their values back. */
static void roll_back(struct profstore *store, struct snapshot *snapshot)
{
    struct list *cursor;
    ULONG i = 0;

    LIST_FOR_EACH (cursor, &store->sections) {
        struct psection *section = LIST_ENTRY(cursor, struct psection, entry);
        if (i < snapshot->count && snapshot->items[i].section == section) {
            MAPIFreeBuffer(section->props);
            section->props = snapshot->items[i].props;
            section->count = snapshot->items[i].count;
            section->deleted = snapshot->items[i].deleted;
            snapshot->items[i].props = NULL;
            i++;
        } else
            section->deleted = TRUE;
    }
}

HRESULT profstore_end(struct profstore *store, BOOL commit)
{
    HRESULT hr = S_OK;

    AcquireSRWLockExclusive(&store->lock);
    if (--store->batch) {
        ReleaseSRWLockExclusive(&store->lock);
        return S_OK;
    }
    if (commit && store->dirty && (hr = save(store)) != S_OK) commit = FALSE;
    if (!commit) roll_back(store, store->snapshot);
    store->dirty = FALSE;
    free_snapshot(store->snapshot);
    store->snapshot = NULL;
    ReleaseSRWLockExclusive(&store->lock);
    return hr;
}

/* The path of a profile given by name (in the profile folder) or as a path to an .inf file. */
static BOOL path_of(const char *profile, char *path, size_t size)
{
    size_t length = strlen(profile);

    if (strpbrk(profile, "\\/:") || (length > 4 && !_stricmp(profile + length - 4, ".inf")))
        return (size_t)snprintf(path, size, "%s", profile) < size;
    return proffolder_file_for(profile, path, size);
}

HRESULT WINAPI MapihostGetProfileSections(const char *profile, SRowSet **rows)
{
    char path[MAX_PATH];
    struct profstore *store;
    struct list *cursor;
    ULONG count = 0;
    HRESULT hr;

    TRACE("(%p, %p)\n", profile, rows);
    if (!profile || !rows) return MAPI_E_INVALID_PARAMETER;
    *rows = NULL;
    if (!mapihost_is_initialized()) return MAPI_E_NOT_INITIALIZED;
    if (!path_of(profile, path, sizeof(path))) return MAPI_E_NOT_FOUND;
    if ((hr = profstore_open(path, FALSE, &store)) != S_OK) return hr;
    AcquireSRWLockShared(&store->lock);
    LIST_FOR_EACH (cursor, &store->sections) count += !LIST_ENTRY(cursor, struct psection, entry)->deleted;
    if ((hr = MAPIAllocateBuffer(offsetof(SRowSet, aRow[count ? count : 1]), (void **)rows)) == S_OK) {
        (*rows)->cRows = 0;
        LIST_FOR_EACH (cursor, &store->sections) {
            struct psection *section = LIST_ENTRY(cursor, struct psection, entry);
            SRow *row = &(*rows)->aRow[(*rows)->cRows];
            SPropValue values[4];
            const SPropValue *value;
            ULONG n = 0;

            if (section->deleted) continue;
            values[n].ulPropTag = PR_INSTANCE_KEY;
            values[n].Value.bin.cb = sizeof(MAPIUID);
            values[n++].Value.bin.lpb = section->uid.ab;
            values[n].ulPropTag = PR_DISPLAY_NAME_A;
            values[n++].Value.lpszA = section->name;
            if ((value = psection_find(section, PR_SERVICE_UID))) values[n++] = *value;
            if ((value = psection_find(section, PR_PROVIDER_UID))) values[n++] = *value;
            row->ulAdrEntryPad = 0;
            row->cValues = n;
            if ((hr = props_copy(n, values, &row->lpProps)) != S_OK) break;
            (*rows)->cRows++;
        }
    }
    ReleaseSRWLockShared(&store->lock);
    profstore_release(store);
    if (hr != S_OK && *rows) {
        while ((*rows)->cRows) MAPIFreeBuffer((*rows)->aRow[--(*rows)->cRows].lpProps);
        MAPIFreeBuffer(*rows);
        *rows = NULL;
    }
    return hr;
}
