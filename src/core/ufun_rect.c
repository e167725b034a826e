/* Hyper-rectangle utility functions (the ANAC 2014 non-linear kind): u(o) is the sum of the utilities of the
 * rectangles whose bounds o satisfies, divided by the maximum utility. Each (issue, value) slot carries a bitmask of
 * the rectangles it satisfies, so evaluation ANDs one word per bounded issue and sums the surviving bits.
 * Invariant: bit r of masks[slot * words + w] (r = 64w + bit) is set iff value slot meets all of rectangle r's
 * bounds on that slot's issue (always set when the rectangle does not bound the issue). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/ufun_internal.h"

int pl_ufun_rect_new(const pl_space *s, double max_utility, pl_ufun **out, pl_diag *d)
{
    if (!out) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "pl_ufun_rect_new: out is NULL");
    }
    *out = NULL;
    if (!s) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "pl_ufun_rect_new: no space");
    }
    if (!isfinite(max_utility) || max_utility <= 0) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "maximum utility %g: must be finite and > 0", max_utility);
    }
    pl_ufun *u = pl__ufun_alloc(s, PL_UFUN_RECT);
    if (!u) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    u->max_utility = max_utility;
    u->active = pl__calloc(s->n ? s->n : 1, sizeof *u->active);
    if (!u->active) {
        pl_ufun_free(u);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *out = u;
    return 0;
}

void pl__ufun_rect_destroy(pl_ufun *u)
{
    for (size_t r = 0; r < u->n_rects; r++) {
        pl__free(u->rbounds[r]);
    }
    pl__free(u->rbounds);
    pl__free(u->rn);
    pl__free(u->rutil);
    pl__free(u->masks);
    pl__free(u->active);
}

static int satisfies(const pl_rect_bound *b, size_t n, uint32_t issue, uint32_t v)
{
    for (size_t k = 0; k < n; k++) {
        if (b[k].issue != issue) {
            continue;
        }
        int in = v >= b[k].lo && v <= b[k].hi;
        if (in == !!b[k].exclude) {
            return 0;
        }
    }
    return 1;
}

/* Rebuild every mask (on growth past a multiple of 64 rectangles), or set the bits of rectangle r only. */
static int build_masks(pl_ufun *u, size_t only)
{
    size_t slots = u->off[u->n_issues];
    size_t words = (u->n_rects + 63) / 64;
    if (words != u->words) {
        size_t cells = slots * words;
        uint64_t *m = pl__calloc(cells > 0 ? cells : 1, sizeof *m);
        if (!m) {
            return PL_ENOMEM;
        }
        pl__free(u->masks);
        u->masks = m;
        u->words = words;
        only = (size_t)-1;
    }
    for (size_t r = 0; r < u->n_rects; r++) {
        if (only != (size_t)-1 && r != only) {
            continue;
        }
        size_t w = r / 64;
        uint64_t bit = (uint64_t)1 << (r % 64);
        for (uint32_t i = 0; i < u->n_issues; i++) {
            for (uint32_t v = 0; v < u->off[i + 1] - u->off[i]; v++) {
                uint64_t *m = &u->masks[(size_t)(u->off[i] + v) * words + w];
                if (satisfies(u->rbounds[r], u->rn[r], i, v)) {
                    *m |= bit;
                } else {
                    *m &= ~bit;
                }
            }
        }
    }
    /* Issues bounded by some rectangle; the others never clear a bit and are skipped by eval. */
    u->n_active = 0;
    for (uint32_t i = 0; i < u->n_issues; i++) {
        int bounded = 0;
        for (size_t r = 0; r < u->n_rects && !bounded; r++) {
            for (size_t k = 0; k < u->rn[r]; k++) {
                if (u->rbounds[r][k].issue == i) {
                    bounded = 1;
                    break;
                }
            }
        }
        if (bounded) {
            u->active[u->n_active++] = i;
        }
    }
    return 0;
}

int pl_ufun_rect_add(pl_ufun *u, double utility, size_t n, const pl_rect_bound *bounds)
{
    if (u->kind != PL_UFUN_RECT || !isfinite(utility) || (n && !bounds)) {
        return PL_EINVAL;
    }
    for (size_t k = 0; k < n; k++) {
        const pl_rect_bound *b = &bounds[k];
        if (b->issue >= u->n_issues || b->lo > b->hi || b->hi >= u->off[b->issue + 1] - u->off[b->issue]) {
            return PL_EINVAL;
        }
    }
    if (u->n_rects == u->cap_rects) {
        size_t cap = u->cap_rects ? 2 * u->cap_rects : 16;
        double *ru = pl__realloc(u->rutil, cap * sizeof *ru);
        if (ru) {
            u->rutil = ru;
        }
        pl_rect_bound **rb = pl__realloc(u->rbounds, cap * sizeof *rb);
        if (rb) {
            u->rbounds = rb;
        }
        size_t *rn = pl__realloc(u->rn, cap * sizeof *rn);
        if (rn) {
            u->rn = rn;
        }
        if (!ru || !rb || !rn) {
            return PL_ENOMEM;
        }
        u->cap_rects = cap;
    }
    pl_rect_bound *copy = pl__malloc((n ? n : 1) * sizeof *copy);
    if (!copy) {
        return PL_ENOMEM;
    }
    if (n) {
        memcpy(copy, bounds, n * sizeof *copy);
    }
    size_t r = u->n_rects++;
    u->rbounds[r] = copy;
    u->rn[r] = n;
    u->rutil[r] = utility;
    if (build_masks(u, r) < 0) {
        u->n_rects--;
        pl__free(copy);
        return PL_ENOMEM;
    }
    return 0;
}

int pl__ufun_rect_copy(pl_ufun *dst, const pl_ufun *src)
{
    for (size_t r = 0; r < src->n_rects; r++) {
        int rc = pl_ufun_rect_add(dst, src->rutil[r], src->rn[r], src->rbounds[r]);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

size_t pl_ufun_rect_count(const pl_ufun *u)
{
    return u->kind == PL_UFUN_RECT ? u->n_rects : 0;
}

double pl_ufun_rect_max_utility(const pl_ufun *u)
{
    return u->max_utility;
}

double pl_ufun_rect_utility(const pl_ufun *u, size_t r)
{
    return u->rutil[r];
}

const pl_rect_bound *pl_ufun_rect_bounds(const pl_ufun *u, size_t r, size_t *n)
{
    *n = u->rn[r];
    return u->rbounds[r];
}

double pl__ufun_rect_eval(const pl_ufun *u, const uint32_t *o)
{
    double acc = 0;
    const size_t words = u->words;
    for (size_t w = 0; w < words; w++) {
        uint64_t m = ~(uint64_t)0;
        for (size_t k = 0; k < u->n_active && m; k++) {
            uint32_t i = u->active[k];
            m &= u->masks[(size_t)(u->off[i] + o[i]) * words + w];
        }
        if (w == words - 1 && u->n_rects % 64) {
            m &= ((uint64_t)1 << (u->n_rects % 64)) - 1;
        }
        /* Bits are visited in rectangle order, so the sum does not depend on the mask layout. */
        while (m) {
            int b = __builtin_ctzll(m);
            acc += u->rutil[w * 64 + (size_t)b];
            m &= m - 1;
        }
    }
    /* Divide once at the end: integral rectangle utilities then sum exactly. */
    return acc / u->max_utility;
}
