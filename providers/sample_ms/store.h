/*
 * The sample message store's parts, and what they share. docs/message-store.md tells the design: a store is one
 * SQLite database (storedb.c); a folder (folder.c) is a row of it; a message (message.c) is a row too, whose content
 * is an IMessage-on-IStorage kept as the row's blob; tables (storetables.c) are MAPI's own table data over the rows.
 *
 * Lifetime: the logon pair (sample_ms.c) owns the database, the message session and the list of open objects. Every
 * folder, message and table the store hands out is a store_object in that list and holds a reference on the IMsgStore,
 * so the pair's memory outlives them; at logoff each one is closed (it lets go of what it holds of the store's) and
 * answers MAPI_E_END_OF_SESSION from then on, until the client releases it.
 */
#ifndef SAMPLE_STORE_H
#define SAMPLE_STORE_H

#include "sample.h"
#include "mapihost_util.h"

struct sqlite3;

/* storemapi.c: the store's utilities from MAPI, found as a third party finds them (sample_mapi.c). */
struct store_mapi {
    CREATETABLE *create_table;
    SCODE(WINAPI *open_msg_session)(IMalloc *malloc, ULONG flags, LPMSGSESS *session);
    void(WINAPI *close_msg_session)(LPMSGSESS session);
    SCODE(WINAPI *open_msg_on_stg)
    (LPMSGSESS session, LPALLOCATEBUFFER allocate_buffer, LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer,
     IMalloc *malloc, void *support, IStorage *storage, MSGCALLRELEASE *release, ULONG caller_data, ULONG flags,
     IMessage **message);
    SCODE(WINAPI *prop_copy_more)(SPropValue *dest, SPropValue *source, ALLOCATEMORE *allocate_more, void *base);
};
extern struct store_mapi store_mapi;
HRESULT store_mapi_load(void);

/* The well-known folders, made at the first logon; their IDs are kept in the database. */
enum store_role { ROLE_ROOT, ROLE_IPM, ROLE_INBOX, ROLE_OUTBOX, ROLE_SENT, ROLE_DELETED, ROLE_DRAFTS, ROLE_COUNT };

/* storedb.c: one logon's view of a store's database. The process has one connection to each store file, which its
 * logons share (docs/message-store.md, "One connection per process"). */
struct storefile;
struct storedb {
    struct sqlite3 *db;     /* the file's connection; NULL once this logon has closed it */
    CRITICAL_SECTION *lock; /* the file's: every statement runs under it, a transaction from begin to its end */
    struct storefile *file;
    MAPIUID uid; /* the store's own MAPIUID, long-term: it is in every entry ID the store makes */
    LONGLONG roles[ROLE_COUNT];
    char path[MAX_PATH];
    BOOL relaxed; /* the spooler's logon: a commit waits for the disk only when begun durable */
};
HRESULT storedb_open(struct storedb *db, const char *path, IMAPISupport *support);
void storedb_close(struct storedb *db);
/* The MAPI error for SQLite's result: MAPI_E_NOT_ENOUGH_DISK, MAPI_E_CORRUPT_STORE, ... (traced with the reason). */
HRESULT storedb_error(struct storedb *db, int result, const char *what);
/* A write transaction: begin, then commit or roll back. Holds *db->lock from begin to the end. */
HRESULT storedb_begin(struct storedb *db);
HRESULT storedb_commit(struct storedb *db);
void storedb_rollback(struct storedb *db);
/* A write transaction whose commit waits for the disk even on a relaxed logon. */
HRESULT storedb_begin_durable(struct storedb *db);
/* The spooler's logon (docs/message-store.md, "What waits for the disk"): its commits are written to the log in
 * order but not flushed, but for those begun with storedb_begin_durable. */
void storedb_relax(struct storedb *db);
/* A prepared statement, bound from a format: 'i' LONGLONG, 'l' ULONG, 't' WCHAR* (NULL binds NULL), 'b' const void*
 * with ULONG size before it. NULL on failure, with *hr set. The caller holds *db->lock until it finalizes it. */
struct sqlite3_stmt *storedb_prepare(struct storedb *db, HRESULT *hr, const char *sql, const char *format, ...);
/* Runs a statement that returns no rows, and finalizes it. */
HRESULT storedb_exec(struct storedb *db, const char *sql, const char *format, ...);
/* A single integer from a query (a count, an ID); def when there is no row. */
LONGLONG storedb_integer(struct storedb *db, LONGLONG def, const char *sql, const char *format, ...);

/* storeids.c: entry IDs of the store's folders and messages: four flag bytes (0: long-term), the store's MAPIUID, the
 * kind of object, its row ID in the database. */
enum store_kind {
    KIND_FOLDER = 1,
    KIND_MESSAGE = 2,
    KIND_CONTENTS = 3 /* never in an entry ID: store_changed of a folder's contents as a whole (bulk deletes) */
};
struct store_entry_id {
    BYTE flags[4];
    MAPIUID store;
    ULONG kind;
    ULONG id;
};
void storeid_make(const struct storedb *db, ULONG kind, LONGLONG id, struct store_entry_id *out);
/* The kind and row ID an entry ID names, if it is the store's; FALSE for anything else. */
BOOL storeid_parse(const struct storedb *db, ULONG size, const ENTRYID *entry_id, ULONG *kind, LONGLONG *id);
/* A binary property value for an entry ID, over *storage. */
void storeid_value(SPropValue *value, ULONG tag, const struct storedb *db, ULONG kind, LONGLONG id,
                   struct store_entry_id *storage);

/* An object the store handed out (store.h's lifetime rule). */
struct store;
struct store_object {
    struct store_object *prev, *next;
    struct store *store;
    void (*close)(struct store_object *object); /* at logoff: release what is the store's */
    BOOL closed;
};

/* The logon pair: IMSLogon for MAPI, IMsgStore for the client (sample_ms.c; IMsgStore in msgstore.c). */
struct ms_provider;
struct store {
    IMSLogon IMSLogon_iface;
    IMsgStore IMsgStore_iface;
    LONG logon_refs, store_refs;  /* freed when both are 0; open objects count as store references */
    struct ms_provider *provider; /* until logoff */
    struct store *next;
    IMAPISupport *support; /* ours until logoff */
    IMAPIStatus *status;
    struct propbag props, status_row;
    ULONG entry_id_size;
    BYTE entry_id[64];
    struct sample_config config;
    struct comment {
        BOOL present;
        char text[256];
    } comment, committed; /* as changed, as SaveChanges left it */
    BOOL unwritten;       /* committed is not in the data file yet */
    char data_path[MAX_PATH];
    BOOL logged_off, storelogoff_called;
    BOOL releasing;    /* inside the store's final Release, where MAPI re-enters (E8) */
    BOOL spooler;      /* the spooler's logon (SpoolerLogon) */
    BOOL sent_checked; /* the spooler's: sent copies left pending by an earlier process are placed (msgstore.c) */
    struct storedb db;
    BOOL db_open;
    LPMSGSESS msg_session; /* every message's IMessage-on-IStorage, closed together at logoff */
    IMalloc *malloc;
    SRWLOCK objects_lock;
    struct store_object *objects; /* open folders, messages and tables */
    struct store_change *changes; /* of the transaction under way: told when it commits (storenotify.c) */
    ULONG change_count, change_capacity;
};

static inline struct store *impl_from_IMsgStore(IMsgStore *iface)
{
    return CONTAINING_RECORD(iface, struct store, IMsgStore_iface);
}

/* sample_ms.c; the vtable in msgstore.c */
#define STORE_METHODS 27 /* IMsgStore's vtable: IUnknown 3, IMAPIProp 11, IMsgStore 13 */
extern const IMsgStoreVtbl store_vtbl;
void store_free_if_unused(struct store *store);
/* The other open logons over the same database (the client's and the spooler's), each with a reference the caller
 * drops with IMsgStore_Release; the caller frees *siblings. */
ULONG store_siblings(struct store *store, struct store ***siblings);
/* Drops one of the pair's counts (logon_refs or store_refs); the shared state goes with the last. */
void store_unref(struct store *store, LONG *refs);
/* DoFastShutdown came: the process is ending, the store calls MAPI no more. */
BOOL store_fast_shut_down(const struct store *store);
/* msgstore.c: OpenEntry of the store's objects, for IMsgStore and IMSLogon. */
HRESULT store_open_entry(struct store *store, ULONG size, const ENTRYID *entry_id, const IID *iid, ULONG flags,
                         ULONG *type, IUnknown **out);
HRESULT store_set_properties(struct store *store);

/* storeobj.c: the list of open objects. */
void store_object_add(struct store *store, struct store_object *object, void (*close)(struct store_object *object));
/* At the object's last Release: out of the list, and the count on the pair dropped. */
void store_object_remove(struct store_object *object);
/* At logoff: every open object closed. */
void store_objects_close(struct store *store);
/* S_OK, or MAPI_E_END_OF_SESSION once the store logged off. */
HRESULT store_object_usable(const struct store_object *object);

/* folder.c */
HRESULT folder_open(struct store *store, LONGLONG id, IMAPIFolder **out);
/* The properties a folder row has, for GetProps and the hierarchy table; *values point into statement storage that
 * lives while the statement does. Returns the count. */
ULONG folder_row_values(struct store *store, struct sqlite3_stmt *row, SPropValue *values,
                        struct store_entry_id ids[3]);
/* The SELECT list folder_row_values reads, and the columns of a hierarchy table. */
extern const char folder_select[];
/* Counts kept right in every folder: called after a change to folder's messages or subfolders. */
void folder_touch(struct store *store, LONGLONG folder);

/* The outgoing queue's column (messages.submit) holds a queued message's PR_SUBMIT_FLAGS. This bit, no flag of MAPI's,
 * marks a message FinishedMsg has finished whose sent copy is not placed yet: out of the queue, but not forgotten if
 * the process dies before DoSentMail moves it (a kill -9 between the two would leave it in the Outbox for good). */
#define SUBMIT_SENT_PENDING 0x40000000
#define SUBMIT_SENT_PENDING_SQL "1073741824"

/* message.c */
HRESULT message_open(struct store *store, LONGLONG id, BOOL modify, IMessage **out);
HRESULT message_create(struct store *store, LONGLONG folder, BOOL associated, IMessage **out);
/* The message's content copied to a new row in folder (CopyMessages); *new_id is its ID. */
HRESULT message_copy_row(struct store *store, LONGLONG id, LONGLONG folder, LONGLONG *new_id);

/* storenames.c: the store's map of named properties, for every object of the store. */
HRESULT storenames_ids(struct store *store, ULONG count, MAPINAMEID **names, ULONG flags, SPropTagArray **tags);
HRESULT storenames_names(struct store *store, SPropTagArray **tags, GUID *guid, ULONG flags, ULONG *count,
                         MAPINAMEID ***names);

/* storenotify.c: Advise and Unadvise on the store's objects, and the notifications of their changes. A change is
 * recorded inside its transaction (store_changed) and told once the transaction commits (store_commit): the object
 * notifications to the advise sinks, and the rows of the open contents and hierarchy tables. A rolled-back change is
 * never told. */
struct store_change {
    ULONG event, kind;
    LONGLONG id, parent, old_id, old_parent;
};
void store_changed(struct store *store, ULONG event, ULONG kind, LONGLONG id, LONGLONG parent, LONGLONG old_id,
                   LONGLONG old_parent);
HRESULT store_commit(struct store *store);
void store_rollback(struct store *store);
/* Commits on success, rolls back on failure; returns the outcome. */
HRESULT store_finish(struct store *store, HRESULT hr);
HRESULT store_advise(struct store *store, ULONG size, const ENTRYID *entry_id, ULONG mask, IMAPIAdviseSink *sink,
                     ULONG_PTR *connection);
HRESULT store_unadvise(struct store *store, ULONG_PTR connection);
/* fnevObjectCreated, fnevObjectModified, fnevObjectDeleted, fnevObjectMoved or fnevObjectCopied of a folder or
 * message (kind) in parent; old_id and old_parent for a copy or a move, else 0. */
void store_notify_object(struct store *store, ULONG event, ULONG kind, LONGLONG id, LONGLONG parent, LONGLONG old_id,
                         LONGLONG old_parent);
void store_notify_new_mail(struct store *store, LONGLONG id, LONGLONG folder, const WCHAR *message_class,
                           ULONG message_flags);

/* storetables.c: tables over the store's rows. */
HRESULT storetable_contents(struct store *store, LONGLONG folder, ULONG flags, IMAPITable **out);
HRESULT storetable_hierarchy(struct store *store, LONGLONG folder, ULONG flags, IMAPITable **out);
HRESULT storetable_receive_folders(struct store *store, ULONG flags, IMAPITable **out);
HRESULT storetable_outgoing_queue(struct store *store, ULONG flags, IMAPITable **out);
/* The open tables brought up to date after a committed change: a message's row in its folder's contents tables, a
 * folder's row in the hierarchy tables (all rows again when the tree changed), a folder's contents tables anew. */
void storetable_message_changed(struct store *store, LONGLONG id, LONGLONG folder);
void storetable_folder_changed(struct store *store, LONGLONG id, BOOL tree_changed);
void storetable_contents_reload(struct store *store, LONGLONG folder);

/* Times: now as a FILETIME in an integer, and back. */
LONGLONG store_now(void);
FILETIME store_filetime(LONGLONG time);

#endif
