/* libFuzzer target for agent lists and specs ("boa:bidding=timebased(e=0.2),accept=combi(t=0.98),conceder"):
 * split, parse every spec against the registry, and when exactly two parse, run a short session between them on a
 * small built-in scenario (SAOP, or single-text when they only vote), so that agents' own parameter parsing (BOA
 * components) runs too. Parsing may fail; it must never crash, leak or leave a session without a valid result. */
#define FUZZ_NAME "fuzz_agent_spec"
#include "fuzz_common.h"

static pl_scenario *small_scenario(void)
{
    pl_space *s = NULL;
    pl_scenario *sc = NULL;
    const char *labels[] = {"a", "b", "c", "d"};
    if (pl_space_new(&s, NULL) < 0) {
        return NULL;
    }
    pl_space_add_discrete(s, "x", 4, labels, NULL);
    pl_space_add_discrete(s, "y", 3, labels, NULL);
    if (pl_scenario_new(s, &sc, NULL) < 0) {
        return NULL;
    }
    for (int p = 0; p < 2; p++) {
        pl_ufun *u = NULL;
        pl_ufun_linear_new(pl_scenario_space(sc), &u, NULL);
        double x[4] = {0, 0.3, 0.6, 1}, y[3] = {1, 0.5, 0};
        if (p) {
            double rx[4] = {1, 0.6, 0.3, 0}, ry[3] = {0, 0.5, 1};
            memcpy(x, rx, sizeof x);
            memcpy(y, ry, sizeof y);
        }
        pl_ufun_linear_set_weight(u, 0, 0.6);
        pl_ufun_linear_set_weight(u, 1, 0.4);
        pl_ufun_linear_set_table(u, 0, x);
        pl_ufun_linear_set_table(u, 1, y);
        pl_ufun_set_reservation(u, 0.2);
        pl_scenario_add_party(sc, p ? "q" : "p", u, NULL);
    }
    return sc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pl_scenario *sc;
    static pl_registry *reg;
    static pl_negotiation *neg;
    if (!sc) {
        sc = small_scenario();
        if (!sc || pl_registry_new(&reg, NULL) < 0 || pl_negotiation_new(sc, NULL, &neg, NULL) < 0) {
            die("setup failed", NULL);
        }
    }
    if (size > 4096) {
        return 0;
    }
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char **items = NULL;
    size_t n = 0;
    pl_diag d;
    pl_diag_clear(&d);
    if (strlen(text) == size && pl_agent_list_split(text, &items, &n, &d) == 0) {
        pl_agent_spec *specs[2] = {NULL, NULL};
        size_t parsed = 0;
        for (size_t k = 0; k < n; k++) {
            pl_agent_spec *sp = NULL;
            if (pl_agent_spec_parse(reg, items[k], &sp, &d) == 0) {
                if (parsed < 2) {
                    specs[parsed++] = sp;
                } else {
                    pl_agent_spec_free(sp);
                }
            }
            pl_free(items[k]);
        }
        pl_free(items);
        if (parsed == 2) {
            pl_session_options o;
            pl_session_options_init(&o);
            o.rounds = 30;
            o.metrics = 0;
            /* SAOP when both agents make offers, else single-text; a pair that can play neither is refused. */
            const pl_agent_type *t0 = pl_agent_spec_type(specs[0]), *t1 = pl_agent_spec_type(specs[1]);
            int saop = t0->respond && t1->respond, voters = t0->vote && t1->vote;
            o.protocol = saop ? PL_PROTOCOL_SAOP : PL_PROTOCOL_SINGLE_TEXT;
            pl_session_result r;
            pl_session_result_init(&r);
            int rc = pl_session_run(neg, (const pl_agent_spec *const *)specs, 2, &o, &r, &d);
            if (rc < 0 && (saop || voters || rc != PL_EINVAL)) {
                die("session could not run", &d);
            }
            if (rc == 0 && r.status == PL_SESSION_AGREEMENT &&
                !pl_space_outcome_valid(pl_scenario_space(sc), r.agreement)) {
                die("invalid agreement", NULL);
            }
            pl_session_result_free(&r);
        }
        pl_agent_spec_free(specs[0]);
        pl_agent_spec_free(specs[1]);
    }
    free(text);
    return 0;
}
