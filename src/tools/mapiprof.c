/*
 * mapiprof: profiles and message services from the command line, in the spirit of Outlook's profile dialogs and
 * MFCMAPI's profile menu, through the same interfaces a MAPI client uses (MAPIAdminProfiles, IProfAdmin,
 * IMsgServiceAdmin, IProfSect). Scriptable: one command per run, exit code 0 on success, 1 on failure, 2 on a usage
 * error; every error of the host goes to stderr as it happens.
 *
 *   mapiprof list                                   the profiles, the default marked
 *   mapiprof create PROFILE [--default-services]    a new profile (with MAPISVC.INF's [Default Services])
 *   mapiprof delete|copy|rename PROFILE [NEW]       as IProfAdmin does
 *   mapiprof default PROFILE|--none                 set or clear the default profile
 *   mapiprof add PROFILE SERVICE [DISPLAY]          a service from MAPISVC.INF (CreateMsgServiceEx)
 *   mapiprof configure PROFILE SERVICE [TAG=VALUE]... the service's entry with MSG_SERVICE_CONFIGURE
 *   mapiprof remove PROFILE SERVICE                 DeleteMsgService
 *   mapiprof set PROFILE UID [--new] TAG=VALUE...   properties of a section, by its MAPIUID (--new: it may be new)
 *   mapiprof unset PROFILE UID TAG...               delete properties of a section
 *   mapiprof show PROFILE                           every section, its MAPIUID, role and properties
 *   mapiprof install|uninstall SERVICE              the entry with MSG_SERVICE_INSTALL or MSG_SERVICE_UNINSTALL
 *
 * SERVICE is a service's MAPIUID (32 hex digits), its section name, PR_SERVICE_NAME or display name. TAG is a PR_
 * name the host knows or eight hex digits; VALUE is written as in a profile file (docs/host-behaviour.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "mapihost_x.h"
#include "mapihost.h"

static void WINAPI print_event(void *context, ULONG severity, const char *line)
{
    if (severity != MAPIHOST_EVENT_STEP) {
        fflush(stdout); /* what was printed before it comes first */
        fprintf(stderr, "mapiprof: %s\n", line);
    } else if (context)
        printf("  %s\n", line);
}

static int fail(const char *what, HRESULT hr)
{
    fflush(stdout);
    fprintf(stderr, "mapiprof: %s failed: %s\n", what, MapihostErrorName(hr));
    return 1;
}

/* A failure of a call on a profile by name, said the way the user meant it where the answer has one meaning there:
 * CreateProfile's MAPI_E_NO_ACCESS is a name already taken, MAPI_E_NOT_FOUND a profile that is not there. */
static int fail_on_profile(const char *what, const char *profile, HRESULT hr)
{
    if (hr == MAPI_E_NO_ACCESS && !strcmp(what, "CreateProfile"))
        fprintf(stderr, "mapiprof: a profile named \"%s\" already exists (%s)\n", profile, MapihostErrorName(hr));
    else if (hr == MAPI_E_NOT_FOUND || hr == MAPI_E_LOGON_FAILED)
        fprintf(stderr, "mapiprof: there is no profile named \"%s\"; mapiprof list shows them (%s: %s)\n", profile,
                what, MapihostErrorName(hr));
    else
        return fail(what, hr);
    return 1;
}

static void format_uid(const BYTE *uid, char text[33])
{
    int i;

    for (i = 0; i < 16; i++) sprintf(text + 2 * i, "%02X", uid[i]);
}

static BOOL parse_uid(const char *text, MAPIUID *uid)
{
    int i;

    if (strlen(text) != 32 || strspn(text, "0123456789abcdefABCDEF") != 32) return FALSE;
    for (i = 0; i < 16; i++) {
        char pair[3] = { text[2 * i], text[2 * i + 1], 0 };
        uid->ab[i] = (BYTE)strtoul(pair, NULL, 16);
    }
    return TRUE;
}

static void free_rows(SRowSet *rows)
{
    ULONG i;

    if (!rows) return;
    for (i = 0; i < rows->cRows; i++) MAPIFreeBuffer(rows->aRow[i].lpProps);
    MAPIFreeBuffer(rows);
}

static const SPropValue *find(const SRow *row, ULONG tag)
{
    ULONG i;

    for (i = 0; i < row->cValues; i++)
        if (row->lpProps[i].ulPropTag == tag) return &row->lpProps[i];
    return NULL;
}

static BOOL same_uid(const SPropValue *value, const BYTE *uid)
{
    return value && value->Value.bin.cb == sizeof(MAPIUID) && !memcmp(value->Value.bin.lpb, uid, sizeof(MAPIUID));
}

/* Every row of a table, with these columns. */
static HRESULT all_rows(IMAPITable *table, SPropTagArray *columns, SRowSet **rows)
{
    HRESULT hr = IMAPITable_SetColumns(table, columns, 0);

    if (hr == S_OK) hr = IMAPITable_QueryRows(table, 0x7fffffff, 0, rows);
    IMAPITable_Release(table);
    return hr;
}

static HRESULT open_services(IProfAdmin *admin, const char *profile, IMsgServiceAdmin **services)
{
    HRESULT hr = IProfAdmin_AdminServices(admin, (LPTSTR)profile, NULL, 0, 0, services);

    if (hr != S_OK) fail_on_profile("AdminServices", profile, hr);
    return hr;
}

/* A service by MAPIUID, section name, PR_SERVICE_NAME or display name. */
static HRESULT find_service(IMsgServiceAdmin *services, const char *profile, const char *name, MAPIUID *uid)
{
    SizedSPropTagArray(3, columns) = { 3, { PR_SERVICE_UID, PR_SERVICE_NAME_A, PR_DISPLAY_NAME_A } };
    SRowSet *rows = NULL, *sections = NULL;
    IMAPITable *table;
    HRESULT hr;
    ULONG i, j;

    if (parse_uid(name, uid)) return S_OK;
    if ((hr = IMsgServiceAdmin_GetMsgServiceTable(services, 0, &table)) != S_OK
        || (hr = all_rows(table, (SPropTagArray *)&columns, &rows)) != S_OK
        || (hr = MapihostGetProfileSections(profile, &sections)) != S_OK) {
        free_rows(rows);
        return hr;
    }
    hr = MAPI_E_NOT_FOUND;
    for (i = 0; hr != S_OK && i < rows->cRows; i++) {
        const SPropValue *service = &rows->aRow[i].lpProps[0];
        BOOL match = FALSE;
        for (j = 1; j < 3; j++)
            match |= PROP_TYPE(rows->aRow[i].lpProps[j].ulPropTag) == PT_STRING8
                     && !_stricmp(rows->aRow[i].lpProps[j].Value.lpszA, name);
        for (j = 0; !match && j < sections->cRows; j++)
            match = same_uid(find(&sections->aRow[j], PR_INSTANCE_KEY), service->Value.bin.lpb)
                    && !_stricmp(find(&sections->aRow[j], PR_DISPLAY_NAME_A)->Value.lpszA, name);
        if (match) {
            memcpy(uid, service->Value.bin.lpb, sizeof(*uid));
            hr = S_OK;
        }
    }
    if (hr != S_OK) fprintf(stderr, "mapiprof: profile %s has no service %s\n", profile, name);
    free_rows(rows);
    free_rows(sections);
    return hr;
}

/* TAG=VALUE arguments as property values; each value is its own allocation in values[]. */
static BOOL parse_props(int count, char **args, SPropValue ***values, SPropValue **props)
{
    const char *why;
    int i;

    *values = calloc(count + 1, sizeof(**values));
    *props = calloc(count + 1, sizeof(**props));
    if (!*values || !*props) return FALSE;
    for (i = 0; i < count; i++) {
        if (MapihostParseProp(args[i], &(*values)[i], &why) != S_OK) {
            fprintf(stderr, "mapiprof: %s: %s\n", args[i], why ? why : "not TAG=VALUE");
            return FALSE;
        }
        (*props)[i] = *(*values)[i];
    }
    return TRUE;
}

static void free_props(int count, SPropValue **values, SPropValue *props)
{
    int i;

    for (i = 0; values && i < count; i++) MAPIFreeBuffer(values[i]);
    free(values);
    free(props);
}

static int list_profiles(IProfAdmin *admin)
{
    SizedSPropTagArray(2, columns) = { 2, { PR_DISPLAY_NAME_A, PR_DEFAULT_PROFILE } };
    IMAPITable *table;
    SRowSet *rows;
    HRESULT hr;
    ULONG i;

    if ((hr = IProfAdmin_GetProfileTable(admin, 0, &table)) != S_OK
        || (hr = all_rows(table, (SPropTagArray *)&columns, &rows)) != S_OK)
        return fail("GetProfileTable", hr);
    for (i = 0; i < rows->cRows; i++)
        printf("%s%s\n", rows->aRow[i].lpProps[0].Value.lpszA, rows->aRow[i].lpProps[1].Value.b ? " (default)" : "");
    free_rows(rows);
    return 0;
}

/* A property on a line of its own, indented, put whole: Wine's printf writes each call through, buffer or not. */
static void put_property(const SPropValue *value)
{
    char line[4096] = "  ";

    MapihostFormatProp(value, line + 2, sizeof(line) - 3);
    strcat(line, "\n");
    fputs(line, stdout);
}

static int show_profile(const char *profile)
{
    IMsgServiceAdmin *services;
    IProfAdmin *admin;
    SRowSet *sections;
    char uid[33], line[4096];
    HRESULT hr;
    ULONG i, j, count;

    /* The service administration object first: it holds the profile read, so the list of sections reads no more. */
    if ((hr = MAPIAdminProfiles(0, &admin)) != S_OK || (hr = open_services(admin, profile, &services)) != S_OK)
        return 1;
    if ((hr = MapihostGetProfileSections(profile, &sections)) != S_OK) {
        IMsgServiceAdmin_Release(services);
        IProfAdmin_Release(admin);
        return fail_on_profile("reading the profile", profile, hr);
    }
    printf("profile %s\n", profile);
    for (i = 0; i < sections->cRows; i++) {
        const SRow *row = &sections->aRow[i];
        const SPropValue *key = find(row, PR_INSTANCE_KEY), *service = find(row, PR_SERVICE_UID);
        const char *role = "section";
        SPropValue *values;
        IProfSect *section;

        if (find(row, PR_PROVIDER_UID))
            role = "provider";
        else if (same_uid(service, key->Value.bin.lpb))
            role = "service";
        else if (service)
            role = "extra section";
        format_uid(key->Value.bin.lpb, uid);
        snprintf(line, sizeof(line), "\n[%s] %s, MAPIUID %s\n", find(row, PR_DISPLAY_NAME_A)->Value.lpszA, role, uid);
        fputs(line, stdout);
        if ((hr = IMsgServiceAdmin_OpenProfileSection(services, (MAPIUID *)key->Value.bin.lpb, NULL, MAPI_FORCE_ACCESS,
                                                      &section))
            != S_OK) {
            printf("  (cannot be opened: %s)\n", MapihostErrorName(hr));
            continue;
        }
        if (SUCCEEDED(IProfSect_GetProps(section, NULL, MAPI_UNICODE, &count, &values))) {
            for (j = 0; j < count; j++) put_property(&values[j]);
            MAPIFreeBuffer(values);
        }
        IProfSect_Release(section);
    }
    free_rows(sections);
    IMsgServiceAdmin_Release(services);
    IProfAdmin_Release(admin);
    return 0;
}

/* Whether the profile has a section with this MAPIUID: set and unset change sections that are there, never make one
 * a typing mistake named. */
static BOOL section_exists(const char *profile, const MAPIUID *uid)
{
    SRowSet *sections;
    BOOL found = FALSE;
    ULONG i;

    if (MapihostGetProfileSections(profile, &sections) != S_OK) return FALSE;
    for (i = 0; !found && i < sections->cRows; i++)
        found = same_uid(find(&sections->aRow[i], PR_INSTANCE_KEY), uid->ab);
    free_rows(sections);
    return found;
}

/* set and unset: a section by MAPIUID, changed at once (S4). */
static int change_section(IMsgServiceAdmin *services, const char *profile, const char *uid_text, BOOL set, int count,
                          char **args)
{
    SPropValue **values = NULL, *props = NULL;
    SPropTagArray *tags = NULL;
    IProfSect *section;
    MAPIUID uid;
    HRESULT hr;
    int i;

    if (!parse_uid(uid_text, &uid)) {
        fprintf(stderr, "mapiprof: %s is not a MAPIUID (32 hex digits)\n", uid_text);
        return 2;
    }
    if (set && count && !strcmp(args[0], "--new")) {
        count--; /* a section made on purpose, such as a provider's settings under its fixed MAPIUID */
        args++;
    } else if (!section_exists(profile, &uid)) {
        fprintf(stderr,
                "mapiprof: profile %s has no section with MAPIUID %s; mapiprof show %s lists them (set ... --new makes "
                "one)\n",
                profile, uid_text, profile);
        return 1;
    }
    if (set ? !parse_props(count, args, &values, &props)
            : !(tags = calloc(1, sizeof(SPropTagArray) + count * sizeof(ULONG)))) {
        free_props(count, values, props);
        return 1;
    }
    for (i = 0; !set && i < count; i++)
        if (MapihostParsePropTag(args[i], &tags->aulPropTag[tags->cValues++]) != S_OK) {
            fprintf(stderr, "mapiprof: %s: unknown property tag (use a PR_ name or eight hex digits)\n", args[i]);
            free(tags);
            return 1;
        }
    if ((hr = IMsgServiceAdmin_OpenProfileSection(services, &uid, NULL, MAPI_MODIFY | MAPI_FORCE_ACCESS, &section))
        == S_OK) {
        hr = set ? IProfSect_SetProps(section, count, props, NULL) : IProfSect_DeleteProps(section, tags, NULL);
        IProfSect_Release(section);
    }
    free_props(count, values, props);
    free(tags);
    return hr == S_OK ? 0 : fail(set ? "SetProps" : "DeleteProps", hr);
}

static int usage(void)
{
    fputs("usage: mapiprof list | create PROFILE [--default-services] | delete PROFILE | copy PROFILE NEW\n"
          "     | rename PROFILE NEW | default PROFILE|--none | add PROFILE SERVICE [DISPLAY]\n"
          "     | configure PROFILE SERVICE [TAG=VALUE]... | remove PROFILE SERVICE | set PROFILE UID [--new] "
          "TAG=VALUE...\n"
          "     | unset PROFILE UID TAG... | show PROFILE | install SERVICE | uninstall SERVICE\n"
          "  -v first: print each step the host takes; mapiprof --help explains\n",
          stderr);
    return 2;
}

static int help(void)
{
    fputs("mapiprof: MAPI profiles from the command line, through the interfaces a client uses. Exit code 0, 1 "
          "(failed,\nthe reason on stderr) or 2 (usage). -v first prints each step the host takes.\n\n"
          "  list                               the profiles, the default marked\n"
          "  create PROFILE [--default-services] a new profile (with MAPISVC.INF's default services)\n"
          "  delete | default | show PROFILE    delete it, make it the default (default --none: no default), show\n"
          "                                     every section with its MAPIUID, role and properties\n"
          "  copy | rename PROFILE NEW          a copy under a new name, or the same profile renamed\n"
          "  add PROFILE SERVICE [DISPLAY]      a message service from MAPISVC.INF; prints its MAPIUID\n"
          "  configure PROFILE SERVICE [TAG=VALUE]...  its service entry with MSG_SERVICE_CONFIGURE\n"
          "  remove PROFILE SERVICE             the service and its providers\n"
          "  set PROFILE UID [--new] TAG=VALUE...  properties of the section with that MAPIUID (--new: it may be new)\n"
          "  unset PROFILE UID TAG...           properties deleted from a section\n"
          "  install | uninstall SERVICE        the service's entry as an installer calls it\n\n"
          "SERVICE is a service's MAPIUID, section name, PR_SERVICE_NAME or display name; TAG a PR_ name (with _A or\n"
          "_W for the width) or eight hex digits; VALUE as a profile file writes it. Profiles live in the folder\n"
          "MAPIHOST_PROFILE_DIR names, else %APPDATA%\\mapihost\\profiles.\n\n"
          "Examples:\n"
          "  mapiprof create work && mapiprof add work MAPIHOST_SAMPLES && mapiprof default work\n"
          "  mapiprof configure work MAPIHOST_SAMPLES 6610001F=\"my directory\"\n"
          "  mapiprof show work\n",
          stdout);
    return 0;
}

static int run(IProfAdmin *admin, int argc, char **argv)
{
    const char *command = argv[0], *profile = argc > 1 ? argv[1] : NULL;
    SPropValue **values = NULL, *props = NULL;
    IMsgServiceAdmin *services;
    MAPIUID uid;
    char text[33];
    HRESULT hr;
    int result, i;

    if (!strcmp(command, "list") && argc == 1) return list_profiles(admin);
    /* A name that looks like an option is one mistyped: refused before anything changes. */
    for (i = 1; i < argc && i < 3; i++)
        if (argv[i][0] == '-' && strcmp(argv[i], "--default-services") && strcmp(argv[i], "--none")) {
            fprintf(stderr, "mapiprof: %s: not a profile or service name (names do not begin with '-')\n", argv[i]);
            return usage();
        }
    if (!strcmp(command, "create") && (argc == 2 || (argc == 3 && !strcmp(argv[2], "--default-services"))))
        return (hr = IProfAdmin_CreateProfile(admin, (LPTSTR)profile, NULL, 0, argc == 3 ? MAPI_DEFAULT_SERVICES : 0))
                   ? fail_on_profile("CreateProfile", profile, hr)
                   : 0;
    if (!strcmp(command, "delete") && argc == 2)
        return (hr = IProfAdmin_DeleteProfile(admin, (LPTSTR)profile, 0))
                   ? fail_on_profile("DeleteProfile", profile, hr)
                   : 0;
    if (!strcmp(command, "copy") && argc == 3)
        return (hr = IProfAdmin_CopyProfile(admin, (LPTSTR)profile, NULL, argv[2], 0, 0))
                   ? fail_on_profile("CopyProfile", profile, hr)
                   : 0;
    if (!strcmp(command, "rename") && argc == 3)
        return (hr = IProfAdmin_RenameProfile(admin, (LPTSTR)profile, NULL, argv[2], 0, 0))
                   ? fail_on_profile("RenameProfile", profile, hr)
                   : 0;
    if (!strcmp(command, "default") && argc == 2)
        return (hr = IProfAdmin_SetDefaultProfile(admin, strcmp(profile, "--none") ? (LPTSTR)profile : NULL, 0))
                   ? fail_on_profile("SetDefaultProfile", profile, hr)
                   : 0;
    if (!strcmp(command, "show") && argc == 2) return show_profile(profile);
    if ((!strcmp(command, "install") || !strcmp(command, "uninstall")) && argc == 2)
        return (hr = MapihostInstallService(profile, command[0] == 'u', 0, 0)) ? fail(command, hr) : 0;
    if (argc < 3) return usage();
    if (strcmp(command, "add") && strcmp(command, "configure") && strcmp(command, "remove") && strcmp(command, "set")
        && strcmp(command, "unset"))
        return usage();
    if (open_services(admin, profile, &services) != S_OK) return 1;
    if (!strcmp(command, "add") && argc <= 4) {
        IMsgServiceAdmin2 *services2;
        if ((hr = IMsgServiceAdmin_QueryInterface(services, &IID_IMsgServiceAdmin2, (void **)&services2)) == S_OK) {
            hr = IMsgServiceAdmin2_CreateMsgServiceEx(services2, argv[2], argc == 4 ? argv[3] : NULL, 0, 0, &uid);
            IMsgServiceAdmin2_Release(services2);
        }
        if (hr == S_OK) {
            format_uid(uid.ab, text);
            printf("%s\n", text);
        }
        result = hr ? fail("CreateMsgServiceEx", hr) : 0;
    } else if (!strcmp(command, "configure")) {
        if ((hr = find_service(services, profile, argv[2], &uid)) != S_OK)
            result = 1;
        else if (!parse_props(argc - 3, argv + 3, &values, &props))
            result = 1;
        else
            result = (hr = IMsgServiceAdmin_ConfigureMsgService(services, &uid, 0, 0, argc - 3, props))
                         ? fail("ConfigureMsgService", hr)
                         : 0;
        free_props(argc - 3, values, props);
    } else if (!strcmp(command, "remove") && argc == 3)
        result = (hr = find_service(services, profile, argv[2], &uid)) != S_OK ? 1
                 : (hr = IMsgServiceAdmin_DeleteMsgService(services, &uid))    ? fail("DeleteMsgService", hr)
                                                                               : 0;
    else if ((!strcmp(command, "set") || !strcmp(command, "unset")) && argc >= 4)
        result = change_section(services, profile, argv[2], command[0] == 's', argc - 3, argv + 3);
    else
        result = usage();
    IMsgServiceAdmin_Release(services);
    return result;
}

int main(int argc, char **argv)
{
    BOOL verbose = argc > 1 && !strcmp(argv[1], "-v");
    IProfAdmin *admin;
    HRESULT hr;
    int result;

    SetConsoleOutputCP(CP_UTF8); /* what it prints is in its code page, UTF-8 (utf8.manifest) */
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) return help();
    /* A buffer, not a write per line: show prints a line per property, 500,000 for a profile of 100,000 sections.
     * Wine's printf writes each call through even so (fputs does not): show puts its lines with fputs. */
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    argc -= 1 + verbose;
    argv += 1 + verbose;
    if (argc < 1) return usage();
    MapihostSetEventSink(print_event, verbose ? (void *)1 : NULL);
    if ((hr = MAPIInitialize(NULL)) != S_OK) return fail("MAPIInitialize", hr);
    if ((hr = MAPIAdminProfiles(0, &admin)) != S_OK)
        result = fail("MAPIAdminProfiles", hr);
    else {
        result = run(admin, argc, argv);
        IProfAdmin_Release(admin);
    }
    MAPIUninitialize();
    return result;
}
