/* The Pareto frontier: its accessors and the choice of algorithm (the candidate builder every algorithm feeds is in
 * frontier_build.c). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/analysis_internal.h"
#include "core/ufun_internal.h"

void pl_frontier_free(pl_frontier *f)
{
    if (f) {
        pl__free(f->parties);
        pl__free(f->u);
        pl__free(f->total);
        pl__free(f->ooff);
        pl__free(f->outcomes);
        pl__free(f);
    }
}

pl_pareto_algorithm pl_frontier_algorithm(const pl_frontier *f)
{
    return f->algorithm;
}

int pl_frontier_exact(const pl_frontier *f)
{
    return f->exact;
}

size_t pl_frontier_size(const pl_frontier *f)
{
    return f->n;
}

size_t pl_frontier_party_count(const pl_frontier *f)
{
    return f->np;
}

size_t pl_frontier_party(const pl_frontier *f, size_t k)
{
    return f->parties[k];
}

const double *pl_frontier_utilities(const pl_frontier *f, size_t k)
{
    return f->u + k * f->np;
}

uint64_t pl_frontier_outcome_total(const pl_frontier *f, size_t k)
{
    return f->total[k];
}

size_t pl_frontier_outcome_count(const pl_frontier *f, size_t k)
{
    return f->ooff[k + 1] - f->ooff[k];
}

const uint32_t *pl_frontier_outcome(const pl_frontier *f, size_t k, size_t j)
{
    return f->outcomes + (f->ooff[k] + j) * f->ni;
}

void pl_analysis_options_init_size(pl_analysis_options *out, size_t size)
{
    pl_analysis_options defaults, *o = &defaults;
    memset(o, 0, sizeof *o);
    o->algorithm = PL_PARETO_AUTO;
    o->outcomes_per_point = 16;
    o->max_points = 10000000;
    o->zopa_limit = 100000000;
    o->enumerate_limit = 100000000;
    o->seed = 1;
    o->search_restarts = 200;
    o->size = sizeof *o;
    pl__opts_init(out, size, o, sizeof *o);
}

unsigned pl__threads(unsigned requested)
{
    if (requested > 0) {
        return requested > 256 ? 256 : requested;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 256 ? 256 : (unsigned)n);
}

/* 1 when the merge algorithm applies: every party is linear additive. The merge is exact with the utility's clamp to
 * [0, 1] too (see pareto_merge.c), so weights summing past 1 or negative table entries are fine. The one proviso is
 * that the sums stay far from overflow (the sum of each issue's largest magnitude at most 2^1000, which also rules
 * out infinite entries from a huge weight times a huge value): the merge's rounding margins need finite bounds. */
int pl__merge_applicable(const pl_scenario *sc, const size_t *parties, size_t np)
{
    for (size_t k = 0; k < np; k++) {
        const pl_ufun *u = pl_scenario_ufun(sc, parties[k]);
        if (u->kind != PL_UFUN_LINEAR) {
            return 0;
        }
        double bound = 0;
        for (size_t i = 0; i < u->n_issues; i++) {
            double mx = 0;
            for (uint32_t s = u->off[i]; s < u->off[i + 1]; s++) {
                double a = u->wtab[s] < 0 ? -u->wtab[s] : u->wtab[s];
                mx = a > mx ? a : mx;
            }
            bound += mx;
        }
        if (!(bound <= 0x1p1000)) {
            return 0;
        }
    }
    return 1;
}

/* Check options and resolve the party list (caller frees *parties). */
static int resolve_parties(const pl_scenario *sc, const pl_analysis_options *o, size_t **parties, size_t *np,
                           pl_diag *d)
{
    size_t total = pl_scenario_party_count(sc);
    size_t n = o->parties ? o->n_parties : total;
    if (n < 1) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "no parties to analyse");
    }
    size_t *p = pl__malloc(n * sizeof *p);
    if (!p) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < n; k++) {
        size_t q = o->parties ? o->parties[k] : k;
        p[k] = q;
        if (q >= total) {
            pl__free(p);
            return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "party index %zu out of range", q);
        }
        for (size_t j = 0; j < k; j++) {
            if (p[j] == q) {
                pl__free(p);
                return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "party \"%s\" is listed twice",
                                    pl_scenario_party_name(sc, q));
            }
        }
    }
    *parties = p;
    *np = n;
    return 0;
}

/* Compute the frontier and, when scan is not NULL, what the algorithm learns about the space on the way. */
int pl__frontier_compute_scan(const pl_scenario *sc, const pl_analysis_options *opts, pl_frontier **out,
                              pl__scan *scan, pl_diag *d)
{
    *out = NULL;
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    if (PL__OPTS_READ(pl_analysis_options, &o, opts, search_restarts, d) < 0) {
        return PL_EINVAL;
    }
    if (o.outcomes_per_point == 0) {
        o.outcomes_per_point = 1;
    }
    size_t *parties = NULL, np = 0;
    int rc = resolve_parties(sc, &o, &parties, &np, d);
    if (rc < 0) {
        return rc;
    }
    const pl_space *s = pl_scenario_space(sc);
    uint64_t count;
    int enumerable = pl_space_outcome_count(s, &count) == 0;
    pl_pareto_algorithm algo = o.algorithm;
    int automatic = algo == PL_PARETO_AUTO;
    if (automatic) {
        if (pl__merge_applicable(sc, parties, np)) {
            algo = PL_PARETO_MERGE;
        } else if (enumerable && count <= o.enumerate_limit) {
            algo = PL_PARETO_ENUMERATE;
        } else {
            algo = PL_PARETO_SEARCH;
        }
    }
    /* Candidates held at once: every point may carry outcomes_per_point stored outcomes plus a count-only entry,
     * and a batch of new candidates may wait beside them before compaction. */
    uint64_t per_point = 2 * ((uint64_t)o.outcomes_per_point + 1);
    uint64_t max_cand = o.max_points > UINT64_MAX / per_point ? UINT64_MAX : o.max_points * per_point;
    pl__fb *fb = NULL;
    for (;;) {
        fb = pl__fb_new(np, pl_space_issue_count(s), o.outcomes_per_point, max_cand);
        if (!fb) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        switch (algo) {
        case PL_PARETO_MERGE:
            if (!pl__merge_applicable(sc, parties, np)) {
                rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "the merge algorithm needs linear additive parties");
                break;
            }
            rc = pl__any_red_lines(sc, parties, np) ? pl__pareto_merge_red_lines(sc, parties, np, &o, fb, d)
                                                     : pl__pareto_merge(sc, parties, np, &o, fb, d);
            break;
        case PL_PARETO_ENUMERATE:
            if (!enumerable) {
                rc = pl__diag_set(d, PL_ERANGE, NULL, 0, 0,
                                  "the space has about 10^%.1f outcomes: too many to enumerate",
                                  pl_space_log10_size(s));
                break;
            }
            rc = pl__pareto_enumerate(sc, parties, np, &o, fb, scan, d);
            break;
        default:
            rc = pl__pareto_search(sc, parties, np, &o, fb, scan, d);
            break;
        }
        /* Chosen automatically, the merge can still run out of room where many outcomes tie at the clamp of a
         * utility (sums far above 1): then enumerate if the space is small enough, else search. */
        if (rc == PL_ETOOBIG && automatic && algo == PL_PARETO_MERGE) {
            pl__fb_free(fb);
            fb = NULL;
            pl_diag_clear(d);
            algo = enumerable && count <= o.enumerate_limit ? PL_PARETO_ENUMERATE : PL_PARETO_SEARCH;
            continue;
        }
        break;
    }
    if (rc == 0) {
        rc = pl__fb_finish(fb, algo, algo != PL_PARETO_SEARCH, o.max_points, parties, out, d);
    } else if (rc == PL_ETOOBIG && d && !d->message[0]) {
        pl__diag_set(d, rc, NULL, 0, 0, "the frontier has more than %llu points", (unsigned long long)o.max_points);
    }
    pl__fb_free(fb);
    pl__free(parties);
    return rc;
}

int pl_frontier_compute(const pl_scenario *sc, const pl_analysis_options *opts, pl_frontier **out, pl_diag *d)
{
    return pl__frontier_compute_scan(sc, opts, out, NULL, d);
}
