/* Pictures of negotiations, drawn with cairo: a scenario's outcomes in utility space (points, or a density image
 * when there are many), the Pareto frontier, the Nash / Kalai-Smorodinsky / max-welfare points, reservation values,
 * each party's offers fading from early to late, the agreement; one panel per pair of parties for three or more;
 * each party's utility of every offer over time; and a self-contained HTML tournament report.
 * Not included by parley.h (it needs cairo's headers): #include <parley/plot.h> and link cairo. */
#ifndef PARLEY_PLOT_H
#define PARLEY_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include <cairo.h>

#include "parley/agent.h"
#include "parley/analysis.h"
#include "parley/error.h"
#include "parley/scenario.h"
#include "parley/uncertainty.h"

/* ---- The scenario's side: outcomes in utility space, frontiers, bargaining points ---- */

typedef struct pl_plot_data pl_plot_data;

typedef struct pl_plot_data_options {
    size_t size; /* sizeof the struct as the caller was compiled: set by pl_plot_data_options_init (docs/api.md) */
    uint64_t point_limit;     /* draw the outcomes as points up to this many (default 20,000), else as a density */
    uint64_t enumerate_limit; /* evaluate every outcome up to this many (default 10,000,000), else sample */
    uint64_t sample_size;     /* outcomes drawn uniformly at random beyond enumerate_limit (default 200,000) */
    uint64_t seed;            /* the sample's seed (default 1); the subtitle says when outcomes are sampled */
    uint32_t density_bins;    /* density image cells per axis (default 160; 16..2048) */
    unsigned threads;         /* threads for the analysis and for evaluating the outcomes (0 = all cores) */
} pl_plot_data_options;

/* Defaults, and o->size = sizeof *o. The macro passes the caller's sizeof, so the library writes only the fields the
 * caller was compiled with. */
PL_API void pl_plot_data_options_init_size(pl_plot_data_options *o, size_t size);
#define pl_plot_data_options_init(o) pl_plot_data_options_init_size((o), sizeof *(o))

/* Evaluate the scenario's outcomes (all, or a seeded sample), analyse it (pl_analyze over every party, plus the
 * two-party frontier of every pair when there are three or more) and keep what the plots draw. sc is borrowed and
 * must outlive the result; opts may be NULL. O(N * P) evaluations for N outcomes drawn, plus the analyses.
 * Errors: those of pl_analyze, PL_EINVAL (bad options), PL_ENOMEM. *out belongs to the caller. */
PL_API int pl_plot_data_new(const pl_scenario *sc, const pl_plot_data_options *opts, pl_plot_data **out, pl_diag *d);
PL_API void pl_plot_data_free(pl_plot_data *p); /* NULL-safe */

/* The analysis behind the plot (frontier over every party, bargaining points); owned by p. */
PL_API const pl_analysis *pl_plot_data_analysis(const pl_plot_data *p);
/* How the outcomes are drawn: outcomes evaluated (all of them, or the sample), and whether they were sampled. */
PL_API uint64_t pl_plot_data_outcomes_drawn(const pl_plot_data *p, int *sampled);

/* ---- The session's side: offers over time and the agreement ---- */

typedef struct pl_plot_session pl_plot_session;

/* An empty session over sc (borrowed; it must outlive the result) into *out (the caller's; NULL on failure).
 * Errors: PL_EINVAL (sc or out NULL), PL_ENOMEM. */
PL_API int pl_plot_session_new(const pl_scenario *sc, pl_plot_session **out, pl_diag *d);
PL_API void pl_plot_session_free(pl_plot_session *s); /* NULL-safe */

/* Append one action in order (outcome: issue-count value indices; NULL for an end). Utilities of every party are
 * computed from the scenario. Errors: PL_EINVAL (party out of range, invalid outcome), PL_ENOMEM. */
PL_API int pl_plot_session_add(pl_plot_session *s, uint64_t round, double t, size_t party, pl_action_kind action,
                               const uint32_t *outcome);
/* State the session's end explicitly (otherwise it is inferred from the actions: an offer accepted by every other
 * party in turn). agreement NULL: no agreement; status is a word such as "deadline" (copied; may be NULL). */
PL_API int pl_plot_session_set_result(pl_plot_session *s, const uint32_t *agreement, double t, uint64_t round,
                                      const char *status);
/* Name the agent that played party k (shown in the legend). PL_EINVAL, PL_ENOMEM. */
PL_API int pl_plot_session_set_agent(pl_plot_session *s, size_t party, const char *agent);

/* Read a trace written by `parley run --trace` (one JSON object per line; docs/formats.md) and append its actions.
 * Errors: PL_EIO (unreadable), PL_EPARSE (FILE:LINE[:COLUMN] and what is wrong: malformed JSON, a missing or
 * mistyped key, an unknown party, issue or value, an empty file). */
PL_API int pl_plot_session_read_trace(pl_plot_session *s, const char *path, pl_diag *d);
/* Read the result of `parley run --json` (agents, status, agreement, t, rounds) into s. The run's parties must be
 * the scenario's. Errors as for pl_plot_session_read_trace. */
PL_API int pl_plot_session_read_run(pl_plot_session *s, const char *path, pl_diag *d);
/* Actions read or added so far. */
PL_API size_t pl_plot_session_action_count(const pl_plot_session *s);

/* ---- Drawing ---- */

typedef enum pl_plot_kind {
    PL_PLOT_UTILITY_SPACE = 0,    /* two parties: one panel; three or more: one panel per pair of parties */
    PL_PLOT_UTILITY_OVER_TIME = 1 /* one panel per party: its utility of every offer against relative time */
} pl_plot_kind;

typedef struct pl_plot_options {
    size_t size; /* sizeof the struct as the caller was compiled: set by pl_plot_options_init (docs/api.md) */
    pl_plot_kind kind;
    const char *title; /* NULL: the scenario's name */
    int legend;        /* draw the legend (default 1) */
    double scale;      /* pl_plot_save, PNG only: pixels per unit (default 1; 2 for high-DPI screens) */
} pl_plot_options;

/* Defaults, and o->size = sizeof *o. The macro passes the caller's sizeof, so the library writes only the fields the
 * caller was compiled with. */
PL_API void pl_plot_options_init_size(pl_plot_options *o, size_t size);
#define pl_plot_options_init(o) pl_plot_options_init_size((o), sizeof *(o))

/* A good size in units (pixels in PNG at scale 1, points in SVG/PDF) for the figure opts describes. */
PL_API void pl_plot_default_size(const pl_plot_data *p, const pl_plot_options *opts, double *width, double *height);

/* Draw the whole figure (title, panels, legend) into the rectangle (0, 0)-(width, height) of cr's user space,
 * painting its background white. s may be NULL (no offers); PL_PLOT_UTILITY_OVER_TIME needs s. cr's state is
 * saved and restored. Errors: PL_EINVAL (no session for a time plot, a size under 200 x 150), PL_EIO (cairo). */
PL_API int pl_plot_render(cairo_t *cr, double width, double height, const pl_plot_data *p, const pl_plot_session *s,
                          const pl_plot_options *opts, pl_diag *d);
/* Draw one utility-space panel, party px on the x axis and py on the y axis, with axes and tick labels inside
 * (x, y, w, h) and no title or legend: for composing figures of one's own. PL_EINVAL for bad parties or sizes. */
PL_API int pl_plot_render_pair(cairo_t *cr, double x, double y, double w, double h, const pl_plot_data *p,
                               const pl_plot_session *s, size_t px, size_t py, pl_diag *d);

/* Where pl_plot_render_pair with the same arguments puts the data, so a program can draw its own marks on the
 * panel: utilities (a, b) of parties (px, py) land at (m[0] + m[1] * a, m[2] + m[3] * b) in cr's user space.
 * cr is used for font metrics only. PL_EINVAL as for pl_plot_render_pair. */
PL_API int pl_plot_pair_transform(cairo_t *cr, double x, double y, double w, double h, const pl_plot_data *p, size_t px,
                                  size_t py, double m[4], pl_diag *d);

/* The image format a path's extension names: 0 PNG (.png), 1 SVG (.svg), 2 PDF (.pdf), case-insensitive;
 * PL_EUNSUPPORTED (with a message naming the path) otherwise. */
PL_API int pl_plot_format_of(const char *path, pl_diag *d);
/* Render to a PNG, SVG or PDF file chosen by the extension, atomically (temporary file, then rename); width or
 * height 0 = pl_plot_default_size. The same input gives the same bytes. Errors: those of pl_plot_render and
 * pl_plot_format_of, PL_EIO (cannot write), PL_ENOMEM. */
PL_API int pl_plot_save(const char *path, double width, double height, const pl_plot_data *p, const pl_plot_session *s,
                        const pl_plot_options *opts, pl_diag *d);

/* ---- Robustness: which uncertain parameters move each prediction (a tornado chart) ---- */

/* One small panel per issue that some parameter moves (a non-zero rank correlation), in the scenario's order: a bar
 * per parameter for the (at most 8) parameters with the largest |rho|, sorted by |rho|, negative to the left and
 * positive to the right of a zero line, each labelled with pl_uncertainty_param_name. rho is Spearman's rank
 * correlation between the parameter's draws and the index of the predicted option
 * (pl_robustness_correlation with sens = 1). r comes from pl_robustness_run; opts may be NULL (title: the
 * scenario's name; legend: the colour key under the panels). An r in which nothing moves any prediction gives a
 * figure saying so. */
PL_API void pl_plot_tornado_size(const pl_robustness *r, const pl_plot_options *opts, double *width, double *height);
/* Draw the chart into (0, 0)-(width, height) of cr's user space, white background; cr's state is saved and
 * restored. Errors: PL_EINVAL (a size under 200 x 150), PL_EIO (cairo). */
PL_API int pl_plot_tornado_render(cairo_t *cr, double width, double height, const pl_robustness *r,
                                  const pl_plot_options *opts, pl_diag *d);
/* Render to PNG, SVG or PDF by the extension (pl_plot_format_of), atomically; width or height 0 =
 * pl_plot_tornado_size; opts->scale for PNG. The same input gives the same bytes. Errors: as pl_plot_save. */
PL_API int pl_plot_tornado_save(const char *path, double width, double height, const pl_robustness *r,
                                const pl_plot_options *opts, pl_diag *d);

/* ---- Tournament report ---- */

/* A self-contained HTML page (inline CSS and SVG, no scripts, fonts or network) about the tournament in dir: its
 * parameters, the ranking, each agent's utility distribution, agreement rates per agent and scenario as a heat
 * map. Well-formed XHTML; deterministic (no timings). *out is NUL-terminated, the caller's (pl_free).
 * Errors: those of pl_tournament_summarize / pl_tournament_export (PL_ENOTFOUND: no tournament), PL_ENOMEM. */
PL_API int pl_report_html(const char *dir, char **out, pl_diag *d);
/* pl_report_html written to path atomically ("-": standard output). Errors as above, PL_EIO. */
PL_API int pl_report_write(const char *dir, const char *path, pl_diag *d);

#endif
