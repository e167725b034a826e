/* Every built-in agent against every other on every ANAC scenario in ../shared (skipped when absent): each session
 * completes with a valid result (agreement utilities equal the parties' evaluations, discounting at the agreement's
 * time, reservation values otherwise, no protocol violation, no error). Bilateral scenarios: every ordered pair.
 * Multilateral ones: every agent against each rotation of the agent list. */
#include <dirent.h>

#include "testutil.h"

#define ROUNDS 200

static int valid_result(const pl_scenario *sc, const pl_session_result *r, char *why, size_t size)
{
    size_t np = pl_scenario_party_count(sc);
    if (r->status != PL_SESSION_AGREEMENT && r->status != PL_SESSION_DEADLINE && r->status != PL_SESSION_ENDED) {
        snprintf(why, size, "status %s: %s", pl_session_status_name(r->status), r->reason);
        return 0;
    }
    if (r->rounds < 1 || r->rounds > ROUNDS) {
        snprintf(why, size, "%llu rounds", (unsigned long long)r->rounds);
        return 0;
    }
    if (r->has_agreement && !pl_space_outcome_valid(pl_scenario_space(sc), r->agreement)) {
        snprintf(why, size, "invalid agreement");
        return 0;
    }
    for (size_t k = 0; k < np; k++) {
        const pl_ufun *u = pl_scenario_ufun(sc, k);
        double raw = r->has_agreement ? pl_ufun_eval(u, r->agreement) : pl_ufun_reservation(u);
        double disc = r->has_agreement ? raw * pow(pl_ufun_discount_effective(u), r->t) : raw;
        if (r->raw_utilities[k] != raw || fabs(r->utilities[k] - disc) > 1e-15) {
            snprintf(why, size, "party %zu: utility %.17g / %.17g, expected %.17g / %.17g", k, r->raw_utilities[k],
                     r->utilities[k], raw, disc);
            return 0;
        }
    }
    return 1;
}

static void run_folder(const char *path, const pl_registry *reg, const pl_agent_spec *const *specs, size_t ns,
                       size_t *sessions, size_t *agreements)
{
    pl_scenario *sc = tu_load1(path);
    size_t np = pl_scenario_party_count(sc);
    pl_negotiation_options no;
    pl_negotiation_options_init(&no);
    no.sample_size = 20000; /* the huge ANAC 2014 spaces: a smaller candidate set keeps the test quick */
    pl_negotiation *neg;
    assert_int_equal(pl_negotiation_new(sc, &no, &neg, NULL), 0);
    pl_session_options o;
    pl_session_options_init(&o);
    o.rounds = ROUNDS;
    o.metrics = 0;
    const pl_agent_spec **agents = calloc(np, sizeof *agents);
    pl_session_result r;
    pl_session_result_init(&r);
    size_t combos = np == 2 ? ns * ns : ns;
    for (size_t c = 0; c < combos; c++) {
        int skip = 0;
        for (size_t k = 0; k < np; k++) {
            agents[k] = specs[np == 2 ? (k == 0 ? c / ns : c % ns) : (c + k) % ns];
            /* GENIUS's agents enumerate the whole space, as GENIUS does, and refuse spaces above 10^7. */
            skip |= strncmp(pl_agent_spec_text(agents[k]), "genius-", 7) == 0 &&
                    pl_space_log10_size(pl_scenario_space(sc)) > 7;
        }
        if (skip) {
            continue;
        }
        o.seed = c + 1;
        pl_diag d;
        pl_diag_clear(&d);
        int rc = pl_session_run(neg, agents, np, &o, &r, &d);
        char why[600];
        if (rc < 0) {
            fail_msg("%s: %s vs %s: %s", path, pl_agent_spec_text(agents[0]), pl_agent_spec_text(agents[1]),
                     d.message);
        }
        if (!valid_result(sc, &r, why, sizeof why)) {
            fail_msg("%s: %s vs %s: %s", path, pl_agent_spec_text(agents[0]), pl_agent_spec_text(agents[1]), why);
        }
        (*sessions)++;
        *agreements += r.status == PL_SESSION_AGREEMENT;
    }
    (void)reg;
    pl_session_result_free(&r);
    free(agents);
    pl_negotiation_free(neg);
    pl_scenario_free(sc);
}

static void test_every_pair_everywhere(void **state)
{
    (void)state;
    TU_NEED_ANAC();
    pl_registry *reg = tu_registry_new();
    pl_agent_spec **specs = calloc(pl_registry_count(reg), sizeof *specs);
    size_t ns = 0;
    for (size_t k = 0; k < pl_registry_count(reg); k++) {
        if (!pl_registry_type(reg, k)->respond) {
            continue; /* the single-text voters only vote (test_single_text) */
        }
        pl_diag d;
        pl_diag_clear(&d);
        if (pl_agent_spec_parse(reg, pl_registry_type(reg, k)->name, &specs[ns++], &d) < 0) {
            fail_msg("%s: %s", pl_registry_type(reg, k)->name, d.message);
        }
    }
    const char *years[] = {"y2010", "y2011", "y2012", "y2014", "y2015"};
    size_t folders = 0, sessions = 0, agreements = 0;
    for (size_t y = 0; y < 5; y++) {
        char dir[1100];
        snprintf(dir, sizeof dir, "%s/%s", PL_ANAC_DIR, years[y]);
        struct dirent **list;
        int n = scandir(dir, &list, NULL, alphasort);
        for (int k = 0; k < n; k++) {
            char path[1400];
            snprintf(path, sizeof path, "%s/%s", dir, list[k]->d_name);
            if (list[k]->d_name[0] != '.' && tu_is_dir(path)) {
                run_folder(path, reg, (const pl_agent_spec *const *)specs, ns, &sessions, &agreements);
                folders++;
            }
            free(list[k]);
        }
        free(list);
    }
    print_message("%zu agents, %zu scenarios, %zu sessions, %zu agreements\n", ns, folders, sessions, agreements);
    assert_true(folders >= 90);
    for (size_t k = 0; k < ns; k++) {
        pl_agent_spec_free(specs[k]);
    }
    free(specs);
    pl_registry_free(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_pair_everywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
