/* Isolated sessions (isolate.c): a persistent worker process per caller thread runs sessions with untrusted agents;
 * the caller (parent) watches it: crash, call and session time limits, memory. Not installed. */
#ifndef PL_PROTOCOL_ISOLATE_H
#define PL_PROTOCOL_ISOLATE_H

#include <stdint.h>

#include "parley/session.h"

/* Most parties an isolated session may have (the agents array setup fills). */
#define PL__ISO_MAXP 64

/* What job number job is: the negotiation, the agents (into agents[PL__ISO_MAXP]), their count and the session
 * options (their on_action, when set, is called in the parent). Called in the parent and again in the child, so it
 * must give the same answer in both and only read data built before the worker was forked. 0 or a PL_E* code. */
typedef int (*pl__iso_setup)(void *ud, uint64_t job, pl_negotiation **neg, const pl_agent_spec **agents, size_t *n,
                             pl_session_options *so, pl_diag *d);

typedef struct pl__iso pl__iso;

/* A worker for jobs described by setup(ud, ...). negs[0..n_negs) (borrowed): every negotiation the jobs use; their
 * locks are taken around each fork. No process is made yet. NULL on ENOMEM. */
pl__iso *pl__iso_new(pl__iso_setup setup, void *ud, pl_negotiation *const *negs, size_t n_negs);
/* Kill the worker process (if any) and free. NULL-safe. */
void pl__iso_free(pl__iso *w);

/* Run job in the worker process (forked now when there is none: after a crash, a kill or on first use). Returns 0
 * with r filled (r initialised by the caller), whatever its status: the child's, or crash / timeout / memory when the
 * child died or was killed; the child's setup error (code and message); PL_ECANCELED when stop(stop_ud) returned
 * nonzero while waiting (polled every 50 ms; the child is killed, nothing is recorded); PL_EIO / PL_ENOMEM when no
 * process could be made. */
int pl__iso_run(pl__iso *w, uint64_t job, int (*stop)(void *), void *stop_ud, pl_session_result *r, pl_diag *d);

/* 1 when a session of these agents runs in a worker process under mode: only when an agent is not built in, and
 * under PL_ISOLATE_AUTO only in a tournament (tournament = 1). */
int pl__iso_wanted(pl_isolate mode, int tournament, const pl_agent_spec *const *agents, size_t n);

/* The call limit in effect for so: so->call_limit, or PL_CALL_LIMIT_DEFAULT, no more than the time limit. */
double pl__iso_call_limit(const pl_session_options *so);

#endif
