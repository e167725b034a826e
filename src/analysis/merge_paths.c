/* The paths behind the merge's points: the edges kept with each point and the number of outcomes behind it, the
 * first prefixes of every point in lexicographic order, and the final points fed to the frontier builder. */
#include <stdlib.h>
#include <string.h>

#include "analysis/merge_internal.h"

/* ---- Edges and path counts ---- */

/* Add an edge (previous point x, group j) to the last point. */
int pl__mg_edge_add(pl__mg *g, size_t i, uint32_t x, uint32_t j)
{
    if (g->en == g->ecap) {
        size_t cap = g->ecap ? g->ecap * 2 : 1024;
        if (pl__mg_grow_array(&g->eprev, cap, sizeof *g->eprev) < 0 ||
            pl__mg_grow_array(&g->egrp, cap, sizeof *g->egrp) < 0) {
            return pl__mg_oom(g);
        }
        g->ecap = cap;
    }
    g->eprev[g->en] = x;
    g->egrp[g->en] = j;
    g->en++;
    g->eoff[g->cn] = g->en;
    const pl__mg_issue *is = &g->iss[i];
    uint64_t paths = pl__mul_sat(g->pc[x], is->voff[j + 1] - is->voff[j]);
    g->cc[g->cn - 1] = pl__add_sat(g->cc[g->cn - 1], paths);
    return 0;
}

/* ---- Listing the outcomes ---- */

/* Forward adjacency of stage i: for each previous point, its (value, next point) pairs in ascending value order.
 * The incoming edges are not needed afterwards and are released. */
static int build_forward(pl__mg *g, size_t i)
{
    pl__mg_stage *st = &g->st[i];
    const pl__mg_issue *is = &g->iss[i];
    size_t prev_n = i == 0 ? 1 : g->st[i - 1].n;
    size_t ne = st->eoff[st->n];
    /* Edges bucketed by group, as (previous point, point) pairs. */
    size_t *goff = pl__calloc(is->ng + 1, sizeof *goff);
    uint32_t *bx = pl__malloc((ne ? ne : 1) * sizeof *bx), *by = pl__malloc((ne ? ne : 1) * sizeof *by);
    size_t *fill = NULL;
    int rc = 0;
    st->ooff = pl__calloc(prev_n + 1, sizeof *st->ooff);
    if (!goff || !bx || !by || !st->ooff) {
        rc = pl__mg_oom(g);
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
    st->oval = pl__malloc((nout ? nout : 1) * sizeof *st->oval);
    st->onext = pl__malloc((nout ? nout : 1) * sizeof *st->onext);
    fill = pl__malloc((prev_n > is->ng ? prev_n : is->ng + 1) * sizeof *fill);
    if (!st->oval || !st->onext || !fill) {
        rc = pl__mg_oom(g);
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
    pl__free(st->eoff);
    pl__free(st->eprev);
    pl__free(st->egrp);
    st->eoff = NULL;
    st->eprev = NULL;
    st->egrp = NULL;
cleanup:
    pl__free(goff);
    pl__free(bx);
    pl__free(by);
    pl__free(fill);
    return rc;
}

/* Keep, for every point of every stage, its first `cap` prefixes (value choices for issues 0..i) in lexicographic
 * order. A prefix of point y is a prefix q of a previous point x extended by a value v with an edge x -v-> y, and
 * only x's first `cap` prefixes can give y's first `cap` (each earlier prefix of x gives an earlier one of y with the
 * same v). Taking the previous stage's kept prefixes in lexicographic order and, for each, the values in ascending
 * order, the extensions reach every point in lexicographic order: a point's first `cap` arrivals are its first
 * `cap` prefixes, and the order of acceptance is the new stage's lexicographic order, so no sorting is needed.
 * Time and memory: O(cap * edges). Prefix k of stage i is stored as (prefix of stage i-1, value). */
static int keep_prefixes(pl__mg *g, uint32_t cap, uint32_t **final_node, size_t *n_final)
{
    size_t ni = g->ni;
    uint32_t *node_prev = pl__malloc(sizeof *node_prev), *node_cur = NULL, *acc = NULL;
    size_t nprev = 1, ncur = 0, alloc = 0;
    int rc = 0;
    if (!node_prev) {
        rc = pl__mg_oom(g);
        goto cleanup;
    }
    node_prev[0] = 0; /* the empty prefix, at the root */
    for (size_t i = 0; i < ni; i++) {
        pl__mg_stage *st = &g->st[i];
        if ((rc = build_forward(g, i)) < 0) {
            goto cleanup;
        }
        acc = pl__calloc(st->n ? st->n : 1, sizeof *acc);
        if (!acc) {
            rc = pl__mg_oom(g);
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
                    if (pl__mg_grow_array(&st->pprev, a, sizeof *st->pprev) < 0 ||
                        pl__mg_grow_array(&st->pval, a, sizeof *st->pval) < 0 ||
                        pl__mg_grow_array(&node_cur, a, sizeof *node_cur) < 0) {
                        rc = pl__mg_oom(g);
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
        pl__free(st->ooff);
        pl__free(st->oval);
        pl__free(st->onext);
        st->ooff = NULL;
        st->oval = NULL;
        st->onext = NULL;
        pl__free(acc);
        acc = NULL;
        pl__free(node_prev);
        node_prev = node_cur;
        node_cur = NULL;
        nprev = ncur;
    }
    *final_node = node_prev;
    *n_final = nprev;
    node_prev = NULL;
cleanup:
    pl__free(node_prev);
    pl__free(node_cur);
    pl__free(acc);
    return rc;
}

/* Feed the final points to the builder: each one's kept outcomes, then the rest of its count. */
int pl__mg_emit_all(pl__mg *g, pl__fb *fb, uint32_t cap)
{
    size_t ni = g->ni, nf = 0, npts = g->pn;
    uint32_t *fnode = NULL;
    int rc = keep_prefixes(g, cap, &fnode, &nf);
    if (rc < 0) {
        return rc;
    }
    /* The final prefixes are in lexicographic order; bucket them by point, keeping that order. */
    size_t *start = pl__calloc(npts + 1, sizeof *start);
    uint32_t *order = pl__malloc((nf ? nf : 1) * sizeof *order);
    uint32_t *id = pl__malloc((nf ? nf : 1) * sizeof *id);
    uint32_t *o = pl__malloc((nf ? nf : 1) * ni * sizeof *o);
    if (!start || !order || !id || !o) {
        rc = pl__mg_oom(g);
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
            const pl__mg_stage *st = &g->st[s];
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
        pl__mg_oom(g);
    } else if (rc < 0) {
        pl__diag_set(g->d, rc, NULL, 0, 0,
                     "merge: the frontier's %zu points and their outcomes exceed the frontier builder's bound; raise "
                     "max_points",
                     npts);
    }
cleanup:
    pl__free(fnode);
    pl__free(start);
    pl__free(order);
    pl__free(id);
    pl__free(o);
    return rc;
}
