/*
 * What the sample providers share, written only against mapihost's published headers, as a provider author would:
 * the allocators the entry point hands over, a trace of every call received (the seed page asks providers to trace
 * leaked objects at logoff; the recording fixture reads it), an honest count of live objects, read-only property
 * bags, and a status object.
 */
#ifndef SAMPLE_H
#define SAMPLE_H

#include <windows.h>
#include "mapihost_spi.h"

/* The entry point's allocators (spec §2.1): the provider keeps them, and frees with them. */
extern LPALLOCATEBUFFER sample_allocate_buffer;
extern LPALLOCATEMORE sample_allocate_more;
extern LPFREEBUFFER sample_free_buffer;

/* The common part of every entry point: checks the host's SPI version and keeps the allocators. */
HRESULT sample_init(const char *entry, ULONG mapi_version, ULONG *provider_version, LPALLOCATEBUFFER allocate_buffer,
                    LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer);

/* QueryInterface for an object answering IUnknown and the NULL-terminated iids; AddRefs on success. */
HRESULT sample_query_interface(IUnknown *iface, REFIID riid, void **out, const IID *const *iids);

/* Appends one line to the DLL's call log (exported as ProviderCallLog) and to the debugger output. */
void sample_trace(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Live objects of the DLL, provider and logon objects included. */
void sample_object_created(void);
void sample_object_destroyed(void);
LONG sample_live_objects(void);

/* A logon's profile section: its display name and the fault list; both are copied, so the section can go. */
struct sample_config {
    char display_name[128];
    char faults[256];
    char setting[256]; /* PR_SAMPLE_SETTING from the settings section */
    char address[128]; /* PR_EMAIL_ADDRESS of the provider's section: the transport's mailbox */
};
HRESULT sample_read_config(IMAPISupport *support, struct sample_config *config);

/* What every sample provider object shares: the part of its life the host drives, Shutdown then the last Release
 * (spec §2.4, §2.6, §2.9), and fast shutdown (IMAPIProviderShutdown, on the provider object where MAPI looks for it,
 * runtime spec F3), with each call in the log. */
struct sample_provider {
    IMAPIProviderShutdown IMAPIProviderShutdown_iface;
    IUnknown *outer;  /* the provider object, which owns the count */
    const char *name; /* its interface, for the call log */
    LONG refcount;
    LONG logons; /* its logon objects alive */
    BOOL shut_down;
    BOOL fast_shut_down; /* DoFastShutdown came: the process is ending, the provider calls MAPI no more */
    char faults[256];    /* the recording fixture's: those of its first logon with any */
    void (*save)(struct sample_provider *provider); /* what DoFastShutdown writes to disk; NULL: nothing to */
};
void sample_provider_init(struct sample_provider *provider, const char *name, IUnknown *outer,
                          void (*save)(struct sample_provider *provider));
/* QueryInterface on the provider object: iid (its provider interface), IUnknown and IMAPIProviderShutdown. */
HRESULT sample_provider_query_interface(struct sample_provider *provider, REFIID riid, void **out, const IID *iid);
/* A logon of the provider was made from config. */
void sample_provider_logon_added(struct sample_provider *provider, const struct sample_config *config);
/* Release; at 0, object (the allocation that holds provider) is freed. */
ULONG sample_provider_release(struct sample_provider *provider, void *object);
/* Shutdown(lpulFlags): a pointer to 0 (E10: NULL is accepted too). */
HRESULT sample_provider_shutdown(struct sample_provider *provider, ULONG *flags);

/* Faults the recording fixture can be told to commit, by name, through its profile section's SampleFaults
 * property; the samples themselves are built without them and commit none. */
#define PR_SAMPLE_FAULTS PROP_TAG(PT_STRING8, 0x6700)
/* The fault "thread-affine": what providers with UI keep on the thread that logged them on, a window and a
 * thread-local value, made at Logon; sample_affinity_end destroys them at Logoff and fails (tracing why) on another
 * thread, as such a provider would. */
struct sample_affinity {
    DWORD thread;
    HWND window;
    DWORD tls;
};
#ifdef SAMPLE_FAULTS
BOOL sample_fault(const char *faults, const char *name);
void sample_affinity_begin(struct sample_affinity *affinity);
BOOL sample_affinity_end(struct sample_affinity *affinity);
#else
static inline BOOL sample_fault(const char *faults, const char *name)
{
    return FALSE;
}
static inline void sample_affinity_begin(struct sample_affinity *affinity)
{
}
static inline BOOL sample_affinity_end(struct sample_affinity *affinity)
{
    return TRUE;
}
#endif

/* size bytes written to a file at path (creation: CREATE_NEW or CREATE_ALWAYS), flushed and closed: on disk before
 * the caller renames it into place. */
BOOL sample_write_file(const char *path, DWORD creation, const void *bytes, DWORD size);

/* A MAPI utility function (CreateTable, 36) found as a third party finds it (sample_mapi.c), or NULL. */
void *sample_mapi_function(const char *name, int bytes);

/* The samples' one setting, kept where real providers keep theirs: in a profile section under a MAPIUID fixed in the
 * provider's code, written by its service entry (S30-S34). */
#define PR_SAMPLE_SETTING PROP_TAG(PT_UNICODE, 0x6610)
extern const MAPIUID sample_ab_settings_uid; /* "mapihostSampleAB" */
extern const MAPIUID sample_ms_settings_uid; /* "mapihostSampleMS" */
/* Reads PR_SAMPLE_SETTING from the section at uid into config->setting; MAPI_E_UNCONFIGURED when it is missing. The
 * recording fixture asks for it only with the fault "needs-settings". */
HRESULT sample_read_setting(IMAPISupport *support, const MAPIUID *uid, struct sample_config *config);
/* The samples' MSGSERVICEENTRY: CREATE and CONFIGURE merge lpProps into the settings section at uid; CONFIGURE
 * fails with MAPI_E_UNCONFIGURED, or MAPI_E_USER_CANCEL from the property sheet when UI is allowed, while the setting
 * is missing; the other contexts succeed. */
HRESULT sample_service_entry(const MAPIUID *uid, IMAPISupport *support, ULONG flags, ULONG context, ULONG count,
                             SPropValue *props, IProviderAdmin *admin, MAPIERROR **error);

/* A read-only set of properties, answering IMAPIProp::GetProps and GetPropList. */
struct propbag {
    ULONG count;
    SPropValue *values; /* one allocation chain, freed by propbag_free */
};
HRESULT propbag_init(struct propbag *bag, ULONG count, const SPropValue *values);
void propbag_free(struct propbag *bag);
HRESULT propbag_get_props(const struct propbag *bag, SPropTagArray *tags, ULONG flags, ULONG *count,
                          SPropValue **values);
HRESULT propbag_get_prop_list(const struct propbag *bag, SPropTagArray **tags);

/* A status object (IMAPIStatus) over a copy of the logon's status-row columns. It holds no reference on its logon,
 * so there is no cycle for Logoff to break. */
HRESULT sample_status_create(ULONG count, const SPropValue *values, IMAPIStatus **out);

/* A logon's status row: its display name, the provider's, its status code and resource methods, then up to four
 * more columns; kept in *row (for its status object) and given to MAPI with ModifyStatusRow. */
HRESULT sample_add_status_row(IMAPISupport *support, struct propbag *row, const char *display_name,
                              const char *provider_display, ULONG status_code, ULONG methods, ULONG extra_count,
                              const SPropValue *extra);

/* OpenStatusEntry's work for a logon: its status object, made on first use over its status row and kept in *status
 * until Logoff; the caller gets a reference of its own. */
HRESULT sample_open_status_entry(IMAPIStatus **status, const struct propbag *row, BOOL logged_off, ULONG *type,
                                 void **out);

/* The IMAPIProp methods the samples do not implement, for an interface derived from IMAPIProp: GetLastError has no
 * extended information, the property changes are refused (MAPI_E_NO_ACCESS), the rest return MAPI_E_NO_SUPPORT and
 * say so in the call log.
 * SAMPLE_MAPIPROP_COMMON leaves out the changes (SaveChanges, SetProps, DeleteProps), for an object that takes some. */
#define SAMPLE_MAPIPROP_DEFAULTS(prefix, type)                                                                         \
    SAMPLE_MAPIPROP_COMMON(prefix, type)                                                                               \
    static HRESULT WINAPI prefix##_SaveChanges(type *iface, ULONG flags)                                               \
    {                                                                                                                  \
        sample_trace(#type "::SaveChanges: not supported");                                                            \
        return MAPI_E_NO_SUPPORT;                                                                                      \
    }                                                                                                                  \
    static HRESULT WINAPI prefix##_SetProps(type *iface, ULONG count, SPropValue *values,                              \
                                            SPropProblemArray **problems)                                              \
    {                                                                                                                  \
        if (problems) *problems = NULL;                                                                                \
        return MAPI_E_NO_ACCESS;                                                                                       \
    }                                                                                                                  \
    static HRESULT WINAPI prefix##_DeleteProps(type *iface, SPropTagArray *tags, SPropProblemArray **problems)         \
    {                                                                                                                  \
        if (problems) *problems = NULL;                                                                                \
        return MAPI_E_NO_ACCESS;                                                                                       \
    }
#define SAMPLE_MAPIPROP_COMMON(prefix, type)                                                                           \
    SAMPLE_MAPIPROP_BASE(prefix, type)                                                                                 \
    SAMPLE_MAPIPROP_NO_NAMES(prefix, type)
/* The part without named properties, for an object that maps names. */
#define SAMPLE_MAPIPROP_BASE(prefix, type)                                                                             \
    static HRESULT WINAPI prefix##_GetLastError(type *iface, HRESULT result, ULONG flags, MAPIERROR **error)           \
    {                                                                                                                  \
        if (!error) return MAPI_E_INVALID_PARAMETER;                                                                   \
        *error = NULL;                                                                                                 \
        return S_OK;                                                                                                   \
    }                                                                                                                  \
    static HRESULT WINAPI prefix##_OpenProperty(type *iface, ULONG tag, const IID *iid, ULONG options, ULONG flags,    \
                                                IUnknown **out)                                                        \
    {                                                                                                                  \
        if (out) *out = NULL;                                                                                          \
        sample_trace(#type "::OpenProperty: not supported");                                                           \
        return MAPI_E_NO_SUPPORT;                                                                                      \
    }                                                                                                                  \
    static HRESULT WINAPI prefix##_CopyTo(type *iface, ULONG exclude_count, const IID *exclude,                        \
                                          SPropTagArray *excluded, ULONG_PTR ui_param, IMAPIProgress *progress,        \
                                          const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems)       \
    {                                                                                                                  \
        sample_trace(#type "::CopyTo: not supported");                                                                 \
        return MAPI_E_NO_SUPPORT;                                                                                      \
    }                                                                                                                  \
    static HRESULT WINAPI prefix##_CopyProps(type *iface, SPropTagArray *tags, ULONG_PTR ui_param,                     \
                                             IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,         \
                                             SPropProblemArray **problems)                                             \
    {                                                                                                                  \
        sample_trace(#type "::CopyProps: not supported");                                                              \
        return MAPI_E_NO_SUPPORT;                                                                                      \
    }
#define SAMPLE_MAPIPROP_NO_NAMES(prefix, type)                                                                         \
    static HRESULT WINAPI prefix##_GetNamesFromIDs(type *iface, SPropTagArray **tags, GUID *guid, ULONG flags,         \
                                                   ULONG *count, MAPINAMEID ***names)                                  \
    {                                                                                                                  \
        sample_trace(#type "::GetNamesFromIDs: not supported");                                                        \
        return MAPI_E_NO_SUPPORT;                                                                                      \
    }                                                                                                                  \
    static HRESULT WINAPI prefix##_GetIDsFromNames(type *iface, ULONG count, MAPINAMEID **names, ULONG flags,          \
                                                   SPropTagArray **tags)                                               \
    {                                                                                                                  \
        sample_trace(#type "::GetIDsFromNames: not supported");                                                        \
        return MAPI_E_NO_SUPPORT;                                                                                      \
    }

#endif
