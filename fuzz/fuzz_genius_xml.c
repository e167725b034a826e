/* libFuzzer target: the Genius XML reader, then a round trip through the Genius XML writer.
 * Input: a domain and its profiles separated by lines "----" (that is, by "\n----\n"): domain, profile 1, profile 2,
 * ... (up to 8 profiles). When every party is linear additive, the loaded scenario is written as Genius XML,
 * re-loaded, and must keep its party count, issue count, value counts and, on up to MAX_CHECKED outcomes, every
 * party's utility (abort() otherwise). */
#define FUZZ_NAME "fuzz_genius_xml"
#include "fuzz_common.h"

static int all_linear(const pl_scenario *sc)
{
    for (size_t p = 0; p < pl_scenario_party_count(sc); p++) {
        if (pl_ufun_kind_of(pl_scenario_ufun(sc, p)) != PL_UFUN_LINEAR) {
            return 0;
        }
    }
    return 1;
}

static void round_trip(const pl_scenario *sc)
{
    pl_diag d;
    pl_diag_clear(&d);
    char *domain = NULL;
    char **profiles = NULL;
    int rc = pl_scenario_to_genius_xml(sc, &domain, &profiles, &d);
    if (rc == PL_ENOMEM || rc == PL_EUNSUPPORTED) {
        /* Not everything linear additive is expressible in Genius XML (the writer says so); not a bug. */
        return;
    }
    if (rc < 0 || !domain || !profiles) {
        die("cannot write a linear additive scenario that loaded", &d);
    }
    size_t n = pl_scenario_party_count(sc);
    size_t *lens = calloc(n ? n : 1, sizeof *lens);
    for (size_t p = 0; p < n; p++) {
        if (!profiles[p]) {
            die("the writer returned a NULL profile", NULL);
        }
        if (lens) {
            lens[p] = strlen(profiles[p]);
        }
    }
    pl_scenario *again = NULL;
    pl_diag_clear(&d);
    if (lens && pl_scenario_load_genius_xml_mem(domain, strlen(domain), (const char *const *)profiles, lens, n,
                                                NULL, &again, &d) < 0) {
        fprintf(stderr, "---- written domain ----\n%s\n", domain);
        for (size_t p = 0; p < n; p++) {
            fprintf(stderr, "---- written profile %zu ----\n%s\n", p + 1, profiles[p]);
        }
        die("cannot re-load the written scenario", &d);
    }
    if (again) {
        compare_scenarios(sc, again);
    }
    pl_scenario_free(again);
    for (size_t p = 0; p < n; p++) {
        pl_free(profiles[p]);
    }
    pl_free(profiles);
    pl_free(domain);
    free(lens);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *parts[MAX_PARTS];
    size_t lens[MAX_PARTS];
    size_t n = split_parts((const char *)data, size, parts, lens);
    pl_diag d;
    pl_diag_clear(&d);
    pl_scenario *sc = NULL;
    if (pl_scenario_load_genius_xml_mem(parts[0], lens[0], parts + 1, lens + 1, n - 1, NULL, &sc, &d) < 0) {
        if (sc) {
            die("a failed load left a scenario behind", NULL);
        }
        return 0;
    }
    if (all_linear(sc)) {
        round_trip(sc);
    }
    pl_scenario_free(sc);
    return 0;
}
