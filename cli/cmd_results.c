/* parley results: every finished session of a tournament folder as CSV or JSON on standard output, or its
 * per-agent summary. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int write_stdout(void *ud, const char *text, size_t len)
{
    (void)ud;
    return fwrite(text, 1, len, stdout) != len;
}

int cmd_results(int argc, char **argv)
{
    const char *dir = NULL;
    pl_export_format f = PL_EXPORT_CSV;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            return cli_emit(cli_help_text("results"));
        } else if (strcmp(arg, "--csv") == 0) {
            f = PL_EXPORT_CSV;
        } else if (strcmp(arg, "--json") == 0) {
            f = PL_EXPORT_JSON;
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
    pl_diag d;
    pl_diag_clear(&d);
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
