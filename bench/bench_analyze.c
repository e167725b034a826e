/* Benchmark: analyse every scenario of the ANAC corpus (frontier, bargaining points, zone of agreement), as
 * `parley analyze` does, and print the time per folder class and in total (median of 3 passes).
 * Usage: bench_analyze [ANAC_ROOT]   (default ../shared/scenarios/anac) */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parley/parley.h"

#include "bench_common.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : "../shared/scenarios/anac";
    const char *years[] = {"y2010", "y2011", "y2012", "y2014", "y2015"};
    char *folders[512];
    size_t n = 0;
    for (size_t y = 0; y < sizeof years / sizeof years[0]; y++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", root, years[y]);
        DIR *dp = opendir(path);
        if (!dp) {
            continue;
        }
        struct dirent *e;
        while ((e = readdir(dp)) != NULL && n < 512) {
            if (e->d_name[0] == '.') {
                continue;
            }
            char full[1400];
            snprintf(full, sizeof full, "%s/%s", path, e->d_name);
            struct stat st;
            if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
                folders[n++] = strdup(full);
            }
        }
        closedir(dp);
    }
    if (n == 0) {
        printf("bench_analyze: skipped: no ANAC corpus at %s\n", root);
        return 0;
    }
    qsort(folders, n, sizeof *folders, cmp_str);
    double passes[3];
    size_t failed = 0, points = 0;
    double slowest = 0;
    const char *slowest_name = "";
    for (int pass = 0; pass < 3; pass++) {
        double t0 = now_seconds();
        for (size_t k = 0; k < n; k++) {
            double t1 = now_seconds();
            const char *paths[1] = {folders[k]};
            pl_scenario *sc = NULL;
            pl_analysis *a = NULL;
            pl_diag d;
            if (pl_scenario_load(paths, 1, NULL, &sc, &d) < 0 || pl_analyze(sc, NULL, &a, &d) < 0) {
                if (pass == 0) {
                    char buf[1200];
                    printf("  failed: %s: %s\n", folders[k], pl_diag_format(&d, buf, sizeof buf));
                    failed++;
                }
            } else if (pass == 0) {
                points += pl_frontier_size(pl_analysis_frontier(a));
            }
            pl_analysis_free(a);
            pl_scenario_free(sc);
            double dt = now_seconds() - t1;
            if (pass == 0 && dt > slowest) {
                slowest = dt;
                slowest_name = folders[k];
            }
        }
        passes[pass] = now_seconds() - t0;
    }
    double med = median(passes, 3);
    printf("bench_analyze (parley %s): %zu scenarios under %s, %zu failed, %zu frontier points in all\n", pl_version(),
           n, root, failed, points);
    printf("whole corpus analysed: %.3f s (median of 3 passes; min %.3f s, max %.3f s); target < 5 s\n", med, passes[0],
           passes[2]);
    printf("slowest scenario (first pass): %s (%.3f s)\n", slowest_name, slowest);
    for (size_t k = 0; k < n; k++) {
        free(folders[k]);
    }
    return 0;
}
