/* Tournaments: the cartesian plan scenarios x ordered assignments of agents to parties x repetitions, run on worker
 * threads (and optionally MPI ranks) into an SQLite database that survives crashes and resumes exactly the missing
 * sessions; per-agent statistics and exports. docs/tournaments.md describes the plan, seeds and statistics. */
#ifndef PARLEY_TOURNAMENT_H
#define PARLEY_TOURNAMENT_H

#include <stddef.h>
#include <stdint.h>

#include "parley/agent.h"
#include "parley/error.h"
#include "parley/scenario.h"
#include "parley/session.h"

/* The database file inside a tournament's folder. */
#define PL_TOURNAMENT_DB "tournament.sqlite"

typedef struct pl_tournament_options {
    size_t size; /* sizeof the struct as the caller was compiled: set by pl_tournament_options_init (docs/api.md) */
    /* ---- Plan parameters (stored in the database; a resume must use the same) ---- */
    const char *const *agents;     /* agent specs ("boulware", "timebased:e=0.5") */
    size_t n_agents;
    const char *const *scenarios;  /* one path per scenario (a Genius XML folder or a single scenario file) */
    size_t n_scenarios;
    const char *const *agent_libs; /* plug-in libraries the registry was built with (stored, not loaded here) */
    size_t n_agent_libs;
    uint64_t reps;                 /* repetitions of every (scenario, assignment) (default 1) */
    int self_play;                 /* also assignments where one agent plays several parties (default 0) */
    uint64_t seed;                 /* the tournament seed (default 1); each session's seed derives from it and the
                                      session's identity (pl_tournament_session_seed) */
    pl_protocol protocol;          /* default PL_PROTOCOL_SAOP */
    uint64_t rounds;               /* round deadline of each session (default 1000) */
    double time_limit;             /* wall-clock seconds per session, 0 = none */
    int metrics;                   /* Pareto/Nash distances (default 1) */
    uint32_t real_levels;          /* levels for real issues (default PL_REAL_LEVELS_DEFAULT) */
    /* ---- How to run (not part of the plan) ---- */
    unsigned jobs;                 /* worker threads (per MPI rank); 0 = all cores */
    int mpi;                       /* spread sessions over MPI ranks (PL_EUNSUPPORTED when built without MPI) */
    unsigned commit_rows;          /* commit after this many rows (default 512) ... */
    double commit_seconds;         /* ... or this many seconds after a transaction's first row (default 0.05) */
    /* Called on the calling thread about every 50 ms and at the end: sessions finished (including those of earlier
     * runs) out of all. May be NULL. */
    void (*progress)(void *ud, uint64_t done, uint64_t total);
    /* Polled as often; nonzero stops the run: in-process sessions in flight finish and are committed, isolated ones
     * in flight are killed and not recorded (a resume runs them), then PL_ECANCELED. */
    int (*cancel)(void *ud);
    void *ud;
    /* ---- Added after the first version ---- */
    /* Resume even when a scenario or plug-in changed since the tournament started (the stored results then mix old
     * and new versions: warn, if set, is told which files changed). Default 0: such a resume is refused. */
    int force;
    void (*warn)(void *ud, const char *message);
    /* Untrusted agents (stored with the plan and used again by a resume; docs/tournaments.md): sessions with a
     * plug-in agent run in worker processes under PL_ISOLATE_AUTO (the default) and PL_ISOLATE_ON, so a crash, a
     * hang or a memory hog is recorded as that session's status crash, timeout or memory and the tournament goes
     * on. Built-in-only sessions always run in-process. Without isolation an agent that never returns is never
     * stopped. */
    pl_isolate isolate;
    double call_limit;       /* seconds per agent call when isolated; 0 = PL_CALL_LIMIT_DEFAULT (or time_limit) */
    uint64_t memory_limit;   /* bytes the agents' process may grow by when isolated; 0 = PL_MEMORY_LIMIT_DEFAULT */
} pl_tournament_options;

/* Defaults, and o->size = sizeof *o. The macro passes the caller's sizeof, so the library writes only the fields the
 * caller was compiled with. */
PL_API void pl_tournament_options_init_size(pl_tournament_options *o, size_t size);
#define pl_tournament_options_init(o) pl_tournament_options_init_size((o), sizeof *(o))

/* A session's seed from its identity, not its place in the plan: the tournament seed, the scenario's content hash
 * (pl_tournament_scenario_hash), the agents in party order (pl_tournament_text_hash of each spec text) and the
 * repetition. Adding or removing an agent or a scenario leaves every other session's seed, and so its result,
 * unchanged; threads, ranks and resumes never change it. Each value is folded in with splitmix64 (Steele, Lea and
 * Flood 2014): h = mix(h ^ value), starting from h = seed. */
PL_API uint64_t pl_tournament_session_seed(uint64_t seed, uint64_t scenario_hash, const uint64_t *agent_hashes,
                                           size_t n_parties, uint64_t repetition);
/* FNV-1a 64 of a text (an agent spec as given). */
PL_API uint64_t pl_tournament_text_hash(const char *text);
/* A scenario's content hash: FNV-1a 64 of its parley JSON (pl_scenario_to_parley_json), so the same model gives the
 * same hash whatever its file's format, name or place. PL_ENOMEM when the text cannot be made. */
PL_API int pl_tournament_scenario_hash(const pl_scenario *sc, uint64_t *hash, pl_diag *d);

/* ---- The plan ---- */

typedef struct pl_tournament pl_tournament;

/* Load the scenarios, parse the agents with reg (borrowed; it must outlive the tournament) and build the plan.
 * Strings in o are copied. Errors: PL_EINVAL (fewer distinct agents than a scenario's parties without self-play,
 * no agents, no scenarios, reps 0, no deadline), the loaders' codes with the file named, PL_ENOMEM. */
PL_API int pl_tournament_new(const pl_tournament_options *o, const pl_registry *reg, pl_tournament **out, pl_diag *d);
PL_API void pl_tournament_free(pl_tournament *t); /* NULL-safe */

PL_API uint64_t pl_tournament_session_count(const pl_tournament *t);

/* One planned session. Sessions are numbered scenario-major, then assignment (lexicographic in agent indices),
 * then repetition: index = (first index of the scenario's block) + assignment * reps + repetition. */
typedef struct pl_tournament_session {
    uint64_t index;
    size_t scenario;        /* index into the options' scenarios */
    size_t n_parties;
    const size_t *agents;   /* agent index (into the options' agents) per party, party order; owned by t */
    uint64_t repetition;
    uint64_t seed;
} pl_tournament_session;

/* PL_ERANGE when index >= pl_tournament_session_count. */
PL_API int pl_tournament_session_get(const pl_tournament *t, uint64_t index, pl_tournament_session *out, pl_diag *d);

/* ---- Running ---- */

/* Run every session of the plan missing from dir's database (created with the folder when absent; an existing
 * one must hold the same plan parameters, else PL_EINVAL naming the first difference). Each finished session is
 * one row; rows are committed in batches (options commit_rows / commit_seconds), so a crash loses at most the
 * uncommitted ones, which a later run redoes. Agents that fail or time out are recorded in their session's row; with
 * isolation (options isolate, call_limit, memory_limit) also those that crash, hang or exhaust memory. Worker
 * processes are forked from the calling process's threads: the caller must not hold locks the sessions need.
 * Errors: PL_ECANCELED (cancel callback; everything finished is committed), PL_EIO (database, disk full),
 * PL_EUNSUPPORTED (mpi without MPI support), PL_ENOMEM. With mpi, only rank 0 opens the database. */
PL_API int pl_tournament_run(pl_tournament *t, const char *dir, pl_diag *d);

/* 1 unless this process is an MPI rank other than 0 (after an mpi run): only the root should report. */
PL_API int pl_tournament_is_root(const pl_tournament *t);
/* Sessions run by this call of pl_tournament_run (on this rank). */
PL_API uint64_t pl_tournament_sessions_run(const pl_tournament *t);

/* ---- Reading a tournament folder ---- */

/* The parameters stored in dir's database, as options (run fields at their defaults). o must have been initialised
 * (pl_tournament_options_init): only the fields within o->size are written. The strings belong to *keep (free with
 * pl_tournament_saved_free). Errors: PL_EINVAL (o not initialised), PL_ENOTFOUND (no database), PL_EIO, PL_EPARSE. */
typedef struct pl_tournament_saved pl_tournament_saved;
PL_API int pl_tournament_options_load(const char *dir, pl_tournament_options *o, pl_tournament_saved **keep,
                                      pl_diag *d);
PL_API void pl_tournament_saved_free(pl_tournament_saved *s);

/* Compare the plan parameters of a and b (scenario paths after resolving them). Returns 0 when equal, else 1
 * with "NAME: A vs B" for the first difference in buf. */
PL_API int pl_tournament_options_diff(const pl_tournament_options *a, const pl_tournament_options *b, char *buf,
                                      size_t size);

/* One statistic: n values, their mean, sample standard deviation and the half-width of the normal-approximation
 * 95% confidence interval, 1.96 * sd / sqrt(n) (0 when n < 2). */
typedef struct pl_stat {
    uint64_t n;
    double mean, sd, ci95;
} pl_stat;

/* Per agent, over every (session, party) it played: discounted utility; advantage = utility - the party's
 * reservation value; agreement (1/0); the session's welfare, distance to the Pareto frontier and to the Nash point
 * (when computed); rounds. */
typedef struct pl_tournament_agent_stats {
    char *agent;
    uint64_t appearances;
    pl_stat utility, advantage, agreement, welfare, pareto_distance, nash_distance, rounds;
} pl_tournament_agent_stats;

typedef struct pl_tournament_summary {
    uint64_t sessions;   /* finished sessions in the database */
    uint64_t planned;    /* sessions in the plan */
    size_t n_agents;
    pl_tournament_agent_stats *agents; /* in the options' agent order */
} pl_tournament_summary;

/* Statistics of dir's database. *out belongs to the caller. Errors: PL_ENOTFOUND, PL_EIO, PL_ENOMEM. */
PL_API int pl_tournament_summarize(const char *dir, pl_tournament_summary **out, pl_diag *d);
PL_API void pl_tournament_summary_free(pl_tournament_summary *s);
/* Write summary.csv and summary.json into dir (atomically, via temporary files). PL_EIO. */
PL_API int pl_tournament_summary_write(const pl_tournament_summary *s, const char *dir, pl_diag *d);

typedef enum pl_export_format {
    PL_EXPORT_CSV = 0,  /* a header line, then one line per session */
    PL_EXPORT_JSON = 1  /* a JSON array, one object per session and line */
} pl_export_format;

/* Export every finished session of dir's database in session order through write (return nonzero to stop:
 * PL_EIO). Columns in docs/formats.md. Errors: PL_ENOTFOUND, PL_EIO, PL_ENOMEM. */
PL_API int pl_tournament_export(const char *dir, pl_export_format format,
                                int (*write)(void *ud, const char *text, size_t len), void *ud, pl_diag *d);

#endif
