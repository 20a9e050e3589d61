/* The samples' shared part: allocators, the call log, the live-object count, flushed files, the profile section,
 * property bags. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"

LPALLOCATEBUFFER sample_allocate_buffer;
LPALLOCATEMORE sample_allocate_more;
LPFREEBUFFER sample_free_buffer;

static SRWLOCK log_lock = SRWLOCK_INIT;
static char call_log[32768];
static size_t call_log_length;
static LONG live_objects;

HRESULT sample_init(const char *entry, ULONG mapi_version, ULONG *provider_version, LPALLOCATEBUFFER allocate_buffer,
                    LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer)
{
    sample_trace("%s(version %#lx)", entry, mapi_version);
    if (!provider_version || !allocate_buffer || !allocate_more || !free_buffer) return MAPI_E_INVALID_PARAMETER;
    *provider_version = CURRENT_SPI_VERSION;
#ifdef SAMPLE_FAULTS
    {
        char version[32]; /* the fixture's way to answer with an SPI version the host cannot serve (H4) */
        if (GetEnvironmentVariableA("SAMPLE_SPI_VERSION", version, sizeof(version)))
            *provider_version = strtoul(version, NULL, 0);
    }
#endif
    if (mapi_version < CURRENT_SPI_VERSION) return MAPI_E_VERSION;
    sample_allocate_buffer = allocate_buffer;
    sample_allocate_more = allocate_more;
    sample_free_buffer = free_buffer;
    return S_OK;
}

HRESULT sample_query_interface(IUnknown *iface, REFIID riid, void **out, const IID *const *iids)
{
    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown))
        for (;; iids++) {
            if (!*iids) return MAPI_E_INTERFACE_NOT_SUPPORTED;
            if (IsEqualIID(riid, *iids)) break;
        }
    *out = iface;
    IUnknown_AddRef(iface);
    return S_OK;
}

void sample_trace(const char *format, ...)
{
    char line[512];
    va_list args;
    int length;

    va_start(args, format);
    length = vsnprintf(line, sizeof(line) - 1, format, args);
    va_end(args);
    if (length < 0) return;
    if (length > (int)sizeof(line) - 2) length = sizeof(line) - 2;
    line[length++] = '\n';
    line[length] = 0;
    /* Only for a debugger: OutputDebugString raises an exception, some 20 us under Wine, more than the rest of a
     * call into the samples (the P1 benchmark). */
    if (IsDebuggerPresent()) OutputDebugStringA(line);
    AcquireSRWLockExclusive(&log_lock);
    if (call_log_length + length < sizeof(call_log)) {
        memcpy(call_log + call_log_length, line, length + 1);
        call_log_length += length;
    }
    ReleaseSRWLockExclusive(&log_lock);
}

/* Exported: every call the DLL received, one per line, in order. */
const char *WINAPI ProviderCallLog(void)
{
    return call_log;
}

void sample_object_created(void)
{
    InterlockedIncrement(&live_objects);
}

void sample_object_destroyed(void)
{
    InterlockedDecrement(&live_objects);
}

LONG sample_live_objects(void)
{
    return InterlockedCompareExchange(&live_objects, 0, 0);
}

void sample_provider_logon_added(struct sample_provider *provider, const struct sample_config *config)
{
    InterlockedIncrement(&provider->logons);
    if (!provider->faults[0]) snprintf(provider->faults, sizeof(provider->faults), "%s", config->faults);
}

ULONG sample_provider_release(struct sample_provider *provider, void *object)
{
    ULONG refcount = InterlockedDecrement(&provider->refcount);

    sample_trace("%s::Release -> %lu", provider->name, refcount);
    if (refcount) return refcount;
    /* A final Release without Shutdown is treated as Shutdown then Release (releasing-the-transport-provider.md,
     * E22). */
    if (!provider->shut_down) sample_trace("%s released without Shutdown", provider->name);
    free(object);
    sample_object_destroyed();
    return 0;
}

HRESULT sample_provider_shutdown(struct sample_provider *provider, ULONG *flags)
{
    sample_trace("%s::Shutdown(%s, %ld logons left)", provider->name,
                 !flags    ? "NULL"
                 : !*flags ? "&0"
                           : "?",
                 provider->logons);
    if (sample_fault(provider->faults, "crash-shutdown")) *(volatile int *)NULL = 0;
    provider->shut_down = TRUE;
    return S_OK;
}

BOOL sample_write_file(const char *path, DWORD creation, const void *bytes, DWORD size)
{
    HANDLE file = CreateFileA(path, GENERIC_WRITE, 0, NULL, creation, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD written = 0;
    BOOL ok;

    if (file == INVALID_HANDLE_VALUE) return FALSE;
    ok = WriteFile(file, bytes, size, &written, NULL) && written == size && FlushFileBuffers(file);
    CloseHandle(file);
    return ok;
}

#ifdef SAMPLE_FAULTS
BOOL sample_fault(const char *faults, const char *name)
{
    size_t length = strlen(name);
    const char *found;

    for (found = strstr(faults, name); found; found = strstr(found + 1, name))
        if ((found == faults || found[-1] == ',') && (!found[length] || found[length] == ',')) return TRUE;
    return FALSE;
}

void sample_affinity_begin(struct sample_affinity *affinity)
{
    affinity->thread = GetCurrentThreadId();
    affinity->window = CreateWindowExA(0, "STATIC", "sample affinity", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    if ((affinity->tls = TlsAlloc()) != TLS_OUT_OF_INDEXES) TlsSetValue(affinity->tls, affinity);
}

BOOL sample_affinity_end(struct sample_affinity *affinity)
{
    BOOL same = affinity->thread == GetCurrentThreadId() && affinity->tls != TLS_OUT_OF_INDEXES
                && TlsGetValue(affinity->tls) == affinity && affinity->window && DestroyWindow(affinity->window);

    if (!same)
        sample_trace("thread-affine: called on thread %lu, logged on on thread %lu: the window and thread state are "
                     "not there",
                     GetCurrentThreadId(), affinity->thread);
    if (affinity->tls != TLS_OUT_OF_INDEXES) TlsFree(affinity->tls);
    return same;
}
#endif

HRESULT sample_read_config(IMAPISupport *support, struct sample_config *config)
{
    SizedSPropTagArray(3, tags) = { 3, { PR_DISPLAY_NAME_A, PR_SAMPLE_FAULTS, PR_EMAIL_ADDRESS_A } };
    IProfSect *section;
    SPropValue *values;
    ULONG count;
    HRESULT hr;

    memset(config, 0, sizeof(*config));
    if (FAILED(hr = IMAPISupport_OpenProfileSection(support, NULL, 0, &section))) return hr;
    hr = IProfSect_GetProps(section, (SPropTagArray *)&tags, 0, &count, &values);
    IProfSect_Release(section);
    if (FAILED(hr)) return hr;
    if (PROP_TYPE(values[0].ulPropTag) == PT_STRING8)
        snprintf(config->display_name, sizeof(config->display_name), "%s", values[0].Value.lpszA);
    if (PROP_TYPE(values[1].ulPropTag) == PT_STRING8)
        snprintf(config->faults, sizeof(config->faults), "%s", values[1].Value.lpszA);
    if (PROP_TYPE(values[2].ulPropTag) == PT_STRING8)
        snprintf(config->address, sizeof(config->address), "%s", values[2].Value.lpszA);
    sample_free_buffer(values);
#ifdef SAMPLE_FAULTS
    /* The fixture checked as a bare DLL (mapicheck's DLL mode writes the profile itself): faults from outside. */
    if (!config->faults[0]) GetEnvironmentVariableA("MAPIHOST_RECORDER_FAULTS", config->faults, sizeof(config->faults));
#endif
    return S_OK;
}

/* Copies one value into dest, its strings and binaries allocated on parent. Only the types the samples use. A
 * string asked for in the other width (tag's type) is converted; the value's own type otherwise. */
static HRESULT copy_value_as(const SPropValue *source, ULONG tag, SPropValue *dest, void *parent)
{
    ULONG type = PROP_TYPE(source->ulPropTag), want = PROP_TYPE(tag);
    size_t size;
    int length;

    *dest = *source;
    if (type == PT_UNICODE && want == PT_STRING8) {
        dest->ulPropTag = CHANGE_PROP_TYPE(source->ulPropTag, PT_STRING8);
        length = WideCharToMultiByte(CP_ACP, 0, source->Value.lpszW, -1, NULL, 0, NULL, NULL);
        if (sample_allocate_more(length, parent, (void **)&dest->Value.lpszA)) return MAPI_E_NOT_ENOUGH_MEMORY;
        WideCharToMultiByte(CP_ACP, 0, source->Value.lpszW, -1, dest->Value.lpszA, length, NULL, NULL);
        return S_OK;
    }
    if (type == PT_STRING8 && want == PT_UNICODE) {
        dest->ulPropTag = CHANGE_PROP_TYPE(source->ulPropTag, PT_UNICODE);
        length = MultiByteToWideChar(CP_ACP, 0, source->Value.lpszA, -1, NULL, 0);
        if (sample_allocate_more(length * sizeof(WCHAR), parent, (void **)&dest->Value.lpszW))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        MultiByteToWideChar(CP_ACP, 0, source->Value.lpszA, -1, dest->Value.lpszW, length);
        return S_OK;
    }
    switch (type) {
    case PT_STRING8:
        size = strlen(source->Value.lpszA) + 1;
        if (sample_allocate_more(size, parent, (void **)&dest->Value.lpszA)) return MAPI_E_NOT_ENOUGH_MEMORY;
        memcpy(dest->Value.lpszA, source->Value.lpszA, size);
        return S_OK;
    case PT_UNICODE:
        size = (wcslen(source->Value.lpszW) + 1) * sizeof(WCHAR);
        if (sample_allocate_more(size, parent, (void **)&dest->Value.lpszW)) return MAPI_E_NOT_ENOUGH_MEMORY;
        memcpy(dest->Value.lpszW, source->Value.lpszW, size);
        return S_OK;
    case PT_BINARY:
        if (sample_allocate_more(source->Value.bin.cb + 1, parent, (void **)&dest->Value.bin.lpb))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        memcpy(dest->Value.bin.lpb, source->Value.bin.lpb, source->Value.bin.cb);
        return S_OK;
    case PT_LONG:
    case PT_BOOLEAN:
    case PT_SYSTIME:
    case PT_I8:
    case PT_ERROR: return S_OK;
    }
    return MAPI_E_INVALID_TYPE;
}

static HRESULT copy_value(const SPropValue *source, SPropValue *dest, void *parent)
{
    return copy_value_as(source, source->ulPropTag, dest, parent);
}

static HRESULT copy_values(ULONG count, const SPropValue *source, SPropValue **copy)
{
    SPropValue *values;
    HRESULT hr = S_OK;
    ULONG i;

    if (sample_allocate_buffer((count ? count : 1) * sizeof(*values), (void **)&values))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; hr == S_OK && i < count; i++) hr = copy_value(&source[i], &values[i], values);
    if (hr != S_OK) {
        sample_free_buffer(values);
        return hr;
    }
    *copy = values;
    return S_OK;
}

HRESULT propbag_init(struct propbag *bag, ULONG count, const SPropValue *values)
{
    bag->count = 0;
    bag->values = NULL;
    if (FAILED(copy_values(count, values, &bag->values))) return MAPI_E_NOT_ENOUGH_MEMORY;
    bag->count = count;
    return S_OK;
}

void propbag_free(struct propbag *bag)
{
    if (bag->values) sample_free_buffer(bag->values);
    bag->values = NULL;
    bag->count = 0;
}

static BOOL is_string(ULONG tag)
{
    return PROP_TYPE(tag) == PT_STRING8 || PROP_TYPE(tag) == PT_UNICODE;
}

/* A string is found in either width, and given in the width asked for (MAPI_UNICODE with PT_UNSPECIFIED). */
static const SPropValue *find_value(const struct propbag *bag, ULONG tag)
{
    ULONG i;

    for (i = 0; i < bag->count; i++)
        if (PROP_ID(bag->values[i].ulPropTag) == PROP_ID(tag)
            && (PROP_TYPE(tag) == PT_UNSPECIFIED || PROP_TYPE(tag) == PROP_TYPE(bag->values[i].ulPropTag)
                || (is_string(tag) && is_string(bag->values[i].ulPropTag))))
            return &bag->values[i];
    return NULL;
}

HRESULT propbag_get_props(const struct propbag *bag, SPropTagArray *tags, ULONG flags, ULONG *count,
                          SPropValue **values)
{
    SPropValue *result;
    ULONG n, i, missing = 0;
    HRESULT hr = S_OK;

    if (!count || !values) return MAPI_E_INVALID_PARAMETER;
    *count = 0;
    *values = NULL;
    if (!tags)
        return copy_values(bag->count, bag->values, values) == S_OK ? (*count = bag->count, S_OK)
                                                                    : MAPI_E_NOT_ENOUGH_MEMORY;
    n = tags->cValues;
    if (sample_allocate_buffer((n ? n : 1) * sizeof(*result), (void **)&result)) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; hr == S_OK && i < n; i++) {
        const SPropValue *found = find_value(bag, tags->aulPropTag[i]);
        ULONG want = tags->aulPropTag[i];
        if (PROP_TYPE(want) == PT_UNSPECIFIED && found && is_string(found->ulPropTag))
            want = CHANGE_PROP_TYPE(want, flags & MAPI_UNICODE ? PT_UNICODE : PT_STRING8);
        if (found)
            hr = copy_value_as(found, want, &result[i], result);
        else {
            result[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tags->aulPropTag[i]));
            result[i].Value.err = MAPI_E_NOT_FOUND;
            missing++;
        }
    }
    if (hr != S_OK) {
        sample_free_buffer(result);
        return hr;
    }
    *count = n;
    *values = result;
    return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

HRESULT propbag_get_prop_list(const struct propbag *bag, SPropTagArray **tags)
{
    SPropTagArray *result;
    ULONG i;

    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if (sample_allocate_buffer(CbNewSPropTagArray(bag->count), (void **)&result)) return MAPI_E_NOT_ENOUGH_MEMORY;
    result->cValues = bag->count;
    for (i = 0; i < bag->count; i++) result->aulPropTag[i] = bag->values[i].ulPropTag;
    *tags = result;
    return S_OK;
}

/* Exported: the DLL's live objects, so a test can see every object reached refcount 0. */
LONG WINAPI ProviderLiveObjects(void)
{
    return sample_live_objects();
}
