/* The CLI's one option parser: every sub-command describes its options in a table (name, value kind, where the
 * value goes, its help), and the same table parses argv, checks values and prints `parley COMMAND --help`. */
#ifndef PL_CLI_OPTIONS_H
#define PL_CLI_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

typedef enum cli_kind {
    CLI_FLAG,   /* no value: the int at off becomes 1 */
    CLI_SET,    /* no value: the int at off becomes ival (several options choosing one setting) */
    CLI_STR,    /* a string (the last one given wins); refused when empty unless min < 0 */
    CLI_STRS,   /* repeatable string: appended to the const char ** at off, count (size_t) at off2; with `multi`,
                   consumes every following argument up to the next option */
    CLI_U64,    /* a whole number in [min, max] into the uint64_t at off */
    CLI_U32,    /* a whole number in [min, max] into the uint32_t at off */
    CLI_UINT,   /* a whole number in [min, max] into the unsigned at off */
    CLI_DOUBLE, /* a finite number into the double at off: in [min, max], or > 0 with `positive` */
    CLI_CHOICE, /* one of `choices` ("a|b|c"): the int at off becomes the value of `values` at its position */
    CLI_CALL,   /* call(args, option name, value): the command checks the value itself */
} cli_kind;

typedef struct cli_opt {
    const char *name; /* "--rounds" */
    char short_name;  /* 'a' for -a, or 0 */
    cli_kind kind;
    size_t off, off2;  /* where the value goes in the command's argument struct (offsetof) */
    const char *arg;   /* the value's placeholder in help and messages ("N", "FILE"); NULL for flags */
    double min, max;   /* numbers: the accepted range */
    int positive;      /* CLI_DOUBLE: > 0 (and finite) */
    int multi;         /* CLI_STRS: several values after one option */
    int ival;          /* CLI_SET: the value set */
    const char *choices;  /* CLI_CHOICE: "saop|saop-genius|single-text" */
    const int *values;    /* CLI_CHOICE: the enum value of each choice ... */
    int (*parse)(const char *s, int *value); /* ... or the library's name table (names.h) parses it */
    int (*call)(void *args, const char *opt, const char *value); /* CLI_CALL: 0, or an exit status (printed) */
    const char *help;  /* the help text: '\n' continues on the next line, indented to the help column */
} cli_opt;

typedef struct cli_cmd {
    const char *name;        /* "run" */
    const char *synopsis;    /* the main help's command column: "run SCENARIO... --agents A,B" */
    const char *summary;     /* the main help's one-line description */
    const char *usage;       /* "Usage: parley run ..." lines, each ending in '\n' */
    const char *description; /* paragraphs after the usage, or NULL */
    const cli_opt *opts;
    size_t n_opts;
    size_t pos_off, npos_off; /* positional arguments: const char ** and size_t in the argument struct */
    size_t max_pos;           /* 0 = any number; 1 = at most one */
    const char *pos_name;     /* positionals' name in messages ("tournament folder"); NULL = refuse them */
    const char *epilog;       /* text after the options, or NULL */
    int (*run)(int argc, char **argv);
} cli_cmd;

/* Parse argv[1..argc) into args (the command's struct, whose defaults the caller has set). Arrays for CLI_STRS and
 * positionals are allocated here with room for argc entries (free them with cli_args_free). Returns 0 to go on;
 * otherwise *exit_status is what the command returns: EXIT_OK after printing --help, EXIT_USAGE after a usage
 * error (printed as "parley: ..." + a hint), EXIT_FAIL when memory runs out. given, when not NULL, has n_opts
 * entries: how often each option was given. */
int cli_parse(const cli_cmd *c, int argc, char **argv, void *args, unsigned *given, int *exit_status);
/* Free the arrays cli_parse allocated in args. */
void cli_args_free(const cli_cmd *c, void *args);
/* How often the option `name` was given (from cli_parse's given array). */
unsigned cli_given(const cli_cmd *c, const unsigned *given, const char *name);

/* The command's help text, made from its table (malloc'd; NULL when memory runs out). */
char *cli_cmd_help(const cli_cmd *c);

/* Every sub-command, in the order the main help lists them. */
extern const cli_cmd *const cli_commands[];
extern const size_t cli_command_count;
const cli_cmd *cli_find_command(const char *name);

/* The shared --real-levels option (every command that loads scenarios); OFF = offsetof the command's
 * pl_load_options' real_levels. */
#define CLI_OPT_REAL_LEVELS(OFF)                                                                                     \
    {.name = "--real-levels", .kind = CLI_U32, .off = (OFF), .arg = "N", .min = 2, .max = PL_ISSUE_VALUES_MAX,       \
     .help = "discretise real issues whose file gives no level count into N levels (default 11)"}

/* The library's name tables (parley/names.h) for CLI_CHOICE options. */
int cli_parse_protocol(const char *s, int *value);
int cli_parse_mediator_order(const char *s, int *value);
int cli_parse_algorithm(const char *s, int *value);
int cli_parse_format(const char *s, int *value);

/* The shared --strict option: warnings about the scenario files become errors. OFF = offsetof the command's
 * pl_load_options' strict. */
#define CLI_OPT_STRICT(OFF)                                                                                          \
    {.name = "--strict", .kind = CLI_FLAG, .off = (OFF),                                                           \
     .help = "treat warnings about the scenario files (weights not summing to 1) as errors"}

#endif
