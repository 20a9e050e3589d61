/*
 * A MAPI session and what it hosts: the provider objects (one per provider DLL and type, shared by every logon of
 * that type from that DLL, H5, E19), the logons (one per provider section, and one per OpenMsgStore of a store), and
 * the per-session state providers change through their support objects: the MAPIUID registry, the status rows, the
 * subscriptions and the profile sections.
 */
#ifndef MAPIHOST_CORE_H
#define MAPIHOST_CORE_H

#include "mapihost_private.h"
#include "list.h"
#include "loader.h"
#include "notify.h"
#include "profile.h"
#include "statusrow.h"
#include "uidreg.h"

struct support;
struct table_data;

/* Providers, logons and support objects stay allocated until the session is freed, so a re-entrant or late call
 * from a provider never meets freed memory; their flags say how far their lives have gone. A provider object lives
 * from its entry point to the Release after its Shutdown (H20-H22). */
struct provider {
    struct list entry; /* in session->providers */
    struct session *session;
    struct library *library;
    const char *dll_name; /* PR_PROVIDER_DLL_NAME as the profile wrote it (the session's copy) */
    enum provider_kind kind;
    IUnknown *object;                     /* IABProvider, IMSProvider or IXPProvider; NULL after its Release */
    ULONG logons;                         /* its logon objects not yet Released */
    BOOL fast_shutdown_asked;             /* the one QueryInterface for IMAPIProviderShutdown is done (F3) */
    IMAPIProviderShutdown *fast_shutdown; /* what it answered; released just before the object's final Release */
};

/* A transport's message preprocessor (Q10): the functions RegisterPreprocessor named, found in their DLL, and the
 * recipients it is for (a MAPIUID or an address type; neither: all). */
struct preprocessor {
    BOOL has_uid;
    MAPIUID uid;
    char *address_type; /* NULL: none given */
    char *name;         /* "dll!function", for events */
    struct library *library;
    PREPROCESSMESSAGE *preprocess; /* NULL: the DLL or the function was not found */
    REMOVEPREPROCESSINFO *remove;  /* NULL: none named */
};

struct logon {
    struct list entry; /* in session->logons, in logon order */
    struct session *session;
    struct provider *provider;
    const struct profile_provider *config;
    struct support *support;            /* until the support object's last Release, or the forced cleanup (E21) */
    IUnknown *object;                   /* IABLogon, IMSLogon or IXPLogon */
    BOOL active;                        /* Logon succeeded and returned a logon object */
    BOOL closing;                       /* its logoff is waiting for the calls in flight (E25) */
    LONG calls;                         /* calls the host makes into it for a client, not yet returned (E25) */
    BOOL logged_off;                    /* the logoff method has been called: never twice (H16) */
    BOOL released;                      /* the host's one Release of object is done (H15) */
    BOOL storelogoff_done;              /* StoreLogoffTransports was called (§4.2: once per shutdown) */
    struct preprocessor *preprocessors; /* a transport's RegisterPreprocessor calls, in order (Q10) */
    ULONG preprocessor_count;
    /* A transport's: what AddressTypes answered, copied (E29; NULL types: any address type), and the flags
     * TransportLogon returned (LOGON_SP_POLL, LOGON_SP_IDLE). */
    char **address_types;
    ULONG address_type_count;
    BOOL any_address_type;
    SRWLOCK address_types_lock; /* the three above: replaced at NOTIFY_CONFIG_CHANGE while others read them */
    LONG config_changed;        /* SpoolerNotify(NOTIFY_CONFIG_CHANGE): AddressTypes is asked again (Q3, Q25) */
    ULONG transport_flags;
    LONG critsec; /* a transport's: between SpoolerNotify(NOTIFY_CRITSEC) and NOTIFY_NONCRIT: no Poll or Idle (Q22) */
    LONG failed;  /* a transport's: SpoolerNotify(NOTIFY_CRITICAL_ERROR): no more calls but its logoff (Q25) */
    BOOL spooler; /* a store's: the spooler's own logon (IMSProvider::SpoolerLogon, Q8) */
};

struct session {
    IMAPISession IMAPISession_iface;
    IMAPIClientShutdown IMAPIClientShutdown_iface; /* F1: same object, same count */
    LONG refcount;
    struct list process_entry;     /* in the process's sessions, in creation order (F4) */
    CRITICAL_SECTION cs;           /* the lists and the calls in flight; never held while calling into a provider */
    CONDITION_VARIABLE calls_done; /* a logon's last call in flight returned */
    struct profile *profile;
    char *profile_name;
    ULONG flags;     /* MAPILogonEx's */
    BOOL logged_off; /* H25 */
    struct list providers;
    struct list logons;
    struct list supports; /* every support object made for it, freed with it */
    BOOL *disabled;       /* per profile service: disabled for the session by a logon failure (H8) */
    struct uid_registry uids;
    struct status_rows status_rows;
    struct table_data *status_table;
    struct table_data *store_table;
    struct subscriptions subscriptions;
    SRowSet *search_path; /* SetSearchPath's, each row its own block; NULL: the default */
    struct mail *mail;    /* the spooler's state for the session (spooler/), while it moves the session's mail */
};

/* What the support objects ask of the spooler (spooler/spooler.c), through pointers so that they need nothing of it:
 * SpoolerNotify from a store or a transport, a store's StoreLogoffTransports (§4.2, Q31), ExpandRecips and
 * CompleteMsg, and a transport's StatusRecips (Q19). */
struct spooler_hooks {
    HRESULT (*notify)(struct logon *logon, ULONG flags, void *data);
    HRESULT (*store_logoff)(struct logon *logon, ULONG in, ULONG *out);
    HRESULT (*status_recips)(struct logon *logon, IMessage *message, ADRLIST *recipients);
    /* IMAPISession::OpenEntry of the spooler's status row (STATUS_ROWID_SPOOLER). */
    HRESULT (*open_status)(struct session *session, const IID *iid, ULONG *type, IUnknown **out);
    /* A store's ExpandRecips and CompleteMsg (Q7, Q21). */
    HRESULT (*expand_recips)(struct logon *logon, IMessage *message, ULONG *flags);
    HRESULT (*complete_msg)(struct logon *logon, ULONG size, const ENTRYID *entry_id);
};

/* session.c */
HRESULT session_create(struct profile *profile, const char *name, ULONG flags, IMAPISession **out);

/* process.c: what the host keeps for the whole process, below the sessions. */
void process_add_session(struct session *session);
void process_remove_session(struct session *session);
/* Every session of the process, in creation order, each with a reference the caller drops (IMAPISession_Release);
 * the caller frees *sessions with free(). */
ULONG process_sessions(struct session ***sessions);
/* DoFastShutdown has been called: no call goes into a provider again, nothing is torn down (F7, E27). */
BOOL process_fast_shutdown_done(void);
void process_set_fast_shutdown_done(void);
/* A client call after DoFastShutdown, named by what: an error event; the caller answers MAPI_E_END_OF_SESSION. */
void process_late_call(const char *what);
/* Provider objects made in the process so far: a QueryFastShutdown answer holds only for those it asked (F4). */
void process_provider_added(void);
LONG process_providers_added(void);
/* The spooler's hooks, set while it runs; NULL otherwise. */
void process_set_spooler_hooks(const struct spooler_hooks *hooks);
const struct spooler_hooks *process_spooler_hooks(void);

/* fastshutdown.c: IMAPIClientShutdown (runtime spec part F). */
extern const IMAPIClientShutdownVtbl client_shutdown_vtbl;

/* Every logon the session holds of a kind, in logon order; the caller frees *logons with free() (logon.c). */
ULONG logon_all_of(struct session *session, enum provider_kind kind, struct logon ***logons);

/* route.c: where what names a provider goes (H9). */
/* Opens the object an entry ID names: a status object, or an entry of the logon that registered its MAPIUID. With
 * address_books_only (IAddrBook::OpenEntry), only an address-book logon's entries. */
/* The address-book logon whose MAPIUID an entry ID carries (H9), entered as a call in flight (the caller ends it
 * with inflight_leave); NULL when no address book takes it. */
struct logon *route_enter_address_book(struct session *session, ULONG size, const ENTRYID *entry_id);
HRESULT route_open_entry(struct session *session, BOOL address_books_only, ULONG size, const ENTRYID *entry_id,
                         const IID *iid, ULONG flags, ULONG *type, IUnknown **out);
/* CompareEntryIDs for the session and its support objects: one-offs by address, others by the logon that registered
 * their MAPIUID, bytes otherwise. */
HRESULT route_compare_entry_ids(struct session *session, ULONG size1, ENTRYID *entry1, ULONG size2, ENTRYID *entry2,
                                ULONG flags, ULONG *result);

/* provider.c: provider objects. */
/* The session's provider object for config's DLL and type, made by the entry point if there is none yet. */
struct provider *provider_get(struct session *session, const struct profile_provider *config, HRESULT *hr);
/* Shutdown(&0), then the one Release (H20-H22); the DLL goes after the last MAPIUninitialize (H23). */
void provider_shutdown(struct provider *provider);
/* One of its logons was released: with none left, the provider object is shut down. */
void provider_logon_gone(struct provider *provider);
/* Runs call(context) guarded (guard.c) for the provider *provider points to, read after the call (the call may make
 * it), for the logon of that name (NULL: for the provider object). A crash or a hang is reported as a violation of
 * what; the provider, if any, is abandoned: no more calls, its logons leave nothing in the session, its DLL stays
 * loaded (logon.c). FALSE then. */
BOOL logon_run_guarded(const char *logon, const char *what, struct provider **provider, void (*call)(void *context),
                       void *context);

/* logon.c: logging providers on and off. */
/* A transport's AddressTypes, asked and kept (Q3); again after NOTIFY_CONFIG_CHANGE. On the thread it is called on. */
void logon_read_address_types(struct logon *logon);
/* Logs on every provider of the kind in the profile (address books, or transports: on the spooler's thread). */
HRESULT logon_start_providers(struct session *session, ULONG_PTR ui_param, enum provider_kind kind);
/* IMSProvider::SpoolerLogon on a store for the spooler (Q8): a logon of its own, marked spooler. */
HRESULT logon_spooler_store(struct session *session, const struct profile_provider *config, ULONG size,
                            const ENTRYID *entry_id, IMsgStore **store, struct logon **logon);
/* One logon logged off and released, guarded, waiting for its calls in flight (E25). */
void logon_shutdown_one(struct logon *logon);
/* Every logon of the kind, latest first. */
void logon_shutdown_kind(struct session *session, enum provider_kind kind);
HRESULT logon_open_store(struct session *session, const struct profile_provider *config, ULONG_PTR ui_param, ULONG size,
                         const ENTRYID *entry_id, const IID *iid, ULONG flags, IMsgStore **store);
/* Logs off every logon in the documented order and shuts the provider objects down (spec §1F). */
void logon_shutdown_all(struct session *session);

static inline const char *logon_name(const struct logon *logon)
{
    return logon->config->section.name;
}

/* The provider's DLL by file name, for events; NULL for a provider object made without one (unit tests). */
static inline const char *provider_dll(const struct provider *provider)
{
    return provider->library ? provider->library->name : NULL;
}

/* What an event of one logon is about: its DLL, provider type and profile section; of one provider object: its DLL
 * and type. */
static inline struct event_about about_logon(const struct logon *logon)
{
    return (struct event_about){ provider_dll(logon->provider), loader_kind_names[logon->provider->kind],
                                 logon_name(logon) };
}

static inline struct event_about about_provider(const struct provider *provider)
{
    return (struct event_about){ provider_dll(provider), loader_kind_names[provider->kind], NULL };
}

/* inflight.c: E25, a call the host makes into a logon for a client is in flight from inflight_enter to inflight_leave,
 * and its logoff waits for it (inflight_wait). inflight_enter fails, and the call must not be made, once the
 * logon is being logged off. */
BOOL inflight_enter(struct logon *logon);
void inflight_leave(struct logon *logon);
void inflight_wait(struct logon *logon);

/* What a logon's support object calls at its last Release: its UIDs and rows go (E3); a store not yet logged off is,
 * now (§4.2). */
void logon_support_released(struct logon *logon);

/* support.c: the IMAPISupport handed to one logon (H6). released is called at the provider's last Release of it
 * (logon_support_released): a pointer, so that support objects need nothing of the logon lifecycle. */
struct support *support_create(struct logon *logon, void (*released)(struct logon *logon));
IMAPISupport *support_iface(struct support *support);
/* References held on it, the host's included. */
ULONG support_refcount(struct support *support);
/* The provider kept its support object after logoff (E21): from now on its calls fail with MAPI_E_INVALID_OBJECT. */
void support_detach(struct support *support);
/* Support objects of the session still referenced. */
ULONG support_count_referenced(struct session *session);
/* Frees the session's support objects; one a provider still references is left to it. */
void support_free_all(struct session *session);
/* A configuration support object for the service section service_uid (S31, S35); support_end_config makes its
 * calls fail with MAPI_E_INVALID_OBJECT (it is valid only during a service entry call). Those no longer referenced
 * are freed by support_free_config_all, after the last MAPIUninitialize. */
HRESULT support_create_config(struct profstore *store, const MAPIUID *service_uid, const char *service_name,
                              IMAPISupport **out);
void support_end_config(IMAPISupport *iface);
void support_free_config_all(void);
/* Frees the vtables MakeInvalid made; after the last MAPIUninitialize nothing may call an invalidated object. */
void support_free_invalid_vtables(void);

/* statustable.c: the status table (spec §6.3) and the message-store table. */
HRESULT statustable_init(struct session *session);
HRESULT storetable_init(struct session *session);
/* The logon a status-table PR_ENTRYID names, or NULL (MAPI's own row, or none). TRUE if it is a status entry ID. */
BOOL statustable_parse_entry_id(struct session *session, ULONG size, const ENTRYID *entry_id, ULONG *rowid,
                                struct logon **logon);
/* The rows MAPI itself keeps beside the subsystem's (row 0): the spooler's, under an ID no provider row ever gets.
 * statustable_set_host_row adds or replaces one with the computed columns added; the values are copied. */
#define STATUS_ROWID_SPOOLER 0xfffffff0u
HRESULT statustable_set_host_row(struct session *session, ULONG rowid, ULONG count, const SPropValue *values);
void statustable_remove_host_row(struct session *session, ULONG rowid);
/* IMAPISession::QueryIdentity: the PR_IDENTITY_ENTRYID of the status row flagged STATUS_PRIMARY_IDENTITY (S25). */
HRESULT statustable_identity(struct session *session, ULONG *size, ENTRYID **entry_id);
/* The store provider section a message-store table PR_ENTRYID names, or NULL. */
const struct profile_provider *storetable_find(struct session *session, ULONG size, const ENTRYID *entry_id);
/* The session's default store (STATUS_DEFAULT_STORE) and the entry ID its row gives, in *entry_id (size
 * *size, the caller's buffer of at least 64 bytes); NULL if the profile has none. */
const struct profile_provider *storetable_default(struct session *session, ULONG *size, BYTE *entry_id);

/* addrbook.c: an IAddrBook over the session's address-book logons; it holds a reference on the session. */
HRESULT addrbook_create(struct session *session, IAddrBook **out);

/* abroot.c: MAPI's root address-book container, and the providers' top-level containers it lists (a new table). */
HRESULT abroot_create(struct session *session, IABContainer **out);
HRESULT abroot_containers(struct session *session, struct table_data **out);

/* searchpath.c: the address book's search path: the one SetSearchPath gave, else every top-level container of
 * recipients (AB_RECIPIENTS) in provider order. A row set to free with FreeProws. */
HRESULT searchpath_get(struct session *session, SRowSet **path);
HRESULT searchpath_set(struct session *session, const SRowSet *path);

#endif
