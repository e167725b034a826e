/* The genius-* agents against GENIUS 10.4 itself: all 996 reference sessions in ../shared/reference
 * (genius-sessions.json, ANAC 2010-2012 scenarios) replayed under PL_PROTOCOL_SAOP_GENIUS must give the same
 * agreement, accept round, accepting party and utilities, and the 20 traced ones the same actions, bid for bid.
 * Also Java's hash codes and GENIUS's near-utility search on small cases. The replay exits 77 (skipped) when the
 * corpus or the reference is absent. */
#include <jansson.h>
#include <time.h>

#include "testutil.h"

#include "agents/genius_sorted.h"

/* ---- Java hash codes ---- */

static void test_java_hashes(void **state)
{
    (void)state;
    assert_int_equal(pl__java_string_hash(""), 0);
    assert_int_equal(pl__java_string_hash("a"), 97);
    assert_int_equal(pl__java_string_hash("Aa"), pl__java_string_hash("BB"));
    assert_int_equal(pl__java_string_hash("hello"), 99162322);
    assert_int_equal(pl__java_string_hash("Hello, World!"), 1498789909);
    /* Wrapping: "polygenelubricants".hashCode() == Integer.MIN_VALUE. */
    assert_int_equal(pl__java_string_hash("polygenelubricants"), INT32_MIN);
    /* UTF-16 code units: U+00E9 is one unit, U+1F600 a surrogate pair (0xD83D, 0xDE00). */
    assert_int_equal(pl__java_string_hash("\xC3\xA9"), 0xE9);
    assert_int_equal(pl__java_string_hash("\xF0\x9F\x98\x80"), 0xD83D * 31 + 0xDE00);
    /* Double.hashCode: 1.0 -> 1072693248, -1.0 -> -1074790400, 0.0 -> 0, -0.0 -> INT32_MIN. */
    assert_int_equal(pl__java_double_hash(1.0), 1072693248);
    assert_int_equal(pl__java_double_hash(-1.0), -1074790400);
    assert_int_equal(pl__java_double_hash(0.0), 0);
    assert_int_equal(pl__java_double_hash(-0.0), INT32_MIN);
    /* BidDetails: ((31 + bid) * 31 + fold(u)) * 31 + fold(-1), wrapping. */
    int32_t h = pl__genius_bid_details_hash(12345, 0.5, -1.0);
    uint32_t want = 31u * (31u * (31u + 12345u) + (uint32_t)pl__java_double_hash(0.5)) + (uint32_t)-1074790400;
    assert_int_equal((uint32_t)h, want);
}

/* ---- GENIUS's getIndexOfBidNearUtility ---- */

static void test_near_search(void **state)
{
    (void)state;
    const double u[] = {1.0, 1.0, 0.8, 0.6, 0.6, 0.6, 0.3, 0.2, 0.2};
    size_t n = sizeof u / sizeof u[0];
    /* Above every utility: the first bid. */
    assert_int_equal(pl__gsorted_near(u, n, 1.5), 0);
    /* An exact match stops the search on whichever member the halving lands on: the middle of [0, 8] is 4. */
    assert_int_equal(pl__gsorted_near(u, n, 0.6), 4);
    /* Exactly 1.0: the halving lands on rank 1 (4 -> 2 -> 1), the second of the two best bids, as GENIUS does. */
    assert_int_equal(pl__gsorted_near(u, n, 1.0), 1);
    /* Between groups: the bid just above (the last of its group) unless the bid below (the first of its group) is
     * strictly closer. */
    assert_int_equal(pl__gsorted_near(u, n, 0.69), 3);
    assert_int_equal(pl__gsorted_near(u, n, 0.75), 2);
    /* Below every utility: the search stops on the second-to-last bid; the last ties with it, so it stays. */
    assert_int_equal(pl__gsorted_near(u, n, 0.0), 7);
    const double v[] = {0.9, 0.5, 0.1};
    assert_int_equal(pl__gsorted_near(v, 3, 0.0), 2);
    assert_int_equal(pl__gsorted_near(v, 1, 0.0), 0);
}

/* One recorded action. */
typedef struct action {
    uint64_t round;
    size_t party;
    pl_action_kind kind;
    uint32_t outcome[64];
} action;

/* ---- Both protocols, parameters, refusals (a synthetic scenario: no data needed) ---- */

/* Three issues of 4, 3 and 5 values (one integer issue); np parties whose preferences rotate. */
static pl_scenario *small_scenario(size_t np)
{
    pl_space *sp = tu_space_new();
    assert_non_null(sp);
    const char *a[] = {"red", "green", "blue", "gold"}, *b[] = {"x", "y", "z"};
    assert_int_equal(pl_space_add_discrete(sp, "colour", 4, a, NULL), 0);
    assert_int_equal(pl_space_add_discrete(sp, "letter", 3, b, NULL), 0);
    assert_int_equal(pl_space_add_integer(sp, "count", 1, 5, 1, NULL), 0);
    pl_scenario *sc = tu_scenario_new(sp);
    assert_non_null(sc);
    const pl_space *s = pl_scenario_space(sc);
    for (size_t p = 0; p < np; p++) {
        pl_ufun *u = tu_ufun_linear_new(s);
        assert_non_null(u);
        for (size_t i = 0; i < 3; i++) {
            double t[5];
            uint32_t nv = pl_space_value_count(s, i);
            for (uint32_t v = 0; v < nv; v++) {
                t[v] = (double)((v + p * 2 + i) % nv) / (double)(nv - 1);
            }
            assert_int_equal(pl_ufun_linear_set_table(u, i, t), 0);
            assert_int_equal(pl_ufun_linear_set_weight(u, i, (double)(1 + (i + p) % 3) / 6.0), 0);
        }
        pl_ufun_set_discount(u, 0.9);
        char name[32];
        snprintf(name, sizeof name, "p%zu", p);
        assert_int_equal(pl_scenario_add_party(sc, name, u, NULL), 0);
    }
    return sc;
}

typedef struct small_run {
    pl_session_result r;
    size_t n;
    action a[512];
    size_t ni;
} small_run;

static void small_on_action(void *ud, const pl_action_record *rec)
{
    small_run *x = ud;
    assert_true(x->n < 512);
    action *a = &x->a[x->n++];
    a->round = rec->round;
    a->party = rec->party;
    a->kind = rec->action;
    if (rec->outcome) {
        memcpy(a->outcome, rec->outcome, x->ni * sizeof *a->outcome);
    }
}

static void run_small(pl_negotiation *neg, const pl_registry *reg, const char *const *names, size_t np,
                      pl_protocol proto, uint64_t rounds, double time_limit, small_run *x)
{
    pl_agent_spec *specs[4];
    for (size_t k = 0; k < np; k++) {
        pl_diag d;
        pl_diag_clear(&d);
        int rc = pl_agent_spec_parse(reg, names[k], &specs[k], &d);
        if (rc < 0) {
            print_error("%s: %s\n", names[k], d.message);
        }
        assert_int_equal(rc, 0);
    }
    pl_session_options o;
    pl_session_options_init(&o);
    o.protocol = proto;
    o.rounds = rounds;
    o.time_limit = time_limit;
    o.metrics = 0;
    o.on_action = small_on_action;
    o.action_ud = x;
    x->n = 0;
    x->ni = pl_space_issue_count(pl_scenario_space(pl_negotiation_scenario(neg)));
    pl_session_result_init(&x->r);
    assert_int_equal(pl_session_run(neg, (const pl_agent_spec *const *)specs, np, &o, &x->r, NULL), 0);
    for (size_t k = 0; k < np; k++) {
        pl_agent_spec_free(specs[k]);
    }
}

static int same_actions(const small_run *a, const small_run *b)
{
    if (a->n != b->n) {
        return 0;
    }
    for (size_t k = 0; k < a->n; k++) {
        if (a->a[k].round != b->a[k].round || a->a[k].party != b->a[k].party || a->a[k].kind != b->a[k].kind ||
            memcmp(a->a[k].outcome, b->a[k].outcome, a->ni * sizeof a->a[k].outcome[0]) != 0) {
            return 0;
        }
    }
    return 1;
}

static void test_protocols_and_params(void **state)
{
    (void)state;
    pl_registry *reg = tu_registry_new();
    assert_non_null(reg);
    pl_scenario *sc = small_scenario(2);
    pl_negotiation *neg;
    assert_int_equal(pl_negotiation_new(sc, NULL, &neg, NULL), 0);
    static small_run x, y;

    /* genius-timedependent:e=1 is genius-linear; e=2 is genius-conceder. */
    const char *lin[] = {"genius-linear", "genius-boulware"}, *td1[] = {"genius-timedependent:e=1", "genius-boulware"};
    run_small(neg, reg, lin, 2, PL_PROTOCOL_SAOP_GENIUS, 40, 0, &x);
    run_small(neg, reg, td1, 2, PL_PROTOCOL_SAOP_GENIUS, 40, 0, &y);
    assert_int_equal(x.r.status, PL_SESSION_AGREEMENT);
    assert_true(x.r.rounds > 5);
    assert_true(same_actions(&x, &y));
    pl_session_result_free(&y.r);

    /* Under parley's SAOP the agents keep GENIUS's clock: the same moves; only the session's time (and so the
     * discounted utilities) differ. */
    run_small(neg, reg, lin, 2, PL_PROTOCOL_SAOP, 40, 0, &y);
    assert_true(same_actions(&x, &y));
    assert_int_equal(x.r.rounds, y.r.rounds);
    assert_double_equal(x.r.t, (double)x.r.rounds / 41.0, 0);
    assert_double_equal(y.r.t, (double)(y.r.rounds - 1) / 39.0, 0);
    assert_double_equal(y.r.raw_utilities[0], x.r.raw_utilities[0], 0);
    pl_session_result_free(&x.r);
    pl_session_result_free(&y.r);

    /* e = 0 never concedes: every offer of party 0 is its first one; the opening target 1 - 0^(1/e) = 1 for any e. */
    const char *hard[] = {"genius-timedependent:e=0", "genius-conceder"};
    run_small(neg, reg, hard, 2, PL_PROTOCOL_SAOP_GENIUS, 30, 0, &x);
    for (size_t k = 0; k < x.n; k++) {
        if (x.a[k].party == 0 && x.a[k].kind == PL_ACTION_OFFER) {
            assert_memory_equal(x.a[k].outcome, x.a[0].outcome, x.ni * sizeof x.a[0].outcome[0]);
        }
    }
    pl_session_result_free(&x.r);

    /* No round deadline: the agents refuse to start. A bad e is refused when parsing. */
    run_small(neg, reg, lin, 2, PL_PROTOCOL_SAOP, 0, 5.0, &x);
    assert_int_equal(x.r.status, PL_SESSION_ERROR);
    assert_non_null(strstr(x.r.reason, "round deadline"));
    pl_session_result_free(&x.r);
    pl_agent_spec *bad = NULL;
    assert_true(pl_agent_spec_parse(reg, "genius-timedependent:e=-1", &bad, NULL) < 0);
    assert_null(bad);

    pl_negotiation_free(neg);
    pl_scenario_free(sc);

    /* Three parties: the agents work multilaterally (the offer on the table is the others' latest). */
    sc = small_scenario(3);
    assert_int_equal(pl_negotiation_new(sc, NULL, &neg, NULL), 0);
    const char *three[] = {"genius-conceder", "genius-linear", "genius-boulware"};
    run_small(neg, reg, three, 3, PL_PROTOCOL_SAOP_GENIUS, 50, 0, &x);
    assert_true(x.r.status == PL_SESSION_AGREEMENT || x.r.status == PL_SESSION_DEADLINE);
    pl_session_result_free(&x.r);
    pl_negotiation_free(neg);
    pl_scenario_free(sc);
    pl_registry_free(reg);
}

/* ---- The reference sessions ---- */

typedef struct recorder {
    action *a;
    size_t n, cap, ni;
} recorder;

static void on_action(void *ud, const pl_action_record *rec)
{
    recorder *r = ud;
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 256;
        r->a = realloc(r->a, r->cap * sizeof *r->a);
        assert_non_null(r->a);
    }
    action *x = &r->a[r->n++];
    x->round = rec->round;
    x->party = rec->party;
    x->kind = rec->action;
    if (rec->outcome) {
        memcpy(x->outcome, rec->outcome, r->ni * sizeof *x->outcome);
    }
}

/* The scenario with the two named profiles in that order (party 0 moves first). */
static pl_scenario *reorder(const pl_scenario *base, const char *const *profiles)
{
    pl_scenario *sc = tu_scenario_new(tu_space_copy(pl_scenario_space(base)));
    assert_non_null(sc);
    for (size_t k = 0; k < 2; k++) {
        char name[256];
        snprintf(name, sizeof name, "%s", profiles[k]);
        char *dot = strrchr(name, '.');
        if (dot) {
            *dot = '\0';
        }
        long p = pl_scenario_find_party(base, name);
        assert_true(p >= 0);
        pl_ufun *u = pl_ufun_copy(pl_scenario_ufun(base, (size_t)p), pl_scenario_space(sc));
        assert_non_null(u);
        assert_int_equal(pl_scenario_add_party(sc, name, u, NULL), 0);
    }
    return sc;
}

/* An outcome given as {issue: label}. */
static void json_outcome(const pl_space *s, json_t *obj, uint32_t *o)
{
    assert_true(json_is_object(obj));
    assert_int_equal(json_object_size(obj), pl_space_issue_count(s));
    const char *issue;
    json_t *val;
    json_object_foreach(obj, issue, val)
    {
        long i = pl_space_find_issue(s, issue);
        assert_true(i >= 0);
        long v = pl_space_find_value(s, (size_t)i, json_string_value(val));
        assert_true(v >= 0);
        o[i] = (uint32_t)v;
    }
}

/* One scenario folder with up to two profile orders, each with its negotiation context (shared by its sessions). */
typedef struct folder_cache {
    char folder[256];
    pl_scenario *base;
    char order[2][512];
    pl_scenario *sc[2];
    pl_negotiation *neg[2];
} folder_cache;

static void cache_clear(folder_cache *c)
{
    for (size_t k = 0; k < 2; k++) {
        pl_negotiation_free(c->neg[k]);
        pl_scenario_free(c->sc[k]);
    }
    pl_scenario_free(c->base);
    memset(c, 0, sizeof *c);
}

static pl_negotiation *cache_get(folder_cache *c, const char *folder, const char *const *profiles)
{
    if (strcmp(c->folder, folder) != 0) {
        cache_clear(c);
        c->base = tu_load1(tu_anac(folder));
        snprintf(c->folder, sizeof c->folder, "%s", folder);
    }
    char key[512];
    snprintf(key, sizeof key, "%s|%s", profiles[0], profiles[1]);
    size_t k = 0;
    while (k < 2 && c->sc[k] && strcmp(c->order[k], key) != 0) {
        k++;
    }
    assert_true(k < 2);
    if (!c->sc[k]) {
        c->sc[k] = reorder(c->base, profiles);
        assert_int_equal(pl_negotiation_new(c->sc[k], NULL, &c->neg[k], NULL), 0);
        snprintf(c->order[k], sizeof c->order[k], "%s", key);
    }
    return c->neg[k];
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Compare one session with its record; print the first difference. Returns 1 when everything matches. */
static int check_session(const pl_space *s, json_t *rec, const pl_session_result *r, const recorder *acts,
                         size_t *exact_utilities)
{
    const char *folder = json_string_value(json_object_get(rec, "scenario"));
    char what[600];
    snprintf(what, sizeof what, "%s %s/%s %s-%s N=%lld", folder,
             json_string_value(json_array_get(json_object_get(rec, "profiles"), 0)),
             json_string_value(json_array_get(json_object_get(rec, "profiles"), 1)),
             json_string_value(json_array_get(json_object_get(rec, "agents"), 0)),
             json_string_value(json_array_get(json_object_get(rec, "agents"), 1)),
             (long long)json_integer_value(json_object_get(rec, "rounds")));
    size_t ni = pl_space_issue_count(s);
    if (r->status != PL_SESSION_AGREEMENT) {
        print_error("%s: %s (%s)\n", what, pl_session_status_name(r->status), r->reason);
        return 0;
    }
    uint32_t want[64];
    json_outcome(s, json_object_get(rec, "agreement"), want);
    if (memcmp(want, r->agreement, ni * sizeof *want) != 0) {
        print_error("%s: another agreement\n", what);
        return 0;
    }
    uint64_t round = (uint64_t)json_integer_value(json_object_get(rec, "accept_round"));
    if (r->rounds != round) {
        print_error("%s: accepted in round %llu, GENIUS %llu\n", what, (unsigned long long)r->rounds,
                    (unsigned long long)round);
        return 0;
    }
    const action *last = &acts->a[acts->n - 1];
    const char *by = json_string_value(json_object_get(rec, "accepted_by"));
    if (last->kind != PL_ACTION_ACCEPT || last->party != (size_t)(by[0] - 'A')) {
        print_error("%s: accepted by party %zu, GENIUS by %s\n", what, last->party, by);
        return 0;
    }
    for (size_t k = 0; k < 2; k++) {
        double u = json_real_value(json_array_get(json_object_get(rec, "utilities"), k));
        double ud = json_real_value(json_array_get(json_object_get(rec, "discounted_utilities"), k));
        if (!(fabs(u - r->raw_utilities[k]) <= 1e-12) || !(fabs(ud - r->utilities[k]) <= 1e-12)) {
            print_error("%s: party %zu utility %.17g (discounted %.17g), GENIUS %.17g (%.17g)\n", what, k,
                        r->raw_utilities[k], r->utilities[k], u, ud);
            return 0;
        }
        *exact_utilities += u == r->raw_utilities[k];
    }
    json_t *trace = json_object_get(rec, "trace");
    if (!trace) {
        return 1;
    }
    if (json_array_size(trace) != acts->n) {
        print_error("%s: %zu actions, GENIUS %zu\n", what, acts->n, json_array_size(trace));
    }
    for (size_t j = 0; j < json_array_size(trace) && j < acts->n; j++) {
        json_t *t = json_array_get(trace, j);
        const action *a = &acts->a[j];
        uint32_t o[64];
        json_outcome(s, json_object_get(t, "outcome"), o);
        int accept = strcmp(json_string_value(json_object_get(t, "action")), "accept") == 0;
        if (a->round != (uint64_t)json_integer_value(json_object_get(t, "round")) ||
            a->party != (size_t)(json_string_value(json_object_get(t, "party"))[0] - 'A') ||
            a->kind != (accept ? PL_ACTION_ACCEPT : PL_ACTION_OFFER) || memcmp(a->outcome, o, ni * sizeof *o) != 0) {
            print_error("%s: action %zu (round %llu, party %zu) differs from GENIUS's\n", what, j,
                        (unsigned long long)a->round, a->party);
            return 0;
        }
    }
    return json_array_size(trace) == acts->n;
}

static void test_reference_sessions(void **state)
{
    (void)state;
    TU_NEED_ANAC();
    char path[1024];
    snprintf(path, sizeof path, "%s/genius-sessions.json", PL_REFERENCE_DIR);
    if (!tu_exists(path)) {
        print_message("GENIUS reference not found at %s\n", path);
        skip();
    }
    double t0 = seconds_now();
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    assert_non_null(root);
    pl_registry *reg = tu_registry_new();
    assert_non_null(reg);
    const char *names[3][2] = {
        {"boulware", "genius-boulware"}, {"conceder", "genius-conceder"}, {"linear", "genius-linear"}};
    pl_agent_spec *specs[3];
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(pl_agent_spec_parse(reg, names[k][1], &specs[k], NULL), 0);
    }
    folder_cache cache;
    memset(&cache, 0, sizeof cache);
    recorder acts = {NULL, 0, 0, 0};
    size_t matched = 0, traced = 0, traced_matched = 0, exact = 0;
    for (size_t i = 0; i < json_array_size(root); i++) {
        json_t *rec = json_array_get(root, i);
        const char *folder = json_string_value(json_object_get(rec, "scenario"));
        json_t *prof = json_object_get(rec, "profiles");
        const char *profiles[2] = {json_string_value(json_array_get(prof, 0)),
                                   json_string_value(json_array_get(prof, 1))};
        pl_negotiation *neg = cache_get(&cache, folder, profiles);
        const pl_agent_spec *agents[2];
        for (size_t k = 0; k < 2; k++) {
            const char *a = json_string_value(json_array_get(json_object_get(rec, "agents"), k));
            size_t j = 0;
            while (j < 3 && strcmp(names[j][0], a) != 0) {
                j++;
            }
            assert_true(j < 3);
            agents[k] = specs[j];
        }
        const pl_space *s = pl_scenario_space(pl_negotiation_scenario(neg));
        pl_session_options o;
        pl_session_options_init(&o);
        o.protocol = PL_PROTOCOL_SAOP_GENIUS;
        o.rounds = (uint64_t)json_integer_value(json_object_get(rec, "rounds"));
        o.metrics = 0;
        o.on_action = on_action;
        o.action_ud = &acts;
        acts.n = 0;
        acts.ni = pl_space_issue_count(s);
        pl_session_result r;
        pl_session_result_init(&r);
        pl_diag d;
        pl_diag_clear(&d);
        assert_int_equal(pl_session_run(neg, agents, 2, &o, &r, &d), 0);
        int ok = check_session(s, rec, &r, &acts, &exact);
        matched += ok;
        if (json_object_get(rec, "trace")) {
            traced++;
            traced_matched += ok;
        }
        pl_session_result_free(&r);
    }
    cache_clear(&cache);
    free(acts.a);
    for (size_t k = 0; k < 3; k++) {
        pl_agent_spec_free(specs[k]);
    }
    pl_registry_free(reg);
    size_t total = json_array_size(root);
    json_decref(root);
    print_message("GENIUS sessions reproduced: %zu/%zu (traced, action for action: %zu/%zu); agreement utilities "
                  "bit-identical: %zu/%zu; %.2f s\n",
                  matched, total, traced_matched, traced, exact, 2 * total, seconds_now() - t0);
    assert_int_equal(total, 996);
    assert_int_equal(traced, 20);
    assert_int_equal(matched, total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_java_hashes),
        cmocka_unit_test(test_near_search),
        cmocka_unit_test(test_protocols_and_params),
        cmocka_unit_test(test_reference_sessions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
