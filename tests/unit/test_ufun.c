/* Utility functions: linear additive (tables, linear, triangular), hyper-rectangles (against a brute-force
 * evaluator written here), reservation, discounting, copies and bad arguments. */
#include <math.h>

#include "testutil.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
    return tu_splitmix(&rng_state);
}

static void test_linear_tables_by_hand(void **state)
{
    (void)state;
    pl_space *s = tu_space_new();
    const char *ab[] = {"a", "b"};
    assert_int_equal(pl_space_add_discrete(s, "x", 2, ab, NULL), 0);
    assert_int_equal(pl_space_add_integer(s, "n", 1, 5, 1, NULL), 0);
    assert_int_equal(pl_space_add_real(s, "r", 0.0, 10.0, 11, NULL), 0);
    pl_ufun *u = tu_ufun_linear_new(s);
    double tx[] = {0.25, 1.0};
    assert_int_equal(pl_ufun_linear_set_table(u, 0, tx), 0);
    pl_vf lin = {.kind = PL_VF_LINEAR, .offset = 1.0, .slope = -0.3}; /* n=1:1, 2:0.7, 3:0.4, 4:0.1, 5:-0.2->0 */
    assert_int_equal(pl_ufun_linear_set_vf(u, 1, &lin), 0);
    pl_vf tri = {.kind = PL_VF_TRIANGULAR, .start = 2.0, .peak = 4.0, .end = 10.0};
    assert_int_equal(pl_ufun_linear_set_vf(u, 2, &tri), 0);
    assert_int_equal(pl_ufun_linear_set_weight(u, 0, 0.5), 0);
    assert_int_equal(pl_ufun_linear_set_weight(u, 1, 0.3), 0);
    assert_int_equal(pl_ufun_linear_set_weight(u, 2, 0.2), 0);

    uint32_t o[3] = {0, 1, 3}; /* a, n=2, r=3 */
    assert_double_equal(pl_ufun_eval(u, o), 0.5 * 0.25 + 0.3 * 0.7 + 0.2 * 0.5, 1e-15);
    uint32_t o2[3] = {1, 4, 7}; /* b, n=5 (clamped to 0), r=7: (10-7)/(10-4) */
    assert_double_equal(pl_ufun_eval(u, o2), 0.5 * 1.0 + 0.3 * 0.0 + 0.2 * 0.5, 1e-15);
    uint32_t o3[3] = {1, 0, 4}; /* r=4: peak */
    assert_double_equal(pl_ufun_eval(u, o3), 0.5 + 0.3 + 0.2, 1e-15);
    uint32_t o4[3] = {1, 0, 1}; /* r=1: outside the triangle */
    assert_double_equal(pl_ufun_eval(u, o4), 0.8, 1e-15);

    /* Discounting: u * d^t; d <= 0 or d > 1 means none. */
    assert_int_equal(pl_ufun_set_discount(u, 0.5), 0);
    assert_double_equal(pl_ufun_eval_at(u, o3, 0.5), sqrt(0.5), 1e-15);
    assert_double_equal(pl_ufun_eval_at(u, o3, 0.0), 1.0, 1e-15);
    assert_int_equal(pl_ufun_set_discount(u, 0.0), 0);
    assert_double_equal(pl_ufun_eval_at(u, o3, 0.7), 1.0, 1e-15);
    assert_int_equal(pl_ufun_set_discount(u, 1.5), 0);
    assert_double_equal(pl_ufun_discount_effective(u), 1.0, 0);
    assert_double_equal(pl_ufun_discount(u), 1.5, 0);
    assert_int_equal(pl_ufun_set_discount(u, NAN), PL_EINVAL);
    assert_int_equal(pl_ufun_set_reservation(u, 0.35), 0);
    assert_double_equal(pl_ufun_reservation(u), 0.35, 0);
    assert_int_equal(pl_ufun_set_reservation(u, INFINITY), PL_EINVAL);

    /* Bad arguments leave the function unchanged. */
    assert_int_equal(pl_ufun_linear_set_weight(u, 0, -0.1), PL_EINVAL);
    assert_int_equal(pl_ufun_linear_set_weight(u, 0, NAN), PL_EINVAL);
    assert_int_equal(pl_ufun_linear_set_weight(u, 3, 0.1), PL_EINVAL);
    assert_int_equal(pl_ufun_linear_set_vf(u, 0, &lin), PL_EINVAL); /* discrete issue */
    pl_vf badtri = {.kind = PL_VF_TRIANGULAR, .start = 5, .peak = 4, .end = 10};
    assert_int_equal(pl_ufun_linear_set_vf(u, 2, &badtri), PL_EINVAL);
    double bad[] = {0.1, NAN};
    assert_int_equal(pl_ufun_linear_set_table(u, 0, bad), PL_EINVAL);
    assert_double_equal(pl_ufun_eval(u, o3), 1.0, 1e-15);

    /* A copy evaluates identically everywhere. */
    pl_ufun *c = pl_ufun_copy(u, s);
    uint64_t n;
    assert_int_equal(pl_space_outcome_count(s, &n), 0);
    uint32_t oo[3];
    for (uint64_t k = 0; k < n; k++) {
        pl_space_outcome_at(s, k, oo);
        assert_true(pl_ufun_eval(c, oo) == pl_ufun_eval(u, oo));
    }
    assert_double_equal(pl_ufun_reservation(c), 0.35, 0);
    pl_ufun_free(c);
    pl_ufun_free(u);
    pl_space_free(s);
}

/* Brute-force rectangle utility straight from the definition. */
static double rect_brute(const pl_ufun *u, const uint32_t *o)
{
    double acc = 0;
    for (size_t r = 0; r < pl_ufun_rect_count(u); r++) {
        size_t nb;
        const pl_rect_bound *b = pl_ufun_rect_bounds(u, r, &nb);
        int ok = 1;
        for (size_t k = 0; k < nb && ok; k++) {
            int in = o[b[k].issue] >= b[k].lo && o[b[k].issue] <= b[k].hi;
            ok = b[k].exclude ? !in : in;
        }
        if (ok) {
            acc += pl_ufun_rect_utility(u, r);
        }
    }
    return acc / pl_ufun_rect_max_utility(u);
}

static void test_rect_against_brute_force(void **state)
{
    (void)state;
    for (int trial = 0; trial < 20; trial++) {
        pl_space *s = tu_space_new();
        size_t ni = 2 + rnd() % 4;
        for (size_t i = 0; i < ni; i++) {
            char name[24];
            snprintf(name, sizeof name, "i%zu", i);
            assert_int_equal(pl_space_add_integer(s, name, 0, (int64_t)(1 + rnd() % 6), 1, NULL), 0);
        }
        pl_ufun *u = tu_ufun_rect_new(s, 100.0 + (double)(rnd() % 100));
        size_t nr = 1 + rnd() % 150; /* often more than 64: several mask words */
        for (size_t r = 0; r < nr; r++) {
            pl_rect_bound b[4];
            size_t nb = rnd() % 4;
            for (size_t k = 0; k < nb; k++) {
                b[k].issue = (uint32_t)(rnd() % ni);
                uint32_t nv = pl_space_value_count(s, b[k].issue);
                uint32_t x = (uint32_t)(rnd() % nv), y = (uint32_t)(rnd() % nv);
                b[k].lo = x < y ? x : y;
                b[k].hi = x < y ? y : x;
                b[k].exclude = rnd() % 4 == 0;
            }
            assert_int_equal(pl_ufun_rect_add(u, (double)(rnd() % 100), nb, b), 0);
        }
        uint64_t n;
        assert_int_equal(pl_space_outcome_count(s, &n), 0);
        uint32_t o[8];
        for (uint64_t k = 0; k < n; k++) {
            pl_space_outcome_at(s, k, o);
            assert_double_equal(pl_ufun_eval(u, o), rect_brute(u, o), 1e-12);
        }
        pl_ufun *c = pl_ufun_copy(u, s);
        for (uint64_t k = 0; k < n; k++) {
            pl_space_outcome_at(s, k, o);
            assert_true(pl_ufun_eval(c, o) == pl_ufun_eval(u, o));
        }
        pl_ufun_free(c);
        pl_ufun_free(u);
        pl_space_free(s);
    }
}

static void test_rect_bad_args(void **state)
{
    (void)state;
    pl_space *s = tu_space_new();
    assert_int_equal(pl_space_add_integer(s, "a", 0, 9, 1, NULL), 0);
    pl_diag d;
    pl_ufun *bad = (pl_ufun *)s; /* not NULL: a failed constructor must reset it */
    assert_int_equal(pl_ufun_rect_new(s, 0, &bad, &d), PL_EINVAL);
    assert_null(bad);
    assert_int_equal(d.code, PL_EINVAL);
    assert_non_null(strstr(d.message, "maximum utility"));
    assert_int_equal(pl_ufun_rect_new(s, NAN, &bad, NULL), PL_EINVAL);
    assert_null(bad);
    assert_int_equal(pl_ufun_rect_new(s, INFINITY, &bad, NULL), PL_EINVAL);
    assert_int_equal(pl_ufun_rect_new(s, 1, NULL, &d), PL_EINVAL);
    assert_int_equal(pl_ufun_linear_new(s, NULL, &d), PL_EINVAL);
    assert_int_equal(pl_ufun_linear_new(NULL, &bad, &d), PL_EINVAL);
    assert_null(bad);
    pl_ufun *u = tu_ufun_rect_new(s, 10);
    pl_rect_bound b = {.issue = 0, .lo = 3, .hi = 10};
    assert_int_equal(pl_ufun_rect_add(u, 1, 1, &b), PL_EINVAL); /* hi out of range */
    b.hi = 2;
    assert_int_equal(pl_ufun_rect_add(u, 1, 1, &b), PL_EINVAL); /* lo > hi */
    b.issue = 1;
    assert_int_equal(pl_ufun_rect_add(u, 1, 1, &b), PL_EINVAL); /* no such issue */
    assert_int_equal(pl_ufun_rect_add(u, 5, 0, NULL), 0);       /* always satisfied */
    uint32_t o[1] = {7};
    assert_double_equal(pl_ufun_eval(u, o), 0.5, 1e-15);
    pl_ufun_free(u);
    pl_space_free(s);
}

static void test_eval_many(void **state)
{
    (void)state;
    pl_space *s = tu_space_new();
    for (int i = 0; i < 6; i++) {
        char name[24];
        snprintf(name, sizeof name, "i%d", i);
        assert_int_equal(pl_space_add_integer(s, name, 0, 4, 1, NULL), 0);
    }
    pl_ufun *u = tu_ufun_linear_new(s);
    for (size_t i = 0; i < 6; i++) {
        double t[5];
        for (int v = 0; v < 5; v++) {
            t[v] = (double)(rnd() % 1000) / 1000.0;
        }
        pl_ufun_linear_set_table(u, i, t);
        pl_ufun_linear_set_weight(u, i, 1.0 / 6);
    }
    uint32_t os[6 * 50];
    double out[50];
    for (size_t k = 0; k < 6 * 50; k++) {
        os[k] = (uint32_t)(rnd() % 5);
    }
    pl_ufun_eval_many(u, os, 50, out);
    for (size_t j = 0; j < 50; j++) {
        double want = 0;
        for (size_t i = 0; i < 6; i++) {
            want += pl_ufun_linear_weight(u, i) * pl_ufun_linear_value(u, i, os[6 * j + i]);
        }
        assert_double_equal(out[j], want, 1e-15);
    }
    pl_ufun_free(u);
    pl_space_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_tables_by_hand),
        cmocka_unit_test(test_rect_against_brute_force),
        cmocka_unit_test(test_rect_bad_args),
        cmocka_unit_test(test_eval_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
