/* parley serve: the JSON API (docs/web.md) and the table of live games. Every game is a pl_game (parley/game.h), so
 * its result and trace are those of a normal parley run. Invariants: a game is freed only with no request using it
 * (refs == 0); a player's view never holds another party's preferences or utilities before the game is over. */
#define _GNU_SOURCE
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "cli.h"
#include "serve.h"

struct serve_game {
    char id[33];
    char token[2][65]; /* per human player: [0] the creator, [1] the one who joined by invite */
    char invite[65];   /* "" when the opponent is an agent */
    int joined;        /* the invited player has joined (under the table's lock: joined_of) */
    size_t human[2];   /* the parties the players play */
    size_t n_humans;
    size_t scenario;
    pl_agent_spec *agent; /* the agent playing every other party, or NULL */
    char opponent[128];
    uint64_t rounds, seed;
    pl_game *g;
    double last_used;
    int refs;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* n random bytes as 2n hex digits (getrandom: the kernel's CSPRNG). */
static int random_hex(char *out, size_t n)
{
    unsigned char buf[32];
    if (n > sizeof buf || getrandom(buf, n, 0) != (ssize_t)n) {
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        snprintf(out + 2 * k, 3, "%02x", buf[k]);
    }
    return 0;
}

/* Compare without an early exit, so timing does not tell how much of a token was right. */
static int same_secret(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned diff = la != lb || la == 0;
    for (size_t k = 0; k < la && k < lb; k++) {
        diff |= (unsigned char)(a[k] ^ b[k]);
    }
    return diff == 0;
}

void serve_respond_json(serve_response *res, int status, json_t *j)
{
    res->status = status;
    res->type = "application/json";
    res->body = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!res->body) {
        res->status = HTTP_ERROR;
        res->body = strdup("{\"error\":\"out of memory\"}");
    }
    res->len = res->body ? strlen(res->body) : 0;
}

void serve_respond_error(serve_response *res, int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    serve_respond_json(res, status, json_pack("{s:s}", "error", msg));
}

/* ---- The games table ---- */

static void game_destroy(serve_game *sg)
{
    if (sg) {
        pl_game_free(sg->g);
        pl_agent_spec_free(sg->agent);
        free(sg);
    }
}

void serve_sweep(serve_state *s, int all)
{
    double now = now_seconds();
    serve_game *dead[64];
    size_t n;
    do {
        n = 0;
        pthread_mutex_lock(&s->mu);
        for (size_t k = 0; k < s->max_games && n < 64; k++) {
            serve_game *sg = s->games[k];
            if (sg && sg->refs == 0 && (all || now - sg->last_used > s->idle_seconds)) {
                dead[n++] = sg;
                s->games[k] = NULL;
                s->live--;
            }
        }
        pthread_mutex_unlock(&s->mu);
        for (size_t k = 0; k < n; k++) {
            game_destroy(dead[k]); /* outside the lock: stopping a session joins its thread */
        }
    } while (n == 64);
}

static serve_game *game_acquire(serve_state *s, const char *id)
{
    serve_game *found = NULL;
    pthread_mutex_lock(&s->mu);
    for (size_t k = 0; k < s->max_games; k++) {
        if (s->games[k] && strcmp(s->games[k]->id, id) == 0) {
            found = s->games[k];
            found->refs++;
            found->last_used = now_seconds();
            break;
        }
    }
    pthread_mutex_unlock(&s->mu);
    return found;
}

static void game_release(serve_state *s, serve_game *sg)
{
    pthread_mutex_lock(&s->mu);
    sg->refs--;
    sg->last_used = now_seconds();
    pthread_mutex_unlock(&s->mu);
}

/* Whether the invited player has joined (set by another request: read under the table's lock). */
static int joined_of(serve_state *s, const serve_game *sg)
{
    pthread_mutex_lock(&s->mu);
    int j = sg->joined;
    pthread_mutex_unlock(&s->mu);
    return j;
}

/* Which player the bearer token belongs to: 0 or 1, or -1. */
static int player_of(serve_state *s, const serve_game *sg, const char *auth)
{
    static const char prefix[] = "Bearer ";
    if (!auth || strncmp(auth, prefix, sizeof prefix - 1) != 0) {
        return -1;
    }
    const char *tok = auth + sizeof prefix - 1;
    int who = -1, joined = joined_of(s, sg);
    for (size_t k = 0; k < sg->n_humans; k++) {
        if ((k == 0 || joined) && same_secret(tok, sg->token[k])) {
            who = (int)k;
        }
    }
    return who;
}

/* ---- Views ---- */

static const char *status_for(serve_state *s, const serve_game *sg, const pl_game_info *info, size_t party)
{
    if (info->state == PL_GAME_OVER) {
        const pl_session_result *r = pl_game_result(sg->g);
        return r && r->status == PL_SESSION_AGREEMENT ? "agreed" : "ended";
    }
    if (sg->n_humans == 2 && !joined_of(s, sg)) {
        return "waiting";
    }
    return info->party == party ? "your_turn" : "their_turn";
}

/* The game as party `party` may see it: its own preferences and utilities only, until the end. */
static json_t *game_view(serve_state *s, serve_game *sg, size_t party)
{
    const serve_scenario *ss = &s->scenarios[sg->scenario];
    const pl_scenario *sc = ss->sc;
    const pl_space *sp = pl_scenario_space(sc);
    size_t np = pl_scenario_party_count(sc);
    const pl_ufun *own = pl_scenario_ufun(sc, party);
    pl_game_info info;
    pl_game_get_info(sg->g, &info);
    int over = info.state == PL_GAME_OVER;
    json_t *o = json_object();
    json_object_set_new(o, "game", json_string(sg->id));
    json_object_set_new(o, "scenario", json_string(ss->id));
    json_object_set_new(o, "party", json_integer((json_int_t)party));
    json_object_set_new(o, "role", json_string(pl_scenario_party_name(sc, party)));
    json_t *parties = json_array();
    for (size_t k = 0; k < np; k++) {
        json_array_append_new(parties, json_string(pl_scenario_party_name(sc, k)));
    }
    json_object_set_new(o, "parties", parties);
    json_object_set_new(o, "opponent", json_string(sg->opponent));
    json_object_set_new(o, "status", json_string(status_for(s, sg, &info, party)));
    json_object_set_new(o, "round", json_integer((json_int_t)info.round));
    json_object_set_new(o, "rounds", json_integer((json_int_t)sg->rounds));
    json_object_set_new(o, "t", serve_number(info.t));
    json_object_set_new(o, "has_offer", json_boolean(info.has_offer));
    json_t *offers = json_array();
    for (size_t k = 0; k < info.actions; k++) {
        pl_action_record rec;
        if (pl_game_action(sg->g, k, &rec) < 0) {
            break;
        }
        json_t *a = json_object();
        json_object_set_new(a, "round", json_integer((json_int_t)rec.round));
        json_object_set_new(a, "party", json_integer((json_int_t)rec.party));
        json_object_set_new(a, "action", json_string(pl_action_name(rec.action)));
        if (rec.outcome) {
            json_object_set_new(a, "outcome", serve_outcome_json(sp, rec.outcome));
            json_object_set_new(a, "utility", serve_number(pl_ufun_eval(own, rec.outcome)));
            if (over) {
                json_t *all = json_array();
                for (size_t q = 0; q < np; q++) {
                    json_array_append_new(all, serve_number(pl_ufun_eval(pl_scenario_ufun(sc, q), rec.outcome)));
                }
                json_object_set_new(a, "utilities", all);
            }
        }
        json_array_append_new(offers, a);
    }
    json_object_set_new(o, "offers", offers);
    json_object_set_new(o, "preferences", serve_preferences_json(sc, party));
    const pl_session_result *r = over ? pl_game_result(sg->g) : NULL;
    json_object_set_new(o, "agreement", r && r->has_agreement ? serve_outcome_json(sp, r->agreement) : json_null());
    if (r) {
        /* The debrief: now every party's preferences and utilities. */
        json_t *db = json_object();
        json_object_set_new(db, "status", json_string(pl_session_status_name(r->status)));
        json_object_set_new(db, "reason", json_string(r->reason));
        json_t *u = json_array(), *raw = json_array(), *prefs = json_array();
        for (size_t q = 0; q < np; q++) {
            json_array_append_new(u, serve_number(r->utilities[q]));
            json_array_append_new(raw, serve_number(r->raw_utilities[q]));
            json_array_append_new(prefs, serve_preferences_json(sc, q));
        }
        json_object_set_new(db, "utilities", u);
        json_object_set_new(db, "raw_utilities", raw);
        json_object_set_new(db, "pareto_distance", serve_number(r->pareto_distance));
        json_object_set_new(db, "nash_distance", serve_number(r->nash_distance));
        json_object_set_new(db, "welfare", serve_number(r->welfare));
        json_object_set_new(db, "preferences", prefs);
        json_object_set_new(o, "debrief", db);
    }
    return o;
}

/* ---- Requests ---- */

long serve_find_scenario(serve_state *s, const char *id)
{
    for (size_t k = 0; k < s->n_scenarios; k++) {
        if (strcmp(s->scenarios[k].id, id) == 0) {
            return (long)k;
        }
    }
    return -1;
}

json_t *serve_parse_body(const char *body, size_t len, serve_response *res)
{
    json_error_t err;
    json_t *j = body && len ? json_loadb(body, len, JSON_REJECT_DUPLICATES, &err) : NULL;
    if (!j) {
        serve_respond_error(res, HTTP_BAD, "malformed JSON: %s", body && len ? err.text : "empty body");
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        serve_respond_error(res, HTTP_BAD, "expected a JSON object");
        return NULL;
    }
    return j;
}

/* A non-negative integer member, or def when absent; -1 (response filled) when malformed or above max. */
int serve_get_u64(json_t *j, const char *key, uint64_t def, uint64_t max, uint64_t *out, serve_response *res)
{
    json_t *v = json_object_get(j, key);
    if (!v) {
        *out = def;
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max) {
        serve_respond_error(res, HTTP_BAD, "%s: expected an integer in [0, %llu]", key, (unsigned long long)max);
        return -1;
    }
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

static void create_game(serve_state *s, const char *body, size_t len, serve_response *res)
{
    json_t *j = serve_parse_body(body, len, res);
    if (!j) {
        return;
    }
    serve_game *sg = NULL;
    json_t *sv = json_object_get(j, "scenario"), *rv = json_object_get(j, "role"), *ov = json_object_get(j, "opponent");
    if (!json_is_string(sv)) {
        serve_respond_error(res, HTTP_BAD, "scenario: expected a scenario id (GET /api/scenarios)");
        goto done;
    }
    long si = serve_find_scenario(s, json_string_value(sv));
    if (si < 0) {
        serve_respond_error(res, HTTP_NOT_FOUND, "no scenario with id \"%.60s\"", json_string_value(sv));
        goto done;
    }
    const pl_scenario *sc = s->scenarios[si].sc;
    size_t np = pl_scenario_party_count(sc);
    long role = 0;
    if (json_is_integer(rv)) {
        role =
            json_integer_value(rv) >= 0 && json_integer_value(rv) < (json_int_t)np ? (long)json_integer_value(rv) : -1;
    } else if (json_is_string(rv)) {
        role = pl_scenario_find_party(sc, json_string_value(rv));
    } else if (rv) {
        role = -1;
    }
    if (role < 0) {
        serve_respond_error(res, HTTP_BAD, "role: expected a party name or index of the scenario");
        goto done;
    }
    const char *opp = ov ? json_string_value(ov) : "boulware";
    if (!opp || strlen(opp) >= sizeof sg->opponent) {
        serve_respond_error(res, HTTP_BAD, "opponent: expected an agent spec or \"human\"");
        goto done;
    }
    int human = strcmp(opp, "human") == 0;
    if (human && np != 2) {
        serve_respond_error(res, HTTP_BAD, "a game between people needs a scenario with 2 parties (this one has %zu)",
                            np);
        goto done;
    }
    sg = calloc(1, sizeof *sg);
    if (!sg) {
        serve_respond_error(res, HTTP_ERROR, "out of memory");
        goto done;
    }
    if (serve_get_u64(j, "rounds", 20, s->max_rounds, &sg->rounds, res) < 0 ||
        serve_get_u64(j, "seed", 1, UINT64_MAX >> 1, &sg->seed, res) < 0) {
        goto done;
    }
    if (sg->rounds == 0) {
        serve_respond_error(res, HTTP_BAD, "rounds: a game needs at least 1 round");
        goto done;
    }
    snprintf(sg->opponent, sizeof sg->opponent, "%s", opp);
    sg->scenario = (size_t)si;
    sg->human[0] = (size_t)role;
    sg->n_humans = 1;
    pl_diag d;
    pl_diag_clear(&d);
    if (human) {
        sg->human[1] = 1 - (size_t)role;
        sg->n_humans = 2;
    } else if (pl_agent_spec_parse(s->reg, opp, &sg->agent, &d) < 0) {
        serve_respond_error(res, HTTP_BAD, "opponent: %s", d.message);
        goto done;
    }
    if (random_hex(sg->id, 16) < 0 || random_hex(sg->token[0], 32) < 0 || random_hex(sg->token[1], 32) < 0 ||
        (human && random_hex(sg->invite, 32) < 0)) {
        serve_respond_error(res, HTTP_ERROR, "no random numbers");
        goto done;
    }
    /* Reserve a slot before starting the session. */
    serve_sweep(s, 0);
    size_t slot = s->max_games;
    pthread_mutex_lock(&s->mu);
    for (size_t k = 0; k < s->max_games; k++) {
        if (!s->games[k]) {
            slot = k;
            s->games[k] = sg;
            s->live++;
            sg->refs = 1;
            sg->last_used = now_seconds();
            break;
        }
    }
    pthread_mutex_unlock(&s->mu);
    if (slot == s->max_games) {
        serve_respond_error(res, HTTP_UNAVAILABLE, "the server holds its maximum of %zu live games: try again later",
                            s->max_games);
        goto done;
    }
    const pl_agent_spec *players[64] = {0};
    if (np > 64) {
        np = 64; /* pl_game_new then refuses the party count */
    }
    for (size_t k = 0; k < np; k++) {
        players[k] = (k == sg->human[0] || (human && k == sg->human[1])) ? NULL : sg->agent;
    }
    pl_game_options go;
    pl_game_options_init(&go);
    go.rounds = sg->rounds;
    go.seed = sg->seed;
    go.move_timeout = s->idle_seconds;
    int rc = pl_game_new(s->scenarios[si].neg, players, pl_scenario_party_count(sc), &go, &sg->g, &d);
    if (rc < 0) {
        serve_respond_error(res, rc == PL_ENOMEM ? HTTP_ERROR : HTTP_BAD, "%s", d.message);
        pthread_mutex_lock(&s->mu);
        s->games[slot] = NULL;
        s->live--;
        pthread_mutex_unlock(&s->mu);
        goto done;
    }
    json_t *out = json_pack("{s:s,s:s,s:I}", "game", sg->id, "token", sg->token[0], "party", (json_int_t)role);
    if (human) {
        json_object_set_new(out, "invite", json_string(sg->invite));
    }
    game_release(s, sg);
    sg = NULL;
    serve_respond_json(res, HTTP_CREATED, out);
done:
    game_destroy(sg);
    json_decref(j);
}

static void join_game(serve_state *s, serve_game *sg, const char *body, size_t len, serve_response *res)
{
    json_t *j = serve_parse_body(body, len, res);
    if (!j) {
        return;
    }
    json_t *iv = json_object_get(j, "invite");
    int ok = 0, already = 0;
    pthread_mutex_lock(&s->mu);
    if (sg->n_humans == 2 && json_is_string(iv) && same_secret(json_string_value(iv), sg->invite)) {
        already = sg->joined;
        ok = !already;
        sg->joined = 1;
    }
    pthread_mutex_unlock(&s->mu);
    if (already) {
        serve_respond_error(res, HTTP_CONFLICT, "this invitation was used already");
    } else if (!ok) {
        serve_respond_error(res, HTTP_UNAUTHORIZED, "wrong or missing invite");
    } else {
        serve_respond_json(
            res, HTTP_OK,
            json_pack("{s:s,s:s,s:I}", "game", sg->id, "token", sg->token[1], "party", (json_int_t)sg->human[1]));
    }
    json_decref(j);
}

static void act(serve_state *s, serve_game *sg, size_t party, const char *verb, const char *body, size_t len,
                serve_response *res)
{
    const pl_space *sp = pl_scenario_space(s->scenarios[sg->scenario].sc);
    uint32_t outcome[PL_ISSUES_MAX_SERVE];
    pl_action_kind kind = strcmp(verb, "offer") == 0    ? PL_ACTION_OFFER
                          : strcmp(verb, "accept") == 0 ? PL_ACTION_ACCEPT
                                                        : PL_ACTION_END;
    int need_outcome = kind == PL_ACTION_OFFER || strcmp(verb, "utility") == 0;
    if (need_outcome) {
        json_t *j = serve_parse_body(body, len, res);
        if (!j) {
            return;
        }
        char msg[256];
        if (pl_space_issue_count(sp) > PL_ISSUES_MAX_SERVE) {
            json_decref(j);
            serve_respond_error(res, HTTP_BAD, "too many issues for the server");
            return;
        }
        int bad = serve_outcome_parse(sp, json_object_get(j, "outcome"), outcome, msg, sizeof msg);
        json_decref(j);
        if (bad) {
            serve_respond_error(res, HTTP_BAD, "%s", msg);
            return;
        }
        if (strcmp(verb, "utility") == 0) {
            double u = pl_ufun_eval(pl_scenario_ufun(s->scenarios[sg->scenario].sc, party), outcome);
            serve_respond_json(res, HTTP_OK, json_pack("{s:o}", "utility", serve_number(u)));
            return;
        }
    }
    if (sg->n_humans == 2 && !joined_of(s, sg)) {
        serve_respond_error(res, HTTP_CONFLICT, "waiting for the other player to join");
        return;
    }
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_game_act(sg->g, party, kind, need_outcome ? outcome : NULL, &d);
    if (rc == PL_EBUSY) {
        serve_respond_error(res, HTTP_CONFLICT, "%s", d.message);
    } else if (rc < 0) {
        serve_respond_error(res, rc == PL_ENOMEM ? HTTP_ERROR : HTTP_BAD, "%s", d.message);
    } else {
        serve_respond_json(res, HTTP_OK, game_view(s, sg, party));
    }
}

static int valid_id(const char *id, size_t max)
{
    size_t n = strlen(id);
    if (n == 0 || n >= max) {
        return 0;
    }
    for (size_t k = 0; k < n; k++) {
        char c = id[k];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.')) {
            return 0;
        }
    }
    return 1;
}

static void game_request(serve_state *s, const char *method, const char *id, const char *verb, const char *auth,
                         const char *body, size_t len, serve_response *res)
{
    serve_game *sg = valid_id(id, sizeof sg->id) ? game_acquire(s, id) : NULL;
    if (!sg) {
        serve_respond_error(res, HTTP_NOT_FOUND, "no game with this id (games expire when idle)");
        return;
    }
    int post = strcmp(method, "POST") == 0;
    if (verb && strcmp(verb, "join") == 0) {
        if (!post) {
            serve_respond_error(res, HTTP_METHOD, "use POST");
        } else {
            join_game(s, sg, body, len, res);
        }
        game_release(s, sg);
        return;
    }
    int who = player_of(s, sg, auth);
    if (who < 0) {
        serve_respond_error(res, HTTP_UNAUTHORIZED, "missing or wrong token (Authorization: Bearer TOKEN)");
    } else if (!verb) {
        if (post) {
            serve_respond_error(res, HTTP_METHOD, "use GET");
        } else {
            serve_respond_json(res, HTTP_OK, game_view(s, sg, sg->human[who]));
        }
    } else if (strcmp(verb, "offer") == 0 || strcmp(verb, "accept") == 0 || strcmp(verb, "end") == 0 ||
               strcmp(verb, "utility") == 0) {
        if (!post) {
            serve_respond_error(res, HTTP_METHOD, "use POST");
        } else {
            act(s, sg, sg->human[who], verb, body, len, res);
        }
    } else if (strcmp(verb, "trace") == 0 || strcmp(verb, "run") == 0) {
        const pl_session_result *r = pl_game_result(sg->g);
        const pl_scenario *sc = s->scenarios[sg->scenario].sc;
        pl_diag d;
        pl_diag_clear(&d);
        char *text = NULL;
        int rc = 0;
        if (!r) {
            serve_respond_error(res, HTTP_CONFLICT, "the game is not over yet");
        } else if (strcmp(verb, "trace") == 0) {
            rc = pl_game_trace_to_json(sg->g, &text, &d);
        } else {
            size_t np = pl_scenario_party_count(sc);
            const char *agents[64];
            for (size_t k = 0; k < np && k < 64; k++) {
                int h = k == sg->human[0] || (sg->n_humans == 2 && k == sg->human[1]);
                agents[k] = h ? "human" : pl_agent_spec_text(sg->agent);
            }
            pl_session_options so;
            pl_session_options_init(&so);
            so.rounds = sg->rounds;
            so.seed = sg->seed;
            pl_run_info info;
            pl_run_info_init(&info, &so);
            info.agents = agents;
            rc = pl_run_to_json(sc, &info, r, &text, &d);
        }
        if (r && rc < 0) {
            serve_respond_error(res, HTTP_ERROR, "%s", d.message);
        } else if (r) {
            res->status = HTTP_OK;
            res->type = strcmp(verb, "trace") == 0 ? "application/x-ndjson" : "application/json";
            res->body = text;
            res->len = strlen(text);
        }
    } else {
        serve_respond_error(res, HTTP_NOT_FOUND, "no such action");
    }
    game_release(s, sg);
}

void serve_api(serve_state *s, const char *method, const char *path, const char *auth, const char *body, size_t len,
               serve_response *res)
{
    char buf[256];
    if (strlen(path) >= sizeof buf) {
        serve_respond_error(res, HTTP_NOT_FOUND, "no such resource");
        return;
    }
    snprintf(buf, sizeof buf, "%s", path + strlen("/api/"));
    char *parts[4] = {0};
    size_t n = 0;
    for (char *save = NULL, *p = strtok_r(buf, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
        if (n == 4) {
            serve_respond_error(res, HTTP_NOT_FOUND, "no such resource");
            return;
        }
        parts[n++] = p;
    }
    int get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
    if (!get && !post) {
        serve_respond_error(res, HTTP_METHOD, "only GET and POST");
    } else if (n == 1 && strcmp(parts[0], "scenarios") == 0 && get) {
        json_t *a = json_array();
        for (size_t k = 0; k < s->n_scenarios; k++) {
            json_array_append_new(a, serve_scenario_summary(&s->scenarios[k]));
        }
        serve_respond_json(res, HTTP_OK, a);
    } else if (n == 2 && strcmp(parts[0], "scenarios") == 0 && get) {
        char *q = strchr(parts[1], '?');
        int explore = 0;
        if (q) {
            *q = '\0';
            explore = strcmp(q + 1, "explore=1") == 0;
        }
        long k = valid_id(parts[1], sizeof s->scenarios[0].id) ? serve_find_scenario(s, parts[1]) : -1;
        if (k < 0) {
            serve_respond_error(res, HTTP_NOT_FOUND, "no scenario with this id");
        } else {
            serve_respond_json(res, HTTP_OK, serve_scenario_detail(&s->scenarios[k], explore));
        }
    } else if (n == 3 && strcmp(parts[0], "scenarios") == 0 && strcmp(parts[2], "report") == 0 && post) {
        long k = valid_id(parts[1], sizeof s->scenarios[0].id) ? serve_find_scenario(s, parts[1]) : -1;
        if (k < 0) {
            serve_respond_error(res, HTTP_NOT_FOUND, "no scenario with this id");
        } else {
            serve_report(s, &s->scenarios[k], body, len, res);
        }
    } else if (n == 1 && strcmp(parts[0], "agents") == 0 && get) {
        json_t *a = json_array();
        for (size_t k = 0; k < pl_registry_count(s->reg); k++) {
            const pl_agent_type *t = pl_registry_type(s->reg, k);
            if (t->respond && t->propose) {
                json_array_append_new(
                    a, json_pack("{s:s,s:s}", "name", t->name, "description", t->description ? t->description : ""));
            }
        }
        serve_respond_json(res, HTTP_OK, a);
    } else if (n == 1 && strcmp(parts[0], "games") == 0 && post) {
        create_game(s, body, len, res);
    } else if (n == 1 && strcmp(parts[0], "watch") == 0 && post) {
        serve_watch(s, body, len, res);
    } else if ((n == 2 || n == 3) && strcmp(parts[0], "games") == 0) {
        game_request(s, method, parts[1], n == 3 ? parts[2] : NULL, auth, body, len, res);
    } else {
        serve_respond_error(res, HTTP_NOT_FOUND, "no such resource");
    }
}
