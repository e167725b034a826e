/* parley convert: write a scenario as parley JSON or Genius XML (atomically). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

typedef struct convert_args {
    cli_scenario_args sa;
    const char *out;
    int format; /* -1 = from the extension, else a pl_format */
} convert_args;

static const cli_opt convert_opts[] = {
    {.name = "--output", .short_name = 'o', .kind = CLI_STR, .off = offsetof(convert_args, out), .arg = "FILE",
     .help = "where to write"},
    {.name = "--format", .kind = CLI_CHOICE, .off = offsetof(convert_args, format), .arg = "F",
     .choices = "parley|genius", .parse = cli_parse_format, .help = "parley or genius"},
    CLI_OPT_REAL_LEVELS(offsetof(convert_args, sa.opts.real_levels)),
    CLI_OPT_STRICT(offsetof(convert_args, sa.opts.strict)),
};

const cli_cmd cli_cmd_convert = {
    .name = "convert",
    .synopsis = "convert SCENARIO... -o FILE",
    .summary = "write a scenario as parley JSON (.json) or Genius XML (.xml)",
    .usage = "Usage: parley convert SCENARIO... -o FILE [--format parley|genius]\n",
    .description =
        "Write the scenario in another format. The format follows FILE's extension (.json: parley JSON; .xml: Genius\n"
        "XML) unless --format says otherwise. Genius XML writes the domain to FILE and one profile per party to\n"
        "FILE-without-.xml + \"-PARTY.xml\"; it supports linear additive parties only. -o - writes parley JSON to\n"
        "standard output. Files are written to temporary names and renamed into place only when all are complete.\n",
    .opts = convert_opts,
    .n_opts = sizeof convert_opts / sizeof convert_opts[0],
    CLI_SCENARIO_POSITIONALS(convert_args),
    .run = cmd_convert,
};

int cmd_convert(int argc, char **argv)
{
    convert_args a = {.out = NULL, .format = -1};
    cli_scenario_args_init(&a.sa);
    int rc = EXIT_OK;
    pl_scenario *sc = NULL;
    const char *out = NULL, *format = NULL;
    if (cli_parse(&cli_cmd_convert, argc, argv, &a, NULL, &rc) != 0) {
        goto done;
    }
    out = a.out;
    format = a.format < 0 ? NULL : pl_format_name((pl_format)a.format);
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
    if ((rc = cli_load(&a.sa, "convert", &sc)) != 0) {
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
    cli_args_free(&cli_cmd_convert, &a);
    return rc;
}
