/* Helpers shared by the unit tests: temporary folders and files, loading, corpus paths. */
#ifndef PL_TESTUTIL_H
#define PL_TESTUTIL_H

#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <math.h>

#include "parley/parley.h"

/* cmocka 1.1.5 (Debian 12) compares floats only in single precision: a double comparison of our own. */
static inline void tu_assert_double(double a, double b, double eps, const char *expr, const char *file, int line)
{
    if (!(fabs(a - b) <= eps)) {
        print_error("%s = %.17g, expected %.17g (tolerance %g)\n", expr, a, b, eps);
        _fail(file, line);
    }
}
#undef assert_double_equal
#define assert_double_equal(a, b, eps) tu_assert_double((a), (b), (eps), #a, __FILE__, __LINE__)

/* splitmix64 step: the tests' seeded random numbers (each test keeps its own state, so sequences are its own). */
static inline uint64_t tu_splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The library's constructors (int pl_x_new(..., &out, d): docs/api.md) where a test needs them to succeed. */
static inline pl_space *tu_space_new(void)
{
    pl_space *s = NULL;
    assert_int_equal(pl_space_new(&s, NULL), 0);
    return s;
}
static inline pl_space *tu_space_copy(const pl_space *src)
{
    pl_space *s = NULL;
    assert_int_equal(pl_space_copy(src, &s, NULL), 0);
    return s;
}
/* Takes ownership of s, as pl_scenario_new does. */
static inline pl_scenario *tu_scenario_new(pl_space *s)
{
    pl_scenario *sc = NULL;
    assert_int_equal(pl_scenario_new(s, &sc, NULL), 0);
    return sc;
}
static inline pl_ufun *tu_ufun_linear_new(const pl_space *s)
{
    pl_ufun *u = NULL;
    assert_int_equal(pl_ufun_linear_new(s, &u, NULL), 0);
    return u;
}
static inline pl_ufun *tu_ufun_rect_new(const pl_space *s, double max_utility)
{
    pl_ufun *u = NULL;
    assert_int_equal(pl_ufun_rect_new(s, max_utility, &u, NULL), 0);
    return u;
}
static inline pl_registry *tu_registry_new(void)
{
    pl_registry *r = NULL;
    assert_int_equal(pl_registry_new(&r, NULL), 0);
    return r;
}

/* a Pareto-dominates b (>= everywhere, > somewhere): the tests' brute forces use this, not the library's. */
static inline int tu_dominates(const double *a, const double *b, size_t np)
{
    int strict = 0;
    for (size_t k = 0; k < np; k++) {
        if (a[k] < b[k]) {
            return 0;
        }
        strict |= a[k] > b[k];
    }
    return strict;
}

/* A fresh temporary folder (static buffer per call site is the caller's). */
static inline void tu_mkdtemp(char *buf, size_t size)
{
    snprintf(buf, size, "%s/parley-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(buf));
}

static inline void tu_write(const char *dir, const char *name, const char *text, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static inline void tu_rmtree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static inline int tu_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static inline int tu_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Load from one path; asserts success and returns the scenario. */
static inline pl_scenario *tu_load1(const char *path)
{
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    const char *paths[1] = {path};
    int rc = pl_scenario_load(paths, 1, NULL, &sc, &d);
    if (rc < 0) {
        char buf[1200];
        print_error("load %s: %s\n", path, pl_diag_format(&d, buf, sizeof buf));
    }
    assert_int_equal(rc, 0);
    return sc;
}

/* An ANAC folder path (under PL_ANAC_DIR). */
static inline const char *tu_anac(const char *rel)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/%s", PL_ANAC_DIR, rel);
    return buf;
}

/* Skip the current test when the ANAC corpus is absent. */
#define TU_NEED_ANAC()                                                   \
    do {                                                                 \
        if (!tu_is_dir(PL_ANAC_DIR)) {                                    \
            print_message("ANAC corpus not found at %s\n", PL_ANAC_DIR);  \
            skip();                                                      \
        }                                                                \
    } while (0)

/* Parse an outcome or fail the test. */
static inline void tu_outcome(const pl_space *s, const char *text, uint32_t *o)
{
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_space_parse_outcome(s, text, o, &d);
    if (rc < 0) {
        print_error("outcome %s: %s\n", text, d.message);
    }
    assert_int_equal(rc, 0);
}

#endif
