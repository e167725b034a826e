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
 * coordinate they test, which the filter's shortcuts rely on (see merge_filter.c). When no single party of those a
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
 * outcomes_per_point prefixes, which are extensions of its predecessors' first prefixes (see merge_paths.c).
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
 * every issue and the kept prefixes.
 *
 * Files. This one builds every issue's value groups and merges the stages issue by issue; merge_filter.c holds the
 * margin-dominance filter, merge_paths.c the edges, path counts, first prefixes and the output to the builder. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/merge_internal.h"
#include "core/ufun_internal.h"

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

/* ---- State ---- */

int pl__mg_oom(pl__mg *g)
{
    return pl__diag_set(g->d, PL_ENOMEM, NULL, 0, 0, "merge: out of memory");
}

/* Resize the array whose pointer variable is at pp (any object pointer type) to n elements of size elem; the
 * caller tracks the capacity. The pointer is copied through memcpy, not a cast to void **, which would access a
 * double * through the wrong type. PL_ENOMEM leaves the array as it was. */
int pl__mg_grow_array(void *pp, size_t n, size_t elem)
{
    void *p;
    memcpy(&p, pp, sizeof p);
    if (elem != 0 && n > SIZE_MAX / elem) {
        return PL_ENOMEM;
    }
    void *q = pl__realloc(p, n * elem);
    if (!q) {
        return PL_ENOMEM;
    }
    memcpy(pp, &q, sizeof q);
    return 0;
}

/* Margin for s additions still to come (0 for none: the final doubles are compared as they are). */
static double margin(const pl__mg *g, size_t s)
{
    return s == 0 ? 0.0 : (double)s * g->unit;
}

/* Reset the filter with bounds on what the other issues can add to a partial sum: the issues after i (after = 1:
 * the points after issue i, s = ni - 1 - i additions to come), or every issue but i (after = 0: the values of issue
 * i, which meet every prefix; ni additions round after the bounds). A side of the clamp that can act on no outcome of
 * a party gets an infinite bound, which makes its condition always true. The sums are rounded: with s terms they are
 * off by at most (s - 1) 2^-53 B' (B' bounds every partial sum, see the entry point), which the margins cover along
 * with the completion's own rounding. */
static void filt_reset_rest(pl__mg *g, size_t i, int after, double m)
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
    pl__mg_filt_reset(&g->f, np, m, margin(g, s), g->fhi, g->flo);
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
static int cmp_values(const void *ctx, size_t a, size_t b)
{
    const vec_ctx *c = ctx;
    int r = cmp_vec_desc(c->u + (size_t)a * c->np, c->u + (size_t)b * c->np, c->np);
    return r ? r : (a < b ? -1 : a > b);
}

static int build_issue(pl__mg *g, size_t i)
{
    size_t np = g->np;
    pl__mg_issue *is = &g->iss[i];
    uint32_t nv = g->uf[0]->off[i + 1] - g->uf[0]->off[i];
    is->nv = nv;
    double *u = pl__malloc((size_t)nv * np * sizeof *u);
    size_t *idx = pl__malloc((size_t)nv * sizeof *idx), *tmp = pl__malloc((size_t)nv * sizeof *tmp);
    is->vec = pl__malloc((size_t)nv * np * sizeof *is->vec);
    is->voff = pl__malloc(((size_t)nv + 1) * sizeof *is->voff);
    is->vals = pl__malloc((size_t)nv * sizeof *is->vals);
    is->group = pl__malloc((size_t)nv * sizeof *is->group);
    int rc = 0;
    if (!u || !idx || !tmp || !is->vec || !is->voff || !is->vals || !is->group) {
        rc = pl__mg_oom(g);
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
    pl__sort_indices(idx, tmp, nv, cmp_values, &ctx);
    /* This issue's addition and every later one can still round: prune with the margin of ni - i additions. */
    filt_reset_rest(g, i, 0, margin(g, g->ni - i));
    size_t ng = 0, nvals = 0;
    for (uint32_t s = 0; s < nv;) {
        const double *c = u + (size_t)idx[s] * np;
        uint32_t e = s + 1;
        while (e < nv && vec_equal(c, u + (size_t)idx[e] * np, np)) {
            e++;
        }
        int dom = pl__mg_filt_dominated(&g->f, is->vec, ng, c);
        if (dom < 0) {
            rc = pl__mg_oom(g);
            goto cleanup;
        }
        if (!dom) {
            memcpy(is->vec + ng * np, c, np * sizeof *c);
            is->voff[ng] = (uint32_t)nvals;
            for (uint32_t q = s; q < e; q++) {
                is->vals[nvals++] = (uint32_t)idx[q];
                is->group[idx[q]] = (uint32_t)ng;
            }
            if (pl__mg_filt_add(&g->f, c) < 0) {
                rc = pl__mg_oom(g);
                goto cleanup;
            }
            ng++;
        }
        s = e;
    }
    is->voff[ng] = (uint32_t)nvals;
    is->ng = ng;
cleanup:
    pl__free(u);
    pl__free(idx);
    pl__free(tmp);
    return rc;
}

/* ---- One merge step ---- */

typedef struct batch_ctx {
    const pl__mg *g;
} batch_ctx;

/* Candidates of a batch: vectors descending, then previous point and group ascending (a fixed order). */
static int cmp_batch(const void *ctx, size_t a, size_t b)
{
    const pl__mg *g = ((const batch_ctx *)ctx)->g;
    int r = cmp_vec_desc(g->bu + (size_t)a * g->np, g->bu + (size_t)b * g->np, g->np);
    if (r) {
        return r;
    }
    if (g->bx[a] != g->bx[b]) {
        return g->bx[a] < g->bx[b] ? -1 : 1;
    }
    return g->bj[a] < g->bj[b] ? -1 : g->bj[a] > g->bj[b];
}

static int batch_push(pl__mg *g, uint32_t x, uint32_t j)
{
    if (g->bn == g->bcap) {
        size_t cap = g->bcap ? g->bcap * 2 : 64;
        if (pl__mg_grow_array(&g->bu, cap * g->np, sizeof *g->bu) < 0 ||
            pl__mg_grow_array(&g->bx, cap, sizeof *g->bx) < 0 || pl__mg_grow_array(&g->bj, cap, sizeof *g->bj) < 0 ||
            pl__mg_grow_array(&g->bidx, cap, sizeof *g->bidx) < 0 ||
            pl__mg_grow_array(&g->btmp, cap, sizeof *g->btmp) < 0) {
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
static int point_new(pl__mg *g, size_t i, const double *u)
{
    if (g->cn >= g->max_points || g->cn >= UINT32_MAX - 2) {
        return pl__diag_set(g->d, PL_ETOOBIG, NULL, 0, 0,
                            "merge: more than %llu Pareto-optimal partial outcomes after issue %zu of %zu (\"%s\"); "
                            "raise max_points or analyse fewer parties",
                            (unsigned long long)g->cn, i + 1, g->ni, pl_space_issue_name(g->uf[0]->space, i));
    }
    if (g->cn == g->ucap) {
        size_t cap = g->ucap ? g->ucap * 2 : 1024;
        if (pl__mg_grow_array(&g->cu, cap * g->np, sizeof *g->cu) < 0 ||
            pl__mg_grow_array(&g->pu, cap * g->np, sizeof *g->pu) < 0 ||
            pl__mg_grow_array(&g->cc, cap, sizeof *g->cc) < 0 || pl__mg_grow_array(&g->pc, cap, sizeof *g->pc) < 0) {
            return pl__mg_oom(g);
        }
        g->ucap = cap;
    }
    if (g->cn + 1 >= g->eoffcap) {
        size_t cap = g->eoffcap ? g->eoffcap * 2 : 1024;
        if (pl__mg_grow_array(&g->eoff, cap, sizeof *g->eoff) < 0) {
            return pl__mg_oom(g);
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

/* Filter the sorted batch into the current stage. */
static int flush_batch(pl__mg *g, size_t i)
{
    size_t np = g->np, bn = g->bn;
    for (size_t q = 0; q < bn; q++) {
        g->bidx[q] = q;
    }
    if (bn > 1) {
        batch_ctx ctx = {g};
        pl__sort_indices(g->bidx, g->btmp, bn, cmp_batch, &ctx);
    }
    for (size_t s = 0; s < bn;) {
        const double *c = g->bu + (size_t)g->bidx[s] * np;
        size_t e = s + 1;
        while (e < bn && vec_equal(c, g->bu + (size_t)g->bidx[e] * np, np)) {
            e++;
        }
        int dom = pl__mg_filt_dominated(&g->f, g->cu, g->cn, c);
        if (dom < 0) {
            return pl__mg_oom(g);
        }
        if (!dom) {
            int rc = point_new(g, i, c);
            for (size_t q = s; q < e && rc == 0; q++) {
                rc = pl__mg_edge_add(g, i, g->bx[g->bidx[q]], g->bj[g->bidx[q]]);
            }
            if (rc == 0 && pl__mg_filt_add(&g->f, c) < 0) {
                rc = pl__mg_oom(g);
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
static int merge_issue(pl__mg *g, size_t i)
{
    size_t np = g->np, pn = g->pn;
    const pl__mg_issue *is = &g->iss[i];
    size_t ng = is->ng;
    uint32_t *heap = pl__malloc(ng * sizeof *heap);
    uint32_t *cur = pl__malloc(ng * sizeof *cur);
    double *key = pl__malloc(ng * sizeof *key);
    int rc = 0;
    if (!heap || !cur || !key) {
        rc = pl__mg_oom(g);
        goto cleanup;
    }
    g->cn = 0;
    g->en = 0;
    g->bn = 0;
    if (g->eoffcap == 0 && pl__mg_grow_array(&g->eoff, 1024, sizeof *g->eoff) == 0) {
        g->eoffcap = 1024;
    }
    if (g->eoffcap == 0) {
        rc = pl__mg_oom(g);
        goto cleanup;
    }
    g->eoff[0] = 0;
    int last = i + 1 == g->ni;
    if (last) {
        for (size_t k = 0; k < np; k++) {
            g->fhi[k] = -INFINITY;
            g->flo[k] = INFINITY;
        }
        pl__mg_filt_reset(&g->f, np, 0.0, 0.0, g->fhi, g->flo);
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
                rc = pl__mg_oom(g);
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
    pl__mg_stage *st = &g->st[i];
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
    pl__free(heap);
    pl__free(cur);
    pl__free(key);
    return rc;
}

static void mg_destroy(pl__mg *g)
{
    for (size_t i = 0; g->iss && i < g->ni; i++) {
        pl__free(g->iss[i].vec);
        pl__free(g->iss[i].voff);
        pl__free(g->iss[i].vals);
        pl__free(g->iss[i].group);
    }
    for (size_t i = 0; g->st && i < g->ni; i++) {
        pl__free(g->st[i].eoff);
        pl__free(g->st[i].eprev);
        pl__free(g->st[i].egrp);
        pl__free(g->st[i].ooff);
        pl__free(g->st[i].oval);
        pl__free(g->st[i].onext);
        pl__free(g->st[i].pprev);
        pl__free(g->st[i].pval);
    }
    pl__free(g->iss);
    pl__free(g->st);
    pl__free(g->uf);
    pl__free(g->pu);
    pl__free(g->cu);
    pl__free(g->pc);
    pl__free(g->cc);
    pl__free(g->eoff);
    pl__free(g->eprev);
    pl__free(g->egrp);
    pl__free(g->bu);
    pl__free(g->bx);
    pl__free(g->bj);
    pl__free(g->bidx);
    pl__free(g->btmp);
    pl__free(g->mx_pre);
    pl__free(g->mx_suf);
    pl__free(g->mn_pre);
    pl__free(g->mn_suf);
    pl__free(g->can_hi);
    pl__free(g->can_lo);
    pl__free(g->fhi);
    pl__free(g->flo);
    pl__free(g->jx_pre);
    pl__free(g->jx_suf);
    pl__free(g->fj);
    pl__free(g->cb);
    pl__mg_filt_destroy(&g->f);
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

/* The joint rule's sums (see pl__mg), when at least two parties can pass 1 and there are at most PL__MG_JOINT_MAX
 * parties. */
static int joint_init(pl__mg *g)
{
    size_t np = g->np, ni = g->ni, nhi = 0;
    for (size_t k = 0; k < np; k++) {
        nhi += g->can_hi[k];
    }
    if (np < 2 || np > PL__MG_JOINT_MAX || nhi < 2) {
        return 0;
    }
    size_t jn = (size_t)1 << np;
    double *sum = pl__malloc(jn * sizeof *sum);
    g->jx_pre = pl__malloc((ni + 1) * jn * sizeof *g->jx_pre);
    g->jx_suf = pl__malloc((ni + 1) * jn * sizeof *g->jx_suf);
    g->fj = pl__malloc(jn * sizeof *g->fj);
    if (!sum || !g->jx_pre || !g->jx_suf || !g->fj) {
        pl__free(sum);
        return pl__mg_oom(g);
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
    pl__free(sum);
    return 0;
}

int pl__pareto_merge(const pl_scenario *sc, const size_t *parties, size_t np, const pl_analysis_options *o,
                     pl__fb *fb, pl_diag *d)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s);
    pl__mg g;
    memset(&g, 0, sizeof g);
    g.np = np;
    g.ni = ni;
    g.d = d;
    g.max_points = o->max_points;
    uint32_t cap = o->outcomes_per_point ? o->outcomes_per_point : 1;
    int rc = 0;
    g.uf = pl__malloc(np * sizeof *g.uf);
    g.iss = pl__calloc(ni ? ni : 1, sizeof *g.iss);
    g.st = pl__calloc(ni ? ni : 1, sizeof *g.st);
    g.pu = pl__calloc(np, sizeof *g.pu);
    g.cu = pl__calloc(np, sizeof *g.cu);
    g.pc = pl__malloc(sizeof *g.pc);
    g.cc = pl__malloc(sizeof *g.cc);
    size_t bounds = (ni + 1) * np;
    g.mx_pre = pl__malloc(bounds * sizeof *g.mx_pre);
    g.mx_suf = pl__malloc(bounds * sizeof *g.mx_suf);
    g.mn_pre = pl__malloc(bounds * sizeof *g.mn_pre);
    g.mn_suf = pl__malloc(bounds * sizeof *g.mn_suf);
    g.can_hi = pl__malloc(np * sizeof *g.can_hi);
    g.can_lo = pl__malloc(np * sizeof *g.can_lo);
    g.fhi = pl__malloc(np * sizeof *g.fhi);
    g.flo = pl__malloc(np * sizeof *g.flo);
    g.cb = pl__malloc(np * sizeof *g.cb);
    g.f.cb = g.cb;
    if (!g.uf || !g.iss || !g.st || !g.pu || !g.cu || !g.pc || !g.cc || !g.mx_pre || !g.mx_suf || !g.mn_pre ||
        !g.mn_suf || !g.can_hi || !g.can_lo || !g.fhi || !g.flo || !g.cb) {
        rc = pl__mg_oom(&g);
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
            rc = pl__mg_oom(&g);
        }
        goto cleanup;
    }
    for (size_t i = 0; i < ni; i++) {
        if ((rc = build_issue(&g, i)) < 0 || (rc = merge_issue(&g, i)) < 0) {
            goto cleanup;
        }
    }
    rc = pl__mg_emit_all(&g, fb, cap);
cleanup:
    mg_destroy(&g);
    return rc;
}
