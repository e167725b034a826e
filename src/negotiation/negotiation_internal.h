/* Internals of the prepared negotiation (negotiation.c) and its sorted outcome lists (sorted.c), shared with the
 * protocols that build agents' views. Not installed. */
#ifndef PL_NEGOTIATION_INTERNAL_H
#define PL_NEGOTIATION_INTERNAL_H

#include <stddef.h>

#include "parley/agent.h"
#include "parley/session.h"

/* What pl_agent_view.internal points to. */
typedef struct pl__view_ctx {
    pl_negotiation *neg;
    size_t party;
} pl__view_ctx;

/* Build party's sorted outcome list (negotiation.c calls it once per party). */
int pl__sorted_build(const pl_scenario *sc, size_t party, const pl_negotiation_options *o, pl_sorted **out,
                     pl_diag *d);
void pl__sorted_free(pl_sorted *s);

/* The sorted list of party, built on first use. */
int pl__negotiation_sorted(pl_negotiation *n, size_t party, const pl_sorted **out, pl_diag *d);

/* Around fork() (isolated sessions): phase 0 takes every lock of n, 1 releases them (the parent), 2 makes fresh
 * ones (the child). NULL-safe. */
void pl__negotiation_fork(pl_negotiation *n, int phase);

#endif
