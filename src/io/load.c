/* Loading scenarios: decide the format from the paths and contents, read the files, dispatch to a reader. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "io/io_internal.h"

/* First non-blank byte (skipping a UTF-8 byte-order mark), or 0. */
static char first_char(const char *s, size_t len)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF) {
        i = 3;
    }
    for (; i < len; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') {
            return s[i];
        }
    }
    return 0;
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

/* Party name from a file path: the base name without its extension. */
static char *party_name_from_path(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    return pl__strndup(b, n);
}

typedef struct file_set {
    char **paths;
    char **data;
    size_t *lens;
    size_t n;
} file_set;

static void files_free(file_set *f)
{
    for (size_t i = 0; i < f->n; i++) {
        pl__free(f->paths[i]);
        pl__free(f->data[i]);
    }
    pl__free(f->paths);
    pl__free(f->data);
    pl__free(f->lens);
    memset(f, 0, sizeof *f);
}

static int files_add(file_set *f, const char *path, pl_diag *d)
{
    char **p = pl__realloc(f->paths, (f->n + 1) * sizeof *p);
    if (p) {
        f->paths = p;
    }
    char **q = pl__realloc(f->data, (f->n + 1) * sizeof *q);
    if (q) {
        f->data = q;
    }
    size_t *l = pl__realloc(f->lens, (f->n + 1) * sizeof *l);
    if (l) {
        f->lens = l;
    }
    if (!p || !q || !l) {
        return pl__diag_set(d, PL_ENOMEM, path, 0, 0, "out of memory");
    }
    f->paths[f->n] = pl__strdup(path);
    if (!f->paths[f->n]) {
        return pl__diag_set(d, PL_ENOMEM, path, 0, 0, "out of memory");
    }
    int rc = pl__read_file(path, &f->data[f->n], &f->lens[f->n], d);
    if (rc < 0) {
        pl__free(f->paths[f->n]);
        return rc;
    }
    if (first_char(f->data[f->n], f->lens[f->n]) == 0) {
        pl__free(f->paths[f->n]);
        pl__free(f->data[f->n]);
        return pl__diag_set(d, PL_EPARSE, path, 1, 1, "empty file");
    }
    f->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files of a folder with the given suffix, sorted by name (pareto.xml excluded). */
static int list_folder(const char *dir, const char *suffix, file_set *f, pl_diag *d)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        return pl__diag_set(d, PL_EIO, dir, 0, 0, "cannot open folder");
    }
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.' || !has_suffix(e->d_name, suffix) || strcasecmp(e->d_name, "pareto.xml") == 0) {
            continue;
        }
        char **p = pl__realloc(names, (n + 1) * sizeof *p);
        if (!p) {
            rc = pl__diag_set(d, PL_ENOMEM, dir, 0, 0, "out of memory");
            break;
        }
        names = p;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = pl__malloc(len);
        if (!names[n]) {
            rc = pl__diag_set(d, PL_ENOMEM, dir, 0, 0, "out of memory");
            break;
        }
        snprintf(names[n], len, "%s%s%s", dir, has_suffix(dir, "/") ? "" : "/", e->d_name);
        n++;
    }
    closedir(dp);
    if (rc == 0 && n) {
        qsort(names, n, sizeof *names, cmp_str);
    }
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            rc = files_add(f, names[i], d);
        }
        pl__free(names[i]);
    }
    pl__free(names);
    return rc;
}

/* Genius XML from files: parse each, pick the domain and the profiles by root element. In a folder, files with
 * another root element are ignored; given explicitly, they are an error. */
static int load_genius(file_set *f, int from_folder, const char *folder, const pl_load_options *opts,
                       pl_scenario **out, pl_diag *d)
{
    int rc = 0;
    pl__xnode **roots = pl__calloc(f->n, sizeof *roots);
    const pl__xnode **profiles = pl__calloc(f->n, sizeof *profiles);
    const char **pfiles = pl__calloc(f->n, sizeof *pfiles);
    char **names = pl__calloc(f->n, sizeof *names);
    size_t np = 0;
    long dom = -1;
    if (!roots || !profiles || !pfiles || !names) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < f->n; i++) {
        PL_TRY(pl__xml_parse(f->data[i], f->lens[i], f->paths[i], &roots[i], d));
        const char *root = roots[i]->name;
        if (strcmp(root, "negotiation_template") == 0) {
            if (dom >= 0) {
                rc = pl__diag_set(d, PL_EINVAL, f->paths[i], roots[i]->line, roots[i]->column,
                                  "a second domain (the first is %s)", f->paths[dom]);
                goto cleanup;
            }
            dom = (long)i;
        } else if (strcmp(root, "utility_space") == 0) {
            profiles[np] = roots[i];
            pfiles[np] = f->paths[i];
            names[np] = party_name_from_path(f->paths[i]);
            if (!names[np]) {
                rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
                goto cleanup;
            }
            /* Two profiles with one base name (from different folders): make the name unique. */
            for (size_t k = 0; k < np; k++) {
                if (strcmp(names[k], names[np]) == 0) {
                    size_t len = strlen(names[np]) + 24;
                    char *alt = pl__malloc(len);
                    if (!alt) {
                        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
                        goto cleanup;
                    }
                    snprintf(alt, len, "%s-%zu", names[np], np + 1);
                    pl__free(names[np]);
                    names[np] = alt;
                    break;
                }
            }
            np++;
        } else if (!from_folder) {
            rc = pl__diag_set(d, PL_EPARSE, f->paths[i], roots[i]->line, roots[i]->column,
                              "root element <%s> is neither a Genius domain (<negotiation_template>) nor a profile "
                              "(<utility_space>)",
                              root);
            goto cleanup;
        }
    }
    if (dom < 0) {
        rc = pl__diag_set(d, PL_EINVAL, from_folder ? folder : f->paths[0], 0, 0,
                          "no Genius domain (an XML file with root <negotiation_template>)%s",
                          from_folder ? " in this folder" : " among the files given");
        goto cleanup;
    }
    if (np < 2) {
        rc = pl__diag_set(d, PL_EINVAL, from_folder ? folder : f->paths[dom], 0, 0,
                          "a scenario needs at least 2 profiles (root <utility_space>); found %zu", np);
        goto cleanup;
    }
    /* Profiles written by parley are named DOMAIN-PARTY.xml beside DOMAIN.xml: name such parties PARTY. */
    char *dstem = party_name_from_path(f->paths[dom]);
    if (!dstem) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    size_t dl = strlen(dstem);
    for (size_t k = 0; k < np; k++) {
        if (strncmp(names[k], dstem, dl) == 0 && names[k][dl] == '-' && names[k][dl + 1]) {
            memmove(names[k], names[k] + dl + 1, strlen(names[k] + dl + 1) + 1);
        }
    }
    pl__free(dstem);
    rc = pl__genius_build(roots[dom], f->paths[dom], profiles, pfiles, (const char *const *)names, np, opts, out,
                          d);
    if (rc == 0) {
        /* Name the scenario after its folder, or after the domain file. */
        char *name = party_name_from_path(from_folder ? folder : f->paths[dom]);
        if (name && from_folder) {
            pl__free(name);
            size_t len = strlen(folder);
            while (len > 1 && folder[len - 1] == '/') {
                len--;
            }
            char *trimmed = pl__strndup(folder, len);
            name = trimmed ? party_name_from_path(trimmed) : NULL;
            pl__free(trimmed);
        }
        if (!name || pl_scenario_set_name(*out, name) < 0) {
            pl_scenario_free(*out);
            *out = NULL;
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        }
        pl__free(name);
    }
cleanup:
    for (size_t i = 0; roots && i < f->n; i++) {
        pl__xml_free(roots[i]);
    }
    for (size_t i = 0; names && i < np; i++) {
        pl__free(names[i]);
    }
    pl__free(roots);
    pl__free(profiles);
    pl__free(pfiles);
    pl__free(names);
    return rc;
}

/* The caller's options over the defaults (docs/api.md). PL_EINVAL for a size below the first version's. */
static int resolve_opts(const pl_load_options *in, pl_load_options *o, pl_diag *d)
{
    pl_load_options_init(o);
    return PL__OPTS_READ(pl_load_options, o, in, real_levels, d);
}

int pl_scenario_load(const char *const *paths, size_t n, const pl_load_options *opts_in, pl_scenario **out,
                     pl_diag *d)
{
    *out = NULL;
    pl_load_options opts;
    if (resolve_opts(opts_in, &opts, d) < 0) {
        return PL_EINVAL;
    }
    if (n == 0) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "no scenario given");
    }
    file_set f;
    memset(&f, 0, sizeof f);
    int rc = 0;
    int folder = n == 1 && is_dir(paths[0]);
    if (folder) {
        PL_TRY(list_folder(paths[0], ".xml", &f, d));
        if (f.n == 0) {
            PL_TRY(list_folder(paths[0], ".json", &f, d));
            /* A folder of GeniusWeb profiles may also hold the domain or other JSON: keep the profiles. */
            size_t keep = 0;
            for (size_t i = 0; i < f.n; i++) {
                keep += pl__geniusweb_sniff(f.data[i], f.lens[i]) != 0;
            }
            if (keep > 0 && keep < f.n) {
                size_t j = 0;
                for (size_t i = 0; i < f.n; i++) {
                    if (pl__geniusweb_sniff(f.data[i], f.lens[i])) {
                        f.paths[j] = f.paths[i];
                        f.data[j] = f.data[i];
                        f.lens[j] = f.lens[i];
                        j++;
                    } else {
                        pl__free(f.paths[i]);
                        pl__free(f.data[i]);
                    }
                }
                f.n = j;
            }
        }
        if (f.n == 0) {
            rc = pl__diag_set(d, PL_EINVAL, paths[0], 0, 0, "folder holds no scenario files (.xml or .json)");
            goto cleanup;
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            PL_TRY(files_add(&f, paths[i], d));
        }
    }
    size_t n_xml = 0;
    for (size_t i = 0; i < f.n; i++) {
        n_xml += first_char(f.data[i], f.lens[i]) == '<';
    }
    pl_format fmt = opts.format;
    if (fmt == PL_FORMAT_AUTO) {
        if (n_xml == f.n) {
            fmt = PL_FORMAT_GENIUS_XML;
        } else if (n_xml == 0) {
            fmt = (f.n == 1 && !pl__geniusweb_sniff(f.data[0], f.lens[0])) ? PL_FORMAT_PARLEY_JSON
                                                                            : PL_FORMAT_GENIUSWEB_JSON;
        } else {
            /* Name the odd one out: the first file that is not XML when most are, else the first XML file. */
            size_t odd = 0;
            int want_xml = 2 * n_xml >= f.n;
            while (odd + 1 < f.n && (first_char(f.data[odd], f.lens[odd]) == '<') == want_xml) {
                odd++;
            }
            char c0 = first_char(f.data[odd], f.lens[odd]);
            const char *what = c0 == '<' ? "an XML file" : (c0 == '{' || c0 == '[') ? "a JSON file" : "neither XML nor JSON";
            rc = pl__diag_set(d, PL_EINVAL, f.paths[odd], 0, 0, "%s among %s files: give one format at a time", what,
                              want_xml ? "Genius XML" : "JSON");
            goto cleanup;
        }
    }
    switch (fmt) {
    case PL_FORMAT_GENIUS_XML:
        if (f.n == 1) {
            /* A lone XML file cannot be a whole scenario; still parse it so syntax errors are reported first. */
            pl__xnode *root = NULL;
            PL_TRY(pl__xml_parse(f.data[0], f.lens[0], f.paths[0], &root, d));
            pl__xml_free(root);
            rc = pl__diag_set(d, PL_EINVAL, f.paths[0], 0, 0,
                              "a Genius XML scenario is a domain plus one profile per party: give the folder, or "
                              "the domain and profile files");
            goto cleanup;
        }
        rc = load_genius(&f, folder, paths[0], &opts, out, d);
        break;
    case PL_FORMAT_GENIUSWEB_JSON:
        rc = pl__geniusweb_build((const char *const *)f.data, f.lens, (const char *const *)f.paths, f.n, &opts, out,
                                 d);
        break;
    default:
        if (f.n != 1) {
            rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "a parley JSON scenario is a single file");
            goto cleanup;
        }
        rc = pl__parley_json_build(f.data[0], f.lens[0], f.paths[0], &opts, out, d);
        break;
    }
cleanup:
    files_free(&f);
    return rc;
}

int pl_scenario_load_parley_json_mem(const char *data, size_t len, const char *name, const pl_load_options *opts_in,
                                     pl_scenario **out, pl_diag *d)
{
    *out = NULL;
    pl_load_options opts;
    if (resolve_opts(opts_in, &opts, d) < 0) {
        return PL_EINVAL;
    }
    return pl__parley_json_build(data, len, name ? name : "<memory>", &opts, out, d);
}

int pl_scenario_load_genius_xml_mem(const char *domain, size_t domain_len, const char *const *profiles,
                                    const size_t *profile_lens, size_t n_profiles, const pl_load_options *opts_in,
                                    pl_scenario **out, pl_diag *d)
{
    *out = NULL;
    pl_load_options opts;
    if (resolve_opts(opts_in, &opts, d) < 0) {
        return PL_EINVAL;
    }
    int rc = 0;
    pl__xnode *dom = NULL;
    pl__xnode **roots = pl__calloc(n_profiles ? n_profiles : 1, sizeof *roots);
    char **names = pl__calloc(n_profiles ? n_profiles : 1, sizeof *names);
    const char **files = pl__calloc(n_profiles ? n_profiles : 1, sizeof *files);
    if (!roots || !names || !files) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    PL_TRY(pl__xml_parse(domain, domain_len, "<domain>", &dom, d));
    for (size_t i = 0; i < n_profiles; i++) {
        names[i] = pl__malloc(32);
        if (!names[i]) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        snprintf(names[i], 32, "party%zu", i + 1);
        files[i] = names[i];
        PL_TRY(pl__xml_parse(profiles[i], profile_lens[i], names[i], &roots[i], d));
    }
    rc = pl__genius_build(dom, "<domain>", (const pl__xnode *const *)roots, files, (const char *const *)names,
                          n_profiles, &opts, out, d);
cleanup:
    pl__xml_free(dom);
    for (size_t i = 0; i < n_profiles; i++) {
        if (roots) {
            pl__xml_free(roots[i]);
        }
        if (names) {
            pl__free(names[i]);
        }
    }
    pl__free(roots);
    pl__free(names);
    pl__free(files);
    return rc;
}

int pl_scenario_load_geniusweb_json_mem(const char *const *profiles, const size_t *lens, size_t n,
                                        const pl_load_options *opts_in, pl_scenario **out, pl_diag *d)
{
    *out = NULL;
    pl_load_options opts;
    if (resolve_opts(opts_in, &opts, d) < 0) {
        return PL_EINVAL;
    }
    return pl__geniusweb_build(profiles, lens, NULL, n, &opts, out, d);
}
