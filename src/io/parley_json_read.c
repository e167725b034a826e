/* parley JSON reader: one self-contained scenario file (see docs/formats.md). jansson parses; this walks the tree,
 * validating every field. Syntax errors carry jansson's line and column; semantic errors a path such as
 * "parties[1].utility.weights.price". Unknown keys are errors, so a typo never silently changes a scenario. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/names.h"
#include "core/ufun_internal.h"
#include "io/io_internal.h"

typedef struct ctx {
    const char *file;
    pl_diag *d;
    const pl_load_options *opts;
    char path[128];
} ctx;

static int fail(ctx *c, int code, const char *fmt, ...) PL__PRINTF(3, 4);
static int fail(ctx *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pl__diag_vset(c->d, code, c->file, 0, 0, fmt, ap);
    va_end(ap);
    if (c->path[0]) {
        pl__diag_path(c->d, "%s", c->path);
    }
    return code;
}

#define SETPATH(c, ...) snprintf((c)->path, sizeof (c)->path, __VA_ARGS__)

/* Reject keys not in the NULL-terminated list. */
static int check_keys(ctx *c, json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++) {
            if (strcmp(*a, key) == 0) {
                ok = 1;
                break;
            }
        }
        if (!ok) {
            return fail(c, PL_EPARSE, "unknown key \"%s\"", key);
        }
    }
    return 0;
}

static int get_number(ctx *c, json_t *obj, const char *key, int required, double *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        return required ? fail(c, PL_EPARSE, "missing \"%s\"", key) : 0;
    }
    if (!json_is_number(v)) {
        return fail(c, PL_EPARSE, "\"%s\" must be a number", key);
    }
    double x = json_number_value(v);
    if (!isfinite(x)) {
        return fail(c, PL_EPARSE, "\"%s\" must be finite", key);
    }
    *out = x;
    return 1;
}

static int get_int(ctx *c, json_t *obj, const char *key, int required, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        return required ? fail(c, PL_EPARSE, "missing \"%s\"", key) : 0;
    }
    if (json_is_integer(v)) {
        *out = (int64_t)json_integer_value(v);
        return 1;
    }
    if (json_is_real(v)) {
        double x = json_real_value(v);
        if (x == floor(x) && fabs(x) < 9.0e15) {
            *out = (int64_t)x;
            return 1;
        }
    }
    return fail(c, PL_EPARSE, "\"%s\" must be an integer", key);
}

static int get_string(ctx *c, json_t *obj, const char *key, int required, const char **out)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        return required ? fail(c, PL_EPARSE, "missing \"%s\"", key) : 0;
    }
    if (!json_is_string(v)) {
        return fail(c, PL_EPARSE, "\"%s\" must be a string", key);
    }
    *out = json_string_value(v);
    return 1;
}

static int read_issue(ctx *c, pl_space *s, json_t *is, size_t k)
{
    static const char *const keys[] = {"name", "type", "values", "lower", "upper", "step", "levels",
                                       "description", NULL};
    SETPATH(c, "issues[%zu]", k);
    if (!json_is_object(is)) {
        return fail(c, PL_EPARSE, "an issue must be an object");
    }
    int rc = check_keys(c, is, keys);
    const char *name = NULL, *type = NULL;
    if (rc < 0 || (rc = get_string(c, is, "name", 1, &name)) < 0 || (rc = get_string(c, is, "type", 1, &type)) < 0) {
        return rc;
    }
    SETPATH(c, "issues[%zu] (%s)", k, name);
    pl_diag sub;
    pl_diag_clear(&sub);
    pl_issue_kind kind;
    if (pl_issue_kind_parse(type, &kind) < 0) {
        return fail(c, PL_EPARSE, "unknown issue type \"%s\" (discrete, integer, real)", type);
    }
    if (kind == PL_ISSUE_DISCRETE) {
        json_t *vals = json_object_get(is, "values");
        if (!json_is_array(vals)) {
            return fail(c, PL_EPARSE, "a discrete issue needs \"values\": an array of strings");
        }
        size_t n = json_array_size(vals);
        const char **labels = pl__calloc(n ? n : 1, sizeof *labels);
        if (!labels) {
            return fail(c, PL_ENOMEM, "out of memory");
        }
        for (size_t v = 0; v < n; v++) {
            json_t *lv = json_array_get(vals, v);
            if (!json_is_string(lv)) {
                pl__free(labels);
                return fail(c, PL_EPARSE, "values[%zu] must be a string", v);
            }
            labels[v] = json_string_value(lv);
        }
        rc = pl_space_add_discrete(s, name, n, labels, &sub);
        pl__free(labels);
    } else if (kind == PL_ISSUE_INTEGER) {
        int64_t lo, hi, step = 1;
        if ((rc = get_int(c, is, "lower", 1, &lo)) < 0 || (rc = get_int(c, is, "upper", 1, &hi)) < 0 ||
            (rc = get_int(c, is, "step", 0, &step)) < 0) {
            return rc;
        }
        rc = pl_space_add_integer(s, name, lo, hi, step, &sub);
    } else {
        double lo, hi;
        int64_t levels = c->opts->real_levels;
        if ((rc = get_number(c, is, "lower", 1, &lo)) < 0 || (rc = get_number(c, is, "upper", 1, &hi)) < 0 ||
            (rc = get_int(c, is, "levels", 0, &levels)) < 0) {
            return rc;
        }
        if (levels < 1 || levels > PL_ISSUE_VALUES_MAX) {
            return fail(c, PL_ERANGE, "\"levels\" must be between 1 and %u", PL_ISSUE_VALUES_MAX);
        }
        rc = pl_space_add_real(s, name, lo, hi, (uint32_t)levels, &sub);
    }
    return rc < 0 ? fail(c, rc, "%s", sub.message) : 0;
}

/* A value function: an object mapping every label to a number, an array in value order, or a parametric form. */
static int read_vf(ctx *c, pl_ufun *u, size_t i, json_t *vf)
{
    const pl_space *s = u->space;
    uint32_t nv = pl_space_value_count(s, i);
    int rc = 0;
    if (json_is_object(vf) && json_object_get(vf, "type")) {
        static const char *const keys[] = {"type", "offset", "slope", "start", "peak", "end", NULL};
        const char *type;
        if ((rc = check_keys(c, vf, keys)) < 0 || (rc = get_string(c, vf, "type", 1, &type)) < 0) {
            return rc;
        }
        pl_vf f;
        memset(&f, 0, sizeof f);
        if (strcmp(type, "linear") == 0) {
            f.kind = PL_VF_LINEAR;
            if ((rc = get_number(c, vf, "offset", 1, &f.offset)) < 0 || (rc = get_number(c, vf, "slope", 1, &f.slope)) < 0) {
                return rc;
            }
        } else if (strcmp(type, "triangular") == 0) {
            f.kind = PL_VF_TRIANGULAR;
            if ((rc = get_number(c, vf, "start", 1, &f.start)) < 0 || (rc = get_number(c, vf, "peak", 1, &f.peak)) < 0 ||
                (rc = get_number(c, vf, "end", 1, &f.end)) < 0) {
                return rc;
            }
        } else {
            return fail(c, PL_EPARSE, "unknown value function type \"%s\" (linear, triangular, or a table)", type);
        }
        if (pl_space_issue_kind(s, i) == PL_ISSUE_DISCRETE) {
            return fail(c, PL_EPARSE, "a %s value function needs a numeric issue", type);
        }
        if (pl_ufun_linear_set_vf(u, i, &f) < 0) {
            return fail(c, PL_EINVAL, "invalid %s value function (triangular needs start <= peak <= end)", type);
        }
        return 0;
    }
    double *vals = pl__calloc(nv, sizeof *vals);
    if (!vals) {
        return fail(c, PL_ENOMEM, "out of memory");
    }
    if (json_is_array(vf)) {
        if (json_array_size(vf) != nv) {
            rc = fail(c, PL_EPARSE, "table has %zu numbers; the issue has %u values", json_array_size(vf), nv);
            goto cleanup;
        }
        for (uint32_t v = 0; v < nv; v++) {
            json_t *x = json_array_get(vf, v);
            if (!json_is_number(x) || !isfinite(json_number_value(x))) {
                rc = fail(c, PL_EPARSE, "table entry %u is not a finite number", v);
                goto cleanup;
            }
            vals[v] = json_number_value(x);
        }
    } else if (json_is_object(vf)) {
        char *seen = pl__calloc(nv, 1);
        if (!seen) {
            rc = fail(c, PL_ENOMEM, "out of memory");
            goto cleanup;
        }
        const char *key;
        json_t *x;
        json_object_foreach(vf, key, x)
        {
            long v = pl_space_find_value(s, i, key);
            if (v < 0) {
                rc = fail(c, PL_ENOTFOUND, "issue \"%s\" has no value \"%s\"", pl_space_issue_name(s, i), key);
                break;
            }
            if (seen[v]) {
                rc = fail(c, PL_EPARSE, "value \"%s\" is given twice", key);
                break;
            }
            if (!json_is_number(x) || !isfinite(json_number_value(x))) {
                rc = fail(c, PL_EPARSE, "utility of \"%s\" is not a finite number", key);
                break;
            }
            vals[v] = json_number_value(x);
            seen[v] = 1;
        }
        for (uint32_t v = 0; rc == 0 && v < nv; v++) {
            if (!seen[v]) {
                char lab[64];
                rc = fail(c, PL_EPARSE, "no utility for value \"%s\"", pl_space_value_label(s, i, v, lab, sizeof lab));
            }
        }
        pl__free(seen);
        if (rc < 0) {
            goto cleanup;
        }
    } else {
        rc = fail(c, PL_EPARSE, "a value function is an object {value: utility}, an array, or {\"type\": ...}");
        goto cleanup;
    }
    if (pl_ufun_linear_set_table(u, i, vals) < 0) {
        rc = fail(c, PL_EINVAL, "invalid table");
    }
cleanup:
    pl__free(vals);
    return rc;
}

static int read_linear(ctx *c, const pl_space *s, json_t *ut, size_t p, pl_ufun **out)
{
    static const char *const keys[] = {"type", "weights", "values", NULL};
    int rc = check_keys(c, ut, keys);
    if (rc < 0) {
        return rc;
    }
    json_t *weights = json_object_get(ut, "weights");
    json_t *values = json_object_get(ut, "values");
    if (!json_is_object(weights)) {
        return fail(c, PL_EPARSE, "\"weights\" must be an object {issue: weight}");
    }
    if (!json_is_object(values)) {
        return fail(c, PL_EPARSE, "\"values\" must be an object {issue: value function}");
    }
    pl_ufun *u = NULL;
    if (pl_ufun_linear_new(s, &u, NULL) < 0) {
        return fail(c, PL_ENOMEM, "out of memory");
    }
    const char *key;
    json_t *x;
    json_object_foreach(weights, key, x)
    {
        SETPATH(c, "parties[%zu].utility.weights.%s", p, key);
        long i = pl_space_find_issue(s, key);
        if (i < 0) {
            rc = fail(c, PL_ENOTFOUND, "unknown issue \"%s\"", key);
            goto cleanup;
        }
        if (!json_is_number(x)) {
            rc = fail(c, PL_EPARSE, "weight must be a number");
            goto cleanup;
        }
        double w = json_number_value(x);
        if (!isfinite(w) || w < 0) {
            rc = fail(c, PL_ERANGE, "weight must be a finite number >= 0, got %g", w);
            goto cleanup;
        }
        pl_ufun_linear_set_weight(u, (size_t)i, w);
    }
    json_object_foreach(values, key, x)
    {
        SETPATH(c, "parties[%zu].utility.values.%s", p, key);
        long i = pl_space_find_issue(s, key);
        if (i < 0) {
            rc = fail(c, PL_ENOTFOUND, "unknown issue \"%s\"", key);
            goto cleanup;
        }
        PL_TRY(read_vf(c, u, (size_t)i, x));
    }
    for (size_t i = 0; i < pl_space_issue_count(s); i++) {
        const char *name = pl_space_issue_name(s, i);
        SETPATH(c, "parties[%zu].utility", p);
        if (!json_object_get(weights, name)) {
            rc = fail(c, PL_EPARSE, "no weight for issue \"%s\"", name);
            goto cleanup;
        }
        if (!json_object_get(values, name)) {
            rc = fail(c, PL_EPARSE, "no value function for issue \"%s\"", name);
            goto cleanup;
        }
    }
cleanup:
    return pl__ufun_done(rc, u, out);
}

/* A rectangle bound: {"issue", "min", "max"} for numeric issues, {"issue", "from", "to"} (labels) for discrete
 * ones; "exclude": true inverts it. Returns 1 if the bound can never hold (rectangle is dropped). */
static int read_bound(ctx *c, const pl_space *s, json_t *b, pl_rect_bound *out, int *impossible)
{
    static const char *const keys[] = {"issue", "min", "max", "from", "to", "exclude", NULL};
    const char *name;
    int rc;
    if (!json_is_object(b)) {
        return fail(c, PL_EPARSE, "a bound must be an object");
    }
    if ((rc = check_keys(c, b, keys)) < 0 || (rc = get_string(c, b, "issue", 1, &name)) < 0) {
        return rc;
    }
    long i = pl_space_find_issue(s, name);
    if (i < 0) {
        return fail(c, PL_ENOTFOUND, "unknown issue \"%s\"", name);
    }
    json_t *ex = json_object_get(b, "exclude");
    if (ex && !json_is_boolean(ex)) {
        return fail(c, PL_EPARSE, "\"exclude\" must be true or false");
    }
    out->issue = (uint32_t)i;
    out->exclude = ex && json_is_true(ex);
    uint32_t nv = pl_space_value_count(s, (size_t)i);
    if (pl_space_issue_kind(s, (size_t)i) == PL_ISSUE_DISCRETE) {
        const char *from, *to;
        if ((rc = get_string(c, b, "from", 1, &from)) < 0 || (rc = get_string(c, b, "to", 1, &to)) < 0) {
            return rc;
        }
        long a = pl_space_find_value(s, (size_t)i, from), z = pl_space_find_value(s, (size_t)i, to);
        if (a < 0 || z < 0) {
            return fail(c, PL_ENOTFOUND, "issue \"%s\" has no value \"%s\"", name, a < 0 ? from : to);
        }
        if (a > z) {
            return fail(c, PL_EPARSE, "\"from\" comes after \"to\" in the issue's value order");
        }
        out->lo = (uint32_t)a;
        out->hi = (uint32_t)z;
        return 0;
    }
    double mn, mx;
    if ((rc = get_number(c, b, "min", 1, &mn)) < 0 || (rc = get_number(c, b, "max", 1, &mx)) < 0) {
        return rc;
    }
    if (mn > mx) {
        return fail(c, PL_EPARSE, "\"min\" is above \"max\"");
    }
    /* The value indices whose numbers lie in [min, max]. */
    long a = -1, z = -1;
    for (uint32_t v = 0; v < nv; v++) {
        double x = pl_space_value_number(s, (size_t)i, v);
        if (x >= mn && x <= mx) {
            if (a < 0) {
                a = v;
            }
            z = v;
        }
    }
    if (a < 0) {
        /* No value in range: an inclusion never holds, an exclusion always does. */
        *impossible = out->exclude ? -1 : 1;
        return 0;
    }
    out->lo = (uint32_t)a;
    out->hi = (uint32_t)z;
    return 0;
}

static int read_rect(ctx *c, const pl_space *s, json_t *ut, size_t p, pl_ufun **out)
{
    static const char *const keys[] = {"type", "max_utility", "rectangles", NULL};
    static const char *const rkeys[] = {"utility", "bounds", NULL};
    double maxu;
    int rc = check_keys(c, ut, keys);
    if (rc < 0 || (rc = get_number(c, ut, "max_utility", 1, &maxu)) < 0) {
        return rc;
    }
    if (!(maxu > 0)) {
        return fail(c, PL_ERANGE, "\"max_utility\" must be positive");
    }
    json_t *rects = json_object_get(ut, "rectangles");
    if (!json_is_array(rects)) {
        return fail(c, PL_EPARSE, "\"rectangles\" must be an array");
    }
    pl_ufun *u = NULL;
    pl_rect_bound *bounds = NULL;
    if (pl_ufun_rect_new(s, maxu, &u, NULL) < 0) {
        return fail(c, PL_ENOMEM, "out of memory");
    }
    for (size_t r = 0; r < json_array_size(rects); r++) {
        SETPATH(c, "parties[%zu].utility.rectangles[%zu]", p, r);
        json_t *rect = json_array_get(rects, r);
        double util;
        if (!json_is_object(rect)) {
            rc = fail(c, PL_EPARSE, "a rectangle must be an object");
            goto cleanup;
        }
        PL_TRY(check_keys(c, rect, rkeys));
        PL_TRY(get_number(c, rect, "utility", 1, &util));
        json_t *bs = json_object_get(rect, "bounds");
        if (!json_is_array(bs)) {
            rc = fail(c, PL_EPARSE, "\"bounds\" must be an array");
            goto cleanup;
        }
        size_t nb = json_array_size(bs), kept = 0;
        pl__free(bounds);
        bounds = pl__calloc(nb ? nb : 1, sizeof *bounds);
        if (!bounds) {
            rc = fail(c, PL_ENOMEM, "out of memory");
            goto cleanup;
        }
        int never = 0;
        for (size_t k = 0; k < nb; k++) {
            SETPATH(c, "parties[%zu].utility.rectangles[%zu].bounds[%zu]", p, r, k);
            int impossible = 0;
            PL_TRY(read_bound(c, s, json_array_get(bs, k), &bounds[kept], &impossible));
            if (impossible > 0) {
                never = 1;
            } else if (impossible == 0) {
                kept++;
            }
        }
        if (!never && pl_ufun_rect_add(u, util, kept, bounds) < 0) {
            rc = fail(c, PL_ENOMEM, "out of memory");
            goto cleanup;
        }
    }
cleanup:
    pl__free(bounds);
    return pl__ufun_done(rc, u, out);
}

/* A value of issue i written as its label (any issue) or as a number (numeric issues): its index, or an error. */
static int read_value_ref(ctx *c, const pl_space *s, size_t i, json_t *v, uint32_t *out)
{
    char buf[64];
    const char *label;
    if (json_is_string(v)) {
        label = json_string_value(v);
    } else if (json_is_integer(v)) {
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        label = buf;
    } else if (json_is_real(v)) {
        label = pl__fmt_double(json_real_value(v), buf, sizeof buf);
    } else {
        return fail(c, PL_EPARSE, "a value of issue \"%s\" must be a label or a number", pl_space_issue_name(s, i));
    }
    long k = pl_space_find_value(s, i, label);
    if (k < 0) {
        return fail(c, PL_EPARSE, "issue \"%s\" has no value \"%s\"", pl_space_issue_name(s, i), label);
    }
    *out = (uint32_t)k;
    return 0;
}

/* {"issue": name, <key>: [values]} (or a single value) into an issue index and a malloc'd value list. */
static int read_issue_set(ctx *c, const pl_space *s, json_t *obj, const char *key, size_t *issue, uint32_t **vals,
                          size_t *n)
{
    const char *name;
    int rc = get_string(c, obj, "issue", 1, &name);
    if (rc < 0) {
        return rc;
    }
    long i = pl_space_find_issue(s, name);
    if (i < 0) {
        return fail(c, PL_EPARSE, "unknown issue \"%s\"", name);
    }
    json_t *arr = json_object_get(obj, key);
    if (!arr) {
        return fail(c, PL_EPARSE, "missing \"%s\"", key);
    }
    size_t m = json_is_array(arr) ? json_array_size(arr) : 1;
    if (m == 0) {
        return fail(c, PL_EPARSE, "\"%s\" must list at least one value", key);
    }
    *vals = pl__malloc(m * sizeof **vals);
    if (!*vals) {
        return fail(c, PL_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < m; j++) {
        if ((rc = read_value_ref(c, s, (size_t)i, json_is_array(arr) ? json_array_get(arr, j) : arr, &(*vals)[j])) <
            0) {
            return rc;
        }
        for (size_t q = 0; q < j; q++) {
            if ((*vals)[q] == (*vals)[j]) {
                char b[64];
                return fail(c, PL_EPARSE, "value \"%s\" of issue \"%s\" is listed twice",
                            pl_space_value_label(s, (size_t)i, (*vals)[j], b, sizeof b), name);
            }
        }
    }
    *issue = (size_t)i;
    *n = m;
    return 0;
}

/* "red_lines": [{"issue", "not": [...]} | {"if": {"issue", "in"}, "then": {"issue", "in"}}, with optional "note"] */
static int read_red_lines(ctx *c, const pl_space *s, pl_ufun *u, json_t *arr, size_t p)
{
    static const char *const keys[] = {"issue", "not", "if", "then", "note", NULL};
    static const char *const ckeys[] = {"issue", "in", NULL};
    SETPATH(c, "parties[%zu].red_lines", p);
    if (!json_is_array(arr)) {
        return fail(c, PL_EPARSE, "\"red_lines\" must be an array");
    }
    for (size_t k = 0; k < json_array_size(arr); k++) {
        json_t *lj = json_array_get(arr, k);
        SETPATH(c, "parties[%zu].red_lines[%zu]", p, k);
        if (!json_is_object(lj)) {
            return fail(c, PL_EPARSE, "a red line must be an object");
        }
        int rc = check_keys(c, lj, keys);
        const char *note = NULL;
        if (rc < 0 || (rc = get_string(c, lj, "note", 0, &note)) < 0) {
            return rc;
        }
        json_t *cond = json_object_get(lj, "if"), *req = json_object_get(lj, "then");
        int must_not = json_object_get(lj, "not") != NULL;
        if (must_not == (cond != NULL) || (cond != NULL) != (req != NULL) ||
            (must_not && json_object_get(lj, "issue") == NULL) || (cond && json_object_get(lj, "issue"))) {
            return fail(c, PL_EPARSE, "a red line is {\"issue\", \"not\"} or {\"if\", \"then\"}");
        }
        pl_red_line line = {0};
        uint32_t *v1 = NULL, *v2 = NULL;
        size_t i1 = 0, i2 = 0;
        line.note = note;
        if (must_not) {
            rc = read_issue_set(c, s, lj, "not", &i1, &v1, &line.n_values);
            line.then_issue = -1;
        } else if (!json_is_object(cond) || !json_is_object(req)) {
            rc = fail(c, PL_EPARSE, "\"if\" and \"then\" must be objects {\"issue\", \"in\"}");
        } else if ((rc = check_keys(c, cond, ckeys)) == 0 && (rc = check_keys(c, req, ckeys)) == 0 &&
                   (rc = read_issue_set(c, s, cond, "in", &i1, &v1, &line.n_values)) == 0) {
            rc = read_issue_set(c, s, req, "in", &i2, &v2, &line.n_then);
            if (rc == 0 && i2 == i1) {
                rc = fail(c, PL_EPARSE, "a precondition must require another issue");
            }
            line.then_issue = (long)i2;
        }
        if (rc == 0) {
            line.issue = (uint32_t)i1;
            line.values = v1;
            line.then_values = v2;
            pl_diag sub;
            pl_diag_clear(&sub);
            if ((rc = pl_ufun_add_red_line(u, &line, &sub)) < 0) {
                rc = fail(c, rc, "%s", sub.message);
            }
        }
        pl__free(v1);
        pl__free(v2);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

/* "status_quo": {issue: value} for any subset of the issues. */
static int read_status_quo(ctx *c, pl_scenario *sc, json_t *obj)
{
    const pl_space *s = pl_scenario_space(sc);
    SETPATH(c, "status_quo");
    if (!json_is_object(obj)) {
        return fail(c, PL_EPARSE, "\"status_quo\" must be an object {issue: value}");
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        long i = pl_space_find_issue(s, key);
        if (i < 0) {
            return fail(c, PL_EPARSE, "unknown issue \"%s\"", key);
        }
        uint32_t x;
        int rc = read_value_ref(c, s, (size_t)i, v, &x);
        if (rc < 0) {
            return rc;
        }
        if (pl_scenario_set_status_quo(sc, (size_t)i, x) < 0) {
            return fail(c, PL_ENOMEM, "out of memory");
        }
    }
    return 0;
}

static int read_party(ctx *c, pl_scenario *sc, json_t *pj, size_t p)
{
    /* "uncertainty" is read by pl_uncertainty_load (uncertainty_read.c). */
    static const char *const keys[] = {"name",      "reservation", "discount",    "utility",
                                       "description", "red_lines", "uncertainty", NULL};
    const pl_space *s = pl_scenario_space(sc);
    SETPATH(c, "parties[%zu]", p);
    if (!json_is_object(pj)) {
        return fail(c, PL_EPARSE, "a party must be an object");
    }
    const char *name, *type;
    double r = 0, df = 1;
    int rc = check_keys(c, pj, keys);
    if (rc < 0 || (rc = get_string(c, pj, "name", 1, &name)) < 0 ||
        (rc = get_number(c, pj, "reservation", 0, &r)) < 0 || (rc = get_number(c, pj, "discount", 0, &df)) < 0) {
        return rc;
    }
    json_t *ut = json_object_get(pj, "utility");
    SETPATH(c, "parties[%zu].utility", p);
    if (!json_is_object(ut)) {
        return fail(c, PL_EPARSE, "\"utility\" must be an object");
    }
    if ((rc = get_string(c, ut, "type", 1, &type)) < 0) {
        return rc;
    }
    pl_ufun *u = NULL;
    pl_ufun_kind kind;
    if (pl_ufun_kind_parse(type, &kind) < 0) {
        return fail(c, PL_EPARSE, "unknown utility type \"%s\" (linear_additive, hyper_rectangle)", type);
    }
    if (kind == PL_UFUN_LINEAR) {
        rc = read_linear(c, s, ut, p, &u);
    } else {
        rc = read_rect(c, s, ut, p, &u);
    }
    if (rc < 0) {
        return rc;
    }
    pl_ufun_set_reservation(u, r);
    pl_ufun_set_discount(u, df);
    json_t *lines = json_object_get(pj, "red_lines");
    if (lines && (rc = read_red_lines(c, s, u, lines, p)) < 0) {
        pl_ufun_free(u);
        return rc;
    }
    SETPATH(c, "parties[%zu]", p);
    if ((rc = pl__check_party(u, name, c->file, 0, c->path, c->opts, c->d)) < 0) {
        pl_ufun_free(u);
        return rc;
    }
    pl_diag sub;
    pl_diag_clear(&sub);
    if ((rc = pl_scenario_add_party(sc, name, u, &sub)) < 0) {
        return fail(c, rc, "%s", sub.message);
    }
    return 0;
}

int pl__parley_json_build(const char *text, size_t len, const char *file, const pl_load_options *opts,
                          pl_scenario **out, pl_diag *d)
{
    *out = NULL;
    ctx c = {file, d, opts, ""};
    json_error_t err;
    json_t *root = pl__json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        if (pl__json_oom(&err)) {
            return pl__diag_set(d, PL_ENOMEM, file, 0, 0, "out of memory");
        }
        return pl__diag_set(d, PL_EPARSE, file, err.line > 0 ? err.line : 1, err.column > 0 ? err.column : 1,
                            "malformed JSON: %s", err.text);
    }
    static const char *const keys[] = {"format", "version", "name", "description", "issues", "status_quo", "parties",
                                       NULL};
    pl_scenario *sc = NULL;
    pl_space *s = NULL;
    int rc = 0;
    if (!json_is_object(root)) {
        rc = fail(&c, PL_EPARSE, "a parley scenario is a JSON object");
        goto cleanup;
    }
    PL_TRY(check_keys(&c, root, keys));
    const char *fmt = NULL, *name = NULL, *desc = NULL;
    int64_t version = 1;
    PL_TRY(get_string(&c, root, "format", 0, &fmt));
    if (fmt && strcmp(fmt, "parley-scenario") != 0) {
        rc = fail(&c, PL_EPARSE, "\"format\" is \"%s\", expected \"parley-scenario\"", fmt);
        goto cleanup;
    }
    PL_TRY(get_int(&c, root, "version", 0, &version));
    if (version != 1) {
        rc = fail(&c, PL_EUNSUPPORTED, "scenario format version %lld is not supported (this parley reads 1)",
                  (long long)version);
        goto cleanup;
    }
    PL_TRY(get_string(&c, root, "name", 0, &name));
    PL_TRY(get_string(&c, root, "description", 0, &desc));
    json_t *issues = json_object_get(root, "issues");
    json_t *parties = json_object_get(root, "parties");
    if (!json_is_array(issues) || json_array_size(issues) == 0) {
        rc = fail(&c, PL_EPARSE, "\"issues\" must be a non-empty array");
        goto cleanup;
    }
    if (!json_is_array(parties) || json_array_size(parties) < 2) {
        rc = fail(&c, PL_EPARSE, "\"parties\" must be an array of at least 2 parties");
        goto cleanup;
    }
    if (pl_space_new(&s, NULL) < 0) {
        rc = fail(&c, PL_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t k = 0; k < json_array_size(issues); k++) {
        PL_TRY(read_issue(&c, s, json_array_get(issues, k), k));
    }
    rc = pl_scenario_new(s, &sc, NULL);
    s = NULL;
    if (rc < 0 || (name && pl_scenario_set_name(sc, name) < 0) || (desc && pl_scenario_set_description(sc, desc) < 0)) {
        rc = fail(&c, PL_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t p = 0; p < json_array_size(parties); p++) {
        PL_TRY(read_party(&c, sc, json_array_get(parties, p), p));
    }
    json_t *sq = json_object_get(root, "status_quo");
    if (sq) {
        PL_TRY(read_status_quo(&c, sc, sq));
    }
cleanup:
    json_decref(root);
    pl_space_free(s);
    if (rc < 0) {
        pl_scenario_free(sc);
        return rc;
    }
    *out = sc;
    return 0;
}
