/* Nice Tit for Tat (ANAC 2011 finalist; Baarslag, Hindriks & Jonker 2013, "A tit for tat negotiation strategy for
 * real-time bilateral negotiations", in Complex Automated Negotiations, Springer SCI 435).
 * It reciprocates the opponent's concessions relative to the estimated Nash point: when the opponent's last offer has
 * moved a fraction c of the way from its first offer towards the Nash point, in the opponent's own utility as a
 * Bayesian opponent model (Hindriks & Tykhonov 2008; anac_bayes.c) estimates it, the agent moves the same fraction
 * from its best utility towards its Nash utility: target = best - c (best - nash), never below the Nash utility
 * ("nice"). The Nash point is the outcome maximising the product of the agent's utility (above its reservation value)
 * and the model's, over an even spread of ranks. Among the bids in [target, target + window] it offers the one the
 * model rates best. Acceptance: an offer at least as good as its next bid; in the final share of the time also one at
 * least as good as the best offer received so far. Nothing is conceded before the opponent's tenth offer (too few for
 * a model); the model's concession assumption and its noise are parameters (docs/agents.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agents/anac_internal.h"
#include "core/internal.h"

#define NT_SAMPLE 500  /* ranks (evenly spread) searched for the Nash point */
#define NT_SCAN 16     /* ranks above the target searched for the opponent's favourite */

typedef struct nicetft {
    pl__core core;
    pl__bayes_model bayes;
    pl__anac_hist hist;
    size_t ni;
    double window, endgame;
    uint64_t cached_turn;
    size_t cached_rank;
    double nash;         /* the agent's utility at the estimated Nash point */
    double nash_opp;     /* the model's utility there */
    uint32_t *first;     /* the opponent's first offer */
    uint64_t nash_at;    /* re-estimate it once this many offers are in (doubling) */
    uint32_t *tmp;
} nicetft;

static int nt_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    nicetft *a = pl__calloc(1, sizeof *a);
    if (!a) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *self = a;
    int rc = pl__core_init(&a->core, v, d);
    a->ni = pl_space_issue_count(v->space);
    if (rc < 0 || (rc = pl__anac_hist_init(&a->hist, a->ni, d)) < 0 ||
        (rc = pl__bayes_init(&a->bayes, v->space, pl_params_double(v->params, "drop"),
                             pl_params_double(v->params, "sigma"), d)) < 0) {
        return rc;
    }
    a->tmp = pl__calloc(a->ni ? a->ni : 1, sizeof *a->tmp);
    a->first = pl__calloc(a->ni ? a->ni : 1, sizeof *a->first);
    if (!a->tmp || !a->first) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    a->window = pl_params_double(v->params, "window");
    a->endgame = pl_params_double(v->params, "endgame");
    a->cached_turn = UINT64_MAX;
    return 0;
}

static void nt_free(void *self)
{
    nicetft *a = self;
    if (a) {
        pl__bayes_destroy(&a->bayes);
        pl__anac_hist_destroy(&a->hist);
        pl__free(a->tmp);
        pl__free(a->first);
        pl__free(a);
    }
}

static void nt_observe(void *self, const pl_event *ev)
{
    nicetft *a = self;
    if (ev->action == PL_ACTION_OFFER && ev->outcome) {
        if (a->hist.n == 0) {
            memcpy(a->first, ev->outcome, a->ni * sizeof *a->first);
        }
        /* A repeated offer adds no evidence about the opponent's preferences, only about its pace: the model learns
         * from each distinct consecutive offer (which also keeps a turn cheap against a Boulware opponent). */
        if (a->hist.n == 0 || memcmp(ev->outcome, a->hist.last, a->ni * sizeof *a->hist.last) != 0) {
            pl__bayes_update(&a->bayes, ev->outcome, ev->t);
        }
        pl__anac_hist_add(&a->hist, ev->outcome, pl_ufun_eval(a->core.u, ev->outcome));
    }
}

static double nt_opp(const nicetft *a, const uint32_t *o)
{
    return pl__bayes_eval(&a->bayes, o);
}

/* The agent's utility at the estimated Nash point: the product of its utility (above its reservation value) and the
 * model's, maximised over an even spread of ranks plus the opponent's best offer. */
static double nt_nash(nicetft *a)
{
    size_t n = a->core.n, step = n > NT_SAMPLE ? n / NT_SAMPLE : 1;
    double best = -1, at = a->core.best;
    a->nash_opp = 0;
    for (size_t r = 0; r < n; r += step) {
        double u = a->core.su[r] - a->core.rv;
        if (u <= 0) {
            break;
        }
        pl_sorted_outcome(a->core.sorted, r, a->tmp);
        double o = nt_opp(a, a->tmp);
        if (u * o > best) {
            best = u * o;
            at = a->core.su[r];
            a->nash_opp = o;
        }
    }
    double u = a->hist.best_u - a->core.rv, o = a->hist.n > 0 ? nt_opp(a, a->hist.best) : 0;
    if (a->hist.n > 0 && u > 0 && u * o > best) {
        at = a->hist.best_u;
        a->nash_opp = o;
    }
    return at;
}

double pl__nicetft_target(double best, double nash, double opp_first, double opp_last, double opp_nash,
                          uint64_t offers)
{
    /* With the Nash point at or above the opponent's first offer (in its modelled utility) any move of the opponent
     * is a full concession; no move, none. */
    double c = opp_first > opp_nash + 1e-9 ? (opp_first - opp_last) / (opp_first - opp_nash)
                                            : opp_last < opp_first - 1e-9 ? 1.0 : 0.0;
    c = offers < 10 ? 0 : c < 0 ? 0 : c > 1 ? 1 : c;
    return best - c * (best - nash);
}

static void nt_next(nicetft *a, const pl_turn *tn)
{
    if (a->cached_turn == tn->turn) {
        return;
    }
    a->cached_turn = tn->turn;
    if (a->hist.n == 0) {
        a->cached_rank = 0;
        a->nash = a->core.best;
        return;
    }
    if (a->hist.n >= a->nash_at) {
        a->nash = nt_nash(a);
        a->nash_at = a->hist.n < 10 ? 10 : 2 * a->hist.n; /* at 10, 20, 40, ... offers */
    }
    double target = pl__nicetft_target(a->core.best, a->nash, nt_opp(a, a->first), nt_opp(a, a->hist.last),
                                       a->nash_opp, a->hist.n);
    long hi = pl_sorted_rank_at_least(a->core.sorted, target, a->core.hint);
    size_t r = hi < 0 ? 0 : (size_t)hi;
    a->core.hint = r;
    /* The model's favourite among the bids in [target, target + window]. */
    long top = pl_sorted_rank_at_least(a->core.sorted, target + a->window, r);
    size_t lo = top < 0 ? 0 : (size_t)top;
    if (lo > r) {
        lo = r;
    }
    if (r + 1 - lo > NT_SCAN) {
        lo = r + 1 - NT_SCAN;
    }
    size_t pick = lo;
    double pv = -1;
    for (size_t k = lo; k <= r && k - lo < NT_SCAN; k++) {
        pl_sorted_outcome(a->core.sorted, k, a->tmp);
        double o = nt_opp(a, a->tmp);
        if (o > pv + 1e-12) {
            pv = o;
            pick = k;
        }
    }
    a->cached_rank = pick;
}

static int nt_respond(void *self, const pl_turn *tn, pl_response *resp, pl_diag *d)
{
    nicetft *a = self;
    nt_next(a, tn);
    double u = pl_ufun_eval(a->core.u, tn->offer);
    int ok = u >= a->core.su[a->cached_rank];
    if (!ok && tn->t >= 1 - a->endgame && u >= a->hist.best_u) {
        ok = 1;
    }
    *resp = ok ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT;
    return 0;
}

static int nt_propose(void *self, const pl_turn *tn, uint32_t *outcome, pl_diag *d)
{
    nicetft *a = self;
    nt_next(a, tn);
    pl_sorted_outcome(a->core.sorted, a->cached_rank, outcome);
    return 0;
}

static const pl_param_spec nt_params[] = {
    {"window", PL_PARAM_DOUBLE, "0.02", 0, 1, "own-utility window above the target searched for the opponent's best"},
    {"endgame", PL_PARAM_DOUBLE, "0.02", 0, 1, "final share of the time in which the best offer so far is accepted"},
    {"drop", PL_PARAM_DOUBLE, "0.5", 0, 1, "Bayesian model: the opponent's offers are assumed worth 1 - drop * t to it"},
    {"sigma", PL_PARAM_DOUBLE, "0.1", 1e-3, 10, "Bayesian model: the noise around that assumption"},
};

const pl_agent_type pl__agent_nicetitfortat = {
    PL_AGENT_API_VERSION, "nicetitfortat",
    "ANAC 2011 (Baarslag et al.): reciprocates the opponent's concessions towards the estimated Nash point",
    nt_params, sizeof nt_params / sizeof nt_params[0], nt_start, nt_respond, nt_propose, nt_observe, nt_free, NULL};
