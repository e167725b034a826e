/* Agent K (ANAC 2010 winner; Kawaguchi, Fujita & Ito 2012, "Compromising strategy based on estimated maximum utility
 * for automated negotiation agents competition (ANAC-10)", in New Trends in Agent-Based Complex Automated
 * Negotiations, Springer SCI 383) and its 2011 successor Agent K2 (same authors).
 * From the mean mu and variance s^2 of the utilities of the opponent's offers it estimates the best utility the
 * opponent will offer, emax = mu + (1 - mu) d with the spread d = sqrt(12 s^2) (a uniform distribution's width), and
 * aims at target(t) = 1 - (1 - emax) t^alpha, alpha = 1 + tau + 10 mu - 2 tau mu (tau = 2, the "tremor"). The target
 * is stretched away from 1 by ratio = (d + 0.1) / (1 - target) (at most 2) and pulled down towards emax near it.
 * Bids: a random bid at or above a second target computed the same way with a randomly shaken exponent. Acceptance:
 * an offer at or above the target; otherwise with probability t^alpha / 5 + (u - emax) + (u - target) (0 below 0.1).
 * Agent K2 (parameter k2=1) keeps the same core; what it changes is documented in docs/agents.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agents/anac_internal.h"
#include "core/internal.h"

#define AK_BATCH 500.0 /* random outcomes the original draws per search batch */

typedef struct agentk {
    pl__core core;
    pl__anac_hist hist;
    size_t ni;
    uint64_t rng;
    double tremor;
    int k2;
    double discount;
    uint64_t cached_turn;
    size_t cached_rank;
    double target, bid_target, emax, alpha;
} agentk;

static int ak_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    agentk *a = pl__calloc(1, sizeof *a);
    if (!a) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *self = a;
    int rc = pl__core_init(&a->core, v, d);
    a->ni = pl_space_issue_count(v->space);
    if (rc < 0 || (rc = pl__anac_hist_init(&a->hist, a->ni, d)) < 0) {
        return rc;
    }
    a->rng = v->seed;
    a->tremor = pl_params_double(v->params, "tremor");
    a->k2 = (int)pl_params_int(v->params, "k2");
    a->discount = pl_ufun_discount_effective(v->ufun);
    a->cached_turn = UINT64_MAX;
    return 0;
}

static void ak_free(void *self)
{
    agentk *a = self;
    if (a) {
        pl__anac_hist_destroy(&a->hist);
        pl__free(a);
    }
}

static void ak_observe(void *self, const pl_event *ev)
{
    agentk *a = self;
    if (ev->action == PL_ACTION_OFFER && ev->outcome) {
        pl__anac_hist_add(&a->hist, ev->outcome, pl_ufun_eval(a->core.u, ev->outcome));
    }
}

double pl__agentk_target(double t, double x, double emax, double dev)
{
    double pre = 1 - pow(t, x) * (1 - emax);
    double ratio = (dev + 0.1) / (1 - pre);
    if (isnan(ratio) || ratio > 2) {
        ratio = 2;
    }
    double target = ratio * pre + 1 - ratio;
    double m = t * -300 + 400;
    if (!(m > 0)) {
        return emax; /* the pull r f / m with f capped at m is all of r */
    }
    if (target > emax) {
        double r = target - emax;
        double f = 1 / (r * r);
        if (f > m || isnan(f)) {
            f = m;
        }
        target -= r * f / m;
    } else {
        target = emax;
    }
    return target;
}

/* This turn's targets and bid (respond and propose share them). */
static void ak_update(agentk *a, const pl_turn *tn)
{
    if (a->cached_turn == tn->turn) {
        return;
    }
    a->cached_turn = tn->turn;
    double t = tn->t;
    if (a->k2 && a->discount < 1) {
        t /= a->discount;
    }
    double mu = pl__anac_hist_mean(&a->hist);
    double dev = sqrt(pl__anac_hist_var(&a->hist) * 12);
    if (dev > 1) {
        dev = 1;
    }
    double emax = mu + (1 - mu) * dev;
    double tau = a->tremor;
    double alpha = 1 + tau + 10 * mu - 2 * tau * mu;
    double beta = alpha + pl__rand_unit(&a->rng) * tau - tau / 2;
    a->emax = emax;
    a->alpha = alpha;
    if (a->hist.n == 0) {
        a->target = a->bid_target = a->core.best;
    } else {
        a->target = pl__agentk_target(t, alpha, emax, dev);
        a->bid_target = pl__agentk_target(t, beta, emax, dev);
    }
    /* The original searches 500 random outcomes for one at or above the bid target and lowers the target by 0.01
     * after every fruitless batch. Emulated exactly in distribution without drawing: with K of n outcomes at or
     * above the target a batch finds one with probability 1 - (1 - K/n)^500, and then a uniform one of the K. */
    double bt = a->bid_target;
    double n = (double)a->core.n;
    if (isnan(bt)) {
        bt = a->core.best;
    }
    for (;;) {
        long hi = pl_sorted_rank_at_least(a->core.sorted, bt, a->core.hint);
        if (hi >= 0) {
            a->core.hint = (size_t)hi;
            double k = (double)(hi + 1);
            double q = k >= n ? 1.0 : -expm1(AK_BATCH * log1p(-k / n));
            if (pl__rand_unit(&a->rng) < q) {
                a->cached_rank = (size_t)(pl__rand_unit(&a->rng) * k);
                break;
            }
        }
        bt -= 0.01;
    }
    a->bid_target = bt;
}

static int ak_respond(void *self, const pl_turn *tn, pl_response *resp, pl_diag *d)
{
    agentk *a = self;
    ak_update(a, tn);
    double u = pl_ufun_eval(a->core.u, tn->offer);
    double p;
    if (u >= a->target) {
        p = 1;
    } else {
        double t = a->k2 && a->discount < 1 ? tn->t / a->discount : tn->t;
        p = pow(t, a->alpha) / 5 + (u - a->emax) + (u - a->target);
        if (p < 0.1) {
            p = 0;
        }
    }
    *resp = p > 0 && pl__rand_unit(&a->rng) < p ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT;
    return 0;
}

static int ak_propose(void *self, const pl_turn *tn, uint32_t *outcome, pl_diag *d)
{
    agentk *a = self;
    ak_update(a, tn);
    /* An offer of the opponent's at least as good as the bid found is offered back instead. */
    if (a->hist.n > 0 && a->hist.best_u >= a->bid_target) {
        memcpy(outcome, a->hist.best, a->ni * sizeof *outcome);
    } else {
        pl_sorted_outcome(a->core.sorted, a->cached_rank, outcome);
    }
    return 0;
}

static const pl_param_spec ak_params[] = {
    {"tremor", PL_PARAM_DOUBLE, "2", 0, 100, "tau: alpha = 1 + tau + 10 mu - 2 tau mu; bids shake alpha by +-tau/2"},
    {"k2", PL_PARAM_INT, "0", 0, 1, "1: Agent K2's variant (ANAC 2011)"},
};
static const pl_param_spec ak2_params[] = {
    {"tremor", PL_PARAM_DOUBLE, "2", 0, 100, "tau: alpha = 1 + tau + 10 mu - 2 tau mu; bids shake alpha by +-tau/2"},
    {"k2", PL_PARAM_INT, "1", 0, 1, "1: Agent K2's variant (ANAC 2011)"},
};

const pl_agent_type pl__agent_agentk = {
    PL_AGENT_API_VERSION, "agentk",
    "ANAC 2010 winner (Kawaguchi et al.): target from the estimated best opponent offer, probabilistic acceptance",
    ak_params, sizeof ak_params / sizeof ak_params[0], ak_start, ak_respond, ak_propose, ak_observe, ak_free, NULL};

const pl_agent_type pl__agent_agentk2 = {
    PL_AGENT_API_VERSION, "agentk2",
    "ANAC 2011 (Kawaguchi et al.): Agent K's successor, estimated best opponent offer, probabilistic acceptance",
    ak2_params, sizeof ak2_params / sizeof ak2_params[0], ak_start, ak_respond, ak_propose, ak_observe, ak_free,
    NULL};
