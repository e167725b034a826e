/* Scenarios: an outcome space plus named parties, each with its own utility function; loading and saving them in
 * Genius XML, GeniusWeb JSON and parley JSON. A scenario is immutable once loaded and may be shared between threads. */
#ifndef PARLEY_SCENARIO_H
#define PARLEY_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "parley/alloc.h"
#include "parley/error.h"
#include "parley/space.h"
#include "parley/ufun.h"

typedef struct pl_scenario pl_scenario;

/* A scenario over space; takes ownership of space (also on failure). NULL on allocation failure. */
pl_scenario *pl_scenario_new(pl_space *space);
void pl_scenario_free(pl_scenario *sc); /* NULL-safe */

/* Add a party; takes ownership of u (also on failure). u must have been built over the scenario's space. Party names
 * are unique and non-empty (PL_EINVAL). */
int pl_scenario_add_party(pl_scenario *sc, const char *name, pl_ufun *u, pl_diag *d);
int pl_scenario_set_name(pl_scenario *sc, const char *name);
int pl_scenario_set_description(pl_scenario *sc, const char *text);

const pl_space *pl_scenario_space(const pl_scenario *sc);
const char *pl_scenario_name(const pl_scenario *sc);        /* "" when unnamed */
const char *pl_scenario_description(const pl_scenario *sc); /* "" when none */
size_t pl_scenario_party_count(const pl_scenario *sc);
const char *pl_scenario_party_name(const pl_scenario *sc, size_t party);
const pl_ufun *pl_scenario_ufun(const pl_scenario *sc, size_t party);
/* Index of the party named name, or -1. */
long pl_scenario_find_party(const pl_scenario *sc, const char *name);

/* The status quo: what holds on an issue if nothing is agreed (a value index), or PL_NO_VALUE when the scenario does
 * not say. Setting PL_NO_VALUE clears it. PL_EINVAL for a bad issue or value. */
#define PL_NO_VALUE UINT32_MAX
int pl_scenario_set_status_quo(pl_scenario *sc, size_t issue, uint32_t value);
uint32_t pl_scenario_status_quo(const pl_scenario *sc, size_t issue);
/* 1 when at least one issue has a status quo. */
int pl_scenario_has_status_quo(const pl_scenario *sc);
/* 1 when some party has red lines. */
int pl_scenario_has_red_lines(const pl_scenario *sc);

/* ---- Loading ---- */

typedef enum pl_format {
    PL_FORMAT_AUTO = 0,
    PL_FORMAT_GENIUS_XML = 1,    /* a domain (negotiation_template) plus one utility_space file per party */
    PL_FORMAT_GENIUSWEB_JSON = 2, /* one LinearAdditiveUtilitySpace profile per party, domain embedded */
    PL_FORMAT_PARLEY_JSON = 3    /* one self-contained file */
} pl_format;

typedef struct pl_load_options {
    pl_format format;    /* PL_FORMAT_AUTO: decided from the files' contents */
    uint32_t real_levels; /* levels for real issues whose file does not say; default PL_REAL_LEVELS_DEFAULT */
} pl_load_options;

void pl_load_options_init(pl_load_options *o);

/* Load a scenario from n paths: one folder (Genius XML: the domain and profiles are found by their root elements;
 * pareto.xml and other files are ignored), one parley JSON file, explicit Genius XML files (a domain and its
 * profiles, any order), or GeniusWeb JSON profiles. opts may be NULL. On success *out belongs to the caller.
 * Errors: PL_EIO, PL_EPARSE (detail with file, line, column), PL_EINVAL, PL_ERANGE, PL_EUNSUPPORTED, PL_ENOMEM. */
int pl_scenario_load(const char *const *paths, size_t n, const pl_load_options *opts, pl_scenario **out,
                     pl_diag *d);
/* The same, from memory buffers (name is used in diagnostics). For fuzzing and embedding. */
int pl_scenario_load_parley_json_mem(const char *data, size_t len, const char *name, const pl_load_options *opts,
                                     pl_scenario **out, pl_diag *d);
int pl_scenario_load_genius_xml_mem(const char *domain, size_t domain_len, const char *const *profiles,
                                    const size_t *profile_lens, size_t n_profiles, const pl_load_options *opts,
                                    pl_scenario **out, pl_diag *d);
int pl_scenario_load_geniusweb_json_mem(const char *const *profiles, const size_t *lens, size_t n,
                                        const pl_load_options *opts, pl_scenario **out, pl_diag *d);

/* ---- Saving (atomically: written to a temporary file beside the target, then renamed) ---- */

/* parley JSON. path "-" writes to standard output. */
int pl_scenario_save_parley_json(const pl_scenario *sc, const char *path, pl_diag *d);
/* parley JSON into a NUL-terminated string (*out, the caller's: free with pl_free). */
int pl_scenario_to_parley_json(const pl_scenario *sc, char **out, pl_diag *d);
/* Genius XML: the domain to path, and one profile per party to "<path without .xml>-<party>.xml". Linear additive
 * parties only (PL_EUNSUPPORTED otherwise). Every file is written to a temporary name first; all are renamed only
 * when all were written. */
int pl_scenario_save_genius_xml(const pl_scenario *sc, const char *path, pl_diag *d);
/* Genius XML into strings: domain and n = party count profiles (the caller's: pl_free each and the array). */
int pl_scenario_to_genius_xml(const pl_scenario *sc, char **domain, char ***profiles, pl_diag *d);

#endif
