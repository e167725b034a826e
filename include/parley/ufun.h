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

/* A linear additive function over s with every weight 0 and every value function a zero table, into *out (the
 * caller's; NULL on failure). It keeps a borrowed pointer to s, which must outlive it. PL_EINVAL, PL_ENOMEM. */
PL_API int pl_ufun_linear_new(const pl_space *s, pl_ufun **out, pl_diag *d);
/* Issue weight; must be finite and >= 0 (PL_EINVAL). */
PL_API int pl_ufun_linear_set_weight(pl_ufun *u, size_t issue, double weight);
/* Value function as a table of pl_space_value_count(issue) finite numbers. */
PL_API int pl_ufun_linear_set_table(pl_ufun *u, size_t issue, const double *values);
/* Value function as a parametric form (PL_VF_LINEAR / PL_VF_TRIANGULAR; numeric issues only, else PL_EINVAL). */
PL_API int pl_ufun_linear_set_vf(pl_ufun *u, size_t issue, const pl_vf *vf);
PL_API double pl_ufun_linear_weight(const pl_ufun *u, size_t issue);
/* The value function's form (tables: kind PL_VF_TABLE) and its unweighted value at a value index. */
PL_API const pl_vf *pl_ufun_linear_vf(const pl_ufun *u, size_t issue);
PL_API double pl_ufun_linear_value(const pl_ufun *u, size_t issue, uint32_t value);

/* A hyper-rectangle function over s with no rectangles into *out (the caller's; NULL on failure); utilities are
 * divided by max_utility. Borrowed space, as above. PL_EINVAL (max_utility not finite and > 0), PL_ENOMEM. */
PL_API int pl_ufun_rect_new(const pl_space *s, double max_utility, pl_ufun **out, pl_diag *d);
/* Add a rectangle worth `utility` (before normalisation) bounded by n bounds (an issue may be bounded more than
 * once; all bounds must hold). n = 0 gives a rectangle every outcome satisfies. PL_EINVAL on a bad bound. */
PL_API int pl_ufun_rect_add(pl_ufun *u, double utility, size_t n, const pl_rect_bound *bounds);
PL_API size_t pl_ufun_rect_count(const pl_ufun *u);
PL_API double pl_ufun_rect_max_utility(const pl_ufun *u);
/* Rectangle r: its utility and bounds (pointer valid until the next add). */
PL_API double pl_ufun_rect_utility(const pl_ufun *u, size_t r);
PL_API const pl_rect_bound *pl_ufun_rect_bounds(const pl_ufun *u, size_t r, size_t *n);

PL_API void pl_ufun_free(pl_ufun *u); /* NULL-safe */
/* Deep copy bound to space s (which must equal the original's space). NULL on allocation failure. */
PL_API pl_ufun *pl_ufun_copy(const pl_ufun *u, const pl_space *s);

PL_API pl_ufun_kind pl_ufun_kind_of(const pl_ufun *u);
PL_API const pl_space *pl_ufun_space(const pl_ufun *u);

/* Reservation value: utility of no agreement (finite; PL_EINVAL otherwise). Default 0. */
PL_API int pl_ufun_set_reservation(pl_ufun *u, double r);
PL_API double pl_ufun_reservation(const pl_ufun *u);
/* Discount factor d as written (default 1). As in GENIUS, d <= 0 or d > 1 means no discounting: the effective
 * factor is then 1. NaN is refused (PL_EINVAL). */
PL_API int pl_ufun_set_discount(pl_ufun *u, double d);
PL_API double pl_ufun_discount(const pl_ufun *u);
PL_API double pl_ufun_discount_effective(const pl_ufun *u);

/* ---- Red lines ----
 * A red line makes some outcomes unacceptable to the party, whatever else they offer: its utility there is 0 and
 * they are never individually rational. Two forms, in value indices:
 *   - "issue must not take values V": then_issue < 0; broken when o[issue] is in V;
 *   - a precondition "if issue takes values V then then_issue must take values W": broken when o[issue] is in V and
 *     o[then_issue] is not in W.
 * A condition that needs several things ("a ceasefire requires A and B") is one precondition per requirement. */
typedef struct pl_red_line {
    uint32_t issue;              /* the issue whose values trigger the line */
    const uint32_t *values;      /* V: n_values >= 1 distinct value indices of issue */
    size_t n_values;
    long then_issue;             /* -1 for "must not"; else the required issue (!= issue) */
    const uint32_t *then_values; /* W: n_then >= 1 distinct value indices of then_issue */
    size_t n_then;
    const char *note;            /* why the party holds it (free text, may be NULL) */
} pl_red_line;

/* Add a red line (copied). PL_EINVAL with detail in d for a bad issue or value index, a repeated value, or an empty
 * set. */
PL_API int pl_ufun_add_red_line(pl_ufun *u, const pl_red_line *line, pl_diag *d);
PL_API size_t pl_ufun_red_line_count(const pl_ufun *u);
/* Red line k; the pointers in *out stay valid until the function is freed. note is "" when none was given. */
PL_API void pl_ufun_red_line_get(const pl_ufun *u, size_t k, pl_red_line *out);
/* Red line k in words, e.g. "territory must not be concessions by Ukraine" or "if general_ceasefire is 30 days or
 * permanent then foreign_military_aid must be halted" (truncated to size bytes, NUL included). Returns buf. */
PL_API char *pl_ufun_red_line_text(const pl_ufun *u, size_t k, char *buf, size_t size);
/* 1 when outcome o breaks red line k. */
PL_API int pl_ufun_red_line_broken(const pl_ufun *u, size_t k, const uint32_t *outcome);
/* Index of the first red line o breaks, or -1 when it breaks none. O(red lines). */
PL_API long pl_ufun_first_broken(const pl_ufun *u, const uint32_t *outcome);
/* Utility ignoring the red lines (what the outcome would be worth without them). */
PL_API double pl_ufun_eval_raw(const pl_ufun *u, const uint32_t *outcome);
/* 1 when o is individually rational for the party: it breaks none of its red lines and is worth at least its
 * reservation value. */
PL_API int pl_ufun_acceptable(const pl_ufun *u, const uint32_t *outcome);

/* Utility of a valid outcome (undiscounted): 0 when it breaks a red line. O(issues + red lines); no allocation. */
PL_API double pl_ufun_eval(const pl_ufun *u, const uint32_t *outcome);
/* Discounted utility at relative time t in [0,1]: u(o) * d^t (d the effective factor). */
PL_API double pl_ufun_eval_at(const pl_ufun *u, const uint32_t *outcome, double t);
/* Evaluate n outcomes stored contiguously (n * issue count indices) into out[n]. */
PL_API void pl_ufun_eval_many(const pl_ufun *u, const uint32_t *outcomes, size_t n, double *out);

#endif
