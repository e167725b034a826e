/* Genius XML reader: a domain (root negotiation_template) plus one profile (root utility_space) per party, with
 * GENIUS 10.4 semantics: a discrete value's utility is its evaluation divided by the issue's largest evaluation; an
 * integer value's is clamp(slope * (x - lowerbound) + offset, 0, 1); real evaluators follow ftype; the utility is
 * the weighted sum (weights are used as written, not renormalised, as GENIUS does). Non-linear profiles
 * (type="nonlinear") hold hyper-rectangle ufuns with sum aggregation, normalised by maxutility. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ufun_internal.h"
#include "io/io_internal.h"

/* Context for diagnostics: the current file. */
typedef struct ctx {
    const char *file;
    pl_diag *d;
    const pl_load_options *opts;
} ctx;

static int fail(const ctx *c, int code, const pl__xnode *n, const char *fmt, ...) PL__PRINTF(4, 5);
static int fail(const ctx *c, int code, const pl__xnode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pl__diag_vset(c->d, code, c->file, n ? n->line : 0, n ? n->column : 0, fmt, ap);
    va_end(ap);
    return code;
}

/* A required numeric attribute: a number into *dbl, or (dbl NULL) an integer into *i64. */
static int attr_num(const ctx *c, const pl__xnode *n, const char *name, double *dbl, int64_t *i64)
{
    const char *v = pl__xml_attr(n, name);
    if (!v) {
        return fail(c, PL_EPARSE, n, "<%s> has no %s attribute", n->name, name);
    }
    if (dbl ? pl__parse_double(v, dbl) < 0 : pl__parse_int64(v, i64) < 0) {
        return fail(c, PL_EPARSE, n, "<%s> %s=\"%s\" is not %s", n->name, name, v, dbl ? "a number" : "an integer");
    }
    return 0;
}

static int attr_double(const ctx *c, const pl__xnode *n, const char *name, double *out)
{
    return attr_num(c, n, name, out, NULL);
}

static int attr_int(const ctx *c, const pl__xnode *n, const char *name, int64_t *out)
{
    return attr_num(c, n, name, NULL, out);
}

/* The issue kind from type / vtype / etype (first present wins, in that order). */
static int issue_kind(const ctx *c, const pl__xnode *n, pl_issue_kind *k)
{
    const char *t = pl__xml_attr(n, "type");
    if (!t) {
        t = pl__xml_attr(n, "vtype");
    }
    if (!t) {
        t = pl__xml_attr(n, "etype");
    }
    if (!t) {
        return fail(c, PL_EPARSE, n, "<issue> has no type attribute");
    }
    if (strcmp(t, "discrete") == 0) {
        *k = PL_ISSUE_DISCRETE;
    } else if (strcmp(t, "integer") == 0) {
        *k = PL_ISSUE_INTEGER;
    } else if (strcmp(t, "real") == 0) {
        *k = PL_ISSUE_REAL;
    } else {
        return fail(c, PL_EUNSUPPORTED, n, "issue type \"%s\" is not supported (discrete, integer, real)", t);
    }
    return 0;
}

/* Collect the <issue> elements under an objective, depth first, in document order. */
static int collect_issues(const ctx *c, const pl__xnode *obj, const pl__xnode **out, size_t *n)
{
    for (const pl__xnode *ch = obj->first; ch; ch = ch->next) {
        if (strcmp(ch->name, "issue") == 0) {
            if (*n >= PL_ISSUES_MAX) {
                return fail(c, PL_ERANGE, ch, "more than %d issues", PL_ISSUES_MAX);
            }
            out[(*n)++] = ch;
        } else if (strcmp(ch->name, "objective") == 0) {
            int rc = collect_issues(c, ch, out, n);
            if (rc < 0) {
                return rc;
            }
        }
    }
    return 0;
}

/* Find the root objective of a utility_space / negotiation_template document. */
static const pl__xnode *find_objective(const pl__xnode *root)
{
    const pl__xnode *us = strcmp(root->name, "utility_space") == 0 ? root : pl__xml_child(root, "utility_space");
    return us ? pl__xml_child(us, "objective") : NULL;
}

/* Numeric bounds of an integer/real issue: attributes, or a <range> child (older files). */
static int issue_bounds(const ctx *c, const pl__xnode *n, int integer, double *lo, double *hi, int64_t *ilo,
                        int64_t *ihi)
{
    const pl__xnode *src = n;
    if (!pl__xml_attr(n, "lowerbound") && pl__xml_child(n, "range")) {
        src = pl__xml_child(n, "range");
    }
    int rc;
    if (integer) {
        if ((rc = attr_int(c, src, "lowerbound", ilo)) < 0 || (rc = attr_int(c, src, "upperbound", ihi)) < 0) {
            return rc;
        }
        return 0;
    }
    if ((rc = attr_double(c, src, "lowerbound", lo)) < 0 || (rc = attr_double(c, src, "upperbound", hi)) < 0) {
        return rc;
    }
    return 0;
}

static int build_space(const ctx *c, const pl__xnode *root, pl_space **out, const pl__xnode ***issues_out,
                       size_t *n_out)
{
    *out = NULL;
    const pl__xnode *obj = find_objective(root);
    if (!obj) {
        return fail(c, PL_EPARSE, root, "domain has no <utility_space><objective> element");
    }
    const pl__xnode **issues = pl__malloc(PL_ISSUES_MAX * sizeof *issues);
    pl_space *s = NULL;
    const char **labels = NULL;
    int rc = 0;
    size_t n = 0;
    if (!issues || pl_space_new(&s, NULL) < 0) {
        rc = fail(c, PL_ENOMEM, NULL, "out of memory");
        goto cleanup;
    }
    PL_TRY(collect_issues(c, obj, issues, &n));
    if (n == 0) {
        rc = fail(c, PL_EPARSE, obj, "domain defines no issues");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        const pl__xnode *is = issues[i];
        const char *name = pl__xml_attr(is, "name");
        if (!name) {
            rc = fail(c, PL_EPARSE, is, "<issue> has no name attribute");
            goto cleanup;
        }
        pl_issue_kind kind = PL_ISSUE_DISCRETE;
        PL_TRY(issue_kind(c, is, &kind));
        pl_diag sub;
        pl_diag_clear(&sub);
        if (kind == PL_ISSUE_DISCRETE) {
            size_t nv = 0;
            for (const pl__xnode *it = pl__xml_child(is, "item"); it; it = pl__xml_next(it, "item")) {
                nv++;
            }
            pl__free(labels);
            labels = pl__calloc(nv ? nv : 1, sizeof *labels);
            if (!labels) {
                rc = fail(c, PL_ENOMEM, NULL, "out of memory");
                goto cleanup;
            }
            size_t k = 0;
            for (const pl__xnode *it = pl__xml_child(is, "item"); it; it = pl__xml_next(it, "item")) {
                labels[k] = pl__xml_attr(it, "value");
                if (!labels[k]) {
                    rc = fail(c, PL_EPARSE, it, "<item> of issue \"%s\" has no value attribute", name);
                    goto cleanup;
                }
                k++;
            }
            rc = pl_space_add_discrete(s, name, nv, labels, &sub);
        } else if (kind == PL_ISSUE_INTEGER) {
            int64_t lo, hi;
            PL_TRY(issue_bounds(c, is, 1, NULL, NULL, &lo, &hi));
            rc = pl_space_add_integer(s, name, lo, hi, 1, &sub);
        } else {
            double lo, hi;
            int64_t levels = c->opts->real_levels;
            PL_TRY(issue_bounds(c, is, 0, &lo, &hi, NULL, NULL));
            /* parley writes a levels attribute (GENIUS ignores it); without it the load option decides. */
            if (pl__xml_attr(is, "levels")) {
                PL_TRY(attr_int(c, is, "levels", &levels));
                if (levels < 1 || levels > PL_ISSUE_VALUES_MAX) {
                    rc = fail(c, PL_ERANGE, is, "levels must be between 1 and %u", PL_ISSUE_VALUES_MAX);
                    goto cleanup;
                }
            }
            rc = pl_space_add_real(s, name, lo, hi, (uint32_t)levels, &sub);
        }
        if (rc < 0) {
            rc = fail(c, rc, is, "%s", sub.message);
            goto cleanup;
        }
    }
cleanup:
    pl__free(labels);
    if (rc < 0) {
        pl_space_free(s);
        pl__free(issues);
        return rc;
    }
    *out = s;
    *issues_out = issues;
    *n_out = n;
    return 0;
}

/* <name value="x"/> or <name>x</name>, a child of the utility_space or of its objective. 1 if found. */
static int scalar_setting(const ctx *c, const pl__xnode *root, const char *name, double *out, int *rc)
{
    const pl__xnode *n = pl__xml_child(root, name);
    if (!n) {
        const pl__xnode *obj = pl__xml_child(root, "objective");
        n = obj ? pl__xml_child(obj, name) : NULL;
    }
    *rc = 0;
    if (!n) {
        return 0;
    }
    const char *v = pl__xml_attr(n, "value");
    if (!v) {
        v = n->text;
    }
    if (!v || pl__parse_double(v, out) < 0) {
        *rc = fail(c, PL_EPARSE, n, "<%s> needs a numeric value (value=\"...\" or text), got \"%s\"", name,
                   v ? v : "");
        return 0;
    }
    return 1;
}

/* The domain issue a profile's <issue> element stands for, by name. */
static long match_issue(const ctx *c, const pl_space *s, const pl__xnode *is, int *rc)
{
    const char *name = pl__xml_attr(is, "name");
    if (!name) {
        *rc = fail(c, PL_EPARSE, is, "<issue> has no name attribute");
        return -1;
    }
    long i = pl_space_find_issue(s, name);
    if (i < 0) {
        *rc = fail(c, PL_ENOTFOUND, is, "issue \"%s\" is not in the domain", name);
    }
    return i;
}

/* Issues refer to each other by their index attribute: map[2k] = issues[k]'s index, map[2k + 1] = its issue in s
 * (the caller frees *out with pl__free). */
static int index_map(const ctx *c, const pl_space *s, const pl__xnode *const *issues, size_t n_issues, long **out)
{
    long *map = pl__malloc((n_issues ? n_issues : 1) * 2 * sizeof *map);
    int rc = 0;
    if (!map) {
        return fail(c, PL_ENOMEM, NULL, "out of memory");
    }
    for (size_t k = 0; k < n_issues && rc == 0; k++) {
        int64_t idx;
        long i = match_issue(c, s, issues[k], &rc);
        if (i >= 0 && (rc = attr_int(c, issues[k], "index", &idx)) == 0) {
            map[2 * k] = (long)idx;
            map[2 * k + 1] = i;
        }
    }
    if (rc < 0) {
        pl__free(map);
        return rc;
    }
    *out = map;
    return 0;
}

static int read_discrete_eval(const ctx *c, pl_ufun *u, size_t i, const pl__xnode *is)
{
    const pl_space *s = u->space;
    uint32_t nv = pl_space_value_count(s, i);
    double *vals = pl__calloc(nv, sizeof *vals);
    char *seen = pl__calloc(nv, 1);
    int rc = 0;
    if (!vals || !seen) {
        rc = fail(c, PL_ENOMEM, NULL, "out of memory");
        goto cleanup;
    }
    double max = 0;
    for (const pl__xnode *it = pl__xml_child(is, "item"); it; it = pl__xml_next(it, "item")) {
        const char *label = pl__xml_attr(it, "value");
        if (!label) {
            rc = fail(c, PL_EPARSE, it, "<item> has no value attribute");
            goto cleanup;
        }
        long v = pl_space_find_value(s, i, label);
        if (v < 0) {
            rc = fail(c, PL_ENOTFOUND, it, "issue \"%s\" has no value \"%s\" in the domain",
                      pl_space_issue_name(s, i), label);
            goto cleanup;
        }
        double e;
        PL_TRY(attr_double(c, it, "evaluation", &e));
        if (e < 0) {
            rc = fail(c, PL_ERANGE, it, "evaluation %s of value \"%s\" is negative", pl__xml_attr(it, "evaluation"),
                      label);
            goto cleanup;
        }
        vals[v] = e;
        seen[v] = 1;
        if (e > max) {
            max = e;
        }
    }
    for (uint32_t v = 0; v < nv; v++) {
        if (!seen[v]) {
            rc = fail(c, PL_EPARSE, is, "issue \"%s\": no evaluation for value \"%s\"", pl_space_issue_name(s, i),
                      pl_space_value_label_ref(s, i, v));
            goto cleanup;
        }
        /* GENIUS divides by the largest evaluation; an all-zero issue is worth 0 everywhere. */
        vals[v] = max > 0 ? vals[v] / max : 0;
    }
    if (pl_ufun_linear_set_table(u, i, vals) < 0) {
        rc = fail(c, PL_EINVAL, is, "invalid evaluations");
    }
cleanup:
    pl__free(vals);
    pl__free(seen);
    return rc;
}

static int read_numeric_eval(const ctx *c, pl_ufun *u, size_t i, const pl__xnode *is)
{
    const pl__xnode *ev = pl__xml_child(is, "evaluator");
    const char *name = pl_space_issue_name(u->space, i);
    if (!ev) {
        return fail(c, PL_EPARSE, is, "numeric issue \"%s\" has no <evaluator>", name);
    }
    const char *ftype = pl__xml_attr(ev, "ftype");
    if (!ftype) {
        ftype = "linear";
    }
    double lower;
    pl_space_issue_range(u->space, i, &lower, NULL, NULL);
    pl_vf vf;
    memset(&vf, 0, sizeof vf);
    int rc;
    int integer = pl_space_issue_kind(u->space, i) == PL_ISSUE_INTEGER;
    if (strcmp(ftype, "linear") == 0 && integer) {
        vf.kind = PL_VF_LINEAR;
        if ((rc = attr_double(c, ev, "slope", &vf.slope)) < 0 || (rc = attr_double(c, ev, "offset", &vf.offset)) < 0) {
            return rc;
        }
    } else if (strcmp(ftype, "linear") == 0) {
        /* Real: parameter0 + parameter1 * x, i.e. offset p0 + p1 * lower at the lower bound. */
        double p0, p1;
        if ((rc = attr_double(c, ev, "parameter0", &p0)) < 0 || (rc = attr_double(c, ev, "parameter1", &p1)) < 0) {
            return rc;
        }
        vf.kind = PL_VF_LINEAR;
        vf.slope = p1;
        vf.offset = p0 + p1 * lower;
    } else if (strcmp(ftype, "constant") == 0) {
        vf.kind = PL_VF_LINEAR;
        if ((rc = attr_double(c, ev, "parameter0", &vf.offset)) < 0) {
            return rc;
        }
    } else if (strcmp(ftype, "triangular") == 0) {
        /* parameter0 .. parameter1: the support; parameter2: the peak (utility 1). */
        vf.kind = PL_VF_TRIANGULAR;
        if ((rc = attr_double(c, ev, "parameter0", &vf.start)) < 0 ||
            (rc = attr_double(c, ev, "parameter1", &vf.end)) < 0 ||
            (rc = attr_double(c, ev, "parameter2", &vf.peak)) < 0) {
            return rc;
        }
    } else {
        return fail(c, PL_EUNSUPPORTED, ev, "evaluator ftype \"%s\" is not supported (linear, constant, triangular)",
                    ftype);
    }
    if (pl_ufun_linear_set_vf(u, i, &vf) < 0) {
        return fail(c, PL_EINVAL, ev, "invalid evaluator for issue \"%s\" (need finite numbers, start <= peak <= end)",
                    name);
    }
    return 0;
}

/* 1 if idx is the index attribute of obj or of an objective nested in it. */
static int names_objective(const pl__xnode *obj, int64_t idx)
{
    int64_t x;
    const char *v = pl__xml_attr(obj, "index");
    if (v && pl__parse_int64(v, &x) == 0 && x == idx) {
        return 1;
    }
    for (const pl__xnode *ch = pl__xml_child(obj, "objective"); ch; ch = pl__xml_next(ch, "objective")) {
        if (names_objective(ch, idx)) {
            return 1;
        }
    }
    return 0;
}

static int read_linear(const ctx *c, const pl_space *s, const pl__xnode *root, const pl__xnode *const *dom_issues,
                       pl_ufun **out)
{
    (void)dom_issues;
    const pl__xnode *obj = pl__xml_child(root, "objective");
    if (!obj) {
        return fail(c, PL_EPARSE, root, "profile has no <objective> element");
    }
    pl_ufun *u = NULL;
    const pl__xnode **issues = pl__malloc(PL_ISSUES_MAX * sizeof *issues);
    size_t n = pl_space_issue_count(s);
    char *seen = pl__calloc(n, 1);
    char *weighted = pl__calloc(n, 1);
    long *by_index = NULL;
    size_t n_issues = 0;
    int rc = 0;
    if (pl_ufun_linear_new(s, &u, NULL) < 0 || !issues || !seen || !weighted) {
        rc = fail(c, PL_ENOMEM, NULL, "out of memory");
        goto cleanup;
    }
    PL_TRY(collect_issues(c, obj, issues, &n_issues));
    /* Weights refer to issues by their index attribute. */
    PL_TRY(index_map(c, s, issues, n_issues, &by_index));
    for (size_t k = 0; k < n_issues; k++) {
        long i = by_index[2 * k + 1];
        if (seen[i]) {
            rc = fail(c, PL_EPARSE, issues[k], "issue \"%s\" is evaluated twice", pl_space_issue_name(s, (size_t)i));
            goto cleanup;
        }
        seen[i] = 1;
        if (pl_space_issue_kind(s, (size_t)i) == PL_ISSUE_DISCRETE) {
            PL_TRY(read_discrete_eval(c, u, (size_t)i, issues[k]));
        } else {
            PL_TRY(read_numeric_eval(c, u, (size_t)i, issues[k]));
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!seen[i]) {
            rc = fail(c, PL_EPARSE, obj, "profile does not evaluate issue \"%s\"", pl_space_issue_name(s, i));
            goto cleanup;
        }
    }
    for (const pl__xnode *w = pl__xml_child(obj, "weight"); w; w = pl__xml_next(w, "weight")) {
        int64_t idx;
        double val;
        PL_TRY(attr_int(c, w, "index", &idx));
        PL_TRY(attr_double(c, w, "value", &val));
        long i = -1;
        for (size_t k = 0; k < n_issues; k++) {
            if (by_index[2 * k] == idx) {
                i = by_index[2 * k + 1];
            }
        }
        if (i < 0 && names_objective(obj, idx)) {
            continue; /* an objective's own weight: GENIUS's additive utility sums issue weights only */
        }
        if (i < 0) {
            rc = fail(c, PL_ENOTFOUND, w, "<weight index=\"%lld\"> names no issue of this profile", (long long)idx);
            goto cleanup;
        }
        if (val < 0) {
            rc = fail(c, PL_ERANGE, w, "weight of issue \"%s\" is negative (%s)", pl_space_issue_name(s, (size_t)i),
                      pl__xml_attr(w, "value"));
            goto cleanup;
        }
        if (weighted[i]) {
            rc = fail(c, PL_EPARSE, w, "issue \"%s\" is weighted twice", pl_space_issue_name(s, (size_t)i));
            goto cleanup;
        }
        weighted[i] = 1;
        pl_ufun_linear_set_weight(u, (size_t)i, val);
    }
    for (size_t i = 0; i < n; i++) {
        if (!weighted[i]) {
            rc = fail(c, PL_EPARSE, obj, "profile gives no weight for issue \"%s\"", pl_space_issue_name(s, i));
            goto cleanup;
        }
    }
cleanup:
    pl__free(issues);
    pl__free(seen);
    pl__free(weighted);
    pl__free(by_index);
    return pl__ufun_done(rc, u, out);
}

/* Hyper-rectangle ufuns, nested: every rectangle's utility is multiplied by the weights of its enclosing ufuns. */
static int read_rect_ufun(const ctx *c, pl_ufun *u, const pl__xnode *uf, double scale, const long *index_map,
                          size_t map_n, int depth)
{
    const char *agg = pl__xml_attr(uf, "aggregation");
    if (agg && strcmp(agg, "sum") != 0) {
        return fail(c, PL_EUNSUPPORTED, uf, "ufun aggregation \"%s\" is not supported (only sum)", agg);
    }
    const char *type = pl__xml_attr(uf, "type");
    if (type && strcmp(type, "PlainUfun") != 0) {
        return fail(c, PL_EUNSUPPORTED, uf, "ufun type \"%s\" is not supported (only PlainUfun)", type);
    }
    double w = 1;
    if (pl__xml_attr(uf, "weight")) {
        int rc = attr_double(c, uf, "weight", &w);
        if (rc < 0) {
            return rc;
        }
    }
    scale *= w;
    const pl_space *s = u->space;
    for (const pl__xnode *ch = uf->first; ch; ch = ch->next) {
        int rc;
        if (strcmp(ch->name, "ufun") == 0) {
            if (depth > 16) {
                return fail(c, PL_ERANGE, ch, "ufuns nested too deeply");
            }
            if ((rc = read_rect_ufun(c, u, ch, scale, index_map, map_n, depth + 1)) < 0) {
                return rc;
            }
            continue;
        }
        if (strcmp(ch->name, "hyperRectangle") != 0) {
            continue;
        }
        double util;
        if ((rc = attr_double(c, ch, "utility", &util)) < 0) {
            return rc;
        }
        pl_rect_bound bounds[64];
        size_t nb = 0;
        int empty = 0;
        for (const pl__xnode *b = ch->first; b; b = b->next) {
            int exclude = strcmp(b->name, "EXCLUDES") == 0;
            if (!exclude && strcmp(b->name, "INCLUDES") != 0) {
                continue;
            }
            int64_t idx, mn, mx;
            if ((rc = attr_int(c, b, "index", &idx)) < 0 || (rc = attr_int(c, b, "min", &mn)) < 0 ||
                (rc = attr_int(c, b, "max", &mx)) < 0) {
                return rc;
            }
            long i = -1;
            for (size_t k = 0; k < map_n; k++) {
                if (index_map[2 * k] == idx) {
                    i = index_map[2 * k + 1];
                }
            }
            if (i < 0) {
                return fail(c, PL_ENOTFOUND, b, "<%s index=\"%lld\"> names no issue", b->name, (long long)idx);
            }
            if (pl_space_issue_kind(s, (size_t)i) != PL_ISSUE_INTEGER) {
                return fail(c, PL_EUNSUPPORTED, b, "hyper-rectangle bounds are supported on integer issues only");
            }
            if (mn > mx) {
                return fail(c, PL_EPARSE, b, "min %lld is above max %lld", (long long)mn, (long long)mx);
            }
            if (nb == 64) {
                return fail(c, PL_ERANGE, b, "more than 64 bounds in one hyper-rectangle");
            }
            double lo, hi;
            pl_space_issue_range(s, (size_t)i, &lo, &hi, NULL);
            /* Convert to value indices, clipped to the issue's range. */
            if ((double)mx < lo || (double)mn > hi) {
                if (!exclude) {
                    empty = 1; /* never satisfied */
                }
                continue; /* an exclusion of nothing always holds */
            }
            int64_t a = (double)mn < lo ? 0 : mn - (int64_t)lo;
            int64_t z = (double)mx > hi ? (int64_t)(hi - lo) : mx - (int64_t)lo;
            bounds[nb].issue = (uint32_t)i;
            bounds[nb].lo = (uint32_t)a;
            bounds[nb].hi = (uint32_t)z;
            bounds[nb].exclude = exclude;
            nb++;
        }
        if (empty) {
            continue;
        }
        if (pl_ufun_rect_add(u, util * scale, nb, bounds) < 0) {
            return fail(c, PL_EINVAL, ch, "invalid hyper-rectangle");
        }
    }
    return 0;
}

static int read_rect(const ctx *c, const pl_space *s, const pl__xnode *root, pl_ufun **out)
{
    const pl__xnode *obj = pl__xml_child(root, "objective");
    if (!obj) {
        return fail(c, PL_EPARSE, root, "profile has no <objective> element");
    }
    const pl__xnode *ut = pl__xml_child(obj, "utility");
    if (!ut) {
        ut = pl__xml_child(root, "utility");
    }
    if (!ut) {
        return fail(c, PL_EPARSE, obj, "non-linear profile has no <utility> element");
    }
    double maxu;
    int rc = attr_double(c, ut, "maxutility", &maxu);
    if (rc < 0) {
        return rc;
    }
    if (!(maxu > 0)) {
        return fail(c, PL_ERANGE, ut, "maxutility must be positive");
    }
    /* INCLUDES/EXCLUDES refer to issues by their index attribute in this profile (or the domain's order). */
    const pl__xnode **issues = pl__malloc(PL_ISSUES_MAX * sizeof *issues);
    long *map = NULL;
    size_t n_issues = 0;
    pl_ufun *u = NULL;
    if (!issues) {
        return fail(c, PL_ENOMEM, NULL, "out of memory");
    }
    PL_TRY(collect_issues(c, obj, issues, &n_issues));
    PL_TRY(index_map(c, s, issues, n_issues, &map));
    if (pl_ufun_rect_new(s, maxu, &u, NULL) < 0) {
        rc = fail(c, PL_ENOMEM, NULL, "out of memory");
        goto cleanup;
    }
    for (const pl__xnode *uf = pl__xml_child(ut, "ufun"); uf; uf = pl__xml_next(uf, "ufun")) {
        PL_TRY(read_rect_ufun(c, u, uf, 1.0, map, n_issues, 0));
    }
cleanup:
    pl__free(issues);
    pl__free(map);
    return pl__ufun_done(rc, u, out);
}

int pl__genius_build(const pl__xnode *domain, const char *domain_file, const pl__xnode *const *profiles,
                     const char *const *profile_files, const char *const *names, size_t n,
                     const pl_load_options *opts, pl_scenario **out, pl_diag *d)
{
    *out = NULL;
    ctx c = {domain_file, d, opts};
    if (strcmp(domain->name, "negotiation_template") != 0) {
        return fail(&c, PL_EPARSE, domain, "expected a domain (root <negotiation_template>), found <%s>",
                    domain->name);
    }
    if (n < 2) {
        return fail(&c, PL_EINVAL, NULL, "a scenario needs at least 2 profiles; found %zu", n);
    }
    pl_space *s;
    const pl__xnode **dom_issues = NULL;
    size_t n_dom;
    int rc = build_space(&c, domain, &s, &dom_issues, &n_dom);
    if (rc < 0) {
        return rc;
    }
    pl_scenario *sc = NULL;
    if (pl_scenario_new(s, &sc, NULL) < 0) {
        pl__free(dom_issues);
        return fail(&c, PL_ENOMEM, NULL, "out of memory");
    }
    for (size_t p = 0; p < n; p++) {
        c.file = profile_files[p];
        const pl__xnode *root = profiles[p];
        if (strcmp(root->name, "utility_space") != 0) {
            rc = fail(&c, PL_EPARSE, root, "expected a profile (root <utility_space>), found <%s>", root->name);
            goto cleanup;
        }
        const char *type = pl__xml_attr(root, "type");
        pl_ufun *u = NULL;
        if (type && strcmp(type, "nonlinear") == 0) {
            PL_TRY(read_rect(&c, s, root, &u));
        } else {
            PL_TRY(read_linear(&c, s, root, dom_issues, &u));
        }
        double r = 0, df = 1;
        int found = scalar_setting(&c, root, "reservation", &r, &rc);
        if (rc < 0) {
            pl_ufun_free(u);
            goto cleanup;
        }
        found = scalar_setting(&c, root, "discount_factor", &df, &rc);
        (void)found;
        if (rc < 0) {
            pl_ufun_free(u);
            goto cleanup;
        }
        pl_ufun_set_reservation(u, r);
        pl_ufun_set_discount(u, df);
        if ((rc = pl__check_party(u, names[p], c.file, root->line, NULL, opts, d)) < 0) {
            pl_ufun_free(u);
            goto cleanup;
        }
        pl_diag sub;
        pl_diag_clear(&sub);
        if ((rc = pl_scenario_add_party(sc, names[p], u, &sub)) < 0) {
            rc = fail(&c, rc, root, "%s", sub.message);
            goto cleanup;
        }
    }
cleanup:
    pl__free(dom_issues);
    if (rc < 0) {
        pl_scenario_free(sc);
        return rc;
    }
    *out = sc;
    return 0;
}
