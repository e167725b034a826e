/* Checks every reader applies to a party once it is read: what cannot be meant is an error, what GENIUS accepts but
 * is probably a mistake is a warning (an error under strict loading). Every message names the file. */
#include <math.h>
#include <stdio.h>

#include "io/io_internal.h"

/* Weight sums further than this from 1 are reported (decimal rounding in hand-written files stays below it). */
#define WEIGHT_SUM_TOLERANCE 1e-3

int pl__check_party(const pl_ufun *u, const char *party, const char *file, int line, const char *path,
                    const pl_load_options *o, pl_diag *d)
{
    pl_load_options defaults;
    if (!o) {
        pl_load_options_init(&defaults);
        o = &defaults;
    }
    int rc = 0;
    double r = pl_ufun_reservation(u), df = pl_ufun_discount(u);
    if (!(r >= 0 && r <= 1)) {
        rc = pl__diag_set(d, PL_ERANGE, file, line, 0, "party \"%s\": the reservation value %g is outside [0, 1]",
                          party, r);
    } else if (!(df >= 0 && df <= 1)) {
        rc = pl__diag_set(d, PL_ERANGE, file, line, 0,
                          "party \"%s\": the discount factor %g is outside [0, 1] (0 and 1 mean no discounting)",
                          party, df);
    } else if (pl_ufun_kind_of(u) == PL_UFUN_LINEAR) {
        const pl_space *s = pl_ufun_space(u);
        double sum = 0;
        for (size_t i = 0; i < pl_space_issue_count(s); i++) {
            sum += pl_ufun_linear_weight(u, i);
        }
        if (sum == 0) {
            rc = pl__diag_set(d, PL_EINVAL, file, line, 0,
                              "party \"%s\": every issue weight is 0, so every outcome is worth 0 to it", party);
        } else if (fabs(sum - 1) > WEIGHT_SUM_TOLERANCE && (o->strict || o->warn)) {
            pl_diag w;
            pl_diag_clear(&w);
            pl_diag *t = o->strict ? d : &w;
            rc = pl__diag_set(t, PL_EINVAL, file, line, 0,
                              "party \"%s\": the issue weights sum to %.6g, not 1 (they are used as written)", party,
                              sum);
            if (!o->strict) {
                rc = 0;
                if (path && *path) {
                    snprintf(w.path, sizeof w.path, "%s", path);
                }
                o->warn(o->warn_ud, &w);
            }
        }
    }
    if (rc < 0 && d && path && *path) {
        snprintf(d->path, sizeof d->path, "%s", path);
    }
    return rc;
}
