/* Writing the summaries the command line prints as JSON: a scenario (`parley show --json`), evaluated outcomes
 * (`parley eval --json`) and the agents a registry knows (`parley agents --json`): docs/formats.md. */
#include <stdlib.h>
#include <string.h>

#include "record/record_internal.h"

int pl_scenario_summary_to_json(const pl_scenario *sc, char **out, pl_diag *d)
{
    *out = NULL;
    const pl_space *s = pl_scenario_space(sc);
    pl_jw *w = pl_jw_new(2);
    if (!w) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    uint64_t count;
    pl_jw_object(w);
    pl_jw_key(w, "name");
    pl_jw_string(w, pl_scenario_name(sc));
    pl_jw_key(w, "description");
    pl_jw_string(w, pl_scenario_description(sc));
    pl_jw_key(w, "outcomes");
    if (pl_space_outcome_count(s, &count) == 0) {
        pl_jw_uint(w, count);
    } else {
        pl_jw_null(w);
    }
    pl_jw_key(w, "log10_outcomes");
    pl_jw_number(w, pl_space_log10_size(s));
    pl_jw_key(w, "issues");
    pl_jw_array(w);
    for (size_t i = 0; i < pl_space_issue_count(s); i++) {
        pl_jw_object(w);
        pl_jw_key(w, "name");
        pl_jw_string(w, pl_space_issue_name(s, i));
        pl_jw_key(w, "type");
        pl_jw_string(w, pl_issue_kind_name(pl_space_issue_kind(s, i)));
        if (pl_space_issue_kind(s, i) != PL_ISSUE_DISCRETE) {
            double lo, hi, step;
            pl_space_issue_range(s, i, &lo, &hi, &step);
            pl_jw_key(w, "lower");
            pl_jw_number(w, lo);
            pl_jw_key(w, "upper");
            pl_jw_number(w, hi);
            if (pl_space_issue_kind(s, i) == PL_ISSUE_INTEGER) {
                pl_jw_key(w, "step");
                pl_jw_number(w, step);
            } else {
                pl_jw_key(w, "levels");
                pl_jw_uint(w, pl_space_issue_levels(s, i));
            }
        }
        pl_jw_key(w, "values");
        pl_jw_array(w);
        for (uint32_t v = 0; v < pl_space_value_count(s, i); v++) {
            char lab[48];
            pl_jw_string(w, pl__label(s, i, v, lab, sizeof lab));
            if (v >= 999 && pl_space_issue_kind(s, i) != PL_ISSUE_DISCRETE) {
                break; /* numeric ranges are described by their bounds; list at most 1000 */
            }
        }
        pl_jw_array_end(w);
        pl_jw_object_end(w);
    }
    pl_jw_array_end(w);
    pl_jw_status_quo(w, sc, 1);
    pl_jw_key(w, "parties");
    pl_jw_array(w);
    for (size_t p = 0; p < pl_scenario_party_count(sc); p++) {
        const pl_ufun *u = pl_scenario_ufun(sc, p);
        pl_jw_party_open(w, sc, p);
        pl_jw_key(w, "utility");
        pl_jw_string(w, pl_ufun_kind_name(pl_ufun_kind_of(u)));
        pl_jw_key(w, "reservation");
        pl_jw_number(w, pl_ufun_reservation(u));
        pl_jw_key(w, "discount");
        pl_jw_number(w, pl_ufun_discount(u));
        if (pl_ufun_kind_of(u) == PL_UFUN_LINEAR) {
            pl_jw_key(w, "weights");
            pl_jw_object(w);
            for (size_t i = 0; i < pl_space_issue_count(s); i++) {
                pl_jw_key(w, pl_space_issue_name(s, i));
                pl_jw_number(w, pl_ufun_linear_weight(u, i));
            }
            pl_jw_object_end(w);
        } else {
            pl_jw_key(w, "rectangles");
            pl_jw_uint(w, pl_ufun_rect_count(u));
        }
        pl_jw_red_lines(w, u);
        pl_jw_object_end(w);
    }
    pl_jw_array_end(w);
    pl_jw_object_end(w);
    return pl__jw_finish_into(w, out, d);
}

int pl_eval_to_json(const pl_scenario *sc, const uint32_t *const *outs, size_t n, int timed, double t, char **out,
                    pl_diag *d)
{
    *out = NULL;
    const pl_space *s = pl_scenario_space(sc);
    size_t np = pl_scenario_party_count(sc);
    pl_jw *w = pl_jw_new(2);
    if (!w) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    pl_jw_object(w);
    pl_jw_key(w, "parties");
    pl_jw_array(w);
    for (size_t p = 0; p < np; p++) {
        pl_jw_string(w, pl_scenario_party_name(sc, p));
    }
    pl_jw_array_end(w);
    if (timed) {
        pl_jw_key(w, "time");
        pl_jw_number(w, t);
    }
    pl_jw_key(w, "results");
    pl_jw_array(w);
    for (size_t k = 0; k < n; k++) {
        pl_jw_object(w);
        pl_jw_key(w, "outcome");
        pl_jw_object(w);
        for (size_t i = 0; i < pl_space_issue_count(s); i++) {
            char lab[64];
            pl_jw_key(w, pl_space_issue_name(s, i));
            pl_jw_string(w, pl__label(s, i, outs[k][i], lab, sizeof lab));
        }
        pl_jw_object_end(w);
        uint64_t idx;
        pl_jw_key(w, "index");
        if (pl_space_outcome_index(s, outs[k], &idx) == 0) {
            pl_jw_uint(w, idx);
        } else {
            pl_jw_null(w);
        }
        pl_jw_key(w, "utilities");
        pl_jw_array(w);
        for (size_t p = 0; p < np; p++) {
            pl_jw_number(w, pl_ufun_eval(pl_scenario_ufun(sc, p), outs[k]));
        }
        pl_jw_array_end(w);
        if (timed) {
            pl_jw_key(w, "discounted");
            pl_jw_array(w);
            for (size_t p = 0; p < np; p++) {
                pl_jw_number(w, pl_ufun_eval_at(pl_scenario_ufun(sc, p), outs[k], t));
            }
            pl_jw_array_end(w);
        }
        pl_jw_key(w, "acceptable");
        pl_jw_array(w);
        int broken = 0;
        for (size_t p = 0; p < np; p++) {
            const pl_ufun *u = pl_scenario_ufun(sc, p);
            pl_jw_bool(w, pl_ufun_acceptable(u, outs[k]));
            broken |= pl_ufun_first_broken(u, outs[k]) >= 0;
        }
        pl_jw_array_end(w);
        /* Per party, the indices of the red lines the outcome breaks (into the party's "red_lines"). */
        pl_jw_key(w, "red_lines_broken");
        pl_jw_array(w);
        for (size_t p = 0; p < np; p++) {
            const pl_ufun *u = pl_scenario_ufun(sc, p);
            pl_jw_array(w);
            for (size_t j = 0; j < pl_ufun_red_line_count(u); j++) {
                if (pl_ufun_red_line_broken(u, j, outs[k])) {
                    pl_jw_uint(w, j);
                }
            }
            pl_jw_array_end(w);
        }
        pl_jw_array_end(w);
        /* What the outcome would be worth without the red lines, when it breaks one. */
        if (broken) {
            pl_jw_key(w, "raw_utilities");
            pl_jw_array(w);
            for (size_t p = 0; p < np; p++) {
                pl_jw_number(w, pl_ufun_eval_raw(pl_scenario_ufun(sc, p), outs[k]));
            }
            pl_jw_array_end(w);
        }
        pl_jw_object_end(w);
    }
    pl_jw_array_end(w);
    pl_jw_object_end(w);
    return pl__jw_finish_into(w, out, d);
}

int pl_registry_to_json(const pl_registry *r, char **out, pl_diag *d)
{
    *out = NULL;
    pl_jw *w = pl_jw_new(2);
    if (!w) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    pl_jw_array(w);
    for (size_t k = 0; k < pl_registry_count(r); k++) {
        const pl_agent_type *t = pl_registry_type(r, k);
        pl_jw_object(w);
        pl_jw_key(w, "name");
        pl_jw_string(w, t->name);
        pl_jw_key(w, "description");
        pl_jw_string(w, t->description ? t->description : "");
        pl_jw_key(w, "protocols"); /* what the agent can play: offers (SAOP) and/or votes (single-text) */
        pl_jw_array(w);
        if (t->respond && t->propose) {
            pl_jw_string(w, pl_protocol_name(PL_PROTOCOL_SAOP));
            pl_jw_string(w, pl_protocol_name(PL_PROTOCOL_SAOP_GENIUS));
        }
        if (t->vote) {
            pl_jw_string(w, pl_protocol_name(PL_PROTOCOL_SINGLE_TEXT));
        }
        pl_jw_array_end(w);
        pl_jw_key(w, "parameters");
        pl_jw_array(w);
        for (size_t p = 0; p < t->n_params; p++) {
            const pl_param_spec *s = &t->params[p];
            pl_jw_object(w);
            pl_jw_key(w, "name");
            pl_jw_string(w, s->name);
            pl_jw_key(w, "kind");
            pl_jw_string(w, pl_param_kind_name(s->kind));
            pl_jw_key(w, "default");
            pl_jw_string(w, s->default_value ? s->default_value : "");
            if (s->kind != PL_PARAM_STRING && (s->min != 0 || s->max != 0)) {
                pl_jw_key(w, "min");
                pl_jw_number(w, s->min);
                pl_jw_key(w, "max");
                pl_jw_number(w, s->max);
            }
            pl_jw_key(w, "description");
            pl_jw_string(w, s->description ? s->description : "");
            pl_jw_object_end(w);
        }
        pl_jw_array_end(w);
        pl_jw_object_end(w);
    }
    pl_jw_array_end(w);
    return pl__jw_finish_into(w, out, d);
}
