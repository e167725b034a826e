/* The merge algorithm's state, shared by its modules: the issue-by-issue driver (pareto_merge.c), the
 * margin-dominance filter (merge_filter.c) and the paths behind the points (merge_paths.c). */
#ifndef PL_MERGE_INTERNAL_H
#define PL_MERGE_INTERNAL_H

#include <stdint.h>

#include "analysis/analysis_internal.h"

/* ---- The margin-dominance filter (merge_filter.c) ---- */

/* A staircase of 2-D points (a treap, index 0 = nil) for the filter's 3-party queries. */
typedef struct pl__mg_tr_node {
    double k, v;
    uint32_t l, r, pri;
} pl__mg_tr_node;

typedef struct pl__mg_treap {
    pl__mg_tr_node *a;
    uint32_t cap, used, root, freel;
    uint32_t rng;
} pl__mg_treap;

/* The joint rule applies to at most this many parties. */
#define PL__MG_JOINT_MAX 8

/* The filter over a stream of non-increasing first coordinate (see merge_filter.c for the rule). */
typedef struct pl__mg_filt {
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
    pl__mg_treap tlag, tall; /* 3 parties: staircases of (second, third) coordinates over the same sets */
} pl__mg_filt;

/* Start a new stream: points must be ahead by more than m, the clamp conditions use margin mc and the bounds hi / lo
 * (np each, kept by the caller) on what the rest can add; no joint rule until the caller sets jrest, jadd and jm. */
void pl__mg_filt_reset(pl__mg_filt *f, size_t np, double m, double mc, const double *hi, const double *lo);
/* 1 when c is dominated by one of kept[0 .. nk) (the points kept so far), 0 when not, PL_ENOMEM. The first
 * coordinates must not increase between resets. */
int pl__mg_filt_dominated(pl__mg_filt *f, const double *kept, size_t nk, const double *c);
/* p has just been kept (appended to the kept points). PL_ENOMEM on allocation failure. */
int pl__mg_filt_add(pl__mg_filt *f, const double *p);
/* Release the filter's staircases. */
void pl__mg_filt_destroy(pl__mg_filt *f);

/* ---- State ---- */

/* One issue's Pareto-efficient values, grouped by identical utility vectors, groups lexicographically descending. */
typedef struct pl__mg_issue {
    uint32_t nv;       /* values of the issue */
    size_t ng;         /* groups */
    double *vec;       /* ng * np */
    uint32_t *voff;    /* ng + 1: group g's values are vals[voff[g] .. voff[g+1]), ascending */
    uint32_t *vals;
    uint32_t *group;   /* nv: each value's group, or UINT32_MAX when the value was pruned */
} pl__mg_issue;

/* The partial points after an issue (lexicographically descending) and how they were reached. */
typedef struct pl__mg_stage {
    size_t n;
    size_t *eoff;      /* n + 1: point y's incoming edges are [eoff[y], eoff[y+1]) */
    uint32_t *eprev;   /* the previous stage's point (0 = the root before issue 0) */
    uint32_t *egrp;    /* the value group of this issue */
    /* Forward adjacency from the previous stage's points, values ascending (built after the merge). */
    size_t *ooff;      /* previous stage's points + 1 */
    uint32_t *oval, *onext;
    /* The first prefixes of every point, in lexicographic order: (previous stage's prefix, value). */
    uint32_t *pprev, *pval;
} pl__mg_stage;

typedef struct pl__mg {
    size_t np, ni;
    const pl_ufun **uf;
    uint64_t max_points;
    double unit;       /* more than one addition can close the gap between two partial sums (see pl__pareto_merge) */
    /* The clamp: per issue boundary b (0..ni) and party k, the sums of the issues' largest (smallest) table entries
     * over issues < b (pre) and >= b (suf); whether the clamp at 1 (at 0) can act on some outcome of party k; the
     * filter's current bounds on what the other issues add. */
    double *mx_pre, *mx_suf, *mn_pre, *mn_suf;
    unsigned char *can_hi, *can_lo;
    double *fhi, *flo;
    /* The joint rule (2 to PL__MG_JOINT_MAX parties, 0 otherwise): jn = 2^np sets of parties; per issue boundary and
     * set, the sums over issues < b (>= b) of the issue's largest sum over the set's table entries; the filter's
     * current bounds. */
    size_t jn;
    double *jx_pre, *jx_suf, *fj;
    unsigned char *cb;
    pl__mg_issue *iss;
    pl__mg_stage *st;
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
    uint32_t *bx, *bj;
    size_t *bidx, *btmp; /* the batch's sort order (pl__sort_indices) */
    size_t bn, bcap;
    pl__mg_filt f;
    pl_diag *d;
} pl__mg;

/* Set the diagnostic and return PL_ENOMEM. */
int pl__mg_oom(pl__mg *g);
/* Resize the array whose pointer variable is at pp (any object pointer type) to n elements of size elem (see
 * pareto_merge.c). PL_ENOMEM leaves the array as it was. */
int pl__mg_grow_array(void *pp, size_t n, size_t elem);

/* ---- The paths behind the points (merge_paths.c) ---- */

/* Add an edge (previous point x, value group j of issue i) to the current stage's last point, adding the outcomes
 * it brings to the point's path count. */
int pl__mg_edge_add(pl__mg *g, size_t i, uint32_t x, uint32_t j);
/* After the last issue: feed the final points to the builder, each with its first cap outcomes in lexicographic
 * order, then the rest of its count. Releases the stages' edges on the way. */
int pl__mg_emit_all(pl__mg *g, pl__fb *fb, uint32_t cap);

#endif
