/*
 * Property tags and values as text: the lines of a profile file and the TAG=VALUE arguments of the tools. Every
 * storable type round-trips (docs/host-behaviour.md, "Profile files", has the grammar):
 *  - PT_I2, PT_LONG: numbers (decimal, 0x hex, or exactly eight hex digits as MAPISVC.INF's little-endian bytes) and
 *    known constants, joined with '|'; PT_BOOLEAN: TRUE, FALSE, 1 or 0; PT_ERROR: a number;
 *  - PT_R4, PT_DOUBLE, PT_APPTIME: decimal floating point; PT_I8, PT_CURRENCY, PT_SYSTIME: 64-bit integers;
 *  - PT_STRING8, PT_UNICODE: the text as is, or "quoted" with \\ \" \n \r \t \xHH escapes (PT_STRING8 bytes above
 *    0x7F are written as \xHH; PT_UNICODE is UTF-8); PT_BINARY: hex pairs; PT_CLSID: {xxxxxxxx-xxxx-...};
 *  - PT_MV_*: the elements, comma-separated (strings quoted), none for an empty list; PT_NULL: empty.
 */
#ifndef MAPIHOST_PROPTEXT_H
#define MAPIHOST_PROPTEXT_H

#include <windows.h>
#include "mapihost_defs.h"
#include "strbuf.h"

/* A PR_ name the host knows, or eight hex digits. */
BOOL proptext_parse_tag(const char *text, ULONG *tag);
/* tag's PR_ name if the host knows it, else its eight hex digits. */
void proptext_format_tag(ULONG tag, char *text, size_t size);
/* Parses text as a value of tag's type, allocating with MAPIAllocateMore on parent. On failure *why says what is
 * wrong with the value (a static string). */
HRESULT proptext_parse_value(ULONG tag, const char *text, SPropValue *value, void *parent, const char **why);
/* Appends value as text; MAPI_E_INVALID_TYPE for a type no text can hold (PT_OBJECT). */
HRESULT proptext_format_value(const SPropValue *value, struct strbuf *out);

#endif
