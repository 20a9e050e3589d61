/* IMAPITable views over table data (spec U24-U61): cursor, columns, sorting, bookmarks, every restriction type and
 * the notifications each view gets. */
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

/* The PR_ROWIDs of every row of the view from the start, as "1 2 3"; the cursor is left at the end. */
static const char *rowids(IMAPITable *table)
{
    static char text[256];
    SRowSet *rows;
    ULONG i;

    text[0] = 0;
    assert_int_equal(IMAPITable_SeekRow(table, BOOKMARK_BEGINNING, 0, NULL), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 100, 0, &rows), S_OK);
    for (i = 0; i < rows->cRows; i++)
        snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%ld", i ? " " : "",
                 rows->aRow[i].lpProps[0].Value.l);
    free_rows(rows);
    return text;
}

static void test_cursor_and_columns(void **state)
{
    struct table_data *data = three_rows();
    ULONG count, row, num, den;
    SizedSPropTagArray(3, narrow) = { 3, { PR_STATUS_CODE, PR_NULL, PR_ENTRYID } };
    SPropValue extra[2] = { { PR_ROWID, 0, { .l = 4 } }, { PR_ENTRYID, 0, { .bin = { 0, NULL } } } };
    SPropTagArray *tags;
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
    assert_int_equal(IMAPITable_QueryRows(table, 0, 0, &rows), MAPI_E_INVALID_PARAMETER);

    assert_int_equal(IMAPITable_SeekRow(table, BOOKMARK_END, -2, &sought), S_OK);
    assert_int_equal(sought, -2);
    assert_int_equal(IMAPITable_QueryRows(table, -1, 0, &rows), S_OK); /* backwards: the row before the cursor */
    assert_int_equal(rows->cRows, 1);
    assert_string_equal(rows->aRow[0].lpProps[1].Value.lpszA, "one");
    free_rows(rows);
    assert_int_equal(IMAPITable_SeekRow(table, BOOKMARK_BEGINNING, -5, &sought), S_OK);
    assert_int_equal(sought, 0);
    assert_int_equal(IMAPITable_SeekRowApprox(table, 2, 3), S_OK);
    assert_int_equal(IMAPITable_QueryPosition(table, &row, &num, &den), S_OK);
    assert_int_equal(row, 2);
    assert_int_equal(IMAPITable_SeekRowApprox(table, 1, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPITable_SeekRowApprox(table, 0, 1), S_OK);

    /* Columns: PR_NULL keeps its slot; an absent one is PT_ERROR/MAPI_E_NOT_FOUND (U27, U30). */
    assert_int_equal(IMAPITable_SetColumns(table, (SPropTagArray *)&narrow, 0), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 1, TBL_NOADVANCE, &rows), S_OK);
    assert_int_equal(rows->aRow[0].cValues, 3);
    assert_int_equal(rows->aRow[0].lpProps[0].Value.l, STATUS_AVAILABLE);
    assert_int_equal(rows->aRow[0].lpProps[1].ulPropTag, PR_NULL);
    assert_int_equal(rows->aRow[0].lpProps[2].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_ENTRYID)));
    assert_int_equal(rows->aRow[0].lpProps[2].Value.err, MAPI_E_NOT_FOUND);
    free_rows(rows);
    assert_int_equal(IMAPITable_QueryPosition(table, &row, &num, &den), S_OK);
    assert_int_equal(row, 0); /* TBL_NOADVANCE */
    assert_int_equal(IMAPITable_SetColumns(table, NULL, 0), MAPI_E_INVALID_PARAMETER);

    /* A column stored later is available, but joins no current column set (U12). */
    assert_int_equal(tabledata_set_row(data, 2, extra), S_OK);
    assert_int_equal(IMAPITable_QueryColumns(table, TBL_ALL_COLUMNS, &tags), S_OK);
    assert_int_equal(tags->cValues, 4);
    assert_int_equal(tags->aulPropTag[3], PR_ENTRYID);
    MAPIFreeBuffer(tags);
    assert_int_equal(IMAPITable_QueryColumns(table, 0, &tags), S_OK);
    assert_int_equal(tags->cValues, 3);
    assert_int_equal(tags->aulPropTag[1], PR_NULL);
    MAPIFreeBuffer(tags);
    assert_int_equal(IMAPITable_Release(table), 0);
}

/* U37, U55, U56: several keys, both directions, stable, absent values last, strings of both widths. */
static void test_sorting(void **state)
{
    struct table_data *data = three_rows();
    SPropValue wide[2] = { { PR_ROWID, 0, { .l = 4 } }, { PR_DISPLAY_NAME_W, 0, { .lpszW = (WCHAR *)L"four" } } };
    SizedSSortOrderSet(2, by_status_then_name) = {
        2, 0, 0, { { PR_STATUS_CODE, TABLE_SORT_ASCEND }, { PR_DISPLAY_NAME_A, TABLE_SORT_DESCEND } }
    };
    SizedSSortOrderSet(1, by_name) = { 1, 0, 0, { { PR_DISPLAY_NAME_W, TABLE_SORT_ASCEND } } };
    SizedSSortOrderSet(1, by_status_down) = { 1, 0, 0, { { PR_STATUS_CODE, TABLE_SORT_DESCEND } } };
    SizedSSortOrderSet(2, repeated) = { 2, 0, 0, { { PR_STATUS_CODE, 0 }, { PR_STATUS_CODE, 1 } } };
    SizedSSortOrderSet(1, categorized) = { 1, 1, 0, { { PR_STATUS_CODE, 0 } } };
    SSortOrderSet none = { 0, 0, 0, { { 0, 0 } } }, *order;
    IMAPITable *table;

    assert_int_equal(tabledata_set_row(data, 2, wide), S_OK); /* no PR_STATUS_CODE; a wide name */
    assert_int_equal(tabledata_open_view(data, &table), S_OK);
    assert_string_equal(rowids(table), "1 2 3 4");
    assert_int_equal(IMAPITable_SortTable(table, (SSortOrderSet *)&by_status_then_name, 0), S_OK);
    assert_string_equal(rowids(table), "3 1 2 4"); /* AVAILABLE (1): three, one; OFFLINE (2): two; absent last */
    assert_int_equal(IMAPITable_SortTable(table, (SSortOrderSet *)&by_status_down, 0), S_OK);
    assert_string_equal(rowids(table), "2 1 3 4"); /* stable among equals, absent still last */
    assert_int_equal(IMAPITable_SortTable(table, (SSortOrderSet *)&by_name, 0), S_OK);
    assert_string_equal(rowids(table), "4 1 3 2"); /* four, one, three, two: both widths as text */
    assert_int_equal(IMAPITable_QuerySortOrder(table, &order), S_OK);
    assert_int_equal(order->cSorts, 1);
    assert_int_equal(order->aSort[0].ulPropTag, PR_DISPLAY_NAME_W);
    MAPIFreeBuffer(order);
    add_row(data, 5, "five", STATUS_OFFLINE);
    assert_string_equal(rowids(table), "5 4 1 3 2"); /* a new row takes its place in the order */
    assert_int_equal(IMAPITable_SortTable(table, (SSortOrderSet *)&repeated, 0), MAPI_E_TOO_COMPLEX);
    assert_int_equal(IMAPITable_SortTable(table, (SSortOrderSet *)&categorized, 0), MAPI_E_TOO_COMPLEX);
    assert_string_equal(rowids(table), "5 4 1 3 2"); /* a failure keeps the old order */
    assert_int_equal(IMAPITable_SortTable(table, &none, 0), S_OK);
    assert_string_equal(rowids(table), "1 2 3 4 5");
    assert_int_equal(IMAPITable_QuerySortOrder(table, &order), S_OK);
    assert_int_equal(order->cSorts, 0);
    MAPIFreeBuffer(order);
    IMAPITable_Release(table);
    tabledata_release(data);
}

/* U31, U36: a bookmark marks a row, follows it through a sort, and moves on when the row goes. */
static void test_bookmarks(void **state)
{
    struct table_data *data = three_rows();
    SizedSSortOrderSet(1, by_name) = { 1, 0, 0, { { PR_DISPLAY_NAME_A, TABLE_SORT_ASCEND } } };
    BOOKMARK at_two, at_end;
    IMAPITable *table;
    SRowSet *rows;
    LONG sought;

    assert_int_equal(tabledata_open_view(data, &table), S_OK);
    assert_int_equal(IMAPITable_SeekRow(table, BOOKMARK_BEGINNING, 1, NULL), S_OK);
    assert_int_equal(IMAPITable_CreateBookmark(table, &at_two), S_OK);
    assert_true(at_two > BOOKMARK_END);
    assert_int_equal(IMAPITable_SeekRow(table, BOOKMARK_END, 0, NULL), S_OK);
    assert_int_equal(IMAPITable_CreateBookmark(table, &at_end), S_OK);
    add_row(data, 0, "zero", STATUS_AVAILABLE);
    assert_int_equal(IMAPITable_SeekRow(table, at_two, 0, &sought), S_OK);
    assert_int_equal(IMAPITable_QueryRows(table, 1, 0, &rows), S_OK);
    assert_int_equal(rows->aRow[0].lpProps[0].Value.l, 2); /* the row, not the offset */
    free_rows(rows);
    assert_int_equal(IMAPITable_SeekRow(table, at_end, -1, &sought), S_OK);
    assert_int_equal(sought, -1);
    assert_int_equal(IMAPITable_QueryRows(table, 1, 0, &rows), S_OK);
    assert_int_equal(rows->aRow[0].lpProps[0].Value.l, 0);
    free_rows(rows);
    assert_int_equal(tabledata_delete_row(data, 2), S_OK);
    assert_int_equal(IMAPITable_SeekRow(table, at_two, 0, NULL), MAPI_W_POSITION_CHANGED);
    assert_int_equal(IMAPITable_QueryRows(table, 1, 0, &rows), S_OK);
    assert_int_equal(rows->aRow[0].lpProps[0].Value.l, 3); /* the next row */
    free_rows(rows);
    assert_int_equal(IMAPITable_FreeBookmark(table, at_two), S_OK);
    assert_int_equal(IMAPITable_FreeBookmark(table, at_two), MAPI_E_INVALID_BOOKMARK);
    assert_int_equal(IMAPITable_SeekRow(table, at_two, 0, NULL), MAPI_E_INVALID_BOOKMARK);
    assert_int_equal(IMAPITable_FreeBookmark(table, BOOKMARK_CURRENT), S_OK);
    /* SortTable and Restrict discard every bookmark and rewind. */
    assert_int_equal(IMAPITable_SortTable(table, (SSortOrderSet *)&by_name, 0), S_OK);
    assert_int_equal(IMAPITable_SeekRow(table, at_end, 0, NULL), MAPI_E_INVALID_BOOKMARK);
    IMAPITable_Release(table);
    tabledata_release(data);
}

/* Restrict and FindRow with every restriction type (U43-U53). */
static void test_restrictions(void **state)
{
    static BYTE bytes[] = { 1, 2, 3, 4 };
    struct table_data *data = three_rows();
    SPropValue available = { PR_STATUS_CODE, 0, { .l = STATUS_AVAILABLE } };
    SPropValue three = { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"three" } };
    SPropValue th = { PR_DISPLAY_NAME_W, 0, { .lpszW = (WCHAR *)L"TH" } };
    SPropValue wo = { PR_DISPLAY_NAME_A, 0, { .lpszA = (char *)"wo" } };
    SPropValue two = { PR_STATUS_CODE, 0, { .l = 2 } };
    SPropValue blob = { PR_ENTRYID, 0, { .bin = { 2, bytes + 1 } } };
    SPropValue extra[3] = { { PR_ROWID, 0, { .l = 4 } },
                            { PR_ENTRYID, 0, { .bin = { 4, bytes } } },
                            { PR_RESOURCE_FLAGS, 0, { .l = 2 } } };
    SRestriction eq = { RES_PROPERTY, { .resProperty = { RELOP_EQ, PR_STATUS_CODE, &available } } };
    SRestriction ne = { RES_PROPERTY, { .resProperty = { RELOP_NE, PR_STATUS_CODE, &available } } };
    SRestriction ge = { RES_PROPERTY, { .resProperty = { RELOP_GE, PR_STATUS_CODE, &two } } };
    SRestriction find = { RES_PROPERTY, { .resProperty = { RELOP_EQ, PR_DISPLAY_NAME_A, &three } } };
    SRestriction not_eq = { RES_NOT, { .resNot = { 0, &eq } } };
    SRestriction prefix = { RES_CONTENT, { .resContent = { FL_PREFIX | FL_IGNORECASE, PR_DISPLAY_NAME_W, &th } } };
    SRestriction exact_case = { RES_CONTENT, { .resContent = { FL_PREFIX, PR_DISPLAY_NAME_W, &th } } };
    SRestriction substring = { RES_CONTENT, { .resContent = { FL_SUBSTRING, PR_DISPLAY_NAME_A, &wo } } };
    SRestriction in_blob = { RES_CONTENT, { .resContent = { FL_SUBSTRING, PR_ENTRYID, &blob } } };
    SRestriction bits = { RES_BITMASK, { .resBitMask = { BMR_NEZ, PR_STATUS_CODE, STATUS_OFFLINE } } };
    SRestriction no_bits = { RES_BITMASK, { .resBitMask = { BMR_EQZ, PR_STATUS_CODE, STATUS_OFFLINE } } };
    SRestriction size = { RES_SIZE, { .resSize = { RELOP_GT, PR_DISPLAY_NAME_A, 4 } } };
    SRestriction exists = { RES_EXIST, { .resExist = { 0, PR_ENTRYID, 0 } } };
    SRestriction compare = { RES_COMPAREPROPS, { .resCompareProps = { RELOP_EQ, PR_STATUS_CODE, PR_RESOURCE_FLAGS } } };
    SRestriction both[2] = { eq, prefix };
    SRestriction and = { RES_AND, { .resAnd = { 2, both } } };
    SRestriction or = { RES_OR, { .resOr = { 2, both } } };
    SRestriction comment = { RES_COMMENT, { .resComment = { 1, &ne, &three } } };
    SRestriction regex = { RES_PROPERTY, { .resProperty = { RELOP_RE, PR_STATUS_CODE, &available } } };
    SRestriction mismatched = { RES_PROPERTY, { .resProperty = { RELOP_EQ, PR_STATUS_CODE, &three } } };
    SRestriction sub = { RES_SUBRESTRICTION, { .resSub = { PR_MESSAGE_RECIPIENTS, &eq } } };
    SRestriction broken = { RES_AND, { .resAnd = { 2, NULL } } };
    SRestriction unknown = { 0x42, { .resExist = { 0, PR_ENTRYID, 0 } } };
    IMAPITable *table;
    ULONG row, num, den;
    SRowSet *rows;

    assert_int_equal(tabledata_set_row(data, 3, extra), S_OK);
    assert_int_equal(tabledata_open_view(data, &table), S_OK);
#define RESTRICTED(res, expected)                                                                                      \
    do {                                                                                                               \
        assert_int_equal(IMAPITable_Restrict(table, &(res), 0), S_OK);                                                 \
        assert_string_equal(rowids(table), (expected));                                                                \
    } while (0)
    RESTRICTED(eq, "1 3");
    RESTRICTED(ne, "2"); /* row 4 has no PR_STATUS_CODE: a leaf on a missing property fails (U44) */
    RESTRICTED(not_eq, "2 4");
    RESTRICTED(ge, "2");
    RESTRICTED(prefix, "3");
    RESTRICTED(exact_case, "");
    RESTRICTED(substring, "2");
    RESTRICTED(in_blob, "4");
    RESTRICTED(bits, "2");
    RESTRICTED(no_bits, "1 3");
    RESTRICTED(size, "3"); /* "three" is 6 bytes with its terminator */
    RESTRICTED(exists, "4");
    RESTRICTED(compare, "");
    RESTRICTED(and, "3");
    RESTRICTED(or, "1 3");
    RESTRICTED(comment, "2");
    assert_int_equal(IMAPITable_Restrict(table, &regex, 0), MAPI_E_TOO_COMPLEX);
    assert_int_equal(IMAPITable_Restrict(table, &mismatched, 0), MAPI_E_TOO_COMPLEX);
    assert_int_equal(IMAPITable_Restrict(table, &sub, 0), MAPI_E_TOO_COMPLEX);
    assert_int_equal(IMAPITable_Restrict(table, &broken, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMAPITable_Restrict(table, &unknown, 0), MAPI_E_INVALID_PARAMETER);
    assert_string_equal(rowids(table), "2"); /* a refused restriction leaves the last one */
    assert_int_equal(IMAPITable_Restrict(table, NULL, 0), S_OK);
    assert_string_equal(rowids(table), "1 2 3 4");

    /* FindRow: forward from a bookmark, or backward from the row before it; the cursor stays on a miss. */
    assert_int_equal(IMAPITable_Restrict(table, &eq, 0), S_OK);
    assert_int_equal(IMAPITable_FindRow(table, &find, BOOKMARK_BEGINNING, 0), S_OK);
    assert_int_equal(IMAPITable_QueryPosition(table, &row, &num, &den), S_OK);
    assert_int_equal(row, 1); /* "three" is the second row the restriction lets through */
    assert_int_equal(IMAPITable_QueryRows(table, 1, 0, &rows), S_OK);
    assert_string_equal(rows->aRow[0].lpProps[1].Value.lpszA, "three");
    free_rows(rows);
    assert_int_equal(IMAPITable_FindRow(table, &find, BOOKMARK_END, 0), MAPI_E_NOT_FOUND);
    assert_int_equal(IMAPITable_QueryPosition(table, &row, &num, &den), S_OK);
    assert_int_equal(row, 2);
    assert_int_equal(IMAPITable_FindRow(table, &find, BOOKMARK_END, DIR_BACKWARD), S_OK);
    assert_int_equal(IMAPITable_QueryPosition(table, &row, &num, &den), S_OK);
    assert_int_equal(row, 1);
    assert_int_equal(IMAPITable_FindRow(table, &regex, BOOKMARK_BEGINNING, 0), MAPI_E_TOO_COMPLEX);
    IMAPITable_Release(table);
    tabledata_release(data);
}

/* U58, U59: each view hears of the rows it shows, with the row before each one. */
static void test_notifications(void **state)
{
    struct test_sink sink = TEST_SINK_INIT, other = TEST_SINK_INIT;
    SPropValue available = { PR_STATUS_CODE, 0, { .l = STATUS_AVAILABLE } };
    SRestriction eq = { RES_PROPERTY, { .resProperty = { RELOP_EQ, PR_STATUS_CODE, &available } } };
    struct table_data *data = three_rows();
    IMAPITable *table, *restricted;
    ULONG_PTR connection, other_connection;
    ULONG count;

    assert_int_equal(tabledata_open_view(data, &table), S_OK);
    assert_int_equal(tabledata_open_view(data, &restricted), S_OK);
    assert_int_equal(IMAPITable_Restrict(restricted, &eq, 0), S_OK);
    assert_int_equal(IMAPITable_Advise(table, fnevTableModified, &sink.IMAPIAdviseSink_iface, &connection), S_OK);
    assert_int_equal(IMAPITable_Advise(restricted, fnevTableModified, &other.IMAPIAdviseSink_iface, &other_connection),
                     S_OK);
    assert_int_equal(IMAPITable_Advise(table, fnevNewMail, &sink.IMAPIAdviseSink_iface, &connection),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(sink.refcount, 2);
    add_row(data, 4, "four", STATUS_OFFLINE);
    add_row(data, 2, "two again", STATUS_AVAILABLE); /* replaces the row with PR_ROWID 2 */
    assert_int_equal(tabledata_delete_row(data, 1), S_OK);
    assert_int_equal(tabledata_delete_row(data, 1), MAPI_E_NOT_FOUND);
    assert_string_equal(sink.table_log, "added 4 after 3, modified 2 after 1, deleted 1 after -");
    assert_string_equal(other.table_log, "added 2 after 1, deleted 1 after -"); /* row 4 is not in that view */
    assert_int_equal(sink.last_type, fnevTableModified);
    assert_int_equal(IMAPITable_GetRowCount(table, 0, &count), S_OK);
    assert_int_equal(count, 3);
    assert_int_equal(IMAPITable_Unadvise(table, connection), S_OK);
    assert_int_equal(IMAPITable_Unadvise(table, connection), MAPI_E_NOT_FOUND);
    assert_int_equal(sink.refcount, 1);
    add_row(data, 5, "five", STATUS_AVAILABLE);
    assert_int_equal(sink.changes, 3);
    assert_int_equal(IMAPITable_Unadvise(restricted, other_connection), S_OK);
    IMAPITable_Release(restricted);
    IMAPITable_Release(table);
    tabledata_release(data);
}

static void test_status_and_categories(void **state)
{
    struct table_data *data = three_rows();
    ULONG status, type;
    IMAPITable *table;
    SRowSet *rows;
    void *const *slot;
    size_t i;

    assert_int_equal(tabledata_open_view(data, &table), S_OK);
    /* Every slot is a real function (docs/style.md). */
    slot = (void *const *)table->lpVtbl;
    for (i = 0; i < sizeof(IMAPITableVtbl) / sizeof(void *); i++) assert_non_null(slot[i]);
    assert_int_equal(IMAPITable_GetStatus(table, &status, &type), S_OK);
    assert_int_equal(status, TBLSTAT_COMPLETE);
    assert_int_equal(type, TBLTYPE_DYNAMIC);
    assert_int_equal(IMAPITable_Abort(table), MAPI_E_UNABLE_TO_ABORT);
    assert_int_equal(IMAPITable_WaitForCompletion(table, 0, 0xffffffff, &status), S_OK);
    assert_int_equal(IMAPITable_ExpandRow(table, 0, NULL, 1, 0, &rows, &status), MAPI_E_NO_SUPPORT);
    assert_int_equal(IMAPITable_CollapseRow(table, 0, NULL, 0, &status), MAPI_E_NO_SUPPORT);
    IMAPITable_Release(table);
    tabledata_release(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        mapi_test(test_cursor_and_columns), mapi_test(test_sorting),       mapi_test(test_bookmarks),
        mapi_test(test_restrictions),       mapi_test(test_notifications), mapi_test(test_status_and_categories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
