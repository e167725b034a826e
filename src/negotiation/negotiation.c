/* A scenario prepared for sessions: the per-party sorted outcome lists, agents' shared data and the analysis used
 * for metrics, each built once on first use under its own lock and then read without locking (the pointers are
 * published with release stores), so that any number of concurrent sessions share them, and different pieces can be
 * built by different threads at once. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "negotiation/negotiation_internal.h"

typedef struct shared_entry {
    const void *key;
    size_t party;
    void *data;
    void (*free_data)(void *);
    struct shared_entry *next;
} shared_entry;

struct pl_negotiation {
    const pl_scenario *sc;
    pl_negotiation_options opt;
    pthread_mutex_t lock;             /* the shared-data list and the analysis */
    pthread_mutex_t *sorted_lock;     /* np: one per party's list */
    size_t np;
    _Atomic(pl_sorted *) *sorted;     /* np */
    _Atomic(shared_entry *) shared;   /* list, newest first; entries are never removed before free */
    _Atomic(pl_analysis *) analysis;
    int analysis_rc;                  /* the analysis failed with this code (then not retried, unless PL_ENOMEM) */
    pl_diag analysis_diag;
};

void pl_negotiation_options_init_size(pl_negotiation_options *out, size_t size)
{
    pl_negotiation_options defaults, *o = &defaults;
    memset(o, 0, sizeof *o);
    o->sorted_limit = 4000000;
    o->sample_size = 200000;
    o->seed = 1;
    o->threads = 0;
    o->size = sizeof *o;
    pl__opts_init(out, size, o, sizeof *o);
}

int pl_negotiation_new(const pl_scenario *sc, const pl_negotiation_options *opts, pl_negotiation **out, pl_diag *d)
{
    pl_negotiation_options oc;
    pl_negotiation_options_init(&oc);
    int rc = PL__OPTS_READ(pl_negotiation_options, &oc, opts, threads, d);
    if (rc < 0) {
        return rc;
    }
    pl_negotiation *n = pl__calloc(1, sizeof *n);
    if (!n) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    n->sc = sc;
    n->opt = oc;
    if (n->opt.sample_size < 1000) {
        n->opt.sample_size = 1000; /* a candidate set must at least reach each party's best outcome */
    }
    n->np = pl_scenario_party_count(sc);
    n->sorted = pl__calloc(n->np ? n->np : 1, sizeof *n->sorted);
    n->sorted_lock = pl__calloc(n->np ? n->np : 1, sizeof *n->sorted_lock);
    /* Recursive: an agent's shared-data builder may itself ask for other shared data or the analysis. */
    pthread_mutexattr_t attr;
    int locked = 0;
    if (n->sorted && n->sorted_lock && pthread_mutexattr_init(&attr) == 0) {
        locked = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE) == 0 &&
                 pthread_mutex_init(&n->lock, &attr) == 0;
        pthread_mutexattr_destroy(&attr);
    }
    size_t k = 0;
    for (; locked && k < n->np; k++) {
        atomic_init(&n->sorted[k], NULL);
        if (pthread_mutex_init(&n->sorted_lock[k], NULL) != 0) {
            break;
        }
    }
    if (!locked || k < n->np) {
        while (k-- > 0) {
            pthread_mutex_destroy(&n->sorted_lock[k]);
        }
        if (locked) {
            pthread_mutex_destroy(&n->lock);
        }
        pl__free(n->sorted);
        pl__free(n->sorted_lock);
        pl__free(n);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    atomic_init(&n->shared, NULL);
    atomic_init(&n->analysis, NULL);
    *out = n;
    return 0;
}

void pl_negotiation_free(pl_negotiation *n)
{
    if (!n) {
        return;
    }
    for (size_t k = 0; k < n->np; k++) {
        pl__sorted_free(atomic_load(&n->sorted[k]));
        pthread_mutex_destroy(&n->sorted_lock[k]);
    }
    pl__free(n->sorted_lock);
    shared_entry *e = atomic_load(&n->shared);
    while (e) {
        shared_entry *next = e->next;
        if (e->free_data) {
            e->free_data(e->data);
        }
        pl__free(e);
        e = next;
    }
    pl_analysis_free(atomic_load(&n->analysis));
    pthread_mutex_destroy(&n->lock);
    pl__free(n->sorted);
    pl__free(n);
}

const pl_scenario *pl_negotiation_scenario(const pl_negotiation *n)
{
    return n->sc;
}

int pl__negotiation_sorted(pl_negotiation *n, size_t party, const pl_sorted **out, pl_diag *d)
{
    pl_sorted *s = atomic_load_explicit(&n->sorted[party], memory_order_acquire);
    if (s) {
        *out = s;
        return 0;
    }
    int rc = 0;
    pthread_mutex_lock(&n->sorted_lock[party]);
    s = atomic_load_explicit(&n->sorted[party], memory_order_relaxed);
    if (!s) {
        rc = pl__sorted_build(n->sc, party, &n->opt, &s, d);
        if (rc == 0) {
            atomic_store_explicit(&n->sorted[party], s, memory_order_release);
        }
    }
    pthread_mutex_unlock(&n->sorted_lock[party]);
    if (rc == 0) {
        *out = s;
    }
    return rc;
}

int pl_agent_sorted(const pl_agent_view *view, const pl_sorted **out, pl_diag *d)
{
    const pl__view_ctx *c = view->internal;
    return pl__negotiation_sorted(c->neg, c->party, out, d);
}

static shared_entry *find_shared(shared_entry *e, const void *key, size_t party)
{
    for (; e; e = e->next) {
        if (e->key == key && e->party == party) {
            return e;
        }
    }
    return NULL;
}

int pl_agent_shared(const pl_agent_view *view, const void *key,
                    int (*build)(const pl_agent_view *view, void **data, pl_diag *d), void (*free_data)(void *data),
                    void **out, pl_diag *d)
{
    const pl__view_ctx *c = view->internal;
    pl_negotiation *n = c->neg;
    shared_entry *e = find_shared(atomic_load_explicit(&n->shared, memory_order_acquire), key, c->party);
    if (e) {
        *out = e->data;
        return 0;
    }
    int rc = 0;
    pthread_mutex_lock(&n->lock);
    e = find_shared(atomic_load_explicit(&n->shared, memory_order_relaxed), key, c->party);
    if (!e) {
        void *data = NULL;
        rc = build(view, &data, d);
        if (rc == 0) {
            e = pl__malloc(sizeof *e);
            if (!e) {
                if (free_data) {
                    free_data(data);
                }
                rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            } else {
                e->key = key;
                e->party = c->party;
                e->data = data;
                e->free_data = free_data;
                e->next = atomic_load_explicit(&n->shared, memory_order_relaxed);
                atomic_store_explicit(&n->shared, e, memory_order_release);
            }
        }
    }
    pthread_mutex_unlock(&n->lock);
    if (rc == 0) {
        *out = e->data;
    }
    return rc;
}

int pl_negotiation_analysis(pl_negotiation *n, const pl_analysis **out, pl_diag *d)
{
    pl_analysis *a = atomic_load_explicit(&n->analysis, memory_order_acquire);
    if (a) {
        *out = a;
        return 0;
    }
    int rc;
    pthread_mutex_lock(&n->lock);
    a = atomic_load_explicit(&n->analysis, memory_order_relaxed);
    if (!a && n->analysis_rc == 0) {
        pl_analysis_options o;
        pl_analysis_options_init(&o);
        o.threads = n->opt.threads;
        o.outcomes_per_point = 1;
        o.zopa_limit = 0; /* metrics need the frontier and the Nash point only */
        n->analysis_rc = pl_analyze(n->sc, &o, &a, &n->analysis_diag);
        if (n->analysis_rc == 0) {
            atomic_store_explicit(&n->analysis, a, memory_order_release);
        }
    }
    rc = n->analysis_rc;
    if (rc < 0 && d) {
        *d = n->analysis_diag;
    }
    if (rc == PL_ENOMEM) {
        n->analysis_rc = 0; /* running out of memory is not the scenario's fault: the next call tries again */
    }
    pthread_mutex_unlock(&n->lock);
    if (rc == 0) {
        *out = a;
    }
    return rc;
}

int pl_negotiation_prepare(pl_negotiation *n, int analysis, pl_diag *d)
{
    for (size_t k = 0; k < n->np; k++) {
        const pl_sorted *s;
        int rc = pl__negotiation_sorted(n, k, &s, d);
        if (rc < 0) {
            return rc;
        }
    }
    const pl_analysis *a;
    /* A failed analysis only leaves the metrics empty (as in a session), so it is not an error here. */
    if (analysis) {
        pl_negotiation_analysis(n, &a, NULL);
    }
    return 0;
}

/* fork() from a threaded process copies locks as they are: take every lock first, so that no other thread is
 * building shared data at that moment, then release them (parent) or make fresh ones (child: the copies are owned by
 * a thread that does not exist there). */
void pl__negotiation_fork(pl_negotiation *n, int phase)
{
    if (!n) {
        return;
    }
    if (phase == 0) {
        pthread_mutex_lock(&n->lock);
        for (size_t k = 0; k < n->np; k++) {
            pthread_mutex_lock(&n->sorted_lock[k]);
        }
    } else if (phase == 1) {
        for (size_t k = n->np; k-- > 0;) {
            pthread_mutex_unlock(&n->sorted_lock[k]);
        }
        pthread_mutex_unlock(&n->lock);
    } else {
        pthread_mutexattr_t attr;
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
        pthread_mutex_init(&n->lock, &attr);
        pthread_mutexattr_destroy(&attr);
        for (size_t k = 0; k < n->np; k++) {
            pthread_mutex_init(&n->sorted_lock[k], NULL);
        }
    }
}
