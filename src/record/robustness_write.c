/* Writing the robustness of a prediction (`parley report --samples --json`): docs/formats.md. */
#include <math.h>
#include <stdlib.h>

#include "parley/report.h"
#include "parley/uncertainty.h"
#include "record/record_internal.h"

static double share(uint64_t c, uint64_t n)
{
    return n ? (double)c / (double)n : 0;
}

int pl_robustness_to_json(const pl_uncertainty *u, const pl_robustness *r, uint64_t seed, const uint32_t *given,
                          char **out, pl_diag *d)
{
    const pl_scenario *sc = pl_uncertainty_scenario(u);
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s), nc = pl_uncertainty_count(u);
    uint64_t n = pl_robustness_samples(r);
    char lab[64], name[256];
    *out = NULL;
    pl_jw *w = NULL;
    int orc = pl__jw_open_scenario(sc, &w, d);
    if (orc < 0) {
        return orc;
    }
    pl_jw_key(w, "samples");
    pl_jw_uint(w, n);
    pl_jw_key(w, "seed");
    pl_jw_uint(w, seed);
    pl_jw_key(w, "parameters");
    pl_jw_array(w);
    for (size_t j = 0; j < nc; j++) {
        const pl_unc_param *p = pl_uncertainty_param(u, j);
        static const char *const kinds[] = {"reservation", "weight", "value"};
        pl_jw_object(w);
        pl_jw_key(w, "name");
        pl_jw_string(w, pl_uncertainty_param_name(u, j, name, sizeof name));
        pl_jw_key(w, "party");
        pl_jw_string(w, pl_scenario_party_name(sc, p->party));
        pl_jw_key(w, "kind");
        pl_jw_string(w, kinds[p->kind]);
        pl_jw_key(w, "issue");
        if (p->kind == PL_UNC_RESERVATION) {
            pl_jw_null(w);
        } else {
            pl_jw_string(w, pl_space_issue_name(s, p->issue));
        }
        pl_jw_key(w, "option");
        if (p->kind == PL_UNC_VALUE) {
            pl_jw_string(w, pl__label(s, p->issue, p->value, lab, sizeof lab));
        } else {
            pl_jw_null(w);
        }
        pl_jw_key(w, "range");
        pl_jw_array(w);
        pl_jw_number(w, p->lo);
        pl_jw_number(w, p->hi);
        pl_jw_array_end(w);
        pl_jw_object_end(w);
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "with_deal");
    pl_jw_number(w, share(pl_robustness_with_deal(r), n));
    pl_jw_key(w, "issues");
    pl_jw_array(w);
    for (size_t i = 0; i < ni; i++) {
        pl_jw_object(w);
        pl_jw_key(w, "issue");
        pl_jw_string(w, pl_space_issue_name(s, i));
        pl_jw_key(w, "agreed");
        pl_jw_number(w, share(pl_robustness_agreed_count(r, i), n));
        pl_jw_key(w, "options");
        pl_jw_object(w);
        for (uint32_t v = 0; v < pl_space_value_count(s, i); v++) {
            uint64_t c = pl_robustness_value_count(r, i, v);
            if (c > 0) {
                pl_jw_key(w, pl__label(s, i, v, lab, sizeof lab));
                pl_jw_number(w, share(c, n));
            }
        }
        pl_jw_object_end(w);
        pl_jw_key(w, "statuses");
        if (n > 0 && pl_robustness_status(r, 0, i) >= 0) {
            pl_jw_object(w);
            for (int st = 0; st <= (int)PL_ISSUE_UNDETERMINED; st++) {
                pl_jw_key(w, pl_issue_status_name((pl_issue_status)st));
                pl_jw_number(w, share(pl_robustness_status_count(r, i, st), n));
            }
            pl_jw_object_end(w);
        } else {
            pl_jw_null(w);
        }
        pl_jw_key(w, "as_given");
        if (given) {
            pl_jw_number(w, share(pl_robustness_value_count(r, i, given[i]), n));
        } else {
            pl_jw_null(w);
        }
        /* Spearman's rho of every parameter with the predicted option (option index) and with agreement. */
        pl_jw_key(w, "sensitivity");
        pl_jw_array(w);
        for (size_t j = 0; j < nc; j++) {
            pl_jw_object(w);
            pl_jw_key(w, "parameter");
            pl_jw_uint(w, j);
            pl_jw_key(w, "option_rho");
            pl_jw_number(w, pl_robustness_correlation(r, i, j, 1));
            pl_jw_key(w, "agreed_rho");
            pl_jw_number(w, pl_robustness_correlation(r, i, j, 0));
            pl_jw_key(w, "given_rho");
            if (given) {
                pl_jw_number(w, pl_robustness_correlation_option(r, i, j, given[i]));
            } else {
                pl_jw_null(w);
            }
            pl_jw_object_end(w);
        }
        pl_jw_array_end(w);
        pl_jw_object_end(w);
    }
    pl_jw_array_end(w);
    pl_jw_object_end(w);
    return pl__jw_finish_into(w, out, d);
}
