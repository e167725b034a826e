/* bench_enum: the enumerate Pareto algorithm (exact frontier by streaming over every outcome) on synthetic linear
 * additive scenarios, forced to enumerate (the merge algorithm would otherwise be chosen for them).
 * Cases: 8 issues x 10 values (10^8 outcomes), two opposed parties, on 1 and 2 threads; 6 issues x 10 values
 * (10^6 outcomes), three parties, on 1 and 2 threads. Prints wall time, the process's peak resident memory
 * (getrusage ru_maxrss, which only grows: each line shows the peak so far) and the frontier size.
 * Usage: bench_enum [THREADS...]   (default: 1 2) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "parley/analysis.h"
#include "parley/parley.h"

#include "bench_common.h"

static double peak_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* Linux: KiB */
}

/* One timed enumeration; returns the frontier size, or -1 on failure. */
static long run_case(const char *label, const pl_scenario *sc, unsigned threads)
{
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = PL_PARETO_ENUMERATE;
    o.threads = threads;
    pl_frontier *f = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    double t0 = now_seconds();
    int rc = pl_frontier_compute(sc, &o, &f, &d);
    double t = now_seconds() - t0;
    if (rc < 0) {
        char buf[1200];
        printf("%-24s threads=%u  failed: %s\n", label, threads, pl_diag_format(&d, buf, sizeof buf));
        return -1;
    }
    uint64_t count = 0;
    pl_space_outcome_count(pl_scenario_space(sc), &count);
    long n = (long)pl_frontier_size(f);
    printf("%-24s threads=%u  outcomes=%llu  parties=%zu  time=%7.3f s  (%6.1f M outcomes/s)  peak_rss=%7.1f MiB  "
           "frontier=%ld points\n",
           label, threads, (unsigned long long)count, pl_frontier_party_count(f), t, (double)count / t / 1e6,
           peak_mib(), n);
    fflush(stdout);
    pl_frontier_free(f);
    return n;
}

int main(int argc, char **argv)
{
    unsigned threads[16] = {1, 2};
    size_t nt = 2;
    if (argc > 1) {
        nt = 0;
        for (int a = 1; a < argc && nt < 16; a++) {
            threads[nt++] = (unsigned)strtoul(argv[a], NULL, 10);
        }
    }
    printf("bench_enum (parley %s): exact Pareto frontier by enumeration, synthetic linear scenarios (seeded)\n",
           pl_version());
    struct {
        const char *label;
        size_t issues;
        uint32_t values;
        size_t parties;
    } cases[] = {
        {"linear-8x10-2parties", 8, 10, 2},
        {"linear-6x10-3parties", 6, 10, 3},
    };
    int status = 0;
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        /* Party 0 random tables, party 1 the opposite (1 - v), any further party random; every party has its own
         * random weights: different weights keep the opposed pair from sharing one line u0 + u1 = 1, where every
         * outcome would be on the frontier. */
        pl_scenario *sc = bench_linear_scenario(cases[c].issues, cases[c].values, cases[c].parties, 42 + c,
                                                BENCH_TABLES_COMPLEMENT, 1, "bench_enum");
        if (!sc) {
            status = 1;
            continue;
        }
        long first = -2;
        for (size_t k = 0; k < nt; k++) {
            long n = run_case(cases[c].label, sc, threads[k]);
            if (n < 0 || (first != -2 && n != first)) {
                status = 1;
            }
            first = first == -2 ? n : first;
        }
        pl_scenario_free(sc);
    }
    return status;
}
