/* Red lines and the status quo: both forms of red line checked by hand (breaking, utility 0, raw utility,
 * acceptability at reservation 0 and above), their errors and copies; parley JSON round trips and every bad-input
 * case with its path; the Genius XML refusal; and the analysis against a brute force written here: on seeded random
 * linear scenarios with red lines of both forms, the merge frontier (one merge per red-line cell) equals the
 * enumerated one and the brute force point for point, the zone of agreement counts the outcomes acceptable to all,
 * and the bargaining points avoid red lines; the 100,000-cell limit of the merge. */
#include "testutil.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
    return tu_splitmix(&rng_state);
}

static uint32_t rnd_below(uint32_t n)
{
    return (uint32_t)(rnd() % n);
}

/* ---- A hand-made scenario ----
 * cease {none, 30 days, permanent}, aid {continues, reduced, halted}, land {kept, frozen, ceded}, n 0..100 step 25.
 * Party a: 0.4 cease + 0.3 aid + 0.2 land + 0.1 n; lines: land must not be ceded; if cease is 30 days or permanent
 * then aid must be halted. */

static pl_space *hand_space(void)
{
    static const char *const cease[] = {"none", "30 days", "permanent"};
    static const char *const aid[] = {"continues", "reduced", "halted"};
    static const char *const land[] = {"kept", "frozen", "ceded"};
    pl_space *s = tu_space_new();
    assert_non_null(s);
    assert_int_equal(pl_space_add_discrete(s, "cease", 3, cease, NULL), 0);
    assert_int_equal(pl_space_add_discrete(s, "aid", 3, aid, NULL), 0);
    assert_int_equal(pl_space_add_discrete(s, "land", 3, land, NULL), 0);
    assert_int_equal(pl_space_add_integer(s, "n", 0, 100, 25, NULL), 0);
    return s;
}

static pl_ufun *hand_ufun(const pl_space *s)
{
    static const double tc[] = {0, 0.5, 1}, ta[] = {0, 0.5, 1}, tl[] = {0, 0.5, 1}, tn[] = {0, 0.25, 0.5, 0.75, 1};
    pl_ufun *u = tu_ufun_linear_new(s);
    assert_non_null(u);
    const double w[] = {0.4, 0.3, 0.2, 0.1};
    const double *t[] = {tc, ta, tl, tn};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(pl_ufun_linear_set_weight(u, i, w[i]), 0);
        assert_int_equal(pl_ufun_linear_set_table(u, i, t[i]), 0);
    }
    static const uint32_t ceded[] = {2}, truce[] = {1, 2}, halted[] = {2};
    pl_red_line not_ceded = {.issue = 2, .values = ceded, .n_values = 1, .then_issue = -1, .note = "land"};
    pl_red_line truce_needs = {
        .issue = 0, .values = truce, .n_values = 2, .then_issue = 1, .then_values = halted, .n_then = 1, .note = NULL};
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_ufun_add_red_line(u, &not_ceded, &d), 0);
    assert_int_equal(pl_ufun_add_red_line(u, &truce_needs, &d), 0);
    return u;
}

static void test_forms_by_hand(void **state)
{
    (void)state;
    pl_space *s = hand_space();
    pl_ufun *u = hand_ufun(s);
    assert_int_equal(pl_ufun_red_line_count(u), 2);

    /* The lines as stored: copies of what was given; a missing note reads as "". */
    pl_red_line l;
    pl_ufun_red_line_get(u, 0, &l);
    assert_int_equal(l.issue, 2);
    assert_int_equal(l.then_issue, -1);
    assert_int_equal(l.n_values, 1);
    assert_int_equal(l.values[0], 2);
    assert_string_equal(l.note, "land");
    pl_ufun_red_line_get(u, 1, &l);
    assert_int_equal(l.issue, 0);
    assert_int_equal(l.then_issue, 1);
    assert_int_equal(l.n_values, 2);
    assert_int_equal(l.values[0], 1);
    assert_int_equal(l.values[1], 2);
    assert_int_equal(l.n_then, 1);
    assert_int_equal(l.then_values[0], 2);
    assert_string_equal(l.note, "");

    /* Every outcome of the space against the rules written out. */
    uint64_t n;
    assert_int_equal(pl_space_outcome_count(s, &n), 0);
    assert_int_equal(n, 3 * 3 * 3 * 5);
    uint32_t o[4];
    int seen_pre = 0, seen_not = 0, seen_ok = 0, seen_both = 0;
    for (uint64_t x = 0; x < n; x++) {
        assert_int_equal(pl_space_outcome_at(s, x, o), 0);
        int b_not = o[2] == 2;
        int b_pre = (o[0] == 1 || o[0] == 2) && o[1] != 2;
        double raw = 0.4 * (o[0] * 0.5) + 0.3 * (o[1] * 0.5) + 0.2 * (o[2] * 0.5) + 0.1 * (o[3] * 0.25);
        assert_int_equal(pl_ufun_red_line_broken(u, 0, o), b_not);
        assert_int_equal(pl_ufun_red_line_broken(u, 1, o), b_pre);
        assert_int_equal(pl_ufun_first_broken(u, o), b_not ? 0 : (b_pre ? 1 : -1));
        assert_double_equal(pl_ufun_eval_raw(u, o), raw, 1e-15);
        if (b_not || b_pre) {
            assert_true(pl_ufun_eval(u, o) == 0);
            assert_true(pl_ufun_eval_at(u, o, 0.5) == 0);
        } else {
            assert_true(pl_ufun_eval(u, o) == pl_ufun_eval_raw(u, o));
        }
        double many;
        pl_ufun_eval_many(u, o, 1, &many);
        assert_true(many == pl_ufun_eval(u, o));
        /* Reservation 0: everything that breaks no line is acceptable, even an outcome worth 0. */
        assert_true(pl_ufun_set_reservation(u, 0) == 0);
        assert_int_equal(pl_ufun_acceptable(u, o), !(b_not || b_pre));
        /* Reservation 0.5: also below it is not. */
        assert_true(pl_ufun_set_reservation(u, 0.5) == 0);
        assert_int_equal(pl_ufun_acceptable(u, o), !(b_not || b_pre) && pl_ufun_eval_raw(u, o) >= 0.5);
        seen_pre |= b_pre && !b_not;
        seen_not |= b_not && !b_pre;
        seen_both |= b_not && b_pre;
        seen_ok |= !b_not && !b_pre;
    }
    assert_true(seen_pre && seen_not && seen_ok && seen_both);

    /* Named cases. */
    tu_outcome(s, "cease=none,aid=continues,land=kept,n=0", o);
    assert_true(pl_ufun_eval(u, o) == 0 && pl_ufun_eval_raw(u, o) == 0);
    assert_true(pl_ufun_set_reservation(u, 0) == 0);
    assert_int_equal(pl_ufun_acceptable(u, o), 1); /* worth 0, breaks nothing: acceptable at reservation 0 */
    tu_outcome(s, "cease=permanent,aid=reduced,land=frozen,n=100", o);
    assert_int_equal(pl_ufun_first_broken(u, o), 1);
    assert_true(pl_ufun_eval(u, o) == 0);
    assert_double_equal(pl_ufun_eval_raw(u, o), 0.4 + 0.15 + 0.1 + 0.1, 1e-15);
    assert_int_equal(pl_ufun_acceptable(u, o), 0); /* breaks a line: never acceptable, even at reservation 0 */
    tu_outcome(s, "cease=permanent,aid=halted,land=frozen,n=100", o);
    assert_int_equal(pl_ufun_first_broken(u, o), -1);
    assert_double_equal(pl_ufun_eval(u, o), 0.4 + 0.3 + 0.1 + 0.1, 1e-15);
    tu_outcome(s, "cease=none,aid=reduced,land=ceded,n=100", o);
    assert_int_equal(pl_ufun_first_broken(u, o), 0);
    assert_int_equal(pl_ufun_acceptable(u, o), 0);

    /* A hyper-rectangle function with a red line: the line wins there too. */
    pl_ufun *r = tu_ufun_rect_new(s, 1);
    assert_non_null(r);
    assert_int_equal(pl_ufun_rect_add(r, 1, 0, NULL), 0); /* every outcome satisfies it: 1 */
    static const uint32_t kept[] = {0};
    pl_red_line keep = {.issue = 2, .values = kept, .n_values = 1, .then_issue = -1};
    assert_int_equal(pl_ufun_add_red_line(r, &keep, NULL), 0);
    tu_outcome(s, "cease=none,aid=reduced,land=kept,n=100", o);
    assert_true(pl_ufun_eval(r, o) == 0 && pl_ufun_eval_raw(r, o) == 1);
    tu_outcome(s, "cease=none,aid=reduced,land=frozen,n=100", o);
    assert_true(pl_ufun_eval(r, o) == 1);
    pl_ufun_free(r);

    pl_ufun_free(u);
    pl_space_free(s);
}

static void expect_add_error(pl_ufun *u, const pl_red_line *l, const char *msg)
{
    pl_diag d;
    pl_diag_clear(&d);
    size_t before = pl_ufun_red_line_count(u);
    int rc = pl_ufun_add_red_line(u, l, &d);
    if (rc != PL_EINVAL || !strstr(d.message, msg)) {
        print_error("rc %d, message \"%s\"; wanted PL_EINVAL and ~ \"%s\"\n", rc, d.message, msg);
        fail();
    }
    assert_int_equal(pl_ufun_red_line_count(u), before);
}

static void test_add_errors(void **state)
{
    (void)state;
    pl_space *s = hand_space();
    pl_ufun *u = tu_ufun_linear_new(s);
    assert_non_null(u);
    static const uint32_t v0[] = {0}, v3[] = {3}, v11[] = {1, 1}, v01[] = {0, 1}, v2[] = {2};
    pl_red_line l = {.issue = 4, .values = v0, .n_values = 1, .then_issue = -1};
    expect_add_error(u, &l, "issue");
    l = (pl_red_line){.issue = 0, .values = v3, .n_values = 1, .then_issue = -1};
    expect_add_error(u, &l, "out of range");
    l = (pl_red_line){.issue = 0, .values = v11, .n_values = 2, .then_issue = -1};
    expect_add_error(u, &l, "twice");
    l = (pl_red_line){.issue = 0, .values = v0, .n_values = 0, .then_issue = -1};
    expect_add_error(u, &l, "empty");
    l = (pl_red_line){.issue = 0, .values = NULL, .n_values = 1, .then_issue = -1};
    expect_add_error(u, &l, "empty");
    l = (pl_red_line){.issue = 0, .values = v01, .n_values = 2, .then_issue = 0, .then_values = v2, .n_then = 1};
    expect_add_error(u, &l, "another issue");
    l = (pl_red_line){.issue = 0, .values = v01, .n_values = 2, .then_issue = 4, .then_values = v2, .n_then = 1};
    expect_add_error(u, &l, "another issue");
    l = (pl_red_line){.issue = 0, .values = v01, .n_values = 2, .then_issue = 1, .then_values = v2, .n_then = 0};
    expect_add_error(u, &l, "empty");
    l = (pl_red_line){.issue = 0, .values = v01, .n_values = 2, .then_issue = 1, .then_values = v3, .n_then = 1};
    expect_add_error(u, &l, "out of range");
    /* The integer issue has 5 values: index 4 is fine, and a label names it in the message of a repeat. */
    static const uint32_t v44[] = {4, 4};
    l = (pl_red_line){.issue = 3, .values = v44, .n_values = 2, .then_issue = -1};
    expect_add_error(u, &l, "\"100\"");
    assert_int_equal(pl_ufun_red_line_count(u), 0);
    pl_ufun_free(u);
    pl_space_free(s);
}

static void test_copy_keeps_lines(void **state)
{
    (void)state;
    pl_space *s = hand_space();
    pl_ufun *u = hand_ufun(s);
    pl_space *s2 = tu_space_copy(s);
    assert_non_null(s2);
    pl_ufun *c = pl_ufun_copy(u, s2);
    assert_non_null(c);
    pl_ufun_free(u); /* the copy owns its own lines */
    u = hand_ufun(s);
    assert_int_equal(pl_ufun_red_line_count(c), 2);
    for (size_t k = 0; k < 2; k++) {
        pl_red_line a, b;
        pl_ufun_red_line_get(u, k, &a);
        pl_ufun_red_line_get(c, k, &b);
        assert_int_equal(a.issue, b.issue);
        assert_int_equal(a.then_issue, b.then_issue);
        assert_int_equal(a.n_values, b.n_values);
        assert_int_equal(a.n_then, b.n_then);
        assert_memory_equal(a.values, b.values, a.n_values * sizeof *a.values);
        if (a.n_then) {
            assert_memory_equal(a.then_values, b.then_values, a.n_then * sizeof *a.then_values);
        }
        assert_string_equal(a.note, b.note);
    }
    uint64_t n;
    assert_int_equal(pl_space_outcome_count(s, &n), 0);
    uint32_t o[4];
    for (uint64_t x = 0; x < n; x++) {
        pl_space_outcome_at(s, x, o);
        assert_true(pl_ufun_eval(u, o) == pl_ufun_eval(c, o));
        assert_int_equal(pl_ufun_first_broken(u, o), pl_ufun_first_broken(c, o));
    }
    pl_ufun_free(c);
    pl_ufun_free(u);
    pl_space_free(s2);
    pl_space_free(s);
}

/* ---- parley JSON ---- */

static const char *rl_json =
    "{\n"
    "  \"format\": \"parley-scenario\", \"version\": 1, \"name\": \"rl\",\n"
    "  \"issues\": [\n"
    "    {\"name\": \"cease\", \"type\": \"discrete\", \"values\": [\"none\", \"30 days\", \"permanent\"]},\n"
    "    {\"name\": \"aid\", \"type\": \"discrete\", \"values\": [\"continues\", \"reduced\", \"halted\"]},\n"
    "    {\"name\": \"n\", \"type\": \"integer\", \"lower\": 0, \"upper\": 100, \"step\": 25},\n"
    "    {\"name\": \"r\", \"type\": \"real\", \"lower\": 0, \"upper\": 1, \"levels\": 5}\n"
    "  ],\n"
    "  \"status_quo\": {\"cease\": \"none\", \"n\": 25},\n"
    "  \"parties\": [\n"
    "    {\"name\": \"a\", \"reservation\": 0.1, \"utility\": {\"type\": \"linear_additive\",\n"
    "      \"weights\": {\"cease\": 0.4, \"aid\": 0.3, \"n\": 0.2, \"r\": 0.1},\n"
    "      \"values\": {\"cease\": [1, 0.5, 0], \"aid\": [0, 0.5, 1], \"n\": [0, 0.25, 0.5, 0.75, 1],\n"
    "                 \"r\": [0, 0.25, 0.5, 0.75, 1]}},\n"
    "     \"red_lines\": [\n"
    "       {\"if\": {\"issue\": \"cease\", \"in\": [\"30 days\", \"permanent\"]},\n"
    "        \"then\": {\"issue\": \"aid\", \"in\": [\"halted\"]}, \"note\": \"a truce needs aid halted\"},\n"
    "       {\"issue\": \"n\", \"not\": [0, \"25\"]},\n"
    "       {\"issue\": \"r\", \"not\": 0.75}\n"
    "     ]},\n"
    "    {\"name\": \"b\", \"utility\": {\"type\": \"linear_additive\",\n"
    "      \"weights\": {\"cease\": 0.4, \"aid\": 0.3, \"n\": 0.2, \"r\": 0.1},\n"
    "      \"values\": {\"cease\": [0, 0.5, 1], \"aid\": [1, 0.5, 0], \"n\": [1, 0.75, 0.5, 0.25, 0],\n"
    "                 \"r\": [1, 0.75, 0.5, 0.25, 0]}},\n"
    "     \"red_lines\": [{\"issue\": \"aid\", \"not\": [\"halted\"], \"note\": \"no halt\"}]}\n"
    "  ]\n"
    "}\n";

static pl_scenario *load_text(const char *text, int expect_rc, pl_diag *d)
{
    pl_scenario *sc = NULL;
    pl_diag_clear(d);
    int rc = pl_scenario_load_parley_json_mem(text, strlen(text), "rl.json", NULL, &sc, d);
    if (rc != expect_rc) {
        char buf[1500];
        print_error("rc=%d (expected %d): %s\n", rc, expect_rc, pl_diag_format(d, buf, sizeof buf));
        fail();
    }
    return sc;
}

static void check_rl_scenario(const pl_scenario *sc)
{
    const pl_space *s = pl_scenario_space(sc);
    assert_int_equal(pl_scenario_has_status_quo(sc), 1);
    assert_int_equal(pl_scenario_has_red_lines(sc), 1);
    assert_int_equal(pl_scenario_status_quo(sc, 0), 0);
    assert_int_equal(pl_scenario_status_quo(sc, 1), PL_NO_VALUE);
    assert_int_equal(pl_scenario_status_quo(sc, 2), 1);
    assert_int_equal(pl_scenario_status_quo(sc, 3), PL_NO_VALUE);
    const pl_ufun *a = pl_scenario_ufun(sc, 0), *b = pl_scenario_ufun(sc, 1);
    assert_int_equal(pl_ufun_red_line_count(a), 3);
    assert_int_equal(pl_ufun_red_line_count(b), 1);
    pl_red_line l;
    pl_ufun_red_line_get(a, 0, &l);
    assert_int_equal(l.issue, 0);
    assert_int_equal(l.then_issue, 1);
    assert_int_equal(l.n_values, 2);
    assert_int_equal(l.n_then, 1);
    assert_string_equal(l.note, "a truce needs aid halted");
    pl_ufun_red_line_get(a, 1, &l);
    assert_int_equal(l.issue, 2);
    assert_int_equal(l.then_issue, -1);
    assert_int_equal(l.n_values, 2);
    assert_int_equal(l.values[0], 0);
    assert_int_equal(l.values[1], 1);
    assert_string_equal(l.note, "");
    pl_ufun_red_line_get(a, 2, &l);
    assert_int_equal(l.issue, 3);
    assert_int_equal(l.n_values, 1);
    assert_int_equal(l.values[0], 3);
    pl_ufun_red_line_get(b, 0, &l);
    assert_int_equal(l.issue, 1);
    assert_int_equal(l.values[0], 2);
    assert_string_equal(l.note, "no halt");
    uint32_t o[4];
    tu_outcome(s, "cease=30 days,aid=reduced,n=50,r=0.5", o);
    assert_int_equal(pl_ufun_first_broken(a, o), 0);
    assert_int_equal(pl_ufun_first_broken(b, o), -1);
    tu_outcome(s, "cease=none,aid=halted,n=100,r=0.75", o);
    assert_int_equal(pl_ufun_first_broken(a, o), 2);
    assert_int_equal(pl_ufun_first_broken(b, o), 0);
}

static void test_json_round_trip(void **state)
{
    (void)state;
    pl_diag d;
    pl_scenario *sc = load_text(rl_json, 0, &d);
    check_rl_scenario(sc);
    char *t1, *t2;
    assert_int_equal(pl_scenario_to_parley_json(sc, &t1, &d), 0);
    assert_non_null(strstr(t1, "\"status_quo\""));
    assert_non_null(strstr(t1, "\"red_lines\""));
    pl_scenario *back = load_text(t1, 0, &d);
    check_rl_scenario(back);
    assert_int_equal(pl_scenario_to_parley_json(back, &t2, &d), 0);
    assert_string_equal(t1, t2);
    /* Same utilities everywhere. */
    const pl_space *s = pl_scenario_space(sc);
    uint64_t n;
    assert_int_equal(pl_space_outcome_count(s, &n), 0);
    uint32_t o[4];
    for (uint64_t x = 0; x < n; x++) {
        pl_space_outcome_at(s, x, o);
        for (size_t p = 0; p < 2; p++) {
            assert_true(pl_ufun_eval(pl_scenario_ufun(sc, p), o) == pl_ufun_eval(pl_scenario_ufun(back, p), o));
        }
    }
    pl_free(t1);
    pl_free(t2);
    pl_scenario_free(back);
    pl_scenario_free(sc);

    /* The ceasefire scenario too. */
    char path[1024];
    snprintf(path, sizeof path, "%s/ceasefire-2025.json", PL_SCENARIOS);
    sc = tu_load1(path);
    assert_int_equal(pl_scenario_has_red_lines(sc), 1);
    assert_int_equal(pl_scenario_has_status_quo(sc), 1);
    assert_int_equal(pl_ufun_red_line_count(pl_scenario_ufun(sc, 0)), 4);
    assert_int_equal(pl_ufun_red_line_count(pl_scenario_ufun(sc, 1)), 3);
    assert_int_equal(pl_ufun_red_line_count(pl_scenario_ufun(sc, 2)), 0);
    assert_int_equal(pl_scenario_to_parley_json(sc, &t1, &d), 0);
    back = load_text(t1, 0, &d);
    assert_int_equal(pl_scenario_to_parley_json(back, &t2, &d), 0);
    assert_string_equal(t1, t2);
    pl_free(t1);
    pl_free(t2);
    pl_scenario_free(back);
    pl_scenario_free(sc);

    /* A scenario without either writes neither key. */
    const char *plain = "{\"issues\": [{\"name\": \"x\", \"type\": \"discrete\", \"values\": [\"a\", \"b\"]}],"
                        " \"parties\": [{\"name\": \"p\", \"utility\": {\"type\": \"linear_additive\","
                        " \"weights\": {\"x\": 1}, \"values\": {\"x\": [0, 1]}}},"
                        " {\"name\": \"q\", \"utility\": {\"type\": \"linear_additive\","
                        " \"weights\": {\"x\": 1}, \"values\": {\"x\": [1, 0]}}}]}";
    sc = load_text(plain, 0, &d);
    assert_int_equal(pl_scenario_has_status_quo(sc), 0);
    assert_int_equal(pl_scenario_has_red_lines(sc), 0);
    assert_int_equal(pl_scenario_to_parley_json(sc, &t1, &d), 0);
    assert_null(strstr(t1, "status_quo"));
    assert_null(strstr(t1, "red_lines"));
    pl_free(t1);
    pl_scenario_free(sc);
}

/* rl_json with `from` replaced by `to` must fail with code, a path containing path_part, a message containing
 * msg_part, and the file name. */
static void expect_bad(const char *from, const char *to, int code, const char *path_part, const char *msg_part)
{
    const char *at = strstr(rl_json, from);
    if (!at) {
        print_error("test bug: \"%s\" not in the text\n", from);
        fail();
    }
    size_t n = strlen(rl_json) + strlen(to) + 1;
    char *text = malloc(n);
    assert_non_null(text);
    snprintf(text, n, "%.*s%s%s", (int)(at - rl_json), rl_json, to, at + strlen(from));
    pl_diag d;
    pl_scenario *sc = load_text(text, code, &d);
    assert_null(sc);
    free(text);
    if ((path_part && !strstr(d.path, path_part)) || (msg_part && !strstr(d.message, msg_part)) ||
        strcmp(d.file, "rl.json") != 0) {
        print_error("file \"%s\" path \"%s\" message \"%s\"; wanted path ~ %s, message ~ %s\n", d.file, d.path,
                    d.message, path_part ? path_part : "-", msg_part ? msg_part : "-");
        fail();
    }
}

static void test_json_errors(void **state)
{
    (void)state;
    const char *l0 = "parties[0].red_lines[0]", *l1 = "parties[0].red_lines[1]", *l2 = "parties[0].red_lines[2]";
    /* Unknown issue, in each place an issue is named. */
    expect_bad("{\"issue\": \"cease\", \"in\"", "{\"issue\": \"ceasefire\", \"in\"", PL_EPARSE, l0,
               "unknown issue \"ceasefire\"");
    expect_bad("{\"issue\": \"aid\", \"in\"", "{\"issue\": \"help\", \"in\"", PL_EPARSE, l0, "unknown issue");
    expect_bad("{\"issue\": \"n\", \"not\"", "{\"issue\": \"m\", \"not\"", PL_EPARSE, l1, "unknown issue");
    /* Unknown values: a label, a number that is not a value, a label of another issue. */
    expect_bad("[\"30 days\", \"permanent\"]", "[\"30 days\", \"forever\"]", PL_EPARSE, l0, "no value \"forever\"");
    expect_bad("\"not\": [0, \"25\"]", "\"not\": [0, 30]", PL_EPARSE, l1, "no value \"30\"");
    expect_bad("\"not\": 0.75}", "\"not\": 0.7}", PL_EPARSE, l2, "no value \"0.7\"");
    expect_bad("\"in\": [\"halted\"]", "\"in\": [\"permanent\"]", PL_EPARSE, l0, "no value \"permanent\"");
    expect_bad("\"not\": [0, \"25\"]", "\"not\": [0, true]", PL_EPARSE, l1, "a label or a number");
    /* Forms. */
    expect_bad("{\"issue\": \"n\", \"not\"", "{\"if\": {\"issue\": \"n\", \"in\": [0]}, \"issue\": \"n\", \"not\"",
               PL_EPARSE, l1, "{\"issue\", \"not\"} or {\"if\", \"then\"}");
    expect_bad(", \"note\": \"a truce needs aid halted\"", ", \"not\": [\"none\"]", PL_EPARSE, l0, "or {\"if\"");
    expect_bad("\"then\": {\"issue\": \"aid\", \"in\": [\"halted\"]}, ", "", PL_EPARSE, l0, "or {\"if\"");
    expect_bad("\"if\": {\"issue\": \"cease\", \"in\": [\"30 days\", \"permanent\"]},\n", "", PL_EPARSE, l0,
               "or {\"if\"");
    expect_bad("{\"issue\": \"n\", \"not\": [0, \"25\"]}", "{\"issue\": \"n\"}", PL_EPARSE, l1, "or {\"if\"");
    expect_bad("\"then\": {\"issue\": \"aid\", \"in\": [\"halted\"]}", "\"then\": {\"issue\": \"cease\", \"in\": [0]}",
               PL_EPARSE, l0, NULL);
    expect_bad("\"then\": {\"issue\": \"aid\", \"in\": [\"halted\"]}",
               "\"then\": {\"issue\": \"cease\", \"in\": [\"none\"]}", PL_EPARSE, l0, "another issue");
    expect_bad("\"then\": {\"issue\": \"aid\", \"in\": [\"halted\"]}", "\"then\": [\"aid\", \"halted\"]", PL_EPARSE, l0,
               "must be objects");
    expect_bad("\"then\": {\"issue\": \"aid\", \"in\": [\"halted\"]}", "\"then\": {\"issue\": \"aid\"}", PL_EPARSE, l0,
               "missing \"in\"");
    expect_bad("\"then\": {\"issue\": \"aid\", \"in\": [\"halted\"]}",
               "\"then\": {\"issue\": \"aid\", \"in\": [\"halted\"], \"or\": 1}", PL_EPARSE, l0, "unknown key");
    expect_bad("{\"issue\": \"r\", \"not\": 0.75}", "{\"issue\": \"r\", \"not\": 0.75, \"why\": \"x\"}", PL_EPARSE, l2,
               "unknown key");
    /* Sets: a value twice (as a label and as a number), an empty set. */
    expect_bad("\"not\": [0, \"25\"]", "\"not\": [25, \"25\"]", PL_EPARSE, l1, "listed twice");
    expect_bad("[\"30 days\", \"permanent\"]", "[\"30 days\", \"30 days\"]", PL_EPARSE, l0, "listed twice");
    expect_bad("\"not\": [0, \"25\"]", "\"not\": []", PL_EPARSE, l1, "at least one value");
    /* Types. */
    expect_bad("{\"issue\": \"r\", \"not\": 0.75}", "[\"r\", 0.75]", PL_EPARSE, l2, "must be an object");
    expect_bad("\"red_lines\": [{\"issue\": \"aid\", \"not\": [\"halted\"], \"note\": \"no halt\"}]",
               "\"red_lines\": {\"issue\": \"aid\", \"not\": [\"halted\"]}", PL_EPARSE, "parties[1].red_lines",
               "must be an array");
    expect_bad("\"note\": \"no halt\"", "\"note\": 7", PL_EPARSE, "parties[1].red_lines[0]", "note");
    /* The status quo. */
    expect_bad("\"status_quo\": {\"cease\": \"none\", \"n\": 25}", "\"status_quo\": {\"peace\": \"none\"}", PL_EPARSE,
               "status_quo", "unknown issue \"peace\"");
    expect_bad("\"status_quo\": {\"cease\": \"none\", \"n\": 25}", "\"status_quo\": {\"cease\": \"never\"}", PL_EPARSE,
               "status_quo", "no value \"never\"");
    expect_bad("\"status_quo\": {\"cease\": \"none\", \"n\": 25}", "\"status_quo\": {\"n\": 30}", PL_EPARSE,
               "status_quo", "no value \"30\"");
    expect_bad("\"status_quo\": {\"cease\": \"none\", \"n\": 25}", "\"status_quo\": [\"none\"]", PL_EPARSE,
               "status_quo", "must be an object");
    expect_bad("\"status_quo\": {\"cease\": \"none\", \"n\": 25}", "\"status_quo\": {\"cease\": null}", PL_EPARSE,
               "status_quo", "a label or a number");
}

/* ---- Genius XML ---- */

static void test_genius_xml_refuses(void **state)
{
    (void)state;
    pl_diag d;
    pl_scenario *sc = load_text(rl_json, 0, &d);
    char *dom = NULL, **prof = NULL;
    pl_diag_clear(&d);
    assert_int_equal(pl_scenario_to_genius_xml(sc, &dom, &prof, &d), PL_EUNSUPPORTED);
    assert_null(dom);
    assert_non_null(strstr(d.message, "red lines"));
    assert_non_null(strstr(d.message, "\"a\""));
    char dir[256], path[600];
    tu_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/rl.xml", dir);
    assert_int_equal(pl_scenario_save_genius_xml(sc, path, &d), PL_EUNSUPPORTED);
    assert_false(tu_exists(path));
    pl_scenario_free(sc);

    /* Without red lines it is written; the status quo is left out. */
    const char *sq = "{\"issues\": [{\"name\": \"x\", \"type\": \"discrete\", \"values\": [\"a\", \"b\"]}],"
                     " \"status_quo\": {\"x\": \"b\"},"
                     " \"parties\": [{\"name\": \"p\", \"utility\": {\"type\": \"linear_additive\","
                     " \"weights\": {\"x\": 1}, \"values\": {\"x\": [0, 1]}}},"
                     " {\"name\": \"q\", \"utility\": {\"type\": \"linear_additive\","
                     " \"weights\": {\"x\": 1}, \"values\": {\"x\": [1, 0]}}}]}";
    sc = load_text(sq, 0, &d);
    assert_int_equal(pl_scenario_save_genius_xml(sc, path, &d), 0);
    pl_scenario *back = tu_load1(dir);
    assert_int_equal(pl_scenario_has_status_quo(back), 0);
    assert_int_equal(pl_scenario_party_count(back), 2);
    pl_scenario_free(back);
    pl_scenario_free(sc);
    tu_rmtree(dir);
}

/* ---- The analysis against a brute force ---- */

#define MAXI 6
#define MAXP 3

/* ni discrete issues of nv[i] values; np linear parties with random weights and tables (few distinct values: ties),
 * 1-4 random red lines of both forms each, random reservations (a third of them 0). */
static pl_scenario *random_scenario(size_t np, size_t ni, const uint32_t *nv)
{
    pl_space *s = tu_space_new();
    assert_non_null(s);
    for (size_t i = 0; i < ni; i++) {
        char name[32], lab[8][16];
        const char *labels[8];
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
        for (size_t i = 0; i < ni; i++) {
            double t[8];
            for (uint32_t v = 0; v < nv[i]; v++) {
                t[v] = (double)rnd_below(4) / 3.0;
            }
            assert_int_equal(pl_ufun_linear_set_table(u, i, t), 0);
            assert_int_equal(pl_ufun_linear_set_weight(u, i, (double)(1 + rnd_below(4)) / (double)(2 * ni)), 0);
        }
        size_t nl = 1 + rnd_below(4);
        for (size_t k = 0; k < nl; k++) {
            uint32_t v1[8], v2[8];
            size_t n1 = 0, n2 = 0;
            uint32_t a = rnd_below((uint32_t)ni);
            /* A random non-empty proper subset of the issue's values (any subset for "then"). */
            for (uint32_t v = 0; v < nv[a]; v++) {
                if (rnd_below(3) == 0) {
                    v1[n1++] = v;
                }
            }
            if (n1 == 0 || n1 == nv[a]) {
                n1 = 1;
                v1[0] = rnd_below(nv[a]);
            }
            pl_red_line l = {.issue = a, .values = v1, .n_values = n1, .then_issue = -1};
            if (rnd_below(2)) {
                uint32_t b = (a + 1 + rnd_below((uint32_t)ni - 1)) % (uint32_t)ni;
                for (uint32_t v = 0; v < nv[b]; v++) {
                    if (rnd_below(2) == 0) {
                        v2[n2++] = v;
                    }
                }
                if (n2 == 0) {
                    v2[n2++] = rnd_below(nv[b]);
                }
                l.then_issue = b;
                l.then_values = v2;
                l.n_then = n2;
            }
            assert_int_equal(pl_ufun_add_red_line(u, &l, NULL), 0);
        }
        uint32_t r = rnd_below(6);
        assert_int_equal(pl_ufun_set_reservation(u, r < 2 ? 0 : (double)r / 10.0), 0);
        char name[32];
        snprintf(name, sizeof name, "p%zu", p);
        assert_int_equal(pl_scenario_add_party(sc, name, u, NULL), 0);
    }
    return sc;
}

typedef struct bf_entry {
    double u[MAXP];
    uint64_t idx;
} bf_entry;

static size_t bf_np; /* the comparison's party count (unused coordinates are 0 anyway) */

static int bf_cmp(const void *a, const void *b)
{
    const bf_entry *x = a, *y = b;
    for (size_t k = 0; k < bf_np; k++) {
        if (x->u[k] != y->u[k]) {
            return x->u[k] > y->u[k] ? -1 : 1;
        }
    }
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static pl_frontier *frontier(const pl_scenario *sc, pl_pareto_algorithm algo, const size_t *parties, size_t np,
                             uint32_t cap)
{
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = algo;
    o.parties = parties;
    o.n_parties = np;
    o.outcomes_per_point = cap;
    o.threads = 2;
    pl_frontier *f = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_frontier_compute(sc, &o, &f, &d);
    if (rc < 0) {
        print_error("%s: %s\n", pl_pareto_algorithm_name(algo), d.message);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(pl_frontier_algorithm(f), algo);
    return f;
}

/* Two frontiers are the same, point for point: vectors bit for bit, totals, stored outcomes. */
static void same_frontier(const pl_frontier *a, const pl_frontier *b, size_t ni)
{
    size_t np = pl_frontier_party_count(a);
    assert_int_equal(pl_frontier_size(a), pl_frontier_size(b));
    assert_int_equal(pl_frontier_party_count(b), np);
    for (size_t p = 0; p < pl_frontier_size(a); p++) {
        assert_memory_equal(pl_frontier_utilities(a, p), pl_frontier_utilities(b, p), np * sizeof(double));
        assert_int_equal(pl_frontier_outcome_total(a, p), pl_frontier_outcome_total(b, p));
        assert_int_equal(pl_frontier_outcome_count(a, p), pl_frontier_outcome_count(b, p));
        for (size_t j = 0; j < pl_frontier_outcome_count(a, p); j++) {
            assert_memory_equal(pl_frontier_outcome(a, p, j), pl_frontier_outcome(b, p, j), ni * sizeof(uint32_t));
        }
    }
}

/* The frontier f against every outcome evaluated here: same vectors, totals, and the first stored outcomes in dense
 * order. */
static void check_brute_frontier(const pl_scenario *sc, const pl_frontier *f, const size_t *party, size_t np,
                                 uint32_t cap)
{
    const pl_space *s = pl_scenario_space(sc);
    uint64_t n;
    assert_int_equal(pl_space_outcome_count(s, &n), 0);
    bf_entry *e = calloc(n, sizeof *e);
    size_t *kept = malloc(n * sizeof *kept), *kend = malloc(n * sizeof *kend);
    assert_non_null(e);
    assert_non_null(kept);
    assert_non_null(kend);
    uint32_t o[MAXI];
    for (uint64_t x = 0; x < n; x++) {
        pl_space_outcome_at(s, x, o);
        for (size_t k = 0; k < np; k++) {
            const pl_ufun *u = pl_scenario_ufun(sc, party[k]);
            /* 0 where a line is broken, written out rather than trusting pl_ufun_eval's shortcut. */
            e[x].u[k] = pl_ufun_first_broken(u, o) >= 0 ? 0 : pl_ufun_eval_raw(u, o);
            assert_true(e[x].u[k] == pl_ufun_eval(u, o));
        }
        e[x].idx = x;
    }
    bf_np = np;
    qsort(e, n, sizeof *e, bf_cmp);
    size_t nk = 0;
    for (size_t g = 0; g < n;) {
        size_t end = g + 1;
        while (end < n && memcmp(e[end].u, e[g].u, np * sizeof(double)) == 0) {
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
    assert_int_equal(pl_frontier_size(f), nk);
    for (size_t q = 0; q < nk; q++) {
        assert_memory_equal(pl_frontier_utilities(f, q), e[kept[q]].u, np * sizeof(double));
        size_t total = kend[q] - kept[q];
        assert_int_equal(pl_frontier_outcome_total(f, q), total);
        assert_int_equal(pl_frontier_outcome_count(f, q), total < cap ? total : cap);
        for (size_t j = 0; j < pl_frontier_outcome_count(f, q); j++) {
            uint64_t idx;
            assert_int_equal(pl_space_outcome_index(s, pl_frontier_outcome(f, q, j), &idx), 0);
            assert_int_equal(idx, e[kept[q] + j].idx);
        }
    }
    free(e);
    free(kept);
    free(kend);
}

/* 1 when o is acceptable to every listed party. */
static int all_accept(const pl_scenario *sc, const size_t *party, size_t np, const uint32_t *o)
{
    for (size_t k = 0; k < np; k++) {
        if (!pl_ufun_acceptable(pl_scenario_ufun(sc, party[k]), o)) {
            return 0;
        }
    }
    return 1;
}

/* The analysis: the zone of agreement counted by brute force, the Nash product the best among outcomes acceptable
 * to all, and the bargaining points' reported outcomes breaking no line. Returns the brute-force zone count. */
static uint64_t check_analysis(const pl_scenario *sc, const pl_analysis *a, const size_t *party, size_t np)
{
    const pl_space *s = pl_scenario_space(sc);
    const pl_frontier *f = pl_analysis_frontier(a);
    uint64_t n, zopa = 0;
    assert_int_equal(pl_space_outcome_count(s, &n), 0);
    double res[MAXP], best_prod = -1;
    for (size_t k = 0; k < np; k++) {
        res[k] = pl_ufun_reservation(pl_scenario_ufun(sc, party[k]));
    }
    uint32_t o[MAXI];
    for (uint64_t x = 0; x < n; x++) {
        pl_space_outcome_at(s, x, o);
        if (!all_accept(sc, party, np, o)) {
            continue;
        }
        zopa++;
        double prod = 1;
        for (size_t k = 0; k < np; k++) {
            prod *= pl_ufun_eval(pl_scenario_ufun(sc, party[k]), o) - res[k];
        }
        best_prod = prod > best_prod ? prod : best_prod;
    }
    uint64_t z;
    assert_int_equal(pl_analysis_zopa(a, &z), 0);
    assert_int_equal(z, zopa);
    long nash = pl_analysis_point(a, PL_POINT_NASH);
    if (zopa == 0) {
        for (int kind = 0; kind < PL_POINT_KINDS; kind++) {
            if (kind != PL_POINT_MAX_WELFARE) {
                assert_int_equal(pl_analysis_point(a, (pl_point_kind)kind), -1);
            }
        }
        return zopa;
    }
    if (best_prod > 0) {
        /* A positive product: every outcome acceptable to all that reaches it is on the frontier. */
        assert_true(nash >= 0);
        const double *u = pl_frontier_utilities(f, (size_t)nash);
        double prod = 1;
        for (size_t k = 0; k < np; k++) {
            prod *= u[k] - res[k];
        }
        assert_double_equal(prod, best_prod, 1e-12);
    }
    for (int kind = 0; kind < PL_POINT_KINDS; kind++) {
        long p = pl_analysis_point(a, (pl_point_kind)kind);
        if (kind == PL_POINT_MAX_WELFARE || p < 0) {
            continue;
        }
        /* The outcome reported for the point (its first stored one) is acceptable to all. */
        assert_true(pl_frontier_outcome_count(f, (size_t)p) > 0);
        assert_true(all_accept(sc, party, np, pl_frontier_outcome(f, (size_t)p, 0)));
    }
    return zopa;
}

static void test_frontier_random(void **state)
{
    (void)state;
    rng_state = 0x5eed2025ull;
    uint64_t zopa_zero = 0, zopa_some = 0, res_zero = 0, subsets = 0;
    for (int trial = 0; trial < 400; trial++) {
        size_t np = 2 + (size_t)(trial % 2);
        size_t ni = 3 + rnd_below(4);
        uint32_t nv[MAXI];
        for (size_t i = 0; i < ni; i++) {
            nv[i] = 2 + rnd_below(4);
        }
        pl_scenario *sc = random_scenario(np, ni, nv);
        /* Analyse all parties, or (one trial in four) a subset in another order. */
        size_t party[MAXP], na = np;
        for (size_t k = 0; k < np; k++) {
            party[k] = k;
        }
        if (trial % 4 == 3) {
            na = np - 1;
            for (size_t k = 0; k < na; k++) {
                party[k] = np - 1 - k;
            }
            subsets++;
        }
        for (size_t k = 0; k < na; k++) {
            res_zero += pl_ufun_reservation(pl_scenario_ufun(sc, party[k])) == 0;
        }
        uint32_t cap = trial % 3 == 0 ? 1 : (trial % 3 == 1 ? 3 : 16);
        pl_frontier *fm = frontier(sc, PL_PARETO_MERGE, party, na, cap);
        pl_frontier *fe = frontier(sc, PL_PARETO_ENUMERATE, party, na, cap);
        same_frontier(fm, fe, ni);
        check_brute_frontier(sc, fm, party, na, cap);
        pl_frontier_free(fm);
        pl_frontier_free(fe);

        /* The analysis, by the automatic choice (merge) and by enumeration: the same points, zone and extremes. */
        pl_analysis_options o;
        pl_analysis_options_init(&o);
        o.parties = party;
        o.n_parties = na;
        o.outcomes_per_point = cap;
        pl_analysis *am = NULL, *ae = NULL;
        pl_diag d;
        assert_int_equal(pl_analyze(sc, &o, &am, &d), 0);
        assert_int_equal(pl_frontier_algorithm(pl_analysis_frontier(am)), PL_PARETO_MERGE);
        o.algorithm = PL_PARETO_ENUMERATE;
        assert_int_equal(pl_analyze(sc, &o, &ae, &d), 0);
        uint64_t z = check_analysis(sc, am, party, na);
        check_analysis(sc, ae, party, na);
        for (int kind = 0; kind < PL_POINT_KINDS; kind++) {
            assert_int_equal(pl_analysis_point(am, (pl_point_kind)kind), pl_analysis_point(ae, (pl_point_kind)kind));
        }
        for (size_t k = 0; k < na; k++) {
            double um, ue;
            const uint32_t *bm = pl_analysis_best(am, k, &um), *be = pl_analysis_best(ae, k, &ue);
            assert_non_null(bm);
            assert_non_null(be);
            assert_true(um == ue);
            assert_memory_equal(bm, be, ni * sizeof *bm);
        }
        zopa_zero += z == 0;
        zopa_some += z > 0;
        pl_analysis_free(am);
        pl_analysis_free(ae);
        pl_scenario_free(sc);
    }
    /* The trials covered both kinds of outcome. */
    print_message("zone empty in %llu trials, not in %llu; %llu reservations 0; %llu party subsets\n",
                  (unsigned long long)zopa_zero, (unsigned long long)zopa_some, (unsigned long long)res_zero,
                  (unsigned long long)subsets);
    assert_true(zopa_zero > 0 && zopa_some > 0 && res_zero > 0);
}

static void test_no_acceptable_outcome(void **state)
{
    (void)state;
    /* Issue x has two values; a refuses x0, b refuses x1: every outcome breaks someone's line. */
    const char *text = "{\"issues\": [{\"name\": \"x\", \"type\": \"discrete\", \"values\": [\"x0\", \"x1\"]},"
                       " {\"name\": \"y\", \"type\": \"discrete\", \"values\": [\"y0\", \"y1\", \"y2\"]}],"
                       " \"parties\": [{\"name\": \"a\", \"utility\": {\"type\": \"linear_additive\","
                       " \"weights\": {\"x\": 0.5, \"y\": 0.5}, \"values\": {\"x\": [1, 0], \"y\": [0, 0.5, 1]}},"
                       " \"red_lines\": [{\"issue\": \"x\", \"not\": [\"x0\"]}]},"
                       " {\"name\": \"b\", \"utility\": {\"type\": \"linear_additive\","
                       " \"weights\": {\"x\": 0.5, \"y\": 0.5}, \"values\": {\"x\": [0, 1], \"y\": [1, 0.5, 0]}},"
                       " \"red_lines\": [{\"issue\": \"x\", \"not\": [\"x1\"]}]}]}";
    pl_diag d;
    pl_scenario *sc = load_text(text, 0, &d);
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    for (int algo = PL_PARETO_AUTO; algo <= PL_PARETO_MERGE; algo++) {
        o.algorithm = (pl_pareto_algorithm)algo;
        pl_analysis *a = NULL;
        assert_int_equal(pl_analyze(sc, &o, &a, &d), 0);
        uint64_t z;
        assert_int_equal(pl_analysis_zopa(a, &z), 0);
        assert_int_equal(z, 0);
        assert_int_equal(pl_analysis_point(a, PL_POINT_NASH), -1);
        assert_int_equal(pl_analysis_point(a, PL_POINT_KALAI_SMORODINSKY), -1);
        assert_int_equal(pl_analysis_point(a, PL_POINT_EGALITARIAN), -1);
        assert_true(pl_analysis_point(a, PL_POINT_MAX_WELFARE) >= 0);
        /* Every outcome is worth 0 to one party: the frontier is (0, 0.5 + ...) and (... , 0) points. */
        const pl_frontier *f = pl_analysis_frontier(a);
        for (size_t p = 0; p < pl_frontier_size(f); p++) {
            const double *u = pl_frontier_utilities(f, p);
            assert_true(u[0] == 0 || u[1] == 0);
        }
        pl_analysis_free(a);
    }
    pl_scenario_free(sc);
}

/* Seven issues of 6 values; a: if i0 (i2, i4) is v5 then i1 (i3, i5) must be v0 or v1; b (when b_line): i6 must not
 * be v0. */
static pl_scenario *cells_scenario(int b_line)
{
    pl_space *s = tu_space_new();
    assert_non_null(s);
    for (size_t i = 0; i < 7; i++) {
        char name[32];
        const char *labels[6] = {"v0", "v1", "v2", "v3", "v4", "v5"};
        snprintf(name, sizeof name, "i%zu", i);
        assert_int_equal(pl_space_add_discrete(s, name, 6, labels, NULL), 0);
    }
    pl_scenario *sc = tu_scenario_new(s);
    assert_non_null(sc);
    static const uint32_t top[] = {5}, low[] = {0, 1}, zero[] = {0};
    for (size_t p = 0; p < 2; p++) {
        pl_ufun *v = tu_ufun_linear_new(pl_scenario_space(sc));
        assert_non_null(v);
        for (size_t i = 0; i < 7; i++) {
            double t[6];
            for (uint32_t x = 0; x < 6; x++) {
                t[x] = p == 0 ? x / 5.0 : (5 - x) / 5.0;
            }
            assert_int_equal(pl_ufun_linear_set_table(v, i, t), 0);
            assert_int_equal(pl_ufun_linear_set_weight(v, i, 1.0 / 7), 0);
        }
        if (p == 0) {
            for (uint32_t i = 0; i < 6; i += 2) {
                pl_red_line l = {
                    .issue = i, .values = top, .n_values = 1, .then_issue = i + 1, .then_values = low, .n_then = 2};
                assert_int_equal(pl_ufun_add_red_line(v, &l, NULL), 0);
            }
        } else if (b_line) {
            pl_red_line l = {.issue = 6, .values = zero, .n_values = 1, .then_issue = -1};
            assert_int_equal(pl_ufun_add_red_line(v, &l, NULL), 0);
        }
        assert_int_equal(pl_scenario_add_party(sc, p == 0 ? "a" : "b", v, NULL), 0);
    }
    return sc;
}

static void test_cell_limit(void **state)
{
    (void)state;
    /* With b's line the red lines mention all seven issues: 6^7 = 279,936 cells, more than the merge solves. */
    pl_scenario *sc = cells_scenario(1);
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_MERGE;
    pl_frontier *fm = NULL, *fe = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_frontier_compute(sc, &o, &fm, &d), PL_ETOOBIG);
    assert_null(fm);
    assert_non_null(strstr(d.message, "279936"));
    assert_non_null(strstr(d.message, "too many for the merge algorithm"));
    /* Chosen automatically, it enumerates instead (279,936 outcomes)... */
    o.algorithm = PL_PARETO_AUTO;
    pl_diag_clear(&d);
    assert_int_equal(pl_frontier_compute(sc, &o, &fm, &d), 0);
    assert_int_equal(pl_frontier_algorithm(fm), PL_PARETO_ENUMERATE);
    assert_true(pl_frontier_exact(fm));
    pl_frontier_free(fm);
    /* ... and so does the analysis, with its zone of agreement ... */
    pl_analysis *a = NULL;
    assert_int_equal(pl_analyze(sc, &o, &a, &d), 0);
    assert_int_equal(pl_frontier_algorithm(pl_analysis_frontier(a)), PL_PARETO_ENUMERATE);
    uint64_t z;
    assert_int_equal(pl_analysis_zopa(a, &z), 0);
    /* Acceptable to both (reservations 0): i6 is not v0 (5 of 6 values) and no pair is (v5, v2..v5) (32 of 36
     * combinations each): 5 * 32^3. */
    assert_int_equal(z, 5 * 32 * 32 * 32);
    pl_analysis_free(a);
    /* ... or searches when the space is above the enumeration limit. */
    o.enumerate_limit = 1000;
    o.search_restarts = 5;
    assert_int_equal(pl_frontier_compute(sc, &o, &fm, &d), 0);
    assert_int_equal(pl_frontier_algorithm(fm), PL_PARETO_SEARCH);
    assert_int_equal(pl_frontier_exact(fm), 0);
    pl_frontier_free(fm);
    /* Analysing b alone, whose line mentions one issue, the merge applies again (6 cells). */
    size_t only_b = 1;
    o.algorithm = PL_PARETO_MERGE;
    o.parties = &only_b;
    o.n_parties = 1;
    assert_int_equal(pl_frontier_compute(sc, &o, &fm, &d), 0);
    o.algorithm = PL_PARETO_ENUMERATE;
    assert_int_equal(pl_frontier_compute(sc, &o, &fe, &d), 0);
    same_frontier(fm, fe, 7);
    pl_frontier_free(fm);
    pl_frontier_free(fe);
    pl_scenario_free(sc);

    /* Without b's line: 6^6 = 46,656 cells, within the limit; the merge equals the enumeration. */
    sc = cells_scenario(0);
    o.parties = NULL;
    o.n_parties = 0;
    o.algorithm = PL_PARETO_MERGE;
    assert_int_equal(pl_frontier_compute(sc, &o, &fm, &d), 0);
    o.algorithm = PL_PARETO_ENUMERATE;
    assert_int_equal(pl_frontier_compute(sc, &o, &fe, &d), 0);
    same_frontier(fm, fe, 7);
    pl_frontier_free(fm);
    pl_frontier_free(fe);
    pl_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms_by_hand),    cmocka_unit_test(test_add_errors),
        cmocka_unit_test(test_copy_keeps_lines), cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_json_errors),      cmocka_unit_test(test_genius_xml_refuses),
        cmocka_unit_test(test_frontier_random),  cmocka_unit_test(test_no_acceptable_outcome),
        cmocka_unit_test(test_cell_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
