/* Tournaments of built-in agents on the library's threads, the sessions' export, and plots. */
#include "_parley.h"

#include <stdlib.h>
#include <string.h>

#include <parley/plot.h>

/* ---- Tournaments (built-in agents only: the library's threads) ---- */

static int tour_cancel(void *ud)
{
    (void)ud;
    PyGILState_STATE g = PyGILState_Ensure();
    int stop = PyErr_CheckSignals() < 0;
    if (stop) {
        /* keep the exception for the caller */
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyObject **slot = ud;
        if (!*slot) {
            PyErr_NormalizeException(&type, &value, &tb);
            *slot = value ? Py_NewRef(value) : Py_NewRef(type);
        }
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
    }
    PyGILState_Release(g);
    return stop;
}

static int write_to_bytes(void *ud, const char *text, size_t len)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *b = PyBytes_FromStringAndSize(text, (Py_ssize_t)len);
    int rc = b && PyList_Append(ud, b) == 0 ? 0 : -1;
    Py_XDECREF(b);
    if (rc < 0) {
        PyErr_Clear();
    }
    PyGILState_Release(g);
    return rc;
}

static const char **str_array(PyObject *seq, PyObject **keep, size_t *n)
{
    /* keep: a list of encoded bytes objects kept alive by the caller */
    Py_ssize_t m = PySequence_Size(seq);
    if (m < 0) {
        return NULL;
    }
    const char **a = calloc(m ? (size_t)m : 1, sizeof *a);
    if (!a) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t k = 0; k < m; k++) {
        PyObject *item = PySequence_GetItem(seq, k), *enc = NULL;
        if (!item || !PyUnicode_FSConverter(item, &enc)) {
            Py_XDECREF(item);
            free(a);
            return NULL;
        }
        Py_DECREF(item);
        PyList_Append(*keep, enc);
        Py_DECREF(enc);
        a[k] = PyBytes_AS_STRING(enc);
    }
    *n = (size_t)m;
    return a;
}

static PyObject *stat_tuple(const pl_stat *s)
{
    return Py_BuildValue("(Kddd)", (unsigned long long)s->n, s->mean, s->sd, s->ci95);
}

/* tournament(dir, scenarios, agents, libs, reps, self_play, seed, protocol, rounds, time_limit, metrics, jobs,
 *            real_levels[, isolate, call_limit, memory_limit]) -> (summary list, sessions in the database) */
PyObject *pyl_tournament(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *dirobj, *scen, *agent_list, *libs;
    unsigned long long reps, seed, rounds;
    int self_play, metrics;
    const char *protocol;
    double time_limit;
    unsigned int jobs, real_levels;
    const char *isolate = "auto";
    double call_limit = 0;
    unsigned long long memory_limit = 0;
    if (!PyArg_ParseTuple(args, "O&OOOKpKsKdpII|sdK", PyUnicode_FSConverter, &dirobj, &scen, &agent_list, &libs,
                          &reps, &self_play, &seed, &protocol, &rounds, &time_limit, &metrics, &jobs, &real_levels,
                          &isolate, &call_limit, &memory_limit)) {
        return NULL;
    }
    const char *dir = PyBytes_AS_STRING(dirobj);
    PyObject *keep = PyList_New(0), *result = NULL, *interrupt = NULL;
    const char **sc_a = NULL, **ag_a = NULL, **lib_a = NULL;
    pl_registry *reg = NULL;
    pl_tournament *t = NULL;
    pl_tournament_summary *sum = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc;
    if (!keep) {
        goto done;
    }
    pl_tournament_options o;
    pl_tournament_options_init(&o);
    if (!(sc_a = str_array(scen, &keep, &o.n_scenarios)) || !(ag_a = str_array(agent_list, &keep, &o.n_agents)) ||
        !(lib_a = str_array(libs, &keep, &o.n_agent_libs))) {
        goto done;
    }
    o.scenarios = sc_a;
    o.agents = ag_a;
    o.agent_libs = lib_a;
    o.reps = reps;
    o.self_play = self_play;
    o.seed = seed;
    if (pl_protocol_parse(protocol, &o.protocol) < 0) {
        snprintf(d.message, sizeof d.message, "unknown protocol '%s' (saop, saop-genius or single-text)", protocol);
        pyl_raise_diag(PL_EINVAL, &d);
        goto done;
    }
    if (pl_isolate_parse(isolate, &o.isolate) < 0) {
        snprintf(d.message, sizeof d.message, "unknown isolate '%s' (auto, on or off)", isolate);
        pyl_raise_diag(PL_EINVAL, &d);
        goto done;
    }
    o.call_limit = call_limit;
    o.memory_limit = memory_limit;
    o.rounds = rounds;
    o.time_limit = time_limit;
    o.metrics = metrics;
    o.jobs = jobs;
    if (real_levels) {
        o.real_levels = real_levels;
    }
    o.cancel = tour_cancel;
    o.ud = &interrupt;
    if ((rc = pl_registry_new(&reg, &d)) < 0) {
        pyl_raise_diag(rc, &d);
        goto done;
    }
    if (pyl_load_plugins(reg, libs) < 0) {
        goto done;
    }
    if ((rc = pl_tournament_new(&o, reg, &t, &d)) < 0) {
        pyl_raise_diag(rc, &d);
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS rc = pl_tournament_run(t, dir, &d);
    Py_END_ALLOW_THREADS if (interrupt)
    {
        PyErr_SetObject((PyObject *)Py_TYPE(interrupt), interrupt);
        goto done;
    }
    if (rc < 0) {
        pyl_raise_diag(rc, &d);
        goto done;
    }
    if ((rc = pl_tournament_summarize(dir, &sum, &d)) < 0 || (rc = pl_tournament_summary_write(sum, dir, &d)) < 0) {
        pyl_raise_diag(rc, &d);
        goto done;
    }
    PyObject *agents_out = PyList_New((Py_ssize_t)sum->n_agents);
    if (!agents_out) {
        goto done;
    }
    for (size_t k = 0; k < sum->n_agents; k++) {
        const pl_tournament_agent_stats *x = &sum->agents[k];
        PyList_SET_ITEM(agents_out, k,
                        Py_BuildValue("{s:s,s:K,s:N,s:N,s:N,s:N,s:N,s:N,s:N}", "agent", x->agent, "appearances",
                                      (unsigned long long)x->appearances, "utility", stat_tuple(&x->utility),
                                      "advantage", stat_tuple(&x->advantage), "agreement", stat_tuple(&x->agreement),
                                      "welfare", stat_tuple(&x->welfare), "pareto_distance",
                                      stat_tuple(&x->pareto_distance), "nash_distance", stat_tuple(&x->nash_distance),
                                      "rounds", stat_tuple(&x->rounds)));
    }
    result = Py_BuildValue("(NK)", agents_out, (unsigned long long)sum->sessions);
done:
    Py_XDECREF(interrupt);
    pl_tournament_summary_free(sum);
    pl_tournament_free(t);
    pl_registry_free(reg);
    free(sc_a);
    free(ag_a);
    free(lib_a);
    Py_XDECREF(keep);
    Py_DECREF(dirobj);
    return result;
}

/* export_csv(dir) -> bytes: `parley results --csv` */
PyObject *pyl_export_csv(PyObject *self, PyObject *arg)
{
    (void)self;
    PyObject *dirobj;
    if (!PyUnicode_FSConverter(arg, &dirobj)) {
        return NULL;
    }
    PyObject *chunks = PyList_New(0), *result = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc = 0;
    if (chunks) {
        Py_BEGIN_ALLOW_THREADS rc = pl_tournament_export(PyBytes_AS_STRING(dirobj), PL_EXPORT_CSV, write_to_bytes,
                                                         chunks, &d);
        Py_END_ALLOW_THREADS if (rc < 0)
        {
            pyl_raise_diag(rc, &d);
        }
        else
        {
            PyObject *empty = PyBytes_FromStringAndSize("", 0);
            result = empty ? PyObject_CallMethod(empty, "join", "O", chunks) : NULL;
            Py_XDECREF(empty);
        }
    }
    Py_XDECREF(chunks);
    Py_DECREF(dirobj);
    return result;
}

/* ---- Plots ---- */

/* plot(sc, path, actions, agents, agreement, t, rounds, status, kind, title, width, height)
 * actions: list of (round, t, party, action name, indices or None). */
PyObject *pyl_plot(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *pathobj, *actions, *agents, *agreement, *titleobj;
    double t, width, height;
    unsigned long long rounds;
    const char *status;
    int kind;
    if (!PyArg_ParseTuple(args, "OO&OOOdKziOdd", &cap, PyUnicode_FSConverter, &pathobj, &actions, &agents,
                          &agreement, &t, &rounds, &status, &kind, &titleobj, &width, &height)) {
        return NULL;
    }
    const pl_scenario *sc = pyl_get_sc(cap);
    PyObject *result = NULL;
    pl_plot_session *s = NULL;
    pl_plot_data *p = NULL;
    uint32_t *o = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc;
    if (!sc) {
        goto done;
    }
    const pl_space *sp = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(sp);
    if (!(o = malloc((ni ? ni : 1) * sizeof *o))) {
        PyErr_NoMemory();
        goto done;
    }
    const char *path = PyBytes_AS_STRING(pathobj);
    if ((rc = pl_plot_format_of(path, &d)) < 0) {
        pyl_raise_diag(rc, &d);
        goto done;
    }
    if (actions != Py_None) {
        if ((rc = pl_plot_session_new(sc, &s, &d)) < 0) {
            pyl_raise_diag(rc, &d);
            goto done;
        }
        Py_ssize_t n = PySequence_Size(actions);
        for (Py_ssize_t k = 0; k < n; k++) {
            PyObject *item = PySequence_GetItem(actions, k);
            unsigned long long rd;
            double at;
            Py_ssize_t party;
            const char *aname;
            PyObject *out;
            if (!item || !PyArg_ParseTuple(item, "KdnsO", &rd, &at, &party, &aname, &out)) {
                Py_XDECREF(item);
                goto done;
            }
            pl_action_kind ak = PL_ACTION_OFFER;
            pl_action_parse(aname, &ak);
            int bad = out != Py_None && pyl_seq_to_outcome(sp, out, o) < 0;
            Py_DECREF(item);
            if (bad) {
                goto done;
            }
            if (party < 0 || ak == PL_ACTION_PROPOSE) {
                continue;
            }
            if ((rc = pl_plot_session_add(s, rd, at, (size_t)party, ak, out == Py_None ? NULL : o)) < 0) {
                pyl_raise_diag(rc, &d);
                goto done;
            }
        }
        Py_ssize_t na = agents == Py_None ? 0 : PySequence_Size(agents);
        for (Py_ssize_t k = 0; k < na; k++) {
            PyObject *item = PySequence_GetItem(agents, k);
            const char *an = item ? PyUnicode_AsUTF8(item) : NULL;
            if (!an) {
                Py_XDECREF(item);
                goto done;
            }
            pl_plot_session_set_agent(s, (size_t)k, an);
            Py_DECREF(item);
        }
        if (agreement != Py_None && pyl_seq_to_outcome(sp, agreement, o) < 0) {
            goto done;
        }
        pl_plot_session_set_result(s, agreement == Py_None ? NULL : o, t, rounds, status);
    }
    pl_plot_data_options dopt;
    pl_plot_data_options_init(&dopt);
    Py_BEGIN_ALLOW_THREADS rc = pl_plot_data_new(sc, &dopt, &p, &d);
    Py_END_ALLOW_THREADS if (rc < 0)
    {
        pyl_raise_diag(rc, &d);
        goto done;
    }
    pl_plot_options po;
    pl_plot_options_init(&po);
    po.kind = kind ? PL_PLOT_UTILITY_OVER_TIME : PL_PLOT_UTILITY_SPACE;
    if (titleobj != Py_None) {
        po.title = PyUnicode_AsUTF8(titleobj);
        if (!po.title) {
            goto done;
        }
    }
    if (kind && !s) {
        snprintf(d.message, sizeof d.message, "a plot over time needs a session result");
        pyl_raise_diag(PL_EINVAL, &d);
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS rc = pl_plot_save(path, width, height, p, s, &po, &d);
    Py_END_ALLOW_THREADS if (rc < 0)
    {
        pyl_raise_diag(rc, &d);
        goto done;
    }
    result = Py_NewRef(Py_None);
done:
    free(o);
    pl_plot_session_free(s);
    pl_plot_data_free(p);
    Py_DECREF(pathobj);
    return result;
}

