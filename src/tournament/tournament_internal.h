/* Tournament internals shared by plan.c, run.c, store.c, stats.c and mpi.c: the prepared tournament, finished
 * session rows (formatted once, by the worker, so the writer and MPI only move bytes) and the database store. */
#ifndef PL_TOURNAMENT_INTERNAL_H
#define PL_TOURNAMENT_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include "parley/tournament.h"

/* One (scenario, assignment) pair of the plan: reps consecutive sessions starting at first. */
typedef struct pl__tgroup {
    uint64_t first;
    size_t scenario;
    size_t *agents; /* n_parties agent indices */
} pl__tgroup;

struct pl_tournament {
    pl_tournament_options o;   /* string arrays point into the copies below */
    char **agent_texts, **scenario_paths, **lib_paths;
    pl_scenario **scenarios;
    pl_negotiation **negs;
    pl_agent_spec **specs;
    pl__tgroup *groups;
    size_t n_groups;
    uint64_t total;
    uint64_t *scenario_hash; /* per scenario: pl_tournament_scenario_hash */
    uint64_t *agent_hash;    /* per agent: pl_tournament_text_hash of its spec */
    uint64_t *lib_hash;      /* per plug-in library: FNV-1a 64 of the file (0 when unreadable) */
    int rank, n_ranks;
    uint64_t ran;
};

/* A finished session, ready to insert. */
typedef struct pl__trow {
    uint64_t session;
    int32_t status, individually_rational;
    int64_t culprit;
    uint64_t rounds, actions;
    double t, seconds, pareto_distance, nash_distance, welfare;
    char *reason, *agreement, *utilities, *raw_utilities; /* agreement NULL without one; JSON texts */
    struct pl__trow *next;
} pl__trow;

void pl__trow_free(pl__trow *r);
/* Run session index of t into a new row (NULL on allocation failure), in this process. */
pl__trow *pl__trow_run(pl_tournament *t, uint64_t index);
/* The same, with iso (a worker process, made on first need into *iso; NULL = never isolate): a session with a
 * plug-in runs there under the tournament's isolate option. When stop(stop_ud) says so while an isolated session runs,
 * it is killed and discarded: NULL with *canceled = 1. */
struct pl__iso;
pl__trow *pl__trow_run_in(pl_tournament *t, uint64_t index, struct pl__iso **iso, int (*stop)(void *), void *stop_ud,
                          int *canceled);
/* Serialise / deserialise for MPI. pack: malloc'd buffer into *buf, its size into *len; -1 on ENOMEM. */
int pl__trow_pack(const pl__trow *r, char **buf, size_t *len);
pl__trow *pl__trow_unpack(const char *buf, size_t len);

/* ---- The store (store.c) ---- */

typedef struct pl__store pl__store;

/* Open or create dir/tournament.sqlite for t: checks stored parameters (PL_EINVAL on a difference) or writes them
 * with the plan. */
/* Report an SQLite failure on db (a sqlite3 *, or NULL when it could not be opened): PL_EPARSE when the file is not a
 * parley tournament database (not SQLite, corrupt, missing tables), else PL_EIO. Returns the code. */
int pl__db_error(pl_diag *d, void *db, const char *path, const char *what);
int pl__store_open(pl_tournament *t, const char *dir, pl__store **out, pl_diag *d);
void pl__store_close(pl__store *s);
/* done[i] = 1 for every session already in the database (done has t->total bytes); *n_done their count. */
int pl__store_done(pl__store *s, unsigned char *done, uint64_t total, uint64_t *n_done, pl_diag *d);
int pl__store_begin(pl__store *s, pl_diag *d);
int pl__store_insert(pl__store *s, const pl__trow *r, pl_diag *d);
int pl__store_commit(pl__store *s, pl_diag *d);
/* Open dir's database read-only (sqlite3 *). */
int pl__store_open_read(const char *dir, void **db, pl_diag *d);

/* ---- The parameters as (name, value) text pairs, in a fixed order (plan.c) ---- */

#define PL__TPARAMS 14
/* Parameters from PL__TPARAMS_V1 on were added later (isolate, call_limit, memory_limit): a database without them
 * holds their defaults. */
#define PL__TPARAMS_V1 11
extern const char *const pl__tparam_names[PL__TPARAMS];
/* values[k] malloc'd (caller frees each); -1 on ENOMEM. Scenario paths are resolved (realpath) when possible. */
int pl__tparams_format(const pl_tournament_options *o, char *values[PL__TPARAMS]);

/* ---- Running (run.c), used by mpi.c ---- */

/* A queue of finished rows with a writer thread or a sender. */
typedef struct pl__tqueue {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pl__trow *head, *tail;
    uint64_t pushed;
    int closed;
} pl__tqueue;

void pl__tqueue_init(pl__tqueue *q);
void pl__tqueue_destroy(pl__tqueue *q);
void pl__tqueue_push(pl__tqueue *q, pl__trow *r);
/* Everything queued (NULL when empty), waiting up to `seconds` for something. */
pl__trow *pl__tqueue_take(pl__tqueue *q, double seconds);

/* Run the sessions listed in todo[0..n) on jobs threads, pushing rows into q; polls cancel / progress on the
 * calling thread through tick (returns nonzero to stop taking new sessions). Returns 0 or PL_ENOMEM. */
typedef int (*pl__ttick)(void *ud);
int pl__tournament_work(pl_tournament *t, const uint64_t *todo, uint64_t n, pl__tqueue *q, pl__ttick tick,
                        void *ud, pl_diag *d);

/* Other MPI ranks as seen by rank 0: share gives this rank's part of the missing sessions; poll moves rows that
 * other ranks finished into q; finished says every other rank is done. */
typedef void (*pl__tremote_poll)(void *ud, pl__tqueue *q);
typedef struct pl__tremote {
    void *ud;
    int (*share)(void *ud, const uint64_t *todo, uint64_t n, const uint64_t **mine, uint64_t *n_mine, pl_diag *d);
    pl__tremote_poll poll;
    int (*finished)(void *ud);
} pl__tremote;

/* Open the store, find the missing sessions, run this process's share on threads with the writer thread.
 * remote: NULL for a single process. */
int pl__tournament_run_root(pl_tournament *t, const char *dir, const pl__tremote *remote, pl_diag *d);
/* The MPI run (mpi.c); PL_EUNSUPPORTED when built without MPI. */
int pl__tournament_run_mpi(pl_tournament *t, const char *dir, pl_diag *d);

double pl__tnow(void);

/* Session index's seed (pl_tournament_session_seed of its identity). */
uint64_t pl__tournament_seed(const pl_tournament *t, uint64_t index);
/* "a1b2...": the hashes as 16-digit hex, separated by spaces (stored with the plan; compared on resume). NULL on
 * ENOMEM. */
char *pl__hashes_text(const uint64_t *h, size_t n);

#endif
