/* Negotiating agents: the interface every agent implements (built-in or plug-in), its parameters, the registry that
 * finds agents by name, and the read-only per-scenario data agents share between sessions.
 *
 * An agent type is a vtable. For each session the protocol calls start (the agent allocates its state), then, on
 * each of its turns, respond (to the offer on the table) and, when it rejects, propose; observe is called with every
 * action of the other parties; free ends the session. Under the mediated single-text protocol the protocol instead
 * calls vote on every change of the text the mediator proposes (agents without vote cannot take part). An agent
 * sees only its own utility function and what the protocol reveals.
 *
 * Writing a plug-in: build a shared library that defines
 *     int pl_plugin_register(pl_registry *r) { return pl_registry_add(r, &my_type, NULL); }
 * and load it with `parley run --agent-lib ./libmine.so`. See examples/ and docs/agents.md. */
#ifndef PARLEY_AGENT_H
#define PARLEY_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/scenario.h"

/* Version of this interface; a plug-in built against another version is refused. */
#define PL_AGENT_API_VERSION 2 /* 2: pl_agent_type.vote appended */

/* ---- Parameters ---- */

typedef enum pl_param_kind {
    PL_PARAM_DOUBLE = 0, /* a finite number in [min, max] */
    PL_PARAM_INT = 1,    /* an integer in [min, max] */
    PL_PARAM_STRING = 2  /* any text (may contain balanced parentheses and commas, e.g. "timebased(e=0.2)") */
} pl_param_kind;

typedef struct pl_param_spec {
    const char *name;
    pl_param_kind kind;
    const char *default_value; /* as text; parsed like a user value */
    double min, max;           /* numbers only; min == max == 0 means unbounded */
    const char *description;
} pl_param_spec;

/* Parameter values of one agent: every declared parameter, with its default when not given. */
typedef struct pl_params pl_params;

/* Values by name; the name must be a declared parameter (else 0 / NAN / ""). */
PL_API double pl_params_double(const pl_params *p, const char *name);
PL_API int64_t pl_params_int(const pl_params *p, const char *name);
PL_API const char *pl_params_string(const pl_params *p, const char *name);
/* 1 when the user gave the parameter (not the default). */
PL_API int pl_params_given(const pl_params *p, const char *name);

/* Split "key=value,key=value" (values may contain parenthesised commas) into pairs and check them against the
 * specs. For agents that take composite values, e.g. "timebased(e=0.2)": pass the text between the parentheses.
 * *out belongs to the caller (pl_params_free). Errors: PL_EINVAL with the offending part named in d. */
PL_API int pl_params_parse(const pl_param_spec *specs, size_t n_specs, const char *text, pl_params **out, pl_diag *d);
PL_API void pl_params_free(pl_params *p);

/* ---- Protocol state seen by agents ---- */

typedef enum pl_protocol {
    PL_PROTOCOL_SAOP = 0,        /* stacked alternating offers, parley's time convention */
    PL_PROTOCOL_SAOP_GENIUS = 1, /* stacked alternating offers with GENIUS 10.4's clock (docs/genius.md) */
    PL_PROTOCOL_SINGLE_TEXT = 2  /* mediated single-text: parties vote on changes of one text (docs/agents.md) */
} pl_protocol;

typedef enum pl_action_kind {
    PL_ACTION_OFFER = 0,
    PL_ACTION_ACCEPT = 1,
    PL_ACTION_END = 2,
    PL_ACTION_PROPOSE = 3 /* single-text: the mediator put a change of the text to a vote (traces only) */
} pl_action_kind;

typedef enum pl_response {
    PL_RESPONSE_REJECT = 0, /* reject: the protocol then asks for a counter-offer (propose) */
    PL_RESPONSE_ACCEPT = 1,
    PL_RESPONSE_END = 2     /* walk away: the session ends without agreement */
} pl_response;

typedef struct pl_sorted pl_sorted;

/* What a party knows for the whole session. */
typedef struct pl_agent_view {
    const pl_space *space;
    const pl_ufun *ufun;       /* the party's own utility function */
    const char *party_name;
    size_t party;              /* its place in the turn order (0 moves first) */
    size_t n_parties;
    pl_protocol protocol;
    uint64_t rounds;           /* round deadline, 0 = none */
    double time_limit;         /* seconds, 0 = none */
    uint64_t seed;             /* for the agent's own random choices */
    const pl_params *params;   /* validated parameters, defaults filled in */
    void *internal;            /* parley's; pass the view to pl_agent_sorted / pl_agent_shared */
} pl_agent_view;

/* The state of the protocol when it is an agent's turn. */
typedef struct pl_turn {
    uint64_t round;          /* 1-based round */
    uint64_t turn;           /* 0-based count of turns so far in the session */
    double t;                /* relative time in [0, 1] */
    const uint32_t *offer;   /* the offer on the table (NULL before the first offer) */
    size_t offerer;          /* who made it */
    size_t accepts;          /* how many parties have accepted it so far */
} pl_turn;

/* An action of another party, as observed. outcome is the offer made or accepted (NULL for an end). */
typedef struct pl_event {
    size_t party;
    pl_action_kind action;
    const uint32_t *outcome;
    uint64_t round;
    double t;
} pl_event;

/* The proposer of a change under the single-text protocol when the mediator is neutral (no party). */
#define PL_MEDIATOR_NEUTRAL SIZE_MAX

/* A change of the single negotiating text put to a vote (PL_PROTOCOL_SINGLE_TEXT): proposed is current with one
 * issue set to another value. */
typedef struct pl_vote {
    uint64_t round;            /* 1-based step */
    double t;                  /* relative time: (step - 1) / (steps - 1), or elapsed / time limit */
    const uint32_t *current;   /* the text as it stands */
    const uint32_t *proposed;  /* the text with the change */
    size_t issue;              /* the changed issue */
    size_t proposer;           /* the mediating party, or PL_MEDIATOR_NEUTRAL */
} pl_vote;

/* ---- The agent interface ---- */

typedef struct pl_agent_type {
    int api_version;                   /* PL_AGENT_API_VERSION */
    const char *name;                  /* what users type: lowercase letters, digits, '-' and '_' */
    const char *description;           /* one line */
    const pl_param_spec *params;
    size_t n_params;
    /* Allocate the state for one session into *self. Return 0, or a negative PL_E* code with d filled. */
    int (*start)(void **self, const pl_agent_view *view, pl_diag *d);
    /* Respond to the offer on the table (turn->offer != NULL). respond and propose may both be NULL for an agent that
     * only votes (single-text); SAOP sessions then refuse it. */
    int (*respond)(void *self, const pl_turn *turn, pl_response *response, pl_diag *d);
    /* Make an offer: write one value index per issue into outcome (a valid outcome; else a protocol violation). */
    int (*propose)(void *self, const pl_turn *turn, uint32_t *outcome, pl_diag *d);
    /* Another party acted. May be NULL. */
    void (*observe)(void *self, const pl_event *event);
    /* End of the session. NULL-safe self. */
    void (*free)(void *self);
    /* Single-text protocol: set *accept to 1 (accept the proposed text) or 0 (reject it: a veto). May be NULL: the
     * agent then cannot take part in single-text sessions. Return 0, or a negative PL_E* code with d filled.
     * Under single-text, observe is not called: the current text of the next vote shows whether a change stood. */
    int (*vote)(void *self, const pl_vote *vote, int *accept, pl_diag *d);
} pl_agent_type;

/* ---- Shared per-scenario data ---- */

/* The party's outcomes sorted by its undiscounted utility, descending; equal utilities in ascending dense-index
 * order. Built once per scenario and party, then shared read-only by every session. For spaces larger than the
 * negotiation's sorted_limit the list holds a candidate set built from the party's own utility function only (a
 * seeded sample plus greedy ascent paths; docs/agents.md), and pl_sorted_complete says 0. */
PL_API int pl_agent_sorted(const pl_agent_view *view, const pl_sorted **out, pl_diag *d);

PL_API size_t pl_sorted_count(const pl_sorted *s);
PL_API int pl_sorted_complete(const pl_sorted *s);
/* Utilities, descending. */
PL_API const double *pl_sorted_utilities(const pl_sorted *s);
/* The outcome at rank k (0 = best). O(issues). */
PL_API void pl_sorted_outcome(const pl_sorted *s, size_t rank, uint32_t *outcome);
/* The highest rank whose utility is >= target (the outcome closest to the target from above), or -1 when every
 * utility is below target. hint: a rank near the answer (e.g. the previous answer) or 0; the search gallops from
 * it, so walking down a concession curve costs O(log step) per call. */
PL_API long pl_sorted_rank_at_least(const pl_sorted *s, double target, size_t hint);
/* The first rank of the group of equal utility that rank k belongs to. */
PL_API size_t pl_sorted_group_first(const pl_sorted *s, size_t rank);

/* Data an agent type builds once per scenario and party from the view (its own utility function only) and shares
 * between sessions: the first caller for (key, party) runs build under a lock; later callers get the same pointer.
 * key identifies the data (e.g. the agent type's address). The data is freed with free_data when the scenario's
 * negotiation context is freed. build may itself call pl_agent_sorted and pl_agent_shared (with another key). */
PL_API int pl_agent_shared(const pl_agent_view *view, const void *key,
                           int (*build)(const pl_agent_view *view, void **data, pl_diag *d),
                           void (*free_data)(void *data), void **out, pl_diag *d);

/* ---- The registry ---- */

typedef struct pl_registry pl_registry;

/* A registry with every built-in agent into *out (the caller's: pl_registry_free; NULL on failure).
 * Errors: PL_EINVAL (out NULL), PL_ENOMEM. */
PL_API int pl_registry_new(pl_registry **out, pl_diag *d);
PL_API void pl_registry_free(pl_registry *r); /* also unloads plug-ins */
/* Add an agent type (it must outlive the registry). PL_EINVAL for a bad or duplicate name or API version, or missing
 * functions (start and free, and respond and propose, or vote, or all four). */
PL_API int pl_registry_add(pl_registry *r, const pl_agent_type *type, pl_diag *d);
/* Load a plug-in shared library and call its pl_plugin_register(r). Errors: PL_EIO (cannot load), PL_EINVAL. */
PL_API int pl_registry_load_plugin(pl_registry *r, const char *path, pl_diag *d);
PL_API size_t pl_registry_count(const pl_registry *r);
PL_API const pl_agent_type *pl_registry_type(const pl_registry *r, size_t k);
PL_API const pl_agent_type *pl_registry_find(const pl_registry *r, const char *name);

/* An agent chosen by name with parameters: "boulware", "timebased:e=0.5",
 * "boa:bidding=timebased(e=0.2),model=frequency,accept=combi(t=0.98)". */
typedef struct pl_agent_spec pl_agent_spec;

PL_API int pl_agent_spec_parse(const pl_registry *r, const char *text, pl_agent_spec **out, pl_diag *d);
PL_API void pl_agent_spec_free(pl_agent_spec *s);
PL_API const pl_agent_type *pl_agent_spec_type(const pl_agent_spec *s);
PL_API const pl_params *pl_agent_spec_params(const pl_agent_spec *s);
/* The text it was parsed from. */
PL_API const char *pl_agent_spec_text(const pl_agent_spec *s);
/* 1 when the spec's agent type is one of parley's built-in agents, 0 for a plug-in's (isolated sessions run only
 * sessions with plug-ins in a child process). */
PL_API int pl_agent_spec_builtin(const pl_agent_spec *s);

/* Split a list of agent specs separated by commas: a comma starts a new agent unless what follows is a parameter
 * ("key=value", no ':' before the '='), so "boa:bidding=x(e=1),accept=next,conceder" is two agents. The pieces are
 * strings in *items (the caller's: pl_free each and the array). */
PL_API int pl_agent_list_split(const char *text, char ***items, size_t *n, pl_diag *d);

#endif
