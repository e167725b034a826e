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

/* A scenario over space into *out, which the caller owns (pl_scenario_free); *out is NULL on failure. Takes
 * ownership of space, also on failure (the space is then freed). Errors: PL_EINVAL (space or out NULL), PL_ENOMEM. */
PL_API int pl_scenario_new(pl_space *space, pl_scenario **out, pl_diag *d);
PL_API void pl_scenario_free(pl_scenario *sc); /* NULL-safe */

/* Add a party; takes ownership of u (also on failure). u must have been built over the scenario's space. Party names
 * are unique and non-empty (PL_EINVAL). */
PL_API int pl_scenario_add_party(pl_scenario *sc, const char *name, pl_ufun *u, pl_diag *d);
PL_API int pl_scenario_set_name(pl_scenario *sc, const char *name);
PL_API int pl_scenario_set_description(pl_scenario *sc, const char *text);

PL_API const pl_space *pl_scenario_space(const pl_scenario *sc);
PL_API const char *pl_scenario_name(const pl_scenario *sc);        /* "" when unnamed */
PL_API const char *pl_scenario_description(const pl_scenario *sc); /* "" when none */
PL_API size_t pl_scenario_party_count(const pl_scenario *sc);
PL_API const char *pl_scenario_party_name(const pl_scenario *sc, size_t party);
PL_API const pl_ufun *pl_scenario_ufun(const pl_scenario *sc, size_t party);
/* Index of the party named name, or -1. */
PL_API long pl_scenario_find_party(const pl_scenario *sc, const char *name);

/* The status quo: what holds on an issue if nothing is agreed (a value index), or PL_NO_VALUE when the scenario does
 * not say. Setting PL_NO_VALUE clears it. PL_EINVAL for a bad issue or value. */
#define PL_NO_VALUE UINT32_MAX
PL_API int pl_scenario_set_status_quo(pl_scenario *sc, size_t issue, uint32_t value);
PL_API uint32_t pl_scenario_status_quo(const pl_scenario *sc, size_t issue);
/* 1 when at least one issue has a status quo. */
PL_API int pl_scenario_has_status_quo(const pl_scenario *sc);
/* 1 when some party has red lines. */
PL_API int pl_scenario_has_red_lines(const pl_scenario *sc);

/* ---- Loading ---- */

typedef enum pl_format {
    PL_FORMAT_AUTO = 0,
    PL_FORMAT_GENIUS_XML = 1,    /* a domain (negotiation_template) plus one utility_space file per party */
    PL_FORMAT_GENIUSWEB_JSON = 2, /* one LinearAdditiveUtilitySpace profile per party, domain embedded */
    PL_FORMAT_PARLEY_JSON = 3    /* one self-contained file */
} pl_format;

/* Input files larger than this are refused (PL_ETOOBIG) before they are read. */
#define PL_INPUT_FILE_MAX ((uint64_t)256 << 20)

typedef struct pl_load_options {
    size_t size; /* sizeof the struct as the caller was compiled: set by pl_load_options_init (docs/api.md) */
    pl_format format;    /* PL_FORMAT_AUTO: decided from the files' contents */
    uint32_t real_levels; /* levels for real issues whose file does not say; default PL_REAL_LEVELS_DEFAULT */
    /* What GENIUS accepts but is probably a mistake (weights that do not sum to 1) is a warning: passed to warn
     * (if set) with the file and what is wrong, or, with strict, an error (PL_EINVAL). Default: neither. */
    int strict;
    void (*warn)(void *ud, const pl_diag *w);
    void *warn_ud;
} pl_load_options;

/* Defaults, and o->size = sizeof *o. The macro passes the caller's sizeof, so the library writes only the fields the
 * caller was compiled with. */
PL_API void pl_load_options_init_size(pl_load_options *o, size_t size);
#define pl_load_options_init(o) pl_load_options_init_size((o), sizeof *(o))

/* Load a scenario from n paths: one folder (Genius XML: the domain and profiles are found by their root elements;
 * pareto.xml and other files are ignored), one parley JSON file, explicit Genius XML files (a domain and its
 * profiles, any order), or GeniusWeb JSON profiles. opts may be NULL. On success *out belongs to the caller.
 * Errors: PL_EIO, PL_EPARSE (detail with file, line, column), PL_EINVAL, PL_ERANGE, PL_EUNSUPPORTED, PL_ENOMEM. */
PL_API int pl_scenario_load(const char *const *paths, size_t n, const pl_load_options *opts, pl_scenario **out,
                            pl_diag *d);
/* The same, from memory buffers (name is used in diagnostics). For fuzzing and embedding. */
PL_API int pl_scenario_load_parley_json_mem(const char *data, size_t len, const char *name, const pl_load_options *opts,
                                            pl_scenario **out, pl_diag *d);
PL_API int pl_scenario_load_genius_xml_mem(const char *domain, size_t domain_len, const char *const *profiles,
                                           const size_t *profile_lens, size_t n_profiles, const pl_load_options *opts,
                                           pl_scenario **out, pl_diag *d);
PL_API int pl_scenario_load_geniusweb_json_mem(const char *const *profiles, const size_t *lens, size_t n,
                                               const pl_load_options *opts, pl_scenario **out, pl_diag *d);

/* ---- Saving (atomically: written to a temporary file beside the target, then renamed) ---- */

/* parley JSON. path "-" writes to standard output. */
PL_API int pl_scenario_save_parley_json(const pl_scenario *sc, const char *path, pl_diag *d);
/* parley JSON into a NUL-terminated string (*out, the caller's: free with pl_free). */
PL_API int pl_scenario_to_parley_json(const pl_scenario *sc, char **out, pl_diag *d);
/* Genius XML: the domain to path, and one profile per party to "<path without .xml>-<party>.xml". Linear additive
 * parties only (PL_EUNSUPPORTED otherwise). Every file is written to a temporary name first; all are renamed only
 * when all were written. */
PL_API int pl_scenario_save_genius_xml(const pl_scenario *sc, const char *path, pl_diag *d);
/* Genius XML into strings: domain and n = party count profiles (the caller's: pl_free each and the array). */
PL_API int pl_scenario_to_genius_xml(const pl_scenario *sc, char **domain, char ***profiles, pl_diag *d);

#endif
