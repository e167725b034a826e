/* One negotiation session: set-up (agents' seeds and views, start), the stacked alternating offers protocol (SAOP;
 * Aydogan et al. 2017, the ANAC multilateral protocol): turn order, acceptance by every other party, ends, deadlines
 * in rounds and/or seconds, discounting, protocol violations; then the result and its metrics for every protocol.
 * The mediated single-text protocol's loop is in single_text.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agents/spec_internal.h"
#include "core/internal.h"
#include "negotiation/negotiation_internal.h"
#include "protocol/isolate.h"
#include "protocol/protocol_internal.h"

void pl_session_options_init_size(pl_session_options *out, size_t size)
{
    pl_session_options defaults, *o = &defaults;
    memset(o, 0, sizeof *o);
    o->protocol = PL_PROTOCOL_SAOP;
    o->rounds = 1000;
    o->seed = 1;
    o->metrics = 1;
    o->mediator = -1;
    o->mediator_order = PL_MEDIATOR_RANDOM;
    o->size = sizeof *o;
    pl__opts_init(out, size, o, sizeof *o);
}

void pl_session_result_init(pl_session_result *r)
{
    memset(r, 0, sizeof *r);
    r->culprit = -1;
    r->pareto_distance = r->nash_distance = r->welfare = NAN;
}

void pl_session_result_free(pl_session_result *r)
{
    if (r) {
        pl__free(r->agreement);
        pl__free(r->utilities);
        pl__free(r->raw_utilities);
        pl__free(r->final_text);
        r->agreement = r->final_text = NULL;
        r->utilities = r->raw_utilities = NULL;
    }
}

static void record(pl__run *s, uint64_t round, double t, size_t party, pl_action_kind action, const uint32_t *outcome)
{
    if (s->o->on_action) {
        pl_action_record rec = {round, t, party, action, outcome, NAN, NAN, 0, 0, 0, NULL, NULL, 0};
        if (outcome) {
            const pl_ufun *u = pl_scenario_ufun(s->sc, party);
            rec.utility = pl_ufun_eval(u, outcome);
            rec.discounted = rec.utility * pow(pl_ufun_discount_effective(u), t);
        }
        s->o->on_action(s->o->action_ud, &rec);
    }
    pl_event ev = {party, action, outcome, round, t};
    for (size_t q = 0; q < s->np; q++) {
        if (q != party && s->types[q]->observe) {
            s->types[q]->observe(s->self[q], &ev);
        }
    }
}

void pl__run_violation(pl__run *s, size_t party, const char *what, const pl_diag *ad)
{
    pl_session_result *r = s->r;
    r->status = PL_SESSION_VIOLATION;
    r->culprit = (long)party;
    snprintf(r->reason, sizeof r->reason, "protocol violation by %.60s: %.60s%s%.100s",
             pl_scenario_party_name(s->sc, party), what, ad && ad->message[0] ? ": " : "",
             ad && ad->message[0] ? ad->message : "");
}

static double distance(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t k = 0; k < n; k++) {
        s += (a[k] - b[k]) * (a[k] - b[k]);
    }
    return sqrt(s);
}

/* PL_ENOMEM when the analysis the distances need ran out of memory; without an analysis otherwise, no distances. */
static int metrics(pl__run *s)
{
    pl_session_result *r = s->r;
    r->individually_rational = 1;
    r->welfare = 0;
    for (size_t k = 0; k < s->np; k++) {
        const pl_ufun *u = pl_scenario_ufun(s->sc, k);
        r->welfare += r->raw_utilities[k];
        /* An agreement that breaks a party's red line is never individually rational, whatever its reservation. */
        if (r->utilities[k] < pl_ufun_reservation(u) || (r->has_agreement && !pl_ufun_acceptable(u, r->agreement))) {
            r->individually_rational = 0;
        }
    }
    const pl_analysis *a;
    if (!s->o->metrics || r->status == PL_SESSION_ERROR) {
        return 0;
    }
    int rc = pl_negotiation_analysis(s->neg, &a, NULL);
    if (rc < 0) {
        return rc == PL_ENOMEM ? rc : 0;
    }
    const pl_frontier *f = pl_analysis_frontier(a);
    double best = INFINITY;
    for (size_t k = 0; k < pl_frontier_size(f); k++) {
        double dd = distance(pl_frontier_utilities(f, k), r->raw_utilities, s->np);
        best = dd < best ? dd : best;
    }
    r->pareto_distance = pl_frontier_size(f) ? best : NAN;
    long nash = pl_analysis_point(a, PL_POINT_NASH);
    if (nash >= 0) {
        r->nash_distance = distance(pl_frontier_utilities(f, (size_t)nash), r->raw_utilities, s->np);
    }
    return 0;
}

/* The protocol loop. Fills status, reason, agreement (into offer), rounds, t. */
static int saop(pl__run *s, uint32_t **offer_buf, uint32_t **prop_buf, double t0)
{
    const pl_session_options *o = s->o;
    pl_session_result *r = s->r;
    size_t np = s->np;
    uint32_t *offer = *offer_buf, *prop = *prop_buf;
    int has_offer = 0;
    size_t offerer = 0, accepts = 0;
    uint64_t round = 1;
    size_t p = 0;
    double t = 0;
    pl_diag ad;
    for (uint64_t turn = 0;; turn++) {
        if (o->rounds && round > o->rounds) {
            r->status = PL_SESSION_DEADLINE;
            snprintf(r->reason, sizeof r->reason, "no agreement within %llu rounds", (unsigned long long)o->rounds);
            break;
        }
        t = pl__round_time(o->protocol, round, o->rounds);
        if (o->time_limit > 0) {
            double tt = (pl__now_seconds() - t0) / o->time_limit;
            if (tt >= 1.0) {
                r->status = PL_SESSION_DEADLINE;
                snprintf(r->reason, sizeof r->reason, "no agreement within %g seconds", o->time_limit);
                break;
            }
            t = tt > t ? tt : t;
        }
        r->rounds = round;
        r->t = t;
        pl_turn tn = {round, turn, t, has_offer ? offer : NULL, offerer, accepts};
        pl_response resp = PL_RESPONSE_REJECT;
        ad.message[0] = '\0';
        if (has_offer) {
            int arc = s->types[p]->respond(s->self[p], &tn, &resp, &ad);
            if (arc == PL_ENOMEM) { /* the process's failure, not the agent's; the caller frees both buffers */
                return PL_ENOMEM;
            }
            if (arc < 0) {
                pl__run_violation(s, p, "respond failed", &ad);
                break;
            }
        }
        if (resp == PL_RESPONSE_ACCEPT) {
            accepts++;
            r->actions++;
            record(s, round, t, p, PL_ACTION_ACCEPT, offer);
            if (accepts == np - 1) {
                r->status = PL_SESSION_AGREEMENT;
                snprintf(r->reason, sizeof r->reason, "%s accepted the offer of %s in round %llu",
                         pl_scenario_party_name(s->sc, p), pl_scenario_party_name(s->sc, offerer),
                         (unsigned long long)round);
                break;
            }
        } else if (resp == PL_RESPONSE_END) {
            r->actions++;
            record(s, round, t, p, PL_ACTION_END, NULL);
            r->status = PL_SESSION_ENDED;
            r->culprit = (long)p;
            snprintf(r->reason, sizeof r->reason, "%s ended the negotiation in round %llu",
                     pl_scenario_party_name(s->sc, p), (unsigned long long)round);
            break;
        } else if (resp == PL_RESPONSE_REJECT) {
            int arc = s->types[p]->propose(s->self[p], &tn, prop, &ad);
            if (arc == PL_ENOMEM) {
                return PL_ENOMEM;
            }
            if (arc < 0) {
                pl__run_violation(s, p, "propose failed", &ad);
                break;
            }
            if (!pl_space_outcome_valid(s->sp, prop)) {
                pl__run_violation(s, p, "offered an invalid outcome", NULL);
                break;
            }
            uint32_t *tmp = offer;
            offer = prop;
            prop = tmp;
            has_offer = 1;
            offerer = p;
            accepts = 0;
            r->actions++;
            record(s, round, t, p, PL_ACTION_OFFER, offer);
        } else {
            pl__run_violation(s, p, "answered with an unknown response", NULL);
            break;
        }
        if (++p == np) {
            p = 0;
            round++;
        }
    }
    *offer_buf = offer;
    *prop_buf = prop;
    return 0;
}

/* Every agent must be able to play the protocol: SAOP needs respond and propose, single-text needs vote. */
static int check_agents(const pl_scenario *sc, const pl_agent_spec *const *agents, const pl_session_options *o,
                        pl_diag *d)
{
    for (size_t k = 0; k < pl_scenario_party_count(sc); k++) {
        const pl_agent_type *t = pl_agent_spec_type(agents[k]);
        if (o->protocol == PL_PROTOCOL_SINGLE_TEXT && !t->vote) {
            return pl__diag_set(d, PL_EINVAL, NULL, 0, 0,
                                "agent %s (party %s) cannot vote, so it cannot take part in the single-text protocol "
                                "(voters: %s)",
                                pl_agent_spec_text(agents[k]), pl_scenario_party_name(sc, k),
                                pl__agent_spec_voters(agents[k]));
        }
        if (o->protocol != PL_PROTOCOL_SINGLE_TEXT && (!t->respond || !t->propose)) {
            return pl__diag_set(d, PL_EINVAL, NULL, 0, 0,
                                "agent %s (party %s) only votes: use it with the single-text protocol",
                                pl_agent_spec_text(agents[k]), pl_scenario_party_name(sc, k));
        }
    }
    return 0;
}

/* One isolated session (pl__iso's job 0): the arguments of pl_session_run. */
typedef struct one_session {
    pl_negotiation *neg;
    const pl_agent_spec *const *agents;
    size_t n;
    const pl_session_options *o;
} one_session;

static int one_setup(void *ud, uint64_t job, pl_negotiation **neg, const pl_agent_spec **agents, size_t *n,
                     pl_session_options *so, pl_diag *d)
{
    const one_session *s = ud;
    (void)job;
    (void)d;
    *neg = s->neg;
    for (size_t k = 0; k < s->n; k++) {
        agents[k] = s->agents[k];
    }
    *n = s->n;
    *so = *s->o;
    return 0;
}

static int run_isolated(pl_negotiation *neg, const pl_agent_spec *const *agents, size_t n,
                        const pl_session_options *o, pl_session_result *r, pl_diag *d)
{
    /* Everything shared the child may need is built here, before the fork. */
    int rc = pl_negotiation_prepare(neg, o->metrics, d);
    if (rc == PL_ENOMEM) {
        return rc;
    }
    one_session s = {neg, agents, n, o};
    pl__iso *w = pl__iso_new(one_setup, &s, &neg, 1);
    if (!w) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    rc = pl__iso_run(w, 0, NULL, NULL, r, d);
    pl__iso_free(w);
    return rc;
}

int pl_session_run(pl_negotiation *neg, const pl_agent_spec *const *agents, size_t n_agents,
                   const pl_session_options *opts, pl_session_result *r, pl_diag *d)
{
    pl_session_options oc;
    pl_session_options_init(&oc);
    int rc = PL__OPTS_READ(pl_session_options, &oc, opts, action_ud, d);
    if (rc < 0) {
        return rc;
    }
    const pl_session_options *o = &oc;
    const pl_scenario *sc = pl_negotiation_scenario(neg);
    size_t np = pl_scenario_party_count(sc);
    const pl_space *sp = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(sp);
    if (n_agents != np) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "%zu agents for %zu parties", n_agents, np);
    }
    if (np < 2) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "a negotiation needs at least 2 parties (the scenario has %zu)",
                            np);
    }
    if (o->rounds == 0 && !(o->time_limit > 0)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "a session needs a deadline: rounds and/or a time limit");
    }
    if (!(o->time_limit >= 0) || isinf(o->time_limit)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "the time limit must be a finite number of seconds >= 0");
    }
    if (o->protocol == PL_PROTOCOL_SAOP_GENIUS && o->rounds == 0) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "the GENIUS protocol needs a round deadline");
    }
    if (o->protocol != PL_PROTOCOL_SAOP && o->protocol != PL_PROTOCOL_SAOP_GENIUS &&
        o->protocol != PL_PROTOCOL_SINGLE_TEXT) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "unknown protocol %d", (int)o->protocol);
    }
    if (o->protocol == PL_PROTOCOL_SINGLE_TEXT && (o->mediator < -1 || o->mediator >= (long)np)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0,
                            "mediator %ld: no such party (-1 for a neutral mediator, or 0 to %zu)", o->mediator,
                            np - 1);
    }
    if (o->protocol == PL_PROTOCOL_SINGLE_TEXT && o->mediator_order != PL_MEDIATOR_RANDOM &&
        o->mediator_order != PL_MEDIATOR_SYSTEMATIC) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "unknown mediator order %d", (int)o->mediator_order);
    }
    rc = check_agents(sc, agents, o, d);
    if (rc < 0) {
        return rc;
    }
    if (o->isolate != PL_ISOLATE_AUTO && o->isolate != PL_ISOLATE_ON && o->isolate != PL_ISOLATE_OFF) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "unknown isolation mode %d", (int)o->isolate);
    }
    if (!(o->call_limit >= 0) || isinf(o->call_limit)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "the call limit must be a finite number of seconds >= 0");
    }
    if (pl__iso_wanted(o->isolate, 0, agents, np)) {
        if (np > PL__ISO_MAXP) {
            return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "at most %d parties in an isolated session", PL__ISO_MAXP);
        }
        return run_isolated(neg, agents, np, o, r, d);
    }
    pl_agent_view *views = pl__calloc(np, sizeof *views);
    pl__view_ctx *ctx = pl__calloc(np, sizeof *ctx);
    void **self = pl__calloc(np, sizeof *self);
    const pl_agent_type **types = pl__calloc(np, sizeof *types);
    uint32_t *offer = pl__calloc(ni ? ni : 1, sizeof *offer);
    uint32_t *prop = pl__calloc(ni ? ni : 1, sizeof *prop);
    pl_session_result_free(r);
    pl_session_result_init(r);
    r->n_parties = np;
    r->utilities = pl__calloc(np, sizeof *r->utilities);
    r->raw_utilities = pl__calloc(np, sizeof *r->raw_utilities);
    if (!views || !ctx || !self || !types || !offer || !prop || !r->utilities || !r->raw_utilities) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    double t0 = pl__now_seconds();
    pl__run s = {neg, sc, sp, o, np, ni, types, self, r, 0};
    uint64_t seeder = o->seed;
    size_t started = 0;
    for (size_t k = 0; k < np; k++) {
        types[k] = pl_agent_spec_type(agents[k]);
        ctx[k].neg = neg;
        ctx[k].party = k;
        views[k] = (pl_agent_view){sp,
                                   pl_scenario_ufun(sc, k),
                                   pl_scenario_party_name(sc, k),
                                   k,
                                   np,
                                   o->protocol,
                                   o->rounds,
                                   o->time_limit,
                                   pl__splitmix(&seeder),
                                   pl_agent_spec_params(agents[k]),
                                   &ctx[k]};
    }
    s.seed = pl__splitmix(&seeder); /* after every agent's: agents' seeds are the same under every protocol */
    for (; started < np; started++) {
        pl_diag ad = {0};
        int arc = types[started]->start(&self[started], &views[started], &ad);
        if (arc == PL_ENOMEM) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        if (arc < 0) {
            r->status = PL_SESSION_ERROR;
            r->culprit = (long)started;
            snprintf(r->reason, sizeof r->reason, "agent %.60s (%.60s) could not start: %.100s",
                     pl_agent_spec_text(agents[started]), pl_scenario_party_name(sc, started),
                     ad.message[0] ? ad.message : pl_strerror(arc));
            break;
        }
    }
    if (rc == 0 && started == np) {
        /* The time limit runs from here: building shared data in start (the first session on a scenario sorts its
         * outcomes) must not eat into one session's negotiation time. */
        if (o->protocol == PL_PROTOCOL_SINGLE_TEXT) {
            rc = pl__single_text(&s, offer, pl__now_seconds(), d);
        } else {
            if (saop(&s, &offer, &prop, pl__now_seconds()) == PL_ENOMEM) {
                rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            }
        }
    }
    for (size_t k = 0; k < started; k++) {
        types[k]->free(self[k]);
    }
    if (rc < 0) {
        goto cleanup;
    }
    if (r->status == PL_SESSION_AGREEMENT) {
        r->has_agreement = 1;
        r->agreement = offer;
        offer = NULL;
        for (size_t k = 0; k < np; k++) {
            const pl_ufun *u = pl_scenario_ufun(sc, k);
            r->raw_utilities[k] = pl_ufun_eval(u, r->agreement);
            r->utilities[k] = r->raw_utilities[k] * pow(pl_ufun_discount_effective(u), r->t);
        }
    } else {
        for (size_t k = 0; k < np; k++) {
            const pl_ufun *u = pl_scenario_ufun(sc, k);
            r->raw_utilities[k] = pl_ufun_reservation(u);
            r->utilities[k] = r->raw_utilities[k];
            if (o->protocol == PL_PROTOCOL_SAOP_GENIUS) {
                r->utilities[k] *= pow(pl_ufun_discount_effective(u), r->t);
            }
        }
    }
    if (metrics(&s) == PL_ENOMEM) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    r->seconds = pl__now_seconds() - t0;
cleanup:
    pl__free(views);
    pl__free(ctx);
    pl__free(self);
    pl__free(types);
    pl__free(offer);
    pl__free(prop);
    return rc;
}
