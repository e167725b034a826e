/* A consumer of the installed libparley (tests/install/run.sh builds it with pkg-config and with
 * find_package(parley)): loads a scenario and prints its name, party count and outcome count. */
#include <stdint.h>
#include <stdio.h>

#include <parley/parley.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: count_outcomes SCENARIO...\n");
        return 2;
    }
    pl_scenario *sc = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    if (pl_scenario_load((const char *const *)(argv + 1), (size_t)(argc - 1), NULL, &sc, &d) < 0) {
        char buf[512];
        fprintf(stderr, "count_outcomes: %s\n", pl_diag_format(&d, buf, sizeof buf));
        return 1;
    }
    uint64_t n = 0;
    int rc = pl_space_outcome_count(pl_scenario_space(sc), &n);
    printf("%s: %zu parties, %llu outcomes (libparley %s)\n", pl_scenario_name(sc), pl_scenario_party_count(sc),
           (unsigned long long)n, pl_version());
    pl_scenario_free(sc);
    return rc < 0;
}
