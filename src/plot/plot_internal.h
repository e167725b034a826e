/* Internals of the plot module: the plot data and session objects, the house style (palette, type sizes, markers,
 * text), axes with "nice" ticks, legends, and the helpers that turn cairo output into files and inline SVG. */
#ifndef PL_PLOT_INTERNAL_H
#define PL_PLOT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <cairo.h>

#include "core/internal.h"
#include "parley/plot.h"
#include "parley/tournament.h"

#define PL__PI 3.14159265358979323846

/* ---- Data (data.c) ---- */

typedef enum pl__cloud {
    PL__CLOUD_POINTS = 0,  /* every outcome kept as a utility vector */
    PL__CLOUD_DENSITY = 1, /* every outcome counted into per-pair grids */
    PL__CLOUD_SAMPLED = 2  /* a seeded uniform sample counted into per-pair grids */
} pl__cloud;

/* Parties i < j: the two-party frontier (owned when there are three or more parties, else the analysis's) and,
 * for densities, bins x bins counts, row r (from the bottom: party j's lowest utilities) column c (party i). */
typedef struct pl__pair {
    size_t i, j;
    pl_frontier *own;
    const pl_frontier *frontier;
    uint32_t *density;
    uint32_t density_max;
} pl__pair;

struct pl_plot_data {
    const pl_scenario *sc;
    size_t np;
    pl_analysis *analysis;
    pl__cloud cloud;
    int enumerable;
    uint64_t outcomes; /* the space's size when enumerable */
    double log10_outcomes;
    uint64_t drawn; /* outcomes evaluated */
    uint64_t seed;
    unsigned threads; /* for evaluating the outcomes (0 = one per online core) */
    double *utils;    /* PL__CLOUD_POINTS: drawn x np, outcome-major */
    double *lo, *hi;  /* per party: the axis range (0..1 widened to every utility seen) */
    uint32_t bins;
    pl__pair *pairs;
    size_t n_pairs;
};

/* The pair record of parties a and b (either order); *swapped = 1 when a > b. */
const pl__pair *pl__plot_pair(const pl_plot_data *p, size_t a, size_t b, int *swapped);

/* ---- Sessions (session.c) ---- */

typedef struct pl__act {
    uint64_t round;
    double t;
    size_t party;          /* the acting party; for a proposal the proposer, np = the neutral mediator */
    pl_action_kind action; /* a proposal is recorded as an offer */
    int has_outcome;
    int proposal, stood; /* single-text: a change of the text put to a vote, and whether it stood */
} pl__act;

struct pl_plot_session {
    const pl_scenario *sc;
    size_t np, ni;
    pl__act *acts;
    uint32_t *outcomes; /* ni per action (zeros for an end) */
    double *utils;      /* np per action (NAN for an end) */
    size_t n, cap;
    char **agents; /* np, NULL = unknown */
    int mediated;  /* holds single-text proposals */
    uint32_t *text;  /* single-text traces: the text, the status quo with every change that stood applied */
    int text_traced; /* a trace gave proposals with their issue and value (text follows them) */
    int result_set, has_agreement;
    uint32_t *agreement;
    double agreement_t;
    uint64_t agreement_round;
    char status[32];
};

/* Single-text: a proposal by party `proposer` (np: the neutral mediator) with every party's utility of the
 * proposed text (utilities only: traces do not give the whole text). PL_EINVAL, PL_ENOMEM. */
int pl__session_add_proposal(pl_plot_session *s, uint64_t step, double t, size_t proposer, const double *u, int stood);
/* Who makes moves: the parties, plus the neutral mediator (index np) when the session has proposals. */
size_t pl__session_actors(const pl_plot_session *s);
/* 1 when action k is an offer or proposal by actor q; *trail says whether it is on q's trail (offers, and the
 * proposals that stood: the text's path). */
int pl__session_move(const pl_plot_session *s, size_t k, size_t q, int *trail);
/* The session's outcome as drawn: 1 with the agreement's utilities (np), time and round when there is one; 0
 * without. status (at least 32 bytes) gets "agreement", the stated status, or "no agreement". Without a stated
 * result, a single-text trace agreed when its final text is acceptable to every party (the protocol's rule). */
int pl__session_agreement(const pl_plot_session *s, double *u, double *t, uint64_t *round, char *status);

/* ---- Style (style.c): Okabe & Ito's colour-blind-safe palette, type sizes, markers, text ---- */

typedef struct pl__rgb {
    double r, g, b;
} pl__rgb;

/* The palette: party k's colour (cycling through 7), and fixed colours for the other elements. */
pl__rgb pl__party_color(size_t k);
/* Actor q's colour: party q's, and for the neutral mediator (q = np) the next one. */
pl__rgb pl__actor_color(const pl_plot_session *s, size_t q);
extern const pl__rgb PL__BLACK, PL__GREY_TEXT, PL__GRID, PL__CLOUD, PL__NASH, PL__KS, PL__WELFARE, PL__WHITE;

/* Type sizes and line widths, scaled with the figure (u = 1 for a 1000 x 760 figure). */
typedef struct pl__style {
    double u;
    double title, subtitle, label, tick, legend;
} pl__style;

pl__style pl__style_for(double width, double height);

typedef enum pl__mark {
    PL__MARK_CIRCLE = 0,
    PL__MARK_DIAMOND,
    PL__MARK_TRIANGLE,
    PL__MARK_SQUARE,
    PL__MARK_STAR,
    PL__MARK_RING /* the agreement: an outline only, so that points under it stay visible */
} pl__mark;

void pl__set_color(cairo_t *cr, pl__rgb c, double alpha);
/* A marker of "radius" r at (x, y): path only, or filled and outlined (outline width lw; none when lw <= 0). */
void pl__marker_path(cairo_t *cr, pl__mark m, double x, double y, double r);
void pl__marker(cairo_t *cr, pl__mark m, double x, double y, double r, pl__rgb fill, pl__rgb line, double lw);

void pl__font(cairo_t *cr, double size, int bold);
double pl__text_width(cairo_t *cr, const char *s);
/* Draw s with its anchor at (x, y): ax 0 left, 0.5 centre, 1 right; ay 0 top, 0.5 middle, 1 bottom of the font's
 * box (ascent + descent), so labels of one size line up whatever their letters. */
void pl__text(cairo_t *cr, const char *s, double x, double y, double ax, double ay);
/* The same, rotated by angle (radians, counter-clockwise as seen) about the anchor. */
void pl__text_rotated(cairo_t *cr, const char *s, double x, double y, double ax, double ay, double angle);
/* Line height (ascent + descent) of the current font. */
double pl__line_height(cairo_t *cr);
/* Copy s into buf shortened with "..." so that it fits width (buf >= 8 bytes). */
const char *pl__fit(cairo_t *cr, const char *s, double width, char *buf, size_t size);
/* Split s into lines of at most width (breaking after blanks or commas, else anywhere); at most max_lines, each
 * copied into lines[k] (line_size bytes). Returns the number of lines. */
size_t pl__wrap(cairo_t *cr, const char *s, double width, char lines[][160], size_t max_lines);
/* "2,520" style thousands separators; buf >= 32 bytes. */
char *pl__thousands(uint64_t v, char *buf, size_t size);

/* ---- Axes (axes.c) ---- */

/* Heckbert's "nice numbers" (Graphics Gems, 1990): loose ticks for [lo, hi] aiming at `target` intervals. */
typedef struct pl__ticks {
    double first, step;
    int n, decimals;
} pl__ticks;

pl__ticks pl__ticks_for(double lo, double hi, int target);

typedef struct pl__axes {
    double x, y, w, h;             /* the plot area (user units, y down) */
    double xmin, xmax, ymin, ymax; /* data range shown */
} pl__axes;

double pl__ax_x(const pl__axes *a, double v);
double pl__ax_y(const pl__axes *a, double v);
/* Light grid lines at the ticks, under the data. */
void pl__axes_grid(cairo_t *cr, const pl__axes *a, const pl__ticks *tx, const pl__ticks *ty, const pl__style *st);
/* Frame, tick marks, tick labels and axis titles (NULL for none), over the data. */
void pl__axes_frame(cairo_t *cr, const pl__axes *a, const pl__ticks *tx, const pl__ticks *ty, const pl__style *st,
                    const char *xtitle, const char *ytitle);
/* Room the tick labels and titles need: left of and below the plot area. */
double pl__axes_left_room(cairo_t *cr, const pl__ticks *ty, const pl__style *st, int ytitle);
double pl__axes_bottom_room(cairo_t *cr, const pl__style *st, int xtitle);
/* Clip to the plot area widened by pad (markers at the edge stay whole). */
void pl__axes_clip(cairo_t *cr, const pl__axes *a, double pad);

/* ---- Legends (legend.c) ---- */

typedef enum pl__swatch {
    PL__SW_HEADING = 0, /* a bold label, no swatch */
    PL__SW_MARK,        /* a marker */
    PL__SW_LINE,        /* a solid line */
    PL__SW_DASH,        /* a dashed line */
    PL__SW_FADE,        /* a row of markers fading from light to dark */
    PL__SW_DENSITY,     /* a small grey ramp */
    PL__SW_NOTE         /* plain text, no swatch */
} pl__swatch;

#define PL__LEGEND_MAX 48

typedef struct pl__legend_item {
    pl__swatch kind;
    pl__mark mark;
    pl__rgb fill, line;
    char text[200];
} pl__legend_item;

typedef struct pl__legend {
    pl__legend_item items[PL__LEGEND_MAX];
    size_t n;
} pl__legend;

void pl__legend_add(pl__legend *l, pl__swatch kind, pl__mark mark, pl__rgb fill, pl__rgb line, const char *fmt, ...)
    PL__PRINTF(6, 7);
/* Height of the legend drawn width wide. */
double pl__legend_height(cairo_t *cr, const pl__legend *l, const pl__style *st, double width);
void pl__legend_draw(cairo_t *cr, const pl__legend *l, const pl__style *st, double x, double y, double width);

/* ---- Figures (space_plot.c, time_plot.c) ---- */

/* The subtitle: outcome count and how they are drawn, the frontier, the session. */
void pl__plot_subtitle(const pl_plot_data *p, const pl_plot_session *s, char *buf, size_t size);
/* Title and subtitle at the top; returns the height they take. */
double pl__plot_heading(cairo_t *cr, const pl__style *st, double width, const char *title, const char *subtitle);
/* Where a panel inside (x, y, w, h) puts its plot area, data ranges and ticks. */
void pl__space_layout(cairo_t *cr, const pl__style *st, double x, double y, double w, double h, const pl_plot_data *p,
                      size_t px, size_t py, pl__ticks *tx, pl__ticks *ty, pl__axes *a);
/* One utility-space panel with its axes inside (x, y, w, h). */
void pl__space_panel(cairo_t *cr, const pl__style *st, double x, double y, double w, double h, const pl_plot_data *p,
                     const pl_plot_session *s, size_t px, size_t py);
/* The legend entries for the session's offers or proposals. */
void pl__session_legend(const pl_plot_session *s, pl__legend *l);
/* The legend of the utility-space figure. */
void pl__space_legend(const pl_plot_data *p, const pl_plot_session *s, pl__legend *l);
int pl__render_space(cairo_t *cr, double width, double height, const pl_plot_data *p, const pl_plot_session *s,
                     const pl_plot_options *o);
int pl__render_time(cairo_t *cr, double width, double height, const pl_plot_data *p, const pl_plot_session *s,
                    const pl_plot_options *o);

/* ---- Tournament report (report_html.c: data and page; report_charts.c: the SVG charts) ---- */

typedef struct pl__report {
    pl_tournament_summary *sum;
    size_t na, ns;
    size_t *rank; /* agent indices, best mean utility first */
    char **scen;  /* scenario names, in plan order */
    char **scen_path;
    size_t *scen_parties;
    uint64_t *cell_n;              /* na x ns (agent-major): appearances of the agent on the scenario */
    uint64_t *cell_agree;          /* ... of which ended in agreement */
    uint64_t *scen_n, *scen_agree; /* sessions per scenario, and agreements */
    double **u;                    /* per agent: the utility it got in every appearance */
    size_t *un, *ucap;
} pl__report;

/* Chart sizes (px) for the data, and the charts (draw callbacks for pl__svg_inline, ud = the report). */
void pl__chart_size(const pl__report *r, int chart, double *w, double *h);
void pl__chart_means(cairo_t *cr, void *ud);
void pl__chart_distributions(cairo_t *cr, void *ud);
void pl__chart_heatmap(cairo_t *cr, void *ud);

/* ---- Output (output.c) ---- */

/* Render into memory as SVG: draw(cr, ud) on a width x height surface; the text (NUL-terminated) is appended to
 * out with every id renamed to prefix + a number in order of appearance (so several SVGs share a page and the
 * same drawing gives the same text), without the XML declaration. PL_EIO, PL_ENOMEM. */
int pl__svg_inline(double width, double height, void (*draw)(cairo_t *cr, void *ud), void *ud, const char *prefix,
                   pl__buf *out, pl_diag *d);
/* 0 for CAIRO_STATUS_SUCCESS, else PL_ENOMEM or PL_EIO with cairo's message. */
int pl__plot_check_cairo(cairo_status_t st, pl_diag *d);
/* Render into a PNG (at png_scale pixels per unit), SVG or PDF file chosen by path's extension, atomically, with
 * the same bytes for the same drawing: render(cr, width, height, ud, d) draws the figure. Checks the size and
 * scale (PL_EINVAL); PL_EUNSUPPORTED, PL_EIO, PL_ENOMEM, or render's error. */
int pl__plot_save_with(const char *path, double width, double height, double png_scale, const char *pdf_title,
                       int (*render)(cairo_t *cr, double width, double height, void *ud, pl_diag *d), void *ud,
                       pl_diag *d);

#endif
