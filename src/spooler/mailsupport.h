/*
 * The support methods of the message flow (mailsupport.c), for support.c: each takes the support object's logon.
 */
#ifndef MAPIHOST_MAILSUPPORT_H
#define MAPIHOST_MAILSUPPORT_H

struct logon;

HRESULT mailsupport_prepare_submit(struct logon *logon, IMessage *message, ULONG *flags);
HRESULT mailsupport_do_sent_mail(struct logon *logon, IMessage *message);
HRESULT mailsupport_spooler_notify(struct logon *logon, ULONG flags, void *data);
HRESULT mailsupport_store_logoff(struct logon *logon, ULONG *flags);
HRESULT mailsupport_register_preprocessor(struct logon *logon, const MAPIUID *uid, const char *address_type,
                                          const char *dll_name, const char *preprocess, const char *remove_info,
                                          ULONG flags);
HRESULT mailsupport_status_recips(struct logon *logon, IMessage *message, ADRLIST *recipients);
HRESULT mailsupport_expand_recips(struct logon *logon, IMessage *message, ULONG *flags);
HRESULT mailsupport_complete_msg(struct logon *logon, ULONG size, const ENTRYID *entry_id);

#endif
