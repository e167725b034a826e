/* Reading run results (`parley run --json`) and traces (`parley run --trace`, JSON Lines) back for a scenario: the
 * one reader behind `parley report --run` and the plots. Input is a user's file: every complaint names the file,
 * the line where jansson gives one (traces: always), the JSON path, and what is wrong. Syntax, types and missing
 * keys are PL_EPARSE; a record that does not fit the scenario (name, party, issue, value) is PL_EINVAL. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "io/io_internal.h"
#include "record/record_internal.h"

/* Return expr's error code from the enclosing function. */
#define CHECK(expr)                                                                                              \
    do {                                                                                                         \
        int e_ = (expr);                                                                                         \
        if (e_ < 0) {                                                                                            \
            return e_;                                                                                           \
        }                                                                                                        \
    } while (0)

/* A complaint at file:line (0 = none) and JSON path (NULL = none). */
static int bad(pl_diag *d, int code, const char *file, int line, const char *path, const char *fmt, ...)
    PL__PRINTF(6, 7);

static int bad(pl_diag *d, int code, const char *file, int line, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pl__diag_vset(d, code, file, line, 0, fmt, ap);
    va_end(ap);
    if (path && d) {
        pl__diag_path(d, "%s", path);
    }
    return code;
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

/* An outcome {issue: label} naming every issue of sc once, into o. where: its JSON path. */
static int read_outcome(const pl_scenario *sc, const json_t *obj, uint32_t *o, const char *file, int line,
                        const char *where, pl_diag *d)
{
    const pl_space *sp = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(sp);
    char path[128];
    if (!json_is_object(obj)) {
        return bad(d, PL_EPARSE, file, line, where, "an outcome must be an object {issue: value}, not %s",
                   pl__json_type_name(obj));
    }
    for (size_t i = 0; i < ni; i++) {
        const char *issue = pl_space_issue_name(sp, i);
        json_t *v = json_object_get(obj, issue);
        snprintf(path, sizeof path, "%s.%s", where, issue);
        if (!v) {
            return bad(d, PL_EPARSE, file, line, where, "no value for issue \"%s\"", issue);
        }
        if (!json_is_string(v)) {
            return bad(d, PL_EPARSE, file, line, path, "the value of issue \"%s\" must be a string (a value label), "
                       "not %s", issue, pl__json_type_name(v));
        }
        long k = pl_space_find_value(sp, i, json_string_value(v));
        if (k < 0) {
            return bad(d, PL_EINVAL, file, line, path, "issue \"%s\" has no value \"%s\"", issue,
                       json_string_value(v));
        }
        o[i] = (uint32_t)k;
    }
    if (json_object_size(obj) != ni) {
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)obj, key, v)
        {
            if (pl_space_find_issue(sp, key) < 0) {
                return bad(d, PL_EINVAL, file, line, where,
                           "the scenario \"%s\" has no issue \"%s\": is this a record of another scenario?",
                           pl_scenario_name(sc), key);
            }
        }
    }
    return 0;
}

static int t_ok(const json_t *t)
{
    return json_is_number(t) && json_number_value(t) >= 0 && json_number_value(t) <= 1;
}

/* ---- Traces ---- */

typedef struct line_ctx {
    const pl_scenario *sc;
    const char *file;
    int line;
    uint32_t *o;       /* issue count values */
    int *votes;        /* party count */
    double *utils;     /* party count */
    pl_diag *d;
} line_ctx;

/* A value label of issue i at key, into *v. */
static int read_value(line_ctx *c, json_t *obj, const char *key, size_t i, uint32_t *v)
{
    json_t *x = json_object_get(obj, key);
    if (!json_is_string(x)) {
        return bad(c->d, PL_EPARSE, c->file, c->line, key, "must be a value of the issue (a string)");
    }
    long k = pl_space_find_value(pl_scenario_space(c->sc), i, json_string_value(x));
    if (k < 0) {
        return bad(c->d, PL_EINVAL, c->file, c->line, key, "issue \"%s\" has no value \"%s\"",
                   pl_space_issue_name(pl_scenario_space(c->sc), i), json_string_value(x));
    }
    *v = (uint32_t)k;
    return 0;
}

/* A single-text line: {"step", "t", "proposer" (a party or "neutral"), "action": "propose", "issue", "from", "to",
 * "votes": {party: bool}, "stood", "utilities": {party: utility of the proposed text}}. */
static int proposal_line(line_ctx *c, json_t *obj, pl_action_record *rec)
{
    const pl_scenario *sc = c->sc;
    size_t np = pl_scenario_party_count(sc);
    json_t *step = json_object_get(obj, "step"), *t = json_object_get(obj, "t");
    json_t *who = json_object_get(obj, "proposer"), *stood = json_object_get(obj, "stood");
    json_t *utils = json_object_get(obj, "utilities"), *votes = json_object_get(obj, "votes");
    json_t *issue = json_object_get(obj, "issue");
    if (!json_is_integer(step) || json_integer_value(step) < 0) {
        return bad(c->d, PL_EPARSE, c->file, c->line, "step", "must be a non-negative integer");
    }
    if (!t_ok(t)) {
        return bad(c->d, PL_EPARSE, c->file, c->line, "t", "must be a number from 0 to 1 (relative time)");
    }
    if (!json_is_string(who)) {
        return bad(c->d, PL_EPARSE, c->file, c->line, "proposer", "must be a party's name or \"neutral\"");
    }
    rec->party = PL_MEDIATOR_NEUTRAL;
    if (strcmp(json_string_value(who), "neutral") != 0) {
        long p = pl_scenario_find_party(sc, json_string_value(who));
        if (p < 0) {
            return bad(c->d, PL_EINVAL, c->file, c->line, "proposer", "the scenario has no party \"%s\"",
                       json_string_value(who));
        }
        rec->party = (size_t)p;
    }
    if (!json_is_string(issue)) {
        return bad(c->d, PL_EPARSE, c->file, c->line, "issue", "must be the name of the changed issue");
    }
    long i = pl_space_find_issue(pl_scenario_space(sc), json_string_value(issue));
    if (i < 0) {
        return bad(c->d, PL_EINVAL, c->file, c->line, "issue", "the scenario has no issue \"%s\"",
                   json_string_value(issue));
    }
    rec->issue = (size_t)i;
    int rc = read_value(c, obj, "from", rec->issue, &rec->from);
    if (rc == 0) {
        rc = read_value(c, obj, "to", rec->issue, &rec->to);
    }
    if (rc < 0) {
        return rc;
    }
    if (!json_is_object(votes)) {
        return bad(c->d, PL_EPARSE, c->file, c->line, "votes", "must be an object {party: true or false}");
    }
    if (!json_is_boolean(stood)) {
        return bad(c->d, PL_EPARSE, c->file, c->line, "stood", "must be true or false");
    }
    if (!json_is_object(utils)) {
        return bad(c->d, PL_EPARSE, c->file, c->line, "utilities", "must be an object {party: utility}");
    }
    for (size_t k = 0; k < np; k++) {
        const char *name = pl_scenario_party_name(sc, k);
        json_t *v = json_object_get(votes, name), *u = json_object_get(utils, name);
        if (!json_is_boolean(v)) {
            return bad(c->d, PL_EPARSE, c->file, c->line, "votes", "no vote (true or false) for party \"%s\"", name);
        }
        if (!json_is_number(u)) {
            return bad(c->d, PL_EPARSE, c->file, c->line, "utilities", "no number for party \"%s\"", name);
        }
        c->votes[k] = json_is_true(v);
        c->utils[k] = json_number_value(u);
    }
    rec->round = (uint64_t)json_integer_value(step);
    rec->t = json_number_value(t);
    rec->action = PL_ACTION_PROPOSE;
    rec->votes = c->votes;
    rec->utilities = c->utils;
    rec->stood = json_is_true(stood);
    rec->utility = rec->discounted = NAN;
    return 0;
}

/* Optional numbers (utility, discounted): NAN when absent or null. */
static int opt_number(line_ctx *c, json_t *obj, const char *key, double *x)
{
    json_t *v = json_object_get(obj, key);
    *x = NAN;
    if (!v || json_is_null(v)) {
        return 0;
    }
    if (!json_is_number(v)) {
        return bad(c->d, PL_EPARSE, c->file, c->line, key, "must be a number, not %s", pl__json_type_name(v));
    }
    *x = json_number_value(v);
    return 0;
}

/* One trace line (an object) into rec. */
static int trace_line(line_ctx *c, json_t *obj, pl_action_record *rec)
{
    memset(rec, 0, sizeof *rec);
    if (!json_is_object(obj)) {
        return bad(c->d, PL_EPARSE, c->file, c->line, NULL, "a trace line must be a JSON object, not %s",
                   pl__json_type_name(obj));
    }
    json_t *action = json_object_get(obj, "action");
    pl_action_kind a;
    if (json_is_string(action) && pl_action_parse(json_string_value(action), &a) == 0 && a == PL_ACTION_PROPOSE) {
        return proposal_line(c, obj, rec);
    }
    static const char *const need[] = {"round", "t", "party", "action", "outcome"};
    for (size_t k = 0; k < sizeof need / sizeof *need; k++) {
        if (!json_object_get(obj, need[k])) {
            return bad(c->d, PL_EPARSE, c->file, c->line, NULL, "missing key \"%s\"", need[k]);
        }
    }
    json_t *round = json_object_get(obj, "round"), *t = json_object_get(obj, "t");
    json_t *party = json_object_get(obj, "party"), *outcome = json_object_get(obj, "outcome");
    if (!json_is_integer(round) || json_integer_value(round) < 0) {
        return bad(c->d, PL_EPARSE, c->file, c->line, "round", "must be a non-negative integer, not %s",
                   pl__json_type_name(round));
    }
    if (!t_ok(t)) {
        return bad(c->d, PL_EPARSE, c->file, c->line, "t", "must be a number from 0 to 1 (relative time)");
    }
    if (!json_is_string(party)) {
        return bad(c->d, PL_EPARSE, c->file, c->line, "party", "must be a string, not %s", pl__json_type_name(party));
    }
    long p = pl_scenario_find_party(c->sc, json_string_value(party));
    if (p < 0) {
        return bad(c->d, PL_EINVAL, c->file, c->line, "party", "the scenario has no party \"%s\"",
                   json_string_value(party));
    }
    if (!json_is_string(action) || pl_action_parse(json_string_value(action), &a) < 0) {
        return bad(c->d, PL_EPARSE, c->file, c->line, "action", "must be \"offer\", \"accept\", \"end\" or \"propose\"");
    }
    if (json_is_null(outcome)) {
        if (a != PL_ACTION_END) {
            return bad(c->d, PL_EPARSE, c->file, c->line, "outcome", "an %s needs an outcome", pl_action_name(a));
        }
    } else {
        CHECK(read_outcome(c->sc, outcome, c->o, c->file, c->line, "outcome", c->d));
        rec->outcome = c->o;
    }
    rec->round = (uint64_t)json_integer_value(round);
    rec->t = json_number_value(t);
    rec->party = (size_t)p;
    rec->action = a;
    int rc = opt_number(c, obj, "utility", &rec->utility);
    return rc < 0 ? rc : opt_number(c, obj, "discounted", &rec->discounted);
}

int pl_trace_read_mem(const pl_scenario *sc, const char *text, size_t len, const char *name, pl_trace_fn fn,
                      void *ud, pl_diag *d)
{
    size_t np = pl_scenario_party_count(sc), ni = pl_space_issue_count(pl_scenario_space(sc));
    line_ctx c = {sc, name, 0, NULL, NULL, NULL, d};
    int rc = 0;
    if (only_blanks(text, len)) {
        return pl__diag_set(d, PL_EPARSE, name, 1, 1, "empty file (a trace has one JSON object per line)");
    }
    c.o = pl__calloc(ni ? ni : 1, sizeof *c.o);
    c.votes = pl__calloc(np ? np : 1, sizeof *c.votes);
    c.utils = pl__calloc(np ? np : 1, sizeof *c.utils);
    if (!c.o || !c.votes || !c.utils) {
        rc = pl__diag_set(d, PL_ENOMEM, name, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t pos = 0; pos < len;) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl ? 1 : 0);
        c.line++;
        if (only_blanks(start, n)) {
            continue;
        }
        json_error_t err;
        json_t *obj = pl__json_loadb(start, n, JSON_REJECT_DUPLICATES, &err);
        if (!obj && pl__json_oom(&err)) {
            rc = pl__diag_set(d, PL_ENOMEM, name, c.line, 0, "out of memory");
            goto cleanup;
        }
        if (!obj) {
            rc = pl__diag_set(d, PL_EPARSE, name, c.line, err.column > 0 ? err.column : 1, "malformed JSON: %s",
                              err.text);
            goto cleanup;
        }
        pl_action_record rec;
        rc = trace_line(&c, obj, &rec);
        json_decref(obj);
        if (rc == 0 && fn && (rc = fn(ud, &rec)) < 0) {
            rc = rc == PL_ENOMEM ? pl__diag_set(d, rc, name, c.line, 0, "out of memory")
                                 : bad(d, rc, name, c.line, NULL, "the action cannot be used (%s)", pl_strerror(rc));
        }
        if (rc < 0) {
            goto cleanup;
        }
    }
cleanup:
    pl__free(c.o);
    pl__free(c.votes);
    pl__free(c.utils);
    return rc;
}

int pl_trace_read(const pl_scenario *sc, const char *path, pl_trace_fn fn, void *ud, pl_diag *d)
{
    char *text = NULL;
    size_t len = 0;
    int rc = pl__read_file(path, &text, &len, d);
    if (rc < 0) {
        return rc;
    }
    rc = pl_trace_read_mem(sc, text, len, path, fn, ud, d);
    pl__free(text);
    return rc;
}

/* ---- Run results ---- */

/* An optional member: absent or null gives *out = NULL; otherwise it must pass is. */
static int opt_member(json_t *root, const char *key, int (*is)(const json_t *), const char *what, json_t **out,
                      const char *file, pl_diag *d)
{
    json_t *v = json_object_get(root, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        return 0;
    }
    if (!is(v)) {
        return bad(d, PL_EPARSE, file, 0, key, "must be %s, not %s", what, pl__json_type_name(v));
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

static int is_count(const json_t *v)
{
    return json_is_integer(v) && json_integer_value(v) >= 0;
}

static void copy_string(const json_t *v, char *dst, size_t size)
{
    snprintf(dst, size, "%s", v ? json_string_value(v) : "");
}

/* The run's "parties" must be the scenario's, in order. */
static int check_parties(const pl_scenario *sc, json_t *parties, const char *file, pl_diag *d)
{
    size_t np = pl_scenario_party_count(sc);
    int same = json_array_size(parties) == np;
    for (size_t k = 0; same && k < np; k++) {
        json_t *v = json_array_get(parties, k);
        same = json_is_string(v) && strcmp(json_string_value(v), pl_scenario_party_name(sc, k)) == 0;
    }
    if (!same) {
        char names[256] = "";
        for (size_t k = 0; k < np; k++) {
            size_t l = strlen(names);
            snprintf(names + l, sizeof names - l, "%s%s", k ? ", " : "", pl_scenario_party_name(sc, k));
        }
        return bad(d, PL_EINVAL, file, 0, "parties",
                   "the run's parties are not the scenario's (%s): a run of another scenario?", names);
    }
    return 0;
}

static int run_object(const pl_scenario *sc, json_t *root, const char *file, pl_run_data *out, pl_diag *d)
{
    size_t np = out->n_parties, ni = out->n_issues;
    if (!json_is_object(root)) {
        return bad(d, PL_EPARSE, file, 0, NULL, "a run result is a JSON object (parley run --json), not %s",
                   pl__json_type_name(root));
    }
    json_t *agreement = json_object_get(root, "agreement");
    if (!agreement) {
        return bad(d, PL_EPARSE, file, 0, NULL,
                   "not a `parley run --json` result: missing key \"agreement\"");
    }
    json_t *scenario, *protocol, *status, *reason, *parties, *agents, *t, *rounds, *final_text;
    CHECK(opt_member(root, "scenario", is_string, "a string", &scenario, file, d));
    CHECK(opt_member(root, "protocol", is_string, "a string", &protocol, file, d));
    CHECK(opt_member(root, "status", is_string, "a string", &status, file, d));
    CHECK(opt_member(root, "reason", is_string, "a string", &reason, file, d));
    CHECK(opt_member(root, "parties", is_array, "an array of party names", &parties, file, d));
    CHECK(opt_member(root, "agents", is_array, "an array of agent names", &agents, file, d));
    CHECK(opt_member(root, "t", is_number, "a number", &t, file, d));
    CHECK(opt_member(root, "rounds", is_count, "a non-negative integer", &rounds, file, d));
    if (scenario && json_string_value(scenario)[0] && strcmp(json_string_value(scenario), pl_scenario_name(sc)) != 0) {
        return bad(d, PL_EINVAL, file, 0, "scenario", "this is a run of scenario \"%s\", not the scenario's (\"%s\")",
                   json_string_value(scenario), pl_scenario_name(sc));
    }
    if (parties) {
        CHECK(check_parties(sc, parties, file, d));
    }
    if (agents && json_array_size(agents) != np) {
        return bad(d, PL_EPARSE, file, 0, "agents", "%zu agents for %zu parties", json_array_size(agents), np);
    }
    copy_string(scenario, out->rec.scenario, sizeof out->rec.scenario);
    copy_string(protocol, out->rec.protocol, sizeof out->rec.protocol);
    copy_string(status, out->rec.status, sizeof out->rec.status);
    copy_string(reason, out->rec.reason, sizeof out->rec.reason);
    if (agents) {
        if (!(out->agents = pl__calloc(np ? np : 1, sizeof *out->agents))) {
            return pl__diag_set(d, PL_ENOMEM, file, 0, 0, "out of memory");
        }
        for (size_t k = 0; k < np; k++) {
            json_t *a = json_array_get(agents, k);
            if (!json_is_string(a)) {
                char where[32];
                snprintf(where, sizeof where, "agents[%zu]", k);
                return bad(d, PL_EPARSE, file, 0, where, "must be a string, not %s", pl__json_type_name(a));
            }
            if (!(out->agents[k] = pl__strdup(json_string_value(a)))) {
                return pl__diag_set(d, PL_ENOMEM, file, 0, 0, "out of memory");
            }
        }
    }
    if (!json_is_null(agreement)) {
        if (!(out->agreement = pl__calloc(ni ? ni : 1, sizeof *out->agreement))) {
            return pl__diag_set(d, PL_ENOMEM, file, 0, 0, "out of memory");
        }
        CHECK(read_outcome(sc, agreement, out->agreement, file, 0, "agreement", d));
        out->rec.has_agreement = 1;
    }
    final_text = json_object_get(root, "final_text");
    if (final_text && !json_is_null(final_text)) {
        if (!(out->final_text = pl__calloc(ni ? ni : 1, sizeof *out->final_text))) {
            return pl__diag_set(d, PL_ENOMEM, file, 0, 0, "out of memory");
        }
        CHECK(read_outcome(sc, final_text, out->final_text, file, 0, "final_text", d));
        out->rec.has_final_text = 1;
    }
    out->has_t = t != NULL;
    out->t = t ? json_number_value(t) : 0;
    out->has_rounds = rounds != NULL;
    out->rounds = rounds ? (uint64_t)json_integer_value(rounds) : 0;
    return 0;
}

int pl_run_read_mem(const pl_scenario *sc, const char *text, size_t len, const char *name, pl_run_data *out,
                    pl_diag *d)
{
    memset(out, 0, sizeof *out);
    out->n_parties = pl_scenario_party_count(sc);
    out->n_issues = pl_space_issue_count(pl_scenario_space(sc));
    if (only_blanks(text, len)) {
        return pl__diag_set(d, PL_EPARSE, name, 1, 1, "empty file (expected the output of parley run --json)");
    }
    json_error_t err;
    json_t *root = pl__json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!root && pl__json_oom(&err)) {
        return pl__diag_set(d, PL_ENOMEM, name, 0, 0, "out of memory");
    }
    if (!root) {
        return pl__diag_set(d, PL_EPARSE, name, err.line > 0 ? err.line : 1, err.column > 0 ? err.column : 1,
                            "malformed JSON: %s", err.text);
    }
    int rc = run_object(sc, root, name, out, d);
    json_decref(root);
    if (rc < 0) {
        pl_run_data_destroy(out);
    }
    return rc;
}

int pl_run_read(const pl_scenario *sc, const char *path, pl_run_data *out, pl_diag *d)
{
    memset(out, 0, sizeof *out);
    char *text = NULL;
    size_t len = 0;
    int rc = pl__read_file(path, &text, &len, d);
    if (rc < 0) {
        return rc;
    }
    rc = pl_run_read_mem(sc, text, len, path, out, d);
    pl__free(text);
    return rc;
}

void pl_run_data_destroy(pl_run_data *r)
{
    if (!r) {
        return;
    }
    for (size_t k = 0; r->agents && k < r->n_parties; k++) {
        pl__free(r->agents[k]);
    }
    pl__free(r->agents);
    pl__free(r->agreement);
    pl__free(r->final_text);
    memset(r, 0, sizeof *r);
}

int pl_run_record_load(const pl_scenario *sc, const char *path, pl_run_record *rec, uint32_t *agreement,
                       uint32_t *final_text, pl_diag *d)
{
    pl_run_data run;
    memset(rec, 0, sizeof *rec);
    int rc = pl_run_read(sc, path, &run, d);
    if (rc < 0) {
        return rc;
    }
    if (!run.rec.status[0]) {
        rc = bad(d, PL_EPARSE, path, 0, NULL, "not a `parley run --json` result (an object with \"status\" and "
                 "\"agreement\")");
        goto cleanup;
    }
    *rec = run.rec;
    if (run.agreement) {
        memcpy(agreement, run.agreement, run.n_issues * sizeof *agreement);
    }
    if (final_text && run.final_text) {
        memcpy(final_text, run.final_text, run.n_issues * sizeof *final_text);
    } else {
        rec->has_final_text = 0;
    }
cleanup:
    pl_run_data_destroy(&run);
    return rc;
}
