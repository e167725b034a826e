/* What-if on red lines and reservation values (parley/whatif.h). One scan of the space computes, for every outcome,
 * the set B of constraints it breaks (a bit mask); an outcome moving issue i becomes acceptable exactly when every
 * constraint in B is removed. So the removal sets that free issue i are the supersets of the masks of the outcomes
 * moving it, and the minimal ones are the inclusion-minimal masks among those: the scan records, per issue, which
 * masks occur (a bitmap over the 2^C possible masks, C <= 20), and a final pass keeps the minimal ones. The scan also
 * counts, per (issue, value), the acceptable outcomes giving the issue that value: adding "party must not give issue
 * value v" removes exactly those. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "core/ufun_internal.h"
#include "parley/whatif.h"

#define MAX_CONSTRAINTS 20

struct pl_whatif {
    size_t ni, nc;
    size_t *cparty;    /* nc */
    long *cline;       /* nc: red line index, -1 = reservation */
    uint8_t *stuck;    /* ni */
    uint64_t *sets;    /* minimal sets of issue i at soff[i] .. soff[i + 1] */
    size_t *soff;
    uint32_t *deal;    /* ni, or NULL */
    uint64_t acceptable;
    pl_whatif_line *lines;
    size_t n_lines;
};

void pl_whatif_options_init_size(pl_whatif_options *out, size_t size)
{
    pl_whatif_options defaults, *o = &defaults;
    memset(o, 0, sizeof *o);
    o->enumerate_limit = 100000000u;
    o->size = sizeof *o;
    pl__opts_init(out, size, o, sizeof *o);
}

void pl_whatif_free(pl_whatif *w)
{
    if (w) {
        pl__free(w->cparty);
        pl__free(w->cline);
        pl__free(w->stuck);
        pl__free(w->sets);
        pl__free(w->soff);
        pl__free(w->deal);
        pl__free(w->lines);
        pl__free(w);
    }
}

/* ---- The scan ---- */

typedef struct wjob {
    const pl_scenario *sc;
    size_t np, ni, nc, words; /* words: 64-bit words of one issue's mask bitmap */
    const uint32_t *sq;
    const uint32_t *off;      /* value slots */
    size_t slots;
    uint64_t count;
} wjob;

typedef struct wpart {
    const wjob *j;
    uint64_t lo, hi;
    uint64_t *seen;  /* ni * words */
    uint64_t *cnt;   /* slots: acceptable outcomes per (issue, value) */
    uint64_t acceptable;
    int rc;
} wpart;

static void *wscan(void *arg)
{
    wpart *p = arg;
    const wjob *j = p->j;
    const pl_space *s = pl_scenario_space(j->sc);
    uint32_t *o = pl__calloc(j->ni ? j->ni : 1, sizeof *o);
    if (!o) {
        p->rc = PL_ENOMEM;
        return NULL;
    }
    if (p->lo < p->hi && pl_space_outcome_at(s, p->lo, o) < 0) {
        pl__free(o);
        p->rc = PL_ERANGE;
        return NULL;
    }
    for (uint64_t x = p->lo; x < p->hi; x++) {
        uint64_t mask = 0;
        size_t c = 0;
        for (size_t k = 0; k < j->np; k++) {
            const pl_ufun *u = pl_scenario_ufun(j->sc, k);
            for (size_t l = 0; l < u->n_lines; l++, c++) {
                const pl__red_line *rl = &u->lines[l];
                if (rl->trig[o[rl->pub.issue]] && (!rl->allow || !rl->allow[o[rl->pub.then_issue]])) {
                    mask |= (uint64_t)1 << c;
                }
            }
            if (pl_ufun_eval_raw(u, o) < u->reservation) {
                mask |= (uint64_t)1 << c;
            }
            c++;
        }
        if (mask == 0) {
            p->acceptable++;
            for (size_t i = 0; i < j->ni; i++) {
                p->cnt[j->off[i] + o[i]]++;
            }
        }
        for (size_t i = 0; i < j->ni; i++) {
            if (j->sq[i] != PL_NO_VALUE && o[i] != j->sq[i]) {
                p->seen[i * j->words + (mask >> 6)] |= (uint64_t)1 << (mask & 63);
            }
        }
        for (size_t i = j->ni; i-- > 0;) {
            if (++o[i] < pl_space_value_count(s, i)) {
                break;
            }
            o[i] = 0;
        }
    }
    pl__free(o);
    return NULL;
}

static int popcount_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    int px = __builtin_popcountll(x), py = __builtin_popcountll(y);
    return px != py ? (px < py ? -1 : 1) : x < y ? -1 : x > y;
}

/* The inclusion-minimal masks among those set in seen (words 64-bit words), sorted by size then value, appended to
 * w->sets. */
static int minimal_sets(pl_whatif *w, const uint64_t *seen, size_t words, size_t *cap)
{
    uint64_t *cand = NULL;
    size_t n = 0, ccap = 0;
    for (size_t q = 0; q < words; q++) {
        for (uint64_t bits = seen[q]; bits; bits &= bits - 1) {
            if (n == ccap) {
                ccap = ccap ? 2 * ccap : 64;
                uint64_t *t = pl__realloc(cand, ccap * sizeof *t);
                if (!t) {
                    pl__free(cand);
                    return PL_ENOMEM;
                }
                cand = t;
            }
            cand[n++] = q * 64 + (uint64_t)__builtin_ctzll(bits);
        }
    }
    if (n > 1) {
        qsort(cand, n, sizeof *cand, popcount_cmp);
    }
    size_t first = w->soff[w->ni]; /* used as the running end while filling */
    for (size_t a = 0; a < n; a++) {
        int dominated = 0;
        for (size_t b = first; b < w->soff[w->ni] && !dominated; b++) {
            dominated = (w->sets[b] & cand[a]) == w->sets[b];
        }
        if (dominated) {
            continue;
        }
        if (w->soff[w->ni] == *cap) {
            *cap = *cap ? 2 * *cap : 64;
            uint64_t *t = pl__realloc(w->sets, *cap * sizeof *t);
            if (!t) {
                pl__free(cand);
                return PL_ENOMEM;
            }
            w->sets = t;
        }
        w->sets[w->soff[w->ni]++] = cand[a];
    }
    pl__free(cand);
    return 0;
}

static int run_scan(pl_whatif *w, const wjob *j, unsigned threads, uint64_t *cnt, pl_diag *d)
{
    unsigned t = threads;
    if ((uint64_t)t > j->count) {
        t = j->count > 0 ? (unsigned)j->count : 1;
    }
    wpart *parts = pl__calloc(t, sizeof *parts);
    pthread_t *tid = pl__calloc(t, sizeof *tid);
    uint64_t *seen = pl__calloc(j->ni * j->words + 1, sizeof *seen);
    int rc = parts && tid && seen ? 0 : PL_ENOMEM;
    unsigned started = 0;
    for (unsigned q = 0; rc == 0 && q < t; q++) {
        parts[q].j = j;
        parts[q].lo = j->count / t * q;
        parts[q].hi = q + 1 == t ? j->count : j->count / t * (q + 1);
        parts[q].seen = pl__calloc(j->ni * j->words + 1, sizeof *parts[q].seen);
        parts[q].cnt = pl__calloc(j->slots + 1, sizeof *parts[q].cnt);
        if (!parts[q].seen || !parts[q].cnt) {
            rc = PL_ENOMEM;
        }
    }
    for (unsigned q = 0; rc == 0 && q < t; q++, started++) {
        if (pthread_create(&tid[q], NULL, wscan, &parts[q]) != 0) {
            rc = PL_ENOMEM;
        }
    }
    for (unsigned q = 0; q < started; q++) {
        pthread_join(tid[q], NULL);
        if (parts[q].rc < 0 && rc == 0) {
            rc = parts[q].rc;
        }
    }
    /* Unions and sums commute: the result does not depend on the thread count. */
    for (unsigned q = 0; rc == 0 && q < t; q++) {
        w->acceptable += parts[q].acceptable;
        for (size_t x = 0; x < j->ni * j->words; x++) {
            seen[x] |= parts[q].seen[x];
        }
        for (size_t x = 0; x < j->slots; x++) {
            cnt[x] += parts[q].cnt[x];
        }
    }
    size_t cap = 0;
    for (size_t i = 0; rc == 0 && i < j->ni; i++) {
        w->soff[i] = w->soff[j->ni];
        w->stuck[i] = j->sq[i] != PL_NO_VALUE && !(seen[i * j->words] & 1); /* mask 0: an acceptable move */
        if (w->stuck[i]) {
            rc = minimal_sets(w, seen + i * j->words, j->words, &cap);
        }
    }
    /* soff[i] was set to the start of issue i; the end is soff[ni]. Shift to the documented layout. */
    for (unsigned q = 0; parts && q < t; q++) {
        pl__free(parts[q].seen);
        pl__free(parts[q].cnt);
    }
    pl__free(parts);
    pl__free(tid);
    pl__free(seen);
    if (rc == PL_ENOMEM) {
        return pl__diag_set(d, rc, NULL, 0, 0, "out of memory");
    }
    return rc < 0 ? pl__diag_set(d, rc, NULL, 0, 0, "cannot scan the outcome space") : 0;
}

/* ---- The lines that would break the deal ---- */

static int deal_lines(pl_whatif *w, const pl_scenario *sc, const uint64_t *cnt, const uint32_t *off)
{
    size_t np = pl_scenario_party_count(sc);
    w->lines = pl__calloc(np * w->ni + 1, sizeof *w->lines);
    uint32_t *o = pl__malloc((w->ni ? w->ni : 1) * sizeof *o);
    if (!w->lines || !o) {
        pl__free(o);
        return PL_ENOMEM;
    }
    for (size_t k = 0; w->deal && k < np; k++) {
        const pl_ufun *u = pl_scenario_ufun(sc, k);
        double base = pl_ufun_eval_raw(u, w->deal);
        for (size_t i = 0; i < w->ni; i++) {
            uint32_t sq = pl_scenario_status_quo(sc, i);
            if (sq == PL_NO_VALUE || w->deal[i] == sq) {
                continue;
            }
            memcpy(o, w->deal, w->ni * sizeof *o);
            o[i] = sq;
            double loss = pl_ufun_eval_raw(u, o) - base;
            if (loss > 1e-12) {
                pl_whatif_line *l = &w->lines[w->n_lines++];
                l->party = k;
                l->issue = i;
                l->value = w->deal[i];
                l->loss = loss;
                l->remaining = w->acceptable - cnt[off[i] + w->deal[i]];
            }
        }
    }
    pl__free(o);
    return 0;
}

int pl_whatif_build(const pl_scenario *sc, const pl_whatif_options *opts, pl_whatif **out, pl_diag *d)
{
    *out = NULL;
    pl_whatif_options o;
    pl_whatif_options_init(&o);
    if (PL__OPTS_READ(pl_whatif_options, &o, opts, threads, d) < 0) {
        return PL_EINVAL;
    }
    const pl_space *s = pl_scenario_space(sc);
    size_t np = pl_scenario_party_count(sc), ni = pl_space_issue_count(s), nc = 0;
    for (size_t k = 0; k < np; k++) {
        nc += pl_ufun_red_line_count(pl_scenario_ufun(sc, k)) + 1;
    }
    if (nc > MAX_CONSTRAINTS) {
        return pl__diag_set(d, PL_ERANGE, NULL, 0, 0,
                            "%zu constraints (red lines and reservation values): what-if handles at most %d", nc,
                            MAX_CONSTRAINTS);
    }
    uint64_t count;
    if (pl_space_outcome_count(s, &count) < 0 || count > o.enumerate_limit) {
        return pl__diag_set(d, PL_ERANGE, NULL, 0, 0,
                            "the space has more than %llu outcomes: what-if scans it (raise the limit)",
                            (unsigned long long)o.enumerate_limit);
    }
    pl_whatif *w = pl__calloc(1, sizeof *w);
    if (!w) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    w->ni = ni;
    w->nc = nc;
    w->cparty = pl__calloc(nc + 1, sizeof *w->cparty);
    w->cline = pl__calloc(nc + 1, sizeof *w->cline);
    w->stuck = pl__calloc(ni + 1, sizeof *w->stuck);
    w->soff = pl__calloc(ni + 1, sizeof *w->soff);
    uint32_t *sq = pl__calloc(ni + 1, sizeof *sq);
    const uint32_t *off = pl_scenario_ufun(sc, 0)->off;
    uint64_t *cnt = pl__calloc(off[ni] + 1, sizeof *cnt);
    pl_analysis *a = NULL;
    int rc = 0;
    if (!w->cparty || !w->cline || !w->stuck || !w->soff || !sq || !cnt) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (size_t k = 0, c = 0; k < np; k++) {
        size_t nl = pl_ufun_red_line_count(pl_scenario_ufun(sc, k));
        for (size_t l = 0; l <= nl; l++, c++) {
            w->cparty[c] = k;
            w->cline[c] = l < nl ? (long)l : -1;
        }
    }
    for (size_t i = 0; i < ni; i++) {
        sq[i] = pl_scenario_status_quo(sc, i);
    }
    wjob j;
    memset(&j, 0, sizeof j);
    j.sc = sc;
    j.np = np;
    j.ni = ni;
    j.nc = nc;
    j.words = ((size_t)1 << nc) / 64 + 1;
    j.sq = sq;
    j.off = off;
    j.slots = off[ni];
    j.count = count;
    PL_TRY(run_scan(w, &j, pl__threads(o.threads), cnt, d));
    /* run_scan left soff[i] = start of issue i and soff[ni] = the end; every issue's end is the next one's start. */
    pl_analysis_options ao;
    pl_analysis_options_init(&ao);
    ao.threads = o.threads;
    PL_TRY(pl_analyze(sc, &ao, &a, d));
    long nash = pl_analysis_point(a, PL_POINT_NASH);
    if (nash >= 0) {
        w->deal = pl__malloc((ni ? ni : 1) * sizeof *w->deal);
        if (!w->deal) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
        memcpy(w->deal, pl_frontier_outcome(pl_analysis_frontier(a), (size_t)nash, 0), ni * sizeof *w->deal);
    }
    if (deal_lines(w, sc, cnt, off) < 0) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
cleanup:
done:
    pl_analysis_free(a);
    pl__free(sq);
    pl__free(cnt);
    if (rc < 0) {
        pl_whatif_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

/* ---- Accessors ---- */

size_t pl_whatif_constraint_count(const pl_whatif *w)
{
    return w->nc;
}

void pl_whatif_constraint(const pl_whatif *w, size_t c, size_t *party, long *red_line)
{
    *party = c < w->nc ? w->cparty[c] : 0;
    *red_line = c < w->nc ? w->cline[c] : -1;
}

int pl_whatif_stuck(const pl_whatif *w, size_t issue)
{
    return issue < w->ni && w->stuck[issue];
}

size_t pl_whatif_sets(const pl_whatif *w, size_t issue, const uint64_t **sets)
{
    if (issue >= w->ni) {
        *sets = NULL;
        return 0;
    }
    size_t end = issue + 1 < w->ni ? w->soff[issue + 1] : w->soff[w->ni];
    *sets = w->sets ? w->sets + w->soff[issue] : NULL;
    return end - w->soff[issue];
}

const uint32_t *pl_whatif_deal(const pl_whatif *w)
{
    return w->deal;
}

uint64_t pl_whatif_acceptable(const pl_whatif *w)
{
    return w->acceptable;
}

size_t pl_whatif_lines(const pl_whatif *w, const pl_whatif_line **out)
{
    *out = w->lines;
    return w->n_lines;
}
