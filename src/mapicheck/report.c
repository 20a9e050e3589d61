/*
 * mapicheck's reports (mapicheck --format): the run's events as the host recorded them (severity, rule, provider DLL,
 * provider type, logon: data, never read back out of the lines) and the verdict, as
 *   text     each event line, grouped per provider DLL and per logon, then the verdict line;
 *   json     docs/mapicheck-report.schema.json, version 1;
 *   junit    JUnit XML as CI systems read it: a test suite per provider DLL (and one, "mapihost", for what concerns
 *            no DLL), a test case per rule checked, failing with the text of each violation or error of that rule;
 *   mermaid  a sequence diagram of the lifecycle as observed: the client, MAPI and each provider DLL, a message per
 *            step (from the provider for its support object's methods), violations and errors as notes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapicheck.h"

static const char *const severity_names[] = { "step", "violation", "error" };
static const char *const result_names[] = { "PASS", "FAIL", "BAD INPUT" };

/* The rules mapicheck checks for every provider DLL in a session (spec §3 and the host's own checks): each is a JUnit
 * test case of the DLL's suite, passing unless an event of that rule says otherwise. */
static const char *const checked_rules[] = {
    "H3", "H4", "H7", "H12", "H13", "H14", "H15", "H16", "H20", "H22", "H23", "H27", "E9", "E15", "crash", "hang",
};

/* What must have run for a DLL before a checked rule says anything about it: a step of the DLL whose line holds one
 * of these. A rule nothing exercised is skipped, never passed: a provider that never logged on kept no rule of its
 * logoff. */
static const struct {
    const char *rule, *needs[2];
} rule_needs[] = {
    { "H3", { "ProviderInit" } },
    { "H4", { "ProviderInit" } },
    { "H7", { "::Logon -> S_OK", "TransportLogon -> S_OK" } },
    { "E15", { "::Logon -> S_OK", "TransportLogon -> S_OK" } },
    { "H12", { "Logoff" } },
    { "H13", { "Logoff" } },
    { "H14", { "Logoff" } },
    { "H15", { "Logoff" } },
    { "H16", { "Logoff" } },
    { "H27", { "Logoff" } },
    { "E9", { "Logoff" } },
    { "H20", { "::Shutdown" } },
    { "H22", { "Provider::Release" } },
    { "H23", { "LoadLibrary" } },
    { "crash", { "ProviderInit" } },
    { "hang", { "ProviderInit" } },
};

/* What a rule asks, in docs/rules.md's words, or NULL for an ID it does not define. */
static const char *rule_text(const char *rule)
{
    ULONG i;

    for (i = 0; rule && i < rule_text_count; i++)
        if (!strcmp(rule_texts[i].id, rule)) return rule_texts[i].text;
    return NULL;
}

/* mapicheck's arguments, and the names in the host's lines, are in the process's code page: UTF-8 under its manifest
 * (tools/utf8.manifest), the system's 8-bit one where Windows predates that; the JSON, JUnit and Mermaid reports are
 * UTF-8. A copy the caller frees, or NULL when the text needs none (ASCII, or UTF-8 already). */
static char *utf8_copy(const char *text)
{
    const unsigned char *c;
    int wide_length, length;
    WCHAR *wide;
    char *result = NULL;

    for (c = (const unsigned char *)text; *c && *c < 0x80; c++) {}
    /* Text that is UTF-8 already (the host's own "§", say) stays as it is. */
    if (!*c || MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, NULL, 0)
        || !(wide_length = MultiByteToWideChar(CP_ACP, 0, text, -1, NULL, 0))
        || !(wide = malloc(wide_length * sizeof(*wide))))
        return NULL;
    MultiByteToWideChar(CP_ACP, 0, text, -1, wide, wide_length);
    if ((length = WideCharToMultiByte(CP_UTF8, 0, wide, -1, NULL, 0, NULL, NULL)) && (result = malloc(length)))
        WideCharToMultiByte(CP_UTF8, 0, wide, -1, result, length, NULL, NULL);
    free(wide);
    return result;
}

static void json_utf8(FILE *out, const char *text)
{
    const unsigned char *c;

    fputc('"', out);
    for (c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c == '\n')
            fputs("\\n", out);
        else if (*c == '\t')
            fputs("\\t", out);
        else if (*c < 0x20)
            fprintf(out, "\\u%04x", *c);
        else
            fputc(*c, out);
    }
    fputc('"', out);
}

static void json_string(FILE *out, const char *text)
{
    char *copy;

    if (!text) {
        fputs("null", out);
        return;
    }
    copy = utf8_copy(text);
    json_utf8(out, copy ? copy : text);
    free(copy);
}

static void write_json_rules(FILE *out, const struct report *report);

static void write_json(FILE *out, const struct report *report)
{
    ULONG i;

    fputs("{\n  \"format\": \"mapicheck-report\",\n  \"version\": 1,\n  \"mode\": ", out);
    json_string(out, report->mode);
    fputs(",\n  \"target\": ", out);
    json_string(out, report->target);
    fprintf(out, ",\n  \"fastShutdown\": %s,\n  \"verdict\": {\n    \"result\": \"%s\",\n    \"exitCode\": %d,\n",
            report->fast_shutdown ? "true" : "false", result_names[report->result], report->result);
    fprintf(out,
            "    \"steps\": %lu,\n    \"violations\": %lu,\n    \"errors\": %lu,\n    \"leakedBuffers\": %lu,\n"
            "    \"providerDllsUnloaded\": %s,\n    \"reason\": ",
            report->steps, report->violations, report->errors, report->leaked_buffers,
            report->unloaded ? "true" : "false");
    json_string(out, report->reason);
    fputs("\n  },\n  \"events\": [", out);
    for (i = 0; i < report->count; i++) {
        const struct record *r = &report->records[i];

        fprintf(out, "%s\n    { \"index\": %lu, \"process\": \"%s\", \"severity\": \"%s\", \"rule\": ", i ? "," : "", i,
                r->fast ? "fast-shutdown" : "main", severity_names[r->severity]);
        json_string(out, r->rule);
        fputs(", \"dll\": ", out);
        json_string(out, r->dll);
        fputs(", \"provider\": ", out);
        json_string(out, r->provider);
        fputs(", \"logon\": ", out);
        json_string(out, r->logon);
        fputs(", \"text\": ", out);
        json_string(out, r->line);
        fputs(" }", out);
    }
    fputs("\n  ],\n", out);
    write_json_rules(out, report);
    fputs("}\n", out);
}

static void xml_utf8(FILE *out, const char *text)
{
    for (; *text; text++) switch (*text) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default:
            if ((unsigned char)*text >= 0x20 || *text == '\n') fputc(*text, out);
        }
}

static void xml_text(FILE *out, const char *text)
{
    char *copy = utf8_copy(text);

    xml_utf8(out, copy ? copy : text);
    free(copy);
}

static BOOL same(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* An event line without the "subject: " it starts with, when it does: the report shows the subject already. */
static const char *without_subject(const char *line, const char *subject)
{
    size_t length = subject ? strlen(subject) : 0;

    return length && !strncmp(line, subject, length) && line[length] == ':' ? line + length + 2 : line;
}

/* The DLLs events concern, in order of first appearance, then NULL for those concerning none. */
static ULONG suite_names(const struct report *report, const char ***names)
{
    ULONG count = 0, i, j;

    *names = calloc(report->count + 1, sizeof(**names));
    for (i = 0; *names && i < report->count; i++) {
        for (j = 0; j < count && !same((*names)[j], report->records[i].dll); j++) {}
        if (j == count && report->records[i].dll) (*names)[count++] = report->records[i].dll;
    }
    if (*names) (*names)[count++] = NULL; /* "mapihost": the host, profiles, the verdict */
    return *names ? count : 0;
}

/* The rules of one suite's test cases: those checked for every DLL (not for "mapihost"), then any other its events
 * name; "unnumbered" for a violation or error that names none. */
static ULONG suite_rules(const struct report *report, const char *dll, const char **rules, ULONG max)
{
    ULONG count = 0, i, j;

    if (dll)
        for (i = 0; i < ARRAYSIZE(checked_rules); i++) rules[count++] = checked_rules[i];
    for (i = 0; i < report->count && count < max; i++) {
        const struct record *r = &report->records[i];
        const char *rule = r->rule ? r->rule : r->severity != MAPIHOST_EVENT_STEP ? "unnumbered" : NULL;

        if (!rule || !same(r->dll, dll)) continue;
        for (j = 0; j < count && strcmp(rules[j], rule); j++) {}
        if (j == count) rules[count++] = rule;
    }
    if (!dll && count < max) rules[count++] = "verdict";
    return count;
}

static BOOL fails(const struct record *r, const char *dll, const char *rule)
{
    return r->severity != MAPIHOST_EVENT_STEP && same(r->dll, dll) && !strcmp(r->rule ? r->rule : "unnumbered", rule);
}

/* Whether the rule's part of the lifecycle ran for the DLL (rule_needs); rules of events always did. */
static BOOL exercised(const struct report *report, const char *dll, const char *rule)
{
    ULONG i, k, n;

    for (k = 0; k < ARRAYSIZE(rule_needs) && strcmp(rule_needs[k].rule, rule); k++) {}
    if (!dll || k == ARRAYSIZE(rule_needs)) return TRUE;
    for (i = 0; i < report->count; i++) {
        const struct record *r = &report->records[i];
        if (r->severity != MAPIHOST_EVENT_STEP || !same(r->dll, dll)) continue;
        for (n = 0; n < 2 && rule_needs[k].needs[n]; n++)
            if (strstr(r->line, rule_needs[k].needs[n])) return TRUE;
    }
    return FALSE;
}

/* The test case of rule in dll's suite fails: an event of the rule, or, for "verdict", a verdict but PASS. */
static BOOL case_fails(const struct report *report, const char *dll, const char *rule)
{
    ULONG i;

    if (!dll && !strcmp(rule, "verdict")) return report->result != RESULT_PASS;
    for (i = 0; i < report->count; i++)
        if (fails(&report->records[i], dll, rule)) return TRUE;
    return FALSE;
}

/* The failing test cases among a suite's rules. */
static ULONG suite_failures(const struct report *report, const char *dll, const char *const *rules, ULONG count)
{
    ULONG failed = 0, k;

    for (k = 0; k < count; k++) failed += case_fails(report, dll, rules[k]);
    return failed;
}

/* The skipped ones: not failed, and not exercised. */
static ULONG suite_skipped(const struct report *report, const char *dll, const char *const *rules, ULONG count)
{
    ULONG skipped = 0, k;

    for (k = 0; k < count; k++) skipped += !case_fails(report, dll, rules[k]) && !exercised(report, dll, rules[k]);
    return skipped;
}

/* Each rule of each suite, as JUnit's test cases: passed, failed, or skipped when nothing exercised it. */
static void write_json_rules(FILE *out, const struct report *report)
{
    const char **names, *rules[256];
    ULONG suites = suite_names(report, &names), s, k, count, written = 0;

    fputs("  \"rules\": [", out);
    for (s = 0; s < suites; s++) {
        count = suite_rules(report, names[s], rules, ARRAYSIZE(rules));
        for (k = 0; k < count; k++) {
            fprintf(out, "%s\n    { \"dll\": ", written++ ? "," : "");
            json_string(out, names[s]);
            fputs(", \"rule\": ", out);
            json_string(out, rules[k]);
            fprintf(out, ", \"status\": \"%s\", \"text\": ",
                    case_fails(report, names[s], rules[k])  ? "failed"
                    : exercised(report, names[s], rules[k]) ? "passed"
                                                            : "skipped");
            json_string(out, rule_text(rules[k]));
            fputs(" }", out);
        }
    }
    fputs("\n  ]\n", out);
    free(names);
}

/* The totals come first in the file, so each suite's rules are listed twice: for them, then for the suite. */
static void write_junit(FILE *out, const struct report *report)
{
    const char **names, *rules[256];
    ULONG suites = suite_names(report, &names), s, k, i, tests = 0, failures = 0, count;

    for (s = 0; s < suites; s++) {
        tests += count = suite_rules(report, names[s], rules, ARRAYSIZE(rules));
        failures += suite_failures(report, names[s], rules, count);
    }
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mapicheck ");
    xml_text(out, report->target);
    for (s = 0, k = 0; s < suites; s++) {
        count = suite_rules(report, names[s], rules, ARRAYSIZE(rules));
        k += suite_skipped(report, names[s], rules, count);
    }
    fprintf(out, "\" tests=\"%lu\" failures=\"%lu\" errors=\"0\" skipped=\"%lu\">\n", tests, failures, k);
    for (s = 0; s < suites; s++) {
        const char *suite = names[s] ? names[s] : "mapihost";

        count = suite_rules(report, names[s], rules, ARRAYSIZE(rules));
        fputs("  <testsuite name=\"", out);
        xml_text(out, suite);
        fprintf(out, "\" tests=\"%lu\" failures=\"%lu\" errors=\"0\" skipped=\"%lu\">\n", count,
                suite_failures(report, names[s], rules, count), suite_skipped(report, names[s], rules, count));
        for (k = 0; k < count; k++) {
            const char *message = NULL, *type = "violation";

            fputs("    <testcase classname=\"", out);
            xml_text(out, suite);
            fprintf(out, "\" name=\"%s", rules[k]);
            if (rule_text(rules[k])) {
                fputs(": ", out);
                xml_text(out, rule_text(rules[k]));
            }
            fputc('"', out);
            if (!case_fails(report, names[s], rules[k])) {
                if (exercised(report, names[s], rules[k]))
                    fputs("/>\n", out);
                else
                    fputs(">\n      <skipped message=\"not exercised: the part of the lifecycle it concerns did not run"
                          " for this DLL\"/>\n    </testcase>\n",
                          out);
                continue;
            }
            for (i = 0; i < report->count && !message; i++)
                if (fails(&report->records[i], names[s], rules[k])) {
                    message = report->records[i].line;
                    type = severity_names[report->records[i].severity];
                }
            if (!message) {
                message = report->reason ? report->reason : result_names[report->result];
                type = "verdict";
            }
            fprintf(out, ">\n      <failure type=\"%s\" message=\"", type);
            xml_text(out, message);
            fputs("\">", out);
            for (i = 0; i < report->count; i++)
                if (fails(&report->records[i], names[s], rules[k])) {
                    xml_text(out, report->records[i].line);
                    fputc('\n', out);
                }
            if (!strcmp(type, "verdict")) xml_text(out, message);
            fputs("</failure>\n    </testcase>\n", out);
        }
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);
    free(names);
}

/* A line of text as a Mermaid message or note: no statement separators, comments, entities or line breaks. */
static void mermaid_utf8(FILE *out, const char *text)
{
    for (; *text; text++) switch (*text) {
        case ';': fputc(',', out); break;
        case '#': fputs("no. ", out); break;
        case '%': fputs(" percent", out); break;
        case '\n':
        case '\r': fputc(' ', out); break;
        case '<': fputs("#lt;", out); break; /* Mermaid's entity codes */
        case '>': fputs("#gt;", out); break;
        default: fputc(*text, out);
        }
}

static void mermaid_text(FILE *out, const char *text)
{
    char *copy = utf8_copy(text);

    mermaid_utf8(out, copy ? copy : text);
    free(copy);
}

/* A step line that is a call into the provider (or its DLL), rather than the host's own bookkeeping about it. */
static BOOL is_call(const char *text)
{
    static const char *const calls[] = { "Provider::",      "Logon::",     "ProviderInit",
                                         "LoadLibrary",     "FreeLibrary", "IMAPIProviderShutdown::",
                                         "QueryInterface(", "ServiceEntry" };
    ULONG i;

    for (i = 0; i < ARRAYSIZE(calls); i++)
        if (strstr(text, calls[i])) return TRUE;
    return FALSE;
}

static void write_mermaid(FILE *out, const struct report *report)
{
    const char **names;
    ULONG suites = suite_names(report, &names), i, s;
    BOOL freeing = FALSE;

    fputs("sequenceDiagram\n    participant Client\n    participant MAPI as mapihost\n", out);
    for (s = 0; s + 1 < suites; s++) {
        fprintf(out, "    participant P%lu as ", s + 1);
        mermaid_text(out, names[s]);
        fputc('\n', out);
    }
    for (i = 0; i < report->count; i++) {
        const struct record *r = &report->records[i];
        /* the line names its logon or DLL first; the diagram shows it as the participant instead */
        const char *text = without_subject(r->line, r->logon);

        if (text == r->line) text = without_subject(r->line, r->dll);
        for (s = 0; s + 1 < suites && !same(names[s], r->dll); s++) {}
        if (r->severity != MAPIHOST_EVENT_STEP) {
            if (r->dll)
                fprintf(out, "    Note over P%lu: ", s + 1);
            else
                fputs("    Note over MAPI: ", out);
            fprintf(out, "%s%s%s ", r->severity == MAPIHOST_EVENT_VIOLATION ? "VIOLATION" : "ERROR", r->rule ? " " : "",
                    r->rule ? r->rule : "");
            if (rule_text(r->rule)) {
                fputc('(', out);
                mermaid_text(out, rule_text(r->rule));
                fputs(") ", out);
            }
        } else if (r->dll) {
            /* FreeLibrary comes inside the client's last MAPIUninitialize (H23), which the host records no line of;
             * a store's StoreLogoffTransports from its own Release, when the client's last reference on it went. */
            if (!strncmp(text, "FreeLibrary", 11) && !freeing)
                fputs("    Client->>MAPI: MAPIUninitialize (the last)\n", out);
            freeing = !strncmp(text, "FreeLibrary", 11);
            if (!strncmp(text, "IMAPISupport::StoreLogoffTransports", 35) && r->logon) {
                fprintf(out, "    Client->>P%lu: ", s + 1);
                mermaid_text(out, r->logon);
                fputs(": the client's last reference on the store goes (IMsgStore::Release)\n", out);
            }
            /* the provider calls its support object, MAPI calls the provider; the rest is MAPI's own bookkeeping */
            if (!strncmp(text, "IMAPISupport::", 14))
                fprintf(out, "    P%lu->>MAPI: ", s + 1);
            else if (is_call(text))
                fprintf(out, "    MAPI->>P%lu: ", s + 1);
            else
                fprintf(out, "    Note over P%lu: ", s + 1);
            if (r->logon) {
                mermaid_text(out, r->logon);
                fputs(": ", out);
            }
        } else
            fputs(!strncmp(text, "session ", 8) ? "    Client->>MAPI: " : "    MAPI->>MAPI: ", out);
        mermaid_text(out, text);
        fputc('\n', out);
    }
    fprintf(out, "    Note over Client,MAPI: verdict %s\n", result_names[report->result]);
    free(names);
}

/* Lines grouped per subject: each DLL's, then each logon's. */
static void write_text(FILE *out, const struct report *report)
{
    static const char *const labels[] = { "step", "VIOLATION", "ERROR" };
    ULONG i, j, k;

    fprintf(out, "lifecycle of each provider DLL and logon, as observed:\n");
    for (k = 0; k < 2; k++)
        for (i = 0; i < report->count; i++) {
            const char *subject = k ? report->records[i].logon : report->records[i].dll;
            BOOL seen = FALSE;

            if (!subject || (!k && report->records[i].logon)) continue;
            for (j = 0; j < i && !seen; j++)
                seen = same(k ? report->records[j].logon : report->records[j].dll, subject)
                       && (k || !report->records[j].logon);
            if (seen) continue;
            fprintf(out, "  %s\n", subject);
            for (j = i; j < report->count; j++) {
                const struct record *r = &report->records[j];

                if (!same(k ? r->logon : r->dll, subject) || (!k && r->logon)) continue;
                fprintf(out, "    %-9s %s%s\n", labels[r->severity], without_subject(r->line, subject),
                        r->fast ? " (fast path)" : "");
            }
        }
    for (i = 0, k = 0; i < report->count; i++) {
        const char *rule = report->records[i].rule;
        BOOL seen = FALSE;

        if (report->records[i].severity == MAPIHOST_EVENT_STEP || !rule_text(rule)) continue;
        for (j = 0; j < i && !seen; j++)
            seen = report->records[j].severity != MAPIHOST_EVENT_STEP && same(report->records[j].rule, rule);
        if (seen) continue;
        if (!k++) fprintf(out, "rules not kept:\n");
        fprintf(out, "  %-9s %s\n", rule, rule_text(rule));
    }
    fprintf(out, "verdict: %s (%lu steps, %lu violations, %lu errors, %lu MAPI buffers leaked, provider DLLs %s)%s%s\n",
            result_names[report->result], report->steps, report->violations, report->errors, report->leaked_buffers,
            report->unloaded ? "unloaded" : "still loaded", report->reason ? ": " : "",
            report->reason ? report->reason : "");
}

void report_write(FILE *out, enum report_format format, const struct report *report)
{
    switch (format) {
    case FORMAT_TEXT: write_text(out, report); break;
    case FORMAT_JSON: write_json(out, report); break;
    case FORMAT_JUNIT: write_junit(out, report); break;
    case FORMAT_MERMAID: write_mermaid(out, report); break;
    }
}
