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
    free(text);
    return rc;
}

int cmd_eval(int argc, char **argv)
{
    cli_scenario_args a;
    int init_failed = cli_scenario_args_init(&a, argc);
    request *req = calloc((size_t)argc, sizeof *req);
    uint32_t **outs = calloc((size_t)argc, sizeof *outs);
    size_t nreq = 0;
    int json = 0, timed = 0, rc = EXIT_OK;
    double t = 0;
    pl_scenario *sc = NULL;
    if (init_failed || !req || !outs) {
        rc = EXIT_FAIL;
        goto done;
    }
    for (int i = 1; i < argc; i++) {
        int k;
        const char *arg = argv[i];
        if (strcmp(arg, "--json") == 0) {
            json = 1;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            rc = cli_emit(cli_help_text("eval"));
            goto done;
        } else if (strcmp(arg, "--outcome") == 0 || strcmp(arg, "-O") == 0) {
            if (i + 1 >= argc) {
                rc = cli_usage_error("eval", "%s needs an outcome 'issue=value,...'", arg);
                goto done;
            }
            req[nreq++].text = argv[++i];
        } else if (strcmp(arg, "--index") == 0) {
            char *end;
            errno = 0;
            if (i + 1 >= argc) {
                rc = cli_usage_error("eval", "--index needs a number");
                goto done;
            }
            unsigned long long v = strtoull(argv[i + 1], &end, 10);
            if (*end || errno || argv[i + 1][0] == '-' || !argv[i + 1][0]) {
                rc = cli_usage_error("eval", "--index needs a non-negative integer, got '%s'", argv[i + 1]);
                goto done;
            }
            req[nreq].text = NULL;
            req[nreq++].index = v;
            i++;
        } else if (strcmp(arg, "--time") == 0) {
            char *end;
            if (i + 1 >= argc) {
                rc = cli_usage_error("eval", "--time needs a number in [0, 1]");
                goto done;
            }
            t = strtod(argv[i + 1], &end);
            if (*end || !argv[i + 1][0] || !(t >= 0 && t <= 1)) {
                rc = cli_usage_error("eval", "--time needs a number in [0, 1], got '%s'", argv[i + 1]);
                goto done;
            }
            timed = 1;
            i++;
        } else if ((k = cli_scenario_option(&a, argc, argv, &i, "eval")) != 0) {
            if (k < 0) {
                rc = EXIT_USAGE;
                goto done;
            }
        } else if (arg[0] == '-' && arg[1]) {
            rc = cli_usage_error("eval", "unknown option '%s'", arg);
            goto done;
        } else {
            a.paths[a.n++] = arg;
        }
    }
    if (nreq == 0) {
        rc = cli_usage_error("eval", "no outcome given (--outcome 'issue=value,...' or --index N)");
        goto done;
    }
    if ((rc = cli_load(&a, "eval", &sc)) != 0) {
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
    rc = json ? eval_json(sc, outs, nreq, timed, t) : eval_text(sc, outs, nreq, timed, t);
done:
    for (size_t k = 0; outs && k < nreq; k++) {
        free(outs[k]);
    }
    free(outs);
    free(req);
    free(a.paths);
    pl_scenario_free(sc);
    return rc;
}
