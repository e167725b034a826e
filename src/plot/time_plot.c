/* Utility over time: one panel per party, stacked on a shared time axis, showing that party's (undiscounted)
 * utility of every offer against relative time, each offer in the colour of the party that made it. A party's own
 * offers show how it concedes; the others' show how they come towards it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot_internal.h"

/* Mean absolute change of party k's utility between actor q's successive moves on its trail. */
static double mean_step(const pl_plot_session *s, size_t q, size_t k)
{
    double sum = 0, last = NAN;
    size_t n = 0;
    int trail;
    for (size_t j = 0; j < s->n; j++) {
        if (!pl__session_move(s, j, q, &trail) || !trail) {
            continue;
        }
        double u = s->utils[j * s->np + k];
        if (!isnan(last)) {
            sum += fabs(u - last);
            n++;
        }
        last = u;
    }
    return n ? sum / (double)n : 0;
}

static void time_panel(cairo_t *cr, const pl__style *st, const pl__axes *a, const pl__ticks *tx, const pl__ticks *ty,
                       const pl_plot_data *p, const pl_plot_session *s, size_t k, int last)
{
    pl__axes_grid(cr, a, tx, ty, st);
    cairo_save(cr);
    pl__axes_clip(cr, a, 0);
    double dash[2] = {6 * st->u, 4 * st->u};
    cairo_save(cr);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 1.5 * st->u);
    pl__set_color(cr, PL__GREY_TEXT, 1);
    double r = pl_ufun_reservation(pl_scenario_ufun(p->sc, k));
    cairo_move_to(cr, a->x, pl__ax_y(a, r));
    cairo_line_to(cr, a->x + a->w, pl__ax_y(a, r));
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_restore(cr);
    cairo_save(cr);
    pl__axes_clip(cr, a, 12 * st->u);
    int trail;
    double tend = s->n ? s->acts[s->n - 1].t : 0;
    for (size_t q = 0; q < pl__session_actors(s); q++) {
        int smooth = mean_step(s, q, k) <= 0.04 * (a->ymax - a->ymin);
        cairo_new_path(cr);
        int started = 0, steps = 0;
        double ly = 0;
        for (size_t j = 0; j < s->n; j++) {
            if (!pl__session_move(s, j, q, &trail) || !trail) {
                continue;
            }
            double x = pl__ax_x(a, s->acts[j].t), y = pl__ax_y(a, s->utils[j * s->np + k]);
            steps = s->acts[j].proposal; /* single text: the text holds its value until the next change stands */
            if (started) {
                if (steps) {
                    cairo_line_to(cr, x, ly);
                }
                cairo_line_to(cr, x, y);
            } else {
                cairo_move_to(cr, x, y);
                started = 1;
            }
            ly = y;
        }
        if (started && steps) {
            cairo_line_to(cr, pl__ax_x(a, tend), ly);
        }
        if (!smooth && !steps) { /* a series jumping up and down: its segments would only hide the dots */
            cairo_new_path(cr);
        }
        pl__set_color(cr, pl__actor_color(s, q), steps ? 0.8 : 0.4);
        cairo_set_line_width(cr, 1.0 * st->u);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        /* Dots, at most one per pixel column and row per party; single text: vetoed changes small and faint, then
         * the changes that stood over them. */
        for (int on_trail = 0; on_trail < 2; on_trail++) {
            cairo_new_path(cr);
            double px = -1e300, py = -1e300;
            for (size_t j = 0; j < s->n; j++) {
                if (!pl__session_move(s, j, q, &trail) || trail != on_trail) {
                    continue;
                }
                double x = pl__ax_x(a, s->acts[j].t), y = pl__ax_y(a, s->utils[j * s->np + k]);
                if (fabs(x - px) < 1 && fabs(y - py) < 1) {
                    continue;
                }
                px = x;
                py = y;
                pl__marker_path(cr, PL__MARK_CIRCLE, x, y, (on_trail ? 2.4 : 1.8) * st->u);
            }
            pl__set_color(cr, pl__actor_color(s, q), on_trail ? 0.95 : 0.45);
            cairo_fill(cr);
        }
    }
    double *u = pl__malloc(s->np * sizeof *u), t;
    uint64_t round;
    char status[32];
    if (u && pl__session_agreement(s, u, &t, &round, status)) {
        pl__marker(cr, PL__MARK_RING, pl__ax_x(a, t), pl__ax_y(a, u[k]), 10 * st->u, PL__WHITE, PL__BLACK, 2.0 * st->u);
    }
    pl__free(u);
    cairo_restore(cr);
    char yt[300];
    snprintf(yt, sizeof yt, "utility of %s", pl_scenario_party_name(p->sc, k));
    pl__axes_frame(cr, a, tx, ty, st, last ? "relative time t" : NULL, yt);
}

static void time_legend(const pl_plot_data *p, const pl_plot_session *s, pl__legend *l)
{
    pl__rgb none = PL__BLACK;
    l->n = 0;
    pl__session_legend(s, l);
    pl__legend_add(l, PL__SW_HEADING, 0, none, none, "In each panel");
    pl__legend_add(l, PL__SW_DASH, 0, none, PL__GREY_TEXT, "the party's reservation value");
    double *u = pl__malloc(p->np * sizeof *u), t;
    uint64_t round;
    char status[32];
    if (u && pl__session_agreement(s, u, &t, &round, status)) {
        pl__legend_add(l, PL__SW_MARK, PL__MARK_RING, PL__WHITE, PL__BLACK, "agreement, round %llu (t = %.3f)",
                       (unsigned long long)round, t);
    } else if (u) {
        pl__legend_add(l, PL__SW_NOTE, 0, none, none, "no agreement%s%s%s", strcmp(status, "no agreement") ? " (" : "",
                       strcmp(status, "no agreement") ? status : "", strcmp(status, "no agreement") ? ")" : "");
    }
    pl__free(u);
    pl__legend_add(l, PL__SW_NOTE, 0, none, none, "Utilities are undiscounted.");
}

int pl__render_time(cairo_t *cr, double width, double height, const pl_plot_data *p, const pl_plot_session *s,
                    const pl_plot_options *o)
{
    pl__style st = pl__style_for(width, height);
    char sub[1024], title[512];
    pl__plot_subtitle(p, s, sub, sizeof sub);
    snprintf(title, sizeof title, "%s: utility of every %s over time", o->title ? o->title : pl_scenario_name(p->sc),
             s->n && s->acts[0].proposal ? "proposal" : "offer");
    double top = pl__plot_heading(cr, &st, width, title, sub);
    double m = 12 * st.u, bottom = height - m;
    double lw = o->legend ? fmin(fmax(0.25 * width, 190 * st.u), 300 * st.u) : 0;
    size_t np = p->np;
    double ph = (bottom - top) / (double)np;
    pl__ticks tx = pl__ticks_for(0, 1, 6);
    double br = pl__axes_bottom_room(cr, &st, 0), brl = pl__axes_bottom_room(cr, &st, 1);
    /* One left margin for every panel, so their time axes line up. */
    double left = 0;
    pl__ticks *ty = pl__calloc(np, sizeof *ty);
    if (!ty) {
        return PL_ENOMEM;
    }
    for (size_t k = 0; k < np; k++) {
        ty[k] = pl__ticks_for(p->lo[k], p->hi[k], 5);
        double l = pl__axes_left_room(cr, &ty[k], &st, 1);
        left = l > left ? l : left;
    }
    for (size_t k = 0; k < np; k++) {
        int last = k + 1 == np;
        pl__axes a;
        a.x = m + left;
        a.w = width - lw - m - a.x - 8 * st.u;
        a.y = top + (double)k * ph + 4 * st.u;
        a.h = ph - 4 * st.u - (last ? brl : br) - (last ? 0 : 6 * st.u);
        a.h = a.h < 10 ? 10 : a.h;
        a.xmin = -0.02;
        a.xmax = 1.02;
        double y0 = ty[k].first, y1 = ty[k].first + (ty[k].n - 1) * ty[k].step, pad = (y1 - y0) * 0.05;
        a.ymin = y0 - pad;
        a.ymax = y1 + pad;
        time_panel(cr, &st, &a, &tx, &ty[k], p, s, k, last);
    }
    pl__free(ty);
    if (o->legend) {
        pl__legend l;
        time_legend(p, s, &l);
        pl__legend_draw(cr, &l, &st, width - lw, top + 4 * st.u, lw - m);
    }
    return 0;
}
