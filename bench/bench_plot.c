/* bench_plot: how long a utility-space plot of ANAC 2011 Energy (390,625 outcomes, drawn as a density) takes: the
 * data (analysis + evaluating and binning every outcome), the drawing, and whole PNG / SVG / PDF files; and the same
 * for a 3-party scenario with a 12.9-million-outcome space when scenarios/ceasefire-2025.json is present.
 * Usage: bench_plot [SCENARIO_DIR_OR_FILE ...] (default: the Energy folder of the ANAC corpus). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_common.h"
#include "parley/plot.h"

#define REPS 5

static int bench_one(const char *path)
{
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    char err[1200];
    const char *paths[1] = {path};
    if (access(path, R_OK) != 0) {
        printf("%-40s skipped: %s not found\n", path, path);
        return 0;
    }
    if (pl_scenario_load(paths, 1, NULL, &sc, &d) < 0) {
        fprintf(stderr, "bench_plot: %s\n", pl_diag_format(&d, err, sizeof err));
        return 1;
    }
    uint64_t n = 0;
    pl_space_outcome_count(pl_scenario_space(sc), &n);
    double t_data[REPS], t_draw[REPS], t_png[REPS], t_svg[REPS], t_pdf[REPS];
    pl_plot_data *p = NULL;
    char tmpl[] = "/tmp/bench-plot-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir) {
        pl_scenario_free(sc);
        return 1;
    }
    char out[256];
    for (int r = 0; r < REPS; r++) {
        pl_plot_data_free(p);
        p = NULL;
        double t0 = now_seconds();
        if (pl_plot_data_new(sc, NULL, &p, &d) < 0) {
            fprintf(stderr, "bench_plot: %s\n", pl_diag_format(&d, err, sizeof err));
            pl_scenario_free(sc);
            return 1;
        }
        t_data[r] = now_seconds() - t0;
        double w, h;
        pl_plot_default_size(p, NULL, &w, &h);
        cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)w, (int)h);
        cairo_t *cr = cairo_create(img);
        t0 = now_seconds();
        pl_plot_render(cr, w, h, p, NULL, NULL, &d);
        cairo_surface_flush(img);
        t_draw[r] = now_seconds() - t0;
        cairo_destroy(cr);
        cairo_surface_destroy(img);
        static const char *const ext[3] = {"png", "svg", "pdf"};
        double *dst[3] = {t_png, t_svg, t_pdf};
        for (int k = 0; k < 3; k++) {
            snprintf(out, sizeof out, "%s/plot.%s", dir, ext[k]);
            t0 = now_seconds();
            if (pl_plot_save(out, 0, 0, p, NULL, NULL, &d) < 0) {
                fprintf(stderr, "bench_plot: %s\n", pl_diag_format(&d, err, sizeof err));
            }
            dst[k][r] = now_seconds() - t0;
        }
    }
    int sampled;
    uint64_t drawn = pl_plot_data_outcomes_drawn(p, &sampled);
    printf("%-24s %zu parties, %llu outcomes (%llu %s)\n", pl_scenario_name(sc), pl_scenario_party_count(sc),
           (unsigned long long)n, (unsigned long long)drawn, sampled ? "sampled" : "evaluated");
    printf("  data (analysis, every outcome evaluated and binned)  %8.1f ms\n", 1e3 * median(t_data, REPS));
    printf("  drawing into an image surface                         %8.1f ms\n", 1e3 * median(t_draw, REPS));
    printf("  whole PNG file (draw + encode + atomic write)         %8.1f ms\n", 1e3 * median(t_png, REPS));
    printf("  whole SVG file                                        %8.1f ms\n", 1e3 * median(t_svg, REPS));
    printf("  whole PDF file                                        %8.1f ms\n", 1e3 * median(t_pdf, REPS));
    printf("  plot from scratch as PNG (data + file)                %8.1f ms\n",
           1e3 * (t_data[REPS / 2] + t_png[REPS / 2]));
    for (int k = 0; k < 3; k++) {
        static const char *const ext[3] = {"png", "svg", "pdf"};
        snprintf(out, sizeof out, "%s/plot.%s", dir, ext[k]);
        unlink(out);
    }
    rmdir(dir);
    pl_plot_data_free(p);
    pl_scenario_free(sc);
    return 0;
}

int main(int argc, char **argv)
{
    printf("bench_plot: median of %d runs; drawing on one thread, the data step on every core\n", REPS);
    int rc = 0;
    if (argc > 1) {
        for (int k = 1; k < argc; k++) {
            rc |= bench_one(argv[k]);
        }
        return rc;
    }
    rc |= bench_one(PL_ANAC_DIR "/y2011/Energy");
    rc |= bench_one(PL_SCENARIOS_DIR "/ceasefire-2025.json");
    return rc;
}
