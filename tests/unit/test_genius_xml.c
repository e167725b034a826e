/* Genius XML: utilities of specific ANAC outcomes computed by hand from the files' numbers, both forms of
 * reservation/discount, explicit file lists, every bad-input case (code, file and line), and writing. */
#include "testutil.h"

static double party_eval(const pl_scenario *sc, const char *party, const char *outcome)
{
    long p = pl_scenario_find_party(sc, party);
    assert_true(p >= 0);
    uint32_t o[64];
    tu_outcome(pl_scenario_space(sc), outcome, o);
    return pl_ufun_eval(pl_scenario_ufun(sc, (size_t)p), o);
}

static void test_travel_by_hand(void **state)
{
    (void)state;
    TU_NEED_ANAC();
    pl_scenario *sc = tu_load1(tu_anac("y2010/Travel"));
    assert_int_equal(pl_scenario_party_count(sc), 2);
    const char *o = "Atmosphere=Hospitality,Amusement=Zoo,Culinary=Local cuisine,Shopping=Streets,Culture=Museum,"
                    "Sport=Hiking,Environment=See, river, etc.";
    /* travel_chox.xml: weight * evaluation / largest evaluation of the issue. */
    double want = 0.3704517173416688 * (370.0 / 370) + 0.04304893094970382 * (262.0 / 370) +
                  0.20809971361039253 * (508.0 / 508) + 0.04308224059878759 * (360.0 / 508) +
                  0.04701364277217884 * (271.0 / 382) + 0.0332933736028529 * (341.0 / 481) +
                  0.25501038112441554 * (26.0 / 316);
    assert_double_equal(party_eval(sc, "travel_chox", o), want, 1e-12);
    assert_double_equal(want, 0.717502921528442, 1e-12);
    pl_scenario_free(sc);
}

static void test_energy_by_hand(void **state)
{
    (void)state;
    TU_NEED_ANAC();
    pl_scenario *sc = tu_load1(tu_anac("y2011/Energy"));
    uint64_t n;
    assert_int_equal(pl_space_outcome_count(pl_scenario_space(sc), &n), 0);
    assert_int_equal(n, 390625);
    const char *o = "0000-0300=25 kW,0300-0600=0 kW,0600-0900=100 kW,0900-1200=50 kW,1200-1500=75 kW,"
                    "1500-1800=25 kW,1800-2100=0 kW,2100-0000=100 kW";
    double consumer = 0.03 * (3.0 / 4) + 0.05 * (4.0 / 4) + 0.07 * (0.0 / 4) + 0.09 * (2.0 / 4) + 0.14 * (2.0 / 8) +
                      0.19 * (7.0 / 8) + 0.24 * (8.0 / 8) + 0.19 * (1.0 / 8);
    double distributor = 0.03 * (2.0 / 5) + 0.04 * (0.0 / 5) + 0.06 * (5.0 / 5) + 0.19 * (5.0 / 7) +
                         0.28 * (6.0 / 7) + 0.23 * (2.0 / 7) + 0.09 * (0.0 / 5) + 0.08 * (5.0 / 5);
    assert_double_equal(party_eval(sc, "energy_consumer", o), consumer, 1e-12);
    assert_double_equal(party_eval(sc, "energy_distributor", o), distributor, 1e-12);
    assert_double_equal(consumer, 0.5825, 1e-12);
    pl_scenario_free(sc);
}

static void test_vacation_integer_evaluator(void **state)
{
    (void)state;
    TU_NEED_ANAC();
    pl_scenario *sc = tu_load1(tu_anac("y2015/group9-vacation"));
    assert_int_equal(pl_scenario_party_count(sc), 3);
    const char *o = "Location=Rome,Travel=Train,Duration (weeks)=3,Activities=Beach,Sleeping=Hostel";
    /* Vacation_util2.xml: the integer issue is slope * (x - lowerbound) + offset. */
    double want = 0.20066840706761038 * (5.0 / 5) + 0.22759659561403653 * (4.0 / 4) +
                  0.22742759974114368 * (-0.16666666666666666 * (3 - 1) + 1.0) + 0.22225123167474164 * (4.0 / 4) +
                  0.1220561659024678 * (3.0 / 5);
    assert_double_equal(party_eval(sc, "Vacation_util2", o), want, 1e-12);
    long p = pl_scenario_find_party(sc, "Vacation_util2");
    assert_double_equal(pl_ufun_reservation(pl_scenario_ufun(sc, (size_t)p)), 0.3, 0);
    pl_scenario_free(sc);
}

static void test_hyper_rectangles_by_hand(void **state)
{
    (void)state;
    TU_NEED_ANAC();
    pl_scenario *sc = tu_load1(tu_anac("y2014/10issues"));
    const pl_space *s = pl_scenario_space(sc);
    assert_int_equal(pl_space_issue_count(s), 10);
    const pl_ufun *u1 = pl_scenario_ufun(sc, 0), *u2 = pl_scenario_ufun(sc, 1);
    assert_int_equal(pl_ufun_kind_of(u1), PL_UFUN_RECT);
    assert_int_equal(pl_ufun_rect_count(u1), 20);
    /* The rectangles each outcome satisfies, read off the profiles (INCLUDES index k = the k-th issue). */
    uint32_t zeros[10] = {0}, nines[10], mixed[10] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
    for (int i = 0; i < 10; i++) {
        nines[i] = 9;
    }
    assert_double_equal(pl_ufun_eval(u1, zeros), (27 + 56 + 1 + 9 + 93) / 662.0, 1e-15);
    assert_double_equal(pl_ufun_eval(u1, nines), 13 / 662.0, 1e-15);
    assert_double_equal(pl_ufun_eval(u1, mixed), (33 + 42 + 27 + 56 + 45 + 1 + 9) / 662.0, 1e-15);
    assert_double_equal(pl_ufun_eval(u2, zeros), (85 + 79 + 89 + 41 + 91 + 67 + 4 + 74) / 885.0, 1e-15);
    assert_double_equal(pl_ufun_eval(u2, nines), (60 + 55 + 62 + 16) / 885.0, 1e-15);
    assert_double_equal(pl_ufun_eval(u2, mixed), (73 + 85 + 79 + 89 + 9 + 41 + 55 + 67 + 4 + 74) / 885.0, 1e-15);
    /* Genius XML output is for linear additive scenarios only. */
    pl_diag d;
    char *dom;
    char **profs;
    assert_int_equal(pl_scenario_to_genius_xml(sc, &dom, &profs, &d), PL_EUNSUPPORTED);
    assert_non_null(strstr(d.message, "linear additive"));
    pl_scenario_free(sc);
}

/* ---- Synthetic files ---- */

static const char *domain_xml =
    "<negotiation_template>\n"
    "  <utility_space number_of_issues=\"2\">\n"
    "    <objective index=\"0\" name=\"root\" type=\"objective\" etype=\"objective\">\n"
    "      <issue index=\"1\" name=\"colour\" type=\"discrete\" etype=\"discrete\" vtype=\"discrete\">\n"
    "        <item index=\"1\" value=\"red\"/>\n"
    "        <item index=\"2\" value=\"blue\"/>\n"
    "      </issue>\n"
    "      <issue index=\"2\" name=\"size\" type=\"integer\" etype=\"integer\" vtype=\"integer\" lowerbound=\"1\" "
    "upperbound=\"4\"/>\n"
    "    </objective>\n"
    "  </utility_space>\n"
    "</negotiation_template>\n";

/* A profile with placeholders: reservation/discount block, weight of colour, evaluation of blue. */
static void profile_xml(char *buf, size_t size, const char *settings, const char *wcolour, const char *eblue)
{
    snprintf(buf, size,
             "<utility_space>\n"
             "%s"
             "  <objective index=\"0\" name=\"root\" type=\"objective\" etype=\"objective\">\n"
             "    <issue index=\"1\" name=\"colour\" type=\"discrete\">\n"
             "      <item index=\"1\" value=\"red\" evaluation=\"4\"/>\n"
             "      <item index=\"2\" value=\"blue\" evaluation=\"%s\"/>\n"
             "    </issue>\n"
             "    <issue index=\"2\" name=\"size\" type=\"integer\" lowerbound=\"1\" upperbound=\"4\">\n"
             "      <evaluator ftype=\"linear\" slope=\"0.25\" offset=\"0.25\"/>\n"
             "    </issue>\n"
             "    <weight index=\"1\" value=\"%s\"/>\n"
             "    <weight index=\"2\" value=\"0.4\"/>\n"
             "  </objective>\n"
             "</utility_space>\n",
             settings, eblue, wcolour);
}

typedef struct fixture {
    char dir[256];
    char dom[512], p1[512], p2[512];
} fixture;

static void write_fixture(fixture *f, const char *settings1, const char *w1, const char *e1)
{
    char prof[4096];
    tu_mkdtemp(f->dir, sizeof f->dir);
    tu_write(f->dir, "domain.xml", domain_xml, f->dom, sizeof f->dom);
    profile_xml(prof, sizeof prof, settings1, w1, e1);
    tu_write(f->dir, "alice.xml", prof, f->p1, sizeof f->p1);
    profile_xml(prof, sizeof prof, "  <reservation>0.25</reservation>\n  <discount_factor> 0.5 </discount_factor>\n",
                "0.6", "2");
    tu_write(f->dir, "bob.xml", prof, f->p2, sizeof f->p2);
}

static void test_synthetic_both_setting_forms(void **state)
{
    (void)state;
    fixture f;
    write_fixture(&f, "  <reservation value=\"0.1\"/>\n  <discount_factor value=\"0.9\"/>\n", "0.6", "1");
    pl_scenario *sc = tu_load1(f.dir);
    assert_int_equal(pl_scenario_party_count(sc), 2);
    assert_string_equal(pl_scenario_party_name(sc, 0), "alice");
    const pl_ufun *a = pl_scenario_ufun(sc, 0), *b = pl_scenario_ufun(sc, 1);
    assert_double_equal(pl_ufun_reservation(a), 0.1, 0);
    assert_double_equal(pl_ufun_discount(a), 0.9, 0);
    assert_double_equal(pl_ufun_reservation(b), 0.25, 0);
    assert_double_equal(pl_ufun_discount(b), 0.5, 0);
    /* blue: 1/4; size 3: 0.25 * (3 - 1) + 0.25 = 0.75; size 4: 1.0 (clamped at 1). */
    assert_double_equal(party_eval(sc, "alice", "colour=blue,size=3"), 0.6 * 0.25 + 0.4 * 0.75, 1e-15);
    assert_double_equal(party_eval(sc, "bob", "colour=blue,size=4"), 0.6 * 0.5 + 0.4 * 1.0, 1e-15);
    pl_scenario_free(sc);

    /* Explicit files, in any order, give the same scenario. */
    const char *paths[3] = {f.p2, f.dom, f.p1};
    pl_diag d;
    assert_int_equal(pl_scenario_load(paths, 3, NULL, &sc, &d), 0);
    assert_string_equal(pl_scenario_party_name(sc, 0), "bob");
    assert_double_equal(party_eval(sc, "alice", "colour=red,size=1"), 0.6 + 0.4 * 0.25, 1e-15);
    pl_scenario_free(sc);
    tu_rmtree(f.dir);
}

/* Load the fixture folder expecting failure with code and a message fragment at file:line. */
static void expect_fail(const char *path, int code, const char *file_part, int line, const char *msg_part)
{
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    const char *paths[1] = {path};
    int rc = pl_scenario_load(paths, 1, NULL, &sc, &d);
    char buf[1500];
    pl_diag_format(&d, buf, sizeof buf);
    if (rc != code || (msg_part && !strstr(d.message, msg_part)) || (file_part && !strstr(d.file, file_part)) ||
        (line >= 0 && d.line != line)) {
        print_error("got rc=%d: %s\nexpected rc=%d, file ~ %s, line %d, message ~ %s\n", rc, buf, code,
                    file_part ? file_part : "-", line, msg_part ? msg_part : "-");
        fail();
    }
    assert_null(sc);
}

static void test_bad_profiles(void **state)
{
    (void)state;
    fixture f;
    /* Non-numeric evaluation: the line of the <item>. */
    write_fixture(&f, "", "0.6", "lots");
    expect_fail(f.dir, PL_EPARSE, "alice.xml", 5, "not a number");
    tu_rmtree(f.dir);
    /* Negative and NaN weights. */
    write_fixture(&f, "", "-0.6", "1");
    expect_fail(f.dir, PL_ERANGE, "alice.xml", 10, "negative");
    tu_rmtree(f.dir);
    write_fixture(&f, "", "NaN", "1");
    expect_fail(f.dir, PL_EPARSE, "alice.xml", 10, "not a number");
    tu_rmtree(f.dir);
    /* Negative evaluation. */
    write_fixture(&f, "", "0.6", "-1");
    expect_fail(f.dir, PL_ERANGE, "alice.xml", 5, "negative");
    tu_rmtree(f.dir);
    /* Non-numeric reservation (text form). */
    write_fixture(&f, "<reservation>high</reservation>\n", "0.6", "1");
    expect_fail(f.dir, PL_EPARSE, "alice.xml", 2, "reservation");
    tu_rmtree(f.dir);
}

static void test_bad_files(void **state)
{
    (void)state;
    fixture f;
    char path[512], prof[4096];
    write_fixture(&f, "", "0.6", "1");
    /* An unknown value in a profile. */
    profile_xml(prof, sizeof prof, "", "0.6", "1");
    char *p = strstr(prof, "\"blue\"");
    memcpy(p, "\"pink\"", 6);
    tu_write(f.dir, "alice.xml", prof, path, sizeof path);
    expect_fail(f.dir, PL_ENOTFOUND, "alice.xml", 5, "pink");
    /* A missing attribute. */
    profile_xml(prof, sizeof prof, "", "0.6", "1");
    p = strstr(prof, " evaluation=\"4\"");
    memset(p, ' ', strlen(" evaluation=\"4\""));
    tu_write(f.dir, "alice.xml", prof, path, sizeof path);
    expect_fail(f.dir, PL_EPARSE, "alice.xml", 4, "no evaluation attribute");
    /* Malformed XML: line and column of the error. */
    tu_write(f.dir, "alice.xml", "<utility_space>\n  <objective>\n  </objektive>\n</utility_space>\n", path,
             sizeof path);
    expect_fail(f.dir, PL_EPARSE, "alice.xml", 3, "malformed XML");
    /* Truncated file. */
    profile_xml(prof, sizeof prof, "", "0.6", "1");
    prof[strlen(prof) / 2] = '\0';
    tu_write(f.dir, "alice.xml", prof, path, sizeof path);
    expect_fail(f.dir, PL_EPARSE, "alice.xml", -1, "malformed XML");
    /* Empty file. */
    tu_write(f.dir, "alice.xml", "", path, sizeof path);
    expect_fail(f.dir, PL_EPARSE, "alice.xml", 1, "empty file");
    tu_rmtree(f.dir);

    /* A folder with no domain; with one profile; an unknown issue type. */
    write_fixture(&f, "", "0.6", "1");
    unlink(f.dom);
    expect_fail(f.dir, PL_EINVAL, NULL, -1, "no Genius domain");
    tu_write(f.dir, "domain.xml", domain_xml, path, sizeof path);
    unlink(f.p2);
    expect_fail(f.dir, PL_EINVAL, NULL, -1, "at least 2 profiles");
    char dom[2048];
    snprintf(dom, sizeof dom, "%s", domain_xml);
    p = strstr(dom, "type=\"integer\"");
    memcpy(p, "type=\"complex\"", 14);
    tu_write(f.dir, "domain.xml", dom, path, sizeof path);
    profile_xml(prof, sizeof prof, "", "0.6", "1");
    tu_write(f.dir, "bob.xml", prof, path, sizeof path);
    expect_fail(f.dir, PL_EUNSUPPORTED, "domain.xml", 8, "complex");
    /* A lone XML file is not a scenario. */
    expect_fail(f.p1, PL_EINVAL, "alice.xml", -1, "domain plus one profile");
    tu_rmtree(f.dir);

    /* Nonexistent path; empty folder. */
    expect_fail("/nonexistent/parley/scenario", PL_EIO, "nonexistent", -1, "cannot open");
    char empty[256];
    tu_mkdtemp(empty, sizeof empty);
    expect_fail(empty, PL_EINVAL, NULL, -1, "no scenario files");
    tu_rmtree(empty);
}

static void test_write_and_reread(void **state)
{
    (void)state;
    fixture f;
    write_fixture(&f, "  <reservation value=\"0.1\"/>\n  <discount_factor value=\"0.9\"/>\n", "0.6", "3");
    pl_scenario *sc = tu_load1(f.dir);
    char out[512], prof[512];
    snprintf(out, sizeof out, "%s/out/copy.xml", f.dir);
    pl_diag d;
    /* The output folder does not exist: nothing is written. */
    assert_int_equal(pl_scenario_save_genius_xml(sc, out, &d), PL_EIO);
    snprintf(out, sizeof out, "%s/out", f.dir);
    assert_int_equal(mkdir(out, 0777), 0);
    snprintf(out, sizeof out, "%s/out/copy.xml", f.dir);
    assert_int_equal(pl_scenario_save_genius_xml(sc, out, &d), 0);
    snprintf(prof, sizeof prof, "%s/out/copy-alice.xml", f.dir);
    assert_true(tu_exists(prof));
    snprintf(out, sizeof out, "%s/out", f.dir);
    pl_scenario *back = tu_load1(out);
    assert_int_equal(pl_scenario_party_count(back), 2);
    uint64_t n;
    assert_int_equal(pl_space_outcome_count(pl_scenario_space(back), &n), 0);
    assert_int_equal(n, 8);
    uint32_t o[2];
    for (uint64_t k = 0; k < n; k++) {
        pl_space_outcome_at(pl_scenario_space(sc), k, o);
        for (size_t p = 0; p < 2; p++) {
            long q = pl_scenario_find_party(back, pl_scenario_party_name(sc, p));
            assert_true(q >= 0);
            assert_double_equal(pl_ufun_eval(pl_scenario_ufun(back, (size_t)q), o),
                                pl_ufun_eval(pl_scenario_ufun(sc, p), o), 1e-12);
        }
    }
    assert_double_equal(pl_ufun_reservation(pl_scenario_ufun(back, 0)), 0.1, 0);
    pl_scenario_free(back);
    pl_scenario_free(sc);
    tu_rmtree(f.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_travel_by_hand),
        cmocka_unit_test(test_energy_by_hand),
        cmocka_unit_test(test_vacation_integer_evaluator),
        cmocka_unit_test(test_hyper_rectangles_by_hand),
        cmocka_unit_test(test_synthetic_both_setting_forms),
        cmocka_unit_test(test_bad_profiles),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_write_and_reread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
