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

/* event.c: the event log, one line per lifecycle step (event_step), rule broken (event_violation) or bad input
 * (event_error). Each event carries as data the rule it reports ("H12"; NULL for none, docs/rules.md) and what it is
 * about: the provider DLL, provider type and logon (profile section) it concerns, each NULL when it concerns none.
 * The line names them too: the data is for the checker's reports. */
struct event_about {
    const char *dll;
    const char *provider;
    const char *logon;
};
/* An event about the host as a whole, and one about a provider DLL named by its file name. */
#define ABOUT_HOST ((struct event_about){ NULL, NULL, NULL })
static inline struct event_about about_dll(const char *dll)
{
    return (struct event_about){ dll, NULL, NULL };
}
void event_step(struct event_about about, const char *format, ...) __attribute__((format(printf, 2, 3)));
void event_violation(struct event_about about, const char *rule, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
void event_error(struct event_about about, const char *rule, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
/* Any of the three, by MAPIHOST_EVENT_STEP, _VIOLATION or _ERROR. */
void event_log(ULONG severity, struct event_about about, const char *rule, const char *format, ...)
    __attribute__((format(printf, 4, 5)));
/* An HRESULT as event lines show it: "S_OK", "MAPI_E_NO_SUPPORT (0x80040102)", or the number. The text lives for the
 * next few calls, long enough for one event line. */
const char *hresult_text(HRESULT hr);

/* disptable.c: whether a dialog template (DLGTEMPLATE or DLGTEMPLATEEX, as a provider's resources hold it) parses,
 * and its item count; BuildDisplayTable's reader, open to the fuzz target (tests/fuzz). */
BOOL disptable_parse_template(const BYTE *bytes, DWORD size, ULONG *items);

/* unsupported.c: a method (of object, an interface name) or a function (object NULL) mapihost does not implement:
 * named in the event log, answered MAPI_E_NO_SUPPORT (docs/unsupported.md lists every call). */
HRESULT unsupported(const char *object, const char *method);

/* quarantine.c: a released object of the host's, made of at least two pointers and allocated with malloc, kept
 * answering MAPI_E_INVALID_OBJECT and naming the offence (its vtable swapped) until later releases push it out and
 * free it; and a block kept, unchanged, until destroy(block) frees it so. */
void quarantine_object(void *object, const char *iface_name);
void quarantine_block(void *block, void (*destroy)(void *block));

/* unknown.c: QueryInterface for an object answering IUnknown and the NULL-terminated iids; AddRefs on success. */
HRESULT unknown_query_interface(IUnknown *iface, REFIID riid, void **out, const IID *const *iids);

/* malloc.c: the IMalloc handed to providers; static, so a provider's unmatched Release is harmless (F5). */
IMalloc *mapihost_get_malloc(void);

#endif
