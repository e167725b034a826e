/* Random: offers an outcome drawn uniformly from those it finds acceptable (utility >= its reservation value; its best
 * outcome when none is), and accepts an acceptable offer with probability p_accept. Every draw comes from the
 * session's seed, so a session is reproducible. */
#include <stdlib.h>

#include "agents/agents_internal.h"
#include "core/internal.h"

typedef struct random_agent {
    pl__core core;
    size_t n_ok; /* ranks 0 .. n_ok - 1 are acceptable (n_ok >= 1) */
    double p_accept;
    uint64_t rng;
} random_agent;

static int rnd_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    random_agent *a;
    int rc = pl__core_agent_new(sizeof *a, v, (void **)&a, d);
    if (rc < 0) {
        return rc;
    }
    long last = pl_sorted_rank_at_least(a->core.sorted, a->core.rv, 0);
    a->n_ok = last < 0 ? 1 : (size_t)last + 1;
    a->p_accept = pl_params_double(v->params, "p_accept");
    a->rng = v->seed;
    *self = a;
    return 0;
}

static int rnd_respond(void *self, const pl_turn *tn, pl_response *resp, pl_diag *d)
{
    random_agent *a = self;
    double theirs = pl_ufun_eval(a->core.u, tn->offer);
    /* Draw only for acceptable offers: p_accept = 1 then accepts every one, p_accept = 0 none. */
    int ok = theirs >= a->core.rv && pl__rand_unit(&a->rng) < a->p_accept;
    *resp = ok ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT;
    return 0;
}

static int rnd_propose(void *self, const pl_turn *tn, uint32_t *outcome, pl_diag *d)
{
    random_agent *a = self;
    size_t k = (size_t)(pl__rand_unit(&a->rng) * (double)a->n_ok);
    pl_sorted_outcome(a->core.sorted, k < a->n_ok ? k : a->n_ok - 1, outcome);
    return 0;
}

static void rnd_free(void *self)
{
    pl__free(self);
}

static const pl_param_spec random_params[] = {
    {"p_accept", PL_PARAM_DOUBLE, "0.5", 0, 1,
     "probability of accepting an offer worth at least the reservation value"},
};

const pl_agent_type pl__agent_random = {PL_AGENT_API_VERSION,
                                        "random",
                                        "offers uniformly random acceptable outcomes; accepts acceptable offers with "
                                        "probability p_accept",
                                        random_params,
                                        1,
                                        rnd_start,
                                        rnd_respond,
                                        rnd_propose,
                                        NULL,
                                        rnd_free,
                                        NULL};
