/* Tournaments: plan sizes and role permutations (2 and 3 parties, with and without self-play), identical databases
 * for 1, 2 and 4 threads, resume after kill -9 and after cancel with no missing or duplicated session, refusal of
 * changed parameters, and statistics recomputed here from the session rows. */
#include "testutil.h"

#include <signal.h>
#include <sys/wait.h>

#include <sqlite3.h>

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

/* Every assignment of a plan appears once per repetition, in lexicographic order; distinct agents unless
 * self-play. */
static void check_plan(pl_tournament *t, size_t m, size_t np, int self_play, uint64_t reps, uint64_t expect)
{
    assert_int_equal(pl_tournament_session_count(t), expect);
    size_t prev[8] = {0};
    for (uint64_t i = 0; i < expect; i++) {
        pl_tournament_session s;
        assert_int_equal(pl_tournament_session_get(t, i, &s, NULL), 0);
        assert_int_equal(s.n_parties, np);
        assert_int_equal(s.repetition, i % reps);
        assert_true(s.seed == pl_tournament_session_seed(7, i));
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
    check_plan(t, 3, 2, 0, 2, 3 * 2 * 2);
    pl_tournament_free(t);
    o.self_play = 1;
    t = make(&o);
    check_plan(t, 3, 2, 1, 2, 3 * 3 * 2);
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
        check_plan(t, 4, 3, 0, 1, 4 * 3 * 2);
        pl_tournament_free(t);
        o.self_play = 1;
        t = make(&o);
        check_plan(t, 4, 3, 1, 1, 4 * 4 * 4);
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
    /* The documented seed derivation: splitmix64's (index+1)-th output from the tournament seed. */
    uint64_t st = 7;
    for (uint64_t i = 0; i < 5; i++) {
        assert_true(pl_tournament_session_seed(7, i) == tu_splitmix(&st));
    }
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
        cmocka_unit_test(test_statistics),
        cmocka_unit_test(test_export),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    pl_registry_free(reg);
    return rc;
}
