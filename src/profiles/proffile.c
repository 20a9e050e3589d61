/*
 * The profile file's text (stored.h): the sections as the file holds them, and the sections from the file.
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
#include "ini.h"
#include "stored.h"
#include "proptext.h"
#include "propval.h"
#include "strbuf.h"

void proffile_new_uid(MAPIUID *uid)
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
            LIST_FOR_EACH (cursor, &store->sections) {
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
void proffile_format(struct profstore *store, struct strbuf *out)
{
    struct list *cursor, *inner;

    strbuf_printf(out, "; mapihost profile \"%s\". The host rewrites this file on every change (comments go).\n",
                  store->name);
    LIST_FOR_EACH (cursor, &store->sections) {
        struct psection *section = LIST_ENTRY(cursor, struct psection, entry);
        if (!section->deleted && !memcmp(&section->uid, &psection_instance_uid, sizeof(MAPIUID)))
            write_section(out, section, store);
    }
    strbuf_printf(out, "\n[Services]\n");
    LIST_FOR_EACH (cursor, &store->sections) {
        struct psection *section = LIST_ENTRY(cursor, struct psection, entry);
        const SPropValue *display;
        if (section->deleted || !psection_is_service(section)) continue;
        display = psection_find(section, PR_DISPLAY_NAME_A);
        strbuf_printf(out, "%s = ", section->name);
        if (display)
            proptext_format_value(display, out);
        else
            strbuf_printf(out, "%s", section->name);
        strbuf_append(out, "\n", 1);
    }
    LIST_FOR_EACH (cursor, &store->sections) {
        struct psection *service = LIST_ENTRY(cursor, struct psection, entry);
        if (service->deleted || !psection_is_service(service)) continue;
        write_section(out, service, store);
        LIST_FOR_EACH (inner, &store->sections) {
            struct psection *section = LIST_ENTRY(inner, struct psection, entry);
            if (!section->deleted && psection_belongs_to(section, service)) write_section(out, section, store);
        }
    }
    LIST_FOR_EACH (cursor, &store->sections) {
        struct psection *section = LIST_ENTRY(cursor, struct psection, entry);
        const SPropValue *service = psection_find(section, PR_SERVICE_UID);
        if (!written_in_order(section) || service || !memcmp(&section->uid, &psection_instance_uid, sizeof(MAPIUID)))
            continue;
        write_section(out, section, store);
    }
}

struct parser {
    const char *path;
    struct ini ini;
    BOOL failed;
    BOOL changed; /* UIDs or keys were made: the file is rewritten */
};

static void __attribute__((format(printf, 3, 4))) parse_error(struct parser *parser, int line, const char *format, ...)
{
    char message[512];
    va_list args;

    va_start(args, format);
    vsnprintf(message, sizeof(message), format, args);
    va_end(args);
    if (line)
        event_error(ABOUT_HOST, NULL, "profile %s, line %d: %s", parser->path, line, message);
    else
        event_error(ABOUT_HOST, NULL, "profile %s: %s", parser->path, message);
    parser->failed = TRUE;
}

static void line_error(void *context, int line, const char *message)
{
    parse_error(context, line, "%s", message);
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
    if (fixed_uid)
        section->uid = *fixed_uid;
    else if ((uid_text = ini_value(raw, "MAPIUID"))) {
        if (!parse_uid(uid_text, &section->uid)) {
            parse_error(parser, raw->number, "section [%s]: MAPIUID is 32 hex digits", raw->name);
            psection_free(section);
            return NULL;
        }
        if (psection_lookup(store, &section->uid)) {
            parse_error(parser, raw->number, "section [%s] has the MAPIUID of another section", raw->name);
            psection_free(section);
            return NULL;
        }
    } else {
        proffile_new_uid(&section->uid);
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
        if (!set_uid_prop(&section->props[section->count++], PR_SERVICE_UID, is_service ? &section->uid : &service->uid,
                          section->props))
            goto oom;
    }
    if (provider && !set_uid_prop(&section->props[section->count++], PR_PROVIDER_UID, &section->uid, section->props))
        goto oom;
    if (!psection_add(store, section)) goto oom;
    return section;
oom:
    if (section) psection_free(section);
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
        else
            build_section(parser, store, member, service, FALSE, providers, NULL);
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
    section =
        build_section(parser, store, profile ? profile : &empty_profile, NULL, FALSE, FALSE, &psection_instance_uid);
    if (section && !psection_find(section, PR_SEARCH_KEY)) {
        MAPIUID key;
        proffile_new_uid(&key);
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
                                     section->props, &why)
                == S_OK)
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

BOOL proffile_parse(struct profstore *store, char *text, BOOL *changed)
{
    struct parser parser = { .path = store->path, .changed = *changed };

    parser.ini.path = store->path;
    if (!ini_parse(&parser.ini, text, line_error, &parser)) parse_error(&parser, 0, "out of memory");
    if (!parser.failed) build_sections(&parser, store);
    ini_free(&parser.ini);
    *changed = parser.changed;
    return !parser.failed;
}
