/* libFuzzer target: the record reader (parley/record.h) on run results and traces, then, for traces, a round trip
 * through the trace writer. Input: one selector byte, then the file. The selector's bit 0 picks a trace (1) or a
 * run result (0); (byte >> 1) % 3 picks the scenario the record is read for (job-offer, supply-contract,
 * ceasefire-2025 from scenarios/, loaded once). A failed read must leave nothing allocated; a run read must give
 * valid outcomes; every trace action read is written back with pl_trace_action_to_json, re-read, and must come back
 * the same (abort() otherwise). */
#define FUZZ_NAME "fuzz_record"
#include "fuzz_common.h"

#ifndef PL_FUZZ_SCENARIOS
#define PL_FUZZ_SCENARIOS "scenarios"
#endif

static pl_scenario *scenarios[3];

static const pl_scenario *scenario(unsigned k)
{
    static const char *const names[] = {"job-offer.json", "supply-contract.json", "ceasefire-2025.json"};
    if (!scenarios[k]) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", PL_FUZZ_SCENARIOS, names[k]);
        const char *paths[1] = {path};
        pl_diag d;
        pl_diag_clear(&d);
        if (pl_scenario_load(paths, 1, NULL, &scenarios[k], &d) < 0) {
            die("cannot load the fuzzer's scenario (set PL_FUZZ_SCENARIOS)", &d);
        }
    }
    return scenarios[k];
}

typedef struct again {
    const pl_scenario *sc;
    const pl_action_record *want;
    size_t seen;
} again;

static int same_number(double x, double y)
{
    return x == y || (isnan(x) && isnan(y));
}

/* The re-read record must equal the one that was written. */
static int check_again(void *ud, const pl_action_record *got)
{
    again *a = ud;
    const pl_action_record *w = a->want;
    size_t np = pl_scenario_party_count(a->sc), ni = pl_space_issue_count(pl_scenario_space(a->sc));
    a->seen++;
    if (got->round != w->round || !same_number(got->t, w->t) || got->party != w->party || got->action != w->action) {
        die("a trace action changed in the round trip", NULL);
    }
    if (w->action == PL_ACTION_PROPOSE) {
        if (got->issue != w->issue || got->from != w->from || got->to != w->to || got->stood != w->stood) {
            die("a proposal changed in the round trip", NULL);
        }
        for (size_t k = 0; k < np; k++) {
            if (got->votes[k] != w->votes[k] || !same_number(got->utilities[k], w->utilities[k])) {
                die("a proposal's votes or utilities changed in the round trip", NULL);
            }
        }
        return 0;
    }
    if ((got->outcome == NULL) != (w->outcome == NULL) ||
        (w->outcome && memcmp(got->outcome, w->outcome, ni * sizeof *w->outcome) != 0)) {
        die("an outcome changed in the round trip", NULL);
    }
    if (!same_number(got->utility, w->utility) || !same_number(got->discounted, w->discounted)) {
        die("a utility changed in the round trip", NULL);
    }
    return 0;
}

static int round_trip(void *ud, const pl_action_record *rec)
{
    const pl_scenario *sc = ud;
    pl_diag d;
    pl_diag_clear(&d);
    char *line = NULL;
    int rc = pl_trace_action_to_json(sc, rec, &line, &d);
    if (rc == PL_ENOMEM) {
        return rc;
    }
    if (rc < 0) {
        /* Only numbers the writer cannot express (JSON has no NaN or infinity) may fail; the reader gives finite t. */
        die("cannot write an action that was read", &d);
    }
    again a = {sc, rec, 0};
    pl_diag_clear(&d);
    if (pl_trace_read_mem(sc, line, strlen(line), "<round-trip>", check_again, &a, &d) < 0 || a.seen != 1) {
        fprintf(stderr, "---- written line ----\n%s----\n", line);
        die("cannot re-read a written action", &d);
    }
    free(line);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    const pl_scenario *sc = scenario((data[0] >> 1) % 3);
    const char *text = (const char *)data + 1;
    size--;
    pl_diag d;
    pl_diag_clear(&d);
    if (data[0] & 1) {
        int rc = pl_trace_read_mem(sc, text, size, "<fuzz>", round_trip, (void *)sc, &d);
        if (rc < 0 && !d.file[0]) {
            die("a trace error without its file", &d);
        }
        return 0;
    }
    pl_run_data run;
    int rc = pl_run_read_mem(sc, text, size, "<fuzz>", &run, &d);
    if (rc < 0) {
        if (run.agents || run.agreement || run.final_text) {
            die("a failed read left data behind", NULL);
        }
        if (!d.file[0]) {
            die("a run error without its file", &d);
        }
        return 0;
    }
    const pl_space *sp = pl_scenario_space(sc);
    if ((run.agreement && !pl_space_outcome_valid(sp, run.agreement)) ||
        (run.final_text && !pl_space_outcome_valid(sp, run.final_text)) ||
        run.rec.has_agreement != (run.agreement != NULL)) {
        die("a run read gave an invalid outcome", NULL);
    }
    pl_run_data_destroy(&run);
    return 0;
}
