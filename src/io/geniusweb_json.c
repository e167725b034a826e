/* GeniusWeb JSON profiles: one {"LinearAdditiveUtilitySpace": {...}} document per party, each embedding the domain.
 * The domains must all be the same; the first one becomes the scenario's space (issues in the order written).
 * Discrete value sets become discrete issues; number ranges become integer issues when low, high and step are all
 * integral, real issues otherwise (one level per step). Value utilities: a table for discrete sets (values not listed
 * are worth 0), linear interpolation between two anchors for number ranges (clamped to the anchors' utilities
 * outside them). The reservation value is the utility of the reservation bid, 0 without one. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_internal.h"

#define ROOT "LinearAdditiveUtilitySpace"
#define PATH_LEN 512

typedef struct ctx {
    const char *file; /* the current profile, for diagnostics */
    pl_diag *d;
} ctx;

/* Set a diagnostic with a JSON path (no line: jansson keeps no positions for values). */
static int fail(const ctx *c, int code, const char *path, const char *fmt, ...) PL__PRINTF(4, 5);
static int fail(const ctx *c, int code, const char *path, const char *fmt, ...)
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

static void join(char *buf, size_t size, const char *parent, const char *key)
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

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
        return "true";
    case JSON_FALSE:
        return "false";
    default:
        return "null";
    }
}

/* x in a short form that parses back exactly (15 significant digits when enough, else 17); buf >= 32 bytes. */
static char *fmt_num(double x, char *buf, size_t size)
{
    snprintf(buf, size, "%.15g", x == 0 ? 0.0 : x);
    if (strtod(buf, NULL) != x) {
        snprintf(buf, size, "%.17g", x);
    }
    return buf;
}

/* A number written as a JSON number or as a numeric string. is_int: it is integral (then i holds it exactly). */
typedef struct gw_num {
    double d;
    int64_t i;
    int is_int;
} gw_num;

static int integral(double x, int64_t *out)
{
    if (x == floor(x) && fabs(x) < 9.0e15) {
        *out = (int64_t)x;
        return 1;
    }
    return 0;
}

/* 0 ok, -1 not a (finite) number. */
static int get_num(const json_t *v, gw_num *out)
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
static int member(const ctx *c, json_t *obj, const char *parent, const char *key, json_type type, json_t **out)
{
    char path[PATH_LEN];
    join(path, sizeof path, parent, key);
    json_t *v = json_object_get(obj, key);
    if (!v) {
        return fail(c, PL_EPARSE, path, "missing key \"%s\" in %s", key, parent);
    }
    if (json_typeof(v) != type) {
        const char *want = type == JSON_OBJECT ? "an object" : type == JSON_ARRAY ? "an array" : "a string";
        return fail(c, PL_EPARSE, path, "\"%s\" must be %s, not %s", key, want, type_name(v));
    }
    *out = v;
    return 0;
}

/* A required numeric member (number or numeric string). */
static int num_member(const ctx *c, json_t *obj, const char *parent, const char *key, gw_num *out)
{
    char path[PATH_LEN];
    join(path, sizeof path, parent, key);
    json_t *v = json_object_get(obj, key);
    if (!v) {
        return fail(c, PL_EPARSE, path, "missing key \"%s\" in %s", key, parent);
    }
    if (get_num(v, out) < 0) {
        return fail(c, PL_EPARSE, path, "\"%s\" must be a number, not %s", key, type_name(v));
    }
    return 0;
}

/* ---- Domain ---- */

/* A number range: {"low": l, "high": h, "step": s} (GeniusWeb) or [l, h, s]; numbers or numeric strings. */
static int read_range(const ctx *c, json_t *range, const char *path, gw_num *lo, gw_num *hi, gw_num *st)
{
    int rc;
    if (json_is_array(range)) {
        if (json_array_size(range) != 3) {
            return fail(c, PL_EPARSE, path, "\"range\" must hold 3 numbers [low, high, step], not %zu items",
                        json_array_size(range));
        }
        gw_num *dst[3] = {lo, hi, st};
        for (size_t k = 0; k < 3; k++) {
            json_t *v = json_array_get(range, k);
            if (get_num(v, dst[k]) < 0) {
                char p[PATH_LEN];
                join_index(p, sizeof p, path, k);
                return fail(c, PL_EPARSE, p, "range item %zu must be a number, not %s", k, type_name(v));
            }
        }
    } else if (json_is_object(range)) {
        if ((rc = num_member(c, range, path, "low", lo)) < 0 || (rc = num_member(c, range, path, "high", hi)) < 0 ||
            (rc = num_member(c, range, path, "step", st)) < 0) {
            return rc;
        }
    } else {
        return fail(c, PL_EPARSE, path, "\"range\" must be an object {\"low\", \"high\", \"step\"}, not %s",
                    type_name(range));
    }
    return 0;
}

static int add_range_issue(const ctx *c, pl_space *s, const char *name, json_t *range, const char *issue_path)
{
    char path[PATH_LEN];
    join(path, sizeof path, issue_path, "range");
    gw_num lo, hi, st;
    int rc = read_range(c, range, path, &lo, &hi, &st);
    if (rc < 0) {
        return rc;
    }
    if (!(st.d > 0)) {
        return fail(c, PL_ERANGE, path, "issue \"%s\": the range step must be positive", name);
    }
    if (hi.d < lo.d) {
        return fail(c, PL_ERANGE, path, "issue \"%s\": the range's high end is below its low end", name);
    }
    pl_diag sub;
    pl_diag_clear(&sub);
    if (lo.is_int && hi.is_int && st.is_int) {
        if (((uint64_t)hi.i - (uint64_t)lo.i) % (uint64_t)st.i != 0) {
            return fail(c, PL_ERANGE, path, "issue \"%s\": the range %lld..%lld is not a whole number of steps of %lld",
                        name, (long long)lo.i, (long long)hi.i, (long long)st.i);
        }
        rc = pl_space_add_integer(s, name, lo.i, hi.i, st.i, &sub);
    } else {
        double q = (hi.d - lo.d) / st.d;
        if (!(q < (double)PL_ISSUE_VALUES_MAX)) {
            return fail(c, PL_ERANGE, path, "issue \"%s\": the range has more than %u values (use a larger step)",
                        name, PL_ISSUE_VALUES_MAX);
        }
        double whole = floor(q + 0.5);
        if (fabs(q - whole) > 1e-9 * (whole > 1 ? whole : 1)) {
            char a[40], b[40], e[40];
            return fail(c, PL_ERANGE, path, "issue \"%s\": the range %s..%s is not a whole number of steps of %s",
                        name, fmt_num(lo.d, a, sizeof a), fmt_num(hi.d, b, sizeof b),
                        fmt_num(st.d, e, sizeof e));
        }
        rc = pl_space_add_real(s, name, lo.d, hi.d, (uint32_t)whole + 1, &sub);
    }
    if (rc < 0) {
        return fail(c, rc, issue_path, "%s", sub.message);
    }
    return 0;
}

static int add_discrete_issue(const ctx *c, pl_space *s, const char *name, json_t *values, const char *issue_path)
{
    char path[PATH_LEN];
    join(path, sizeof path, issue_path, "values");
    if (!json_is_array(values)) {
        return fail(c, PL_EPARSE, path, "\"values\" of issue \"%s\" must be an array of strings, not %s", name,
                    type_name(values));
    }
    size_t n = json_array_size(values);
    if (n > PL_ISSUE_VALUES_MAX) {
        return fail(c, PL_ERANGE, path, "issue \"%s\" has %zu values; at most %u are supported", name, n,
                    PL_ISSUE_VALUES_MAX);
    }
    const char **labels = calloc(n ? n : 1, sizeof *labels);
    if (!labels) {
        return fail(c, PL_ENOMEM, NULL, "out of memory");
    }
    int rc = 0;
    for (size_t k = 0; k < n; k++) {
        json_t *v = json_array_get(values, k);
        if (!json_is_string(v)) {
            char p[PATH_LEN];
            join_index(p, sizeof p, path, k);
            rc = fail(c, PL_EPARSE, p, "value %zu of issue \"%s\" must be a string, not %s", k + 1, name,
                      type_name(v));
            goto cleanup;
        }
        labels[k] = json_string_value(v);
    }
    pl_diag sub;
    pl_diag_clear(&sub);
    if ((rc = pl_space_add_discrete(s, name, n, labels, &sub)) < 0) {
        rc = fail(c, rc, path, "%s", sub.message);
    }
cleanup:
    free(labels);
    return rc;
}

/* The space of a profile's embedded domain; *name: the domain's name (NULL if none; borrowed from the JSON). */
static int read_domain(const ctx *c, json_t *las, pl_space **out, const char **name)
{
    *out = NULL;
    *name = NULL;
    json_t *dom, *iv;
    int rc;
    if ((rc = member(c, las, ROOT, "domain", JSON_OBJECT, &dom)) < 0 ||
        (rc = member(c, dom, ROOT ".domain", "issuesValues", JSON_OBJECT, &iv)) < 0) {
        return rc;
    }
    json_t *nm = json_object_get(dom, "name");
    if (nm && !json_is_string(nm)) {
        return fail(c, PL_EPARSE, ROOT ".domain.name", "the domain's \"name\" must be a string, not %s",
                    type_name(nm));
    }
    *name = nm ? json_string_value(nm) : NULL;
    if (json_object_size(iv) == 0) {
        return fail(c, PL_EPARSE, ROOT ".domain.issuesValues", "the domain defines no issues");
    }
    pl_space *s = pl_space_new();
    if (!s) {
        return fail(c, PL_ENOMEM, NULL, "out of memory");
    }
    const char *key;
    json_t *vs;
    json_object_foreach(iv, key, vs)
    {
        char path[PATH_LEN];
        join(path, sizeof path, ROOT ".domain.issuesValues", key);
        if (!json_is_object(vs)) {
            rc = fail(c, PL_EPARSE, path, "issue \"%s\" must be an object with \"values\" or \"range\", not %s", key,
                      type_name(vs));
            break;
        }
        json_t *values = json_object_get(vs, "values");
        json_t *range = json_object_get(vs, "range");
        if (values && range) {
            rc = fail(c, PL_EPARSE, path, "issue \"%s\" has both \"values\" and \"range\"", key);
        } else if (values) {
            rc = add_discrete_issue(c, s, key, values, path);
        } else if (range) {
            rc = add_range_issue(c, s, key, range, path);
        } else {
            rc = fail(c, PL_EPARSE, path,
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

static const char *kind_name(pl_issue_kind k)
{
    return k == PL_ISSUE_DISCRETE ? "a discrete value set" : k == PL_ISSUE_INTEGER ? "an integer range" : "a real range";
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
    snprintf(buf, size, "%s..%s step %s", fmt_num(lo, a, sizeof a), fmt_num(hi, b, sizeof b),
             fmt_num(st, e, sizeof e));
}

/* The first difference between the first profile's domain (a, from first_file) and this one's (b), as an error. */
static int domain_diff(const ctx *c, const pl_space *a, const pl_space *b, const char *first_file)
{
    size_t na = pl_space_issue_count(a), nb = pl_space_issue_count(b);
    char path[PATH_LEN];
    for (size_t i = 0; i < na && i < nb; i++) {
        const char *x = pl_space_issue_name(a, i), *y = pl_space_issue_name(b, i);
        join(path, sizeof path, ROOT ".domain.issuesValues", y);
        if (strcmp(x, y) != 0) {
            return fail(c, PL_EPARSE, path, "the domain differs from %s's: issue %zu is \"%s\" here but \"%s\" there",
                        first_file, i + 1, y, x);
        }
        pl_issue_kind ka = pl_space_issue_kind(a, i), kb = pl_space_issue_kind(b, i);
        if (ka != kb) {
            return fail(c, PL_EPARSE, path, "the domain differs from %s's: issue \"%s\" is %s here but %s there",
                        first_file, y, kind_name(kb), kind_name(ka));
        }
        uint32_t va = pl_space_value_count(a, i), vb = pl_space_value_count(b, i);
        if (ka == PL_ISSUE_DISCRETE) {
            for (uint32_t v = 0; v < va && v < vb; v++) {
                const char *la = pl_space_value_label_ref(a, i, v), *lb = pl_space_value_label_ref(b, i, v);
                if (strcmp(la, lb) != 0) {
                    return fail(c, PL_EPARSE, path,
                                "the domain differs from %s's: value %u of issue \"%s\" is \"%s\" here but \"%s\" "
                                "there",
                                first_file, v + 1, y, lb, la);
                }
            }
            if (va != vb) {
                return fail(c, PL_EPARSE, path,
                            "the domain differs from %s's: issue \"%s\" has %u values here but %u there", first_file,
                            y, vb, va);
            }
        } else {
            char ra[128], rb[128];
            range_text(a, i, ra, sizeof ra);
            range_text(b, i, rb, sizeof rb);
            if (va != vb || strcmp(ra, rb) != 0) {
                return fail(c, PL_EPARSE, path, "the domain differs from %s's: issue \"%s\" is %s here but %s there",
                            first_file, y, rb, ra);
            }
        }
    }
    return fail(c, PL_EPARSE, ROOT ".domain.issuesValues",
                "the domain differs from %s's: it has %zu issues here but %zu there", first_file, nb, na);
}

/* ---- Utility function ---- */

/* what1 "what2" of issue "issue" is x: out of [0, 1]. */
static int utility_in_range(const ctx *c, const char *path, const char *what1, const char *what2, const char *issue,
                            double x)
{
    if (x < 0 || x > 1) {
        char b[40];
        return fail(c, PL_ERANGE, path, "%s\"%s\" of issue \"%s\" is %s; utilities must be in [0, 1]", what1, what2,
                    issue, fmt_num(x, b, sizeof b));
    }
    return 0;
}

static int read_discrete_utils(const ctx *c, pl_ufun *u, const pl_space *s, size_t i, json_t *body,
                               const char *path)
{
    const char *issue = pl_space_issue_name(s, i);
    json_t *vu;
    int rc = member(c, body, path, "valueUtilities", JSON_OBJECT, &vu);
    if (rc < 0) {
        return rc;
    }
    char vpath[PATH_LEN];
    join(vpath, sizeof vpath, path, "valueUtilities");
    uint32_t nv = pl_space_value_count(s, i);
    double *table = calloc(nv, sizeof *table); /* unlisted values are worth 0 */
    /* label -> value index through a hash table (a jansson object): a linear search per label is quadratic. */
    json_t *index = json_object();
    if (!table || !index) {
        rc = fail(c, PL_ENOMEM, NULL, "out of memory");
        goto cleanup;
    }
    for (uint32_t v = 0; v < nv; v++) {
        if (json_object_set_new_nocheck(index, pl_space_value_label_ref(s, i, v), json_integer(v)) < 0) {
            rc = fail(c, PL_ENOMEM, NULL, "out of memory");
            goto cleanup;
        }
    }
    const char *label;
    json_t *x;
    json_object_foreach(vu, label, x)
    {
        char p[PATH_LEN];
        join(p, sizeof p, vpath, label);
        json_t *at = json_object_get(index, label);
        json_int_t v = at ? json_integer_value(at) : -1;
        if (v < 0) {
            rc = fail(c, PL_ENOTFOUND, p, "issue \"%s\" has no value \"%s\" in the domain", issue, label);
            break;
        }
        gw_num n;
        if (get_num(x, &n) < 0) {
            rc = fail(c, PL_EPARSE, p, "the utility of value \"%s\" of issue \"%s\" must be a number, not %s", label,
                      issue, type_name(x));
            break;
        }
        if ((rc = utility_in_range(c, p, "the utility of value ", label, issue, n.d)) < 0) {
            break;
        }
        table[v] = n.d;
    }
    if (rc == 0 && pl_ufun_linear_set_table(u, i, table) < 0) {
        rc = fail(c, PL_EINVAL, path, "invalid utilities for issue \"%s\"", issue);
    }
cleanup:
    json_decref(index);
    free(table);
    return rc;
}

static int read_number_utils(const ctx *c, pl_ufun *u, const pl_space *s, size_t i, json_t *body, const char *path)
{
    const char *issue = pl_space_issue_name(s, i);
    gw_num lv, lu, hv, hu;
    int rc;
    if ((rc = num_member(c, body, path, "lowValue", &lv)) < 0 ||
        (rc = num_member(c, body, path, "lowUtility", &lu)) < 0 ||
        (rc = num_member(c, body, path, "highValue", &hv)) < 0 ||
        (rc = num_member(c, body, path, "highUtility", &hu)) < 0) {
        return rc;
    }
    char p[PATH_LEN];
    join(p, sizeof p, path, "lowUtility");
    if ((rc = utility_in_range(c, p, "", "lowUtility", issue, lu.d)) < 0) {
        return rc;
    }
    join(p, sizeof p, path, "highUtility");
    if ((rc = utility_in_range(c, p, "", "highUtility", issue, hu.d)) < 0) {
        return rc;
    }
    if (!(hv.d > lv.d)) {
        join(p, sizeof p, path, "highValue");
        return fail(c, PL_ERANGE, p, "issue \"%s\": \"highValue\" must be above \"lowValue\"", issue);
    }
    uint32_t n = pl_space_value_count(s, i);
    double *table = malloc(n * sizeof *table);
    if (!table) {
        return fail(c, PL_ENOMEM, NULL, "out of memory");
    }
    for (uint32_t v = 0; v < n; v++) {
        double x = pl_space_value_number(s, i, v);
        if (x <= lv.d) {
            table[v] = lu.d;
        } else if (x >= hv.d) {
            table[v] = hu.d;
        } else {
            table[v] = lu.d + (hu.d - lu.d) * ((x - lv.d) / (hv.d - lv.d));
        }
    }
    if (pl_ufun_linear_set_table(u, i, table) < 0) {
        rc = fail(c, PL_EINVAL, path, "invalid utilities for issue \"%s\"", issue);
    }
    free(table);
    return rc;
}

/* issueUtilities.<issue>: {"discreteutils": {...}} or {"numberutils": {...}} (also under their class names). */
static int read_value_set_utils(const ctx *c, pl_ufun *u, const pl_space *s, size_t i, json_t *v, const char *path)
{
    const char *issue = pl_space_issue_name(s, i);
    if (!json_is_object(v) || json_object_size(v) != 1) {
        return fail(c, PL_EPARSE, path,
                    "the utilities of issue \"%s\" must be an object with one key, \"discreteutils\" or "
                    "\"numberutils\"",
                    issue);
    }
    void *it = json_object_iter(v);
    const char *kind = json_object_iter_key(it);
    json_t *body = json_object_iter_value(it);
    char p[PATH_LEN];
    join(p, sizeof p, path, kind);
    int discrete = strcmp(kind, "discreteutils") == 0 || strcmp(kind, "DiscreteValueSetUtilities") == 0;
    int number = strcmp(kind, "numberutils") == 0 || strcmp(kind, "NumberValueSetUtilities") == 0;
    if (!discrete && !number) {
        return fail(c, PL_EUNSUPPORTED, p,
                    "issue \"%s\": value set utilities \"%s\" are not supported (discreteutils, numberutils)", issue,
                    kind);
    }
    if (!json_is_object(body)) {
        return fail(c, PL_EPARSE, p, "\"%s\" of issue \"%s\" must be an object, not %s", kind, issue,
                    type_name(body));
    }
    int is_discrete = pl_space_issue_kind(s, i) == PL_ISSUE_DISCRETE;
    if (discrete != is_discrete) {
        return fail(c, PL_EPARSE, p, "issue \"%s\" is %s in the domain but has %s utilities (\"%s\")", issue,
                    kind_name(pl_space_issue_kind(s, i)), discrete ? "discrete" : "number", kind);
    }
    return discrete ? read_discrete_utils(c, u, s, i, body, p) : read_number_utils(c, u, s, i, body, p);
}

static int read_ufun(const ctx *c, json_t *las, const pl_space *s, pl_ufun **out)
{
    *out = NULL;
    json_t *weights, *utils;
    int rc;
    if ((rc = member(c, las, ROOT, "issueWeights", JSON_OBJECT, &weights)) < 0 ||
        (rc = member(c, las, ROOT, "issueUtilities", JSON_OBJECT, &utils)) < 0) {
        return rc;
    }
    pl_ufun *u = pl_ufun_linear_new(s);
    if (!u) {
        return fail(c, PL_ENOMEM, NULL, "out of memory");
    }
    const char *key;
    json_t *v;
    char path[PATH_LEN];
    json_object_foreach(weights, key, v)
    {
        join(path, sizeof path, ROOT ".issueWeights", key);
        long i = pl_space_find_issue(s, key);
        if (i < 0) {
            rc = fail(c, PL_ENOTFOUND, path, "\"issueWeights\" names issue \"%s\", which is not in the domain", key);
            goto cleanup;
        }
        gw_num w;
        if (get_num(v, &w) < 0) {
            rc = fail(c, PL_EPARSE, path, "the weight of issue \"%s\" must be a number, not %s", key, type_name(v));
            goto cleanup;
        }
        if (w.d < 0) {
            char b[40];
            rc = fail(c, PL_ERANGE, path, "the weight of issue \"%s\" is negative (%s)", key,
                      fmt_num(w.d, b, sizeof b));
            goto cleanup;
        }
        pl_ufun_linear_set_weight(u, (size_t)i, w.d);
    }
    json_object_foreach(utils, key, v)
    {
        join(path, sizeof path, ROOT ".issueUtilities", key);
        long i = pl_space_find_issue(s, key);
        if (i < 0) {
            rc = fail(c, PL_ENOTFOUND, path, "\"issueUtilities\" names issue \"%s\", which is not in the domain", key);
            goto cleanup;
        }
        PL_TRY(read_value_set_utils(c, u, s, (size_t)i, v, path));
    }
    for (size_t i = 0; i < pl_space_issue_count(s); i++) {
        const char *name = pl_space_issue_name(s, i);
        if (!json_object_get(weights, name)) {
            join(path, sizeof path, ROOT ".issueWeights", name);
            rc = fail(c, PL_EPARSE, path, "\"issueWeights\" gives no weight for issue \"%s\"", name);
            goto cleanup;
        }
        if (!json_object_get(utils, name)) {
            join(path, sizeof path, ROOT ".issueUtilities", name);
            rc = fail(c, PL_EPARSE, path, "\"issueUtilities\" gives no utilities for issue \"%s\"", name);
            goto cleanup;
        }
    }
cleanup:
    if (rc < 0) {
        pl_ufun_free(u);
        return rc;
    }
    *out = u;
    return 0;
}

/* The utility of "reservationBid" (0 when absent or null). Issues the bid leaves out contribute 0, as in GeniusWeb. */
static int read_reservation(const ctx *c, json_t *las, const pl_ufun *u, double *out)
{
    *out = 0;
    json_t *rb = json_object_get(las, "reservationBid");
    if (!rb || json_is_null(rb)) {
        return 0;
    }
    if (!json_is_object(rb)) {
        return fail(c, PL_EPARSE, ROOT ".reservationBid", "\"reservationBid\" must be an object or null, not %s",
                    type_name(rb));
    }
    json_t *iv;
    int rc = member(c, rb, ROOT ".reservationBid", "issuevalues", JSON_OBJECT, &iv);
    if (rc < 0) {
        return rc;
    }
    const pl_space *s = pl_ufun_space(u);
    size_t n = pl_space_issue_count(s);
    uint32_t *o = calloc(n, sizeof *o);
    char *seen = calloc(n, 1);
    if (!o || !seen) {
        rc = fail(c, PL_ENOMEM, NULL, "out of memory");
        goto cleanup;
    }
    const char *key;
    json_t *v;
    json_object_foreach(iv, key, v)
    {
        char path[PATH_LEN];
        join(path, sizeof path, ROOT ".reservationBid.issuevalues", key);
        long i = pl_space_find_issue(s, key);
        if (i < 0) {
            rc = fail(c, PL_ENOTFOUND, path, "the reservation bid names issue \"%s\", which is not in the domain",
                      key);
            goto cleanup;
        }
        char buf[64];
        const char *label = NULL;
        if (json_is_string(v)) {
            label = json_string_value(v);
        } else if (pl_space_issue_kind(s, (size_t)i) != PL_ISSUE_DISCRETE && json_is_integer(v)) {
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
            label = buf;
        } else if (pl_space_issue_kind(s, (size_t)i) != PL_ISSUE_DISCRETE && json_is_real(v)) {
            label = fmt_num(json_real_value(v), buf, sizeof buf);
        } else {
            rc = fail(c, PL_EPARSE, path, "the reservation bid's value for issue \"%s\" must be %s, not %s", key,
                      pl_space_issue_kind(s, (size_t)i) == PL_ISSUE_DISCRETE ? "a string" : "a number",
                      type_name(v));
            goto cleanup;
        }
        long x = pl_space_find_value(s, (size_t)i, label);
        if (x < 0) {
            rc = fail(c, PL_ENOTFOUND, path, "the reservation bid's value \"%s\" is not a value of issue \"%s\"",
                      label, key);
            goto cleanup;
        }
        o[i] = (uint32_t)x;
        seen[i] = 1;
    }
    size_t have = 0;
    double partial = 0;
    for (size_t i = 0; i < n; i++) {
        if (seen[i]) {
            have++;
            partial += pl_ufun_linear_weight(u, i) * pl_ufun_linear_value(u, i, o[i]);
        }
    }
    *out = have == n ? pl_ufun_eval(u, o) : partial;
cleanup:
    free(o);
    free(seen);
    return rc;
}

/* ---- Profiles ---- */

/* The LinearAdditiveUtilitySpace object of a parsed profile document. */
static int profile_body(const ctx *c, json_t *root, json_t **las)
{
    if (!json_is_object(root)) {
        return fail(c, PL_EPARSE, NULL, "a GeniusWeb profile is a JSON object, not %s", type_name(root));
    }
    json_t *v = json_object_get(root, ROOT);
    if (v) {
        if (json_object_size(root) != 1) {
            const char *key;
            json_t *x;
            json_object_foreach(root, key, x)
            {
                if (strcmp(key, ROOT) != 0) {
                    return fail(c, PL_EPARSE, key, "unexpected top-level key \"%s\" beside \"" ROOT "\"", key);
                }
            }
        }
        if (!json_is_object(v)) {
            return fail(c, PL_EPARSE, ROOT, "\"" ROOT "\" must be an object, not %s", type_name(v));
        }
        *las = v;
        return 0;
    }
    if (json_object_get(root, "issuesValues")) {
        return fail(c, PL_EPARSE, NULL,
                    "this is a GeniusWeb domain, not a profile; give the profiles only (each embeds its domain)");
    }
    if (json_object_size(root) == 1) {
        void *it = json_object_iter(root);
        json_t *x = json_object_iter_value(it);
        if (json_is_object(x) && json_object_get(x, "domain")) {
            const char *key = json_object_iter_key(it);
            return fail(c, PL_EUNSUPPORTED, key,
                        "GeniusWeb profile type \"%s\" is not supported (only \"" ROOT "\")", key);
        }
    }
    return fail(c, PL_EPARSE, NULL, "not a GeniusWeb profile: expected one top-level key, \"" ROOT "\"");
}

/* Parse one profile text; syntax errors carry jansson's line and column. */
static int parse_text(const ctx *c, const char *text, size_t len, json_t **out)
{
    *out = NULL;
    if (!text) {
        return fail(c, PL_EINVAL, NULL, "no profile text");
    }
    int bom = len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
              (unsigned char)text[2] == 0xBF;
    if (bom) {
        text += 3;
        len -= 3;
    }
    json_error_t e;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
    if (!root) {
        int col = e.column > 0 ? e.column + (bom && e.line == 1) : 0;
        pl__diag_set(c->d, PL_EPARSE, c->file, e.line > 0 ? e.line : 0, col, "JSON syntax error: %s", e.text);
        pl__diag_path(c->d, "%s", "");
        return PL_EPARSE;
    }
    *out = root;
    return 0;
}

/* The party name: the profile's "name", else the file's base name without extension; made unique in sc. */
static int party_name(const ctx *c, json_t *las, const pl_scenario *sc, char **out)
{
    *out = NULL;
    json_t *nm = json_object_get(las, "name");
    if (nm && !json_is_null(nm) && !json_is_string(nm)) {
        return fail(c, PL_EPARSE, ROOT ".name", "the profile's \"name\" must be a string, not %s", type_name(nm));
    }
    char *base;
    if (nm && json_is_string(nm) && json_string_length(nm) > 0) {
        base = pl__strdup(json_string_value(nm));
    } else {
        const char *b = strrchr(c->file, '/');
        b = b ? b + 1 : c->file;
        const char *dot = strrchr(b, '.');
        base = pl__strndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
    }
    if (!base) {
        return fail(c, PL_ENOMEM, NULL, "out of memory");
    }
    if (pl_scenario_find_party(sc, base) < 0) {
        *out = base;
        return 0;
    }
    size_t len = strlen(base) + 24;
    char *alt = malloc(len);
    if (!alt) {
        free(base);
        return fail(c, PL_ENOMEM, NULL, "out of memory");
    }
    for (size_t k = 2;; k++) {
        snprintf(alt, len, "%s-%zu", base, k);
        if (pl_scenario_find_party(sc, alt) < 0) {
            break;
        }
    }
    free(base);
    *out = alt;
    return 0;
}

int pl__geniusweb_build(const char *const *texts, const size_t *lens, const char *const *files, size_t n,
                        const pl_load_options *opts, pl_scenario **out, pl_diag *d)
{
    (void)opts;
    *out = NULL;
    ctx c = {NULL, d};
    if (n == 0 || !texts || !lens) {
        return fail(&c, PL_EINVAL, NULL, "no GeniusWeb profiles given");
    }
    char fallback[32], first_file[PL_DIAG_FILE_MAX];
    first_file[0] = '\0';
    pl_scenario *sc = NULL;
    json_t *root = NULL;
    pl_space *tmp = NULL;
    pl_ufun *u = NULL;
    char *name = NULL;
    int rc = 0;
    for (size_t p = 0; p < n; p++) {
        snprintf(fallback, sizeof fallback, "profile%zu", p + 1);
        c.file = files && files[p] ? files[p] : fallback;
        if (p == 0) {
            snprintf(first_file, sizeof first_file, "%s", c.file);
        }
        PL_TRY(parse_text(&c, texts[p], lens[p], &root));
        json_t *las = NULL;
        PL_TRY(profile_body(&c, root, &las));
        const char *dom_name;
        PL_TRY(read_domain(&c, las, &tmp, &dom_name));
        if (p == 0) {
            sc = pl_scenario_new(tmp); /* takes the space, also on failure */
            tmp = NULL;
            if (!sc) {
                rc = fail(&c, PL_ENOMEM, NULL, "out of memory");
                goto cleanup;
            }
            if (dom_name && *dom_name && pl_scenario_set_name(sc, dom_name) < 0) {
                rc = fail(&c, PL_ENOMEM, NULL, "out of memory");
                goto cleanup;
            }
        } else {
            if (!pl_space_equal(pl_scenario_space(sc), tmp)) {
                rc = domain_diff(&c, pl_scenario_space(sc), tmp, first_file);
                goto cleanup;
            }
            pl_space_free(tmp);
            tmp = NULL;
        }
        PL_TRY(read_ufun(&c, las, pl_scenario_space(sc), &u));
        double r;
        PL_TRY(read_reservation(&c, las, u, &r));
        if (pl_ufun_set_reservation(u, r) < 0 || pl_ufun_set_discount(u, 1) < 0) {
            rc = fail(&c, PL_EINVAL, ROOT ".reservationBid", "invalid reservation value");
            goto cleanup;
        }
        PL_TRY(party_name(&c, las, sc, &name));
        pl_diag sub;
        pl_diag_clear(&sub);
        rc = pl_scenario_add_party(sc, name, u, &sub); /* takes u */
        u = NULL;
        if (rc < 0) {
            rc = fail(&c, rc, ROOT ".name", "%s", sub.message);
            goto cleanup;
        }
        free(name);
        name = NULL;
        json_decref(root);
        root = NULL;
    }
    if (n < 2) {
        rc = fail(&c, PL_EINVAL, NULL,
                  "a GeniusWeb scenario needs at least 2 profiles (one per party); found %zu", n);
        goto cleanup;
    }
cleanup:
    json_decref(root);
    pl_space_free(tmp);
    pl_ufun_free(u);
    free(name);
    if (rc < 0) {
        pl_scenario_free(sc);
        return rc;
    }
    *out = sc;
    return 0;
}

/* ---- Sniffing ---- */

static size_t skip_ws(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) {
        i++;
    }
    return i;
}

/* A cheap structural scan, no allocation: '{' "LinearAdditiveUtilitySpace" ':' {balanced object} '}' and nothing
 * else. The contents are not validated here; the reader reports their errors. */
int pl__geniusweb_sniff(const char *text, size_t len)
{
    if (!text) {
        return 0;
    }
    size_t i = 0;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF) {
        i = 3;
    }
    i = skip_ws(text, len, i);
    if (i >= len || text[i] != '{') {
        return 0;
    }
    i = skip_ws(text, len, i + 1);
    static const char key[] = "\"" ROOT "\"";
    size_t k = sizeof key - 1;
    if (len - i < k || memcmp(text + i, key, k) != 0) {
        return 0;
    }
    i = skip_ws(text, len, i + k);
    if (i >= len || text[i] != ':') {
        return 0;
    }
    i = skip_ws(text, len, i + 1);
    if (i >= len || text[i] != '{') {
        return 0;
    }
    size_t depth = 0;
    int closed = 0;
    for (; i < len && !closed; i++) {
        char ch = text[i];
        if (ch == '"') {
            for (i++; i < len && text[i] != '"'; i++) {
                if (text[i] == '\\') {
                    i++;
                }
            }
            if (i >= len) {
                return 0;
            }
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            if (--depth == 0) {
                closed = 1;
            }
        }
    }
    if (!closed) {
        return 0;
    }
    i = skip_ws(text, len, i);
    if (i >= len || text[i] != '}') {
        return 0;
    }
    i = skip_ws(text, len, i + 1);
    return i == len || (i + 1 == len && text[i] == '\0');
}
