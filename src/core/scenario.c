/* Scenarios: a space plus named parties with their utility functions. */
#include <stdlib.h>
#include <string.h>

#include "core/ufun_internal.h"
#include "parley/parley.h"

typedef struct party {
    char *name;
    pl_ufun *ufun;
} party;

struct pl_scenario {
    pl_space *space;
    char *name, *description;
    party *parties;
    size_t n, cap;
    uint32_t *status_quo; /* per issue, PL_NO_VALUE when unset; NULL until one is set */
};

int pl_scenario_new(pl_space *space, pl_scenario **out, pl_diag *d)
{
    if (!out) {
        pl_space_free(space);
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "pl_scenario_new: out is NULL");
    }
    *out = NULL;
    if (!space) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "pl_scenario_new: no space");
    }
    pl_scenario *sc = pl__calloc(1, sizeof *sc);
    if (!sc) {
        pl_space_free(space);
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    sc->space = space;
    *out = sc;
    return 0;
}

void pl_scenario_free(pl_scenario *sc)
{
    if (!sc) {
        return;
    }
    for (size_t p = 0; p < sc->n; p++) {
        pl__free(sc->parties[p].name);
        pl_ufun_free(sc->parties[p].ufun);
    }
    pl__free(sc->parties);
    pl__free(sc->status_quo);
    pl__free(sc->name);
    pl__free(sc->description);
    pl_space_free(sc->space);
    pl__free(sc);
}

int pl_scenario_add_party(pl_scenario *sc, const char *name, pl_ufun *u, pl_diag *d)
{
    int rc = 0;
    char *copy = NULL;
    if (!u || u->space != sc->space) {
        rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "party \"%s\": utility function is over another space",
                          name ? name : "");
        goto fail;
    }
    if (!name || !*name) {
        rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "a party needs a non-empty name");
        goto fail;
    }
    if (pl_scenario_find_party(sc, name) >= 0) {
        rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "party \"%s\" is defined twice", name);
        goto fail;
    }
    if (sc->n == sc->cap) {
        size_t cap = sc->cap ? 2 * sc->cap : 4;
        party *p = pl__realloc(sc->parties, cap * sizeof *p);
        if (!p) {
            rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            goto fail;
        }
        sc->parties = p;
        sc->cap = cap;
    }
    copy = pl__strdup(name);
    if (!copy) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    sc->parties[sc->n].name = copy;
    sc->parties[sc->n].ufun = u;
    sc->n++;
    return 0;
fail:
    pl_ufun_free(u);
    return rc;
}

static int set_string(char **slot, const char *s)
{
    char *copy = pl__strdup(s ? s : "");
    if (!copy) {
        return PL_ENOMEM;
    }
    pl__free(*slot);
    *slot = copy;
    return 0;
}

int pl_scenario_set_name(pl_scenario *sc, const char *name)
{
    return set_string(&sc->name, name);
}

int pl_scenario_set_description(pl_scenario *sc, const char *text)
{
    return set_string(&sc->description, text);
}

const pl_space *pl_scenario_space(const pl_scenario *sc)
{
    return sc->space;
}

const char *pl_scenario_name(const pl_scenario *sc)
{
    return sc->name ? sc->name : "";
}

const char *pl_scenario_description(const pl_scenario *sc)
{
    return sc->description ? sc->description : "";
}

size_t pl_scenario_party_count(const pl_scenario *sc)
{
    return sc->n;
}

const char *pl_scenario_party_name(const pl_scenario *sc, size_t p)
{
    return sc->parties[p].name;
}

const pl_ufun *pl_scenario_ufun(const pl_scenario *sc, size_t p)
{
    return sc->parties[p].ufun;
}

long pl_scenario_find_party(const pl_scenario *sc, const char *name)
{
    for (size_t p = 0; p < sc->n; p++) {
        if (strcmp(sc->parties[p].name, name) == 0) {
            return (long)p;
        }
    }
    return -1;
}

void pl_load_options_init_size(pl_load_options *out, size_t size)
{
    pl_load_options defaults, *o = &defaults;
    memset(o, 0, sizeof *o);
    o->format = PL_FORMAT_AUTO;
    o->real_levels = PL_REAL_LEVELS_DEFAULT;
    o->size = sizeof *o;
    pl__opts_init(out, size, o, sizeof *o);
}

const char *pl_version(void)
{
    return PL_VERSION_STRING;
}

int pl_scenario_set_status_quo(pl_scenario *sc, size_t issue, uint32_t value)
{
    size_t ni = pl_space_issue_count(sc->space);
    if (issue >= ni || (value != PL_NO_VALUE && value >= pl_space_value_count(sc->space, issue))) {
        return PL_EINVAL;
    }
    if (!sc->status_quo) {
        sc->status_quo = pl__malloc(ni * sizeof *sc->status_quo);
        if (!sc->status_quo) {
            return PL_ENOMEM;
        }
        for (size_t i = 0; i < ni; i++) {
            sc->status_quo[i] = PL_NO_VALUE;
        }
    }
    sc->status_quo[issue] = value;
    return 0;
}

uint32_t pl_scenario_status_quo(const pl_scenario *sc, size_t issue)
{
    return sc->status_quo && issue < pl_space_issue_count(sc->space) ? sc->status_quo[issue] : PL_NO_VALUE;
}

int pl_scenario_has_status_quo(const pl_scenario *sc)
{
    for (size_t i = 0; sc->status_quo && i < pl_space_issue_count(sc->space); i++) {
        if (sc->status_quo[i] != PL_NO_VALUE) {
            return 1;
        }
    }
    return 0;
}

int pl_scenario_has_red_lines(const pl_scenario *sc)
{
    for (size_t p = 0; p < sc->n; p++) {
        if (pl_ufun_red_line_count(sc->parties[p].ufun) > 0) {
            return 1;
        }
    }
    return 0;
}
