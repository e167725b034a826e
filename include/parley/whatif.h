/* What-if on red lines and reservation values. The constraints of a scenario are, party by party, its red lines then
 * its reservation value (numbered in that order). For every issue that no outcome acceptable to every party moves
 * off its status quo (a divergent or not-reached issue of the report that cannot move), the minimal sets of
 * constraints whose removal would make some outcome moving the issue acceptable to all: exact (each set works, and
 * no proper subset of it does), from one scan of the space. The other way: for the predicted deal (the Nash point of
 * the acceptable deals), the single "must not" red lines which, added to a party that loses on a moved issue, would
 * make that deal unacceptable, with how many acceptable deals would remain. */
#ifndef PARLEY_WHATIF_H
#define PARLEY_WHATIF_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/export.h"
#include "parley/scenario.h"

typedef struct pl_whatif_options {
    size_t size;              /* sizeof the struct as the caller was compiled: set by pl_whatif_options_init */
    uint64_t enumerate_limit; /* refuse spaces of more outcomes (PL_ERANGE; default 1e8) */
    unsigned threads;         /* scan threads; 0 = one per online core */
} pl_whatif_options;

/* Defaults, and o->size = sizeof *o (the macro passes the caller's sizeof). */
PL_API void pl_whatif_options_init_size(pl_whatif_options *o, size_t size);
#define pl_whatif_options_init(o) pl_whatif_options_init_size((o), sizeof *(o))

typedef struct pl_whatif pl_whatif;

/* Compute the what-if: one scan of the space on all cores (O(N * (P * I + L)) for N outcomes, P parties, I issues,
 * L red lines) plus the analysis for the prediction. Errors: PL_ERANGE (space above enumerate_limit, or more than
 * 20 constraints), PL_ENOMEM, the analysis's errors. *out belongs to the caller (pl_whatif_free). */
PL_API int pl_whatif_build(const pl_scenario *sc, const pl_whatif_options *opts, pl_whatif **out, pl_diag *d);
PL_API void pl_whatif_free(pl_whatif *w); /* NULL-safe */

/* Constraint c: its party and red line index (-1: the party's reservation value). */
PL_API size_t pl_whatif_constraint_count(const pl_whatif *w);
PL_API void pl_whatif_constraint(const pl_whatif *w, size_t c, size_t *party, long *red_line);

/* 1 when no acceptable outcome moves issue i off its status quo (it has one), else 0. */
PL_API int pl_whatif_stuck(const pl_whatif *w, size_t issue);
/* The minimal removal sets of a stuck issue, as bit masks over the constraints (bit c = constraint c), in increasing
 * size then mask order. Returns the count (0 for an issue that is not stuck or that nothing would free); *sets
 * points into w. */
PL_API size_t pl_whatif_sets(const pl_whatif *w, size_t issue, const uint64_t **sets);

/* The predicted deal (NULL when nothing is acceptable to every party). */
PL_API const uint32_t *pl_whatif_deal(const pl_whatif *w);
/* Acceptable outcomes. */
PL_API uint64_t pl_whatif_acceptable(const pl_whatif *w);
/* A red line that, added, makes the predicted deal unacceptable: party must not give issue the deal's value. loss:
 * how much the party's utility of the deal would rise with the issue back at its status quo (> 0: the party loses on
 * that move); remaining: acceptable outcomes left once it is added. */
typedef struct pl_whatif_line {
    size_t party, issue;
    uint32_t value;
    double loss;
    uint64_t remaining;
} pl_whatif_line;
/* Those red lines, party by party then issue by issue. Returns the count; *out points into w. */
PL_API size_t pl_whatif_lines(const pl_whatif *w, const pl_whatif_line **out);

#endif
