/* Outcome spaces: issues with their values, and outcomes as one value index per issue.
 * Invariant: every issue has at least one value; an outcome o is valid when o[i] < pl_space_value_count(s, i).
 * Enumerable spaces (count < 2^63) also have a dense 64-bit index in mixed radix, the last issue varying fastest. */
#ifndef PARLEY_SPACE_H
#define PARLEY_SPACE_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"

typedef enum pl_issue_kind {
    PL_ISSUE_DISCRETE = 0, /* named values */
    PL_ISSUE_INTEGER = 1,  /* lower, lower+step, ..., upper */
    PL_ISSUE_REAL = 2      /* lower..upper discretised into `levels` equally spaced values, both ends included */
} pl_issue_kind;

/* Default number of levels a real issue is discretised into when a file does not say (both bounds included). */
#define PL_REAL_LEVELS_DEFAULT 11
/* Most values one issue may have (tables are built per value). */
#define PL_ISSUE_VALUES_MAX (1u << 20)
/* Most issues a space may have. */
#define PL_ISSUES_MAX 4096

typedef struct pl_space pl_space;

/* A new empty space into *out, which the caller owns (pl_space_free). *out is NULL on failure.
 * Errors: PL_EINVAL (out NULL), PL_ENOMEM. Detail in d (may be NULL). */
PL_API int pl_space_new(pl_space **out, pl_diag *d);
/* NULL-safe. */
PL_API void pl_space_free(pl_space *s);
/* Deep copy of s into *out, which the caller owns; *out is NULL on failure. Errors: PL_EINVAL, PL_ENOMEM. */
PL_API int pl_space_copy(const pl_space *s, pl_space **out, pl_diag *d);

/* Add issues. Names must be unique and non-empty; discrete labels unique and non-empty. Errors: PL_EINVAL (bad
 * argument, duplicate name), PL_ERANGE (too many values or issues), PL_ENOMEM. Detail in d (may be NULL). */
PL_API int pl_space_add_discrete(pl_space *s, const char *name, size_t n_values, const char *const *labels, pl_diag *d);
PL_API int pl_space_add_integer(pl_space *s, const char *name, int64_t lower, int64_t upper, int64_t step, pl_diag *d);
PL_API int pl_space_add_real(pl_space *s, const char *name, double lower, double upper, uint32_t levels, pl_diag *d);

PL_API size_t pl_space_issue_count(const pl_space *s);
PL_API const char *pl_space_issue_name(const pl_space *s, size_t issue);
PL_API pl_issue_kind pl_space_issue_kind(const pl_space *s, size_t issue);
PL_API uint32_t pl_space_value_count(const pl_space *s, size_t issue);
/* Integer issues: lower, upper, step. Real: lower, upper (step = 0). Discrete: all 0. */
PL_API void pl_space_issue_range(const pl_space *s, size_t issue, double *lower, double *upper, double *step);
/* Real issues: number of levels; others: value count. */
PL_API uint32_t pl_space_issue_levels(const pl_space *s, size_t issue);

/* Index of the issue named `name`, or -1. O(issues). */
PL_API long pl_space_find_issue(const pl_space *s, const char *name);
/* Index of the value of `issue` written `label` (a discrete label; a number for integer/real issues, which must be
 * one of the issue's values), or -1. */
PL_API long pl_space_find_value(const pl_space *s, size_t issue, const char *label);
/* The numeric value of a value index (integer/real issues); the index itself for discrete issues. */
PL_API double pl_space_value_number(const pl_space *s, size_t issue, uint32_t value);
/* The label of a value: the discrete label, or the number formatted so that it parses back exactly. Writes at most
 * size bytes (NUL included) into buf and returns buf. For discrete issues the label is also returned by
 * pl_space_value_label_ref without copying. */
PL_API char *pl_space_value_label(const pl_space *s, size_t issue, uint32_t value, char *buf, size_t size);
PL_API const char *pl_space_value_label_ref(const pl_space *s, size_t issue, uint32_t value);

/* Number of outcomes. Returns 0 and sets *count when the space is enumerable (fewer than 2^63 outcomes),
 * PL_ERANGE when it is too large (count untouched). log10 of the size is always available. */
PL_API int pl_space_outcome_count(const pl_space *s, uint64_t *count);
PL_API double pl_space_log10_size(const pl_space *s);

/* Dense index <-> outcome (mixed radix, last issue fastest). PL_ERANGE if the space is not enumerable or the
 * index/outcome is out of range. O(issues). */
PL_API int pl_space_outcome_index(const pl_space *s, const uint32_t *outcome, uint64_t *index);
PL_API int pl_space_outcome_at(const pl_space *s, uint64_t index, uint32_t *outcome);

/* 1 when every o[i] is in range. */
PL_API int pl_space_outcome_valid(const pl_space *s, const uint32_t *outcome);

/* Parse "issue=value,issue=value,..." (every issue exactly once; labels may themselves contain commas) into
 * outcome[issue count]. Errors: PL_EPARSE / PL_ENOTFOUND with detail in d. */
PL_API int pl_space_parse_outcome(const pl_space *s, const char *text, uint32_t *outcome, pl_diag *d);

/* 1 when both spaces have the same issues (names, kinds, values) in the same order. */
PL_API int pl_space_equal(const pl_space *a, const pl_space *b);

#endif
