/* Utility functions: linear additive and hyper-rectangle (ANAC 2014 non-linear) kinds, each with a reservation value
 * and a discount factor. Evaluation is the hot path: per-issue weighted tables (linear additive) or per-issue
 * rectangle bitmasks (hyper-rectangle) are built as the function is defined, so pl_ufun_eval does no allocation. */
#ifndef PARLEY_UFUN_H
#define PARLEY_UFUN_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/space.h"

typedef enum pl_ufun_kind {
    PL_UFUN_LINEAR = 0, /* u(o) = clamp(sum_i w_i * f_i(o_i), 0, 1): above 1 counts as 1, as in GENIUS */
    PL_UFUN_RECT = 1    /* u(o) = sum of utilities of the rectangles o satisfies, divided by max utility */
} pl_ufun_kind;

/* Per-issue value functions of a linear additive utility function. */
typedef enum pl_vf_kind {
    PL_VF_TABLE = 0,     /* one number per value */
    PL_VF_LINEAR = 1,    /* numeric issues: f(x) = clamp(offset + slope * (x - lower), 0, 1) */
    PL_VF_TRIANGULAR = 2 /* numeric issues: 0 at and outside [start, end], 1 at peak, linear in between */
} pl_vf_kind;

typedef struct pl_vf {
    pl_vf_kind kind;
    double offset, slope;     /* PL_VF_LINEAR */
    double start, peak, end;  /* PL_VF_TRIANGULAR */
} pl_vf;

/* One bound of a hyper-rectangle, in value indices of `issue`: the outcome satisfies it when its value index is in
 * [lo, hi] (or, with exclude, outside it). */
typedef struct pl_rect_bound {
    uint32_t issue;
    uint32_t lo, hi;
    int exclude;
} pl_rect_bound;

typedef struct pl_ufun pl_ufun;

/* A linear additive function over s with every weight 0 and every value function a zero table. The function keeps
 * a borrowed pointer to s, which must outlive it. NULL on allocation failure. The caller owns the result. */
pl_ufun *pl_ufun_linear_new(const pl_space *s);
/* Issue weight; must be finite and >= 0 (PL_EINVAL). */
int pl_ufun_linear_set_weight(pl_ufun *u, size_t issue, double weight);
/* Value function as a table of pl_space_value_count(issue) finite numbers. */
int pl_ufun_linear_set_table(pl_ufun *u, size_t issue, const double *values);
/* Value function as a parametric form (PL_VF_LINEAR / PL_VF_TRIANGULAR; numeric issues only, else PL_EINVAL). */
int pl_ufun_linear_set_vf(pl_ufun *u, size_t issue, const pl_vf *vf);
double pl_ufun_linear_weight(const pl_ufun *u, size_t issue);
/* The value function's form (tables: kind PL_VF_TABLE) and its unweighted value at a value index. */
const pl_vf *pl_ufun_linear_vf(const pl_ufun *u, size_t issue);
double pl_ufun_linear_value(const pl_ufun *u, size_t issue, uint32_t value);

/* A hyper-rectangle function over s with no rectangles; utilities are divided by max_utility (> 0). Borrowed space,
 * as above. The caller owns the result. */
pl_ufun *pl_ufun_rect_new(const pl_space *s, double max_utility);
/* Add a rectangle worth `utility` (before normalisation) bounded by n bounds (an issue may be bounded more than
 * once; all bounds must hold). n = 0 gives a rectangle every outcome satisfies. PL_EINVAL on a bad bound. */
int pl_ufun_rect_add(pl_ufun *u, double utility, size_t n, const pl_rect_bound *bounds);
size_t pl_ufun_rect_count(const pl_ufun *u);
double pl_ufun_rect_max_utility(const pl_ufun *u);
/* Rectangle r: its utility and bounds (pointer valid until the next add). */
double pl_ufun_rect_utility(const pl_ufun *u, size_t r);
const pl_rect_bound *pl_ufun_rect_bounds(const pl_ufun *u, size_t r, size_t *n);

void pl_ufun_free(pl_ufun *u); /* NULL-safe */
/* Deep copy bound to space s (which must equal the original's space). NULL on allocation failure. */
pl_ufun *pl_ufun_copy(const pl_ufun *u, const pl_space *s);

pl_ufun_kind pl_ufun_kind_of(const pl_ufun *u);
const pl_space *pl_ufun_space(const pl_ufun *u);

/* Reservation value: utility of no agreement (finite; PL_EINVAL otherwise). Default 0. */
int pl_ufun_set_reservation(pl_ufun *u, double r);
double pl_ufun_reservation(const pl_ufun *u);
/* Discount factor d as written (default 1). As in GENIUS, d <= 0 or d > 1 means no discounting: the effective
 * factor is then 1. NaN is refused (PL_EINVAL). */
int pl_ufun_set_discount(pl_ufun *u, double d);
double pl_ufun_discount(const pl_ufun *u);
double pl_ufun_discount_effective(const pl_ufun *u);

/* Utility of a valid outcome (undiscounted). O(issues) lookups and adds; no allocation. */
double pl_ufun_eval(const pl_ufun *u, const uint32_t *outcome);
/* Discounted utility at relative time t in [0,1]: u(o) * d^t (d the effective factor). */
double pl_ufun_eval_at(const pl_ufun *u, const uint32_t *outcome, double t);
/* Evaluate n outcomes stored contiguously (n * issue count indices) into out[n]. */
void pl_ufun_eval_many(const pl_ufun *u, const uint32_t *outcomes, size_t n, double *out);

#endif
