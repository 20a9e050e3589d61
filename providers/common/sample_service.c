/* The samples' settings and their message-service entry point (sample.h). */
#include <stdio.h>
#include <string.h>

#include "sample.h"

const MAPIUID sample_ab_settings_uid = { { 'm', 'a', 'p', 'i', 'h', 'o', 's', 't', 'S', 'a', 'm', 'p', 'l', 'e', 'A',
                                           'B' } };
const MAPIUID sample_ms_settings_uid = { { 'm', 'a', 'p', 'i', 'h', 'o', 's', 't', 'S', 'a', 'm', 'p', 'l', 'e', 'M',
                                           'S' } };

/* The setting from an open section, narrowed into text; FALSE when it is missing. */
static BOOL get_setting(IProfSect *section, char *text, size_t size)
{
    SizedSPropTagArray(1, tags) = { 1, { PR_SAMPLE_SETTING } };
    SPropValue *values;
    ULONG count;
    BOOL found;

    if (FAILED(IProfSect_GetProps(section, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &values))) return FALSE;
    found = values[0].ulPropTag == PR_SAMPLE_SETTING && *values[0].Value.lpszW;
    if (found && text) WideCharToMultiByte(CP_UTF8, 0, values[0].Value.lpszW, -1, text, (int)size, NULL, NULL);
    sample_free_buffer(values);
    return found;
}

HRESULT sample_read_setting(IMAPISupport *support, const MAPIUID *uid, struct sample_config *config)
{
    IProfSect *section;
    BOOL found;
    HRESULT hr;

    if (FAILED(hr = IMAPISupport_OpenProfileSection(support, (MAPIUID *)uid, MAPI_MODIFY, &section))) return hr;
    found = get_setting(section, config->setting, sizeof(config->setting));
    IProfSect_Release(section);
#ifdef SAMPLE_FAULTS
    if (!sample_fault(config->faults, "needs-settings")) return S_OK;
#endif
    return found ? S_OK : MAPI_E_UNCONFIGURED;
}

HRESULT sample_service_entry(const MAPIUID *uid, IMAPISupport *support, ULONG flags, ULONG context, ULONG count,
                             SPropValue *props, IProviderAdmin *admin, MAPIERROR **error)
{
    IProfSect *section;
    HRESULT hr;

    /* A service entry may run before any provider of the DLL was initialised: MAPI's allocators come from the
     * configuration support object. */
    if (!sample_free_buffer && support
        && FAILED(IMAPISupport_GetMemAllocRoutines(support, &sample_allocate_buffer, &sample_allocate_more,
                                                   &sample_free_buffer)))
        return MAPI_E_CALL_FAILED;
    sample_trace("ServiceEntry(context %lu, flags %#lx, %lu properties)", context, flags, count);
    if (error) *error = NULL;
    if (context != MSG_SERVICE_CREATE && context != MSG_SERVICE_CONFIGURE) return S_OK;
    if (!admin || FAILED(hr = IProviderAdmin_OpenProfileSection(admin, (MAPIUID *)uid, NULL, MAPI_MODIFY, &section)))
        return MAPI_E_CALL_FAILED;
    if (count && FAILED(hr = IProfSect_SetProps(section, count, props, NULL))) {
        IProfSect_Release(section);
        return hr;
    }
    if (!get_setting(section, NULL, 0) && context == MSG_SERVICE_CONFIGURE) {
        /* Incomplete: a property sheet if the caller allows one, else the configuration stays missing. */
        if (flags & (SERVICE_UI_ALWAYS | SERVICE_UI_ALLOWED))
            hr = IMAPISupport_DoConfigPropsheet(support, 0, 0, (LPTSTR) "Sample settings", NULL, (IMAPIProp *)section,
                                                0);
        else
            hr = MAPI_E_UNCONFIGURED;
        IProfSect_Release(section);
        return FAILED(hr) ? hr : MAPI_E_UNCONFIGURED;
    }
    IProfSect_Release(section);
    return S_OK;
}
