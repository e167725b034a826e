/* CLI helpers: error reporting, exit statuses, common scenario options and loading. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_exit_for(int code)
{
    switch (code) {
    case PL_OK:
        return EXIT_OK;
    case PL_EPARSE:
    case PL_EINVAL:
    case PL_ERANGE:
    case PL_ENOTFOUND:
    case PL_EUNSUPPORTED:
    case PL_ETOOBIG:
        return EXIT_USAGE;
    default:
        return EXIT_FAIL;
    }
}

void cli_report(const pl_diag *d)
{
    char buf[PL_DIAG_FILE_MAX + PL_DIAG_MSG_MAX + 256];
    fprintf(stderr, "parley: %s\n", pl_diag_format(d, buf, sizeof buf));
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("parley: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (cmd) {
        fprintf(stderr, "Try 'parley help %s'.\n", cmd);
    } else {
        fputs("Try 'parley --help'.\n", stderr);
    }
    return EXIT_USAGE;
}

int cli_scenario_option(cli_scenario_args *a, int argc, char **argv, int *i, const char *cmd)
{
    const char *arg = argv[*i];
    if (strcmp(arg, "--real-levels") == 0) {
        if (*i + 1 >= argc) {
            cli_usage_error(cmd, "--real-levels needs a number");
            return -1;
        }
        char *end;
        long v = strtol(argv[*i + 1], &end, 10);
        if (*end || v < 2 || v > (long)PL_ISSUE_VALUES_MAX) {
            cli_usage_error(cmd, "--real-levels must be an integer from 2 to %u", PL_ISSUE_VALUES_MAX);
            return -1;
        }
        a->opts.real_levels = (uint32_t)v;
        *i += 1;
        return 1;
    }
    return 0;
}

int cli_load(cli_scenario_args *a, const char *cmd, pl_scenario **out)
{
    if (a->n == 0) {
        return cli_usage_error(cmd, "no scenario given");
    }
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_scenario_load(a->paths, a->n, &a->opts, out, &d);
    if (rc < 0) {
        cli_report(&d);
        /* Unreadable input files are bad input too. */
        return rc == PL_EIO ? EXIT_USAGE : cli_exit_for(rc);
    }
    return 0;
}

int cli_emit(const char *text)
{
    if (fputs(text, stdout) == EOF || fflush(stdout) != 0) {
        fprintf(stderr, "parley: cannot write to standard output\n");
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

int cli_emit_json(pl_jw *w)
{
    char *text = pl_jw_finish(w);
    if (!text) {
        fprintf(stderr, "parley: cannot write JSON (out of memory, or a name that is not UTF-8)\n");
        return EXIT_FAIL;
    }
    int rc = cli_emit(text);
    pl_free(text);
    return rc;
}

int cli_scenario_args_init(cli_scenario_args *a, int argc)
{
    memset(a, 0, sizeof *a);
    pl_load_options_init(&a->opts);
    a->paths = calloc(argc > 0 ? (size_t)argc : 1, sizeof *a->paths);
    return a->paths ? 0 : -1;
}

int cli_parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!s || !(s[0] >= '0' && s[0] <= '9')) { /* strtoull would skip blanks and accept a sign (" -5" wraps) */
        return -1;
    }
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno) {
        return -1;
    }
    *out = v;
    return 0;
}

int cli_registry(const char *const *libs, size_t n, pl_registry **out)
{
    pl_registry *r = pl_registry_new();
    if (!r) {
        fprintf(stderr, "parley: out of memory\n");
        return EXIT_FAIL;
    }
    for (size_t k = 0; k < n; k++) {
        pl_diag d;
        pl_diag_clear(&d);
        int rc = pl_registry_load_plugin(r, libs[k], &d);
        if (rc < 0) {
            cli_report(&d);
            pl_registry_free(r);
            return rc == PL_ENOMEM ? EXIT_FAIL : EXIT_USAGE;
        }
    }
    *out = r;
    return 0;
}

const char *cli_value_label(const pl_space *s, size_t i, uint32_t v, char *buf, size_t size)
{
    return pl_space_issue_kind(s, i) == PL_ISSUE_DISCRETE ? pl_space_value_label_ref(s, i, v)
                                                          : pl_space_value_label(s, i, v, buf, size);
}
