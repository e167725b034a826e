/* parley's machine-readable records (docs/formats.md), written and read by the library so that the command line, a
 * language binding or a server produce and accept exactly the same text:
 *   - a session's result (`parley run --json`): pl_run_to_json, pl_run_save_json; read back by pl_run_read;
 *   - a session's trace (`parley run --trace`, JSON Lines, one action per line, no header or footer):
 *     pl_trace_action_to_json per action, or pl_trace_writer as a ready pl_session_options.on_action callback;
 *     read back by pl_trace_read, which hands each line to a callback as a pl_action_record;
 *   - an analysis (`parley analyze --json`): pl_analysis_to_json;
 *   - a report (`parley report --json`): pl_report_to_json;
 *   - a scenario's summary, evaluated outcomes and the agent list (`show`, `eval`, `agents --json`).
 * Writers return a NUL-terminated text ending in a newline in *out, allocated through the library's allocator: the
 * caller frees it with pl_free (parley/alloc.h). They fail with PL_ENOMEM, or PL_EINVAL when a name is not valid UTF-8. Readers read user files: every
 * malformed input is PL_EPARSE (syntax, types, missing keys) or PL_EINVAL (well-formed, but not a record of this
 * scenario: another name, party, issue or value), with the file, the line where known and the JSON path in d. */
#ifndef PARLEY_RECORD_H
#define PARLEY_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "parley/analysis.h"
#include "parley/error.h"
#include "parley/export.h"
#include "parley/names.h"
#include "parley/report.h"
#include "parley/whatif.h"
#include "parley/uncertainty.h"
#include "parley/scenario.h"
#include "parley/session.h"

/* Shortest decimal form of x that parses back to exactly x ("%.{1..17}g"); writes into buf (>= 32 bytes), returns
 * buf. The form every parley writer uses for numbers. */
PL_API char *pl_fmt_double(double x, char *buf, size_t size);

/* ---- A session's result ---- */

/* What a result records besides the scenario and the pl_session_result: how the session was run. The caller owns
 * the strings; pl_run_info_init fills everything from the session options except agents. */
typedef struct pl_run_info {
    pl_protocol protocol;
    const char *const *agents;         /* one agent spec per party, party order (pl_agent_spec_text) */
    uint64_t seed;
    uint64_t rounds;                   /* the round deadline; 0 = none (written as null) */
    double time_limit;                 /* seconds; <= 0 = none (written as null) */
    long mediator;                     /* single-text: the mediating party, or -1 for a neutral mediator */
    pl_mediator_order mediator_order;  /* single-text */
} pl_run_info;

/* Fill info from the options the session was run with (opts may be NULL: pl_session_options_init's defaults). */
PL_API void pl_run_info_init(pl_run_info *info, const pl_session_options *opts);
/* The result as `parley run --json` prints it (indented by 2). *out: the caller frees it with pl_free. Errors:
 * PL_EINVAL (no info->agents, a result of another party count), PL_ENOMEM. */
PL_API int pl_run_to_json(const pl_scenario *sc, const pl_run_info *info, const pl_session_result *r, char **out,
                          pl_diag *d);
/* pl_run_to_json written to path atomically (a temporary file beside it, then rename; "-": standard output).
 * Errors: those of pl_run_to_json, PL_EIO. */
PL_API int pl_run_save_json(const pl_scenario *sc, const pl_run_info *info, const pl_session_result *r,
                            const char *path, pl_diag *d);

/* What a run result file says (docs/formats.md). */
typedef struct pl_run_record {
    char scenario[128];
    char protocol[32];
    char status[32];     /* "agreement", "deadline", "ended", "violation", "error" */
    char reason[256];
    int has_agreement;   /* the agreement was read */
    int has_final_text;  /* a single-text run's final text (also without agreement) was read */
} pl_run_record;

/* A run result read back for a scenario: the record, plus what the plots and reports use. */
typedef struct pl_run_data {
    pl_run_record rec;
    size_t n_parties, n_issues; /* the scenario's */
    char **agents;              /* n_parties agent specs, or NULL when the file gives none */
    uint32_t *agreement;        /* n_issues value indices when rec.has_agreement, else NULL */
    uint32_t *final_text;       /* n_issues value indices when rec.has_final_text, else NULL */
    int has_t;                  /* t was given */
    double t;
    int has_rounds;             /* rounds was given */
    uint64_t rounds;
} pl_run_data;

/* Read a `parley run --json` result written for scenario sc. Required: an object with "agreement" (null or an
 * outcome {issue: label} naming every issue); checked when present: "scenario" and "parties" (must be sc's),
 * "status", "protocol", "reason" (strings), "agents" (one string per party), "t" (number), "rounds" (non-negative
 * integer), "final_text" (null or an outcome). Other keys are ignored, so newer results still read. *out is
 * filled on success (release it with pl_run_data_destroy) and empty on failure. Errors: PL_EIO (unreadable),
 * PL_EPARSE, PL_EINVAL (a run of another scenario), PL_ENOMEM. */
PL_API int pl_run_read(const pl_scenario *sc, const char *path, pl_run_data *out, pl_diag *d);
/* The same from len bytes of text; name is the file name used in diagnostics. */
PL_API int pl_run_read_mem(const pl_scenario *sc, const char *text, size_t len, const char *name, pl_run_data *out,
                           pl_diag *d);
/* Free what pl_run_read allocated and zero *r; NULL-safe. */
PL_API void pl_run_data_destroy(pl_run_data *r);

/* Read a run result for scenario sc into fixed buffers: the agreement and (single-text runs) the final text, each
 * as issue-count value indices into the caller's arrays (final_text may be NULL). A result must have a "status".
 * Errors as pl_run_read. */
PL_API int pl_run_record_load(const pl_scenario *sc, const char *path, pl_run_record *rec, uint32_t *agreement,
                              uint32_t *final_text, pl_diag *d);

/* ---- A session's trace ---- */

/* One trace line for an action (SAOP: round, t, party, action, outcome, utility, discounted; single-text: step, t,
 * proposer, action "propose", issue, from, to, votes, stood, utilities), newline-terminated. *out: the caller frees it
 * with pl_free. Errors: PL_EINVAL (a party or issue out of range), PL_ENOMEM. */
PL_API int pl_trace_action_to_json(const pl_scenario *sc, const pl_action_record *rec, char **out, pl_diag *d);

/* Where a streaming writer sends its text: len bytes (no NUL needed); returns 0, or a negative PL_E* code to stop. */
typedef int (*pl_write_fn)(void *ud, const char *text, size_t len);

/* A trace written while the session runs: set opts.on_action = pl_trace_on_action and opts.action_ud = &writer.
 * The first failure (a writer error or the sink's code) is kept in rc and later actions are skipped. */
typedef struct pl_trace_writer {
    const pl_scenario *sc;
    pl_write_fn write;
    void *ud;
    int rc;                   /* 0, or the first error */
} pl_trace_writer;

PL_API void pl_trace_writer_init(pl_trace_writer *w, const pl_scenario *sc, pl_write_fn write, void *ud);
/* An on_action callback: writer is a pl_trace_writer. */
PL_API void pl_trace_on_action(void *writer, const pl_action_record *rec);

/* Called by pl_trace_read for every action, in file order; rec and what it points to live until the callback
 * returns. Single-text lines give action PL_ACTION_PROPOSE, party the proposer (PL_MEDIATOR_NEUTRAL), outcome NULL,
 * and issue/from/to/votes when the line has them (votes NULL otherwise); SAOP lines give utility and discounted
 * (NAN when absent). Return 0 to go on, a negative PL_E* code to stop (reported at that line). */
typedef int (*pl_trace_fn)(void *ud, const pl_action_record *rec);

/* Read a trace written for scenario sc. Errors: PL_EIO (unreadable), PL_EPARSE (FILE:LINE[:COLUMN]: malformed JSON,
 * a missing or mistyped key, an empty file), PL_EINVAL (an unknown party, issue or value; the callback's
 * PL_EINVAL), PL_ENOMEM, or the callback's code. */
PL_API int pl_trace_read(const pl_scenario *sc, const char *path, pl_trace_fn fn, void *ud, pl_diag *d);
/* The same from len bytes of text; name is the file name used in diagnostics. */
PL_API int pl_trace_read_mem(const pl_scenario *sc, const char *text, size_t len, const char *name, pl_trace_fn fn,
                             void *ud, pl_diag *d);

/* ---- Analyses and reports ---- */

/* The analysis as `parley analyze --json` prints it: frontier_limit < 0 lists the whole frontier, else at most that
 * many points; seconds is the time the caller measured (the library does not read the clock). *out: the caller frees it
 * with pl_free. Errors: PL_ENOMEM, PL_EINVAL. */
PL_API int pl_analysis_to_json(const pl_scenario *sc, const pl_analysis *a, long frontier_limit, double seconds,
                               char **out, pl_diag *d);

/* The report as `parley report --json` prints it. run: the run result the agreement came from (NULL for a given or
 * predicted agreement); final_text_used: 1 when the report is on a single-text run's final text (no agreement).
 * *out: the caller frees it with pl_free. Errors: PL_ENOMEM, PL_EINVAL. */
PL_API int pl_report_to_json(const pl_scenario *sc, const pl_report *r, const pl_run_record *run, int final_text_used,
                             char **out, pl_diag *d);

/* The what-if as `parley whatif --json` prints it (docs/formats.md): constraints, the minimal removal sets of each
 * stuck issue as constraint indices, the predicted deal and the single red lines that would break it. *out:
 * malloc'd, the caller frees it. Errors: PL_ENOMEM, PL_EINVAL. */
PL_API int pl_whatif_to_json(const pl_scenario *sc, const pl_whatif *w, char **out, pl_diag *d);

/* The robustness of the prediction as `parley report --samples --json` prints it (docs/formats.md): the
 * parameters and their ranges, per issue the share of models agreeing on it, the shares of the predicted options,
 * the statuses' shares (null without opts.statuses), the share matching `given` (null when NULL) and every
 * parameter's rank correlations. *out: malloc'd, the caller frees it. Errors: PL_ENOMEM, PL_EINVAL. */
PL_API int pl_robustness_to_json(const pl_uncertainty *u, const pl_robustness *r, uint64_t seed,
                                 const uint32_t *given, char **out, pl_diag *d);

/* ---- Summaries ---- */

/* The scenario as `parley show --json` prints it (numeric issues list at most 1,000 values). *out: the caller frees it
 * with pl_free. Errors: PL_ENOMEM, PL_EINVAL. */
PL_API int pl_scenario_summary_to_json(const pl_scenario *sc, char **out, pl_diag *d);
/* Outcomes evaluated as `parley eval --json` prints them: outcomes[k] has one value index per issue; timed: add
 * "time" and the utilities discounted at relative time t. *out: the caller frees it with pl_free. Errors: PL_ENOMEM,
 * PL_EINVAL. */
PL_API int pl_eval_to_json(const pl_scenario *sc, const uint32_t *const *outcomes, size_t n, int timed, double t,
                           char **out, pl_diag *d);
/* The agent types of r (name, description, protocols, parameters) as `parley agents --json` prints them. *out:
 * the caller frees it with pl_free. Errors: PL_ENOMEM, PL_EINVAL. */
PL_API int pl_registry_to_json(const pl_registry *r, char **out, pl_diag *d);

#endif
