/*
 * Keeps Wine's server and services up for a whole ctest run (tests/wine_session.cmake): it waits while the file named
 * by its argument exists (an hour at most). Wine starts its services with the first program of a server and they
 * inherit that program's standard handles; were that a test under ctest, ctest would wait on its output pipe until
 * the services left. Started first, with its output going nowhere, this program owns them instead.
 */
#include <windows.h>

int main(int argc, char **argv)
{
    ULONGLONG start = GetTickCount64();

    if (argc != 2) return 2;
    while (GetFileAttributesA(argv[1]) != INVALID_FILE_ATTRIBUTES && GetTickCount64() - start < 3600 * 1000) Sleep(250);
    return 0;
}
