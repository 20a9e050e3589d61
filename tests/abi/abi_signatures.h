/*
 * The Win64 signature of every method the Win64 table names (W1), with each ULONG_PTR
 * where Win64 MAPI has it. Each side checks its own declaration against these types: ours must match every one;
 * mingw-w64's must match none, which proves each row names a real difference and the check can fail.
 * Not covered: IMAPIForm, IMAPIFormMgr and IMAPIFormContainer (forms are outside a provider host; mapihost
 * declares none of them).
 */
#ifndef MAPIHOST_ABI_SIGNATURES_H
#define MAPIHOST_ABI_SIGNATURES_H

#define ABI_WIN64_SIGNATURES(S)                                                                                        \
    S(IABContainer, CopyEntries, "#1", (IABContainer *, LPENTRYLIST, ULONG_PTR, LPMAPIPROGRESS, ULONG))                \
    S(IDistList, CopyEntries, "#1", (IDistList *, LPENTRYLIST, ULONG_PTR, LPMAPIPROGRESS, ULONG))                      \
    S(IABLogon, Advise, "#4", (IABLogon *, ULONG, LPENTRYID, ULONG, LPMAPIADVISESINK, ULONG_PTR *))                    \
    S(IABLogon, Unadvise, "#0", (IABLogon *, ULONG_PTR))                                                               \
    S(IABProvider, Logon, "#1",                                                                                        \
      (IABProvider *, LPMAPISUP, ULONG_PTR, LPTSTR, ULONG, ULONG *, LPBYTE *, LPMAPIERROR *, LPABLOGON *))             \
    S(IAddrBook, Advise, "#4", (IAddrBook *, ULONG, LPENTRYID, ULONG, LPMAPIADVISESINK, ULONG_PTR *))                  \
    S(IAddrBook, Unadvise, "#0", (IAddrBook *, ULONG_PTR))                                                             \
    S(IAddrBook, Details, "#0",                                                                                        \
      (IAddrBook *, ULONG_PTR *, LPFNDISMISS, LPVOID, ULONG, LPENTRYID, LPFNBUTTON, LPVOID, LPTSTR, ULONG))            \
    S(IMAPIControl, Activate, "#1", (IMAPIControl *, ULONG, ULONG_PTR))                                                \
    S(IMAPIFolder, CopyMessages, "#3", (IMAPIFolder *, LPENTRYLIST, LPCIID, LPVOID, ULONG_PTR, LPMAPIPROGRESS, ULONG)) \
    S(IMAPIFolder, DeleteMessages, "#1", (IMAPIFolder *, LPENTRYLIST, ULONG_PTR, LPMAPIPROGRESS, ULONG))               \
    S(IMAPIFolder, CopyFolder, "#5",                                                                                   \
      (IMAPIFolder *, ULONG, LPENTRYID, LPCIID, LPVOID, LPTSTR, ULONG_PTR, LPMAPIPROGRESS, ULONG))                     \
    S(IMAPIFolder, DeleteFolder, "#2", (IMAPIFolder *, ULONG, LPENTRYID, ULONG_PTR, LPMAPIPROGRESS, ULONG))            \
    S(IMAPIFolder, SetReadFlags, "#1", (IMAPIFolder *, LPENTRYLIST, ULONG_PTR, LPMAPIPROGRESS, ULONG))                 \
    S(IMAPIFolder, EmptyFolder, "#0", (IMAPIFolder *, ULONG_PTR, LPMAPIPROGRESS, ULONG))                               \
    S(IMAPIProp, CopyTo, "#3",                                                                                         \
      (IMAPIProp *, ULONG, LPCIID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG,                  \
       LPSPropProblemArray *))                                                                                         \
    S(IMAPIProp, CopyProps, "#1",                                                                                      \
      (IMAPIProp *, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *))         \
    S(IMAPISession, Advise, "#4", (IMAPISession *, ULONG, LPENTRYID, ULONG, LPMAPIADVISESINK, ULONG_PTR *))            \
    S(IMAPISession, Unadvise, "#0", (IMAPISession *, ULONG_PTR))                                                       \
    S(IMAPISession, ShowForm, "#4",                                                                                    \
      (IMAPISession *, ULONG_PTR, LPMDB, LPMAPIFOLDER, LPCIID, ULONG_PTR, LPMESSAGE, ULONG, ULONG, ULONG, ULONG,       \
       LPSTR))                                                                                                         \
    S(IMAPISession, PrepareForm, "#2", (IMAPISession *, LPCIID, LPMESSAGE, ULONG_PTR *))                               \
    S(IMAPIStatus, ValidateState, "#0", (IMAPIStatus *, ULONG_PTR, ULONG))                                             \
    S(IMAPIStatus, SettingsDialog, "#0", (IMAPIStatus *, ULONG_PTR, ULONG))                                            \
    S(IMAPIStatus, FlushQueues, "#0", (IMAPIStatus *, ULONG_PTR, ULONG, LPENTRYID, ULONG))                             \
    S(IMAPISupport, Subscribe, "#4", (IMAPISupport *, LPNOTIFKEY, ULONG, ULONG, LPMAPIADVISESINK, ULONG_PTR *))        \
    S(IMAPISupport, Unsubscribe, "#0", (IMAPISupport *, ULONG_PTR))                                                    \
    S(IMAPISupport, Address, "#0", (IMAPISupport *, ULONG_PTR *, LPADRPARM, LPADRLIST *))                              \
    S(IMAPISupport, Details, "#0",                                                                                     \
      (IMAPISupport *, ULONG_PTR *, LPFNDISMISS, LPVOID, ULONG, LPENTRYID, LPFNBUTTON, LPVOID, LPTSTR, ULONG))         \
    S(IMAPISupport, NewEntry, "#0",                                                                                    \
      (IMAPISupport *, ULONG_PTR, ULONG, ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG *, LPENTRYID *))                    \
    S(IMAPISupport, DoConfigPropsheet, "#0",                                                                           \
      (IMAPISupport *, ULONG_PTR, ULONG, LPTSTR, LPMAPITABLE, LPMAPIPROP, ULONG))                                      \
    S(IMAPISupport, CopyMessages, "#5",                                                                                \
      (IMAPISupport *, LPCIID, LPVOID, LPENTRYLIST, LPCIID, LPVOID, ULONG_PTR, LPMAPIPROGRESS, ULONG))                 \
    S(IMAPISupport, CopyFolder, "#7",                                                                                  \
      (IMAPISupport *, LPCIID, LPVOID, ULONG, LPENTRYID, LPCIID, LPVOID, LPTSTR, ULONG_PTR, LPMAPIPROGRESS, ULONG))    \
    S(IMAPISupport, DoCopyTo, "#5",                                                                                    \
      (IMAPISupport *, LPCIID, LPVOID, ULONG, LPCIID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID,      \
       ULONG, LPSPropProblemArray *))                                                                                  \
    S(IMAPISupport, DoCopyProps, "#3",                                                                                 \
      (IMAPISupport *, LPCIID, LPVOID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG,              \
       LPSPropProblemArray *))                                                                                         \
    S(IMAPISupport, DoProgressDialog, "#0", (IMAPISupport *, ULONG_PTR, ULONG, LPMAPIPROGRESS *))                      \
    S(IMAPITable, Advise, "#2", (IMAPITable *, ULONG, LPMAPIADVISESINK, ULONG_PTR *))                                  \
    S(IMAPITable, Unadvise, "#0", (IMAPITable *, ULONG_PTR))                                                           \
    S(IMessage, DeleteAttach, "#1", (IMessage *, ULONG, ULONG_PTR, LPMAPIPROGRESS, ULONG))                             \
    S(IMsgStore, Advise, "#4", (IMsgStore *, ULONG, LPENTRYID, ULONG, LPMAPIADVISESINK, ULONG_PTR *))                  \
    S(IMsgStore, Unadvise, "#0", (IMsgStore *, ULONG_PTR))                                                             \
    S(IMSLogon, Advise, "#4", (IMSLogon *, ULONG, LPENTRYID, ULONG, LPMAPIADVISESINK, ULONG_PTR *))                    \
    S(IMSLogon, Unadvise, "#0", (IMSLogon *, ULONG_PTR))                                                               \
    S(IMSProvider, Logon, "#1",                                                                                        \
      (IMSProvider *, LPMAPISUP, ULONG_PTR, LPTSTR, ULONG, LPENTRYID, ULONG, LPCIID, ULONG *, LPBYTE *, LPMAPIERROR *, \
       LPMSLOGON *, LPMDB *))                                                                                          \
    S(IMSProvider, SpoolerLogon, "#1",                                                                                 \
      (IMSProvider *, LPMAPISUP, ULONG_PTR, LPTSTR, ULONG, LPENTRYID, ULONG, LPCIID, ULONG, LPBYTE, LPMAPIERROR *,     \
       LPMSLOGON *, LPMDB *))                                                                                          \
    S(IProviderAdmin, CreateProvider, "#3",                                                                            \
      (IProviderAdmin *, LPTSTR, ULONG, LPSPropValue, ULONG_PTR, ULONG, MAPIUID *))                                    \
    S(ITableData, HrGetView, "#2", (ITableData *, LPSSortOrderSet, CALLERRELEASE *, ULONG_PTR, LPMAPITABLE *))         \
    S(IXPLogon, SubmitMessage, "#2 #3", (IXPLogon *, ULONG, LPMESSAGE, ULONG_PTR *, ULONG_PTR *))                      \
    S(IXPLogon, EndMessage, "#0", (IXPLogon *, ULONG_PTR, ULONG *))                                                    \
    S(IXPLogon, StartMessage, "#2", (IXPLogon *, ULONG, LPMESSAGE, ULONG_PTR *))                                       \
    S(IXPLogon, ValidateState, "#0", (IXPLogon *, ULONG_PTR, ULONG))                                                   \
    S(IXPLogon, FlushQueues, "#0", (IXPLogon *, ULONG_PTR, ULONG, LPENTRYID, ULONG))                                   \
    S(IXPProvider, TransportLogon, "#1",                                                                               \
      (IXPProvider *, LPMAPISUP, ULONG_PTR, LPTSTR, ULONG *, LPMAPIERROR *, LPXPLOGON *))

#define ABI_SIGNATURE_ROW(i, m, params, args)                                                                          \
    { #i "::" #m, params,                                                                                              \
      __builtin_types_compatible_p(__typeof__(((i##Vtbl *)0)->m), HRESULT(STDMETHODCALLTYPE *) args) },

/* MSGSERVICEENTRY is a function type, not a slot. */
#define ABI_MSGSERVICEENTRY_ROW                                                                                        \
    { "MSGSERVICEENTRY", "ulUIParam",                                                                                  \
      __builtin_types_compatible_p(MSGSERVICEENTRY *,                                                                  \
                                   HRESULT(WINAPI *)(HINSTANCE, LPMALLOC, LPMAPISUP, ULONG_PTR, ULONG, ULONG, ULONG,   \
                                                     LPSPropValue, LPPROVIDERADMIN, LPMAPIERROR *)) },

#endif
