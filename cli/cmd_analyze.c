/* parley analyze: the Pareto frontier, bargaining points and measures of a scenario, as a summary or JSON. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

typedef struct analyze_args {
    int json;
    int brief; /* the points' utilities and the Nash outcome only */
    long frontier_limit; /* -1: default (20 in text, all in JSON) */
    const char *parties;
} analyze_args;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}


/* "a,b" -> scenario indices. */
static int resolve_parties(const pl_scenario *sc, const char *list, size_t **out, size_t *n)
{
    size_t cap = pl_scenario_party_count(sc), k = 0;
    size_t *idx = calloc(cap + 1, sizeof *idx);
    char *copy = malloc(strlen(list) + 1);
    if (!idx || !copy) {
        free(idx);
        free(copy);
        return EXIT_FAIL;
    }
    strcpy(copy, list);
    int rc = 0;
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
        long p = pl_scenario_find_party(sc, tok);
        if (p < 0) {
            fprintf(stderr, "parley: --parties: no party named \"%s\" (parties:", tok);
            for (size_t q = 0; q < cap; q++) {
                fprintf(stderr, " %s", pl_scenario_party_name(sc, q));
            }
            fprintf(stderr, ")\n");
            rc = EXIT_USAGE;
            break;
        }
        if (k == cap) {
            fprintf(stderr, "parley: --parties lists a party twice\n");
            rc = EXIT_USAGE;
            break;
        }
        idx[k++] = (size_t)p;
    }
    free(copy);
    if (rc == 0 && k == 0) {
        fprintf(stderr, "parley: --parties is empty\n");
        rc = EXIT_USAGE;
    }
    if (rc) {
        free(idx);
        return rc;
    }
    *out = idx;
    *n = k;
    return 0;
}

static void outcome_text(const pl_space *s, const uint32_t *o, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < pl_space_issue_count(s) && used + 1 < size; i++) {
        char lab[64];
        int k = snprintf(buf + used, size - used, "%s%s=%s", i ? ", " : "", pl_space_issue_name(s, i),
                         pl_space_value_label(s, i, o[i], lab, sizeof lab));
        used += k > 0 ? (size_t)k : 0;
    }
}

/* The JSON from the library's writer (parley/record.h). */
static int analyze_json(const pl_scenario *sc, const pl_analysis *a, const analyze_args *args, double seconds)
{
    pl_diag d;
    pl_diag_clear(&d);
    char *text = NULL;
    if (pl_analysis_to_json(sc, a, args->frontier_limit, seconds, &text, &d) < 0) {
        cli_report(&d);
        return EXIT_FAIL;
    }
    int rc = cli_emit(text);
    free(text);
    return rc;
}

static void print_utils(const double *u, size_t np, int width)
{
    for (size_t k = 0; k < np; k++) {
        printf("  %*.6f", width, u[k]);
    }
}

static int analyze_text(const pl_scenario *sc, const pl_analysis *a, const analyze_args *args, double seconds)
{
    const pl_space *s = pl_scenario_space(sc);
    const pl_frontier *f = pl_analysis_frontier(a);
    size_t np = pl_frontier_party_count(f), n = pl_frontier_size(f);
    uint64_t count;
    char buf[4096];
    int cw = 8;
    for (size_t k = 0; k < np; k++) {
        int len = (int)strlen(pl_scenario_party_name(sc, pl_frontier_party(f, k)));
        cw = len > cw ? len : cw;
    }
    cw = cw > 24 ? 24 : cw;
    if (pl_scenario_name(sc)[0]) {
        printf("Scenario: %s\n", pl_scenario_name(sc));
    }
    if (pl_space_outcome_count(s, &count) == 0) {
        printf("Outcomes: %llu\n", (unsigned long long)count);
    } else {
        printf("Outcomes: about 10^%.1f\n", pl_space_log10_size(s));
    }
    printf("Frontier: %zu points, %s (%s algorithm, %.3f s)\n", n,
           pl_frontier_exact(f) ? "exact" : "APPROXIMATE: best found by search", pl_pareto_algorithm_name(pl_frontier_algorithm(f)),
           seconds);
    printf("\n  %-18s", "");
    for (size_t k = 0; k < np; k++) {
        printf("  %*.*s", cw, cw, pl_scenario_party_name(sc, pl_frontier_party(f, k)));
    }
    printf("\n  %-18s", "reservation");
    for (size_t k = 0; k < np; k++) {
        printf("  %*.6f", cw, pl_ufun_reservation(pl_scenario_ufun(sc, pl_frontier_party(f, k))));
    }
    printf("\n  %-18s", "ideal");
    print_utils(pl_analysis_ideal(a), np, cw);
    printf("\n");
    for (int k = 0; k < PL_POINT_KINDS; k++) {
        long p = pl_analysis_point(a, (pl_point_kind)k);
        printf("  %-18s", pl_point_kind_name((pl_point_kind)k));
        if (p < 0) {
            printf("  none (no outcome is acceptable to every party)\n");
            continue;
        }
        print_utils(pl_frontier_utilities(f, (size_t)p), np, cw);
        if (args->brief && k != PL_POINT_NASH) {
            printf("\n");
            continue;
        }
        outcome_text(s, pl_frontier_outcome(f, (size_t)p, 0), buf, sizeof buf);
        printf("\n  %-18s  %s\n", "", buf);
    }
    printf("\nOpposition: %.6f (distance from the ideal (1, ..., 1) to the nearest outcome)\n",
           pl_analysis_opposition(a));
    if (pl_analysis_zopa(a, &count) == 0) {
        printf("Acceptable to all: %llu outcomes\n", (unsigned long long)count);
    } else {
        printf("Acceptable to all: not counted (space larger than --zopa-limit)\n");
    }
    if (args->brief) {
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
    }
    for (size_t k = 0; k < np; k++) {
        double bu, wu;
        const uint32_t *b = pl_analysis_best(a, k, &bu), *wo = pl_analysis_worst(a, k, &wu);
        if (!b || !wo) {
            continue;
        }
        printf("\n%s\n", pl_scenario_party_name(sc, pl_frontier_party(f, k)));
        outcome_text(s, b, buf, sizeof buf);
        printf("  best  %.6f  %s\n", bu, buf);
        outcome_text(s, wo, buf, sizeof buf);
        printf("  worst %.6f  %s\n", wu, buf);
    }
    size_t shown = args->frontier_limit < 0 ? 20 : (size_t)args->frontier_limit;
    shown = shown > n ? n : shown;
    if (shown > 0) {
        printf("\nFrontier (%zu of %zu points)\n  %6s", shown, n, "#");
        for (size_t k = 0; k < np; k++) {
            printf("  %*.*s", cw, cw, pl_scenario_party_name(sc, pl_frontier_party(f, k)));
        }
        /* A search knows only the outcomes it found, not how many share a vector. */
        printf("  %8s  outcome\n", pl_frontier_exact(f) ? "outcomes" : "found");
        for (size_t p = 0; p < shown; p++) {
            printf("  %6zu", p + 1);
            print_utils(pl_frontier_utilities(f, p), np, cw);
            outcome_text(s, pl_frontier_outcome(f, p, 0), buf, sizeof buf);
            printf("  %8llu  %s\n", (unsigned long long)pl_frontier_outcome_total(f, p), buf);
        }
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

int cmd_analyze(int argc, char **argv)
{
    cli_scenario_args a;
    int init_failed = cli_scenario_args_init(&a, argc);
    analyze_args args = {0, 0, -1, NULL};
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    pl_scenario *sc = NULL;
    pl_analysis *an = NULL;
    size_t *parties = NULL;
    int rc = EXIT_OK;
    if (init_failed) {
        return EXIT_FAIL;
    }
    for (int i = 1; i < argc; i++) {
        int k;
        const char *arg = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t x;
        if (strcmp(arg, "--json") == 0) {
            args.json = 1;
        } else if (strcmp(arg, "--brief") == 0) {
            args.brief = 1;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            rc = cli_emit(cli_help_text("analyze"));
            goto done;
        } else if (strcmp(arg, "--frontier-limit") == 0 || strcmp(arg, "--threads") == 0 ||
                   strcmp(arg, "--outcomes-per-point") == 0 || strcmp(arg, "--seed") == 0 ||
                   strcmp(arg, "--restarts") == 0 || strcmp(arg, "--zopa-limit") == 0 ||
                   strcmp(arg, "--enumerate-limit") == 0 ||
                   strcmp(arg, "--max-points") == 0) {
            if (!val || cli_parse_u64(val, &x) < 0) {
                rc = cli_usage_error("analyze", "%s needs a non-negative integer", arg);
                goto done;
            }
            if (strcmp(arg, "--frontier-limit") == 0) {
                args.frontier_limit = x > 1000000000 ? 1000000000 : (long)x;
            } else if (strcmp(arg, "--threads") == 0) {
                o.threads = x > 256 ? 256 : (unsigned)x;
            } else if (strcmp(arg, "--outcomes-per-point") == 0) {
                if (x < 1 || x > 1000000) {
                    rc = cli_usage_error("analyze", "--outcomes-per-point must be from 1 to 1000000");
                    goto done;
                }
                o.outcomes_per_point = (uint32_t)x;
            } else if (strcmp(arg, "--seed") == 0) {
                o.seed = x;
            } else if (strcmp(arg, "--restarts") == 0) {
                o.search_restarts = x > 1000000 ? 1000000 : (uint32_t)x;
            } else if (strcmp(arg, "--zopa-limit") == 0) {
                o.zopa_limit = x;
            } else if (strcmp(arg, "--enumerate-limit") == 0) {
                o.enumerate_limit = x;
            } else {
                o.max_points = x;
            }
            i++;
        } else if (strcmp(arg, "--parties") == 0) {
            if (!val) {
                rc = cli_usage_error("analyze", "--parties needs a list: a,b");
                goto done;
            }
            args.parties = val;
            i++;
        } else if (strcmp(arg, "--algorithm") == 0) {
            if (!val) {
                rc = cli_usage_error("analyze", "--algorithm needs auto, enumerate, merge or search");
                goto done;
            }
            if (pl_pareto_algorithm_parse(val, &o.algorithm) < 0) {
                rc = cli_usage_error("analyze", "unknown algorithm '%s' (auto, enumerate, merge, search)", val);
                goto done;
            }
            i++;
        } else if ((k = cli_scenario_option(&a, argc, argv, &i, "analyze")) != 0) {
            if (k < 0) {
                rc = EXIT_USAGE;
                goto done;
            }
        } else if (arg[0] == '-' && arg[1]) {
            rc = cli_usage_error("analyze", "unknown option '%s'", arg);
            goto done;
        } else {
            a.paths[a.n++] = arg;
        }
    }
    if ((rc = cli_load(&a, "analyze", &sc)) != 0) {
        goto done;
    }
    if (args.parties) {
        if ((rc = resolve_parties(sc, args.parties, &parties, &o.n_parties)) != 0) {
            goto done;
        }
        o.parties = parties;
    }
    pl_diag d;
    pl_diag_clear(&d);
    double t0 = now_seconds();
    int e = pl_analyze(sc, &o, &an, &d);
    double seconds = now_seconds() - t0;
    if (e < 0) {
        cli_report(&d);
        rc = cli_exit_for(e);
        goto done;
    }
    rc = args.json ? analyze_json(sc, an, &args, seconds) : analyze_text(sc, an, &args, seconds);
done:
    pl_analysis_free(an);
    pl_scenario_free(sc);
    free(parties);
    free(a.paths);
    return rc;
}
