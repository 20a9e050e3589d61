/* Declarations every file of mapihost.dll shares, utility library and host core alike; they live in the utility
 * library (util/), which uses nothing of the core. Nothing here is published. */
#ifndef MAPIHOST_PRIVATE_H
#define MAPIHOST_PRIVATE_H

#include <windows.h>
#include "mapihost_spi.h"
#include "debug.h"
#include "mapihost.h"

/* utilinit.c: MAPIInitialize's count is positive (init.c reports it with utilities_set_mapi_count). */
BOOL mapihost_is_initialized(void);
void utilities_set_mapi_count(LONG count);
/* MAPIInitialize or ScInitMapiUtil is in force: the allocators and the utilities work (U7). */
BOOL mapihost_utilities_ready(void);

/* alloc.c: MAPI's buffer allocator. The live-block count lets tests and the checker find leaks (H26, H27). */
ULONG mapihost_live_buffers(void);
/* Live MAPI buffers, children included, that code in module asked for. */
ULONG mapihost_live_buffers_from(HMODULE module);

/* events.c: one line per lifecycle step (MAPIHOST_EVENT_STEP), rule broken (_VIOLATION) or bad input (_ERROR), with
 * as data the rule it reports ("H12"; NULL for none), and the provider DLL, provider type and logon it concerns
 * (NULL when it concerns none). The line itself names them too: the data is for the checker's reports. */
void mapihost_event(ULONG severity, const char *rule, const char *dll, const char *provider, const char *logon,
                    const char *format, ...) __attribute__((format(printf, 6, 7)));
/* An HRESULT as event lines show it: "S_OK", "MAPI_E_NO_SUPPORT (0x80040102)", or the number. The text lives for the
 * next few calls, long enough for one event line. */
const char *hresult_text(HRESULT hr);
/* Events of the host as a whole; rule is a string or NULL. */
#define EVENT_STEP(...) mapihost_event(MAPIHOST_EVENT_STEP, NULL, NULL, NULL, NULL, __VA_ARGS__)
#define EVENT_VIOLATION(rule, ...) mapihost_event(MAPIHOST_EVENT_VIOLATION, rule, NULL, NULL, NULL, __VA_ARGS__)
#define EVENT_ERROR(rule, ...) mapihost_event(MAPIHOST_EVENT_ERROR, rule, NULL, NULL, NULL, __VA_ARGS__)
/* Events of one provider DLL, named by its file name. */
#define DLL_STEP(dll, ...) mapihost_event(MAPIHOST_EVENT_STEP, NULL, dll, NULL, NULL, __VA_ARGS__)
#define DLL_VIOLATION(dll, rule, ...) mapihost_event(MAPIHOST_EVENT_VIOLATION, rule, dll, NULL, NULL, __VA_ARGS__)
#define DLL_ERROR(dll, rule, ...) mapihost_event(MAPIHOST_EVENT_ERROR, rule, dll, NULL, NULL, __VA_ARGS__)

/* unknown.c: QueryInterface for an object answering IUnknown and the NULL-terminated iids; AddRefs on success. */
HRESULT unknown_query_interface(IUnknown *iface, REFIID riid, void **out, const IID *const *iids);

/* malloc.c: the IMalloc handed to providers; static, so a provider's unmatched Release is harmless (F5). */
IMalloc *mapihost_get_malloc(void);

#endif
