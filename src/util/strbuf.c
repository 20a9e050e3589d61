/* A growing text buffer (strbuf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static int reserve(struct strbuf *buf, size_t extra)
{
    size_t need = buf->length + extra + 1, capacity = buf->capacity ? buf->capacity : 256;
    char *text;

    if (buf->failed) return 0;
    if (need <= buf->capacity) return 1;
    while (capacity < need) capacity *= 2;
    if (!(text = realloc(buf->text, capacity))) {
        buf->failed = 1;
        return 0;
    }
    buf->text = text;
    buf->capacity = capacity;
    return 1;
}

void strbuf_append(struct strbuf *buf, const char *text, size_t length)
{
    if (!reserve(buf, length)) return;
    memcpy(buf->text + buf->length, text, length);
    buf->length += length;
    buf->text[buf->length] = 0;
}

void strbuf_printf(struct strbuf *buf, const char *format, ...)
{
    va_list args;
    int length;

    va_start(args, format);
    length = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (length < 0 || !reserve(buf, length)) return;
    va_start(args, format);
    vsnprintf(buf->text + buf->length, length + 1, format, args);
    va_end(args);
    buf->length += length;
}

void strbuf_free(struct strbuf *buf)
{
    free(buf->text);
    memset(buf, 0, sizeof(*buf));
}
