/* Genius XML writer (linear additive scenarios): a domain file plus one profile per party. The output reads back,
 * in parley and in GENIUS, to the same utility for every outcome:
 * - a discrete issue's table is written as evaluations divided by its largest value, that value moving into the
 *   weight (GENIUS divides evaluations by the largest one);
 * - integer issues with step 1 whose every party uses a linear value function keep an integer issue and a linear
 *   evaluator; real issues whose parties all use linear or triangular functions keep a real issue (with a `levels`
 *   attribute, which GENIUS ignores); any other numeric issue is written as a discrete issue of its numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ufun_internal.h"
#include "io/io_internal.h"

typedef enum wkind { W_DISCRETE, W_INTEGER, W_REAL } wkind;

static wkind written_kind(const pl_scenario *sc, size_t i)
{
    const pl_space *s = pl_scenario_space(sc);
    pl_issue_kind k = pl_space_issue_kind(s, i);
    if (k == PL_ISSUE_DISCRETE) {
        return W_DISCRETE;
    }
    double step;
    pl_space_issue_range(s, i, NULL, NULL, &step);
    for (size_t p = 0; p < pl_scenario_party_count(sc); p++) {
        const pl_vf *vf = pl_ufun_linear_vf(pl_scenario_ufun(sc, p), i);
        if (vf->kind == PL_VF_TABLE || (k == PL_ISSUE_INTEGER && vf->kind != PL_VF_LINEAR)) {
            return W_DISCRETE;
        }
    }
    if (k == PL_ISSUE_INTEGER) {
        return step == 1 ? W_INTEGER : W_DISCRETE;
    }
    return W_REAL;
}

static void num_attr(pl__buf *b, const char *name, double x)
{
    char tmp[40];
    pl__buf_printf(b, " %s=\"%s\"", name, pl__fmt_double(x, tmp, sizeof tmp));
}

static void issue_open(pl__buf *b, const pl_space *s, size_t i, wkind k)
{
    static const char *const names[] = {"discrete", "integer", "real"};
    pl__buf_printf(b, "      <issue index=\"%zu\" name=\"", i + 1);
    pl__buf_xml_escaped(b, pl_space_issue_name(s, i));
    pl__buf_printf(b, "\" type=\"%s\" etype=\"%s\" vtype=\"%s\"", names[k], names[k], names[k]);
    if (k != W_DISCRETE) {
        double lo, hi;
        pl_space_issue_range(s, i, &lo, &hi, NULL);
        num_attr(b, "lowerbound", lo);
        num_attr(b, "upperbound", hi);
        if (k == W_REAL) {
            pl__buf_printf(b, " levels=\"%u\"", pl_space_issue_levels(s, i));
        }
    }
}

static void item(pl__buf *b, const pl_space *s, size_t i, uint32_t v)
{
    char lab[48];
    const char *l = pl_space_value_label_ref(s, i, v);
    pl__buf_printf(b, "        <item index=\"%u\" value=\"", v + 1);
    pl__buf_xml_escaped(b, l ? l : pl_space_value_label(s, i, v, lab, sizeof lab));
    pl__buf_puts(b, "\"");
}

static char *domain_xml(const pl_scenario *sc, const wkind *kinds)
{
    const pl_space *s = pl_scenario_space(sc);
    pl__buf b;
    pl__buf_init(&b);
    pl__buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<negotiation_template>\n");
    pl__buf_printf(&b, "  <utility_space number_of_issues=\"%zu\">\n", pl_space_issue_count(s));
    pl__buf_puts(&b, "    <objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"");
    pl__buf_xml_escaped(&b, pl_scenario_name(sc)[0] ? pl_scenario_name(sc) : "root");
    pl__buf_puts(&b, "\">\n");
    for (size_t i = 0; i < pl_space_issue_count(s); i++) {
        issue_open(&b, s, i, kinds[i]);
        if (kinds[i] != W_DISCRETE) {
            pl__buf_puts(&b, "/>\n");
            continue;
        }
        pl__buf_puts(&b, ">\n");
        for (uint32_t v = 0; v < pl_space_value_count(s, i); v++) {
            item(&b, s, i, v);
            pl__buf_puts(&b, "/>\n");
        }
        pl__buf_puts(&b, "      </issue>\n");
    }
    pl__buf_puts(&b, "    </objective>\n  </utility_space>\n</negotiation_template>\n");
    return pl__buf_take(&b);
}

static int profile_xml(const pl_scenario *sc, size_t p, const wkind *kinds, char **out, pl_diag *d)
{
    const pl_space *s = pl_scenario_space(sc);
    const pl_ufun *u = pl_scenario_ufun(sc, p);
    size_t n = pl_space_issue_count(s);
    pl__buf b;
    pl__buf_init(&b);
    pl__buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<utility_space>\n");
    pl__buf_puts(&b, "  <reservation");
    num_attr(&b, "value", pl_ufun_reservation(u));
    pl__buf_puts(&b, "/>\n  <discount_factor");
    num_attr(&b, "value", pl_ufun_discount(u));
    pl__buf_puts(&b, "/>\n");
    pl__buf_puts(&b, "  <objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"");
    pl__buf_xml_escaped(&b, pl_scenario_name(sc)[0] ? pl_scenario_name(sc) : "root");
    pl__buf_puts(&b, "\">\n");
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        double w = pl_ufun_linear_weight(u, i);
        const pl_vf *vf = pl_ufun_linear_vf(u, i);
        issue_open(&b, s, i, kinds[i]);
        pl__buf_puts(&b, ">\n");
        if (kinds[i] == W_DISCRETE) {
            double max = 0;
            for (uint32_t v = 0; v < pl_space_value_count(s, i); v++) {
                double x = pl_ufun_linear_value(u, i, v);
                if (x < 0) {
                    rc = pl__diag_set(d, PL_EUNSUPPORTED, NULL, 0, 0,
                                      "party \"%s\", issue \"%s\": Genius XML cannot express negative utilities",
                                      pl_scenario_party_name(sc, p), pl_space_issue_name(s, i));
                    goto cleanup;
                }
                max = x > max ? x : max;
            }
            for (uint32_t v = 0; v < pl_space_value_count(s, i); v++) {
                item(&b, s, i, v);
                num_attr(&b, "evaluation", max > 0 ? pl_ufun_linear_value(u, i, v) / max : 0);
                pl__buf_puts(&b, "/>\n");
            }
            w *= max;
        } else if (kinds[i] == W_INTEGER) {
            pl__buf_puts(&b, "        <evaluator ftype=\"linear\"");
            num_attr(&b, "slope", vf->slope);
            num_attr(&b, "offset", vf->offset);
            pl__buf_puts(&b, "/>\n");
        } else if (vf->kind == PL_VF_LINEAR) {
            double lo;
            pl_space_issue_range(s, i, &lo, NULL, NULL);
            pl__buf_puts(&b, "        <evaluator ftype=\"linear\"");
            num_attr(&b, "parameter0", vf->offset - vf->slope * lo);
            num_attr(&b, "parameter1", vf->slope);
            pl__buf_puts(&b, "/>\n");
        } else {
            pl__buf_puts(&b, "        <evaluator ftype=\"triangular\"");
            num_attr(&b, "parameter0", vf->start);
            num_attr(&b, "parameter1", vf->end);
            num_attr(&b, "parameter2", vf->peak);
            pl__buf_puts(&b, "/>\n");
        }
        pl__buf_puts(&b, "      </issue>\n");
        pl__buf_printf(&b, "      <weight index=\"%zu\"", i + 1);
        num_attr(&b, "value", w);
        pl__buf_puts(&b, "/>\n");
    }
    pl__buf_puts(&b, "  </objective>\n</utility_space>\n");
cleanup:
    if (rc < 0) {
        pl__buf_destroy(&b);
        return rc;
    }
    *out = pl__buf_take(&b);
    return *out ? 0 : pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
}

int pl_scenario_to_genius_xml(const pl_scenario *sc, char **domain, char ***profiles, pl_diag *d)
{
    *domain = NULL;
    *profiles = NULL;
    const pl_space *s = pl_scenario_space(sc);
    size_t np = pl_scenario_party_count(sc), n = pl_space_issue_count(s);
    for (size_t p = 0; p < np; p++) {
        if (pl_ufun_kind_of(pl_scenario_ufun(sc, p)) != PL_UFUN_LINEAR) {
            return pl__diag_set(d, PL_EUNSUPPORTED, NULL, 0, 0,
                                "Genius XML output supports linear additive utility functions only; party \"%s\" "
                                "has a hyper-rectangle one (write parley JSON instead)",
                                pl_scenario_party_name(sc, p));
        }
        if (pl_ufun_red_line_count(pl_scenario_ufun(sc, p)) > 0) {
            return pl__diag_set(d, PL_EUNSUPPORTED, NULL, 0, 0,
                                "Genius XML cannot express red lines; party \"%s\" has %zu (GENIUS would value the "
                                "outcomes they exclude; write parley JSON instead)",
                                pl_scenario_party_name(sc, p), pl_ufun_red_line_count(pl_scenario_ufun(sc, p)));
        }
    }
    int rc = 0;
    wkind *kinds = pl__malloc((n ? n : 1) * sizeof *kinds);
    char **profs = pl__calloc(np ? np : 1, sizeof *profs);
    char *dom = NULL;
    if (!kinds || !profs) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        kinds[i] = written_kind(sc, i);
    }
    dom = domain_xml(sc, kinds);
    if (!dom) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t p = 0; p < np; p++) {
        PL_TRY(profile_xml(sc, p, kinds, &profs[p], d));
    }
cleanup:
    pl__free(kinds);
    if (rc < 0) {
        pl__free(dom);
        for (size_t p = 0; profs && p < np; p++) {
            pl__free(profs[p]);
        }
        pl__free(profs);
        return rc;
    }
    *domain = dom;
    *profiles = profs;
    return 0;
}

/* "<stem>-<party>.xml" with characters unsafe in file names replaced. */
static char *profile_path(const char *path, const char *party)
{
    size_t len = strlen(path);
    size_t stem = len >= 4 && strcmp(path + len - 4, ".xml") == 0 ? len - 4 : len;
    size_t n = stem + strlen(party) + 8;
    char *out = pl__malloc(n);
    if (!out) {
        return NULL;
    }
    snprintf(out, n, "%.*s-%s.xml", (int)stem, path, party);
    for (char *c = out + stem + 1; *c && c < out + stem + 1 + strlen(party); c++) {
        if (*c == '/' || *c == '\\' || *c == ' ' || *c == ':') {
            *c = '_';
        }
    }
    return out;
}

int pl_scenario_save_genius_xml(const pl_scenario *sc, const char *path, pl_diag *d)
{
    if (strcmp(path, "-") == 0) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "Genius XML is several files; give a file name, not -");
    }
    char *dom;
    char **profs;
    int rc = pl_scenario_to_genius_xml(sc, &dom, &profs, d);
    if (rc < 0) {
        return rc;
    }
    size_t np = pl_scenario_party_count(sc);
    char **paths = pl__calloc(np + 1, sizeof *paths);
    const char **datas = pl__calloc(np + 1, sizeof *datas);
    if (!paths || !datas) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    paths[0] = pl__strdup(path);
    datas[0] = dom;
    for (size_t p = 0; p < np; p++) {
        paths[p + 1] = profile_path(path, pl_scenario_party_name(sc, p));
        datas[p + 1] = profs[p];
        if (!paths[p + 1]) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
    }
    if (!paths[0]) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    rc = pl__write_files_atomic((const char *const *)paths, datas, np + 1, d);
cleanup:
    for (size_t p = 0; paths && p <= np; p++) {
        pl__free(paths[p]);
    }
    pl__free(paths);
    pl__free(datas);
    pl__free(dom);
    for (size_t p = 0; p < np; p++) {
        pl__free(profs[p]);
    }
    pl__free(profs);
    return rc;
}
