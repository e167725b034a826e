/* libFuzzer target: the parley JSON reader, then a round trip through the parley JSON writer.
 * Input: one parley JSON scenario. Loaded scenarios are serialised, re-loaded, and must keep their party count,
 * issue count, value counts and, on up to MAX_CHECKED outcomes, every party's utility (abort() otherwise). */
#define FUZZ_NAME "fuzz_parley_json"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_diag d;
    pl_diag_clear(&d);
    pl_scenario *sc = NULL;
    if (pl_scenario_load_parley_json_mem((const char *)data, size, "<fuzz>", NULL, &sc, &d) < 0) {
        if (sc) {
            die("a failed load left a scenario behind", NULL);
        }
        return 0;
    }
    char *text = NULL;
    int rc = pl_scenario_to_parley_json(sc, &text, &d);
    if (rc == PL_ENOMEM) {
        pl_scenario_free(sc);
        return 0;
    }
    if (rc < 0 || !text) {
        die("cannot write a scenario that loaded", &d);
    }
    pl_scenario *again = NULL;
    pl_diag_clear(&d);
    if (pl_scenario_load_parley_json_mem(text, strlen(text), "<round-trip>", NULL, &again, &d) < 0) {
        fprintf(stderr, "---- written text ----\n%s\n----\n", text);
        die("cannot re-load the written scenario", &d);
    }
    compare_scenarios(sc, again);
    pl_scenario_free(again);
    pl_scenario_free(sc);
    pl_free(text);
    return 0;
}
