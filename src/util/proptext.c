/*
 * Property values as text (proptext.h). Numbers keep their exact value: floating point is written with enough
 * digits to read back the same bits, and PT_STRING8 keeps its bytes, whatever the code page.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "proptext.h"
#include "propval.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(proptext);

struct named_value {
    const char *name;
    ULONG value;
};

static const struct named_value tag_names[] = {
    { "PR_DISPLAY_NAME", PR_DISPLAY_NAME_A },
    { "PR_PROVIDER_DISPLAY", PR_PROVIDER_DISPLAY_A },
    { "PR_PROVIDER_DLL_NAME", PR_PROVIDER_DLL_NAME_A },
    { "PR_PROVIDER_ORDINAL", PR_PROVIDER_ORDINAL },
    { "PR_PROVIDER_UID", PR_PROVIDER_UID },
    { "PR_RESOURCE_TYPE", PR_RESOURCE_TYPE },
    { "PR_RESOURCE_FLAGS", PR_RESOURCE_FLAGS },
    { "PR_SERVICE_NAME", PR_SERVICE_NAME_A },
    { "PR_SERVICE_DLL_NAME", PR_SERVICE_DLL_NAME_A },
    { "PR_SERVICE_ENTRY_NAME", PR_SERVICE_ENTRY_NAME },
    { "PR_SERVICE_UID", PR_SERVICE_UID },
    { "PR_SERVICE_SUPPORT_FILES", PR_SERVICE_SUPPORT_FILES_A },
    { "PR_SERVICE_DELETE_FILES", PR_SERVICE_DELETE_FILES_A },
    { "PR_SERVICE_INSTALL_ID", PR_SERVICE_INSTALL_ID_A },
    { "PR_STATUS_CODE", PR_STATUS_CODE },
    { "PR_MDB_PROVIDER", PR_MDB_PROVIDER },
    { "PR_SEARCH_KEY", PR_SEARCH_KEY },
    { "PR_PROFILE_NAME", PR_PROFILE_NAME_A },
    { "PR_DEFAULT_PROFILE", PR_DEFAULT_PROFILE },
    { "PR_IDENTITY_DISPLAY", PR_IDENTITY_DISPLAY_A },
    { "PR_IDENTITY_ENTRYID", PR_IDENTITY_ENTRYID },
    { "PR_ENTRYID", PR_ENTRYID },
    { "PR_RECORD_KEY", PR_RECORD_KEY },
    { "PR_ADDRTYPE", PR_ADDRTYPE_A },
    { "PR_EMAIL_ADDRESS", PR_EMAIL_ADDRESS_A },
    { "PR_OBJECT_TYPE", PR_OBJECT_TYPE },
};

static const struct named_value constants[] = {
    { "MAPI_STORE_PROVIDER", MAPI_STORE_PROVIDER },
    { "MAPI_AB_PROVIDER", MAPI_AB_PROVIDER },
    { "MAPI_TRANSPORT_PROVIDER", MAPI_TRANSPORT_PROVIDER },
    { "STATUS_DEFAULT_OUTBOUND", STATUS_DEFAULT_OUTBOUND },
    { "STATUS_DEFAULT_STORE", STATUS_DEFAULT_STORE },
    { "STATUS_PRIMARY_IDENTITY", STATUS_PRIMARY_IDENTITY },
    { "STATUS_SIMPLE_STORE", STATUS_SIMPLE_STORE },
    { "STATUS_XP_PREFER_LAST", STATUS_XP_PREFER_LAST },
    { "STATUS_NO_PRIMARY_IDENTITY", STATUS_NO_PRIMARY_IDENTITY },
    { "STATUS_NO_DEFAULT_STORE", STATUS_NO_DEFAULT_STORE },
    { "STATUS_TEMP_SECTION", STATUS_TEMP_SECTION },
    { "STATUS_OWN_STORE", STATUS_OWN_STORE },
    { "STATUS_NEED_IPM_TREE", STATUS_NEED_IPM_TREE },
    { "STATUS_PRIMARY_STORE", STATUS_PRIMARY_STORE },
    { "STATUS_SECONDARY_STORE", STATUS_SECONDARY_STORE },
    { "STATUS_AVAILABLE", STATUS_AVAILABLE },
    { "STATUS_OFFLINE", STATUS_OFFLINE },
    { "STATUS_FAILURE", STATUS_FAILURE },
    { "SERVICE_DEFAULT_STORE", SERVICE_DEFAULT_STORE },
    { "SERVICE_SINGLE_COPY", SERVICE_SINGLE_COPY },
    { "SERVICE_CREATE_WITH_STORE", SERVICE_CREATE_WITH_STORE },
    { "SERVICE_PRIMARY_IDENTITY", SERVICE_PRIMARY_IDENTITY },
    { "SERVICE_NO_PRIMARY_IDENTITY", SERVICE_NO_PRIMARY_IDENTITY },
};

static BOOL lookup(const struct named_value *table, size_t count, const char *name, size_t length, ULONG *value)
{
    size_t i;

    for (i = 0; i < count; i++)
        if (strlen(table[i].name) == length && !_strnicmp(table[i].name, name, length)) {
            *value = table[i].value;
            return TRUE;
        }
    return FALSE;
}

static BOOL is_hex(const char *s, size_t length)
{
    size_t i;

    for (i = 0; i < length; i++)
        if (!isxdigit((unsigned char)s[i])) return FALSE;
    return TRUE;
}

BOOL proptext_parse_tag(const char *text, ULONG *tag)
{
    size_t length = strlen(text);

    if (lookup(tag_names, ARRAYSIZE(tag_names), text, length, tag)) return TRUE;
    /* NAME_A and NAME_W: a string property of the host's table in either width. */
    if (length > 2 && text[length - 2] == '_'
        && (toupper((unsigned char)text[length - 1]) == 'A' || toupper((unsigned char)text[length - 1]) == 'W')
        && lookup(tag_names, ARRAYSIZE(tag_names), text, length - 2, tag)
        && (PROP_TYPE(*tag) & ~MV_FLAG) == PT_STRING8) {
        if (toupper((unsigned char)text[length - 1]) == 'W') *tag = CHANGE_PROP_TYPE(*tag, PROP_TYPE(*tag) + 1);
        return TRUE;
    }
    if (!_strnicmp(text, "0x", 2)) text += 2;
    if (strlen(text) != 8 || !is_hex(text, 8)) return FALSE;
    *tag = strtoul(text, NULL, 16);
    return TRUE;
}

void proptext_format_tag(ULONG tag, char *text, size_t size)
{
    ULONG narrow = (PROP_TYPE(tag) & ~MV_FLAG) == PT_UNICODE ? CHANGE_PROP_TYPE(tag, PROP_TYPE(tag) - 1) : 0;
    size_t i;

    for (i = 0; i < ARRAYSIZE(tag_names); i++)
        if (tag_names[i].value == tag) {
            snprintf(text, size, "%s", tag_names[i].name);
            return;
        }
    for (i = 0; narrow && i < ARRAYSIZE(tag_names); i++)
        if (tag_names[i].value == narrow) {
            snprintf(text, size, "%s_W", tag_names[i].name);
            return;
        }
    snprintf(text, size, "%08lX", tag);
}

/* The parser walks one value, or one element of a list, at a time. */
struct cursor {
    const char *p, *end;
    const char *why;
};

static BOOL at_end(struct cursor *c)
{
    while (c->p < c->end && isspace((unsigned char)*c->p)) c->p++;
    return c->p >= c->end;
}

/* The next element: up to a comma outside quotes (lists) or the end (single values), trimmed. */
static BOOL next_token(struct cursor *c, BOOL list, const char **start, size_t *length)
{
    const char *p;
    BOOL quoted = FALSE;

    at_end(c);
    for (p = c->p; p < c->end; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == '\\' && quoted && p + 1 < c->end)
            p++;
        else if (*p == ',' && list && !quoted)
            break;
    }
    *start = c->p;
    *length = p - c->p;
    while (*length && isspace((unsigned char)(*start)[*length - 1])) (*length)--;
    c->p = p < c->end ? p + 1 : p;
    return TRUE;
}

/* A number token, NUL-terminated in buffer; FALSE when it is empty or too long for one. */
static BOOL copy_token(const char *token, size_t length, char *buffer, size_t size)
{
    if (!length || length >= size) return FALSE;
    memcpy(buffer, token, length);
    buffer[length] = 0;
    return TRUE;
}

static BOOL parse_number(const char *token, size_t length, ULONG *value)
{
    char buffer[32], *end;

    if (!copy_token(token, length, buffer, sizeof(buffer))) return FALSE;
    if (length == 8 && is_hex(buffer, 8)) {
        /* MAPISVC.INF writes PT_LONG as little-endian bytes: 06000000 is 6. */
        ULONG v = strtoul(buffer, NULL, 16);
        *value = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >> 8) & 0xff00) | (v >> 24);
        return TRUE;
    }
    *value = strtoul(buffer, &end, 0);
    return !*end;
}

/* The token a failed parse stopped at, for the message; one per thread. */
static __thread char bad_token[192];

/* Numbers and constants joined with '|'. */
static BOOL parse_flags(const char *token, size_t length, ULONG *value)
{
    const char *end = token + length;

    *value = 0;
    while (token < end) {
        const char *bar = memchr(token, '|', end - token), *stop = bar ? bar : end;
        ULONG part;

        while (token < stop && isspace((unsigned char)*token)) token++;
        while (stop > token && isspace((unsigned char)stop[-1])) stop--;
        if (!lookup(constants, ARRAYSIZE(constants), token, stop - token, &part)
            && !parse_number(token, stop - token, &part)) {
            snprintf(bad_token, sizeof(bad_token), "\"%.*s\" is neither a number nor a known constant",
                     (int)(stop - token < 120 ? stop - token : 120), token);
            return FALSE;
        }
        *value |= part;
        token = bar ? bar + 1 : end;
    }
    return TRUE;
}

static BOOL parse_int64(const char *token, size_t length, LONGLONG *value)
{
    char buffer[40], *end;

    if (!copy_token(token, length, buffer, sizeof(buffer))) return FALSE;
    *value = strtoll(buffer, &end, 0);
    return !*end;
}

static BOOL parse_double(const char *token, size_t length, double *value)
{
    char buffer[64], *end;

    if (!copy_token(token, length, buffer, sizeof(buffer))) return FALSE;
    *value = strtod(buffer, &end);
    return !*end;
}

static int hex_digit(char c)
{
    return isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10;
}

/* A string token: quoted with escapes, or as is. Returns its bytes (malloc'ed, NUL-terminated). */
static char *parse_string(const char *token, size_t length, size_t *size)
{
    char *text = malloc(length + 1), *out = text;
    const char *p, *end = token + length;

    if (!text) return NULL;
    if (length < 2 || token[0] != '"' || token[length - 1] != '"') {
        memcpy(text, token, length);
        text[length] = 0;
        *size = length;
        return text;
    }
    for (p = token + 1; p < end - 1; p++) {
        if (*p != '\\' || p + 1 >= end - 1) {
            *out++ = *p;
            continue;
        }
        switch (*++p) {
        case 'n': *out++ = '\n'; break;
        case 'r': *out++ = '\r'; break;
        case 't': *out++ = '\t'; break;
        case 'x':
            if (p + 2 < end - 1 && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
                *out++ = (char)(hex_digit(p[1]) * 16 + hex_digit(p[2]));
                p += 2;
                break;
            }
            *out++ = *p; /* a lone \x stands for itself */
            break;
        default: *out++ = *p; break;
        }
    }
    *out = 0;
    *size = out - text;
    return text;
}

static HRESULT parse_binary(const char *token, size_t length, SBinary *bin, void *parent)
{
    ULONG i;

    if (length % 2 || !is_hex(token, length)) return MAPI_E_INVALID_PARAMETER;
    bin->cb = length / 2;
    if (MAPIAllocateMore(bin->cb ? bin->cb : 1, parent, (void **)&bin->lpb)) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < bin->cb; i++) bin->lpb[i] = (BYTE)(hex_digit(token[2 * i]) * 16 + hex_digit(token[2 * i + 1]));
    return S_OK;
}

static BOOL parse_guid(const char *token, size_t length, GUID *guid)
{
    char buffer[40];
    unsigned int d[11];

    if (length != 38 || token[0] != '{' || token[37] != '}') return FALSE;
    memcpy(buffer, token, length);
    buffer[length] = 0;
    if (sscanf(buffer, "{%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}", &d[0], &d[1], &d[2], &d[3], &d[4], &d[5], &d[6],
               &d[7], &d[8], &d[9], &d[10])
        != 11)
        return FALSE;
    guid->Data1 = d[0];
    guid->Data2 = (WORD)d[1];
    guid->Data3 = (WORD)d[2];
    for (int i = 0; i < 8; i++) guid->Data4[i] = (BYTE)d[3 + i];
    return TRUE;
}

/* One element of type (a single-valued type) into the storage at out. */
static HRESULT parse_element(ULONG type, const char *token, size_t length, void *out, void *parent, const char **why)
{
    LONGLONG i64;
    ULONG number;
    size_t size;
    char *text;
    double d;

    switch (type) {
    case PT_I2:
    case PT_LONG:
    case PT_ERROR:
        if (!parse_flags(token, length, &number)) {
            *why = bad_token;
            return MAPI_E_INVALID_PARAMETER;
        }
        if (type == PT_I2)
            *(short *)out = (short)number;
        else
            *(LONG *)out = (LONG)number;
        return S_OK;
    case PT_BOOLEAN:
        if ((length == 4 && !_strnicmp(token, "TRUE", 4)) || (length == 1 && *token == '1'))
            *(unsigned short *)out = 1;
        else if ((length == 5 && !_strnicmp(token, "FALSE", 5)) || (length == 1 && *token == '0'))
            *(unsigned short *)out = 0;
        else {
            *why = "a boolean is TRUE, FALSE, 1 or 0";
            return MAPI_E_INVALID_PARAMETER;
        }
        return S_OK;
    case PT_R4:
        if (!parse_double(token, length, &d)) break;
        *(float *)out = (float)d;
        return S_OK;
    case PT_DOUBLE:
    case PT_APPTIME:
        if (!parse_double(token, length, (double *)out)) break;
        return S_OK;
    case PT_I8:
    case PT_CURRENCY:
    case PT_SYSTIME:
        if (!parse_int64(token, length, &i64)) break;
        memcpy(out, &i64, sizeof(i64));
        return S_OK;
    case PT_CLSID:
        if (MAPIAllocateMore(sizeof(GUID), parent, (void **)out)) return MAPI_E_NOT_ENOUGH_MEMORY;
        if (parse_guid(token, length, *(GUID **)out)) return S_OK;
        *why = "a GUID is written {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}";
        return MAPI_E_INVALID_PARAMETER;
    case PT_BINARY:
        if (parse_binary(token, length, out, parent) == S_OK) return S_OK;
        *why = "binary values are pairs of hex digits";
        return MAPI_E_INVALID_PARAMETER;
    case PT_STRING8:
        if (!(text = parse_string(token, length, &size))) return MAPI_E_NOT_ENOUGH_MEMORY;
        if (MAPIAllocateMore(size + 1, parent, (void **)out) == S_OK)
            memcpy(*(char **)out, text, size + 1);
        else
            *(char **)out = NULL;
        free(text);
        return *(char **)out ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    case PT_UNICODE: {
        int count;
        if (!(text = parse_string(token, length, &size))) return MAPI_E_NOT_ENOUGH_MEMORY;
        count = MultiByteToWideChar(CP_UTF8, 0, text, (int)size + 1, NULL, 0);
        if (count && MAPIAllocateMore(count * sizeof(WCHAR), parent, (void **)out) == S_OK)
            MultiByteToWideChar(CP_UTF8, 0, text, (int)size + 1, *(WCHAR **)out, count);
        else
            *(WCHAR **)out = NULL;
        free(text);
        if (*(WCHAR **)out) return S_OK;
        *why = "the text is not UTF-8";
        return MAPI_E_INVALID_PARAMETER;
    }
    default: *why = "no text can hold a value of this property type"; return MAPI_E_INVALID_TYPE;
    }
    *why = "not a number of the property's type (or a known constant)";
    return MAPI_E_INVALID_PARAMETER;
}

static HRESULT parse_multi(ULONG type, struct cursor *c, SPropValue *value, void *parent, const char **why)
{
    size_t size = prop_element_size(type), length;
    struct cursor count_cursor = *c;
    const char *token;
    ULONG count = 0, i;
    BYTE *array;
    HRESULT hr;

    if (!size) {
        *why = "no text can hold a value of this property type";
        return MAPI_E_INVALID_TYPE;
    }
    while (!at_end(&count_cursor) && next_token(&count_cursor, TRUE, &token, &length)) count++;
    if (MAPIAllocateMore((count ? count : 1) * size, parent, (void **)&array)) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < count; i++) {
        next_token(c, TRUE, &token, &length);
        if (type == PT_CLSID) {
            /* The GUID array holds the GUIDs themselves. */
            if (!parse_guid(token, length, (GUID *)(array + i * size))) {
                *why = "a GUID is written {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}";
                return MAPI_E_INVALID_PARAMETER;
            }
        } else if ((hr = parse_element(type, token, length, array + i * size, parent, why)) != S_OK)
            return hr;
    }
    /* Every SxxxArray is { ULONG cValues; T *lpxxx; }. */
    value->Value.MVl.cValues = count;
    value->Value.MVl.lpl = (LONG *)array;
    return S_OK;
}

HRESULT proptext_parse_value(ULONG tag, const char *text, SPropValue *value, void *parent, const char **why)
{
    struct cursor c = { text, text + strlen(text), NULL };
    ULONG type = PROP_TYPE(tag);
    const char *token;
    size_t length;

    *why = NULL;
    memset(value, 0, sizeof(*value));
    value->ulPropTag = tag;
    if (type & MV_FLAG) return parse_multi(type & ~MV_FLAG, &c, value, parent, why);
    if (type == PT_NULL) return S_OK;
    next_token(&c, FALSE, &token, &length);
    return parse_element(type, token, length, &value->Value, parent, why);
}

static BOOL needs_quotes(const unsigned char *text, size_t length, BOOL list, BOOL utf8)
{
    size_t i;

    if (!length || isspace(text[0]) || isspace(text[length - 1]) || text[0] == '"') return TRUE;
    for (i = 0; i < length; i++)
        if (text[i] < 0x20 || text[i] == 0x7f || (text[i] > 0x7f && !utf8) || text[i] == '\\'
            || (list && (text[i] == ',' || text[i] == '"')))
            return TRUE;
    return FALSE;
}

/* Bytes as a string token: as is when that reads back the same, else quoted. UTF-8 (PT_UNICODE) keeps its
 * non-ASCII bytes; PT_STRING8 escapes them, since the file is UTF-8 and those bytes are not. */
static void format_string(struct strbuf *out, const char *text, size_t length, BOOL list, BOOL utf8)
{
    size_t i;

    if (!needs_quotes((const unsigned char *)text, length, list, utf8)) {
        strbuf_append(out, text, length);
        return;
    }
    strbuf_append(out, "\"", 1);
    for (i = 0; i < length; i++) {
        unsigned char ch = text[i];
        if (ch == '"' || ch == '\\')
            strbuf_printf(out, "\\%c", ch);
        else if (ch == '\n')
            strbuf_append(out, "\\n", 2);
        else if (ch == '\r')
            strbuf_append(out, "\\r", 2);
        else if (ch == '\t')
            strbuf_append(out, "\\t", 2);
        else if (ch < 0x20 || ch == 0x7f || (ch > 0x7f && !utf8))
            strbuf_printf(out, "\\x%02X", ch);
        else
            strbuf_append(out, (const char *)&ch, 1);
    }
    strbuf_append(out, "\"", 1);
}

static void format_guid(struct strbuf *out, const GUID *g)
{
    strbuf_printf(out, "{%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", (unsigned long)g->Data1, g->Data2,
                  g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6],
                  g->Data4[7]);
}

static HRESULT format_element(ULONG type, const void *in, struct strbuf *out, BOOL list)
{
    char number[40];
    LONGLONG i64;
    ULONG i;

    switch (type) {
    case PT_I2: strbuf_printf(out, "%d", *(const short *)in); return S_OK;
    case PT_LONG:
        /* Exactly eight decimal digits would read back as MAPISVC.INF's little-endian hex. */
        snprintf(number, sizeof(number), "%ld", *(const LONG *)in);
        if (strlen(number) == 8) snprintf(number, sizeof(number), "0x%lx", *(const ULONG *)in);
        strbuf_printf(out, "%s", number);
        return S_OK;
    case PT_ERROR: strbuf_printf(out, "0x%08lx", *(const ULONG *)in); return S_OK;
    case PT_BOOLEAN: strbuf_printf(out, "%s", *(const unsigned short *)in ? "TRUE" : "FALSE"); return S_OK;
    case PT_R4: strbuf_printf(out, "%.9g", *(const float *)in); return S_OK;
    case PT_DOUBLE:
    case PT_APPTIME: strbuf_printf(out, "%.17g", *(const double *)in); return S_OK;
    case PT_I8:
    case PT_CURRENCY:
    case PT_SYSTIME:
        memcpy(&i64, in, sizeof(i64));
        strbuf_printf(out, "%lld", i64);
        return S_OK;
    case PT_CLSID: format_guid(out, *(GUID *const *)in); return S_OK;
    case PT_BINARY: {
        const SBinary *bin = in;
        for (i = 0; i < bin->cb; i++) strbuf_printf(out, "%02X", bin->lpb[i]);
        return S_OK;
    }
    case PT_STRING8: {
        const char *text = *(char *const *)in;
        format_string(out, text ? text : "", text ? strlen(text) : 0, list, FALSE);
        return S_OK;
    }
    case PT_UNICODE: {
        const WCHAR *text = *(WCHAR *const *)in;
        int size = text ? WideCharToMultiByte(CP_UTF8, 0, text, -1, NULL, 0, NULL, NULL) : 1;
        char *utf8 = malloc(size ? size : 1);
        if (!utf8) return MAPI_E_NOT_ENOUGH_MEMORY;
        utf8[0] = 0;
        if (text) WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8, size, NULL, NULL);
        format_string(out, utf8, strlen(utf8), list, TRUE);
        free(utf8);
        return S_OK;
    }
    }
    return MAPI_E_INVALID_TYPE;
}

HRESULT proptext_format_value(const SPropValue *value, struct strbuf *out)
{
    ULONG type = PROP_TYPE(value->ulPropTag), element, i;
    const BYTE *array;
    HRESULT hr;

    if (type == PT_NULL) return S_OK;
    if (!(type & MV_FLAG)) return format_element(type, &value->Value, out, FALSE);
    element = type & ~MV_FLAG;
    if (!prop_element_size(element)) return MAPI_E_INVALID_TYPE;
    array = (const BYTE *)value->Value.MVl.lpl;
    for (i = 0; i < value->Value.MVl.cValues; i++) {
        if (i) strbuf_append(out, ", ", 2);
        if (element == PT_CLSID) {
            format_guid(out, (const GUID *)(array + i * sizeof(GUID)));
            continue;
        }
        if ((hr = format_element(element, array + i * prop_element_size(element), out, TRUE)) != S_OK) return hr;
    }
    return S_OK;
}

HRESULT WINAPI MapihostParseProp(const char *text, SPropValue **value, const char **why)
{
    const char *eq = text ? strchr(text, '=') : NULL, *reason = NULL;
    char tag_text[64];
    size_t length;
    ULONG tag;
    HRESULT hr;

    TRACE("(%p, %p, %p)\n", text, value, why);
    if (why) *why = NULL;
    if (!value) return MAPI_E_INVALID_PARAMETER;
    *value = NULL;
    if (!eq || (length = eq - text) >= sizeof(tag_text)) {
        if (why) *why = "expected TAG=VALUE";
        return MAPI_E_INVALID_PARAMETER;
    }
    memcpy(tag_text, text, length);
    while (length && isspace((unsigned char)tag_text[length - 1])) length--;
    tag_text[length] = 0;
    if (!proptext_parse_tag(tag_text, &tag)) {
        if (why) *why = "unknown property tag (use a PR_ name or eight hex digits)";
        return MAPI_E_INVALID_PARAMETER;
    }
    if ((hr = MAPIAllocateBuffer(sizeof(**value), (void **)value)) != S_OK) return hr;
    while (isspace((unsigned char)eq[1])) eq++;
    if ((hr = proptext_parse_value(tag, eq + 1, *value, *value, &reason)) != S_OK) {
        MAPIFreeBuffer(*value);
        *value = NULL;
        if (why) *why = reason;
    }
    return hr;
}

HRESULT WINAPI MapihostFormatProp(const SPropValue *value, char *text, ULONG size)
{
    struct strbuf out = { 0 };
    char tag[64];
    HRESULT hr;

    TRACE("(%p, %p, %#lx)\n", value, text, size);
    if (!value || !text || !size) return MAPI_E_INVALID_PARAMETER;
    proptext_format_tag(value->ulPropTag, tag, sizeof(tag));
    strbuf_printf(&out, "%s = ", tag);
    if (PROP_TYPE(value->ulPropTag) == PT_ERROR)
        strbuf_printf(&out, "(error %s)", hresult_text(value->Value.err));
    else if ((hr = proptext_format_value(value, &out)) != S_OK)
        strbuf_printf(&out, "(not shown: %s)", hresult_text(hr));
    if (out.failed) {
        strbuf_free(&out);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    hr = out.length < size ? S_OK : MAPI_E_STRING_TOO_LONG;
    snprintf(text, size, "%s", out.text);
    strbuf_free(&out);
    return hr;
}

HRESULT WINAPI MapihostParsePropTag(const char *text, ULONG *tag)
{
    TRACE("(%p, %p)\n", text, tag);
    if (!text || !tag) return MAPI_E_INVALID_PARAMETER;
    return proptext_parse_tag(text, tag) ? S_OK : MAPI_E_NOT_FOUND;
}
