/* One name table per enumeration parley writes or reads as text (parley/names.h). Each table lists every value of
 * its enum once, in enum order; a name is looked up by a linear scan (the tables have at most five entries). */
#include <string.h>

#include "core/internal.h"
#include "parley/names.h"

typedef struct name_entry {
    int value;
    const char *name;
} name_entry;

#define COUNT(t) (sizeof(t) / sizeof *(t))

static const char *lookup_name(const name_entry *t, size_t n, int v)
{
    for (size_t k = 0; k < n; k++) {
        if (t[k].value == v) {
            return t[k].name;
        }
    }
    return "?";
}

static int lookup_value(const name_entry *t, size_t n, const char *s, int *out)
{
    for (size_t k = 0; s && k < n; k++) {
        if (strcmp(t[k].name, s) == 0) {
            *out = t[k].value;
            return 0;
        }
    }
    return PL_EINVAL;
}

/* NAME_FUNCS(pl_x, type, table): pl_x_name and pl_x_parse over the table. */
#define NAME_FUNC(prefix, type, table)                                                                           \
    const char *prefix##_name(type v)                                                                           \
    {                                                                                                            \
        return lookup_name(table, COUNT(table), (int)v);                                                         \
    }
#define PARSE_FUNC(prefix, type, table)                                                                          \
    int prefix##_parse(const char *s, type *out)                                                                \
    {                                                                                                            \
        int v;                                                                                                   \
        int rc = lookup_value(table, COUNT(table), s, &v);                                                       \
        if (rc == 0) {                                                                                           \
            *out = (type)v;                                                                                      \
        }                                                                                                        \
        return rc;                                                                                               \
    }

static const name_entry protocols[] = {
    {PL_PROTOCOL_SAOP, "saop"}, {PL_PROTOCOL_SAOP_GENIUS, "saop-genius"}, {PL_PROTOCOL_SINGLE_TEXT, "single-text"}};
NAME_FUNC(pl_protocol, pl_protocol, protocols)
PARSE_FUNC(pl_protocol, pl_protocol, protocols)

static const name_entry actions[] = {
    {PL_ACTION_OFFER, "offer"}, {PL_ACTION_ACCEPT, "accept"}, {PL_ACTION_END, "end"}, {PL_ACTION_PROPOSE, "propose"}};
NAME_FUNC(pl_action, pl_action_kind, actions)
PARSE_FUNC(pl_action, pl_action_kind, actions)

static const name_entry session_statuses[] = {{PL_SESSION_AGREEMENT, "agreement"},
                                              {PL_SESSION_DEADLINE, "deadline"},
                                              {PL_SESSION_ENDED, "ended"},
                                              {PL_SESSION_VIOLATION, "violation"},
                                              {PL_SESSION_ERROR, "error"},
                                              {PL_SESSION_CRASH, "crash"},
                                              {PL_SESSION_TIMEOUT, "timeout"},
                                              {PL_SESSION_MEMORY, "memory"}};
NAME_FUNC(pl_session_status, pl_session_status, session_statuses)

static const name_entry isolates[] = {{PL_ISOLATE_AUTO, "auto"}, {PL_ISOLATE_ON, "on"}, {PL_ISOLATE_OFF, "off"}};
NAME_FUNC(pl_isolate, pl_isolate, isolates)
PARSE_FUNC(pl_isolate, pl_isolate, isolates)
PARSE_FUNC(pl_session_status, pl_session_status, session_statuses)

static const name_entry issue_statuses[] = {{PL_ISSUE_AGREED, "agreed"},
                                            {PL_ISSUE_DIVERGENT, "divergent"},
                                            {PL_ISSUE_NOT_REACHED, "not reached"},
                                            {PL_ISSUE_NOT_ADDRESSED, "not addressed"},
                                            {PL_ISSUE_UNDETERMINED, "undetermined"}};
NAME_FUNC(pl_issue_status, pl_issue_status, issue_statuses)
PARSE_FUNC(pl_issue_status, pl_issue_status, issue_statuses)

static const name_entry point_kinds[] = {{PL_POINT_NASH, "nash"},
                                         {PL_POINT_KALAI_SMORODINSKY, "kalai_smorodinsky"},
                                         {PL_POINT_EGALITARIAN, "egalitarian"},
                                         {PL_POINT_MAX_WELFARE, "max_welfare"}};
NAME_FUNC(pl_point_kind, pl_point_kind, point_kinds)
PARSE_FUNC(pl_point_kind, pl_point_kind, point_kinds)

static const name_entry algorithms[] = {{PL_PARETO_AUTO, "auto"},
                                        {PL_PARETO_ENUMERATE, "enumerate"},
                                        {PL_PARETO_MERGE, "merge"},
                                        {PL_PARETO_SEARCH, "search"}};
/* Out of range gives "auto", as it always has. */
const char *pl_pareto_algorithm_name(pl_pareto_algorithm a)
{
    const char *s = lookup_name(algorithms, COUNT(algorithms), (int)a);
    return strcmp(s, "?") == 0 ? "auto" : s;
}
PARSE_FUNC(pl_pareto_algorithm, pl_pareto_algorithm, algorithms)

static const name_entry mediator_orders[] = {{PL_MEDIATOR_RANDOM, "random"}, {PL_MEDIATOR_SYSTEMATIC, "systematic"}};
NAME_FUNC(pl_mediator_order, pl_mediator_order, mediator_orders)
PARSE_FUNC(pl_mediator_order, pl_mediator_order, mediator_orders)

static const name_entry issue_kinds[] = {
    {PL_ISSUE_DISCRETE, "discrete"}, {PL_ISSUE_INTEGER, "integer"}, {PL_ISSUE_REAL, "real"}};
NAME_FUNC(pl_issue_kind, pl_issue_kind, issue_kinds)
PARSE_FUNC(pl_issue_kind, pl_issue_kind, issue_kinds)

static const name_entry ufun_kinds[] = {{PL_UFUN_LINEAR, "linear_additive"}, {PL_UFUN_RECT, "hyper_rectangle"}};
NAME_FUNC(pl_ufun_kind, pl_ufun_kind, ufun_kinds)
PARSE_FUNC(pl_ufun_kind, pl_ufun_kind, ufun_kinds)

static const name_entry formats[] = {{PL_FORMAT_AUTO, "auto"},
                                     {PL_FORMAT_GENIUS_XML, "genius"},
                                     {PL_FORMAT_GENIUSWEB_JSON, "geniusweb"},
                                     {PL_FORMAT_PARLEY_JSON, "parley"}};
NAME_FUNC(pl_format, pl_format, formats)
PARSE_FUNC(pl_format, pl_format, formats)

static const name_entry export_formats[] = {{PL_EXPORT_CSV, "csv"}, {PL_EXPORT_JSON, "json"}};
NAME_FUNC(pl_export_format, pl_export_format, export_formats)
PARSE_FUNC(pl_export_format, pl_export_format, export_formats)

static const name_entry param_kinds[] = {
    {PL_PARAM_DOUBLE, "number"}, {PL_PARAM_INT, "integer"}, {PL_PARAM_STRING, "text"}};
NAME_FUNC(pl_param_kind, pl_param_kind, param_kinds)
PARSE_FUNC(pl_param_kind, pl_param_kind, param_kinds)
