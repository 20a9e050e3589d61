/* mapicheck's parts, bottom up: report.c and verdict.c, the three modes, main.c on top. */
#ifndef MAPICHECK_H
#define MAPICHECK_H

#include <stdio.h>
#include <windows.h>
#include "mapihost_x.h"
#include "mapihost.h"

/* report.c: the run's events as the host recorded them, and the verdict, written in one of four formats. */
enum report_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_JUNIT, FORMAT_MERMAID };
enum report_result { RESULT_PASS, RESULT_FAIL, RESULT_BAD_INPUT }; /* also the exit codes */
struct record {
    ULONG severity;
    char *rule, *dll, *provider, *logon, *line;
    BOOL fast; /* from the fast path's own process (--fast-shutdown) */
};
struct report {
    const char *mode;   /* "profile" or "dll" */
    const char *target; /* the profile or the DLL */
    BOOL fast_shutdown;
    const struct record *records;
    ULONG count;
    enum report_result result;
    const char *reason; /* why not PASS, in a few words, or NULL */
    ULONG steps, violations, errors, leaked_buffers;
    BOOL unloaded;
};
void report_write(FILE *out, enum report_format format, const struct report *report);

/* rule_texts.c, made from docs/rules.md at build time: each rule's ID and its text, as the reports give them. */
struct rule_text {
    const char *id, *text;
};
extern const struct rule_text rule_texts[];
extern const ULONG rule_text_count;

/* verdict.c: the records of the run's events, and its end: the report in the format asked for, the exit code. */
/* The event sink main installs: prints each event as it happens and keeps it as a record. */
void WINAPI verdict_record_event(void *context, const MAPIHOST_EVENT *event);
/* Where the report goes (NULL: standard output), in which format, and whether the run is the fast path. */
void verdict_set_report(enum report_format format, FILE *out, BOOL fast);
/* A check of mapicheck's own about a logon (store_mode.c, transport_mode.c), provider its kind ("message store",
 * "transport"): printed and recorded as the host's events are. */
void verdict_note(ULONG severity, const char *rule, const char *provider, const char *logon, const char *line);
/* What the run is, for the report: mode "profile" or "dll", and the profile or DLL. */
void verdict_set_target(const char *mode, const char *target);
/* ok: the mode's own checks passed; unloaded: no provider DLL is loaded after the last MAPIUninitialize (H23). */
int verdict_give(BOOL ok, BOOL unloaded);
/* The run could not be made (a missing file, a profile MAPI cannot use, not a provider DLL): why, exit code 2. */
int verdict_bad_input(const char *why);
/* A provider crashed in a call the checker made on its objects, where no guard of the host's runs: the report is
 * written with the crash (code, where as module+offset, the DLL or NULL) as a FAIL; the exit code. */
int verdict_crashed(DWORD code, const char *where, const char *dll);
/* The fast path's process (--fast-shutdown-run): its verdict line, without the leak and unload checks (after
 * DoFastShutdown nothing is released or unloaded, and that is no leak, E27), and its events written to records for
 * the main process. Returns its exit code. */
int verdict_fast_path(BOOL ok, const char *records);
/* Events so far; the host's steps about a provider DLL (its calls into providers) since mark. */
ULONG verdict_record_count(void);
ULONG verdict_provider_steps_since(ULONG mark);
/* The main process reads the fast path's events back, before its own. */
void verdict_read_records(const char *path);

/* script.c: what the scripted modes share. One property of an object, only if the object gave that very tag (the
 * caller frees it), or NULL; and an advise sink on the caller's stack that counts what it hears, by event type. */
SPropValue *script_get_prop(void *object, ULONG tag);
struct counting_sink {
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refcount;
    LONG new_mail, created, moved, deleted;
};
void script_sink_init(struct counting_sink *sink);

/* store_mode.c: --store; returns the exit code. store_mode_reopen is the process it starts (--store-reopen): 0 when
 * the message with entry ID hex opens in a new session with the subject expected. */
int store_mode_check(const char *profile);
int store_mode_reopen(const char *profile, const char *hex, const char *expected);

/* transport_mode.c: --transport; returns the exit code. The address to send to instead of each transport's
 * identity, "TYPE:ADDRESS" (--to), or NULL. */
int transport_mode_check(const char *profile);
void transport_mode_set_address(const char *to);

/* fast_message.c: the fast-shutdown check's marker message, saved into the store's receive folder (its entry ID in
 * hex into entry_hex; held[2] the folder and its contents table, still open, for the caller to release), then found
 * by the orderly session and deleted; TRUE if it was there with its subject. */
HRESULT fast_message_write(IMsgStore *store, const char *subject, char *entry_hex, size_t size, IUnknown **held);
BOOL fast_message_check(IMsgStore *store, const char *entry_hex, const char *subject);

/* profile_mode.c: --profile; returns the exit code. */
int profile_mode_check(const char *profile);
/* A mode's work on the index'th store the session opened. */
typedef void(store_script)(IMAPISession *session, ULONG index, IMsgStore *store);
/* The session of profile mode, with check_store (if not NULL) called on each store it opened; TRUE if the session's
 * own checks passed. *unloaded: no provider DLL is loaded after the last MAPIUninitialize (H23); *logged_on: there
 * was a session at all. */
BOOL profile_mode_run(const char *profile, store_script *check_store, BOOL *unloaded, BOOL *logged_on);
/* Opens each store of the message-store table and shows its display name; the stores stay open. */
ULONG profile_mode_open_stores(IMAPISession *session, IMsgStore **stores, ULONG max);

/* fast_mode.c: --fast-shutdown, the fast path in a process of its own (fast_mode_run), then an orderly session that
 * checks the stores kept what was committed before DoFastShutdown; returns the exit code. */
int fast_mode_check(const char *profile);
int fast_mode_run(const char *profile, const char *markers, const char *records);

/* child.c: a child process of mapicheck's waited for, at most two minutes (then ended), and its handles closed; its
 * exit code, RESULT_FAIL if it had to be ended. */
DWORD child_wait(PROCESS_INFORMATION *process, const char *what);

/* A run over a profile: profile_mode_check, fast_mode_check, store_mode_check or transport_mode_check. */
typedef int(profile_check)(const char *profile);

/* arguments.c: the command line. Returns -1 to go on with args filled in, else the exit code (0 after --help, 2 for
 * a usage error, which it has named). */
struct arguments {
    profile_check *check; /* profile_mode_check, fast_mode_check, store_mode_check or transport_mode_check */
    BOOL fast;
    enum report_format format;
    const char *output, *profile, *dll, *to;
    const char **props; /* "--prop", "TAG=VALUE" pairs */
    int prop_count;
};
int arguments_parse(int argc, char **argv, struct arguments *args);

/* dll_mode.c: the run over a profile made for the DLL (a DLL no profile can name is bad input). args holds
 * "--prop", "TAG=VALUE" pairs (arg_count strings): the settings its service entry is configured with. */
int dll_mode_check(const char *path, const char *const *args, int arg_count, profile_check *check);

#endif
