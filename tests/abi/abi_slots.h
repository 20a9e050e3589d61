/*
 * Every slot of every interface both mingw-w64's SDK headers and ours declare, in SDK order (spec §2.3). Each
 * translation unit expands these lists against its own headers: a slot missing on either side does not compile, and
 * test_abi.c compares the offsets and sizes the two sides computed.
 */
#ifndef MAPIHOST_ABI_SLOTS_H
#define MAPIHOST_ABI_SLOTS_H

/* Slot lists read as tables, one interface a line: clang-format leaves them as they are. */
/* clang-format off */
#define SLOTS_IUnknown(X, i) X(i, QueryInterface) X(i, AddRef) X(i, Release)
#define SLOTS_IMAPIProp(X, i) SLOTS_IUnknown(X, i) X(i, GetLastError) X(i, SaveChanges) X(i, GetProps) \
    X(i, GetPropList) X(i, OpenProperty) X(i, SetProps) X(i, DeleteProps) X(i, CopyTo) X(i, CopyProps) \
    X(i, GetNamesFromIDs) X(i, GetIDsFromNames)
#define SLOTS_IMAPIContainer(X, i) SLOTS_IMAPIProp(X, i) X(i, GetContentsTable) X(i, GetHierarchyTable) \
    X(i, OpenEntry) X(i, SetSearchCriteria) X(i, GetSearchCriteria)

#define SLOTS_IMAPIAdviseSink(X, i) SLOTS_IUnknown(X, i) X(i, OnNotify)
#define SLOTS_IMAPIProgress(X, i) SLOTS_IUnknown(X, i) X(i, Progress) X(i, GetFlags) X(i, GetMax) X(i, GetMin) \
    X(i, SetLimits)
#define SLOTS_IMAPITable(X, i) SLOTS_IUnknown(X, i) X(i, GetLastError) X(i, Advise) X(i, Unadvise) X(i, GetStatus) \
    X(i, SetColumns) X(i, QueryColumns) X(i, GetRowCount) X(i, SeekRow) X(i, SeekRowApprox) X(i, QueryPosition) \
    X(i, FindRow) X(i, Restrict) X(i, CreateBookmark) X(i, FreeBookmark) X(i, SortTable) X(i, QuerySortOrder) \
    X(i, QueryRows) X(i, Abort) X(i, ExpandRow) X(i, CollapseRow) X(i, WaitForCompletion) X(i, GetCollapseState) \
    X(i, SetCollapseState)
#define SLOTS_IProfSect(X, i) SLOTS_IMAPIProp(X, i)
#define SLOTS_IMAPIStatus(X, i) SLOTS_IMAPIProp(X, i) X(i, ValidateState) X(i, SettingsDialog) \
    X(i, ChangePassword) X(i, FlushQueues)
#define SLOTS_IABContainer(X, i) SLOTS_IMAPIContainer(X, i) X(i, CreateEntry) X(i, CopyEntries) \
    X(i, DeleteEntries) X(i, ResolveNames)
#define SLOTS_IMailUser(X, i) SLOTS_IMAPIProp(X, i)
#define SLOTS_IDistList(X, i) SLOTS_IABContainer(X, i)
#define SLOTS_IMAPIFolder(X, i) SLOTS_IMAPIContainer(X, i) X(i, CreateMessage) X(i, CopyMessages) \
    X(i, DeleteMessages) X(i, CreateFolder) X(i, CopyFolder) X(i, DeleteFolder) X(i, SetReadFlags) \
    X(i, GetMessageStatus) X(i, SetMessageStatus) X(i, SaveContentsSort) X(i, EmptyFolder)
#define SLOTS_IAttach(X, i) SLOTS_IMAPIProp(X, i)
#define SLOTS_IMessage(X, i) SLOTS_IMAPIProp(X, i) X(i, GetAttachmentTable) X(i, OpenAttach) X(i, CreateAttach) \
    X(i, DeleteAttach) X(i, GetRecipientTable) X(i, ModifyRecipients) X(i, SubmitMessage) X(i, SetReadFlag)
#define SLOTS_IMsgStore(X, i) SLOTS_IMAPIProp(X, i) X(i, Advise) X(i, Unadvise) X(i, CompareEntryIDs) \
    X(i, OpenEntry) X(i, SetReceiveFolder) X(i, GetReceiveFolder) X(i, GetReceiveFolderTable) X(i, StoreLogoff) \
    X(i, AbortSubmit) X(i, GetOutgoingQueue) X(i, SetLockState) X(i, FinishedMsg) X(i, NotifyNewMail)
#define SLOTS_IMAPIControl(X, i) SLOTS_IUnknown(X, i) X(i, GetLastError) X(i, Activate) X(i, GetState)
#define SLOTS_IProviderAdmin(X, i) SLOTS_IUnknown(X, i) X(i, GetLastError) X(i, GetProviderTable) \
    X(i, CreateProvider) X(i, DeleteProvider) X(i, OpenProfileSection)
#define SLOTS_IAddrBook(X, i) SLOTS_IMAPIProp(X, i) X(i, OpenEntry) X(i, CompareEntryIDs) X(i, Advise) \
    X(i, Unadvise) X(i, CreateOneOff) X(i, NewEntry) X(i, ResolveName) X(i, Address) X(i, Details) \
    X(i, RecipOptions) X(i, QueryDefaultRecipOpt) X(i, GetPAB) X(i, SetPAB) X(i, GetDefaultDir) \
    X(i, SetDefaultDir) X(i, GetSearchPath) X(i, SetSearchPath) X(i, PrepareRecips)
#define SLOTS_IMAPISession(X, i) SLOTS_IUnknown(X, i) X(i, GetLastError) X(i, GetMsgStoresTable) \
    X(i, OpenMsgStore) X(i, OpenAddressBook) X(i, OpenProfileSection) X(i, GetStatusTable) X(i, OpenEntry) \
    X(i, CompareEntryIDs) X(i, Advise) X(i, Unadvise) X(i, MessageOptions) X(i, QueryDefaultMessageOpt) \
    X(i, EnumAdrTypes) X(i, QueryIdentity) X(i, Logoff) X(i, SetDefaultStore) X(i, AdminServices) X(i, ShowForm) \
    X(i, PrepareForm)
#define SLOTS_IMAPISupport(X, i) SLOTS_IUnknown(X, i) X(i, GetLastError) X(i, GetMemAllocRoutines) X(i, Subscribe) \
    X(i, Unsubscribe) X(i, Notify) X(i, ModifyStatusRow) X(i, OpenProfileSection) X(i, RegisterPreprocessor) \
    X(i, NewUID) X(i, MakeInvalid) X(i, SpoolerYield) X(i, SpoolerNotify) X(i, CreateOneOff) X(i, SetProviderUID) \
    X(i, CompareEntryIDs) X(i, OpenTemplateID) X(i, OpenEntry) X(i, GetOneOffTable) X(i, Address) X(i, Details) \
    X(i, NewEntry) X(i, DoConfigPropsheet) X(i, CopyMessages) X(i, CopyFolder) X(i, DoCopyTo) X(i, DoCopyProps) \
    X(i, DoProgressDialog) X(i, ReadReceipt) X(i, PrepareSubmit) X(i, ExpandRecips) X(i, UpdatePAB) \
    X(i, DoSentMail) X(i, OpenAddressBook) X(i, Preprocess) X(i, CompleteMsg) X(i, StoreLogoffTransports) \
    X(i, StatusRecips) X(i, WrapStoreEntryID) X(i, ModifyProfile) X(i, IStorageFromStream) \
    X(i, GetSvcConfigSupportObj)
#define SLOTS_IABProvider(X, i) SLOTS_IUnknown(X, i) X(i, Shutdown) X(i, Logon)
#define SLOTS_IABLogon(X, i) SLOTS_IUnknown(X, i) X(i, GetLastError) X(i, Logoff) X(i, OpenEntry) \
    X(i, CompareEntryIDs) X(i, Advise) X(i, Unadvise) X(i, OpenStatusEntry) X(i, OpenTemplateID) \
    X(i, GetOneOffTable) X(i, PrepareRecips)
#define SLOTS_IMSProvider(X, i) SLOTS_IUnknown(X, i) X(i, Shutdown) X(i, Logon) X(i, SpoolerLogon) \
    X(i, CompareStoreIDs)
#define SLOTS_IMSLogon(X, i) SLOTS_IUnknown(X, i) X(i, GetLastError) X(i, Logoff) X(i, OpenEntry) \
    X(i, CompareEntryIDs) X(i, Advise) X(i, Unadvise) X(i, OpenStatusEntry)
#define SLOTS_IXPProvider(X, i) SLOTS_IUnknown(X, i) X(i, Shutdown) X(i, TransportLogon)
#define SLOTS_IXPLogon(X, i) SLOTS_IUnknown(X, i) X(i, AddressTypes) X(i, RegisterOptions) X(i, TransportNotify) \
    X(i, Idle) X(i, TransportLogoff) X(i, SubmitMessage) X(i, EndMessage) X(i, Poll) X(i, StartMessage) \
    X(i, OpenStatusEntry) X(i, ValidateState) X(i, FlushQueues)
#define SLOTS_ITableData(X, i) SLOTS_IUnknown(X, i) X(i, HrGetView) X(i, HrModifyRow) X(i, HrDeleteRow) \
    X(i, HrQueryRow) X(i, HrEnumRow) X(i, HrNotify) X(i, HrInsertRow) X(i, HrModifyRows) X(i, HrDeleteRows)

/* The interfaces both sides declare. */
#define ABI_INTERFACES(Y) Y(IMAPIAdviseSink) Y(IMAPIProgress) Y(IMAPIProp) Y(IMAPITable) Y(IProfSect) \
    Y(IMAPIStatus) Y(IMAPIContainer) Y(IABContainer) Y(IMailUser) Y(IDistList) Y(IMAPIFolder) Y(IAttach) \
    Y(IMessage) Y(IMsgStore) Y(IMAPIControl) Y(IProviderAdmin) Y(IAddrBook) Y(IMAPISession) Y(IMAPISupport) \
    Y(IABProvider) Y(IABLogon) Y(IMSProvider) Y(IMSLogon) Y(IXPProvider) Y(IXPLogon) Y(ITableData)

/* clang-format on */

/* One row per slot; each side fills a table of these in the order of the lists above. */
struct abi_slot {
    const char *iface;
    const char *method;
    unsigned long offset;
};
struct abi_vtbl {
    const char *iface;
    unsigned long size;
};

extern const struct abi_slot sdk_slots[], our_slots[];
extern const unsigned long sdk_slot_count, our_slot_count;
extern const struct abi_vtbl sdk_vtbls[], our_vtbls[];
extern const unsigned long sdk_vtbl_count, our_vtbl_count;

#define ABI_SLOT_ROW(i, m) { #i, #m, offsetof(i##Vtbl, m) },
#define ABI_SLOT_ROWS(i) SLOTS_##i(ABI_SLOT_ROW, i)
#define ABI_VTBL_ROW(i) { #i, sizeof(i##Vtbl) },

/* Win64 signatures (W1): the slot's full type, with every ULONG_PTR in place. */
struct abi_signature {
    const char *method;
    const char *params; /* the positions the Win64 table names */
    int compatible;     /* the side's declaration has exactly this type */
};
extern const struct abi_signature sdk_signatures[], our_signatures[];
extern const unsigned long sdk_signature_count, our_signature_count;

#endif
