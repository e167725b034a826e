/* Speed of the ANAC agents (issue 17: each within 10x of a time-based agent's session time on ANAC 2011 Energy,
 * 390,625 outcomes): sessions per second of each agent against genius-linear under saop-genius with a 1000-round
 * deadline, on a small scenario (2010 Itex-Cypress, 180 outcomes) and on 2011 Energy, one thread, after one warm-up
 * session (which builds the shared sorted lists), the fastest of 5 batches taken in turns; the time-based `linear` agent is the
 * yardstick, per session and per round played (the ANAC agents hold out longer, so their sessions have more rounds).
 * Usage: bench_anac [SESSIONS [AGENT]]   (default 20 sessions per agent and scenario; every agent) */
#include "bench_common.h"

#ifndef PL_ANAC_DIR
#define PL_ANAC_DIR "../shared/scenarios/anac"
#endif

static const char *const agents[] = {"linear", "genius-linear", "hardheaded", "agentk", "agentk2", "nicetitfortat",
                                     "yushu"};

/* Seconds for n sessions of spec a (party 0) against b, seeds 1..n; rounds: mean rounds played. */
static double run_batch(pl_negotiation *neg, const pl_agent_spec *a, const pl_agent_spec *b, unsigned n,
                        double *rounds)
{
    const pl_agent_spec *specs[2] = {a, b};
    pl_session_options o;
    pl_session_options_init(&o);
    o.protocol = PL_PROTOCOL_SAOP_GENIUS;
    o.rounds = 1000;
    o.metrics = 0;
    pl_session_result r;
    *rounds = 0;
    double t0 = now_seconds();
    for (unsigned s = 0; s < n; s++) {
        o.seed = s + 1;
        pl_session_result_init(&r);
        if (pl_session_run(neg, specs, 2, &o, &r, NULL) < 0) {
            fprintf(stderr, "bench_anac: %s: session failed\n", pl_agent_spec_text(a));
            exit(1);
        }
        *rounds += (double)r.rounds;
        pl_session_result_free(&r);
    }
    *rounds /= n;
    return now_seconds() - t0;
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 20;
    const char *only = argc > 2 ? argv[2] : NULL; /* one agent (besides the yardstick) */
    n = n ? n : 1;
    const char *scen[2] = {"y2010/ItexvsCypress", "y2011/Energy"};
    pl_registry *reg = NULL;
    pl_registry_new(&reg, NULL);
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
        /* The agents take turns batch by batch (5 rounds of batches), each keeping its fastest batch, so a shared
         * machine's load hits them alike. */
        size_t na = sizeof agents / sizeof agents[0];
        pl_agent_spec *specs[sizeof agents / sizeof agents[0]] = {NULL}, *opp = NULL;
        double best[sizeof agents / sizeof agents[0]], rounds[sizeof agents / sizeof agents[0]];
        if (pl_agent_spec_parse(reg, "genius-linear", &opp, NULL) < 0) {
            return 1;
        }
        for (size_t j = 0; j < na; j++) {
            best[j] = 1e300;
            rounds[j] = 0;
            if (j > 0 && only && strcmp(only, agents[j]) != 0) {
                continue;
            }
            if (pl_agent_spec_parse(reg, agents[j], &specs[j], NULL) < 0) {
                fprintf(stderr, "bench_anac: no agent %s\n", agents[j]);
                return 2;
            }
            run_batch(neg, specs[j], opp, 1, &rounds[j]); /* warm-up: the shared lists */
        }
        for (int batch = 0; batch < 5; batch++) {
            for (size_t j = 0; j < na; j++) {
                if (specs[j]) {
                    double dt = run_batch(neg, specs[j], opp, n, &rounds[j]);
                    best[j] = dt < best[j] ? dt : best[j];
                }
            }
        }
        for (size_t j = 0; j < na; j++) {
            if (!specs[j]) {
                continue;
            }
            double sec = best[j] / n;
            double base = best[0] / n, base_round = base / rounds[0];
            printf("  %-15s %12.1f %12.3f %10.0f %12.2f %12.2f\n", agents[j], 1.0 / sec, 1e3 * sec, rounds[j],
                   sec / base, sec / rounds[j] / base_round);
            pl_agent_spec_free(specs[j]);
        }
        pl_agent_spec_free(opp);
        printf("\n");
        pl_negotiation_free(neg);
        pl_scenario_free(sc);
    }
    pl_registry_free(reg);
    return 0;
}
