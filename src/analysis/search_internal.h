/* Shared by the search algorithm's files: the search state (pareto_search.c), the non-dominated archive it feeds
 * (search_archive.c), and its neighbourhood moves with their random numbers (search_moves.c). */
#ifndef PL_SEARCH_INTERNAL_H
#define PL_SEARCH_INTERNAL_H

#include "analysis/analysis_internal.h"

/* ---- Random numbers: xoshiro256** seeded by splitmix64 ---- */

typedef struct pl__sr_rng {
    uint64_t s[4];
} pl__sr_rng;

/* ---- The archive: non-dominated vectors found so far, each with the smallest distinct outcomes reaching it ---- */

typedef struct pl__sr_apoint {
    uint32_t *o; /* n outcomes, ni indices each, ascending lexicographically */
    uint32_t n, alloc;
} pl__sr_apoint;

typedef struct pl__sr_archive {
    size_t np, ni;
    uint32_t cap;
    size_t n, alloc;
    double *u;         /* n * np; with 2 parties ordered by u[0] descending, hence u[1] ascending */
    pl__sr_apoint *pt; /* n */
} pl__sr_archive;

static inline int pl__sr_lex_cmp(const uint32_t *a, const uint32_t *b, size_t ni)
{
    for (size_t i = 0; i < ni; i++) {
        if (a[i] != b[i]) {
            return a[i] < b[i] ? -1 : 1;
        }
    }
    return 0;
}

/* Offer (u, x) to the archive: u joins unless dominated (dropping the points it dominates), and x is kept among
 * u's outcomes if it is among the cap smallest. 0 or PL_ENOMEM. */
int pl__sr_archive_add(pl__sr_archive *ar, const double *u, const uint32_t *x);
void pl__sr_archive_destroy(pl__sr_archive *ar);

/* ---- Rectangle moves ---- */

typedef struct pl__sr_rpart {
    uint32_t issue;
    uint32_t n; /* allowed values: vals[off .. off + n), ascending */
    size_t off;
} pl__sr_rpart;

typedef struct pl__sr_rmove {
    size_t first, count; /* parts[first .. first + count) */
} pl__sr_rmove;

/* ---- The search state ---- */

typedef struct pl__sr_search {
    size_t np, ni;
    const pl_ufun **uf; /* np */
    uint32_t *nv;       /* ni: values per issue */
    pl__sr_rng r;
    pl__sr_archive ar;
    int err;

    /* Every party's best and worst outcome seen (smallest outcome among equal utilities). */
    int have_ext;
    uint32_t *best, *worst; /* np * ni */
    double *best_u, *worst_u;

    pl__sr_rpart *parts;
    size_t n_parts, alloc_parts;
    uint32_t *vals;
    size_t n_vals, alloc_vals;
    pl__sr_rmove *moves;
    size_t n_moves, alloc_moves;

    /* Scratch: outcomes of ni indices and vectors of np utilities. */
    uint32_t *x, *y, *yb, *z;
    double *ux, *uy, *ub, *uz;
} pl__sr_search;

/* ---- Neighbourhoods (search_moves.c) ---- */

void pl__sr_rng_seed(pl__sr_rng *r, uint64_t seed);
/* Append the moves of one hyper-rectangle function. 0 or PL_ENOMEM. */
int pl__sr_add_rect_moves(pl__sr_search *S, const pl_ufun *u);
/* Put x inside move m's rectangle (nearest allowed values, or random ones with random set); the issues changed. */
size_t pl__sr_force(pl__sr_search *S, size_t m, uint32_t *x, int random);
/* Overwrite x with a random start, or perturb it (a kick); both draw from S->r. */
void pl__sr_random_start(pl__sr_search *S, uint32_t *x);
void pl__sr_kick(pl__sr_search *S, uint32_t *x);

#endif
