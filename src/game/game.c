/* Games (parley/game.h): pl_session_run on a thread of its own, where remote parties are played by the "remote" agent
 * type, which waits on the game's condition variable for pl_game_act to hand it a move.
 * Invariant: the session thread touches the game's shared fields only under g->mu; when a caller sees
 * PL_GAME_WAITING with no move pending, the session thread is blocked inside a remote agent's respond or propose. */
#define _POSIX_C_SOURCE 200809L
#include "parley/game.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/internal.h"
#include "parley/record.h"

typedef struct game_action {
    pl_action_record rec;
    uint32_t *outcome; /* owned; rec.outcome points here */
} game_action;

struct pl_game {
    pl_negotiation *neg;
    const pl_scenario *sc;
    size_t np, ni;
    pl_game_options o;
    const pl_agent_spec **specs; /* np: the caller's, or the game's remote spec */
    pl_agent_spec *remote_spec;
    pthread_t thread;
    int thread_started;
    pthread_mutex_t mu;
    pthread_cond_t to_session; /* a move is ready, or cancel */
    pthread_cond_t to_caller;  /* the session waits for a move, or is over */
    /* Under mu: */
    int waiting; /* the session thread waits for party `party` */
    int over;
    int cancel;
    int move_ready;
    pl_action_kind move;
    uint32_t *move_outcome; /* ni */
    size_t party;
    uint64_t round;
    double t;
    int has_offer;
    game_action *actions;
    size_t n_actions, cap_actions;
    int record_failed;
    pl_session_result result;
    int run_rc;
};

/* The remote agent's state: the game and its party; pending holds the counter-offer between respond and propose. */
typedef struct remote {
    pl_game *g;
    size_t party;
    int has_pending;
    uint32_t *pending;
} remote;

/* pl_session_run runs on the game's own thread, so the remote agents it starts find their game here. */
static _Thread_local pl_game *tls_game;

void pl_game_options_init_size(pl_game_options *out, size_t size)
{
    pl_game_options defaults, *o = &defaults;
    memset(o, 0, sizeof *o);
    o->rounds = 20;
    o->seed = 1;
    o->protocol = PL_PROTOCOL_SAOP;
    o->metrics = 1;
    o->move_timeout = 600;
    o->size = sizeof *o;
    pl__opts_init(out, size, o, sizeof *o);
}

static int remote_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    pl_game *g = tls_game;
    if (!g) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "the remote agent plays only inside a game (pl_game_new)");
    }
    remote *a = pl__calloc(1, sizeof *a);
    uint32_t *p = pl__calloc(g->ni ? g->ni : 1, sizeof *p);
    if (!a || !p) {
        pl__free(a);
        pl__free(p);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    a->g = g;
    a->party = v->party;
    a->pending = p;
    *self = a;
    return 0;
}

static void remote_free(void *self)
{
    remote *a = self;
    if (a) {
        pl__free(a->pending);
        pl__free(a);
    }
}

/* Wait for this party's move (the game's lock is taken and released here). Returns 0 with *move set (an offer is
 * copied into a->pending), or PL_ECANCELED (cancelled or timed out) with d saying which. */
static int wait_move(remote *a, const pl_turn *tn, pl_action_kind *move, pl_diag *d)
{
    pl_game *g = a->g;
    int rc = 0;
    struct timespec until;
    if (g->o.move_timeout > 0) {
        clock_gettime(CLOCK_MONOTONIC, &until);
        double secs = floor(g->o.move_timeout);
        until.tv_sec += (time_t)secs;
        until.tv_nsec += (long)((g->o.move_timeout - secs) * 1e9);
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&g->mu);
    g->waiting = 1;
    g->party = a->party;
    g->round = tn->round;
    g->t = tn->t;
    g->has_offer = tn->offer != NULL;
    pthread_cond_broadcast(&g->to_caller);
    while (!g->move_ready && !g->cancel) {
        if (g->o.move_timeout > 0) {
            if (pthread_cond_timedwait(&g->to_session, &g->mu, &until) == ETIMEDOUT && !g->move_ready) {
                rc = pl__diag_set(d, PL_ECANCELED, NULL, 0, 0, "no move within %g seconds", g->o.move_timeout);
                break;
            }
        } else {
            pthread_cond_wait(&g->to_session, &g->mu);
        }
    }
    if (rc == 0 && g->move_ready) {
        *move = g->move;
        if (g->move == PL_ACTION_OFFER) {
            memcpy(a->pending, g->move_outcome, g->ni * sizeof *a->pending);
        }
        g->move_ready = 0;
    } else if (rc == 0) {
        rc = pl__diag_set(d, PL_ECANCELED, NULL, 0, 0, "the game was stopped");
    }
    g->waiting = 0;
    pthread_mutex_unlock(&g->mu);
    return rc;
}

static int remote_respond(void *self, const pl_turn *tn, pl_response *response, pl_diag *d)
{
    remote *a = self;
    pl_action_kind move;
    int rc = wait_move(a, tn, &move, d);
    if (rc < 0) {
        return rc;
    }
    a->has_pending = move == PL_ACTION_OFFER;
    *response = move == PL_ACTION_ACCEPT ? PL_RESPONSE_ACCEPT
                : move == PL_ACTION_END  ? PL_RESPONSE_END
                                         : PL_RESPONSE_REJECT;
    return 0;
}

static int remote_propose(void *self, const pl_turn *tn, uint32_t *outcome, pl_diag *d)
{
    remote *a = self;
    if (!a->has_pending) { /* the opening offer: respond was not called */
        pl_action_kind move;
        int rc = wait_move(a, tn, &move, d);
        if (rc < 0) {
            return rc;
        }
    }
    a->has_pending = 0;
    memcpy(outcome, a->pending, a->g->ni * sizeof *outcome);
    return 0;
}

static const pl_agent_type remote_type = {
    PL_AGENT_API_VERSION,
    "remote",
    "a party played from outside the library (a person, a program): pl_game_act",
    NULL,
    0,
    remote_start,
    remote_respond,
    remote_propose,
    NULL,
    remote_free,
    NULL,
};

/* on_action: keep a copy of every record (the session thread calls it; readers copy under the lock). */
static void on_action(void *ud, const pl_action_record *rec)
{
    pl_game *g = ud;
    pthread_mutex_lock(&g->mu);
    if (g->n_actions == g->cap_actions) {
        size_t cap = g->cap_actions ? 2 * g->cap_actions : 16;
        game_action *na = pl__realloc(g->actions, cap * sizeof *na);
        if (!na) {
            g->record_failed = 1;
            pthread_mutex_unlock(&g->mu);
            return;
        }
        g->actions = na;
        g->cap_actions = cap;
    }
    game_action *ga = &g->actions[g->n_actions];
    memset(ga, 0, sizeof *ga);
    ga->rec = *rec;
    ga->rec.votes = NULL;
    ga->rec.utilities = NULL;
    ga->rec.outcome = NULL;
    if (rec->outcome) {
        ga->outcome = pl__malloc((g->ni ? g->ni : 1) * sizeof *ga->outcome);
        if (!ga->outcome) {
            g->record_failed = 1;
            pthread_mutex_unlock(&g->mu);
            return;
        }
        memcpy(ga->outcome, rec->outcome, g->ni * sizeof *ga->outcome);
        ga->rec.outcome = ga->outcome;
    }
    g->n_actions++;
    pthread_mutex_unlock(&g->mu);
}

static void *session_thread(void *arg)
{
    pl_game *g = arg;
    tls_game = g;
    pl_session_options so;
    pl_session_options_init(&so);
    so.protocol = g->o.protocol;
    so.rounds = g->o.rounds;
    so.seed = g->o.seed;
    so.metrics = g->o.metrics;
    so.on_action = on_action;
    so.action_ud = g;
    pl_session_result r;
    pl_session_result_init(&r);
    int rc = pl_session_run(g->neg, g->specs, g->np, &so, &r, NULL);
    tls_game = NULL;
    pthread_mutex_lock(&g->mu);
    g->result = r;
    g->run_rc = rc;
    g->over = 1;
    g->waiting = 0;
    g->round = r.rounds;
    g->t = r.t;
    pthread_cond_broadcast(&g->to_caller);
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

/* Under the lock: wait until the session waits for a remote party with no move pending, or is over. */
static void wait_settled(pl_game *g)
{
    while (!g->over && (!g->waiting || g->move_ready)) {
        pthread_cond_wait(&g->to_caller, &g->mu);
    }
}

int pl_game_new(pl_negotiation *neg, const pl_agent_spec *const *agents, size_t n_agents, const pl_game_options *opts,
                pl_game **out, pl_diag *d)
{
    *out = NULL;
    pl_game_options o;
    pl_game_options_init(&o);
    int rc = PL__OPTS_READ(pl_game_options, &o, opts, move_timeout, d);
    if (rc < 0) {
        return rc;
    }
    const pl_scenario *sc = pl_negotiation_scenario(neg);
    size_t np = pl_scenario_party_count(sc);
    if (n_agents != np || np < 2) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "%zu players for %zu parties", n_agents, np);
    }
    if (o.protocol != PL_PROTOCOL_SAOP && o.protocol != PL_PROTOCOL_SAOP_GENIUS) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "games are played under stacked alternating offers only");
    }
    if (o.rounds == 0) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "a game needs a round deadline");
    }
    if (!(o.move_timeout >= 0) || isinf(o.move_timeout)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "the move timeout must be a finite number of seconds >= 0");
    }
    size_t remotes = 0;
    for (size_t k = 0; k < np; k++) {
        remotes += agents[k] == NULL;
    }
    if (remotes == 0) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "a game needs at least one remote party (a NULL agent)");
    }
    pl_game *g = pl__calloc(1, sizeof *g);
    if (!g) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    g->neg = neg;
    g->sc = sc;
    g->np = np;
    g->ni = pl_space_issue_count(pl_scenario_space(sc));
    g->o = o;
    pthread_mutex_init(&g->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g->to_session, &ca);
    pthread_condattr_destroy(&ca);
    pthread_cond_init(&g->to_caller, NULL);
    pl_session_result_init(&g->result);
    g->specs = pl__calloc(np, sizeof *g->specs);
    g->move_outcome = pl__calloc(g->ni ? g->ni : 1, sizeof *g->move_outcome);
    if (!g->specs || !g->move_outcome) {
        pl_game_free(g);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* The remote spec comes from a registry holding the remote type; the spec keeps only the (static) type. */
    pl_registry *reg = NULL;
    rc = pl_registry_new(&reg, d);
    if (rc == 0) {
        rc = pl_registry_add(reg, &remote_type, d);
    }
    if (rc == 0) {
        rc = pl_agent_spec_parse(reg, "remote", &g->remote_spec, d);
    }
    pl_registry_free(reg);
    if (rc < 0) {
        pl_game_free(g);
        return rc;
    }
    for (size_t k = 0; k < np; k++) {
        g->specs[k] = agents[k] ? agents[k] : g->remote_spec;
    }
    if (pthread_create(&g->thread, NULL, session_thread, g) != 0) {
        pl_game_free(g);
        return pl__diag_set(d, PL_EIO, NULL, 0, 0, "cannot start the game's thread");
    }
    g->thread_started = 1;
    pthread_mutex_lock(&g->mu);
    wait_settled(g);
    rc = g->over ? g->run_rc : 0;
    pthread_mutex_unlock(&g->mu);
    if (rc < 0) {
        pl_game_free(g);
        return pl__diag_set(d, rc, NULL, 0, 0, "the game's session could not be set up: %s", pl_strerror(rc));
    }
    *out = g;
    return 0;
}

void pl_game_free(pl_game *g)
{
    if (!g) {
        return;
    }
    if (g->thread_started) {
        pthread_mutex_lock(&g->mu);
        g->cancel = 1;
        pthread_cond_broadcast(&g->to_session);
        pthread_mutex_unlock(&g->mu);
        pthread_join(g->thread, NULL);
    }
    for (size_t k = 0; k < g->n_actions; k++) {
        pl__free(g->actions[k].outcome);
    }
    pl__free(g->actions);
    pl_session_result_free(&g->result);
    pl_agent_spec_free(g->remote_spec);
    pl__free(g->specs);
    pl__free(g->move_outcome);
    pthread_cond_destroy(&g->to_session);
    pthread_cond_destroy(&g->to_caller);
    pthread_mutex_destroy(&g->mu);
    pl__free(g);
}

void pl_game_get_info(pl_game *g, pl_game_info *info)
{
    pthread_mutex_lock(&g->mu);
    wait_settled(g);
    info->state = g->over ? PL_GAME_OVER : PL_GAME_WAITING;
    info->party = g->party;
    info->round = g->round;
    info->t = g->t;
    info->has_offer = g->has_offer;
    info->actions = g->n_actions;
    pthread_mutex_unlock(&g->mu);
}

int pl_game_act(pl_game *g, size_t party, pl_action_kind action, const uint32_t *outcome, pl_diag *d)
{
    int rc = 0;
    pthread_mutex_lock(&g->mu);
    wait_settled(g);
    if (g->over) {
        rc = pl__diag_set(d, PL_EBUSY, NULL, 0, 0, "the game is over");
    } else if (party != g->party) {
        rc = pl__diag_set(d, PL_EBUSY, NULL, 0, 0, "it is not this party's turn");
    } else if (action == PL_ACTION_OFFER) {
        if (!outcome || !pl_space_outcome_valid(pl_scenario_space(g->sc), outcome)) {
            rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "not a valid outcome of the scenario");
        }
    } else if (action == PL_ACTION_ACCEPT || action == PL_ACTION_END) {
        if (!g->has_offer) {
            rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "nothing is on the table yet: the opening move is an offer");
        }
    } else {
        rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "unknown action %d", (int)action);
    }
    if (rc == 0) {
        if (action == PL_ACTION_OFFER) {
            memcpy(g->move_outcome, outcome, g->ni * sizeof *outcome);
        }
        g->move = action;
        g->move_ready = 1;
        pthread_cond_broadcast(&g->to_session);
        wait_settled(g);
    }
    pthread_mutex_unlock(&g->mu);
    return rc;
}

int pl_game_action(pl_game *g, size_t k, pl_action_record *rec)
{
    int rc = 0;
    pthread_mutex_lock(&g->mu);
    if (k < g->n_actions) {
        *rec = g->actions[k].rec;
    } else {
        rc = PL_ERANGE;
    }
    pthread_mutex_unlock(&g->mu);
    return rc;
}

const pl_session_result *pl_game_result(pl_game *g)
{
    pthread_mutex_lock(&g->mu);
    wait_settled(g);
    const pl_session_result *r = g->over && g->run_rc == 0 ? &g->result : NULL;
    pthread_mutex_unlock(&g->mu);
    return r;
}

int pl_game_trace_to_json(pl_game *g, char **out, pl_diag *d)
{
    *out = NULL;
    pl__buf b;
    pl__buf_init(&b);
    int rc = 0;
    pthread_mutex_lock(&g->mu);
    wait_settled(g);
    for (size_t k = 0; k < g->n_actions && rc == 0; k++) {
        char *line = NULL;
        rc = pl_trace_action_to_json(g->sc, &g->actions[k].rec, &line, d);
        if (rc == 0) {
            pl__buf_puts(&b, line);
            pl__free(line);
        }
    }
    if (rc == 0 && g->record_failed) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory while recording the game");
    }
    pthread_mutex_unlock(&g->mu);
    if (rc == 0 && !(*out = pl__buf_take(&b))) { /* the caller frees it with pl_free */
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    pl__buf_destroy(&b);
    return rc;
}
