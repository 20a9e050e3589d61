/*
 * What mapihost does not implement says so: every method that answers MAPI_E_NO_SUPPORT because the host lacks it
 * returns unsupported(object, method), which names it in the event log. docs/unsupported.md is made from these calls
 * (tests/unsupported.py), so the list cannot drift from the code.
 */
#include "mapihost_private.h"

HRESULT unsupported(const char *object, const char *method)
{
    if (object)
        event_step(ABOUT_HOST, "%s::%s: not implemented by mapihost; answered MAPI_E_NO_SUPPORT", object, method);
    else
        event_step(ABOUT_HOST, "%s: not implemented by mapihost; answered MAPI_E_NO_SUPPORT", method);
    return MAPI_E_NO_SUPPORT;
}
