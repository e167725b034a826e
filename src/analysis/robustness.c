/* Robustness of the prediction (parley/uncertainty.h): draw models, predict each one's deal with the analysis (the
 * Nash point of the acceptable deals, by the exact frontier merge with red lines for linear additive parties), and
 * count. Models are split over threads by index; each model depends only on (seed, index), so the result does not
 * depend on the thread count. Rank correlations: Spearman's rho with average ranks for ties. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "core/ufun_internal.h"
#include "parley/report.h"
#include "parley/uncertainty.h"

struct pl_robustness {
    const pl_uncertainty *u;
    const pl_scenario *sc;
    uint64_t n;
    size_t ni, nc;
    double *draws;     /* n * nc */
    uint32_t *out;     /* n * ni */
    uint8_t *has_deal; /* n */
    int statuses;
    uint8_t *status;   /* n * ni, with statuses */
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
        pl__free(r->status);
        pl__free(r);
    }
}

/* sc with party 0 refusing every option of issue i but v: its acceptable deals are sc's with i = v. */
static int restricted(const pl_scenario *sc, size_t i, uint32_t v, pl_scenario **out, pl_diag *d)
{
    *out = NULL;
    const pl_space *s0 = pl_scenario_space(sc);
    pl_space *s = NULL;
    pl_scenario *ns = NULL;
    int rc = pl_space_copy(s0, &s, d);
    if (rc < 0 || (rc = pl_scenario_new(s, &ns, d)) < 0) {
        return rc;
    }
    uint32_t nv = pl_space_value_count(s0, i);
    uint32_t *others = pl__malloc((nv ? nv : 1) * sizeof *others);
    if (!others) {
        pl_scenario_free(ns);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    size_t no = 0;
    for (uint32_t x = 0; x < nv; x++) {
        if (x != v) {
            others[no++] = x;
        }
    }
    for (size_t k = 0; rc == 0 && k < pl_space_issue_count(s0); k++) {
        uint32_t sq = pl_scenario_status_quo(sc, k);
        if (sq != PL_NO_VALUE && pl_scenario_set_status_quo(ns, k, sq) < 0) {
            rc = PL_ENOMEM;
        }
    }
    for (size_t k = 0; rc == 0 && k < pl_scenario_party_count(sc); k++) {
        pl_ufun *f = pl_ufun_copy(pl_scenario_ufun(sc, k), s);
        if (!f) {
            rc = PL_ENOMEM;
            break;
        }
        if (k == 0 && no > 0) {
            pl_red_line l;
            memset(&l, 0, sizeof l);
            l.issue = (uint32_t)i;
            l.values = others;
            l.n_values = no;
            l.then_issue = -1;
            if ((rc = pl_ufun_add_red_line(f, &l, d)) < 0) {
                pl_ufun_free(f);
                break;
            }
        }
        rc = pl_scenario_add_party(ns, pl_scenario_party_name(sc, k), f, d);
    }
    pl__free(others);
    if (rc < 0) {
        pl_scenario_free(ns);
        return rc == PL_ENOMEM ? pl__diag_set(d, rc, NULL, 0, 0, "out of memory") : rc;
    }
    *out = ns;
    return 0;
}

/* 1 when some outcome acceptable to every party exists (the Nash point among them does). */
static int has_acceptable(const pl_scenario *sc, int *yes, pl_diag *d)
{
    pl_analysis_options ao;
    pl_analysis_options_init(&ao);
    ao.threads = 1;
    ao.zopa_limit = 0;
    pl_analysis *a = NULL;
    int rc = pl_analyze(sc, &ao, &a, d);
    if (rc == 0) {
        *yes = pl_analysis_point(a, PL_POINT_NASH) >= 0;
    }
    pl_analysis_free(a);
    return rc;
}

/* The report statuses of model sc with predicted deal o (has: whether there is one) into st (ni). Attainability of
 * the options of the issues the deal leaves at their status quo: one restricted frontier per option. */
static int model_statuses(const pl_scenario *sc, const uint32_t *o, int has, uint8_t *st, pl_diag *d)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s);
    const uint32_t *off = pl_scenario_ufun(sc, 0)->off;
    uint8_t *attain = pl__calloc(off[ni] + 1, 1);
    if (!attain) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < ni; i++) {
        uint32_t sq = pl_scenario_status_quo(sc, i);
        if (has) {
            attain[off[i] + o[i]] = 1; /* the deal itself reaches its options */
        }
        if (sq == PL_NO_VALUE || (has && o[i] != sq)) {
            continue;
        }
        for (uint32_t v = 0; rc == 0 && v < pl_space_value_count(s, i); v++) {
            if (v == sq || !has) {
                continue; /* without any acceptable deal nothing is attainable */
            }
            pl_scenario *rs = NULL;
            int yes = 0;
            rc = restricted(sc, i, v, &rs, d);
            if (rc == 0) {
                rc = has_acceptable(rs, &yes, d);
            }
            pl_scenario_free(rs);
            attain[off[i] + v] = (uint8_t)yes;
        }
    }
    struct pl_report *rep = NULL;
    if (rc == 0) {
        rc = pl__report_build_known(sc, has ? o : NULL, attain, &rep, d);
    }
    for (size_t i = 0; rc == 0 && i < ni; i++) {
        st[i] = (uint8_t)pl_report_status(rep, i);
    }
    pl_report_free(rep);
    pl__free(attain);
    return rc;
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
            if (r->statuses) {
                rc = model_statuses(sc, o, r->has_deal[s], r->status + s * r->ni, &j->d);
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
    if (PL__OPTS_READ(pl_robustness_options, &o, opts, statuses, d) < 0) {
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
    r->statuses = o.statuses != 0;
    int rc = 0;
    for (size_t k = 0; r->statuses && k < pl_scenario_party_count(r->sc); k++) {
        if (pl_ufun_kind_of(pl_scenario_ufun(r->sc, k)) != PL_UFUN_LINEAR) {
            pl_robustness_free(r);
            return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "statuses across models need linear additive parties");
        }
    }
    if (r->statuses && !(r->status = pl__calloc(r->n * r->ni + 1, 1))) {
        pl_robustness_free(r);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
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

const pl_uncertainty *pl_robustness_uncertainty(const pl_robustness *r)
{
    return r->u;
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

static double correlate(const pl_robustness *r, size_t issue, size_t j, int sens, uint32_t value);

double pl_robustness_correlation(const pl_robustness *r, size_t issue, size_t j, int sens)
{
    return correlate(r, issue, j, sens ? 1 : 0, 0);
}

double pl_robustness_correlation_option(const pl_robustness *r, size_t issue, size_t j, uint32_t value)
{
    return correlate(r, issue, j, 2, value);
}

/* sens 0: agreed or not; 1: the option's index; 2: whether the option is `value`. */
static double correlate(const pl_robustness *r, size_t issue, size_t j, int sens, uint32_t value)
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
            y[s] = sens == 2   ? (double)(v == value)
                   : sens == 1 ? (double)v
                               : (double)(r->has_deal[s] && (sq == PL_NO_VALUE || v != sq));
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

uint64_t pl_robustness_status_count(const pl_robustness *r, size_t issue, int st)
{
    uint64_t c = 0;
    for (uint64_t s = 0; r->statuses && issue < r->ni && s < r->n; s++) {
        c += r->status[s * r->ni + issue] == st;
    }
    return c;
}

int pl_robustness_status(const pl_robustness *r, uint64_t s, size_t issue)
{
    return r->statuses && s < r->n && issue < r->ni ? r->status[s * r->ni + issue] : -1;
}
