/*
 * Where the session sends what names a provider (H9): an entry ID to the logon that registered its MAPIUID (or a
 * status entry ID to the logon whose row it names), and two entry IDs to be compared.
 * The session, the address book, MAPI's root container and the support objects all route through here.
 */
#include <string.h>

#include "mapihost_private.h"
#include "oneoff.h"
#include "core.h"

static HRESULT open_status_entry(struct logon *logon, const IID *iid, ULONG flags, ULONG *type, IUnknown **out)
{
    switch (logon->provider->kind) {
    case PROVIDER_AB: return IABLogon_OpenStatusEntry((IABLogon *)logon->object, iid, flags, type, (IMAPIStatus **)out);
    case PROVIDER_MS: return IMSLogon_OpenStatusEntry((IMSLogon *)logon->object, iid, flags, type, (void **)out);
    case PROVIDER_XP: return IXPLogon_OpenStatusEntry((IXPLogon *)logon->object, iid, flags, type, (IMAPIStatus **)out);
    }
    return E_UNEXPECTED;
}

/* Where an entry ID goes: a status object, or an entry of the logon that registered its MAPIUID. */
static HRESULT open_logon_entry(struct logon *logon, BOOL status, ULONG size, const ENTRYID *entry_id, const IID *iid,
                                ULONG flags, ULONG *type, IUnknown **out)
{
    if (status) return open_status_entry(logon, iid, flags, type, out);
    switch (logon->provider->kind) {
    case PROVIDER_AB:
        return IABLogon_OpenEntry((IABLogon *)logon->object, size, (ENTRYID *)entry_id, iid, flags, type, out);
    case PROVIDER_MS:
        return IMSLogon_OpenEntry((IMSLogon *)logon->object, size, (ENTRYID *)entry_id, iid, flags, type, out);
    case PROVIDER_XP: break;
    }
    return MAPI_E_NO_SUPPORT; /* transports open no entries */
}

HRESULT route_open_entry(struct session *session, BOOL address_books_only, ULONG size, const ENTRYID *entry_id,
                         const IID *iid, ULONG flags, ULONG *type, IUnknown **out)
{
    const struct spooler_hooks *spooler;
    struct logon *logon;
    BOOL status = FALSE;
    ULONG rowid;
    HRESULT hr;

    if (!out || !type) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!entry_id || size < offsetof(ENTRYID, ab) + sizeof(MAPIUID)) return MAPI_E_INVALID_ENTRYID;
    /* A one-off address is MAPI's own entry: the session opens it as the address book does. */
    if (oneoff_is(size, entry_id)) return oneoff_open(size, entry_id, type, out);
    if (!address_books_only && (status = statustable_parse_entry_id(session, size, entry_id, &rowid, &logon))) {
        /* Row 0 is MAPI's own subsystem row: no status object is implemented for it. */
        if (!rowid) return unsupported("IMAPISession", "OpenEntry of the status object of MAPI's subsystem row");
        if (rowid == STATUS_ROWID_SPOOLER && session->mail && (spooler = process_spooler_hooks()))
            return spooler->open_status(session, iid, type, out);
        if (!logon) return MAPI_E_UNKNOWN_ENTRYID;
    }
    /* H9: the first logon that registered the MAPIUID after the four flag bytes. */
    else if (!(logon = uidreg_route(&session->uids, size, entry_id))
             || (address_books_only && logon->provider->kind != PROVIDER_AB))
        return MAPI_E_UNKNOWN_ENTRYID;
    if (!inflight_enter(logon)) return MAPI_E_UNKNOWN_ENTRYID;
    hr = open_logon_entry(logon, status, size, entry_id, iid, flags, type, out);
    inflight_leave(logon);
    return hr;
}

struct logon *route_enter_address_book(struct session *session, ULONG size, const ENTRYID *entry_id)
{
    struct logon *logon;

    if (!entry_id || size < offsetof(ENTRYID, ab) + sizeof(MAPIUID)) return NULL;
    if (!(logon = uidreg_route(&session->uids, size, entry_id)) || logon->provider->kind != PROVIDER_AB) return NULL;
    return inflight_enter(logon) ? logon : NULL;
}

HRESULT route_compare_entry_ids(struct session *session, ULONG size1, ENTRYID *entry1, ULONG size2, ENTRYID *entry2,
                                ULONG flags, ULONG *result)
{
    struct logon *first, *second;
    BOOL equal;
    HRESULT hr;

    if (!entry1 || !entry2 || !result) return MAPI_E_INVALID_PARAMETER;
    *result = FALSE;
    if (oneoff_is(size1, entry1) || oneoff_is(size2, entry2)) {
        if (!oneoff_is(size1, entry1) || !oneoff_is(size2, entry2)) return S_OK;
        if ((hr = oneoff_compare(size1, entry1, size2, entry2, &equal)) == S_OK) *result = equal;
        return hr;
    }
    first = uidreg_route(&session->uids, size1, entry1);
    second = uidreg_route(&session->uids, size2, entry2);
    if (!first || first != second) {
        /* Not a provider's, or two providers': equal only byte for byte. */
        *result = size1 == size2 && !memcmp(entry1, entry2, size1);
        return first || second || *result ? S_OK : MAPI_E_UNKNOWN_ENTRYID;
    }
    if (!inflight_enter(first)) return MAPI_E_UNKNOWN_ENTRYID;
    switch (first->provider->kind) {
    case PROVIDER_AB:
        hr = IABLogon_CompareEntryIDs((IABLogon *)first->object, size1, entry1, size2, entry2, flags, result);
        break;
    case PROVIDER_MS:
        hr = IMSLogon_CompareEntryIDs((IMSLogon *)first->object, size1, entry1, size2, entry2, flags, result);
        break;
    default: *result = size1 == size2 && !memcmp(entry1, entry2, size1); hr = S_OK;
    }
    inflight_leave(first);
    return hr;
}
