/* parley: the command-line tool. Dispatches to one file per sub-command; talks to the library only through
 * include/parley/. Exit statuses: 0 ok, 1 failure, 2 bad input or usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Every sub-command, in the order the main help lists them; each file defines its table (options.h). */
const cli_cmd *const cli_commands[] = {
    &cli_cmd_show, &cli_cmd_eval,    &cli_cmd_convert,    &cli_cmd_analyze, &cli_cmd_run,
    &cli_cmd_report, &cli_cmd_whatif, &cli_cmd_agents, &cli_cmd_tournament, &cli_cmd_results, &cli_cmd_plot,
#ifdef PL_HAVE_SERVE
    &cli_cmd_serve,
#endif
};
const size_t cli_command_count = sizeof cli_commands / sizeof cli_commands[0];

#define SYNOPSIS_WIDTH 31

/* The main help: the command list comes from the commands' tables. */
static void print_usage(FILE *f)
{
    fputs("Usage: parley COMMAND [OPTIONS] [ARGS]\n"
          "\n"
          "parley models, analyses and runs negotiations.\n"
          "\n"
          "Commands:\n",
          f);
    for (size_t k = 0; k < cli_command_count; k++) {
        const cli_cmd *c = cli_commands[k];
        if (strlen(c->synopsis) > SYNOPSIS_WIDTH - 1) {
            fprintf(f, "  %s\n  %-*s%s\n", c->synopsis, SYNOPSIS_WIDTH, "", c->summary);
        } else {
            fprintf(f, "  %-*s%s\n", SYNOPSIS_WIDTH, c->synopsis, c->summary);
        }
    }
    fprintf(f, "  %-*s%s\n", SYNOPSIS_WIDTH, "help [COMMAND]", "help on a command");
    fputs("\n"
          "A SCENARIO is a parley JSON file, a Genius XML folder (one domain plus one profile per party), the Genius\n"
          "domain and profile files themselves, or GeniusWeb JSON profiles.\n"
          "\n"
          "Options:\n"
          "  -h, --help      this help\n"
          "  -V, --version   print the version\n"
          "\n"
          "Exit status: 0 success, 1 failure, 2 bad input or usage.\n",
          f);
}

static int help(const char *name)
{
    if (!name) {
        print_usage(stdout);
        return cli_emit("");
    }
    if (strcmp(name, "help") == 0) {
        return cli_emit("Usage: parley help [COMMAND]\n\nHelp on parley or one of its commands.\n");
    }
    const cli_cmd *c = cli_find_command(name);
    if (!c) {
        return cli_usage_error(NULL, "no such command: %s", name);
    }
    char *text = cli_cmd_help(c);
    int rc = text ? cli_emit(text) : EXIT_FAIL;
    free(text);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        return help(NULL);
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("parley %s\n", pl_version());
        return EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0) {
        return help(argc > 2 ? argv[2] : NULL);
    }
    /* Sub-commands see argv starting at their name. */
    const cli_cmd *c = cli_find_command(cmd);
    if (!c) {
        return cli_usage_error(NULL, "unknown command '%s'", cmd);
    }
    return c->run(argc - 1, argv + 1);
}
