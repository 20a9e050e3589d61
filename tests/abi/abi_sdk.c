/* The SDK side of the ABI proof: mingw-w64's own MAPI headers, in a translation unit of their own. */
#include <stddef.h>
#include <windows.h>
#include <mapidefs.h>
#include <mapix.h>
#include <mapispi.h>
#include <mapiutil.h>

#include "abi_slots.h"
#include "abi_signatures.h"

const struct abi_slot sdk_slots[] = { ABI_INTERFACES(ABI_SLOT_ROWS) };
const unsigned long sdk_slot_count = ARRAYSIZE(sdk_slots);
const struct abi_vtbl sdk_vtbls[] = { ABI_INTERFACES(ABI_VTBL_ROW) };
const unsigned long sdk_vtbl_count = ARRAYSIZE(sdk_vtbls);
const struct abi_signature sdk_signatures[] = { ABI_WIN64_SIGNATURES(ABI_SIGNATURE_ROW) ABI_MSGSERVICEENTRY_ROW };
const unsigned long sdk_signature_count = ARRAYSIZE(sdk_signatures);
