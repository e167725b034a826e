/* The names parley writes and reads for its enumerations: one table per enum (src/core/names.c), used by every
 * writer, reader and the command line. pl_X_name(v) gives the text ("?" for a value outside the enum; never NULL);
 * pl_X_parse(text, &v) gives the value: 0, or PL_EINVAL for an unknown or NULL name (*out untouched). Names are
 * case-sensitive and exactly what docs/formats.md shows. The *_name functions of older headers (session status,
 * issue status, point kind, pareto algorithm) are declared where they were and use the same tables. */
#ifndef PARLEY_NAMES_H
#define PARLEY_NAMES_H

#include "parley/agent.h"
#include "parley/analysis.h"
#include "parley/export.h"
#include "parley/report.h"
#include "parley/scenario.h"
#include "parley/session.h"
#include "parley/space.h"
#include "parley/tournament.h"
#include "parley/ufun.h"

/* "saop", "saop-genius", "single-text". */
PL_API const char *pl_protocol_name(pl_protocol p);
PL_API int pl_protocol_parse(const char *s, pl_protocol *out);
/* Trace actions: "offer", "accept", "end", "propose". */
PL_API const char *pl_action_name(pl_action_kind a);
PL_API int pl_action_parse(const char *s, pl_action_kind *out);
/* "agreement", "deadline", "ended", "violation", "error", "crash", "timeout", "memory" (pl_session_status_name in session.h). */
PL_API int pl_session_status_parse(const char *s, pl_session_status *out);
/* "agreed", "divergent", "not reached", "not addressed", "undetermined" (pl_issue_status_name in report.h). */
PL_API int pl_issue_status_parse(const char *s, pl_issue_status *out);
/* "nash", "kalai_smorodinsky", "egalitarian", "max_welfare" (pl_point_kind_name in analysis.h). */
PL_API int pl_point_kind_parse(const char *s, pl_point_kind *out);
/* "auto", "enumerate", "merge", "search" (pl_pareto_algorithm_name in analysis.h). */
PL_API int pl_pareto_algorithm_parse(const char *s, pl_pareto_algorithm *out);
/* Isolation of untrusted agents: "auto", "on", "off". */
PL_API const char *pl_isolate_name(pl_isolate i);
PL_API int pl_isolate_parse(const char *s, pl_isolate *out);
/* Single-text mediator order: "random", "systematic". */
PL_API const char *pl_mediator_order_name(pl_mediator_order o);
PL_API int pl_mediator_order_parse(const char *s, pl_mediator_order *out);
/* Issue kinds as parley JSON writes them: "discrete", "integer", "real". */
PL_API const char *pl_issue_kind_name(pl_issue_kind k);
PL_API int pl_issue_kind_parse(const char *s, pl_issue_kind *out);
/* Utility function kinds as parley JSON writes them: "linear_additive", "hyper_rectangle". */
PL_API const char *pl_ufun_kind_name(pl_ufun_kind k);
PL_API int pl_ufun_kind_parse(const char *s, pl_ufun_kind *out);
/* Scenario formats: "auto", "genius", "geniusweb", "parley" ("genius" and "parley" are what convert --format
 * takes). */
PL_API const char *pl_format_name(pl_format f);
PL_API int pl_format_parse(const char *s, pl_format *out);
/* Tournament export formats: "csv", "json". */
PL_API const char *pl_export_format_name(pl_export_format f);
PL_API int pl_export_format_parse(const char *s, pl_export_format *out);
/* Agent parameter kinds as `parley agents` shows them: "number", "integer", "text". */
PL_API const char *pl_param_kind_name(pl_param_kind k);
PL_API int pl_param_kind_parse(const char *s, pl_param_kind *out);

#endif
