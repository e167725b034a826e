/* Option structs that can grow: each starts with `size_t size`, so the library knows which fields a caller compiled
 * against an older header has (docs/api.md). The copy of "what fits over the defaults" lives here, once. */
#include <string.h>

#include "core/internal.h"

void pl__opts_init(void *o, size_t size, const void *defaults, size_t full)
{
    if (!o || size < sizeof(size_t)) {
        return;
    }
    size_t n = size < full ? size : full;
    memcpy(o, defaults, n);
    memcpy(o, &n, sizeof n);
}

int pl__opts_read(void *o, size_t full, const void *in, size_t min, const char *name, pl_diag *d)
{
    if (!in) {
        return 0;
    }
    size_t size;
    memcpy(&size, in, sizeof size);
    if (size < min) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0,
                            "%s: size %zu is smaller than its first version (%zu bytes): initialise it with %s_init",
                            name, size, min, name);
    }
    memcpy(o, in, size < full ? size : full);
    memcpy(o, &full, sizeof full);
    return 0;
}
