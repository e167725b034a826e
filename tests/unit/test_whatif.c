/* parley whatif against brute force: on small random scenarios (2-3 issues of 2-3 values, 2-3 parties, random
 * weights, values, reservation values and red lines of both forms), the minimal removal sets of every stuck issue
 * equal those found by trying every subset of constraints (a subset works when some outcome moving the issue breaks
 * no constraint outside it; minimal when no single constraint can be dropped from it), and the red lines that would
 * break the predicted deal, with their losses and remaining counts, equal a direct count. Plus the ceasefire model,
 * worked out by hand. */
#include "testutil.h"

static uint64_t rng;
static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng >> 33) % n);
}

/* A random scenario as parley JSON. */
static void random_scenario(char *buf, size_t size, size_t *ni_out)
{
    size_t ni = 2 + rnd(2), np = 2 + rnd(2);
    unsigned nv[3];
    size_t len = 0;
#define PUT(...) len += (size_t)snprintf(buf + len, size - len, __VA_ARGS__)
    PUT("{\"name\": \"rand\", \"issues\": [");
    for (size_t i = 0; i < ni; i++) {
        nv[i] = 2 + rnd(2);
        PUT("%s{\"name\": \"i%zu\", \"type\": \"discrete\", \"values\": [", i ? "," : "", i);
        for (unsigned v = 0; v < nv[i]; v++) {
            PUT("%s\"v%u\"", v ? "," : "", v);
        }
        PUT("]}");
    }
    PUT("], \"status_quo\": {");
    for (size_t i = 0; i < ni; i++) {
        PUT("%s\"i%zu\": \"v0\"", i ? "," : "", i);
    }
    PUT("}, \"parties\": [");
    for (size_t k = 0; k < np; k++) {
        PUT("%s{\"name\": \"p%zu\", \"reservation\": %.2f, \"utility\": {\"type\": \"linear_additive\", \"weights\": {",
            k ? "," : "", k, rnd(7) / 10.0);
        unsigned wt[3], tot = 0;
        for (size_t i = 0; i < ni; i++) {
            wt[i] = 1 + rnd(9);
            tot += wt[i];
        }
        for (size_t i = 0; i < ni; i++) {
            PUT("%s\"i%zu\": %.6f", i ? "," : "", i, (double)wt[i] / tot);
        }
        PUT("}, \"values\": {");
        for (size_t i = 0; i < ni; i++) {
            PUT("%s\"i%zu\": {", i ? "," : "", i);
            for (unsigned v = 0; v < nv[i]; v++) {
                PUT("%s\"v%u\": %.1f", v ? "," : "", v, rnd(11) / 10.0);
            }
            PUT("}");
        }
        PUT("}}, \"red_lines\": [");
        unsigned nl = rnd(3);
        for (unsigned l = 0; l < nl; l++) {
            size_t a = rnd((unsigned)ni), b = (a + 1 + rnd((unsigned)ni - 1)) % ni;
            if (rnd(2)) {
                PUT("%s{\"issue\": \"i%zu\", \"not\": [\"v%u\"]}", l ? "," : "", a, 1 + rnd(nv[a] - 1));
            } else {
                PUT("%s{\"if\": {\"issue\": \"i%zu\", \"in\": [\"v%u\"]}, \"then\": {\"issue\": \"i%zu\", \"in\": "
                    "[\"v%u\"]}}",
                    l ? "," : "", a, 1 + rnd(nv[a] - 1), b, rnd(nv[b]));
            }
        }
        PUT("]}");
    }
    PUT("]}");
#undef PUT
    *ni_out = ni;
}

static pl_scenario *load(const char *text)
{
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_scenario_load_parley_json_mem(text, strlen(text), "test", NULL, &sc, &d);
    if (rc < 0) {
        print_error("%s\n%s\n", d.message, text);
    }
    assert_int_equal(rc, 0);
    return sc;
}

static pl_whatif *build(const pl_scenario *sc, unsigned threads)
{
    pl_whatif_options o;
    pl_whatif_options_init(&o);
    o.threads = threads;
    pl_whatif *w = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_whatif_build(sc, &o, &w, &d);
    if (rc < 0) {
        print_error("%s\n", d.message);
    }
    assert_int_equal(rc, 0);
    return w;
}

/* Constraints o breaks, as a mask in the documented order (each party's red lines, then its reservation). */
static uint64_t broken(const pl_scenario *sc, const uint32_t *o)
{
    uint64_t m = 0;
    size_t c = 0;
    for (size_t k = 0; k < pl_scenario_party_count(sc); k++) {
        const pl_ufun *u = pl_scenario_ufun(sc, k);
        for (size_t l = 0; l < pl_ufun_red_line_count(u); l++, c++) {
            if (pl_ufun_red_line_broken(u, l, o)) {
                m |= (uint64_t)1 << c;
            }
        }
        if (pl_ufun_eval_raw(u, o) < pl_ufun_reservation(u)) {
            m |= (uint64_t)1 << c;
        }
        c++;
    }
    return m;
}

static void check_against_brute_force(const pl_scenario *sc, const pl_whatif *w)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s), nc = pl_whatif_constraint_count(w);
    uint64_t n;
    assert_int_equal(pl_space_outcome_count(s, &n), 0);
    uint64_t *masks = malloc(n * sizeof *masks);
    uint32_t(*outs)[3] = malloc(n * sizeof *outs);
    uint64_t acceptable = 0;
    for (uint64_t x = 0; x < n; x++) {
        assert_int_equal(pl_space_outcome_at(s, x, outs[x]), 0);
        masks[x] = broken(sc, outs[x]);
        acceptable += masks[x] == 0;
    }
    assert_int_equal(pl_whatif_acceptable(w), acceptable);
    for (size_t i = 0; i < ni; i++) {
        uint32_t sq = pl_scenario_status_quo(sc, i);
        int movable = 0;
        for (uint64_t x = 0; x < n; x++) {
            movable |= outs[x][i] != sq && masks[x] == 0;
        }
        assert_int_equal(pl_whatif_stuck(w, i), !movable);
        /* Every subset: works when a moving outcome breaks nothing outside it. */
        uint64_t want[1024];
        size_t nw = 0;
        uint8_t *works = calloc((size_t)1 << nc, 1);
        for (uint64_t S = 0; S < (uint64_t)1 << nc; S++) {
            for (uint64_t x = 0; x < n && !works[S]; x++) {
                works[S] = outs[x][i] != sq && (masks[x] & ~S) == 0;
            }
        }
        for (size_t size = 1; !movable && size <= nc; size++) {
            for (uint64_t S = 0; S < (uint64_t)1 << nc; S++) {
                if ((size_t)__builtin_popcountll(S) != size || !works[S]) {
                    continue;
                }
                int minimal = 1;
                for (size_t c = 0; c < nc; c++) {
                    minimal &= !(S >> c & 1) || !works[S & ~((uint64_t)1 << c)];
                }
                if (minimal) {
                    want[nw++] = S;
                }
            }
        }
        free(works);
        const uint64_t *got;
        size_t ng = pl_whatif_sets(w, i, &got);
        assert_int_equal(ng, nw);
        for (size_t j = 0; j < nw; j++) {
            assert_int_equal(got[j], want[j]);
        }
    }
    /* The deal: the report's prediction; its breaking lines, counted directly. */
    pl_report *r = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_report_build(sc, NULL, NULL, &r, &d), 0);
    const uint32_t *deal = pl_whatif_deal(w);
    assert_int_equal(deal != NULL, pl_report_has_agreement(r));
    const pl_whatif_line *l;
    size_t nl = pl_whatif_lines(w, &l), seen = 0;
    for (size_t k = 0; deal && k < pl_scenario_party_count(sc); k++) {
        const pl_ufun *u = pl_scenario_ufun(sc, k);
        for (size_t i = 0; i < ni; i++) {
            assert_int_equal(deal[i], pl_report_agreement(r)[i]);
            uint32_t o[3], sq = pl_scenario_status_quo(sc, i);
            memcpy(o, deal, ni * sizeof *o);
            o[i] = sq;
            double loss = pl_ufun_eval_raw(u, o) - pl_ufun_eval_raw(u, deal);
            if (deal[i] == sq || loss <= 1e-12) {
                continue;
            }
            uint64_t remaining = 0;
            for (uint64_t x = 0; x < n; x++) {
                remaining += masks[x] == 0 && outs[x][i] != deal[i];
            }
            assert_true(seen < nl);
            assert_int_equal(l[seen].party, k);
            assert_int_equal(l[seen].issue, i);
            assert_int_equal(l[seen].value, deal[i]);
            assert_double_equal(l[seen].loss, loss, 1e-12);
            assert_int_equal(l[seen].remaining, remaining);
            seen++;
        }
    }
    assert_int_equal(seen, nl);
    pl_report_free(r);
    free(masks);
    free(outs);
}

static void test_random_brute_force(void **state)
{
    (void)state;
    rng = 12345;
    int stuck_seen = 0, multi_seen = 0;
    for (int t = 0; t < 300; t++) {
        char text[8192];
        size_t ni;
        random_scenario(text, sizeof text, &ni);
        pl_scenario *sc = load(text);
        pl_whatif *w = build(sc, 1 + (unsigned)(t % 3));
        check_against_brute_force(sc, w);
        for (size_t i = 0; i < ni; i++) {
            const uint64_t *sets;
            stuck_seen += pl_whatif_stuck(w, i);
            multi_seen += pl_whatif_sets(w, i, &sets) > 1;
        }
        pl_whatif_free(w);
        pl_scenario_free(sc);
    }
    /* The generator exercises what it should: stuck issues, some with several minimal sets. */
    assert_true(stuck_seen > 50);
    assert_true(multi_seen > 10);
}

/* The ceasefire model: 10 constraints (Russia's 4 preconditions + reservation, Ukraine's 3 lines + reservation, the
 * United States' reservation). The general ceasefire is freed by dropping Russia's aid and intelligence
 * preconditions together; intelligence sharing only by dropping Ukraine's red line on it (constraint 6). */
static void test_ceasefire(void **state)
{
    (void)state;
    const char *path = PL_SCENARIOS "/ceasefire-2025.json";
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_scenario_load(&path, 1, NULL, &sc, &d), 0);
    pl_whatif *w = build(sc, 0);
    assert_int_equal(pl_whatif_constraint_count(w), 10);
    size_t party;
    long line;
    pl_whatif_constraint(w, 4, &party, &line);
    assert_int_equal(party, 0);
    assert_int_equal(line, -1);
    pl_whatif_constraint(w, 6, &party, &line);
    assert_int_equal(party, 1);
    assert_int_equal(line, 1);
    assert_int_equal(pl_whatif_acceptable(w), 325298);
    for (size_t i = 0; i < 12; i++) {
        assert_int_equal(pl_whatif_stuck(w, i), i == 2 || i == 4);
    }
    const uint64_t *sets;
    assert_int_equal(pl_whatif_sets(w, 4, &sets), 1);
    assert_int_equal(sets[0], (uint64_t)1 << 6);
    size_t n = pl_whatif_sets(w, 2, &sets);
    assert_true(n >= 1);
    assert_int_equal(sets[0], 0x3u); /* Russia's aid and intelligence preconditions */
    char *json = NULL;
    assert_int_equal(pl_whatif_to_json(sc, w, &json, &d), 0);
    assert_non_null(strstr(json, "\"removal_sets\""));
    free(json);
    pl_whatif_free(w);
    pl_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_brute_force),
        cmocka_unit_test(test_ceasefire),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
