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
    free(text);
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

int cmd_agents(int argc, char **argv)
{
    int json = 0, rc;
    const char **libs = calloc((size_t)argc, sizeof *libs);
    size_t n_libs = 0;
    pl_registry *r = NULL;
    if (!libs) {
        return EXIT_FAIL;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            free(libs);
            return cli_emit(cli_help_text("agents"));
        } else if (strcmp(argv[i], "--agent-lib") == 0) {
            if (i + 1 >= argc) {
                free(libs);
                return cli_usage_error("agents", "--agent-lib needs a shared library");
            }
            libs[n_libs++] = argv[++i];
        } else {
            free(libs);
            return cli_usage_error("agents", "unknown argument '%s'", argv[i]);
        }
    }
    if ((rc = cli_registry(libs, n_libs, &r)) == 0) {
        if (json) {
            rc = print_json(r);
        } else {
            print_text(r);
            rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
        }
    }
    pl_registry_free(r);
    free(libs);
    return rc;
}
