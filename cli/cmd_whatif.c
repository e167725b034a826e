/* parley whatif: for the issues no acceptable deal moves, the minimal sets of red lines and reservation values
 * whose removal would let one; and the single red lines that would break the predicted deal (parley/whatif.h). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct whatif_cli {
    cli_scenario_args sa;
    int json;
    pl_whatif_options o;
    uint64_t threads;
} whatif_cli;

static void constraint_text(const pl_scenario *sc, const pl_whatif *w, size_t c, char *buf, size_t size)
{
    size_t party;
    long line;
    pl_whatif_constraint(w, c, &party, &line);
    const pl_ufun *u = pl_scenario_ufun(sc, party);
    if (line >= 0) {
        char text[512];
        snprintf(buf, size, "%s's red line \"%s\"", pl_scenario_party_name(sc, party),
                 pl_ufun_red_line_text(u, (size_t)line, text, sizeof text));
    } else {
        snprintf(buf, size, "%s's reservation value (%g)", pl_scenario_party_name(sc, party), pl_ufun_reservation(u));
    }
}

static int whatif_text(const pl_scenario *sc, const pl_whatif *w)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s);
    char lab[64];
    printf("What-if on %s: %zu constraints (red lines and reservation values), %llu deals acceptable to every "
           "party\n",
           pl_scenario_name(sc), pl_whatif_constraint_count(w), (unsigned long long)pl_whatif_acceptable(w));
    int any = 0;
    for (size_t i = 0; i < ni; i++) {
        if (!pl_whatif_stuck(w, i)) {
            continue;
        }
        if (!any++) {
            printf("Issues no acceptable deal moves, and the smallest sets of constraints whose removal would let "
                   "one:\n");
        }
        const uint64_t *sets;
        size_t n = pl_whatif_sets(w, i, &sets);
        printf("  %s (%s kept): ", pl_space_issue_name(s, i),
               pl_space_value_label(s, i, pl_scenario_status_quo(sc, i), lab, sizeof lab));
        if (n == 0) {
            printf("no removal would move it\n");
            continue;
        }
        printf("%zu minimal set%s\n", n, n == 1 ? "" : "s");
        for (size_t j = 0; j < n; j++) {
            int first = 1;
            printf("    -");
            for (size_t c = 0; c < pl_whatif_constraint_count(w); c++) {
                if (sets[j] >> c & 1) {
                    char t[700];
                    constraint_text(sc, w, c, t, sizeof t);
                    printf("%s %s", first ? "" : " +", t);
                    first = 0;
                }
            }
            printf("\n");
        }
    }
    if (!any) {
        printf("Every issue can be moved by some deal acceptable to every party.\n");
    }
    const uint32_t *deal = pl_whatif_deal(w);
    if (!deal) {
        printf("No deal is acceptable to every party: there is no predicted deal to break.\n");
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
    }
    const pl_whatif_line *l;
    size_t nl = pl_whatif_lines(w, &l);
    printf("Single red lines that would make the predicted deal (the Nash point) unacceptable, held by a party that "
           "loses on the move:\n");
    if (nl == 0) {
        printf("  (none: no party loses on any move the deal makes)\n");
    }
    for (size_t j = 0; j < nl; j++) {
        printf("  %s: %s must not be %s (costs it %.4f; %llu acceptable deals would remain)\n",
               pl_scenario_party_name(sc, l[j].party), pl_space_issue_name(s, l[j].issue),
               pl_space_value_label(s, l[j].issue, l[j].value, lab, sizeof lab), l[j].loss,
               (unsigned long long)l[j].remaining);
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

static const cli_opt whatif_opts[] = {
    {.name = "--json", .kind = CLI_FLAG, .off = offsetof(whatif_cli, json), .help = "print JSON (docs/formats.md)"},
    {.name = "--limit", .kind = CLI_U64, .off = offsetof(whatif_cli, o.enumerate_limit), .arg = "N",
     .help = "scan spaces of at most N outcomes (default 1e8)"},
    {.name = "--threads", .kind = CLI_U64, .off = offsetof(whatif_cli, threads), .arg = "N",
     .help = "scan threads (default: all cores)"},
    CLI_OPT_REAL_LEVELS(offsetof(whatif_cli, sa.opts.real_levels)),
    CLI_OPT_STRICT(offsetof(whatif_cli, sa.opts.strict)),
};

const cli_cmd cli_cmd_whatif = {
    .name = "whatif",
    .synopsis = "whatif SCENARIO...",
    .summary = "which red lines stand in the way, and which one would break the predicted deal",
    .usage = "Usage: parley whatif SCENARIO... [--json]\n",
    .description =
        "The constraints of a scenario are its parties' red lines and reservation values. For every issue that no\n"
        "deal acceptable to every party moves off its status quo, the minimal sets of constraints whose removal\n"
        "would make such a deal possible (exact: each set works and no smaller part of it does). Then, for the\n"
        "predicted deal (the Nash point of the acceptable deals), the single red lines \"issue must not be V\" that,\n"
        "held by a party losing on that move, would make it unacceptable, with how many acceptable deals would\n"
        "remain. One scan of the outcome space (on all cores); at most 20 constraints.\n",
    .opts = whatif_opts,
    .n_opts = sizeof whatif_opts / sizeof whatif_opts[0],
    CLI_SCENARIO_POSITIONALS(whatif_cli),
    .run = cmd_whatif,
};

int cmd_whatif(int argc, char **argv)
{
    whatif_cli c;
    memset(&c, 0, sizeof c);
    cli_scenario_args_init(&c.sa);
    pl_whatif_options_init(&c.o);
    unsigned given[sizeof whatif_opts / sizeof whatif_opts[0]];
    pl_scenario *sc = NULL;
    pl_whatif *w = NULL;
    int rc = EXIT_OK;
    if (cli_parse(&cli_cmd_whatif, argc, argv, &c, given, &rc) != 0) {
        goto done;
    }
    if (cli_given(&cli_cmd_whatif, given, "--threads")) {
        c.o.threads = c.threads > 256 ? 256 : (unsigned)c.threads;
    }
    if ((rc = cli_load(&c.sa, "whatif", &sc)) != 0) {
        goto done;
    }
    pl_diag d;
    pl_diag_clear(&d);
    int e = pl_whatif_build(sc, &c.o, &w, &d);
    if (e < 0) {
        cli_report(&d);
        rc = e == PL_ERANGE ? EXIT_USAGE : cli_exit_for(e);
        goto done;
    }
    if (c.json) {
        char *text = NULL;
        if (pl_whatif_to_json(sc, w, &text, &d) < 0) {
            cli_report(&d);
            rc = EXIT_FAIL;
        } else {
            rc = cli_emit(text);
        }
        free(text);
    } else {
        rc = whatif_text(sc, w);
    }
done:
    pl_whatif_free(w);
    pl_scenario_free(sc);
    cli_args_free(&cli_cmd_whatif, &c);
    return rc;
}
