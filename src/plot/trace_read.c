/* Reading sessions for the plots: a trace from `parley run --trace` (JSON Lines: one action per line) and a result
 * from `parley run --json` (docs/formats.md), with jansson. Every complaint names the file, the line (traces) or the
 * JSON path, and what is wrong; keys the plots do not need are ignored, so newer traces still read. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot_internal.h"

/* A parse error at file:line (line 0 = none) and JSON path (may be NULL). */
static int bad(pl_diag *d, const char *file, int line, const char *path, const char *fmt, ...) PL__PRINTF(5, 6);

static int bad(pl_diag *d, const char *file, int line, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pl__diag_vset(d, PL_EPARSE, file, line, 0, fmt, ap);
    va_end(ap);
    if (path && d) {
        pl__diag_path(d, "%s", path);
    }
    return PL_EPARSE;
}

static int only_blanks(const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (s[k] != ' ' && s[k] != '\t' && s[k] != '\r' && s[k] != '\n') {
            return 0;
        }
    }
    return 1;
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
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

/* An outcome object {issue: label} naming every issue once, into o. */
static int read_outcome(const pl_scenario *sc, const json_t *obj, uint32_t *o, const char *file, int line,
                        const char *where, pl_diag *d)
{
    const pl_space *sp = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(sp);
    if (!json_is_object(obj)) {
        return bad(d, file, line, where, "an outcome must be an object {issue: value}, not %s", type_name(obj));
    }
    for (size_t i = 0; i < ni; i++) {
        const char *issue = pl_space_issue_name(sp, i);
        json_t *v = json_object_get(obj, issue);
        if (!v) {
            return bad(d, file, line, where, "no value for issue \"%s\"", issue);
        }
        if (!json_is_string(v)) {
            return bad(d, file, line, where, "the value of issue \"%s\" must be a string, not %s", issue, type_name(v));
        }
        long k = pl_space_find_value(sp, i, json_string_value(v));
        if (k < 0) {
            return bad(d, file, line, where, "issue \"%s\" has no value \"%s\"", issue, json_string_value(v));
        }
        o[i] = (uint32_t)k;
    }
    if (json_object_size(obj) != ni) {
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)obj, key, v)
        {
            if (pl_space_find_issue(sp, key) < 0) {
                return bad(d, file, line, where, "the scenario has no issue \"%s\"", key);
            }
        }
    }
    return 0;
}

static int parse_action(const char *s, pl_action_kind *a)
{
    if (strcmp(s, "offer") == 0) {
        *a = PL_ACTION_OFFER;
    } else if (strcmp(s, "accept") == 0) {
        *a = PL_ACTION_ACCEPT;
    } else if (strcmp(s, "end") == 0) {
        *a = PL_ACTION_END;
    } else {
        return -1;
    }
    return 0;
}

/* A single-text line: {"step", "t", "proposer" (a party or "neutral"), "action": "propose", ..., "stood",
 * "utilities": {party: utility of the proposed text}}. */
static int proposal_line(pl_plot_session *s, json_t *obj, const char *file, int line, pl_diag *d)
{
    json_t *step = json_object_get(obj, "step"), *t = json_object_get(obj, "t");
    json_t *who = json_object_get(obj, "proposer"), *stood = json_object_get(obj, "stood");
    json_t *utils = json_object_get(obj, "utilities");
    if (!json_is_integer(step) || json_integer_value(step) < 0) {
        return bad(d, file, line, "step", "must be a non-negative integer");
    }
    if (!json_is_number(t) || !(json_number_value(t) >= 0) || json_number_value(t) > 1) {
        return bad(d, file, line, "t", "must be a number from 0 to 1 (relative time)");
    }
    if (!json_is_string(who)) {
        return bad(d, file, line, "proposer", "must be a party's name or \"neutral\"");
    }
    size_t proposer = s->np;
    if (strcmp(json_string_value(who), "neutral") != 0) {
        long p = pl_scenario_find_party(s->sc, json_string_value(who));
        if (p < 0) {
            return bad(d, file, line, "proposer", "the scenario has no party \"%s\"", json_string_value(who));
        }
        proposer = (size_t)p;
    }
    if (!json_is_boolean(stood)) {
        return bad(d, file, line, "stood", "must be true or false");
    }
    if (!json_is_object(utils)) {
        return bad(d, file, line, "utilities", "must be an object {party: utility}");
    }
    double u[64], *uv = s->np <= 64 ? u : pl__malloc(s->np * sizeof *uv);
    if (!uv) {
        return pl__diag_set(d, PL_ENOMEM, file, line, 0, "out of memory");
    }
    int rc = 0;
    for (size_t k = 0; k < s->np && rc == 0; k++) {
        json_t *v = json_object_get(utils, pl_scenario_party_name(s->sc, k));
        if (!json_is_number(v)) {
            rc = bad(d, file, line, "utilities", "no number for party \"%s\"", pl_scenario_party_name(s->sc, k));
        } else {
            uv[k] = json_number_value(v);
        }
    }
    if (rc == 0 && pl__session_add_proposal(s, (uint64_t)json_integer_value(step), json_number_value(t), proposer, uv,
                                            json_is_true(stood)) < 0) {
        rc = pl__diag_set(d, PL_ENOMEM, file, line, 0, "out of memory");
    }
    if (uv != u) {
        pl__free(uv);
    }
    return rc;
}

/* One trace line (an object), appended to s. */
static int trace_line(pl_plot_session *s, json_t *obj, uint32_t *o, const char *file, int line, pl_diag *d)
{
    if (!json_is_object(obj)) {
        return bad(d, file, line, NULL, "a trace line must be a JSON object, not %s", type_name(obj));
    }
    json_t *act = json_object_get(obj, "action");
    if (json_is_string(act) && strcmp(json_string_value(act), "propose") == 0) {
        return proposal_line(s, obj, file, line, d);
    }
    json_t *round = json_object_get(obj, "round"), *t = json_object_get(obj, "t");
    json_t *party = json_object_get(obj, "party"), *action = json_object_get(obj, "action");
    json_t *outcome = json_object_get(obj, "outcome");
    static const char *const need[] = {"round", "t", "party", "action", "outcome"};
    for (size_t k = 0; k < 5; k++) {
        if (!json_object_get(obj, need[k])) {
            return bad(d, file, line, NULL, "missing key \"%s\"", need[k]);
        }
    }
    if (!json_is_integer(round) || json_integer_value(round) < 0) {
        return bad(d, file, line, "round", "must be a non-negative integer, not %s", type_name(round));
    }
    if (!json_is_number(t) || !(json_number_value(t) >= 0) || json_number_value(t) > 1) {
        return bad(d, file, line, "t", "must be a number from 0 to 1 (relative time)");
    }
    if (!json_is_string(party)) {
        return bad(d, file, line, "party", "must be a string, not %s", type_name(party));
    }
    long p = pl_scenario_find_party(s->sc, json_string_value(party));
    if (p < 0) {
        return bad(d, file, line, "party", "the scenario has no party \"%s\"", json_string_value(party));
    }
    pl_action_kind a;
    if (!json_is_string(action) || parse_action(json_string_value(action), &a) < 0) {
        return bad(d, file, line, "action", "must be \"offer\", \"accept\", \"end\" or \"propose\"");
    }
    const uint32_t *op = NULL;
    if (json_is_null(outcome)) {
        if (a != PL_ACTION_END) {
            return bad(d, file, line, "outcome", "an %s needs an outcome", json_string_value(action));
        }
    } else {
        int rc = read_outcome(s->sc, outcome, o, file, line, "outcome", d);
        if (rc < 0) {
            return rc;
        }
        op = o;
    }
    int rc = pl_plot_session_add(s, (uint64_t)json_integer_value(round), json_number_value(t), (size_t)p, a, op);
    if (rc == PL_ENOMEM) {
        return pl__diag_set(d, rc, file, line, 0, "out of memory");
    }
    return rc < 0 ? bad(d, file, line, NULL, "invalid action") : 0;
}

int pl_plot_session_read_trace(pl_plot_session *s, const char *path, pl_diag *d)
{
    char *data = NULL;
    size_t len = 0;
    int rc = pl__read_file(path, &data, &len, d);
    if (rc < 0) {
        return rc;
    }
    uint32_t *o = pl__calloc(s->ni ? s->ni : 1, sizeof *o);
    if (!o) {
        pl__free(data);
        return pl__diag_set(d, PL_ENOMEM, path, 0, 0, "out of memory");
    }
    if (only_blanks(data, len)) {
        rc = pl__diag_set(d, PL_EPARSE, path, 1, 1, "empty file (a trace has one JSON object per line)");
        goto cleanup;
    }
    int line = 0;
    for (size_t pos = 0; pos < len;) {
        const char *start = data + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl ? 1 : 0);
        line++;
        if (only_blanks(start, n)) {
            continue;
        }
        json_error_t err;
        json_t *obj = pl__json_loadb(start, n, JSON_REJECT_DUPLICATES, &err);
        if (!obj && pl__json_oom(&err)) {
            rc = pl__diag_set(d, PL_ENOMEM, path, line, 0, "out of memory");
            goto cleanup;
        }
        if (!obj) {
            rc =
                pl__diag_set(d, PL_EPARSE, path, line, err.column > 0 ? err.column : 1, "malformed JSON: %s", err.text);
            goto cleanup;
        }
        rc = trace_line(s, obj, o, path, line, d);
        json_decref(obj);
        if (rc < 0) {
            goto cleanup;
        }
    }
cleanup:
    pl__free(o);
    pl__free(data);
    return rc;
}

/* Optional typed members of the run's object. */
static int opt_member(json_t *root, const char *key, int (*is)(const json_t *), const char *what, json_t **out,
                      const char *file, pl_diag *d)
{
    json_t *v = json_object_get(root, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        return 0;
    }
    if (!is(v)) {
        return bad(d, file, 0, key, "must be %s, not %s", what, type_name(v));
    }
    *out = v;
    return 0;
}

static int is_array(const json_t *v)
{
    return json_is_array(v);
}

static int is_string(const json_t *v)
{
    return json_is_string(v);
}

static int is_number(const json_t *v)
{
    return json_is_number(v);
}

static int is_integer(const json_t *v)
{
    return json_is_integer(v) && json_integer_value(v) >= 0;
}

/* The run's "parties" must be the scenario's, in order. */
static int check_parties(const pl_plot_session *s, json_t *parties, const char *file, pl_diag *d)
{
    if (!json_is_array(parties)) {
        return bad(d, file, 0, "parties", "must be an array of party names");
    }
    int same = json_array_size(parties) == s->np;
    for (size_t k = 0; same && k < s->np; k++) {
        json_t *v = json_array_get(parties, k);
        same = json_is_string(v) && strcmp(json_string_value(v), pl_scenario_party_name(s->sc, k)) == 0;
    }
    if (!same) {
        char names[256] = "";
        for (size_t k = 0; k < s->np; k++) {
            size_t l = strlen(names);
            snprintf(names + l, sizeof names - l, "%s%s", k ? ", " : "", pl_scenario_party_name(s->sc, k));
        }
        return bad(d, file, 0, "parties",
                   "the run's parties are not the scenario's (%s): a run of another "
                   "scenario?",
                   names);
    }
    return 0;
}

int pl_plot_session_read_run(pl_plot_session *s, const char *path, pl_diag *d)
{
    char *data = NULL;
    size_t len = 0;
    int rc = pl__read_file(path, &data, &len, d);
    if (rc < 0) {
        return rc;
    }
    json_t *root = NULL;
    uint32_t *o = pl__calloc(s->ni ? s->ni : 1, sizeof *o);
    if (!o) {
        rc = pl__diag_set(d, PL_ENOMEM, path, 0, 0, "out of memory");
        goto cleanup;
    }
    if (only_blanks(data, len)) {
        rc = pl__diag_set(d, PL_EPARSE, path, 1, 1, "empty file (expected the output of parley run --json)");
        goto cleanup;
    }
    json_error_t err;
    root = pl__json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
    if (!root && pl__json_oom(&err)) {
        rc = pl__diag_set(d, PL_ENOMEM, path, 0, 0, "out of memory");
        goto cleanup;
    }
    if (!root) {
        rc = pl__diag_set(d, PL_EPARSE, path, err.line > 0 ? err.line : 1, err.column > 0 ? err.column : 1,
                          "malformed JSON: %s", err.text);
        goto cleanup;
    }
    if (!json_is_object(root)) {
        rc = bad(d, path, 0, NULL, "a run result is a JSON object (parley run --json), not %s", type_name(root));
        goto cleanup;
    }
    json_t *agents, *status, *t, *rounds;
    PL_TRY(check_parties(s, json_object_get(root, "parties"), path, d));
    if (!json_object_get(root, "agreement")) {
        rc = bad(d, path, 0, NULL, "missing key \"agreement\" (expected the output of parley run --json)");
        goto cleanup;
    }
    PL_TRY(opt_member(root, "agents", is_array, "an array of agent names", &agents, path, d));
    PL_TRY(opt_member(root, "status", is_string, "a string", &status, path, d));
    PL_TRY(opt_member(root, "t", is_number, "a number", &t, path, d));
    PL_TRY(opt_member(root, "rounds", is_integer, "a non-negative integer", &rounds, path, d));
    if (agents && json_array_size(agents) != s->np) {
        rc = bad(d, path, 0, "agents", "%zu agents for %zu parties", json_array_size(agents), s->np);
        goto cleanup;
    }
    for (size_t k = 0; agents && k < s->np; k++) {
        json_t *a = json_array_get(agents, k);
        if (!json_is_string(a)) {
            char where[32];
            snprintf(where, sizeof where, "agents[%zu]", k);
            rc = bad(d, path, 0, where, "must be a string, not %s", type_name(a));
            goto cleanup;
        }
        if (pl_plot_session_set_agent(s, k, json_string_value(a)) < 0) {
            rc = pl__diag_set(d, PL_ENOMEM, path, 0, 0, "out of memory");
            goto cleanup;
        }
    }
    json_t *agreement = json_object_get(root, "agreement");
    const uint32_t *ap = NULL;
    if (!json_is_null(agreement)) {
        PL_TRY(read_outcome(s->sc, agreement, o, path, 0, "agreement", d));
        ap = o;
    }
    double tv = t ? json_number_value(t) : 1;
    uint64_t rv = rounds ? (uint64_t)json_integer_value(rounds) : 0;
    pl_plot_session_set_result(s, ap, tv, rv, status ? json_string_value(status) : NULL);
cleanup:
    json_decref(root);
    pl__free(o);
    pl__free(data);
    return rc;
}
