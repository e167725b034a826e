/* Nice Tit for Tat (ANAC 2011 finalist; Baarslag, Hindriks & Jonker 2013, "A tit for tat negotiation strategy for
 * real-time bilateral negotiations", in Complex Automated Negotiations, Springer SCI 435).
 * It reciprocates the opponent's concessions, measured relative to the estimated Nash point: when the opponent's offers
 * have moved a fraction c of the way from its first offer towards the Nash point (in the agent's own utility), the
 * agent moves the same fraction from its best utility towards its Nash utility: target = best - c (best - nash), and
 * never below the Nash utility ("nice"). The Nash point is estimated from an opponent model as the outcome maximising
 * the product of the agent's utility (above its reservation value) and the model's, the model's values shrunk towards
 * a prior (prior + (1 - prior) * estimate) so that values the opponent has not offered yet still count; among the bids just above the target it offers the one the model
 * rates best. Acceptance: an offer at least as good as its next bid; in the last 2% of the time also one at least as
 * good as the best offer received so far. The original models the opponent with the Bayesian model of Hindriks &
 * Tykhonov (2008); parley uses the frequency model (docs/agents.md), and concedes nothing before the opponent's tenth
 * offer (too few for a model). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agents/anac_internal.h"
#include "core/internal.h"

#define NT_SAMPLE 500  /* ranks (evenly spread) searched for the Nash point */
#define NT_SCAN 16     /* ranks above the target searched for the opponent's favourite */

typedef struct nicetft {
    pl__core core;
    pl__freq_model model;
    pl__anac_hist hist;
    size_t ni;
    double window, endgame, prior;
    uint64_t cached_turn;
    size_t cached_rank;
    double nash;         /* the agent's utility at the estimated Nash point */
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
    if (rc < 0 || (rc = pl__freq_init(&a->model, v->space, 1, pl_params_double(v->params, "learning"), d)) < 0 ||
        (rc = pl__anac_hist_init(&a->hist, a->ni, d)) < 0) {
        return rc;
    }
    a->tmp = pl__calloc(a->ni ? a->ni : 1, sizeof *a->tmp);
    if (!a->tmp) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    a->window = pl_params_double(v->params, "window");
    a->endgame = pl_params_double(v->params, "endgame");
    a->prior = pl_params_double(v->params, "prior");
    a->cached_turn = UINT64_MAX;
    return 0;
}

static void nt_free(void *self)
{
    nicetft *a = self;
    if (a) {
        pl__freq_destroy(&a->model);
        pl__anac_hist_destroy(&a->hist);
        pl__free(a->tmp);
        pl__free(a);
    }
}

static void nt_observe(void *self, const pl_event *ev)
{
    nicetft *a = self;
    if (ev->action == PL_ACTION_OFFER && ev->outcome) {
        pl__freq_update(&a->model, 0, ev->outcome);
        pl__anac_hist_add(&a->hist, ev->outcome, pl_ufun_eval(a->core.u, ev->outcome));
    }
}

/* The agent's utility at the estimated Nash point: the product of its utility (above its reservation value) and the
 * model's, maximised over an even spread of ranks plus the opponent's best offer. */
static double nt_nash(nicetft *a)
{
    size_t n = a->core.n, step = n > NT_SAMPLE ? n / NT_SAMPLE : 1;
    double best = -1, at = a->core.best;
    for (size_t r = 0; r < n; r += step) {
        double u = a->core.su[r] - a->core.rv;
        if (u <= 0) {
            break;
        }
        pl_sorted_outcome(a->core.sorted, r, a->tmp);
        double p = u * (a->prior + (1 - a->prior) * pl__anac_freq_eval(&a->model, 0, a->tmp));
        if (p > best) {
            best = p;
            at = a->core.su[r];
        }
    }
    double u = a->hist.best_u - a->core.rv;
    if (a->hist.n > 0 && u > 0 &&
        u * (a->prior + (1 - a->prior) * pl__anac_freq_eval(&a->model, 0, a->hist.best)) > best) {
        at = a->hist.best_u;
    }
    return at;
}

double pl__nicetft_target(double best, double nash, double first, double best_offer, uint64_t offers)
{
    double c = nash > first ? (best_offer - first) / (nash - first) : 1.0;
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
    double target = pl__nicetft_target(a->core.best, a->nash, a->hist.first_u, a->hist.best_u, a->hist.n);
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
    a->cached_rank = pl__anac_best_for_opponent(a->core.sorted, &a->model, 0, lo, r + 1, NT_SCAN, a->tmp);
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
    {"learning", PL_PARAM_DOUBLE, "0.2", 0, 1e3, "frequency model: weight added to an issue the opponent keeps"},
    {"prior", PL_PARAM_DOUBLE, "0.4", 0, 1, "opponent utility = prior + (1 - prior) * frequency model (Nash estimate)"},
};

const pl_agent_type pl__agent_nicetitfortat = {
    PL_AGENT_API_VERSION, "nicetitfortat",
    "ANAC 2011 (Baarslag et al.): reciprocates the opponent's concessions towards the estimated Nash point",
    nt_params, sizeof nt_params / sizeof nt_params[0], nt_start, nt_respond, nt_propose, nt_observe, nt_free, NULL};
