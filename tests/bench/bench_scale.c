/*
 * P2: how the session scales with the number of logons. One profile holds 10,000 address-book provider sections,
 * another 1,000 (and one 10); every section is a logon of the sample address book, which registers a MAPIUID of its
 * own and adds a status row. Measured side by side in each round:
 * - MAPILogonEx of the big profile against the small one, and the session Logoff (with its Release) of each: linear
 *   means at most 11x for ten times the logons;
 * - IMAPISession::OpenEntry of an entry ID whose MAPIUID the last logon registered, among 10,000 registered MAPIUIDs
 *   against among 10: routing by key, at most 1.2x.
 */
#include <string.h>

#include "bench.h"
#include "sampler.h"
#include "mapihost_util.h"

/* MAPIHOST_BENCH_BIG (default 10000, and a tenth of it for the small profile) to try other sizes. */
static int BIG = 10000, SMALL = 1000;
#define FEW 10

/* A profile of count sample address books, written to the temporary folder. */
static void write_profile(int count, char *path, size_t size)
{
    char name[64];
    FILE *file;
    int i;

    snprintf(name, sizeof(name), "mapihost-bench-%d.inf", count);
    file = bench_create_file(name, path, size);
    fputs("[Services]\nDirectory = Sample directory\n[Directory]\nProviders = ", file);
    for (i = 0; i < count; i++) fprintf(file, "%sAB %d", i ? ", " : "", i);
    fputs("\n", file);
    for (i = 0; i < count; i++)
        fprintf(file, "[AB %d]\nPR_PROVIDER_DLL_NAME = sampleab.dll\nPR_RESOURCE_TYPE = MAPI_AB_PROVIDER\n", i);
    fputs("[Sample AB settings]\nMAPIUID = 6D617069686F737453616D706C654142\n6610001F = the bench directory\n", file);
    bench_close_file(file, path);
}

/* Times one MAPILogonEx and one Logoff of the profile at path. */
static void time_session(const char *path, double *logon_time, double *logoff_time)
{
    IMAPISession *session;
    LARGE_INTEGER start;

    QueryPerformanceCounter(&start);
    session = bench_logon(path);
    *logon_time = bench_seconds_since(start);
    QueryPerformanceCounter(&start);
    bench_logoff(session);
    *logoff_time = bench_seconds_since(start);
}

/* The entry ID of the last top-level container in the address book's hierarchy: the last logon's, under its MAPIUID. */
static SBinary last_container(IMAPISession *session)
{
    SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
    IMAPIContainer *root;
    IMAPITable *hierarchy;
    IAddrBook *address_book;
    SRowSet *rows;
    SBinary entry_id = { 0, NULL };
    ULONG type;

    bench_check(IMAPISession_OpenAddressBook(session, 0, NULL, 0, &address_book), "OpenAddressBook");
    bench_check(IAddrBook_OpenEntry(address_book, 0, NULL, NULL, 0, &type, (IUnknown **)&root), "the root's OpenEntry");
    bench_check(IMAPIContainer_GetHierarchyTable(root, 0, &hierarchy), "GetHierarchyTable");
    bench_check(HrQueryAllRows(hierarchy, (SPropTagArray *)&columns, NULL, NULL, 0, &rows), "HrQueryAllRows");
    if (rows->cRows && rows->aRow[rows->cRows - 1].lpProps[0].ulPropTag == PR_ENTRYID) {
        const SBinary *found = &rows->aRow[rows->cRows - 1].lpProps[0].Value.bin;
        entry_id.cb = found->cb;
        if ((entry_id.lpb = malloc(found->cb))) memcpy(entry_id.lpb, found->lpb, found->cb);
    }
    FreeProws(rows);
    IMAPITable_Release(hierarchy);
    IMAPIContainer_Release(root);
    IAddrBook_Release(address_book);
    if (!entry_id.lpb) {
        fprintf(stderr, "bench: no container entry ID in the address book\n");
        exit(2);
    }
    return entry_id;
}

struct routed {
    IMAPISession *session;
    SBinary entry_id;
};

static void open_entries(void *context, int count)
{
    struct routed *routed = context;
    IUnknown *object;
    ULONG type;
    int i;

    for (i = 0; i < count; i++) {
        if (IMAPISession_OpenEntry(routed->session, routed->entry_id.cb, (ENTRYID *)routed->entry_id.lpb, NULL, 0,
                                   &type, &object)
            != S_OK) {
            fprintf(stderr, "bench: OpenEntry failed\n");
            exit(2);
        }
        IUnknown_Release(object);
    }
}

static struct routed routed_many, routed_few;

static void open_among_many(void *context, int count)
{
    open_entries(&routed_many, count);
}

static void open_among_few(void *context, int count)
{
    open_entries(&routed_few, count);
}

int main(void)
{
    char big[MAX_PATH], small[MAX_PATH], few[MAX_PATH];
    double logon_ratios[ROUNDS], logoff_ratios[ROUNDS], big_logon, big_logoff, small_logon, small_logoff;
    struct bench_result result;
    int i, met = 0;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (getenv("MAPIHOST_BENCH_BIG")) SMALL = (BIG = atoi(getenv("MAPIHOST_BENCH_BIG"))) / 10;
    write_profile(BIG, big, sizeof(big));
    write_profile(SMALL, small, sizeof(small));
    write_profile(FEW, few, sizeof(few));
    bench_check(MAPIInitialize(NULL), "MAPIInitialize");

    time_session(big, &big_logon, &big_logoff); /* warm up: the first load gives every section its MAPIUID */
    if (getenv("MAPIHOST_BENCH_PROFILE")) {
        IMAPISession *session;
        sampler_start();
        session = bench_logon(big);
        sampler_stop("MAPILogonEx of the big profile");
        sampler_start();
        bench_logoff(session);
        sampler_stop("its Logoff");
        return 0;
    }
    time_session(small, &small_logon, &small_logoff);
    for (i = 0; i < ROUNDS; i++) {
        time_session(small, &small_logon, &small_logoff);
        time_session(big, &big_logon, &big_logoff);
        logon_ratios[i] = big_logon / small_logon;
        logoff_ratios[i] = big_logoff / small_logoff;
    }
    printf("P2 %d logons: MAPILogonEx %.0f ms, Logoff %.0f ms (last round)\n", BIG, big_logon * 1000,
           big_logoff * 1000);
    result = bench_summary(logoff_ratios);
    met += bench_report("P2 Logoff of 10,000 logons / of 1,000", result, "<= 11x", result.median <= 11.0);
    result = bench_summary(logon_ratios);
    met += bench_report("P2 MAPILogonEx of 10,000 sections / of 1,000", result, "<= 11x", result.median <= 11.0);

    routed_many.session = bench_logon(big);
    routed_few.session = bench_logon(few);
    routed_many.entry_id = last_container(routed_many.session);
    routed_few.entry_id = last_container(routed_few.session);
    result = bench_ratio(open_among_many, open_among_few, NULL, 20000);
    met += bench_report("P2 OpenEntry among 10,000 MAPIUIDs / among 10", result, "<= 1.2x", result.median <= 1.2);
    bench_logoff(routed_many.session);
    bench_logoff(routed_few.session);
    free(routed_many.entry_id.lpb);
    free(routed_few.entry_id.lpb);

    MAPIUninitialize();
    DeleteFileA(big);
    DeleteFileA(small);
    DeleteFileA(few);
    printf("summary: %d of 3 goals met\n", met);
    return 0;
}
