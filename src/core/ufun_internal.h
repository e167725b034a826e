/* The utility function's representation, shared by its kind-specific modules. */
#ifndef PL_UFUN_INTERNAL_H
#define PL_UFUN_INTERNAL_H

#include "core/space_internal.h"
#include "parley/ufun.h"

struct pl_ufun {
    pl_ufun_kind kind;
    const pl_space *space;
    size_t n_issues;
    uint32_t *off; /* off[i]: first slot of issue i in the per-value tables; off[n_issues] = total values */
    double reservation, discount, discount_eff;

    /* PL_UFUN_LINEAR */
    double *weights; /* per issue */
    pl_vf *vfs;      /* per issue */
    double *values;  /* unweighted value of every (issue, value) slot */
    double *wtab;    /* weights[i] * values[slot]: the hot table */

    /* PL_UFUN_RECT */
    double max_utility;
    size_t n_rects, cap_rects;
    double *rutil;          /* utility as written */
    pl_rect_bound **rbounds;
    size_t *rn;
    size_t words;           /* ceil(n_rects / 64) */
    uint64_t *masks;        /* masks[slot * words + w]: rectangles (bits) that value slot satisfies */
    uint32_t *active;       /* issues bounded by at least one rectangle */
    size_t n_active;

    /* Red lines (any kind). trig/allow are flag arrays over the line's issue's / then-issue's values. */
    size_t n_lines, cap_lines;
    struct pl__red_line *lines;
};

typedef struct pl__red_line {
    pl_red_line pub;    /* values/then_values/note point into the owned copies below */
    uint32_t *values, *then_values;
    char *note;
    uint8_t *trig;      /* value count of issue */
    uint8_t *allow;     /* value count of then_issue; NULL for "must not" */
} pl__red_line;

pl_ufun *pl__ufun_alloc(const pl_space *s, pl_ufun_kind kind);
void pl__ufun_rect_destroy(pl_ufun *u);
int pl__ufun_rect_copy(pl_ufun *dst, const pl_ufun *src);
double pl__ufun_rect_eval(const pl_ufun *u, const uint32_t *o);
void pl__ufun_red_lines_destroy(pl_ufun *u);
int pl__ufun_red_lines_copy(pl_ufun *dst, const pl_ufun *src);

/* 1 when o breaks one of u's red lines. Inline: evaluation's hot path. */
static inline int pl__ufun_breaks(const pl_ufun *u, const uint32_t *o)
{
    for (size_t k = 0; k < u->n_lines; k++) {
        const struct pl__red_line *l = &u->lines[k];
        if (l->trig[o[l->pub.issue]] && (!l->allow || !l->allow[o[l->pub.then_issue]])) {
            return 1;
        }
    }
    return 0;
}

/* The end of a reader's build of a utility function: on error free u and return rc, else hand u over. */
static inline int pl__ufun_done(int rc, pl_ufun *u, pl_ufun **out)
{
    if (rc < 0) {
        pl_ufun_free(u);
        return rc;
    }
    *out = u;
    return 0;
}

#endif
