/* Time-based concession (Faratin, Sierra & Jennings 1998, "Negotiation decision functions for autonomous agents"):
 * the target utility falls from the party's best utility to its reservation value as best - (best - rv) * t^(1/e).
 * e < 1 concedes late (Boulware), e = 1 linearly, e > 1 early (Conceder). The agent offers the outcome closest to the
 * target from above and accepts an offer at least as good as the one it would make next (AC_next), never below its
 * reservation value. */
#include <math.h>
#include <stdlib.h>

#include "agents/agents_internal.h"
#include "core/internal.h"

typedef struct timebased {
    pl__core core;
    double inv_e;
    uint64_t cached_turn; /* the turn whose next offer is cached (UINT64_MAX: none) */
    size_t cached_rank;
} timebased;

static int tb_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    timebased *a;
    int rc = pl__core_agent_new(sizeof *a, v, (void **)&a, d);
    if (rc < 0) {
        return rc;
    }
    a->inv_e = 1.0 / pl_params_double(v->params, "e");
    a->cached_turn = UINT64_MAX;
    *self = a;
    return 0;
}

/* The rank this agent offers at this turn (computed once per turn: respond and propose share it). */
static size_t next_rank(timebased *a, const pl_turn *tn)
{
    if (a->cached_turn != tn->turn) {
        double f = tn->t <= 0 ? 0 : tn->t >= 1 ? 1 : pow(tn->t, a->inv_e);
        a->cached_rank = pl__core_rank(&a->core, pl__core_curve(&a->core, f));
        a->cached_turn = tn->turn;
    }
    return a->cached_rank;
}

static int tb_respond(void *self, const pl_turn *tn, pl_response *resp, pl_diag *d)
{
    timebased *a = self;
    double mine = a->core.su[next_rank(a, tn)];
    double theirs = pl_ufun_eval(a->core.u, tn->offer);
    *resp = pl__core_acceptable(&a->core, theirs, mine) ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT;
    return 0;
}

static int tb_propose(void *self, const pl_turn *tn, uint32_t *outcome, pl_diag *d)
{
    timebased *a = self;
    pl_sorted_outcome(a->core.sorted, next_rank(a, tn), outcome);
    return 0;
}

static void tb_free(void *self)
{
    pl__free(self);
}

#define E_PARAM(def) \
    {"e", PL_PARAM_DOUBLE, def, 1e-3, 1e3, "concession exponent: target = best - (best - rv) * t^(1/e)"}

static const pl_param_spec timebased_params[] = {E_PARAM("1")};
static const pl_param_spec boulware_params[] = {E_PARAM("0.2")};
static const pl_param_spec linear_params[] = {E_PARAM("1")};
static const pl_param_spec conceder_params[] = {E_PARAM("2")};

#define TIMEBASED_TYPE(var, name, desc, params)                                                             \
    const pl_agent_type var = {PL_AGENT_API_VERSION, name, desc, params, 1, tb_start, tb_respond, tb_propose, \
                               NULL, tb_free, NULL}

TIMEBASED_TYPE(pl__agent_timebased, "timebased",
               "time-based concession (Faratin et al. 1998) with exponent e; AC_next acceptance", timebased_params);
TIMEBASED_TYPE(pl__agent_boulware, "boulware", "time-based, concedes late (e = 0.2); AC_next acceptance",
               boulware_params);
TIMEBASED_TYPE(pl__agent_linear, "linear", "time-based, concedes linearly (e = 1); AC_next acceptance",
               linear_params);
TIMEBASED_TYPE(pl__agent_conceder, "conceder", "time-based, concedes early (e = 2); AC_next acceptance",
               conceder_params);
