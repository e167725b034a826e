/* parley agents: the agents parley knows (built-in and from --agent-lib plug-ins), with their parameters. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The JSON from the library's writer (parley/record.h). */
static int print_json(const pl_registry *r)
{
    pl_diag d;
    pl_diag_clear(&d);
    char *text = NULL;
    if (pl_registry_to_json(r, &text, &d) < 0) {
        cli_report(&d);
        return EXIT_FAIL;
    }
    int rc = cli_emit(text);
    pl_free(text);
    return rc;
}

static void print_text(const pl_registry *r)
{
    int nw = 4;
    for (size_t k = 0; k < pl_registry_count(r); k++) {
        int l = (int)strlen(pl_registry_type(r, k)->name);
        nw = l > nw ? l : nw;
    }
    for (size_t k = 0; k < pl_registry_count(r); k++) {
        const pl_agent_type *t = pl_registry_type(r, k);
        printf("%-*s  %s\n", nw, t->name, t->description ? t->description : "");
        for (size_t p = 0; p < t->n_params; p++) {
            const pl_param_spec *s = &t->params[p];
            printf("%-*s    %s=%s", nw, "", s->name, s->default_value ? s->default_value : "");
            if (s->kind != PL_PARAM_STRING && (s->min != 0 || s->max != 0)) {
                printf(" (%s in [%g, %g])", pl_param_kind_name(s->kind), s->min, s->max);
            }
            printf(": %s\n", s->description ? s->description : "");
        }
    }
    printf("\nChoose one with parameters as NAME:key=value,key=value, e.g. timebased:e=0.5.\n");
}

typedef struct agents_args {
    int json;
    const char **libs;
    size_t n_libs;
} agents_args;

static const cli_opt agents_opts[] = {
    {.name = "--json", .kind = CLI_FLAG, .off = offsetof(agents_args, json), .help = "print them as JSON"},
    {.name = "--agent-lib", .kind = CLI_STRS, .off = offsetof(agents_args, libs), .off2 = offsetof(agents_args, n_libs),
     .arg = "LIB", .help = "also list the agents of a plug-in shared library (repeatable; docs/agents.md)"},
};

const cli_cmd cli_cmd_agents = {
    .name = "agents",
    .synopsis = "agents",
    .summary = "the agents parley knows, with their parameters",
    .usage = "Usage: parley agents [--json] [--agent-lib LIB.so]...\n",
    .description = "List the agents parley knows (built in, and from plug-in libraries) with their parameters and "
                   "defaults.\n",
    .opts = agents_opts,
    .n_opts = sizeof agents_opts / sizeof agents_opts[0],
    .run = cmd_agents,
};

int cmd_agents(int argc, char **argv)
{
    agents_args a = {.json = 0};
    pl_registry *r = NULL;
    int rc;
    if (cli_parse(&cli_cmd_agents, argc, argv, &a, NULL, &rc) != 0) {
        cli_args_free(&cli_cmd_agents, &a);
        return rc;
    }
    int json = a.json;
    const char **libs = a.libs;
    size_t n_libs = a.n_libs;
    if ((rc = cli_registry(libs, n_libs, &r)) == 0) {
        if (json) {
            rc = print_json(r);
        } else {
            print_text(r);
            rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
        }
    }
    pl_registry_free(r);
    cli_args_free(&cli_cmd_agents, &a);
    return rc;
}
