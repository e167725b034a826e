/* Best-effort Pareto frontier for spaces too large to enumerate, for any utility function: the search phases
 * (weighted sums, then epsilon-constraint problems) and the local search that runs each scalarised problem. The
 * archive is in search_archive.c, the neighbourhood moves and random numbers in search_moves.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/search_internal.h"

/* Randomised local search under a series of scalarisations. First weighted sums over a simplex grid of party
 * weightings; then (2 parties) epsilon-constraint problems, "maximise party b while party a stays above t", aimed at
 * the gaps between consecutive points found so far, which no weighted sum reaches on non-convex parts of the
 * frontier. Every outcome evaluated on the way feeds a non-dominated archive, and the archive is the result
 * (labelled approximate by the caller).
 * Deterministic: single-threaded, and every random choice comes from one xoshiro256** generator seeded (through
 * splitmix64) from o->seed. */

/* Bounds on the work, so a pathological function cannot make one climb or the gap phase run away. */
#define SWEEPS_MAX 1000u   /* improving sweeps per climb */
#define KICKS 3u           /* perturb-and-climb attempts after each restart's first climb */
#define WEIGHTINGS_MAX 21u /* simplex grid size target */
#define GAP_ROUNDS_MAX 8u  /* re-examinations of the archive's gaps */
#define GAP_GOALS_MAX 512u /* epsilon-constraint problems in all (2 parties) */
#define EPS_LEVELS 9u      /* thresholds per ordered pair of parties (3 or more parties) */
#define EPS_PAIRS_MAX 12u

/* ---- Scalarised problems ---- */

typedef enum goal_kind {
    GOAL_WEIGHTED, /* maximise sum w_k u_k, then sum u_k */
    GOAL_EPS,      /* u_a >= t first; then maximise u_b, then sum u_k; below t, maximise u_a */
    GOAL_MIN       /* minimise u_a */
} goal_kind;

typedef struct goal {
    goal_kind kind;
    const double *w;
    size_t a, b;
    double t;
} goal;

/* Compared lexicographically: tier, then p, then q. */
typedef struct score {
    int tier;
    double p, q;
} score;

static int better(score x, score y)
{
    if (x.tier != y.tier) {
        return x.tier > y.tier;
    }
    if (x.p != y.p) {
        return x.p > y.p;
    }
    return x.q > y.q;
}

static score score_of(const pl__sr_search *S, const goal *g, const double *u)
{
    score s = {0, 0, 0};
    double sum = 0;
    for (size_t k = 0; k < S->np; k++) {
        sum += u[k];
    }
    switch (g->kind) {
    case GOAL_WEIGHTED:
        for (size_t k = 0; k < S->np; k++) {
            s.p += g->w[k] * u[k];
        }
        /* The sum breaks ties, so a weighting that ignores a party still prefers the vector better for it. */
        s.q = sum;
        break;
    case GOAL_EPS:
        if (u[g->a] >= g->t) {
            s.tier = 1;
            s.p = u[g->b];
            s.q = sum;
        } else {
            /* Infeasible: head for the constraint. */
            s.p = u[g->a];
            s.q = u[g->b];
        }
        break;
    case GOAL_MIN:
        s.p = -u[g->a];
        break;
    }
    return s;
}

static void eval(pl__sr_search *S, const uint32_t *x, double *u)
{
    size_t np = S->np, ni = S->ni;
    for (size_t k = 0; k < np; k++) {
        u[k] = pl_ufun_eval(S->uf[k], x);
    }
    if (!S->err) {
        int rc = pl__sr_archive_add(&S->ar, u, x);
        if (rc < 0) {
            S->err = rc;
        }
    }
    for (size_t k = 0; k < np; k++) {
        uint32_t *b = S->best + k * ni, *w = S->worst + k * ni;
        if (!S->have_ext || u[k] > S->best_u[k] || (u[k] == S->best_u[k] && pl__sr_lex_cmp(x, b, ni) < 0)) {
            S->best_u[k] = u[k];
            memcpy(b, x, ni * sizeof *x);
        }
        if (!S->have_ext || u[k] < S->worst_u[k] || (u[k] == S->worst_u[k] && pl__sr_lex_cmp(x, w, ni) < 0)) {
            S->worst_u[k] = u[k];
            memcpy(w, x, ni * sizeof *x);
        }
    }
    S->have_ext = 1;
}

/* Steepest-in-turn ascent: every issue to its best value, then the best rectangle move, until nothing improves.
 * ux holds x's utilities on entry and on return. */
static score climb(pl__sr_search *S, const goal *g, uint32_t *x, double *ux)
{
    size_t ni = S->ni, np = S->np;
    score cur = score_of(S, g, ux);
    for (unsigned sweep = 0; sweep < SWEEPS_MAX && !S->err; sweep++) {
        int improved = 0;
        for (size_t i = 0; i < ni; i++) {
            uint32_t keep = x[i], bestv = keep;
            score bs = cur;
            for (uint32_t v = 0; v < S->nv[i]; v++) {
                if (v == keep) {
                    continue;
                }
                x[i] = v;
                eval(S, x, S->uy);
                score sc = score_of(S, g, S->uy);
                if (better(sc, bs)) {
                    bs = sc;
                    bestv = v;
                    memcpy(S->ub, S->uy, np * sizeof *S->ub);
                }
            }
            x[i] = bestv;
            if (bestv != keep) {
                cur = bs;
                memcpy(ux, S->ub, np * sizeof *ux);
                improved = 1;
            }
        }
        int found = 0;
        score bs = cur;
        for (size_t m = 0; m < S->n_moves; m++) {
            memcpy(S->y, x, ni * sizeof *x);
            if (pl__sr_force(S, m, S->y, 0) == 0) {
                continue;
            }
            eval(S, S->y, S->uy);
            score sc = score_of(S, g, S->uy);
            if (better(sc, bs)) {
                bs = sc;
                found = 1;
                memcpy(S->yb, S->y, ni * sizeof *x);
                memcpy(S->ub, S->uy, np * sizeof *S->ub);
            }
        }
        if (found) {
            cur = bs;
            memcpy(x, S->yb, ni * sizeof *x);
            memcpy(ux, S->ub, np * sizeof *ux);
            improved = 1;
        }
        if (!improved) {
            break;
        }
    }
    return cur;
}

/* restarts climbs (plus kicks) for goal g; the first n_seeds start from seeds (n_seeds * ni), the rest at random. */
static int run_goal(pl__sr_search *S, const goal *g, unsigned restarts, const uint32_t *seeds, size_t n_seeds)
{
    size_t ni = S->ni, np = S->np;
    for (unsigned r = 0; r < restarts && !S->err; r++) {
        if (r < n_seeds) {
            memcpy(S->x, seeds + r * ni, ni * sizeof *S->x);
        } else {
            pl__sr_random_start(S, S->x);
        }
        eval(S, S->x, S->ux);
        score cur = climb(S, g, S->x, S->ux);
        for (unsigned k = 0; k < KICKS && !S->err; k++) {
            memcpy(S->z, S->x, ni * sizeof *S->z);
            pl__sr_kick(S, S->z);
            eval(S, S->z, S->uz);
            score sc = climb(S, g, S->z, S->uz);
            /* Continue from the better of the two, so kicks accumulate like an iterated local search. */
            if (better(sc, cur)) {
                cur = sc;
                memcpy(S->x, S->z, ni * sizeof *S->x);
                memcpy(S->ux, S->uz, np * sizeof *S->ux);
            }
        }
    }
    return S->err;
}

/* The weightings: a simplex grid with h steps, h the largest giving at most WEIGHTINGS_MAX points (at least the np
 * corners). Returns the count; *out is count * np (caller frees); 0 on allocation failure. */
static size_t weightings(size_t np, double **out)
{
    size_t h = 1;
    for (size_t cand = 2; np > 1 && cand <= WEIGHTINGS_MAX; cand++) {
        /* C(cand + np - 1, np - 1), stopping once over the target. */
        double c = 1;
        for (size_t j = 1; j < np && c <= WEIGHTINGS_MAX; j++) {
            c = c * (double)(cand + j) / (double)j;
        }
        if (c > WEIGHTINGS_MAX) {
            break;
        }
        h = cand;
    }
    *out = NULL;
    size_t *c = pl__calloc(np, sizeof *c);
    size_t n = 0, cap = 0;
    double *w = NULL;
    if (!c) {
        return 0;
    }
    /* Odometer over the first np - 1 parts, carrying as soon as their sum passes h (so only the
     * C(h + np - 1, np - 1) valid compositions are visited); the last part takes the rest. */
    size_t sum = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            double *nw = pl__realloc(w, cap * np * sizeof *nw);
            if (!nw) {
                pl__free(w);
                pl__free(c);
                return 0;
            }
            w = nw;
        }
        for (size_t k = 0; k + 1 < np; k++) {
            w[n * np + k] = (double)c[k] / (double)h;
        }
        w[n * np + np - 1] = (double)(h - sum) / (double)h;
        n++;
        size_t k = 0;
        for (;;) {
            if (k + 1 >= np) {
                pl__free(c);
                *out = w;
                return n;
            }
            c[k]++;
            sum++;
            if (sum <= h) {
                break;
            }
            sum -= c[k];
            c[k] = 0;
            k++;
        }
    }
}

/* Epsilon-constraint problems over the gaps between consecutive archive points (2 parties). A gap between q (higher
 * u0) and p (higher u1) can hold points with u0 in (p0, q0) and u1 in (q1, p1): maximise u1 with u0 > p0, and u0
 * with u1 > q1, each seeded from both neighbours. Repeated while new gaps appear. The two ends are refined too. */

/* A gap by its neighbours' vectors (q then p; a missing end neighbour is +inf, -inf), so a gap whose neighbours did
 * not change since it was examined is not examined again. */
typedef struct gapkey {
    double v[4];
} gapkey;

static int gapkey_cmp(const void *a, const void *b)
{
    const gapkey *x = a, *y = b;
    for (int c = 0; c < 4; c++) {
        if (x->v[c] != y->v[c]) {
            return x->v[c] < y->v[c] ? -1 : 1;
        }
    }
    return 0;
}

static int gap_phase(pl__sr_search *S, unsigned restarts, unsigned goals_max)
{
    size_t ni = S->ni;
    gapkey *done = NULL, *fresh_keys = NULL;
    size_t n_done = 0;
    unsigned goals_run = 0;
    double *u = NULL;
    uint32_t *o = NULL;
    size_t *todo = NULL;
    uint32_t *seeds = pl__malloc(2 * (ni ? ni : 1) * sizeof *seeds);
    int rc = seeds ? 0 : PL_ENOMEM;
    for (unsigned round = 0; round < GAP_ROUNDS_MAX && rc == 0 && goals_run + 2 <= goals_max; round++) {
        /* Snapshot: the archive changes while the problems run. */
        size_t n = S->ar.n;
        pl__free(u);
        pl__free(o);
        pl__free(todo);
        pl__free(fresh_keys);
        u = pl__malloc((n ? n : 1) * 2 * sizeof *u);
        o = pl__malloc((n ? n : 1) * (ni ? ni : 1) * sizeof *o);
        todo = pl__malloc((n + 1) * sizeof *todo);
        fresh_keys = pl__malloc((n + 1) * sizeof *fresh_keys);
        if (!u || !o || !todo || !fresh_keys) {
            rc = PL_ENOMEM;
            break;
        }
        memcpy(u, S->ar.u, n * 2 * sizeof *u);
        for (size_t k = 0; k < n; k++) {
            memcpy(o + k * ni, S->ar.pt[k].o, ni * sizeof *o);
        }
        /* Gaps j = 0 .. n (0 and n: beyond the ends) not examined before with the same neighbours. */
        size_t fresh = 0;
        for (size_t j = 0; j <= n && n > 0; j++) {
            gapkey key = {{INFINITY, INFINITY, -INFINITY, -INFINITY}};
            if (j > 0) {
                key.v[0] = u[(j - 1) * 2];
                key.v[1] = u[(j - 1) * 2 + 1];
            }
            if (j < n) {
                key.v[2] = u[j * 2];
                key.v[3] = u[j * 2 + 1];
            }
            if (n_done > 0 && bsearch(&key, done, n_done, sizeof *done, gapkey_cmp)) {
                continue;
            }
            fresh_keys[fresh] = key;
            todo[fresh++] = j;
        }
        if (fresh == 0) {
            break;
        }
        gapkey *nd = pl__realloc(done, (n_done + fresh) * sizeof *nd);
        if (!nd) {
            rc = PL_ENOMEM;
            break;
        }
        done = nd;
        memcpy(done + n_done, fresh_keys, fresh * sizeof *done);
        n_done += fresh;
        qsort(done, n_done, sizeof *done, gapkey_cmp);
        /* Past the budget, spread what is left evenly over the frontier (the rest is not revisited). */
        size_t budget = (goals_max - goals_run) / 2;
        size_t take = fresh < budget ? fresh : budget;
        for (size_t t = 0; t < take && rc == 0; t++) {
            size_t j = todo[t * fresh / take];
            goal g = {GOAL_EPS, NULL, 0, 1, 0};
            size_t ns = 0;
            /* q = point j - 1 (higher u0), p = point j (higher u1). */
            if (j > 0) {
                memcpy(seeds + ns++ * ni, o + (j - 1) * ni, ni * sizeof *seeds);
            }
            if (j < n) {
                memcpy(seeds + ns++ * ni, o + j * ni, ni * sizeof *seeds);
            }
            /* Maximise u1 with u0 above p's (at the top end: at least q's, to improve q itself). */
            g.t = j < n ? nextafter(u[j * 2], INFINITY) : u[(j - 1) * 2];
            rc = run_goal(S, &g, restarts, seeds, ns);
            if (rc == 0) {
                /* Maximise u0 with u1 above q's (at the bottom end: at least p's). */
                g.a = 1;
                g.b = 0;
                g.t = j > 0 ? nextafter(u[(j - 1) * 2 + 1], INFINITY) : u[j * 2 + 1];
                rc = run_goal(S, &g, restarts, seeds, ns);
            }
            goals_run += 2;
        }
    }
    pl__free(done);
    pl__free(fresh_keys);
    pl__free(todo);
    pl__free(u);
    pl__free(o);
    pl__free(seeds);
    return rc;
}

/* Three or more parties: for ordered pairs (a, b), maximise u_b with u_a above thresholds spread over the range of
 * u_a in the archive, each seeded from the archive point best for b among those meeting the threshold. */
static int eps_grid_phase(pl__sr_search *S, unsigned restarts)
{
    size_t np = S->np, ni = S->ni;
    uint32_t *seed = pl__malloc((ni ? ni : 1) * sizeof *seed);
    if (!seed) {
        return PL_ENOMEM;
    }
    int rc = 0;
    size_t pairs = 0;
    for (size_t a = 0; a < np && rc == 0; a++) {
        for (size_t b = 0; b < np && rc == 0 && pairs < EPS_PAIRS_MAX; b++) {
            if (a == b) {
                continue;
            }
            pairs++;
            for (unsigned level = 1; level <= EPS_LEVELS && rc == 0; level++) {
                if (S->ar.n == 0) {
                    break;
                }
                double lo = S->ar.u[a], hi = lo;
                for (size_t k = 1; k < S->ar.n; k++) {
                    double v = S->ar.u[k * np + a];
                    lo = v < lo ? v : lo;
                    hi = v > hi ? v : hi;
                }
                goal g = {GOAL_EPS, NULL, a, b, lo + (hi - lo) * level / (EPS_LEVELS + 1)};
                size_t pick = (size_t)-1;
                for (size_t k = 0; k < S->ar.n; k++) {
                    const double *v = S->ar.u + k * np;
                    if (v[a] >= g.t && (pick == (size_t)-1 || v[b] > S->ar.u[pick * np + b])) {
                        pick = k;
                    }
                }
                if (pick != (size_t)-1) {
                    memcpy(seed, S->ar.pt[pick].o, ni * sizeof *seed);
                }
                rc = run_goal(S, &g, restarts, seed, pick != (size_t)-1);
            }
        }
    }
    pl__free(seed);
    return rc;
}

static void search_destroy(pl__sr_search *S)
{
    pl__sr_archive_destroy(&S->ar);
    pl__free(S->uf);
    pl__free(S->nv);
    pl__free(S->best);
    pl__free(S->worst);
    pl__free(S->best_u);
    pl__free(S->worst_u);
    pl__free(S->parts);
    pl__free(S->vals);
    pl__free(S->moves);
    pl__free(S->x);
    pl__free(S->y);
    pl__free(S->yb);
    pl__free(S->z);
    pl__free(S->ux);
    pl__free(S->uy);
    pl__free(S->ub);
    pl__free(S->uz);
}

int pl__pareto_search(const pl_scenario *sc, const size_t *parties, size_t np, const pl_analysis_options *o,
                      pl__fb *fb, pl__scan *scan, pl_diag *d)
{
    const pl_space *s = pl_scenario_space(sc);
    pl__sr_search S;
    memset(&S, 0, sizeof S);
    S.np = np;
    S.ni = pl_space_issue_count(s);
    size_t ni1 = S.ni ? S.ni : 1;
    S.ar.np = np;
    S.ar.ni = S.ni;
    S.ar.cap = o->outcomes_per_point ? o->outcomes_per_point : 1;
    pl__sr_rng_seed(&S.r, o->seed);
    unsigned restarts = o->search_restarts ? o->search_restarts : 1;
    /* Gap and threshold problems start next to a known point, so fewer restarts do. */
    unsigned eps_restarts = restarts / 8 ? restarts / 8 : 1;
    double *w = NULL;
    int rc = 0;

    S.uf = pl__malloc(np * sizeof *S.uf);
    S.nv = pl__malloc(ni1 * sizeof *S.nv);
    S.best = pl__malloc(np * ni1 * sizeof *S.best);
    S.worst = pl__malloc(np * ni1 * sizeof *S.worst);
    S.best_u = pl__malloc(np * sizeof *S.best_u);
    S.worst_u = pl__malloc(np * sizeof *S.worst_u);
    S.x = pl__calloc(ni1, sizeof *S.x);
    S.y = pl__calloc(ni1, sizeof *S.y);
    S.yb = pl__calloc(ni1, sizeof *S.yb);
    S.z = pl__calloc(ni1, sizeof *S.z);
    S.ux = pl__malloc(np * sizeof *S.ux);
    S.uy = pl__malloc(np * sizeof *S.uy);
    S.ub = pl__malloc(np * sizeof *S.ub);
    S.uz = pl__malloc(np * sizeof *S.uz);
    if (!S.uf || !S.nv || !S.best || !S.worst || !S.best_u || !S.worst_u || !S.x || !S.y || !S.yb || !S.z ||
        !S.ux || !S.uy || !S.ub || !S.uz) {
        rc = PL_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < S.ni; i++) {
        S.nv[i] = pl_space_value_count(s, i);
    }
    for (size_t k = 0; k < np; k++) {
        S.uf[k] = pl_scenario_ufun(sc, parties[k]);
        if (pl_ufun_kind_of(S.uf[k]) == PL_UFUN_RECT) {
            PL_TRY(pl__sr_add_rect_moves(&S, S.uf[k]));
        }
    }

    size_t nw = weightings(np, &w);
    if (nw == 0) {
        rc = PL_ENOMEM;
        goto cleanup;
    }
    for (size_t q = 0; q < nw; q++) {
        goal g = {GOAL_WEIGHTED, w + q * np, 0, 0, 0};
        PL_TRY(run_goal(&S, &g, restarts, NULL, 0));
    }
    if (np == 2) {
        /* At most as many restarts as the weighted phase had: large frontiers have many gaps. */
        uint64_t cap = (uint64_t)nw * restarts / eps_restarts;
        PL_TRY(gap_phase(&S, eps_restarts, cap < GAP_GOALS_MAX ? (unsigned)cap : GAP_GOALS_MAX));
    } else if (np > 2) {
        PL_TRY(eps_grid_phase(&S, eps_restarts));
    }
    if (scan) {
        /* The best outcomes come from the corner weightings; the worst need their own descent. */
        for (size_t k = 0; k < np; k++) {
            goal g = {GOAL_MIN, NULL, k, 0, 0};
            PL_TRY(run_goal(&S, &g, eps_restarts, S.worst + k * S.ni, 1));
        }
    }

    for (size_t k = 0; k < S.ar.n; k++) {
        for (uint32_t j = 0; j < S.ar.pt[k].n; j++) {
            PL_TRY(pl__fb_add(fb, S.ar.u + k * np, S.ar.pt[k].o + (size_t)j * S.ni, 1));
        }
    }
    if (scan) {
        scan->extremes_known = 1;
        scan->zopa_known = 0;
        scan->zopa = 0;
        scan->best = S.best;
        scan->worst = S.worst;
        scan->best_u = S.best_u;
        scan->worst_u = S.worst_u;
        S.best = S.worst = NULL;
        S.best_u = S.worst_u = NULL;
    }

cleanup:
    pl__free(w);
    search_destroy(&S);
    if (rc == PL_ETOOBIG) {
        /* The caller words this one (the frontier is over its point limit). */
        return rc;
    }
    if (rc < 0) {
        return pl__diag_set(d, rc, NULL, 0, 0, "search: %s", pl_strerror(rc));
    }
    return 0;
}
