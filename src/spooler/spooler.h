/*
 * MAPI's spooler (runtime spec part Q, docs/spooler.md), as the session sees it: one thread per process that moves
 * the mail of every session that allows mail (not MAPI_NO_MAIL) and has a transport. What its files share is in
 * mail.h.
 */
#ifndef MAPIHOST_SPOOLER_H
#define MAPIHOST_SPOOLER_H

#include "core.h"

/* spooler.c: for the session (session.c). start logs the session's transports on, on the spooler's thread (the
 * thread starts with the first session that needs it); end logs them and the spooler's store logon off there, and
 * the thread ends with the last session. */
void spooler_session_start(struct session *session, ULONG_PTR ui_param);
void spooler_session_end(struct session *session);
/* The client opened a store of the session: if it is the default one and holds queued mail, the spooler sends it. */
void spooler_store_opened(struct session *session, const struct profile_provider *config, IMsgStore *store);

#endif
