/* Internals shared by the protocol runners: session.c (set-up, SAOP, results, metrics), single_text.c (the mediated
 * single-text protocol) and clock.c. Protocols see agents only through the specs they are handed. Not installed. */
#ifndef PL_PROTOCOL_INTERNAL_H
#define PL_PROTOCOL_INTERNAL_H

#include <stdint.h>

#include "parley/agent.h"
#include "parley/session.h"

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

/* Monotonic clock, seconds (clock.c). */
double pl__now_seconds(void);
/* Relative time of a round under proto (session.h); 0 without a round deadline (clock.c). */
double pl__round_time(pl_protocol proto, uint64_t round, uint64_t rounds);
/* End the session as a protocol violation by party (status, culprit, reason). ad may be NULL. */
void pl__run_violation(pl__run *s, size_t party, const char *what, const pl_diag *ad);
/* The mediated single-text protocol from its first step to its end: fills r's status (AGREEMENT, DEADLINE or
 * VIOLATION), reason, rounds, actions, t, changes, stable, and final_text (allocated); writes the final text into text
 * (ni values). Agents have started. t0: when the time limit starts. PL_ENOMEM (d filled) when memory runs out. */
int pl__single_text(pl__run *s, uint32_t *text, double t0, pl_diag *d);

#endif
