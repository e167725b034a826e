/* Uncertain models: the ranges read from parley JSON, sampled models (draws inside their ranges, weights
 * renormalised to the original sum, the same model for the same seed and index), and the robustness of the
 * prediction across models, checked against a scenario whose answer is known: one issue, p2 accepts the move exactly
 * when its drawn value of it exceeds its reservation value. */
#include "testutil.h"

static pl_scenario *load_file(const char *path)
{
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_scenario_load(&path, 1, NULL, &sc, &d), 0);
    return sc;
}

static void test_ceasefire_ranges_and_samples(void **state)
{
    (void)state;
    const char *path = PL_SCENARIOS "/ceasefire-2025.json";
    pl_scenario *sc = load_file(path);
    pl_uncertainty *u = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_uncertainty_load(sc, path, &u, &d), 0);
    size_t nc = pl_uncertainty_count(u);
    assert_int_equal(nc, 15);
    char name[256];
    assert_string_equal(pl_uncertainty_param_name(u, 0, name, sizeof name), "russia reservation");
    const pl_space *s = pl_scenario_space(sc);
    double draws[15], again[15];
    for (uint64_t idx = 0; idx < 20; idx++) {
        pl_scenario *m = NULL;
        assert_int_equal(pl_uncertainty_sample(u, 7, idx, draws, &m, &d), 0);
        for (size_t j = 0; j < nc; j++) {
            const pl_unc_param *p = pl_uncertainty_param(u, j);
            assert_true(draws[j] >= p->lo && draws[j] <= p->hi);
            const pl_ufun *f = pl_scenario_ufun(m, p->party), *f0 = pl_scenario_ufun(sc, p->party);
            if (p->kind == PL_UNC_RESERVATION) {
                assert_double_equal(pl_ufun_reservation(f), draws[j], 0);
            } else if (p->kind == PL_UNC_VALUE) {
                assert_double_equal(pl_ufun_linear_value(f, p->issue, p->value), draws[j], 1e-12);
            } else {
                /* Renormalised: w'_i / w'_k = draw_i / w0_k for an issue k without a range (black_sea has none). */
                size_t k = 1;
                assert_double_equal(pl_ufun_linear_weight(f, p->issue) / pl_ufun_linear_weight(f, k),
                                    draws[j] / pl_ufun_linear_weight(f0, k), 1e-9);
            }
        }
        for (size_t k = 0; k < 3; k++) {
            double sum = 0;
            for (size_t i = 0; i < pl_space_issue_count(s); i++) {
                sum += pl_ufun_linear_weight(pl_scenario_ufun(m, k), i);
            }
            assert_double_equal(sum, 1, 1e-9);
        }
        assert_int_equal(pl_scenario_status_quo(m, 2), pl_scenario_status_quo(sc, 2));
        assert_int_equal(pl_ufun_red_line_count(pl_scenario_ufun(m, 0)), 4);
        pl_scenario_free(m);
        /* The same (seed, index), the same draws; another index, others. */
        assert_int_equal(pl_uncertainty_sample(u, 7, idx, again, &m, &d), 0);
        assert_memory_equal(draws, again, sizeof draws);
        pl_scenario_free(m);
        assert_int_equal(pl_uncertainty_sample(u, 7, idx + 1, again, &m, &d), 0);
        assert_true(memcmp(draws, again, sizeof draws) != 0);
        pl_scenario_free(m);
    }
    pl_uncertainty_free(u);
    pl_scenario_free(sc);
}

/* One issue x {a, b}, status quo a. p1: a 0, b 1. p2: a 1, b ~ U[0, 1], reservation 0.5. The only other outcome, b,
 * is acceptable to p2 exactly when its drawn value of b is >= 0.5, and then it is the Nash point (p1 gains 1, p2
 * loses nothing it must keep); otherwise the status quo holds. */
static const char *const ONE =
    "{\"name\": \"one\", \"issues\": [{\"name\": \"x\", \"type\": \"discrete\", \"values\": [\"a\", \"b\"]},"
    " {\"name\": \"y\", \"type\": \"discrete\", \"values\": [\"p\"]}],"
    " \"status_quo\": {\"x\": \"a\", \"y\": \"p\"}, \"parties\": ["
    " {\"name\": \"p1\", \"utility\": {\"type\": \"linear_additive\", \"weights\": {\"x\": 1, \"y\": 0},"
    "  \"values\": {\"x\": {\"a\": 0, \"b\": 1}, \"y\": {\"p\": 0}}}},"
    " {\"name\": \"p2\", \"reservation\": 0.5, \"utility\": {\"type\": \"linear_additive\", \"weights\": {\"x\": 1, \"y\": 0},"
    "  \"values\": {\"x\": {\"a\": 1, \"b\": 0.5}, \"y\": {\"p\": 0}}},"
    "  \"uncertainty\": {\"values\": {\"x\": {\"b\": [0, 1]}}}}]}";

static void test_robustness_known_answer(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_mkdtemp(dir, sizeof dir);
    tu_write(dir, "one.json", ONE, path, sizeof path);
    pl_scenario *sc = load_file(path);
    pl_uncertainty *u = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_uncertainty_load(sc, path, &u, &d), 0);
    assert_int_equal(pl_uncertainty_count(u), 1);
    pl_robustness *r[2] = {NULL, NULL};
    for (int q = 0; q < 2; q++) {
        pl_robustness_options o;
        pl_robustness_options_init(&o);
        o.samples = 400;
        o.seed = 3;
        o.jobs = q ? 3 : 1;
        assert_int_equal(pl_robustness_run(u, &o, &r[q], &d), 0);
    }
    uint64_t want = 0;
    for (uint64_t s = 0; s < 400; s++) {
        double x = pl_robustness_draws(r[0], s)[0];
        want += x >= 0.5;
        assert_int_equal(pl_robustness_outcome(r[0], s)[0], x >= 0.5 ? 1u : 0u);
        /* Whatever the thread count, the same models and predictions. */
        assert_double_equal(pl_robustness_draws(r[1], s)[0], x, 0);
        assert_int_equal(pl_robustness_outcome(r[1], s)[0], pl_robustness_outcome(r[0], s)[0]);
    }
    assert_int_equal(pl_robustness_agreed_count(r[0], 0), want);
    assert_int_equal(pl_robustness_value_count(r[0], 0, 1), want);
    assert_int_equal(pl_robustness_value_count(r[0], 0, 0), 400 - want);
    assert_true(want > 150 && want < 250);
    assert_int_equal(pl_robustness_agreed_count(r[0], 1), 0);
    /* A step function of a uniform draw: Spearman's rho is sqrt(3)/2 ~ 0.87 in the limit. */
    double rho = pl_robustness_correlation(r[0], 0, 0, 0);
    assert_true(rho > 0.8 && rho < 0.92);
    assert_double_equal(pl_robustness_correlation(r[0], 1, 0, 0), 0, 0); /* y never moves */
    pl_robustness_free(r[0]);
    pl_robustness_free(r[1]);
    pl_uncertainty_free(u);
    pl_scenario_free(sc);
    tu_rmtree(dir);
}

static void test_bad_ranges(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\"uncertainty\": {\"values\": {\"x\": {\"b\": [0.6, 0.2]}}}",
        "\"uncertainty\": {\"values\": {\"x\": {\"c\": [0, 1]}}}",
        "\"uncertainty\": {\"weights\": {\"z\": [0, 1]}}",
        "\"uncertainty\": {\"reservation\": [0, 2]}",
        "\"uncertainty\": {\"reservation\": 0.5}",
        "\"uncertainty\": {\"margin\": [0, 1]}",
    };
    static const int code[] = {PL_EINVAL, PL_EINVAL, PL_EINVAL, PL_EINVAL, PL_EPARSE, PL_EPARSE};
    char dir[256], path[512];
    tu_mkdtemp(dir, sizeof dir);
    for (size_t t = 0; t < sizeof bad / sizeof *bad; t++) {
        char text[4096];
        const char *at = strstr(ONE, "\"uncertainty\"");
        int head = (int)(at - ONE);
        snprintf(text, sizeof text, "%.*s%s}]}", head, ONE, bad[t]);
        tu_write(dir, "bad.json", text, path, sizeof path);
        pl_scenario *sc = load_file(path);
        pl_uncertainty *u = NULL;
        pl_diag d;
        pl_diag_clear(&d);
        assert_int_equal(pl_uncertainty_load(sc, path, &u, &d), code[t]);
        assert_null(u);
        assert_non_null(strstr(d.message, "parties[1].uncertainty"));
        pl_scenario_free(sc);
    }
    tu_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ceasefire_ranges_and_samples),
        cmocka_unit_test(test_robustness_known_answer),
        cmocka_unit_test(test_bad_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
