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

/* A parley JSON scenario with one discrete issue of n values, each party's value table keyed by label (so every
 * label is looked up once per party), or, with by_position, an array of utilities in value order. */
static char *many_values_json(size_t n, int by_position)
{
    size_t cap = n * 80 + 1024, len = 0;
    char *t = malloc(cap);
    if (!t) {
        return NULL;
    }
#define PUT(...) len += (size_t)snprintf(t + len, cap - len, __VA_ARGS__)
    PUT("{\"name\": \"many\", \"issues\": [{\"name\": \"x\", \"type\": \"discrete\", \"values\": [");
    for (size_t v = 0; v < n; v++) {
        PUT("%s\"value-%zu\"", v ? "," : "", v);
    }
    PUT("]}], \"parties\": [");
    for (int p = 0; p < 2; p++) {
        PUT("%s{\"name\": \"p%d\", \"utility\": {\"type\": \"linear_additive\", \"weights\": {\"x\": 1}, "
            "\"values\": {\"x\": %s",
            p ? "," : "", p, by_position ? "[" : "{");
        for (size_t v = 0; v < n; v++) {
            double u = p ? 1.0 - (double)v / (double)n : (double)v / (double)n;
            if (by_position) {
                PUT("%s%g", v ? "," : "", u);
            } else {
                PUT("%s\"value-%zu\": %g", v ? "," : "", v, u);
            }
        }
        PUT("%s}}}", by_position ? "]" : "}");
    }
    PUT("]}");
#undef PUT
    return t;
}

/* The same scenario as Genius XML: a domain and two profiles (items looked up by label in the domain). */
static char *many_values_xml(size_t n, int profile)
{
    size_t cap = n * 96 + 1024, len = 0;
    char *t = malloc(cap);
    if (!t) {
        return NULL;
    }
#define PUT(...) len += (size_t)snprintf(t + len, cap - len, __VA_ARGS__)
    PUT(profile ? "<utility_space>\n<objective index=\"0\" name=\"root\" type=\"objective\" etype=\"objective\">\n"
                : "<negotiation_template>\n<utility_space>\n<objective index=\"0\" name=\"root\" type=\"objective\" "
                  "etype=\"objective\">\n");
    PUT("<issue index=\"1\" name=\"x\" vtype=\"discrete\" type=\"discrete\" etype=\"discrete\">\n");
    for (size_t v = 0; v < n; v++) {
        if (profile) {
            PUT("<item index=\"%zu\" value=\"value-%zu\" evaluation=\"%zu\"/>\n", v + 1, v,
                profile == 1 ? v + 1 : n - v);
        } else {
            PUT("<item index=\"%zu\" value=\"value-%zu\"/>\n", v + 1, v);
        }
    }
    PUT("</issue>\n");
    PUT(profile ? "<weight index=\"1\" value=\"1.0\"/>\n</objective>\n</utility_space>\n"
                : "</objective>\n</utility_space>\n</negotiation_template>\n");
#undef PUT
    return t;
}

/* Time to load an issue of 10^5 and 10^6 values (value lookup by hash: linear in the values). */
static void bench_many_values(void)
{
    static const size_t sizes[] = {100000, 1000000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        for (int by_position = 0; by_position < 2; by_position++) {
            char *text = many_values_json(sizes[k], by_position);
            if (!text) {
                printf("many values: out of memory\n");
                return;
            }
            double best = 1e9;
            for (int pass = 0; pass < 3; pass++) {
                pl_scenario *sc = NULL;
                pl_diag d;
                pl_diag_clear(&d);
                double t0 = now_seconds();
                int rc = pl_scenario_load_parley_json_mem(text, strlen(text), "many.json", NULL, &sc, &d);
                double dt = now_seconds() - t0;
                if (rc < 0) {
                    char buf[1200];
                    printf("many values: %s\n", pl_diag_format(&d, buf, sizeof buf));
                    break;
                }
                pl_scenario_free(sc);
                best = dt < best ? dt : best;
            }
            printf("one issue of %zu values, 2 parties, parley JSON, tables %s (%.1f MB): loaded in %.3f s (best of 3)\n",
                   sizes[k], by_position ? "in value order" : "keyed by label", (double)strlen(text) / 1e6, best);
            free(text);
        }
        char *dom = many_values_xml(sizes[k], 0), *p1 = many_values_xml(sizes[k], 1), *p2 = many_values_xml(sizes[k], 2);
        if (dom && p1 && p2) {
            const char *profiles[2] = {p1, p2};
            size_t lens[2] = {strlen(p1), strlen(p2)};
            double best = 1e9;
            for (int pass = 0; pass < 3; pass++) {
                pl_scenario *sc = NULL;
                pl_diag d;
                pl_diag_clear(&d);
                double t0 = now_seconds();
                int rc = pl_scenario_load_genius_xml_mem(dom, strlen(dom), profiles, lens, 2, NULL, &sc, &d);
                double dt = now_seconds() - t0;
                if (rc < 0) {
                    char buf[1200];
                    printf("many values (XML): %s\n", pl_diag_format(&d, buf, sizeof buf));
                    break;
                }
                pl_scenario_free(sc);
                best = dt < best ? dt : best;
            }
            printf("one issue of %zu values, 2 parties, Genius XML (%.1f MB): loaded in %.3f s (best of 3)\n",
                   sizes[k], (double)(strlen(dom) + lens[0] + lens[1]) / 1e6, best);
        }
        free(dom);
        free(p1);
        free(p2);
    }
}

int main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : DEFAULT_ROOT;
    if (argc > 2 || (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))) {
        fprintf(stderr, "usage: bench_load [ANAC_ROOT]\n");
        return argc > 2 ? 2 : 0;
    }
    bench_many_values();
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
