/* HardHeaded (ANAC 2011 winner; van Krimpen, Looije & Hajizadeh 2013, "HardHeaded", in Complex Automated
 * Negotiations, Springer SCI 435; its parts as described by Baarslag et al. 2014, "Decoupling negotiating agents").
 * Bidding: a Boulware concession limit p(t) = m + (1 - F(t)) (best - m), F(t) = ka + (1 - ka) t^(1/e), ka = e = 0.05,
 * m = 0.585; in a discounted domain (d < 0.9) the curve is compressed into [0, d] with its floor raised to
 * m + (best - m) d, and after d it falls from there to m with e = 30. Above the limit the agent walks down its own
 * outcomes one utility level at a time, offering from each window of 0.01 the bids its frequency opponent model rates
 * best; once the next level is below the limit it offers one of the four bids at or above the limit the model rates
 * best, at random. Acceptance: an offer better than the lowest utility it has offered so far. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agents/anac_internal.h"
#include "core/internal.h"

#define HH_QUEUE 16    /* at most this many bids queued from one window */
#define HH_SCAN 64     /* ranks scanned for the model's favourites at the limit */
#define HH_WINDOW 32   /* ranks of one step's window scored by the model */

typedef struct scored {
    size_t rank;
    double v;
} scored;

typedef struct hardheaded {
    pl__core core;
    pl__freq_model model;
    pl__anac_hist hist;
    size_t ni;
    uint64_t rng;
    double ka, e, minu, tol, dthr, discount;
    size_t top;
    double lowest;              /* lowest utility offered so far */
    int offered;                /* 1 once the first bid is out */
    size_t queue[HH_QUEUE], qhead, qlen;
    uint64_t cached_turn;
    int cached_kind;            /* 0: a rank of the sorted list, 1: the opponent's best offer */
    size_t cached_rank;
    uint32_t *tmp;
    struct scored *scratch;     /* HH_SCAN entries */
} hardheaded;

double pl__hardheaded_limit(double t, double best, double discount, double ka, double e, double minu, double dthr)
{
    double span = fabs(best - minu);
    if (discount >= dthr) {
        double x = t / discount;
        x = x > 1 ? 1 : x;
        double f = ka + (1 - ka) * pow(x, 1.0 / e);
        return minu + (1 - f) * (best - minu);
    }
    if (t <= discount) {
        double f = ka + (1 - ka) * pow(t / discount, discount / e);
        double lo = minu + span * discount;
        return lo + (1 - f) * (best - lo);
    }
    double f = ka + (1 - ka) * pow((t - discount) / (1 - discount), 1.0 / 30.0);
    double hi = minu + span * discount;
    return minu + (1 - f) * (hi - minu);
}

static double hh_limit(const hardheaded *a, double t)
{
    return pl__hardheaded_limit(t, a->core.best, a->discount, a->ka, a->e, a->minu, a->dthr);
}

static int hh_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    hardheaded *a = pl__calloc(1, sizeof *a);
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
    a->scratch = pl__calloc(HH_SCAN, sizeof *a->scratch);
    if (!a->tmp || !a->scratch) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    a->rng = v->seed;
    a->ka = pl_params_double(v->params, "ka");
    a->e = pl_params_double(v->params, "e");
    a->minu = pl_params_double(v->params, "min");
    a->tol = pl_params_double(v->params, "window");
    a->top = (size_t)pl_params_int(v->params, "top");
    a->dthr = 0.9;
    a->discount = pl_ufun_discount_effective(v->ufun);
    a->lowest = a->core.best;
    a->cached_turn = UINT64_MAX;
    return 0;
}

static void hh_free(void *self)
{
    hardheaded *a = self;
    if (a) {
        pl__freq_destroy(&a->model);
        pl__anac_hist_destroy(&a->hist);
        pl__free(a->tmp);
        pl__free(a->scratch);
        pl__free(a);
    }
}

static void hh_observe(void *self, const pl_event *ev)
{
    hardheaded *a = self;
    if (ev->action == PL_ACTION_OFFER && ev->outcome) {
        pl__freq_update(&a->model, 0, ev->outcome);
        pl__anac_hist_add(&a->hist, ev->outcome, pl_ufun_eval(a->core.u, ev->outcome));
    }
}


static int scored_desc(const void *x, const void *y)
{
    const scored *p = x, *q = y;
    if (p->v != q->v) {
        return p->v > q->v ? -1 : 1;
    }
    return p->rank < q->rank ? -1 : p->rank > q->rank;
}

/* Score ranks [lo, hi) (at most cap of them, from lo) with the opponent model, best first, into out; returns how many. */
static size_t hh_score(hardheaded *a, size_t lo, size_t hi, size_t cap, scored *out)
{
    size_t k = 0;
    for (size_t r = lo; r < hi && k < cap; r++, k++) {
        pl_sorted_outcome(a->core.sorted, r, a->tmp);
        out[k].rank = r;
        out[k].v = pl__anac_freq_eval(&a->model, 0, a->tmp);
    }
    qsort(out, k, sizeof *out, scored_desc);
    return k;
}

/* The rank of the next bid (one per turn: respond and propose share it). */
static void hh_next(hardheaded *a, const pl_turn *tn)
{
    if (a->cached_turn == tn->turn) {
        return;
    }
    a->cached_turn = tn->turn;
    a->cached_kind = 0;
    const double *su = a->core.su;
    size_t n = a->core.n;
    if (!a->offered) {
        a->cached_rank = 0;
        return;
    }
    if (a->qlen == 0) {
        double p = hh_limit(a, tn->t);
        long at = pl_sorted_rank_at_least(a->core.sorted, a->lowest, a->core.hint);
        size_t g = at < 0 ? 0 : (size_t)at + 1; /* the first rank below the lowest utility offered */
        if (g < n && su[g] >= p) {
            /* One more step down: the bids of the window [u(g) - tol, u(g)], the model's favourites first. */
            a->core.hint = g;
            size_t hi = g;
            while (hi < n && su[hi] > su[g] - a->tol && hi - g < HH_WINDOW) {
                hi++;
            }
            scored s[HH_WINDOW];
            size_t k = hh_score(a, g, hi, HH_WINDOW, s);
            k = k < a->top ? k : a->top;
            k = k < HH_QUEUE ? k : HH_QUEUE;
            for (size_t j = 0; j < k; j++) {
                a->queue[j] = s[j].rank;
            }
            a->qhead = 0;
            a->qlen = k;
        } else {
            /* At the limit: the model's top bids among the HH_SCAN closest at or above it, each turn one of them at
             * random (the list is re-scored every `top` turns). */
            long lim = pl_sorted_rank_at_least(a->core.sorted, p, a->core.hint);
            size_t hi = lim < 0 ? 1 : (size_t)lim + 1;
            size_t lo = hi > HH_SCAN ? hi - HH_SCAN : 0;
            scored *s = a->scratch;
            size_t k = hh_score(a, lo, hi, HH_SCAN, s);
            size_t top = k < a->top ? k : a->top;
            top = top < HH_QUEUE ? top : HH_QUEUE;
            for (size_t j = 0; j < top; j++) {
                a->queue[j] = s[(size_t)(pl__rand_unit(&a->rng) * (double)top)].rank;
            }
            a->qhead = 0;
            a->qlen = top ? top : 1;
            if (!top) {
                a->queue[0] = 0;
            }
        }
    }
    a->cached_rank = a->queue[a->qhead];
    /* The opponent's best offer when it is at least as good as the bid chosen. */
    if (a->hist.n > 0 && a->hist.best_u >= su[a->cached_rank]) {
        a->cached_kind = 1;
    }
}

static double hh_next_utility(const hardheaded *a)
{
    return a->cached_kind ? a->hist.best_u : a->core.su[a->cached_rank];
}

static int hh_respond(void *self, const pl_turn *tn, pl_response *resp, pl_diag *d)
{
    hardheaded *a = self;
    hh_next(a, tn);
    double u = pl_ufun_eval(a->core.u, tn->offer);
    double lowest = a->lowest < hh_next_utility(a) ? a->lowest : hh_next_utility(a);
    *resp = a->offered && u >= lowest ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT;
    return 0;
}

static int hh_propose(void *self, const pl_turn *tn, uint32_t *outcome, pl_diag *d)
{
    hardheaded *a = self;
    hh_next(a, tn);
    if (a->cached_kind) {
        memcpy(outcome, a->hist.best, a->ni * sizeof *outcome);
    } else {
        pl_sorted_outcome(a->core.sorted, a->cached_rank, outcome);
    }
    double u = hh_next_utility(a);
    a->lowest = u < a->lowest ? u : a->lowest;
    if (a->offered && a->qlen > 0) {
        a->qhead++;
        a->qlen--;
    }
    a->offered = 1;
    return 0;
}

static const pl_param_spec hh_params[] = {
    {"ka", PL_PARAM_DOUBLE, "0.05", 0, 1, "initial concession share: F(t) = ka + (1 - ka) t^(1/e)"},
    {"e", PL_PARAM_DOUBLE, "0.05", 1e-3, 1e3, "concession exponent (Boulware for e < 1)"},
    {"min", PL_PARAM_DOUBLE, "0.585", 0, 1, "the lowest utility it concedes to"},
    {"window", PL_PARAM_DOUBLE, "0.01", 0, 1, "utility window of one step down"},
    {"top", PL_PARAM_INT, "4", 1, 16, "bids the opponent model picks from at the limit"},
    {"learning", PL_PARAM_DOUBLE, "0.2", 0, 1e3, "frequency model: weight added to an issue the opponent keeps"},
};

const pl_agent_type pl__agent_hardheaded = {
    PL_AGENT_API_VERSION, "hardheaded",
    "ANAC 2011 winner (van Krimpen et al.): Boulware limit, frequency opponent model, accepts at or above its lowest bid",
    hh_params, sizeof hh_params / sizeof hh_params[0], hh_start, hh_respond, hh_propose, hh_observe, hh_free, NULL};
