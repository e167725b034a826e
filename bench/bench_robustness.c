/* Benchmark: robustness sampling on the ceasefire scenario (parley report --samples): models drawn from the
 * scenario's "uncertainty" ranges, each predicted by the exact frontier merge with red lines (pl_analyze, one thread
 * per model, models spread over the jobs). Prints seconds per model and the projected time for 10,000 models.
 * With a 4th argument "statuses", each issue's report status in every model too.
 * Usage: bench_robustness [SCENARIO [SAMPLES [JOBS [statuses]]]] (defaults: scenarios/ceasefire-2025.json, 40, 2) */
#include "bench_common.h"

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "scenarios/ceasefire-2025.json";
    uint64_t samples = argc > 2 ? strtoull(argv[2], NULL, 10) : 40;
    unsigned jobs = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 2;
    pl_scenario *sc = NULL;
    pl_uncertainty *u = NULL;
    pl_robustness *r = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    if (pl_scenario_load(&path, 1, NULL, &sc, &d) < 0 || pl_uncertainty_load(sc, path, &u, &d) < 0) {
        fprintf(stderr, "bench_robustness: %s\n", d.message);
        return 1;
    }
    pl_robustness_options o;
    pl_robustness_options_init(&o);
    o.samples = samples;
    o.seed = 1;
    o.jobs = jobs;
    o.statuses = argc > 4 && strcmp(argv[4], "statuses") == 0;
    double t0 = now_seconds();
    if (pl_robustness_run(u, &o, &r, &d) < 0) {
        fprintf(stderr, "bench_robustness: %s\n", d.message);
        return 1;
    }
    double t = now_seconds() - t0;
    printf("bench_robustness: %s, %zu uncertain parameters, %llu models%s on %u jobs: %.2f s (%.1f ms per model; "
           "10,000 models: %.0f s)\n",
           pl_scenario_name(sc), pl_uncertainty_count(u), (unsigned long long)samples,
           o.statuses ? " with statuses" : "", jobs, t,
           1000 * t / (double)samples, t / (double)samples * 10000);
    pl_robustness_free(r);
    pl_uncertainty_free(u);
    pl_scenario_free(sc);
    return 0;
}
