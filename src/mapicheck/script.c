/*
 * What mapicheck's scripted modes (store_mode.c, transport_mode.c) share: reading one property as a checker must, and
 * the advise sink they put on a store or a folder. The sink lives on the caller's stack for one step and counts what
 * it hears by event type; notifications may come on another thread (the spooler's announces new mail), so the counts
 * are interlocked.
 */
#include <string.h>

#include "mapicheck.h"

SPropValue *script_get_prop(void *object, ULONG tag)
{
    SizedSPropTagArray(1, tags) = { 1, { tag } };
    SPropValue *value;
    ULONG count;

    if (FAILED(IMAPIProp_GetProps((IMAPIProp *)object, (SPropTagArray *)&tags, 0, &count, &value))) return NULL;
    if (value->ulPropTag == tag) return value;
    MAPIFreeBuffer(value);
    return NULL;
}

static struct counting_sink *impl_from_IMAPIAdviseSink(IMAPIAdviseSink *iface)
{
    return CONTAINING_RECORD(iface, struct counting_sink, IMAPIAdviseSink_iface);
}

static HRESULT WINAPI sink_QueryInterface(IMAPIAdviseSink *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPIAdviseSink)) {
        *out = iface;
        IMAPIAdviseSink_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI sink_AddRef(IMAPIAdviseSink *iface)
{
    return InterlockedIncrement(&impl_from_IMAPIAdviseSink(iface)->refcount);
}

static ULONG WINAPI sink_Release(IMAPIAdviseSink *iface)
{
    return InterlockedDecrement(&impl_from_IMAPIAdviseSink(iface)->refcount);
}

static ULONG WINAPI sink_OnNotify(IMAPIAdviseSink *iface, ULONG count, NOTIFICATION *notifications)
{
    struct counting_sink *sink = impl_from_IMAPIAdviseSink(iface);
    ULONG i;

    for (i = 0; i < count; i++) {
        if (notifications[i].ulEventType == fnevNewMail) InterlockedIncrement(&sink->new_mail);
        if (notifications[i].ulEventType == fnevObjectCreated) InterlockedIncrement(&sink->created);
        if (notifications[i].ulEventType == fnevObjectMoved) InterlockedIncrement(&sink->moved);
        if (notifications[i].ulEventType == fnevObjectDeleted) InterlockedIncrement(&sink->deleted);
    }
    return 0;
}

static const IMAPIAdviseSinkVtbl sink_vtbl = { sink_QueryInterface, sink_AddRef, sink_Release, sink_OnNotify };

void script_sink_init(struct counting_sink *sink)
{
    memset(sink, 0, sizeof(*sink));
    sink->IMAPIAdviseSink_iface.lpVtbl = &sink_vtbl;
    sink->refcount = 1;
}
