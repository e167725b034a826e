/* libFuzzer target: the parley JSON reader, then a round trip through the parley JSON writer.
 * Input: one parley JSON scenario. Loaded scenarios are serialised, re-loaded, and must keep their party count,
 * issue count, value counts and, on up to MAX_CHECKED outcomes, every party's utility (abort() otherwise). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/parley.h"

#define MAX_CHECKED 1000
#define TOLERANCE 1e-9

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const pl_diag *d)
{
    char buf[1200];
    fprintf(stderr, "fuzz_parley_json: %s", what);
    if (d) {
        fprintf(stderr, ": %s", pl_diag_format(d, buf, sizeof buf));
    }
    fputc('\n', stderr);
    abort();
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int same_utility(double x, double y)
{
    if (x == y || (isnan(x) && isnan(y))) {
        return 1;
    }
    double scale = fabs(x) > 1 ? fabs(x) : 1;
    return fabs(x - y) <= TOLERANCE * scale;
}

/* Outcome number j of the checked sample: dense indices spread over an enumerable space, else pseudo-random. */
static int sample_outcome(const pl_space *s, uint64_t count, int enumerable, size_t j, size_t m, uint64_t *rng,
                          uint32_t *o)
{
    if (enumerable) {
        uint64_t index = count <= m ? j : j * (count / m);
        return pl_space_outcome_at(s, index, o);
    }
    for (size_t i = 0; i < pl_space_issue_count(s); i++) {
        o[i] = (uint32_t)(splitmix(rng) % pl_space_value_count(s, i));
    }
    return 0;
}

/* Abort unless b has a's shape and utilities. */
static void compare_scenarios(const pl_scenario *a, const pl_scenario *b)
{
    const pl_space *sa = pl_scenario_space(a), *sb = pl_scenario_space(b);
    size_t k = pl_space_issue_count(sa);
    if (pl_scenario_party_count(a) != pl_scenario_party_count(b)) {
        die("round trip changed the party count", NULL);
    }
    if (k != pl_space_issue_count(sb)) {
        die("round trip changed the issue count", NULL);
    }
    for (size_t i = 0; i < k; i++) {
        if (pl_space_value_count(sa, i) != pl_space_value_count(sb, i)) {
            die("round trip changed an issue's value count", NULL);
        }
    }
    uint64_t count = 0;
    int enumerable = pl_space_outcome_count(sa, &count) == 0;
    size_t m = enumerable && count < MAX_CHECKED ? (size_t)count : MAX_CHECKED;
    uint32_t *o = malloc((k ? k : 1) * sizeof *o);
    if (!o) {
        return;
    }
    uint64_t rng = 0x5EED;
    for (size_t j = 0; j < m; j++) {
        if (sample_outcome(sa, count, enumerable, j, m, &rng, o) < 0) {
            die("pl_space_outcome_at failed on an index below the outcome count", NULL);
        }
        for (size_t p = 0; p < pl_scenario_party_count(a); p++) {
            double x = pl_ufun_eval(pl_scenario_ufun(a, p), o);
            double y = pl_ufun_eval(pl_scenario_ufun(b, p), o);
            if (!same_utility(x, y)) {
                fprintf(stderr, "party %zu, sample %zu: utility %.17g before, %.17g after\n", p, j, x, y);
                free(o);
                die("round trip changed a utility", NULL);
            }
        }
    }
    free(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_diag d;
    pl_diag_clear(&d);
    pl_scenario *sc = NULL;
    if (pl_scenario_load_parley_json_mem((const char *)data, size, "<fuzz>", NULL, &sc, &d) < 0) {
        if (sc) {
            die("a failed load left a scenario behind", NULL);
        }
        return 0;
    }
    char *text = NULL;
    int rc = pl_scenario_to_parley_json(sc, &text, &d);
    if (rc == PL_ENOMEM) {
        pl_scenario_free(sc);
        return 0;
    }
    if (rc < 0 || !text) {
        die("cannot write a scenario that loaded", &d);
    }
    pl_scenario *again = NULL;
    pl_diag_clear(&d);
    if (pl_scenario_load_parley_json_mem(text, strlen(text), "<round-trip>", NULL, &again, &d) < 0) {
        fprintf(stderr, "---- written text ----\n%s\n----\n", text);
        die("cannot re-load the written scenario", &d);
    }
    compare_scenarios(sc, again);
    pl_scenario_free(again);
    pl_scenario_free(sc);
    free(text);
    return 0;
}
