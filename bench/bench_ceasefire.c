/* Benchmark: the flagship ceasefire scenario (12.9 M outcomes, 3 parties, 7 red lines). Times the exact frontier with
 * red lines (merge per red-line cell vs streaming enumeration), the full analysis, and the report's scan, on 1 thread
 * and on all cores. Medians of 5. Usage: bench_ceasefire [SCENARIO] */
#include "bench_common.h"

#define REPS 5

static double time_analysis(const pl_scenario *sc, pl_pareto_algorithm algo, unsigned threads, size_t *points)
{
    double t[REPS];
    for (int r = 0; r < REPS; r++) {
        pl_analysis_options o;
        pl_analysis_options_init(&o);
        o.algorithm = algo;
        o.threads = threads;
        o.zopa_limit = 0; /* the frontier and points only; the zone count is the report's scan below */
        pl_analysis *a = NULL;
        pl_diag d;
        pl_diag_clear(&d);
        double t0 = now_seconds();
        if (pl_analyze(sc, &o, &a, &d) < 0) {
            fprintf(stderr, "bench_ceasefire: %s\n", d.message);
            exit(1);
        }
        t[r] = now_seconds() - t0;
        *points = pl_frontier_size(pl_analysis_frontier(a));
        pl_analysis_free(a);
    }
    return median(t, REPS);
}

static double time_report(const pl_scenario *sc, const uint32_t *agreement, unsigned threads)
{
    double t[REPS];
    for (int r = 0; r < REPS; r++) {
        pl_report_options o;
        pl_report_options_init(&o);
        o.threads = threads;
        pl_report *rep = NULL;
        pl_diag d;
        pl_diag_clear(&d);
        double t0 = now_seconds();
        if (pl_report_build(sc, agreement, &o, &rep, &d) < 0) {
            fprintf(stderr, "bench_ceasefire: %s\n", d.message);
            exit(1);
        }
        t[r] = now_seconds() - t0;
        pl_report_free(rep);
    }
    return median(t, REPS);
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "scenarios/ceasefire-2025.json";
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    if (pl_scenario_load(&path, 1, NULL, &sc, &d) < 0) {
        fprintf(stderr, "bench_ceasefire: %s: %s (run from the source folder)\n", path, d.message);
        return 1;
    }
    uint64_t n = 0;
    pl_space_outcome_count(pl_scenario_space(sc), &n);
    printf("bench_ceasefire: %s, %llu outcomes, %zu parties (medians of %d)\n", pl_scenario_name(sc),
           (unsigned long long)n, pl_scenario_party_count(sc), REPS);
    size_t pts = 0;
    double t = time_analysis(sc, PL_PARETO_MERGE, 1, &pts);
    printf("  frontier + points, merge per red-line cell, 1 thread: %8.3f s (%zu points)\n", t, pts);
    t = time_analysis(sc, PL_PARETO_ENUMERATE, 1, &pts);
    printf("  frontier + points, enumeration, 1 thread:             %8.3f s (%zu points)\n", t, pts);
    t = time_analysis(sc, PL_PARETO_ENUMERATE, 0, &pts);
    printf("  frontier + points, enumeration, all cores:            %8.3f s (%zu points)\n", t, pts);
    /* The report on the status quo: every issue left there, so the scan runs (plus the analysis for nothing). */
    size_t ni = pl_space_issue_count(pl_scenario_space(sc));
    uint32_t *sq = calloc(ni, sizeof *sq);
    for (size_t i = 0; i < ni; i++) {
        uint32_t v = pl_scenario_status_quo(sc, i);
        sq[i] = v == PL_NO_VALUE ? 0 : v;
    }
    double r1 = time_report(sc, sq, 1), r0 = time_report(sc, sq, 0);
    printf("  report scan, 1 thread:  %8.3f s (%.1f M outcomes/s)\n", r1, (double)n / r1 * 1e-6);
    printf("  report scan, all cores: %8.3f s (%.1f M outcomes/s)\n", r0, (double)n / r0 * 1e-6);
    printf("  report with the prediction (analysis + scan), all cores: %8.3f s\n", time_report(sc, NULL, 0));
    free(sq);
    pl_scenario_free(sc);
    return 0;
}
