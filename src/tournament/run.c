/* Running a tournament: worker threads take the missing sessions in plan order and hand finished rows through a
 * queue to the one writer thread, which commits them in batches; the calling thread polls progress and cancel.
 * A session's result depends only on its plan entry and seed, so any thread (or rank) count gives the same rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/internal.h"
#include "io/json_writer.h"
#include "protocol/isolate.h"
#include "tournament/tournament_internal.h"

double pl__tnow(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void nap(double seconds)
{
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    nanosleep(&ts, NULL);
}

/* ---- Rows ---- */

void pl__trow_free(pl__trow *r)
{
    if (r) {
        pl__free(r->reason);
        pl__free(r->agreement);
        pl__free(r->utilities);
        pl__free(r->raw_utilities);
        pl__free(r);
    }
}

static char *numbers_json(const double *x, size_t n)
{
    pl_jw *w = pl_jw_new(0);
    if (!w) {
        return NULL;
    }
    pl_jw_array(w);
    for (size_t k = 0; k < n; k++) {
        pl_jw_number(w, x ? x[k] : NAN);
    }
    pl_jw_array_end(w);
    char *s = pl_jw_finish(w);
    if (s) {
        s[strcspn(s, "\n")] = 0;
    }
    return s;
}

static char *agreement_json(const pl_space *sp, const uint32_t *o)
{
    pl_jw *w = pl_jw_new(0);
    if (!w) {
        return NULL;
    }
    pl_jw_object(w);
    for (size_t i = 0; i < pl_space_issue_count(sp); i++) {
        char lab[64];
        pl_jw_key(w, pl_space_issue_name(sp, i));
        pl_jw_string(w, pl_space_value_label(sp, i, o[i], lab, sizeof lab));
    }
    pl_jw_object_end(w);
    char *s = pl_jw_finish(w);
    if (s) {
        s[strcspn(s, "\n")] = 0;
    }
    return s;
}

static void session_options(const pl_tournament *t, const pl_tournament_session *ps, pl_session_options *so)
{
    pl_session_options_init(so);
    so->protocol = t->o.protocol;
    so->rounds = t->o.rounds;
    so->time_limit = t->o.time_limit;
    so->seed = ps->seed;
    so->metrics = t->o.metrics;
    so->isolate = PL_ISOLATE_OFF; /* pl_session_run in this process; isolation is decided here */
    so->call_limit = t->o.call_limit;
    so->memory_limit = t->o.memory_limit;
}

/* pl__iso's setup: session index job of the tournament ud. Reads only the plan (built before any fork). */
static int iso_setup(void *ud, uint64_t job, pl_negotiation **neg, const pl_agent_spec **agents, size_t *n,
                     pl_session_options *so, pl_diag *d)
{
    pl_tournament *t = ud;
    pl_tournament_session ps;
    int rc = pl_tournament_session_get(t, job, &ps, d);
    if (rc < 0) {
        return rc;
    }
    if (ps.n_parties > PL__ISO_MAXP) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "at most %d parties in an isolated session", PL__ISO_MAXP);
    }
    *neg = t->negs[ps.scenario];
    for (size_t k = 0; k < ps.n_parties; k++) {
        agents[k] = t->specs[ps.agents[k]];
    }
    *n = ps.n_parties;
    session_options(t, &ps, so);
    return 0;
}

pl__trow *pl__trow_run(pl_tournament *t, uint64_t index)
{
    return pl__trow_run_in(t, index, NULL, NULL, NULL, NULL);
}

pl__trow *pl__trow_run_in(pl_tournament *t, uint64_t index, pl__iso **iso, int (*stop)(void *), void *stop_ud,
                          int *canceled)
{
    pl_tournament_session ps;
    pl_session_result res;
    pl_diag d;
    pl_diag_clear(&d);
    if (pl_tournament_session_get(t, index, &ps, &d) < 0) {
        return NULL;
    }
    pl__trow *row = pl__calloc(1, sizeof *row);
    if (!row) {
        return NULL;
    }
    const pl_agent_spec *agents[64];
    const pl_agent_spec **ag = ps.n_parties <= 64 ? agents : pl__malloc(ps.n_parties * sizeof *ag);
    if (!ag) {
        pl__free(row);
        return NULL;
    }
    for (size_t k = 0; k < ps.n_parties; k++) {
        ag[k] = t->specs[ps.agents[k]];
    }
    pl_session_options so;
    session_options(t, &ps, &so);
    pl_session_result_init(&res);
    int rc;
    if (iso && pl__iso_wanted(t->o.isolate, 1, ag, ps.n_parties)) {
        if (!*iso && !(*iso = pl__iso_new(iso_setup, t, t->negs, t->o.n_scenarios))) {
            rc = pl__diag_set(&d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        } else {
            rc = pl__iso_run(*iso, index, stop, stop_ud, &res, &d);
        }
        if (rc == PL_ECANCELED) { /* interrupted: the session is not recorded (a resume runs it again) */
            *canceled = 1;
            if (ag != agents) {
                pl__free(ag);
            }
            pl_session_result_free(&res);
            pl__free(row);
            return NULL;
        }
    } else {
        rc = pl_session_run(t->negs[ps.scenario], ag, ps.n_parties, &so, &res, &d);
    }
    if (ag != agents) {
        pl__free(ag);
    }
    row->session = index;
    if (rc < 0) {
        /* Could not set the session up (memory): recorded as an error with every party at NaN. */
        char buf[PL_DIAG_MSG_MAX + PL_DIAG_FILE_MAX + 64];
        row->status = PL_SESSION_ERROR;
        row->culprit = -1;
        row->reason = pl__strdup(pl_diag_format(&d, buf, sizeof buf));
        row->utilities = numbers_json(NULL, ps.n_parties);
        row->raw_utilities = numbers_json(NULL, ps.n_parties);
        row->t = row->seconds = row->pareto_distance = row->nash_distance = row->welfare = NAN;
    } else {
        row->status = (int32_t)res.status;
        row->culprit = res.culprit;
        row->individually_rational = res.individually_rational;
        row->rounds = res.rounds;
        row->actions = res.actions;
        row->t = res.t;
        row->seconds = res.seconds;
        row->pareto_distance = res.pareto_distance;
        row->nash_distance = res.nash_distance;
        row->welfare = res.welfare;
        row->reason = pl__strdup(res.reason);
        row->utilities = numbers_json(res.utilities, res.n_parties);
        row->raw_utilities = numbers_json(res.raw_utilities, res.n_parties);
        if (res.has_agreement) {
            row->agreement =
                agreement_json(pl_scenario_space(t->scenarios[ps.scenario]), res.agreement);
            if (!row->agreement) {
                row->reason = NULL;
            }
        }
    }
    pl_session_result_free(&res);
    if (!row->reason || !row->utilities || !row->raw_utilities) {
        pl__trow_free(row);
        return NULL;
    }
    return row;
}

/* ---- Packing (MPI): fixed-size numbers then four length-prefixed strings (length ~0 = NULL) ---- */

typedef struct packed_head {
    uint64_t session, rounds, actions;
    int64_t culprit;
    int32_t status, individually_rational;
    double t, seconds, pareto_distance, nash_distance, welfare;
} packed_head;

int pl__trow_pack(const pl__trow *r, char **buf, size_t *len)
{
    const char *s[4] = {r->reason, r->agreement, r->utilities, r->raw_utilities};
    size_t n = sizeof(packed_head);
    for (int k = 0; k < 4; k++) {
        n += sizeof(uint64_t) + (s[k] ? strlen(s[k]) : 0);
    }
    char *b = pl__malloc(n), *p = b;
    if (!b) {
        return PL_ENOMEM;
    }
    packed_head h = {r->session, r->rounds, r->actions, r->culprit, r->status, r->individually_rational,
                     r->t, r->seconds, r->pareto_distance, r->nash_distance, r->welfare};
    memcpy(p, &h, sizeof h);
    p += sizeof h;
    for (int k = 0; k < 4; k++) {
        uint64_t l = s[k] ? strlen(s[k]) : UINT64_MAX;
        memcpy(p, &l, sizeof l);
        p += sizeof l;
        if (s[k]) {
            memcpy(p, s[k], (size_t)l);
            p += l;
        }
    }
    *buf = b;
    *len = n;
    return 0;
}

pl__trow *pl__trow_unpack(const char *buf, size_t len)
{
    packed_head h;
    if (len < sizeof h) {
        return NULL;
    }
    pl__trow *r = pl__calloc(1, sizeof *r);
    if (!r) {
        return NULL;
    }
    memcpy(&h, buf, sizeof h);
    r->session = h.session;
    r->rounds = h.rounds;
    r->actions = h.actions;
    r->culprit = h.culprit;
    r->status = h.status;
    r->individually_rational = h.individually_rational;
    r->t = h.t;
    r->seconds = h.seconds;
    r->pareto_distance = h.pareto_distance;
    r->nash_distance = h.nash_distance;
    r->welfare = h.welfare;
    size_t off = sizeof h;
    char **s[4] = {&r->reason, &r->agreement, &r->utilities, &r->raw_utilities};
    for (int k = 0; k < 4; k++) {
        uint64_t l;
        if (len - off < sizeof l) {
            pl__trow_free(r);
            return NULL;
        }
        memcpy(&l, buf + off, sizeof l);
        off += sizeof l;
        if (l == UINT64_MAX) {
            continue;
        }
        if (l > len - off || !(*s[k] = pl__strndup(buf + off, (size_t)l))) {
            pl__trow_free(r);
            return NULL;
        }
        off += (size_t)l;
    }
    if (!r->reason || !r->utilities || !r->raw_utilities) {
        pl__trow_free(r);
        return NULL;
    }
    return r;
}

/* ---- The queue ---- */

void pl__tqueue_init(pl__tqueue *q)
{
    memset(q, 0, sizeof *q);
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
}

void pl__tqueue_destroy(pl__tqueue *q)
{
    pl__trow *r = q->head;
    while (r) {
        pl__trow *n = r->next;
        pl__trow_free(r);
        r = n;
    }
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
}

void pl__tqueue_push(pl__tqueue *q, pl__trow *r)
{
    r->next = NULL;
    pthread_mutex_lock(&q->mu);
    if (q->tail) {
        q->tail->next = r;
    } else {
        q->head = r;
    }
    q->tail = r;
    q->pushed++;
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

pl__trow *pl__tqueue_take(pl__tqueue *q, double seconds)
{
    pthread_mutex_lock(&q->mu);
    if (!q->head && !q->closed && seconds > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        double ns = (double)ts.tv_nsec + seconds * 1e9;
        ts.tv_sec += (time_t)(ns / 1e9);
        ts.tv_nsec = (long)fmod(ns, 1e9);
        pthread_cond_timedwait(&q->cv, &q->mu, &ts);
    }
    pl__trow *r = q->head;
    q->head = q->tail = NULL;
    pthread_mutex_unlock(&q->mu);
    return r;
}

static void tqueue_close(pl__tqueue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = 1;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

/* ---- Workers ---- */

typedef struct work {
    pl_tournament *t;
    const uint64_t *todo;
    uint64_t n, next;
    size_t next_scenario;      /* preparation phase: the next scenario to prepare */
    pl__tqueue *q;
    pthread_mutex_t mu;
    pthread_cond_t cv;         /* preparation finished (isolating runs wait for it before any fork) */
    int stop, failed, isolating;
    unsigned active, preparing;
    uint64_t discarded;        /* isolated sessions killed by an interruption (not recorded) */
} work;

static int work_stopped(void *arg)
{
    work *w = arg;
    pthread_mutex_lock(&w->mu);
    int stop = w->stop;
    pthread_mutex_unlock(&w->mu);
    return stop;
}

static void *worker(void *arg)
{
    work *w = arg;
    /* First prepare the scenarios (sorted lists, analysis) in parallel, one scenario per worker at a time, instead
     * of letting the sessions of one scenario wait for each other's lazy preparation. A failure here is left for
     * the sessions, which record it. */
    for (;;) {
        pthread_mutex_lock(&w->mu);
        size_t s = w->next_scenario++;
        int stop = w->stop;
        w->preparing += !stop && s < w->t->o.n_scenarios;
        pthread_mutex_unlock(&w->mu);
        if (stop || s >= w->t->o.n_scenarios) {
            break;
        }
        pl_negotiation_prepare(w->t->negs[s], w->t->o.metrics, NULL);
        pthread_mutex_lock(&w->mu);
        w->preparing--;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
    }
    /* Worker processes are forked from the prepared scenarios: wait until every one is ready, so the children
     * find the sorted lists and the analysis built instead of building them each. */
    pthread_mutex_lock(&w->mu);
    while (w->isolating && w->preparing > 0 && !w->stop) {
        pthread_cond_wait(&w->cv, &w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    pl__iso *iso = NULL;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        if (w->stop || w->next >= w->n) {
            w->active--;
            pthread_mutex_unlock(&w->mu);
            pl__iso_free(iso);
            return NULL;
        }
        uint64_t idx = w->todo[w->next++];
        pthread_mutex_unlock(&w->mu);
        int canceled = 0;
        pl__trow *r = pl__trow_run_in(w->t, idx, w->isolating ? &iso : NULL, work_stopped, w, &canceled);
        if (!r) {
            pthread_mutex_lock(&w->mu);
            if (canceled) {
                w->discarded++;
            } else {
                w->failed = w->stop = 1;
            }
            pthread_mutex_unlock(&w->mu);
            continue;
        }
        pl__tqueue_push(w->q, r);
    }
}

static unsigned cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

int pl__tournament_work(pl_tournament *t, const uint64_t *todo, uint64_t n, pl__tqueue *q, pl__ttick tick,
                        void *ud, pl_diag *d)
{
    unsigned jobs = t->o.jobs ? t->o.jobs : cores();
    if (jobs > n) {
        jobs = n ? (unsigned)n : 1;
    }
    work w;
    memset(&w, 0, sizeof w);
    w.t = t;
    w.todo = todo;
    w.n = n;
    w.q = q;
    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.cv, NULL);
    for (size_t k = 0; k < t->o.n_agents && t->o.isolate != PL_ISOLATE_OFF; k++) {
        w.isolating |= !pl_agent_spec_builtin(t->specs[k]);
    }
    pthread_t *th = pl__calloc(jobs, sizeof *th);
    if (!th) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    unsigned started = 0;
    w.active = jobs;
    for (; started < jobs; started++) {
        if (pthread_create(&th[started], NULL, worker, &w) != 0) {
            break;
        }
    }
    pthread_mutex_lock(&w.mu);
    w.active -= jobs - started;
    if (started == 0) {
        w.failed = 1;
    }
    pthread_mutex_unlock(&w.mu);
    for (;;) {
        pthread_mutex_lock(&w.mu);
        unsigned active = w.active;
        pthread_mutex_unlock(&w.mu);
        if (active == 0) {
            break;
        }
        if (tick(ud)) {
            pthread_mutex_lock(&w.mu);
            w.stop = 1;
            pthread_cond_broadcast(&w.cv);
            pthread_mutex_unlock(&w.mu);
        }
        nap(0.01);
    }
    for (unsigned k = 0; k < started; k++) {
        pthread_join(th[k], NULL);
    }
    pl__free(th);
    pthread_mutex_destroy(&w.mu);
    pthread_cond_destroy(&w.cv);
    t->ran += w.next - w.discarded;
    if (w.failed) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory running sessions");
    }
    return 0;
}

/* ---- The writer ---- */

typedef struct writer {
    pl__store *st;
    pl__tqueue *q;
    pl_tournament *t;
    unsigned commit_rows;
    double commit_seconds;
    pthread_mutex_t mu;
    uint64_t committed;
    int failed;
    pl_diag d;
} writer;

static void *writer_main(void *arg)
{
    writer *w = arg;
    unsigned rows = 0;
    double t0 = 0;
    int failed = 0;
    for (;;) {
        pthread_mutex_lock(&w->q->mu);
        int closed = w->q->closed && !w->q->head;
        pthread_mutex_unlock(&w->q->mu);
        pl__trow *r = closed ? NULL : pl__tqueue_take(w->q, w->commit_seconds > 0 ? w->commit_seconds : 0.01);
        while (r) {
            pl__trow *n = r->next;
            if (!failed) {
                if (rows == 0) {
                    t0 = pl__tnow();
                    failed = pl__store_begin(w->st, &w->d) < 0;
                }
                if (!failed) {
                    failed = pl__store_insert(w->st, r, &w->d) < 0;
                    rows++;
                }
            }
            pl__trow_free(r);
            r = n;
        }
        if (!failed && rows > 0 && (closed || rows >= w->commit_rows || pl__tnow() - t0 >= w->commit_seconds)) {
            failed = pl__store_commit(w->st, &w->d) < 0;
            pthread_mutex_lock(&w->mu);
            w->committed += failed ? 0 : rows;
            pthread_mutex_unlock(&w->mu);
            rows = 0;
        }
        if (failed) {
            pthread_mutex_lock(&w->mu);
            w->failed = 1;
            pthread_mutex_unlock(&w->mu);
        }
        if (closed) {
            return NULL;
        }
    }
}

/* ---- The whole run on this process (plus remote rows for MPI) ---- */

typedef struct run_ctx {
    pl_tournament *t;
    writer *w;
    uint64_t base, total;
    double last;
    pl__tremote_poll poll;
    void *poll_ud;
    int canceled;
} run_ctx;

static int tick(void *ud)
{
    run_ctx *c = ud;
    pthread_mutex_lock(&c->w->mu);
    int failed = c->w->failed;
    uint64_t committed = c->w->committed;
    pthread_mutex_unlock(&c->w->mu);
    if (c->poll) {
        c->poll(c->poll_ud, c->w->q);
    }
    double now = pl__tnow();
    if (c->t->o.progress && now - c->last >= 0.05) {
        c->last = now;
        c->t->o.progress(c->t->o.ud, c->base + committed, c->total);
    }
    if (!c->canceled && c->t->o.cancel && c->t->o.cancel(c->t->o.ud)) {
        c->canceled = 1;
    }
    return failed || c->canceled;
}

int pl__tournament_run_root(pl_tournament *t, const char *dir, const pl__tremote *remote, pl_diag *d)
{
    int rc = 0;
    pl__store *st = NULL;
    unsigned char *done = NULL;
    uint64_t *todo = NULL, n_done = 0, n = 0;
    pl__tqueue q;
    pl__tqueue_init(&q);
    writer w;
    memset(&w, 0, sizeof w);
    pthread_mutex_init(&w.mu, NULL);
    pthread_t wt;
    int writer_started = 0;
    PL_TRY(pl__store_open(t, dir, &st, d));
    done = pl__malloc(t->total ? t->total : 1);
    todo = pl__malloc((t->total ? t->total : 1) * sizeof *todo);
    if (!done || !todo) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    PL_TRY(pl__store_done(st, done, t->total, &n_done, d));
    for (uint64_t i = 0; i < t->total; i++) {
        if (!done[i]) {
            todo[n++] = i;
        }
    }
    w.st = st;
    w.q = &q;
    w.t = t;
    w.commit_rows = t->o.commit_rows ? t->o.commit_rows : 1;
    w.commit_seconds = t->o.commit_seconds;
    pl_diag_clear(&w.d);
    if (pthread_create(&wt, NULL, writer_main, &w) != 0) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "cannot start the writer thread");
        goto cleanup;
    }
    writer_started = 1;
    run_ctx c = {t, &w, n_done, t->total, 0, NULL, NULL, 0};
    uint64_t mine = n;
    const uint64_t *my = todo;
    if (remote) {
        PL_TRY(remote->share(remote->ud, todo, n, &my, &mine, d));
        c.poll = remote->poll;
        c.poll_ud = remote->ud;
    }
    rc = pl__tournament_work(t, my, mine, &q, tick, &c, d);
    /* Remote ranks: keep receiving until all have reported finishing. */
    while (rc == 0 && remote && !remote->finished(remote->ud)) {
        tick(&c);
        nap(0.002);
    }
    tqueue_close(&q);
    pthread_join(wt, NULL);
    writer_started = 0;
    if (t->o.progress) {
        t->o.progress(t->o.ud, n_done + w.committed, t->total);
    }
    if (rc == 0 && w.failed) {
        *d = w.d;
        rc = d->code ? d->code : PL_EIO;
    } else if (rc == 0 && c.canceled) {
        rc = pl__diag_set(d, PL_ECANCELED, NULL, 0, 0, "interrupted: %llu of %llu sessions finished",
                          (unsigned long long)(n_done + w.committed), (unsigned long long)t->total);
    }
cleanup:
    if (writer_started) {
        tqueue_close(&q);
        pthread_join(wt, NULL);
    }
    pl__tqueue_destroy(&q);
    pthread_mutex_destroy(&w.mu);
    pl__store_close(st);
    pl__free(done);
    pl__free(todo);
    return rc;
}

int pl_tournament_run(pl_tournament *t, const char *dir, pl_diag *d)
{
    t->ran = 0;
    if (t->o.mpi) {
        return pl__tournament_run_mpi(t, dir, d);
    }
    return pl__tournament_run_root(t, dir, NULL, d);
}
