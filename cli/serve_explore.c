/* parley serve: the explore and watch endpoints: the agreements-and-divergences report of an outcome, and a session
 * between agents returned whole for replay (docs/web.md). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "serve.h"

/* The agreements-and-divergences report (parley/report.h) for an outcome, or for the predicted agreement when the
 * body has no outcome: `parley report --json`'s text. One at a time (a report may scan the whole space on every
 * core): a second request meanwhile gets 503. */
void serve_report(serve_state *s, const serve_scenario *ss, const char *body, size_t len, serve_response *res)
{
    static pthread_mutex_t report_mu = PTHREAD_MUTEX_INITIALIZER;
    json_t *j = serve_parse_body(body, len, res);
    if (!j) {
        return;
    }
    const pl_space *sp = pl_scenario_space(ss->sc);
    uint32_t outcome[PL_ISSUES_MAX_SERVE];
    json_t *ov = json_object_get(j, "outcome");
    char msg[256];
    int given = ov && !json_is_null(ov);
    if (given &&
        (pl_space_issue_count(sp) > PL_ISSUES_MAX_SERVE || serve_outcome_parse(sp, ov, outcome, msg, sizeof msg) < 0)) {
        serve_respond_error(res, HTTP_BAD, "%s",
                            pl_space_issue_count(sp) > PL_ISSUES_MAX_SERVE ? "too many issues for the server" : msg);
        json_decref(j);
        return;
    }
    json_decref(j);
    if (pthread_mutex_trylock(&report_mu) != 0) {
        serve_respond_error(res, HTTP_UNAVAILABLE, "another report is being computed: try again in a moment");
        return;
    }
    pl_report *r = NULL;
    char *text = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_report_build(ss->sc, given ? outcome : NULL, NULL, &r, &d);
    if (rc == 0) {
        rc = pl_report_to_json(ss->sc, r, NULL, 0, &text, &d);
    }
    pl_report_free(r);
    pthread_mutex_unlock(&report_mu);
    if (rc < 0) {
        serve_respond_error(res, rc == PL_EINVAL ? HTTP_BAD : HTTP_ERROR, "%s", d.message);
        return;
    }
    res->status = HTTP_OK;
    res->type = "application/json";
    res->body = text;
    res->len = strlen(text);
}

/* ---- Watch: a session between agents, returned whole for replay ---- */

static int append_text(void *ud, const char *text, size_t len)
{
    json_t *arr = ud;
    json_t *line = json_loadb(text, len, 0, NULL);
    if (!line) {
        return PL_EPARSE;
    }
    json_array_append_new(arr, line);
    return 0;
}

void serve_watch(serve_state *s, const char *body, size_t len, serve_response *res)
{
    json_t *j = serve_parse_body(body, len, res);
    if (!j) {
        return;
    }
    json_t *sv = json_object_get(j, "scenario"), *av = json_object_get(j, "agents");
    long si = json_is_string(sv) ? serve_find_scenario(s, json_string_value(sv)) : -1;
    uint64_t rounds = 0, seed = 0;
    pl_agent_spec *specs[64] = {0};
    size_t np = 0;
    json_t *trace = json_array();
    if (si < 0) {
        serve_respond_error(res, HTTP_NOT_FOUND, "no scenario with this id");
        goto done;
    }
    np = pl_scenario_party_count(s->scenarios[si].sc);
    if (!json_is_array(av) || json_array_size(av) != np || np > 64) {
        serve_respond_error(res, HTTP_BAD, "agents: expected %zu agent specs, one per party", np);
        np = 0;
        goto done;
    }
    if (serve_get_u64(j, "rounds", 20, s->max_rounds < 1000 ? s->max_rounds : 1000, &rounds, res) < 0 ||
        serve_get_u64(j, "seed", 1, UINT64_MAX >> 1, &seed, res) < 0) {
        np = 0;
        goto done;
    }
    pl_diag d;
    pl_diag_clear(&d);
    for (size_t k = 0; k < np; k++) {
        json_t *a = json_array_get(av, k);
        if (!json_is_string(a) || pl_agent_spec_parse(s->reg, json_string_value(a), &specs[k], &d) < 0) {
            serve_respond_error(res, HTTP_BAD, "agents[%zu]: %s", k,
                                json_is_string(a) ? d.message : "expected a string");
            goto done;
        }
    }
    pl_trace_writer w;
    pl_trace_writer_init(&w, s->scenarios[si].sc, append_text, trace);
    pl_session_options so;
    pl_session_options_init(&so);
    so.rounds = rounds ? rounds : 1;
    so.seed = seed;
    so.on_action = pl_trace_on_action;
    so.action_ud = &w;
    pl_session_result r;
    pl_session_result_init(&r);
    int rc = pl_session_run(s->scenarios[si].neg, (const pl_agent_spec *const *)specs, np, &so, &r, &d);
    char *run = NULL;
    if (rc == 0) {
        const char *names[64];
        for (size_t k = 0; k < np; k++) {
            names[k] = pl_agent_spec_text(specs[k]);
        }
        pl_run_info info;
        pl_run_info_init(&info, &so);
        info.agents = names;
        rc = pl_run_to_json(s->scenarios[si].sc, &info, &r, &run, &d);
    }
    if (rc < 0) {
        serve_respond_error(res, rc == PL_EINVAL ? HTTP_BAD : HTTP_ERROR, "%s", d.message);
    } else {
        json_t *o = json_object();
        json_object_set_new(o, "run", json_loads(run, 0, NULL));
        json_object_set(o, "trace", trace);
        serve_respond_json(res, HTTP_OK, o);
    }
    pl_free(run);
    pl_session_result_free(&r);
done:
    for (size_t k = 0; k < np; k++) {
        pl_agent_spec_free(specs[k]);
    }
    json_decref(trace);
    json_decref(j);
}
