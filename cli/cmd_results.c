/* parley results: every finished session of a tournament folder as CSV or JSON on standard output, or an HTML
 * report of the tournament (--report). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "parley/plot.h"

static int write_stdout(void *ud, const char *text, size_t len)
{
    (void)ud;
    return fwrite(text, 1, len, stdout) != len;
}

/* The HTML report, to out (default DIR/report.html). */
static int results_report(const char *dir, const char *out, pl_diag *d)
{
    char *path = NULL;
    if (!out) {
        size_t n = strlen(dir) + sizeof "/report.html";
        if (!(path = malloc(n))) {
            return EXIT_FAIL;
        }
        snprintf(path, n, "%s/report.html", dir);
    }
    int rc = pl_report_write(dir, out ? out : path, d);
    free(path);
    if (rc < 0) {
        cli_report(d);
        return rc == PL_EIO ? EXIT_FAIL : cli_exit_for(rc);
    }
    return EXIT_OK;
}

typedef struct results_args {
    const char **dirs;
    size_t n_dirs;
    const char *out;
    int report, format;
} results_args;

static const cli_opt results_opts[] = {
    {.name = "--csv", .kind = CLI_SET, .off = offsetof(results_args, format), .ival = PL_EXPORT_CSV,
     .help = "CSV (the default)"},
    {.name = "--json", .kind = CLI_SET, .off = offsetof(results_args, format), .ival = PL_EXPORT_JSON,
     .help = "a JSON array of objects"},
    {.name = "--report", .kind = CLI_FLAG, .off = offsetof(results_args, report),
     .help = "one self-contained HTML page instead"},
    {.name = "--output", .short_name = 'o', .kind = CLI_STR, .off = offsetof(results_args, out), .arg = "FILE",
     .help = "where --report writes (default DIR/report.html; - for standard output)"},
};

const cli_cmd cli_cmd_results = {
    .name = "results",
    .synopsis = "results DIR [--csv|--json]",
    .summary = "export every session of a tournament (--report: an HTML report)",
    .usage = "Usage: parley results DIR [--csv|--json]\n"
             "       parley results DIR --report [-o FILE.html]\n",
    .description =
        "Print every finished session of the tournament in DIR, in session order, as CSV (default) or a JSON array of\n"
        "objects (docs/formats.md). The CSV is flat, one value per cell, ready for pandas: session, scenario,\n"
        "scenario_path, repetition, seed, status, reason, rounds, actions, t, seconds, individually_rational,\n"
        "pareto_distance, nash_distance, welfare, culprit (party index), culprit_agent, n_parties, then per party\n"
        "index K (0, 1, ...; empty beyond a session's parties) party_K, agent_K, utility_K, raw_utility_K, and the\n"
        "agreement: one agreement.ISSUE column per issue when every scenario that reached an agreement has the same\n"
        "issues, else one agreement column \"issue=value;issue=value\" (\\ escapes \\, ; and =). The JSON has\n"
        "agents, agreement, utilities and raw_utilities as JSON values.\n"
        "\n"
        "--report writes one self-contained HTML page instead (no scripts, fonts or network; docs/plots.md): the\n"
        "ranking, each agent's utility distribution, agreement rates per agent and scenario as a heat map.\n",
    .opts = results_opts,
    .n_opts = sizeof results_opts / sizeof results_opts[0],
    .pos_off = offsetof(results_args, dirs),
    .npos_off = offsetof(results_args, n_dirs),
    .max_pos = 1,
    .pos_name = "tournament folder",
    .run = cmd_results,
};

int cmd_results(int argc, char **argv)
{
    results_args a = {.format = PL_EXPORT_CSV};
    int rc;
    if (cli_parse(&cli_cmd_results, argc, argv, &a, NULL, &rc) != 0) {
        cli_args_free(&cli_cmd_results, &a);
        return rc;
    }
    const char *dir = a.n_dirs ? a.dirs[0] : NULL, *out = a.out;
    int report = a.report;
    pl_export_format f = (pl_export_format)a.format;
    cli_args_free(&cli_cmd_results, &a);
    if (!dir) {
        return cli_usage_error("results", "no tournament folder given");
    }
    if (out && !report) {
        return cli_usage_error("results", "-o goes with --report (CSV and JSON go to standard output)");
    }
    pl_diag d;
    pl_diag_clear(&d);
    if (report) {
        return results_report(dir, out, &d);
    }
    rc = pl_tournament_export(dir, f, write_stdout, NULL, &d);
    if (rc < 0) {
        cli_report(&d);
        return cli_exit_for(rc);
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "parley: cannot write to standard output\n");
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
