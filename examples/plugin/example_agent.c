/* An example parley agent plug-in: "example-floor" concedes linearly in its own utility from its best outcome down
 * to a floor (a parameter), and accepts any offer at or above its current target. Under the single-text protocol
 * (--protocol single-text) it votes for a change that does not make the text worse for it, or that leaves the text
 * at or above its current target. Build it as a shared library against parley's headers only (the parley program
 * provides the functions it calls):
 *     cc -std=c11 -shared -fPIC -I/path/to/parley/include example_agent.c -o libexample_agent.so
 * and run it with: parley run SCENARIO --agent-lib ./libexample_agent.so --agents example-floor:floor=0.6,boulware */
#include <stdlib.h>

#include "parley/agent.h"

typedef struct floor_agent {
    const pl_ufun *ufun;
    const pl_sorted *sorted; /* shared, read-only: the party's outcomes by descending utility */
    double best, floor;
    size_t hint;
} floor_agent;

static double target(const floor_agent *a, double t)
{
    return a->best - (a->best - a->floor) * t;
}

static int floor_start(void **self, const pl_agent_view *view, pl_diag *d)
{
    floor_agent *a = calloc(1, sizeof *a);
    if (!a) {
        return PL_ENOMEM;
    }
    int rc = pl_agent_sorted(view, &a->sorted, d);
    if (rc < 0) {
        free(a);
        return rc;
    }
    a->ufun = view->ufun;
    a->best = pl_sorted_utilities(a->sorted)[0];
    a->floor = pl_params_double(view->params, "floor") * a->best;
    *self = a;
    return 0;
}

static int floor_respond(void *self, const pl_turn *turn, pl_response *response, pl_diag *d)
{
    floor_agent *a = self;
    (void)d;
    *response = pl_ufun_eval(a->ufun, turn->offer) >= target(a, turn->t) ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT;
    return 0;
}

static int floor_propose(void *self, const pl_turn *turn, uint32_t *outcome, pl_diag *d)
{
    floor_agent *a = self;
    (void)d;
    long rank = pl_sorted_rank_at_least(a->sorted, target(a, turn->t), a->hint);
    a->hint = rank < 0 ? 0 : (size_t)rank;
    pl_sorted_outcome(a->sorted, a->hint, outcome);
    return 0;
}

static int floor_vote(void *self, const pl_vote *vote, int *accept, pl_diag *d)
{
    floor_agent *a = self;
    (void)d;
    double proposed = pl_ufun_eval(a->ufun, vote->proposed);
    *accept = proposed >= pl_ufun_eval(a->ufun, vote->current) || proposed >= target(a, vote->t);
    return 0;
}

static void floor_free(void *self)
{
    free(self);
}

static const pl_param_spec floor_params[] = {
    {"floor", PL_PARAM_DOUBLE, "0.5", 0, 1, "lowest target, as a fraction of the best utility"},
};

static const pl_agent_type floor_type = {
    PL_AGENT_API_VERSION, "example-floor", "example plug-in: linear concession to a floor; accepts at its target",
    floor_params, 1, floor_start, floor_respond, floor_propose, NULL, floor_free, floor_vote,
};

/* parley calls this when it loads the library. */
int pl_plugin_register(pl_registry *r);

int pl_plugin_register(pl_registry *r)
{
    return pl_registry_add(r, &floor_type, NULL);
}
