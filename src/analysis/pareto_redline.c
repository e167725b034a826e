/* The exact frontier of linear additive parties with red lines, without enumeration. Red lines mention few issues
 * (the "red-line issues"); fixing those issues to one combination of values (a cell) fixes which parties' lines are
 * broken, and inside the cell every party's utility is again linear additive over the free issues (or 0 where a line
 * is broken). The frontier of the whole space is the Pareto filter of the union of the cells' frontiers, since every
 * outcome lies in exactly one cell: each cell is solved by the merge algorithm on a sub-scenario whose red-line
 * issues have a single value, and its points are added to the caller's builder with the cell's values put back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "core/ufun_internal.h"

/* The most cells solved one by one; beyond it the automatic choice enumerates or searches instead. */
#define PL_RED_LINE_CELLS_MAX 100000u

int pl__any_red_lines(const pl_scenario *sc, const size_t *parties, size_t np)
{
    for (size_t k = 0; k < np; k++) {
        if (pl_scenario_ufun(sc, parties[k])->n_lines > 0) {
            return 1;
        }
    }
    return 0;
}

/* The sub-space: every issue as a discrete issue with the same number of values, red-line issues with one. */
static pl_space *cell_space(const pl_space *s, const uint8_t *fixed, pl_diag *d)
{
    pl_space *sub = NULL;
    if (pl_space_new(&sub, d) < 0) {
        return NULL;
    }
    size_t ni = pl_space_issue_count(s);
    char **labels = NULL;
    uint32_t cap = 0;
    int rc = 0;
    for (size_t i = 0; i < ni && rc == 0; i++) {
        uint32_t nv = fixed[i] ? 1 : pl_space_value_count(s, i);
        if (nv > cap) {
            char **g = pl__realloc(labels, nv * sizeof *g);
            if (!g) {
                rc = PL_ENOMEM;
                break;
            }
            labels = g;
            for (uint32_t v = cap; v < nv; v++) {
                labels[v] = pl__malloc(16);
                if (!labels[v]) {
                    cap = v;
                    rc = PL_ENOMEM;
                    break;
                }
                snprintf(labels[v], 16, "%u", (unsigned)v);
            }
            if (rc == 0) {
                cap = nv;
            }
        }
        if (rc == 0) {
            rc = pl_space_add_discrete(sub, pl_space_issue_name(s, i), nv, (const char *const *)labels, d);
        }
    }
    for (uint32_t v = 0; v < cap; v++) {
        pl__free(labels[v]);
    }
    pl__free(labels);
    if (rc < 0) {
        pl_space_free(sub);
        return NULL;
    }
    return sub;
}

/* Party u restricted to the cell (red-line issues at cell[i]); all weights 0 when the cell breaks one of its lines.
 * The weighted table entries are the original ones, summed in the same issue order: utilities are bit-identical. */
static int cell_party(pl_scenario *csc, const pl_scenario *sc, size_t party, const uint8_t *fixed,
                      const uint32_t *cell, pl_diag *d)
{
    const pl_ufun *u = pl_scenario_ufun(sc, party);
    const pl_space *cs = pl_scenario_space(csc);
    size_t ni = pl_space_issue_count(cs);
    pl_ufun *v = NULL;
    if (pl_ufun_linear_new(cs, &v, NULL) < 0) {
        return PL_ENOMEM;
    }
    int rc = 0;
    if (!pl__ufun_breaks(u, cell)) {
        double *tab = NULL;
        for (size_t i = 0; i < ni && rc == 0; i++) {
            uint32_t nv = pl_space_value_count(cs, i);
            double *g = pl__realloc(tab, nv * sizeof *g);
            if (!g) {
                rc = PL_ENOMEM;
                break;
            }
            tab = g;
            for (uint32_t x = 0; x < nv; x++) {
                tab[x] = u->values[u->off[i] + (fixed[i] ? cell[i] : x)];
            }
            if ((rc = pl_ufun_linear_set_weight(v, i, u->weights[i])) == 0) {
                rc = pl_ufun_linear_set_table(v, i, tab);
            }
        }
        pl__free(tab);
    }
    if (rc < 0) {
        pl_ufun_free(v);
        return rc;
    }
    return pl_scenario_add_party(csc, pl_scenario_party_name(sc, party), v, d);
}

int pl__pareto_merge_red_lines(const pl_scenario *sc, const size_t *parties, size_t np, const pl_analysis_options *o,
                               pl__fb *fb, pl_diag *d)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s);
    uint8_t *fixed = pl__calloc(ni ? ni : 1, 1);
    uint32_t *cell = pl__calloc(ni ? ni : 1, sizeof *cell);
    uint32_t *out = pl__malloc((ni ? ni : 1) * sizeof *out);
    size_t *idx = pl__malloc(np * sizeof *idx);
    pl_space *cs = NULL;
    int rc = 0;
    if (!fixed || !cell || !out || !idx) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t k = 0; k < np; k++) {
        idx[k] = k;
        const pl_ufun *u = pl_scenario_ufun(sc, parties[k]);
        for (size_t l = 0; l < u->n_lines; l++) {
            fixed[u->lines[l].pub.issue] = 1;
            if (u->lines[l].pub.then_issue >= 0) {
                fixed[u->lines[l].pub.then_issue] = 1;
            }
        }
    }
    uint64_t cells = 1;
    for (size_t i = 0; i < ni; i++) {
        if (fixed[i]) {
            cells = pl__mul_sat(cells, pl_space_value_count(s, i));
        }
    }
    if (cells > PL_RED_LINE_CELLS_MAX) {
        rc = pl__diag_set(d, PL_ETOOBIG, NULL, 0, 0,
                          "the red lines' issues have %llu value combinations: too many for the merge algorithm "
                          "(at most %u; enumerate or search instead)",
                          (unsigned long long)cells, PL_RED_LINE_CELLS_MAX);
        goto cleanup;
    }
    cs = cell_space(s, fixed, d);
    if (!cs) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (uint64_t c = 0; c < cells; c++) {
        pl_space *ccs = NULL;
        pl_scenario *csc = NULL;
        pl__fb *sub = NULL;
        pl_frontier *f = NULL;
        if (pl_space_copy(cs, &ccs, NULL) < 0 || pl_scenario_new(ccs, &csc, NULL) < 0) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        for (size_t k = 0; k < np && rc == 0; k++) {
            rc = cell_party(csc, sc, parties[k], fixed, cell, d);
        }
        if (rc == 0) {
            sub = pl__fb_new(np, ni, o->outcomes_per_point ? o->outcomes_per_point : 1, UINT64_MAX);
            rc = sub ? pl__pareto_merge(csc, idx, np, o, sub, d) : PL_ENOMEM;
        }
        if (rc == 0) {
            rc = pl__fb_finish(sub, PL_PARETO_MERGE, 1, o->max_points, idx, &f, d);
        }
        /* The cell's points, with its values put back, go to the caller's builder. */
        for (size_t p = 0; rc == 0 && f && p < f->n; p++) {
            uint64_t stored = 0;
            for (size_t j = f->ooff[p]; j < f->ooff[p + 1] && rc == 0; j++, stored++) {
                const uint32_t *src = f->outcomes + j * ni;
                for (size_t i = 0; i < ni; i++) {
                    out[i] = fixed[i] ? cell[i] : src[i];
                }
                rc = pl__fb_add(fb, f->u + p * np, out, 1);
            }
            if (rc == 0 && f->total[p] > stored) {
                rc = pl__fb_add(fb, f->u + p * np, NULL, f->total[p] - stored);
            }
        }
        pl_frontier_free(f);
        pl__fb_free(sub);
        pl_scenario_free(csc);
        if (rc < 0) {
            if (rc == PL_ENOMEM && d && !d->message[0]) {
                pl__diag_set(d, rc, NULL, 0, 0, "out of memory");
            }
            goto cleanup;
        }
        /* Next cell: an odometer over the red-line issues, the last varying fastest (lexicographic order). */
        for (size_t i = ni; i-- > 0;) {
            if (!fixed[i]) {
                continue;
            }
            if (++cell[i] < pl_space_value_count(s, i)) {
                break;
            }
            cell[i] = 0;
        }
    }
cleanup:
    pl_space_free(cs);
    pl__free(fixed);
    pl__free(cell);
    pl__free(out);
    pl__free(idx);
    return rc;
}
