/*
 * The session's status table and message-store table (spec §6.3, H29, H30).
 *
 * Status rows: MAPI's own subsystem row (row ID 0, there for the whole session), and every row a logon adds with
 * ModifyStatusRow. A published row is the provider's columns, then the ones MAPI supplies (PR_PROVIDER_DLL_NAME,
 * PR_RESOURCE_FLAGS, PR_RESOURCE_TYPE: the host's values win over the provider's, E15), then the computed ones
 * (PR_ROWID, PR_ENTRYID, PR_INSTANCE_KEY, PR_OBJECT_TYPE). A status PR_ENTRYID is four flag bytes, the host's status
 * MAPIUID and the row ID; IMAPISession::OpenEntry sends it to the logon's OpenStatusEntry.
 *
 * Store rows: every store provider of the profile but those marked STATUS_TEMP_SECTION (H30). A store PR_ENTRYID is
 * made by the host: four flag bytes, the host's store MAPIUID and the provider section's MAPIUID; OpenMsgStore
 * passes it to IMSProvider::Logon as is.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "propval.h"
#include "core.h"
#include "table.h"

static const MAPIUID status_uid = { { 'm', 'a', 'p', 'i', 'h', 'o', 's', 't', '-', 's', 't', 'a', 't', 'u', 's', 0 } };
static const MAPIUID store_uid = { { 'm', 'a', 'p', 'i', 'h', 'o', 's', 't', '-', 's', 't', 'o', 'r', 'e', 0, 0 } };

struct host_entry_id {
    BYTE flags[4];
    MAPIUID uid;
    union {
        ULONG rowid;     /* status entry IDs */
        MAPIUID section; /* store entry IDs */
    } u;
};
#define STATUS_ENTRY_ID_SIZE (offsetof(struct host_entry_id, u) + sizeof(ULONG))
#define STORE_ENTRY_ID_SIZE (offsetof(struct host_entry_id, u) + sizeof(MAPIUID))

static const ULONG status_columns[] = {
    PR_ROWID,       PR_DISPLAY_NAME,     PR_PROVIDER_DISPLAY, PR_PROVIDER_DLL_NAME, PR_RESOURCE_TYPE, PR_RESOURCE_FLAGS,
    PR_STATUS_CODE, PR_RESOURCE_METHODS, PR_STATUS_STRING,    PR_ENTRYID,           PR_INSTANCE_KEY,  PR_OBJECT_TYPE,
};
/* The columns MAPI's message-store table has (msgstore-tables.md), the ones the page requires among them. */
static const ULONG store_columns[] = {
    PR_ROWID,         PR_ENTRYID,      PR_DISPLAY_NAME, PR_MDB_PROVIDER, PR_RESOURCE_FLAGS,
    PR_DEFAULT_STORE, PR_INSTANCE_KEY, PR_OBJECT_TYPE,  PR_RECORD_KEY,   PR_PROVIDER_DISPLAY,
    PR_RESOURCE_TYPE, PR_PROVIDER_UID, PR_SERVICE_UID,
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const ULONG resource_types[3] = { MAPI_AB_PROVIDER, MAPI_STORE_PROVIDER, MAPI_TRANSPORT_PROVIDER };

static void set_long(SPropValue *value, ULONG tag, ULONG number)
{
    value->ulPropTag = tag;
    value->Value.ul = number;
}

static void set_binary(SPropValue *value, ULONG tag, ULONG size, const void *bytes)
{
    value->ulPropTag = tag;
    value->Value.bin.cb = size;
    value->Value.bin.lpb = (BYTE *)bytes;
}

static void set_string(SPropValue *value, ULONG tag, const char *text)
{
    value->ulPropTag = tag;
    value->Value.lpszA = (char *)text;
}

/* The computed columns every row has; the instance key is the row ID's bytes. What rowid and entry_id point to must
 * outlive the values, which are copied before they go. */
static ULONG set_computed(SPropValue *values, const ULONG *rowid, ULONG object_type,
                          const struct host_entry_id *entry_id, ULONG entry_id_size)
{
    set_long(&values[0], PR_ROWID, *rowid);
    set_binary(&values[1], PR_ENTRYID, entry_id_size, entry_id);
    set_binary(&values[2], PR_INSTANCE_KEY, sizeof(*rowid), rowid);
    set_long(&values[3], PR_OBJECT_TYPE, object_type);
    return 4;
}

static BOOL supplied_by_mapi(ULONG tag)
{
    static const ULONG tags[] = { PR_PROVIDER_DLL_NAME, PR_RESOURCE_FLAGS, PR_RESOURCE_TYPE, PR_ROWID,
                                  PR_ENTRYID,           PR_INSTANCE_KEY,   PR_OBJECT_TYPE };
    ULONG i;

    for (i = 0; i < COUNT(tags); i++)
        if (props_find(1, &(SPropValue){ .ulPropTag = tag }, tags[i])) return TRUE;
    return FALSE;
}

static HRESULT decorate_status_row(void *context, const struct status_row *row, ULONG *count, SPropValue **values)
{
    const struct logon *logon = row->owner;
    const struct profile_provider *config = logon->config;
    struct host_entry_id entry_id = { .uid = status_uid, .u.rowid = row->rowid };
    SPropValue extra[9], *all;
    ULONG n = 0, i, total;
    HRESULT hr;

    set_string(&extra[n++], PR_PROVIDER_DLL_NAME_A, config->dll_name);
    set_long(&extra[n++], PR_RESOURCE_FLAGS, config->resource_flags);
    set_long(&extra[n++], PR_RESOURCE_TYPE, resource_types[config->kind]);
    if (!props_find(row->count, row->props, PR_DISPLAY_NAME_A))
        set_string(&extra[n++], PR_DISPLAY_NAME_A, config->display_name);
    n += set_computed(&extra[n], &row->rowid, MAPI_STATUS, &entry_id, STATUS_ENTRY_ID_SIZE);

    if ((hr = MAPIAllocateBuffer((row->count + n) * sizeof(*all), (void **)&all)) != S_OK) return hr;
    for (i = 0, total = 0; hr == S_OK && i < row->count; i++)
        if (!supplied_by_mapi(row->props[i].ulPropTag)) hr = prop_copy_into(&row->props[i], &all[total++], all);
    for (i = 0; hr == S_OK && i < n; i++) hr = prop_copy_into(&extra[i], &all[total++], all);
    if (hr != S_OK) {
        MAPIFreeBuffer(all);
        return hr;
    }
    *count = total;
    *values = all;
    return S_OK;
}

HRESULT statustable_init(struct session *session)
{
    struct host_entry_id entry_id = { .uid = status_uid, .u.rowid = 0 };
    SPropValue values[12];
    ULONG n = 0, rowid = 0;

    if (!(session->status_table = tabledata_create(COUNT(status_columns), status_columns)))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    /* MAPI's own row: there from logon to the end of the session (H29). */
    set_string(&values[n++], PR_DISPLAY_NAME_A, "MAPI Subsystem");
    set_string(&values[n++], PR_PROVIDER_DISPLAY_A, "mapihost");
    set_string(&values[n++], PR_PROVIDER_DLL_NAME_A, "mapihost.dll");
    set_long(&values[n++], PR_RESOURCE_TYPE, MAPI_SUBSYSTEM);
    set_long(&values[n++], PR_RESOURCE_FLAGS, 0);
    set_long(&values[n++], PR_STATUS_CODE, STATUS_AVAILABLE);
    set_long(&values[n++], PR_RESOURCE_METHODS, 0);
    n += set_computed(&values[n], &rowid, MAPI_STATUS, &entry_id, STATUS_ENTRY_ID_SIZE);
    statusrows_publish_to(&session->status_rows, session->status_table, decorate_status_row, session);
    return tabledata_set_row(session->status_table, n, values);
}

/* S25: the identity of the row flagged STATUS_PRIMARY_IDENTITY. Without one, MAPI_W_NO_SERVICE and the first identity
 * any status row has, as the documented default; with no identity at all, MAPI_E_NOT_FOUND. */
HRESULT statustable_identity(struct session *session, ULONG *size, ENTRYID **entry_id)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_RESOURCE_FLAGS, PR_IDENTITY_ENTRYID } };
    const SBinary *chosen = NULL;
    SRowSet *rows = NULL;
    IMAPITable *view;
    HRESULT hr;
    ULONG i;

    if ((hr = tabledata_open_view(session->status_table, &view)) != S_OK) return hr;
    hr = HrQueryAllRows(view, (SPropTagArray *)&columns, NULL, NULL, 0, &rows);
    IMAPITable_Release(view);
    if (hr != S_OK) return hr;
    for (i = 0; i < rows->cRows; i++) {
        const SPropValue *values = rows->aRow[i].lpProps;
        if (values[1].ulPropTag != PR_IDENTITY_ENTRYID) continue;
        if (values[0].ulPropTag == PR_RESOURCE_FLAGS && values[0].Value.l & STATUS_PRIMARY_IDENTITY) {
            chosen = &values[1].Value.bin;
            hr = S_OK;
            break;
        }
        if (!chosen) {
            chosen = &values[1].Value.bin;
            hr = MAPI_W_NO_SERVICE;
        }
    }
    if (!chosen)
        hr = MAPI_E_NOT_FOUND;
    else if (SUCCEEDED(MAPIAllocateBuffer(chosen->cb, (void **)entry_id))) {
        memcpy(*entry_id, chosen->lpb, chosen->cb);
        *size = chosen->cb;
    } else
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    FreeProws(rows);
    return hr;
}

static const struct host_entry_id *host_entry_id(ULONG size, const ENTRYID *entry_id, const MAPIUID *uid,
                                                 ULONG expected_size)
{
    const struct host_entry_id *id = (const struct host_entry_id *)entry_id;

    if (!entry_id || size != expected_size || memcmp(&id->uid, uid, sizeof(*uid))) return NULL;
    return id;
}

BOOL statustable_parse_entry_id(struct session *session, ULONG size, const ENTRYID *entry_id, ULONG *rowid,
                                struct logon **logon)
{
    const struct host_entry_id *id = host_entry_id(size, entry_id, &status_uid, STATUS_ENTRY_ID_SIZE);

    *logon = NULL;
    if (!id) return FALSE;
    *rowid = id->u.rowid;
    if (id->u.rowid) *logon = statusrows_owner_of(&session->status_rows, id->u.rowid);
    return TRUE;
}

HRESULT statustable_set_host_row(struct session *session, ULONG rowid, ULONG count, const SPropValue *values)
{
    struct host_entry_id entry_id = { .uid = status_uid, .u.rowid = rowid };
    SPropValue *all;
    HRESULT hr;

    if (!(all = calloc(count + 4, sizeof(*all)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(all, values, count * sizeof(*all));
    count += set_computed(&all[count], &rowid, MAPI_STATUS, &entry_id, STATUS_ENTRY_ID_SIZE);
    hr = tabledata_set_row(session->status_table, count, all);
    free(all);
    return hr;
}

void statustable_remove_host_row(struct session *session, ULONG rowid)
{
    tabledata_delete_row(session->status_table, rowid);
}

static HRESULT add_store_row(struct table_data *table, ULONG rowid, const struct profile_provider *config)
{
    const SPropValue *mdb_provider = profile_find_prop(&config->section, PR_MDB_PROVIDER);
    struct host_entry_id entry_id = { .uid = store_uid, .u.section = config->section.uid };
    const SPropValue *record_key = profile_find_prop(&config->section, PR_RECORD_KEY);
    const SPropValue *provider_display = profile_find_prop(&config->section, PR_PROVIDER_DISPLAY_A);
    SPropValue values[16];
    ULONG n = 0;

    set_string(&values[n++], PR_DISPLAY_NAME_A, config->display_name);
    /* The store's record key as its profile section has it, else the section's MAPIUID, which names it too. */
    if (record_key && PROP_TYPE(record_key->ulPropTag) == PT_BINARY)
        set_binary(&values[n++], PR_RECORD_KEY, record_key->Value.bin.cb, record_key->Value.bin.lpb);
    else
        set_binary(&values[n++], PR_RECORD_KEY, sizeof(MAPIUID), &config->section.uid);
    set_string(&values[n++], PR_PROVIDER_DISPLAY_A,
               provider_display && PROP_TYPE(provider_display->ulPropTag) == PT_STRING8 ? provider_display->Value.lpszA
                                                                                        : config->display_name);
    set_long(&values[n++], PR_RESOURCE_TYPE, MAPI_STORE_PROVIDER);
    set_binary(&values[n++], PR_PROVIDER_UID, sizeof(MAPIUID), &config->section.uid);
    set_binary(&values[n++], PR_SERVICE_UID, sizeof(MAPIUID), &config->service->section.uid);
    if (mdb_provider)
        set_binary(&values[n++], PR_MDB_PROVIDER, mdb_provider->Value.bin.cb, mdb_provider->Value.bin.lpb);
    else
        set_binary(&values[n++], PR_MDB_PROVIDER, sizeof(MAPIUID), &config->section.uid);
    set_long(&values[n++], PR_RESOURCE_FLAGS, config->resource_flags);
    values[n].ulPropTag = PR_DEFAULT_STORE;
    values[n++].Value.b = !!(config->resource_flags & STATUS_DEFAULT_STORE);
    n += set_computed(&values[n], &rowid, MAPI_STORE, &entry_id, STORE_ENTRY_ID_SIZE);
    return tabledata_set_row(table, n, values);
}

HRESULT storetable_init(struct session *session)
{
    const struct profile *profile = session->profile;
    ULONG i, j, rowid = 1;
    HRESULT hr = S_OK;

    if (!(session->store_table = tabledata_create(COUNT(store_columns), store_columns)))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; hr == S_OK && i < profile->service_count; i++)
        for (j = 0; hr == S_OK && j < profile->services[i]->provider_count; j++) {
            const struct profile_provider *config = profile->services[i]->providers[j];
            if (config->kind == PROVIDER_MS && !(config->resource_flags & STATUS_TEMP_SECTION))
                hr = add_store_row(session->store_table, rowid++, config);
        }
    return hr;
}

const struct profile_provider *storetable_find(struct session *session, ULONG size, const ENTRYID *entry_id)
{
    const struct host_entry_id *id = host_entry_id(size, entry_id, &store_uid, STORE_ENTRY_ID_SIZE);
    const struct profile *profile = session->profile;
    ULONG i, j;

    for (i = 0; id && i < profile->service_count; i++)
        for (j = 0; j < profile->services[i]->provider_count; j++) {
            const struct profile_provider *config = profile->services[i]->providers[j];
            if (config->kind == PROVIDER_MS && !memcmp(&config->section.uid, &id->u.section, sizeof(MAPIUID)))
                return config;
        }
    return NULL;
}

const struct profile_provider *storetable_default(struct session *session, ULONG *size, BYTE *entry_id)
{
    const struct profile *profile = session->profile;
    ULONG i, j;

    for (i = 0; i < profile->service_count; i++)
        for (j = 0; j < profile->services[i]->provider_count; j++) {
            const struct profile_provider *config = profile->services[i]->providers[j];
            struct host_entry_id id = { .uid = store_uid, .u.section = config->section.uid };

            if (config->kind != PROVIDER_MS || !(config->resource_flags & STATUS_DEFAULT_STORE)) continue;
            memcpy(entry_id, &id, STORE_ENTRY_ID_SIZE);
            *size = STORE_ENTRY_ID_SIZE;
            return config;
        }
    return NULL;
}
