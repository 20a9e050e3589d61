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

HRESULT profwrite_atomic(const char *path, const char *text, size_t length)
{
    char temp[MAX_PATH + 8];
    char fault[64];
    HANDLE file;
    DWORD done;
    BOOL ok;

    if ((size_t)snprintf(temp, sizeof(temp), "%s.new", path) >= sizeof(temp)) return MAPI_E_INVALID_PARAMETER;
    file = CreateFileA(temp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        event_error(ABOUT_HOST, NULL, "profile %s: cannot write %s (error %lu)", path, temp, GetLastError());
        return MAPI_E_NO_ACCESS;
    }
    ok = WriteFile(file, text, (DWORD)length, &done, NULL) && done == length && FlushFileBuffers(file);
    CloseHandle(file);
    if (!ok) {
        event_error(ABOUT_HOST, NULL, "profile %s: cannot write %s (error %lu); the profile is unchanged", path, temp,
                    GetLastError());
        DeleteFileA(temp);
        return MAPI_E_DISK_ERROR;
    }
    /* The tests' crash between write and replace: the old file must still be whole. */
    if (GetEnvironmentVariableA("MAPIHOST_FAULT", fault, sizeof(fault)) && !strcmp(fault, "profile-before-replace"))
        TerminateProcess(GetCurrentProcess(), 3);
    if (!MoveFileExA(temp, path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
        event_error(ABOUT_HOST, NULL, "profile %s: cannot replace it with %s (error %lu); the profile is unchanged",
                    path, temp, GetLastError());
        DeleteFileA(temp);
        return MAPI_E_NO_ACCESS;
    }
    return S_OK;
}

/* The lock file beside the profile: one process at a time reads, checks and replaces it. It goes with its handle,
 * so a lock held by a process that died is released, and no lock files pile up beside the profiles (a folder full of
 * them made every lookup of a missing file there slow under Wine). */
HANDLE profwrite_lock(const char *path)
{
    char name[MAX_PATH + 8], setting[16];
    DWORD timeout = 5000, waited = 0;
    HANDLE lock;

    if (GetEnvironmentVariableA("MAPIHOST_PROFILE_LOCK_TIMEOUT", setting, sizeof(setting)))
        timeout = strtoul(setting, NULL, 10);
    snprintf(name, sizeof(name), "%s.lock", path);
    for (;;) {
        lock = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE, NULL);
        if (lock != INVALID_HANDLE_VALUE || waited >= timeout) break;
        Sleep(20);
        waited += 20;
    }
    if (lock == INVALID_HANDLE_VALUE)
        event_error(ABOUT_HOST, NULL,
                    "profile %s is locked by another process (%s held for over %lu ms); nothing was written", path,
                    name, timeout);
    return lock;
}
