/* Error codes, their texts, and diagnostics. */
#include <stdio.h>
#include <string.h>

#include "core/internal.h"

const char *pl_strerror(int code)
{
    switch (code) {
    case PL_OK:
        return "success";
#define PL__ERRNO_CASE(name, val, msg) \
    case PL_E##name:                   \
        return msg;
        PL_ERRNO_MAP(PL__ERRNO_CASE)
#undef PL__ERRNO_CASE
    default:
        return "unknown error";
    }
}

void pl_diag_clear(pl_diag *d)
{
    if (d) {
        memset(d, 0, sizeof *d);
    }
}

int pl__diag_vset(pl_diag *d, int code, const char *file, int line, int col, const char *fmt, va_list ap)
{
    if (!d) {
        return code;
    }
    d->code = code;
    if (file) {
        snprintf(d->file, sizeof d->file, "%s", file);
    }
    d->line = line;
    d->column = col;
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    return code;
}

int pl__diag_set(pl_diag *d, int code, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pl__diag_vset(d, code, file, line, col, fmt, ap);
    va_end(ap);
    return code;
}

void pl__diag_path(pl_diag *d, const char *fmt, ...)
{
    if (!d) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->path, sizeof d->path, fmt, ap);
    va_end(ap);
}

char *pl_diag_format(const pl_diag *d, char *buf, size_t size)
{
    if (!buf || size == 0) {
        return buf;
    }
    buf[0] = '\0';
    if (!d) {
        return buf;
    }
    size_t n = 0;
#define PL__ADD(...)                                                  \
    do {                                                              \
        if (n < size) {                                               \
            int k = snprintf(buf + n, size - n, __VA_ARGS__);         \
            n += k > 0 ? (size_t)k : 0;                               \
        }                                                             \
    } while (0)
    if (d->file[0]) {
        PL__ADD("%s:", d->file);
        if (d->line > 0) {
            PL__ADD("%d:", d->line);
            if (d->column > 0) {
                PL__ADD("%d:", d->column);
            }
        }
        PL__ADD(" ");
    }
    if (d->path[0]) {
        PL__ADD("at %s: ", d->path);
    }
    PL__ADD("%s", d->message[0] ? d->message : pl_strerror(d->code));
#undef PL__ADD
    return buf;
}
