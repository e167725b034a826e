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
    /* Which plan parameters the command line gave (for --resume). */
    int g_agents, g_scen, g_libs, g_reps, g_self, g_seed, g_proto, g_rounds, g_tl, g_levels, g_metrics;
} targs;


static int parse_args(int argc, char **argv, targs *a, int *done)
{
    pl_tournament_options *o = &a->o;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t u;
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            *done = 1;
            return cli_emit(cli_help_text("tournament"));
        } else if (strcmp(arg, "--agents") == 0 || strcmp(arg, "-a") == 0) {
            if (!val) {
                return cli_usage_error("tournament", "%s needs a list of agents", arg);
            }
            a->agents = val;
            a->g_agents = 1;
            i++;
        } else if (strcmp(arg, "--scenarios") == 0) {
            if (!val || val[0] == '-') {
                return cli_usage_error("tournament", "--scenarios needs at least one path");
            }
            while (i + 1 < argc && argv[i + 1][0] != '-') {
                a->scen[o->n_scenarios++] = argv[++i];
            }
            a->g_scen = 1;
        } else if (strcmp(arg, "--reps") == 0) {
            if (cli_parse_u64(val, &u) < 0 || u == 0) {
                return cli_usage_error("tournament", "--reps needs a positive integer");
            }
            o->reps = u;
            a->g_reps = 1;
            i++;
        } else if (strcmp(arg, "--rounds") == 0) {
            if (cli_parse_u64(val, &o->rounds) < 0 || o->rounds > 1000000000) {
                return cli_usage_error("tournament", "--rounds needs an integer from 0 to 1,000,000,000");
            }
            a->g_rounds = 1;
            i++;
        } else if (strcmp(arg, "--seed") == 0) {
            if (cli_parse_u64(val, &o->seed) < 0) {
                return cli_usage_error("tournament", "--seed needs a non-negative integer");
            }
            a->g_seed = 1;
            i++;
        } else if (strcmp(arg, "--jobs") == 0 || strcmp(arg, "-j") == 0) {
            if (cli_parse_u64(val, &u) < 0 || u > 4096) {
                return cli_usage_error("tournament", "--jobs needs an integer from 0 (all cores) to 4096");
            }
            o->jobs = (unsigned)u;
            i++;
        } else if (strcmp(arg, "--time-limit") == 0) {
            char *end;
            double t = val ? strtod(val, &end) : -1;
            if (!val || *end || !val[0] || !(t > 0) || isinf(t)) {
                return cli_usage_error("tournament", "--time-limit needs a positive number of seconds");
            }
            o->time_limit = t;
            a->g_tl = 1;
            i++;
        } else if (strcmp(arg, "--protocol") == 0) {
            if (val && strcmp(val, "saop") == 0) {
                o->protocol = PL_PROTOCOL_SAOP;
            } else if (val && strcmp(val, "saop-genius") == 0) {
                o->protocol = PL_PROTOCOL_SAOP_GENIUS;
            } else {
                return cli_usage_error("tournament", "--protocol must be saop or saop-genius");
            }
            a->g_proto = 1;
            i++;
        } else if (strcmp(arg, "--real-levels") == 0) {
            if (cli_parse_u64(val, &u) < 0 || u < 2 || u > PL_ISSUE_VALUES_MAX) {
                return cli_usage_error("tournament", "--real-levels must be an integer from 2 to %u",
                                       PL_ISSUE_VALUES_MAX);
            }
            o->real_levels = (uint32_t)u;
            a->g_levels = 1;
            i++;
        } else if (strcmp(arg, "--out") == 0 || strcmp(arg, "-o") == 0) {
            if (!val) {
                return cli_usage_error("tournament", "--out needs a folder");
            }
            a->out = val;
            i++;
        } else if (strcmp(arg, "--resume") == 0) {
            if (!val) {
                return cli_usage_error("tournament", "--resume needs the tournament's folder");
            }
            a->resume = val;
            i++;
        } else if (strcmp(arg, "--agent-lib") == 0) {
            if (!val) {
                return cli_usage_error("tournament", "--agent-lib needs a shared library");
            }
            a->libs[o->n_agent_libs++] = val;
            a->g_libs = 1;
            i++;
        } else if (strcmp(arg, "--self-play") == 0) {
            o->self_play = 1;
            a->g_self = 1;
        } else if (strcmp(arg, "--no-metrics") == 0) {
            o->metrics = 0;
            a->g_metrics = 1;
        } else if (strcmp(arg, "--mpi") == 0) {
            o->mpi = 1;
        } else if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0) {
            a->quiet = 1;
        } else if (strcmp(arg, "--report") == 0) {
            a->report = 1;
        } else if (arg[0] == '-' && arg[1]) {
            return cli_usage_error("tournament", "unknown option '%s'", arg);
        } else {
            a->scen[o->n_scenarios++] = arg;
            a->g_scen = 1;
        }
    }
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
    char why[1024];
    if (pl_tournament_options_diff(&s, &m, why, sizeof why)) {
        fprintf(stderr, "parley: cannot resume %s with different parameters (%s)\n", a->resume, why);
        return EXIT_USAGE;
    }
    m.jobs = a->o.jobs;
    m.mpi = a->o.mpi;
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
    a.scen = calloc((size_t)argc, sizeof *a.scen);
    a.libs = calloc((size_t)argc, sizeof *a.libs);
    if (!a.scen || !a.libs) {
        rc = EXIT_FAIL;
        goto done;
    }
    a.o.scenarios = a.scen;
    a.o.agent_libs = a.libs;
    if ((rc = parse_args(argc, argv, &a, &done)) != 0 || done) {
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
    sigaction(SIGINT, &sa, &old);
    lrc = pl_tournament_run(t, a.out, &d);
    sigaction(SIGINT, &old, NULL);
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
