/* Tournament plans: options, loading the scenarios and agents once, the cartesian plan scenarios x ordered
 * assignments x repetitions, per-session seeds, and the plan parameters as text (stored and compared on resume). */
#define _XOPEN_SOURCE 700 /* realpath */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/names.h"
#include "core/internal.h"
#include "io/json_writer.h"
#include "tournament/tournament_internal.h"

void pl_tournament_options_init_size(pl_tournament_options *out, size_t size)
{
    pl_tournament_options defaults, *o = &defaults;
    memset(o, 0, sizeof *o);
    o->reps = 1;
    o->seed = 1;
    o->protocol = PL_PROTOCOL_SAOP;
    o->rounds = 1000;
    o->metrics = 1;
    o->real_levels = PL_REAL_LEVELS_DEFAULT;
    o->commit_rows = 512;
    o->commit_seconds = 0.05;
    o->size = sizeof *o;
    pl__opts_init(out, size, o, sizeof *o);
}

/* Fold v into h with splitmix64's step and finaliser. */
static uint64_t fold(uint64_t h, uint64_t v)
{
    uint64_t state = h ^ v;
    return pl__splitmix(&state);
}

uint64_t pl_tournament_session_seed(uint64_t seed, uint64_t scenario_hash, const uint64_t *agent_hashes,
                                   size_t n_parties, uint64_t repetition)
{
    uint64_t h = fold(seed, scenario_hash);
    h = fold(h, n_parties);
    for (size_t k = 0; k < n_parties; k++) {
        h = fold(h, agent_hashes[k]);
    }
    return fold(h, repetition);
}

/* FNV-1a 64 (Fowler, Noll, Vo) over n bytes, continuing from h. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t k = 0; k < n; k++) {
        h = (h ^ p[k]) * 0x100000001b3ull;
    }
    return h;
}

#define FNV_START 0xcbf29ce484222325ull

uint64_t pl_tournament_text_hash(const char *text)
{
    return fnv1a(FNV_START, text, text ? strlen(text) : 0);
}

int pl_tournament_scenario_hash(const pl_scenario *sc, uint64_t *hash, pl_diag *d)
{
    char *json = NULL;
    int rc = pl_scenario_to_parley_json(sc, &json, d);
    if (rc < 0) {
        return rc;
    }
    *hash = fnv1a(FNV_START, json, strlen(json));
    pl_free(json);
    return 0;
}

uint64_t pl__tournament_seed(const pl_tournament *t, uint64_t index)
{
    const pl__tgroup *gr = &t->groups[index / t->o.reps];
    size_t np = pl_scenario_party_count(t->scenarios[gr->scenario]);
    uint64_t agents[64], *a = agents;
    uint64_t *heap = np > 64 ? pl__malloc(np * sizeof *heap) : NULL;
    if (heap) {
        a = heap;
    }
    size_t n = heap || np <= 64 ? np : 64; /* (beyond 64 parties without memory: the first 64 agents) */
    for (size_t k = 0; k < n; k++) {
        a[k] = t->agent_hash[gr->agents[k]];
    }
    uint64_t seed = pl_tournament_session_seed(t->o.seed, t->scenario_hash[gr->scenario], a, n, index - gr->first);
    pl__free(heap);
    return seed;
}

char *pl__hashes_text(const uint64_t *h, size_t n)
{
    pl__buf b;
    pl__buf_init(&b);
    pl__buf_puts(&b, "");
    for (size_t k = 0; k < n; k++) {
        pl__buf_printf(&b, "%s%016llx", k ? " " : "", (unsigned long long)h[k]);
    }
    return pl__buf_take(&b);
}

static void free_strings(char **v, size_t n)
{
    for (size_t k = 0; v && k < n; k++) {
        pl__free(v[k]);
    }
    pl__free(v);
}

static int copy_strings(const char *const *src, size_t n, char ***out)
{
    *out = pl__calloc(n ? n : 1, sizeof **out);
    if (!*out) {
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        if (!((*out)[k] = pl__strdup(src[k]))) {
            return -1;
        }
    }
    return 0;
}

void pl_tournament_free(pl_tournament *t)
{
    if (!t) {
        return;
    }
    for (size_t k = 0; k < t->o.n_scenarios; k++) {
        if (t->negs) {
            pl_negotiation_free(t->negs[k]);
        }
        if (t->scenarios) {
            pl_scenario_free(t->scenarios[k]);
        }
    }
    for (size_t k = 0; t->specs && k < t->o.n_agents; k++) {
        pl_agent_spec_free(t->specs[k]);
    }
    for (size_t g = 0; t->groups && g < t->n_groups; g++) {
        pl__free(t->groups[g].agents);
    }
    pl__free(t->groups);
    pl__free(t->scenario_hash);
    pl__free(t->agent_hash);
    pl__free(t->lib_hash);
    pl__free(t->negs);
    pl__free(t->scenarios);
    pl__free(t->specs);
    free_strings(t->agent_texts, t->o.n_agents);
    free_strings(t->scenario_paths, t->o.n_scenarios);
    free_strings(t->lib_paths, t->o.n_agent_libs);
    pl__free(t);
}

/* Number of assignments of m agents to np parties: m^np with self-play, m!/(m-np)! without; saturating. */
static uint64_t assignment_count(size_t m, size_t np, int self_play)
{
    uint64_t c = 1;
    for (size_t k = 0; k < np; k++) {
        uint64_t f = self_play ? m : (m > k ? m - k : 0);
        c = pl__mul_sat(c, f);
    }
    return c;
}

/* Append every assignment for scenario s in lexicographic order of agent indices. */
static int add_groups(pl_tournament *t, size_t s, size_t np, size_t *cap)
{
    size_t m = t->o.n_agents;
    size_t *cur = pl__calloc(np, sizeof *cur);
    if (!cur) {
        return PL_ENOMEM;
    }
    for (;;) {
        int distinct = 1;
        for (size_t a = 0; a < np && distinct; a++) {
            for (size_t b = a + 1; b < np; b++) {
                if (cur[a] == cur[b]) {
                    distinct = 0;
                    break;
                }
            }
        }
        if (distinct || t->o.self_play) {
            if (t->n_groups == *cap) {
                size_t nc = *cap ? *cap * 2 : 64;
                pl__tgroup *ng = pl__realloc(t->groups, nc * sizeof *ng);
                if (!ng) {
                    pl__free(cur);
                    return PL_ENOMEM;
                }
                t->groups = ng;
                *cap = nc;
            }
            pl__tgroup *g = &t->groups[t->n_groups];
            g->agents = pl__malloc(np * sizeof *g->agents);
            if (!g->agents) {
                pl__free(cur);
                return PL_ENOMEM;
            }
            memcpy(g->agents, cur, np * sizeof *cur);
            g->scenario = s;
            g->first = t->total;
            t->n_groups++;
            t->total += t->o.reps;
        }
        size_t k = np;
        while (k > 0 && ++cur[k - 1] == m) {
            cur[k - 1] = 0;
            k--;
        }
        if (k == 0) {
            break;
        }
    }
    pl__free(cur);
    return 0;
}

int pl_tournament_new(const pl_tournament_options *opts, const pl_registry *reg, pl_tournament **out, pl_diag *d)
{
    int rc = 0;
    *out = NULL;
    pl_tournament_options oc;
    pl_tournament_options_init(&oc);
    if (PL__OPTS_READ(pl_tournament_options, &oc, opts, ud, d) < 0) {
        return PL_EINVAL;
    }
    const pl_tournament_options *o = &oc;
    if (!o->n_agents || !o->n_scenarios) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "a tournament needs agents and scenarios");
    }
    if (o->reps == 0) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "the number of repetitions must be at least 1");
    }
    if (o->rounds == 0 && !(o->time_limit > 0)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "sessions need a deadline: rounds and/or a time limit");
    }
    if (o->isolate != PL_ISOLATE_AUTO && o->isolate != PL_ISOLATE_ON && o->isolate != PL_ISOLATE_OFF) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "unknown isolation mode %d", (int)o->isolate);
    }
    if (!(o->call_limit >= 0) || isinf(o->call_limit)) {
        return pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "the call limit must be a finite number of seconds >= 0");
    }
    pl_tournament *t = pl__calloc(1, sizeof *t);
    if (!t) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    t->o = *o;
    t->n_ranks = 1;
    if (copy_strings(o->agents, o->n_agents, &t->agent_texts) < 0 ||
        copy_strings(o->scenarios, o->n_scenarios, &t->scenario_paths) < 0 ||
        copy_strings(o->agent_libs, o->n_agent_libs, &t->lib_paths) < 0) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    t->o.agents = (const char *const *)t->agent_texts;
    t->o.scenarios = (const char *const *)t->scenario_paths;
    t->o.agent_libs = (const char *const *)t->lib_paths;
    t->specs = pl__calloc(o->n_agents, sizeof *t->specs);
    t->scenarios = pl__calloc(o->n_scenarios, sizeof *t->scenarios);
    t->negs = pl__calloc(o->n_scenarios, sizeof *t->negs);
    t->scenario_hash = pl__calloc(o->n_scenarios ? o->n_scenarios : 1, sizeof *t->scenario_hash);
    t->agent_hash = pl__calloc(o->n_agents ? o->n_agents : 1, sizeof *t->agent_hash);
    t->lib_hash = pl__calloc(o->n_agent_libs ? o->n_agent_libs : 1, sizeof *t->lib_hash);
    if (!t->specs || !t->scenarios || !t->negs || !t->scenario_hash || !t->agent_hash || !t->lib_hash) {
        rc = pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    for (size_t k = 0; k < o->n_agent_libs; k++) {
        /* Content hashes of the plug-ins (the registry loaded them): a rebuilt plug-in is seen on resume. */
        char *data = NULL;
        size_t len = 0;
        if (pl__read_file(o->agent_libs[k], &data, &len, NULL) == 0) {
            t->lib_hash[k] = fnv1a(FNV_START, data, len);
            pl__free(data);
        }
    }
    for (size_t k = 0; k < o->n_agents; k++) {
        t->agent_hash[k] = pl_tournament_text_hash(o->agents[k]);
        PL_TRY(pl_agent_spec_parse(reg, o->agents[k], &t->specs[k], d));
        for (size_t j = 0; j < k; j++) {
            if (strcmp(o->agents[j], o->agents[k]) == 0) {
                rc = pl__diag_set(d, PL_EINVAL, NULL, 0, 0, "agent '%s' is listed twice", o->agents[k]);
                goto cleanup;
            }
        }
    }
    pl_load_options lo;
    pl_load_options_init(&lo);
    lo.real_levels = o->real_levels;
    size_t cap = 0;
    for (size_t s = 0; s < o->n_scenarios; s++) {
        const char *p = o->scenarios[s];
        PL_TRY(pl_scenario_load(&p, 1, &lo, &t->scenarios[s], d));
        PL_TRY(pl_tournament_scenario_hash(t->scenarios[s], &t->scenario_hash[s], d));
        size_t np = pl_scenario_party_count(t->scenarios[s]);
        uint64_t na = assignment_count(o->n_agents, np, o->self_play);
        if (na == 0) {
            rc = pl__diag_set(d, PL_EINVAL, p, 0, 0,
                              "%zu parties but only %zu agents: give more agents or allow self-play", np,
                              o->n_agents);
            goto cleanup;
        }
        if (na > ((uint64_t)1 << 32) || pl__mul_sat(na, o->reps) > ((uint64_t)1 << 40)) {
            rc = pl__diag_set(d, PL_ETOOBIG, p, 0, 0, "the plan is too large (%llu assignments)",
                              (unsigned long long)na);
            goto cleanup;
        }
        PL_TRY(add_groups(t, s, np, &cap));
        pl_negotiation_options no;
        pl_negotiation_options_init(&no);
        no.threads = 1; /* the tournament's own threads keep the cores busy */
        PL_TRY(pl_negotiation_new(t->scenarios[s], &no, &t->negs[s], d));
    }
    *out = t;
    return 0;
cleanup:
    pl_tournament_free(t);
    return rc;
}

uint64_t pl_tournament_session_count(const pl_tournament *t)
{
    return t->total;
}

int pl_tournament_session_get(const pl_tournament *t, uint64_t index, pl_tournament_session *out, pl_diag *d)
{
    if (index >= t->total) {
        return pl__diag_set(d, PL_ERANGE, NULL, 0, 0, "session %llu of %llu", (unsigned long long)index,
                            (unsigned long long)t->total);
    }
    size_t g = (size_t)(index / t->o.reps); /* every group holds reps sessions */
    const pl__tgroup *gr = &t->groups[g];
    out->index = index;
    out->scenario = gr->scenario;
    out->n_parties = pl_scenario_party_count(t->scenarios[gr->scenario]);
    out->agents = gr->agents;
    out->repetition = index - gr->first;
    out->seed = pl__tournament_seed(t, index);
    return 0;
}

int pl_tournament_is_root(const pl_tournament *t)
{
    return t->rank == 0;
}

uint64_t pl_tournament_sessions_run(const pl_tournament *t)
{
    return t->ran;
}

/* ---- Parameters as text ---- */

const char *const pl__tparam_names[PL__TPARAMS] = {"agents", "scenarios", "agent_libs", "reps", "self_play",
                                                   "seed", "protocol", "rounds", "time_limit", "real_levels",
                                                   "metrics", "isolate", "call_limit", "memory_limit"};

static char *string_list_json(const char *const *v, size_t n, int resolve)
{
    pl_jw *w = pl_jw_new(0);
    if (!w) {
        return NULL;
    }
    pl_jw_array(w);
    for (size_t k = 0; k < n; k++) {
        char *real = resolve ? realpath(v[k], NULL) : NULL;
        pl_jw_string(w, real ? real : v[k]);
        free(real); /* realpath allocates with the C library */
    }
    pl_jw_array_end(w);
    char *s = pl_jw_finish(w);
    if (s) {
        s[strcspn(s, "\n")] = 0;
    }
    return s;
}

static char *fmt_u64(uint64_t x)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)x);
    return pl__strdup(buf);
}

int pl__tparams_format(const pl_tournament_options *o, char *values[PL__TPARAMS])
{
    char buf[32];
    values[0] = string_list_json(o->agents, o->n_agents, 0);
    values[1] = string_list_json(o->scenarios, o->n_scenarios, 1);
    values[2] = string_list_json(o->agent_libs, o->n_agent_libs, 1);
    values[3] = fmt_u64(o->reps);
    values[4] = fmt_u64(o->self_play ? 1 : 0);
    values[5] = fmt_u64(o->seed);
    values[6] = pl__strdup(pl_protocol_name(o->protocol));
    values[7] = fmt_u64(o->rounds);
    values[8] = pl__strdup(pl__fmt_double(o->time_limit, buf, sizeof buf));
    values[9] = fmt_u64(o->real_levels);
    values[10] = fmt_u64(o->metrics ? 1 : 0);
    values[11] = pl__strdup(pl_isolate_name(o->isolate));
    values[12] = pl__strdup(pl__fmt_double(o->call_limit, buf, sizeof buf));
    values[13] = fmt_u64(o->memory_limit);
    for (size_t k = 0; k < PL__TPARAMS; k++) {
        if (!values[k]) {
            for (size_t j = 0; j < PL__TPARAMS; j++) {
                pl__free(values[j]);
                values[j] = NULL;
            }
            return PL_ENOMEM;
        }
    }
    return 0;
}

int pl_tournament_options_diff(const pl_tournament_options *a, const pl_tournament_options *b, char *buf,
                               size_t size)
{
    char *va[PL__TPARAMS] = {0}, *vb[PL__TPARAMS] = {0};
    int diff = 0;
    pl_tournament_options ac, bc;
    pl_tournament_options_init(&ac);
    pl_tournament_options_init(&bc);
    if (PL__OPTS_READ(pl_tournament_options, &ac, a, ud, NULL) < 0 ||
        PL__OPTS_READ(pl_tournament_options, &bc, b, ud, NULL) < 0) {
        snprintf(buf, size, "size: below the first version's (not initialised with pl_tournament_options_init)");
        return 1;
    }
    a = &ac;
    b = &bc;
    if (pl__tparams_format(a, va) < 0 || pl__tparams_format(b, vb) < 0) {
        snprintf(buf, size, "out of memory");
        diff = 1;
    }
    for (size_t k = 0; !diff && k < PL__TPARAMS; k++) {
        if (strcmp(va[k], vb[k]) != 0) {
            snprintf(buf, size, "%s: %s vs %s", pl__tparam_names[k], va[k], vb[k]);
            diff = 1;
        }
    }
    for (size_t k = 0; k < PL__TPARAMS; k++) {
        pl__free(va[k]);
        pl__free(vb[k]);
    }
    return diff;
}
