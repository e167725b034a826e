/* Python agents in parley's sessions, and run(). Every call of run() builds its own registry holding one
 * pl_agent_type per distinct Python agent name. The types' callbacks find the Python object of their party through
 * the session context of the running call (g_current, only touched with the GIL held: sessions with Python agents
 * run on the calling thread and keep the GIL). */
#include "_parley.h"

#include <stdlib.h>
#include <string.h>

/* Per thread: a Python thread may start a session while another thread's session waits in a Python callback. */
static _Thread_local session_ctx *g_current;


/* Put the last line of the current exception's formatted text into d; remember a KeyboardInterrupt. */
static int agent_failed(py_agent *a, pl_diag *d, const char *what)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (type && (PyErr_GivenExceptionMatches(type, PyExc_KeyboardInterrupt) ||
                 PyErr_GivenExceptionMatches(type, PyExc_SystemExit))) {
        if (!a->ctx->interrupt) {
            a->ctx->interrupt = value ? Py_NewRef(value) : Py_NewRef(type);
        }
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
        pl_diag_clear(d);
        if (d) {
            d->code = PL_ECANCELED;
            snprintf(d->message, sizeof d->message, "interrupted");
        }
        return PL_ECANCELED;
    }
    char line[400] = "exception";
    PyObject *tbmod = PyImport_ImportModule("traceback");
    PyObject *lines = tbmod ? PyObject_CallMethod(tbmod, "format_exception_only", "OO", type ? type : Py_None,
                                                  value ? value : Py_None)
                            : NULL;
    if (lines && PyList_Check(lines) && PyList_GET_SIZE(lines) > 0) {
        const char *s = PyUnicode_AsUTF8(PyList_GET_ITEM(lines, PyList_GET_SIZE(lines) - 1));
        if (s) {
            snprintf(line, sizeof line, "%s", s);
            size_t l = strlen(line);
            while (l > 0 && (line[l - 1] == '\n' || line[l - 1] == ' ')) {
                line[--l] = '\0';
            }
        }
    }
    PyErr_Clear();
    Py_XDECREF(lines);
    Py_XDECREF(tbmod);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    if (d) {
        pl_diag_clear(d);
        d->code = PL_EINVAL;
        snprintf(d->message, sizeof d->message, "%s", line); /* the library prefixes "respond failed: " */
        (void)what;
    }
    return PL_EINVAL;
}

static int pa_start(void **self, const pl_agent_view *v, pl_diag *d)
{
    session_ctx *ctx = g_current;
    if (!ctx || ctx->interrupt) {
        return ctx ? PL_ECANCELED : PL_EINVAL;
    }
    PyObject *obj = PyList_GetItem(ctx->agents, (Py_ssize_t)v->party);
    if (!obj || obj == Py_None) {
        PyErr_Clear();
        if (d) {
            pl_diag_clear(d);
            snprintf(d->message, sizeof d->message, "no Python agent for party %zu", v->party);
        }
        return PL_EINVAL;
    }
    py_agent *a = calloc(1, sizeof *a);
    if (!a) {
        return PL_ENOMEM;
    }
    a->ctx = ctx;
    a->obj = Py_NewRef(obj);
    a->view = v;
    ViewObject *vo = PyObject_New(ViewObject, &pyl_ViewType);
    PyObject *r = NULL;
    if (vo) {
        vo->a = a;
        r = PyObject_CallMethod(obj, "_parley_start", "OnnKKds", (PyObject *)vo, (Py_ssize_t)v->party,
                                (Py_ssize_t)v->n_parties, (unsigned long long)v->rounds, (unsigned long long)v->seed,
                                v->time_limit, v->party_name);
    }
    if (!r) {
        if (vo) {
            vo->a = NULL;
            Py_DECREF(vo);
        }
        int rc = agent_failed(a, d, "on_start");
        Py_DECREF(a->obj);
        free(a);
        return rc;
    }
    /* r is (respond, propose, observe or None): bound once, called without attribute lookups */
    if (!PyTuple_Check(r) || PyTuple_GET_SIZE(r) != 3) {
        Py_DECREF(r);
        vo->a = NULL;
        Py_DECREF(vo);
        Py_DECREF(a->obj);
        free(a);
        return PL_EINVAL;
    }
    a->respond = Py_NewRef(PyTuple_GET_ITEM(r, 0));
    a->propose = Py_NewRef(PyTuple_GET_ITEM(r, 1));
    a->observe = PyTuple_GET_ITEM(r, 2) == Py_None ? NULL : Py_NewRef(PyTuple_GET_ITEM(r, 2));
    Py_DECREF(r);
    /* the agent keeps the view (Agent._parley_start stored it); it is invalidated at free */
    a->vo = vo;
    *self = a;
    return 0;
}

/* The start of respond and propose: a session interrupted or an error left by observe ends the call; else the
 * agent's method is called with a Turn made from tn (*result: its return value, a new reference). */
static int call_with_turn(py_agent *a, const pl_turn *tn, PyObject *method, const char *what, PyObject **result,
                          pl_diag *d)
{
    if (a->ctx->interrupt) {
        return PL_ECANCELED;
    }
    if (a->pending[0]) {
        if (d) {
            pl_diag_clear(d);
            d->code = PL_EINVAL;
            snprintf(d->message, sizeof d->message, "%.500s", a->pending);
        }
        return PL_EINVAL;
    }
    TurnObject *t = (TurnObject *)pyl_make_turn(&pyl_TurnType, a->ctx, tn->offer);
    if (!t) {
        return agent_failed(a, d, what);
    }
    t->round = tn->round;
    t->turn = tn->turn;
    t->t = tn->t;
    t->party = (Py_ssize_t)tn->offerer;
    t->accepts = (Py_ssize_t)tn->accepts;
    *result = PyObject_CallOneArg(method, (PyObject *)t);
    Py_DECREF(t);
    return *result ? 0 : agent_failed(a, d, what);
}

static int pa_respond(void *self, const pl_turn *tn, pl_response *resp, pl_diag *d)
{
    py_agent *a = self;
    PyObject *r = NULL;
    int crc = call_with_turn(a, tn, a->respond, "respond", &r, d);
    if (crc < 0) {
        return crc;
    }
    long v = PyLong_AsLong(r);
    Py_DECREF(r);
    if (v == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        v = -1;
    }
    if (v < 0 || v > 2) {
        if (d) {
            pl_diag_clear(d);
            d->code = PL_EINVAL;
            snprintf(d->message, sizeof d->message,
                     "respond returned neither parley.ACCEPT, parley.REJECT nor parley.END");
        }
        return PL_EINVAL;
    }
    *resp = (pl_response)v;
    return 0;
}

/* An outcome from Python: a dict issue -> label (or value index), or a sequence of value indices. */
static int py_to_outcome(session_ctx *ctx, PyObject *obj, uint32_t *outcome, pl_diag *d)
{
    char why[256] = "";
    if (PyDict_Check(obj)) {
        if ((size_t)PyDict_GET_SIZE(obj) != ctx->ni) {
            snprintf(why, sizeof why, "an outcome needs all %zu issues, got %zd", ctx->ni, PyDict_GET_SIZE(obj));
        }
        for (size_t i = 0; !why[0] && i < ctx->ni; i++) {
            PyObject *name = PyTuple_GET_ITEM(ctx->names, i);
            PyObject *val = PyDict_GetItemWithError(obj, name);
            if (!val) {
                PyErr_Clear();
                snprintf(why, sizeof why, "the outcome has no value for issue %s", pl_space_issue_name(ctx->sp, i));
                break;
            }
            PyObject *idx = PyDict_GetItemWithError(PyTuple_GET_ITEM(ctx->label_idx, i), val);
            if (!idx && !PyErr_Occurred() && !PyUnicode_Check(val)) {
                /* a number for a numeric issue: its label */
                PyObject *s = PyObject_Str(val);
                idx = s ? PyDict_GetItemWithError(PyTuple_GET_ITEM(ctx->label_idx, i), s) : NULL;
                Py_XDECREF(s);
            }
            if (!idx) {
                PyErr_Clear();
                PyObject *rep = PyObject_Repr(val);
                snprintf(why, sizeof why, "%s is not a value of issue %s", rep ? PyUnicode_AsUTF8(rep) : "?",
                         pl_space_issue_name(ctx->sp, i));
                PyErr_Clear();
                Py_XDECREF(rep);
                break;
            }
            outcome[i] = (uint32_t)PyLong_AsUnsignedLong(idx);
        }
    } else if (pyl_seq_to_outcome(ctx->sp, obj, outcome) < 0) {
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyObject *s = value ? PyObject_Str(value) : NULL;
        snprintf(why, sizeof why, "%s", s && PyUnicode_AsUTF8(s) ? PyUnicode_AsUTF8(s) : "not an outcome");
        PyErr_Clear();
        Py_XDECREF(s);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
    }
    if (why[0]) {
        if (d) {
            pl_diag_clear(d);
            d->code = PL_EINVAL;
            snprintf(d->message, sizeof d->message, "propose returned an invalid outcome: %s", why);
        }
        return PL_EINVAL;
    }
    return 0;
}

static int pa_propose(void *self, const pl_turn *tn, uint32_t *outcome, pl_diag *d)
{
    py_agent *a = self;
    PyObject *r = NULL;
    int crc = call_with_turn(a, tn, a->propose, "propose", &r, d);
    if (crc < 0) {
        return crc;
    }
    int rc = py_to_outcome(a->ctx, r, outcome, d);
    Py_DECREF(r);
    return rc;
}

static void pa_observe(void *self, const pl_event *ev)
{
    py_agent *a = self;
    if (!a->observe || a->ctx->interrupt) {
        return;
    }
    TurnObject *t = (TurnObject *)pyl_make_turn(&pyl_EventType, a->ctx, ev->outcome);
    if (!t) {
        PyErr_Clear();
        return;
    }
    t->round = ev->round;
    t->turn = 0;
    t->t = ev->t;
    t->party = (Py_ssize_t)ev->party;
    t->action = (int)ev->action;
    PyObject *r = PyObject_CallOneArg(a->observe, (PyObject *)t);
    Py_DECREF(t);
    if (!r) {
        /* observe has no error channel: the failure is reported at the agent's next respond/propose */
        pl_diag d;
        pl_diag_clear(&d);
        if (agent_failed(a, &d, "observe") != PL_ECANCELED && !a->pending[0]) {
            snprintf(a->pending, sizeof a->pending, "observe: %.480s", d.message);
        }
        return;
    }
    Py_DECREF(r);
}

static void pa_free(void *self)
{
    py_agent *a = self;
    if (!a) {
        return;
    }
    a->vo->a = NULL;
    Py_DECREF(a->vo);
    Py_XDECREF(a->respond);
    Py_XDECREF(a->propose);
    Py_XDECREF(a->observe);
    Py_DECREF(a->obj);
    free(a);
}

/* ---- run ---- */

typedef struct trace_ctx {
    PyObject *list;
    size_t ni;
    int failed;
} trace_ctx;

static void on_action(void *ud, const pl_action_record *rec)
{
    trace_ctx *tc = ud;
    if (tc->failed) {
        return;
    }
    PyObject *o = rec->outcome ? pyl_outcome_tuple(tc->ni, rec->outcome) : Py_NewRef(Py_None);
    PyObject *item = o ? Py_BuildValue("(KdnsNdd)", (unsigned long long)rec->round, rec->t,
                                       rec->party == PL_MEDIATOR_NEUTRAL ? (Py_ssize_t)-1 : (Py_ssize_t)rec->party,
                                       pl_action_name(rec->action), o, rec->utility, rec->discounted)
                       : NULL;
    if (!item || PyList_Append(tc->list, item) < 0) {
        tc->failed = 1;
        PyErr_Clear();
    }
    Py_XDECREF(item);
}

static PyObject *doubles(const double *x, size_t n)
{
    PyObject *t = PyTuple_New((Py_ssize_t)n);
    for (size_t k = 0; t && k < n; k++) {
        PyTuple_SET_ITEM(t, k, PyFloat_FromDouble(x[k]));
    }
    return t;
}

static int ctx_init(session_ctx *ctx, const pl_scenario *sc)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->sp = pl_scenario_space(sc);
    ctx->ni = pl_space_issue_count(ctx->sp);
    ctx->labels = PyTuple_New((Py_ssize_t)ctx->ni);
    ctx->names = PyTuple_New((Py_ssize_t)ctx->ni);
    ctx->label_idx = PyTuple_New((Py_ssize_t)ctx->ni);
    if (!ctx->labels || !ctx->names || !ctx->label_idx) {
        return -1;
    }
    for (size_t i = 0; i < ctx->ni; i++) {
        uint32_t nv = pl_space_value_count(ctx->sp, i);
        PyObject *ls = PyTuple_New(nv), *idx = PyDict_New();
        if (!ls || !idx) {
            Py_XDECREF(ls);
            Py_XDECREF(idx);
            return -1;
        }
        PyTuple_SET_ITEM(ctx->labels, i, ls);
        PyTuple_SET_ITEM(ctx->label_idx, i, idx);
        PyObject *name = PyUnicode_FromString(pl_space_issue_name(ctx->sp, i));
        if (!name) {
            return -1;
        }
        PyUnicode_InternInPlace(&name);
        PyTuple_SET_ITEM(ctx->names, i, name);
        for (uint32_t v = 0; v < nv; v++) {
            PyObject *l = pyl_label_of(ctx->sp, i, v), *vi = PyLong_FromUnsignedLong(v);
            if (!l || !vi) {
                Py_XDECREF(l);
                Py_XDECREF(vi);
                return -1;
            }
            PyTuple_SET_ITEM(ls, v, l);
            int rc = PyDict_SetItem(idx, l, vi);
            Py_DECREF(vi);
            if (rc < 0) {
                return -1;
            }
        }
    }
    return 0;
}

static void ctx_clear(session_ctx *ctx)
{
    Py_XDECREF(ctx->labels);
    Py_XDECREF(ctx->names);
    Py_XDECREF(ctx->label_idx);
    Py_XDECREF(ctx->interrupt);
}

/* A registered Python agent type (names are owned). */
typedef struct py_type {
    pl_agent_type type;
    char *name, *desc;
} py_type;

/* run(neg, specs, pyagents, rounds, time_limit, seed, protocol, metrics, trace, libs) -> dict
 * specs: per party an agent spec (built-ins) or the name to register for the Python agent in pyagents[k]. */
PyObject *pyl_run(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *negcap, *specs, *pyagents, *libs;
    unsigned long long rounds, seed;
    double time_limit;
    const char *protocol;
    int metrics, want_trace;
    if (!PyArg_ParseTuple(args, "OO!O!KdKsppO", &negcap, &PyList_Type, &specs, &PyList_Type, &pyagents, &rounds,
                          &time_limit, &seed, &protocol, &metrics, &want_trace, &libs)) {
        return NULL;
    }
    pl_negotiation *neg = pyl_get_neg(negcap);
    if (!neg) {
        return NULL;
    }
    const pl_scenario *sc = pl_negotiation_scenario(neg);
    size_t np = pl_scenario_party_count(sc);
    Py_ssize_t n = PyList_GET_SIZE(specs);
    if (n != PyList_GET_SIZE(pyagents)) {
        PyErr_SetString(PyExc_ValueError, "specs and agents differ in length");
        return NULL;
    }
    pl_diag d;
    pl_diag_clear(&d);
    if ((size_t)n != np) {
        snprintf(d.message, sizeof d.message, "%zd agent%s for %zu parties: give one agent per party, in party order",
                 n, n == 1 ? "" : "s", np);
        return pyl_raise_diag(PL_EINVAL, &d);
    }
    pl_session_options so;
    pl_session_options_init(&so);
    if (pl_protocol_parse(protocol, &so.protocol) < 0) {
        snprintf(d.message, sizeof d.message, "unknown protocol '%s' (saop, saop-genius or single-text)", protocol);
        return pyl_raise_diag(PL_EINVAL, &d);
    }
    so.rounds = rounds;
    so.time_limit = time_limit;
    so.seed = seed;
    so.metrics = metrics;

    PyObject *result = NULL;
    pl_registry *reg = NULL;
    pl_agent_spec **agents = calloc(np ? np : 1, sizeof *agents);
    py_type *types = calloc(np ? np : 1, sizeof *types);
    size_t n_types = 0;
    int has_py = 0;
    session_ctx ctx;
    int ctx_ok = ctx_init(&ctx, sc) == 0;
    pl_session_result r;
    pl_session_result_init(&r);
    trace_ctx tc = {NULL, pl_space_issue_count(pl_scenario_space(sc)), 0};
    if (!agents || !types || !ctx_ok) {
        if (!PyErr_Occurred()) {
            PyErr_NoMemory();
        }
        goto done;
    }
    ctx.agents = pyagents;
    int rc = pl_registry_new(&reg, &d);
    if (rc < 0) {
        pyl_raise_diag(rc, &d);
        goto done;
    }
    if (pyl_load_plugins(reg, libs) < 0) {
        goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        const char *spec = PyUnicode_AsUTF8(PyList_GET_ITEM(specs, k));
        if (!spec) {
            goto done;
        }
        if (PyList_GET_ITEM(pyagents, k) != Py_None) {
            has_py = 1;
            if (!pl_registry_find(reg, spec)) {
                py_type *pt = &types[n_types];
                pt->name = strdup(spec);
                pt->desc = strdup("an agent written in Python");
                if (!pt->name || !pt->desc) {
                    free(pt->name);
                    free(pt->desc);
                    PyErr_NoMemory();
                    goto done;
                }
                n_types++;
                pl_agent_type *t = &pt->type;
                t->api_version = PL_AGENT_API_VERSION;
                t->name = pt->name;
                t->description = pt->desc;
                t->start = pa_start;
                t->respond = pa_respond;
                t->propose = pa_propose;
                t->observe = pa_observe;
                t->free = pa_free;
                if ((rc = pl_registry_add(reg, t, &d)) < 0) {
                    pyl_raise_diag(rc, &d);
                    goto done;
                }
            } else if (pl_registry_find(reg, spec)->start != pa_start) {
                snprintf(d.message, sizeof d.message, "a Python agent cannot be named '%s': a built-in agent is", spec);
                pyl_raise_diag(PL_EINVAL, &d);
                goto done;
            }
        }
        if ((rc = pl_agent_spec_parse(reg, spec, &agents[k], &d)) < 0) {
            pyl_raise_diag(rc, &d);
            goto done;
        }
    }
    if (want_trace) {
        if (!(tc.list = PyList_New(0))) {
            goto done;
        }
        so.on_action = on_action;
        so.action_ud = &tc;
    }
    if (has_py || want_trace) {
        /* callbacks into Python: keep the GIL */
        ctx.prev = g_current;
        g_current = &ctx;
        rc = pl_session_run(neg, (const pl_agent_spec *const *)agents, np, &so, &r, &d);
        g_current = ctx.prev;
    } else {
        Py_BEGIN_ALLOW_THREADS rc = pl_session_run(neg, (const pl_agent_spec *const *)agents, np, &so, &r, &d);
        Py_END_ALLOW_THREADS
    }
    if (ctx.interrupt) {
        PyErr_SetObject((PyObject *)Py_TYPE(ctx.interrupt), ctx.interrupt);
        goto done;
    }
    if (rc < 0) {
        pyl_raise_diag(rc, &d);
        goto done;
    }
    if (tc.failed) {
        PyErr_NoMemory();
        goto done;
    }
    /* the JSON `parley run --json` prints */
    const char **texts = calloc(np, sizeof *texts);
    if (!texts) {
        PyErr_NoMemory();
        goto done;
    }
    for (size_t k = 0; k < np; k++) {
        texts[k] = pl_agent_spec_text(agents[k]);
    }
    pl_run_info info;
    pl_run_info_init(&info, &so);
    info.agents = texts;
    char *json = NULL;
    rc = pl_run_to_json(sc, &info, &r, &json, &d);
    free(texts);
    if (rc < 0) {
        pyl_raise_diag(rc, &d);
        goto done;
    }
    size_t ni = pl_space_issue_count(pl_scenario_space(sc));
    PyObject *agreement = r.has_agreement ? pyl_outcome_tuple(ni, r.agreement) : Py_NewRef(Py_None);
    PyObject *final_text = r.final_text ? pyl_outcome_tuple(ni, r.final_text) : Py_NewRef(Py_None);
    result = Py_BuildValue(
        "{s:s,s:s,s:O,s:N,s:N,s:N,s:N,s:K,s:K,s:d,s:d,s:O,s:d,s:d,s:d,s:O,s:N,s:s}", "status",
        pl_session_status_name(r.status), "reason", r.reason, "culprit",
        r.culprit >= 0 ? PyLong_FromLong(r.culprit) : Py_None, "agreement", agreement, "final_text", final_text,
        "utilities", doubles(r.utilities, r.n_parties), "raw_utilities", doubles(r.raw_utilities, r.n_parties),
        "rounds", (unsigned long long)r.rounds, "actions", (unsigned long long)r.actions, "t", r.t, "seconds",
        r.seconds, "individually_rational", r.individually_rational ? Py_True : Py_False, "pareto_distance",
        r.pareto_distance, "nash_distance", r.nash_distance, "welfare", r.welfare, "trace",
        tc.list ? tc.list : Py_None, "json", json ? PyUnicode_FromString(json) : Py_NewRef(Py_None), "protocol",
        pl_protocol_name(so.protocol));
    pl_free(json);
done:
    pl_session_result_free(&r);
    for (size_t k = 0; agents && k < np; k++) {
        pl_agent_spec_free(agents[k]);
    }
    free(agents);
    pl_registry_free(reg);
    for (size_t k = 0; k < n_types; k++) {
        free(types[k].name);
        free(types[k].desc);
    }
    free(types);
    Py_XDECREF(tc.list);
    ctx_clear(&ctx);
    return result;
}

