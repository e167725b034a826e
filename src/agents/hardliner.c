/* Hardliner: never concedes. It always offers its best outcome (rank 0 of its sorted list) and accepts only an offer
 * worth at least its best utility (and at least its reservation value). */
#include <stdlib.h>

#include "agents/agents_internal.h"
#include "core/internal.h"

static int hl_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    return pl__core_agent_new(sizeof(pl__core), v, self, d);
}

static int hl_respond(void *self, const pl_turn *tn, pl_response *resp, pl_diag *d)
{
    const pl__core *c = self;
    double theirs = pl_ufun_eval(c->u, tn->offer);
    *resp = pl__core_acceptable(c, theirs, c->best) ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT;
    return 0;
}

static int hl_propose(void *self, const pl_turn *tn, uint32_t *outcome, pl_diag *d)
{
    const pl__core *c = self;
    pl_sorted_outcome(c->sorted, 0, outcome);
    return 0;
}

static void hl_free(void *self)
{
    pl__free(self);
}

const pl_agent_type pl__agent_hardliner = {
    PL_AGENT_API_VERSION,
    "hardliner",
    "never concedes: always offers its best outcome, accepts only its best utility",
    NULL,
    0,
    hl_start,
    hl_respond,
    hl_propose,
    NULL,
    hl_free,
    NULL};
