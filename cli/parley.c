/* parley: the command-line tool. Dispatches to one file per sub-command; talks to the library only through
 * include/parley/. Exit statuses: 0 ok, 1 failure, 2 bad input or usage. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char *const usage =
    "Usage: parley COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "parley models, analyses and runs negotiations.\n"
    "\n"
    "Commands:\n"
    "  show SCENARIO...               issues, options, outcome count, parties and their preferences\n"
    "  eval SCENARIO... --outcome O   each party's utility for an outcome\n"
    "  convert SCENARIO... -o FILE    write a scenario as parley JSON (.json) or Genius XML (.xml)\n"
    "  analyze SCENARIO...            Pareto frontier, Nash / Kalai-Smorodinsky / egalitarian / max-welfare points\n"
    "  run SCENARIO... --agents A,B   one negotiation session between agents\n"
    "  report SCENARIO... [--run R]   agreements and divergences issue by issue: agreed, contested, blocked\n"
    "  agents                         the agents parley knows, with their parameters\n"
    "  tournament --agents A,B,C --scenarios PATH... --out DIR\n"
    "                                 every agent against every other, into an SQLite database (resumable)\n"
    "  results DIR [--csv|--json]     export every session of a tournament (--report: an HTML report)\n"
    "  plot SCENARIO... -o FILE       the outcome space in utility space, offers, agreement (.png, .svg, .pdf)\n"
    "  help [COMMAND]                 help on a command\n"
    "\n"
    "A SCENARIO is a parley JSON file, a Genius XML folder (one domain plus one profile per party), the Genius\n"
    "domain and profile files themselves, or GeniusWeb JSON profiles.\n"
    "\n"
    "Options:\n"
    "  -h, --help      this help\n"
    "  -V, --version   print the version\n"
    "\n"
    "Exit status: 0 success, 1 failure, 2 bad input or usage.\n";

static const char *const help_show =
    "Usage: parley show [--json] [--real-levels N] SCENARIO...\n"
    "\n"
    "Print the scenario: its issues and their options (and the status quo, when the scenario gives one), the\n"
    "number of outcomes, each party's utility function (weights, reservation value, discount factor) and its red\n"
    "lines in words.\n"
    "\n"
    "  --json            print it as JSON (keys: name, description, outcomes, log10_outcomes, issues, status_quo,\n"
    "                    parties; each party has red_lines)\n"
    "  --real-levels N   discretise real issues whose file gives no level count into N levels (default 11)\n";

static const char *const help_eval =
    "Usage: parley eval SCENARIO... --outcome 'issue=value,...' [--outcome ...] [--time T] [--json]\n"
    "\n"
    "Print each party's utility for the outcome(s) and whether it is acceptable to the party: \"no (red line:\n"
    "...)\" when it breaks one of the party's red lines (it is then worth 0 to the party), \"no (below\n"
    "reservation)\" when it is worth less than the party's reservation value. Every issue must be given exactly\n"
    "once; values may contain commas. --index N gives an outcome by its dense index instead (0 .. outcomes-1).\n"
    "\n"
    "  --outcome O       the outcome, as issue=value pairs separated by commas (repeatable)\n"
    "  --index N         the outcome with dense index N (repeatable)\n"
    "  --time T          also print discounted utilities u * d^T at relative time T in [0, 1]\n"
    "  --json            print JSON: {\"parties\": [...], \"results\": [{\"outcome\", \"index\", \"utilities\", ...}]}\n"
    "  --real-levels N   as for show\n";

static const char *const help_convert =
    "Usage: parley convert SCENARIO... -o FILE [--format parley|genius]\n"
    "\n"
    "Write the scenario in another format. The format follows FILE's extension (.json: parley JSON; .xml: Genius\n"
    "XML) unless --format says otherwise. Genius XML writes the domain to FILE and one profile per party to\n"
    "FILE-without-.xml + \"-PARTY.xml\"; it supports linear additive parties only. -o - writes parley JSON to\n"
    "standard output. Files are written to temporary names and renamed into place only when all are complete.\n"
    "\n"
    "  -o, --output FILE   where to write\n"
    "  --format F          parley or genius\n"
    "  --real-levels N     as for show\n";

static const char *const help_analyze =
    "Usage: parley analyze SCENARIO... [--json] [--frontier-limit N] [--parties a,b] [--algorithm A]\n"
    "\n"
    "Which deals are possible, efficient and fair: the exact Pareto frontier (outcomes sharing a utility vector are\n"
    "reported together), the Nash, Kalai-Smorodinsky, egalitarian and max-welfare points, the ideal point,\n"
    "opposition, the number of outcomes acceptable to every party, and each party's best and worst outcome.\n"
    "Utilities are undiscounted. The algorithm is chosen automatically and reported: merge (linear additive\n"
    "parties: exact without enumerating, for spaces of any size), enumerate (any utility function: streams over\n"
    "every outcome on all cores), search (non-linear spaces too large to enumerate: APPROXIMATE, labelled so).\n"
    "\n"
    "  --json                  print the full result as JSON (see docs/formats.md)\n"
    "  --brief                 text: the points' utilities, the Nash outcome and the counts only\n"
    "  --frontier-limit N      print at most N frontier points (default 20 in text, all in JSON); all are computed\n"
    "  --parties a,b           analyse these parties only, in this order\n"
    "  --algorithm A           auto (default), merge, enumerate or search\n"
    "  --threads N             worker threads for enumeration (default: all cores)\n"
    "  --outcomes-per-point K  outcomes kept per frontier point (default 16)\n"
    "  --zopa-limit N          count the outcomes acceptable to all when the space has at most N (default 1e8)\n"
    "  --enumerate-limit N     automatic choice: enumerate non-linear spaces of at most N outcomes, search larger\n"
    "                          ones (default 1e8)\n"
    "  --max-points N          refuse frontiers of more than N points (default 10,000,000)\n"
    "  --seed S, --restarts R  search: random seed (default 1) and restarts per weighting (default 200)\n"
    "  --real-levels N         as for show\n";

static const char *const help_run =
    "Usage: parley run SCENARIO... --agents A,B[,C...] [--rounds N] [--time-limit S] [--seed S] [--json]\n"
    "                  [--trace FILE.jsonl] [--protocol saop|saop-genius|single-text] [--agent-lib LIB.so]...\n"
    "                  [--mediator PARTY|neutral] [--mediator-order random|systematic]\n"
    "\n"
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
    "  -a, --agents LIST      agents by name with parameters, e.g. boulware,conceder or\n"
    "                         timebased:e=0.5,boa:bidding=boulware,accept=combi(t=0.98) (see parley agents)\n"
    "  --rounds N             round deadline (default 1000; with only --time-limit, no round deadline); under\n"
    "                         single-text, the number of steps (proposals)\n"
    "  --time-limit S         wall-clock deadline in seconds\n"
    "  --seed S               seed of every random choice (default 1)\n"
    "  --protocol P           saop (default), saop-genius (GENIUS 10.4's clock, see docs/genius.md) or single-text\n"
    "  --mediator M           single-text: a party's name (it proposes the change best for itself) or neutral\n"
    "                         (default: proposes a random change)\n"
    "  --mediator-order O     single-text: how the mediator picks the issue to change: random (default) or\n"
    "                         systematic (round-robin)\n"
    "  --trace FILE           write every action as one JSON object per line (docs/formats.md)\n"
    "  --out FILE             also write the --json result to FILE (atomically), e.g. for parley report --run\n"
    "  --json                 print the result as JSON (docs/formats.md)\n"
    "  --no-metrics           skip the Pareto/Nash distances (they need the scenario's frontier)\n"
    "  --agent-lib LIB        load agents from a plug-in shared library (repeatable; docs/agents.md)\n"
    "  --real-levels N        as for show\n";

static const char *const help_agents =
    "Usage: parley agents [--json] [--agent-lib LIB.so]...\n"
    "\n"
    "List the agents parley knows (built in, and from plug-in libraries) with their parameters and defaults.\n";

static const char *const help_tournament =
    "Usage: parley tournament --agents A,B,C... --scenarios PATH... --out DIR [--reps N] [--rounds R] [--seed S]\n"
    "                         [--jobs J] [--self-play] [--time-limit S] [--protocol P] [--mpi] [--quiet]\n"
    "       parley tournament --resume DIR [--jobs J]\n"
    "\n"
    "Run every scenario x every ordered assignment of distinct agents to its parties (all role permutations) x\n"
    "N repetitions. Session i is seeded with splitmix64(seed, i), so results do not depend on --jobs or MPI ranks.\n"
    "Each finished session becomes a row of DIR/tournament.sqlite (docs/formats.md); after a crash, kill or Ctrl-C,\n"
    "--resume DIR runs exactly the missing sessions. Prints per-agent statistics (mean +- 95% confidence interval)\n"
    "and writes them to DIR/summary.csv and DIR/summary.json.\n"
    "\n"
    "  -a, --agents LIST     agents, as for parley run (at least as many as a scenario's parties)\n"
    "  --scenarios PATH...   scenarios (a Genius XML folder or a scenario file each); bare paths count too\n"
    "  -o, --out DIR         the tournament folder (created; an existing one must hold the same parameters)\n"
    "  --reps N              repetitions (default 1)\n"
    "  --rounds R            round deadline per session (default 1000)\n"
    "  --time-limit S        wall-clock deadline per session in seconds\n"
    "  --seed S              tournament seed (default 1)\n"
    "  --self-play           also let one agent play several parties\n"
    "  -j, --jobs J          worker threads (default: all cores)\n"
    "  --protocol P          saop (default) or saop-genius\n"
    "  --no-metrics          skip Pareto/Nash distances\n"
    "  --agent-lib LIB       load agents from a plug-in (repeatable; stored for --resume)\n"
    "  --resume DIR          continue DIR's tournament; parameters given must match the stored ones (else exit 2)\n"
    "  --mpi                 spread sessions over MPI ranks (mpirun -np K parley tournament ... --mpi)\n"
    "  -q, --quiet           no progress on standard error\n"
    "  --report              also write DIR/report.html (as parley results DIR --report)\n"
    "  --real-levels N       as for show\n"
    "\n"
    "Exit status: 0 done, 1 failure, 2 bad input or parameters, 130 interrupted (resumable).\n";

static const char *const help_results =
    "Usage: parley results DIR [--csv|--json]\n"
    "       parley results DIR --report [-o FILE.html]\n"
    "\n"
    "Print every finished session of the tournament in DIR, in session order, as CSV (default) or a JSON array of\n"
    "objects (docs/formats.md). The CSV is flat, one value per cell, ready for pandas: session, scenario,\n"
    "scenario_path, repetition, seed, status, reason, rounds, actions, t, seconds, individually_rational,\n"
    "pareto_distance, nash_distance, welfare, culprit (party index), culprit_agent, n_parties, then per party\n"
    "index K (0, 1, ...; empty beyond a session's parties) party_K, agent_K, utility_K, raw_utility_K, and the\n"
    "agreement: one agreement.ISSUE column per issue when every scenario that reached an agreement has the same\n"
    "issues, else one agreement column \"issue=value;issue=value\" (\\ escapes \\, ; and =). The JSON has\n"
    "agents, agreement, utilities and raw_utilities as JSON values.\n"
    "\n"
    "--report writes one self-contained HTML page instead (no scripts, fonts or network; docs/plots.md): the\n"
    "ranking, each agent's utility distribution, agreement rates per agent and scenario as a heat map.\n"
    "\n"
    "  -o, --output FILE   where --report writes (default DIR/report.html; - for standard output)\n";

static const char *const help_plot =
    "Usage: parley plot SCENARIO... -o FILE.png|.svg|.pdf [--trace TRACE.jsonl] [--run RESULT.json]\n"
    "                   [--utility-over-time] [--size WxH] [--scale S] [--title T]\n"
    "\n"
    "Draw the scenario in utility space: every outcome (a density image above --points outcomes; a seeded sample\n"
    "when the space is too large to enumerate, as the subtitle says), the Pareto frontier, the Nash,\n"
    "Kalai-Smorodinsky and max-welfare points and each party's reservation value. With a session's trace (parley\n"
    "run --trace) each party's offers are drawn in its colour, fading from early (light) to late (dark), and the\n"
    "agreement as a star; --run (parley run --json) names the agents and gives the result. Three or more parties\n"
    "get one panel per pair of parties. The format follows FILE's extension; the file is written atomically and\n"
    "the same input gives the same bytes. See docs/plots.md.\n"
    "\n"
    "  -o, --output FILE     the image: .png, .svg or .pdf\n"
    "  --trace FILE          the session's actions (JSON Lines, from parley run --trace)\n"
    "  --run FILE            the session's result (JSON, from parley run --json)\n"
    "  --utility-over-time   instead: one panel per party, its utility of every offer against time (needs --trace)\n"
    "  --size WxH            the figure's size in pixels (PNG) or points (default: chosen for the figure)\n"
    "  --scale S             PNG pixels per unit, e.g. 2 for high-DPI screens (default 1)\n"
    "  --title T             the title (default: the scenario's name)\n"
    "  --no-legend           leave out the legend\n"
    "  --points N            draw at most N outcomes as points, more as a density (default 20000)\n"
    "  --sample N, --seed S  spaces of more than 1e7 outcomes: sample N outcomes (default 200000) with seed S\n"
    "  --threads N           threads for the frontier analysis (default: all cores)\n"
    "  --real-levels N       as for show\n";

static const char *const help_report =
    "Usage: parley report SCENARIO... [--agreement 'issue=value,...' | --run RESULT.json] [--json] [--summary]\n"
    "\n"
    "Agreements and divergences, issue by issue, computed from the model alone. For the agreement (given with\n"
    "--agreement, read from a `parley run --json` result with --run, or else the analysis's prediction: the Nash\n"
    "point of the deals acceptable to every party) it prints each party's utility, then per issue its status:\n"
    "  agreed         the agreement moves the issue off its status quo (or the issue has none); parties whose\n"
    "                 ideal option differs are listed with what they wanted\n"
    "  contested      left at the status quo although some party's ideal option is attainable (some deal\n"
    "                 acceptable to every party gives it): the parties diverge\n"
    "  blocked        left at the status quo and no acceptable deal moves it; the red lines and reservation\n"
    "                 values that block it are named (those broken by the moves that break the fewest)\n"
    "  not addressed  left at the status quo although acceptable deals move it, to options no party holds ideal\n"
    "and ends with the summary: agreed, divergent, blocked, not addressed. A single-text run that ended without\n"
    "agreement is reported on its final text; another run without agreement on the prediction.\n"
    "Deciding blocked/contested scans the outcome space once (on all cores) when an issue is left at its status\n"
    "quo; spaces above --limit outcomes leave those issues undetermined.\n"
    "\n"
    "  --agreement O    the agreement, as issue=value pairs separated by commas\n"
    "  --run FILE       the agreement of a `parley run --json` result of this scenario\n"
    "  --json           print JSON (docs/formats.md)\n"
    "  --summary        print only the header and the summary\n"
    "  --limit N        scan spaces of at most N outcomes (default 1e8)\n"
    "  --threads N      scan threads (default: all cores)\n"
    "  --real-levels N  as for show\n";

const char *cli_help_text(const char *cmd)
{
    if (!cmd) {
        return usage;
    }
    if (strcmp(cmd, "show") == 0) {
        return help_show;
    }
    if (strcmp(cmd, "eval") == 0) {
        return help_eval;
    }
    if (strcmp(cmd, "convert") == 0) {
        return help_convert;
    }
    if (strcmp(cmd, "analyze") == 0) {
        return help_analyze;
    }
    if (strcmp(cmd, "run") == 0) {
        return help_run;
    }
    if (strcmp(cmd, "report") == 0) {
        return help_report;
    }
    if (strcmp(cmd, "agents") == 0) {
        return help_agents;
    }
    if (strcmp(cmd, "tournament") == 0) {
        return help_tournament;
    }
    if (strcmp(cmd, "results") == 0) {
        return help_results;
    }
    if (strcmp(cmd, "plot") == 0) {
        return help_plot;
    }
    if (strcmp(cmd, "help") == 0) {
        return "Usage: parley help [COMMAND]\n\nHelp on parley or one of its commands.\n";
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        return cli_emit(usage);
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("parley %s\n", pl_version());
        return EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0) {
        const char *text = cli_help_text(argc > 2 ? argv[2] : NULL);
        if (!text) {
            return cli_usage_error(NULL, "no such command: %s", argv[2]);
        }
        return cli_emit(text);
    }
    /* Sub-commands see argv starting at their name. */
    if (strcmp(cmd, "show") == 0) {
        return cmd_show(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "eval") == 0) {
        return cmd_eval(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "convert") == 0) {
        return cmd_convert(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "analyze") == 0 || strcmp(cmd, "analyse") == 0) {
        return cmd_analyze(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "run") == 0) {
        return cmd_run(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "report") == 0) {
        return cmd_report(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "agents") == 0) {
        return cmd_agents(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "tournament") == 0) {
        return cmd_tournament(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "results") == 0) {
        return cmd_results(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "plot") == 0) {
        return cmd_plot(argc - 1, argv + 1);
    }
    return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
