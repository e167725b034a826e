/* MiCRO (de Jonge 2022, "An analysis of the linear bilateral ANAC domains using the MiCRO benchmark strategy",
 * IJCAI): walk down the sorted outcome list one outcome at a time, conceding only when the opponents have made at
 * least as many distinct offers as the agent itself; otherwise repeat a random earlier offer. Distinct offers received
 * are counted in a hash set of 64-bit outcome hashes whose size grows with the offers received, not the outcomes. */
#include <stdlib.h>
#include <string.h>

#include "agents/agents_internal.h"
#include "core/internal.h"

typedef struct micro {
    pl__core core;
    size_t ni;
    long m;         /* the lowest rank offered so far (-1 before the first offer); ranks 0..m have been offered */
    size_t last_ok; /* the lowest rank worth >= reservation value (0 when none is) */
    uint64_t rng;
    uint64_t *set; /* open addressing, 0 = empty slot; cap is a power of two */
    size_t cap, distinct;
    int failed; /* the set could not grow: stop counting (the agent then stops conceding) */
} micro;

#define MICRO_SET_MIN 64

static int micro_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    micro *a;
    int rc = pl__core_agent_new(sizeof *a, v, (void **)&a, d);
    if (rc < 0) {
        return rc;
    }
    a->set = pl__calloc(MICRO_SET_MIN, sizeof *a->set);
    if (!a->set) {
        pl__free(a);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    a->cap = MICRO_SET_MIN;
    a->ni = pl_space_issue_count(v->space);
    a->m = -1;
    long last = pl_sorted_rank_at_least(a->core.sorted, a->core.rv, 0);
    a->last_ok = last < 0 ? 0 : (size_t)last;
    a->rng = v->seed;
    *self = a;
    return 0;
}

/* A 64-bit hash of an outcome's value indices, never 0 (the empty slot). */
static uint64_t outcome_hash(const uint32_t *o, size_t ni)
{
    uint64_t h = 0x243F6A8885A308D3ull;
    for (size_t i = 0; i < ni; i++) {
        uint64_t s = h ^ o[i];
        h = pl__splitmix(&s);
    }
    return h ? h : 1;
}

static void set_put(uint64_t *set, size_t cap, uint64_t h, size_t *distinct)
{
    size_t mask = cap - 1;
    for (size_t k = (size_t)h & mask;; k = (k + 1) & mask) {
        if (set[k] == h) {
            return;
        }
        if (set[k] == 0) {
            set[k] = h;
            (*distinct)++;
            return;
        }
    }
}

/* Record an offer received; keeps the load factor <= 1/2 by doubling (amortised, a handful of times per session). */
static void see(micro *a, const uint32_t *o)
{
    if (a->failed) {
        return;
    }
    if (2 * (a->distinct + 1) > a->cap) {
        size_t cap = 2 * a->cap;
        uint64_t *set = pl__calloc(cap, sizeof *set);
        if (!set) {
            a->failed = 1;
            return;
        }
        size_t n = 0;
        for (size_t k = 0; k < a->cap; k++) {
            if (a->set[k]) {
                set_put(set, cap, a->set[k], &n);
            }
        }
        pl__free(a->set);
        a->set = set;
        a->cap = cap;
    }
    set_put(a->set, a->cap, outcome_hash(o, a->ni), &a->distinct);
}

/* 1 when the agent concedes on its next offer: the opponents have made at least as many distinct offers as it has
 * (m + 1) and the next outcome is still worth its reservation value (the first offer, rank 0, is always made). */
static int concedes(const micro *a)
{
    size_t mine = (size_t)(a->m + 1);
    return a->distinct >= mine && (a->m < 0 || (size_t)a->m < a->last_ok);
}

static void micro_observe(void *self, const pl_event *ev)
{
    if (ev->action == PL_ACTION_OFFER && ev->outcome) {
        see(self, ev->outcome);
    }
}

static int micro_respond(void *self, const pl_turn *tn, pl_response *resp, pl_diag *d)
{
    micro *a = self;
    see(a, tn->offer); /* already seen through observe in a session; a set makes the repeat harmless */
    double theirs = pl_ufun_eval(a->core.u, tn->offer);
    /* The utility of its next offer: the next outcome when conceding; else the worst it may repeat (rank m). */
    size_t next = concedes(a) ? (size_t)(a->m + 1) : (size_t)a->m;
    *resp = pl__core_acceptable(&a->core, theirs, a->core.su[next]) ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT;
    return 0;
}

static int micro_propose(void *self, const pl_turn *tn, uint32_t *outcome, pl_diag *d)
{
    micro *a = self;
    size_t rank;
    if (concedes(a)) {
        rank = (size_t)++a->m;
    } else {
        size_t span = (size_t)a->m + 1;
        size_t k = (size_t)(pl__rand_unit(&a->rng) * (double)span);
        rank = k < span ? k : span - 1;
    }
    pl_sorted_outcome(a->core.sorted, rank, outcome);
    return 0;
}

static void micro_free(void *self)
{
    micro *a = self;
    if (a) {
        pl__free(a->set);
        pl__free(a);
    }
}

const pl_agent_type pl__agent_micro = {PL_AGENT_API_VERSION,
                                       "micro",
                                       "MiCRO (de Jonge 2022): concedes one outcome at a time, only after as many new "
                                       "opponent offers; AC_next acceptance",
                                       NULL,
                                       0,
                                       micro_start,
                                       micro_respond,
                                       micro_propose,
                                       micro_observe,
                                       micro_free,
                                       NULL};
