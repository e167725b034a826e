/* The merge algorithm: the exact Pareto frontier of linear additive parties without enumerating the space.
 *
 * Idea. When every utility is a sum over issues, u(o) = sum_i t_i(o_i), the utility vector of an outcome is a sum of
 * per-issue vectors, and an outcome whose partial sum over issues 0..i is dominated by another partial sum over the
 * same issues cannot be completed into a Pareto-optimal outcome: the same completion of the dominating prefix does at
 * least as well everywhere. So the frontier is found by dynamic programming over the issues, keeping after each
 * issue only the non-dominated partial sums: F_0 = {0} (no issue yet), F_i = nondominated(F_{i-1} + P_i) (the
 * Minkowski sum) where P_i holds the Pareto-efficient values of the i-th issue. This is the classic dominance-pruned
 * dynamic programme for additively separable multi-objective problems; see Klamroth & Wiecek 2000, "Dynamic programming
 * approaches to the multiple criteria knapsack problem" (Naval Research Logistics 47(1)), and Bazgan, Hugot &
 * Vanderpooten 2009, "Solving efficiently the 0-1 multi-objective knapsack problem" (Computers & Operations Research
 * 36(1)), whose dominance relations prune the states of exactly this kind of programme. Here every issue is one "item"
 * with several options (its values), and no capacity constraint applies, so Pareto dominance (adapted to rounding and
 * to the clamp, below) is the only pruning rule.
 *
 * Exactness in floating point. The frontier must be the one pl_ufun_eval gives, bit for bit, with the same ties.
 * Partial sums are therefore accumulated exactly as the utility function does (acc = 0.0, then + issue 0's table
 * entry, + issue 1's, ... in issue order), so the final sums are the very doubles pl_ufun_eval clamps. Rounding
 * creates one trap: two partial sums a > b may round to the same double after later additions, so pruning b as soon
 * as a dominates it would lose outcomes that end up sharing a frontier vector with a's (wrong counts, wrong stored
 * outcomes). Rounding to nearest is monotone, so a >= b stays >= after any common completion; and each addition
 * moves two chains closer by at most one rounding error on each (Higham 2002, "Accuracy and Stability of Numerical
 * Algorithms", ch. 2: |fl(x+y) - (x+y)| <= 2^-53 |x+y|). With s additions still to come, a gap larger than s times a
 * bound on that per-step shrinkage survives them. So a partial sum is pruned only when another one is >= everywhere
 * and ahead by more than that margin somewhere ("margin dominance"); near-ties within the margin are kept until the
 * last issue, where the margin is zero and dominance is decided on the final doubles.
 *
 * The clamp. Utilities are clamp(sum, 0, 1), and weights summing past 1 are common (by one rounding step, or ANAC 2011
 * Laptop's 1.0000518). The points of one stage share their completions, and the clamp is monotone, so a >= b on a
 * party still gives clamp(a + r) >= clamp(b + r) for every completion r; but a strict a > b can turn into a tie at 1
 * (when b + r reaches 1) or at 0 (when a + r stays at or below 0). So "ahead" on party j also requires that b's
 * coordinate stays below 1 and a's above 0 whatever the rest adds: b_j + hi_j + m < 1 and a_j + lo_j - m > 0, where
 * hi_j / lo_j are the largest / smallest sums party j's other issues can add (-inf / +inf when that side of the
 * clamp can act on no outcome of party j: then the rule is the plain one). Both conditions are monotone in the
 * coordinate they test, which the filter's shortcuts rely on (see filt_dominated). When no single party of those a
 * is ahead on is sure to stay below 1, it is enough that they cannot all reach 1 at once: sum_j b_j + (the most the
 * rest can add to that sum) < their number (the joint rule; without it, sums well past 1 would leave almost nothing
 * prunable in the early issues, where the rest can still add a lot). At the last issue the candidates
 * are clamped, as pl_ufun_eval clamps, and compared exactly; unclamped points that clamp to the same vector in
 * different batches of the last stream reach the frontier builder as separate points with equal vectors, and the
 * builder merges them (adding their counts, keeping the first stored outcomes in lexicographic order) and drops
 * any clamped vector that another dominates. Per-issue value pruning uses the same rules.
 *
 * Ties. Equal partial sums are merged into one point with several incoming (previous point, value group) edges, and
 * values of an issue with identical utility vectors form one group, so the number of points stays that of distinct
 * vectors. Every point remembers its incoming edges, which lets us (a) count the outcomes behind each final vector
 * (paths from the root: a forward sum of products, saturating), and (b) list the first outcomes of each final vector
 * in lexicographic (= dense index) order: going forward issue by issue, every point keeps only its first
 * outcomes_per_point prefixes, which are extensions of its predecessors' first prefixes (see keep_prefixes).
 *
 * Merging. Points are kept sorted lexicographically descending (first party's utility descending, ...). For each
 * value group j of issue i, the list F_{i-1} + p_j is sorted by its first coordinate too (adding a constant is
 * monotone), so a heap merges the groups' lists into one stream in first-coordinate order; candidates sharing that
 * coordinate are collected and sorted by the others. A candidate can only be dominated by one before it in this
 * order, so one pass filters the stream: for 2 parties with two running maxima (Kung, Luccio & Preparata 1975, "On
 * finding the maxima of a set of vectors", JACM 22(4)), for 3 parties with a balanced staircase of the other two
 * coordinates (a treap), for more by comparing with every point kept so far. Time per issue: O(C log G) for C =
 * |F_{i-1}| * G candidates of G groups, plus O(C log F) for 3 parties and O(C F) for 4 or more (and, when the
 * joint rule is on, O(V 2^P) per issue of V values for its bounds over the sets of P parties). Listing the outcomes
 * takes O(outcomes_per_point * E) for E edges (one per kept candidate), which is also the memory held: the edges of
 * every issue and the kept prefixes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "core/ufun_internal.h"

/* ---- Sorting an index array with a context (qsort has none in C11) ---- */

typedef int (*mg_cmp)(const void *ctx, uint32_t a, uint32_t b);

/* Stable merge sort of idx[0..n) (tmp: n scratch slots). */
static void sort_idx(uint32_t *idx, uint32_t *tmp, size_t n, mg_cmp cmp, const void *ctx)
{
    /* Insertion-sorted runs of 8 first: most batches sorted here are tiny. */
    const size_t run = 8;
    for (size_t lo = 0; lo < n; lo += run) {
        size_t hi = lo + run < n ? lo + run : n;
        for (size_t k = lo + 1; k < hi; k++) {
            uint32_t v = idx[k];
            size_t q = k;
            while (q > lo && cmp(ctx, v, idx[q - 1]) < 0) {
                idx[q] = idx[q - 1];
                q--;
            }
            idx[q] = v;
        }
    }
    for (size_t width = run; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                tmp[k++] = cmp(ctx, idx[j], idx[i]) < 0 ? idx[j++] : idx[i++];
            }
            while (i < mid) {
                tmp[k++] = idx[i++];
            }
            while (j < hi) {
                tmp[k++] = idx[j++];
            }
        }
        memcpy(idx, tmp, n * sizeof *idx);
    }
}

/* Vectors descending, lexicographically. */
static int cmp_vec_desc(const double *a, const double *b, size_t np)
{
    for (size_t k = 0; k < np; k++) {
        if (a[k] != b[k]) {
            return a[k] > b[k] ? -1 : 1;
        }
    }
    return 0;
}

static int vec_equal(const double *a, const double *b, size_t np)
{
    for (size_t k = 0; k < np; k++) {
        if (a[k] != b[k]) {
            return 0;
        }
    }
    return 1;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

/* ---- A staircase of 2-D points for 3-party dominance queries ----
 * Holds points (k, v) none of which weakly dominates another: sorted by k ascending, v is strictly descending. It
 * answers "the largest v among points with k >= x (or k > x)", which is the v of the first point at or after x.
 * A treap (Seidel & Aragon 1996, "Randomized search trees", Algorithmica 16) keeps it balanced; index 0 is nil. */

typedef struct tr_node {
    double k, v;
    uint32_t l, r, pri;
} tr_node;

typedef struct treap {
    tr_node *a;
    uint32_t cap, used, root, freel;
    uint32_t rng;
} treap;

static void tr_clear(treap *t)
{
    t->used = 1;
    t->root = 0;
    t->freel = 0;
    t->rng = 0x9E3779B9u;
}

static void tr_destroy(treap *t)
{
    free(t->a);
    memset(t, 0, sizeof *t);
}

static uint32_t tr_new_node(treap *t, double k, double v)
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
            tr_node *a = realloc(t->a, (size_t)cap * sizeof *a);
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
    t->a[n] = (tr_node){.k = k, .v = v, .l = 0, .r = 0, .pri = t->rng};
    return n;
}

/* Split by key: L gets keys <= x, R the rest. */
static void tr_split_key(tr_node *a, uint32_t n, double x, uint32_t *L, uint32_t *R)
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
static void tr_split_val(tr_node *a, uint32_t n, double y, uint32_t *L, uint32_t *R)
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

static uint32_t tr_merge(tr_node *a, uint32_t L, uint32_t R)
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

static void tr_release(treap *t, uint32_t n)
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
static double tr_max_from(const treap *t, double x, int strict, double lo, double mc)
{
    double best = -INFINITY;
    uint32_t n = t->root;
    while (n) {
        const tr_node *p = &t->a[n];
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
static int tr_insert(treap *t, double k, double v)
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
 * A candidate c is rejected when a point a kept earlier has a >= c everywhere and is ahead of c on a set S of
 * parties, a_k > c_k + m and above0(a_k) for k in S, such that every completion leaves some c_k of S below 1: one
 * party k of S with below1(c_k) (see the header comment), or (the joint rule, up to JOINT_MAX parties) the parties of
 * S together, which cannot all reach 1 at once when sum_{k in S} c_k + (the most the rest can add to that sum) < |S|.
 * Then every completion leaves a party of S where a's outcome stays above 0 and ahead, c's below 1: a's clamped
 * utility is strictly larger there. Every condition is monotone: above0 and being ahead get easier for a larger a_k,
 * below1, being ahead and the joint rule for a smaller c_k. So if c is dominated by a candidate b that was itself
 * rejected for a dominator a', then a' dominates c too (a' >= b >= c everywhere, a' is ahead of c wherever b is, and
 * the rest only concerns c); following the rejections up ends at a kept point, so comparing with kept points
 * suffices. Sorted lexicographically descending, a stream also meets every dominator of c before c, and the filter
 * is complete; with only non-increasing first coordinates (the last, clamped stream) every rejection is still
 * justified (all the shortcuts below need is that kept points are >= c on the first coordinate), some dominated
 * candidates are merely kept. A set S need only be tried when no smaller set inside it passes the below-1 test: the
 * points ahead on all of S are among those ahead on the smaller set. */

#define JOINT_MAX 8

typedef struct filt {
    size_t np;
    double m;            /* how far ahead a coordinate must be */
    double mc;           /* margin of the below1 / above0 conditions */
    const double *hi;    /* np: the largest sum the rest can add to a coordinate (-inf: the clamp at 1 cannot act) */
    const double *lo;    /* np: the smallest (+inf: the clamp at 0 cannot act) */
    const double *jrest; /* 2^np: the most the rest can add to the sum over a set of parties (NULL: no joint rule) */
    double jm;           /* the joint rule's margin for a set of k parties is k (jadd + k) jm */
    size_t jadd;
    unsigned char *cb;   /* np scratch: below1 of the current candidate (4 parties or more) */
    size_t lag;          /* kept[0 .. lag) have first coordinate > c_0 + m and above0 for the current candidate */
    double lag1, all1;   /* 2 parties: max second coordinate over kept[0 .. lag) and over all kept */
    treap tlag, tall;    /* 3 parties: staircases of (second, third) coordinates over the same sets */
} filt;

static void filt_reset(filt *f, size_t np, double m, double mc, const double *hi, const double *lo)
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
static int below1(const filt *f, size_t k, double c)
{
    return (c + f->hi[k]) + f->mc < 1;
}

/* A dominating coordinate a_k stays above 0, whatever the rest adds. */
static int above0(const filt *f, size_t k, double a)
{
    return (a + f->lo[k]) - f->mc > 0;
}

/* The parties of set S (a bit mask) cannot all reach 1 at once from c, whatever the rest adds. */
static int joint_below1(const filt *f, const double *c, uint32_t S)
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
static int filt_dominated(filt *f, const double *kept, size_t nk, const double *c)
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
static int filt_add(filt *f, const double *p)
{
    if (f->np == 2) {
        f->all1 = p[1] > f->all1 ? p[1] : f->all1;
    } else if (f->np == 3) {
        return tr_insert(&f->tall, p[1], p[2]);
    }
    return 0;
}

/* ---- State ---- */

/* One issue's Pareto-efficient values, grouped by identical utility vectors, groups lexicographically descending. */
typedef struct mg_issue {
    uint32_t nv;       /* values of the issue */
    size_t ng;         /* groups */
    double *vec;       /* ng * np */
    uint32_t *voff;    /* ng + 1: group g's values are vals[voff[g] .. voff[g+1]), ascending */
    uint32_t *vals;
    uint32_t *group;   /* nv: each value's group, or UINT32_MAX when the value was pruned */
} mg_issue;

/* The partial points after an issue (lexicographically descending) and how they were reached. */
typedef struct mg_stage {
    size_t n;
    size_t *eoff;      /* n + 1: point y's incoming edges are [eoff[y], eoff[y+1]) */
    uint32_t *eprev;   /* the previous stage's point (0 = the root before issue 0) */
    uint32_t *egrp;    /* the value group of this issue */
    /* Forward adjacency from the previous stage's points, values ascending (built after the merge). */
    size_t *ooff;      /* previous stage's points + 1 */
    uint32_t *oval, *onext;
    /* The first prefixes of every point, in lexicographic order: (previous stage's prefix, value). */
    uint32_t *pprev, *pval;
} mg_stage;

typedef struct mg {
    size_t np, ni;
    const pl_ufun **uf;
    uint64_t max_points;
    double unit;       /* more than one addition can close the gap between two partial sums (see the entry point) */
    /* The clamp: per issue boundary b (0..ni) and party k, the sums of the issues' largest (smallest) table entries
     * over issues < b (pre) and >= b (suf); whether the clamp at 1 (at 0) can act on some outcome of party k; the
     * filter's current bounds on what the other issues add. */
    double *mx_pre, *mx_suf, *mn_pre, *mn_suf;
    unsigned char *can_hi, *can_lo;
    double *fhi, *flo;
    /* The joint rule (2 to JOINT_MAX parties, 0 otherwise): jn = 2^np sets of parties; per issue boundary and set,
     * the sums over issues < b (>= b) of the issue's largest sum over the set's table entries; the filter's
     * current bounds. */
    size_t jn;
    double *jx_pre, *jx_suf, *fj;
    unsigned char *cb;
    mg_issue *iss;
    mg_stage *st;
    /* The previous and current stage's points: vectors and path counts. */
    double *pu, *cu;
    uint64_t *pc, *cc;
    size_t pn, cn, ucap;
    /* The current stage's edges. */
    size_t *eoff;
    uint32_t *eprev, *egrp;
    size_t en, ecap, eoffcap;
    /* A batch of candidates sharing their first coordinate. */
    double *bu;
    uint32_t *bx, *bj, *bidx, *btmp;
    size_t bn, bcap;
    filt f;
    pl_diag *d;
} mg;

static int oom(mg *g)
{
    return pl__diag_set(g->d, PL_ENOMEM, NULL, 0, 0, "merge: out of memory");
}

/* Resize the array whose pointer variable is at pp (any object pointer type) to n elements of size elem; the
 * caller tracks the capacity. The pointer is copied through memcpy, not a cast to void **, which would access a
 * double * through the wrong type. PL_ENOMEM leaves the array as it was. */
static int grow_array(void *pp, size_t n, size_t elem)
{
    void *p;
    memcpy(&p, pp, sizeof p);
    if (elem != 0 && n > SIZE_MAX / elem) {
        return PL_ENOMEM;
    }
    void *q = realloc(p, n * elem);
    if (!q) {
        return PL_ENOMEM;
    }
    memcpy(pp, &q, sizeof q);
    return 0;
}

/* Margin for s additions still to come (0 for none: the final doubles are compared as they are). */
static double margin(const mg *g, size_t s)
{
    return s == 0 ? 0.0 : (double)s * g->unit;
}

/* Reset the filter with bounds on what the other issues can add to a partial sum: the issues after i (after = 1:
 * the points after issue i, s = ni - 1 - i additions to come), or every issue but i (after = 0: the values of issue
 * i, which meet every prefix; ni additions round after the bounds). A side of the clamp that can act on no outcome of
 * a party gets an infinite bound, which makes its condition always true. The sums are rounded: with s terms they are
 * off by at most (s - 1) 2^-53 B' (B' bounds every partial sum, see the entry point), which the margins cover along
 * with the completion's own rounding. */
static void filt_reset_rest(mg *g, size_t i, int after, double m)
{
    size_t np = g->np, s = after ? g->ni - 1 - i : g->ni;
    for (size_t k = 0; k < np; k++) {
        double hi = g->mx_suf[(i + 1) * np + k], lo = g->mn_suf[(i + 1) * np + k];
        if (!after) {
            hi += g->mx_pre[i * np + k];
            lo += g->mn_pre[i * np + k];
        }
        g->fhi[k] = g->can_hi[k] ? hi : -INFINITY;
        g->flo[k] = g->can_lo[k] ? lo : INFINITY;
    }
    filt_reset(&g->f, np, m, margin(g, s), g->fhi, g->flo);
    if (g->jn) {
        size_t jn = g->jn;
        for (size_t S = 0; S < jn; S++) {
            g->fj[S] = g->jx_suf[(i + 1) * jn + S] + (after ? 0.0 : g->jx_pre[i * jn + S]);
        }
        g->f.jrest = g->fj;
        g->f.jadd = s;
        g->f.jm = g->unit;
    }
}

/* ---- Per-issue values ---- */

typedef struct vec_ctx {
    const double *u;
    size_t np;
} vec_ctx;

/* Vectors descending, then index ascending (so equal vectors list their values in ascending order). */
static int cmp_values(const void *ctx, uint32_t a, uint32_t b)
{
    const vec_ctx *c = ctx;
    int r = cmp_vec_desc(c->u + (size_t)a * c->np, c->u + (size_t)b * c->np, c->np);
    return r ? r : (a < b ? -1 : a > b);
}

static int build_issue(mg *g, size_t i)
{
    size_t np = g->np;
    mg_issue *is = &g->iss[i];
    uint32_t nv = g->uf[0]->off[i + 1] - g->uf[0]->off[i];
    is->nv = nv;
    double *u = malloc((size_t)nv * np * sizeof *u);
    uint32_t *idx = malloc((size_t)nv * sizeof *idx), *tmp = malloc((size_t)nv * sizeof *tmp);
    is->vec = malloc((size_t)nv * np * sizeof *is->vec);
    is->voff = malloc(((size_t)nv + 1) * sizeof *is->voff);
    is->vals = malloc((size_t)nv * sizeof *is->vals);
    is->group = malloc((size_t)nv * sizeof *is->group);
    int rc = 0;
    if (!u || !idx || !tmp || !is->vec || !is->voff || !is->vals || !is->group) {
        rc = oom(g);
        goto cleanup;
    }
    for (uint32_t v = 0; v < nv; v++) {
        for (size_t k = 0; k < np; k++) {
            u[(size_t)v * np + k] = g->uf[k]->wtab[g->uf[k]->off[i] + v];
        }
        idx[v] = v;
        is->group[v] = UINT32_MAX;
    }
    vec_ctx ctx = {u, np};
    sort_idx(idx, tmp, nv, cmp_values, &ctx);
    /* This issue's addition and every later one can still round: prune with the margin of ni - i additions. */
    filt_reset_rest(g, i, 0, margin(g, g->ni - i));
    size_t ng = 0, nvals = 0;
    for (uint32_t s = 0; s < nv;) {
        const double *c = u + (size_t)idx[s] * np;
        uint32_t e = s + 1;
        while (e < nv && vec_equal(c, u + (size_t)idx[e] * np, np)) {
            e++;
        }
        int dom = filt_dominated(&g->f, is->vec, ng, c);
        if (dom < 0) {
            rc = oom(g);
            goto cleanup;
        }
        if (!dom) {
            memcpy(is->vec + ng * np, c, np * sizeof *c);
            is->voff[ng] = (uint32_t)nvals;
            for (uint32_t q = s; q < e; q++) {
                is->vals[nvals++] = idx[q];
                is->group[idx[q]] = (uint32_t)ng;
            }
            if (filt_add(&g->f, c) < 0) {
                rc = oom(g);
                goto cleanup;
            }
            ng++;
        }
        s = e;
    }
    is->voff[ng] = (uint32_t)nvals;
    is->ng = ng;
cleanup:
    free(u);
    free(idx);
    free(tmp);
    return rc;
}

/* ---- One merge step ---- */

typedef struct batch_ctx {
    const mg *g;
} batch_ctx;

/* Candidates of a batch: vectors descending, then previous point and group ascending (a fixed order). */
static int cmp_batch(const void *ctx, uint32_t a, uint32_t b)
{
    const mg *g = ((const batch_ctx *)ctx)->g;
    int r = cmp_vec_desc(g->bu + (size_t)a * g->np, g->bu + (size_t)b * g->np, g->np);
    if (r) {
        return r;
    }
    if (g->bx[a] != g->bx[b]) {
        return g->bx[a] < g->bx[b] ? -1 : 1;
    }
    return g->bj[a] < g->bj[b] ? -1 : g->bj[a] > g->bj[b];
}

static int batch_push(mg *g, uint32_t x, uint32_t j)
{
    if (g->bn == g->bcap) {
        size_t cap = g->bcap ? g->bcap * 2 : 64;
        if (grow_array(&g->bu, cap * g->np, sizeof *g->bu) < 0 ||
            grow_array(&g->bx, cap, sizeof *g->bx) < 0 || grow_array(&g->bj, cap, sizeof *g->bj) < 0 ||
            grow_array(&g->bidx, cap, sizeof *g->bidx) < 0 ||
            grow_array(&g->btmp, cap, sizeof *g->btmp) < 0) {
            return PL_ENOMEM;
        }
        g->bcap = cap;
    }
    g->bx[g->bn] = x;
    g->bj[g->bn] = j;
    g->bn++;
    return 0;
}

/* Start a new point of the current stage with vector u. */
static int point_new(mg *g, size_t i, const double *u)
{
    if (g->cn >= g->max_points || g->cn >= UINT32_MAX - 2) {
        return pl__diag_set(g->d, PL_ETOOBIG, NULL, 0, 0,
                            "merge: more than %llu Pareto-optimal partial outcomes after issue %zu of %zu (\"%s\"); "
                            "raise max_points or analyse fewer parties",
                            (unsigned long long)g->cn, i + 1, g->ni, pl_space_issue_name(g->uf[0]->space, i));
    }
    if (g->cn == g->ucap) {
        size_t cap = g->ucap ? g->ucap * 2 : 1024;
        if (grow_array(&g->cu, cap * g->np, sizeof *g->cu) < 0 ||
            grow_array(&g->pu, cap * g->np, sizeof *g->pu) < 0 ||
            grow_array(&g->cc, cap, sizeof *g->cc) < 0 || grow_array(&g->pc, cap, sizeof *g->pc) < 0) {
            return oom(g);
        }
        g->ucap = cap;
    }
    if (g->cn + 1 >= g->eoffcap) {
        size_t cap = g->eoffcap ? g->eoffcap * 2 : 1024;
        if (grow_array(&g->eoff, cap, sizeof *g->eoff) < 0) {
            return oom(g);
        }
        g->eoffcap = cap;
    }
    memcpy(g->cu + g->cn * g->np, u, g->np * sizeof *u);
    g->cc[g->cn] = 0;
    g->eoff[g->cn] = g->en;
    g->cn++;
    g->eoff[g->cn] = g->en;
    return 0;
}

/* Add an edge (previous point x, group j) to the last point. */
static int edge_add(mg *g, size_t i, uint32_t x, uint32_t j)
{
    if (g->en == g->ecap) {
        size_t cap = g->ecap ? g->ecap * 2 : 1024;
        if (grow_array(&g->eprev, cap, sizeof *g->eprev) < 0 ||
            grow_array(&g->egrp, cap, sizeof *g->egrp) < 0) {
            return oom(g);
        }
        g->ecap = cap;
    }
    g->eprev[g->en] = x;
    g->egrp[g->en] = j;
    g->en++;
    g->eoff[g->cn] = g->en;
    const mg_issue *is = &g->iss[i];
    uint64_t paths = mul_sat(g->pc[x], is->voff[j + 1] - is->voff[j]);
    g->cc[g->cn - 1] = add_sat(g->cc[g->cn - 1], paths);
    return 0;
}

/* Filter the sorted batch into the current stage. */
static int flush_batch(mg *g, size_t i)
{
    size_t np = g->np, bn = g->bn;
    for (size_t q = 0; q < bn; q++) {
        g->bidx[q] = (uint32_t)q;
    }
    if (bn > 1) {
        batch_ctx ctx = {g};
        sort_idx(g->bidx, g->btmp, bn, cmp_batch, &ctx);
    }
    for (size_t s = 0; s < bn;) {
        const double *c = g->bu + (size_t)g->bidx[s] * np;
        size_t e = s + 1;
        while (e < bn && vec_equal(c, g->bu + (size_t)g->bidx[e] * np, np)) {
            e++;
        }
        int dom = filt_dominated(&g->f, g->cu, g->cn, c);
        if (dom < 0) {
            return oom(g);
        }
        if (!dom) {
            int rc = point_new(g, i, c);
            for (size_t q = s; q < e && rc == 0; q++) {
                rc = edge_add(g, i, g->bx[g->bidx[q]], g->bj[g->bidx[q]]);
            }
            if (rc == 0 && filt_add(&g->f, c) < 0) {
                rc = oom(g);
            }
            if (rc < 0) {
                return rc;
            }
        }
        s = e;
    }
    g->bn = 0;
    return 0;
}

/* Heap order on the group lists' current first coordinates (largest first; ties by group for a fixed order). */
static int heap_before(const double *key, uint32_t a, uint32_t b)
{
    return key[a] > key[b] || (key[a] == key[b] && a < b);
}

static void heap_down(uint32_t *h, size_t n, size_t pos, const double *key)
{
    uint32_t id = h[pos];
    for (;;) {
        size_t c = 2 * pos + 1;
        if (c >= n) {
            break;
        }
        if (c + 1 < n && heap_before(key, h[c + 1], h[c])) {
            c++;
        }
        if (!heap_before(key, h[c], id)) {
            break;
        }
        h[pos] = h[c];
        pos = c;
    }
    h[pos] = id;
}

/* The utility's clamp, exactly as pl_ufun_eval applies it. */
static double clamp01(double x)
{
    return x > 1 ? 1 : (x < 0 ? 0 : x);
}

/* F_i = nondominated(F_{i-1} + P_i): stream the group lists in first-coordinate order, in batches of equal first
 * coordinate, through the filter. At the last issue the candidates are the final sums, clamped: batches still follow
 * the unclamped first coordinate, whose clamped value does not increase along the stream, and the filter compares
 * the clamped vectors exactly (no rounding left, no clamp left to act). */
static int merge_issue(mg *g, size_t i)
{
    size_t np = g->np, pn = g->pn;
    const mg_issue *is = &g->iss[i];
    size_t ng = is->ng;
    uint32_t *heap = malloc(ng * sizeof *heap);
    uint32_t *cur = malloc(ng * sizeof *cur);
    double *key = malloc(ng * sizeof *key);
    int rc = 0;
    if (!heap || !cur || !key) {
        rc = oom(g);
        goto cleanup;
    }
    g->cn = 0;
    g->en = 0;
    g->bn = 0;
    if (g->eoffcap == 0 && grow_array(&g->eoff, 1024, sizeof *g->eoff) == 0) {
        g->eoffcap = 1024;
    }
    if (g->eoffcap == 0) {
        rc = oom(g);
        goto cleanup;
    }
    g->eoff[0] = 0;
    int last = i + 1 == g->ni;
    if (last) {
        for (size_t k = 0; k < np; k++) {
            g->fhi[k] = -INFINITY;
            g->flo[k] = INFINITY;
        }
        filt_reset(&g->f, np, 0.0, 0.0, g->fhi, g->flo);
    } else {
        filt_reset_rest(g, i, 1, margin(g, g->ni - 1 - i));
    }
    for (size_t j = 0; j < ng; j++) {
        heap[j] = (uint32_t)j;
        cur[j] = 0;
        key[j] = g->pu[0] + is->vec[j * np];
    }
    for (size_t p = ng / 2; p-- > 0;) {
        heap_down(heap, ng, p, key);
    }
    size_t hn = ng;
    while (hn > 0) {
        double b0 = key[heap[0]];
        while (hn > 0 && key[heap[0]] == b0) {
            uint32_t j = heap[0];
            uint32_t x = cur[j];
            if (batch_push(g, x, j) < 0) {
                rc = oom(g);
                goto cleanup;
            }
            /* The same additions, in the same order, as pl_ufun_eval. */
            double *u = g->bu + (g->bn - 1) * np;
            for (size_t k = 0; k < np; k++) {
                u[k] = g->pu[(size_t)x * np + k] + is->vec[(size_t)j * np + k];
            }
            if (last) {
                for (size_t k = 0; k < np; k++) {
                    u[k] = clamp01(u[k]);
                }
            }
            if (++cur[j] < pn) {
                key[j] = g->pu[(size_t)cur[j] * np] + is->vec[(size_t)j * np];
            } else {
                heap[0] = heap[--hn];
            }
            if (hn > 0) {
                heap_down(heap, hn, 0, key);
            }
        }
        if ((rc = flush_batch(g, i)) < 0) {
            goto cleanup;
        }
    }
    /* Keep the edges for the walk back; the next stage gets fresh arrays. */
    mg_stage *st = &g->st[i];
    st->n = g->cn;
    st->eoff = g->eoff;
    st->eprev = g->eprev;
    st->egrp = g->egrp;
    g->eoff = NULL;
    g->eprev = NULL;
    g->egrp = NULL;
    g->eoffcap = 0;
    g->ecap = 0;
    /* The current points become the previous ones. */
    double *tu = g->pu;
    g->pu = g->cu;
    g->cu = tu;
    uint64_t *tc = g->pc;
    g->pc = g->cc;
    g->cc = tc;
    g->pn = g->cn;
cleanup:
    free(heap);
    free(cur);
    free(key);
    return rc;
}

/* ---- Listing the outcomes ---- */

/* Forward adjacency of stage i: for each previous point, its (value, next point) pairs in ascending value order.
 * The incoming edges are not needed afterwards and are released. */
static int build_forward(mg *g, size_t i)
{
    mg_stage *st = &g->st[i];
    const mg_issue *is = &g->iss[i];
    size_t prev_n = i == 0 ? 1 : g->st[i - 1].n;
    size_t ne = st->eoff[st->n];
    /* Edges bucketed by group, as (previous point, point) pairs. */
    size_t *goff = calloc(is->ng + 1, sizeof *goff);
    uint32_t *bx = malloc((ne ? ne : 1) * sizeof *bx), *by = malloc((ne ? ne : 1) * sizeof *by);
    size_t *fill = NULL;
    int rc = 0;
    st->ooff = calloc(prev_n + 1, sizeof *st->ooff);
    if (!goff || !bx || !by || !st->ooff) {
        rc = oom(g);
        goto cleanup;
    }
    size_t nout = 0;
    for (size_t e = 0; e < ne; e++) {
        uint32_t grp = st->egrp[e];
        size_t gs = is->voff[grp + 1] - is->voff[grp];
        goff[grp + 1]++;
        st->ooff[st->eprev[e] + 1] += gs;
        nout += gs;
    }
    for (size_t j = 0; j < is->ng; j++) {
        goff[j + 1] += goff[j];
    }
    for (size_t x = 0; x < prev_n; x++) {
        st->ooff[x + 1] += st->ooff[x];
    }
    st->oval = malloc((nout ? nout : 1) * sizeof *st->oval);
    st->onext = malloc((nout ? nout : 1) * sizeof *st->onext);
    fill = malloc((prev_n > is->ng ? prev_n : is->ng + 1) * sizeof *fill);
    if (!st->oval || !st->onext || !fill) {
        rc = oom(g);
        goto cleanup;
    }
    memcpy(fill, goff, is->ng * sizeof *fill);
    for (size_t y = 0; y < st->n; y++) {
        for (size_t e = st->eoff[y]; e < st->eoff[y + 1]; e++) {
            size_t pos = fill[st->egrp[e]]++;
            bx[pos] = st->eprev[e];
            by[pos] = (uint32_t)y;
        }
    }
    /* Values in ascending order: each previous point's list comes out sorted. */
    memcpy(fill, st->ooff, prev_n * sizeof *fill);
    for (uint32_t v = 0; v < is->nv; v++) {
        uint32_t grp = is->group[v];
        if (grp == UINT32_MAX) {
            continue;
        }
        for (size_t q = goff[grp]; q < goff[grp + 1]; q++) {
            size_t pos = fill[bx[q]]++;
            st->oval[pos] = v;
            st->onext[pos] = by[q];
        }
    }
    free(st->eoff);
    free(st->eprev);
    free(st->egrp);
    st->eoff = NULL;
    st->eprev = NULL;
    st->egrp = NULL;
cleanup:
    free(goff);
    free(bx);
    free(by);
    free(fill);
    return rc;
}

/* Keep, for every point of every stage, its first `cap` prefixes (value choices for issues 0..i) in lexicographic
 * order. A prefix of point y is a prefix q of a previous point x extended by a value v with an edge x -v-> y, and
 * only x's first `cap` prefixes can give y's first `cap` (each earlier prefix of x gives an earlier one of y with the
 * same v). Taking the previous stage's kept prefixes in lexicographic order and, for each, the values in ascending
 * order, the extensions reach every point in lexicographic order: a point's first `cap` arrivals are its first
 * `cap` prefixes, and the order of acceptance is the new stage's lexicographic order, so no sorting is needed.
 * Time and memory: O(cap * edges). Prefix k of stage i is stored as (prefix of stage i-1, value). */
static int keep_prefixes(mg *g, uint32_t cap, uint32_t **final_node, size_t *n_final)
{
    size_t ni = g->ni;
    uint32_t *node_prev = malloc(sizeof *node_prev), *node_cur = NULL, *acc = NULL;
    size_t nprev = 1, ncur = 0, alloc = 0;
    int rc = 0;
    if (!node_prev) {
        rc = oom(g);
        goto cleanup;
    }
    node_prev[0] = 0; /* the empty prefix, at the root */
    for (size_t i = 0; i < ni; i++) {
        mg_stage *st = &g->st[i];
        if ((rc = build_forward(g, i)) < 0) {
            goto cleanup;
        }
        acc = calloc(st->n ? st->n : 1, sizeof *acc);
        if (!acc) {
            rc = oom(g);
            goto cleanup;
        }
        ncur = 0;
        alloc = 0;
        for (size_t q = 0; q < nprev; q++) {
            uint32_t x = node_prev[q];
            for (size_t pos = st->ooff[x]; pos < st->ooff[x + 1]; pos++) {
                uint32_t y = st->onext[pos];
                if (acc[y] >= cap) {
                    continue;
                }
                if (ncur == alloc) {
                    size_t a = alloc ? alloc * 2 : 1024;
                    if (a > UINT32_MAX) {
                        rc = pl__diag_set(g->d, PL_ETOOBIG, NULL, 0, 0,
                                          "merge: too many outcomes to store (more than 2^32 prefixes after issue "
                                          "%zu); lower outcomes_per_point",
                                          i + 1);
                        goto cleanup;
                    }
                    if (grow_array(&st->pprev, a, sizeof *st->pprev) < 0 ||
                        grow_array(&st->pval, a, sizeof *st->pval) < 0 ||
                        grow_array(&node_cur, a, sizeof *node_cur) < 0) {
                        rc = oom(g);
                        goto cleanup;
                    }
                    alloc = a;
                }
                acc[y]++;
                st->pprev[ncur] = (uint32_t)q;
                st->pval[ncur] = st->oval[pos];
                node_cur[ncur] = y;
                ncur++;
            }
        }
        free(st->ooff);
        free(st->oval);
        free(st->onext);
        st->ooff = NULL;
        st->oval = NULL;
        st->onext = NULL;
        free(acc);
        acc = NULL;
        free(node_prev);
        node_prev = node_cur;
        node_cur = NULL;
        nprev = ncur;
    }
    *final_node = node_prev;
    *n_final = nprev;
    node_prev = NULL;
cleanup:
    free(node_prev);
    free(node_cur);
    free(acc);
    return rc;
}

/* Feed the final points to the builder: each one's kept outcomes, then the rest of its count. */
static int emit_all(mg *g, pl__fb *fb, uint32_t cap)
{
    size_t ni = g->ni, nf = 0, npts = g->pn;
    uint32_t *fnode = NULL;
    int rc = keep_prefixes(g, cap, &fnode, &nf);
    if (rc < 0) {
        return rc;
    }
    /* The final prefixes are in lexicographic order; bucket them by point, keeping that order. */
    size_t *start = calloc(npts + 1, sizeof *start);
    uint32_t *order = malloc((nf ? nf : 1) * sizeof *order);
    uint32_t *id = malloc((nf ? nf : 1) * sizeof *id);
    uint32_t *o = malloc((nf ? nf : 1) * ni * sizeof *o);
    if (!start || !order || !id || !o) {
        rc = oom(g);
        goto cleanup;
    }
    /* Spell out the kept outcomes a block at a time, one issue at a time from the last: the prefixes' ids at each
     * stage are then read in ascending order (lexicographic order is inherited by prefixes) and the block's rows
     * stay in cache, instead of one dependent random read per issue and outcome. */
    for (size_t k0 = 0; k0 < nf; k0 += 256) {
        size_t k1 = k0 + 256 < nf ? k0 + 256 : nf;
        for (size_t k = k0; k < k1; k++) {
            id[k] = (uint32_t)k;
        }
        for (size_t s = ni; s-- > 0;) {
            const mg_stage *st = &g->st[s];
            for (size_t k = k0; k < k1; k++) {
                o[k * ni + s] = st->pval[id[k]];
                id[k] = st->pprev[id[k]];
            }
        }
    }
    for (size_t k = 0; k < nf; k++) {
        start[fnode[k] + 1]++;
    }
    for (size_t y = 0; y < npts; y++) {
        start[y + 1] += start[y];
    }
    for (size_t k = 0; k < nf; k++) {
        order[start[fnode[k]]++] = (uint32_t)k;
    }
    for (size_t y = npts; y > 0; y--) {
        start[y] = start[y - 1];
    }
    start[0] = 0;
    for (size_t y = 0; y < npts && rc == 0; y++) {
        const double *u = g->pu + y * g->np;
        for (size_t k = start[y]; k < start[y + 1] && rc == 0; k++) {
            rc = pl__fb_add(fb, u, o + (size_t)order[k] * ni, 1);
        }
        uint64_t stored = start[y + 1] - start[y];
        if (rc == 0 && g->pc[y] > stored) {
            rc = pl__fb_add(fb, u, NULL, g->pc[y] - stored);
        }
    }
    if (rc == PL_ENOMEM) {
        oom(g);
    } else if (rc < 0) {
        pl__diag_set(g->d, rc, NULL, 0, 0,
                     "merge: the frontier's %zu points and their outcomes exceed the frontier builder's bound; raise "
                     "max_points",
                     npts);
    }
cleanup:
    free(fnode);
    free(start);
    free(order);
    free(id);
    free(o);
    return rc;
}

static void mg_destroy(mg *g)
{
    for (size_t i = 0; g->iss && i < g->ni; i++) {
        free(g->iss[i].vec);
        free(g->iss[i].voff);
        free(g->iss[i].vals);
        free(g->iss[i].group);
    }
    for (size_t i = 0; g->st && i < g->ni; i++) {
        free(g->st[i].eoff);
        free(g->st[i].eprev);
        free(g->st[i].egrp);
        free(g->st[i].ooff);
        free(g->st[i].oval);
        free(g->st[i].onext);
        free(g->st[i].pprev);
        free(g->st[i].pval);
    }
    free(g->iss);
    free(g->st);
    free(g->uf);
    free(g->pu);
    free(g->cu);
    free(g->pc);
    free(g->cc);
    free(g->eoff);
    free(g->eprev);
    free(g->egrp);
    free(g->bu);
    free(g->bx);
    free(g->bj);
    free(g->bidx);
    free(g->btmp);
    free(g->mx_pre);
    free(g->mx_suf);
    free(g->mn_pre);
    free(g->mn_suf);
    free(g->can_hi);
    free(g->can_lo);
    free(g->fhi);
    free(g->flo);
    free(g->jx_pre);
    free(g->jx_suf);
    free(g->fj);
    free(g->cb);
    tr_destroy(&g->f.tlag);
    tr_destroy(&g->f.tall);
}

/* The largest and smallest table entries of issue i. */
static void issue_range(const pl_ufun *u, size_t i, double *mx, double *mn)
{
    const double *t = u->wtab;
    double hi = t[u->off[i]], lo = hi;
    for (uint32_t q = u->off[i] + 1; q < u->off[i + 1]; q++) {
        hi = t[q] > hi ? t[q] : hi;
        lo = t[q] < lo ? t[q] : lo;
    }
    *mx = hi;
    *mn = lo;
}

/* The joint rule's sums (see mg), when at least two parties can pass 1 and there are at most JOINT_MAX parties. */
static int joint_init(mg *g)
{
    size_t np = g->np, ni = g->ni, nhi = 0;
    for (size_t k = 0; k < np; k++) {
        nhi += g->can_hi[k];
    }
    if (np < 2 || np > JOINT_MAX || nhi < 2) {
        return 0;
    }
    size_t jn = (size_t)1 << np;
    double *sum = malloc(jn * sizeof *sum);
    g->jx_pre = malloc((ni + 1) * jn * sizeof *g->jx_pre);
    g->jx_suf = malloc((ni + 1) * jn * sizeof *g->jx_suf);
    g->fj = malloc(jn * sizeof *g->fj);
    if (!sum || !g->jx_pre || !g->jx_suf || !g->fj) {
        free(sum);
        return oom(g);
    }
    g->jn = jn;
    for (size_t S = 0; S < jn; S++) {
        g->jx_pre[S] = 0.0;
        g->jx_suf[ni * jn + S] = 0.0;
    }
    for (size_t i = 0; i < ni; i++) {
        /* The issue's largest sum over each set's entries goes through jx_suf first. */
        double *best = g->jx_suf + i * jn;
        uint32_t nv = g->uf[0]->off[i + 1] - g->uf[0]->off[i];
        for (size_t S = 0; S < jn; S++) {
            best[S] = -INFINITY;
        }
        sum[0] = 0.0;
        for (uint32_t v = 0; v < nv; v++) {
            for (size_t S = 1; S < jn; S++) {
                size_t j = 0;
                while (!((S >> j) & 1)) {
                    j++;
                }
                sum[S] = sum[S & (S - 1)] + g->uf[j]->wtab[g->uf[j]->off[i] + v];
                best[S] = sum[S] > best[S] ? sum[S] : best[S];
            }
        }
        best[0] = 0.0;
        for (size_t S = 0; S < jn; S++) {
            g->jx_pre[(i + 1) * jn + S] = g->jx_pre[i * jn + S] + best[S];
        }
    }
    for (size_t i = ni; i-- > 0;) {
        for (size_t S = 0; S < jn; S++) {
            g->jx_suf[i * jn + S] += g->jx_suf[(i + 1) * jn + S];
        }
    }
    free(sum);
    return 0;
}

int pl__pareto_merge(const pl_scenario *sc, const size_t *parties, size_t np, const pl_analysis_options *o,
                     pl__fb *fb, pl_diag *d)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s);
    mg g;
    memset(&g, 0, sizeof g);
    g.np = np;
    g.ni = ni;
    g.d = d;
    g.max_points = o->max_points;
    uint32_t cap = o->outcomes_per_point ? o->outcomes_per_point : 1;
    int rc = 0;
    g.uf = malloc(np * sizeof *g.uf);
    g.iss = calloc(ni ? ni : 1, sizeof *g.iss);
    g.st = calloc(ni ? ni : 1, sizeof *g.st);
    g.pu = calloc(np, sizeof *g.pu);
    g.cu = calloc(np, sizeof *g.cu);
    g.pc = malloc(sizeof *g.pc);
    g.cc = malloc(sizeof *g.cc);
    size_t bounds = (ni + 1) * np;
    g.mx_pre = malloc(bounds * sizeof *g.mx_pre);
    g.mx_suf = malloc(bounds * sizeof *g.mx_suf);
    g.mn_pre = malloc(bounds * sizeof *g.mn_pre);
    g.mn_suf = malloc(bounds * sizeof *g.mn_suf);
    g.can_hi = malloc(np * sizeof *g.can_hi);
    g.can_lo = malloc(np * sizeof *g.can_lo);
    g.fhi = malloc(np * sizeof *g.fhi);
    g.flo = malloc(np * sizeof *g.flo);
    g.cb = malloc(np * sizeof *g.cb);
    g.f.cb = g.cb;
    if (!g.uf || !g.iss || !g.st || !g.pu || !g.cu || !g.pc || !g.cc || !g.mx_pre || !g.mx_suf || !g.mn_pre ||
        !g.mn_suf || !g.can_hi || !g.can_lo || !g.fhi || !g.flo || !g.cb) {
        rc = oom(&g);
        goto cleanup;
    }
    /* The root: the empty sum, 0.0 for every party (pl_ufun_eval's starting value), reached by one path. */
    g.pn = 1;
    g.pc[0] = 1;
    g.ucap = 1;
    double bound = 0;
    for (size_t k = 0; k < np; k++) {
        g.uf[k] = pl_scenario_ufun(sc, parties[k]);
        /* Every partial sum lies within the sum of the largest magnitudes. Also the sums of the issues' largest
         * and smallest entries, from the left and from the right (the issues' extremes go through the _suf arrays
         * first). The left sums of all issues are the very sums pl_ufun_eval computes for a best (worst) outcome,
         * and rounding is monotone, so no outcome's sum exceeds 1 (falls below 0) exactly when that one does not. */
        double m = 0;
        g.mx_pre[k] = g.mn_pre[k] = 0.0;
        for (size_t i = 0; i < ni; i++) {
            double mx, mn;
            issue_range(g.uf[k], i, &mx, &mn);
            m += fabs(mx) > fabs(mn) ? fabs(mx) : fabs(mn);
            g.mx_pre[(i + 1) * np + k] = g.mx_pre[i * np + k] + mx;
            g.mn_pre[(i + 1) * np + k] = g.mn_pre[i * np + k] + mn;
            g.mx_suf[i * np + k] = mx;
            g.mn_suf[i * np + k] = mn;
        }
        bound = m > bound ? m : bound;
        g.mx_suf[ni * np + k] = g.mn_suf[ni * np + k] = 0.0;
        for (size_t i = ni; i-- > 0;) {
            g.mx_suf[i * np + k] += g.mx_suf[(i + 1) * np + k];
            g.mn_suf[i * np + k] += g.mn_suf[(i + 1) * np + k];
        }
        g.can_hi[k] = g.mx_pre[ni * np + k] > 1;
        g.can_lo[k] = g.mn_pre[ni * np + k] < 0;
    }
    if (!(bound <= 0x1p1000)) {
        rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "merge: table entries too large (or not finite) for exact sums");
        goto cleanup;
    }
    if ((rc = joint_init(&g)) < 0) {
        goto cleanup;
    }
    /* Rounded partial sums stay within B' = B (1 + n 2^-53) of 0, so one addition rounds each of two partial sums
     * by at most 2^-53 B' and brings them at most 2^-52 B' closer. The unit 2^-46 max(B, 1) is 64 times 2^-52 B:
     * ample room for B' > B and for the rounding of the comparisons themselves (c + m is itself rounded). The clamp
     * conditions need more per addition still to come: for a point with s additions left, the true largest final
     * sum exceeds the computed c + hi by at most s 2^-53 B' (the completion's rounding) + (s - 1) 2^-53 B' (the
     * rounding of hi) + 2^-52 B' (that of c + hi), i.e. (2s + 1) 2^-53 B', which s units (128 s 2^-53 max(B, 1))
     * cover; the test (c + hi) + m < 1 then implies the exact c + hi + m < 1, rounding being monotone. For an
     * issue's values (every prefix, then the rest: ni additions, ni - 1 bound terms) ni units cover 2 ni 2^-53 B'.
     * The same holds for 0 from below. The joint rule over a set of k parties adds up k chains (k s 2^-53 B' of
     * completion rounding), a bound whose per-issue sums of k entries and s terms round by at most (k - 1 + s - 1) k
     * 2^-53 B', and the k coordinates (2 k^2 2^-53 B'): at most k (2s + 3k) 2^-53 B', which k (s + k) units cover
     * (s = ni for an issue's values). */
    g.unit = ldexp(bound > 1 ? bound : 1, -46);
    if (ni == 0) {
        /* One outcome, the empty one, worth 0.0 to everyone. */
        uint32_t none = 0;
        rc = pl__fb_add(fb, g.pu, &none, 1);
        if (rc < 0) {
            rc = oom(&g);
        }
        goto cleanup;
    }
    for (size_t i = 0; i < ni; i++) {
        if ((rc = build_issue(&g, i)) < 0 || (rc = merge_issue(&g, i)) < 0) {
            goto cleanup;
        }
    }
    rc = emit_all(&g, fb, cap);
cleanup:
    mg_destroy(&g);
    return rc;
}
