/* A growing NUL-terminated text buffer, for files and reports written in one piece. */
#ifndef MAPIHOST_STRBUF_H
#define MAPIHOST_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *text; /* NULL until the first append */
    size_t length, capacity;
    int failed; /* an allocation failed: the text is incomplete */
};

void strbuf_append(struct strbuf *buf, const char *text, size_t length);
void strbuf_printf(struct strbuf *buf, const char *format, ...) __attribute__((format(printf, 2, 3)));
void strbuf_free(struct strbuf *buf);

#endif
