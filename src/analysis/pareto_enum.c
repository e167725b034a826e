/* The exact Pareto frontier by streaming over every outcome of an enumerable space (any utility function), and the
 * zone-of-agreement / extremes scan that comes with it.
 *
 * The dense index range is cut into chunks; chunk c goes to worker c % threads, so each worker sees its outcomes in
 * increasing dense order. A worker materialises a chunk with an odometer (one pl_space_outcome_at per chunk), evaluates
 * it party by party with pl_ufun_eval_many (the same code as pl_ufun_eval, so utilities are bit-identical), then tests
 * every outcome against its own running frontier. Outcomes that survive go to a candidate buffer, merged into the
 * frontier when it fills. Memory is O(threads * (chunk + frontier + candidates)), never O(space).
 *
 * Why the result does not depend on the thread count: every worker keeps the exact frontier of the outcomes it saw,
 * which contains every global frontier vector of its share; for each vector it keeps the first outcomes_per_point
 * outcomes of its share in dense order, a superset of the global first ones. The builder then filters, groups and
 * orders the union, keeping the lexicographically (= dense-order) first stored outcomes. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "core/ufun_internal.h"

/* Outcomes per chunk: large enough to amortise the per-chunk seek and calls, small enough that a chunk's outcomes and
 * utilities stay in cache. Issue-heavy spaces get shorter chunks so the outcome buffer stays near CHUNK_BYTES. */
#define CHUNK_MAX 4096
#define CHUNK_MIN 64
#define CHUNK_BYTES (1u << 18)
/* Candidates buffered before a merge: at least this many, and at least the frontier's size, so merges (linear in
 * the frontier) cost O(1) amortised per candidate. */
#define CAND_MIN 1024
/* Two parties: buckets of the first utility over [0, 1] for the constant-time dominance pre-filter. */
#define FILTER_BUCKETS 8192
/* Three parties: the same over a grid of the first two utilities, GRID buckets per axis. */
#define GRID 64

/* A worker's running frontier: mutually non-dominated distinct vectors in lexicographically descending order (for
 * two parties: u0 descending, u1 ascending). */
typedef struct front {
    size_t n, cap;
    double *u;        /* cap * np */
    uint64_t *total;  /* outcomes with this vector seen so far */
    uint32_t *nst;    /* stored dense indices (1 .. outcomes_per_point) */
    uint64_t *first;  /* the first stored index (most vectors have one outcome: no allocation for them) */
    uint64_t **more;  /* further stored indices, NULL until a second one; capacity is the power of two >= nst - 1 */
} front;

typedef struct job {
    const pl_space *space;
    const pl_ufun **uf; /* np */
    double *res;        /* np reservations */
    uint32_t *radix;    /* ni value counts */
    size_t np, ni;
    uint64_t count, chunks;
    size_t chunk;
    unsigned threads;
    int want_front, want_scan;
    uint32_t opp;
    uint64_t max_points;
    atomic_int stop; /* a worker failed: the others stop at their next chunk */
} job;

typedef struct worker {
    job *j;
    unsigned id;
    int rc;
    size_t too_many; /* frontier size that went past max_points */

    uint32_t *obuf; /* chunk * ni outcomes, plus ROW_PAD words of padding */
    uint32_t *cur;  /* the odometer: max(ni, ROW_PAD) words */
    double *ubuf;   /* np * chunk utilities, party-major (what pl_ufun_eval_many writes) */
    double *v;      /* np: one outcome's vector */

    front f, g; /* running frontier and the merge's scratch (swapped after each merge) */
    double *cu; /* candidates: cap * np vectors and their dense indices, in increasing index order */
    uint64_t *cidx;
    size_t cn, ccap;
    size_t *perm, *ptmp, pcap;
    double *thr; /* pre-filter thresholds: FILTER_BUCKETS - 1 (two parties), (GRID - 1)^2 (three) */
    size_t hint; /* three or more parties: the last frontier point that dominated something */

    uint64_t zopa;
    double *best_u, *worst_u; /* np */
    uint64_t *best_i, *worst_i;
} worker;

/* ---- Frontier storage ---- */

static void front_free(front *f)
{
    for (size_t k = 0; f->more && k < f->n; k++) {
        pl__free(f->more[k]);
    }
    pl__free(f->u);
    pl__free(f->total);
    pl__free(f->nst);
    pl__free(f->first);
    pl__free(f->more);
    memset(f, 0, sizeof *f);
}

static int front_reserve(front *f, size_t np, size_t need)
{
    if (need <= f->cap) {
        return 0;
    }
    size_t c = f->cap ? f->cap : 256;
    while (c < need) {
        c *= 2;
    }
    /* Each array keeps whatever realloc returned, so a partial failure leaks nothing; cap moves only when all grew. */
    double *u = pl__realloc(f->u, c * np * sizeof *u);
    if (u) {
        f->u = u;
    }
    uint64_t *t = pl__realloc(f->total, c * sizeof *t);
    if (t) {
        f->total = t;
    }
    uint32_t *s = pl__realloc(f->nst, c * sizeof *s);
    if (s) {
        f->nst = s;
    }
    uint64_t *fi = pl__realloc(f->first, c * sizeof *fi);
    if (fi) {
        f->first = fi;
    }
    uint64_t **m = pl__realloc(f->more, c * sizeof *m);
    if (m) {
        f->more = m;
    }
    if (!u || !t || !s || !fi || !m) {
        return PL_ENOMEM;
    }
    f->cap = c;
    return 0;
}

/* One more outcome (dense index idx, later than every index already counted) with point k's vector. */
static int front_append(front *f, size_t k, uint64_t idx, uint32_t opp)
{
    f->total[k]++;
    uint32_t s = f->nst[k];
    if (s >= opp) {
        return 0;
    }
    if (s == 0) {
        f->first[k] = idx;
        f->more[k] = NULL;
    } else {
        uint32_t m = s - 1; /* slot in `more` */
        if ((m & (m - 1)) == 0) {
            /* m is 0 or a power of two: the array is full (or absent); double it. */
            uint64_t *p = pl__realloc(f->more[k], (m ? 2 * (size_t)m : 1) * sizeof *p);
            if (!p) {
                f->total[k]--;
                return PL_ENOMEM;
            }
            f->more[k] = p;
        }
        f->more[k][m] = idx;
    }
    f->nst[k] = s + 1;
    return 0;
}

/* ---- Candidates and merging ---- */

/* Lexicographic order of vectors, descending; equal vectors by dense index (their insertion order). */
static int cand_cmp(const worker *w, size_t a, size_t b)
{
    size_t np = w->j->np;
    const double *x = w->cu + a * np, *y = w->cu + b * np;
    for (size_t k = 0; k < np; k++) {
        if (x[k] != y[k]) {
            return x[k] > y[k] ? -1 : 1;
        }
    }
    return w->cidx[a] < w->cidx[b] ? -1 : (w->cidx[a] > w->cidx[b]);
}

static int cand_cmp_ctx(const void *ctx, size_t a, size_t b)
{
    return cand_cmp(ctx, a, b);
}

/* Sort the candidate permutation by cand_cmp. */
static void cand_sort(worker *w)
{
    size_t n = w->cn, *idx = w->perm;
    for (size_t k = 0; k < n; k++) {
        idx[k] = k;
    }
    pl__sort_indices(idx, w->ptmp, n, cand_cmp_ctx, w);
}

static int vec_cmp(const double *x, const double *y, size_t np)
{
    for (size_t k = 0; k < np; k++) {
        if (x[k] != y[k]) {
            return x[k] > y[k] ? -1 : 1;
        }
    }
    return 0;
}

/* Two parties: rebuild the pre-filter. Bucket b holds first utilities a with (size_t)(a * B) == b, all below
 * (b + 1) / B up to rounding; thr[b] is the best second utility among points whose first utility exceeds (b + 2) / B
 * (one bucket of slack covers the rounding). Any (a, x) of bucket b with x < thr[b] is then strictly dominated. The
 * frontier only improves, so a stale table stays sound between rebuilds. */
static void filter_rebuild(worker *w)
{
    const front *f = &w->f;
    size_t p = 0;
    for (size_t b = FILTER_BUCKETS - 1; b-- > 0;) {
        double hi = (double)(b + 2) / FILTER_BUCKETS;
        while (p < f->n && f->u[2 * p] > hi) {
            p++;
        }
        w->thr[b] = p ? f->u[2 * (p - 1) + 1] : -INFINITY;
    }
}

/* The last bucket b of nb (-1 when none, at most nb - 2) with x > (b + 2) / nb, checked exactly. */
static long last_bucket_below(double x, size_t nb)
{
    if (!(x > 2.0 / (double)nb)) {
        return -1;
    }
    long top = (long)nb - 2;
    long b = x >= 1 ? top : (long)(x * (double)nb) - 2;
    b = b > top ? top : (b < -1 ? -1 : b);
    while (b >= 0 && !(x > (double)(b + 2) / (double)nb)) {
        b--;
    }
    while (b < top && x > (double)(b + 3) / (double)nb) {
        b++;
    }
    return b;
}

/* Three parties: thr[b0 * (GRID - 1) + b1] is the best third utility among points whose first two exceed
 * (b0 + 2) / GRID and (b1 + 2) / GRID (the two-party argument on each axis): each point goes to its last qualifying
 * cell, then a two-dimensional suffix maximum spreads it to every cell it qualifies for. */
static void grid_rebuild(worker *w)
{
    const front *f = &w->f;
    const size_t g = GRID - 1;
    for (size_t c = 0; c < g * g; c++) {
        w->thr[c] = -INFINITY;
    }
    for (size_t p = 0; p < f->n; p++) {
        const double *u = f->u + 3 * p;
        long b0 = last_bucket_below(u[0], GRID), b1 = last_bucket_below(u[1], GRID);
        if (b0 >= 0 && b1 >= 0) {
            double *t = &w->thr[(size_t)b0 * g + (size_t)b1];
            *t = u[2] > *t ? u[2] : *t;
        }
    }
    for (size_t b0 = g; b0-- > 0;) {
        for (size_t b1 = g; b1-- > 0;) {
            double *t = &w->thr[b0 * g + b1];
            if (b0 + 1 < g && w->thr[(b0 + 1) * g + b1] > *t) {
                *t = w->thr[(b0 + 1) * g + b1];
            }
            if (b1 + 1 < g && w->thr[b0 * g + b1 + 1] > *t) {
                *t = w->thr[b0 * g + b1 + 1];
            }
        }
    }
}

/* Merge the candidates into the frontier: one pass over both lexicographically sorted lists, grouping equal vectors
 * (the frontier's outcomes come first: their indices are all smaller) and keeping the non-dominated groups. */
static int merge(worker *w)
{
    const job *j = w->j;
    size_t np = j->np, nc = w->cn;
    front *f = &w->f, *g = &w->g;
    if (nc == 0) {
        return 0;
    }
    cand_sort(w);
    int rc = front_reserve(g, np, f->n + nc);
    if (rc < 0) {
        return rc;
    }
    g->n = 0;
    size_t a = 0, b = 0;
    double best1 = -INFINITY;
    while (a < f->n || b < nc) {
        int from_f;
        const double *v;
        if (a < f->n && (b >= nc || vec_cmp(f->u + a * np, w->cu + w->perm[b] * np, np) <= 0)) {
            from_f = 1;
            v = f->u + a * np;
        } else {
            from_f = 0;
            v = w->cu + w->perm[b] * np;
        }
        size_t e = b;
        while (e < nc && vec_cmp(w->cu + w->perm[e] * np, v, np) == 0) {
            e++;
        }
        int dominated = 0;
        if (np == 2) {
            /* Kept groups all come earlier (lexicographically greater); the last kept has the best u1. */
            dominated = g->n > 0 && best1 >= v[1];
        } else {
            for (size_t q = 0; q < g->n && !dominated; q++) {
                dominated = pl__dominates(g->u + q * np, v, np);
            }
        }
        if (!dominated) {
            size_t q = g->n;
            memcpy(g->u + q * np, v, np * sizeof *v);
            if (from_f) {
                g->total[q] = f->total[a];
                g->nst[q] = f->nst[a];
                g->first[q] = f->first[a];
                g->more[q] = f->more[a];
                f->more[a] = NULL;
            } else {
                g->total[q] = 0;
                g->nst[q] = 0;
                g->more[q] = NULL;
            }
            g->n = q + 1;
            for (size_t c = b; c < e; c++) {
                if ((rc = front_append(g, q, w->cidx[w->perm[c]], j->opp)) < 0) {
                    return rc;
                }
            }
            best1 = np == 2 ? v[1] : best1;
        } else if (from_f) {
            pl__free(f->more[a]);
            f->more[a] = NULL;
        }
        a += from_f;
        b = e;
    }
    /* Swap: the old frontier's arrays become the next merge's scratch (its `more` pointers were moved or freed). */
    front tmp = *f;
    *f = *g;
    *g = tmp;
    g->n = 0;
    w->cn = 0;
    w->hint = 0;
    if (f->n > j->max_points) {
        w->too_many = f->n;
        return PL_ETOOBIG;
    }
    if (np == 2) {
        filter_rebuild(w);
    } else if (np == 3) {
        grid_rebuild(w);
    }
    return 0;
}

static int cand_push(worker *w, const double *v, uint64_t idx)
{
    size_t np = w->j->np;
    if (w->cn == w->ccap) {
        size_t c = w->ccap ? 2 * w->ccap : CAND_MIN;
        double *cu = pl__realloc(w->cu, c * np * sizeof *cu);
        if (cu) {
            w->cu = cu;
        }
        uint64_t *ci = pl__realloc(w->cidx, c * sizeof *ci);
        if (ci) {
            w->cidx = ci;
        }
        if (!cu || !ci) {
            return PL_ENOMEM;
        }
        w->ccap = c;
    }
    if (w->cn + 1 > w->pcap) {
        /* The sort's permutation arrays follow the candidate capacity. */
        size_t *p = pl__realloc(w->perm, w->ccap * sizeof *p);
        if (p) {
            w->perm = p;
        }
        size_t *t = pl__realloc(w->ptmp, w->ccap * sizeof *t);
        if (t) {
            w->ptmp = t;
        }
        if (!p || !t) {
            return PL_ENOMEM;
        }
        w->pcap = w->ccap;
    }
    memcpy(w->cu + w->cn * np, v, np * sizeof *v);
    w->cidx[w->cn++] = idx;
    size_t limit = w->f.n > CAND_MIN ? w->f.n : CAND_MIN;
    return w->cn >= limit ? merge(w) : 0;
}

/* ---- Per-chunk work ---- */

/* Materialise outcomes [lo, lo + m) into out: one seek, then an odometer (last issue fastest). cur holds the other
 * issues' values (at least ROW_PAD words), the last issue's runs in a register. Rows are copied from cur with a
 * fixed-size memcpy the compiler inlines (a library call per row cost as much as evaluating it); the copy spills past
 * the row into the next one, written next, or into the buffer's padding. cur is only stored to on a carry, so the
 * copy rarely waits for a store to it. */
#define ROW_PAD 16
static void fill_chunk(const job *j, uint64_t lo, size_t m, uint32_t *cur, uint32_t *out)
{
    size_t ni = j->ni;
    if (ni == 0) {
        return;
    }
    pl_space_outcome_at(j->space, lo, cur); /* lo < count: cannot fail */
    uint32_t last = cur[ni - 1], radix_last = j->radix[ni - 1];
    for (size_t t = 0; t < m; t++) {
        uint32_t *o = out + t * ni;
        if (ni <= 8) {
            memcpy(o, cur, 8 * sizeof *o);
        } else if (ni <= ROW_PAD) {
            memcpy(o, cur, ROW_PAD * sizeof *o);
        } else {
            memcpy(o, cur, ni * sizeof *o);
        }
        o[ni - 1] = last;
        if (++last == radix_last) {
            last = 0;
            for (size_t i = ni - 1; i-- > 0;) {
                if (++cur[i] < j->radix[i]) {
                    break;
                }
                cur[i] = 0;
            }
        }
    }
}

static void scan_chunk(worker *w, uint64_t lo, size_t m)
{
    const job *j = w->j;
    size_t np = j->np, cs = j->chunk;
    for (size_t k = 0; k < np; k++) {
        const double *u = w->ubuf + k * cs;
        double best = w->best_u[k], worst = w->worst_u[k];
        uint64_t bi = w->best_i[k], wi = w->worst_i[k];
        /* Strict comparisons: within a worker indices increase, so ties keep the first in dense order. */
        for (size_t t = 0; t < m; t++) {
            if (u[t] > best) {
                best = u[t];
                bi = lo + t;
            }
            if (u[t] < worst) {
                worst = u[t];
                wi = lo + t;
            }
        }
        w->best_u[k] = best;
        w->worst_u[k] = worst;
        w->best_i[k] = bi;
        w->worst_i[k] = wi;
    }
    uint64_t z = 0;
    for (size_t t = 0; t < m; t++) {
        int ok = 1;
        for (size_t k = 0; k < np && ok; k++) {
            ok = w->ubuf[k * cs + t] >= j->res[k];
            /* An outcome that breaks a red line is worth 0 and never acceptable, even with a reservation of 0. */
            if (ok && j->uf[k]->n_lines && w->ubuf[k * cs + t] == 0) {
                ok = !pl__ufun_breaks(j->uf[k], w->obuf + t * j->ni);
            }
        }
        z += (uint64_t)ok;
    }
    w->zopa += z;
}

/* Two parties: the pre-filter, then a binary search for the point with the smallest u0 >= a (it has the largest u1
 * among the points that could dominate). */
static int front_chunk2(worker *w, uint64_t lo, size_t m)
{
    const job *j = w->j;
    const double *u0 = w->ubuf, *u1 = w->ubuf + j->chunk;
    int rc;
    for (size_t t = 0; t < m; t++) {
        double a = u0[t], b = u1[t];
        double x = a * FILTER_BUCKETS;
        /* Out-of-range or top-bucket utilities skip the filter (they have no slack bucket above them). */
        if (x < FILTER_BUCKETS - 1) {
            size_t bk = x > 0 ? (size_t)x : 0;
            if (b < w->thr[bk]) {
                continue;
            }
        }
        const front *f = &w->f;
        size_t l = 0, h = f->n;
        while (l < h) {
            size_t mid = l + (h - l) / 2;
            if (f->u[2 * mid] >= a) {
                l = mid + 1;
            } else {
                h = mid;
            }
        }
        if (l > 0 && f->u[2 * (l - 1) + 1] >= b) {
            if (f->u[2 * (l - 1)] == a && f->u[2 * (l - 1) + 1] == b) {
                /* Already a frontier vector; no buffered candidate can share it (a merge empties the buffer). */
                if ((rc = front_append(&w->f, l - 1, lo + t, j->opp)) < 0) {
                    return rc;
                }
            }
            continue;
        }
        double v[2] = {a, b};
        if ((rc = cand_push(w, v, lo + t)) < 0) {
            return rc;
        }
    }
    return 0;
}

/* One or three or more parties: the grid pre-filter (three parties), the last dominator (neighbouring outcomes tend
 * to share it), then the points whose u0 is at least the outcome's (the others cannot dominate it). */
static int front_chunkn(worker *w, uint64_t lo, size_t m)
{
    const job *j = w->j;
    size_t np = j->np, cs = j->chunk;
    double *v = w->v;
    int rc;
    for (size_t t = 0; t < m; t++) {
        for (size_t k = 0; k < np; k++) {
            v[k] = w->ubuf[k * cs + t];
        }
        if (np == 3) {
            double x0 = v[0] * GRID, x1 = v[1] * GRID;
            if (x0 < GRID - 1 && x1 < GRID - 1) {
                size_t b0 = x0 > 0 ? (size_t)x0 : 0, b1 = x1 > 0 ? (size_t)x1 : 0;
                if (v[2] < w->thr[b0 * (GRID - 1) + b1]) {
                    continue;
                }
            }
        }
        const front *f = &w->f;
        if (w->hint < f->n && pl__dominates(f->u + w->hint * np, v, np)) {
            continue;
        }
        size_t l = 0, h = f->n;
        while (l < h) {
            size_t mid = l + (h - l) / 2;
            if (f->u[mid * np] >= v[0]) {
                l = mid + 1;
            } else {
                h = mid;
            }
        }
        int done = 0;
        for (size_t i = 0; i < l && !done; i++) {
            const double *p = f->u + i * np;
            int ge = 1, gt = 0;
            for (size_t k = 0; k < np && ge; k++) {
                ge = p[k] >= v[k];
                gt |= p[k] > v[k];
            }
            if (ge && gt) {
                w->hint = i;
                done = 1;
            } else if (ge) {
                /* Equal to a frontier vector, which nothing on the frontier dominates. */
                if ((rc = front_append(&w->f, i, lo + t, j->opp)) < 0) {
                    return rc;
                }
                done = 1;
            }
        }
        if (!done && (rc = cand_push(w, v, lo + t)) < 0) {
            return rc;
        }
    }
    return 0;
}

static void *worker_run(void *arg)
{
    worker *w = arg;
    job *j = w->j;
    int rc = 0;
    for (uint64_t c = w->id; c < j->chunks && rc == 0; c += j->threads) {
        if (atomic_load_explicit(&j->stop, memory_order_relaxed)) {
            break;
        }
        uint64_t lo = c * j->chunk;
        size_t m = j->count - lo < j->chunk ? (size_t)(j->count - lo) : j->chunk;
        fill_chunk(j, lo, m, w->cur, w->obuf);
        for (size_t k = 0; k < j->np; k++) {
            pl_ufun_eval_many(j->uf[k], w->obuf, m, w->ubuf + k * j->chunk);
        }
        if (j->want_scan) {
            scan_chunk(w, lo, m);
        }
        if (j->want_front) {
            rc = j->np == 2 ? front_chunk2(w, lo, m) : front_chunkn(w, lo, m);
        }
    }
    if (rc == 0 && j->want_front) {
        rc = merge(w);
    }
    if (rc < 0) {
        w->rc = rc;
        atomic_store(&j->stop, 1);
    }
    return NULL;
}

/* ---- Driver ---- */

static void worker_free(worker *w)
{
    pl__free(w->obuf);
    pl__free(w->cur);
    pl__free(w->ubuf);
    pl__free(w->v);
    front_free(&w->f);
    front_free(&w->g);
    pl__free(w->cu);
    pl__free(w->cidx);
    pl__free(w->perm);
    pl__free(w->ptmp);
    pl__free(w->thr);
    pl__free(w->best_u);
    pl__free(w->worst_u);
    pl__free(w->best_i);
    pl__free(w->worst_i);
}

static int worker_init(worker *w, job *j, unsigned id)
{
    size_t np = j->np;
    w->j = j;
    w->id = id;
    w->obuf = pl__malloc((j->chunk * j->ni + ROW_PAD) * sizeof *w->obuf);
    w->cur = pl__calloc(j->ni > ROW_PAD ? j->ni : ROW_PAD, sizeof *w->cur);
    w->ubuf = pl__malloc(j->chunk * np * sizeof *w->ubuf);
    w->v = pl__malloc(np * sizeof *w->v);
    w->best_u = pl__malloc(np * sizeof *w->best_u);
    w->worst_u = pl__malloc(np * sizeof *w->worst_u);
    w->best_i = pl__malloc(np * sizeof *w->best_i);
    w->worst_i = pl__malloc(np * sizeof *w->worst_i);
    size_t nthr = np == 2 ? FILTER_BUCKETS - 1 : (np == 3 ? (GRID - 1) * (GRID - 1) : 0);
    if (j->want_front && nthr) {
        w->thr = pl__malloc(nthr * sizeof *w->thr);
    }
    if (!w->obuf || !w->cur || !w->ubuf || !w->v || !w->best_u || !w->worst_u || !w->best_i || !w->worst_i ||
        (j->want_front && nthr && !w->thr)) {
        return PL_ENOMEM;
    }
    for (size_t k = 0; k < np; k++) {
        w->best_u[k] = -INFINITY;
        w->worst_u[k] = INFINITY;
        w->best_i[k] = UINT64_MAX;
        w->worst_i[k] = UINT64_MAX;
    }
    for (size_t b = 0; w->thr && b < nthr; b++) {
        w->thr[b] = -INFINITY;
    }
    return 0;
}

/* Is (u, i) a better pick than (bu, bi) for the best (sign 1) or worst (sign -1)? Ties go to the smaller index. */
static int better(double u, uint64_t i, double bu, uint64_t bi, int sign)
{
    if (i == UINT64_MAX) {
        return 0;
    }
    if (bi == UINT64_MAX) {
        return 1;
    }
    if (u != bu) {
        return sign > 0 ? u > bu : u < bu;
    }
    return i < bi;
}

/* Combine the workers' scans into scan (allocating its arrays; nothing is written on failure). */
static int scan_collect(const job *j, worker *ws, unsigned nt, pl__scan *scan)
{
    size_t np = j->np, ni = j->ni ? j->ni : 1;
    uint32_t *best = pl__malloc(np * ni * sizeof *best), *worst = pl__malloc(np * ni * sizeof *worst);
    double *best_u = pl__malloc(np * sizeof *best_u), *worst_u = pl__malloc(np * sizeof *worst_u);
    if (!best || !worst || !best_u || !worst_u) {
        pl__free(best);
        pl__free(worst);
        pl__free(best_u);
        pl__free(worst_u);
        return PL_ENOMEM;
    }
    uint64_t zopa = 0;
    for (unsigned t = 0; t < nt; t++) {
        zopa += ws[t].zopa;
    }
    for (size_t k = 0; k < np; k++) {
        double bu = -INFINITY, wu = INFINITY;
        uint64_t bi = UINT64_MAX, wi = UINT64_MAX;
        for (unsigned t = 0; t < nt; t++) {
            if (better(ws[t].best_u[k], ws[t].best_i[k], bu, bi, 1)) {
                bu = ws[t].best_u[k];
                bi = ws[t].best_i[k];
            }
            if (better(ws[t].worst_u[k], ws[t].worst_i[k], wu, wi, -1)) {
                wu = ws[t].worst_u[k];
                wi = ws[t].worst_i[k];
            }
        }
        /* Only NaN utilities leave no pick; fall back to the first outcome rather than fail. */
        if (bi == UINT64_MAX) {
            bi = 0;
            bu = NAN;
        }
        if (wi == UINT64_MAX) {
            wi = 0;
            wu = NAN;
        }
        memset(best + k * ni, 0, ni * sizeof *best);
        memset(worst + k * ni, 0, ni * sizeof *worst);
        pl_space_outcome_at(j->space, bi, best + k * ni);
        pl_space_outcome_at(j->space, wi, worst + k * ni);
        best_u[k] = bu;
        worst_u[k] = wu;
    }
    scan->zopa_known = 1;
    scan->zopa = zopa;
    scan->extremes_known = 1;
    scan->best = best;
    scan->worst = worst;
    scan->best_u = best_u;
    scan->worst_u = worst_u;
    return 0;
}

/* Hand the workers' frontiers to the builder: stored outcomes one by one, the rest of each group as a count. */
static int feed_builder(const job *j, worker *ws, unsigned nt, pl__fb *fb)
{
    size_t np = j->np, ni = j->ni;
    uint32_t *o = pl__malloc((ni ? ni : 1) * sizeof *o);
    if (!o) {
        return PL_ENOMEM;
    }
    int rc = 0;
    for (unsigned t = 0; t < nt && rc == 0; t++) {
        front *f = &ws[t].f;
        for (size_t k = 0; k < f->n && rc == 0; k++) {
            const double *u = f->u + k * np;
            for (uint32_t s = 0; s < f->nst[k] && rc == 0; s++) {
                pl_space_outcome_at(j->space, s == 0 ? f->first[k] : f->more[k][s - 1], o);
                rc = pl__fb_add(fb, u, o, 1);
            }
            if (rc == 0 && f->total[k] > f->nst[k]) {
                rc = pl__fb_add(fb, u, NULL, f->total[k] - f->nst[k]);
            }
        }
        /* This worker's share is in the builder now: release it before the next one's is copied. */
        front_free(f);
    }
    pl__free(o);
    return rc;
}

/* Run the workers over the whole space; fills fb (when not NULL) and scan (when not NULL). */
static int run(const pl_scenario *sc, const size_t *parties, size_t np, unsigned threads,
               const pl_analysis_options *o, pl__fb *fb, pl__scan *scan, pl_diag *d)
{
    const pl_space *s = pl_scenario_space(sc);
    job j;
    memset(&j, 0, sizeof j);
    if (pl_space_outcome_count(s, &j.count) < 0) {
        return pl__diag_set(d, PL_ERANGE, NULL, 0, 0, "the space has about 10^%.1f outcomes: too many to enumerate",
                            pl_space_log10_size(s));
    }
    if (np < 1) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "no parties to analyse");
    }
    j.space = s;
    j.np = np;
    j.ni = pl_space_issue_count(s);
    j.want_front = fb != NULL;
    j.want_scan = scan != NULL;
    j.opp = o && o->outcomes_per_point ? o->outcomes_per_point : 1;
    j.max_points = o ? o->max_points : UINT64_MAX;
    size_t per = CHUNK_BYTES / (4 * (j.ni ? j.ni : 1));
    j.chunk = per > CHUNK_MAX ? CHUNK_MAX : (per < CHUNK_MIN ? CHUNK_MIN : per);
    j.chunks = (j.count + j.chunk - 1) / j.chunk;
    unsigned nt = pl__threads(threads);
    if (nt > j.chunks) {
        nt = j.chunks ? (unsigned)j.chunks : 1;
    }
    j.threads = nt;
    atomic_init(&j.stop, 0);

    int rc = 0;
    worker *ws = pl__calloc(nt, sizeof *ws);
    pthread_t *tid = pl__calloc(nt, sizeof *tid);
    unsigned char *started = pl__calloc(nt, 1);
    j.uf = pl__malloc(np * sizeof *j.uf);
    j.res = pl__malloc(np * sizeof *j.res);
    j.radix = pl__malloc((j.ni ? j.ni : 1) * sizeof *j.radix);
    if (!ws || !tid || !started || !j.uf || !j.res || !j.radix) {
        rc = PL_ENOMEM;
        goto cleanup;
    }
    for (size_t k = 0; k < np; k++) {
        j.uf[k] = pl_scenario_ufun(sc, parties[k]);
        j.res[k] = pl_ufun_reservation(j.uf[k]);
    }
    for (size_t i = 0; i < j.ni; i++) {
        j.radix[i] = pl_space_value_count(s, i);
    }
    for (unsigned t = 0; t < nt; t++) {
        if ((rc = worker_init(&ws[t], &j, t)) < 0) {
            goto cleanup;
        }
    }
    /* Worker 0 runs on the calling thread. A thread that cannot be created is no error: its share then runs here
     * too, after worker 0 (the result does not depend on who runs a share). */
    for (unsigned t = 1; t < nt; t++) {
        started[t] = pthread_create(&tid[t], NULL, worker_run, &ws[t]) == 0;
    }
    worker_run(&ws[0]);
    for (unsigned t = 1; t < nt; t++) {
        if (!started[t]) {
            worker_run(&ws[t]);
        }
    }
    for (unsigned t = 1; t < nt; t++) {
        if (started[t]) {
            pthread_join(tid[t], NULL);
        }
    }
    for (unsigned t = 0; t < nt && rc == 0; t++) {
        rc = ws[t].rc;
        if (rc == PL_ETOOBIG) {
            rc = pl__diag_set(d, rc, NULL, 0, 0,
                              "enumerate: %zu non-dominated points among a share of the outcomes, more than the "
                              "limit of %llu (max_points)",
                              ws[t].too_many, (unsigned long long)j.max_points);
            goto cleanup;
        }
    }
    if (rc < 0) {
        goto cleanup;
    }
    if (fb && (rc = feed_builder(&j, ws, nt, fb)) < 0) {
        if (rc == PL_ETOOBIG) {
            rc = pl__diag_set(d, rc, NULL, 0, 0, "enumerate: the frontier has more than %llu points (max_points)",
                              (unsigned long long)j.max_points);
        }
        goto cleanup;
    }
    if (scan && (rc = scan_collect(&j, ws, nt, scan)) < 0) {
        goto cleanup;
    }

cleanup:
    if (rc == PL_ENOMEM) {
        rc = pl__diag_set(d, rc, NULL, 0, 0, "out of memory");
    }
    for (unsigned t = 0; ws && t < nt; t++) {
        worker_free(&ws[t]);
    }
    pl__free(ws);
    pl__free(tid);
    pl__free(started);
    pl__free(j.uf);
    pl__free(j.res);
    pl__free(j.radix);
    return rc;
}

int pl__pareto_enumerate(const pl_scenario *sc, const size_t *parties, size_t np, const pl_analysis_options *o,
                         pl__fb *fb, pl__scan *scan, pl_diag *d)
{
    return run(sc, parties, np, o->threads, o, fb, scan, d);
}

int pl__scan_space(const pl_scenario *sc, const size_t *parties, size_t np, unsigned threads, pl__scan *scan,
                   pl_diag *d)
{
    return run(sc, parties, np, threads, NULL, NULL, scan, d);
}
