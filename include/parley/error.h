/* parley error codes and diagnostics.
 * Every fallible function returns 0 or a negative PL_E* code; detail (file, line, column, message) goes into an
 * optional caller-provided pl_diag. The library never prints or exits. */
#ifndef PARLEY_ERROR_H
#define PARLEY_ERROR_H

#include <stddef.h>

#include "parley/export.h"

/* X-macro table: name, value, message. The single source of the codes and their texts. */
#define PL_ERRNO_MAP(X)                                                  \
    X(NOMEM, -1, "out of memory")                                        \
    X(INVAL, -2, "invalid argument")                                     \
    X(IO, -3, "input/output error")                                      \
    X(PARSE, -4, "malformed input")                                      \
    X(RANGE, -5, "value out of range")                                   \
    X(UNSUPPORTED, -6, "unsupported feature")                            \
    X(NOTFOUND, -7, "not found")                                         \
    X(TOOBIG, -8, "too large")                                           \
    X(CANCELED, -9, "operation canceled")                                \
    X(BUSY, -10, "not now: another party's turn, or already over")

enum {
    PL_OK = 0,
#define PL__ERRNO_ENUM(name, val, msg) PL_E##name = (val),
    PL_ERRNO_MAP(PL__ERRNO_ENUM)
#undef PL__ERRNO_ENUM
};

/* Static text for a code (0 or PL_E*); never NULL. */
PL_API const char *pl_strerror(int code);

#define PL_DIAG_FILE_MAX 512
#define PL_DIAG_MSG_MAX 512

/* Where and what went wrong. line/column are 1-based, 0 when unknown. `path` is a location inside a structured
 * document when no line is known (e.g. a JSON path such as "parties[1].utility.weights.price"). */
typedef struct pl_diag {
    int code;
    int line;
    int column;
    char file[PL_DIAG_FILE_MAX];
    char path[128];
    char message[PL_DIAG_MSG_MAX];
} pl_diag;

/* Reset a diagnostic to "no error". NULL-safe. */
PL_API void pl_diag_clear(pl_diag *d);

/* Format "FILE:LINE:COL: message" (omitting unknown parts) into buf; returns buf. */
PL_API char *pl_diag_format(const pl_diag *d, char *buf, size_t size);

#endif
