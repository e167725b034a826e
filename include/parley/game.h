/* Games: a stacked alternating offers session in which some parties are played remotely (a person at a web page, a
 * program over a socket) and the others by agents. The session is an ordinary pl_session_run on a thread of its own;
 * a remote party is an agent ("remote") that waits until pl_game_act supplies its move, so a game's result and trace
 * are exactly those of a session between agents making the same moves (the same writers of record.h apply).
 *
 * Calls on one game may come from any thread; each locks the game. pl_game_new and pl_game_act return once the
 * session is waiting for a remote party or is over: agents' answers are in before they return. */
#ifndef PARLEY_GAME_H
#define PARLEY_GAME_H

#include <stddef.h>
#include <stdint.h>

#include "parley/agent.h"
#include "parley/error.h"
#include "parley/export.h"
#include "parley/session.h"

typedef struct pl_game pl_game;

typedef struct pl_game_options {
    size_t size;          /* sizeof the struct as the caller was compiled: set by pl_game_options_init */
    uint64_t rounds;      /* round deadline (default 20; required: games have no time limit) */
    uint64_t seed;        /* the session seed (agents' seeds derive from it as in pl_session_run; default 1) */
    pl_protocol protocol; /* PL_PROTOCOL_SAOP (default) or PL_PROTOCOL_SAOP_GENIUS */
    int metrics;          /* compute Pareto/Nash distances at the end (default 1) */
    double move_timeout;  /* seconds a remote party may take for a move; then it breaks the protocol (the reason
                             says so). 0 = wait forever (default 600) */
} pl_game_options;

PL_API void pl_game_options_init_size(pl_game_options *o, size_t size);
#define pl_game_options_init(o) pl_game_options_init_size((o), sizeof *(o))

typedef enum pl_game_state {
    PL_GAME_WAITING = 0, /* waiting for the move of a remote party (pl_game_info.party) */
    PL_GAME_OVER = 1     /* the session has ended: pl_game_result */
} pl_game_state;

/* Where a game stands. */
typedef struct pl_game_info {
    pl_game_state state;
    size_t party;   /* PL_GAME_WAITING: the remote party whose move it is */
    uint64_t round; /* the current round (the last one when over) */
    double t;       /* its relative time */
    int has_offer;  /* an offer is on the table (else the waiting party must open with an offer) */
    size_t actions; /* actions so far (pl_game_action) */
} pl_game_info;

/* Start a game: agents[k] plays party k, or NULL when party k is remote (at least one must be). Borrows n and the
 * specs (they must outlive the game). Returns once the session waits for a remote party or is over. *out belongs
 * to the caller (pl_game_free). Errors: PL_EINVAL (bad options, party count, a protocol other than SAOP, no remote
 * party), PL_ENOMEM, PL_EIO (no thread), with d filled. */
PL_API int pl_game_new(pl_negotiation *n, const pl_agent_spec *const *agents, size_t n_agents,
                       const pl_game_options *opts, pl_game **out, pl_diag *d);
/* Stop the session if it still runs (the waiting remote party is recorded as breaking off: status violation), join
 * its thread and free everything. No other call on the game may be in progress. NULL-safe. */
PL_API void pl_game_free(pl_game *g);

PL_API void pl_game_get_info(pl_game *g, pl_game_info *info);

/* Move of remote party `party`: PL_ACTION_OFFER with outcome (one value index per issue; rejects the offer on the
 * table), PL_ACTION_ACCEPT or PL_ACTION_END (outcome NULL). Returns once agents have answered. Errors: PL_EBUSY (the
 * game is over or it is not this party's turn), PL_EINVAL (an invalid outcome or action, nothing to accept, or an
 * end before the first offer: the opening party must offer). */
PL_API int pl_game_act(pl_game *g, size_t party, pl_action_kind action, const uint32_t *outcome, pl_diag *d);

/* Action k (0 <= k < info.actions) as pl_session_options.on_action saw it. rec->outcome points into the game and
 * lives until pl_game_free. PL_ERANGE when k is out of range. */
PL_API int pl_game_action(pl_game *g, size_t k, pl_action_record *rec);

/* The session's result once the game is over (owned by the game), else NULL. */
PL_API const pl_session_result *pl_game_result(pl_game *g);

/* The trace so far as `parley run --trace` writes it (JSON Lines). *out: the caller frees it with pl_free.
 * Errors: PL_ENOMEM. */
PL_API int pl_game_trace_to_json(pl_game *g, char **out, pl_diag *d);

#endif
