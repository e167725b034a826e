"""Scenarios, analysis, sessions, the agent registry and plots."""
import html
import json
import math
import os
import warnings
from collections import namedtuple

from . import _parley
from ._agent import Agent, agent_name

Issue = namedtuple("Issue", "name kind values")
Issue.__doc__ = "An issue: name, kind ('discrete', 'integer', 'real') and values (labels, in order)."

TraceEvent = namedtuple("TraceEvent", "party action outcome round t utility discounted")
TraceEvent.__doc__ = ("One action of a session's trace: party (index), action ('offer', 'accept', 'end'), outcome "
                      "(dict, None for an end), round, t, and the acting party's utility (raw and discounted).")


def _fspath(p):
    return os.fsdecode(os.fspath(p))


class Scenario:
    """A negotiation scenario: issues, parties and their utility functions (immutable). Made by parley.load."""

    def __init__(self, capsule, paths=()):
        self._cap = capsule
        self._paths = tuple(paths)
        info = _parley.scenario_info(capsule)
        self.name = info["name"]
        self.description = info["description"]
        self.parties = list(info["parties"])
        self.issues = [Issue(n, k, list(v)) for n, k, v in info["issues"]]
        self.n_outcomes = 1  # exact, however large (Python integers)
        for issue in self.issues:
            self.n_outcomes *= len(issue.values)
        self.log10_size = info["log10_size"]
        self._res = info["reservations"]
        self._disc = info["discounts"]
        self._value_index = [{v: k for k, v in enumerate(i.values)} for i in self.issues]
        self._names = [i.name for i in self.issues]
        self._neg = None
        self._sorted_cache = {}

    # ---- parties and outcomes ----

    def _party(self, party):
        if isinstance(party, str):
            try:
                return self.parties.index(party)
            except ValueError:
                raise ValueError("no party named %r (parties: %s)" % (party, ", ".join(self.parties))) from None
        p = int(party)
        if not 0 <= p < len(self.parties):
            raise IndexError("party %d out of range (%d parties)" % (p, len(self.parties)))
        return p

    def _indices(self, outcome):
        """Value indices of an outcome given as a dict issue -> label (or number) or as value indices."""
        if isinstance(outcome, dict):
            if len(outcome) != len(self.issues):
                missing = [n for n in self._names if n not in outcome]
                extra = [k for k in outcome if k not in self._names]
                raise ValueError("an outcome names every issue once (missing: %s; unknown: %s)"
                                 % (", ".join(missing) or "none", ", ".join(map(str, extra)) or "none"))
            out = []
            for i, name in enumerate(self._names):
                if name not in outcome:
                    raise ValueError("the outcome has no value for issue %r" % name)
                v = outcome[name]
                idx = self._value_index[i].get(v)
                if idx is None and not isinstance(v, str):
                    idx = self._value_index[i].get(_number_label(v, self.issues[i].values))
                if idx is None:
                    raise ValueError("%r is not a value of issue %r (values: %s)"
                                     % (v, name, ", ".join(self.issues[i].values[:10])))
                out.append(idx)
            return tuple(out)
        return tuple(int(x) for x in outcome)

    def _outcome_dict(self, indices):
        return {n: self.issues[i].values[v] for i, (n, v) in enumerate(zip(self._names, indices))}

    def utility(self, party, outcome, t=None):
        """party's utility of outcome (a dict issue -> value label, or value indices); undiscounted, or discounted
        at relative time t."""
        return _parley.utility(self._cap, self._party(party), self._indices(outcome), t)

    def reservation(self, party):
        """party's reservation value (utility of no agreement)."""
        return self._res[self._party(party)]

    def discount(self, party):
        """party's discount factor as written (1 = none)."""
        return self._disc[self._party(party)]

    def outcome(self, index):
        """The outcome with the given dense index (the last issue varies fastest), as a dict."""
        out = []
        for issue in reversed(self.issues):
            index, v = divmod(index, len(issue.values))
            out.append(v)
        if index:
            raise IndexError("outcome index out of range")
        return self._outcome_dict(tuple(reversed(out)))

    def _negotiation(self):
        if self._neg is None:
            self._neg = _parley.negotiation(self._cap)
        return self._neg

    def __repr__(self):
        return "<parley.Scenario %r: %d parties (%s), %d issues, %s outcomes>" % (
            self.name, len(self.parties), ", ".join(self.parties), len(self.issues), _count_text(self))

    def __getstate__(self):
        if not self._paths:
            raise TypeError("this scenario was not loaded from files and cannot be pickled")
        return {"paths": self._paths}

    def __setstate__(self, state):
        other = load(*state["paths"])
        self.__dict__.update(other.__dict__)


def _count_text(sc):
    return "{:,}".format(sc.n_outcomes) if sc.log10_size < 15 else "10^%.1f" % sc.log10_size


def _number_label(v, labels):
    for lab in labels:
        try:
            if float(lab) == float(v):
                return lab
        except ValueError:
            return None
    return None


def load(path, *more_paths, real_levels=0, strict=False):
    """Load a scenario from files in any format parley reads: a Genius XML folder, a parley JSON file, explicit Genius
    XML files (a domain and its profiles) or GeniusWeb JSON profiles. Raises parley.ParleyError (a ValueError) whose
    message names the file and line as the command line prints it. Warnings (e.g. weights that do not sum to 1) are
    issued with warnings.warn; strict=True makes them errors."""
    paths = tuple(_fspath(p) for p in (path,) + more_paths)
    found = []
    cap = _parley.load(paths, int(real_levels), bool(strict), found)
    for w in found:
        warnings.warn(w, stacklevel=2)
    return Scenario(cap, paths)


# ---- Analysis ----

class Point:
    """A point of the Pareto frontier (or a bargaining point): utilities (one per party), outcome (a dict: the first
    outcome with these utilities), outcomes (the stored ones) and count (how many outcomes share the point)."""

    __slots__ = ("utilities", "outcome", "outcomes", "count")

    def __init__(self, d):
        self.utilities = tuple(float(u) for u in d["utilities"])
        self.outcome = d["outcome"]
        self.outcomes = d.get("outcomes", [d["outcome"]])
        self.count = d.get("count", 1)

    def __repr__(self):
        return "Point(utilities=(%s), outcome=%r)" % (", ".join("%.4f" % u for u in self.utilities), self.outcome)

    def __eq__(self, other):
        return isinstance(other, Point) and (self.utilities, self.outcome) == (other.utilities, other.outcome)

    def __hash__(self):
        return hash(self.utilities)


class Analysis:
    """What `parley analyze` computes: frontier (list of Point, by the first party's utility descending), nash,
    kalai_smorodinsky, egalitarian, max_welfare (Point or None), exact, algorithm, ideal, opposition, zopa,
    reservations, seconds. to_json() gives the text `parley analyze --json` prints."""

    def __init__(self, scenario, text):
        self.scenario = scenario
        self._json = text
        d = json.loads(text)
        self._d = d
        self.parties = d["parties"]
        self.frontier = [Point(p) for p in d["frontier"]]
        for k in ("nash", "kalai_smorodinsky", "egalitarian", "max_welfare"):
            setattr(self, k, Point(d[k]) if d.get(k) else None)
        self.exact = bool(d["exact"])
        self.algorithm = d["algorithm"]
        self.ideal = tuple(d.get("ideal") or ())
        self.opposition = d.get("opposition")
        self.zopa = d.get("zopa")
        self.reservations = tuple(d.get("reservations") or ())
        self.seconds = d.get("seconds")

    def to_json(self):
        return self._json

    def frontier_array(self):
        """The frontier's utilities as a numpy array (points x parties); needs numpy."""
        np = _need("numpy", "Analysis.frontier_array")
        return np.array([p.utilities for p in self.frontier], dtype=float).reshape(len(self.frontier),
                                                                                   len(self.parties))

    def __repr__(self):
        def pt(p):
            return "none" if p is None else "(" + ", ".join("%.4f" % u for u in p.utilities) + ")"
        return ("<parley.Analysis of %r: %s frontier of %d points (%s); nash %s, kalai_smorodinsky %s, "
                "max_welfare %s>" % (self.scenario.name, "exact" if self.exact else "approximate", len(self.frontier),
                                     self.algorithm, pt(self.nash), pt(self.kalai_smorodinsky), pt(self.max_welfare)))

    def _repr_html_(self):
        rows = []
        for name in ("nash", "kalai_smorodinsky", "egalitarian", "max_welfare"):
            p = getattr(self, name)
            rows.append("<tr><th>%s</th><td>%s</td><td>%s</td></tr>" % (
                name, "" if p is None else ", ".join("%.4f" % u for u in p.utilities),
                "" if p is None else html.escape(", ".join("%s=%s" % kv for kv in p.outcome.items()))))
        head = "<tr><th>point</th><th>%s</th><th>outcome</th></tr>" % html.escape(" / ".join(self.parties))
        return ("<div><b>parley analysis: %s</b> &mdash; %s frontier, %d points (%s)<table>%s%s</table></div>"
                % (html.escape(self.scenario.name), "exact" if self.exact else "approximate", len(self.frontier),
                   html.escape(self.algorithm), head, "".join(rows)))


def analyze(scenario, threads=0):
    """The Pareto frontier and bargaining points of a scenario: the same computation as `parley analyze`."""
    return Analysis(scenario, _parley.analyze(scenario._cap, int(threads)))


# ---- Sessions ----

class Result:
    """The result of one session: status ('agreement', 'deadline', 'ended', 'violation', 'error'; isolated
    sessions also 'crash', 'timeout', 'memory'), reason, culprit,
    agreement (dict or None), utilities (undiscounted: the agreement's, else each party's reservation value, as the
    command line reports them), discounted (what each party gets), rounds, actions, t, seconds,
    individually_rational, welfare, pareto_distance, nash_distance, agents, trace (list of TraceEvent).
    to_json() is exactly what `parley run --json` prints for the same session."""

    def __init__(self, scenario, agents, d):
        self.scenario = scenario
        self.agents = list(agents)
        self.status = d["status"]
        self.reason = d["reason"]
        self.culprit = d["culprit"]
        self._agreement = d["agreement"]
        self.agreement = None if d["agreement"] is None else scenario._outcome_dict(d["agreement"])
        self.final_text = None if d["final_text"] is None else scenario._outcome_dict(d["final_text"])
        self.utilities = d["raw_utilities"]
        self.discounted = d["utilities"]
        self.rounds = d["rounds"]
        self.actions = d["actions"]
        self.t = d["t"]
        self.seconds = d["seconds"]
        self.individually_rational = d["individually_rational"]
        self.welfare = _nan_none(d["welfare"])
        self.pareto_distance = _nan_none(d["pareto_distance"])
        self.nash_distance = _nan_none(d["nash_distance"])
        self.protocol = d["protocol"]
        self._raw_trace = d["trace"]
        self._trace = None
        self._json = d["json"]

    @property
    def trace(self):
        if self._trace is None:
            raw = self._raw_trace or []
            od = self.scenario._outcome_dict
            self._trace = [TraceEvent(p, a, None if o is None else od(o), r, t, _nan_none(u), _nan_none(du))
                           for (r, t, p, a, o, u, du) in raw]
        return self._trace

    def to_json(self):
        """The JSON text `parley run --json` prints for this session."""
        return self._json

    def to_dict(self):
        return json.loads(self._json)

    def trace_frame(self):
        """The trace as a pandas DataFrame (one row per action); needs pandas."""
        pd = _need("pandas", "Result.trace_frame")
        rows = []
        for e in self.trace:
            row = {"round": e.round, "t": e.t, "party": e.party, "action": e.action, "utility": e.utility,
                   "discounted": e.discounted}
            for name in self.scenario._names:
                row[name] = None if e.outcome is None else e.outcome[name]
            rows.append(row)
        return pd.DataFrame(rows)

    def __repr__(self):
        what = ("agreement %s" % ", ".join("%s=%s" % kv for kv in self.agreement.items())
                if self.agreement is not None else "no agreement")
        return "<parley.Result %s (%s) after %d rounds: %s; utilities (%s)>" % (
            self.status, self.reason, self.rounds, what, ", ".join("%.4f" % u for u in self.utilities))


def _nan_none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def _agent_entry(a):
    """(spec text, python agent object or None) for an agent given as a spec string, class or instance."""
    if isinstance(a, str):
        return a, None
    if isinstance(a, type) and issubclass(a, Agent):
        return agent_name(a), a()
    if isinstance(a, Agent):
        return agent_name(a), a
    raise TypeError("an agent is a spec string (e.g. 'boulware'), a parley.Agent subclass or an instance of one, "
                    "not %r" % (a,))


_builtin_names = None


def _builtins():
    global _builtin_names
    if _builtin_names is None:
        _builtin_names = {a["name"] for a in json.loads(_parley.agents_json([]))}
    return _builtin_names


def _python_name(agent):
    """The name of a Python agent (class or instance) in results: agent_name, with "py-" in front when a built-in
    agent has that name."""
    name = agent_name(agent)
    return "py-" + name if name in _builtins() else name


def _prepare_agents(scenario, agent_list):
    specs, objs = [], []
    seen = set()
    for a in agent_list:
        spec, obj = _agent_entry(a)
        if obj is not None:
            if id(obj) in seen:
                raise ValueError("the same agent instance plays two parties: pass the class, or two instances")
            seen.add(id(obj))
            spec = _python_name(obj)
            obj.scenario = scenario
        specs.append(spec)
        objs.append(obj)
    return specs, objs


def run(scenario, agents, rounds=1000, seed=1, protocol="saop", time_limit=0.0, metrics=True, trace=True,
        agent_libs=()):
    """Run one session: agents[k] plays party k. An agent is a spec string ("boulware", "timebased:e=0.5"), a
    parley.Agent subclass (instantiated for the session) or an instance. protocol: 'saop' (default),
    'saop-genius' or 'single-text'. trace=False skips recording the actions (faster for long sessions).
    Raises parley.ParleyError for bad agents or options, as `parley run` reports them."""
    if isinstance(agents, str):
        agents = [agents]
    specs, objs = _prepare_agents(scenario, list(agents))
    d = _parley.run(scenario._negotiation(), specs, objs, int(rounds or 0), float(time_limit or 0), int(seed),
                    protocol, bool(metrics), bool(trace), [_fspath(p) for p in agent_libs])
    return Result(scenario, specs, d)


# ---- The registry ----

class AgentInfo:
    """An agent type of the registry: name, description, protocols, parameters (list of dicts: name, kind,
    default, min, max, description)."""

    def __init__(self, d):
        self._d = d
        self.name = d.get("name")
        self.description = d.get("description", "")
        self.protocols = d.get("protocols", [])
        self.parameters = d.get("parameters", d.get("params", []))

    def __repr__(self):
        params = ", ".join("%s=%s" % (p.get("name"), p.get("default")) for p in self.parameters)
        return "<parley agent %s(%s): %s>" % (self.name, params, self.description)


def agents(agent_libs=()):
    """The registry: every built-in agent (and those of the plug-in libraries given), as AgentInfo."""
    return [AgentInfo(d) for d in json.loads(_parley.agents_json([_fspath(p) for p in agent_libs]))]


# ---- Plots ----

def plot(scenario, result=None, path="plot.png", kind="space", title=None, width=0, height=0):
    """Draw what `parley plot` draws into path (.png, .svg or .pdf): kind 'space' (outcomes in utility space, the
    frontier, bargaining points and, with a result, each party's offers and the agreement) or 'time' (each party's
    utility of every offer over time; needs a result with a trace)."""
    if kind not in ("space", "time"):
        raise ValueError("kind is 'space' or 'time'")
    actions = agents_ = agreement = None
    t, rounds, status = 0.0, 0, None
    if result is not None:
        actions = result._raw_trace or []
        actions = [(r, tt, p, a, o) for (r, tt, p, a, o, _u, _du) in actions]
        agents_ = result.agents
        agreement = result._agreement
        t, rounds, status = result.t, result.rounds, result.status
    _parley.plot(scenario._cap, _fspath(path), actions, agents_, agreement, float(t), int(rounds), status,
                 1 if kind == "time" else 0, title, float(width), float(height))
    return os.fspath(path)


def _need(module, what):
    try:
        return __import__(module)
    except ImportError:
        raise ImportError("%s needs %s: install it (e.g. apt-get install python3-%s, or pip install %s)"
                          % (what, module, module, module)) from None
