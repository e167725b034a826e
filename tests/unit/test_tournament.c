/* Tournaments: plan sizes and role permutations (2 and 3 parties, with and without self-play), identical databases
 * for 1, 2 and 4 threads, resume after kill -9 and after cancel with no missing or duplicated session, refusal of
 * changed parameters, and statistics recomputed here from the session rows. */
#include "testutil.h"

#include <signal.h>
#include <sys/wait.h>

#include <jansson.h>
#include <sqlite3.h>

#include "core/internal.h"

#include "parley/tournament.h"

static pl_registry *reg;
static const char *job_offer = PL_SCENARIOS "/job-offer.json";
static const char *supply = PL_SCENARIOS "/supply-contract.json";
static const char *four[] = {"boulware", "conceder", "linear", "hardliner"};

static void opts(pl_tournament_options *o, const char *const *sc, size_t n_sc, size_t n_agents, uint64_t reps)
{
    pl_tournament_options_init(o);
    o->agents = four;
    o->n_agents = n_agents;
    o->scenarios = sc;
    o->n_scenarios = n_sc;
    o->reps = reps;
    o->rounds = 200;
    o->seed = 7;
}

static pl_tournament *make(const pl_tournament_options *o)
{
    pl_tournament *t = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_tournament_new(o, reg, &t, &d);
    if (rc < 0) {
        print_error("pl_tournament_new: %s\n", d.message);
    }
    assert_int_equal(rc, 0);
    return t;
}

/* The seed a session must have, computed here from its identity: FNV-1a 64 of the scenario's parley JSON and of each
 * agent's spec, folded into the tournament seed (7) with splitmix64 in the order seed, scenario, party count, agents,
 * repetition. */
static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t k = 0; k < n; k++) {
        h = (h ^ (unsigned char)s[k]) * 0x100000001b3ull;
    }
    return h;
}

static uint64_t fold(uint64_t h, uint64_t v)
{
    uint64_t st = h ^ v;
    return tu_splitmix(&st);
}

static uint64_t expected_seed(const char *path, const pl_tournament_session *s, uint64_t repetition)
{
    pl_scenario *sc = NULL;
    assert_int_equal(pl_scenario_load(&path, 1, NULL, &sc, NULL), 0);
    char *json = NULL;
    assert_int_equal(pl_scenario_to_parley_json(sc, &json, NULL), 0);
    uint64_t h = fold(7, fnv(json, strlen(json)));
    pl_free(json);
    pl_scenario_free(sc);
    h = fold(h, s->n_parties);
    for (size_t a = 0; a < s->n_parties; a++) {
        h = fold(h, fnv(four[s->agents[a]], strlen(four[s->agents[a]])));
    }
    return fold(h, repetition);
}

/* Every assignment of a plan appears once per repetition, in lexicographic order; distinct agents unless
 * self-play. */
static void check_plan(const char *path, pl_tournament *t, size_t m, size_t np, int self_play, uint64_t reps,
                       uint64_t expect)
{
    assert_int_equal(pl_tournament_session_count(t), expect);
    size_t prev[8] = {0};
    for (uint64_t i = 0; i < expect; i++) {
        pl_tournament_session s;
        assert_int_equal(pl_tournament_session_get(t, i, &s, NULL), 0);
        assert_int_equal(s.n_parties, np);
        assert_int_equal(s.repetition, i % reps);
        assert_true(s.seed == expected_seed(path, &s, i % reps));
        int distinct = 1;
        for (size_t a = 0; a < np; a++) {
            assert_true(s.agents[a] < m);
            for (size_t b = a + 1; b < np; b++) {
                distinct &= s.agents[a] != s.agents[b];
            }
        }
        assert_true(self_play || distinct);
        if (s.repetition == 0 && i > 0) { /* strictly increasing assignments */
            int cmp = 0;
            for (size_t a = 0; a < np && !cmp; a++) {
                cmp = (s.agents[a] > prev[a]) - (s.agents[a] < prev[a]);
            }
            assert_int_equal(cmp, 1);
        }
        memcpy(prev, s.agents, np * sizeof *prev);
    }
    assert_int_equal(pl_tournament_session_get(t, expect, &(pl_tournament_session){0}, NULL), PL_ERANGE);
}

static void test_plan(void **state)
{
    (void)state;
    pl_tournament_options o;
    const char *sc[] = {job_offer};
    opts(&o, sc, 1, 3, 2);
    pl_tournament *t = make(&o);
    check_plan(job_offer, t, 3, 2, 0, 2, 3 * 2 * 2);
    pl_tournament_free(t);
    o.self_play = 1;
    t = make(&o);
    check_plan(job_offer, t, 3, 2, 1, 2, 3 * 3 * 2);
    pl_tournament_free(t);
    /* Two parties, one agent: refused without self-play. */
    opts(&o, sc, 1, 1, 1);
    pl_tournament *bad = NULL;
    assert_int_equal(pl_tournament_new(&o, reg, &bad, NULL), PL_EINVAL);
    assert_null(bad);
    /* Three parties (ANAC 2015, when present). */
    char p3[1024];
    snprintf(p3, sizeof p3, "%s/y2015/group2-new_sporthal", PL_ANAC_DIR);
    if (access(p3, R_OK) == 0) {
        const char *sc3[] = {p3};
        opts(&o, sc3, 1, 4, 1);
        t = make(&o);
        check_plan(p3, t, 4, 3, 0, 1, 4 * 3 * 2);
        pl_tournament_free(t);
        o.self_play = 1;
        t = make(&o);
        check_plan(p3, t, 4, 3, 1, 1, 4 * 4 * 4);
        pl_tournament_free(t);
    }
}

/* The deterministic content of a database: every column but the wall-clock seconds, reals in hex. */
static char *dump(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, PL_TOURNAMENT_DB);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT s.session, p.agents, p.seed, status, reason, agreement, utilities,"
                                        " raw_utilities, rounds, actions, t, individually_rational,"
                                        " pareto_distance, nash_distance, welfare, culprit FROM sessions s"
                                        " JOIN plan p ON p.session = s.session ORDER BY s.session",
                                        -1, &st, NULL),
                     SQLITE_OK);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    out[0] = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int k = 0; k < sqlite3_column_count(st); k++) {
            char cell[4096];
            if (sqlite3_column_type(st, k) == SQLITE_FLOAT) {
                snprintf(cell, sizeof cell, "%a|", sqlite3_column_double(st, k));
            } else if (sqlite3_column_type(st, k) == SQLITE_NULL) {
                snprintf(cell, sizeof cell, "NULL|");
            } else {
                snprintf(cell, sizeof cell, "%s|", (const char *)sqlite3_column_text(st, k));
            }
            size_t l = strlen(cell);
            if (len + l + 2 > cap) {
                cap *= 2;
                out = realloc(out, cap);
            }
            memcpy(out + len, cell, l + 1);
            len += l;
        }
        out[len++] = '\n';
        out[len] = 0;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static int64_t count_sql(const char *dir, const char *sql)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, PL_TOURNAMENT_DB);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void run_into(pl_tournament_options *o, const char *dir, int expect_rc)
{
    pl_tournament *t = make(o);
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_tournament_run(t, dir, &d);
    if (rc != expect_rc) {
        print_error("run: %d %s\n", rc, d.message);
    }
    assert_int_equal(rc, expect_rc);
    pl_tournament_free(t);
}

static const char *const two[] = {PL_SCENARIOS "/job-offer.json", PL_SCENARIOS "/supply-contract.json"};

static void test_threads_identical(void **state)
{
    (void)state;
    char base[256], dir[3][300];
    tu_mkdtemp(base, sizeof base);
    char *ref = NULL;
    unsigned jobs[3] = {1, 2, 4};
    for (int k = 0; k < 3; k++) {
        pl_tournament_options o;
        opts(&o, two, 2, 4, 3);
        o.jobs = jobs[k];
        o.commit_rows = 7; /* many small transactions */
        snprintf(dir[k], sizeof dir[k], "%s/j%u", base, jobs[k]);
        run_into(&o, dir[k], 0);
        char *dm = dump(dir[k]);
        assert_int_equal(count_sql(dir[k], "SELECT count(*) FROM sessions"), (12 + 24) * 3); /* 2 + 3 parties */
        if (!ref) {
            ref = dm;
        } else {
            assert_string_equal(dm, ref);
            free(dm);
        }
    }
    /* Running again changes nothing (no session runs twice). */
    pl_tournament_options o;
    opts(&o, two, 2, 4, 3);
    pl_tournament *t = make(&o);
    assert_int_equal(pl_tournament_run(t, dir[0], NULL), 0);
    assert_int_equal(pl_tournament_sessions_run(t), 0);
    pl_tournament_free(t);
    char *again = dump(dir[0]);
    assert_string_equal(again, ref);
    free(again);
    free(ref);
    (void)supply;
}

/* ---- Crash and cancel ---- */

typedef struct killer {
    uint64_t done, total;
    int cancel_only;
    const char *dir;
} killer;

static void kill_progress(void *ud, uint64_t done, uint64_t total)
{
    killer *k = ud;
    k->done = done;
    k->total = total;
}

static int kill_cancel(void *ud)
{
    killer *k = ud;
    if (!k->cancel_only && k->done == 0) { /* progress is reported every 50 ms: look at the database itself */
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", k->dir, PL_TOURNAMENT_DB);
        sqlite3 *db;
        sqlite3_stmt *st;
        if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
            sqlite3_prepare_v2(db, "SELECT count(*) FROM sessions", -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW) {
                k->done = (uint64_t)sqlite3_column_int64(st, 0);
                k->total = k->done ? 1 : 0;
            }
            sqlite3_finalize(st);
        }
        sqlite3_close(db);
    }
    if (k->total && k->done > 0) {
        if (k->cancel_only) {
            return 1;
        }
        raise(SIGKILL); /* a crash with sessions in flight and rows uncommitted */
    }
    return 0;
}

static void interrupted_then_resumed(int cancel_only)
{
    char base[256], full[300], crash[300];
    tu_mkdtemp(base, sizeof base);
    snprintf(full, sizeof full, "%s/full", base);
    snprintf(crash, sizeof crash, "%s/crash", base);
    pl_tournament_options o;
    opts(&o, two, 2, 4, 100);
    o.jobs = 2;
    run_into(&o, full, 0);
    int64_t total = (12 + 24) * 100;
    killer k = {0, 0, cancel_only, crash};
    o.progress = kill_progress;
    o.cancel = kill_cancel;
    o.ud = &k;
    o.commit_rows = 16;
    o.commit_seconds = 0.005;
    if (cancel_only) {
        run_into(&o, crash, PL_ECANCELED);
    } else {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            pl_tournament *t = NULL;
            if (pl_tournament_new(&o, reg, &t, NULL) < 0) {
                _exit(3);
            }
            pl_tournament_run(t, crash, NULL);
            _exit(0); /* finished before the kill: the test below still holds, weaker */
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    }
    int64_t partial = count_sql(crash, "SELECT count(*) FROM sessions");
    assert_true(partial > 0 && partial < total);
    /* Resume: exactly the missing sessions run. */
    o.progress = NULL;
    o.cancel = NULL;
    pl_tournament *t = make(&o);
    assert_int_equal(pl_tournament_run(t, crash, NULL), 0);
    assert_int_equal((int64_t)pl_tournament_sessions_run(t), total - partial);
    pl_tournament_free(t);
    assert_int_equal(count_sql(crash, "SELECT count(*) FROM sessions"), total);
    assert_int_equal(count_sql(crash, "SELECT count(DISTINCT session) FROM sessions"), total);
    assert_int_equal(count_sql(crash, "SELECT count(*) FROM sessions WHERE session NOT IN (SELECT session FROM plan)"),
                     0);
    char *a = dump(full), *b = dump(crash);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_resume_after_kill(void **state)
{
    (void)state;
    interrupted_then_resumed(0);
}

static void test_resume_after_cancel(void **state)
{
    (void)state;
    interrupted_then_resumed(1);
}

static void test_changed_parameters(void **state)
{
    (void)state;
    char base[256], dir[300];
    tu_mkdtemp(base, sizeof base);
    snprintf(dir, sizeof dir, "%s/t", base);
    pl_tournament_options o;
    opts(&o, two, 2, 3, 1);
    run_into(&o, dir, 0);
    o.reps = 2;
    run_into(&o, dir, PL_EINVAL);
    opts(&o, two, 2, 3, 1);
    o.seed = 8;
    run_into(&o, dir, PL_EINVAL);
    opts(&o, two, 2, 4, 1);
    run_into(&o, dir, PL_EINVAL);
    /* The stored options read back equal the original ones. */
    opts(&o, two, 2, 3, 1);
    pl_tournament_options s;
    pl_tournament_options_init(&s);
    pl_tournament_saved *keep = NULL;
    assert_int_equal(pl_tournament_options_load(dir, &s, &keep, NULL), 0);
    char why[512];
    assert_int_equal(pl_tournament_options_diff(&o, &s, why, sizeof why), 0);
    s.rounds = 300;
    assert_int_equal(pl_tournament_options_diff(&o, &s, why, sizeof why), 1);
    assert_non_null(strstr(why, "rounds"));
    pl_tournament_saved_free(keep);
    assert_int_equal(pl_tournament_options_load(base, &s, &keep, NULL), PL_ENOTFOUND);
}

/* ---- Statistics, recomputed from the rows ---- */

static void parse_array(const char *s, double *x, size_t n)
{
    s = strchr(s, '[');
    for (size_t k = 0; k < n; k++) {
        char *end;
        x[k] = strtod(s + 1, &end);
        s = end;
    }
}

static void test_statistics(void **state)
{
    (void)state;
    char base[256], dir[300];
    tu_mkdtemp(base, sizeof base);
    snprintf(dir, sizeof dir, "%s/t", base);
    pl_tournament_options o;
    opts(&o, two, 1, 4, 3); /* job-offer: two parties */
    run_into(&o, dir, 0);
    pl_tournament_summary *s = NULL;
    assert_int_equal(pl_tournament_summarize(dir, &s, NULL), 0);
    assert_int_equal(s->n_agents, 4);
    assert_int_equal(s->sessions, 36);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, PL_TOURNAMENT_DB);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (size_t a = 0; a < 4; a++) {
        assert_string_equal(s->agents[a].agent, four[a]);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT p.agents, s.status, s.utilities, c.reservations, s.rounds,"
                                            " s.welfare FROM sessions s JOIN plan p ON p.session = s.session"
                                            " JOIN scenarios c ON c.scenario = p.scenario",
                                            -1, &st, NULL),
                         SQLITE_OK);
        double su = 0, suu = 0, sa = 0, sag = 0, sr = 0, sw = 0;
        double n = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            char pat0[64], pat1[64];
            const char *ag = (const char *)sqlite3_column_text(st, 0);
            snprintf(pat0, sizeof pat0, "[\"%s\",", four[a]);
            snprintf(pat1, sizeof pat1, ", \"%s\"]", four[a]);
            double u[2], rv[2];
            parse_array((const char *)sqlite3_column_text(st, 2), u, 2);
            parse_array((const char *)sqlite3_column_text(st, 3), rv, 2);
            for (int k = 0; k < 2; k++) {
                if (!strstr(ag, k == 0 ? pat0 : pat1)) {
                    continue;
                }
                n += 1;
                su += u[k];
                suu += u[k] * u[k];
                sa += u[k] - rv[k];
                sag += strcmp((const char *)sqlite3_column_text(st, 1), "agreement") == 0;
                sr += (double)sqlite3_column_int64(st, 4);
                sw += sqlite3_column_double(st, 5);
            }
        }
        sqlite3_finalize(st);
        const pl_tournament_agent_stats *x = &s->agents[a];
        assert_int_equal(x->appearances, (uint64_t)n);
        assert_int_equal(n, 3 * 2 * 3); /* 3 opponents x 2 roles x 3 reps */
        double mean = su / n, sd = sqrt((suu - n * mean * mean) / (n - 1));
        assert_double_equal(x->utility.mean, mean, 1e-12);
        assert_double_equal(x->utility.sd, sd, 1e-9);
        assert_double_equal(x->utility.ci95, 1.96 * sd / sqrt(n), 1e-9);
        assert_double_equal(x->advantage.mean, sa / n, 1e-12);
        assert_double_equal(x->agreement.mean, sag / n, 1e-12);
        assert_double_equal(x->rounds.mean, sr / n, 1e-9);
        assert_double_equal(x->welfare.mean, sw / n, 1e-12);
    }
    sqlite3_close(db);
    assert_int_equal(pl_tournament_summary_write(s, dir, NULL), 0);
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    assert_int_equal(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/summary.json", dir);
    assert_int_equal(access(path, R_OK), 0);
    pl_tournament_summary_free(s);
}

static int count_write(void *ud, const char *text, size_t len)
{
    size_t *lines = ud;
    for (size_t k = 0; k < len; k++) {
        *lines += text[k] == '\n';
    }
    return 0;
}

static void test_export(void **state)
{
    (void)state;
    char base[256], dir[300];
    tu_mkdtemp(base, sizeof base);
    snprintf(dir, sizeof dir, "%s/t", base);
    pl_tournament_options o;
    opts(&o, two, 2, 3, 2);
    run_into(&o, dir, 0);
    size_t lines = 0;
    assert_int_equal(pl_tournament_export(dir, PL_EXPORT_CSV, count_write, &lines, NULL), 0);
    assert_int_equal(lines, 1 + (6 + 6) * 2);
    lines = 0;
    assert_int_equal(pl_tournament_export(dir, PL_EXPORT_JSON, count_write, &lines, NULL), 0);
    assert_int_equal(lines, 2 + (6 + 6) * 2);
    assert_int_equal(pl_tournament_export(base, PL_EXPORT_CSV, count_write, &lines, NULL), PL_ENOTFOUND);
}

static void test_mpi_unsupported_or_seed(void **state)
{
    (void)state;
    /* The documented derivation, recomputed here. */
    uint64_t agents[2] = {fnv("boulware", 8), fnv("conceder", 8)};
    assert_true(pl_tournament_text_hash("boulware") == agents[0]);
    uint64_t h = fold(fold(fold(fold(fold(7, 0x1234), 2), agents[0]), agents[1]), 3);
    assert_true(pl_tournament_session_seed(7, 0x1234, agents, 2, 3) == h);
    /* Roles matter: the same agents the other way round give another seed. */
    uint64_t swapped[2] = {agents[1], agents[0]};
    assert_true(pl_tournament_session_seed(7, 0x1234, swapped, 2, 3) != h);
}

static int buf_write(void *ud, const char *text, size_t len)
{
    pl__buf_append(ud, text, len);
    return 0;
}

/* Rows of a finished tournament keyed by their identity: "scenario|agent,agent|repetition" -> the result fields. */
static json_t *rows_by_identity(const char *dir)
{
    char *text = NULL;
    size_t len = 0;
    pl__buf b;
    pl__buf_init(&b);
    assert_int_equal(pl_tournament_export(dir, PL_EXPORT_JSON, buf_write, &b, NULL), 0);
    text = pl__buf_take(&b);
    len = strlen(text);
    json_error_t err;
    json_t *rows = json_loadb(text, len, JSON_DECODE_INT_AS_REAL, &err); /* seeds exceed 2^63 */
    if (!rows) {
        print_error("export JSON: %s (line %d): %.200s\n", err.text, err.line, text);
    }
    pl__free(text);
    assert_non_null(rows);
    json_t *out = json_object();
    size_t k;
    json_t *row;
    json_array_foreach(rows, k, row)
    {
        char key[512];
        char *agents = json_dumps(json_object_get(row, "agents"), JSON_COMPACT);
        snprintf(key, sizeof key, "%s|%s|%lld", json_string_value(json_object_get(row, "scenario")), agents,
                 (long long)json_integer_value(json_object_get(row, "repetition")));
        free(agents);
        json_t *keep = json_object();
        const char *fields[] = {"seed", "status", "agreement", "utilities", "rounds", "actions"};
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
            json_object_set(keep, fields[f], json_object_get(row, fields[f]));
        }
        json_object_set_new(out, key, keep);
    }
    json_decref(rows);
    return out;
}

/* Adding an agent leaves every other session's seed and result as they were: the sessions of a tournament of three
 * agents are, row for row, sessions of the same tournament with a fourth agent. */
static void test_identity_seeds(void **state)
{
    (void)state;
    char base[256], d3[300], d4[300];
    tu_mkdtemp(base, sizeof base);
    snprintf(d3, sizeof d3, "%s/three", base);
    snprintf(d4, sizeof d4, "%s/four", base);
    static const char *const with_random[] = {"boulware", "random", "conceder", "linear"};
    pl_tournament_options o;
    opts(&o, two, 2, 3, 2);
    o.agents = with_random;
    o.n_agents = 3;
    run_into(&o, d3, 0);
    o.n_agents = 4;
    run_into(&o, d4, 0);
    json_t *a = rows_by_identity(d3), *b = rows_by_identity(d4);
    assert_true(json_object_size(a) > 0 && json_object_size(b) > json_object_size(a));
    const char *key;
    json_t *v;
    json_object_foreach(a, key, v)
    {
        json_t *w = json_object_get(b, key);
        if (!w || !json_equal(v, w)) {
            print_error("session %s differs once an agent is added\n", key);
        }
        assert_true(w && json_equal(v, w));
    }
    json_decref(a);
    json_decref(b);
}

/* A resume after a scenario changed is refused with the file named; with force it runs and says what it mixes. */
static void on_warn(void *ud, const char *message)
{
    snprintf((char *)ud, 1024, "%s", message);
}

static void test_resume_changed_scenario(void **state)
{
    (void)state;
    char base[256], dir[300], path[300];
    tu_mkdtemp(base, sizeof base);
    snprintf(dir, sizeof dir, "%s/t", base);
    snprintf(path, sizeof path, "%s/job.json", base);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(pl__read_file(job_offer, &text, &len, NULL), 0);
    assert_int_equal(pl__write_file_atomic(path, text, len, NULL), 0);
    const char *const one[] = {path};
    pl_tournament_options o;
    opts(&o, one, 1, 2, 1);
    run_into(&o, dir, 0);
    run_into(&o, dir, 0); /* unchanged: resumes (nothing left to run) */
    char *edited = strstr(text, "\"reservation\": 0.3,");
    assert_non_null(edited);
    memcpy(edited, "\"reservation\": 0.4,", strlen("\"reservation\": 0.4,"));
    assert_int_equal(pl__write_file_atomic(path, text, len, NULL), 0);
    pl_free(text);
    pl_tournament *t = make(&o);
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_tournament_run(t, dir, &d), PL_EINVAL);
    assert_non_null(strstr(d.message, "changed since the tournament started"));
    assert_non_null(strstr(d.message, "job.json"));
    pl_tournament_free(t);
    char warned[1024] = "";
    o.force = 1;
    o.warn = on_warn;
    o.ud = warned;
    run_into(&o, dir, 0);
    assert_non_null(strstr(warned, "mix sessions of the old and the new version"));
    assert_non_null(strstr(warned, "job.json"));
}

/* Isolation: a tournament with the example plug-in gives the same rows with isolate on (worker processes) and off,
 * on 1 and 2 threads; an interrupted isolated run resumes to the same rows; the settings are stored. */
static int cancel_after(void *ud)
{
    int *calls = ud;
    return ++*calls > 0;
}

static void test_isolated_identical(void **state)
{
    (void)state;
    pl_registry *r = tu_registry_new();
    pl_diag d;
    pl_diag_clear(&d);
    if (pl_registry_load_plugin(r, PL_EXAMPLE_AGENT, &d) < 0) {
        fail_msg("%s", d.message);
    }
    static const char *agents[] = {"example-floor:floor=0.4", "boulware", "conceder"};
    char base[256], dir[300];
    tu_mkdtemp(base, sizeof base);
    char *ref = NULL;
    for (int k = 0; k < 4; k++) {
        pl_tournament_options o;
        opts(&o, two, 2, 3, 2);
        o.agents = agents;
        o.isolate = k == 0 ? PL_ISOLATE_OFF : PL_ISOLATE_ON;
        o.call_limit = 5;
        o.memory_limit = (uint64_t)512 << 20;
        o.jobs = k == 1 ? 1 : 2;
        snprintf(dir, sizeof dir, "%s/i%d", base, k);
        pl_tournament *t = NULL;
        assert_int_equal(pl_tournament_new(&o, r, &t, &d), 0);
        int calls = 0;
        if (k == 3) { /* interrupted, then resumed */
            o.cancel = cancel_after;
            o.ud = &calls;
            pl_tournament *tc = NULL;
            assert_int_equal(pl_tournament_new(&o, r, &tc, &d), 0);
            /* Canceled at the first poll; on a fast machine every session may be done before it (then 0). */
            int crc = pl_tournament_run(tc, dir, &d);
            assert_true(crc == PL_ECANCELED || crc == 0);
            pl_tournament_free(tc);
        }
        assert_int_equal(pl_tournament_run(t, dir, &d), 0);
        pl_tournament_free(t);
        char *dm = dump(dir);
        assert_int_equal(count_sql(dir, "SELECT count(*) FROM sessions"), (6 + 6) * 2);
        if (!ref) {
            ref = dm;
        } else {
            assert_string_equal(dm, ref);
            free(dm);
        }
    }
    pl_tournament_options s;
    pl_tournament_options_init(&s);
    pl_tournament_saved *keep = NULL;
    assert_int_equal(pl_tournament_options_load(dir, &s, &keep, &d), 0);
    assert_int_equal(s.isolate, PL_ISOLATE_ON);
    assert_double_equal(s.call_limit, 5, 0);
    assert_int_equal(s.memory_limit, (uint64_t)512 << 20);
    pl_tournament_saved_free(keep);
    free(ref);
    pl_registry_free(r);
}

int main(void)
{
    reg = tu_registry_new();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_mpi_unsupported_or_seed),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_resume_after_kill),
        cmocka_unit_test(test_resume_after_cancel),
        cmocka_unit_test(test_changed_parameters),
        cmocka_unit_test(test_identity_seeds),
        cmocka_unit_test(test_resume_changed_scenario),
        cmocka_unit_test(test_statistics),
        cmocka_unit_test(test_export),
        cmocka_unit_test(test_isolated_identical),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    pl_registry_free(reg);
    return rc;
}
