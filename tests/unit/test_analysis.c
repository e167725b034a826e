/* Bargaining points and measures: against values computed independently (a separate script over the ANAC files)
 * for two ANAC scenarios, and against brute force over every outcome on hundreds of random small scenarios. */
#include "testutil.h"

static uint64_t rng_state = 0x1234567ull;
static uint64_t rnd(void)
{
    return tu_splitmix(&rng_state);
}

static void check_point(const pl_scenario *sc, const pl_analysis *a, pl_point_kind k, double u0, double u1,
                        const char *outcome)
{
    const pl_frontier *f = pl_analysis_frontier(a);
    long p = pl_analysis_point(a, k);
    assert_true(p >= 0);
    const double *u = pl_frontier_utilities(f, (size_t)p);
    assert_double_equal(u[0], u0, 1e-12);
    assert_double_equal(u[1], u1, 1e-12);
    uint32_t o[16];
    tu_outcome(pl_scenario_space(sc), outcome, o);
    assert_memory_equal(pl_frontier_outcome(f, (size_t)p, 0), o, pl_space_issue_count(pl_scenario_space(sc)) * 4);
}

/* Values from an independent Python computation over the XML files (all outcomes, no frontier shortcut). */
static void test_england_zimbabwe(void **state)
{
    (void)state;
    TU_NEED_ANAC();
    pl_scenario *sc = tu_load1(tu_anac("y2010/EnglandZimbabwe"));
    pl_analysis *a = NULL;
    pl_diag d;
    assert_int_equal(pl_analyze(sc, NULL, &a, &d), 0);
    const pl_frontier *f = pl_analysis_frontier(a);
    assert_int_equal(pl_frontier_size(f), 25);
    assert_true(pl_frontier_exact(f));
    const char *common = "Size of Fund=$10 billion,Impact on Other Aid=Reduction equal to fund size,"
                         "Zimbabwe Trade Policy=Zimbabwe will increase tariffs on imports,"
                         "England Trade Policy=England will increase imports,";
    char nash[512], ks[512];
    snprintf(nash, sizeof nash, "%sForum on Other Health Issues=Creation of committee to discuss creation of fund",
             common);
    snprintf(ks, sizeof ks, "%sForum on Other Health Issues=Creation of fund", common);
    check_point(sc, a, PL_POINT_NASH, 0.9109162864320959, 0.7332182800675319, nash);
    check_point(sc, a, PL_POINT_MAX_WELFARE, 0.9109162864320959, 0.7332182800675319, nash);
    check_point(sc, a, PL_POINT_KALAI_SMORODINSKY, 0.8222863965160295, 0.7865697962902025, ks);
    check_point(sc, a, PL_POINT_EGALITARIAN, 0.8222863965160295, 0.7865697962902025, ks);
    assert_double_equal(pl_analysis_opposition(a), 0.272116956002922, 1e-12);
    uint64_t z;
    assert_int_equal(pl_analysis_zopa(a, &z), 0);
    assert_int_equal(z, 576);
    pl_analysis_free(a);
    pl_scenario_free(sc);
}

static void test_barter_with_reservations(void **state)
{
    (void)state;
    TU_NEED_ANAC();
    pl_scenario *sc = tu_load1(tu_anac("y2012/BarterC"));
    pl_analysis *a = NULL;
    pl_diag d;
    assert_int_equal(pl_analyze(sc, NULL, &a, &d), 0);
    assert_int_equal(pl_frontier_size(pl_analysis_frontier(a)), 25);
    check_point(sc, a, PL_POINT_NASH, 0.654, 0.6500000000000001, "price=4gm,CookingOil=8ml,Sugar=4gm");
    check_point(sc, a, PL_POINT_KALAI_SMORODINSKY, 0.654, 0.6500000000000001, "price=4gm,CookingOil=8ml,Sugar=4gm");
    check_point(sc, a, PL_POINT_EGALITARIAN, 0.654, 0.6500000000000001, "price=4gm,CookingOil=8ml,Sugar=4gm");
    check_point(sc, a, PL_POINT_MAX_WELFARE, 0.474, 0.8500000000000001, "price=6gm,CookingOil=8ml,Sugar=4gm");
    assert_double_equal(pl_analysis_opposition(a), 0.49215444730287655, 1e-12);
    uint64_t z;
    assert_int_equal(pl_analysis_zopa(a, &z), 0);
    assert_int_equal(z, 78); /* reservations 0.25 exclude 2 of the 80 outcomes */
    pl_analysis_free(a);
    pl_scenario_free(sc);
}

/* ---- Random scenarios against brute force ---- */

static pl_scenario *random_scenario(size_t np, int with_rect, int reservations_high)
{
    pl_space *s = tu_space_new();
    size_t ni = 1 + rnd() % 4;
    for (size_t i = 0; i < ni; i++) {
        char name[24];
        snprintf(name, sizeof name, "i%zu", i);
        assert_int_equal(pl_space_add_integer(s, name, 0, (int64_t)(rnd() % 5), 1, NULL), 0);
    }
    pl_scenario *sc = tu_scenario_new(s);
    for (size_t p = 0; p < np; p++) {
        pl_ufun *u;
        if (with_rect && p == np - 1) {
            u = tu_ufun_rect_new(s, 10);
            for (int r = 0; r < 6; r++) {
                pl_rect_bound b = {.issue = (uint32_t)(rnd() % ni)};
                uint32_t nv = pl_space_value_count(s, b.issue);
                b.lo = (uint32_t)(rnd() % nv);
                b.hi = b.lo + (uint32_t)(rnd() % (nv - b.lo));
                assert_int_equal(pl_ufun_rect_add(u, (double)(rnd() % 4), 1, &b), 0);
            }
        } else {
            u = tu_ufun_linear_new(s);
            for (size_t i = 0; i < ni; i++) {
                uint32_t nv = pl_space_value_count(s, i);
                double t[8];
                for (uint32_t v = 0; v < nv; v++) {
                    t[v] = (double)(rnd() % 4) / 3.0; /* few distinct values: many ties */
                }
                pl_ufun_linear_set_table(u, i, t);
                pl_ufun_linear_set_weight(u, i, 1.0 / (double)ni);
            }
        }
        pl_ufun_set_reservation(u, reservations_high ? 2.0 : (double)(rnd() % 4) / 8.0);
        char name[24];
        snprintf(name, sizeof name, "p%zu", p);
        assert_int_equal(pl_scenario_add_party(sc, name, u, NULL), 0);
    }
    return sc;
}

static void brute_check(const pl_scenario *sc, const pl_analysis *a)
{
    const pl_space *s = pl_scenario_space(sc);
    const pl_frontier *f = pl_analysis_frontier(a);
    size_t np = pl_frontier_party_count(f), ni = pl_space_issue_count(s);
    uint64_t n;
    assert_int_equal(pl_space_outcome_count(s, &n), 0);
    double res[4], ideal[4], bestv[4], worstv[4];
    uint64_t besti[4] = {0}, worsti[4] = {0};
    for (size_t k = 0; k < np; k++) {
        res[k] = pl_ufun_reservation(pl_scenario_ufun(sc, pl_frontier_party(f, k)));
        ideal[k] = -1e300;
    }
    /* Pass 1: ideal, extremes, zopa, the acceptable tops. */
    double top[4];
    int any_ok = 0;
    uint64_t zopa = 0;
    double opp = 1e300;
    uint32_t o[8];
    for (uint64_t x = 0; x < n; x++) {
        pl_space_outcome_at(s, x, o);
        double u[4], dist = 0;
        int ok = 1;
        for (size_t k = 0; k < np; k++) {
            u[k] = pl_ufun_eval(pl_scenario_ufun(sc, pl_frontier_party(f, k)), o);
            ok &= u[k] >= res[k];
            double gap = u[k] < 1 ? 1 - u[k] : 0;
            dist += gap * gap;
            if (x == 0 || u[k] > bestv[k]) {
                bestv[k] = u[k];
                besti[k] = x;
            }
            if (x == 0 || u[k] < worstv[k]) {
                worstv[k] = u[k];
                worsti[k] = x;
            }
            ideal[k] = u[k] > ideal[k] ? u[k] : ideal[k];
        }
        dist = sqrt(dist);
        opp = dist < opp ? dist : opp;
        if (ok) {
            zopa++;
            for (size_t k = 0; k < np; k++) {
                top[k] = (!any_ok || u[k] > top[k]) ? u[k] : top[k];
            }
            any_ok = 1;
        }
    }
    /* Pass 2: the best value of every criterion over all outcomes. */
    double bestc[4] = {-1e300, -1e300, -1e300, -1e300};
    for (uint64_t x = 0; x < n; x++) {
        pl_space_outcome_at(s, x, o);
        double u[4], prod = 1, ming = 1e300, minr = 1e300, welfare = 0;
        int ok = 1;
        for (size_t k = 0; k < np; k++) {
            u[k] = pl_ufun_eval(pl_scenario_ufun(sc, pl_frontier_party(f, k)), o);
            ok &= u[k] >= res[k];
            welfare += u[k];
            prod *= u[k] - res[k];
            ming = u[k] - res[k] < ming ? u[k] - res[k] : ming;
            double span = top[k] - res[k];
            double rel = span > 0 ? (u[k] - res[k]) / span : 1;
            minr = rel < minr ? rel : minr;
        }
        bestc[PL_POINT_MAX_WELFARE] = welfare > bestc[PL_POINT_MAX_WELFARE] ? welfare : bestc[PL_POINT_MAX_WELFARE];
        if (ok) {
            bestc[PL_POINT_NASH] = prod > bestc[PL_POINT_NASH] ? prod : bestc[PL_POINT_NASH];
            bestc[PL_POINT_EGALITARIAN] = ming > bestc[PL_POINT_EGALITARIAN] ? ming : bestc[PL_POINT_EGALITARIAN];
            bestc[PL_POINT_KALAI_SMORODINSKY] =
                minr > bestc[PL_POINT_KALAI_SMORODINSKY] ? minr : bestc[PL_POINT_KALAI_SMORODINSKY];
        }
    }
    for (int kind = 0; kind < PL_POINT_KINDS; kind++) {
        long p = pl_analysis_point(a, (pl_point_kind)kind);
        if (kind != PL_POINT_MAX_WELFARE && !any_ok) {
            assert_int_equal(p, -1);
            continue;
        }
        assert_true(p >= 0);
        const double *u = pl_frontier_utilities(f, (size_t)p);
        double prod = 1, ming = 1e300, minr = 1e300, welfare = 0;
        for (size_t k = 0; k < np; k++) {
            welfare += u[k];
            prod *= u[k] - res[k];
            ming = u[k] - res[k] < ming ? u[k] - res[k] : ming;
            double span = top[k] - res[k];
            double rel = span > 0 ? (u[k] - res[k]) / span : 1;
            minr = rel < minr ? rel : minr;
        }
        double got = kind == PL_POINT_NASH ? prod
                     : kind == PL_POINT_KALAI_SMORODINSKY ? minr
                     : kind == PL_POINT_EGALITARIAN       ? ming
                                                          : welfare;
        assert_double_equal(got, bestc[kind], 1e-12);
    }
    uint64_t z;
    assert_int_equal(pl_analysis_zopa(a, &z), 0);
    assert_int_equal(z, zopa);
    assert_double_equal(pl_analysis_opposition(a), opp, 1e-12);
    for (size_t k = 0; k < np; k++) {
        assert_double_equal(pl_analysis_ideal(a)[k], ideal[k], 0);
        double bu, wu;
        const uint32_t *b = pl_analysis_best(a, k, &bu), *w = pl_analysis_worst(a, k, &wu);
        assert_non_null(b);
        assert_non_null(w);
        assert_double_equal(bu, bestv[k], 0);
        assert_double_equal(wu, worstv[k], 0);
        uint64_t bi, wi;
        pl_space_outcome_index(s, b, &bi);
        pl_space_outcome_index(s, w, &wi);
        assert_int_equal(bi, besti[k]);
        assert_int_equal(wi, worsti[k]);
    }
    (void)ni;
}

static void test_random_against_brute_force(void **state)
{
    (void)state;
    for (int trial = 0; trial < 300; trial++) {
        size_t np = 2 + (size_t)(trial % 2);
        int rect = trial % 3 == 0;
        pl_scenario *sc = random_scenario(np, rect, trial % 17 == 0);
        pl_analysis_options o;
        pl_analysis_options_init(&o);
        o.threads = 1 + (unsigned)(trial % 3);
        pl_analysis *a = NULL;
        pl_diag d;
        int rc = pl_analyze(sc, &o, &a, &d);
        if (rc < 0) {
            print_error("trial %d: %s\n", trial, d.message);
        }
        assert_int_equal(rc, 0);
        brute_check(sc, a);
        pl_analysis_free(a);
        pl_scenario_free(sc);
    }
}

static void test_party_subset(void **state)
{
    (void)state;
    pl_scenario *sc = random_scenario(3, 0, 0);
    size_t parties[2] = {2, 0};
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.parties = parties;
    o.n_parties = 2;
    pl_analysis *a = NULL;
    pl_diag d;
    assert_int_equal(pl_analyze(sc, &o, &a, &d), 0);
    const pl_frontier *f = pl_analysis_frontier(a);
    assert_int_equal(pl_frontier_party_count(f), 2);
    assert_int_equal(pl_frontier_party(f, 0), 2);
    assert_int_equal(pl_frontier_party(f, 1), 0);
    brute_check(sc, a);
    pl_analysis_free(a);
    size_t twice[2] = {1, 1};
    o.parties = twice;
    assert_int_equal(pl_analyze(sc, &o, &a, &d), PL_EINVAL);
    assert_null(a);
    pl_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_england_zimbabwe),
        cmocka_unit_test(test_barter_with_reservations),
        cmocka_unit_test(test_random_against_brute_force),
        cmocka_unit_test(test_party_subset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
