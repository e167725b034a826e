/* Isolated sessions, the child: the worker process's loop, the wrapper agent type that writes (party, round, call
 * number) into the shared page around every callback, the messages it sends, and its signal handling (SIGINT
 * ignored: only the parent decides; a fatal signal near the address-space limit is marked as memory). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "agents/spec_internal.h"
#include "core/internal.h"
#include "protocol/isolate_internal.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PL__ISO_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define PL__ISO_SANITIZED 1
#endif
#endif

static iso_page *child_page;
static int child_fd = -1;
static uint64_t child_as_limit;
static size_t child_ni, child_np;
static const pl_agent_type **child_inner; /* per party: the agent type the wrapper calls */

static uint64_t child_seq;

static void call_enter(size_t party, uint64_t round)
{
    child_page->party = (int)party;
    child_page->round = round;
    child_page->in_call = 1;
    __atomic_store_n(&child_page->seq, ++child_seq, __ATOMIC_RELEASE);
}

static void call_leave(void)
{
    __atomic_store_n(&child_page->in_call, 0, __ATOMIC_RELEASE);
}

typedef struct wrap {
    const pl_agent_type *in;
    void *self;
    size_t party;
    uint64_t round;
} wrap;

static int w_start(void **self, const pl_agent_view *view, pl_diag *d)
{
    wrap *w = pl__calloc(1, sizeof *w);
    if (!w) {
        return PL_ENOMEM;
    }
    w->in = child_inner[view->party];
    w->party = view->party;
    call_enter(w->party, 0);
    int rc = w->in->start(&w->self, view, d);
    call_leave();
    if (rc < 0) {
        pl__free(w);
        return rc;
    }
    *self = w;
    return 0;
}

static int w_respond(void *self, const pl_turn *turn, pl_response *response, pl_diag *d)
{
    wrap *w = self;
    w->round = turn->round;
    call_enter(w->party, turn->round);
    int rc = w->in->respond(w->self, turn, response, d);
    call_leave();
    return rc;
}

static int w_propose(void *self, const pl_turn *turn, uint32_t *outcome, pl_diag *d)
{
    wrap *w = self;
    w->round = turn->round;
    call_enter(w->party, turn->round);
    int rc = w->in->propose(w->self, turn, outcome, d);
    call_leave();
    return rc;
}

static void w_observe(void *self, const pl_event *event)
{
    wrap *w = self;
    call_enter(w->party, event->round);
    w->in->observe(w->self, event);
    call_leave();
}

static int w_vote(void *self, const pl_vote *vote, int *accept, pl_diag *d)
{
    wrap *w = self;
    w->round = vote->round;
    call_enter(w->party, vote->round);
    int rc = w->in->vote(w->self, vote, accept, d);
    call_leave();
    return rc;
}

static void w_free(void *self)
{
    wrap *w = self;
    if (w) {
        call_enter(w->party, w->round);
        w->in->free(w->self);
        call_leave();
        pl__free(w);
    }
}

static void child_action(void *ud, const pl_action_record *rec)
{
    iso_bytes *b = ud;
    b->n = 0;
    iso_msg_head h = {ISO_MSG_ACTION, 0};
    pl__iso_put(b, &h, sizeof h);
    ISO_PUT(b, rec->round);
    ISO_PUT(b, rec->t);
    ISO_PUT(b, (uint64_t)rec->party);
    ISO_PUT(b, (int32_t)rec->action);
    ISO_PUT(b, (int32_t)(rec->outcome != NULL));
    if (rec->outcome) {
        pl__iso_put(b, rec->outcome, child_ni * sizeof *rec->outcome);
    }
    ISO_PUT(b, rec->utility);
    ISO_PUT(b, rec->discounted);
    ISO_PUT(b, (uint64_t)rec->issue);
    ISO_PUT(b, rec->from);
    ISO_PUT(b, rec->to);
    ISO_PUT(b, (int32_t)(rec->votes != NULL));
    if (rec->votes) {
        pl__iso_put(b, rec->votes, child_np * sizeof *rec->votes);
    }
    ISO_PUT(b, (int32_t)(rec->utilities != NULL));
    if (rec->utilities) {
        pl__iso_put(b, rec->utilities, child_np * sizeof *rec->utilities);
    }
    ISO_PUT(b, (int32_t)rec->stood);
    if (b->failed) {
        _exit(70);
    }
    ((iso_msg_head *)(void *)b->p)->len = (uint32_t)(b->n - sizeof h);
    if (pl__iso_write_all(child_fd, b->p, b->n) < 0) {
        _exit(0); /* the parent is gone or gave up on this session */
    }
}

static void put_u32s(iso_bytes *b, const uint32_t *x, size_t n)
{
    ISO_PUT(b, (int32_t)(x != NULL));
    if (x) {
        pl__iso_put(b, x, n * sizeof *x);
    }
}

static void put_f64s(iso_bytes *b, const double *x, size_t n)
{
    ISO_PUT(b, (int32_t)(x != NULL));
    if (x) {
        pl__iso_put(b, x, n * sizeof *x);
    }
}

static void child_result(iso_bytes *b, int rc, const pl_diag *d, const pl_session_result *r)
{
    b->n = 0;
    iso_msg_head h = {ISO_MSG_RESULT, 0};
    pl__iso_put(b, &h, sizeof h);
    ISO_PUT(b, (int32_t)rc);
    if (rc < 0) {
        pl__iso_put(b, d, sizeof *d);
    } else {
        ISO_PUT(b, (int32_t)r->status);
        pl__iso_put(b, r->reason, sizeof r->reason);
        ISO_PUT(b, (int64_t)r->culprit);
        ISO_PUT(b, (int32_t)r->has_agreement);
        ISO_PUT(b, (uint64_t)r->n_parties);
        put_u32s(b, r->has_agreement ? r->agreement : NULL, child_ni);
        put_f64s(b, r->utilities, r->n_parties);
        put_f64s(b, r->raw_utilities, r->n_parties);
        ISO_PUT(b, r->rounds);
        ISO_PUT(b, r->actions);
        ISO_PUT(b, r->t);
        ISO_PUT(b, r->seconds);
        ISO_PUT(b, (int32_t)r->individually_rational);
        ISO_PUT(b, r->pareto_distance);
        ISO_PUT(b, r->nash_distance);
        ISO_PUT(b, r->welfare);
        put_u32s(b, r->final_text, child_ni);
        ISO_PUT(b, r->changes);
        ISO_PUT(b, (int32_t)r->stable);
    }
    if (b->failed) {
        _exit(70);
    }
    ((iso_msg_head *)(void *)b->p)->len = (uint32_t)(b->n - sizeof h);
    if (pl__iso_write_all(child_fd, b->p, b->n) < 0) {
        _exit(0);
    }
}

/* A fatal signal in the child: note whether the address space was near its limit (then the agent most likely ran
 * out of memory: a failed allocation it did not check), and die of the same signal (SA_RESETHAND restored the
 * default). Near: less than a quarter of the memory limit left (at least min(half of it, 32 MiB)), so that an
 * allocation of that size would have failed. */
static uint64_t child_memory_limit;

static void on_fatal(int sig)
{
    (void)sig;
    if (child_as_limit) {
        uint64_t size = pl__iso_statm(0, 0), near = child_memory_limit / 4, floor = (uint64_t)32 << 20;
        floor = floor < child_memory_limit / 2 ? floor : child_memory_limit / 2;
        near = near > floor ? near : floor;
        if (size + near >= child_as_limit) {
            child_page->memory = 1;
        }
    }
}

static char child_altstack[1 << 16];

static void child_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN; /* Ctrl-C reaches the whole process group: only the parent decides */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    stack_t st;
    memset(&st, 0, sizeof st);
    st.ss_sp = child_altstack;
    st.ss_size = sizeof child_altstack;
    sigaltstack(&st, NULL);
    sa.sa_handler = on_fatal;
    sa.sa_flags = (int)(SA_RESETHAND | SA_ONSTACK);
    int fatal[] = {SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE};
    for (size_t k = 0; k < sizeof fatal / sizeof *fatal; k++) {
        sigaction(fatal[k], &sa, NULL);
    }
}

_Noreturn void pl__iso_child_main(pl__iso *w, int fd, pid_t parent)
{
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent) {
        _exit(0);
    }
    child_fd = fd;
    child_page = w->page;
    child_signals();
    struct rlimit no_core = {0, 0}; /* a crashing agent is recorded, not dumped (a core of this process is large) */
    setrlimit(RLIMIT_CORE, &no_core);
#ifndef PL__ISO_SANITIZED /* the sanitizers reserve terabytes of address space: the RSS watch does the job */
    if (w->memory_limit) {
        struct rlimit rl;
        uint64_t size = pl__iso_statm(0, 0);
        if (size && getrlimit(RLIMIT_AS, &rl) == 0) {
            uint64_t lim = size + w->memory_limit;
            if (rl.rlim_max == RLIM_INFINITY || lim < (uint64_t)rl.rlim_max) {
                rl.rlim_cur = (rlim_t)lim;
                if (setrlimit(RLIMIT_AS, &rl) == 0) {
                    child_as_limit = lim;
                    child_memory_limit = w->memory_limit;
                }
            }
        }
    }
#endif
    iso_bytes b = {0};
    for (;;) {
        iso_request q;
        if (pl__iso_read_all(fd, &q, sizeof q) < 0) {
            _exit(0);
        }
        pl_negotiation *neg = NULL;
        const pl_agent_spec *agents[PL__ISO_MAXP];
        pl_agent_spec *wrapped[PL__ISO_MAXP];
        pl_agent_type types[PL__ISO_MAXP];
        const pl_agent_type *inner[PL__ISO_MAXP];
        size_t n = 0;
        pl_session_options so;
        pl_session_options_init(&so);
        pl_diag d;
        pl_diag_clear(&d);
        pl_session_result r;
        pl_session_result_init(&r);
        int rc = w->setup(w->ud, q.job, &neg, agents, &n, &so, &d);
        size_t made = 0;
        if (rc == 0) {
            const pl_scenario *sc = pl_negotiation_scenario(neg);
            child_ni = pl_space_issue_count(pl_scenario_space(sc));
            child_np = pl_scenario_party_count(sc);
            child_inner = inner;
            for (; made < n; made++) {
                const pl_agent_type *t = pl_agent_spec_type(agents[made]);
                inner[made] = t;
                types[made] = *t;
                types[made].respond = t->respond ? w_respond : NULL;
                types[made].propose = t->propose ? w_propose : NULL;
                types[made].observe = t->observe ? w_observe : NULL;
                types[made].vote = t->vote ? w_vote : NULL;
                types[made].start = w_start;
                types[made].free = w_free;
                if (!(wrapped[made] = pl__agent_spec_retyped(agents[made], &types[made]))) {
                    rc = pl__diag_set(&d, PL_ENOMEM, NULL, 0, 0, "out of memory");
                    break;
                }
            }
        }
        if (rc == 0) {
            so.isolate = PL_ISOLATE_OFF;
            so.on_action = q.actions ? child_action : NULL;
            so.action_ud = &b;
            rc = pl_session_run(neg, (const pl_agent_spec *const *)wrapped, n, &so, &r, &d);
        }
        for (size_t k = 0; k < made; k++) {
            pl__free(wrapped[k]);
        }
        child_result(&b, rc, &d, &r);
        pl_session_result_free(&r);
    }
}
