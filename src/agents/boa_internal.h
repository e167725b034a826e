/* The BOA agent's parts shared between its files and its unit test: the frequency opponent model (boa_model.c) and
 * read access to a running agent's model (boa.c). Not installed. */
#ifndef PL_BOA_INTERNAL_H
#define PL_BOA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/space.h"

/* A frequency opponent model per party (HardHeaded style; van Krimpen, Looije & Hajizadeh 2013). Memory is per
 * party x (issues + values), never per outcome. Invariant for a party with offers: its weights sum to 1. */
typedef struct pl__freq_model {
    size_t ni, np;
    double learning;  /* added to the weight of every issue left unchanged between consecutive offers */
    size_t *offset;   /* ni + 1: issue i's values are slots [offset[i], offset[i + 1]) of a party's counts */
    double *w;        /* np * ni issue weights */
    double *count;    /* np * offset[ni] times each value was offered */
    double *maxc;     /* np * ni largest count on each issue */
    uint32_t *last;   /* np * ni the party's previous offer */
    uint64_t *offers; /* np offers seen per party */
} pl__freq_model;

/* Zeroed model for np parties over sp (weights 1/issues). PL_ENOMEM. Destroy with pl__freq_destroy (also after a
 * failed init; a zeroed struct is fine). */
int pl__freq_init(pl__freq_model *m, const pl_space *sp, size_t np, double learning, pl_diag *d);
void pl__freq_destroy(pl__freq_model *m);
/* Record an offer of party: count its values; from the party's second offer on, add the learning rate to the
 * weight of each issue whose value is unchanged, then renormalise the weights to sum 1. O(issues), no allocation. */
void pl__freq_update(pl__freq_model *m, size_t party, const uint32_t *offer);
uint64_t pl__freq_offers(const pl__freq_model *m, size_t party);
double pl__freq_weight(const pl__freq_model *m, size_t party, size_t issue);
/* count(value) / max count on the issue (0 before any offer). */
double pl__freq_value(const pl__freq_model *m, size_t party, size_t issue, uint32_t value);
/* Estimated utility of outcome for party: sum over issues of weight * value estimate. O(issues). */
double pl__freq_eval(const pl__freq_model *m, size_t party, const uint32_t *outcome);

/* The frequency model of a running boa agent (self from its start), or NULL when it uses model=none. For tests. */
const pl__freq_model *pl__boa_model(const void *self);

#endif
