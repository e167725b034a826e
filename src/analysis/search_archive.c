/* The search's archive: the non-dominated utility vectors found so far, each with the smallest distinct outcomes
 * reaching it (a staircase kept in order for 2 parties, an unordered list otherwise). */
#include <stdlib.h>
#include <string.h>

#include "analysis/search_internal.h"

void pl__sr_archive_destroy(pl__sr_archive *ar)
{
    for (size_t k = 0; k < ar->n; k++) {
        pl__free(ar->pt[k].o);
    }
    pl__free(ar->u);
    pl__free(ar->pt);
}

/* Keep x among the point's outcomes if it is new and among the cap smallest: the builder keeps the first
 * outcomes_per_point in lexicographic order, so smaller ones are the ones worth holding. */
static int apoint_add(const pl__sr_archive *ar, pl__sr_apoint *p, const uint32_t *x)
{
    size_t ni = ar->ni;
    uint32_t lo = 0, hi = p->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = pl__sr_lex_cmp(p->o + (size_t)mid * ni, x, ni);
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
        uint32_t *o = pl__realloc(p->o, (size_t)a * (ni ? ni : 1) * sizeof *o);
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
static int archive_insert_slot(pl__sr_archive *ar, size_t at)
{
    if (ar->n == ar->alloc) {
        size_t a = ar->alloc ? 2 * ar->alloc : 64;
        double *u = pl__realloc(ar->u, a * ar->np * sizeof *u);
        if (!u) {
            return PL_ENOMEM;
        }
        ar->u = u;
        pl__sr_apoint *pt = pl__realloc(ar->pt, a * sizeof *pt);
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
static int archive_add2(pl__sr_archive *ar, const double *u, const uint32_t *x)
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
        pl__free(ar->pt[e].o);
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
static int archive_addn(pl__sr_archive *ar, const double *u, const uint32_t *x)
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
            pl__free(ar->pt[k].o);
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

int pl__sr_archive_add(pl__sr_archive *ar, const double *u, const uint32_t *x)
{
    return ar->np == 2 ? archive_add2(ar, u, x) : archive_addn(ar, u, x);
}
