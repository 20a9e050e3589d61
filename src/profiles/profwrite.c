/*
 * Writing profile files (stored.h): a new file beside the old, flushed, then renamed over it, so a reader sees the
 * old file or the new one and never half of either; and the lock file that lets one process at a time read, check
 * and replace a profile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "stored.h"

/* What a Win32 error means for a profile write: its MAPI code, and the system's words for it in why. */
static HRESULT failure(DWORD error, char *why, size_t size)
{
    size_t length;

    if (!FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, error, 0, why, (DWORD)size,
                        NULL))
        snprintf(why, size, "Win32 error %lu", error);
    for (length = strlen(why); length && strchr("\r\n. ", why[length - 1]); length--) why[length - 1] = 0;
    snprintf(why + strlen(why), size - strlen(why), " (Win32 error %lu)", error);
    switch (error) {
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL: return MAPI_E_NOT_ENOUGH_DISK;
    case ERROR_ACCESS_DENIED:
    case ERROR_WRITE_PROTECT:
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION: return MAPI_E_NO_ACCESS;
    default: return MAPI_E_DISK_ERROR;
    }
}

/* The tests' injected fault (MAPIHOST_FAULT) is this step's: a crash before the replace, or a full disk. */
static BOOL injected(const char *step)
{
    char fault[64];

    return GetEnvironmentVariableA("MAPIHOST_FAULT", fault, sizeof(fault)) && !strcmp(fault, step);
}

/* MoveFileEx over the profile, retried for up to two seconds while another process reads it without sharing its
 * deletion: such a reader has it open for a moment only. (A read-only file, which also answers access denied, was
 * refused before the write.) */
static BOOL replace_file(const char *temp, const char *path)
{
    DWORD waited = 0;

    while (!MoveFileExA(temp, path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
        if ((GetLastError() != ERROR_SHARING_VIOLATION && GetLastError() != ERROR_ACCESS_DENIED) || waited >= 2000)
            return FALSE;
        Sleep(20);
        waited += 20;
    }
    return TRUE;
}

HRESULT profwrite_atomic(const char *path, const char *text, size_t length)
{
    char temp[MAX_PATH + 8], why[256];
    DWORD done, error, attributes = GetFileAttributesA(path);
    HANDLE file;
    HRESULT hr;
    BOOL ok;

    if ((size_t)snprintf(temp, sizeof(temp), "%s.new", path) >= sizeof(temp)) return MAPI_E_INVALID_PARAMETER;
    /* A read-only profile stays as it is, read-only: the user made it so. */
    if (attributes != INVALID_FILE_ATTRIBUTES && attributes & FILE_ATTRIBUTE_READONLY) {
        event_error(ABOUT_HOST, NULL, "profile %s is read-only; the change was not written and the file is unchanged",
                    path);
        return MAPI_E_NO_ACCESS;
    }
    file = CreateFileA(temp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        hr = failure(GetLastError(), why, sizeof(why));
        event_error(ABOUT_HOST, NULL, "profile %s: cannot write %s beside it: %s; the profile is unchanged", path, temp,
                    why);
        return hr;
    }
    ok = WriteFile(file, text, (DWORD)length, &done, NULL) && done == length && FlushFileBuffers(file);
    error = ok ? 0 : GetLastError();
    if (injected("profile-disk-full")) error = ERROR_DISK_FULL;
    CloseHandle(file);
    if (error) {
        hr = failure(error, why, sizeof(why));
        event_error(ABOUT_HOST, NULL, "profile %s: cannot write %s: %s; the profile is unchanged", path, temp, why);
        DeleteFileA(temp);
        return hr;
    }
    /* The tests' crash between write and replace: the old file must still be whole. */
    if (injected("profile-before-replace")) TerminateProcess(GetCurrentProcess(), 3);
    if (!replace_file(temp, path)) {
        hr = failure(GetLastError(), why, sizeof(why));
        event_error(ABOUT_HOST, NULL, "profile %s: cannot replace it with %s: %s; the profile is unchanged", path, temp,
                    why);
        DeleteFileA(temp);
        return hr;
    }
    return S_OK;
}

/* The lock file beside the profile: one process at a time reads, checks and replaces it. It goes with its handle,
 * so a lock held by a process that died is released, and no lock files pile up beside the profiles (a folder full of
 * them made every lookup of a missing file there slow under Wine). Only another process's lock is waited for; a
 * folder that takes no file fails at once, with the reason. */
HANDLE profwrite_lock(const char *path, HRESULT *hr)
{
    char name[MAX_PATH + 8], setting[16], why[256];
    DWORD timeout = 5000, waited = 0, error;
    HANDLE lock;

    if (GetEnvironmentVariableA("MAPIHOST_PROFILE_LOCK_TIMEOUT", setting, sizeof(setting)))
        timeout = strtoul(setting, NULL, 10);
    snprintf(name, sizeof(name), "%s.lock", path);
    for (;;) {
        lock = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE, NULL);
        if (lock != INVALID_HANDLE_VALUE) {
            *hr = S_OK;
            return lock;
        }
        error = GetLastError();
        /* Another process holds the lock (or is letting it go): wait. Anything else will not pass by waiting. */
        if (error != ERROR_SHARING_VIOLATION
            && (error != ERROR_ACCESS_DENIED || GetFileAttributesA(name) == INVALID_FILE_ATTRIBUTES))
            break;
        if (waited >= timeout) {
            event_error(ABOUT_HOST, NULL,
                        "profile %s is locked by another process (%s held for over %lu ms); nothing was written", path,
                        name, timeout);
            *hr = MAPI_E_BUSY;
            return INVALID_HANDLE_VALUE;
        }
        Sleep(20);
        waited += 20;
    }
    *hr = failure(error, why, sizeof(why));
    event_error(ABOUT_HOST, NULL, "profile %s: cannot create its lock file %s: %s; nothing was written", path, name,
                why);
    return INVALID_HANDLE_VALUE;
}
