/*
 * Stored profiles (profstore.h): parsing and writing the file, the lock, and the in-memory sections.
 *
 * The file (MAPISVC.INF syntax, spec §6.1, E17, E18; values as proptext.h says):
 *   [Profile]            the profile-wide section, MUID_PROFILE_INSTANCE, with PR_SEARCH_KEY (S1)
 *   [Services]           one line per message service: <its section> = <display name>
 *   [<service>]          Providers = <provider sections>, Sections = <extra sections>, MAPIUID = <32 hex digits>
 *   [<any other>]        MAPIUID = ..., then its properties as TAG = VALUE
 * Sections written by hand without MAPIUID get one when the profile is first loaded, and the file is rewritten so
 * that it stays theirs. Comments are not kept when the host rewrites the file.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "filetext.h"
#include "ini.h"
#include "profstore.h"
#include "proptext.h"
#include "propval.h"
#include "strbuf.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(profile);

const MAPIUID profile_instance_uid = { { 0x85, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
                                         0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 } };

static SRWLOCK open_lock = SRWLOCK_INIT;
static struct list open_profiles = LIST_INIT(open_profiles);

/* ---- Section roles --------------------------------------------------------------------------------------------- */

const SPropValue *psection_find(const struct psection *section, ULONG tag)
{
    return props_find(section->count, section->props, tag);
}

static BOOL uid_prop_is(const struct psection *section, ULONG tag, const MAPIUID *uid)
{
    const SPropValue *value = psection_find(section, tag);

    return value && PROP_TYPE(value->ulPropTag) == PT_BINARY && value->Value.bin.cb == sizeof(*uid)
           && !memcmp(value->Value.bin.lpb, uid, sizeof(*uid));
}

BOOL psection_is_service(const struct psection *section)
{
    return uid_prop_is(section, PR_SERVICE_UID, &section->uid);
}

BOOL psection_is_provider(const struct psection *section)
{
    return uid_prop_is(section, PR_PROVIDER_UID, &section->uid);
}

BOOL psection_belongs_to(const struct psection *section, const struct psection *service)
{
    return section != service && uid_prop_is(section, PR_SERVICE_UID, &service->uid);
}

ULONG profstore_list(struct profstore *store, const struct psection *service, BOOL providers, struct psection ***list)
{
    struct list *cursor;
    ULONG count = 0, pass;

    *list = NULL;
    AcquireSRWLockShared(&store->lock);
    for (pass = 0; pass < 2; pass++) {
        count = 0;
        LIST_FOR_EACH(cursor, &store->sections) {
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

struct psection *profstore_find(struct profstore *store, const MAPIUID *uid)
{
    struct hash_link *link;

    HASHTABLE_FOR_EACH(link, &store->by_uid, hash_bytes(uid, sizeof(*uid))) {
        struct psection *section = LIST_ENTRY(link, struct psection, by_uid);
        if (!section->deleted && !memcmp(&section->uid, uid, sizeof(*uid))) return section;
    }
    return NULL;
}

/* A section at the end of the profile, indexed by its MAPIUID. */
static BOOL add_section(struct profstore *store, struct psection *section)
{
    if (!hashtable_add(&store->by_uid, &section->by_uid, hash_bytes(&section->uid, sizeof(section->uid))))
        return FALSE;
    list_add_tail(&store->sections, &section->entry);
    return TRUE;
}

static void remove_section(struct profstore *store, struct psection *section)
{
    hashtable_remove(&store->by_uid, &section->by_uid);
    list_remove(&section->entry);
}

/* ---- The file as text ------------------------------------------------------------------------------------------ */

static void new_uid(MAPIUID *uid)
{
    GUID guid;

    CoCreateGuid(&guid);
    memcpy(uid, &guid, sizeof(*uid));
}

static void format_uid(const MAPIUID *uid, char text[33])
{
    int i;

    for (i = 0; i < 16; i++) sprintf(text + 2 * i, "%02X", uid->ab[i]);
}

static BOOL parse_uid(const char *text, MAPIUID *uid)
{
    int i;

    if (strlen(text) != 32) return FALSE;
    for (i = 0; i < 32; i++)
        if (!isxdigit((unsigned char)text[i])) return FALSE;
    for (i = 0; i < 16; i++) {
        char pair[3] = { text[2 * i], text[2 * i + 1], 0 };
        uid->ab[i] = (BYTE)strtoul(pair, NULL, 16);
    }
    return TRUE;
}

/* Derived from the file's shape, never written as lines. */
static BOOL is_structural(ULONG tag)
{
    return PROP_ID(tag) == PROP_ID(PR_SERVICE_UID) || PROP_ID(tag) == PROP_ID(PR_PROVIDER_UID);
}

static void write_section(struct strbuf *out, const struct psection *section, struct profstore *store)
{
    char uid[33], tag[64];
    ULONG i;

    format_uid(&section->uid, uid);
    strbuf_printf(out, "\n[%s]\n", section->name);
    if (psection_is_service(section)) {
        struct list *cursor;
        int kind;
        for (kind = 0; kind < 2; kind++) {
            const char *separator = kind ? "Sections =" : "Providers =";
            LIST_FOR_EACH(cursor, &store->sections) {
                struct psection *other = LIST_ENTRY(cursor, struct psection, entry);
                if (other->deleted || !psection_belongs_to(other, section) || psection_is_provider(other) == kind)
                    continue;
                strbuf_printf(out, "%s %s", separator, other->name);
                separator = ",";
            }
            if (!kind || *separator == ',') strbuf_append(out, "\n", 1);
        }
    }
    strbuf_printf(out, "MAPIUID = %s\n", uid);
    for (i = 0; i < section->count; i++) {
        const SPropValue *value = &section->props[i];
        if (is_structural(value->ulPropTag) || PROP_TYPE(value->ulPropTag) == PT_OBJECT) continue;
        proptext_format_tag(value->ulPropTag, tag, sizeof(tag));
        strbuf_printf(out, "%s = ", tag);
        proptext_format_value(value, out);
        strbuf_append(out, "\n", 1);
    }
}

static BOOL written_in_order(const struct psection *section)
{
    return !section->deleted && (section->count || psection_is_service(section));
}

/* The whole profile as the file holds it: [Profile], [Services], each service with its sections, then the rest.
 * Loose sections without properties (opened on demand, never written to) are left out. */
static void serialize(struct profstore *store, struct strbuf *out)
{
    struct list *cursor, *inner;

    strbuf_printf(out, "; mapihost profile \"%s\". The host rewrites this file on every change (comments go).\n",
                  store->name);
    LIST_FOR_EACH(cursor, &store->sections) {
        struct psection *section = LIST_ENTRY(cursor, struct psection, entry);
        if (!section->deleted && !memcmp(&section->uid, &profile_instance_uid, sizeof(MAPIUID)))
            write_section(out, section, store);
    }
    strbuf_printf(out, "\n[Services]\n");
    LIST_FOR_EACH(cursor, &store->sections) {
        struct psection *section = LIST_ENTRY(cursor, struct psection, entry);
        const SPropValue *display;
        if (section->deleted || !psection_is_service(section)) continue;
        display = psection_find(section, PR_DISPLAY_NAME_A);
        strbuf_printf(out, "%s = ", section->name);
        if (display) proptext_format_value(display, out);
        else strbuf_printf(out, "%s", section->name);
        strbuf_append(out, "\n", 1);
    }
    LIST_FOR_EACH(cursor, &store->sections) {
        struct psection *service = LIST_ENTRY(cursor, struct psection, entry);
        if (service->deleted || !psection_is_service(service)) continue;
        write_section(out, service, store);
        LIST_FOR_EACH(inner, &store->sections) {
            struct psection *section = LIST_ENTRY(inner, struct psection, entry);
            if (!section->deleted && psection_belongs_to(section, service)) write_section(out, section, store);
        }
    }
    LIST_FOR_EACH(cursor, &store->sections) {
        struct psection *section = LIST_ENTRY(cursor, struct psection, entry);
        const SPropValue *service = psection_find(section, PR_SERVICE_UID);
        if (!written_in_order(section) || service || !memcmp(&section->uid, &profile_instance_uid, sizeof(MAPIUID)))
            continue;
        write_section(out, section, store);
    }
}

/* ---- Parsing --------------------------------------------------------------------------------------------------- */

struct parser {
    const char *path;
    struct ini ini;
    BOOL failed;
    BOOL changed;                 /* UIDs or keys were made: the file is rewritten */
};

static void __attribute__((format(printf, 3, 4))) parse_error(struct parser *parser, int line, const char *format, ...)
{
    char message[512];
    va_list args;

    va_start(args, format);
    vsnprintf(message, sizeof(message), format, args);
    va_end(args);
    if (line) EVENT_ERROR(NULL, "profile %s, line %d: %s", parser->path, line, message);
    else EVENT_ERROR(NULL, "profile %s: %s", parser->path, message);
    parser->failed = TRUE;
}

static void line_error(void *context, int line, const char *message)
{
    parse_error(context, line, "%s", message);
}

static void free_section(struct psection *section)
{
    MAPIFreeBuffer(section->props);
    free(section->name);
    free(section);
}

static BOOL set_uid_prop(SPropValue *value, ULONG tag, const MAPIUID *uid, void *parent)
{
    value->ulPropTag = tag;
    value->Value.bin.cb = sizeof(*uid);
    if (MAPIAllocateMore(sizeof(*uid), parent, (void **)&value->Value.bin.lpb)) return FALSE;
    memcpy(value->Value.bin.lpb, uid, sizeof(*uid));
    return TRUE;
}

/* One section from its lines. service: the service it belongs to (NULL for a service or a loose section);
 * provider: it is a provider's. */
static struct psection *build_section(struct parser *parser, struct profstore *store, struct ini_section *raw,
                                      const struct psection *service, BOOL is_service, BOOL provider,
                                      const MAPIUID *fixed_uid)
{
    struct psection *section;
    const char *uid_text;
    ULONG i;

    if (raw->used) {
        parse_error(parser, raw->number, "section [%s] is named twice (by [Services], Providers= or Sections=)",
                    raw->name);
        return NULL;
    }
    raw->used = TRUE;
    if (!(section = calloc(1, sizeof(*section))) || !(section->name = _strdup(raw->name))) goto oom;
    if (fixed_uid) section->uid = *fixed_uid;
    else if ((uid_text = ini_value(raw, "MAPIUID"))) {
        if (!parse_uid(uid_text, &section->uid)) {
            parse_error(parser, raw->number, "section [%s]: MAPIUID is 32 hex digits", raw->name);
            free_section(section);
            return NULL;
        }
        if (profstore_find(store, &section->uid)) {
            parse_error(parser, raw->number, "section [%s] has the MAPIUID of another section", raw->name);
            free_section(section);
            return NULL;
        }
    } else {
        new_uid(&section->uid);
        parser->changed = TRUE;
    }
    if (MAPIAllocateBuffer((raw->count + 2) * sizeof(SPropValue), (void **)&section->props)) goto oom;
    for (i = 0; i < raw->count; i++) {
        const struct ini_line *line = &raw->lines[i];
        const char *why;
        ULONG tag;

        if (!_stricmp(line->key, "Providers") || !_stricmp(line->key, "Sections") || !_stricmp(line->key, "MAPIUID"))
            continue;
        if (!proptext_parse_tag(line->key, &tag)) {
            parse_error(parser, line->number, "unknown property \"%s\" (use a PR_ name or 8 hex digits)", line->key);
            continue;
        }
        if (is_structural(tag)) continue; /* derived from the file's shape (S3) */
        if (props_find(section->count, section->props, CHANGE_PROP_TYPE(tag, PT_UNSPECIFIED))) {
            parse_error(parser, line->number, "%s: the property is set twice in [%s]", line->key, raw->name);
            continue;
        }
        if (proptext_parse_value(tag, line->value, &section->props[section->count], section->props, &why) != S_OK) {
            parse_error(parser, line->number, "%s: %s", line->key, why ? why : "out of memory");
            continue;
        }
        section->count++;
    }
    if (is_service || service) {
        if (!set_uid_prop(&section->props[section->count++], PR_SERVICE_UID, is_service ? &section->uid
                                                                                        : &service->uid,
                          section->props))
            goto oom;
    }
    if (provider && !set_uid_prop(&section->props[section->count++], PR_PROVIDER_UID, &section->uid, section->props))
        goto oom;
    if (!add_section(store, section)) goto oom;
    return section;
oom:
    if (section) free_section(section);
    parse_error(parser, raw->number, "out of memory");
    return NULL;
}

/* A service's Providers= or Sections= list. */
static void build_members(struct parser *parser, struct profstore *store, struct ini_section *raw,
                          const struct psection *service, BOOL providers)
{
    const char *value = ini_value(raw, providers ? "Providers" : "Sections");
    char *list, *name, *context = NULL;

    if (!value) return;
    list = _strdup(value);
    for (name = strtok_r(list, ",", &context); name; name = strtok_r(NULL, ",", &context)) {
        struct ini_section *member;
        name = ini_trim(name);
        if (!*name) continue;
        if (!(member = ini_find(&parser->ini, name)))
            parse_error(parser, raw->number, "service [%s] lists %s section [%s], which does not exist", raw->name,
                        providers ? "provider" : "extra", name);
        else build_section(parser, store, member, service, FALSE, providers, NULL);
    }
    free(list);
}

static void build_sections(struct parser *parser, struct profstore *store)
{
    struct ini_section *services = ini_find(&parser->ini, "Services"), *profile = ini_find(&parser->ini, "Profile");
    struct ini_section empty_profile = { .name = "Profile" };
    struct psection *section;
    ULONG i;

    /* The profile-wide section, with a PR_SEARCH_KEY unique to this profile (S1). */
    if (services) services->used = TRUE;
    section = build_section(parser, store, profile ? profile : &empty_profile, NULL, FALSE, FALSE,
                            &profile_instance_uid);
    if (section && !psection_find(section, PR_SEARCH_KEY)) {
        MAPIUID key;
        new_uid(&key);
        if (set_uid_prop(&section->props[section->count], PR_SEARCH_KEY, &key, section->props)) section->count++;
        parser->changed = TRUE;
    }
    for (i = 0; services && i < services->count; i++) {
        struct ini_section *raw = ini_find(&parser->ini, services->lines[i].key);
        if (!raw) {
            parse_error(parser, services->lines[i].number, "[Services] names [%s], which does not exist",
                        services->lines[i].key);
            continue;
        }
        if (!(section = build_section(parser, store, raw, NULL, TRUE, FALSE, NULL))) continue;
        if (!psection_find(section, PR_DISPLAY_NAME_A) && *services->lines[i].value) {
            /* The [Services] line's value names the service when its section does not. */
            const char *why;
            if (proptext_parse_value(PR_DISPLAY_NAME_A, services->lines[i].value, &section->props[section->count],
                                     section->props, &why) == S_OK)
                section->count++;
        }
        build_members(parser, store, raw, section, TRUE);
        build_members(parser, store, raw, section, FALSE);
    }
    /* Sections no service names: opened by MAPIUID (a provider's own fixed UID, F5). */
    for (i = 0; i < parser->ini.count; i++)
        if (!parser->ini.sections[i].used)
            build_section(parser, store, &parser->ini.sections[i], NULL, FALSE, FALSE, NULL);
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

HRESULT profile_write_atomic(const char *path, const char *text, size_t length)
{
    char temp[MAX_PATH + 8];
    char fault[64];
    HANDLE file;
    DWORD done;
    BOOL ok;

    if ((size_t)snprintf(temp, sizeof(temp), "%s.new", path) >= sizeof(temp)) return MAPI_E_INVALID_PARAMETER;
    file = CreateFileA(temp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        EVENT_ERROR(NULL, "profile %s: cannot write %s (error %lu)", path, temp, GetLastError());
        return MAPI_E_NO_ACCESS;
    }
    ok = WriteFile(file, text, (DWORD)length, &done, NULL) && done == length && FlushFileBuffers(file);
    CloseHandle(file);
    if (!ok) {
        EVENT_ERROR(NULL, "profile %s: cannot write %s (error %lu); the profile is unchanged", path, temp,
                    GetLastError());
        DeleteFileA(temp);
        return MAPI_E_DISK_ERROR;
    }
    /* The tests' crash between write and replace: the old file must still be whole. */
    if (GetEnvironmentVariableA("MAPIHOST_FAULT", fault, sizeof(fault)) && !strcmp(fault, "profile-before-replace"))
        TerminateProcess(GetCurrentProcess(), 3);
    if (!MoveFileExA(temp, path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
        EVENT_ERROR(NULL, "profile %s: cannot replace it with %s (error %lu); the profile is unchanged", path, temp,
                    GetLastError());
        DeleteFileA(temp);
        return MAPI_E_NO_ACCESS;
    }
    return S_OK;
}

/* The lock file beside the profile: one process at a time reads, checks and replaces it. It goes with its handle,
 * so a lock held by a process that died is released, and no lock files pile up beside the profiles (a folder full of
 * them made every lookup of a missing file there slow under Wine). */
static HANDLE lock_file(const char *path)
{
    char name[MAX_PATH + 8], setting[16];
    DWORD timeout = 5000, waited = 0;
    HANDLE lock;

    if (GetEnvironmentVariableA("MAPIHOST_PROFILE_LOCK_TIMEOUT", setting, sizeof(setting)))
        timeout = strtoul(setting, NULL, 10);
    snprintf(name, sizeof(name), "%s.lock", path);
    for (;;) {
        lock = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE, NULL);
        if (lock != INVALID_HANDLE_VALUE || waited >= timeout) break;
        Sleep(20);
        waited += 20;
    }
    if (lock == INVALID_HANDLE_VALUE)
        EVENT_ERROR(NULL, "profile %s is locked by another process (%s held for over %lu ms); nothing was written",
                    path, name, timeout);
    return lock;
}

/* Writes the profile as it is in memory. Called with store->lock held exclusively. */
static HRESULT save(struct profstore *store)
{
    struct strbuf text = { 0 };
    HRESULT hr;
    HANDLE lock;

    if (store->batch) {
        store->dirty = TRUE;
        return S_OK;
    }
    serialize(store, &text);
    if (text.failed) {
        strbuf_free(&text);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (hash_text(text.text, text.length) == store->file_hash) {
        /* Nothing the file holds changed (a section opened on demand and never written, say). */
        strbuf_free(&text);
        return S_OK;
    }
    if ((lock = lock_file(store->path)) == INVALID_HANDLE_VALUE) {
        strbuf_free(&text);
        return MAPI_E_BUSY;
    }
    if (hash_file(store->path) != store->file_hash) {
        EVENT_ERROR(NULL, "profile %s was changed by another process since this one read it; this change is refused "
                    "and the file keeps the other's (open the profile again to change it)", store->path);
        hr = MAPI_E_OBJECT_CHANGED;
    } else if ((hr = profile_write_atomic(store->path, text.text, text.length)) == S_OK) {
        store->file_hash = hash_text(text.text, text.length);
        TRACE("profile %s written, %lu bytes\n", store->path, (ULONG)text.length);
    }
    CloseHandle(lock);
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

    LIST_FOR_EACH_SAFE(cursor, next, &store->sections) free_section(LIST_ENTRY(cursor, struct psection, entry));
    hashtable_free(&store->by_uid);
    free(store->path);
    free(store->name);
    free(store->folder);
    free(store);
}

static HRESULT load(struct profstore *store, BOOL create)
{
    struct parser parser = { .path = store->path };
    size_t length = 0;
    char *text;
    HRESULT hr;

    if (!(text = filetext_read(store->path, &length, &hr))) {
        if (hr != MAPI_E_NOT_FOUND || !create) {
            EVENT_ERROR(NULL, "profile %s: cannot %s the file", store->path, hr == MAPI_E_NOT_FOUND ? "open" : "read");
            return hr;
        }
        store->file_hash = NO_FILE_HASH;
        parser.changed = TRUE;
        text = _strdup("");
    } else store->file_hash = hash_text(text, length);
    parser.ini.path = store->path;
    if (!ini_parse(&parser.ini, text, line_error, &parser)) parse_error(&parser, 0, "out of memory");
    free(text);
    if (!parser.failed) build_sections(&parser, store);
    ini_free(&parser.ini);
    if (parser.failed) return MAPI_E_CORRUPT_DATA;
    /* New UIDs must be on disk before anyone uses them, or the next process would make others. */
    if (parser.changed && (hr = save(store)) != S_OK) {
        if (create) return hr;
        EVENT_ERROR(NULL, "profile %s: the MAPIUIDs given to its sections could not be recorded; they last for this "
                    "process only", store->path);
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
    LIST_FOR_EACH(cursor, &open_profiles) {
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
    if (hr != S_OK) free_store(store);
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
    LIST_FOR_EACH(cursor, &open_profiles) {
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
        EVENT_STEP("profile %s: deleted now that its last session has ended (S12)", store->name);
    }
    free_store(store);
}

HRESULT profstore_delete_file(struct profstore *store)
{
    HANDLE lock = lock_file(store->path);

    if (lock == INVALID_HANDLE_VALUE) return MAPI_E_BUSY;
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
    HANDLE lock = lock_file(store->path);
    char full[MAX_PATH], old_lock[MAX_PATH + 8];
    HRESULT hr = S_OK;

    if (lock == INVALID_HANDLE_VALUE) return MAPI_E_BUSY;
    if (!GetFullPathNameA(new_path, sizeof(full), full, NULL)) hr = MAPI_E_INVALID_PARAMETER;
    else if (!MoveFileExA(store->path, full, MOVEFILE_WRITE_THROUGH)) {
        EVENT_ERROR(NULL, "profile %s: cannot rename it to %s (error %lu)", store->path, full, GetLastError());
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
    } else MAPIFreeBuffer(old_props);
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
    LIST_FOR_EACH(cursor, &store->sections) {
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
    if (uid) section->uid = *uid;
    else new_uid(&section->uid);
    if ((hr = copy_values(count, props, &section->props)) != S_OK) {
        free_section(section);
        return hr;
    }
    section->count = count;
    AcquireSRWLockExclusive(&store->lock);
    if (!unique_name(store, section)) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (profstore_find(store, &section->uid)) hr = MAPI_E_COLLISION;
    else if (!add_section(store, section)) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if ((hr = save(store)) != S_OK) remove_section(store, section);
    ReleaseSRWLockExclusive(&store->lock);
    if (hr != S_OK) free_section(section);
    else if (out) *out = section;
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
    if (hr == S_OK) hr = replace_props(store, section, n, result);
    else MAPIFreeBuffer(result);
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
    if (hr == S_OK) hr = replace_props(store, section, n, result);
    else MAPIFreeBuffer(result);
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
    } *items;
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
    LIST_FOR_EACH(cursor, &store->sections) n++;
    if (!(snapshot->items = calloc(n ? n : 1, sizeof(*snapshot->items)))) {
        free(snapshot);
        return NULL;
    }
    LIST_FOR_EACH(cursor, &store->sections) {
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
    if (!store->batch && !(store->snapshot = take_snapshot(store))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else store->batch++;
    ReleaseSRWLockExclusive(&store->lock);
    return hr;
}

/* Sections added since the snapshot are marked deleted; the others get their values back. */
static void roll_back(struct profstore *store, struct snapshot *snapshot)
{
    struct list *cursor;
    ULONG i = 0;

    LIST_FOR_EACH(cursor, &store->sections) {
        struct psection *section = LIST_ENTRY(cursor, struct psection, entry);
        if (i < snapshot->count && snapshot->items[i].section == section) {
            MAPIFreeBuffer(section->props);
            section->props = snapshot->items[i].props;
            section->count = snapshot->items[i].count;
            section->deleted = snapshot->items[i].deleted;
            snapshot->items[i].props = NULL;
            i++;
        } else section->deleted = TRUE;
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

/* ---- Profile names and the default ----------------------------------------------------------------------------- */

BOOL profile_folder(char *folder, size_t size)
{
    char appdata[MAX_PATH];
    DWORD length = GetEnvironmentVariableA("MAPIHOST_PROFILE_DIR", folder, (DWORD)size);

    if (length && length < size) return TRUE;
    length = GetEnvironmentVariableA("APPDATA", appdata, sizeof(appdata));
    if (!length || length >= sizeof(appdata)) return FALSE;
    return (size_t)snprintf(folder, size, "%s\\mapihost\\profiles", appdata) < size;
}

BOOL profile_file_for(const char *name, char *path, size_t size)
{
    char folder[MAX_PATH];

    if (!profile_folder(folder, sizeof(folder))) return FALSE;
    return (size_t)snprintf(path, size, "%s\\%s.inf", folder, name) < size;
}

static BOOL default_file(char *path, size_t size)
{
    char folder[MAX_PATH];

    return profile_folder(folder, sizeof(folder))
           && (size_t)snprintf(path, size, "%s\\default-profile.txt", folder) < size;
}

BOOL profile_default_name(char *name, size_t size)
{
    char path[MAX_PATH];
    size_t length;
    HRESULT hr;
    char *text;

    if (!default_file(path, sizeof(path)) || !(text = filetext_read(path, &length, &hr))) return FALSE;
    length = strcspn(text, "\r\n");
    text[length] = 0;
    if (!length || length >= size) {
        free(text);
        return FALSE;
    }
    memcpy(name, text, length + 1);
    free(text);
    return TRUE;
}

HRESULT profile_set_default_name(const char *name)
{
    char path[MAX_PATH], text[cchProfileNameMax + 4];
    int length;

    if (!default_file(path, sizeof(path))) return MAPI_E_NOT_FOUND;
    if (!name) return DeleteFileA(path) || GetLastError() == ERROR_FILE_NOT_FOUND ? S_OK : MAPI_E_NO_ACCESS;
    length = snprintf(text, sizeof(text), "%s\n", name);
    return profile_write_atomic(path, text, length);
}

/* The path of a profile given by name (in the profile folder) or as a path to an .inf file. */
static BOOL path_of(const char *profile, char *path, size_t size)
{
    size_t length = strlen(profile);

    if (strpbrk(profile, "\\/:") || (length > 4 && !_stricmp(profile + length - 4, ".inf")))
        return (size_t)snprintf(path, size, "%s", profile) < size;
    return profile_file_for(profile, path, size);
}

HRESULT WINAPI MapihostGetProfileSections(const char *profile, SRowSet **rows)
{
    char path[MAX_PATH];
    struct profstore *store;
    struct list *cursor;
    ULONG count = 0;
    HRESULT hr;

    if (!profile || !rows) return MAPI_E_INVALID_PARAMETER;
    *rows = NULL;
    if (!mapihost_is_initialized()) return MAPI_E_NOT_INITIALIZED;
    if (!path_of(profile, path, sizeof(path))) return MAPI_E_NOT_FOUND;
    if ((hr = profstore_open(path, FALSE, &store)) != S_OK) return hr;
    AcquireSRWLockShared(&store->lock);
    LIST_FOR_EACH(cursor, &store->sections) count += !LIST_ENTRY(cursor, struct psection, entry)->deleted;
    if ((hr = MAPIAllocateBuffer(offsetof(SRowSet, aRow[count ? count : 1]), (void **)rows)) == S_OK) {
        (*rows)->cRows = 0;
        LIST_FOR_EACH(cursor, &store->sections) {
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
