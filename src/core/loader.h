/* Provider DLLs: loading, entry points and unloading (spec §1B, §1G; H1–H4, H23). */
#ifndef MAPIHOST_LOADER_H
#define MAPIHOST_LOADER_H

#include <windows.h>
#include "list.h"

/* The Win32 calls the loader makes: unit tests replace them, lifecycle tests never do. */
struct os_ops {
    HMODULE (*load_library)(const char *path);
    FARPROC (*get_proc_address)(HMODULE module, const char *name);
    BOOL (*free_library)(HMODULE module);
};
extern const struct os_ops *mapihost_os;

enum provider_kind { PROVIDER_AB, PROVIDER_MS, PROVIDER_XP };
extern const char *const loader_kind_names[3];      /* "address book", "message store", "transport" */
extern const char *const loader_entry_names[3];     /* "ABProviderInit", ... */
extern const char *const loader_interface_names[3]; /* "IABProvider", ... */

struct library {
    struct list entry;
    char *path;       /* the file as loaded */
    const char *name; /* its file name, within path: what events call it */
    HMODULE module;
    LONG users;     /* provider objects from this DLL not yet released, plus callers holding it */
    BOOL leaked;    /* a provider object from it outlived its Release: never freed under it (F5) */
    BOOL abandoned; /* a provider from it crashed or hung: never freed, its code may still be needed */
};

/* Finds the already-loaded library for path, or loads it; NULL and *hr set on failure. Adds a user. */
struct library *library_open(const char *path, HRESULT *hr);
/* A DLL a provider names (a transport's preprocessor, Q10): a bare name is looked for in beside's folder first, then
 * as library_open does. */
struct library *library_open_near(const struct library *beside, const char *name, HRESULT *hr);
/* GetProcAddress in the library. */
FARPROC library_entry(const struct library *library, const char *name);
/* Drops a user. With none left and MAPI uninitialised, FreeLibrary follows (H23). */
void library_close(struct library *library);
/* Calls the entry point for kind (cdecl, H3) and checks the SPI version (H4); adds a user on success. */
HRESULT library_init_provider(struct library *library, enum provider_kind kind, IUnknown **provider, ULONG *version);
/* IABProvider, IMSProvider or IXPProvider::Shutdown, all in slot 3 (spec §2.3). */
HRESULT library_shutdown_provider(enum provider_kind kind, IUnknown *provider, ULONG *flags);
/* The host's one final Release of a provider object from library (H22), then library_close. A provider object that
 * survives it marks the library leaked, so the DLL is never freed under it (F5). Returns what Release returned. */
ULONG library_release_provider(struct library *library, IUnknown *provider);
/* Marks library as kept for the rest of the process: a provider from it crashed or hung. */
void library_abandon(struct library *library);
/* Frees every library without users; called after the last MAPIUninitialize. */
void library_unload_unused(void);
/* Describes the loaded libraries, one per line, for the checker's report. */
ULONG library_count(void);

#endif
