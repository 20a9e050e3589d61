/* Fuzz target "rtf": compressed RTF (the bytes of PR_RTF_COMPRESSED), read through WrapCompressedRTFStream (rtf.c);
 * and the input as RTF text, compressed through a writable wrapper and read back, which must give it back. */
#include <stdlib.h>
#include <string.h>

#include "mapihost_x.h"
#include "mapihost_util.h"
#include "fuzz.h"

static IStream *memory_stream(const BYTE *data, size_t size)
{
    IStream *stream;

    if (FAILED(CreateStreamOnHGlobal(NULL, TRUE, &stream))) return NULL;
    if (size) IStream_Write(stream, data, (ULONG)size, NULL);
    IStream_Seek(stream, (LARGE_INTEGER){ 0 }, STREAM_SEEK_SET, NULL);
    return stream;
}

/* Everything the wrapper over compressed gives, up to size bytes into out (may be NULL); how much there was. */
static ULONG read_all(IStream *compressed, BYTE *out, ULONG size)
{
    BYTE buffer[4096];
    IStream *text;
    ULONG got, total = 0;

    if (WrapCompressedRTFStream(compressed, 0, &text) != S_OK) return (ULONG)-1;
    while (IStream_Read(text, buffer, sizeof(buffer), &got) == S_OK && got && total < (1u << 22)) {
        if (out && total < size) memcpy(out + total, buffer, min(got, size - total));
        total += got;
    }
    IStream_Release(text);
    return total;
}

/* [MS-OXRTFCP]'s CRC-32: from 0, not inverted. */
static ULONG crc(const BYTE *bytes, size_t size)
{
    ULONG value = 0, entry, bit;
    size_t i;

    for (i = 0; i < size; i++) {
        for (entry = (value ^ bytes[i]) & 0xff, bit = 0; bit < 8; bit++)
            entry = entry & 1 ? (entry >> 1) ^ 0xEDB88320 : entry >> 1;
        value = entry ^ (value >> 8);
    }
    return value;
}

/* An input whose first byte is odd is LZFu data after a raw size (two bytes), under a header the target makes right
 * (sizes, "LZFu", CRC), so that the decompressor itself is fuzzed rather than the header's checks. */
static void decompress_payload(const BYTE *data, size_t size)
{
    BYTE *whole = malloc(size + 16);
    ULONG header[4];
    IStream *compressed;

    if (!whole || size < 3) {
        free(whole);
        return;
    }
    header[0] = (ULONG)(size - 3 + 12);
    header[1] = data[1] | data[2] << 8;
    header[2] = 0x75465A4C;
    header[3] = crc(data + 3, size - 3);
    memcpy(whole, header, sizeof(header));
    memcpy(whole + 16, data + 3, size - 3);
    if ((compressed = memory_stream(whole, size - 3 + 16))) {
        read_all(compressed, NULL, 0);
        IStream_Release(compressed);
    }
    free(whole);
}

static void run(const BYTE *data, size_t size)
{
    IStream *compressed, *text;
    BYTE *back;
    ULONG got;

    if (size && data[0] & 1) {
        decompress_payload(data, size);
        return;
    }
    if (!(compressed = memory_stream(data, size))) return;
    read_all(compressed, NULL, 0);
    IStream_Release(compressed);

    /* Round trip: the input as RTF text, compressed, then read back. */
    if (!(compressed = memory_stream(NULL, 0))) return;
    if (WrapCompressedRTFStream(compressed, MAPI_MODIFY, &text) == S_OK) {
        if (size) IStream_Write(text, data, (ULONG)size, NULL);
        IStream_Commit(text, 0);
        IStream_Release(text);
        IStream_Seek(compressed, (LARGE_INTEGER){ 0 }, STREAM_SEEK_SET, NULL);
        if ((back = malloc(size + 1))) {
            got = read_all(compressed, back, (ULONG)size);
            if (got != size || memcmp(back, data, size))
                fuzz_fail("%Iu bytes of RTF compressed and read back give %ld bytes%s", size, (long)got,
                          got == size ? ", not the same" : "");
            free(back);
        }
    }
    IStream_Release(compressed);
}

static const char *const dictionary[] = {
    "LZFu",
    "MELA",
    "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript "
    "\\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0"
    "\\fs20\\b\\i\\u\\tab\\tx",
    "{\\rtf1",
    "\\par",
    "}",
    "{",
    "\x00\x00\x00\x00",
    "\xff\xff\xff\xff",
    "\x10\x00\x00\x00",
    NULL,
};

const struct fuzz_target fuzz_rtf_target = { "rtf", run, dictionary };
