/* Internal entry points of the format readers and writers, used by the loader's dispatch. */
#ifndef PL_IO_INTERNAL_H
#define PL_IO_INTERNAL_H

#include "core/internal.h"
#include "io/xml_dom.h"
#include "parley/scenario.h"

/* Genius XML: build a scenario from a parsed domain and n parsed profiles (party i named names[i]). */
int pl__genius_build(const pl__xnode *domain, const char *domain_file, const pl__xnode *const *profiles,
                     const char *const *profile_files, const char *const *names, size_t n,
                     const pl_load_options *opts, pl_scenario **out, pl_diag *d);

/* GeniusWeb JSON: n profile texts (file names for diagnostics, party names may be NULL = from the profile). */
int pl__geniusweb_build(const char *const *texts, const size_t *lens, const char *const *files, size_t n,
                        const pl_load_options *opts, pl_scenario **out, pl_diag *d);
/* 1 if the text looks like a GeniusWeb profile (a JSON object with a known utility-space key). */
int pl__geniusweb_sniff(const char *text, size_t len);

/* Check a party just read (validate.c): reservation and discount in [0, 1], not all weights 0 (errors), weights
 * summing to 1 (a warning through o->warn, an error when o->strict). file/line/path locate it in messages. */
int pl__check_party(const pl_ufun *u, const char *party, const char *file, int line, const char *path,
                    const pl_load_options *o, pl_diag *d);

/* "an object", "an array", "a string", "a number", "a boolean" or "null": a JSON value's type in messages. */
struct json_t;
const char *pl__json_type_name(const struct json_t *v);

/* parley JSON from text. */
int pl__parley_json_build(const char *text, size_t len, const char *file, const pl_load_options *opts,
                          pl_scenario **out, pl_diag *d);

#endif
