/* Internal (not installed): a small streaming JSON writer used for every JSON parley emits (scenarios, the record
 * writers of parley/record.h, tournament files); the command line uses the library's writers, not this. Numbers are written
 * in their shortest form that parses back exactly (0.1, not 0.10000000000000001); strings are escaped by jansson.
 * Errors are sticky: after a failed call the others do nothing and pl_jw_finish returns NULL. */
#ifndef PL_IO_JSON_WRITER_H
#define PL_IO_JSON_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/record.h"
#include "parley/alloc.h"

typedef struct pl_jw pl_jw;

/* A writer; indent > 0 pretty-prints with that many spaces per level, 0 writes one line. NULL on allocation
 * failure. The caller owns it and ends it with pl_jw_finish (which frees it). */
pl_jw *pl_jw_new(int indent);
void pl_jw_object(pl_jw *w);
void pl_jw_object_end(pl_jw *w);
void pl_jw_array(pl_jw *w);
void pl_jw_array_end(pl_jw *w);
/* Inside an object: the next member's key. */
void pl_jw_key(pl_jw *w, const char *key);
void pl_jw_string(pl_jw *w, const char *s);
/* Finite numbers as numbers; NaN and infinities as null (JSON has no such numbers). */
void pl_jw_number(pl_jw *w, double x);
void pl_jw_int(pl_jw *w, int64_t x);
void pl_jw_uint(pl_jw *w, uint64_t x);
void pl_jw_bool(pl_jw *w, int b);
void pl_jw_null(pl_jw *w);
/* Frees the writer; returns the text with a trailing newline (the caller's: pl_free), or NULL if anything failed (invalid
 * UTF-8 in a string, allocation failure, unbalanced nesting). */
char *pl_jw_finish(pl_jw *w);
/* The key "red_lines" and u's red lines as parley JSON writes them (values: labels, numbers for numeric issues). */
struct pl_ufun;
void pl_jw_red_lines(pl_jw *w, const struct pl_ufun *u);

/* The key "status_quo" and the scenario's status quo {issue: value} (issues without one left out): discrete values as
 * their labels; numeric ones as numbers (as parley JSON writes them) or, with labels, as their label text. */
struct pl_scenario;
void pl_jw_status_quo(pl_jw *w, const struct pl_scenario *sc, int labels);

/* Open party p's object and write its "name" (the caller writes the rest and closes it). */
void pl_jw_party_open(pl_jw *w, const struct pl_scenario *sc, size_t p);

/* pl_fmt_double is public: parley/record.h. */

#endif
