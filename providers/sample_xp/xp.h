/*
 * The sample transport's parts: the provider and its logons (sample_xp.c), the drop folders that carry its mail
 * (dropfolder.c), and its message preprocessor (preprocess.c).
 */
#ifndef SAMPLE_XP_H
#define SAMPLE_XP_H

#include "sample.h"
#include "mapihost_util.h"

/* One mailbox's drop folder, and the message session its message files are opened in. */
#define DROP_BATCH 256 /* message file names read from the folder at once, oldest first */

struct drop {
    char folder[MAX_PATH];
    LPMSGSESS session;
    IMalloc *malloc;
    /* The oldest names of the last listing, taken in order: the folder is listed once per DROP_BATCH messages, not
     * once per message, so receiving n waiting messages costs O(n) and not O(n^2). */
    char batch[DROP_BATCH][64];
    ULONG batch_count, batch_next;
};

/* Opens (making it if needed) the drop folder of mailbox, clearing what a crash left half-written. */
HRESULT drop_open(struct drop *drop, const char *mailbox);
void drop_close(struct drop *drop);
/* Deletes the temporary files of messages cut short that are at least min_age_ms old. */
void drop_sweep(struct drop *drop, ULONGLONG min_age_ms);
/* Writes message to mailbox's drop folder, atomically; MAPI_E_NOT_FOUND when there is no such mailbox. */
HRESULT drop_send(struct drop *drop, IMessage *message, const char *mailbox);
/* A message is waiting in the drop folder. */
BOOL drop_waiting(struct drop *drop);
/* The oldest waiting message copied into message and saved, then its file deleted; S_FALSE when none waits. */
HRESULT drop_receive(struct drop *drop, IMessage *message);

/* preprocess.c: registers the transport's preprocessor for SAMPLE recipients (RegisterPreprocessor, Q10). */
HRESULT preprocess_register(IMAPISupport *support);
HRESULT WINAPI SampleXPPreprocess(void *session, IMessage *message, IAddrBook *address_book, IMAPIFolder *folder,
                                  LPALLOCATEBUFFER allocate_buffer, LPALLOCATEMORE allocate_more,
                                  LPFREEBUFFER free_buffer, ULONG *made_count, IMessage ***made,
                                  ADRLIST **undeliverable);
HRESULT WINAPI SampleXPRemovePreprocessInfo(IMessage *message);

#endif
