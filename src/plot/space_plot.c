/* The utility-space figure: for two parties one panel, for more one panel per pair in the lower triangle of a
 * scatter-plot matrix (the legend takes the empty upper triangle). A panel draws, bottom to top: grid, outcomes
 * (points or a density), reservation lines, each party's offers fading from early to late, the pair's Pareto
 * frontier, the bargaining points (largest marker first, so coinciding points all stay visible) and the agreement
 * as a ring (which hides nothing). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/names.h"
#include "plot/plot_internal.h"

static void fmt_vector(const double *u, size_t n, char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = 0;
    for (size_t j = 0; j < n && k < size; j++) {
        int w = snprintf(buf + k, size - k, "%s%.3f", j ? ", " : "", u[j]);
        k += w > 0 ? (size_t)w : 0;
    }
}

void pl__plot_subtitle(const pl_plot_data *p, const pl_plot_session *s, char *buf, size_t size)
{
    char n[32], m[32];
    size_t k = 0;
#define ADD(...)                                                                                                       \
    do {                                                                                                               \
        if (k < size) {                                                                                                \
            int w_ = snprintf(buf + k, size - k, __VA_ARGS__);                                                         \
            k += w_ > 0 ? (size_t)w_ : 0;                                                                              \
        }                                                                                                              \
    } while (0)
    buf[0] = 0;
    if (p->enumerable) {
        ADD("%s outcomes", pl__thousands(p->outcomes, n, sizeof n));
    } else {
        ADD("10^%.1f outcomes", p->log10_outcomes);
    }
    if (p->cloud == PL__CLOUD_DENSITY) {
        ADD(" (as a density)");
    } else if (p->cloud == PL__CLOUD_SAMPLED) {
        ADD(", %s sampled at random (seed %llu)", pl__thousands(p->drawn, m, sizeof m), (unsigned long long)p->seed);
    }
    const pl_frontier *f = pl_analysis_frontier(p->analysis);
    if (p->np > 2) {
        ADD(" \xC2\xB7 Pareto frontier of all %zu parties", p->np);
    } else {
        ADD(" \xC2\xB7 Pareto frontier");
    }
    ADD(": %s point%s%s", pl__thousands(pl_frontier_size(f), n, sizeof n), pl_frontier_size(f) == 1 ? "" : "s",
        pl_frontier_exact(f) ? "" : ", APPROXIMATE (search)");
    if (s) {
        int named = 0;
        for (size_t q = 0; q < s->np; q++) {
            named |= s->agents[q] != NULL;
        }
        if (named) {
            ADD(" \xC2\xB7 ");
            for (size_t q = 0; q < s->np; q++) {
                ADD("%s%s", q ? " vs " : "", s->agents[q] ? s->agents[q] : "?");
            }
        }
        double *u = pl__malloc(s->np * sizeof *u);
        double t = 0;
        uint64_t round = 0;
        char status[32];
        if (u && pl__session_agreement(s, u, &t, &round, status)) {
            ADD(" \xC2\xB7 agreement in round %llu (t = %.2f)", (unsigned long long)round, t);
        } else if (u) {
            ADD(" \xC2\xB7 %s", strcmp(status, pl_session_status_name(PL_SESSION_DEADLINE)) == 0 ? "no agreement by the deadline" : status);
        }
        pl__free(u);
    }
#undef ADD
}

double pl__plot_heading(cairo_t *cr, const pl__style *st, double width, const char *title, const char *subtitle)
{
    double m = 18 * st->u, y = 14 * st->u;
    char fit[512], lines[2][160];
    cairo_save(cr);
    pl__font(cr, st->title, 1);
    pl__set_color(cr, PL__BLACK, 1);
    pl__text(cr, pl__fit(cr, title, width - 2 * m, fit, sizeof fit), m, y, 0, 0);
    y += pl__line_height(cr) + 3 * st->u;
    if (subtitle && subtitle[0]) {
        pl__font(cr, st->subtitle, 0);
        pl__set_color(cr, PL__GREY_TEXT, 1);
        size_t n = pl__wrap(cr, subtitle, width - 2 * m, lines, 2);
        for (size_t k = 0; k < n; k++) {
            pl__text(cr, lines[k], m, y, 0, 0);
            y += pl__line_height(cr);
        }
    }
    cairo_restore(cr);
    return y + 8 * st->u;
}

/* ---- One panel ---- */

static void draw_points(cairo_t *cr, const pl__axes *a, const pl_plot_data *p, size_t px, size_t py, double r)
{
    /* One dot per pixel at most: outcomes sharing a pixel look the same, and files stay small. */
    size_t gw = (size_t)ceil(a->w) + 1, gh = (size_t)ceil(a->h) + 1;
    unsigned char *seen = pl__calloc(gw * gh / 8 + 1, 1);
    cairo_new_path(cr);
    for (uint64_t o = 0; o < p->drawn; o++) {
        double x = pl__ax_x(a, p->utils[o * p->np + px]), y = pl__ax_y(a, p->utils[o * p->np + py]);
        if (seen) {
            double cx = floor(x - a->x), cy = floor(y - a->y);
            if (cx >= 0 && cy >= 0 && cx < (double)gw && cy < (double)gh) {
                size_t bit = (size_t)cy * gw + (size_t)cx;
                if (seen[bit / 8] & (1u << (bit % 8))) {
                    continue;
                }
                seen[bit / 8] |= (unsigned char)(1u << (bit % 8));
            }
        }
        pl__marker_path(cr, PL__MARK_CIRCLE, x, y, r);
    }
    pl__free(seen);
    pl__set_color(cr, PL__CLOUD, 1);
    cairo_fill(cr);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The count drawn darkest: the 99th percentile of the non-empty cells, so that a few crowded cells (outcomes a red
 * line sets to 0 all land on one axis) do not wash the rest of the cloud out. */
static uint32_t density_scale(const uint32_t *cells, size_t n)
{
    uint32_t *v = pl__malloc(n * sizeof *v), top = 1;
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        if (cells[k]) {
            if (v) {
                v[m] = cells[k];
            }
            m++;
            top = cells[k] > top ? cells[k] : top;
        }
    }
    if (v && m) {
        qsort(v, m, sizeof *v, cmp_u32);
        top = v[(size_t)((double)(m - 1) * 0.99)];
    }
    pl__free(v);
    return top > 1 ? top : 2;
}

static void draw_density(cairo_t *cr, const pl__axes *a, const pl_plot_data *p, size_t px, size_t py)
{
    int swapped;
    const pl__pair *pr = pl__plot_pair(p, px, py, &swapped);
    if (!pr || !pr->density || pr->density_max == 0) {
        return;
    }
    int b = (int)p->bins;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, b, b);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        return;
    }
    cairo_surface_flush(img);
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    double lmax = log1p((double)density_scale(pr->density, (size_t)b * b));
    for (int row = 0; row < b; row++) {     /* image rows from the top: the y party's highest cell first */
        for (int col = 0; col < b; col++) { /* columns: the x party, lowest first */
            int ry = b - 1 - row;
            uint32_t c = swapped ? pr->density[(size_t)col * b + ry] : pr->density[(size_t)ry * b + col];
            uint32_t px32 = 0;
            if (c) {
                /* Log scale: one outcome is visible, dense regions are dark without swallowing the rest. */
                double v = fmin(1, log1p((double)c) / lmax);
                unsigned g = (unsigned)lround(255 * (0.88 - 0.50 * v));
                px32 = 0xFF000000u | g << 16 | g << 8 | g;
            }
            memcpy(data + (size_t)row * stride + (size_t)col * 4, &px32, 4);
        }
    }
    cairo_surface_mark_dirty(img);
    double x0 = pl__ax_x(a, p->lo[px]), x1 = pl__ax_x(a, p->hi[px]);
    double y0 = pl__ax_y(a, p->hi[py]), y1 = pl__ax_y(a, p->lo[py]);
    cairo_save(cr);
    cairo_translate(cr, x0, y0);
    cairo_scale(cr, (x1 - x0) / b, (y1 - y0) / b);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_rectangle(cr, 0, 0, b, b);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
}

static void draw_reservations(cairo_t *cr, const pl__axes *a, const pl_plot_data *p, const pl__style *st, size_t px,
                              size_t py)
{
    double dash[2] = {6 * st->u, 4 * st->u};
    cairo_save(cr);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 1.5 * st->u);
    double rx = pl_ufun_reservation(pl_scenario_ufun(p->sc, px));
    double ry = pl_ufun_reservation(pl_scenario_ufun(p->sc, py));
    pl__set_color(cr, pl__party_color(px), 1);
    cairo_move_to(cr, pl__ax_x(a, rx), a->y);
    cairo_line_to(cr, pl__ax_x(a, rx), a->y + a->h);
    cairo_stroke(cr);
    pl__set_color(cr, pl__party_color(py), 1);
    cairo_move_to(cr, a->x, pl__ax_y(a, ry));
    cairo_line_to(cr, a->x + a->w, pl__ax_y(a, ry));
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void draw_frontier(cairo_t *cr, const pl__axes *a, const pl_plot_data *p, const pl__style *st, size_t px,
                          size_t py)
{
    int swapped;
    const pl__pair *pr = pl__plot_pair(p, px, py, &swapped);
    if (!pr || !pr->frontier) {
        return;
    }
    size_t n = pl_frontier_size(pr->frontier);
    cairo_save(cr);
    cairo_new_path(cr);
    for (size_t k = 0; k < n; k++) {
        const double *u = pl_frontier_utilities(pr->frontier, k);
        double x = pl__ax_x(a, u[swapped]), y = pl__ax_y(a, u[!swapped]);
        if (k == 0) {
            cairo_move_to(cr, x, y);
        } else {
            cairo_line_to(cr, x, y);
        }
    }
    pl__set_color(cr, PL__BLACK, 1);
    cairo_set_line_width(cr, 1.7 * st->u);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    if (n <= 300) {
        cairo_new_path(cr);
        for (size_t k = 0; k < n; k++) {
            const double *u = pl_frontier_utilities(pr->frontier, k);
            pl__marker_path(cr, PL__MARK_CIRCLE, pl__ax_x(a, u[swapped]), pl__ax_y(a, u[!swapped]), 2.0 * st->u);
        }
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

static void draw_points_of_analysis(cairo_t *cr, const pl__axes *a, const pl_plot_data *p, const pl__style *st,
                                    size_t px, size_t py)
{
    static const struct {
        pl_point_kind kind;
        pl__mark mark;
        double r;
    } order[] = {{PL_POINT_MAX_WELFARE, PL__MARK_SQUARE, 8.0},
                 {PL_POINT_NASH, PL__MARK_DIAMOND, 6.6},
                 {PL_POINT_KALAI_SMORODINSKY, PL__MARK_TRIANGLE, 5.2}};
    const pl_frontier *f = pl_analysis_frontier(p->analysis);
    for (size_t k = 0; k < 3; k++) {
        long i = pl_analysis_point(p->analysis, order[k].kind);
        if (i < 0) {
            continue;
        }
        const double *u = pl_frontier_utilities(f, (size_t)i);
        pl__rgb fill = order[k].kind == PL_POINT_NASH                ? PL__NASH
                       : order[k].kind == PL_POINT_KALAI_SMORODINSKY ? PL__KS
                                                                     : PL__WELFARE;
        pl__marker(cr, order[k].mark, pl__ax_x(a, u[px]), pl__ax_y(a, u[py]), order[k].r * st->u, fill, PL__BLACK,
                   1.2 * st->u);
    }
}

/* Moves (offers, proposals) on actor q's trail, counting a repetition of the previous position once. */
static size_t distinct_moves(const pl_plot_session *s, size_t q, size_t px, size_t py)
{
    size_t n = 0;
    double lx = NAN, ly = NAN;
    int trail;
    for (size_t k = 0; k < s->n; k++) {
        if (!pl__session_move(s, k, q, &trail) || !trail) {
            continue;
        }
        const double *u = s->utils + k * s->np;
        if (!(u[px] == lx && u[py] == ly)) {
            n++;
            lx = u[px];
            ly = u[py];
        }
    }
    return n;
}

static void draw_offers(cairo_t *cr, const pl__axes *a, const pl_plot_session *s, const pl__style *st, size_t px,
                        size_t py)
{
    double tmax = 0;
    int trail;
    for (size_t k = 0; k < s->n; k++) {
        tmax = s->acts[k].t > tmax ? s->acts[k].t : tmax;
    }
    cairo_save(cr);
    /* Trails first, each party's offers joined in order (single text: the proposals that stood, the text's path),
     * then the dots in time order on top. A party that jumps between many offers (a time-based agent picking among
     * outcomes of equal utility to itself) gets no trail: hundreds of crossing segments hide the walk. */
    for (size_t q = 0; q < pl__session_actors(s); q++) {
        if (distinct_moves(s, q, px, py) > 60) {
            continue;
        }
        cairo_new_path(cr);
        int started = 0;
        for (size_t k = 0; k < s->n; k++) {
            if (!pl__session_move(s, k, q, &trail) || !trail) {
                continue;
            }
            const double *u = s->utils + k * s->np;
            if (started) {
                cairo_line_to(cr, pl__ax_x(a, u[px]), pl__ax_y(a, u[py]));
            } else {
                cairo_move_to(cr, pl__ax_x(a, u[px]), pl__ax_y(a, u[py]));
                started = 1;
            }
        }
        pl__set_color(cr, pl__actor_color(s, q), s->mediated ? 0.7 : 0.35);
        cairo_set_line_width(cr, (s->mediated ? 1.4 : 1.0) * st->u);
        cairo_stroke(cr);
    }
    for (size_t k = 0; k < s->n; k++) {
        const pl__act *ac = &s->acts[k];
        if (!pl__session_move(s, k, ac->party, &trail)) {
            continue;
        }
        const double *u = s->utils + k * s->np;
        double x = pl__ax_x(a, u[px]), y = pl__ax_y(a, u[py]);
        /* A party repeating an offer draws it once, at the time of its last repetition. */
        size_t next = k + 1;
        int tr;
        while (next < s->n && !pl__session_move(s, next, ac->party, &tr)) {
            next++;
        }
        if (next < s->n) {
            const double *v = s->utils + next * s->np;
            if (v[px] == u[px] && v[py] == u[py]) {
                continue;
            }
        }
        double f = tmax > 0 ? ac->t / tmax : 1;
        pl__set_color(cr, pl__actor_color(s, ac->party), (0.16 + 0.84 * f) * (trail ? 1 : 0.45));
        cairo_new_path(cr);
        pl__marker_path(cr, PL__MARK_CIRCLE, x, y, (trail ? 3.3 : 2.4) * st->u);
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

static void draw_agreement(cairo_t *cr, const pl__axes *a, const pl_plot_session *s, const pl__style *st, size_t px,
                           size_t py)
{
    double *u = pl__malloc(s->np * sizeof *u), t;
    uint64_t round;
    char status[32];
    if (u && pl__session_agreement(s, u, &t, &round, status)) {
        pl__marker(cr, PL__MARK_RING, pl__ax_x(a, u[px]), pl__ax_y(a, u[py]), 12 * st->u, PL__WHITE, PL__BLACK,
                   2.2 * st->u);
    }
    pl__free(u);
}

/* The panel's data ranges and ticks. */
static void panel_scales(const pl_plot_data *p, size_t px, size_t py, pl__ticks *tx, pl__ticks *ty, pl__axes *a)
{
    *tx = pl__ticks_for(p->lo[px], p->hi[px], 6);
    *ty = pl__ticks_for(p->lo[py], p->hi[py], 6);
    double x0 = tx->first, x1 = tx->first + (tx->n - 1) * tx->step;
    double y0 = ty->first, y1 = ty->first + (ty->n - 1) * ty->step;
    double padx = (x1 - x0) * 0.03, pady = (y1 - y0) * 0.03;
    a->xmin = x0 - padx;
    a->xmax = x1 + padx;
    a->ymin = y0 - pady;
    a->ymax = y1 + pady;
}

void pl__space_layout(cairo_t *cr, const pl__style *st, double x, double y, double w, double h, const pl_plot_data *p,
                      size_t px, size_t py, pl__ticks *tx, pl__ticks *ty, pl__axes *a)
{
    panel_scales(p, px, py, tx, ty, a);
    cairo_save(cr);
    double left = pl__axes_left_room(cr, ty, st, 1), bottom = pl__axes_bottom_room(cr, st, 1);
    cairo_restore(cr);
    double top = 6 * st->u, right = 10 * st->u;
    double side = fmin(w - left - right, h - top - bottom);
    side = side < 20 ? 20 : side;
    /* The square plot area, centred in the room left over. */
    a->x = x + left + (w - left - right - side) / 2;
    a->y = y + top + (h - top - bottom - side) / 2;
    a->w = side;
    a->h = side;
}

void pl__space_panel(cairo_t *cr, const pl__style *st, double x, double y, double w, double h, const pl_plot_data *p,
                     const pl_plot_session *s, size_t px, size_t py)
{
    pl__ticks tx, ty;
    pl__axes a;
    pl__space_layout(cr, st, x, y, w, h, p, px, py, &tx, &ty, &a);
    cairo_save(cr);
    pl__axes_grid(cr, &a, &tx, &ty, st);
    cairo_save(cr);
    pl__axes_clip(cr, &a, 0);
    if (p->cloud == PL__CLOUD_POINTS) {
        draw_points(cr, &a, p, px, py, 1.8 * st->u);
    } else {
        draw_density(cr, &a, p, px, py);
    }
    draw_reservations(cr, &a, p, st, px, py);
    if (s) {
        draw_offers(cr, &a, s, st, px, py);
    }
    draw_frontier(cr, &a, p, st, px, py); /* the references over the offers, which often lie on them */
    cairo_restore(cr);
    cairo_save(cr);
    pl__axes_clip(cr, &a, 14 * st->u);
    draw_points_of_analysis(cr, &a, p, st, px, py);
    if (s) {
        draw_agreement(cr, &a, s, st, px, py);
    }
    cairo_restore(cr);
    char xt[300], yt[300];
    snprintf(xt, sizeof xt, "utility of %s", pl_scenario_party_name(p->sc, px));
    snprintf(yt, sizeof yt, "utility of %s", pl_scenario_party_name(p->sc, py));
    pl__axes_frame(cr, &a, &tx, &ty, st, xt, yt);
    cairo_restore(cr);
}

/* ---- The legend and the figure ---- */

void pl__session_legend(const pl_plot_session *s, pl__legend *l)
{
    pl__rgb none = PL__BLACK;
    int *moved = pl__calloc(pl__session_actors(s), sizeof *moved), trail;
    for (size_t k = 0; moved && k < s->n; k++) {
        if (pl__session_move(s, k, s->acts[k].party, &trail)) {
            moved[s->acts[k].party] = 1;
        }
    }
    pl__legend_add(l, PL__SW_HEADING, 0, none, none,
                   s->mediated || (s->n && s->acts[0].proposal) ? "Proposals (single text)" : "Offers");
    for (size_t q = 0; q < pl__session_actors(s); q++) {
        pl__rgb c = pl__actor_color(s, q);
        if (moved && !moved[q] && s->n && s->acts[0].proposal) {
            continue; /* single text: only the mediator proposes */
        }
        if (q == s->np) {
            pl__legend_add(l, PL__SW_LINE, PL__MARK_CIRCLE, c, c, "neutral mediator");
        } else if (s->agents[q]) {
            pl__legend_add(l, PL__SW_MARK, PL__MARK_CIRCLE, c, c, "%s (%s)", pl_scenario_party_name(s->sc, q),
                           s->agents[q]);
        } else {
            pl__legend_add(l, PL__SW_MARK, PL__MARK_CIRCLE, c, c, "%s", pl_scenario_party_name(s->sc, q));
        }
    }
    if (s->n && s->acts[0].proposal) {
        pl__legend_add(l, PL__SW_NOTE, 0, none, none,
                       "the line joins the changes that stood (the text's path); "
                       "small dots: changes vetoed");
    }
    pl__free(moved);
}

void pl__space_legend(const pl_plot_data *p, const pl_plot_session *s, pl__legend *l)
{
    char n[32], v[256];
    pl__rgb none = PL__BLACK;
    l->n = 0;
    pl__legend_add(l, PL__SW_HEADING, 0, none, none, "Outcomes");
    if (p->cloud == PL__CLOUD_POINTS) {
        pl__legend_add(l, PL__SW_MARK, PL__MARK_CIRCLE, PL__CLOUD, PL__CLOUD, "every outcome (%s)",
                       pl__thousands(p->drawn, n, sizeof n));
    } else {
        pl__legend_add(l, PL__SW_DENSITY, 0, none, none, "%s%s outcomes: darker = more",
                       pl__thousands(p->drawn, n, sizeof n), p->cloud == PL__CLOUD_SAMPLED ? " sampled" : "");
    }
    const pl_frontier *f = pl_analysis_frontier(p->analysis);
    pl__legend_add(l, PL__SW_LINE, PL__MARK_CIRCLE, PL__BLACK, PL__BLACK, "Pareto frontier%s%s",
                   p->np > 2 ? " of the pair" : "", pl_frontier_exact(f) ? "" : " (approximate)");
    static const struct {
        pl_point_kind kind;
        pl__mark mark;
        const char *name;
    } pts[] = {{PL_POINT_NASH, PL__MARK_DIAMOND, "Nash"},
               {PL_POINT_KALAI_SMORODINSKY, PL__MARK_TRIANGLE, "Kalai-Smorodinsky"},
               {PL_POINT_MAX_WELFARE, PL__MARK_SQUARE, "max welfare"}};
    int any = 0;
    for (size_t k = 0; k < 3; k++) {
        long i = pl_analysis_point(p->analysis, pts[k].kind);
        pl__rgb fill = k == 0 ? PL__NASH : k == 1 ? PL__KS : PL__WELFARE;
        if (i < 0) {
            continue;
        }
        any = 1;
        fmt_vector(pl_frontier_utilities(f, (size_t)i), p->np, v, sizeof v);
        pl__legend_add(l, PL__SW_MARK, pts[k].mark, fill, PL__BLACK, "%s (%s)", pts[k].name, v);
    }
    if (!any) {
        pl__legend_add(l, PL__SW_NOTE, 0, none, none,
                       "no outcome is acceptable to every party: no Nash or "
                       "Kalai-Smorodinsky point");
    }
    pl__legend_add(l, PL__SW_HEADING, 0, none, none, "Reservation values");
    for (size_t q = 0; q < p->np; q++) {
        pl__legend_add(l, PL__SW_DASH, 0, none, pl__party_color(q), "%s: %.3f", pl_scenario_party_name(p->sc, q),
                       pl_ufun_reservation(pl_scenario_ufun(p->sc, q)));
    }
    if (!s) {
        return;
    }
    pl__session_legend(s, l);
    pl__legend_add(l, PL__SW_FADE, 0, PL__GREY_TEXT, none, "lighter = earlier");
    double *u = pl__malloc(p->np * sizeof *u), t;
    uint64_t round;
    char status[32];
    if (u && pl__session_agreement(s, u, &t, &round, status)) {
        fmt_vector(u, p->np, v, sizeof v);
        pl__legend_add(l, PL__SW_MARK, PL__MARK_RING, PL__WHITE, PL__BLACK, "agreement in round %llu: (%s)",
                       (unsigned long long)round, v);
    } else if (u) {
        pl__legend_add(l, PL__SW_NOTE, 0, none, none, "no agreement%s%s%s", strcmp(status, "no agreement") ? " (" : "",
                       strcmp(status, "no agreement") ? status : "", strcmp(status, "no agreement") ? ")" : "");
    }
    pl__free(u);
}

int pl__render_space(cairo_t *cr, double width, double height, const pl_plot_data *p, const pl_plot_session *s,
                     const pl_plot_options *o)
{
    pl__style st = pl__style_for(width, height);
    if (p->np > 2) { /* type sized for a panel, not for the whole matrix */
        double g = (double)(p->np - 1);
        pl__style cell = pl__style_for(width / g * 2.2, height / g * 1.7);
        st = cell.u < st.u ? cell : st;
    }
    char sub[1024];
    pl__plot_subtitle(p, s, sub, sizeof sub);
    double top = pl__plot_heading(cr, &st, width, o->title ? o->title : pl_scenario_name(p->sc), sub);
    double m = 12 * st.u, bottom = height - m;
    pl__legend l;
    pl__space_legend(p, s, &l);
    if (p->np == 2) {
        double lw = o->legend ? fmin(fmax(0.27 * width, 190 * st.u), 320 * st.u) : 0;
        pl__space_panel(cr, &st, m, top, width - 2 * m - lw, bottom - top, p, s, 0, 1);
        if (o->legend) {
            double lh = pl__legend_height(cr, &l, &st, lw - m);
            double ly = top + fmax(0, (bottom - top - lh) / 3);
            pl__legend_draw(cr, &l, &st, width - lw, ly, lw - m);
        }
        return 0;
    }
    /* Scatter-plot matrix: cell (row r, column c), c <= r, shows party c across and party r + 1 up. */
    size_t g = p->np - 1;
    double cw = (width - 2 * m) / (double)g, ch = (bottom - top) / (double)g;
    for (size_t r = 0; r < g; r++) {
        for (size_t c = 0; c <= r; c++) {
            pl__space_panel(cr, &st, m + (double)c * cw, top + (double)r * ch, cw, ch, p, s, c, r + 1);
        }
    }
    if (o->legend) {
        /* The empty upper triangle: rows 0 .. k-1 of columns k .. g-1, k = ceil(g / 2). */
        size_t k = (g + 1) / 2;
        double lx = m + (double)k * cw + 14 * st.u, lw = (double)(g - k) * cw - 20 * st.u;
        double room = (double)k * ch - 12 * st.u, lh = pl__legend_height(cr, &l, &st, lw);
        pl__style ls = st;
        for (int shrink = 0; shrink < 4 && lh > room; shrink++) { /* many parties: smaller type, never overlap */
            ls.legend *= 0.9;
            ls.u *= 0.9;
            lh = pl__legend_height(cr, &l, &ls, lw);
        }
        pl__legend_draw(cr, &l, &ls, lx, top + 6 * st.u, lw);
    }
    return 0;
}
