/*
 * Non-delivery reports (Q11, Q19): for recipients no transport takes, for those a transport reports with
 * StatusRecips, and for those a preprocessor finds undeliverable. A report is a message of class REPORT.<class>.NDR in
 * the sender's default store, in the receive folder for that class, with the undelivered recipients as its
 * recipients and the original message embedded, announced like new mail; none is made when the sender set
 * PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED to FALSE. It is made on the spooler's thread.
 */
#include <stdio.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "mail.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(report);

struct report {
    struct mail *mail;
    IMessage *message;
    ADRLIST *recipients;
    HRESULT hr;
};

static HRESULT embed_original(IMessage *report, IMessage *original)
{
    IMessage *embedded;
    IAttach *attach;
    SPropValue method = { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_EMBEDDED_MSG };
    ULONG number;
    HRESULT hr;

    if (FAILED(hr = IMessage_CreateAttach(report, NULL, 0, &number, &attach))) return hr;
    if (SUCCEEDED(hr = IAttach_SetProps(attach, 1, &method, NULL))
        && SUCCEEDED(hr = IAttach_OpenProperty(attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, MAPI_CREATE | MAPI_MODIFY,
                                               (IUnknown **)&embedded))) {
        if (SUCCEEDED(hr = IMessage_CopyTo(original, 0, NULL, NULL, 0, NULL, &IID_IMessage, embedded, 0, NULL)))
            hr = IMessage_SaveChanges(embedded, 0);
        IMessage_Release(embedded);
    }
    if (SUCCEEDED(hr)) hr = IAttach_SaveChanges(attach, 0);
    IAttach_Release(attach);
    return hr;
}

static void report_on_thread(void *context)
{
    SizedSPropTagArray(3, tags) = { 3,
                                    { PR_MESSAGE_CLASS_W, PR_SUBJECT_W, PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED } };
    struct report *report = context;
    WCHAR report_class[300], subject[600];
    char folder_class[300];
    SPropValue *values, set[3];
    IMessage *message;
    ULONG count;

    /* In Unicode: the original's subject comes back in the report whole, whatever its characters. */
    if (FAILED(report->hr = IMessage_GetProps(report->message, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &values)))
        return;
    if (values[2].ulPropTag == PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED && !values[2].Value.b) {
        MAPIFreeBuffer(values); /* the sender asked for none */
        return;
    }
    swprintf(report_class, ARRAYSIZE(report_class), L"REPORT.%ls.NDR",
             values[0].ulPropTag == PR_MESSAGE_CLASS_W ? values[0].Value.lpszW : L"IPM.Note");
    swprintf(subject, ARRAYSIZE(subject), L"Undeliverable: %ls",
             values[1].ulPropTag == PR_SUBJECT_W ? values[1].Value.lpszW : L"");
    MAPIFreeBuffer(values);
    WideCharToMultiByte(CP_ACP, 0, report_class, -1, folder_class, sizeof(folder_class), NULL, NULL);
    if (FAILED(report->hr = mailbox_new_message(report->mail, folder_class, &message))) return;
    set[0].ulPropTag = PR_MESSAGE_CLASS_W;
    set[0].Value.lpszW = report_class;
    set[1].ulPropTag = PR_SUBJECT_W;
    set[1].Value.lpszW = subject;
    set[2].ulPropTag = PR_MESSAGE_FLAGS;
    set[2].Value.l = 0; /* unread */
    if (SUCCEEDED(report->hr = IMessage_SetProps(message, 3, set, NULL))
        && SUCCEEDED(report->hr = IMessage_ModifyRecipients(message, MODRECIP_ADD, report->recipients))
        && SUCCEEDED(report->hr = embed_original(message, report->message))
        && SUCCEEDED(report->hr = IMessage_SaveChanges(message, KEEP_OPEN_READWRITE)))
        report->hr = mailbox_announce(report->mail, message);
    IMessage_Release(message);
}

HRESULT report_make(struct mail *mail, IMessage *message, ADRLIST *recipients)
{
    struct report report = { .mail = mail, .message = message, .recipients = recipients };

    mailbox_run(report_on_thread, &report);
    return report.hr;
}

HRESULT report_status_recips(struct logon *logon, IMessage *message, ADRLIST *recipients)
{
    HRESULT hr;

    if (!message || !recipients) return MAPI_E_INVALID_PARAMETER;
    if (!logon->session->mail) return MAPI_E_NO_SUPPORT;
    event_step(about_logon(logon), "%s: IMAPISupport::StatusRecips(%lu recipients): a non-delivery report (Q19)",
               logon_name(logon), recipients->cEntries);
    if (SUCCEEDED(hr = report_make(logon->session->mail, message, recipients)))
        FreePadrlist(recipients); /* MAPI frees the list on success only (Q19) */
    return hr;
}
