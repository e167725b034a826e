/* GeniusWeb JSON profiles: one {"LinearAdditiveUtilitySpace": {...}} per party, all embedding the same domain (the
 * first becomes the scenario's space). Value utilities: a table for discrete sets (unlisted values are worth 0), linear
 * interpolation between two anchors for number ranges, clamped to the anchors' utilities outside them. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ufun_internal.h"
#include "io/geniusweb_internal.h"

/* ---- Utility function ---- */

/* what1 "what2" of issue "issue" is x: out of [0, 1]. */
static int utility_in_range(const pl__gw_ctx *c, const char *path, const char *what1, const char *what2,
                            const char *issue, double x)
{
    if (x < 0 || x > 1) {
        char b[40];
        return pl__gw_fail(c, PL_ERANGE, path, "%s\"%s\" of issue \"%s\" is %s; utilities must be in [0, 1]", what1,
                           what2, issue, pl__gw_fmt_num(x, b, sizeof b));
    }
    return 0;
}

static int read_discrete_utils(const pl__gw_ctx *c, pl_ufun *u, const pl_space *s, size_t i, json_t *body,
                               const char *path)
{
    const char *issue = pl_space_issue_name(s, i);
    json_t *vu;
    int rc = pl__gw_member(c, body, path, "valueUtilities", JSON_OBJECT, &vu);
    if (rc < 0) {
        return rc;
    }
    char vpath[PL__GW_PATH_LEN];
    pl__gw_join(vpath, sizeof vpath, path, "valueUtilities");
    uint32_t nv = pl_space_value_count(s, i);
    double *table = pl__calloc(nv, sizeof *table); /* unlisted values are worth 0 */
    /* label -> value index through a hash table (a jansson object): a linear search per label is quadratic. */
    json_t *index = json_object();
    if (!table || !index) {
        rc = pl__gw_fail(c, PL_ENOMEM, NULL, "out of memory");
        goto cleanup;
    }
    for (uint32_t v = 0; v < nv; v++) {
        if (json_object_set_new_nocheck(index, pl_space_value_label_ref(s, i, v), json_integer(v)) < 0) {
            rc = pl__gw_fail(c, PL_ENOMEM, NULL, "out of memory");
            goto cleanup;
        }
    }
    const char *label;
    json_t *x;
    json_object_foreach(vu, label, x)
    {
        char p[PL__GW_PATH_LEN];
        pl__gw_join(p, sizeof p, vpath, label);
        json_t *at = json_object_get(index, label);
        json_int_t v = at ? json_integer_value(at) : -1;
        if (v < 0) {
            rc = pl__gw_fail(c, PL_ENOTFOUND, p, "issue \"%s\" has no value \"%s\" in the domain", issue, label);
            break;
        }
        pl__gw_num n;
        if (pl__gw_get_num(x, &n) < 0) {
            rc = pl__gw_fail(c, PL_EPARSE, p, "the utility of value \"%s\" of issue \"%s\" must be a number, not %s",
                             label, issue, pl__json_type_name(x));
            break;
        }
        if ((rc = utility_in_range(c, p, "the utility of value ", label, issue, n.d)) < 0) {
            break;
        }
        table[v] = n.d;
    }
    if (rc == 0 && pl_ufun_linear_set_table(u, i, table) < 0) {
        rc = pl__gw_fail(c, PL_EINVAL, path, "invalid utilities for issue \"%s\"", issue);
    }
cleanup:
    json_decref(index);
    pl__free(table);
    return rc;
}

static int read_number_utils(const pl__gw_ctx *c, pl_ufun *u, const pl_space *s, size_t i, json_t *body,
                             const char *path)
{
    const char *issue = pl_space_issue_name(s, i);
    pl__gw_num lv, lu, hv, hu;
    int rc;
    if ((rc = pl__gw_num_member(c, body, path, "lowValue", &lv)) < 0 ||
        (rc = pl__gw_num_member(c, body, path, "lowUtility", &lu)) < 0 ||
        (rc = pl__gw_num_member(c, body, path, "highValue", &hv)) < 0 ||
        (rc = pl__gw_num_member(c, body, path, "highUtility", &hu)) < 0) {
        return rc;
    }
    char p[PL__GW_PATH_LEN];
    pl__gw_join(p, sizeof p, path, "lowUtility");
    if ((rc = utility_in_range(c, p, "", "lowUtility", issue, lu.d)) < 0) {
        return rc;
    }
    pl__gw_join(p, sizeof p, path, "highUtility");
    if ((rc = utility_in_range(c, p, "", "highUtility", issue, hu.d)) < 0) {
        return rc;
    }
    if (!(hv.d > lv.d)) {
        pl__gw_join(p, sizeof p, path, "highValue");
        return pl__gw_fail(c, PL_ERANGE, p, "issue \"%s\": \"highValue\" must be above \"lowValue\"", issue);
    }
    uint32_t n = pl_space_value_count(s, i);
    double *table = pl__malloc(n * sizeof *table);
    if (!table) {
        return pl__gw_fail(c, PL_ENOMEM, NULL, "out of memory");
    }
    for (uint32_t v = 0; v < n; v++) {
        double x = pl_space_value_number(s, i, v);
        if (x <= lv.d) {
            table[v] = lu.d;
        } else if (x >= hv.d) {
            table[v] = hu.d;
        } else {
            table[v] = lu.d + (hu.d - lu.d) * ((x - lv.d) / (hv.d - lv.d));
        }
    }
    if (pl_ufun_linear_set_table(u, i, table) < 0) {
        rc = pl__gw_fail(c, PL_EINVAL, path, "invalid utilities for issue \"%s\"", issue);
    }
    pl__free(table);
    return rc;
}

/* issueUtilities.<issue>: {"discreteutils": {...}} or {"numberutils": {...}} (also under their class names). */
static int read_value_set_utils(const pl__gw_ctx *c, pl_ufun *u, const pl_space *s, size_t i, json_t *v,
                                const char *path)
{
    const char *issue = pl_space_issue_name(s, i);
    if (!json_is_object(v) || json_object_size(v) != 1) {
        return pl__gw_fail(c, PL_EPARSE, path,
                           "the utilities of issue \"%s\" must be an object with one key, \"discreteutils\" or "
                           "\"numberutils\"",
                           issue);
    }
    void *it = json_object_iter(v);
    const char *kind = json_object_iter_key(it);
    json_t *body = json_object_iter_value(it);
    char p[PL__GW_PATH_LEN];
    pl__gw_join(p, sizeof p, path, kind);
    int discrete = strcmp(kind, "discreteutils") == 0 || strcmp(kind, "DiscreteValueSetUtilities") == 0;
    int number = strcmp(kind, "numberutils") == 0 || strcmp(kind, "NumberValueSetUtilities") == 0;
    if (!discrete && !number) {
        return pl__gw_fail(c, PL_EUNSUPPORTED, p,
                           "issue \"%s\": value set utilities \"%s\" are not supported (discreteutils, numberutils)",
                           issue, kind);
    }
    if (!json_is_object(body)) {
        return pl__gw_fail(c, PL_EPARSE, p, "\"%s\" of issue \"%s\" must be an object, not %s", kind, issue,
                           pl__json_type_name(body));
    }
    int is_discrete = pl_space_issue_kind(s, i) == PL_ISSUE_DISCRETE;
    if (discrete != is_discrete) {
        return pl__gw_fail(c, PL_EPARSE, p, "issue \"%s\" is %s in the domain but has %s utilities (\"%s\")", issue,
                           pl__gw_kind_name(pl_space_issue_kind(s, i)), discrete ? "discrete" : "number", kind);
    }
    return discrete ? read_discrete_utils(c, u, s, i, body, p) : read_number_utils(c, u, s, i, body, p);
}

static int read_ufun(const pl__gw_ctx *c, json_t *las, const pl_space *s, pl_ufun **out)
{
    *out = NULL;
    json_t *weights, *utils;
    int rc;
    if ((rc = pl__gw_member(c, las, PL__GW_ROOT, "issueWeights", JSON_OBJECT, &weights)) < 0 ||
        (rc = pl__gw_member(c, las, PL__GW_ROOT, "issueUtilities", JSON_OBJECT, &utils)) < 0) {
        return rc;
    }
    pl_ufun *u = NULL;
    if (pl_ufun_linear_new(s, &u, NULL) < 0) {
        return pl__gw_fail(c, PL_ENOMEM, NULL, "out of memory");
    }
    const char *key;
    json_t *v;
    char path[PL__GW_PATH_LEN];
    json_object_foreach(weights, key, v)
    {
        pl__gw_join(path, sizeof path, PL__GW_ROOT ".issueWeights", key);
        long i = pl_space_find_issue(s, key);
        if (i < 0) {
            rc = pl__gw_fail(c, PL_ENOTFOUND, path, "\"issueWeights\" names issue \"%s\", which is not in the domain",
                             key);
            goto cleanup;
        }
        pl__gw_num w;
        if (pl__gw_get_num(v, &w) < 0) {
            rc = pl__gw_fail(c, PL_EPARSE, path, "the weight of issue \"%s\" must be a number, not %s", key,
                             pl__json_type_name(v));
            goto cleanup;
        }
        if (w.d < 0) {
            char b[40];
            rc = pl__gw_fail(c, PL_ERANGE, path, "the weight of issue \"%s\" is negative (%s)", key,
                             pl__gw_fmt_num(w.d, b, sizeof b));
            goto cleanup;
        }
        pl_ufun_linear_set_weight(u, (size_t)i, w.d);
    }
    json_object_foreach(utils, key, v)
    {
        pl__gw_join(path, sizeof path, PL__GW_ROOT ".issueUtilities", key);
        long i = pl_space_find_issue(s, key);
        if (i < 0) {
            rc = pl__gw_fail(c, PL_ENOTFOUND, path, "\"issueUtilities\" names issue \"%s\", which is not in the domain",
                             key);
            goto cleanup;
        }
        PL_TRY(read_value_set_utils(c, u, s, (size_t)i, v, path));
    }
    for (size_t i = 0; i < pl_space_issue_count(s); i++) {
        const char *name = pl_space_issue_name(s, i);
        if (!json_object_get(weights, name)) {
            pl__gw_join(path, sizeof path, PL__GW_ROOT ".issueWeights", name);
            rc = pl__gw_fail(c, PL_EPARSE, path, "\"issueWeights\" gives no weight for issue \"%s\"", name);
            goto cleanup;
        }
        if (!json_object_get(utils, name)) {
            pl__gw_join(path, sizeof path, PL__GW_ROOT ".issueUtilities", name);
            rc = pl__gw_fail(c, PL_EPARSE, path, "\"issueUtilities\" gives no utilities for issue \"%s\"", name);
            goto cleanup;
        }
    }
cleanup:
    return pl__ufun_done(rc, u, out);
}

/* The utility of "reservationBid" (0 when absent or null). Issues the bid leaves out contribute 0, as in GeniusWeb. */
static int read_reservation(const pl__gw_ctx *c, json_t *las, const pl_ufun *u, double *out)
{
    *out = 0;
    json_t *rb = json_object_get(las, "reservationBid");
    if (!rb || json_is_null(rb)) {
        return 0;
    }
    if (!json_is_object(rb)) {
        return pl__gw_fail(c, PL_EPARSE, PL__GW_ROOT ".reservationBid",
                           "\"reservationBid\" must be an object or null, not %s", pl__json_type_name(rb));
    }
    json_t *iv;
    int rc = pl__gw_member(c, rb, PL__GW_ROOT ".reservationBid", "issuevalues", JSON_OBJECT, &iv);
    if (rc < 0) {
        return rc;
    }
    const pl_space *s = pl_ufun_space(u);
    size_t n = pl_space_issue_count(s);
    uint32_t *o = pl__calloc(n, sizeof *o);
    char *seen = pl__calloc(n, 1);
    if (!o || !seen) {
        rc = pl__gw_fail(c, PL_ENOMEM, NULL, "out of memory");
        goto cleanup;
    }
    const char *key;
    json_t *v;
    json_object_foreach(iv, key, v)
    {
        char path[PL__GW_PATH_LEN];
        pl__gw_join(path, sizeof path, PL__GW_ROOT ".reservationBid.issuevalues", key);
        long i = pl_space_find_issue(s, key);
        if (i < 0) {
            rc = pl__gw_fail(c, PL_ENOTFOUND, path,
                             "the reservation bid names issue \"%s\", which is not in the domain", key);
            goto cleanup;
        }
        char buf[64];
        const char *label = NULL;
        if (json_is_string(v)) {
            label = json_string_value(v);
        } else if (pl_space_issue_kind(s, (size_t)i) != PL_ISSUE_DISCRETE && json_is_integer(v)) {
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
            label = buf;
        } else if (pl_space_issue_kind(s, (size_t)i) != PL_ISSUE_DISCRETE && json_is_real(v)) {
            label = pl__gw_fmt_num(json_real_value(v), buf, sizeof buf);
        } else {
            rc = pl__gw_fail(c, PL_EPARSE, path, "the reservation bid's value for issue \"%s\" must be %s, not %s", key,
                             pl_space_issue_kind(s, (size_t)i) == PL_ISSUE_DISCRETE ? "a string" : "a number",
                             pl__json_type_name(v));
            goto cleanup;
        }
        long x = pl_space_find_value(s, (size_t)i, label);
        if (x < 0) {
            rc = pl__gw_fail(c, PL_ENOTFOUND, path, "the reservation bid's value \"%s\" is not a value of issue \"%s\"",
                             label, key);
            goto cleanup;
        }
        o[i] = (uint32_t)x;
        seen[i] = 1;
    }
    size_t have = 0;
    double partial = 0;
    for (size_t i = 0; i < n; i++) {
        if (seen[i]) {
            have++;
            partial += pl_ufun_linear_weight(u, i) * pl_ufun_linear_value(u, i, o[i]);
        }
    }
    *out = have == n ? pl_ufun_eval(u, o) : partial;
cleanup:
    pl__free(o);
    pl__free(seen);
    return rc;
}

/* ---- Profiles ---- */

/* The LinearAdditiveUtilitySpace object of a parsed profile document. */
static int profile_body(const pl__gw_ctx *c, json_t *root, json_t **las)
{
    if (!json_is_object(root)) {
        return pl__gw_fail(c, PL_EPARSE, NULL, "a GeniusWeb profile is a JSON object, not %s", pl__json_type_name(root));
    }
    json_t *v = json_object_get(root, PL__GW_ROOT);
    if (v) {
        if (json_object_size(root) != 1) {
            const char *key;
            json_t *x;
            json_object_foreach(root, key, x)
            {
                if (strcmp(key, PL__GW_ROOT) != 0) {
                    return pl__gw_fail(c, PL_EPARSE, key, "unexpected top-level key \"%s\" beside \"" PL__GW_ROOT "\"",
                                       key);
                }
            }
        }
        if (!json_is_object(v)) {
            return pl__gw_fail(c, PL_EPARSE, PL__GW_ROOT, "\"" PL__GW_ROOT "\" must be an object, not %s",
                               pl__json_type_name(v));
        }
        *las = v;
        return 0;
    }
    if (json_object_get(root, "issuesValues")) {
        return pl__gw_fail(
            c, PL_EPARSE, NULL,
            "this is a GeniusWeb domain, not a profile; give the profiles only (each embeds its domain)");
    }
    if (json_object_size(root) == 1) {
        void *it = json_object_iter(root);
        json_t *x = json_object_iter_value(it);
        if (json_is_object(x) && json_object_get(x, "domain")) {
            const char *key = json_object_iter_key(it);
            return pl__gw_fail(c, PL_EUNSUPPORTED, key,
                               "GeniusWeb profile type \"%s\" is not supported (only \"" PL__GW_ROOT "\")", key);
        }
    }
    return pl__gw_fail(c, PL_EPARSE, NULL, "not a GeniusWeb profile: expected one top-level key, \"" PL__GW_ROOT "\"");
}

/* Parse one profile text; syntax errors carry jansson's line and column. */
static int parse_text(const pl__gw_ctx *c, const char *text, size_t len, json_t **out)
{
    *out = NULL;
    if (!text) {
        return pl__gw_fail(c, PL_EINVAL, NULL, "no profile text");
    }
    int bom = len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
              (unsigned char)text[2] == 0xBF;
    if (bom) {
        text += 3;
        len -= 3;
    }
    json_error_t e;
    json_t *root = pl__json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
    if (!root && pl__json_oom(&e)) {
        return pl__diag_set(c->d, PL_ENOMEM, c->file, 0, 0, "out of memory");
    }
    if (!root) {
        int col = e.column > 0 ? e.column + (bom && e.line == 1) : 0;
        pl__diag_set(c->d, PL_EPARSE, c->file, e.line > 0 ? e.line : 0, col, "JSON syntax error: %s", e.text);
        pl__diag_path(c->d, "%s", "");
        return PL_EPARSE;
    }
    *out = root;
    return 0;
}

/* The party name: the profile's "name", else the file's base name without extension; made unique in sc. */
static int party_name(const pl__gw_ctx *c, json_t *las, const pl_scenario *sc, char **out)
{
    *out = NULL;
    json_t *nm = json_object_get(las, "name");
    if (nm && !json_is_null(nm) && !json_is_string(nm)) {
        return pl__gw_fail(c, PL_EPARSE, PL__GW_ROOT ".name", "the profile's \"name\" must be a string, not %s",
                           pl__json_type_name(nm));
    }
    char *base;
    if (nm && json_is_string(nm) && json_string_length(nm) > 0) {
        base = pl__strdup(json_string_value(nm));
    } else {
        const char *b = strrchr(c->file, '/');
        b = b ? b + 1 : c->file;
        const char *dot = strrchr(b, '.');
        base = pl__strndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
    }
    if (!base) {
        return pl__gw_fail(c, PL_ENOMEM, NULL, "out of memory");
    }
    if (pl_scenario_find_party(sc, base) < 0) {
        *out = base;
        return 0;
    }
    size_t len = strlen(base) + 24;
    char *alt = pl__malloc(len);
    if (!alt) {
        pl__free(base);
        return pl__gw_fail(c, PL_ENOMEM, NULL, "out of memory");
    }
    for (size_t k = 2;; k++) {
        snprintf(alt, len, "%s-%zu", base, k);
        if (pl_scenario_find_party(sc, alt) < 0) {
            break;
        }
    }
    pl__free(base);
    *out = alt;
    return 0;
}

int pl__geniusweb_build(const char *const *texts, const size_t *lens, const char *const *files, size_t n,
                        const pl_load_options *opts, pl_scenario **out, pl_diag *d)
{
    (void)opts;
    *out = NULL;
    pl__gw_ctx c = {NULL, d};
    if (n == 0 || !texts || !lens) {
        return pl__gw_fail(&c, PL_EINVAL, NULL, "no GeniusWeb profiles given");
    }
    char fallback[32], first_file[PL_DIAG_FILE_MAX];
    first_file[0] = '\0';
    pl_scenario *sc = NULL;
    json_t *root = NULL;
    pl_space *tmp = NULL;
    pl_ufun *u = NULL;
    char *name = NULL;
    int rc = 0;
    for (size_t p = 0; p < n; p++) {
        snprintf(fallback, sizeof fallback, "profile%zu", p + 1);
        c.file = files && files[p] ? files[p] : fallback;
        if (p == 0) {
            snprintf(first_file, sizeof first_file, "%s", c.file);
        }
        PL_TRY(parse_text(&c, texts[p], lens[p], &root));
        json_t *las = NULL;
        PL_TRY(profile_body(&c, root, &las));
        const char *dom_name;
        PL_TRY(pl__gw_read_domain(&c, las, &tmp, &dom_name));
        if (p == 0) {
            rc = pl_scenario_new(tmp, &sc, NULL); /* takes the space, also on failure */
            tmp = NULL;
            if (rc < 0) {
                rc = pl__gw_fail(&c, PL_ENOMEM, NULL, "out of memory");
                goto cleanup;
            }
            if (dom_name && *dom_name && pl_scenario_set_name(sc, dom_name) < 0) {
                rc = pl__gw_fail(&c, PL_ENOMEM, NULL, "out of memory");
                goto cleanup;
            }
        } else {
            if (!pl_space_equal(pl_scenario_space(sc), tmp)) {
                rc = pl__gw_domain_diff(&c, pl_scenario_space(sc), tmp, first_file);
                goto cleanup;
            }
            pl_space_free(tmp);
            tmp = NULL;
        }
        PL_TRY(read_ufun(&c, las, pl_scenario_space(sc), &u));
        double r;
        PL_TRY(read_reservation(&c, las, u, &r));
        if (pl_ufun_set_reservation(u, r) < 0 || pl_ufun_set_discount(u, 1) < 0) {
            rc = pl__gw_fail(&c, PL_EINVAL, PL__GW_ROOT ".reservationBid", "invalid reservation value");
            goto cleanup;
        }
        PL_TRY(party_name(&c, las, sc, &name));
        PL_TRY(pl__check_party(u, name, c.file, 0, NULL, opts, d));
        pl_diag sub;
        pl_diag_clear(&sub);
        rc = pl_scenario_add_party(sc, name, u, &sub); /* takes u */
        u = NULL;
        if (rc < 0) {
            rc = pl__gw_fail(&c, rc, PL__GW_ROOT ".name", "%s", sub.message);
            goto cleanup;
        }
        pl__free(name);
        name = NULL;
        json_decref(root);
        root = NULL;
    }
    if (n < 2) {
        rc = pl__gw_fail(&c, PL_EINVAL, NULL,
                         "a GeniusWeb scenario needs at least 2 profiles (one per party); found %zu", n);
        goto cleanup;
    }
cleanup:
    json_decref(root);
    pl_space_free(tmp);
    pl_ufun_free(u);
    pl__free(name);
    if (rc < 0) {
        pl_scenario_free(sc);
        return rc;
    }
    *out = sc;
    return 0;
}

/* ---- Sniffing ---- */

static size_t skip_ws(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) {
        i++;
    }
    return i;
}

/* A cheap structural scan, no allocation: '{' "LinearAdditiveUtilitySpace" ':' {balanced object} '}' and nothing
 * else. The contents are not validated here; the reader reports their errors. */
int pl__geniusweb_sniff(const char *text, size_t len)
{
    if (!text) {
        return 0;
    }
    size_t i = 0;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF) {
        i = 3;
    }
    i = skip_ws(text, len, i);
    if (i >= len || text[i] != '{') {
        return 0;
    }
    i = skip_ws(text, len, i + 1);
    static const char key[] = "\"" PL__GW_ROOT "\"";
    size_t k = sizeof key - 1;
    if (len - i < k || memcmp(text + i, key, k) != 0) {
        return 0;
    }
    i = skip_ws(text, len, i + k);
    if (i >= len || text[i] != ':') {
        return 0;
    }
    i = skip_ws(text, len, i + 1);
    if (i >= len || text[i] != '{') {
        return 0;
    }
    size_t depth = 0;
    int closed = 0;
    for (; i < len && !closed; i++) {
        char ch = text[i];
        if (ch == '"') {
            for (i++; i < len && text[i] != '"'; i++) {
                if (text[i] == '\\') {
                    i++;
                }
            }
            if (i >= len) {
                return 0;
            }
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            if (--depth == 0) {
                closed = 1;
            }
        }
    }
    if (!closed) {
        return 0;
    }
    i = skip_ws(text, len, i);
    if (i >= len || text[i] != '}') {
        return 0;
    }
    i = skip_ws(text, len, i + 1);
    return i == len || (i + 1 == len && text[i] == '\0');
}
