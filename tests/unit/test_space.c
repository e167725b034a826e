/* Outcome spaces: issue kinds, value lookup, counting with overflow, the dense index, outcome parsing. */
#include "testutil.h"

static pl_space *small_space(void)
{
    pl_space *s = tu_space_new();
    const char *colours[] = {"red", "green", "blue"};
    assert_int_equal(pl_space_add_discrete(s, "colour", 3, colours, NULL), 0);
    assert_int_equal(pl_space_add_integer(s, "count", 0, 300, 25, NULL), 0);
    assert_int_equal(pl_space_add_real(s, "price", 1.0, 2.0, 5, NULL), 0);
    return s;
}

static void test_kinds_and_values(void **state)
{
    (void)state;
    pl_space *s = small_space();
    assert_int_equal(pl_space_issue_count(s), 3);
    assert_int_equal(pl_space_value_count(s, 0), 3);
    assert_int_equal(pl_space_value_count(s, 1), 13); /* 0, 25, ..., 300 */
    assert_int_equal(pl_space_value_count(s, 2), 5);  /* 1, 1.25, 1.5, 1.75, 2 */
    assert_int_equal(pl_space_find_value(s, 0, "blue"), 2);
    assert_int_equal(pl_space_find_value(s, 0, "Blue"), -1);
    assert_int_equal(pl_space_find_value(s, 1, "175"), 7);
    assert_int_equal(pl_space_find_value(s, 1, "170"), -1); /* off the step grid */
    assert_int_equal(pl_space_find_value(s, 1, "325"), -1);
    assert_int_equal(pl_space_find_value(s, 2, "1.75"), 3);
    assert_int_equal(pl_space_find_value(s, 2, "1.7"), -1);
    assert_true(pl_space_value_number(s, 2, 4) == 2.0);
    assert_true(pl_space_value_number(s, 1, 7) == 175.0);
    char buf[32];
    assert_string_equal(pl_space_value_label(s, 2, 1, buf, sizeof buf), "1.25");
    assert_string_equal(pl_space_value_label(s, 1, 12, buf, sizeof buf), "300");
    assert_int_equal(pl_space_find_issue(s, "price"), 2);
    assert_int_equal(pl_space_find_issue(s, "nope"), -1);
    pl_space_free(s);
}

static void test_count_and_index(void **state)
{
    (void)state;
    pl_space *s = small_space();
    uint64_t n;
    assert_int_equal(pl_space_outcome_count(s, &n), 0);
    assert_int_equal(n, 3 * 13 * 5);
    /* Every index maps to a distinct outcome and back (brute force over the space). */
    uint32_t o[3];
    for (uint64_t k = 0; k < n; k++) {
        assert_int_equal(pl_space_outcome_at(s, k, o), 0);
        uint64_t back;
        assert_int_equal(pl_space_outcome_index(s, o, &back), 0);
        assert_int_equal(back, k);
    }
    /* Last issue varies fastest. */
    assert_int_equal(pl_space_outcome_at(s, 1, o), 0);
    assert_int_equal(o[0], 0);
    assert_int_equal(o[1], 0);
    assert_int_equal(o[2], 1);
    assert_int_equal(pl_space_outcome_at(s, n, o), PL_ERANGE);
    pl_space_free(s);
}

static void test_overflow_is_reported(void **state)
{
    (void)state;
    pl_space *s = tu_space_new();
    char name[16];
    /* 70 issues of 1000 values: 10^210 outcomes. */
    for (int i = 0; i < 70; i++) {
        snprintf(name, sizeof name, "i%d", i);
        assert_int_equal(pl_space_add_integer(s, name, 1, 1000, 1, NULL), 0);
    }
    uint64_t n = 42;
    assert_int_equal(pl_space_outcome_count(s, &n), PL_ERANGE);
    assert_int_equal(n, 42);
    assert_true(pl_space_log10_size(s) > 209.99 && pl_space_log10_size(s) < 210.01);
    uint32_t o[70] = {0};
    uint64_t idx;
    assert_int_equal(pl_space_outcome_index(s, o, &idx), PL_ERANGE);
    pl_space_free(s);

    /* Exactly at the boundary: 2^62 is enumerable, 2^63 is not. */
    s = tu_space_new();
    for (int i = 0; i < 62; i++) {
        snprintf(name, sizeof name, "b%d", i);
        assert_int_equal(pl_space_add_integer(s, name, 0, 1, 1, NULL), 0);
    }
    assert_int_equal(pl_space_outcome_count(s, &n), 0);
    assert_int_equal(n, (uint64_t)1 << 62);
    assert_int_equal(pl_space_add_integer(s, "last", 0, 1, 1, NULL), 0);
    assert_int_equal(pl_space_outcome_count(s, &n), PL_ERANGE);
    pl_space_free(s);
}

static void test_bad_issues(void **state)
{
    (void)state;
    pl_space *s = tu_space_new();
    pl_diag d;
    const char *dup[] = {"a", "b", "a"};
    const char *empty[] = {"a", ""};
    assert_int_equal(pl_space_add_discrete(s, "x", 3, dup, &d), PL_EINVAL);
    assert_non_null(strstr(d.message, "appears twice"));
    assert_int_equal(pl_space_add_discrete(s, "x", 2, empty, &d), PL_EINVAL);
    assert_int_equal(pl_space_add_discrete(s, "x", 0, dup, &d), PL_EINVAL);
    assert_int_equal(pl_space_add_discrete(s, "", 1, dup, &d), PL_EINVAL);
    assert_int_equal(pl_space_add_integer(s, "y", 5, 1, 1, &d), PL_EINVAL);
    assert_int_equal(pl_space_add_integer(s, "y", 0, 10, 3, &d), PL_EINVAL); /* not a whole number of steps */
    assert_int_equal(pl_space_add_integer(s, "y", 0, 10, 0, &d), PL_EINVAL);
    assert_int_equal(pl_space_add_integer(s, "y", INT64_MIN, INT64_MAX, 1, &d), PL_ERANGE);
    assert_int_equal(pl_space_add_real(s, "z", 0, 1, 1, &d), PL_EINVAL);
    assert_int_equal(pl_space_add_real(s, "z", 1, 0, 5, &d), PL_EINVAL);
    assert_int_equal(pl_space_add_discrete(s, "x", 2, dup, &d), 0);
    assert_int_equal(pl_space_add_discrete(s, "x", 2, dup, &d), PL_EINVAL); /* duplicate issue name */
    assert_non_null(strstr(d.message, "defined twice"));
    assert_int_equal(pl_space_issue_count(s), 1);
    pl_space_free(s);
}

static void test_parse_outcome(void **state)
{
    (void)state;
    pl_space *s = tu_space_new();
    const char *env[] = {"Parks", "See, river, etc.", "Palace"};
    const char *yn[] = {"yes", "no"};
    assert_int_equal(pl_space_add_discrete(s, "Environment", 3, env, NULL), 0);
    assert_int_equal(pl_space_add_discrete(s, "Env", 2, yn, NULL), 0);
    assert_int_equal(pl_space_add_integer(s, "n", 0, 300, 25, NULL), 0);
    uint32_t o[3];
    /* Labels with commas; an issue name that prefixes another. */
    tu_outcome(s, "Environment=See, river, etc.,Env=no,n=175", o);
    assert_int_equal(o[0], 1);
    assert_int_equal(o[1], 1);
    assert_int_equal(o[2], 7);
    tu_outcome(s, "n = 0, Env=yes, Environment=Palace", o);
    assert_int_equal(o[0], 2);
    assert_int_equal(o[1], 0);
    assert_int_equal(o[2], 0);
    pl_diag d;
    assert_int_equal(pl_space_parse_outcome(s, "Environment=Palace,Env=yes", o, &d), PL_EPARSE);
    assert_non_null(strstr(d.message, "\"n\""));
    assert_int_equal(pl_space_parse_outcome(s, "Environment=Palace,Env=maybe,n=0", o, &d), PL_ENOTFOUND);
    assert_non_null(strstr(d.message, "maybe"));
    assert_int_equal(pl_space_parse_outcome(s, "Colour=red,Env=yes,n=0", o, &d), PL_ENOTFOUND);
    assert_int_equal(pl_space_parse_outcome(s, "n=0,n=25,Env=yes,Environment=Palace", o, &d), PL_EPARSE);
    assert_int_equal(pl_space_parse_outcome(s, "Environment=Palace,Env=yes,n=13", o, &d), PL_ENOTFOUND);
    pl_space_free(s);
}

static void test_copy_and_equal(void **state)
{
    (void)state;
    pl_space *s = small_space();
    pl_space *c = tu_space_copy(s);
    assert_non_null(c);
    assert_true(pl_space_equal(s, c));
    const char *one[] = {"x"};
    assert_int_equal(pl_space_add_discrete(c, "extra", 1, one, NULL), 0);
    assert_false(pl_space_equal(s, c));
    pl_space_free(s);
    pl_space_free(c);
    pl_space_free(NULL);
}

/* The label index: every one of 200,000 labels (sharing long prefixes, so that a weak hash would collide) is found
 * at its own index; near misses and labels of another issue are not found; a duplicate is refused by name. */
static void test_many_values_lookup(void **state)
{
    (void)state;
    enum { N = 200000 };
    char **labels = malloc(N * sizeof *labels);
    assert_non_null(labels);
    for (size_t v = 0; v < N; v++) {
        labels[v] = malloc(48);
        assert_non_null(labels[v]);
        snprintf(labels[v], 48, "option-with-a-long-common-prefix-%zu", v);
    }
    pl_space *s = tu_space_new();
    assert_int_equal(pl_space_add_discrete(s, "big", N, (const char *const *)labels, NULL), 0);
    const char *few[] = {"x", "y"};
    assert_int_equal(pl_space_add_discrete(s, "small", 2, few, NULL), 0);
    for (size_t v = 0; v < N; v++) {
        assert_int_equal(pl_space_find_value(s, 0, labels[v]), (long)v);
    }
    assert_int_equal(pl_space_find_value(s, 0, "option-with-a-long-common-prefix-200000"), -1);
    assert_int_equal(pl_space_find_value(s, 0, "option-with-a-long-common-prefix-"), -1);
    assert_int_equal(pl_space_find_value(s, 0, "x"), -1);
    assert_int_equal(pl_space_find_value(s, 1, "y"), 1);
    assert_int_equal(pl_space_find_value(s, 1, labels[0]), -1);
    pl_space *c = tu_space_copy(s); /* the copy has its own index */
    assert_non_null(c);
    pl_space_free(s);
    assert_int_equal(pl_space_find_value(c, 0, labels[12345]), 12345);
    pl_space_free(c);

    free(labels[N - 1]);
    labels[N - 1] = malloc(48);
    assert_non_null(labels[N - 1]);
    snprintf(labels[N - 1], 48, "%s", labels[777]);
    pl_space *dup = tu_space_new();
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_space_add_discrete(dup, "big", N, (const char *const *)labels, &d), PL_EINVAL);
    assert_non_null(strstr(d.message, "\"option-with-a-long-common-prefix-777\" appears twice"));
    pl_space_free(dup);
    for (size_t v = 0; v < N; v++) {
        free(labels[v]);
    }
    free(labels);
}

/* Misspelt names in an outcome: the nearest issue or value is suggested, and a misspelt issue after a valid value is
 * reported as the unknown issue, not as part of the value before it. */
static void test_outcome_suggestions(void **state)
{
    (void)state;
    pl_space *s = tu_space_new();
    const char *starts[] = {"2 weeks", "1 month", "2 months"};
    assert_int_equal(pl_space_add_integer(s, "remote_days", 0, 5, 1, NULL), 0);
    assert_int_equal(pl_space_add_discrete(s, "start", 3, starts, NULL), 0);
    uint32_t o[2];
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_space_parse_outcome(s, "start=1 month,remote_day=2", o, &d), PL_ENOTFOUND);
    assert_string_equal(d.message, "unknown issue \"remote_day\" in outcome (did you mean \"remote_days\"?)");
    assert_int_equal(pl_space_parse_outcome(s, "remote_days=2,start=1 mnth", o, &d), PL_ENOTFOUND);
    assert_string_equal(d.message, "issue \"start\" has no value \"1 mnth\" (did you mean \"1 month\"?)");
    assert_int_equal(pl_space_parse_outcome(s, "remote_days=2,start=next year", o, &d), PL_ENOTFOUND);
    assert_string_equal(d.message, "issue \"start\" has no value \"next year\"");
    assert_int_equal(pl_space_parse_outcome(s, "colour=red", o, &d), PL_ENOTFOUND);
    assert_string_equal(d.message, "unknown issue \"colour\" in outcome");
    assert_int_equal(pl_space_parse_outcome(s, "remote_days=2,start=1 month", o, &d), 0);
    assert_int_equal(o[0], 2);
    assert_int_equal(o[1], 1);
    pl_space_free(s);
}

/* Constructors return 0 or a PL_E* code with *out NULL on failure; pl_scenario_new takes the space also on failure
 * (LeakSanitizer, in the ASan build, would report it otherwise). */
static void test_constructor_errors(void **state)
{
    (void)state;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(pl_space_new(NULL, &d), PL_EINVAL);
    assert_int_equal(d.code, PL_EINVAL);
    pl_space *s = small_space();
    pl_space *c = s; /* not NULL: a failed constructor resets it */
    assert_int_equal(pl_space_copy(NULL, &c, &d), PL_EINVAL);
    assert_null(c);
    assert_int_equal(pl_space_copy(s, NULL, &d), PL_EINVAL);
    pl_scenario *sc = (pl_scenario *)s;
    assert_int_equal(pl_scenario_new(NULL, &sc, &d), PL_EINVAL);
    assert_null(sc);
    assert_int_equal(pl_scenario_new(s, NULL, &d), PL_EINVAL); /* frees s */
    pl_diag_clear(&d);
    assert_int_equal(pl_space_new(&s, &d), 0);
    assert_int_equal(d.code, 0);
    assert_int_equal(pl_scenario_new(s, &sc, &d), 0);
    assert_ptr_equal(pl_scenario_space(sc), s);
    pl_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_and_values), cmocka_unit_test(test_count_and_index),
        cmocka_unit_test(test_overflow_is_reported), cmocka_unit_test(test_bad_issues),
        cmocka_unit_test(test_parse_outcome), cmocka_unit_test(test_copy_and_equal),
        cmocka_unit_test(test_many_values_lookup), cmocka_unit_test(test_outcome_suggestions),
        cmocka_unit_test(test_constructor_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
