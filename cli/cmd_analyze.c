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
    pl_free(text);
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

typedef struct analyze_cli {
    cli_scenario_args sa;
    analyze_args args;
    pl_analysis_options o;
    uint64_t frontier_limit, threads, restarts;
} analyze_cli;

static const cli_opt analyze_opts[] = {
    {.name = "--json", .kind = CLI_FLAG, .off = offsetof(analyze_cli, args.json),
     .help = "print the full result as JSON (see docs/formats.md)"},
    {.name = "--brief", .kind = CLI_FLAG, .off = offsetof(analyze_cli, args.brief),
     .help = "text: the points' utilities, the Nash outcome and the counts only"},
    {.name = "--frontier-limit", .kind = CLI_U64, .off = offsetof(analyze_cli, frontier_limit), .arg = "N",
     .help = "print at most N frontier points (default 20 in text, all in JSON); all are computed"},
    {.name = "--parties", .kind = CLI_STR, .off = offsetof(analyze_cli, args.parties), .arg = "a,b",
     .help = "analyse these parties only, in this order"},
    {.name = "--algorithm", .kind = CLI_CHOICE, .off = offsetof(analyze_cli, o.algorithm), .arg = "A",
     .choices = "auto|enumerate|merge|search", .parse = cli_parse_algorithm,
     .help = "auto (default), merge, enumerate or search"},
    {.name = "--threads", .kind = CLI_U64, .off = offsetof(analyze_cli, threads), .arg = "N",
     .help = "worker threads for enumeration (default: all cores)"},
    {.name = "--outcomes-per-point", .kind = CLI_U32, .off = offsetof(analyze_cli, o.outcomes_per_point), .arg = "K",
     .min = 1, .max = 1000000, .help = "outcomes kept per frontier point (default 16)"},
    {.name = "--zopa-limit", .kind = CLI_U64, .off = offsetof(analyze_cli, o.zopa_limit), .arg = "N",
     .help = "count the outcomes acceptable to all when the space has at most N (default 1e8)"},
    {.name = "--enumerate-limit", .kind = CLI_U64, .off = offsetof(analyze_cli, o.enumerate_limit), .arg = "N",
     .help = "automatic choice: enumerate non-linear spaces of at most N outcomes, search larger\n"
             "ones (default 1e8)"},
    {.name = "--max-points", .kind = CLI_U64, .off = offsetof(analyze_cli, o.max_points), .arg = "N",
     .help = "refuse frontiers of more than N points (default 10,000,000)"},
    {.name = "--seed", .kind = CLI_U64, .off = offsetof(analyze_cli, o.seed), .arg = "S",
     .help = "search: random seed (default 1)"},
    {.name = "--restarts", .kind = CLI_U64, .off = offsetof(analyze_cli, restarts), .arg = "R",
     .help = "search: restarts per weighting (default 200)"},
    CLI_OPT_REAL_LEVELS(offsetof(analyze_cli, sa.opts.real_levels)),
    CLI_OPT_STRICT(offsetof(analyze_cli, sa.opts.strict)),
};

const cli_cmd cli_cmd_analyze = {
    .name = "analyze",
    .synopsis = "analyze SCENARIO...",
    .summary = "Pareto frontier, Nash / Kalai-Smorodinsky / egalitarian / max-welfare points",
    .usage = "Usage: parley analyze SCENARIO... [--json] [--frontier-limit N] [--parties a,b] [--algorithm A]\n",
    .description =
        "Which deals are possible, efficient and fair: the exact Pareto frontier (outcomes sharing a utility vector are\n"
        "reported together), the Nash, Kalai-Smorodinsky, egalitarian and max-welfare points, the ideal point,\n"
        "opposition, the number of outcomes acceptable to every party, and each party's best and worst outcome.\n"
        "Utilities are undiscounted. The algorithm is chosen automatically and reported: merge (linear additive\n"
        "parties: exact without enumerating, for spaces of any size), enumerate (any utility function: streams over\n"
        "every outcome on all cores), search (non-linear spaces too large to enumerate: APPROXIMATE, labelled so).\n",
    .opts = analyze_opts,
    .n_opts = sizeof analyze_opts / sizeof analyze_opts[0],
    CLI_SCENARIO_POSITIONALS(analyze_cli),
    .run = cmd_analyze,
};

int cmd_analyze(int argc, char **argv)
{
    analyze_cli c = {.args = {0, 0, -1, NULL}};
    cli_scenario_args_init(&c.sa);
    pl_analysis_options_init(&c.o);
    unsigned given[sizeof analyze_opts / sizeof analyze_opts[0]];
    analyze_args args;
    pl_analysis_options o;
    pl_scenario *sc = NULL;
    pl_analysis *an = NULL;
    size_t *parties = NULL;
    int rc = EXIT_OK;
    if (cli_parse(&cli_cmd_analyze, argc, argv, &c, given, &rc) != 0) {
        goto done;
    }
    args = c.args;
    o = c.o;
    if (cli_given(&cli_cmd_analyze, given, "--frontier-limit")) {
        args.frontier_limit = c.frontier_limit > 1000000000 ? 1000000000 : (long)c.frontier_limit;
    }
    if (cli_given(&cli_cmd_analyze, given, "--threads")) {
        o.threads = c.threads > 256 ? 256 : (unsigned)c.threads;
    }
    if (cli_given(&cli_cmd_analyze, given, "--restarts")) {
        o.search_restarts = c.restarts > 1000000 ? 1000000 : (uint32_t)c.restarts;
    }
    if ((rc = cli_load(&c.sa, "analyze", &sc)) != 0) {
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
    cli_args_free(&cli_cmd_analyze, &c);
    return rc;
}
