/* Hostile agents for the isolation tests (tests/cli/hostile.py): each plays like a linear time-based agent (its
 * target falls from its best utility to half of it; it accepts offers at or above the target) until round `round`
 * (a parameter, default 3), then misbehaves in its propose or respond call:
 *   segv        writes through a null pointer              abort   calls abort()
 *   loop        never returns                              exit    calls exit(3)
 *   badoutcome  offers a value index past the last hog     allocates and touches memory without bound
 *   flaky       misbehaves like segv, but only in the sessions whose seed is 0 modulo `n` (default 4): a
 *               deterministic 1 in n; with the environment variable PARLEY_HOSTILE_SAFE set it never does (the
 *               same spec text, so the same seeds: its un-crashed behaviour to compare with)
 * Built as a shared library by the test build; never installed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parley/agent.h"

typedef enum kind { SEGV, LOOP, EXIT, ABORT, BADOUTCOME, HOG, FLAKY } kind;

typedef struct hostile {
    kind k;
    const pl_ufun *ufun;
    const pl_sorted *sorted;
    const pl_space *space;
    double best, floor;
    size_t hint;
    int64_t round;
    int armed; /* this session misbehaves */
} hostile;

/* Where the hog keeps its memory (volatile: its allocations cannot be optimised away). */
static char *volatile hog_keep;
static volatile unsigned hog_sum;

static double target(const hostile *a, double t)
{
    return a->best - (a->best - a->floor) * t;
}

static void misbehave(hostile *a, uint32_t *outcome)
{
    switch (a->k) {
    case SEGV:
    case FLAKY: {
        volatile int *p = NULL;
        *p = 1;
        break;
    }
    case LOOP:
        for (;;) {
            pause();
        }
    case EXIT:
        exit(3);
    case ABORT:
        abort();
    case BADOUTCOME:
        if (outcome) {
            outcome[0] = pl_space_value_count(a->space, 0) + 7;
        }
        break;
    case HOG:
        for (;;) {
            size_t n = (size_t)16 << 20;
            char *p = malloc(n);
            memset(p, 1, n); /* unchecked: a null pointer crashes here once the allocator gives up */
            hog_keep = p;   /* kept where the compiler must assume it is read */
            hog_sum += (unsigned char)p[n - 1];
        }
    }
}

static int start(kind k, void **self, const pl_agent_view *view, pl_diag *d)
{
    hostile *a = calloc(1, sizeof *a);
    if (!a) {
        return PL_ENOMEM;
    }
    int rc = pl_agent_sorted(view, &a->sorted, d);
    if (rc < 0) {
        free(a);
        return rc;
    }
    a->k = k;
    a->ufun = view->ufun;
    a->space = view->space;
    a->best = pl_sorted_utilities(a->sorted)[0];
    a->floor = 0.5 * a->best;
    a->round = pl_params_int(view->params, "round");
    a->armed = 1;
    if (k == FLAKY) {
        int64_t n = pl_params_int(view->params, "n");
        a->armed = !getenv("PARLEY_HOSTILE_SAFE") && n > 0 && view->seed % (uint64_t)n == 0;
    }
    *self = a;
    return 0;
}

static int respond(void *self, const pl_turn *turn, pl_response *response, pl_diag *d)
{
    hostile *a = self;
    (void)d;
    if (a->armed && a->k != BADOUTCOME && (int64_t)turn->round >= a->round) {
        misbehave(a, NULL);
    }
    *response = pl_ufun_eval(a->ufun, turn->offer) >= target(a, turn->t) ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT;
    return 0;
}

static int propose(void *self, const pl_turn *turn, uint32_t *outcome, pl_diag *d)
{
    hostile *a = self;
    (void)d;
    long rank = pl_sorted_rank_at_least(a->sorted, target(a, turn->t), a->hint);
    a->hint = rank < 0 ? 0 : (size_t)rank;
    pl_sorted_outcome(a->sorted, a->hint, outcome);
    if (a->armed && (int64_t)turn->round >= a->round) {
        misbehave(a, outcome);
    }
    return 0;
}

static void agent_free(void *self)
{
    free(self);
}

#define START(name, K)                                                                                             \
    static int name(void **self, const pl_agent_view *view, pl_diag *d)                                            \
    {                                                                                                              \
        return start(K, self, view, d);                                                                            \
    }
START(start_segv, SEGV)
START(start_loop, LOOP)
START(start_exit, EXIT)
START(start_abort, ABORT)
START(start_badoutcome, BADOUTCOME)
START(start_hog, HOG)
START(start_flaky, FLAKY)

static const pl_param_spec params[] = {
    {"round", PL_PARAM_INT, "3", 1, 1000000000, "the round from which it misbehaves"},
    {"n", PL_PARAM_INT, "4", 0, 1000000, "flaky: misbehaves in 1 of n sessions (0 = never)"},
};

#define TYPE(var, name, desc, st)                                                                                  \
    static const pl_agent_type var = {PL_AGENT_API_VERSION, name, desc, params, 2, st, respond, propose,           \
                                      NULL, agent_free, NULL};
TYPE(t_segv, "segv", "test: segfaults from round `round`", start_segv)
TYPE(t_loop, "loop", "test: never returns from round `round`", start_loop)
TYPE(t_exit, "exit", "test: calls exit(3) in round `round`", start_exit)
TYPE(t_abort, "abort", "test: calls abort() in round `round`", start_abort)
TYPE(t_badoutcome, "badoutcome", "test: offers an out-of-range value in round `round`", start_badoutcome)
TYPE(t_hog, "hog", "test: allocates without bound in round `round`", start_hog)
TYPE(t_flaky, "flaky", "test: time-based, segfaults in 1 of n sessions (by seed)", start_flaky)

int pl_plugin_register(pl_registry *r);

int pl_plugin_register(pl_registry *r)
{
    const pl_agent_type *all[] = {&t_segv, &t_loop, &t_exit, &t_abort, &t_badoutcome, &t_hog, &t_flaky};
    for (size_t k = 0; k < sizeof all / sizeof *all; k++) {
        int rc = pl_registry_add(r, all[k], NULL);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}
