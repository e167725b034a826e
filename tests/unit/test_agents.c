/* Built-in agents: each one driven directly through its vtable on small scenarios whose sorted lists are known by
 * hand (one issue, 11 values worth 0, 0.1, ..., 1 to A and the reverse to B), then full sessions between every pair
 * (2 parties) and every triple (3 parties): valid, reproducible results. */
#include "testutil.h"

#include "negotiation/negotiation_internal.h"

/* ---- Scenarios ---- */

static const char *const labels11[] = {"v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10"};

/* One issue x with values v0..v10. A values vk at k/10, B at (10-k)/10, C (3 parties) at 1 - |k-5|/5. */
static pl_scenario *line_scenario(size_t np, double rv_a, double rv_b)
{
    pl_space *sp = tu_space_new();
    assert_non_null(sp);
    assert_int_equal(pl_space_add_discrete(sp, "x", 11, labels11, NULL), 0);
    pl_scenario *sc = tu_scenario_new(sp);
    assert_non_null(sc);
    const char *names[3] = {"A", "B", "C"};
    for (size_t p = 0; p < np; p++) {
        double t[11];
        for (int k = 0; k <= 10; k++) {
            t[k] = p == 0 ? k / 10.0 : p == 1 ? (10 - k) / 10.0 : 1.0 - abs(k - 5) / 5.0;
        }
        pl_ufun *u = tu_ufun_linear_new(pl_scenario_space(sc));
        assert_non_null(u);
        assert_int_equal(pl_ufun_linear_set_weight(u, 0, 1.0), 0);
        assert_int_equal(pl_ufun_linear_set_table(u, 0, t), 0);
        assert_int_equal(pl_ufun_set_reservation(u, p == 0 ? rv_a : p == 1 ? rv_b : 0.2), 0);
        assert_int_equal(pl_scenario_add_party(sc, names[p], u, NULL), 0);
    }
    return sc;
}

/* Three issues of 20 values each (8,000 outcomes); party A's weights make every outcome's utility distinct. */
static pl_scenario *cube_scenario(void)
{
    static const char *const labels20[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
                                           "k", "l", "m", "n", "o", "p", "q", "r", "s", "t"};
    pl_space *sp = tu_space_new();
    assert_non_null(sp);
    assert_int_equal(pl_space_add_discrete(sp, "x", 20, labels20, NULL), 0);
    assert_int_equal(pl_space_add_discrete(sp, "y", 20, labels20, NULL), 0);
    assert_int_equal(pl_space_add_discrete(sp, "z", 20, labels20, NULL), 0);
    pl_scenario *sc = tu_scenario_new(sp);
    assert_non_null(sc);
    const char *names[2] = {"A", "B"};
    for (size_t p = 0; p < 2; p++) {
        pl_ufun *u = tu_ufun_linear_new(pl_scenario_space(sc));
        assert_non_null(u);
        double w[3] = {400.0 / 421, 20.0 / 421, 1.0 / 421};
        for (size_t i = 0; i < 3; i++) {
            double t[20];
            for (int k = 0; k < 20; k++) {
                t[k] = (p == 0 ? k : 19 - k) / 19.0;
            }
            assert_int_equal(pl_ufun_linear_set_weight(u, i, w[i]), 0);
            assert_int_equal(pl_ufun_linear_set_table(u, i, t), 0);
        }
        assert_int_equal(pl_scenario_add_party(sc, names[p], u, NULL), 0);
    }
    return sc;
}

/* ---- Driving one agent through its vtable ---- */

typedef struct driver {
    const pl_agent_type *type;
    pl_agent_spec *spec;
    pl__view_ctx ctx;
    pl_agent_view view;
    void *self;
    const pl_ufun *u;
    uint64_t turn;
} driver;

static void drv_start(driver *dv, const pl_registry *reg, pl_negotiation *neg, size_t party, const char *spec,
                      uint64_t seed)
{
    memset(dv, 0, sizeof *dv);
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_agent_spec_parse(reg, spec, &dv->spec, &d);
    if (rc < 0) {
        print_error("%s: %s\n", spec, d.message);
    }
    assert_int_equal(rc, 0);
    dv->type = pl_agent_spec_type(dv->spec);
    const pl_scenario *sc = pl_negotiation_scenario(neg);
    dv->ctx = (pl__view_ctx){neg, party};
    dv->u = pl_scenario_ufun(sc, party);
    dv->view = (pl_agent_view){pl_scenario_space(sc),
                               dv->u,
                               pl_scenario_party_name(sc, party),
                               party,
                               pl_scenario_party_count(sc),
                               PL_PROTOCOL_SAOP,
                               100,
                               0,
                               seed,
                               pl_agent_spec_params(dv->spec),
                               &dv->ctx};
    assert_int_equal(dv->type->start(&dv->self, &dv->view, &d), 0);
}

static void drv_stop(driver *dv)
{
    dv->type->free(dv->self);
    pl_agent_spec_free(dv->spec);
}

/* The opponent (party 1 - own party) offers o at time t: observe (as the protocol does), then respond. */
static pl_response drv_respond(driver *dv, double t, const uint32_t *o)
{
    pl_turn tn = {1, dv->turn, t, o, 1 - dv->ctx.party, 0};
    if (dv->type->observe) {
        pl_event ev = {1 - dv->ctx.party, PL_ACTION_OFFER, o, 1, t};
        dv->type->observe(dv->self, &ev);
    }
    pl_response r = PL_RESPONSE_END;
    assert_int_equal(dv->type->respond(dv->self, &tn, &r, NULL), 0);
    return r;
}

/* The agent's offer in the same turn (after drv_respond rejected, or with no offer on the table); then the turn ends.
 * Returns its own utility; the outcome in o (one issue is enough here, o has room for 4). */
static double drv_propose(driver *dv, double t, const uint32_t *table, uint32_t *o)
{
    pl_turn tn = {1, dv->turn, t, table, 1 - dv->ctx.party, 0};
    assert_int_equal(dv->type->propose(dv->self, &tn, o, NULL), 0);
    assert_true(pl_space_outcome_valid(dv->view.space, o));
    dv->turn++;
    return pl_ufun_eval(dv->u, o);
}

/* One full turn against the opponent's offer (value index k of the single issue): respond, and propose on reject.
 * Returns the agent's own utility of its offer, or -1 when it accepted. */
static double drv_turn(driver *dv, double t, uint32_t k)
{
    uint32_t in[1] = {k}, out[4];
    if (drv_respond(dv, t, in) == PL_RESPONSE_ACCEPT) {
        dv->turn++;
        return -1;
    }
    return drv_propose(dv, t, in, out);
}

typedef struct fixture {
    pl_registry *reg;
    pl_scenario *sc;
    pl_negotiation *neg;
} fixture;

static void fx_open(fixture *f, pl_scenario *sc)
{
    f->reg = tu_registry_new();
    assert_non_null(f->reg);
    f->sc = sc;
    assert_int_equal(pl_negotiation_new(sc, NULL, &f->neg, NULL), 0);
}

static void fx_close(fixture *f)
{
    pl_negotiation_free(f->neg);
    pl_scenario_free(f->sc);
    pl_registry_free(f->reg);
}

/* The lowest utility k/10 (k = 0..10) that is >= target: "closest from above" on the line scenario. */
static double ceil_tenth(double target)
{
    for (int k = 0; k <= 10; k++) {
        if (k / 10.0 >= target) {
            return k / 10.0;
        }
    }
    return 1.0;
}

/* ---- Registry and parameters ---- */

static void test_registry(void **state)
{
    (void)state;
    pl_registry *reg = tu_registry_new();
    assert_non_null(reg);
    const char *names[] = {"hardliner", "random", "tit-for-tat", "aspiration", "micro"};
    for (size_t k = 0; k < 5; k++) {
        const pl_agent_type *t = pl_registry_find(reg, names[k]);
        assert_non_null(t);
        assert_true(strlen(t->description) > 10);
        for (size_t p = 0; p < t->n_params; p++) {
            assert_non_null(t->params[p].description);
        }
    }
    const char *good[] = {"random:p_accept=0", "random:p_accept=1", "aspiration:exponent=100,tolerance=0",
                          "aspiration:exponent=0.5,tolerance=1"};
    const char *bad[] = {"random:p_accept=1.5",
                         "random:p_accept=-0.1",
                         "aspiration:exponent=0",
                         "aspiration:exponent=101",
                         "aspiration:tolerance=2",
                         "hardliner:e=1",
                         "micro:x=1"};
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        pl_agent_spec *s = NULL;
        assert_int_equal(pl_agent_spec_parse(reg, good[k], &s, NULL), 0);
        pl_agent_spec_free(s);
    }
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        pl_agent_spec *s = NULL;
        pl_diag d;
        pl_diag_clear(&d);
        assert_int_equal(pl_agent_spec_parse(reg, bad[k], &s, &d), PL_EINVAL);
        assert_null(s);
    }
    pl_agent_spec *s = NULL;
    assert_int_equal(pl_agent_spec_parse(reg, "random", &s, NULL), 0);
    assert_double_equal(pl_params_double(pl_agent_spec_params(s), "p_accept"), 0.5, 0);
    pl_agent_spec_free(s);
    assert_int_equal(pl_agent_spec_parse(reg, "aspiration", &s, NULL), 0);
    assert_double_equal(pl_params_double(pl_agent_spec_params(s), "exponent"), 2, 0);
    assert_double_equal(pl_params_double(pl_agent_spec_params(s), "tolerance"), 0.01, 0);
    pl_agent_spec_free(s);
    pl_registry_free(reg);
}

/* ---- Time-based family ---- */

static void test_timebased_family(void **state)
{
    (void)state;
    fixture f;
    fx_open(&f, line_scenario(2, 0.0, 0.0));
    const char *specs[] = {"boulware", "linear", "conceder", "timebased:e=0.5", "timebased:e=3"};
    const double es[] = {0.2, 1, 2, 0.5, 3};
    const double ts[] = {0, 0.1, 0.25, 0.3, 0.5, 0.73, 0.9, 0.99, 1};
    for (size_t s = 0; s < 5; s++) {
        driver dv;
        drv_start(&dv, f.reg, f.neg, 0, specs[s], 7);
        for (size_t k = 0; k < sizeof ts / sizeof ts[0]; k++) {
            double t = ts[k];
            double expect = ceil_tenth(1.0 - 1.0 * pow(t, 1.0 / es[s]));
            /* AC_next at the boundary: an offer worth exactly the next offer is accepted, one step less is not. */
            uint32_t at[1] = {(uint32_t)lround(expect * 10)};
            assert_int_equal(drv_respond(&dv, t, at), PL_RESPONSE_ACCEPT);
            if (at[0] > 0) {
                uint32_t below[1] = {at[0] - 1};
                assert_int_equal(drv_respond(&dv, t, below), PL_RESPONSE_REJECT);
            }
            uint32_t o[4];
            double got = drv_propose(&dv, t, at, o);
            if (fabs(got - expect) > 1e-12) {
                print_error("%s t=%g: offered %g, expected %g\n", specs[s], t, got, expect);
            }
            assert_double_equal(got, expect, 1e-12);
        }
        drv_stop(&dv);
    }
    fx_close(&f);

    /* Never below the reservation value, at any time. */
    fx_open(&f, line_scenario(2, 0.35, 0.0));
    for (size_t s = 0; s < 5; s++) {
        driver dv;
        drv_start(&dv, f.reg, f.neg, 0, specs[s], 7);
        for (int k = 0; k <= 100; k++) {
            double t = k / 100.0;
            uint32_t low[1] = {3}; /* worth 0.3 < 0.35: never accepted */
            assert_int_equal(drv_respond(&dv, t, low), PL_RESPONSE_REJECT);
            uint32_t o[4];
            double got = drv_propose(&dv, t, low, o);
            assert_true(got >= 0.35);
            if (k == 100) {
                assert_double_equal(got, 0.4, 1e-12);
            }
        }
        drv_stop(&dv);
    }
    fx_close(&f);
}

/* ---- Hardliner ---- */

static void test_hardliner(void **state)
{
    (void)state;
    fixture f;
    fx_open(&f, line_scenario(2, 0.0, 0.0));
    driver dv;
    drv_start(&dv, f.reg, f.neg, 0, "hardliner", 1);
    uint32_t o[4];
    assert_double_equal(drv_propose(&dv, 0, NULL, o), 1.0, 0);
    for (int k = 0; k <= 100; k++) {
        double t = k / 100.0;
        /* Every offer short of its best is rejected and answered with its best, however late. */
        assert_double_equal(drv_turn(&dv, t, (uint32_t)(k % 10)), 1.0, 0);
    }
    assert_double_equal(drv_turn(&dv, 1.0, 10), -1, 0);
    drv_stop(&dv);
    fx_close(&f);
}

/* ---- Random ---- */

static void test_random(void **state)
{
    (void)state;
    fixture f;
    fx_open(&f, line_scenario(2, 0.45, 0.0));
    /* Acceptable to A: utility >= 0.45, i.e. v5..v10 (six outcomes), each drawn about 1/6 of the time. */
    driver a, b, c;
    drv_start(&a, f.reg, f.neg, 0, "random", 11);
    drv_start(&b, f.reg, f.neg, 0, "random", 11);
    drv_start(&c, f.reg, f.neg, 0, "random", 12);
    int count[11] = {0};
    int differ = 0;
    for (int k = 0; k < 3000; k++) {
        uint32_t oa[4], ob[4], oc[4];
        double ua = drv_propose(&a, 0.5, NULL, oa);
        drv_propose(&b, 0.5, NULL, ob);
        drv_propose(&c, 0.5, NULL, oc);
        assert_true(ua >= 0.45);
        assert_int_equal(oa[0], ob[0]); /* same seed, same draws */
        differ += oa[0] != oc[0];
        count[oa[0]]++;
    }
    assert_true(differ > 1000);
    for (int v = 0; v <= 10; v++) {
        if (v < 5) {
            assert_int_equal(count[v], 0);
        } else {
            assert_true(count[v] > 400 && count[v] < 600);
        }
    }
    /* p_accept = 0.5: about half the acceptable offers; never an unacceptable one. */
    int accepted = 0;
    for (int k = 0; k < 2000; k++) {
        uint32_t ok[1] = {5}, low[1] = {4};
        accepted += drv_respond(&a, 0.5, ok) == PL_RESPONSE_ACCEPT;
        assert_int_equal(drv_respond(&a, 0.5, low), PL_RESPONSE_REJECT);
    }
    assert_true(accepted > 900 && accepted < 1100);
    drv_stop(&a);
    drv_stop(&b);
    drv_stop(&c);

    driver all, none;
    drv_start(&all, f.reg, f.neg, 0, "random:p_accept=1", 3);
    drv_start(&none, f.reg, f.neg, 0, "random:p_accept=0", 3);
    for (int k = 0; k < 200; k++) {
        uint32_t ok[1] = {(uint32_t)(5 + k % 6)}, low[1] = {(uint32_t)(k % 5)};
        assert_int_equal(drv_respond(&all, 0.5, ok), PL_RESPONSE_ACCEPT);
        assert_int_equal(drv_respond(&all, 0.5, low), PL_RESPONSE_REJECT);
        assert_int_equal(drv_respond(&none, 0.5, ok), PL_RESPONSE_REJECT);
    }
    drv_stop(&all);
    drv_stop(&none);
    fx_close(&f);

    /* Nothing acceptable (reservation above the best utility): it offers its best and accepts nothing. */
    fx_open(&f, line_scenario(2, 1.5, 0.0));
    drv_start(&a, f.reg, f.neg, 0, "random:p_accept=1", 3);
    for (int k = 0; k < 50; k++) {
        assert_double_equal(drv_turn(&a, 0.5, 10), 1.0, 0);
    }
    drv_stop(&a);
    fx_close(&f);
}

/* ---- Tit-for-tat ---- */

static void test_tit_for_tat(void **state)
{
    (void)state;
    fixture f;
    fx_open(&f, line_scenario(2, 0.0, 0.0));
    driver dv;
    drv_start(&dv, f.reg, f.neg, 0, "tit-for-tat", 1);
    uint32_t o[4];
    assert_double_equal(drv_propose(&dv, 0, NULL, o), 1.0, 0); /* opens with its best */
    assert_double_equal(drv_turn(&dv, 0.1, 0), 1.0, 1e-12);    /* one offer received: nothing to mirror */
    assert_double_equal(drv_turn(&dv, 0.2, 2), 0.8, 1e-12);    /* opponent conceded 0.2 (in A's utility) */
    assert_double_equal(drv_turn(&dv, 0.3, 3), 0.7, 1e-12);    /* and 0.1 more */
    assert_double_equal(drv_turn(&dv, 0.4, 1), 0.9, 1e-12);    /* backtracked 0.2: so does A */
    assert_double_equal(drv_turn(&dv, 0.5, 1), 0.9, 1e-12);    /* repeated: no move */
    assert_double_equal(drv_turn(&dv, 0.6, 0), 1.0, 1e-12);
    assert_double_equal(drv_turn(&dv, 0.7, 3), 0.7, 1e-12);
    assert_double_equal(drv_turn(&dv, 0.8, 4), 0.6, 1e-12);
    /* AC_next: 0.2 more brings A's target to 0.4, and the offer (0.6) is worth more: accepted. */
    assert_double_equal(drv_turn(&dv, 0.9, 6), -1, 0);
    drv_stop(&dv);

    /* AC_next at the boundary: an offer worth exactly the new target is accepted. */
    drv_start(&dv, f.reg, f.neg, 0, "tit-for-tat", 1);
    assert_double_equal(drv_turn(&dv, 0.1, 0), 1.0, 1e-12);
    assert_double_equal(drv_turn(&dv, 0.2, 3), 0.7, 1e-12);
    assert_double_equal(drv_turn(&dv, 0.3, 5), -1, 0); /* target 0.5, offer 0.5 */
    drv_stop(&dv);

    /* Clamped at the best: a backtrack beyond it does not bank credit. */
    drv_start(&dv, f.reg, f.neg, 0, "tit-for-tat", 1);
    assert_double_equal(drv_turn(&dv, 0.1, 3), 1.0, 1e-12);
    assert_double_equal(drv_turn(&dv, 0.2, 0), 1.0, 1e-12); /* target would be 1.3 */
    assert_double_equal(drv_turn(&dv, 0.3, 1), 0.9, 1e-12); /* not 1.2 */
    drv_stop(&dv);

    /* Many small steps: the rounding of the running target never skips an outcome. */
    drv_start(&dv, f.reg, f.neg, 0, "tit-for-tat", 1);
    assert_double_equal(drv_turn(&dv, 0.0, 0), 1.0, 1e-12);
    for (uint32_t k = 1; k <= 4; k++) {
        assert_double_equal(drv_turn(&dv, 0.1 * k, k), 1.0 - 0.1 * k, 1e-12);
    }
    drv_stop(&dv);
    fx_close(&f);

    /* Clamped at the reservation value (0.35: the lowest target offers 0.4). */
    fx_open(&f, line_scenario(2, 0.35, 0.0));
    drv_start(&dv, f.reg, f.neg, 0, "tit-for-tat", 1);
    assert_double_equal(drv_turn(&dv, 0.1, 0), 1.0, 1e-12);
    assert_double_equal(drv_turn(&dv, 0.2, 9), -1, 0); /* target 0.1, clamped to 0.35 */
    assert_double_equal(drv_propose(&dv, 0.2, NULL, o), 0.4, 1e-12);
    assert_double_equal(drv_turn(&dv, 0.3, 0), 1.0, 1e-12); /* back by 0.9: from 0.35, clamped at 1 */
    assert_double_equal(drv_turn(&dv, 0.4, 2), 0.8, 1e-12);
    drv_stop(&dv);
    fx_close(&f);
}

/* ---- Aspiration ---- */

static void test_aspiration(void **state)
{
    (void)state;
    fixture f;
    fx_open(&f, line_scenario(2, 0.0, 0.0));
    driver dv, same, other;
    /* exponent 1, tolerance 0.25: at t = 0.5 the window is [0.5, 0.75]: v5, v6, v7. */
    drv_start(&dv, f.reg, f.neg, 0, "aspiration:exponent=1,tolerance=0.25", 5);
    drv_start(&same, f.reg, f.neg, 0, "aspiration:exponent=1,tolerance=0.25", 5);
    drv_start(&other, f.reg, f.neg, 0, "aspiration:exponent=1,tolerance=0.25", 6);
    int count[11] = {0}, differ = 0;
    for (int k = 0; k < 600; k++) {
        uint32_t o[4], os[4], oo[4];
        drv_propose(&dv, 0.5, NULL, o);
        drv_propose(&same, 0.5, NULL, os);
        drv_propose(&other, 0.5, NULL, oo);
        assert_int_equal(o[0], os[0]);
        differ += o[0] != oo[0];
        count[o[0]]++;
    }
    assert_true(differ > 100);
    for (int v = 0; v <= 10; v++) {
        if (v >= 5 && v <= 7) {
            assert_true(count[v] > 120);
        } else {
            assert_int_equal(count[v], 0);
        }
    }
    uint32_t o[4];
    assert_double_equal(drv_propose(&dv, 0.0, NULL, o), 1.0, 0); /* window [1, 1.25]: only the best */
    for (int k = 0; k < 100; k++) {
        double u = drv_propose(&dv, 1.0, NULL, o); /* window [0, 0.25]: v0, v1, v2 */
        assert_true(u >= 0 && u <= 0.25);
    }
    /* Acceptance: at or above a(t). */
    uint32_t at[1] = {5}, below[1] = {4};
    assert_int_equal(drv_respond(&dv, 0.5, at), PL_RESPONSE_ACCEPT);
    assert_int_equal(drv_respond(&dv, 0.5, below), PL_RESPONSE_REJECT);
    drv_stop(&dv);
    drv_stop(&same);
    drv_stop(&other);

    /* Defaults (exponent 2, tolerance 0.01): a(0.5) = 0.75, an empty window: the closest from above (0.8). */
    drv_start(&dv, f.reg, f.neg, 0, "aspiration", 5);
    for (int k = 0; k < 20; k++) {
        assert_double_equal(drv_propose(&dv, 0.5, NULL, o), 0.8, 1e-12);
        assert_double_equal(drv_propose(&dv, 0.3, NULL, o), 1.0, 1e-12); /* a = 0.91 */
        assert_double_equal(drv_propose(&dv, 0.8, NULL, o), 0.4, 1e-12); /* a = 0.36 */
    }
    uint32_t v8[1] = {8}, v7[1] = {7};
    assert_int_equal(drv_respond(&dv, 0.5, v8), PL_RESPONSE_ACCEPT);
    assert_int_equal(drv_respond(&dv, 0.5, v7), PL_RESPONSE_REJECT);
    drv_stop(&dv);
    fx_close(&f);

    /* Reservation 0.35: a(1) = 0.35, the window [0.35, 0.6] holds v4, v5, v6; 0.3 is never accepted. */
    fx_open(&f, line_scenario(2, 0.35, 0.0));
    drv_start(&dv, f.reg, f.neg, 0, "aspiration:exponent=1,tolerance=0.25", 9);
    for (int k = 0; k < 100; k++) {
        double u = drv_propose(&dv, 1.0, NULL, o);
        assert_true(u >= 0.35 && u <= 0.6);
        uint32_t v3[1] = {3}, v4[1] = {4};
        assert_int_equal(drv_respond(&dv, 1.0, v3), PL_RESPONSE_REJECT);
        assert_int_equal(drv_respond(&dv, 1.0, v4), PL_RESPONSE_ACCEPT);
    }
    drv_stop(&dv);
    fx_close(&f);
}

/* ---- MiCRO ---- */

static void test_micro(void **state)
{
    (void)state;
    fixture f;
    fx_open(&f, line_scenario(2, 0.35, 0.0));
    driver dv;
    drv_start(&dv, f.reg, f.neg, 0, "micro", 1);
    uint32_t o[4];
    assert_double_equal(drv_propose(&dv, 0, NULL, o), 1.0, 0); /* first offer: its best */
    assert_double_equal(drv_turn(&dv, 0.01, 0), 0.9, 1e-12);   /* one new offer received: concedes one step */
    /* The same offer again: no concession; it repeats one of its offers (1.0 or 0.9) at random. */
    int seen10 = 0, seen9 = 0;
    for (int k = 0; k < 100; k++) {
        double u = drv_turn(&dv, 0.02, 0);
        assert_true(u == 1.0 || u == 0.9);
        seen10 += u == 1.0;
        seen9 += u == 0.9;
    }
    assert_true(seen10 > 20 && seen9 > 20);
    assert_double_equal(drv_turn(&dv, 0.1, 1), 0.8, 1e-12); /* a second distinct offer: next step */
    for (int k = 0; k < 50; k++) {
        double u = drv_turn(&dv, 0.2, k % 2 ? 0 : 1); /* old offers only */
        assert_true(u >= 0.8 - 1e-12);
    }
    /* Acceptance when not conceding: at least the lowest it offered (0.8). */
    uint32_t v8[1] = {8};
    assert_int_equal(drv_respond(&dv, 0.3, v8), PL_RESPONSE_ACCEPT);
    uint32_t v7[1] = {7};
    /* A new offer worth 0.7: it would concede to 0.7 next, so the offer is accepted (AC_next). */
    assert_int_equal(drv_respond(&dv, 0.3, v7), PL_RESPONSE_ACCEPT);
    assert_double_equal(drv_propose(&dv, 0.3, v7, o), 0.7, 1e-12);
    assert_double_equal(drv_turn(&dv, 0.4, 2), 0.6, 1e-12);
    assert_double_equal(drv_turn(&dv, 0.5, 3), 0.5, 1e-12);
    assert_double_equal(drv_turn(&dv, 0.6, 4), -1, 0); /* 0.4: its next offer */
    assert_double_equal(drv_propose(&dv, 0.6, NULL, o), 0.4, 1e-12);
    /* Never below the reservation value (0.35): more new offers, no further concession. */
    uint32_t v6[1] = {6};
    assert_int_equal(drv_respond(&dv, 0.7, v6), PL_RESPONSE_ACCEPT);
    uint32_t v3[1] = {3};
    assert_int_equal(drv_respond(&dv, 0.7, v3), PL_RESPONSE_REJECT);
    for (int k = 0; k < 50; k++) {
        double u = drv_propose(&dv, 0.8, NULL, o);
        assert_true(u >= 0.4 - 1e-12);
    }
    drv_stop(&dv);
    fx_close(&f);

    /* 8,000 outcomes with distinct utilities: 600 distinct offers received (the hash set grows from 64 slots),
     * each followed by exactly one step down the sorted list; repeats of old offers never move it. */
    fx_open(&f, cube_scenario());
    drv_start(&dv, f.reg, f.neg, 0, "micro", 1);
    const pl_sorted *s = NULL;
    assert_int_equal(pl_agent_sorted(&dv.view, &s, NULL), 0);
    const double *su = pl_sorted_utilities(s);
    uint32_t in[3], out[3];
    assert_double_equal(drv_propose(&dv, 0, NULL, out), su[0], 0);
    for (uint32_t k = 0; k < 600; k++) {
        in[0] = k / 400; /* the heavy issue kept low: every offer is worth < 0.15 to A */
        in[1] = (k / 20) % 20;
        in[2] = k % 20;
        double t = k / 1000.0;
        assert_int_equal(drv_respond(&dv, t, in), PL_RESPONSE_REJECT);
        assert_double_equal(drv_propose(&dv, t, in, out), su[k + 1], 0);
        uint32_t old[3] = {0, 0, 0};
        assert_int_equal(drv_respond(&dv, t, old), PL_RESPONSE_REJECT);
        double u = drv_propose(&dv, t, old, out);
        assert_true(u >= su[k + 1]);
    }
    drv_stop(&dv);
    fx_close(&f);
}

/* ---- Sessions ---- */

typedef struct trace {
    uint64_t hash;
    uint64_t n;
    size_t ni;
} trace;

static void on_action(void *ud, const pl_action_record *rec)
{
    trace *tr = ud;
    uint64_t x = tr->hash ^ (rec->round * 1000003u + rec->party * 31u + (uint64_t)rec->action);
    tr->hash = tu_splitmix(&x);
    if (rec->outcome) {
        for (size_t i = 0; i < tr->ni; i++) {
            x = tr->hash ^ rec->outcome[i];
            tr->hash = tu_splitmix(&x);
        }
    }
    tr->n++;
}

static int run(fixture *f, const char *const *names, uint64_t rounds, uint64_t seed, pl_session_result *r, trace *tr)
{
    size_t np = pl_scenario_party_count(f->sc);
    pl_agent_spec *specs[3] = {NULL, NULL, NULL};
    for (size_t k = 0; k < np; k++) {
        pl_diag d;
        pl_diag_clear(&d);
        int rc = pl_agent_spec_parse(f->reg, names[k], &specs[k], &d);
        if (rc < 0) {
            print_error("%s: %s\n", names[k], d.message);
        }
        assert_int_equal(rc, 0);
    }
    pl_session_options o;
    pl_session_options_init(&o);
    o.rounds = rounds;
    o.seed = seed;
    memset(tr, 0, sizeof *tr);
    tr->ni = pl_space_issue_count(pl_scenario_space(f->sc));
    o.on_action = on_action;
    o.action_ud = tr;
    pl_session_result_init(r);
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_session_run(f->neg, (const pl_agent_spec *const *)specs, np, &o, r, &d);
    for (size_t k = 0; k < np; k++) {
        pl_agent_spec_free(specs[k]);
    }
    return rc;
}

static void test_session_hand_computed(void **state)
{
    (void)state;
    fixture f;
    fx_open(&f, line_scenario(2, 0.0, 0.0));
    pl_session_result r;
    trace tr;

    /* MiCRO against itself: A offers v10, v9, ...; B offers v0, v1, ...; in round 6 B accepts A's v5 (0.5 each). */
    const char *mm[2] = {"micro", "micro"};
    assert_int_equal(run(&f, mm, 100, 1, &r, &tr), 0);
    assert_int_equal(r.status, PL_SESSION_AGREEMENT);
    assert_int_equal(r.agreement[0], 5);
    assert_int_equal(r.rounds, 6);
    assert_int_equal(r.actions, 12);
    assert_double_equal(r.utilities[0], 0.5, 1e-12);
    assert_double_equal(r.utilities[1], 0.5, 1e-12);
    pl_session_result_free(&r);

    /* Hardliner against conceder: the conceder gives in only at t = 1 (round 100), on the hardliner's best. */
    const char *hc[2] = {"hardliner", "conceder"};
    assert_int_equal(run(&f, hc, 100, 1, &r, &tr), 0);
    assert_int_equal(r.status, PL_SESSION_AGREEMENT);
    assert_int_equal(r.agreement[0], 10);
    assert_int_equal(r.rounds, 100);
    assert_int_equal(r.actions, 200);
    pl_session_result_free(&r);

    /* Two hardliners never agree. */
    const char *hh[2] = {"hardliner", "hardliner"};
    assert_int_equal(run(&f, hh, 100, 1, &r, &tr), 0);
    assert_int_equal(r.status, PL_SESSION_DEADLINE);
    assert_int_equal(r.rounds, 100);
    assert_int_equal(tr.n, 200);
    pl_session_result_free(&r);

    /* Tit-for-tat against linear mirrors its concessions: they meet in the middle. */
    const char *tl[2] = {"tit-for-tat", "linear"};
    assert_int_equal(run(&f, tl, 100, 1, &r, &tr), 0);
    assert_int_equal(r.status, PL_SESSION_AGREEMENT);
    assert_true(r.agreement[0] >= 4 && r.agreement[0] <= 6);
    pl_session_result_free(&r);

    /* Random against random: reproducible per seed, different across seeds. */
    const char *rr[2] = {"random", "random"};
    uint64_t first = 0;
    int differ = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        trace t2;
        pl_session_result r2;
        assert_int_equal(run(&f, rr, 100, seed, &r, &tr), 0);
        assert_int_equal(run(&f, rr, 100, seed, &r2, &t2), 0);
        assert_true(tr.hash == t2.hash);
        assert_int_equal(r.actions, r2.actions);
        if (seed == 1) {
            first = tr.hash;
        } else {
            differ += tr.hash != first;
        }
        pl_session_result_free(&r);
        pl_session_result_free(&r2);
    }
    assert_true(differ >= 15);
    fx_close(&f);
}

/* Known to accept nothing below the reservation value and to offer nothing below it. */
static int rational(const char *name)
{
    const char *known[] = {"boulware", "linear",      "conceder",   "timebased", "hardliner",
                           "random",   "tit-for-tat", "aspiration", "micro"};
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
        if (strcmp(name, known[k]) == 0) {
            return 1;
        }
    }
    return 0;
}

static void check_session(fixture *f, const char *const *names, size_t np)
{
    pl_session_result r, r2;
    trace tr, t2;
    assert_int_equal(run(f, names, 40, 99, &r, &tr), 0);
    if (r.status != PL_SESSION_AGREEMENT && r.status != PL_SESSION_DEADLINE) {
        print_error("%s vs %s%s%s: %s (%s)\n", names[0], names[1], np > 2 ? " vs " : "", np > 2 ? names[2] : "",
                    pl_session_status_name(r.status), r.reason);
        fail();
    }
    int all_rational = 1;
    for (size_t k = 0; k < np; k++) {
        all_rational &= rational(names[k]);
    }
    if (r.status == PL_SESSION_AGREEMENT) {
        assert_true(pl_space_outcome_valid(pl_scenario_space(f->sc), r.agreement));
        if (all_rational) {
            assert_int_equal(r.individually_rational, 1);
        }
    }
    assert_true(r.t >= 0 && r.t <= 1);
    assert_true(r.rounds >= 1 && r.rounds <= 40);
    assert_int_equal(tr.n, r.actions);
    /* Same seed, same session. */
    assert_int_equal(run(f, names, 40, 99, &r2, &t2), 0);
    assert_int_equal(r2.status, r.status);
    assert_int_equal(r2.actions, r.actions);
    assert_true(t2.hash == tr.hash);
    for (size_t k = 0; k < np; k++) {
        assert_double_equal(r2.utilities[k], r.utilities[k], 0);
    }
    pl_session_result_free(&r);
    pl_session_result_free(&r2);
}

/* Agents that play SAOP (the single-text voters only vote: test_single_text covers them). */
static int saop_agent(const pl_registry *reg, size_t k)
{
    return pl_registry_type(reg, k)->respond != NULL;
}

static void test_sessions_all_pairs(void **state)
{
    (void)state;
    fixture f;
    fx_open(&f, line_scenario(2, 0.25, 0.15));
    size_t n = pl_registry_count(f.reg);
    assert_true(n >= 9);
    for (size_t a = 0; a < n; a++) {
        for (size_t b = 0; b < n; b++) {
            if (!saop_agent(f.reg, a) || !saop_agent(f.reg, b)) {
                continue;
            }
            const char *names[2] = {pl_registry_type(f.reg, a)->name, pl_registry_type(f.reg, b)->name};
            check_session(&f, names, 2);
        }
    }
    fx_close(&f);
}

static void test_sessions_all_triples(void **state)
{
    (void)state;
    fixture f;
    fx_open(&f, line_scenario(3, 0.25, 0.15));
    size_t n = pl_registry_count(f.reg);
    for (size_t a = 0; a < n; a++) {
        for (size_t b = 0; b < n; b++) {
            for (size_t c = 0; c < n; c++) {
                if (!saop_agent(f.reg, a) || !saop_agent(f.reg, b) || !saop_agent(f.reg, c)) {
                    continue;
                }
                const char *names[3] = {pl_registry_type(f.reg, a)->name, pl_registry_type(f.reg, b)->name,
                                        pl_registry_type(f.reg, c)->name};
                check_session(&f, names, 3);
            }
        }
    }
    fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_timebased_family),
        cmocka_unit_test(test_hardliner),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_tit_for_tat),
        cmocka_unit_test(test_aspiration),
        cmocka_unit_test(test_micro),
        cmocka_unit_test(test_session_hand_computed),
        cmocka_unit_test(test_sessions_all_pairs),
        cmocka_unit_test(test_sessions_all_triples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
