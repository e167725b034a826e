/* The house style of every parley picture: Okabe & Ito's colour-blind-safe palette ("Color Universal Design",
 * 2008), type sizes that scale with the figure, marker shapes that stay distinct without colour, and text helpers
 * (anchored, rotated, shortened, wrapped). One font (DejaVu Sans through fontconfig) so every plot looks alike. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot/plot_internal.h"

/* Okabe-Ito: blue, vermillion, bluish green, orange, reddish purple, sky blue, yellow. Parties take them in this
 * order: the first two (the usual bilateral case) are the pair that stays distinct under every colour-vision
 * deficiency and in greyscale. */
static const pl__rgb party_colors[] = {
    {0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0}, {0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0},
    {0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0}, {0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0},
    {0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0}, {0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0},
    {0x99 / 255.0, 0x88 / 255.0, 0x00 / 255.0},
};

const pl__rgb PL__BLACK = {0, 0, 0};
const pl__rgb PL__WHITE = {1, 1, 1};
const pl__rgb PL__GREY_TEXT = {0.25, 0.25, 0.25};
const pl__rgb PL__GRID = {0.90, 0.90, 0.90};
const pl__rgb PL__CLOUD = {0.62, 0.62, 0.62};
/* Bargaining points: Okabe-Ito yellow, sky blue and reddish purple, always with a black outline and each with its
 * own shape. */
const pl__rgb PL__NASH = {0xF0 / 255.0, 0xE4 / 255.0, 0x42 / 255.0};
const pl__rgb PL__KS = {0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0};
const pl__rgb PL__WELFARE = {0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0};

pl__rgb pl__party_color(size_t k)
{
    return party_colors[k % (sizeof party_colors / sizeof party_colors[0])];
}

pl__rgb pl__actor_color(const pl_plot_session *s, size_t q)
{
    return pl__party_color(q); /* the mediator (q = np) takes the colour after the parties' */
}

pl__style pl__style_for(double width, double height)
{
    /* By area, so that wide and tall figures of the same size get the same type. */
    double u = sqrt(width * height / (1000.0 * 760.0));
    u = u < 0.55 ? 0.55 : u > 4 ? 4 : u;
    /* Type never gets smaller than what reads at 100% on a screen. */
    double t = u < 0.8 ? 0.8 : u;
    pl__style s = {u, 19 * t, 12.5 * t, 13.5 * t, 11.5 * t, 12 * t};
    return s;
}

void pl__set_color(cairo_t *cr, pl__rgb c, double alpha)
{
    if (alpha >= 1) {
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
    } else {
        cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
    }
}

void pl__marker_path(cairo_t *cr, pl__mark m, double x, double y, double r)
{
    cairo_new_sub_path(cr);
    switch (m) {
    case PL__MARK_CIRCLE:
    case PL__MARK_RING:
        cairo_arc(cr, x, y, r, 0, 2 * PL__PI);
        break;
    case PL__MARK_DIAMOND:
        cairo_move_to(cr, x, y - r * 1.2);
        cairo_line_to(cr, x + r, y);
        cairo_line_to(cr, x, y + r * 1.2);
        cairo_line_to(cr, x - r, y);
        cairo_close_path(cr);
        break;
    case PL__MARK_TRIANGLE: /* equilateral, centred on its centroid */
        cairo_move_to(cr, x, y - r * 1.15);
        cairo_line_to(cr, x + r, y + r * 0.58);
        cairo_line_to(cr, x - r, y + r * 0.58);
        cairo_close_path(cr);
        break;
    case PL__MARK_SQUARE:
        cairo_rectangle(cr, x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
        break;
    case PL__MARK_STAR:
        for (int k = 0; k < 10; k++) {
            double a = -PL__PI / 2 + k * PL__PI / 5, rr = k % 2 ? r * 0.45 : r;
            if (k == 0) {
                cairo_move_to(cr, x + rr * cos(a), y + rr * sin(a));
            } else {
                cairo_line_to(cr, x + rr * cos(a), y + rr * sin(a));
            }
        }
        cairo_close_path(cr);
        break;
    }
}

void pl__marker(cairo_t *cr, pl__mark m, double x, double y, double r, pl__rgb fill, pl__rgb line, double lw)
{
    cairo_new_path(cr);
    pl__marker_path(cr, m, x, y, r);
    if (m == PL__MARK_RING) { /* a line-coloured ring on a halo of the fill colour */
        cairo_set_line_width(cr, lw * 2.6);
        pl__set_color(cr, fill, 1);
        cairo_stroke_preserve(cr);
        cairo_set_line_width(cr, lw);
        pl__set_color(cr, line, 1);
        cairo_stroke(cr);
        return;
    }
    pl__set_color(cr, fill, 1);
    if (lw > 0) {
        cairo_fill_preserve(cr);
        cairo_set_line_width(cr, lw);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
        pl__set_color(cr, line, 1);
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
}

void pl__font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double pl__text_width(cairo_t *cr, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

double pl__line_height(cairo_t *cr)
{
    cairo_font_extents_t f;
    cairo_font_extents(cr, &f);
    return f.ascent + f.descent;
}

void pl__text_rotated(cairo_t *cr, const char *s, double x, double y, double ax, double ay, double angle)
{
    cairo_font_extents_t f;
    cairo_font_extents(cr, &f);
    double w = pl__text_width(cr, s), h = f.ascent + f.descent;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -angle);
    cairo_move_to(cr, -ax * w, -ay * h + f.ascent);
    cairo_show_text(cr, s);
    cairo_restore(cr);
}

void pl__text(cairo_t *cr, const char *s, double x, double y, double ax, double ay)
{
    pl__text_rotated(cr, s, x, y, ax, ay, 0);
}

/* Length of the longest prefix of s (whole UTF-8 characters: cairo refuses, and stays in error after, a string cut
 * inside a character) no wider than width. */
static size_t fit_prefix(cairo_t *cr, const char *s, size_t n, double width, char *tmp, size_t size)
{
    size_t lo = 0, hi = n < size - 1 ? n : size - 1;
    while (hi > 0 && hi < n && ((unsigned char)s[hi] & 0xC0) == 0x80) {
        hi--;
    }
    while (lo < hi) { /* binary search over byte lengths, each moved back to a character boundary */
        size_t mid = (lo + hi + 1) / 2;
        while (mid > lo && mid < n && ((unsigned char)s[mid] & 0xC0) == 0x80) {
            mid--;
        }
        if (mid == lo) { /* the characters between lo and hi: try the one starting at lo */
            mid = lo + 1;
            while (mid < hi && ((unsigned char)s[mid] & 0xC0) == 0x80) {
                mid++;
            }
        }
        memcpy(tmp, s, mid);
        tmp[mid] = 0;
        if (pl__text_width(cr, tmp) <= width) {
            lo = mid;
        } else {
            hi = mid - 1;
            while (hi > lo && hi < n && ((unsigned char)s[hi] & 0xC0) == 0x80) {
                hi--;
            }
        }
    }
    return lo;
}

const char *pl__fit(cairo_t *cr, const char *s, double width, char *buf, size_t size)
{
    snprintf(buf, size, "%s", s);
    if (pl__text_width(cr, buf) <= width) {
        return buf;
    }
    char tmp[512];
    size_t keep = fit_prefix(cr, s, strlen(s), width - pl__text_width(cr, "..."), tmp, sizeof tmp);
    if (keep + 4 > size) {
        keep = size - 4;
        while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80) {
            keep--;
        }
    }
    memcpy(buf, s, keep);
    memcpy(buf + keep, "...", 4);
    return buf;
}

size_t pl__wrap(cairo_t *cr, const char *s, double width, char lines[][160], size_t max_lines)
{
    size_t n = 0;
    char tmp[512];
    while (*s && n < max_lines) {
        size_t len = strlen(s);
        size_t fit = fit_prefix(cr, s, len, width, tmp, sizeof tmp);
        if (fit > 158) {
            fit = 158;
        }
        if (fit < len) {
            /* Break after the last blank or comma that fits, if any. */
            size_t b = fit;
            while (b > 0 && s[b - 1] != ' ' && s[b - 1] != ',') {
                b--;
            }
            if (b > 0) {
                fit = b;
            } else if (fit == 0) {
                fit = 1;
                while (fit < len && ((unsigned char)s[fit] & 0xC0) == 0x80) {
                    fit++;
                }
            }
        }
        if (n == max_lines - 1 && fit < len) { /* the last line takes the rest, shortened */
            pl__fit(cr, s, width, lines[n], 160);
            return n + 1;
        }
        size_t keep = fit;
        while (keep > 0 && s[keep - 1] == ' ') {
            keep--;
        }
        memcpy(lines[n], s, keep);
        lines[n][keep] = 0;
        n++;
        s += fit;
        while (*s == ' ') {
            s++;
        }
    }
    return n;
}

char *pl__thousands(uint64_t v, char *buf, size_t size)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    size_t k = 0;
    for (int i = 0; i < n && k + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0) {
            buf[k++] = ',';
        }
        buf[k++] = digits[i];
    }
    buf[k] = 0;
    return buf;
}
