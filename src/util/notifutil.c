/*
 * MAPI's notification utilities (spec U76-U79, U85): advise sinks over a callback, sinks that deliver on their
 * creator's thread, the dispatch of what waits for the calling thread, NOTIFICATION arrays copied into one block and
 * relocated, and UlAddRef/UlRelease. The copy keeps the property functions' block model (U70): the NOTIFICATION
 * array first, then every out-of-line datum, each starting on an 8-byte boundary.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "propval.h"
#include "restrict.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(notifutil);

#define ALIGN8(size) (((size) + 7) & ~(size_t)7)

ULONG WINAPI UlAddRef(LPVOID object)
{
    TRACE("(%p)\n", object);
    return object ? IUnknown_AddRef((IUnknown *)object) : 0;
}

ULONG WINAPI UlRelease(LPVOID object)
{
    TRACE("(%p)\n", object);
    return object ? IUnknown_Release((IUnknown *)object) : 0; /* NULL: at once, 0 (U85, X35) */
}

/* ---- HrAllocAdviseSink ----------------------------------------------------------------------------------------- */

struct callback_sink {
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refcount;
    NOTIFCALLBACK *callback;
    void *context;
};

static inline struct callback_sink *impl_from_callback(IMAPIAdviseSink *iface)
{
    return CONTAINING_RECORD(iface, struct callback_sink, IMAPIAdviseSink_iface);
}

static HRESULT WINAPI sink_QueryInterface(IMAPIAdviseSink *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPIAdviseSink, NULL };

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI callback_AddRef(IMAPIAdviseSink *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_callback(iface)->refcount);
}

static ULONG WINAPI callback_Release(IMAPIAdviseSink *iface)
{
    struct callback_sink *sink = impl_from_callback(iface);
    ULONG refcount = InterlockedDecrement(&sink->refcount);

    TRACE("(%p)\n", iface);
    if (!refcount) free(sink);
    return refcount;
}

static ULONG WINAPI callback_OnNotify(IMAPIAdviseSink *iface, ULONG count, NOTIFICATION *notifications)
{
    struct callback_sink *sink = impl_from_callback(iface);

    TRACE("(%p, %#lx, %p)\n", iface, count, notifications);
    return sink->callback(sink->context, count, notifications);
}

static const IMAPIAdviseSinkVtbl callback_vtbl = {
    sink_QueryInterface,
    callback_AddRef,
    callback_Release,
    callback_OnNotify,
};

HRESULT WINAPI HrAllocAdviseSink(LPNOTIFCALLBACK callback, LPVOID context, LPMAPIADVISESINK *out)
{
    struct callback_sink *sink;

    TRACE("(%p, %p, %p)\n", callback, context, out);
    if (!callback || !out) return MAPI_E_INVALID_PARAMETER;
    if (!(sink = calloc(1, sizeof(*sink)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    sink->IMAPIAdviseSink_iface.lpVtbl = &callback_vtbl;
    sink->refcount = 1;
    sink->callback = callback;
    sink->context = context;
    *out = &sink->IMAPIAdviseSink_iface;
    return S_OK;
}

/* ---- NOTIFICATION arrays in one block (U79) -------------------------------------------------------------------- */

/* One datum placed at *cursor (written when dest is set) and the cursor moved past it. */
static void *place(BYTE **cursor, BOOL write, const void *data, size_t size)
{
    void *at = *cursor;

    if (write && size) memcpy(at, data, size);
    *cursor += ALIGN8(size);
    return at;
}

#define PLACE(field, size)                                                                                             \
    do {                                                                                                               \
        if (source->field) dest->field = place(cursor, write, source->field, (size));                                  \
    } while (0)

static SCODE SC_PLACE_PROPS(BYTE **cursor, BOOL write, ULONG count, const SPropValue *values, SPropValue **out)
{
    ULONG size;
    SCODE sc;

    if (!values) return S_OK;
    if ((sc = ScCountProps((int)count, (SPropValue *)values, &size)) != S_OK) return sc;
    if (write && (sc = ScCopyProps((int)count, (SPropValue *)values, *cursor, NULL)) != S_OK) return sc;
    *out = (SPropValue *)*cursor;
    *cursor += ALIGN8(size);
    return S_OK;
}

/* A single property value's out-of-line data, through PropCopyMore's rules. */
static __thread BYTE *value_cursor;

static SCODE WINAPI place_more(ULONG size, void *parent, void **out)
{
    TRACE("(%#lx, %p, %p)\n", size, parent, out);
    *out = value_cursor;
    value_cursor += ALIGN8(size);
    return S_OK;
}

static SCODE place_value(BYTE **cursor, BOOL write, const SPropValue *source, SPropValue *dest)
{
    struct mapi_allocators alloc = { NULL, place_more, NULL };
    ULONG size = prop_size(source);
    SCODE sc = S_OK;

    if (!write) {
        ULONG type = PROP_TYPE(source->ulPropTag);
        if (type == PT_STRING8 || type == PT_UNICODE || type == PT_BINARY || type == PT_CLSID)
            *cursor += ALIGN8(size);
        else if (type & MV_FLAG)
            return MAPI_E_INVALID_PARAMETER; /* not in a table notification's index */
        return S_OK;
    }
    value_cursor = *cursor;
    sc = prop_copy_into_with(&alloc, source, dest, NULL);
    *cursor = value_cursor;
    return sc;
}

/* Copies (or, without write, sizes) one notification's out-of-line data at *cursor. */
static SCODE place_notification(const NOTIFICATION *source, NOTIFICATION *dest, BYTE **cursor, BOOL write)
{
    SCODE sc = S_OK;

    switch (source->ulEventType) {
    case fnevCriticalError:
        PLACE(info.err.lpEntryID, source->info.err.cbEntryID);
        if (source->info.err.lpMAPIError) {
            /* The MAPIERROR and its two strings. */
            MAPIERROR *error = place(cursor, write, source->info.err.lpMAPIError, sizeof(MAPIERROR));
            const MAPIERROR *from = source->info.err.lpMAPIError;
            if (write) dest->info.err.lpMAPIError = error;
            if (from->lpszError) {
                char *text = place(cursor, write, from->lpszError, strlen((const char *)from->lpszError) + 1);
                if (write) error->lpszError = (LPTSTR)text;
            }
            if (from->lpszComponent) {
                char *text = place(cursor, write, from->lpszComponent, strlen((const char *)from->lpszComponent) + 1);
                if (write) error->lpszComponent = (LPTSTR)text;
            }
        }
        return S_OK;
    case fnevNewMail:
        PLACE(info.newmail.lpEntryID, source->info.newmail.cbEntryID);
        PLACE(info.newmail.lpParentID, source->info.newmail.cbParentID);
        PLACE(info.newmail.lpszMessageClass,
              source->info.newmail.ulFlags & MAPI_UNICODE
                  ? (lstrlenW((const WCHAR *)source->info.newmail.lpszMessageClass) + 1) * sizeof(WCHAR)
                  : strlen((const char *)source->info.newmail.lpszMessageClass) + 1);
        return S_OK;
    case fnevObjectCreated:
    case fnevObjectDeleted:
    case fnevObjectModified:
    case fnevObjectMoved:
    case fnevObjectCopied:
    case fnevSearchComplete:
        PLACE(info.obj.lpEntryID, source->info.obj.cbEntryID);
        PLACE(info.obj.lpParentID, source->info.obj.cbParentID);
        PLACE(info.obj.lpOldID, source->info.obj.cbOldID);
        PLACE(info.obj.lpOldParentID, source->info.obj.cbOldParentID);
        PLACE(info.obj.lpPropTagArray, CbSPropTagArray(source->info.obj.lpPropTagArray));
        return S_OK;
    case fnevTableModified:
        if ((sc = place_value(cursor, write, &source->info.tab.propIndex, &dest->info.tab.propIndex)) != S_OK
            || (sc = place_value(cursor, write, &source->info.tab.propPrior, &dest->info.tab.propPrior)) != S_OK)
            return sc;
        return SC_PLACE_PROPS(cursor, write, source->info.tab.row.cValues, source->info.tab.row.lpProps,
                              &dest->info.tab.row.lpProps);
    case fnevStatusObjectModified:
        PLACE(info.statobj.lpEntryID, source->info.statobj.cbEntryID);
        return SC_PLACE_PROPS(cursor, write, source->info.statobj.cValues, source->info.statobj.lpPropVals,
                              &dest->info.statobj.lpPropVals);
    case fnevExtended: PLACE(info.ext.pbEventParameters, source->info.ext.cb); return S_OK;
    }
    return MAPI_E_INVALID_PARAMETER;
}

SCODE WINAPI ScCountNotifications(int count, LPNOTIFICATION notifications, ULONG *size)
{
    static BYTE *const origin; /* sizes are measured as distances from a null base */
    BYTE *cursor;
    NOTIFICATION scratch;
    SCODE sc;
    int i;

    TRACE("(%#lx, %p, %p)\n", (unsigned long)count, notifications, size);
    if (count < 0 || (count && !notifications)) return MAPI_E_INVALID_PARAMETER;
    cursor = origin + count * sizeof(NOTIFICATION);
    for (i = 0; i < count; i++)
        if ((sc = place_notification(&notifications[i], &scratch, &cursor, FALSE)) != S_OK) return sc;
    if (size) *size = (ULONG)(cursor - origin);
    return S_OK;
}

SCODE WINAPI ScCopyNotifications(int count, LPNOTIFICATION notifications, LPVOID dest, ULONG *size)
{
    NOTIFICATION *copy = dest;
    BYTE *cursor;
    SCODE sc;
    int i;

    TRACE("(%#lx, %p, %p, %p)\n", (unsigned long)count, notifications, dest, size);
    if (!dest || (sc = ScCountNotifications(count, notifications, NULL)) != S_OK)
        return dest ? sc : MAPI_E_INVALID_PARAMETER;
    memcpy(copy, notifications, count * sizeof(*copy));
    cursor = (BYTE *)dest + count * sizeof(*copy);
    for (i = 0; i < count; i++)
        if ((sc = place_notification(&notifications[i], &copy[i], &cursor, TRUE)) != S_OK) return sc;
    if (size) *size = (ULONG)(cursor - (BYTE *)dest);
    return S_OK;
}

#define MOVE(pointer)                                                                                                  \
    do {                                                                                                               \
        if (pointer) (pointer) = (void *)((BYTE *)(pointer) + delta);                                                  \
    } while (0)

/* Pointers in a single value: only out-of-line types. */
static void move_value(SPropValue *value, ptrdiff_t delta)
{
    switch (PROP_TYPE(value->ulPropTag)) {
    case PT_STRING8:
    case PT_UNICODE:
    case PT_CLSID: MOVE(value->Value.lpszA); break;
    case PT_BINARY: MOVE(value->Value.bin.lpb); break;
    }
}

SCODE WINAPI ScRelocNotifications(int count, LPNOTIFICATION notifications, LPVOID base_old, LPVOID base_new,
                                  ULONG *size)
{
    ptrdiff_t delta = (BYTE *)base_new - (BYTE *)base_old;
    int i;

    TRACE("(%#lx, %p, %p, %p, %p)\n", (unsigned long)count, notifications, base_old, base_new, size);
    if (count < 0 || (count && !notifications)) return MAPI_E_INVALID_PARAMETER;
    for (i = 0; i < count; i++) {
        NOTIFICATION *n = &notifications[i];
        MAPIERROR *error;
        switch (n->ulEventType) {
        case fnevCriticalError:
            MOVE(n->info.err.lpEntryID);
            if ((error = n->info.err.lpMAPIError)) {
                /* The MAPIERROR's own pointers are read where it lies now (U70's rule). */
                MAPIERROR *at = base_new ? (MAPIERROR *)((BYTE *)error + delta) : error;
                MOVE(at->lpszError);
                MOVE(at->lpszComponent);
                MOVE(n->info.err.lpMAPIError);
            }
            break;
        case fnevNewMail:
            MOVE(n->info.newmail.lpEntryID);
            MOVE(n->info.newmail.lpParentID);
            MOVE(n->info.newmail.lpszMessageClass);
            break;
        case fnevTableModified:
            move_value(&n->info.tab.propIndex, delta);
            move_value(&n->info.tab.propPrior, delta);
            if (n->info.tab.row.lpProps) {
                SPropValue *props =
                    base_new ? (SPropValue *)((BYTE *)n->info.tab.row.lpProps + delta) : n->info.tab.row.lpProps;
                ScRelocProps((int)n->info.tab.row.cValues, props, base_old, base_new, NULL);
                MOVE(n->info.tab.row.lpProps);
            }
            break;
        case fnevStatusObjectModified:
            MOVE(n->info.statobj.lpEntryID);
            if (n->info.statobj.lpPropVals) {
                SPropValue *props =
                    base_new ? (SPropValue *)((BYTE *)n->info.statobj.lpPropVals + delta) : n->info.statobj.lpPropVals;
                ScRelocProps((int)n->info.statobj.cValues, props, base_old, base_new, NULL);
                MOVE(n->info.statobj.lpPropVals);
            }
            break;
        case fnevExtended: MOVE(n->info.ext.pbEventParameters); break;
        case fnevObjectCreated:
        case fnevObjectDeleted:
        case fnevObjectModified:
        case fnevObjectMoved:
        case fnevObjectCopied:
        case fnevSearchComplete:
            MOVE(n->info.obj.lpEntryID);
            MOVE(n->info.obj.lpParentID);
            MOVE(n->info.obj.lpOldID);
            MOVE(n->info.obj.lpOldParentID);
            MOVE(n->info.obj.lpPropTagArray);
            break;
        default: return MAPI_E_INVALID_PARAMETER;
        }
    }
    if (size) *size = count * sizeof(NOTIFICATION);
    return S_OK;
}

/* ---- HrThisThreadAdviseSink and HrDispatchNotifications (U77, U78) --------------------------------------------- */

#define WM_MAPI_NOTIFY (WM_APP + 0x4d41)

struct thread_sink {
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refcount;
    IMAPIAdviseSink *inner;
    DWORD thread; /* the creator's: where OnNotify runs */
    HWND window;  /* a message-only window of that thread */
};

struct posted {
    IMAPIAdviseSink *inner; /* a reference */
    ULONG count;
    NOTIFICATION *notifications; /* one MAPI block */
};

static inline struct thread_sink *impl_from_thread(IMAPIAdviseSink *iface)
{
    return CONTAINING_RECORD(iface, struct thread_sink, IMAPIAdviseSink_iface);
}

static ULONG WINAPI thread_AddRef(IMAPIAdviseSink *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_thread(iface)->refcount);
}

static ULONG WINAPI thread_Release(IMAPIAdviseSink *iface)
{
    struct thread_sink *sink = impl_from_thread(iface);
    ULONG refcount = InterlockedDecrement(&sink->refcount);

    TRACE("(%p)\n", iface);
    if (refcount) return refcount;
    IMAPIAdviseSink_Release(sink->inner);
    /* A window belongs to its thread; from another one, it is closed by a message. */
    if (GetCurrentThreadId() == sink->thread)
        DestroyWindow(sink->window);
    else
        PostMessageA(sink->window, WM_CLOSE, 0, 0);
    free(sink);
    return 0;
}

static void deliver_posted(struct posted *posted)
{
    IMAPIAdviseSink_OnNotify(posted->inner, posted->count, posted->notifications);
    IMAPIAdviseSink_Release(posted->inner);
    MAPIFreeBuffer(posted->notifications);
    free(posted);
}

/* Called on any thread: the batch is copied and handed to the creator's thread (U77, U61). */
static ULONG WINAPI thread_OnNotify(IMAPIAdviseSink *iface, ULONG count, NOTIFICATION *notifications)
{
    struct thread_sink *sink = impl_from_thread(iface);
    struct posted *posted = calloc(1, sizeof(*posted));
    ULONG size;

    TRACE("(%p, %#lx, %p)\n", iface, count, notifications);
    if (!posted || ScCountNotifications((int)count, notifications, &size) != S_OK
        || MAPIAllocateBuffer(size ? size : 1, (void **)&posted->notifications)
        || ScCopyNotifications((int)count, notifications, posted->notifications, NULL) != S_OK) {
        if (posted) MAPIFreeBuffer(posted->notifications);
        free(posted);
        return 0;
    }
    posted->count = count;
    posted->inner = sink->inner;
    IMAPIAdviseSink_AddRef(posted->inner);
    if (!PostMessageA(sink->window, WM_MAPI_NOTIFY, 0, (LPARAM)posted)) {
        IMAPIAdviseSink_Release(posted->inner);
        MAPIFreeBuffer(posted->notifications);
        free(posted);
    }
    return 0;
}

static const IMAPIAdviseSinkVtbl thread_vtbl = {
    sink_QueryInterface,
    thread_AddRef,
    thread_Release,
    thread_OnNotify,
};

static LRESULT CALLBACK notify_window_proc(HWND window, UINT message, WPARAM wparam, LPARAM lparam)
{
    if (message == WM_MAPI_NOTIFY) {
        deliver_posted((struct posted *)lparam);
        return 0;
    }
    return DefWindowProcA(window, message, wparam, lparam);
}

static const char notify_class[] = "mapihost notifications";

static BOOL register_notify_class(void)
{
    WNDCLASSA window_class = { .lpfnWndProc = notify_window_proc, .lpszClassName = notify_class };

    window_class.hInstance = GetModuleHandleA(NULL);
    return RegisterClassA(&window_class) || GetLastError() == ERROR_CLASS_ALREADY_EXISTS;
}

HRESULT WINAPI HrThisThreadAdviseSink(LPMAPIADVISESINK inner, LPMAPIADVISESINK *out)
{
    struct thread_sink *sink;

    TRACE("(%p, %p)\n", inner, out);
    if (!inner || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!register_notify_class() || !(sink = calloc(1, sizeof(*sink)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(sink->window =
              CreateWindowA(notify_class, NULL, 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, GetModuleHandleA(NULL), NULL))) {
        free(sink);
        return MAPI_E_CALL_FAILED;
    }
    sink->IMAPIAdviseSink_iface.lpVtbl = &thread_vtbl;
    sink->refcount = 1;
    sink->thread = GetCurrentThreadId();
    IMAPIAdviseSink_AddRef(inner);
    sink->inner = inner;
    *out = &sink->IMAPIAdviseSink_iface;
    return S_OK;
}

/* Delivers everything waiting for the calling thread now; a quit or end-of-session message is a cancel, and stays
 * for the thread's own loop (U78). */
HRESULT WINAPI HrDispatchNotifications(ULONG flags)
{
    MSG message;

    TRACE("(%#lx)\n", flags);
    if (!mapihost_is_initialized()) return MAPI_E_NOT_INITIALIZED;
    while (PeekMessageA(&message, NULL, 0, 0, PM_REMOVE)) {
        if (message.message == WM_QUIT || message.message == WM_QUERYENDSESSION || message.message == WM_ENDSESSION) {
            if (message.message == WM_QUIT) PostQuitMessage((int)message.wParam);
            return MAPI_E_USER_CANCEL;
        }
        TranslateMessage(&message);
        DispatchMessageA(&message);
    }
    return S_OK;
}
