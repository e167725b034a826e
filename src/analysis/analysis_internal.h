/* Shared by the analysis modules: the frontier's representation, the frontier builder every algorithm feeds, and the
 * scan results (zone of agreement, best and worst outcomes). */
#ifndef PL_ANALYSIS_INTERNAL_H
#define PL_ANALYSIS_INTERNAL_H

#include "analysis/frontier_build.h"
#include "core/internal.h"
#include "parley/analysis.h"

struct pl_frontier {
    pl_pareto_algorithm algorithm;
    int exact;
    size_t np, ni;       /* analysed parties, issues */
    size_t *parties;     /* np scenario indices */
    size_t n;            /* points */
    double *u;           /* n * np utilities */
    uint64_t *total;     /* n: outcomes sharing each vector (saturating) */
    size_t *ooff;        /* n + 1: point k's stored outcomes are outcomes[ooff[k] .. ooff[k+1]) */
    uint32_t *outcomes;  /* stored outcomes, ni value indices each */
};

/* a dominates b: >= everywhere and > somewhere. */
static inline int pl__dominates(const double *a, const double *b, size_t np)
{
    int strict = 0;
    for (size_t k = 0; k < np; k++) {
        if (a[k] < b[k]) {
            return 0;
        }
        strict |= a[k] > b[k];
    }
    return strict;
}

/* What a full scan of the space (or the linear structure) tells beyond the frontier. */
typedef struct pl__scan {
    int zopa_known;
    uint64_t zopa;        /* outcomes with u_k >= reservation_k for every analysed party */
    int extremes_known;   /* best/worst filled */
    uint32_t *best;       /* np * ni: party k's best outcome (first in dense order among ties) */
    uint32_t *worst;      /* np * ni */
    double *best_u, *worst_u; /* np */
} pl__scan;

/* The algorithms. parties[np] are scenario indices; fb receives the candidates (and may be compacted by them). */
int pl__pareto_enumerate(const pl_scenario *sc, const size_t *parties, size_t np, const pl_analysis_options *o,
                         pl__fb *fb, pl__scan *scan, pl_diag *d);
int pl__pareto_merge(const pl_scenario *sc, const size_t *parties, size_t np, const pl_analysis_options *o,
                     pl__fb *fb, pl_diag *d);
int pl__pareto_search(const pl_scenario *sc, const size_t *parties, size_t np, const pl_analysis_options *o,
                      pl__fb *fb, pl__scan *scan, pl_diag *d);

/* The merge with red lines: one merge per combination of the red-line issues' values (pareto_redline.c).
 * PL_ETOOBIG when there are too many combinations. */
int pl__pareto_merge_red_lines(const pl_scenario *sc, const size_t *parties, size_t np, const pl_analysis_options *o,
                               pl__fb *fb, pl_diag *d);
/* 1 when one of the parties has red lines. */
int pl__any_red_lines(const pl_scenario *sc, const size_t *parties, size_t np);

/* 1 when the merge algorithm applies to these parties: all linear additive (with finite tables). */
int pl__merge_applicable(const pl_scenario *sc, const size_t *parties, size_t np);

/* Count the zone of agreement and find every party's best and worst outcome by streaming over an enumerable space
 * on `threads` threads (the enumerate algorithm does this as it goes). */
int pl__scan_space(const pl_scenario *sc, const size_t *parties, size_t np, unsigned threads, pl__scan *scan,
                   pl_diag *d);

/* pl_frontier_compute, also returning (when scan is not NULL) what the algorithm learnt about the space on the way
 * (the enumerate and search algorithms fill zone/extremes). */
int pl__frontier_compute_scan(const pl_scenario *sc, const pl_analysis_options *opts, pl_frontier **out,
                              pl__scan *scan, pl_diag *d);

/* Number of worker threads for 0 = "all cores". */
unsigned pl__threads(unsigned requested);

struct pl_report;
/* A report whose attainability (one flag per value slot, in the ufuns' off layout) is already known: no analysis and
 * no scan (linear additive parties; blockers are not computed). agreement NULL: no deal. report.c. */
int pl__report_build_known(const pl_scenario *sc, const uint32_t *agreement, const uint8_t *attain,
                           struct pl_report **out, pl_diag *d);

#endif
