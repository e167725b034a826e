/* parley._parley: the CPython binding of libparley. Low-level functions over capsules; the Python package
 * (parley/__init__.py and friends) builds the user-facing API on them.
 *
 * Python agents: every call of run() builds its own registry holding one pl_agent_type per distinct Python agent
 * name. The types' callbacks find the Python object of their party through the session context of the running call
 * (a per-call structure pointed to by `g_current`, only touched with the GIL held: sessions with Python agents run
 * on the calling thread and keep the GIL). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <parley/parley.h>
#include <parley/plot.h>
#include <parley/record.h>

#if PY_VERSION_HEX < 0x030A0000
static inline PyObject *Py_NewRef(PyObject *o)
{
    Py_INCREF(o);
    return o;
}
#endif

static PyObject *ParleyError;

/* ---- Errors ---- */

/* Raise ParleyError from a diagnostic (formatted as the CLI prints it) or a bare code. Returns NULL. */
static PyObject *raise_diag(int code, const pl_diag *d)
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

static pl_scenario *get_sc(PyObject *cap)
{
    return PyCapsule_GetPointer(cap, SC_CAPSULE);
}

static pl_negotiation *get_neg(PyObject *cap)
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
        raise_diag(rc, &d);
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

static PyObject *label_of(const pl_space *sp, size_t i, uint32_t v)
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
    const pl_scenario *sc = get_sc(arg);
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
            PyObject *l = label_of(sp, i, v);
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
static int seq_to_outcome(const pl_space *sp, PyObject *seq, uint32_t *outcome)
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

static PyObject *outcome_tuple(size_t ni, const uint32_t *o)
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
    const pl_scenario *sc = get_sc(cap);
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
    if (seq_to_outcome(sp, seq, o) == 0) {
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
    pl_scenario *sc = get_sc(cap);
    if (!sc) {
        return NULL;
    }
    pl_diag d;
    pl_diag_clear(&d);
    pl_negotiation *n = NULL;
    int rc = pl_negotiation_new(sc, NULL, &n, &d);
    if (rc < 0) {
        return raise_diag(rc, &d);
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
    const pl_scenario *sc = get_sc(cap);
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
        return raise_diag(rc, &d);
    }
    char *text = NULL;
    rc = pl_analysis_to_json(sc, a, -1, secs, &text, &d);
    pl_analysis_free(a);
    if (rc < 0) {
        return raise_diag(rc, &d);
    }
    PyObject *r = PyUnicode_FromString(text);
    free(text);
    return r;
}

static PyObject *py_session_seed(PyObject *self, PyObject *args)
{
    (void)self;
    unsigned long long seed, index;
    if (!PyArg_ParseTuple(args, "KK", &seed, &index)) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(pl_tournament_session_seed(seed, index));
}

/* ---- Registries ---- */

static int load_plugins(pl_registry *reg, PyObject *libs)
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
            raise_diag(rc, &d);
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
        return raise_diag(rc, &d);
    }
    PyObject *r = NULL;
    if (load_plugins(reg, libs) == 0) {
        char *text = NULL;
        rc = pl_registry_to_json(reg, &text, &d);
        r = rc < 0 ? raise_diag(rc, &d) : PyUnicode_FromString(text);
        free(text);
    }
    pl_registry_free(reg);
    return r;
}

/* ---- Turn and Event objects handed to Python agents ---- */

typedef struct session_ctx session_ctx;

/* What a Python agent's callbacks see: an outcome (copied), converted to a dict on first access. */
typedef struct {
    PyObject_HEAD
    session_ctx *ctx;       /* valid during the session only (offer conversion needs it) */
    PyObject *labels;       /* per-issue tuples of label strings (owned reference) */
    PyObject *names;        /* tuple of issue names */
    PyObject *offer;        /* cached dict, or NULL */
    unsigned long long round, turn;
    double t;
    Py_ssize_t party;       /* Turn: the offerer; Event: the acting party */
    Py_ssize_t accepts;     /* Turn only */
    int action;             /* Event only: pl_action_kind */
    int has_outcome;
    Py_ssize_t n;
    uint32_t o[1];
} TurnObject;

static PyObject *turn_outcome_dict(TurnObject *t)
{
    if (!t->has_outcome) {
        Py_RETURN_NONE;
    }
    if (!t->offer) {
        PyObject *d = PyDict_New();
        if (!d) {
            return NULL;
        }
        for (Py_ssize_t i = 0; i < t->n; i++) {
            if (PyDict_SetItem(d, PyTuple_GET_ITEM(t->names, i), PyTuple_GET_ITEM(PyTuple_GET_ITEM(t->labels, i), t->o[i])) <
                0) {
                Py_DECREF(d);
                return NULL;
            }
        }
        t->offer = d;
    }
    return Py_NewRef(t->offer);
}

static PyObject *turn_get_offer(PyObject *self, void *c)
{
    (void)c;
    return turn_outcome_dict((TurnObject *)self);
}

static PyObject *turn_get_indices(PyObject *self, void *c)
{
    (void)c;
    TurnObject *t = (TurnObject *)self;
    if (!t->has_outcome) {
        Py_RETURN_NONE;
    }
    return outcome_tuple((size_t)t->n, t->o);
}

static PyObject *turn_get_round(PyObject *self, void *c)
{
    (void)c;
    return PyLong_FromUnsignedLongLong(((TurnObject *)self)->round);
}

static PyObject *turn_get_turn(PyObject *self, void *c)
{
    (void)c;
    return PyLong_FromUnsignedLongLong(((TurnObject *)self)->turn);
}

static PyObject *turn_get_t(PyObject *self, void *c)
{
    (void)c;
    return PyFloat_FromDouble(((TurnObject *)self)->t);
}

static PyObject *turn_get_party(PyObject *self, void *c)
{
    (void)c;
    return PyLong_FromSsize_t(((TurnObject *)self)->party);
}

static PyObject *turn_get_accepts(PyObject *self, void *c)
{
    (void)c;
    return PyLong_FromSsize_t(((TurnObject *)self)->accepts);
}

static PyObject *turn_get_action(PyObject *self, void *c)
{
    (void)c;
    return PyUnicode_FromString(pl_action_name((pl_action_kind)((TurnObject *)self)->action));
}

static void turn_dealloc(PyObject *self)
{
    TurnObject *t = (TurnObject *)self;
    Py_XDECREF(t->offer);
    Py_XDECREF(t->labels);
    Py_XDECREF(t->names);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *turn_repr(PyObject *self)
{
    TurnObject *t = (TurnObject *)self;
    PyObject *o = turn_outcome_dict(t);
    if (!o) {
        return NULL;
    }
    PyObject *tt = PyFloat_FromDouble(t->t);
    PyObject *r = tt ? PyUnicode_FromFormat("Turn(round=%llu, t=%R, offer=%R)", t->round, tt, o) : NULL;
    Py_XDECREF(tt);
    Py_DECREF(o);
    return r;
}

static PyObject *event_repr(PyObject *self)
{
    TurnObject *t = (TurnObject *)self;
    PyObject *o = turn_outcome_dict(t);
    if (!o) {
        return NULL;
    }
    PyObject *tt = PyFloat_FromDouble(t->t);
    PyObject *r = PyUnicode_FromFormat("Event(party=%zd, action='%s', outcome=%R, round=%llu, t=%R)", t->party,
                                       pl_action_name((pl_action_kind)t->action), o, t->round, tt);
    Py_XDECREF(tt);
    Py_DECREF(o);
    return r;
}

static PyGetSetDef turn_getset[] = {
    {"round", turn_get_round, NULL, "1-based round", NULL},
    {"turn", turn_get_turn, NULL, "0-based count of turns so far", NULL},
    {"t", turn_get_t, NULL, "relative time in [0, 1]", NULL},
    {"offer", turn_get_offer, NULL, "the offer on the table: dict issue -> value label, or None", NULL},
    {"offer_indices", turn_get_indices, NULL, "the offer as a tuple of value indices, or None", NULL},
    {"offerer", turn_get_party, NULL, "the party that made the offer", NULL},
    {"accepts", turn_get_accepts, NULL, "how many parties accepted the offer so far", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyGetSetDef event_getset[] = {
    {"party", turn_get_party, NULL, "the acting party", NULL},
    {"action", turn_get_action, NULL, "'offer', 'accept' or 'end'", NULL},
    {"outcome", turn_get_offer, NULL, "the outcome offered or accepted (dict), None for an end", NULL},
    {"outcome_indices", turn_get_indices, NULL, "the outcome as value indices, or None", NULL},
    {"round", turn_get_round, NULL, "1-based round", NULL},
    {"t", turn_get_t, NULL, "relative time", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyTypeObject TurnType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "parley.Turn",
    .tp_basicsize = sizeof(TurnObject),
    .tp_itemsize = sizeof(uint32_t),
    .tp_dealloc = turn_dealloc,
    .tp_repr = turn_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The state of the protocol on a Python agent's turn: round, turn, t, offer, offer_indices, offerer, "
              "accepts.",
    .tp_getset = turn_getset,
};

static PyTypeObject EventType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "parley.Event",
    .tp_basicsize = sizeof(TurnObject),
    .tp_itemsize = sizeof(uint32_t),
    .tp_dealloc = turn_dealloc,
    .tp_repr = event_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Another party's action, as a Python agent observes it: party, action, outcome, round, t.",
    .tp_getset = event_getset,
};

/* ---- Sessions with Python agents ---- */

struct session_ctx {
    PyObject *agents;    /* list: per party a Python agent object, or None for a built-in */
    PyObject *labels;    /* tuple of per-issue label tuples */
    PyObject *names;     /* tuple of issue names */
    PyObject *label_idx; /* tuple of per-issue dicts label -> index */
    const pl_space *sp;
    size_t ni;
    PyObject *interrupt; /* a KeyboardInterrupt (or SystemExit) raised by an agent: stops the session, re-raised */
    session_ctx *prev;
};

static session_ctx *g_current;

/* Per party state of a Python agent in one session. */
typedef struct py_agent {
    session_ctx *ctx;
    PyObject *obj;
    PyObject *respond, *propose, *observe; /* bound methods (observe NULL when not overridden) */
    const pl_agent_view *view;
} py_agent;

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

static PyObject *make_turn(PyTypeObject *type, session_ctx *ctx, const uint32_t *o)
{
    TurnObject *t = PyObject_NewVar(TurnObject, type, (Py_ssize_t)ctx->ni);
    if (!t) {
        return NULL;
    }
    t->ctx = ctx;
    t->labels = Py_NewRef(ctx->labels);
    t->names = Py_NewRef(ctx->names);
    t->offer = NULL;
    t->n = (Py_ssize_t)ctx->ni;
    t->has_outcome = o != NULL;
    if (o) {
        memcpy(t->o, o, ctx->ni * sizeof *o);
    }
    t->accepts = 0;
    t->action = 0;
    return (PyObject *)t;
}

/* A small object the Python Agent base class uses for utility() and outcomes_by_utility(): valid during start..free. */
typedef struct {
    PyObject_HEAD
    py_agent *a; /* NULL once the session is over */
} ViewObject;

static PyObject *view_utility(PyObject *self, PyObject *seq)
{
    py_agent *a = ((ViewObject *)self)->a;
    if (!a) {
        PyErr_SetString(PyExc_RuntimeError, "the session is over");
        return NULL;
    }
    uint32_t stack[64], *o = stack;
    if (a->ctx->ni > 64 && !(o = malloc(a->ctx->ni * sizeof *o))) {
        return PyErr_NoMemory();
    }
    PyObject *r = seq_to_outcome(a->ctx->sp, seq, o) == 0 ? PyFloat_FromDouble(pl_ufun_eval(a->view->ufun, o)) : NULL;
    if (o != stack) {
        free(o);
    }
    return r;
}

/* sorted() -> (utilities list, outcomes list of tuples, complete) from the party's shared sorted list. */
static PyObject *view_sorted(PyObject *self, PyObject *unused)
{
    (void)unused;
    py_agent *a = ((ViewObject *)self)->a;
    if (!a) {
        PyErr_SetString(PyExc_RuntimeError, "the session is over");
        return NULL;
    }
    const pl_sorted *s = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_agent_sorted(a->view, &s, &d);
    if (rc < 0) {
        return raise_diag(rc, &d);
    }
    size_t n = pl_sorted_count(s), ni = a->ctx->ni;
    const double *u = pl_sorted_utilities(s);
    PyObject *us = PyList_New((Py_ssize_t)n), *os = PyList_New((Py_ssize_t)n);
    uint32_t *o = malloc((ni ? ni : 1) * sizeof *o);
    if (!us || !os || !o) {
        Py_XDECREF(us);
        Py_XDECREF(os);
        free(o);
        return PyErr_NoMemory();
    }
    for (size_t k = 0; k < n; k++) {
        pl_sorted_outcome(s, k, o);
        PyObject *t = outcome_tuple(ni, o);
        if (!t) {
            Py_DECREF(us);
            Py_DECREF(os);
            free(o);
            return NULL;
        }
        PyList_SET_ITEM(os, k, t);
        PyList_SET_ITEM(us, k, PyFloat_FromDouble(u[k]));
    }
    free(o);
    return Py_BuildValue("(NNO)", us, os, pl_sorted_complete(s) ? Py_True : Py_False);
}

static const pl_sorted *view_sorted_list(PyObject *self)
{
    py_agent *a = ((ViewObject *)self)->a;
    if (!a) {
        PyErr_SetString(PyExc_RuntimeError, "the session is over");
        return NULL;
    }
    const pl_sorted *s = NULL;
    pl_diag d;
    pl_diag_clear(&d);
    int rc = pl_agent_sorted(a->view, &s, &d);
    if (rc < 0) {
        raise_diag(rc, &d);
        return NULL;
    }
    return s;
}

/* rank_at_least(target, hint) -> the highest rank whose utility is >= target, or -1 (pl_sorted_rank_at_least) */
static PyObject *view_rank_at_least(PyObject *self, PyObject *args)
{
    double target;
    Py_ssize_t hint = 0;
    if (!PyArg_ParseTuple(args, "d|n", &target, &hint)) {
        return NULL;
    }
    const pl_sorted *s = view_sorted_list(self);
    if (!s) {
        return NULL;
    }
    return PyLong_FromLong(pl_sorted_rank_at_least(s, target, hint > 0 ? (size_t)hint : 0));
}

static int rank_arg(const pl_sorted *s, PyObject *arg, size_t *rank)
{
    Py_ssize_t r = PyLong_AsSsize_t(arg);
    if (r == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (r < 0 || (size_t)r >= pl_sorted_count(s)) {
        PyErr_Format(PyExc_IndexError, "rank %zd out of range (%zu outcomes)", r, pl_sorted_count(s));
        return -1;
    }
    *rank = (size_t)r;
    return 0;
}

/* at_rank(rank) -> (utility, group first rank, outcome indices) */
static PyObject *view_at_rank(PyObject *self, PyObject *arg)
{
    const pl_sorted *s = view_sorted_list(self);
    size_t rank;
    if (!s || rank_arg(s, arg, &rank) < 0) {
        return NULL;
    }
    py_agent *a = ((ViewObject *)self)->a;
    uint32_t stack[64], *o = stack;
    if (a->ctx->ni > 64 && !(o = malloc(a->ctx->ni * sizeof *o))) {
        return PyErr_NoMemory();
    }
    pl_sorted_outcome(s, rank, o);
    PyObject *r = Py_BuildValue("(dnN)", pl_sorted_utilities(s)[rank], (Py_ssize_t)pl_sorted_group_first(s, rank),
                                outcome_tuple(a->ctx->ni, o));
    if (o != stack) {
        free(o);
    }
    return r;
}

static PyObject *view_count(PyObject *self, PyObject *unused)
{
    (void)unused;
    const pl_sorted *s = view_sorted_list(self);
    return s ? Py_BuildValue("(nO)", (Py_ssize_t)pl_sorted_count(s), pl_sorted_complete(s) ? Py_True : Py_False) : NULL;
}

static PyMethodDef view_methods[] = {
    {"rank_at_least", view_rank_at_least, METH_VARARGS, "highest rank with utility >= target, or -1"},
    {"at_rank", view_at_rank, METH_O, "(utility, first rank of its group, outcome indices) at a rank"},
    {"count", view_count, METH_NOARGS, "(outcomes in the sorted list, complete)"},
    {"utility", view_utility, METH_O, "undiscounted utility of an outcome given as value indices"},
    {"sorted", view_sorted, METH_NOARGS, "(utilities, outcomes, complete): the party's outcomes, best first"},
    {NULL, NULL, 0, NULL}};

static PyTypeObject ViewType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "parley._View",
    .tp_basicsize = sizeof(ViewObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "what a Python agent knows during a session (internal)",
    .tp_methods = view_methods,
};

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
    ViewObject *vo = PyObject_New(ViewObject, &ViewType);
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
    /* the view object lives as long as the agent's session: kept in the object, invalidated at free */
    PyObject_SetAttrString(obj, "_view", (PyObject *)vo);
    Py_DECREF(vo);
    *self = a;
    return 0;
}

static int pa_respond(void *self, const pl_turn *tn, pl_response *resp, pl_diag *d)
{
    py_agent *a = self;
    if (a->ctx->interrupt) {
        return PL_ECANCELED;
    }
    TurnObject *t = (TurnObject *)make_turn(&TurnType, a->ctx, tn->offer);
    if (!t) {
        return agent_failed(a, d, "respond");
    }
    t->round = tn->round;
    t->turn = tn->turn;
    t->t = tn->t;
    t->party = (Py_ssize_t)tn->offerer;
    t->accepts = (Py_ssize_t)tn->accepts;
    PyObject *r = PyObject_CallOneArg(a->respond, (PyObject *)t);
    Py_DECREF(t);
    if (!r) {
        return agent_failed(a, d, "respond");
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
    } else if (seq_to_outcome(ctx->sp, obj, outcome) < 0) {
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
    if (a->ctx->interrupt) {
        return PL_ECANCELED;
    }
    TurnObject *t = (TurnObject *)make_turn(&TurnType, a->ctx, tn->offer);
    if (!t) {
        return agent_failed(a, d, "propose");
    }
    t->round = tn->round;
    t->turn = tn->turn;
    t->t = tn->t;
    t->party = (Py_ssize_t)tn->offerer;
    t->accepts = (Py_ssize_t)tn->accepts;
    PyObject *r = PyObject_CallOneArg(a->propose, (PyObject *)t);
    Py_DECREF(t);
    if (!r) {
        return agent_failed(a, d, "propose");
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
    TurnObject *t = (TurnObject *)make_turn(&EventType, a->ctx, ev->outcome);
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
        /* observe has no error channel: an exception is reported at the agent's next respond/propose */
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        if (type && (PyErr_GivenExceptionMatches(type, PyExc_KeyboardInterrupt) ||
                     PyErr_GivenExceptionMatches(type, PyExc_SystemExit))) {
            PyErr_Restore(type, value, tb);
            agent_failed(a, NULL, "observe");
        } else {
            PyErr_Restore(type, value, tb);
            PyErr_WriteUnraisable(a->observe);
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
    PyObject *vo = PyObject_GetAttrString(a->obj, "_view");
    if (vo && Py_IS_TYPE(vo, &ViewType)) {
        ((ViewObject *)vo)->a = NULL;
    }
    PyErr_Clear();
    Py_XDECREF(vo);
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
    PyObject *o = rec->outcome ? outcome_tuple(tc->ni, rec->outcome) : Py_NewRef(Py_None);
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
            PyObject *l = label_of(ctx->sp, i, v), *vi = PyLong_FromUnsignedLong(v);
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
static PyObject *py_run(PyObject *self, PyObject *args)
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
    pl_negotiation *neg = get_neg(negcap);
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
        return raise_diag(PL_EINVAL, &d);
    }
    pl_session_options so;
    pl_session_options_init(&so);
    if (pl_protocol_parse(protocol, &so.protocol) < 0) {
        snprintf(d.message, sizeof d.message, "unknown protocol '%s' (saop, saop-genius or single-text)", protocol);
        return raise_diag(PL_EINVAL, &d);
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
        raise_diag(rc, &d);
        goto done;
    }
    if (load_plugins(reg, libs) < 0) {
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
                    raise_diag(rc, &d);
                    goto done;
                }
            } else if (pl_registry_find(reg, spec)->start != pa_start) {
                snprintf(d.message, sizeof d.message, "a Python agent cannot be named '%s': a built-in agent is", spec);
                raise_diag(PL_EINVAL, &d);
                goto done;
            }
        }
        if ((rc = pl_agent_spec_parse(reg, spec, &agents[k], &d)) < 0) {
            raise_diag(rc, &d);
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
        raise_diag(rc, &d);
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
        raise_diag(rc, &d);
        goto done;
    }
    size_t ni = pl_space_issue_count(pl_scenario_space(sc));
    PyObject *agreement = r.has_agreement ? outcome_tuple(ni, r.agreement) : Py_NewRef(Py_None);
    PyObject *final_text = r.final_text ? outcome_tuple(ni, r.final_text) : Py_NewRef(Py_None);
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
    free(json);
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
 *            real_levels) -> (summary list, sessions in the database) */
static PyObject *py_tournament(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *dirobj, *scen, *agent_list, *libs;
    unsigned long long reps, seed, rounds;
    int self_play, metrics;
    const char *protocol;
    double time_limit;
    unsigned int jobs, real_levels;
    if (!PyArg_ParseTuple(args, "O&OOOKpKsKdpII", PyUnicode_FSConverter, &dirobj, &scen, &agent_list, &libs, &reps,
                          &self_play, &seed, &protocol, &rounds, &time_limit, &metrics, &jobs, &real_levels)) {
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
        raise_diag(PL_EINVAL, &d);
        goto done;
    }
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
        raise_diag(rc, &d);
        goto done;
    }
    if (load_plugins(reg, libs) < 0) {
        goto done;
    }
    if ((rc = pl_tournament_new(&o, reg, &t, &d)) < 0) {
        raise_diag(rc, &d);
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS rc = pl_tournament_run(t, dir, &d);
    Py_END_ALLOW_THREADS if (interrupt)
    {
        PyErr_SetObject((PyObject *)Py_TYPE(interrupt), interrupt);
        goto done;
    }
    if (rc < 0) {
        raise_diag(rc, &d);
        goto done;
    }
    if ((rc = pl_tournament_summarize(dir, &sum, &d)) < 0 || (rc = pl_tournament_summary_write(sum, dir, &d)) < 0) {
        raise_diag(rc, &d);
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
static PyObject *py_export_csv(PyObject *self, PyObject *arg)
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
            raise_diag(rc, &d);
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
static PyObject *py_plot(PyObject *self, PyObject *args)
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
    const pl_scenario *sc = get_sc(cap);
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
        raise_diag(rc, &d);
        goto done;
    }
    if (actions != Py_None) {
        if ((rc = pl_plot_session_new(sc, &s, &d)) < 0) {
            raise_diag(rc, &d);
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
            int bad = out != Py_None && seq_to_outcome(sp, out, o) < 0;
            Py_DECREF(item);
            if (bad) {
                goto done;
            }
            if (party < 0 || ak == PL_ACTION_PROPOSE) {
                continue;
            }
            if ((rc = pl_plot_session_add(s, rd, at, (size_t)party, ak, out == Py_None ? NULL : o)) < 0) {
                raise_diag(rc, &d);
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
        if (agreement != Py_None && seq_to_outcome(sp, agreement, o) < 0) {
            goto done;
        }
        pl_plot_session_set_result(s, agreement == Py_None ? NULL : o, t, rounds, status);
    }
    pl_plot_data_options dopt;
    pl_plot_data_options_init(&dopt);
    Py_BEGIN_ALLOW_THREADS rc = pl_plot_data_new(sc, &dopt, &p, &d);
    Py_END_ALLOW_THREADS if (rc < 0)
    {
        raise_diag(rc, &d);
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
        raise_diag(PL_EINVAL, &d);
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS rc = pl_plot_save(path, width, height, p, s, &po, &d);
    Py_END_ALLOW_THREADS if (rc < 0)
    {
        raise_diag(rc, &d);
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

/* ---- Module ---- */

static PyMethodDef methods[] = {
    {"load", py_load, METH_VARARGS, "load(paths, real_levels, strict, warnings) -> scenario capsule"},
    {"scenario_info", py_scenario_info, METH_O, "scenario_info(sc) -> dict"},
    {"utility", py_utility, METH_VARARGS, "utility(sc, party, indices, t) -> float"},
    {"negotiation", py_negotiation, METH_O, "negotiation(sc) -> negotiation capsule"},
    {"analyze", py_analyze, METH_VARARGS, "analyze(sc, threads) -> JSON text"},
    {"session_seed", py_session_seed, METH_VARARGS, "session_seed(seed, index) -> int"},
    {"agents_json", py_agents_json, METH_O, "agents_json(libs) -> JSON text"},
    {"run", py_run, METH_VARARGS, "run(neg, specs, pyagents, rounds, time_limit, seed, protocol, metrics, trace, libs)"},
    {"tournament", py_tournament, METH_VARARGS, "tournament(dir, scenarios, agents, libs, ...) -> (csv, summary)"},
    {"export_csv", py_export_csv, METH_O, "export_csv(dir) -> the sessions as `parley results --csv` (bytes)"},
    {"plot", py_plot, METH_VARARGS, "plot(sc, path, actions, agents, agreement, t, rounds, status, kind, title, w, h)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "parley._parley", "libparley binding (internal)", -1,
                                    methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__parley(void)
{
    if (PyType_Ready(&TurnType) < 0 || PyType_Ready(&EventType) < 0 || PyType_Ready(&ViewType) < 0) {
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
        PyModule_AddObject(m, "Turn", Py_NewRef((PyObject *)&TurnType)) < 0 ||
        PyModule_AddObject(m, "Event", Py_NewRef((PyObject *)&EventType)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
