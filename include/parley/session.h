/* Negotiation sessions: a scenario prepared for many sessions (pl_negotiation: shared, thread-safe, lazily built
 * per-party data), one session between agents under a protocol, its result and its trace.
 *
 * Stacked alternating offers (SAOP): parties take turns in order 0, 1, ..., n-1, 0, ... Party 0 opens with an offer.
 * On its turn a party accepts the offer on the table, rejects it and makes a new offer (which replaces it), or ends
 * the negotiation. An offer is agreed once every other party has accepted it in turn. A round is one turn of every
 * party. Relative time (parley's convention, PL_PROTOCOL_SAOP): t = (round - 1) / (rounds - 1) for a round deadline
 * (0 when rounds == 1), elapsed / time_limit for a time limit, the larger of the two when both are set; the session
 * stops after the last round or when the time limit is reached. GENIUS's convention (PL_PROTOCOL_SAOP_GENIUS):
 * t = round / (rounds + 1). The agreement's utilities are discounted as u * d^t at the agreement's t. Without an
 * agreement every party gets its reservation value (discounted at the end time under the GENIUS convention, as
 * GENIUS reports it). An agent that returns an error or an invalid outcome ends the session with a protocol
 * violation, recorded with its reason.
 *
 * Mediated single-text (PL_PROTOCOL_SINGLE_TEXT; Klein, Faratin, Sayama & Bar-Yam 2003): a mediator (neutral, or a
 * party) holds one text, a full outcome, starting at the status quo (value 0 of an issue without one). Each step it
 * proposes one issue changed; every party votes; the change stands only if no party rejects it. rounds counts steps;
 * t = (step - 1) / (steps - 1) as for SAOP. At the end the text is the agreement if every party finds it acceptable
 * (pl_ufun_acceptable), discounted at the last step's t. docs/agents.md has the exact rules. */
#ifndef PARLEY_SESSION_H
#define PARLEY_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "parley/agent.h"
#include "parley/analysis.h"
#include "parley/error.h"
#include "parley/scenario.h"

/* ---- A scenario prepared for sessions ---- */

typedef struct pl_negotiation pl_negotiation;

typedef struct pl_negotiation_options {
    size_t size; /* sizeof the struct as the caller was compiled: set by pl_negotiation_options_init (docs/api.md) */
    uint64_t sorted_limit;  /* sort complete outcome lists up to this many outcomes (default 4,000,000); larger
                               spaces use a candidate set (a seeded sample plus greedy ascent paths, from the
                               party's own utility function only) */
    uint64_t sample_size;   /* outcomes in a candidate set (default 200,000; at least 1,000) */
    uint64_t seed;          /* the candidate sample's seed (default 1) */
    unsigned threads;       /* threads for the frontier analysis used by metrics; 0 = all cores */
} pl_negotiation_options;

/* Defaults, and o->size = sizeof *o. The macro passes the caller's sizeof, so the library writes only the fields the
 * caller was compiled with. */
PL_API void pl_negotiation_options_init_size(pl_negotiation_options *o, size_t size);
#define pl_negotiation_options_init(o) pl_negotiation_options_init_size((o), sizeof *(o))

/* Borrow sc (it must outlive the result). Nothing is computed yet: sorted lists, agents' shared data and the
 * analysis for metrics are built on first use, once, under a lock. opts may be NULL. */
PL_API int pl_negotiation_new(const pl_scenario *sc, const pl_negotiation_options *opts, pl_negotiation **out,
                              pl_diag *d);
PL_API void pl_negotiation_free(pl_negotiation *n);
PL_API const pl_scenario *pl_negotiation_scenario(const pl_negotiation *n);
/* Build now what sessions would otherwise build on first use: every party's sorted outcome list and, when analysis
 * is 1, the analysis behind the metrics (a failed analysis is not an error: metrics are then left empty). Lets a
 * caller prepare several scenarios on several threads before running sessions. */
PL_API int pl_negotiation_prepare(pl_negotiation *n, int analysis, pl_diag *d);
/* The analysis (frontier, Nash point) used for session metrics, computed on first call. */
PL_API int pl_negotiation_analysis(pl_negotiation *n, const pl_analysis **out, pl_diag *d);

/* ---- One session ---- */

typedef enum pl_session_status {
    PL_SESSION_AGREEMENT = 0,
    PL_SESSION_DEADLINE = 1,  /* no agreement by the deadline */
    PL_SESSION_ENDED = 2,     /* a party ended the negotiation */
    PL_SESSION_VIOLATION = 3, /* an agent broke the protocol (error, invalid outcome) */
    PL_SESSION_ERROR = 4,     /* an agent could not start, or parley ran out of memory */
    /* Isolated sessions only (pl_session_options.isolate): the agent's process died or was killed. culprit is the
     * party in a call at the time (-1 when none was), the reason names the agent, the signal or limit and the round. */
    PL_SESSION_CRASH = 5,     /* killed by a signal (SIGSEGV, SIGABRT, ...) or exited (exit(3)) */
    PL_SESSION_TIMEOUT = 6,   /* a call exceeded the call limit, or the session its time limit */
    PL_SESSION_MEMORY = 7     /* the agents' process exceeded the memory limit */
} pl_session_status;

/* "agreement", "deadline", "ended", "violation", "error", "crash", "timeout", "memory". */
PL_API const char *pl_session_status_name(pl_session_status s);

/* One action, as recorded in a trace. utility / discounted: the acting party's utility of the outcome (NAN for an
 * end). Under single-text one record per step (action PL_ACTION_PROPOSE): party is the mediator (or
 * PL_MEDIATOR_NEUTRAL, utilities then NAN), outcome the proposed text, and the members after discounted say what
 * changed and how every party voted. */
typedef struct pl_action_record {
    uint64_t round;
    double t;
    size_t party;
    pl_action_kind action;
    const uint32_t *outcome;   /* NULL for an end */
    double utility, discounted;
    /* PL_ACTION_PROPOSE only (0 / NULL otherwise): */
    size_t issue;              /* the changed issue */
    uint32_t from, to;         /* its value in the current text and in the proposed one */
    const int *votes;          /* per party, party order: 1 accept, 0 reject */
    const double *utilities;   /* per party: undiscounted utility of the proposed text */
    int stood;                 /* 1 when no party rejected: the proposed text is now the text */
} pl_action_record;

/* How the single-text mediator picks the issue to change. */
typedef enum pl_mediator_order {
    PL_MEDIATOR_RANDOM = 0,    /* uniformly at random (from the session seed) */
    PL_MEDIATOR_SYSTEMATIC = 1 /* round-robin over the issues */
} pl_mediator_order;

/* Running untrusted agents in a child process (docs/tournaments.md, "Untrusted agents"). Only sessions with an agent
 * that is not built in (a plug-in: pl_agent_spec_builtin) are ever isolated. */
typedef enum pl_isolate {
    PL_ISOLATE_AUTO = 0, /* tournaments isolate sessions with plug-ins; pl_session_run runs in-process */
    PL_ISOLATE_ON = 1,   /* isolate sessions with plug-ins (pl_session_run too) */
    PL_ISOLATE_OFF = 2   /* never isolate: an agent that crashes takes the process with it, one that never returns
                            is never stopped */
} pl_isolate;

/* Default limits of isolated sessions: call limit in seconds (or the session's time limit when smaller), memory. */
#define PL_CALL_LIMIT_DEFAULT 10.0
#define PL_MEMORY_LIMIT_DEFAULT ((uint64_t)2 << 30)

typedef struct pl_session_options {
    size_t size; /* sizeof the struct as the caller was compiled: set by pl_session_options_init (docs/api.md) */
    pl_protocol protocol;
    uint64_t rounds;         /* round deadline; 0 = none (then time_limit must be set) */
    double time_limit;       /* wall-clock seconds; 0 = none */
    uint64_t seed;           /* every agent's seed is derived from it and the party's place */
    int metrics;             /* compute Pareto/Nash distances (needs the analysis; default 1) */
    /* Single-text only: */
    long mediator;           /* the mediating party, or -1 for a neutral mediator (default) */
    pl_mediator_order mediator_order; /* default PL_MEDIATOR_RANDOM */
    /* Called for every action, in order. May be NULL. */
    void (*on_action)(void *ud, const pl_action_record *rec);
    void *action_ud;
    /* ---- Added after the first version ---- */
    pl_isolate isolate;      /* default PL_ISOLATE_AUTO (in-process for pl_session_run) */
    double call_limit;       /* isolated: seconds one agent call may take, else status timeout; 0 = default
                                (PL_CALL_LIMIT_DEFAULT, or time_limit when smaller) */
    uint64_t memory_limit;   /* isolated: bytes the agents' process may grow by, else status memory; 0 = default
                                (PL_MEMORY_LIMIT_DEFAULT) */
} pl_session_options;

/* Defaults, and o->size = sizeof *o. The macro passes the caller's sizeof, so the library writes only the fields the
 * caller was compiled with. */
PL_API void pl_session_options_init_size(pl_session_options *o, size_t size);
#define pl_session_options_init(o) pl_session_options_init_size((o), sizeof *(o))

typedef struct pl_session_result {
    pl_session_status status;
    char reason[256];           /* human-readable: who accepted / ended / violated what */
    long culprit;               /* the party that ended or violated, else -1 */
    int has_agreement;
    uint32_t *agreement;        /* issue count values when has_agreement */
    size_t n_parties;
    double *utilities;          /* discounted (what each party gets), party order */
    double *raw_utilities;      /* undiscounted utility of the agreement (reservation value without one) */
    uint64_t rounds;            /* rounds played (the round of the last action) */
    uint64_t actions;           /* number of actions */
    double t;                   /* relative time of the last action */
    double seconds;             /* wall-clock duration */
    /* Metrics (NAN when not computed or not applicable). Utility-space distances use undiscounted utilities. */
    int individually_rational;  /* every party's discounted utility >= its reservation value (1/0) */
    double pareto_distance;     /* Euclidean distance to the nearest frontier point */
    double nash_distance;       /* Euclidean distance to the Nash point */
    double welfare;             /* sum of undiscounted utilities */
    /* Single-text only (NULL / 0 otherwise). rounds counts steps (proposals), actions the votes cast. */
    uint32_t *final_text;       /* the text at the end, agreed or not (issue count values) */
    uint64_t changes;           /* proposals that stood */
    int stable;                 /* 1 when the session ended early: every single-issue change of the text was
                                   proposed and vetoed since it last changed */
} pl_session_result;

PL_API void pl_session_result_init(pl_session_result *r);
PL_API void pl_session_result_free(pl_session_result *r); /* frees the arrays; NULL-safe */

/* Run one session: agents[k] plays party k of the scenario (as many agents as parties). Returns 0 when the
 * session ran (whatever its status: see r->status), or a negative code when it could not be set up (bad options, an
 * agent that cannot vote under single-text: PL_EINVAL; PL_ENOMEM, also when an agent returns it), with d filled. r must have been initialised; it
 * is filled on return 0. Thread-safe for distinct results over one shared pl_negotiation. With opts->isolate ==
 * PL_ISOLATE_ON and a plug-in among the agents, the session runs in a child process (fork) watched by this one:
 * statuses crash, timeout and memory; on_action is still called here, in order. */
PL_API int pl_session_run(pl_negotiation *n, const pl_agent_spec *const *agents, size_t n_agents,
                          const pl_session_options *opts, pl_session_result *r, pl_diag *d);

#endif
