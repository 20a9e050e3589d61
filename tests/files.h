/* Files the tests and benchmarks leave behind, deleted in their own process. */
#ifndef MAPIHOST_FILES_H
#define MAPIHOST_FILES_H

#include <stdio.h>
#include <windows.h>

/* Deletes the files of folder that match pattern ("*": all), and with remove the folder too, which holds no folders.
 * In the caller's own process: a "cmd /c del" child could fail to start on a loaded machine. */
static inline void delete_files_in(const char *folder, const char *pattern, BOOL remove)
{
    WIN32_FIND_DATAA found;
    char path[2 * MAX_PATH];
    HANDLE find;

    snprintf(path, sizeof(path), "%s\\%s", folder, pattern);
    if ((find = FindFirstFileA(path, &found)) != INVALID_HANDLE_VALUE) {
        do {
            snprintf(path, sizeof(path), "%s\\%s", folder, found.cFileName);
            if (!(found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) DeleteFileA(path);
        } while (FindNextFileA(find, &found));
        FindClose(find);
    }
    if (remove) RemoveDirectoryA(folder);
}

#endif
