/* Speed of the ANAC agents (issue 17: each within 10x of a time-based agent's session time on ANAC 2011 Energy,
 * 390,625 outcomes): sessions per second of each agent against genius-linear under saop-genius with a 1000-round
 * deadline, on a small scenario (2010 Itex-Cypress, 180 outcomes) and on 2011 Energy, one thread, after one warm-up
 * session (which builds the shared sorted lists), the fastest of 5 batches; the time-based `linear` agent is the
 * yardstick, per session and per round played (the ANAC agents hold out longer, so their sessions have more rounds).
 * Usage: bench_anac [SESSIONS [AGENT]]   (default 20 sessions per agent and scenario; every agent) */
#include "bench_common.h"

#ifndef PL_ANAC_DIR
#define PL_ANAC_DIR "../shared/scenarios/anac"
#endif

static const char *const agents[] = {"linear", "genius-linear", "hardheaded", "agentk", "agentk2", "nicetitfortat",
                                     "yushu"};

/* Mean seconds per session of agent (party 0) against genius-linear; rounds: mean rounds played. */
static double time_agent(pl_negotiation *neg, const pl_registry *reg, const char *agent, unsigned n, double *rounds)
{
    pl_agent_spec *a = NULL, *b = NULL;
    if (pl_agent_spec_parse(reg, agent, &a, NULL) < 0 || pl_agent_spec_parse(reg, "genius-linear", &b, NULL) < 0) {
        fprintf(stderr, "bench_anac: no agent %s\n", agent);
        exit(2);
    }
    const pl_agent_spec *specs[2] = {a, b};
    pl_session_options o;
    pl_session_options_init(&o);
    o.protocol = PL_PROTOCOL_SAOP_GENIUS;
    o.rounds = 1000;
    o.metrics = 0;
    pl_session_result r;
    pl_session_result_init(&r);
    o.seed = 999; /* warm-up: shared lists */
    pl_session_run(neg, specs, 2, &o, &r, NULL);
    pl_session_result_free(&r);
    /* The fastest of 5 batches of n sessions (seeds 1..n each time): the machine is shared. */
    double best = 1e300;
    for (int batch = 0; batch < 5; batch++) {
        *rounds = 0;
        double t0 = now_seconds();
        for (unsigned s = 0; s < n; s++) {
            o.seed = s + 1;
            pl_session_result_init(&r);
            if (pl_session_run(neg, specs, 2, &o, &r, NULL) < 0) {
                fprintf(stderr, "bench_anac: %s: session failed\n", agent);
                exit(1);
            }
            *rounds += (double)r.rounds;
            pl_session_result_free(&r);
        }
        double dt = now_seconds() - t0;
        best = dt < best ? dt : best;
    }
    double total = best;
    *rounds /= n;
    pl_agent_spec_free(a);
    pl_agent_spec_free(b);
    return total / n;
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 20;
    const char *only = argc > 2 ? argv[2] : NULL; /* one agent (besides the yardstick) */
    n = n ? n : 1;
    const char *scen[2] = {"y2010/ItexvsCypress", "y2011/Energy"};
    pl_registry *reg = pl_registry_new();
    for (size_t k = 0; k < 2; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", PL_ANAC_DIR, scen[k]);
        const char *paths[1] = {path};
        pl_scenario *sc = NULL;
        pl_diag d;
        pl_diag_clear(&d);
        if (pl_scenario_load(paths, 1, NULL, &sc, &d) < 0) {
            fprintf(stderr, "bench_anac: %s: %s (skipped)\n", path, d.message);
            continue;
        }
        pl_negotiation *neg = NULL;
        if (pl_negotiation_new(sc, NULL, &neg, &d) < 0) {
            fprintf(stderr, "bench_anac: %s\n", d.message);
            return 1;
        }
        uint64_t count = 0;
        pl_space_outcome_count(pl_scenario_space(sc), &count);
        printf("%s (%llu outcomes), vs genius-linear, saop-genius, 1000 rounds, %u sessions each\n", scen[k],
               (unsigned long long)count, n);
        printf("  %-15s %12s %12s %10s %12s %12s\n", "agent", "sessions/s", "ms/session", "rounds", "x linear",
               "per round");
        double base = 0, base_round = 0;
        for (size_t j = 0; j < sizeof agents / sizeof agents[0]; j++) {
            if (j > 0 && only && strcmp(only, agents[j]) != 0) {
                continue;
            }
            double rounds;
            double s = time_agent(neg, reg, agents[j], n, &rounds);
            if (j == 0) {
                base = s;
                base_round = s / rounds;
            }
            printf("  %-15s %12.1f %12.3f %10.0f %12.2f %12.2f\n", agents[j], 1.0 / s, 1e3 * s, rounds, s / base,
                   s / rounds / base_round);
        }
        printf("\n");
        pl_negotiation_free(neg);
        pl_scenario_free(sc);
    }
    pl_registry_free(reg);
    return 0;
}
