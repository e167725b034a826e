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

int cmd_results(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL;
    int report = 0;
    pl_export_format f = PL_EXPORT_CSV;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            return cli_emit(cli_help_text("results"));
        } else if (strcmp(arg, "--csv") == 0) {
            f = PL_EXPORT_CSV;
        } else if (strcmp(arg, "--json") == 0) {
            f = PL_EXPORT_JSON;
        } else if (strcmp(arg, "--report") == 0) {
            report = 1;
        } else if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
            if (i + 1 >= argc) {
                return cli_usage_error("results", "%s needs a file name", arg);
            }
            out = argv[++i];
        } else if (arg[0] == '-' && arg[1]) {
            return cli_usage_error("results", "unknown option '%s'", arg);
        } else if (dir) {
            return cli_usage_error("results", "one tournament folder at a time");
        } else {
            dir = arg;
        }
    }
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
    int rc = pl_tournament_export(dir, f, write_stdout, NULL, &d);
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
