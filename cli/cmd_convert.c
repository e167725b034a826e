/* parley convert: write a scenario as parley JSON or Genius XML (atomically). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

int cmd_convert(int argc, char **argv)
{
    cli_scenario_args a;
    int init_failed = cli_scenario_args_init(&a, argc);
    if (init_failed) {
        return EXIT_FAIL;
    }
    const char *out = NULL, *format = NULL;
    int rc = EXIT_OK;
    pl_scenario *sc = NULL;
    for (int i = 1; i < argc; i++) {
        int k;
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            rc = cli_emit(cli_help_text("convert"));
            goto done;
        } else if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
            if (i + 1 >= argc) {
                rc = cli_usage_error("convert", "%s needs a file name", arg);
                goto done;
            }
            out = argv[++i];
        } else if (strcmp(arg, "--format") == 0) {
            if (i + 1 >= argc) {
                rc = cli_usage_error("convert", "--format needs parley or genius");
                goto done;
            }
            format = argv[++i];
            pl_format f;
            if (pl_format_parse(format, &f) < 0 || (f != PL_FORMAT_PARLEY_JSON && f != PL_FORMAT_GENIUS_XML)) {
                rc = cli_usage_error("convert", "unknown format '%s' (parley or genius)", format);
                goto done;
            }
        } else if ((k = cli_scenario_option(&a, argc, argv, &i, "convert")) != 0) {
            if (k < 0) {
                rc = EXIT_USAGE;
                goto done;
            }
        } else if (arg[0] == '-' && arg[1]) {
            rc = cli_usage_error("convert", "unknown option '%s'", arg);
            goto done;
        } else {
            a.paths[a.n++] = arg;
        }
    }
    if (!out) {
        rc = cli_usage_error("convert", "no output given (-o FILE.json or -o FILE.xml)");
        goto done;
    }
    if (!format) {
        size_t len = strlen(out);
        if (strcmp(out, "-") == 0 || (len >= 5 && strcasecmp(out + len - 5, ".json") == 0)) {
            format = pl_format_name(PL_FORMAT_PARLEY_JSON);
        } else if (len >= 4 && strcasecmp(out + len - 4, ".xml") == 0) {
            format = pl_format_name(PL_FORMAT_GENIUS_XML);
        } else {
            rc = cli_usage_error("convert", "cannot tell the format from '%s': use .json or .xml, or --format", out);
            goto done;
        }
    }
    if ((rc = cli_load(&a, "convert", &sc)) != 0) {
        goto done;
    }
    pl_diag d;
    pl_diag_clear(&d);
    pl_format f = PL_FORMAT_PARLEY_JSON;
    pl_format_parse(format, &f);
    int e = f == PL_FORMAT_PARLEY_JSON ? pl_scenario_save_parley_json(sc, out, &d)
                                          : pl_scenario_save_genius_xml(sc, out, &d);
    if (e < 0) {
        cli_report(&d);
        rc = e == PL_EUNSUPPORTED || e == PL_EINVAL ? EXIT_USAGE : EXIT_FAIL;
    }
done:
    pl_scenario_free(sc);
    free(a.paths);
    return rc;
}
