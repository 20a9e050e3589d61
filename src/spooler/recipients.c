/*
 * ExpandRecips' work on a submitted message's recipient list (Q7), as the page lists it:
 * - a recipient of address type MAPIPDL, a personal distribution list, is replaced by the list's members, opened
 *   through the session's address book; a member that is such a list is expanded in turn, MAX_DEPTH lists deep at
 *   most, which also stops a list that holds itself (that list then stays as it was, and the event log says why);
 *   every member keeps the list's PR_RECIPIENT_TYPE;
 * - a recipient named by a one-off entry ID alone gets the address type and address the entry ID carries;
 * - a display name the client changed goes back to the entry's own: a one-off entry ID carries it, an address book
 *   entry is asked for it (one no address book opens keeps the client's);
 * - a recipient with the same address type and address as one before it, letter case aside, is a duplicate and is
 *   marked so with PR_RESPONSIBILITY TRUE: no transport is given it, so no one gets the message twice.
 * The list is written back only when something changed: row by row (MODRECIP_MODIFY), or, when a list was expanded,
 * whole (ModifyRecipients without flags replaces every row).
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "mail.h"
#include "oneoff.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(recipients);

#define MAX_DEPTH 8    /* lists within lists */
#define EXTRA_VALUES 4 /* room for what a row may gain: address type, address, display name, responsibility */

struct recipient {
    SPropValue *values; /* allocated more on the block */
    ULONG count;
    BOOL changed;
};

struct recipients {
    struct session *session;
    IAddrBook *address_book; /* opened when first needed */
    void *block;             /* every value's parent */
    struct recipient *all;
    ULONG count, capacity;
    struct recipients_done done;
};

static SPropValue *find(const struct recipient *recipient, ULONG tag)
{
    ULONG i;

    for (i = 0; i < recipient->count; i++)
        if (PROP_ID(recipient->values[i].ulPropTag) == PROP_ID(tag)) return &recipient->values[i];
    return NULL;
}

/* value, copied, in place of the recipient's value of its property ID or added. */
static HRESULT set(struct recipients *list, struct recipient *recipient, const SPropValue *value)
{
    SPropValue *slot = find(recipient, value->ulPropTag);

    if (!slot) slot = &recipient->values[recipient->count++];
    recipient->changed = TRUE;
    return prop_copy_into(value, slot, list->block);
}

/* A new recipient with the row's values (errors left out), room for EXTRA_VALUES more. */
static struct recipient *add(struct recipients *list, const SRow *row, HRESULT *hr)
{
    struct recipient *recipient;
    ULONG i;

    if (list->count == list->capacity) {
        ULONG capacity = list->capacity ? 2 * list->capacity : 16;
        struct recipient *more = realloc(list->all, capacity * sizeof(*more));

        if (!more) {
            *hr = MAPI_E_NOT_ENOUGH_MEMORY;
            return NULL;
        }
        list->all = more;
        list->capacity = capacity;
    }
    recipient = &list->all[list->count];
    memset(recipient, 0, sizeof(*recipient));
    if (FAILED(*hr = MAPIAllocateMore((row->cValues + EXTRA_VALUES) * sizeof(SPropValue), list->block,
                                      (void **)&recipient->values)))
        return NULL;
    for (i = 0; i < row->cValues; i++) {
        if (PROP_TYPE(row->lpProps[i].ulPropTag) == PT_ERROR) continue;
        if (FAILED(*hr = prop_copy_into(&row->lpProps[i], &recipient->values[recipient->count++], list->block)))
            return NULL;
    }
    list->count++;
    return recipient;
}

static const char *text(const struct recipient *recipient, ULONG tag, char *buffer, size_t size)
{
    SRow row = { 0, recipient->count, recipient->values };

    return mailbox_row_text(&row, tag, buffer, size);
}

static HRESULT open_address_book(struct recipients *list)
{
    if (list->address_book) return S_OK;
    return IMAPISession_OpenAddressBook(&list->session->IMAPISession_iface, 0, NULL, AB_NO_DIALOG, &list->address_book);
}

/* What the entry ID says: the display name, back if the client changed it, and for a one-off, the address type and
 * address the row lacks. */
static HRESULT complete(struct recipients *list, struct recipient *recipient)
{
    SizedSPropTagArray(3, tags) = { 3, { PR_DISPLAY_NAME_A, PR_ADDRTYPE_A, PR_EMAIL_ADDRESS_A } };
    const SPropValue *id = find(recipient, PR_ENTRYID);
    SPropValue *values = NULL;
    IMAPIProp *entry = NULL;
    ULONG type, count, i;
    char have[256];
    BOOL one_off, resolved = FALSE;
    HRESULT hr = S_OK;

    if (!id || PROP_TYPE(id->ulPropTag) != PT_BINARY) return S_OK;
    if ((one_off = oneoff_is(id->Value.bin.cb, (ENTRYID *)id->Value.bin.lpb))) {
        if (FAILED(oneoff_open(id->Value.bin.cb, (ENTRYID *)id->Value.bin.lpb, &type, (IUnknown **)&entry)))
            return S_OK;
    } else if (FAILED(open_address_book(list))
               || FAILED(IAddrBook_OpenEntry(list->address_book, id->Value.bin.cb, (ENTRYID *)id->Value.bin.lpb, NULL,
                                             0, &type, (IUnknown **)&entry))) {
        return S_OK; /* no address book knows it: what the client wrote stays */
    }
    if (SUCCEEDED(IMAPIProp_GetProps(entry, (SPropTagArray *)&tags, 0, &count, &values))) {
        for (i = 0; SUCCEEDED(hr) && i < count; i++) {
            const char *own = text(recipient, values[i].ulPropTag, have, sizeof(have));

            if (PROP_TYPE(values[i].ulPropTag) != PT_STRING8) continue;
            if (values[i].ulPropTag == PR_DISPLAY_NAME_A) {
                if (own && !strcmp(own, values[i].Value.lpszA)) continue;
                if (own) list->done.names++;
            } else {
                if (own || !one_off) continue;
                resolved = TRUE;
            }
            hr = set(list, recipient, &values[i]);
        }
        MAPIFreeBuffer(values);
    }
    list->done.one_offs += resolved;
    IMAPIProp_Release(entry);
    return hr;
}

/* The entry ID of a row that is a personal distribution list (address type MAPIPDL), or NULL. */
static const SPropValue *list_id(const SRow *row)
{
    const SPropValue *id = PpropFindProp(row->lpProps, row->cValues, PR_ENTRYID);
    char buffer[64];
    const char *type = mailbox_row_text(row, PR_ADDRTYPE_A, buffer, sizeof(buffer));

    return id && type && !strcmp(type, "MAPIPDL") ? id : NULL;
}

/* The members of the list id names, each a recipient of the given type, lists in it expanded. */
static HRESULT add_members(struct recipients *list, const SBinary *id, const SPropValue *recipient_type, ULONG depth)
{
    SizedSPropTagArray(4, columns) = { 4, { PR_ENTRYID, PR_DISPLAY_NAME_A, PR_ADDRTYPE_A, PR_EMAIL_ADDRESS_A } };
    SPropValue responsibility = { PR_RESPONSIBILITY, 0, { .b = FALSE } };
    IDistList *distlist;
    IMAPITable *table;
    SRowSet *members;
    ULONG type, i;
    HRESULT hr;

    if (depth == MAX_DEPTH) return MAPI_E_TOO_COMPLEX;
    if (FAILED(hr = open_address_book(list))
        || FAILED(hr = IAddrBook_OpenEntry(list->address_book, id->cb, (ENTRYID *)id->lpb, NULL, 0, &type,
                                           (IUnknown **)&distlist)))
        return hr;
    if (type != MAPI_DISTLIST) {
        IUnknown_Release((IUnknown *)distlist);
        return MAPI_E_NOT_FOUND;
    }
    hr = IDistList_GetContentsTable(distlist, 0, &table);
    IDistList_Release(distlist);
    if (FAILED(hr)) return hr;
    hr = HrQueryAllRows(table, (SPropTagArray *)&columns, NULL, NULL, 0, &members);
    IMAPITable_Release(table);
    if (FAILED(hr)) return hr;
    for (i = 0; SUCCEEDED(hr) && i < members->cRows; i++) {
        const SRow *row = &members->aRow[i];
        const SPropValue *member_list = list_id(row);
        struct recipient *member;

        if (member_list)
            hr = add_members(list, &member_list->Value.bin, recipient_type, depth + 1);
        else if ((member = add(list, row, &hr))) {
            if (recipient_type) hr = set(list, member, recipient_type);
            if (SUCCEEDED(hr)) hr = set(list, member, &responsibility);
            if (SUCCEEDED(hr)) hr = complete(list, member);
        }
    }
    FreeProws(members);
    return hr;
}

/* A list recipient replaced by its members; TRUE if it was. A list that cannot be expanded stays, named. */
static BOOL expand(struct recipients *list, const SRow *row)
{
    const SPropValue *id = list_id(row);
    ULONG before = list->count;
    char buffer[64];
    const char *name;
    HRESULT hr;

    if (!id) return FALSE;
    if (SUCCEEDED(
            hr = add_members(list, &id->Value.bin, PpropFindProp(row->lpProps, row->cValues, PR_RECIPIENT_TYPE), 0))) {
        list->done.lists++;
        return TRUE;
    }
    list->count = before; /* what was added stays in the block, unused */
    name = mailbox_row_text(row, PR_DISPLAY_NAME_A, buffer, sizeof(buffer));
    event_error(ABOUT_HOST, "Q7",
                "IMAPISupport::ExpandRecips: the personal distribution list %s cannot be expanded (%s)",
                name ? name : "(no name)", hresult_text(hr));
    return FALSE;
}

/* A recipient not yet handled whose address type and address an earlier one has is marked handled. */
static HRESULT mark_duplicates(struct recipients *list)
{
    SPropValue handled = { PR_RESPONSIBILITY, 0, { .b = TRUE } };
    char type[64], address[256], other_type[64], other_address[256];
    ULONG i, j;
    HRESULT hr = S_OK;

    for (i = 1; SUCCEEDED(hr) && i < list->count; i++) {
        const SPropValue *mine = find(&list->all[i], PR_RESPONSIBILITY);
        const char *my_type = text(&list->all[i], PR_ADDRTYPE_A, type, sizeof(type));
        const char *my_address = text(&list->all[i], PR_EMAIL_ADDRESS_A, address, sizeof(address));

        if ((mine && mine->Value.b) || !my_type || !my_address) continue;
        for (j = 0; j < i; j++) {
            const char *t = text(&list->all[j], PR_ADDRTYPE_A, other_type, sizeof(other_type));
            const char *a = text(&list->all[j], PR_EMAIL_ADDRESS_A, other_address, sizeof(other_address));

            if (t && a && !_stricmp(t, my_type) && !_stricmp(a, my_address)) break;
        }
        if (j == i) continue;
        list->done.duplicates++;
        hr = set(list, &list->all[i], &handled);
    }
    return hr;
}

/* Written back: the changed rows, or with expanded lists every row (their row IDs left out). */
static HRESULT write_back(struct recipients *list, IMessage *message, BOOL whole)
{
    ADRLIST *out;
    ULONG i, j;
    HRESULT hr;

    if (FAILED(hr = MAPIAllocateMore(CbNewADRLIST(list->count), list->block, (void **)&out))) return hr;
    out->cEntries = 0;
    for (i = 0; i < list->count; i++) {
        struct recipient *recipient = &list->all[i];
        ADRENTRY *entry = &out->aEntries[out->cEntries];

        if (!whole && (!recipient->changed || !find(recipient, PR_ROWID))) continue;
        entry->ulReserved1 = 0;
        entry->cValues = 0;
        entry->rgPropVals = recipient->values;
        for (j = 0; j < recipient->count; j++)
            if (!whole || PROP_ID(recipient->values[j].ulPropTag) != PROP_ID(PR_ROWID))
                recipient->values[entry->cValues++] = recipient->values[j];
        out->cEntries++;
    }
    if (!out->cEntries && !whole) return S_OK;
    return IMessage_ModifyRecipients(message, whole ? 0 : MODRECIP_MODIFY, out);
}

HRESULT recipients_complete(struct session *session, IMessage *message, struct recipients_done *done, SRowSet **rows)
{
    struct recipients list = { .session = session };
    BOOL expanded = FALSE, changed = FALSE;
    HRESULT hr;
    ULONG i;

    memset(done, 0, sizeof(*done));
    if (FAILED(hr = mailbox_read_recipients(message, rows))) return hr;
    if (FAILED(hr = MAPIAllocateBuffer(1, &list.block))) {
        FreeProws(*rows);
        return hr;
    }
    for (i = 0; SUCCEEDED(hr) && i < (*rows)->cRows; i++) {
        struct recipient *recipient;

        if (expand(&list, &(*rows)->aRow[i]))
            expanded = TRUE;
        else if ((recipient = add(&list, &(*rows)->aRow[i], &hr)))
            hr = complete(&list, recipient);
    }
    if (SUCCEEDED(hr)) hr = mark_duplicates(&list);
    for (i = 0; i < list.count; i++) changed |= list.all[i].changed;
    if (SUCCEEDED(hr) && (expanded || changed)) {
        /* What was written back is read again: the store's rows, as every caller will see them. */
        FreeProws(*rows);
        *rows = NULL;
        if (SUCCEEDED(hr = write_back(&list, message, expanded))) hr = mailbox_read_recipients(message, rows);
    }
    if (FAILED(hr) && *rows) {
        FreeProws(*rows);
        *rows = NULL;
    }
    *done = list.done;
    if (list.address_book) IAddrBook_Release(list.address_book);
    free(list.all);
    MAPIFreeBuffer(list.block);
    return hr;
}
