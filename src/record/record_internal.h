/* Shared by the record writers and readers (src/record/): outcomes as JSON objects {issue: label}. */
#ifndef PL_RECORD_INTERNAL_H
#define PL_RECORD_INTERNAL_H

#include "core/internal.h"
#include "io/json_writer.h"
#include "parley/record.h"

/* {issue: label} for every issue, or null when o is NULL. */
void pl__jw_outcome(pl_jw *w, const pl_space *sp, const uint32_t *o);
/* Finish w into *out (the caller frees it): PL_ENOMEM / PL_EINVAL (the writer failed; invalid UTF-8). */
int pl__jw_finish_into(pl_jw *w, char **out, pl_diag *d);

#endif
