/*
 * ScLocalPathFromUNC and ScUNCFromLocalPath (spec U94): a path on a network drive in either form, through the drive
 * letters' connections (WNetGetConnection). A path already in the asked-for form is copied with S_FALSE. A UNC path
 * under no connected drive is MAPI_E_NOT_FOUND; a local path that is not on a network drive has no UNC counterpart,
 * which the page lists no code for: MAPI_E_INVALID_PARAMETER, like a malformed path (docs/host-behaviour.md).
 */
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include <winnetwk.h>

MAPIHOST_DEFAULT_DEBUG_CHANNEL(uncpath);

static BOOL is_unc(const char *path)
{
    return path[0] == '\\' && path[1] == '\\';
}

static SCODE copy_path(const char *prefix, size_t prefix_length, const char *rest, LPSTR out, UINT size)
{
    size_t length = prefix_length + strlen(rest);

    if (length + 1 > size) return MAPI_E_TOO_BIG;
    memcpy(out, prefix, prefix_length);
    strcpy(out + prefix_length, rest);
    return S_OK;
}

/* The share a drive letter is connected to ("\\server\share"), or FALSE. */
static BOOL drive_connection(char letter, char *remote, DWORD size)
{
    char drive[3] = { letter, ':', 0 };

    return WNetGetConnectionA(drive, remote, &size) == NO_ERROR;
}

SCODE WINAPI ScLocalPathFromUNC(LPSTR unc, LPSTR local, UINT size)
{
    char remote[MAX_PATH], drive[2];
    size_t length;
    SCODE sc;

    TRACE("(%p, %p, %#lx)\n", unc, local, (unsigned long)size);
    if (!unc || !local || !size) return MAPI_E_INVALID_PARAMETER;
    if (!is_unc(unc)) return (sc = copy_path("", 0, unc, local, size)) == S_OK ? S_FALSE : sc;
    for (drive[0] = 'A', drive[1] = ':'; drive[0] <= 'Z'; drive[0]++) {
        if (!drive_connection(drive[0], remote, sizeof(remote))) continue;
        length = strlen(remote);
        if (!_strnicmp(unc, remote, length) && (!unc[length] || unc[length] == '\\'))
            return copy_path(drive, 2, unc + length, local, size);
    }
    return MAPI_E_NOT_FOUND;
}

SCODE WINAPI ScUNCFromLocalPath(LPSTR local, LPSTR unc, UINT size)
{
    char remote[MAX_PATH];
    SCODE sc;

    TRACE("(%p, %p, %#lx)\n", local, unc, (unsigned long)size);
    if (!local || !unc || !size) return MAPI_E_INVALID_PARAMETER;
    if (is_unc(local)) return (sc = copy_path("", 0, local, unc, size)) == S_OK ? S_FALSE : sc;
    if (!local[0] || local[1] != ':' || !drive_connection(local[0], remote, sizeof(remote)))
        return MAPI_E_INVALID_PARAMETER;
    return copy_path(remote, strlen(remote), local + 2, unc, size);
}
