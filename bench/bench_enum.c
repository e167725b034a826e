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

/* n_issues discrete issues of n_values values; party 0 has random tables, party 1 the opposite tables (1 - v), any
 * further party random ones; every party has its own random weights (normalised to sum 1). Different weights keep
 * the opposed pair from sharing one line u0 + u1 = 1, where every outcome would be on the frontier. NULL on
 * failure (message printed). */
static pl_scenario *make_scenario(size_t n_issues, uint32_t n_values, size_t n_parties, uint64_t seed)
{
    pl_diag d;
    pl_diag_clear(&d);
    char errbuf[1200];
    pl_scenario *sc = NULL;
    pl_space *s = pl_space_new();
    char **labels = calloc(n_values, sizeof *labels);
    double *tables = calloc(n_issues * n_values, sizeof *tables);
    double *table = calloc(n_values, sizeof *table);
    double *weights = calloc(n_issues, sizeof *weights);
    if (!s || !labels || !tables || !table || !weights) {
        goto fail;
    }
    for (uint32_t v = 0; v < n_values; v++) {
        labels[v] = malloc(16);
        if (!labels[v]) {
            goto fail;
        }
        snprintf(labels[v], 16, "v%u", (unsigned)v);
    }
    for (size_t i = 0; i < n_issues; i++) {
        char name[32];
        snprintf(name, sizeof name, "issue%zu", i);
        if (pl_space_add_discrete(s, name, n_values, (const char *const *)labels, &d) < 0) {
            fprintf(stderr, "bench_enum: %s\n", pl_diag_format(&d, errbuf, sizeof errbuf));
            goto fail;
        }
    }
    sc = pl_scenario_new(s);
    s = NULL; /* owned by sc now, also on failure */
    if (!sc) {
        goto fail;
    }
    uint64_t rng = seed;
    for (size_t k = 0; k < n_issues * n_values; k++) {
        tables[k] = rng_unit(&rng);
    }
    for (size_t p = 0; p < n_parties; p++) {
        pl_ufun *u = pl_ufun_linear_new(pl_scenario_space(sc));
        if (!u) {
            goto fail;
        }
        double total = 0;
        for (size_t i = 0; i < n_issues; i++) {
            weights[i] = 0.05 + rng_unit(&rng);
            total += weights[i];
        }
        for (size_t i = 0; i < n_issues; i++) {
            for (uint32_t v = 0; v < n_values; v++) {
                double x = tables[i * n_values + v];
                table[v] = p == 0 ? x : (p == 1 ? 1.0 - x : rng_unit(&rng));
            }
            if (pl_ufun_linear_set_weight(u, i, weights[i] / total) < 0 || pl_ufun_linear_set_table(u, i, table) < 0) {
                pl_ufun_free(u);
                goto fail;
            }
        }
        char name[32];
        snprintf(name, sizeof name, "party%zu", p + 1);
        if (pl_scenario_add_party(sc, name, u, &d) < 0) { /* takes u, also on failure */
            fprintf(stderr, "bench_enum: %s\n", pl_diag_format(&d, errbuf, sizeof errbuf));
            goto fail;
        }
    }
    goto done;
fail:
    fprintf(stderr, "bench_enum: cannot build the synthetic %zu-issue scenario\n", n_issues);
    pl_scenario_free(sc);
    sc = NULL;
done:
    pl_space_free(s);
    for (uint32_t v = 0; labels && v < n_values; v++) {
        free(labels[v]);
    }
    free(labels);
    free(tables);
    free(table);
    free(weights);
    return sc;
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
        pl_scenario *sc = make_scenario(cases[c].issues, cases[c].values, cases[c].parties, 42 + c);
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
