/*
 * IMAPISupport: one object per logon, of the logon's type (spec §1C step 8, H6). Methods are applicable per type as
 * listed in spec §2.11; an inapplicable one returns MAPI_E_NO_SUPPORT. Implemented: GetLastError,
 * GetMemAllocRoutines, Subscribe, Unsubscribe, Notify, ModifyStatusRow, OpenProfileSection, RegisterPreprocessor,
 * NewUID, MakeInvalid, SetProviderUID, CreateOneOff, CompareEntryIDs, OpenTemplateID, OpenEntry, OpenAddressBook,
 * DoConfigPropsheet (MAPI_E_USER_CANCEL: no UI), DoCopyTo, DoCopyProps, ModifyProfile, WrapStoreEntryID,
 * IStorageFromStream, GetSvcConfigSupportObj, and the message flow's (spooler/mailsupport.c): SpoolerNotify,
 * SpoolerYield, PrepareSubmit, DoSentMail, StatusRecips and StoreLogoffTransports, and (spooler/coupling.c)
 * ExpandRecips and CompleteMsg. A configuration support object (a service entry's, S31) has GetLastError,
 * GetMemAllocRoutines, OpenProfileSection, NewUID, MakeInvalid, DoConfigPropsheet and GetSvcConfigSupportObj. The other
 * methods return MAPI_E_NO_SUPPORT for every type. The object's last Release tells its logon, which removes the logon's
 * UIDs and status rows (E3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "oneoff.h"
#include "profsect.h"
#include "copyto.h"
#include "core.h"
#include "mailsupport.h"
#include "paramval.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(support);

#define FOR_AB (1u << PROVIDER_AB)
#define FOR_MS (1u << PROVIDER_MS)
#define FOR_XP (1u << PROVIDER_XP)
#define FOR_ALL (FOR_AB | FOR_MS | FOR_XP)
#define KIND_CONFIG 3
#define FOR_CONFIG (1u << KIND_CONFIG)

/* Each method's arguments (util/paramval.h), checked before the method touches them: a NULL or unreadable pointer
 * is refused with MAPI_E_INVALID_PARAMETER and named in the event log (docs/misuse.md). Methods the host does not
 * implement touch no argument and are not listed. */
#define SUPPORT_METHODS(X)                                                                                             \
    X(QueryInterface, A(IID_IN), A(OUT))                                                                               \
    X(GetLastError, A(ANY), A(ANY), A(OUT))                                                                            \
    X(GetMemAllocRoutines, A(OUT), A(OUT), A(OUT))                                                                     \
    X(Subscribe, A(NOTIFKEY), A(ANY), A(ANY), A(OBJECT), A(OUT))                                                       \
    X(Unsubscribe, A(ANY))                                                                                             \
    X(Notify, A(NOTIFKEY), A(NONZERO), N(NOTIFS, 1), A(OUT_ULONG))                                                     \
    X(ModifyStatusRow, A(ANY), N(PROPS, 0), A(ANY))                                                                    \
    X(OpenProfileSection, A(UID_OPT), A(ANY), A(OUT))                                                                  \
    X(RegisterPreprocessor, A(UID_OPT), A(STRING_OPT), A(STRING), A(STRING), A(STRING_OPT), A(ANY))                    \
    X(NewUID, A(OUT_UID))                                                                                              \
    X(MakeInvalid, A(ANY), A(OBJECT), A(ANY), A(ANY))                                                                  \
    X(SpoolerYield, A(ANY))                                                                                            \
    X(SpoolerNotify, A(ANY), A(ANY))                                                                                   \
    X(CreateOneOff, A(STRING), A(STRING), A(STRING), A(ANY), A(OUT_ULONG), A(OUT))                                     \
    X(SetProviderUID, A(UID), A(ANY))                                                                                  \
    X(CompareEntryIDs, A(ANY), N(BYTES, 0), A(ANY), N(BYTES, 2), A(ANY), A(OUT_ULONG))                                 \
    X(OpenTemplateID, A(ANY), N(BYTES, 0), A(ANY), A(OBJECT_OPT), A(IID_OPT), A(OUT), A(OBJECT_OPT))                   \
    X(OpenEntry, A(ANY), N(BYTES, 0), A(IID_OPT), A(ANY), A(OUT_ULONG), A(OUT))                                        \
    X(DoConfigPropsheet, A(ANY), A(ANY), A(ANY), A(ANY), A(ANY), A(ANY))                                               \
    X(DoCopyTo, A(IID_OPT), A(OBJECT), A(ANY), N(IIDS, 2), A(TAGS_OPT), A(ANY), A(OBJECT_OPT), A(IID_OPT), A(OBJECT),  \
      A(ANY), A(OUT_OPT))                                                                                              \
    X(DoCopyProps, A(IID_OPT), A(OBJECT), A(TAGS_OPT), A(ANY), A(OBJECT_OPT), A(IID_OPT), A(OBJECT), A(ANY),           \
      A(OUT_OPT))                                                                                                      \
    X(PrepareSubmit, A(OBJECT), A(OUT_ULONG))                                                                          \
    X(ExpandRecips, A(OBJECT), A(OUT_ULONG))                                                                           \
    X(CompleteMsg, A(ANY), A(NONZERO), N(BYTES, 1))                                                                    \
    X(DoSentMail, A(ANY), A(OBJECT))                                                                                   \
    X(OpenAddressBook, A(IID_OPT), A(ANY), A(OUT))                                                                     \
    X(StoreLogoffTransports, A(INOUT_ULONG))                                                                           \
    X(StatusRecips, A(OBJECT), A(ADRLIST))                                                                             \
    X(WrapStoreEntryID, A(ANY), N(BYTES, 0), A(OUT_ULONG), A(OUT))                                                     \
    X(ModifyProfile, A(ANY))                                                                                           \
    X(GetSvcConfigSupportObj, A(ANY), A(OUT))

#define METHOD_ENUM(name, ...) SM_##name,
#define METHOD_NAME(name, ...) #name,
#define METHOD_ARGS(name, ...) M(SM_##name, __VA_ARGS__),
enum support_method { SUPPORT_METHODS(METHOD_ENUM) };
static const char *const method_names[] = { SUPPORT_METHODS(METHOD_NAME) };
static const struct method method_args[] = { SUPPORT_METHODS(METHOD_ARGS) };

/* Support objects belong to their session and are freed with it, not at their last Release: a provider that
 * over-releases one, or calls it after its last Release or its logoff, then meets a named error instead of freed
 * memory (H12, misuse). */
struct support {
    IMAPISupport IMAPISupport_iface;
    LONG refcount;
    struct list entry;                     /* in session->supports */
    unsigned int kind;                     /* a provider_kind, or KIND_CONFIG */
    struct logon *logon;                   /* NULL after the last Release or once detached (E21): calls then fail */
    void (*released)(struct logon *logon); /* the owner's, at the provider's last Release */
    /* What events name, kept beyond the logon: its DLL and profile section, or the service configured. */
    char dll[MAX_PATH];
    char name[128];
    /* A configuration support object (S31, S35): the profile and the service section it configures. */
    struct profstore *store; /* NULL once the service entry returned: calls then fail */
    MAPIUID service_uid;
};

/* Configuration support objects outlive their calls (a provider may keep one without a reference): they are freed
 * after the last MAPIUninitialize, like MakeInvalid's vtables. */
static SRWLOCK config_lock = SRWLOCK_INIT;
static struct list config_supports = LIST_INIT(config_supports);

static inline struct support *impl_from_IMAPISupport(IMAPISupport *iface)
{
    return CONTAINING_RECORD(iface, struct support, IMAPISupport_iface);
}

static const char *kind_text(unsigned int kind)
{
    return kind == KIND_CONFIG ? "service entry" : loader_kind_names[kind];
}

/* What an event of a support object is about: its DLL and logon, or, for a service entry's, nothing (its line names
 * the service). */
static struct event_about about_support(const struct support *support)
{
    if (support->kind == KIND_CONFIG) return ABOUT_HOST;
    return (struct event_about){ support->dll[0] ? support->dll : NULL, loader_kind_names[support->kind],
                                 support->name };
}

/* The support object if the method applies to its type, the object is still the provider's to call, and the
 * arguments after the method are good; otherwise NULL, with *hr the documented error and the offence in the event
 * log. */
static struct support *usable_support(IMAPISupport *iface, unsigned int kinds, HRESULT *hr, enum support_method method,
                                      ...)
{
    struct support *support = impl_from_IMAPISupport(iface);
    const char *name = method_names[method];
    va_list args;

    if (!(kinds & (1u << support->kind))) {
        event_step(about_support(support), "%s: IMAPISupport::%s is not for a %s's support object; MAPI_E_NO_SUPPORT",
                   support->name, name, kind_text(support->kind));
        *hr = MAPI_E_NO_SUPPORT;
    } else if (support->kind == KIND_CONFIG ? !support->store : !support->logon) {
        event_violation(about_support(support), "misuse", "%s called IMAPISupport::%s after %s; MAPI_E_INVALID_OBJECT",
                        support->name, name,
                        support->kind == KIND_CONFIG ? "its service entry returned"
                        : support->refcount > 0      ? "its logoff"
                                                     : "its last Release");
        *hr = MAPI_E_INVALID_OBJECT;
    } else if (support->kind != KIND_CONFIG && process_fast_shutdown_done()) {
        /* Best practices: by the end of DoFastShutdown a provider's work is done; the process is ending (F7). */
        event_violation(about_support(support), "F7",
                        "%s called its support object after DoFastShutdown; MAPI_E_END_OF_SESSION", support->name);
        *hr = MAPI_E_END_OF_SESSION;
    } else {
        va_start(args, method);
        *hr = paramval_refuse_badv(about_support(support), "IMAPISupport", name, &method_args[method], args);
        va_end(args);
        if (*hr == S_OK) return support;
    }
    return NULL;
}

/* The support object's logon if the method applies to its type (a provider type); *hr says why not otherwise. */
#define usable(iface, kinds, hr, ...) usable_logon(usable_support(iface, (kinds)&FOR_ALL, hr, __VA_ARGS__))

static struct logon *usable_logon(struct support *support)
{
    return support ? support->logon : NULL;
}

static HRESULT WINAPI support_QueryInterface(IMAPISupport *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPISupport, NULL };
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    if (!usable_support(iface, FOR_ALL | FOR_CONFIG, &hr, SM_QueryInterface, riid, out)) return hr;
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI support_AddRef(IMAPISupport *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_IMAPISupport(iface)->refcount);
}

static ULONG WINAPI support_Release(IMAPISupport *iface)
{
    struct support *support = impl_from_IMAPISupport(iface);
    LONG refcount = InterlockedDecrement(&support->refcount);
    struct logon *logon;

    TRACE("(%p)\n", iface);
    if (refcount < 0) {
        /* Never freed twice: a provider that over-releases gets the violation, not a crash. */
        InterlockedIncrement(&support->refcount);
        event_violation(about_support(support), "H12",
                        "%s released its support object more often than it added references (H12)", support->name);
        return 0;
    }
    if (refcount || support->kind == KIND_CONFIG || !(logon = support->logon)) return refcount;
    /* The provider is done with it: later calls are refused by name, whatever becomes of the logon. */
    support->logon = NULL;
    support->released(logon);
    return 0;
}

/* A flags argument with bits the method does not define: refused and named. */
static HRESULT refuse_flags(IMAPISupport *iface, const char *method, ULONG flags, ULONG allowed)
{
    const struct support *support = impl_from_IMAPISupport(iface);

    if (!(flags & ~allowed)) return S_OK;
    event_violation(about_support(support), "misuse",
                    "%s called IMAPISupport::%s with unknown flags %#lx; MAPI_E_UNKNOWN_FLAGS", support->name, method,
                    flags & ~allowed);
    return MAPI_E_UNKNOWN_FLAGS;
}

static HRESULT WINAPI support_GetLastError(IMAPISupport *iface, HRESULT result, ULONG flags, MAPIERROR **error)
{
    HRESULT hr;

    TRACE("(%p, %#lx, %#lx, %p)\n", iface, result, flags, error);
    if (!usable_support(iface, FOR_ALL | FOR_CONFIG, &hr, SM_GetLastError, result, flags, error)) return hr;
    *error = NULL; /* no extended information */
    return S_OK;
}

static HRESULT WINAPI support_GetMemAllocRoutines(IMAPISupport *iface, LPALLOCATEBUFFER *allocate_buffer,
                                                  LPALLOCATEMORE *allocate_more, LPFREEBUFFER *free_buffer)
{
    HRESULT hr;

    TRACE("(%p, %p, %p, %p)\n", iface, allocate_buffer, allocate_more, free_buffer);
    if (!usable_support(iface, FOR_ALL | FOR_CONFIG, &hr, SM_GetMemAllocRoutines, allocate_buffer, allocate_more,
                        free_buffer))
        return hr;
    /* The same three the entry point got (spec §2.11). */
    *allocate_buffer = MAPIAllocateBuffer;
    *allocate_more = MAPIAllocateMore;
    *free_buffer = MAPIFreeBuffer;
    return S_OK;
}

static HRESULT WINAPI support_Subscribe(IMAPISupport *iface, NOTIFKEY *key, ULONG mask, ULONG flags,
                                        IMAPIAdviseSink *sink, ULONG_PTR *connection)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %p, %#lx, %#lx, %p, %p)\n", iface, key, mask, flags, sink, connection);
    if (!(logon = usable(iface, FOR_ALL, &hr, SM_Subscribe, key, mask, flags, sink, connection))) return hr;
    return subscriptions_add(&logon->session->subscriptions, logon, key, mask, sink, connection);
}

static HRESULT WINAPI support_Unsubscribe(IMAPISupport *iface, ULONG_PTR connection)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %#Ix)\n", iface, connection);
    if (!(logon = usable(iface, FOR_ALL, &hr, SM_Unsubscribe, connection))) return hr;
    return subscriptions_remove(&logon->session->subscriptions, connection);
}

static HRESULT WINAPI support_Notify(IMAPISupport *iface, NOTIFKEY *key, ULONG count, NOTIFICATION *notifications,
                                     ULONG *flags)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %p, %#lx, %p, %p)\n", iface, key, count, notifications, flags);
    if (!(logon = usable(iface, FOR_ALL, &hr, SM_Notify, key, count, notifications, flags))) return hr;
    subscriptions_notify(&logon->session->subscriptions, key, count, notifications);
    *flags = 0;
    return S_OK;
}

static HRESULT WINAPI support_ModifyStatusRow(IMAPISupport *iface, ULONG count, SPropValue *values, ULONG flags)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx)\n", iface, count, values, flags);
    if (!(logon = usable(iface, FOR_ALL, &hr, SM_ModifyStatusRow, count, values, flags))) return hr;
    hr = statusrows_modify(&logon->session->status_rows, logon, count, values, flags);
    event_step(about_logon(logon), "%s: IMAPISupport::ModifyStatusRow(%lu columns%s) -> %s", logon_name(logon), count,
               flags & STATUSROW_UPDATE ? ", STATUSROW_UPDATE" : "", hresult_text(hr));
    return hr;
}

static HRESULT WINAPI support_OpenProfileSection(IMAPISupport *iface, MAPIUID *uid, ULONG flags, IProfSect **out)
{
    struct support *support;
    HRESULT hr;

    TRACE("(%p, %p, %#lx, %p)\n", iface, uid, flags, out);
    if (out) *out = NULL;
    if (!(support = usable_support(iface, FOR_ALL | FOR_CONFIG, &hr, SM_OpenProfileSection, uid, flags, out)))
        return hr;
    /* NULL: the provider's own section, or the service's for a configuration support object. */
    if (support->kind == KIND_CONFIG)
        return profsect_open(support->store, uid ? uid : &support->service_uid, flags, out);
    return profsect_open(support->logon->session->profile->store, uid ? uid : &support->logon->config->section.uid,
                         flags, out);
}

/* A transport's message preprocessor (Q10), for the spooler to run. */
static HRESULT WINAPI support_RegisterPreprocessor(IMAPISupport *iface, MAPIUID *uid, LPTSTR address_type,
                                                   LPTSTR dll_name, LPSTR preprocess, LPSTR remove_info, ULONG flags)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %p, %p, %p, %p, %p, %#lx)\n", iface, uid, address_type, dll_name, preprocess, remove_info, flags);
    if (!(logon = usable(iface, FOR_XP, &hr, SM_RegisterPreprocessor, uid, address_type, dll_name, preprocess,
                         remove_info, flags)))
        return hr;
    return mailsupport_register_preprocessor(logon, uid, (const char *)address_type, (const char *)dll_name, preprocess,
                                             remove_info, flags);
}

static HRESULT WINAPI support_NewUID(IMAPISupport *iface, MAPIUID *uid)
{
    HRESULT hr;
    GUID guid;

    TRACE("(%p, %p)\n", iface, uid);
    if (!usable_support(iface, FOR_ALL | FOR_CONFIG, &hr, SM_NewUID, uid)) return hr;
    if (FAILED(hr = CoCreateGuid(&guid))) return hr;
    memcpy(uid, &guid, sizeof(*uid));
    return S_OK;
}

/* MakeInvalid's replacement vtables: slots 0-2 keep working (E12 keeps QueryInterface too); every other slot fails.
 * One function serves every signature: on Win64 the caller cleans the stack. They live until the last
 * MAPIUninitialize, since the object may be called at any time before. */
struct invalid_vtable {
    struct list entry;
    void *slots[1];
};
static SRWLOCK invalid_lock = SRWLOCK_INIT;
static struct list invalid_vtables = LIST_INIT(invalid_vtables);

static HRESULT WINAPI invalid_method(void)
{
    TRACE("()\n");
    return MAPI_E_INVALID_OBJECT;
}

static HRESULT WINAPI support_MakeInvalid(IMAPISupport *iface, ULONG flags, void *object, ULONG refcount,
                                          ULONG method_count)
{
    struct invalid_vtable *vtable;
    struct support *support;
    void **old_slots;
    HRESULT hr;
    ULONG i;

    TRACE("(%p, %#lx, %p, %#lx, %#lx)\n", iface, flags, object, refcount, method_count);
    if (!(support =
              usable_support(iface, FOR_ALL | FOR_CONFIG, &hr, SM_MakeInvalid, flags, object, refcount, method_count)))
        return hr;
    if ((hr = refuse_flags(iface, "MakeInvalid", flags, 0))) return hr;
    if (!object || method_count < 3) return MAPI_E_INVALID_PARAMETER;
    if (!(vtable = malloc(offsetof(struct invalid_vtable, slots[method_count])))) return MAPI_E_NOT_ENOUGH_MEMORY;
    old_slots = *(void ***)object;
    for (i = 0; i < method_count; i++) vtable->slots[i] = i < 3 ? old_slots[i] : (void *)invalid_method;
    AcquireSRWLockExclusive(&invalid_lock);
    list_add_tail(&invalid_vtables, &vtable->entry);
    ReleaseSRWLockExclusive(&invalid_lock);
    *(void ***)object = vtable->slots;
    event_step(about_support(support), "%s: IMAPISupport::MakeInvalid(an object of %lu methods) -> S_OK", support->name,
               method_count);
    return S_OK;
}

void support_free_invalid_vtables(void)
{
    struct list *cursor, *next;

    AcquireSRWLockExclusive(&invalid_lock);
    LIST_FOR_EACH_SAFE (cursor, next, &invalid_vtables) {
        list_remove(cursor);
        free(LIST_ENTRY(cursor, struct invalid_vtable, entry));
    }
    ReleaseSRWLockExclusive(&invalid_lock);
}

static HRESULT WINAPI support_SpoolerYield(IMAPISupport *iface, ULONG flags)
{
    HRESULT hr;

    TRACE("(%p, %#lx)\n", iface, flags);
    if (!usable(iface, FOR_XP, &hr, SM_SpoolerYield, flags)) return hr;
    /* Q26: the spooler's thread serves nothing else while a transport runs on it; the CPU is given up. */
    Sleep(0);
    return S_OK;
}

static HRESULT WINAPI support_SpoolerNotify(IMAPISupport *iface, ULONG flags, void *data)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", iface, flags, data);
    if (!(logon = usable(iface, FOR_MS | FOR_XP, &hr, SM_SpoolerNotify, flags, data))) return hr;
    return mailsupport_spooler_notify(logon, flags, data);
}

static HRESULT WINAPI support_CreateOneOff(IMAPISupport *iface, LPTSTR name, LPTSTR address_type, LPTSTR address,
                                           ULONG flags, ULONG *size, ENTRYID **entry_id)
{
    HRESULT hr;

    TRACE("(%p, %p, %p, %p, %#lx, %p, %p)\n", iface, name, address_type, address, flags, size, entry_id);
    if (!usable(iface, FOR_ALL, &hr, SM_CreateOneOff, name, address_type, address, flags, size, entry_id)) return hr;
    return oneoff_create(name, address_type, address, flags, size, entry_id);
}

static HRESULT WINAPI support_SetProviderUID(IMAPISupport *iface, MAPIUID *uid, ULONG flags)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %p, %#lx)\n", iface, uid, flags);
    if (!(logon = usable(iface, FOR_AB | FOR_MS, &hr, SM_SetProviderUID, uid, flags))) return hr;
    hr = uidreg_add(&logon->session->uids, uid, logon);
    event_step(about_logon(logon), "%s: IMAPISupport::SetProviderUID -> %s", logon_name(logon), hresult_text(hr));
    return hr;
}

static HRESULT WINAPI support_CompareEntryIDs(IMAPISupport *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
                                              ENTRYID *entry2, ULONG flags, ULONG *result)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx, %p, %#lx, %p)\n", iface, size1, entry1, size2, entry2, flags, result);
    if (!(logon = usable(iface, FOR_ALL, &hr, SM_CompareEntryIDs, size1, entry1, size2, entry2, flags, result)))
        return hr;
    return route_compare_entry_ids(logon->session, size1, entry1, size2, entry2, flags, result);
}

/* A template ID goes to the address book that registered its MAPIUID (H9), which binds the entry's data to it. */
static HRESULT WINAPI support_OpenTemplateID(IMAPISupport *iface, ULONG size, ENTRYID *template_id,
                                             ULONG template_flags, IMAPIProp *data, const IID *iid, IMAPIProp **out,
                                             IMAPIProp *sibling)
{
    struct logon *logon, *owner;
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %#lx, %p, %p, %p, %p)\n", iface, size, template_id, template_flags, data, iid, out, sibling);
    if (out) *out = NULL;
    if (!(logon = usable(iface, FOR_AB, &hr, SM_OpenTemplateID, size, template_id, template_flags, data, iid, out,
                         sibling)))
        return hr;
    if (!template_id || !out || size < offsetof(ENTRYID, ab) + sizeof(MAPIUID)) return MAPI_E_INVALID_PARAMETER;
    if (!(owner = uidreg_route(&logon->session->uids, size, template_id)) || owner->provider->kind != PROVIDER_AB
        || !inflight_enter(owner))
        return MAPI_E_UNKNOWN_ENTRYID;
    hr = IABLogon_OpenTemplateID((IABLogon *)owner->object, size, template_id, template_flags, data, iid, out, sibling);
    inflight_leave(owner);
    return hr;
}

static HRESULT WINAPI support_OpenEntry(IMAPISupport *iface, ULONG size, ENTRYID *entry_id, const IID *iid, ULONG flags,
                                        ULONG *type, IUnknown **out)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %p, %#lx, %p, %p)\n", iface, size, entry_id, iid, flags, type, out);
    if (out) *out = NULL;
    if (!(logon = usable(iface, FOR_ALL, &hr, SM_OpenEntry, size, entry_id, iid, flags, type, out))) return hr;
    return route_open_entry(logon->session, FALSE, size, entry_id, iid, flags, type, out);
}

static HRESULT WINAPI support_GetOneOffTable(IMAPISupport *iface, ULONG flags, IMAPITable **table)
{
    TRACE("(%p, %#lx, %p)\n", iface, flags, table);
    if (table) *table = NULL;
    return unsupported("IMAPISupport", "GetOneOffTable");
}

static HRESULT WINAPI support_Address(IMAPISupport *iface, ULONG_PTR *ui_param, ADRPARM *parameters, ADRLIST **list)
{
    TRACE("(%p, %p, %p, %p)\n", iface, ui_param, parameters, list);
    return unsupported("IMAPISupport", "Address");
}

static HRESULT WINAPI support_Details(IMAPISupport *iface, ULONG_PTR *ui_param, LPFNDISMISS dismiss,
                                      void *dismiss_context, ULONG size, ENTRYID *entry_id, LPFNBUTTON button,
                                      void *button_context, LPTSTR button_text, ULONG flags)
{
    TRACE("(%p, %p, %p, %p, %#lx, %p, %p, %p, %p, %#lx)\n", iface, ui_param, dismiss, dismiss_context, size, entry_id,
          button, button_context, button_text, flags);
    return unsupported("IMAPISupport", "Details");
}

static HRESULT WINAPI support_NewEntry(IMAPISupport *iface, ULONG_PTR ui_param, ULONG flags, ULONG container_size,
                                       ENTRYID *container, ULONG template_size, ENTRYID *template_id, ULONG *new_size,
                                       ENTRYID **new_entry)
{
    TRACE("(%p, %#Ix, %#lx, %#lx, %p, %#lx, %p, %p, %p)\n", iface, ui_param, flags, container_size, container,
          template_size, template_id, new_size, new_entry);
    return unsupported("IMAPISupport", "NewEntry");
}

/* S35: a headless host shows no property sheet; the user "cancels" it. */
static HRESULT WINAPI support_DoConfigPropsheet(IMAPISupport *iface, ULONG_PTR ui_param, ULONG flags, LPTSTR title,
                                                IMAPITable *display_table, IMAPIProp *config_data, ULONG top_page)
{
    struct support *support;
    HRESULT hr;

    TRACE("(%p, %#Ix, %#lx, %p, %p, %p, %#lx)\n", iface, ui_param, flags, title, display_table, config_data, top_page);
    if (!(support = usable_support(iface, FOR_ALL | FOR_CONFIG, &hr, SM_DoConfigPropsheet, ui_param, flags, title,
                                   display_table, config_data, top_page)))
        return hr;
    event_step(about_support(support),
               "%s: IMAPISupport::DoConfigPropsheet -> MAPI_E_USER_CANCEL (no UI in this host, S35)", support->name);
    return MAPI_E_USER_CANCEL;
}

static HRESULT WINAPI support_CopyMessages(IMAPISupport *iface, const IID *source_iid, void *source,
                                           ENTRYLIST *messages, const IID *dest_iid, void *dest, ULONG_PTR ui_param,
                                           IMAPIProgress *progress, ULONG flags)
{
    TRACE("(%p, %p, %p, %p, %p, %p, %#Ix, %p, %#lx)\n", iface, source_iid, source, messages, dest_iid, dest, ui_param,
          progress, flags);
    return unsupported("IMAPISupport", "CopyMessages");
}

static HRESULT WINAPI support_CopyFolder(IMAPISupport *iface, const IID *source_iid, void *source, ULONG size,
                                         ENTRYID *entry_id, const IID *dest_iid, void *dest, LPTSTR new_name,
                                         ULONG_PTR ui_param, IMAPIProgress *progress, ULONG flags)
{
    TRACE("(%p, %p, %p, %#lx, %p, %p, %p, %p, %#Ix, %p, %#lx)\n", iface, source_iid, source, size, entry_id, dest_iid,
          dest, new_name, ui_param, progress, flags);
    return unsupported("IMAPISupport", "CopyFolder");
}

static HRESULT WINAPI support_DoCopyTo(IMAPISupport *iface, const IID *source_iid, void *source, ULONG exclude_count,
                                       const IID *exclude, SPropTagArray *exclude_props, ULONG_PTR ui_param,
                                       IMAPIProgress *progress, const IID *dest_iid, void *dest, ULONG flags,
                                       SPropProblemArray **problems)
{
    HRESULT hr;

    TRACE("(%p, %p, %p, %#lx, %p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, source_iid, source, exclude_count, exclude,
          exclude_props, ui_param, progress, dest_iid, dest, flags, problems);
    if (problems) *problems = NULL;
    if (!usable(iface, FOR_MS, &hr, SM_DoCopyTo, source_iid, source, exclude_count, exclude, exclude_props, ui_param,
                progress, dest_iid, dest, flags, problems))
        return hr;
    return copyto_all(source, exclude_props, dest, flags, problems);
}

static HRESULT WINAPI support_DoCopyProps(IMAPISupport *iface, const IID *source_iid, void *source,
                                          SPropTagArray *include, ULONG_PTR ui_param, IMAPIProgress *progress,
                                          const IID *dest_iid, void *dest, ULONG flags, SPropProblemArray **problems)
{
    HRESULT hr;

    TRACE("(%p, %p, %p, %p, %#Ix, %p, %p, %p, %#lx, %p)\n", iface, source_iid, source, include, ui_param, progress,
          dest_iid, dest, flags, problems);
    if (problems) *problems = NULL;
    if (!usable(iface, FOR_MS, &hr, SM_DoCopyProps, source_iid, source, include, ui_param, progress, dest_iid, dest,
                flags, problems))
        return hr;
    return copyto_props(source, include, dest, flags, problems);
}

static HRESULT WINAPI support_DoProgressDialog(IMAPISupport *iface, ULONG_PTR ui_param, ULONG flags,
                                               IMAPIProgress **progress)
{
    TRACE("(%p, %#Ix, %#lx, %p)\n", iface, ui_param, flags, progress);
    return unsupported("IMAPISupport", "DoProgressDialog");
}

static HRESULT WINAPI support_ReadReceipt(IMAPISupport *iface, ULONG flags, IMessage *read, IMessage **empty)
{
    TRACE("(%p, %#lx, %p, %p)\n", iface, flags, read, empty);
    return unsupported("IMAPISupport", "ReadReceipt");
}

static HRESULT WINAPI support_PrepareSubmit(IMAPISupport *iface, IMessage *message, ULONG *flags)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, message, flags);
    if (!(logon = usable(iface, FOR_MS, &hr, SM_PrepareSubmit, message, flags))) return hr;
    return mailsupport_prepare_submit(logon, message, flags);
}

/* Q7: what the message's submission needs (spooler/coupling.c). */
static HRESULT WINAPI support_ExpandRecips(IMAPISupport *iface, IMessage *message, ULONG *flags)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, message, flags);
    if (!(logon = usable(iface, FOR_MS, &hr, SM_ExpandRecips, message, flags))) return hr;
    return mailsupport_expand_recips(logon, message, flags);
}

static HRESULT WINAPI support_UpdatePAB(IMAPISupport *iface, ULONG flags, IMessage *message)
{
    TRACE("(%p, %#lx, %p)\n", iface, flags, message);
    return unsupported("IMAPISupport", "UpdatePAB");
}

static HRESULT WINAPI support_DoSentMail(IMAPISupport *iface, ULONG flags, IMessage *message)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", iface, flags, message);
    if (!(logon = usable(iface, FOR_MS, &hr, SM_DoSentMail, flags, message))) return hr;
    if ((hr = refuse_flags(iface, "DoSentMail", flags, 0))) return hr;
    return mailsupport_do_sent_mail(logon, message);
}

static HRESULT WINAPI support_OpenAddressBook(IMAPISupport *iface, const IID *iid, ULONG flags, IAddrBook **out)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %p, %#lx, %p)\n", iface, iid, flags, out);
    if (out) *out = NULL;
    if (!(logon = usable(iface, FOR_ALL, &hr, SM_OpenAddressBook, iid, flags, out))) return hr;
    return IMAPISession_OpenAddressBook(&logon->session->IMAPISession_iface, 0, iid, flags, out);
}

static HRESULT WINAPI support_Preprocess(IMAPISupport *iface, ULONG flags, ULONG size, ENTRYID *entry_id)
{
    TRACE("(%p, %#lx, %#lx, %p)\n", iface, flags, size, entry_id);
    return unsupported("IMAPISupport", "Preprocess");
}

/* Q21: a coupled store sent a message itself; the spooler does what follows a send (spooler/coupling.c). */
static HRESULT WINAPI support_CompleteMsg(IMAPISupport *iface, ULONG flags, ULONG size, ENTRYID *entry_id)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %#lx, %#lx, %p)\n", iface, flags, size, entry_id);
    if (!(logon = usable(iface, FOR_MS, &hr, SM_CompleteMsg, flags, size, entry_id))) return hr;
    if ((hr = refuse_flags(iface, "CompleteMsg", flags, 0))) return hr;
    return mailsupport_complete_msg(logon, size, entry_id);
}

/* §4.2: the store tells the spooler to finish with it (mailsupport.c). */
static HRESULT WINAPI support_StoreLogoffTransports(IMAPISupport *iface, ULONG *flags)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %p)\n", iface, flags);
    if (!(logon = usable(iface, FOR_MS, &hr, SM_StoreLogoffTransports, flags))) return hr;
    return mailsupport_store_logoff(logon, flags);
}

static HRESULT WINAPI support_StatusRecips(IMAPISupport *iface, IMessage *message, ADRLIST *recipients)
{
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", iface, message, recipients);
    if (!(logon = usable(iface, FOR_XP, &hr, SM_StatusRecips, message, recipients))) return hr;
    return mailsupport_status_recips(logon, message, recipients);
}

/* U87: the store's ID wrapped with its DLL's base name as the profile gives it (without "32"). */
static HRESULT WINAPI support_WrapStoreEntryID(IMAPISupport *iface, ULONG size, ENTRYID *entry_id, ULONG *wrapped_size,
                                               ENTRYID **wrapped)
{
    const char *name, *p;
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %#lx, %p, %p, %p)\n", iface, size, entry_id, wrapped_size, wrapped);
    if (!(logon = usable(iface, FOR_ALL, &hr, SM_WrapStoreEntryID, size, entry_id, wrapped_size, wrapped))) return hr;
    for (name = p = logon->config->dll_name; *p; p++)
        if (*p == '\\' || *p == '/') name = p + 1;
    return WrapStoreEntryID(0, (LPSTR)name, size, entry_id, wrapped_size, wrapped);
}

/* S36: the store's section joins the installed stores: it is no longer a temporary section (STATUS_TEMP_SECTION,
 * H30) from the next session on. MDB_TEMPORARY: nothing to do. */
static HRESULT WINAPI support_ModifyProfile(IMAPISupport *iface, ULONG flags)
{
    struct profstore *store;
    struct psection *section;
    struct logon *logon;
    HRESULT hr;

    TRACE("(%p, %#lx)\n", iface, flags);
    if (!(logon = usable(iface, FOR_MS, &hr, SM_ModifyProfile, flags))) return hr;
    if ((hr = refuse_flags(iface, "ModifyProfile", flags, MDB_TEMPORARY))) return hr;
    if (flags & MDB_TEMPORARY) return S_OK;
    store = logon->session->profile->store;
    AcquireSRWLockShared(&store->lock);
    section = psection_lookup(store, &logon->config->section.uid);
    ReleaseSRWLockShared(&store->lock);
    if (section) {
        const SPropValue *old = psection_find(section, PR_RESOURCE_FLAGS);
        SPropValue resource = { PR_RESOURCE_FLAGS, 0, { .l = old ? old->Value.l & ~STATUS_TEMP_SECTION : 0 } };
        hr = profstore_set_props(store, section, 1, &resource);
    }
    event_step(about_logon(logon), "%s: IMAPISupport::ModifyProfile -> %s", logon_name(logon), hresult_text(hr));
    return hr;
}

static HRESULT WINAPI support_IStorageFromStream(IMAPISupport *iface, IUnknown *in, const IID *iid, ULONG flags,
                                                 IStorage **out)
{
    TRACE("(%p, %p, %p, %#lx, %p)\n", iface, in, iid, flags, out);
    return HrIStorageFromStream(in, iid, flags, out); /* U92: the utility is the method */
}

/* S35: every support object has one, for a provider that calls its own service entry (from SettingsDialog). */
static HRESULT WINAPI support_GetSvcConfigSupportObj(IMAPISupport *iface, ULONG flags, IMAPISupport **out)
{
    struct support *support;
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", iface, flags, out);
    if (out) *out = NULL;
    if (!(support = usable_support(iface, FOR_ALL | FOR_CONFIG, &hr, SM_GetSvcConfigSupportObj, flags, out))) return hr;
    if (support->kind == KIND_CONFIG)
        return support_create_config(support->store, &support->service_uid, support->name, out);
    return support_create_config(support->logon->session->profile->store, &support->logon->config->service->section.uid,
                                 support->logon->config->service->section.name, out);
}

static const IMAPISupportVtbl support_vtbl = {
    support_QueryInterface,
    support_AddRef,
    support_Release,
    support_GetLastError,
    support_GetMemAllocRoutines,
    support_Subscribe,
    support_Unsubscribe,
    support_Notify,
    support_ModifyStatusRow,
    support_OpenProfileSection,
    support_RegisterPreprocessor,
    support_NewUID,
    support_MakeInvalid,
    support_SpoolerYield,
    support_SpoolerNotify,
    support_CreateOneOff,
    support_SetProviderUID,
    support_CompareEntryIDs,
    support_OpenTemplateID,
    support_OpenEntry,
    support_GetOneOffTable,
    support_Address,
    support_Details,
    support_NewEntry,
    support_DoConfigPropsheet,
    support_CopyMessages,
    support_CopyFolder,
    support_DoCopyTo,
    support_DoCopyProps,
    support_DoProgressDialog,
    support_ReadReceipt,
    support_PrepareSubmit,
    support_ExpandRecips,
    support_UpdatePAB,
    support_DoSentMail,
    support_OpenAddressBook,
    support_Preprocess,
    support_CompleteMsg,
    support_StoreLogoffTransports,
    support_StatusRecips,
    support_WrapStoreEntryID,
    support_ModifyProfile,
    support_IStorageFromStream,
    support_GetSvcConfigSupportObj,
};

struct support *support_create(struct logon *logon, void (*released)(struct logon *logon))
{
    struct support *support = calloc(1, sizeof(*support));

    if (!support) return NULL;
    support->IMAPISupport_iface.lpVtbl = &support_vtbl;
    support->refcount = 1;
    support->kind = logon->provider->kind;
    support->logon = logon;
    support->released = released;
    if (provider_dll(logon->provider)) lstrcpynA(support->dll, provider_dll(logon->provider), sizeof(support->dll));
    lstrcpynA(support->name, logon_name(logon), sizeof(support->name));
    EnterCriticalSection(&logon->session->cs);
    list_add_tail(&logon->session->supports, &support->entry);
    LeaveCriticalSection(&logon->session->cs);
    return support;
}

HRESULT support_create_config(struct profstore *store, const MAPIUID *service_uid, const char *service_name,
                              IMAPISupport **out)
{
    struct support *support = calloc(1, sizeof(*support));

    *out = NULL;
    if (!support) return MAPI_E_NOT_ENOUGH_MEMORY;
    lstrcpynA(support->name, service_name, sizeof(support->name));
    support->IMAPISupport_iface.lpVtbl = &support_vtbl;
    support->refcount = 1;
    support->kind = KIND_CONFIG;
    profstore_addref(store);
    support->store = store;
    support->service_uid = *service_uid;
    AcquireSRWLockExclusive(&config_lock);
    list_add_tail(&config_supports, &support->entry);
    ReleaseSRWLockExclusive(&config_lock);
    *out = &support->IMAPISupport_iface;
    return S_OK;
}

void support_end_config(IMAPISupport *iface)
{
    struct support *support = impl_from_IMAPISupport(iface);
    struct profstore *store;

    AcquireSRWLockExclusive(&config_lock);
    store = support->store;
    support->store = NULL;
    ReleaseSRWLockExclusive(&config_lock);
    if (store) profstore_release(store);
}

void support_free_config_all(void)
{
    struct list *cursor, *next;

    AcquireSRWLockExclusive(&config_lock);
    LIST_FOR_EACH_SAFE (cursor, next, &config_supports) {
        struct support *support = LIST_ENTRY(cursor, struct support, entry);
        if (support->refcount > 0) continue; /* still referenced: kept, harmlessly invalid */
        list_remove(cursor);
        if (support->store) profstore_release(support->store);
        free(support);
    }
    ReleaseSRWLockExclusive(&config_lock);
}

void support_free_all(struct session *session)
{
    struct list *cursor, *next;

    LIST_FOR_EACH_SAFE (cursor, next, &session->supports) {
        struct support *support = LIST_ENTRY(cursor, struct support, entry);
        list_remove(cursor);
        support->logon = NULL;
        /* Still referenced: the provider may still call it, so it stays allocated (already reported, E21). Released:
         * kept a while all the same, so that a late call is refused by name (misuse). */
        if (!support->refcount) quarantine_block(support, free);
    }
}

IMAPISupport *support_iface(struct support *support)
{
    return &support->IMAPISupport_iface;
}

ULONG support_refcount(struct support *support)
{
    return support->refcount;
}

void support_detach(struct support *support)
{
    support->logon = NULL;
}

ULONG support_count_referenced(struct session *session)
{
    struct list *cursor;
    ULONG count = 0;

    EnterCriticalSection(&session->cs);
    LIST_FOR_EACH (cursor, &session->supports) count += LIST_ENTRY(cursor, struct support, entry)->refcount > 0;
    LeaveCriticalSection(&session->cs);
    return count;
}
