/* Rendering entry points and outputs: a figure into any cairo context, or into PNG / SVG / PDF bytes written
 * atomically. Outputs are deterministic: PDFs carry no creation date, and SVG ids (cairo numbers some of them with
 * process-wide counters) are renumbered in order of appearance, which also lets several SVGs share one HTML page. */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot/plot_internal.h"

void pl_plot_options_init_size(pl_plot_options *out, size_t size)
{
    pl_plot_options defaults, *o = &defaults;
    memset(o, 0, sizeof *o);
    o->kind = PL_PLOT_UTILITY_SPACE;
    o->legend = 1;
    o->scale = 1;
    o->size = sizeof *o;
    pl__opts_init(out, size, o, sizeof *o);
}

void pl_plot_default_size(const pl_plot_data *p, const pl_plot_options *opts, double *width, double *height)
{
    pl_plot_options o;
    pl_plot_options_init(&o);
    (void)PL__OPTS_READ(pl_plot_options, &o, opts, scale, NULL); /* a refused struct: the default size */
    pl_plot_kind kind = o.kind;
    size_t np = p->np;
    if (kind == PL_PLOT_UTILITY_OVER_TIME) {
        *width = 1000;
        *height = 130 + 230 * (double)np;
    } else if (np == 2) {
        *width = 1000;
        *height = 740;
    } else {
        double g = (double)(np - 1), cell = 400 * g > 2400 ? 2400 / g : 400; /* many parties: at most ~2400 */
        *width = 24 + cell * g;
        *height = 110 + cell * g;
    }
}

int pl__plot_check_cairo(cairo_status_t st, pl_diag *d)
{
    if (st == CAIRO_STATUS_SUCCESS) {
        return 0;
    }
    int code = st == CAIRO_STATUS_NO_MEMORY ? PL_ENOMEM : PL_EIO;
    return pl__diag_set(d, code, NULL, 0, 0, "cairo: %s", cairo_status_to_string(st));
}

int pl_plot_render(cairo_t *cr, double width, double height, const pl_plot_data *p, const pl_plot_session *s,
                   const pl_plot_options *opts, pl_diag *d)
{
    pl_plot_options o;
    pl_plot_options_init(&o);
    if (PL__OPTS_READ(pl_plot_options, &o, opts, scale, d) < 0) {
        return PL_EINVAL;
    }
    if (!(width >= 200) || !(height >= 150) || width > 100000 || height > 100000) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0,
                            "plot: the size must be at least 200 x 150 (and at most "
                            "100000 x 100000), not %g x %g",
                            width, height);
    }
    if (o.kind == PL_PLOT_UTILITY_OVER_TIME && !s) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "plot: utility over time needs a session (a trace)");
    }
    if (o.kind != PL_PLOT_UTILITY_SPACE && o.kind != PL_PLOT_UTILITY_OVER_TIME) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "plot: unknown plot kind %d", (int)o.kind);
    }
    if (s && s->sc != p->sc) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "plot: the session belongs to another scenario");
    }
    cairo_save(cr);
    cairo_rectangle(cr, 0, 0, width, height);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    int rc = o.kind == PL_PLOT_UTILITY_SPACE ? pl__render_space(cr, width, height, p, s, &o)
                                             : pl__render_time(cr, width, height, p, s, &o);
    cairo_restore(cr);
    if (rc < 0) {
        return pl__diag_set(d, rc, NULL, 0, 0, "%s", pl_strerror(rc));
    }
    return pl__plot_check_cairo(cairo_status(cr), d);
}

static int check_pair(double w, double h, const pl_plot_data *p, size_t px, size_t py, pl_diag *d)
{
    if (px >= p->np || py >= p->np || px == py) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "plot: parties %zu and %zu are not two of the %zu parties", px,
                            py, p->np);
    }
    if (!(w >= 100) || !(h >= 100) || w > 100000 || h > 100000) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "plot: a panel needs at least 100 x 100");
    }
    return 0;
}

/* A lone panel's type: that of a figure about the panel's size. */
static pl__style pair_style(double w, double h)
{
    return pl__style_for(w * 1.5, h * 1.2);
}

int pl_plot_pair_transform(cairo_t *cr, double x, double y, double w, double h, const pl_plot_data *p, size_t px,
                           size_t py, double m[4], pl_diag *d)
{
    int rc = check_pair(w, h, p, px, py, d);
    if (rc < 0) {
        return rc;
    }
    pl__style st = pair_style(w, h);
    pl__ticks tx, ty;
    pl__axes a;
    pl__space_layout(cr, &st, x, y, w, h, p, px, py, &tx, &ty, &a);
    m[1] = a.w / (a.xmax - a.xmin);
    m[0] = a.x - a.xmin * m[1];
    m[3] = -a.h / (a.ymax - a.ymin);
    m[2] = a.y + a.h - a.ymin * m[3];
    return 0;
}

int pl_plot_render_pair(cairo_t *cr, double x, double y, double w, double h, const pl_plot_data *p,
                        const pl_plot_session *s, size_t px, size_t py, pl_diag *d)
{
    int rc = check_pair(w, h, p, px, py, d);
    if (rc < 0) {
        return rc;
    }
    if (s && s->sc != p->sc) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "plot: the session belongs to another scenario");
    }
    pl__style st = pair_style(w, h);
    cairo_save(cr);
    pl__space_panel(cr, &st, x, y, w, h, p, s, px, py);
    cairo_restore(cr);
    return pl__plot_check_cairo(cairo_status(cr), d);
}

int pl_plot_format_of(const char *path, pl_diag *d)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash)) {
        if (strcasecmp(dot, ".png") == 0) {
            return 0;
        }
        if (strcasecmp(dot, ".svg") == 0) {
            return 1;
        }
        if (strcasecmp(dot, ".pdf") == 0) {
            return 2;
        }
    }
    return pl__diag_set(d, PL_EUNSUPPORTED, path, 0, 0,
                        "unknown image format: the name must end in .png, .svg "
                        "or .pdf");
}

/* ---- Bytes in memory ---- */

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length)
{
    pl__buf *b = closure;
    pl__buf_append(b, (const char *)data, length);
    return b->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Is s[k..] an id character? cairo's ids are letters, digits, '-' and '_'. */
static int id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Copy svg into out with every id renamed prefix1, prefix2, ... in order of definition (references follow), and
 * without the XML declaration when inline. */
static int svg_relabel(const char *svg, const char *prefix, int inline_, pl__buf *out)
{
    /* The ids, in order of definition: offsets and lengths into svg. */
    size_t n = 0, cap = 0;
    const char **ids = NULL;
    size_t *lens = NULL;
    for (const char *q = strstr(svg, " id=\""); q; q = strstr(q + 1, " id=\"")) {
        const char *s = q + 5;
        size_t l = 0;
        while (id_char(s[l])) {
            l++;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            const char **ni = pl__realloc(ids, cap * sizeof *ni);
            size_t *nl = ni ? pl__realloc(lens, cap * sizeof *nl) : NULL;
            if (!ni || !nl) {
                pl__free(ni ? (void *)ni : (void *)ids);
                pl__free(lens);
                return PL_ENOMEM;
            }
            ids = ni;
            lens = nl;
        }
        ids[n] = s;
        lens[n++] = l;
    }
    const char *p = svg;
    if (inline_ && strncmp(p, "<?xml", 5) == 0) {
        const char *e = strstr(p, "?>");
        p = e ? e + 2 : p;
        while (*p == '\n') {
            p++;
        }
    }
    const char *run = p; /* copied in runs, up to each renamed id */
    while (*p) {
        const char *name = NULL;
        size_t skip = 0;
        if (strncmp(p, " id=\"", 5) == 0) {
            skip = 5;
        } else if (strncmp(p, "href=\"#", 7) == 0) {
            skip = 7;
        } else if (strncmp(p, "url(#", 5) == 0) {
            skip = 5;
        }
        if (skip) {
            name = p + skip;
            size_t l = 0;
            while (id_char(name[l])) {
                l++;
            }
            size_t k = 0;
            while (k < n && !(lens[k] == l && strncmp(ids[k], name, l) == 0)) {
                k++;
            }
            if (k < n) {
                pl__buf_append(out, run, (size_t)(p - run) + skip);
                pl__buf_printf(out, "%s%zu", prefix, k + 1);
                p = name + l;
                run = p;
                continue;
            }
        }
        p++;
    }
    pl__buf_append(out, run, (size_t)(p - run));
    pl__free(ids);
    pl__free(lens);
    return out->failed ? PL_ENOMEM : 0;
}

int pl__svg_inline(double width, double height, void (*draw)(cairo_t *cr, void *ud), void *ud, const char *prefix,
                   pl__buf *out, pl_diag *d)
{
    pl__buf raw;
    pl__buf_init(&raw);
    cairo_surface_t *sf = cairo_svg_surface_create_for_stream(to_buf, &raw, width, height);
    cairo_svg_surface_set_document_unit(sf, CAIRO_SVG_UNIT_PX);
    cairo_t *cr = cairo_create(sf);
    draw(cr, ud);
    int rc = pl__plot_check_cairo(cairo_status(cr), d);
    cairo_destroy(cr);
    cairo_surface_finish(sf);
    if (rc == 0) {
        rc = pl__plot_check_cairo(cairo_surface_status(sf), d);
    }
    cairo_surface_destroy(sf);
    if (rc == 0 && (raw.failed || !raw.data)) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (rc == 0 && svg_relabel(raw.data, prefix, 1, out) < 0) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    pl__buf_destroy(&raw);
    return rc;
}

/* ---- Files ---- */


/* The figure pl_plot_save draws: render callback for pl__plot_save_with. */
typedef struct save_ctx {
    const pl_plot_data *p;
    const pl_plot_session *s;
    const pl_plot_options *o;
} save_ctx;

static int render_figure(cairo_t *cr, double width, double height, void *ud, pl_diag *d)
{
    const save_ctx *c = ud;
    return pl_plot_render(cr, width, height, c->p, c->s, c->o, d);
}

int pl_plot_save(const char *path, double width, double height, const pl_plot_data *p, const pl_plot_session *s,
                 const pl_plot_options *opts, pl_diag *d)
{
    int fmt = pl_plot_format_of(path, d);
    if (fmt < 0) {
        return fmt;
    }
    pl_plot_options o;
    pl_plot_options_init(&o);
    if (PL__OPTS_READ(pl_plot_options, &o, opts, scale, d) < 0) {
        return PL_EINVAL;
    }
    if (width <= 0 || height <= 0) {
        pl_plot_default_size(p, &o, &width, &height);
    }
    save_ctx c = {p, s, &o};
    return pl__plot_save_with(path, width, height, o.scale, pl_scenario_name(p->sc), render_figure, &c, d);
}

int pl__plot_save_with(const char *path, double width, double height, double png_scale, const char *pdf_title,
                       int (*render)(cairo_t *cr, double width, double height, void *ud, pl_diag *d), void *ud,
                       pl_diag *d)
{
    int fmt = pl_plot_format_of(path, d);
    if (fmt < 0) {
        return fmt;
    }
    double scale = fmt == 0 ? png_scale : 1;
    if (!(scale >= 0.25 && scale <= 8)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "plot: scale must be from 0.25 to 8, not %g", scale);
    }
    if (!(width >= 200) || !(height >= 150) || width * scale > 20000 || height * scale > 20000) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0,
                            "plot: the size must be from 200 x 150 to 20000 x 20000 "
                            "pixels, not %g x %g",
                            width * scale, height * scale);
    }
    pl__buf b;
    pl__buf_init(&b);
    cairo_surface_t *sf;
    if (fmt == 0) {
        sf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)(width * scale + 0.5), (int)(height * scale + 0.5));
    } else if (fmt == 1) {
        sf = cairo_svg_surface_create_for_stream(to_buf, &b, width, height);
        cairo_svg_surface_set_document_unit(sf, CAIRO_SVG_UNIT_PX);
    } else {
        sf = cairo_pdf_surface_create_for_stream(to_buf, &b, width, height);
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATE_DATE, ""); /* no date: same bytes every time */
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, pdf_title ? pdf_title : "");
    }
    cairo_t *cr = cairo_create(sf);
    cairo_scale(cr, scale, scale);
    int rc = render(cr, width, height, ud, d);
    cairo_destroy(cr);
    if (rc == 0 && fmt == 0) {
        rc = pl__plot_check_cairo(cairo_surface_write_to_png_stream(sf, to_buf, &b), d);
    }
    cairo_surface_finish(sf);
    if (rc == 0) {
        rc = pl__plot_check_cairo(cairo_surface_status(sf), d);
    }
    cairo_surface_destroy(sf);
    if (rc == 0 && (b.failed || !b.data)) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (rc == 0 && fmt == 1) { /* renumber ids: the same figure gives the same text */
        pl__buf r;
        pl__buf_init(&r);
        if (svg_relabel(b.data, "i", 0, &r) < 0) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        }
        pl__buf_destroy(&b);
        b = r;
    }
    if (rc == 0) {
        rc = pl__write_file_atomic(path, b.data, b.len, d);
    }
    pl__buf_destroy(&b);
    return rc;
}
