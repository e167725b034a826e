/* The concession core shared by the built-in agents. */
#include <stdlib.h>

#include "agents/agents_internal.h"
#include "core/internal.h"

int pl__core_init(pl__core *c, const pl_agent_view *v, pl_diag *d)
{
    int rc = pl_agent_sorted(v, &c->sorted, d);
    if (rc < 0) {
        return rc;
    }
    c->u = v->ufun;
    c->su = pl_sorted_utilities(c->sorted);
    c->n = pl_sorted_count(c->sorted);
    if (c->n == 0) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "party %s has no outcomes to offer", v->party_name);
    }
    c->best = c->su[0];
    c->rv = pl_ufun_reservation(v->ufun);
    c->hint = 0;
    return 0;
}

int pl__core_agent_new(size_t size, const pl_agent_view *v, void **out, pl_diag *d)
{
    pl__core *c = pl__calloc(1, size);
    if (!c) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    int rc = pl__core_init(c, v, d);
    if (rc < 0) {
        pl__free(c);
        return rc;
    }
    *out = c;
    return 0;
}

size_t pl__core_rank(pl__core *c, double target)
{
    long r = pl_sorted_rank_at_least(c->sorted, target, c->hint);
    if (r < 0) {
        return 0;
    }
    c->hint = (size_t)r;
    return pl_sorted_group_first(c->sorted, (size_t)r);
}

double pl__core_curve(const pl__core *c, double f)
{
    if (c->rv >= c->best) {
        return c->best;
    }
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return c->best - (c->best - c->rv) * f;
}

int pl__core_acceptable(const pl__core *c, double offer_utility, double threshold)
{
    return offer_utility >= c->rv && offer_utility >= threshold;
}
