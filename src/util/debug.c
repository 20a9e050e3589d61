/* Debug channels switched by the MAPIHOST_DEBUG environment variable (see debug.h). */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "debug.h"

static BOOL channel_listed(const char *name)
{
    char list[256];
    DWORD len = GetEnvironmentVariableA("MAPIHOST_DEBUG", list, sizeof(list));
    char *token, *context = NULL;

    if (!len || len >= sizeof(list)) return FALSE;
    for (token = strtok_r(list, ",", &context); token; token = strtok_r(NULL, ",", &context))
        if (!strcmp(token, "all") || !strcmp(token, name)) return TRUE;
    return FALSE;
}

int mapihost_debug_enabled(struct mapihost_debug_channel *channel, enum mapihost_debug_class cls)
{
    /* Errors are always shown: they mean the host or a provider broke a rule, and the user must see it. */
    if (cls == MAPIHOST_ERR) return 1;
    if (!channel->state) channel->state = channel_listed(channel->name) ? 2 : 1;
    return channel->state == 2;
}

void mapihost_debug_printf(struct mapihost_debug_channel *channel, enum mapihost_debug_class cls, const char *func,
                           const char *format, ...)
{
    static const char *const class_names[] = { "trace", "warn", "err" };
    char buffer[1024];
    int len;
    va_list args;

    len = snprintf(buffer, sizeof(buffer), "%s:%s:%s ", class_names[cls], channel->name, func);
    va_start(args, format);
    if (len >= 0 && (size_t)len < sizeof(buffer)) vsnprintf(buffer + len, sizeof(buffer) - len, format, args);
    va_end(args);
    fputs(buffer, stderr);
    OutputDebugStringA(buffer);
}
