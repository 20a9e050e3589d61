/*
 * A transport's message preprocessors (Q10). RegisterPreprocessor names a function for the recipients of a MAPIUID or
 * of an address type (neither: all). The spooler runs a transport's preprocessors on a message just before that
 * transport's SubmitMessage, in registration order, when one of the recipients the transport is given matches: a
 * preprocessor runs only for messages its own transport will handle. It may hand back messages it made (the spooler
 * gives each to that transport at once, outbound.c's send_made) and recipients it found undeliverable (a non-delivery
 * report, as StatusRecips makes). After the transport has sent the message, RemovePreprocessInfo runs for each
 * preprocessor that ran. Preprocessors are the transport's code: they run guarded, like its methods, on the spooler's
 * thread.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "mail.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(preprocess);

/* The recipient's entry ID carries the MAPIUID after its 4 flag bytes (Q11). */
static BOOL matches(const struct preprocessor *preprocessor, const SRow *row)
{
    const SPropValue *id = PpropFindProp(row->lpProps, row->cValues, PR_ENTRYID);
    char buffer[64];
    const char *type = mailbox_row_text(row, PR_ADDRTYPE_A, buffer, sizeof(buffer));

    if (!preprocessor->has_uid && !preprocessor->address_type) return TRUE;
    if (preprocessor->has_uid && id && id->Value.bin.cb >= 4 + sizeof(MAPIUID)
        && !memcmp(id->Value.bin.lpb + 4, &preprocessor->uid, sizeof(MAPIUID)))
        return TRUE;
    return preprocessor->address_type && type && !strcmp(type, preprocessor->address_type);
}

BOOL preprocess_wanted(struct session *session, const SRowSet *rows)
{
    struct logon **transports;
    ULONG count = logon_all_of(session, PROVIDER_XP, &transports), i, j, k;
    BOOL wanted = FALSE;

    for (i = 0; i < count && !wanted; i++)
        for (j = 0; j < transports[i]->preprocessor_count && !wanted; j++)
            for (k = 0; k < rows->cRows && !wanted; k++)
                wanted = transports[i]->preprocessors[j].preprocess
                         && matches(&transports[i]->preprocessors[j], &rows->aRow[k]);
    free(transports);
    return wanted;
}

struct preprocess_call {
    const struct preprocessor *preprocessor;
    IMAPISession *session;
    IMessage *message;
    IAddrBook *address_book;
    IMAPIFolder *folder;
    ULONG made_count;
    IMessage **made;
    ADRLIST *undeliverable;
    HRESULT hr;
};

static void preprocess_call(void *context)
{
    struct preprocess_call *call = context;

    guard_step("PreprocessMessage", call->preprocessor->name);
    call->hr = call->preprocessor->preprocess(call->session, call->message, call->address_book, call->folder,
                                              MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, &call->made_count,
                                              &call->made, &call->undeliverable);
}

static void remove_call(void *context)
{
    struct preprocess_call *call = context;

    guard_step("RemovePreprocessInfo", call->preprocessor->name);
    call->hr = call->preprocessor->remove(call->message);
}

/* The folder that holds the message, in the spooler's store; NULL if it cannot be opened. */
static IMAPIFolder *parent_folder(struct mail *mail, IMessage *message)
{
    SizedSPropTagArray(1, tags) = { 1, { PR_PARENT_ENTRYID } };
    IMAPIFolder *folder = NULL;
    SPropValue *value;
    ULONG count, type;

    if (FAILED(IMessage_GetProps(message, (SPropTagArray *)&tags, 0, &count, &value))) return NULL;
    if (value->ulPropTag == PR_PARENT_ENTRYID
        && FAILED(IMsgStore_OpenEntry(mail->store, value->Value.bin.cb, (ENTRYID *)value->Value.bin.lpb,
                                      &IID_IMAPIFolder, 0, &type, (IUnknown **)&folder)))
        folder = NULL;
    MAPIFreeBuffer(value);
    return folder;
}

/* What a preprocessor handed back: the messages it made go straight to its transport, the recipients it found
 * undeliverable get a report. */
static void take_results(struct mail *mail, struct logon *transport, struct preprocess_call *call,
                         preprocess_made *send_made)
{
    ULONG i;

    for (i = 0; call->made && i < call->made_count; i++) {
        if (!call->made[i]) continue;
        send_made(mail, transport, call->made[i], call->preprocessor->name);
        IMessage_Release(call->made[i]);
    }
    MAPIFreeBuffer(call->made);
    if (call->undeliverable && FAILED(report_status_recips(transport, call->message, call->undeliverable)))
        FreePadrlist(call->undeliverable);
}

BOOL preprocess_run(struct mail *mail, struct logon *transport, IMessage *message, const SRowSet *rows,
                    const BOOL *mine, preprocess_made *send_made, BOOL **ran)
{
    struct preprocess_call call = { .session = &mail->session->IMAPISession_iface, .message = message };
    BOOL failed = FALSE;
    ULONG i, j;

    *ran = NULL;
    for (i = 0; i < transport->preprocessor_count && !failed; i++) {
        const struct preprocessor *preprocessor = &transport->preprocessors[i];

        for (j = 0; j < rows->cRows && !(mine[j] && matches(preprocessor, &rows->aRow[j])); j++)
            ;
        if (j == rows->cRows || !preprocessor->preprocess) continue;
        if (!*ran && !(*ran = calloc(transport->preprocessor_count, sizeof(**ran)))) return FALSE;
        if (!call.folder) call.folder = parent_folder(mail, message);
        if (!call.address_book
            && FAILED(IMAPISession_OpenAddressBook(call.session, 0, NULL, AB_NO_DIALOG, &call.address_book)))
            call.address_book = NULL;
        call.preprocessor = preprocessor;
        call.made_count = 0;
        call.made = NULL;
        call.undeliverable = NULL;
        failed = !mailbox_call(transport, "PreprocessMessage", preprocess_call, &call);
        if (!failed) {
            event_step(about_logon(transport), "%s: %s -> %s, %lu messages made%s", logon_name(transport),
                       preprocessor->name, hresult_text(call.hr), call.made ? call.made_count : 0,
                       call.undeliverable ? ", undeliverable recipients" : "");
            take_results(mail, transport, &call, send_made);
            if (FAILED(call.hr)) {
                event_error(about_logon(transport), "Q10", "%s: %s failed (%s): the message is tried again later",
                            logon_name(transport), preprocessor->name, hresult_text(call.hr));
                failed = TRUE;
            }
        }
        (*ran)[i] = TRUE;
    }
    if (call.folder) IMAPIFolder_Release(call.folder);
    if (call.address_book) IAddrBook_Release(call.address_book);
    if (failed) {
        free(*ran);
        *ran = NULL;
    }
    return !failed;
}

void preprocess_done(struct logon *transport, IMessage *message, BOOL *ran)
{
    struct preprocess_call call = { .message = message };
    ULONG i;

    if (!ran) return;
    for (i = 0; i < transport->preprocessor_count; i++) {
        if (!ran[i] || !(call.preprocessor = &transport->preprocessors[i])->remove) continue;
        if (mailbox_call(transport, "RemovePreprocessInfo", remove_call, &call))
            event_step(about_logon(transport), "%s: RemovePreprocessInfo for %s -> %s", logon_name(transport),
                       call.preprocessor->name, hresult_text(call.hr));
    }
    free(ran);
}
