/* Isolated sessions: a worker process (fork, reused across sessions, re-made after a crash) runs sessions whose
 * agents may crash, hang or eat memory; the parent sends a job number over a socket and reads back the actions (when
 * asked) and the result. In the child every agent callback goes through a wrapper that writes (party, round, call
 * number) into a shared page, so the parent knows who was in a call when the child died or hung. The parent's
 * watchdog: poll() on the socket with a timeout (at most 50 ms); SIGKILL when a call outlives the call limit (timed
 * by the parent from when it first saw the call's number: the child reads no clock, and a call is stopped between
 * the limit and 50 ms after it), the session its time limit, or the child's resident memory the memory limit
 * (RLIMIT_AS in the child catches fast growth first). This file is the parent; isolate_child.c the child;
 * isolate_wire.c what both use. */
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
#include "protocol/isolate_internal.h"
#include "protocol/protocol_internal.h"

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
    w->base_rss = pl__iso_statm(0, 1);
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
        pl__iso_child_main(w, sv[1], parent);
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
static void read_action(iso_cursor *c, pl_action_record *rec, uint32_t *outcome, size_t ni, int *votes, double *utils,
                        size_t np)
{
    uint64_t party, issue;
    int32_t action, has, stood;
    memset(rec, 0, sizeof *rec);
    pl__iso_get(c, &rec->round, sizeof rec->round);
    pl__iso_get(c, &rec->t, sizeof rec->t);
    pl__iso_get(c, &party, sizeof party);
    pl__iso_get(c, &action, sizeof action);
    pl__iso_get(c, &has, sizeof has);
    if (has) {
        pl__iso_get(c, outcome, ni * sizeof *outcome);
        rec->outcome = outcome;
    }
    pl__iso_get(c, &rec->utility, sizeof rec->utility);
    pl__iso_get(c, &rec->discounted, sizeof rec->discounted);
    pl__iso_get(c, &issue, sizeof issue);
    pl__iso_get(c, &rec->from, sizeof rec->from);
    pl__iso_get(c, &rec->to, sizeof rec->to);
    pl__iso_get(c, &has, sizeof has);
    if (has) {
        pl__iso_get(c, votes, np * sizeof *votes);
        rec->votes = votes;
    }
    pl__iso_get(c, &has, sizeof has);
    if (has) {
        pl__iso_get(c, utils, np * sizeof *utils);
        rec->utilities = utils;
    }
    pl__iso_get(c, &stood, sizeof stood);
    rec->party = (size_t)party;
    rec->action = (pl_action_kind)action;
    rec->issue = (size_t)issue;
    rec->stood = stood;
}

static uint32_t *get_u32s(iso_cursor *c, size_t n, int *oom)
{
    int32_t has;
    pl__iso_get(c, &has, sizeof has);
    if (!has || c->bad) {
        return NULL;
    }
    uint32_t *x = pl__malloc((n ? n : 1) * sizeof *x);
    if (!x) {
        *oom = 1;
        c->bad = 1;
        return NULL;
    }
    pl__iso_get(c, x, n * sizeof *x);
    return x;
}

static double *get_f64s(iso_cursor *c, size_t n, int *oom)
{
    int32_t has;
    pl__iso_get(c, &has, sizeof has);
    if (!has || c->bad) {
        return NULL;
    }
    double *x = pl__malloc((n ? n : 1) * sizeof *x);
    if (!x) {
        *oom = 1;
        c->bad = 1;
        return NULL;
    }
    pl__iso_get(c, x, n * sizeof *x);
    return x;
}

/* The child's result message into r (or its setup error into d): 0, the child's code, or PL_EIO on a bad message. */
static int read_result(iso_cursor *c, size_t ni, size_t np, pl_session_result *r, pl_diag *d)
{
    int32_t rc, status, has, irat, stable;
    int64_t culprit;
    uint64_t n_parties;
    int oom = 0;
    pl__iso_get(c, &rc, sizeof rc);
    if (rc < 0) {
        pl_diag cd;
        pl__iso_get(c, &cd, sizeof cd);
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
    pl__iso_get(c, &status, sizeof status);
    pl__iso_get(c, r->reason, sizeof r->reason);
    r->reason[sizeof r->reason - 1] = 0;
    pl__iso_get(c, &culprit, sizeof culprit);
    pl__iso_get(c, &has, sizeof has);
    pl__iso_get(c, &n_parties, sizeof n_parties);
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
    pl__iso_get(c, &r->rounds, sizeof r->rounds);
    pl__iso_get(c, &r->actions, sizeof r->actions);
    pl__iso_get(c, &r->t, sizeof r->t);
    pl__iso_get(c, &r->seconds, sizeof r->seconds);
    pl__iso_get(c, &irat, sizeof irat);
    r->individually_rational = irat;
    pl__iso_get(c, &r->pareto_distance, sizeof r->pareto_distance);
    pl__iso_get(c, &r->nash_distance, sizeof r->nash_distance);
    pl__iso_get(c, &r->welfare, sizeof r->welfare);
    r->final_text = get_u32s(c, ni, &oom);
    pl__iso_get(c, &r->changes, sizeof r->changes);
    pl__iso_get(c, &stable, sizeof stable);
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
    iso_request q = {job, so.on_action != NULL, 0};
    double t0 = pl__iso_now();
    if (pl__iso_write_all(w->fd, &q, sizeof q) < 0) {
        /* The child died since its last session (nothing of this one ran yet): make a new one and retry once. */
        reap(w, NULL);
        if ((rc = spawn(w, memory_limit, d)) < 0) {
            return rc;
        }
        if (pl__iso_write_all(w->fd, &q, sizeof q) < 0) {
            reap(w, NULL);
            return pl__diag_set(d, PL_EIO, NULL, 0, 0, "cannot talk to the agents' process");
        }
    }
    iso_bytes in = {0};
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
        double t = pl__iso_now(), wait = 0.05;
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
                pl__iso_put(&in, buf, (size_t)got);
                if (in.failed) {
                    rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
                    reap(w, NULL);
                    goto cleanup;
                }
            }
            /* Every complete message. */
            size_t off = 0;
            while (in.n - off >= sizeof(iso_msg_head)) {
                iso_msg_head h;
                memcpy(&h, in.p + off, sizeof h);
                if (in.n - off - sizeof h < h.len) {
                    break;
                }
                iso_cursor c = {in.p + off + sizeof h, h.len, 0};
                off += sizeof h + h.len;
                if (h.kind == ISO_MSG_ACTION) {
                    pl_action_record rec;
                    read_action(&c, &rec, outcome, ni, votes, utils, np);
                    actions++;
                    if (!c.bad && so.on_action) {
                        so.on_action(so.action_ud, &rec);
                    }
                } else if (h.kind == ISO_MSG_RESULT) {
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
        t = pl__iso_now();
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
            uint64_t rss = pl__iso_statm(w->pid, 1);
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
            rc = fill_killed(r, sc, agents, &oc, actions, pl__iso_now() - t0, d);
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
                /* The same reason as when the watchdog sees the resident memory first: which of the two comes first
                 * depends on timing, the row must not. */
                char lim[32];
                limit_text(lim, sizeof lim, memory_limit);
                oc.status = PL_SESSION_MEMORY;
                snprintf(oc.what, sizeof oc.what, "exceeded the memory limit of %s", lim);
            } else {
                snprintf(oc.what, sizeof oc.what, "killed by signal %d (%s)", sig, signal_name(sig));
            }
        } else if (WIFEXITED(st)) {
            snprintf(oc.what, sizeof oc.what, "called exit(%d)", WEXITSTATUS(st));
        } else {
            snprintf(oc.what, sizeof oc.what, "ended");
        }
    }
    rc = fill_killed(r, sc, agents, &oc, actions, pl__iso_now() - t0, d);
cleanup:
    pl__free(in.p);
    pl__free(outcome);
    pl__free(votes);
    pl__free(utils);
    return rc;
}
