/* The mediated single-text protocol on small hand-made scenarios: veto semantics, the mediators (neutral and party,
 * random and systematic order), red lines, the status quo, the deadline and the early end when the text is stable,
 * determinism, the voters' rules (the annealer's acceptance against its hand-computed probability), refusals of
 * agents that cannot vote, violations, and individual rationality with red lines. */
#include "testutil.h"

#include "core/internal.h"
#include "negotiation/negotiation_internal.h"

/* ---- A test agent: votes by mode (yes: accept all; no: reject all; fail: return an error; bad: answer 2); under
 * SAOP it offers the outcome with dense index `offer` and accepts every offer. ---- */

static const pl_param_spec tv_params[] = {
    {"mode", PL_PARAM_STRING, "yes", 0, 0, "yes, no, fail or bad"},
    {"offer", PL_PARAM_INT, "0", 0, 0, "dense index offered under SAOP"},
};

typedef struct tv {
    const pl_agent_view *view;
    char mode;
} tv;

static int tv_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    tv *a = calloc(1, sizeof *a);
    assert_non_null(a);
    a->view = v;
    a->mode = pl_params_string(v->params, "mode")[0];
    *self = a;
    return 0;
}

static int tv_respond(void *self, const pl_turn *tn, pl_response *r, pl_diag *d)
{
    *r = PL_RESPONSE_ACCEPT;
    return 0;
}

static int tv_propose(void *self, const pl_turn *tn, uint32_t *o, pl_diag *d)
{
    tv *a = self;
    return pl_space_outcome_at(a->view->space, (uint64_t)pl_params_int(a->view->params, "offer"), o);
}

static int tv_vote(void *self, const pl_vote *v, int *accept, pl_diag *d)
{
    tv *a = self;
    assert_true(pl_space_outcome_valid(a->view->space, v->current));
    assert_true(pl_space_outcome_valid(a->view->space, v->proposed));
    switch (a->mode) {
    case 'f':
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "scripted failure");
    case 'b':
        *accept = 2;
        return 0;
    default:
        *accept = a->mode == 'y';
        return 0;
    }
}

static void tv_free(void *self)
{
    free(self);
}

static const pl_agent_type tv_type = {
    PL_AGENT_API_VERSION, "tv", "test voter", tv_params, 2, tv_start, tv_respond, tv_propose, NULL, tv_free, tv_vote,
};

/* ---- Scenarios ---- */

/* Issues x0 .. x(ni-1), each with nv values "v0".."v(nv-1)"; party k's value table for issue i is tabs[k][i][v]
 * (weights 1/ni each); reservation 0.1. */
static pl_scenario *grid_scenario(size_t ni, uint32_t nv, size_t np, const double tabs[][3][3])
{
    pl_space *s = tu_space_new();
    const char *labels[3] = {"v0", "v1", "v2"};
    assert_true(nv <= 3 && ni <= 3);
    for (size_t i = 0; i < ni; i++) {
        char name[32];
        snprintf(name, sizeof name, "x%zu", i);
        assert_int_equal(pl_space_add_discrete(s, name, nv, labels, NULL), 0);
    }
    pl_scenario *sc = tu_scenario_new(s);
    for (size_t k = 0; k < np; k++) {
        pl_ufun *u = tu_ufun_linear_new(pl_scenario_space(sc));
        for (size_t i = 0; i < ni; i++) {
            assert_int_equal(pl_ufun_linear_set_weight(u, i, 1.0 / (double)ni), 0);
            assert_int_equal(pl_ufun_linear_set_table(u, i, tabs[k][i]), 0);
        }
        assert_int_equal(pl_ufun_set_reservation(u, 0.1), 0);
        char name[32];
        snprintf(name, sizeof name, "p%zu", k);
        assert_int_equal(pl_scenario_add_party(sc, name, u, NULL), 0);
    }
    return sc;
}

/* Two issues x0, x1 of three values. p0 likes both high; p1 likes x0 high and x1 low. From (0, 0), hill-climbers
 * raise x0 and never x1. */
static const double two_issues[2][3][3] = {
    {{0, 0.5, 1}, {0, 0.5, 1}, {0}},
    {{0, 0.5, 1}, {1, 0.5, 0}, {0}},
};

/* ---- Running sessions, recording the trace ---- */

#define MAX_STEPS 4096

typedef struct step_rec {
    size_t party, issue;
    uint32_t from, to;
    int votes[3];
    int stood;
    double t;
} step_rec;

typedef struct trace {
    step_rec steps[MAX_STEPS];
    size_t n;
    size_t np;
    uint64_t hash;
} trace;

static void on_action(void *ud, const pl_action_record *rec)
{
    trace *tr = ud;
    assert_int_equal(rec->action, PL_ACTION_PROPOSE);
    assert_int_equal(rec->round, tr->n + 1);
    assert_int_equal(rec->outcome[rec->issue], rec->to);
    assert_true(rec->from != rec->to);
    assert_true(tr->n < MAX_STEPS);
    step_rec *s = &tr->steps[tr->n++];
    s->party = rec->party;
    s->issue = rec->issue;
    s->from = rec->from;
    s->to = rec->to;
    s->stood = rec->stood;
    s->t = rec->t;
    int all = 1;
    for (size_t k = 0; k < tr->np; k++) {
        s->votes[k] = rec->votes[k];
        all &= rec->votes[k];
        assert_true(isfinite(rec->utilities[k]));
    }
    assert_int_equal(all, rec->stood);
    uint64_t x = tr->hash ^ (rec->issue * 1000003u + rec->to * 31u + (uint64_t)rec->stood);
    tr->hash = tu_splitmix(&x);
}

typedef struct fixture {
    pl_scenario *sc;
    pl_registry *reg;
    pl_negotiation *neg;
    pl_session_options o;
    pl_session_result r;
    trace *tr;
    pl_diag d;
} fixture;

static void fx_open(fixture *f, pl_scenario *sc)
{
    memset(f, 0, sizeof *f);
    f->sc = sc;
    f->reg = tu_registry_new();
    assert_non_null(f->reg);
    assert_int_equal(pl_registry_add(f->reg, &tv_type, NULL), 0);
    assert_int_equal(pl_negotiation_new(sc, NULL, &f->neg, NULL), 0);
    pl_session_options_init(&f->o);
    f->o.protocol = PL_PROTOCOL_SINGLE_TEXT;
    f->o.rounds = 100;
    f->tr = calloc(1, sizeof *f->tr);
    assert_non_null(f->tr);
    f->o.on_action = on_action;
    f->o.action_ud = f->tr;
    pl_session_result_init(&f->r);
}

static void fx_close(fixture *f)
{
    pl_session_result_free(&f->r);
    pl_negotiation_free(f->neg);
    pl_registry_free(f->reg);
    pl_scenario_free(f->sc);
    free(f->tr);
}

/* Run with agents given by spec text, one per party; returns pl_session_run's code. */
static int fx_run(fixture *f, const char *const *names)
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
    memset(f->tr, 0, sizeof *f->tr);
    f->tr->np = np;
    pl_diag_clear(&f->d);
    int rc = pl_session_run(f->neg, (const pl_agent_spec *const *)specs, np, &f->o, &f->r, &f->d);
    for (size_t k = 0; k < np; k++) {
        pl_agent_spec_free(specs[k]);
    }
    return rc;
}

/* ---- Tests ---- */

static void test_veto_semantics(void **state)
{
    (void)state;
    fixture f;
    fx_open(&f, grid_scenario(2, 3, 2, two_issues));
    const char *hc[2] = {"hill-climber", "hill-climber"};
    f.o.rounds = 200;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        f.o.seed = seed;
        assert_int_equal(fx_run(&f, hc), 0);
        assert_int_equal(f.tr->n, f.r.rounds);
        assert_int_equal(f.r.actions, 2 * f.r.rounds);
        uint64_t stood = 0;
        for (size_t k = 0; k < f.tr->n; k++) {
            const step_rec *s = &f.tr->steps[k];
            if (s->issue == 1) {
                /* p1 loses from any change of x1 away from 0 (and x1 never leaves 0): vetoed, always. */
                assert_int_equal(s->from, 0);
                assert_int_equal(s->votes[1], 0);
                assert_int_equal(s->stood, 0);
            } else {
                /* x0: both gain from a rise, both lose from a fall. */
                assert_int_equal(s->stood, s->to > s->from);
                assert_int_equal(s->votes[0], s->to > s->from);
                assert_int_equal(s->votes[1], s->to > s->from);
            }
            stood += (uint64_t)s->stood;
        }
        assert_int_equal(stood, f.r.changes);
        /* Random order, neutral mediator: no early end; the text climbs to x0 = v2, x1 = v0 (u = 0.5 and 1). */
        assert_int_equal(f.r.rounds, 200);
        assert_int_equal(f.r.stable, 0);
        assert_int_equal(f.r.status, PL_SESSION_AGREEMENT);
        assert_int_equal(f.r.final_text[0], 2);
        assert_int_equal(f.r.final_text[1], 0);
        assert_int_equal(f.r.agreement[0], 2);
        assert_double_equal(f.r.raw_utilities[0], 0.5, 1e-15);
        assert_double_equal(f.r.raw_utilities[1], 1.0, 1e-15);
        assert_double_equal(f.r.t, 1.0, 0);
    }
    /* A change every party likes stands; one party's veto is enough. */
    const char *yes_no[2] = {"tv:mode=yes", "tv:mode=no"};
    assert_int_equal(fx_run(&f, yes_no), 0);
    assert_int_equal(f.r.changes, 0);
    for (size_t k = 0; k < f.tr->n; k++) {
        assert_int_equal(f.tr->steps[k].votes[0], 1);
        assert_int_equal(f.tr->steps[k].stood, 0);
    }
    assert_int_equal(f.r.status, PL_SESSION_DEADLINE); /* (0, 0) is worth 0 to p0 */
    const char *yes[2] = {"tv:mode=yes", "tv:mode=yes"};
    assert_int_equal(fx_run(&f, yes), 0);
    assert_int_equal(f.r.changes, f.r.rounds);
    fx_close(&f);
}

static void test_party_mediator(void **state)
{
    (void)state;
    fixture f;
    fx_open(&f, grid_scenario(2, 3, 2, two_issues));
    const char *hc[2] = {"hill-climber", "hill-climber"};
    f.o.mediator = 0;
    f.o.mediator_order = PL_MEDIATOR_SYSTEMATIC;
    f.o.rounds = 100;
    assert_int_equal(fx_run(&f, hc), 0);
    /* Step 1: x0 -> v2, p0's best value (not v1); both accept. Then, on the text (2, 0), every other change is
     * proposed once, best for p0 first, and vetoed: x1 -> v2 (p1), x0 -> v1 (p0), x1 -> v1 (p1), x0 -> v0 (p0).
     * Four vetoes cover the four possible changes: the text is stable at step 5. */
    assert_int_equal(f.tr->n, 5);
    const size_t issue[5] = {0, 1, 0, 1, 0};
    const uint32_t to[5] = {2, 2, 1, 1, 0};
    const int stood[5] = {1, 0, 0, 0, 0};
    for (size_t k = 0; k < 5; k++) {
        assert_int_equal(f.tr->steps[k].party, 0);
        assert_int_equal(f.tr->steps[k].issue, issue[k]);
        assert_int_equal(f.tr->steps[k].to, to[k]);
        assert_int_equal(f.tr->steps[k].stood, stood[k]);
    }
    assert_int_equal(f.r.rounds, 5);
    assert_int_equal(f.r.stable, 1);
    assert_int_equal(f.r.changes, 1);
    assert_non_null(strstr(f.r.reason, "stable"));
    assert_int_equal(f.r.status, PL_SESSION_AGREEMENT);
    assert_double_equal(f.r.t, 4.0 / 99.0, 1e-15);

    /* The other party mediates: its best x1 value is v0, which the text has; it proposes x0 -> v2 first too. */
    f.o.mediator = 1;
    assert_int_equal(fx_run(&f, hc), 0);
    assert_int_equal(f.tr->steps[0].party, 1);
    assert_int_equal(f.tr->steps[0].issue, 0);
    assert_int_equal(f.tr->steps[0].to, 2);
    assert_int_equal(f.r.stable, 1);

    /* Random order: a party mediator still skips vetoed changes and ends early. */
    f.o.mediator = 0;
    f.o.mediator_order = PL_MEDIATOR_RANDOM;
    assert_int_equal(fx_run(&f, hc), 0);
    assert_int_equal(f.r.stable, 1);
    assert_true(f.r.rounds <= 5 + 4);
    fx_close(&f);
}

static void test_systematic_round_robin(void **state)
{
    (void)state;
    static const double tabs[2][3][3] = {
        {{0, 0.5, 1}, {0, 0.5, 1}, {0, 0.5, 1}},
        {{1, 0.5, 0}, {1, 0.5, 0}, {1, 0.5, 0}},
    };
    fixture f;
    fx_open(&f, grid_scenario(3, 3, 2, tabs));
    const char *yes[2] = {"tv:mode=yes", "tv:mode=yes"};
    f.o.mediator_order = PL_MEDIATOR_SYSTEMATIC;
    f.o.rounds = 30;
    assert_int_equal(fx_run(&f, yes), 0);
    assert_int_equal(f.tr->n, 30);
    for (size_t k = 0; k < 30; k++) {
        assert_int_equal(f.tr->steps[k].issue, k % 3);
        assert_int_equal(f.tr->steps[k].party, PL_MEDIATOR_NEUTRAL);
        assert_int_equal(f.tr->steps[k].stood, 1);
    }
    assert_int_equal(f.r.changes, 30);
    assert_int_equal(f.r.stable, 0);

    /* Nobody accepts anything: a systematic neutral mediator proposes each of the 6 changes of the text once (an
     * issue whose values were all vetoed is skipped), then the text is stable. */
    const char *no[2] = {"tv:mode=no", "tv:mode=no"};
    assert_int_equal(fx_run(&f, no), 0);
    assert_int_equal(f.tr->n, 6);
    int seen[3][3] = {{0}};
    for (size_t k = 0; k < 6; k++) {
        assert_int_equal(f.tr->steps[k].issue, k % 3);
        assert_int_equal(f.tr->steps[k].from, 0);
        seen[f.tr->steps[k].issue][f.tr->steps[k].to]++;
    }
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(seen[i][0], 0);
        assert_int_equal(seen[i][1], 1);
        assert_int_equal(seen[i][2], 1);
    }
    assert_int_equal(f.r.stable, 1);
    assert_int_equal(f.r.rounds, 6);
    assert_int_equal(f.r.status, PL_SESSION_DEADLINE); /* (0, 0, 0) is worth 0 to p0 */
    fx_close(&f);
}

static void test_red_line_veto(void **state)
{
    (void)state;
    pl_scenario *sc = grid_scenario(2, 3, 2, two_issues);
    /* p1 may not accept x0 = v0. The initial text (0, 0) breaks it, so it is worth 0 to p1, and so is every text
     * with x0 = v0: a hill-climber comparing utilities alone would accept x1 -> v1 (0 >= 0); the red line rule
     * makes p1 reject it. */
    uint32_t banned[1] = {0};
    pl_red_line line = {0, banned, 1, -1, NULL, 0, "no"};
    assert_int_equal(pl_ufun_add_red_line((pl_ufun *)pl_scenario_ufun(sc, 1), &line, NULL), 0);
    fixture f;
    fx_open(&f, sc);
    const char *names[2] = {"tv:mode=yes", "hill-climber"};
    f.o.mediator_order = PL_MEDIATOR_SYSTEMATIC;
    f.o.rounds = 50;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        f.o.seed = seed;
        assert_int_equal(fx_run(&f, names), 0);
        uint32_t x0 = 0;
        for (size_t k = 0; k < f.tr->n; k++) {
            const step_rec *s = &f.tr->steps[k];
            uint32_t new_x0 = s->issue == 0 ? s->to : x0;
            if (new_x0 == 0) {
                assert_int_equal(s->votes[1], 0); /* never a text that breaks its red line */
                assert_int_equal(s->stood, 0);
            }
            if (s->stood) {
                x0 = new_x0;
            }
        }
        assert_true(f.r.final_text[0] != 0);
        assert_int_equal(f.r.status, PL_SESSION_AGREEMENT);
    }
    /* The annealer too, even at t = 0 where it accepts most worse texts. */
    const char *an[2] = {"tv:mode=yes", "annealer:t0=100"};
    f.o.mediator_order = PL_MEDIATOR_RANDOM;
    assert_int_equal(fx_run(&f, an), 0);
    for (size_t k = 0; k < f.tr->n; k++) {
        const step_rec *s = &f.tr->steps[k];
        if (s->issue == 0 && s->to == 0) {
            assert_int_equal(s->votes[1], 0);
        }
    }
    fx_close(&f);
}

static void test_deadline_and_agreement(void **state)
{
    (void)state;
    /* One issue; p0 wants v0, p1 wants v2 (reservations 0.1): from v0 every change hurts p0, so hill-climbers stay
     * at v0, worth 0 to p1: no agreement. The final text is still reported. */
    static const double tabs[2][3][3] = {
        {{1, 0.5, 0}, {0}, {0}},
        {{0, 0.5, 1}, {0}, {0}},
    };
    fixture f;
    fx_open(&f, grid_scenario(1, 3, 2, tabs));
    const char *hc[2] = {"hill-climber", "hill-climber"};
    f.o.rounds = 40;
    assert_int_equal(fx_run(&f, hc), 0);
    assert_int_equal(f.r.status, PL_SESSION_DEADLINE);
    assert_int_equal(f.r.has_agreement, 0);
    assert_null(f.r.agreement);
    assert_non_null(f.r.final_text);
    assert_int_equal(f.r.final_text[0], 0);
    assert_int_equal(f.r.rounds, 40);
    assert_int_equal(f.r.changes, 0);
    assert_double_equal(f.r.raw_utilities[0], 0.1, 0);
    assert_double_equal(f.r.raw_utilities[1], 0.1, 0);
    assert_double_equal(f.r.utilities[1], 0.1, 0);
    assert_non_null(strstr(f.r.reason, "not acceptable to p1 (below its reservation value)"));
    assert_int_equal(f.r.individually_rational, 1);

    /* Yes-voters move the text every step; the deadline is the number of steps, the last one at t = 1. */
    const char *yes[2] = {"tv:mode=yes", "tv:mode=yes"};
    f.o.rounds = 7;
    assert_int_equal(fx_run(&f, yes), 0);
    assert_int_equal(f.r.rounds, 7);
    assert_int_equal(f.r.changes, 7);
    assert_int_equal(f.r.actions, 14);
    assert_double_equal(f.r.t, 1.0, 0);
    assert_double_equal(f.tr->steps[1].t, 1.0 / 6.0, 1e-15);
    int acceptable = f.r.final_text[0] == 1; /* v1: 0.5 for both */
    assert_int_equal(f.r.status, acceptable ? PL_SESSION_AGREEMENT : PL_SESSION_DEADLINE);

    /* An acceptable final text is the agreement, discounted at the final t: p0 discounts with d = 0.5. */
    fx_close(&f);
    pl_scenario *sc = grid_scenario(2, 3, 2, two_issues);
    assert_int_equal(pl_ufun_set_discount((pl_ufun *)pl_scenario_ufun(sc, 0), 0.5), 0);
    fx_open(&f, sc);
    f.o.mediator = 0;
    f.o.mediator_order = PL_MEDIATOR_SYSTEMATIC;
    f.o.rounds = 11;
    assert_int_equal(fx_run(&f, hc), 0);
    assert_int_equal(f.r.status, PL_SESSION_AGREEMENT);
    assert_int_equal(f.r.rounds, 5); /* stable at step 5 (test_party_mediator): t = 0.4 */
    assert_double_equal(f.r.t, 0.4, 1e-15);
    assert_double_equal(f.r.raw_utilities[0], 0.5, 1e-15);
    assert_double_equal(f.r.utilities[0], 0.5 * pow(0.5, 0.4), 1e-15);
    assert_double_equal(f.r.utilities[1], 1.0, 1e-15);
    assert_int_equal(f.r.individually_rational, 1);
    assert_true(isfinite(f.r.pareto_distance));
    assert_double_equal(f.r.welfare, 1.5, 1e-15);
    fx_close(&f);
}

static void test_status_quo(void **state)
{
    (void)state;
    pl_scenario *sc = grid_scenario(2, 3, 2, two_issues);
    assert_int_equal(pl_scenario_set_status_quo(sc, 1, 2), 0); /* x1 = v2; x0 has none: v0 */
    fixture f;
    fx_open(&f, sc);
    const char *no[2] = {"tv:mode=no", "tv:mode=no"};
    f.o.rounds = 3;
    assert_int_equal(fx_run(&f, no), 0);
    assert_int_equal(f.r.final_text[0], 0);
    assert_int_equal(f.r.final_text[1], 2);
    for (size_t k = 0; k < f.tr->n; k++) {
        assert_int_equal(f.tr->steps[k].from, f.tr->steps[k].issue == 1 ? 2 : 0);
    }
    fx_close(&f);
}

static void test_determinism(void **state)
{
    (void)state;
    static const double tabs[3][3][3] = {
        {{0, 0.5, 1}, {0, 0.3, 1}, {1, 0.2, 0}},
        {{1, 0.5, 0}, {0, 0.6, 1}, {0.2, 1, 0}},
        {{0.3, 1, 0}, {1, 0.6, 0}, {0, 0.4, 1}},
    };
    fixture f;
    fx_open(&f, grid_scenario(3, 3, 3, tabs));
    const char *an[3] = {"annealer", "annealer:t0=0.3", "hill-climber"};
    f.o.rounds = 300;
    uint64_t hashes[8];
    for (uint64_t seed = 0; seed < 8; seed++) {
        f.o.seed = seed + 1;
        assert_int_equal(fx_run(&f, an), 0);
        hashes[seed] = f.tr->hash;
        uint32_t text[3] = {f.r.final_text[0], f.r.final_text[1], f.r.final_text[2]};
        uint64_t changes = f.r.changes;
        assert_int_equal(fx_run(&f, an), 0);
        assert_true(f.tr->hash == hashes[seed]);
        assert_int_equal(f.r.changes, changes);
        assert_memory_equal(f.r.final_text, text, sizeof text);
    }
    for (size_t a = 0; a < 8; a++) {
        for (size_t b = a + 1; b < 8; b++) {
            assert_true(hashes[a] != hashes[b]);
        }
    }
    /* Systematic order with hill-climbers and a party mediator uses no randomness: every seed, one session. */
    const char *hc[3] = {"hill-climber", "hill-climber", "hill-climber"};
    f.o.mediator = 2;
    f.o.mediator_order = PL_MEDIATOR_SYSTEMATIC;
    f.o.seed = 1;
    assert_int_equal(fx_run(&f, hc), 0);
    uint64_t h = f.tr->hash;
    f.o.seed = 99;
    assert_int_equal(fx_run(&f, hc), 0);
    assert_true(f.tr->hash == h);
    fx_close(&f);
}

/* Start a voter by spec on party k of sc, for direct votes. */
typedef struct direct {
    pl_agent_spec *spec;
    pl_agent_view view;
    void *self;
} direct;

static void direct_start(direct *dv, pl_registry *reg, pl_negotiation *neg, const pl_scenario *sc, size_t k,
                         const char *text, uint64_t seed)
{
    static pl__view_ctx ctx;
    assert_int_equal(pl_agent_spec_parse(reg, text, &dv->spec, NULL), 0);
    ctx.neg = neg;
    ctx.party = k;
    dv->view = (pl_agent_view){pl_scenario_space(sc),
                               pl_scenario_ufun(sc, k),
                               pl_scenario_party_name(sc, k),
                               k,
                               pl_scenario_party_count(sc),
                               PL_PROTOCOL_SINGLE_TEXT,
                               100,
                               0,
                               seed,
                               pl_agent_spec_params(dv->spec),
                               &ctx};
    assert_int_equal(pl_agent_spec_type(dv->spec)->start(&dv->self, &dv->view, NULL), 0);
}

static int direct_vote(direct *dv, double t, const uint32_t *cur, const uint32_t *prop)
{
    pl_vote v = {1, t, cur, prop, 0, PL_MEDIATOR_NEUTRAL};
    int acc = -1;
    assert_int_equal(pl_agent_spec_type(dv->spec)->vote(dv->self, &v, &acc, NULL), 0);
    assert_true(acc == 0 || acc == 1);
    return acc;
}

static void direct_stop(direct *dv)
{
    pl_agent_spec_type(dv->spec)->free(dv->self);
    pl_agent_spec_free(dv->spec);
}

static void test_annealer(void **state)
{
    (void)state;
    /* One issue, p0's utility v0 0.5, v1 0.45, v2 0.5: from v0, v1 loses 0.05, v2 loses nothing. */
    static const double tabs[2][3][3] = {
        {{0.5, 0.45, 0.5}, {0}, {0}},
        {{0, 0.5, 1}, {0}, {0}},
    };
    fixture f;
    fx_open(&f, grid_scenario(1, 3, 2, tabs));
    const uint32_t v0[1] = {0}, v1[1] = {1}, v2[1] = {2};
    direct dv;
    direct_start(&dv, f.reg, f.neg, f.sc, 0, "annealer", 7); /* t0 = 0.1 */
    /* Accepted with probability exp(-0.05 / (0.1 (1 - t))): 0.6065 at t = 0, 0.3679 at t = 0.5, 0 at t = 1.
     * 20,000 draws: the bound is 5 standard deviations (<= 0.0035 * 5). */
    const double ts[3] = {0.0, 0.5, 1.0};
    const double expect[3] = {exp(-0.5), exp(-1.0), 0.0};
    const int n = 20000;
    for (size_t k = 0; k < 3; k++) {
        int acc = 0;
        for (int j = 0; j < n; j++) {
            acc += direct_vote(&dv, ts[k], v0, v1);
        }
        double p = (double)acc / n, sd = sqrt(expect[k] * (1 - expect[k]) / n);
        if (fabs(p - expect[k]) > 5 * sd + 1e-12) {
            fail_msg("t = %g: accepted %.4f, expected %.4f +- %.4f", ts[k], p, expect[k], 5 * sd);
        }
    }
    /* Not worse: always; better: always. */
    for (int j = 0; j < 100; j++) {
        assert_int_equal(direct_vote(&dv, 1.0, v0, v2), 1);
        assert_int_equal(direct_vote(&dv, 1.0, v1, v0), 1);
    }
    direct_stop(&dv);
    /* t0 = 0 is a hill-climber; so is the hill-climber. */
    direct_start(&dv, f.reg, f.neg, f.sc, 0, "annealer:t0=0", 7);
    for (int j = 0; j < 100; j++) {
        assert_int_equal(direct_vote(&dv, 0.0, v0, v1), 0);
    }
    direct_stop(&dv);
    direct_start(&dv, f.reg, f.neg, f.sc, 0, "hill-climber", 7);
    assert_int_equal(direct_vote(&dv, 0.0, v0, v1), 0);
    assert_int_equal(direct_vote(&dv, 0.0, v0, v2), 1);
    assert_int_equal(direct_vote(&dv, 0.0, v1, v2), 1);
    direct_stop(&dv);

    /* In a session against a yes-voter: p0 (annealer) accepts worse texts early, none in the last tenth. */
    const char *names[2] = {"annealer", "tv:mode=yes"};
    f.o.rounds = 2000;
    int early_worse = 0, early_n = 0, late_worse = 0;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        f.o.seed = seed;
        assert_int_equal(fx_run(&f, names), 0);
        for (size_t k = 0; k < f.tr->n; k++) {
            const step_rec *s = &f.tr->steps[k];
            int worse = tabs[0][0][s->to] < tabs[0][0][s->from];
            if (!worse) {
                assert_int_equal(s->votes[0], 1);
                continue;
            }
            /* A loss of 0.05 at t <= 0.1: accepted with probability >= exp(-0.05 / 0.09) = 0.574. */
            if (s->t <= 0.1) {
                early_n++;
                early_worse += s->votes[0];
            }
            /* At t >= 0.9 the probability is at most exp(-0.05 / 0.01) = 0.0067: over the few hundred such
             * proposals, expected under 2; t >= 0.97 (T <= 0.003): at most 6e-8 each. */
            if (s->t >= 0.97) {
                late_worse += s->votes[0];
            }
        }
    }
    assert_true(early_n > 100);
    assert_true(early_worse > 0.45 * early_n); /* expected about 0.59 */
    assert_int_equal(late_worse, 0);
    fx_close(&f);
}

static void test_refusals_and_violations(void **state)
{
    (void)state;
    fixture f;
    fx_open(&f, grid_scenario(2, 3, 2, two_issues));
    /* A SAOP agent cannot vote: refused before anything starts, naming it and the voters. */
    const char *saop[2] = {"hill-climber", "boulware"};
    assert_int_equal(fx_run(&f, saop), PL_EINVAL);
    assert_non_null(strstr(f.d.message, "boulware"));
    assert_non_null(strstr(f.d.message, "cannot vote"));
    /* The voters named are those of the registry the specs came from (the fixture adds "tv"), not the built-ins. */
    assert_non_null(strstr(f.d.message, "(voters: hill-climber, annealer, tv)"));
    /* A voter cannot play SAOP. */
    f.o.protocol = PL_PROTOCOL_SAOP;
    const char *voters[2] = {"boulware", "annealer"};
    assert_int_equal(fx_run(&f, voters), PL_EINVAL);
    assert_non_null(strstr(f.d.message, "only votes"));
    f.o.protocol = PL_PROTOCOL_SINGLE_TEXT;
    /* Bad mediators. */
    const char *hc[2] = {"hill-climber", "hill-climber"};
    f.o.mediator = 2;
    assert_int_equal(fx_run(&f, hc), PL_EINVAL);
    f.o.mediator = -2;
    assert_int_equal(fx_run(&f, hc), PL_EINVAL);
    f.o.mediator = -1;
    f.o.mediator_order = (pl_mediator_order)7;
    assert_int_equal(fx_run(&f, hc), PL_EINVAL);
    f.o.mediator_order = PL_MEDIATOR_RANDOM;
    /* An error or an unknown vote is a violation by that party, at the step it happened. */
    const char *fail[2] = {"tv:mode=yes", "tv:mode=fail"};
    assert_int_equal(fx_run(&f, fail), 0);
    assert_int_equal(f.r.status, PL_SESSION_VIOLATION);
    assert_int_equal(f.r.culprit, 1);
    assert_int_equal(f.r.rounds, 1);
    assert_int_equal(f.r.has_agreement, 0);
    assert_non_null(strstr(f.r.reason, "scripted failure"));
    assert_double_equal(f.r.utilities[0], 0.1, 0);
    const char *bad[2] = {"tv:mode=bad", "tv:mode=yes"};
    assert_int_equal(fx_run(&f, bad), 0);
    assert_int_equal(f.r.status, PL_SESSION_VIOLATION);
    assert_int_equal(f.r.culprit, 0);
    assert_non_null(strstr(f.r.reason, "unknown vote"));
    /* A plug-in type that neither plays SAOP nor votes is refused by the registry. */
    pl_agent_type none = tv_type;
    none.name = "none";
    none.vote = NULL;
    none.respond = NULL;
    none.propose = NULL;
    assert_int_equal(pl_registry_add(f.reg, &none, NULL), PL_EINVAL);
    none.respond = tv_respond;
    assert_int_equal(pl_registry_add(f.reg, &none, NULL), PL_EINVAL); /* respond without propose */
    fx_close(&f);
}

static void test_individually_rational_red_line(void **state)
{
    (void)state;
    /* SAOP: p0 offers (0, 0) and p1 accepts. p1's reservation 0 and a red line on x0 = v0: the agreement is
     * worth 0 to p1, which is its reservation, but breaks its red line, so it is not individually rational. */
    pl_scenario *sc = grid_scenario(2, 3, 2, two_issues);
    pl_ufun *u1 = (pl_ufun *)pl_scenario_ufun(sc, 1);
    assert_int_equal(pl_ufun_set_reservation(u1, 0), 0);
    assert_int_equal(pl_ufun_set_reservation((pl_ufun *)pl_scenario_ufun(sc, 0), 0), 0);
    fixture f;
    fx_open(&f, sc);
    f.o.protocol = PL_PROTOCOL_SAOP;
    f.o.on_action = NULL;
    const char *names[2] = {"tv:offer=0", "tv"};
    assert_int_equal(fx_run(&f, names), 0);
    assert_int_equal(f.r.status, PL_SESSION_AGREEMENT);
    assert_int_equal(f.r.individually_rational, 1);
    fx_close(&f);
    uint32_t banned[1] = {0};
    pl_red_line line = {0, banned, 1, -1, NULL, 0, NULL};
    sc = grid_scenario(2, 3, 2, two_issues);
    u1 = (pl_ufun *)pl_scenario_ufun(sc, 1);
    assert_int_equal(pl_ufun_set_reservation(u1, 0), 0);
    assert_int_equal(pl_ufun_set_reservation((pl_ufun *)pl_scenario_ufun(sc, 0), 0), 0);
    assert_int_equal(pl_ufun_add_red_line(u1, &line, NULL), 0);
    fx_open(&f, sc);
    f.o.protocol = PL_PROTOCOL_SAOP;
    f.o.on_action = NULL;
    assert_int_equal(fx_run(&f, names), 0);
    assert_int_equal(f.r.status, PL_SESSION_AGREEMENT);
    assert_double_equal(f.r.raw_utilities[1], 0, 0);
    assert_int_equal(f.r.individually_rational, 0);
    fx_close(&f);
}

static void test_nothing_to_change(void **state)
{
    (void)state;
    /* Every issue has one value: nothing to propose; the session ends at once on the only text. */
    static const double tabs[2][3][3] = {{{1}, {0}, {0}}, {{1}, {0}, {0}}};
    fixture f;
    fx_open(&f, grid_scenario(1, 1, 2, tabs));
    const char *hc[2] = {"hill-climber", "annealer"};
    assert_int_equal(fx_run(&f, hc), 0);
    assert_int_equal(f.r.rounds, 0);
    assert_int_equal(f.tr->n, 0);
    assert_int_equal(f.r.stable, 1);
    assert_int_equal(f.r.status, PL_SESSION_AGREEMENT);
    assert_double_equal(f.r.t, 0, 0);
    fx_close(&f);
}

static void test_time_limit(void **state)
{
    (void)state;
    fixture f;
    fx_open(&f, grid_scenario(2, 3, 2, two_issues));
    const char *yes[2] = {"tv:mode=yes", "tv:mode=yes"};
    f.o.rounds = 0;
    f.o.time_limit = 0.02;
    f.o.on_action = NULL;
    assert_int_equal(fx_run(&f, yes), 0);
    assert_true(f.r.rounds > 10);
    assert_true(f.r.t <= 1.0 && f.r.t > 0.5);
    assert_non_null(strstr(f.r.reason, "time limit"));
    fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_veto_semantics),
        cmocka_unit_test(test_party_mediator),
        cmocka_unit_test(test_systematic_round_robin),
        cmocka_unit_test(test_red_line_veto),
        cmocka_unit_test(test_deadline_and_agreement),
        cmocka_unit_test(test_status_quo),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_annealer),
        cmocka_unit_test(test_refusals_and_violations),
        cmocka_unit_test(test_individually_rational_red_line),
        cmocka_unit_test(test_nothing_to_change),
        cmocka_unit_test(test_time_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
