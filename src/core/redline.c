/* Red lines: conditions an outcome must meet to be acceptable to a party ("issue X must not take values V", "if X
 * takes V then Y must take W"). Stored as flag arrays over the issues' values so that checking one is two loads.
 * Invariant: every line's trig (and allow) array has one flag per value of its issue (then-issue). */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/ufun_internal.h"

static void line_destroy(pl__red_line *l)
{
    pl__free(l->values);
    pl__free(l->then_values);
    pl__free(l->note);
    pl__free(l->trig);
    pl__free(l->allow);
}

void pl__ufun_red_lines_destroy(pl_ufun *u)
{
    for (size_t k = 0; k < u->n_lines; k++) {
        line_destroy(&u->lines[k]);
    }
    pl__free(u->lines);
    u->lines = NULL;
    u->n_lines = u->cap_lines = 0;
}

/* Copy a value set into owned memory and flag it; checks range and repeats. */
static int take_set(const pl_ufun *u, size_t issue, const uint32_t *vals, size_t n, const char *what,
                    uint32_t **copy, uint8_t **flags, pl_diag *d)
{
    uint32_t nv = pl_space_value_count(u->space, issue);
    if (n == 0 || !vals) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "red line: the %s set of issue \"%s\" is empty", what,
                            pl_space_issue_name(u->space, issue));
    }
    *copy = pl__malloc(n * sizeof **copy);
    *flags = pl__calloc(nv, 1);
    if (!*copy || !*flags) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t j = 0; j < n; j++) {
        if (vals[j] >= nv) {
            return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "red line: value index %u out of range for issue \"%s\"",
                                (unsigned)vals[j], pl_space_issue_name(u->space, issue));
        }
        if ((*flags)[vals[j]]) {
            char buf[64];
            return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "red line: value \"%s\" of issue \"%s\" is listed twice",
                                pl_space_value_label(u->space, issue, vals[j], buf, sizeof buf),
                                pl_space_issue_name(u->space, issue));
        }
        (*flags)[vals[j]] = 1;
        (*copy)[j] = vals[j];
    }
    return 0;
}

int pl_ufun_add_red_line(pl_ufun *u, const pl_red_line *line, pl_diag *d)
{
    if (!line || line->issue >= u->n_issues) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "red line: issue index out of range");
    }
    if (line->then_issue >= 0 && ((size_t)line->then_issue >= u->n_issues || (size_t)line->then_issue == line->issue)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "red line: the required issue must be another issue");
    }
    if (u->n_lines == u->cap_lines) {
        size_t cap = u->cap_lines ? 2 * u->cap_lines : 4;
        pl__red_line *g = pl__realloc(u->lines, cap * sizeof *g);
        if (!g) {
            return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        }
        u->lines = g;
        u->cap_lines = cap;
    }
    pl__red_line l;
    memset(&l, 0, sizeof l);
    int rc = take_set(u, line->issue, line->values, line->n_values, "trigger", &l.values, &l.trig, d);
    if (rc == 0 && line->then_issue >= 0) {
        rc = take_set(u, (size_t)line->then_issue, line->then_values, line->n_then, "required", &l.then_values,
                      &l.allow, d);
    }
    if (rc == 0) {
        l.note = pl__strdup(line->note ? line->note : "");
        if (!l.note) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        }
    }
    if (rc < 0) {
        line_destroy(&l);
        return rc;
    }
    l.pub.issue = line->issue;
    l.pub.values = l.values;
    l.pub.n_values = line->n_values;
    l.pub.then_issue = line->then_issue >= 0 ? line->then_issue : -1;
    l.pub.then_values = l.then_values;
    l.pub.n_then = line->then_issue >= 0 ? line->n_then : 0;
    l.pub.note = l.note;
    u->lines[u->n_lines++] = l;
    return 0;
}

int pl__ufun_red_lines_copy(pl_ufun *dst, const pl_ufun *src)
{
    for (size_t k = 0; k < src->n_lines; k++) {
        if (pl_ufun_add_red_line(dst, &src->lines[k].pub, NULL) < 0) {
            return PL_ENOMEM;
        }
    }
    return 0;
}

size_t pl_ufun_red_line_count(const pl_ufun *u)
{
    return u->n_lines;
}

void pl_ufun_red_line_get(const pl_ufun *u, size_t k, pl_red_line *out)
{
    *out = u->lines[k].pub;
}

int pl_ufun_red_line_broken(const pl_ufun *u, size_t k, const uint32_t *o)
{
    const pl__red_line *l = &u->lines[k];
    return l->trig[o[l->pub.issue]] && (!l->allow || !l->allow[o[l->pub.then_issue]]);
}

long pl_ufun_first_broken(const pl_ufun *u, const uint32_t *o)
{
    for (size_t k = 0; k < u->n_lines; k++) {
        if (pl_ufun_red_line_broken(u, k, o)) {
            return (long)k;
        }
    }
    return -1;
}

int pl_ufun_acceptable(const pl_ufun *u, const uint32_t *o)
{
    return !pl__ufun_breaks(u, o) && pl_ufun_eval_raw(u, o) >= u->reservation;
}

static void append(char *buf, size_t size, size_t *len, const char *text)
{
    size_t n = strlen(text);
    if (*len + 1 >= size) {
        return;
    }
    if (n > size - 1 - *len) {
        n = size - 1 - *len;
    }
    memcpy(buf + *len, text, n);
    *len += n;
    buf[*len] = '\0';
}

static void append_set(const pl_space *s, size_t issue, const uint32_t *v, size_t n, char *buf, size_t size,
                       size_t *len)
{
    for (size_t j = 0; j < n; j++) {
        char lab[64];
        if (j) {
            append(buf, size, len, j + 1 == n ? " or " : ", ");
        }
        /* Discrete labels whole (they may be long); numbers formatted. */
        append(buf, size, len, pl_space_issue_kind(s, issue) == PL_ISSUE_DISCRETE
                                   ? pl_space_value_label_ref(s, issue, v[j])
                                   : pl_space_value_label(s, issue, v[j], lab, sizeof lab));
    }
}

char *pl_ufun_red_line_text(const pl_ufun *u, size_t k, char *buf, size_t size)
{
    const pl_red_line *l = &u->lines[k].pub;
    size_t len = 0;
    if (size == 0) {
        return buf;
    }
    buf[0] = '\0';
    if (l->then_issue < 0) {
        append(buf, size, &len, pl_space_issue_name(u->space, l->issue));
        append(buf, size, &len, " must not be ");
        append_set(u->space, l->issue, l->values, l->n_values, buf, size, &len);
    } else {
        append(buf, size, &len, "if ");
        append(buf, size, &len, pl_space_issue_name(u->space, l->issue));
        append(buf, size, &len, " is ");
        append_set(u->space, l->issue, l->values, l->n_values, buf, size, &len);
        append(buf, size, &len, " then ");
        append(buf, size, &len, pl_space_issue_name(u->space, (size_t)l->then_issue));
        append(buf, size, &len, " must be ");
        append_set(u->space, (size_t)l->then_issue, l->then_values, l->n_then, buf, size, &len);
    }
    return buf;
}
