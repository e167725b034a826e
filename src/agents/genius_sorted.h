/* GENIUS 10.4's SortedOutcomeSpace, reproduced: every outcome of a party's space in GENIUS's order (descending
 * undiscounted utility, ties by the signed 32-bit BidDetails hash code, then by GENIUS's enumeration order, first issue
 * fastest), and its getBidNearUtility search with GENIUS's quirks. Used by the genius-* agents (docs/genius.md).
 * Not installed. */
#ifndef PL_GENIUS_SORTED_H
#define PL_GENIUS_SORTED_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/space.h"
#include "parley/ufun.h"

/* Most outcomes a GENIUS-ordered list may hold (GENIUS itself materialises every outcome as Java objects). */
#define PL_GENIUS_MAX_OUTCOMES 10000000u

typedef struct pl__gsorted {
    size_t n, ni;
    double *u;       /* n utilities, in GENIUS's order (descending) */
    uint32_t *index; /* n enumeration indices (mixed radix, first issue fastest), in GENIUS's order */
    uint32_t *radix; /* ni value counts */
} pl__gsorted;

/* Enumerate and sort the outcomes of s by u. *out belongs to the caller (pl__gsorted_free).
 * Errors: PL_ERANGE (more than PL_GENIUS_MAX_OUTCOMES outcomes), PL_ENOMEM. O(n log n + n * issues). */
int pl__gsorted_build(const pl_space *s, const pl_ufun *u, pl__gsorted **out, pl_diag *d);
void pl__gsorted_free(pl__gsorted *g); /* NULL-safe */
/* The outcome at rank k (0 = best). O(issues). */
void pl__gsorted_outcome(const pl__gsorted *g, size_t rank, uint32_t *outcome);
/* The rank GENIUS's SortedOutcomeSpace.getIndexOfBidNearUtility returns for target (docs/genius.md). O(log n). */
size_t pl__gsorted_near(const double *u, size_t n, double target);

/* Java hash codes, as GENIUS computes them (wrapping 32-bit arithmetic). */
/* String.hashCode of a UTF-8 string, over its UTF-16 code units (malformed bytes count as U+FFFD). */
int32_t pl__java_string_hash(const char *utf8);
/* (int)(bits ^ (bits >>> 32)) of Double.doubleToLongBits(x): Double.hashCode. */
int32_t pl__java_double_hash(double x);
/* The hash GENIUS gives a value: String.hashCode of a discrete label, 0 for an integer (ValueInteger). GENIUS hashes a
 * real value by object identity, which no run can reproduce; parley uses Double.hashCode of the number instead. */
int32_t pl__genius_value_hash(const pl_space *s, size_t issue, uint32_t value);
/* BidDetails.hashCode for a bid hash (the wrapping sum of its values' hashes), its utility and its time (-1 for
 * outcome-space entries). */
int32_t pl__genius_bid_details_hash(int32_t bid_hash, double utility, double time);

#endif
