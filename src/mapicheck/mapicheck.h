/* mapicheck's parts. */
#ifndef MAPICHECK_H
#define MAPICHECK_H

#include <windows.h>
#include "mapihost_x.h"

/* Profile mode (mapicheck_session.c); returns the exit code. */
int mapicheck_session(const char *profile);
/* The session of profile mode, with check_store (if not NULL) called on each store it opened; TRUE if the session's
 * own checks passed. *unloaded: no provider DLL is loaded after the last MAPIUninitialize (H23). */
BOOL mapicheck_run_session(const char *profile, void (*check_store)(ULONG index, IMsgStore *store), BOOL *unloaded);
/* Opens each store of the message-store table and shows its display name; the stores stay open. */
ULONG mapicheck_open_stores(IMAPISession *session, IMsgStore **stores, ULONG max);
/* --fast-shutdown (mapicheck_fast.c): the fast path in a process of its own (mapicheck_fast_run), then an orderly
 * session that checks the stores kept what was committed before DoFastShutdown; returns the exit code. */
int mapicheck_fast(const char *profile);
int mapicheck_fast_run(const char *profile, const char *markers);
/* Provider-DLL mode (mapicheck_dll.c): a session over a profile made for the DLL, or the probe. args holds
 * "--prop", "TAG=VALUE" pairs (arg_count strings): the settings its service entry is configured with. */
int mapicheck_dll(const char *path, const char *const *args, int arg_count, BOOL fast);
/* Init, Shutdown and Release of each provider the DLL exports, then the unload (mapicheck.c). */
int mapicheck_probe(const char *path);
/* Prints each provider's observed lifecycle, then the verdict line; returns the exit code. ok: the mode's own checks
 * passed; unloaded: no provider DLL is loaded after the last MAPIUninitialize (H23). */
int mapicheck_verdict(BOOL ok, BOOL unloaded);
/* The same for the fast path's process, without the leak and unload checks: after DoFastShutdown nothing is released
 * or unloaded, and that is no leak (E27). Returns its exit code. */
int mapicheck_fast_path_verdict(BOOL ok);

#endif
