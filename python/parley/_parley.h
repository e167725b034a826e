/* parley._parley, the CPython binding of libparley: what its C files share (python/parley/).
 *   _parley.c      the module, errors, scenarios, analysis, the registry
 *   _agent_types.c the Turn, Event and view objects a Python agent sees
 *   _session.c     Python agents as pl_agent_type, and run()
 *   _runs.c        tournaments (the library's threads) and plots */
#ifndef PARLEY_PY_BINDING_H
#define PARLEY_PY_BINDING_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>

#include <parley/parley.h>
#include <parley/record.h>

#if PY_VERSION_HEX < 0x030A0000
static inline PyObject *Py_NewRef(PyObject *o)
{
    Py_INCREF(o);
    return o;
}
#endif

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


/* What one run() call shares with its Python agents' callbacks. */
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

/* Per party state of a Python agent in one session. */
typedef struct py_agent {
    session_ctx *ctx;
    PyObject *obj;
    PyObject *respond, *propose, *observe; /* bound methods (observe NULL when not overridden) */
    const pl_agent_view *view;
    char pending[PL_DIAG_MSG_MAX]; /* an exception raised in observe, reported at the next respond/propose */
    struct ViewObject *vo;         /* the view handed to the agent (owned); its pointer to this is cleared at free */
} py_agent;

/* A small object the Python Agent base class uses for utility() and outcomes_by_utility(): valid during start..free. */
typedef struct ViewObject {
    PyObject_HEAD
    py_agent *a; /* NULL once the session is over */
} ViewObject;

/* Raise parley.ParleyError from a diagnostic (formatted as the CLI prints it) or a bare code; returns NULL. */
PyObject *pyl_raise_diag(int code, const pl_diag *d);
pl_scenario *pyl_get_sc(PyObject *cap);
pl_negotiation *pyl_get_neg(PyObject *cap);
/* A sequence of value indices into outcome[issue count]; -1 with an exception set when it is not an outcome. */
int pyl_seq_to_outcome(const pl_space *sp, PyObject *seq, uint32_t *outcome);
PyObject *pyl_outcome_tuple(size_t ni, const uint32_t *o);
PyObject *pyl_label_of(const pl_space *sp, size_t i, uint32_t v);
/* Load the plug-in libraries of the sequence libs (may be NULL) into reg; -1 with an exception set. */
int pyl_load_plugins(pl_registry *reg, PyObject *libs);

extern PyTypeObject pyl_TurnType, pyl_EventType, pyl_ViewType;
PyObject *pyl_make_turn(PyTypeObject *type, session_ctx *ctx, const uint32_t *o);

PyObject *pyl_run(PyObject *self, PyObject *args);
PyObject *pyl_tournament(PyObject *self, PyObject *args);
PyObject *pyl_export_csv(PyObject *self, PyObject *arg);
PyObject *pyl_plot(PyObject *self, PyObject *args);

#endif
