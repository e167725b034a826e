/* The ANAC corpus in ../shared/scenarios/anac: every scenario loads with its outcome, issue and party counts (the
 * table below was computed independently, by a script reading the XML files); utilities of the 996 GENIUS 10.4
 * reference agreements match to 1e-12; Genius XML -> parley JSON -> Genius XML keeps every outcome's utility; the
 * merge and enumerate frontier algorithms agree on every linear scenario.
 * Exits 77 (reported by ctest as skipped) when the corpus is absent. */
#include <jansson.h>

#include "testutil.h"

typedef struct expected {
    const char *folder;
    size_t issues, parties;
    uint64_t outcomes;
} expected;

static const expected corpus[] = {
    {"y2010/EnglandZimbabwe", 5, 2, 576ULL},
    {"y2010/ItexvsCypress", 4, 2, 180ULL},
    {"y2010/Travel", 7, 2, 188160ULL},
    {"y2011/Amsterdam", 6, 2, 3024ULL},
    {"y2011/Camera", 6, 2, 3600ULL},
    {"y2011/Car", 6, 2, 15625ULL},
    {"y2011/Energy", 8, 2, 390625ULL},
    {"y2011/Grocery", 5, 2, 1600ULL},
    {"y2011/IS_BT_Acquisition", 5, 2, 384ULL},
    {"y2011/Laptop", 3, 2, 27ULL},
    {"y2011/NiceOrDie", 1, 2, 3ULL},
    {"y2012/AcquisitionA", 5, 2, 384ULL},
    {"y2012/AcquisitionB", 5, 2, 384ULL},
    {"y2012/AcquisitionC", 5, 2, 384ULL},
    {"y2012/AirportSiteSelectionA", 3, 2, 420ULL},
    {"y2012/AirportSiteSelectionB", 3, 2, 420ULL},
    {"y2012/AirportSiteSelectionC", 3, 2, 420ULL},
    {"y2012/AmsterdamA", 6, 2, 3024ULL},
    {"y2012/AmsterdamB", 6, 2, 3024ULL},
    {"y2012/AmsterdamC", 6, 2, 3024ULL},
    {"y2012/BarbecueA", 5, 2, 1440ULL},
    {"y2012/BarbecueB", 5, 2, 1440ULL},
    {"y2012/BarbecueC", 5, 2, 1440ULL},
    {"y2012/BarterA", 3, 2, 80ULL},
    {"y2012/BarterB", 3, 2, 80ULL},
    {"y2012/BarterC", 3, 2, 80ULL},
    {"y2012/CameraA", 6, 2, 3600ULL},
    {"y2012/CameraB", 6, 2, 3600ULL},
    {"y2012/CameraC", 6, 2, 3600ULL},
    {"y2012/CarA", 6, 2, 15625ULL},
    {"y2012/CarB", 6, 2, 15625ULL},
    {"y2012/CarC", 6, 2, 15625ULL},
    {"y2012/EnergyA", 8, 2, 390625ULL},
    {"y2012/EnergyB", 8, 2, 390625ULL},
    {"y2012/EnergyC", 8, 2, 390625ULL},
    {"y2012/EnergySmallA", 6, 2, 15625ULL},
    {"y2012/EnergySmallB", 6, 2, 15625ULL},
    {"y2012/EnergySmallC", 6, 2, 15625ULL},
    {"y2012/EnglandvsZimbabweA", 5, 2, 576ULL},
    {"y2012/EnglandvsZimbabweB", 5, 2, 576ULL},
    {"y2012/EnglandvsZimbabweC", 5, 2, 576ULL},
    {"y2012/FiftyFiftyA", 1, 2, 11ULL},
    {"y2012/FiftyFiftyB", 1, 2, 11ULL},
    {"y2012/FiftyFiftyC", 1, 2, 11ULL},
    {"y2012/FitnessA", 5, 2, 3520ULL},
    {"y2012/FitnessB", 5, 2, 3520ULL},
    {"y2012/FitnessC", 5, 2, 3520ULL},
    {"y2012/FlightBookingA", 3, 2, 36ULL},
    {"y2012/FlightBookingB", 3, 2, 36ULL},
    {"y2012/FlightBookingC", 3, 2, 36ULL},
    {"y2012/GroceryA", 5, 2, 1600ULL},
    {"y2012/GroceryB", 5, 2, 1600ULL},
    {"y2012/GroceryC", 5, 2, 1600ULL},
    {"y2012/HouseKeepingA", 5, 2, 384ULL},
    {"y2012/HouseKeepingB", 5, 2, 384ULL},
    {"y2012/HouseKeepingC", 5, 2, 384ULL},
    {"y2012/ItexvsCypressA", 4, 2, 180ULL},
    {"y2012/ItexvsCypressB", 4, 2, 180ULL},
    {"y2012/ItexvsCypressC", 4, 2, 180ULL},
    {"y2012/LaptopA", 3, 2, 27ULL},
    {"y2012/LaptopB", 3, 2, 27ULL},
    {"y2012/LaptopC", 3, 2, 27ULL},
    {"y2012/MusicCollectionA", 6, 2, 4320ULL},
    {"y2012/MusicCollectionB", 6, 2, 4320ULL},
    {"y2012/MusicCollectionC", 6, 2, 4320ULL},
    {"y2012/NiceOrDieA", 1, 2, 3ULL},
    {"y2012/NiceOrDieB", 1, 2, 3ULL},
    {"y2012/NiceOrDieC", 1, 2, 3ULL},
    {"y2012/OutfitA", 4, 2, 128ULL},
    {"y2012/OutfitB", 4, 2, 128ULL},
    {"y2012/OutfitC", 4, 2, 128ULL},
    {"y2012/PhoneA", 5, 2, 1600ULL},
    {"y2012/PhoneB", 5, 2, 1600ULL},
    {"y2012/PhoneC", 5, 2, 1600ULL},
    {"y2012/RentalHouseA", 4, 2, 60ULL},
    {"y2012/RentalHouseB", 4, 2, 60ULL},
    {"y2012/RentalHouseC", 4, 2, 60ULL},
    {"y2012/SupermarketA", 6, 2, 112896ULL},
    {"y2012/SupermarketB", 6, 2, 112896ULL},
    {"y2012/SupermarketC", 6, 2, 112896ULL},
    {"y2012/TravelA", 7, 2, 188160ULL},
    {"y2012/TravelB", 7, 2, 188160ULL},
    {"y2012/TravelC", 7, 2, 188160ULL},
    {"y2014/10issues", 10, 2, 10000000000ULL},
    {"y2015/group1-university", 5, 9, 2250ULL},
    {"y2015/group11-car_purchase", 5, 9, 216ULL},
    {"y2015/group12-symposium", 6, 9, 2304ULL},
    {"y2015/group2-dinner", 5, 3, 1200ULL},
    {"y2015/group2-new_sporthal", 5, 3, 243ULL},
    {"y2015/group2-politics", 8, 3, 23040ULL},
    {"y2015/group3-bank_robbery", 3, 9, 18ULL},
    {"y2015/group4-zoning_plan", 4, 9, 448ULL},
    {"y2015/group5-car_domain", 4, 9, 240ULL},
    {"y2015/group6-tram", 7, 9, 972ULL},
    {"y2015/group7-movie", 2, 9, 4ULL},
    {"y2015/group8-holiday", 5, 9, 1024ULL},
    {"y2015/group9-killer_robot", 6, 5, 240000ULL},
    {"y2015/group9-vacation", 5, 3, 1600ULL},
};
#define N_CORPUS (sizeof corpus / sizeof corpus[0])

static void test_every_scenario_loads(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_CORPUS; k++) {
        pl_scenario *sc = tu_load1(tu_anac(corpus[k].folder));
        const pl_space *s = pl_scenario_space(sc);
        uint64_t n = 0;
        assert_int_equal(pl_space_outcome_count(s, &n), 0);
        if (n != corpus[k].outcomes || pl_space_issue_count(s) != corpus[k].issues ||
            pl_scenario_party_count(sc) != corpus[k].parties) {
            print_error("%s: %llu outcomes, %zu issues, %zu parties\n", corpus[k].folder, (unsigned long long)n,
                        pl_space_issue_count(s), pl_scenario_party_count(sc));
            fail();
        }
        pl_scenario_free(sc);
    }
}

/* The reference records name a folder and two profile files; utilities are GENIUS's own. */
static void test_genius_reference_utilities(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/genius-sessions.json", PL_REFERENCE_DIR);
    if (!tu_exists(path)) {
        print_message("GENIUS reference not found at %s\n", path);
        skip();
    }
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    assert_non_null(root);
    assert_true(json_is_array(root));
    size_t checked = 0;
    pl_scenario *sc = NULL;
    char loaded[256] = "";
    for (size_t r = 0; r < json_array_size(root); r++) {
        json_t *rec = json_array_get(root, r);
        const char *folder = json_string_value(json_object_get(rec, "scenario"));
        json_t *agreement = json_object_get(rec, "agreement");
        if (!folder || !json_is_object(agreement)) {
            continue;
        }
        if (strcmp(loaded, folder) != 0) {
            pl_scenario_free(sc);
            sc = tu_load1(tu_anac(folder));
            snprintf(loaded, sizeof loaded, "%s", folder);
        }
        const pl_space *s = pl_scenario_space(sc);
        uint32_t o[64];
        const char *issue;
        json_t *val;
        json_object_foreach(agreement, issue, val)
        {
            long i = pl_space_find_issue(s, issue);
            assert_true(i >= 0);
            long v = pl_space_find_value(s, (size_t)i, json_string_value(val));
            assert_true(v >= 0);
            o[i] = (uint32_t)v;
        }
        double t = json_real_value(json_object_get(rec, "time"));
        for (size_t side = 0; side < 2; side++) {
            char party[256];
            snprintf(party, sizeof party, "%s", json_string_value(json_array_get(json_object_get(rec, "profiles"), side)));
            char *dot = strrchr(party, '.');
            if (dot) {
                *dot = '\0';
            }
            long p = pl_scenario_find_party(sc, party);
            assert_true(p >= 0);
            const pl_ufun *u = pl_scenario_ufun(sc, (size_t)p);
            double want = json_real_value(json_array_get(json_object_get(rec, "utilities"), side));
            double want_d = json_real_value(json_array_get(json_object_get(rec, "discounted_utilities"), side));
            assert_double_equal(pl_ufun_eval(u, o), want, 1e-12);
            assert_double_equal(pl_ufun_eval_at(u, o, t), want_d, 1e-12);
        }
        checked++;
    }
    pl_scenario_free(sc);
    json_decref(root);
    print_message("checked %zu GENIUS agreements\n", checked);
    assert_int_equal(checked, 996);
}

/* Every outcome's utility equal in a and b (parties matched by name). */
static void assert_same_utilities(const pl_scenario *a, const pl_scenario *b, const char *what)
{
    const pl_space *s = pl_scenario_space(a);
    uint64_t n;
    assert_int_equal(pl_space_outcome_count(s, &n), 0);
    assert_int_equal(pl_scenario_party_count(a), pl_scenario_party_count(b));
    uint32_t o[64];
    for (size_t p = 0; p < pl_scenario_party_count(a); p++) {
        long q = pl_scenario_find_party(b, pl_scenario_party_name(a, p));
        if (q < 0) {
            print_error("%s: party %s lost\n", what, pl_scenario_party_name(a, p));
            fail();
        }
        const pl_ufun *ua = pl_scenario_ufun(a, p), *ub = pl_scenario_ufun(b, (size_t)q);
        assert_double_equal(pl_ufun_reservation(ua), pl_ufun_reservation(ub), 0);
        assert_double_equal(pl_ufun_discount(ua), pl_ufun_discount(ub), 0);
        for (uint64_t k = 0; k < n; k++) {
            pl_space_outcome_at(s, k, o);
            double x = pl_ufun_eval(ua, o), y = pl_ufun_eval(ub, o);
            if (!(fabs(x - y) <= 1e-12)) {
                print_error("%s: party %s outcome %llu: %.17g vs %.17g\n", what, pl_scenario_party_name(a, p),
                            (unsigned long long)k, x, y);
                fail();
            }
        }
    }
}

static void test_round_trips(void **state)
{
    (void)state;
    size_t done = 0;
    for (size_t k = 0; k < N_CORPUS; k++) {
        if (corpus[k].outcomes > 1000000) {
            continue;
        }
        pl_scenario *orig = tu_load1(tu_anac(corpus[k].folder));
        pl_diag d;
        /* Genius XML -> parley JSON (text) -> scenario. */
        char *json;
        assert_int_equal(pl_scenario_to_parley_json(orig, &json, &d), 0);
        pl_scenario *mid = NULL;
        assert_int_equal(pl_scenario_load_parley_json_mem(json, strlen(json), corpus[k].folder, NULL, &mid, &d), 0);
        assert_same_utilities(orig, mid, corpus[k].folder);
        /* -> Genius XML files -> scenario. */
        char dir[256], out[512];
        tu_mkdtemp(dir, sizeof dir);
        snprintf(out, sizeof out, "%s/scenario.xml", dir);
        assert_int_equal(pl_scenario_save_genius_xml(mid, out, &d), 0);
        pl_scenario *back = tu_load1(dir);
        assert_same_utilities(orig, back, corpus[k].folder);
        /* And the parley JSON text is stable: writing the re-read scenario gives the same text. */
        char *json2;
        assert_int_equal(pl_scenario_to_parley_json(mid, &json2, &d), 0);
        assert_string_equal(json, json2);
        pl_free(json);
        pl_free(json2);
        tu_rmtree(dir);
        pl_scenario_free(orig);
        pl_scenario_free(mid);
        pl_scenario_free(back);
        done++;
    }
    print_message("round-tripped %zu scenarios\n", done);
    assert_true(done >= 90);
}

static pl_frontier *frontier_with(const pl_scenario *sc, pl_pareto_algorithm algo)
{
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.algorithm = algo;
    pl_frontier *f = NULL;
    pl_diag d;
    int rc = pl_frontier_compute(sc, &o, &f, &d);
    if (rc < 0) {
        print_error("%s: %s\n", pl_pareto_algorithm_name(algo), d.message);
    }
    assert_int_equal(rc, 0);
    return f;
}

/* The merging algorithm equals the enumerating one on every linear ANAC scenario: same vectors (bit for bit), same
 * counts, same stored outcomes. */
static void test_merge_equals_enumerate(void **state)
{
    (void)state;
    size_t compared = 0;
    for (size_t k = 0; k < N_CORPUS; k++) {
        pl_scenario *sc = tu_load1(tu_anac(corpus[k].folder));
        int linear = 1;
        for (size_t p = 0; p < pl_scenario_party_count(sc); p++) {
            linear &= pl_ufun_kind_of(pl_scenario_ufun(sc, p)) == PL_UFUN_LINEAR;
        }
        if (!linear) {
            pl_scenario_free(sc);
            continue;
        }
        pl_frontier *m = frontier_with(sc, PL_PARETO_MERGE), *e = frontier_with(sc, PL_PARETO_ENUMERATE);
        size_t np = pl_frontier_party_count(m), ni = pl_space_issue_count(pl_scenario_space(sc));
        if (pl_frontier_size(m) != pl_frontier_size(e)) {
            print_error("%s: merge %zu points, enumerate %zu\n", corpus[k].folder, pl_frontier_size(m),
                        pl_frontier_size(e));
            fail();
        }
        for (size_t q = 0; q < pl_frontier_size(m); q++) {
            assert_memory_equal(pl_frontier_utilities(m, q), pl_frontier_utilities(e, q), np * sizeof(double));
            assert_int_equal(pl_frontier_outcome_total(m, q), pl_frontier_outcome_total(e, q));
            assert_int_equal(pl_frontier_outcome_count(m, q), pl_frontier_outcome_count(e, q));
            for (size_t j = 0; j < pl_frontier_outcome_count(m, q); j++) {
                assert_memory_equal(pl_frontier_outcome(m, q, j), pl_frontier_outcome(e, q, j), ni * sizeof(uint32_t));
            }
        }
        pl_frontier_free(m);
        pl_frontier_free(e);
        pl_scenario_free(sc);
        compared++;
    }
    print_message("merge = enumerate on %zu linear scenarios\n", compared);
    assert_int_equal(compared, N_CORPUS - 1); /* all but the 2014 hyper-rectangle one */
}

int main(void)
{
    if (!tu_is_dir(PL_ANAC_DIR)) {
        printf("SKIPPED: ANAC corpus not found at %s\n", PL_ANAC_DIR);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_scenario_loads),
        cmocka_unit_test(test_genius_reference_utilities),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_merge_equals_enumerate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
