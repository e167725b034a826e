/* Internal helpers shared by the library's modules: diagnostics, strings, growable buffers. Not installed. */
#ifndef PL_INTERNAL_H
#define PL_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"

#define PL_TRY(expr)          \
    do {                      \
        rc = (expr);          \
        if (rc < 0) {         \
            goto cleanup;     \
        }                     \
    } while (0)

#if defined(__GNUC__)
#define PL__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PL__PRINTF(a, b)
#endif

/* Fill d (if not NULL) and return code. file may be NULL (keeps d->file); line/col 0 = unknown. */
int pl__diag_set(pl_diag *d, int code, const char *file, int line, int col, const char *fmt, ...) PL__PRINTF(6, 7);
int pl__diag_vset(pl_diag *d, int code, const char *file, int line, int col, const char *fmt, va_list ap);
/* Set the JSON-path-like location of a diagnostic. */
void pl__diag_path(pl_diag *d, const char *fmt, ...) PL__PRINTF(2, 3);

/* Every allocation inside the library goes through these: the allocator hook of include/parley/alloc.h (the C
 * library's by default). Never call malloc/calloc/realloc/free/strdup directly in src/. A size of 0 is allocated as
 * 1 byte, so NULL always means failure; pl__calloc fails (NULL) when n * size overflows; pl__free(NULL) is a no-op. */
#include <stdlib.h>
void *pl__malloc(size_t n);
void *pl__calloc(size_t n, size_t size);
void *pl__realloc(void *p, size_t n);
void pl__free(void *p);
/* Free what jansson allocated (json_dumps): with jansson's own free function, which pl_set_allocator sets. */
void pl__json_free(void *p);
/* json_loadb, remembering (per thread) whether one of its allocations failed, which jansson itself often reports
 * as a syntax error; then pl__json_oom(e) says whether the failed load ran out of memory. */
struct json_t;
struct json_error_t;
struct json_t *pl__json_loadb(const char *buf, size_t len, size_t flags, struct json_error_t *e);
int pl__json_oom(const struct json_error_t *e);

char *pl__strdup(const char *s);
char *pl__strndup(const char *s, size_t n);

/* Growable byte buffer, always NUL-terminated when data != NULL. */
typedef struct pl__buf {
    char *data;
    size_t len, cap;
    int failed; /* an allocation failed; further appends are no-ops */
} pl__buf;

void pl__buf_init(pl__buf *b);
void pl__buf_destroy(pl__buf *b);
void pl__buf_append(pl__buf *b, const char *s, size_t n);
void pl__buf_puts(pl__buf *b, const char *s);
void pl__buf_printf(pl__buf *b, const char *fmt, ...) PL__PRINTF(2, 3);
/* Append s with XML escaping of & < > " '. */
void pl__buf_xml_escaped(pl__buf *b, const char *s);
/* Take the buffer's string (caller frees); the buffer is reset. NULL if an allocation failed. */
char *pl__buf_take(pl__buf *b);

/* Saturating unsigned arithmetic (outcome counts can exceed 2^64). */
static inline uint64_t pl__add_sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static inline uint64_t pl__mul_sat(uint64_t a, uint64_t b)
{
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

/* splitmix64 (Steele, Lea & Flood 2014): seeds every generator, and is the agents' own generator. */
static inline uint64_t pl__splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform double in [0, 1) from the state. */
static inline double pl__rand_unit(uint64_t *state)
{
    return (double)(pl__splitmix(state) >> 11) * 0x1.0p-53;
}

/* The name in names[0..n) nearest to word by edit distance, for "did you mean ...?" (-1 when none is close: at most
 * 1, 2 or 3 edits for words of up to 3, 8 or more characters). NULL entries are skipped. */
long pl__nearest_name(const char *word, const char *const *names, size_t n);

/* Shortest "%.*g" form of x that parses back to exactly x. buf >= 32 bytes. */
char *pl__fmt_double(double x, char *buf, size_t size);
/* Parse a whole string as a finite double / int64 (leading/trailing blanks allowed). 0 ok, -1 not a number. */
int pl__parse_double(const char *s, double *out);
int pl__parse_int64(const char *s, int64_t *out);

/* Stable sort of idx[0..n) ascending by cmp(ctx, a, b) (bottom-up merge sort); tmp has room for n indices. */
void pl__sort_indices(size_t *idx, size_t *tmp, size_t n, int (*cmp)(const void *ctx, size_t a, size_t b),
                      const void *ctx);

/* Read a whole file into a malloc'd NUL-terminated buffer. */
int pl__read_file(const char *path, char **data, size_t *len, pl_diag *d);
/* Write len bytes of data (text or binary) to path atomically (temporary file in the same folder, fsync-free
 * rename). "-" = stdout. */
int pl__write_file_atomic(const char *path, const void *data, size_t len, pl_diag *d);
/* Two-phase atomic writes of several files: write all to temporaries, then rename all. */
int pl__write_files_atomic(const char *const *paths, const char *const *datas, size_t n, pl_diag *d);

/* ---- Option structs (docs/api.md): the first member is `size_t size`, the sizeof the caller was compiled with ---- */

/* Bytes of type up to and including member (no trailing padding): a version's size is that of its last field. */
#define PL__SIZE_THROUGH(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))
/* _init: write the defaults of the fields that fit in the caller's size bytes, and size itself (full: the
 * library's sizeof). Nothing when o is NULL or size cannot hold the size member. */
void pl__opts_init(void *o, size_t size, const void *defaults, size_t full);
/* Read a caller's options: o already holds the library's defaults (full bytes); copy the first in->size bytes of in
 * over them (at most full: fields a newer caller added are ignored), so fields beyond the caller's size keep their
 * defaults; o->size becomes full. in NULL keeps the defaults. PL_EINVAL, naming the struct, when in->size is below
 * min (the first version's fields). */
int pl__opts_read(void *o, size_t full, const void *in, size_t min, const char *name, pl_diag *d);
/* pl__opts_read for a struct type whose first version ended with member last_v1. */
#define PL__OPTS_READ(type, o, in, last_v1, d) \
    pl__opts_read((o), sizeof(type), (in), PL__SIZE_THROUGH(type, last_v1), #type, (d))

#endif
