/* Tournament throughput: every bilateral ANAC 2010-2012 scenario x 6 built-in agents x all ordered pairs x 5
 * repetitions at 1000 rounds, written to SQLite in a temporary folder, on 1 and 2 threads. Prints sessions per
 * second (including the one-off per-scenario preparation: sorted outcomes and the frontier for metrics) and peak
 * RSS. Target: >= 5,000 sessions/s on 2 cores, < 1 GB. Usage: bench_tournament [ANAC_DIR] */
#include <dirent.h>
#include <sys/resource.h>

#include "bench_common.h"
#include "parley/tournament.h"

#ifndef PL_ANAC_DIR
#define PL_ANAC_DIR "../shared/scenarios/anac"
#endif

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *anac = argc > 1 ? argv[1] : PL_ANAC_DIR;
    const char *years[] = {"y2010", "y2011", "y2012"};
    char **paths = NULL;
    size_t n = 0;
    for (size_t y = 0; y < 3; y++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", anac, years[y]);
        DIR *dd = opendir(dir);
        if (!dd) {
            fprintf(stderr, "bench_tournament: %s: no ANAC scenarios, skipped\n", dir);
            return 0;
        }
        struct dirent *e;
        while ((e = readdir(dd))) {
            if (e->d_name[0] == '.') {
                continue;
            }
            char p[8192];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            const char *pp = p;
            pl_scenario *sc = NULL;
            if (pl_scenario_load(&pp, 1, NULL, &sc, NULL) == 0 && pl_scenario_party_count(sc) == 2) {
                paths = realloc(paths, (n + 1) * sizeof *paths);
                paths[n++] = strdup(p);
            }
            pl_scenario_free(sc);
        }
        closedir(dd);
    }
    qsort(paths, n, sizeof *paths, by_name);
    const char *agents[] = {"boulware", "linear", "conceder", "hardliner", "tit-for-tat", "micro"};
    pl_registry *reg = NULL;
    if (pl_registry_new(&reg, NULL) < 0) {
        return 1;
    }
    printf("bench_tournament: %zu bilateral scenarios (ANAC 2010-2012) x 6 agents x 30 ordered pairs x 5 reps, "
           "1000 rounds, metrics on\n", n);
    for (unsigned jobs = 1; jobs <= 2; jobs++) {
        pl_tournament_options o;
        pl_tournament_options_init(&o);
        o.agents = agents;
        o.n_agents = 6;
        o.scenarios = (const char *const *)paths;
        o.n_scenarios = n;
        o.reps = 5;
        o.rounds = 1000;
        o.jobs = jobs;
        pl_tournament *t = NULL;
        pl_diag d;
        pl_diag_clear(&d);
        char tmp[] = "/tmp/parley-bench-XXXXXX";
        if (!mkdtemp(tmp)) {
            return 1;
        }
        char out[64];
        snprintf(out, sizeof out, "%s/t", tmp);
        double t0 = now_seconds();
        if (pl_tournament_new(&o, reg, &t, &d) < 0) {
            char buf[2048];
            fprintf(stderr, "bench_tournament: %s\n", pl_diag_format(&d, buf, sizeof buf));
            return 1;
        }
        double t1 = now_seconds();
        if (pl_tournament_run(t, out, &d) < 0) {
            char buf[2048];
            fprintf(stderr, "bench_tournament: %s\n", pl_diag_format(&d, buf, sizeof buf));
            return 1;
        }
        double t2 = now_seconds();
        uint64_t total = pl_tournament_session_count(t);
        printf("  %u thread%s: %llu sessions in %.2f s (load %.2f s) = %.0f sessions/s\n", jobs,
               jobs == 1 ? " " : "s", (unsigned long long)total, t2 - t1, t1 - t0, (double)total / (t2 - t1));
        pl_tournament_free(t);
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
        if (system(cmd) != 0) {
            fprintf(stderr, "bench_tournament: cannot remove %s\n", tmp);
        }
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("  peak RSS: %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    for (size_t k = 0; k < n; k++) {
        free(paths[k]);
    }
    free(paths);
    pl_registry_free(reg);
    return 0;
}
