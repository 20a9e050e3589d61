/* Fuzz target "profile": a profile file's text, as MAPILogonEx reads it (proffile.c over ini.c and proptext.c); a text
 * the reader takes must be written back as a text it takes again, the same (the profile writer's round trip). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "memprofile.h"

static void run(const BYTE *data, size_t size)
{
    struct profstore *store = memprofile_new();
    char *text = malloc(size + 1);
    BOOL changed = FALSE;

    if (!store || !text) {
        free(text);
        if (store) memprofile_free(store);
        return;
    }
    memcpy(text, data, size);
    text[size] = 0;
    if (proffile_parse(store, text, &changed)) memprofile_check_round_trip(store, "a profile read");
    free(text);
    memprofile_free(store);
}

static const char *const dictionary[] = {
    "[",
    "]",
    "\n",
    "\r\n",
    " = ",
    "=",
    ";",
    ",",
    "\"",
    "\\",
    "0x",
    "{",
    "}",
    "[Services]\n",
    "[Profile]\n",
    "Providers = ",
    "Sections = ",
    "PR_DISPLAY_NAME",
    "PR_PROVIDER_DLL_NAME = x.dll\n",
    "PR_RESOURCE_TYPE = ",
    "MAPI_AB_PROVIDER",
    "MAPI_STORE_PROVIDER",
    "MAPI_TRANSPORT_PROVIDER",
    "PR_SERVICE_NAME",
    "PR_SERVICE_UID",
    "PR_PROVIDER_UID",
    "PR_ENTRYID",
    "PR_RESOURCE_FLAGS",
    "SERVICE_SINGLE_COPY",
    "STATUS_DEFAULT_STORE",
    "6600001F",
    "66000003",
    "66000102",
    "66000040",
    "66000048",
    "6600000B",
    "66001003",
    "6600101F",
    "00112233445566778899AABBCCDDEEFF",
    "TRUE",
    "FALSE",
    "-1",
    "4294967296",
    "2026-12-06 10:00:00",
    "_W",
    "_A",
    "|",
    NULL,
};

const struct fuzz_target fuzz_profile_target = { "profile", run, dictionary };
