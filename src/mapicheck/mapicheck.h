/* mapicheck's parts. */
#ifndef MAPICHECK_H
#define MAPICHECK_H

#include <windows.h>

/* Profile mode (mapicheck_session.c); returns the exit code. */
int mapicheck_session(const char *profile);
/* Provider-DLL mode (mapicheck_dll.c): a session over a profile made for the DLL, or the probe. args holds
 * "--prop", "TAG=VALUE" pairs (arg_count strings): the settings its service entry is configured with. */
int mapicheck_dll(const char *path, const char *const *args, int arg_count);
/* Init, Shutdown and Release of each provider the DLL exports, then the unload (mapicheck.c). */
int mapicheck_probe(const char *path);
/* Prints each provider's observed lifecycle, then the verdict line; returns the exit code. ok: the mode's own checks
 * passed; unloaded: no provider DLL is loaded after the last MAPIUninitialize (H23). */
int mapicheck_verdict(BOOL ok, BOOL unloaded);

#endif
