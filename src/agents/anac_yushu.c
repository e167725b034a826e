/* Yushu (ANAC 2010 finalist; An & Lesser 2012, "Yushu: a heuristic-based agent for automated negotiating
 * competition", in New Trends in Agent-Based Complex Automated Negotiations, Springer SCI 383).
 * A tough, time-based agent whose concession is bounded by what the opponent has offered: its target falls from its
 * best utility towards the best utility the opponent has offered so far, b, as target = b + (best - b) (1 - t^k), never
 * below a floor (its reservation value, at least min). Bids: among its outcomes in [target, target + window], the one
 * a frequency opponent model rates best. Acceptance: an offer at or above the target, or, in the final share of the
 * time, the best offer received so far. k and window were fitted to the GENIUS original's sessions
 * (docs/agents.md); the paper's estimate of the rounds left from the time per round is not needed with a round
 * deadline. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agents/anac_internal.h"
#include "core/internal.h"

#define YU_SCAN 16 /* ranks just above the target scored by the model */

typedef struct yushu {
    pl__core core;
    pl__freq_model model;
    pl__anac_hist hist;
    size_t ni;
    double k, window, minu, endgame;
    uint64_t cached_turn;
    size_t cached_rank;
    double target;
    uint32_t *tmp;
} yushu;

static int yu_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    yushu *a = pl__calloc(1, sizeof *a);
    if (!a) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *self = a;
    int rc = pl__core_init(&a->core, v, d);
    a->ni = pl_space_issue_count(v->space);
    if (rc < 0 || (rc = pl__freq_init(&a->model, v->space, 1, 0.2, d)) < 0 ||
        (rc = pl__anac_hist_init(&a->hist, a->ni, d)) < 0) {
        return rc;
    }
    a->tmp = pl__calloc(a->ni ? a->ni : 1, sizeof *a->tmp);
    if (!a->tmp) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    a->k = pl_params_double(v->params, "k");
    a->window = pl_params_double(v->params, "window");
    a->minu = pl_params_double(v->params, "min");
    a->endgame = pl_params_double(v->params, "endgame");
    a->cached_turn = UINT64_MAX;
    return 0;
}

static void yu_free(void *self)
{
    yushu *a = self;
    if (a) {
        pl__freq_destroy(&a->model);
        pl__anac_hist_destroy(&a->hist);
        pl__free(a->tmp);
        pl__free(a);
    }
}

static void yu_observe(void *self, const pl_event *ev)
{
    yushu *a = self;
    if (ev->action == PL_ACTION_OFFER && ev->outcome) {
        pl__freq_update(&a->model, 0, ev->outcome);
        pl__anac_hist_add(&a->hist, ev->outcome, pl_ufun_eval(a->core.u, ev->outcome));
    }
}

double pl__yushu_target(double best, double b, double t, double k)
{
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double target = b + (best - b) * (1 - pow(t, k));
    return target > best ? best : target;
}

static void yu_next(yushu *a, const pl_turn *tn)
{
    if (a->cached_turn == tn->turn) {
        return;
    }
    a->cached_turn = tn->turn;
    double best = a->core.best;
    double b = a->hist.n ? a->hist.best_u : 0;
    double floor = a->core.rv > a->minu ? a->core.rv : a->minu;
    b = b > floor ? b : floor;
    a->target = pl__yushu_target(best, b, tn->t, a->k);
    long hi = pl_sorted_rank_at_least(a->core.sorted, a->target, a->core.hint);
    size_t r = hi < 0 ? 0 : (size_t)hi;
    a->core.hint = r;
    long top = pl_sorted_rank_at_least(a->core.sorted, a->target + a->window, r);
    size_t lo = top < 0 ? 0 : (size_t)top;
    lo = lo > r ? r : lo;
    if (r + 1 - lo > YU_SCAN) {
        lo = r + 1 - YU_SCAN;
    }
    a->cached_rank = a->hist.n ? pl__anac_best_for_opponent(a->core.sorted, &a->model, 0, lo, r + 1, YU_SCAN, a->tmp)
                               : 0;
}

static int yu_respond(void *self, const pl_turn *tn, pl_response *resp, pl_diag *d)
{
    yushu *a = self;
    yu_next(a, tn);
    double u = pl_ufun_eval(a->core.u, tn->offer);
    int ok = u >= a->target || u >= a->core.su[a->cached_rank];
    if (!ok && tn->t >= 1 - a->endgame && u >= a->hist.best_u && u >= a->core.rv) {
        ok = 1;
    }
    *resp = ok ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT;
    return 0;
}

static int yu_propose(void *self, const pl_turn *tn, uint32_t *outcome, pl_diag *d)
{
    yushu *a = self;
    yu_next(a, tn);
    pl_sorted_outcome(a->core.sorted, a->cached_rank, outcome);
    return 0;
}

static const pl_param_spec yu_params[] = {
    {"k", PL_PARAM_DOUBLE, "1", 1e-3, 1e3, "concession exponent: target = b + (best - b) (1 - t^k)"},
    {"window", PL_PARAM_DOUBLE, "0.05", 0, 1, "own-utility window above the target searched for the opponent's best"},
    {"min", PL_PARAM_DOUBLE, "0", 0, 1, "lowest target (the reservation value when higher)"},
    {"endgame", PL_PARAM_DOUBLE, "0.01", 0, 1, "final share of the time in which the best offer so far is accepted"},
};

const pl_agent_type pl__agent_yushu = {
    PL_AGENT_API_VERSION, "yushu",
    "ANAC 2010 (An & Lesser): tough time-based target bounded by the opponent's best offer",
    yu_params, sizeof yu_params / sizeof yu_params[0], yu_start, yu_respond, yu_propose, yu_observe, yu_free, NULL};
