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
    /* Predicting b is being agreed here; predicting a is its opposite. */
    assert_double_equal(pl_robustness_correlation_option(r[0], 0, 0, 1), rho, 1e-12);
    assert_double_equal(pl_robustness_correlation_option(r[0], 0, 0, 0), -rho, 1e-12);
    pl_robustness_free(r[0]);
    pl_robustness_free(r[1]);
    pl_uncertainty_free(u);
    pl_scenario_free(sc);
    tu_rmtree(dir);
}

/* Statuses across models (one restricted frontier per option left at its status quo) equal the report's own
 * statuses (one scan of the space) on each sampled model. Three issues, red lines of both forms, ranges on
 * reservations, weights and values wide enough that the statuses vary. */
static const char *const RL =
    "{\"name\": \"rl\", \"issues\": ["
    " {\"name\": \"c\", \"type\": \"discrete\", \"values\": [\"none\", \"short\", \"long\"]},"
    " {\"name\": \"a\", \"type\": \"discrete\", \"values\": [\"on\", \"cut\", \"off\"]},"
    " {\"name\": \"t\", \"type\": \"discrete\", \"values\": [\"kept\", \"freeze\", \"give\"]}],"
    " \"status_quo\": {\"c\": \"none\", \"a\": \"on\", \"t\": \"kept\"}, \"parties\": ["
    " {\"name\": \"r\", \"reservation\": 0.3, \"utility\": {\"type\": \"linear_additive\","
    "  \"weights\": {\"c\": 0.3, \"a\": 0.4, \"t\": 0.3},"
    "  \"values\": {\"c\": {\"none\": 1, \"short\": 0.6, \"long\": 0.4}, \"a\": {\"on\": 0, \"cut\": 0.5, \"off\": 1},"
    "             \"t\": {\"kept\": 0.2, \"freeze\": 0.6, \"give\": 1}}},"
    "  \"red_lines\": [{\"if\": {\"issue\": \"c\", \"in\": [\"short\", \"long\"]}, \"then\": {\"issue\": \"a\", \"in\": [\"off\"]}}],"
    "  \"uncertainty\": {\"reservation\": [0.1, 0.5], \"weights\": {\"c\": [0.1, 0.5]},"
    "                   \"values\": {\"t\": {\"freeze\": [0, 1]}}}},"
    " {\"name\": \"u\", \"reservation\": 0.4, \"utility\": {\"type\": \"linear_additive\","
    "  \"weights\": {\"c\": 0.4, \"a\": 0.4, \"t\": 0.2},"
    "  \"values\": {\"c\": {\"none\": 0, \"short\": 0.7, \"long\": 1}, \"a\": {\"on\": 1, \"cut\": 0.4, \"off\": 0},"
    "             \"t\": {\"kept\": 1, \"freeze\": 0.5, \"give\": 0}}},"
    "  \"red_lines\": [{\"issue\": \"t\", \"not\": [\"give\"]}],"
    "  \"uncertainty\": {\"reservation\": [0.2, 0.7], \"values\": {\"a\": {\"cut\": [0, 1]}}}}]}";

static void test_statuses_match_report(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_mkdtemp(dir, sizeof dir);
    tu_write(dir, "rl.json", RL, path, sizeof path);
    pl_scenario *sc = load_file(path);
    pl_uncertainty *u = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_uncertainty_load(sc, path, &u, &d), 0);
    pl_robustness_options o;
    pl_robustness_options_init(&o);
    o.samples = 120;
    o.seed = 11;
    o.jobs = 2;
    o.statuses = 1;
    pl_robustness *r = NULL;
    assert_int_equal(pl_robustness_run(u, &o, &r, &d), 0);
    uint64_t kinds[5] = {0};
    /* Model by model, the report's statuses on the model's predicted deal (by its scan); totals likewise. */
    uint64_t want[3][5] = {{0}};
    for (uint64_t s = 0; s < 120; s++) {
        pl_scenario *m = NULL;
        assert_int_equal(pl_uncertainty_sample(u, 11, s, NULL, &m, &d), 0);
        pl_report *rep = NULL;
        const uint32_t *o2 = pl_robustness_outcome(r, s);
        pl_report *pred = NULL;
        assert_int_equal(pl_report_build(m, NULL, NULL, &pred, &d), 0);
        assert_int_equal(pl_report_build(m, pl_report_has_agreement(pred) ? o2 : NULL, NULL, &rep, &d), 0);
        if (pl_report_has_agreement(pred)) {
            assert_memory_equal(pl_report_agreement(pred), o2, 3 * sizeof *o2);
        }
        for (size_t i = 0; i < 3; i++) {
            want[i][pl_report_status(rep, i)]++;
            kinds[pl_report_status(rep, i)]++;
            assert_int_equal(pl_robustness_status(r, s, i), (int)pl_report_status(rep, i));
        }
        pl_report_free(rep);
        pl_report_free(pred);
        pl_scenario_free(m);
    }
    for (size_t i = 0; i < 3; i++) {
        for (int st = 0; st < 5; st++) {
            assert_int_equal(pl_robustness_status_count(r, i, st), want[i][st]);
        }
    }
    /* The statuses do vary across these models (the check is not vacuous). */
    int varied = 0;
    for (int st = 0; st < 4; st++) {
        varied += kinds[st] > 0;
    }
    assert_true(varied >= 3);
    pl_robustness_free(r);
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
        cmocka_unit_test(test_statuses_match_report),
        cmocka_unit_test(test_bad_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
