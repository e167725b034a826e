/* A negotiation as the plots see it: its actions in order (round, time, party, offer or accept or end, outcome and
 * every party's utility of it), the agents' names, and how it ended (stated, or inferred from the actions under
 * the stacked alternating offers protocol: an offer followed by an accept from every other party). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/record.h"
#include "plot/plot_internal.h"

int pl_plot_session_new(const pl_scenario *sc, pl_plot_session **out, pl_diag *d)
{
    if (!out) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "pl_plot_session_new: out is NULL");
    }
    *out = NULL;
    if (!sc) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "pl_plot_session_new: no scenario");
    }
    pl_plot_session *s = pl__calloc(1, sizeof *s);
    if (!s) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    s->sc = sc;
    s->np = pl_scenario_party_count(sc);
    s->ni = pl_space_issue_count(pl_scenario_space(sc));
    s->agents = pl__calloc(s->np ? s->np : 1, sizeof *s->agents);
    s->agreement = pl__calloc(s->ni ? s->ni : 1, sizeof *s->agreement);
    s->text = pl__calloc(s->ni ? s->ni : 1, sizeof *s->text);
    if (!s->agents || !s->agreement || !s->text) {
        pl_plot_session_free(s);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *out = s;
    return 0;
}

void pl_plot_session_free(pl_plot_session *s)
{
    if (!s) {
        return;
    }
    for (size_t k = 0; s->agents && k < s->np; k++) {
        pl__free(s->agents[k]);
    }
    pl__free(s->agents);
    pl__free(s->agreement);
    pl__free(s->text);
    pl__free(s->acts);
    pl__free(s->outcomes);
    pl__free(s->utils);
    pl__free(s);
}

size_t pl_plot_session_action_count(const pl_plot_session *s)
{
    return s->n;
}

static int grow(pl_plot_session *s)
{
    size_t cap = s->cap ? s->cap * 2 : 256;
    pl__act *a = pl__realloc(s->acts, cap * sizeof *a);
    if (!a) {
        return PL_ENOMEM;
    }
    s->acts = a;
    uint32_t *o = pl__realloc(s->outcomes, cap * (s->ni ? s->ni : 1) * sizeof *o);
    if (!o) {
        return PL_ENOMEM;
    }
    s->outcomes = o;
    double *u = pl__realloc(s->utils, cap * s->np * sizeof *u);
    if (!u) {
        return PL_ENOMEM;
    }
    s->utils = u;
    s->cap = cap;
    return 0;
}

int pl_plot_session_add(pl_plot_session *s, uint64_t round, double t, size_t party, pl_action_kind action,
                        const uint32_t *outcome)
{
    const pl_space *sp = pl_scenario_space(s->sc);
    if (party >= s->np || !isfinite(t) || (action != PL_ACTION_END && !outcome) ||
        (outcome && !pl_space_outcome_valid(sp, outcome)) ||
        (action != PL_ACTION_OFFER && action != PL_ACTION_ACCEPT && action != PL_ACTION_END)) {
        return PL_EINVAL;
    }
    if (s->n == s->cap && grow(s) < 0) {
        return PL_ENOMEM;
    }
    pl__act *a = &s->acts[s->n];
    memset(a, 0, sizeof *a);
    a->round = round;
    a->t = t;
    a->party = party;
    a->action = action;
    a->has_outcome = outcome != NULL;
    uint32_t *o = s->outcomes + s->n * s->ni;
    double *u = s->utils + s->n * s->np;
    if (outcome) {
        memcpy(o, outcome, s->ni * sizeof *o);
        for (size_t k = 0; k < s->np; k++) {
            u[k] = pl_ufun_eval(pl_scenario_ufun(s->sc, k), o);
        }
    } else {
        memset(o, 0, s->ni * sizeof *o);
        for (size_t k = 0; k < s->np; k++) {
            u[k] = NAN;
        }
    }
    s->n++;
    return 0;
}

int pl__session_add_proposal(pl_plot_session *s, uint64_t step, double t, size_t proposer, const double *u, int stood)
{
    if (proposer > s->np || !isfinite(t)) {
        return PL_EINVAL;
    }
    if (s->n == s->cap && grow(s) < 0) {
        return PL_ENOMEM;
    }
    pl__act *a = &s->acts[s->n];
    memset(a, 0, sizeof *a);
    a->round = step;
    a->t = t;
    a->party = proposer;
    a->action = PL_ACTION_OFFER;
    a->proposal = 1;
    a->stood = stood;
    memset(s->outcomes + s->n * s->ni, 0, s->ni * sizeof *s->outcomes);
    memcpy(s->utils + s->n * s->np, u, s->np * sizeof *u);
    s->mediated |= proposer == s->np;
    s->n++;
    return 0;
}

size_t pl__session_actors(const pl_plot_session *s)
{
    return s->np + (s->mediated ? 1 : 0);
}

int pl__session_move(const pl_plot_session *s, size_t k, size_t q, int *trail)
{
    const pl__act *a = &s->acts[k];
    if (a->party != q || a->action != PL_ACTION_OFFER) {
        return 0;
    }
    *trail = !a->proposal || a->stood;
    return 1;
}

int pl_plot_session_set_result(pl_plot_session *s, const uint32_t *agreement, double t, uint64_t round,
                               const char *status)
{
    if (agreement && !pl_space_outcome_valid(pl_scenario_space(s->sc), agreement)) {
        return PL_EINVAL;
    }
    s->result_set = 1;
    s->has_agreement = agreement != NULL;
    if (agreement) {
        memcpy(s->agreement, agreement, s->ni * sizeof *agreement);
    }
    s->agreement_t = t;
    s->agreement_round = round;
    snprintf(s->status, sizeof s->status, "%s", status ? status : agreement ? "agreement" : "no agreement");
    return 0;
}

int pl_plot_session_set_agent(pl_plot_session *s, size_t party, const char *agent)
{
    if (party >= s->np || !agent) {
        return PL_EINVAL;
    }
    char *copy = pl__strdup(agent);
    if (!copy) {
        return PL_ENOMEM;
    }
    pl__free(s->agents[party]);
    s->agents[party] = copy;
    return 0;
}

int pl__session_agreement(const pl_plot_session *s, double *u, double *t, uint64_t *round, char *status)
{
    if (s->result_set) {
        snprintf(status, 32, "%s", s->status);
        if (!s->has_agreement) {
            return 0;
        }
        for (size_t k = 0; k < s->np; k++) {
            u[k] = pl_ufun_eval(pl_scenario_ufun(s->sc, k), s->agreement);
        }
        *t = s->agreement_t;
        *round = s->agreement_round;
        return 1;
    }
    if (s->text_traced > 0) {
        /* A single-text trace: the final text is the agreement when every party finds it acceptable. */
        int ok = s->n > 0;
        for (size_t k = 0; ok && k < s->np; k++) {
            ok = pl_ufun_acceptable(pl_scenario_ufun(s->sc, k), s->text);
        }
        snprintf(status, 32, "%s", ok ? "agreement" : "no agreement");
        if (!ok) {
            return 0;
        }
        for (size_t k = 0; k < s->np; k++) {
            u[k] = pl_ufun_eval(pl_scenario_ufun(s->sc, k), s->text);
        }
        *t = s->acts[s->n - 1].t;
        *round = s->acts[s->n - 1].round;
        return 1;
    }
    /* Inferred: the last np - 1 actions accept the offer made just before them. */
    snprintf(status, 32, "%s", s->n && s->acts[s->n - 1].action == PL_ACTION_END ? "ended" : "no agreement");
    size_t need = s->np - 1;
    if (s->n < need + 1) {
        return 0;
    }
    size_t first = s->n - need;
    const pl__act *offer = &s->acts[first - 1];
    if (offer->action != PL_ACTION_OFFER || offer->proposal) {
        return 0;
    }
    const uint32_t *o = s->outcomes + (first - 1) * s->ni;
    for (size_t k = first; k < s->n; k++) {
        if (s->acts[k].action != PL_ACTION_ACCEPT || memcmp(s->outcomes + k * s->ni, o, s->ni * sizeof *o) != 0) {
            return 0;
        }
    }
    memcpy(u, s->utils + (first - 1) * s->np, s->np * sizeof *u);
    *t = s->acts[s->n - 1].t;
    *round = s->acts[s->n - 1].round;
    snprintf(status, 32, "agreement");
    return 1;
}

/* ---- Reading sessions: the record reader (parley/record.h) feeds the plot session ---- */

static int add_record(void *ud, const pl_action_record *rec)
{
    pl_plot_session *s = ud;
    if (rec->action == PL_ACTION_PROPOSE) {
        size_t proposer = rec->party == PL_MEDIATOR_NEUTRAL ? s->np : rec->party;
        if (!s->text_traced) {
            /* The text starts at the status quo (the single-text protocol needs one for every issue). */
            int known = 1;
            for (size_t i = 0; i < s->ni; i++) {
                uint32_t sq = pl_scenario_status_quo(s->sc, i);
                known &= sq != PL_NO_VALUE;
                s->text[i] = sq == PL_NO_VALUE ? 0 : sq;
            }
            s->text_traced = known ? 1 : -1;
        }
        if (rec->stood && rec->issue < s->ni) {
            s->text[rec->issue] = rec->to;
        }
        return pl__session_add_proposal(s, rec->round, rec->t, proposer, rec->utilities, rec->stood);
    }
    return pl_plot_session_add(s, rec->round, rec->t, rec->party, rec->action, rec->outcome);
}

int pl_plot_session_read_trace(pl_plot_session *s, const char *path, pl_diag *d)
{
    return pl_trace_read(s->sc, path, add_record, s, d);
}

int pl_plot_session_read_run(pl_plot_session *s, const char *path, pl_diag *d)
{
    pl_run_data run;
    int rc = pl_run_read(s->sc, path, &run, d);
    if (rc < 0) {
        return rc;
    }
    for (size_t k = 0; run.agents && k < s->np && rc == 0; k++) {
        rc = pl_plot_session_set_agent(s, k, run.agents[k]);
    }
    if (rc == 0) {
        rc = pl_plot_session_set_result(s, run.agreement, run.has_t ? run.t : 1, run.rounds,
                                        run.rec.status[0] ? run.rec.status : NULL);
    }
    if (rc < 0) {
        rc = pl__diag_set(d, rc, path, 0, 0, rc == PL_ENOMEM ? "out of memory" : "the run cannot be used");
    }
    pl_run_data_destroy(&run);
    return rc;
}
