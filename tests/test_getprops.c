/*
 * IMAPIProp::GetProps and GetPropList at their documented edges, on every object mapihost implements that has them:
 * IPropData, a message on IStorage and its attachment, a profile section, a one-off mail user, MAPI's root
 * address-book container and the address book itself. The same table of cases runs on each: an empty tag array, no
 * tag array, a tag the object lacks, PT_UNSPECIFIED, MAPI_UNICODE, NULL out-pointers and unknown flags.
 */
#include "lifecycle.h"
#include "mapihost_util.h"

#define PROFILE                                                                                                        \
    "[Services]\nDirectory = Sample directory\n[Directory]\nProviders = Sample AB\n"                                   \
    "[Sample AB]\nPR_PROVIDER_DLL_NAME = sampleab.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n" SAMPLE_AB_SETTINGS

#define ABSENT PROP_TAG(PT_LONG, 0x6799)
#define UNKNOWN_FLAG 0x00001000

static IMAPISession *session;

/* Checks one object; known is a string property it has (in the ANSI width), or 0 when it has none of its own. */
static void check_object(const char *what, IMAPIProp *object, ULONG known)
{
    SizedSPropTagArray(1, empty) = { 0, { 0 } };
    SizedSPropTagArray(1, absent) = { 1, { ABSENT } };
    SizedSPropTagArray(1, unspecified) = { 1, { CHANGE_PROP_TYPE(known, PT_UNSPECIFIED) } };
    SPropTagArray *tags = NULL;
    SPropValue *values = NULL;
    ULONG count = 99, i;

    print_message("%s\n", what);
    /* An empty tag array: S_OK and no values (a client passes GetPropList's empty answer straight on). */
    assert_int_equal(IMAPIProp_GetProps(object, (SPropTagArray *)&empty, 0, &count, &values), S_OK);
    assert_int_equal(count, 0);
    MAPIFreeBuffer(values);
    /* No tag array: every property. */
    assert_int_equal(IMAPIProp_GetProps(object, NULL, 0, &count, &values), S_OK);
    MAPIFreeBuffer(values);
    /* A property it lacks: PT_ERROR with MAPI_E_NOT_FOUND, and the warning. */
    assert_int_equal(IMAPIProp_GetProps(object, (SPropTagArray *)&absent, 0, &count, &values), MAPI_W_ERRORS_RETURNED);
    assert_int_equal(count, 1);
    assert_int_equal(values[0].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(ABSENT)));
    assert_int_equal(values[0].Value.err, MAPI_E_NOT_FOUND);
    MAPIFreeBuffer(values);
    /* Out-pointers are required, unknown flags refused. */
    assert_int_equal(IMAPIProp_GetProps(object, (SPropTagArray *)&absent, 0, NULL, &values), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPIProp_GetProps(object, (SPropTagArray *)&absent, 0, &count, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPIProp_GetProps(object, (SPropTagArray *)&absent, UNKNOWN_FLAG, &count, &values),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IMAPIProp_GetPropList(object, 0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPIProp_GetPropList(object, UNKNOWN_FLAG, &tags), MAPI_E_UNKNOWN_FLAGS);
    /* MAPI_UNICODE: the list names strings in the Unicode width. */
    assert_int_equal(IMAPIProp_GetPropList(object, MAPI_UNICODE, &tags), S_OK);
    for (i = 0; i < tags->cValues; i++) assert_int_not_equal(PROP_TYPE(tags->aulPropTag[i]), PT_STRING8);
    MAPIFreeBuffer(tags);
    if (!known) return;
    /* PT_UNSPECIFIED: the value in its own type; MAPI_UNICODE: a string in the Unicode width. */
    assert_int_equal(IMAPIProp_GetProps(object, (SPropTagArray *)&unspecified, 0, &count, &values), S_OK);
    assert_int_not_equal(PROP_TYPE(values[0].ulPropTag), PT_ERROR);
    assert_int_not_equal(PROP_TYPE(values[0].ulPropTag), PT_UNSPECIFIED);
    MAPIFreeBuffer(values);
    assert_int_equal(IMAPIProp_GetProps(object, NULL, MAPI_UNICODE, &count, &values), S_OK);
    for (i = 0; i < count; i++) assert_int_not_equal(PROP_TYPE(values[i].ulPropTag), PT_STRING8);
    MAPIFreeBuffer(values);
}

static int setup(void **state)
{
    return open_own_session(state, "getprops.inf", PROFILE, &session);
}

static int teardown(void **state)
{
    return close_own_session(state, session);
}

static void test_utility_objects(void **state)
{
    SPropValue subject = { PR_SUBJECT_A, 0, { .lpszA = (char *)"hello" } };
    SPropValue name = { PR_ATTACH_FILENAME_A, 0, { .lpszA = (char *)"a.txt" } };
    ILockBytes *bytes;
    IStorage *storage;
    IMessage *message;
    IPropData *data;
    IAttach *attach;
    ULONG number;

    assert_int_equal(CreateIProp(&IID_IPropData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL, &data),
                     S_OK);
    assert_int_equal(IPropData_SetProps(data, 1, &subject, NULL), S_OK);
    check_object("IPropData", (IMAPIProp *)data, PR_SUBJECT_A);
    IPropData_Release(data);

    assert_int_equal(CreateILockBytesOnHGlobal(NULL, TRUE, &bytes), S_OK);
    assert_int_equal(
        StgCreateDocfileOnILockBytes(bytes, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, &storage), S_OK);
    assert_int_equal(OpenIMsgOnIStg(NULL, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, MAPIGetDefaultMalloc(),
                                    NULL, storage, NULL, 0, 0, &message),
                     S_OK);
    assert_int_equal(IMessage_SetProps(message, 1, &subject, NULL), S_OK);
    check_object("a message on IStorage", (IMAPIProp *)message, PR_SUBJECT_A);
    assert_int_equal(IMessage_CreateAttach(message, NULL, 0, &number, &attach), S_OK);
    assert_int_equal(IAttach_SetProps(attach, 1, &name, NULL), S_OK);
    check_object("an attachment of a message on IStorage", (IMAPIProp *)attach, PR_ATTACH_FILENAME_A);
    IAttach_Release(attach);
    IMessage_Release(message);
    IStorage_Release(storage);
    ILockBytes_Release(bytes);
}

static void test_session_objects(void **state)
{
    MAPIUID uid = { { 'm', 'a', 'p', 'i', 'h', 'o', 's', 't', '-', 'g', 'e', 't', 'p', 'r', 'o', 'p' } };
    SPropValue name = { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"a section" } };
    IAddrBook *address_book;
    IABContainer *root;
    IMailUser *user;
    IProfSect *section;
    ENTRYID *one_off;
    ULONG size, type;

    assert_int_equal(IMAPISession_OpenProfileSection(session, &uid, NULL, MAPI_MODIFY, &section), S_OK);
    assert_int_equal(IProfSect_SetProps(section, 1, &name, NULL), S_OK);
    check_object("a profile section", (IMAPIProp *)section, PR_DISPLAY_NAME_A);
    IProfSect_Release(section);

    assert_int_equal(IMAPISession_OpenAddressBook(session, 0, NULL, 0, &address_book), S_OK);
    check_object("the address book", (IMAPIProp *)address_book, 0);
    assert_int_equal(IAddrBook_CreateOneOff(address_book, "Zoe", "SMTP", "zoe@example.org", 0, &size, &one_off), S_OK);
    assert_int_equal(IAddrBook_OpenEntry(address_book, size, one_off, NULL, 0, &type, (IUnknown **)&user), S_OK);
    check_object("a one-off mail user", (IMAPIProp *)user, PR_DISPLAY_NAME_A);
    IMailUser_Release(user);
    MAPIFreeBuffer(one_off);
    assert_int_equal(IAddrBook_OpenEntry(address_book, 0, NULL, NULL, 0, &type, (IUnknown **)&root), S_OK);
    check_object("MAPI's root address-book container", (IMAPIProp *)root, 0);
    IABContainer_Release(root);
    IAddrBook_Release(address_book);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_utility_objects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_objects, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
