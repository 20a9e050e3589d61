/*
 * MAPISVC.INF (spec S38, §6.1): where message services are defined. A service is looked for, by its [Services] key,
 * in the MAPISVC.INF of the profile folder, then in the one beside mapihost.dll, then in the system folder's, where
 * providers' own installers merge their sections (MergeWithMAPISVC, S38); the first that lists it wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "ini.h"
#include "proptext.h"
#include "propval.h"
#include "svcentry.h"

static void inf_error(void *context, int line, const char *message)
{
    event_error(ABOUT_HOST, NULL, "%s, line %d: %s", (const char *)context, line, message);
}

static struct ini *read_inf(const char *path)
{
    struct ini *ini;
    FILE *file = fopen(path, "rb");
    long size;
    char *text;

    if (!file) return NULL;
    fseek(file, 0, SEEK_END);
    size = ftell(file);
    fseek(file, 0, SEEK_SET);
    ini = calloc(1, sizeof(*ini));
    text = size >= 0 ? malloc(size + 1) : NULL;
    if (!ini || !text || fread(text, 1, size, file) != (size_t)size) {
        fclose(file);
        free(text);
        free(ini);
        return NULL;
    }
    fclose(file);
    text[size] = 0;
    ini->path = _strdup(path);
    if (!ini_parse(ini, text, inf_error, (void *)ini->path)) {
        free(text);
        mapisvc_free(ini);
        return NULL;
    }
    free(text);
    return ini;
}

/* The folders searched, in order (S38). */
static ULONG inf_paths(const char *proffolder_path, char paths[3][MAX_PATH])
{
    HMODULE self = NULL;
    ULONG n = 0;
    char *slash;

    if (proffolder_path && *proffolder_path) {
        size_t length = strlen(proffolder_path);
        const char *separator = proffolder_path[length - 1] == '\\' || proffolder_path[length - 1] == '/' ? "" : "\\";
        snprintf(paths[n++], MAX_PATH, "%s%sMAPISVC.INF", proffolder_path, separator);
    }
    GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (const char *)inf_paths, &self);
    if (GetModuleFileNameA(self, paths[n], MAX_PATH) && (slash = strrchr(paths[n], '\\'))) {
        strcpy(slash + 1, "MAPISVC.INF");
        n++;
    }
    if (GetSystemDirectoryA(paths[n], MAX_PATH)) {
        strcat(paths[n], "\\MAPISVC.INF");
        n++;
    }
    return n;
}

struct ini *mapisvc_find(const char *proffolder_path, const char *service_name, char *path, size_t size)
{
    char paths[3][MAX_PATH];
    ULONG count = inf_paths(proffolder_path, paths), i;

    for (i = 0; i < count; i++) {
        struct ini *ini = read_inf(paths[i]);
        const struct ini_section *services;

        if (!ini) continue;
        services = ini_find(ini, "Services");
        if (!service_name || (services && ini_value(services, service_name))) {
            snprintf(path, size, "%s", paths[i]);
            return ini;
        }
        mapisvc_free(ini);
    }
    return NULL;
}

void mapisvc_free(struct ini *ini)
{
    if (!ini) return;
    free((char *)ini->path);
    ini_free(ini);
    free(ini);
}

HRESULT mapisvc_section_props(const struct ini *ini, const char *name, ULONG *count, SPropValue **props)
{
    const struct ini_section *section = ini_find(ini, name);
    SPropValue *values;
    ULONG i, n = 0;

    *count = 0;
    *props = NULL;
    if (!section) return MAPI_E_NOT_FOUND;
    if (MAPIAllocateBuffer((section->count + 1) * sizeof(*values), (void **)&values)) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < section->count; i++) {
        const struct ini_line *line = &section->lines[i];
        const SPropValue *earlier;
        const char *why;
        ULONG tag;

        /* Lists and keys the host has no property for (wizard entries, say) are not profile values. */
        if (!proptext_parse_tag(line->key, &tag)) continue;
        /* One value per property ID: a repeated key, or one ID under two types, would make a profile its own
         * reader refuses; the service is refused instead, naming the line. */
        if ((earlier = props_find(n, values, CHANGE_PROP_TYPE(tag, PT_UNSPECIFIED)))) {
            event_error(ABOUT_HOST, NULL,
                        "%s, line %d: %s: [%s] already sets property %#06lx%s; the service is refused", ini->path,
                        line->number, line->key, name, PROP_ID(tag),
                        PROP_TYPE(earlier->ulPropTag) == PROP_TYPE(tag) ? "" : " with another type");
            MAPIFreeBuffer(values);
            return MAPI_E_CORRUPT_DATA;
        }
        if (proptext_parse_value(tag, line->value, &values[n], values, &why) != S_OK) {
            event_error(ABOUT_HOST, NULL, "%s, line %d: %s: %s", ini->path, line->number, line->key,
                        why ? why : "out of memory");
            MAPIFreeBuffer(values);
            return MAPI_E_CORRUPT_DATA;
        }
        n++;
    }
    *count = n;
    *props = values;
    return S_OK;
}
