/* Sessions: SAOP semantics with scripted agents (who acts, acceptance by all, ends, deadlines, discounting,
 * violations, observation), agent specs and parameters, the sorted outcome lists, the example plug-in, and 3-party
 * sessions on the ANAC 2015 scenarios. */
#include "testutil.h"

#include "core/internal.h"
#include "negotiation/negotiation_internal.h"

/* ---- A scripted agent: param script = tokens separated by ';', one per turn (the last repeats):
 * oK offer the outcome with dense index K (rejecting the offer on the table), a accept, e end, x offer an invalid
 * outcome, f fail. ---- */

typedef struct scripted {
    const pl_agent_view *view;
    char script[128];
    size_t pos;
} scripted;

static int g_observed[4][4]; /* [observer][actor]: observe calls */
static int g_respond_calls_turn0;

static const pl_param_spec scripted_params[] = {
    {"script", PL_PARAM_STRING, "o0", 0, 0, "tokens"},
};

static int sc_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    scripted *a = calloc(1, sizeof *a);
    assert_non_null(a);
    a->view = v;
    snprintf(a->script, sizeof a->script, "%s", pl_params_string(v->params, "script"));
    memset(g_observed[v->party], 0, sizeof g_observed[v->party]);
    *self = a;
    return 0;
}

/* The current token (copied into tok), advancing unless it is the last. */
static void next_token(scripted *a, char *tok, size_t size)
{
    const char *s = a->script + a->pos;
    size_t len = strcspn(s, ";");
    snprintf(tok, size, "%.*s", (int)len, s);
    if (s[len] == ';') {
        a->pos += len + 1;
    }
}

static char g_pending[4][16];

static int sc_respond(void *self, const pl_turn *tn, pl_response *r, pl_diag *d)
{
    scripted *a = self;
    if (tn->turn == 0) {
        g_respond_calls_turn0++;
    }
    char *tok = g_pending[a->view->party];
    next_token(a, tok, sizeof g_pending[0]);
    if (tok[0] == 'a') {
        *r = PL_RESPONSE_ACCEPT;
    } else if (tok[0] == 'e') {
        *r = PL_RESPONSE_END;
    } else if (tok[0] == 'f') {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "scripted failure");
    } else {
        *r = PL_RESPONSE_REJECT;
    }
    return 0;
}

static int sc_propose(void *self, const pl_turn *tn, uint32_t *o, pl_diag *d)
{
    scripted *a = self;
    char *tok = g_pending[a->view->party];
    if (!tn->offer) {
        next_token(a, tok, sizeof g_pending[0]);
    }
    if (tok[0] == 'f') {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "scripted failure");
    }
    if (tok[0] == 'x') {
        o[0] = 1000;
        return 0;
    }
    assert_int_equal(tok[0], 'o');
    assert_int_equal(pl_space_outcome_at(a->view->space, strtoull(tok + 1, NULL, 10), o), 0);
    return 0;
}

static void sc_observe(void *self, const pl_event *e)
{
    scripted *a = self;
    g_observed[a->view->party][e->party]++;
}

static void sc_free(void *self)
{
    free(self);
}

static const pl_agent_type scripted_type = {
    PL_AGENT_API_VERSION, "scripted", "test agent", scripted_params, 1, sc_start, sc_respond, sc_propose,
    sc_observe, sc_free, NULL,
};

/* One issue "x" with values 0..9; party k's utility of value v: p0 v/9, p1 (9-v)/9, p2 1 - |v-5|/9 (approx).
 * Reservations 0.1, 0.2, 0.3; party 0 discounts with d = 0.81. */
static pl_scenario *line_scenario(size_t np)
{
    pl_space *s = tu_space_new();
    const char *labels[10] = {"v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"};
    assert_int_equal(pl_space_add_discrete(s, "x", 10, labels, NULL), 0);
    pl_scenario *sc = tu_scenario_new(s);
    for (size_t k = 0; k < np; k++) {
        pl_ufun *u = tu_ufun_linear_new(pl_scenario_space(sc));
        double tab[10];
        for (int v = 0; v < 10; v++) {
            tab[v] = k == 0 ? v / 9.0 : k == 1 ? (9 - v) / 9.0 : 1.0 - fabs(v - 5.0) / 9.0;
        }
        assert_int_equal(pl_ufun_linear_set_weight(u, 0, 1.0), 0);
        assert_int_equal(pl_ufun_linear_set_table(u, 0, tab), 0);
        assert_int_equal(pl_ufun_set_reservation(u, 0.1 * (double)(k + 1)), 0);
        if (k == 0) {
            assert_int_equal(pl_ufun_set_discount(u, 0.81), 0);
        }
        char name[32];
        snprintf(name, sizeof name, "p%zu", k);
        assert_int_equal(pl_scenario_add_party(sc, name, u, NULL), 0);
    }
    return sc;
}

typedef struct fixture {
    pl_scenario *sc;
    pl_registry *reg;
    pl_negotiation *neg;
    pl_agent_spec *agents[4];
    size_t np;
    pl_session_result r;
    pl_session_options o;
} fixture;

static void fx_setup(fixture *f, size_t np, const char *const *scripts)
{
    memset(f, 0, sizeof *f);
    f->np = np;
    f->sc = line_scenario(np);
    f->reg = tu_registry_new();
    assert_non_null(f->reg);
    assert_int_equal(pl_registry_add(f->reg, &scripted_type, NULL), 0);
    for (size_t k = 0; k < np; k++) {
        char text[160];
        snprintf(text, sizeof text, "scripted:script=%s", scripts[k]);
        pl_diag d;
        pl_diag_clear(&d);
        assert_int_equal(pl_agent_spec_parse(f->reg, text, &f->agents[k], &d), 0);
    }
    assert_int_equal(pl_negotiation_new(f->sc, NULL, &f->neg, NULL), 0);
    pl_session_options_init(&f->o);
    f->o.rounds = 10;
    pl_session_result_init(&f->r);
    g_respond_calls_turn0 = 0;
}

static int fx_run(fixture *f)
{
    pl_diag d;
    pl_diag_clear(&d);
    return pl_session_run(f->neg, (const pl_agent_spec *const *)f->agents, f->np, &f->o, &f->r, &d);
}

static void fx_teardown(fixture *f)
{
    pl_session_result_free(&f->r);
    for (size_t k = 0; k < f->np; k++) {
        pl_agent_spec_free(f->agents[k]);
    }
    pl_negotiation_free(f->neg);
    pl_registry_free(f->reg);
    pl_scenario_free(f->sc);
}

static void test_bilateral_agreement(void **state)
{
    (void)state;
    fixture f;
    const char *s[] = {"o3", "a"};
    fx_setup(&f, 2, s);
    assert_int_equal(fx_run(&f), 0);
    assert_int_equal(f.r.status, PL_SESSION_AGREEMENT);
    assert_int_equal(f.r.has_agreement, 1);
    assert_int_equal(f.r.agreement[0], 3);
    assert_int_equal(f.r.rounds, 1);
    assert_int_equal(f.r.actions, 2);
    assert_int_equal(g_respond_calls_turn0, 0); /* the opener is never asked to respond */
    assert_double_equal(f.r.t, 0.0, 0);
    assert_double_equal(f.r.raw_utilities[0], 3 / 9.0, 1e-15);
    assert_double_equal(f.r.raw_utilities[1], 6 / 9.0, 1e-15);
    assert_double_equal(f.r.utilities[0], 3 / 9.0, 1e-15); /* t = 0: no discount */
    assert_int_equal(f.r.individually_rational, 1);
    assert_double_equal(f.r.welfare, 1.0, 1e-15);
    /* Every outcome of this scenario is Pareto-optimal: distance 0; Nash: max (u0-0.1)(u1-0.2) at v = 4
     * ((4/9-0.1)(5/9-0.2) = 0.1225 > v = 5: (5/9-.1)(4/9-.2) = 0.1114). */
    assert_double_equal(f.r.pareto_distance, 0.0, 1e-15);
    assert_double_equal(f.r.nash_distance, sqrt(2.0) / 9.0, 1e-12);
    assert_int_equal(g_observed[0][1], 1); /* p0 saw p1's accept */
    assert_int_equal(g_observed[1][0], 1); /* p1 saw p0's offer */
    assert_int_equal(g_observed[0][0] + g_observed[1][1], 0);
    fx_teardown(&f);
}

static void test_multilateral_needs_all(void **state)
{
    (void)state;
    fixture f;
    /* Turn: p0 o3 | p1 a | p2 o5 (replaces; p1's accept no longer counts) | p0 a | p1 o7 | p2 a | p0 a. */
    const char *s[] = {"o3;a;a", "a;o7", "o5;a"};
    fx_setup(&f, 3, s);
    assert_int_equal(fx_run(&f), 0);
    assert_int_equal(f.r.status, PL_SESSION_AGREEMENT);
    assert_int_equal(f.r.agreement[0], 7);
    assert_int_equal(f.r.actions, 7);
    assert_int_equal(f.r.rounds, 3); /* turn 7 is p0's third turn */
    /* Each party observed the 6 actions of the others minus its own: p0 acted 3 times, p1 2, p2 2. */
    assert_int_equal(g_observed[0][1] + g_observed[0][2], 4);
    assert_int_equal(g_observed[1][0] + g_observed[1][2], 5);
    assert_int_equal(g_observed[2][0] + g_observed[2][1], 5);
    fx_teardown(&f);
}

static void test_end(void **state)
{
    (void)state;
    fixture f;
    const char *s[] = {"o3", "o2;e"};
    fx_setup(&f, 2, s);
    assert_int_equal(fx_run(&f), 0);
    assert_int_equal(f.r.status, PL_SESSION_ENDED);
    assert_int_equal(f.r.culprit, 1);
    assert_int_equal(f.r.has_agreement, 0);
    assert_int_equal(f.r.rounds, 2);
    assert_double_equal(f.r.utilities[0], 0.1, 0);
    assert_double_equal(f.r.utilities[1], 0.2, 0);
    assert_double_equal(f.r.raw_utilities[1], 0.2, 0);
    assert_int_equal(f.r.individually_rational, 1);
    fx_teardown(&f);
}

static void test_deadline(void **state)
{
    (void)state;
    fixture f;
    const char *s[] = {"o1", "o8"};
    fx_setup(&f, 2, s);
    assert_int_equal(fx_run(&f), 0);
    assert_int_equal(f.r.status, PL_SESSION_DEADLINE);
    assert_int_equal(f.r.rounds, 10);
    assert_int_equal(f.r.actions, 20);
    assert_double_equal(f.r.t, 1.0, 0); /* the last round has t = 1 */
    assert_double_equal(f.r.utilities[0], 0.1, 0);
    fx_teardown(&f);
}

static void test_discounting(void **state)
{
    (void)state;
    /* Agreement in round 6 of 11: t = 5/10 = 0.5 (parley), 6/12 = 0.5 (GENIUS); p0's d = 0.81: factor 0.9. */
    for (int genius = 0; genius < 2; genius++) {
        fixture f;
        const char *s[] = {"o1;o1;o1;o1;o1;o9", "o8;o8;o8;o8;o8;a"};
        fx_setup(&f, 2, s);
        f.o.rounds = 11;
        f.o.protocol = genius ? PL_PROTOCOL_SAOP_GENIUS : PL_PROTOCOL_SAOP;
        assert_int_equal(fx_run(&f), 0);
        assert_int_equal(f.r.status, PL_SESSION_AGREEMENT);
        assert_int_equal(f.r.rounds, 6);
        assert_double_equal(f.r.t, 0.5, 0);
        assert_double_equal(f.r.raw_utilities[0], 1.0, 0);
        assert_double_equal(f.r.utilities[0], 0.9, 1e-15);
        assert_double_equal(f.r.utilities[1], 0.0, 0);
        assert_int_equal(f.r.individually_rational, 0); /* p1 gets 0 < 0.2 */
        fx_teardown(&f);
    }
}

static void test_violations(void **state)
{
    (void)state;
    const char *cases[][2] = {{"o3", "x"}, {"o3", "f"}, {"f", "a"}, {"x", "a"}};
    const long culprit[] = {1, 1, 0, 0};
    for (size_t c = 0; c < 4; c++) {
        fixture f;
        fx_setup(&f, 2, cases[c]);
        assert_int_equal(fx_run(&f), 0);
        assert_int_equal(f.r.status, PL_SESSION_VIOLATION);
        assert_int_equal(f.r.culprit, culprit[c]);
        assert_non_null(strstr(f.r.reason, "protocol violation by"));
        assert_int_equal(f.r.has_agreement, 0);
        assert_double_equal(f.r.utilities[0], 0.1, 0);
        fx_teardown(&f);
    }
}

static void test_time_limit(void **state)
{
    (void)state;
    fixture f;
    const char *s[] = {"o1", "o8"};
    fx_setup(&f, 2, s);
    f.o.rounds = 0;
    f.o.time_limit = 0.02;
    assert_int_equal(fx_run(&f), 0);
    assert_int_equal(f.r.status, PL_SESSION_DEADLINE);
    assert_true(f.r.rounds > 1);
    assert_true(f.r.seconds >= 0.02);
    fx_teardown(&f);
}

static void test_bad_options(void **state)
{
    (void)state;
    fixture f;
    const char *s[] = {"o1", "o8"};
    fx_setup(&f, 2, s);
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_session_run(f.neg, (const pl_agent_spec *const *)f.agents, 1, &f.o, &f.r, &d), PL_EINVAL);
    f.o.rounds = 0;
    assert_int_equal(fx_run(&f), PL_EINVAL);
    f.o.protocol = PL_PROTOCOL_SAOP_GENIUS;
    f.o.time_limit = 1;
    assert_int_equal(fx_run(&f), PL_EINVAL); /* GENIUS's clock needs rounds */
    fx_teardown(&f);
}

/* ---- Traces ---- */

typedef struct trace_log {
    size_t n;
    pl_action_kind kinds[64];
    size_t parties[64];
    double utility[64];
} trace_log;

static void on_action(void *ud, const pl_action_record *rec)
{
    trace_log *l = ud;
    assert_true(l->n < 64);
    l->kinds[l->n] = rec->action;
    l->parties[l->n] = rec->party;
    l->utility[l->n] = rec->utility;
    l->n++;
}

static void test_trace(void **state)
{
    (void)state;
    fixture f;
    const char *s[] = {"o1;o9", "o8;a"};
    fx_setup(&f, 2, s);
    trace_log log = {0};
    f.o.on_action = on_action;
    f.o.action_ud = &log;
    assert_int_equal(fx_run(&f), 0);
    assert_int_equal(log.n, f.r.actions);
    assert_int_equal(log.n, 4);
    const pl_action_kind k[] = {PL_ACTION_OFFER, PL_ACTION_OFFER, PL_ACTION_OFFER, PL_ACTION_ACCEPT};
    const size_t p[] = {0, 1, 0, 1};
    const double u[] = {1 / 9.0, 1 / 9.0, 1.0, 0.0};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(log.kinds[i], k[i]);
        assert_int_equal(log.parties[i], p[i]);
        assert_double_equal(log.utility[i], u[i], 1e-15);
    }
    fx_teardown(&f);
}

/* ---- Specs and parameters ---- */

static void test_specs(void **state)
{
    (void)state;
    pl_registry *r = tu_registry_new();
    pl_agent_spec *sp = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_registry_new(NULL, &d), PL_EINVAL);
    assert_int_equal(d.code, PL_EINVAL);
    assert_int_equal(pl_agent_spec_parse(r, "timebased:e=0.5", &sp, &d), 0);
    assert_double_equal(pl_params_double(pl_agent_spec_params(sp), "e"), 0.5, 0);
    assert_int_equal(pl_params_given(pl_agent_spec_params(sp), "e"), 1);
    pl_agent_spec_free(sp);
    assert_int_equal(pl_agent_spec_parse(r, "boulware", &sp, &d), 0);
    assert_double_equal(pl_params_double(pl_agent_spec_params(sp), "e"), 0.2, 0);
    assert_int_equal(pl_params_given(pl_agent_spec_params(sp), "e"), 0);
    pl_agent_spec_free(sp);
    const char *bad[] = {"nosuch", "timebased:e=abc", "timebased:e=0", "timebased:f=1", "timebased:e=1,e=2",
                         "timebased:e", "timebased:e=(1"};
    const char *why[] = {"unknown agent", "not a number", "outside", "unknown parameter", "twice", "key=value",
                         "parentheses"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        pl_diag_clear(&d);
        assert_int_equal(pl_agent_spec_parse(r, bad[k], &sp, &d), PL_EINVAL);
        if (!strstr(d.message, why[k])) {
            fail_msg("%s: message '%s' lacks '%s'", bad[k], d.message, why[k]);
        }
    }
    pl_registry_free(r);
}

static void test_list_split(void **state)
{
    (void)state;
    char **items;
    size_t n;
    assert_int_equal(
        pl_agent_list_split("boa:bidding=timebased(e=0.2),model=frequency,accept=combi(t=0.98),conceder,"
                            "timebased:e=2",
                            &items, &n, NULL),
        0);
    assert_int_equal(n, 3);
    assert_string_equal(items[0], "boa:bidding=timebased(e=0.2),model=frequency,accept=combi(t=0.98)");
    assert_string_equal(items[1], "conceder");
    assert_string_equal(items[2], "timebased:e=2");
    for (size_t k = 0; k < n; k++) {
        pl_free(items[k]);
    }
    pl_free(items);
    assert_int_equal(pl_agent_list_split("boulware,,conceder", &items, &n, NULL), PL_EINVAL);
    assert_int_equal(pl_agent_list_split("a:x=(", &items, &n, NULL), PL_EINVAL);
}

static void test_registry(void **state)
{
    (void)state;
    pl_registry *r = tu_registry_new();
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_registry_add(r, &scripted_type, &d), 0);
    assert_int_equal(pl_registry_add(r, &scripted_type, &d), PL_EINVAL); /* duplicate */
    pl_agent_type bad = scripted_type;
    bad.name = "Bad Name";
    assert_int_equal(pl_registry_add(r, &bad, &d), PL_EINVAL);
    bad.name = "other";
    bad.api_version = 99;
    assert_int_equal(pl_registry_add(r, &bad, &d), PL_EINVAL);
    assert_int_equal(pl_registry_load_plugin(r, "/nonexistent/libnothing.so", &d), PL_EIO);
    assert_non_null(pl_registry_find(r, "boulware"));
    assert_null(pl_registry_find(r, "example-floor"));
    /* The example plug-in (examples/plugin) loads and its agent negotiates. */
    pl_diag_clear(&d);
    if (pl_registry_load_plugin(r, PL_EXAMPLE_AGENT, &d) < 0) {
        fail_msg("%s", d.message);
    }
    assert_non_null(pl_registry_find(r, "example-floor"));
    pl_scenario *sc = line_scenario(2);
    pl_negotiation *neg;
    assert_int_equal(pl_negotiation_new(sc, NULL, &neg, NULL), 0);
    pl_agent_spec *a[2];
    assert_int_equal(pl_agent_spec_parse(r, "example-floor:floor=0.5", &a[0], &d), 0);
    assert_int_equal(pl_agent_spec_parse(r, "conceder", &a[1], &d), 0);
    pl_session_options o;
    pl_session_options_init(&o);
    pl_session_result res;
    pl_session_result_init(&res);
    assert_int_equal(pl_session_run(neg, (const pl_agent_spec *const *)a, 2, &o, &res, &d), 0);
    assert_int_equal(res.status, PL_SESSION_AGREEMENT);
    /* example-floor accepts at its target best - (best - 0.5 best) t and offers at or above it. */
    assert_true(res.raw_utilities[0] >= 1.0 - 0.5 * res.t - 1e-12);
    pl_session_result_free(&res);
    pl_agent_spec_free(a[0]);
    pl_agent_spec_free(a[1]);
    pl_negotiation_free(neg);
    pl_scenario_free(sc);
    pl_registry_free(r);
}

/* Isolation (PL_ISOLATE_ON): the example plug-in's session run in a child process gives the same result and the same
 * actions, in order, as in this process; built-in-only sessions and PL_ISOLATE_AUTO stay here; bad options. */
typedef struct rec_log {
    size_t n;
    uint64_t round[4096];
    size_t party[4096];
    int action[4096];
    uint32_t first[4096]; /* the outcome's first value, or UINT32_MAX */
} rec_log;

static void log_action(void *ud, const pl_action_record *rec)
{
    rec_log *l = ud;
    if (l->n < 4096) {
        l->round[l->n] = rec->round;
        l->party[l->n] = rec->party;
        l->action[l->n] = (int)rec->action;
        l->first[l->n] = rec->outcome ? rec->outcome[0] : UINT32_MAX;
        l->n++;
    }
}

static void test_isolated_session(void **state)
{
    (void)state;
    pl_registry *r;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_registry_new(&r, NULL), 0);
    if (pl_registry_load_plugin(r, PL_EXAMPLE_AGENT, &d) < 0) {
        fail_msg("%s", d.message);
    }
    pl_scenario *sc = line_scenario(2);
    pl_negotiation *neg;
    assert_int_equal(pl_negotiation_new(sc, NULL, &neg, NULL), 0);
    pl_agent_spec *a[2];
    assert_int_equal(pl_agent_spec_parse(r, "example-floor:floor=0.3", &a[0], &d), 0);
    assert_int_equal(pl_agent_spec_parse(r, "boulware", &a[1], &d), 0);
    assert_int_equal(pl_agent_spec_builtin(a[0]), 0);
    assert_int_equal(pl_agent_spec_builtin(a[1]), 1);
    static rec_log la, lb;
    memset(&la, 0, sizeof la);
    memset(&lb, 0, sizeof lb);
    pl_session_options o;
    pl_session_options_init(&o);
    o.rounds = 200;
    o.seed = 7;
    o.on_action = log_action;
    o.action_ud = &la;
    pl_session_result in, iso;
    pl_session_result_init(&in);
    pl_session_result_init(&iso);
    assert_int_equal(pl_session_run(neg, (const pl_agent_spec *const *)a, 2, &o, &in, &d), 0);
    o.isolate = PL_ISOLATE_ON;
    o.action_ud = &lb;
    assert_int_equal(pl_session_run(neg, (const pl_agent_spec *const *)a, 2, &o, &iso, &d), 0);
    assert_int_equal(iso.status, in.status);
    assert_string_equal(iso.reason, in.reason);
    assert_int_equal(iso.has_agreement, in.has_agreement);
    assert_int_equal(iso.rounds, in.rounds);
    assert_int_equal(iso.actions, in.actions);
    assert_int_equal(iso.n_parties, 2);
    for (size_t k = 0; k < 2; k++) {
        assert_double_equal(iso.utilities[k], in.utilities[k], 0);
        assert_double_equal(iso.raw_utilities[k], in.raw_utilities[k], 0);
    }
    if (in.has_agreement) {
        size_t ni = pl_space_issue_count(pl_scenario_space(sc));
        assert_memory_equal(iso.agreement, in.agreement, ni * sizeof(uint32_t));
    }
    assert_double_equal(iso.welfare, in.welfare, 0);
    assert_int_equal(lb.n, la.n);
    assert_int_equal(la.n, in.actions);
    assert_memory_equal(lb.round, la.round, la.n * sizeof la.round[0]);
    assert_memory_equal(lb.party, la.party, la.n * sizeof la.party[0]);
    assert_memory_equal(lb.action, la.action, la.n * sizeof la.action[0]);
    assert_memory_equal(lb.first, la.first, la.n * sizeof la.first[0]);
    /* Bad options are refused before anything runs. */
    o.isolate = (pl_isolate)9;
    assert_int_equal(pl_session_run(neg, (const pl_agent_spec *const *)a, 2, &o, &iso, &d), PL_EINVAL);
    o.isolate = PL_ISOLATE_ON;
    o.call_limit = -1;
    assert_int_equal(pl_session_run(neg, (const pl_agent_spec *const *)a, 2, &o, &iso, &d), PL_EINVAL);
    assert_string_equal(pl_session_status_name(PL_SESSION_CRASH), "crash");
    assert_string_equal(pl_session_status_name(PL_SESSION_TIMEOUT), "timeout");
    assert_string_equal(pl_session_status_name(PL_SESSION_MEMORY), "memory");
    pl_session_status st;
    assert_int_equal(pl_session_status_parse("memory", &st), 0);
    assert_int_equal(st, PL_SESSION_MEMORY);
    pl_session_result_free(&in);
    pl_session_result_free(&iso);
    pl_agent_spec_free(a[0]);
    pl_agent_spec_free(a[1]);
    pl_negotiation_free(neg);
    pl_scenario_free(sc);
    pl_registry_free(r);
}

/* ---- Sorted lists ---- */

static void check_sorted(const pl_scenario *sc, size_t party, const pl_sorted *s)
{
    const pl_space *sp = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(sp);
    const double *u = pl_sorted_utilities(s);
    uint32_t *o = malloc(ni * sizeof *o);
    for (size_t k = 0; k < pl_sorted_count(s); k++) {
        pl_sorted_outcome(s, k, o);
        assert_double_equal(u[k], pl_ufun_eval(pl_scenario_ufun(sc, party), o), 0);
        if (k) {
            assert_true(u[k - 1] >= u[k]);
        }
    }
    /* rank_at_least against a linear scan, from assorted hints. */
    uint64_t rng = 7;
    size_t n = pl_sorted_count(s);
    for (int trial = 0; trial < 2000; trial++) {
        double target = trial < 3 ? (trial == 0 ? u[0] : trial == 1 ? u[n - 1] : u[0] + 1)
                                  : (double)(tu_splitmix(&rng) % 1000) / 999.0 * 1.2 - 0.1;
        if (trial % 3 == 0) {
            target = u[tu_splitmix(&rng) % n]; /* exact hits */
        }
        long want = -1;
        for (size_t k = 0; k < n; k++) {
            if (u[k] >= target) {
                want = (long)k;
            }
        }
        size_t hint = (size_t)(tu_splitmix(&rng) % (n + 5));
        assert_int_equal(pl_sorted_rank_at_least(s, target, hint), want);
        if (want >= 0) {
            size_t first = (size_t)want;
            while (first > 0 && u[first - 1] == u[want]) {
                first--;
            }
            assert_int_equal(pl_sorted_group_first(s, (size_t)want), first);
        }
    }
    free(o);
}

static int sorted_of(pl_negotiation *neg, size_t party, const pl_sorted **out)
{
    pl__view_ctx c = {neg, party};
    pl_agent_view v;
    memset(&v, 0, sizeof v);
    v.internal = &c;
    return pl_agent_sorted(&v, out, NULL);
}

static void test_sorted(void **state)
{
    (void)state;
    pl_scenario *sc = tu_load1(PL_SCENARIOS "/job-offer.json");
    pl_negotiation *neg;
    assert_int_equal(pl_negotiation_new(sc, NULL, &neg, NULL), 0);
    uint64_t count;
    assert_int_equal(pl_space_outcome_count(pl_scenario_space(sc), &count), 0);
    for (size_t p = 0; p < 2; p++) {
        const pl_sorted *s, *again;
        assert_int_equal(sorted_of(neg, p, &s), 0);
        assert_int_equal(sorted_of(neg, p, &again), 0);
        assert_ptr_equal(s, again); /* built once */
        assert_int_equal(pl_sorted_complete(s), 1);
        assert_int_equal(pl_sorted_count(s), count);
        check_sorted(sc, p, s);
    }
    pl_negotiation_free(neg);
    /* Above the limit: a candidate set that still holds each party's best outcome (linear: greedy ascent finds
     * it) and the lowest utilities near the bottom of the range. */
    pl_negotiation_options no;
    pl_negotiation_options_init(&no);
    no.sorted_limit = 100;
    no.sample_size = 1000;
    assert_int_equal(pl_negotiation_new(sc, &no, &neg, NULL), 0);
    pl_analysis *a;
    assert_int_equal(pl_analyze(sc, NULL, &a, NULL), 0);
    for (size_t p = 0; p < 2; p++) {
        const pl_sorted *s;
        assert_int_equal(sorted_of(neg, p, &s), 0);
        assert_int_equal(pl_sorted_complete(s), 0);
        assert_true(pl_sorted_count(s) <= 1000 && pl_sorted_count(s) > 100);
        double best;
        assert_non_null(pl_analysis_best(a, p, &best));
        assert_double_equal(pl_sorted_utilities(s)[0], best, 0);
        check_sorted(sc, p, s);
    }
    pl_analysis_free(a);
    pl_negotiation_free(neg);
    pl_scenario_free(sc);
}

/* ---- Whole sessions ---- */

static void run_session(pl_negotiation *neg, pl_registry *reg, const char *const *names, size_t np, uint64_t seed,
                        int metrics, pl_session_result *r)
{
    pl_agent_spec *a[16];
    pl_diag d;
    pl_diag_clear(&d);
    for (size_t k = 0; k < np; k++) {
        assert_int_equal(pl_agent_spec_parse(reg, names[k], &a[k], &d), 0);
    }
    pl_session_options o;
    pl_session_options_init(&o);
    o.seed = seed;
    o.metrics = metrics;
    if (pl_session_run(neg, (const pl_agent_spec *const *)a, np, &o, r, &d) < 0) {
        fail_msg("%s", d.message);
    }
    for (size_t k = 0; k < np; k++) {
        pl_agent_spec_free(a[k]);
    }
}

/* A valid result: utilities consistent with the agreement (or reservations), metrics present. */
static void check_result(const pl_scenario *sc, const pl_session_result *r, uint64_t rounds)
{
    size_t np = pl_scenario_party_count(sc);
    assert_true(r->status == PL_SESSION_AGREEMENT || r->status == PL_SESSION_DEADLINE ||
                r->status == PL_SESSION_ENDED);
    assert_true(r->rounds >= 1 && r->rounds <= rounds);
    for (size_t k = 0; k < np; k++) {
        const pl_ufun *u = pl_scenario_ufun(sc, k);
        double raw = r->has_agreement ? pl_ufun_eval(u, r->agreement) : pl_ufun_reservation(u);
        assert_double_equal(r->raw_utilities[k], raw, 0);
        double disc = r->has_agreement ? raw * pow(pl_ufun_discount_effective(u), r->t) : raw;
        assert_double_equal(r->utilities[k], disc, 1e-15);
    }
    if (r->has_agreement) {
        assert_true(pl_space_outcome_valid(pl_scenario_space(sc), r->agreement));
    }
    assert_false(isnan(r->welfare));
}

static void test_timebased_sessions_deterministic(void **state)
{
    (void)state;
    pl_scenario *sc = tu_load1(PL_SCENARIOS "/supply-contract.json");
    pl_registry *reg = tu_registry_new();
    pl_negotiation *neg;
    assert_int_equal(pl_negotiation_new(sc, NULL, &neg, NULL), 0);
    const char *names[] = {"boulware", "conceder", "timebased:e=0.7"};
    pl_session_result r1, r2;
    pl_session_result_init(&r1);
    pl_session_result_init(&r2);
    run_session(neg, reg, names, 3, 5, 1, &r1);
    run_session(neg, reg, names, 3, 5, 1, &r2);
    check_result(sc, &r1, 1000);
    assert_int_equal(r1.status, r2.status);
    assert_int_equal(r1.rounds, r2.rounds);
    assert_int_equal(r1.actions, r2.actions);
    for (size_t k = 0; k < 3; k++) {
        assert_double_equal(r1.utilities[k], r2.utilities[k], 0);
    }
    pl_session_result_free(&r1);
    pl_session_result_free(&r2);
    pl_negotiation_free(neg);
    pl_registry_free(reg);
    pl_scenario_free(sc);
}

/* Every ANAC 2015 folder as one multilateral negotiation (3 to 9 parties: a folder's profiles are its parties),
 * with time-based agents in three rotations. */
static void test_anac2015_multilateral(void **state)
{
    (void)state;
    TU_NEED_ANAC();
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/y2015", PL_ANAC_DIR);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "ls '%s'", dir);
    FILE *ls = popen(cmd, "r");
    assert_non_null(ls);
    char name[256];
    pl_registry *reg = tu_registry_new();
    int scenarios = 0, sessions = 0, agreements = 0;
    const char *kinds[] = {"boulware", "conceder", "linear"};
    while (fgets(name, sizeof name, ls)) {
        name[strcspn(name, "\n")] = '\0';
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        pl_scenario *sc = tu_load1(path);
        size_t np = pl_scenario_party_count(sc);
        assert_true(np >= 3 && np <= 16);
        pl_negotiation *neg;
        assert_int_equal(pl_negotiation_new(sc, NULL, &neg, NULL), 0);
        for (size_t rot = 0; rot < 3; rot++) {
            const char *names[16];
            for (size_t k = 0; k < np; k++) {
                names[k] = kinds[(k + rot) % 3];
            }
            pl_session_result r;
            pl_session_result_init(&r);
            run_session(neg, reg, names, np, 1, 0, &r);
            check_result(sc, &r, 1000);
            agreements += r.status == PL_SESSION_AGREEMENT;
            sessions++;
            pl_session_result_free(&r);
        }
        scenarios++;
        pl_negotiation_free(neg);
        pl_scenario_free(sc);
    }
    pclose(ls);
    pl_registry_free(reg);
    print_message("%d ANAC 2015 scenarios, %d of %d sessions agreed\n", scenarios, agreements, sessions);
    assert_true(scenarios >= 10);
    assert_true(agreements > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bilateral_agreement),
        cmocka_unit_test(test_multilateral_needs_all),
        cmocka_unit_test(test_end),
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_discounting),
        cmocka_unit_test(test_violations),
        cmocka_unit_test(test_time_limit),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_trace),
        cmocka_unit_test(test_specs),
        cmocka_unit_test(test_list_split),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_isolated_session),
        cmocka_unit_test(test_sorted),
        cmocka_unit_test(test_timebased_sessions_deterministic),
        cmocka_unit_test(test_anac2015_multilateral),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
