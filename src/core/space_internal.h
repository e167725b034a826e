/* The space's representation, shared with the utility-function and I/O modules. */
#ifndef PL_SPACE_INTERNAL_H
#define PL_SPACE_INTERNAL_H

#include "core/internal.h"
#include "parley/space.h"

typedef struct pl__issue {
    char *name;
    pl_issue_kind kind;
    uint32_t n;      /* value count */
    char **labels;   /* discrete */
    uint32_t *index; /* discrete: open-addressing hash of the labels (value + 1; 0 = empty), index_mask + 1 slots */
    uint32_t index_mask;
    int64_t ilo, ihi, istep; /* integer */
    double rlo, rhi; /* real */
} pl__issue;

struct pl_space {
    size_t n, cap;
    pl__issue *issues;
    uint64_t *stride;
    uint64_t count;
    int enumerable;
    double log10;
};

#endif
