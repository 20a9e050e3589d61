/*
 * The support object a logon gets (spec §2.11, H6, E3, E12, F5), unit-tested against a real session of the host's
 * static core: each test gives a logon of one type its support object and calls it as a provider would.
 */
#include "test_support.h"
#include "mapihost_private.h"
#include "core.h"

static const char profile_text[] =
    "[Services]\nS = Service\n"
    "[S]\nProviders = P\n"
    "[P]\nPR_PROVIDER_DLL_NAME = none.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\nPR_DISPLAY_NAME = Provider P\n"
    "6600001e = some setting\nPR_RESOURCE_FLAGS = STATUS_TEMP_SECTION | STATUS_DEFAULT_STORE\n";

struct fixture {
    IMAPISession *iface;
    struct session *session;
    struct provider provider;
    struct logon logon;
    IMAPISupport *support;
    char path[MAX_PATH]; /* the profile file, removed at teardown */
};

static struct fixture *setup_kind(enum provider_kind kind)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct profile *profile;
    HRESULT hr;

    write_temp_file("support.inf", profile_text, f->path, sizeof(f->path));
    profile = profile_load(f->path, &hr);
    assert_non_null(profile);
    assert_int_equal(session_create(profile, "support", 0, &f->iface), S_OK);
    f->session = CONTAINING_RECORD(f->iface, struct session, IMAPISession_iface);
    f->provider.session = f->session;
    f->provider.kind = kind;
    f->logon.session = f->session;
    f->logon.provider = &f->provider;
    f->logon.config = profile->services[0]->providers[0];
    f->logon.support = support_create(&f->logon, logon_support_released);
    assert_non_null(f->logon.support);
    f->support = support_iface(f->logon.support);
    return f;
}

static void teardown_fixture(struct fixture *f)
{
    if (f->logon.support) assert_int_equal(IMAPISupport_Release(f->support), 0);
    assert_int_equal(IMAPISession_Logoff(f->iface, 0, 0, 0), S_OK);
    assert_int_equal(IMAPISession_Release(f->iface), 0);
    DeleteFileA(f->path);
    free(f);
}

static void test_no_slot_is_null(void **state)
{
    struct fixture *f = setup_kind(PROVIDER_AB);
    void *const *slots = (void *const *)f->support->lpVtbl;
    unsigned int i;

    for (i = 0; i < sizeof(IMAPISupportVtbl) / sizeof(void *); i++)
        if (!slots[i]) fail_msg("IMAPISupport slot %u is NULL", i);
    teardown_fixture(f);
}

/* H6: what applies to one type is MAPI_E_NO_SUPPORT on the others (spec §2.11, E31). */
static void test_methods_by_type(void **state)
{
    static const enum provider_kind kinds[] = { PROVIDER_AB, PROVIDER_MS, PROVIDER_XP };
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(kinds); i++) {
        struct fixture *f = setup_kind(kinds[i]);
        LPALLOCATEBUFFER allocate_buffer;
        LPALLOCATEMORE allocate_more;
        LPFREEBUFFER free_buffer;
        ULONG flags = LOGOFF_ORDERLY;
        ENTRYID *entry_id;
        MAPIUID uid;

        assert_int_equal(IMAPISupport_NewUID(f->support, &uid), S_OK);
        assert_int_equal(IMAPISupport_GetMemAllocRoutines(f->support, &allocate_buffer, &allocate_more, &free_buffer),
                         S_OK);
        assert_ptr_equal(allocate_buffer, MAPIAllocateBuffer);
        assert_ptr_equal(free_buffer, MAPIFreeBuffer);
        assert_int_equal(IMAPISupport_SetProviderUID(f->support, &uid, 0),
                         kinds[i] == PROVIDER_XP ? MAPI_E_NO_SUPPORT : S_OK);
        assert_int_equal(IMAPISupport_StoreLogoffTransports(f->support, &flags),
                         kinds[i] == PROVIDER_MS ? S_OK : MAPI_E_NO_SUPPORT);
        assert_int_equal(flags, kinds[i] == PROVIDER_MS ? LOGOFF_COMPLETE : LOGOFF_ORDERLY);
        assert_int_equal(IMAPISupport_SpoolerYield(f->support, 0), kinds[i] == PROVIDER_XP ? S_OK : MAPI_E_NO_SUPPORT);
        assert_int_equal(IMAPISupport_CreateOneOff(f->support, "n", "SMTP", "a@b", 0, &flags, &entry_id), S_OK);
        assert_int_equal(flags, 4 + sizeof(MAPIUID) + 4 + sizeof("n") + sizeof("SMTP") + sizeof("a@b"));
        MAPIFreeBuffer(entry_id);
        assert_int_equal(IMAPISupport_RegisterPreprocessor(f->support, NULL, "SMTP", "pre.dll", "Pre", "Remove", 0),
                         kinds[i] == PROVIDER_XP ? S_OK : MAPI_E_NO_SUPPORT);
        teardown_fixture(f);
    }
}

/* E3: the support object's last Release takes the logon's UIDs (duplicates included, H9) and status rows with it. */
static void test_last_release_removes_uids_and_rows(void **state)
{
    struct fixture *f = setup_kind(PROVIDER_MS);
    SPropValue row[2] = { { PR_DISPLAY_NAME_W, 0, { .lpszW = L"wide" } }, { PR_STATUS_CODE, 0, { .l = 1 } } };
    MAPIHOST_SESSION_STATE state_now;
    ULONG flags = 0;
    MAPIUID uid;

    assert_int_equal(IMAPISupport_NewUID(f->support, &uid), S_OK);
    assert_int_equal(IMAPISupport_SetProviderUID(f->support, &uid, 0), S_OK);
    assert_int_equal(IMAPISupport_SetProviderUID(f->support, &uid, 0), S_OK);
    assert_int_equal(IMAPISupport_ModifyStatusRow(f->support, 2, row, 0), S_OK);
    assert_int_equal(IMAPISupport_ModifyStatusRow(f->support, 1, &row[1], STATUSROW_UPDATE), S_OK);
    assert_int_equal(IMAPISupport_ModifyStatusRow(f->support, 1, &row[1], 0x1), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(MapihostGetSessionState((IUnknown *)f->iface, &state_now), S_OK);
    assert_int_equal(state_now.uids, 2);
    assert_int_equal(state_now.status_rows, 2);
    /* E6: StoreLogoffTransports wants exactly one input flag */
    assert_int_equal(IMAPISupport_StoreLogoffTransports(f->support, &flags), MAPI_E_INVALID_PARAMETER);

    assert_int_equal(IMAPISupport_AddRef(f->support), 2);
    assert_int_equal(IMAPISupport_Release(f->support), 1);
    assert_int_equal(MapihostGetSessionState((IUnknown *)f->iface, &state_now), S_OK);
    assert_int_equal(state_now.uids, 2);
    assert_int_equal(IMAPISupport_Release(f->support), 0);
    assert_null(f->logon.support);
    assert_int_equal(MapihostGetSessionState((IUnknown *)f->iface, &state_now), S_OK);
    assert_int_equal(state_now.uids, 0);
    assert_int_equal(state_now.status_rows, 1);

    /* one Release too many: reported, never freed twice */
    capture_errors();
    assert_int_equal(IMAPISupport_Release(f->support), 0);
    assert_error_mentions("more often than it added references (H12)");
    teardown_fixture(f);
}

/* E21: a detached support object fails every call but AddRef and Release. */
static void test_detached_support_object(void **state)
{
    struct fixture *f = setup_kind(PROVIDER_AB);
    MAPIUID uid;

    support_detach(f->logon.support);
    assert_int_equal(IMAPISupport_NewUID(f->support, &uid), MAPI_E_INVALID_OBJECT);
    assert_int_equal(IMAPISupport_SetProviderUID(f->support, &uid, 0), MAPI_E_INVALID_OBJECT);
    assert_int_equal(IMAPISupport_Release(f->support), 0);
    f->logon.support = NULL;
    teardown_fixture(f);
}

/* Spec §2.11, F5: the provider's own section (NULL), another one by UID, one made on demand; read-only unless
 * opened with MAPI_MODIFY, and strings in the width asked for. */
static void test_profile_sections(void **state)
{
    SizedSPropTagArray(3, tags) = { 3, { PR_DISPLAY_NAME_W, PROP_TAG(PT_STRING8, 0x6600), PR_STATUS_CODE } };
    static const MAPIUID own_uid = { { 'a', 'n', 'y', ' ', 'h', 'a', 'r', 'd', '-', 'c', 'o', 'd', 'e', 'd', ' ',
                                       '1' } };
    struct fixture *f = setup_kind(PROVIDER_AB);
    SPropValue *values, value = { PROP_TAG(PT_STRING8, 0x6601), 0, { .lpszA = (char *)"written" } };
    IProfSect *section, *again;
    ULONG count;

    assert_int_equal(IMAPISupport_OpenProfileSection(f->support, NULL, 0, &section), S_OK);
    assert_int_equal(IProfSect_GetProps(section, (SPropTagArray *)&tags, 0, &count, &values), MAPI_W_ERRORS_RETURNED);
    assert_int_equal(count, 3);
    assert_int_equal(values[0].ulPropTag, PR_DISPLAY_NAME_W);
    assert_true(!lstrcmpW(values[0].Value.lpszW, L"Provider P"));
    assert_string_equal(values[1].Value.lpszA, "some setting");
    assert_int_equal(values[2].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_STATUS_CODE)));
    MAPIFreeBuffer(values);
    assert_int_equal(IProfSect_SetProps(section, 1, &value, NULL), MAPI_E_NO_ACCESS);
    IProfSect_Release(section);

    assert_int_equal(IMAPISupport_OpenProfileSection(f->support, (MAPIUID *)&own_uid, MAPI_MODIFY, &section), S_OK);
    /* A new section shows only what every section computes: PR_PROFILE_NAME and PR_OBJECT_TYPE (S2). */
    assert_int_equal(IProfSect_GetProps(section, NULL, 0, &count, &values), S_OK);
    assert_int_equal(count, 2);
    assert_int_equal(values[0].ulPropTag, PR_PROFILE_NAME_A);
    assert_non_null(strstr(values[0].Value.lpszA, "-support")); /* the file name, less .inf */
    assert_int_equal(values[1].ulPropTag, PR_OBJECT_TYPE);
    assert_int_equal(values[1].Value.l, MAPI_PROFSECT);
    MAPIFreeBuffer(values);
    assert_int_equal(IProfSect_SetProps(section, 1, &value, NULL), S_OK);
    assert_int_equal(IMAPISupport_OpenProfileSection(f->support, (MAPIUID *)&own_uid, 0, &again), S_OK);
    assert_int_equal(IProfSect_GetProps(again, NULL, 0, &count, &values), S_OK);
    assert_int_equal(count, 3);
    assert_string_equal(values[0].Value.lpszA, "written");
    MAPIFreeBuffer(values);
    IProfSect_Release(again);
    IProfSect_Release(section);
    assert_int_equal(IMAPISupport_OpenProfileSection(f->support, NULL, 0x4000, &section), MAPI_E_UNKNOWN_FLAGS);
    teardown_fixture(f);
}

static void test_subscriptions(void **state)
{
    struct fixture *f = setup_kind(PROVIDER_AB);
    struct test_sink sink = TEST_SINK_INIT;
    struct {
        ULONG cb;
        BYTE ab[4];
    } key = { 4, "key" }, other = { 4, "oth" };
    NOTIFICATION notification = { .ulEventType = fnevNewMail };
    ULONG_PTR connection;
    ULONG flags;

    assert_int_equal(
        IMAPISupport_Subscribe(f->support, (NOTIFKEY *)&key, fnevNewMail, 0, &sink.IMAPIAdviseSink_iface, &connection),
        S_OK);
    assert_int_equal(sink.refcount, 2);
    assert_int_equal(IMAPISupport_Notify(f->support, (NOTIFKEY *)&other, 1, &notification, &flags), S_OK);
    assert_int_equal(sink.changes, 0);
    assert_int_equal(IMAPISupport_Notify(f->support, (NOTIFKEY *)&key, 1, &notification, &flags), S_OK);
    assert_int_equal(sink.changes, 1);
    assert_int_equal(sink.last_type, fnevNewMail);
    assert_int_equal(IMAPISupport_Unsubscribe(f->support, connection), S_OK);
    assert_int_equal(sink.refcount, 1);
    assert_int_equal(IMAPISupport_Unsubscribe(f->support, connection), MAPI_E_NOT_FOUND);

    /* left subscribed (F5): released with the support object */
    assert_int_equal(
        IMAPISupport_Subscribe(f->support, (NOTIFKEY *)&key, fnevNewMail, 0, &sink.IMAPIAdviseSink_iface, &connection),
        S_OK);
    assert_int_equal(IMAPISupport_Release(f->support), 0);
    f->logon.support = NULL;
    assert_int_equal(sink.refcount, 1);
    teardown_fixture(f);
}

/* E12: MakeInvalid keeps QueryInterface, AddRef and Release, and fails the rest with MAPI_E_INVALID_OBJECT. */
struct object {
    const void *const *vtbl;
    LONG refcount;
};
static HRESULT WINAPI object_qi(struct object *o, REFIID riid, void **out)
{
    *out = o;
    return S_OK;
}
static ULONG WINAPI object_addref(struct object *o)
{
    return ++o->refcount;
}
static ULONG WINAPI object_release(struct object *o)
{
    return --o->refcount;
}
static HRESULT WINAPI object_method(struct object *o, ULONG a, ULONG b)
{
    return S_OK;
}

static void test_make_invalid(void **state)
{
    static const void *const vtbl[] = { object_qi, object_addref, object_release, object_method, object_method };
    struct fixture *f = setup_kind(PROVIDER_XP);
    struct object object = { vtbl, 1 };
    HRESULT(WINAPI * method)(struct object *, ULONG, ULONG);
    ULONG(WINAPI * release)(struct object *);

    assert_int_equal(IMAPISupport_MakeInvalid(f->support, 0, &object, 1, 2), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPISupport_MakeInvalid(f->support, 0, &object, 1, 5), S_OK);
    assert_ptr_not_equal(object.vtbl, vtbl);
    assert_ptr_equal(object.vtbl[0], vtbl[0]);
    release = object.vtbl[2];
    method = object.vtbl[4];
    assert_int_equal(method(&object, 1, 2), MAPI_E_INVALID_OBJECT);
    assert_int_equal(release(&object), 0);
    teardown_fixture(f);
}

/* DoCopyProps and DoCopyTo (stores): MAPI's generic copy, here between two profile sections; MAPI_NOREPLACE and
 * MAPI_MOVE. ModifyProfile: the store's section is no longer temporary (S36). */
static void test_copy_and_modify_profile(void **state)
{
    static const MAPIUID a_uid = { { 'c', 'o', 'p', 'y', ' ', 's', 'o', 'u', 'r', 'c', 'e', ' ', ' ', ' ', ' ', '1' } };
    static const MAPIUID b_uid = { { 'c', 'o', 'p', 'y', ' ', 'd', 'e', 's', 't', ' ', ' ', ' ', ' ', ' ', ' ', '2' } };
    SPropValue values[] = { { PROP_TAG(PT_LONG, 0x6601), 0, { .l = 1 } },
                            { PROP_TAG(PT_STRING8, 0x6602), 0, { .lpszA = (char *)"two" } },
                            { PROP_TAG(PT_LONG, 0x6603), 0, { .l = 3 } } };
    SPropValue kept = { PROP_TAG(PT_STRING8, 0x6602), 0, { .lpszA = (char *)"kept" } }, *read;
    SizedSPropTagArray(2, some) = { 2, { PROP_TAG(PT_LONG, 0x6601), PROP_TAG(PT_STRING8, 0x6602) } };
    SizedSPropTagArray(1, flags_tag) = { 1, { PR_RESOURCE_FLAGS } };
    struct fixture *f = setup_kind(PROVIDER_MS);
    IProfSect *a, *b, *own;
    ULONG count;

    assert_int_equal(IMAPISupport_OpenProfileSection(f->support, (MAPIUID *)&a_uid, MAPI_MODIFY, &a), S_OK);
    assert_int_equal(IMAPISupport_OpenProfileSection(f->support, (MAPIUID *)&b_uid, MAPI_MODIFY, &b), S_OK);
    assert_int_equal(IProfSect_SetProps(a, 3, values, NULL), S_OK);
    assert_int_equal(IProfSect_SetProps(b, 1, &kept, NULL), S_OK);
    assert_int_equal(IMAPISupport_DoCopyProps(f->support, &IID_IProfSect, a, (SPropTagArray *)&some, 0, NULL,
                                              &IID_IProfSect, b, MAPI_NOREPLACE, NULL),
                     S_OK);
    assert_int_equal(IProfSect_GetProps(b, (SPropTagArray *)&some, 0, &count, &read), S_OK);
    assert_int_equal(read[0].Value.l, 1);
    assert_string_equal(read[1].Value.lpszA, "kept");
    MAPIFreeBuffer(read);
    assert_int_equal(IMAPISupport_DoCopyTo(f->support, &IID_IProfSect, a, 0, NULL, (SPropTagArray *)&some, 0, NULL,
                                           &IID_IProfSect, b, MAPI_MOVE, NULL),
                     S_OK);
    assert_int_equal(IProfSect_GetProps(b, NULL, 0, &count, &read), S_OK);
    assert_int_equal(count, 3 + 2); /* 6602, 6601, 6603, and the two computed */
    MAPIFreeBuffer(read);
    assert_int_equal(IProfSect_GetProps(a, NULL, 0, &count, &read), S_OK);
    assert_int_equal(count, 2 + 2); /* 6603 moved away */
    MAPIFreeBuffer(read);
    IProfSect_Release(a);
    IProfSect_Release(b);

    assert_int_equal(IMAPISupport_ModifyProfile(f->support, MDB_TEMPORARY), S_OK);
    assert_int_equal(IMAPISupport_ModifyProfile(f->support, 0), S_OK);
    assert_int_equal(IMAPISupport_OpenProfileSection(f->support, NULL, 0, &own), S_OK);
    assert_int_equal(IProfSect_GetProps(own, (SPropTagArray *)&flags_tag, 0, &count, &read), S_OK);
    assert_int_equal(read[0].Value.l, STATUS_DEFAULT_STORE);
    MAPIFreeBuffer(read);
    IProfSect_Release(own);
    teardown_fixture(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        mapi_test(test_no_slot_is_null),
        mapi_test(test_methods_by_type),
        mapi_test(test_last_release_removes_uids_and_rows),
        mapi_test(test_detached_support_object),
        mapi_test(test_profile_sections),
        mapi_test(test_subscriptions),
        mapi_test(test_make_invalid),
        mapi_test(test_copy_and_modify_profile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
