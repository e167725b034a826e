/* parley eval: each party's utility (and optionally discounted utility) for given outcomes. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct request {
    const char *text; /* --outcome, or NULL for --index */
    unsigned long long index;
} request;

#define ACC_MAX 480 /* room for one party's acceptable column */

/* "yes", "no (below reservation)" or "no (red line: ...)" for party u and outcome o. */
static void acceptable_text(const pl_space *s, const pl_ufun *u, const uint32_t *o, char *buf, size_t size)
{
    long k = pl_ufun_first_broken(u, o);
    if (k >= 0) {
        char text[400];
        size_t more = 0;
        for (size_t j = (size_t)k + 1; j < pl_ufun_red_line_count(u); j++) {
            more += (size_t)pl_ufun_red_line_broken(u, j, o);
        }
        pl_ufun_red_line_text(u, (size_t)k, text, sizeof text);
        if (more) {
            snprintf(buf, size, "no (red line: %s; and %zu more)", text, more);
        } else {
            snprintf(buf, size, "no (red line: %s)", text);
        }
    } else if (!pl_ufun_acceptable(u, o)) {
        snprintf(buf, size, "no (below reservation)");
    } else {
        snprintf(buf, size, "yes");
    }
}

static int eval_text(const pl_scenario *sc, uint32_t **outs, size_t n, int timed, double t)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t np = pl_scenario_party_count(sc);
    int pw = 5;
    for (size_t p = 0; p < np; p++) {
        int len = (int)strlen(pl_scenario_party_name(sc, p));
        pw = len > pw ? len : pw;
    }
    char *acc = malloc(np * ACC_MAX);
    if (!acc) {
        fprintf(stderr, "parley: out of memory\n");
        return EXIT_FAIL;
    }
    for (size_t k = 0; k < n; k++) {
        if (k) {
            printf("\n");
        }
        printf("Outcome:");
        for (size_t i = 0; i < pl_space_issue_count(s); i++) {
            char lab[64];
            printf("%s %s=%s", i ? "," : "", pl_space_issue_name(s, i),
                   cli_value_label(s, i, outs[k][i], lab, sizeof lab));
        }
        uint64_t idx;
        if (pl_space_outcome_index(s, outs[k], &idx) == 0) {
            printf("\nIndex:   %llu", (unsigned long long)idx);
        }
        /* The acceptable column is as wide as its longest entry when another column follows it. */
        int aw = 10;
        for (size_t p = 0; p < np; p++) {
            char *b = acc + p * ACC_MAX;
            acceptable_text(s, pl_scenario_ufun(sc, p), outs[k], b, ACC_MAX);
            int len = (int)strlen(b);
            aw = len > aw ? len : aw;
        }
        printf("\n  %-*s  %18s  %11s  %-*s", pw, "party", "utility", "reservation", timed ? aw : 0, "acceptable");
        if (timed) {
            char tt[40], head[64];
            snprintf(head, sizeof head, "at t=%s", pl_fmt_double(t, tt, sizeof tt));
            printf("  %18s", head);
        }
        printf("\n");
        for (size_t p = 0; p < np; p++) {
            const pl_ufun *u = pl_scenario_ufun(sc, p);
            double x = pl_ufun_eval(u, outs[k]);
            char r[40];
            printf("  %-*s  %18.15f  %11s  %-*s", pw, pl_scenario_party_name(sc, p), x,
                   pl_fmt_double(pl_ufun_reservation(u), r, sizeof r), timed ? aw : 0, acc + p * ACC_MAX);
            if (timed) {
                printf("  %18.15f", pl_ufun_eval_at(u, outs[k], t));
            }
            printf("\n");
        }
    }
    free(acc);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* The JSON from the library's writer (parley/record.h). */
static int eval_json(const pl_scenario *sc, uint32_t **outs, size_t n, int timed, double t)
{
    pl_diag d;
    pl_diag_clear(&d);
    char *text = NULL;
    if (pl_eval_to_json(sc, (const uint32_t *const *)outs, n, timed, t, &text, &d) < 0) {
        cli_report(&d);
        return EXIT_FAIL;
    }
    int rc = cli_emit(text);
    pl_free(text);
    return rc;
}

typedef struct eval_args {
    cli_scenario_args sa;
    int json, timed;
    double t;
    request *req; /* --outcome and --index in the order given */
    size_t nreq;
} eval_args;

static int eval_outcome(void *args, const char *opt, const char *value)
{
    eval_args *a = args;
    a->req[a->nreq].text = value;
    a->req[a->nreq++].index = 0;
    return 0;
}

static int eval_index(void *args, const char *opt, const char *value)
{
    eval_args *a = args;
    uint64_t v;
    if (cli_parse_u64(value, &v) < 0) {
        return cli_usage_error("eval", "--index needs a non-negative integer, got '%s'", value);
    }
    a->req[a->nreq].text = NULL;
    a->req[a->nreq++].index = v;
    return 0;
}

static int eval_time(void *args, const char *opt, const char *value)
{
    eval_args *a = args;
    char *end;
    double t = strtod(value, &end);
    if (*end || !value[0] || !(t >= 0 && t <= 1)) {
        return cli_usage_error("eval", "--time needs a number in [0, 1], got '%s'", value);
    }
    a->t = t;
    a->timed = 1;
    return 0;
}

static const cli_opt eval_opts[] = {
    {.name = "--outcome", .short_name = 'O', .kind = CLI_CALL, .arg = "O", .call = eval_outcome,
     .help = "the outcome, as issue=value pairs separated by commas (repeatable)"},
    {.name = "--index", .kind = CLI_CALL, .arg = "N", .call = eval_index,
     .help = "the outcome with dense index N (repeatable)"},
    {.name = "--time", .kind = CLI_CALL, .arg = "T", .call = eval_time,
     .help = "also print discounted utilities u * d^T at relative time T in [0, 1]"},
    {.name = "--json", .kind = CLI_FLAG, .off = offsetof(eval_args, json),
     .help = "print JSON: {\"parties\": [...], \"results\": [{\"outcome\", \"index\", \"utilities\", ...}]}"},
    CLI_OPT_REAL_LEVELS(offsetof(eval_args, sa.opts.real_levels)),
    CLI_OPT_STRICT(offsetof(eval_args, sa.opts.strict)),
};

const cli_cmd cli_cmd_eval = {
    .name = "eval",
    .synopsis = "eval SCENARIO... --outcome O",
    .summary = "each party's utility for an outcome",
    .usage = "Usage: parley eval SCENARIO... --outcome 'issue=value,...' [--outcome ...] [--time T] [--json]\n",
    .description =
        "Print each party's utility for the outcome(s) and whether it is acceptable to the party: \"no (red line:\n"
        "...)\" when it breaks one of the party's red lines (it is then worth 0 to the party), \"no (below\n"
        "reservation)\" when it is worth less than the party's reservation value. Every issue must be given exactly\n"
        "once; values may contain commas. --index N gives an outcome by its dense index instead (0 .. outcomes-1).\n",
    .opts = eval_opts,
    .n_opts = sizeof eval_opts / sizeof eval_opts[0],
    CLI_SCENARIO_POSITIONALS(eval_args),
    .run = cmd_eval,
};

int cmd_eval(int argc, char **argv)
{
    eval_args a = {.json = 0};
    cli_scenario_args_init(&a.sa);
    a.req = calloc(argc > 0 ? (size_t)argc : 1, sizeof *a.req);
    uint32_t **outs = calloc(argc > 0 ? (size_t)argc : 1, sizeof *outs);
    size_t nreq = 0;
    int rc = EXIT_OK;
    pl_scenario *sc = NULL;
    request *req = a.req;
    if (!a.req || !outs) {
        rc = EXIT_FAIL;
        goto done;
    }
    if (cli_parse(&cli_cmd_eval, argc, argv, &a, NULL, &rc) != 0) {
        goto done;
    }
    nreq = a.nreq;
    if (nreq == 0) {
        rc = cli_usage_error("eval", "no outcome given (--outcome 'issue=value,...' or --index N)");
        goto done;
    }
    if ((rc = cli_load(&a.sa, "eval", &sc)) != 0) {
        goto done;
    }
    const pl_space *s = pl_scenario_space(sc);
    for (size_t k = 0; k < nreq; k++) {
        outs[k] = calloc(pl_space_issue_count(s), sizeof **outs);
        if (!outs[k]) {
            rc = EXIT_FAIL;
            goto done;
        }
        pl_diag d;
        pl_diag_clear(&d);
        if (req[k].text) {
            int e = pl_space_parse_outcome(s, req[k].text, outs[k], &d);
            if (e < 0) {
                snprintf(d.file, sizeof d.file, "--outcome");
                cli_report(&d);
                rc = EXIT_USAGE;
                goto done;
            }
        } else if (pl_space_outcome_at(s, req[k].index, outs[k]) < 0) {
            uint64_t count;
            if (pl_space_outcome_count(s, &count) == 0) {
                rc = cli_usage_error("eval", "--index %llu is out of range (the space has %llu outcomes)",
                                     req[k].index, (unsigned long long)count);
            } else {
                rc = cli_usage_error("eval", "--index needs an enumerable space; this one is too large");
            }
            goto done;
        }
    }
    rc = a.json ? eval_json(sc, outs, nreq, a.timed, a.t) : eval_text(sc, outs, nreq, a.timed, a.t);
done:
    for (size_t k = 0; outs && k < nreq; k++) {
        free(outs[k]);
    }
    free(outs);
    free(req);
    cli_args_free(&cli_cmd_eval, &a);
    pl_scenario_free(sc);
    return rc;
}
