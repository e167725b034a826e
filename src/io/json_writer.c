/* Streaming JSON writer: structure and numbers here, string escaping by jansson (json_dumps of a string). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "io/json_writer.h"

#define JW_DEPTH_MAX 64

struct pl_jw {
    pl__buf b;
    int indent;
    int depth;
    int failed;
    int count[JW_DEPTH_MAX];  /* members written at each level */
    char kind[JW_DEPTH_MAX];  /* '{' or '[' */
    int after_key;
};

pl_jw *pl_jw_new(int indent)
{
    pl_jw *w = pl__calloc(1, sizeof *w);
    if (w) {
        pl__buf_init(&w->b);
        w->indent = indent;
    }
    return w;
}

static void newline(pl_jw *w)
{
    if (w->indent > 0) {
        pl__buf_puts(&w->b, "\n");
        for (int i = 0; i < w->depth * w->indent; i++) {
            pl__buf_append(&w->b, " ", 1);
        }
    }
}

/* Before a value: a comma and line break inside arrays; nothing right after a key. */
static int pre_value(pl_jw *w)
{
    if (w->failed) {
        return -1;
    }
    if (w->after_key) {
        w->after_key = 0;
        return 0;
    }
    if (w->depth > 0) {
        if (w->kind[w->depth - 1] != '[') {
            w->failed = 1; /* a value in an object needs a key */
            return -1;
        }
        if (w->count[w->depth - 1]++ > 0) {
            pl__buf_puts(&w->b, w->indent > 0 ? "," : ", ");
        }
        newline(w);
    }
    return 0;
}

static void open_(pl_jw *w, char k)
{
    if (pre_value(w) < 0) {
        return;
    }
    if (w->depth == JW_DEPTH_MAX) {
        w->failed = 1;
        return;
    }
    pl__buf_append(&w->b, &k, 1);
    w->kind[w->depth] = k;
    w->count[w->depth] = 0;
    w->depth++;
}

static void close_(pl_jw *w, char k)
{
    if (w->failed) {
        return;
    }
    if (w->depth == 0 || w->kind[w->depth - 1] != k || w->after_key) {
        w->failed = 1;
        return;
    }
    int had = w->count[w->depth - 1] > 0;
    w->depth--;
    if (had) {
        newline(w);
    }
    char c = k == '{' ? '}' : ']';
    pl__buf_append(&w->b, &c, 1);
}

void pl_jw_object(pl_jw *w)
{
    open_(w, '{');
}

void pl_jw_object_end(pl_jw *w)
{
    close_(w, '{');
}

void pl_jw_array(pl_jw *w)
{
    open_(w, '[');
}

void pl_jw_array_end(pl_jw *w)
{
    close_(w, '[');
}

static void put_string(pl_jw *w, const char *s)
{
    json_t *j = json_string(s);
    char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    json_decref(j);
    if (!t) {
        w->failed = 1;
        return;
    }
    pl__buf_puts(&w->b, t);
    pl__json_free(t);
}

void pl_jw_key(pl_jw *w, const char *key)
{
    if (w->failed) {
        return;
    }
    if (w->depth == 0 || w->kind[w->depth - 1] != '{' || w->after_key) {
        w->failed = 1;
        return;
    }
    if (w->count[w->depth - 1]++ > 0) {
        pl__buf_puts(&w->b, w->indent > 0 ? "," : ", ");
    }
    newline(w);
    put_string(w, key);
    pl__buf_puts(&w->b, ": ");
    w->after_key = 1;
}

void pl_jw_string(pl_jw *w, const char *s)
{
    if (pre_value(w) == 0) {
        put_string(w, s ? s : "");
    }
}

char *pl_fmt_double(double x, char *buf, size_t size)
{
    return pl__fmt_double(x, buf, size);
}

void pl_jw_number(pl_jw *w, double x)
{
    if (pre_value(w) < 0) {
        return;
    }
    if (!isfinite(x)) {
        pl__buf_puts(&w->b, "null");
        return;
    }
    char tmp[40];
    pl__fmt_double(x, tmp, sizeof tmp);
    pl__buf_puts(&w->b, tmp);
}

void pl_jw_int(pl_jw *w, int64_t x)
{
    if (pre_value(w) == 0) {
        pl__buf_printf(&w->b, "%lld", (long long)x);
    }
}

void pl_jw_uint(pl_jw *w, uint64_t x)
{
    if (pre_value(w) == 0) {
        pl__buf_printf(&w->b, "%llu", (unsigned long long)x);
    }
}

void pl_jw_bool(pl_jw *w, int b)
{
    if (pre_value(w) == 0) {
        pl__buf_puts(&w->b, b ? "true" : "false");
    }
}

void pl_jw_null(pl_jw *w)
{
    if (pre_value(w) == 0) {
        pl__buf_puts(&w->b, "null");
    }
}

char *pl_jw_finish(pl_jw *w)
{
    if (!w) {
        return NULL;
    }
    char *out = NULL;
    if (!w->failed && w->depth == 0 && !w->b.failed) {
        pl__buf_puts(&w->b, "\n");
        out = pl__buf_take(&w->b);
    }
    pl__buf_destroy(&w->b);
    pl__free(w);
    return out;
}
