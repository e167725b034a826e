/* Bargaining points and measures on top of the frontier. Every point sought here lies on the Pareto frontier (an
 * outcome that another weakly improves for all is never better for these criteria), so each is an O(F * P) pass
 * over the frontier's points. Ties go to the first point in frontier order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "core/ufun_internal.h"

struct pl_analysis {
    pl_frontier *f;
    long point[PL_POINT_KINDS];
    double *ideal;
    double opposition;
    int zopa_known;
    uint64_t zopa;
    pl__scan scan;
};

static void scan_destroy(pl__scan *s)
{
    pl__free(s->best);
    pl__free(s->worst);
    pl__free(s->best_u);
    pl__free(s->worst_u);
    memset(s, 0, sizeof *s);
}

void pl_analysis_free(pl_analysis *a)
{
    if (a) {
        pl_frontier_free(a->f);
        pl__free(a->ideal);
        scan_destroy(&a->scan);
        pl__free(a);
    }
}

/* Best and worst outcomes of linear parties straight from their tables: the per-issue maxima (minima), the lowest
 * value index among ties, which is the first such outcome in dense order. Used for spaces too large to scan. The
 * utilities are always right; where a party's sum can pass 1 (or 0) other outcomes tie at the clamp, and the one
 * reported is then a best (worst) outcome, not necessarily the first in dense order. */
static int linear_extremes(const pl_scenario *sc, const pl_frontier *f, pl__scan *s)
{
    size_t np = f->np, ni = f->ni, cells = np * ni;
    s->best = pl__malloc((cells > 0 ? cells : 1) * sizeof *s->best);
    s->worst = pl__malloc((cells > 0 ? cells : 1) * sizeof *s->worst);
    s->best_u = pl__malloc(np * sizeof *s->best_u);
    s->worst_u = pl__malloc(np * sizeof *s->worst_u);
    if (!s->best || !s->worst || !s->best_u || !s->worst_u) {
        return PL_ENOMEM;
    }
    for (size_t k = 0; k < np; k++) {
        const pl_ufun *u = pl_scenario_ufun(sc, f->parties[k]);
        for (size_t i = 0; i < ni; i++) {
            uint32_t bi = 0, wi = 0;
            for (uint32_t v = 1; v < u->off[i + 1] - u->off[i]; v++) {
                double x = u->wtab[u->off[i] + v];
                if (x > u->wtab[u->off[i] + bi]) {
                    bi = v;
                }
                if (x < u->wtab[u->off[i] + wi]) {
                    wi = v;
                }
            }
            s->best[k * ni + i] = bi;
            s->worst[k * ni + i] = wi;
        }
        s->best_u[k] = pl_ufun_eval(u, s->best + k * ni);
        s->worst_u[k] = pl_ufun_eval(u, s->worst + k * ni);
    }
    s->extremes_known = 1;
    return 0;
}

/* Point p is acceptable to every analysed party: u >= reservation, and, where a party with red lines gets 0 (what
 * an outcome breaking a red line is worth), one of the point's stored outcomes breaks no red line. */
static int point_ok(const pl_scenario *sc, const pl_frontier *f, size_t p, const double *res)
{
    const double *u = f->u + p * f->np;
    int check = 0;
    for (size_t k = 0; k < f->np; k++) {
        if (u[k] < res[k]) {
            return 0;
        }
        check |= u[k] == 0 && pl_scenario_ufun(sc, f->parties[k])->n_lines > 0;
    }
    if (!check) {
        return 1;
    }
    for (size_t j = f->ooff[p]; j < f->ooff[p + 1]; j++) {
        const uint32_t *o = f->outcomes + j * f->ni;
        int ok = 1;
        for (size_t k = 0; k < f->np && ok; k++) {
            ok = !pl__ufun_breaks(pl_scenario_ufun(sc, f->parties[k]), o);
        }
        if (ok) {
            return 1;
        }
    }
    return 0;
}

/* top: room for np doubles (allocated by the caller, so this cannot fail). */
static void find_points(const pl_scenario *sc, pl_analysis *a, const double *res, double *top)
{
    const pl_frontier *f = a->f;
    size_t np = f->np;
    for (int k = 0; k < PL_POINT_KINDS; k++) {
        a->point[k] = -1;
    }
    /* The bargaining set's ideal: each party's best gain among outcomes acceptable to all. */
    memset(top, 0, np * sizeof *top);
    int any = 0;
    for (size_t p = 0; p < f->n; p++) {
        const double *u = f->u + p * np;
        if (!point_ok(sc, f, p, res)) {
            continue;
        }
        for (size_t k = 0; k < np; k++) {
            if (!any || u[k] > top[k]) {
                top[k] = u[k];
            }
        }
        any = 1;
    }
    double best[PL_POINT_KINDS] = {0};
    for (size_t p = 0; p < f->n; p++) {
        const double *u = f->u + p * np;
        double welfare = 0;
        for (size_t k = 0; k < np; k++) {
            welfare += u[k];
        }
        if (a->point[PL_POINT_MAX_WELFARE] < 0 || welfare > best[PL_POINT_MAX_WELFARE]) {
            best[PL_POINT_MAX_WELFARE] = welfare;
            a->point[PL_POINT_MAX_WELFARE] = (long)p;
        }
        if (!point_ok(sc, f, p, res)) {
            continue;
        }
        double prod = 1, mingain = INFINITY, minrel = INFINITY;
        for (size_t k = 0; k < np; k++) {
            double gain = u[k] - res[k];
            prod *= gain;
            mingain = gain < mingain ? gain : mingain;
            /* A party that can gain nothing anywhere is indifferent: its ratio counts as 1. */
            double span = top[k] - res[k];
            double rel = span > 0 ? gain / span : 1;
            minrel = rel < minrel ? rel : minrel;
        }
        double val[3] = {prod, minrel, mingain};
        pl_point_kind kinds[3] = {PL_POINT_NASH, PL_POINT_KALAI_SMORODINSKY, PL_POINT_EGALITARIAN};
        for (int j = 0; j < 3; j++) {
            if (a->point[kinds[j]] < 0 || val[j] > best[kinds[j]]) {
                best[kinds[j]] = val[j];
                a->point[kinds[j]] = (long)p;
            }
        }
    }
}

int pl_analyze(const pl_scenario *sc, const pl_analysis_options *opts, pl_analysis **out, pl_diag *d)
{
    *out = NULL;
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    if (PL__OPTS_READ(pl_analysis_options, &o, opts, search_restarts, d) < 0) {
        return PL_EINVAL;
    }
    pl_analysis *a = pl__calloc(1, sizeof *a);
    if (!a) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    int rc = pl__frontier_compute_scan(sc, &o, &a->f, &a->scan, d);
    if (rc < 0) {
        pl_analysis_free(a);
        return rc;
    }
    const pl_frontier *f = a->f;
    const pl_space *s = pl_scenario_space(sc);
    size_t np = f->np;
    uint64_t count;
    int enumerable = pl_space_outcome_count(s, &count) == 0;
    /* The zone of agreement and the extremes, when the algorithm did not already find them. */
    if (!a->scan.zopa_known && enumerable && count <= o.zopa_limit) {
        scan_destroy(&a->scan);
        rc = pl__scan_space(sc, f->parties, np, pl__threads(o.threads), &a->scan, d);
        if (rc < 0) {
            pl_analysis_free(a);
            return rc;
        }
    }
    /* From the tables only without red lines: a red line can make the tables' best outcome worth 0. */
    if (!a->scan.extremes_known && pl__merge_applicable(sc, f->parties, np) && !pl_scenario_has_red_lines(sc)) {
        scan_destroy(&a->scan);
        if (linear_extremes(sc, f, &a->scan) < 0) {
            pl_analysis_free(a);
            return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        }
    }
    a->zopa_known = a->scan.zopa_known;
    a->zopa = a->scan.zopa;
    double *res = pl__malloc(2 * np * sizeof *res); /* reservations, then find_points's scratch */
    a->ideal = pl__malloc(np * sizeof *a->ideal);
    if (!res || !a->ideal) {
        pl__free(res);
        pl_analysis_free(a);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < np; k++) {
        res[k] = pl_ufun_reservation(pl_scenario_ufun(sc, f->parties[k]));
        a->ideal[k] = -INFINITY;
    }
    /* Each party's best utility is on the frontier (its lexicographic maximum is efficient). */
    a->opposition = INFINITY;
    for (size_t p = 0; p < f->n; p++) {
        const double *u = f->u + p * np;
        double dist = 0;
        for (size_t k = 0; k < np; k++) {
            a->ideal[k] = u[k] > a->ideal[k] ? u[k] : a->ideal[k];
            /* Utilities above 1 (possible in hyper-rectangle functions) count as 1: nothing is nearer the ideal
             * than reaching it, and with this the nearest outcome is always on the frontier. */
            double gap = u[k] < 1 ? 1 - u[k] : 0;
            dist += gap * gap;
        }
        dist = sqrt(dist);
        a->opposition = dist < a->opposition ? dist : a->opposition;
    }
    find_points(sc, a, res, res + np);
    pl__free(res);
    *out = a;
    return 0;
}

const pl_frontier *pl_analysis_frontier(const pl_analysis *a)
{
    return a->f;
}

long pl_analysis_point(const pl_analysis *a, pl_point_kind kind)
{
    return (unsigned)kind < PL_POINT_KINDS ? a->point[kind] : -1;
}

const double *pl_analysis_ideal(const pl_analysis *a)
{
    return a->ideal;
}

double pl_analysis_opposition(const pl_analysis *a)
{
    return a->opposition;
}

int pl_analysis_zopa(const pl_analysis *a, uint64_t *count)
{
    if (!a->zopa_known) {
        return PL_ERANGE;
    }
    *count = a->zopa;
    return 0;
}

const uint32_t *pl_analysis_best(const pl_analysis *a, size_t k, double *utility)
{
    if (!a->scan.extremes_known) {
        return NULL;
    }
    if (utility) {
        *utility = a->scan.best_u[k];
    }
    return a->scan.best + k * a->f->ni;
}

const uint32_t *pl_analysis_worst(const pl_analysis *a, size_t k, double *utility)
{
    if (!a->scan.extremes_known) {
        return NULL;
    }
    if (utility) {
        *utility = a->scan.worst_u[k];
    }
    return a->scan.worst + k * a->f->ni;
}
