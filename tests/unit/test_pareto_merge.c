/* The merge algorithm (PL_PARETO_MERGE) against a brute force written here: every outcome evaluated with
 * pl_ufun_eval, the non-dominated vectors kept and equal vectors grouped. Random small linear scenarios (1 to 4
 * parties, ties from tables with few distinct values, identical and opposite preferences, single outcomes), hand-made
 * cases (a tie that only appears after rounding, saturated counts, size limits) and the linear ANAC scenarios. */
#include <dirent.h>

#include "testutil.h"

#define MAXP 12 /* ANAC 2015 has 9-party scenarios */

static uint64_t rng_state;

/* splitmix64 (Steele, Lea & Flood 2014). */
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double rnd_unit(void)
{
    return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

static uint32_t rnd_below(uint32_t n)
{
    return (uint32_t)(rnd() % n);
}

/* ---- Building scenarios ---- */

/* ni discrete issues with nv[i] values; party p has weights w[p * ni + i] and tables t[p][slot] (slots: the issues'
 * values one after another). */
static pl_scenario *build(size_t ni, const uint32_t *nv, size_t np, const double *w, double *const *t)
{
    pl_space *s = pl_space_new();
    assert_non_null(s);
    for (size_t i = 0; i < ni; i++) {
        char name[32];
        char lab[64][16];
        const char *labels[64];
        assert_true(nv[i] <= 64);
        for (uint32_t v = 0; v < nv[i]; v++) {
            snprintf(lab[v], sizeof lab[v], "v%u", (unsigned)v);
            labels[v] = lab[v];
        }
        snprintf(name, sizeof name, "i%zu", i);
        assert_int_equal(pl_space_add_discrete(s, name, nv[i], labels, NULL), 0);
    }
    pl_scenario *sc = pl_scenario_new(s);
    assert_non_null(sc);
    for (size_t p = 0; p < np; p++) {
        pl_ufun *u = pl_ufun_linear_new(pl_scenario_space(sc));
        assert_non_null(u);
        size_t slot = 0;
        for (size_t i = 0; i < ni; i++) {
            assert_int_equal(pl_ufun_linear_set_weight(u, i, w[p * ni + i]), 0);
            assert_int_equal(pl_ufun_linear_set_table(u, i, t[p] + slot), 0);
            slot += nv[i];
        }
        char name[32];
        snprintf(name, sizeof name, "p%zu", p);
        assert_int_equal(pl_scenario_add_party(sc, name, u, NULL), 0);
    }
    return sc;
}

/* ---- The brute force ---- */

typedef struct bf_entry {
    double u[MAXP];
    uint64_t idx;
} bf_entry;

/* Vectors descending (unused coordinates are 0), then dense index ascending. */
static int bf_cmp(const void *a, const void *b)
{
    const bf_entry *x = a, *y = b;
    for (size_t k = 0; k < MAXP; k++) {
        if (x->u[k] != y->u[k]) {
            return x->u[k] > y->u[k] ? -1 : 1;
        }
    }
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int bf_dominates(const double *a, const double *b, size_t np)
{
    int strict = 0;
    for (size_t k = 0; k < np; k++) {
        if (a[k] < b[k]) {
            return 0;
        }
        strict |= a[k] > b[k];
    }
    return strict;
}

/* Compare pl_frontier_compute(merge) with the brute force on parties[np] (NULL: all), keeping cap outcomes a point. */
static void check_parties(const pl_scenario *sc, const size_t *parties, size_t np, uint32_t cap)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s);
    size_t party[MAXP];
    assert_true(np >= 1 && np <= MAXP);
    for (size_t k = 0; k < np; k++) {
        party[k] = parties ? parties[k] : k;
    }
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_MERGE;
    o.outcomes_per_point = cap;
    o.parties = parties;
    o.n_parties = parties ? np : 0;
    pl_frontier *f = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_frontier_compute(sc, &o, &f, &d);
    if (rc != 0) {
        print_error("merge failed: %s\n", d.message);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(pl_frontier_algorithm(f), PL_PARETO_MERGE);
    assert_int_equal(pl_frontier_exact(f), 1);
    assert_int_equal(pl_frontier_party_count(f), np);

    uint64_t n;
    assert_int_equal(pl_space_outcome_count(s, &n), 0);
    bf_entry *e = calloc(n, sizeof *e);
    uint32_t *oc = malloc((ni ? ni : 1) * sizeof *oc);
    size_t *kept = malloc(n * sizeof *kept);
    assert_non_null(e);
    assert_non_null(oc);
    assert_non_null(kept);
    for (uint64_t x = 0; x < n; x++) {
        assert_int_equal(pl_space_outcome_at(s, x, oc), 0);
        for (size_t k = 0; k < np; k++) {
            e[x].u[k] = pl_ufun_eval(pl_scenario_ufun(sc, party[k]), oc);
        }
        e[x].idx = x;
    }
    qsort(e, n, sizeof *e, bf_cmp);
    size_t nk = 0, point = 0;
    for (size_t g = 0; g < n;) {
        size_t end = g + 1;
        while (end < n && memcmp(e[end].u, e[g].u, sizeof e[g].u) == 0) {
            end++;
        }
        int dominated = 0;
        for (size_t q = 0; q < nk && !dominated; q++) {
            dominated = bf_dominates(e[kept[q]].u, e[g].u, np);
        }
        if (!dominated) {
            kept[nk++] = g;
            /* The merge's point number `point` must be this group. */
            assert_true(point < pl_frontier_size(f));
            const double *fu = pl_frontier_utilities(f, point);
            for (size_t k = 0; k < np; k++) {
                if (fu[k] != e[g].u[k]) {
                    print_error("point %zu party %zu: merge %.17g, brute force %.17g\n", point, k, fu[k], e[g].u[k]);
                }
                assert_true(fu[k] == e[g].u[k]);
            }
            uint64_t total = end - g;
            assert_int_equal(pl_frontier_outcome_total(f, point), total);
            size_t stored = total < cap ? (size_t)total : cap;
            assert_int_equal(pl_frontier_outcome_count(f, point), stored);
            for (size_t j = 0; j < stored; j++) {
                assert_int_equal(pl_space_outcome_at(s, e[g + j].idx, oc), 0);
                assert_memory_equal(pl_frontier_outcome(f, point, j), oc, ni * sizeof *oc);
            }
            point++;
        }
        g = end;
    }
    assert_int_equal(pl_frontier_size(f), point);
    free(e);
    free(oc);
    free(kept);
    pl_frontier_free(f);
}

static void check_all(const pl_scenario *sc, uint32_t cap)
{
    check_parties(sc, NULL, pl_scenario_party_count(sc), cap);
}

/* ---- Random scenarios ---- */

/* Table styles: continuous, few distinct dyadic values (exact ties), decimal values (ties broken by rounding). */
static double draw_value(int style)
{
    static const double dyadic[] = {0.0, 0.25, 0.5, 0.75, 1.0};
    static const double decimal[] = {0.1, 0.2, 0.3, 0.6, 0.7};
    switch (style) {
    case 0:
        return rnd_unit();
    case 1:
        return dyadic[rnd_below(5)];
    case 2:
        return decimal[rnd_below(5)];
    default:
        return rnd_below(2) ? 1.0 : 0.0;
    }
}

static double draw_weight(int style)
{
    static const double decimal[] = {0.1, 0.2, 0.3, 0.15};
    switch (style) {
    case 0:
        return 0.05 + rnd_unit();
    case 1:
        return 1.0;
    default:
        return decimal[rnd_below(4)];
    }
}

/* The largest sum a party can reach, as pl__merge_applicable computes it. */
static double max_sum(size_t ni, const uint32_t *nv, const double *w, const double *t)
{
    double hi = 0;
    size_t slot = 0;
    for (size_t i = 0; i < ni; i++) {
        double mx = w[i] * t[slot];
        for (uint32_t v = 0; v < nv[i]; v++) {
            mx = w[i] * t[slot + v] > mx ? w[i] * t[slot + v] : mx;
        }
        hi += mx;
        slot += nv[i];
    }
    return hi;
}

/* One random scenario; relation: 0 independent, 1 party 1 = party 0, 2 party 1 opposite to party 0 (reversed
 * tables), 3 mixed (party 1 opposite, party 2 = party 0). */
static pl_scenario *random_scenario(size_t ni, size_t np, uint32_t maxv, int vstyle, int wstyle, int relation)
{
    uint32_t nv[8];
    size_t slots = 0;
    for (size_t i = 0; i < ni; i++) {
        nv[i] = 1 + rnd_below(maxv);
        slots += nv[i];
    }
    double w[MAXP * 8];
    double *t[MAXP];
    for (size_t p = 0; p < np; p++) {
        t[p] = malloc(slots * sizeof *t[p]);
        assert_non_null(t[p]);
        for (size_t q = 0; q < slots; q++) {
            t[p][q] = draw_value(vstyle);
        }
        for (size_t i = 0; i < ni; i++) {
            w[p * ni + i] = draw_weight(wstyle);
        }
        int copy = (relation == 1 && p == 1) || (relation == 3 && p == 2);
        int opposite = (relation == 2 || relation == 3) && p == 1;
        if (copy || opposite) {
            memcpy(w + p * ni, w, ni * sizeof *w);
            size_t slot = 0;
            for (size_t i = 0; i < ni; i++) {
                for (uint32_t v = 0; v < nv[i]; v++) {
                    t[p][slot + v] = opposite ? t[0][slot + nv[i] - 1 - v] : t[0][slot + v];
                }
                slot += nv[i];
            }
        }
        /* Keep every sum inside [0, 1] so that the merge applies: halve the weights until it does. */
        if (wstyle == 0) {
            double total = 0;
            for (size_t i = 0; i < ni; i++) {
                total += w[p * ni + i];
            }
            for (size_t i = 0; i < ni; i++) {
                w[p * ni + i] /= total;
            }
        }
        while (max_sum(ni, nv, w + p * ni, t[p]) > 1) {
            for (size_t i = 0; i < ni; i++) {
                w[p * ni + i] *= 0.5;
            }
        }
    }
    pl_scenario *sc = build(ni, nv, np, w, t);
    for (size_t p = 0; p < np; p++) {
        free(t[p]);
    }
    return sc;
}

static void test_random_two_parties(void **state)
{
    (void)state;
    rng_state = 2;
    static const uint32_t caps[] = {1, 2, 3, 16};
    for (int r = 0; r < 400; r++) {
        size_t ni = 1 + rnd_below(5);
        pl_scenario *sc = random_scenario(ni, 2, 6, (int)rnd_below(4), (int)rnd_below(3), (int)rnd_below(3));
        check_all(sc, caps[rnd_below(4)]);
        pl_scenario_free(sc);
    }
}

static void test_random_three_parties(void **state)
{
    (void)state;
    rng_state = 3;
    static const uint32_t caps[] = {1, 2, 3, 16};
    for (int r = 0; r < 300; r++) {
        size_t ni = 1 + rnd_below(5);
        pl_scenario *sc = random_scenario(ni, 3, 6, (int)rnd_below(4), (int)rnd_below(3), (int)rnd_below(4));
        check_all(sc, caps[rnd_below(4)]);
        pl_scenario_free(sc);
    }
}

/* One party and four parties take other paths of the filter; party subsets and orders are honoured. */
static void test_random_other_party_counts(void **state)
{
    (void)state;
    rng_state = 4;
    for (int r = 0; r < 150; r++) {
        size_t ni = 1 + rnd_below(4);
        pl_scenario *sc = random_scenario(ni, 4, 5, (int)rnd_below(4), (int)rnd_below(3), (int)rnd_below(4));
        check_all(sc, 1 + rnd_below(4));
        size_t one = rnd_below(4);
        check_parties(sc, &one, 1, 2);
        size_t two[2] = {3, 1};
        check_parties(sc, two, 2, 3);
        size_t three[3] = {2, 0, 3};
        check_parties(sc, three, 3, 2);
        pl_scenario_free(sc);
    }
}

/* Larger random spaces (up to a few tens of thousands of outcomes), where partial frontiers get long. */
static void test_random_larger(void **state)
{
    (void)state;
    rng_state = 5;
    for (int r = 0; r < 24; r++) {
        size_t np = 2 + (size_t)(r % 2);
        pl_scenario *sc = random_scenario(6 + rnd_below(2), np, 5, r % 4, (r / 4) % 3, (r / 2) % 3);
        check_all(sc, 4);
        pl_scenario_free(sc);
    }
}

/* ---- Hand-made cases ---- */

/* 0.1 and the next double up differ by 2^-56; adding 0.5 rounds both to the same double, so the two outcomes share
 * one frontier vector. Pruning the smaller value as dominated within its issue would lose one of them. */
static void test_tie_created_by_rounding(void **state)
{
    (void)state;
    uint32_t nv[2] = {2, 1};
    double a[3] = {0.1, nextafter(0.1, 1.0), 0.5};
    double b[3] = {0.3, 0.3, 0.5};
    double *t[2] = {a, b};
    double w[4] = {1, 1, 1, 1};
    pl_scenario *sc = build(2, nv, 2, w, t);
    uint32_t o0[2] = {0, 0}, o1[2] = {1, 0};
    assert_true(pl_ufun_eval(pl_scenario_ufun(sc, 0), o0) == pl_ufun_eval(pl_scenario_ufun(sc, 0), o1));
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_MERGE;
    pl_frontier *f = NULL;
    assert_int_equal(pl_frontier_compute(sc, &o, &f, NULL), 0);
    assert_int_equal(pl_frontier_size(f), 1);
    assert_int_equal(pl_frontier_outcome_total(f, 0), 2);
    assert_int_equal(pl_frontier_outcome_count(f, 0), 2);
    assert_memory_equal(pl_frontier_outcome(f, 0, 0), o0, sizeof o0);
    assert_memory_equal(pl_frontier_outcome(f, 0, 1), o1, sizeof o1);
    pl_frontier_free(f);
    check_all(sc, 16);
    pl_scenario_free(sc);
}

/* The same trap with the near-tie built up over several issues of decimal weights. */
static void test_decimal_near_ties(void **state)
{
    (void)state;
    uint32_t nv[4] = {3, 3, 3, 3};
    double a[12] = {0.1, 0.2, 0.3, 0.3, 0.2, 0.1, 0.2, 0.3, 0.1, 0.7, 0.1, 0.2};
    double b[12] = {0.3, 0.2, 0.1, 0.1, 0.2, 0.3, 0.2, 0.1, 0.3, 0.1, 0.7, 0.6};
    double *t[2] = {a, b};
    double w[8] = {0.3, 0.3, 0.3, 0.1, 0.3, 0.3, 0.3, 0.1};
    pl_scenario *sc = build(4, nv, 2, w, t);
    check_all(sc, 16);
    check_all(sc, 1);
    pl_scenario_free(sc);
}

static void test_single_outcome(void **state)
{
    (void)state;
    uint32_t nv[3] = {1, 1, 1};
    double a[3] = {0.2, 0.5, 0.3}, b[3] = {0.0, 0.0, 0.0}, c[3] = {1, 1, 1};
    double *t[3] = {a, b, c};
    double w[9] = {1, 1, 1, 1, 1, 1, 0.25, 0.25, 0.5};
    pl_scenario *sc = build(3, nv, 3, w, t);
    check_all(sc, 1);
    pl_frontier *f = NULL;
    assert_int_equal(pl_frontier_compute(sc, NULL, &f, NULL), 0); /* auto picks merge */
    assert_int_equal(pl_frontier_algorithm(f), PL_PARETO_MERGE);
    assert_int_equal(pl_frontier_size(f), 1);
    assert_int_equal(pl_frontier_outcome_total(f, 0), 1);
    pl_frontier_free(f);
    pl_scenario_free(sc);
}

/* Identical preferences: the frontier is the best vector; every outcome sharing it is counted. */
static void test_identical_preferences(void **state)
{
    (void)state;
    uint32_t nv[3] = {3, 2, 4};
    double a[9] = {1, 0.5, 1, 1, 1, 1, 0.25, 1, 1};
    double *t[2] = {a, a};
    double w[6] = {0.25, 0.25, 0.5, 0.25, 0.25, 0.5};
    pl_scenario *sc = build(3, nv, 2, w, t);
    check_all(sc, 16);
    pl_frontier *f = NULL;
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_MERGE;
    assert_int_equal(pl_frontier_compute(sc, &o, &f, NULL), 0);
    assert_int_equal(pl_frontier_size(f), 1);
    assert_true(pl_frontier_utilities(f, 0)[0] == 1.0);
    assert_int_equal(pl_frontier_outcome_total(f, 0), 2 * 2 * 3);
    pl_frontier_free(f);
    pl_scenario_free(sc);
}

/* Opposite preferences on one issue: every value is efficient. */
static void test_opposite_preferences(void **state)
{
    (void)state;
    uint32_t nv[2] = {5, 3};
    double a[8] = {0, 0.25, 0.5, 0.75, 1, 0, 0.5, 1};
    double b[8] = {1, 0.75, 0.5, 0.25, 0, 1, 0.5, 0};
    double *t[2] = {a, b};
    double w[4] = {0.5, 0.5, 0.5, 0.5};
    pl_scenario *sc = build(2, nv, 2, w, t);
    check_all(sc, 16);
    check_all(sc, 1);
    pl_frontier *f = NULL;
    assert_int_equal(pl_frontier_compute(sc, NULL, &f, NULL), 0);
    /* Sums 0, 0.125, ..., 1 for the first party, with 1 minus that for the second: 9 points. */
    assert_int_equal(pl_frontier_size(f), 9);
    pl_frontier_free(f);
    pl_scenario_free(sc);
}

/* 70 issues whose two values are worth the same: 2^70 outcomes share one vector; the count saturates and the stored
 * outcomes are the first ones in dense order (last issue fastest). */
static void test_saturated_count(void **state)
{
    (void)state;
    enum { NI = 70 };
    uint32_t nv[NI];
    double a[2 * NI], w[2 * NI];
    for (size_t i = 0; i < NI; i++) {
        nv[i] = 2;
        a[2 * i] = a[2 * i + 1] = 1.0 / 128;
        w[i] = w[NI + i] = 1.0;
    }
    double *t[2] = {a, a};
    pl_scenario *sc = build(NI, nv, 2, w, t);
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_MERGE;
    o.outcomes_per_point = 5;
    pl_frontier *f = NULL;
    assert_int_equal(pl_frontier_compute(sc, &o, &f, NULL), 0);
    assert_int_equal(pl_frontier_size(f), 1);
    assert_true(pl_frontier_outcome_total(f, 0) == UINT64_MAX);
    assert_int_equal(pl_frontier_outcome_count(f, 0), 5);
    for (size_t j = 0; j < 5; j++) {
        const uint32_t *oc = pl_frontier_outcome(f, 0, j);
        for (size_t i = 0; i < NI; i++) {
            /* j in binary over the last issues. */
            uint32_t want = i >= NI - 3 ? (uint32_t)((j >> (NI - 1 - i)) & 1) : 0;
            assert_int_equal(oc[i], want);
        }
    }
    pl_frontier_free(f);
    pl_scenario_free(sc);
}

/* Too many points for max_points: PL_ETOOBIG with a message, nothing leaked (the sanitizer build checks). */
static void test_too_many_points(void **state)
{
    (void)state;
    rng_state = 6;
    pl_scenario *sc = random_scenario(6, 2, 6, 0, 0, 2);
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_MERGE;
    pl_frontier *f = NULL;
    assert_int_equal(pl_frontier_compute(sc, &o, &f, NULL), 0);
    size_t n = pl_frontier_size(f);
    assert_true(n > 3);
    pl_frontier_free(f);
    o.max_points = 3;
    pl_diag d;
    pl_diag_clear(&d);
    f = NULL;
    assert_int_equal(pl_frontier_compute(sc, &o, &f, &d), PL_ETOOBIG);
    assert_null(f);
    assert_true(d.message[0] != '\0');
    for (uint64_t m = 1; m < n; m++) {
        o.max_points = m;
        assert_int_equal(pl_frontier_compute(sc, &o, &f, NULL), PL_ETOOBIG);
    }
    o.max_points = n + 1000; /* partial frontiers may be longer than the final one */
    assert_int_equal(pl_frontier_compute(sc, &o, &f, NULL), 0);
    assert_int_equal(pl_frontier_size(f), n);
    pl_frontier_free(f);
    pl_scenario_free(sc);
}

/* Sums that can leave [0, 1] are refused: the clamp would break additivity. */
static void test_not_applicable(void **state)
{
    (void)state;
    uint32_t nv[2] = {2, 2};
    double a[4] = {0, 1, 0, 1}, b[4] = {1, 0, 1, 0};
    double *t[2] = {a, b};
    double w[4] = {0.6, 0.6, 0.5, 0.5};
    pl_scenario *sc = build(2, nv, 2, w, t);
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_MERGE;
    pl_frontier *f = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_frontier_compute(sc, &o, &f, &d), PL_EINVAL);
    assert_null(f);
    size_t second = 1;
    o.parties = &second;
    o.n_parties = 1;
    assert_int_equal(pl_frontier_compute(sc, &o, &f, &d), 0); /* the second party alone is fine */
    pl_frontier_free(f);
    pl_scenario_free(sc);
}

/* Too large to brute-force: every stored outcome evaluates to its point, points are sorted and mutually
 * non-dominated, stored outcomes ascend. */
static void test_large_space_consistency(void **state)
{
    (void)state;
    rng_state = 7;
    for (int r = 0; r < 6; r++) {
        size_t np = 2 + (size_t)(r % 2);
        size_t ni = np == 2 ? 8 : 7;
        pl_scenario *sc = random_scenario(ni, np, 8, r % 3 == 0 ? 0 : 1, r % 3, r % 3);
        pl_analysis_options o;
        pl_analysis_options_init(&o);
        o.algorithm = PL_PARETO_MERGE;
        o.outcomes_per_point = 3;
        pl_frontier *f = NULL;
        assert_int_equal(pl_frontier_compute(sc, &o, &f, NULL), 0);
        size_t n = pl_frontier_size(f);
        assert_true(n >= 1);
        for (size_t k = 0; k < n; k++) {
            const double *u = pl_frontier_utilities(f, k);
            if (k > 0) {
                const double *prev = pl_frontier_utilities(f, k - 1);
                assert_true(prev[0] >= u[0]);
            }
            for (size_t q = 0; q < n && n < 3000; q++) {
                assert_false(bf_dominates(pl_frontier_utilities(f, q), u, np));
            }
            size_t c = pl_frontier_outcome_count(f, k);
            assert_true(c >= 1 && c <= 3);
            assert_true(pl_frontier_outcome_total(f, k) >= c);
            for (size_t j = 0; j < c; j++) {
                const uint32_t *oc = pl_frontier_outcome(f, k, j);
                for (size_t p = 0; p < np; p++) {
                    assert_true(pl_ufun_eval(pl_scenario_ufun(sc, p), oc) == u[p]);
                }
                if (j > 0) {
                    assert_true(memcmp(pl_frontier_outcome(f, k, j - 1), oc, ni * sizeof *oc) != 0);
                }
            }
        }
        pl_frontier_free(f);
        pl_scenario_free(sc);
    }
}

/* ---- ANAC ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every linear ANAC scenario of the given years with at most 400,000 outcomes: merge equals the brute force. */
static void test_anac(void **state)
{
    (void)state;
    TU_NEED_ANAC();
    static const char *years[] = {"y2010", "y2011", "y2012", "y2015"};
    size_t checked = 0, skipped = 0;
    for (size_t y = 0; y < sizeof years / sizeof *years; y++) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s", tu_anac(years[y]));
        DIR *dp = opendir(dir);
        if (!dp) {
            continue;
        }
        char *names[256];
        size_t nn = 0;
        struct dirent *de;
        while ((de = readdir(dp)) != NULL && nn < 256) {
            if (de->d_name[0] != '.') {
                names[nn++] = strdup(de->d_name);
            }
        }
        closedir(dp);
        qsort(names, nn, sizeof *names, cmp_str);
        for (size_t q = 0; q < nn; q++) {
            char path[2048];
            snprintf(path, sizeof path, "%s/%s", dir, names[q]);
            if (!tu_is_dir(path)) {
                free(names[q]);
                continue;
            }
            pl_scenario *sc = tu_load1(path);
            uint64_t n = 0;
            size_t np = pl_scenario_party_count(sc);
            int linear = np >= 1 && np <= MAXP;
            for (size_t p = 0; p < np && linear; p++) {
                linear = pl_ufun_kind_of(pl_scenario_ufun(sc, p)) == PL_UFUN_LINEAR;
            }
            pl_frontier *f = NULL;
            pl_analysis_options o;
            pl_analysis_options_init(&o);
            o.algorithm = PL_PARETO_MERGE;
            int applicable = linear && pl_frontier_compute(sc, &o, &f, NULL) == 0;
            pl_frontier_free(f);
            if (applicable && pl_space_outcome_count(pl_scenario_space(sc), &n) == 0 && n <= 400000) {
                check_all(sc, 16);
                check_all(sc, 1);
                if (np > 3) {
                    /* The 2- and 3-party filters on real data too. */
                    static const size_t first[3] = {0, 1, 2}, last[3] = {2, 1, 0};
                    check_parties(sc, first, 2, 4);
                    check_parties(sc, last, 3, 4);
                }
                checked++;
            } else {
                print_message("  not checked: %s/%s (%s)\n", years[y], names[q],
                              np > MAXP ? "too many parties" : !linear ? "not linear"
                              : !applicable ? "sums can leave [0, 1]" : "too large");
                skipped++;
            }
            pl_scenario_free(sc);
            free(names[q]);
        }
    }
    print_message("  %zu ANAC scenarios checked against the brute force, %zu not checked\n", checked, skipped);
    assert_true(checked > 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tie_created_by_rounding),
        cmocka_unit_test(test_decimal_near_ties),
        cmocka_unit_test(test_single_outcome),
        cmocka_unit_test(test_identical_preferences),
        cmocka_unit_test(test_opposite_preferences),
        cmocka_unit_test(test_saturated_count),
        cmocka_unit_test(test_too_many_points),
        cmocka_unit_test(test_not_applicable),
        cmocka_unit_test(test_random_two_parties),
        cmocka_unit_test(test_random_three_parties),
        cmocka_unit_test(test_random_other_party_counts),
        cmocka_unit_test(test_random_larger),
        cmocka_unit_test(test_large_space_consistency),
        cmocka_unit_test(test_anac),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
