/* Aspiration: the aspiration level a(t) = best - (best - rv) * t^exponent falls from the best utility to the
 * reservation value; the agent offers a seeded random outcome worth between a(t) and a(t) + tolerance (the closest
 * outcome above a(t) when there is none) and accepts an offer worth at least a(t). The outcomes in the window are a
 * contiguous range of the sorted list, found with two galloping searches. */
#include <math.h>
#include <stdlib.h>

#include "agents/agents_internal.h"
#include "core/internal.h"

typedef struct aspiration {
    pl__core core;
    double exponent, tol;
    uint64_t rng;
    uint64_t cached_turn; /* the turn whose level is cached (UINT64_MAX: none) */
    double level;         /* a(t) at cached_turn */
    size_t hint_top;      /* search hint for a(t) + tolerance */
} aspiration;

static int asp_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    aspiration *a;
    int rc = pl__core_agent_new(sizeof *a, v, (void **)&a, d);
    if (rc < 0) {
        return rc;
    }
    a->exponent = pl_params_double(v->params, "exponent");
    a->tol = pl_params_double(v->params, "tolerance");
    a->rng = v->seed;
    a->cached_turn = UINT64_MAX;
    *self = a;
    return 0;
}

/* a(t), computed once per turn (respond and propose share it). */
static double level(aspiration *a, const pl_turn *tn)
{
    if (a->cached_turn != tn->turn) {
        double f = tn->t <= 0 ? 0 : tn->t >= 1 ? 1 : pow(tn->t, a->exponent);
        a->level = pl__core_curve(&a->core, f);
        a->cached_turn = tn->turn;
    }
    return a->level;
}

static int asp_respond(void *self, const pl_turn *tn, pl_response *resp, pl_diag *d)
{
    aspiration *a = self;
    double theirs = pl_ufun_eval(a->core.u, tn->offer);
    *resp = pl__core_acceptable(&a->core, theirs, level(a, tn)) ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT;
    return 0;
}

static int asp_propose(void *self, const pl_turn *tn, uint32_t *outcome, pl_diag *d)
{
    aspiration *a = self;
    double lo = level(a, tn), hi = lo + a->tol;
    /* last: the lowest-ranked outcome worth >= a(t); a(t) <= best, so it exists. */
    long last = pl_sorted_rank_at_least(a->core.sorted, lo, a->core.hint);
    size_t rank;
    if (last < 0) {
        rank = 0;
    } else {
        a->core.hint = (size_t)last;
        /* first: the highest-ranked outcome worth <= a(t) + tolerance. */
        long above = pl_sorted_rank_at_least(a->core.sorted, hi, a->hint_top);
        size_t first;
        if (above < 0) {
            first = 0;
        } else {
            a->hint_top = (size_t)above;
            first = a->core.su[above] > hi ? (size_t)above + 1 : pl_sorted_group_first(a->core.sorted, (size_t)above);
        }
        if (first > (size_t)last) {
            rank = pl_sorted_group_first(a->core.sorted, (size_t)last); /* the window is empty: closest from above */
        } else {
            size_t span = (size_t)last - first + 1;
            size_t k = (size_t)(pl__rand_unit(&a->rng) * (double)span);
            rank = first + (k < span ? k : span - 1);
        }
    }
    pl_sorted_outcome(a->core.sorted, rank, outcome);
    return 0;
}

static void asp_free(void *self)
{
    pl__free(self);
}

static const pl_param_spec aspiration_params[] = {
    {"exponent", PL_PARAM_DOUBLE, "2", 1e-9, 100,
     "aspiration curve: a(t) = best - (best - rv) * t^exponent (> 1 concedes late)"},
    {"tolerance", PL_PARAM_DOUBLE, "0.01", 0, 1, "offers are drawn among outcomes worth a(t) to a(t) + tolerance"},
};

const pl_agent_type pl__agent_aspiration = {PL_AGENT_API_VERSION,
                                            "aspiration",
                                            "aspiration level best - (best - rv) * t^exponent; random offers just "
                                            "above it, accepts offers at or above it",
                                            aspiration_params,
                                            2,
                                            asp_start,
                                            asp_respond,
                                            asp_propose,
                                            NULL,
                                            asp_free,
                                            NULL};
