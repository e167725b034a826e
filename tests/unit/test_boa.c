/* The BOA agent: its component parser, the frequency opponent model against hand-computed numbers, tie-breaking in
 * the opponent's favour, each acceptance condition at its boundary (AC_combi's window against a brute force), and
 * whole sessions against time-based agents (valid, deterministic for a seed). */
#include "testutil.h"

#include "agents/boa_internal.h"
#include "negotiation/negotiation_internal.h"

/* ---- Fixtures ---- */

/* One agent driven through its vtable as party `party` of a scenario. */
typedef struct drive {
    pl_scenario *sc;
    pl_negotiation *neg;
    pl_registry *reg;
    pl_agent_spec *spec;
    const pl_agent_type *type;
    pl__view_ctx ctx;
    pl_agent_view view;
    void *self;
    uint64_t turn;
    pl_diag d;
} drive;

/* Start the agent `text` as party of sc (taken over). Returns start's code; on success dr->self is set. */
static int drive_start(drive *dr, pl_scenario *sc, size_t party, uint64_t rounds, const char *text)
{
    memset(dr, 0, sizeof *dr);
    dr->sc = sc;
    assert_int_equal(pl_negotiation_new(sc, NULL, &dr->neg, NULL), 0);
    dr->reg = tu_registry_new();
    assert_non_null(dr->reg);
    pl_diag_clear(&dr->d);
    int rc = pl_agent_spec_parse(dr->reg, text, &dr->spec, &dr->d);
    if (rc < 0) {
        fail_msg("spec %s: %s", text, dr->d.message);
    }
    dr->type = pl_agent_spec_type(dr->spec);
    dr->ctx = (pl__view_ctx){dr->neg, party};
    dr->view = (pl_agent_view){pl_scenario_space(sc),
                               pl_scenario_ufun(sc, party),
                               pl_scenario_party_name(sc, party),
                               party,
                               pl_scenario_party_count(sc),
                               PL_PROTOCOL_SAOP,
                               rounds,
                               0,
                               7,
                               pl_agent_spec_params(dr->spec),
                               &dr->ctx};
    return dr->type->start(&dr->self, &dr->view, &dr->d);
}

static void drive_end(drive *dr)
{
    if (dr->self) {
        dr->type->free(dr->self);
    }
    pl_agent_spec_free(dr->spec);
    pl_registry_free(dr->reg);
    pl_negotiation_free(dr->neg);
    pl_scenario_free(dr->sc);
}

/* Offer o from party `from` at time t: the agent's response (a new turn each call). */
static pl_response drive_respond(drive *dr, const uint32_t *o, size_t from, double t)
{
    pl_turn tn = {1, dr->turn++, t, o, from, 0};
    pl_response r = PL_RESPONSE_END;
    assert_int_equal(dr->type->respond(dr->self, &tn, &r, &dr->d), 0);
    return r;
}

/* Respond to o and then propose in the same turn (as the protocol does after a reject): the proposal. */
static void drive_counter(drive *dr, const uint32_t *o, size_t from, double t, uint32_t *out)
{
    pl_turn tn = {1, dr->turn++, t, o, from, 0};
    pl_response r;
    assert_int_equal(dr->type->respond(dr->self, &tn, &r, &dr->d), 0);
    assert_int_equal(dr->type->propose(dr->self, &tn, out, &dr->d), 0);
}

static pl_ufun *table_ufun(const pl_space *s, const double *weights, const double *const *tables, double rv)
{
    pl_ufun *u = tu_ufun_linear_new(s);
    assert_non_null(u);
    for (size_t i = 0; i < pl_space_issue_count(s); i++) {
        assert_int_equal(pl_ufun_linear_set_weight(u, i, weights[i]), 0);
        assert_int_equal(pl_ufun_linear_set_table(u, i, tables[i]), 0);
    }
    assert_int_equal(pl_ufun_set_reservation(u, rv), 0);
    return u;
}

/* x in {a, b, c}, y in {p, q, r}, z in {0, 1}; both parties' utilities come only from x (the model test reads the
 * model, not the utilities). */
static pl_scenario *three_issues(void)
{
    pl_space *s = tu_space_new();
    const char *x[] = {"a", "b", "c"}, *y[] = {"p", "q", "r"}, *z[] = {"0", "1"};
    assert_int_equal(pl_space_add_discrete(s, "x", 3, x, NULL), 0);
    assert_int_equal(pl_space_add_discrete(s, "y", 3, y, NULL), 0);
    assert_int_equal(pl_space_add_discrete(s, "z", 2, z, NULL), 0);
    pl_scenario *sc = tu_scenario_new(s);
    double w[] = {1, 0, 0}, tx[] = {1, 0.5, 0}, ty[] = {0, 0, 0}, tz[] = {0, 0};
    const double *t[] = {tx, ty, tz};
    double ox[] = {0, 0.5, 1};
    const double *ot[] = {ox, ty, tz};
    assert_int_equal(pl_scenario_add_party(sc, "me", table_ufun(s, w, t, 0), NULL), 0);
    assert_int_equal(pl_scenario_add_party(sc, "opp", table_ufun(s, w, ot, 0), NULL), 0);
    return sc;
}

/* x in {a, b, c}, y in {p, q}. Party 0 values only x: a = 1, b = c = 0.5, so its sorted list is (a,p) (a,q) | (b,p)
 * (b,q) (c,p) (c,q) with ranks 0..5: four outcomes tie at 0.5. */
static pl_scenario *ties(void)
{
    pl_space *s = tu_space_new();
    const char *x[] = {"a", "b", "c"}, *y[] = {"p", "q"};
    assert_int_equal(pl_space_add_discrete(s, "x", 3, x, NULL), 0);
    assert_int_equal(pl_space_add_discrete(s, "y", 2, y, NULL), 0);
    pl_scenario *sc = tu_scenario_new(s);
    double w[] = {1, 0}, tx[] = {1, 0.5, 0.5}, ty[] = {0, 0};
    const double *t[] = {tx, ty};
    double w2[] = {0.5, 0.5}, ox[] = {0, 0.5, 1}, oy[] = {0, 1};
    const double *ot[] = {ox, oy};
    assert_int_equal(pl_scenario_add_party(sc, "me", table_ufun(s, w, t, 0), NULL), 0);
    assert_int_equal(pl_scenario_add_party(sc, "opp", table_ufun(s, w2, ot, 0), NULL), 0);
    return sc;
}

/* One issue v with 9 values worth k/8 to party 0 (exact binary fractions, so boundaries are exact); reservation rv. */
static pl_scenario *eighths(double rv)
{
    pl_space *s = tu_space_new();
    const char *v[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8"};
    assert_int_equal(pl_space_add_discrete(s, "v", 9, v, NULL), 0);
    pl_scenario *sc = tu_scenario_new(s);
    double w[] = {1}, tv[9], ov[9];
    for (int k = 0; k < 9; k++) {
        tv[k] = k / 8.0;
        ov[k] = 1 - k / 8.0;
    }
    const double *t[] = {tv}, *ot[] = {ov};
    assert_int_equal(pl_scenario_add_party(sc, "me", table_ufun(s, w, t, rv), NULL), 0);
    assert_int_equal(pl_scenario_add_party(sc, "opp", table_ufun(s, w, ot, 0), NULL), 0);
    return sc;
}

/* ---- The parser ---- */

static void expect_start(const char *text, int code, const char *msg_part)
{
    drive dr;
    int rc = drive_start(&dr, three_issues(), 0, 100, text);
    if (rc != code || (msg_part && !strstr(dr.d.message, msg_part))) {
        fail_msg("%s: rc %d (want %d), message '%s' (want '%s')", text, rc, code, dr.d.message,
                 msg_part ? msg_part : "");
    }
    drive_end(&dr);
}

static void test_parse(void **state)
{
    (void)state;
    const char *good[] = {
        "boa",
        "boa:bidding=timebased(e=0.2),model=frequency,accept=combi(t=0.98)",
        "boa:bidding=timebased",
        "boa:bidding=timebased()",
        "boa:bidding=boulware",
        "boa:bidding=linear,model=none",
        "boa:bidding=conceder,model=frequency(learning=0.5)",
        "boa:model=frequency(learning=0.3,window=0.05),accept=const(a=0.8)",
        "boa:model=frequency(window=0)",
        "boa:accept=time(t=0.9)",
        "boa:accept=next()",
        "boa:accept=const(a=-1)",
    };
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        expect_start(good[k], 0, NULL);
    }
    expect_start("boa:bidding=foo", PL_EINVAL,
                 "unknown bidding strategy 'foo' (choose timebased(e=X), boulware, linear or conceder)");
    expect_start("boa:bidding=", PL_EINVAL, "unknown bidding strategy ''");
    expect_start("boa:bidding=timebased(e=0)", PL_EINVAL, "bidding strategy timebased: parameter e: 0 is outside");
    expect_start("boa:bidding=timebased(x=1)", PL_EINVAL, "bidding strategy timebased: unknown parameter 'x'");
    expect_start("boa:bidding=boulware(e=0.5)", PL_EINVAL,
                 "bidding strategy boulware: unknown parameter 'e' (parameters: none)");
    expect_start("boa:bidding=timebased(e=1)x", PL_EINVAL, "bidding strategy 'timebased(e=1)x': missing ')'");
    expect_start("boa:model=freq", PL_EINVAL, "unknown opponent model 'freq' (choose none or frequency(");
    expect_start("boa:model=frequency(learning=-1)", PL_EINVAL, "opponent model frequency: parameter learning");
    expect_start("boa:model=frequency(window=x)", PL_EINVAL, "'x' is not a number");
    expect_start("boa:model=none(window=0.1)", PL_EINVAL, "opponent model none: unknown parameter 'window'");
    expect_start("boa:accept=nxt", PL_EINVAL,
                 "unknown acceptance condition 'nxt' (choose next, const(a=X), time(t=T) or combi(t=T))");
    expect_start("boa:accept=const", PL_EINVAL, "acceptance condition const needs a, e.g. const(a=0.9)");
    expect_start("boa:accept=combi()", PL_EINVAL, "acceptance condition combi needs t");
    expect_start("boa:accept=time(t=2)", PL_EINVAL, "acceptance condition time: parameter t: 2 is outside [0, 1]");
    expect_start("boa:accept=time(t=0.5,t=0.6)", PL_EINVAL, "given twice");

    /* What the spec parser itself refuses (before start): unknown top-level parameters, unbalanced parentheses. */
    pl_registry *r = tu_registry_new();
    pl_agent_spec *sp = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_agent_spec_parse(r, "boa:bid=linear", &sp, &d), PL_EINVAL);
    assert_non_null(strstr(d.message, "unknown parameter 'bid' (parameters: bidding, model, accept)"));
    assert_int_equal(pl_agent_spec_parse(r, "boa:accept=combi(t=0.5", &sp, &d), PL_EINVAL);
    assert_non_null(strstr(d.message, "unbalanced"));
    /* A list: the composite values stay with their agent. */
    char **items;
    size_t n;
    assert_int_equal(pl_agent_list_split("boa:bidding=timebased(e=0.2),model=frequency(learning=0.3,window=0.1),"
                                         "accept=combi(t=0.98),conceder",
                                         &items, &n, &d),
                     0);
    assert_int_equal(n, 2);
    assert_string_equal(items[1], "conceder");
    assert_int_equal(pl_agent_spec_parse(r, items[0], &sp, &d), 0);
    assert_string_equal(pl_params_string(pl_agent_spec_params(sp), "model"), "frequency(learning=0.3,window=0.1)");
    pl_agent_spec_free(sp);
    for (size_t k = 0; k < n; k++) {
        pl_free(items[k]);
    }
    pl_free(items);
    pl_registry_free(r);
}

/* ---- The frequency model ---- */

static void test_frequency_model(void **state)
{
    (void)state;
    drive dr;
    assert_int_equal(drive_start(&dr, three_issues(), 0, 100, "boa:model=frequency(learning=0.2)"), 0);
    const pl__freq_model *m = pl__boa_model(dr.self);
    assert_non_null(m);
    uint32_t o1[] = {0, 0, 0}, o2[] = {0, 1, 0}, o3[] = {1, 1, 0};
    /* Before any offer: equal weights, no value estimates. */
    for (size_t i = 0; i < 3; i++) {
        assert_double_equal(pl__freq_weight(m, 1, i), 1.0 / 3, 1e-15);
    }
    assert_double_equal(pl__freq_eval(m, 1, o1), 0, 0);
    drive_respond(&dr, o1, 1, 0.0);
    /* One offer: counts only; weights unchanged. */
    assert_double_equal(pl__freq_weight(m, 1, 0), 1.0 / 3, 1e-15);
    assert_double_equal(pl__freq_value(m, 1, 0, 0), 1, 0);
    assert_double_equal(pl__freq_value(m, 1, 0, 1), 0, 0);
    drive_respond(&dr, o2, 1, 0.1);
    /* x and z unchanged: (1/3 + 0.2, 1/3, 1/3 + 0.2) / 1.4 = (8/21, 5/21, 8/21). */
    assert_double_equal(pl__freq_weight(m, 1, 0), 8.0 / 21, 1e-15);
    assert_double_equal(pl__freq_weight(m, 1, 1), 5.0 / 21, 1e-15);
    assert_double_equal(pl__freq_weight(m, 1, 2), 8.0 / 21, 1e-15);
    drive_respond(&dr, o3, 1, 0.2);
    /* y and z unchanged: (40/105, 46/105, 61/105) / 1.4 = (40/147, 46/147, 61/147). */
    assert_double_equal(pl__freq_weight(m, 1, 0), 40.0 / 147, 1e-15);
    assert_double_equal(pl__freq_weight(m, 1, 1), 46.0 / 147, 1e-15);
    assert_double_equal(pl__freq_weight(m, 1, 2), 61.0 / 147, 1e-15);
    /* Counts x: a 2, b 1; y: p 1, q 2; z: 0 3. */
    assert_double_equal(pl__freq_value(m, 1, 0, 0), 1, 0);
    assert_double_equal(pl__freq_value(m, 1, 0, 1), 0.5, 0);
    assert_double_equal(pl__freq_value(m, 1, 0, 2), 0, 0);
    assert_double_equal(pl__freq_value(m, 1, 1, 0), 0.5, 0);
    assert_double_equal(pl__freq_value(m, 1, 1, 1), 1, 0);
    assert_double_equal(pl__freq_value(m, 1, 1, 2), 0, 0);
    assert_double_equal(pl__freq_value(m, 1, 2, 0), 1, 0);
    assert_double_equal(pl__freq_value(m, 1, 2, 1), 0, 0);
    uint32_t e1[] = {0, 1, 0}, e2[] = {1, 0, 1};
    assert_double_equal(pl__freq_eval(m, 1, e1), 1, 1e-15);
    assert_double_equal(pl__freq_eval(m, 1, e2), 43.0 / 147, 1e-15);
    assert_int_equal(pl__freq_offers(m, 1), 3);
    assert_int_equal(pl__freq_offers(m, 0), 0); /* its own slot is never used */
    drive_end(&dr);

    /* Another learning rate; and model=none has no model. */
    assert_int_equal(drive_start(&dr, three_issues(), 0, 100, "boa:model=frequency(learning=1)"), 0);
    m = pl__boa_model(dr.self);
    drive_respond(&dr, o1, 1, 0.0);
    drive_respond(&dr, o1, 1, 0.1); /* all unchanged: (4/3 each) / 4 = 1/3 each */
    drive_respond(&dr, o2, 1, 0.2); /* x, z: (4/3, 1/3, 4/3) / 3 = (4/9, 1/9, 4/9) */
    assert_double_equal(pl__freq_weight(m, 1, 0), 4.0 / 9, 1e-15);
    assert_double_equal(pl__freq_weight(m, 1, 1), 1.0 / 9, 1e-15);
    assert_double_equal(pl__freq_value(m, 1, 1, 1), 0.5, 0);
    drive_end(&dr);
    assert_int_equal(drive_start(&dr, three_issues(), 0, 100, "boa:model=none"), 0);
    assert_null(pl__boa_model(dr.self));
    drive_end(&dr);
}

/* In a three-party session the model keeps one set of counts per offering party. */
static void test_frequency_per_party(void **state)
{
    (void)state;
    pl_scenario *sc = three_issues();
    double w[] = {1, 0, 0}, tx[] = {0.5, 0.5, 1}, ty[] = {0, 0, 0}, tz[] = {0, 0};
    const double *t[] = {tx, ty, tz};
    assert_int_equal(pl_scenario_add_party(sc, "third", table_ufun(pl_scenario_space(sc), w, t, 0), NULL), 0);
    drive dr;
    assert_int_equal(drive_start(&dr, sc, 0, 100, "boa"), 0);
    const pl__freq_model *m = pl__boa_model(dr.self);
    uint32_t o1[] = {0, 0, 0}, o2[] = {2, 2, 1};
    drive_respond(&dr, o1, 1, 0.0);
    drive_respond(&dr, o2, 2, 0.1);
    drive_respond(&dr, o1, 1, 0.2);
    assert_int_equal(pl__freq_offers(m, 1), 2);
    assert_int_equal(pl__freq_offers(m, 2), 1);
    assert_double_equal(pl__freq_weight(m, 1, 0), 1.0 / 3, 1e-15); /* all unchanged: still equal */
    assert_double_equal(pl__freq_value(m, 2, 0, 2), 1, 0);
    assert_double_equal(pl__freq_value(m, 1, 0, 2), 0, 0);
    drive_end(&dr);
}

/* ---- Tie-breaking in the opponent's favour ---- */

static void test_tie_breaking(void **state)
{
    (void)state;
    uint32_t cq[] = {2, 1}, bq[] = {1, 1}, out[2];
    /* Without a model: the outcome closest to 0.5 from above that comes first, (b,p) at rank 2. */
    drive dr;
    assert_int_equal(drive_start(&dr, ties(), 0, 100, "boa:bidding=linear,model=none"), 0);
    drive_counter(&dr, cq, 1, 0.5, out);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 0);
    drive_end(&dr);

    /* Before the opponent's first offer the frequency model changes nothing: at t = 0 the first best, (a,p). */
    assert_int_equal(drive_start(&dr, ties(), 0, 100, "boa:bidding=linear,model=frequency"), 0);
    pl_turn first = {1, dr.turn++, 0.0, NULL, 0, 0};
    assert_int_equal(dr.type->propose(dr.self, &first, out, &dr.d), 0);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 0);
    /* The opponent keeps offering (c,q): among the four outcomes worth 0.5 it gets (c,q), rank 5. */
    drive_respond(&dr, cq, 1, 0.1);
    drive_respond(&dr, cq, 1, 0.2);
    drive_counter(&dr, cq, 1, 0.5, out);
    assert_int_equal(out[0], 2);
    assert_int_equal(out[1], 1);
    drive_end(&dr);

    /* Estimated ties go to the lowest rank: after (c,q), (b,q) both are worth 1 to the model ((b,q) is rank 3). */
    assert_int_equal(drive_start(&dr, ties(), 0, 100, "boa:bidding=linear"), 0);
    drive_respond(&dr, cq, 1, 0.1);
    drive_counter(&dr, bq, 1, 0.5, out);
    const pl__freq_model *m = pl__boa_model(dr.self);
    assert_double_equal(pl__freq_eval(m, 1, cq), 1, 1e-15);
    assert_double_equal(pl__freq_eval(m, 1, bq), 1, 1e-15);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 1);
    /* At t = 0.25 the target is 0.75: nothing lies in [0.75, 0.77], so the nearest outcome above, (a,p). */
    drive_counter(&dr, cq, 1, 0.25, out);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 0);
    drive_end(&dr);

    /* A window wide enough ([0.5, 1]) to reach the best group: (a,q), the only outcome the model rates 1, although
     * it is worth 1 to this party too. */
    assert_int_equal(drive_start(&dr, ties(), 0, 100, "boa:bidding=linear,model=frequency(window=0.5)"), 0);
    uint32_t aq[] = {0, 1};
    drive_respond(&dr, aq, 1, 0.1);
    drive_counter(&dr, aq, 1, 0.5, out);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 1);
    drive_end(&dr);
}

/* ---- Acceptance conditions at their boundaries ---- */

static void test_accept_next_const_time(void **state)
{
    (void)state;
    uint32_t v[9];
    for (uint32_t k = 0; k < 9; k++) {
        v[k] = k;
    }
    drive dr;
    /* AC_next, linear from 1 to rv 0: at t = 0.5 the next offer is worth 0.5. */
    assert_int_equal(drive_start(&dr, eighths(0), 0, 100, "boa:bidding=linear,model=none,accept=next"), 0);
    assert_int_equal(drive_respond(&dr, &v[4], 1, 0.5), PL_RESPONSE_ACCEPT);
    assert_int_equal(drive_respond(&dr, &v[3], 1, 0.5), PL_RESPONSE_REJECT);
    drive_end(&dr);
    /* With rv 0.25 the curve ends at 0.25: at t = 0.5 the target is 0.625. */
    assert_int_equal(drive_start(&dr, eighths(0.25), 0, 100, "boa:bidding=linear,accept=next"), 0);
    assert_int_equal(drive_respond(&dr, &v[5], 1, 0.5), PL_RESPONSE_ACCEPT);
    assert_int_equal(drive_respond(&dr, &v[4], 1, 0.5), PL_RESPONSE_REJECT);
    drive_end(&dr);

    /* AC_const at exactly a, any time. */
    assert_int_equal(drive_start(&dr, eighths(0), 0, 100, "boa:bidding=boulware,accept=const(a=0.5)"), 0);
    assert_int_equal(drive_respond(&dr, &v[4], 1, 0.0), PL_RESPONSE_ACCEPT);
    assert_int_equal(drive_respond(&dr, &v[3], 1, 0.99), PL_RESPONSE_REJECT);
    drive_end(&dr);
    /* ... but never below the reservation value. */
    assert_int_equal(drive_start(&dr, eighths(0.625), 0, 100, "boa:accept=const(a=0.5)"), 0);
    assert_int_equal(drive_respond(&dr, &v[4], 1, 0.0), PL_RESPONSE_REJECT);
    assert_int_equal(drive_respond(&dr, &v[5], 1, 0.0), PL_RESPONSE_ACCEPT);
    drive_end(&dr);

    /* AC_time: nothing before T (not even the best outcome), anything from T on (even below the reservation). */
    assert_int_equal(drive_start(&dr, eighths(0.25), 0, 100, "boa:accept=time(t=0.75)"), 0);
    assert_int_equal(drive_respond(&dr, &v[8], 1, 0.5), PL_RESPONSE_REJECT);
    assert_int_equal(drive_respond(&dr, &v[8], 1, nextafter(0.75, 0)), PL_RESPONSE_REJECT);
    assert_int_equal(drive_respond(&dr, &v[0], 1, 0.75), PL_RESPONSE_ACCEPT);
    drive_end(&dr);
}

static void test_accept_combi(void **state)
{
    (void)state;
    uint32_t v[9];
    for (uint32_t k = 0; k < 9; k++) {
        v[k] = k;
    }
    /* e = 0.001 keeps the target at 1 for t <= 0.99, so AC_next accepts only the best outcome (worth 1). */
    const char *spec = "boa:bidding=timebased(e=0.001),accept=combi(t=0.75)";
    drive dr;
    assert_int_equal(drive_start(&dr, eighths(0), 0, 100, spec), 0);
    assert_int_equal(drive_respond(&dr, &v[6], 1, 0.25), PL_RESPONSE_REJECT);
    assert_int_equal(drive_respond(&dr, &v[5], 1, 0.5), PL_RESPONSE_REJECT);
    assert_int_equal(drive_respond(&dr, &v[3], 1, 0.625), PL_RESPONSE_REJECT);
    /* t = 0.75: window [0.5, 0.75] still holds 0.625 (received at exactly 0.5): 0.5 is refused. */
    assert_int_equal(drive_respond(&dr, &v[4], 1, 0.75), PL_RESPONSE_REJECT);
    /* t = 0.875: window [0.75, 0.875] holds 0.5 (at exactly 0.75) and this 0.5: the window's best, accepted. */
    assert_int_equal(drive_respond(&dr, &v[4], 1, 0.875), PL_RESPONSE_ACCEPT);
    drive_end(&dr);

    /* Before T the window's best is not enough; at T it is (u equal to the maximum). AC_next still works early. */
    assert_int_equal(drive_start(&dr, eighths(0), 0, 100, spec), 0);
    assert_int_equal(drive_respond(&dr, &v[7], 1, 0.5), PL_RESPONSE_REJECT);
    assert_int_equal(drive_respond(&dr, &v[7], 1, 0.75), PL_RESPONSE_ACCEPT);
    drive_end(&dr);
    assert_int_equal(drive_start(&dr, eighths(0), 0, 100, spec), 0);
    assert_int_equal(drive_respond(&dr, &v[8], 1, 0.25), PL_RESPONSE_ACCEPT); /* AC_next */
    drive_end(&dr);

    /* The window's best below the reservation value is refused. */
    assert_int_equal(drive_start(&dr, eighths(0.625), 0, 100, spec), 0);
    assert_int_equal(drive_respond(&dr, &v[4], 1, 0.875), PL_RESPONSE_REJECT);
    assert_int_equal(drive_respond(&dr, &v[5], 1, 0.9), PL_RESPONSE_ACCEPT);
    drive_end(&dr);
}

/* AC_combi against a brute-force window maximum over a long random sequence (a small round deadline makes the
 * queue grow and compact many times). */
static void test_accept_combi_brute(void **state)
{
    (void)state;
    uint64_t rng = 42;
    for (int pass = 0; pass < 2; pass++) {
        drive dr;
        assert_int_equal(drive_start(&dr, eighths(0.125), 0, pass == 0 ? 2 : 0,
                                     "boa:bidding=timebased(e=0.001),model=none,accept=combi(t=0.3)"),
                         0);
        enum { N = 3000 };
        static double ts[N], us[N];
        double t = 0;
        size_t accepted = 0;
        for (size_t j = 0; j < N; j++) {
            uint64_t x = tu_splitmix(&rng);
            if (x % 4 != 0) {
                t += 0.99 / N * (double)(x % 3);
            }
            t = t > 0.99 ? 0.99 : t;
            uint32_t val = (uint32_t)((x >> 8) % 8); /* never the best outcome (8): AC_next stays out */
            ts[j] = t;
            us[j] = val / 8.0;
            double left = t - (1.0 - t), mx = -1;
            for (size_t i = 0; i <= j; i++) {
                if (ts[i] >= left && us[i] > mx) {
                    mx = us[i];
                }
            }
            int want = t >= 0.3 && us[j] >= mx && us[j] >= 0.125;
            pl_response r = drive_respond(&dr, &val, 1, t);
            assert_int_equal(r, want ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT);
            accepted += want;
        }
        assert_true(accepted > 10 && accepted < N - 10);
        drive_end(&dr);
    }
}

/* ---- Whole sessions ---- */

/* Opposed random tables over ni issues of nv values, np parties. */
static pl_scenario *random_scenario(size_t np, size_t ni, uint32_t nv, uint64_t seed)
{
    pl_space *s = tu_space_new();
    const char *labels[] = {"v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7"};
    for (size_t i = 0; i < ni; i++) {
        char name[32];
        snprintf(name, sizeof name, "i%zu", i);
        assert_int_equal(pl_space_add_discrete(s, name, nv, labels, NULL), 0);
    }
    pl_scenario *sc = tu_scenario_new(s);
    for (size_t p = 0; p < np; p++) {
        pl_ufun *u = tu_ufun_linear_new(s);
        double tab[8];
        for (size_t i = 0; i < ni; i++) {
            for (uint32_t k = 0; k < nv; k++) {
                double r = (double)(tu_splitmix(&seed) >> 11) * 0x1.0p-53;
                double ramp = p % 2 ? 1 - k / (double)(nv - 1) : k / (double)(nv - 1);
                tab[k] = 0.7 * ramp + 0.3 * r;
            }
            assert_int_equal(pl_ufun_linear_set_table(u, i, tab), 0);
            assert_int_equal(pl_ufun_linear_set_weight(u, i, 1.0 / (double)ni), 0);
        }
        assert_int_equal(pl_ufun_set_reservation(u, 0.2), 0);
        char name[32];
        snprintf(name, sizeof name, "p%zu", p);
        assert_int_equal(pl_scenario_add_party(sc, name, u, NULL), 0);
    }
    return sc;
}

typedef struct trace {
    uint64_t hash;
    size_t n;
    const pl_scenario *sc;
    int below_rv; /* a boa offer below its reservation value */
    size_t boa;
} trace;

static void on_action(void *ud, const pl_action_record *rec)
{
    trace *tr = ud;
    size_t ni = pl_space_issue_count(pl_scenario_space(tr->sc));
    uint64_t h = tr->hash ^ (rec->round * 31 + rec->party * 7 + (uint64_t)rec->action);
    for (size_t i = 0; rec->outcome && i < ni; i++) {
        h = h * 1099511628211ull ^ rec->outcome[i];
    }
    tr->hash = h * 1099511628211ull;
    tr->n++;
    if (rec->party == tr->boa && rec->action == PL_ACTION_OFFER &&
        rec->utility < pl_ufun_reservation(pl_scenario_ufun(tr->sc, rec->party))) {
        tr->below_rv = 1;
    }
}

static void run(pl_negotiation *neg, pl_registry *reg, const char *const *names, size_t np, size_t boa, uint64_t seed,
                pl_session_result *r, trace *tr)
{
    pl_agent_spec *a[4];
    pl_diag d;
    pl_diag_clear(&d);
    for (size_t k = 0; k < np; k++) {
        assert_int_equal(pl_agent_spec_parse(reg, names[k], &a[k], &d), 0);
    }
    pl_session_options o;
    pl_session_options_init(&o);
    o.seed = seed;
    o.rounds = 200;
    o.on_action = on_action;
    o.action_ud = tr;
    memset(tr, 0, sizeof *tr);
    tr->sc = pl_negotiation_scenario(neg);
    tr->boa = boa;
    pl_session_result_init(r);
    if (pl_session_run(neg, (const pl_agent_spec *const *)a, np, &o, r, &d) < 0) {
        fail_msg("%s", d.message);
    }
    for (size_t k = 0; k < np; k++) {
        pl_agent_spec_free(a[k]);
    }
}

static void test_sessions(void **state)
{
    (void)state;
    pl_registry *reg = tu_registry_new();
    const char *boas[] = {
        "boa",
        "boa:bidding=boulware,model=frequency,accept=combi(t=0.98)",
        "boa:bidding=conceder,model=none,accept=const(a=0.6)",
        "boa:bidding=timebased(e=0.5),model=frequency(learning=0.5,window=0.05),accept=time(t=0.99)",
    };
    const char *opps[] = {"boulware", "conceder"};
    for (size_t np = 2; np <= 3; np++) {
        pl_scenario *sc = random_scenario(np, 4, 6, 1000 + np);
        pl_negotiation *neg;
        assert_int_equal(pl_negotiation_new(sc, NULL, &neg, NULL), 0);
        for (size_t b = 0; b < sizeof boas / sizeof boas[0]; b++) {
            for (size_t o = 0; o < 2; o++) {
                for (size_t place = 0; place < np; place++) {
                    const char *names[3];
                    for (size_t k = 0; k < np; k++) {
                        names[k] = k == place ? boas[b] : opps[(o + k) % 2];
                    }
                    pl_session_result r1, r2;
                    trace t1, t2;
                    run(neg, reg, names, np, place, 5, &r1, &t1);
                    run(neg, reg, names, np, place, 5, &r2, &t2);
                    if (r1.status != PL_SESSION_AGREEMENT && r1.status != PL_SESSION_DEADLINE) {
                        fail_msg("%s: %s", boas[b], r1.reason);
                    }
                    assert_false(t1.below_rv);
                    assert_int_equal(r1.status, r2.status);
                    assert_int_equal(r1.actions, r2.actions);
                    assert_int_equal(t1.n, r1.actions);
                    assert_true(t1.hash == t2.hash);
                    if (r1.has_agreement) {
                        size_t ni = pl_space_issue_count(pl_scenario_space(sc));
                        assert_memory_equal(r1.agreement, r2.agreement, ni * sizeof *r1.agreement);
                        /* time(t=0.99) may take anything at the end; the others never go below rv. */
                        if (!strstr(boas[b], "time(")) {
                            assert_true(r1.raw_utilities[place] >= 0.2);
                        }
                    }
                    pl_session_result_free(&r1);
                    pl_session_result_free(&r2);
                }
            }
        }
        pl_negotiation_free(neg);
        pl_scenario_free(sc);
    }
    pl_registry_free(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_frequency_model),
        cmocka_unit_test(test_frequency_per_party),
        cmocka_unit_test(test_tie_breaking),
        cmocka_unit_test(test_accept_next_const_time),
        cmocka_unit_test(test_accept_combi),
        cmocka_unit_test(test_accept_combi_brute),
        cmocka_unit_test(test_sessions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
