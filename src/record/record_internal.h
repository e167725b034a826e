/* Shared by the record writers and readers (src/record/): outcomes as JSON objects {issue: label}. */
#ifndef PL_RECORD_INTERNAL_H
#define PL_RECORD_INTERNAL_H

#include "core/internal.h"
#include "io/json_writer.h"
#include "parley/record.h"

/* A value's label, whole: discrete labels as stored (any length), numbers formatted into buf (>= 40 bytes). */
static inline const char *pl__label(const pl_space *s, size_t i, uint32_t v, char *buf, size_t size)
{
    return pl_space_issue_kind(s, i) == PL_ISSUE_DISCRETE ? pl_space_value_label_ref(s, i, v)
                                                          : pl_space_value_label(s, i, v, buf, size);
}

/* {issue: label} for every issue, or null when o is NULL. */
void pl__jw_outcome(pl_jw *w, const pl_space *sp, const uint32_t *o);
/* A pretty-printed writer with the top-level object open and its "scenario" key written (PL_ENOMEM). */
int pl__jw_open_scenario(const pl_scenario *sc, pl_jw **out, pl_diag *d);
/* Finish w into *out (the caller frees it): PL_ENOMEM / PL_EINVAL (the writer failed; invalid UTF-8). */
int pl__jw_finish_into(pl_jw *w, char **out, pl_diag *d);

#endif
