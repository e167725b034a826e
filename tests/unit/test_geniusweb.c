/* GeniusWeb JSON profiles: structure, utilities, reservation values, dispatch, and every error path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/io_internal.h"
#include "parley/parley.h"

#define GW_DIR PL_TEST_DATA "/geniusweb"
#define ALICE GW_DIR "/holiday/alice.json"
#define BOB GW_DIR "/holiday/bob.json"
#define CAROL GW_DIR "/extra/carol.json"
#define DOMAIN GW_DIR "/extra/domain.json"
#define ROOT "LinearAdditiveUtilitySpace"

/* cmocka 1.1 has no double comparison; its float one is too coarse for 1e-12. */
#define assert_double_equal(a, b, eps) assert_close_((a), (b), (eps), __FILE__, __LINE__)
static void assert_close_(double a, double b, double eps, const char *file, int line)
{
    if (!(a - b <= eps && b - a <= eps)) {
        fail_msg("%s:%d: %.17g != %.17g (tolerance %g)", file, line, a, b, eps);
    }
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* A copy of s with the first occurrence of from (which must occur) replaced by to. */
static char *replace(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    if (!at) {
        fail_msg("text to replace not found: %s", from);
    }
    size_t a = (size_t)(at - s), f = strlen(from), t = strlen(to), n = strlen(s);
    char *r = malloc(n - f + t + 1);
    assert_non_null(r);
    memcpy(r, s, a);
    memcpy(r + a, to, t);
    memcpy(r + a + t, at + f, n - a - f + 1);
    return r;
}

static int load2(const char *a, const char *b, pl_scenario **sc, pl_diag *d)
{
    const char *texts[2] = {a, b};
    size_t lens[2] = {strlen(a), strlen(b)};
    pl_diag_clear(d);
    return pl_scenario_load_geniusweb_json_mem(texts, lens, 2, NULL, sc, d);
}

static double eval3(const pl_ufun *u, uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t o[3] = {a, b, c};
    return pl_ufun_eval(u, o);
}

/* ---- The holiday scenario ---- */

static void check_holiday(const pl_scenario *sc)
{
    const pl_space *s = pl_scenario_space(sc);
    assert_string_equal(pl_scenario_name(sc), "holiday");
    /* Issue order as written (not alphabetical). */
    assert_int_equal(pl_space_issue_count(s), 3);
    assert_string_equal(pl_space_issue_name(s, 0), "destination");
    assert_string_equal(pl_space_issue_name(s, 1), "nights");
    assert_string_equal(pl_space_issue_name(s, 2), "budget");
    assert_int_equal(pl_space_issue_kind(s, 0), PL_ISSUE_DISCRETE);
    assert_int_equal(pl_space_issue_kind(s, 1), PL_ISSUE_INTEGER);
    assert_int_equal(pl_space_issue_kind(s, 2), PL_ISSUE_REAL);
    assert_int_equal(pl_space_value_count(s, 0), 3);
    assert_string_equal(pl_space_value_label_ref(s, 0, 0), "beach");
    assert_string_equal(pl_space_value_label_ref(s, 0, 1), "city");
    assert_string_equal(pl_space_value_label_ref(s, 0, 2), "mountains");
    double lo, hi, st;
    pl_space_issue_range(s, 1, &lo, &hi, &st);
    assert_true(lo == 2 && hi == 10 && st == 2);
    assert_int_equal(pl_space_value_count(s, 1), 5);
    pl_space_issue_range(s, 2, &lo, &hi, NULL);
    assert_true(lo == 0.5 && hi == 1.5);
    assert_int_equal(pl_space_value_count(s, 2), 5);
    assert_double_equal(pl_space_value_number(s, 2, 1), 0.75, 1e-12);

    assert_int_equal(pl_scenario_party_count(sc), 2);
    assert_string_equal(pl_scenario_party_name(sc, 0), "alice");
    assert_string_equal(pl_scenario_party_name(sc, 1), "bob");
    const pl_ufun *a = pl_scenario_ufun(sc, 0), *b = pl_scenario_ufun(sc, 1);
    assert_int_equal(pl_ufun_kind_of(a), PL_UFUN_LINEAR);
    assert_double_equal(pl_ufun_linear_weight(a, 0), 0.5, 0);
    assert_double_equal(pl_ufun_linear_weight(b, 1), 0.6, 0);

    /* alice: destination beach 1, city 0.4, mountains (unlisted) 0; nights 0.2 at 2 rising to 1 at 10; budget 1 at
     * 0.5 falling to 0 at 1.5. Weights 0.5, 0.3, 0.2. */
    assert_double_equal(eval3(a, 0, 0, 0), 0.5 * 1 + 0.3 * 0.2 + 0.2 * 1, 1e-12);
    assert_double_equal(eval3(a, 2, 2, 3), 0.5 * 0 + 0.3 * 0.6 + 0.2 * 0.25, 1e-12);
    assert_double_equal(eval3(a, 1, 4, 1), 0.5 * 0.4 + 0.3 * 1 + 0.2 * 0.75, 1e-12);
    assert_double_equal(pl_ufun_linear_value(a, 0, 2), 0, 0);
    /* bob: destination 0.3, 1, 0.6; nights 1 up to 4, 0 from 8, linear between (clamped outside); budget 0 at 0.5
     * rising to 1 at 1.5. Weights 0.2, 0.6, 0.2. */
    assert_double_equal(eval3(b, 0, 0, 0), 0.2 * 0.3 + 0.6 * 1 + 0.2 * 0, 1e-12);
    assert_double_equal(eval3(b, 2, 2, 3), 0.2 * 0.6 + 0.6 * 0.5 + 0.2 * 0.75, 1e-12);
    assert_double_equal(eval3(b, 1, 4, 1), 0.2 * 1 + 0.6 * 0 + 0.2 * 0.25, 1e-12);
    assert_double_equal(pl_ufun_linear_value(b, 1, 0), 1, 0); /* nights 2 < lowValue 4: clamped */

    /* Reservation: alice's bid (city, 4, 1.0); bob has none. */
    assert_double_equal(pl_ufun_reservation(a), 0.5 * 0.4 + 0.3 * 0.4 + 0.2 * 0.5, 1e-12);
    assert_double_equal(pl_ufun_reservation(b), 0, 0);
    assert_double_equal(pl_ufun_discount(a), 1, 0);
    assert_double_equal(pl_ufun_discount(b), 1, 0);
}

static void test_mem(void **state)
{
    (void)state;
    char *a = slurp(ALICE), *b = slurp(BOB);
    pl_scenario *sc = NULL;
    pl_diag d;
    int rc = load2(a, b, &sc, &d);
    assert_int_equal(rc, 0);
    check_holiday(sc);
    pl_scenario_free(sc);
    free(a);
    free(b);
}

static void test_files_and_folder(void **state)
{
    (void)state;
    pl_diag d;
    pl_diag_clear(&d);
    pl_scenario *sc = NULL;
    const char *paths[2] = {ALICE, BOB};
    assert_int_equal(pl_scenario_load(paths, 2, NULL, &sc, &d), 0);
    check_holiday(sc);
    pl_scenario_free(sc);

    /* The explicit format works too. */
    pl_load_options o;
    pl_load_options_init(&o);
    o.format = PL_FORMAT_GENIUSWEB_JSON;
    assert_int_equal(pl_scenario_load(paths, 2, &o, &sc, &d), 0);
    check_holiday(sc);
    pl_scenario_free(sc);

    /* A folder holding only the profiles (alice.json, bob.json: sorted by name). */
    const char *folder[1] = {GW_DIR "/holiday"};
    assert_int_equal(pl_scenario_load(folder, 1, NULL, &sc, &d), 0);
    check_holiday(sc);
    pl_scenario_free(sc);
}

static void test_name_fallback_and_partial_bid(void **state)
{
    (void)state;
    pl_diag d;
    pl_diag_clear(&d);
    pl_scenario *sc = NULL;
    /* carol has no "name": she is named after her file. Her reservation bid names only the destination. */
    const char *paths[2] = {CAROL, ALICE};
    assert_int_equal(pl_scenario_load(paths, 2, NULL, &sc, &d), 0);
    assert_string_equal(pl_scenario_party_name(sc, 0), "carol");
    assert_string_equal(pl_scenario_party_name(sc, 1), "alice");
    const pl_ufun *c = pl_scenario_ufun(sc, 0);
    assert_double_equal(pl_ufun_reservation(c), 0.6 * 1, 1e-12); /* issues left out contribute 0 */
    assert_double_equal(eval3(c, 2, 0, 0), 0.6 * 1 + 0.4 * 1 + 0, 1e-12);
    assert_double_equal(eval3(c, 0, 2, 4), 0 + 0.4 * 0.5 + 0, 1e-12);
    pl_scenario_free(sc);

    /* In memory without a name: "profile<N>". */
    char *a = slurp(ALICE), *b = slurp(BOB);
    char *anon = replace(b, "\"name\": \"bob\",", "");
    assert_int_equal(load2(a, anon, &sc, &d), 0);
    assert_string_equal(pl_scenario_party_name(sc, 1), "profile2");
    pl_scenario_free(sc);
    /* An empty name also falls back. */
    char *empty = replace(b, "\"name\": \"bob\"", "\"name\": \"\"");
    assert_int_equal(load2(a, empty, &sc, &d), 0);
    assert_string_equal(pl_scenario_party_name(sc, 1), "profile2");
    pl_scenario_free(sc);
    free(anon);
    free(empty);
    free(a);
    free(b);
}

static void test_duplicate_names(void **state)
{
    (void)state;
    char *a = slurp(ALICE);
    const char *texts[3] = {a, a, a};
    size_t lens[3] = {strlen(a), strlen(a), strlen(a)};
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_scenario_load_geniusweb_json_mem(texts, lens, 3, NULL, &sc, &d), 0);
    assert_int_equal(pl_scenario_party_count(sc), 3);
    assert_string_equal(pl_scenario_party_name(sc, 0), "alice");
    assert_string_equal(pl_scenario_party_name(sc, 1), "alice-2");
    assert_string_equal(pl_scenario_party_name(sc, 2), "alice-3");
    pl_scenario_free(sc);
    free(a);
}

static void test_bom_and_crlf(void **state)
{
    (void)state;
    char *a = slurp(ALICE), *b = slurp(BOB);
    size_t n = strlen(a);
    char *bom = malloc(n + 4);
    assert_non_null(bom);
    memcpy(bom, "\xEF\xBB\xBF", 3);
    memcpy(bom + 3, a, n + 1);
    assert_int_equal(pl__geniusweb_sniff(bom, n + 3), 1);
    pl_scenario *sc = NULL;
    pl_diag d;
    assert_int_equal(load2(bom, b, &sc, &d), 0);
    check_holiday(sc);
    pl_scenario_free(sc);
    /* Windows line ends. */
    char *crlf = malloc(2 * n + 1);
    assert_non_null(crlf);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (a[i] == '\n') {
            crlf[m++] = '\r';
        }
        crlf[m++] = a[i];
    }
    crlf[m] = '\0';
    assert_int_equal(pl__geniusweb_sniff(crlf, m), 1);
    assert_int_equal(load2(crlf, b, &sc, &d), 0);
    check_holiday(sc);
    pl_scenario_free(sc);
    free(crlf);
    free(bom);
    free(a);
    free(b);
}

/* ---- Sniffing ---- */

static int sniff(const char *s)
{
    return pl__geniusweb_sniff(s, strlen(s));
}

static void test_sniff(void **state)
{
    (void)state;
    char *a = slurp(ALICE), *b = slurp(BOB), *dom = slurp(DOMAIN);
    assert_int_equal(sniff(a), 1);
    assert_int_equal(sniff(b), 1);
    assert_int_equal(sniff(dom), 0);
    assert_int_equal(sniff("{\"" ROOT "\": {}}"), 1);
    assert_int_equal(sniff(" \n{ \"" ROOT "\" :{\"a\":\"}{[\\\"\"} }\n"), 1);
    assert_int_equal(sniff("{}"), 0);
    assert_int_equal(sniff("[]"), 0);
    assert_int_equal(sniff(""), 0);
    assert_int_equal(sniff("{\"" ROOT "\": {}, \"x\": 1}"), 0);
    assert_int_equal(sniff("{\"x\": 1, \"" ROOT "\": {}}"), 0);
    assert_int_equal(sniff("{\"" ROOT "\": []}"), 0);
    assert_int_equal(sniff("{\"" ROOT "\": {}} trailing"), 0);
    assert_int_equal(sniff("{\"" ROOT "\": {\"a\": \"unterminated}}"), 0);
    assert_int_equal(sniff("{\"" ROOT "\": {{{{"), 0);
    assert_int_equal(sniff("{\"" ROOT "\": {\"a\": \"\\"), 0);
    assert_int_equal(sniff("{\"parties\": [], \"issues\": []}"), 0);
    assert_int_equal(pl__geniusweb_sniff(NULL, 0), 0);
    assert_int_equal(pl__geniusweb_sniff(a, 0), 0);
    /* Every proper prefix is rejected, without reading past the length. */
    size_t n = strlen(a);
    for (size_t k = 0; k < n; k++) {
        char *p = malloc(k ? k : 1);
        assert_non_null(p);
        memcpy(p, a, k);
        int r = pl__geniusweb_sniff(p, k);
        /* Only the trailing newline may be cut. */
        assert_int_equal(r, k == n - 1 ? 1 : 0);
        free(p);
    }
    /* Garbage never crashes. */
    unsigned x = 12345;
    for (int t = 0; t < 2000; t++) {
        char buf[64];
        size_t len = (size_t)(t % 64);
        for (size_t i = 0; i < len; i++) {
            x = x * 1103515245u + 12345u;
            buf[i] = "{}[]\":\\ aL"[(x >> 16) % 10];
        }
        (void)pl__geniusweb_sniff(buf, len);
    }
    free(a);
    free(b);
    free(dom);
}

/* ---- Errors ---- */

typedef struct bad_case {
    const char *from, *to; /* edit of alice (or bob when on_bob) */
    int on_bob;
    int code;
    const char *path;    /* expected d.path, or NULL */
    const char *mention; /* substring of the message */
} bad_case;

static const bad_case bad_cases[] = {
    /* Missing keys and wrong types. */
    {"\"issueWeights\"", "\"issueWeightz\"", 0, PL_EPARSE, ROOT ".issueWeights", "issueWeights"},
    {"\"issueUtilities\"", "\"utilities\"", 0, PL_EPARSE, ROOT ".issueUtilities", "issueUtilities"},
    {"\"domain\": {", "\"domain\": [], \"x\": {", 0, PL_EPARSE, ROOT ".domain", "must be an object"},
    {"\"issuesValues\"", "\"issueValues\"", 0, PL_EPARSE, ROOT ".domain.issuesValues", "issuesValues"},
    {"\"issueWeights\": {", "\"issueWeights\": [], \"w\": {", 0, PL_EPARSE, ROOT ".issueWeights", "an array"},
    {"{\"values\": [\"beach\", \"city\", \"mountains\"]}", "{\"vals\": []}", 0, PL_EPARSE,
     ROOT ".domain.issuesValues.destination", "destination"},
    {"\"values\": [\"beach\", \"city\", \"mountains\"]", "\"values\": [\"beach\", 7, \"mountains\"]", 0, PL_EPARSE,
     ROOT ".domain.issuesValues.destination.values[1]", "must be a string"},
    {"\"values\": [\"beach\", \"city\", \"mountains\"]", "\"values\": [\"beach\", \"beach\"]", 0, PL_EINVAL,
     ROOT ".domain.issuesValues.destination.values", "twice"},
    {"\"values\": [\"beach\", \"city\", \"mountains\"]", "\"values\": []", 0, PL_EINVAL,
     ROOT ".domain.issuesValues.destination.values", "no values"},
    {"\"step\": 2}", "\"stride\": 2}", 0, PL_EPARSE, ROOT ".domain.issuesValues.nights.range.step", "step"},
    {"\"low\": 2,", "\"low\": \"two\",", 0, PL_EPARSE, ROOT ".domain.issuesValues.nights.range.low", "low"},
    {"\"range\": [2, 10, 2]", "\"range\": [2, 10]", 1, PL_EPARSE, ROOT ".domain.issuesValues.nights.range",
     "3 numbers"},
    {"\"range\": [2, 10, 2]", "\"range\": [2, null, 2]", 1, PL_EPARSE, ROOT ".domain.issuesValues.nights.range[1]",
     "must be a number"},
    {"\"range\": [2, 10, 2]", "\"range\": \"2..10\"", 1, PL_EPARSE, ROOT ".domain.issuesValues.nights.range",
     "range"},
    {ROOT "\": {", ROOT "\": 3, \"x\": {", 0, PL_EPARSE, NULL, "unexpected top-level key \"x\""},
    {"\"name\": \"alice\"", "\"name\": 42", 0, PL_EPARSE, ROOT ".name", "name"},
    {"\"name\": \"holiday\"", "\"name\": 42", 0, PL_EPARSE, ROOT ".domain.name", "name"},
    /* Weights. */
    {"\"nights\": 0.3", "\"nights\": -0.3", 0, PL_ERANGE, ROOT ".issueWeights.nights", "negative"},
    {"\"nights\": 0.3", "\"nights\": \"NaN\"", 0, PL_EPARSE, ROOT ".issueWeights.nights", "nights"},
    {"\"nights\": 0.3", "\"nights\": true", 0, PL_EPARSE, ROOT ".issueWeights.nights", "must be a number"},
    {"\"nights\": 0.3", "\"nights\": 0.3, \"weather\": 0.1", 0, PL_ENOTFOUND, ROOT ".issueWeights.weather",
     "weather"},
    {", \"budget\": 0.2}", "}", 0, PL_EPARSE, ROOT ".issueWeights.budget", "budget"},
    /* Value utilities. */
    {"\"beach\": 1,", "\"beach\": \"high\",", 0, PL_EPARSE,
     ROOT ".issueUtilities.destination.discreteutils.valueUtilities.beach", "beach"},
    {"\"beach\": 1,", "\"beach\": 1.5,", 0, PL_ERANGE,
     ROOT ".issueUtilities.destination.discreteutils.valueUtilities.beach", "[0, 1]"},
    {"\"beach\": 1,", "\"beach\": 1, \"jungle\": 0.5,", 0, PL_ENOTFOUND,
     ROOT ".issueUtilities.destination.discreteutils.valueUtilities.jungle", "jungle"},
    {"{\"valueUtilities\": {\"beach\": 1, \"city\": 0.4}}", "{\"values\": {}}", 0, PL_EPARSE,
     ROOT ".issueUtilities.destination.discreteutils.valueUtilities", "valueUtilities"},
    {"\"discreteutils\"", "\"tableutils\"", 0, PL_EUNSUPPORTED, ROOT ".issueUtilities.destination.tableutils",
     "tableutils"},
    {"\"destination\": {\"discreteutils\"", "\"weather\": {\"discreteutils\"", 0, PL_ENOTFOUND,
     ROOT ".issueUtilities.weather", "weather"},
    {"\"nights\": {\"numberutils\"", "\"nights\": {\"discreteutils\"", 0, PL_EPARSE,
     ROOT ".issueUtilities.nights.discreteutils", "nights"},
    {"\"destination\": {\"discreteutils\": {\"valueUtilities\": {\"beach\": 1, \"city\": 0.4}}}",
     "\"destination\": {\"numberutils\": {\"lowValue\": 0, \"lowUtility\": 0, \"highValue\": 1, \"highUtility\": 1}}",
     0, PL_EPARSE, ROOT ".issueUtilities.destination.numberutils", "destination"},
    {"\"destination\": {\"discreteutils\": {\"valueUtilities\": {\"beach\": 1, \"city\": 0.4}}},", "", 0, PL_EPARSE,
     ROOT ".issueUtilities.destination", "destination"},
    {"\"lowUtility\": 0.2", "\"lowUtility\": \"x\"", 0, PL_EPARSE, ROOT ".issueUtilities.nights.numberutils.lowUtility",
     "lowUtility"},
    {"\"lowUtility\": 0.2", "\"lowUtility\": -0.2", 0, PL_ERANGE, ROOT ".issueUtilities.nights.numberutils.lowUtility",
     "lowUtility"},
    {"\"highValue\": 10,", "", 0, PL_EPARSE, ROOT ".issueUtilities.nights.numberutils.highValue", "highValue"},
    {"\"highValue\": 10,", "\"highValue\": 2,", 0, PL_ERANGE, ROOT ".issueUtilities.nights.numberutils.highValue",
     "highValue"},
    /* Ranges that are not whole numbers of steps, or empty. */
    {"\"step\": 2}", "\"step\": 3}", 0, PL_ERANGE, ROOT ".domain.issuesValues.nights.range", "nights"},
    {"\"step\": \"0.25\"", "\"step\": \"0.3\"", 0, PL_ERANGE, ROOT ".domain.issuesValues.budget.range", "budget"},
    {"\"step\": 2}", "\"step\": 0}", 0, PL_ERANGE, ROOT ".domain.issuesValues.nights.range", "step"},
    {"\"low\": 2, \"high\": 10", "\"low\": 10, \"high\": 2", 0, PL_ERANGE, ROOT ".domain.issuesValues.nights.range",
     "nights"},
    {"\"step\": \"0.25\"", "\"step\": \"1e-300\"", 0, PL_ERANGE, ROOT ".domain.issuesValues.budget.range", "budget"},
    /* Reservation bid. */
    {"\"destination\": \"city\"", "\"destination\": \"moon\"", 0, PL_ENOTFOUND,
     ROOT ".reservationBid.issuevalues.destination", "moon"},
    {"\"nights\": 4,", "\"nights\": 5,", 0, PL_ENOTFOUND, ROOT ".reservationBid.issuevalues.nights", "nights"},
    {"\"nights\": 4,", "\"nights\": 4, \"weather\": \"sun\",", 0, PL_ENOTFOUND,
     ROOT ".reservationBid.issuevalues.weather", "weather"},
    {"\"destination\": \"city\"", "\"destination\": 1", 0, PL_EPARSE, ROOT ".reservationBid.issuevalues.destination",
     "destination"},
    {"{\"issuevalues\"", "{\"values\"", 0, PL_EPARSE, ROOT ".reservationBid.issuevalues", "issuevalues"},
    {"\"reservationBid\": null", "\"reservationBid\": 0.5", 1, PL_EPARSE, ROOT ".reservationBid", "reservationBid"},
    /* Domains that differ from the first profile's. */
    {"[\"beach\", \"city\", \"mountains\"]", "[\"city\", \"beach\", \"mountains\"]", 1, PL_EPARSE,
     ROOT ".domain.issuesValues.destination", "destination"},
    {"[\"beach\", \"city\", \"mountains\"]", "[\"beach\", \"city\", \"mountains\", \"desert\"]", 1, PL_EPARSE,
     ROOT ".domain.issuesValues.destination", "4 values here but 3"},
    {"\"range\": [2, 10, 2]", "\"range\": [2, 12, 2]", 1, PL_EPARSE, ROOT ".domain.issuesValues.nights", "2..12 step 2 here but 2..10 step 2 there"},
    {"\"range\": [2, 10, 2]", "\"values\": [\"2\", \"4\"]", 1, PL_EPARSE, ROOT ".domain.issuesValues.nights",
     "nights"},
    {"\"range\": [0.5, 1.5, 0.25]}}}", "\"range\": [0.5, 1.5, 0.25]}, \"pets\": {\"values\": [\"yes\"]}}}", 1,
     PL_EPARSE, ROOT ".domain.issuesValues", "4 issues here but 3"},
    {"\"nights\": {\"range\": [2, 10, 2]},", "", 1, PL_EPARSE, ROOT ".domain.issuesValues.budget", "nights"},
};

static void test_bad_inputs(void **state)
{
    (void)state;
    char *a = slurp(ALICE), *b = slurp(BOB);
    char buf[1024];
    for (size_t k = 0; k < sizeof bad_cases / sizeof bad_cases[0]; k++) {
        const bad_case *bc = &bad_cases[k];
        char *edited = replace(bc->on_bob ? b : a, bc->from, bc->to);
        pl_scenario *sc = NULL;
        pl_diag d;
        int rc = bc->on_bob ? load2(a, edited, &sc, &d) : load2(edited, b, &sc, &d);
        pl_diag_format(&d, buf, sizeof buf);
        print_message("case %zu: %s\n", k, buf);
        assert_null(sc);
        assert_int_equal(rc, bc->code);
        assert_int_equal(d.code, bc->code);
        assert_string_equal(d.file, bc->on_bob ? "profile2" : "profile1");
        assert_int_equal(d.line, 0);
        if (bc->path) {
            assert_string_equal(d.path, bc->path);
        }
        if (!strstr(d.message, bc->mention)) {
            fail_msg("case %zu: message \"%s\" does not mention \"%s\"", k, d.message, bc->mention);
        }
        free(edited);
    }
    free(a);
    free(b);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    char *a = slurp(ALICE), *b = slurp(BOB);
    pl_scenario *sc = NULL;
    pl_diag d;
    /* A stray comma on line 11 (the issueWeights line). */
    char *bad = replace(a, "\"issueWeights\": {", "\"issueWeights\": {,");
    assert_int_equal(load2(bad, b, &sc, &d), PL_EPARSE);
    assert_null(sc);
    assert_string_equal(d.file, "profile1");
    assert_int_equal(d.line, 11);
    assert_true(d.column > 0);
    assert_string_equal(d.path, "");
    free(bad);
    /* NaN is not JSON. */
    bad = replace(a, "\"nights\": 0.3", "\"nights\": NaN");
    assert_int_equal(load2(bad, b, &sc, &d), PL_EPARSE);
    assert_int_equal(d.line, 11);
    free(bad);
    /* Duplicate keys are refused, not silently overwritten. */
    bad = replace(a, "\"nights\": 0.3", "\"nights\": 0.3, \"nights\": 0.9");
    assert_int_equal(load2(bad, b, &sc, &d), PL_EPARSE);
    assert_non_null(strstr(d.message, "duplicate"));
    assert_int_equal(d.line, 11);
    free(bad);
    /* Errors in the second profile name it. */
    bad = replace(b, "\"name\": \"bob\",", "\"name\": \"bob\"");
    assert_int_equal(load2(a, bad, &sc, &d), PL_EPARSE);
    assert_string_equal(d.file, "profile2");
    assert_int_equal(d.line, 3);
    free(bad);
    /* Not JSON at all, empty, truncated. */
    assert_int_equal(load2("<xml/>", b, &sc, &d), PL_EPARSE);
    assert_int_equal(d.line, 1);
    assert_int_equal(load2("", b, &sc, &d), PL_EPARSE);
    assert_int_equal(load2("{\"" ROOT "\": {", b, &sc, &d), PL_EPARSE);
    free(a);
    free(b);
}

static void test_not_profiles(void **state)
{
    (void)state;
    char *a = slurp(ALICE), *dom = slurp(DOMAIN);
    pl_scenario *sc = NULL;
    pl_diag d;
    assert_int_equal(load2(a, "[1, 2]", &sc, &d), PL_EPARSE);
    assert_non_null(strstr(d.message, "JSON object"));
    assert_int_equal(load2(a, "{\"foo\": 1}", &sc, &d), PL_EPARSE);
    assert_non_null(strstr(d.message, ROOT));
    assert_int_equal(load2(a, dom, &sc, &d), PL_EPARSE);
    assert_non_null(strstr(d.message, "domain"));
    assert_int_equal(load2(a, "{\"SumOfGroupsUtilitySpace\": {\"domain\": {}}}", &sc, &d), PL_EUNSUPPORTED);
    assert_non_null(strstr(d.message, "SumOfGroupsUtilitySpace"));
    assert_null(sc);
    /* The domain file is refused among explicit files too. */
    const char *paths[3] = {ALICE, BOB, DOMAIN};
    pl_diag_clear(&d);
    assert_int_equal(pl_scenario_load(paths, 3, NULL, &sc, &d), PL_EPARSE);
    assert_non_null(strstr(d.file, "domain.json"));
    assert_null(sc);
    free(a);
    free(dom);
}

static void test_profile_count(void **state)
{
    (void)state;
    char *a = slurp(ALICE);
    const char *texts[1] = {a};
    size_t lens[1] = {strlen(a)};
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_scenario_load_geniusweb_json_mem(texts, lens, 1, NULL, &sc, &d), PL_EINVAL);
    assert_non_null(strstr(d.message, "at least 2 profiles"));
    assert_null(sc);
    assert_int_equal(pl_scenario_load_geniusweb_json_mem(texts, lens, 0, NULL, &sc, &d), PL_EINVAL);
    assert_null(sc);

    /* One GeniusWeb file: recognised as GeniusWeb (not parley JSON), refused for its party count. */
    const char *paths[1] = {ALICE};
    pl_diag_clear(&d);
    assert_int_equal(pl_scenario_load(paths, 1, NULL, &sc, &d), PL_EINVAL);
    assert_non_null(strstr(d.message, "at least 2 profiles"));
    assert_null(sc);
    /* A broken lone profile reports its own error first. */
    char *broken = replace(a, "\"nights\": 0.3", "\"nights\": -1");
    texts[0] = broken;
    lens[0] = strlen(broken);
    assert_int_equal(pl_scenario_load_geniusweb_json_mem(texts, lens, 1, NULL, &sc, &d), PL_ERANGE);
    assert_null(sc);
    free(broken);
    free(a);
}

/* Every prefix and many byte edits of a profile fail cleanly (no crash or leak under the sanitizers). */
static void test_robustness(void **state)
{
    (void)state;
    char *a = slurp(ALICE), *b = slurp(BOB);
    size_t n = strlen(a);
    char *buf = malloc(n + 1);
    assert_non_null(buf);
    const char *texts[2] = {buf, b};
    size_t lens[2] = {0, strlen(b)};
    for (size_t k = 0; k < n; k++) {
        memcpy(buf, a, k);
        lens[0] = k;
        pl_scenario *sc = NULL;
        pl_diag d;
        int rc = pl_scenario_load_geniusweb_json_mem(texts, lens, 2, NULL, &sc, &d);
        if (k < n - 1) {
            assert_true(rc < 0);
            assert_null(sc);
        }
        pl_scenario_free(sc);
    }
    const char subst[] = "{}[]\":,0 1-.ae\\x";
    unsigned x = 777;
    for (int t = 0; t < 3000; t++) {
        memcpy(buf, a, n + 1);
        for (int e = 0; e < 1 + t % 3; e++) {
            x = x * 1103515245u + 12345u;
            size_t pos = (x >> 8) % n;
            x = x * 1103515245u + 12345u;
            buf[pos] = subst[(x >> 16) % (sizeof subst - 1)];
        }
        lens[0] = n;
        pl_scenario *sc = NULL;
        pl_diag d;
        int rc = pl_scenario_load_geniusweb_json_mem(texts, lens, 2, NULL, &sc, &d);
        assert_true(rc == 0 ? sc != NULL : sc == NULL);
        pl_scenario_free(sc);
        (void)pl__geniusweb_sniff(buf, n);
    }
    free(buf);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mem),
        cmocka_unit_test(test_files_and_folder),
        cmocka_unit_test(test_name_fallback_and_partial_bid),
        cmocka_unit_test(test_duplicate_names),
        cmocka_unit_test(test_bom_and_crlf),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_not_profiles),
        cmocka_unit_test(test_profile_count),
        cmocka_unit_test(test_robustness),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
