/* parley run: one negotiation session between agents (SAOP, or the mediated single-text protocol), printed as a
 * summary or JSON, optionally traced to JSONL. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

typedef struct run_args {
    const char *agents;
    const char *trace;
    const char *mediator; /* --mediator: a party name or "neutral"; resolved once the scenario is loaded */
    int order_given;
    const char **libs;
    size_t n_libs;
    int json;
    const char *out; /* --out FILE: the JSON result, written atomically */
    uint64_t memory_mib; /* --memory-limit */
    pl_session_options so;
} run_args;

/* ---- The trace: one JSON object per action, written to a temporary file renamed into place at the end ---- */

typedef struct trace_file {
    FILE *f;
    char *tmp;
    pl_trace_writer w; /* the library writes each line (parley/record.h); this file only stores them */
} trace_file;

static int trace_put(void *ud, const char *text, size_t len)
{
    return fwrite(text, 1, len, ud) == len ? 0 : PL_EIO;
}

static const char *mediator_name(const pl_scenario *sc, long mediator)
{
    return mediator >= 0 ? pl_scenario_party_name(sc, (size_t)mediator) : "neutral";
}

static int trace_open(trace_file *tf, const char *path, const pl_scenario *sc)
{
    memset(tf, 0, sizeof *tf);
    size_t len = strlen(path);
    tf->tmp = malloc(len + 16);
    if (!tf->tmp) {
        return -1;
    }
    snprintf(tf->tmp, len + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tf->tmp);
    if (fd < 0 || !(tf->f = fdopen(fd, "w"))) {
        fprintf(stderr, "parley: %s: cannot write the trace: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tf->tmp);
        }
        free(tf->tmp);
        tf->tmp = NULL;
        return -1;
    }
    pl_trace_writer_init(&tf->w, sc, trace_put, tf->f);
    return 0;
}

/* Close; rename into place when ok, else remove. Returns 0 when the trace is in place. */
static int trace_close(trace_file *tf, const char *path, int ok)
{
    int rc = 0;
    if (!tf->f) {
        return 0;
    }
    if (fclose(tf->f) != 0 || tf->w.rc < 0) {
        fprintf(stderr, "parley: %s: cannot write the trace\n", path);
        ok = 0;
        rc = -1;
    }
    if (ok) {
        /* mkstemp creates 0600; give the trace the usual permissions (0666 & ~umask), as every other writer does. */
        mode_t mask = umask(0);
        umask(mask);
        chmod(tf->tmp, 0666 & ~mask);
    }
    if (ok && rename(tf->tmp, path) != 0) {
        fprintf(stderr, "parley: %s: cannot write the trace: %s\n", path, strerror(errno));
        rc = -1;
        ok = 0;
    }
    if (!ok) {
        unlink(tf->tmp);
    }
    free(tf->tmp);
    tf->f = NULL;
    return rc;
}

/* ---- Output ---- */

/* The JSON result, from the library's writer (parley/record.h): printed, or saved atomically to path. */
static int print_json(const pl_scenario *sc, pl_agent_spec **agents, const run_args *a, const pl_session_result *r,
                      const char *path)
{
    size_t np = pl_scenario_party_count(sc);
    const char **specs = calloc(np ? np : 1, sizeof *specs);
    if (!specs) {
        return EXIT_FAIL;
    }
    for (size_t k = 0; k < np; k++) {
        specs[k] = pl_agent_spec_text(agents[k]);
    }
    pl_run_info info;
    pl_run_info_init(&info, &a->so);
    info.agents = specs;
    pl_diag d;
    pl_diag_clear(&d);
    char *text = NULL;
    int e = path ? pl_run_save_json(sc, &info, r, path, &d) : pl_run_to_json(sc, &info, r, &text, &d);
    free(specs);
    if (e < 0) {
        cli_report(&d);
        return EXIT_FAIL;
    }
    int rc = text ? cli_emit(text) : EXIT_OK;
    pl_free(text);
    return rc;
}

static void print_number(const char *label, double x)
{
    if (isnan(x)) {
        printf("%s n/a", label);
    } else {
        printf("%s %.4f", label, x);
    }
}

static void print_outcome(const pl_space *sp, const uint32_t *o)
{
    for (size_t i = 0; i < pl_space_issue_count(sp); i++) {
        char lab[64];
        printf("%s %s=%s", i ? "," : "", pl_space_issue_name(sp, i),
               pl_space_value_label(sp, i, o[i], lab, sizeof lab));
    }
    printf("\n");
}

static int print_text(const pl_scenario *sc, pl_agent_spec **agents, const run_args *a, const pl_session_result *r)
{
    size_t np = pl_scenario_party_count(sc);
    const pl_space *sp = pl_scenario_space(sc);
    int st = a->so.protocol == PL_PROTOCOL_SINGLE_TEXT;
    int pw = 5, aw = 5;
    for (size_t k = 0; k < np; k++) {
        int l = (int)strlen(pl_scenario_party_name(sc, k));
        pw = l > pw ? l : pw;
        l = (int)strlen(pl_agent_spec_text(agents[k]));
        aw = l > aw ? l : aw;
    }
    printf("Session:    %s, %s", pl_scenario_name(sc)[0] ? pl_scenario_name(sc) : "(unnamed)",
           pl_protocol_name(a->so.protocol));
    if (st) {
        printf(", mediator %s (%s order)", mediator_name(sc, a->so.mediator), pl_mediator_order_name(a->so.mediator_order));
    }
    if (a->so.rounds) {
        printf(", deadline %llu %s", (unsigned long long)a->so.rounds, st ? "steps" : "rounds");
    }
    if (a->so.time_limit > 0) {
        printf(", time limit %g s", a->so.time_limit);
    }
    printf(", seed %llu\n", (unsigned long long)a->so.seed);
    printf("Result:     %s: %s", pl_session_status_name(r->status), r->reason);
    if (a->so.protocol == PL_PROTOCOL_SAOP_GENIUS) {
        printf(" (GENIUS round %llu; GENIUS's CSV log shows %llu)", (unsigned long long)r->rounds,
               (unsigned long long)r->rounds + 1);
    }
    printf("\n");
    if (st) {
        printf("Steps:      t = %.4f after %llu steps: %llu change%s stood, %llu votes (%.3f ms)\n", r->t,
               (unsigned long long)r->rounds, (unsigned long long)r->changes, r->changes == 1 ? "" : "s",
               (unsigned long long)r->actions, r->seconds * 1e3);
    } else if (isnan(r->t)) { /* an isolated session that was killed: no last action to time */
        printf("Time:       stopped in round %llu after %.3f ms\n", (unsigned long long)r->rounds, r->seconds * 1e3);
    } else {
        printf("Time:       t = %.4f after %llu actions in %llu rounds (%.3f ms)\n", r->t,
               (unsigned long long)r->actions, (unsigned long long)r->rounds, r->seconds * 1e3);
    }
    if (st && r->final_text) {
        printf("Final text:");
        print_outcome(sp, r->final_text);
    }
    if (r->has_agreement) {
        printf("Agreement: ");
        if (st) {
            printf(" the final text\n");
        } else {
            print_outcome(sp, r->agreement);
        }
    } else {
        printf("Agreement:  none (every party gets its reservation value)\n");
    }
    if (st && r->final_text) {
        /* Where the talks stood: each party's utility of the final text, agreed or not. */
        printf("\n  %-*s  %-*s  %10s  %10s  %10s  %11s\n", pw, "party", aw, "agent", "final text", "utility",
               "discounted", "reservation");
        for (size_t k = 0; k < np; k++) {
            printf("  %-*s  %-*s  %10.6f  %10.6f  %10.6f  %11.6f\n", pw, pl_scenario_party_name(sc, k), aw,
                   pl_agent_spec_text(agents[k]), pl_ufun_eval(pl_scenario_ufun(sc, k), r->final_text),
                   r->raw_utilities[k], r->utilities[k], pl_ufun_reservation(pl_scenario_ufun(sc, k)));
        }
    } else {
        printf("\n  %-*s  %-*s  %10s  %10s  %11s\n", pw, "party", aw, "agent", "utility", "discounted", "reservation");
        for (size_t k = 0; k < np; k++) {
            printf("  %-*s  %-*s  %10.6f  %10.6f  %11.6f\n", pw, pl_scenario_party_name(sc, k), aw,
                   pl_agent_spec_text(agents[k]), r->raw_utilities[k], r->utilities[k],
                   pl_ufun_reservation(pl_scenario_ufun(sc, k)));
        }
    }
    printf("\nMetrics:    individually rational: %s;", r->individually_rational ? "yes" : "no");
    print_number(" welfare", r->welfare);
    printf(";");
    print_number(" distance to Pareto", r->pareto_distance);
    printf(";");
    print_number(" to Nash", r->nash_distance);
    printf("\n");
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* ---- Command ---- */

typedef struct run_cli {
    cli_scenario_args sa;
    run_args a;
} run_cli;

static const cli_opt run_opts[] = {
    {.name = "--agents", .short_name = 'a', .kind = CLI_STR, .off = offsetof(run_cli, a.agents), .arg = "LIST",
     .help = "agents by name with parameters, e.g. boulware,conceder or\n"
             "timebased:e=0.5,boa:bidding=boulware,accept=combi(t=0.98) (see parley agents)"},
    {.name = "--rounds", .kind = CLI_U64, .off = offsetof(run_cli, a.so.rounds), .arg = "N", .max = 1000000000,
     .help = "round deadline (default 1000; with only --time-limit, no round deadline); under\n"
             "single-text, the number of steps (proposals)"},
    {.name = "--time-limit", .kind = CLI_DOUBLE, .off = offsetof(run_cli, a.so.time_limit), .arg = "S", .positive = 1,
     .help = "wall-clock deadline in seconds"},
    {.name = "--seed", .kind = CLI_U64, .off = offsetof(run_cli, a.so.seed), .arg = "S",
     .help = "seed of every random choice (default 1)"},
    {.name = "--protocol", .kind = CLI_CHOICE, .off = offsetof(run_cli, a.so.protocol), .arg = "P",
     .choices = "saop|saop-genius|single-text", .parse = cli_parse_protocol,
     .help = "saop (default), saop-genius (GENIUS 10.4's clock, see docs/genius.md) or single-text"},
    {.name = "--mediator", .kind = CLI_STR, .off = offsetof(run_cli, a.mediator), .arg = "M",
     .help = "single-text: a party's name (it proposes the change best for itself) or neutral\n"
             "(default: proposes a random change)"},
    {.name = "--mediator-order", .kind = CLI_CHOICE, .off = offsetof(run_cli, a.so.mediator_order), .arg = "O",
     .choices = "random|systematic", .parse = cli_parse_mediator_order,
     .help = "single-text: how the mediator picks the issue to change: random (default) or\n"
             "systematic (round-robin)"},
    {.name = "--trace", .kind = CLI_STR, .off = offsetof(run_cli, a.trace), .arg = "FILE",
     .help = "write every action as one JSON object per line (docs/formats.md)"},
    {.name = "--out", .kind = CLI_STR, .off = offsetof(run_cli, a.out), .arg = "FILE",
     .help = "also write the --json result to FILE (atomically), e.g. for parley report --run"},
    {.name = "--json", .kind = CLI_FLAG, .off = offsetof(run_cli, a.json),
     .help = "print the result as JSON (docs/formats.md)"},
    {.name = "--no-metrics", .kind = CLI_SET, .off = offsetof(run_cli, a.so.metrics), .ival = 0,
     .help = "skip the Pareto/Nash distances (they need the scenario's frontier)"},
    {.name = "--agent-lib", .kind = CLI_STRS, .off = offsetof(run_cli, a.libs), .off2 = offsetof(run_cli, a.n_libs),
     .arg = "LIB", .help = "load agents from a plug-in shared library (repeatable; docs/agents.md)"},
    {.name = "--isolate", .kind = CLI_SET, .off = offsetof(run_cli, a.so.isolate), .ival = PL_ISOLATE_ON,
     .help = "run the session in a child process when a plug-in agent plays: a crash, a hang (past\n"
             "--call-limit or --time-limit) or a memory hog becomes status crash, timeout or memory"},
    {.name = "--no-isolate", .kind = CLI_SET, .off = offsetof(run_cli, a.so.isolate), .ival = PL_ISOLATE_OFF,
     .help = "run in this process (the default for run): nothing can stop an agent that never returns"},
    {.name = "--call-limit", .kind = CLI_DOUBLE, .off = offsetof(run_cli, a.so.call_limit), .arg = "S",
     .positive = 1, .help = "isolated: seconds one agent call may take (default 10, or --time-limit if smaller)"},
    {.name = "--memory-limit", .kind = CLI_U64, .off = offsetof(run_cli, a.memory_mib), .arg = "MiB", .min = 1,
     .max = 1 << 30, .help = "isolated: MiB the agents' process may grow by (default 2048)"},
    CLI_OPT_REAL_LEVELS(offsetof(run_cli, sa.opts.real_levels)),
    CLI_OPT_STRICT(offsetof(run_cli, sa.opts.strict)),
};

const cli_cmd cli_cmd_run = {
    .name = "run",
    .synopsis = "run SCENARIO... --agents A,B",
    .summary = "one negotiation session between agents",
    .usage = "Usage: parley run SCENARIO... --agents A,B[,C...] [--rounds N] [--time-limit S] [--seed S] [--json]\n"
             "                  [--trace FILE.jsonl] [--protocol saop|saop-genius|single-text] [--agent-lib LIB.so]...\n"
             "                  [--mediator PARTY|neutral] [--mediator-order random|systematic]\n"
             "                  [--isolate [--call-limit S] [--memory-limit MiB]]\n",
    .description =
        "Run one negotiation session under the stacked alternating offers protocol, one agent per party in party\n"
        "order (the first party opens). Prints the result: agreement (or none, and why), each party's utility (raw and\n"
        "discounted at the agreement's time), rounds, and metrics (individual rationality, welfare, distance to the\n"
        "Pareto frontier and to the Nash point). The same seed gives the same session, always.\n"
        "\n"
        "With --protocol single-text a mediator holds one text (a full outcome, starting at the status quo) and each\n"
        "step proposes it with one issue changed; every party votes and the change stands unless a party rejects it.\n"
        "At the deadline the text is the agreement if every party finds it acceptable (docs/agents.md). The agents must\n"
        "be voters (hill-climber, annealer); without --agents every party is a hill-climber.\n"
        "\n"
        "Plug-in agents (--agent-lib) run in this process unless --isolate is given: then the session runs in a child\n"
        "process and an agent that crashes, calls exit, hangs past the call limit or grows past the memory limit ends\n"
        "it with status crash, timeout or memory, naming the agent, the signal or limit, and the round. Without\n"
        "isolation nothing can stop an agent that never returns (the time limit is checked between calls only).\n",
    .epilog = "Exit status: 0 the session ran (whatever its status: crash, timeout and memory included), 1 failure,\n"
              "2 bad input or an agent that could not start.\n",
    .opts = run_opts,
    .n_opts = sizeof run_opts / sizeof run_opts[0],
    CLI_SCENARIO_POSITIONALS(run_cli),
    .run = cmd_run,
};

static int parse_args(int argc, char **argv, run_args *a, cli_scenario_args *sa, int *done)
{
    run_cli c = {.sa = *sa, .a = *a};
    unsigned given[sizeof run_opts / sizeof run_opts[0]];
    int rc, failed = cli_parse(&cli_cmd_run, argc, argv, &c, given, &rc);
    *a = c.a; /* the arrays the parser allocated are freed by the caller */
    *sa = c.sa;
    if (failed) {
        *done = 1;
        return rc;
    }
    int rounds_given = cli_given(&cli_cmd_run, given, "--rounds") > 0;
    a->order_given = cli_given(&cli_cmd_run, given, "--mediator-order") > 0;
    int st = a->so.protocol == PL_PROTOCOL_SINGLE_TEXT;
    if (!a->agents && !st) {
        return cli_usage_error("run", "no agents given (--agents A,B; parley agents lists them)");
    }
    if (!st && (a->mediator || a->order_given)) {
        return cli_usage_error("run", "%s needs --protocol single-text",
                               a->mediator ? "--mediator" : "--mediator-order");
    }
    if (!rounds_given && a->so.time_limit > 0) {
        a->so.rounds = 0; /* a time limit alone */
    }
    if (a->so.rounds == 0 && !(a->so.time_limit > 0)) {
        return cli_usage_error("run", "a session needs a deadline: --rounds N (N > 0) and/or --time-limit S");
    }
    a->so.memory_limit = a->memory_mib << 20;
    return 0;
}

/* --mediator NAME|neutral into so.mediator. */
static int resolve_mediator(run_args *a, const pl_scenario *sc)
{
    if (!a->mediator || strcmp(a->mediator, "neutral") == 0) {
        a->so.mediator = -1;
        return 0;
    }
    long p = pl_scenario_find_party(sc, a->mediator);
    if (p < 0) {
        char list[256];
        size_t len = 0;
        list[0] = '\0';
        for (size_t k = 0; k < pl_scenario_party_count(sc); k++) {
            int w = snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "", pl_scenario_party_name(sc, k));
            if (w < 0 || (size_t)w >= sizeof list - len) {
                break;
            }
            len += (size_t)w;
        }
        return cli_usage_error("run", "--mediator: no party named '%s' (parties: %s; or neutral)", a->mediator, list);
    }
    a->so.mediator = p;
    return 0;
}

static int default_voters(size_t np, char ***names, size_t *n)
{
    *names = calloc(np, sizeof **names);
    if (!*names) {
        return EXIT_FAIL;
    }
    for (*n = 0; *n < np; (*n)++) {
        if (!((*names)[*n] = strdup("hill-climber"))) {
            return EXIT_FAIL;
        }
    }
    return 0;
}

int cmd_run(int argc, char **argv)
{
    run_args a;
    memset(&a, 0, sizeof a);
    pl_session_options_init(&a.so);
    cli_scenario_args sa;
    int rc = EXIT_OK, done = 0;
    pl_scenario *sc = NULL;
    pl_registry *reg = NULL;
    pl_negotiation *neg = NULL;
    pl_agent_spec **agents = NULL;
    char **names = NULL;
    size_t n_names = 0;
    pl_session_result r;
    pl_session_result_init(&r);
    trace_file tf = {0};
    cli_scenario_args_init(&sa);
    if ((rc = parse_args(argc, argv, &a, &sa, &done)) != 0 || done) {
        goto done;
    }
    if ((rc = cli_load(&sa, "run", &sc)) != 0) {
        goto done;
    }
    if ((rc = cli_registry(a.libs, a.n_libs, &reg)) != 0) {
        goto done;
    }
    pl_diag d;
    pl_diag_clear(&d);
    size_t np = pl_scenario_party_count(sc);
    if ((rc = resolve_mediator(&a, sc)) != 0) {
        goto done;
    }
    if (!a.agents) {
        /* Single-text without --agents: every party votes as a hill-climber. */
        rc = default_voters(np, &names, &n_names);
        if (rc != 0) {
            goto done;
        }
    } else if (pl_agent_list_split(a.agents, &names, &n_names, &d) < 0) {
        cli_report(&d);
        rc = EXIT_USAGE;
        goto done;
    }
    if (n_names != np) {
        rc = cli_usage_error("run", "%zu agent%s for %zu parties: give one agent per party, in party order", n_names,
                             n_names == 1 ? "" : "s", np);
        goto done;
    }
    agents = calloc(np, sizeof *agents);
    if (!agents) {
        rc = EXIT_FAIL;
        goto done;
    }
    for (size_t k = 0; k < np; k++) {
        int prc = pl_agent_spec_parse(reg, names[k], &agents[k], &d);
        if (prc < 0) {
            cli_report(&d);
            rc = cli_exit_for(prc);
            goto done;
        }
    }
    if (pl_negotiation_new(sc, NULL, &neg, &d) < 0) {
        cli_report(&d);
        rc = EXIT_FAIL;
        goto done;
    }
    if (a.trace) {
        if (trace_open(&tf, a.trace, sc) < 0) {
            rc = EXIT_FAIL;
            goto done;
        }
        a.so.on_action = pl_trace_on_action;
        a.so.action_ud = &tf.w;
    }
    int src = pl_session_run(neg, (const pl_agent_spec *const *)agents, np, &a.so, &r, &d);
    /* A session whose agent could not start exits 2 below: bad input leaves no file behind. */
    if (a.trace && trace_close(&tf, a.trace, src == 0 && r.status != PL_SESSION_ERROR) < 0) {
        rc = EXIT_FAIL;
        goto done;
    }
    if (src < 0) {
        cli_report(&d);
        rc = cli_exit_for(src);
        goto done;
    }
    rc = a.json ? print_json(sc, agents, &a, &r, NULL) : print_text(sc, agents, &a, &r);
    if (rc == EXIT_OK && a.out && r.status != PL_SESSION_ERROR) {
        rc = print_json(sc, agents, &a, &r, a.out);
    }
    if (rc == EXIT_OK && r.status == PL_SESSION_ERROR) {
        /* An agent that cannot start was given bad parameters (or memory ran out): say so, as for bad input. */
        fprintf(stderr, "parley: %s\n", r.reason);
        rc = EXIT_USAGE;
    }
done:
    if (tf.f) {
        trace_close(&tf, a.trace, 0);
    }
    pl_session_result_free(&r);
    for (size_t k = 0; agents && k < pl_scenario_party_count(sc); k++) {
        pl_agent_spec_free(agents[k]);
    }
    free(agents);
    for (size_t k = 0; k < n_names; k++) {
        pl_free(names[k]);
    }
    pl_free(names);
    pl_negotiation_free(neg);
    pl_registry_free(reg);
    pl_scenario_free(sc);
    free(a.libs);
    free(sa.paths);
    return rc;
}
