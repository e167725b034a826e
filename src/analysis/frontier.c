/* The Pareto frontier: the candidate builder every algorithm feeds (sort, group equal vectors, drop dominated ones),
 * the frontier's accessors, and the choice of algorithm. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/analysis_internal.h"
#include "core/ufun_internal.h"

struct pl__fb {
    size_t np, ni;
    uint32_t cap;
    uint64_t max;
    size_t n, alloc;
    double *u;        /* n * np */
    uint32_t *o;      /* n * ni */
    unsigned char *has_o;
    uint64_t *mult;
};

pl__fb *pl__fb_new(size_t np, size_t ni, uint32_t cap, uint64_t max_candidates)
{
    pl__fb *fb = pl__calloc(1, sizeof *fb);
    if (fb) {
        fb->np = np;
        fb->ni = ni;
        fb->cap = cap ? cap : 1;
        fb->max = max_candidates;
    }
    return fb;
}

void pl__fb_free(pl__fb *fb)
{
    if (fb) {
        pl__free(fb->u);
        pl__free(fb->o);
        pl__free(fb->has_o);
        pl__free(fb->mult);
        pl__free(fb);
    }
}

size_t pl__fb_count(const pl__fb *fb)
{
    return fb->n;
}

static int fb_grow(pl__fb *fb, size_t need)
{
    if (need <= fb->alloc) {
        return 0;
    }
    if (need > fb->max) {
        return PL_ETOOBIG;
    }
    size_t a = fb->alloc ? fb->alloc : 1024;
    while (a < need) {
        a *= 2;
    }
    double *u = pl__realloc(fb->u, a * fb->np * sizeof *u);
    if (u) {
        fb->u = u;
    }
    uint32_t *o = pl__realloc(fb->o, a * (fb->ni ? fb->ni : 1) * sizeof *o);
    if (o) {
        fb->o = o;
    }
    unsigned char *h = pl__realloc(fb->has_o, a);
    if (h) {
        fb->has_o = h;
    }
    uint64_t *m = pl__realloc(fb->mult, a * sizeof *m);
    if (m) {
        fb->mult = m;
    }
    if (!u || !o || !h || !m) {
        return PL_ENOMEM;
    }
    fb->alloc = a;
    return 0;
}

int pl__fb_add(pl__fb *fb, const double *u, const uint32_t *outcome, uint64_t mult)
{
    int rc = fb_grow(fb, fb->n + 1);
    if (rc < 0) {
        /* Past the bound: compact first, then retry once. */
        if (rc == PL_ETOOBIG && (rc = pl__fb_compact(fb)) == 0) {
            rc = fb_grow(fb, fb->n + 1);
        }
        if (rc < 0) {
            return rc;
        }
    }
    size_t k = fb->n++;
    memcpy(fb->u + k * fb->np, u, fb->np * sizeof *u);
    fb->has_o[k] = outcome != NULL;
    if (outcome) {
        memcpy(fb->o + k * fb->ni, outcome, fb->ni * sizeof *outcome);
    }
    fb->mult[k] = mult;
    return 0;
}

/* Order: utilities descending (lexicographic), then stored outcomes before count-only entries, then outcomes
 * ascending (lexicographic on value indices = dense-index order). */
static int cmp_entries(const pl__fb *fb, size_t a, size_t b)
{
    const double *ua = fb->u + a * fb->np, *ub = fb->u + b * fb->np;
    for (size_t k = 0; k < fb->np; k++) {
        if (ua[k] != ub[k]) {
            return ua[k] > ub[k] ? -1 : 1;
        }
    }
    if (fb->has_o[a] != fb->has_o[b]) {
        return fb->has_o[a] ? -1 : 1;
    }
    if (fb->has_o[a]) {
        const uint32_t *oa = fb->o + a * fb->ni, *ob = fb->o + b * fb->ni;
        for (size_t i = 0; i < fb->ni; i++) {
            if (oa[i] != ob[i]) {
                return oa[i] < ob[i] ? -1 : 1;
            }
        }
    }
    return 0;
}

static int cmp_entries_ctx(const void *ctx, size_t a, size_t b)
{
    return cmp_entries(ctx, a, b);
}

static int same_vector(const pl__fb *fb, size_t a, size_t b)
{
    return memcmp(fb->u + a * fb->np, fb->u + b * fb->np, fb->np * sizeof(double)) == 0;
}

/* For 3 parties: every kept group precedes the current one in the sort, so it has u0 >= the current u0, and the
 * current vector is dominated iff some kept group has u1 >= and u2 >= it (equal vectors are grouped, so such a
 * group differs somewhere). That is a 2-D dominance query, answered by the staircase of the kept (u1, u2) pairs:
 * sorted by u1 descending with u2 ascending, the entry with the smallest u1 >= x has the largest u2 among them. */
typedef struct stair {
    double *p; /* pairs (u1, u2) */
    size_t n, cap;
} stair;

/* Entries with u1 >= x form a prefix; its length. */
static size_t stair_prefix(const stair *s, double x)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->p[2 * mid] >= x) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static int stair_dominated(const stair *s, double x, double y)
{
    size_t k = stair_prefix(s, x);
    return k > 0 && s->p[2 * (k - 1) + 1] >= y;
}

/* Insert a pair no entry dominates; drop the entries it dominates (a run right after its place). */
static int stair_insert(stair *s, double x, double y)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        double *p = pl__realloc(s->p, cap * 2 * sizeof *p);
        if (!p) {
            return PL_ENOMEM;
        }
        s->p = p;
        s->cap = cap;
    }
    size_t k = stair_prefix(s, x), e = k;
    while (e < s->n && s->p[2 * e + 1] <= y) {
        e++;
    }
    /* Replace [k, e) by the new pair. */
    memmove(s->p + 2 * (k + 1), s->p + 2 * e, (s->n - e) * 2 * sizeof *s->p);
    s->p[2 * k] = x;
    s->p[2 * k + 1] = y;
    s->n = s->n - (e - k) + 1;
    return 0;
}

/* Sorted, grouped and filtered: writes the kept entries' indices to keep (in order) and group starts. */
int pl__fb_compact(pl__fb *fb)
{
    size_t n = fb->n, np = fb->np;
    if (n == 0) {
        return 0;
    }
    size_t *idx = pl__malloc(n * sizeof *idx), *tmp = pl__malloc(n * sizeof *tmp);
    size_t *kept_groups = pl__malloc(n * sizeof *kept_groups); /* index (into idx) of each kept group's first entry */
    double *nu = NULL;
    uint32_t *no = NULL;
    unsigned char *nh = NULL;
    uint64_t *nm = NULL;
    stair st = {NULL, 0, 0};
    int rc = 0;
    if (!idx || !tmp || !kept_groups) {
        rc = PL_ENOMEM;
        goto cleanup;
    }
    for (size_t k = 0; k < n; k++) {
        idx[k] = k;
    }
    pl__sort_indices(idx, tmp, n, cmp_entries_ctx, fb);
    /* Walk the groups in order; a group can be dominated only by an earlier (lexicographically greater) one. */
    size_t ng = 0;
    double best1 = 0;
    for (size_t g = 0; g < n;) {
        size_t e = g + 1;
        while (e < n && same_vector(fb, idx[g], idx[e])) {
            e++;
        }
        const double *u = fb->u + idx[g] * np;
        int dominated = 0;
        if (np == 1) {
            dominated = ng > 0;
        } else if (np == 2) {
            /* Sorted by u0 desc then u1 desc: dominated iff an earlier kept group has u1 >= this u1 (an earlier
             * group has u0 >= and differs, so >= on both with one strict). */
            dominated = ng > 0 && best1 >= u[1];
        } else if (np == 3) {
            dominated = stair_dominated(&st, u[1], u[2]);
        } else {
            for (size_t q = 0; q < ng && !dominated; q++) {
                dominated = pl__dominates(fb->u + idx[kept_groups[q]] * np, u, np);
            }
        }
        if (!dominated) {
            if (ng == 0 || u[1 % np] > best1) {
                best1 = u[1 % np];
            }
            if (np == 3 && stair_insert(&st, u[1], u[2]) < 0) {
                rc = PL_ENOMEM;
                goto cleanup;
            }
            kept_groups[ng++] = g;
        }
        /* Remember the group's end in tmp (reused: tmp[g] = end). */
        tmp[g] = e;
        g = e;
    }
    /* Rebuild: per kept group, its first cap stored outcomes plus one count-only entry for the rest. */
    size_t out_max = ng * ((size_t)fb->cap + 1);
    nu = pl__malloc((out_max ? out_max : 1) * np * sizeof *nu);
    no = pl__malloc((out_max ? out_max : 1) * (fb->ni ? fb->ni : 1) * sizeof *no);
    nh = pl__malloc(out_max ? out_max : 1);
    nm = pl__malloc((out_max ? out_max : 1) * sizeof *nm);
    if (!nu || !no || !nh || !nm) {
        rc = PL_ENOMEM;
        goto cleanup;
    }
    size_t m = 0;
    for (size_t q = 0; q < ng; q++) {
        size_t g = kept_groups[q], e = tmp[g];
        uint64_t rest = 0;
        uint32_t stored = 0;
        for (size_t k = g; k < e; k++) {
            size_t s = idx[k];
            if (fb->has_o[s] && stored < fb->cap) {
                memcpy(nu + m * np, fb->u + s * np, np * sizeof *nu);
                memcpy(no + m * fb->ni, fb->o + s * fb->ni, fb->ni * sizeof *no);
                nh[m] = 1;
                nm[m] = fb->mult[s];
                m++;
                stored++;
            } else {
                rest = pl__add_sat(rest, fb->mult[s]);
            }
        }
        if (rest > 0) {
            memcpy(nu + m * np, fb->u + idx[g] * np, np * sizeof *nu);
            nh[m] = 0;
            nm[m] = rest;
            m++;
        }
    }
    pl__free(fb->u);
    pl__free(fb->o);
    pl__free(fb->has_o);
    pl__free(fb->mult);
    fb->u = nu;
    fb->o = no;
    fb->has_o = nh;
    fb->mult = nm;
    fb->n = m;
    fb->alloc = out_max ? out_max : 1;
    nu = NULL;
    no = NULL;
    nh = NULL;
    nm = NULL;
cleanup:
    pl__free(st.p);
    pl__free(idx);
    pl__free(tmp);
    pl__free(kept_groups);
    pl__free(nu);
    pl__free(no);
    pl__free(nh);
    pl__free(nm);
    return rc;
}

int pl__fb_finish(pl__fb *fb, pl_pareto_algorithm algo, int exact, uint64_t max_points, const size_t *parties,
                  pl_frontier **out, pl_diag *d)
{
    *out = NULL;
    int rc = pl__fb_compact(fb);
    if (rc < 0) {
        return pl__diag_set(d, rc, NULL, 0, 0, "frontier: %s", pl_strerror(rc));
    }
    /* After compaction, entries come grouped and ordered. */
    size_t points = 0;
    for (size_t k = 0; k < fb->n; k++) {
        if (k == 0 || !same_vector(fb, k - 1, k)) {
            points++;
        }
    }
    if (points > max_points) {
        return pl__diag_set(d, PL_ETOOBIG, NULL, 0, 0, "the frontier has %zu points, more than the limit of %llu",
                            points, (unsigned long long)max_points);
    }
    pl_frontier *f = pl__calloc(1, sizeof *f);
    if (!f) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    f->algorithm = algo;
    f->exact = exact;
    f->np = fb->np;
    f->ni = fb->ni;
    f->n = points;
    f->parties = pl__malloc(fb->np * sizeof *f->parties);
    f->u = pl__malloc((points ? points : 1) * fb->np * sizeof *f->u);
    f->total = pl__calloc(points ? points : 1, sizeof *f->total);
    f->ooff = pl__calloc(points + 1, sizeof *f->ooff);
    f->outcomes = pl__malloc((fb->n ? fb->n : 1) * (fb->ni ? fb->ni : 1) * sizeof *f->outcomes);
    if (!f->parties || !f->u || !f->total || !f->ooff || !f->outcomes) {
        pl_frontier_free(f);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    memcpy(f->parties, parties, fb->np * sizeof *parties);
    size_t p = (size_t)-1, stored = 0;
    for (size_t k = 0; k < fb->n; k++) {
        if (k == 0 || !same_vector(fb, k - 1, k)) {
            p++;
            memcpy(f->u + p * fb->np, fb->u + k * fb->np, fb->np * sizeof *f->u);
            f->ooff[p] = stored;
        }
        f->total[p] = pl__add_sat(f->total[p], fb->mult[k]);
        if (fb->has_o[k]) {
            memcpy(f->outcomes + stored * fb->ni, fb->o + k * fb->ni, fb->ni * sizeof *f->outcomes);
            stored++;
        }
        f->ooff[p + 1] = stored;
    }
    fb->n = 0;
    *out = f;
    return 0;
}

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

const char *pl_pareto_algorithm_name(pl_pareto_algorithm a)
{
    switch (a) {
    case PL_PARETO_ENUMERATE:
        return "enumerate";
    case PL_PARETO_MERGE:
        return "merge";
    case PL_PARETO_SEARCH:
        return "search";
    default:
        return "auto";
    }
}

void pl_analysis_options_init(pl_analysis_options *o)
{
    memset(o, 0, sizeof *o);
    o->algorithm = PL_PARETO_AUTO;
    o->outcomes_per_point = 16;
    o->max_points = 10000000;
    o->zopa_limit = 100000000;
    o->enumerate_limit = 100000000;
    o->seed = 1;
    o->search_restarts = 200;
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
    if (opts) {
        o = *opts;
    } else {
        pl_analysis_options_init(&o);
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
