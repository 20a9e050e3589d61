/* The file cache: a few entries, each the text of one file and what its attributes were just before it was read.
 * A change made while the file was being read leaves newer attributes on the file, so it is read again next time. */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "filetext.h"

#define ENTRIES 8

struct cached {
    char *path;
    WIN32_FILE_ATTRIBUTE_DATA stamp;
    char *text;
    size_t length;
};

static SRWLOCK lock = SRWLOCK_INIT;
static struct cached cache[ENTRIES];
static ULONG next_victim;

static BOOL same_stamp(const WIN32_FILE_ATTRIBUTE_DATA *a, const WIN32_FILE_ATTRIBUTE_DATA *b)
{
    return a->nFileSizeLow == b->nFileSizeLow && a->nFileSizeHigh == b->nFileSizeHigh
           && !memcmp(&a->ftLastWriteTime, &b->ftLastWriteTime, sizeof(FILETIME))
           && !memcmp(&a->ftCreationTime, &b->ftCreationTime, sizeof(FILETIME));
}

static char *copy_text(const char *text, size_t length)
{
    char *copy = malloc(length + 1);

    if (copy) memcpy(copy, text, length + 1);
    return copy;
}

static char *read_file(const char *path, size_t *length, HRESULT *hr)
{
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                              OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD size, done = 0;
    char *text;

    if (file == INVALID_HANDLE_VALUE) {
        *hr = MAPI_E_NOT_FOUND;
        return NULL;
    }
    size = GetFileSize(file, NULL);
    if (size == INVALID_FILE_SIZE || !(text = malloc(size + 1)) || !ReadFile(file, text, size, &done, NULL)
        || done != size) {
        CloseHandle(file);
        *hr = MAPI_E_CORRUPT_DATA;
        return NULL;
    }
    CloseHandle(file);
    text[size] = 0;
    *length = size;
    *hr = S_OK;
    return text;
}

static void forget(struct cached *entry)
{
    free(entry->path);
    free(entry->text);
    memset(entry, 0, sizeof(*entry));
}

char *filetext_read(const char *path, size_t *length, HRESULT *hr)
{
    WIN32_FILE_ATTRIBUTE_DATA stamp;
    struct cached *entry = NULL;
    char *text = NULL;
    ULONG i;

    if (!GetFileAttributesExA(path, GetFileExInfoStandard, &stamp)) {
        *hr = MAPI_E_NOT_FOUND;
        return NULL;
    }
    AcquireSRWLockShared(&lock);
    for (i = 0; i < ENTRIES; i++)
        if (cache[i].path && !_stricmp(cache[i].path, path) && same_stamp(&cache[i].stamp, &stamp)) {
            if ((text = copy_text(cache[i].text, cache[i].length))) *length = cache[i].length;
            break;
        }
    ReleaseSRWLockShared(&lock);
    if (text) {
        *hr = S_OK;
        return text;
    }

    if (!(text = read_file(path, length, hr))) return NULL;
    AcquireSRWLockExclusive(&lock);
    for (i = 0; i < ENTRIES && !entry; i++)
        if (cache[i].path && !_stricmp(cache[i].path, path)) entry = &cache[i];
    if (!entry) entry = &cache[next_victim++ % ENTRIES];
    forget(entry);
    if ((entry->path = _strdup(path)) && (entry->text = copy_text(text, *length))) {
        entry->stamp = stamp;
        entry->length = *length;
    } else
        forget(entry);
    ReleaseSRWLockExclusive(&lock);
    return text;
}
