/* The frontier candidate builder every algorithm feeds: candidates (utility vector, outcome, multiplicity) are sorted,
 * equal vectors grouped (multiplicities summed, the first `cap` outcomes kept in lexicographic order), dominated
 * vectors dropped, and the points ordered (first party's utility descending, then the next...). Candidates are sorted
 * before anything is kept or dropped, so the frontier does not depend on the order they were added in (nor on the
 * thread count of the algorithm that added them). */
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"

struct pl__fb {
    size_t np, ni;
    uint32_t cap;
    uint64_t max;
    size_t n, alloc;
    double *u;        /* n * np */
    uint32_t *o;      /* n * ni */
    unsigned char *has_o;
    uint64_t *mult;
};

pl__fb *pl__fb_new(size_t np, size_t ni, uint32_t cap, uint64_t max_candidates)
{
    pl__fb *fb = pl__calloc(1, sizeof *fb);
    if (fb) {
        fb->np = np;
        fb->ni = ni;
        fb->cap = cap ? cap : 1;
        fb->max = max_candidates;
    }
    return fb;
}

void pl__fb_free(pl__fb *fb)
{
    if (fb) {
        pl__free(fb->u);
        pl__free(fb->o);
        pl__free(fb->has_o);
        pl__free(fb->mult);
        pl__free(fb);
    }
}

size_t pl__fb_count(const pl__fb *fb)
{
    return fb->n;
}

static int fb_grow(pl__fb *fb, size_t need)
{
    if (need <= fb->alloc) {
        return 0;
    }
    if (need > fb->max) {
        return PL_ETOOBIG;
    }
    size_t a = fb->alloc ? fb->alloc : 1024;
    while (a < need) {
        a *= 2;
    }
    double *u = pl__realloc(fb->u, a * fb->np * sizeof *u);
    if (u) {
        fb->u = u;
    }
    uint32_t *o = pl__realloc(fb->o, a * (fb->ni ? fb->ni : 1) * sizeof *o);
    if (o) {
        fb->o = o;
    }
    unsigned char *h = pl__realloc(fb->has_o, a);
    if (h) {
        fb->has_o = h;
    }
    uint64_t *m = pl__realloc(fb->mult, a * sizeof *m);
    if (m) {
        fb->mult = m;
    }
    if (!u || !o || !h || !m) {
        return PL_ENOMEM;
    }
    fb->alloc = a;
    return 0;
}

int pl__fb_add(pl__fb *fb, const double *u, const uint32_t *outcome, uint64_t mult)
{
    int rc = fb_grow(fb, fb->n + 1);
    if (rc < 0) {
        /* Past the bound: compact first, then retry once. */
        if (rc == PL_ETOOBIG && (rc = pl__fb_compact(fb)) == 0) {
            rc = fb_grow(fb, fb->n + 1);
        }
        if (rc < 0) {
            return rc;
        }
    }
    size_t k = fb->n++;
    memcpy(fb->u + k * fb->np, u, fb->np * sizeof *u);
    fb->has_o[k] = outcome != NULL;
    if (outcome) {
        memcpy(fb->o + k * fb->ni, outcome, fb->ni * sizeof *outcome);
    }
    fb->mult[k] = mult;
    return 0;
}

/* Order: utilities descending (lexicographic), then stored outcomes before count-only entries, then outcomes
 * ascending (lexicographic on value indices = dense-index order). */
static int cmp_entries(const pl__fb *fb, size_t a, size_t b)
{
    const double *ua = fb->u + a * fb->np, *ub = fb->u + b * fb->np;
    for (size_t k = 0; k < fb->np; k++) {
        if (ua[k] != ub[k]) {
            return ua[k] > ub[k] ? -1 : 1;
        }
    }
    if (fb->has_o[a] != fb->has_o[b]) {
        return fb->has_o[a] ? -1 : 1;
    }
    if (fb->has_o[a]) {
        const uint32_t *oa = fb->o + a * fb->ni, *ob = fb->o + b * fb->ni;
        for (size_t i = 0; i < fb->ni; i++) {
            if (oa[i] != ob[i]) {
                return oa[i] < ob[i] ? -1 : 1;
            }
        }
    }
    return 0;
}

static int cmp_entries_ctx(const void *ctx, size_t a, size_t b)
{
    return cmp_entries(ctx, a, b);
}

static int same_vector(const pl__fb *fb, size_t a, size_t b)
{
    return memcmp(fb->u + a * fb->np, fb->u + b * fb->np, fb->np * sizeof(double)) == 0;
}

/* For 3 parties: every kept group precedes the current one in the sort, so it has u0 >= the current u0, and the
 * current vector is dominated iff some kept group has u1 >= and u2 >= it (equal vectors are grouped, so such a
 * group differs somewhere). That is a 2-D dominance query, answered by the staircase of the kept (u1, u2) pairs:
 * sorted by u1 descending with u2 ascending, the entry with the smallest u1 >= x has the largest u2 among them. */
typedef struct stair {
    double *p; /* pairs (u1, u2) */
    size_t n, cap;
} stair;

/* Entries with u1 >= x form a prefix; its length. */
static size_t stair_prefix(const stair *s, double x)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->p[2 * mid] >= x) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static int stair_dominated(const stair *s, double x, double y)
{
    size_t k = stair_prefix(s, x);
    return k > 0 && s->p[2 * (k - 1) + 1] >= y;
}

/* Insert a pair no entry dominates; drop the entries it dominates (a run right after its place). */
static int stair_insert(stair *s, double x, double y)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        double *p = pl__realloc(s->p, cap * 2 * sizeof *p);
        if (!p) {
            return PL_ENOMEM;
        }
        s->p = p;
        s->cap = cap;
    }
    size_t k = stair_prefix(s, x), e = k;
    while (e < s->n && s->p[2 * e + 1] <= y) {
        e++;
    }
    /* Replace [k, e) by the new pair. */
    memmove(s->p + 2 * (k + 1), s->p + 2 * e, (s->n - e) * 2 * sizeof *s->p);
    s->p[2 * k] = x;
    s->p[2 * k + 1] = y;
    s->n = s->n - (e - k) + 1;
    return 0;
}

/* Sorted, grouped and filtered: writes the kept entries' indices to keep (in order) and group starts. */
int pl__fb_compact(pl__fb *fb)
{
    size_t n = fb->n, np = fb->np;
    if (n == 0) {
        return 0;
    }
    size_t *idx = pl__malloc(n * sizeof *idx), *tmp = pl__malloc(n * sizeof *tmp);
    size_t *kept_groups = pl__malloc(n * sizeof *kept_groups); /* index (into idx) of each kept group's first entry */
    double *nu = NULL;
    uint32_t *no = NULL;
    unsigned char *nh = NULL;
    uint64_t *nm = NULL;
    stair st = {NULL, 0, 0};
    int rc = 0;
    if (!idx || !tmp || !kept_groups) {
        rc = PL_ENOMEM;
        goto cleanup;
    }
    for (size_t k = 0; k < n; k++) {
        idx[k] = k;
    }
    pl__sort_indices(idx, tmp, n, cmp_entries_ctx, fb);
    /* Walk the groups in order; a group can be dominated only by an earlier (lexicographically greater) one. */
    size_t ng = 0;
    double best1 = 0;
    for (size_t g = 0; g < n;) {
        size_t e = g + 1;
        while (e < n && same_vector(fb, idx[g], idx[e])) {
            e++;
        }
        const double *u = fb->u + idx[g] * np;
        int dominated = 0;
        if (np == 1) {
            dominated = ng > 0;
        } else if (np == 2) {
            /* Sorted by u0 desc then u1 desc: dominated iff an earlier kept group has u1 >= this u1 (an earlier
             * group has u0 >= and differs, so >= on both with one strict). */
            dominated = ng > 0 && best1 >= u[1];
        } else if (np == 3) {
            dominated = stair_dominated(&st, u[1], u[2]);
        } else {
            for (size_t q = 0; q < ng && !dominated; q++) {
                dominated = pl__dominates(fb->u + idx[kept_groups[q]] * np, u, np);
            }
        }
        if (!dominated) {
            if (ng == 0 || u[1 % np] > best1) {
                best1 = u[1 % np];
            }
            if (np == 3 && stair_insert(&st, u[1], u[2]) < 0) {
                rc = PL_ENOMEM;
                goto cleanup;
            }
            kept_groups[ng++] = g;
        }
        /* Remember the group's end in tmp (reused: tmp[g] = end). */
        tmp[g] = e;
        g = e;
    }
    /* Rebuild: per kept group, its first cap stored outcomes plus one count-only entry for the rest. */
    size_t out_max = ng * ((size_t)fb->cap + 1);
    nu = pl__malloc((out_max ? out_max : 1) * np * sizeof *nu);
    no = pl__malloc((out_max ? out_max : 1) * (fb->ni ? fb->ni : 1) * sizeof *no);
    nh = pl__malloc(out_max ? out_max : 1);
    nm = pl__malloc((out_max ? out_max : 1) * sizeof *nm);
    if (!nu || !no || !nh || !nm) {
        rc = PL_ENOMEM;
        goto cleanup;
    }
    size_t m = 0;
    for (size_t q = 0; q < ng; q++) {
        size_t g = kept_groups[q], e = tmp[g];
        uint64_t rest = 0;
        uint32_t stored = 0;
        for (size_t k = g; k < e; k++) {
            size_t s = idx[k];
            if (fb->has_o[s] && stored < fb->cap) {
                memcpy(nu + m * np, fb->u + s * np, np * sizeof *nu);
                memcpy(no + m * fb->ni, fb->o + s * fb->ni, fb->ni * sizeof *no);
                nh[m] = 1;
                nm[m] = fb->mult[s];
                m++;
                stored++;
            } else {
                rest = pl__add_sat(rest, fb->mult[s]);
            }
        }
        if (rest > 0) {
            memcpy(nu + m * np, fb->u + idx[g] * np, np * sizeof *nu);
            nh[m] = 0;
            nm[m] = rest;
            m++;
        }
    }
    pl__free(fb->u);
    pl__free(fb->o);
    pl__free(fb->has_o);
    pl__free(fb->mult);
    fb->u = nu;
    fb->o = no;
    fb->has_o = nh;
    fb->mult = nm;
    fb->n = m;
    fb->alloc = out_max ? out_max : 1;
    nu = NULL;
    no = NULL;
    nh = NULL;
    nm = NULL;
cleanup:
    pl__free(st.p);
    pl__free(idx);
    pl__free(tmp);
    pl__free(kept_groups);
    pl__free(nu);
    pl__free(no);
    pl__free(nh);
    pl__free(nm);
    return rc;
}

int pl__fb_finish(pl__fb *fb, pl_pareto_algorithm algo, int exact, uint64_t max_points, const size_t *parties,
                  pl_frontier **out, pl_diag *d)
{
    *out = NULL;
    int rc = pl__fb_compact(fb);
    if (rc < 0) {
        return pl__diag_set(d, rc, NULL, 0, 0, "frontier: %s", pl_strerror(rc));
    }
    /* After compaction, entries come grouped and ordered. */
    size_t points = 0;
    for (size_t k = 0; k < fb->n; k++) {
        if (k == 0 || !same_vector(fb, k - 1, k)) {
            points++;
        }
    }
    if (points > max_points) {
        return pl__diag_set(d, PL_ETOOBIG, NULL, 0, 0, "the frontier has %zu points, more than the limit of %llu",
                            points, (unsigned long long)max_points);
    }
    pl_frontier *f = pl__calloc(1, sizeof *f);
    if (!f) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    f->algorithm = algo;
    f->exact = exact;
    f->np = fb->np;
    f->ni = fb->ni;
    f->n = points;
    f->parties = pl__malloc(fb->np * sizeof *f->parties);
    f->u = pl__malloc((points ? points : 1) * fb->np * sizeof *f->u);
    f->total = pl__calloc(points ? points : 1, sizeof *f->total);
    f->ooff = pl__calloc(points + 1, sizeof *f->ooff);
    f->outcomes = pl__malloc((fb->n ? fb->n : 1) * (fb->ni ? fb->ni : 1) * sizeof *f->outcomes);
    if (!f->parties || !f->u || !f->total || !f->ooff || !f->outcomes) {
        pl_frontier_free(f);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    memcpy(f->parties, parties, fb->np * sizeof *parties);
    size_t p = (size_t)-1, stored = 0;
    for (size_t k = 0; k < fb->n; k++) {
        if (k == 0 || !same_vector(fb, k - 1, k)) {
            p++;
            memcpy(f->u + p * fb->np, fb->u + k * fb->np, fb->np * sizeof *f->u);
            f->ooff[p] = stored;
        }
        f->total[p] = pl__add_sat(f->total[p], fb->mult[k]);
        if (fb->has_o[k]) {
            memcpy(f->outcomes + stored * fb->ni, fb->o + k * fb->ni, fb->ni * sizeof *f->outcomes);
            stored++;
        }
        f->ooff[p + 1] = stored;
    }
    fb->n = 0;
    *out = f;
    return 0;
}
