/* The search algorithm (best-effort Pareto frontier): on small random hyper-rectangle, linear and mixed scenarios
 * against a brute-force frontier computed here; validity of every returned point (real outcomes with the stated
 * utilities, mutually non-dominated); determinism; and the ANAC 2014 10-issue scenario (10^10 outcomes) against
 * its published frontier (pareto.xml). */
#include <time.h>

#include "testutil.h"

#include "analysis/analysis_internal.h"

static uint64_t rng_state;
static uint64_t rnd(void)
{
    return tu_splitmix(&rng_state);
}

static uint32_t rnd_below(uint32_t n)
{
    return (uint32_t)(rnd() % n);
}

typedef enum kind { K_RECT, K_LINEAR } kind;

/* Rectangles per function and bounds per rectangle: small by default; tight makes many narrow rectangles that
 * conflict, hence frontiers of many points. */
static int tight;

/* A random hyper-rectangle function: a few rectangles of one to three bounds (some excluding), integral utilities
 * with an occasional negative one, so equal vectors and plateaus are common. */
static pl_ufun *random_rect(const pl_space *s, size_t ni, const uint32_t *nv)
{
    size_t nr = tight ? 24 + rnd_below(8) : 3 + rnd_below(10);
    double max_u = 0;
    double util[32];
    for (size_t r = 0; r < nr; r++) {
        util[r] = rnd_below(8) == 0 ? -(double)(1 + rnd_below(20)) : (double)(1 + rnd_below(100));
        max_u += util[r] > 0 ? util[r] : 0;
    }
    pl_ufun *u = tu_ufun_rect_new(s, max_u > 0 ? max_u : 1);
    assert_non_null(u);
    for (size_t r = 0; r < nr; r++) {
        pl_rect_bound b[6];
        size_t nb = tight ? 3 + rnd_below(4) : 1 + rnd_below(3);
        for (size_t k = 0; k < nb; k++) {
            b[k].issue = rnd_below((uint32_t)ni);
            uint32_t x = rnd_below(nv[b[k].issue]), y = tight ? x + rnd_below(3) : rnd_below(nv[b[k].issue]);
            y = y < nv[b[k].issue] ? y : nv[b[k].issue] - 1;
            b[k].lo = x < y ? x : y;
            b[k].hi = x < y ? y : x;
            b[k].exclude = !tight && rnd_below(6) == 0;
        }
        assert_int_equal(pl_ufun_rect_add(u, util[r], nb, b), 0);
    }
    return u;
}

/* A random linear additive function; values on a coarse grid so that distinct outcomes often tie. */
static pl_ufun *random_linear(const pl_space *s, size_t ni, const uint32_t *nv)
{
    pl_ufun *u = tu_ufun_linear_new(s);
    assert_non_null(u);
    double tab[16];
    for (size_t i = 0; i < ni; i++) {
        for (uint32_t v = 0; v < nv[i]; v++) {
            tab[v] = (double)rnd_below(11) / 10.0;
        }
        assert_int_equal(pl_ufun_linear_set_table(u, i, tab), 0);
        assert_int_equal(pl_ufun_linear_set_weight(u, i, (double)(1 + rnd_below(9)) / (double)(5 * ni)), 0);
    }
    return u;
}

/* ni issues of nv[i] values (integer or discrete) and np parties, party k of kind kinds[k]. */
static pl_scenario *random_scenario(size_t ni, const uint32_t *nv, size_t np, const kind *kinds)
{
    pl_space *s = tu_space_new();
    assert_non_null(s);
    for (size_t i = 0; i < ni; i++) {
        char name[32];
        snprintf(name, sizeof name, "i%zu", i);
        if (i % 3 == 2) {
            const char *labels[16];
            char buf[16][16];
            for (uint32_t v = 0; v < nv[i]; v++) {
                snprintf(buf[v], sizeof buf[v], "v%u", v);
                labels[v] = buf[v];
            }
            assert_int_equal(pl_space_add_discrete(s, name, nv[i], labels, NULL), 0);
        } else {
            assert_int_equal(pl_space_add_integer(s, name, 0, (int64_t)nv[i] - 1, 1, NULL), 0);
        }
    }
    pl_scenario *sc = tu_scenario_new(s);
    assert_non_null(sc);
    for (size_t k = 0; k < np; k++) {
        char name[32];
        snprintf(name, sizeof name, "p%zu", k);
        pl_ufun *u = kinds[k] == K_RECT ? random_rect(s, ni, nv) : random_linear(s, ni, nv);
        assert_int_equal(pl_scenario_add_party(sc, name, u, NULL), 0);
    }
    return sc;
}

/* The exact frontier by enumeration: distinct non-dominated vectors (np each) into *out; returns their number.
 * Also every party's best and worst utility. */
static size_t brute_frontier(const pl_scenario *sc, size_t np, double **out, double *best, double *worst)
{
    const pl_space *s = pl_scenario_space(sc);
    uint64_t count;
    assert_int_equal(pl_space_outcome_count(s, &count), 0);
    size_t n = 0, cap = 64;
    double *f = malloc(cap * np * sizeof *f);
    uint32_t o[16];
    double u[4];
    assert_non_null(f);
    for (uint64_t x = 0; x < count; x++) {
        assert_int_equal(pl_space_outcome_at(s, x, o), 0);
        for (size_t k = 0; k < np; k++) {
            u[k] = pl_ufun_eval(pl_scenario_ufun(sc, k), o);
            if (x == 0 || u[k] > best[k]) {
                best[k] = u[k];
            }
            if (x == 0 || u[k] < worst[k]) {
                worst[k] = u[k];
            }
        }
        int skip = 0;
        for (size_t j = 0; j < n && !skip; j++) {
            skip = memcmp(f + j * np, u, np * sizeof *u) == 0 || pl__dominates(f + j * np, u, np);
        }
        if (skip) {
            continue;
        }
        size_t m = 0;
        for (size_t j = 0; j < n; j++) {
            if (!pl__dominates(u, f + j * np, np)) {
                memmove(f + m * np, f + j * np, np * sizeof *f);
                m++;
            }
        }
        n = m;
        if (n == cap) {
            cap *= 2;
            f = realloc(f, cap * np * sizeof *f);
            assert_non_null(f);
        }
        memcpy(f + n * np, u, np * sizeof *u);
        n++;
    }
    *out = f;
    return n;
}

/* Every point holds real outcomes with exactly the stated utilities (stored ascending and distinct, at most cap),
 * points are mutually non-dominated and ordered as documented. */
static void check_valid(const pl_scenario *sc, const pl_frontier *f, uint32_t cap)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t np = pl_frontier_party_count(f), ni = pl_space_issue_count(s);
    assert_int_equal(pl_frontier_exact(f), 0);
    assert_int_equal(pl_frontier_algorithm(f), PL_PARETO_SEARCH);
    for (size_t k = 0; k < pl_frontier_size(f); k++) {
        const double *u = pl_frontier_utilities(f, k);
        size_t no = pl_frontier_outcome_count(f, k);
        assert_true(no >= 1 && no <= cap);
        assert_true(pl_frontier_outcome_total(f, k) >= no);
        for (size_t j = 0; j < no; j++) {
            const uint32_t *o = pl_frontier_outcome(f, k, j);
            assert_true(pl_space_outcome_valid(s, o));
            for (size_t p = 0; p < np; p++) {
                /* Same function, same outcome: bit-identical. */
                assert_true(pl_ufun_eval(pl_scenario_ufun(sc, pl_frontier_party(f, p)), o) == u[p]);
            }
            if (j > 0) {
                assert_true(memcmp(pl_frontier_outcome(f, k, j - 1), o, ni * sizeof *o) != 0);
            }
        }
        for (size_t q = 0; q < pl_frontier_size(f); q++) {
            if (q != k) {
                const double *v = pl_frontier_utilities(f, q);
                assert_false(pl__dominates(v, u, np));
                assert_true(memcmp(u, v, np * sizeof *u) != 0);
            }
        }
        if (k > 0) {
            assert_true(pl_frontier_utilities(f, k - 1)[0] >= u[0]);
        }
    }
}

static int has_vector(const pl_frontier *f, const double *u)
{
    size_t np = pl_frontier_party_count(f);
    for (size_t k = 0; k < pl_frontier_size(f); k++) {
        if (memcmp(pl_frontier_utilities(f, k), u, np * sizeof *u) == 0) {
            return 1;
        }
    }
    return 0;
}

static void scan_free(pl__scan *scan)
{
    free(scan->best);
    free(scan->worst);
    free(scan->best_u);
    free(scan->worst_u);
}

/* Small spaces (at most 10^4 outcomes), 2 and 3 parties, rectangle, linear and mixed functions. */
static void test_small_spaces_against_brute_force(void **state)
{
    (void)state;
    rng_state = 20140610;
    size_t scenarios = 0, exact = 0, true_points = 0, found = 0, spurious = 0, ext = 0, ext_ok = 0;
    for (int t = 0; t < 48; t++) {
        size_t np = t % 4 == 3 ? 3 : 2;
        kind kinds[3];
        for (size_t k = 0; k < np; k++) {
            /* Thirds: all rectangles, all linear, mixed. */
            kinds[k] = (t % 3 == 0 || (t % 3 == 2 && k == 0)) ? K_RECT : K_LINEAR;
        }
        size_t ni = 2 + rnd_below(4);
        uint32_t nv[8];
        uint64_t size = 1;
        for (size_t i = 0; i < ni; i++) {
            nv[i] = 2 + rnd_below(9);
            while (size * nv[i] > 10000) {
                nv[i]--;
            }
            size *= nv[i];
        }
        pl_scenario *sc = random_scenario(ni, nv, np, kinds);
        double *bf = NULL, best[3], worst[3];
        size_t nbf = brute_frontier(sc, np, &bf, best, worst);

        pl_analysis_options o;
        pl_analysis_options_init(&o);
        o.algorithm = PL_PARETO_SEARCH;
        o.seed = (uint64_t)t + 1;
        o.search_restarts = 50;
        o.outcomes_per_point = 4;
        pl_frontier *f = NULL;
        pl__scan scan;
        memset(&scan, 0, sizeof scan);
        pl_diag d;
        pl_diag_clear(&d);
        assert_int_equal(pl__frontier_compute_scan(sc, &o, &f, &scan, &d), 0);
        check_valid(sc, f, o.outcomes_per_point);

        size_t hit = 0;
        for (size_t j = 0; j < nbf; j++) {
            hit += (size_t)has_vector(f, bf + j * np);
        }
        /* A returned point off the true frontier is dominated by a true point the search missed. */
        size_t off = 0;
        for (size_t k = 0; k < pl_frontier_size(f); k++) {
            int on = 0;
            for (size_t j = 0; j < nbf && !on; j++) {
                on = memcmp(bf + j * np, pl_frontier_utilities(f, k), np * sizeof(double)) == 0;
            }
            off += (size_t)!on;
        }
        assert_true(off <= nbf - hit);
        scenarios++;
        exact += hit == nbf && off == 0;
        true_points += nbf;
        found += hit;
        spurious += off;

        /* Extremes: every party's best and worst found, real outcomes with those utilities. */
        assert_int_equal(scan.extremes_known, 1);
        assert_int_equal(scan.zopa_known, 0);
        for (size_t k = 0; k < np; k++) {
            const pl_ufun *u = pl_scenario_ufun(sc, k);
            assert_true(pl_ufun_eval(u, scan.best + k * ni) == scan.best_u[k]);
            assert_true(pl_ufun_eval(u, scan.worst + k * ni) == scan.worst_u[k]);
            assert_true(scan.best_u[k] <= best[k] && scan.worst_u[k] >= worst[k]);
            ext += 2;
            ext_ok += (size_t)(scan.best_u[k] == best[k]) + (size_t)(scan.worst_u[k] == worst[k]);
        }
        if (hit < nbf) {
            print_message("scenario %d (%zu parties, %zu issues, %llu outcomes): %zu of %zu points\n", t, np, ni,
                          (unsigned long long)size, hit, nbf);
        }
        scan_free(&scan);
        pl_frontier_free(f);
        free(bf);
        pl_scenario_free(sc);
    }
    print_message("small spaces: %zu/%zu scenarios exact; %zu/%zu frontier points found, %zu spurious; "
                  "%zu/%zu extremes exact\n",
                  exact, scenarios, found, true_points, spurious, ext_ok, ext);
    assert_true(found * 100 >= true_points * 95);
    assert_true(exact * 100 >= scenarios * 90);
    assert_true(ext_ok * 100 >= ext * 90);
}

/* One party alone: the frontier is its best vector. */
static void test_single_party(void **state)
{
    (void)state;
    rng_state = 7;
    uint32_t nv[3] = {5, 7, 4};
    kind kinds[2] = {K_RECT, K_LINEAR};
    pl_scenario *sc = random_scenario(3, nv, 2, kinds);
    double *bf = NULL, best[2], worst[2];
    brute_frontier(sc, 2, &bf, best, worst);
    for (size_t p = 0; p < 2; p++) {
        pl_analysis_options o;
        pl_analysis_options_init(&o);
        o.algorithm = PL_PARETO_SEARCH;
        o.parties = &p;
        o.n_parties = 1;
        o.search_restarts = 10;
        pl_frontier *f = NULL;
        assert_int_equal(pl_frontier_compute(sc, &o, &f, NULL), 0);
        check_valid(sc, f, o.outcomes_per_point);
        assert_int_equal(pl_frontier_size(f), 1);
        assert_int_equal(pl_frontier_party(f, 0), p);
        assert_true(pl_frontier_utilities(f, 0)[0] == best[p]);
        pl_frontier_free(f);
    }
    free(bf);
    pl_scenario_free(sc);
}

/* Degenerate inputs: a space without issues (one empty outcome), no restarts asked for (one is run), one outcome
 * kept per point. */
static void test_edge_cases(void **state)
{
    (void)state;
    pl_space *s = tu_space_new();
    assert_non_null(s);
    pl_scenario *sc = tu_scenario_new(s);
    assert_non_null(sc);
    assert_int_equal(pl_scenario_add_party(sc, "a", tu_ufun_linear_new(s), NULL), 0);
    pl_ufun *r = tu_ufun_rect_new(s, 2);
    assert_int_equal(pl_ufun_rect_add(r, 1, 0, NULL), 0);
    assert_int_equal(pl_scenario_add_party(sc, "b", r, NULL), 0);
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_SEARCH;
    pl_frontier *f = NULL;
    pl__scan scan;
    memset(&scan, 0, sizeof scan);
    assert_int_equal(pl__frontier_compute_scan(sc, &o, &f, &scan, NULL), 0);
    assert_int_equal(pl_frontier_size(f), 1);
    assert_true(pl_frontier_utilities(f, 0)[0] == 0 && pl_frontier_utilities(f, 0)[1] == 0.5);
    assert_int_equal(pl_frontier_outcome_count(f, 0), 1);
    assert_true(scan.best_u[1] == 0.5 && scan.worst_u[1] == 0.5);
    scan_free(&scan);
    pl_frontier_free(f);
    pl_scenario_free(sc);

    rng_state = 3;
    uint32_t nv[4] = {6, 5, 7, 3};
    kind kinds[3] = {K_RECT, K_LINEAR, K_RECT};
    sc = random_scenario(4, nv, 3, kinds);
    o.search_restarts = 0;
    o.outcomes_per_point = 1;
    assert_int_equal(pl_frontier_compute(sc, &o, &f, NULL), 0);
    check_valid(sc, f, 1);
    assert_true(pl_frontier_size(f) >= 1);
    pl_frontier_free(f);
    pl_scenario_free(sc);
}

static void assert_same_frontier(const pl_frontier *a, const pl_frontier *b, size_t ni)
{
    size_t np = pl_frontier_party_count(a);
    assert_int_equal(pl_frontier_size(a), pl_frontier_size(b));
    for (size_t k = 0; k < pl_frontier_size(a); k++) {
        assert_memory_equal(pl_frontier_utilities(a, k), pl_frontier_utilities(b, k), np * sizeof(double));
        assert_int_equal(pl_frontier_outcome_total(a, k), pl_frontier_outcome_total(b, k));
        assert_int_equal(pl_frontier_outcome_count(a, k), pl_frontier_outcome_count(b, k));
        for (size_t j = 0; j < pl_frontier_outcome_count(a, k); j++) {
            assert_memory_equal(pl_frontier_outcome(a, k, j), pl_frontier_outcome(b, k, j), ni * sizeof(uint32_t));
        }
    }
}

/* Same seed, same result (frontier and extremes), on spaces too large for the search to exhaust: 2 parties
 * (rectangles; linear and rectangles; 9^8 outcomes) and 3 (rectangles, 8^7). */
static void test_deterministic(void **state)
{
    (void)state;
    for (int c = 0; c < 3; c++) {
        rng_state = 99 + (uint64_t)c;
        size_t np = c < 2 ? 2 : 3, ni = c < 2 ? 8 : 7;
        uint32_t nv[8] = {9, 9, 9, 9, 9, 9, 9, 9};
        if (c == 2) {
            for (size_t i = 0; i < ni; i++) {
                nv[i] = 8;
            }
        }
        kind kinds[3] = {c == 1 ? K_LINEAR : K_RECT, K_RECT, K_RECT};
        tight = 1;
        pl_scenario *sc = random_scenario(ni, nv, np, kinds);
        tight = 0;
        pl_analysis_options o;
        pl_analysis_options_init(&o);
        o.algorithm = PL_PARETO_SEARCH;
        o.search_restarts = 20;
        pl_frontier *f[3];
        pl__scan scan[3];
        for (int r = 0; r < 3; r++) {
            memset(&scan[r], 0, sizeof scan[r]);
            o.seed = r < 2 ? 12345 : 54321;
            assert_int_equal(pl__frontier_compute_scan(sc, &o, &f[r], &scan[r], NULL), 0);
            check_valid(sc, f[r], o.outcomes_per_point);
        }
        assert_same_frontier(f[0], f[1], ni);
        assert_memory_equal(scan[0].best, scan[1].best, np * ni * sizeof(uint32_t));
        assert_memory_equal(scan[0].worst, scan[1].worst, np * ni * sizeof(uint32_t));
        assert_memory_equal(scan[0].best_u, scan[1].best_u, np * sizeof(double));
        assert_memory_equal(scan[0].worst_u, scan[1].worst_u, np * sizeof(double));
        /* Another seed is just as valid (checked above); how the two runs compare. */
        size_t common = 0;
        for (size_t k = 0; k < pl_frontier_size(f[2]); k++) {
            common += (size_t)has_vector(f[0], pl_frontier_utilities(f[2], k));
        }
        print_message("%zu parties (%s): seed 12345 %zu points (twice, identical; first u0 = %.6f); seed 54321 %zu "
                      "points, %zu in common\n",
                      np, c == 1 ? "linear, rectangles" : "rectangles", pl_frontier_size(f[0]),
                      pl_frontier_utilities(f[0], 0)[0], pl_frontier_size(f[2]), common);
        for (int r = 0; r < 3; r++) {
            scan_free(&scan[r]);
            pl_frontier_free(f[r]);
        }
        pl_scenario_free(sc);
    }
}

/* a dominates b beyond a tolerance: no worse than eps below anywhere, better by more than eps somewhere. */
static int dominates_tol(const double *a, const double *b, double eps)
{
    int strict = 0;
    for (int k = 0; k < 2; k++) {
        if (a[k] < b[k] - eps) {
            return 0;
        }
        strict |= a[k] > b[k] + eps;
    }
    return strict;
}

/* ANAC 2014, 10 issues of 10 values (10^10 outcomes), 2 hyper-rectangle parties: the published frontier. */
static void test_anac2014_published_frontier(void **state)
{
    (void)state;
    TU_NEED_ANAC();
    const char *dir = tu_anac("y2014/10issues");
    if (!tu_is_dir(dir)) {
        print_message("%s not found\n", dir);
        skip();
    }
    char path[1200];
    snprintf(path, sizeof path, "%s/pareto.xml", dir);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        print_message("%s not found\n", path);
        skip();
    }
    /* Not well-formed XML: "x, y" utility pairs per line, profile-1 then profile-2. */
    double pub[64][2];
    size_t npub = 0;
    char line[256];
    while (fgets(line, sizeof line, fp) && npub < 64) {
        if (sscanf(line, " %lf , %lf", &pub[npub][0], &pub[npub][1]) == 2) {
            npub++;
        }
    }
    fclose(fp);
    assert_true(npub >= 2);

    pl_scenario *sc = tu_load1(dir);
    const pl_space *s = pl_scenario_space(sc);
    uint64_t count;
    assert_int_equal(pl_space_outcome_count(s, &count), 0);
    assert_int_equal(count, 10000000000ull);
    long p1 = pl_scenario_find_party(sc, "profile-1"), p2 = pl_scenario_find_party(sc, "profile-2");
    assert_true(p1 >= 0 && p2 >= 0);
    size_t parties[2] = {(size_t)p1, (size_t)p2};
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_SEARCH;
    o.parties = parties;
    o.n_parties = 2;
    pl_frontier *f = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(pl_frontier_compute(sc, &o, &f, &d), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    check_valid(sc, f, o.outcomes_per_point);

    size_t n = pl_frontier_size(f), matched = 0, pub_dominated = 0, found_dominated = 0;
    for (size_t j = 0; j < npub; j++) {
        int m = 0, dom = 0;
        for (size_t k = 0; k < n; k++) {
            const double *u = pl_frontier_utilities(f, k);
            m |= fabs(u[0] - pub[j][0]) <= 1e-6 && fabs(u[1] - pub[j][1]) <= 1e-6;
            dom |= dominates_tol(u, pub[j], 1e-6);
        }
        matched += (size_t)m;
        pub_dominated += (size_t)dom;
    }
    for (size_t k = 0; k < n; k++) {
        int dom = 0;
        for (size_t j = 0; j < npub; j++) {
            dom |= dominates_tol(pub[j], pl_frontier_utilities(f, k), 1e-6);
        }
        found_dominated += (size_t)dom;
    }
    print_message("ANAC 2014 10issues: search found %zu points in %.3f s (seed %llu, %u restarts); published %zu: "
                  "%zu matched, %zu published dominated by the search, %zu search points dominated by published\n",
                  n, secs, (unsigned long long)o.seed, o.search_restarts, npub, matched, pub_dominated,
                  found_dominated);
    for (size_t k = 0; k < n; k++) {
        const double *u = pl_frontier_utilities(f, k);
        print_message("  %.8f, %.8f (%zu outcomes kept)\n", u[0], u[1], pl_frontier_outcome_count(f, k));
    }
    /* What the search achieves: the whole published frontier and nothing beside it. */
    assert_int_equal(matched, npub);
    assert_int_equal(pub_dominated, 0);
    assert_int_equal(found_dominated, 0);
    assert_int_equal(n, npub);
    pl_frontier_free(f);
    pl_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_spaces_against_brute_force),
        cmocka_unit_test(test_single_party),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_anac2014_published_frontier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
