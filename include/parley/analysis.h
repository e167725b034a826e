/* Outcome-space analysis: the exact Pareto frontier (by streaming enumeration for any utility function, or without
 * enumeration for linear additive ones), a best-effort frontier search for large non-linear spaces, and the
 * bargaining points and measures computed from it.
 * Utilities are undiscounted (t = 0). Frontier points are distinct utility vectors; outcomes that share a vector are
 * reported together (the first `outcomes_per_point` of them in dense-index / lexicographic order, plus their count). */
#ifndef PARLEY_ANALYSIS_H
#define PARLEY_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/scenario.h"

typedef enum pl_pareto_algorithm {
    PL_PARETO_AUTO = 0,      /* merge when every analysed party is linear additive, else enumerate when the space has
                                at most enumerate_limit outcomes, else search */
    PL_PARETO_ENUMERATE = 1, /* stream over every outcome (enumerable spaces, any utility function); exact */
    PL_PARETO_MERGE = 2,     /* per-issue frontiers merged issue by issue (linear additive only); exact. Chosen
                                automatically, it falls back to enumerate/search if it runs out of room */
    PL_PARETO_SEARCH = 3     /* randomised local search (any utility function); approximate */
} pl_pareto_algorithm;

/* Name of an algorithm: "enumerate", "merge", "search" ("auto" for PL_PARETO_AUTO). */
PL_API const char *pl_pareto_algorithm_name(pl_pareto_algorithm a);

typedef struct pl_analysis_options {
    size_t size; /* sizeof the struct as the caller was compiled: set by pl_analysis_options_init (docs/api.md) */
    pl_pareto_algorithm algorithm;
    unsigned threads;             /* worker threads for enumeration; 0 = one per online core */
    const size_t *parties;        /* analyse these parties, in this order (NULL: all) */
    size_t n_parties;
    uint32_t outcomes_per_point;  /* outcomes kept per frontier point (default 16; at least 1) */
    uint64_t max_points;          /* refuse (PL_ETOOBIG) frontiers with more points (default 10,000,000) */
    uint64_t zopa_limit;          /* count the zone of agreement by enumeration up to this many outcomes (1e8) */
    uint64_t enumerate_limit;     /* AUTO enumerates non-linear spaces up to this many outcomes (default 1e8) */
    uint64_t seed;                /* search only: every random choice flows from it (default 1) */
    uint32_t search_restarts;     /* search only: local-search restarts per weighting (default 200) */
} pl_analysis_options;

/* Defaults, and o->size = sizeof *o. The macro passes the caller's sizeof, so the library writes only the fields the
 * caller was compiled with. */
PL_API void pl_analysis_options_init_size(pl_analysis_options *o, size_t size);
#define pl_analysis_options_init(o) pl_analysis_options_init_size((o), sizeof *(o))

/* ---- The frontier ---- */

typedef struct pl_frontier pl_frontier;

/* Compute the Pareto frontier of the chosen parties: the outcomes that no other outcome weakly improves for every
 * party and strictly for one. Complexity: enumerate O(N * P * (issues + log F)) time for N outcomes, P parties and
 * F frontier points (2 parties; O(N * P * F) for more), O(threads * F) memory; merge O(sum over issues of
 * F_i * V_i * log(F_i * V_i)) for 2 parties (F_i: the frontier after i issues, V_i: efficient values of issue i),
 * O(C log F) for 3 parties and quadratic in the candidates C for 4 or more; search
 * O(restarts * weightings * sweeps * issues * values) evaluations.
 * Errors: PL_EINVAL (bad options, e.g. merge on a non-linear party), PL_ERANGE (enumeration of a non-enumerable
 * space), PL_ETOOBIG (more than max_points points), PL_ENOMEM. *out belongs to the caller. */
PL_API int pl_frontier_compute(const pl_scenario *sc, const pl_analysis_options *opts, pl_frontier **out, pl_diag *d);
PL_API void pl_frontier_free(pl_frontier *f); /* NULL-safe */

PL_API pl_pareto_algorithm pl_frontier_algorithm(const pl_frontier *f);
/* 1 when the frontier is exact (enumerate, merge), 0 when it is a search result. */
PL_API int pl_frontier_exact(const pl_frontier *f);
PL_API size_t pl_frontier_size(const pl_frontier *f);
PL_API size_t pl_frontier_party_count(const pl_frontier *f);
/* Scenario index of the k-th analysed party. */
PL_API size_t pl_frontier_party(const pl_frontier *f, size_t k);
/* Point k's utilities, one per analysed party. Points are ordered by the first party's utility, descending, then
 * the second's, and so on. */
PL_API const double *pl_frontier_utilities(const pl_frontier *f, size_t k);
/* How many outcomes share point k's vector (saturating at UINT64_MAX), and the stored ones (at most
 * outcomes_per_point). */
PL_API uint64_t pl_frontier_outcome_total(const pl_frontier *f, size_t k);
PL_API size_t pl_frontier_outcome_count(const pl_frontier *f, size_t k);
PL_API const uint32_t *pl_frontier_outcome(const pl_frontier *f, size_t k, size_t j);

/* ---- Points and measures ---- */

typedef struct pl_analysis pl_analysis;

/* The frontier plus: Nash (max product of gains over reservation values among outcomes every party finds acceptable,
 * u >= reservation), Kalai-Smorodinsky (max of the minimum gain relative to each party's best acceptable gain),
 * egalitarian (max of the minimum gain), max welfare (max sum of utilities), the ideal point, opposition (distance
 * from (1, ..., 1) to the nearest outcome), the number of outcomes acceptable to all, and each party's best and
 * worst outcome. Points are found on the frontier, which holds them all: O(F * P) after the frontier. */
PL_API int pl_analyze(const pl_scenario *sc, const pl_analysis_options *opts, pl_analysis **out, pl_diag *d);
PL_API void pl_analysis_free(pl_analysis *a); /* NULL-safe */

PL_API const pl_frontier *pl_analysis_frontier(const pl_analysis *a);

typedef enum pl_point_kind {
    PL_POINT_NASH = 0,
    PL_POINT_KALAI_SMORODINSKY = 1,
    PL_POINT_EGALITARIAN = 2,
    PL_POINT_MAX_WELFARE = 3
} pl_point_kind;
#define PL_POINT_KINDS 4

/* Frontier index of a bargaining point, or -1 when there is none (no outcome acceptable to all). */
PL_API long pl_analysis_point(const pl_analysis *a, pl_point_kind kind);
/* "nash", "kalai_smorodinsky", "egalitarian", "max_welfare" */
PL_API const char *pl_point_kind_name(pl_point_kind kind);

/* The ideal point: each analysed party's best utility (one per analysed party). */
PL_API const double *pl_analysis_ideal(const pl_analysis *a);
/* Distance from (1, ..., 1) to the nearest outcome in utility space (utilities above 1 count as 1). */
PL_API double pl_analysis_opposition(const pl_analysis *a);
/* Outcomes acceptable to every analysed party (utility >= reservation). 0 and *count when counted; PL_ERANGE when
 * the space was too large to count (more than zopa_limit outcomes). */
PL_API int pl_analysis_zopa(const pl_analysis *a, uint64_t *count);
/* Party k's (analysed index) best and worst outcome (the first in dense order among ties, for spaces of at most
 * zopa_limit outcomes) and its utility there, or NULL when unknown. For spaces analysed by search these are the best
 * and worst found. */
PL_API const uint32_t *pl_analysis_best(const pl_analysis *a, size_t k, double *utility);
PL_API const uint32_t *pl_analysis_worst(const pl_analysis *a, size_t k, double *utility);

#endif
