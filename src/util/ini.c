/* INI files (ini.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"

char *ini_trim(char *s)
{
    char *end;

    while (isspace((unsigned char)*s)) s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1])) *--end = 0;
    return s;
}

/* Room for one more element: the array doubles when count reaches a power of two, so a profile of 10,000 sections
 * is not copied 10,000 times (P2). */
static void *grow(void *array, ULONG count, size_t elem)
{
    if (count >= 4 && (count & (count - 1))) return array;
    return realloc(array, (count < 4 ? 4 : count * 2) * elem);
}

static size_t hash_name(const char *name)
{
    char lower[256];
    size_t i;

    for (i = 0; name[i] && i < sizeof(lower); i++) lower[i] = tolower((unsigned char)name[i]);
    return hash_bytes(lower, i);
}

/* The index of section names (compared without case), the first of equal names first. Made once the sections no
 * longer move. */
static BOOL index_names(struct ini *ini)
{
    ULONG i;

    hashtable_init(&ini->names);
    for (i = 0; i < ini->count; i++)
        if (!hashtable_add(&ini->names, &ini->sections[i].by_name, hash_name(ini->sections[i].name))) return FALSE;
    return TRUE;
}

BOOL ini_parse(struct ini *ini, char *text, void (*error)(void *context, int line, const char *message), void *context)
{
    struct ini_section *section = NULL;
    char *line, *next;
    int number = 0;

    if (!strncmp(text, "\xEF\xBB\xBF", 3)) text += 3; /* a UTF-8 byte-order mark from an editor */
    for (line = text; line; line = next) {
        char *eq;
        void *grown;

        number++;
        if ((next = strchr(line, '\n'))) *next++ = 0;
        line = ini_trim(line);
        if (!*line || *line == ';') continue;
        if (*line == '[') {
            char *close = strchr(line, ']');
            if (!close || ini_trim(close + 1)[0]) {
                error(context, number, "a section header must be [name] alone on its line");
                continue;
            }
            *close = 0;
            if (!(grown = grow(ini->sections, ini->count, sizeof(*section)))) return FALSE;
            ini->sections = grown;
            section = &ini->sections[ini->count++];
            memset(section, 0, sizeof(*section));
            if (!(section->name = _strdup(ini_trim(line + 1)))) return FALSE;
            section->number = number;
            continue;
        }
        if (!(eq = strchr(line, '='))) {
            error(context, number, "expected key = value, or [section]");
            continue;
        }
        if (!section) {
            error(context, number, "a key = value line before any [section]");
            continue;
        }
        *eq = 0;
        if (!(grown = grow(section->lines, section->count, sizeof(*section->lines)))) return FALSE;
        section->lines = grown;
        section->lines[section->count].key = _strdup(ini_trim(line));
        section->lines[section->count].value = _strdup(ini_trim(eq + 1));
        section->lines[section->count].number = number;
        if (!section->lines[section->count].key || !section->lines[section->count].value) return FALSE;
        section->count++;
    }
    return index_names(ini);
}

struct ini_section *ini_find(const struct ini *ini, const char *name)
{
    struct hash_link *link;

    HASHTABLE_FOR_EACH (link, &ini->names, hash_name(name)) {
        struct ini_section *section = LIST_ENTRY(link, struct ini_section, by_name);
        if (!_stricmp(section->name, name)) return section;
    }
    return NULL;
}

const char *ini_value(const struct ini_section *section, const char *key)
{
    ULONG i;

    for (i = 0; i < section->count; i++)
        if (!_stricmp(section->lines[i].key, key)) return section->lines[i].value;
    return NULL;
}

void ini_free(struct ini *ini)
{
    ULONG i, j;

    for (i = 0; i < ini->count; i++) {
        for (j = 0; j < ini->sections[i].count; j++) {
            free(ini->sections[i].lines[j].key);
            free(ini->sections[i].lines[j].value);
        }
        free(ini->sections[i].lines);
        free(ini->sections[i].name);
    }
    free(ini->sections);
    hashtable_free(&ini->names);
    ini->sections = NULL;
    ini->count = 0;
}
