/* GENIUS 10.4's SortedOutcomeSpace, reproduced from its documented behaviour (shared/reference/README.md): the order
 * of equal-utility outcomes follows Java hash codes, and the "near utility" search is a binary search with an early
 * exit on an exact match, so both are rebuilt here bit for bit rather than approximated.
 * Invariant: u is non-increasing; entries with equal u are in ascending signed hash order, then enumeration order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agents/genius_sorted.h"
#include "core/internal.h"

/* Two's-complement reinterpretation without implementation-defined conversions. */
static int32_t as_i32(uint32_t x)
{
    return x <= (uint32_t)INT32_MAX ? (int32_t)x : (int32_t)(x - 0x80000000u) - INT32_MAX - 1;
}

/* Next Unicode code point of a UTF-8 string; malformed input yields U+FFFD and skips one byte. */
static uint32_t utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (len == 1) {
        *p = s + 1;
        return c;
    }
    if (len == 0) {
        *p = s + 1;
        return 0xFFFD;
    }
    uint32_t cp = c & (0x7Fu >> len);
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *p = s + 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *p = s + 1;
        return 0xFFFD;
    }
    *p = s + len;
    return cp;
}

int32_t pl__java_string_hash(const char *utf8)
{
    const unsigned char *p = (const unsigned char *)utf8;
    uint32_t h = 0;
    while (*p) {
        uint32_t cp = utf8_next(&p);
        if (cp >= 0x10000) { /* a surrogate pair: two UTF-16 code units */
            h = 31u * h + (0xD800u + ((cp - 0x10000u) >> 10));
            h = 31u * h + (0xDC00u + ((cp - 0x10000u) & 0x3FFu));
        } else {
            h = 31u * h + cp;
        }
    }
    return as_i32(h);
}

int32_t pl__java_double_hash(double x)
{
    uint64_t bits;
    if (isnan(x)) {
        bits = 0x7ff8000000000000ull; /* doubleToLongBits folds every NaN into this one */
    } else {
        memcpy(&bits, &x, sizeof bits);
    }
    return as_i32((uint32_t)(bits ^ (bits >> 32)));
}

int32_t pl__genius_value_hash(const pl_space *s, size_t issue, uint32_t value)
{
    switch (pl_space_issue_kind(s, issue)) {
    case PL_ISSUE_DISCRETE:
        return pl__java_string_hash(pl_space_value_label_ref(s, issue, value));
    case PL_ISSUE_INTEGER:
        return 0;
    case PL_ISSUE_REAL:
        return pl__java_double_hash(pl_space_value_number(s, issue, value));
    }
    return 0;
}

int32_t pl__genius_bid_details_hash(int32_t bid_hash, double utility, double time)
{
    uint32_t h = 1;
    h = 31u * h + (uint32_t)bid_hash;
    h = 31u * h + (uint32_t)pl__java_double_hash(utility);
    h = 31u * h + (uint32_t)pl__java_double_hash(time);
    return as_i32(h);
}

typedef struct entry {
    double u;
    int32_t hash;
    uint32_t index;
} entry;

/* GENIUS's comparator (higher utility first, then the smaller signed hash), made total by the enumeration index:
 * that is the order a stable sort of the enumeration gives. */
static int entry_cmp(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    if (a->u != b->u) {
        return a->u > b->u ? -1 : 1;
    }
    if (a->hash != b->hash) {
        return a->hash < b->hash ? -1 : 1;
    }
    return a->index < b->index ? -1 : a->index > b->index;
}

void pl__gsorted_free(pl__gsorted *g)
{
    if (g) {
        pl__free(g->u);
        pl__free(g->index);
        pl__free(g->radix);
        pl__free(g);
    }
}

int pl__gsorted_build(const pl_space *s, const pl_ufun *u, pl__gsorted **out, pl_diag *d)
{
    int rc = 0;
    size_t ni = pl_space_issue_count(s);
    uint64_t count = 0;
    if (pl_space_outcome_count(s, &count) < 0 || count > PL_GENIUS_MAX_OUTCOMES) {
        return pl__diag_set(d, PL_ERANGE, NULL, 0, 0,
                            "the GENIUS agents enumerate every outcome: at most %u (this space has 10^%.1f)",
                            PL_GENIUS_MAX_OUTCOMES, pl_space_log10_size(s));
    }
    size_t n = (size_t)count, slots = 0;
    for (size_t i = 0; i < ni; i++) {
        slots += pl_space_value_count(s, i);
    }
    pl__gsorted *g = pl__calloc(1, sizeof *g);
    entry *e = pl__malloc(n * sizeof *e);
    int32_t *vh = pl__malloc((slots ? slots : 1) * sizeof *vh);
    size_t *off = pl__malloc((ni + 1) * sizeof *off);
    uint32_t *o = pl__calloc(ni ? ni : 1, sizeof *o);
    if (!g || !e || !vh || !off || !o) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    g->n = n;
    g->ni = ni;
    g->u = pl__malloc(n * sizeof *g->u);
    g->index = pl__malloc(n * sizeof *g->index);
    g->radix = pl__malloc((ni ? ni : 1) * sizeof *g->radix);
    if (!g->u || !g->index || !g->radix) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0, k = 0; i < ni; i++) {
        off[i] = k;
        g->radix[i] = pl_space_value_count(s, i);
        for (uint32_t v = 0; v < g->radix[i]; v++) {
            vh[k++] = pl__genius_value_hash(s, i, v);
        }
    }
    /* GENIUS's BidIterator: the first issue changes fastest. Bid.hashCode sums the values' hashes (wrapping). */
    for (size_t k = 0; k < n; k++) {
        uint32_t bh = 0;
        for (size_t i = 0; i < ni; i++) {
            bh += (uint32_t)vh[off[i] + o[i]];
        }
        e[k].u = pl_ufun_eval(u, o);
        e[k].hash = pl__genius_bid_details_hash(as_i32(bh), e[k].u, -1.0);
        e[k].index = (uint32_t)k;
        for (size_t i = 0; i < ni && ++o[i] == g->radix[i]; i++) {
            o[i] = 0;
        }
    }
    qsort(e, n, sizeof *e, entry_cmp);
    for (size_t k = 0; k < n; k++) {
        g->u[k] = e[k].u;
        g->index[k] = e[k].index;
    }
    *out = g;
    g = NULL;
cleanup:
    pl__gsorted_free(g);
    pl__free(e);
    pl__free(vh);
    pl__free(off);
    pl__free(o);
    return rc;
}

void pl__gsorted_outcome(const pl__gsorted *g, size_t rank, uint32_t *outcome)
{
    uint32_t x = g->index[rank];
    for (size_t i = 0; i < g->ni; i++) {
        outcome[i] = x % g->radix[i];
        x /= g->radix[i];
    }
}

/* SortedOutcomeSpace.searchIndexWith: halve [low, high] until the midpoint repeats. The bounds move onto the
 * midpoint (not past it), so the search ends between the last bid above and the first bid at or below the target,
 * unless a midpoint's utility equals the target exactly: then that midpoint is the answer at once, whichever member
 * of its equal-utility group it is. */
static size_t search_index(const double *u, size_t n, double target)
{
    size_t low = 0, high = n - 1, mid = 0;
    int started = 0;
    for (;;) {
        size_t next = low + (high - low) / 2; /* (low + high) / 2 without overflow */
        if (started && next == mid) {
            return mid;
        }
        started = 1;
        mid = next;
        if (u[mid] == target) {
            return mid;
        }
        if (u[mid] < target) {
            high = mid;
        }
        if (u[mid] > target) {
            low = mid;
        }
    }
}

size_t pl__gsorted_near(const double *u, size_t n, double target)
{
    size_t k = search_index(u, n, target);
    double best = fabs(u[k] - target);
    /* GENIUS compares the bid above first. A closer one only tightens the distance the bid below must beat: it is never
     * chosen itself (the comparison with the bid below then picks either that one or k). Ties keep k. */
    if (k > 0 && fabs(u[k - 1] - target) < best) {
        best = fabs(u[k - 1] - target);
    }
    if (k + 1 < n && fabs(u[k + 1] - target) < best) {
        return k + 1;
    }
    return k;
}
