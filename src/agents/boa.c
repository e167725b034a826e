/* The BOA agent (Baarslag, Hindriks, Hendrikx, Dirkzwager & Jonker 2014, "Decoupling negotiating agents to explore
 * the space of negotiation strategies"): a bidding strategy, an opponent model and an acceptance condition, each
 * chosen by name in the agent's parameters ("boa:bidding=timebased(e=0.2),model=frequency,accept=combi(t=0.98)")
 * and parsed when a session starts. The exact rules are in docs/agents.md and in the comments below. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agents/agents_internal.h"
#include "agents/boa_internal.h"
#include "core/internal.h"

/* Most ranks the frequency model looks at per turn when breaking ties near the target: keeps a turn O(64 issues). */
#define BOA_CANDIDATES 64
/* Estimated opponent utilities closer than this are a tie (sums of the same weights in another order). */
#define BOA_TIE_EPS 1e-12

enum { MODEL_NONE, MODEL_FREQUENCY };
enum { AC_NEXT, AC_CONST, AC_TIME, AC_COMBI };

/* ---- Component names and their parameters ---- */

typedef struct component {
    const char *name;
    int kind;     /* MODEL_* / AC_*; for bidding strategies unused */
    double fixed; /* bidding aliases: their exponent e (0: read parameter e) */
    const pl_param_spec *specs;
    size_t n_specs;
    const char *required; /* a parameter that must be given, or NULL */
} component;

static const pl_param_spec e_spec[] = {
    {"e", PL_PARAM_DOUBLE, "1", 1e-3, 1e3, "concession exponent: target = best - (best - rv) * t^(1/e)"}};
static const pl_param_spec frequency_spec[] = {
    {"learning", PL_PARAM_DOUBLE, "0.2", 0, 1e3, "added to the weight of an issue the opponent keeps unchanged"},
    {"window", PL_PARAM_DOUBLE, "0.02", 0, 1, "own-utility window above the target searched for the opponent's best"}};
/* Required parameters need a parseable default: it is never used. */
static const pl_param_spec a_spec[] = {{"a", PL_PARAM_DOUBLE, "0", 0, 0, "accept offers of utility >= a"}};
static const pl_param_spec t_spec[] = {{"t", PL_PARAM_DOUBLE, "0", 0, 1, "relative time from which it applies"}};

static const component biddings[] = {
    {"timebased", 0, 0, e_spec, 1, NULL},
    {"boulware", 0, 0.2, NULL, 0, NULL},
    {"linear", 0, 1, NULL, 0, NULL},
    {"conceder", 0, 2, NULL, 0, NULL},
};
static const component models[] = {
    {"none", MODEL_NONE, 0, NULL, 0, NULL},
    {"frequency", MODEL_FREQUENCY, 0, frequency_spec, 2, NULL},
};
static const component accepts[] = {
    {"next", AC_NEXT, 0, NULL, 0, NULL},
    {"const", AC_CONST, 0, a_spec, 1, "a"},
    {"time", AC_TIME, 0, t_spec, 1, "t"},
    {"combi", AC_COMBI, 0, t_spec, 1, "t"},
};

#define BIDDING_CHOICES "timebased(e=X), boulware, linear or conceder"
#define MODEL_CHOICES "none or frequency(learning=L,window=W)"
#define ACCEPT_CHOICES "next, const(a=X), time(t=T) or combi(t=T)"

/* Parse "name" or "name(key=value,...)" against a table. On success *which and *params (caller frees) are set. */
static int parse_component(const char *what, const char *text, const component *tab, size_t n, const char *choices,
                           const component **which, pl_params **params, pl_diag *d)
{
    const char *paren = strchr(text, '(');
    size_t len = strlen(text);
    size_t name_len = paren ? (size_t)(paren - text) : len;
    if (paren && (len < 2 || text[len - 1] != ')')) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "%s '%s': missing ')' at the end", what, text);
    }
    const component *c = NULL;
    for (size_t k = 0; k < n && !c; k++) {
        if (strlen(tab[k].name) == name_len && strncmp(tab[k].name, text, name_len) == 0) {
            c = &tab[k];
        }
    }
    if (!c) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "unknown %s '%.*s' (choose %s)", what, (int)name_len, text,
                            choices);
    }
    char *inner = paren ? pl__strndup(paren + 1, len - name_len - 2) : pl__strdup("");
    if (!inner) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    int rc = pl_params_parse(c->specs, c->n_specs, inner, params, d);
    pl__free(inner);
    if (rc < 0) {
        if (d) {
            char msg[sizeof d->message];
            snprintf(msg, sizeof msg, "%s", d->message);
            pl__diag_set(d, rc, NULL, 0, 0, "%s %s: %.400s", what, c->name, msg);
        }
        return rc;
    }
    if (c->required && !pl_params_given(*params, c->required)) {
        pl_params_free(*params);
        *params = NULL;
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "%s %s needs %s, e.g. %s(%s=0.9)", what, c->name, c->required,
                            c->name, c->required);
    }
    *which = c;
    return 0;
}

/* ---- The agent ---- */

typedef struct window_entry {
    double t, u;
} window_entry;

typedef struct boa {
    pl__core core;
    size_t party, n_parties;
    double inv_e; /* bidding: 1 / e */
    int model;
    double window; /* frequency: own-utility window above the target */
    pl__freq_model fm;
    int accept;
    double accept_x;      /* const: a; time and combi: T */
    uint32_t *scratch;    /* one outcome */
    uint64_t cached_turn; /* the turn whose next offer is cached (UINT64_MAX: none) */
    size_t cached_rank;
    /* AC_combi: the received offers (t, u) that can still be the window's maximum, a monotonic queue (utilities
     * strictly decreasing from head): amortised O(1) per offer, memory bounded by offers received. */
    window_entry *q;
    size_t qhead, qlen, qcap;
} boa;

static void boa_free(void *self)
{
    boa *a = self;
    if (!a) {
        return;
    }
    pl__freq_destroy(&a->fm);
    pl__free(a->scratch);
    pl__free(a->q);
    pl__free(a);
}

static int parse_all(boa *a, const pl_agent_view *v, pl_diag *d)
{
    const component *c;
    pl_params *p = NULL;
    int rc = parse_component("bidding strategy", pl_params_string(v->params, "bidding"), biddings,
                             sizeof biddings / sizeof biddings[0], BIDDING_CHOICES, &c, &p, d);
    if (rc < 0) {
        return rc;
    }
    a->inv_e = 1.0 / (c->fixed > 0 ? c->fixed : pl_params_double(p, "e"));
    pl_params_free(p);
    rc = parse_component("opponent model", pl_params_string(v->params, "model"), models,
                         sizeof models / sizeof models[0], MODEL_CHOICES, &c, &p, d);
    if (rc < 0) {
        return rc;
    }
    a->model = c->kind;
    double learning = 0;
    if (a->model == MODEL_FREQUENCY) {
        learning = pl_params_double(p, "learning");
        a->window = pl_params_double(p, "window");
    }
    pl_params_free(p);
    rc = parse_component("acceptance condition", pl_params_string(v->params, "accept"), accepts,
                         sizeof accepts / sizeof accepts[0], ACCEPT_CHOICES, &c, &p, d);
    if (rc < 0) {
        return rc;
    }
    a->accept = c->kind;
    if (a->accept == AC_CONST) {
        a->accept_x = pl_params_double(p, "a");
    } else if (a->accept != AC_NEXT) {
        a->accept_x = pl_params_double(p, "t");
    }
    pl_params_free(p);
    if (a->model == MODEL_FREQUENCY) {
        rc = pl__freq_init(&a->fm, v->space, v->n_parties, learning, d);
        if (rc < 0) {
            return rc;
        }
    }
    if (a->accept == AC_COMBI) {
        /* Room for the whole session when the deadline is in rounds (one received offer per round), else grow. */
        a->qcap = v->rounds > 0 && v->rounds < 4096 ? (size_t)v->rounds : 4096;
        a->q = pl__malloc(a->qcap * sizeof *a->q);
        if (!a->q) {
            return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        }
    }
    return 0;
}

static int boa_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    boa *a = pl__calloc(1, sizeof *a);
    if (!a) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    size_t ni = pl_space_issue_count(v->space);
    a->party = v->party;
    a->n_parties = v->n_parties;
    a->cached_turn = UINT64_MAX;
    int rc = parse_all(a, v, d);
    if (rc == 0) {
        rc = pl__core_init(&a->core, v, d);
    }
    if (rc == 0 && !(a->scratch = pl__malloc((ni ? ni : 1) * sizeof *a->scratch))) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (rc < 0) {
        boa_free(a);
        return rc;
    }
    *self = a;
    return 0;
}

const pl__freq_model *pl__boa_model(const void *self)
{
    const boa *a = self;
    return a->model == MODEL_FREQUENCY ? &a->fm : NULL;
}

/* Bidding. Target: best - (best - rv) * t^(1/e) (Faratin, Sierra & Jennings 1998). Without a model (or before the
 * modelled party's first offer) the outcome closest to the target from above. With the frequency model, among the
 * ranks whose own utility is in [target, target + window] (at most BOA_CANDIDATES, those nearest the target), the
 * one the opponent is estimated to like best; ties go to the lowest rank. */
static size_t pick_rank(boa *a, const pl_turn *tn)
{
    double f = tn->t <= 0 ? 0 : tn->t >= 1 ? 1 : pow(tn->t, a->inv_e);
    double target = pl__core_curve(&a->core, f);
    long r = pl_sorted_rank_at_least(a->core.sorted, target, a->core.hint);
    size_t hi = r < 0 ? 0 : (size_t)r;
    a->core.hint = hi;
    size_t first = pl_sorted_group_first(a->core.sorted, hi);
    size_t opp = tn->offerer;
    if (a->model != MODEL_FREQUENCY || !tn->offer || opp == a->party || opp >= a->n_parties ||
        pl__freq_offers(&a->fm, opp) == 0) {
        return first;
    }
    const double *su = a->core.su;
    double top = target + a->window;
    if (r < 0 || su[hi] > top) {
        return first; /* nothing within the window: the nearest outcome above it */
    }
    size_t lo = hi;
    while (lo > 0 && hi - lo + 1 < BOA_CANDIDATES && su[lo - 1] <= top) {
        lo--;
    }
    size_t best = lo;
    double best_v = -INFINITY;
    for (size_t k = lo; k <= hi; k++) {
        pl_sorted_outcome(a->core.sorted, k, a->scratch);
        double v = pl__freq_eval(&a->fm, opp, a->scratch);
        if (v > best_v + BOA_TIE_EPS) {
            best_v = v;
            best = k;
        }
    }
    return best;
}

/* The rank this agent offers at this turn (once per turn: respond and propose share it). */
static size_t next_rank(boa *a, const pl_turn *tn)
{
    if (a->cached_turn != tn->turn) {
        a->cached_rank = pick_rank(a, tn);
        a->cached_turn = tn->turn;
    }
    return a->cached_rank;
}

/* AC_combi's window [t - (1 - t), t] (Baarslag, Hindriks & Jonker 2014, "Effective acceptance conditions in
 * real-time automated negotiation"): record an offer received at t, drop what left the window, and return the best
 * utility received in it (the new offer included). Times never decrease, so the window only slides forward. */
static int window_push(boa *a, double t, double u, double *max, pl_diag *d)
{
    double left = t - (1.0 - t);
    while (a->qlen > a->qhead && a->q[a->qlen - 1].u <= u) {
        a->qlen--;
    }
    if (a->qlen == a->qcap) {
        if (a->qhead > 0 && a->qhead >= a->qcap / 2) { /* qcap 1, qhead 0: compacting frees nothing */
            memmove(a->q, a->q + a->qhead, (a->qlen - a->qhead) * sizeof *a->q);
            a->qlen -= a->qhead;
            a->qhead = 0;
        } else {
            window_entry *nq = pl__realloc(a->q, 2 * a->qcap * sizeof *nq);
            if (!nq) {
                return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
            }
            a->q = nq;
            a->qcap *= 2;
        }
    }
    a->q[a->qlen++] = (window_entry){t, u};
    while (a->q[a->qhead].t < left) {
        a->qhead++; /* stops at the new entry at the latest: t >= left */
    }
    *max = a->q[a->qhead].u;
    return 0;
}

/* Acceptance. next: u >= u(own next offer). const: u >= a. time: t >= T, whatever the offer. combi: next, or t >= T
 * and u >= the best utility received in [t - (1 - t), t]. All but time also refuse offers below the reservation
 * value (AC_time is kept pure: it is the baseline "accept anything at the end" of the acceptance literature). */
static int boa_respond(void *self, const pl_turn *tn, pl_response *resp, pl_diag *d)
{
    boa *a = self;
    double u = pl_ufun_eval(a->core.u, tn->offer);
    if (a->model == MODEL_FREQUENCY && tn->offerer != a->party && tn->offerer < a->n_parties) {
        /* Each offer reaches this party's respond at most once, so the model sees every offer it answers once. */
        pl__freq_update(&a->fm, tn->offerer, tn->offer);
        a->cached_turn = UINT64_MAX;
    }
    double win_max = 0;
    if (a->accept == AC_COMBI) {
        int rc = window_push(a, tn->t, u, &win_max, d);
        if (rc < 0) {
            return rc;
        }
    }
    double mine = a->core.su[next_rank(a, tn)];
    int ok = 0;
    switch (a->accept) {
    case AC_NEXT:
        ok = pl__core_acceptable(&a->core, u, mine);
        break;
    case AC_CONST:
        ok = pl__core_acceptable(&a->core, u, a->accept_x);
        break;
    case AC_TIME:
        ok = tn->t >= a->accept_x;
        break;
    default:
        ok = pl__core_acceptable(&a->core, u, mine) ||
             (tn->t >= a->accept_x && pl__core_acceptable(&a->core, u, win_max));
        break;
    }
    *resp = ok ? PL_RESPONSE_ACCEPT : PL_RESPONSE_REJECT;
    return 0;
}

static int boa_propose(void *self, const pl_turn *tn, uint32_t *outcome, pl_diag *d)
{
    boa *a = self;
    pl_sorted_outcome(a->core.sorted, next_rank(a, tn), outcome);
    return 0;
}

static const pl_param_spec boa_params[] = {
    {"bidding", PL_PARAM_STRING, "timebased(e=1)", 0, 0, "bidding strategy: " BIDDING_CHOICES},
    {"model", PL_PARAM_STRING, "frequency", 0, 0, "opponent model: " MODEL_CHOICES},
    {"accept", PL_PARAM_STRING, "next", 0, 0, "acceptance condition: " ACCEPT_CHOICES},
};

const pl_agent_type pl__agent_boa = {
    PL_AGENT_API_VERSION,
    "boa",
    "BOA composition (Baarslag et al. 2014): bidding strategy x opponent model x acceptance condition",
    boa_params,
    sizeof boa_params / sizeof boa_params[0],
    boa_start,
    boa_respond,
    boa_propose,
    NULL,
    boa_free,
    NULL,
};
