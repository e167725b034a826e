/* The allocator hook: an allocator that fails the Nth allocation (N = 1, 2, ... until the operation needs no more)
 * under loading (parley JSON with red lines, Genius XML, GeniusWeb JSON), analysis (merge, enumeration on several
 * threads, the merge with red lines, the report) and sessions (SAOP, single-text). Every call must return exactly
 * PL_ENOMEM, or 0 once N is past its last allocation, and free everything it allocated: the allocator counts live
 * blocks itself (so leaks fail the test in the plain build too), and the ASan build's LeakSanitizer checks the rest. */
#include "testutil.h"

#include "core/internal.h"

#include <execinfo.h>
#include <stdatomic.h>
#include <time.h>

/* ---- The failing, counting allocator (threads allocate too: atomic counters) ---- */

static atomic_long n_calls;  /* allocations asked for (malloc and realloc) since the last reset */
static atomic_long n_failed; /* failures injected */
static atomic_long n_live;   /* blocks allocated and not yet freed */
static atomic_long n_allocs; /* successful malloc_fn calls (a realloc of a live block is not a new block) */
static atomic_long n_frees;
static long fail_at; /* fail the allocation with this number (1-based); 0 = never */

static int should_fail(void)
{
    long k = atomic_fetch_add(&n_calls, 1) + 1;
    if (fail_at != 0 && k == fail_at) {
        atomic_fetch_add(&n_failed, 1);
        if (getenv("TEST_ALLOC_TRACE")) { /* debugging: where the injected failure happens */
            void *bt[32];
            backtrace_symbols_fd(bt, backtrace(bt, 32), 2);
        }
        return 1;
    }
    return 0;
}

static void *t_malloc(void *user, size_t n)
{
    (void)user;
    assert_true(n > 0); /* the library never asks for 0 bytes */
    if (should_fail()) {
        return NULL;
    }
    void *p = malloc(n);
    if (p) {
        atomic_fetch_add(&n_live, 1);
        atomic_fetch_add(&n_allocs, 1);
    }
    return p;
}

static void *t_realloc(void *user, void *p, size_t n)
{
    (void)user;
    assert_non_null(p); /* the library never reallocs NULL through the hook */
    assert_true(n > 0);
    if (should_fail()) {
        return NULL;
    }
    return realloc(p, n);
}

static void t_free(void *user, void *p)
{
    (void)user;
    assert_non_null(p);
    atomic_fetch_add(&n_live, -1);
    atomic_fetch_add(&n_frees, 1);
    free(p);
}

static void install(long n)
{
    atomic_store(&n_calls, 0);
    atomic_store(&n_failed, 0);
    atomic_store(&n_live, 0);
    atomic_store(&n_allocs, 0);
    atomic_store(&n_frees, 0);
    fail_at = n;
    pl_allocator a = {t_malloc, t_realloc, t_free, &fail_at};
    assert_int_equal(pl_set_allocator(&a), 0);
}

/* ---- The driver ---- */

typedef int (*op_fn)(void *ctx);

static pl_diag dg; /* the operations' diagnostic, shown when a run goes wrong */

/* Every N up to DENSE_LIMIT and the last TAIL allocations are failed in turn; in between, SPARSE evenly spaced N
 * (operations of tens of thousands of allocations would otherwise take minutes under ASan). */
#define DENSE_LIMIT 1500
#define TAIL 40
#define SPARSE 80

static int run_once(op_fn op, void *ctx, long n, long *calls, long *failed, long *live)
{
    install(n);
    memset(&dg, 0, sizeof dg);
    int rc = op(ctx);
    *calls = atomic_load(&n_calls);
    *failed = atomic_load(&n_failed);
    *live = atomic_load(&n_live);
    assert_int_equal(pl_set_allocator(NULL), 0);
    return rc;
}

/* Run op once to count its allocations T, then with the Nth allocation failing for N = 1, 2, ... (sparsely past
 * DENSE_LIMIT, see above) and N = T + 1: every run with a failure must return PL_ENOMEM, every run must free every
 * block, and one with no failure injected must succeed. (Threads can make T vary a little between runs: a run whose
 * Nth allocation never came must simply succeed.) Returns T. */
static long fail_each(const char *what, op_fn op, void *ctx)
{
    long total, failed, live;
    clock_t c0 = clock();
    int rc = run_once(op, ctx, 0, &total, &failed, &live);
    double once = (double)(clock() - c0) / CLOCKS_PER_SEC;
    if (rc != 0) {
        print_error("%s: rc %d (%s) with no failure\n", what, rc, dg.message);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(live, 0);
    long step = total > DENSE_LIMIT + TAIL ? (total - DENSE_LIMIT - TAIL) / SPARSE + 1 : 1;
    for (long n = 1; n <= total + 1;) {
        long calls;
        rc = run_once(op, ctx, n, &calls, &failed, &live);
        if (failed == 0) {
            if (rc != 0) {
                print_error("%s: no failure injected (%ld allocations) but rc %d (%s)\n", what, calls, rc, dg.message);
            }
            assert_int_equal(rc, 0);
        } else if (rc != PL_ENOMEM || live != 0) {
            print_error("%s: allocation %ld of %ld failed: rc %d (%s: %s), %ld blocks leaked\n", what, n, calls, rc,
                        pl_strerror(rc), dg.message, live);
            assert_int_equal(rc, PL_ENOMEM);
        }
        assert_int_equal(live, 0);
        n += n < DENSE_LIMIT || n >= total - TAIL ? 1 : step;
    }
    print_message("  %s: %.3f s CPU for a clean run, %.2f s in all\n", what, once,
                  (double)(clock() - c0) / CLOCKS_PER_SEC);
    return total;
}

/* ---- Loading ---- */

typedef struct mem_files {
    const char *data[4];
    size_t len[4];
    size_t n;
} mem_files;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)size + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)size, f), (size_t)size);
    p[size] = '\0';
    fclose(f);
    *len = (size_t)size;
    return p;
}

static int op_load_parley(void *ctx)
{
    const mem_files *m = ctx;
    pl_scenario *sc = NULL;
    int rc = pl_scenario_load_parley_json_mem(m->data[0], m->len[0], "ceasefire-2025.json", NULL, &sc, &dg);
    if (rc == 0) {
        assert_true(pl_scenario_has_red_lines(sc));
    } else {
        assert_null(sc);
    }
    pl_scenario_free(sc);
    return rc;
}

static int op_load_genius_xml(void *ctx)
{
    const mem_files *m = ctx;
    pl_scenario *sc = NULL;
    int rc = pl_scenario_load_genius_xml_mem(m->data[0], m->len[0], m->data + 1, m->len + 1, m->n - 1, NULL, &sc, &dg);
    if (rc == 0) {
        assert_int_equal(pl_scenario_party_count(sc), m->n - 1);
    }
    pl_scenario_free(sc);
    return rc;
}

static int op_load_geniusweb(void *ctx)
{
    const mem_files *m = ctx;
    pl_scenario *sc = NULL;
    int rc = pl_scenario_load_geniusweb_json_mem(m->data, m->len, m->n, NULL, &sc, &dg);
    if (rc == 0) {
        assert_int_equal(pl_scenario_party_count(sc), m->n);
    }
    pl_scenario_free(sc);
    return rc;
}

/* The whole-file path too (format detection, file reading). */
static int op_load_path(void *ctx)
{
    const char *path = ctx;
    pl_scenario *sc = NULL;
    int rc = pl_scenario_load(&path, 1, NULL, &sc, &dg);
    pl_scenario_free(sc);
    return rc;
}

static pl_scenario *load_file(const char *path)
{
    pl_scenario *sc = NULL;
    pl_diag d;
    assert_int_equal(pl_scenario_load(&path, 1, NULL, &sc, &d), 0);
    return sc;
}

static void test_load(void **state)
{
    (void)state;
    mem_files m = {{0}, {0}, 1};
    char *json = slurp(PL_SCENARIOS "/ceasefire-2025.json", &m.len[0]);
    m.data[0] = json;
    long a = fail_each("load parley JSON", op_load_parley, &m);
    print_message("load ceasefire-2025.json (parley JSON, red lines): %ld allocations\n", a);
    free(json);

    /* Genius XML: written by the library from a scenario without red lines (default allocator). */
    pl_scenario *sc = load_file(PL_SCENARIOS "/job-offer.json");
    char *dom = NULL, **prof = NULL;
    assert_int_equal(pl_scenario_to_genius_xml(sc, &dom, &prof, NULL), 0);
    size_t np = pl_scenario_party_count(sc);
    assert_true(np <= 3);
    mem_files x = {{dom}, {strlen(dom)}, np + 1};
    for (size_t k = 0; k < np; k++) {
        x.data[k + 1] = prof[k];
        x.len[k + 1] = strlen(prof[k]);
    }
    a = fail_each("load Genius XML", op_load_genius_xml, &x);
    print_message("load job-offer as Genius XML: %ld allocations\n", a);
    for (size_t k = 0; k < np; k++) {
        pl_free(prof[k]);
    }
    pl_free(prof);
    pl_free(dom);
    pl_scenario_free(sc);

    mem_files w = {{0}, {0}, 2};
    char *alice = slurp(PL_TEST_DATA "/geniusweb/holiday/alice.json", &w.len[0]);
    char *bob = slurp(PL_TEST_DATA "/geniusweb/holiday/bob.json", &w.len[1]);
    w.data[0] = alice;
    w.data[1] = bob;
    a = fail_each("load GeniusWeb JSON", op_load_geniusweb, &w);
    print_message("load holiday (GeniusWeb JSON): %ld allocations\n", a);
    free(alice);
    free(bob);

    a = fail_each("load a file", op_load_path, (void *)(PL_SCENARIOS "/supply-contract.json"));
    print_message("load supply-contract.json from its path: %ld allocations\n", a);
}

/* ---- Analysis ---- */

typedef struct analysis_ctx {
    const pl_scenario *sc;
    pl_pareto_algorithm algorithm;
    unsigned threads;
    const uint32_t *agreement; /* the report's (NULL: predicted) */
} analysis_ctx;

static int op_analyze(void *ctx)
{
    const analysis_ctx *c = ctx;
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = c->algorithm;
    o.threads = c->threads;
    pl_analysis *an = NULL;
    int rc = pl_analyze(c->sc, &o, &an, &dg);
    if (rc == 0) {
        assert_true(pl_frontier_size(pl_analysis_frontier(an)) > 0);
    } else {
        assert_null(an);
    }
    pl_analysis_free(an);
    return rc;
}

static int op_report(void *ctx)
{
    const analysis_ctx *c = ctx;
    pl_report_options o;
    pl_report_options_init(&o);
    o.threads = c->threads;
    pl_report *r = NULL;
    int rc = pl_report_build(c->sc, c->agreement, &o, &r, &dg);
    if (rc != 0) {
        assert_null(r);
    }
    pl_report_free(r);
    return rc;
}

static void test_analysis(void **state)
{
    (void)state;
    pl_scenario *sc = load_file(PL_SCENARIOS "/job-offer.json");
    analysis_ctx c = {sc, PL_PARETO_MERGE, 1, NULL};
    long a = fail_each("merge", op_analyze, &c);
    print_message("analysis by merge (job-offer): %ld allocations\n", a);
    c = (analysis_ctx){sc, PL_PARETO_AUTO, 2, NULL};
    a = fail_each("report", op_report, &c);
    print_message("report, 2 threads (job-offer): %ld allocations\n", a);
    /* An agreement leaving an issue at its status quo: the report then scans the space on 2 threads. */
    assert_int_equal(pl_scenario_set_status_quo(sc, 0, 0), 0);
    static const uint32_t at_sq[5] = {0, 0, 0, 0, 0};
    assert_int_equal(pl_space_issue_count(pl_scenario_space(sc)), 5);
    c.agreement = at_sq;
    long plain = a;
    a = fail_each("report with a scan", op_report, &c);
    print_message("report with the scan, 2 threads (job-offer, a status quo): %ld allocations\n", a);
    assert_true(a != plain);
    pl_scenario_free(sc);

    sc = load_file(PL_SCENARIOS "/supply-contract.json"); /* a hyper-rectangle party: enumeration */
    c = (analysis_ctx){sc, PL_PARETO_ENUMERATE, 3, NULL};
    a = fail_each("enumeration on 3 threads", op_analyze, &c);
    print_message("analysis by enumeration, 3 threads (supply-contract): %ld allocations\n", a);
    pl_scenario_free(sc);

    /* The merge with red lines (one merge per cell of the red-line issues' values) on job-offer with red lines added:
     * the ceasefire's 111,000 allocations would take minutes under ASan. */
    size_t len;
    char *text = slurp(PL_SCENARIOS "/job-offer.json", &len);
    const char *at = strstr(text, "\"discount\": 0.9,");
    assert_non_null(at);
    const char *lines = "\"red_lines\": [{\"issue\": \"start\", \"not\": [\"3 months\"]}, "
                        "{\"if\": {\"issue\": \"title\", \"in\": [\"staff engineer\"]}, "
                        "\"then\": {\"issue\": \"start\", \"in\": [\"2 weeks\", \"1 month\"]}}], ";
    size_t cut = (size_t)(at - text);
    char *red = malloc(len + strlen(lines) + 1);
    assert_non_null(red);
    memcpy(red, text, cut);
    strcpy(red + cut, lines);
    strcat(red, text + cut);
    sc = NULL;
    assert_int_equal(pl_scenario_load_parley_json_mem(red, strlen(red), "job-offer-red.json", NULL, &sc, NULL), 0);
    assert_true(pl_scenario_has_red_lines(sc));
    free(text);
    free(red);
    c = (analysis_ctx){sc, PL_PARETO_MERGE, 1, NULL};
    a = fail_each("merge with red lines", op_analyze, &c);
    print_message("analysis by merge with red lines (job-offer with red lines): %ld allocations\n", a);
    pl_scenario_free(sc);
}

/* ---- Sessions ---- */

typedef struct session_ctx {
    const pl_scenario *sc;
    pl_protocol protocol;
    const char *agents[2];
} session_ctx;

/* Everything a session needs, built and freed under the hook: registry, agent specs, the prepared scenario. */
static int op_session(void *ctx)
{
    const session_ctx *c = ctx;
    pl_registry *reg = NULL;
    pl_agent_spec *specs[2] = {NULL, NULL};
    pl_negotiation *neg = NULL;
    pl_session_result r;
    pl_session_result_init(&r);
    int rc = pl_registry_new(&reg, &dg);
    for (size_t k = 0; rc == 0 && k < 2; k++) {
        rc = pl_agent_spec_parse(reg, c->agents[k], &specs[k], &dg);
    }
    if (rc == 0) {
        rc = pl_negotiation_new(c->sc, NULL, &neg, &dg);
    }
    if (rc == 0) {
        pl_session_options o;
        pl_session_options_init(&o);
        o.protocol = c->protocol;
        o.rounds = 60;
        o.seed = 7;
        rc = pl_session_run(neg, (const pl_agent_spec *const *)specs, 2, &o, &r, &dg);
        if (rc == 0) {
            assert_true(r.status == PL_SESSION_AGREEMENT || r.status == PL_SESSION_DEADLINE);
            assert_false(isnan(r.welfare));
        }
    }
    pl_session_result_free(&r);
    pl_negotiation_free(neg);
    pl_agent_spec_free(specs[0]);
    pl_agent_spec_free(specs[1]);
    pl_registry_free(reg);
    return rc;
}

static void test_sessions(void **state)
{
    (void)state;
    pl_scenario *sc = load_file(PL_SCENARIOS "/job-offer.json");
    session_ctx c = {sc, PL_PROTOCOL_SAOP, {"boulware", "conceder"}};
    long a = fail_each("SAOP session", op_session, &c);
    print_message("SAOP session boulware-conceder (job-offer): %ld allocations\n", a);
    c = (session_ctx){sc, PL_PROTOCOL_SINGLE_TEXT, {"hill-climber", "annealer"}};
    a = fail_each("single-text session", op_session, &c);
    print_message("single-text session hill-climber-annealer (job-offer): %ld allocations\n", a);
    pl_scenario_free(sc);
}

/* ---- Everything freed: a counting allocator over load + analysis + report + session ---- */

static void test_counting(void **state)
{
    (void)state;
    install(0);
    pl_scenario *sc = NULL;
    const char *path = PL_SCENARIOS "/ceasefire-2025.json";
    assert_int_equal(pl_scenario_load(&path, 1, NULL, &sc, NULL), 0);
    analysis_ctx c = {sc, PL_PARETO_AUTO, 2, NULL};
    assert_int_equal(op_analyze(&c), 0);
    pl_scenario *jo = NULL;
    path = PL_SCENARIOS "/job-offer.json";
    assert_int_equal(pl_scenario_load(&path, 1, NULL, &jo, NULL), 0);
    c.sc = jo;
    assert_int_equal(op_report(&c), 0);
    session_ctx s = {jo, PL_PROTOCOL_SAOP, {"boulware", "conceder"}};
    assert_int_equal(op_session(&s), 0);
    char *text = NULL;
    assert_int_equal(pl_scenario_to_parley_json(sc, &text, NULL), 0);
    assert_non_null(strstr(text, "red_lines"));
    pl_free(text);
    pl_scenario_free(sc);
    pl_scenario_free(jo);
    long allocs = atomic_load(&n_allocs), frees = atomic_load(&n_frees);
    assert_int_equal(pl_set_allocator(NULL), 0);
    print_message("load + analysis + report + session + JSON: %ld allocations, %ld frees\n", allocs, frees);
    assert_true(allocs > 100);
    assert_int_equal(allocs, frees);
}

/* ---- The hook itself ---- */

static void test_hook(void **state)
{
    (void)state;
    pl_allocator bad = {t_malloc, NULL, t_free, NULL};
    assert_int_equal(pl_set_allocator(&bad), PL_EINVAL);
    /* Failing the very first allocation of pl_scenario_to_parley_json leaves *out NULL. */
    pl_scenario *sc = load_file(PL_SCENARIOS "/job-offer.json");
    install(1);
    char *text = (char *)"untouched";
    int rc = pl_scenario_to_parley_json(sc, &text, NULL);
    assert_int_equal(pl_set_allocator(NULL), 0);
    assert_int_equal(rc, PL_ENOMEM);
    assert_null(text);
    pl_scenario_free(sc);
    pl_free(NULL);

    /* Under the hook: n * size overflowing is refused before asking; 0 bytes are asked as 1; calloc zeroes; realloc
     * of NULL is a malloc. */
    install(0);
    assert_null(pl__calloc(SIZE_MAX / 2, 3));
    assert_int_equal(atomic_load(&n_calls), 0);
    unsigned char *p = pl__calloc(3, 5);
    assert_non_null(p);
    for (int k = 0; k < 15; k++) {
        assert_int_equal(p[k], 0);
    }
    void *z = pl__malloc(0), *q = pl__realloc(NULL, 8);
    assert_non_null(z);
    assert_non_null(q);
    q = pl__realloc(q, 0);
    assert_non_null(q);
    char *dup = pl__strdup("hook");
    assert_string_equal(dup, "hook");
    pl__free(p);
    pl__free(z);
    pl__free(q);
    pl_free(dup);
    assert_int_equal(atomic_load(&n_live), 0);
    assert_int_equal(atomic_load(&n_allocs), 4); /* calloc, malloc, realloc of NULL, strdup */
    assert_int_equal(pl_set_allocator(NULL), 0);
    /* And without it (the C library's). */
    assert_null(pl__calloc(SIZE_MAX / 2, 3));
    z = pl__malloc(0);
    assert_non_null(z);
    pl__free(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hook),     cmocka_unit_test(test_load),     cmocka_unit_test(test_analysis),
        cmocka_unit_test(test_sessions), cmocka_unit_test(test_counting),
    };
    /* TEST_ALLOC_ONLY=test_load (a cmocka filter) runs one part while debugging. */
    if (getenv("TEST_ALLOC_ONLY")) {
        cmocka_set_test_filter(getenv("TEST_ALLOC_ONLY"));
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
