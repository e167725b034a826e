/* The enumerate algorithm and the space scan, against a brute force written here: every outcome evaluated with
 * pl_ufun_eval, the non-dominated distinct vectors, their totals and first outcomes in dense order, the zone of
 * agreement and each party's extremes. Random small scenarios (2 and 3 parties, linear additive and hyper-rectangle,
 * heavy ties, identical and opposite preferences), results identical across thread counts, limits and errors, and
 * the ANAC 2011 Energy scenario when the corpus is present. */
#include "testutil.h"

#include "analysis/analysis_internal.h"

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
    return tu_splitmix(&rng_state);
}

static uint32_t rnd_below(uint32_t n)
{
    return (uint32_t)(rnd() % n);
}

static double rnd_unit(void)
{
    return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

/* ---- Scenario builders ---- */

static pl_space *space_of(size_t n_issues, const uint32_t *values)
{
    pl_space *s = tu_space_new();
    assert_non_null(s);
    for (size_t i = 0; i < n_issues; i++) {
        char name[32];
        snprintf(name, sizeof name, "i%zu", i);
        assert_int_equal(pl_space_add_integer(s, name, 0, (int64_t)values[i] - 1, 1, NULL), 0);
    }
    return s;
}

static void add_party(pl_scenario *sc, pl_ufun *u)
{
    assert_non_null(u);
    char name[32];
    snprintf(name, sizeof name, "p%zu", pl_scenario_party_count(sc));
    assert_int_equal(pl_scenario_add_party(sc, name, u, NULL), 0);
}

/* A linear additive function; quantised weights and values (binary fractions, exact sums) make many ties. */
static pl_ufun *random_linear(const pl_space *s, int quantised)
{
    pl_ufun *u = tu_ufun_linear_new(s);
    assert_non_null(u);
    size_t ni = pl_space_issue_count(s);
    for (size_t i = 0; i < ni; i++) {
        uint32_t nv = pl_space_value_count(s, i);
        double *t = malloc(nv * sizeof *t);
        assert_non_null(t);
        for (uint32_t v = 0; v < nv; v++) {
            t[v] = quantised ? rnd_below(5) * 0.25 : rnd_unit();
        }
        assert_int_equal(pl_ufun_linear_set_table(u, i, t), 0);
        double w = quantised ? rnd_below(5) * 0.125 : rnd_unit() / (double)ni;
        assert_int_equal(pl_ufun_linear_set_weight(u, i, w), 0);
        free(t);
    }
    return u;
}

/* The opposite of a linear additive function: same weights, values 1 - v. */
static pl_ufun *opposite_linear(const pl_space *s, const pl_ufun *src)
{
    pl_ufun *u = tu_ufun_linear_new(s);
    assert_non_null(u);
    for (size_t i = 0; i < pl_space_issue_count(s); i++) {
        uint32_t nv = pl_space_value_count(s, i);
        double *t = malloc(nv * sizeof *t);
        assert_non_null(t);
        for (uint32_t v = 0; v < nv; v++) {
            t[v] = 1.0 - pl_ufun_linear_value(src, i, v);
        }
        assert_int_equal(pl_ufun_linear_set_table(u, i, t), 0);
        assert_int_equal(pl_ufun_linear_set_weight(u, i, pl_ufun_linear_weight(src, i)), 0);
        free(t);
    }
    return u;
}

/* A hyper-rectangle function: a few rectangles with small integral utilities (some negative, so utilities may leave
 * [0, 1]), each bounding up to two issues. */
static pl_ufun *random_rect(const pl_space *s)
{
    pl_ufun *u = tu_ufun_rect_new(s, 1 + rnd_below(8));
    assert_non_null(u);
    size_t ni = pl_space_issue_count(s);
    size_t nr = 1 + rnd_below(5);
    for (size_t r = 0; r < nr; r++) {
        pl_rect_bound b[2];
        size_t nb = rnd_below(3);
        for (size_t k = 0; k < nb; k++) {
            b[k].issue = rnd_below((uint32_t)ni);
            uint32_t nv = pl_space_value_count(s, b[k].issue);
            uint32_t x = rnd_below(nv), y = rnd_below(nv);
            b[k].lo = x < y ? x : y;
            b[k].hi = x < y ? y : x;
            b[k].exclude = rnd_below(4) == 0 && (b[k].lo > 0 || b[k].hi + 1 < nv);
        }
        double util = (double)rnd_below(10) - (rnd_below(6) == 0 ? 6.0 : 0.0);
        assert_int_equal(pl_ufun_rect_add(u, util, nb, b), 0);
    }
    return u;
}

/* Random scenario: 1-max_issues issues of 1-max_values values, np parties of mixed kinds, random reservations
 * (party 0's is res0 instead when res0 >= 0). */
static pl_scenario *random_scenario(size_t np, size_t max_issues, uint32_t max_values, double res0)
{
    size_t ni = 1 + rnd_below((uint32_t)max_issues);
    uint32_t values[8];
    for (size_t i = 0; i < ni; i++) {
        values[i] = 1 + rnd_below(max_values);
    }
    pl_scenario *sc = tu_scenario_new(space_of(ni, values));
    assert_non_null(sc);
    const pl_space *s = pl_scenario_space(sc);
    uint32_t shape = rnd_below(8);
    for (size_t p = 0; p < np; p++) {
        pl_ufun *u;
        if (p > 0 && shape == 0) {
            /* Identical preferences: the frontier is one point. */
            u = pl_ufun_copy(pl_scenario_ufun(sc, 0), s);
        } else if (p > 0 && shape == 1 && pl_ufun_kind_of(pl_scenario_ufun(sc, 0)) == PL_UFUN_LINEAR) {
            u = opposite_linear(s, pl_scenario_ufun(sc, 0));
        } else if (rnd_below(2)) {
            u = random_linear(s, rnd_below(3) != 0);
        } else {
            u = random_rect(s);
        }
        assert_non_null(u);
        double res = rnd_below(3) ? rnd_unit() * 0.7 : 0.0;
        assert_int_equal(pl_ufun_set_reservation(u, p == 0 && res0 >= 0 ? res0 : res), 0);
        add_party(sc, u);
    }
    return sc;
}

/* ---- Brute force ---- */

typedef struct ref_frontier {
    size_t np, ni, n;
    double *u;      /* n * np */
    uint64_t *total;
    size_t *nst;    /* stored outcomes: min(total, k) */
    uint32_t *out;  /* n * k * ni */
} ref_frontier;

static const double *sort_u;
static size_t sort_np;

/* Vectors descending (lexicographic), then dense index ascending. */
static int cmp_by_vector(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    for (size_t k = 0; k < sort_np; k++) {
        double x = sort_u[a * sort_np + k], y = sort_u[b * sort_np + k];
        if (x != y) {
            return x > y ? -1 : 1;
        }
    }
    return a < b ? -1 : (a > b);
}

/* Every outcome's utilities (N * np), with pl_ufun_eval. */
static double *all_utilities(const pl_scenario *sc, const size_t *parties, size_t np, uint64_t *count)
{
    const pl_space *s = pl_scenario_space(sc);
    assert_int_equal(pl_space_outcome_count(s, count), 0);
    size_t ni = pl_space_issue_count(s);
    double *u = malloc((size_t)*count * np * sizeof *u);
    uint32_t *o = malloc((ni ? ni : 1) * sizeof *o);
    assert_non_null(u);
    assert_non_null(o);
    for (uint64_t x = 0; x < *count; x++) {
        assert_int_equal(pl_space_outcome_at(s, x, o), 0);
        for (size_t k = 0; k < np; k++) {
            u[x * np + k] = pl_ufun_eval(pl_scenario_ufun(sc, parties[k]), o);
        }
    }
    free(o);
    return u;
}

/* The frontier by definition: group equal vectors; a group is kept when no other vector dominates it. Groups are
 * visited in descending lexicographic order, and only greater vectors can dominate, so checking the kept ones is
 * enough (a dominated vector is dominated by some non-dominated one, by transitivity). For small spaces the
 * all-pairs definition is checked too. */
static void brute_frontier(const pl_scenario *sc, const size_t *parties, size_t np, uint32_t k, ref_frontier *r)
{
    uint64_t n;
    double *u = all_utilities(sc, parties, np, &n);
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s);
    uint64_t *idx = malloc((size_t)n * sizeof *idx);
    assert_non_null(idx);
    for (uint64_t x = 0; x < n; x++) {
        idx[x] = x;
    }
    sort_u = u;
    sort_np = np;
    qsort(idx, (size_t)n, sizeof *idx, cmp_by_vector);
    memset(r, 0, sizeof *r);
    r->np = np;
    r->ni = ni;
    r->u = malloc((size_t)n * np * sizeof *r->u);
    r->total = malloc((size_t)n * sizeof *r->total);
    r->nst = malloc((size_t)n * sizeof *r->nst);
    r->out = malloc((size_t)n * k * (ni ? ni : 1) * sizeof *r->out);
    assert_true(r->u && r->total && r->nst && r->out);
    for (uint64_t g = 0; g < n;) {
        const double *v = u + idx[g] * np;
        uint64_t e = g + 1;
        while (e < n && memcmp(u + idx[e] * np, v, np * sizeof *v) == 0) {
            e++;
        }
        int dom = 0;
        for (size_t q = 0; q < r->n && !dom; q++) {
            dom = tu_dominates(r->u + q * np, v, np);
        }
        if (n <= 300) {
            int dom2 = 0;
            for (uint64_t y = 0; y < n && !dom2; y++) {
                dom2 = tu_dominates(u + y * np, v, np);
            }
            assert_int_equal(dom, dom2);
        }
        if (!dom) {
            size_t q = r->n++;
            memcpy(r->u + q * np, v, np * sizeof *v);
            r->total[q] = e - g;
            r->nst[q] = e - g < k ? (size_t)(e - g) : k;
            for (size_t j = 0; j < r->nst[q]; j++) {
                assert_int_equal(pl_space_outcome_at(s, idx[g + j], r->out + (q * k + j) * ni), 0);
            }
        }
        g = e;
    }
    free(idx);
    free(u);
}

static void ref_free(ref_frontier *r)
{
    free(r->u);
    free(r->total);
    free(r->nst);
    free(r->out);
}

static void check_against(const pl_frontier *f, const ref_frontier *r, uint32_t k)
{
    assert_int_equal(pl_frontier_algorithm(f), PL_PARETO_ENUMERATE);
    assert_true(pl_frontier_exact(f));
    assert_int_equal(pl_frontier_party_count(f), r->np);
    assert_int_equal(pl_frontier_size(f), r->n);
    for (size_t q = 0; q < r->n; q++) {
        const double *u = pl_frontier_utilities(f, q);
        for (size_t p = 0; p < r->np; p++) {
            /* Bit-identical: both sides come from the same evaluation. */
            assert_true(u[p] == r->u[q * r->np + p]);
        }
        assert_int_equal(pl_frontier_outcome_total(f, q), r->total[q]);
        assert_int_equal(pl_frontier_outcome_count(f, q), r->nst[q]);
        for (size_t j = 0; j < r->nst[q]; j++) {
            assert_memory_equal(pl_frontier_outcome(f, q, j), r->out + (q * k + j) * r->ni,
                                r->ni * sizeof(uint32_t));
        }
    }
}

static pl_frontier *enumerate(const pl_scenario *sc, const size_t *parties, size_t np, unsigned threads, uint32_t k)
{
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_ENUMERATE;
    o.threads = threads;
    o.parties = parties;
    o.n_parties = np;
    o.outcomes_per_point = k;
    pl_frontier *f = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_frontier_compute(sc, &o, &f, &d);
    if (rc < 0) {
        print_error("enumerate: %s\n", d.message);
    }
    assert_int_equal(rc, 0);
    assert_non_null(f);
    return f;
}

static const unsigned thread_counts[] = {1, 2, 3, 7};

/* Enumerate on every thread count and compare each result with the brute force. */
static void cross_check(const pl_scenario *sc, const size_t *parties, size_t np, uint32_t k)
{
    ref_frontier r;
    brute_frontier(sc, parties, np, k, &r);
    for (size_t t = 0; t < sizeof thread_counts / sizeof *thread_counts; t++) {
        pl_frontier *f = enumerate(sc, parties, np, thread_counts[t], k);
        check_against(f, &r, k);
        pl_frontier_free(f);
    }
    ref_free(&r);
}

static const size_t party_orders[][3] = {{0, 1, 2}, {1, 0, 2}, {2, 0, 1}};

/* ---- Tests ---- */

static void test_random_two_parties(void **state)
{
    (void)state;
    for (int it = 0; it < 300; it++) {
        pl_scenario *sc = random_scenario(2, 4, 5, -1);
        const uint32_t ks[] = {1, 2, 3, 16};
        cross_check(sc, party_orders[it % 2], 2, ks[it % 4]);
        pl_scenario_free(sc);
    }
}

static void test_random_three_parties(void **state)
{
    (void)state;
    for (int it = 0; it < 200; it++) {
        pl_scenario *sc = random_scenario(3, 4, 5, -1);
        const uint32_t ks[] = {1, 2, 16};
        cross_check(sc, party_orders[it % 3], 3, ks[it % 3]);
        /* Two of the three, and a single party (the frontier is its best vector). */
        cross_check(sc, party_orders[(it + 1) % 3], 2, 2);
        cross_check(sc, party_orders[it % 3], 1, 3);
        pl_scenario_free(sc);
    }
}

/* Spaces of several chunks, so that every thread count really splits the work. */
static void test_random_medium(void **state)
{
    (void)state;
    for (int it = 0; it < 24; it++) {
        size_t np = 2 + (size_t)(it % 2);
        pl_scenario *sc = random_scenario(np, 6, 8, -1);
        uint64_t n;
        assert_int_equal(pl_space_outcome_count(pl_scenario_space(sc), &n), 0);
        if (n > 200000) {
            pl_scenario_free(sc);
            it--;
            continue;
        }
        cross_check(sc, party_orders[0], np, it % 3 == 0 ? 1 : 4);
        pl_scenario_free(sc);
    }
}

static void test_single_outcome(void **state)
{
    (void)state;
    const uint32_t values[] = {1, 1, 1};
    for (size_t np = 1; np <= 3; np++) {
        pl_scenario *sc = tu_scenario_new(space_of(3, values));
        for (size_t p = 0; p < np; p++) {
            add_party(sc, p % 2 ? random_rect(pl_scenario_space(sc)) : random_linear(pl_scenario_space(sc), 0));
        }
        cross_check(sc, party_orders[0], np, 16);
        pl_frontier *f = enumerate(sc, NULL, 0, 4, 16);
        assert_int_equal(pl_frontier_size(f), 1);
        assert_int_equal(pl_frontier_outcome_total(f, 0), 1);
        assert_int_equal(pl_frontier_outcome_count(f, 0), 1);
        pl_frontier_free(f);
        pl_scenario_free(sc);
    }
}

/* Every outcome shares one vector: one point, the first k outcomes stored, the total counted; on several chunks and
 * thread counts (each worker keeps its own first k; the first k overall must win). */
static void test_all_ties(void **state)
{
    (void)state;
    const uint32_t values[] = {10, 10, 10, 30};
    pl_scenario *sc = tu_scenario_new(space_of(4, values));
    for (int p = 0; p < 2; p++) {
        add_party(sc, tu_ufun_linear_new(pl_scenario_space(sc)));
    }
    const uint32_t ks[] = {1, 5, 16, 100};
    for (size_t i = 0; i < 4; i++) {
        for (size_t t = 0; t < 4; t++) {
            pl_frontier *f = enumerate(sc, NULL, 0, thread_counts[t], ks[i]);
            assert_int_equal(pl_frontier_size(f), 1);
            assert_int_equal(pl_frontier_outcome_total(f, 0), 30000);
            assert_int_equal(pl_frontier_outcome_count(f, 0), ks[i]);
            for (size_t j = 0; j < ks[i]; j++) {
                uint64_t x;
                assert_int_equal(pl_space_outcome_index(pl_scenario_space(sc), pl_frontier_outcome(f, 0, j), &x), 0);
                assert_int_equal(x, j);
            }
            pl_frontier_free(f);
        }
    }
    pl_scenario_free(sc);
}

/* Identical preferences: one point, the best vector. Opposite preferences on one issue: every outcome is on the
 * frontier (many merges, a frontier larger than the candidate buffer). */
static void test_identical_and_opposite(void **state)
{
    (void)state;
    const uint32_t v1[] = {6, 7, 5, 9};
    pl_scenario *sc = tu_scenario_new(space_of(4, v1));
    pl_ufun *u = random_linear(pl_scenario_space(sc), 0);
    add_party(sc, pl_ufun_copy(u, pl_scenario_space(sc)));
    add_party(sc, u);
    cross_check(sc, party_orders[0], 2, 3);
    pl_frontier *f = enumerate(sc, NULL, 0, 3, 3);
    assert_int_equal(pl_frontier_size(f), 1);
    pl_frontier_free(f);
    pl_scenario_free(sc);

    const uint32_t v2[] = {30000};
    sc = tu_scenario_new(space_of(1, v2));
    u = tu_ufun_linear_new(pl_scenario_space(sc));
    double *t = malloc(30000 * sizeof *t);
    assert_non_null(t);
    for (uint32_t v = 0; v < 30000; v++) {
        t[v] = (double)v / 29999.0;
    }
    assert_int_equal(pl_ufun_linear_set_table(u, 0, t), 0);
    assert_int_equal(pl_ufun_linear_set_weight(u, 0, 1.0), 0);
    add_party(sc, opposite_linear(pl_scenario_space(sc), u));
    add_party(sc, u);
    free(t);
    cross_check(sc, party_orders[0], 2, 2);
    f = enumerate(sc, NULL, 0, 2, 2);
    assert_int_equal(pl_frontier_size(f), 30000);
    pl_frontier_free(f);
    pl_scenario_free(sc);

    /* Three parties with a large frontier: two opposed, a third random. */
    const uint32_t v3[] = {40, 40, 5};
    sc = tu_scenario_new(space_of(3, v3));
    u = random_linear(pl_scenario_space(sc), 0);
    add_party(sc, opposite_linear(pl_scenario_space(sc), u));
    add_party(sc, u);
    add_party(sc, random_linear(pl_scenario_space(sc), 0));
    cross_check(sc, party_orders[0], 3, 2);
    pl_scenario_free(sc);
}

/* The pre-filters bucket the first utilities; a frontier point P whose first utilities fall in the same bucket as a
 * later outcome Q's, just below Q's, must not reject Q (P is better for the last party only). Outcome 0 is P, the
 * junk in between makes P merge into the frontier (and the filter table) before Q, the last outcome, is tested. */
static void test_filter_bucket_edges(void **state)
{
    (void)state;
    const double pairs[][2] = {
        {0.50001, 0.50009}, {0.5, 0.5 + 1e-12}, {4097.0 / 8192, 4097.0 / 8192 + 1e-9}, {0.75 - 1e-9, 0.75},
        {33.0 / 64, 33.0 / 64 + 1e-6}, {1e-9, 2e-9}, {0.99999, 0.999995},
    };
    const uint32_t n = 3000;
    double *t = malloc(n * sizeof *t);
    assert_non_null(t);
    for (size_t c = 0; c < sizeof pairs / sizeof *pairs; c++) {
        for (size_t np = 2; np <= 3; np++) {
            pl_scenario *sc = tu_scenario_new(space_of(1, &n));
            for (size_t p = 0; p < np; p++) {
                int last = p == np - 1;
                pl_ufun *u = tu_ufun_linear_new(pl_scenario_space(sc));
                assert_non_null(u);
                for (uint32_t x = 0; x < n; x++) {
                    t[x] = pairs[c][0] * 0.2; /* junk, dominated by P */
                }
                t[0] = last ? 0.9 : pairs[c][0];
                t[n - 1] = last ? 0.5 : pairs[c][1];
                assert_int_equal(pl_ufun_linear_set_table(u, 0, t), 0);
                assert_int_equal(pl_ufun_linear_set_weight(u, 0, 1.0), 0);
                add_party(sc, u);
            }
            cross_check(sc, party_orders[0], np, 1);
            pl_frontier *f = enumerate(sc, NULL, 0, 1, 1);
            assert_int_equal(pl_frontier_size(f), 2);
            pl_frontier_free(f);
            pl_scenario_free(sc);
        }
    }
    free(t);
}

static void test_max_points(void **state)
{
    (void)state;
    const uint32_t v[] = {100, 3};
    pl_scenario *sc = tu_scenario_new(space_of(2, v));
    pl_ufun *u = tu_ufun_linear_new(pl_scenario_space(sc));
    double t[100];
    for (int x = 0; x < 100; x++) {
        t[x] = x / 99.0;
    }
    assert_int_equal(pl_ufun_linear_set_table(u, 0, t), 0);
    assert_int_equal(pl_ufun_linear_set_weight(u, 0, 1.0), 0);
    add_party(sc, opposite_linear(pl_scenario_space(sc), u));
    add_party(sc, u);
    for (size_t i = 0; i < 4; i++) {
        pl_analysis_options o;
        pl_analysis_options_init(&o);
        o.algorithm = PL_PARETO_ENUMERATE;
        o.threads = thread_counts[i];
        o.max_points = 50;
        pl_frontier *f = NULL;
        pl_diag d;
        pl_diag_clear(&d);
        assert_int_equal(pl_frontier_compute(sc, &o, &f, &d), PL_ETOOBIG);
        assert_null(f);
        assert_non_null(strstr(d.message, "50"));
        o.max_points = 100;
        assert_int_equal(pl_frontier_compute(sc, &o, &f, &d), 0);
        assert_int_equal(pl_frontier_size(f), 100);
        assert_int_equal(pl_frontier_outcome_total(f, 0), 3);
        pl_frontier_free(f);
    }
    pl_scenario_free(sc);
}

static void test_not_enumerable(void **state)
{
    (void)state;
    uint32_t v[64];
    for (int i = 0; i < 64; i++) {
        v[i] = 2;
    }
    pl_scenario *sc = tu_scenario_new(space_of(64, v));
    add_party(sc, random_linear(pl_scenario_space(sc), 0));
    add_party(sc, random_linear(pl_scenario_space(sc), 0));
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_ENUMERATE;
    pl_frontier *f = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_frontier_compute(sc, &o, &f, &d), PL_ERANGE);
    assert_null(f);
    pl__scan scan;
    memset(&scan, 0, sizeof scan);
    const size_t parties[] = {0, 1};
    assert_int_equal(pl__scan_space(sc, parties, 2, 2, &scan, &d), PL_ERANGE);
    assert_false(scan.zopa_known);
    assert_null(scan.best);
    pl_scenario_free(sc);
}

/* ---- The scan ---- */

static void check_scan(const pl_scenario *sc, const size_t *parties, size_t np, const pl__scan *scan)
{
    uint64_t n;
    double *u = all_utilities(sc, parties, np, &n);
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s);
    uint64_t zopa = 0;
    for (uint64_t x = 0; x < n; x++) {
        int ok = 1;
        for (size_t k = 0; k < np; k++) {
            ok &= u[x * np + k] >= pl_ufun_reservation(pl_scenario_ufun(sc, parties[k]));
        }
        zopa += (uint64_t)ok;
    }
    assert_true(scan->zopa_known);
    assert_int_equal(scan->zopa, zopa);
    assert_true(scan->extremes_known);
    uint32_t *o = malloc(ni * sizeof *o);
    assert_non_null(o);
    for (size_t k = 0; k < np; k++) {
        uint64_t bi = 0, wi = 0;
        for (uint64_t x = 1; x < n; x++) {
            bi = u[x * np + k] > u[bi * np + k] ? x : bi;
            wi = u[x * np + k] < u[wi * np + k] ? x : wi;
        }
        assert_true(scan->best_u[k] == u[bi * np + k]);
        assert_true(scan->worst_u[k] == u[wi * np + k]);
        assert_int_equal(pl_space_outcome_at(s, bi, o), 0);
        assert_memory_equal(scan->best + k * ni, o, ni * sizeof *o);
        assert_int_equal(pl_space_outcome_at(s, wi, o), 0);
        assert_memory_equal(scan->worst + k * ni, o, ni * sizeof *o);
    }
    free(o);
    free(u);
}

static void scan_free(pl__scan *scan)
{
    free(scan->best);
    free(scan->worst);
    free(scan->best_u);
    free(scan->worst_u);
    memset(scan, 0, sizeof *scan);
}

static void test_scan_space(void **state)
{
    (void)state;
    for (int it = 0; it < 150; it++) {
        size_t np = 1 + (size_t)(it % 3);
        /* Every seventh: a reservation nothing reaches (rectangle utilities stay far below 100): an empty zone. */
        pl_scenario *sc = random_scenario(np, it % 5 == 0 ? 6 : 4, it % 5 == 0 ? 8 : 5, it % 7 == 0 ? 100.0 : -1);
        const size_t *parties = party_orders[np == 3 ? it % 3 : 0];
        for (size_t t = 0; t < 4; t++) {
            pl__scan scan;
            memset(&scan, 0, sizeof scan);
            pl_diag d;
            pl_diag_clear(&d);
            assert_int_equal(pl__scan_space(sc, parties, np, thread_counts[t], &scan, &d), 0);
            check_scan(sc, parties, np, &scan);
            if (it % 7 == 0) {
                assert_int_equal(scan.zopa, 0);
            }
            scan_free(&scan);
        }
        pl_scenario_free(sc);
    }
}

/* The enumerate algorithm fills the scan as it goes. */
static void test_enumerate_fills_scan(void **state)
{
    (void)state;
    for (int it = 0; it < 60; it++) {
        size_t np = 2 + (size_t)(it % 2);
        pl_scenario *sc = random_scenario(np, it % 4 == 0 ? 6 : 4, it % 4 == 0 ? 8 : 5, -1);
        for (size_t t = 0; t < 4; t++) {
            pl_analysis_options o;
            pl_analysis_options_init(&o);
            o.algorithm = PL_PARETO_ENUMERATE;
            o.threads = thread_counts[t];
            pl__scan scan;
            memset(&scan, 0, sizeof scan);
            pl_frontier *f = NULL;
            assert_int_equal(pl__frontier_compute_scan(sc, &o, &f, &scan, NULL), 0);
            check_scan(sc, party_orders[0], np, &scan);
            scan_free(&scan);
            pl_frontier_free(f);
        }
        pl_scenario_free(sc);
    }
}

/* ---- ANAC ---- */

static void test_anac_energy(void **state)
{
    (void)state;
    TU_NEED_ANAC();
    const char *dir = tu_anac("y2011/Energy");
    if (!tu_is_dir(dir)) {
        print_message("%s not found\n", dir);
        skip();
    }
    pl_scenario *sc = tu_load1(dir);
    uint64_t n;
    assert_int_equal(pl_space_outcome_count(pl_scenario_space(sc), &n), 0);
    assert_int_equal(n, 390625);
    const size_t parties[] = {0, 1};
    ref_frontier r;
    brute_frontier(sc, parties, 2, 16, &r);
    pl_frontier *f = enumerate(sc, NULL, 0, 0, 16);
    check_against(f, &r, 16);
    pl_frontier_free(f);
    f = enumerate(sc, NULL, 0, 1, 16);
    check_against(f, &r, 16);
    pl_frontier_free(f);
    print_message("Energy: %zu frontier points\n", r.n);
    ref_free(&r);

    pl__scan scan;
    memset(&scan, 0, sizeof scan);
    assert_int_equal(pl__scan_space(sc, parties, 2, 0, &scan, NULL), 0);
    check_scan(sc, parties, 2, &scan);
    scan_free(&scan);
    pl_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_two_parties),
        cmocka_unit_test(test_random_three_parties),
        cmocka_unit_test(test_random_medium),
        cmocka_unit_test(test_single_outcome),
        cmocka_unit_test(test_all_ties),
        cmocka_unit_test(test_identical_and_opposite),
        cmocka_unit_test(test_filter_bucket_edges),
        cmocka_unit_test(test_max_points),
        cmocka_unit_test(test_not_enumerable),
        cmocka_unit_test(test_scan_space),
        cmocka_unit_test(test_enumerate_fills_scan),
        cmocka_unit_test(test_anac_energy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
