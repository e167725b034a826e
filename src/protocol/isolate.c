/* Isolated sessions: a worker process (fork, reused across sessions, re-made after a crash) runs sessions whose
 * agents may crash, hang or eat memory; the parent sends a job number over a socket and reads back the actions (when
 * asked) and the result. In the child every agent callback goes through a wrapper that writes (party, round, call
 * number) into a shared page, so the parent knows who was in a call when the child died or hung. The parent's
 * watchdog: poll() on the socket with a timeout (at most 50 ms); SIGKILL when a call outlives the call limit (timed
 * by the parent from when it first saw the call's number: the child reads no clock, and a call is stopped between
 * the limit and 50 ms after it), the session its time limit, or the child's resident memory the memory limit
 * (RLIMIT_AS in the child catches fast growth first). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "agents/spec_internal.h"
#include "core/internal.h"
#include "negotiation/negotiation_internal.h"
#include "protocol/isolate.h"
#include "protocol/protocol_internal.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PL__ISO_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define PL__ISO_SANITIZED 1
#endif
#endif

/* Written by the child, read by the parent (a MAP_SHARED page). seq (the call's number) is stored last (release)
 * and read first (acquire), so party / round belong to the call it announces; in_call says whether it still runs. */
typedef struct iso_page {
    uint64_t seq;
    int in_call;
    int party;
    uint64_t round;
    int memory; /* the child's fatal-signal handler found its address space at the limit */
} iso_page;

struct pl__iso {
    pl__iso_setup setup;
    void *ud;
    pl_negotiation *const *negs;
    size_t n_negs;
    iso_page *page;
    pid_t pid;
    int fd;
    uint64_t base_rss;     /* the parent's resident bytes when the child was forked */
    uint64_t memory_limit; /* the limit the child was made with */
};

/* ---- Helpers ---- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Field k (0-based) of /proc/PID/statm in bytes (0 = size, 1 = resident), 0 when unreadable. Only open, read and
 * close: async-signal-safe, so the child's fatal-signal handler uses it too. */
static uint64_t statm(pid_t pid, int k)
{
    char path[64] = "/proc/self/statm", buf[128];
    if (pid > 0) {
        /* No snprintf: keep this function async-signal-safe. */
        char digits[24];
        int nd = 0;
        for (long p = pid; p > 0 && nd < 23; p /= 10) {
            digits[nd++] = (char)('0' + p % 10);
        }
        size_t at = 6; /* "/proc/" */
        while (nd > 0) {
            path[at++] = digits[--nd];
        }
        memcpy(path + at, "/statm", 7);
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return 0;
    }
    buf[n] = 0;
    const char *s = buf;
    for (int f = 0; f < k; f++) {
        while (*s && *s != ' ') {
            s++;
        }
        while (*s == ' ') {
            s++;
        }
    }
    uint64_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (uint64_t)(*s - '0');
    }
    return v * (uint64_t)sysconf(_SC_PAGESIZE);
}

static int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return -1;
        }
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* A growable byte buffer for messages. */
typedef struct bytes {
    char *p;
    size_t n, cap;
    int failed;
} bytes;

static void put(bytes *b, const void *x, size_t n)
{
    if (b->failed) {
        return;
    }
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n) {
            cap *= 2;
        }
        char *np = pl__realloc(b->p, cap);
        if (!np) {
            b->failed = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->n, x, n);
    b->n += n;
}

#define PUT(b, v)                                                                                                  \
    do {                                                                                                           \
        __typeof__(v) put_v_ = (v);                                                                                \
        put((b), &put_v_, sizeof put_v_);                                                                          \
    } while (0)

/* Reading a message: a cursor that fails (sets bad) instead of running past the end. */
typedef struct cursor {
    const char *p;
    size_t n;
    int bad;
} cursor;

static void get(cursor *c, void *x, size_t n)
{
    if (c->bad || c->n < n) {
        c->bad = 1;
        memset(x, 0, n);
        return;
    }
    memcpy(x, c->p, n);
    c->p += n;
    c->n -= n;
}

/* Messages from the child: a header (kind, payload length), then the payload. */
enum { MSG_ACTION = 'A', MSG_RESULT = 'R' };
typedef struct msg_head {
    uint32_t kind;
    uint32_t len;
} msg_head;

/* ---- The child ---- */

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
    bytes *b = ud;
    b->n = 0;
    msg_head h = {MSG_ACTION, 0};
    put(b, &h, sizeof h);
    PUT(b, rec->round);
    PUT(b, rec->t);
    PUT(b, (uint64_t)rec->party);
    PUT(b, (int32_t)rec->action);
    PUT(b, (int32_t)(rec->outcome != NULL));
    if (rec->outcome) {
        put(b, rec->outcome, child_ni * sizeof *rec->outcome);
    }
    PUT(b, rec->utility);
    PUT(b, rec->discounted);
    PUT(b, (uint64_t)rec->issue);
    PUT(b, rec->from);
    PUT(b, rec->to);
    PUT(b, (int32_t)(rec->votes != NULL));
    if (rec->votes) {
        put(b, rec->votes, child_np * sizeof *rec->votes);
    }
    PUT(b, (int32_t)(rec->utilities != NULL));
    if (rec->utilities) {
        put(b, rec->utilities, child_np * sizeof *rec->utilities);
    }
    PUT(b, (int32_t)rec->stood);
    if (b->failed) {
        _exit(70);
    }
    ((msg_head *)(void *)b->p)->len = (uint32_t)(b->n - sizeof h);
    if (write_all(child_fd, b->p, b->n) < 0) {
        _exit(0); /* the parent is gone or gave up on this session */
    }
}

static void put_u32s(bytes *b, const uint32_t *x, size_t n)
{
    PUT(b, (int32_t)(x != NULL));
    if (x) {
        put(b, x, n * sizeof *x);
    }
}

static void put_f64s(bytes *b, const double *x, size_t n)
{
    PUT(b, (int32_t)(x != NULL));
    if (x) {
        put(b, x, n * sizeof *x);
    }
}

static void child_result(bytes *b, int rc, const pl_diag *d, const pl_session_result *r)
{
    b->n = 0;
    msg_head h = {MSG_RESULT, 0};
    put(b, &h, sizeof h);
    PUT(b, (int32_t)rc);
    if (rc < 0) {
        put(b, d, sizeof *d);
    } else {
        PUT(b, (int32_t)r->status);
        put(b, r->reason, sizeof r->reason);
        PUT(b, (int64_t)r->culprit);
        PUT(b, (int32_t)r->has_agreement);
        PUT(b, (uint64_t)r->n_parties);
        put_u32s(b, r->has_agreement ? r->agreement : NULL, child_ni);
        put_f64s(b, r->utilities, r->n_parties);
        put_f64s(b, r->raw_utilities, r->n_parties);
        PUT(b, r->rounds);
        PUT(b, r->actions);
        PUT(b, r->t);
        PUT(b, r->seconds);
        PUT(b, (int32_t)r->individually_rational);
        PUT(b, r->pareto_distance);
        PUT(b, r->nash_distance);
        PUT(b, r->welfare);
        put_u32s(b, r->final_text, child_ni);
        PUT(b, r->changes);
        PUT(b, (int32_t)r->stable);
    }
    if (b->failed) {
        _exit(70);
    }
    ((msg_head *)(void *)b->p)->len = (uint32_t)(b->n - sizeof h);
    if (write_all(child_fd, b->p, b->n) < 0) {
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
        uint64_t size = statm(0, 0), near = child_memory_limit / 4, floor = (uint64_t)32 << 20;
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

typedef struct request {
    uint64_t job;
    int32_t actions; /* stream the actions */
    int32_t pad;
} request;

static void child_main(pl__iso *w, int fd, pid_t parent)
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
        uint64_t size = statm(0, 0);
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
    bytes b = {0};
    for (;;) {
        request q;
        if (read_all(fd, &q, sizeof q) < 0) {
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

/* ---- The parent ---- */

static pthread_mutex_t fork_lock = PTHREAD_MUTEX_INITIALIZER;

pl__iso *pl__iso_new(pl__iso_setup setup, void *ud, pl_negotiation *const *negs, size_t n_negs)
{
    pl__iso *w = pl__calloc(1, sizeof *w);
    if (!w) {
        return NULL;
    }
    void *page = mmap(NULL, sizeof(iso_page), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        pl__free(w);
        return NULL;
    }
    w->page = page;
    w->setup = setup;
    w->ud = ud;
    w->negs = negs;
    w->n_negs = n_negs;
    w->fd = -1;
    return w;
}

static void reap(pl__iso *w, int *status)
{
    int st = 0;
    if (w->pid > 0) {
        kill(w->pid, SIGKILL);
        while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR) {
        }
    }
    if (w->fd >= 0) {
        close(w->fd);
    }
    w->pid = 0;
    w->fd = -1;
    if (status) {
        *status = st;
    }
}

void pl__iso_free(pl__iso *w)
{
    if (w) {
        if (w->pid > 0) {
            /* Closing the socket ends an idle child by itself; SIGKILL in reap covers a busy one. */
            reap(w, NULL);
        }
        munmap(w->page, sizeof(iso_page));
        pl__free(w);
    }
}

static void close_other_fds(int keep)
{
#ifdef SYS_close_range
    if ((keep <= 3 || syscall(SYS_close_range, 3u, (unsigned)keep - 1, 0u) == 0) &&
        syscall(SYS_close_range, (unsigned)keep + 1, ~0u, 0u) == 0) {
        return;
    }
#endif
    long max = sysconf(_SC_OPEN_MAX);
    max = max < 0 || max > 65536 ? 65536 : max;
    for (int fd = 3; fd < max; fd++) {
        if (fd != keep) {
            close(fd);
        }
    }
}

static int spawn(pl__iso *w, uint64_t memory_limit, pl_diag *d)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        return pl__diag_set(d, PL_EIO, NULL, 0, 0, "cannot make a socket for the agents' process: %s",
                            strerror(errno));
    }
    w->memory_limit = memory_limit;
    w->base_rss = statm(0, 1);
    pid_t parent = getpid();
    /* One fork at a time, with every negotiation lock held: the child starts with no lock taken by a thread it
     * does not have. Buffered output is flushed first, or the child's exit() would write it again. */
    pthread_mutex_lock(&fork_lock);
    fflush(NULL);
    for (size_t k = 0; k < w->n_negs; k++) {
        pl__negotiation_fork(w->negs[k], 0);
    }
    pid_t pid = fork();
    if (pid == 0) {
        for (size_t k = 0; k < w->n_negs; k++) {
            pl__negotiation_fork(w->negs[k], 2);
        }
        pthread_mutex_init(&fork_lock, NULL);
        close(sv[0]);
        close_other_fds(sv[1]);
        child_main(w, sv[1], parent);
        _exit(0);
    }
    for (size_t k = w->n_negs; k-- > 0;) {
        pl__negotiation_fork(w->negs[k], 1);
    }
    pthread_mutex_unlock(&fork_lock);
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        return pl__diag_set(d, PL_EIO, NULL, 0, 0, "cannot start the agents' process: %s", strerror(errno));
    }
    w->pid = pid;
    w->fd = sv[0];
    return 0;
}

double pl__iso_call_limit(const pl_session_options *so)
{
    double c = so->call_limit > 0 ? so->call_limit : PL_CALL_LIMIT_DEFAULT;
    return so->time_limit > 0 && so->time_limit < c ? so->time_limit : c;
}

int pl__iso_wanted(pl_isolate mode, int tournament, const pl_agent_spec *const *agents, size_t n)
{
    if (mode == PL_ISOLATE_OFF || (mode == PL_ISOLATE_AUTO && !tournament)) {
        return 0;
    }
    for (size_t k = 0; k < n; k++) {
        if (!pl_agent_spec_builtin(agents[k])) {
            return 1;
        }
    }
    return 0;
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGABRT: return "SIGABRT";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGHUP: return "SIGHUP";
    case SIGPIPE: return "SIGPIPE";
    case SIGXCPU: return "SIGXCPU";
    case SIGSYS: return "SIGSYS";
    case SIGTRAP: return "SIGTRAP";
    default: return "?";
    }
}

/* What the parent knows about a session the child did not finish. */
typedef struct iso_outcome {
    pl_session_status status;
    long culprit;
    uint64_t round;
    char what[160]; /* "killed by signal 11 (SIGSEGV)", "exceeded the call limit of 1 s", ... */
} iso_outcome;

/* A killed session's result: no agreement, every party at its reservation value, the culprit and the reason. */
static int fill_killed(pl_session_result *r, const pl_scenario *sc, const pl_agent_spec *const *agents,
                       const iso_outcome *oc, uint64_t actions, double seconds, pl_diag *d)
{
    size_t np = pl_scenario_party_count(sc);
    pl_session_result_free(r);
    pl_session_result_init(r);
    r->n_parties = np;
    r->utilities = pl__calloc(np, sizeof *r->utilities);
    r->raw_utilities = pl__calloc(np, sizeof *r->raw_utilities);
    if (!r->utilities || !r->raw_utilities) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    r->status = oc->status;
    r->culprit = oc->culprit;
    r->rounds = oc->round;
    r->actions = actions;
    r->t = NAN;
    r->seconds = seconds;
    r->individually_rational = 1;
    r->welfare = 0;
    for (size_t k = 0; k < np; k++) {
        r->utilities[k] = r->raw_utilities[k] = pl_ufun_reservation(pl_scenario_ufun(sc, k));
        r->welfare += r->raw_utilities[k];
    }
    char where[48];
    if (oc->round > 0) {
        snprintf(where, sizeof where, " in round %llu", (unsigned long long)oc->round);
    } else {
        snprintf(where, sizeof where, " while starting");
    }
    char text[512];
    if (oc->culprit >= 0) {
        snprintf(text, sizeof text, "agent '%.60s' (party %ld) %s%s", pl_agent_spec_text(agents[oc->culprit]),
                 oc->culprit, oc->what, where);
    } else {
        snprintf(text, sizeof text, "the session's process %s outside any agent call%s", oc->what,
                 oc->round > 0 ? where : "");
    }
    snprintf(r->reason, sizeof r->reason, "%.255s", text);
    return 0;
}

static void limit_text(char *buf, size_t size, uint64_t n)
{
    if (n % ((uint64_t)1 << 30) == 0) {
        snprintf(buf, size, "%llu GiB", (unsigned long long)(n >> 30));
    } else {
        snprintf(buf, size, "%llu MiB", (unsigned long long)(n >> 20));
    }
}

/* Read one action record into rec (arrays into the caller's buffers). */
static void read_action(cursor *c, pl_action_record *rec, uint32_t *outcome, size_t ni, int *votes, double *utils,
                        size_t np)
{
    uint64_t party, issue;
    int32_t action, has, stood;
    memset(rec, 0, sizeof *rec);
    get(c, &rec->round, sizeof rec->round);
    get(c, &rec->t, sizeof rec->t);
    get(c, &party, sizeof party);
    get(c, &action, sizeof action);
    get(c, &has, sizeof has);
    if (has) {
        get(c, outcome, ni * sizeof *outcome);
        rec->outcome = outcome;
    }
    get(c, &rec->utility, sizeof rec->utility);
    get(c, &rec->discounted, sizeof rec->discounted);
    get(c, &issue, sizeof issue);
    get(c, &rec->from, sizeof rec->from);
    get(c, &rec->to, sizeof rec->to);
    get(c, &has, sizeof has);
    if (has) {
        get(c, votes, np * sizeof *votes);
        rec->votes = votes;
    }
    get(c, &has, sizeof has);
    if (has) {
        get(c, utils, np * sizeof *utils);
        rec->utilities = utils;
    }
    get(c, &stood, sizeof stood);
    rec->party = (size_t)party;
    rec->action = (pl_action_kind)action;
    rec->issue = (size_t)issue;
    rec->stood = stood;
}

static uint32_t *get_u32s(cursor *c, size_t n, int *oom)
{
    int32_t has;
    get(c, &has, sizeof has);
    if (!has || c->bad) {
        return NULL;
    }
    uint32_t *x = pl__malloc((n ? n : 1) * sizeof *x);
    if (!x) {
        *oom = 1;
        c->bad = 1;
        return NULL;
    }
    get(c, x, n * sizeof *x);
    return x;
}

static double *get_f64s(cursor *c, size_t n, int *oom)
{
    int32_t has;
    get(c, &has, sizeof has);
    if (!has || c->bad) {
        return NULL;
    }
    double *x = pl__malloc((n ? n : 1) * sizeof *x);
    if (!x) {
        *oom = 1;
        c->bad = 1;
        return NULL;
    }
    get(c, x, n * sizeof *x);
    return x;
}

/* The child's result message into r (or its setup error into d): 0, the child's code, or PL_EIO on a bad message. */
static int read_result(cursor *c, size_t ni, size_t np, pl_session_result *r, pl_diag *d)
{
    int32_t rc, status, has, irat, stable;
    int64_t culprit;
    uint64_t n_parties;
    int oom = 0;
    get(c, &rc, sizeof rc);
    if (rc < 0) {
        pl_diag cd;
        get(c, &cd, sizeof cd);
        cd.message[sizeof cd.message - 1] = 0;
        cd.file[sizeof cd.file - 1] = 0;
        if (c->bad) {
            return pl__diag_set(d, PL_EIO, NULL, 0, 0, "a bad message from the agents' process");
        }
        if (d) {
            *d = cd;
        }
        return rc;
    }
    pl_session_result_free(r);
    pl_session_result_init(r);
    get(c, &status, sizeof status);
    get(c, r->reason, sizeof r->reason);
    r->reason[sizeof r->reason - 1] = 0;
    get(c, &culprit, sizeof culprit);
    get(c, &has, sizeof has);
    get(c, &n_parties, sizeof n_parties);
    r->status = (pl_session_status)status;
    r->culprit = (long)culprit;
    r->has_agreement = has;
    r->n_parties = (size_t)n_parties;
    if (n_parties != np) {
        c->bad = 1;
    }
    r->agreement = get_u32s(c, ni, &oom);
    r->utilities = get_f64s(c, np, &oom);
    r->raw_utilities = get_f64s(c, np, &oom);
    get(c, &r->rounds, sizeof r->rounds);
    get(c, &r->actions, sizeof r->actions);
    get(c, &r->t, sizeof r->t);
    get(c, &r->seconds, sizeof r->seconds);
    get(c, &irat, sizeof irat);
    r->individually_rational = irat;
    get(c, &r->pareto_distance, sizeof r->pareto_distance);
    get(c, &r->nash_distance, sizeof r->nash_distance);
    get(c, &r->welfare, sizeof r->welfare);
    r->final_text = get_u32s(c, ni, &oom);
    get(c, &r->changes, sizeof r->changes);
    get(c, &stable, sizeof stable);
    r->stable = stable;
    if (oom) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (c->bad || (r->has_agreement && !r->agreement) || !r->utilities || !r->raw_utilities) {
        return pl__diag_set(d, PL_EIO, NULL, 0, 0, "a bad message from the agents' process");
    }
    return 0;
}

int pl__iso_run(pl__iso *w, uint64_t job, int (*stop)(void *), void *stop_ud, pl_session_result *r, pl_diag *d)
{
    pl_negotiation *neg = NULL;
    const pl_agent_spec *agents[PL__ISO_MAXP];
    size_t n = 0;
    pl_session_options so;
    pl_session_options_init(&so);
    int rc = w->setup(w->ud, job, &neg, agents, &n, &so, d);
    if (rc < 0) {
        return rc;
    }
    const pl_scenario *sc = pl_negotiation_scenario(neg);
    size_t ni = pl_space_issue_count(pl_scenario_space(sc)), np = pl_scenario_party_count(sc);
    if (n != np || np > PL__ISO_MAXP) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "%zu agents for %zu parties (at most %d when isolated)", n,
                            np, PL__ISO_MAXP);
    }
    double call_limit = pl__iso_call_limit(&so);
    uint64_t memory_limit = so.memory_limit ? so.memory_limit : PL_MEMORY_LIMIT_DEFAULT;
    if (w->pid > 0 && w->memory_limit != memory_limit) {
        reap(w, NULL);
    }
    if (w->pid <= 0 && (rc = spawn(w, memory_limit, d)) < 0) {
        return rc;
    }
    memset(w->page, 0, sizeof *w->page);
    request q = {job, so.on_action != NULL, 0};
    double t0 = now();
    if (write_all(w->fd, &q, sizeof q) < 0) {
        /* The child died since its last session (nothing of this one ran yet): make a new one and retry once. */
        reap(w, NULL);
        if ((rc = spawn(w, memory_limit, d)) < 0) {
            return rc;
        }
        if (write_all(w->fd, &q, sizeof q) < 0) {
            reap(w, NULL);
            return pl__diag_set(d, PL_EIO, NULL, 0, 0, "cannot talk to the agents' process");
        }
    }
    bytes in = {0};
    uint32_t *outcome = pl__malloc((ni ? ni : 1) * sizeof *outcome);
    int *votes = pl__malloc(np * sizeof *votes);
    double *utils = pl__malloc(np * sizeof *utils);
    uint64_t actions = 0;
    iso_outcome oc = {PL_SESSION_CRASH, -1, 0, ""};
    int done = 0, died = 0;
    double last_rss = 0, seen_at = t0; /* when the parent first saw call number seen */
    uint64_t seen = 0;
    if (!outcome || !votes || !utils) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        reap(w, NULL);
        goto cleanup;
    }
    while (!done && !died) {
        double t = now(), wait = 0.05;
        int in_call = __atomic_load_n(&w->page->in_call, __ATOMIC_ACQUIRE);
        if (in_call && __atomic_load_n(&w->page->seq, __ATOMIC_ACQUIRE) == seen) {
            double left = seen_at + call_limit - t;
            wait = left < wait ? left : wait;
        }
        struct pollfd pfd = {w->fd, POLLIN, 0};
        int pr = poll(&pfd, 1, wait > 0 ? (int)ceil(wait * 1000) : 0);
        if (pr > 0) {
            char buf[65536];
            ssize_t got = read(w->fd, buf, sizeof buf);
            if (got <= 0 && !(got < 0 && errno == EINTR)) {
                died = 1;
                break;
            }
            if (got > 0) {
                put(&in, buf, (size_t)got);
                if (in.failed) {
                    rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
                    reap(w, NULL);
                    goto cleanup;
                }
            }
            /* Every complete message. */
            size_t off = 0;
            while (in.n - off >= sizeof(msg_head)) {
                msg_head h;
                memcpy(&h, in.p + off, sizeof h);
                if (in.n - off - sizeof h < h.len) {
                    break;
                }
                cursor c = {in.p + off + sizeof h, h.len, 0};
                off += sizeof h + h.len;
                if (h.kind == MSG_ACTION) {
                    pl_action_record rec;
                    read_action(&c, &rec, outcome, ni, votes, utils, np);
                    actions++;
                    if (!c.bad && so.on_action) {
                        so.on_action(so.action_ud, &rec);
                    }
                } else if (h.kind == MSG_RESULT) {
                    rc = read_result(&c, ni, np, r, d);
                    done = 1;
                    break;
                } else {
                    c.bad = 1;
                }
                if (c.bad) {
                    rc = pl__diag_set(d, PL_EIO, NULL, 0, 0, "a bad message from the agents' process");
                    reap(w, NULL);
                    goto cleanup;
                }
            }
            memmove(in.p, in.p + off, in.n - off);
            in.n -= off;
            if (done) {
                if (in.n > 0) { /* more than one result: the child is confused; start afresh next time */
                    reap(w, NULL);
                }
                break;
            }
        }
        if (stop && stop(stop_ud)) {
            reap(w, NULL);
            rc = pl__diag_set(d, PL_ECANCELED, NULL, 0, 0, "interrupted");
            goto cleanup;
        }
        t = now();
        uint64_t seq = __atomic_load_n(&w->page->seq, __ATOMIC_ACQUIRE);
        in_call = __atomic_load_n(&w->page->in_call, __ATOMIC_ACQUIRE);
        if (seq != seen) {
            seen = seq;
            seen_at = t;
        } else if (in_call && t - seen_at > call_limit) {
            oc.status = PL_SESSION_TIMEOUT;
            oc.culprit = w->page->party;
            oc.round = w->page->round;
            snprintf(oc.what, sizeof oc.what, "exceeded the call limit of %g s", call_limit);
            break;
        }
        if (so.time_limit > 0 && t - t0 > so.time_limit + call_limit + 1) {
            oc.status = PL_SESSION_TIMEOUT;
            oc.culprit = in_call ? w->page->party : -1;
            oc.round = w->page->round;
            snprintf(oc.what, sizeof oc.what, "exceeded the session time limit of %g s", so.time_limit);
            break;
        }
        if (t - last_rss >= 0.1) {
            last_rss = t;
            uint64_t rss = statm(w->pid, 1);
            if (rss > w->base_rss + memory_limit) {
                char lim[32];
                limit_text(lim, sizeof lim, memory_limit);
                oc.status = PL_SESSION_MEMORY;
                oc.culprit = in_call ? w->page->party : -1;
                oc.round = w->page->round;
                snprintf(oc.what, sizeof oc.what, "exceeded the memory limit of %s", lim);
                break;
            }
        }
    }
    if (done) {
        if (rc == PL_ENOMEM && w->memory_limit) {
            /* The child's session ran out of memory: an agent exhausted the address space it was allowed. */
            char lim[32];
            limit_text(lim, sizeof lim, memory_limit);
            oc.status = PL_SESSION_MEMORY;
            oc.culprit = w->page->party;
            oc.round = w->page->round;
            snprintf(oc.what, sizeof oc.what, "exceeded the memory limit of %s", lim);
            reap(w, NULL);
            rc = fill_killed(r, sc, agents, &oc, actions, now() - t0, d);
        }
        goto cleanup;
    }
    /* The child died, or the watchdog kills it now. */
    int in_call = __atomic_load_n(&w->page->in_call, __ATOMIC_ACQUIRE);
    int st = 0;
    reap(w, &st);
    if (died) {
        oc.culprit = in_call ? w->page->party : -1;
        oc.round = w->page->round;
        if (WIFSIGNALED(st)) {
            int sig = WTERMSIG(st);
            if (w->page->memory) {
                char lim[32];
                limit_text(lim, sizeof lim, memory_limit);
                oc.status = PL_SESSION_MEMORY;
                snprintf(oc.what, sizeof oc.what, "exceeded the memory limit of %s (then %s)", lim,
                         signal_name(sig));
            } else {
                snprintf(oc.what, sizeof oc.what, "killed by signal %d (%s)", sig, signal_name(sig));
            }
        } else if (WIFEXITED(st)) {
            snprintf(oc.what, sizeof oc.what, "called exit(%d)", WEXITSTATUS(st));
        } else {
            snprintf(oc.what, sizeof oc.what, "ended");
        }
    }
    rc = fill_killed(r, sc, agents, &oc, actions, now() - t0, d);
cleanup:
    pl__free(in.p);
    pl__free(outcome);
    pl__free(votes);
    pl__free(utils);
    return rc;
}
