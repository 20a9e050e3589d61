/* Our side of the ABI proof: the headers widl generates from idl/, in a translation unit of their own. */
#include <stddef.h>
#include <windows.h>

#include "mapihost_spi.h"
#include "mapihost_util.h"

#include "abi_slots.h"
#include "abi_signatures.h"

const struct abi_slot our_slots[] = { ABI_INTERFACES(ABI_SLOT_ROWS) };
const unsigned long our_slot_count = ARRAYSIZE(our_slots);
const struct abi_vtbl our_vtbls[] = { ABI_INTERFACES(ABI_VTBL_ROW) };
const unsigned long our_vtbl_count = ARRAYSIZE(our_vtbls);
const struct abi_signature our_signatures[] = { ABI_WIN64_SIGNATURES(ABI_SIGNATURE_ROW) ABI_MSGSERVICEENTRY_ROW };
const unsigned long our_signature_count = ARRAYSIZE(our_signatures);
