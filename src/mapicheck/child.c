/*
 * mapicheck's own child processes: the fast path's process (fast_mode.c) and another process's session over the same
 * profile (store_mode.c). A child is waited for at most CHILD_TIMEOUT_MS: one whose provider hangs (a store that
 * another process keeps, a deadlock) is ended and reported, so that mapicheck itself never waits for ever.
 */
#include <stdio.h>

#include "mapicheck.h"

#define CHILD_TIMEOUT_MS 120000

DWORD child_wait(PROCESS_INFORMATION *process, const char *what)
{
    DWORD code = RESULT_FAIL;

    if (WaitForSingleObject(process->hProcess, CHILD_TIMEOUT_MS) == WAIT_TIMEOUT) {
        printf("mapicheck: %s has not ended within %d s: it is ended, and counts as failed\n", what,
               CHILD_TIMEOUT_MS / 1000);
        TerminateProcess(process->hProcess, RESULT_FAIL);
        WaitForSingleObject(process->hProcess, INFINITE);
    } else if (!GetExitCodeProcess(process->hProcess, &code))
        code = RESULT_FAIL;
    CloseHandle(process->hProcess);
    CloseHandle(process->hThread);
    return code;
}
