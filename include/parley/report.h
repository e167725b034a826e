/* Agreements-and-divergences reports: for an agreement (given, or the Nash point of the acceptable deals that the
 * analysis predicts), each issue's status computed from the model alone. A party "wants an issue moved" when its
 * ideal options for it exclude the status quo. Then:
 *   agreed         the agreement moves the issue from its status quo (or the issue has none);
 *   divergent      left at the status quo while a party wants it moved and (a) some deal acceptable to all gives it
 *                  its ideal option (the gain was traded away), or (b) it demands the move in a red line (one of its
 *                  preconditions requires it), or (c) another party's red line refuses that move outright and no
 *                  acceptable deal moves the issue at all (non-negotiable);
 *   not reached    left at the status quo, a party wants it moved, no acceptable deal moves it, and none of (a)-(c):
 *                  what stops it are preconditions and reservation values, named by pl_report_blockers;
 *   not addressed  left at the status quo and neither of the above: nobody wants it moved, or acceptable deals move
 *                  it only to options no party holds ideal.
 * "Acceptable to every party" means individually rational: no red line broken, utility >= reservation value.
 * docs/ceasefire.md gives an example of each rule. */
#ifndef PARLEY_REPORT_H
#define PARLEY_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/scenario.h"

typedef enum pl_issue_status {
    PL_ISSUE_AGREED = 0,
    PL_ISSUE_DIVERGENT = 1,
    PL_ISSUE_NOT_REACHED = 2,
    PL_ISSUE_NOT_ADDRESSED = 3,
    PL_ISSUE_UNDETERMINED = 4, /* left at the status quo in a space too large to search (see enumerate_limit) */
    /* Former names (the rules changed with them: see above). */
    PL_ISSUE_CONTESTED = PL_ISSUE_DIVERGENT,
    PL_ISSUE_BLOCKED = PL_ISSUE_NOT_REACHED
} pl_issue_status;

/* "agreed", "divergent", "not reached", "not addressed", "undetermined": the words of every output. */
PL_API const char *pl_issue_status_name(pl_issue_status s);

typedef struct pl_report_options {
    size_t size; /* sizeof the struct as the caller was compiled: set by pl_report_options_init (docs/api.md) */
    uint64_t enumerate_limit; /* decide the statuses of issues left at the status quo by scanning spaces of at most this many outcomes (1e8) */
    unsigned threads;         /* scan threads; 0 = one per online core */
} pl_report_options;

/* Defaults, and o->size = sizeof *o. The macro passes the caller's sizeof, so the library writes only the fields the
 * caller was compiled with. */
PL_API void pl_report_options_init_size(pl_report_options *o, size_t size);
#define pl_report_options_init(o) pl_report_options_init_size((o), sizeof *(o))

typedef struct pl_report pl_report;

/* Build the report. agreement: an outcome, or NULL to use the analysis's prediction (the Nash point of the deals
 * acceptable to every party; when there is none, the status quo holds and pl_report_has_agreement says 0).
 * Cost: the analysis (when predicting), plus, when an issue is left at its status quo, one scan of the space
 * (O(N * (P * I + L)) for N outcomes, P parties, I issues, L red lines), on all cores.
 * Errors: PL_EINVAL (invalid outcome), PL_ENOMEM, and the analysis's errors. *out belongs to the caller. */
PL_API int pl_report_build(const pl_scenario *sc, const uint32_t *agreement, const pl_report_options *opts,
                           pl_report **out, pl_diag *d);
PL_API void pl_report_free(pl_report *r); /* NULL-safe */

/* 1 when the agreement was predicted by the analysis rather than given. */
PL_API int pl_report_predicted(const pl_report *r);
/* 1 when there is an agreement (given, or a predicted one); 0 when no deal is acceptable to every party. */
PL_API int pl_report_has_agreement(const pl_report *r);
/* The agreement (or, without one, the status quo, value 0 where an issue has none). */
PL_API const uint32_t *pl_report_agreement(const pl_report *r);
/* Outcomes acceptable to every party, when the space was scanned (0 and *count), else PL_ERANGE. */
PL_API int pl_report_acceptable_count(const pl_report *r, uint64_t *count);

PL_API pl_issue_status pl_report_status(const pl_report *r, size_t issue);
/* Party k's ideal options on an issue: the values maximising its utility on that issue alone (linear additive
 * parties; every value when the party is indifferent), or the issue's value in its best outcome (other kinds).
 * Returns the count; *values points into the report. */
PL_API size_t pl_report_ideals(const pl_report *r, size_t party, size_t issue, const uint32_t **values);
/* 1 when value is among party's ideal options for the issue. */
PL_API int pl_report_is_ideal(const pl_report *r, size_t party, size_t issue, uint32_t value);
/* 1 when some outcome acceptable to every party gives the issue this value, 0 when none does, -1 when unknown
 * (space not scanned). */
PL_API int pl_report_attainable(const pl_report *r, size_t issue, uint32_t value);
/* 1 when one of party's ideal options for the issue is attainable (pl_report_attainable), else 0. */
PL_API int pl_report_ideal_attainable(const pl_report *r, size_t party, size_t issue);

/* What blocks an issue: a red line of a party (red_line >= 0) or its reservation value (red_line = -1). */
typedef struct pl_report_blocker {
    size_t party;
    long red_line;
} pl_report_blocker;

/* The constraints broken by the outcomes that move a not-reached issue while breaking the fewest constraints (the
 * union over all such outcomes). Returns the count; *out points into the report. 0 for other statuses. */
PL_API size_t pl_report_blockers(const pl_report *r, size_t issue, const pl_report_blocker **out);
/* Every red line bearing on an issue, party by party: those forbidding options of it outright, the preconditions
 * requiring options of it, and the preconditions a move of it triggers (red_line always >= 0). Returns the count;
 * *out points into the report. */
PL_API size_t pl_report_red_lines(const pl_report *r, size_t issue, const pl_report_blocker **out);
/* For a precondition (party's red line "if X then Y in W"): another party's red line forbidding every option of W
 * outright, which refuses it. Returns that red line's index and sets *by to its party, or -1 when none does (or the
 * red line is not a precondition). */
PL_API long pl_report_refusal(const pl_report *r, size_t party, size_t red_line, size_t *by);

/* Reading a run's result back (pl_run_record, pl_run_record_load) and writing a report as JSON: parley/record.h. */

#endif
