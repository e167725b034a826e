/* Writing an analysis (`parley analyze --json`) and an agreements-and-divergences report (`parley report --json`):
 * docs/formats.md. Key order and number forms are the documented ones. */
#include <stdlib.h>
#include <string.h>

#include "record/record_internal.h"

static void jw_utilities(pl_jw *w, const double *u, size_t np)
{
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_number(w, u[k]);
    }
    pl_jw_array_end(w);
}

static void jw_point(pl_jw *w, const pl_space *s, const pl_frontier *f, long p)
{
    if (p < 0) {
        pl_jw_null(w);
        return;
    }
    size_t np = pl_frontier_party_count(f);
    pl_jw_object(w);
    pl_jw_key(w, "outcome");
    pl__jw_outcome(w, s, pl_frontier_outcome(f, (size_t)p, 0));
    pl_jw_key(w, "utilities");
    jw_utilities(w, pl_frontier_utilities(f, (size_t)p), np);
    pl_jw_key(w, "outcomes");
    pl_jw_array(w);
    for (size_t j = 0; j < pl_frontier_outcome_count(f, (size_t)p); j++) {
        pl__jw_outcome(w, s, pl_frontier_outcome(f, (size_t)p, j));
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "count");
    pl_jw_uint(w, pl_frontier_outcome_total(f, (size_t)p));
    pl_jw_object_end(w);
}

int pl_analysis_to_json(const pl_scenario *sc, const pl_analysis *a, long frontier_limit, double seconds, char **out,
                        pl_diag *d)
{
    const pl_space *s = pl_scenario_space(sc);
    const pl_frontier *f = pl_analysis_frontier(a);
    size_t np = pl_frontier_party_count(f), n = pl_frontier_size(f);
    *out = NULL;
    pl_jw *w = pl_jw_new(2);
    if (!w) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    uint64_t count;
    pl_jw_object(w);
    pl_jw_key(w, "scenario");
    pl_jw_string(w, pl_scenario_name(sc));
    pl_jw_key(w, "parties");
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_string(w, pl_scenario_party_name(sc, pl_frontier_party(f, k)));
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "reservations");
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_number(w, pl_ufun_reservation(pl_scenario_ufun(sc, pl_frontier_party(f, k))));
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "outcomes");
    if (pl_space_outcome_count(s, &count) == 0) {
        pl_jw_uint(w, count);
    } else {
        pl_jw_null(w);
    }
    pl_jw_key(w, "algorithm");
    pl_jw_string(w, pl_pareto_algorithm_name(pl_frontier_algorithm(f)));
    pl_jw_key(w, "exact");
    pl_jw_bool(w, pl_frontier_exact(f));
    pl_jw_key(w, "seconds");
    pl_jw_number(w, seconds);
    pl_jw_key(w, "frontier_size");
    pl_jw_uint(w, n);
    size_t shown = frontier_limit < 0 || (size_t)frontier_limit > n ? n : (size_t)frontier_limit;
    pl_jw_key(w, "frontier_truncated");
    pl_jw_bool(w, shown < n);
    pl_jw_key(w, "frontier");
    pl_jw_array(w);
    for (size_t p = 0; p < shown; p++) {
        jw_point(w, s, f, (long)p);
    }
    pl_jw_array_end(w);
    for (int k = 0; k < PL_POINT_KINDS; k++) {
        pl_jw_key(w, pl_point_kind_name((pl_point_kind)k));
        jw_point(w, s, f, pl_analysis_point(a, (pl_point_kind)k));
    }
    pl_jw_key(w, "ideal");
    jw_utilities(w, pl_analysis_ideal(a), np);
    pl_jw_key(w, "opposition");
    pl_jw_number(w, pl_analysis_opposition(a));
    pl_jw_key(w, "zopa");
    if (pl_analysis_zopa(a, &count) == 0) {
        pl_jw_uint(w, count);
    } else {
        pl_jw_null(w);
    }
    for (int worst = 0; worst < 2; worst++) {
        pl_jw_key(w, worst ? "worst" : "best");
        pl_jw_array(w);
        for (size_t k = 0; k < np; k++) {
            double u;
            const uint32_t *o = worst ? pl_analysis_worst(a, k, &u) : pl_analysis_best(a, k, &u);
            if (!o) {
                pl_jw_null(w);
                continue;
            }
            pl_jw_object(w);
            pl_jw_key(w, "outcome");
            pl__jw_outcome(w, s, o);
            pl_jw_key(w, "utility");
            pl_jw_number(w, u);
            pl_jw_object_end(w);
        }
        pl_jw_array_end(w);
    }
    pl_jw_object_end(w);
    return pl__jw_finish_into(w, out, d);
}

/* ---- Reports ---- */

/* 1 when party k wants issue i moved off value sq (it has ideal options and sq is not one). */
static int wants_other(const pl_report *r, size_t k, size_t i, uint32_t sq)
{
    const uint32_t *v;
    return pl_report_ideals(r, k, i, &v) > 0 && !pl_report_is_ideal(r, k, i, sq);
}

static void json_red_line(pl_jw *w, const pl_scenario *sc, size_t party, size_t line)
{
    const pl_ufun *u = pl_scenario_ufun(sc, party);
    pl_red_line rl;
    char text[512];
    pl_ufun_red_line_get(u, line, &rl);
    pl_jw_key(w, "party");
    pl_jw_string(w, pl_scenario_party_name(sc, party));
    pl_jw_key(w, "red_line");
    pl_jw_uint(w, line);
    pl_jw_key(w, "text");
    pl_jw_string(w, pl_ufun_red_line_text(u, line, text, sizeof text));
    pl_jw_key(w, "note");
    pl_jw_string(w, rl.note);
}

static void json_labels(pl_jw *w, const pl_space *s, size_t i, const uint32_t *v, size_t n)
{
    pl_jw_array(w);
    for (size_t j = 0; j < n; j++) {
        char lab[64];
        pl_jw_string(w, pl__label(s, i, v[j], lab, sizeof lab));
    }
    pl_jw_array_end(w);
}

int pl_report_to_json(const pl_scenario *sc, const pl_report *r, const pl_run_record *run, int final_text_used,
                      char **out, pl_diag *d)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t np = pl_scenario_party_count(sc), ni = pl_space_issue_count(s);
    const uint32_t *a = pl_report_agreement(r);
    *out = NULL;
    pl_jw *w = pl_jw_new(2);
    if (!w) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    char lab[64];
    pl_jw_object(w);
    pl_jw_key(w, "scenario");
    pl_jw_string(w, pl_scenario_name(sc));
    pl_jw_key(w, "source");
    pl_jw_string(w, run ? "run" : pl_report_predicted(r) ? "predicted" : "agreement");
    if (run) {
        pl_jw_key(w, "run");
        pl_jw_object(w);
        pl_jw_key(w, "protocol");
        pl_jw_string(w, run->protocol);
        pl_jw_key(w, "status");
        pl_jw_string(w, run->status);
        pl_jw_key(w, "reason");
        pl_jw_string(w, run->reason);
        pl_jw_key(w, "final_text_used");
        pl_jw_bool(w, final_text_used);
        pl_jw_object_end(w);
    }
    pl_jw_key(w, "predicted");
    pl_jw_bool(w, pl_report_predicted(r));
    pl_jw_key(w, "has_agreement");
    pl_jw_bool(w, pl_report_has_agreement(r));
    uint64_t acc;
    pl_jw_key(w, "acceptable_outcomes");
    if (pl_report_acceptable_count(r, &acc) == 0) {
        pl_jw_uint(w, acc);
    } else {
        pl_jw_null(w);
    }
    pl_jw_key(w, "agreement");
    if (pl_report_has_agreement(r)) {
        pl_jw_object(w);
        for (size_t i = 0; i < ni; i++) {
            pl_jw_key(w, pl_space_issue_name(s, i));
            pl_jw_string(w, pl__label(s, i, a[i], lab, sizeof lab));
        }
        pl_jw_object_end(w);
    } else {
        pl_jw_null(w);
    }
    pl_jw_key(w, "parties");
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        const pl_ufun *u = pl_scenario_ufun(sc, k);
        pl_jw_object(w);
        pl_jw_key(w, "name");
        pl_jw_string(w, pl_scenario_party_name(sc, k));
        pl_jw_key(w, "reservation");
        pl_jw_number(w, pl_ufun_reservation(u));
        pl_jw_key(w, "utility");
        pl_jw_number(w, pl_report_has_agreement(r) ? pl_ufun_eval(u, a) : pl_ufun_reservation(u));
        pl_jw_key(w, "acceptable");
        pl_jw_bool(w, pl_report_has_agreement(r) && pl_ufun_acceptable(u, a));
        pl_jw_key(w, "red_lines_broken");
        pl_jw_array(w);
        for (size_t l = 0; pl_report_has_agreement(r) && l < pl_ufun_red_line_count(u); l++) {
            if (pl_ufun_red_line_broken(u, l, a)) {
                pl_jw_uint(w, l);
            }
        }
        pl_jw_array_end(w);
        pl_jw_object_end(w);
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "issues");
    pl_jw_array(w);
    for (size_t i = 0; i < ni; i++) {
        pl_issue_status st = pl_report_status(r, i);
        uint32_t sq = pl_scenario_status_quo(sc, i);
        pl_jw_object(w);
        pl_jw_key(w, "issue");
        pl_jw_string(w, pl_space_issue_name(s, i));
        pl_jw_key(w, "status");
        pl_jw_string(w, pl_issue_status_name(st));
        pl_jw_key(w, "status_quo");
        if (sq != PL_NO_VALUE) {
            pl_jw_string(w, pl__label(s, i, sq, lab, sizeof lab));
        } else {
            pl_jw_null(w);
        }
        pl_jw_key(w, "agreed");
        if (pl_report_has_agreement(r)) {
            pl_jw_string(w, pl__label(s, i, a[i], lab, sizeof lab));
        } else {
            pl_jw_null(w);
        }
        pl_jw_key(w, "ideals");
        pl_jw_object(w);
        for (size_t k = 0; k < np; k++) {
            const uint32_t *v;
            size_t n = pl_report_ideals(r, k, i, &v);
            pl_jw_key(w, pl_scenario_party_name(sc, k));
            json_labels(w, s, i, v, n);
        }
        pl_jw_object_end(w);
        /* Who conceded: for agreed issues the parties whose ideals exclude the agreed option; for the others the
         * parties that wanted the issue moved and did not get it. */
        pl_jw_key(w, "conceded");
        pl_jw_array(w);
        for (size_t k = 0; k < np; k++) {
            const uint32_t *v;
            size_t n = pl_report_ideals(r, k, i, &v);
            int conceded = st == PL_ISSUE_AGREED ? n > 0 && !pl_report_is_ideal(r, k, i, a[i])
                           : st != PL_ISSUE_UNDETERMINED && sq != PL_NO_VALUE ? wants_other(r, k, i, sq)
                                                                                              : 0;
            if (conceded) {
                pl_jw_object(w);
                pl_jw_key(w, "party");
                pl_jw_string(w, pl_scenario_party_name(sc, k));
                pl_jw_key(w, "wanted");
                json_labels(w, s, i, v, n);
                pl_jw_key(w, "attainable");
                if (pl_report_attainable(r, i, v[0]) < 0) {
                    pl_jw_null(w);
                } else {
                    pl_jw_bool(w, pl_report_ideal_attainable(r, k, i));
                }
                pl_jw_object_end(w);
            }
        }
        pl_jw_array_end(w);
        pl_jw_key(w, "attainable");
        if (pl_report_attainable(r, i, 0) < 0) {
            pl_jw_null(w);
        } else {
            pl_jw_array(w);
            for (uint32_t v = 0; v < pl_space_value_count(s, i); v++) {
                if (pl_report_attainable(r, i, v) == 1) {
                    pl_jw_string(w, pl__label(s, i, v, lab, sizeof lab));
                }
            }
            pl_jw_array_end(w);
        }
        /* The red lines bearing on the issue: "forbids" options of it outright, "requires" options of it (a
         * precondition on another issue), "conditions" a move of it (a precondition), with the red line of another
         * party that refuses what a precondition requires. */
        pl_jw_key(w, "red_lines");
        pl_jw_array(w);
        const pl_report_blocker *rb;
        size_t nrb = pl_report_red_lines(r, i, &rb);
        for (size_t j = 0; j < nrb; j++) {
            pl_red_line rl;
            pl_ufun_red_line_get(pl_scenario_ufun(sc, rb[j].party), (size_t)rb[j].red_line, &rl);
            pl_jw_object(w);
            json_red_line(w, sc, rb[j].party, (size_t)rb[j].red_line);
            pl_jw_key(w, "kind");
            pl_jw_string(w, rl.then_issue < 0 ? "forbids" : rl.issue == i ? "conditions" : "requires");
            pl_jw_key(w, "refused_by");
            size_t by;
            long q = pl_report_refusal(r, rb[j].party, (size_t)rb[j].red_line, &by);
            if (q >= 0) {
                pl_jw_object(w);
                json_red_line(w, sc, by, (size_t)q);
                pl_jw_object_end(w);
            } else {
                pl_jw_null(w);
            }
            pl_jw_object_end(w);
        }
        pl_jw_array_end(w);
        pl_jw_key(w, "blocked_by");
        pl_jw_array(w);
        const pl_report_blocker *b;
        size_t nb = pl_report_blockers(r, i, &b);
        for (size_t j = 0; j < nb; j++) {
            char text[512];
            const pl_ufun *u = pl_scenario_ufun(sc, b[j].party);
            pl_jw_object(w);
            pl_jw_key(w, "party");
            pl_jw_string(w, pl_scenario_party_name(sc, b[j].party));
            pl_jw_key(w, "red_line");
            if (b[j].red_line >= 0) {
                pl_red_line rl;
                pl_ufun_red_line_get(u, (size_t)b[j].red_line, &rl);
                pl_jw_uint(w, (uint64_t)b[j].red_line);
                pl_jw_key(w, "text");
                pl_jw_string(w, pl_ufun_red_line_text(u, (size_t)b[j].red_line, text, sizeof text));
                pl_jw_key(w, "note");
                pl_jw_string(w, rl.note);
            } else {
                pl_jw_null(w);
                pl_jw_key(w, "text");
                pl_jw_string(w, "reservation value");
            }
            pl_jw_object_end(w);
        }
        pl_jw_array_end(w);
        pl_jw_object_end(w);
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "summary");
    pl_jw_object(w);
    static const pl_issue_status order[] = {PL_ISSUE_AGREED, PL_ISSUE_DIVERGENT, PL_ISSUE_NOT_REACHED,
                                            PL_ISSUE_NOT_ADDRESSED, PL_ISSUE_UNDETERMINED};
    static const char *const keys[] = {"agreed", "divergent", "not_reached", "not_addressed", "undetermined"};
    for (size_t q = 0; q < sizeof order / sizeof *order; q++) {
        pl_jw_key(w, keys[q]);
        pl_jw_array(w);
        for (size_t i = 0; i < ni; i++) {
            if (pl_report_status(r, i) == order[q]) {
                pl_jw_string(w, pl_space_issue_name(s, i));
            }
        }
        pl_jw_array_end(w);
    }
    pl_jw_object_end(w);
    pl_jw_object_end(w);
    return pl__jw_finish_into(w, out, d);
}
