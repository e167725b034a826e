/* parley JSON writer: the inverse of parley_json_read.c. Tables are written as {label: utility} objects; parametric
 * value functions as their parameters; numbers in their shortest exact form, so a write-read cycle is lossless. */
#include <stdlib.h>
#include <string.h>

#include "parley/names.h"
#include "core/ufun_internal.h"
#include "io/io_internal.h"
#include "io/json_writer.h"

static void write_issue(pl_jw *w, const pl_space *s, size_t i)
{
    pl_jw_object(w);
    pl_jw_key(w, "name");
    pl_jw_string(w, pl_space_issue_name(s, i));
    double lo, hi, step;
    pl_space_issue_range(s, i, &lo, &hi, &step);
    switch (pl_space_issue_kind(s, i)) {
    case PL_ISSUE_DISCRETE:
        pl_jw_key(w, "type");
        pl_jw_string(w, pl_issue_kind_name(PL_ISSUE_DISCRETE));
        pl_jw_key(w, "values");
        pl_jw_array(w);
        for (uint32_t v = 0; v < pl_space_value_count(s, i); v++) {
            pl_jw_string(w, pl_space_value_label_ref(s, i, v));
        }
        pl_jw_array_end(w);
        break;
    case PL_ISSUE_INTEGER:
        pl_jw_key(w, "type");
        pl_jw_string(w, pl_issue_kind_name(PL_ISSUE_INTEGER));
        pl_jw_key(w, "lower");
        pl_jw_int(w, s->issues[i].ilo);
        pl_jw_key(w, "upper");
        pl_jw_int(w, s->issues[i].ihi);
        if (s->issues[i].istep != 1) {
            pl_jw_key(w, "step");
            pl_jw_int(w, s->issues[i].istep);
        }
        break;
    default:
        pl_jw_key(w, "type");
        pl_jw_string(w, pl_issue_kind_name(PL_ISSUE_REAL));
        pl_jw_key(w, "lower");
        pl_jw_number(w, lo);
        pl_jw_key(w, "upper");
        pl_jw_number(w, hi);
        pl_jw_key(w, "levels");
        pl_jw_uint(w, pl_space_issue_levels(s, i));
        break;
    }
    pl_jw_object_end(w);
}

static void write_linear(pl_jw *w, const pl_ufun *u)
{
    const pl_space *s = u->space;
    size_t n = pl_space_issue_count(s);
    pl_jw_key(w, "type");
    pl_jw_string(w, pl_ufun_kind_name(PL_UFUN_LINEAR));
    pl_jw_key(w, "weights");
    pl_jw_object(w);
    for (size_t i = 0; i < n; i++) {
        pl_jw_key(w, pl_space_issue_name(s, i));
        pl_jw_number(w, pl_ufun_linear_weight(u, i));
    }
    pl_jw_object_end(w);
    pl_jw_key(w, "values");
    pl_jw_object(w);
    for (size_t i = 0; i < n; i++) {
        const pl_vf *vf = pl_ufun_linear_vf(u, i);
        pl_jw_key(w, pl_space_issue_name(s, i));
        pl_jw_object(w);
        if (vf->kind == PL_VF_LINEAR) {
            pl_jw_key(w, "type");
            pl_jw_string(w, "linear");
            pl_jw_key(w, "offset");
            pl_jw_number(w, vf->offset);
            pl_jw_key(w, "slope");
            pl_jw_number(w, vf->slope);
        } else if (vf->kind == PL_VF_TRIANGULAR) {
            pl_jw_key(w, "type");
            pl_jw_string(w, "triangular");
            pl_jw_key(w, "start");
            pl_jw_number(w, vf->start);
            pl_jw_key(w, "peak");
            pl_jw_number(w, vf->peak);
            pl_jw_key(w, "end");
            pl_jw_number(w, vf->end);
        } else {
            for (uint32_t v = 0; v < pl_space_value_count(s, i); v++) {
                char lab[48];
                const char *l = pl_space_value_label_ref(s, i, v);
                pl_jw_key(w, l ? l : pl_space_value_label(s, i, v, lab, sizeof lab));
                pl_jw_number(w, pl_ufun_linear_value(u, i, v));
            }
        }
        pl_jw_object_end(w);
    }
    pl_jw_object_end(w);
}

static void write_rect(pl_jw *w, const pl_ufun *u)
{
    const pl_space *s = u->space;
    pl_jw_key(w, "type");
    pl_jw_string(w, pl_ufun_kind_name(PL_UFUN_RECT));
    pl_jw_key(w, "max_utility");
    pl_jw_number(w, pl_ufun_rect_max_utility(u));
    pl_jw_key(w, "rectangles");
    pl_jw_array(w);
    for (size_t r = 0; r < pl_ufun_rect_count(u); r++) {
        size_t nb;
        const pl_rect_bound *b = pl_ufun_rect_bounds(u, r, &nb);
        pl_jw_object(w);
        pl_jw_key(w, "utility");
        pl_jw_number(w, pl_ufun_rect_utility(u, r));
        pl_jw_key(w, "bounds");
        pl_jw_array(w);
        for (size_t k = 0; k < nb; k++) {
            pl_jw_object(w);
            pl_jw_key(w, "issue");
            pl_jw_string(w, pl_space_issue_name(s, b[k].issue));
            if (pl_space_issue_kind(s, b[k].issue) == PL_ISSUE_DISCRETE) {
                pl_jw_key(w, "from");
                pl_jw_string(w, pl_space_value_label_ref(s, b[k].issue, b[k].lo));
                pl_jw_key(w, "to");
                pl_jw_string(w, pl_space_value_label_ref(s, b[k].issue, b[k].hi));
            } else {
                pl_jw_key(w, "min");
                pl_jw_number(w, pl_space_value_number(s, b[k].issue, b[k].lo));
                pl_jw_key(w, "max");
                pl_jw_number(w, pl_space_value_number(s, b[k].issue, b[k].hi));
            }
            if (b[k].exclude) {
                pl_jw_key(w, "exclude");
                pl_jw_bool(w, 1);
            }
            pl_jw_object_end(w);
        }
        pl_jw_array_end(w);
        pl_jw_object_end(w);
    }
    pl_jw_array_end(w);
}

/* A value as the reader takes it back: the label of a discrete value, the number of a numeric one. */
static void write_value_ref(pl_jw *w, const pl_space *s, size_t i, uint32_t v)
{
    if (pl_space_issue_kind(s, i) == PL_ISSUE_DISCRETE) {
        pl_jw_string(w, pl_space_value_label_ref(s, i, v));
    } else {
        pl_jw_number(w, pl_space_value_number(s, i, v));
    }
}

static void write_issue_set(pl_jw *w, const pl_space *s, size_t i, const char *key, const uint32_t *v, size_t n)
{
    pl_jw_key(w, "issue");
    pl_jw_string(w, pl_space_issue_name(s, i));
    pl_jw_key(w, key);
    pl_jw_array(w);
    for (size_t j = 0; j < n; j++) {
        write_value_ref(w, s, i, v[j]);
    }
    pl_jw_array_end(w);
}

void pl_jw_status_quo(pl_jw *w, const pl_scenario *sc, int labels)
{
    const pl_space *s = pl_scenario_space(sc);
    pl_jw_key(w, "status_quo");
    pl_jw_object(w);
    for (size_t i = 0; i < pl_space_issue_count(s); i++) {
        uint32_t v = pl_scenario_status_quo(sc, i);
        if (v == PL_NO_VALUE) {
            continue;
        }
        pl_jw_key(w, pl_space_issue_name(s, i));
        if (labels && pl_space_issue_kind(s, i) != PL_ISSUE_DISCRETE) {
            char lab[64];
            pl_jw_string(w, pl_space_value_label(s, i, v, lab, sizeof lab));
        } else {
            write_value_ref(w, s, i, v);
        }
    }
    pl_jw_object_end(w);
}

void pl_jw_party_open(pl_jw *w, const pl_scenario *sc, size_t p)
{
    pl_jw_object(w);
    pl_jw_key(w, "name");
    pl_jw_string(w, pl_scenario_party_name(sc, p));
}

void pl_jw_red_lines(pl_jw *w, const pl_ufun *u)
{
    const pl_space *s = pl_ufun_space(u);
    pl_jw_key(w, "red_lines");
    pl_jw_array(w);
    for (size_t k = 0; k < pl_ufun_red_line_count(u); k++) {
        pl_red_line l;
        pl_ufun_red_line_get(u, k, &l);
        pl_jw_object(w);
        if (l.then_issue < 0) {
            write_issue_set(w, s, l.issue, "not", l.values, l.n_values);
        } else {
            pl_jw_key(w, "if");
            pl_jw_object(w);
            write_issue_set(w, s, l.issue, "in", l.values, l.n_values);
            pl_jw_object_end(w);
            pl_jw_key(w, "then");
            pl_jw_object(w);
            write_issue_set(w, s, (size_t)l.then_issue, "in", l.then_values, l.n_then);
            pl_jw_object_end(w);
        }
        if (l.note && *l.note) {
            pl_jw_key(w, "note");
            pl_jw_string(w, l.note);
        }
        pl_jw_object_end(w);
    }
    pl_jw_array_end(w);
}

int pl_scenario_to_parley_json(const pl_scenario *sc, char **out, pl_diag *d)
{
    *out = NULL;
    const pl_space *s = pl_scenario_space(sc);
    pl_jw *w = pl_jw_new(2);
    if (!w) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    pl_jw_object(w);
    pl_jw_key(w, "format");
    pl_jw_string(w, "parley-scenario");
    pl_jw_key(w, "version");
    pl_jw_int(w, 1);
    pl_jw_key(w, "name");
    pl_jw_string(w, pl_scenario_name(sc));
    pl_jw_key(w, "description");
    pl_jw_string(w, pl_scenario_description(sc));
    pl_jw_key(w, "issues");
    pl_jw_array(w);
    for (size_t i = 0; i < pl_space_issue_count(s); i++) {
        write_issue(w, s, i);
    }
    pl_jw_array_end(w);
    if (pl_scenario_has_status_quo(sc)) {
        pl_jw_status_quo(w, sc, 0);
    }
    pl_jw_key(w, "parties");
    pl_jw_array(w);
    for (size_t p = 0; p < pl_scenario_party_count(sc); p++) {
        const pl_ufun *u = pl_scenario_ufun(sc, p);
        pl_jw_party_open(w, sc, p);
        pl_jw_key(w, "reservation");
        pl_jw_number(w, pl_ufun_reservation(u));
        pl_jw_key(w, "discount");
        pl_jw_number(w, pl_ufun_discount(u));
        pl_jw_key(w, "utility");
        pl_jw_object(w);
        if (pl_ufun_kind_of(u) == PL_UFUN_LINEAR) {
            write_linear(w, u);
        } else {
            write_rect(w, u);
        }
        pl_jw_object_end(w);
        if (pl_ufun_red_line_count(u) > 0) {
            pl_jw_red_lines(w, u);
        }
        pl_jw_object_end(w);
    }
    pl_jw_array_end(w);
    pl_jw_object_end(w);
    *out = pl_jw_finish(w);
    if (!*out) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "cannot write JSON (a name or label is not valid UTF-8?)");
    }
    return 0;
}

int pl_scenario_save_parley_json(const pl_scenario *sc, const char *path, pl_diag *d)
{
    char *text;
    int rc = pl_scenario_to_parley_json(sc, &text, d);
    if (rc < 0) {
        return rc;
    }
    rc = pl__write_file_atomic(path, text, strlen(text), d);
    pl__free(text);
    return rc;
}
