/* Tournaments over MPI ranks: rank 0 owns the database, finds the missing sessions and broadcasts them; rank r
 * runs those at positions p with p % ranks == r on its own threads and sends each finished row to rank 0, whose
 * writer thread stores it. Only each rank's calling thread talks MPI (MPI_THREAD_FUNNELED). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/internal.h"
#include "tournament/tournament_internal.h"

#ifndef PL_HAVE_MPI

int pl__tournament_run_mpi(pl_tournament *t, const char *dir, pl_diag *d)
{
    (void)t;
    (void)dir;
    return pl__diag_set(d, PL_EUNSUPPORTED, NULL, 0, 0,
                        "this parley was built without MPI (install an MPI implementation and rebuild)");
}

#else

#include <mpi.h>

enum { TAG_ROW = 1, TAG_DONE = 2 };

typedef struct mpi_ctx {
    pl_tournament *t;
    int rank, size, shared, done_ranks;
    uint64_t *mine;
} mpi_ctx;

/* Positions p of todo with p % size == rank. */
static int take_share(mpi_ctx *c, const uint64_t *todo, uint64_t n, uint64_t *n_mine)
{
    c->mine = pl__malloc((n / (uint64_t)c->size + 1) * sizeof *c->mine);
    if (!c->mine) {
        return PL_ENOMEM;
    }
    *n_mine = 0;
    for (uint64_t p = (uint64_t)c->rank; p < n; p += (uint64_t)c->size) {
        c->mine[(*n_mine)++] = todo[p];
    }
    return 0;
}

/* Wait for a non-blocking operation by testing and sleeping: MPI's blocking calls busy-poll, which on a machine
 * running as many ranks as cores steals the core a working rank needs (a 2-rank run was 7x slower than 1 rank). */
static int wait_gently(MPI_Request *req)
{
    for (;;) {
        int done = 0;
        if (MPI_Test(req, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS) {
            return PL_EIO;
        }
        if (done) {
            return 0;
        }
        struct timespec ts = {0, 200000};
        nanosleep(&ts, NULL);
    }
}

static int bcast_u64(uint64_t *x, uint64_t n)
{
    /* In chunks: MPI counts are ints. */
    for (uint64_t off = 0; off < n;) {
        uint64_t chunk = n - off > (1u << 26) ? (1u << 26) : n - off;
        MPI_Request req;
        if (MPI_Ibcast(x + off, (int)chunk, MPI_UINT64_T, 0, MPI_COMM_WORLD, &req) != MPI_SUCCESS ||
            wait_gently(&req) < 0) {
            return PL_EIO;
        }
        off += chunk;
    }
    return 0;
}

static int root_share(void *ud, const uint64_t *todo, uint64_t n, const uint64_t **mine, uint64_t *n_mine,
                      pl_diag *d)
{
    mpi_ctx *c = ud;
    uint64_t nn = n;
    c->shared = 1;
    if (bcast_u64(&nn, 1) < 0 || bcast_u64((uint64_t *)todo, n) < 0) {
        return pl__diag_set(d, PL_EIO, NULL, 0, 0, "MPI broadcast failed");
    }
    if (take_share(c, todo, n, n_mine) < 0) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *mine = c->mine;
    return 0;
}

static void root_poll(void *ud, pl__tqueue *q)
{
    mpi_ctx *c = ud;
    for (;;) {
        int flag = 0;
        MPI_Status s;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &s);
        if (!flag) {
            return;
        }
        int count = 0;
        MPI_Get_count(&s, MPI_BYTE, &count);
        char *buf = pl__malloc(count > 0 ? (size_t)count : 1);
        if (!buf) {
            return;
        }
        MPI_Recv(buf, count, MPI_BYTE, s.MPI_SOURCE, s.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (s.MPI_TAG == TAG_DONE) {
            c->done_ranks++;
        } else {
            /* A batch: rows, each as a 4-byte length and its packed bytes. */
            for (size_t at = 0; at + 4 <= (size_t)count;) {
                uint32_t len;
                memcpy(&len, buf + at, 4);
                at += 4;
                if (len > (size_t)count - at) {
                    break;
                }
                pl__trow *r = pl__trow_unpack(buf + at, len);
                if (r) {
                    pl__tqueue_push(q, r);
                }
                at += len;
            }
        }
        pl__free(buf);
    }
}

static int root_finished(void *ud)
{
    mpi_ctx *c = ud;
    return c->done_ranks >= c->size - 1;
}

/* A non-root rank's tick: send what finished, check cancel. */
typedef struct sender {
    pl_tournament *t;
    pl__tqueue *q;
    int failed;
} sender;

/* Send every finished row to rank 0 in one message (a 4-byte length before each packed row), waiting without
 * spinning: one message per tick, so a rank never waits on rank 0's polling once per row. */
static void send_rows(sender *s)
{
    pl__trow *r = pl__tqueue_take(s->q, 0);
    pl__buf b;
    pl__buf_init(&b);
    while (r) {
        pl__trow *n = r->next;
        char *buf;
        size_t len;
        if (pl__trow_pack(r, &buf, &len) == 0 && len <= UINT32_MAX) {
            uint32_t l32 = (uint32_t)len;
            pl__buf_append(&b, (const char *)&l32, 4);
            pl__buf_append(&b, buf, len);
            pl__free(buf);
        } else {
            s->failed = 1;
        }
        pl__trow_free(r);
        r = n;
    }
    if (b.failed || b.len > INT32_MAX) {
        s->failed = 1;
    } else if (b.len > 0) {
        MPI_Request req;
        if (MPI_Isend(b.data, (int)b.len, MPI_BYTE, 0, TAG_ROW, MPI_COMM_WORLD, &req) != MPI_SUCCESS ||
            wait_gently(&req) < 0) {
            s->failed = 1;
        }
    }
    pl__buf_destroy(&b);
}

static int sender_tick(void *ud)
{
    sender *s = ud;
    send_rows(s);
    return s->failed || (s->t->o.cancel && s->t->o.cancel(s->t->o.ud));
}

int pl__tournament_run_mpi(pl_tournament *t, const char *dir, pl_diag *d)
{
    int inited = 0, we_inited = 0, rc = 0;
    MPI_Initialized(&inited);
    if (!inited) {
        int provided;
        if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
            return pl__diag_set(d, PL_EIO, NULL, 0, 0, "cannot initialise MPI");
        }
        we_inited = 1;
    }
    mpi_ctx c;
    memset(&c, 0, sizeof c);
    c.t = t;
    MPI_Comm_rank(MPI_COMM_WORLD, &c.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &c.size);
    t->rank = c.rank;
    t->n_ranks = c.size;
    if (c.rank == 0) {
        pl__tremote remote = {&c, root_share, root_poll, root_finished};
        rc = pl__tournament_run_root(t, dir, &remote, d);
        if (!c.shared) {
            uint64_t fail = UINT64_MAX; /* tell the other ranks there is nothing to do */
            bcast_u64(&fail, 1);
        }
    } else {
        uint64_t n = 0, n_mine = 0;
        uint64_t *todo = NULL;
        bcast_u64(&n, 1);
        if (n != UINT64_MAX) {
            todo = pl__malloc((n ? n : 1) * sizeof *todo);
            if (todo) {
                bcast_u64(todo, n);
            } else {
                uint64_t x; /* still take part in the broadcast, one number at a time */
                for (uint64_t k = 0; k < n; k++) {
                    bcast_u64(&x, 1);
                }
            }
            if (!todo || take_share(&c, todo, n, &n_mine) < 0) {
                rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
                n_mine = 0;
            }
            pl__tqueue q;
            pl__tqueue_init(&q);
            sender s = {t, &q, 0};
            if (rc == 0) {
                rc = pl__tournament_work(t, c.mine, n_mine, &q, sender_tick, &s, d);
            }
            send_rows(&s);
            char nothing = 0;
            MPI_Send(&nothing, 1, MPI_BYTE, 0, TAG_DONE, MPI_COMM_WORLD);
            pl__tqueue_destroy(&q);
            pl__free(todo);
        }
    }
    pl__free(c.mine);
    MPI_Request done;
    if (MPI_Ibarrier(MPI_COMM_WORLD, &done) == MPI_SUCCESS) {
        wait_gently(&done);
    }
    if (we_inited) {
        MPI_Finalize();
    }
    return rc;
}

#endif
