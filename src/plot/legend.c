/* Legends: a column of entries (a swatch drawn like the element it names, and text wrapped to the column's width)
 * with bold headings between groups. Legends sit beside the data, never on it, so they cannot hide anything. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "plot/plot_internal.h"

#define MAX_LINES 4

void pl__legend_add(pl__legend *l, pl__swatch kind, pl__mark mark, pl__rgb fill, pl__rgb line, const char *fmt, ...)
{
    if (l->n == PL__LEGEND_MAX) {
        return;
    }
    pl__legend_item *it = &l->items[l->n++];
    it->kind = kind;
    it->mark = mark;
    it->fill = fill;
    it->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->text, sizeof it->text, fmt, ap);
    va_end(ap);
}

static double swatch_w(const pl__style *st)
{
    return 30 * st->u;
}

static void item_font(cairo_t *cr, const pl__legend_item *it, const pl__style *st)
{
    pl__font(cr, it->kind == PL__SW_NOTE ? st->legend * 0.92 : st->legend, it->kind == PL__SW_HEADING);
}

/* Text width available to an item. */
static double text_w(const pl__legend_item *it, const pl__style *st, double width)
{
    return it->kind == PL__SW_HEADING || it->kind == PL__SW_NOTE ? width : width - swatch_w(st) - 6 * st->u;
}

/* Height of one item, and the space before it. */
static double item_h(cairo_t *cr, const pl__legend_item *it, const pl__style *st, double width, size_t index,
                     double *before)
{
    char lines[MAX_LINES][160];
    item_font(cr, it, st);
    size_t n = pl__wrap(cr, it->text, text_w(it, st, width), lines, MAX_LINES);
    double lh = pl__line_height(cr);
    *before = index == 0 ? 0 : it->kind == PL__SW_HEADING ? 11 * st->u : 4 * st->u;
    double h = (double)(n ? n : 1) * lh;
    return h;
}

double pl__legend_height(cairo_t *cr, const pl__legend *l, const pl__style *st, double width)
{
    double h = 0, before;
    cairo_save(cr);
    for (size_t k = 0; k < l->n; k++) {
        double ih = item_h(cr, &l->items[k], st, width, k, &before);
        h += before + ih;
    }
    cairo_restore(cr);
    return h;
}

static void swatch(cairo_t *cr, const pl__legend_item *it, const pl__style *st, double x, double cy)
{
    double w = swatch_w(st), u = st->u;
    cairo_save(cr);
    switch (it->kind) {
    case PL__SW_MARK:
        if (it->mark == PL__MARK_RING) {
            pl__marker(cr, it->mark, x + w / 2, cy, 6.5 * u, it->fill, it->line, 2.0 * u);
        } else {
            pl__marker(cr, it->mark, x + w / 2, cy, it->mark == PL__MARK_CIRCLE ? 3.6 * u : 6.5 * u, it->fill, it->line,
                       it->mark == PL__MARK_CIRCLE ? 0 : 1.2 * u);
        }
        break;
    case PL__SW_LINE:
    case PL__SW_DASH:
        pl__set_color(cr, it->line, 1);
        cairo_set_line_width(cr, (it->kind == PL__SW_LINE ? 1.8 : 1.5) * u);
        if (it->kind == PL__SW_DASH) {
            double dash[2] = {5 * u, 3.5 * u};
            cairo_set_dash(cr, dash, 2, 0);
        }
        cairo_move_to(cr, x + 1 * u, cy);
        cairo_line_to(cr, x + w - 1 * u, cy);
        cairo_stroke(cr);
        if (it->kind == PL__SW_LINE && it->mark == PL__MARK_CIRCLE) {
            pl__marker(cr, PL__MARK_CIRCLE, x + w / 2, cy, 2.4 * u, it->line, it->line, 0);
        }
        break;
    case PL__SW_FADE:
        for (int k = 0; k < 4; k++) {
            pl__set_color(cr, it->fill, 0.18 + 0.82 * k / 3.0);
            cairo_new_path(cr);
            pl__marker_path(cr, PL__MARK_CIRCLE, x + (3.5 + k * 7.7) * u, cy, 3.2 * u);
            cairo_fill(cr);
        }
        break;
    case PL__SW_DENSITY:
        for (int k = 0; k < 6; k++) {
            double g = 0.86 - 0.58 * k / 5.0;
            cairo_set_source_rgb(cr, g, g, g);
            cairo_rectangle(cr, x + k * w / 6, cy - 5 * u, w / 6 + 0.3 * u, 10 * u);
            cairo_fill(cr);
        }
        break;
    default:
        break;
    }
    cairo_restore(cr);
}

void pl__legend_draw(cairo_t *cr, const pl__legend *l, const pl__style *st, double x, double y, double width)
{
    cairo_save(cr);
    double before;
    for (size_t k = 0; k < l->n; k++) {
        const pl__legend_item *it = &l->items[k];
        double h = item_h(cr, it, st, width, k, &before);
        y += before;
        char lines[MAX_LINES][160];
        item_font(cr, it, st);
        size_t n = pl__wrap(cr, it->text, text_w(it, st, width), lines, MAX_LINES);
        double lh = pl__line_height(cr);
        double tx = x;
        if (it->kind != PL__SW_HEADING && it->kind != PL__SW_NOTE) {
            swatch(cr, it, st, x, y + lh / 2);
            tx = x + swatch_w(st) + 6 * st->u;
        }
        pl__set_color(cr, it->kind == PL__SW_NOTE ? PL__GREY_TEXT : PL__BLACK, 1);
        for (size_t j = 0; j < n; j++) {
            pl__text(cr, lines[j], tx, y + (double)j * lh, 0, 0);
        }
        y += h;
    }
    cairo_restore(cr);
}
