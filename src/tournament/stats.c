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

static const char *const export_cols[] = {"session", "scenario", "scenario_path", "agents", "repetition", "seed",
                                          "status", "reason", "agreement", "utilities", "raw_utilities", "rounds",
                                          "actions", "t", "seconds", "individually_rational", "pareto_distance",
                                          "nash_distance", "welfare", "culprit"};
enum { N_COLS = sizeof export_cols / sizeof export_cols[0] };
/* Columns holding JSON text (embedded as is in JSON output) and plain integers. */
static const char col_kind[N_COLS] = {'i', 's', 's', 'j', 'i', 'i', 's', 's', 'j', 'j', 'j',
                                      'i', 'i', 'r', 'r', 'i', 'r', 'r', 'r', 'i'};

int pl_tournament_export(const char *dir, pl_export_format format,
                         int (*write)(void *ud, const char *text, size_t len), void *ud, pl_diag *d)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    pl__buf b;
    pl__buf_init(&b);
    int rc = pl__store_open_read(dir, (void **)&db, d);
    if (rc < 0) {
        return rc;
    }
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
    if (format == PL_EXPORT_CSV) {
        for (int k = 0; k < N_COLS; k++) {
            pl__buf_printf(&b, "%s%s", k ? "," : "", export_cols[k]);
        }
        pl__buf_puts(&b, "\n");
    } else {
        pl__buf_puts(&b, "[");
    }
    int step;
    uint64_t n = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (format == PL_EXPORT_JSON) {
            pl__buf_puts(&b, n ? ",\n  {" : "\n  {");
        }
        for (int k = 0; k < N_COLS; k++) {
            const char *txt = (const char *)sqlite3_column_text(st, k);
            int null = sqlite3_column_type(st, k) == SQLITE_NULL;
            char num[32];
            if (col_kind[k] == 'r' && !null) {
                txt = pl__fmt_double(sqlite3_column_double(st, k), num, sizeof num);
            }
            if (format == PL_EXPORT_CSV) {
                if (k) {
                    pl__buf_puts(&b, ",");
                }
                csv_field(&b, null ? "" : txt);
            } else {
                pl__buf_printf(&b, "%s\"%s\": ", k ? ", " : "", export_cols[k]);
                if (null) {
                    pl__buf_puts(&b, "null");
                } else if (col_kind[k] == 's') {
                    json_str(&b, txt);
                } else {
                    pl__buf_puts(&b, txt);
                }
            }
        }
        pl__buf_puts(&b, format == PL_EXPORT_CSV ? "\n" : "}");
        n++;
        if (b.failed) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        if (b.len > 65536) {
            if (write(ud, b.data, b.len)) {
                rc = pl__diag_set(d, PL_EIO, NULL, 0, 0, "cannot write the export");
                goto cleanup;
            }
            b.len = 0;
            b.data[0] = 0;
        }
    }
    if (step != SQLITE_DONE) {
        rc = pl__db_error(d, db, dir, "database");
        goto cleanup;
    }
    if (format == PL_EXPORT_JSON) {
        pl__buf_puts(&b, n ? "\n]\n" : "]\n");
    }
    if (b.failed) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    } else if (b.len && write(ud, b.data, b.len)) {
        rc = pl__diag_set(d, PL_EIO, NULL, 0, 0, "cannot write the export");
    }
cleanup:
    pl__buf_destroy(&b);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}
