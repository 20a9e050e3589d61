/*
 * The profile folder (stored.h): where named profiles live (MAPIHOST_PROFILE_DIR, else %APPDATA%\mapihost\profiles),
 * a name's file there, and the default profile's name (a file in that folder).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "filetext.h"
#include "stored.h"

/* An environment variable in the process's code page, read wide: Wine's 8-bit GetEnvironmentVariable cuts a value
 * short by a byte for each character that takes more than one byte in a UTF-8 code page. */
static BOOL environment_text(const char *name, char *text, size_t size)
{
    WCHAR wide_name[64], value[MAX_PATH];
    DWORD length;

    if (!MultiByteToWideChar(CP_ACP, 0, name, -1, wide_name, ARRAYSIZE(wide_name))) return FALSE;
    length = GetEnvironmentVariableW(wide_name, value, ARRAYSIZE(value));
    return length && length < ARRAYSIZE(value)
           && WideCharToMultiByte(CP_ACP, 0, value, -1, text, (int)size, NULL, NULL) > 1;
}

BOOL proffolder_path(char *folder, size_t size)
{
    char appdata[MAX_PATH];

    if (environment_text("MAPIHOST_PROFILE_DIR", folder, size)) return TRUE;
    if (!environment_text("APPDATA", appdata, sizeof(appdata))) return FALSE;
    return (size_t)snprintf(folder, size, "%s\\mapihost\\profiles", appdata) < size;
}

BOOL proffolder_file_for(const char *name, char *path, size_t size)
{
    char folder[MAX_PATH];

    if (!proffolder_path(folder, sizeof(folder))) return FALSE;
    return (size_t)snprintf(path, size, "%s\\%s.inf", folder, name) < size;
}

static BOOL default_file(char *path, size_t size)
{
    char folder[MAX_PATH];

    return proffolder_path(folder, sizeof(folder))
           && (size_t)snprintf(path, size, "%s\\default-profile.txt", folder) < size;
}

BOOL proffolder_default_name(char *name, size_t size)
{
    char path[MAX_PATH];
    size_t length;
    HRESULT hr;
    char *text;

    if (!default_file(path, sizeof(path)) || !(text = filetext_read(path, &length, &hr))) return FALSE;
    length = strcspn(text, "\r\n");
    text[length] = 0;
    if (!length || length >= size) {
        free(text);
        return FALSE;
    }
    memcpy(name, text, length + 1);
    free(text);
    return TRUE;
}

HRESULT proffolder_set_default_name(const char *name)
{
    char path[MAX_PATH], text[cchProfileNameMax + 4];
    int length;

    if (!default_file(path, sizeof(path))) return MAPI_E_NOT_FOUND;
    if (!name) return DeleteFileA(path) || GetLastError() == ERROR_FILE_NOT_FOUND ? S_OK : MAPI_E_NO_ACCESS;
    length = snprintf(text, sizeof(text), "%s\n", name);
    return profwrite_atomic(path, text, length);
}
