/* Agreements-and-divergences reports (see parley/report.h for the statuses). Everything is computed from the model:
 * ideals from the utility functions, the prediction from the analysis, and which moves are possible from one scan
 * of the space that records, per issue, which values some outcome acceptable to every party takes, and the fewest
 * constraints (red lines and reservation values) an outcome moving the issue off its status quo must break. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "core/ufun_internal.h"
#include "parley/report.h"

struct pl_report {
    const pl_scenario *sc;
    size_t np, ni;
    int predicted, has_agreement, scanned;
    uint32_t *agreement;     /* ni */
    pl_issue_status *status; /* ni */
    uint32_t *ideal;         /* per (party, issue): ideal values, at ioff[k * ni + i] .. ioff[k * ni + i + 1] */
    size_t *ioff;
    uint8_t *attain;         /* per value slot (u->off layout) */
    uint64_t acceptable;
    pl_report_blocker *blk;  /* per issue, at boff[i] .. boff[i + 1] */
    size_t *boff;
    pl_report_blocker *rl;   /* red lines bearing on each issue, at roff[i] .. roff[i + 1] */
    size_t *roff;
};

void pl_report_options_init_size(pl_report_options *out, size_t size)
{
    pl_report_options defaults, *o = &defaults;
    memset(o, 0, sizeof *o);
    o->enumerate_limit = 100000000u;
    o->size = sizeof *o;
    pl__opts_init(out, size, o, sizeof *o);
}

void pl_report_free(pl_report *r)
{
    if (r) {
        pl__free(r->agreement);
        pl__free(r->status);
        pl__free(r->ideal);
        pl__free(r->ioff);
        pl__free(r->attain);
        pl__free(r->blk);
        pl__free(r->boff);
        pl__free(r->rl);
        pl__free(r->roff);
        pl__free(r);
    }
}

/* ---- The scan ---- */

/* Constraints are numbered party by party: its red lines, then its reservation value. At most 64 are explained;
 * with more, blocked issues are still found but their blockers are not listed. */
typedef struct scan_job {
    const pl_scenario *sc;
    size_t np, ni, slots;
    const uint32_t *sq;      /* status quo per issue (PL_NO_VALUE: none) */
    const uint32_t *off;     /* value slot offsets (any party's ufun layout; it depends on the space only) */
    size_t *cbase;           /* np: first constraint of each party */
    size_t nc;
    uint64_t count;
    unsigned threads;
} scan_job;

typedef struct scan_part {
    const scan_job *j;
    uint64_t lo, hi;
    uint8_t *attain;  /* slots */
    uint32_t *minc;   /* ni: fewest constraints broken by an outcome moving the issue */
    uint64_t *uni;    /* ni: union of the constraints broken at that minimum */
    uint64_t acceptable;
    int rc;
} scan_part;

static void *scan_worker(void *arg)
{
    scan_part *p = arg;
    const scan_job *j = p->j;
    size_t ni = j->ni;
    uint32_t *o = pl__malloc((ni ? ni : 1) * sizeof *o);
    if (!o) {
        p->rc = PL_ENOMEM;
        return NULL;
    }
    if (p->lo < p->hi && pl_space_outcome_at(pl_scenario_space(j->sc), p->lo, o) < 0) {
        pl__free(o);
        p->rc = PL_ERANGE;
        return NULL;
    }
    const pl_space *s = pl_scenario_space(j->sc);
    for (uint64_t x = p->lo; x < p->hi; x++) {
        uint64_t mask = 0;
        uint32_t cnt = 0;
        for (size_t k = 0; k < j->np; k++) {
            const pl_ufun *u = pl_scenario_ufun(j->sc, k);
            size_t c = j->cbase[k];
            for (size_t l = 0; l < u->n_lines; l++, c++) {
                if (pl_ufun_red_line_broken(u, l, o)) {
                    cnt++;
                    mask |= c < 64 ? (uint64_t)1 << c : 0;
                }
            }
            if (pl_ufun_eval_raw(u, o) < u->reservation) {
                cnt++;
                mask |= c < 64 ? (uint64_t)1 << c : 0;
            }
        }
        if (cnt == 0) {
            p->acceptable++;
            for (size_t i = 0; i < ni; i++) {
                p->attain[j->off[i] + o[i]] = 1;
            }
        }
        for (size_t i = 0; i < ni; i++) {
            if (j->sq[i] == PL_NO_VALUE || o[i] == j->sq[i]) {
                continue;
            }
            if (cnt < p->minc[i]) {
                p->minc[i] = cnt;
                p->uni[i] = mask;
            } else if (cnt == p->minc[i]) {
                p->uni[i] |= mask;
            }
        }
        /* Odometer, the last issue fastest (dense order). */
        for (size_t i = ni; i-- > 0;) {
            if (++o[i] < pl_space_value_count(s, i)) {
                break;
            }
            o[i] = 0;
        }
    }
    pl__free(o);
    return NULL;
}

static int scan(pl_report *r, const scan_job *j, pl_diag *d)
{
    unsigned t = j->threads;
    if ((uint64_t)t > j->count) {
        t = j->count > 0 ? (unsigned)j->count : 1;
    }
    scan_part *parts = pl__calloc(t, sizeof *parts);
    pthread_t *tid = pl__calloc(t, sizeof *tid);
    int rc = 0;
    if (!parts || !tid) {
        rc = PL_ENOMEM;
        goto cleanup;
    }
    unsigned started = 0;
    for (unsigned w = 0; w < t; w++) {
        scan_part *p = &parts[w];
        p->j = j;
        p->lo = j->count / t * w;
        p->hi = w + 1 == t ? j->count : j->count / t * (w + 1);
        p->attain = pl__calloc(j->slots ? j->slots : 1, 1);
        p->minc = pl__malloc((j->ni ? j->ni : 1) * sizeof *p->minc);
        p->uni = pl__calloc(j->ni ? j->ni : 1, sizeof *p->uni);
        if (!p->attain || !p->minc || !p->uni) {
            rc = PL_ENOMEM;
            break;
        }
        for (size_t i = 0; i < j->ni; i++) {
            p->minc[i] = UINT32_MAX;
        }
    }
    for (unsigned w = 0; rc == 0 && w < t; w++, started++) {
        if (pthread_create(&tid[w], NULL, scan_worker, &parts[w]) != 0) {
            rc = PL_ENOMEM;
            break;
        }
    }
    for (unsigned w = 0; w < started; w++) {
        pthread_join(tid[w], NULL);
        if (parts[w].rc < 0 && rc == 0) {
            rc = parts[w].rc;
        }
    }
    if (rc == 0) {
        /* Combine (minima and unions commute: the result does not depend on the thread count). */
        uint32_t *minc = pl__malloc((j->ni ? j->ni : 1) * sizeof *minc);
        uint64_t *uni = pl__calloc(j->ni ? j->ni : 1, sizeof *uni);
        r->attain = pl__calloc(j->slots ? j->slots : 1, 1);
        r->boff = pl__calloc(j->ni + 1, sizeof *r->boff);
        if (!minc || !uni || !r->attain || !r->boff) {
            pl__free(minc);
            pl__free(uni);
            rc = PL_ENOMEM;
            goto cleanup;
        }
        for (size_t i = 0; i < j->ni; i++) {
            minc[i] = UINT32_MAX;
        }
        for (unsigned w = 0; w < t; w++) {
            r->acceptable += parts[w].acceptable;
            for (size_t s = 0; s < j->slots; s++) {
                r->attain[s] |= parts[w].attain[s];
            }
            for (size_t i = 0; i < j->ni; i++) {
                if (parts[w].minc[i] < minc[i]) {
                    minc[i] = parts[w].minc[i];
                    uni[i] = parts[w].uni[i];
                } else if (parts[w].minc[i] == minc[i]) {
                    uni[i] |= parts[w].uni[i];
                }
            }
        }
        /* Blockers of the issues no acceptable outcome moves (minimum >= 1), constraint by constraint. */
        size_t total = 0;
        for (size_t i = 0; i < j->ni; i++) {
            r->boff[i] = total;
            if (minc[i] >= 1 && minc[i] != UINT32_MAX && j->nc <= 64) {
                total += (size_t)__builtin_popcountll(uni[i]);
            }
        }
        r->boff[j->ni] = total;
        r->blk = pl__malloc((total ? total : 1) * sizeof *r->blk);
        if (!r->blk) {
            rc = PL_ENOMEM;
        }
        for (size_t i = 0; rc == 0 && i < j->ni; i++) {
            size_t n = r->boff[i];
            for (size_t k = 0; n < r->boff[i + 1] && k < j->np; k++) {
                size_t lines = pl_scenario_ufun(j->sc, k)->n_lines;
                for (size_t c = 0; c <= lines; c++) {
                    if (uni[i] >> (j->cbase[k] + c) & 1) {
                        r->blk[n].party = k;
                        r->blk[n].red_line = c < lines ? (long)c : -1;
                        n++;
                    }
                }
            }
        }
        pl__free(minc);
        pl__free(uni);
        r->scanned = rc == 0;
    }
cleanup:
    for (unsigned w = 0; parts && w < t; w++) {
        pl__free(parts[w].attain);
        pl__free(parts[w].minc);
        pl__free(parts[w].uni);
    }
    pl__free(parts);
    pl__free(tid);
    if (rc == PL_ENOMEM) {
        return pl__diag_set(d, rc, NULL, 0, 0, "out of memory");
    }
    return rc < 0 ? pl__diag_set(d, rc, NULL, 0, 0, "cannot scan the outcome space") : 0;
}

/* ---- Ideals ---- */

static int find_ideals(pl_report *r, const pl_analysis *a)
{
    const pl_space *s = pl_scenario_space(r->sc);
    size_t cells = r->np * r->ni, total = 0;
    r->ioff = pl__calloc(cells + 1, sizeof *r->ioff);
    size_t cap = 0;
    for (size_t i = 0; i < r->ni; i++) {
        cap += pl_space_value_count(s, i);
    }
    r->ideal = pl__malloc((cap * r->np > 0 ? cap * r->np : 1) * sizeof *r->ideal);
    if (!r->ioff || !r->ideal) {
        return PL_ENOMEM;
    }
    for (size_t k = 0; k < r->np; k++) {
        const pl_ufun *u = pl_scenario_ufun(r->sc, k);
        const uint32_t *best = NULL;
        if (u->kind != PL_UFUN_LINEAR && a) {
            best = pl_analysis_best(a, k, NULL);
        }
        for (size_t i = 0; i < r->ni; i++) {
            r->ioff[k * r->ni + i] = total;
            if (u->kind == PL_UFUN_LINEAR) {
                const double *t = u->wtab + u->off[i];
                uint32_t nv = pl_space_value_count(s, i);
                double mx = t[0];
                for (uint32_t v = 1; v < nv; v++) {
                    mx = t[v] > mx ? t[v] : mx;
                }
                for (uint32_t v = 0; v < nv; v++) {
                    if (t[v] >= mx - 1e-12) {
                        r->ideal[total++] = v;
                    }
                }
            } else if (best) {
                r->ideal[total++] = best[i];
            }
        }
    }
    r->ioff[cells] = total;
    return 0;
}

/* ---- Red lines bearing on each issue ---- */

/* 1 when red line l of u bears on issue i: it forbids options of i outright, requires options of i (a precondition
 * whose then-issue is i), or is triggered by options of i (a precondition on moving i). */
static int bears_on(const pl_red_line *l, size_t i)
{
    return l->issue == i || (l->then_issue >= 0 && (size_t)l->then_issue == i);
}

static int collect_red_lines(pl_report *r)
{
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        total = 0;
        for (size_t i = 0; i < r->ni; i++) {
            if (pass) {
                r->roff[i] = total;
            }
            for (size_t k = 0; k < r->np; k++) {
                const pl_ufun *u = pl_scenario_ufun(r->sc, k);
                for (size_t l = 0; l < pl_ufun_red_line_count(u); l++) {
                    pl_red_line rl;
                    pl_ufun_red_line_get(u, l, &rl);
                    if (bears_on(&rl, i)) {
                        if (pass) {
                            r->rl[total].party = k;
                            r->rl[total].red_line = (long)l;
                        }
                        total++;
                    }
                }
            }
        }
        if (!pass) {
            r->roff = pl__calloc(r->ni + 1, sizeof *r->roff);
            r->rl = pl__calloc(total ? total : 1, sizeof *r->rl);
            if (!r->roff || !r->rl) {
                return PL_ENOMEM;
            }
        }
    }
    r->roff[r->ni] = total;
    return 0;
}

/* 1 when some party other than `except` has a red line forbidding option v of issue i outright. */
static int refused_outright(const pl_report *r, size_t i, uint32_t v, size_t except)
{
    for (size_t k = 0; k < r->np; k++) {
        const pl_ufun *u = pl_scenario_ufun(r->sc, k);
        for (size_t l = 0; k != except && l < pl_ufun_red_line_count(u); l++) {
            pl_red_line rl;
            pl_ufun_red_line_get(u, l, &rl);
            for (size_t j = 0; rl.then_issue < 0 && rl.issue == i && j < rl.n_values; j++) {
                if (rl.values[j] == v) {
                    return 1;
                }
            }
        }
    }
    return 0;
}

/* 1 when party k demands a move of issue i off its status quo sq in a red line: one of its preconditions requires
 * options of i that exclude sq. */
static int demands_move(const pl_report *r, size_t k, size_t i, uint32_t sq)
{
    const pl_ufun *u = pl_scenario_ufun(r->sc, k);
    for (size_t l = 0; l < pl_ufun_red_line_count(u); l++) {
        pl_red_line rl;
        pl_ufun_red_line_get(u, l, &rl);
        if (rl.then_issue < 0 || (size_t)rl.then_issue != i) {
            continue;
        }
        int has_sq = 0;
        for (size_t j = 0; j < rl.n_then; j++) {
            has_sq |= rl.then_values[j] == sq;
        }
        if (!has_sq) {
            return 1;
        }
    }
    return 0;
}

/* 1 when party k wants issue i moved off its status quo: it has ideal options and the status quo is not one. */
static int wants_move(const pl_report *r, size_t k, size_t i, uint32_t sq)
{
    const uint32_t *v;
    return pl_report_ideals(r, k, i, &v) > 0 && !pl_report_is_ideal(r, k, i, sq);
}

/* ---- Statuses ---- */

/* The rules (parley/report.h, docs/ceasefire.md): for an issue left at its status quo, with W the parties that want
 * it moved, divergent when some party in W could have had its ideal (a), demands the move in a red line (b), or is
 * refused it outright by another party's red line while no acceptable deal moves the issue (c); otherwise not
 * reached when W is not empty and no acceptable deal moves it; otherwise not addressed. */
static void decide(pl_report *r)
{
    const pl_space *s = pl_scenario_space(r->sc);
    for (size_t i = 0; i < r->ni; i++) {
        uint32_t sq = pl_scenario_status_quo(r->sc, i);
        pl_issue_status st;
        if (r->has_agreement && (sq == PL_NO_VALUE || r->agreement[i] != sq)) {
            st = PL_ISSUE_AGREED;
        } else if (!r->scanned || sq == PL_NO_VALUE) {
            st = PL_ISSUE_UNDETERMINED;
        } else {
            int movable = 0;
            for (uint32_t v = 0; v < pl_space_value_count(s, i); v++) {
                movable |= v != sq && pl_report_attainable(r, i, v) == 1;
            }
            int wanted = 0, divergent = 0;
            for (size_t k = 0; k < r->np; k++) {
                if (!wants_move(r, k, i, sq)) {
                    continue;
                }
                wanted = 1;
                const uint32_t *v;
                size_t n = pl_report_ideals(r, k, i, &v);
                for (size_t j = 0; j < n; j++) {
                    divergent |= pl_report_attainable(r, i, v[j]) == 1;              /* (a) */
                    divergent |= !movable && refused_outright(r, i, v[j], k);       /* (c) */
                }
                divergent |= demands_move(r, k, i, sq);                             /* (b) */
            }
            st = divergent ? PL_ISSUE_DIVERGENT
                 : wanted && !movable ? PL_ISSUE_NOT_REACHED
                                      : PL_ISSUE_NOT_ADDRESSED;
        }
        r->status[i] = st;
    }
}

int pl_report_build(const pl_scenario *sc, const uint32_t *agreement, const pl_report_options *opts,
                    pl_report **out, pl_diag *d)
{
    *out = NULL;
    pl_report_options o;
    pl_report_options_init(&o);
    if (PL__OPTS_READ(pl_report_options, &o, opts, threads, d) < 0) {
        return PL_EINVAL;
    }
    const pl_space *s = pl_scenario_space(sc);
    if (agreement && !pl_space_outcome_valid(s, agreement)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "the agreement is not an outcome of the scenario");
    }
    pl_report *r = pl__calloc(1, sizeof *r);
    if (!r) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    r->sc = sc;
    r->np = pl_scenario_party_count(sc);
    r->ni = pl_space_issue_count(s);
    r->agreement = pl__calloc(r->ni ? r->ni : 1, sizeof *r->agreement);
    r->status = pl__calloc(r->ni ? r->ni : 1, sizeof *r->status);
    size_t *cbase = pl__malloc(r->np * sizeof *cbase);
    uint32_t *sq = pl__malloc((r->ni ? r->ni : 1) * sizeof *sq);
    pl_analysis *a = NULL;
    int rc = 0;
    if (!r->agreement || !r->status || !cbase || !sq) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    int linear = 1;
    for (size_t k = 0; k < r->np; k++) {
        linear &= pl_scenario_ufun(sc, k)->kind == PL_UFUN_LINEAR;
    }
    if (!agreement || !linear) {
        pl_analysis_options ao;
        pl_analysis_options_init(&ao);
        ao.threads = o.threads;
        PL_TRY(pl_analyze(sc, &ao, &a, d));
    }
    for (size_t i = 0; i < r->ni; i++) {
        sq[i] = pl_scenario_status_quo(sc, i);
    }
    if (agreement) {
        memcpy(r->agreement, agreement, r->ni * sizeof *agreement);
        r->has_agreement = 1;
    } else {
        r->predicted = 1;
        long nash = pl_analysis_point(a, PL_POINT_NASH);
        if (nash >= 0) {
            memcpy(r->agreement, pl_frontier_outcome(pl_analysis_frontier(a), (size_t)nash, 0),
                   r->ni * sizeof *r->agreement);
            r->has_agreement = 1;
        } else {
            for (size_t i = 0; i < r->ni; i++) {
                r->agreement[i] = sq[i] == PL_NO_VALUE ? 0 : sq[i];
            }
        }
    }
    if (find_ideals(r, a) < 0) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    /* Scan only when some issue is left at its status quo: that is when blocked / contested must be decided. */
    int need = 0;
    for (size_t i = 0; i < r->ni; i++) {
        need |= sq[i] != PL_NO_VALUE && (!r->has_agreement || r->agreement[i] == sq[i]);
    }
    uint64_t count;
    if (need && pl_space_outcome_count(s, &count) == 0 && count <= o.enumerate_limit) {
        scan_job j;
        memset(&j, 0, sizeof j);
        j.sc = sc;
        j.np = r->np;
        j.ni = r->ni;
        j.sq = sq;
        j.off = pl_scenario_ufun(sc, 0)->off;
        j.slots = j.off[r->ni];
        j.cbase = cbase;
        for (size_t k = 0; k < r->np; k++) {
            cbase[k] = j.nc;
            j.nc += pl_scenario_ufun(sc, k)->n_lines + 1;
        }
        j.count = count;
        j.threads = pl__threads(o.threads);
        PL_TRY(scan(r, &j, d));
    }
    if (collect_red_lines(r) < 0) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    decide(r);
cleanup:
    pl_analysis_free(a);
    pl__free(cbase);
    pl__free(sq);
    if (rc < 0) {
        pl_report_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

/* A report on a linear additive scenario whose attainability is known (per value slot, u->off layout): no analysis,
 * no scan, no blockers. agreement NULL: no deal (the status quo holds). For robustness sampling (robustness.c). */
int pl__report_build_known(const pl_scenario *sc, const uint32_t *agreement, const uint8_t *attain, pl_report **out,
                           pl_diag *d)
{
    *out = NULL;
    pl_report *r = pl__calloc(1, sizeof *r);
    if (!r) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    r->sc = sc;
    r->np = pl_scenario_party_count(sc);
    r->ni = pl_space_issue_count(pl_scenario_space(sc));
    size_t slots = pl_scenario_ufun(sc, 0)->off[r->ni];
    r->agreement = pl__calloc(r->ni ? r->ni : 1, sizeof *r->agreement);
    r->status = pl__calloc(r->ni ? r->ni : 1, sizeof *r->status);
    r->attain = pl__calloc(slots ? slots : 1, 1);
    r->boff = pl__calloc(r->ni + 1, sizeof *r->boff);
    r->blk = pl__calloc(1, sizeof *r->blk);
    if (!r->agreement || !r->status || !r->attain || !r->boff || !r->blk || find_ideals(r, NULL) < 0 ||
        collect_red_lines(r) < 0) {
        pl_report_free(r);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    memcpy(r->attain, attain, slots);
    r->scanned = 1;
    r->has_agreement = agreement != NULL;
    for (size_t i = 0; i < r->ni; i++) {
        uint32_t sq = pl_scenario_status_quo(sc, i);
        r->agreement[i] = agreement ? agreement[i] : sq == PL_NO_VALUE ? 0 : sq;
    }
    decide(r);
    *out = r;
    return 0;
}

/* ---- Accessors ---- */

int pl_report_predicted(const pl_report *r)
{
    return r->predicted;
}

int pl_report_has_agreement(const pl_report *r)
{
    return r->has_agreement;
}

const uint32_t *pl_report_agreement(const pl_report *r)
{
    return r->agreement;
}

int pl_report_acceptable_count(const pl_report *r, uint64_t *count)
{
    if (!r->scanned) {
        return PL_ERANGE;
    }
    *count = r->acceptable;
    return 0;
}

pl_issue_status pl_report_status(const pl_report *r, size_t issue)
{
    return issue < r->ni ? r->status[issue] : PL_ISSUE_UNDETERMINED;
}

size_t pl_report_ideals(const pl_report *r, size_t party, size_t issue, const uint32_t **values)
{
    size_t c = party * r->ni + issue;
    *values = r->ideal + r->ioff[c];
    return r->ioff[c + 1] - r->ioff[c];
}

int pl_report_is_ideal(const pl_report *r, size_t party, size_t issue, uint32_t value)
{
    const uint32_t *v;
    size_t n = pl_report_ideals(r, party, issue, &v);
    for (size_t j = 0; j < n; j++) {
        if (v[j] == value) {
            return 1;
        }
    }
    return 0;
}

int pl_report_attainable(const pl_report *r, size_t issue, uint32_t value)
{
    if (!r->scanned) {
        return -1;
    }
    return r->attain[pl_scenario_ufun(r->sc, 0)->off[issue] + value];
}

int pl_report_ideal_attainable(const pl_report *r, size_t party, size_t issue)
{
    const uint32_t *v;
    size_t n = pl_report_ideals(r, party, issue, &v);
    for (size_t j = 0; j < n; j++) {
        if (pl_report_attainable(r, issue, v[j]) == 1) {
            return 1;
        }
    }
    return 0;
}

size_t pl_report_blockers(const pl_report *r, size_t issue, const pl_report_blocker **out)
{
    if (!r->scanned || r->status[issue] != PL_ISSUE_NOT_REACHED) {
        *out = NULL;
        return 0;
    }
    *out = r->blk + r->boff[issue];
    return r->boff[issue + 1] - r->boff[issue];
}

size_t pl_report_red_lines(const pl_report *r, size_t issue, const pl_report_blocker **out)
{
    if (issue >= r->ni) {
        *out = NULL;
        return 0;
    }
    *out = r->rl + r->roff[issue];
    return r->roff[issue + 1] - r->roff[issue];
}

long pl_report_refusal(const pl_report *r, size_t party, size_t red_line, size_t *by)
{
    if (party >= r->np || red_line >= pl_ufun_red_line_count(pl_scenario_ufun(r->sc, party))) {
        return -1;
    }
    pl_red_line p;
    pl_ufun_red_line_get(pl_scenario_ufun(r->sc, party), red_line, &p);
    if (p.then_issue < 0) {
        return -1;
    }
    for (size_t k = 0; k < r->np; k++) {
        const pl_ufun *u = pl_scenario_ufun(r->sc, k);
        for (size_t l = 0; k != party && l < pl_ufun_red_line_count(u); l++) {
            pl_red_line q;
            pl_ufun_red_line_get(u, l, &q);
            if (q.then_issue >= 0 || q.issue != (uint32_t)p.then_issue) {
                continue;
            }
            size_t covered = 0; /* required options that q forbids */
            for (size_t a = 0; a < p.n_then; a++) {
                for (size_t b = 0; b < q.n_values; b++) {
                    covered += p.then_values[a] == q.values[b];
                }
            }
            if (covered == p.n_then) {
                *by = k;
                return (long)l;
            }
        }
    }
    return -1;
}
