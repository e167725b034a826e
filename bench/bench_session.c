/* Session throughput: boulware against conceder (SAOP, 1000-round deadline) on ANAC scenarios, one and two threads
 * sharing one prepared negotiation. Prints protocol rounds per second (a round = one turn of each party) and
 * sessions per second, medians of 5 repetitions. Target (issue 4): >= 5 M rounds/s per core.
 * Then the mediated single-text protocol (1000 steps, neutral mediator in random order, one thread): steps per second
 * with hill-climbers and with annealers (a step = one proposal and every party's vote).
 * Usage: bench_session [SCENARIO...]   (default: ANAC 2011 Energy, 2012 EnergyA, 2012 TravelC, 2010 Itex-Cypress;
 *        single-text: 2011 Energy, 2010 Itex-Cypress and scenarios/job-offer.json) */
#include <pthread.h>
#include <sys/resource.h>

#include "bench_common.h"

#ifndef PL_ANAC_DIR
#define PL_ANAC_DIR "../shared/scenarios/anac"
#endif
#ifndef PL_SCENARIOS_DIR
#define PL_SCENARIOS_DIR "scenarios"
#endif

typedef struct job {
    pl_negotiation *neg;
    const pl_agent_spec *const *agents;
    uint64_t first_seed, n;
    int metrics;
    uint64_t rounds, agreements;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    pl_session_options o;
    pl_session_options_init(&o);
    o.rounds = 1000;
    o.metrics = j->metrics;
    pl_session_result r;
    pl_session_result_init(&r);
    j->rounds = j->agreements = 0;
    for (uint64_t s = 0; s < j->n; s++) {
        o.seed = j->first_seed + s;
        if (pl_session_run(j->neg, j->agents, 2, &o, &r, NULL) < 0) {
            fprintf(stderr, "session failed\n");
            exit(1);
        }
        j->rounds += r.rounds;
        j->agreements += r.status == PL_SESSION_AGREEMENT;
    }
    pl_session_result_free(&r);
    return NULL;
}

/* Run n sessions on `threads` threads; seconds elapsed; total rounds in *rounds. */
static double timed(pl_negotiation *neg, const pl_agent_spec *const *agents, uint64_t n, int threads, int metrics,
                    uint64_t *rounds)
{
    job jobs[8];
    pthread_t tid[8];
    double t0 = now_seconds();
    for (int k = 0; k < threads; k++) {
        jobs[k] = (job){neg, agents, 1 + (uint64_t)k * (n / (uint64_t)threads), n / (uint64_t)threads, metrics, 0, 0};
        pthread_create(&tid[k], NULL, run_job, &jobs[k]);
    }
    *rounds = 0;
    for (int k = 0; k < threads; k++) {
        pthread_join(tid[k], NULL);
        *rounds += jobs[k].rounds;
    }
    return now_seconds() - t0;
}

static void bench_scenario(const char *path, pl_registry *reg)
{
    pl_scenario *sc;
    pl_diag d;
    pl_diag_clear(&d);
    const char *paths[1] = {path};
    if (pl_scenario_load(paths, 1, NULL, &sc, &d) < 0) {
        printf("%-40s skipped (%s)\n", path, d.message);
        return;
    }
    if (pl_scenario_party_count(sc) != 2) {
        printf("%-40s skipped (not bilateral)\n", path);
        pl_scenario_free(sc);
        return;
    }
    pl_agent_spec *a[2];
    pl_agent_spec_parse(reg, "boulware", &a[0], NULL);
    pl_agent_spec_parse(reg, "conceder", &a[1], NULL);
    pl_negotiation *neg;
    pl_negotiation_new(sc, NULL, &neg, NULL);
    uint64_t count = 0;
    pl_space_outcome_count(pl_scenario_space(sc), &count);
    /* Preparation: sorted lists and the analysis, built once and shared. */
    uint64_t rounds;
    double prep = timed(neg, (const pl_agent_spec *const *)a, 1, 1, 1, &rounds);
    const uint64_t n = 4000;
    printf("%s: %llu outcomes, session of %llu rounds; preparation (sort + analysis) %.1f ms\n", path,
           (unsigned long long)count, (unsigned long long)rounds, prep * 1e3);
    for (int metrics = 0; metrics < 2; metrics++) {
        for (int threads = 1; threads <= 2; threads++) {
            double rps[5], sps[5];
            for (int rep = 0; rep < 5; rep++) {
                double s = timed(neg, (const pl_agent_spec *const *)a, n, threads, metrics, &rounds);
                rps[rep] = (double)rounds / s;
                sps[rep] = (double)n / s;
            }
            printf("  %d thread%s, metrics %-3s  %7.2f M rounds/s (%.2f M per thread)  %8.0f sessions/s\n", threads,
                   threads > 1 ? "s" : " ", metrics ? "on" : "off", median(rps, 5) / 1e6,
                   median(rps, 5) / 1e6 / threads, median(sps, 5));
        }
    }
    pl_negotiation_free(neg);
    pl_agent_spec_free(a[0]);
    pl_agent_spec_free(a[1]);
    pl_scenario_free(sc);
}

/* Single-text: n sessions of 1000 steps with `voter` for every party, one thread; medians of 5 repetitions. */
static void bench_single_text(const char *path, pl_registry *reg)
{
    pl_scenario *sc;
    pl_diag d;
    pl_diag_clear(&d);
    const char *paths[1] = {path};
    if (pl_scenario_load(paths, 1, NULL, &sc, &d) < 0) {
        printf("%-40s skipped (%s)\n", path, d.message);
        return;
    }
    size_t np = pl_scenario_party_count(sc);
    pl_negotiation *neg;
    pl_negotiation_new(sc, NULL, &neg, NULL);
    const char *voters[2] = {"hill-climber", "annealer"};
    printf("%s, single-text, 1000 steps, neutral mediator, random order, metrics off, 1 thread:\n", path);
    for (size_t v = 0; v < 2; v++) {
        pl_agent_spec **a = calloc(np, sizeof *a);
        for (size_t k = 0; k < np; k++) {
            pl_agent_spec_parse(reg, voters[v], &a[k], NULL);
        }
        pl_session_options o;
        pl_session_options_init(&o);
        o.protocol = PL_PROTOCOL_SINGLE_TEXT;
        o.rounds = 1000;
        o.metrics = 0;
        pl_session_result r;
        pl_session_result_init(&r);
        const uint64_t n = 2000;
        double sps[5], ses[5];
        uint64_t changes = 0, agreements = 0;
        for (int rep = 0; rep < 5; rep++) {
            uint64_t steps = 0;
            changes = agreements = 0;
            double t0 = now_seconds();
            for (uint64_t s = 0; s < n; s++) {
                o.seed = s + 1;
                if (pl_session_run(neg, (const pl_agent_spec *const *)a, np, &o, &r, &d) < 0) {
                    fprintf(stderr, "session failed: %s\n", d.message);
                    exit(1);
                }
                steps += r.rounds;
                changes += r.changes;
                agreements += r.status == PL_SESSION_AGREEMENT;
            }
            double secs = now_seconds() - t0;
            sps[rep] = (double)steps / secs;
            ses[rep] = (double)n / secs;
        }
        printf("  %-12s  %7.2f M steps/s  %8.0f sessions/s  (%.1f changes stood per session, %.0f%% agreements)\n",
               voters[v], median(sps, 5) / 1e6, median(ses, 5), (double)changes / (double)n,
               100.0 * (double)agreements / (double)n);
        pl_session_result_free(&r);
        for (size_t k = 0; k < np; k++) {
            pl_agent_spec_free(a[k]);
        }
        free(a);
    }
    pl_negotiation_free(neg);
    pl_scenario_free(sc);
}

int main(int argc, char **argv)
{
    pl_registry *reg = NULL;
    if (pl_registry_new(&reg, NULL) < 0) {
        return 1;
    }
    if (argc > 1) {
        for (int k = 1; k < argc; k++) {
            bench_scenario(argv[k], reg);
        }
        for (int k = 1; k < argc; k++) {
            bench_single_text(argv[k], reg);
        }
    } else {
        const char *defaults[] = {"y2011/Energy", "y2012/EnergyA", "y2012/TravelC", "y2010/ItexvsCypress"};
        for (size_t k = 0; k < sizeof defaults / sizeof defaults[0]; k++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", PL_ANAC_DIR, defaults[k]);
            bench_scenario(path, reg);
        }
        const char *st[] = {"y2011/Energy", "y2010/ItexvsCypress"};
        for (size_t k = 0; k < sizeof st / sizeof st[0]; k++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", PL_ANAC_DIR, st[k]);
            bench_single_text(path, reg);
        }
        bench_single_text(PL_SCENARIOS_DIR "/job-offer.json", reg);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak resident memory: %.1f MB (shared sorted lists and analyses included)\n", ru.ru_maxrss / 1024.0);
    pl_registry_free(reg);
    return 0;
}
