/* The merge algorithm (PL_PARETO_MERGE) against a brute force written here: every outcome evaluated with
 * pl_ufun_eval, the non-dominated vectors kept and equal vectors grouped. Random small linear scenarios (1 to 4
 * parties, ties from tables with few distinct values, identical and opposite preferences, single outcomes; sums
 * inside [0, 1] and sums the utility's clamp cuts at 1 or at 0), hand-made cases (a tie that only appears after
 * rounding or after the clamp, saturated counts, size limits) and the linear ANAC scenarios. */
#include <dirent.h>

#include "testutil.h"

#define MAXP 12 /* ANAC 2015 has 9-party scenarios */

static uint64_t rng_state;

/* splitmix64 (Steele, Lea & Flood 2014). */
static uint64_t rnd(void)
{
    return tu_splitmix(&rng_state);
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
    pl_space *s = tu_space_new();
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
    pl_scenario *sc = tu_scenario_new(s);
    assert_non_null(sc);
    for (size_t p = 0; p < np; p++) {
        pl_ufun *u = tu_ufun_linear_new(pl_scenario_space(sc));
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

/* Compare pl_frontier_compute(merge) with the brute force on parties[np] (NULL: all), keeping caps[c] outcomes a
 * point (one merge run per cap, one brute force for all). */
static void check_parties_caps(const pl_scenario *sc, const size_t *parties, size_t np, const uint32_t *caps,
                               size_t ncaps)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s);
    size_t party[MAXP];
    assert_true(np >= 1 && np <= MAXP);
    for (size_t k = 0; k < np; k++) {
        party[k] = parties ? parties[k] : k;
    }

    /* The brute force: every outcome's vector, sorted; the frontier's q-th group of equal vectors is
     * e[kept[q] .. kend[q]). */
    uint64_t n;
    assert_int_equal(pl_space_outcome_count(s, &n), 0);
    bf_entry *e = calloc(n, sizeof *e);
    uint32_t *oc = malloc((ni ? ni : 1) * sizeof *oc);
    size_t *kept = malloc(n * sizeof *kept), *kend = malloc(n * sizeof *kend);
    assert_non_null(e);
    assert_non_null(oc);
    assert_non_null(kept);
    assert_non_null(kend);
    for (uint64_t x = 0; x < n; x++) {
        assert_int_equal(pl_space_outcome_at(s, x, oc), 0);
        for (size_t k = 0; k < np; k++) {
            e[x].u[k] = pl_ufun_eval(pl_scenario_ufun(sc, party[k]), oc);
        }
        e[x].idx = x;
    }
    qsort(e, n, sizeof *e, bf_cmp);
    size_t nk = 0;
    for (size_t g = 0; g < n;) {
        size_t end = g + 1;
        while (end < n && memcmp(e[end].u, e[g].u, sizeof e[g].u) == 0) {
            end++;
        }
        int dominated = 0;
        for (size_t q = 0; q < nk && !dominated; q++) {
            dominated = tu_dominates(e[kept[q]].u, e[g].u, np);
        }
        if (!dominated) {
            kend[nk] = end;
            kept[nk++] = g;
        }
        g = end;
    }

    for (size_t c = 0; c < ncaps; c++) {
        uint32_t cap = caps[c];
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
        size_t nf = pl_frontier_size(f);
        for (size_t point = 0; point < nk && point < nf; point++) {
            /* The merge's point number `point` must be this group. */
            size_t g = kept[point];
            const double *fu = pl_frontier_utilities(f, point);
            for (size_t k = 0; k < np; k++) {
                if (fu[k] != e[g].u[k]) {
                    print_error("point %zu party %zu: merge %.17g, brute force %.17g\n", point, k, fu[k], e[g].u[k]);
                }
                assert_true(fu[k] == e[g].u[k]);
            }
            uint64_t total = kend[point] - g;
            assert_int_equal(pl_frontier_outcome_total(f, point), total);
            size_t stored = total < cap ? (size_t)total : cap;
            assert_int_equal(pl_frontier_outcome_count(f, point), stored);
            for (size_t j = 0; j < stored; j++) {
                assert_int_equal(pl_space_outcome_at(s, e[g + j].idx, oc), 0);
                assert_memory_equal(pl_frontier_outcome(f, point, j), oc, ni * sizeof *oc);
            }
        }
        assert_int_equal(nf, nk);
        pl_frontier_free(f);
    }
    free(e);
    free(oc);
    free(kept);
    free(kend);
}

static void check_parties(const pl_scenario *sc, const size_t *parties, size_t np, uint32_t cap)
{
    check_parties_caps(sc, parties, np, &cap, 1);
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

/* The largest (sign 1) or smallest (sign -1) sum a party can reach before the clamp, as pl_ufun_eval adds up. */
static double extreme_sum(size_t ni, const uint32_t *nv, const double *w, const double *t, int sign)
{
    double acc = 0;
    size_t slot = 0;
    for (size_t i = 0; i < ni; i++) {
        double best = w[i] * t[slot];
        for (uint32_t v = 0; v < nv[i]; v++) {
            double x = w[i] * t[slot + v];
            best = sign * x > sign * best ? x : best;
        }
        acc += best;
        slot += nv[i];
    }
    return acc;
}

static double max_sum(size_t ni, const uint32_t *nv, const double *w, const double *t)
{
    return extreme_sum(ni, nv, w, t, 1);
}

/* Where the sums of a random scenario's parties lie. */
typedef enum range {
    RANGE_INSIDE,  /* inside [0, 1]: the weights are halved until they are */
    RANGE_1_2,     /* the best sum is scaled to about 1.2 */
    RANGE_2,       /* to about 2 */
    RANGE_TINY,    /* to about 1 + 1e-12 */
    RANGE_SUM1,    /* weights divided by their sum and every issue's best value 1: the best sum is 1, give or take a
                    * rounding step */
    RANGE_NEG,     /* tables shifted down by 0.25, 0.5 or 0.75 (negative entries), the best sum scaled to 0.8 or 1.2 */
    RANGE_DYADIC,  /* dyadic tables and weights (1/8 to 1/2), not scaled: exact sums, exact ties, often past 1 */
    RANGE_ZERO,    /* as RANGE_INSIDE, then the first issue's table shifted so that the worst sum is about -1e-12 */
    RANGES
} range;

/* How many random parties could reach past 1 and below 0 (the clamp's two sides). */
static size_t n_over, n_under;

/* One random scenario; relation: 0 independent, 1 party 1 = party 0, 2 party 1 opposite to party 0 (reversed
 * tables), 3 mixed (party 1 opposite, party 2 = party 0); rg: where the sums lie. */
static pl_scenario *random_scenario_in(size_t ni, size_t np, uint32_t maxv, int vstyle, int wstyle, int relation,
                                       range rg)
{
    uint32_t nv[8];
    size_t slots = 0;
    for (size_t i = 0; i < ni; i++) {
        nv[i] = 1 + rnd_below(maxv);
        slots += nv[i];
    }
    double w[MAXP * 8];
    double *t[MAXP];
    double shift = rg == RANGE_NEG ? 0.25 * (1 + rnd_below(3)) : 0.0;
    for (size_t p = 0; p < np; p++) {
        t[p] = malloc(slots * sizeof *t[p]);
        assert_non_null(t[p]);
        for (size_t q = 0; q < slots; q++) {
            t[p][q] = draw_value(rg == RANGE_DYADIC ? 1 + 2 * (vstyle & 1) : vstyle) - shift;
        }
        if (rg == RANGE_SUM1) {
            size_t slot = 0;
            for (size_t i = 0; i < ni; i++) {
                double mx = 0;
                for (uint32_t v = 0; v < nv[i]; v++) {
                    mx = t[p][slot + v] > mx ? t[p][slot + v] : mx;
                }
                for (uint32_t v = 0; v < nv[i] && mx > 0; v++) {
                    t[p][slot + v] /= mx;
                }
                slot += nv[i];
            }
        }
        for (size_t i = 0; i < ni; i++) {
            w[p * ni + i] = rg == RANGE_DYADIC ? 0.125 * (1 + rnd_below(4)) : draw_weight(wstyle);
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
        /* Normalised weights; then either every sum inside [0, 1] (halve the weights until it is) or the best sum
         * scaled to the range's target. */
        if ((wstyle == 0 && rg != RANGE_DYADIC) || rg == RANGE_SUM1) {
            double total = 0;
            for (size_t i = 0; i < ni; i++) {
                total += w[p * ni + i];
            }
            for (size_t i = 0; i < ni; i++) {
                w[p * ni + i] /= total;
            }
        }
        double top = max_sum(ni, nv, w + p * ni, t[p]);
        if (rg == RANGE_INSIDE || rg == RANGE_ZERO) {
            while (max_sum(ni, nv, w + p * ni, t[p]) > 1) {
                for (size_t i = 0; i < ni; i++) {
                    w[p * ni + i] *= 0.5;
                }
            }
        } else if (rg != RANGE_SUM1 && rg != RANGE_DYADIC && top > 0) {
            double target = rg == RANGE_1_2 ? 1.2 : rg == RANGE_2 ? 2.0 : 1 + 1e-12;
            if (rg == RANGE_NEG) {
                target = rnd_below(2) ? 0.8 : 1.2;
            }
            for (size_t i = 0; i < ni; i++) {
                w[p * ni + i] *= target / top;
            }
        }
        if (rg == RANGE_ZERO && w[p * ni] > 0) {
            double shift0 = (extreme_sum(ni, nv, w + p * ni, t[p], -1) + 1e-12) / w[p * ni];
            for (uint32_t v = 0; v < nv[0]; v++) {
                t[p][v] -= shift0;
            }
        }
        n_over += extreme_sum(ni, nv, w + p * ni, t[p], 1) > 1;
        n_under += extreme_sum(ni, nv, w + p * ni, t[p], -1) < 0;
    }
    pl_scenario *sc = build(ni, nv, np, w, t);
    for (size_t p = 0; p < np; p++) {
        free(t[p]);
    }
    return sc;
}

static pl_scenario *random_scenario(size_t ni, size_t np, uint32_t maxv, int vstyle, int wstyle, int relation)
{
    return random_scenario_in(ni, np, maxv, vstyle, wstyle, relation, RANGE_INSIDE);
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

/* The same with sums the clamp cuts: every range in turn, 2, 3 and 4 parties (and party subsets). */
static void test_random_clamped(void **state)
{
    (void)state;
    rng_state = 8;
    n_over = n_under = 0;
    static const uint32_t caps[] = {1, 2, 3, 16};
    for (int r = 0; r < 1400; r++) {
        range rg = (range)(1 + r % (RANGES - 1));
        size_t np = r < 700 ? 2 : r < 1190 ? 3 : 4;
        size_t ni = 1 + rnd_below(np == 4 ? 4 : 5);
        pl_scenario *sc = random_scenario_in(ni, np, np == 4 ? 5 : 6, (int)rnd_below(4), (int)rnd_below(3),
                                             (int)rnd_below(np == 2 ? 3 : 4), rg);
        check_all(sc, caps[rnd_below(4)]);
        if (np == 4) {
            size_t one = rnd_below(4);
            check_parties(sc, &one, 1, 2);
            size_t two[2] = {3, 1};
            check_parties(sc, two, 2, 3);
            size_t three[3] = {2, 0, 3};
            check_parties(sc, three, 3, 2);
        }
        pl_scenario_free(sc);
    }
    /* The clamp really acted, on both sides, in many of them. */
    print_message("  %zu parties could pass 1, %zu fall below 0\n", n_over, n_under);
    assert_true(n_over > 1000);
    assert_true(n_under > 200);
}

/* Larger clamped spaces, where partial frontiers get long and many partial sums are near the clamp. */
static void test_random_clamped_larger(void **state)
{
    (void)state;
    rng_state = 9;
    for (int r = 0; r < 42; r++) {
        size_t np = 2 + (size_t)(r % 2);
        range rg = (range)(1 + r % (RANGES - 1));
        pl_scenario *sc = random_scenario_in(6 + rnd_below(2), np, 5, (r / 2) % 4, (r / 3) % 3, (r / 5) % 3, rg);
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

/* Sums that can leave [0, 1] are fine: the automatic choice is the merge, and the utilities are clamped. */
static void test_clamped_sums(void **state)
{
    (void)state;
    uint32_t nv[2] = {2, 2};
    double a[4] = {0, 1, 0, 1}, b[4] = {1, 0, 1, 0};
    double *t[2] = {a, b};
    double w[4] = {0.6, 0.6, 0.5, 0.5};
    pl_scenario *sc = build(2, nv, 2, w, t);
    check_all(sc, 16);
    pl_frontier *f = NULL;
    assert_int_equal(pl_frontier_compute(sc, NULL, &f, NULL), 0);
    assert_int_equal(pl_frontier_algorithm(f), PL_PARETO_MERGE);
    /* (1.2 -> 1, 0), (0.6, 0.5) twice, (0, 1). */
    assert_int_equal(pl_frontier_size(f), 3);
    assert_true(pl_frontier_utilities(f, 0)[0] == 1.0 && pl_frontier_utilities(f, 0)[1] == 0.0);
    assert_int_equal(pl_frontier_outcome_total(f, 1), 2);
    pl_frontier_free(f);
    pl_scenario_free(sc);
}

/* Table entries too large for the merge's rounding bounds (here infinite: 1e200 * 1e200) are refused; the automatic
 * choice goes elsewhere. */
static void test_not_applicable(void **state)
{
    (void)state;
    uint32_t nv[2] = {2, 2};
    double a[4] = {1e200, 0, 0, 1}, b[4] = {1, 0, 0, 1};
    double *t[2] = {a, b};
    double w[4] = {1e200, 0.5, 0.5, 0.5};
    pl_scenario *sc = build(2, nv, 2, w, t);
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_MERGE;
    pl_frontier *f = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_frontier_compute(sc, &o, &f, &d), PL_EINVAL);
    assert_null(f);
    assert_int_equal(pl_frontier_compute(sc, NULL, &f, NULL), 0);
    assert_int_equal(pl_frontier_algorithm(f), PL_PARETO_ENUMERATE);
    pl_frontier_free(f);
    size_t second = 1;
    o.parties = &second;
    o.n_parties = 1;
    assert_int_equal(pl_frontier_compute(sc, &o, &f, &d), 0); /* the second party alone is fine */
    pl_frontier_free(f);
    pl_scenario_free(sc);
}

/* Value 0 of the first issue beats value 1 for the first party (0.6 > 0.5) and ties for the second, but completed
 * by the second issue's value 0 both reach 1 (1.1 and 1.0, clamped): the outcomes (0, 0) and (1, 0) share the
 * vector (1, 0.2). Pruning value 1 as dominated within its issue would lose (1, 0). */
static void test_tie_at_one(void **state)
{
    (void)state;
    uint32_t nv[2] = {2, 2};
    double a[4] = {0.6, 0.5, 0.5, 0.0};
    double b[4] = {0.2, 0.2, 0.0, 0.5};
    double *t[2] = {a, b};
    double w[4] = {1, 1, 1, 1};
    pl_scenario *sc = build(2, nv, 2, w, t);
    check_all(sc, 16);
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_MERGE;
    pl_frontier *f = NULL;
    assert_int_equal(pl_frontier_compute(sc, &o, &f, NULL), 0);
    assert_int_equal(pl_frontier_size(f), 2);
    assert_true(pl_frontier_utilities(f, 0)[0] == 1.0 && pl_frontier_utilities(f, 0)[1] == 0.2);
    assert_int_equal(pl_frontier_outcome_total(f, 0), 2);
    uint32_t o0[2] = {0, 0}, o1[2] = {1, 0};
    assert_memory_equal(pl_frontier_outcome(f, 0, 0), o0, sizeof o0);
    assert_memory_equal(pl_frontier_outcome(f, 0, 1), o1, sizeof o1);
    pl_frontier_free(f);
    pl_scenario_free(sc);
}

/* The same at 0: -0.2 beats -0.3 for the first party, but with the second issue's value 0 both sums stay below 0
 * and clamp to 0, a tie. Three issues so that the tie also has to survive a partial frontier. */
static void test_tie_at_zero(void **state)
{
    (void)state;
    uint32_t nv[3] = {2, 2, 1};
    double a[5] = {-0.3, -0.2, 0.0, 0.5, 0.0};
    double b[5] = {0.5, 0.5, 0.5, 0.0, 0.0};
    double *t[2] = {a, b};
    double w[6] = {1, 1, 1, 1, 1, 1};
    pl_scenario *sc = build(3, nv, 2, w, t);
    check_all(sc, 16);
    pl_frontier *f = NULL;
    assert_int_equal(pl_frontier_compute(sc, NULL, &f, NULL), 0);
    assert_int_equal(pl_frontier_algorithm(f), PL_PARETO_MERGE);
    /* (0.3, 0.5) once; (0, 1) twice: (0, 0, 0) and (1, 0, 0). */
    assert_int_equal(pl_frontier_size(f), 2);
    assert_int_equal(pl_frontier_outcome_total(f, 0), 1);
    assert_true(pl_frontier_utilities(f, 1)[0] == 0.0 && pl_frontier_utilities(f, 1)[1] == 1.0);
    assert_int_equal(pl_frontier_outcome_total(f, 1), 2);
    pl_frontier_free(f);
    pl_scenario_free(sc);

    /* At the rounding level: 0.23 + (-0.05 + -0.18) is 2.8e-17, but pl_ufun_eval's (0.23 - 0.05) - 0.18 is 0, so the
     * first issue's value 0 does not stay above 0 for sure and ties value 1 (0.18) at (0, 1). */
    uint32_t nv3[3] = {2, 2, 2};
    double a3[6] = {0.23, 0.18, -0.05, 0.0, -0.18, 0.0};
    double b3[6] = {0.0, 0.0, 0.5, 0.0, 0.5, 0.0};
    double *t3[2] = {a3, b3};
    sc = build(3, nv3, 2, w, t3);
    assert_true(0.23 + (-0.05 + -0.18) > 0 && (0.23 + -0.05) + -0.18 <= 0);
    check_all(sc, 16);
    assert_int_equal(pl_frontier_compute(sc, NULL, &f, NULL), 0);
    size_t last = pl_frontier_size(f) - 1;
    assert_true(pl_frontier_utilities(f, last)[0] == 0.0 && pl_frontier_utilities(f, last)[1] == 1.0);
    assert_int_equal(pl_frontier_outcome_total(f, last), 2);
    pl_frontier_free(f);
    pl_scenario_free(sc);
}

/* When no party alone is sure to stay below 1 but the parties together cannot all reach 1 at once, being ahead on all
 * of them is enough, provided the dominating side stays above 0 on each and is truly ahead on each. Two traps:
 * (a) 2 parties: value 0 of the first issue is ahead of value 1 on both parties, and the two cannot both reach 1,
 * but the second issue's value 0 takes the second party below 0 for both and the first party to 1 for both: (1, 0)
 * is shared; (b) 3 parties: value 0 ties value 1 on the first party and is ahead on the others; completed by (0, 1,
 * 1) both give (0.1, 1, 1). */
static void test_joint_ties(void **state)
{
    (void)state;
    uint32_t nv[2] = {2, 2};
    double a[4] = {0.2, 0.1, 1.0, 0.0};
    double b[4] = {0.4, 0.3, -1.0, 0.8};
    double *t[2] = {a, b};
    double w[4] = {1, 1, 1, 1};
    pl_scenario *sc = build(2, nv, 2, w, t);
    check_all(sc, 16);
    pl_frontier *f = NULL;
    assert_int_equal(pl_frontier_compute(sc, NULL, &f, NULL), 0);
    assert_int_equal(pl_frontier_size(f), 2);
    assert_true(pl_frontier_utilities(f, 0)[0] == 1.0 && pl_frontier_utilities(f, 0)[1] == 0.0);
    assert_int_equal(pl_frontier_outcome_total(f, 0), 2);
    pl_frontier_free(f);
    pl_scenario_free(sc);

    uint32_t nv3[2] = {2, 3};
    double c0[5] = {0.1, 0.1, 0, 1, 1}, c1[5] = {0.3, 0.2, 1, 1, 0}, c2[5] = {0.3, 0.2, 1, 0, 1};
    double *t3[3] = {c0, c1, c2};
    double w3[6] = {1, 1, 1, 1, 1, 1};
    sc = build(2, nv3, 3, w3, t3);
    check_all(sc, 16);
    assert_int_equal(pl_frontier_compute(sc, NULL, &f, NULL), 0);
    int found = 0;
    for (size_t k = 0; k < pl_frontier_size(f); k++) {
        const double *u = pl_frontier_utilities(f, k);
        if (u[0] == 0.1 && u[1] == 1.0 && u[2] == 1.0) {
            assert_int_equal(pl_frontier_outcome_total(f, k), 2);
            found = 1;
        }
    }
    assert_true(found);
    pl_frontier_free(f);
    pl_scenario_free(sc);
}

/* Weights 0.2 + 0.4 + 0.3 + 0.1 add up to 1.0000000000000002 in issue order: the best outcome is clamped to 1 by
 * one rounding step, as in ten ANAC 2012 and 2015 scenarios. */
static void test_one_rounding_step(void **state)
{
    (void)state;
    uint32_t nv[4] = {3, 3, 2, 3};
    double a[11] = {1, 0.5, 0, 1, 0.25, 0, 1, 0, 1, 0.75, 0};
    double b[11] = {0, 0.5, 1, 0, 0.75, 1, 0, 1, 0, 0.25, 1};
    double *t[2] = {a, b};
    double w[8] = {0.2, 0.4, 0.3, 0.1, 0.2, 0.4, 0.3, 0.1};
    pl_scenario *sc = build(4, nv, 2, w, t);
    assert_true(0.2 + 0.4 + 0.3 + 0.1 > 1);
    uint32_t best[4] = {0, 0, 0, 0};
    assert_true(pl_ufun_eval(pl_scenario_ufun(sc, 0), best) == 1.0);
    check_all(sc, 16);
    check_all(sc, 1);
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
                assert_false(tu_dominates(pl_frontier_utilities(f, q), u, np));
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

/* 1 when some party's sum can leave [0, 1] before the clamp (the sums of the issues' extreme entries, added up in
 * issue order as pl_ufun_eval adds). */
static int clamp_can_act(const pl_scenario *sc)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s);
    for (size_t p = 0; p < pl_scenario_party_count(sc); p++) {
        const pl_ufun *u = pl_scenario_ufun(sc, p);
        double hi = 0, lo = 0;
        for (size_t i = 0; i < ni; i++) {
            double w = pl_ufun_linear_weight(u, i);
            double mx = w * pl_ufun_linear_value(u, i, 0), mn = mx;
            for (uint32_t v = 1; v < pl_space_value_count(s, i); v++) {
                double x = w * pl_ufun_linear_value(u, i, v);
                mx = x > mx ? x : mx;
                mn = x < mn ? x : mn;
            }
            hi += mx;
            lo += mn;
        }
        if (hi > 1 || lo < 0) {
            return 1;
        }
    }
    return 0;
}

/* Every linear ANAC scenario of the given years with at most 400,000 outcomes: merge equals the brute force. Among
 * them, the ones whose sums can pass 1 (Laptop, group5-car_domain by a little, ten more by one rounding step). */
static void test_anac(void **state)
{
    (void)state;
    TU_NEED_ANAC();
    static const char *years[] = {"y2010", "y2011", "y2012", "y2015"};
    size_t checked = 0, skipped = 0, clamped = 0;
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
            /* Every linear scenario is within the merge's reach now. */
            assert_int_equal(applicable, linear);
            if (applicable && pl_space_outcome_count(pl_scenario_space(sc), &n) == 0 && n <= 400000) {
                if (clamp_can_act(sc)) {
                    print_message("  clamped sums: %s/%s\n", years[y], names[q]);
                    clamped++;
                }
                static const uint32_t caps[2] = {16, 1};
                check_parties_caps(sc, NULL, np, caps, 2);
                if (np > 3) {
                    /* The 2- and 3-party filters on real data too. */
                    static const size_t first[3] = {0, 1, 2}, last[3] = {2, 1, 0};
                    check_parties(sc, first, 2, 4);
                    check_parties(sc, last, 3, 4);
                }
                checked++;
            } else {
                print_message("  not checked: %s/%s (%s)\n", years[y], names[q],
                              np > MAXP ? "too many parties" : !linear ? "not linear" : "too large");
                skipped++;
            }
            pl_scenario_free(sc);
            free(names[q]);
        }
    }
    print_message("  %zu ANAC scenarios checked against the brute force (%zu with clamped sums), %zu not checked\n",
                  checked, clamped, skipped);
    assert_true(checked > 50);
    assert_true(clamped >= 12);
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
        cmocka_unit_test(test_clamped_sums),
        cmocka_unit_test(test_not_applicable),
        cmocka_unit_test(test_tie_at_one),
        cmocka_unit_test(test_tie_at_zero),
        cmocka_unit_test(test_one_rounding_step),
        cmocka_unit_test(test_joint_ties),
        cmocka_unit_test(test_random_two_parties),
        cmocka_unit_test(test_random_three_parties),
        cmocka_unit_test(test_random_other_party_counts),
        cmocka_unit_test(test_random_larger),
        cmocka_unit_test(test_random_clamped),
        cmocka_unit_test(test_random_clamped_larger),
        cmocka_unit_test(test_large_space_consistency),
        cmocka_unit_test(test_anac),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
