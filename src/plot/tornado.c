/* Tornado chart of a robustness result (parley/uncertainty.h): for each issue whose prediction some uncertain
 * parameter moves, the parameters with the largest Spearman's rho (draws against the index of the predicted option)
 * as horizontal bars from a zero line, negative to the left, positive to the right, largest on top. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot/plot_internal.h"

#define TORNADO_BARS 8

/* Issue i's bars: parameter indices sorted by |rho| (largest first, then by index), only non-zero ones, at most
 * TORNADO_BARS; returns how many. */
static size_t issue_bars(const pl_robustness *r, size_t i, size_t *js, double *rhos)
{
    size_t nc = pl_uncertainty_count(pl_robustness_uncertainty(r)), n = 0;
    for (size_t j = 0; j < nc; j++) {
        double rho = pl_robustness_correlation(r, i, j, 1);
        if (!(fabs(rho) > 1e-12)) {
            continue;
        }
        /* Insertion into the kept top list. */
        size_t k = n < TORNADO_BARS ? n : TORNADO_BARS;
        while (k > 0 && fabs(rhos[k - 1]) < fabs(rho)) {
            if (k < TORNADO_BARS) {
                js[k] = js[k - 1];
                rhos[k] = rhos[k - 1];
            }
            k--;
        }
        if (k < TORNADO_BARS) {
            js[k] = j;
            rhos[k] = rho;
            n += n < TORNADO_BARS;
        }
    }
    return n;
}

static const pl_scenario *tornado_scenario(const pl_robustness *r)
{
    return pl_uncertainty_scenario(pl_robustness_uncertainty(r));
}

/* Heights in units at u = 1: heading, each panel's title row and bar row, the axis under the last panel. */
#define H_HEAD 92.0
#define H_PANEL_TOP 30.0
#define H_BAR 26.0
#define H_PANEL_GAP 14.0
#define H_AXIS 52.0
#define H_LEGEND 34.0

void pl_plot_tornado_size(const pl_robustness *r, const pl_plot_options *opts, double *width, double *height)
{
    pl_plot_options o;
    pl_plot_options_init(&o);
    (void)PL__OPTS_READ(pl_plot_options, &o, opts, scale, NULL);
    size_t ni = pl_space_issue_count(pl_scenario_space(tornado_scenario(r)));
    size_t js[TORNADO_BARS];
    double rhos[TORNADO_BARS], h = H_HEAD + H_AXIS + (o.legend ? H_LEGEND : 0);
    size_t panels = 0;
    for (size_t i = 0; i < ni; i++) {
        size_t n = issue_bars(r, i, js, rhos);
        if (n) {
            h += H_PANEL_TOP + H_BAR * (double)n + H_PANEL_GAP;
            panels++;
        }
    }
    if (!panels) {
        h += 120;
    }
    *width = 900;
    *height = h < 200 ? 200 : h;
}

/* One issue's panel: title above, the labels left of the bar area a, bars, value labels at their ends. */
static void tornado_panel(cairo_t *cr, const pl__style *st, const pl__axes *a, const pl__ticks *tx, double label_w,
                          const char *title, const pl_uncertainty *u, const size_t *js, const double *rhos, size_t n)
{
    char name[256], fit[256], val[32];
    cairo_save(cr);
    pl__font(cr, st->label, 1);
    pl__set_color(cr, PL__BLACK, 1);
    pl__text(cr, pl__fit(cr, title, a->x + a->w - (a->x - label_w), fit, sizeof fit), a->x - label_w,
             a->y - 6 * st->u, 0, 1);
    pl__axes_grid(cr, a, tx, NULL, st);
    double bh = a->h / (double)n, x0 = pl__ax_x(a, 0);
    for (size_t k = 0; k < n; k++) {
        double yc = a->y + bh * ((double)k + 0.5), x1 = pl__ax_x(a, rhos[k]);
        pl__rgb c = rhos[k] < 0 ? pl__party_color(1) : pl__party_color(0);
        cairo_rectangle(cr, fmin(x0, x1), yc - bh * 0.36, fabs(x1 - x0), bh * 0.72);
        pl__set_color(cr, c, 1);
        cairo_fill(cr);
        pl__font(cr, st->tick, 0);
        pl__set_color(cr, PL__BLACK, 1);
        pl_uncertainty_param_name(u, js[k], name, sizeof name);
        pl__text(cr, pl__fit(cr, name, label_w - 10 * st->u, fit, sizeof fit), a->x - 8 * st->u, yc, 1, 0.5);
        snprintf(val, sizeof val, "%+.2f", rhos[k]);
        pl__set_color(cr, PL__GREY_TEXT, 1);
        double vw = pl__text_width(cr, val), gap = 4 * st->u;
        /* At the bar's outer end, or inside it when there is no room outside. */
        if (rhos[k] >= 0) {
            int out = x1 + gap + vw <= a->x + a->w;
            pl__set_color(cr, out ? PL__GREY_TEXT : PL__WHITE, 1);
            pl__text(cr, val, out ? x1 + gap : x1 - gap, yc, out ? 0 : 1, 0.5);
        } else {
            int out = x1 - gap - vw >= a->x;
            pl__set_color(cr, out ? PL__GREY_TEXT : PL__WHITE, 1);
            pl__text(cr, val, out ? x1 - gap : x1 + gap, yc, out ? 1 : 0, 0.5);
        }
    }
    /* The zero line over the bars. */
    pl__set_color(cr, PL__BLACK, 1);
    cairo_set_line_width(cr, 1.2 * st->u);
    cairo_move_to(cr, x0, a->y);
    cairo_line_to(cr, x0, a->y + a->h);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void tornado_draw(cairo_t *cr, double width, double height, const pl_robustness *r, const pl_plot_options *o)
{
    const pl_uncertainty *u = pl_robustness_uncertainty(r);
    const pl_scenario *sc = tornado_scenario(r);
    const pl_space *sp = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(sp);
    /* Type and bar heights follow the width (the height grows with the bars). */
    double s = width / 900.0;
    s = s < 0.55 ? 0.55 : s > 4 ? 4 : s;
    pl__style st = pl__style_for(width, width * 760.0 / 1000.0);
    char title[512], sub[512];
    snprintf(title, sizeof title, "%s: what moves each predicted option", o->title ? o->title : pl_scenario_name(sc));
    snprintf(sub, sizeof sub,
             "Spearman's rank correlation of each uncertain parameter with the predicted option (its index in the "
             "issue's order) across %llu sampled models; the %d strongest per issue",
             (unsigned long long)pl_robustness_samples(r), TORNADO_BARS);
    double top = pl__plot_heading(cr, &st, width, title, sub);
    double m = 18 * st.u;
    /* Labels take the width of the longest name, within a third of the figure. */
    double label_w = 0;
    char name[256];
    pl__font(cr, st.tick, 0);
    for (size_t j = 0; j < pl_uncertainty_count(u); j++) {
        double w = pl__text_width(cr, pl_uncertainty_param_name(u, j, name, sizeof name));
        label_w = w > label_w ? w : label_w;
    }
    label_w = fmin(label_w + 16 * st.u, width / 3);
    pl__ticks tx = pl__ticks_for(-1, 1, 4);
    pl__axes a;
    a.x = m + label_w;
    a.w = width - m - a.x - 12 * st.u;
    a.xmin = -1.08;
    a.xmax = 1.08;
    a.ymin = 0;
    a.ymax = 1;
    double legend_h = o->legend ? H_LEGEND * s : 0;
    double avail = height - top - H_AXIS * s - legend_h;
    /* Rows: the natural heights scaled to fit what the caller gave. */
    double natural = 0;
    size_t js[TORNADO_BARS], panels = 0;
    double rhos[TORNADO_BARS];
    for (size_t i = 0; i < ni; i++) {
        size_t n = issue_bars(r, i, js, rhos);
        if (n) {
            natural += (H_PANEL_TOP + H_BAR * (double)n + H_PANEL_GAP) * s;
            panels++;
        }
    }
    if (!panels) {
        pl__font(cr, st.label, 0);
        pl__set_color(cr, PL__GREY_TEXT, 1);
        pl__text(cr, "No uncertain parameter moves any predicted option.", width / 2, top + 40 * st.u, 0.5, 0);
        return;
    }
    double f = natural > 0 && avail > 0 ? avail / natural : 1;
    double y = top, last_bottom = top;
    for (size_t i = 0; i < ni; i++) {
        size_t n = issue_bars(r, i, js, rhos);
        if (!n) {
            continue;
        }
        a.y = y + H_PANEL_TOP * s * f;
        a.h = H_BAR * s * f * (double)n;
        char it[300];
        snprintf(it, sizeof it, "%s", pl_space_issue_name(sp, i));
        tornado_panel(cr, &st, &a, &tx, label_w, it, u, js, rhos, n);
        last_bottom = a.y + a.h;
        y = last_bottom + H_PANEL_GAP * s * f;
    }
    /* The shared x axis under the last panel: ticks and title. */
    pl__axes ax = a;
    ax.y = last_bottom;
    ax.h = 0;
    cairo_save(cr);
    pl__set_color(cr, PL__GREY_TEXT, 1);
    cairo_set_line_width(cr, 1.0 * st.u);
    cairo_move_to(cr, ax.x, ax.y);
    cairo_line_to(cr, ax.x + ax.w, ax.y);
    cairo_stroke(cr);
    pl__font(cr, st.tick, 0);
    char buf[32];
    for (int k = 0; k < tx.n; k++) {
        double v = tx.first + k * tx.step, x = pl__ax_x(&ax, v);
        cairo_move_to(cr, x, ax.y);
        cairo_line_to(cr, x, ax.y + 4.5 * st.u);
        cairo_stroke(cr);
        snprintf(buf, sizeof buf, "%+.*f", tx.decimals, fabs(v) < 1e-12 ? 0.0 : v);
        pl__text(cr, fabs(v) < 1e-12 ? "0" : buf, x, ax.y + 8 * st.u, 0.5, 0);
    }
    double ty = ax.y + 8 * st.u + pl__line_height(cr) + 6 * st.u;
    pl__font(cr, st.label, 0);
    pl__set_color(cr, PL__BLACK, 1);
    pl__text(cr, "rank correlation (rho) with the predicted option", ax.x + ax.w / 2, ty, 0.5, 0);
    if (o->legend) {
        /* The colour key: two swatches and their meaning. */
        double ly = ty + pl__line_height(cr) + 10 * st.u, sw = 12 * st.u, lx = ax.x;
        pl__font(cr, st.legend, 0);
        const char *txt[2] = {"higher parameter, later option", "higher parameter, earlier option"};
        for (int k = 0; k < 2; k++) {
            pl__set_color(cr, k == 0 ? pl__party_color(0) : pl__party_color(1), 1);
            cairo_rectangle(cr, lx, ly, sw, sw);
            cairo_fill(cr);
            pl__set_color(cr, PL__BLACK, 1);
            pl__text(cr, txt[k], lx + sw + 6 * st.u, ly + sw / 2, 0, 0.5);
            lx += sw + 6 * st.u + pl__text_width(cr, txt[k]) + 24 * st.u;
        }
    }
    cairo_restore(cr);
}

int pl_plot_tornado_render(cairo_t *cr, double width, double height, const pl_robustness *r,
                           const pl_plot_options *opts, pl_diag *d)
{
    pl_plot_options o;
    pl_plot_options_init(&o);
    if (PL__OPTS_READ(pl_plot_options, &o, opts, scale, d) < 0) {
        return PL_EINVAL;
    }
    if (!r) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "plot: no robustness result");
    }
    if (!(width >= 200) || !(height >= 150) || width > 100000 || height > 100000) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0,
                            "plot: the size must be at least 200 x 150 (and at most 100000 x 100000), not %g x %g",
                            width, height);
    }
    cairo_save(cr);
    cairo_rectangle(cr, 0, 0, width, height);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    tornado_draw(cr, width, height, r, &o);
    cairo_restore(cr);
    return pl__plot_check_cairo(cairo_status(cr), d);
}

typedef struct tornado_ctx {
    const pl_robustness *r;
    const pl_plot_options *o;
} tornado_ctx;

static int render_tornado(cairo_t *cr, double width, double height, void *ud, pl_diag *d)
{
    const tornado_ctx *c = ud;
    return pl_plot_tornado_render(cr, width, height, c->r, c->o, d);
}

int pl_plot_tornado_save(const char *path, double width, double height, const pl_robustness *r,
                         const pl_plot_options *opts, pl_diag *d)
{
    pl_plot_options o;
    pl_plot_options_init(&o);
    if (PL__OPTS_READ(pl_plot_options, &o, opts, scale, d) < 0) {
        return PL_EINVAL;
    }
    if (!r) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "plot: no robustness result");
    }
    if (width <= 0 || height <= 0) {
        pl_plot_tornado_size(r, &o, &width, &height);
    }
    tornado_ctx c = {r, &o};
    return pl__plot_save_with(path, width, height, o.scale, pl_scenario_name(tornado_scenario(r)), render_tornado,
                              &c, d);
}
