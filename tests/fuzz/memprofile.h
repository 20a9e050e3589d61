/* A profile held in memory only, for the targets that parse, write and read back profile texts. */
#ifndef MAPIHOST_FUZZ_MEMPROFILE_H
#define MAPIHOST_FUZZ_MEMPROFILE_H

#include "stored.h"

struct profstore *memprofile_new(void);
void memprofile_free(struct profstore *store);
/* The profile's text must read back (the writer never writes what its reader refuses), and what it reads back as must
 * be written and read again the same, with nothing more to derive. Otherwise a finding. */
void memprofile_check_round_trip(struct profstore *store, const char *what);

#endif
