/* Agent parameters and agent specs: "name:key=value,key=value" parsed against the agent type's declared
 * parameters, with defaults filled in; splitting a comma-separated list of specs. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agents/builtin.h"
#include "agents/spec_internal.h"
#include "core/internal.h"
#include "parley/agent.h"

struct pl_params {
    const pl_param_spec *specs;
    size_t n;
    double *num;  /* parsed numbers (ints too) */
    char **text;  /* every value as text */
    int *given;
};

struct pl_agent_spec {
    const pl_agent_type *type;
    pl_params *params;
    char *text;
    char *voters; /* types that can vote in the spec's registry, when type cannot (pl__agent_spec_voters) */
};

void pl_params_free(pl_params *p)
{
    if (!p) {
        return;
    }
    for (size_t i = 0; p->text && i < p->n; i++) {
        pl__free(p->text[i]);
    }
    pl__free(p->text);
    pl__free(p->num);
    pl__free(p->given);
    pl__free(p);
}

static long find_spec(const pl_params *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->specs[i].name, name) == 0) {
            return (long)i;
        }
    }
    return -1;
}

double pl_params_double(const pl_params *p, const char *name)
{
    long k = p ? find_spec(p, name) : -1;
    return k < 0 || p->specs[k].kind == PL_PARAM_STRING ? NAN : p->num[k];
}

int64_t pl_params_int(const pl_params *p, const char *name)
{
    long k = p ? find_spec(p, name) : -1;
    return k < 0 || p->specs[k].kind == PL_PARAM_STRING ? 0 : (int64_t)p->num[k];
}

const char *pl_params_string(const pl_params *p, const char *name)
{
    long k = p ? find_spec(p, name) : -1;
    return k < 0 ? "" : p->text[k];
}

int pl_params_given(const pl_params *p, const char *name)
{
    long k = p ? find_spec(p, name) : -1;
    return k < 0 ? 0 : p->given[k];
}

/* Length of the next comma-separated piece of s (commas inside parentheses do not split). -1 on unbalanced
 * parentheses. */
static long piece_length(const char *s)
{
    int depth = 0;
    size_t i = 0;
    for (; s[i] && !(s[i] == ',' && depth == 0); i++) {
        if (s[i] == '(') {
            depth++;
        } else if (s[i] == ')' && --depth < 0) {
            return -1;
        }
    }
    return depth == 0 ? (long)i : -1;
}

static int set_value(pl_params *p, size_t k, const char *value, pl_diag *d)
{
    const pl_param_spec *sp = &p->specs[k];
    if (sp->kind != PL_PARAM_STRING) {
        double x;
        int64_t iv;
        if (sp->kind == PL_PARAM_INT) {
            if (pl__parse_int64(value, &iv) < 0) {
                return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "parameter %s: '%s' is not an integer", sp->name,
                                    value);
            }
            x = (double)iv;
        } else if (pl__parse_double(value, &x) < 0) {
            return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "parameter %s: '%s' is not a number", sp->name, value);
        }
        if ((sp->min != 0 || sp->max != 0) && (x < sp->min || x > sp->max)) {
            return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "parameter %s: %s is outside [%g, %g]", sp->name, value,
                                sp->min, sp->max);
        }
        p->num[k] = x;
    }
    char *copy = pl__strdup(value);
    if (!copy) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    pl__free(p->text[k]);
    p->text[k] = copy;
    return 0;
}

static void list_names(const pl_param_spec *specs, size_t n, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len + 1 < size; i++) {
        int w = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", specs[i].name);
        len = w < 0 ? size : len + (size_t)w;
    }
    if (n == 0) {
        snprintf(buf, size, "none");
    }
}

int pl_params_parse(const pl_param_spec *specs, size_t n_specs, const char *text, pl_params **out, pl_diag *d)
{
    int rc = 0;
    char *piece = NULL;
    pl_params *p = pl__calloc(1, sizeof *p);
    if (!p) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    p->specs = specs;
    p->n = n_specs;
    p->num = pl__calloc(n_specs + 1, sizeof *p->num);
    p->text = pl__calloc(n_specs + 1, sizeof *p->text);
    p->given = pl__calloc(n_specs + 1, sizeof *p->given);
    if (!p->num || !p->text || !p->given) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t k = 0; k < n_specs; k++) {
        PL_TRY(set_value(p, k, specs[k].default_value ? specs[k].default_value : "", d));
    }
    const char *s = text ? text : "";
    while (*s) {
        long len = piece_length(s);
        if (len < 0) {
            rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "unbalanced parentheses in '%s'", s);
            goto cleanup;
        }
        pl__free(piece);
        piece = pl__strndup(s, (size_t)len);
        if (!piece) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            goto cleanup;
        }
        s += len + (s[len] == ',');
        char *eq = strchr(piece, '=');
        if (!eq || eq == piece) {
            rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "'%s' is not key=value", piece);
            goto cleanup;
        }
        *eq = '\0';
        long k = find_spec(p, piece);
        if (k < 0) {
            char names[256];
            list_names(specs, n_specs, names, sizeof names);
            rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "unknown parameter '%s' (parameters: %s)", piece, names);
            goto cleanup;
        }
        if (p->given[k]) {
            rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "parameter '%s' given twice", piece);
            goto cleanup;
        }
        PL_TRY(set_value(p, (size_t)k, eq + 1, d));
        p->given[k] = 1;
    }
    *out = p;
    p = NULL;
cleanup:
    pl__free(piece);
    pl_params_free(p);
    return rc;
}

/* ---- Specs ---- */

/* The names of r's types that can vote, "a, b" (at most 159 characters: whole names only). NULL when out of memory.
 * The protocol names them when it refuses an agent that cannot vote; it sees agents only through their specs. */
static char *voters_of(const pl_registry *r)
{
    char voters[160];
    size_t len = 0;
    voters[0] = '\0';
    for (size_t b = 0; b < pl_registry_count(r); b++) {
        const pl_agent_type *t = pl_registry_type(r, b);
        if (t->vote) {
            int w = snprintf(voters + len, sizeof voters - len, "%s%s", len ? ", " : "", t->name);
            if (w < 0 || (size_t)w >= sizeof voters - len) {
                voters[len] = '\0';
                break;
            }
            len += (size_t)w;
        }
    }
    return pl__strdup(voters);
}

/* "unknown agent 'x'", with the nearest registered name as a suggestion. */
static int unknown_agent(const pl_registry *r, const char *name, pl_diag *d)
{
    size_t n = pl_registry_count(r);
    const char **names = pl__malloc((n ? n : 1) * sizeof *names);
    long near = -1;
    if (names) {
        for (size_t k = 0; k < n; k++) {
            names[k] = pl_registry_type(r, k)->name;
        }
        near = pl__nearest_name(name, names, n);
    }
    int rc = near >= 0 ? pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "unknown agent '%s' (did you mean '%s'? parley agents "
                                      "lists them)", name, names[near])
                       : pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "unknown agent '%s' (parley agents lists them)", name);
    pl__free((void *)names);
    return rc;
}

int pl_agent_spec_parse(const pl_registry *r, const char *text, pl_agent_spec **out, pl_diag *d)
{
    int rc = 0;
    pl_agent_spec *sp = pl__calloc(1, sizeof *sp);
    char *name = NULL;
    if (!sp || !(sp->text = pl__strdup(text))) {
        pl__free(sp);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    const char *colon = strchr(text, ':');
    name = colon ? pl__strndup(text, (size_t)(colon - text)) : pl__strdup(text);
    if (!name) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    sp->type = pl_registry_find(r, name);
    if (!sp->type) {
        rc = unknown_agent(r, name, d);
        goto cleanup;
    }
    if (!sp->type->vote && !(sp->voters = voters_of(r))) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    rc = pl_params_parse(sp->type->params, sp->type->n_params, colon ? colon + 1 : "", &sp->params, d);
    if (rc < 0) {
        if (d) {
            char msg[sizeof d->message];
            snprintf(msg, sizeof msg, "%s", d->message);
            pl__diag_set(d, rc, NULL, 0, 0, "agent %s: %.400s", name, msg);
        }
        goto cleanup;
    }
    *out = sp;
    sp = NULL;
cleanup:
    pl__free(name);
    pl_agent_spec_free(sp);
    return rc;
}

void pl_agent_spec_free(pl_agent_spec *s)
{
    if (!s) {
        return;
    }
    pl_params_free(s->params);
    pl__free(s->text);
    pl__free(s->voters);
    pl__free(s);
}

const pl_agent_type *pl_agent_spec_type(const pl_agent_spec *s)
{
    return s->type;
}

const pl_params *pl_agent_spec_params(const pl_agent_spec *s)
{
    return s->params;
}

const char *pl_agent_spec_text(const pl_agent_spec *s)
{
    return s->text;
}

pl_agent_spec *pl__agent_spec_retyped(const pl_agent_spec *s, const pl_agent_type *type)
{
    pl_agent_spec *c = pl__malloc(sizeof *c);
    if (c) {
        *c = *s;
        c->type = type;
    }
    return c;
}

const char *pl__agent_spec_voters(const pl_agent_spec *s)
{
    return s->voters ? s->voters : "";
}

/* 1 when piece looks like "key=value" with no ':' before the '=' (a parameter continuing the previous spec). */
static int is_param_piece(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-')) {
        i++;
    }
    return i > 0 && i < len && s[i] == '=';
}

/* Append a copy of text[0..len) to the list (*v, *cnt). */
static int push_item(char ***v, size_t *cnt, const char *text, size_t len, pl_diag *d)
{
    char **nv = pl__realloc(*v, (*cnt + 1) * sizeof *nv);
    if (nv) {
        *v = nv;
    }
    if (!nv || !(nv[*cnt] = pl__strndup(text, len))) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    (*cnt)++;
    return 0;
}

#define PL_TRY_FAIL(expr)   \
    do {                    \
        if ((rc = (expr)) < 0) { \
            goto fail;      \
        }                   \
    } while (0)

int pl_agent_list_split(const char *text, char ***items, size_t *n, pl_diag *d)
{
    char **v = NULL;
    size_t cnt = 0;
    const char *s = text;
    const char *start = s;
    int rc = 0;
    *items = NULL;
    *n = 0;
    for (;;) {
        long len = piece_length(s);
        if (len < 0) {
            rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "unbalanced parentheses in '%s'", text);
            goto fail;
        }
        const char *next = s + len + (s[len] == ',');
        /* Does the following piece start a new agent? */
        long nlen = s[len] == ',' ? piece_length(next) : -1;
        int boundary = s[len] != ',' || nlen < 0 || !is_param_piece(next, (size_t)nlen);
        if (boundary) {
            size_t plen = (size_t)(s + len - start);
            if (plen == 0) {
                rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "empty agent name in '%s'", text);
                goto fail;
            }
            /* A named group ("anac") stands for its members. */
            const char *const *group = pl__agent_group(start, plen);
            for (size_t g = 0; group && group[g]; g++) {
                PL_TRY_FAIL(push_item(&v, &cnt, group[g], strlen(group[g]), d));
            }
            if (group) {
                start = next;
                if (s[len] != ',') {
                    break;
                }
                s = next;
                continue;
            }
            PL_TRY_FAIL(push_item(&v, &cnt, start, plen, d));
            start = next;
        }
        if (s[len] != ',') {
            break;
        }
        s = next;
    }
    *items = v;
    *n = cnt;
    return 0;
fail:
    for (size_t i = 0; i < cnt; i++) {
        pl__free(v[i]);
    }
    pl__free(v);
    return rc;
}
