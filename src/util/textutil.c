/*
 * MAPI's text and number helpers (spec U82-U84) and the MNLS_ wrappers of the Unicode functions (exported because
 * providers bind MNLS_lstrlenW and friends by name, W6): hex and decimal conversion, character and string
 * search, FILETIME arithmetic.
 */
#include <ctype.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(textutil);

static const char hex_digits[] = "0123456789ABCDEF";

void WINAPI HexFromBin(LPBYTE bytes, int count, LPSTR text)
{
    int i;

    TRACE("(%p, %#lx, %p)\n", bytes, (unsigned long)count, text);
    if (!text) return;
    for (i = 0; bytes && i < count; i++) {
        *text++ = hex_digits[bytes[i] >> 4];
        *text++ = hex_digits[bytes[i] & 15];
    }
    *text = 0;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Up to limit bytes (0: no limit) from pairs of hex digits; FALSE on a bad character or an odd count (U83). */
static BOOL bin_from_hex(LPCSTR text, LPBYTE bytes, ULONG limit)
{
    ULONG i = 0;

    if (!text || !bytes) return FALSE;
    for (; text[0]; text += 2, i++) {
        int high = digit_value(text[0]), low = text[1] ? digit_value(text[1]) : -1;
        if (high < 0 || low < 0 || (limit && i >= limit)) return FALSE;
        bytes[i] = (BYTE)(high * 16 + low);
    }
    return TRUE;
}

BOOL WINAPI FBinFromHex(LPSTR text, LPBYTE bytes)
{
    TRACE("(%p, %p)\n", text, bytes);
    return bin_from_hex(text, bytes, 0);
}

SCODE WINAPI ScBinFromHexBounded(LPSTR text, LPBYTE bytes, ULONG size)
{
    TRACE("(%p, %p, %#lx)\n", text, bytes, size);
    return bin_from_hex(text, bytes, size) ? S_OK : MAPI_E_CALL_FAILED;
}

ULONG WINAPI UlFromSzHex(LPCSTR text)
{
    ULONG value = 0;

    TRACE("(%p)\n", text);
    for (; text && digit_value(*text) >= 0; text++) value = value * 16 + digit_value(*text);
    return value;
}

UINT WINAPI UFromSz(LPCSTR text)
{
    UINT value = 0;

    TRACE("(%p)\n", text);
    for (; text && *text >= '0' && *text <= '9'; text++) value = value * 10 + (*text - '0');
    return value;
}

/* ANSI searches step by character, so a DBCS trail byte never matches (U84). */
LPSTR WINAPI SzFindCh(LPCSTR text, USHORT ch)
{
    TRACE("(%p, %#lx)\n", text, (unsigned long)ch);
    for (; text && *text; text = CharNextA(text))
        if ((BYTE)*text == ch) return (LPSTR)text;
    return NULL;
}

LPSTR WINAPI SzFindLastCh(LPCSTR text, USHORT ch)
{
    LPCSTR found = NULL;

    TRACE("(%p, %#lx)\n", text, (unsigned long)ch);
    for (; text && *text; text = CharNextA(text))
        if ((BYTE)*text == ch) found = text;
    return (LPSTR)found;
}

LPSTR WINAPI SzFindSz(LPCSTR text, LPCSTR key)
{
    size_t length;

    TRACE("(%p, %p)\n", text, key);
    if (!text || !key) return NULL;
    length = strlen(key);
    for (; *text; text = CharNextA(text))
        if (!strncmp(text, key, length)) return (LPSTR)text;
    return length ? NULL : (LPSTR)text;
}

/* FILETIME arithmetic on unsigned 64-bit values, wrapping modulo 2^64 (U82). */
static ULONGLONG u64(FILETIME ft)
{
    return ((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}

static FILETIME ft(ULONGLONG value)
{
    FILETIME result = { (DWORD)value, (DWORD)(value >> 32) };

    return result;
}

FILETIME WINAPI FtAddFt(FILETIME a, FILETIME b)
{
    TRACE("({...}, {...})\n");
    return ft(u64(a) + u64(b));
}

FILETIME WINAPI FtAdcFt(FILETIME a, FILETIME b, WORD *carry)
{
    ULONGLONG sum = u64(a) + u64(b), total = sum + (carry ? *carry : 0);

    TRACE("({...}, {...}, %p)\n", carry);
    if (carry) *carry = (WORD)(sum < u64(a) || total < sum);
    return ft(total);
}

FILETIME WINAPI FtSubFt(FILETIME minuend, FILETIME subtrahend)
{
    TRACE("({...}, {...})\n");
    return ft(u64(minuend) - u64(subtrahend));
}

FILETIME WINAPI FtMulDw(DWORD factor, FILETIME value)
{
    TRACE("(%#lx, {...})\n", factor);
    return ft(u64(value) * factor);
}

FILETIME WINAPI FtMulDwDw(DWORD a, DWORD b)
{
    TRACE("(%#lx, %#lx)\n", a, b);
    return ft((ULONGLONG)a * b);
}

FILETIME WINAPI FtNegFt(FILETIME value)
{
    TRACE("({...})\n");
    return ft(0 - u64(value));
}

/* MNLS_: the system's Unicode functions under MAPI's names. */
int WINAPI MNLS_lstrlenW(LPCWSTR text)
{
    TRACE("(%p)\n", text);
    return text ? lstrlenW(text) : 0;
}

int WINAPI MNLS_lstrcmpW(LPCWSTR a, LPCWSTR b)
{
    TRACE("(%p, %p)\n", a, b);
    return lstrcmpW(a, b);
}

LPWSTR WINAPI MNLS_lstrcpyW(LPWSTR dest, LPCWSTR source)
{
    TRACE("(%p, %p)\n", dest, source);
    return lstrcpyW(dest, source);
}

int WINAPI MNLS_CompareStringW(LCID locale, DWORD flags, LPCWSTR a, int a_length, LPCWSTR b, int b_length)
{
    TRACE("(%#lx, %#lx, %p, %#lx, %p, %#lx)\n", locale, flags, a, (unsigned long)a_length, b, (unsigned long)b_length);
    return CompareStringW(locale, flags, a, a_length, b, b_length);
}

int WINAPI MNLS_MultiByteToWideChar(UINT code_page, DWORD flags, LPCSTR text, int length, LPWSTR out, int size)
{
    TRACE("(%#lx, %#lx, %p, %#lx, %p, %#lx)\n", (unsigned long)code_page, flags, text, (unsigned long)length, out,
          (unsigned long)size);
    return MultiByteToWideChar(code_page, flags, text, length, out, size);
}

int WINAPI MNLS_WideCharToMultiByte(UINT code_page, DWORD flags, LPCWSTR text, int length, LPSTR out, int size,
                                    LPCSTR default_char, BOOL *used_default)
{
    TRACE("(%#lx, %#lx, %p, %#lx, %p, %#lx, %p, %p)\n", (unsigned long)code_page, flags, text, (unsigned long)length,
          out, (unsigned long)size, default_char, used_default);
    return WideCharToMultiByte(code_page, flags, text, length, out, size, default_char, used_default);
}

BOOL WINAPI MNLS_IsBadStringPtrW(LPCWSTR text, UINT_PTR max)
{
    TRACE("(%p, %#Ix)\n", text, max);
    return IsBadStringPtrW(text, max);
}

/* Byte order: each of count values reversed in place (little-endian data to big-endian and back). */
void WINAPI SwapPlong(PULONG pul, ULONG count)
{
    ULONG i;

    TRACE("(%p, %#lx)\n", pul, count);
    for (i = 0; pul && i < count; i++)
        pul[i] = (pul[i] >> 24) | ((pul[i] >> 8) & 0xff00) | ((pul[i] << 8) & 0xff0000) | (pul[i] << 24);
}

void WINAPI SwapPword(PUSHORT pw, ULONG count)
{
    ULONG i;

    TRACE("(%p, %#lx)\n", pw, count);
    for (i = 0; pw && i < count; i++) pw[i] = (USHORT)((pw[i] >> 8) | (pw[i] << 8));
}

/* The bytes a string of MAPI's text encoding (four characters for every three bytes) decodes to, with room for a
 * last, partial group: what a caller allocates before decoding. 0 for NULL. */
ULONG WINAPI CbOfEncoded(LPCSTR encoded)
{
    TRACE("(%p)\n", encoded);
    if (!encoded) return 0;
    return ((ULONG)(strlen(encoded) | 3) / 4 + 1) * 3;
}
