/*
 * mapicheck's command line, as a person expects of a command-line tool: options in any order, --help that explains
 * each, and every mistake named (the option or value at fault) before anything runs, exit code 2. A --prop value is
 * parsed here too, so a typo is never blamed on the provider after a whole run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapicheck.h"

static const char synopsis[] =
    "usage: mapicheck [--fast-shutdown | --store | --transport [--to TYPE:ADDRESS]] [--format F] [--output FILE]\n"
    "                 --profile PROFILE\n"
    "       mapicheck [--fast-shutdown | --store | --transport [--to TYPE:ADDRESS]] [--format F] [--output FILE]\n"
    "                 [--prop TAG=VALUE]... PROVIDER.dll\n";

static const char help[] =
    "\n"
    "Runs MAPI providers through their whole lifecycle under mapihost and reports, rule by rule, whether each kept\n"
    "its contract (the rules are in docs/rules.md).\n"
    "\n"
    "What to run (one of):\n"
    "  --profile PROFILE    a client session over a profile: a profile's name, or the path of an .inf file\n"
    "  PROVIDER.dll         the same session over a profile made for the DLL, one provider section for each of\n"
    "                       ABProviderInit, MSProviderInit and XPProviderInit it exports; MAPI loads <name>32.dll\n"
    "                       for a profile's <name>.dll, so the file must be named <name>32.dll\n"
    "\n"
    "How (at most one; the lifecycle alone without either):\n"
    "  --fast-shutdown      the fast path of a client's exit (DoFastShutdown) in a process of its own, then a\n"
    "                       session that checks each store kept what was committed before it\n"
    "  --store              each store through a scripted client session: folders, a message, its move and\n"
    "                       deletion, another process opening it (rules M1-M10)\n"
    "  --transport          mail through each transport: a message to the identity its status row names (or to\n"
    "                       --to's address) from the default store, which must come back once, then a StoreLogoff\n"
    "                       with mail in flight, and a second session that must deliver what was queued (Q4-Q32)\n"
    "\n"
    "Options:\n"
    "  --to TYPE:ADDRESS    with --transport: the address to send to, for a transport that names no identity\n"
    "  --prop TAG=VALUE     with PROVIDER.dll: a setting its ServiceEntry is configured with before the session,\n"
    "                       as mapiprof takes them (6610001F=a text, 3FFE0003=42, PR_DISPLAY_NAME=name)\n"
    "  --format F           the report's format: text (default), json (docs/mapicheck-report.schema.json),\n"
    "                       junit (a test suite per provider DLL) or mermaid (a sequence diagram)\n"
    "  --output FILE        write the report to FILE; without it a json, junit or mermaid report is all of\n"
    "                       standard output and the running commentary goes to standard error\n"
    "  --help, -h           this text\n"
    "\n"
    "Exit codes: 0 PASS, 1 FAIL (a rule broken, a provider that failed), 2 BAD INPUT (usage, a missing or unusable\n"
    "profile or DLL, an output file that cannot be written).\n"
    "\n"
    "Examples:\n"
    "  mapicheck --profile samples\n"
    "  mapicheck --format junit --output myab.xml --prop 6610001F=\"a setting\" myab32.dll\n"
    "  mapicheck --store --profile mystore.inf\n"
    "  mapicheck --transport --to SMTP:me@example.org --profile mail.inf\n";

/* A usage error: what is wrong, the synopsis, and where to read more. */
static int usage_error(const char *format, const char *argument)
{
    fputs("mapicheck: ", stderr);
    fprintf(stderr, format, argument);
    fprintf(stderr, "\n%sTry 'mapicheck --help' for more.\n", synopsis);
    return RESULT_BAD_INPUT;
}

/* --format's value, or -1. */
static int parse_format(const char *name)
{
    static const char *const names[] = { "text", "json", "junit", "mermaid" };
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(names); i++)
        if (!strcmp(name, names[i])) return i;
    return -1;
}

/* The value after an option, or NULL (a usage error is printed) when there is none. */
static const char *value_of(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc || (argv[*i + 1][0] == '-' && argv[*i + 1][1] == '-')) {
        usage_error("%s needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

static int set_check(struct arguments *args, profile_check *check, const char *option)
{
    if (args->check != profile_mode_check)
        return usage_error("%s cannot go with another of --fast-shutdown, --store and --transport", option);
    args->check = check;
    args->fast = check == fast_mode_check;
    return -1;
}

/* A --prop value that MAPI can parse, or the reason it cannot. */
static int check_prop(const char *text)
{
    SPropValue *value = NULL;
    const char *why = NULL;
    HRESULT hr;

    /* The value is made in a MAPI buffer: MAPI for the moment it takes. */
    if ((hr = MAPIInitialize(NULL)) == S_OK) {
        if ((hr = MapihostParseProp(text, &value, &why)) == S_OK) MAPIFreeBuffer(value);
        MAPIUninitialize();
    }
    if (hr == S_OK) return -1;
    fprintf(stderr, "mapicheck: --prop %s: %s\n%sTry 'mapicheck --help' for more.\n", text, why ? why : "not TAG=VALUE",
            synopsis);
    return RESULT_BAD_INPUT;
}

int arguments_parse(int argc, char **argv, struct arguments *args)
{
    const char *value;
    int i, chosen, result;

    memset(args, 0, sizeof(*args));
    args->check = profile_mode_check;
    args->format = FORMAT_TEXT;
    if (!(args->props = calloc(argc, sizeof(*args->props)))) return RESULT_BAD_INPUT;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            fputs(synopsis, stdout);
            fputs(help, stdout);
            return RESULT_PASS;
        } else if (!strcmp(arg, "--fast-shutdown")) {
            if ((result = set_check(args, fast_mode_check, arg)) >= 0) return result;
        } else if (!strcmp(arg, "--store")) {
            if ((result = set_check(args, store_mode_check, arg)) >= 0) return result;
        } else if (!strcmp(arg, "--transport")) {
            if ((result = set_check(args, transport_mode_check, arg)) >= 0) return result;
        } else if (!strcmp(arg, "--to")) {
            if (!(value = value_of(argc, argv, &i))) return RESULT_BAD_INPUT;
            if (!strchr(value, ':')) return usage_error("--to %s: give TYPE:ADDRESS, as SMTP:me@example.org", value);
            args->to = value;
        } else if (!strcmp(arg, "--format")) {
            if (!(value = value_of(argc, argv, &i))) return RESULT_BAD_INPUT;
            if ((chosen = parse_format(value)) < 0)
                return usage_error("--format %s: the formats are text, json, junit and mermaid", value);
            args->format = chosen;
        } else if (!strcmp(arg, "--output")) {
            if (!(value = value_of(argc, argv, &i))) return RESULT_BAD_INPUT;
            args->output = value;
        } else if (!strcmp(arg, "--profile")) {
            if (!(value = value_of(argc, argv, &i))) return RESULT_BAD_INPUT;
            if (args->profile) return usage_error("--profile %s: one profile at a time", value);
            args->profile = value;
        } else if (!strcmp(arg, "--prop")) {
            if (!(value = value_of(argc, argv, &i))) return RESULT_BAD_INPUT;
            if ((result = check_prop(value)) >= 0) return result;
            args->props[args->prop_count++] = "--prop";
            args->props[args->prop_count++] = value;
        } else if (arg[0] == '-')
            return usage_error("%s: no such option", arg);
        else if (args->dll)
            return usage_error("%s: one provider DLL at a time", arg);
        else
            args->dll = arg;
    }
    if (!args->profile == !args->dll)
        return usage_error("%s", args->profile ? "give --profile or a provider DLL, not both"
                                               : "nothing to run: give --profile PROFILE or a provider DLL");
    if (args->to && args->check != transport_mode_check) return usage_error("%s", "--to goes with --transport");
    if (args->profile && args->prop_count)
        return usage_error("%s", "--prop configures a provider DLL's service; a profile has its settings already");
    return -1;
}
