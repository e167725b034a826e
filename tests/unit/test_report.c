/* The agreements-and-divergences report on small scenarios whose answers are worked out by hand (in the comments),
 * plus a brute-force check of the predicted agreement, and reading run results back. */
#include "testutil.h"

/* Four issues, status quo the first value of each.
 *   p1: x b=1 (w .4), y q=1 (w .3), z n=1 o=.5 (w .2), w w0=1 w1=.5 (w .1); red line: if x is b then y must be p.
 *   p2: x b=1 (w .3), y p=1 (w .4), z m=1 o=.5 (w .2), w w0=1 w1=.2 (w .1); red line: y must not be q.
 * Reservations 0. Hand results:
 *   - y: p1 wants q, every outcome with y=q breaks p2's line, which refuses q outright and no acceptable deal moves y
 *     -> divergent by rule (c) (non-negotiable); red lines bearing on y: p1's precondition (it requires y=p), p2's.
 *   - x: x=b needs y=p (p1's precondition), which p2 wants anyway -> movable, b attainable, both hold b ideal.
 *   - z: every value attainable. Ideals p1 {n}, p2 {m}.
 *   - w: both hold w0 (the status quo) ideal; w1, w2 attainable -> "not addressed" when left at w0 (nobody wants it
 *     moved).
 *   - acceptable outcomes: y must be p: 2 * 1 * 3 * 3 = 18. */
static const char *const SC1 =
    "{\"name\": \"hand\", \"issues\": ["
    " {\"name\": \"x\", \"type\": \"discrete\", \"values\": [\"a\", \"b\"]},"
    " {\"name\": \"y\", \"type\": \"discrete\", \"values\": [\"p\", \"q\"]},"
    " {\"name\": \"z\", \"type\": \"discrete\", \"values\": [\"m\", \"n\", \"o\"]},"
    " {\"name\": \"w\", \"type\": \"discrete\", \"values\": [\"w0\", \"w1\", \"w2\"]}],"
    " \"status_quo\": {\"x\": \"a\", \"y\": \"p\", \"z\": \"m\", \"w\": \"w0\"},"
    " \"parties\": ["
    "  {\"name\": \"p1\", \"utility\": {\"type\": \"linear_additive\","
    "    \"weights\": {\"x\": 0.4, \"y\": 0.3, \"z\": 0.2, \"w\": 0.1},"
    "    \"values\": {\"x\": {\"a\": 0, \"b\": 1}, \"y\": {\"p\": 0, \"q\": 1}, \"z\": {\"m\": 0, \"n\": 1, \"o\": 0.5},"
    "                \"w\": {\"w0\": 1, \"w1\": 0.5, \"w2\": 0}}},"
    "   \"red_lines\": [{\"if\": {\"issue\": \"x\", \"in\": [\"b\"]}, \"then\": {\"issue\": \"y\", \"in\": [\"p\"]}}]},"
    "  {\"name\": \"p2\", \"utility\": {\"type\": \"linear_additive\","
    "    \"weights\": {\"x\": 0.3, \"y\": 0.4, \"z\": 0.2, \"w\": 0.1},"
    "    \"values\": {\"x\": {\"a\": 0, \"b\": 1}, \"y\": {\"p\": 1, \"q\": 0}, \"z\": {\"m\": 1, \"n\": 0, \"o\": 0.5},"
    "                \"w\": {\"w0\": 1, \"w1\": 0.2, \"w2\": 0}}},"
    "   \"red_lines\": [{\"issue\": \"y\", \"not\": [\"q\"]}]}]}";

static pl_scenario *load(const char *text)
{
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_scenario_load_parley_json_mem(text, strlen(text), "test", NULL, &sc, &d);
    if (rc < 0) {
        print_error("%s\n", d.message);
    }
    assert_int_equal(rc, 0);
    return sc;
}

static pl_report *build(const pl_scenario *sc, const uint32_t *agreement, unsigned threads)
{
    pl_report_options o;
    pl_report_options_init(&o);
    o.threads = threads;
    pl_report *r = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_report_build(sc, agreement, &o, &r, &d), 0);
    return r;
}

static void test_statuses_by_hand(void **state)
{
    (void)state;
    pl_scenario *sc = load(SC1);
    /* Agreement x=b, y=p, z=m, w=w0. */
    uint32_t ag1[4] = {1, 0, 0, 0};
    pl_report *r = build(sc, ag1, 1);
    assert_int_equal(pl_report_status(r, 0), PL_ISSUE_AGREED);
    assert_int_equal(pl_report_status(r, 1), PL_ISSUE_DIVERGENT);   /* rule (c) */
    assert_int_equal(pl_report_status(r, 2), PL_ISSUE_DIVERGENT);   /* rule (a): p1's ideal n is attainable */
    assert_int_equal(pl_report_status(r, 3), PL_ISSUE_NOT_ADDRESSED);
    assert_string_equal(pl_issue_status_name(PL_ISSUE_DIVERGENT), "divergent");
    assert_string_equal(pl_issue_status_name(PL_ISSUE_NOT_REACHED), "not reached");
    uint64_t n;
    assert_int_equal(pl_report_acceptable_count(r, &n), 0);
    assert_int_equal(n, 18);
    /* y is divergent, not "not reached": no blockers; the red lines bearing on it are p1's precondition (requiring
     * y=p, which p2's line does not refuse: it forbids q) and p2's line. */
    const pl_report_blocker *b;
    assert_int_equal(pl_report_blockers(r, 1, &b), 0);
    assert_int_equal(pl_report_blockers(r, 0, &b), 0);
    assert_int_equal(pl_report_red_lines(r, 1, &b), 2);
    assert_int_equal(b[0].party, 0);
    assert_int_equal(b[0].red_line, 0);
    assert_int_equal(b[1].party, 1);
    assert_int_equal(b[1].red_line, 0);
    size_t by = 99;
    assert_int_equal(pl_report_refusal(r, 0, 0, &by), -1);
    assert_int_equal(by, 99);
    assert_int_equal(pl_report_refusal(r, 1, 0, &by), -1); /* not a precondition */
    assert_int_equal(pl_report_red_lines(r, 2, &b), 0);
    assert_int_equal(pl_report_red_lines(r, 0, &b), 1); /* x: p1's precondition is triggered by x=b */
    /* Attainability. */
    assert_int_equal(pl_report_attainable(r, 1, 1), 0);
    assert_int_equal(pl_report_attainable(r, 1, 0), 1);
    assert_int_equal(pl_report_attainable(r, 0, 1), 1);
    assert_int_equal(pl_report_attainable(r, 3, 2), 1);
    /* Ideals. */
    const uint32_t *v;
    assert_int_equal(pl_report_ideals(r, 0, 2, &v), 1);
    assert_int_equal(v[0], 1);
    assert_int_equal(pl_report_ideals(r, 1, 2, &v), 1);
    assert_int_equal(v[0], 0);
    assert_true(pl_report_is_ideal(r, 0, 0, 1) && pl_report_is_ideal(r, 1, 0, 1));
    assert_int_equal(pl_report_predicted(r), 0);
    pl_report_free(r);

    /* Agreement x=a, y=p, z=o, w=w1: x left although both want b (attainable) -> divergent; z, w moved. */
    uint32_t ag2[4] = {0, 0, 2, 1};
    r = build(sc, ag2, 2);
    assert_int_equal(pl_report_status(r, 0), PL_ISSUE_DIVERGENT);
    assert_int_equal(pl_report_status(r, 1), PL_ISSUE_DIVERGENT);
    assert_int_equal(pl_report_status(r, 2), PL_ISSUE_AGREED);
    assert_int_equal(pl_report_status(r, 3), PL_ISSUE_AGREED);
    pl_report_free(r);
    pl_scenario_free(sc);
}

/* Without red lines, a reservation value alone can block: p2 needs 0.75 and gets 0.5 at most once x or y moves.
 *   p1: x b=1, y q=1 (w .5 each); p2: x a=1, y p=1 (w .5 each), reservation 0.75. Status quo (a, p).
 * Only (a, p) is acceptable (u = (0, 1)): the prediction is the status quo and both issues are blocked by p2's
 * reservation value (one constraint each: the moves that break fewest break only it). With p1's reservation at 0.9
 * nothing is acceptable: no agreement, both issues blocked. Moving x: (b, p) breaks both reservations (0.5 < 0.9,
 * 0.5 < 0.75), (b, q) only p2's (p1 gets 1): the fewest is one, p2's reservation; the same for y. */
static const char *const SC2 =
    "{\"name\": \"res\", \"issues\": ["
    " {\"name\": \"x\", \"type\": \"discrete\", \"values\": [\"a\", \"b\"]},"
    " {\"name\": \"y\", \"type\": \"discrete\", \"values\": [\"p\", \"q\"]}],"
    " \"status_quo\": {\"x\": \"a\", \"y\": \"p\"},"
    " \"parties\": ["
    "  {\"name\": \"p1\", \"reservation\": %s, \"utility\": {\"type\": \"linear_additive\","
    "    \"weights\": {\"x\": 0.5, \"y\": 0.5}, \"values\": {\"x\": {\"a\": 0, \"b\": 1}, \"y\": {\"p\": 0, \"q\": 1}}}},"
    "  {\"name\": \"p2\", \"reservation\": 0.75, \"utility\": {\"type\": \"linear_additive\","
    "    \"weights\": {\"x\": 0.5, \"y\": 0.5}, \"values\": {\"x\": {\"a\": 1, \"b\": 0}, \"y\": {\"p\": 1, \"q\": 0}}}}]}";

static void test_reservation_blocks(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text, SC2, "0");
    pl_scenario *sc = load(text);
    pl_report *r = build(sc, NULL, 0);
    assert_int_equal(pl_report_predicted(r), 1);
    assert_int_equal(pl_report_has_agreement(r), 1);
    assert_int_equal(pl_report_agreement(r)[0], 0);
    assert_int_equal(pl_report_agreement(r)[1], 0);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(pl_report_status(r, i), PL_ISSUE_NOT_REACHED);
        const pl_report_blocker *b;
        assert_int_equal(pl_report_blockers(r, i, &b), 1);
        assert_int_equal(b[0].party, 1);
        assert_int_equal(b[0].red_line, -1);
    }
    pl_report_free(r);
    pl_scenario_free(sc);

    snprintf(text, sizeof text, SC2, "0.9");
    sc = load(text);
    r = build(sc, NULL, 0);
    assert_int_equal(pl_report_has_agreement(r), 0);
    uint64_t n;
    assert_int_equal(pl_report_acceptable_count(r, &n), 0);
    assert_int_equal(n, 0);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(pl_report_status(r, i), PL_ISSUE_NOT_REACHED);
        const pl_report_blocker *b;
        assert_int_equal(pl_report_blockers(r, i, &b), 1);
        assert_int_equal(b[0].party, 1);
        assert_int_equal(b[0].red_line, -1);
    }
    pl_report_free(r);
    pl_scenario_free(sc);
}

/* The prediction is the Nash point: its product of gains equals the brute-force maximum over acceptable outcomes,
 * and the report's statuses do not depend on the thread count. */
static void test_prediction_brute_force(void **state)
{
    (void)state;
    pl_scenario *sc = load(SC1);
    pl_report *r1 = build(sc, NULL, 1), *r2 = build(sc, NULL, 2);
    assert_int_equal(pl_report_has_agreement(r1), 1);
    const pl_space *s = pl_scenario_space(sc);
    uint64_t count;
    assert_int_equal(pl_space_outcome_count(s, &count), 0);
    double best = -1;
    uint32_t o[4];
    for (uint64_t x = 0; x < count; x++) {
        pl_space_outcome_at(s, x, o);
        const pl_ufun *u1 = pl_scenario_ufun(sc, 0), *u2 = pl_scenario_ufun(sc, 1);
        if (!pl_ufun_acceptable(u1, o) || !pl_ufun_acceptable(u2, o)) {
            continue;
        }
        double prod = (pl_ufun_eval(u1, o) - pl_ufun_reservation(u1)) * (pl_ufun_eval(u2, o) - pl_ufun_reservation(u2));
        best = prod > best ? prod : best;
    }
    const uint32_t *a = pl_report_agreement(r1);
    double got = pl_ufun_eval(pl_scenario_ufun(sc, 0), a) * pl_ufun_eval(pl_scenario_ufun(sc, 1), a);
    assert_double_equal(got, best, 1e-12);
    assert_memory_equal(pl_report_agreement(r1), pl_report_agreement(r2), sizeof o);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(pl_report_status(r1, i), pl_report_status(r2, i));
    }
    pl_report_free(r1);
    pl_report_free(r2);
    pl_scenario_free(sc);
}

/* Indifference: a weight of 0 makes every value ideal; without a status quo every issue counts as agreed. */
static void test_indifference_and_no_status_quo(void **state)
{
    (void)state;
    static const char *const text =
        "{\"name\": \"flat\", \"issues\": [{\"name\": \"x\", \"type\": \"discrete\", \"values\": [\"a\", \"b\", \"c\"]}],"
        " \"parties\": ["
        "  {\"name\": \"p1\", \"utility\": {\"type\": \"linear_additive\", \"weights\": {\"x\": 1},"
        "    \"values\": {\"x\": [0.5, 0.5, 0.5]}}},"
        "  {\"name\": \"p2\", \"utility\": {\"type\": \"linear_additive\", \"weights\": {\"x\": 1},"
        "    \"values\": {\"x\": [0, 1, 1]}}}]}";
    pl_scenario *sc = load(text);
    uint32_t ag[1] = {2};
    pl_report *r = build(sc, ag, 0);
    const uint32_t *v;
    assert_int_equal(pl_report_ideals(r, 0, 0, &v), 3);
    assert_int_equal(pl_report_ideals(r, 1, 0, &v), 2); /* b and c tie */
    assert_int_equal(v[0], 1);
    assert_int_equal(v[1], 2);
    assert_int_equal(pl_report_status(r, 0), PL_ISSUE_AGREED);
    assert_int_equal(pl_report_attainable(r, 0, 0), -1); /* nothing left at a status quo: no scan */
    pl_report_free(r);
    pl_scenario_free(sc);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_run_record(void **state)
{
    (void)state;
    pl_scenario *sc = load(SC1);
    char dir[256], path[512];
    tu_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/run.json", dir);
    pl_run_record rec;
    uint32_t ag[4], ft[4];
    pl_diag d;

    write_text(path, "{\"scenario\": \"hand\", \"protocol\": \"single-text\", \"status\": \"deadline\", \"reason\": \"r\","
                     " \"agreement\": null, \"final_text\": {\"x\": \"b\", \"y\": \"p\", \"z\": \"o\", \"w\": \"w0\"}}");
    pl_diag_clear(&d);
    assert_int_equal(pl_run_record_load(sc, path, &rec, ag, ft, &d), 0);
    assert_int_equal(rec.has_agreement, 0);
    assert_int_equal(rec.has_final_text, 1);
    assert_int_equal(ft[0], 1);
    assert_int_equal(ft[2], 2);
    assert_string_equal(rec.status, "deadline");

    write_text(path, "{\"scenario\": \"hand\", \"status\": \"agreement\", \"agreement\": {\"x\": \"a\", \"y\": \"p\","
                     " \"z\": \"n\", \"w\": \"w2\"}}");
    assert_int_equal(pl_run_record_load(sc, path, &rec, ag, NULL, &d), 0);
    assert_int_equal(rec.has_agreement, 1);
    assert_int_equal(ag[2], 1);
    assert_int_equal(ag[3], 2);

    /* Errors: another scenario, an unknown value, malformed JSON (with its line), not a run result. */
    write_text(path, "{\"scenario\": \"other\", \"status\": \"agreement\", \"agreement\": null}");
    pl_diag_clear(&d);
    assert_int_equal(pl_run_record_load(sc, path, &rec, ag, NULL, &d), PL_EINVAL);
    assert_non_null(strstr(d.message, "other"));
    write_text(path, "{\"status\": \"agreement\", \"agreement\": {\"x\": \"zz\", \"y\": \"p\", \"z\": \"n\", \"w\": \"w2\"}}");
    assert_int_equal(pl_run_record_load(sc, path, &rec, ag, NULL, &d), PL_EINVAL);
    write_text(path, "{\n\"status\": \"agreement\",\n\"agreement\": {\n");
    pl_diag_clear(&d);
    assert_int_equal(pl_run_record_load(sc, path, &rec, ag, NULL, &d), PL_EPARSE);
    assert_true(d.line >= 3);
    write_text(path, "[1, 2]");
    assert_int_equal(pl_run_record_load(sc, path, &rec, ag, NULL, &d), PL_EPARSE);
    unlink(path);
    rmdir(dir);
    pl_scenario_free(sc);
}

/* The ceasefire scenario (checked in): the press report's partial deal gives the analyst's reading. */
static void test_ceasefire_news_deal(void **state)
{
    (void)state;
    const char *path = PL_SCENARIOS "/ceasefire-2025.json";
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_scenario_load(&path, 1, NULL, &sc, &d), 0);
    uint32_t ag[12];
    assert_int_equal(pl_space_parse_outcome(pl_scenario_space(sc),
                                            "energy_strike_moratorium=30 days,black_sea=talks begin,"
                                            "general_ceasefire=none,foreign_military_aid=continues,"
                                            "intelligence_sharing=continues,ukrainian_mobilization=continues,"
                                            "ukrainian_rearmament=continues,prisoner_exchange=175,wounded_returned=23,"
                                            "territory=not addressed,us_russia_relations=expert teams,"
                                            "hockey_matches=yes",
                                            ag, &d),
                     0);
    pl_report *r = build(sc, ag, 0);
    static const pl_issue_status want[12] = {
        PL_ISSUE_AGREED,     PL_ISSUE_AGREED,     PL_ISSUE_NOT_REACHED, PL_ISSUE_DIVERGENT,
        PL_ISSUE_DIVERGENT,  PL_ISSUE_DIVERGENT,  PL_ISSUE_DIVERGENT,   PL_ISSUE_AGREED,
        PL_ISSUE_AGREED,     PL_ISSUE_NOT_ADDRESSED, PL_ISSUE_AGREED,  PL_ISSUE_AGREED};
    for (size_t i = 0; i < 12; i++) {
        assert_int_equal(pl_report_status(r, i), want[i]);
    }
    /* The article's reading: agreed the moratorium, Black Sea talks, 175, 23, expert teams, hockey; divergent aid,
     * intelligence (Russia's demands, refused by Ukraine's red lines), mobilization and rearmament (Russia's demands,
     * attainable); not reached the general ceasefire; not addressed territory (only a freeze, nobody's ideal, is
     * attainable). The general ceasefire's fewest-broken moves break Russia's aid and intelligence preconditions or
     * Ukraine's two lines. */
    const pl_report_blocker *b;
    assert_int_equal(pl_report_blockers(r, 2, &b), 4);
    assert_int_equal(b[0].party, 0);
    assert_int_equal(b[0].red_line, 0);
    assert_int_equal(b[1].party, 0);
    assert_int_equal(b[1].red_line, 1);
    assert_int_equal(b[2].party, 1);
    assert_int_equal(b[2].red_line, 0);
    assert_int_equal(b[3].party, 1);
    assert_int_equal(b[3].red_line, 1);
    /* Its preconditions: all four of Russia's (aid, intelligence, mobilization, rearmament); Ukraine refuses the first
     * two with its red lines 0 and 1, not the last two. */
    assert_int_equal(pl_report_red_lines(r, 2, &b), 4);
    for (size_t j = 0; j < 4; j++) {
        assert_int_equal(b[j].party, 0);
        assert_int_equal(b[j].red_line, (long)j);
    }
    size_t by = 9;
    assert_int_equal(pl_report_refusal(r, 0, 0, &by), 0);
    assert_int_equal(by, 1);
    assert_int_equal(pl_report_refusal(r, 0, 1, &by), 1);
    assert_int_equal(by, 1);
    assert_int_equal(pl_report_refusal(r, 0, 2, &by), -1);
    assert_int_equal(pl_report_refusal(r, 0, 3, &by), -1);
    /* Territory: Ukraine forbids concessions outright; the freeze is attainable, nobody's ideal. */
    assert_int_equal(pl_report_attainable(r, 9, 1), 1);
    assert_int_equal(pl_report_attainable(r, 9, 2), 0);
    pl_report_free(r);
    pl_scenario_free(sc);
}

/* Rule (b) and "not reached", by hand. Two issues, status quo (none, on):
 *   p1 (Russia-like): c none=1 yes=.5 (w .5), a off=1 on=0 (w .5); red line: if c is yes then a must be off.
 *   p2 (Ukraine-like): c yes=1 none=0 (w .4), a on=1 off=0 (w .6); reservation 0.5; with %s: a must not be off.
 * Outcomes: (none,on) p1 .5, p2 .6: acceptable. (yes,on) breaks p1's line. (none,off) and (yes,off): p2 gets 0 or
 * .4 < .5 (and they break p2's line when it has one). Only the status quo is acceptable: it is the prediction.
 *   - a: p1 wants off, unattainable, but p1's precondition requires it -> divergent by rule (b) (with or without
 *     p2's line).
 *   - c: p2 wants yes; nothing forbids yes outright, nobody demands it, no acceptable deal moves it -> not reached.
 *     Moves of c: (yes,on) breaks p1's line only; (yes,off) breaks p2's reservation (and p2's line when present):
 *     without the line the fewest is 1 -> {p1's line, p2's reservation}; with it (yes,off) breaks 2 -> {p1's line}.
 *     p1's precondition is refused by p2's line when present. */
static const char *const SC3 =
    "{\"name\": \"pre\", \"issues\": ["
    " {\"name\": \"c\", \"type\": \"discrete\", \"values\": [\"none\", \"yes\"]},"
    " {\"name\": \"a\", \"type\": \"discrete\", \"values\": [\"on\", \"off\"]}],"
    " \"status_quo\": {\"c\": \"none\", \"a\": \"on\"},"
    " \"parties\": ["
    "  {\"name\": \"p1\", \"utility\": {\"type\": \"linear_additive\", \"weights\": {\"c\": 0.5, \"a\": 0.5},"
    "    \"values\": {\"c\": {\"none\": 1, \"yes\": 0.5}, \"a\": {\"on\": 0, \"off\": 1}}},"
    "   \"red_lines\": [{\"if\": {\"issue\": \"c\", \"in\": [\"yes\"]}, \"then\": {\"issue\": \"a\", \"in\": [\"off\"]}}]},"
    "  {\"name\": \"p2\", \"reservation\": 0.5, \"utility\": {\"type\": \"linear_additive\","
    "    \"weights\": {\"c\": 0.4, \"a\": 0.6}, \"values\": {\"c\": {\"none\": 0, \"yes\": 1}, \"a\": {\"on\": 1, \"off\": 0}}},"
    "   \"red_lines\": [%s]}]}";

static void test_preconditions_not_reached(void **state)
{
    (void)state;
    for (int line = 0; line < 2; line++) {
        char text[4096];
        snprintf(text, sizeof text, SC3, line ? "{\"issue\": \"a\", \"not\": [\"off\"]}" : "");
        pl_scenario *sc = load(text);
        pl_report *r = build(sc, NULL, 1);
        assert_int_equal(pl_report_has_agreement(r), 1);
        assert_int_equal(pl_report_agreement(r)[0], 0);
        assert_int_equal(pl_report_agreement(r)[1], 0);
        assert_int_equal(pl_report_status(r, 0), PL_ISSUE_NOT_REACHED);
        assert_int_equal(pl_report_status(r, 1), PL_ISSUE_DIVERGENT);
        const pl_report_blocker *b;
        size_t n = pl_report_blockers(r, 0, &b);
        assert_int_equal(n, line ? 1 : 2);
        assert_int_equal(b[0].party, 0);
        assert_int_equal(b[0].red_line, 0);
        if (!line) {
            assert_int_equal(b[1].party, 1);
            assert_int_equal(b[1].red_line, -1);
        }
        size_t by = 7;
        assert_int_equal(pl_report_refusal(r, 0, 0, &by), line ? 0 : -1);
        assert_int_equal(by, line ? 1 : 7);
        assert_int_equal(pl_report_red_lines(r, 0, &b), 1);
        assert_int_equal(pl_report_red_lines(r, 1, &b), line ? 2 : 1);
        pl_report_free(r);
        pl_scenario_free(sc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statuses_by_hand),
        cmocka_unit_test(test_reservation_blocks),
        cmocka_unit_test(test_prediction_brute_force),
        cmocka_unit_test(test_indifference_and_no_status_quo),
        cmocka_unit_test(test_run_record),
        cmocka_unit_test(test_ceasefire_news_deal),
        cmocka_unit_test(test_preconditions_not_reached),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
