/* The ANAC agents against GENIUS's originals: replays in parley the (scenario, opponent, order) sessions of
 * ../shared/reference/anac-agents-sessions.json for one agent under the GENIUS clock (PL_PROTOCOL_SAOP_GENIUS, the
 * record's round deadline, one session per seed) and aggregates, per opponent x scenario, the agreement rate and the
 * mean undiscounted utilities of both sides for parley and for the original (means over both orders and all
 * repetitions / seeds). Shared by bench/anac_compare.c (the whole table) and tests/unit/test_anac.c (pinned
 * figures). Header-only (static functions); needs jansson and libparley. */
#ifndef PL_ANAC_REF_H
#define PL_ANAC_REF_H

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "parley/parley.h"

/* The target of issue 17: utilities within 0.05 of the original's, agreement rates within 10 points. */
#define ANAC_UTIL_TOL 0.05
#define ANAC_AGREE_TOL 0.10

/* One opponent x scenario cell. */
typedef struct anac_cell {
    char scenario[64];
    char opponent[16];
    size_t ref_n, par_n;                /* sessions aggregated */
    double ref_agree, ref_ua, ref_uo;   /* the original: agreement rate, agent's and opponent's mean utility */
    double par_agree, par_ua, par_uo;   /* parley's */
    double par_rounds;                  /* parley's mean end round */
    double ref_rounds;
} anac_cell;

typedef struct anac_report {
    anac_cell *cells;
    size_t n;
    size_t sessions;   /* parley sessions run */
    double seconds;    /* wall-clock time of parley's sessions */
} anac_report;

static inline void anac_report_free(anac_report *r)
{
    free(r->cells);
    memset(r, 0, sizeof *r);
}

/* Largest deviations of a cell. */
static inline double anac_cell_dua(const anac_cell *c)
{
    return fabs(c->par_ua - c->ref_ua);
}
static inline double anac_cell_duo(const anac_cell *c)
{
    return fabs(c->par_uo - c->ref_uo);
}
static inline double anac_cell_dagree(const anac_cell *c)
{
    return fabs(c->par_agree - c->ref_agree);
}
static inline int anac_cell_ok(const anac_cell *c)
{
    return anac_cell_dua(c) <= ANAC_UTIL_TOL && anac_cell_duo(c) <= ANAC_UTIL_TOL &&
           anac_cell_dagree(c) <= ANAC_AGREE_TOL;
}

/* The scenario with the two named profiles (file names) in that order: party 0 moves first. NULL on failure. */
static inline pl_scenario *anac_reorder(const pl_scenario *base, const char *p0, const char *p1)
{
    pl_space *sp = NULL;
    if (pl_space_copy(pl_scenario_space(base), &sp, NULL) < 0) {
        return NULL;
    }
    pl_scenario *sc = NULL;
    if (pl_scenario_new(sp, &sc, NULL) < 0) {
        return NULL;
    }
    const char *prof[2] = {p0, p1};
    for (size_t k = 0; k < 2; k++) {
        char name[256];
        snprintf(name, sizeof name, "%s", prof[k]);
        char *dot = strrchr(name, '.');
        if (dot) {
            *dot = '\0';
        }
        long p = pl_scenario_find_party(base, name);
        pl_ufun *u = p >= 0 ? pl_ufun_copy(pl_scenario_ufun(base, (size_t)p), pl_scenario_space(sc)) : NULL;
        if (!u || pl_scenario_add_party(sc, name, u, NULL) < 0) {
            pl_scenario_free(sc);
            return NULL;
        }
    }
    return sc;
}

/* The reference name of a parley agent spec: its name before ':' matched case-insensitively ("hardheaded" ->
 * "HardHeaded"). */
static inline int anac_same_agent(const char *spec, const char *ref_name)
{
    const char *at = strchr(spec, '@'); /* "spec@RefName": compare spec with another original */
    if (at) {
        return strcasecmp(at + 1, ref_name) == 0;
    }
    size_t n = strcspn(spec, ":");
    return strlen(ref_name) == n && strncasecmp(spec, ref_name, n) == 0;
}

static inline anac_cell *anac_cell_get(anac_report *r, const char *scenario, const char *opponent)
{
    for (size_t k = 0; k < r->n; k++) {
        if (strcmp(r->cells[k].scenario, scenario) == 0 && strcmp(r->cells[k].opponent, opponent) == 0) {
            return &r->cells[k];
        }
    }
    anac_cell *c = realloc(r->cells, (r->n + 1) * sizeof *c);
    if (!c) {
        return NULL;
    }
    r->cells = c;
    c = &r->cells[r->n++];
    memset(c, 0, sizeof *c);
    snprintf(c->scenario, sizeof c->scenario, "%s", scenario);
    snprintf(c->opponent, sizeof c->opponent, "%s", opponent);
    return c;
}

static inline double anac_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Run the comparison for agent (a parley spec, e.g. "hardheaded" or "hardheaded:e=0.05", optionally followed by
 * "@Name" to compare it with another original than its namesake, e.g. "yushu:k=2@Nozomi"): every reference
 * (scenario, opponent, order) of the agent whose scenario contains only (NULL: all) and whose opponent equals
 * only_opponent (NULL: all), seeds 1..seeds. ref: the JSON file; anac_dir: the scenarios' root. Returns 0, or -1 with
 * a message in err. */
static inline int anac_compare(const char *ref, const char *anac_dir, const char *agent, const char *only,
                               const char *only_opponent, unsigned seeds, anac_report *out, char *err,
                               size_t err_size)
{
    memset(out, 0, sizeof *out);
    json_error_t je;
    json_t *root = json_load_file(ref, 0, &je);
    if (!root) {
        snprintf(err, err_size, "%s:%d: %s", ref, je.line, je.text);
        return -1;
    }
    int rc = -1;
    pl_registry *reg = NULL;
    pl_registry_new(&reg, NULL);
    pl_agent_spec *me = NULL, *opp[3] = {NULL, NULL, NULL};
    const char *opp_names[3] = {"boulware", "conceder", "linear"};
    const char *opp_specs[3] = {"genius-boulware", "genius-conceder", "genius-linear"};
    pl_diag d;
    pl_diag_clear(&d);
    char spec[512];
    snprintf(spec, sizeof spec, "%.*s", (int)strcspn(agent, "@"), agent);
    if (!reg || pl_agent_spec_parse(reg, spec, &me, &d) < 0) {
        snprintf(err, err_size, "%s: %s", agent, d.message);
        goto cleanup;
    }
    for (size_t k = 0; k < 3; k++) {
        if (pl_agent_spec_parse(reg, opp_specs[k], &opp[k], &d) < 0) {
            snprintf(err, err_size, "%s: %s", opp_specs[k], d.message);
            goto cleanup;
        }
    }
    /* Pass 1: the original's figures; pass 2: parley's sessions, once per (scenario, opponent, order). */
    size_t nrec = json_array_size(root);
    char *done = calloc(nrec + 1, 1);
    if (!done) {
        goto cleanup;
    }
    for (size_t i = 0; i < nrec; i++) {
        json_t *r = json_array_get(root, i);
        const char *name = json_string_value(json_object_get(r, "agent"));
        const char *scen = json_string_value(json_object_get(r, "scenario"));
        const char *opn = json_string_value(json_object_get(r, "opponent"));
        if (!name || !anac_same_agent(agent, name) || json_object_get(r, "error") || (only && !strstr(scen, only)) ||
            (only_opponent && strcmp(opn, only_opponent) != 0)) {
            done[i] = 1;
            continue;
        }
        int agent_first = strcmp(json_string_value(json_object_get(r, "order")), "agent_first") == 0;
        size_t ai = agent_first ? 0 : 1;
        anac_cell *c = anac_cell_get(out, scen, opn);
        if (!c) {
            free(done);
            goto cleanup;
        }
        json_t *u = json_object_get(r, "utilities");
        int agreed = !json_is_null(json_object_get(r, "agreement"));
        c->ref_n++;
        c->ref_agree += agreed;
        c->ref_ua += json_real_value(json_array_get(u, ai));
        c->ref_uo += json_real_value(json_array_get(u, 1 - ai));
        c->ref_rounds += (double)json_integer_value(json_object_get(r, "last_round"));
    }
    pl_scenario *base = NULL;
    char base_name[256] = "";
    double t0 = anac_now();
    for (size_t i = 0; i < nrec; i++) {
        if (done[i]) {
            continue;
        }
        json_t *r = json_array_get(root, i);
        const char *scen = json_string_value(json_object_get(r, "scenario"));
        const char *opn = json_string_value(json_object_get(r, "opponent"));
        const char *order = json_string_value(json_object_get(r, "order"));
        /* Mark every record of the same (scenario, opponent, order): one parley run covers them. */
        for (size_t j = i; j < nrec; j++) {
            json_t *q = json_array_get(root, j);
            if (!done[j] && strcmp(json_string_value(json_object_get(q, "scenario")), scen) == 0 &&
                strcmp(json_string_value(json_object_get(q, "opponent")), opn) == 0 &&
                strcmp(json_string_value(json_object_get(q, "order")), order) == 0) {
                done[j] = 1;
            }
        }
        if (strcmp(base_name, scen) != 0) {
            pl_scenario_free(base);
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", anac_dir, scen);
            const char *paths[1] = {path};
            base = NULL;
            if (pl_scenario_load(paths, 1, NULL, &base, &d) < 0) {
                snprintf(err, err_size, "%.500s: %.500s", path, d.message);
                free(done);
                goto cleanup;
            }
            snprintf(base_name, sizeof base_name, "%s", scen);
        }
        json_t *prof = json_object_get(r, "profiles");
        pl_scenario *sc = anac_reorder(base, json_string_value(json_array_get(prof, 0)),
                                       json_string_value(json_array_get(prof, 1)));
        pl_negotiation *neg = NULL;
        if (!sc || pl_negotiation_new(sc, NULL, &neg, &d) < 0) {
            snprintf(err, err_size, "%s: cannot prepare the scenario", scen);
            pl_scenario_free(sc);
            pl_scenario_free(base);
            free(done);
            goto cleanup;
        }
        int agent_first = strcmp(order, "agent_first") == 0;
        size_t ai = agent_first ? 0 : 1, k = 0;
        while (k < 3 && strcmp(opp_names[k], opn) != 0) {
            k++;
        }
        const pl_agent_spec *agents[2];
        agents[ai] = me;
        agents[1 - ai] = opp[k < 3 ? k : 0];
        anac_cell *c = anac_cell_get(out, scen, opn);
        for (unsigned s = 1; s <= seeds && c; s++) {
            pl_session_options o;
            pl_session_options_init(&o);
            o.protocol = PL_PROTOCOL_SAOP_GENIUS;
            o.rounds = (uint64_t)json_integer_value(json_object_get(r, "rounds"));
            o.seed = s;
            o.metrics = 0;
            pl_session_result res;
            pl_session_result_init(&res);
            if (pl_session_run(neg, agents, 2, &o, &res, &d) < 0 || res.status == PL_SESSION_ERROR ||
                res.status == PL_SESSION_VIOLATION) {
                snprintf(err, err_size, "%s %s %s seed %u: %s", scen, opn, order, s,
                         res.status == PL_SESSION_ERROR || res.status == PL_SESSION_VIOLATION ? res.reason
                                                                                             : d.message);
                pl_session_result_free(&res);
                pl_negotiation_free(neg);
                pl_scenario_free(sc);
                pl_scenario_free(base);
                free(done);
                goto cleanup;
            }
            c->par_n++;
            c->par_agree += res.status == PL_SESSION_AGREEMENT;
            c->par_ua += res.raw_utilities[ai];
            c->par_uo += res.raw_utilities[1 - ai];
            c->par_rounds += (double)res.rounds;
            out->sessions++;
            pl_session_result_free(&res);
        }
        pl_negotiation_free(neg);
        pl_scenario_free(sc);
    }
    out->seconds = anac_now() - t0;
    pl_scenario_free(base);
    free(done);
    for (size_t k = 0; k < out->n; k++) {
        anac_cell *c = &out->cells[k];
        double rn = c->ref_n ? (double)c->ref_n : 1, pn = c->par_n ? (double)c->par_n : 1;
        c->ref_agree /= rn;
        c->ref_ua /= rn;
        c->ref_uo /= rn;
        c->ref_rounds /= rn;
        c->par_agree /= pn;
        c->par_ua /= pn;
        c->par_uo /= pn;
        c->par_rounds /= pn;
    }
    if (out->n == 0) {
        snprintf(err, err_size, "no reference sessions for %s", agent);
        goto cleanup;
    }
    rc = 0;
cleanup:
    for (size_t k = 0; k < 3; k++) {
        pl_agent_spec_free(opp[k]);
    }
    pl_agent_spec_free(me);
    pl_registry_free(reg);
    json_decref(root);
    if (rc < 0) {
        anac_report_free(out);
    }
    return rc;
}

#endif
