/* parley report: agreements and divergences, issue by issue, for an agreement (given, from a run, or predicted by
 * the analysis). Every status and every name in it comes from the model (parley/report.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "parley/plot.h"

typedef struct report_args {
    int json, summary;
    const char *agreement; /* --agreement text */
    const char *run;       /* --run path */
} report_args;

/* Where the agreement came from, for the header. */
typedef struct source {
    int from_run;
    pl_run_record rec;
    int used_final_text; /* a single-text run without agreement: its final text is shown as the "agreed" column */
} source;

static const char *label(const pl_space *s, size_t i, uint32_t v, char *buf, size_t size)
{
    return pl_space_value_label(s, i, v, buf, size);
}

/* "a or b" of party k's ideal options on issue i; "(any)" when every option is ideal. */
static void ideal_text(const pl_report *r, const pl_space *s, size_t k, size_t i, char *buf, size_t size)
{
    const uint32_t *v;
    size_t n = pl_report_ideals(r, k, i, &v), len = 0;
    buf[0] = '\0';
    if (n == pl_space_value_count(s, i) && n > 1) {
        snprintf(buf, size, "(indifferent)");
        return;
    }
    for (size_t j = 0; j < n && len + 1 < size; j++) {
        char lab[64];
        int w = snprintf(buf + len, size - len, "%s%s", j ? " or " : "", label(s, i, v[j], lab, sizeof lab));
        len += w > 0 ? (size_t)w : 0;
    }
    if (len >= size) {
        buf[size - 1] = '\0';
    }
}

/* "; russia wants halted, ukraine wants continues (red line), ..." for every party with a preference on issue i;
 * "(not attainable)" after an ideal no acceptable deal gives. */
static void print_positions(const pl_scenario *sc, const pl_report *r, size_t i)
{
    const pl_space *s = pl_scenario_space(sc);
    int any = 0;
    for (size_t k = 0; k < pl_scenario_party_count(sc); k++) {
        const uint32_t *v;
        size_t n = pl_report_ideals(r, k, i, &v);
        if (n == 0 || n == pl_space_value_count(s, i)) {
            continue;
        }
        char ideal[256];
        ideal_text(r, s, k, i, ideal, sizeof ideal);
        printf("%s %s wants %s%s", any++ ? "," : ";", pl_scenario_party_name(sc, k), ideal,
               pl_report_ideal_attainable(r, k, i) || pl_report_is_ideal(r, k, i, pl_scenario_status_quo(sc, i)) ? ""
                                                                                          : " (not attainable)");
    }
}

/* 1 when (party, line) is in the list. */
static int listed(const pl_report_blocker *b, size_t n, size_t party, long line)
{
    for (size_t j = 0; j < n; j++) {
        if (b[j].party == party && b[j].red_line == line) {
            return 1;
        }
    }
    return 0;
}

/* The red lines bearing on issue i, one a line: "ukraine's red line (non-negotiable): ...", "russia's precondition:
 * ...; refused by ukraine's red line: ...". Returns how many were printed. */
static size_t print_red_lines(const pl_scenario *sc, const pl_report *r, size_t i, const char *indent)
{
    const pl_report_blocker *b;
    size_t n = pl_report_red_lines(r, i, &b);
    for (size_t j = 0; j < n; j++) {
        const pl_ufun *u = pl_scenario_ufun(sc, b[j].party);
        pl_red_line rl;
        pl_ufun_red_line_get(u, (size_t)b[j].red_line, &rl);
        char text[512];
        pl_ufun_red_line_text(u, (size_t)b[j].red_line, text, sizeof text);
        if (rl.then_issue < 0) {
            printf("%s%s's red line (non-negotiable): %s\n", indent, pl_scenario_party_name(sc, b[j].party), text);
            continue;
        }
        printf("%s%s's precondition: %s", indent, pl_scenario_party_name(sc, b[j].party), text);
        size_t by;
        long q = pl_report_refusal(r, b[j].party, (size_t)b[j].red_line, &by);
        if (q >= 0) {
            char t2[512];
            printf("; refused by %s's red line: %s", pl_scenario_party_name(sc, by),
                   pl_ufun_red_line_text(pl_scenario_ufun(sc, by), (size_t)q, t2, sizeof t2));
        }
        printf("\n");
    }
    return n;
}

/* The blockers of a not-reached issue: the preconditions its moves trigger (with the red lines refusing them), then
 * any other constraint broken by the moves that break the fewest. */
static void print_blockers(const pl_scenario *sc, const pl_report *r, size_t i, const char *indent)
{
    const pl_report_blocker *rl;
    size_t nrl = pl_report_red_lines(r, i, &rl);
    pl_report_blocker shown[256];
    size_t ns = 0;
    for (size_t j = 0; j < nrl; j++) {
        const pl_ufun *u = pl_scenario_ufun(sc, rl[j].party);
        pl_red_line l;
        pl_ufun_red_line_get(u, (size_t)rl[j].red_line, &l);
        if (l.then_issue < 0 || l.issue != i) {
            continue; /* only the preconditions a move of i triggers */
        }
        char text[512];
        printf("%s%s's precondition: %s", indent, pl_scenario_party_name(sc, rl[j].party),
               pl_ufun_red_line_text(u, (size_t)rl[j].red_line, text, sizeof text));
        if (ns < sizeof shown / sizeof *shown) {
            shown[ns++] = rl[j];
        }
        size_t by;
        long q = pl_report_refusal(r, rl[j].party, (size_t)rl[j].red_line, &by);
        if (q >= 0) {
            printf("; refused by %s's red line: %s", pl_scenario_party_name(sc, by),
                   pl_ufun_red_line_text(pl_scenario_ufun(sc, by), (size_t)q, text, sizeof text));
            if (ns < sizeof shown / sizeof *shown) {
                shown[ns++] = (pl_report_blocker){.party = by, .red_line = q};
            }
        }
        printf("\n");
    }
    const pl_report_blocker *b;
    size_t n = pl_report_blockers(r, i, &b);
    for (size_t j = 0; j < n; j++) {
        if (listed(shown, ns, b[j].party, b[j].red_line)) {
            continue;
        }
        const pl_ufun *u = pl_scenario_ufun(sc, b[j].party);
        char text[512];
        if (b[j].red_line >= 0) {
            pl_ufun_red_line_text(u, (size_t)b[j].red_line, text, sizeof text);
            printf("%s%s's red line: %s\n", indent, pl_scenario_party_name(sc, b[j].party), text);
        } else {
            printf("%s%s's reservation value (%g)\n", indent, pl_scenario_party_name(sc, b[j].party),
                   pl_ufun_reservation(u));
        }
    }
}

static void print_summary(const pl_scenario *sc, const pl_report *r)
{
    const pl_space *s = pl_scenario_space(sc);
    static const pl_issue_status order[] = {PL_ISSUE_AGREED, PL_ISSUE_DIVERGENT, PL_ISSUE_NOT_REACHED,
                                            PL_ISSUE_NOT_ADDRESSED, PL_ISSUE_UNDETERMINED};
    static const char *const names[] = {"Agreed", "Divergent", "Not reached", "Not addressed", "Undetermined"};
    const uint32_t *a = pl_report_agreement(r);
    for (size_t q = 0; q < sizeof order / sizeof *order; q++) {
        size_t n = 0;
        for (size_t i = 0; i < pl_space_issue_count(s); i++) {
            if (pl_report_status(r, i) != order[q]) {
                continue;
            }
            if (n++ == 0) {
                printf("  %-14s", names[q]);
            }
            char lab[64];
            if (order[q] == PL_ISSUE_AGREED) {
                printf("%s %s (%s)", n > 1 ? "," : "", pl_space_issue_name(s, i), label(s, i, a[i], lab, sizeof lab));
            } else {
                printf("%s %s", n > 1 ? "," : "", pl_space_issue_name(s, i));
            }
        }
        if (n == 0 && order[q] != PL_ISSUE_UNDETERMINED) {
            printf("  %-14s (none)", names[q]);
        }
        if (n > 0 || order[q] != PL_ISSUE_UNDETERMINED) {
            printf("\n");
        }
    }
}

static void print_header(const pl_scenario *sc, const pl_report *r, const source *src)
{
    if (src->from_run) {
        printf("Report on %s: %s run (%s)%s\n", pl_scenario_name(sc),
               src->rec.protocol[0] ? src->rec.protocol : "a", src->rec.status,
               src->used_final_text ? ": no agreement, showing where the single text stood" :
               !pl_report_has_agreement(r) ? "" : "");
        if (!src->rec.has_agreement && !src->used_final_text) {
            printf("The run ended without agreement (%s); what the analysis predicts instead:\n", src->rec.reason);
        }
    }
    if (pl_report_predicted(r)) {
        uint64_t acc;
        const char *lead = src->from_run ? "" : "Report on ";
        const char *name = src->from_run ? "" : pl_scenario_name(sc);
        const char *sep = src->from_run ? "" : ": ";
        if (!pl_report_has_agreement(r)) {
            printf("%s%s%sno outcome is acceptable to every party: the status quo holds\n", lead, name, sep);
        } else if (pl_report_acceptable_count(r, &acc) == 0) {
            printf("%s%s%spredicted agreement, the Nash point of the %llu deals acceptable to every party\n", lead,
                   name, sep, (unsigned long long)acc);
        } else {
            printf("%s%s%spredicted agreement, the Nash point of the deals acceptable to every party\n", lead, name,
                   sep);
        }
    } else if (!src->from_run) {
        printf("Report on %s: the given agreement\n", pl_scenario_name(sc));
    }
}

static int report_text(const pl_scenario *sc, const pl_report *r, const source *src, int summary_only)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t np = pl_scenario_party_count(sc), ni = pl_space_issue_count(s);
    const uint32_t *a = pl_report_agreement(r);
    print_header(sc, r, src);
    if (summary_only) {
        print_summary(sc, r);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
    }
    int pw = 5, iw = 5;
    for (size_t k = 0; k < np; k++) {
        int len = (int)strlen(pl_scenario_party_name(sc, k));
        pw = len > pw ? len : pw;
    }
    for (size_t i = 0; i < ni; i++) {
        int len = (int)strlen(pl_space_issue_name(s, i));
        iw = len > iw ? len : iw;
    }
    if (pl_report_has_agreement(r)) {
        printf("  %-*s  %8s  %11s  %s\n", pw, "party", "utility", "reservation", "acceptable");
        for (size_t k = 0; k < np; k++) {
            const pl_ufun *u = pl_scenario_ufun(sc, k);
            long broken = pl_ufun_first_broken(u, a);
            char why[600] = "yes";
            if (broken >= 0) {
                char text[512];
                snprintf(why, sizeof why, "no: breaks its red line \"%s\"",
                         pl_ufun_red_line_text(u, (size_t)broken, text, sizeof text));
            } else if (!pl_ufun_acceptable(u, a)) {
                snprintf(why, sizeof why, "no: below its reservation value");
            }
            printf("  %-*s  %8.4f  %11.4f  %s\n", pw, pl_scenario_party_name(sc, k), pl_ufun_eval(u, a),
                   pl_ufun_reservation(u), why);
        }
    }
    printf("  %-*s  %-13s  %s\n", iw, "issue", "status", "status quo -> agreed; who conceded what");
    for (size_t i = 0; i < ni; i++) {
        pl_issue_status st = pl_report_status(r, i);
        uint32_t sq = pl_scenario_status_quo(sc, i);
        char l1[64], l2[64], ideal[256];
        printf("  %-*s  %-13s  ", iw, pl_space_issue_name(s, i), pl_issue_status_name(st));
        if (st == PL_ISSUE_AGREED) {
            if (sq != PL_NO_VALUE) {
                printf("%s -> ", label(s, i, sq, l1, sizeof l1));
            }
            printf("%s", label(s, i, a[i], l2, sizeof l2));
            int any = 0;
            for (size_t k = 0; k < np; k++) {
                if (!pl_report_is_ideal(r, k, i, a[i]) && pl_report_ideals(r, k, i, &(const uint32_t *){0}) > 0) {
                    ideal_text(r, s, k, i, ideal, sizeof ideal);
                    printf("%s %s wanted %s", any++ ? "," : ";", pl_scenario_party_name(sc, k), ideal);
                }
            }
            printf("\n");
        } else if (st == PL_ISSUE_DIVERGENT) {
            printf("%s kept", label(s, i, sq, l1, sizeof l1));
            print_positions(sc, r, i);
            printf("\n");
            print_red_lines(sc, r, i, "      ");
        } else if (st == PL_ISSUE_NOT_REACHED) {
            printf("%s kept", label(s, i, sq, l1, sizeof l1));
            print_positions(sc, r, i);
            printf("; no acceptable deal moves it:\n");
            print_blockers(sc, r, i, "      ");
        } else if (st == PL_ISSUE_NOT_ADDRESSED) {
            printf("%s kept; acceptable deals could move it to", label(s, i, sq, l1, sizeof l1));
            int any = 0;
            for (uint32_t v = 0; v < pl_space_value_count(s, i); v++) {
                if (v != sq && pl_report_attainable(r, i, v) == 1) {
                    printf("%s %s", any++ ? "," : "", label(s, i, v, l2, sizeof l2));
                }
            }
            printf("\n");
        } else {
            printf("%s kept (the space is too large to decide whether a deal could move it)\n",
                   sq != PL_NO_VALUE ? label(s, i, sq, l1, sizeof l1) : label(s, i, a[i], l1, sizeof l1));
        }
    }
    printf("Summary\n");
    print_summary(sc, r);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* The JSON from the library's writer (parley/record.h). */
static int report_json(const pl_scenario *sc, const pl_report *r, const source *src)
{
    pl_diag d;
    pl_diag_clear(&d);
    char *text = NULL;
    if (pl_report_to_json(sc, r, src->from_run ? &src->rec : NULL, src->used_final_text, &text, &d) < 0) {
        cli_report(&d);
        return EXIT_FAIL;
    }
    int rc = cli_emit(text);
    pl_free(text);
    return rc;
}

typedef struct report_cli {
    cli_scenario_args sa;
    report_args args;
    pl_report_options o;
    uint64_t threads;
    uint64_t samples, seed, jobs;
    int statuses;
    const char *tornado; /* --tornado FILE: the chart of what moves each prediction */
} report_cli;

/* " (agreed 60.0%, divergent 40.0%)": the statuses issue i has across the models, the non-zero ones. */
static void print_status_shares(const pl_robustness *r, size_t i, uint64_t n)
{
    static const pl_issue_status order[] = {PL_ISSUE_AGREED, PL_ISSUE_DIVERGENT, PL_ISSUE_NOT_REACHED,
                                            PL_ISSUE_NOT_ADDRESSED, PL_ISSUE_UNDETERMINED};
    int any = 0;
    for (size_t q = 0; q < sizeof order / sizeof *order; q++) {
        uint64_t c = pl_robustness_status_count(r, i, (int)order[q]);
        if (c > 0) {
            printf("%s%s %.1f%%", any++ ? ", " : "", pl_issue_status_name(order[q]), 100.0 * (double)c / (double)n);
        }
    }
}

/* --samples: the predicted deal across models drawn from the scenario's uncertainty ranges. */
static int report_samples(const pl_scenario *sc, const char *path, const report_cli *c, const uint32_t *real)
{
    pl_diag d;
    pl_diag_clear(&d);
    pl_uncertainty *u = NULL;
    pl_robustness *r = NULL;
    int e = pl_uncertainty_load(sc, path, &u, &d);
    if (e == 0) {
        pl_robustness_options o;
        pl_robustness_options_init(&o);
        o.samples = c->samples;
        o.seed = c->seed;
        o.jobs = c->jobs > 256 ? 256 : (unsigned)c->jobs;
        o.statuses = c->statuses;
        e = pl_robustness_run(u, &o, &r, &d);
    }
    if (e < 0) {
        cli_report(&d);
        pl_uncertainty_free(u);
        return e == PL_EPARSE || e == PL_EINVAL || e == PL_EIO ? EXIT_USAGE : cli_exit_for(e);
    }
    if (c->tornado && (e = pl_plot_tornado_save(c->tornado, 0, 0, r, NULL, &d)) < 0) {
        cli_report(&d);
        pl_robustness_free(r);
        pl_uncertainty_free(u);
        return cli_exit_for(e);
    }
    if (c->args.json) {
        char *text = NULL;
        int rc = EXIT_FAIL;
        if (pl_robustness_to_json(u, r, c->seed, real, &text, &d) < 0) {
            cli_report(&d);
        } else {
            rc = cli_emit(text);
        }
        free(text);
        pl_robustness_free(r);
        pl_uncertainty_free(u);
        return rc;
    }
    const pl_space *s = pl_scenario_space(sc);
    uint64_t n = pl_robustness_samples(r);
    size_t nc = pl_uncertainty_count(u);
    printf("Robustness of %s: the predicted deal (Nash point of the acceptable deals) in %llu models drawn from %zu "
           "uncertain parameters (seed %llu)\n",
           pl_scenario_name(sc), (unsigned long long)n, nc, (unsigned long long)c->seed);
    printf("  a deal acceptable to every party in %.1f%% of models\n",
           n ? 100.0 * (double)pl_robustness_with_deal(r) / (double)n : 0.0);
    if (c->args.summary && c->statuses) {
        /* One line per status: the issues that have it in every model; then the others with their shares. */
        static const pl_issue_status order[] = {PL_ISSUE_AGREED, PL_ISSUE_DIVERGENT, PL_ISSUE_NOT_REACHED,
                                                PL_ISSUE_NOT_ADDRESSED};
        static const char *const heads[] = {"Agreed", "Divergent", "Not reached", "Not addressed"};
        for (size_t q = 0; q <= 4; q++) {
            int any = 0;
            for (size_t i = 0; i < pl_space_issue_count(s); i++) {
                int all = -1;
                for (size_t z = 0; z < 4; z++) {
                    all = pl_robustness_status_count(r, i, (int)order[z]) == n ? (int)z : all;
                }
                if ((q < 4 && all != (int)q) || (q == 4 && all >= 0)) {
                    continue;
                }
                if (!any++) {
                    printf("  %-14s", q < 4 ? heads[q] : "Varies");
                }
                printf("%s %s", any > 1 ? "," : "", pl_space_issue_name(s, i));
                if (q == 4) {
                    printf(" (");
                    print_status_shares(r, i, n);
                    printf(")");
                }
            }
            if (any) {
                printf("%s\n", q == 4 ? "" : " (in every model)");
            }
        }
        pl_robustness_free(r);
        pl_uncertainty_free(u);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
    }
    if (c->args.summary) {
        /* Three lines: the issues agreed in every model, those kept in every model, and the others with their
         * shares. */
        static const char *const heads[] = {"agreed in all", "kept in all", "uncertain"};
        for (int q = 0; q < 3; q++) {
            int any = 0;
            printf("  %-14s", heads[q]);
            for (size_t i = 0; i < pl_space_issue_count(s); i++) {
                uint64_t a = pl_robustness_agreed_count(r, i);
                int cls = a == n ? 0 : a == 0 ? 1 : 2;
                if (cls != q) {
                    continue;
                }
                printf("%s %s", any++ ? "," : "", pl_space_issue_name(s, i));
                if (q == 2) {
                    printf(" agreed in %.1f%%", 100.0 * (double)a / (double)n);
                }
            }
            printf("%s\n", any ? "" : " (none)");
        }
        pl_robustness_free(r);
        pl_uncertainty_free(u);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
    }
    for (size_t i = 0; i < pl_space_issue_count(s); i++) {
        char lab[64], name[256];
        printf("  %s: agreed in %.1f%%;", pl_space_issue_name(s, i),
               n ? 100.0 * (double)pl_robustness_agreed_count(r, i) / (double)n : 0.0);
        /* The predicted options, most frequent first (at most 3). */
        uint32_t nv = pl_space_value_count(s, i), shown = 0;
        uint8_t done[4096] = {0};
        while (shown < 3 && shown < nv && nv <= sizeof done) {
            uint32_t best = 0;
            uint64_t bc = 0;
            for (uint32_t v = 0; v < nv; v++) {
                uint64_t cnt = pl_robustness_value_count(r, i, v);
                if (!done[v] && cnt > bc) {
                    best = v;
                    bc = cnt;
                }
            }
            if (bc == 0) {
                break;
            }
            done[best] = 1;
            printf("%s %s %.1f%%", shown ? "," : "", pl_space_value_label(s, i, best, lab, sizeof lab),
                   100.0 * (double)bc / (double)n);
            shown++;
        }
        if (real) {
            printf("; as in the given deal (%s) in %.1f%%", pl_space_value_label(s, i, real[i], lab, sizeof lab),
                   n ? 100.0 * (double)pl_robustness_value_count(r, i, real[i]) / (double)n : 0.0);
        }
        if (c->statuses) {
            printf("; ");
            print_status_shares(r, i, n);
        }
        /* The parameter that moves the predicted option most (Spearman's rho). */
        double best = 0;
        size_t bj = 0;
        for (size_t j = 0; j < nc; j++) {
            double rho = pl_robustness_correlation(r, i, j, 1);
            if (fabs(rho) > fabs(best)) {
                best = rho;
                bj = j;
            }
        }
        if (fabs(best) >= 0.1) {
            printf("; most sensitive to %s (rho %+.2f)", pl_uncertainty_param_name(u, bj, name, sizeof name), best);
        }
        /* A first calibration: the parameter that moves the prediction most towards the given deal's option. */
        if (real) {
            double gb = 0;
            size_t gj = 0;
            for (size_t j = 0; j < nc; j++) {
                double rho = pl_robustness_correlation_option(r, i, j, real[i]);
                if (fabs(rho) > fabs(gb)) {
                    gb = rho;
                    gj = j;
                }
            }
            if (fabs(gb) >= 0.1) {
                printf("; matching it goes with %s %s (rho %+.2f)", gb > 0 ? "higher" : "lower",
                       pl_uncertainty_param_name(u, gj, name, sizeof name), gb);
            }
        }
        printf("\n");
    }
    pl_robustness_free(r);
    pl_uncertainty_free(u);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

static const cli_opt report_opts[] = {
    {.name = "--agreement", .kind = CLI_STR, .off = offsetof(report_cli, args.agreement), .arg = "O",
     .help = "the agreement, as issue=value pairs separated by commas"},
    {.name = "--run", .kind = CLI_STR, .off = offsetof(report_cli, args.run), .arg = "FILE",
     .help = "the agreement of a `parley run --json` result of this scenario"},
    {.name = "--json", .kind = CLI_FLAG, .off = offsetof(report_cli, args.json), .help = "print JSON (docs/formats.md)"},
    {.name = "--summary", .kind = CLI_FLAG, .off = offsetof(report_cli, args.summary),
     .help = "print only the header and the summary"},
    {.name = "--limit", .kind = CLI_U64, .off = offsetof(report_cli, o.enumerate_limit), .arg = "N",
     .help = "scan spaces of at most N outcomes (default 1e8)"},
    {.name = "--threads", .kind = CLI_U64, .off = offsetof(report_cli, threads), .arg = "N",
     .help = "scan threads (default: all cores)"},
    {.name = "--samples", .kind = CLI_U64, .off = offsetof(report_cli, samples), .arg = "N", .min = 1, .max = 1e8,
     .help = "instead: the predicted deal in N models drawn from the scenario's \"uncertainty\" ranges"},
    {.name = "--seed", .kind = CLI_U64, .off = offsetof(report_cli, seed), .arg = "S",
     .help = "with --samples: the random stream (default 1)"},
    {.name = "--statuses", .kind = CLI_FLAG, .off = offsetof(report_cli, statuses),
     .help = "with --samples: each issue's status in every model too (about ten times slower)"},
    {.name = "--jobs", .kind = CLI_U64, .off = offsetof(report_cli, jobs), .arg = "J",
     .help = "with --samples: threads (default: all cores; the result does not depend on it)"},
    {.name = "--tornado", .kind = CLI_STR, .off = offsetof(report_cli, tornado), .arg = "FILE",
     .help = "with --samples: also draw which parameters move each prediction (.png, .svg or .pdf)"},
    CLI_OPT_REAL_LEVELS(offsetof(report_cli, sa.opts.real_levels)),
    CLI_OPT_STRICT(offsetof(report_cli, sa.opts.strict)),
};

const cli_cmd cli_cmd_report = {
    .name = "report",
    .synopsis = "report SCENARIO... [--run R]",
    .summary = "agreements and divergences issue by issue: agreed, divergent, not reached, not addressed",
    .usage = "Usage: parley report SCENARIO... [--agreement 'issue=value,...' | --run RESULT.json] [--json] [--summary]\n",
    .description =
        "Agreements and divergences, issue by issue, computed from the model alone. For the agreement (given with\n"
        "--agreement, read from a `parley run --json` result with --run, or else the analysis's prediction: the Nash\n"
        "point of the deals acceptable to every party) it prints each party's utility, then per issue its status.\n"
        "A party wants an issue moved when its ideal options exclude the status quo.\n"
        "  agreed         the agreement moves the issue off its status quo (or the issue has none); parties whose\n"
        "                 ideal option differs are listed with what they wanted\n"
        "  divergent      left at the status quo while a party wants it moved and (a) a deal acceptable to every\n"
        "                 party gives it its ideal, or (b) it demands the move in a red line (a precondition), or\n"
        "                 (c) another party's red line refuses the move outright and no acceptable deal moves the\n"
        "                 issue; who wants what is listed, with the red lines bearing on the issue\n"
        "  not reached    left at the status quo, a party wants it moved, no acceptable deal moves it, and none of\n"
        "                 (a)-(c); the preconditions that stop it, the red lines refusing them and any other\n"
        "                 constraint broken by the moves that break the fewest are named\n"
        "  not addressed  left at the status quo otherwise: nobody wants it moved, or acceptable deals move it only\n"
        "                 to options no party holds ideal\n"
        "and ends with the summary: agreed, divergent, not reached, not addressed. A single-text run that ended\n"
        "without agreement is reported on its final text; another run without agreement on the prediction.\n"
        "Deciding the statuses of issues left at the status quo scans the outcome space once (on all cores); spaces\n"
        "above --limit outcomes leave those issues undetermined.\n"
        "With --samples N the report is on robustness instead: N models are drawn uniformly from the ranges the\n"
        "scenario file gives its parties (\"uncertainty\", docs/formats.md; seeded by --seed, the same whatever\n"
        "--jobs), and per issue it prints how often the predicted deal agrees on it, its most frequent predicted\n"
        "options, with --agreement how often the prediction matches the given deal, and the uncertain parameter\n"
        "that moves the prediction most (Spearman's rank correlation); --summary lists the issues agreed in every\n"
        "model, those kept in every model and the others; --json prints it all (docs/formats.md). --statuses decides each issue's status (agreed,\n"
        "divergent, not reached, not addressed) in every model as well, and reports their shares. --tornado FILE\n"
        "also draws, per issue, the parameters that move the predicted option most as a tornado chart (bars of\n"
        "Spearman's rho left and right of zero; PNG, SVG or PDF by the extension; docs/plots.md).\n",
    .opts = report_opts,
    .n_opts = sizeof report_opts / sizeof report_opts[0],
    CLI_SCENARIO_POSITIONALS(report_cli),
    .run = cmd_report,
};

int cmd_report(int argc, char **argv)
{
    report_cli c = {.args = {0}, .seed = 1};
    cli_scenario_args_init(&c.sa);
    pl_report_options_init(&c.o);
    unsigned given[sizeof report_opts / sizeof report_opts[0]];
    report_args args = {0};
    pl_report_options o;
    pl_scenario *sc = NULL;
    pl_report *r = NULL;
    uint32_t *agreement = NULL, *final_text = NULL;
    source src;
    memset(&src, 0, sizeof src);
    int rc = EXIT_OK;
    if (cli_parse(&cli_cmd_report, argc, argv, &c, given, &rc) != 0) {
        goto done;
    }
    if (cli_given(&cli_cmd_report, given, "--agreement") + cli_given(&cli_cmd_report, given, "--run") > 1) {
        rc = cli_usage_error("report", "give one of --agreement and --run, once");
        goto done;
    }
    args = c.args;
    o = c.o;
    if (cli_given(&cli_cmd_report, given, "--threads")) {
        o.threads = c.threads > 256 ? 256 : (unsigned)c.threads;
    }
    if (!cli_given(&cli_cmd_report, given, "--samples") &&
        (cli_given(&cli_cmd_report, given, "--seed") || cli_given(&cli_cmd_report, given, "--jobs") ||
         cli_given(&cli_cmd_report, given, "--statuses") || cli_given(&cli_cmd_report, given, "--tornado"))) {
        rc = cli_usage_error("report", "--seed, --jobs, --statuses and --tornado go with --samples");
        goto done;
    }
    if (c.tornado) {
        pl_diag fd;
        pl_diag_clear(&fd);
        if (pl_plot_format_of(c.tornado, &fd) < 0) {
            rc = cli_usage_error("report", "--tornado: the file name must end in .png, .svg or .pdf");
            goto done;
        }
    }
    if (cli_given(&cli_cmd_report, given, "--samples") && args.run) {
        rc = cli_usage_error("report", "--samples goes with --agreement, --summary and --json (not --run)");
        goto done;
    }
    if ((rc = cli_load(&c.sa, "report", &sc)) != 0) {
        goto done;
    }
    size_t ni = pl_space_issue_count(pl_scenario_space(sc));
    agreement = calloc(ni ? ni : 1, sizeof *agreement);
    final_text = calloc(ni ? ni : 1, sizeof *final_text);
    if (!agreement || !final_text) {
        rc = EXIT_FAIL;
        goto done;
    }
    pl_diag d;
    pl_diag_clear(&d);
    int e = 0, have = 0;
    if (args.agreement) {
        e = pl_space_parse_outcome(pl_scenario_space(sc), args.agreement, agreement, &d);
        have = e == 0;
    } else if (args.run) {
        src.from_run = 1;
        e = pl_run_record_load(sc, args.run, &src.rec, agreement, final_text, &d);
        if (e == 0 && src.rec.has_agreement) {
            have = 1;
        } else if (e == 0 && src.rec.has_final_text) {
            /* A single-text run that ended without agreement: report on where the text stood. */
            memcpy(agreement, final_text, ni * sizeof *agreement);
            have = src.used_final_text = 1;
        }
    }
    if (e == 0 && c.samples > 0) {
        if (c.sa.n != 1) {
            rc = cli_usage_error("report", "--samples reads the ranges from one scenario file");
        } else {
            rc = report_samples(sc, c.sa.paths[0], &c, have ? agreement : NULL);
        }
        goto done;
    }
    if (e == 0) {
        e = pl_report_build(sc, have ? agreement : NULL, &o, &r, &d);
    }
    if (e < 0) {
        if (args.agreement && !d.file[0]) {
            fprintf(stderr, "parley: --agreement: %s\n", d.message);
        } else {
            cli_report(&d);
        }
        /* An unreadable --run file is bad input too. */
        rc = e == PL_EIO && args.run && !r ? EXIT_USAGE : cli_exit_for(e);
        goto done;
    }
    rc = args.json ? report_json(sc, r, &src) : report_text(sc, r, &src, args.summary);
done:
    pl_report_free(r);
    pl_scenario_free(sc);
    free(agreement);
    free(final_text);
    cli_args_free(&cli_cmd_report, &c);
    return rc;
}
