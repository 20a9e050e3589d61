/*
 * The sample transport's mail: a drop folder per mailbox, %APPDATA%\mapihost\sample-mail\<mailbox>\. A message sent
 * to a mailbox is a compound file made in memory through OpenIMsgOnIStg, written and flushed under a temporary name
 * and renamed to its final name once complete, so a reader never sees half a message and a crash leaves only a
 * temporary file (cleared at the next logon). Final names begin with the time sent, so the oldest comes first. A
 * message received is copied into the message the spooler gives and saved, and only then is its file deleted: a crash
 * in between delivers it again, and MAPI drops the duplicate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xp.h"

/* What is not the message's own, or is the sending store's: not carried (setting-properties-on-incoming-messages). */
static const SizedSPropTagArray(12, not_carried) = {
    12,
    { PR_ENTRYID, PR_PARENT_ENTRYID, PR_STORE_ENTRYID, PR_STORE_RECORD_KEY, PR_RECORD_KEY, PR_INSTANCE_KEY, PR_ACCESS,
      PR_ACCESS_LEVEL, PR_SUBMIT_FLAGS, PR_MESSAGE_FLAGS, PR_OBJECT_TYPE, PR_PREPROCESS }
};

static struct drop_mapi {
    SCODE(WINAPI *open_msg_session)(IMalloc *malloc, ULONG flags, LPMSGSESS *session);
    void(WINAPI *close_msg_session)(LPMSGSESS session);
    SCODE(WINAPI *open_msg_on_stg)
    (LPMSGSESS session, LPALLOCATEBUFFER allocate_buffer, LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer,
     IMalloc *malloc, void *support, IStorage *storage, MSGCALLRELEASE *release, ULONG caller_data, ULONG flags,
     IMessage **message);
    LPMALLOC(WINAPI *get_malloc)(void);
} mapi;

static BOOL mailbox_path(const char *mailbox, char *path, size_t size)
{
    char base[MAX_PATH];
    DWORD length = GetEnvironmentVariableA("APPDATA", base, sizeof(base));
    const char *c;

    if (!length || length >= sizeof(base) || !*mailbox) return FALSE;
    for (c = mailbox; *c; c++)
        if (strchr("\\/:*?\"<>|", *c)) return FALSE; /* an address is a mailbox name, never a path */
    return (size_t)snprintf(path, size, "%s\\mapihost\\sample-mail\\%s", base, mailbox) < size;
}

HRESULT drop_open(struct drop *drop, const char *mailbox)
{
    static SRWLOCK lock = SRWLOCK_INIT;
    char path[MAX_PATH], *slash;
    HRESULT hr;

    AcquireSRWLockExclusive(&lock);
    if (!mapi.open_msg_on_stg) {
        mapi.open_msg_session = sample_mapi_function("OpenIMsgSession", 12);
        mapi.close_msg_session = sample_mapi_function("CloseIMsgSession", 4);
        mapi.get_malloc = sample_mapi_function("MAPIGetDefaultMalloc", 0);
        if (mapi.open_msg_session && mapi.close_msg_session && mapi.get_malloc)
            mapi.open_msg_on_stg = sample_mapi_function("OpenIMsgOnIStg", 44);
    }
    ReleaseSRWLockExclusive(&lock);
    if (!mapi.open_msg_on_stg) return MAPI_E_CALL_FAILED;
    if (!mailbox_path(mailbox, drop->folder, sizeof(drop->folder))) return MAPI_E_INVALID_PARAMETER;
    /* Every folder on the way, then the mailbox's own. */
    snprintf(path, sizeof(path), "%s", drop->folder);
    for (slash = strchr(path + 3, '\\'); slash; slash = strchr(slash + 1, '\\')) {
        *slash = 0;
        CreateDirectoryA(path, NULL);
        *slash = '\\';
    }
    if (!CreateDirectoryA(drop->folder, NULL) && GetLastError() != ERROR_ALREADY_EXISTS) return MAPI_E_NOT_FOUND;
    drop_sweep(drop, 0);
    drop->malloc = mapi.get_malloc();
    if (FAILED(hr = mapi.open_msg_session(drop->malloc, 0, &drop->session))) return hr;
    return S_OK;
}

void drop_sweep(struct drop *drop, ULONGLONG min_age_ms)
{
    ULONGLONG now, written;
    WIN32_FIND_DATAA found;
    char path[MAX_PATH];
    FILETIME time;
    HANDLE find;

    /* Temporary files are messages a crash cut short: their senders still have them queued. One being written now
     * is open, and cannot be deleted. */
    GetSystemTimeAsFileTime(&time);
    now = ((ULONGLONG)time.dwHighDateTime << 32 | time.dwLowDateTime) / 10000;
    snprintf(path, sizeof(path), "%s\\~*.tmp", drop->folder);
    if ((find = FindFirstFileA(path, &found)) == INVALID_HANDLE_VALUE) return;
    do {
        written = ((ULONGLONG)found.ftLastWriteTime.dwHighDateTime << 32 | found.ftLastWriteTime.dwLowDateTime) / 10000;
        if (now - written < min_age_ms) continue;
        snprintf(path, sizeof(path), "%s\\%s", drop->folder, found.cFileName);
        DeleteFileA(path);
    } while (FindNextFileA(find, &found));
    FindClose(find);
}

void drop_close(struct drop *drop)
{
    if (drop->session) mapi.close_msg_session(drop->session);
    drop->session = NULL;
}

/* An IMessage over a compound file held in memory: made empty, or over the bytes given (which it then owns). The
 * file itself is written or read in one call (file_write, file_read): a compound file kept on disk would be read and
 * written a sector at a time, with a scratch file for its transaction, all of it system calls. */
static HRESULT message_in_memory(struct drop *drop, HGLOBAL bytes_given, ILockBytes **bytes, IStorage **storage,
                                 IMessage **message)
{
    HRESULT hr;

    *storage = NULL;
    *message = NULL;
    if (FAILED(hr = CreateILockBytesOnHGlobal(bytes_given, TRUE, bytes))) {
        if (bytes_given) GlobalFree(bytes_given);
        return hr;
    }
    hr = bytes_given
             ? StgOpenStorageOnILockBytes(*bytes, NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, NULL, 0, storage)
             : StgCreateDocfileOnILockBytes(*bytes, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, storage);
    if (SUCCEEDED(hr)
        && FAILED(hr = mapi.open_msg_on_stg(drop->session, sample_allocate_buffer, sample_allocate_more,
                                            sample_free_buffer, drop->malloc, NULL, *storage, NULL, 0, 0, message))) {
        IStorage_Release(*storage);
        *storage = NULL;
    }
    if (FAILED(hr)) ILockBytes_Release(*bytes);
    return hr;
}

/* The compound file's bytes written to a new file at path and flushed: on disk before it is renamed. */
static HRESULT file_write(ILockBytes *bytes, const char *path)
{
    HGLOBAL global;
    STATSTG stat;
    BOOL written;
    HRESULT hr;

    if (FAILED(hr = ILockBytes_Stat(bytes, &stat, STATFLAG_NONAME))
        || FAILED(hr = GetHGlobalFromILockBytes(bytes, &global)))
        return hr;
    written = sample_write_file(path, CREATE_NEW, GlobalLock(global), stat.cbSize.LowPart);
    GlobalUnlock(global);
    return written ? S_OK : MAPI_E_DISK_ERROR;
}

/* A message file's bytes, whole; STG_E_FILENOTFOUND when it is gone. */
static HRESULT file_read(const char *path, HGLOBAL *global)
{
    HANDLE file = CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD size, done = 0;
    BOOL read;

    if (file == INVALID_HANDLE_VALUE)
        return GetLastError() == ERROR_FILE_NOT_FOUND ? STG_E_FILENOTFOUND : MAPI_E_DISK_ERROR;
    size = GetFileSize(file, NULL);
    if (size == INVALID_FILE_SIZE || !(*global = GlobalAlloc(GMEM_MOVEABLE, size ? size : 1))) {
        CloseHandle(file);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    read = ReadFile(file, GlobalLock(*global), size, &done, NULL) && done == size;
    GlobalUnlock(*global);
    CloseHandle(file);
    if (read) return S_OK;
    GlobalFree(*global);
    return MAPI_E_DISK_ERROR;
}

HRESULT drop_send(struct drop *drop, IMessage *message, const char *mailbox)
{
    static LONG counter;
    char folder[MAX_PATH], temporary[MAX_PATH + 64], final[MAX_PATH + 64];
    ILockBytes *bytes;
    IStorage *storage;
    IMessage *copy;
    FILETIME now;
    HRESULT hr;
    DWORD attributes;

    if (!mailbox_path(mailbox, folder, sizeof(folder))) return MAPI_E_NOT_FOUND;
    attributes = GetFileAttributesA(folder);
    if (attributes == INVALID_FILE_ATTRIBUTES || !(attributes & FILE_ATTRIBUTE_DIRECTORY)) return MAPI_E_NOT_FOUND;
    GetSystemTimeAsFileTime(&now);
    snprintf(temporary, sizeof(temporary), "%s\\~%08lx%08lx-%lu-%ld.tmp", folder, now.dwHighDateTime, now.dwLowDateTime,
             GetCurrentProcessId(), InterlockedIncrement(&counter));
    snprintf(final, sizeof(final), "%s\\%08lx%08lx-%lu-%ld.msg", folder, now.dwHighDateTime, now.dwLowDateTime,
             GetCurrentProcessId(), counter);
    if (FAILED(hr = message_in_memory(drop, NULL, &bytes, &storage, &copy))) return hr;
    if (SUCCEEDED(hr = IMessage_CopyTo(message, 0, NULL, (SPropTagArray *)&not_carried, 0, NULL, &IID_IMessage, copy, 0,
                                       NULL))
        && SUCCEEDED(hr = IMessage_SaveChanges(copy, 0)) && SUCCEEDED(hr = IStorage_Commit(storage, STGC_DEFAULT)))
        hr = file_write(bytes, temporary);
    IMessage_Release(copy);
    IStorage_Release(storage);
    ILockBytes_Release(bytes);
    /* Only a whole message gets its final name; the rename is atomic and written through. */
    if (SUCCEEDED(hr) && !MoveFileExA(temporary, final, MOVEFILE_WRITE_THROUGH)) hr = MAPI_E_DISK_ERROR;
    if (FAILED(hr)) DeleteFileA(temporary);
    return hr;
}

/* The DROP_BATCH oldest message files of the mailbox, sorted: names begin with the time sent. Files that arrive
 * later wait for the next listing. */
static void list_batch(struct drop *drop)
{
    char pattern[MAX_PATH + 8];
    WIN32_FIND_DATAA found;
    HANDLE find;
    ULONG i;

    drop->batch_count = drop->batch_next = 0;
    snprintf(pattern, sizeof(pattern), "%s\\*.msg", drop->folder);
    if ((find = FindFirstFileA(pattern, &found)) == INVALID_HANDLE_VALUE) return;
    do {
        if (strlen(found.cFileName) >= sizeof(drop->batch[0])) continue; /* not a name this transport writes */
        for (i = drop->batch_count; i > 0 && strcmp(found.cFileName, drop->batch[i - 1]) < 0; i--)
            if (i < DROP_BATCH) memcpy(drop->batch[i], drop->batch[i - 1], sizeof(drop->batch[0]));
        if (i == DROP_BATCH) continue; /* newer than every name kept */
        strcpy(drop->batch[i], found.cFileName);
        if (drop->batch_count < DROP_BATCH) drop->batch_count++;
    } while (FindNextFileA(find, &found));
    FindClose(find);
}

/* The oldest message file not yet taken, if any. */
static BOOL oldest(struct drop *drop, char *path, size_t size)
{
    if (drop->batch_next == drop->batch_count) list_batch(drop);
    if (drop->batch_next == drop->batch_count) return FALSE;
    return (size_t)snprintf(path, size, "%s\\%s", drop->folder, drop->batch[drop->batch_next]) < size;
}

BOOL drop_waiting(struct drop *drop)
{
    char path[MAX_PATH + 64];

    return oldest(drop, path, sizeof(path));
}

HRESULT drop_receive(struct drop *drop, IMessage *message)
{
    char path[MAX_PATH + 64];
    ILockBytes *bytes;
    IStorage *storage;
    HGLOBAL global;
    IMessage *file;
    SPropValue values[2];
    HRESULT hr;

    do {
        if (!oldest(drop, path, sizeof(path))) return S_FALSE;
        hr = file_read(path, &global);
        if (hr == STG_E_FILENOTFOUND) drop->batch_next++; /* taken since the listing */
    } while (hr == STG_E_FILENOTFOUND);
    if (FAILED(hr) || FAILED(hr = message_in_memory(drop, global, &bytes, &storage, &file))) return hr;
    hr = IMessage_CopyTo(file, 0, NULL, (SPropTagArray *)&not_carried, 0, NULL, &IID_IMessage, message, 0, NULL);
    IMessage_Release(file);
    IStorage_Release(storage);
    ILockBytes_Release(bytes);
    if (FAILED(hr)) return hr;
    values[0].ulPropTag = PR_MESSAGE_FLAGS;
    values[0].Value.l = 0; /* unread, and sent */
    values[1].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
    GetSystemTimeAsFileTime(&values[1].Value.ft);
    if (FAILED(hr = IMessage_SetProps(message, 2, values, NULL)) || FAILED(hr = IMessage_SaveChanges(message, 0)))
        return hr;
    /* Saved in the store: the file can go. */
    DeleteFileA(path);
    drop->batch_next++;
    return S_OK;
}
