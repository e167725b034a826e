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

/* A warning about an input file: "parley: warning: FILE:LINE: message". */
static void cli_warn(void *ud, const pl_diag *w)
{
    (void)ud;
    char buf[PL_DIAG_FILE_MAX + PL_DIAG_MSG_MAX + 256];
    fprintf(stderr, "parley: warning: %s\n", pl_diag_format(w, buf, sizeof buf));
}

int cli_load(cli_scenario_args *a, const char *cmd, pl_scenario **out)
{
    if (!a->opts.warn) {
        a->opts.warn = cli_warn;
    }
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

void cli_scenario_args_init(cli_scenario_args *a)
{
    memset(a, 0, sizeof *a);
    pl_load_options_init(&a->opts);
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
    pl_registry *r = NULL;
    if (pl_registry_new(&r, NULL) < 0) {
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
