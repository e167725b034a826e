/* Tournament statistics and exports, read from the database: per-agent means with normal-approximation 95%
 * confidence intervals (Welford's running mean and variance), summary.csv / summary.json, and every session's row
 * as CSV or JSON. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "core/internal.h"
#include "tournament/tournament_internal.h"

/* Running mean and sum of squared deviations (Welford 1962). */
typedef struct acc {
    uint64_t n;
    double mean, m2;
} acc;

static void acc_add(acc *a, double x)
{
    if (isnan(x)) {
        return;
    }
    a->n++;
    double dx = x - a->mean;
    a->mean += dx / (double)a->n;
    a->m2 += dx * (x - a->mean);
}

static pl_stat acc_stat(const acc *a)
{
    pl_stat s = {a->n, a->n ? a->mean : NAN, NAN, 0};
    if (a->n >= 2) {
        s.sd = sqrt(a->m2 / (double)(a->n - 1));
        s.ci95 = 1.96 * s.sd / sqrt((double)a->n);
    } else if (a->n == 1) {
        s.sd = 0;
    }
    return s;
}

enum { A_UTIL, A_ADV, A_AGREE, A_WELF, A_PARETO, A_NASH, A_ROUNDS, A_N };

void pl_tournament_summary_free(pl_tournament_summary *s)
{
    if (!s) {
        return;
    }
    for (size_t k = 0; k < s->n_agents; k++) {
        pl__free(s->agents[k].agent);
    }
    pl__free(s->agents);
    pl__free(s);
}

static double json_num(json_t *a, size_t k)
{
    json_t *v = json_array_get(a, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static double col_real(sqlite3_stmt *st, int k)
{
    return sqlite3_column_type(st, k) == SQLITE_NULL ? NAN : sqlite3_column_double(st, k);
}

int pl_tournament_summarize(const char *dir, pl_tournament_summary **out, pl_diag *d)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    pl_tournament_summary *s = NULL;
    acc(*accs)[A_N] = NULL;
    json_t **res = NULL;
    size_t n_sc = 0;
    int rc = pl__store_open_read(dir, (void **)&db, d);
    *out = NULL;
    if (rc < 0) {
        return rc;
    }
#define Q(sql)                                                                              \
    do {                                                                                    \
        sqlite3_finalize(st);                                                               \
        st = NULL;                                                                          \
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {                      \
            rc = pl__db_error(d, db, dir, "database");                                         \
            goto cleanup;                                                                   \
        }                                                                                   \
    } while (0)
    if (!(s = pl__calloc(1, sizeof *s))) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    Q("SELECT (SELECT count(*) FROM agents), (SELECT count(*) FROM plan), (SELECT count(*) FROM sessions),"
      " (SELECT count(*) FROM scenarios)");
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = pl__db_error(d, db, dir, "database");
        goto cleanup;
    }
    s->n_agents = (size_t)sqlite3_column_int64(st, 0);
    s->planned = (uint64_t)sqlite3_column_int64(st, 1);
    s->sessions = (uint64_t)sqlite3_column_int64(st, 2);
    n_sc = (size_t)sqlite3_column_int64(st, 3);
    s->agents = pl__calloc(s->n_agents ? s->n_agents : 1, sizeof *s->agents);
    accs = pl__calloc(s->n_agents ? s->n_agents : 1, sizeof *accs);
    res = pl__calloc(n_sc ? n_sc : 1, sizeof *res);
    if (!s->agents || !accs || !res) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    Q("SELECT agent, spec FROM agents ORDER BY agent");
    for (size_t k = 0; k < s->n_agents && sqlite3_step(st) == SQLITE_ROW; k++) {
        if (!(s->agents[k].agent = pl__strdup((const char *)sqlite3_column_text(st, 1)))) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
    }
    Q("SELECT scenario, reservations FROM scenarios ORDER BY scenario");
    for (size_t k = 0; k < n_sc && sqlite3_step(st) == SQLITE_ROW; k++) {
        res[k] = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
    }
    Q("SELECT p.scenario, p.agents, s.status, s.utilities, s.welfare, s.pareto_distance, s.nash_distance,"
      " s.rounds FROM sessions s JOIN plan p ON p.session = s.session ORDER BY s.session");
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        size_t sc = (size_t)sqlite3_column_int64(st, 0);
        json_t *agents = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
        json_t *util = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
        int agreed = strcmp((const char *)sqlite3_column_text(st, 2), "agreement") == 0;
        for (size_t k = 0; k < json_array_size(agents); k++) {
            const char *name = json_string_value(json_array_get(agents, k));
            size_t a = 0;
            while (a < s->n_agents && (!name || strcmp(s->agents[a].agent, name) != 0)) {
                a++;
            }
            if (a == s->n_agents) {
                continue;
            }
            double u = json_num(util, k);
            double rv = sc < n_sc ? json_num(res[sc], k) : NAN;
            s->agents[a].appearances++;
            acc_add(&accs[a][A_UTIL], u);
            acc_add(&accs[a][A_ADV], u - rv);
            acc_add(&accs[a][A_AGREE], agreed ? 1.0 : 0.0);
            acc_add(&accs[a][A_WELF], col_real(st, 4));
            acc_add(&accs[a][A_PARETO], col_real(st, 5));
            acc_add(&accs[a][A_NASH], col_real(st, 6));
            acc_add(&accs[a][A_ROUNDS], (double)sqlite3_column_int64(st, 7));
        }
        json_decref(agents);
        json_decref(util);
    }
    if (step != SQLITE_DONE) {
        rc = pl__db_error(d, db, dir, "database");
        goto cleanup;
    }
    for (size_t a = 0; a < s->n_agents; a++) {
        pl_tournament_agent_stats *x = &s->agents[a];
        x->utility = acc_stat(&accs[a][A_UTIL]);
        x->advantage = acc_stat(&accs[a][A_ADV]);
        x->agreement = acc_stat(&accs[a][A_AGREE]);
        x->welfare = acc_stat(&accs[a][A_WELF]);
        x->pareto_distance = acc_stat(&accs[a][A_PARETO]);
        x->nash_distance = acc_stat(&accs[a][A_NASH]);
        x->rounds = acc_stat(&accs[a][A_ROUNDS]);
    }
    *out = s;
    s = NULL;
#undef Q
cleanup:
    for (size_t k = 0; res && k < n_sc; k++) {
        json_decref(res[k]);
    }
    pl__free(res);
    pl__free(accs);
    sqlite3_finalize(st);
    sqlite3_close(db);
    pl_tournament_summary_free(s);
    return rc;
}

/* ---- summary.csv / summary.json ---- */

static const char *const stat_names[A_N] = {"utility", "advantage", "agreement", "welfare",
                                            "pareto_distance", "nash_distance", "rounds"};

static const pl_stat *stat_of(const pl_tournament_agent_stats *a, int k)
{
    const pl_stat *v[A_N] = {&a->utility, &a->advantage, &a->agreement, &a->welfare,
                             &a->pareto_distance, &a->nash_distance, &a->rounds};
    return v[k];
}

static void put_num(pl__buf *b, double x, const char *nan_text)
{
    char buf[32];
    pl__buf_puts(b, isfinite(x) ? pl__fmt_double(x, buf, sizeof buf) : nan_text);
}

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(pl__buf *b, const char *s)
{
    if (!s) {
        return;
    }
    if (!strpbrk(s, ",\"\n\r")) {
        pl__buf_puts(b, s);
        return;
    }
    pl__buf_puts(b, "\"");
    for (const char *p = s; *p; p++) {
        pl__buf_append(b, p, 1);
        if (*p == '"') {
            pl__buf_append(b, p, 1);
        }
    }
    pl__buf_puts(b, "\"");
}

static void json_str(pl__buf *b, const char *s)
{
    json_t *j = json_string(s ? s : "");
    char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    if (t) {
        pl__buf_puts(b, t);
    } else {
        pl__buf_puts(b, "null");
        b->failed = 1;
    }
    pl__json_free(t);
    json_decref(j);
}

int pl_tournament_summary_write(const pl_tournament_summary *s, const char *dir, pl_diag *d)
{
    pl__buf csv, js;
    pl__buf_init(&csv);
    pl__buf_init(&js);
    pl__buf_puts(&csv, "agent,appearances");
    for (int k = 0; k < A_N; k++) {
        pl__buf_printf(&csv, ",%s_n,%s_mean,%s_sd,%s_ci95", stat_names[k], stat_names[k], stat_names[k],
                       stat_names[k]);
    }
    pl__buf_puts(&csv, "\n");
    pl__buf_printf(&js, "{\n  \"sessions\": %llu,\n  \"planned\": %llu,\n  \"ci\": \"mean +- 1.96 sd / sqrt(n)\",\n"
                        "  \"agents\": [",
                   (unsigned long long)s->sessions, (unsigned long long)s->planned);
    for (size_t a = 0; a < s->n_agents; a++) {
        const pl_tournament_agent_stats *x = &s->agents[a];
        csv_field(&csv, x->agent);
        pl__buf_printf(&csv, ",%llu", (unsigned long long)x->appearances);
        pl__buf_puts(&js, a ? ",\n    {\"agent\": " : "\n    {\"agent\": ");
        json_str(&js, x->agent);
        pl__buf_printf(&js, ", \"appearances\": %llu", (unsigned long long)x->appearances);
        for (int k = 0; k < A_N; k++) {
            const pl_stat *v = stat_of(x, k);
            pl__buf_printf(&csv, ",%llu,", (unsigned long long)v->n);
            put_num(&csv, v->mean, "");
            pl__buf_puts(&csv, ",");
            put_num(&csv, v->sd, "");
            pl__buf_puts(&csv, ",");
            put_num(&csv, v->ci95, "");
            pl__buf_printf(&js, ",\n     \"%s\": {\"n\": %llu, \"mean\": ", stat_names[k], (unsigned long long)v->n);
            put_num(&js, v->mean, "null");
            pl__buf_puts(&js, ", \"sd\": ");
            put_num(&js, v->sd, "null");
            pl__buf_puts(&js, ", \"ci95\": ");
            put_num(&js, v->ci95, "null");
            pl__buf_puts(&js, "}");
        }
        pl__buf_puts(&csv, "\n");
        pl__buf_puts(&js, "}");
    }
    pl__buf_puts(&js, "\n  ]\n}\n");
    int rc = 0;
    if (csv.failed || js.failed) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    } else {
        size_t n = strlen(dir) + 32;
        char *p1 = pl__malloc(n), *p2 = pl__malloc(n);
        if (!p1 || !p2) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        } else {
            snprintf(p1, n, "%s/summary.csv", dir);
            snprintf(p2, n, "%s/summary.json", dir);
            const char *paths[2] = {p1, p2}, *datas[2] = {csv.data, js.data};
            rc = pl__write_files_atomic(paths, datas, 2, d);
        }
        pl__free(p1);
        pl__free(p2);
    }
    pl__buf_destroy(&csv);
    pl__buf_destroy(&js);
    return rc;
}

/* ---- Export ---- */

/* Hand b to write once it holds more than 64 KiB, or whatever it holds when last is set. */
static int export_flush(pl__buf *b, int last, int (*write)(void *ud, const char *text, size_t len), void *ud,
                        pl_diag *d)
{
    if (b->failed) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (b->len && (last || b->len > 65536)) {
        if (write(ud, b->data, b->len)) {
            return pl__diag_set(d, PL_EIO, NULL, 0, 0, "cannot write the export");
        }
        b->len = 0;
        b->data[0] = 0;
    }
    return 0;
}

/* -- CSV: flat columns, one value per cell (docs/formats.md) -- */

/* The columns before the per-party ones, as selected by csv_sql; 'i' integer or text, 'r' real. */
static const char *const csv_cols[] = {"session", "scenario", "scenario_path", "repetition", "seed", "status",
                                       "reason", "rounds", "actions", "t", "seconds", "individually_rational",
                                       "pareto_distance", "nash_distance", "welfare", "culprit"};
enum { N_CSV = sizeof csv_cols / sizeof csv_cols[0] };
static const char csv_kind[N_CSV] = {'i', 's', 's', 'i', 'i', 's', 's', 'i', 'i', 'r', 'r', 'i', 'r', 'r', 'r', 'i'};
static const char *const csv_sql =
    "SELECT s.session, c.name, c.path, p.repetition, p.seed, s.status, s.reason, s.rounds, s.actions, s.t,"
    " s.seconds, s.individually_rational, s.pareto_distance, s.nash_distance, s.welfare, s.culprit,"
    " p.scenario, p.agents, s.utilities, s.raw_utilities, s.agreement"
    " FROM sessions s JOIN plan p ON p.session = s.session JOIN scenarios c ON c.scenario = p.scenario"
    " ORDER BY s.session";
/* The per-party blocks after culprit_agent and n_parties: column name prefix and the row's column holding the
 * values (-1: the scenario's party names). */
static const char *const party_prefix[] = {"party_", "agent_", "utility_", "raw_utility_"};
static const int party_src[] = {-1, N_CSV + 1, N_CSV + 2, N_CSV + 3};
enum { N_PARTY_BLOCKS = 4, COL_SCENARIO = N_CSV, COL_AGENTS = N_CSV + 1, COL_AGREEMENT = N_CSV + 4 };

typedef struct csv_layout {
    size_t n_sc, max_parties;
    json_t **parties; /* per scenario index: its party names (JSON array) */
    json_t *issues;   /* the issue names when the agreement gets one column per issue, else NULL */
} csv_layout;

static void csv_layout_destroy(csv_layout *l)
{
    for (size_t k = 0; l->parties && k < l->n_sc; k++) {
        json_decref(l->parties[k]);
    }
    pl__free(l->parties);
    json_decref(l->issues);
}

static json_t *json_text(sqlite3_stmt *st, int k)
{
    const char *t = (const char *)sqlite3_column_text(st, k);
    return t ? json_loads(t, 0, NULL) : NULL;
}

/* An agreement object's keys in order, as a JSON array (NULL on failure). */
static json_t *object_keys(json_t *o)
{
    json_t *keys = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        if (json_array_append_new(keys, json_string(key)) < 0) {
            json_decref(keys);
            return NULL;
        }
    }
    return keys;
}

/* The party counts come from the plan's scenarios; the issue names from the first agreement of each scenario (a
 * scenario without one constrains nothing: its agreement cells are empty either way). */
static int csv_layout_read(sqlite3 *db, const char *dir, csv_layout *l, pl_diag *d)
{
    sqlite3_stmt *st = NULL;
    int rc = 0, step, mixed = 0;
    memset(l, 0, sizeof *l);
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM scenarios", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        rc = pl__db_error(d, db, dir, "database");
        goto cleanup;
    }
    l->n_sc = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (!(l->parties = pl__calloc(l->n_sc ? l->n_sc : 1, sizeof *l->parties))) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    if (sqlite3_prepare_v2(db, "SELECT scenario, parties FROM scenarios ORDER BY scenario", -1, &st, NULL) !=
        SQLITE_OK) {
        rc = pl__db_error(d, db, dir, "database");
        goto cleanup;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 sc = sqlite3_column_int64(st, 0);
        json_t *names = json_text(st, 1);
        if (sc < 0 || (size_t)sc >= l->n_sc || !json_is_array(names) || l->parties[sc]) {
            json_decref(names);
            rc = pl__diag_set(d, PL_EPARSE, dir, 0, 0, "database: bad scenarios row %lld", (long long)sc);
            goto cleanup;
        }
        l->parties[sc] = names;
        if (json_array_size(names) > l->max_parties) {
            l->max_parties = json_array_size(names);
        }
    }
    if (step != SQLITE_DONE) {
        rc = pl__db_error(d, db, dir, "database");
        goto cleanup;
    }
    sqlite3_finalize(st);
    st = NULL;
    /* min() makes SQLite take the bare agreement column from the scenario's first agreed session. */
    if (sqlite3_prepare_v2(db,
                           "SELECT p.scenario, min(s.session), s.agreement FROM sessions s JOIN plan p"
                           " ON p.session = s.session WHERE s.agreement IS NOT NULL GROUP BY p.scenario"
                           " ORDER BY p.scenario",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = pl__db_error(d, db, dir, "database");
        goto cleanup;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW && !mixed) {
        json_t *agreement = json_text(st, 2);
        json_t *keys = json_is_object(agreement) ? object_keys(agreement) : NULL;
        json_decref(agreement);
        if (!keys) {
            rc = pl__diag_set(d, PL_EPARSE, dir, 0, 0, "database: bad agreement of session %lld",
                              (long long)sqlite3_column_int64(st, 1));
            goto cleanup;
        }
        if (!l->issues) {
            l->issues = keys;
        } else {
            mixed = !json_equal(l->issues, keys);
            json_decref(keys);
        }
    }
    if (step != SQLITE_DONE && step != SQLITE_ROW) {
        rc = pl__db_error(d, db, dir, "database");
        goto cleanup;
    }
    if (mixed) {
        json_decref(l->issues);
        l->issues = NULL;
    }
cleanup:
    sqlite3_finalize(st);
    return rc;
}

static void csv_header(pl__buf *b, const csv_layout *l)
{
    for (int k = 0; k < N_CSV; k++) {
        pl__buf_printf(b, "%s%s", k ? "," : "", csv_cols[k]);
    }
    pl__buf_puts(b, ",culprit_agent,n_parties");
    for (int block = 0; block < N_PARTY_BLOCKS; block++) {
        for (size_t k = 0; k < l->max_parties; k++) {
            pl__buf_printf(b, ",%s%zu", party_prefix[block], k);
        }
    }
    if (!l->issues) {
        pl__buf_puts(b, ",agreement");
    }
    for (size_t k = 0; k < json_array_size(l->issues); k++) {
        char name[512];
        snprintf(name, sizeof name, "agreement.%s", json_string_value(json_array_get(l->issues, k)));
        pl__buf_puts(b, ",");
        csv_field(b, name);
    }
    pl__buf_puts(b, "\n");
}

/* A JSON array element as a cell: strings as they are, numbers as the shortest exact decimal, null empty. */
static void csv_json_cell(pl__buf *b, json_t *v)
{
    char num[32];
    pl__buf_puts(b, ",");
    if (json_is_string(v)) {
        csv_field(b, json_string_value(v));
    } else if (json_is_number(v)) {
        pl__buf_puts(b, pl__fmt_double(json_number_value(v), num, sizeof num));
    }
}

/* Append s with '\', ';' and '=' escaped by a backslash (the flat agreement string). */
static void flat_escaped(pl__buf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == '\\' || *p == ';' || *p == '=') {
            pl__buf_puts(b, "\\");
        }
        pl__buf_append(b, p, 1);
    }
}

static void csv_row(pl__buf *b, sqlite3_stmt *st, const csv_layout *l)
{
    char num[32];
    for (int k = 0; k < N_CSV; k++) {
        const char *txt = (const char *)sqlite3_column_text(st, k);
        if (csv_kind[k] == 'r' && txt) {
            txt = pl__fmt_double(sqlite3_column_double(st, k), num, sizeof num);
        }
        if (k) {
            pl__buf_puts(b, ",");
        }
        csv_field(b, txt ? txt : "");
    }
    sqlite3_int64 sc = sqlite3_column_int64(st, COL_SCENARIO);
    json_t *cols[N_PARTY_BLOCKS];
    for (int block = 0; block < N_PARTY_BLOCKS; block++) {
        cols[block] = party_src[block] < 0 ? NULL : json_text(st, party_src[block]);
    }
    json_t *agents = cols[1];
    /* culprit_agent: the agent that played the culprit party. */
    pl__buf_puts(b, ",");
    if (sqlite3_column_type(st, N_CSV - 1) != SQLITE_NULL) {
        json_t *who = json_array_get(agents, (size_t)sqlite3_column_int64(st, N_CSV - 1));
        csv_field(b, json_string_value(who));
    }
    pl__buf_printf(b, ",%zu", json_array_size(agents));
    for (int block = 0; block < N_PARTY_BLOCKS; block++) {
        json_t *values = cols[block];
        if (block == 0) {
            values = sc >= 0 && (size_t)sc < l->n_sc ? l->parties[sc] : NULL;
        }
        for (size_t k = 0; k < l->max_parties; k++) {
            /* Empty beyond the session's party count. */
            csv_json_cell(b, k < json_array_size(agents) ? json_array_get(values, k) : NULL);
        }
    }
    json_t *agreement = json_text(st, COL_AGREEMENT);
    if (l->issues) {
        for (size_t k = 0; k < json_array_size(l->issues); k++) {
            const char *issue = json_string_value(json_array_get(l->issues, k));
            csv_json_cell(b, json_object_get(agreement, issue));
        }
    } else {
        pl__buf sb;
        const char *key;
        json_t *v;
        int first = 1;
        pl__buf_init(&sb);
        pl__buf_puts(&sb, "");
        json_object_foreach(agreement, key, v) {
            pl__buf_puts(&sb, first ? "" : ";");
            flat_escaped(&sb, key);
            pl__buf_puts(&sb, "=");
            flat_escaped(&sb, json_is_string(v) ? json_string_value(v) : "");
            first = 0;
        }
        pl__buf_puts(b, ",");
        csv_field(b, sb.data ? sb.data : "");
        b->failed |= sb.failed;
        pl__buf_destroy(&sb);
    }
    pl__buf_puts(b, "\n");
    json_decref(agreement);
    for (int block = 0; block < N_PARTY_BLOCKS; block++) {
        json_decref(cols[block]);
    }
}

static int export_csv(sqlite3 *db, const char *dir, int (*write)(void *ud, const char *text, size_t len), void *ud,
                      pl_diag *d)
{
    sqlite3_stmt *st = NULL;
    csv_layout l;
    pl__buf b;
    pl__buf_init(&b);
    int rc = csv_layout_read(db, dir, &l, d), step = SQLITE_DONE;
    if (rc < 0) {
        goto cleanup;
    }
    if (sqlite3_prepare_v2(db, csv_sql, -1, &st, NULL) != SQLITE_OK) {
        rc = pl__db_error(d, db, dir, "database");
        goto cleanup;
    }
    csv_header(&b, &l);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        csv_row(&b, st, &l);
        if ((rc = export_flush(&b, 0, write, ud, d)) < 0) {
            goto cleanup;
        }
    }
    if (step != SQLITE_DONE) {
        rc = pl__db_error(d, db, dir, "database");
        goto cleanup;
    }
    rc = export_flush(&b, 1, write, ud, d);
cleanup:
    pl__buf_destroy(&b);
    sqlite3_finalize(st);
    csv_layout_destroy(&l);
    return rc;
}

/* -- JSON: one object per session, JSON arrays and objects kept as values -- */

static const char *const export_cols[] = {"session", "scenario", "scenario_path", "agents", "repetition", "seed",
                                          "status", "reason", "agreement", "utilities", "raw_utilities", "rounds",
                                          "actions", "t", "seconds", "individually_rational", "pareto_distance",
                                          "nash_distance", "welfare", "culprit"};
enum { N_COLS = sizeof export_cols / sizeof export_cols[0] };
/* Columns holding JSON text (embedded as is), plain integers, text and reals. */
static const char col_kind[N_COLS] = {'i', 's', 's', 'j', 'i', 'i', 's', 's', 'j', 'j', 'j',
                                      'i', 'i', 'r', 'r', 'i', 'r', 'r', 'r', 'i'};

static int export_json(sqlite3 *db, const char *dir, int (*write)(void *ud, const char *text, size_t len),
                       void *ud, pl_diag *d)
{
    sqlite3_stmt *st = NULL;
    pl__buf b;
    pl__buf_init(&b);
    int rc = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT s.session, c.name, c.path, p.agents, p.repetition, p.seed, s.status, s.reason,"
                           " s.agreement, s.utilities, s.raw_utilities, s.rounds, s.actions, s.t, s.seconds,"
                           " s.individually_rational, s.pareto_distance, s.nash_distance, s.welfare, s.culprit"
                           " FROM sessions s JOIN plan p ON p.session = s.session"
                           " JOIN scenarios c ON c.scenario = p.scenario ORDER BY s.session",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = pl__db_error(d, db, dir, "database");
        goto cleanup;
    }
    pl__buf_puts(&b, "[");
    int step;
    uint64_t n = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        pl__buf_puts(&b, n ? ",\n  {" : "\n  {");
        for (int k = 0; k < N_COLS; k++) {
            const char *txt = (const char *)sqlite3_column_text(st, k);
            int null = sqlite3_column_type(st, k) == SQLITE_NULL;
            char num[32];
            if (col_kind[k] == 'r' && !null) {
                txt = pl__fmt_double(sqlite3_column_double(st, k), num, sizeof num);
            }
            pl__buf_printf(&b, "%s\"%s\": ", k ? ", " : "", export_cols[k]);
            if (null) {
                pl__buf_puts(&b, "null");
            } else if (col_kind[k] == 's') {
                json_str(&b, txt);
            } else {
                pl__buf_puts(&b, txt);
            }
        }
        pl__buf_puts(&b, "}");
        n++;
        if ((rc = export_flush(&b, 0, write, ud, d)) < 0) {
            goto cleanup;
        }
    }
    if (step != SQLITE_DONE) {
        rc = pl__db_error(d, db, dir, "database");
        goto cleanup;
    }
    pl__buf_puts(&b, n ? "\n]\n" : "]\n");
    rc = export_flush(&b, 1, write, ud, d);
cleanup:
    pl__buf_destroy(&b);
    sqlite3_finalize(st);
    return rc;
}

int pl_tournament_export(const char *dir, pl_export_format format,
                         int (*write)(void *ud, const char *text, size_t len), void *ud, pl_diag *d)
{
    sqlite3 *db = NULL;
    int rc = pl__store_open_read(dir, (void **)&db, d);
    if (rc < 0) {
        return rc;
    }
    rc = format == PL_EXPORT_CSV ? export_csv(db, dir, write, ud, d) : export_json(db, dir, write, ud, d);
    sqlite3_close(db);
    return rc;
}
