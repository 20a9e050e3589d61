/*
 * A session's view of its profile: the message services and their providers as they were when the session logged
 * on (changes made through profile administration apply from the next session, S7), over the stored profile
 * (stored.h), which holds the sections themselves and is shared with everything else that opens the profile.
 */
#ifndef MAPIHOST_PROFILE_H
#define MAPIHOST_PROFILE_H

#include <windows.h>
#include "mapihost_defs.h"
#include "loader.h"
#include "stored.h"

struct profile_section {
    char *name;
    MAPIUID uid;
    ULONG prop_count;
    SPropValue *props; /* a copy made at logon, one MAPI allocation */
};

struct profile_provider {
    struct profile_section section;
    struct profile_service *service;
    enum provider_kind kind;  /* from PR_RESOURCE_TYPE */
    ULONG resource_flags;     /* PR_RESOURCE_FLAGS, 0 when absent */
    const char *dll_name;     /* PR_PROVIDER_DLL_NAME as written */
    const char *display_name; /* PR_DISPLAY_NAME, or the section name */
};

struct profile_service {
    struct profile_section section;
    char *display_name;     /* PR_DISPLAY_NAME, or the section name */
    const char *dll_name;   /* PR_SERVICE_DLL_NAME, or NULL: the service has no entry point (S30) */
    const char *entry_name; /* PR_SERVICE_ENTRY_NAME, or NULL */
    struct profile_provider **providers;
    ULONG provider_count;
};

struct profile {
    struct profstore *store; /* the stored profile: sections by MAPIUID, written back at once */
    char *path;              /* the file */
    char *folder;            /* its folder, with a trailing separator */
    struct profile_service **services;
    ULONG service_count;
};

/* Opens the profile file at path and takes the session's view of it; NULL on error, with *hr set
 * (MAPI_E_NOT_FOUND, MAPI_E_CORRUPT_DATA) and the reason reported by file and line as an error event. */
struct profile *profile_load(const char *path, HRESULT *hr);
/* The session's view of an open stored profile (a reference is taken); NULL and *hr on error. */
struct profile *profile_view(struct profstore *store, HRESULT *hr);
void profile_free(struct profile *profile);
const SPropValue *profile_find_prop(const struct profile_section *section, ULONG tag);
/* A string property of either width as a narrow string in the section's own copy, or NULL. */
const char *profile_find_string(const struct profile_section *section, ULONG tag);

/* MAPI's DLL name rule (H1, E33): "32" goes before the first period; a name already carrying it, or with a second
 * period, is an error (reported naming what: PR_PROVIDER_DLL_NAME or PR_SERVICE_DLL_NAME). A relative name is looked
 * for in folder first (may be NULL), then left to the DLL search. */
HRESULT profile_dll_path(const char *folder, const char *what, const char *dll_name, char *path, size_t size);

#endif
