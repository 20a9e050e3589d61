/* INI files as MAPI writes them (MAPISVC.INF, profiles): [sections] of key = value lines, ';' comments, names compared
 * without case, values trimmed (spec §6.1, S38). Every line keeps its number for messages. */
#ifndef MAPIHOST_INI_H
#define MAPIHOST_INI_H

#include <windows.h>
#include "hashtable.h"

struct ini_line {
    char *key, *value;
    int number;
};

struct ini_section {
    char *name;
    int number;
    struct ini_line *lines;
    ULONG count;
    BOOL used;                /* for the reader's own bookkeeping */
    struct hash_link by_name; /* in ini->names, from the end of ini_parse */
};

struct ini {
    const char *path;
    struct ini_section *sections;
    ULONG count;
    struct hashtable names; /* the sections by name, for ini_find */
};

/* Parses text (changed in place); each malformed line is passed to error with its number, and the rest read on.
 * FALSE when memory ran out. */
BOOL ini_parse(struct ini *ini, char *text, void (*error)(void *context, int line, const char *message), void *context);
struct ini_section *ini_find(const struct ini *ini, const char *name);
const char *ini_value(const struct ini_section *section, const char *key);
/* s without leading and trailing white space, changed in place. */
char *ini_trim(char *s);
void ini_free(struct ini *ini);

#endif
