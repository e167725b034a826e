/* Strings, growable buffers, number formatting and parsing, index sorting shared by the library. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

char *pl__strdup(const char *s)
{
    return s ? pl__strndup(s, strlen(s)) : NULL;
}

char *pl__strndup(const char *s, size_t n)
{
    char *p = pl__malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

void pl__buf_init(pl__buf *b)
{
    memset(b, 0, sizeof *b);
}

void pl__buf_destroy(pl__buf *b)
{
    pl__free(b->data);
    pl__buf_init(b);
}

static int buf_reserve(pl__buf *b, size_t extra)
{
    if (b->failed) {
        return -1;
    }
    if (b->len + extra + 1 <= b->cap) {
        return 0;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) {
        cap *= 2;
    }
    char *p = pl__realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void pl__buf_append(pl__buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n) < 0) {
        return;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pl__buf_puts(pl__buf *b, const char *s)
{
    pl__buf_append(b, s, strlen(s));
}

void pl__buf_printf(pl__buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        pl__buf_append(b, small, (size_t)n);
        return;
    }
    if (buf_reserve(b, (size_t)n) < 0) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void pl__buf_xml_escaped(pl__buf *b, const char *s)
{
    static const char special[] = "&<>\"'\n\t\r";
    static const char *const entity[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#10;", "&#9;", "&#13;"};
    for (; *s; s++) {
        const char *at = strchr(special, *s);
        if (at) {
            pl__buf_puts(b, entity[at - special]);
        } else {
            pl__buf_append(b, s, 1);
        }
    }
}

char *pl__buf_take(pl__buf *b)
{
    if (b->failed) {
        pl__buf_destroy(b);
        return NULL;
    }
    if (!b->data) {
        return pl__strdup("");
    }
    char *p = b->data;
    pl__buf_init(b);
    return p;
}

char *pl__fmt_double(double x, char *buf, size_t size)
{
    if (x == 0) {
        x = 0; /* no "-0" */
    }
    /* Plain notation for everyday magnitudes (60000, not 6e+04); exponents only for the very large or small. */
    double ax = fabs(x);
    int plain = ax >= 1e-5 && ax < 1e16;
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x && (!plain || !strchr(buf, 'e'))) {
            break;
        }
    }
    /* JSON and Genius want a plain number; %g never yields inf/nan for finite x. */
    return buf;
}

static const char *skip_blanks(const char *s)
{
    while (isspace((unsigned char)*s)) {
        s++;
    }
    return s;
}

int pl__parse_double(const char *s, double *out)
{
    if (!s || !*(s = skip_blanks(s))) {
        return -1;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(v) || *skip_blanks(end)) {
        return -1;
    }
    *out = v;
    return 0;
}

int pl__parse_int64(const char *s, int64_t *out)
{
    if (!s || !*(s = skip_blanks(s))) {
        return -1;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || errno == ERANGE) {
        return -1;
    }
    if (*skip_blanks(end)) {
        /* Accept integral decimals such as "3.0" (Genius files write bounds so). */
        double dv;
        if (pl__parse_double(s, &dv) == 0 && dv == floor(dv) && fabs(dv) < 9.0e15) {
            *out = (int64_t)dv;
            return 0;
        }
        return -1;
    }
    *out = (int64_t)v;
    return 0;
}

/* Bottom-up merge sort (qsort has no context argument in C11) over insertion-sorted runs of 8 (most index arrays
 * sorted in the library are short batches). Ties keep the lower position first: the sort is stable. */
void pl__sort_indices(size_t *idx, size_t *tmp, size_t n, int (*cmp)(const void *ctx, size_t a, size_t b),
                      const void *ctx)
{
    const size_t run = 8;
    for (size_t lo = 0; lo < n; lo += run) {
        size_t hi = lo + run < n ? lo + run : n;
        for (size_t k = lo + 1; k < hi; k++) {
            size_t v = idx[k];
            size_t q = k;
            while (q > lo && cmp(ctx, v, idx[q - 1]) < 0) {
                idx[q] = idx[q - 1];
                q--;
            }
            idx[q] = v;
        }
    }
    for (size_t width = run; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                tmp[k++] = cmp(ctx, idx[j], idx[i]) < 0 ? idx[j++] : idx[i++];
            }
            while (i < mid) {
                tmp[k++] = idx[i++];
            }
            while (j < hi) {
                tmp[k++] = idx[j++];
            }
        }
        memcpy(idx, tmp, n * sizeof *idx);
    }
}
