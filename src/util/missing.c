/*
 * The MAPI utilities mapihost does not implement yet (docs/exports.md and docs/unsupported.md list them). They are
 * exported all the same, because a provider that finds its utilities the run-time way takes whatever the MAPI DLL lacks
 * from the system's mapi32.dll, and Wine's are stubs that abort the process. Here the provider gets a clean failure
 * instead, MAPI_E_NO_SUPPORT (or the function's own failure value) with its out-pointers NULL, and the event log names
 * the function, so that the checker's report says which utility a provider needed. None is declared in the published
 * headers: their types (FTG, ITnef, ...) come with their implementations.
 */
#include "mapihost_private.h"

MAPIHOST_DEFAULT_DEBUG_CHANNEL(missing);

static HRESULT lacks(const char *name, void **out, void **out2)
{
    if (out) *out = NULL;
    if (out2) *out2 = NULL;
    return unsupported(NULL, name);
}

/* A store's IPM subtree (U88). */
HRESULT WINAPI HrValidateIPMSubtree(void *store, ULONG flags, ULONG *count, void **values, void **error)
{
    TRACE("(%p, %#lx, %p, %p, %p)\n", store, flags, count, values, error);
    if (count) *count = 0;
    return lacks("HrValidateIPMSubtree", values, error);
}

/* Keeping PR_BODY and PR_RTF_COMPRESSED in step. */
HRESULT WINAPI RTFSync(void *message, ULONG flags, BOOL *updated)
{
    TRACE("(%p, %#lx, %p)\n", message, flags, updated);
    if (updated) *updated = FALSE;
    return lacks("RTFSync", NULL, NULL);
}

/* TNEF. */
HRESULT WINAPI OpenTnefStream(void *support, IStream *stream, LPSTR name, ULONG flags, void *message, WORD key,
                              void **tnef)
{
    TRACE("(%p, %p, %p, %#lx, %p, %#lx, %p)\n", support, stream, name, flags, message, (unsigned long)key, tnef);
    return lacks("OpenTnefStream", tnef, NULL);
}

HRESULT WINAPI OpenTnefStreamEx(void *support, IStream *stream, LPSTR name, ULONG flags, void *message, WORD key,
                                void *address_book, void **tnef)
{
    TRACE("(%p, %p, %p, %#lx, %p, %#lx, %p, %p)\n", support, stream, name, flags, message, (unsigned long)key,
          address_book, tnef);
    return lacks("OpenTnefStreamEx", tnef, NULL);
}

HRESULT WINAPI GetTnefStreamCodepage(IStream *stream, ULONG *codepage, ULONG *sub_codepage)
{
    TRACE("(%p, %p, %p)\n", stream, codepage, sub_codepage);
    if (codepage) *codepage = 0;
    if (sub_codepage) *sub_codepage = 0;
    return lacks("GetTnefStreamCodepage", NULL, NULL);
}

/* The idle engine: no routine is ever registered, so none runs. */
LONG WINAPI MAPIInitIdle(void *reserved)
{
    TRACE("(%p)\n", reserved);
    unsupported(NULL, "MAPIInitIdle");
    return -1;
}

void WINAPI MAPIDeinitIdle(void)
{
    TRACE("()\n");
    unsupported(NULL, "MAPIDeinitIdle");
}

void *WINAPI FtgRegisterIdleRoutine(void *routine, void *context, short priority, ULONG seconds, USHORT flags)
{
    TRACE("(%p, %p, %#lx, %#lx, %#lx)\n", routine, context, (unsigned long)priority, seconds, (unsigned long)flags);
    unsupported(NULL, "FtgRegisterIdleRoutine");
    return NULL;
}

void WINAPI DeregisterIdleRoutine(void *ftg)
{
    TRACE("(%p)\n", ftg);
    unsupported(NULL, "DeregisterIdleRoutine");
}

void WINAPI EnableIdleRoutine(void *ftg, BOOL enable)
{
    TRACE("(%p, %#lx)\n", ftg, (unsigned long)enable);
    unsupported(NULL, "EnableIdleRoutine");
}

void WINAPI ChangeIdleRoutine(void *ftg, void *routine, void *context, short priority, ULONG seconds, USHORT flags,
                              USHORT change)
{
    TRACE("(%p, %p, %p, %#lx, %#lx, %#lx, %#lx)\n", ftg, routine, context, (unsigned long)priority, seconds,
          (unsigned long)flags, (unsigned long)change);
    unsupported(NULL, "ChangeIdleRoutine");
}
