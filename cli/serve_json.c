/* parley serve: JSON views of scenarios (summary, detail with the analysis, a party's preferences) and outcomes
 * ({issue: label}), built with jansson. A party's preferences appear only where the caller may see them. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "serve.h"

json_t *serve_number(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

json_t *serve_outcome_json(const pl_space *sp, const uint32_t *outcome)
{
    json_t *o = json_object();
    for (size_t i = 0; i < pl_space_issue_count(sp); i++) {
        char buf[64];
        json_object_set_new(o, pl_space_issue_name(sp, i),
                            json_string(cli_value_label(sp, i, outcome[i], buf, sizeof buf)));
    }
    return o;
}

int serve_outcome_parse(const pl_space *sp, json_t *obj, uint32_t *outcome, char *msg, size_t size)
{
    size_t ni = pl_space_issue_count(sp);
    if (!json_is_object(obj)) {
        snprintf(msg, size, "outcome: expected an object {issue: value}");
        return -1;
    }
    if (json_object_size(obj) != ni) {
        snprintf(msg, size, "outcome: expected a value for each of the %zu issues, got %zu", ni, json_object_size(obj));
        return -1;
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        long i = pl_space_find_issue(sp, key);
        if (i < 0) {
            snprintf(msg, size, "outcome: no issue named \"%.60s\"", key);
            return -1;
        }
        char label[64];
        if (json_is_string(v)) {
            snprintf(label, sizeof label, "%s", json_string_value(v));
        } else if (json_is_integer(v)) {
            snprintf(label, sizeof label, "%lld", (long long)json_integer_value(v));
        } else if (json_is_real(v)) {
            pl_fmt_double(json_real_value(v), label, sizeof label);
        } else {
            snprintf(msg, size, "outcome: the value of %.60s must be a string or a number", key);
            return -1;
        }
        long val = pl_space_find_value(sp, (size_t)i, label);
        if (val < 0) {
            snprintf(msg, size, "outcome: %.60s has no value \"%.60s\"", key, label);
            return -1;
        }
        outcome[i] = (uint32_t)val;
    }
    return 0;
}

/* Weights and value utilities of a linear additive party (u = sum of weight * value), its reservation value and
 * red lines; other kinds give their kind only (the page then asks the server for utilities). */
json_t *serve_preferences_json(const pl_scenario *sc, size_t party)
{
    const pl_ufun *u = pl_scenario_ufun(sc, party);
    const pl_space *sp = pl_scenario_space(sc);
    json_t *p = json_object();
    json_object_set_new(p, "kind", json_string(pl_ufun_kind_name(pl_ufun_kind_of(u))));
    json_object_set_new(p, "reservation", serve_number(pl_ufun_reservation(u)));
    json_object_set_new(p, "discount", serve_number(pl_ufun_discount_effective(u)));
    if (pl_ufun_kind_of(u) == PL_UFUN_LINEAR) {
        json_t *w = json_object(), *vals = json_object();
        for (size_t i = 0; i < pl_space_issue_count(sp); i++) {
            json_object_set_new(w, pl_space_issue_name(sp, i), json_real(pl_ufun_linear_weight(u, i)));
            json_t *vi = json_object();
            for (uint32_t v = 0; v < pl_space_value_count(sp, i); v++) {
                char buf[64];
                json_object_set_new(vi, cli_value_label(sp, i, v, buf, sizeof buf),
                                    json_real(pl_ufun_linear_value(u, i, v)));
            }
            json_object_set_new(vals, pl_space_issue_name(sp, i), vi);
        }
        json_object_set_new(p, "weights", w);
        json_object_set_new(p, "values", vals);
    }
    json_t *rl = json_array();
    for (size_t k = 0; k < pl_ufun_red_line_count(u); k++) {
        char buf[512];
        json_array_append_new(rl, json_string(pl_ufun_red_line_text(u, k, buf, sizeof buf)));
    }
    json_object_set_new(p, "red_lines", rl);
    return p;
}

static json_t *parties_json(const pl_scenario *sc)
{
    json_t *a = json_array();
    for (size_t k = 0; k < pl_scenario_party_count(sc); k++) {
        json_array_append_new(a, json_string(pl_scenario_party_name(sc, k)));
    }
    return a;
}

json_t *serve_scenario_summary(const serve_scenario *ss)
{
    const pl_space *sp = pl_scenario_space(ss->sc);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(ss->id));
    json_object_set_new(o, "name", json_string(pl_scenario_name(ss->sc)));
    json_object_set_new(o, "parties", parties_json(ss->sc));
    json_object_set_new(o, "issues", json_integer((json_int_t)pl_space_issue_count(sp)));
    json_object_set_new(o, "outcomes",
                        ss->outcomes == UINT64_MAX ? json_null() : json_integer((json_int_t)ss->outcomes));
    return o;
}

static json_t *utilities_json(const double *u, size_t n)
{
    json_t *a = json_array();
    for (size_t k = 0; k < n; k++) {
        json_array_append_new(a, serve_number(u[k]));
    }
    return a;
}

json_t *serve_scenario_detail(const serve_scenario *ss, int explore)
{
    const pl_scenario *sc = ss->sc;
    const pl_space *sp = pl_scenario_space(sc);
    size_t np = pl_scenario_party_count(sc);
    json_t *o = serve_scenario_summary(ss);
    json_object_set_new(o, "description", json_string(pl_scenario_description(sc)));
    json_t *issues = json_array();
    for (size_t i = 0; i < pl_space_issue_count(sp); i++) {
        json_t *is = json_object(), *vals = json_array();
        json_object_set_new(is, "name", json_string(pl_space_issue_name(sp, i)));
        json_object_set_new(is, "type", json_string(pl_issue_kind_name(pl_space_issue_kind(sp, i))));
        for (uint32_t v = 0; v < pl_space_value_count(sp, i); v++) {
            char buf[64];
            json_array_append_new(vals, json_string(cli_value_label(sp, i, v, buf, sizeof buf)));
        }
        json_object_set_new(is, "values", vals);
        json_array_append_new(issues, is);
    }
    json_object_set_new(o, "issues", issues);
    json_t *res = json_array();
    for (size_t k = 0; k < np; k++) {
        json_array_append_new(res, serve_number(pl_ufun_reservation(pl_scenario_ufun(sc, k))));
    }
    json_object_set_new(o, "reservations", res);
    json_t *an = json_null();
    if (ss->analysis) {
        const pl_frontier *f = pl_analysis_frontier(ss->analysis);
        an = json_object();
        json_t *fr = json_array();
        size_t n = pl_frontier_size(f), step = n > 2000 ? n / 2000 + 1 : 1; /* at most ~2,000 points on the wire */
        for (size_t k = 0; k < n; k += step) {
            json_array_append_new(fr, utilities_json(pl_frontier_utilities(f, k), np));
        }
        json_object_set_new(an, "frontier", fr);
        json_object_set_new(an, "exact", json_boolean(pl_frontier_exact(f)));
        json_t *pts = json_object();
        for (int p = 0; p < PL_POINT_KINDS; p++) {
            long k = pl_analysis_point(ss->analysis, (pl_point_kind)p);
            json_t *pt = json_null();
            if (k >= 0) {
                pt = json_object();
                json_object_set_new(pt, "utilities", utilities_json(pl_frontier_utilities(f, (size_t)k), np));
                if (pl_frontier_outcome_count(f, (size_t)k) > 0) {
                    json_object_set_new(pt, "outcome", serve_outcome_json(sp, pl_frontier_outcome(f, (size_t)k, 0)));
                }
            }
            json_object_set_new(pts, pl_point_kind_name((pl_point_kind)p), pt);
        }
        json_object_set_new(an, "points", pts);
    }
    json_object_set_new(o, "analysis", an);
    if (explore) {
        json_t *prefs = json_array();
        for (size_t k = 0; k < np; k++) {
            json_array_append_new(prefs, serve_preferences_json(sc, k));
        }
        json_object_set_new(o, "preferences", prefs);
    }
    return o;
}
