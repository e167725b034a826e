/* The table-driven option parser and help printer shared by every sub-command (options.h). */
#include "options.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define AT(args, off, type) ((type *)(void *)((char *)(args) + (off)))

/* "1,000,000,000": whole numbers with thousands separators, as the messages print them. */
static const char *grouped(double x, char *buf, size_t size)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", x);
    size_t n = strlen(digits), o = 0;
    for (size_t k = 0; k < n && o + 2 < size; k++) {
        if (k > 0 && (n - k) % 3 == 0) {
            buf[o++] = ',';
        }
        buf[o++] = digits[k];
    }
    buf[o] = '\0';
    return buf;
}

/* What a number option needs, for its error message. */
static void number_need(const cli_opt *o, char *buf, size_t size)
{
    char lo[40], hi[40];
    if (o->kind == CLI_DOUBLE) {
        if (o->positive) {
            snprintf(buf, size, "a positive number%s", o->arg && strcmp(o->arg, "S") == 0 ? " of seconds" : "");
        } else {
            snprintf(buf, size, "a number in [%g, %g]", o->min, o->max);
        }
        return;
    }
    double top = o->kind == CLI_U64 ? 18446744073709551615.0 : o->kind == CLI_U32 ? 4294967295.0 : 4294967295.0;
    if (o->max <= 0 || o->max >= top) {
        snprintf(buf, size, o->min >= 1 ? "a positive integer" : "a non-negative integer");
    } else {
        snprintf(buf, size, "an integer from %s to %s", grouped(o->min, lo, sizeof lo), grouped(o->max, hi, sizeof hi));
    }
}

/* A whole number: digits only (strtoull would skip blanks and accept a sign). */
static int parse_whole(const char *s, uint64_t *out)
{
    return cli_parse_u64(s, out);
}

static int set_number(const cli_cmd *c, const cli_opt *o, void *args, const char *name, const char *val)
{
    char need[96];
    if (o->kind == CLI_DOUBLE) {
        char *end;
        errno = 0;
        double x = val && *val ? strtod(val, &end) : NAN;
        int ok = val && *val && !*end && isfinite(x) && (o->positive ? x > 0 : (x >= o->min && x <= o->max));
        if (!ok) {
            number_need(o, need, sizeof need);
            return cli_usage_error(c->name, "%s needs %s", name, need);
        }
        *AT(args, o->off, double) = x;
        return 0;
    }
    uint64_t x;
    double hi = o->max > 0 ? o->max : 18446744073709551615.0;
    if (!val || parse_whole(val, &x) < 0 || (double)x < o->min || (double)x > hi) {
        number_need(o, need, sizeof need);
        return cli_usage_error(c->name, "%s needs %s", name, need);
    }
    if (o->kind == CLI_U64) {
        *AT(args, o->off, uint64_t) = x;
    } else if (o->kind == CLI_U32) {
        *AT(args, o->off, uint32_t) = (uint32_t)x;
    } else {
        *AT(args, o->off, unsigned) = (unsigned)x;
    }
    return 0;
}

static int set_choice(const cli_cmd *c, const cli_opt *o, void *args, const char *name, const char *val)
{
    size_t k = 0, len = val ? strlen(val) : 0;
    for (const char *p = o->choices; *p; k++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (val && n == len && strncmp(p, val, n) == 0) {
            int v = (int)k;
            if (o->parse ? o->parse(val, &v) < 0 : 0) {
                break; /* listed here but unknown to the library: refused below */
            }
            *AT(args, o->off, int) = o->values ? o->values[k] : v;
            return 0;
        }
        p += n + (bar != NULL);
    }
    /* "must be a, b or c" */
    char list[256];
    size_t out = 0, count = 0;
    for (const char *p = o->choices; *p; p++) {
        count += *p == '|';
    }
    size_t idx = 0;
    for (const char *p = o->choices; *p && out + 8 < sizeof list; p++) {
        if (*p == '|') {
            idx++;
            const char *sep = idx == count ? " or " : ", ";
            size_t n = strlen(sep);
            memcpy(list + out, sep, n);
            out += n;
        } else {
            list[out++] = *p;
        }
    }
    list[out] = '\0';
    return cli_usage_error(c->name, "%s must be %s", name, list);
}

/* Give the value of option o (at argv[*i], value inline or in the next argument). */
static int apply(const cli_cmd *c, const cli_opt *o, void *args, int argc, char **argv, int *i, const char *inl)
{
    const char *name = argv[*i];
    char shown[64];
    if (inl) { /* --name=value: messages name the option without the value */
        snprintf(shown, sizeof shown, "%s", o->name);
        name = shown;
    }
    if (o->kind == CLI_FLAG || o->kind == CLI_SET) {
        if (inl) {
            return cli_usage_error(c->name, "%s takes no value", o->name);
        }
        *AT(args, o->off, int) = o->kind == CLI_SET ? o->ival : 1;
        return 0;
    }
    const char *val = inl;
    if (!val) {
        if (*i + 1 >= argc) {
            return cli_usage_error(c->name, "%s needs a value (%s)", name, o->arg ? o->arg : "VALUE");
        }
        val = argv[++*i];
    }
    switch (o->kind) {
    case CLI_STR:
        if (!*val && o->min >= 0) {
            return cli_usage_error(c->name, "%s needs a value (%s)", name, o->arg ? o->arg : "VALUE");
        }
        *AT(args, o->off, const char *) = val;
        return 0;
    case CLI_STRS: {
        const char **arr = *AT(args, o->off, const char **);
        size_t *n = AT(args, o->off2, size_t);
        if (o->multi && val[0] == '-' && !inl) {
            return cli_usage_error(c->name, "%s needs at least one %s", name, o->arg ? o->arg : "value");
        }
        arr[(*n)++] = val;
        while (o->multi && !inl && *i + 1 < argc && argv[*i + 1][0] != '-') {
            arr[(*n)++] = argv[++*i];
        }
        return 0;
    }
    case CLI_U64:
    case CLI_U32:
    case CLI_UINT:
    case CLI_DOUBLE:
        return set_number(c, o, args, name, val);
    case CLI_CHOICE:
        return set_choice(c, o, args, name, val);
    case CLI_CALL:
        return o->call(args, name, val);
    case CLI_FLAG:
    case CLI_SET:
        break;
    }
    return 0;
}

static const cli_opt *find(const cli_cmd *c, const char *arg, size_t len, size_t *index)
{
    for (size_t k = 0; k < c->n_opts; k++) {
        const cli_opt *o = &c->opts[k];
        int hit = (arg[1] == '-') ? strlen(o->name) == len && strncmp(o->name, arg, len) == 0
                                  : (o->short_name && len == 2 && arg[1] == o->short_name);
        if (hit) {
            *index = k;
            return o;
        }
    }
    return NULL;
}

int cli_parse(const cli_cmd *c, int argc, char **argv, void *args, unsigned *given, int *exit_status)
{
    size_t room = argc > 0 ? (size_t)argc : 1;
    *exit_status = EXIT_OK;
    if (given) {
        memset(given, 0, c->n_opts * sizeof *given);
    }
    /* Arrays first, so that cli_args_free can always run. */
    for (size_t k = 0; k < c->n_opts; k++) {
        if (c->opts[k].kind == CLI_STRS) {
            const char ***arr = AT(args, c->opts[k].off, const char **);
            if (!*arr && !(*arr = calloc(room, sizeof **arr))) {
                *exit_status = EXIT_FAIL;
                return -1;
            }
        }
    }
    const char ***pos = c->pos_name ? AT(args, c->pos_off, const char **) : NULL;
    size_t *npos = c->pos_name ? AT(args, c->npos_off, size_t) : NULL;
    if (pos && !*pos && !(*pos = calloc(room, sizeof **pos))) {
        *exit_status = EXIT_FAIL;
        return -1;
    }
    int options_end = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!options_end && strcmp(arg, "--") == 0) {
            options_end = 1;
            continue;
        }
        if (!options_end && arg[0] == '-' && arg[1]) {
            if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
                char *text = cli_cmd_help(c);
                *exit_status = text ? cli_emit(text) : EXIT_FAIL;
                free(text);
                return -1;
            }
            const char *eq = arg[1] == '-' ? strchr(arg, '=') : NULL;
            size_t len = eq ? (size_t)(eq - arg) : strlen(arg), index;
            const cli_opt *o = find(c, arg, len, &index);
            if (!o) {
                *exit_status = cli_usage_error(c->name, "unknown option '%.*s'", (int)len, arg);
                return -1;
            }
            int rc = apply(c, o, args, argc, argv, &i, eq ? eq + 1 : NULL);
            if (rc != 0) {
                *exit_status = rc;
                return -1;
            }
            if (given) {
                given[index]++;
            }
            continue;
        }
        if (!pos) {
            *exit_status = cli_usage_error(c->name, "unexpected argument '%s'", arg);
            return -1;
        }
        if (c->max_pos && *npos >= c->max_pos) {
            *exit_status = cli_usage_error(c->name, "one %s at a time", c->pos_name);
            return -1;
        }
        (*pos)[(*npos)++] = arg;
    }
    return 0;
}

void cli_args_free(const cli_cmd *c, void *args)
{
    for (size_t k = 0; k < c->n_opts; k++) {
        if (c->opts[k].kind == CLI_STRS) {
            const char ***arr = AT(args, c->opts[k].off, const char **);
            free((void *)*arr);
            *arr = NULL;
        }
    }
    if (c->pos_name) {
        const char ***pos = AT(args, c->pos_off, const char **);
        free((void *)*pos);
        *pos = NULL;
    }
}

unsigned cli_given(const cli_cmd *c, const unsigned *given, const char *name)
{
    for (size_t k = 0; k < c->n_opts; k++) {
        if (strcmp(c->opts[k].name, name) == 0) {
            return given[k];
        }
    }
    return 0;
}

#define NAME_PARSER(fn, type, lib)                                                                               \
    int fn(const char *s, int *value)                                                                              \
    {                                                                                                              \
        type v;                                                                                                    \
        int rc = lib(s, &v);                                                                                       \
        if (rc == 0) {                                                                                             \
            *value = (int)v;                                                                                       \
        }                                                                                                          \
        return rc;                                                                                                 \
    }
NAME_PARSER(cli_parse_protocol, pl_protocol, pl_protocol_parse)
NAME_PARSER(cli_parse_mediator_order, pl_mediator_order, pl_mediator_order_parse)
NAME_PARSER(cli_parse_algorithm, pl_pareto_algorithm, pl_pareto_algorithm_parse)
NAME_PARSER(cli_parse_format, pl_format, pl_format_parse)

/* ---- Help ---- */

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int failed;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->failed) {
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        char *t = realloc(b->s, cap);
        if (!t) {
            b->failed = 1;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_spaces(sbuf *b, size_t n)
{
    while (n-- > 0) {
        sb_put(b, " ", 1);
    }
}

/* "-a, --agents LIST" */
static size_t opt_label(const cli_opt *o, char *buf, size_t size)
{
    int n = o->short_name ? snprintf(buf, size, "-%c, %s%s%s", o->short_name, o->name, o->arg ? " " : "",
                                     o->arg ? o->arg : "")
                          : snprintf(buf, size, "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

char *cli_cmd_help(const cli_cmd *c)
{
    sbuf b = {0};
    sb_puts(&b, c->usage);
    if (c->description) {
        sb_puts(&b, "\n");
        sb_puts(&b, c->description);
    }
    if (c->n_opts > 0) {
        size_t width = 0;
        char label[128];
        for (size_t k = 0; k < c->n_opts; k++) {
            size_t n = opt_label(&c->opts[k], label, sizeof label);
            width = n > width ? n : width;
        }
        width = width > 24 ? 24 : width;
        sb_puts(&b, "\nOptions:\n");
        for (size_t k = 0; k < c->n_opts; k++) {
            const cli_opt *o = &c->opts[k];
            size_t n = opt_label(o, label, sizeof label);
            sb_puts(&b, "  ");
            sb_puts(&b, label);
            if (n > width) { /* a long label gets its own line */
                sb_puts(&b, "\n");
                sb_spaces(&b, 2 + width + 2);
            } else {
                sb_spaces(&b, width - n + 2);
            }
            for (const char *p = o->help; *p;) {
                const char *nl = strchr(p, '\n');
                size_t len = nl ? (size_t)(nl - p) : strlen(p);
                sb_put(&b, p, len);
                sb_puts(&b, "\n");
                if (!nl) {
                    break;
                }
                p = nl + 1;
                sb_spaces(&b, 2 + width + 2);
            }
        }
        sb_puts(&b, "  -h, --help");
        sb_spaces(&b, width > 10 ? width - 10 + 2 : 2);
        sb_puts(&b, "this help\n");
    }
    if (c->epilog) {
        sb_puts(&b, "\n");
        sb_puts(&b, c->epilog);
    }
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

const cli_cmd *cli_find_command(const char *name)
{
    for (size_t k = 0; k < cli_command_count; k++) {
        if (strcmp(cli_commands[k]->name, name) == 0) {
            return cli_commands[k];
        }
    }
    if (strcmp(name, "analyse") == 0) {
        return cli_find_command("analyze");
    }
    return NULL;
}
