/* bench_merge: the merge algorithm (exact Pareto frontier of linear additive parties without enumeration) on
 * synthetic scenarios built here with a fixed-seed RNG:
 *   - 50 issues x 10 values (10^50 outcomes), 2 strongly opposed parties: party B's value table on every issue is
 *     party A's reversed; weights are random for each party;
 *   - 10 and 20 issues x 10 values, 3 parties with independent random tables and weights.
 * Prints the frontier size, how many of its vectors several outcomes share, and the wall time of pl_frontier_compute (median of RUNS
 * runs; single thread). Usage: bench_merge [MAX_POINTS]   (default: the library's default limit) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/parley.h"

#include "bench_common.h"

#define RUNS 5
#define N_VALUES 10

static void bench_case(const char *label, size_t n_issues, size_t n_parties, int opposed, uint64_t seed,
                       uint64_t max_points)
{
    /* Random weights and tables in [0, 1); with opposed, party 1's tables are party 0's reversed. Weights are scaled
     * to sum to at most 1 - 1e-9 so that no sum can round past 1 (the merge's condition). */
    pl_scenario *sc = bench_linear_scenario(n_issues, N_VALUES, n_parties, seed,
                                            opposed ? BENCH_TABLES_REVERSED : BENCH_TABLES_RANDOM, 1 - 1e-9,
                                            "bench_merge");
    if (!sc) {
        printf("%-28s skipped: cannot build the scenario\n", label);
        return;
    }
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_MERGE;
    if (max_points) {
        o.max_points = max_points;
    }
    double times[RUNS];
    size_t size = 0;
    uint64_t shared = 0;
    for (int r = 0; r < RUNS; r++) {
        pl_frontier *f = NULL;
        pl_diag d;
        pl_diag_clear(&d);
        double t0 = now_seconds();
        int rc = pl_frontier_compute(sc, &o, &f, &d);
        times[r] = now_seconds() - t0;
        if (rc < 0) {
            char buf[1200];
            printf("%-28s issues=%-3zu outcomes=1e%-3.0f parties=%zu failed after %.3f s: %s\n", label, n_issues,
                   pl_space_log10_size(pl_scenario_space(sc)), n_parties, times[r],
                   pl_diag_format(&d, buf, sizeof buf));
            fflush(stdout);
            pl_scenario_free(sc);
            return;
        }
        size = pl_frontier_size(f);
        shared = 0;
        for (size_t k = 0; k < size; k++) {
            shared += pl_frontier_outcome_total(f, k) > 1;
        }
        pl_frontier_free(f);
        if (times[r] > 20 && r + 1 < RUNS) {
            /* Too slow to repeat: report this run alone. */
            printf("%-28s issues=%-3zu outcomes=1e%-3.0f parties=%zu frontier=%-9zu (shared vectors %llu) time: "
                   "%9.1f ms (1 run)\n",
                   label, n_issues, pl_space_log10_size(pl_scenario_space(sc)), n_parties, size,
                   (unsigned long long)shared, times[r] * 1e3);
            fflush(stdout);
            pl_scenario_free(sc);
            return;
        }
    }
    double med = median(times, RUNS);
    printf("%-28s issues=%-3zu outcomes=1e%-3.0f parties=%zu frontier=%-9zu (shared vectors %llu) time: median "
           "%9.1f ms  (min %.1f, max %.1f)\n",
           label, n_issues, pl_space_log10_size(pl_scenario_space(sc)), n_parties, size, (unsigned long long)shared,
           med * 1e3, times[0] * 1e3, times[RUNS - 1] * 1e3);
    fflush(stdout);
    pl_scenario_free(sc);
}

int main(int argc, char **argv)
{
    if (argc > 2 || (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))) {
        fprintf(stderr, "usage: bench_merge [MAX_POINTS]\n");
        return argc > 2 ? 2 : 0;
    }
    uint64_t max_points = argc > 1 ? strtoull(argv[1], NULL, 10) : 0;
    printf("bench_merge (parley %s): pl_frontier_compute with the merge algorithm, median of %d runs, single thread\n",
           pl_version(), RUNS);
    fflush(stdout);
    bench_case("opposed-2p-50x10", 50, 2, 1, 50, max_points);
    bench_case("random-3p-10x10", 10, 3, 0, 10, max_points);
    bench_case("random-3p-20x10", 20, 3, 0, 20, max_points);
    return 0;
}
