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

typedef struct plot_cli {
    cli_scenario_args sa;
    plot_args a;
} plot_cli;

static int plot_size(void *args, const char *opt, const char *value)
{
    plot_cli *c = args;
    if (parse_size(value, &c->a.width, &c->a.height) < 0) {
        return cli_usage_error("plot", "--size needs WIDTHxHEIGHT, e.g. 1200x900 (from 200x150 to 20000x20000)");
    }
    return 0;
}

static const cli_opt plot_opts[] = {
    {.name = "--output", .short_name = 'o', .kind = CLI_STR, .off = offsetof(plot_cli, a.out), .arg = "FILE",
     .help = "the image: .png, .svg or .pdf"},
    {.name = "--trace", .kind = CLI_STR, .off = offsetof(plot_cli, a.trace), .arg = "FILE",
     .help = "the session's actions (JSON Lines, from parley run --trace)"},
    {.name = "--run", .kind = CLI_STR, .off = offsetof(plot_cli, a.run), .arg = "FILE",
     .help = "the session's result (JSON, from parley run --json)"},
    {.name = "--utility-over-time", .kind = CLI_FLAG, .off = offsetof(plot_cli, a.over_time),
     .help = "instead: one panel per party, its utility of every offer against time (needs --trace)"},
    {.name = "--size", .kind = CLI_CALL, .arg = "WxH", .call = plot_size,
     .help = "the figure's size in pixels (PNG) or points (default: chosen for the figure)"},
    {.name = "--scale", .kind = CLI_DOUBLE, .off = offsetof(plot_cli, a.scale), .arg = "S", .min = 0.25, .max = 8,
     .help = "PNG pixels per unit, e.g. 2 for high-DPI screens (default 1)"},
    {.name = "--title", .kind = CLI_STR, .off = offsetof(plot_cli, a.title), .arg = "T", .min = -1,
     .help = "the title (default: the scenario's name)"},
    {.name = "--no-legend", .kind = CLI_FLAG, .off = offsetof(plot_cli, a.no_legend), .help = "leave out the legend"},
    {.name = "--points", .kind = CLI_U64, .off = offsetof(plot_cli, a.data.point_limit), .arg = "N",
     .help = "draw at most N outcomes as points, more as a density (default 20000)"},
    {.name = "--sample", .kind = CLI_U64, .off = offsetof(plot_cli, a.data.sample_size), .arg = "N", .min = 1,
     .max = 100000000, .help = "spaces of more than 1e7 outcomes: sample N outcomes (default 200000)"},
    {.name = "--seed", .kind = CLI_U64, .off = offsetof(plot_cli, a.data.seed), .arg = "S",
     .help = "the sample's seed (default 1)"},
    {.name = "--threads", .kind = CLI_UINT, .off = offsetof(plot_cli, a.data.threads), .arg = "N", .max = 4096,
     .help = "threads for the frontier analysis (default: all cores)"},
    CLI_OPT_REAL_LEVELS(offsetof(plot_cli, sa.opts.real_levels)),
    CLI_OPT_STRICT(offsetof(plot_cli, sa.opts.strict)),
};

const cli_cmd cli_cmd_plot = {
    .name = "plot",
    .synopsis = "plot SCENARIO... -o FILE",
    .summary = "the outcome space in utility space, offers, agreement (.png, .svg, .pdf)",
    .usage = "Usage: parley plot SCENARIO... -o FILE.png|.svg|.pdf [--trace TRACE.jsonl] [--run RESULT.json]\n"
             "                   [--utility-over-time] [--size WxH] [--scale S] [--title T]\n",
    .description =
        "Draw the scenario in utility space: every outcome (a density image above --points outcomes; a seeded sample\n"
        "when the space is too large to enumerate, as the subtitle says), the Pareto frontier, the Nash,\n"
        "Kalai-Smorodinsky and max-welfare points and each party's reservation value. With a session's trace (parley\n"
        "run --trace) each party's offers are drawn in its colour, fading from early (light) to late (dark), and the\n"
        "agreement as a star; --run (parley run --json) names the agents and gives the result. Three or more parties\n"
        "get one panel per pair of parties. The format follows FILE's extension; the file is written atomically and\n"
        "the same input gives the same bytes. See docs/plots.md.\n",
    .opts = plot_opts,
    .n_opts = sizeof plot_opts / sizeof plot_opts[0],
    CLI_SCENARIO_POSITIONALS(plot_cli),
    .run = cmd_plot,
};

static int parse_args(int argc, char **argv, plot_args *a, cli_scenario_args *sa, int *done)
{
    plot_cli c = {.sa = *sa, .a = *a};
    int rc, failed = cli_parse(&cli_cmd_plot, argc, argv, &c, NULL, &rc);
    *a = c.a;
    *sa = c.sa; /* the paths the parser allocated are freed by the caller */
    if (failed) {
        *done = 1;
        return rc;
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
    cli_scenario_args_init(&sa);
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
