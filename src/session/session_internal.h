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

/* One running session, shared by the protocol runners: session.c (set-up, SAOP, results, metrics) and
 * single_text.c (the mediated single-text protocol). */
typedef struct pl__run {
    pl_negotiation *neg;
    const pl_scenario *sc;
    const pl_space *sp;
    const pl_session_options *o;
    size_t np, ni;
    const pl_agent_type **types;
    void **self;
    pl_session_result *r;
    uint64_t seed; /* the protocol's own random choices (the single-text mediator), derived from the session seed */
} pl__run;

/* Monotonic clock, seconds. */
double pl__now_seconds(void);
/* Relative time of a round under proto (session.h); 0 without a round deadline. */
double pl__round_time(pl_protocol proto, uint64_t round, uint64_t rounds);
/* End the session as a protocol violation by party (status, culprit, reason). ad may be NULL. */
void pl__run_violation(pl__run *s, size_t party, const char *what, const pl_diag *ad);
/* The mediated single-text protocol from its first step to its end: fills r's status (AGREEMENT, DEADLINE or
 * VIOLATION), reason, rounds, actions, t, changes, stable, and final_text (allocated); writes the final text into text
 * (ni values). Agents have started. t0: when the time limit starts. PL_ENOMEM (d filled) when memory runs out. */
int pl__single_text(pl__run *s, uint32_t *text, double t0, pl_diag *d);

/* Built-in agent types, in the order `parley agents` lists them (agents/builtin.c). */
extern const pl_agent_type *const pl__builtin_agents[];
extern const size_t pl__builtin_agent_count;
/* The members of a named group of built-in agents (name[0..len), e.g. "anac"), NULL-terminated, or NULL when the
 * name is not a group (agents/anac_common.c). */
const char *const *pl__agent_group(const char *name, size_t len);

#endif
