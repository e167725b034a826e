/* A scalable Bayesian opponent model after Hindriks & Tykhonov (2008, "Opponent modelling in automated multi-issue
 * negotiation using Bayesian learning", AAMAS): per issue, independent hypotheses about the opponent's weight (levels
 * 1/W .. 1) and about the shape of its evaluation over the issue's values in their listed order (a triangle peaking at
 * each value, or at 32 values spread evenly: the first and last peaks are the "downhill" and "uphill" lines; an issue of
 * more than 4,096 values keeps a flat evaluation). Each offer updates them by Bayes' rule,
 * assuming the opponent's offers follow a concession curve u_pred(t) = 1 - drop * t with Gaussian noise sigma: the
 * likelihood of a hypothesis is that of the offer's utility under it, the other issues held at their expectations.
 * Memory is per issue x (values + peaks + W), never per outcome. */
#include <math.h>
#include <string.h>

#include "agents/anac_internal.h"
#include "core/internal.h"

#define BM_LEVELS 10
#define BM_PEAKS 32          /* at most this many shape hypotheses (peaks spread evenly over the values) per issue */
#define BM_MAX_VALUES 4096   /* issues with more values keep a flat evaluation (0.5): refreshing costs values x peaks */

/* Number of peaks of an issue with nv values, and the value index of peak c. */
static size_t n_peaks(size_t nv)
{
    return nv > BM_MAX_VALUES ? 0 : nv < BM_PEAKS ? nv : BM_PEAKS;
}

static size_t peak_at(size_t nv, size_t np, size_t c)
{
    return np < 2 ? 0 : (size_t)((double)c * (double)(nv - 1) / (double)(np - 1) + 0.5);
}

int pl__bayes_init(pl__bayes_model *m, const pl_space *sp, double drop, double sigma, pl_diag *d)
{
    memset(m, 0, sizeof *m);
    size_t ni = pl_space_issue_count(sp);
    m->ni = ni;
    m->drop = drop;
    m->sigma = sigma;
    m->offset = pl__calloc(ni + 1, sizeof *m->offset);
    m->soff = pl__calloc(ni + 1, sizeof *m->soff);
    if (!m->offset || !m->soff) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < ni; i++) {
        size_t nv = pl_space_value_count(sp, i);
        m->offset[i + 1] = m->offset[i] + nv;
        m->soff[i + 1] = m->soff[i] + n_peaks(nv);
    }
    m->ps = pl__calloc(m->soff[ni] + 1, sizeof *m->ps);
    m->pw = pl__calloc(ni * BM_LEVELS + 1, sizeof *m->pw);
    m->ev = pl__calloc(m->offset[ni] + 1, sizeof *m->ev);
    m->ew = pl__calloc(ni + 1, sizeof *m->ew);
    m->lik = pl__calloc((BM_PEAKS > BM_LEVELS ? BM_PEAKS : BM_LEVELS) + 1, sizeof *m->lik);
    if (!m->ps || !m->pw || !m->ev || !m->ew || !m->lik) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < ni; i++) {
        size_t np = m->soff[i + 1] - m->soff[i];
        for (size_t c = 0; c < np; c++) {
            m->ps[m->soff[i] + c] = 1.0 / (double)np;
        }
        for (size_t l = 0; l < BM_LEVELS; l++) {
            m->pw[i * BM_LEVELS + l] = 1.0 / BM_LEVELS;
        }
    }
    pl__bayes_refresh(m);
    return 0;
}

void pl__bayes_destroy(pl__bayes_model *m)
{
    pl__free(m->offset);
    pl__free(m->soff);
    pl__free(m->ps);
    pl__free(m->pw);
    pl__free(m->ev);
    pl__free(m->ew);
    pl__free(m->lik);
    memset(m, 0, sizeof *m);
}

/* Value x of an issue with nv values under the triangle peaking at c. */
static double tri(size_t nv, size_t c, size_t x)
{
    if (nv < 2) {
        return 1.0;
    }
    size_t span = c > nv - 1 - c ? c : nv - 1 - c;
    double dist = x > c ? (double)(x - c) : (double)(c - x);
    return 1.0 - dist / (double)span;
}

void pl__bayes_refresh(pl__bayes_model *m)
{
    double wsum = 0;
    for (size_t i = 0; i < m->ni; i++) {
        size_t nv = m->offset[i + 1] - m->offset[i], np = m->soff[i + 1] - m->soff[i];
        for (size_t x = 0; x < nv; x++) {
            double e = np ? 0 : 0.5;
            for (size_t c = 0; c < np; c++) {
                e += m->ps[m->soff[i] + c] * tri(nv, peak_at(nv, np, c), x);
            }
            m->ev[m->offset[i] + x] = e;
        }
        double w = 0;
        for (size_t l = 0; l < BM_LEVELS; l++) {
            w += m->pw[i * BM_LEVELS + l] * (double)(l + 1) / BM_LEVELS;
        }
        m->ew[i] = w;
        wsum += w;
    }
    for (size_t i = 0; i < m->ni; i++) {
        m->ew[i] = wsum > 0 ? m->ew[i] / wsum : 1.0 / (double)m->ni;
    }
}

static double gauss(double x, double sigma)
{
    return exp(-x * x / (2 * sigma * sigma));
}

void pl__bayes_update(pl__bayes_model *m, const uint32_t *offer, double t)
{
    double pred = 1 - m->drop * t;
    double total = 0;
    for (size_t i = 0; i < m->ni; i++) {
        total += m->ew[i] * m->ev[m->offset[i] + offer[i]];
    }
    for (size_t i = 0; i < m->ni; i++) {
        size_t nv = m->offset[i + 1] - m->offset[i], np = m->soff[i + 1] - m->soff[i];
        double rest = total - m->ew[i] * m->ev[m->offset[i] + offer[i]];
        /* Shapes: this issue's evaluation varies, its weight at its expectation. */
        double z = 0;
        for (size_t c = 0; c < np; c++) {
            double v = tri(nv, peak_at(nv, np, c), offer[i]);
            double p = m->ps[m->soff[i] + c] * gauss(rest + m->ew[i] * v - pred, m->sigma);
            m->lik[c] = p;
            z += p;
        }
        if (z > 1e-300) {
            for (size_t c = 0; c < np; c++) {
                m->ps[m->soff[i] + c] = m->lik[c] / z;
            }
        }
        /* Weights: this issue's weight varies (the others' shares scaled to make room), its evaluation at its
         * expectation. */
        z = 0;
        for (size_t l = 0; l < BM_LEVELS; l++) {
            double w = (double)(l + 1) / BM_LEVELS;
            double others = 1 - m->ew[i];
            double u = (others > 0 ? rest * (1 - w) / others : 0) + w * m->ev[m->offset[i] + offer[i]];
            double p = m->pw[i * BM_LEVELS + l] * gauss(u - pred, m->sigma);
            m->lik[l] = p;
            z += p;
        }
        if (z > 1e-300) {
            for (size_t l = 0; l < BM_LEVELS; l++) {
                m->pw[i * BM_LEVELS + l] = m->lik[l] / z;
            }
        }
    }
    pl__bayes_refresh(m);
}

double pl__bayes_eval(const pl__bayes_model *m, const uint32_t *outcome)
{
    double s = 0;
    for (size_t i = 0; i < m->ni; i++) {
        s += m->ew[i] * m->ev[m->offset[i] + outcome[i]];
    }
    return s;
}
