/* parley plot: a scenario in utility space (outcomes, Pareto frontier, bargaining points, reservation values), with
 * a session's offers and agreement from a trace or a run result, or each party's utility of every offer over time;
 * written as PNG, SVG or PDF (by the output's extension), atomically. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "parley/plot.h"

typedef struct plot_args {
    const char *run, *trace, *out, *title;
    int over_time, no_legend;
    double width, height, scale;
    pl_plot_data_options data;
} plot_args;

static int parse_size(const char *s, double *w, double *h)
{
    char *end;
    errno = 0;
    if (!s || !(s[0] >= '0' && s[0] <= '9')) {
        return -1;
    }
    double a = strtod(s, &end);
    if (*end != 'x' && *end != 'X') {
        return -1;
    }
    const char *t = end + 1;
    if (!(t[0] >= '0' && t[0] <= '9')) {
        return -1;
    }
    double b = strtod(t, &end);
    if (*end || errno || !(a >= 200 && a <= 20000) || !(b >= 150 && b <= 20000)) {
        return -1;
    }
    *w = a;
    *h = b;
    return 0;
}

static int parse_args(int argc, char **argv, plot_args *a, cli_scenario_args *sa, int *done)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t u;
        int r = cli_scenario_option(sa, argc, argv, &i, "plot");
        if (r < 0) {
            return EXIT_USAGE;
        }
        if (r > 0) {
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            *done = 1;
            return cli_emit(cli_help_text("plot"));
        } else if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
            if (!val) {
                return cli_usage_error("plot", "%s needs a file name (.png, .svg or .pdf)", arg);
            }
            a->out = val;
            i++;
        } else if (strcmp(arg, "--run") == 0 || strcmp(arg, "--trace") == 0) {
            if (!val) {
                return cli_usage_error("plot", "%s needs a file", arg);
            }
            *(arg[2] == 'r' ? &a->run : &a->trace) = val;
            i++;
        } else if (strcmp(arg, "--title") == 0) {
            if (!val) {
                return cli_usage_error("plot", "--title needs a text");
            }
            a->title = val;
            i++;
        } else if (strcmp(arg, "--size") == 0) {
            if (parse_size(val, &a->width, &a->height) < 0) {
                return cli_usage_error("plot", "--size needs WIDTHxHEIGHT, e.g. 1200x900 (from 200x150 to "
                                               "20000x20000)");
            }
            i++;
        } else if (strcmp(arg, "--scale") == 0) {
            char *end;
            double s = val ? strtod(val, &end) : 0;
            if (!val || *end || !(s >= 0.25 && s <= 8)) {
                return cli_usage_error("plot", "--scale needs a number from 0.25 to 8");
            }
            a->scale = s;
            i++;
        } else if (strcmp(arg, "--points") == 0 || strcmp(arg, "--sample") == 0 || strcmp(arg, "--seed") == 0 ||
                   strcmp(arg, "--threads") == 0) {
            if (cli_parse_u64(val, &u) < 0 || (strcmp(arg, "--sample") == 0 && (u == 0 || u > 100000000)) ||
                (strcmp(arg, "--threads") == 0 && u > 4096)) {
                return cli_usage_error("plot", "%s needs a %s integer", arg,
                                       strcmp(arg, "--sample") == 0 ? "positive (at most 1e8)" : "non-negative");
            }
            if (strcmp(arg, "--points") == 0) {
                a->data.point_limit = u;
            } else if (strcmp(arg, "--sample") == 0) {
                a->data.sample_size = u;
            } else if (strcmp(arg, "--seed") == 0) {
                a->data.seed = u;
            } else {
                a->data.threads = (unsigned)u;
            }
            i++;
        } else if (strcmp(arg, "--utility-over-time") == 0) {
            a->over_time = 1;
        } else if (strcmp(arg, "--no-legend") == 0) {
            a->no_legend = 1;
        } else if (arg[0] == '-' && arg[1]) {
            return cli_usage_error("plot", "unknown option '%s'", arg);
        } else {
            sa->paths[sa->n++] = arg;
        }
    }
    if (!a->out) {
        return cli_usage_error("plot", "no output file (-o FILE.png, .svg or .pdf)");
    }
    if (a->over_time && !a->trace) {
        return cli_usage_error("plot", "--utility-over-time needs the session's offers: --trace FILE.jsonl");
    }
    return 0;
}

/* Report a library error; unreadable input files are bad input (2). */
static int fail(const pl_diag *d, int rc)
{
    cli_report(d);
    return rc == PL_EIO ? EXIT_USAGE : cli_exit_for(rc);
}

int cmd_plot(int argc, char **argv)
{
    plot_args a;
    memset(&a, 0, sizeof a);
    pl_plot_data_options_init(&a.data);
    cli_scenario_args sa;
    if (cli_scenario_args_init(&sa, argc) < 0) {
        return EXIT_FAIL;
    }
    int rc = 0, done = 0;
    pl_scenario *sc = NULL;
    pl_plot_session *s = NULL;
    pl_plot_data *p = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    if ((rc = parse_args(argc, argv, &a, &sa, &done)) != 0 || done) {
        goto done;
    }
    if (pl_plot_format_of(a.out, &d) < 0) {
        cli_report(&d);
        rc = EXIT_USAGE;
        goto done;
    }
    if ((rc = cli_load(&sa, "plot", &sc)) != 0) {
        goto done;
    }
    if (a.run || a.trace) {
        if (pl_plot_session_new(sc, &s, NULL) < 0) {
            fprintf(stderr, "parley: out of memory\n");
            rc = EXIT_FAIL;
            goto done;
        }
        int lrc = a.trace ? pl_plot_session_read_trace(s, a.trace, &d) : 0;
        if (lrc == 0 && a.run) {
            lrc = pl_plot_session_read_run(s, a.run, &d);
        }
        if (lrc < 0) {
            rc = fail(&d, lrc);
            goto done;
        }
    }
    int lrc = pl_plot_data_new(sc, &a.data, &p, &d);
    if (lrc < 0) {
        rc = fail(&d, lrc);
        goto done;
    }
    pl_plot_options o;
    pl_plot_options_init(&o);
    o.kind = a.over_time ? PL_PLOT_UTILITY_OVER_TIME : PL_PLOT_UTILITY_SPACE;
    o.title = a.title;
    o.legend = !a.no_legend;
    if (a.scale > 0) {
        o.scale = a.scale;
    }
    lrc = pl_plot_save(a.out, a.width, a.height, p, s, &o, &d);
    if (lrc < 0) {
        cli_report(&d);
        rc = lrc == PL_EIO ? EXIT_FAIL : cli_exit_for(lrc);
        goto done;
    }
    rc = EXIT_OK;
done:
    pl_plot_data_free(p);
    pl_plot_session_free(s);
    pl_scenario_free(sc);
    free(sa.paths);
    return rc;
}
