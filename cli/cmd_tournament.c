/* parley tournament: every agent against every other over scenarios and repetitions, on threads (and MPI ranks),
 * stored in an SQLite database that resumes after a crash or Ctrl-C; prints and writes per-agent statistics. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "parley/plot.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void warn_cb(void *ud, const char *message)
{
    (void)ud;
    fprintf(stderr, "parley: warning: %s\n", message);
}

static int cancel_cb(void *ud)
{
    (void)ud;
    return interrupted;
}

/* ---- Progress: a bar on a terminal, a line per 10% otherwise ---- */

typedef struct progress {
    int tty, quiet, started, last_decile;
    uint64_t base;
    double t0;
} progress;

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void progress_cb(void *ud, uint64_t done, uint64_t total)
{
    progress *p = ud;
    if (p->quiet || total == 0) {
        return;
    }
    double now = wall();
    if (!p->started) {
        p->started = 1;
        p->base = done;
        p->t0 = now;
        p->last_decile = (int)(done * 10 / total);
    }
    double el = now - p->t0;
    double rate = el > 0 ? (double)(done - p->base) / el : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    if (p->tty) {
        int width = 30, fill = (int)((double)width * (double)done / (double)total);
        char bar[64];
        for (int k = 0; k < width; k++) {
            bar[k] = k < fill ? '#' : '.';
        }
        bar[width] = 0;
        fprintf(stderr, "\r[%s] %llu/%llu  %.0f sessions/s  ETA %d:%02d   ", bar, (unsigned long long)done,
                (unsigned long long)total, rate, (int)(eta / 60), (int)fmod(eta, 60));
        if (done == total) {
            fputc('\n', stderr);
        }
    } else {
        int dec = (int)(done * 10 / total);
        if (dec > p->last_decile) {
            p->last_decile = dec;
            fprintf(stderr, "parley: %llu/%llu sessions (%d%%), %.0f sessions/s, ETA %.0f s\n",
                    (unsigned long long)done, (unsigned long long)total, dec * 10, rate, eta);
        }
    }
}

/* ---- Arguments ---- */

typedef struct targs {
    pl_tournament_options o;
    const char **scen, **libs, **agent_items;
    char **names;
    size_t n_names;
    const char *agents, *out, *resume;
    int quiet, report;
    uint64_t memory_mib; /* --memory-limit */
    /* Which plan parameters the command line gave (for --resume). */
    int g_agents, g_scen, g_libs, g_reps, g_self, g_seed, g_proto, g_rounds, g_tl, g_levels, g_metrics;
    int g_isolate, g_call, g_memory;
} targs;


static const cli_opt tournament_opts[] = {
    {.name = "--agents", .short_name = 'a', .kind = CLI_STR, .off = offsetof(targs, agents), .arg = "LIST",
     .help = "agents, as for parley run (at least as many as a scenario's parties)"},
    {.name = "--scenarios", .kind = CLI_STRS, .off = offsetof(targs, scen), .off2 = offsetof(targs, o.n_scenarios),
     .arg = "PATH...", .multi = 1,
     .help = "scenarios (a Genius XML folder or a scenario file each); bare paths count too"},
    {.name = "--out", .short_name = 'o', .kind = CLI_STR, .off = offsetof(targs, out), .arg = "DIR",
     .help = "the tournament folder (created; an existing one must hold the same parameters)"},
    {.name = "--reps", .kind = CLI_U64, .off = offsetof(targs, o.reps), .arg = "N", .min = 1,
     .help = "repetitions (default 1)"},
    {.name = "--rounds", .kind = CLI_U64, .off = offsetof(targs, o.rounds), .arg = "R", .max = 1000000000,
     .help = "round deadline per session (default 1000)"},
    {.name = "--time-limit", .kind = CLI_DOUBLE, .off = offsetof(targs, o.time_limit), .arg = "S", .positive = 1,
     .help = "wall-clock deadline per session in seconds"},
    {.name = "--seed", .kind = CLI_U64, .off = offsetof(targs, o.seed), .arg = "S",
     .help = "tournament seed (default 1)"},
    {.name = "--self-play", .kind = CLI_FLAG, .off = offsetof(targs, o.self_play),
     .help = "also let one agent play several parties"},
    {.name = "--jobs", .short_name = 'j', .kind = CLI_UINT, .off = offsetof(targs, o.jobs), .arg = "J", .max = 4096,
     .help = "worker threads (default: all cores)"},
    {.name = "--protocol", .kind = CLI_CHOICE, .off = offsetof(targs, o.protocol), .arg = "P",
     .choices = "saop|saop-genius", .parse = cli_parse_protocol, .help = "saop (default) or saop-genius"},
    {.name = "--no-metrics", .kind = CLI_SET, .off = offsetof(targs, o.metrics), .ival = 0,
     .help = "skip Pareto/Nash distances"},
    {.name = "--agent-lib", .kind = CLI_STRS, .off = offsetof(targs, libs), .off2 = offsetof(targs, o.n_agent_libs),
     .arg = "LIB", .help = "load agents from a plug-in (repeatable; stored for --resume)"},
    {.name = "--resume", .kind = CLI_STR, .off = offsetof(targs, resume), .arg = "DIR",
     .help = "continue DIR's tournament; parameters given must match the stored ones (else exit 2)"},
    {.name = "--force", .kind = CLI_FLAG, .off = offsetof(targs, o.force),
     .help = "with --resume: continue although a scenario or plug-in changed since the tournament started\n"
             "(the results then mix both versions; parley says which files changed)"},
    {.name = "--mpi", .kind = CLI_FLAG, .off = offsetof(targs, o.mpi),
     .help = "spread sessions over MPI ranks (mpirun -np K parley tournament ... --mpi)"},
    {.name = "--quiet", .short_name = 'q', .kind = CLI_FLAG, .off = offsetof(targs, quiet),
     .help = "no progress on standard error"},
    {.name = "--report", .kind = CLI_FLAG, .off = offsetof(targs, report),
     .help = "also write DIR/report.html (as parley results DIR --report)"},
    {.name = "--isolate", .kind = CLI_SET, .off = offsetof(targs, o.isolate), .ival = PL_ISOLATE_ON,
     .help = "run sessions with plug-in agents in worker processes (the default): a crash, a hang\n"
             "or a memory hog is recorded as status crash, timeout or memory and the tournament goes on"},
    {.name = "--no-isolate", .kind = CLI_SET, .off = offsetof(targs, o.isolate), .ival = PL_ISOLATE_OFF,
     .help = "run every session in this process: an agent that crashes takes the tournament with it,\n"
             "and nothing can stop one that never returns"},
    {.name = "--call-limit", .kind = CLI_DOUBLE, .off = offsetof(targs, o.call_limit), .arg = "S", .positive = 1,
     .help = "isolated: seconds one agent call may take (default 10, or --time-limit if smaller)"},
    {.name = "--memory-limit", .kind = CLI_U64, .off = offsetof(targs, memory_mib), .arg = "MiB", .min = 1,
     .max = 1 << 30, .help = "isolated: MiB a worker process may grow by (default 2048)"},
    CLI_OPT_REAL_LEVELS(offsetof(targs, o.real_levels)),
};

const cli_cmd cli_cmd_tournament = {
    .name = "tournament",
    .synopsis = "tournament --agents A,B,C --scenarios PATH... --out DIR",
    .summary = "every agent against every other, into an SQLite database (resumable)",
    .usage = "Usage: parley tournament --agents A,B,C... --scenarios PATH... --out DIR [--reps N] [--rounds R] [--seed S]\n"
             "                         [--jobs J] [--self-play] [--time-limit S] [--protocol P] [--mpi] [--quiet]\n"
             "                         [--isolate|--no-isolate] [--call-limit S] [--memory-limit MiB]\n"
             "       parley tournament --resume DIR [--jobs J]\n",
    .description =
        "Run every scenario x every ordered assignment of distinct agents to its parties (all role permutations) x\n"
        "N repetitions. A session's seed comes from the tournament seed and the session's identity (the scenario's\n"
        "content, the agents in their roles, the repetition), so results depend neither on --jobs or MPI ranks nor on\n"
        "the other agents and scenarios: adding an agent leaves every other session's result as it was.\n"
        "Each finished session becomes a row of DIR/tournament.sqlite (docs/formats.md); after a crash, kill or Ctrl-C,\n"
        "--resume DIR runs exactly the missing sessions. Prints per-agent statistics (mean +- 95% confidence interval)\n"
        "and writes them to DIR/summary.csv and DIR/summary.json.\n"
        "\n"
        "Sessions with a plug-in agent (--agent-lib) run in worker processes: a crash, exit, hang (past the call\n"
        "limit) or memory hog ends only that session, recorded with status crash, timeout or memory, the culprit\n"
        "and the reason. Ctrl-C or SIGTERM stops within a second (isolated sessions in flight are discarded) and\n"
        "--resume completes the same rows.\n",
    .opts = tournament_opts,
    .n_opts = sizeof tournament_opts / sizeof tournament_opts[0],
    .pos_off = offsetof(targs, scen),
    .npos_off = offsetof(targs, o.n_scenarios),
    .pos_name = "scenario",
    .epilog = "Exit status: 0 done, 1 failure, 2 bad input or parameters, 130 interrupted (resumable).\n",
    .run = cmd_tournament,
};

static int parse_args(int argc, char **argv, targs *a, int *done)
{
    pl_tournament_options *o = &a->o;
    unsigned given[sizeof tournament_opts / sizeof tournament_opts[0]];
    int rc;
    if (cli_parse(&cli_cmd_tournament, argc, argv, a, given, &rc) != 0) {
        *done = 1;
        return rc;
    }
#define GIVEN(name) (cli_given(&cli_cmd_tournament, given, name) > 0)
    a->g_agents = GIVEN("--agents");
    a->g_scen = o->n_scenarios > 0;
    a->g_libs = GIVEN("--agent-lib");
    a->g_reps = GIVEN("--reps");
    a->g_self = GIVEN("--self-play");
    a->g_seed = GIVEN("--seed");
    a->g_proto = GIVEN("--protocol");
    a->g_rounds = GIVEN("--rounds");
    a->g_tl = GIVEN("--time-limit");
    a->g_levels = GIVEN("--real-levels");
    a->g_metrics = GIVEN("--no-metrics");
    a->g_isolate = GIVEN("--isolate") || GIVEN("--no-isolate");
    a->g_call = GIVEN("--call-limit");
    a->g_memory = GIVEN("--memory-limit");
    o->memory_limit = a->memory_mib << 20;
#undef GIVEN
    if (a->resume && a->out && strcmp(a->resume, a->out) != 0) {
        return cli_usage_error("tournament", "--resume and --out name different folders");
    }
    if (!a->resume && !a->out) {
        return cli_usage_error("tournament", "no output folder (--out DIR, or --resume DIR)");
    }
    if (!a->resume) {
        if (!a->agents) {
            return cli_usage_error("tournament", "no agents given (--agents A,B,...; parley agents lists them)");
        }
        if (o->n_scenarios == 0) {
            return cli_usage_error("tournament", "no scenarios given (--scenarios PATH...)");
        }
    }
    if (!a->g_rounds && a->g_tl) {
        o->rounds = 0;
    }
    if (o->rounds == 0 && !(o->time_limit > 0)) {
        return cli_usage_error("tournament", "sessions need a deadline: --rounds N (N > 0) and/or --time-limit S");
    }
    return 0;
}

/* --resume: start from the stored parameters, override with those given, refuse any difference. */
static int merge_resume(targs *a, pl_tournament_saved **keep)
{
    pl_tournament_options s;
    pl_tournament_options_init(&s);
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_tournament_options_load(a->resume, &s, keep, &d);
    if (rc < 0) {
        cli_report(&d);
        return cli_exit_for(rc);
    }
    pl_tournament_options m = s;
    if (a->g_agents) {
        m.agents = a->o.agents;
        m.n_agents = a->o.n_agents;
    }
    if (a->g_scen) {
        m.scenarios = a->o.scenarios;
        m.n_scenarios = a->o.n_scenarios;
    }
    if (a->g_libs) {
        m.agent_libs = a->o.agent_libs;
        m.n_agent_libs = a->o.n_agent_libs;
    }
    m.reps = a->g_reps ? a->o.reps : m.reps;
    m.self_play = a->g_self ? a->o.self_play : m.self_play;
    m.seed = a->g_seed ? a->o.seed : m.seed;
    m.protocol = a->g_proto ? a->o.protocol : m.protocol;
    m.rounds = a->g_rounds || a->g_tl ? a->o.rounds : m.rounds;
    m.time_limit = a->g_tl ? a->o.time_limit : m.time_limit;
    m.real_levels = a->g_levels ? a->o.real_levels : m.real_levels;
    m.metrics = a->g_metrics ? a->o.metrics : m.metrics;
    m.isolate = a->g_isolate ? a->o.isolate : m.isolate;
    m.call_limit = a->g_call ? a->o.call_limit : m.call_limit;
    m.memory_limit = a->g_memory ? a->o.memory_limit : m.memory_limit;
    char why[1024];
    if (pl_tournament_options_diff(&s, &m, why, sizeof why)) {
        fprintf(stderr, "parley: cannot resume %s with different parameters (%s)\n", a->resume, why);
        return EXIT_USAGE;
    }
    m.jobs = a->o.jobs;
    m.mpi = a->o.mpi;
    m.force = a->o.force;
    a->o = m;
    a->out = a->resume;
    return 0;
}

static void print_stat(const pl_stat *s)
{
    if (s->n == 0 || isnan(s->mean)) {
        printf("  %19s", "n/a");
    } else {
        printf("  %9.4f +- %7.4f", s->mean, s->ci95);
    }
}

static int print_summary(const pl_tournament_summary *s, const char *dir, int report)
{
    int aw = 5;
    for (size_t k = 0; k < s->n_agents; k++) {
        int l = (int)strlen(s->agents[k].agent);
        aw = l > aw ? l : aw;
    }
    printf("Tournament: %llu of %llu sessions in %s (mean +- 95%% CI, 1.96 sd / sqrt(n))\n\n",
           (unsigned long long)s->sessions, (unsigned long long)s->planned, dir);
    printf("  %-*s  %6s  %19s  %19s  %19s  %19s  %19s  %19s  %19s\n", aw, "agent", "n", "utility", "advantage",
           "agreement", "welfare", "pareto distance", "nash distance", "rounds");
    for (size_t k = 0; k < s->n_agents; k++) {
        const pl_tournament_agent_stats *x = &s->agents[k];
        printf("  %-*s  %6llu", aw, x->agent, (unsigned long long)x->appearances);
        print_stat(&x->utility);
        print_stat(&x->advantage);
        print_stat(&x->agreement);
        print_stat(&x->welfare);
        print_stat(&x->pareto_distance);
        print_stat(&x->nash_distance);
        print_stat(&x->rounds);
        printf("\n");
    }
    printf("\nWritten: %s/summary.csv, %s/summary.json, %s/%s%s%s%s\n", dir, dir, dir, PL_TOURNAMENT_DB,
           report ? ", " : "", report ? dir : "", report ? "/report.html" : "");
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

int cmd_tournament(int argc, char **argv)
{
    targs a;
    memset(&a, 0, sizeof a);
    pl_tournament_options_init(&a.o);
    int rc = EXIT_OK, done = 0;
    pl_registry *reg = NULL;
    pl_tournament *t = NULL;
    pl_tournament_saved *keep = NULL;
    pl_tournament_summary *sum = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    rc = parse_args(argc, argv, &a, &done);
    a.o.scenarios = a.scen;
    a.o.agent_libs = a.libs;
    if (rc != 0 || done) {
        goto done;
    }
    if (a.agents) {
        if (pl_agent_list_split(a.agents, &a.names, &a.n_names, &d) < 0) {
            cli_report(&d);
            rc = EXIT_USAGE;
            goto done;
        }
        a.o.agents = (const char *const *)a.names;
        a.o.n_agents = a.n_names;
    }
    if (a.resume && (rc = merge_resume(&a, &keep)) != 0) {
        goto done;
    }
    if ((rc = cli_registry(a.o.agent_libs, a.o.n_agent_libs, &reg)) != 0) {
        goto done;
    }
    progress p = {isatty(STDERR_FILENO), a.quiet, 0, 0, 0, 0};
    a.o.progress = progress_cb;
    a.o.warn = warn_cb;
    a.o.cancel = cancel_cb;
    a.o.ud = &p;
    int lrc = pl_tournament_new(&a.o, reg, &t, &d);
    if (lrc < 0) {
        cli_report(&d);
        rc = lrc == PL_EIO ? EXIT_USAGE : cli_exit_for(lrc);
        goto done;
    }
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sa.sa_flags = (int)SA_RESETHAND; /* a second Ctrl-C kills at once; the database stays consistent */
    sigemptyset(&sa.sa_mask);
    struct sigaction old_term;
    sigaction(SIGINT, &sa, &old);
    sigaction(SIGTERM, &sa, &old_term);
    lrc = pl_tournament_run(t, a.out, &d);
    sigaction(SIGINT, &old, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (!pl_tournament_is_root(t)) {
        rc = lrc < 0 ? cli_exit_for(lrc) : EXIT_OK;
        goto done;
    }
    if (lrc == PL_ECANCELED) {
        cli_report(&d);
        fprintf(stderr, "parley: resume with: parley tournament --resume %s\n", a.out);
        rc = 130;
        goto done;
    }
    if (lrc < 0) {
        cli_report(&d);
        rc = lrc == PL_EINVAL ? EXIT_USAGE : cli_exit_for(lrc);
        goto done;
    }
    if (pl_tournament_summarize(a.out, &sum, &d) < 0 || pl_tournament_summary_write(sum, a.out, &d) < 0) {
        cli_report(&d);
        rc = EXIT_FAIL;
        goto done;
    }
    if (a.report) {
        size_t n = strlen(a.out) + sizeof "/report.html";
        char *path = malloc(n);
        if (!path) {
            rc = EXIT_FAIL;
            goto done;
        }
        snprintf(path, n, "%s/report.html", a.out);
        lrc = pl_report_write(a.out, path, &d);
        free(path);
        if (lrc < 0) {
            cli_report(&d);
            rc = EXIT_FAIL;
            goto done;
        }
    }
    rc = print_summary(sum, a.out, a.report);
done:
    pl_tournament_summary_free(sum);
    pl_tournament_free(t);
    pl_registry_free(reg);
    pl_tournament_saved_free(keep);
    for (size_t k = 0; k < a.n_names; k++) {
        pl_free(a.names[k]);
    }
    pl_free(a.names);
    free(a.scen);
    free(a.libs);
    return rc;
}
