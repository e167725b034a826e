/* Plots and the tournament report: files are produced and valid (PNG signature and size, SVG well-formed XML, PDF
 * header and trailer), the same input gives the same bytes, pixels show the frontier and the agreement where the
 * data puts them, traces and run results are read (and bad ones refused with file and line), and the HTML report
 * of a small tournament is well-formed and ranks its agents. */
#include "testutil.h"

#include <expat.h>

#include "parley/plot.h"
#include "plot/plot_internal.h"

/* ---- Helpers ---- */

static pl_plot_session *session_of(const pl_scenario *sc)
{
    pl_plot_session *s = NULL;
    assert_int_equal(pl_plot_session_new(sc, &s, NULL), 0);
    return s;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return b;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Well-formed XML (expat); the root element's name into root. */
static int xml_ok(const char *text, size_t len, char *root, size_t size);

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    char *root = ud;
    if (!root[0]) {
        snprintf(root, 64, "%s", name);
    }
}

static int xml_ok(const char *text, size_t len, char *root, size_t size)
{
    (void)size;
    root[0] = 0;
    XML_Parser p = XML_ParserCreate("UTF-8");
    XML_SetUserData(p, root);
    XML_SetStartElementHandler(p, on_start);
    int ok = XML_Parse(p, text, (int)len, 1) == XML_STATUS_OK;
    if (!ok) {
        print_error("XML error at line %lu: %s\n", (unsigned long)XML_GetCurrentLineNumber(p),
                    XML_ErrorString(XML_GetErrorCode(p)));
    }
    XML_ParserFree(p);
    return ok;
}

/* A two-party scenario on one issue of five values where every outcome is Pareto-efficient: party a values them
 * 0, 0.25, ..., 1 and party b the reverse, so the frontier is the segment from (0, 1) to (1, 0). */
static pl_scenario *line_scenario(void)
{
    pl_space *s = tu_space_new();
    const char *labels[] = {"v0", "v1", "v2", "v3", "v4"};
    assert_int_equal(pl_space_add_discrete(s, "x", 5, labels, NULL), 0);
    pl_scenario *sc = tu_scenario_new(s);
    double ta[5] = {0, 0.25, 0.5, 0.75, 1}, tb[5] = {1, 0.75, 0.5, 0.25, 0};
    pl_ufun *a = tu_ufun_linear_new(pl_scenario_space(sc)), *b = tu_ufun_linear_new(pl_scenario_space(sc));
    assert_int_equal(pl_ufun_linear_set_weight(a, 0, 1), 0);
    assert_int_equal(pl_ufun_linear_set_table(a, 0, ta), 0);
    assert_int_equal(pl_ufun_linear_set_weight(b, 0, 1), 0);
    assert_int_equal(pl_ufun_linear_set_table(b, 0, tb), 0);
    assert_int_equal(pl_scenario_add_party(sc, "a", a, NULL), 0);
    assert_int_equal(pl_scenario_add_party(sc, "b", b, NULL), 0);
    assert_int_equal(pl_scenario_set_name(sc, "line"), 0);
    return sc;
}

static pl_plot_data *data_of(const pl_scenario *sc, const pl_plot_data_options *o)
{
    pl_plot_data *p = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_plot_data_new(sc, o, &p, &d);
    if (rc < 0) {
        print_error("plot data: %s\n", d.message);
    }
    assert_int_equal(rc, 0);
    return p;
}

/* A session of the job offer, from parley's own traces: written by hand here so the test needs no agents. */
static const char *const job_trace =
    "{\"round\": 1, \"t\": 0, \"party\": \"employer\", \"action\": \"offer\", \"outcome\": {\"salary\": \"60000\", "
    "\"remote_days\": \"0\", \"start\": \"2 weeks\", \"signing_bonus\": \"0\", \"title\": \"engineer\"}, "
    "\"utility\": 1, \"discounted\": 1}\n"
    "{\"round\": 1, \"t\": 0, \"party\": \"candidate\", \"action\": \"offer\", \"outcome\": {\"salary\": \"90000\", "
    "\"remote_days\": \"5\", \"start\": \"3 months\", \"signing_bonus\": \"10000\", \"title\": \"staff engineer\"}, "
    "\"utility\": 1, \"discounted\": 1}\n"
    "{\"round\": 2, \"t\": 0.5, \"party\": \"employer\", \"action\": \"offer\", \"outcome\": {\"salary\": \"75000\", "
    "\"remote_days\": \"2\", \"start\": \"1 month\", \"signing_bonus\": \"5000\", \"title\": \"senior engineer\"}, "
    "\"utility\": 0.625, \"discounted\": 0.59}\n"
    "{\"round\": 2, \"t\": 0.5, \"party\": \"candidate\", \"action\": \"accept\", \"outcome\": {\"salary\": \"75000\", "
    "\"remote_days\": \"2\", \"start\": \"1 month\", \"signing_bonus\": \"5000\", \"title\": \"senior engineer\"}, "
    "\"utility\": 0.63, \"discounted\": 0.61}\n";

/* ---- Files ---- */

static void test_files_valid_and_deterministic(void **state)
{
    (void)state;
    char dir[256], path[512], trace[512];
    tu_mkdtemp(dir, sizeof dir);
    pl_scenario *sc = tu_load1(PL_SCENARIOS "/job-offer.json");
    pl_plot_data *p = data_of(sc, NULL);
    pl_plot_session *s = session_of(sc);
    tu_write(dir, "t.jsonl", job_trace, trace, sizeof trace);
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_plot_session_read_trace(s, trace, &d), 0);
    assert_int_equal(pl_plot_session_action_count(s), 4);
    static const char *const ext[] = {"png", "svg", "pdf"};
    for (int k = 0; k < 3; k++) {
        size_t len[2];
        char *bytes[2];
        for (int rep = 0; rep < 2; rep++) {
            snprintf(path, sizeof path, "%s/plot%d.%s", dir, rep, ext[k]);
            pl_diag_clear(&d);
            int rc = pl_plot_save(path, 640, 480, p, s, NULL, &d);
            if (rc < 0) {
                print_error("save %s: %s\n", path, d.message);
            }
            assert_int_equal(rc, 0);
            bytes[rep] = slurp(path, &len[rep]);
        }
        /* Deterministic: the same input gives the same bytes. */
        assert_int_equal(len[0], len[1]);
        assert_memory_equal(bytes[0], bytes[1], len[0]);
        const unsigned char *b = (const unsigned char *)bytes[0];
        if (k == 0) {
            static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
            assert_true(len[0] > 1000);
            assert_memory_equal(b, sig, 8);
            assert_memory_equal(b + 12, "IHDR", 4);
            assert_int_equal(be32(b + 16), 640);
            assert_int_equal(be32(b + 20), 480);
        } else if (k == 1) {
            char root[64];
            assert_true(xml_ok(bytes[0], len[0], root, sizeof root));
            assert_string_equal(root, "svg");
        } else {
            assert_memory_equal(b, "%PDF-", 5);
            assert_non_null(strstr(bytes[0] + len[0] - 16, "%%EOF"));
            assert_null(strstr(bytes[0], "/CreationDate"));
        }
        free(bytes[0]);
        free(bytes[1]);
    }
    /* Scale: a PNG of twice the pixels. */
    pl_plot_options o;
    pl_plot_options_init(&o);
    o.scale = 2;
    o.kind = PL_PLOT_UTILITY_OVER_TIME;
    snprintf(path, sizeof path, "%s/time.png", dir);
    assert_int_equal(pl_plot_save(path, 400, 300, p, s, &o, &d), 0);
    size_t len;
    char *png = slurp(path, &len);
    assert_int_equal(be32((unsigned char *)png + 16), 800);
    assert_int_equal(be32((unsigned char *)png + 20), 600);
    free(png);
    /* Unknown extensions are refused before anything is written. */
    snprintf(path, sizeof path, "%s/plot.gif", dir);
    assert_int_equal(pl_plot_save(path, 0, 0, p, s, NULL, &d), PL_EUNSUPPORTED);
    assert_false(tu_exists(path));
    assert_int_equal(pl_plot_format_of("a/b.SVG", NULL), 1);
    assert_int_equal(pl_plot_format_of("a.png/b", NULL), PL_EUNSUPPORTED);
    /* A time plot needs a session; sizes are checked. */
    snprintf(path, sizeof path, "%s/x.png", dir);
    assert_int_equal(pl_plot_save(path, 640, 480, p, NULL, &o, &d), PL_EINVAL);
    assert_int_equal(pl_plot_save(path, 10, 10, p, s, NULL, &d), PL_EINVAL);
    /* Nothing half-written is left behind. */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -q tmp", dir);
    assert_int_not_equal(system(cmd), 0);
    pl_plot_session_free(s);
    pl_plot_data_free(p);
    pl_scenario_free(sc);
    tu_rmtree(dir);
}

/* ---- Pixels ---- */

static int dark(cairo_surface_t *img, double x, double y)
{
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    int ix = (int)floor(x), iy = (int)floor(y);
    uint32_t px;
    memcpy(&px, data + (size_t)iy * stride + (size_t)ix * 4, 4);
    int r = (px >> 16) & 255, g = (px >> 8) & 255, b = px & 255;
    return r + g + b < 3 * 110;
}

static int white(cairo_surface_t *img, double x, double y)
{
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    uint32_t px;
    memcpy(&px, data + (size_t)(int)floor(y) * stride + (size_t)(int)floor(x) * 4, 4);
    return (px & 0xFFFFFF) == 0xFFFFFF;
}

static cairo_surface_t *render_pair(const pl_plot_data *p, const pl_plot_session *s, double m[4])
{
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 600, 600);
    cairo_t *cr = cairo_create(img);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    pl_diag d;
    assert_int_equal(pl_plot_render_pair(cr, 0, 0, 600, 600, p, s, 0, 1, &d), 0);
    assert_int_equal(pl_plot_pair_transform(cr, 0, 0, 600, 600, p, 0, 1, m, &d), 0);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    return img;
}

static void test_pixels_frontier_and_agreement(void **state)
{
    (void)state;
    pl_scenario *sc = line_scenario();
    pl_plot_data *p = data_of(sc, NULL);
    assert_int_equal(pl_frontier_size(pl_analysis_frontier(pl_plot_data_analysis(p))), 5);
    double m[4];
    cairo_surface_t *img = render_pair(p, NULL, m);
#define PX(a) (m[0] + m[1] * (a))
#define PY(b) (m[2] + m[3] * (b))
    /* The frontier runs from (0, 1) to (1, 0): dark between its points, white off it (away from grid lines). */
    for (int k = 0; k < 4; k++) {
        double a = 0.125 + 0.25 * k;
        assert_true(dark(img, PX(a), PY(1 - a)));
    }
    assert_true(white(img, PX(0.7), PY(0.9)));
    assert_true(white(img, PX(0.3), PY(0.1)));
    /* The axes map utilities the right way round: 1 for party a is right of 0, 1 for party b above 0. */
    assert_true(m[1] > 0 && m[3] < 0);

    /* The agreement: the difference between the pictures with and without it is centred on its utilities. */
    pl_plot_session *s = session_of(sc);
    uint32_t o[1] = {3}; /* (0.75, 0.25) */
    assert_int_equal(pl_plot_session_set_result(s, o, 0.5, 10, NULL), 0);
    double m2[4];
    cairo_surface_t *with = render_pair(p, s, m2);
    assert_memory_equal(m, m2, sizeof m);
    unsigned char *a = cairo_image_surface_get_data(img), *b = cairo_image_surface_get_data(with);
    int stride = cairo_image_surface_get_stride(img);
    double sx = 0, sy = 0, n = 0;
    int dark_ring = 0;
    for (int y = 0; y < 600; y++) {
        for (int x = 0; x < 600; x++) {
            if (memcmp(a + (size_t)y * stride + (size_t)x * 4, b + (size_t)y * stride + (size_t)x * 4, 4) != 0) {
                sx += x + 0.5;
                sy += y + 0.5;
                n++;
                dark_ring += dark(with, x, y);
            }
        }
    }
    assert_true(n > 50);
    assert_true(dark_ring > 20);
    assert_true(fabs(sx / n - PX(0.75)) < 1.5);
    assert_true(fabs(sy / n - PY(0.25)) < 1.5);
#undef PX
#undef PY
    cairo_surface_destroy(img);
    cairo_surface_destroy(with);
    pl_plot_session_free(s);
    pl_plot_data_free(p);
    pl_scenario_free(sc);
}

/* ---- Data ---- */

static void test_data_modes(void **state)
{
    (void)state;
    pl_scenario *sc = tu_load1(PL_SCENARIOS "/job-offer.json");
    int sampled;
    pl_plot_data *p = data_of(sc, NULL);
    assert_int_equal(pl_plot_data_outcomes_drawn(p, &sampled), 2520);
    assert_int_equal(sampled, 0);
    pl_plot_data_free(p);
    pl_plot_data_options o;
    pl_plot_data_options_init(&o);
    o.point_limit = 100; /* density */
    p = data_of(sc, &o);
    assert_int_equal(pl_plot_data_outcomes_drawn(p, &sampled), 2520);
    assert_int_equal(sampled, 0);
    pl_plot_data_free(p);
    o.enumerate_limit = 1000; /* sampled */
    o.sample_size = 150000;   /* several blocks of work */
    o.threads = 3;
    p = data_of(sc, &o);
    assert_int_equal(pl_plot_data_outcomes_drawn(p, &sampled), 150000);
    assert_int_equal(sampled, 1);
    /* Two samples with one seed draw the same picture, whatever the number of threads. */
    o.threads = 1;
    pl_plot_data *q = data_of(sc, &o);
    cairo_surface_t *i1 = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 500, 400);
    cairo_surface_t *i2 = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 500, 400);
    cairo_t *c1 = cairo_create(i1), *c2 = cairo_create(i2);
    assert_int_equal(pl_plot_render(c1, 500, 400, p, NULL, NULL, NULL), 0);
    assert_int_equal(pl_plot_render(c2, 500, 400, q, NULL, NULL, NULL), 0);
    cairo_surface_flush(i1);
    cairo_surface_flush(i2);
    assert_memory_equal(cairo_image_surface_get_data(i1), cairo_image_surface_get_data(i2),
                        (size_t)cairo_image_surface_get_stride(i1) * 400);
    cairo_destroy(c1);
    cairo_destroy(c2);
    cairo_surface_destroy(i1);
    cairo_surface_destroy(i2);
    pl_plot_data_free(q);
    pl_plot_data_free(p);
    o.density_bins = 3;
    pl_plot_data *bad = NULL;
    assert_int_equal(pl_plot_data_new(sc, &o, &bad, NULL), PL_EINVAL);
    assert_null(bad);
    pl_scenario_free(sc);
}

static void test_three_parties(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_mkdtemp(dir, sizeof dir);
    pl_scenario *sc = tu_load1(PL_SCENARIOS "/supply-contract.json");
    pl_plot_data *p = data_of(sc, NULL);
    double w, h;
    pl_plot_default_size(p, NULL, &w, &h);
    assert_true(w > 700 && h > 700);
    snprintf(path, sizeof path, "%s/supply.png", dir);
    pl_diag d;
    assert_int_equal(pl_plot_save(path, 0, 0, p, NULL, NULL, &d), 0);
    size_t len;
    char *png = slurp(path, &len);
    assert_int_equal(be32((unsigned char *)png + 16), (uint32_t)w);
    free(png);
    /* Any pair, either way round. */
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 300, 300);
    cairo_t *cr = cairo_create(img);
    assert_int_equal(pl_plot_render_pair(cr, 0, 0, 300, 300, p, NULL, 2, 0, &d), 0);
    assert_int_equal(pl_plot_render_pair(cr, 0, 0, 300, 300, p, NULL, 1, 1, &d), PL_EINVAL);
    assert_int_equal(pl_plot_render_pair(cr, 0, 0, 300, 300, p, NULL, 0, 3, &d), PL_EINVAL);
    cairo_destroy(cr);
    cairo_surface_destroy(img);
    pl_plot_data_free(p);
    pl_scenario_free(sc);
    tu_rmtree(dir);
}

/* ---- Reading traces and results ---- */

static int read_trace_text(const pl_scenario *sc, const char *text, pl_diag *d)
{
    char dir[256], path[512];
    tu_mkdtemp(dir, sizeof dir);
    tu_write(dir, "t.jsonl", text, path, sizeof path);
    pl_plot_session *s = session_of(sc);
    pl_diag_clear(d);
    int rc = pl_plot_session_read_trace(s, path, d);
    pl_plot_session_free(s);
    tu_rmtree(dir);
    return rc;
}

static void test_trace_errors(void **state)
{
    (void)state;
    pl_scenario *sc = tu_load1(PL_SCENARIOS "/job-offer.json");
    pl_diag d;
    /* Truncated: the last line stops mid-object. */
    char *cut = strdup(job_trace);
    cut[strlen(cut) - 40] = 0;
    assert_int_equal(read_trace_text(sc, cut, &d), PL_EPARSE);
    assert_int_equal(d.line, 4);
    assert_non_null(strstr(d.message, "malformed JSON"));
    free(cut);
    assert_int_equal(read_trace_text(sc, "", &d), PL_EPARSE);
    assert_non_null(strstr(d.message, "empty"));
    assert_int_equal(read_trace_text(sc, "\n[1, 2]\n", &d), PL_EPARSE);
    assert_int_equal(d.line, 2);
    assert_int_equal(read_trace_text(sc,
                                     "{\"round\": \"one\", \"t\": 0, \"party\": \"employer\", \"action\": "
                                     "\"end\", \"outcome\": null}\n",
                                     &d),
                     PL_EPARSE);
    assert_string_equal(d.path, "round");
    assert_int_equal(read_trace_text(sc,
                                     "{\"round\": 1, \"t\": 0, \"party\": \"boss\", \"action\": \"end\", "
                                     "\"outcome\": null}\n",
                                     &d),
                     PL_EINVAL); /* well-formed, but not this scenario's */
    assert_non_null(strstr(d.message, "no party \"boss\""));
    assert_int_equal(read_trace_text(sc,
                                     "{\"round\": 1, \"t\": 0, \"party\": \"employer\", \"action\": \"offer\", "
                                     "\"outcome\": {\"salary\": \"60000\"}}\n",
                                     &d),
                     PL_EPARSE);
    assert_non_null(strstr(d.message, "no value for issue"));
    assert_int_equal(read_trace_text(sc,
                                     "{\"round\": 1, \"t\": 0, \"party\": \"employer\", \"action\": \"offer\", "
                                     "\"outcome\": null}\n",
                                     &d),
                     PL_EPARSE);
    assert_int_equal(read_trace_text(sc,
                                     "{\"round\": 1, \"t\": 2, \"party\": \"employer\", \"action\": \"end\", "
                                     "\"outcome\": null}\n",
                                     &d),
                     PL_EPARSE);
    assert_int_equal(read_trace_text(sc,
                                     "{\"round\": 1, \"t\": 0, \"party\": \"employer\", \"action\": \"end\", "
                                     "\"outcome\": null}\n\n",
                                     &d),
                     0);
    pl_plot_session *s = session_of(sc);
    assert_int_equal(pl_plot_session_read_trace(s, "/nonexistent/trace.jsonl", &d), PL_EIO);
    pl_plot_session_free(s);
    pl_scenario_free(sc);
}

/* A single-text trace given alone (no run result): the text starts at the status quo, the changes that stood apply,
 * and the final text is the agreement when every party finds it acceptable. Two-issue scenario, status quo (a, p):
 * the change x: a -> b stands (both gain), y: p -> q is refused. Final text (b, p): p1 .5 + .4 = .9, p2 .5 + .5 = 1.
 * With p1's reservation at 1 the final text is not acceptable to it: "no agreement". */
static void test_single_text_trace_alone(void **state)
{
    (void)state;
    static const char *const sct =
        "{\"name\": \"st\", \"issues\": [{\"name\": \"x\", \"type\": \"discrete\", \"values\": [\"a\", \"b\"]},"
        " {\"name\": \"y\", \"type\": \"discrete\", \"values\": [\"p\", \"q\"]}],"
        " \"status_quo\": {\"x\": \"a\", \"y\": \"p\"}, \"parties\": ["
        " {\"name\": \"p1\", \"reservation\": %s, \"utility\": {\"type\": \"linear_additive\", \"weights\": {\"x\": 0.5, \"y\": 0.5},"
        "  \"values\": {\"x\": {\"a\": 0, \"b\": 1}, \"y\": {\"p\": 0.8, \"q\": 0}}}},"
        " {\"name\": \"p2\", \"utility\": {\"type\": \"linear_additive\", \"weights\": {\"x\": 0.5, \"y\": 0.5},"
        "  \"values\": {\"x\": {\"a\": 0, \"b\": 1}, \"y\": {\"p\": 1, \"q\": 0}}}}]}";
    static const char *const trace =
        "{\"step\": 1, \"t\": 0, \"proposer\": \"neutral\", \"action\": \"propose\", \"issue\": \"x\", \"from\": \"a\","
        " \"to\": \"b\", \"votes\": {\"p1\": true, \"p2\": true}, \"stood\": true, \"utilities\": {\"p1\": 1, \"p2\": 1}}\n"
        "{\"step\": 2, \"t\": 1, \"proposer\": \"neutral\", \"action\": \"propose\", \"issue\": \"y\", \"from\": \"p\","
        " \"to\": \"q\", \"votes\": {\"p1\": false, \"p2\": false}, \"stood\": false, \"utilities\": {\"p1\": 0.5, \"p2\": 0.5}}\n";
    char dir[256], path[512], text[2048];
    tu_mkdtemp(dir, sizeof dir);
    tu_write(dir, "st.jsonl", trace, path, sizeof path);
    for (int raised = 0; raised < 2; raised++) {
        snprintf(text, sizeof text, sct, raised ? "1" : "0");
        pl_scenario *sc = NULL;
        pl_diag d;
        pl_diag_clear(&d);
        assert_int_equal(pl_scenario_load_parley_json_mem(text, strlen(text), "st", NULL, &sc, &d), 0);
        pl_plot_session *s = session_of(sc);
        assert_int_equal(pl_plot_session_read_trace(s, path, &d), 0);
        double u[2] = {-1, -1}, t = -1;
        uint64_t round = 0;
        char status[32];
        int agreed = pl__session_agreement(s, u, &t, &round, status);
        assert_int_equal(agreed, !raised);
        assert_string_equal(status, raised ? "no agreement" : "agreement");
        if (!raised) {
            assert_double_equal(u[0], 0.9, 1e-12);
            assert_double_equal(u[1], 1, 1e-12);
            assert_double_equal(t, 1, 0);
            assert_int_equal(round, 2);
        }
        pl_plot_session_free(s);
        pl_scenario_free(sc);
    }
    tu_rmtree(dir);
}

static void test_trace_agreement_and_run(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_mkdtemp(dir, sizeof dir);
    pl_scenario *sc = tu_load1(PL_SCENARIOS "/job-offer.json");
    pl_plot_data *p = data_of(sc, NULL);
    pl_plot_session *s = session_of(sc);
    tu_write(dir, "t.jsonl", job_trace, path, sizeof path);
    pl_diag d;
    assert_int_equal(pl_plot_session_read_trace(s, path, &d), 0);
    /* The subtitle-visible inference: an offer accepted by the other party is the agreement. Render both kinds. */
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 800, 600);
    cairo_t *cr = cairo_create(img);
    pl_plot_options o;
    pl_plot_options_init(&o);
    assert_int_equal(pl_plot_render(cr, 800, 600, p, s, &o, &d), 0);
    o.kind = PL_PLOT_UTILITY_OVER_TIME;
    assert_int_equal(pl_plot_render(cr, 800, 600, p, s, &o, &d), 0);
    cairo_destroy(cr);
    cairo_surface_destroy(img);
    /* A run result names the agents; one of another scenario or with mistyped keys is refused. */
    tu_write(dir, "run.json",
             "{\"parties\": [\"employer\", \"candidate\"], \"agents\": [\"boulware\", \"conceder\"], "
             "\"status\": \"deadline\", \"agreement\": null, \"t\": 1, \"rounds\": 200}",
             path, sizeof path);
    assert_int_equal(pl_plot_session_read_run(s, path, &d), 0);
    tu_write(dir, "run.json", "{\"parties\": [\"a\", \"b\"], \"agreement\": null}", path, sizeof path);
    assert_int_equal(pl_plot_session_read_run(s, path, &d), PL_EINVAL);
    assert_string_equal(d.path, "parties");
    tu_write(dir, "run.json", "{\"parties\": [\"employer\", \"candidate\"], \"agreement\": 3}", path, sizeof path);
    assert_int_equal(pl_plot_session_read_run(s, path, &d), PL_EPARSE);
    assert_string_equal(d.path, "agreement");
    tu_write(dir, "run.json", "{\"parties\": [\"employer\", \"candidate\"], \"agreement\": null, \"agents\": 7}", path,
             sizeof path);
    assert_int_equal(pl_plot_session_read_run(s, path, &d), PL_EPARSE);
    tu_write(dir, "run.json", "[]", path, sizeof path);
    assert_int_equal(pl_plot_session_read_run(s, path, &d), PL_EPARSE);
    tu_write(dir, "run.json", "  \n", path, sizeof path);
    assert_int_equal(pl_plot_session_read_run(s, path, &d), PL_EPARSE);
    assert_int_equal(d.line, 1);
    /* Actions are checked. */
    uint32_t o5[5] = {0, 0, 0, 0, 9};
    assert_int_equal(pl_plot_session_add(s, 1, 0, 0, PL_ACTION_OFFER, o5), PL_EINVAL);
    assert_int_equal(pl_plot_session_add(s, 1, 0, 2, PL_ACTION_END, NULL), PL_EINVAL);
    assert_int_equal(pl_plot_session_set_agent(s, 5, "x"), PL_EINVAL);
    pl_plot_session_free(s);
    pl_plot_data_free(p);
    pl_scenario_free(sc);
    tu_rmtree(dir);
}

static void test_anac_density(void **state)
{
    (void)state;
    TU_NEED_ANAC();
    char dir[256], path[512];
    tu_mkdtemp(dir, sizeof dir);
    pl_scenario *sc = tu_load1(tu_anac("y2011/Energy"));
    pl_plot_data *p = data_of(sc, NULL);
    int sampled;
    assert_int_equal(pl_plot_data_outcomes_drawn(p, &sampled), 390625);
    assert_int_equal(sampled, 0);
    snprintf(path, sizeof path, "%s/energy.svg", dir);
    pl_diag d;
    assert_int_equal(pl_plot_save(path, 0, 0, p, NULL, NULL, &d), 0);
    size_t len;
    char *svg = slurp(path, &len);
    char root[64];
    assert_true(xml_ok(svg, len, root, sizeof root));
    assert_non_null(strstr(svg, "<image")); /* the density image */
    free(svg);
    pl_plot_data_free(p);
    pl_scenario_free(sc);
    tu_rmtree(dir);
}

/* ---- The report ---- */

static void test_report(void **state)
{
    (void)state;
    char dir[256], tour[300];
    tu_mkdtemp(dir, sizeof dir);
    snprintf(tour, sizeof tour, "%s/tour", dir);
    pl_registry *reg = tu_registry_new();
    assert_non_null(reg);
    const char *agents[] = {"boulware", "conceder", "linear"};
    const char *scen[] = {PL_SCENARIOS "/job-offer.json", PL_SCENARIOS "/supply-contract.json"};
    pl_tournament_options o;
    pl_tournament_options_init(&o);
    o.agents = agents;
    o.n_agents = 3;
    o.scenarios = scen;
    o.n_scenarios = 2;
    o.rounds = 100;
    o.jobs = 2;
    pl_tournament *t = NULL;
    pl_diag d;
    assert_int_equal(pl_tournament_new(&o, reg, &t, &d), 0);
    assert_int_equal(pl_tournament_run(t, tour, &d), 0);
    char *html = NULL, *again = NULL;
    int rc = pl_report_html(tour, &html, &d);
    if (rc < 0) {
        print_error("report: %s\n", d.message);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(pl_report_html(tour, &again, &d), 0);
    assert_string_equal(html, again); /* deterministic */
    char root[64];
    assert_true(xml_ok(html, strlen(html), root, sizeof root));
    assert_string_equal(root, "html");
    /* Self-contained: no scripts, no external resources. */
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "@import"));
    assert_non_null(strstr(html, "<svg"));
    /* The ranking lists the agents by mean utility, as the summary has them. */
    pl_tournament_summary *sum = NULL;
    assert_int_equal(pl_tournament_summarize(tour, &sum, &d), 0);
    const char *table = strstr(html, "<table id=\"ranking\">");
    assert_non_null(table);
    const char *pos = table;
    double last = INFINITY;
    for (int rank = 1; rank <= 3; rank++) {
        char cell[64];
        snprintf(cell, sizeof cell, "<tr><td>%d</td><td class=\"l\">", rank);
        pos = strstr(pos, cell);
        assert_non_null(pos);
        pos += strlen(cell);
        size_t k = 0;
        while (k < sum->n_agents && strncmp(pos, sum->agents[k].agent, strlen(sum->agents[k].agent)) != 0) {
            k++;
        }
        assert_true(k < sum->n_agents);
        assert_true(sum->agents[k].utility.mean <= last);
        last = sum->agents[k].utility.mean;
    }
    /* Written atomically to a file; a folder without a tournament is refused. */
    char path[400];
    snprintf(path, sizeof path, "%s/report.html", dir);
    assert_int_equal(pl_report_write(tour, path, &d), 0);
    size_t len;
    char *file = slurp(path, &len);
    assert_string_equal(file, html);
    free(file);
    pl_free(again);
    assert_int_equal(pl_report_html(dir, &again, &d) < 0, 1);
    assert_null(again);
    pl_tournament_summary_free(sum);
    pl_free(html);
    pl_free(again);
    pl_tournament_free(t);
    pl_registry_free(reg);
    tu_rmtree(dir);
}

/* ---- Tornado chart of a robustness result ---- */

/* Two issues, two parties with opposed values; b's weight on x ranges widely (it decides who gets x and who gets
 * y), the other two ranges barely matter. */
static const char *const DOMINANT =
    "{\"name\": \"dominant\", \"issues\": [{\"name\": \"x\", \"type\": \"discrete\", \"values\": [\"lo\", \"mid\", "
    "\"hi\"]}, {\"name\": \"y\", \"type\": \"discrete\", \"values\": [\"lo\", \"mid\", \"hi\"]}], \"parties\": ["
    " {\"name\": \"a\", \"reservation\": 0, \"utility\": {\"type\": \"linear_additive\", \"weights\": {\"x\": 0.5, "
    "\"y\": 0.5}, \"values\": {\"x\": {\"lo\": 0, \"mid\": 0.5, \"hi\": 1}, \"y\": {\"lo\": 0, \"mid\": 0.5, \"hi\": 1}}},"
    "  \"uncertainty\": {\"values\": {\"y\": {\"mid\": [0.45, 0.55]}}}},"
    " {\"name\": \"b\", \"reservation\": 0, \"utility\": {\"type\": \"linear_additive\", \"weights\": {\"x\": 0.5, "
    "\"y\": 0.5}, \"values\": {\"x\": {\"lo\": 1, \"mid\": 0.5, \"hi\": 0}, \"y\": {\"lo\": 1, \"mid\": 0.5, \"hi\": 0}}},"
    "  \"uncertainty\": {\"weights\": {\"x\": [0.05, 0.95]}, \"reservation\": [0, 0.1]}}]}";

/* 1 for the bars' blue (rho > 0), 2 for their vermillion (rho < 0), 0 otherwise. */
static int bar_colour(cairo_surface_t *img, int x, int y)
{
    unsigned char *data = cairo_image_surface_get_data(img);
    uint32_t px;
    memcpy(&px, data + (size_t)y * cairo_image_surface_get_stride(img) + (size_t)x * 4, 4);
    int r = (px >> 16) & 255, g = (px >> 8) & 255, b = px & 255;
    if (abs(r - 0x00) < 8 && abs(g - 0x72) < 8 && abs(b - 0xB2) < 8) {
        return 1;
    }
    if (abs(r - 0xD5) < 8 && abs(g - 0x5E) < 8 && abs(b - 0x00) < 8) {
        return 2;
    }
    return 0;
}

static void test_tornado(void **state)
{
    (void)state;
    char dir[256], path[512];
    tu_mkdtemp(dir, sizeof dir);
    tu_write(dir, "dominant.json", DOMINANT, path, sizeof path);
    pl_scenario *sc = tu_load1(path);
    pl_uncertainty *u = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_uncertainty_load(sc, path, &u, &d), 0);
    assert_int_equal(pl_uncertainty_count(u), 3);
    pl_robustness_options ro;
    pl_robustness_options_init(&ro);
    ro.samples = 200;
    ro.jobs = 2;
    pl_robustness *r = NULL;
    assert_int_equal(pl_robustness_run(u, &ro, &r, &d), 0);
    assert_ptr_equal(pl_robustness_uncertainty(r), u);
    /* Parameter 2 (b weight x) dominates issue x, against its option index; the others are weak and positive. */
    char name[128];
    assert_string_equal(pl_uncertainty_param_name(u, 2, name, sizeof name), "b weight x");
    double dom = pl_robustness_correlation(r, 0, 2, 1);
    assert_true(dom < -0.6);
    for (size_t j = 0; j < 2; j++) {
        double rho = pl_robustness_correlation(r, 0, j, 1);
        assert_true(rho >= 0 && rho < 0.3);
    }

    /* Files: valid and the same bytes on repeat. */
    static const char *const ext[] = {"png", "svg", "pdf"};
    for (int k = 0; k < 3; k++) {
        size_t len[2];
        char *bytes[2];
        for (int rep = 0; rep < 2; rep++) {
            snprintf(path, sizeof path, "%s/tornado%d.%s", dir, rep, ext[k]);
            pl_diag_clear(&d);
            int rc = pl_plot_tornado_save(path, 0, 0, r, NULL, &d);
            if (rc < 0) {
                print_error("save %s: %s\n", path, d.message);
            }
            assert_int_equal(rc, 0);
            bytes[rep] = slurp(path, &len[rep]);
        }
        assert_int_equal(len[0], len[1]);
        assert_memory_equal(bytes[0], bytes[1], len[0]);
        const unsigned char *b = (const unsigned char *)bytes[0];
        if (k == 0) {
            static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
            double w, h;
            pl_plot_tornado_size(r, NULL, &w, &h);
            assert_memory_equal(b, sig, 8);
            assert_memory_equal(b + 12, "IHDR", 4);
            assert_int_equal(be32(b + 16), (uint32_t)w);
            assert_int_equal(be32(b + 20), (uint32_t)h);
        } else if (k == 1) {
            char root[64];
            assert_true(xml_ok(bytes[0], len[0], root, sizeof root));
            assert_string_equal(root, "svg");
        } else {
            assert_memory_equal(b, "%PDF-", 5);
            assert_null(strstr(bytes[0], "/CreationDate"));
        }
        free(bytes[0]);
        free(bytes[1]);
    }
    snprintf(path, sizeof path, "%s/tornado.gif", dir);
    assert_int_equal(pl_plot_tornado_save(path, 0, 0, r, NULL, &d), PL_EUNSUPPORTED);

    /* Pixels: the bars from the top, as bands of rows holding bar colour; the first band is issue x's first bar. */
    double w, h;
    pl_plot_tornado_size(r, NULL, &w, &h);
    int W = (int)w, H = (int)h;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(img);
    assert_int_equal(pl_plot_tornado_render(cr, w, h, r, NULL, &d), 0);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    int colour[16], width[16], left[16], bands = 0, in_band = 0;
    for (int y = 0; y < H && bands < 16; y++) {
        int c = 0, n = 0, x0 = W;
        for (int x = 0; x < W; x++) {
            int k = bar_colour(img, x, y);
            if (k) {
                c = k;
                n++;
                x0 = x < x0 ? x : x0;
            }
        }
        if (n > 0 && !in_band) {
            colour[bands] = c;
            width[bands] = n;
            left[bands++] = x0;
        } else if (n > 0 && n > width[bands - 1]) {
            width[bands - 1] = n;
        }
        in_band = n > 0;
    }
    /* Issue x: three bars (every parameter moves it a little), then issue y's, then the key's two swatches. */
    assert_true(bands >= 5);
    assert_int_equal(colour[0], 2);          /* negative: drawn left of zero */
    assert_int_equal(colour[1], 1);          /* the weak ones: positive, right of zero */
    assert_int_equal(colour[2], 1);
    assert_true(left[0] < left[1] - 50);     /* ends far left of where the positive bars start (the zero line) */
    assert_true(width[0] > 3 * width[1]);    /* the longest bar is the dominant parameter's */
    assert_true(width[0] > 3 * width[2]);
    cairo_surface_destroy(img);
    pl_robustness_free(r);
    pl_uncertainty_free(u);
    pl_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files_valid_and_deterministic),
        cmocka_unit_test(test_pixels_frontier_and_agreement),
        cmocka_unit_test(test_data_modes),
        cmocka_unit_test(test_three_parties),
        cmocka_unit_test(test_trace_errors),
        cmocka_unit_test(test_trace_agreement_and_run),
        cmocka_unit_test(test_single_text_trace_alone),
        cmocka_unit_test(test_anac_density),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_tornado),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
