/* Writing a session's result (`parley run --json`) and its trace (JSON Lines, one action per line): docs/formats.md.
 * The key order is the documented one; numbers are shortest exact (pl_jw). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "record/record_internal.h"

void pl__jw_outcome(pl_jw *w, const pl_space *sp, const uint32_t *o)
{
    if (!o) {
        pl_jw_null(w);
        return;
    }
    pl_jw_object(w);
    for (size_t i = 0; i < pl_space_issue_count(sp); i++) {
        char lab[64];
        pl_jw_key(w, pl_space_issue_name(sp, i));
        pl_jw_string(w, pl__label(sp, i, o[i], lab, sizeof lab));
    }
    pl_jw_object_end(w);
}

int pl__jw_open_scenario(const pl_scenario *sc, pl_jw **out, pl_diag *d)
{
    pl_jw *w = pl_jw_new(2);
    if (!w) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    pl_jw_object(w);
    pl_jw_key(w, "scenario");
    pl_jw_string(w, pl_scenario_name(sc));
    *out = w;
    return 0;
}

int pl__jw_finish_into(pl_jw *w, char **out, pl_diag *d)
{
    *out = pl_jw_finish(w);
    if (!*out) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "cannot write JSON (out of memory, or a name that is not UTF-8)");
    }
    return 0;
}

void pl_run_info_init(pl_run_info *info, const pl_session_options *opts)
{
    pl_session_options o;
    if (!opts) {
        pl_session_options_init(&o);
        opts = &o;
    }
    memset(info, 0, sizeof *info);
    info->protocol = opts->protocol;
    info->seed = opts->seed;
    info->rounds = opts->rounds;
    info->time_limit = opts->time_limit;
    info->mediator = opts->mediator;
    info->mediator_order = opts->mediator_order;
}

static const char *mediator_name(const pl_scenario *sc, long mediator)
{
    return mediator >= 0 && (size_t)mediator < pl_scenario_party_count(sc) ? pl_scenario_party_name(sc, (size_t)mediator)
                                                                            : "neutral";
}

/* Single-text additions to the result. */
static void single_text(pl_jw *w, const pl_scenario *sc, const pl_run_info *info, const pl_session_result *r)
{
    size_t np = pl_scenario_party_count(sc);
    pl_jw_key(w, "mediator");
    pl_jw_string(w, mediator_name(sc, info->mediator));
    pl_jw_key(w, "mediator_order");
    pl_jw_string(w, pl_mediator_order_name(info->mediator_order));
    pl_jw_key(w, "steps");
    pl_jw_uint(w, r->rounds);
    pl_jw_key(w, "changes");
    pl_jw_uint(w, r->changes);
    pl_jw_key(w, "votes");
    pl_jw_uint(w, r->actions);
    pl_jw_key(w, "stable");
    pl_jw_bool(w, r->stable);
    pl_jw_key(w, "final_text");
    pl__jw_outcome(w, pl_scenario_space(sc), r->final_text);
    pl_jw_key(w, "final_text_utilities");
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        if (r->final_text) {
            pl_jw_number(w, pl_ufun_eval(pl_scenario_ufun(sc, k), r->final_text));
        } else {
            pl_jw_null(w);
        }
    }
    pl_jw_array_end(w);
}

static void numbers(pl_jw *w, const double *x, size_t n)
{
    pl_jw_array(w);
    for (size_t k = 0; k < n; k++) {
        pl_jw_number(w, x[k]);
    }
    pl_jw_array_end(w);
}

int pl_run_to_json(const pl_scenario *sc, const pl_run_info *info, const pl_session_result *r, char **out,
                   pl_diag *d)
{
    *out = NULL;
    size_t np = pl_scenario_party_count(sc);
    if (!info || !info->agents || !r || r->n_parties != np || !r->utilities || !r->raw_utilities) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "a run result needs its agents and a result for every party");
    }
    pl_jw *w = NULL;
    int orc = pl__jw_open_scenario(sc, &w, d);
    if (orc < 0) {
        return orc;
    }
    pl_jw_key(w, "protocol");
    pl_jw_string(w, pl_protocol_name(info->protocol));
    pl_jw_key(w, "parties");
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_string(w, pl_scenario_party_name(sc, k));
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "agents");
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_string(w, info->agents[k]);
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "seed");
    pl_jw_uint(w, info->seed);
    pl_jw_key(w, "deadline_rounds");
    info->rounds ? pl_jw_uint(w, info->rounds) : pl_jw_null(w);
    pl_jw_key(w, "time_limit");
    info->time_limit > 0 ? pl_jw_number(w, info->time_limit) : pl_jw_null(w);
    pl_jw_key(w, "status");
    pl_jw_string(w, pl_session_status_name(r->status));
    pl_jw_key(w, "reason");
    pl_jw_string(w, r->reason);
    pl_jw_key(w, "agreement");
    pl__jw_outcome(w, pl_scenario_space(sc), r->has_agreement ? r->agreement : NULL);
    pl_jw_key(w, "utilities");
    numbers(w, r->utilities, np);
    pl_jw_key(w, "raw_utilities");
    numbers(w, r->raw_utilities, np);
    pl_jw_key(w, "reservation_values");
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_number(w, pl_ufun_reservation(pl_scenario_ufun(sc, k)));
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "rounds");
    pl_jw_uint(w, r->rounds);
    if (info->protocol == PL_PROTOCOL_SAOP_GENIUS) {
        /* What GENIUS's CSV log shows in its ROUND column for this session (docs/genius.md). */
        pl_jw_key(w, "genius_csv_round");
        pl_jw_uint(w, r->rounds + 1);
    }
    pl_jw_key(w, "actions");
    pl_jw_uint(w, r->actions);
    pl_jw_key(w, "t");
    pl_jw_number(w, r->t);
    pl_jw_key(w, "culprit");
    r->culprit >= 0 && (size_t)r->culprit < np ? pl_jw_string(w, pl_scenario_party_name(sc, (size_t)r->culprit))
                                               : pl_jw_null(w);
    if (info->protocol == PL_PROTOCOL_SINGLE_TEXT) {
        single_text(w, sc, info, r);
    }
    pl_jw_key(w, "metrics");
    pl_jw_object(w);
    pl_jw_key(w, "individually_rational");
    pl_jw_bool(w, r->individually_rational);
    pl_jw_key(w, "welfare");
    pl_jw_number(w, r->welfare);
    pl_jw_key(w, "pareto_distance");
    pl_jw_number(w, r->pareto_distance);
    pl_jw_key(w, "nash_distance");
    pl_jw_number(w, r->nash_distance);
    pl_jw_object_end(w);
    pl_jw_object_end(w);
    return pl__jw_finish_into(w, out, d);
}

int pl_run_save_json(const pl_scenario *sc, const pl_run_info *info, const pl_session_result *r, const char *path,
                     pl_diag *d)
{
    char *text = NULL;
    int rc = pl_run_to_json(sc, info, r, &text, d);
    if (rc == 0) {
        rc = pl__write_file_atomic(path, text, strlen(text), d);
    }
    pl__free(text);
    return rc;
}

/* ---- The trace ---- */

/* Single-text: one line per proposed change of the text, with every party's vote. */
static void trace_proposal(pl_jw *w, const pl_scenario *sc, const pl_action_record *rec)
{
    const pl_space *sp = pl_scenario_space(sc);
    size_t np = pl_scenario_party_count(sc);
    char lab[64];
    pl_jw_key(w, "step");
    pl_jw_uint(w, rec->round);
    pl_jw_key(w, "t");
    pl_jw_number(w, rec->t);
    pl_jw_key(w, "proposer");
    pl_jw_string(w, rec->party == PL_MEDIATOR_NEUTRAL ? "neutral" : pl_scenario_party_name(sc, rec->party));
    pl_jw_key(w, "action");
    pl_jw_string(w, pl_action_name(rec->action));
    pl_jw_key(w, "issue");
    pl_jw_string(w, pl_space_issue_name(sp, rec->issue));
    pl_jw_key(w, "from");
    pl_jw_string(w, pl__label(sp, rec->issue, rec->from, lab, sizeof lab));
    pl_jw_key(w, "to");
    pl_jw_string(w, pl__label(sp, rec->issue, rec->to, lab, sizeof lab));
    pl_jw_key(w, "votes");
    pl_jw_object(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_key(w, pl_scenario_party_name(sc, k));
        pl_jw_bool(w, rec->votes[k]);
    }
    pl_jw_object_end(w);
    pl_jw_key(w, "stood");
    pl_jw_bool(w, rec->stood);
    pl_jw_key(w, "utilities");
    pl_jw_object(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_key(w, pl_scenario_party_name(sc, k));
        pl_jw_number(w, rec->utilities[k]);
    }
    pl_jw_object_end(w);
}

/* SAOP: one line per offer, accept or end. */
static void trace_move(pl_jw *w, const pl_scenario *sc, const pl_action_record *rec)
{
    pl_jw_key(w, "round");
    pl_jw_uint(w, rec->round);
    pl_jw_key(w, "t");
    pl_jw_number(w, rec->t);
    pl_jw_key(w, "party");
    pl_jw_string(w, pl_scenario_party_name(sc, rec->party));
    pl_jw_key(w, "action");
    pl_jw_string(w, pl_action_name(rec->action));
    pl_jw_key(w, "outcome");
    pl__jw_outcome(w, pl_scenario_space(sc), rec->outcome);
    pl_jw_key(w, "utility");
    pl_jw_number(w, rec->utility);
    pl_jw_key(w, "discounted");
    pl_jw_number(w, rec->discounted);
}

int pl_trace_action_to_json(const pl_scenario *sc, const pl_action_record *rec, char **out, pl_diag *d)
{
    *out = NULL;
    size_t np = pl_scenario_party_count(sc);
    const pl_space *sp = pl_scenario_space(sc);
    int propose = rec->action == PL_ACTION_PROPOSE;
    if (propose ? (rec->party != PL_MEDIATOR_NEUTRAL && rec->party >= np) || rec->issue >= pl_space_issue_count(sp) ||
                      rec->from >= pl_space_value_count(sp, rec->issue) ||
                      rec->to >= pl_space_value_count(sp, rec->issue) || !rec->votes || !rec->utilities
                : rec->party >= np || (unsigned)rec->action > PL_ACTION_END ||
                      (rec->outcome && !pl_space_outcome_valid(sp, rec->outcome))) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "a trace record names a party, issue or value the scenario "
                            "does not have");
    }
    pl_jw *w = pl_jw_new(0);
    if (!w) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    pl_jw_object(w);
    if (propose) {
        trace_proposal(w, sc, rec);
    } else {
        trace_move(w, sc, rec);
    }
    pl_jw_object_end(w);
    return pl__jw_finish_into(w, out, d);
}

void pl_trace_writer_init(pl_trace_writer *w, const pl_scenario *sc, pl_write_fn write, void *ud)
{
    memset(w, 0, sizeof *w);
    w->sc = sc;
    w->write = write;
    w->ud = ud;
}

void pl_trace_on_action(void *writer, const pl_action_record *rec)
{
    pl_trace_writer *w = writer;
    if (w->rc < 0) {
        return;
    }
    char *line = NULL;
    int rc = pl_trace_action_to_json(w->sc, rec, &line, NULL);
    if (rc == 0) {
        rc = w->write(w->ud, line, strlen(line));
        rc = rc < 0 ? rc : 0;
    }
    pl__free(line);
    w->rc = rc;
}
