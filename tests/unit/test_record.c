/* parley/record.h and parley/names.h: the writers of every machine-readable output, the one reader of run results
 * and traces, and the name tables. Sessions are run through the library; what is written is read back (by the
 * record reader, and independently by jansson) and compared with the pl_session_result and the action records the
 * session reported. Malformed inputs (every truncation, wrong types, another scenario's run) must be errors naming
 * the file, never crashes. */
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parley/parley.h"

/* ---- Helpers ---- */

/* Every action the session reported, copied. */
typedef struct captured {
    size_t n, cap, ni, np;
    pl_action_record *recs;
    uint32_t *outcomes; /* ni per record */
    int *has_outcome;
    int *votes;         /* np per record */
    double *utils;      /* np per record */
} captured;

static void capture(void *ud, const pl_action_record *rec)
{
    captured *c = ud;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->recs = realloc(c->recs, c->cap * sizeof *c->recs);
        c->outcomes = realloc(c->outcomes, c->cap * c->ni * sizeof *c->outcomes);
        c->has_outcome = realloc(c->has_outcome, c->cap * sizeof *c->has_outcome);
        c->votes = realloc(c->votes, c->cap * c->np * sizeof *c->votes);
        c->utils = realloc(c->utils, c->cap * c->np * sizeof *c->utils);
        assert_non_null(c->recs);
        assert_non_null(c->outcomes);
    }
    c->recs[c->n] = *rec;
    c->has_outcome[c->n] = rec->outcome != NULL;
    if (rec->outcome) {
        memcpy(c->outcomes + c->n * c->ni, rec->outcome, c->ni * sizeof *rec->outcome);
    }
    if (rec->action == PL_ACTION_PROPOSE) {
        memcpy(c->votes + c->n * c->np, rec->votes, c->np * sizeof *rec->votes);
        memcpy(c->utils + c->n * c->np, rec->utilities, c->np * sizeof *rec->utilities);
    }
    c->n++;
}

static void captured_free(captured *c)
{
    free(c->recs);
    free(c->outcomes);
    free(c->has_outcome);
    free(c->votes);
    free(c->utils);
}

/* A growable text the trace writer appends to. */
typedef struct text_sink {
    char *s;
    size_t len;
    int fail_after; /* > 0: the Nth write fails with PL_EIO */
    int writes;
} text_sink;

static int sink_write(void *ud, const char *text, size_t len)
{
    text_sink *t = ud;
    if (t->fail_after > 0 && ++t->writes >= t->fail_after) {
        return PL_EIO;
    }
    t->s = realloc(t->s, t->len + len + 1);
    assert_non_null(t->s);
    memcpy(t->s + t->len, text, len);
    t->len += len;
    t->s[t->len] = '\0';
    return 0;
}

/* Both callbacks at once: the writer, and a copy of each record. */
typedef struct both {
    pl_trace_writer *w;
    captured *c;
} both;

static void on_both(void *ud, const pl_action_record *rec)
{
    both *b = ud;
    pl_trace_on_action(b->w, rec);
    capture(b->c, rec);
}

typedef struct session_out {
    pl_scenario *sc;
    pl_session_result r;
    pl_session_options so;
    char *agents[8];
    captured c;
    text_sink trace;
} session_out;

/* Run scenario path with the agents (comma list, or NULL for single-text hill-climbers). */
static void run_session(session_out *s, const char *path, const char *agents, pl_protocol protocol, uint64_t rounds,
                        uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->sc = tu_load1(path);
    size_t np = pl_scenario_party_count(s->sc);
    assert_true(np <= 8);
    pl_registry *reg = tu_registry_new();
    assert_non_null(reg);
    pl_agent_spec *specs[8];
    char list[256];
    snprintf(list, sizeof list, "%s", agents ? agents : "");
    char *save = NULL, *tok = agents ? strtok_r(list, ",", &save) : NULL;
    pl_diag d;
    pl_diag_clear(&d);
    for (size_t k = 0; k < np; k++) {
        const char *name = agents ? tok : "hill-climber";
        assert_non_null(name);
        assert_int_equal(pl_agent_spec_parse(reg, name, &specs[k], &d), 0);
        s->agents[k] = strdup(pl_agent_spec_text(specs[k]));
        tok = agents ? strtok_r(NULL, ",", &save) : NULL;
    }
    pl_negotiation *neg;
    assert_int_equal(pl_negotiation_new(s->sc, NULL, &neg, &d), 0);
    pl_session_options_init(&s->so);
    s->so.protocol = protocol;
    s->so.rounds = rounds;
    s->so.seed = seed;
    s->c.ni = pl_space_issue_count(pl_scenario_space(s->sc));
    s->c.np = np;
    pl_trace_writer w;
    pl_trace_writer_init(&w, s->sc, sink_write, &s->trace);
    both b = {&w, &s->c};
    s->so.on_action = on_both;
    s->so.action_ud = &b;
    pl_session_result_init(&s->r);
    assert_int_equal(pl_session_run(neg, (const pl_agent_spec *const *)specs, np, &s->so, &s->r, &d), 0);
    assert_int_equal(w.rc, 0);
    s->so.on_action = NULL;
    for (size_t k = 0; k < np; k++) {
        pl_agent_spec_free(specs[k]);
    }
    pl_negotiation_free(neg);
    pl_registry_free(reg);
}

static void session_free(session_out *s)
{
    for (size_t k = 0; k < 8; k++) {
        free(s->agents[k]);
    }
    captured_free(&s->c);
    free(s->trace.s);
    pl_session_result_free(&s->r);
    pl_scenario_free(s->sc);
}

static char *run_json(session_out *s)
{
    pl_run_info info;
    pl_run_info_init(&info, &s->so);
    info.agents = (const char *const *)s->agents;
    char *text = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_run_to_json(s->sc, &info, &s->r, &text, &d), 0);
    assert_non_null(text);
    return text;
}

/* ---- Name tables ---- */

#define ROUND_TRIP(type, name_fn, parse_fn, first, last)                                                            \
    do {                                                                                                           \
        for (int v_ = (first); v_ <= (last); v_++) {                                                               \
            type got_;                                                                                              \
            const char *n_ = name_fn((type)v_);                                                                     \
            assert_string_not_equal(n_, "?");                                                                       \
            assert_int_equal(parse_fn(n_, &got_), 0);                                                               \
            assert_int_equal((int)got_, v_);                                                                        \
        }                                                                                                          \
        type keep_ = (type)(first);                                                                                 \
        assert_int_equal(parse_fn("no-such-name", &keep_), PL_EINVAL);                                              \
        assert_int_equal(parse_fn(NULL, &keep_), PL_EINVAL);                                                        \
        assert_int_equal(parse_fn("", &keep_), PL_EINVAL);                                                          \
        assert_int_equal((int)keep_, (first));                                                                      \
    } while (0)

static void test_names_round_trip(void **state)
{
    (void)state;
    ROUND_TRIP(pl_protocol, pl_protocol_name, pl_protocol_parse, PL_PROTOCOL_SAOP, PL_PROTOCOL_SINGLE_TEXT);
    ROUND_TRIP(pl_action_kind, pl_action_name, pl_action_parse, PL_ACTION_OFFER, PL_ACTION_PROPOSE);
    ROUND_TRIP(pl_session_status, pl_session_status_name, pl_session_status_parse, PL_SESSION_AGREEMENT,
               PL_SESSION_ERROR);
    ROUND_TRIP(pl_issue_status, pl_issue_status_name, pl_issue_status_parse, PL_ISSUE_AGREED, PL_ISSUE_UNDETERMINED);
    ROUND_TRIP(pl_point_kind, pl_point_kind_name, pl_point_kind_parse, PL_POINT_NASH, PL_POINT_MAX_WELFARE);
    ROUND_TRIP(pl_pareto_algorithm, pl_pareto_algorithm_name, pl_pareto_algorithm_parse, PL_PARETO_AUTO,
               PL_PARETO_SEARCH);
    ROUND_TRIP(pl_mediator_order, pl_mediator_order_name, pl_mediator_order_parse, PL_MEDIATOR_RANDOM,
               PL_MEDIATOR_SYSTEMATIC);
    ROUND_TRIP(pl_issue_kind, pl_issue_kind_name, pl_issue_kind_parse, PL_ISSUE_DISCRETE, PL_ISSUE_REAL);
    ROUND_TRIP(pl_ufun_kind, pl_ufun_kind_name, pl_ufun_kind_parse, PL_UFUN_LINEAR, PL_UFUN_RECT);
    ROUND_TRIP(pl_format, pl_format_name, pl_format_parse, PL_FORMAT_AUTO, PL_FORMAT_PARLEY_JSON);
    ROUND_TRIP(pl_export_format, pl_export_format_name, pl_export_format_parse, PL_EXPORT_CSV, PL_EXPORT_JSON);
    ROUND_TRIP(pl_param_kind, pl_param_kind_name, pl_param_kind_parse, PL_PARAM_DOUBLE, PL_PARAM_STRING);
    /* The documented spellings (docs/formats.md, the CLI's options), and names are case-sensitive. */
    assert_string_equal(pl_protocol_name(PL_PROTOCOL_SAOP_GENIUS), "saop-genius");
    assert_string_equal(pl_action_name(PL_ACTION_PROPOSE), "propose");
    assert_string_equal(pl_issue_status_name(PL_ISSUE_NOT_ADDRESSED), "not addressed");
    assert_string_equal(pl_point_kind_name(PL_POINT_KALAI_SMORODINSKY), "kalai_smorodinsky");
    assert_string_equal(pl_ufun_kind_name(PL_UFUN_RECT), "hyper_rectangle");
    pl_protocol p;
    assert_int_equal(pl_protocol_parse("SAOP", &p), PL_EINVAL);
    /* Out of range: "?" (the algorithm keeps its old "auto"). */
    assert_string_equal(pl_protocol_name((pl_protocol)99), "?");
    assert_string_equal(pl_session_status_name((pl_session_status)-1), "?");
    assert_string_equal(pl_pareto_algorithm_name((pl_pareto_algorithm)42), "auto");
}

/* ---- Run results: write -> read ---- */

static void check_run_round_trip(session_out *s)
{
    const pl_space *sp = pl_scenario_space(s->sc);
    size_t np = pl_scenario_party_count(s->sc), ni = pl_space_issue_count(sp);
    char *text = run_json(s);
    /* Independently, with jansson: the numbers are the result's, exactly (shortest round-trip form). */
    json_error_t err;
    json_t *root = json_loads(text, 0, &err);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "protocol")), pl_protocol_name(s->so.protocol));
    assert_string_equal(json_string_value(json_object_get(root, "status")), pl_session_status_name(s->r.status));
    assert_int_equal(json_integer_value(json_object_get(root, "seed")), (json_int_t)s->so.seed);
    for (size_t k = 0; k < np; k++) {
        assert_true(json_real_value(json_array_get(json_object_get(root, "utilities"), k)) == s->r.utilities[k] ||
                    json_number_value(json_array_get(json_object_get(root, "utilities"), k)) == s->r.utilities[k]);
        assert_true(json_number_value(json_array_get(json_object_get(root, "raw_utilities"), k)) ==
                    s->r.raw_utilities[k]);
    }
    assert_true(json_number_value(json_object_get(root, "t")) == s->r.t);
    json_decref(root);
    /* The record reader gives back the agreement, final text, agents, t and rounds. */
    pl_run_data run;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_run_read_mem(s->sc, text, strlen(text), "run.json", &run, &d), 0);
    assert_int_equal(run.rec.has_agreement, s->r.has_agreement);
    if (s->r.has_agreement) {
        assert_memory_equal(run.agreement, s->r.agreement, ni * sizeof *run.agreement);
    }
    assert_int_equal(run.rec.has_final_text, s->r.final_text != NULL);
    if (s->r.final_text) {
        assert_memory_equal(run.final_text, s->r.final_text, ni * sizeof *run.final_text);
    }
    assert_string_equal(run.rec.status, pl_session_status_name(s->r.status));
    assert_string_equal(run.rec.protocol, pl_protocol_name(s->so.protocol));
    assert_string_equal(run.rec.scenario, pl_scenario_name(s->sc));
    assert_string_equal(run.rec.reason, s->r.reason);
    assert_non_null(run.agents);
    for (size_t k = 0; k < np; k++) {
        assert_string_equal(run.agents[k], s->agents[k]);
    }
    assert_true(run.has_t && run.t == s->r.t);
    assert_true(run.has_rounds && run.rounds == s->r.rounds);
    pl_run_data_destroy(&run);
    assert_null(run.agents);
    /* Saved atomically: the file holds exactly the text. */
    char dir[256], path[512];
    tu_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/run.json", dir);
    pl_run_info info;
    pl_run_info_init(&info, &s->so);
    info.agents = (const char *const *)s->agents;
    assert_int_equal(pl_run_save_json(s->sc, &info, &s->r, path, &d), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *back = calloc(strlen(text) + 16, 1);
    size_t got = fread(back, 1, strlen(text) + 15, f);
    fclose(f);
    assert_int_equal(got, strlen(text));
    assert_string_equal(back, text);
    free(back);
    /* pl_run_record_load (report --run) agrees. */
    pl_run_record rec;
    uint32_t ag[64], ft[64];
    assert_true(ni <= 64);
    assert_int_equal(pl_run_record_load(s->sc, path, &rec, ag, ft, &d), 0);
    assert_int_equal(rec.has_agreement, s->r.has_agreement);
    if (s->r.has_agreement) {
        assert_memory_equal(ag, s->r.agreement, ni * sizeof *ag);
    }
    tu_rmtree(dir);
    free(text);
}

static void test_run_write_read(void **state)
{
    (void)state;
    session_out s;
    run_session(&s, PL_SCENARIOS "/job-offer.json", "boulware,conceder", PL_PROTOCOL_SAOP, 200, 3);
    assert_int_equal(s.r.status, PL_SESSION_AGREEMENT); /* two conceding agents over 200 rounds agree */
    check_run_round_trip(&s);
    session_free(&s);
    run_session(&s, PL_SCENARIOS "/supply-contract.json", "hardliner,hardliner,hardliner", PL_PROTOCOL_SAOP_GENIUS,
                20, 5);
    assert_int_equal(s.r.has_agreement, 0); /* hardliners never concede */
    char *text = run_json(&s);
    assert_non_null(strstr(text, "\"genius_csv_round\": 21,")); /* GENIUS's ROUND column: rounds + 1 */
    free(text);
    check_run_round_trip(&s);
    session_free(&s);
    run_session(&s, PL_SCENARIOS "/ceasefire-2025.json", NULL, PL_PROTOCOL_SINGLE_TEXT, 60, 4);
    assert_non_null(s.r.final_text);
    text = run_json(&s);
    assert_non_null(strstr(text, "\"mediator\": \"neutral\""));
    assert_non_null(strstr(text, "\"final_text_utilities\""));
    free(text);
    check_run_round_trip(&s);
    session_free(&s);
}

static int capture_read(void *ud, const pl_action_record *rec)
{
    capture(ud, rec);
    return 0;
}

static void compare_captured(const captured *a, const captured *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t k = 0; k < a->n; k++) {
        const pl_action_record *x = &a->recs[k], *y = &b->recs[k];
        assert_int_equal(x->round, y->round);
        assert_true(x->t == y->t);
        assert_int_equal(x->party, y->party);
        assert_int_equal(x->action, y->action);
        assert_int_equal(a->has_outcome[k] && x->action != PL_ACTION_PROPOSE,
                         b->has_outcome[k] && y->action != PL_ACTION_PROPOSE);
        if (x->action == PL_ACTION_PROPOSE) {
            assert_int_equal(x->issue, y->issue);
            assert_int_equal(x->from, y->from);
            assert_int_equal(x->to, y->to);
            assert_int_equal(x->stood, y->stood);
            assert_memory_equal(a->votes + k * a->np, b->votes + k * b->np, a->np * sizeof *a->votes);
            for (size_t p = 0; p < a->np; p++) {
                double u = a->utils[k * a->np + p], v = b->utils[k * b->np + p];
                assert_true(u == v || (isnan(u) && isnan(v)));
            }
        } else {
            if (a->has_outcome[k]) {
                assert_memory_equal(a->outcomes + k * a->ni, b->outcomes + k * b->ni, a->ni * sizeof *a->outcomes);
            }
            assert_true(x->utility == y->utility || (isnan(x->utility) && isnan(y->utility)));
            assert_true(x->discounted == y->discounted || (isnan(x->discounted) && isnan(y->discounted)));
        }
    }
}

/* The trace the writer streamed reads back to the records the session reported. */
static void trace_case(const char *path, const char *agents, pl_protocol protocol, uint64_t rounds)
{
    session_out s;
    run_session(&s, path, agents, protocol, rounds, 7);
    assert_true(s.c.n > 0);
    /* One line per action the session reported. */
    size_t lines = 0;
    for (size_t k = 0; k < s.trace.len; k++) {
        lines += s.trace.s[k] == '\n';
    }
    assert_int_equal(lines, s.c.n);
    captured back = {0};
    back.ni = s.c.ni;
    back.np = s.c.np;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_trace_read_mem(s.sc, s.trace.s, s.trace.len, "t.jsonl", capture_read, &back, &d), 0);
    compare_captured(&s.c, &back);
    captured_free(&back);
    /* One line per action, each exactly what pl_trace_action_to_json gives for it. */
    char *line = NULL;
    pl_action_record rec = s.c.recs[0];
    rec.outcome = s.c.has_outcome[0] ? s.c.outcomes : NULL;
    rec.votes = s.c.votes;
    rec.utilities = s.c.utils;
    assert_int_equal(pl_trace_action_to_json(s.sc, &rec, &line, &d), 0);
    assert_int_equal(strncmp(s.trace.s, line, strlen(line)), 0);
    free(line);
    /* A party out of range is refused, not written. */
    rec.party = 1000;
    rec.action = PL_ACTION_OFFER;
    assert_int_equal(pl_trace_action_to_json(s.sc, &rec, &line, &d), PL_EINVAL);
    assert_null(line);
    session_free(&s);
}

static void test_trace_write_read(void **state)
{
    (void)state;
    trace_case(PL_SCENARIOS "/job-offer.json", "boulware,conceder", PL_PROTOCOL_SAOP, 100);
    trace_case(PL_SCENARIOS "/supply-contract.json", "hardliner,conceder,boulware", PL_PROTOCOL_SAOP_GENIUS, 15);
    trace_case(PL_SCENARIOS "/ceasefire-2025.json", NULL, PL_PROTOCOL_SINGLE_TEXT, 40);
}

/* A sink that fails stops the writer at that action and keeps the error. */
static void test_trace_writer_sink_error(void **state)
{
    (void)state;
    pl_scenario *sc = tu_load1(PL_SCENARIOS "/job-offer.json");
    text_sink t = {0};
    t.fail_after = 2;
    pl_trace_writer w;
    pl_trace_writer_init(&w, sc, sink_write, &t);
    uint32_t o[8] = {0};
    pl_action_record rec = {0};
    rec.round = 1;
    rec.party = 0;
    rec.action = PL_ACTION_OFFER;
    rec.outcome = o;
    rec.utility = rec.discounted = 0.5;
    pl_trace_on_action(&w, &rec);
    assert_int_equal(w.rc, 0);
    pl_trace_on_action(&w, &rec);
    assert_int_equal(w.rc, PL_EIO);
    pl_trace_on_action(&w, &rec);
    assert_int_equal(w.rc, PL_EIO);
    assert_int_equal(t.writes, 2); /* nothing after the failure */
    /* Exactly one line was written, and it reads back. */
    pl_diag d;
    assert_int_equal(pl_trace_read_mem(sc, t.s, t.len, "t.jsonl", NULL, NULL, &d), 0);
    assert_non_null(strstr(t.s, "\"action\": \"offer\""));
    free(t.s);
    pl_scenario_free(sc);
}

/* ---- Malformed input ---- */

static void test_run_malformed(void **state)
{
    (void)state;
    session_out s;
    run_session(&s, PL_SCENARIOS "/ceasefire-2025.json", NULL, PL_PROTOCOL_SINGLE_TEXT, 30, 2);
    char *text = run_json(&s);
    size_t len = strlen(text);
    pl_run_data run;
    pl_diag d;
    /* Every truncation is an error naming the file (or, cut inside the trailing blanks, the whole result). */
    for (size_t n = 0; n < len; n++) {
        pl_diag_clear(&d);
        int rc = pl_run_read_mem(s.sc, text, n, "cut.json", &run, &d);
        if (n >= len - 1) {
            assert_int_equal(rc, 0);
            pl_run_data_destroy(&run);
            continue;
        }
        assert_int_equal(rc, PL_EPARSE);
        assert_string_equal(d.file, "cut.json");
        assert_true(d.line >= 1);
        assert_null(run.agents);
        assert_null(run.agreement);
    }
    /* Wrong types, each with its path. */
    static const struct {
        const char *text, *path;
        int code;
    } bad[] = {
        {"[1, 2]", "", PL_EPARSE},
        {"{\"status\": \"deadline\"}", "", PL_EPARSE},
        {"{\"status\": 3, \"agreement\": null}", "status", PL_EPARSE},
        {"{\"agreement\": 5}", "agreement", PL_EPARSE},
        {"{\"agreement\": null, \"agents\": 7}", "agents", PL_EPARSE},
        {"{\"agreement\": null, \"agents\": [\"a\"]}", "agents", PL_EPARSE},
        {"{\"agreement\": null, \"t\": \"late\"}", "t", PL_EPARSE},
        {"{\"agreement\": null, \"rounds\": -1}", "rounds", PL_EPARSE},
        {"{\"agreement\": null, \"final_text\": []}", "final_text", PL_EPARSE},
        {"{\"agreement\": null, \"scenario\": \"job-offer\"}", "scenario", PL_EINVAL},
        {"{\"agreement\": null, \"parties\": [\"employer\", \"candidate\"]}", "parties", PL_EINVAL},
        {"{\"agreement\": null, \"status\": \"x\", \"status\": \"y\"}", "", PL_EPARSE},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        pl_diag_clear(&d);
        assert_int_equal(pl_run_read_mem(s.sc, bad[k].text, strlen(bad[k].text), "bad.json", &run, &d), bad[k].code);
        assert_string_equal(d.file, "bad.json");
        assert_string_equal(d.path, bad[k].path);
    }
    /* A value that is not a label, at the first issue. */
    char typed[256], where[160];
    const char *first = pl_space_issue_name(pl_scenario_space(s.sc), 0);
    snprintf(typed, sizeof typed, "{\"agreement\": {\"%s\": 1}}", first);
    snprintf(where, sizeof where, "agreement.%s", first);
    pl_diag_clear(&d);
    assert_int_equal(pl_run_read_mem(s.sc, typed, strlen(typed), "bad.json", &run, &d), PL_EPARSE);
    assert_string_equal(d.path, where);
    /* An unknown value of a real issue, and an issue the scenario lacks: not this scenario's (PL_EINVAL). */
    char *other = strdup(text);
    char *at = strstr(other, "\"final_text\": {");
    assert_non_null(at);
    char *q = strchr(at + 16, ':');
    assert_non_null(q);
    q = strchr(q, '"');
    q[1] = '#'; /* the first final-text value becomes "#..." */
    pl_diag_clear(&d);
    assert_int_equal(pl_run_read_mem(s.sc, other, strlen(other), "v.json", &run, &d), PL_EINVAL);
    assert_non_null(strstr(d.message, "has no value"));
    free(other);
    /* Another scenario's run: the job offer's result read for the ceasefire. */
    session_out j;
    run_session(&j, PL_SCENARIOS "/job-offer.json", "boulware,conceder", PL_PROTOCOL_SAOP, 50, 1);
    char *jt = run_json(&j);
    pl_diag_clear(&d);
    assert_int_equal(pl_run_read_mem(s.sc, jt, strlen(jt), "job.json", &run, &d), PL_EINVAL);
    assert_string_equal(d.file, "job.json");
    assert_non_null(strstr(d.message, "run of scenario \"job-offer\""));
    /* The same without its name: the parties give it away. */
    char *nameless = strdup(jt);
    char *nm = strstr(nameless, "\"job-offer\"");
    memcpy(nm, "\"\"         ", 11);
    pl_diag_clear(&d);
    assert_int_equal(pl_run_read_mem(s.sc, nameless, strlen(nameless), "job.json", &run, &d), PL_EINVAL);
    assert_string_equal(d.path, "parties");
    free(nameless);
    /* A run record needs a status; unreadable files are PL_EIO with the file. */
    pl_run_record rec;
    uint32_t ag[64];
    char dir[256], path[512];
    tu_mkdtemp(dir, sizeof dir);
    tu_write(dir, "nostatus.json", "{\"agreement\": null}", path, sizeof path);
    assert_int_equal(pl_run_record_load(s.sc, path, &rec, ag, NULL, &d), PL_EPARSE);
    assert_int_equal(pl_run_read(s.sc, "/nonexistent/run.json", &run, &d), PL_EIO);
    assert_non_null(strstr(d.file, "run.json"));
    tu_rmtree(dir);
    free(jt);
    session_free(&j);
    free(text);
    session_free(&s);
}

static void test_trace_malformed(void **state)
{
    (void)state;
    session_out s;
    run_session(&s, PL_SCENARIOS "/ceasefire-2025.json", NULL, PL_PROTOCOL_SINGLE_TEXT, 8, 3);
    const char *t = s.trace.s;
    size_t len = s.trace.len;
    pl_diag d;
    /* Every truncation: whole lines read; a cut inside a line is malformed JSON at that line. */
    for (size_t n = 0; n < len; n++) {
        size_t line = 1, whole = 1;
        for (size_t k = 0; k < n; k++) {
            line += t[k] == '\n';
        }
        whole = n == 0 || t[n - 1] == '\n' || t[n] == '\n'; /* a cut just before a newline keeps the line whole */
        pl_diag_clear(&d);
        int rc = pl_trace_read_mem(s.sc, t, n, "cut.jsonl", NULL, NULL, &d);
        if (whole) {
            assert_int_equal(rc, n == 0 ? PL_EPARSE : 0); /* n == 0: an empty file */
        } else {
            assert_int_equal(rc, PL_EPARSE);
            assert_string_equal(d.file, "cut.jsonl");
            assert_int_equal(d.line, (int)line);
        }
    }
    static const struct {
        const char *text, *path;
        int code;
    } bad[] = {
        {"7\n", "", PL_EPARSE},
        {"{\"round\": 1}\n", "", PL_EPARSE},
        {"{\"step\": 1, \"t\": 0, \"proposer\": \"neutral\", \"action\": \"propose\"}\n", "issue", PL_EPARSE},
        {"{\"step\": -1, \"action\": \"propose\"}\n", "step", PL_EPARSE},
        {"{\"step\": 1, \"t\": 0, \"proposer\": \"nobody\", \"action\": \"propose\"}\n", "proposer", PL_EINVAL},
        {"{\"step\": 1, \"t\": 0, \"proposer\": \"neutral\", \"action\": \"propose\", \"issue\": \"mars\"}\n", "issue",
         PL_EINVAL},
        {"{\"round\": 1, \"t\": 0, \"party\": \"russia\", \"action\": \"wave\", \"outcome\": null}\n", "action",
         PL_EPARSE},
        {"{\"round\": 1, \"t\": 0.5, \"party\": \"russia\", \"action\": \"end\", \"outcome\": null, \"utility\": "
         "\"x\"}\n",
         "utility", PL_EPARSE},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        pl_diag_clear(&d);
        assert_int_equal(pl_trace_read_mem(s.sc, bad[k].text, strlen(bad[k].text), "bad.jsonl", NULL, NULL, &d),
                         bad[k].code);
        assert_string_equal(d.file, "bad.jsonl");
        assert_int_equal(d.line, 1);
        assert_string_equal(d.path, bad[k].path);
    }
    /* Another scenario's trace: the job offer's parties are unknown here. */
    session_out j;
    run_session(&j, PL_SCENARIOS "/job-offer.json", "boulware,conceder", PL_PROTOCOL_SAOP, 20, 1);
    pl_diag_clear(&d);
    assert_int_equal(pl_trace_read_mem(s.sc, j.trace.s, j.trace.len, "job.jsonl", NULL, NULL, &d), PL_EINVAL);
    assert_string_equal(d.file, "job.jsonl");
    assert_int_equal(d.line, 1);
    session_free(&j);
    session_free(&s);
}

/* A callback's error stops the reading at that line. */
static int stop_at_third(void *ud, const pl_action_record *rec)
{
    (void)rec;
    return ++*(int *)ud == 3 ? PL_EINVAL : 0;
}

static void test_trace_callback_stops(void **state)
{
    (void)state;
    session_out s;
    run_session(&s, PL_SCENARIOS "/job-offer.json", "boulware,conceder", PL_PROTOCOL_SAOP, 50, 1);
    int seen = 0;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_trace_read_mem(s.sc, s.trace.s, s.trace.len, "t.jsonl", stop_at_third, &seen, &d), PL_EINVAL);
    assert_int_equal(seen, 3);
    assert_int_equal(d.line, 3);
    session_free(&s);
}

/* ---- Analyses, reports, summaries ---- */

static void test_analysis_and_report_json(void **state)
{
    (void)state;
    pl_scenario *sc = tu_load1(PL_SCENARIOS "/job-offer.json");
    pl_analysis *a;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_analyze(sc, NULL, &a, &d), 0);
    const pl_frontier *f = pl_analysis_frontier(a);
    char *text = NULL;
    assert_int_equal(pl_analysis_to_json(sc, a, 2, 0.25, &text, &d), 0);
    json_error_t err;
    json_t *root = json_loads(text, 0, &err);
    assert_non_null(root);
    assert_int_equal(json_integer_value(json_object_get(root, "frontier_size")), (json_int_t)pl_frontier_size(f));
    assert_int_equal(json_array_size(json_object_get(root, "frontier")), 2);
    assert_true(json_is_true(json_object_get(root, "frontier_truncated")));
    assert_true(json_number_value(json_object_get(root, "seconds")) == 0.25);
    long nash = pl_analysis_point(a, PL_POINT_NASH);
    assert_true(nash >= 0);
    json_t *nu = json_object_get(json_object_get(root, "nash"), "utilities");
    for (size_t k = 0; k < pl_frontier_party_count(f); k++) {
        assert_true(json_number_value(json_array_get(nu, k)) == pl_frontier_utilities(f, (size_t)nash)[k]);
    }
    json_decref(root);
    free(text);
    assert_int_equal(pl_analysis_to_json(sc, a, -1, 0, &text, &d), 0);
    root = json_loads(text, 0, &err);
    assert_int_equal(json_array_size(json_object_get(root, "frontier")), pl_frontier_size(f));
    json_decref(root);
    free(text);
    pl_analysis_free(a);
    /* The report: predicted, then on a run (the run's protocol and status are echoed). */
    pl_report *r;
    assert_int_equal(pl_report_build(sc, NULL, NULL, &r, &d), 0);
    assert_int_equal(pl_report_to_json(sc, r, NULL, 0, &text, &d), 0);
    root = json_loads(text, 0, &err);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "source")), "predicted");
    size_t ni = pl_space_issue_count(pl_scenario_space(sc));
    json_t *issues = json_object_get(root, "issues");
    assert_int_equal(json_array_size(issues), ni);
    for (size_t i = 0; i < ni; i++) {
        pl_issue_status st;
        assert_int_equal(pl_issue_status_parse(json_string_value(json_object_get(json_array_get(issues, i),
                                                                                  "status")), &st), 0);
        assert_int_equal(st, pl_report_status(r, i));
    }
    json_decref(root);
    free(text);
    pl_run_record rec = {0};
    snprintf(rec.protocol, sizeof rec.protocol, "saop");
    snprintf(rec.status, sizeof rec.status, "deadline");
    assert_int_equal(pl_report_to_json(sc, r, &rec, 0, &text, &d), 0);
    assert_non_null(strstr(text, "\"source\": \"run\""));
    assert_non_null(strstr(text, "\"status\": \"deadline\""));
    free(text);
    pl_report_free(r);
    /* show and eval. */
    assert_int_equal(pl_scenario_summary_to_json(sc, &text, &d), 0);
    root = json_loads(text, 0, &err);
    assert_non_null(root);
    assert_int_equal(json_array_size(json_object_get(root, "issues")), ni);
    json_decref(root);
    free(text);
    uint32_t o[16] = {0};
    const uint32_t *outs[1] = {o};
    assert_int_equal(pl_eval_to_json(sc, outs, 1, 1, 0.5, &text, &d), 0);
    root = json_loads(text, 0, &err);
    json_t *res = json_array_get(json_object_get(root, "results"), 0);
    for (size_t k = 0; k < pl_scenario_party_count(sc); k++) {
        assert_true(json_number_value(json_array_get(json_object_get(res, "utilities"), k)) ==
                    pl_ufun_eval(pl_scenario_ufun(sc, k), o));
        assert_true(json_number_value(json_array_get(json_object_get(res, "discounted"), k)) ==
                    pl_ufun_eval_at(pl_scenario_ufun(sc, k), o, 0.5));
    }
    assert_int_equal(json_integer_value(json_object_get(res, "index")), 0);
    json_decref(root);
    free(text);
    pl_registry *reg = tu_registry_new();
    assert_int_equal(pl_registry_to_json(reg, &text, &d), 0);
    root = json_loads(text, 0, &err);
    assert_int_equal(json_array_size(root), pl_registry_count(reg));
    json_decref(root);
    free(text);
    pl_registry_free(reg);
    pl_scenario_free(sc);
}

/* Writers refuse what they cannot write. */
static void test_writer_errors(void **state)
{
    (void)state;
    pl_scenario *sc = tu_load1(PL_SCENARIOS "/job-offer.json");
    pl_session_result r;
    pl_session_result_init(&r);
    pl_run_info info;
    pl_run_info_init(&info, NULL);
    assert_int_equal(info.protocol, PL_PROTOCOL_SAOP);
    assert_int_equal(info.mediator, -1);
    char *text = (char *)1;
    pl_diag d;
    assert_int_equal(pl_run_to_json(sc, &info, &r, &text, &d), PL_EINVAL); /* no agents, no result */
    assert_null(text);
    pl_session_result_free(&r);
    pl_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_run_write_read),
        cmocka_unit_test(test_trace_write_read),
        cmocka_unit_test(test_trace_writer_sink_error),
        cmocka_unit_test(test_run_malformed),
        cmocka_unit_test(test_trace_malformed),
        cmocka_unit_test(test_trace_callback_stops),
        cmocka_unit_test(test_analysis_and_report_json),
        cmocka_unit_test(test_writer_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
