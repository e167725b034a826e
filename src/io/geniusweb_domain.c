/* GeniusWeb JSON, the domain each profile embeds (issues in the order written): discrete value sets become discrete
 * issues; number ranges integer issues when low, high and step are all integral, real ones otherwise (one level per
 * step). Also the JSON helpers both GeniusWeb files use: paths in diagnostics, typed members, numbers. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/geniusweb_internal.h"

/* ---- JSON helpers ---- */

int pl__gw_fail(const pl__gw_ctx *c, int code, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pl__diag_vset(c->d, code, c->file, 0, 0, fmt, ap);
    va_end(ap);
    pl__diag_path(c->d, "%s", path ? path : "");
    return code;
}

/* buf = a + sep + b, truncated to size (paths are for reading, a cut one is still useful). */
static void cat3(char *buf, size_t size, const char *a, const char *sep, const char *b)
{
    const char *parts[3] = {a, sep, b};
    size_t n = 0;
    for (size_t k = 0; k < 3; k++) {
        size_t m = strlen(parts[k]);
        if (m > size - 1 - n) {
            m = size - 1 - n;
        }
        memcpy(buf + n, parts[k], m);
        n += m;
    }
    buf[n] = '\0';
}

void pl__gw_join(char *buf, size_t size, const char *parent, const char *key)
{
    cat3(buf, size, parent, ".", key);
}

/* buf = parent[k] */
static void join_index(char *buf, size_t size, const char *parent, size_t k)
{
    char ix[32];
    snprintf(ix, sizeof ix, "[%zu]", k);
    cat3(buf, size, parent, "", ix);
}

/* x in a short form that parses back exactly (15 significant digits when enough, else 17); buf >= 32 bytes. */
char *pl__gw_fmt_num(double x, char *buf, size_t size)
{
    snprintf(buf, size, "%.15g", x == 0 ? 0.0 : x);
    if (strtod(buf, NULL) != x) {
        snprintf(buf, size, "%.17g", x);
    }
    return buf;
}

static int integral(double x, int64_t *out)
{
    if (x == floor(x) && fabs(x) < 9.0e15) {
        *out = (int64_t)x;
        return 1;
    }
    return 0;
}

/* 0 ok, -1 not a (finite) number. */
int pl__gw_get_num(const json_t *v, pl__gw_num *out)
{
    memset(out, 0, sizeof *out);
    if (json_is_integer(v)) {
        out->i = (int64_t)json_integer_value(v);
        out->d = (double)out->i;
        out->is_int = 1;
        return 0;
    }
    if (json_is_real(v)) {
        out->d = json_real_value(v);
        if (!isfinite(out->d)) {
            return -1;
        }
        out->is_int = integral(out->d, &out->i);
        return 0;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (pl__parse_double(s, &out->d) < 0) {
            return -1;
        }
        if (pl__parse_int64(s, &out->i) == 0) {
            out->is_int = 1;
            out->d = (double)out->i;
        } else {
            out->is_int = integral(out->d, &out->i);
        }
        return 0;
    }
    return -1;
}

/* A required member of an object, of the given type. */
int pl__gw_member(const pl__gw_ctx *c, json_t *obj, const char *parent, const char *key, json_type type, json_t **out)
{
    char path[PL__GW_PATH_LEN];
    pl__gw_join(path, sizeof path, parent, key);
    json_t *v = json_object_get(obj, key);
    if (!v) {
        return pl__gw_fail(c, PL_EPARSE, path, "missing key \"%s\" in %s", key, parent);
    }
    if (json_typeof(v) != type) {
        const char *want = type == JSON_OBJECT ? "an object" : type == JSON_ARRAY ? "an array" : "a string";
        return pl__gw_fail(c, PL_EPARSE, path, "\"%s\" must be %s, not %s", key, want, pl__json_type_name(v));
    }
    *out = v;
    return 0;
}

/* A required numeric member (number or numeric string). */
int pl__gw_num_member(const pl__gw_ctx *c, json_t *obj, const char *parent, const char *key, pl__gw_num *out)
{
    char path[PL__GW_PATH_LEN];
    pl__gw_join(path, sizeof path, parent, key);
    json_t *v = json_object_get(obj, key);
    if (!v) {
        return pl__gw_fail(c, PL_EPARSE, path, "missing key \"%s\" in %s", key, parent);
    }
    if (pl__gw_get_num(v, out) < 0) {
        return pl__gw_fail(c, PL_EPARSE, path, "\"%s\" must be a number, not %s", key, pl__json_type_name(v));
    }
    return 0;
}

/* ---- Domain ---- */

/* A number range: {"low": l, "high": h, "step": s} (GeniusWeb) or [l, h, s]; numbers or numeric strings. */
static int read_range(const pl__gw_ctx *c, json_t *range, const char *path, pl__gw_num *lo, pl__gw_num *hi,
                      pl__gw_num *st)
{
    int rc;
    if (json_is_array(range)) {
        if (json_array_size(range) != 3) {
            return pl__gw_fail(c, PL_EPARSE, path, "\"range\" must hold 3 numbers [low, high, step], not %zu items",
                               json_array_size(range));
        }
        pl__gw_num *dst[3] = {lo, hi, st};
        for (size_t k = 0; k < 3; k++) {
            json_t *v = json_array_get(range, k);
            if (pl__gw_get_num(v, dst[k]) < 0) {
                char p[PL__GW_PATH_LEN];
                join_index(p, sizeof p, path, k);
                return pl__gw_fail(c, PL_EPARSE, p, "range item %zu must be a number, not %s", k, pl__json_type_name(v));
            }
        }
    } else if (json_is_object(range)) {
        if ((rc = pl__gw_num_member(c, range, path, "low", lo)) < 0 ||
            (rc = pl__gw_num_member(c, range, path, "high", hi)) < 0 ||
            (rc = pl__gw_num_member(c, range, path, "step", st)) < 0) {
            return rc;
        }
    } else {
        return pl__gw_fail(c, PL_EPARSE, path, "\"range\" must be an object {\"low\", \"high\", \"step\"}, not %s",
                           pl__json_type_name(range));
    }
    return 0;
}

static int add_range_issue(const pl__gw_ctx *c, pl_space *s, const char *name, json_t *range, const char *issue_path)
{
    char path[PL__GW_PATH_LEN];
    pl__gw_join(path, sizeof path, issue_path, "range");
    pl__gw_num lo, hi, st;
    int rc = read_range(c, range, path, &lo, &hi, &st);
    if (rc < 0) {
        return rc;
    }
    if (!(st.d > 0)) {
        return pl__gw_fail(c, PL_ERANGE, path, "issue \"%s\": the range step must be positive", name);
    }
    if (hi.d < lo.d) {
        return pl__gw_fail(c, PL_ERANGE, path, "issue \"%s\": the range's high end is below its low end", name);
    }
    pl_diag sub;
    pl_diag_clear(&sub);
    if (lo.is_int && hi.is_int && st.is_int) {
        if (((uint64_t)hi.i - (uint64_t)lo.i) % (uint64_t)st.i != 0) {
            return pl__gw_fail(c, PL_ERANGE, path,
                               "issue \"%s\": the range %lld..%lld is not a whole number of steps of %lld", name,
                               (long long)lo.i, (long long)hi.i, (long long)st.i);
        }
        rc = pl_space_add_integer(s, name, lo.i, hi.i, st.i, &sub);
    } else {
        double q = (hi.d - lo.d) / st.d;
        if (!(q < (double)PL_ISSUE_VALUES_MAX)) {
            return pl__gw_fail(c, PL_ERANGE, path,
                               "issue \"%s\": the range has more than %u values (use a larger step)", name,
                               PL_ISSUE_VALUES_MAX);
        }
        double whole = floor(q + 0.5);
        if (fabs(q - whole) > 1e-9 * (whole > 1 ? whole : 1)) {
            char a[40], b[40], e[40];
            return pl__gw_fail(c, PL_ERANGE, path,
                               "issue \"%s\": the range %s..%s is not a whole number of steps of %s", name,
                               pl__gw_fmt_num(lo.d, a, sizeof a), pl__gw_fmt_num(hi.d, b, sizeof b),
                               pl__gw_fmt_num(st.d, e, sizeof e));
        }
        rc = pl_space_add_real(s, name, lo.d, hi.d, (uint32_t)whole + 1, &sub);
    }
    if (rc < 0) {
        return pl__gw_fail(c, rc, issue_path, "%s", sub.message);
    }
    return 0;
}

static int add_discrete_issue(const pl__gw_ctx *c, pl_space *s, const char *name, json_t *values,
                              const char *issue_path)
{
    char path[PL__GW_PATH_LEN];
    pl__gw_join(path, sizeof path, issue_path, "values");
    if (!json_is_array(values)) {
        return pl__gw_fail(c, PL_EPARSE, path, "\"values\" of issue \"%s\" must be an array of strings, not %s", name,
                           pl__json_type_name(values));
    }
    size_t n = json_array_size(values);
    if (n > PL_ISSUE_VALUES_MAX) {
        return pl__gw_fail(c, PL_ERANGE, path, "issue \"%s\" has %zu values; at most %u are supported", name, n,
                           PL_ISSUE_VALUES_MAX);
    }
    const char **labels = pl__calloc(n ? n : 1, sizeof *labels);
    if (!labels) {
        return pl__gw_fail(c, PL_ENOMEM, NULL, "out of memory");
    }
    int rc = 0;
    for (size_t k = 0; k < n; k++) {
        json_t *v = json_array_get(values, k);
        if (!json_is_string(v)) {
            char p[PL__GW_PATH_LEN];
            join_index(p, sizeof p, path, k);
            rc = pl__gw_fail(c, PL_EPARSE, p, "value %zu of issue \"%s\" must be a string, not %s", k + 1, name,
                             pl__json_type_name(v));
            goto cleanup;
        }
        labels[k] = json_string_value(v);
    }
    pl_diag sub;
    pl_diag_clear(&sub);
    if ((rc = pl_space_add_discrete(s, name, n, labels, &sub)) < 0) {
        rc = pl__gw_fail(c, rc, path, "%s", sub.message);
    }
cleanup:
    pl__free(labels);
    return rc;
}

/* The space of a profile's embedded domain; *name: the domain's name (NULL if none; borrowed from the JSON). */
int pl__gw_read_domain(const pl__gw_ctx *c, json_t *las, pl_space **out, const char **name)
{
    *out = NULL;
    *name = NULL;
    json_t *dom, *iv;
    int rc;
    if ((rc = pl__gw_member(c, las, PL__GW_ROOT, "domain", JSON_OBJECT, &dom)) < 0 ||
        (rc = pl__gw_member(c, dom, PL__GW_ROOT ".domain", "issuesValues", JSON_OBJECT, &iv)) < 0) {
        return rc;
    }
    json_t *nm = json_object_get(dom, "name");
    if (nm && !json_is_string(nm)) {
        return pl__gw_fail(c, PL_EPARSE, PL__GW_ROOT ".domain.name", "the domain's \"name\" must be a string, not %s",
                           pl__json_type_name(nm));
    }
    *name = nm ? json_string_value(nm) : NULL;
    if (json_object_size(iv) == 0) {
        return pl__gw_fail(c, PL_EPARSE, PL__GW_ROOT ".domain.issuesValues", "the domain defines no issues");
    }
    pl_space *s = NULL;
    if (pl_space_new(&s, NULL) < 0) {
        return pl__gw_fail(c, PL_ENOMEM, NULL, "out of memory");
    }
    const char *key;
    json_t *vs;
    json_object_foreach(iv, key, vs)
    {
        char path[PL__GW_PATH_LEN];
        pl__gw_join(path, sizeof path, PL__GW_ROOT ".domain.issuesValues", key);
        if (!json_is_object(vs)) {
            rc = pl__gw_fail(c, PL_EPARSE, path, "issue \"%s\" must be an object with \"values\" or \"range\", not %s",
                             key, pl__json_type_name(vs));
            break;
        }
        json_t *values = json_object_get(vs, "values");
        json_t *range = json_object_get(vs, "range");
        if (values && range) {
            rc = pl__gw_fail(c, PL_EPARSE, path, "issue \"%s\" has both \"values\" and \"range\"", key);
        } else if (values) {
            rc = add_discrete_issue(c, s, key, values, path);
        } else if (range) {
            rc = add_range_issue(c, s, key, range, path);
        } else {
            rc = pl__gw_fail(c, PL_EPARSE, path,
                             "issue \"%s\" needs \"values\" (a discrete value set) or \"range\" (a number range)", key);
        }
        if (rc < 0) {
            break;
        }
    }
    if (rc < 0) {
        pl_space_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

const char *pl__gw_kind_name(pl_issue_kind k)
{
    return k == PL_ISSUE_DISCRETE  ? "a discrete value set"
           : k == PL_ISSUE_INTEGER ? "an integer range"
                                   : "a real range";
}

/* Describe a numeric issue's range as "low..high step s". */
static void range_text(const pl_space *s, size_t i, char *buf, size_t size)
{
    double lo, hi, st;
    pl_space_issue_range(s, i, &lo, &hi, &st);
    uint32_t n = pl_space_value_count(s, i);
    if (pl_space_issue_kind(s, i) == PL_ISSUE_REAL) {
        st = n > 1 ? (hi - lo) / (double)(n - 1) : 0;
    }
    char a[40], b[40], e[40];
    snprintf(buf, size, "%s..%s step %s", pl__gw_fmt_num(lo, a, sizeof a), pl__gw_fmt_num(hi, b, sizeof b),
             pl__gw_fmt_num(st, e, sizeof e));
}

/* The first difference between the first profile's domain (a, from first_file) and this one's (b), as an error. */
int pl__gw_domain_diff(const pl__gw_ctx *c, const pl_space *a, const pl_space *b, const char *first_file)
{
    size_t na = pl_space_issue_count(a), nb = pl_space_issue_count(b);
    char path[PL__GW_PATH_LEN];
    for (size_t i = 0; i < na && i < nb; i++) {
        const char *x = pl_space_issue_name(a, i), *y = pl_space_issue_name(b, i);
        pl__gw_join(path, sizeof path, PL__GW_ROOT ".domain.issuesValues", y);
        if (strcmp(x, y) != 0) {
            return pl__gw_fail(c, PL_EPARSE, path,
                               "the domain differs from %s's: issue %zu is \"%s\" here but \"%s\" there", first_file,
                               i + 1, y, x);
        }
        pl_issue_kind ka = pl_space_issue_kind(a, i), kb = pl_space_issue_kind(b, i);
        if (ka != kb) {
            return pl__gw_fail(c, PL_EPARSE, path, "the domain differs from %s's: issue \"%s\" is %s here but %s there",
                               first_file, y, pl__gw_kind_name(kb), pl__gw_kind_name(ka));
        }
        uint32_t va = pl_space_value_count(a, i), vb = pl_space_value_count(b, i);
        if (ka == PL_ISSUE_DISCRETE) {
            for (uint32_t v = 0; v < va && v < vb; v++) {
                const char *la = pl_space_value_label_ref(a, i, v), *lb = pl_space_value_label_ref(b, i, v);
                if (strcmp(la, lb) != 0) {
                    return pl__gw_fail(
                        c, PL_EPARSE, path,
                        "the domain differs from %s's: value %u of issue \"%s\" is \"%s\" here but \"%s\" "
                        "there",
                        first_file, v + 1, y, lb, la);
                }
            }
            if (va != vb) {
                return pl__gw_fail(c, PL_EPARSE, path,
                                   "the domain differs from %s's: issue \"%s\" has %u values here but %u there",
                                   first_file, y, vb, va);
            }
        } else {
            char ra[128], rb[128];
            range_text(a, i, ra, sizeof ra);
            range_text(b, i, rb, sizeof rb);
            if (va != vb || strcmp(ra, rb) != 0) {
                return pl__gw_fail(c, PL_EPARSE, path,
                                   "the domain differs from %s's: issue \"%s\" is %s here but %s there", first_file, y,
                                   rb, ra);
            }
        }
    }
    return pl__gw_fail(c, PL_EPARSE, PL__GW_ROOT ".domain.issuesValues",
                       "the domain differs from %s's: it has %zu issues here but %zu there", first_file, nb, na);
}
