"""Tournaments: the library's threaded runner for built-in agents; worker processes when Python agents play."""
import csv
import html
import io
import itertools
import math
import multiprocessing
import os
import tempfile

from . import _parley
from ._agent import Agent
from ._core import Scenario, _fspath, _need, _python_name, load, run

_TEXT = {"scenario", "scenario_path", "status", "reason", "culprit_agent"}
_STATS = ("utility", "advantage", "agreement", "welfare", "pareto_distance", "nash_distance", "rounds")


class TournamentResult:
    """A finished tournament: sessions (a pandas DataFrame, one row per session: the columns of `parley results
    --csv`) and summary (a DataFrame, one row per agent: the statistics of `parley tournament`'s summary.csv).
    rows and summary_rows give the same as lists of dicts without pandas. out: the folder written, if any."""

    def __init__(self, rows, summary_rows, out=None, n=None):
        self._rows = rows  # a list, or a function giving it (read from the tournament folder on first use)
        self.summary_rows = summary_rows
        self.out = out
        self._n = n

    @property
    def rows(self):
        if callable(self._rows):
            self._rows = self._rows()
        return self._rows

    @property
    def sessions(self):
        pd = _need("pandas", "TournamentResult.sessions")
        return pd.DataFrame(self.rows)

    @property
    def summary(self):
        pd = _need("pandas", "TournamentResult.summary")
        return pd.DataFrame(self.summary_rows)

    def __len__(self):
        return self._n if self._n is not None else len(self.rows)

    def __repr__(self):
        lines = ["<parley.TournamentResult: %d sessions, %d agents%s>" % (
            len(self), len(self.summary_rows), "" if not self.out else " in " + self.out)]
        for s in self.summary_rows:
            lines.append("  %-16s n=%-5d utility %.4f +- %.4f  agreement %.3f" % (
                s["agent"], s["appearances"], _num(s["utility_mean"]), _num(s["utility_ci95"]),
                _num(s["agreement_mean"])))
        return "\n".join(lines)

    def _repr_html_(self):
        head = "".join("<th>%s</th>" % h for h in ("agent", "n", "utility", "&plusmn; 95%", "advantage", "agreement",
                                                  "welfare", "pareto distance", "nash distance", "rounds"))
        body = []
        for s in self.summary_rows:
            cells = [html.escape(s["agent"]), str(s["appearances"])] + [
                "%.4f" % _num(s[k]) for k in ("utility_mean", "utility_ci95", "advantage_mean", "agreement_mean",
                                              "welfare_mean", "pareto_distance_mean", "nash_distance_mean",
                                              "rounds_mean")]
            body.append("<tr>%s</tr>" % "".join("<td>%s</td>" % c for c in cells))
        return "<div><b>parley tournament</b>: %d sessions<table><tr>%s</tr>%s</table></div>" % (
            len(self), head, "".join(body))


def _num(x):
    return float("nan") if x is None or x == "" else float(x)


def _paths_of(sc):
    if isinstance(sc, Scenario):
        return sc._paths
    if isinstance(sc, (list, tuple)):
        return tuple(_fspath(p) for p in sc)
    return (_fspath(sc),)


def _cell(text):
    """A CSV cell of `parley results --csv` as a Python value."""
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def tournament(scenarios, agents, rounds=1000, reps=1, seed=1, jobs=0, out=None, protocol="saop", self_play=False,
               time_limit=0.0, metrics=True, agent_libs=(), isolate="auto", call_limit=0.0, memory_limit=0):
    """Run every ordered assignment of distinct agents to each scenario's parties (every assignment with
    self_play=True), reps times, with session seeds derived from seed (docs/tournaments.md): the same plan, seeds
    and sessions as `parley tournament`. scenarios: parley.Scenario objects or paths; agents: spec strings,
    parley.Agent subclasses or instances. jobs: parallel workers (0 = all cores).

    With only built-in agents the library's threaded runner does the work (into out, a tournament folder as the
    command line writes it; a temporary one when out is None). With Python agents, sessions run in jobs worker
    processes (each with its own registry, running sessions in C), so Python agents do not serialise on the GIL;
    the results do not depend on jobs.

    isolate ("auto", "on", "off"), call_limit (seconds, 0 = 10 or time_limit if smaller) and memory_limit (bytes, 0 =
    2 GiB): with the library's runner, sessions with plug-in agents (agent_libs) run in worker processes under
    "auto" and "on", so a crash, a hang or a memory hog is recorded as status 'crash', 'timeout' or 'memory'
    (docs/tournaments.md). Python agents always run in their own worker processes, without these limits."""
    scenarios = list(scenarios)
    agents = list(agents)
    if not scenarios or not agents:
        raise _parley.ParleyError("a tournament needs scenarios and agents")
    for a in agents:
        if not isinstance(a, (str, Agent)) and not (isinstance(a, type) and issubclass(a, Agent)):
            raise TypeError("an agent is a spec string, a parley.Agent subclass or an instance of one, not %r" % (a,))
    python = not all(isinstance(a, str) for a in agents)
    paths = [_paths_of(s) for s in scenarios]
    if not python and all(len(p) == 1 for p in paths):
        return _run_library(paths, agents, rounds, reps, seed, jobs, out, protocol, self_play, time_limit, metrics,
                            agent_libs, isolate, call_limit, memory_limit)
    return _run_python(scenarios, agents, rounds, reps, seed, jobs, out, protocol, self_play, time_limit, metrics,
                       agent_libs)


def _run_library(paths, agents, rounds, reps, seed, jobs, out, protocol, self_play, time_limit, metrics, agent_libs,
                 isolate="auto", call_limit=0.0, memory_limit=0):
    tmp = None
    if out is None:
        tmp = tempfile.TemporaryDirectory(prefix="parley-tournament-")
        folder = os.path.join(tmp.name, "t")
    else:
        folder = _fspath(out)
    try:
        summary, n = _parley.tournament(
            folder, [p[0] for p in paths], list(agents), [_fspath(p) for p in agent_libs], int(reps), bool(self_play),
            int(seed), protocol, int(rounds or 0), float(time_limit or 0), bool(metrics), int(jobs), 0, str(isolate),
            float(call_limit or 0), int(memory_limit or 0))
    except BaseException:
        if tmp is not None:
            tmp.cleanup()
        raise
    srows = []
    for s in summary:
        row = {"agent": s["agent"], "appearances": s["appearances"]}
        for k in _STATS:
            c, mean, sd, ci = s[k]
            row.update({k + "_n": c, k + "_mean": _nan_none(mean), k + "_sd": _nan_none(sd), k + "_ci95": ci})
        srows.append(row)

    def rows():
        # the sessions as `parley results --csv` exports them, read on first use (the temporary folder, if any,
        # lives until then)
        try:
            text = _parley.export_csv(folder)
        finally:
            if tmp is not None:
                tmp.cleanup()
        reader = csv.DictReader(io.StringIO(text.decode("utf-8")))
        return [{k: (v if v != "" else None) if k.startswith("agreement") or k in _TEXT else _cell(v)
                 for k, v in r.items()} for r in reader]

    return TournamentResult(rows, srows, None if out is None else folder, n)


def _nan_none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


# ---- Python agents: the plan in Python, sessions in worker processes ----

def _plan(scenarios, n_agents, reps, self_play):
    """(scenario index, agent indices per party, repetition) in the library's session order: scenario-major, then
    assignments in lexicographic order of agent indices, then repetitions."""
    plan = []
    for s, sc in enumerate(scenarios):
        np_ = len(sc.parties)
        if self_play:
            groups = itertools.product(range(n_agents), repeat=np_)
        else:
            groups = itertools.permutations(range(n_agents), np_)
        for g in groups:
            for r in range(reps):
                plan.append((s, g, r))
    return plan


_STATE = None  # what the workers need: set before the pool starts (fork), or passed to the initializer (spawn)


def _init_worker(state):
    global _STATE
    if state is not None:
        scenarios, agents, kw = state
        scenarios = [load(*p) if isinstance(p, tuple) else p for p in scenarios]
        _STATE = (scenarios, agents, kw)


def _session(item):
    index, s, group, rep = item
    scenarios, agents, kw = _STATE
    sc = scenarios[s]
    names = [kw["names"][a] for a in group]
    seed = _parley.session_seed(kw["seed"], _parley.scenario_hash(sc._cap), names, rep)
    res = run(sc, [agents[a] for a in group], rounds=kw["rounds"], seed=seed, protocol=kw["protocol"],
              time_limit=kw["time_limit"], metrics=kw["metrics"], trace=False, agent_libs=kw["agent_libs"])
    row = {"session": index, "scenario": sc.name, "scenario_path": os.path.abspath(sc._paths[0]) if sc._paths else "",
           "repetition": rep, "seed": seed, "status": res.status, "reason": res.reason, "rounds": res.rounds,
           "actions": res.actions, "t": res.t, "seconds": res.seconds,
           "individually_rational": int(res.individually_rational), "pareto_distance": res.pareto_distance,
           "nash_distance": res.nash_distance, "welfare": res.welfare, "culprit": res.culprit,
           "culprit_agent": None if res.culprit is None else names[res.culprit], "n_parties": len(group)}
    for k, p in enumerate(sc.parties):
        row["party_%d" % k] = p
    for k, n in enumerate(names):
        row["agent_%d" % k] = n
    for k, u in enumerate(res.discounted):
        row["utility_%d" % k] = u
    for k, u in enumerate(res.utilities):
        row["raw_utility_%d" % k] = u
    if kw["flat"]:
        row["agreement"] = None if res.agreement is None else ";".join(
            "%s=%s" % (_esc(k), _esc(v)) for k, v in res.agreement.items())
    else:
        for name in sc._names:
            row["agreement." + name] = None if res.agreement is None else res.agreement[name]
    return row


def _esc(s):
    return s.replace("\\", "\\\\").replace(";", "\\;").replace("=", "\\=")


def _stat(xs):
    xs = [x for x in xs if x is not None and not (isinstance(x, float) and math.isnan(x))]
    n = len(xs)
    if n == 0:
        return n, None, None, 0.0
    mean = sd = 0.0
    m2 = 0.0
    for k, x in enumerate(xs, 1):  # Welford, as the library accumulates
        dx = x - mean
        mean += dx / k
        m2 += dx * (x - mean)
    if n >= 2:
        sd = math.sqrt(m2 / (n - 1))
        return n, mean, sd, 1.96 * sd / math.sqrt(n)
    return n, mean, None, 0.0


def _summarize(rows, names, scenarios):
    per = {n: {k: [] for k in _STATS} for n in names}
    count = {n: 0 for n in names}
    for row in rows:
        sc = scenarios[row["_scenario"]]
        for k in range(row["n_parties"]):
            name = row["agent_%d" % k]
            if name not in per:
                continue
            u = row["utility_%d" % k]
            count[name] += 1
            acc = per[name]
            acc["utility"].append(u)
            acc["advantage"].append(u - sc.reservation(k))
            acc["agreement"].append(1.0 if row["status"] == "agreement" else 0.0)
            acc["welfare"].append(row["welfare"])
            acc["pareto_distance"].append(row["pareto_distance"])
            acc["nash_distance"].append(row["nash_distance"])
            acc["rounds"].append(float(row["rounds"]))
    out = []
    for n in names:
        row = {"agent": n, "appearances": count[n]}
        for k in _STATS:
            c, mean, sd, ci = _stat(per[n][k])
            row.update({k + "_n": c, k + "_mean": mean, k + "_sd": sd, k + "_ci95": ci})
        out.append(row)
    return out


def _run_python(scenarios, agents, rounds, reps, seed, jobs, out, protocol, self_play, time_limit, metrics,
                agent_libs):
    global _STATE
    scenarios = [s if isinstance(s, Scenario) else load(*_paths_of(s)) for s in scenarios]
    names = [a if isinstance(a, str) else _python_name(a) for a in agents]
    if len(set(names)) != len(names):
        raise _parley.ParleyError("two agents of the tournament have the same name: %s" % ", ".join(names))
    if reps < 1:
        raise _parley.ParleyError("reps must be at least 1")
    for sc in scenarios:
        if not self_play and len(agents) < len(sc.parties):
            raise _parley.ParleyError("%d agents for %d parties of %s: give at least as many agents as parties (or "
                                      "self_play=True)" % (len(agents), len(sc.parties), sc.name))
    # agent classes are instantiated per session: instances are copied by their class when possible
    agents = [a if isinstance(a, (str, type)) else type(a) for a in agents]
    plan = _plan(scenarios, len(agents), reps, self_play)
    items = [(i, s, g, r) for i, (s, g, r) in enumerate(plan)]
    kw = {"seed": int(seed), "rounds": int(rounds or 0), "protocol": protocol, "time_limit": float(time_limit or 0),
          "metrics": bool(metrics), "agent_libs": [_fspath(p) for p in agent_libs], "names": names,
          # one column per issue when every scenario has the same issues, else one flat column (as the library)
          "flat": len({tuple(s._names) for s in scenarios}) > 1}
    jobs = int(jobs) or os.cpu_count() or 1
    jobs = max(1, min(jobs, len(items)))
    prev = _STATE
    try:
        _STATE = (scenarios, agents, kw)
        if jobs == 1:
            rows = [_session(it) for it in items]
        else:
            methods = multiprocessing.get_all_start_methods()
            if "fork" in methods:
                ctx = multiprocessing.get_context("fork")
                init_state = None
            else:
                ctx = multiprocessing.get_context("spawn")
                init_state = ([s._paths for s in scenarios], agents, kw)
            chunk = max(1, len(items) // (jobs * 8))
            with ctx.Pool(jobs, initializer=_init_worker, initargs=(init_state,)) as pool:
                rows = pool.map(_session, items, chunksize=chunk)
    finally:
        _STATE = prev
    for (i, s, _g, _r), row in zip(items, rows):
        row["_scenario"] = s
    summary = _summarize(rows, names, scenarios)
    for row in rows:
        del row["_scenario"]
    if out is not None:
        _write_out(_fspath(out), rows, summary)
    return TournamentResult(rows, summary, None if out is None else _fspath(out))


def _write_out(folder, rows, summary):
    os.makedirs(folder, exist_ok=True)
    for name, data in (("sessions.csv", rows), ("summary.csv", summary)):
        cols = []
        for r in data:
            cols.extend(k for k in r if k not in cols)
        tmp = os.path.join(folder, "." + name + ".tmp")
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=cols)
            w.writeheader()
            for r in data:
                w.writerow({k: "" if v is None else v for k, v in r.items()})
        os.replace(tmp, os.path.join(folder, name))
