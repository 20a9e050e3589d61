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

struct flush_call {
    IXPLogon *transport;
    ULONG flags;
    HRESULT hr;
};

static void flush_call(void *context)
{
    struct flush_call *call = context;

    guard_step("IXPLogon", "FlushQueues");
    call->hr = IXPLogon_FlushQueues(call->transport, 0, 0, NULL, call->flags);
}

void flush_transports(struct mail *mail, ULONG flags, const struct logon *target)
{
    struct logon **transports;
    ULONG count = logon_all_of(mail->session, PROVIDER_XP, &transports), i;

    for (i = 0; i < count; i++) {
        struct flush_call call = { (IXPLogon *)transports[i]->object, flags, S_OK };

        if (target && transports[i] != target) continue;
        if (mailbox_call(transports[i], "IXPLogon::FlushQueues", flush_call, &call))
            event_step(about_logon(transports[i]), "%s: IXPLogon::FlushQueues(%#lx) -> %s", logon_name(transports[i]),
                       flags, hresult_text(call.hr));
    }
    free(transports);
}

struct notify_call {
    IXPLogon *transport;
    ULONG flags;
    HRESULT hr;
};

static void notify_call(void *context)
{
    struct notify_call *call = context;
    void *data = NULL;

    guard_step("IXPLogon", "TransportNotify");
    call->hr = IXPLogon_TransportNotify(call->transport, &call->flags, &data);
}

/* The end of a flush phase (Q29): the transport frees what it held for it. */
static void end_phase(struct mail *mail, ULONG flags, const struct logon *target)
{
    struct logon **transports;
    ULONG count = logon_all_of(mail->session, PROVIDER_XP, &transports), i;

    for (i = 0; i < count; i++) {
        struct notify_call call = { (IXPLogon *)transports[i]->object, flags, S_OK };

        if (target && transports[i] != target) continue;
        if (mailbox_call(transports[i], "IXPLogon::TransportNotify", notify_call, &call) && FAILED(call.hr))
            event_error(about_logon(transports[i]), "Q29", "%s: IXPLogon::TransportNotify(%#lx) -> %s",
                        logon_name(transports[i]), flags, hresult_text(call.hr));
    }
    free(transports);
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
