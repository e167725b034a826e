/* Best-effort Pareto frontier for spaces too large to enumerate, for any utility function: randomised local search
 * under a series of scalarisations. First weighted sums over a simplex grid of party weightings; then (2 parties)
 * epsilon-constraint problems, "maximise party b while party a stays above t", aimed at the gaps between
 * consecutive points found so far, which no weighted sum reaches on non-convex parts of the frontier. Every outcome
 * evaluated on the way feeds a non-dominated archive, and the archive is the result (labelled approximate by the
 * caller).
 * Neighbourhoods: one issue set to any of its values (coordinate ascent) and, for hyper-rectangle parties, a move
 * into one rectangle (each violated issue set to its nearest value inside). The second matters: a rectangle bounds
 * several issues, so a single-issue move rarely enters it and coordinate ascent alone stalls on the flat plateaus
 * of such functions. Starts and kicks likewise draw outcomes inside random rectangles.
 * Deterministic: single-threaded, and every random choice comes from one xoshiro256** generator seeded (through
 * splitmix64) from o->seed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"

/* Bounds on the work, so a pathological function cannot make one climb or the gap phase run away. */
#define SWEEPS_MAX 1000u   /* improving sweeps per climb */
#define KICKS 3u           /* perturb-and-climb attempts after each restart's first climb */
#define WEIGHTINGS_MAX 21u /* simplex grid size target */
#define GAP_ROUNDS_MAX 8u  /* re-examinations of the archive's gaps */
#define GAP_GOALS_MAX 512u /* epsilon-constraint problems in all (2 parties) */
#define EPS_LEVELS 9u      /* thresholds per ordered pair of parties (3 or more parties) */
#define EPS_PAIRS_MAX 12u

/* ---- Random numbers: xoshiro256** seeded by splitmix64 ---- */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
    /* splitmix64 never yields four zero words from one stream, which xoshiro could not leave. */
    for (int k = 0; k < 4; k++) {
        r->s[k] = splitmix64(&seed);
    }
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n), n >= 1: draws past the last whole multiple of n are rejected so no value is favoured. */
static uint32_t rng_below(rng *r, uint32_t n)
{
    uint64_t lim = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
        x = rng_next(r);
    } while (x >= lim);
    return (uint32_t)(x % n);
}

/* ---- The archive: non-dominated vectors found so far, each with the smallest distinct outcomes reaching it ---- */

typedef struct apoint {
    uint32_t *o; /* n outcomes, ni indices each, ascending lexicographically */
    uint32_t n, alloc;
} apoint;

typedef struct archive {
    size_t np, ni;
    uint32_t cap;
    size_t n, alloc;
    double *u;  /* n * np; with 2 parties ordered by u[0] descending, hence u[1] ascending */
    apoint *pt; /* n */
} archive;

static int lex_cmp(const uint32_t *a, const uint32_t *b, size_t ni)
{
    for (size_t i = 0; i < ni; i++) {
        if (a[i] != b[i]) {
            return a[i] < b[i] ? -1 : 1;
        }
    }
    return 0;
}

static void archive_destroy(archive *ar)
{
    for (size_t k = 0; k < ar->n; k++) {
        free(ar->pt[k].o);
    }
    free(ar->u);
    free(ar->pt);
}

/* Keep x among the point's outcomes if it is new and among the cap smallest: the builder keeps the first
 * outcomes_per_point in lexicographic order, so smaller ones are the ones worth holding. */
static int apoint_add(const archive *ar, apoint *p, const uint32_t *x)
{
    size_t ni = ar->ni;
    uint32_t lo = 0, hi = p->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = lex_cmp(p->o + (size_t)mid * ni, x, ni);
        if (c == 0) {
            return 0;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo >= ar->cap) {
        return 0;
    }
    if (p->n == ar->cap) {
        p->n--;
    }
    if (p->n == p->alloc) {
        uint32_t a = p->alloc ? 2 * p->alloc : 1;
        a = a > ar->cap ? ar->cap : a;
        uint32_t *o = realloc(p->o, (size_t)a * (ni ? ni : 1) * sizeof *o);
        if (!o) {
            return PL_ENOMEM;
        }
        p->o = o;
        p->alloc = a;
    }
    memmove(p->o + (size_t)(lo + 1) * ni, p->o + (size_t)lo * ni, (size_t)(p->n - lo) * ni * sizeof *p->o);
    memcpy(p->o + (size_t)lo * ni, x, ni * sizeof *x);
    p->n++;
    return 0;
}

/* Room for one more point; slot `at` opened by shifting the tail. */
static int archive_insert_slot(archive *ar, size_t at)
{
    if (ar->n == ar->alloc) {
        size_t a = ar->alloc ? 2 * ar->alloc : 64;
        double *u = realloc(ar->u, a * ar->np * sizeof *u);
        if (!u) {
            return PL_ENOMEM;
        }
        ar->u = u;
        apoint *pt = realloc(ar->pt, a * sizeof *pt);
        if (!pt) {
            return PL_ENOMEM;
        }
        ar->pt = pt;
        ar->alloc = a;
    }
    memmove(ar->u + (at + 1) * ar->np, ar->u + at * ar->np, (ar->n - at) * ar->np * sizeof *ar->u);
    memmove(ar->pt + at + 1, ar->pt + at, (ar->n - at) * sizeof *ar->pt);
    memset(&ar->pt[at], 0, sizeof ar->pt[at]);
    ar->n++;
    return 0;
}

/* Two parties: binary search in the staircase. */
static int archive_add2(archive *ar, const double *u, const uint32_t *x)
{
    /* lo: the first point whose u[0] is not above u's. Branch-free halving: every evaluated outcome comes here, and
     * the branches of a plain binary search mispredict about half the time. */
    size_t lo = 0;
    if (ar->n > 0) {
        size_t len = ar->n;
        while (len > 1) {
            size_t half = len / 2;
            lo += ar->u[(lo + half) * 2] > u[0] ? half : 0;
            len -= half;
        }
        lo += ar->u[lo * 2] > u[0];
    }
    /* Points before lo have a larger u[0]; the last of them has the largest u[1] among them. */
    if (lo > 0 && ar->u[(lo - 1) * 2 + 1] >= u[1]) {
        return 0;
    }
    if (lo < ar->n && ar->u[lo * 2] == u[0]) {
        if (ar->u[lo * 2 + 1] == u[1]) {
            return apoint_add(ar, &ar->pt[lo], x);
        }
        if (ar->u[lo * 2 + 1] > u[1]) {
            return 0;
        }
    }
    /* u is new and non-dominated; it dominates the run from lo whose u[1] does not exceed its own. */
    size_t e = lo;
    while (e < ar->n && ar->u[e * 2 + 1] <= u[1]) {
        free(ar->pt[e].o);
        e++;
    }
    if (e > lo) {
        size_t gone = e - lo - 1;
        memmove(ar->u + (lo + 1) * 2, ar->u + e * 2, (ar->n - e) * 2 * sizeof *ar->u);
        memmove(ar->pt + lo + 1, ar->pt + e, (ar->n - e) * sizeof *ar->pt);
        ar->n -= gone;
        memset(&ar->pt[lo], 0, sizeof ar->pt[lo]);
    } else if (archive_insert_slot(ar, lo) < 0) {
        return PL_ENOMEM;
    }
    ar->u[lo * 2] = u[0];
    ar->u[lo * 2 + 1] = u[1];
    return apoint_add(ar, &ar->pt[lo], x);
}

/* Any number of parties: a linear pass (the archive is unordered). */
static int archive_addn(archive *ar, const double *u, const uint32_t *x)
{
    size_t np = ar->np;
    for (size_t k = 0; k < ar->n; k++) {
        const double *a = ar->u + k * np;
        if (memcmp(a, u, np * sizeof *u) == 0) {
            return apoint_add(ar, &ar->pt[k], x);
        }
        if (pl__dominates(a, u, np)) {
            return 0;
        }
    }
    size_t m = 0;
    for (size_t k = 0; k < ar->n; k++) {
        if (pl__dominates(u, ar->u + k * np, np)) {
            free(ar->pt[k].o);
            continue;
        }
        if (m != k) {
            memcpy(ar->u + m * np, ar->u + k * np, np * sizeof *ar->u);
            ar->pt[m] = ar->pt[k];
        }
        m++;
    }
    ar->n = m;
    if (archive_insert_slot(ar, ar->n) < 0) {
        return PL_ENOMEM;
    }
    memcpy(ar->u + (ar->n - 1) * np, u, np * sizeof *u);
    return apoint_add(ar, &ar->pt[ar->n - 1], x);
}

/* ---- Rectangle moves ---- */

typedef struct rpart {
    uint32_t issue;
    uint32_t n;  /* allowed values: vals[off .. off + n), ascending */
    size_t off;
} rpart;

typedef struct rmove {
    size_t first, count; /* parts[first .. first + count) */
} rmove;

/* ---- The search state ---- */

typedef struct search {
    size_t np, ni;
    const pl_ufun **uf; /* np */
    uint32_t *nv;       /* ni: values per issue */
    rng r;
    archive ar;
    int err;

    /* Every party's best and worst outcome seen (smallest outcome among equal utilities). */
    int have_ext;
    uint32_t *best, *worst; /* np * ni */
    double *best_u, *worst_u;

    rpart *parts;
    size_t n_parts, alloc_parts;
    uint32_t *vals;
    size_t n_vals, alloc_vals;
    rmove *moves;
    size_t n_moves, alloc_moves;

    /* Scratch: outcomes of ni indices and vectors of np utilities. */
    uint32_t *x, *y, *yb, *z;
    double *ux, *uy, *ub, *uz;
} search;

typedef enum goal_kind {
    GOAL_WEIGHTED, /* maximise sum w_k u_k, then sum u_k */
    GOAL_EPS,      /* u_a >= t first; then maximise u_b, then sum u_k; below t, maximise u_a */
    GOAL_MIN       /* minimise u_a */
} goal_kind;

typedef struct goal {
    goal_kind kind;
    const double *w;
    size_t a, b;
    double t;
} goal;

/* Compared lexicographically: tier, then p, then q. */
typedef struct score {
    int tier;
    double p, q;
} score;

static int better(score x, score y)
{
    if (x.tier != y.tier) {
        return x.tier > y.tier;
    }
    if (x.p != y.p) {
        return x.p > y.p;
    }
    return x.q > y.q;
}

static score score_of(const search *S, const goal *g, const double *u)
{
    score s = {0, 0, 0};
    double sum = 0;
    for (size_t k = 0; k < S->np; k++) {
        sum += u[k];
    }
    switch (g->kind) {
    case GOAL_WEIGHTED:
        for (size_t k = 0; k < S->np; k++) {
            s.p += g->w[k] * u[k];
        }
        /* The sum breaks ties, so a weighting that ignores a party still prefers the vector better for it. */
        s.q = sum;
        break;
    case GOAL_EPS:
        if (u[g->a] >= g->t) {
            s.tier = 1;
            s.p = u[g->b];
            s.q = sum;
        } else {
            /* Infeasible: head for the constraint. */
            s.p = u[g->a];
            s.q = u[g->b];
        }
        break;
    case GOAL_MIN:
        s.p = -u[g->a];
        break;
    }
    return s;
}

static void eval(search *S, const uint32_t *x, double *u)
{
    size_t np = S->np, ni = S->ni;
    for (size_t k = 0; k < np; k++) {
        u[k] = pl_ufun_eval(S->uf[k], x);
    }
    if (!S->err) {
        int rc = np == 2 ? archive_add2(&S->ar, u, x) : archive_addn(&S->ar, u, x);
        if (rc < 0) {
            S->err = rc;
        }
    }
    for (size_t k = 0; k < np; k++) {
        uint32_t *b = S->best + k * ni, *w = S->worst + k * ni;
        if (!S->have_ext || u[k] > S->best_u[k] || (u[k] == S->best_u[k] && lex_cmp(x, b, ni) < 0)) {
            S->best_u[k] = u[k];
            memcpy(b, x, ni * sizeof *x);
        }
        if (!S->have_ext || u[k] < S->worst_u[k] || (u[k] == S->worst_u[k] && lex_cmp(x, w, ni) < 0)) {
            S->worst_u[k] = u[k];
            memcpy(w, x, ni * sizeof *x);
        }
    }
    S->have_ext = 1;
}

/* Append the moves of one hyper-rectangle function: per rectangle, the values each bounded issue allows. Rectangles
 * nothing satisfies, and those everything satisfies, give no move. */
static int add_rect_moves(search *S, const pl_ufun *u)
{
    size_t nr = pl_ufun_rect_count(u);
    for (size_t r = 0; r < nr; r++) {
        size_t nb;
        const pl_rect_bound *b = pl_ufun_rect_bounds(u, r, &nb);
        size_t parts0 = S->n_parts, vals0 = S->n_vals;
        int empty = 0;
        for (size_t k = 0; k < nb && !empty; k++) {
            uint32_t i = b[k].issue;
            int seen = 0;
            for (size_t j = 0; j < k && !seen; j++) {
                seen = b[j].issue == i;
            }
            if (seen) {
                continue;
            }
            if (S->n_parts == S->alloc_parts) {
                size_t a = S->alloc_parts ? 2 * S->alloc_parts : 64;
                rpart *p = realloc(S->parts, a * sizeof *p);
                if (!p) {
                    return PL_ENOMEM;
                }
                S->parts = p;
                S->alloc_parts = a;
            }
            rpart *part = &S->parts[S->n_parts++];
            part->issue = i;
            part->off = S->n_vals;
            part->n = 0;
            for (uint32_t v = 0; v < S->nv[i]; v++) {
                int ok = 1;
                for (size_t j = k; j < nb && ok; j++) {
                    if (b[j].issue == i) {
                        int in = v >= b[j].lo && v <= b[j].hi;
                        ok = in != !!b[j].exclude;
                    }
                }
                if (!ok) {
                    continue;
                }
                if (S->n_vals == S->alloc_vals) {
                    size_t a = S->alloc_vals ? 2 * S->alloc_vals : 256;
                    uint32_t *vv = realloc(S->vals, a * sizeof *vv);
                    if (!vv) {
                        return PL_ENOMEM;
                    }
                    S->vals = vv;
                    S->alloc_vals = a;
                }
                S->vals[S->n_vals++] = v;
                part->n++;
            }
            empty = part->n == 0;
        }
        if (empty || S->n_parts == parts0) {
            S->n_parts = parts0;
            S->n_vals = vals0;
            continue;
        }
        if (S->n_moves == S->alloc_moves) {
            size_t a = S->alloc_moves ? 2 * S->alloc_moves : 32;
            rmove *m = realloc(S->moves, a * sizeof *m);
            if (!m) {
                return PL_ENOMEM;
            }
            S->moves = m;
            S->alloc_moves = a;
        }
        S->moves[S->n_moves].first = parts0;
        S->moves[S->n_moves].count = S->n_parts - parts0;
        S->n_moves++;
    }
    return 0;
}

/* Put x inside move m's rectangle: each violated issue gets its nearest allowed value (keeping x inside the other
 * intervals it sits in, as far as possible) or, with random set, a random allowed one. Returns the issues changed. */
static size_t force(search *S, size_t m, uint32_t *x, int random)
{
    size_t changed = 0;
    const rmove *mv = &S->moves[m];
    for (size_t k = mv->first; k < mv->first + mv->count; k++) {
        const rpart *p = &S->parts[k];
        const uint32_t *v = S->vals + p->off;
        uint32_t cur = x[p->issue];
        uint32_t lo = 0, hi = p->n;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (v[mid] < cur) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo < p->n && v[lo] == cur) {
            continue;
        }
        if (random) {
            x[p->issue] = v[rng_below(&S->r, p->n)];
        } else if (lo == p->n || (lo > 0 && cur - v[lo - 1] <= v[lo] - cur)) {
            x[p->issue] = v[lo - 1];
        } else {
            x[p->issue] = v[lo];
        }
        changed++;
    }
    return changed;
}

/* Steepest-in-turn ascent: every issue to its best value, then the best rectangle move, until nothing improves.
 * ux holds x's utilities on entry and on return. */
static score climb(search *S, const goal *g, uint32_t *x, double *ux)
{
    size_t ni = S->ni, np = S->np;
    score cur = score_of(S, g, ux);
    for (unsigned sweep = 0; sweep < SWEEPS_MAX && !S->err; sweep++) {
        int improved = 0;
        for (size_t i = 0; i < ni; i++) {
            uint32_t keep = x[i], bestv = keep;
            score bs = cur;
            for (uint32_t v = 0; v < S->nv[i]; v++) {
                if (v == keep) {
                    continue;
                }
                x[i] = v;
                eval(S, x, S->uy);
                score sc = score_of(S, g, S->uy);
                if (better(sc, bs)) {
                    bs = sc;
                    bestv = v;
                    memcpy(S->ub, S->uy, np * sizeof *S->ub);
                }
            }
            x[i] = bestv;
            if (bestv != keep) {
                cur = bs;
                memcpy(ux, S->ub, np * sizeof *ux);
                improved = 1;
            }
        }
        int found = 0;
        score bs = cur;
        for (size_t m = 0; m < S->n_moves; m++) {
            memcpy(S->y, x, ni * sizeof *x);
            if (force(S, m, S->y, 0) == 0) {
                continue;
            }
            eval(S, S->y, S->uy);
            score sc = score_of(S, g, S->uy);
            if (better(sc, bs)) {
                bs = sc;
                found = 1;
                memcpy(S->yb, S->y, ni * sizeof *x);
                memcpy(S->ub, S->uy, np * sizeof *S->ub);
            }
        }
        if (found) {
            cur = bs;
            memcpy(x, S->yb, ni * sizeof *x);
            memcpy(ux, S->ub, np * sizeof *ux);
            improved = 1;
        }
        if (!improved) {
            break;
        }
    }
    return cur;
}

static void random_outcome(search *S, uint32_t *x)
{
    for (size_t i = 0; i < S->ni; i++) {
        x[i] = rng_below(&S->r, S->nv[i]);
    }
}

/* A start: uniform, or (half the time, when there are rectangles) inside a random rectangle, since uniform
 * outcomes of a large space almost never satisfy one. */
static void random_start(search *S, uint32_t *x)
{
    random_outcome(S, x);
    if (S->n_moves > 0 && (rng_next(&S->r) >> 63)) {
        force(S, rng_below(&S->r, (uint32_t)S->n_moves), x, 1);
    }
}

/* A perturbation: into a random rectangle with random values, or one to three issues redrawn. */
static void kick(search *S, uint32_t *x)
{
    if (S->ni == 0) {
        return;
    }
    if (S->n_moves > 0 && (rng_next(&S->r) >> 63)) {
        force(S, rng_below(&S->r, (uint32_t)S->n_moves), x, 1);
        return;
    }
    uint32_t changes = 1 + rng_below(&S->r, S->ni < 3 ? (uint32_t)S->ni : 3);
    for (uint32_t c = 0; c < changes; c++) {
        size_t i = rng_below(&S->r, (uint32_t)S->ni);
        x[i] = rng_below(&S->r, S->nv[i]);
    }
}

/* restarts climbs (plus kicks) for goal g; the first n_seeds start from seeds (n_seeds * ni), the rest at random. */
static int run_goal(search *S, const goal *g, unsigned restarts, const uint32_t *seeds, size_t n_seeds)
{
    size_t ni = S->ni, np = S->np;
    for (unsigned r = 0; r < restarts && !S->err; r++) {
        if (r < n_seeds) {
            memcpy(S->x, seeds + r * ni, ni * sizeof *S->x);
        } else {
            random_start(S, S->x);
        }
        eval(S, S->x, S->ux);
        score cur = climb(S, g, S->x, S->ux);
        for (unsigned k = 0; k < KICKS && !S->err; k++) {
            memcpy(S->z, S->x, ni * sizeof *S->z);
            kick(S, S->z);
            eval(S, S->z, S->uz);
            score sc = climb(S, g, S->z, S->uz);
            /* Continue from the better of the two, so kicks accumulate like an iterated local search. */
            if (better(sc, cur)) {
                cur = sc;
                memcpy(S->x, S->z, ni * sizeof *S->x);
                memcpy(S->ux, S->uz, np * sizeof *S->ux);
            }
        }
    }
    return S->err;
}

/* The weightings: a simplex grid with h steps, h the largest giving at most WEIGHTINGS_MAX points (at least the np
 * corners). Returns the count; *out is count * np (caller frees); 0 on allocation failure. */
static size_t weightings(size_t np, double **out)
{
    size_t h = 1;
    for (size_t cand = 2; np > 1 && cand <= WEIGHTINGS_MAX; cand++) {
        /* C(cand + np - 1, np - 1), stopping once over the target. */
        double c = 1;
        for (size_t j = 1; j < np && c <= WEIGHTINGS_MAX; j++) {
            c = c * (double)(cand + j) / (double)j;
        }
        if (c > WEIGHTINGS_MAX) {
            break;
        }
        h = cand;
    }
    *out = NULL;
    size_t *c = calloc(np, sizeof *c);
    size_t n = 0, cap = 0;
    double *w = NULL;
    if (!c) {
        return 0;
    }
    /* Odometer over the first np - 1 parts, carrying as soon as their sum passes h (so only the
     * C(h + np - 1, np - 1) valid compositions are visited); the last part takes the rest. */
    size_t sum = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            double *nw = realloc(w, cap * np * sizeof *nw);
            if (!nw) {
                free(w);
                free(c);
                return 0;
            }
            w = nw;
        }
        for (size_t k = 0; k + 1 < np; k++) {
            w[n * np + k] = (double)c[k] / (double)h;
        }
        w[n * np + np - 1] = (double)(h - sum) / (double)h;
        n++;
        size_t k = 0;
        for (;;) {
            if (k + 1 >= np) {
                free(c);
                *out = w;
                return n;
            }
            c[k]++;
            sum++;
            if (sum <= h) {
                break;
            }
            sum -= c[k];
            c[k] = 0;
            k++;
        }
    }
}

/* Epsilon-constraint problems over the gaps between consecutive archive points (2 parties). A gap between q (higher
 * u0) and p (higher u1) can hold points with u0 in (p0, q0) and u1 in (q1, p1): maximise u1 with u0 > p0, and u0
 * with u1 > q1, each seeded from both neighbours. Repeated while new gaps appear. The two ends are refined too. */

/* A gap by its neighbours' vectors (q then p; a missing end neighbour is +inf, -inf), so a gap whose neighbours did
 * not change since it was examined is not examined again. */
typedef struct gapkey {
    double v[4];
} gapkey;

static int gapkey_cmp(const void *a, const void *b)
{
    const gapkey *x = a, *y = b;
    for (int c = 0; c < 4; c++) {
        if (x->v[c] != y->v[c]) {
            return x->v[c] < y->v[c] ? -1 : 1;
        }
    }
    return 0;
}

static int gap_phase(search *S, unsigned restarts, unsigned goals_max)
{
    size_t ni = S->ni;
    gapkey *done = NULL, *fresh_keys = NULL;
    size_t n_done = 0;
    unsigned goals_run = 0;
    double *u = NULL;
    uint32_t *o = NULL;
    size_t *todo = NULL;
    uint32_t *seeds = malloc(2 * (ni ? ni : 1) * sizeof *seeds);
    int rc = seeds ? 0 : PL_ENOMEM;
    for (unsigned round = 0; round < GAP_ROUNDS_MAX && rc == 0 && goals_run + 2 <= goals_max; round++) {
        /* Snapshot: the archive changes while the problems run. */
        size_t n = S->ar.n;
        free(u);
        free(o);
        free(todo);
        free(fresh_keys);
        u = malloc((n ? n : 1) * 2 * sizeof *u);
        o = malloc((n ? n : 1) * (ni ? ni : 1) * sizeof *o);
        todo = malloc((n + 1) * sizeof *todo);
        fresh_keys = malloc((n + 1) * sizeof *fresh_keys);
        if (!u || !o || !todo || !fresh_keys) {
            rc = PL_ENOMEM;
            break;
        }
        memcpy(u, S->ar.u, n * 2 * sizeof *u);
        for (size_t k = 0; k < n; k++) {
            memcpy(o + k * ni, S->ar.pt[k].o, ni * sizeof *o);
        }
        /* Gaps j = 0 .. n (0 and n: beyond the ends) not examined before with the same neighbours. */
        size_t fresh = 0;
        for (size_t j = 0; j <= n && n > 0; j++) {
            gapkey key = {{INFINITY, INFINITY, -INFINITY, -INFINITY}};
            if (j > 0) {
                key.v[0] = u[(j - 1) * 2];
                key.v[1] = u[(j - 1) * 2 + 1];
            }
            if (j < n) {
                key.v[2] = u[j * 2];
                key.v[3] = u[j * 2 + 1];
            }
            if (n_done > 0 && bsearch(&key, done, n_done, sizeof *done, gapkey_cmp)) {
                continue;
            }
            fresh_keys[fresh] = key;
            todo[fresh++] = j;
        }
        if (fresh == 0) {
            break;
        }
        gapkey *nd = realloc(done, (n_done + fresh) * sizeof *nd);
        if (!nd) {
            rc = PL_ENOMEM;
            break;
        }
        done = nd;
        memcpy(done + n_done, fresh_keys, fresh * sizeof *done);
        n_done += fresh;
        qsort(done, n_done, sizeof *done, gapkey_cmp);
        /* Past the budget, spread what is left evenly over the frontier (the rest is not revisited). */
        size_t budget = (goals_max - goals_run) / 2;
        size_t take = fresh < budget ? fresh : budget;
        for (size_t t = 0; t < take && rc == 0; t++) {
            size_t j = todo[t * fresh / take];
            goal g = {GOAL_EPS, NULL, 0, 1, 0};
            size_t ns = 0;
            /* q = point j - 1 (higher u0), p = point j (higher u1). */
            if (j > 0) {
                memcpy(seeds + ns++ * ni, o + (j - 1) * ni, ni * sizeof *seeds);
            }
            if (j < n) {
                memcpy(seeds + ns++ * ni, o + j * ni, ni * sizeof *seeds);
            }
            /* Maximise u1 with u0 above p's (at the top end: at least q's, to improve q itself). */
            g.t = j < n ? nextafter(u[j * 2], INFINITY) : u[(j - 1) * 2];
            rc = run_goal(S, &g, restarts, seeds, ns);
            if (rc == 0) {
                /* Maximise u0 with u1 above q's (at the bottom end: at least p's). */
                g.a = 1;
                g.b = 0;
                g.t = j > 0 ? nextafter(u[(j - 1) * 2 + 1], INFINITY) : u[j * 2 + 1];
                rc = run_goal(S, &g, restarts, seeds, ns);
            }
            goals_run += 2;
        }
    }
    free(done);
    free(fresh_keys);
    free(todo);
    free(u);
    free(o);
    free(seeds);
    return rc;
}

/* Three or more parties: for ordered pairs (a, b), maximise u_b with u_a above thresholds spread over the range of
 * u_a in the archive, each seeded from the archive point best for b among those meeting the threshold. */
static int eps_grid_phase(search *S, unsigned restarts)
{
    size_t np = S->np, ni = S->ni;
    uint32_t *seed = malloc((ni ? ni : 1) * sizeof *seed);
    if (!seed) {
        return PL_ENOMEM;
    }
    int rc = 0;
    size_t pairs = 0;
    for (size_t a = 0; a < np && rc == 0; a++) {
        for (size_t b = 0; b < np && rc == 0 && pairs < EPS_PAIRS_MAX; b++) {
            if (a == b) {
                continue;
            }
            pairs++;
            for (unsigned level = 1; level <= EPS_LEVELS && rc == 0; level++) {
                if (S->ar.n == 0) {
                    break;
                }
                double lo = S->ar.u[a], hi = lo;
                for (size_t k = 1; k < S->ar.n; k++) {
                    double v = S->ar.u[k * np + a];
                    lo = v < lo ? v : lo;
                    hi = v > hi ? v : hi;
                }
                goal g = {GOAL_EPS, NULL, a, b, lo + (hi - lo) * level / (EPS_LEVELS + 1)};
                size_t pick = (size_t)-1;
                for (size_t k = 0; k < S->ar.n; k++) {
                    const double *v = S->ar.u + k * np;
                    if (v[a] >= g.t && (pick == (size_t)-1 || v[b] > S->ar.u[pick * np + b])) {
                        pick = k;
                    }
                }
                if (pick != (size_t)-1) {
                    memcpy(seed, S->ar.pt[pick].o, ni * sizeof *seed);
                }
                rc = run_goal(S, &g, restarts, seed, pick != (size_t)-1);
            }
        }
    }
    free(seed);
    return rc;
}

static void search_destroy(search *S)
{
    archive_destroy(&S->ar);
    free(S->uf);
    free(S->nv);
    free(S->best);
    free(S->worst);
    free(S->best_u);
    free(S->worst_u);
    free(S->parts);
    free(S->vals);
    free(S->moves);
    free(S->x);
    free(S->y);
    free(S->yb);
    free(S->z);
    free(S->ux);
    free(S->uy);
    free(S->ub);
    free(S->uz);
}

int pl__pareto_search(const pl_scenario *sc, const size_t *parties, size_t np, const pl_analysis_options *o,
                      pl__fb *fb, pl__scan *scan, pl_diag *d)
{
    const pl_space *s = pl_scenario_space(sc);
    search S;
    memset(&S, 0, sizeof S);
    S.np = np;
    S.ni = pl_space_issue_count(s);
    size_t ni1 = S.ni ? S.ni : 1;
    S.ar.np = np;
    S.ar.ni = S.ni;
    S.ar.cap = o->outcomes_per_point ? o->outcomes_per_point : 1;
    rng_seed(&S.r, o->seed);
    unsigned restarts = o->search_restarts ? o->search_restarts : 1;
    /* Gap and threshold problems start next to a known point, so fewer restarts do. */
    unsigned eps_restarts = restarts / 8 ? restarts / 8 : 1;
    double *w = NULL;
    int rc = 0;

    S.uf = malloc(np * sizeof *S.uf);
    S.nv = malloc(ni1 * sizeof *S.nv);
    S.best = malloc(np * ni1 * sizeof *S.best);
    S.worst = malloc(np * ni1 * sizeof *S.worst);
    S.best_u = malloc(np * sizeof *S.best_u);
    S.worst_u = malloc(np * sizeof *S.worst_u);
    S.x = calloc(ni1, sizeof *S.x);
    S.y = calloc(ni1, sizeof *S.y);
    S.yb = calloc(ni1, sizeof *S.yb);
    S.z = calloc(ni1, sizeof *S.z);
    S.ux = malloc(np * sizeof *S.ux);
    S.uy = malloc(np * sizeof *S.uy);
    S.ub = malloc(np * sizeof *S.ub);
    S.uz = malloc(np * sizeof *S.uz);
    if (!S.uf || !S.nv || !S.best || !S.worst || !S.best_u || !S.worst_u || !S.x || !S.y || !S.yb || !S.z ||
        !S.ux || !S.uy || !S.ub || !S.uz) {
        rc = PL_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < S.ni; i++) {
        S.nv[i] = pl_space_value_count(s, i);
    }
    for (size_t k = 0; k < np; k++) {
        S.uf[k] = pl_scenario_ufun(sc, parties[k]);
        if (pl_ufun_kind_of(S.uf[k]) == PL_UFUN_RECT) {
            PL_TRY(add_rect_moves(&S, S.uf[k]));
        }
    }

    size_t nw = weightings(np, &w);
    if (nw == 0) {
        rc = PL_ENOMEM;
        goto cleanup;
    }
    for (size_t q = 0; q < nw; q++) {
        goal g = {GOAL_WEIGHTED, w + q * np, 0, 0, 0};
        PL_TRY(run_goal(&S, &g, restarts, NULL, 0));
    }
    if (np == 2) {
        /* At most as many restarts as the weighted phase had: large frontiers have many gaps. */
        uint64_t cap = (uint64_t)nw * restarts / eps_restarts;
        PL_TRY(gap_phase(&S, eps_restarts, cap < GAP_GOALS_MAX ? (unsigned)cap : GAP_GOALS_MAX));
    } else if (np > 2) {
        PL_TRY(eps_grid_phase(&S, eps_restarts));
    }
    if (scan) {
        /* The best outcomes come from the corner weightings; the worst need their own descent. */
        for (size_t k = 0; k < np; k++) {
            goal g = {GOAL_MIN, NULL, k, 0, 0};
            PL_TRY(run_goal(&S, &g, eps_restarts, S.worst + k * S.ni, 1));
        }
    }

    for (size_t k = 0; k < S.ar.n; k++) {
        for (uint32_t j = 0; j < S.ar.pt[k].n; j++) {
            PL_TRY(pl__fb_add(fb, S.ar.u + k * np, S.ar.pt[k].o + (size_t)j * S.ni, 1));
        }
    }
    if (scan) {
        scan->extremes_known = 1;
        scan->zopa_known = 0;
        scan->zopa = 0;
        scan->best = S.best;
        scan->worst = S.worst;
        scan->best_u = S.best_u;
        scan->worst_u = S.worst_u;
        S.best = S.worst = NULL;
        S.best_u = S.worst_u = NULL;
    }

cleanup:
    free(w);
    search_destroy(&S);
    if (rc == PL_ETOOBIG) {
        /* The caller words this one (the frontier is over its point limit). */
        return rc;
    }
    if (rc < 0) {
        return pl__diag_set(d, rc, NULL, 0, 0, "search: %s", pl_strerror(rc));
    }
    return 0;
}
