/*
 * Stored profiles (spec S1-S8), the data model and the files that keep it: profstore.c (open, share, change, save),
 * psection.c (sections), proffile.c (the file's text), profwrite.c (atomic writes, the lock), proffolder.c (the
 * profile folder and the default profile). A profile is a file of sections, each a MAPIUID and its properties, kept in
 * memory once per process and shared by every session and administration object that opens it. A section's MAPIUID is
 * recorded in the file (MAPIUID = ...), so the same UID opens the same section in every session and process.
 *
 * Structure lives in the properties, as in MAPI: a message service's section has PR_SERVICE_UID equal to its own
 * MAPIUID; a provider's section has PR_PROVIDER_UID equal to its own and its service's PR_SERVICE_UID; any other
 * section with its service's PR_SERVICE_UID is one of the service's extra sections (Sections= in MAPISVC.INF). The
 * file keeps MAPISVC.INF's shape ([Services], Providers=, Sections=), so a profile written by hand still loads.
 *
 * Every change is written at once (IProfSect has no transactions, S4): a new file beside the old, then a rename over
 * it, under a lock file, and refused with MAPI_E_OBJECT_CHANGED when another process changed the file since this one
 * read it. A batch (profstore_begin/end) keeps changes in memory until it ends, and can roll them all back.
 */
#ifndef MAPIHOST_STORED_H
#define MAPIHOST_STORED_H

#include <windows.h>
#include "mapihost_defs.h"
#include "hashtable.h"
#include "list.h"

struct strbuf;

/* Sections stay allocated as long as their profile: a deleted one is marked, so pointers held elsewhere stay valid. */
struct psection {
    struct list entry;       /* in profstore->sections, in profile order */
    struct hash_link by_uid; /* in profstore->by_uid */
    char *name;              /* its [name] in the file */
    MAPIUID uid;
    ULONG count;
    SPropValue *props; /* one MAPI allocation chain; NULL when count is 0 */
    BOOL deleted;
};

struct profstore {
    struct list entry; /* in the process's list of open profiles */
    LONG refcount;
    LONG sessions; /* sessions logged on to it (S12) */
    char *path;    /* the file; changes when the profile is renamed */
    char *name;    /* the profile name: the file name without .inf */
    char *folder;  /* the file's folder, with a trailing separator */
    SRWLOCK lock;  /* the sections and their properties */
    struct list sections;
    struct hashtable by_uid;   /* every section in the list, deleted ones too: psection_lookup is no scan */
    ULONGLONG file_hash;       /* of the file as this process last read or wrote it */
    LONG batch;                /* > 0: changes stay in memory until profstore_end */
    BOOL dirty;                /* changed in memory during a batch */
    struct snapshot *snapshot; /* the state when the batch began */
    BOOL delete_pending;       /* deleted while a session uses it: gone at its last session (S12) */
};

/* profstore.c: the profile file at path, shared within the process. With create, a missing file becomes a new empty
 * profile. MAPI_E_NOT_FOUND for a missing file, MAPI_E_CORRUPT_DATA for a malformed one (the reason as an error event).
 */
HRESULT profstore_open(const char *path, BOOL create, struct profstore **out);
/* The profile file exists and was not deleted while in use (S12). */
BOOL profstore_exists(const char *path);
void profstore_addref(struct profstore *store);
void profstore_release(struct profstore *store);

/* Adds a section at the end (uid NULL: a new one) with copies of props; written at once unless in a batch. */
HRESULT profstore_add(struct profstore *store, const char *name, const MAPIUID *uid, ULONG count,
                      const SPropValue *props, struct psection **out);
/* Replaces the values with these property IDs (any type) and adds the rest; written at once unless in a batch. */
HRESULT profstore_set_props(struct profstore *store, struct psection *section, ULONG count, const SPropValue *props);
/* Removes the values with these property IDs; written at once unless in a batch. */
HRESULT profstore_delete_props(struct profstore *store, struct psection *section, ULONG count, const ULONG *tags);
/* Marks sections deleted; written at once unless in a batch. */
HRESULT profstore_remove(struct profstore *store, ULONG count, struct psection **sections);
/* A deep copy of a section's values (one MAPI allocation), taken under the lock. */
HRESULT profstore_get_props(struct profstore *store, struct psection *section, ULONG *count, SPropValue **props);

/* A batch: changes stay in memory until profstore_end, which writes them (commit) or rolls them back. */
HRESULT profstore_begin(struct profstore *store);
HRESULT profstore_end(struct profstore *store, BOOL commit);

/* The sections of a role, in profile order: services (service NULL) or the providers and extra sections of service;
 * the caller frees *list with free(). Taken under the lock. */
ULONG profstore_list(struct profstore *store, const struct psection *service, BOOL providers, struct psection ***list);
/* Unloads a deleted profile's shared copy once nothing uses it; the file goes now. */
HRESULT profstore_delete_file(struct profstore *store);
/* Renames the profile's file and the shared copy with it. */
HRESULT profstore_rename(struct profstore *store, const char *new_path);

/* psection.c: section roles, from their properties (see the top of this file), and the index by MAPIUID. */
/* The profile-wide section's fixed MAPIUID (S1), MUID_PROFILE_INSTANCE. */
extern const MAPIUID psection_instance_uid;
BOOL psection_is_service(const struct psection *section);
BOOL psection_is_provider(const struct psection *section);
BOOL psection_belongs_to(const struct psection *section, const struct psection *service);
const SPropValue *psection_find(const struct psection *section, ULONG tag);
/* The live section with uid, or NULL. Callers hold store->lock or accept a racing change. */
struct psection *psection_lookup(struct profstore *store, const MAPIUID *uid);
/* A section at the end of the profile, indexed by its MAPIUID; FALSE when out of memory. */
BOOL psection_add(struct profstore *store, struct psection *section);
void psection_remove(struct profstore *store, struct psection *section);
/* Frees a section that is in no profile, or whose profile goes. */
void psection_free(struct psection *section);

/* proffile.c: the profile's text from its sections, and its sections from the text (the errors as events, with
 * their line numbers; FALSE then); text is parsed in place. *changed is set when sections got MAPIUIDs or keys the
 * file must record. */
void proffile_format(struct profstore *store, struct strbuf *out);
BOOL proffile_parse(struct profstore *store, char *text, BOOL *changed);
/* A new MAPIUID, for a new section. */
void proffile_new_uid(MAPIUID *uid);

/* profwrite.c: text written to path atomically (a new file, flushed, renamed over the old one; never over a read-only
 * file), and the lock file beside a profile (INVALID_HANDLE_VALUE with *hr: MAPI_E_BUSY when another process held it
 * too long, MAPI_E_NO_ACCESS or MAPI_E_NOT_ENOUGH_DISK at once when the folder takes no file; an error event says
 * which, with the system's reason). */
HRESULT profwrite_atomic(const char *path, const char *text, size_t length);
HANDLE profwrite_lock(const char *path, HRESULT *hr);

/* proffolder.c: the folder of named profiles (MAPIHOST_PROFILE_DIR, else %APPDATA%\mapihost\profiles), a name's
 * file there, and the default profile's name (a file in that folder). */
BOOL proffolder_path(char *folder, size_t size);
BOOL proffolder_file_for(const char *name, char *path, size_t size);
BOOL proffolder_default_name(char *name, size_t size);
HRESULT proffolder_set_default_name(const char *name);

#endif
