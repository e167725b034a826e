/* Robustness of the prediction (parley/uncertainty.h): draw models, predict each one's deal with the analysis (the
 * Nash point of the acceptable deals, by the exact frontier merge with red lines for linear additive parties), and
 * count. Models are split over threads by index; each model depends only on (seed, index), so the result does not
 * depend on the thread count. Rank correlations: Spearman's rho with average ranks for ties. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "parley/uncertainty.h"

struct pl_robustness {
    const pl_uncertainty *u;
    const pl_scenario *sc;
    uint64_t n;
    size_t ni, nc;
    double *draws;     /* n * nc */
    uint32_t *out;     /* n * ni */
    uint8_t *has_deal; /* n */
};

void pl_robustness_options_init_size(pl_robustness_options *out, size_t size)
{
    pl_robustness_options defaults, *o = &defaults;
    memset(o, 0, sizeof *o);
    o->samples = 1000;
    o->seed = 1;
    o->size = sizeof *o;
    pl__opts_init(out, size, o, sizeof *o);
}

void pl_robustness_free(pl_robustness *r)
{
    if (r) {
        pl__free(r->draws);
        pl__free(r->out);
        pl__free(r->has_deal);
        pl__free(r);
    }
}

typedef struct rjob {
    pl_robustness *r;
    uint64_t seed, lo, hi;
    int rc;
    pl_diag d;
} rjob;

static void *rwork(void *arg)
{
    rjob *j = arg;
    pl_robustness *r = j->r;
    for (uint64_t s = j->lo; s < j->hi && j->rc == 0; s++) {
        pl_scenario *sc = NULL;
        pl_analysis *a = NULL;
        int rc = pl_uncertainty_sample(r->u, j->seed, s, r->draws + s * r->nc, &sc, &j->d);
        if (rc == 0) {
            pl_analysis_options ao;
            pl_analysis_options_init(&ao);
            ao.threads = 1;
            ao.zopa_limit = 0; /* the frontier and its Nash point only: no count of the acceptable outcomes */
            rc = pl_analyze(sc, &ao, &a, &j->d);
        }
        if (rc == 0) {
            long nash = pl_analysis_point(a, PL_POINT_NASH);
            uint32_t *o = r->out + s * r->ni;
            if (nash >= 0) {
                memcpy(o, pl_frontier_outcome(pl_analysis_frontier(a), (size_t)nash, 0), r->ni * sizeof *o);
                r->has_deal[s] = 1;
            } else {
                for (size_t i = 0; i < r->ni; i++) {
                    uint32_t sq = pl_scenario_status_quo(sc, i);
                    o[i] = sq == PL_NO_VALUE ? 0 : sq;
                }
            }
        }
        pl_analysis_free(a);
        pl_scenario_free(sc);
        j->rc = rc;
    }
    return NULL;
}

int pl_robustness_run(const pl_uncertainty *u, const pl_robustness_options *opts, pl_robustness **out, pl_diag *d)
{
    *out = NULL;
    pl_robustness_options o;
    pl_robustness_options_init(&o);
    if (PL__OPTS_READ(pl_robustness_options, &o, opts, jobs, d) < 0) {
        return PL_EINVAL;
    }
    pl_robustness *r = pl__calloc(1, sizeof *r);
    if (!r) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    r->u = u;
    r->sc = pl_uncertainty_scenario(u);
    r->n = o.samples;
    r->nc = pl_uncertainty_count(u);
    r->ni = pl_space_issue_count(pl_scenario_space(r->sc));
    int rc = 0;
    r->draws = pl__calloc(r->n * r->nc + 1, sizeof *r->draws);
    r->out = pl__calloc(r->n * r->ni + 1, sizeof *r->out);
    r->has_deal = pl__calloc(r->n + 1, 1);
    unsigned t = pl__threads(o.jobs);
    if ((uint64_t)t > r->n) {
        t = r->n ? (unsigned)r->n : 1;
    }
    rjob *jobs = pl__calloc(t, sizeof *jobs);
    pthread_t *tid = pl__calloc(t, sizeof *tid);
    if (!r->draws || !r->out || !r->has_deal || !jobs || !tid) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    unsigned started = 0;
    for (unsigned q = 0; rc == 0 && q < t; q++) {
        jobs[q].r = r;
        jobs[q].seed = o.seed;
        jobs[q].lo = r->n / t * q;
        jobs[q].hi = q + 1 == t ? r->n : r->n / t * (q + 1);
        pl_diag_clear(&jobs[q].d);
        if (pthread_create(&tid[q], NULL, rwork, &jobs[q]) != 0) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "cannot start a thread");
            break;
        }
        started++;
    }
    for (unsigned q = 0; q < started; q++) {
        pthread_join(tid[q], NULL);
        if (jobs[q].rc < 0 && rc == 0) {
            rc = jobs[q].rc;
            if (d) {
                *d = jobs[q].d;
            }
        }
    }
    pl__free(jobs);
    pl__free(tid);
    if (rc < 0) {
        pl_robustness_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

uint64_t pl_robustness_samples(const pl_robustness *r)
{
    return r->n;
}

uint64_t pl_robustness_with_deal(const pl_robustness *r)
{
    uint64_t c = 0;
    for (uint64_t s = 0; s < r->n; s++) {
        c += r->has_deal[s];
    }
    return c;
}

uint64_t pl_robustness_value_count(const pl_robustness *r, size_t issue, uint32_t value)
{
    uint64_t c = 0;
    for (uint64_t s = 0; issue < r->ni && s < r->n; s++) {
        c += r->out[s * r->ni + issue] == value;
    }
    return c;
}

uint64_t pl_robustness_agreed_count(const pl_robustness *r, size_t issue)
{
    if (issue >= r->ni) {
        return 0;
    }
    uint32_t sq = pl_scenario_status_quo(r->sc, issue);
    uint64_t c = 0;
    for (uint64_t s = 0; s < r->n; s++) {
        c += r->has_deal[s] && (sq == PL_NO_VALUE || r->out[s * r->ni + issue] != sq);
    }
    return c;
}

const double *pl_robustness_draws(const pl_robustness *r, uint64_t s)
{
    return s < r->n ? r->draws + s * r->nc : NULL;
}

const uint32_t *pl_robustness_outcome(const pl_robustness *r, uint64_t s)
{
    return s < r->n ? r->out + s * r->ni : NULL;
}

/* Average ranks (1-based) of x[0..n) into rk. */
typedef struct ranked {
    double x;
    uint64_t i;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *p = a, *q = b;
    return p->x < q->x ? -1 : p->x > q->x ? 1 : p->i < q->i ? -1 : p->i > q->i;
}

static int ranks(const double *x, uint64_t n, double *rk)
{
    ranked *t = pl__malloc((n ? n : 1) * sizeof *t);
    if (!t) {
        return PL_ENOMEM;
    }
    for (uint64_t i = 0; i < n; i++) {
        t[i].x = x[i];
        t[i].i = i;
    }
    qsort(t, n, sizeof *t, cmp_ranked);
    for (uint64_t a = 0; a < n;) {
        uint64_t b = a;
        while (b + 1 < n && t[b + 1].x == t[a].x) {
            b++;
        }
        double avg = (double)(a + b) / 2 + 1;
        for (uint64_t k = a; k <= b; k++) {
            rk[t[k].i] = avg;
        }
        a = b + 1;
    }
    pl__free(t);
    return 0;
}

/* Pearson's correlation of the ranks: Spearman's rho. 0 when either side is constant. */
static double pearson(const double *a, const double *b, uint64_t n)
{
    double ma = 0, mb = 0;
    for (uint64_t i = 0; i < n; i++) {
        ma += a[i];
        mb += b[i];
    }
    ma /= (double)n;
    mb /= (double)n;
    double sab = 0, saa = 0, sbb = 0;
    for (uint64_t i = 0; i < n; i++) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : 0;
}

double pl_robustness_correlation(const pl_robustness *r, size_t issue, size_t j, int sens)
{
    if (issue >= r->ni || j >= r->nc || r->n < 2) {
        return 0;
    }
    double *x = pl__malloc(r->n * sizeof *x), *y = pl__malloc(r->n * sizeof *y);
    double *rx = pl__malloc(r->n * sizeof *rx), *ry = pl__malloc(r->n * sizeof *ry);
    double rho = 0;
    if (x && y && rx && ry) {
        uint32_t sq = pl_scenario_status_quo(r->sc, issue);
        for (uint64_t s = 0; s < r->n; s++) {
            uint32_t v = r->out[s * r->ni + issue];
            x[s] = r->draws[s * r->nc + j];
            y[s] = sens ? (double)v : (double)(r->has_deal[s] && (sq == PL_NO_VALUE || v != sq));
        }
        if (ranks(x, r->n, rx) == 0 && ranks(y, r->n, ry) == 0) {
            rho = pearson(rx, ry, r->n);
        }
    }
    pl__free(x);
    pl__free(y);
    pl__free(rx);
    pl__free(ry);
    return rho;
}
