/* Voters for the mediated single-text protocol (Klein, Faratin, Sayama & Bar-Yam 2003, "Negotiating complex
 * contracts"): the hill-climber accepts a change that does not make the text worse for it; the annealer also accepts
 * worse texts, with a probability that falls to 0 as the deadline nears. Both veto any text that breaks one of
 * their red lines, even when the current text breaks one too. They only vote (no respond or propose): a SAOP session
 * refuses them. */
#include <math.h>
#include <stdlib.h>

#include "agents/agents_internal.h"
#include "core/internal.h"

typedef struct voter {
    const pl_ufun *u;
    double t0;    /* annealer: temperature at t = 0 (0 = hill-climber) */
    uint64_t rng; /* annealer: drawn from only for worse texts */
} voter;

static int voter_start(void **self, const pl_agent_view *v, pl_diag *d, double t0)
{
    voter *a = pl__calloc(1, sizeof *a);
    if (!a) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    a->u = v->ufun;
    a->t0 = t0;
    a->rng = v->seed;
    *self = a;
    return 0;
}

static int hc_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    return voter_start(self, v, d, 0.0);
}

static int an_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    return voter_start(self, v, d, pl_params_double(v->params, "t0"));
}

static int voter_vote(void *self, const pl_vote *vt, int *accept, pl_diag *d)
{
    voter *a = self;
    if (pl_ufun_first_broken(a->u, vt->proposed) >= 0) {
        *accept = 0; /* a red line is never crossed, whatever the current text */
        return 0;
    }
    double cur = pl_ufun_eval(a->u, vt->current), prop = pl_ufun_eval(a->u, vt->proposed);
    if (prop >= cur) {
        *accept = 1;
        return 0;
    }
    /* Metropolis acceptance with a linear cooling schedule T = t0 (1 - t): T = 0 at the deadline, where the
     * annealer has become a hill-climber. The draw happens only here, so the hill-climbing part uses no randomness. */
    double temp = a->t0 * (1.0 - vt->t);
    *accept = temp > 0 && pl__rand_unit(&a->rng) < exp(-(cur - prop) / temp);
    return 0;
}

static void voter_free(void *self)
{
    pl__free(self);
}

const pl_agent_type pl__agent_hill_climber = {PL_AGENT_API_VERSION,
                                              "hill-climber",
                                              "single-text voter (Klein et al. 2003): accepts a change that does not "
                                              "make the text worse for it and breaks none of its red lines",
                                              NULL,
                                              0,
                                              hc_start,
                                              NULL,
                                              NULL,
                                              NULL,
                                              voter_free,
                                              voter_vote};

static const pl_param_spec annealer_params[] = {
    {"t0", PL_PARAM_DOUBLE, "0.1", 0, 100,
     "temperature at t = 0, in utility units; it falls linearly to 0 at the deadline"},
};

const pl_agent_type pl__agent_annealer = {PL_AGENT_API_VERSION,
                                          "annealer",
                                          "single-text voter (Klein et al. 2003): as hill-climber, but accepts a worse "
                                          "text with probability exp(-loss / (t0 (1 - t)))",
                                          annealer_params,
                                          1,
                                          an_start,
                                          NULL,
                                          NULL,
                                          NULL,
                                          voter_free,
                                          voter_vote};
