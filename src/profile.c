/*
 * The profile parser (spec §6.1, E17, E18). A profile is read whole into sections of key = value lines, then
 * interpreted: [Services] lists message services, a service's Providers= lists provider sections, and provider
 * sections hold properties. Every error names the file and line; nothing half-parsed is returned.
 *
 * Values (E18 leaves the grammar open; these are our choices, documented in the README):
 *  - PT_LONG: numbers and symbolic constants joined with '|'. A number is decimal, 0x-prefixed hex, or exactly
 *    eight hex digits, which are little-endian bytes as in MAPISVC.INF's own examples (06000000 is 6).
 *  - PT_BOOLEAN: 0, 1, TRUE or FALSE. PT_BINARY: hex bytes. Strings: the rest of the line, trimmed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "profile.h"

struct named_value {
    const char *name;
    ULONG value;
};

static const struct named_value tag_names[] = {
    { "PR_DISPLAY_NAME", PR_DISPLAY_NAME_A },
    { "PR_PROVIDER_DISPLAY", PR_PROVIDER_DISPLAY_A },
    { "PR_PROVIDER_DLL_NAME", PR_PROVIDER_DLL_NAME_A },
    { "PR_RESOURCE_TYPE", PR_RESOURCE_TYPE },
    { "PR_RESOURCE_FLAGS", PR_RESOURCE_FLAGS },
    { "PR_SERVICE_DLL_NAME", PR_SERVICE_DLL_NAME_A },
    { "PR_SERVICE_ENTRY_NAME", PR_SERVICE_ENTRY_NAME },
    { "PR_STATUS_CODE", PR_STATUS_CODE },
};

static const struct named_value constants[] = {
    { "MAPI_STORE_PROVIDER", MAPI_STORE_PROVIDER },
    { "MAPI_AB_PROVIDER", MAPI_AB_PROVIDER },
    { "MAPI_TRANSPORT_PROVIDER", MAPI_TRANSPORT_PROVIDER },
    { "STATUS_DEFAULT_OUTBOUND", STATUS_DEFAULT_OUTBOUND },
    { "STATUS_DEFAULT_STORE", STATUS_DEFAULT_STORE },
    { "STATUS_PRIMARY_IDENTITY", STATUS_PRIMARY_IDENTITY },
    { "STATUS_SIMPLE_STORE", STATUS_SIMPLE_STORE },
    { "STATUS_XP_PREFER_LAST", STATUS_XP_PREFER_LAST },
    { "STATUS_NO_PRIMARY_IDENTITY", STATUS_NO_PRIMARY_IDENTITY },
    { "STATUS_NO_DEFAULT_STORE", STATUS_NO_DEFAULT_STORE },
    { "STATUS_TEMP_SECTION", STATUS_TEMP_SECTION },
    { "STATUS_OWN_STORE", STATUS_OWN_STORE },
    { "STATUS_NEED_IPM_TREE", STATUS_NEED_IPM_TREE },
    { "STATUS_PRIMARY_STORE", STATUS_PRIMARY_STORE },
    { "STATUS_SECONDARY_STORE", STATUS_SECONDARY_STORE },
    { "STATUS_AVAILABLE", STATUS_AVAILABLE },
    { "STATUS_OFFLINE", STATUS_OFFLINE },
    { "STATUS_FAILURE", STATUS_FAILURE },
    { "SERVICE_DEFAULT_STORE", SERVICE_DEFAULT_STORE },
    { "SERVICE_SINGLE_COPY", SERVICE_SINGLE_COPY },
    { "SERVICE_PRIMARY_IDENTITY", SERVICE_PRIMARY_IDENTITY },
    { "SERVICE_NO_PRIMARY_IDENTITY", SERVICE_NO_PRIMARY_IDENTITY },
};

/* The file as read: sections of key = value lines, with line numbers for messages. */
struct raw_line {
    char *key, *value;
    int number;
};
struct raw_section {
    char *name;
    int number;
    struct raw_line *lines;
    ULONG count;
};
struct parser {
    const char *path;
    struct raw_section *sections;
    ULONG count;
    BOOL failed;
};

static void __attribute__((format(printf, 3, 4))) parse_error(struct parser *parser, int line, const char *format, ...)
{
    char message[256];
    va_list args;

    va_start(args, format);
    vsnprintf(message, sizeof(message), format, args);
    va_end(args);
    if (line) EVENT_ERROR("profile %s, line %d: %s", parser->path, line, message);
    else EVENT_ERROR("profile %s: %s", parser->path, message);
    parser->failed = TRUE;
}

static char *trim(char *s)
{
    char *end;

    while (isspace((unsigned char)*s)) s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1])) *--end = 0;
    return s;
}

static BOOL lookup(const struct named_value *table, size_t count, const char *name, ULONG *value)
{
    size_t i;

    for (i = 0; i < count; i++)
        if (!_stricmp(table[i].name, name)) {
            *value = table[i].value;
            return TRUE;
        }
    return FALSE;
}

static void *grow_array(void *array, ULONG count, size_t elem)
{
    return realloc(array, (count + 1) * elem);
}

static BOOL read_file(struct parser *parser, char *text)
{
    struct raw_section *section = NULL;
    char *line, *next;
    int number = 0;

    for (line = text; line; line = next) {
        char *eq;

        number++;
        if ((next = strchr(line, '\n'))) *next++ = 0;
        line = trim(line);
        if (!*line || *line == ';') continue;
        if (*line == '[') {
            char *close = strchr(line, ']');
            if (!close || trim(close + 1)[0]) {
                parse_error(parser, number, "a section header must be [name] alone on its line");
                continue;
            }
            *close = 0;
            if (!(parser->sections = grow_array(parser->sections, parser->count, sizeof(*section)))) return FALSE;
            section = &parser->sections[parser->count++];
            section->name = _strdup(trim(line + 1));
            section->number = number;
            section->lines = NULL;
            section->count = 0;
            continue;
        }
        if (!(eq = strchr(line, '='))) {
            parse_error(parser, number, "expected key = value, or [section]: \"%s\"", line);
            continue;
        }
        if (!section) {
            parse_error(parser, number, "a key = value line before any [section]");
            continue;
        }
        *eq = 0;
        if (!(section->lines = grow_array(section->lines, section->count, sizeof(*section->lines)))) return FALSE;
        section->lines[section->count].key = _strdup(trim(line));
        section->lines[section->count].value = _strdup(trim(eq + 1));
        section->lines[section->count].number = number;
        section->count++;
    }
    return TRUE;
}

static struct raw_section *find_raw(struct parser *parser, const char *name)
{
    ULONG i;

    for (i = 0; i < parser->count; i++)
        if (!_stricmp(parser->sections[i].name, name)) return &parser->sections[i];
    return NULL;
}

static BOOL is_hex(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (!isxdigit((unsigned char)s[i])) return FALSE;
    return TRUE;
}

static BOOL parse_number(const char *token, ULONG *value)
{
    char *end;

    if (strlen(token) == 8 && is_hex(token, 8)) {
        /* MAPISVC.INF writes PT_LONG as little-endian bytes: 06000000 is 6. */
        ULONG v = strtoul(token, NULL, 16);
        *value = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >> 8) & 0xff00) | (v >> 24);
        return TRUE;
    }
    *value = strtoul(token, &end, 0);
    return *token && !*end;
}

static BOOL parse_long(struct parser *parser, const struct raw_line *line, ULONG *value)
{
    char *copy = _strdup(line->value), *token, *context = NULL;
    BOOL ok = TRUE;

    *value = 0;
    for (token = strtok_r(copy, "|", &context); token; token = strtok_r(NULL, "|", &context)) {
        ULONG part;
        token = trim(token);
        if (!lookup(constants, ARRAYSIZE(constants), token, &part) && !parse_number(token, &part)) {
            parse_error(parser, line->number, "%s: \"%s\" is neither a number nor a known constant", line->key,
                        token);
            ok = FALSE;
        }
        *value |= part;
    }
    free(copy);
    return ok;
}

static BOOL parse_prop(struct parser *parser, const struct raw_line *line, struct profile_prop *prop)
{
    size_t len;
    ULONG i;

    memset(prop, 0, sizeof(*prop));
    if (!lookup(tag_names, ARRAYSIZE(tag_names), line->key, &prop->tag)) {
        if (strlen(line->key) != 8 || !is_hex(line->key, 8)) {
            parse_error(parser, line->number, "unknown property \"%s\" (use a PR_ name or 8 hex digits)", line->key);
            return FALSE;
        }
        prop->tag = strtoul(line->key, NULL, 16);
    }
    switch (PROP_TYPE(prop->tag)) {
    case PT_LONG:
        return parse_long(parser, line, &prop->number);
    case PT_BOOLEAN:
        if (!_stricmp(line->value, "TRUE") || !strcmp(line->value, "1")) prop->number = 1;
        else if (_stricmp(line->value, "FALSE") && strcmp(line->value, "0")) {
            parse_error(parser, line->number, "%s: a boolean is 0, 1, TRUE or FALSE", line->key);
            return FALSE;
        }
        return TRUE;
    case PT_STRING8:
    case PT_UNICODE:
        prop->text = _strdup(line->value);
        return TRUE;
    case PT_BINARY:
        len = strlen(line->value);
        if (len % 2 || !is_hex(line->value, len)) {
            parse_error(parser, line->number, "%s: binary values are pairs of hex digits", line->key);
            return FALSE;
        }
        prop->size = len / 2;
        prop->bytes = malloc(prop->size + 1);
        for (i = 0; i < prop->size; i++) {
            char pair[3] = { line->value[2 * i], line->value[2 * i + 1], 0 };
            prop->bytes[i] = (BYTE)strtoul(pair, NULL, 16);
        }
        return TRUE;
    }
    parse_error(parser, line->number, "%s: property type %#lx is not supported in profiles", line->key,
                PROP_TYPE(prop->tag));
    return FALSE;
}

static void new_uid(MAPIUID *uid)
{
    GUID guid;

    CoCreateGuid(&guid);
    memcpy(uid, &guid, sizeof(*uid));
}

/* Fills section from raw, skipping the list entries of service sections (Providers=, Sections=). */
static void build_section(struct parser *parser, const struct raw_section *raw, struct profile_section *section)
{
    ULONG i;

    section->name = _strdup(raw->name);
    new_uid(&section->uid);
    section->props = calloc(raw->count ? raw->count : 1, sizeof(*section->props));
    for (i = 0; i < raw->count; i++) {
        if (!_stricmp(raw->lines[i].key, "Providers") || !_stricmp(raw->lines[i].key, "Sections")) continue;
        if (parse_prop(parser, &raw->lines[i], &section->props[section->prop_count]))
            section->prop_count++;
    }
}

static struct profile_provider *build_provider(struct parser *parser, const struct raw_section *raw,
                                               struct profile_service *service)
{
    struct profile_provider *provider = calloc(1, sizeof(*provider));
    const struct profile_prop *prop;

    provider->service = service;
    build_section(parser, raw, &provider->section);
    if (!(prop = profile_find_prop(&provider->section, PR_PROVIDER_DLL_NAME_A)) || !*prop->text)
        parse_error(parser, raw->number, "provider section [%s] has no PR_PROVIDER_DLL_NAME", raw->name);
    else provider->dll_name = prop->text;
    if (!(prop = profile_find_prop(&provider->section, PR_RESOURCE_TYPE)))
        parse_error(parser, raw->number, "provider section [%s] has no PR_RESOURCE_TYPE", raw->name);
    else if (prop->number == MAPI_AB_PROVIDER) provider->kind = PROVIDER_AB;
    else if (prop->number == MAPI_STORE_PROVIDER) provider->kind = PROVIDER_MS;
    else if (prop->number == MAPI_TRANSPORT_PROVIDER) provider->kind = PROVIDER_XP;
    else
        parse_error(parser, raw->number, "provider section [%s]: PR_RESOURCE_TYPE %lu is not MAPI_AB_PROVIDER, "
                    "MAPI_STORE_PROVIDER or MAPI_TRANSPORT_PROVIDER", raw->name, prop->number);
    if ((prop = profile_find_prop(&provider->section, PR_RESOURCE_FLAGS))) provider->resource_flags = prop->number;
    prop = profile_find_prop(&provider->section, PR_DISPLAY_NAME_A);
    provider->display_name = prop ? prop->text : provider->section.name;
    return provider;
}

static void build_service(struct parser *parser, struct profile *profile, const struct raw_line *entry)
{
    struct raw_section *raw = find_raw(parser, entry->key);
    struct profile_service *service;
    char *list = NULL, *name, *context = NULL;
    ULONG i;

    if (!raw) {
        parse_error(parser, entry->number, "[Services] names [%s], which does not exist", entry->key);
        return;
    }
    service = calloc(1, sizeof(*service));
    service->display_name = _strdup(entry->value);
    build_section(parser, raw, &service->section);
    profile->services = grow_array(profile->services, profile->service_count, sizeof(*profile->services));
    profile->services[profile->service_count++] = service;

    for (i = 0; i < raw->count; i++)
        if (!_stricmp(raw->lines[i].key, "Providers")) list = _strdup(raw->lines[i].value);
    if (!list) {
        parse_error(parser, raw->number, "service section [%s] has no Providers= line", raw->name);
        return;
    }
    for (name = strtok_r(list, ",", &context); name; name = strtok_r(NULL, ",", &context)) {
        struct raw_section *provider_raw;
        name = trim(name);
        if (!*name) continue;
        if (!(provider_raw = find_raw(parser, name))) {
            parse_error(parser, raw->number, "service [%s] lists provider section [%s], which does not exist",
                        raw->name, name);
            continue;
        }
        service->providers = grow_array(service->providers, service->provider_count, sizeof(*service->providers));
        service->providers[service->provider_count++] = build_provider(parser, provider_raw, service);
    }
    if (!service->provider_count && !parser->failed)
        parse_error(parser, raw->number, "service section [%s] lists no providers", raw->name);
    free(list);
}

static void free_raw(struct parser *parser)
{
    ULONG i, j;

    for (i = 0; i < parser->count; i++) {
        for (j = 0; j < parser->sections[i].count; j++) {
            free(parser->sections[i].lines[j].key);
            free(parser->sections[i].lines[j].value);
        }
        free(parser->sections[i].lines);
        free(parser->sections[i].name);
    }
    free(parser->sections);
}

static char *read_whole_file(const char *path, HRESULT *hr)
{
    FILE *file = fopen(path, "rb");
    long size;
    char *text;

    if (!file) {
        EVENT_ERROR("profile %s: cannot open the file", path);
        *hr = MAPI_E_NOT_FOUND;
        return NULL;
    }
    fseek(file, 0, SEEK_END);
    size = ftell(file);
    fseek(file, 0, SEEK_SET);
    if (size < 0 || !(text = malloc(size + 1)) || fread(text, 1, size, file) != (size_t)size) {
        fclose(file);
        EVENT_ERROR("profile %s: cannot read the file", path);
        *hr = MAPI_E_CORRUPT_DATA;
        return NULL;
    }
    fclose(file);
    text[size] = 0;
    return text;
}

struct profile *profile_load(const char *path, HRESULT *hr)
{
    struct parser parser = { .path = path };
    struct raw_section *services;
    struct profile *profile;
    char *text, *slash;
    ULONG i;

    if (!(text = read_whole_file(path, hr))) return NULL;
    if (!read_file(&parser, text)) parse_error(&parser, 0, "out of memory");
    free(text);

    profile = calloc(1, sizeof(*profile));
    profile->path = _strdup(path);
    profile->folder = _strdup(path);
    slash = strrchr(profile->folder, '\\');
    if (!slash || (strrchr(profile->folder, '/') > slash)) slash = strrchr(profile->folder, '/');
    if (slash) slash[1] = 0;
    else profile->folder[0] = 0;

    if (!parser.failed) {
        if (!(services = find_raw(&parser, "Services")))
            parse_error(&parser, 0, "no [Services] section");
        else if (!services->count)
            parse_error(&parser, services->number, "[Services] lists no message service");
        else
            for (i = 0; i < services->count; i++) build_service(&parser, profile, &services->lines[i]);
    }
    free_raw(&parser);
    if (parser.failed) {
        profile_free(profile);
        *hr = MAPI_E_CORRUPT_DATA;
        return NULL;
    }
    *hr = S_OK;
    return profile;
}

static void free_section(struct profile_section *section)
{
    ULONG i;

    for (i = 0; i < section->prop_count; i++) {
        free(section->props[i].text);
        free(section->props[i].bytes);
    }
    free(section->props);
    free(section->name);
}

void profile_free(struct profile *profile)
{
    ULONG i, j;

    if (!profile) return;
    for (i = 0; i < profile->service_count; i++) {
        struct profile_service *service = profile->services[i];
        for (j = 0; j < service->provider_count; j++) {
            free_section(&service->providers[j]->section);
            free(service->providers[j]);
        }
        free(service->providers);
        free_section(&service->section);
        free(service->display_name);
        free(service);
    }
    free(profile->services);
    free(profile->folder);
    free(profile->path);
    free(profile);
}

const struct profile_prop *profile_find_prop(const struct profile_section *section, ULONG tag)
{
    ULONG i;

    for (i = 0; i < section->prop_count; i++)
        if (section->props[i].tag == tag) return &section->props[i];
    return NULL;
}

HRESULT profile_dll_path(const struct profile *profile, const char *dll_name, char *path, size_t size)
{
    const char *base = dll_name, *period, *p;
    char name[MAX_PATH];
    size_t stem;

    for (p = dll_name; *p; p++)
        if (*p == '\\' || *p == '/') base = p + 1;
    if ((period = strchr(dll_name, '.')) && strchr(period + 1, '.')) {
        EVENT_ERROR("PR_PROVIDER_DLL_NAME \"%s\" has more than one period; MAPI inserts \"32\" before the first, "
                    "so such a name cannot be loaded (H1)", dll_name);
        return MAPI_E_INVALID_PARAMETER;
    }
    stem = period ? (size_t)(period - dll_name) : strlen(dll_name);
    if (period && period < base) {
        EVENT_ERROR("PR_PROVIDER_DLL_NAME \"%s\": the period is in the folder, not the file name (H1)", dll_name);
        return MAPI_E_INVALID_PARAMETER;
    }
    if (stem - (base - dll_name) >= 2 && !strncmp(dll_name + stem - 2, "32", 2)) {
        EVENT_ERROR("PR_PROVIDER_DLL_NAME \"%s\" already ends in \"32\"; write the name without it, MAPI adds it "
                    "(H1, E33)", dll_name);
        return MAPI_E_INVALID_PARAMETER;
    }
    if ((size_t)snprintf(name, sizeof(name), "%.*s32%s", (int)stem, dll_name, period ? period : "") >= sizeof(name))
        return MAPI_E_INVALID_PARAMETER;

    /* A relative name: the profile's folder first, then the normal DLL search (LoadLibrary with the bare name). */
    if (base == dll_name || (dll_name[0] != '\\' && dll_name[0] != '/' && dll_name[1] != ':')) {
        char local[MAX_PATH];
        if ((size_t)snprintf(local, sizeof(local), "%s%s", profile ? profile->folder : "", name) < sizeof(local)
            && GetFileAttributesA(local) != INVALID_FILE_ATTRIBUTES) {
            if ((size_t)snprintf(path, size, "%s", local) >= size) return MAPI_E_INVALID_PARAMETER;
            return S_OK;
        }
    }
    if ((size_t)snprintf(path, size, "%s", name) >= size) return MAPI_E_INVALID_PARAMETER;
    return S_OK;
}
