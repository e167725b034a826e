/* parley._parley: the CPython binding of libparley. Low-level functions over capsules; the Python package
 * (parley/__init__.py and friends) builds the user-facing API on them. This file: the module, errors, scenarios,
 * analysis and the registry; _parley.h lists the others. */
#include "_parley.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static PyObject *ParleyError;

/* ---- Errors ---- */

/* Raise ParleyError from a diagnostic (formatted as the CLI prints it) or a bare code. Returns NULL. */
PyObject *pyl_raise_diag(int code, const pl_diag *d)
{
    char buf[PL_DIAG_FILE_MAX + PL_DIAG_MSG_MAX + 256];
    const char *msg = pl_strerror(code);
    if (d && (d->message[0] || d->file[0])) {
        msg = pl_diag_format(d, buf, sizeof buf);
    }
    if (code == PL_ENOMEM) {
        return PyErr_NoMemory();
    }
    PyObject *exc = PyObject_CallFunction(ParleyError, "s", msg);
    if (!exc) {
        return NULL;
    }
    PyObject *v;
    if ((v = PyLong_FromLong(code))) {
        PyObject_SetAttrString(exc, "code", v);
        Py_DECREF(v);
    }
    if ((v = d && d->file[0] ? PyUnicode_DecodeFSDefault(d->file) : Py_NewRef(Py_None))) {
        PyObject_SetAttrString(exc, "file", v);
        Py_DECREF(v);
    }
    if ((v = d && d->line > 0 ? PyLong_FromLong(d->line) : Py_NewRef(Py_None))) {
        PyObject_SetAttrString(exc, "line", v);
        Py_DECREF(v);
    }
    PyErr_SetObject(ParleyError, exc);
    Py_DECREF(exc);
    return NULL;
}

/* ---- Capsules ---- */

#define SC_CAPSULE "parley.scenario"
#define NEG_CAPSULE "parley.negotiation"

static void sc_capsule_free(PyObject *cap)
{
    pl_scenario_free(PyCapsule_GetPointer(cap, SC_CAPSULE));
}

static void neg_capsule_free(PyObject *cap)
{
    pl_negotiation_free(PyCapsule_GetPointer(cap, NEG_CAPSULE));
    PyObject *sc = PyCapsule_GetContext(cap);
    Py_XDECREF(sc);
}

pl_scenario *pyl_get_sc(PyObject *cap)
{
    return PyCapsule_GetPointer(cap, SC_CAPSULE);
}

pl_negotiation *pyl_get_neg(PyObject *cap)
{
    return PyCapsule_GetPointer(cap, NEG_CAPSULE);
}

/* ---- Scenarios ---- */

static void load_warn(void *ud, const pl_diag *w)
{
    char buf[PL_DIAG_FILE_MAX + PL_DIAG_MSG_MAX + 256];
    PyObject *s = PyUnicode_FromString(pl_diag_format(w, buf, sizeof buf));
    if (s) {
        PyList_Append(ud, s);
        Py_DECREF(s);
    } else {
        PyErr_Clear();
    }
}

static PyObject *py_load(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *paths, *warnings;
    unsigned int real_levels;
    int strict;
    if (!PyArg_ParseTuple(args, "O!IpO!", &PyTuple_Type, &paths, &real_levels, &strict, &PyList_Type, &warnings)) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(paths);
    const char **p = calloc(n ? (size_t)n : 1, sizeof *p);
    PyObject **enc = calloc(n ? (size_t)n : 1, sizeof *enc);
    PyObject *result = NULL;
    if (!p || !enc) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        if (!PyUnicode_FSConverter(PyTuple_GET_ITEM(paths, k), &enc[k])) {
            goto done;
        }
        p[k] = PyBytes_AS_STRING(enc[k]);
    }
    pl_load_options o;
    pl_load_options_init(&o);
    if (real_levels) {
        o.real_levels = real_levels;
    }
    o.strict = strict;
    o.warn = load_warn;
    o.warn_ud = warnings;
    pl_diag d;
    pl_diag_clear(&d);
    pl_scenario *sc = NULL;
    int rc = pl_scenario_load(p, (size_t)n, &o, &sc, &d);
    if (rc < 0) {
        pyl_raise_diag(rc, &d);
        goto done;
    }
    result = PyCapsule_New(sc, SC_CAPSULE, sc_capsule_free);
    if (!result) {
        pl_scenario_free(sc);
    }
done:
    for (Py_ssize_t k = 0; enc && k < n; k++) {
        Py_XDECREF(enc[k]);
    }
    free(enc);
    free(p);
    return result;
}

PyObject *pyl_label_of(const pl_space *sp, size_t i, uint32_t v)
{
    if (pl_space_issue_kind(sp, i) == PL_ISSUE_DISCRETE) {
        return PyUnicode_FromString(pl_space_value_label_ref(sp, i, v));
    }
    char buf[64];
    return PyUnicode_FromString(pl_space_value_label(sp, i, v, buf, sizeof buf));
}

/* {"name", "description", "parties": [...], "issues": [(name, kind, [labels])], "n_outcomes": int or None,
 *  "log10_size", "reservations": [...], "discounts": [...]} */
static PyObject *py_scenario_info(PyObject *self, PyObject *arg)
{
    (void)self;
    const pl_scenario *sc = pyl_get_sc(arg);
    if (!sc) {
        return NULL;
    }
    const pl_space *sp = pl_scenario_space(sc);
    size_t np = pl_scenario_party_count(sc), ni = pl_space_issue_count(sp);
    PyObject *parties = PyList_New((Py_ssize_t)np), *issues = PyList_New((Py_ssize_t)ni);
    PyObject *res = PyList_New((Py_ssize_t)np), *disc = PyList_New((Py_ssize_t)np);
    PyObject *out = NULL;
    if (!parties || !issues || !res || !disc) {
        goto done;
    }
    for (size_t k = 0; k < np; k++) {
        const pl_ufun *u = pl_scenario_ufun(sc, k);
        PyList_SET_ITEM(parties, k, PyUnicode_FromString(pl_scenario_party_name(sc, k)));
        PyList_SET_ITEM(res, k, PyFloat_FromDouble(pl_ufun_reservation(u)));
        PyList_SET_ITEM(disc, k, PyFloat_FromDouble(pl_ufun_discount(u)));
    }
    for (size_t i = 0; i < ni; i++) {
        uint32_t nv = pl_space_value_count(sp, i);
        PyObject *labels = PyList_New(nv);
        if (!labels) {
            goto done;
        }
        for (uint32_t v = 0; v < nv; v++) {
            PyObject *l = pyl_label_of(sp, i, v);
            if (!l) {
                Py_DECREF(labels);
                goto done;
            }
            PyList_SET_ITEM(labels, v, l);
        }
        PyList_SET_ITEM(issues, i,
                        Py_BuildValue("(ssN)", pl_space_issue_name(sp, i), pl_issue_kind_name(pl_space_issue_kind(sp, i)),
                                      labels));
    }
    if (PyErr_Occurred()) {
        goto done;
    }
    uint64_t count = 0;
    PyObject *n_out = pl_space_outcome_count(sp, &count) == 0 ? PyLong_FromUnsignedLongLong(count)
                                                               : Py_NewRef(Py_None);
    out = Py_BuildValue("{s:s,s:s,s:O,s:O,s:N,s:d,s:O,s:O}", "name", pl_scenario_name(sc), "description",
                        pl_scenario_description(sc), "parties", parties, "issues", issues, "n_outcomes", n_out,
                        "log10_size", pl_space_log10_size(sp), "reservations", res, "discounts", disc);
done:
    Py_XDECREF(parties);
    Py_XDECREF(issues);
    Py_XDECREF(res);
    Py_XDECREF(disc);
    return out;
}

/* Convert a sequence of value indices into outcome[ni]; -1 with an exception set when it is not a valid outcome. */
int pyl_seq_to_outcome(const pl_space *sp, PyObject *seq, uint32_t *outcome)
{
    size_t ni = pl_space_issue_count(sp);
    PyObject *fast = PySequence_Fast(seq, "an outcome must be a sequence of value indices");
    if (!fast) {
        return -1;
    }
    if ((size_t)PySequence_Fast_GET_SIZE(fast) != ni) {
        Py_DECREF(fast);
        PyErr_Format(PyExc_ValueError, "an outcome needs %zu values, got %zd", ni, PySequence_Fast_GET_SIZE(fast));
        return -1;
    }
    for (size_t i = 0; i < ni; i++) {
        long v = PyLong_AsLong(PySequence_Fast_GET_ITEM(fast, i));
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return -1;
        }
        if (v < 0 || (uint64_t)v >= pl_space_value_count(sp, i)) {
            Py_DECREF(fast);
            PyErr_Format(PyExc_ValueError, "value index %ld out of range for issue %s", v, pl_space_issue_name(sp, i));
            return -1;
        }
        outcome[i] = (uint32_t)v;
    }
    Py_DECREF(fast);
    return 0;
}

PyObject *pyl_outcome_tuple(size_t ni, const uint32_t *o)
{
    PyObject *t = PyTuple_New((Py_ssize_t)ni);
    if (!t) {
        return NULL;
    }
    for (size_t i = 0; i < ni; i++) {
        PyTuple_SET_ITEM(t, i, PyLong_FromUnsignedLong(o[i]));
    }
    return t;
}

/* utility(sc, party, indices, t or None) */
static PyObject *py_utility(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *seq, *tobj;
    Py_ssize_t party;
    if (!PyArg_ParseTuple(args, "OnOO", &cap, &party, &seq, &tobj)) {
        return NULL;
    }
    const pl_scenario *sc = pyl_get_sc(cap);
    if (!sc) {
        return NULL;
    }
    if (party < 0 || (size_t)party >= pl_scenario_party_count(sc)) {
        return PyErr_Format(PyExc_IndexError, "party %zd out of range", party);
    }
    const pl_space *sp = pl_scenario_space(sc);
    uint32_t stack[64], *o = stack;
    size_t ni = pl_space_issue_count(sp);
    if (ni > 64 && !(o = malloc(ni * sizeof *o))) {
        return PyErr_NoMemory();
    }
    PyObject *r = NULL;
    if (pyl_seq_to_outcome(sp, seq, o) == 0) {
        const pl_ufun *u = pl_scenario_ufun(sc, (size_t)party);
        if (tobj == Py_None) {
            r = PyFloat_FromDouble(pl_ufun_eval(u, o));
        } else {
            double t = PyFloat_AsDouble(tobj);
            r = t == -1 && PyErr_Occurred() ? NULL : PyFloat_FromDouble(pl_ufun_eval_at(u, o, t));
        }
    }
    if (o != stack) {
        free(o);
    }
    return r;
}

static PyObject *py_negotiation(PyObject *self, PyObject *cap)
{
    (void)self;
    pl_scenario *sc = pyl_get_sc(cap);
    if (!sc) {
        return NULL;
    }
    pl_diag d;
    pl_diag_clear(&d);
    pl_negotiation *n = NULL;
    int rc = pl_negotiation_new(sc, NULL, &n, &d);
    if (rc < 0) {
        return pyl_raise_diag(rc, &d);
    }
    PyObject *r = PyCapsule_New(n, NEG_CAPSULE, neg_capsule_free);
    if (!r) {
        pl_negotiation_free(n);
        return NULL;
    }
    Py_INCREF(cap);
    PyCapsule_SetContext(r, cap);
    return r;
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* analyze(sc, threads) -> the JSON `parley analyze --json` prints */
static PyObject *py_analyze(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap;
    unsigned int threads;
    if (!PyArg_ParseTuple(args, "OI", &cap, &threads)) {
        return NULL;
    }
    const pl_scenario *sc = pyl_get_sc(cap);
    if (!sc) {
        return NULL;
    }
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.threads = threads;
    pl_diag d;
    pl_diag_clear(&d);
    pl_analysis *a = NULL;
    int rc;
    double t0 = wall_seconds();
    Py_BEGIN_ALLOW_THREADS rc = pl_analyze(sc, &o, &a, &d);
    Py_END_ALLOW_THREADS double secs = wall_seconds() - t0;
    if (rc < 0) {
        return pyl_raise_diag(rc, &d);
    }
    char *text = NULL;
    rc = pl_analysis_to_json(sc, a, -1, secs, &text, &d);
    pl_analysis_free(a);
    if (rc < 0) {
        return pyl_raise_diag(rc, &d);
    }
    PyObject *r = PyUnicode_FromString(text);
    pl_free(text);
    return r;
}

/* A session's seed from its identity, as the library's tournaments derive it (tournament.h). */
static PyObject *py_session_seed(PyObject *self, PyObject *args)
{
    (void)self;
    unsigned long long seed, scenario_hash, repetition;
    PyObject *agents;
    if (!PyArg_ParseTuple(args, "KKO!K", &seed, &scenario_hash, &PyList_Type, &agents, &repetition)) {
        return NULL;
    }
    Py_ssize_t n = PyList_Size(agents);
    uint64_t h[64];
    if (n > 64) {
        PyErr_SetString(PyExc_ValueError, "at most 64 parties");
        return NULL;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        const char *name = PyUnicode_AsUTF8(PyList_GetItem(agents, k));
        if (!name) {
            return NULL;
        }
        h[k] = pl_tournament_text_hash(name);
    }
    return PyLong_FromUnsignedLongLong(pl_tournament_session_seed(seed, scenario_hash, h, (size_t)n, repetition));
}

/* The scenario's content hash (tournament.h). */
static PyObject *py_scenario_hash(PyObject *self, PyObject *cap)
{
    (void)self;
    pl_scenario *sc = pyl_get_sc(cap);
    if (!sc) {
        return NULL;
    }
    pl_diag d;
    pl_diag_clear(&d);
    uint64_t h = 0;
    int rc = pl_tournament_scenario_hash(sc, &h, &d);
    if (rc < 0) {
        return pyl_raise_diag(rc, &d);
    }
    return PyLong_FromUnsignedLongLong(h);
}

/* ---- Registries ---- */

int pyl_load_plugins(pl_registry *reg, PyObject *libs)
{
    Py_ssize_t n = libs ? PySequence_Size(libs) : 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *item = PySequence_GetItem(libs, k), *enc = NULL;
        if (!item || !PyUnicode_FSConverter(item, &enc)) {
            Py_XDECREF(item);
            return -1;
        }
        Py_DECREF(item);
        pl_diag d;
        pl_diag_clear(&d);
        int rc = pl_registry_load_plugin(reg, PyBytes_AS_STRING(enc), &d);
        Py_DECREF(enc);
        if (rc < 0) {
            pyl_raise_diag(rc, &d);
            return -1;
        }
    }
    return 0;
}

/* agents_json(libs) -> `parley agents --json` */
static PyObject *py_agents_json(PyObject *self, PyObject *libs)
{
    (void)self;
    pl_registry *reg = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_registry_new(&reg, &d);
    if (rc < 0) {
        return pyl_raise_diag(rc, &d);
    }
    PyObject *r = NULL;
    if (pyl_load_plugins(reg, libs) == 0) {
        char *text = NULL;
        rc = pl_registry_to_json(reg, &text, &d);
        r = rc < 0 ? pyl_raise_diag(rc, &d) : PyUnicode_FromString(text);
        pl_free(text);
    }
    pl_registry_free(reg);
    return r;
}

/* ---- Module ---- */

static PyMethodDef methods[] = {
    {"load", py_load, METH_VARARGS, "load(paths, real_levels, strict, warnings) -> scenario capsule"},
    {"scenario_info", py_scenario_info, METH_O, "scenario_info(sc) -> dict"},
    {"utility", py_utility, METH_VARARGS, "utility(sc, party, indices, t) -> float"},
    {"negotiation", py_negotiation, METH_O, "negotiation(sc) -> negotiation capsule"},
    {"analyze", py_analyze, METH_VARARGS, "analyze(sc, threads) -> JSON text"},
    {"session_seed", py_session_seed, METH_VARARGS,
     "session_seed(seed, scenario_hash, agent_names, repetition) -> int"},
    {"scenario_hash", py_scenario_hash, METH_O, "scenario_hash(sc) -> int"},
    {"agents_json", py_agents_json, METH_O, "agents_json(libs) -> JSON text"},
    {"run", pyl_run, METH_VARARGS, "run(neg, specs, pyagents, rounds, time_limit, seed, protocol, metrics, trace, libs)"},
    {"tournament", pyl_tournament, METH_VARARGS, "tournament(dir, scenarios, agents, libs, ...) -> (csv, summary)"},
    {"export_csv", pyl_export_csv, METH_O, "export_csv(dir) -> the sessions as `parley results --csv` (bytes)"},
    {"plot", pyl_plot, METH_VARARGS, "plot(sc, path, actions, agents, agreement, t, rounds, status, kind, title, w, h)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "parley._parley", "libparley binding (internal)", -1,
                                    methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__parley(void)
{
    if (PyType_Ready(&pyl_TurnType) < 0 || PyType_Ready(&pyl_EventType) < 0 || PyType_Ready(&pyl_ViewType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (!m) {
        return NULL;
    }
    ParleyError = PyErr_NewExceptionWithDoc(
        "parley.ParleyError",
        "An error from libparley (a ValueError): the message is the diagnostic as the parley command line prints it "
        "(FILE:LINE:COLUMN: message); attributes code (the PL_E* code), file and line (None when unknown).",
        PyExc_ValueError, NULL);
    if (!ParleyError || PyModule_AddObject(m, "ParleyError", Py_NewRef(ParleyError)) < 0 ||
        PyModule_AddObject(m, "Turn", Py_NewRef((PyObject *)&pyl_TurnType)) < 0 ||
        PyModule_AddObject(m, "Event", Py_NewRef((PyObject *)&pyl_EventType)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

