/* Utility functions: common state (space binding, reservation, discount), evaluation dispatch, and the linear
 * additive kind (u = clamp(sum_i w_i f_i(o_i), 0, 1)). Invariant (linear): wtab[off[i] + v] == weights[i] * values[off[i] + v] for every slot. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/ufun_internal.h"

pl_ufun *pl__ufun_alloc(const pl_space *s, pl_ufun_kind kind)
{
    pl_ufun *u = pl__calloc(1, sizeof *u);
    if (!u) {
        return NULL;
    }
    u->kind = kind;
    u->space = s;
    u->n_issues = s->n;
    u->discount = 1;
    u->discount_eff = 1;
    u->off = pl__malloc((s->n + 1) * sizeof *u->off);
    if (!u->off) {
        pl__free(u);
        return NULL;
    }
    uint32_t total = 0;
    for (size_t i = 0; i < s->n; i++) {
        u->off[i] = total;
        total += s->issues[i].n; /* <= PL_ISSUES_MAX * PL_ISSUE_VALUES_MAX < 2^32 */
    }
    u->off[s->n] = total;
    return u;
}

int pl_ufun_linear_new(const pl_space *s, pl_ufun **out, pl_diag *d)
{
    if (!out) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "pl_ufun_linear_new: out is NULL");
    }
    *out = NULL;
    if (!s) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "pl_ufun_linear_new: no space");
    }
    pl_ufun *u = pl__ufun_alloc(s, PL_UFUN_LINEAR);
    if (!u) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    size_t slots = u->off[s->n];
    u->weights = pl__calloc(s->n ? s->n : 1, sizeof *u->weights);
    u->vfs = pl__calloc(s->n ? s->n : 1, sizeof *u->vfs);
    u->values = pl__calloc(slots ? slots : 1, sizeof *u->values);
    u->wtab = pl__calloc(slots ? slots : 1, sizeof *u->wtab);
    if (!u->weights || !u->vfs || !u->values || !u->wtab) {
        pl_ufun_free(u);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *out = u;
    return 0;
}

void pl_ufun_free(pl_ufun *u)
{
    if (!u) {
        return;
    }
    pl__free(u->off);
    pl__free(u->weights);
    pl__free(u->vfs);
    pl__free(u->values);
    pl__free(u->wtab);
    pl__ufun_rect_destroy(u);
    pl__ufun_red_lines_destroy(u);
    pl__free(u);
}

static void reweigh(pl_ufun *u, size_t i)
{
    for (uint32_t k = u->off[i]; k < u->off[i + 1]; k++) {
        u->wtab[k] = u->weights[i] * u->values[k];
    }
}

int pl_ufun_linear_set_weight(pl_ufun *u, size_t issue, double weight)
{
    if (u->kind != PL_UFUN_LINEAR || issue >= u->n_issues || !isfinite(weight) || weight < 0) {
        return PL_EINVAL;
    }
    u->weights[issue] = weight;
    reweigh(u, issue);
    return 0;
}

int pl_ufun_linear_set_table(pl_ufun *u, size_t issue, const double *values)
{
    if (u->kind != PL_UFUN_LINEAR || issue >= u->n_issues) {
        return PL_EINVAL;
    }
    uint32_t n = u->off[issue + 1] - u->off[issue];
    for (uint32_t v = 0; v < n; v++) {
        if (!isfinite(values[v])) {
            return PL_EINVAL;
        }
    }
    memcpy(u->values + u->off[issue], values, n * sizeof *values);
    memset(&u->vfs[issue], 0, sizeof u->vfs[issue]);
    u->vfs[issue].kind = PL_VF_TABLE;
    reweigh(u, issue);
    return 0;
}

static double clamp01(double x)
{
    return x < 0 ? 0 : (x > 1 ? 1 : x);
}

/* Value of a parametric value function at x (lower: the issue's lower bound). */
static double vf_value(const pl_vf *vf, double x, double lower)
{
    if (vf->kind == PL_VF_LINEAR) {
        return clamp01(vf->offset + vf->slope * (x - lower));
    }
    /* Triangular: 0 at and outside [start, end], 1 at peak. A degenerate side (peak == start or end) is a step. */
    if (x < vf->start || x > vf->end) {
        return 0;
    }
    if (x == vf->peak) {
        return 1;
    }
    if (x < vf->peak) {
        return (x - vf->start) / (vf->peak - vf->start);
    }
    return (vf->end - x) / (vf->end - vf->peak);
}

int pl_ufun_linear_set_vf(pl_ufun *u, size_t issue, const pl_vf *vf)
{
    if (u->kind != PL_UFUN_LINEAR || issue >= u->n_issues) {
        return PL_EINVAL;
    }
    const pl__issue *is = &u->space->issues[issue];
    if (vf->kind == PL_VF_TABLE || is->kind == PL_ISSUE_DISCRETE) {
        return PL_EINVAL;
    }
    if (vf->kind == PL_VF_LINEAR && (!isfinite(vf->offset) || !isfinite(vf->slope))) {
        return PL_EINVAL;
    }
    if (vf->kind == PL_VF_TRIANGULAR &&
        (!isfinite(vf->start) || !isfinite(vf->peak) || !isfinite(vf->end) || !(vf->start <= vf->peak) ||
         !(vf->peak <= vf->end))) {
        return PL_EINVAL;
    }
    if (vf->kind != PL_VF_LINEAR && vf->kind != PL_VF_TRIANGULAR) {
        return PL_EINVAL;
    }
    double lower;
    pl_space_issue_range(u->space, issue, &lower, NULL, NULL);
    for (uint32_t v = 0; v < is->n; v++) {
        u->values[u->off[issue] + v] = vf_value(vf, pl_space_value_number(u->space, issue, v), lower);
    }
    u->vfs[issue] = *vf;
    reweigh(u, issue);
    return 0;
}

double pl_ufun_linear_weight(const pl_ufun *u, size_t issue)
{
    return u->kind == PL_UFUN_LINEAR ? u->weights[issue] : 0;
}

const pl_vf *pl_ufun_linear_vf(const pl_ufun *u, size_t issue)
{
    return u->kind == PL_UFUN_LINEAR ? &u->vfs[issue] : NULL;
}

double pl_ufun_linear_value(const pl_ufun *u, size_t issue, uint32_t value)
{
    return u->kind == PL_UFUN_LINEAR ? u->values[u->off[issue] + value] : 0;
}

pl_ufun *pl_ufun_copy(const pl_ufun *src, const pl_space *s)
{
    pl_ufun *u = NULL;
    if ((src->kind == PL_UFUN_LINEAR ? pl_ufun_linear_new(s, &u, NULL)
                                     : pl_ufun_rect_new(s, src->max_utility, &u, NULL)) < 0) {
        return NULL;
    }
    if (u->off[u->n_issues] != src->off[src->n_issues] || u->n_issues != src->n_issues) {
        pl_ufun_free(u);
        return NULL;
    }
    u->reservation = src->reservation;
    u->discount = src->discount;
    u->discount_eff = src->discount_eff;
    if (src->kind == PL_UFUN_LINEAR) {
        size_t slots = src->off[src->n_issues];
        memcpy(u->weights, src->weights, src->n_issues * sizeof *u->weights);
        memcpy(u->vfs, src->vfs, src->n_issues * sizeof *u->vfs);
        memcpy(u->values, src->values, slots * sizeof *u->values);
        memcpy(u->wtab, src->wtab, slots * sizeof *u->wtab);
    } else if (pl__ufun_rect_copy(u, src) < 0) {
        pl_ufun_free(u);
        return NULL;
    }
    if (pl__ufun_red_lines_copy(u, src) < 0) {
        pl_ufun_free(u);
        return NULL;
    }
    return u;
}

pl_ufun_kind pl_ufun_kind_of(const pl_ufun *u)
{
    return u->kind;
}

const pl_space *pl_ufun_space(const pl_ufun *u)
{
    return u->space;
}

int pl_ufun_set_reservation(pl_ufun *u, double r)
{
    if (!isfinite(r)) {
        return PL_EINVAL;
    }
    u->reservation = r;
    return 0;
}

double pl_ufun_reservation(const pl_ufun *u)
{
    return u->reservation;
}

int pl_ufun_set_discount(pl_ufun *u, double d)
{
    if (isnan(d)) {
        return PL_EINVAL;
    }
    u->discount = d;
    u->discount_eff = (d <= 0 || d > 1) ? 1 : d;
    return 0;
}

double pl_ufun_discount(const pl_ufun *u)
{
    return u->discount;
}

double pl_ufun_discount_effective(const pl_ufun *u)
{
    return u->discount_eff;
}

static inline double linear_eval(const pl_ufun *u, const uint32_t *o)
{
    const double *t = u->wtab;
    const uint32_t *off = u->off;
    double acc = 0;
    for (size_t i = 0; i < u->n_issues; i++) {
        acc += t[off[i] + o[i]];
    }
    /* Utilities live in [0, 1]; as in GENIUS, weights that sum past 1 (ANAC 2011 Laptop: 1.0000518) give 1. */
    return acc > 1 ? 1 : (acc < 0 ? 0 : acc);
}

double pl_ufun_eval_raw(const pl_ufun *u, const uint32_t *o)
{
    return u->kind == PL_UFUN_LINEAR ? linear_eval(u, o) : pl__ufun_rect_eval(u, o);
}

double pl_ufun_eval(const pl_ufun *u, const uint32_t *o)
{
    if (u->n_lines && pl__ufun_breaks(u, o)) {
        return 0;
    }
    return u->kind == PL_UFUN_LINEAR ? linear_eval(u, o) : pl__ufun_rect_eval(u, o);
}

double pl_ufun_eval_at(const pl_ufun *u, const uint32_t *o, double t)
{
    double x = pl_ufun_eval(u, o);
    return u->discount_eff == 1 ? x : x * pow(u->discount_eff, t);
}

void pl_ufun_eval_many(const pl_ufun *u, const uint32_t *o, size_t n, double *out)
{
    size_t k = u->n_issues;
    if (u->n_lines) {
        for (size_t j = 0; j < n; j++) {
            out[j] = pl_ufun_eval(u, o + j * k);
        }
    } else if (u->kind == PL_UFUN_LINEAR) {
        for (size_t j = 0; j < n; j++) {
            out[j] = linear_eval(u, o + j * k);
        }
    } else {
        for (size_t j = 0; j < n; j++) {
            out[j] = pl__ufun_rect_eval(u, o + j * k);
        }
    }
}
