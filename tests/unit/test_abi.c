/* The ABI rules of docs/api.md: option structs carry their size. An older caller (a smaller size) gets the defaults
 * for the fields it does not know, a size below the first version's (0: never initialised) is refused with PL_EINVAL
 * naming the struct, and _init writes nothing past the caller's size. */
#include "testutil.h"

#include "core/internal.h"
#include "parley/plot.h"

/* ---- The helper, on a struct that grew: version 1 had a and b, version 2 added c and d ---- */

typedef struct v1_opts {
    size_t size;
    int a;
    double b;
} v1_opts;

typedef struct v2_opts {
    size_t size;
    int a;
    double b;
    uint64_t c; /* added in version 2, default 7 */
    int d;      /* added in version 2, default -3 */
} v2_opts;

static void v2_defaults(v2_opts *o)
{
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    o->a = 1;
    o->b = 2.5;
    o->c = 7;
    o->d = -3;
}

static int v2_read(v2_opts *o, const void *in, pl_diag *d)
{
    v2_defaults(o);
    return PL__OPTS_READ(v2_opts, o, in, b, d);
}

static void test_older_caller_gets_defaults(void **state)
{
    (void)state;
    v1_opts old = {sizeof(v1_opts), 10, 20.5}; /* compiled against version 1 */
    v2_opts o;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(v2_read(&o, &old, &d), 0);
    assert_int_equal(o.size, sizeof(v2_opts));
    assert_int_equal(o.a, 10);
    assert_double_equal(o.b, 20.5, 0);
    assert_int_equal(o.c, 7);
    assert_int_equal(o.d, -3);

    /* Version 2 callers: everything is read. */
    v2_opts cur = {sizeof(v2_opts), 4, 5.5, 6, 8};
    assert_int_equal(v2_read(&o, &cur, &d), 0);
    assert_int_equal(o.a, 4);
    assert_int_equal(o.c, 6);
    assert_int_equal(o.d, 8);

    /* Version 2 with only c known (a caller in between): d keeps its default. */
    cur.size = offsetof(v2_opts, d);
    assert_int_equal(v2_read(&o, &cur, &d), 0);
    assert_int_equal(o.c, 6);
    assert_int_equal(o.d, -3);

    /* A newer caller (a larger struct): the fields this library does not know are ignored. */
    struct {
        v2_opts v2;
        double later;
    } newer = {{0, 4, 5.5, 6, 8}, 99};
    newer.v2.size = sizeof newer;
    assert_int_equal(v2_read(&o, &newer, &d), 0);
    assert_int_equal(o.size, sizeof(v2_opts));
    assert_int_equal(o.d, 8);

    /* NULL: the defaults. */
    assert_int_equal(v2_read(&o, NULL, &d), 0);
    assert_int_equal(o.a, 1);
}

static void test_small_sizes_refused(void **state)
{
    (void)state;
    v1_opts old = {0, 10, 20.5};
    v2_opts o;
    pl_diag d;
    pl_diag_clear(&d);
    assert_int_equal(v2_read(&o, &old, &d), PL_EINVAL);
    assert_int_equal(d.code, PL_EINVAL);
    assert_non_null(strstr(d.message, "v2_opts"));
    assert_non_null(strstr(d.message, "size 0"));
    assert_int_equal(o.a, 1); /* untouched defaults */
    old.size = offsetof(v1_opts, b); /* b missing: below version 1 */
    assert_int_equal(v2_read(&o, &old, NULL), PL_EINVAL);
    old.size = PL__SIZE_THROUGH(v1_opts, b);
    assert_int_equal(v2_read(&o, &old, NULL), 0);
    assert_double_equal(o.b, 20.5, 0);
}

/* _init for a caller with a smaller struct writes its defaults only within that size. */
static void test_init_stays_inside(void **state)
{
    (void)state;
    union {
        pl_analysis_options o;
        unsigned char bytes[sizeof(pl_analysis_options) + 16];
    } u;
    memset(u.bytes, 0xAB, sizeof u.bytes);
    size_t part = PL__SIZE_THROUGH(pl_analysis_options, threads);
    pl_analysis_options_init_size(&u.o, part);
    assert_int_equal(u.o.size, part);
    assert_int_equal(u.o.algorithm, PL_PARETO_AUTO);
    assert_int_equal(u.o.threads, 0);
    for (size_t k = part; k < sizeof u.bytes; k++) {
        assert_int_equal(u.bytes[k], 0xAB);
    }
    pl_analysis_options_init_size(&u.o, 3); /* cannot even hold size: nothing written */
    assert_int_equal(u.o.size, part);
    pl_analysis_options_init_size(NULL, sizeof u.o);
}

static pl_scenario *job_offer(void)
{
    return tu_load1(PL_SCENARIOS "/job-offer.json");
}

/* Every public entry point that takes an option struct: size 0 refused with PL_EINVAL naming the struct; each
 * _init sets size to sizeof. */
static void expect_refused(int rc, const pl_diag *d, const char *name)
{
    assert_int_equal(rc, PL_EINVAL);
    assert_int_equal(d->code, PL_EINVAL);
    assert_non_null(strstr(d->message, name));
}

static void test_public_entry_points(void **state)
{
    (void)state;
    pl_diag d;
    pl_diag_clear(&d);
    pl_scenario *sc = job_offer();

    pl_load_options lo;
    pl_load_options_init(&lo);
    assert_int_equal(lo.size, sizeof lo);
    lo.size = 0;
    pl_scenario *sc2 = NULL;
    const char *path = PL_SCENARIOS "/job-offer.json";
    expect_refused(pl_scenario_load(&path, 1, &lo, &sc2, &d), &d, "pl_load_options");
    assert_null(sc2);
    lo.size = PL__SIZE_THROUGH(pl_load_options, real_levels);
    assert_int_equal(pl_scenario_load(&path, 1, &lo, &sc2, &d), 0);
    pl_scenario_free(sc2);

    pl_analysis_options ao;
    pl_analysis_options_init(&ao);
    assert_int_equal(ao.size, sizeof ao);
    ao.size = 0;
    pl_analysis *a = NULL;
    pl_frontier *f = NULL;
    expect_refused(pl_analyze(sc, &ao, &a, &d), &d, "pl_analysis_options");
    expect_refused(pl_frontier_compute(sc, &ao, &f, &d), &d, "pl_analysis_options");
    assert_null(a);
    assert_null(f);

    pl_report_options ro;
    pl_report_options_init(&ro);
    assert_int_equal(ro.size, sizeof ro);
    ro.size = 0;
    pl_report *r = NULL;
    expect_refused(pl_report_build(sc, NULL, &ro, &r, &d), &d, "pl_report_options");

    pl_whatif_options wo;
    pl_whatif_options_init(&wo);
    assert_int_equal(wo.size, sizeof wo);
    wo.size = 0;
    pl_whatif *wi = NULL;
    expect_refused(pl_whatif_build(sc, &wo, &wi, &d), &d, "pl_whatif_options");
    assert_null(wi);

    pl_robustness_options rbo;
    pl_robustness_options_init(&rbo);
    assert_int_equal(rbo.size, sizeof rbo);
    rbo.size = 0;
    pl_uncertainty *unc = NULL;
    pl_robustness *rb = NULL;
    assert_int_equal(pl_uncertainty_new(sc, &unc, &d), 0);
    expect_refused(pl_robustness_run(unc, &rbo, &rb, &d), &d, "pl_robustness_options");
    assert_null(rb);
    pl_uncertainty_free(unc);

    pl_negotiation_options no;
    pl_negotiation_options_init(&no);
    assert_int_equal(no.size, sizeof no);
    no.size = 0;
    pl_negotiation *neg = NULL;
    expect_refused(pl_negotiation_new(sc, &no, &neg, &d), &d, "pl_negotiation_options");
    assert_int_equal(pl_negotiation_new(sc, NULL, &neg, &d), 0);

    pl_session_options so;
    pl_session_options_init(&so);
    assert_int_equal(so.size, sizeof so);
    so.size = 0;
    pl_registry *reg = tu_registry_new();
    pl_agent_spec *sp[2] = {NULL, NULL};
    assert_int_equal(pl_agent_spec_parse(reg, "boulware", &sp[0], &d), 0);
    assert_int_equal(pl_agent_spec_parse(reg, "conceder", &sp[1], &d), 0);
    pl_session_result res;
    pl_session_result_init(&res);
    expect_refused(pl_session_run(neg, (const pl_agent_spec *const *)sp, 2, &so, &res, &d), &d,
                   "pl_session_options");
    so.size = sizeof so;
    so.rounds = 50;
    assert_int_equal(pl_session_run(neg, (const pl_agent_spec *const *)sp, 2, &so, &res, &d), 0);
    assert_int_equal(res.rounds <= 50, 1);
    pl_session_result_free(&res);

    pl_tournament_options to;
    pl_tournament_options_init(&to);
    assert_int_equal(to.size, sizeof to);
    const char *agents[] = {"boulware", "conceder"};
    to.agents = agents;
    to.n_agents = 2;
    to.scenarios = &path;
    to.n_scenarios = 1;
    pl_tournament *t = NULL;
    to.size = 0;
    expect_refused(pl_tournament_new(&to, reg, &t, &d), &d, "pl_tournament_options");
    assert_null(t);
    to.size = sizeof to;
    assert_int_equal(pl_tournament_new(&to, reg, &t, &d), 0);
    pl_tournament_free(t);
    char why[256];
    pl_tournament_options zero = to;
    zero.size = 0;
    assert_int_equal(pl_tournament_options_diff(&to, &zero, why, sizeof why), 1);
    assert_int_equal(pl_tournament_options_diff(&to, &to, why, sizeof why), 0);
    pl_tournament_saved *keep = NULL;
    expect_refused(pl_tournament_options_load("/nonexistent", &zero, &keep, &d), &d, "pl_tournament_options");

    pl_plot_data_options pdo;
    pl_plot_data_options_init(&pdo);
    assert_int_equal(pdo.size, sizeof pdo);
    pdo.size = 0;
    pl_plot_data *pd = NULL;
    expect_refused(pl_plot_data_new(sc, &pdo, &pd, &d), &d, "pl_plot_data_options");
    assert_null(pd);

    pl_plot_options po;
    pl_plot_options_init(&po);
    assert_int_equal(po.size, sizeof po);
    assert_int_equal(pl_plot_data_new(sc, NULL, &pd, &d), 0);
    po.size = 0;
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 300, 200);
    cairo_t *cr = cairo_create(surf);
    expect_refused(pl_plot_render(cr, 300, 200, pd, NULL, &po, &d), &d, "pl_plot_options");
    expect_refused(pl_plot_save("/nonexistent/x.png", 300, 200, pd, NULL, &po, &d), &d, "pl_plot_options");
    po.size = sizeof po;
    assert_int_equal(pl_plot_render(cr, 300, 200, pd, NULL, &po, &d), 0);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);

    pl_plot_data_free(pd);
    pl_agent_spec_free(sp[0]);
    pl_agent_spec_free(sp[1]);
    pl_registry_free(reg);
    pl_negotiation_free(neg);
    pl_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_older_caller_gets_defaults),
        cmocka_unit_test(test_small_sizes_refused),
        cmocka_unit_test(test_init_stays_inside),
        cmocka_unit_test(test_public_entry_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
