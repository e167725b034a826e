/* bench_load: wall time to load every scenario folder of the ANAC corpus (y2010, y2011, y2012, y2014, y2015; a
 * scenario folder is any sub-folder holding .xml files), median of PASSES passes. Failures are listed with their
 * diagnostics. Exits 0 even when the corpus is absent (prints "skipped").
 * Usage: bench_load [ANAC_ROOT]   (default relative to the repository root) */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "parley/parley.h"

#include "bench_common.h"

#define PASSES 5
#define DEFAULT_ROOT "../shared/scenarios/anac"

static const char *const YEARS[] = {"y2010", "y2011", "y2012", "y2014", "y2015"};
#define N_YEARS (sizeof YEARS / sizeof YEARS[0])

typedef struct folder_list {
    char **paths;
    size_t n, cap;
} folder_list;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int has_xml_suffix(const char *name)
{
    size_t n = strlen(name);
    return n >= 4 && strcasecmp(name + n - 4, ".xml") == 0;
}

/* 1 when dir directly holds at least one .xml file. */
static int holds_xml(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        return 0;
    }
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(dp)) != NULL) {
        found = e->d_name[0] != '.' && has_xml_suffix(e->d_name);
    }
    closedir(dp);
    return found;
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p) {
        snprintf(p, n, "%s/%s", a, b);
    }
    return p;
}

static int list_push(folder_list *l, char *path)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **p = realloc(l->paths, cap * sizeof *p);
        if (!p) {
            return -1;
        }
        l->paths = p;
        l->cap = cap;
    }
    l->paths[l->n++] = path;
    return 0;
}

/* Append the scenario folders directly under year_dir, sorted by name. -1 on allocation failure. */
static int collect(const char *year_dir, folder_list *l)
{
    DIR *dp = opendir(year_dir);
    if (!dp) {
        return 0;
    }
    size_t first = l->n;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char *p = join(year_dir, e->d_name);
        if (!p) {
            rc = -1;
            break;
        }
        if (is_dir(p) && holds_xml(p)) {
            if (list_push(l, p) < 0) {
                free(p);
                rc = -1;
                break;
            }
        } else {
            free(p);
        }
    }
    closedir(dp);
    qsort(l->paths + first, l->n - first, sizeof *l->paths, cmp_str);
    return rc;
}

int main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : DEFAULT_ROOT;
    if (argc > 2 || (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))) {
        fprintf(stderr, "usage: bench_load [ANAC_ROOT]\n");
        return argc > 2 ? 2 : 0;
    }
    if (!is_dir(root)) {
        printf("bench_load: skipped: no ANAC corpus at %s\n", root);
        return 0;
    }
    folder_list l = {NULL, 0, 0};
    for (size_t y = 0; y < N_YEARS; y++) {
        char *dir = join(root, YEARS[y]);
        if (!dir || collect(dir, &l) < 0) {
            free(dir);
            fprintf(stderr, "bench_load: out of memory\n");
            return 1;
        }
        free(dir);
    }
    if (l.n == 0) {
        printf("bench_load: skipped: no scenario folders under %s/{y2010,y2011,y2012,y2014,y2015}\n", root);
        free(l.paths);
        return 0;
    }

    double *best = malloc(l.n * sizeof *best); /* fastest load of each folder over the passes */
    if (!best) {
        fprintf(stderr, "bench_load: out of memory\n");
        return 1;
    }
    double pass_time[PASSES];
    size_t loaded = 0, failed = 0, parties = 0;
    char buf[1200];
    for (int pass = 0; pass < PASSES; pass++) {
        double t0 = now_seconds();
        for (size_t i = 0; i < l.n; i++) {
            pl_diag d;
            pl_diag_clear(&d);
            pl_scenario *sc = NULL;
            const char *path = l.paths[i];
            double s0 = now_seconds();
            int rc = pl_scenario_load(&path, 1, NULL, &sc, &d);
            if (pass == 0) {
                if (rc < 0) {
                    failed++;
                    printf("FAIL %s: %s\n", path, pl_diag_format(&d, buf, sizeof buf));
                } else {
                    loaded++;
                    parties += pl_scenario_party_count(sc);
                }
            }
            pl_scenario_free(sc);
            double dt = now_seconds() - s0;
            if (pass == 0 || dt < best[i]) {
                best[i] = dt;
            }
        }
        pass_time[pass] = now_seconds() - t0;
    }
    double med = median(pass_time, PASSES);

    size_t slowest = 0;
    for (size_t i = 1; i < l.n; i++) {
        if (best[i] > best[slowest]) {
            slowest = i;
        }
    }
    printf("bench_load (parley %s): %zu scenario folders under %s: %zu loaded (%zu parties), %zu failed\n",
           pl_version(), l.n, root, loaded, parties, failed);
    printf("whole corpus: %.1f ms (median of %d passes; min %.1f ms, max %.1f ms)\n", med * 1e3, PASSES,
           pass_time[0] * 1e3, pass_time[PASSES - 1] * 1e3);
    printf("slowest folder: %s (%.2f ms)\n", l.paths[slowest], best[slowest] * 1e3);

    for (size_t i = 0; i < l.n; i++) {
        free(l.paths[i]);
    }
    free(l.paths);
    free(best);
    return 0;
}
