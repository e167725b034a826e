/* bench_eval: utility evaluations per second on random outcomes, single thread (figures are per core).
 * Cases: the ANAC 2011 Energy scenario, synthetic 30- and 10-issue linear additive scenarios, and the ANAC 2014
 * 10-issue hyper-rectangle scenario. Each figure is the median of RUNS runs of at least MIN_RUN_SECONDS each.
 * Usage: bench_eval [ENERGY_DIR [TEN_ISSUES_DIR]]   (defaults relative to the repository root) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/parley.h"

#include "bench_common.h"

#define N_OUTCOMES (1u << 16) /* pre-generated outcomes per case: RNG cost stays out of the timing */
#define RUNS 5
#define MIN_RUN_SECONDS 0.3

#define DEFAULT_ENERGY "../shared/scenarios/anac/y2011/Energy"
#define DEFAULT_TEN_ISSUES "../shared/scenarios/anac/y2014/10issues"

/* Results go here so the compiler cannot drop the evaluations. */
static volatile double sink;

/* Uniform in [0, n); n > 0. Lemire's multiply-shift; the tiny bias is irrelevant here. */
static uint32_t rng_below(uint64_t *state, uint32_t n)
{
    return (uint32_t)(((rng_next(state) >> 32) * (uint64_t)n) >> 32);
}

/* Evaluate every pre-generated outcome once with pl_ufun_eval; returns the sum. */
static double pass_eval(const pl_ufun *u, const uint32_t *outcomes, size_t n, size_t k)
{
    double acc = 0;
    for (size_t j = 0; j < n; j++) {
        acc += pl_ufun_eval(u, outcomes + j * k);
    }
    return acc;
}

/* The same through pl_ufun_eval_many; returns a few of the results (the call's output cannot be elided anyway). */
static double pass_eval_many(const pl_ufun *u, const uint32_t *outcomes, size_t n, double *out)
{
    pl_ufun_eval_many(u, outcomes, n, out);
    return out[0] + out[n / 2] + out[n - 1];
}

/* One timed run: whole passes over the outcomes until MIN_RUN_SECONDS have elapsed. Returns evaluations/s. */
static double timed_run(const pl_ufun *u, const uint32_t *outcomes, size_t n, size_t k, double *out, int many)
{
    double t0 = now_seconds(), t;
    uint64_t evals = 0;
    double acc = 0;
    do {
        acc += many ? pass_eval_many(u, outcomes, n, out) : pass_eval(u, outcomes, n, k);
        evals += n;
        t = now_seconds();
    } while (t - t0 < MIN_RUN_SECONDS);
    sink += acc;
    return (double)evals / (t - t0);
}

static void describe_size(const pl_space *s, char *buf, size_t size)
{
    uint64_t count;
    if (pl_space_outcome_count(s, &count) == 0) {
        snprintf(buf, size, "%llu", (unsigned long long)count);
    } else {
        snprintf(buf, size, "~1e%.1f", pl_space_log10_size(s));
    }
}

/* Benchmark party 0's utility function of sc. */
static void bench_case(const char *label, const pl_scenario *sc, uint64_t seed)
{
    const pl_space *s = pl_scenario_space(sc);
    const pl_ufun *u = pl_scenario_ufun(sc, 0);
    size_t k = pl_space_issue_count(s);
    uint32_t *outcomes = malloc((size_t)N_OUTCOMES * (k ? k : 1) * sizeof *outcomes);
    double *out = malloc((size_t)N_OUTCOMES * sizeof *out);
    if (!outcomes || !out) {
        printf("%-22s skipped: out of memory\n", label);
        free(outcomes);
        free(out);
        return;
    }
    uint64_t rng = seed;
    for (size_t j = 0; j < N_OUTCOMES; j++) {
        for (size_t i = 0; i < k; i++) {
            outcomes[j * k + i] = rng_below(&rng, pl_space_value_count(s, i));
        }
    }
    /* Both paths must agree before either is timed. */
    pl_ufun_eval_many(u, outcomes, N_OUTCOMES, out);
    size_t mismatches = 0;
    for (size_t j = 0; j < N_OUTCOMES; j++) {
        if (fabs(out[j] - pl_ufun_eval(u, outcomes + j * k)) > 1e-12) {
            mismatches++;
        }
    }

    double rate_eval[RUNS], rate_many[RUNS];
    for (int r = 0; r < RUNS; r++) {
        rate_eval[r] = timed_run(u, outcomes, N_OUTCOMES, k, out, 0);
        rate_many[r] = timed_run(u, outcomes, N_OUTCOMES, k, out, 1);
    }
    char size[64];
    describe_size(s, size, sizeof size);
    char kind[48];
    if (pl_ufun_kind_of(u) == PL_UFUN_LINEAR) {
        snprintf(kind, sizeof kind, "linear");
    } else {
        snprintf(kind, sizeof kind, "rect(%zu)", pl_ufun_rect_count(u));
    }
    printf("%-22s issues=%-3zu outcomes=%-22s parties=%zu kind=%-10s eval: %8.1f M evals/s   eval_many: %8.1f M "
           "evals/s%s\n",
           label, k, size, pl_scenario_party_count(sc), kind, median(rate_eval, RUNS) / 1e6,
           median(rate_many, RUNS) / 1e6, mismatches ? "   (MISMATCH between eval and eval_many!)" : "");
    fflush(stdout);
    free(outcomes);
    free(out);
}

static void bench_folder(const char *label, const char *path, uint64_t seed)
{
    pl_diag d;
    pl_diag_clear(&d);
    pl_scenario *sc = NULL;
    int rc = pl_scenario_load(&path, 1, NULL, &sc, &d);
    if (rc < 0) {
        char buf[1200];
        printf("%-22s skipped: %s\n", label, pl_diag_format(&d, buf, sizeof buf));
        fflush(stdout);
        return;
    }
    if (pl_scenario_party_count(sc) == 0) {
        printf("%-22s skipped: %s has no parties\n", label, path);
    } else {
        bench_case(label, sc, seed);
    }
    pl_scenario_free(sc);
}

static void bench_synthetic(const char *label, size_t n_issues, uint64_t seed)
{
    /* Two parties, random weights and tables. */
    pl_scenario *sc = bench_linear_scenario(n_issues, 10, 2, seed, BENCH_TABLES_RANDOM, 1, "bench_eval");
    if (!sc) {
        printf("%-22s skipped: cannot build the scenario\n", label);
        return;
    }
    bench_case(label, sc, seed ^ 0xA5A5A5A5u);
    pl_scenario_free(sc);
}

int main(int argc, char **argv)
{
    const char *energy = argc > 1 ? argv[1] : DEFAULT_ENERGY;
    const char *ten = argc > 2 ? argv[2] : DEFAULT_TEN_ISSUES;
    if (argc > 3 || (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))) {
        fprintf(stderr, "usage: bench_eval [ENERGY_DIR [TEN_ISSUES_DIR]]\n");
        return argc > 3 ? 2 : 0;
    }
    printf("bench_eval (parley %s): party 0's utility of %u random outcomes per case, median of %d runs of >= %.1f s, "
           "single thread\n",
           pl_version(), N_OUTCOMES, RUNS, MIN_RUN_SECONDS);
    fflush(stdout);
    bench_folder("anac2011-Energy", energy, 1);
    bench_synthetic("synthetic-linear-30", 30, 30);
    bench_synthetic("synthetic-linear-10", 10, 10);
    bench_folder("anac2014-10issues", ten, 2014);
    printf("checksum %.6g\n", (double)sink);
    return 0;
}
