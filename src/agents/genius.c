/* GENIUS-compatible time-dependent agents: GENIUS 10.4's AbstractTimeDependentNegotiationParty (Boulware e = 0.2,
 * Conceder e = 2, and any e), reproduced action for action (docs/genius.md). In round r of N the target is
 * 1 - ((r - 1) / (N + 1))^(1/e), computed as GENIUS computes it; the agent offers the bid GENIUS's SortedOutcomeSpace
 * finds nearest to the target, and accepts only an offer strictly better than its own next bid. The reservation value
 * and the best utility play no part (unlike parley's own timebased agents). */
#include <math.h>
#include <stdlib.h>

#include "agents/agents_internal.h"
#include "agents/genius_sorted.h"
#include "core/internal.h"

/* The key of the GENIUS-ordered list in pl_agent_shared: one list per scenario and party, whatever e. */
static const char gsorted_key;

typedef struct genius_td {
    const pl__gsorted *g;
    const pl_ufun *u;
    double e;
    double total;         /* DiscreteTimeline's total rounds, N + 1 */
    double discount;      /* the effective discount factor */
    uint64_t cached_turn; /* the turn whose next bid is cached (UINT64_MAX: none) */
    size_t cached_rank;
} genius_td;

static int build_sorted(const pl_agent_view *v, void **data, pl_diag *d)
{
    pl__gsorted *g = NULL;
    int rc = pl__gsorted_build(v->space, v->ufun, &g, d);
    *data = g;
    return rc;
}

static void free_sorted(void *data)
{
    pl__gsorted_free(data);
}

static int gtd_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    if (v->rounds == 0) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "the GENIUS time-dependent agents need a round deadline");
    }
    void *data = NULL;
    int rc = pl_agent_shared(v, &gsorted_key, build_sorted, free_sorted, &data, d);
    if (rc < 0) {
        return rc;
    }
    genius_td *a = pl__calloc(1, sizeof *a);
    if (!a) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    a->g = data;
    a->u = v->ufun;
    a->e = pl_params_double(v->params, "e");
    a->total = (double)v->rounds + 1.0;
    a->discount = pl_ufun_discount_effective(v->ufun);
    a->cached_turn = UINT64_MAX;
    *self = a;
    return 0;
}

/* GENIUS's clock: DiscreteTimeline.getTime() = round / (N + 1), whatever the protocol's own time convention. */
static double genius_time(const genius_td *a, uint64_t round)
{
    double t = (double)round / a->total;
    return t > 1 ? 1 : t;
}

/* getTargetUtility: time and the 1/(N + 1) offset are separate doubles, subtracted; f(x) = x^(1/e), 0 for e = 0. */
static double target(const genius_td *a, uint64_t round)
{
    double offset = 1.0 / a->total;
    double f = a->e == 0 ? 0 : pow(genius_time(a, round) - offset, 1.0 / a->e);
    return 1.0 - f;
}

/* The rank of the bid this agent makes at this turn (respond and propose share it). */
static size_t next_rank(genius_td *a, const pl_turn *tn)
{
    if (a->cached_turn != tn->turn) {
        a->cached_rank = pl__gsorted_near(a->g->u, a->g->n, target(a, tn->round));
        a->cached_turn = tn->turn;
    }
    return a->cached_rank;
}

/* The offer on the table is the other parties' latest offer (GENIUS's lastReceivedBid): on a party's turn its own
 * offer is never on the table, since everyone else accepting it would have ended the session. GENIUS compares both
 * utilities discounted at the current time; a common factor can still turn a strict inequality into equality after
 * rounding, so the multiplication is kept. */
static int gtd_respond(void *self, const pl_turn *tn, pl_response *resp, pl_diag *d)
{
    genius_td *a = self;
    double c = pow(a->discount, genius_time(a, tn->round));
    double next = a->g->u[next_rank(a, tn)] * c;
    double last = pl_ufun_eval(a->u, tn->offer) * c;
    *resp = next < last ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT;
    return 0;
}

/* Before any offer GENIUS counts the last offer as 0, so a first mover always offers: propose without respond. */
static int gtd_propose(void *self, const pl_turn *tn, uint32_t *outcome, pl_diag *d)
{
    genius_td *a = self;
    pl__gsorted_outcome(a->g, next_rank(a, tn), outcome);
    return 0;
}

static void gtd_free(void *self)
{
    pl__free(self);
}

#define GENIUS_E_PARAM(def)                                                                                       \
    {"e", PL_PARAM_DOUBLE, def, 0, 1e3,                                                                            \
     "concession exponent: target = 1 - ((round - 1) / (rounds + 1))^(1/e); 0 never concedes"}

static const pl_param_spec timedependent_params[] = {GENIUS_E_PARAM("1")};
static const pl_param_spec boulware_params[] = {GENIUS_E_PARAM("0.2")};
static const pl_param_spec linear_params[] = {GENIUS_E_PARAM("1")};
static const pl_param_spec conceder_params[] = {GENIUS_E_PARAM("2")};

#define GENIUS_TYPE(var, name, desc, params)                                                                    \
    const pl_agent_type var = {PL_AGENT_API_VERSION, name, desc, params, 1, gtd_start, gtd_respond, gtd_propose, \
                               NULL, gtd_free, NULL}

GENIUS_TYPE(pl__agent_genius_timedependent, "genius-timedependent",
            "GENIUS 10.4's time-dependent party with exponent e, reproduced exactly (needs a round deadline)",
            timedependent_params);
GENIUS_TYPE(pl__agent_genius_boulware, "genius-boulware",
            "GENIUS 10.4's BoulwareNegotiationParty (e = 0.2), reproduced exactly (needs a round deadline)",
            boulware_params);
GENIUS_TYPE(pl__agent_genius_linear, "genius-linear",
            "GENIUS 10.4's time-dependent party with e = 1, reproduced exactly (needs a round deadline)",
            linear_params);
GENIUS_TYPE(pl__agent_genius_conceder, "genius-conceder",
            "GENIUS 10.4's ConcederNegotiationParty (e = 2), reproduced exactly (needs a round deadline)",
            conceder_params);
