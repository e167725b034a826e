/* `make demo` in the test suite: runs scripts/demo.sh on the ceasefire scenario, checks that its output stays under
 * 70 lines, and checks every JSON file it writes against the library's own analysis and report, computed here
 * independently of the CLI. */
#include <jansson.h>

#include "testutil.h"

static pl_scenario *sc;
static char dir[256];

static json_t *load_json(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    json_error_t err;
    json_t *j = json_load_file(path, 0, &err);
    if (!j) {
        print_error("%s: %s\n", path, err.text);
    }
    assert_non_null(j);
    return j;
}

static int setup(void **state)
{
    (void)state;
    const char *path = PL_SCENARIOS "/ceasefire-2025.json";
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_scenario_load(&path, 1, NULL, &sc, &d), 0);
    tu_mkdtemp(dir, sizeof dir);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd '%s' && ./scripts/demo.sh '%s' scenarios/ceasefire-2025.json '%s' >'%s/demo.txt' 2>&1",
             PL_SOURCE_DIR, PL_PARLEY, dir, dir);
    int rc = system(cmd);
    if (rc != 0) {
        char out[512];
        snprintf(out, sizeof out, "cat '%s/demo.txt'", dir);
        (void)system(out);
    }
    assert_int_equal(rc, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    (void)system(cmd);
    pl_scenario_free(sc);
    return 0;
}

static void test_output_short(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/demo.txt", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int lines = 0, c;
    char last[512] = "", cur[512];
    size_t n = 0;
    while ((c = fgetc(f)) != EOF) {
        lines += c == '\n';
        if (c == '\n') {
            cur[n] = '\0';
            memcpy(last, cur, n + 1);
            n = 0;
        } else if (n + 1 < sizeof cur) {
            cur[n++] = (char)c;
        }
    }
    fclose(f);
    assert_true(lines > 20);
    assert_true(lines < 70);
    /* The robustness lines: the general ceasefire is not reached in every sampled model. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "grep -q '^  Not reached    general_ceasefire (in every model)$' '%s'", path);
    assert_int_equal(system(cmd), 0);
    /* The last line names the folder that keeps the JSON files. */
    char want[512];
    snprintf(want, sizeof want, "The analysis, the runs and their reports (JSON) are in %s/", dir);
    assert_string_equal(last, want);
}

/* An outcome object {issue: label} of the scenario. */
static void json_outcome(json_t *obj, uint32_t *o)
{
    const pl_space *s = pl_scenario_space(sc);
    assert_true(json_is_object(obj));
    for (size_t i = 0; i < pl_space_issue_count(s); i++) {
        json_t *v = json_object_get(obj, pl_space_issue_name(s, i));
        assert_true(json_is_string(v));
        long x = pl_space_find_value(s, i, json_string_value(v));
        assert_true(x >= 0);
        o[i] = (uint32_t)x;
    }
}

static void test_analysis_json(void **state)
{
    (void)state;
    pl_analysis *a = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_analyze(sc, NULL, &a, &d), 0);
    json_t *j = load_json("analysis.json");
    uint64_t zopa;
    assert_int_equal(pl_analysis_zopa(a, &zopa), 0);
    assert_int_equal(json_integer_value(json_object_get(j, "zopa")), (json_int_t)zopa);
    assert_int_equal(json_integer_value(json_object_get(j, "frontier_size")),
                     (json_int_t)pl_frontier_size(pl_analysis_frontier(a)));
    long nash = pl_analysis_point(a, PL_POINT_NASH);
    assert_true(nash >= 0);
    json_t *u = json_object_get(json_object_get(j, "nash"), "utilities");
    const double *want = pl_frontier_utilities(pl_analysis_frontier(a), (size_t)nash);
    for (size_t k = 0; k < 3; k++) {
        assert_double_equal(json_number_value(json_array_get(u, k)), want[k], 0);
    }
    json_decref(j);
    pl_analysis_free(a);
}

/* A run and its report: the agreement is acceptable to every party, the run's utilities are the parties' utilities
 * of it, and the report's statuses are the library's report on that agreement. */
static void check_run(const char *run, const char *report)
{
    json_t *r = load_json(run), *rep = load_json(report);
    assert_string_equal(json_string_value(json_object_get(r, "status")), "agreement");
    uint32_t o[12];
    json_outcome(json_object_get(r, "agreement"), o);
    json_t *u = json_object_get(r, "utilities");
    for (size_t k = 0; k < 3; k++) {
        const pl_ufun *f = pl_scenario_ufun(sc, k);
        assert_true(pl_ufun_acceptable(f, o));
        /* No discounting in this scenario: the discounted utility is the utility. */
        assert_double_equal(json_number_value(json_array_get(u, k)), pl_ufun_eval(f, o), 1e-12);
    }
    assert_true(json_is_true(json_object_get(json_object_get(r, "metrics"), "individually_rational")));

    pl_report *lib = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_report_build(sc, o, NULL, &lib, &d), 0);
    assert_string_equal(json_string_value(json_object_get(rep, "source")), "run");
    json_t *issues = json_object_get(rep, "issues");
    assert_int_equal(json_array_size(issues), 12);
    for (size_t i = 0; i < 12; i++) {
        json_t *is = json_array_get(issues, i);
        assert_string_equal(json_string_value(json_object_get(is, "status")),
                            pl_issue_status_name(pl_report_status(lib, i)));
    }
    uint64_t acc;
    assert_int_equal(pl_report_acceptable_count(lib, &acc), 0);
    assert_int_equal(json_integer_value(json_object_get(rep, "acceptable_outcomes")), (json_int_t)acc);
    /* The general ceasefire is not reached in every reading of this model, and its JSON names Russia's four
     * preconditions, the first two refused by Ukraine's red lines. */
    json_t *gc = json_array_get(issues, 2);
    assert_string_equal(json_string_value(json_object_get(gc, "status")), "not reached");
    json_t *lines = json_object_get(gc, "red_lines");
    assert_int_equal(json_array_size(lines), 4);
    for (size_t j = 0; j < 4; j++) {
        json_t *l = json_array_get(lines, j);
        assert_string_equal(json_string_value(json_object_get(l, "party")), "russia");
        assert_string_equal(json_string_value(json_object_get(l, "kind")), "conditions");
        json_t *by = json_object_get(l, "refused_by");
        if (j < 2) {
            assert_string_equal(json_string_value(json_object_get(by, "party")), "ukraine");
        } else {
            assert_true(json_is_null(by));
        }
    }
    /* Intelligence sharing: divergent in both runs (Russia demands the halt; Ukraine's red line refuses it). */
    assert_string_equal(json_string_value(json_object_get(json_array_get(issues, 4), "status")), "divergent");
    assert_true(json_is_array(json_object_get(json_object_get(rep, "summary"), "not_reached")));
    pl_report_free(lib);
    json_decref(r);
    json_decref(rep);
}

static void test_mediated(void **state)
{
    (void)state;
    check_run("mediated.json", "mediated-report.json");
    json_t *r = load_json("mediated.json");
    assert_string_equal(json_string_value(json_object_get(r, "protocol")), "single-text");
    json_decref(r);
}

static void test_saop(void **state)
{
    (void)state;
    check_run("saop.json", "saop-report.json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_output_short),
        cmocka_unit_test(test_analysis_json),
        cmocka_unit_test(test_mediated),
        cmocka_unit_test(test_saop),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
