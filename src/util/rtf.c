/*
 * WrapCompressedRTFStream: PR_RTF_COMPRESSED as plain RTF, by the compression format of [MS-OXRTFCP]. A 16-byte
 * header (the compressed size plus 12, the raw size, the type, a CRC) comes first. Type "LZFu" is LZ77 over a
 * 4096-byte dictionary that starts with a fixed RTF prologue: each control byte's bits, lowest first, say whether the
 * next token is a literal byte or a big-endian reference (12 bits of offset, 4 of length minus 2), and a reference to
 * the write position itself ends the data. Type "MELA" is the RTF as is.
 *
 * Reading decompresses at once and checks the CRC. Writing (MAPI_MODIFY) always stores the uncompressed "MELA" form,
 * which every reader must accept: this host does not compress (docs/host-behaviour.md); the compressed stream gets
 * the whole text at Commit and at the last Release of the returned stream (wbstream.c).
 */
#include <stdlib.h>
#include <string.h>

#include "mapihost_private.h"
#include "mapihost_util.h"
#include "wbstream.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(rtf);

#define HEADER_SIZE 16
#define DICTIONARY_SIZE 4096
#define TYPE_COMPRESSED 0x75465A4C   /* "LZFu" */
#define TYPE_UNCOMPRESSED 0x414C454D /* "MELA" */

static const char prologue[] = "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss "
                               "\\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier"
                               "{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";

static ULONG read_dword(const BYTE *bytes)
{
    return bytes[0] | bytes[1] << 8 | bytes[2] << 16 | (ULONG)bytes[3] << 24;
}

static void write_dword(BYTE *bytes, ULONG value)
{
    bytes[0] = (BYTE)value;
    bytes[1] = (BYTE)(value >> 8);
    bytes[2] = (BYTE)(value >> 16);
    bytes[3] = (BYTE)(value >> 24);
}

/* The CRC-32 table (polynomial 0xEDB88320), started from 0 and not inverted, as [MS-OXRTFCP] computes it. */
static ULONG crc_of(const BYTE *bytes, size_t size)
{
    ULONG crc = 0, entry, bit;
    size_t i;

    for (i = 0; i < size; i++) {
        for (entry = (crc ^ bytes[i]) & 0xff, bit = 0; bit < 8; bit++)
            entry = entry & 1 ? (entry >> 1) ^ 0xEDB88320 : entry >> 1;
        crc = entry ^ (crc >> 8);
    }
    return crc;
}

/* LZFu data into out (raw_size bytes at most); MAPI_E_CORRUPT_DATA when it runs past its end or its size. */
static HRESULT decompress(const BYTE *data, size_t size, BYTE *out, ULONG raw_size, ULONG *written)
{
    BYTE dictionary[DICTIONARY_SIZE];
    ULONG position = sizeof(prologue) - 1, done = 0, bit, offset, length;
    size_t i = 0;

    memcpy(dictionary, prologue, sizeof(prologue) - 1);
    while (i < size) {
        BYTE control = data[i++];
        for (bit = 0; bit < 8; bit++) {
            if (i >= size) return MAPI_E_CORRUPT_DATA;
            if (!(control & (1 << bit))) {
                if (done >= raw_size) return MAPI_E_CORRUPT_DATA;
                out[done++] = dictionary[position] = data[i++];
                position = (position + 1) % DICTIONARY_SIZE;
                continue;
            }
            if (i + 2 > size) return MAPI_E_CORRUPT_DATA;
            offset = (data[i] << 4) | (data[i + 1] >> 4);
            length = (data[i + 1] & 0xf) + 2;
            i += 2;
            if (offset == position) {
                *written = done;
                return S_OK; /* the end */
            }
            while (length--) {
                if (done >= raw_size) return MAPI_E_CORRUPT_DATA;
                out[done++] = dictionary[position] = dictionary[offset];
                offset = (offset + 1) % DICTIONARY_SIZE;
                position = (position + 1) % DICTIONARY_SIZE;
            }
        }
    }
    return MAPI_E_CORRUPT_DATA; /* no end marker */
}

/* The RTF of a compressed stream, as a new memory stream at position 0. */
static HRESULT uncompressed_copy(IStream *compressed, IStream **out)
{
    ULONG size, comp_size, raw_size, type, written = 0;
    BYTE *bytes, *raw = NULL;
    HRESULT hr;

    if (FAILED(hr = stream_read_all(compressed, &bytes, &size))) return hr;
    hr = MAPI_E_CORRUPT_DATA;
    if (size >= HEADER_SIZE) {
        comp_size = read_dword(bytes);
        raw_size = read_dword(bytes + 4);
        type = read_dword(bytes + 8);
        /* LZFu turns each 2-byte reference into 17 bytes at most: a raw size beyond what the data can hold is a lie,
         * and nothing is allocated for it. */
        if (comp_size < 12 || comp_size - 12 > size - HEADER_SIZE || raw_size >= 1 << 30) type = 0;
        if (type == TYPE_COMPRESSED && raw_size / 9 > comp_size - 12) type = 0;
        if (type == TYPE_UNCOMPRESSED && raw_size <= comp_size - 12) {
            raw = bytes + HEADER_SIZE;
            written = raw_size;
            hr = S_OK;
        } else if (type == TYPE_COMPRESSED && crc_of(bytes + HEADER_SIZE, comp_size - 12) == read_dword(bytes + 12)) {
            if (!(raw = malloc(raw_size ? raw_size : 1)))
                hr = MAPI_E_NOT_ENOUGH_MEMORY;
            else
                hr = decompress(bytes + HEADER_SIZE, comp_size - 12, raw, raw_size, &written);
        }
    }
    if (SUCCEEDED(hr) && SUCCEEDED(hr = CreateStreamOnHGlobal(NULL, TRUE, out))) {
        LARGE_INTEGER zero = { .QuadPart = 0 };
        if (FAILED(hr = IStream_Write(*out, raw, written, NULL))
            || FAILED(hr = IStream_Seek(*out, zero, STREAM_SEEK_SET, NULL))) {
            IStream_Release(*out);
            *out = NULL;
        }
    }
    if (raw != bytes + HEADER_SIZE) free(raw);
    free(bytes);
    return hr;
}

/* The RTF written through the returned stream, into the compressed one as "MELA". */
static HRESULT flush_rtf(void *context, IStream *bytes)
{
    IStream *compressed = context;
    LARGE_INTEGER zero = { .QuadPart = 0 };
    ULARGE_INTEGER end;
    BYTE header[HEADER_SIZE], *raw = NULL;
    ULONG size;
    HRESULT hr;

    if (FAILED(hr = stream_read_all(bytes, &raw, &size))) return hr;
    write_dword(header, size + 12);
    write_dword(header + 4, size);
    write_dword(header + 8, TYPE_UNCOMPRESSED);
    write_dword(header + 12, 0); /* no CRC for "MELA" */
    end.QuadPart = HEADER_SIZE + size;
    if (SUCCEEDED(hr = IStream_Seek(compressed, zero, STREAM_SEEK_SET, NULL))
        && SUCCEEDED(hr = IStream_Write(compressed, header, HEADER_SIZE, NULL))
        && SUCCEEDED(hr = IStream_Write(compressed, raw, size, NULL))
        && SUCCEEDED(hr = IStream_SetSize(compressed, end)))
        hr = IStream_Commit(compressed, STGC_DEFAULT);
    free(raw);
    return hr;
}

static void release_rtf(void *context)
{
    IStream_Release((IStream *)context);
}

static const struct wbstream_ops rtf_ops = { flush_rtf, release_rtf };

HRESULT WINAPI WrapCompressedRTFStream(LPSTREAM compressed, ULONG flags, LPSTREAM *out)
{
    IStream *bytes;
    HRESULT hr;

    TRACE("(%p, %#lx, %p)\n", compressed, flags, out);
    if (!compressed || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~(MAPI_MODIFY | STORE_UNCOMPRESSED_RTF)) return MAPI_E_UNKNOWN_FLAGS;
    if (!(flags & MAPI_MODIFY)) return uncompressed_copy(compressed, out);
    if (FAILED(hr = CreateStreamOnHGlobal(NULL, TRUE, &bytes))) return hr;
    IStream_AddRef(compressed);
    if (FAILED(hr = wbstream_create(bytes, TRUE, FALSE, &rtf_ops, compressed, out))) IStream_Release(compressed);
    return hr;
}
