/* The profile parser and MAPI's DLL name rule (spec §6.1, H1, E17, E18, E33). */
#include "test_support.h"
#include "profile.h"

static const char good_profile[] = "; a profile over one service of three providers\n"
                                   "[Services]\n"
                                   "Sample = Sample Service\n"
                                   "\n"
                                   "[Sample]\n"
                                   "Providers = AB Provider, MS Provider ,XP Provider\n"
                                   "PR_DISPLAY_NAME = Sample Service\n"
                                   "\n"
                                   "[AB Provider]\n"
                                   "PR_PROVIDER_DLL_NAME = sampleab.dll\n"
                                   "PR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n"
                                   "PR_DISPLAY_NAME = Sample Address Book\n"
                                   "PR_PROVIDER_DISPLAY = Sample AB\n"
                                   "6600001e = C:\\ab\\data.txt\n"
                                   "66090003 = 06000000\n"
                                   "660a0102 = 0aff10\n"
                                   "\n"
                                   "[MS Provider]\n"
                                   "PR_PROVIDER_DLL_NAME = samplems.dll\n"
                                   "PR_RESOURCE_TYPE = 33\n"
                                   "PR_RESOURCE_FLAGS = STATUS_DEFAULT_STORE | STATUS_PRIMARY_STORE | 0x100\n"
                                   "\n"
                                   "[XP Provider]\n"
                                   "PR_PROVIDER_DLL_NAME = samplexp.dll\n"
                                   "PR_RESOURCE_TYPE = MAPI_TRANSPORT_PROVIDER\n";

static struct profile *load_text(const char *text, HRESULT *hr)
{
    char path[MAX_PATH];
    struct profile *profile;

    write_temp_file("profile.inf", text, path, sizeof(path));
    capture_errors();
    profile = profile_load(path, hr);
    DeleteFileA(path);
    return profile;
}

static void test_good_profile(void **state)
{
    const struct profile_provider *ab, *ms, *xp;
    const SPropValue *prop;
    struct profile *profile;
    HRESULT hr;

    profile = load_text(good_profile, &hr);
    assert_int_equal(hr, S_OK);
    assert_non_null(profile);
    assert_int_equal(profile->service_count, 1);
    assert_string_equal(profile->services[0]->display_name, "Sample Service");
    assert_int_equal(profile->services[0]->provider_count, 3);
    ab = profile->services[0]->providers[0];
    ms = profile->services[0]->providers[1];
    xp = profile->services[0]->providers[2];

    assert_string_equal(ab->section.name, "AB Provider");
    assert_int_equal(ab->kind, PROVIDER_AB);
    assert_string_equal(ab->dll_name, "sampleab.dll");
    assert_string_equal(ab->display_name, "Sample Address Book");
    assert_int_equal(ms->kind, PROVIDER_MS);
    assert_int_equal(ms->resource_flags, STATUS_DEFAULT_STORE | STATUS_PRIMARY_STORE | STATUS_OWN_STORE);
    assert_int_equal(xp->kind, PROVIDER_XP);
    assert_string_equal(xp->display_name, "XP Provider");
    assert_true(memcmp(&ab->section.uid, &ms->section.uid, sizeof(MAPIUID)));

    assert_non_null(prop = profile_find_prop(&ab->section, 0x6600001e));
    assert_string_equal(prop->Value.lpszA, "C:\\ab\\data.txt");
    assert_non_null(prop = profile_find_prop(&ab->section, 0x66090003));
    assert_int_equal(prop->Value.l, 6); /* little-endian hex, as MAPISVC.INF writes it */
    assert_non_null(prop = profile_find_prop(&ab->section, 0x660a0102));
    assert_int_equal(prop->Value.bin.cb, 3);
    assert_memory_equal(prop->Value.bin.lpb, "\x0a\xff\x10", 3);
    assert_null(profile_find_prop(&xp->section, PR_RESOURCE_FLAGS));
    profile_free(profile);
}

struct bad_profile {
    const char *text;
    const char *message; /* what the error event must mention */
};

static const struct bad_profile bad_profiles[] = {
    { "", "no [Services]" },
    { "[Services]\n", "lists no message service" },
    { "[Services]\nS = s\n[S\nProviders = P\n", "line 3" },
    { "[Services]\nS = s\n[S]\nProviders P\n", "line 4" },
    { "key = value\n[Services]\n", "before any [section]" },
    { "[Services]\nMissing = m\n", "[Missing], which does not exist" },
    { "[Services]\nS = s\n[S]\nPR_DISPLAY_NAME = s\n", "service section [S] lists no providers" },
    { "[Services]\nS = s\n[S]\nProviders = Gone\n", "[Gone], which does not exist" },
    { "[Services]\nS = s\n[S]\nProviders = P\n[P]\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n", "no PR_PROVIDER_DLL_NAME" },
    { "[Services]\nS = s\n[S]\nProviders = P\n[P]\nPR_PROVIDER_DLL_NAME = p.dll\n", "no PR_RESOURCE_TYPE" },
    { "[Services]\nS = s\n[S]\nProviders = P\n[P]\nPR_PROVIDER_DLL_NAME = p.dll\nPR_RESOURCE_TYPE = 7\n",
      "is not MAPI_AB_PROVIDER" },
    { "[Services]\nS = s\n[S]\nProviders = P\n[P]\nPR_PROVIDER_DLL_NAME = p.dll\n"
      "PR_RESOURCE_TYPE = MAPI_AB_PROVIDER | STATUS_BOGUS\n",
      "\"STATUS_BOGUS\" is neither" },
    { "[Services]\nS = s\n[S]\nProviders = P\n[P]\nPR_PROVIDER_DLL_NAME = p.dll\nPR_RESOURCE_TYPE = 35\n"
      "PR_NO_SUCH_TAG = 1\n",
      "unknown property \"PR_NO_SUCH_TAG\"" },
    { "[Services]\nS = s\n[S]\nProviders = P\n[P]\nPR_PROVIDER_DLL_NAME = p.dll\nPR_RESOURCE_TYPE = 35\n"
      "66000102 = abc\n",
      "pairs of hex digits" },
};

static void test_bad_profiles(void **state)
{
    size_t i;

    for (i = 0; i < ARRAYSIZE(bad_profiles); i++) {
        HRESULT hr;
        struct profile *profile = load_text(bad_profiles[i].text, &hr);

        if (profile) fail_msg("profile %u parsed, but is malformed", (unsigned)i);
        assert_int_equal(hr, MAPI_E_CORRUPT_DATA);
        assert_error_mentions(bad_profiles[i].message);
        assert_error_mentions("mapihost-test-"); /* and the file */
    }
}

static void test_missing_file(void **state)
{
    HRESULT hr;

    capture_errors();
    assert_null(profile_load("C:\\no\\such\\profile.inf", &hr));
    assert_int_equal(hr, MAPI_E_NOT_FOUND);
    assert_error_mentions("C:\\no\\such\\profile.inf");
}

static void test_dll_name_rule(void **state)
{
    static const struct {
        const char *name, *path;
    } good[] = {
        { "probe.dll", "probe32.dll" },
        { "C:\\providers\\x.dll", "C:\\providers\\x32.dll" },
        { "probe", "probe32" },
    };
    static const struct {
        const char *name, *message;
    } bad[] = {
        { "probe32.dll", "already ends in \"32\"" },
        { "probe.v2.dll", "more than one period" },
        { "C:\\my.dir\\x.dll", "more than one period" },
        { "C:\\my.dir\\x", "the period is in the folder" },
    };
    char path[MAX_PATH];
    size_t i;

    for (i = 0; i < ARRAYSIZE(good); i++) {
        assert_int_equal(profile_dll_path(NULL, "PR_PROVIDER_DLL_NAME", good[i].name, path, sizeof(path)), S_OK);
        assert_string_equal(path, good[i].path);
    }
    for (i = 0; i < ARRAYSIZE(bad); i++) {
        capture_errors();
        assert_int_equal(profile_dll_path(NULL, "PR_PROVIDER_DLL_NAME", bad[i].name, path, sizeof(path)),
                         MAPI_E_INVALID_PARAMETER);
        assert_error_mentions(bad[i].message);
    }
}

static void test_dll_beside_profile(void **state)
{
    char profile_path[MAX_PATH], dll[MAX_PATH], name[MAX_PATH], path[MAX_PATH];
    struct profile *profile;
    const char *base;
    HRESULT hr;

    write_temp_file("local32.dll", "", dll, sizeof(dll));
    write_temp_file("beside.inf",
                    "[Services]\nS = s\n[S]\nProviders = P\n[P]\nPR_RESOURCE_TYPE = 35\n"
                    "PR_PROVIDER_DLL_NAME = x.dll\n",
                    profile_path, sizeof(profile_path));
    assert_non_null(profile = profile_load(profile_path, &hr));
    /* The profile names "<prefix>local.dll"; the file beside it is "<prefix>local32.dll". */
    base = strrchr(dll, '\\') + 1;
    snprintf(name, sizeof(name), "%.*s.dll", (int)(strlen(base) - strlen("32.dll")), base);
    assert_int_equal(profile_dll_path(profile->folder, "PR_PROVIDER_DLL_NAME", name, path, sizeof(path)), S_OK);
    assert_string_equal(path, dll);
    assert_int_equal(profile_dll_path(profile->folder, "PR_PROVIDER_DLL_NAME", "elsewhere.dll", path, sizeof(path)),
                     S_OK);
    assert_string_equal(path, "elsewhere32.dll"); /* not beside the profile: left to the DLL search */
    profile_free(profile);
    DeleteFileA(profile_path);
    DeleteFileA(dll);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        mapi_test(test_good_profile),  mapi_test(test_bad_profiles),       mapi_test(test_missing_file),
        mapi_test(test_dll_name_rule), mapi_test(test_dll_beside_profile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
