/*
 * Profiles: text files in MAPISVC.INF syntax (spec §6.1): a [Services] section naming message-service sections,
 * each with Providers= naming provider sections, each holding property lines (PR_ names or 8-hex-digit tags).
 */
#ifndef MAPIHOST_PROFILE_H
#define MAPIHOST_PROFILE_H

#include <windows.h>
#include "mapihost_defs.h"
#include "loader.h"

struct profile_prop {
    ULONG tag;          /* PT_LONG, PT_BOOLEAN, PT_STRING8, PT_UNICODE or PT_BINARY */
    ULONG number;       /* PT_LONG, PT_BOOLEAN */
    char *text;         /* PT_STRING8; PT_UNICODE as written (UTF-8) */
    BYTE *bytes;        /* PT_BINARY */
    ULONG size;         /* PT_BINARY */
};

struct profile_section {
    char *name;
    MAPIUID uid;                  /* the section's MAPIUID, made when the profile is loaded */
    struct profile_prop *props;
    ULONG prop_count;
};

struct profile_provider {
    struct profile_section section;
    struct profile_service *service;
    enum provider_kind kind;      /* from PR_RESOURCE_TYPE */
    ULONG resource_flags;         /* PR_RESOURCE_FLAGS, 0 when absent */
    const char *dll_name;         /* PR_PROVIDER_DLL_NAME as written */
    const char *display_name;     /* PR_DISPLAY_NAME, or the section name */
};

struct profile_service {
    struct profile_section section;
    char *display_name;           /* from [Services] */
    struct profile_provider **providers;
    ULONG provider_count;
};

struct profile {
    char *path;                   /* the file */
    char *folder;                 /* its folder, with a trailing backslash */
    struct profile_service **services;
    ULONG service_count;
};

/* Parses path; NULL on error, with *hr set (MAPI_E_NOT_FOUND, MAPI_E_CORRUPT_DATA) and the reason reported by
 * file and line as an error event. */
struct profile *profile_load(const char *path, HRESULT *hr);
void profile_free(struct profile *profile);
const struct profile_prop *profile_find_prop(const struct profile_section *section, ULONG tag);

/* MAPI's DLL name rule (H1, E33): "32" goes before the first period; a name already carrying it, or with a second
 * period, is an error. A relative name is looked for in the profile's folder first, then left to the DLL search. */
HRESULT profile_dll_path(const struct profile *profile, const char *dll_name, char *path, size_t size);

#endif
