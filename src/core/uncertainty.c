/* Uncertain parameters and sampled models (parley/uncertainty.h). Each model's draws come from a counter-based
 * stream: draw j of model i of stream seed is splitmix64(seed, i, j), so a model does not depend on which thread
 * draws it or on the models before it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "core/ufun_internal.h"
#include "parley/uncertainty.h"

struct pl_uncertainty {
    const pl_scenario *sc;
    pl_unc_param *p;
    size_t n, cap;
};

int pl_uncertainty_new(const pl_scenario *sc, pl_uncertainty **out, pl_diag *d)
{
    *out = pl__calloc(1, sizeof **out);
    if (!*out) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    (*out)->sc = sc;
    return 0;
}

void pl_uncertainty_free(pl_uncertainty *u)
{
    if (u) {
        pl__free(u->p);
        pl__free(u);
    }
}

int pl_uncertainty_add(pl_uncertainty *u, const pl_unc_param *p, pl_diag *d)
{
    const pl_space *s = pl_scenario_space(u->sc);
    if (p->party >= pl_scenario_party_count(u->sc)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "uncertainty: no party %zu", p->party);
    }
    if (pl_scenario_ufun(u->sc, p->party)->kind != PL_UFUN_LINEAR && p->kind != PL_UNC_RESERVATION) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "uncertainty: party \"%s\" is not linear additive",
                            pl_scenario_party_name(u->sc, p->party));
    }
    if (p->kind != PL_UNC_RESERVATION && p->issue >= pl_space_issue_count(s)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "uncertainty: no issue %zu", p->issue);
    }
    if (p->kind == PL_UNC_VALUE && p->value >= pl_space_value_count(s, p->issue)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "uncertainty: issue \"%s\" has no option %u",
                            pl_space_issue_name(s, p->issue), p->value);
    }
    if (p->kind > PL_UNC_VALUE || !(p->lo >= 0 && p->lo <= p->hi && p->hi <= 1)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "uncertainty: a range must be [lo, hi] with 0 <= lo <= hi <= 1");
    }
    for (size_t j = 0; j < u->n; j++) {
        const pl_unc_param *q = &u->p[j];
        if (q->kind == p->kind && q->party == p->party &&
            (p->kind == PL_UNC_RESERVATION || (q->issue == p->issue && (p->kind == PL_UNC_WEIGHT || q->value == p->value)))) {
            return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "uncertainty: a parameter is given twice");
        }
    }
    if (u->n == u->cap) {
        size_t cap = u->cap ? 2 * u->cap : 16;
        pl_unc_param *t = pl__realloc(u->p, cap * sizeof *t);
        if (!t) {
            return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        }
        u->p = t;
        u->cap = cap;
    }
    u->p[u->n++] = *p;
    return 0;
}

size_t pl_uncertainty_count(const pl_uncertainty *u)
{
    return u->n;
}

const pl_scenario *pl_uncertainty_scenario(const pl_uncertainty *u)
{
    return u->sc;
}

const pl_unc_param *pl_uncertainty_param(const pl_uncertainty *u, size_t j)
{
    return j < u->n ? &u->p[j] : NULL;
}

char *pl_uncertainty_param_name(const pl_uncertainty *u, size_t j, char *buf, size_t size)
{
    if (size == 0) {
        return buf;
    }
    buf[0] = '\0';
    if (j >= u->n) {
        return buf;
    }
    const pl_unc_param *p = &u->p[j];
    const pl_space *s = pl_scenario_space(u->sc);
    const char *party = pl_scenario_party_name(u->sc, p->party);
    char lab[64];
    if (p->kind == PL_UNC_RESERVATION) {
        snprintf(buf, size, "%s reservation", party);
    } else if (p->kind == PL_UNC_WEIGHT) {
        snprintf(buf, size, "%s weight %s", party, pl_space_issue_name(s, p->issue));
    } else {
        snprintf(buf, size, "%s value %s=%s", party, pl_space_issue_name(s, p->issue),
                 pl_space_value_label(s, p->issue, p->value, lab, sizeof lab));
    }
    return buf;
}

/* splitmix64 of a counter (Steele, Lea & Flood 2014): a uniform double in [0, 1) for (seed, index, j). */
static double draw(uint64_t seed, uint64_t index, uint64_t j)
{
    uint64_t z = seed * 0x9E3779B97F4A7C15ull ^ (index + 1) * 0xBF58476D1CE4E5B9ull ^ (j + 1) * 0x94D049BB133111EBull;
    for (int r = 0; r < 2; r++) {
        z += 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
    }
    return (double)(z >> 11) * 0x1.0p-53;
}

int pl_uncertainty_sample(const pl_uncertainty *u, uint64_t seed, uint64_t index, double *draws, pl_scenario **out,
                          pl_diag *d)
{
    *out = NULL;
    const pl_scenario *sc = u->sc;
    const pl_space *s0 = pl_scenario_space(sc);
    size_t np = pl_scenario_party_count(sc), ni = pl_space_issue_count(s0);
    pl_space *s = NULL;
    pl_scenario *ns = NULL;
    int rc = pl_space_copy(s0, &s, d);
    if (rc < 0) {
        return rc;
    }
    if ((rc = pl_scenario_new(s, &ns, d)) < 0) {
        return rc;
    }
    double *table = NULL;
    size_t maxv = 1;
    for (size_t i = 0; i < ni; i++) {
        maxv = pl_space_value_count(s0, i) > maxv ? pl_space_value_count(s0, i) : maxv;
    }
    table = pl__malloc(maxv * sizeof *table);
    if (!table || pl_scenario_set_name(ns, pl_scenario_name(sc)) < 0) {
        rc = PL_ENOMEM;
        goto fail;
    }
    for (size_t i = 0; i < ni; i++) {
        uint32_t sq = pl_scenario_status_quo(sc, i);
        if (sq != PL_NO_VALUE && pl_scenario_set_status_quo(ns, i, sq) < 0) {
            rc = PL_ENOMEM;
            goto fail;
        }
    }
    for (size_t k = 0; k < np; k++) {
        const pl_ufun *f0 = pl_scenario_ufun(sc, k);
        pl_ufun *f = pl_ufun_copy(f0, s);
        if (!f) {
            rc = PL_ENOMEM;
            goto fail;
        }
        double sum0 = 0, sum = 0;
        for (size_t i = 0; f0->kind == PL_UFUN_LINEAR && i < ni; i++) {
            sum0 += pl_ufun_linear_weight(f0, i);
        }
        for (size_t j = 0; j < u->n; j++) {
            const pl_unc_param *p = &u->p[j];
            double x = p->lo + (p->hi - p->lo) * draw(seed, index, j);
            if (draws) {
                draws[j] = x;
            }
            if (p->party != k) {
                continue;
            }
            if (p->kind == PL_UNC_RESERVATION) {
                pl_ufun_set_reservation(f, x);
            } else if (p->kind == PL_UNC_WEIGHT) {
                pl_ufun_linear_set_weight(f, p->issue, x);
            } else {
                uint32_t nv = pl_space_value_count(s0, p->issue);
                for (uint32_t v = 0; v < nv; v++) {
                    table[v] = pl_ufun_linear_value(f, p->issue, v);
                }
                table[p->value] = x;
                pl_ufun_linear_set_table(f, p->issue, table);
            }
        }
        for (size_t i = 0; f0->kind == PL_UFUN_LINEAR && i < ni; i++) {
            sum += pl_ufun_linear_weight(f, i);
        }
        if (f0->kind == PL_UFUN_LINEAR && sum > 0 && sum0 > 0) {
            for (size_t i = 0; i < ni; i++) {
                pl_ufun_linear_set_weight(f, i, pl_ufun_linear_weight(f, i) * sum0 / sum);
            }
        }
        if ((rc = pl_scenario_add_party(ns, pl_scenario_party_name(sc, k), f, d)) < 0) {
            goto fail;
        }
    }
    pl__free(table);
    *out = ns;
    return 0;
fail:
    pl__free(table);
    pl_scenario_free(ns);
    return rc == PL_ENOMEM ? pl__diag_set(d, rc, NULL, 0, 0, "out of memory") : rc;
}
