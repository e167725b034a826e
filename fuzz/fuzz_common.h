/* Shared by the libFuzzer targets: aborting with a diagnostic, comparing two scenarios' shapes and utilities
 * on a sample of outcomes (a round trip must keep them), and splitting an input into parts on "\n----\n".
 * Each target defines FUZZ_NAME before including this file. */
#ifndef PL_FUZZ_COMMON_H
#define PL_FUZZ_COMMON_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/parley.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_CHECKED 1000
#define TOLERANCE 1e-9

static inline void die(const char *what, const pl_diag *d)
{
    char buf[1200];
    fprintf(stderr, "%s: %s", FUZZ_NAME, what);
    if (d) {
        fprintf(stderr, ": %s", pl_diag_format(d, buf, sizeof buf));
    }
    fputc('\n', stderr);
    abort();
}

static inline uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline int same_utility(double x, double y)
{
    if (x == y || (isnan(x) && isnan(y))) {
        return 1;
    }
    double scale = fabs(x) > 1 ? fabs(x) : 1;
    return fabs(x - y) <= TOLERANCE * scale;
}

/* Outcome number j of the checked sample: dense indices spread over an enumerable space, else pseudo-random. */
static inline int sample_outcome(const pl_space *s, uint64_t count, int enumerable, size_t j, size_t m, uint64_t *rng,
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
static inline void compare_scenarios(const pl_scenario *a, const pl_scenario *b)
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

#define SEPARATOR "\n----\n"
#define MAX_PARTS 9 /* the first part, then up to 8 more */

/* Split data on SEPARATOR into at most MAX_PARTS parts (the last keeps any further separators). Returns the count. */
static inline size_t split_parts(const char *data, size_t size, const char **parts, size_t *lens)
{
    const size_t sl = sizeof SEPARATOR - 1;
    size_t n = 0, start = 0;
    for (size_t i = 0; n + 1 < MAX_PARTS && i + sl <= size; i++) {
        if (memcmp(data + i, SEPARATOR, sl) == 0) {
            parts[n] = data + start;
            lens[n] = i - start;
            n++;
            start = i + sl;
            i = start - 1;
        }
    }
    parts[n] = data + start;
    lens[n] = size - start;
    return n + 1;
}

#endif
