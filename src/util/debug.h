/*
 * Debug channels in the style of Wine's wine/debug.h: each file names its channel, and MAPIHOST_DEBUG switches
 * channels on ("all", or a comma-separated list such as "alloc,support"). Quiet by default. Messages go to stderr
 * and to OutputDebugString, so a Windows debugger sees them too.
 */
#ifndef MAPIHOST_DEBUG_H
#define MAPIHOST_DEBUG_H

#include <stdarg.h>

enum mapihost_debug_class { MAPIHOST_TRACE, MAPIHOST_WARN, MAPIHOST_ERR };

struct mapihost_debug_channel {
    const char *name;
    int state; /* 0: not yet looked up, 1: off, 2: on */
};

int mapihost_debug_enabled(struct mapihost_debug_channel *channel, enum mapihost_debug_class cls);
void mapihost_debug_printf(struct mapihost_debug_channel *channel, enum mapihost_debug_class cls, const char *func,
                           const char *format, ...) __attribute__((format(printf, 4, 5)));

#define MAPIHOST_DEFAULT_DEBUG_CHANNEL(ch)                                                                             \
    static struct mapihost_debug_channel mapihost_channel __attribute__((unused)) = { #ch, 0 }

#define MAPIHOST_LOG(cls, ...)                                                                                         \
    do {                                                                                                               \
        if (mapihost_channel.state != 1 && mapihost_debug_enabled(&mapihost_channel, cls))                             \
            mapihost_debug_printf(&mapihost_channel, cls, __func__, __VA_ARGS__);                                      \
    } while (0)

#define TRACE(...) MAPIHOST_LOG(MAPIHOST_TRACE, __VA_ARGS__)
#define WARN(...) MAPIHOST_LOG(MAPIHOST_WARN, __VA_ARGS__)
#define ERR(...) MAPIHOST_LOG(MAPIHOST_ERR, __VA_ARGS__)

#endif
