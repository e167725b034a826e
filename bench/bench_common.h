/* Helpers shared by the benchmarks: the splitmix64 RNG and a uniform double from it, a monotonic clock, the median
 * of a set of timings, and a builder of synthetic linear additive scenarios. Header-only (static inline); include it
 * after the system headers. */
#ifndef PL_BENCH_COMMON_H
#define PL_BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parley/parley.h"

/* splitmix64 (Steele, Lea, Flood 2014): tiny, fast, good enough for benchmark inputs. */
static inline uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static inline double rng_unit(uint64_t *state)
{
    return (double)(rng_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

/* Seconds on CLOCK_MONOTONIC. */
static inline double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n), n > 0. Sorts v ascending in place, so v[0] and v[n - 1] are then the minimum and maximum. */
static inline double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* How bench_linear_scenario draws the parties' value tables (uniform in [0, 1)). */
typedef enum bench_tables {
    /* Every party draws its own tables, issue by issue, after its weights. */
    BENCH_TABLES_RANDOM,
    /* One random table set x is drawn first, before any weight; party 0 gets x, party 1 gets 1 - x (neither draws
     * values of its own), any further party draws its own tables after its weights. */
    BENCH_TABLES_COMPLEMENT,
    /* Party 0 draws its tables; party 1 gets party 0's tables reversed per issue (what one likes most the other
     * likes least) and draws no values; any further party draws its own. */
    BENCH_TABLES_REVERSED,
} bench_tables;

/* A synthetic linear additive scenario: n_issues discrete issues "issue0", "issue1", ... of n_values values "v0",
 * "v1", ... each, and n_parties parties "party1", "party2", ... For each party in turn, one RNG stream seeded with
 * seed draws the weights (0.05 + uniform, one per issue), normalised to sum 1 and then multiplied by weight_scale
 * (1 keeps them as they are), then, issue by issue, whatever value tables `tables` has that party draw. NULL on
 * failure, with a message prefixed by prog printed to stderr. */
static inline pl_scenario *bench_linear_scenario(size_t n_issues, uint32_t n_values, size_t n_parties, uint64_t seed,
                                                 bench_tables tables, double weight_scale, const char *prog)
{
    pl_diag d;
    pl_diag_clear(&d);
    char errbuf[1200];
    pl_scenario *sc = NULL;
    pl_space *s = NULL;
    char **labels = calloc(n_values, sizeof *labels);
    double *base = calloc(n_issues * n_values, sizeof *base); /* COMPLEMENT: x; REVERSED: party 0's tables */
    double *table = calloc(n_values, sizeof *table);
    double *weights = calloc(n_issues, sizeof *weights);
    if (pl_space_new(&s, &d) < 0 || !labels || !base || !table || !weights) {
        goto fail;
    }
    for (uint32_t v = 0; v < n_values; v++) {
        labels[v] = malloc(16);
        if (!labels[v]) {
            goto fail;
        }
        snprintf(labels[v], 16, "v%u", (unsigned)v);
    }
    for (size_t i = 0; i < n_issues; i++) {
        char name[32];
        snprintf(name, sizeof name, "issue%zu", i);
        if (pl_space_add_discrete(s, name, n_values, (const char *const *)labels, &d) < 0) {
            fprintf(stderr, "%s: %s\n", prog, pl_diag_format(&d, errbuf, sizeof errbuf));
            goto fail;
        }
    }
    int rc = pl_scenario_new(s, &sc, &d);
    s = NULL; /* owned by sc now, also on failure */
    if (rc < 0) {
        goto fail;
    }
    uint64_t rng = seed;
    if (tables == BENCH_TABLES_COMPLEMENT) {
        for (size_t k = 0; k < n_issues * n_values; k++) {
            base[k] = rng_unit(&rng);
        }
    }
    for (size_t p = 0; p < n_parties; p++) {
        pl_ufun *u = NULL;
        if (pl_ufun_linear_new(pl_scenario_space(sc), &u, &d) < 0) {
            goto fail;
        }
        double total = 0;
        for (size_t i = 0; i < n_issues; i++) {
            weights[i] = 0.05 + rng_unit(&rng);
            total += weights[i];
        }
        for (size_t i = 0; i < n_issues; i++) {
            const double *b = base + i * n_values;
            for (uint32_t v = 0; v < n_values; v++) {
                if (tables == BENCH_TABLES_COMPLEMENT && p < 2) {
                    table[v] = p == 0 ? b[v] : 1.0 - b[v];
                } else if (tables == BENCH_TABLES_REVERSED && p == 1) {
                    table[v] = b[n_values - 1 - v];
                } else {
                    table[v] = rng_unit(&rng);
                }
            }
            if (tables == BENCH_TABLES_REVERSED && p == 0) {
                memcpy(base + i * n_values, table, n_values * sizeof *table);
            }
            if (pl_ufun_linear_set_weight(u, i, weights[i] / total * weight_scale) < 0 ||
                pl_ufun_linear_set_table(u, i, table) < 0) {
                pl_ufun_free(u);
                goto fail;
            }
        }
        char name[32];
        snprintf(name, sizeof name, "party%zu", p + 1);
        if (pl_scenario_add_party(sc, name, u, &d) < 0) { /* takes u, also on failure */
            fprintf(stderr, "%s: %s\n", prog, pl_diag_format(&d, errbuf, sizeof errbuf));
            goto fail;
        }
    }
    goto done;
fail:
    fprintf(stderr, "%s: cannot build the synthetic %zu-issue scenario\n", prog, n_issues);
    pl_scenario_free(sc);
    sc = NULL;
done:
    pl_space_free(s);
    for (uint32_t v = 0; labels && v < n_values; v++) {
        free(labels[v]);
    }
    free(labels);
    free(base);
    free(table);
    free(weights);
    return sc;
}

#endif
