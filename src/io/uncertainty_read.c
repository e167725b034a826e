/* Reading the "uncertainty" of a parley JSON scenario's parties (parley/uncertainty.h, docs/formats.md). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "parley/uncertainty.h"

static int bad(pl_diag *d, int code, const char *file, const char *path, const char *msg)
{
    return pl__diag_set(d, code, file, 0, 0, "at %s: %s", path, msg);
}

/* [lo, hi] into p->lo, p->hi. */
static int range(json_t *v, pl_unc_param *p, const char *file, const char *path, pl_diag *d)
{
    if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_number(json_array_get(v, 0)) ||
        !json_is_number(json_array_get(v, 1))) {
        return bad(d, PL_EPARSE, file, path, "a range must be [lo, hi] (two numbers)");
    }
    p->lo = json_number_value(json_array_get(v, 0));
    p->hi = json_number_value(json_array_get(v, 1));
    if (!(p->lo >= 0 && p->lo <= p->hi && p->hi <= 1)) {
        return bad(d, PL_EINVAL, file, path, "a range must have 0 <= lo <= hi <= 1");
    }
    return 0;
}

static int add(pl_uncertainty *u, const pl_unc_param *p, const char *file, const char *path, pl_diag *d)
{
    pl_diag sub;
    pl_diag_clear(&sub);
    int rc = pl_uncertainty_add(u, p, &sub);
    return rc < 0 ? bad(d, rc, file, path, sub.message) : 0;
}

static int read_party(pl_uncertainty *u, const pl_scenario *sc, size_t k, json_t *un, const char *file, pl_diag *d)
{
    const pl_space *s = pl_scenario_space(sc);
    char path[256];
    snprintf(path, sizeof path, "parties[%zu].uncertainty", k);
    if (!json_is_object(un)) {
        return bad(d, PL_EPARSE, file, path, "must be an object {\"reservation\", \"weights\", \"values\"}");
    }
    const char *key;
    json_t *v;
    json_object_foreach(un, key, v)
    {
        if (strcmp(key, "reservation") && strcmp(key, "weights") && strcmp(key, "values")) {
            char msg[300];
            snprintf(msg, sizeof msg, "unknown key \"%s\" (reservation, weights, values)", key);
            return bad(d, PL_EPARSE, file, path, msg);
        }
    }
    pl_unc_param p;
    memset(&p, 0, sizeof p);
    p.party = k;
    int rc;
    if ((v = json_object_get(un, "reservation"))) {
        snprintf(path, sizeof path, "parties[%zu].uncertainty.reservation", k);
        p.kind = PL_UNC_RESERVATION;
        if ((rc = range(v, &p, file, path, d)) < 0 || (rc = add(u, &p, file, path, d)) < 0) {
            return rc;
        }
    }
    json_t *w = json_object_get(un, "weights");
    if (w && !json_is_object(w)) {
        snprintf(path, sizeof path, "parties[%zu].uncertainty.weights", k);
        return bad(d, PL_EPARSE, file, path, "must be an object {issue: [lo, hi]}");
    }
    json_object_foreach(w, key, v)
    {
        snprintf(path, sizeof path, "parties[%zu].uncertainty.weights.%.100s", k, key);
        long i = pl_space_find_issue(s, key);
        if (i < 0) {
            return bad(d, PL_EINVAL, file, path, "the scenario has no such issue");
        }
        p.kind = PL_UNC_WEIGHT;
        p.issue = (size_t)i;
        if ((rc = range(v, &p, file, path, d)) < 0 || (rc = add(u, &p, file, path, d)) < 0) {
            return rc;
        }
    }
    json_t *vals = json_object_get(un, "values");
    if (vals && !json_is_object(vals)) {
        snprintf(path, sizeof path, "parties[%zu].uncertainty.values", k);
        return bad(d, PL_EPARSE, file, path, "must be an object {issue: {option: [lo, hi]}}");
    }
    json_object_foreach(vals, key, v)
    {
        snprintf(path, sizeof path, "parties[%zu].uncertainty.values.%.100s", k, key);
        long i = pl_space_find_issue(s, key);
        if (i < 0) {
            return bad(d, PL_EINVAL, file, path, "the scenario has no such issue");
        }
        if (!json_is_object(v)) {
            return bad(d, PL_EPARSE, file, path, "must be an object {option: [lo, hi]}");
        }
        const char *opt;
        json_t *r;
        json_object_foreach(v, opt, r)
        {
            snprintf(path, sizeof path, "parties[%zu].uncertainty.values.%.80s.%.80s", k, key, opt);
            long x = pl_space_find_value(s, (size_t)i, opt);
            if (x < 0) {
                return bad(d, PL_EINVAL, file, path, "the issue has no such option");
            }
            p.kind = PL_UNC_VALUE;
            p.issue = (size_t)i;
            p.value = (uint32_t)x;
            if ((rc = range(r, &p, file, path, d)) < 0 || (rc = add(u, &p, file, path, d)) < 0) {
                return rc;
            }
        }
    }
    return 0;
}

int pl_uncertainty_load(const pl_scenario *sc, const char *path, pl_uncertainty **out, pl_diag *d)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = pl__read_file(path, &text, &len, d);
    if (rc < 0) {
        return rc;
    }
    json_error_t err;
    json_t *root = json_loadb(text, len, 0, &err);
    pl__free(text);
    if (!root) {
        return pl__diag_set(d, PL_EPARSE, path, err.line > 0 ? err.line : 1, 0, "malformed JSON: %s", err.text);
    }
    pl_uncertainty *u = NULL;
    if ((rc = pl_uncertainty_new(sc, &u, d)) < 0) {
        json_decref(root);
        return rc;
    }
    json_t *parties = json_object_get(root, "parties");
    for (size_t j = 0; rc == 0 && json_is_array(parties) && j < json_array_size(parties); j++) {
        json_t *pj = json_array_get(parties, j), *un = json_object_get(pj, "uncertainty");
        json_t *name = json_object_get(pj, "name");
        if (!un) {
            continue;
        }
        long k = json_is_string(name) ? pl_scenario_find_party(sc, json_string_value(name)) : -1;
        if (k < 0) {
            char p2[64];
            snprintf(p2, sizeof p2, "parties[%zu]", j);
            rc = bad(d, PL_EINVAL, path, p2, "a party the scenario does not have");
            break;
        }
        rc = read_party(u, sc, (size_t)k, un, path, d);
    }
    json_decref(root);
    if (rc < 0) {
        pl_uncertainty_free(u);
        return rc;
    }
    *out = u;
    return 0;
}
