/* The ANAC agents against GENIUS's originals (issue 17): for one agent, replays every reference session's (scenario,
 * opponent, order) of ../shared/reference/anac-agents-sessions.json in parley under saop-genius (the record's 1000
 * rounds, seeds 1..3) and prints per opponent x scenario the agreement rate and both sides' mean undiscounted
 * utilities, parley next to the original, the deviations, and a verdict against the target (utilities within 0.05,
 * agreement rates within 10 points).
 * Usage: anac_compare AGENT [--seeds N] [--scenario TEXT] [--opponent NAME] [--ref FILE] [--anac DIR]
 *        anac_compare --all [--quiet | --pin]   (every ANAC agent parley has: the tables, one summary line each, or
 *        the deviations as C initialisers for the test's pinned figures)
 * Exit: 0 when every cell meets the target, 1 when some do not, 2 on bad input. */
#include "anac_ref.h"

#ifndef PL_ANAC_DIR
#define PL_ANAC_DIR "../shared/scenarios/anac"
#endif
#ifndef PL_REFERENCE_DIR
#define PL_REFERENCE_DIR "../shared/reference"
#endif

static const char *const all_agents[] = {"hardheaded", "agentk",    "nozomi",         "yushu",
                                         "agentk2",    "nicetitfortat", "cuhkagent", "gahboninho",
                                         "iamhaggler2011", "thefawkes", "agentlg",  "omacagent"};

static int print_table(const char *agent, const anac_report *r)
{
    printf("%s: %zu parley sessions in %.2f s (%.1f sessions/s)\n", agent, r->sessions, r->seconds,
           r->seconds > 0 ? (double)r->sessions / r->seconds : 0.0);
    printf("%-9s %-22s | %-19s | %-19s | %-19s | %-15s | %s\n", "opponent", "scenario", "agreement par/ref",
           "U_agent par/ref", "U_opp par/ref", "rounds par/ref", "dev agr/Ua/Uo");
    size_t ok = 0;
    double worst_a = 0, worst_o = 0, worst_g = 0;
    const char *opps[3] = {"boulware", "conceder", "linear"};
    for (size_t k = 0; k < 3; k++) {
        for (size_t i = 0; i < r->n; i++) {
            const anac_cell *c = &r->cells[i];
            if (strcmp(c->opponent, opps[k]) != 0) {
                continue;
            }
            int good = anac_cell_ok(c);
            ok += good;
            worst_a = fmax(worst_a, anac_cell_dua(c));
            worst_o = fmax(worst_o, anac_cell_duo(c));
            worst_g = fmax(worst_g, anac_cell_dagree(c));
            printf("%-9s %-22s | %5.2f / %5.2f       | %6.3f / %6.3f     | %6.3f / %6.3f     | %6.0f / %6.0f | "
                   "%4.2f %5.3f %5.3f %s\n",
                   c->opponent, c->scenario, c->par_agree, c->ref_agree, c->par_ua, c->ref_ua, c->par_uo, c->ref_uo,
                   c->par_rounds, c->ref_rounds, anac_cell_dagree(c), anac_cell_dua(c), anac_cell_duo(c),
                   good ? "ok" : "MISS");
        }
    }
    printf("verdict %s: %zu/%zu cells within target (max deviations: agreement %.2f, U_agent %.3f, U_opp %.3f)\n\n",
           agent, ok, r->n, worst_g, worst_a, worst_o);
    return ok == r->n ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *agent = NULL, *only = NULL, *opponent = NULL;
    const char *ref = PL_REFERENCE_DIR "/anac-agents-sessions.json", *anac = PL_ANAC_DIR;
    unsigned seeds = 3;
    int all = 0, quiet = 0, pin = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seeds") == 0 && i + 1 < argc) {
            seeds = (unsigned)atoi(argv[++i]);
        } else if (strcmp(argv[i], "--scenario") == 0 && i + 1 < argc) {
            only = argv[++i];
        } else if (strcmp(argv[i], "--opponent") == 0 && i + 1 < argc) {
            opponent = argv[++i];
        } else if (strcmp(argv[i], "--ref") == 0 && i + 1 < argc) {
            ref = argv[++i];
        } else if (strcmp(argv[i], "--anac") == 0 && i + 1 < argc) {
            anac = argv[++i];
        } else if (strcmp(argv[i], "--all") == 0) {
            all = 1;
        } else if (strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(argv[i], "--pin") == 0) {
            pin = 1;
        } else if (argv[i][0] != '-' && !agent) {
            agent = argv[i];
        } else {
            fprintf(stderr, "usage: anac_compare AGENT|--all [--seeds N] [--scenario TEXT] [--opponent NAME] "
                            "[--ref FILE] [--anac DIR] [--quiet | --pin]\n");
            return 2;
        }
    }
    if (!agent && !all) {
        fprintf(stderr, "anac_compare: name an agent (e.g. hardheaded) or --all\n");
        return 2;
    }
    if (seeds == 0) {
        seeds = 1;
    }
    pl_registry *reg = NULL;
    pl_registry_new(&reg, NULL);
    int status = 0;
    size_t n = all ? sizeof all_agents / sizeof all_agents[0] : 1;
    for (size_t k = 0; k < n; k++) {
        const char *a = all ? all_agents[k] : agent;
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(a, ":"), a);
        if (all && !pl_registry_find(reg, name)) {
            continue;
        }
        anac_report r;
        char err[1024];
        if (anac_compare(ref, anac, a, only, opponent, seeds, &r, err, sizeof err) < 0) {
            fprintf(stderr, "anac_compare: %s\n", err);
            pl_registry_free(reg);
            return 2;
        }
        if (pin) {
            /* C initialisers for tests/unit/test_anac.c: the deviations, rounded up to 0.001. */
            for (size_t i = 0; i < r.n; i++) {
                const anac_cell *c = &r.cells[i];
                printf("    {\"%s\", \"%s\", \"%s\", %.3f, %.3f, %.3f},\n", name, c->opponent, c->scenario,
                       ceil(anac_cell_dagree(c) * 1000) / 1000, ceil(anac_cell_dua(c) * 1000) / 1000,
                       ceil(anac_cell_duo(c) * 1000) / 1000);
            }
        } else if (quiet) {
            size_t ok = 0;
            for (size_t i = 0; i < r.n; i++) {
                ok += anac_cell_ok(&r.cells[i]);
            }
            printf("%-16s %2zu/%2zu cells within target, %.1f sessions/s\n", a, ok, r.n,
                   r.seconds > 0 ? (double)r.sessions / r.seconds : 0.0);
            status |= ok != r.n;
        } else {
            status |= print_table(a, &r);
        }
        anac_report_free(&r);
    }
    pl_registry_free(reg);
    return status;
}
