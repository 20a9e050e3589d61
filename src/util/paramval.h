/*
 * The argument checks behind ValidateParms (paramval.c), open to the host's own objects: a method is described by its
 * arguments' kinds, and paramval_check finds the first argument that is not what its kind asks. The objects the host
 * hands to providers and clients (IMAPISupport, IProfSect, tables, property objects, the address book) check their
 * arguments this way before they touch them, so a NULL or unreadable pointer is a documented error, never a crash
 * (docs/misuse.md).
 */
#ifndef MAPIHOST_PARAMVAL_H
#define MAPIHOST_PARAMVAL_H

#include "mapihost_private.h"

/* What an argument is. The counted kinds take their length from another argument (struct arg.count). */
enum kind {
    A_ANY,     /* flags, a count, a connection, a window: anything */
    A_NONZERO, /* a ULONG that must not be 0 (SeekRowApprox's denominator) */
    A_IID_IN,  /* a readable IID or GUID */
    A_IID_OPT,
    A_OUT, /* a writable pointer-sized out value */
    A_OUT_OPT,
    A_OUT_ULONG, /* a writable ULONG */
    A_OUT_ULONG_OPT,
    A_OUT_QWORD_OPT, /* a writable ULARGE_INTEGER */
    A_INOUT_ULONG,   /* a ULONG read and written back (Shutdown's, StoreLogoff's and Logoff's flags) */
    A_OUT_STATSTG,
    A_OBJECT, /* a COM object: readable, with a readable vtable whose QueryInterface is code */
    A_OBJECT_OPT,
    A_TAGS, /* an SPropTagArray */
    A_TAGS_OPT,
    A_TAGS_BYREF, /* a readable pointer to NULL or an SPropTagArray (GetNamesFromIDs) */
    A_COLUMNS,    /* an SPropTagArray fit for SetColumns (FBadColumnSet) */
    A_SORT,       /* an SSortOrderSet (FBadSortOrderSet) */
    A_RES,        /* an SRestriction (FBadRestriction) */
    A_RES_OPT,
    A_ENTRYLIST, /* an SBinaryArray of entry identifiers (FBadEntryList) */
    A_ENTRYLIST_OPT,
    A_ADRLIST,  /* an ADRLIST, laid out as an SRowSet (FBadRowSet) */
    A_FLAGLIST, /* a writable FlagList */
    A_STRING,   /* a readable string of either width */
    A_STRING_OPT,
    A_NOTIF,    /* one NOTIFICATION */
    A_PROPS,    /* counted: SPropValue[count] */
    A_BYTES,    /* counted: readable bytes, any pointer when the count is 0 */
    A_WBYTES,   /* counted: writable bytes */
    A_NAMEIDS,  /* counted: LPMAPINAMEID[count] (FBadRglpNameID) */
    A_IIDS,     /* counted: IID[count] */
    A_NOTIFS,   /* counted: NOTIFICATION[count] */
    A_NOTIFKEY, /* a NOTIFKEY, readable for the length it gives */
    A_UID,      /* a readable MAPIUID */
    A_UID_OPT,
    A_OUT_UID, /* a writable MAPIUID */
    A_ULONGS,  /* a readable ULONG array, of a length another argument's contents give */
    A_ACCESS,  /* an object's access: IPROP_READONLY or IPROP_READWRITE */
    A_KINDS
};

struct arg {
    unsigned char kind;
    unsigned char count; /* counted kinds: the index of the argument that holds the count */
};

#define MAX_ARGS 12
struct method {
    unsigned char argc;
    struct arg args[MAX_ARGS];
};

#define M(name, ...) [name] = { sizeof((struct arg[]){ __VA_ARGS__ }) / sizeof(struct arg), { __VA_ARGS__ } }
#define M0(name) [name] = { 0, { { 0, 0 } } }
#define A(kind)                                                                                                        \
    {                                                                                                                  \
        A_##kind, 0                                                                                                    \
    }
#define N(kind, index)                                                                                                 \
    {                                                                                                                  \
        A_##kind, index                                                                                                \
    }

/* The index of the first argument of args (the method's arguments after this, one slot each) that is not good, or
 * entry->argc when all are. */
ULONG paramval_check(const struct method *entry, const ULONG_PTR *args);
/* What an argument of this kind must be, for an event line ("a writable pointer"). */
const char *paramval_kind_text(unsigned char kind);
/* A call on one of the host's objects (interface "IProfSect", method "GetProps"), its arguments after this given as
 * they were passed: S_OK when each is what entry says, else MAPI_E_INVALID_PARAMETER after a violation of the rule
 * "misuse" that names the method, the argument and what it should have been. */
HRESULT paramval_refuse_bad(struct event_about about, const char *iface_name, const char *method,
                            const struct method *entry, ...);
HRESULT paramval_refuse_badv(struct event_about about, const char *iface_name, const char *method,
                             const struct method *entry, va_list list);
/* The same for a method of mapival.h's METHODS (IMAPIProp_GetProps), as ValidateParms describes it; the event is the
 * host's, for objects that do not know which provider holds them. */
HRESULT paramval_refuse_method(const char *iface_name, const char *method, ULONG id, ...);

#endif
