/* Uncertain models: ranges on a scenario's parameters (a party's reservation value, the weight of an issue, the
 * value of an option), drawn uniformly to make sampled scenarios, and what the predicted deal does across them.
 * In parley JSON a party carries them as "uncertainty": {"reservation": [lo, hi], "weights": {issue: [lo, hi]},
 * "values": {issue: {option: [lo, hi]}}} (docs/formats.md). Weights are renormalised after sampling so that they
 * keep the party's original sum. Linear additive parties only. */
#ifndef PARLEY_UNCERTAINTY_H
#define PARLEY_UNCERTAINTY_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/export.h"
#include "parley/scenario.h"

typedef enum pl_unc_kind {
    PL_UNC_RESERVATION = 0,
    PL_UNC_WEIGHT = 1,
    PL_UNC_VALUE = 2
} pl_unc_kind;

/* One uncertain parameter: party's reservation value, weight of issue, or value of option `value` of issue. */
typedef struct pl_unc_param {
    pl_unc_kind kind;
    size_t party, issue;
    uint32_t value;
    double lo, hi; /* 0 <= lo <= hi <= 1 */
} pl_unc_param;

typedef struct pl_uncertainty pl_uncertainty;

/* No ranges yet, for scenario sc (which must outlive it). Errors: PL_ENOMEM. */
PL_API int pl_uncertainty_new(const pl_scenario *sc, pl_uncertainty **out, pl_diag *d);
PL_API void pl_uncertainty_free(pl_uncertainty *u); /* NULL-safe */
/* Add a range (copied). PL_EINVAL with detail: bad party, issue or option, a party that is not linear additive, a
 * range outside [0, 1] or with lo > hi, or a parameter given twice. */
PL_API int pl_uncertainty_add(pl_uncertainty *u, const pl_unc_param *p, pl_diag *d);
PL_API size_t pl_uncertainty_count(const pl_uncertainty *u);
/* The scenario the ranges belong to. */
PL_API const pl_scenario *pl_uncertainty_scenario(const pl_uncertainty *u);
PL_API const pl_unc_param *pl_uncertainty_param(const pl_uncertainty *u, size_t j);
/* "russia reservation", "ukraine weight general_ceasefire", "russia value energy_strike_moratorium=30 days" into
 * buf (truncated to size). Returns buf. */
PL_API char *pl_uncertainty_param_name(const pl_uncertainty *u, size_t j, char *buf, size_t size);
/* Sampled model number `index` of the stream `seed`: every range drawn uniformly (the same draws for the same seed
 * and index, whatever else is drawn), weights renormalised. draws (count entries, may be NULL) gets the drawn
 * values. *out: a new scenario the caller frees. Errors: PL_ENOMEM. */
PL_API int pl_uncertainty_sample(const pl_uncertainty *u, uint64_t seed, uint64_t index, double *draws,
                                 pl_scenario **out, pl_diag *d);
/* The ranges written in a parley JSON scenario file (its parties' "uncertainty" keys) for sc, loaded from that file.
 * A file without any gives an empty set. Errors: PL_EIO, PL_EPARSE, PL_EINVAL (with the file and JSON path). */
PL_API int pl_uncertainty_load(const pl_scenario *sc, const char *path, pl_uncertainty **out, pl_diag *d);

/* ---- Robustness: the predicted deal across sampled models ---- */

typedef struct pl_robustness_options {
    size_t size;      /* sizeof the struct as the caller was compiled: set by pl_robustness_options_init */
    uint64_t samples; /* models drawn (default 1000) */
    uint64_t seed;    /* the stream (default 1) */
    unsigned jobs;    /* threads; 0 = one per online core. The result does not depend on it */
    int statuses;     /* 1: also each issue's report status in every model (parley/report.h), deciding which
                         options acceptable deals reach by one frontier per option left at its status quo (about
                         ten times the cost); 0 (default): agreed or not only */
} pl_robustness_options;

PL_API void pl_robustness_options_init_size(pl_robustness_options *o, size_t size);
#define pl_robustness_options_init(o) pl_robustness_options_init_size((o), sizeof *(o))

typedef struct pl_robustness pl_robustness;

/* Draw the models and, in each, predict the deal as pl_report_build does (the Nash point of the deals acceptable
 * to every party, by the exact frontier with red lines). Errors: PL_ENOMEM, the analysis's. *out: pl_robustness_free. */
PL_API int pl_robustness_run(const pl_uncertainty *u, const pl_robustness_options *opts, pl_robustness **out,
                             pl_diag *d);
PL_API void pl_robustness_free(pl_robustness *r); /* NULL-safe */
PL_API uint64_t pl_robustness_samples(const pl_robustness *r);
/* The ranges the models were drawn from (the u given to pl_robustness_run, which must outlive r). */
PL_API const pl_uncertainty *pl_robustness_uncertainty(const pl_robustness *r);
/* Models in which some deal is acceptable to every party. */
PL_API uint64_t pl_robustness_with_deal(const pl_robustness *r);
/* Models whose predicted deal gives issue `issue` option `value` (the status quo when there is no deal). */
PL_API uint64_t pl_robustness_value_count(const pl_robustness *r, size_t issue, uint32_t value);
/* Models whose predicted deal moves the issue off its status quo (agreed). */
PL_API uint64_t pl_robustness_agreed_count(const pl_robustness *r, size_t issue);
/* With opts.statuses: models in which the issue has report status st (pl_issue_status); else 0. */
PL_API uint64_t pl_robustness_status_count(const pl_robustness *r, size_t issue, int st);
/* With opts.statuses: the issue's status in model s (a pl_issue_status); else -1. */
PL_API int pl_robustness_status(const pl_robustness *r, uint64_t s, size_t issue);
/* Spearman's rank correlation across the models between parameter j's draws and whether the issue is agreed
 * (sens = 0) or the index of its predicted option (sens = 1); 0 when either does not vary. */
PL_API double pl_robustness_correlation(const pl_robustness *r, size_t issue, size_t j, int sens);
/* Spearman's rank correlation between parameter j's draws and whether the predicted option of the issue is `value`
 * (e.g. the option of a deal that really happened: which parameters move the model towards it); 0 when either does
 * not vary. */
PL_API double pl_robustness_correlation_option(const pl_robustness *r, size_t issue, size_t j, uint32_t value);
/* The drawn parameters of model s (pl_uncertainty_count entries) and its predicted outcome (one option per issue). */
PL_API const double *pl_robustness_draws(const pl_robustness *r, uint64_t s);
PL_API const uint32_t *pl_robustness_outcome(const pl_robustness *r, uint64_t s);

#endif
