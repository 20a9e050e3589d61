/*
 * One store's database: an SQLite file in WAL mode with full sync, so a transaction that returned is on disk and a
 * half-done one is never seen, whatever kills the process (docs/message-store.md). The process opens each file once,
 * in exclusive locking mode, and its logons share the connection: SQLite then takes its file locks once, not at
 * every transaction, and under Wine each lock is a call to wineserver. The first logon makes the schema,
 * the store's MAPIUID and its well-known folders in one transaction; later logons check the file is a store of ours.
 * Errors become MAPI's: a full disk MAPI_E_NOT_ENOUGH_DISK, a damaged or foreign file MAPI_E_CORRUPT_STORE, each
 * traced with SQLite's reason.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3.h"
#include "store.h"

#define STORE_FORMAT "mapihost sample store 1"
/* How long a logon waits for another process to let go of the store before it fails with MAPI_E_BUSY: one that is
 * logging off lets go within it. */
#define BUSY_MS 10000

/* PR_SEARCH_KEY and PR_INTERNET_MESSAGE_ID, by folder: how MAPI finds a message delivered twice. */
#define MESSAGE_KEY_INDEXES                                                                                            \
    "CREATE INDEX IF NOT EXISTS message_search_key ON messages(folder, search_key) WHERE search_key IS NOT NULL;"      \
    "CREATE INDEX IF NOT EXISTS message_internet_id ON messages(folder, message_id) WHERE message_id IS NOT NULL;"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS folders(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " parent INTEGER REFERENCES folders(id), type INTEGER NOT NULL, name TEXT NOT NULL, comment TEXT, class TEXT,"
    " created INTEGER NOT NULL, modified INTEGER NOT NULL, sort BLOB, role INTEGER UNIQUE);"
    "CREATE UNIQUE INDEX IF NOT EXISTS folder_names ON folders(parent, name COLLATE NOCASE);"
    "CREATE TABLE IF NOT EXISTS messages(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " folder INTEGER NOT NULL REFERENCES folders(id), associated INTEGER NOT NULL, flags INTEGER NOT NULL,"
    " status INTEGER NOT NULL DEFAULT 0, submit INTEGER, subject TEXT, class TEXT, sender TEXT, display_to TEXT,"
    " display_cc TEXT, display_bcc TEXT, delivered INTEGER, submitted INTEGER, created INTEGER, modified INTEGER,"
    " importance INTEGER, priority INTEGER, size INTEGER NOT NULL, hasattach INTEGER NOT NULL, content BLOB,"
    " search_key BLOB, message_id TEXT);"
    "CREATE INDEX IF NOT EXISTS message_order ON messages(folder, associated, delivered);"
    "CREATE INDEX IF NOT EXISTS message_modified ON messages(folder, associated, modified);"
    "CREATE INDEX IF NOT EXISTS outgoing ON messages(submit) WHERE submit IS NOT NULL;" MESSAGE_KEY_INDEXES
    "CREATE TABLE IF NOT EXISTS receive(class TEXT PRIMARY KEY COLLATE NOCASE, folder INTEGER NOT NULL"
    " REFERENCES folders(id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS names(id INTEGER PRIMARY KEY AUTOINCREMENT, guid BLOB NOT NULL,"
    " kind INTEGER NOT NULL, lid INTEGER, name TEXT, UNIQUE(guid, kind, lid, name));";

/* The well-known folders: role, parent role, name, container class. */
static const struct well_known {
    enum store_role role, parent;
    const WCHAR *name;
} well_known[] = {
    { ROLE_IPM, ROLE_ROOT, L"Top of Information Store" },
    { ROLE_INBOX, ROLE_IPM, L"Inbox" },
    { ROLE_OUTBOX, ROLE_IPM, L"Outbox" },
    { ROLE_SENT, ROLE_IPM, L"Sent Items" },
    { ROLE_DELETED, ROLE_IPM, L"Deleted Items" },
    { ROLE_DRAFTS, ROLE_IPM, L"Drafts" },
};

LONGLONG store_now(void)
{
    FILETIME now;

    GetSystemTimeAsFileTime(&now);
    return (LONGLONG)now.dwHighDateTime << 32 | now.dwLowDateTime;
}

FILETIME store_filetime(LONGLONG time)
{
    FILETIME result = { (DWORD)time, (DWORD)((ULONGLONG)time >> 32) };

    return result;
}

HRESULT storedb_error(struct storedb *db, int result, const char *what)
{
    HRESULT hr;

    switch (result & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW: return S_OK;
    case SQLITE_FULL: hr = MAPI_E_NOT_ENOUGH_DISK; break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: hr = MAPI_E_CORRUPT_STORE; break;
    case SQLITE_NOMEM: hr = MAPI_E_NOT_ENOUGH_MEMORY; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: hr = MAPI_E_BUSY; break;
    case SQLITE_READONLY:
    case SQLITE_PERM: hr = MAPI_E_NO_ACCESS; break;
    case SQLITE_CONSTRAINT: hr = MAPI_E_COLLISION; break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN: hr = MAPI_E_DISK_ERROR; break;
    default: hr = MAPI_E_CALL_FAILED; break;
    }
    sample_trace("store %s: %s: %s (SQLite %d) -> %#lx", db->path, what, db->db ? sqlite3_errmsg(db->db) : "", result,
                 (unsigned long)hr);
    return hr;
}

static BOOL bind_all(struct sqlite3_stmt *statement, const char *format, va_list args)
{
    int i, result = SQLITE_OK;
    const WCHAR *text;
    ULONG size;

    for (i = 0; format && format[i] && result == SQLITE_OK; i++) switch (format[i]) {
        case 'i': result = sqlite3_bind_int64(statement, i + 1, va_arg(args, LONGLONG)); break;
        case 'l': result = sqlite3_bind_int64(statement, i + 1, va_arg(args, ULONG)); break;
        case 't':
            text = va_arg(args, const WCHAR *);
            result = text ? sqlite3_bind_text16(statement, i + 1, text, -1, SQLITE_TRANSIENT)
                          : sqlite3_bind_null(statement, i + 1);
            break;
        case 'b':
            size = va_arg(args, ULONG);
            result = sqlite3_bind_blob(statement, i + 1, va_arg(args, const void *), size, SQLITE_TRANSIENT);
            break;
        }
    return result == SQLITE_OK;
}

/* The process's connection to a store file. Kept once made, closed when its last logon closes it, so that a logon
 * that outlives its connection still finds a lock to take (and answers MAPI_E_END_OF_SESSION). */
struct storefile {
    struct storefile *next;
    char path[MAX_PATH];
    struct sqlite3 *db;
    CRITICAL_SECTION lock;
    LONG logons;
    BOOL full; /* synchronous=FULL now, or NORMAL */
};

static struct storefile *files;
static SRWLOCK files_lock = SRWLOCK_INIT;

/* At the DLL's unload (a provider DLL is loaded and freed once per MAPI session) the files no logon has open go, each
 * with its lock, and with none left SQLite's own state (its mutexes, caches and file-system records, which it keeps
 * until sqlite3_shutdown): kept, they grew the process by about 1.2 KB per session (P4). */
static void __attribute__((destructor)) free_files(void)
{
    struct storefile **cursor = &files, *file;

    while ((file = *cursor)) {
        if (file->db) {
            cursor = &file->next; /* still open: a process ending without logging off */
            continue;
        }
        *cursor = file->next;
        DeleteCriticalSection(&file->lock);
        free(file);
    }
    if (!files) sqlite3_shutdown();
}

/* The connection's safety level for the next commit, FULL or NORMAL, changed only when it differs (the lock held). */
static void set_level(struct storedb *db, BOOL full)
{
    if (db->file->full == full) return;
    if (sqlite3_exec(db->db, full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", NULL, NULL, NULL)
        == SQLITE_OK)
        db->file->full = full;
}

static struct sqlite3_stmt *prepare_v(struct storedb *db, HRESULT *hr, const char *sql, const char *format,
                                      va_list args)
{
    struct sqlite3_stmt *statement = NULL;
    int result;

    if (!db->db) {
        *hr = MAPI_E_END_OF_SESSION;
        return NULL;
    }
    if ((result = sqlite3_prepare_v2(db->db, sql, -1, &statement, NULL)) != SQLITE_OK) {
        *hr = storedb_error(db, result, sql);
        return NULL;
    }
    if (!bind_all(statement, format, args)) {
        *hr = storedb_error(db, sqlite3_errcode(db->db), sql);
        sqlite3_finalize(statement);
        return NULL;
    }
    *hr = S_OK;
    return statement;
}

struct sqlite3_stmt *storedb_prepare(struct storedb *db, HRESULT *hr, const char *sql, const char *format, ...)
{
    struct sqlite3_stmt *statement;
    va_list args;

    va_start(args, format);
    statement = prepare_v(db, hr, sql, format, args);
    va_end(args);
    return statement;
}

HRESULT storedb_exec(struct storedb *db, const char *sql, const char *format, ...)
{
    struct sqlite3_stmt *statement;
    va_list args;
    HRESULT hr;
    int result;

    if (!db->lock) return MAPI_E_END_OF_SESSION;
    EnterCriticalSection(db->lock);
    va_start(args, format);
    statement = prepare_v(db, &hr, sql, format, args);
    va_end(args);
    if (statement) {
        /* A write outside a transaction is one: it waits for the disk as this logon's commits do. */
        if (sqlite3_get_autocommit(db->db) && !sqlite3_stmt_readonly(statement)) set_level(db, !db->relaxed);
        result = sqlite3_step(statement);
        sqlite3_finalize(statement);
        hr = result == SQLITE_DONE || result == SQLITE_ROW ? S_OK : storedb_error(db, result, sql);
    }
    LeaveCriticalSection(db->lock);
    return hr;
}

LONGLONG storedb_integer(struct storedb *db, LONGLONG def, const char *sql, const char *format, ...)
{
    struct sqlite3_stmt *statement;
    LONGLONG value = def;
    va_list args;
    HRESULT hr;

    if (!db->lock) return def;
    EnterCriticalSection(db->lock);
    va_start(args, format);
    statement = prepare_v(db, &hr, sql, format, args);
    va_end(args);
    if (statement && sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_type(statement, 0) != SQLITE_NULL)
        value = sqlite3_column_int64(statement, 0);
    if (statement) sqlite3_finalize(statement);
    LeaveCriticalSection(db->lock);
    return value;
}

static HRESULT begin(struct storedb *db, BOOL durable)
{
    HRESULT hr;

    if (!db->lock) return MAPI_E_END_OF_SESSION;
    EnterCriticalSection(db->lock);
    set_level(db, durable || !db->relaxed); /* SQLite changes it only between transactions */
    if (FAILED(hr = storedb_exec(db, "BEGIN IMMEDIATE", NULL))) LeaveCriticalSection(db->lock);
    return hr;
}

HRESULT storedb_begin(struct storedb *db)
{
    return begin(db, FALSE);
}

HRESULT storedb_begin_durable(struct storedb *db)
{
    return begin(db, TRUE);
}

HRESULT storedb_commit(struct storedb *db)
{
    HRESULT hr = storedb_exec(db, "COMMIT", NULL);

    if (FAILED(hr)) storedb_exec(db, "ROLLBACK", NULL);
    LeaveCriticalSection(db->lock);
    return hr;
}

void storedb_rollback(struct storedb *db)
{
    storedb_exec(db, "ROLLBACK", NULL);
    LeaveCriticalSection(db->lock);
}

/* WAL with synchronous=NORMAL: a commit is appended to the log, which a later synced commit (or a checkpoint)
 * flushes with everything before it (storedb_begin_durable asks for one). A process killed at any moment loses none of
 * it (the system has the writes); a machine that loses power may lose the last of them, never a part of one, and never
 * one without those before. */
void storedb_relax(struct storedb *db)
{
    db->relaxed = TRUE;
}

static HRESULT add_folder(struct storedb *db, LONGLONG parent, ULONG type, const WCHAR *name, enum store_role role)
{
    LONGLONG now = store_now();
    HRESULT hr;

    hr = parent
             ? storedb_exec(db, "INSERT INTO folders(parent, type, name, created, modified, role) VALUES(?,?,?,?,?,?)",
                            "iltiil", parent, type, name, now, now, (ULONG)role)
             : storedb_exec(db, "INSERT INTO folders(type, name, created, modified, role) VALUES(?,?,?,?,?)", "ltiil",
                            type, name, now, now, (ULONG)role);
    if (SUCCEEDED(hr)) db->roles[role] = sqlite3_last_insert_rowid(db->db);
    return hr;
}

/* The first logon's work: a MAPIUID, the folders, the receive folders. Inside the schema's transaction. */
static HRESULT make_store(struct storedb *db, IMAPISupport *support)
{
    HRESULT hr;
    size_t i;

    if (FAILED(hr = IMAPISupport_NewUID(support, &db->uid))
        || FAILED(hr = storedb_exec(db, "INSERT INTO meta VALUES('format', ?)", "b", (ULONG)strlen(STORE_FORMAT),
                                    STORE_FORMAT))
        || FAILED(hr = storedb_exec(db, "INSERT INTO meta VALUES('uid', ?)", "b", (ULONG)sizeof(db->uid), &db->uid))
        || FAILED(hr = add_folder(db, 0, FOLDER_ROOT, L"", ROLE_ROOT)))
        return hr;
    for (i = 0; i < ARRAYSIZE(well_known); i++)
        if (FAILED(hr = add_folder(db, db->roles[well_known[i].parent], FOLDER_GENERIC, well_known[i].name,
                                   well_known[i].role)))
            return hr;
    if (FAILED(hr = storedb_exec(db, "INSERT INTO receive VALUES('', ?), ('IPM', ?), ('IPC', ?)", "iii",
                                 db->roles[ROLE_INBOX], db->roles[ROLE_INBOX], db->roles[ROLE_ROOT])))
        return hr;
    return S_OK;
}

/* A store made before: its format, its MAPIUID and its folders' IDs. */
static HRESULT read_store(struct storedb *db)
{
    struct sqlite3_stmt *statement;
    BOOL format_ok = FALSE, uid_ok = FALSE;
    HRESULT hr;
    int role;

    if (!(statement = storedb_prepare(db, &hr, "SELECT key, value FROM meta", NULL))) return hr;
    while (sqlite3_step(statement) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(statement, 0);
        const void *value = sqlite3_column_blob(statement, 1);
        int size = sqlite3_column_bytes(statement, 1);
        if (!strcmp(key, "format"))
            format_ok = size == (int)strlen(STORE_FORMAT) && !memcmp(value, STORE_FORMAT, size);
        else if (!strcmp(key, "uid") && size == sizeof(db->uid)) {
            memcpy(&db->uid, value, size);
            uid_ok = TRUE;
        }
    }
    sqlite3_finalize(statement);
    if (!format_ok || !uid_ok) {
        sample_trace("store %s: not a store of this provider (format or MAPIUID missing)", db->path);
        return MAPI_E_CORRUPT_STORE;
    }
    for (role = 0; role < ROLE_COUNT; role++)
        if (!(db->roles[role] = storedb_integer(db, 0, "SELECT id FROM folders WHERE role = ?", "l", (ULONG)role))) {
            sample_trace("store %s: its folder of role %d is missing", db->path, role);
            return MAPI_E_CORRUPT_STORE;
        }
    return S_OK;
}

/* A store made before messages kept their search key and Internet message ID gets the columns, empty, and their
 * indexes. */
static HRESULT upgrade(struct storedb *db)
{
    int result;

    if (storedb_integer(db, 0, "SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'search_key'", NULL))
        return S_OK;
    result = sqlite3_exec(db->db,
                          "ALTER TABLE messages ADD COLUMN search_key BLOB;"
                          "ALTER TABLE messages ADD COLUMN message_id TEXT;" MESSAGE_KEY_INDEXES,
                          NULL, NULL, NULL);
    return result == SQLITE_OK ? S_OK : storedb_error(db, result, "adding the message key columns");
}

/* The process's connection to path, opened if it is not: exclusive locking before the first read, so that SQLite keeps
 * the WAL's index in memory and takes the file's locks once (another process then waits, and fails with
 * MAPI_E_BUSY). */
static HRESULT open_file(struct storedb *db, const char *path)
{
    struct storefile *file;
    WCHAR wide[MAX_PATH];
    int result = SQLITE_OK;

    AcquireSRWLockExclusive(&files_lock);
    for (file = files; file && _stricmp(file->path, path); file = file->next)
        ;
    if (!file && (file = calloc(1, sizeof(*file)))) {
        snprintf(file->path, sizeof(file->path), "%s", path);
        InitializeCriticalSection(&file->lock);
        file->next = files;
        files = file;
    }
    if (file && !file->db) {
        MultiByteToWideChar(CP_ACP, 0, path, -1, wide, ARRAYSIZE(wide));
        if ((result = sqlite3_open16(wide, &file->db)) == SQLITE_OK) {
            sqlite3_busy_timeout(file->db, BUSY_MS);
            sqlite3_extended_result_codes(file->db, 1);
            result = sqlite3_exec(file->db, "PRAGMA locking_mode=EXCLUSIVE", NULL, NULL, NULL);
            file->full = FALSE; /* not known to be FULL: the first set_level says so */
        }
        if (result != SQLITE_OK && file->db) {
            sqlite3_close_v2(file->db);
            file->db = NULL;
        }
    }
    if (file && file->db) {
        file->logons++;
        db->file = file;
        db->db = file->db;
        db->lock = &file->lock;
    }
    ReleaseSRWLockExclusive(&files_lock);
    if (!file) return MAPI_E_NOT_ENOUGH_MEMORY;
    return result == SQLITE_OK ? S_OK : storedb_error(db, result, "open");
}

HRESULT storedb_open(struct storedb *db, const char *path, IMAPISupport *support)
{
    LONGLONG tables;
    HRESULT hr;
    int result;

    memset(db, 0, sizeof(*db));
    snprintf(db->path, sizeof(db->path), "%s", path);
    if (FAILED(hr = open_file(db, path))) return hr;
    EnterCriticalSection(db->lock);
    set_level(db, TRUE);
    /* A foreign file fails here, on its first read. */
    if (FAILED(hr = storedb_exec(db, "PRAGMA journal_mode=WAL", NULL))
        || FAILED(hr = storedb_exec(db, "PRAGMA foreign_keys=ON", NULL)) || FAILED(hr = storedb_begin(db))) {
        if (hr == MAPI_E_BUSY) sample_trace("store %s: open in another process, which has it to itself", path);
        LeaveCriticalSection(db->lock);
        storedb_close(db);
        return hr;
    }
    LeaveCriticalSection(db->lock);
    tables = storedb_integer(db, -1, "SELECT count(*) FROM sqlite_master WHERE name = 'meta'", NULL);
    if (tables == 0 && storedb_integer(db, 0, "SELECT count(*) FROM sqlite_master", NULL)) {
        sample_trace("store %s: an SQLite database, but not a store", path);
        hr = MAPI_E_CORRUPT_STORE;
    } else if (tables == 0) {
        result = sqlite3_exec(db->db, schema, NULL, NULL, NULL);
        hr = result == SQLITE_OK ? make_store(db, support) : storedb_error(db, result, "making the schema");
    } else if (tables < 0)
        hr = storedb_error(db, sqlite3_errcode(db->db), "reading the schema");
    else if (SUCCEEDED(hr = read_store(db)))
        hr = upgrade(db);
    if (FAILED(hr)) {
        storedb_rollback(db);
        storedb_close(db);
        return hr;
    }
    if (FAILED(hr = storedb_commit(db))) storedb_close(db);
    return hr;
}

void storedb_close(struct storedb *db)
{
    struct storefile *file = db->file;

    if (!file || !db->db) return; /* never opened, or closed already */
    EnterCriticalSection(&file->lock);
    db->db = NULL; /* this logon's objects answer MAPI_E_END_OF_SESSION from now on */
    LeaveCriticalSection(&file->lock);
    /* files_lock is never taken under the file's lock here: a thread inside a transaction (holding the file's lock)
     * may open the store again, which takes files_lock, and the other order would deadlock with it. With no logon
     * left, nothing reaches the connection: closed logons' objects see db->db NULL. */
    AcquireSRWLockExclusive(&files_lock);
    if (!--file->logons) {
        sqlite3_close_v2(file->db);
        file->db = NULL;
    }
    ReleaseSRWLockExclusive(&files_lock);
}
