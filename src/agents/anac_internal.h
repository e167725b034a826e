/* Shared by the ANAC agents (anac_*.c; docs/agents.md, "ANAC agents"): what they all keep about the opponent's offers
 * (count, mean and variance of their utility for the agent, the best and the last one), a bounded search of the sorted
 * outcome list for the bid an opponent model likes best, and the agent types. Not installed. */
#ifndef PL_ANAC_INTERNAL_H
#define PL_ANAC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "agents/agents_internal.h"
#include "agents/boa_internal.h"

/* The opponent's offers as the agent sees them (utilities are the agent's own, undiscounted). */
typedef struct pl__anac_hist {
    size_t ni;
    uint64_t n;           /* offers received */
    double sum, sum2;     /* of their utilities */
    double first_u;       /* utility of the first offer */
    double last_u, prev_u;/* of the last and the one before (prev_u = last_u after one offer) */
    double best_u;        /* the best offer so far (-1 before any) */
    uint32_t *last, *best;/* ni values each */
} pl__anac_hist;

int pl__anac_hist_init(pl__anac_hist *h, size_t ni, pl_diag *d);
void pl__anac_hist_destroy(pl__anac_hist *h);
void pl__anac_hist_add(pl__anac_hist *h, const uint32_t *offer, double u);
double pl__anac_hist_mean(const pl__anac_hist *h);
/* Population variance, never negative. */
double pl__anac_hist_var(const pl__anac_hist *h);

/* pl__freq_eval without the calls (the hot loop of the bid searches). */
static inline double pl__anac_freq_eval(const pl__freq_model *m, size_t party, const uint32_t *outcome)
{
    const double *w = m->w + party * m->ni, *maxc = m->maxc + party * m->ni;
    const double *count = m->count + party * m->offset[m->ni];
    double s = 0;
    for (size_t i = 0; i < m->ni; i++) {
        if (maxc[i] > 0) {
            s += w[i] * count[m->offset[i] + outcome[i]] / maxc[i];
        }
    }
    return s;
}

/* The scalable Bayesian opponent model (anac_bayes.c; Hindriks & Tykhonov 2008). */
typedef struct pl__bayes_model {
    size_t ni;
    double drop, sigma;  /* the assumed concession curve 1 - drop * t and its noise */
    size_t *offset;      /* ni + 1: issue i's values are slots [offset[i], offset[i + 1]) */
    size_t *soff;        /* ni + 1: issue i's shape hypotheses (one per peak; at most 32) */
    double *ps;          /* shape probabilities */
    double *pw;          /* ni x 10 weight-level probabilities */
    double *ev;          /* expected evaluation per (issue, value) */
    double *ew;          /* expected weights, normalised to sum 1 */
    double *lik;         /* scratch */
} pl__bayes_model;

/* Uniform priors over sp. PL_ENOMEM. Destroy with pl__bayes_destroy (also after a failed init). */
int pl__bayes_init(pl__bayes_model *m, const pl_space *sp, double drop, double sigma, pl_diag *d);
void pl__bayes_destroy(pl__bayes_model *m);
/* Bayes' rule for one offer made at time t. O(sum of values x peaks + issues x 10). */
void pl__bayes_update(pl__bayes_model *m, const uint32_t *offer, double t);
/* Recompute the expectations from the probabilities (update does it). */
void pl__bayes_refresh(pl__bayes_model *m);
/* Estimated opponent utility: sum of expected weight x expected evaluation. O(issues). */
double pl__bayes_eval(const pl__bayes_model *m, const uint32_t *outcome);

/* Among ranks [lo, hi) of the sorted list (at most max_scan of them, starting at lo), the rank whose outcome the
 * frequency model m rates best for party (ties: the better rank for the agent, i.e. the lower rank). tmp: ni values.
 * Returns lo when the range is empty. */
size_t pl__anac_best_for_opponent(const pl_sorted *s, const pl__freq_model *m, size_t party, size_t lo, size_t hi,
                                  size_t max_scan, uint32_t *tmp);

/* The agents' rules, for their tests (see each file's comment). */
/* HardHeaded's concession limit at time t; dthr: the discount factor below which the curve is compressed (0.9). */
double pl__hardheaded_limit(double t, double best, double discount, double ka, double e, double minu, double dthr);
/* Agent K's target for exponent x, the estimated best opponent offer emax and the spread dev. */
double pl__agentk_target(double t, double x, double emax, double dev);
/* Yushu's target: from best towards b (the opponent's best offer, or the floor) as t^k. */
double pl__yushu_target(double best, double b, double t, double k);
/* Nice Tit for Tat's target: the opponent's concession in its own (modelled) utility, from its first offer towards
 * its utility at the Nash point, mirrored from the agent's best utility towards its Nash utility. */
double pl__nicetft_target(double best, double nash, double opp_first, double opp_last, double opp_nash,
                          uint64_t offers);

/* The agent types. */
extern const pl_agent_type pl__agent_hardheaded, pl__agent_agentk, pl__agent_agentk2, pl__agent_nicetitfortat,
    pl__agent_yushu;

#endif
