/* parley serve: shared state of the web server (cmd_serve.c: options, scenario catalogue, daemon, signals;
 * serve_api.c: the JSON API and the games table; serve_explore.c: the report and watch endpoints; serve_json.c:
 * JSON views of scenarios and outcomes). */
#ifndef PL_CLI_SERVE_H
#define PL_CLI_SERVE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "parley/game.h"
#include "parley/parley.h"

/* Files compiled into the binary (cmake/embed.cmake). */
typedef struct pl_embedded_file {
    const char *name;
    const char *data;
    size_t size;
} pl_embedded_file;
extern const pl_embedded_file serve_web_files[], serve_scenario_files[];
extern const size_t serve_web_files_count, serve_scenario_files_count;

/* One scenario offered by the server: an id (a slug: letters, digits, '-', '_'), never a path. */
typedef struct serve_scenario {
    char id[64];
    pl_scenario *sc;
    pl_negotiation *neg;
    const pl_analysis *analysis; /* the negotiation's (NULL when it could not be computed) */
    uint64_t outcomes;           /* UINT64_MAX when too many to count */
} serve_scenario;

#define PL_ISSUES_MAX_SERVE 256 /* issues of a scenario a game on the server may have */

typedef struct serve_game serve_game;

typedef struct serve_state {
    serve_scenario *scenarios;
    size_t n_scenarios;
    pl_registry *reg;
    /* Limits. */
    size_t max_games;
    double idle_seconds;
    size_t max_body;
    uint64_t max_rounds;
    /* The games table: slots, under mu. */
    pthread_mutex_t mu;
    serve_game **games; /* max_games slots */
    size_t live;
} serve_state;

/* Status codes the API answers with. */
enum {
    HTTP_OK = 200,
    HTTP_CREATED = 201,
    HTTP_BAD = 400,
    HTTP_UNAUTHORIZED = 401,
    HTTP_NOT_FOUND = 404,
    HTTP_METHOD = 405,
    HTTP_CONFLICT = 409,
    HTTP_TOO_LARGE = 413,
    HTTP_UNAVAILABLE = 503,
    HTTP_ERROR = 500
};

/* A response: status, content type, body (malloc'd; the caller frees it). */
typedef struct serve_response {
    int status;
    const char *type;
    char *body;
    size_t len;
    int body_static; /* body points into the binary: not freed */
} serve_response;

/* Handle one API request (path starts with "/api/"). auth: the Authorization header or NULL. body: the request body
 * (len bytes, not NUL-terminated) or NULL. Fills res. */
void serve_api(serve_state *s, const char *method, const char *path, const char *auth, const char *body, size_t len,
               serve_response *res);
/* The explore and watch endpoints (serve_explore.c): POST /api/scenarios/{id}/report and POST /api/watch. */
void serve_report(serve_state *s, const serve_scenario *ss, const char *body, size_t len, serve_response *res);
void serve_watch(serve_state *s, const char *body, size_t len, serve_response *res);

/* Helpers of the API (serve_api.c): a JSON answer (takes j), an {"error": ...} answer, the body parsed as an object
 * (NULL with a 400 answer otherwise), a non-negative integer member (def when absent; -1 with a 400 answer when
 * malformed or above max), a scenario by id (-1 when none). */
void serve_respond_json(serve_response *res, int status, json_t *j);
void serve_respond_error(serve_response *res, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
json_t *serve_parse_body(const char *body, size_t len, serve_response *res);
int serve_get_u64(json_t *j, const char *key, uint64_t def, uint64_t max, uint64_t *out, serve_response *res);
long serve_find_scenario(serve_state *s, const char *id);

/* Free every game whose last use is older than the idle limit (or every game when all is 1). */
void serve_sweep(serve_state *s, int all);

/* JSON helpers (serve_json.c). */
json_t *serve_outcome_json(const pl_space *sp, const uint32_t *outcome);
/* Parse {"issue": "label" or number, ...} naming every issue once; 0, or -1 with msg filled. */
int serve_outcome_parse(const pl_space *sp, json_t *obj, uint32_t *outcome, char *msg, size_t size);
json_t *serve_preferences_json(const pl_scenario *sc, size_t party);
json_t *serve_scenario_summary(const serve_scenario *ss);
json_t *serve_scenario_detail(const serve_scenario *ss, int explore);
/* A number as JSON (NaN and infinities as null). */
json_t *serve_number(double x);

#endif
