/* Shared by the built-in agents: the concession core (a party's sorted outcomes, its best utility and reservation,
 * "the outcome closest to a target from above", AC_next) and each agent type's declaration. Not installed. */
#ifndef PL_AGENTS_INTERNAL_H
#define PL_AGENTS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "parley/agent.h"

typedef struct pl__core {
    const pl_ufun *u;
    const pl_sorted *sorted;
    const double *su;   /* sorted utilities, descending */
    size_t n;           /* sorted outcomes */
    double best;        /* su[0] */
    double rv;          /* reservation value */
    size_t hint;        /* last rank found: searches gallop from it */
} pl__core;

/* Fill the core from the view (builds or reuses the shared sorted list). */
int pl__core_init(pl__core *c, const pl_agent_view *v, pl_diag *d);
/* Allocate a zeroed agent state of `size` bytes whose first member is a pl__core, and initialise that core. */
int pl__core_agent_new(size_t size, const pl_agent_view *v, void **out, pl_diag *d);
/* The rank of the outcome an agent aiming at target offers: the lowest utility >= target (the first such outcome in
 * dense order), or rank 0 when the target is above every utility. */
size_t pl__core_rank(pl__core *c, double target);
/* Target of a concession curve from the best utility down to the reservation value (never below it):
 * best - (best - rv) * f, f in [0, 1]. When rv >= best, best. */
double pl__core_curve(const pl__core *c, double f);
/* 1 when the offer's utility is acceptable at all (>= reservation) and >= threshold. */
int pl__core_acceptable(const pl__core *c, double offer_utility, double threshold);

/* Agent types (one file each, or a family per file). */
extern const pl_agent_type pl__agent_timebased, pl__agent_boulware, pl__agent_linear, pl__agent_conceder;
extern const pl_agent_type pl__agent_genius_boulware, pl__agent_genius_conceder, pl__agent_genius_linear,
    pl__agent_genius_timedependent;
extern const pl_agent_type pl__agent_hardliner, pl__agent_random, pl__agent_tit_for_tat, pl__agent_aspiration,
    pl__agent_micro, pl__agent_boa;
extern const pl_agent_type pl__agent_hill_climber, pl__agent_annealer;

#endif
