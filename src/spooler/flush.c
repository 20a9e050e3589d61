/*
 * Flushing the queues (Q27): what IMAPIStatus::FlushQueues on the spooler's status object and StoreLogoff's
 * LOGOFF_PURGE ask of the spooler. Each transport is told first (IXPLogon::FlushQueues, so that one holding mail
 * back lets it go or tells of new mail), then, on the spooler's thread, the outgoing queue is sent through once,
 * whole, and every transport is asked for what it has; each phase ends with TransportNotify(NOTIFY_END_OUTBOUND_FLUSH
 * or NOTIFY_END_INBOUND_FLUSH). Where Q29 has the spooler follow each transport's STATUS_OUTBOUND_FLUSH and
 * STATUS_INBOUND_FLUSH bits, transport by transport, this runs each phase once for all of them: a transport that
 * holds mail back until its bits are read is flushed at the spooler's next pass instead.
 */
#include <stdlib.h>

#include "mapihost_private.h"
#include "mail.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(flush);

static HRESULT flush_call(IXPLogon *transport, void *context)
{
    return IXPLogon_FlushQueues(transport, 0, 0, NULL, *(ULONG *)context);
}

static void flush_answered(struct logon *transport, HRESULT hr, void *context)
{
    event_step(about_logon(transport), "%s: IXPLogon::FlushQueues(%#lx) -> %s", logon_name(transport),
               *(ULONG *)context, hresult_text(hr));
}

void flush_transports(struct mail *mail, ULONG flags, const struct logon *target)
{
    mailbox_each_transport(mail, target, 0, "FlushQueues", flush_call, flush_answered, &flags);
}

static HRESULT notify_call(IXPLogon *transport, void *context)
{
    ULONG flags = *(ULONG *)context;
    void *data = NULL;

    return IXPLogon_TransportNotify(transport, &flags, &data);
}

static void notify_answered(struct logon *transport, HRESULT hr, void *context)
{
    if (FAILED(hr))
        event_error(about_logon(transport), "Q29", "%s: IXPLogon::TransportNotify(%#lx) -> %s", logon_name(transport),
                    *(ULONG *)context, hresult_text(hr));
}

/* The end of a flush phase (Q29): the transport frees what it held for it. */
static void end_phase(struct mail *mail, ULONG flags, const struct logon *target)
{
    mailbox_each_transport(mail, target, 0, "TransportNotify", notify_call, notify_answered, &flags);
}

void flush_queues(struct mail *mail, ULONG flags, const struct logon *target)
{
    BOOL told;

    flush_transports(mail, flags & (FLUSH_UPLOAD | FLUSH_DOWNLOAD | FLUSH_FORCE | FLUSH_NO_UI), target);
    if (flags & FLUSH_UPLOAD) {
        mailbox_forget_queue(mail); /* the whole queue as it is now, once through */
        while (outbound_run(mail)) continue;
        end_phase(mail, NOTIFY_END_OUTBOUND_FLUSH, target);
    }
    if (flags & FLUSH_DOWNLOAD) {
        mailbox_lock();
        told = mail->receive_wanted;
        mail->receive_wanted = FALSE;
        mailbox_unlock();
        inbound_run(mail, TRUE, told);
        end_phase(mail, NOTIFY_END_INBOUND_FLUSH, target);
    }
}
