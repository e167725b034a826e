/* The BOA agent's frequency opponent model, after the HardHeaded agent's model (van Krimpen, Looije & Hajizadeh 2013,
 * "HardHeaded", in Complex Automated Negotiations; used as "HardHeaded frequency model" by Baarslag et al. 2014):
 * issue weights grow when the opponent keeps an issue's value, value estimates are relative frequencies. */
#include <stdlib.h>
#include <string.h>

#include "agents/boa_internal.h"
#include "core/internal.h"

int pl__freq_init(pl__freq_model *m, const pl_space *sp, size_t np, double learning, pl_diag *d)
{
    memset(m, 0, sizeof *m);
    size_t ni = pl_space_issue_count(sp);
    m->ni = ni;
    m->np = np;
    m->learning = learning;
    m->offset = pl__calloc(ni + 1, sizeof *m->offset);
    if (!m->offset) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < ni; i++) {
        m->offset[i + 1] = m->offset[i] + pl_space_value_count(sp, i);
    }
    size_t nv = m->offset[ni];
    m->w = pl__malloc((np * ni + 1) * sizeof *m->w);
    m->count = pl__calloc(np * nv + 1, sizeof *m->count);
    m->maxc = pl__calloc(np * ni + 1, sizeof *m->maxc);
    m->last = pl__calloc(np * ni + 1, sizeof *m->last);
    m->offers = pl__calloc(np + 1, sizeof *m->offers);
    if (!m->w || !m->count || !m->maxc || !m->last || !m->offers) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < np * ni; k++) {
        m->w[k] = 1.0 / (double)ni;
    }
    return 0;
}

void pl__freq_destroy(pl__freq_model *m)
{
    pl__free(m->offset);
    pl__free(m->w);
    pl__free(m->count);
    pl__free(m->maxc);
    pl__free(m->last);
    pl__free(m->offers);
    memset(m, 0, sizeof *m);
}

void pl__freq_update(pl__freq_model *m, size_t party, const uint32_t *offer)
{
    size_t ni = m->ni;
    double *w = m->w + party * ni;
    double *count = m->count + party * m->offset[ni];
    double *maxc = m->maxc + party * ni;
    uint32_t *last = m->last + party * ni;
    if (m->offers[party] > 0) {
        double sum = 0;
        for (size_t i = 0; i < ni; i++) {
            if (offer[i] == last[i]) {
                w[i] += m->learning;
            }
            sum += w[i];
        }
        for (size_t i = 0; i < ni; i++) {
            w[i] /= sum;
        }
    }
    for (size_t i = 0; i < ni; i++) {
        double c = ++count[m->offset[i] + offer[i]];
        maxc[i] = c > maxc[i] ? c : maxc[i];
        last[i] = offer[i];
    }
    m->offers[party]++;
}

uint64_t pl__freq_offers(const pl__freq_model *m, size_t party)
{
    return m->offers[party];
}

double pl__freq_weight(const pl__freq_model *m, size_t party, size_t issue)
{
    return m->w[party * m->ni + issue];
}

double pl__freq_value(const pl__freq_model *m, size_t party, size_t issue, uint32_t value)
{
    double mx = m->maxc[party * m->ni + issue];
    return mx > 0 ? m->count[party * m->offset[m->ni] + m->offset[issue] + value] / mx : 0.0;
}

double pl__freq_eval(const pl__freq_model *m, size_t party, const uint32_t *outcome)
{
    double s = 0;
    for (size_t i = 0; i < m->ni; i++) {
        s += pl__freq_weight(m, party, i) * pl__freq_value(m, party, i, outcome[i]);
    }
    return s;
}
