/*
 * CreateTable and ITableData (spec U10-U23): a provider's table data object over struct table_data (table.c), with
 * the allocators the provider gave for everything the object and its views return. Implemented: every method.
 */
#include <stdlib.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "table.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(createtable);

struct tabledata {
    ITableData ITableData_iface;
    LONG refcount;
    struct table_data *data;
};

static inline struct tabledata *impl_from_ITableData(ITableData *iface)
{
    return CONTAINING_RECORD(iface, struct tabledata, ITableData_iface);
}

static HRESULT WINAPI tabledata_QueryInterface(ITableData *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_ITableData, NULL };

    TRACE("(%p, %p, %p)\n", iface, riid, out);
    return unknown_query_interface((IUnknown *)iface, riid, out, iids);
}

static ULONG WINAPI tabledata_AddRef(ITableData *iface)
{
    TRACE("(%p)\n", iface);
    return InterlockedIncrement(&impl_from_ITableData(iface)->refcount);
}

static ULONG WINAPI tabledata_Release(ITableData *iface)
{
    struct tabledata *object = impl_from_ITableData(iface);
    ULONG refcount = InterlockedDecrement(&object->refcount);

    TRACE("(%p)\n", iface);
    if (!refcount) {
        /* Views hold the rows themselves: they outlive the object (U22). */
        tabledata_release(object->data);
        free(object);
    }
    return refcount;
}

static HRESULT WINAPI tabledata_HrGetView(ITableData *iface, SSortOrderSet *sort, CALLERRELEASE *release,
                                          ULONG_PTR caller_data, IMAPITable **view)
{
    TRACE("(%p, %p, %p, %#Ix, %p)\n", iface, sort, release, caller_data, view);
    return tabledata_open_view_ex(impl_from_ITableData(iface)->data, sort, release, caller_data, iface, view);
}

static HRESULT WINAPI tabledata_HrModifyRow(ITableData *iface, SRow *row)
{
    TRACE("(%p, %p)\n", iface, row);
    if (!row || FBadRow(row)) return MAPI_E_INVALID_PARAMETER; /* checked before anything is read */
    return tabledata_modify_row(impl_from_ITableData(iface)->data, row);
}

static HRESULT WINAPI tabledata_HrDeleteRow(ITableData *iface, SPropValue *key)
{
    TRACE("(%p, %p)\n", iface, key);
    if (!key || FBadProp(key)) return MAPI_E_INVALID_PARAMETER;
    return tabledata_delete_key(impl_from_ITableData(iface)->data, key);
}

static HRESULT WINAPI tabledata_HrQueryRow(ITableData *iface, SPropValue *key, SRow **row, ULONG *index)
{
    TRACE("(%p, %p, %p, %p)\n", iface, key, row, index);
    if (!key || FBadProp(key)) return MAPI_E_INVALID_PARAMETER;
    return tabledata_query_row(impl_from_ITableData(iface)->data, key, row, index);
}

static HRESULT WINAPI tabledata_HrEnumRow(ITableData *iface, ULONG number, SRow **row)
{
    TRACE("(%p, %#lx, %p)\n", iface, number, row);
    return tabledata_enum_row(impl_from_ITableData(iface)->data, number, row);
}

static HRESULT WINAPI tabledata_HrNotify(ITableData *iface, ULONG flags, ULONG count, SPropValue *values)
{
    TRACE("(%p, %#lx, %#lx, %p)\n", iface, flags, count, values);
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    if (count && (!values || FBadRow(&(SRow){ 0, count, values }))) return MAPI_E_INVALID_PARAMETER;
    return tabledata_notify_row(impl_from_ITableData(iface)->data, count, values);
}

static HRESULT WINAPI tabledata_HrInsertRow(ITableData *iface, ULONG position, SRow *row)
{
    TRACE("(%p, %#lx, %p)\n", iface, position, row);
    if (!row || FBadRow(row)) return MAPI_E_INVALID_PARAMETER;
    return tabledata_insert_row(impl_from_ITableData(iface)->data, position, row);
}

static HRESULT WINAPI tabledata_HrModifyRows(ITableData *iface, ULONG flags, SRowSet *rows)
{
    TRACE("(%p, %#lx, %p)\n", iface, flags, rows);
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    if (!rows || FBadRowSet(rows)) return MAPI_E_INVALID_PARAMETER;
    return tabledata_modify_rows(impl_from_ITableData(iface)->data, rows);
}

static HRESULT WINAPI tabledata_HrDeleteRows(ITableData *iface, ULONG flags, SRowSet *rows, ULONG *deleted)
{
    TRACE("(%p, %#lx, %p, %p)\n", iface, flags, rows, deleted);
    return tabledata_delete_rows(impl_from_ITableData(iface)->data, flags, rows, deleted);
}

static const ITableDataVtbl tabledata_vtbl = {
    tabledata_QueryInterface, tabledata_AddRef,      tabledata_Release,      tabledata_HrGetView,
    tabledata_HrModifyRow,    tabledata_HrDeleteRow, tabledata_HrQueryRow,   tabledata_HrEnumRow,
    tabledata_HrNotify,       tabledata_HrInsertRow, tabledata_HrModifyRows, tabledata_HrDeleteRows,
};

SCODE WINAPI CreateTable(const IID *iid, ALLOCATEBUFFER *allocate_buffer, ALLOCATEMORE *allocate_more,
                         FREEBUFFER *free_buffer, void *reserved, ULONG type, ULONG index_tag, SPropTagArray *columns,
                         ITableData **out)
{
    struct mapi_allocators alloc = { allocate_buffer, allocate_more, free_buffer };
    struct tabledata *object;

    TRACE("(%p, %p, %p, %p, %p, %#lx, %#lx, %p, %p)\n", iid, allocate_buffer, allocate_more, free_buffer, reserved,
          type, index_tag, columns, out);
    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (iid && !IsEqualIID(iid, &IID_ITableData)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (!allocate_buffer || !allocate_more || !free_buffer || !columns || reserved) return MAPI_E_INVALID_PARAMETER;
    /* U11: the index column is single-valued. */
    if (PROP_TYPE(index_tag) & MV_FLAG || PROP_TYPE(index_tag) == PT_ERROR || PROP_TYPE(index_tag) == PT_OBJECT)
        return MAPI_E_INVALID_PARAMETER;
    if (type > TBLTYPE_DYNAMIC) return MAPI_E_INVALID_PARAMETER;
    if (!(object = calloc(1, sizeof(*object)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(object->data = tabledata_create_ex(index_tag, type, &alloc, columns->cValues, columns->aulPropTag))) {
        free(object);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    object->ITableData_iface.lpVtbl = &tabledata_vtbl;
    object->refcount = 1;
    *out = &object->ITableData_iface;
    return S_OK;
}
