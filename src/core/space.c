/* Outcome spaces: issues, values, outcome counting with overflow detection, and the dense mixed-radix index.
 * Invariant: stride[i] = product of value counts of issues after i, valid while `enumerable`. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/space_internal.h"

int pl_space_new(pl_space **out, pl_diag *d)
{
    if (!out) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "pl_space_new: out is NULL");
    }
    pl_space *s = pl__calloc(1, sizeof *s);
    *out = s;
    if (!s) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    s->enumerable = 1;
    s->count = 1;
    return 0;
}

static void issue_destroy(pl__issue *is)
{
    pl__free(is->index);
    pl__free(is->name);
    if (is->labels) {
        for (uint32_t v = 0; v < is->n; v++) {
            pl__free(is->labels[v]);
        }
        pl__free(is->labels);
    }
}

void pl_space_free(pl_space *s)
{
    if (!s) {
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        issue_destroy(&s->issues[i]);
    }
    pl__free(s->issues);
    pl__free(s->stride);
    pl__free(s);
}

/* Recompute count, log10 size and strides after an issue was added. */
static int recount(pl_space *s)
{
    uint64_t *stride = pl__realloc(s->stride, (s->n ? s->n : 1) * sizeof *stride);
    if (!stride) {
        return PL_ENOMEM;
    }
    s->stride = stride;
    const uint64_t limit = (uint64_t)1 << 63;
    uint64_t c = 1;
    int ok = 1;
    double lg = 0;
    for (size_t k = s->n; k-- > 0;) {
        uint32_t n = s->issues[k].n;
        stride[k] = c;
        lg += log10((double)n);
        if (ok && c > (limit - 1) / n) {
            ok = 0;
        }
        if (ok) {
            c *= n;
        }
    }
    s->enumerable = ok;
    s->count = ok ? c : 0;
    s->log10 = lg;
    return 0;
}

static int check_new_issue(pl_space *s, const char *name, pl_diag *d)
{
    if (!name || !*name) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "an issue needs a non-empty name");
    }
    if (pl_space_find_issue(s, name) >= 0) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "issue \"%s\" is defined twice", name);
    }
    if (s->n >= PL_ISSUES_MAX) {
        return pl__diag_set(d, PL_ERANGE, NULL, 0, 0, "more than %d issues", PL_ISSUES_MAX);
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 8;
        pl__issue *p = pl__realloc(s->issues, cap * sizeof *p);
        if (!p) {
            return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        }
        s->issues = p;
        s->cap = cap;
    }
    return 0;
}

static int commit_issue(pl_space *s, pl__issue *is, pl_diag *d)
{
    s->issues[s->n++] = *is;
    if (recount(s) < 0) {
        s->n--;
        issue_destroy(is);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return 0;
}

/* FNV-1a (Fowler, Noll, Vo): the label hash. */
static uint32_t label_hash(const char *label)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)label; *p; p++) {
        h = (h ^ *p) * 16777619u;
    }
    return h;
}

/* The slot holding label, or the empty slot where it would go. */
static uint32_t index_slot(const pl__issue *is, const char *label)
{
    uint32_t k = label_hash(label) & is->index_mask;
    while (is->index[k] != 0 && strcmp(is->labels[is->index[k] - 1], label) != 0) {
        k = (k + 1) & is->index_mask;
    }
    return k;
}

/* Build the label index (at most half full, so probes stay short) and refuse duplicate labels: O(n) expected, so a
 * million-value issue loads in well under a second. */
static int index_labels(pl__issue *is, pl_diag *d)
{
    uint32_t slots = 16;
    while (slots < 2 * is->n) {
        slots *= 2;
    }
    is->index_mask = slots - 1;
    if (!(is->index = pl__calloc(slots, sizeof *is->index))) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (uint32_t v = 0; v < is->n; v++) {
        uint32_t k = index_slot(is, is->labels[v]);
        if (is->index[k] != 0) {
            return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "issue \"%s\": value \"%s\" appears twice", is->name,
                                is->labels[v]);
        }
        is->index[k] = v + 1;
    }
    return 0;
}

int pl_space_add_discrete(pl_space *s, const char *name, size_t n_values, const char *const *labels, pl_diag *d)
{
    int rc = check_new_issue(s, name, d);
    if (rc < 0) {
        return rc;
    }
    if (n_values == 0) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "issue \"%s\" has no values", name);
    }
    if (n_values > PL_ISSUE_VALUES_MAX) {
        return pl__diag_set(d, PL_ERANGE, NULL, 0, 0, "issue \"%s\" has %zu values; at most %u are supported", name,
                            n_values, PL_ISSUE_VALUES_MAX);
    }
    for (size_t v = 0; v < n_values; v++) {
        if (!labels[v] || !*labels[v]) {
            return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "issue \"%s\": value %zu has an empty label", name, v + 1);
        }
    }
    pl__issue is;
    memset(&is, 0, sizeof is);
    is.kind = PL_ISSUE_DISCRETE;
    is.n = (uint32_t)n_values;
    is.name = pl__strdup(name);
    is.labels = pl__calloc(n_values, sizeof *is.labels);
    if (!is.name || !is.labels) {
        issue_destroy(&is);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t v = 0; v < n_values; v++) {
        is.labels[v] = pl__strdup(labels[v]);
        if (!is.labels[v]) {
            issue_destroy(&is);
            return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        }
    }
    if ((rc = index_labels(&is, d)) < 0) {
        issue_destroy(&is);
        return rc;
    }
    return commit_issue(s, &is, d);
}

int pl_space_add_integer(pl_space *s, const char *name, int64_t lower, int64_t upper, int64_t step, pl_diag *d)
{
    int rc = check_new_issue(s, name, d);
    if (rc < 0) {
        return rc;
    }
    if (upper < lower) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "issue \"%s\": upper bound %lld is below lower bound %lld",
                            name, (long long)upper, (long long)lower);
    }
    if (step <= 0) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "issue \"%s\": step must be positive", name);
    }
    /* Count in unsigned arithmetic: upper - lower can exceed INT64_MAX. */
    uint64_t span = (uint64_t)upper - (uint64_t)lower;
    if (span % (uint64_t)step != 0) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0,
                            "issue \"%s\": the range %lld..%lld is not a whole number of steps of %lld", name,
                            (long long)lower, (long long)upper, (long long)step);
    }
    uint64_t n = span / (uint64_t)step + 1;
    if (n > PL_ISSUE_VALUES_MAX || n == 0) {
        return pl__diag_set(d, PL_ERANGE, NULL, 0, 0,
                            "issue \"%s\" has %llu values; at most %u are supported (use a larger step)", name,
                            (unsigned long long)n, PL_ISSUE_VALUES_MAX);
    }
    pl__issue is;
    memset(&is, 0, sizeof is);
    is.kind = PL_ISSUE_INTEGER;
    is.n = (uint32_t)n;
    is.ilo = lower;
    is.ihi = upper;
    is.istep = step;
    is.name = pl__strdup(name);
    if (!is.name) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return commit_issue(s, &is, d);
}

int pl_space_add_real(pl_space *s, const char *name, double lower, double upper, uint32_t levels, pl_diag *d)
{
    int rc = check_new_issue(s, name, d);
    if (rc < 0) {
        return rc;
    }
    if (!isfinite(lower) || !isfinite(upper) || upper < lower) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "issue \"%s\": bounds must be finite with lower <= upper",
                            name);
    }
    if (levels == 0) {
        levels = PL_REAL_LEVELS_DEFAULT;
    }
    if (levels > PL_ISSUE_VALUES_MAX) {
        return pl__diag_set(d, PL_ERANGE, NULL, 0, 0, "issue \"%s\": %u levels; at most %u are supported", name,
                            levels, PL_ISSUE_VALUES_MAX);
    }
    if (upper == lower) {
        levels = 1;
    } else if (levels < 2) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "issue \"%s\": a real range needs at least 2 levels", name);
    }
    pl__issue is;
    memset(&is, 0, sizeof is);
    is.kind = PL_ISSUE_REAL;
    is.n = levels;
    is.rlo = lower;
    is.rhi = upper;
    is.name = pl__strdup(name);
    if (!is.name) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return commit_issue(s, &is, d);
}

int pl_space_copy(const pl_space *src, pl_space **out, pl_diag *d)
{
    if (!out) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "pl_space_copy: out is NULL");
    }
    *out = NULL;
    if (!src) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "pl_space_copy: no space to copy");
    }
    pl_space *s = NULL;
    int rc = pl_space_new(&s, d);
    if (rc < 0) {
        return rc;
    }
    for (size_t i = 0; i < src->n; i++) {
        const pl__issue *is = &src->issues[i];
        switch (is->kind) {
        case PL_ISSUE_DISCRETE:
            rc = pl_space_add_discrete(s, is->name, is->n, (const char *const *)is->labels, d);
            break;
        case PL_ISSUE_INTEGER:
            rc = pl_space_add_integer(s, is->name, is->ilo, is->ihi, is->istep, d);
            break;
        default:
            rc = pl_space_add_real(s, is->name, is->rlo, is->rhi, is->n, d);
            break;
        }
        if (rc < 0) {
            pl_space_free(s);
            return rc;
        }
    }
    *out = s;
    return 0;
}

size_t pl_space_issue_count(const pl_space *s)
{
    return s->n;
}

const char *pl_space_issue_name(const pl_space *s, size_t issue)
{
    return s->issues[issue].name;
}

pl_issue_kind pl_space_issue_kind(const pl_space *s, size_t issue)
{
    return s->issues[issue].kind;
}

uint32_t pl_space_value_count(const pl_space *s, size_t issue)
{
    return s->issues[issue].n;
}

uint32_t pl_space_issue_levels(const pl_space *s, size_t issue)
{
    return s->issues[issue].n;
}

void pl_space_issue_range(const pl_space *s, size_t issue, double *lower, double *upper, double *step)
{
    const pl__issue *is = &s->issues[issue];
    double lo = 0, hi = 0, st = 0;
    if (is->kind == PL_ISSUE_INTEGER) {
        lo = (double)is->ilo;
        hi = (double)is->ihi;
        st = (double)is->istep;
    } else if (is->kind == PL_ISSUE_REAL) {
        lo = is->rlo;
        hi = is->rhi;
    }
    if (lower) {
        *lower = lo;
    }
    if (upper) {
        *upper = hi;
    }
    if (step) {
        *step = st;
    }
}

long pl_space_find_issue(const pl_space *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->issues[i].name, name) == 0) {
            return (long)i;
        }
    }
    return -1;
}

double pl_space_value_number(const pl_space *s, size_t issue, uint32_t value)
{
    const pl__issue *is = &s->issues[issue];
    switch (is->kind) {
    case PL_ISSUE_INTEGER:
        return (double)(is->ilo + (int64_t)value * is->istep);
    case PL_ISSUE_REAL:
        if (is->n == 1) {
            return is->rlo;
        }
        if (value == is->n - 1) {
            return is->rhi; /* exact upper bound, no rounding drift */
        }
        return is->rlo + (is->rhi - is->rlo) * ((double)value / (double)(is->n - 1));
    default:
        return (double)value;
    }
}

long pl_space_find_value(const pl_space *s, size_t issue, const char *label)
{
    const pl__issue *is = &s->issues[issue];
    switch (is->kind) {
    case PL_ISSUE_DISCRETE: {
        uint32_t k = index_slot(is, label);
        return is->index[k] ? (long)is->index[k] - 1 : -1;
    }
    case PL_ISSUE_INTEGER: {
        int64_t x;
        if (pl__parse_int64(label, &x) < 0 || x < is->ilo || x > is->ihi) {
            return -1;
        }
        uint64_t off = (uint64_t)x - (uint64_t)is->ilo;
        if (off % (uint64_t)is->istep) {
            return -1;
        }
        return (long)(off / (uint64_t)is->istep);
    }
    default: {
        double x;
        if (pl__parse_double(label, &x) < 0) {
            return -1;
        }
        /* The nearest level, accepted when it matches to a relative 1e-9 of the range. */
        double span = is->rhi - is->rlo;
        if (is->n == 1) {
            return fabs(x - is->rlo) <= 1e-9 * (fabs(is->rlo) + 1) ? 0 : -1;
        }
        double pos = (x - is->rlo) / span * (double)(is->n - 1);
        if (!(pos > -0.5 && pos < (double)is->n - 0.5)) {
            return -1;
        }
        uint32_t v = (uint32_t)floor(pos + 0.5);
        double tol = 1e-9 * (span + fabs(x));
        return fabs(pl_space_value_number(s, issue, v) - x) <= tol ? (long)v : -1;
    }
    }
}

const char *pl_space_value_label_ref(const pl_space *s, size_t issue, uint32_t value)
{
    const pl__issue *is = &s->issues[issue];
    return is->kind == PL_ISSUE_DISCRETE ? is->labels[value] : NULL;
}

char *pl_space_value_label(const pl_space *s, size_t issue, uint32_t value, char *buf, size_t size)
{
    const pl__issue *is = &s->issues[issue];
    switch (is->kind) {
    case PL_ISSUE_DISCRETE:
        snprintf(buf, size, "%s", is->labels[value]);
        break;
    case PL_ISSUE_INTEGER:
        snprintf(buf, size, "%lld", (long long)(is->ilo + (int64_t)value * is->istep));
        break;
    default: {
        char tmp[40];
        snprintf(buf, size, "%s", pl__fmt_double(pl_space_value_number(s, issue, value), tmp, sizeof tmp));
        break;
    }
    }
    return buf;
}

int pl_space_outcome_count(const pl_space *s, uint64_t *count)
{
    if (!s->enumerable) {
        return PL_ERANGE;
    }
    *count = s->count;
    return 0;
}

double pl_space_log10_size(const pl_space *s)
{
    return s->log10;
}

int pl_space_outcome_valid(const pl_space *s, const uint32_t *o)
{
    for (size_t i = 0; i < s->n; i++) {
        if (o[i] >= s->issues[i].n) {
            return 0;
        }
    }
    return 1;
}

int pl_space_outcome_index(const pl_space *s, const uint32_t *o, uint64_t *index)
{
    if (!s->enumerable || !pl_space_outcome_valid(s, o)) {
        return PL_ERANGE;
    }
    uint64_t x = 0;
    for (size_t i = 0; i < s->n; i++) {
        x += (uint64_t)o[i] * s->stride[i];
    }
    *index = x;
    return 0;
}

int pl_space_outcome_at(const pl_space *s, uint64_t index, uint32_t *o)
{
    if (!s->enumerable || index >= s->count) {
        return PL_ERANGE;
    }
    for (size_t i = 0; i < s->n; i++) {
        o[i] = (uint32_t)(index / s->stride[i]);
        index %= s->stride[i];
    }
    return 0;
}

/* Does text at p start with "<issue name>=" for some issue (after optional blanks)? Returns the issue or -1 and the
 * position after '='. The longest matching name wins, so "a b=..." is not read as issue "a". */
static long issue_at(const pl_space *s, const char *p, const char **after)
{
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    long best = -1;
    size_t best_len = 0;
    for (size_t i = 0; i < s->n; i++) {
        size_t k = strlen(s->issues[i].name);
        if (k > best_len && strncmp(p, s->issues[i].name, k) == 0) {
            const char *q = p + k;
            while (*q == ' ' || *q == '\t') {
                q++;
            }
            if (*q == '=') {
                best = (long)i;
                best_len = k;
                *after = q + 1;
            }
        }
    }
    return best;
}

/* "unknown issue "X" in outcome" with the nearest issue name as a suggestion. */
static int unknown_issue(const pl_space *s, const char *name, size_t len, pl_diag *d)
{
    char word[256];
    snprintf(word, sizeof word, "%.*s", (int)(len < sizeof word ? len : sizeof word - 1), name);
    const char **names = pl__malloc((s->n ? s->n : 1) * sizeof *names);
    long near = -1;
    if (names) {
        for (size_t i = 0; i < s->n; i++) {
            names[i] = s->issues[i].name;
        }
        near = pl__nearest_name(word, names, s->n);
        pl__free((void *)names);
    }
    if (near >= 0) {
        return pl__diag_set(d, PL_ENOTFOUND, NULL, 0, 0, "unknown issue \"%s\" in outcome (did you mean \"%s\"?)", word,
                            s->issues[near].name);
    }
    return pl__diag_set(d, PL_ENOTFOUND, NULL, 0, 0, "unknown issue \"%s\" in outcome", word);
}

/* label is not a value of issue i. When it holds ",name=..." after a valid value, the name is a misspelt issue
 * (salary=75000,remote_day=2 reads as salary = "75000,remote_day=2"): say that, not that the value is unknown. */
static int unknown_value(const pl_space *s, size_t i, const char *label, pl_diag *d)
{
    for (const char *c = strchr(label, ','); c; c = strchr(c + 1, ',')) {
        const char *name = c + 1, *eq = strchr(name, '=');
        if (!eq || memchr(name, ',', (size_t)(eq - name))) {
            continue;
        }
        char *head = pl__strndup(label, (size_t)(c - label));
        long v = head ? pl_space_find_value(s, i, head) : -1;
        pl__free(head);
        if (v >= 0) {
            while (*name == ' ' || *name == '\t') {
                name++;
            }
            size_t len = (size_t)(eq - name);
            while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t')) {
                len--;
            }
            return unknown_issue(s, name, len, d);
        }
    }
    const pl__issue *is = &s->issues[i];
    long near = is->kind == PL_ISSUE_DISCRETE ? pl__nearest_name(label, (const char *const *)is->labels, is->n) : -1;
    if (near >= 0) {
        return pl__diag_set(d, PL_ENOTFOUND, NULL, 0, 0, "issue \"%s\" has no value \"%s\" (did you mean \"%s\"?)",
                            is->name, label, is->labels[near]);
    }
    return pl__diag_set(d, PL_ENOTFOUND, NULL, 0, 0, "issue \"%s\" has no value \"%s\"", is->name, label);
}

int pl_space_parse_outcome(const pl_space *s, const char *text, uint32_t *outcome, pl_diag *d)
{
    int rc = 0;
    char *seen = pl__calloc(s->n ? s->n : 1, 1);
    if (!seen) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    const char *p = text;
    while (*p) {
        const char *val;
        long i = issue_at(s, p, &val);
        if (i < 0) {
            const char *eq = strchr(p, '=');
            rc = unknown_issue(s, p, eq ? (size_t)(eq - p) : strlen(p), d);
            goto cleanup;
        }
        if (seen[i]) {
            rc = pl__diag_set(d, PL_EPARSE, NULL, 0, 0, "issue \"%s\" given twice in outcome", s->issues[i].name);
            goto cleanup;
        }
        /* The value runs to the next ",<issue>=" or the end; labels may contain commas. */
        const char *end = val;
        for (;;) {
            const char *c = strchr(end, ',');
            if (!c) {
                end = val + strlen(val);
                break;
            }
            const char *dummy;
            if (issue_at(s, c + 1, &dummy) >= 0) {
                end = c;
                break;
            }
            end = c + 1;
        }
        while (val < end && (*val == ' ' || *val == '\t')) {
            val++;
        }
        size_t len = (size_t)(end - val);
        while (len > 0 && (val[len - 1] == ' ' || val[len - 1] == '\t')) {
            len--;
        }
        char *label = pl__strndup(val, len);
        if (!label) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        long v = pl_space_find_value(s, (size_t)i, label);
        if (v < 0) {
            rc = unknown_value(s, (size_t)i, label, d);
            pl__free(label);
            goto cleanup;
        }
        pl__free(label);
        outcome[i] = (uint32_t)v;
        seen[i] = 1;
        p = *end ? end + 1 : end;
    }
    for (size_t i = 0; i < s->n; i++) {
        if (!seen[i]) {
            rc = pl__diag_set(d, PL_EPARSE, NULL, 0, 0, "outcome gives no value for issue \"%s\"", s->issues[i].name);
            goto cleanup;
        }
    }
cleanup:
    pl__free(seen);
    return rc;
}

int pl_space_equal(const pl_space *a, const pl_space *b)
{
    if (a->n != b->n) {
        return 0;
    }
    for (size_t i = 0; i < a->n; i++) {
        const pl__issue *x = &a->issues[i], *y = &b->issues[i];
        if (x->kind != y->kind || x->n != y->n || strcmp(x->name, y->name) != 0) {
            return 0;
        }
        switch (x->kind) {
        case PL_ISSUE_DISCRETE:
            for (uint32_t v = 0; v < x->n; v++) {
                if (strcmp(x->labels[v], y->labels[v]) != 0) {
                    return 0;
                }
            }
            break;
        case PL_ISSUE_INTEGER:
            if (x->ilo != y->ilo || x->istep != y->istep) {
                return 0;
            }
            break;
        default:
            if (x->rlo != y->rlo || x->rhi != y->rhi) {
                return 0;
            }
        }
    }
    return 1;
}
