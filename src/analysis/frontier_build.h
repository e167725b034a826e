/* The frontier candidate builder (frontier_build.c), fed by every frontier algorithm. Not installed. */
#ifndef PL_FRONTIER_BUILD_H
#define PL_FRONTIER_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "parley/analysis.h"

/* Frontier builder: algorithms add candidate (utility vector, outcome, multiplicity) triples; finishing sorts them,
 * keeps the non-dominated vectors, groups equal vectors (summing multiplicities, keeping the first `cap` outcomes in
 * lexicographic order) and orders the points (first party's utility descending, then the next...). Adding the same
 * outcome twice counts it twice: algorithms add each outcome once. */
typedef struct pl__fb pl__fb;

/* max_candidates bounds the memory: adding past it fails with PL_ETOOBIG. NULL on allocation failure. */
pl__fb *pl__fb_new(size_t np, size_t ni, uint32_t cap, uint64_t max_candidates);
void pl__fb_free(pl__fb *fb);
/* outcome may be NULL: the vector is shared by mult outcomes not to be stored (counted only). */
int pl__fb_add(pl__fb *fb, const double *u, const uint32_t *outcome, uint64_t mult);
size_t pl__fb_count(const pl__fb *fb);
/* Reduce the candidates to their non-dominated, grouped subset in place (what finish does, without building the
 * frontier); algorithms call it to bound memory while streaming. */
int pl__fb_compact(pl__fb *fb);
/* Build the frontier (the builder is emptied, not freed). PL_ETOOBIG past max_points. */
int pl__fb_finish(pl__fb *fb, pl_pareto_algorithm algo, int exact, uint64_t max_points, const size_t *parties,
                  pl_frontier **out, pl_diag *d);

#endif
