/* The tournament database (SQLite, WAL): schema, plan and parameters written once, parameter checks on resume,
 * the finished-session set, batched inserts by the single writer thread, and reading stored parameters back.
 * Invariant: a session has a row in `sessions` iff it finished and its transaction committed. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <sqlite3.h>

#include "parley/names.h"
#include "core/internal.h"
#include "io/json_writer.h"
#include "tournament/tournament_internal.h"

struct pl__store {
    sqlite3 *db;
    sqlite3_stmt *ins;
    int in_tx;
};

static const char *const schema =
    "CREATE TABLE params(name TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE agents(agent INTEGER PRIMARY KEY, spec TEXT NOT NULL);"
    "CREATE TABLE scenarios(scenario INTEGER PRIMARY KEY, path TEXT NOT NULL, name TEXT NOT NULL,"
    " parties TEXT NOT NULL, reservations TEXT NOT NULL);"
    "CREATE TABLE plan(session INTEGER PRIMARY KEY, scenario INTEGER NOT NULL REFERENCES scenarios,"
    " agents TEXT NOT NULL, repetition INTEGER NOT NULL, seed TEXT NOT NULL);"
    "CREATE TABLE sessions(session INTEGER PRIMARY KEY REFERENCES plan, status TEXT NOT NULL,"
    " reason TEXT NOT NULL, agreement TEXT, utilities TEXT NOT NULL, raw_utilities TEXT NOT NULL,"
    " rounds INTEGER NOT NULL, actions INTEGER NOT NULL, t REAL, seconds REAL, individually_rational INTEGER,"
    " pareto_distance REAL, nash_distance REAL, welfare REAL, culprit INTEGER);";

int pl__db_error(pl_diag *d, void *dbv, const char *path, const char *what)
{
    sqlite3 *db = dbv;
    /* A file that is not a parley database (not SQLite, corrupt, other tables) is bad input; the rest is I/O. */
    int code = PL_EIO;
    if (db) {
        switch (sqlite3_errcode(db) & 0xff) {
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT:
        case SQLITE_ERROR:
        case SQLITE_MISMATCH:
            code = PL_EPARSE;
            break;
        default:
            break;
        }
    }
    return pl__diag_set(d, code, path, 0, 0, "%s: %s", what, db ? sqlite3_errmsg(db) : "cannot open");
}

static char *db_path(const char *dir)
{
    size_t n = strlen(dir) + sizeof PL_TOURNAMENT_DB + 2;
    char *p = pl__malloc(n);
    if (p) {
        snprintf(p, n, "%s/%s", dir, PL_TOURNAMENT_DB);
    }
    return p;
}

void pl__store_close(pl__store *s)
{
    if (s) {
        sqlite3_finalize(s->ins);
        sqlite3_close(s->db);
        pl__free(s);
    }
}

static int exec(pl__store *s, const char *sql, pl_diag *d)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        return pl__db_error(d, s->db, NULL, "database");
    }
    return 0;
}

/* JSON array of party names or reservation values of scenario sc. */
static char *scenario_json(const pl_scenario *sc, int reservations)
{
    pl_jw *w = pl_jw_new(0);
    if (!w) {
        return NULL;
    }
    pl_jw_array(w);
    for (size_t k = 0; k < pl_scenario_party_count(sc); k++) {
        if (reservations) {
            pl_jw_number(w, pl_ufun_reservation(pl_scenario_ufun(sc, k)));
        } else {
            pl_jw_string(w, pl_scenario_party_name(sc, k));
        }
    }
    pl_jw_array_end(w);
    char *s = pl_jw_finish(w);
    if (s) {
        s[strcspn(s, "\n")] = 0;
    }
    return s;
}

static char *agents_json(const pl_tournament *t, const size_t *agents, size_t np)
{
    pl_jw *w = pl_jw_new(0);
    if (!w) {
        return NULL;
    }
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_string(w, t->o.agents[agents[k]]);
    }
    pl_jw_array_end(w);
    char *s = pl_jw_finish(w);
    if (s) {
        s[strcspn(s, "\n")] = 0;
    }
    return s;
}

/* A fresh database: the schema, parameters, agents, scenarios and the whole plan, in one transaction. */
static int write_plan(pl_tournament *t, pl__store *s, char *values[PL__TPARAMS], pl_diag *d)
{
    int rc = 0;
    sqlite3_stmt *st = NULL;
    char *json = NULL;
    PL_TRY(exec(s, schema, d));
#define PREP(sql)                                                                  \
    do {                                                                           \
        sqlite3_finalize(st);                                                      \
        st = NULL;                                                                 \
        if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {          \
            rc = pl__db_error(d, s->db, NULL, "database");                             \
            goto cleanup;                                                          \
        }                                                                          \
    } while (0)
#define STEP()                                                                     \
    do {                                                                           \
        if (sqlite3_step(st) != SQLITE_DONE) {                                     \
            rc = pl__db_error(d, s->db, NULL, "cannot write the plan");                \
            goto cleanup;                                                          \
        }                                                                          \
        sqlite3_reset(st);                                                         \
    } while (0)
    PREP("INSERT INTO params VALUES(?,?)");
    for (size_t k = 0; k < PL__TPARAMS; k++) {
        sqlite3_bind_text(st, 1, pl__tparam_names[k], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, values[k], -1, SQLITE_STATIC);
        STEP();
    }
    /* The content of every scenario and plug-in, so that a resume can tell when one changed. */
    for (int which = 0; which < 2; which++) {
        char *text = which == 0 ? pl__hashes_text(t->scenario_hash, t->o.n_scenarios)
                                : pl__hashes_text(t->lib_hash, t->o.n_agent_libs);
        if (!text) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        sqlite3_bind_text(st, 1, which == 0 ? "scenario_hashes" : "agent_lib_hashes", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, text, -1, SQLITE_TRANSIENT);
        pl__free(text);
        STEP();
    }
    PREP("INSERT INTO agents VALUES(?,?)");
    for (size_t k = 0; k < t->o.n_agents; k++) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)k);
        sqlite3_bind_text(st, 2, t->o.agents[k], -1, SQLITE_STATIC);
        STEP();
    }
    PREP("INSERT INTO scenarios VALUES(?,?,?,?,?)");
    for (size_t k = 0; k < t->o.n_scenarios; k++) {
        char *parties = scenario_json(t->scenarios[k], 0), *res = scenario_json(t->scenarios[k], 1);
        char *real = realpath(t->o.scenarios[k], NULL);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)k);
        sqlite3_bind_text(st, 2, real ? real : t->o.scenarios[k], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, pl_scenario_name(t->scenarios[k]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, parties, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, res, -1, SQLITE_TRANSIENT);
        int ok = parties && res;
        pl__free(parties);
        pl__free(res);
        free(real); /* realpath allocates with the C library */
        if (!ok) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        STEP();
    }
    PREP("INSERT INTO plan VALUES(?,?,?,?,?)");
    for (size_t g = 0; g < t->n_groups; g++) {
        const pl__tgroup *gr = &t->groups[g];
        pl__free(json);
        json = agents_json(t, gr->agents, pl_scenario_party_count(t->scenarios[gr->scenario]));
        if (!json) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        for (uint64_t r = 0; r < t->o.reps; r++) {
            char seed[32];
            snprintf(seed, sizeof seed, "%llu",
                     (unsigned long long)pl__tournament_seed(t, gr->first + r));
            sqlite3_bind_int64(st, 1, (sqlite3_int64)(gr->first + r));
            sqlite3_bind_int64(st, 2, (sqlite3_int64)gr->scenario);
            sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, (sqlite3_int64)r);
            sqlite3_bind_text(st, 5, seed, -1, SQLITE_TRANSIENT);
            STEP();
        }
    }
#undef PREP
#undef STEP
cleanup:
    pl__free(json);
    sqlite3_finalize(st);
    return rc;
}

/* 1 when value is the default of the later parameter k (>= PL__TPARAMS_V1). */
static int default_param(size_t k, const char *value)
{
    pl_tournament_options o;
    pl_tournament_options_init(&o);
    char *v[PL__TPARAMS] = {0};
    int same = pl__tparams_format(&o, v) == 0 && strcmp(v[k], value) == 0;
    for (size_t j = 0; j < PL__TPARAMS; j++) {
        pl__free(v[j]);
    }
    return same;
}

/* An existing database: every stored parameter must equal this run's. */
static int check_params(pl__store *s, char *values[PL__TPARAMS], const char *path, pl_diag *d)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM params WHERE name = ?", -1, &st, NULL) != SQLITE_OK) {
        return pl__db_error(d, s->db, path, "not a parley tournament database");
    }
    for (size_t k = 0; k < PL__TPARAMS && rc == 0; k++) {
        sqlite3_bind_text(st, 1, pl__tparam_names[k], -1, SQLITE_STATIC);
        int row = sqlite3_step(st) == SQLITE_ROW;
        if (!row && k >= PL__TPARAMS_V1) {
            /* An older database: the parameter held its default, which this run must use too. */
            if (!default_param(k, values[k])) {
                rc = pl__diag_set(d, PL_EINVAL, path, 0, 0,
                                  "the tournament was started before %s existed (so with its default); now %s",
                                  pl__tparam_names[k], values[k]);
            }
        } else if (!row) {
            rc = pl__diag_set(d, PL_EPARSE, path, 0, 0, "parameter '%s' missing from the database",
                              pl__tparam_names[k]);
        } else if (strcmp((const char *)sqlite3_column_text(st, 0), values[k]) != 0) {
            rc = pl__diag_set(d, PL_EINVAL, path, 0, 0,
                              "the tournament was started with different parameters: %s was %s, now %s",
                              pl__tparam_names[k], (const char *)sqlite3_column_text(st, 0), values[k]);
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* The k-th 16-digit hash of a stored hash list, or 0 when there is none. */
static uint64_t stored_hash(const char *text, size_t k)
{
    size_t at = k * 17;
    if (!text || strlen(text) < at + 16) {
        return 0;
    }
    char buf[17];
    memcpy(buf, text + at, 16);
    buf[16] = '\0';
    return strtoull(buf, NULL, 16);
}

/* A resume: every scenario and plug-in must be what the tournament started with (its content hash). A change is
 * refused, or with force reported through warn: the results would mix the old and the new version. Databases made
 * before the hashes were stored are not checked. */
static int check_hashes(const pl_tournament *t, pl__store *s, const char *path, pl_diag *d)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM params WHERE name = ?", -1, &st, NULL) != SQLITE_OK) {
        return pl__db_error(d, s->db, path, "not a parley tournament database");
    }
    pl__buf msg;
    pl__buf_init(&msg);
    size_t changed = 0;
    for (int which = 0; which < 2; which++) {
        sqlite3_bind_text(st, 1, which == 0 ? "scenario_hashes" : "agent_lib_hashes", -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *text = (const char *)sqlite3_column_text(st, 0);
            size_t n = which == 0 ? t->o.n_scenarios : t->o.n_agent_libs;
            for (size_t k = 0; k < n; k++) {
                uint64_t now = which == 0 ? t->scenario_hash[k] : t->lib_hash[k];
                if (stored_hash(text, k) != now) {
                    pl__buf_printf(&msg, "%s%s %s", changed++ ? "; " : "", which == 0 ? "scenario" : "plug-in",
                                   which == 0 ? t->o.scenarios[k] : t->o.agent_libs[k]);
                }
            }
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    int rc = 0;
    if (changed && !t->o.force) {
        rc = pl__diag_set(d, PL_EINVAL, path, 0, 0,
                          "cannot resume: %s changed since the tournament started (%s); start a new tournament, or "
                          "resume with --force to mix results of both versions",
                          changed == 1 ? "a file" : "files", msg.data ? msg.data : "out of memory");
    } else if (changed && t->o.warn) {
        char text[1024];
        snprintf(text, sizeof text, "resuming although %s changed since the tournament started (%s): the results "
                 "mix sessions of the old and the new version", changed == 1 ? "a file" : "files",
                 msg.data ? msg.data : "out of memory");
        t->o.warn(t->o.ud, text);
    }
    pl__buf_destroy(&msg);
    return rc;
}

int pl__store_open(pl_tournament *t, const char *dir, pl__store **out, pl_diag *d)
{
    int rc = 0;
    char *values[PL__TPARAMS] = {0};
    char *path = db_path(dir);
    pl__store *s = pl__calloc(1, sizeof *s);
    *out = NULL;
    if (!path || !s) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        rc = pl__diag_set(d, PL_EIO, dir, 0, 0, "cannot create the folder: %s", strerror(errno));
        goto cleanup;
    }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        rc = pl__db_error(d, s->db, path, "cannot open the database");
        goto cleanup;
    }
    sqlite3_busy_timeout(s->db, 10000);
    /* WAL: readers (parley results, progress polls) never block the writer. synchronous=FULL: a committed
     * session survives power loss too, at one fsync per batch. */
    PL_TRY(exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", d));
    PL_TRY(exec(s, "BEGIN IMMEDIATE", d));
    if (pl__tparams_format(&t->o, values) < 0) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    sqlite3_stmt *st = NULL;
    int exists = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name='params'", -1, &st,
                           NULL) == SQLITE_OK) {
        exists = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    rc = exists ? check_params(s, values, path, d) : write_plan(t, s, values, d);
    if (rc == 0 && exists) {
        rc = check_hashes(t, s, path, d);
    }
    if (rc < 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        goto cleanup;
    }
    PL_TRY(exec(s, "COMMIT", d));
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO sessions VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &s->ins,
                           NULL) != SQLITE_OK) {
        rc = pl__db_error(d, s->db, path, "database");
        goto cleanup;
    }
    *out = s;
    s = NULL;
cleanup:
    for (size_t k = 0; k < PL__TPARAMS; k++) {
        pl__free(values[k]);
    }
    pl__free(path);
    pl__store_close(s);
    return rc;
}

int pl__store_done(pl__store *s, unsigned char *done, uint64_t total, uint64_t *n_done, pl_diag *d)
{
    sqlite3_stmt *st = NULL;
    *n_done = 0;
    memset(done, 0, total);
    if (sqlite3_prepare_v2(s->db, "SELECT session FROM sessions", -1, &st, NULL) != SQLITE_OK) {
        return pl__db_error(d, s->db, NULL, "database");
    }
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 i = sqlite3_column_int64(st, 0);
        if (i >= 0 && (uint64_t)i < total && !done[i]) {
            done[i] = 1;
            (*n_done)++;
        }
    }
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? 0 : pl__db_error(d, s->db, NULL, "database");
}

int pl__store_begin(pl__store *s, pl_diag *d)
{
    if (s->in_tx) {
        return 0;
    }
    int rc = exec(s, "BEGIN", d);
    s->in_tx = rc == 0;
    return rc;
}

static void bind_real(sqlite3_stmt *st, int k, double x)
{
    if (x != x) {
        sqlite3_bind_null(st, k);
    } else {
        sqlite3_bind_double(st, k, x);
    }
}

int pl__store_insert(pl__store *s, const pl__trow *r, pl_diag *d)
{
    sqlite3_stmt *st = s->ins;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)r->session);
    sqlite3_bind_text(st, 2, pl_session_status_name((pl_session_status)r->status), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->reason, -1, SQLITE_STATIC);
    if (r->agreement) {
        sqlite3_bind_text(st, 4, r->agreement, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(st, 4);
    }
    sqlite3_bind_text(st, 5, r->utilities, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->raw_utilities, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)r->rounds);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)r->actions);
    bind_real(st, 9, r->t);
    bind_real(st, 10, r->seconds);
    sqlite3_bind_int(st, 11, r->individually_rational);
    bind_real(st, 12, r->pareto_distance);
    bind_real(st, 13, r->nash_distance);
    bind_real(st, 14, r->welfare);
    if (r->culprit >= 0) {
        sqlite3_bind_int64(st, 15, r->culprit);
    } else {
        sqlite3_bind_null(st, 15);
    }
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (step != SQLITE_DONE) {
        return pl__db_error(d, s->db, NULL, "cannot record a session");
    }
    return 0;
}

int pl__store_commit(pl__store *s, pl_diag *d)
{
    if (!s->in_tx) {
        return 0;
    }
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = pl__db_error(d, s->db, NULL, "cannot commit (disk full?)");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        s->in_tx = 0;
        return rc;
    }
    s->in_tx = 0;
    return 0;
}

int pl__store_open_read(const char *dir, void **out, pl_diag *d)
{
    struct stat stb;
    char *path = db_path(dir);
    sqlite3 *db = NULL;
    *out = NULL;
    if (!path) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (stat(path, &stb) != 0) {
        int rc = pl__diag_set(d, PL_ENOTFOUND, dir, 0, 0, "no tournament here (%s is missing)", PL_TOURNAMENT_DB);
        pl__free(path);
        return rc;
    }
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        int rc = pl__db_error(d, db, path, "cannot open the database");
        sqlite3_close(db);
        pl__free(path);
        return rc;
    }
    sqlite3_busy_timeout(db, 10000);
    pl__free(path);
    *out = db;
    return 0;
}

/* ---- Stored parameters back as options ---- */

struct pl_tournament_saved {
    char *values[PL__TPARAMS];
    char **strings;
    size_t n_strings;
    const char **lists[3];
};

void pl_tournament_saved_free(pl_tournament_saved *s)
{
    if (!s) {
        return;
    }
    for (size_t k = 0; k < PL__TPARAMS; k++) {
        pl__free(s->values[k]);
    }
    for (size_t k = 0; k < s->n_strings; k++) {
        pl__free(s->strings[k]);
    }
    pl__free(s->strings);
    for (size_t k = 0; k < 3; k++) {
        pl__free(s->lists[k]);
    }
    pl__free(s);
}

static int parse_list(pl_tournament_saved *s, int which, const char *text, const char *const **out, size_t *n)
{
    json_t *j = json_loads(text, 0, NULL);
    if (!json_is_array(j)) {
        json_decref(j);
        return PL_EPARSE;
    }
    size_t m = json_array_size(j);
    char **ns = pl__realloc(s->strings, (s->n_strings + m + 1) * sizeof *ns);
    s->lists[which] = pl__calloc(m + 1, sizeof *s->lists[which]);
    if (ns) {
        s->strings = ns;
    }
    if (!ns || !s->lists[which]) {
        json_decref(j);
        return PL_ENOMEM;
    }
    for (size_t k = 0; k < m; k++) {
        const char *v = json_string_value(json_array_get(j, k));
        char *c = pl__strdup(v ? v : "");
        if (!c) {
            json_decref(j);
            return PL_ENOMEM;
        }
        s->strings[s->n_strings++] = c;
        s->lists[which][k] = c;
    }
    json_decref(j);
    *out = s->lists[which];
    *n = m;
    return 0;
}

int pl_tournament_options_load(const char *dir, pl_tournament_options *o_out, pl_tournament_saved **keep,
                               pl_diag *d)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    pl_tournament_saved *s = NULL;
    *keep = NULL;
    if (o_out->size < PL__SIZE_THROUGH(pl_tournament_options, ud)) { /* filled only as far as the caller's size */
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0,
                            "pl_tournament_options: size %zu is smaller than its first version (%zu bytes): "
                            "initialise it with pl_tournament_options_init",
                            o_out->size, PL__SIZE_THROUGH(pl_tournament_options, ud));
    }
    int rc = pl__store_open_read(dir, (void **)&db, d);
    if (rc < 0) {
        return rc;
    }
    pl_tournament_options full, *o = &full;
    pl_tournament_options_init(o);
    if (!(s = pl__calloc(1, sizeof *s))) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    if (sqlite3_prepare_v2(db, "SELECT name, value FROM params", -1, &st, NULL) != SQLITE_OK) {
        rc = pl__db_error(d, db, dir, "not a parley tournament database");
        goto cleanup;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        for (size_t k = 0; k < PL__TPARAMS; k++) {
            if (name && strcmp(name, pl__tparam_names[k]) == 0 && !s->values[k]) {
                s->values[k] = pl__strdup((const char *)sqlite3_column_text(st, 1));
            }
        }
    }
    for (size_t k = 0; k < PL__TPARAMS; k++) {
        if (!s->values[k] && k >= PL__TPARAMS_V1) {
            char *v[PL__TPARAMS] = {0};
            if (pl__tparams_format(o, v) == 0) {
                s->values[k] = v[k];
                v[k] = NULL;
            }
            for (size_t j = 0; j < PL__TPARAMS; j++) {
                pl__free(v[j]);
            }
        }
        if (!s->values[k]) {
            rc = pl__diag_set(d, PL_EPARSE, dir, 0, 0, "parameter '%s' missing from the database",
                              pl__tparam_names[k]);
            goto cleanup;
        }
    }
    int64_t v;
    double x;
    if (parse_list(s, 0, s->values[0], &o->agents, &o->n_agents) < 0 ||
        parse_list(s, 1, s->values[1], &o->scenarios, &o->n_scenarios) < 0 ||
        parse_list(s, 2, s->values[2], &o->agent_libs, &o->n_agent_libs) < 0) {
        rc = pl__diag_set(d, PL_EPARSE, dir, 0, 0, "bad parameter lists in the database");
        goto cleanup;
    }
    pl__parse_int64(s->values[3], &v);
    o->reps = (uint64_t)v;
    pl__parse_int64(s->values[4], &v);
    o->self_play = (int)v;
    o->seed = strtoull(s->values[5], NULL, 10);
    if (pl_protocol_parse(s->values[6], &o->protocol) < 0) {
        o->protocol = PL_PROTOCOL_SAOP;
    }
    o->rounds = strtoull(s->values[7], NULL, 10);
    pl__parse_double(s->values[8], &x);
    o->time_limit = x;
    pl__parse_int64(s->values[9], &v);
    o->real_levels = (uint32_t)v;
    pl__parse_int64(s->values[10], &v);
    o->metrics = (int)v;
    if (pl_isolate_parse(s->values[11], &o->isolate) < 0) {
        o->isolate = PL_ISOLATE_AUTO;
    }
    pl__parse_double(s->values[12], &x);
    o->call_limit = x;
    o->memory_limit = strtoull(s->values[13], NULL, 10);
    pl__opts_init(o_out, o_out->size, o, sizeof *o);
    *keep = s;
    s = NULL;
cleanup:
    sqlite3_finalize(st);
    sqlite3_close(db);
    pl_tournament_saved_free(s);
    return rc;
}
