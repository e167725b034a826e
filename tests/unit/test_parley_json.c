/* parley JSON: reading every construct (checked by hand), writing and re-reading, and every bad-input case with its
 * line/column (syntax) or path (meaning). */
#include "testutil.h"

static pl_scenario *load_text(const char *text, int expect_rc, pl_diag *d)
{
    pl_scenario *sc = NULL;
    pl_diag_clear(d);
    int rc = pl_scenario_load_parley_json_mem(text, strlen(text), "test.json", NULL, &sc, d);
    if (rc != expect_rc) {
        char buf[1500];
        print_error("rc=%d (expected %d): %s\n", rc, expect_rc, pl_diag_format(d, buf, sizeof buf));
        fail();
    }
    return sc;
}

static const char *valid =
    "{\n"
    "  \"format\": \"parley-scenario\", \"version\": 1, \"name\": \"t\", \"description\": \"d\",\n"
    "  \"issues\": [\n"
    "    {\"name\": \"colour\", \"type\": \"discrete\", \"values\": [\"red\", \"blue\", \"green\"]},\n"
    "    {\"name\": \"n\", \"type\": \"integer\", \"lower\": 0, \"upper\": 100, \"step\": 25},\n"
    "    {\"name\": \"r\", \"type\": \"real\", \"lower\": 0, \"upper\": 1, \"levels\": 3}\n"
    "  ],\n"
    "  \"parties\": [\n"
    "    {\"name\": \"a\", \"reservation\": 0.2, \"discount\": 0.8, \"utility\": {\"type\": \"linear_additive\",\n"
    "      \"weights\": {\"colour\": 0.5, \"n\": 0.3, \"r\": 0.2},\n"
    "      \"values\": {\"colour\": {\"red\": 1, \"blue\": 0.5, \"green\": 0},\n"
    "                 \"n\": {\"type\": \"linear\", \"offset\": 0, \"slope\": 0.01},\n"
    "                 \"r\": {\"type\": \"triangular\", \"start\": 0, \"peak\": 0.5, \"end\": 1}}}},\n"
    "    {\"name\": \"b\", \"utility\": {\"type\": \"hyper_rectangle\", \"max_utility\": 10, \"rectangles\": [\n"
    "      {\"utility\": 6, \"bounds\": [{\"issue\": \"n\", \"min\": 25, \"max\": 60}]},\n"
    "      {\"utility\": 4, \"bounds\": [{\"issue\": \"colour\", \"from\": \"blue\", \"to\": \"green\", \"exclude\": true}]},\n"
    "      {\"utility\": 9, \"bounds\": [{\"issue\": \"n\", \"min\": 101, \"max\": 200}]}\n"
    "    ]}},\n"
    "    {\"name\": \"c\", \"utility\": {\"type\": \"linear_additive\", \"weights\": {\"colour\": 1, \"n\": 0, \"r\": 0},\n"
    "      \"values\": {\"colour\": [0.1, 0.2, 0.3], \"n\": [0, 0, 0, 0, 0], \"r\": [0, 0, 0]}}}\n"
    "  ]\n"
    "}\n";

static void test_read_by_hand(void **state)
{
    (void)state;
    pl_diag d;
    pl_scenario *sc = load_text(valid, 0, &d);
    const pl_space *s = pl_scenario_space(sc);
    assert_string_equal(pl_scenario_name(sc), "t");
    assert_string_equal(pl_scenario_description(sc), "d");
    assert_int_equal(pl_scenario_party_count(sc), 3);
    uint64_t n;
    assert_int_equal(pl_space_outcome_count(s, &n), 0);
    assert_int_equal(n, 3 * 5 * 3);
    uint32_t o[3];
    tu_outcome(s, "colour=blue,n=50,r=0.5", o);
    const pl_ufun *a = pl_scenario_ufun(sc, 0), *b = pl_scenario_ufun(sc, 1), *c = pl_scenario_ufun(sc, 2);
    assert_double_equal(pl_ufun_eval(a, o), 0.5 * 0.5 + 0.3 * 0.5 + 0.2 * 1.0, 1e-15);
    assert_double_equal(pl_ufun_reservation(a), 0.2, 0);
    assert_double_equal(pl_ufun_discount(a), 0.8, 0);
    /* b: n=50 is in [25, 60] (6); blue is in the excluded range (no 4); the 101..200 rectangle never holds. */
    assert_double_equal(pl_ufun_eval(b, o), 0.6, 1e-15);
    assert_int_equal(pl_ufun_rect_count(b), 2);
    tu_outcome(s, "colour=red,n=100,r=1", o);
    assert_double_equal(pl_ufun_eval(b, o), 0.4, 1e-15);
    assert_double_equal(pl_ufun_eval(a, o), 0.5 + 0.3 * 1.0 + 0.0, 1e-15);
    tu_outcome(s, "colour=green,n=0,r=0", o);
    assert_double_equal(pl_ufun_eval(c, o), 0.3, 1e-15);
    pl_scenario_free(sc);
}

static void test_write_read_identity(void **state)
{
    (void)state;
    pl_diag d;
    pl_scenario *sc = load_text(valid, 0, &d);
    char *t1, *t2;
    assert_int_equal(pl_scenario_to_parley_json(sc, &t1, &d), 0);
    pl_scenario *back = load_text(t1, 0, &d);
    assert_int_equal(pl_scenario_to_parley_json(back, &t2, &d), 0);
    assert_string_equal(t1, t2);
    /* Shortest exact numbers: 0.01 is written as such. */
    assert_non_null(strstr(t1, "\"slope\": 0.01"));
    uint64_t n;
    pl_space_outcome_count(pl_scenario_space(sc), &n);
    uint32_t o[3];
    for (uint64_t k = 0; k < n; k++) {
        pl_space_outcome_at(pl_scenario_space(sc), k, o);
        for (size_t p = 0; p < 3; p++) {
            assert_true(pl_ufun_eval(pl_scenario_ufun(sc, p), o) == pl_ufun_eval(pl_scenario_ufun(back, p), o));
        }
    }
    /* Files: atomically written, readable back; a write into a missing folder fails and leaves nothing. */
    char dir[256], path[512];
    tu_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/s.json", dir);
    assert_int_equal(pl_scenario_save_parley_json(sc, path, &d), 0);
    pl_scenario *f = tu_load1(path);
    assert_int_equal(pl_scenario_party_count(f), 3);
    pl_scenario_free(f);
    snprintf(path, sizeof path, "%s/missing/s.json", dir);
    assert_int_equal(pl_scenario_save_parley_json(sc, path, &d), PL_EIO);
    assert_false(tu_exists(path));
    tu_rmtree(dir);
    pl_free(t1);
    pl_free(t2);
    pl_scenario_free(back);
    pl_scenario_free(sc);
}

/* Replace the first occurrence of `from` in `valid` with `to` and expect code, path/message fragments. */
static void expect_bad(const char *from, const char *to, int code, const char *path_part, const char *msg_part)
{
    char text[8192];
    const char *p = strstr(valid, from);
    assert_non_null(p);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(p - valid), valid, to, p + strlen(from));
    pl_diag d;
    pl_scenario *sc = load_text(text, code, &d);
    assert_null(sc);
    if ((path_part && !strstr(d.path, path_part)) || (msg_part && !strstr(d.message, msg_part))) {
        print_error("path \"%s\" message \"%s\"; wanted path ~ %s, message ~ %s\n", d.path, d.message,
                    path_part ? path_part : "-", msg_part ? msg_part : "-");
        fail();
    }
}

static void test_bad_meaning(void **state)
{
    (void)state;
    expect_bad("\"colour\": 0.5", "\"colour\": -0.5", PL_ERANGE, "weights.colour", ">= 0");
    expect_bad("\"red\": 1,", "\"red\": \"high\",", PL_EPARSE, "values.colour", "not a finite number");
    expect_bad("\"blue\": 0.5,", "\"pink\": 0.5,", PL_ENOTFOUND, "values.colour", "pink");
    expect_bad("\"green\": 0}", "\"green\": 0, \"blue\": 1}", PL_EPARSE, NULL, "duplicate"); /* jansson */
    expect_bad("\"weights\": {\"colour\": 0.5,", "\"weights\": {\"color\": 0.5,", PL_ENOTFOUND, "weights.color",
               "unknown issue");
    expect_bad("\"n\": 0.3, \"r\": 0.2}", "\"n\": 0.3}", PL_EPARSE, "parties[0].utility", "no weight for issue \"r\"");
    expect_bad("\"reservation\": 0.2", "\"reservaton\": 0.2", PL_EPARSE, "parties[0]", "unknown key");
    expect_bad("\"type\": \"integer\"", "\"type\": \"complex\"", PL_EPARSE, "issues[1]", "complex");
    expect_bad("\"step\": 25", "\"step\": 30", PL_EINVAL, "issues[1]", "steps");
    expect_bad("\"levels\": 3", "\"levels\": 0", PL_ERANGE, "issues[2]", "levels");
    expect_bad("\"peak\": 0.5", "\"peak\": 1.5", PL_EINVAL, "values.r", "triangular");
    expect_bad("\"max_utility\": 10", "\"max_utility\": 0", PL_ERANGE, "parties[1].utility", "positive");
    expect_bad("\"min\": 25, \"max\": 60", "\"min\": 60, \"max\": 25", PL_EPARSE, "rectangles[0].bounds[0]", "above");
    expect_bad("\"from\": \"blue\"", "\"from\": \"teal\"", PL_ENOTFOUND, "rectangles[1]", "teal");
    expect_bad("\"values\": [\"red\", \"blue\", \"green\"]", "\"values\": [\"red\", \"red\"]", PL_EINVAL, "issues[0]",
               "twice");
    expect_bad("[0.1, 0.2, 0.3]", "[0.1, 0.2]", PL_EPARSE, "values.colour", "3 values");
    expect_bad("\"name\": \"c\"", "\"name\": \"a\"", PL_EINVAL, "parties[2]", "defined twice");
    expect_bad("\"version\": 1", "\"version\": 7", PL_EUNSUPPORTED, NULL, "version 7");
    expect_bad("\"type\": \"hyper_rectangle\"", "\"type\": \"neural\"", PL_EPARSE, "parties[1].utility", "neural");
}

static void test_bad_syntax(void **state)
{
    (void)state;
    pl_diag d;
    pl_scenario *sc = load_text("{\n  \"issues\": [\n    {\"name\": }\n", PL_EPARSE, &d);
    assert_null(sc);
    assert_int_equal(d.line, 3);
    assert_true(d.column > 0);
    assert_non_null(strstr(d.message, "malformed JSON"));
    assert_string_equal(d.file, "test.json");
    load_text("", PL_EPARSE, &d);
    load_text("[1, 2]", PL_EPARSE, &d);
    assert_non_null(strstr(d.message, "JSON object"));
    load_text("{\"issues\": [], \"parties\": []}", PL_EPARSE, &d);
    assert_non_null(strstr(d.message, "non-empty"));
    /* Truncated valid text. */
    char text[8192];
    snprintf(text, sizeof text, "%.*s", (int)(strlen(valid) / 2), valid);
    load_text(text, PL_EPARSE, &d);
    assert_true(d.line > 1);
}

static void test_project_scenarios_load(void **state)
{
    (void)state;
    const char *names[] = {"job-offer.json", "supply-contract.json"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", PL_SCENARIOS, names[k]);
        pl_scenario *sc = tu_load1(path);
        assert_true(pl_scenario_party_count(sc) >= 2);
        pl_scenario_free(sc);
    }
    /* job-offer by hand: employer at salary 75000, 2 remote days, 1 month, bonus 5000, senior engineer. */
    char path[512];
    snprintf(path, sizeof path, "%s/job-offer.json", PL_SCENARIOS);
    pl_scenario *sc = tu_load1(path);
    uint32_t o[5];
    tu_outcome(pl_scenario_space(sc),
               "salary=75000,remote_days=2,start=1 month,signing_bonus=5000,title=senior engineer", o);
    double employer = 0.45 * (1 - 0.0000333333333333333 * 15000) + 0.15 * ((6.0 - 2) / (6 - 1)) + 0.2 * 0.8 +
                      0.1 * (1 - 0.0001 * 5000) + 0.1 * 0.7;
    assert_double_equal(pl_ufun_eval(pl_scenario_ufun(sc, 0), o), employer, 1e-12);
    pl_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_by_hand),       cmocka_unit_test(test_write_read_identity),
        cmocka_unit_test(test_bad_meaning),        cmocka_unit_test(test_bad_syntax),
        cmocka_unit_test(test_project_scenarios_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
