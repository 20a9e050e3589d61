/*
 * The sections of a stored profile in memory (stored.h): what role a section plays, read from its properties, and
 * the index of a profile's sections by MAPIUID.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "stored.h"
#include "propval.h"

const MAPIUID psection_instance_uid = { { 0x85, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00,
                                          0x00, 0x00, 0x46 } };

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

struct psection *psection_lookup(struct profstore *store, const MAPIUID *uid)
{
    struct hash_link *link;

    HASHTABLE_FOR_EACH (link, &store->by_uid, hash_bytes(uid, sizeof(*uid))) {
        struct psection *section = LIST_ENTRY(link, struct psection, by_uid);
        if (!section->deleted && !memcmp(&section->uid, uid, sizeof(*uid))) return section;
    }
    return NULL;
}

/* A section at the end of the profile, indexed by its MAPIUID. */
BOOL psection_add(struct profstore *store, struct psection *section)
{
    if (!hashtable_add(&store->by_uid, &section->by_uid, hash_bytes(&section->uid, sizeof(section->uid)))) return FALSE;
    list_add_tail(&store->sections, &section->entry);
    return TRUE;
}

void psection_remove(struct profstore *store, struct psection *section)
{
    hashtable_remove(&store->by_uid, &section->by_uid);
    list_remove(&section->entry);
}

void psection_free(struct psection *section)
{
    MAPIFreeBuffer(section->props);
    free(section->name);
    free(section);
}
