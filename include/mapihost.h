/*
 * mapihost's own additions to the Extended MAPI surface: what the conformance checker and tests use to observe the
 * host. Everything else a client or provider needs comes from the generated mapihost_x.h and mapihost_spi.h.
 */
#ifndef MAPIHOST_H
#define MAPIHOST_H

#include <windows.h>
#include "mapihost_defs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Severity of an event line. */
#define MAPIHOST_EVENT_STEP 0      /* a lifecycle call the host made or received, with its result */
#define MAPIHOST_EVENT_VIOLATION 1 /* a provider broke a rule of the lifecycle (names the rule: H12, E21, …) */
#define MAPIHOST_EVENT_ERROR 2     /* bad input: a missing DLL, a malformed profile, a failing provider, … */

typedef void(WINAPI MAPIHOST_EVENT_SINK)(void *context, ULONG severity, const char *line);

/* Sends every event line to sink (NULL: none). Lines are also counted, whether or not a sink is set. */
void WINAPI MapihostSetEventSink(MAPIHOST_EVENT_SINK *sink, void *context);

/* An event as the host records it: the line, and as data what the line is about. Every string lives for the call. */
typedef struct MAPIHOST_EVENT {
    ULONG ulSeverity;         /* MAPIHOST_EVENT_STEP, _VIOLATION or _ERROR */
    const char *lpszRule;     /* the rule it reports or follows: a number of the specs ("H12", "E21", "S34",
                                 "F7", …), or one of the host's own checks ("crash", "hang", "memory"); or NULL */
    const char *lpszDll;      /* the provider DLL it concerns (its file name), or NULL */
    const char *lpszProvider; /* "address book", "message store" or "transport", when one logon's, else NULL */
    const char *lpszLogon;    /* the logon it concerns (its profile section's name), or NULL */
    const char *lpszLine;     /* the line MAPIHOST_EVENT_SINK gets */
} MAPIHOST_EVENT;
typedef void(WINAPI MAPIHOST_EVENT_RECORD_SINK)(void *context, const MAPIHOST_EVENT *event);
/* Sends every event, as a record, to sink (NULL: none); independent of MapihostSetEventSink's. */
void WINAPI MapihostSetEventRecordSink(MAPIHOST_EVENT_RECORD_SINK *sink, void *context);
/* Events of each severity since the process started. */
ULONG WINAPI MapihostEventCount(ULONG severity);
/* An HRESULT as people read it: "S_OK", "MAPI_E_NOT_FOUND (0x8004010f)", or the number alone. The text stays valid
 * until seven more calls have been made. */
const char *WINAPI MapihostErrorName(HRESULT hr);
/* MAPI buffers allocated and not yet freed (H26). */
ULONG WINAPI MapihostLiveBuffers(void);
/* Provider DLLs the host has loaded and not yet freed. */
ULONG WINAPI MapihostLoadedLibraries(void);
/* Loads a provider DLL by path and runs each provider it exports through init, Shutdown and Release, reporting
 * every step as an event. The DLL is freed after the last MAPIUninitialize, like any other. */
HRESULT WINAPI MapihostProbeProviderDll(const char *path);

/* Provider calls run on the caller's thread, as in MAPI; a hung one is reported and waited for. With abandon TRUE (a
 * checker's or a test's choice, never a client's), each thread's provider calls run on one worker thread of its own
 * instead, which is abandoned when a call does not return within MAPIHOST_CALL_TIMEOUT: the provider is reported by
 * name and the host shuts the others down. */
void WINAPI MapihostAbandonHungCalls(BOOL abandon);

/* Parses "TAG=VALUE" (a PR_ name or eight hex digits, then a value as profile files write it) into one MAPI allocation
 * (free with MAPIFreeBuffer). On failure *why (may be NULL) gets a static explanation. */
HRESULT WINAPI MapihostParseProp(const char *text, SPropValue **value, const char **why);

/* A PR_ name the host knows, or eight hex digits, as a property tag; MAPI_E_NOT_FOUND otherwise. */
HRESULT WINAPI MapihostParsePropTag(const char *text, ULONG *tag);
/* value as "TAG = VALUE", the way profile files and mapiprof write it; MAPI_E_STRING_TOO_LONG if it was cut. */
HRESULT WINAPI MapihostFormatProp(const SPropValue *value, char *text, ULONG size);
/* Every section of a profile (a name in the profile folder, or the path of an .inf file), one row each: its MAPIUID
 * (PR_INSTANCE_KEY), its name in the file (PR_DISPLAY_NAME), and PR_SERVICE_UID and PR_PROVIDER_UID where it has
 * them. Free each row's lpProps, then the set, with MAPIFreeBuffer. */
HRESULT WINAPI MapihostGetProfileSections(const char *profile, SRowSet **rows);
/* Calls the entry point of a service MAPISVC.INF defines with MSG_SERVICE_INSTALL, or MSG_SERVICE_UNINSTALL (then
 * deletes its PR_SERVICE_DELETE_FILES), as an installer does (S33). flags: SERVICE_UI_ALLOWED, SERVICE_UI_ALWAYS. */
HRESULT WINAPI MapihostInstallService(const char *service, BOOL uninstall, ULONG_PTR ui_param, ULONG flags);

/* What a session of this host holds right now, for checks after IMAPISession::Logoff (H12-H15, H20). */
typedef struct MAPIHOST_SESSION_STATE {
    ULONG uids;        /* MAPIUIDs registered (H9, H13) */
    ULONG status_rows; /* rows of the status table, MAPI's own subsystem row included (H14, H29) */
    ULONG logons;      /* logon objects not yet released by the host (H15) */
    ULONG supports;    /* support objects a provider still holds a reference on (H12) */
    ULONG providers;   /* provider objects not yet released by the host (H22) */
} MAPIHOST_SESSION_STATE;

/* Fills state for a session MAPILogonEx returned; MAPI_E_INVALID_PARAMETER for anything else. Works after Logoff. */
HRESULT WINAPI MapihostGetSessionState(IUnknown *session, MAPIHOST_SESSION_STATE *state);

#ifdef __cplusplus
}
#endif

#endif
