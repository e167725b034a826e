/* Writing a what-if (`parley whatif --json`): docs/formats.md. */
#include <stdlib.h>

#include "parley/whatif.h"
#include "record/record_internal.h"

static void jw_constraint(pl_jw *w, const pl_scenario *sc, size_t party, long line)
{
    char text[512];
    pl_jw_object(w);
    pl_jw_key(w, "party");
    pl_jw_string(w, pl_scenario_party_name(sc, party));
    pl_jw_key(w, "red_line");
    if (line >= 0) {
        pl_jw_uint(w, (uint64_t)line);
        pl_jw_key(w, "text");
        pl_jw_string(w, pl_ufun_red_line_text(pl_scenario_ufun(sc, party), (size_t)line, text, sizeof text));
    } else {
        pl_jw_null(w);
        pl_jw_key(w, "text");
        pl_jw_string(w, "reservation value");
    }
    pl_jw_object_end(w);
}

int pl_whatif_to_json(const pl_scenario *sc, const pl_whatif *wi, char **out, pl_diag *d)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s);
    char lab[64];
    *out = NULL;
    pl_jw *w = NULL;
    int orc = pl__jw_open_scenario(sc, &w, d);
    if (orc < 0) {
        return orc;
    }
    pl_jw_key(w, "acceptable_outcomes");
    pl_jw_uint(w, pl_whatif_acceptable(wi));
    pl_jw_key(w, "constraints");
    pl_jw_array(w);
    for (size_t c = 0; c < pl_whatif_constraint_count(wi); c++) {
        size_t party;
        long line;
        pl_whatif_constraint(wi, c, &party, &line);
        jw_constraint(w, sc, party, line);
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "stuck");
    pl_jw_array(w);
    for (size_t i = 0; i < ni; i++) {
        if (!pl_whatif_stuck(wi, i)) {
            continue;
        }
        pl_jw_object(w);
        pl_jw_key(w, "issue");
        pl_jw_string(w, pl_space_issue_name(s, i));
        pl_jw_key(w, "status_quo");
        pl_jw_string(w, pl__label(s, i, pl_scenario_status_quo(sc, i), lab, sizeof lab));
        pl_jw_key(w, "removal_sets");
        pl_jw_array(w);
        const uint64_t *sets;
        size_t n = pl_whatif_sets(wi, i, &sets);
        for (size_t j = 0; j < n; j++) {
            pl_jw_array(w);
            for (size_t c = 0; c < pl_whatif_constraint_count(wi); c++) {
                if (sets[j] >> c & 1) {
                    pl_jw_uint(w, c);
                }
            }
            pl_jw_array_end(w);
        }
        pl_jw_array_end(w);
        pl_jw_object_end(w);
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "deal");
    pl__jw_outcome(w, s, pl_whatif_deal(wi));
    pl_jw_key(w, "breaking_lines");
    pl_jw_array(w);
    const pl_whatif_line *l;
    size_t nl = pl_whatif_lines(wi, &l);
    for (size_t j = 0; j < nl; j++) {
        pl_jw_object(w);
        pl_jw_key(w, "party");
        pl_jw_string(w, pl_scenario_party_name(sc, l[j].party));
        pl_jw_key(w, "issue");
        pl_jw_string(w, pl_space_issue_name(s, l[j].issue));
        pl_jw_key(w, "must_not_be");
        pl_jw_string(w, pl__label(s, l[j].issue, l[j].value, lab, sizeof lab));
        pl_jw_key(w, "loss");
        pl_jw_number(w, l[j].loss);
        pl_jw_key(w, "remaining_acceptable");
        pl_jw_uint(w, l[j].remaining);
        pl_jw_object_end(w);
    }
    pl_jw_array_end(w);
    pl_jw_object_end(w);
    return pl__jw_finish_into(w, out, d);
}
