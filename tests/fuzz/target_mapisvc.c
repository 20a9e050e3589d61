/* Fuzz target "mapisvc": a MAPISVC.INF, as CreateMsgService reads it (mapisvc.c over ini.c and proptext.c): every
 * section's properties; a service's properties the reader takes must make a profile section whose text reads back the
 * same (a MAPISVC.INF can never make a profile unreadable). */
#include <stdlib.h>
#include <string.h>

#include "mapihost_x.h"
#include "mapihost_util.h"
#include "ini.h"
#include "svcentry.h"
#include "fuzz.h"
#include "memprofile.h"

static void parse_error(void *context, int line, const char *message)
{
}

/* The section's accepted properties as a profile section of their own, written and read back. */
static void check_in_profile(const char *name, ULONG count, const SPropValue *props)
{
    struct profstore *store = memprofile_new();
    struct psection *section = calloc(1, sizeof(*section));

    if (!store || !section || !(section->name = _strdup(name))
        || ScDupPropset(count, (SPropValue *)props, MAPIAllocateBuffer, &section->props)) {
        if (section) free(section->name);
        free(section);
        if (store) memprofile_free(store);
        return;
    }
    section->count = count;
    memset(&section->uid, 0x5A, sizeof(section->uid));
    if (psection_add(store, section))
        memprofile_check_round_trip(store, "a MAPISVC.INF service's section");
    else
        psection_free(section);
    memprofile_free(store);
}

static void run(const BYTE *data, size_t size)
{
    struct ini ini = { .path = "MAPISVC.INF" };
    char *text = malloc(size + 1);
    SPropValue *props;
    ULONG i, count;

    if (!text) return;
    memcpy(text, data, size);
    text[size] = 0;
    if (ini_parse(&ini, text, parse_error, NULL))
        for (i = 0; i < ini.count; i++) {
            if (mapisvc_section_props(&ini, ini.sections[i].name, &count, &props) != S_OK) continue;
            if (count) check_in_profile(ini.sections[i].name, count, props);
            MAPIFreeBuffer(props);
        }
    ini_free(&ini);
    free(text);
}

static const char *const dictionary[] = {
    "[",
    "]",
    "\n",
    " = ",
    "=",
    ";",
    ",",
    "[Services]\n",
    "[Default Services]\n",
    "[Help File Mappings]\n",
    "Providers = ",
    "Sections = ",
    "PR_DISPLAY_NAME = ",
    "PR_SERVICE_DLL_NAME = ",
    "PR_SERVICE_ENTRY_NAME = ",
    "PR_PROVIDER_DLL_NAME = ",
    "PR_RESOURCE_TYPE = ",
    "MAPI_AB_PROVIDER",
    "PR_RESOURCE_FLAGS = ",
    "SERVICE_SINGLE_COPY",
    "STATUS_NO_DEFAULT_STORE",
    "6600001F",
    "6600001E",
    "66000003",
    "66000102",
    "6600000B",
    "66001003",
    "PR_DISPLAY_NAME_W",
    "PR_DISPLAY_NAME_A",
    "0x",
    "TRUE",
    "-1",
    "00112233445566778899AABBCCDDEEFF",
    NULL,
};

const struct fuzz_target fuzz_mapisvc_target = { "mapisvc", run, dictionary };
