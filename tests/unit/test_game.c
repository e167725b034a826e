/* Games (parley/game.h): a remote party replaying an agent's moves gives exactly the result and trace of
 * pl_session_run between the agents (first mover, second mover, both remote, three parties); refusals (turn, invalid
 * outcome, accept before an offer, after the end); the move timeout; freeing a game in the middle. */
#include "testutil.h"

#include <time.h>

typedef struct move {
    size_t party;
    pl_action_kind action;
    uint32_t outcome[16];
} move;

typedef struct script {
    move moves[4096];
    size_t n;
    char trace[1 << 17];
    size_t trace_len;
    const pl_scenario *sc;
} script;

static void record_move(void *ud, const pl_action_record *rec)
{
    script *s = ud;
    assert_true(s->n < 4096);
    move *m = &s->moves[s->n++];
    m->party = rec->party;
    m->action = rec->action;
    if (rec->outcome) {
        size_t ni = pl_space_issue_count(pl_scenario_space(s->sc));
        memcpy(m->outcome, rec->outcome, ni * sizeof *m->outcome);
    }
    char *line = NULL;
    assert_int_equal(pl_trace_action_to_json(s->sc, rec, &line, NULL), 0);
    size_t len = strlen(line);
    assert_true(s->trace_len + len < sizeof s->trace);
    memcpy(s->trace + s->trace_len, line, len + 1);
    s->trace_len += len;
    free(line);
}

typedef struct fixture {
    pl_scenario *sc;
    pl_negotiation *neg;
    pl_registry *reg;
    pl_agent_spec *a, *b;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    const char *path = PL_SCENARIOS "/job-offer.json";
    assert_int_equal(pl_scenario_load(&path, 1, NULL, &f->sc, NULL), 0);
    assert_int_equal(pl_negotiation_new(f->sc, NULL, &f->neg, NULL), 0);
    assert_int_equal(pl_registry_new(&f->reg, NULL), 0);
    assert_int_equal(pl_agent_spec_parse(f->reg, "boulware", &f->a, NULL), 0);
    assert_int_equal(pl_agent_spec_parse(f->reg, "conceder", &f->b, NULL), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    pl_agent_spec_free(f->a);
    pl_agent_spec_free(f->b);
    pl_registry_free(f->reg);
    pl_negotiation_free(f->neg);
    pl_scenario_free(f->sc);
    free(f);
    return 0;
}

static char *run_json(const pl_scenario *sc, const pl_agent_spec *const *specs, size_t np, const pl_session_result *r,
                      uint64_t rounds, uint64_t seed)
{
    pl_session_options so;
    pl_session_options_init(&so);
    so.rounds = rounds;
    so.seed = seed;
    pl_run_info info;
    pl_run_info_init(&info, &so);
    const char *names[4];
    for (size_t k = 0; k < np; k++) {
        names[k] = pl_agent_spec_text(specs[k]);
    }
    info.agents = names;
    char *out = NULL;
    assert_int_equal(pl_run_to_json(sc, &info, r, &out, NULL), 0);
    return out;
}

/* Play the reference session between the agents, then a game where the parties in `remote` are replayed from it:
 * the same result (run JSON) and trace. */
static void replay_on(const pl_scenario *sc, pl_negotiation *neg, const pl_agent_spec *const *specs, size_t np,
                      const int *remote, uint64_t rounds, uint64_t seed)
{
    static script ref;
    memset(&ref, 0, sizeof ref);
    ref.sc = sc;
    pl_session_options so;
    pl_session_options_init(&so);
    so.rounds = rounds;
    so.seed = seed;
    so.on_action = record_move;
    so.action_ud = &ref;
    pl_session_result want;
    pl_session_result_init(&want);
    assert_int_equal(pl_session_run(neg, specs, np, &so, &want, NULL), 0);
    assert_true(ref.n >= 2);

    const pl_agent_spec *players[4];
    for (size_t k = 0; k < np; k++) {
        players[k] = remote[k] ? NULL : specs[k];
    }
    pl_game_options go;
    pl_game_options_init(&go);
    go.rounds = rounds;
    go.seed = seed;
    pl_game *g = NULL;
    pl_diag d;
    assert_int_equal(pl_game_new(neg, players, np, &go, &g, &d), 0);
    size_t played = 0;
    while (played < ref.n && !remote[ref.moves[played].party]) {
        played++;
    }
    for (;;) {
        pl_game_info info;
        pl_game_get_info(g, &info);
        if (info.state == PL_GAME_OVER) {
            break;
        }
        /* Every action before this point was an agent's or a replayed one, in the reference order. */
        assert_int_equal(info.actions, played);
        const move *m = &ref.moves[played];
        assert_int_equal(m->party, info.party);
        assert_true(remote[m->party]);
        assert_int_equal(info.has_offer, played > 0);
        assert_int_equal(pl_game_act(g, m->party, m->action, m->action == PL_ACTION_OFFER ? m->outcome : NULL, &d), 0);
        played++;
        /* Skip past the agents' moves, which the game made before pl_game_act returned. */
        pl_game_get_info(g, &info);
        while (played < ref.n && !remote[ref.moves[played].party]) {
            played++;
        }
        assert_int_equal(info.actions, info.state == PL_GAME_OVER ? ref.n : played);
    }
    const pl_session_result *got = pl_game_result(g);
    assert_non_null(got);
    assert_int_equal(got->status, want.status);
    assert_int_equal(got->actions, want.actions);
    char *jw = run_json(sc, specs, np, &want, rounds, seed), *jg = run_json(sc, specs, np, got, rounds, seed);
    assert_string_equal(jg, jw);
    char *trace = NULL;
    assert_int_equal(pl_game_trace_to_json(g, &trace, NULL), 0);
    assert_string_equal(trace, ref.trace);
    /* After the end: every move is refused as out of turn. */
    assert_int_equal(pl_game_act(g, 0, PL_ACTION_END, NULL, &d), PL_EBUSY);
    free(trace);
    free(jw);
    free(jg);
    pl_session_result_free(&want);
    pl_game_free(g);
}

static void replay(fixture *f, const int remote[2], uint64_t rounds, uint64_t seed)
{
    const pl_agent_spec *specs[2] = {f->a, f->b};
    replay_on(f->sc, f->neg, specs, 2, remote, rounds, seed);
}

/* Three parties (supply-contract): one or two remote, the others agents. */
static void test_three_parties(void **state)
{
    fixture *f = *state;
    const char *path = PL_SCENARIOS "/supply-contract.json";
    pl_scenario *sc = NULL;
    pl_negotiation *neg = NULL;
    assert_int_equal(pl_scenario_load(&path, 1, NULL, &sc, NULL), 0);
    assert_int_equal(pl_scenario_party_count(sc), 3);
    assert_int_equal(pl_negotiation_new(sc, NULL, &neg, NULL), 0);
    const pl_agent_spec *specs[3] = {f->a, f->b, f->a};
    const int one[3] = {0, 1, 0}, two[3] = {1, 0, 1};
    replay_on(sc, neg, specs, 3, one, 40, 9);
    replay_on(sc, neg, specs, 3, two, 40, 4);
    pl_negotiation_free(neg);
    pl_scenario_free(sc);
}

static void test_first_mover(void **state)
{
    const int remote[2] = {1, 0};
    replay(*state, remote, 30, 7);
}

static void test_second_mover(void **state)
{
    const int remote[2] = {0, 1};
    replay(*state, remote, 30, 11);
}

static void test_both_remote(void **state)
{
    const int remote[2] = {1, 1};
    replay(*state, remote, 12, 3);
}

/* A short deadline: the replayed game ends at the deadline as the reference does (or agrees as it does). */
static void test_deadline(void **state)
{
    const int remote[2] = {1, 0};
    replay(*state, remote, 2, 5);
}

static void test_refusals(void **state)
{
    fixture *f = *state;
    const pl_agent_spec *players[2] = {NULL, f->b};
    pl_game_options go;
    pl_game_options_init(&go);
    pl_game *g = NULL;
    pl_diag d;
    const pl_agent_spec *none[2] = {f->a, f->b};
    assert_int_equal(pl_game_new(f->neg, none, 2, &go, &g, &d), PL_EINVAL); /* no remote party */
    assert_null(g);
    go.protocol = PL_PROTOCOL_SINGLE_TEXT;
    assert_int_equal(pl_game_new(f->neg, players, 2, &go, &g, &d), PL_EINVAL);
    pl_game_options_init(&go);
    assert_int_equal(pl_game_new(f->neg, players, 2, &go, &g, &d), 0);
    pl_game_info info;
    pl_game_get_info(g, &info);
    assert_int_equal(info.state, PL_GAME_WAITING);
    assert_int_equal(info.party, 0);
    assert_int_equal(info.round, 1);
    assert_int_equal(info.has_offer, 0);
    uint32_t bad[16] = {0};
    bad[0] = 999; /* salary has 7 values */
    assert_int_equal(pl_game_act(g, 0, PL_ACTION_OFFER, bad, &d), PL_EINVAL);
    assert_int_equal(pl_game_act(g, 0, PL_ACTION_OFFER, NULL, &d), PL_EINVAL);
    assert_int_equal(pl_game_act(g, 0, PL_ACTION_ACCEPT, NULL, &d), PL_EINVAL); /* nothing to accept */
    assert_int_equal(pl_game_act(g, 0, PL_ACTION_END, NULL, &d), PL_EINVAL);
    assert_int_equal(pl_game_act(g, 1, PL_ACTION_OFFER, bad, &d), PL_EBUSY); /* the agent's party */
    assert_int_equal(pl_game_act(g, 0, (pl_action_kind)42, NULL, &d), PL_EINVAL);
    pl_game_get_info(g, &info);
    assert_int_equal(info.actions, 0);
    assert_null(pl_game_result(g));
    /* A valid opening offer; the agent answers before pl_game_act returns. */
    uint32_t o[16] = {0};
    assert_int_equal(pl_game_act(g, 0, PL_ACTION_OFFER, o, &d), 0);
    pl_game_get_info(g, &info);
    assert_int_equal(info.state, PL_GAME_WAITING);
    assert_int_equal(info.actions, 2);
    pl_action_record rec;
    assert_int_equal(pl_game_action(g, 0, &rec), 0);
    assert_int_equal(rec.party, 0);
    assert_int_equal(rec.action, PL_ACTION_OFFER);
    assert_memory_equal(rec.outcome, o, pl_space_issue_count(pl_scenario_space(f->sc)) * sizeof *o);
    assert_double_equal(rec.utility, pl_ufun_eval(pl_scenario_ufun(f->sc, 0), o), 0);
    assert_int_equal(pl_game_action(g, 1, &rec), 0);
    assert_int_equal(rec.party, 1);
    assert_int_equal(pl_game_action(g, 2, &rec), PL_ERANGE);
    /* Walking away ends the game. */
    assert_int_equal(pl_game_act(g, 0, PL_ACTION_END, NULL, &d), 0);
    pl_game_get_info(g, &info);
    assert_int_equal(info.state, PL_GAME_OVER);
    const pl_session_result *r = pl_game_result(g);
    assert_non_null(r);
    assert_int_equal(r->status, PL_SESSION_ENDED);
    assert_int_equal(r->culprit, 0);
    pl_game_free(g);
}

static void test_timeout_and_free(void **state)
{
    fixture *f = *state;
    const pl_agent_spec *players[2] = {f->a, NULL};
    pl_game_options go;
    pl_game_options_init(&go);
    go.move_timeout = 0.05;
    pl_game *g = NULL;
    assert_int_equal(pl_game_new(f->neg, players, 2, &go, &g, NULL), 0);
    const pl_session_result *r = NULL;
    for (int k = 0; k < 200 && !r; k++) { /* up to 2 s */
        nanosleep(&(struct timespec){0, 10000000L}, NULL);
        pl_game_info info;
        pl_game_get_info(g, &info);
        if (info.state == PL_GAME_OVER) {
            r = pl_game_result(g);
        }
    }
    assert_non_null(r);
    assert_int_equal(r->status, PL_SESSION_VIOLATION);
    assert_int_equal(r->culprit, 1);
    assert_non_null(strstr(r->reason, "no move within 0.05 seconds"));
    pl_game_free(g);
    /* Freed while waiting for a move: the session stops and the thread is joined (ASan checks for leaks). */
    pl_game_options_init(&go);
    go.move_timeout = 0;
    assert_int_equal(pl_game_new(f->neg, players, 2, &go, &g, NULL), 0);
    pl_game_free(g);
    pl_game_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_mover),      cmocka_unit_test(test_second_mover),
        cmocka_unit_test(test_both_remote),      cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_refusals),         cmocka_unit_test(test_three_parties),
        cmocka_unit_test(test_timeout_and_free),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
