/*
 * The sample transport's message preprocessor (Q10), registered at each logon for SAMPLE recipients. It gives a
 * message without one an Internet message ID made from its PR_SEARCH_KEY, "<hex@sample.mapihost>": the same message
 * gets the same ID however often it is sent again after a crash, so the receiving side can drop the second copy.
 * It marks what it did with PR_PREPROCESS, which RemovePreprocessInfo takes away once the message is sent.
 */
#include <stdio.h>
#include <string.h>

#include "xp.h"

HRESULT preprocess_register(IMAPISupport *support)
{
    char path[MAX_PATH];
    HMODULE module;

    /* This DLL's own file, under whatever name it was built. */
    if (!GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCSTR)(void *)preprocess_register, &module)
        || !GetModuleFileNameA(module, path, sizeof(path)))
        return MAPI_E_CALL_FAILED;
    return IMAPISupport_RegisterPreprocessor(support, NULL, (LPTSTR) "SAMPLE", (LPTSTR)path, "SampleXPPreprocess",
                                             "SampleXPRemovePreprocessInfo", 0);
}

#ifdef SAMPLE_FAULTS
/* The recorder's preprocessor, given a message whose subject begins "copy me", makes another in the folder given, with
 * the same recipients and the subject "made copy", unsaved, and hands it back: the spooler sends it (Q10). */
static void make_copy(IMessage *message, IMAPIFolder *folder, LPALLOCATEBUFFER allocate_buffer, ULONG *made_count,
                      IMessage ***made)
{
    SizedSPropTagArray(1, subject_tag) = { 1, { PR_SUBJECT_A } };
    SizedSPropTagArray(3, not_copied) = { 3, { PR_SEARCH_KEY, PR_INTERNET_MESSAGE_ID_A, PR_ENTRYID } };
    SPropValue *subject, value = { PR_SUBJECT_A, 0, { .lpszA = (char *)"made copy" } };
    IMessage *copy;
    ULONG count;
    BOOL wanted;

    if (!folder || FAILED(IMessage_GetProps(message, (SPropTagArray *)&subject_tag, 0, &count, &subject))) return;
    wanted = subject->ulPropTag == PR_SUBJECT_A && !strncmp(subject->Value.lpszA, "copy me", 7);
    sample_free_buffer(subject);
    if (!wanted || FAILED(IMAPIFolder_CreateMessage(folder, NULL, 0, &copy))) return;
    if (FAILED(IMessage_CopyTo(message, 0, NULL, (SPropTagArray *)&not_copied, 0, NULL, &IID_IMessage, copy, 0, NULL))
        || FAILED(IMessage_SetProps(copy, 1, &value, NULL)) || FAILED(allocate_buffer(sizeof(**made), (void **)made))) {
        IMessage_Release(copy);
        return;
    }
    (*made)[0] = copy;
    *made_count = 1;
    sample_trace("SampleXPPreprocess: a copy made");
}
#endif

HRESULT WINAPI SampleXPPreprocess(void *session, IMessage *message, IAddrBook *address_book, IMAPIFolder *folder,
                                  LPALLOCATEBUFFER allocate_buffer, LPALLOCATEMORE allocate_more,
                                  LPFREEBUFFER free_buffer, ULONG *made_count, IMessage ***made,
                                  ADRLIST **undeliverable)
{
    SizedSPropTagArray(2, tags) = { 2, { PR_INTERNET_MESSAGE_ID_A, PR_SEARCH_KEY } };
    char id[2 * 64 + 32], *end = id;
    SPropValue *values, set[2];
    ULONG count, i;
    HRESULT hr;

    sample_trace("SampleXPPreprocess");
    if (!message || !made_count || !made || !undeliverable) return MAPI_E_INVALID_PARAMETER;
    *made_count = 0;
    *made = NULL;
    *undeliverable = NULL;
#ifdef SAMPLE_FAULTS
    make_copy(message, folder, allocate_buffer, made_count, made);
#endif
    if (FAILED(hr = IMessage_GetProps(message, (SPropTagArray *)&tags, 0, &count, &values))) return hr;
    if (values[0].ulPropTag == PR_INTERNET_MESSAGE_ID_A || values[1].ulPropTag != PR_SEARCH_KEY
        || values[1].Value.bin.cb > 64) {
        free_buffer(values);
        return S_OK; /* it has one, or nothing to make one from */
    }
    end += sprintf(end, "<");
    for (i = 0; i < values[1].Value.bin.cb; i++) end += sprintf(end, "%02x", values[1].Value.bin.lpb[i]);
    sprintf(end, "@sample.mapihost>");
    free_buffer(values);
    set[0].ulPropTag = PR_INTERNET_MESSAGE_ID_A;
    set[0].Value.lpszA = id;
    set[1].ulPropTag = PR_PREPROCESS;
    set[1].Value.b = TRUE;
    return IMessage_SetProps(message, 2, set, NULL);
}

HRESULT WINAPI SampleXPRemovePreprocessInfo(IMessage *message)
{
    SizedSPropTagArray(1, tags) = { 1, { PR_PREPROCESS } };

    sample_trace("SampleXPRemovePreprocessInfo");
    if (!message) return MAPI_E_INVALID_PARAMETER;
    return IMessage_DeleteProps(message, (SPropTagArray *)&tags, NULL);
}
