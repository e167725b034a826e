/* The search's neighbourhoods and randomness: moves into the rectangles of hyper-rectangle parties, random starts
 * and kicks, all drawing from one xoshiro256** generator seeded (through splitmix64) from the options' seed. */
#include <stdlib.h>

#include "analysis/search_internal.h"

/* ---- Random numbers: xoshiro256** seeded by splitmix64 ---- */

void pl__sr_rng_seed(pl__sr_rng *r, uint64_t seed)
{
    /* splitmix64 never yields four zero words from one stream, which xoshiro could not leave. */
    for (int k = 0; k < 4; k++) {
        r->s[k] = pl__splitmix(&seed);
    }
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(pl__sr_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n), n >= 1: draws past the last whole multiple of n are rejected so no value is favoured. */
static uint32_t rng_below(pl__sr_rng *r, uint32_t n)
{
    uint64_t lim = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
        x = rng_next(r);
    } while (x >= lim);
    return (uint32_t)(x % n);
}

/* ---- Rectangle moves ----
 * Neighbourhoods: one issue set to any of its values (coordinate ascent, in pareto_search.c) and, for hyper-rectangle
 * parties, a move into one rectangle (each violated issue set to its nearest value inside). The second matters: a
 * rectangle bounds several issues, so a single-issue move rarely enters it and coordinate ascent alone stalls on the
 * flat plateaus of such functions. Starts and kicks likewise draw outcomes inside random rectangles. */

/* Append the moves of one hyper-rectangle function: per rectangle, the values each bounded issue allows. Rectangles
 * nothing satisfies, and those everything satisfies, give no move. */
int pl__sr_add_rect_moves(pl__sr_search *S, const pl_ufun *u)
{
    size_t nr = pl_ufun_rect_count(u);
    for (size_t r = 0; r < nr; r++) {
        size_t nb;
        const pl_rect_bound *b = pl_ufun_rect_bounds(u, r, &nb);
        size_t parts0 = S->n_parts, vals0 = S->n_vals;
        int empty = 0;
        for (size_t k = 0; k < nb && !empty; k++) {
            uint32_t i = b[k].issue;
            int seen = 0;
            for (size_t j = 0; j < k && !seen; j++) {
                seen = b[j].issue == i;
            }
            if (seen) {
                continue;
            }
            if (S->n_parts == S->alloc_parts) {
                size_t a = S->alloc_parts ? 2 * S->alloc_parts : 64;
                pl__sr_rpart *p = pl__realloc(S->parts, a * sizeof *p);
                if (!p) {
                    return PL_ENOMEM;
                }
                S->parts = p;
                S->alloc_parts = a;
            }
            pl__sr_rpart *part = &S->parts[S->n_parts++];
            part->issue = i;
            part->off = S->n_vals;
            part->n = 0;
            for (uint32_t v = 0; v < S->nv[i]; v++) {
                int ok = 1;
                for (size_t j = k; j < nb && ok; j++) {
                    if (b[j].issue == i) {
                        int in = v >= b[j].lo && v <= b[j].hi;
                        ok = in != !!b[j].exclude;
                    }
                }
                if (!ok) {
                    continue;
                }
                if (S->n_vals == S->alloc_vals) {
                    size_t a = S->alloc_vals ? 2 * S->alloc_vals : 256;
                    uint32_t *vv = pl__realloc(S->vals, a * sizeof *vv);
                    if (!vv) {
                        return PL_ENOMEM;
                    }
                    S->vals = vv;
                    S->alloc_vals = a;
                }
                S->vals[S->n_vals++] = v;
                part->n++;
            }
            empty = part->n == 0;
        }
        if (empty || S->n_parts == parts0) {
            S->n_parts = parts0;
            S->n_vals = vals0;
            continue;
        }
        if (S->n_moves == S->alloc_moves) {
            size_t a = S->alloc_moves ? 2 * S->alloc_moves : 32;
            pl__sr_rmove *m = pl__realloc(S->moves, a * sizeof *m);
            if (!m) {
                return PL_ENOMEM;
            }
            S->moves = m;
            S->alloc_moves = a;
        }
        S->moves[S->n_moves].first = parts0;
        S->moves[S->n_moves].count = S->n_parts - parts0;
        S->n_moves++;
    }
    return 0;
}

/* Put x inside move m's rectangle: each violated issue gets its nearest allowed value (keeping x inside the other
 * intervals it sits in, as far as possible) or, with random set, a random allowed one. Returns the issues changed. */
size_t pl__sr_force(pl__sr_search *S, size_t m, uint32_t *x, int random)
{
    size_t changed = 0;
    const pl__sr_rmove *mv = &S->moves[m];
    for (size_t k = mv->first; k < mv->first + mv->count; k++) {
        const pl__sr_rpart *p = &S->parts[k];
        const uint32_t *v = S->vals + p->off;
        uint32_t cur = x[p->issue];
        uint32_t lo = 0, hi = p->n;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (v[mid] < cur) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo < p->n && v[lo] == cur) {
            continue;
        }
        if (random) {
            x[p->issue] = v[rng_below(&S->r, p->n)];
        } else if (lo == p->n || (lo > 0 && cur - v[lo - 1] <= v[lo] - cur)) {
            x[p->issue] = v[lo - 1];
        } else {
            x[p->issue] = v[lo];
        }
        changed++;
    }
    return changed;
}

/* ---- Starts and kicks ---- */

static void random_outcome(pl__sr_search *S, uint32_t *x)
{
    for (size_t i = 0; i < S->ni; i++) {
        x[i] = rng_below(&S->r, S->nv[i]);
    }
}

/* A start: uniform, or (half the time, when there are rectangles) inside a random rectangle, since uniform
 * outcomes of a large space almost never satisfy one. */
void pl__sr_random_start(pl__sr_search *S, uint32_t *x)
{
    random_outcome(S, x);
    if (S->n_moves > 0 && (rng_next(&S->r) >> 63)) {
        pl__sr_force(S, rng_below(&S->r, (uint32_t)S->n_moves), x, 1);
    }
}

/* A perturbation: into a random rectangle with random values, or one to three issues redrawn. */
void pl__sr_kick(pl__sr_search *S, uint32_t *x)
{
    if (S->ni == 0) {
        return;
    }
    if (S->n_moves > 0 && (rng_next(&S->r) >> 63)) {
        pl__sr_force(S, rng_below(&S->r, (uint32_t)S->n_moves), x, 1);
        return;
    }
    uint32_t changes = 1 + rng_below(&S->r, S->ni < 3 ? (uint32_t)S->ni : 3);
    for (uint32_t c = 0; c < changes; c++) {
        size_t i = rng_below(&S->r, (uint32_t)S->ni);
        x[i] = rng_below(&S->r, S->nv[i]);
    }
}
