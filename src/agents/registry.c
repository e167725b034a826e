/* The agent registry: the built-in agents plus plug-ins loaded from shared libraries (dlopen; the library's
 * pl_plugin_register adds its types). */
#include <ctype.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "agents/builtin.h"
#include "core/internal.h"

struct pl_registry {
    const pl_agent_type **types;
    size_t n, cap;
    void **libs;
    size_t n_libs;
};

int pl_registry_new(pl_registry **out, pl_diag *d)
{
    if (!out) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "pl_registry_new: out is NULL");
    }
    *out = NULL;
    pl_registry *r = pl__calloc(1, sizeof *r);
    if (!r) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < pl__builtin_agent_count; k++) {
        int rc = pl_registry_add(r, pl__builtin_agents[k], d);
        if (rc < 0) {
            pl_registry_free(r);
            return rc;
        }
    }
    *out = r;
    return 0;
}

void pl_registry_free(pl_registry *r)
{
    if (!r) {
        return;
    }
    for (size_t k = 0; k < r->n_libs; k++) {
        dlclose(r->libs[k]);
    }
    pl__free(r->libs);
    pl__free(r->types);
    pl__free(r);
}

static int valid_name(const char *s)
{
    if (!s || !*s) {
        return 0;
    }
    for (; *s; s++) {
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' || *s == '_')) {
            return 0;
        }
    }
    return 1;
}

int pl_registry_add(pl_registry *r, const pl_agent_type *t, pl_diag *d)
{
    if (!t || t->api_version != PL_AGENT_API_VERSION) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "agent type built for interface version %d, parley has %d",
                            t ? t->api_version : -1, PL_AGENT_API_VERSION);
    }
    if (!valid_name(t->name)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0,
                            "agent name '%s' must be lowercase letters, digits, '-' and '_'", t->name ? t->name : "");
    }
    /* An agent plays SAOP (respond and propose), votes under single-text (vote), or both. */
    if (!t->start || !t->free || !((t->respond && t->propose) || t->vote) || !t->respond != !t->propose) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0,
                            "agent %s: start, free, and respond and propose or vote (or all) are required", t->name);
    }
    if (pl_registry_find(r, t->name)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "an agent named '%s' is already registered", t->name);
    }
    /* Every default must parse: a broken plug-in is refused here, not in the middle of a tournament. */
    pl_params *defaults = NULL;
    int prc = pl_params_parse(t->params, t->n_params, "", &defaults, d);
    if (prc < 0) {
        return prc == PL_ENOMEM ? PL_ENOMEM : PL_EINVAL;
    }
    pl_params_free(defaults);
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 32;
        const pl_agent_type **nt = pl__realloc(r->types, cap * sizeof *nt);
        if (!nt) {
            return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        }
        r->types = nt;
        r->cap = cap;
    }
    r->types[r->n++] = t;
    return 0;
}

int pl_registry_load_plugin(pl_registry *r, const char *path, pl_diag *d)
{
    /* dlopen searches the library path for names without a slash; a file given by the user is meant as a path. */
    char *p = strchr(path, '/') ? pl__strdup(path) : NULL;
    if (!p && !strchr(path, '/')) {
        size_t len = strlen(path);
        p = pl__malloc(len + 3);
        if (p) {
            memcpy(p, "./", 2);
            memcpy(p + 2, path, len + 1);
        }
    }
    if (!p) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    void *lib = dlopen(p, RTLD_NOW | RTLD_LOCAL);
    pl__free(p);
    if (!lib) {
        const char *why = dlerror();
        return pl__diag_set(d, PL_EIO, path, 0, 0, "cannot load the agent library: %s", why ? why : "unknown");
    }
    int (*reg)(pl_registry *);
    *(void **)(&reg) = dlsym(lib, "pl_plugin_register");
    if (!reg) {
        dlclose(lib);
        return pl__diag_set(d, PL_EINVAL, path, 0, 0, "not a parley agent library: no pl_plugin_register");
    }
    void **nl = pl__realloc(r->libs, (r->n_libs + 1) * sizeof *nl);
    if (!nl) {
        dlclose(lib);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    r->libs = nl;
    size_t before = r->n;
    int rc = reg(r);
    if (rc < 0) {
        r->n = before; /* forget the library's types before unloading it */
        dlclose(lib);
        return pl__diag_set(d, rc, path, 0, 0, "the agent library's pl_plugin_register failed (%s)",
                            pl_strerror(rc));
    }
    r->libs[r->n_libs++] = lib;
    return 0;
}

size_t pl_registry_count(const pl_registry *r)
{
    return r->n;
}

const pl_agent_type *pl_registry_type(const pl_registry *r, size_t k)
{
    return k < r->n ? r->types[k] : NULL;
}

const pl_agent_type *pl_registry_find(const pl_registry *r, const char *name)
{
    for (size_t k = 0; k < r->n; k++) {
        if (strcmp(r->types[k]->name, name) == 0) {
            return r->types[k];
        }
    }
    return NULL;
}

int pl_agent_spec_builtin(const pl_agent_spec *s)
{
    const pl_agent_type *t = pl_agent_spec_type(s);
    for (size_t k = 0; k < pl__builtin_agent_count; k++) {
        if (pl__builtin_agents[k] == t) {
            return 1;
        }
    }
    return 0;
}
