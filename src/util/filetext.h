/*
 * Whole text files read through a small in-process cache: a file whose size and times have not changed since it was
 * last read is not read again. A profile is read at every MAPILogonEx and before every write; under Wine opening and
 * reading it cost more than the rest of a logon (P1). The cache is plain heap memory (no MAPI buffers), up
 * to eight files, for the life of the process.
 */
#ifndef MAPIHOST_FILETEXT_H
#define MAPIHOST_FILETEXT_H

#include <windows.h>

/* The whole file, NUL-terminated, for the caller to free(); NULL with *hr MAPI_E_NOT_FOUND when it does not exist,
 * MAPI_E_CORRUPT_DATA when it cannot be read. */
char *filetext_read(const char *path, size_t *length, HRESULT *hr);

#endif
