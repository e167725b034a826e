/* The objects a Python agent's callbacks receive: Turn (its turn), Event (another party's action), and the view
 * behind Agent.utility / outcomes_by_utility / rank_at_least (valid from start to free of one session). */
#include "_parley.h"

#include <stddef.h>
#include <stdlib.h>
#include <structmember.h>
#include <string.h>

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
    return pyl_outcome_tuple((size_t)t->n, t->o);
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
    {"offer", turn_get_offer, NULL, "the offer on the table: dict issue -> value label, or None", NULL},
    {"offer_indices", turn_get_indices, NULL, "the offer as a tuple of value indices, or None", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

/* Plain fields, read-only. */
static PyMemberDef turn_members[] = {
    {"round", T_ULONGLONG, offsetof(TurnObject, round), READONLY, "1-based round"},
    {"turn", T_ULONGLONG, offsetof(TurnObject, turn), READONLY, "0-based count of turns so far"},
    {"t", T_DOUBLE, offsetof(TurnObject, t), READONLY, "relative time in [0, 1]"},
    {"offerer", T_PYSSIZET, offsetof(TurnObject, party), READONLY, "the party that made the offer"},
    {"accepts", T_PYSSIZET, offsetof(TurnObject, accepts), READONLY, "how many parties accepted the offer so far"},
    {NULL, 0, 0, 0, NULL}};

static PyGetSetDef event_getset[] = {
    {"action", turn_get_action, NULL, "'offer', 'accept' or 'end'", NULL},
    {"outcome", turn_get_offer, NULL, "the outcome offered or accepted (dict), None for an end", NULL},
    {"outcome_indices", turn_get_indices, NULL, "the outcome as value indices, or None", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyMemberDef event_members[] = {
    {"party", T_PYSSIZET, offsetof(TurnObject, party), READONLY, "the acting party"},
    {"round", T_ULONGLONG, offsetof(TurnObject, round), READONLY, "1-based round"},
    {"t", T_DOUBLE, offsetof(TurnObject, t), READONLY, "relative time"},
    {NULL, 0, 0, 0, NULL}};

PyTypeObject pyl_TurnType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "parley.Turn",
    .tp_basicsize = sizeof(TurnObject),
    .tp_itemsize = sizeof(uint32_t),
    .tp_dealloc = turn_dealloc,
    .tp_repr = turn_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The state of the protocol on a Python agent's turn: round, turn, t, offer, offer_indices, offerer, "
              "accepts.",
    .tp_getset = turn_getset,
    .tp_members = turn_members,
};

PyTypeObject pyl_EventType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "parley.Event",
    .tp_basicsize = sizeof(TurnObject),
    .tp_itemsize = sizeof(uint32_t),
    .tp_dealloc = turn_dealloc,
    .tp_repr = event_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Another party's action, as a Python agent observes it: party, action, outcome, round, t.",
    .tp_getset = event_getset,
    .tp_members = event_members,
};

PyObject *pyl_make_turn(PyTypeObject *type, session_ctx *ctx, const uint32_t *o)
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
    PyObject *r = pyl_seq_to_outcome(a->ctx->sp, seq, o) == 0 ? PyFloat_FromDouble(pl_ufun_eval(a->view->ufun, o)) : NULL;
    if (o != stack) {
        free(o);
    }
    return r;
}

/* The party's shared sorted list, or NULL with a Python error set. */
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
        pyl_raise_diag(rc, &d);
        return NULL;
    }
    return s;
}

/* sorted() -> (utilities list, outcomes list of tuples, complete) from the party's shared sorted list. */
static PyObject *view_sorted(PyObject *self, PyObject *unused)
{
    (void)unused;
    const pl_sorted *s = view_sorted_list(self);
    if (!s) {
        return NULL;
    }
    size_t n = pl_sorted_count(s), ni = ((ViewObject *)self)->a->ctx->ni;
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
        PyObject *t = pyl_outcome_tuple(ni, o);
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
                                pyl_outcome_tuple(a->ctx->ni, o));
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

PyTypeObject pyl_ViewType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "parley._View",
    .tp_basicsize = sizeof(ViewObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "what a Python agent knows during a session (internal)",
    .tp_methods = view_methods,
};

