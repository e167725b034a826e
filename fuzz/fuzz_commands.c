/* libFuzzer target: what `parley show`, `eval`, `analyze` and `report` do with a scenario, in process, on fuzzed
 * parley JSON: the summary JSON, every party's utility of a few outcomes (checked in [0, 1] or 0 on a red line), the
 * analysis (merge or enumeration within small limits, so that one input stays fast) and its JSON, and the report
 * with its JSON. Any crash, sanitizer finding or impossible value aborts. */
#define FUZZ_NAME "fuzz_commands"
#include <math.h>

#include "fuzz_common.h"
#include "parley/record.h"
#include "parley/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_diag d;
    pl_diag_clear(&d);
    pl_scenario *sc = NULL;
    if (pl_scenario_load_parley_json_mem((const char *)data, size, "<fuzz>", NULL, &sc, &d) < 0) {
        return 0;
    }
    char *text = NULL;
    if (pl_scenario_summary_to_json(sc, &text, &d) == 0) { /* parley show --json */
        pl_free(text);
    }
    /* parley eval: the first, last and middle outcomes of enumerable spaces. */
    const pl_space *s = pl_scenario_space(sc);
    uint64_t count;
    size_t ni = pl_space_issue_count(s);
    uint32_t *o = calloc(ni ? ni : 1, sizeof *o);
    if (o && pl_space_outcome_count(s, &count) == 0 && count > 0) {
        const uint64_t picks[3] = {0, count / 2, count - 1};
        for (size_t k = 0; k < 3; k++) {
            if (pl_space_outcome_at(s, picks[k], o) < 0) {
                die("an outcome index below the count has no outcome", NULL);
            }
            for (size_t p = 0; p < pl_scenario_party_count(sc); p++) {
                double u = pl_ufun_eval(pl_scenario_ufun(sc, p), o);
                if (!(u >= -1e-9 && u <= 1 + 1e-9) && !isnan(u)) {
                    fprintf(stderr, "utility %.17g\n", u);
                    die("a utility outside [0, 1]", NULL);
                }
            }
            const uint32_t *const outs[1] = {o};
            if (pl_eval_to_json(sc, outs, 1, 1, 0.5, &text, &d) == 0) {
                pl_free(text);
            }
        }
    }
    free(o);
    if (pl_space_log10_size(s) > 5) { /* analysis and report: spaces a fuzzer can afford many times a second */
        pl_scenario_free(sc);
        return 0;
    }
    /* parley analyze, within limits a fuzzer can afford. */
    pl_analysis_options ao;
    pl_analysis_options_init(&ao);
    ao.threads = 1;
    ao.enumerate_limit = 20000;
    ao.zopa_limit = 20000;
    ao.max_points = 20000;
    ao.search_restarts = 2;
    pl_analysis *an = NULL;
    pl_diag_clear(&d);
    if (pl_analyze(sc, &ao, &an, &d) == 0) {
        if (pl_analysis_to_json(sc, an, 50, 0, &text, &d) == 0) {
            pl_free(text);
        }
        pl_analysis_free(an);
    }
    /* parley report (the prediction; the scan only on small spaces). */
    pl_report_options ro;
    pl_report_options_init(&ro);
    ro.threads = 1;
    ro.enumerate_limit = 20000;
    pl_report *r = NULL;
    pl_diag_clear(&d);
    if (pl_report_build(sc, NULL, &ro, &r, &d) == 0) {
        if (pl_report_to_json(sc, r, NULL, 0, &text, &d) == 0) {
            pl_free(text);
        }
        pl_report_free(r);
    }
    pl_scenario_free(sc);
    return 0;
}
