/* Internals shared by the GeniusWeb JSON reader's two files: geniusweb_domain.c (the embedded domain and the JSON
 * helpers) and geniusweb_json.c (profiles, utilities, the loader's entry points). */
#ifndef PL_GENIUSWEB_INTERNAL_H
#define PL_GENIUSWEB_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "io/io_internal.h"

#define PL__GW_ROOT "LinearAdditiveUtilitySpace"
#define PL__GW_PATH_LEN 512

typedef struct pl__gw_ctx {
    const char *file; /* the current profile, for diagnostics */
    pl_diag *d;
} pl__gw_ctx;

/* A number written as a JSON number or as a numeric string. is_int: it is integral (then i holds it exactly). */
typedef struct pl__gw_num {
    double d;
    int64_t i;
    int is_int;
} pl__gw_num;

/* ---- JSON helpers (geniusweb_domain.c) ---- */

/* Set a diagnostic with a JSON path (no line: jansson keeps no positions for values); returns code. */
int pl__gw_fail(const pl__gw_ctx *c, int code, const char *path, const char *fmt, ...) PL__PRINTF(4, 5);
/* buf = parent.key, truncated to size. */
void pl__gw_join(char *buf, size_t size, const char *parent, const char *key);
/* x in a short form that parses back exactly; buf >= 32 bytes. */
char *pl__gw_fmt_num(double x, char *buf, size_t size);
/* A number or numeric string: 0 ok, -1 not a (finite) number. */
int pl__gw_get_num(const json_t *v, pl__gw_num *out);
/* A required member of an object, of the given type (object, array or string). */
int pl__gw_member(const pl__gw_ctx *c, json_t *obj, const char *parent, const char *key, json_type type, json_t **out);
/* A required numeric member (number or numeric string). */
int pl__gw_num_member(const pl__gw_ctx *c, json_t *obj, const char *parent, const char *key, pl__gw_num *out);

/* ---- Domain (geniusweb_domain.c) ---- */

/* "a discrete value set", "an integer range" or "a real range". */
const char *pl__gw_kind_name(pl_issue_kind k);
/* The space of a profile's embedded domain; *name: the domain's name (NULL if none; borrowed from the JSON). */
int pl__gw_read_domain(const pl__gw_ctx *c, json_t *las, pl_space **out, const char **name);
/* The first difference between the first profile's domain (a, from first_file) and this one's (b), as an error. */
int pl__gw_domain_diff(const pl__gw_ctx *c, const pl_space *a, const pl_space *b, const char *first_file);

#endif
