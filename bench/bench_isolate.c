/* The cost of isolating untrusted agents: the same plug-in tournament (the example plug-in "example-floor" against
 * three built-ins, every ordered pair, reps repetitions, 1000 rounds) run with isolate off and on, on a small
 * scenario (job-offer, 2,520 outcomes) and on ANAC 2011 Energy (390,625 outcomes), 2 threads; prints sessions per
 * second (best of 3) and the per-session cost of isolation. Then one isolated `parley run`-like session with each
 * hostile agent of tests/plugins/hostile.c: status, reason and wall time (the table in docs/tournaments.md).
 * Usage: bench_isolate [EXAMPLE_PLUGIN [HOSTILE_PLUGIN [SCENARIOS_DIR [ANAC_DIR]]]] */
#include <math.h>
#include <sys/stat.h>

#include "bench_common.h"
#include "parley/names.h"
#include "parley/tournament.h"

#ifndef PL_EXAMPLE_AGENT
#define PL_EXAMPLE_AGENT "build/libexample_agent.so"
#endif
#ifndef PL_HOSTILE_AGENT
#define PL_HOSTILE_AGENT "build/tests/libhostile_agents.so"
#endif
#ifndef PL_SCENARIOS_DIR
#define PL_SCENARIOS_DIR "scenarios"
#endif
#ifndef PL_ANAC_DIR
#define PL_ANAC_DIR "../shared/scenarios/anac"
#endif

/* Seconds for the tournament; sessions into *n, isolated ones (those with the plug-in) into *n_iso. */
static double run_tournament(const pl_registry *reg, const char *lib, const char *scenario, uint64_t reps,
                             pl_isolate isolate, uint64_t *n, uint64_t *n_iso)
{
    const char *agents[] = {"example-floor", "boulware", "conceder", "linear"};
    pl_tournament_options o;
    pl_tournament_options_init(&o);
    o.agents = agents;
    o.n_agents = 4;
    o.scenarios = &scenario;
    o.n_scenarios = 1;
    o.agent_libs = &lib;
    o.n_agent_libs = 1;
    o.reps = reps;
    o.rounds = 1000;
    o.jobs = 2;
    o.isolate = isolate;
    pl_tournament *t = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    char tmp[] = "/tmp/parley-bench-iso-XXXXXX";
    if (!mkdtemp(tmp)) {
        return -1;
    }
    char out[64];
    snprintf(out, sizeof out, "%s/t", tmp);
    double t0 = now_seconds();
    if (pl_tournament_new(&o, reg, &t, &d) < 0 || pl_tournament_run(t, out, &d) < 0) {
        char buf[2048];
        fprintf(stderr, "bench_isolate: %s\n", pl_diag_format(&d, buf, sizeof buf));
        pl_tournament_free(t);
        return -1;
    }
    double secs = now_seconds() - t0;
    *n = pl_tournament_session_count(t);
    *n_iso = *n / 2; /* 4 agents, ordered pairs: 12 assignments, 6 of them with the plug-in */
    pl_tournament_free(t);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    if (system(cmd) != 0) {
        fprintf(stderr, "bench_isolate: could not remove %s\n", tmp);
    }
    return secs;
}

int main(int argc, char **argv)
{
    const char *example = argc > 1 ? argv[1] : PL_EXAMPLE_AGENT;
    const char *hostile = argc > 2 ? argv[2] : PL_HOSTILE_AGENT;
    const char *scen_dir = argc > 3 ? argv[3] : PL_SCENARIOS_DIR;
    const char *anac = argc > 4 ? argv[4] : PL_ANAC_DIR;
    pl_registry *reg = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    if (pl_registry_new(&reg, &d) < 0 || pl_registry_load_plugin(reg, example, &d) < 0) {
        char buf[2048];
        fprintf(stderr, "bench_isolate: %s\n", pl_diag_format(&d, buf, sizeof buf));
        return 1;
    }
    char job[4096], energy[4096];
    snprintf(job, sizeof job, "%s/job-offer.json", scen_dir);
    snprintf(energy, sizeof energy, "%s/y2011/Energy", anac);
    struct {
        const char *name, *path;
        uint64_t reps;
    } cases[] = {{"job-offer (2,520 outcomes)", job, 100}, {"ANAC 2011 Energy (390,625 outcomes)", energy, 40}};
    printf("bench_isolate: example-floor (plug-in) + boulware, conceder, linear; ordered pairs; 1000 rounds; "
           "2 threads\n\n");
    printf("  %-38s %8s %12s %12s %14s\n", "scenario", "sessions", "off (s/s)", "on (s/s)", "isolation cost");
    for (size_t c = 0; c < 2; c++) {
        struct stat st;
        if (stat(cases[c].path, &st) != 0) {
            printf("  %-38s skipped (%s not found)\n", cases[c].name, cases[c].path);
            continue;
        }
        /* Best of 3, alternating, so that other load on the machine hurts both alike. */
        uint64_t n = 0, n_iso = 0;
        double off = INFINITY, on = INFINITY;
        for (int rep = 0; rep < 3; rep++) {
            double x = run_tournament(reg, example, cases[c].path, cases[c].reps, PL_ISOLATE_OFF, &n, &n_iso);
            double y = run_tournament(reg, example, cases[c].path, cases[c].reps, PL_ISOLATE_ON, &n, &n_iso);
            if (x < 0 || y < 0) {
                return 1;
            }
            off = x < off ? x : off;
            on = y < on ? y : on;
        }
        /* Per isolated session: the extra time over the in-process run, with 2 threads working. */
        printf("  %-38s %8llu %12.0f %12.0f %11.1f us\n", cases[c].name, (unsigned long long)n, (double)n / off,
               (double)n / on, (on - off) * 2 / (double)n_iso * 1e6);
    }

    /* The hostile agents, one isolated session each against boulware on job-offer. */
    if (pl_registry_load_plugin(reg, hostile, &d) < 0) {
        char buf[2048];
        printf("\n(hostile agents skipped: %s)\n", pl_diag_format(&d, buf, sizeof buf));
        pl_registry_free(reg);
        return 0;
    }
    const char *path = job;
    pl_scenario *sc = NULL;
    pl_negotiation *neg = NULL;
    if (pl_scenario_load(&path, 1, NULL, &sc, &d) < 0 || pl_negotiation_new(sc, NULL, &neg, &d) < 0) {
        return 1;
    }
    printf("\nhostile agents (tests/plugins/hostile.c) vs boulware on job-offer, isolated, call limit 1 s (hog: 10 s), "
           "memory limit 64 MiB:\n\n");
    printf("  | agent | status | reason | wall time |\n  |---|---|---|---|\n");
    const char *hostiles[] = {"segv", "loop", "exit", "abort", "badoutcome", "hog", "flaky"};
    for (size_t k = 0; k < sizeof hostiles / sizeof *hostiles; k++) {
        pl_agent_spec *a[2] = {NULL, NULL};
        if (pl_agent_spec_parse(reg, "boulware", &a[0], &d) < 0 ||
            pl_agent_spec_parse(reg, hostiles[k], &a[1], &d) < 0) {
            return 1;
        }
        pl_session_options so;
        pl_session_options_init(&so);
        so.isolate = PL_ISOLATE_ON;
        so.call_limit = strcmp(hostiles[k], "hog") == 0 ? 10 : 1; /* touching memory is slow on a loaded machine */
        so.memory_limit = (uint64_t)64 << 20;
        so.seed = 2;
        pl_session_result r;
        pl_session_result_init(&r);
        double t0 = now_seconds();
        int rc = pl_session_run(neg, (const pl_agent_spec *const *)a, 2, &so, &r, &d);
        double secs = now_seconds() - t0;
        printf("  | %s | %s | %s | %.3f s |\n", hostiles[k], rc < 0 ? "(error)" : pl_session_status_name(r.status),
               rc < 0 ? d.message : r.reason, secs);
        pl_session_result_free(&r);
        pl_agent_spec_free(a[0]);
        pl_agent_spec_free(a[1]);
    }
    pl_negotiation_free(neg);
    pl_scenario_free(sc);
    pl_registry_free(reg);
    return 0;
}
