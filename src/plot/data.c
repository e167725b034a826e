/* What a utility-space plot draws from the scenario: every outcome's utilities (kept as points when few, counted
 * into one grid per pair of parties when many, a seeded uniform sample when too many to enumerate), the axis range
 * of every party, the analysis (frontier, bargaining points) and, for three or more parties, every pair's frontier.
 * Invariant: the axis range of a party holds every utility evaluated, and [0, 1]. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plot/plot_internal.h"

/* Outcomes evaluated per batch (pl_ufun_eval_many), and per unit of work of a thread. */
#define CHUNK 4096
#define BLOCK 65536

void pl_plot_data_options_init_size(pl_plot_data_options *out, size_t size)
{
    pl_plot_data_options defaults, *o = &defaults;
    memset(o, 0, sizeof *o);
    o->point_limit = 20000;
    o->enumerate_limit = 20000000;
    o->sample_size = 200000;
    o->seed = 1;
    o->density_bins = 160;
    o->size = sizeof *o;
    pl__opts_init(out, size, o, sizeof *o);
}

void pl_plot_data_free(pl_plot_data *p)
{
    if (!p) {
        return;
    }
    for (size_t k = 0; k < p->n_pairs; k++) {
        pl_frontier_free(p->pairs[k].own);
        pl__free(p->pairs[k].density);
    }
    pl__free(p->pairs);
    pl_analysis_free(p->analysis);
    pl__free(p->utils);
    pl__free(p->lo);
    pl__free(p->hi);
    pl__free(p);
}

const pl_analysis *pl_plot_data_analysis(const pl_plot_data *p)
{
    return p->analysis;
}

uint64_t pl_plot_data_outcomes_drawn(const pl_plot_data *p, int *sampled)
{
    if (sampled) {
        *sampled = p->cloud == PL__CLOUD_SAMPLED;
    }
    return p->drawn;
}

const pl__pair *pl__plot_pair(const pl_plot_data *p, size_t a, size_t b, int *swapped)
{
    *swapped = a > b;
    size_t i = a < b ? a : b, j = a < b ? b : a;
    for (size_t k = 0; k < p->n_pairs; k++) {
        if (p->pairs[k].i == i && p->pairs[k].j == j) {
            return &p->pairs[k];
        }
    }
    return NULL;
}

/* Widen party k's range to hold v. */
static void widen(pl_plot_data *p, size_t k, double v)
{
    if (isfinite(v)) {
        p->lo[k] = v < p->lo[k] ? v : p->lo[k];
        p->hi[k] = v > p->hi[k] ? v : p->hi[k];
    }
}

static uint32_t bin_of(double v, double lo, double hi, uint32_t bins)
{
    double f = (v - lo) / (hi - lo) * bins;
    if (!(f > 0)) {
        return 0;
    }
    return f >= bins ? bins - 1 : (uint32_t)f;
}

/* Count one batch of utility vectors (np per outcome in u, party-major: u[k * n + o]) into grids (one per pair). */
static void count_batch(const pl_plot_data *p, const double *u, size_t n, uint32_t *grids)
{
    size_t cells = (size_t)p->bins * p->bins;
    for (size_t q = 0; q < p->n_pairs; q++) {
        const pl__pair *pr = &p->pairs[q];
        const double *ui = u + pr->i * n, *uj = u + pr->j * n;
        uint32_t *g = grids + q * cells;
        for (size_t o = 0; o < n; o++) {
            uint32_t c = bin_of(ui[o], p->lo[pr->i], p->hi[pr->i], p->bins);
            uint32_t r = bin_of(uj[o], p->lo[pr->j], p->hi[pr->j], p->bins);
            uint32_t *cell = &g[(size_t)r * p->bins + c];
            *cell += *cell < UINT32_MAX;
        }
    }
}

/* One worker of a sweep: blocks index, index + workers, ... of the outcomes. Each block starts its own odometer
 * (dense order) or its own generator (samples: seeded from the seed and the block's number), so the outcomes drawn
 * and therefore the picture do not depend on the number of threads. */
typedef struct sweeper {
    pl_plot_data *p;
    int sample, pass, rc;
    uint64_t total;
    unsigned index, workers;
    double *lo, *hi; /* pass 0: this worker's ranges */
    uint32_t *grids; /* pass 2: this worker's counts, n_pairs grids */
} sweeper;

static void *sweep_worker(void *arg)
{
    sweeper *w = arg;
    pl_plot_data *p = w->p;
    const pl_space *sp = pl_scenario_space(p->sc);
    size_t ni = pl_space_issue_count(sp), np = p->np;
    uint32_t *batch = pl__malloc(CHUNK * (ni ? ni : 1) * sizeof *batch);
    uint32_t *odo = pl__calloc(ni ? ni : 1, sizeof *odo);
    double *u = pl__malloc(CHUNK * np * sizeof *u);
    if (!batch || !odo || !u) {
        w->rc = PL_ENOMEM;
        goto done;
    }
    uint64_t blocks = (w->total + BLOCK - 1) / BLOCK;
    for (uint64_t b = w->index; b < blocks; b += w->workers) {
        uint64_t pos = b * BLOCK, end = pos + BLOCK < w->total ? pos + BLOCK : w->total;
        uint64_t rng = p->seed + (b + 1) * 0xD1B54A32D192ED03ull;
        rng = pl__splitmix(&rng);
        if (!w->sample && pl_space_outcome_at(sp, pos, odo) < 0) {
            w->rc = PL_ERANGE;
            goto done;
        }
        while (pos < end) {
            size_t n = end - pos < CHUNK ? (size_t)(end - pos) : CHUNK;
            for (size_t o = 0; o < n; o++) {
                uint32_t *out = batch + o * ni;
                if (w->sample) {
                    for (size_t i = 0; i < ni; i++) {
                        uint32_t nv = pl_space_value_count(sp, i);
                        uint32_t v = (uint32_t)(pl__rand_unit(&rng) * nv);
                        out[i] = v < nv ? v : nv - 1;
                    }
                } else { /* the dense order: an odometer, last issue fastest */
                    memcpy(out, odo, ni * sizeof *odo);
                    for (size_t i = ni; i-- > 0;) {
                        if (++odo[i] < pl_space_value_count(sp, i)) {
                            break;
                        }
                        odo[i] = 0;
                    }
                }
            }
            for (size_t k = 0; k < np; k++) {
                pl_ufun_eval_many(pl_scenario_ufun(p->sc, k), batch, n, u + k * n);
            }
            if (w->pass == 0) {
                for (size_t k = 0; k < np; k++) {
                    for (size_t o = 0; o < n; o++) {
                        double v = u[k * n + o];
                        if (isfinite(v)) {
                            w->lo[k] = v < w->lo[k] ? v : w->lo[k];
                            w->hi[k] = v > w->hi[k] ? v : w->hi[k];
                        }
                    }
                }
            } else if (w->pass == 1) {
                for (size_t o = 0; o < n; o++) {
                    for (size_t k = 0; k < np; k++) {
                        p->utils[(pos + o) * np + k] = u[k * n + o];
                    }
                }
            } else {
                count_batch(p, u, n, w->grids);
            }
            pos += n;
        }
    }
done:
    pl__free(batch);
    pl__free(odo);
    pl__free(u);
    return NULL;
}

/* Outcomes in blocks on the data's threads: every outcome in dense order (sample = 0), or `total` uniform draws.
 * The utilities go to the pass: 0 widen the ranges, 1 keep as points, 2 count into the pairs' grids. */
static int sweep(pl_plot_data *p, int sample, uint64_t total, int pass)
{
    unsigned workers = p->threads;
    if (workers == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        workers = n > 0 ? (unsigned)n : 1;
    }
    uint64_t blocks = (total + BLOCK - 1) / BLOCK;
    workers = workers > 64 ? 64 : workers;
    workers = (uint64_t)workers > blocks ? (unsigned)(blocks ? blocks : 1) : workers;
    size_t cells = (size_t)p->bins * p->bins, np = p->np;
    sweeper *w = pl__calloc(workers, sizeof *w);
    pthread_t *tid = pl__calloc(workers, sizeof *tid);
    int rc = w && tid ? 0 : PL_ENOMEM;
    unsigned started = 0;
    for (unsigned k = 0; rc == 0 && k < workers; k++) {
        w[k] = (sweeper){p, sample, pass, 0, total, k, workers, NULL, NULL, NULL};
        if (pass == 0) {
            w[k].lo = pl__malloc(np * sizeof *w[k].lo);
            w[k].hi = pl__malloc(np * sizeof *w[k].hi);
            if (!w[k].lo || !w[k].hi) {
                rc = PL_ENOMEM;
                break;
            }
            memcpy(w[k].lo, p->lo, np * sizeof *p->lo);
            memcpy(w[k].hi, p->hi, np * sizeof *p->hi);
        } else if (pass == 2 && !(w[k].grids = pl__calloc(p->n_pairs * cells, sizeof *w[k].grids))) {
            rc = PL_ENOMEM;
        }
    }
    /* Worker 0 runs here; the others on threads (a thread that cannot start leaves its blocks to a rerun here). */
    for (unsigned k = 1; rc == 0 && k < workers; k++) {
        if (pthread_create(&tid[k], NULL, sweep_worker, &w[k]) != 0) {
            break;
        }
        started = k;
    }
    if (rc == 0) {
        sweep_worker(&w[0]);
        for (unsigned k = started + 1; k < workers; k++) {
            sweep_worker(&w[k]);
        }
    }
    for (unsigned k = 1; k <= started; k++) {
        pthread_join(tid[k], NULL);
    }
    for (unsigned k = 0; rc == 0 && k < workers; k++) {
        rc = w[k].rc;
    }
    for (unsigned k = 0; rc == 0 && k < workers; k++) { /* merge: the order does not change minima or sums */
        if (pass == 0) {
            for (size_t j = 0; j < np; j++) {
                widen(p, j, w[k].lo[j]);
                widen(p, j, w[k].hi[j]);
            }
        } else if (pass == 2) {
            for (size_t q = 0; q < p->n_pairs; q++) {
                uint32_t *dst = p->pairs[q].density;
                const uint32_t *src = w[k].grids + q * cells;
                for (size_t c = 0; c < cells; c++) {
                    uint64_t sum = (uint64_t)dst[c] + src[c];
                    dst[c] = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
                }
            }
        }
    }
    for (size_t q = 0; rc == 0 && pass == 2 && q < p->n_pairs; q++) {
        pl__pair *pr = &p->pairs[q];
        for (size_t c = 0; c < cells; c++) {
            pr->density_max = pr->density[c] > pr->density_max ? pr->density[c] : pr->density_max;
        }
    }
    for (unsigned k = 0; w && k < workers; k++) {
        pl__free(w[k].lo);
        pl__free(w[k].hi);
        pl__free(w[k].grids);
    }
    pl__free(w);
    pl__free(tid);
    return rc;
}

/* Frontiers of every pair (three or more parties); the analysis's own frontier for two. */
static int pair_frontiers(pl_plot_data *p, const pl_plot_data_options *o, pl_diag *d)
{
    size_t np = p->np;
    p->n_pairs = np * (np - 1) / 2;
    p->pairs = pl__calloc(p->n_pairs, sizeof *p->pairs);
    if (!p->pairs) {
        return PL_ENOMEM;
    }
    size_t q = 0;
    for (size_t i = 0; i < np; i++) {
        for (size_t j = i + 1; j < np; j++, q++) {
            pl__pair *pr = &p->pairs[q];
            pr->i = i;
            pr->j = j;
            if (np == 2) {
                pr->frontier = pl_analysis_frontier(p->analysis);
                continue;
            }
            pl_analysis_options ao;
            pl_analysis_options_init(&ao);
            size_t parties[2] = {i, j};
            ao.parties = parties;
            ao.n_parties = 2;
            ao.threads = o->threads;
            ao.outcomes_per_point = 1;
            ao.seed = o->seed;
            int rc = pl_frontier_compute(p->sc, &ao, &pr->own, d);
            if (rc < 0) {
                return rc;
            }
            pr->frontier = pr->own;
        }
    }
    return 0;
}

int pl_plot_data_new(const pl_scenario *sc, const pl_plot_data_options *opts, pl_plot_data **out, pl_diag *d)
{
    *out = NULL;
    pl_plot_data_options o;
    pl_plot_data_options_init(&o);
    if (PL__OPTS_READ(pl_plot_data_options, &o, opts, threads, d) < 0) {
        return PL_EINVAL;
    }
    if (o.density_bins < 16 || o.density_bins > 2048 || o.sample_size == 0) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "plot: density_bins must be 16..2048, sample_size positive");
    }
    size_t np = pl_scenario_party_count(sc);
    if (np < 2) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "plot: the scenario needs at least two parties");
    }
    pl_plot_data *p = pl__calloc(1, sizeof *p);
    if (!p) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    p->sc = sc;
    p->np = np;
    p->seed = o.seed;
    p->bins = o.density_bins;
    p->threads = o.threads;
    p->lo = pl__calloc(np, sizeof *p->lo);
    p->hi = pl__malloc(np * sizeof *p->hi);
    int rc = 0;
    if (!p->lo || !p->hi) {
        rc = PL_ENOMEM;
        goto cleanup;
    }
    const pl_space *sp = pl_scenario_space(sc);
    p->enumerable = pl_space_outcome_count(sp, &p->outcomes) == 0;
    p->log10_outcomes = pl_space_log10_size(sp);

    pl_analysis_options ao;
    pl_analysis_options_init(&ao);
    ao.threads = o.threads;
    ao.outcomes_per_point = 1;
    ao.seed = o.seed;
    if (ao.zopa_limit < o.enumerate_limit) {
        ao.zopa_limit = o.enumerate_limit; /* best and worst outcomes known wherever we enumerate */
    }
    PL_TRY(pl_analyze(sc, &ao, &p->analysis, d));
    const double *ideal = pl_analysis_ideal(p->analysis);
    int known = 1;
    for (size_t k = 0; k < np; k++) {
        p->hi[k] = 1;
        widen(p, k, ideal[k]);
        double w;
        if (pl_analysis_worst(p->analysis, k, &w)) {
            widen(p, k, w);
        } else {
            known = 0;
        }
        if (pl_analysis_best(p->analysis, k, &w)) {
            widen(p, k, w);
        }
        widen(p, k, pl_ufun_reservation(pl_scenario_ufun(sc, k)));
    }
    PL_TRY(pair_frontiers(p, &o, d));

    int sample = !p->enumerable || p->outcomes > o.enumerate_limit;
    p->drawn = sample ? o.sample_size : p->outcomes;
    if (!sample && p->outcomes <= o.point_limit) {
        p->cloud = PL__CLOUD_POINTS;
        p->utils = pl__malloc((p->drawn ? p->drawn : 1) * np * sizeof *p->utils);
        if (!p->utils) {
            rc = PL_ENOMEM;
            goto cleanup;
        }
        PL_TRY(sweep(p, 0, p->drawn, 1));
        for (uint64_t k = 0; k < p->drawn * np; k++) {
            widen(p, (size_t)(k % np), p->utils[k]);
        }
    } else {
        p->cloud = sample ? PL__CLOUD_SAMPLED : PL__CLOUD_DENSITY;
        for (size_t q = 0; q < p->n_pairs; q++) {
            p->pairs[q].density = pl__calloc((size_t)p->bins * p->bins, sizeof *p->pairs[q].density);
            if (!p->pairs[q].density) {
                rc = PL_ENOMEM;
                goto cleanup;
            }
        }
        if (sample || !known) { /* ranges first, so that every count lands in its own cell */
            PL_TRY(sweep(p, sample, p->drawn, 0));
        }
        PL_TRY(sweep(p, sample, p->drawn, 2));
    }
cleanup:
    if (rc == PL_ENOMEM) {
        pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (rc < 0) {
        pl_plot_data_free(p);
        return rc;
    }
    *out = p;
    return 0;
}
