/* The merge's margin-dominance filter: which candidates of a stream a point kept earlier dominates in spite of the
 * rounding still to come and the clamp, with a treap staircase for 3 parties. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/merge_internal.h"

/* ---- A staircase of 2-D points for 3-party dominance queries ----
 * Holds points (k, v) none of which weakly dominates another: sorted by k ascending, v is strictly descending. It
 * answers "the largest v among points with k >= x (or k > x)", which is the v of the first point at or after x.
 * A treap (Seidel & Aragon 1996, "Randomized search trees", Algorithmica 16) keeps it balanced; index 0 is nil. */

static void tr_clear(pl__mg_treap *t)
{
    t->used = 1;
    t->root = 0;
    t->freel = 0;
    t->rng = 0x9E3779B9u;
}

static void tr_destroy(pl__mg_treap *t)
{
    pl__free(t->a);
    memset(t, 0, sizeof *t);
}

static uint32_t tr_new_node(pl__mg_treap *t, double k, double v)
{
    uint32_t n;
    if (t->freel) {
        n = t->freel;
        t->freel = t->a[n].l;
    } else {
        if (t->used >= t->cap) {
            uint32_t cap = t->cap ? t->cap * 2 : 256;
            if (cap <= t->cap) {
                return 0;
            }
            pl__mg_tr_node *a = pl__realloc(t->a, (size_t)cap * sizeof *a);
            if (!a) {
                return 0;
            }
            t->a = a;
            t->cap = cap;
        }
        n = t->used++;
    }
    /* xorshift32 (Marsaglia 2003): priorities need only be independent of the keys. */
    t->rng ^= t->rng << 13;
    t->rng ^= t->rng >> 17;
    t->rng ^= t->rng << 5;
    t->a[n] = (pl__mg_tr_node){.k = k, .v = v, .l = 0, .r = 0, .pri = t->rng};
    return n;
}

/* Split by key: L gets keys <= x, R the rest. */
static void tr_split_key(pl__mg_tr_node *a, uint32_t n, double x, uint32_t *L, uint32_t *R)
{
    if (!n) {
        *L = *R = 0;
    } else if (a[n].k <= x) {
        tr_split_key(a, a[n].r, x, &a[n].r, R);
        *L = n;
    } else {
        tr_split_key(a, a[n].l, x, L, &a[n].l);
        *R = n;
    }
}

/* Split by value (descending along the keys): L gets v > y, R gets v <= y. */
static void tr_split_val(pl__mg_tr_node *a, uint32_t n, double y, uint32_t *L, uint32_t *R)
{
    if (!n) {
        *L = *R = 0;
    } else if (a[n].v > y) {
        tr_split_val(a, a[n].r, y, &a[n].r, R);
        *L = n;
    } else {
        tr_split_val(a, a[n].l, y, L, &a[n].l);
        *R = n;
    }
}

static uint32_t tr_merge(pl__mg_tr_node *a, uint32_t L, uint32_t R)
{
    if (!L) {
        return R;
    }
    if (!R) {
        return L;
    }
    if (a[L].pri > a[R].pri) {
        a[L].r = tr_merge(a, a[L].r, R);
        return L;
    }
    a[R].l = tr_merge(a, L, a[R].l);
    return R;
}

static void tr_release(pl__mg_treap *t, uint32_t n)
{
    if (n) {
        tr_release(t, t->a[n].l);
        tr_release(t, t->a[n].r);
        t->a[n].l = t->freel;
        t->freel = n;
    }
}

/* Largest v among points with k > x (strict) or k >= x, and (k + lo) - mc > 0 (lo = +inf: no such condition);
 * -inf when there is none. Both conditions hold on an upper part of the keys, where the first point has the largest
 * v. */
static double tr_max_from(const pl__mg_treap *t, double x, int strict, double lo, double mc)
{
    double best = -INFINITY;
    uint32_t n = t->root;
    while (n) {
        const pl__mg_tr_node *p = &t->a[n];
        if ((strict ? p->k > x : p->k >= x) && (p->k + lo) - mc > 0) {
            best = p->v;
            n = p->l;
        } else {
            n = p->r;
        }
    }
    return best;
}

/* Add (k, v) unless a point already weakly dominates it (the queries' answers would not change), dropping the points
 * it weakly dominates. PL_ENOMEM on allocation failure. */
static int tr_insert(pl__mg_treap *t, double k, double v)
{
    if (tr_max_from(t, k, 0, INFINITY, 0) >= v) {
        return 0;
    }
    uint32_t n = tr_new_node(t, k, v);
    if (!n) {
        return PL_ENOMEM;
    }
    /* The dominated points have keys <= k and values <= v: the tail of the part at or below k. */
    uint32_t L, R, L1, L2;
    tr_split_key(t->a, t->root, k, &L, &R);
    tr_split_val(t->a, L, v, &L1, &L2);
    tr_release(t, L2);
    t->root = tr_merge(t->a, tr_merge(t->a, L1, n), R);
    return 0;
}

/* ---- The margin-dominance filter over a stream of non-increasing first coordinate ----
 * A candidate c is rejected when a point a kept earlier has a >= c everywhere and is ahead of c on a set S of parties,
 * a_k > c_k + m and above0(a_k) for k in S, such that every completion leaves some c_k of S below 1: one party k of S
 * with below1(c_k) (see the header comment of pareto_merge.c), or (the joint rule, up to PL__MG_JOINT_MAX parties) the
 * parties of S together, which cannot all reach 1 at once when sum_{k in S} c_k + (the most the rest can add to that
 * sum) < |S|. Then every completion leaves a party of S where a's outcome stays above 0 and ahead, c's below 1: a's
 * clamped utility is strictly larger there. Every condition is monotone: above0 and being ahead get easier for a larger
 * a_k, below1, being ahead and the joint rule for a smaller c_k. So if c is dominated by a candidate b that was itself
 * rejected for a dominator a', then a' dominates c too (a' >= b >= c everywhere, a' is ahead of c wherever b is, and
 * the rest only concerns c); following the rejections up ends at a kept point, so comparing with kept points suffices.
 * Sorted lexicographically descending, a stream also meets every dominator of c before c, and the filter is complete;
 * with only non-increasing first coordinates (the last, clamped stream) every rejection is still justified (all the
 * shortcuts below need is that kept points are >= c on the first coordinate), some dominated candidates are merely
 * kept. A set S need only be tried when no smaller set inside it passes the below-1 test: the points ahead on all of S
 * are among those ahead on the smaller set. */

void pl__mg_filt_reset(pl__mg_filt *f, size_t np, double m, double mc, const double *hi, const double *lo)
{
    f->np = np;
    f->m = m;
    f->mc = mc;
    f->hi = hi;
    f->lo = lo;
    f->jrest = NULL;
    f->lag = 0;
    f->lag1 = -INFINITY;
    f->all1 = -INFINITY;
    tr_clear(&f->tlag);
    tr_clear(&f->tall);
}

/* A dominated coordinate c_k stays below 1, whatever the rest adds. */
static int below1(const pl__mg_filt *f, size_t k, double c)
{
    return (c + f->hi[k]) + f->mc < 1;
}

/* A dominating coordinate a_k stays above 0, whatever the rest adds. */
static int above0(const pl__mg_filt *f, size_t k, double a)
{
    return (a + f->lo[k]) - f->mc > 0;
}

/* The parties of set S (a bit mask) cannot all reach 1 at once from c, whatever the rest adds. */
static int joint_below1(const pl__mg_filt *f, const double *c, uint32_t S)
{
    if (!f->jrest) {
        return 0;
    }
    double x = f->jrest[S];
    size_t k = 0;
    for (size_t j = 0; j < f->np; j++) {
        if ((S >> j) & 1) {
            x += c[j];
            k++;
        }
    }
    return x + (double)k * ((double)(f->jadd + k) * f->jm) < (double)k;
}

/* 1 when c is dominated (in the sense above) by one of kept[0 .. nk) (the points kept so far, whose first
 * coordinates are >= c_0), 0 when not, PL_ENOMEM. The first coordinates must not increase between resets. */
int pl__mg_filt_dominated(pl__mg_filt *f, const double *kept, size_t nk, const double *c)
{
    size_t np = f->np;
    double m = f->m;
    if (np <= 3) {
        /* Points ahead on the first coordinate dominate c as soon as they are >= on the others. Both conditions
         * on a_0 hold on a prefix of the kept points (their first coordinates do not increase), which only grows
         * as c_0 decreases. */
        double t0 = c[0] + m;
        while (f->lag < nk && kept[f->lag * np] > t0 && above0(f, 0, kept[f->lag * np])) {
            const double *a = kept + f->lag * np;
            if (np == 2) {
                f->lag1 = a[1] > f->lag1 ? a[1] : f->lag1;
            } else if (np == 3 && tr_insert(&f->tlag, a[1], a[2]) < 0) {
                return PL_ENOMEM;
            }
            f->lag++;
        }
    }
    switch (np) {
    case 1:
        return f->lag > 0 && below1(f, 0, c[0]);
    case 2: {
        /* Every kept point is >= c on the first coordinate; the largest second coordinate is the one most likely
         * to be ahead (above0 is monotone). */
        int b0 = below1(f, 0, c[0]), b1 = below1(f, 1, c[1]);
        if (b0 && f->lag1 >= c[1]) {
            return 1;
        }
        if (b1 && f->all1 > c[1] + m && above0(f, 1, f->all1)) {
            return 1;
        }
        return !b0 && !b1 && f->lag1 > c[1] + m && above0(f, 1, f->lag1) && joint_below1(f, c, 3);
    }
    case 3: {
        /* Sets of parties: {0} and the sets with 0 look among the lag points, the others among all. */
        int b0 = below1(f, 0, c[0]), b1 = below1(f, 1, c[1]), b2 = below1(f, 2, c[2]);
        double t1 = c[1] + m, t2 = c[2] + m, v;
        if (b0 && tr_max_from(&f->tlag, c[1], 0, INFINITY, 0) >= c[2]) {
            return 1;
        }
        if (b1 && tr_max_from(&f->tall, t1, 1, f->lo[1], f->mc) >= c[2]) {
            return 1;
        }
        v = tr_max_from(&f->tall, c[1], 0, INFINITY, 0);
        if (b2 && v > t2 && above0(f, 2, v)) {
            return 1;
        }
        if (!f->jrest || (b0 + b1 + b2) >= 2) {
            return 0;
        }
        int j01 = !b0 && !b1 && joint_below1(f, c, 3);
        int j02 = !b0 && !b2 && joint_below1(f, c, 5);
        int j12 = !b1 && !b2 && joint_below1(f, c, 6);
        if (j01 && tr_max_from(&f->tlag, t1, 1, f->lo[1], f->mc) >= c[2]) {
            return 1;
        }
        if (j02 && (v = tr_max_from(&f->tlag, c[1], 0, INFINITY, 0)) > t2 && above0(f, 2, v)) {
            return 1;
        }
        if (j12 && (v = tr_max_from(&f->tall, t1, 1, f->lo[1], f->mc)) > t2 && above0(f, 2, v)) {
            return 1;
        }
        if (b0 || b1 || b2 || j01 || j02 || j12 || !joint_below1(f, c, 7)) {
            return 0;
        }
        v = tr_max_from(&f->tlag, t1, 1, f->lo[1], f->mc);
        return v > t2 && above0(f, 2, v);
    }
    default: {
        for (size_t k = 0; k < np; k++) {
            f->cb[k] = (unsigned char)below1(f, k, c[k]);
        }
        for (size_t q = 0; q < nk; q++) {
            const double *a = kept + q * np;
            int ge = 1, ahead = 0;
            uint32_t S = 0;
            for (size_t k = 0; k < np && ge; k++) {
                ge = a[k] >= c[k];
                if (ge && a[k] > c[k] + m && above0(f, k, a[k])) {
                    ahead |= f->cb[k];
                    S |= k < 32 ? (uint32_t)1 << k : 0;
                }
            }
            if (ge && (ahead || (S && joint_below1(f, c, S)))) {
                return 1;
            }
        }
        return 0;
    }
    }
}

/* p has just been kept. */
int pl__mg_filt_add(pl__mg_filt *f, const double *p)
{
    if (f->np == 2) {
        f->all1 = p[1] > f->all1 ? p[1] : f->all1;
    } else if (f->np == 3) {
        return tr_insert(&f->tall, p[1], p[2]);
    }
    return 0;
}

void pl__mg_filt_destroy(pl__mg_filt *f)
{
    tr_destroy(&f->tlag);
    tr_destroy(&f->tall);
}
