/* The tournament report's charts, drawn with cairo in the plots' style (into SVG for the page): mean utility with
 * its 95% confidence interval per agent, each agent's utility distribution (Tukey box plots over the individual
 * values: Tukey, "Exploratory Data Analysis", 1977; quartiles by Hyndman & Fan's definition 7, 1996), and agreement
 * rates per scenario and agent as a heat map coloured with viridis (van der Walt & Smith, 2015: perceptually uniform
 * and readable with any colour-vision deficiency). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot_internal.h"

#define ROW_MEANS 30.0
#define ROW_DIST 46.0
#define CELL_W 86.0
#define CELL_H 28.0
#define LABEL_MAX 260.0
#define CHART_W 920.0

static pl__style chart_style(void)
{
    return pl__style_for(1000, 760);
}

/* Widest label of the agents (names) or scenarios, capped. */
static double label_width(cairo_t *cr, const pl__report *r, int scenarios)
{
    pl__style st = chart_style();
    pl__font(cr, st.tick, 0);
    double w = 0;
    size_t n = scenarios ? r->ns : r->na;
    for (size_t k = 0; k < n; k++) {
        double t = pl__text_width(cr, scenarios ? r->scen[k] : r->sum->agents[k].agent);
        w = t > w ? t : w;
    }
    if (scenarios) {
        double t = pl__text_width(cr, "all scenarios");
        w = t > w ? t : w;
    }
    return (w < LABEL_MAX ? w : LABEL_MAX) + 12;
}

void pl__chart_size(const pl__report *r, int chart, double *w, double *h)
{
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 8, 8);
    cairo_t *cr = cairo_create(sf);
    if (chart == 0) {
        *w = CHART_W;
        *h = ROW_MEANS * (double)r->na + 64;
    } else if (chart == 1) {
        *w = CHART_W;
        *h = ROW_DIST * (double)r->na + 64;
    } else {
        double top = label_width(cr, r, 0) * 0.643 + 24;           /* agent names at 40 degrees above the columns */
        double heads = label_width(cr, r, 0) * 0.766 - CELL_W / 2; /* the last name reaches right */
        *w = label_width(cr, r, 1) + CELL_W * (double)r->na + (heads > 110 ? heads : 110);
        *h = top + CELL_H * (double)(r->ns + 1) + 20;
        *w = *w < 480 ? 480 : *w;
    }
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
}

static void background(cairo_t *cr)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
}

/* Agent k's colour: its place in the tournament's agent list, as parties are coloured in the plots. */
static pl__rgb agent_color(size_t k)
{
    return pl__party_color(k);
}

static void row_label(cairo_t *cr, const pl__style *st, const char *s, double x, double y, double maxw)
{
    char fit[300];
    pl__font(cr, st->tick, 0);
    pl__set_color(cr, PL__BLACK, 1);
    pl__text(cr, pl__fit(cr, s, maxw, fit, sizeof fit), x, y, 1, 0.5);
}

/* Horizontal axes over [lo, hi] for rows of agents, with the x title below. */
static pl__axes row_axes(cairo_t *cr, const pl__report *r, double row, double lo, double hi, pl__ticks *tx)
{
    pl__style st = chart_style();
    *tx = pl__ticks_for(lo, hi, 6);
    pl__axes a;
    a.x = label_width(cr, r, 0) + 14;
    a.y = 10;
    a.w = CHART_W - a.x - 24;
    a.h = row * (double)r->na;
    double x0 = tx->first, x1 = tx->first + (tx->n - 1) * tx->step;
    a.xmin = x0 - (x1 - x0) * 0.02;
    a.xmax = x1 + (x1 - x0) * 0.02;
    a.ymin = 0;
    a.ymax = (double)r->na;
    (void)st;
    return a;
}

void pl__chart_means(cairo_t *cr, void *ud)
{
    const pl__report *r = ud;
    pl__style st = chart_style();
    background(cr);
    double lo = 0, hi = 1;
    for (size_t k = 0; k < r->na; k++) {
        const pl_stat *s = &r->sum->agents[k].utility;
        if (s->n && isfinite(s->mean)) {
            lo = fmin(lo, s->mean - s->ci95);
            hi = fmax(hi, s->mean + s->ci95);
        }
    }
    pl__ticks tx;
    pl__axes a = row_axes(cr, r, ROW_MEANS, lo, hi, &tx);
    pl__axes_grid(cr, &a, &tx, NULL, &st);
    for (size_t i = 0; i < r->na; i++) {
        size_t k = r->rank[i];
        double y = a.y + ROW_MEANS * ((double)i + 0.5);
        row_label(cr, &st, r->sum->agents[k].agent, a.x - 10, y, a.x - 16);
        const pl_stat *s = &r->sum->agents[k].utility;
        if (!s->n || !isfinite(s->mean)) {
            continue;
        }
        pl__rgb c = agent_color(k);
        pl__set_color(cr, c, 1);
        cairo_set_line_width(cr, 2.6);
        cairo_move_to(cr, pl__ax_x(&a, s->mean - s->ci95), y);
        cairo_line_to(cr, pl__ax_x(&a, s->mean + s->ci95), y);
        cairo_stroke(cr);
        pl__marker(cr, PL__MARK_CIRCLE, pl__ax_x(&a, s->mean), y, 5.5, c, PL__BLACK, 1.2);
    }
    pl__axes_frame(cr, &a, &tx, NULL, &st, "mean utility (discounted) with its 95% confidence interval", NULL);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile q of sorted v[0..n) by linear interpolation (Hyndman & Fan's definition 7). */
static double quantile(const double *v, size_t n, double q)
{
    double h = (double)(n - 1) * q;
    size_t i = (size_t)floor(h);
    return i + 1 < n ? v[i] + (h - (double)i) * (v[i + 1] - v[i]) : v[n - 1];
}

static void box_plot(cairo_t *cr, const pl__axes *a, const double *v, size_t n, double y, pl__rgb c)
{
    double *s = pl__malloc(n * sizeof *s);
    if (!s) {
        return;
    }
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    double q1 = quantile(s, n, 0.25), q2 = quantile(s, n, 0.5), q3 = quantile(s, n, 0.75), iqr = q3 - q1;
    double wlo = q1, whi = q3, mean = 0;
    for (size_t k = 0; k < n; k++) { /* whiskers: the furthest values within 1.5 IQR of the box */
        if (s[k] >= q1 - 1.5 * iqr && s[k] < wlo) {
            wlo = s[k];
        }
        if (s[k] <= q3 + 1.5 * iqr && s[k] > whi) {
            whi = s[k];
        }
        mean += s[k];
    }
    mean /= (double)n;
    /* Every value as a faint dot, spread vertically by a fixed hash of its place (same page every time). */
    size_t stride = n > 3000 ? n / 3000 + 1 : 1;
    cairo_new_path(cr);
    for (size_t k = 0; k < n; k += stride) {
        uint64_t h = k + 1;
        double j = (pl__rand_unit(&h) - 0.5) * (ROW_DIST * 0.62);
        pl__marker_path(cr, PL__MARK_CIRCLE, pl__ax_x(a, v[k]), y + j, 2.1);
    }
    pl__set_color(cr, c, 0.38);
    cairo_fill(cr);
    double bh = ROW_DIST * 0.42;
    cairo_set_line_width(cr, 1.4);
    pl__set_color(cr, PL__BLACK, 1);
    cairo_move_to(cr, pl__ax_x(a, wlo), y);
    cairo_line_to(cr, pl__ax_x(a, q1), y);
    cairo_move_to(cr, pl__ax_x(a, q3), y);
    cairo_line_to(cr, pl__ax_x(a, whi), y);
    cairo_move_to(cr, pl__ax_x(a, wlo), y - bh / 4);
    cairo_line_to(cr, pl__ax_x(a, wlo), y + bh / 4);
    cairo_move_to(cr, pl__ax_x(a, whi), y - bh / 4);
    cairo_line_to(cr, pl__ax_x(a, whi), y + bh / 4);
    cairo_stroke(cr);
    cairo_rectangle(cr, pl__ax_x(a, q1), y - bh / 2, pl__ax_x(a, q3) - pl__ax_x(a, q1), bh);
    pl__set_color(cr, c, 0.30);
    cairo_fill_preserve(cr);
    pl__set_color(cr, PL__BLACK, 1);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 2.6);
    cairo_move_to(cr, pl__ax_x(a, q2), y - bh / 2);
    cairo_line_to(cr, pl__ax_x(a, q2), y + bh / 2);
    cairo_stroke(cr);
    pl__marker(cr, PL__MARK_DIAMOND, pl__ax_x(a, mean), y, 4.5, PL__WHITE, PL__BLACK, 1.2);
    pl__free(s);
}

void pl__chart_distributions(cairo_t *cr, void *ud)
{
    const pl__report *r = ud;
    pl__style st = chart_style();
    background(cr);
    double lo = 0, hi = 1;
    for (size_t k = 0; k < r->na; k++) {
        for (size_t j = 0; j < r->un[k]; j++) {
            lo = fmin(lo, r->u[k][j]);
            hi = fmax(hi, r->u[k][j]);
        }
    }
    pl__ticks tx;
    pl__axes a = row_axes(cr, r, ROW_DIST, lo, hi, &tx);
    pl__axes_grid(cr, &a, &tx, NULL, &st);
    cairo_set_source_rgb(cr, 0.82, 0.82, 0.82);
    cairo_set_line_width(cr, 0.8);
    for (size_t i = 1; i < r->na; i++) { /* separators between agents */
        cairo_move_to(cr, a.x, a.y + ROW_DIST * (double)i);
        cairo_line_to(cr, a.x + a.w, a.y + ROW_DIST * (double)i);
    }
    cairo_stroke(cr);
    for (size_t i = 0; i < r->na; i++) {
        size_t k = r->rank[i];
        double y = a.y + ROW_DIST * ((double)i + 0.5);
        row_label(cr, &st, r->sum->agents[k].agent, a.x - 10, y, a.x - 16);
        if (r->un[k]) {
            box_plot(cr, &a, r->u[k], r->un[k], y, agent_color(k));
        }
    }
    pl__axes_frame(cr, &a, &tx, NULL, &st,
                   "utility (discounted) in each session: box = quartiles, bar = median, "
                   "diamond = mean",
                   NULL);
}

/* viridis at f in [0, 1], interpolated between nine of its colours. */
static pl__rgb viridis(double f)
{
    static const unsigned hex[9] = {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c,
                                    0x28ae80, 0x5ec962, 0xaddc30, 0xfde725};
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    double x = f * 8;
    int i = (int)floor(x);
    i = i > 7 ? 7 : i;
    double t = x - i;
    pl__rgb c;
    c.r = (((hex[i] >> 16) & 255) * (1 - t) + ((hex[i + 1] >> 16) & 255) * t) / 255;
    c.g = (((hex[i] >> 8) & 255) * (1 - t) + ((hex[i + 1] >> 8) & 255) * t) / 255;
    c.b = ((hex[i] & 255) * (1 - t) + (hex[i + 1] & 255) * t) / 255;
    return c;
}

static void heat_cell(cairo_t *cr, const pl__style *st, double x, double y, uint64_t n, uint64_t agree)
{
    char buf[32];
    pl__rgb c = {0.93, 0.93, 0.93}, ink = PL__GREY_TEXT;
    if (n) {
        double f = (double)agree / (double)n;
        c = viridis(f);
        double lum = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
        ink = lum < 0.45 ? PL__WHITE : PL__BLACK;
        snprintf(buf, sizeof buf, "%.0f%%", 100 * f);
    } else {
        snprintf(buf, sizeof buf, "-");
    }
    pl__set_color(cr, c, 1);
    cairo_rectangle(cr, x + 1, y + 1, CELL_W - 2, CELL_H - 2);
    cairo_fill(cr);
    pl__font(cr, st->tick, 0);
    pl__set_color(cr, ink, 1);
    pl__text(cr, buf, x + CELL_W / 2, y + CELL_H / 2, 0.5, 0.5);
}

void pl__chart_heatmap(cairo_t *cr, void *ud)
{
    const pl__report *r = ud;
    pl__style st = chart_style();
    background(cr);
    double left = label_width(cr, r, 1) + 4, top = label_width(cr, r, 0) * 0.643 + 24;
    char fit[300];
    for (size_t i = 0; i < r->na; i++) { /* column heads: agent names at 40 degrees */
        size_t k = r->rank[i];
        pl__font(cr, st.tick, 0);
        pl__set_color(cr, PL__BLACK, 1);
        pl__text_rotated(cr, pl__fit(cr, r->sum->agents[k].agent, LABEL_MAX, fit, sizeof fit),
                         left + CELL_W * ((double)i + 0.5), top - 6, 0, 0.5, 40 * PL__PI / 180);
    }
    for (size_t s = 0; s <= r->ns; s++) {
        double y = top + CELL_H * (double)s + (s == r->ns ? 6 : 0);
        row_label(cr, &st, s < r->ns ? r->scen[s] : "all scenarios", left - 8, y + CELL_H / 2, left - 12);
        for (size_t i = 0; i < r->na; i++) {
            size_t k = r->rank[i];
            uint64_t n = 0, agree = 0;
            if (s < r->ns) {
                n = r->cell_n[k * r->ns + s];
                agree = r->cell_agree[k * r->ns + s];
            } else {
                for (size_t q = 0; q < r->ns; q++) {
                    n += r->cell_n[k * r->ns + q];
                    agree += r->cell_agree[k * r->ns + q];
                }
            }
            heat_cell(cr, &st, left + CELL_W * (double)i, y, n, agree);
        }
    }
    /* The colour scale. */
    double bx = left + CELL_W * (double)r->na + 24, bh = fmin(160, CELL_H * (double)(r->ns + 1)), bw = 14;
    cairo_pattern_t *g = cairo_pattern_create_linear(0, top + bh, 0, top);
    for (int k = 0; k <= 8; k++) {
        pl__rgb c = viridis(k / 8.0);
        cairo_pattern_add_color_stop_rgb(g, k / 8.0, c.r, c.g, c.b);
    }
    cairo_set_source(cr, g);
    cairo_rectangle(cr, bx, top, bw, bh);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
    pl__font(cr, st.tick, 0);
    pl__set_color(cr, PL__BLACK, 1);
    pl__text(cr, "100%", bx + bw + 5, top, 0, 0.5);
    pl__text(cr, "0%", bx + bw + 5, top + bh, 0, 0.5);
}
