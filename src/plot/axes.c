/* Axes: "nice" tick positions (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990: steps of 1, 2 or 5
 * times a power of ten, labels with just enough decimals), the data-to-page mapping, grid, frame, tick labels and
 * axis titles. Tick labels of one axis share one number of decimals, so a column of them lines up. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot/plot_internal.h"

/* Heckbert's nicenum: a number of the form {1, 2, 5, 10} x 10^k near x, rounded or not below x. */
static double nice_num(double x, int round)
{
    double e = floor(log10(x)), f = x / pow(10, e), nf;
    if (round) {
        nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    } else {
        nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    }
    return nf * pow(10, e);
}

pl__ticks pl__ticks_for(double lo, double hi, int target)
{
    pl__ticks t = {lo, 1, 1, 0};
    if (!(hi > lo) || !isfinite(lo) || !isfinite(hi)) {
        double c = isfinite(lo) ? lo : 0;
        t.first = c;
        return t;
    }
    if (target < 2) {
        target = 2;
    }
    double range = nice_num(hi - lo, 0);
    double step = nice_num(range / (target - 1), 1);
    double first = floor(lo / step + 1e-9) * step, last = ceil(hi / step - 1e-9) * step;
    t.first = first;
    t.step = step;
    t.n = (int)floor((last - first) / step + 0.5) + 1;
    int dec = (int)-floor(log10(step) + 1e-9);
    t.decimals = dec > 0 ? dec : 0;
    return t;
}

static double tick_at(const pl__ticks *t, int k)
{
    double v = t->first + k * t->step;
    return fabs(v) < t->step * 1e-9 ? 0 : v; /* no "-0.0" */
}

static void tick_label(const pl__ticks *t, int k, char *buf, size_t size)
{
    snprintf(buf, size, "%.*f", t->decimals, tick_at(t, k));
}

double pl__ax_x(const pl__axes *a, double v)
{
    return a->x + (v - a->xmin) / (a->xmax - a->xmin) * a->w;
}

double pl__ax_y(const pl__axes *a, double v)
{
    return a->y + a->h - (v - a->ymin) / (a->ymax - a->ymin) * a->h;
}

static int inside(double v, double lo, double hi)
{
    double eps = (hi - lo) * 1e-9;
    return v >= lo - eps && v <= hi + eps;
}

void pl__axes_grid(cairo_t *cr, const pl__axes *a, const pl__ticks *tx, const pl__ticks *ty, const pl__style *st)
{
    cairo_save(cr);
    pl__set_color(cr, PL__GRID, 1);
    cairo_set_line_width(cr, 0.8 * st->u);
    for (int k = 0; tx && k < tx->n; k++) {
        double v = tick_at(tx, k);
        if (inside(v, a->xmin, a->xmax)) {
            double x = pl__ax_x(a, v);
            cairo_move_to(cr, x, a->y);
            cairo_line_to(cr, x, a->y + a->h);
        }
    }
    for (int k = 0; ty && k < ty->n; k++) {
        double v = tick_at(ty, k);
        if (inside(v, a->ymin, a->ymax)) {
            double y = pl__ax_y(a, v);
            cairo_move_to(cr, a->x, y);
            cairo_line_to(cr, a->x + a->w, y);
        }
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

static double tick_len(const pl__style *st)
{
    return 4.5 * st->u;
}

static double gap(const pl__style *st)
{
    return 5 * st->u;
}

double pl__axes_left_room(cairo_t *cr, const pl__ticks *ty, const pl__style *st, int ytitle)
{
    pl__font(cr, st->tick, 0);
    double w = 0;
    char buf[64];
    for (int k = 0; ty && k < ty->n; k++) {
        tick_label(ty, k, buf, sizeof buf);
        double tw = pl__text_width(cr, buf);
        w = tw > w ? tw : w;
    }
    double room = tick_len(st) + gap(st) + w;
    if (ytitle) {
        pl__font(cr, st->label, 0);
        room += gap(st) * 1.6 + pl__line_height(cr);
    }
    return room + 2 * st->u;
}

double pl__axes_bottom_room(cairo_t *cr, const pl__style *st, int xtitle)
{
    pl__font(cr, st->tick, 0);
    double room = tick_len(st) + gap(st) + pl__line_height(cr);
    if (xtitle) {
        pl__font(cr, st->label, 0);
        room += gap(st) * 1.2 + pl__line_height(cr);
    }
    return room + 2 * st->u;
}

void pl__axes_clip(cairo_t *cr, const pl__axes *a, double pad)
{
    cairo_rectangle(cr, a->x - pad, a->y - pad, a->w + 2 * pad, a->h + 2 * pad);
    cairo_clip(cr);
}

void pl__axes_frame(cairo_t *cr, const pl__axes *a, const pl__ticks *tx, const pl__ticks *ty, const pl__style *st,
                    const char *xtitle, const char *ytitle)
{
    cairo_save(cr);
    double lw = 1.0 * st->u, tl = tick_len(st);
    pl__set_color(cr, PL__GREY_TEXT, 1);
    cairo_set_line_width(cr, lw);
    cairo_rectangle(cr, a->x, a->y, a->w, a->h);
    cairo_stroke(cr);
    char buf[64];
    pl__font(cr, st->tick, 0);
    double maxw = 0;
    /* x ticks and labels; a label that would overlap the previous one is skipped (the tick stays). */
    double last_right = -1e300;
    for (int k = 0; tx && k < tx->n; k++) {
        double v = tick_at(tx, k);
        if (!inside(v, a->xmin, a->xmax)) {
            continue;
        }
        double x = pl__ax_x(a, v);
        cairo_move_to(cr, x, a->y + a->h);
        cairo_line_to(cr, x, a->y + a->h + tl);
        cairo_stroke(cr);
        tick_label(tx, k, buf, sizeof buf);
        double w = pl__text_width(cr, buf);
        if (x - w / 2 > last_right + gap(st)) {
            pl__text(cr, buf, x, a->y + a->h + tl + gap(st) * 0.6, 0.5, 0);
            last_right = x + w / 2;
        }
    }
    double last_top = 1e300;
    for (int k = 0; ty && k < ty->n; k++) {
        double v = tick_at(ty, k);
        if (!inside(v, a->ymin, a->ymax)) {
            continue;
        }
        double y = pl__ax_y(a, v);
        cairo_move_to(cr, a->x, y);
        cairo_line_to(cr, a->x - tl, y);
        cairo_stroke(cr);
        tick_label(ty, k, buf, sizeof buf);
        double w = pl__text_width(cr, buf), h = pl__line_height(cr);
        maxw = w > maxw ? w : maxw;
        if (y + h / 2 < last_top - gap(st) * 0.2) {
            pl__text(cr, buf, a->x - tl - gap(st), y, 1, 0.5);
            last_top = y - h / 2;
        }
    }
    pl__font(cr, st->label, 0);
    char fit[256];
    if (xtitle) {
        pl__font(cr, st->tick, 0);
        double below = a->y + a->h + tl + gap(st) * 0.6 + pl__line_height(cr) + gap(st) * 1.2;
        pl__font(cr, st->label, 0);
        pl__set_color(cr, PL__BLACK, 1);
        pl__text(cr, pl__fit(cr, xtitle, a->w, fit, sizeof fit), a->x + a->w / 2, below, 0.5, 0);
    }
    if (ytitle) {
        double left = a->x - tl - gap(st) - maxw - gap(st) * 1.6;
        pl__set_color(cr, PL__BLACK, 1);
        pl__text_rotated(cr, pl__fit(cr, ytitle, a->h, fit, sizeof fit), left, a->y + a->h / 2, 0.5, 1, PL__PI / 2);
    }
    cairo_restore(cr);
}
