/* A profile held in memory only (memprofile.h): a profstore as profstore_open makes one, with no file behind it. */
#include <stdlib.h>
#include <string.h>

#include "mapihost_x.h"
#include "strbuf.h"
#include "fuzz.h"
#include "memprofile.h"

struct profstore *memprofile_new(void)
{
    struct profstore *store = calloc(1, sizeof(*store));

    if (!store) return NULL;
    store->refcount = 1;
    InitializeSRWLock(&store->lock);
    list_init(&store->sections);
    store->path = _strdup("C:\\fuzz\\fuzz.inf");
    store->name = _strdup("fuzz");
    store->folder = _strdup("C:\\fuzz\\");
    return store;
}

void memprofile_free(struct profstore *store)
{
    struct list *cursor, *next;

    LIST_FOR_EACH_SAFE (cursor, next, &store->sections) psection_free(LIST_ENTRY(cursor, struct psection, entry));
    hashtable_free(&store->by_uid);
    free(store->path);
    free(store->name);
    free(store->folder);
    free(store);
}

/* The text of store, parsed into a profile of its own (NULL when the text does not read back); *changed says whether
 * the reader added what it derives (a MAPIUID, the profile-wide section). */
static struct profstore *read_back(struct profstore *store, struct strbuf *text, BOOL *changed)
{
    struct profstore *again;
    char *copy;

    *changed = FALSE;
    proffile_format(store, text);
    if (text->failed || !(again = memprofile_new())) return NULL;
    if (!(copy = _strdup(text->text ? text->text : ""))) {
        memprofile_free(again);
        return NULL;
    }
    if (!proffile_parse(again, copy, changed)) {
        memprofile_free(again);
        again = NULL;
    }
    free(copy);
    return again;
}

void memprofile_check_round_trip(struct profstore *store, const char *what)
{
    struct strbuf first = { 0 }, second = { 0 }, third = { 0 };
    struct profstore *again, *third_store = NULL;
    BOOL changed, changed_again = FALSE;

    /* The first text may read back with more than it says (a service's display name derived from [Services]: the
     * host's own check before a write, profstore.c, allows that much); from there on it must be what it says. */

    if (!(again = read_back(store, &first, &changed))) {
        if (!first.failed) fuzz_fail("%s: the profile text written does not read back:\n%s", what, first.text);
        strbuf_free(&first);
        return;
    }
    /* What the reader derives (a MAPIUID, the profile-wide section) is written once and then stays as it is. */
    if ((third_store = read_back(again, &second, &changed_again)) && changed_again)
        fuzz_fail("%s: a profile text that read back still changes when read again:\n%s", what, second.text);
    if (!third_store && !second.failed)
        fuzz_fail("%s: the profile text written again does not read back:\n%s", what, second.text);
    if (third_store) proffile_format(third_store, &third);
    if (third_store && !third.failed && strcmp(second.text ? second.text : "", third.text ? third.text : ""))
        fuzz_fail("%s: the profile text is not the same the second time it is read back:\n%s\n---\n%s", what,
                  second.text ? second.text : "", third.text ? third.text : "");
    strbuf_free(&first);
    strbuf_free(&second);
    strbuf_free(&third);
    memprofile_free(again);
    if (third_store) memprofile_free(third_store);
}
