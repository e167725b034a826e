/* Internals shared by the session modules (negotiation context, sorted lists, registry, protocol runner) and the
 * built-in agents. Not installed. */
#ifndef PL_SESSION_INTERNAL_H
#define PL_SESSION_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

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

/* Built-in agent types, in the order `parley agents` lists them (agents/builtin.c). */
extern const pl_agent_type *const pl__builtin_agents[];
extern const size_t pl__builtin_agent_count;

#endif
