/* parley show: a scenario's issues, outcome count and parties, as a readable summary or JSON. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "12,345,678" */
static char *group_digits(uint64_t x, char *buf, size_t size)
{
    char raw[32];
    snprintf(raw, sizeof raw, "%llu", (unsigned long long)x);
    size_t n = strlen(raw), o = 0;
    for (size_t i = 0; i < n && o + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0) {
            buf[o++] = ',';
        }
        buf[o++] = raw[i];
    }
    buf[o] = '\0';
    return buf;
}

static void describe_values(const pl_space *s, size_t i, char *buf, size_t size)
{
    double lo, hi, step;
    char a[40], b[40];
    pl_space_issue_range(s, i, &lo, &hi, &step);
    switch (pl_space_issue_kind(s, i)) {
    case PL_ISSUE_INTEGER:
        if (step == 1) {
            snprintf(buf, size, "%s..%s", pl_fmt_double(lo, a, sizeof a), pl_fmt_double(hi, b, sizeof b));
        } else {
            char c[40];
            snprintf(buf, size, "%s..%s step %s", pl_fmt_double(lo, a, sizeof a), pl_fmt_double(hi, b, sizeof b),
                     pl_fmt_double(step, c, sizeof c));
        }
        return;
    case PL_ISSUE_REAL:
        snprintf(buf, size, "%s..%s in %u levels", pl_fmt_double(lo, a, sizeof a), pl_fmt_double(hi, b, sizeof b),
                 pl_space_issue_levels(s, i));
        return;
    default:
        break;
    }
    size_t o = 0;
    buf[0] = '\0';
    for (uint32_t v = 0; v < pl_space_value_count(s, i); v++) {
        const char *l = pl_space_value_label_ref(s, i, v);
        int k = snprintf(buf + o, size - o, "%s%s", v ? ", " : "", l);
        if (k < 0 || (size_t)k >= size - o) {
            /* Truncate with an ellipsis: ", ..." and its NUL take 6 bytes; never split a UTF-8 character. */
            if (size > 6) {
                size_t at = o < size - 6 ? o : size - 6;
                while (at > 0 && ((unsigned char)buf[at] & 0xC0) == 0x80) {
                    at--;
                }
                memcpy(buf + at, ", ...", 6);
            }
            return;
        }
        o += (size_t)k;
    }
}

static int show_text(const pl_scenario *sc)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s), np = pl_scenario_party_count(sc);
    uint64_t count;
    char num[48];
    if (pl_scenario_name(sc)[0]) {
        printf("Scenario: %s\n", pl_scenario_name(sc));
    }
    if (pl_scenario_description(sc)[0]) {
        printf("%s\n", pl_scenario_description(sc));
    }
    if (pl_space_outcome_count(s, &count) == 0) {
        printf("Outcomes: %s (%zu issues)\n", group_digits(count, num, sizeof num), ni);
    } else {
        printf("Outcomes: about 10^%.1f (%zu issues; too many to enumerate)\n", pl_space_log10_size(s), ni);
    }
    int w = 5;
    for (size_t i = 0; i < ni; i++) {
        int len = (int)strlen(pl_space_issue_name(s, i));
        w = len > w ? len : w;
    }
    w = w > 40 ? 40 : w;
    /* The status quo (what holds without a deal) gets a column when the scenario gives one; "-" where not. */
    int has_sq = pl_scenario_has_status_quo(sc), qw = 10;
    for (size_t i = 0; has_sq && i < ni; i++) {
        char lab[64];
        uint32_t v = pl_scenario_status_quo(sc, i);
        int len = v == PL_NO_VALUE ? 1 : (int)strlen(cli_value_label(s, i, v, lab, sizeof lab));
        qw = len > qw ? len : qw;
    }
    qw = qw > 40 ? 40 : qw;
    printf("\nIssues\n  %-*s  %-8s  %6s  ", w, "issue", "type", "values");
    if (has_sq) {
        printf("%-*s  ", qw, "status quo");
    }
    printf("options\n");
    for (size_t i = 0; i < ni; i++) {
        char vals[160];
        describe_values(s, i, vals, sizeof vals);
        printf("  %-*s  %-8s  %6u  ", w, pl_space_issue_name(s, i), pl_issue_kind_name(pl_space_issue_kind(s, i)),
               pl_space_value_count(s, i));
        if (has_sq) {
            char lab[64];
            uint32_t v = pl_scenario_status_quo(sc, i);
            printf("%-*s  ", qw, v == PL_NO_VALUE ? "-" : cli_value_label(s, i, v, lab, sizeof lab));
        }
        printf("%s\n", vals);
    }
    int pw = 5;
    for (size_t p = 0; p < np; p++) {
        int len = (int)strlen(pl_scenario_party_name(sc, p));
        pw = len > pw ? len : pw;
    }
    printf("\nParties\n  %-*s  %-16s  %11s  %8s\n", pw, "party", "utility", "reservation", "discount");
    int any_linear = 0;
    for (size_t p = 0; p < np; p++) {
        const pl_ufun *u = pl_scenario_ufun(sc, p);
        char r[40], d[40], kind[40];
        if (pl_ufun_kind_of(u) == PL_UFUN_LINEAR) {
            snprintf(kind, sizeof kind, "linear additive");
            any_linear = 1;
        } else {
            snprintf(kind, sizeof kind, "%zu rectangles", pl_ufun_rect_count(u));
        }
        printf("  %-*s  %-16s  %11s  %8s\n", pw, pl_scenario_party_name(sc, p), kind,
               pl_fmt_double(pl_ufun_reservation(u), r, sizeof r), pl_fmt_double(pl_ufun_discount(u), d, sizeof d));
    }
    if (any_linear) {
        printf("\nWeights\n  %-*s", w, "issue");
        for (size_t p = 0; p < np; p++) {
            int cw = (int)strlen(pl_scenario_party_name(sc, p));
            printf("  %*s", cw < 6 ? 6 : cw, pl_scenario_party_name(sc, p));
        }
        printf("\n");
        for (size_t i = 0; i < ni; i++) {
            printf("  %-*s", w, pl_space_issue_name(s, i));
            for (size_t p = 0; p < np; p++) {
                const pl_ufun *u = pl_scenario_ufun(sc, p);
                int cw = (int)strlen(pl_scenario_party_name(sc, p));
                cw = cw < 6 ? 6 : cw;
                if (pl_ufun_kind_of(u) == PL_UFUN_LINEAR) {
                    printf("  %*.4f", cw, pl_ufun_linear_weight(u, i));
                } else {
                    printf("  %*s", cw, "-");
                }
            }
            printf("\n");
        }
    }
    if (pl_scenario_has_red_lines(sc)) {
        printf("\nRed lines (an outcome that breaks one is worth 0 to the party and never acceptable to it)\n");
        for (size_t p = 0; p < np; p++) {
            const pl_ufun *u = pl_scenario_ufun(sc, p);
            for (size_t k = 0; k < pl_ufun_red_line_count(u); k++) {
                pl_red_line l;
                char text[512];
                pl_ufun_red_line_get(u, k, &l);
                printf("  %s: %s", pl_scenario_party_name(sc, p), pl_ufun_red_line_text(u, k, text, sizeof text));
                if (l.note && l.note[0]) {
                    printf("  (%s)", l.note);
                }
                printf("\n");
            }
        }
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* The JSON from the library's writer (parley/record.h). */
static int show_json(const pl_scenario *sc)
{
    pl_diag d;
    pl_diag_clear(&d);
    char *text = NULL;
    if (pl_scenario_summary_to_json(sc, &text, &d) < 0) {
        cli_report(&d);
        return EXIT_FAIL;
    }
    int rc = cli_emit(text);
    pl_free(text);
    return rc;
}

typedef struct show_args {
    cli_scenario_args sa;
    int json;
} show_args;

static const cli_opt show_opts[] = {
    {.name = "--json", .kind = CLI_FLAG, .off = offsetof(show_args, json),
     .help = "print it as JSON (keys: name, description, outcomes, log10_outcomes, issues, status_quo,\n"
             "parties; each party has red_lines)"},
    CLI_OPT_REAL_LEVELS(offsetof(show_args, sa.opts.real_levels)),
    CLI_OPT_STRICT(offsetof(show_args, sa.opts.strict)),
};

const cli_cmd cli_cmd_show = {
    .name = "show",
    .synopsis = "show SCENARIO...",
    .summary = "issues, options, outcome count, parties and their preferences",
    .usage = "Usage: parley show [--json] [--real-levels N] SCENARIO...\n",
    .description = "Print the scenario: its issues and their options (and the status quo, when the scenario gives "
                   "one), the\nnumber of outcomes, each party's utility function (weights, reservation value, "
                   "discount factor) and its red\nlines in words.\n",
    .opts = show_opts,
    .n_opts = sizeof show_opts / sizeof show_opts[0],
    CLI_SCENARIO_POSITIONALS(show_args),
    .run = cmd_show,
};

int cmd_show(int argc, char **argv)
{
    show_args a = {.json = 0};
    cli_scenario_args_init(&a.sa);
    int rc;
    if (cli_parse(&cli_cmd_show, argc, argv, &a, NULL, &rc) == 0) {
        pl_scenario *sc = NULL;
        rc = cli_load(&a.sa, "show", &sc);
        if (rc == 0) {
            rc = a.json ? show_json(sc) : show_text(sc);
        }
        pl_scenario_free(sc);
    }
    cli_args_free(&cli_cmd_show, &a);
    return rc;
}
