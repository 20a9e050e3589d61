/*
 * BuildDisplayTable (spec U91): a display table from DTPAGE data and the caller's dialog resources. One row per
 * control of each page, in order, with PR_ROWID; its place and size (PR_XPOS, PR_YPOS, PR_DELTAX, PR_DELTAY) are the
 * dialog item's, in dialog units as the template holds them; its label is the item's text (a page's label is the
 * dialog's caption), overwriting what the caller passed; PR_CONTROL_STRUCTURE is the control's DTBL structure with
 * its strings after it, each ulb member the offset of its string from the structure's start; PR_CONTROL_ID is
 * lpbNotif. Strings are ANSI, or Unicode with MAPI_UNICODE. No UI is shown: the table is all this host makes of it.
 * A control whose item the dialog lacks, or a dialog that is missing, fails the call with MAPI_E_NOT_FOUND.
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "strbuf.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(disptable);

/* What the dialog template says of one item, or of the dialog itself (id 0). */
struct dialog_item {
    ULONG id;
    LONG x, y, cx, cy;
    const WCHAR *text; /* in the resource; NULL for an ordinal or none */
};

struct dialog {
    struct dialog_item caption; /* the dialog's title */
    struct dialog_item *items;
    ULONG count;
};

/* A cursor over a dialog template: every read is checked against the template's end, and a read past it leaves
 * the cursor failed (NULL) instead of reading on. */
struct cursor {
    const BYTE *base, *end;
    const WORD *p;
};

static BOOL has(const struct cursor *c, size_t bytes)
{
    return c->p && (size_t)(c->end - (const BYTE *)c->p) >= bytes;
}

static void skip(struct cursor *c, size_t bytes)
{
    c->p = has(c, bytes) ? (const WORD *)((const BYTE *)c->p + bytes) : NULL;
}

/* A sz_Or_Ord field: a string, an ordinal (0xFFFF then a WORD) or nothing (0); the text is NULL unless a string. */
static void skip_field(struct cursor *c, const WCHAR **text)
{
    size_t length = 0;

    if (text) *text = NULL;
    if (!has(c, sizeof(WORD))) {
        c->p = NULL;
        return;
    }
    if (*c->p == 0xFFFF || !*c->p) {
        skip(c, (*c->p ? 2 : 1) * sizeof(WORD));
        return;
    }
    while (has(c, (length + 1) * sizeof(WORD)) && c->p[length]) length++;
    if (!has(c, (length + 1) * sizeof(WORD))) {
        c->p = NULL; /* no terminator before the end */
        return;
    }
    if (text) *text = (const WCHAR *)c->p;
    skip(c, (length + 1) * sizeof(WORD));
}

static void align_dword(struct cursor *c)
{
    size_t offset = (const BYTE *)c->p - c->base;

    if (c->p) skip(c, ((offset + 3) & ~(size_t)3) - offset);
}

/* DLGTEMPLATE and DLGTEMPLATEEX alike; FALSE for a template that ends before what it says it holds. */
static BOOL parse_dialog(const BYTE *base, DWORD size, struct dialog *dialog)
{
    const WORD *words = (const WORD *)base;
    BOOL extended = size >= 4 && words[0] == 1 && words[1] == 0xFFFF;
    struct cursor c = { base, base + size, words };
    DWORD style;
    ULONG i;

    memset(dialog, 0, sizeof(*dialog));
    if (size < (extended ? 26u : 18u)) return FALSE;
    style = extended ? *(const DWORD *)(base + 12) : *(const DWORD *)base;
    dialog->count = extended ? words[8] : words[4];
    skip(&c, extended ? 26 : 18);
    skip_field(&c, NULL);                  /* menu */
    skip_field(&c, NULL);                  /* class */
    skip_field(&c, &dialog->caption.text); /* title */
    if (style & DS_SETFONT) {
        skip(&c, (extended ? 3 : 1) * sizeof(WORD)); /* point size (and weight, italic, charset) */
        skip_field(&c, NULL);                        /* typeface */
    }
    if (!c.p) return FALSE;
    if (!(dialog->items = calloc(dialog->count ? dialog->count : 1, sizeof(*dialog->items)))) return FALSE;
    for (i = 0; i < dialog->count; i++) {
        struct dialog_item *item = &dialog->items[i];
        const short *rect;

        align_dword(&c);
        if (!has(&c, extended ? 24 : 18)) return FALSE;
        rect = (const short *)(c.p + (extended ? 6 : 4));
        item->x = rect[0];
        item->y = rect[1];
        item->cx = rect[2];
        item->cy = rect[3];
        item->id = extended ? *(const DWORD *)(c.p + 10) : c.p[8];
        skip(&c, (extended ? 12 : 9) * sizeof(WORD));
        skip_field(&c, NULL); /* class */
        skip_field(&c, &item->text);
        if (!has(&c, sizeof(WORD))) return FALSE;
        skip(&c, sizeof(WORD) + *c.p); /* creation data: its size, then that many bytes */
        if (!c.p) return FALSE;
    }
    return TRUE;
}

BOOL disptable_parse_template(const BYTE *bytes, DWORD size, ULONG *items)
{
    struct dialog dialog;
    BOOL parsed = parse_dialog(bytes, size, &dialog);

    *items = dialog.count;
    free(dialog.items);
    return parsed;
}

static const struct dialog_item *find_item(const struct dialog *dialog, ULONG id)
{
    ULONG i;

    for (i = 0; i < dialog->count; i++)
        if (dialog->items[i].id == id) return &dialog->items[i];
    return NULL;
}

/* Appends text (from the resource when wide, else the caller's string) in the table's width; returns its offset. */
static ULONG append_string(struct strbuf *out, const WCHAR *wide, const void *caller, BOOL unicode)
{
    ULONG offset = (ULONG)out->length;
    char narrow[1024];

    if (wide && unicode)
        strbuf_append(out, (const char *)wide, (wcslen(wide) + 1) * sizeof(WCHAR));
    else if (wide) {
        WideCharToMultiByte(CP_ACP, 0, wide, -1, narrow, sizeof(narrow), NULL, NULL);
        narrow[sizeof(narrow) - 1] = 0;
        strbuf_append(out, narrow, strlen(narrow) + 1);
    } else if (caller && unicode)
        strbuf_append(out, caller, (wcslen(caller) + 1) * sizeof(WCHAR));
    else if (caller)
        strbuf_append(out, caller, strlen(caller) + 1);
    else
        strbuf_append(out, "\0\0", unicode ? 2 : 1);
    return offset;
}

/* The control's structure with its strings: the label from the resource, the filter and the component from the
 * caller. */
static HRESULT control_structure(const DTCTL *control, const WCHAR *label, const WCHAR *wide_component,
                                 const void *component, BOOL unicode, struct strbuf *out)
{
    static const size_t sizes[] = {
        [DTCT_LABEL] = sizeof(DTBLLABEL),
        [DTCT_EDIT] = sizeof(DTBLEDIT),
        [DTCT_LBX] = sizeof(DTBLLBX),
        [DTCT_COMBOBOX] = sizeof(DTBLCOMBOBOX),
        [DTCT_DDLBX] = sizeof(DTBLDDLBX),
        [DTCT_CHECKBOX] = sizeof(DTBLCHECKBOX),
        [DTCT_GROUPBOX] = sizeof(DTBLGROUPBOX),
        [DTCT_BUTTON] = sizeof(DTBLBUTTON),
        [DTCT_PAGE] = sizeof(DTBLPAGE),
        [DTCT_RADIOBUTTON] = sizeof(DTBLRADIOBUTTON),
        [DTCT_MVLISTBOX] = sizeof(DTBLMVLISTBOX),
        [DTCT_MVDDLBX] = sizeof(DTBLMVDDLBX),
    };
    ULONG type = control->ulCtlType, *field = NULL, offset;
    size_t size;

    if (type >= ARRAYSIZE(sizes) || !(size = sizes[type]) || !control->ctl.lpv) return MAPI_E_INVALID_PARAMETER;
    strbuf_append(out, control->ctl.lpv, size);
    if (out->failed) return MAPI_E_NOT_ENOUGH_MEMORY;
    switch (type) {
    case DTCT_LABEL:
    case DTCT_CHECKBOX:
    case DTCT_GROUPBOX:
    case DTCT_BUTTON:
    case DTCT_PAGE:
    case DTCT_RADIOBUTTON:
        offset = append_string(out, label, NULL, unicode);
        field = (ULONG *)out->text; /* every one of these structures starts with its label's offset */
        *field = offset;
        if (type == DTCT_PAGE) {
            offset = append_string(out, wide_component, component, unicode);
            ((DTBLPAGE *)out->text)->ulbLpszComponent = offset;
        }
        break;
    case DTCT_EDIT:
    case DTCT_COMBOBOX:
        offset = append_string(out, NULL, control->lpszFilter, unicode);
        *(ULONG *)out->text = offset; /* ulbLpszCharsAllowed comes first in both */
        break;
    }
    return out->failed ? MAPI_E_NOT_ENOUGH_MEMORY : S_OK;
}

static HRESULT add_row(ITableData *data, ULONG rowid, const DTCTL *control, const struct dialog_item *item,
                       const WCHAR *label, const WCHAR *wide_component, const void *component, BOOL unicode)
{
    SPropValue values[9];
    struct strbuf structure = { 0 };
    SRow row = { 0, ARRAYSIZE(values), values };
    HRESULT hr;

    if ((hr = control_structure(control, label, wide_component, component, unicode, &structure)) == S_OK) {
        values[0].ulPropTag = PR_ROWID;
        values[0].Value.l = rowid;
        values[1].ulPropTag = PR_XPOS;
        values[1].Value.l = item->x;
        values[2].ulPropTag = PR_YPOS;
        values[2].Value.l = item->y;
        values[3].ulPropTag = PR_DELTAX;
        values[3].Value.l = item->cx;
        values[4].ulPropTag = PR_DELTAY;
        values[4].Value.l = item->cy;
        values[5].ulPropTag = PR_CONTROL_TYPE;
        values[5].Value.l = control->ulCtlType;
        values[6].ulPropTag = PR_CONTROL_FLAGS;
        values[6].Value.l = control->ulCtlFlags;
        values[7].ulPropTag = PR_CONTROL_STRUCTURE;
        values[7].Value.bin.cb = (ULONG)structure.length;
        values[7].Value.bin.lpb = (BYTE *)structure.text;
        values[8].ulPropTag = PR_CONTROL_ID;
        values[8].Value.bin.cb = control->cbNotif;
        values[8].Value.bin.lpb = control->lpbNotif;
        hr = ITableData_HrModifyRow(data, &row);
    }
    strbuf_free(&structure);
    return hr;
}

/* One page: its dialog from the resources, then each control. */
static HRESULT add_page(ITableData *data, HINSTANCE instance, const DTPAGE *page, BOOL unicode, ULONG *rowid)
{
    static const struct dialog_item whole = { 0 };
    struct dialog dialog;
    HRSRC found;
    HGLOBAL loaded;
    const BYTE *bytes;
    const void *component = page->lpszComponent;
    WCHAR loaded_component[256] = L"";
    HRESULT hr = S_OK;
    ULONG i;

    /* The component is a string, or (ulItemID) the ID of a string resource of the same module. */
    if (component && IS_INTRESOURCE(component)) {
        if (!LoadStringW(instance, page->ulItemID, loaded_component, ARRAYSIZE(loaded_component)))
            loaded_component[0] = 0;
        component = NULL;
    }

    found = unicode ? FindResourceW(instance, (LPCWSTR)page->lpszResourceName, (LPCWSTR)RT_DIALOG)
                    : FindResourceA(instance, (LPCSTR)page->lpszResourceName, (LPCSTR)RT_DIALOG);
    if (!found || !(loaded = LoadResource(instance, found)) || !(bytes = LockResource(loaded))) return MAPI_E_NOT_FOUND;
    if (!parse_dialog(bytes, SizeofResource(instance, found), &dialog)) {
        free(dialog.items);
        return MAPI_E_CORRUPT_DATA;
    }
    for (i = 0; SUCCEEDED(hr) && i < page->cctl; i++) {
        const DTCTL *control = &page->lpctl[i];
        const struct dialog_item *item =
            control->ulCtlType == DTCT_PAGE ? &whole : find_item(&dialog, control->ulItemID);
        if (!item)
            hr = MAPI_E_NOT_FOUND;
        else
            hr = add_row(data, (*rowid)++, control, item,
                         control->ulCtlType == DTCT_PAGE ? dialog.caption.text : item->text,
                         component ? NULL : loaded_component, component, unicode);
    }
    free(dialog.items);
    return hr;
}

HRESULT WINAPI BuildDisplayTable(LPALLOCATEBUFFER allocate, LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer,
                                 LPMALLOC malloc, HINSTANCE instance, UINT page_count, LPDTPAGE pages, ULONG flags,
                                 LPMAPITABLE *table, LPTABLEDATA *table_data)
{
    SizedSPropTagArray(8, columns) = { 8,
                                       { PR_XPOS, PR_YPOS, PR_DELTAX, PR_DELTAY, PR_CONTROL_TYPE, PR_CONTROL_FLAGS,
                                         PR_CONTROL_STRUCTURE, PR_CONTROL_ID } };
    ITableData *data;
    ULONG rowid = 1;
    UINT i;
    HRESULT hr;

    TRACE("(%p, %p, %p, %p, %p, %#lx, %p, %#lx, %p, %p)\n", allocate, allocate_more, free_buffer, malloc, instance,
          (unsigned long)page_count, pages, flags, table, table_data);
    if (table_data) *table_data = NULL;
    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (!allocate || !allocate_more || !free_buffer || (page_count && !pages)) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if ((hr = CreateTable(&IID_ITableData, allocate, allocate_more, free_buffer, NULL, TBLTYPE_DYNAMIC, PR_ROWID,
                          (SPropTagArray *)&columns, &data))
        != S_OK)
        return hr;
    for (i = 0; SUCCEEDED(hr) && i < page_count; i++)
        hr = add_page(data, instance, &pages[i], !!(flags & MAPI_UNICODE), &rowid);
    if (SUCCEEDED(hr)) hr = ITableData_HrGetView(data, NULL, NULL, 0, table);
    if (SUCCEEDED(hr) && table_data) {
        *table_data = data;
        return S_OK;
    }
    ITableData_Release(data);
    return hr;
}
