/* Fuzz target "dialog": a dialog template as a provider's resources hold it (DLGTEMPLATE or DLGTEMPLATEEX), read by
 * BuildDisplayTable (disptable.c). */
#include "mapihost_private.h"
#include "fuzz.h"

static void run(const BYTE *data, size_t size)
{
    ULONG items;

    disptable_parse_template(data, (DWORD)size, &items);
}

static const char *const dictionary[] = {
    "\x01\x00\xff\xff",
    "\xff\xff",
    "\x00\x00",
    "\x40\x00\x00\x00",
    "\x48\x00\xc8\x80",
    "\x02\x00",
    "\xff\xff\x82\x00",
    "\xff\xff\x80\x00",
    "M\0S\0 \0S\0h\0e\0l\0l\0 \0D\0l\0g\0\0\0",
    "\x08\x00",
    NULL,
};

const struct fuzz_target fuzz_dialog_target = { "dialog", run, dictionary };
