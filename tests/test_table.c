/* IMAPITable views over table data: columns, cursor, restrictions, notifications, and the unsupported rest. */
#include "test_support.h"
#include "mapihost_private.h"
#include "table.h"

static const ULONG columns[] = { PR_ROWID, PR_DISPLAY_NAME_A, PR_STATUS_CODE };

static void add_row(struct table_data *data, ULONG rowid, const char *name, LONG status)
{
    SPropValue row[3];

    row[0].ulPropTag = PR_ROWID;
    row[0].Value.l = rowid;
    row[1].ulPropTag = PR_DISPLAY_NAME_A;
    row[1].Value.lpszA = (char *)name;
    row[2].ulPropTag = PR_STATUS_CODE;
    row[2].Value.l = status;
    assert_int_equal(tabledata_set_row(data, 3, row), S_OK);
}

static void free_rows(SRowSet *rows)
{
    ULONG i;

    for (i = 0; i < rows->cRows; i++) MAPIFreeBuffer(rows->aRow[i].lpProps);
    MAPIFreeBuffer(rows);
}

static struct table_data *three_rows(void)
{
    struct table_data *data = tabledata_create(ARRAYSIZE(columns), columns);

    assert_non_null(data);
    add_row(data, 1, "one", STATUS_AVAILABLE);
    add_row(data, 2, "two", STATUS_OFFLINE);
    add_row(data, 3, "three", STATUS_AVAILABLE);
    return data;
}

static void test_cursor_and_columns(void **state)
{
    struct table_data *data = three_rows();
    ULONG count, row, num, den;
    SizedSPropTagArray(2, narrow) = { 2, { PR_STATUS_CODE, PR_ENTRYID } };
    IMAPITable *table;
    SRowSet *rows;
    LONG sought;

    assert_int_equal(tabledata_open_view(data, &table), S_OK);
    tabledata_release(data); /* the view keeps the rows alive */
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &count), S_OK);
    assert_int_equal(count, 3);

    assert_int_equal(IMAPITable_QueryRows(table, 2, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 2);
    assert_int_equal(rows->aRow[0].cValues, 3);
    assert_string_equal(rows->aRow[1].lpProps[1].Value.lpszA, "two");
    free_rows(rows);
    assert_int_equal(IMAPITable_QueryPosition(table, &row, &num, &den), S_OK);
    assert_int_equal(row, 2);
    assert_int_equal(den, 3);

    assert_int_equal(IMAPITable_QueryRows(table, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    free_rows(rows);
    assert_int_equal(IMAPITable_QueryRows(table, 10, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 0); /* at the end: an empty set, not an error */
    free_rows(rows);

    assert_int_equal(IMAPITable_SeekRow(table, BOOKMARK_END, -2, &sought), S_OK);
    assert_int_equal(sought, -2);
    assert_int_equal(IMAPITable_QueryRows(table, -1, 0, &rows), S_OK); /* backwards: the row before the cursor */
    assert_int_equal(rows->cRows, 1);
    assert_string_equal(rows->aRow[0].lpProps[1].Value.lpszA, "one");
    free_rows(rows);
    assert_int_equal(IMAPITable_SeekRow(table, BOOKMARK_BEGINNING, -5, &sought), S_OK);
    assert_int_equal(sought, 0);

    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&narrow, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 1, TBL_NOADVANCE, &rows), S_OK);
    assert_int_equal(rows->aRow[0].cValues, 2);
    assert_int_equal(rows->aRow[0].lpProps[0].Value.l, STATUS_AVAILABLE);
    assert_int_equal(rows->aRow[0].lpProps[1].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_ENTRYID)));
    assert_int_equal(rows->aRow[0].lpProps[1].Value.err, MAPI_E_NOT_FOUND);
    free_rows(rows);
    assert_int_equal(IMAPITable_QueryPosition(table, &row, &num, &den), S_OK);
    assert_int_equal(row, 0); /* TBL_NOADVANCE */
    assert_int_equal(IMAPITable_Release(table), 0);
}

static void test_restrict_and_find(void **state)
{
    struct table_data *data = three_rows();
    SPropValue available = { PR_STATUS_CODE, 0, { .l = STATUS_AVAILABLE } };
    SPropValue three = { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"three" } };
    SRestriction eq = { RES_PROPERTY, { .resProperty = { RELOP_EQ, PR_STATUS_CODE, &available } } };
    SRestriction ne = { RES_PROPERTY, { .resProperty = { RELOP_NE, PR_STATUS_CODE, &available } } };
    SRestriction find = { RES_PROPERTY, { .resProperty = { RELOP_EQ, PR_DISPLAY_NAME_A, &three } } };
    SRestriction not_eq = { RES_NOT, { .resNot = { 0, &eq } } };
    SRestriction big = { RES_PROPERTY, { .resProperty = { 2 /* RELOP_GT */, PR_STATUS_CODE, &available } } };
    IMAPITable *table;
    SRowSet *rows;
    ULONG count, row, num, den;

    assert_int_equal(tabledata_open_view(data, &table), S_OK);
    assert_int_equal(IMAPITable_Restrict(table, &eq, 0), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &count), S_OK);
    assert_int_equal(count, 2);
    assert_int_equal(IMAPITable_FindRow(table, &find, BOOKMARK_BEGINNING, 0), S_OK);
    assert_int_equal(IMAPITable_QueryPosition(table, &row, &num, &den), S_OK);
    assert_int_equal(row, 1); /* "three" is the second row the restriction lets through */
    assert_int_equal(IMAPITable_QueryRows(table, 1, 0, &rows), S_OK);
    assert_string_equal(rows->aRow[0].lpProps[1].Value.lpszA, "three");
    free_rows(rows);
    assert_int_equal(IMAPITable_FindRow(table, &find, BOOKMARK_END, 0), MAPI_E_NOT_FOUND);
    assert_int_equal(IMAPITable_FindRow(table, &find, BOOKMARK_END, DIR_BACKWARD), S_OK);

    assert_int_equal(IMAPITable_Restrict(table, &ne, 0), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &count), S_OK);
    assert_int_equal(count, 1);
    assert_int_equal(IMAPITable_Restrict(table, &not_eq, 0), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &count), S_OK);
    assert_int_equal(count, 1);
    assert_int_equal(IMAPITable_Restrict(table, &big, 0), MAPI_E_TOO_COMPLEX);
    assert_int_equal(IMAPITable_Restrict(table, NULL, 0), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &count), S_OK);
    assert_int_equal(count, 3);
    IMAPITable_Release(table);
    tabledata_release(data);
}

static void test_notifications(void **state)
{
    struct test_sink sink = { { &test_sink_vtbl }, 1, 0, 0, 0 };
    struct table_data *data = three_rows();
    ULONG_PTR connection;
    IMAPITable *table;
    ULONG count;

    assert_int_equal(tabledata_open_view(data, &table), S_OK);
    assert_int_equal(IMAPITable_Advise(table, fnevTableModified, &sink.IMAPIAdviseSink_iface, &connection), S_OK);
    assert_int_equal(sink.refcount, 2);
    add_row(data, 4, "four", STATUS_AVAILABLE);
    add_row(data, 2, "two again", STATUS_AVAILABLE); /* replaces the row with PR_ROWID 2 */
    assert_int_equal(tabledata_delete_row(data, 1), S_OK);
    assert_int_equal(tabledata_delete_row(data, 1), MAPI_E_NOT_FOUND);
    assert_int_equal(sink.changes, 3);
    assert_int_equal(sink.last_type, fnevTableModified);
    assert_int_equal(sink.last_table_event, TABLE_CHANGED);
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &count), S_OK);
    assert_int_equal(count, 3);
    assert_int_equal(IMAPITable_Unadvise(table, connection), S_OK);
    assert_int_equal(IMAPITable_Unadvise(table, connection), MAPI_E_NOT_FOUND);
    assert_int_equal(sink.refcount, 1);
    add_row(data, 5, "five", STATUS_AVAILABLE);
    assert_int_equal(sink.changes, 3);
    IMAPITable_Release(table);
    tabledata_release(data);
}

static void test_unsupported_and_vtable(void **state)
{
    struct table_data *data = three_rows();
    IMAPITable *table;
    BOOKMARK bookmark;
    void *const *slot;
    size_t i;

    assert_int_equal(tabledata_open_view(data, &table), S_OK);
    /* Every slot is a real function (style.md); the unimplemented ones say MAPI_E_NO_SUPPORT. */
    slot = (void *const *)table->lpVtbl;
    for (i = 0; i < sizeof(IMAPITableVtbl) / sizeof(void *); i++) assert_non_null(slot[i]);
    assert_int_equal(IMAPITable_SortTable(table, NULL, 0), MAPI_E_NO_SUPPORT);
    assert_int_equal(IMAPITable_CreateBookmark(table, &bookmark), MAPI_E_NO_SUPPORT);
    assert_int_equal(IMAPITable_Abort(table), MAPI_E_NO_SUPPORT);
    assert_int_equal(IMAPITable_SeekRowApprox(table, 1, 2), MAPI_E_NO_SUPPORT);
    IMAPITable_Release(table);
    tabledata_release(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        mapi_test(test_cursor_and_columns),
        mapi_test(test_restrict_and_find),
        mapi_test(test_notifications),
        mapi_test(test_unsupported_and_vtable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
