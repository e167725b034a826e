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
    pl_session_options so;
} run_args;

/* ---- The trace: one JSON object per action, written to a temporary file renamed into place at the end ---- */

typedef struct trace_file {
    const pl_scenario *sc;
    FILE *f;
    char *tmp;
    int failed;
} trace_file;

static const char *action_name(pl_action_kind a)
{
    return a == PL_ACTION_OFFER ? "offer" : a == PL_ACTION_ACCEPT ? "accept" : a == PL_ACTION_END ? "end" : "propose";
}

static const char *mediator_name(const pl_scenario *sc, long mediator)
{
    return mediator >= 0 ? pl_scenario_party_name(sc, (size_t)mediator) : "neutral";
}

static void json_outcome(pl_jw *w, const pl_space *sp, const uint32_t *o)
{
    if (!o) {
        pl_jw_null(w);
        return;
    }
    pl_jw_object(w);
    for (size_t i = 0; i < pl_space_issue_count(sp); i++) {
        char lab[64];
        pl_jw_key(w, pl_space_issue_name(sp, i));
        pl_jw_string(w, pl_space_value_label(sp, i, o[i], lab, sizeof lab));
    }
    pl_jw_object_end(w);
}

/* Single-text: one line per proposed change of the text, with every party's vote. */
static void trace_proposal(pl_jw *w, const pl_scenario *sc, const pl_action_record *rec)
{
    const pl_space *sp = pl_scenario_space(sc);
    size_t np = pl_scenario_party_count(sc);
    char lab[64];
    pl_jw_key(w, "step");
    pl_jw_uint(w, rec->round);
    pl_jw_key(w, "t");
    pl_jw_number(w, rec->t);
    pl_jw_key(w, "proposer");
    pl_jw_string(w, rec->party == PL_MEDIATOR_NEUTRAL ? "neutral" : pl_scenario_party_name(sc, rec->party));
    pl_jw_key(w, "action");
    pl_jw_string(w, action_name(rec->action));
    pl_jw_key(w, "issue");
    pl_jw_string(w, pl_space_issue_name(sp, rec->issue));
    pl_jw_key(w, "from");
    pl_jw_string(w, pl_space_value_label(sp, rec->issue, rec->from, lab, sizeof lab));
    pl_jw_key(w, "to");
    pl_jw_string(w, pl_space_value_label(sp, rec->issue, rec->to, lab, sizeof lab));
    pl_jw_key(w, "votes");
    pl_jw_object(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_key(w, pl_scenario_party_name(sc, k));
        pl_jw_bool(w, rec->votes[k]);
    }
    pl_jw_object_end(w);
    pl_jw_key(w, "stood");
    pl_jw_bool(w, rec->stood);
    pl_jw_key(w, "utilities");
    pl_jw_object(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_key(w, pl_scenario_party_name(sc, k));
        pl_jw_number(w, rec->utilities[k]);
    }
    pl_jw_object_end(w);
}

/* SAOP: one line per offer, accept or end. */
static void trace_move(pl_jw *w, const pl_scenario *sc, const pl_action_record *rec)
{
    pl_jw_key(w, "round");
    pl_jw_uint(w, rec->round);
    pl_jw_key(w, "t");
    pl_jw_number(w, rec->t);
    pl_jw_key(w, "party");
    pl_jw_string(w, pl_scenario_party_name(sc, rec->party));
    pl_jw_key(w, "action");
    pl_jw_string(w, action_name(rec->action));
    pl_jw_key(w, "outcome");
    json_outcome(w, pl_scenario_space(sc), rec->outcome);
    pl_jw_key(w, "utility");
    pl_jw_number(w, rec->utility);
    pl_jw_key(w, "discounted");
    pl_jw_number(w, rec->discounted);
}

static void trace_action(void *ud, const pl_action_record *rec)
{
    trace_file *tf = ud;
    if (tf->failed) {
        return;
    }
    pl_jw *w = pl_jw_new(0);
    if (!w) {
        tf->failed = 1;
        return;
    }
    pl_jw_object(w);
    if (rec->action == PL_ACTION_PROPOSE) {
        trace_proposal(w, tf->sc, rec);
    } else {
        trace_move(w, tf->sc, rec);
    }
    pl_jw_object_end(w);
    char *line = pl_jw_finish(w);
    if (!line || fputs(line, tf->f) == EOF) {
        tf->failed = 1;
    }
    pl_free(line);
}

static int trace_open(trace_file *tf, const char *path, const pl_scenario *sc)
{
    memset(tf, 0, sizeof *tf);
    tf->sc = sc;
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
    return 0;
}

/* Close; rename into place when ok, else remove. Returns 0 when the trace is in place. */
static int trace_close(trace_file *tf, const char *path, int ok)
{
    int rc = 0;
    if (!tf->f) {
        return 0;
    }
    if (fclose(tf->f) != 0 || tf->failed) {
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

static const char *protocol_name(pl_protocol p)
{
    return p == PL_PROTOCOL_SAOP_GENIUS ? "saop-genius" : p == PL_PROTOCOL_SINGLE_TEXT ? "single-text" : "saop";
}

static const char *order_name(pl_mediator_order o)
{
    return o == PL_MEDIATOR_SYSTEMATIC ? "systematic" : "random";
}

/* Single-text additions to the JSON result (docs/formats.md). */
static void json_single_text(pl_jw *w, const pl_scenario *sc, const run_args *a, const pl_session_result *r)
{
    size_t np = pl_scenario_party_count(sc);
    pl_jw_key(w, "mediator");
    pl_jw_string(w, mediator_name(sc, a->so.mediator));
    pl_jw_key(w, "mediator_order");
    pl_jw_string(w, order_name(a->so.mediator_order));
    pl_jw_key(w, "steps");
    pl_jw_uint(w, r->rounds);
    pl_jw_key(w, "changes");
    pl_jw_uint(w, r->changes);
    pl_jw_key(w, "votes");
    pl_jw_uint(w, r->actions);
    pl_jw_key(w, "stable");
    pl_jw_bool(w, r->stable);
    pl_jw_key(w, "final_text");
    json_outcome(w, pl_scenario_space(sc), r->final_text);
    pl_jw_key(w, "final_text_utilities");
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        if (r->final_text) {
            pl_jw_number(w, pl_ufun_eval(pl_scenario_ufun(sc, k), r->final_text));
        } else {
            pl_jw_null(w);
        }
    }
    pl_jw_array_end(w);
}

static int print_json(const pl_scenario *sc, pl_agent_spec **agents, const run_args *a, const pl_session_result *r,
                      const char *path)
{
    size_t np = pl_scenario_party_count(sc);
    pl_jw *w = pl_jw_new(2);
    if (!w) {
        return EXIT_FAIL;
    }
    pl_jw_object(w);
    pl_jw_key(w, "scenario");
    pl_jw_string(w, pl_scenario_name(sc));
    pl_jw_key(w, "protocol");
    pl_jw_string(w, protocol_name(a->so.protocol));
    pl_jw_key(w, "parties");
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_string(w, pl_scenario_party_name(sc, k));
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "agents");
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_string(w, pl_agent_spec_text(agents[k]));
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "seed");
    pl_jw_uint(w, a->so.seed);
    pl_jw_key(w, "deadline_rounds");
    a->so.rounds ? pl_jw_uint(w, a->so.rounds) : pl_jw_null(w);
    pl_jw_key(w, "time_limit");
    a->so.time_limit > 0 ? pl_jw_number(w, a->so.time_limit) : pl_jw_null(w);
    pl_jw_key(w, "status");
    pl_jw_string(w, pl_session_status_name(r->status));
    pl_jw_key(w, "reason");
    pl_jw_string(w, r->reason);
    pl_jw_key(w, "agreement");
    json_outcome(w, pl_scenario_space(sc), r->has_agreement ? r->agreement : NULL);
    pl_jw_key(w, "utilities");
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_number(w, r->utilities[k]);
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "raw_utilities");
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_number(w, r->raw_utilities[k]);
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "reservation_values");
    pl_jw_array(w);
    for (size_t k = 0; k < np; k++) {
        pl_jw_number(w, pl_ufun_reservation(pl_scenario_ufun(sc, k)));
    }
    pl_jw_array_end(w);
    pl_jw_key(w, "rounds");
    pl_jw_uint(w, r->rounds);
    if (a->so.protocol == PL_PROTOCOL_SAOP_GENIUS) {
        /* What GENIUS's CSV log shows in its ROUND column for this session (docs/genius.md). */
        pl_jw_key(w, "genius_csv_round");
        pl_jw_uint(w, r->rounds + 1);
    }
    pl_jw_key(w, "actions");
    pl_jw_uint(w, r->actions);
    pl_jw_key(w, "t");
    pl_jw_number(w, r->t);
    pl_jw_key(w, "culprit");
    r->culprit >= 0 ? pl_jw_string(w, pl_scenario_party_name(sc, (size_t)r->culprit)) : pl_jw_null(w);
    if (a->so.protocol == PL_PROTOCOL_SINGLE_TEXT) {
        json_single_text(w, sc, a, r);
    }
    pl_jw_key(w, "metrics");
    pl_jw_object(w);
    pl_jw_key(w, "individually_rational");
    pl_jw_bool(w, r->individually_rational);
    pl_jw_key(w, "welfare");
    pl_jw_number(w, r->welfare);
    pl_jw_key(w, "pareto_distance");
    pl_jw_number(w, r->pareto_distance);
    pl_jw_key(w, "nash_distance");
    pl_jw_number(w, r->nash_distance);
    pl_jw_object_end(w);
    pl_jw_object_end(w);
    if (!path) {
        return cli_emit_json(w);
    }
    pl_diag d;
    pl_diag_clear(&d);
    int e = pl_jw_save(w, path, &d);
    if (e < 0) {
        cli_report(&d);
        return EXIT_FAIL;
    }
    return EXIT_OK;
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
           protocol_name(a->so.protocol));
    if (st) {
        printf(", mediator %s (%s order)", mediator_name(sc, a->so.mediator), order_name(a->so.mediator_order));
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

static int parse_args(int argc, char **argv, run_args *a, cli_scenario_args *sa, int *done)
{
    int rounds_given = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        int k;
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            *done = 1;
            return cli_emit(cli_help_text("run"));
        } else if (strcmp(arg, "--json") == 0) {
            a->json = 1;
        } else if (strcmp(arg, "--no-metrics") == 0) {
            a->so.metrics = 0;
        } else if (strcmp(arg, "--agents") == 0 || strcmp(arg, "-a") == 0) {
            if (!val) {
                return cli_usage_error("run", "%s needs a list of agents", arg);
            }
            a->agents = val;
            i++;
        } else if (strcmp(arg, "--rounds") == 0) {
            if (!val || cli_parse_u64(val, &a->so.rounds) < 0 || a->so.rounds > 1000000000) {
                return cli_usage_error("run", "--rounds needs an integer from 0 to 1,000,000,000");
            }
            rounds_given = 1;
            i++;
        } else if (strcmp(arg, "--time-limit") == 0) {
            char *end;
            double t = val ? strtod(val, &end) : -1;
            if (!val || *end || !val[0] || !(t > 0) || isinf(t)) {
                return cli_usage_error("run", "--time-limit needs a positive number of seconds");
            }
            a->so.time_limit = t;
            i++;
        } else if (strcmp(arg, "--seed") == 0) {
            if (!val || cli_parse_u64(val, &a->so.seed) < 0) {
                return cli_usage_error("run", "--seed needs a non-negative integer");
            }
            i++;
        } else if (strcmp(arg, "--protocol") == 0) {
            if (val && strcmp(val, "saop") == 0) {
                a->so.protocol = PL_PROTOCOL_SAOP;
            } else if (val && strcmp(val, "saop-genius") == 0) {
                a->so.protocol = PL_PROTOCOL_SAOP_GENIUS;
            } else if (val && strcmp(val, "single-text") == 0) {
                a->so.protocol = PL_PROTOCOL_SINGLE_TEXT;
            } else {
                return cli_usage_error("run", "--protocol must be saop, saop-genius or single-text");
            }
            i++;
        } else if (strcmp(arg, "--mediator") == 0) {
            if (!val || !val[0]) {
                return cli_usage_error("run", "--mediator needs a party name or neutral");
            }
            a->mediator = val;
            i++;
        } else if (strcmp(arg, "--mediator-order") == 0) {
            if (val && strcmp(val, "random") == 0) {
                a->so.mediator_order = PL_MEDIATOR_RANDOM;
            } else if (val && strcmp(val, "systematic") == 0) {
                a->so.mediator_order = PL_MEDIATOR_SYSTEMATIC;
            } else {
                return cli_usage_error("run", "--mediator-order must be random or systematic");
            }
            a->order_given = 1;
            i++;
        } else if (strcmp(arg, "--trace") == 0) {
            if (!val) {
                return cli_usage_error("run", "--trace needs a file name");
            }
            a->trace = val;
            i++;
        } else if (strcmp(arg, "--out") == 0) {
            if (!val || !*val) {
                return cli_usage_error("run", "--out needs a file name");
            }
            a->out = val;
            i++;
        } else if (strcmp(arg, "--agent-lib") == 0) {
            if (!val) {
                return cli_usage_error("run", "--agent-lib needs a shared library");
            }
            a->libs[a->n_libs++] = val;
            i++;
        } else if ((k = cli_scenario_option(sa, argc, argv, &i, "run")) != 0) {
            if (k < 0) {
                return EXIT_USAGE;
            }
        } else if (arg[0] == '-' && arg[1]) {
            return cli_usage_error("run", "unknown option '%s'", arg);
        } else {
            sa->paths[sa->n++] = arg;
        }
    }
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
    a.libs = calloc((size_t)argc, sizeof *a.libs);
    if (cli_scenario_args_init(&sa, argc) < 0 || !a.libs) {
        rc = EXIT_FAIL;
        goto done;
    }
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
        a.so.on_action = trace_action;
        a.so.action_ud = &tf;
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
