/* Shared pieces of the parley command-line tool: option parsing helpers, scenario loading, error reporting.
 * The CLI sees only the public API (include/parley/). */
#ifndef PL_CLI_H
#define PL_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parley/parley.h"
#include "parley/tournament.h"
#include "options.h"

/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* Exit status for a library error: bad input (parse, range, not found, unsupported, unreadable input) = 2. */
int cli_exit_for(int code);
/* Print "parley: FILE:LINE:COL: message" to stderr. */
void cli_report(const pl_diag *d);
/* Print "parley: message" + a hint to try `parley help CMD`; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Scenario paths (the positional arguments) and load options, as the option tables fill them. */
typedef struct cli_scenario_args {
    const char **paths;
    size_t n;
    pl_load_options opts;
} cli_scenario_args;

/* Offsets of a cli_scenario_args member named `sa` in a command's argument struct, for its cli_cmd. */
#define CLI_SCENARIO_POSITIONALS(T) .pos_off = offsetof(T, sa.paths), .npos_off = offsetof(T, sa.n), \
                                    .pos_name = "scenario"
/* Load; on error report it and return the exit status (> 0). */
int cli_load(cli_scenario_args *a, const char *cmd, pl_scenario **out);

/* Sub-commands. */
int cmd_show(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_whatif(int argc, char **argv);
int cmd_agents(int argc, char **argv);
int cmd_tournament(int argc, char **argv);
int cmd_results(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_serve(int argc, char **argv);
extern const cli_cmd cli_cmd_show, cli_cmd_eval, cli_cmd_convert, cli_cmd_analyze, cli_cmd_run, cli_cmd_report,
    cli_cmd_agents, cli_cmd_tournament, cli_cmd_results, cli_cmd_plot, cli_cmd_serve, cli_cmd_whatif;

/* Parse a whole string of decimal digits (no sign, no blanks) as a uint64; 0 ok, -1 otherwise. */
int cli_parse_u64(const char *s, uint64_t *out);
/* A registry with the built-in agents and the given plug-in libraries; exit status (printed) on failure. */
int cli_registry(const char *const *libs, size_t n, pl_registry **out);

/* A value's label, whole (discrete labels are returned as stored, not copied; numbers are formatted into buf,
 * which needs 40 bytes). */
const char *cli_value_label(const pl_space *s, size_t issue, uint32_t value, char *buf, size_t size);

/* Print a string to stdout, exit status on failure. */
int cli_emit(const char *text);
/* Defaults (no paths yet: the option parser allocates them). */
void cli_scenario_args_init(cli_scenario_args *a);

#endif
