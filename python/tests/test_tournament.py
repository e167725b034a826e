import csv
import io
import os
import time
import subprocess
import sys

import pytest

import parley
from conftest import PKG, SCEN, PyBoulware, cli

JOB = os.path.join(SCEN, "job-offer.json")
SUPPLY = os.path.join(SCEN, "supply-contract.json")


def without(rows, *keys):
    return [{k: v for k, v in r.items() if k not in keys} for r in rows]


def cells(v):
    return "" if v is None else str(v)


def test_builtins_are_parley_tournament(tmp_path):
    t = parley.tournament([parley.load(JOB), SUPPLY], ["boulware", "conceder", "hardliner"], rounds=200, reps=2,
                          seed=4, jobs=2, out=tmp_path / "py")
    cli("tournament", JOB, SUPPLY, "--agents", "boulware,conceder,hardliner", "--rounds", "200", "--reps", "2",
        "--seed", "4", "--out", str(tmp_path / "cli"), "--quiet")
    _, out, _ = cli("results", str(tmp_path / "cli"), "--csv")
    want = list(csv.DictReader(io.StringIO(out)))
    assert len(t) == len(want) == 2 * (6 + 6)
    for got, w in zip(t.rows, want):
        for k, v in w.items():
            if k != "seconds":
                assert cells(got[k]) == v or float(got[k]) == float(v), k
    with open(tmp_path / "cli" / "summary.csv") as f:
        summary = list(csv.DictReader(f))
    assert [s["agent"] for s in t.summary_rows] == [s["agent"] for s in summary]
    for got, w in zip(t.summary_rows, summary):
        for k, v in w.items():
            assert cells(got[k]) == v or float(got[k]) == pytest.approx(float(v)), k
    df = t.sessions
    assert len(df) == len(want) and "agreement" in df.columns  # two scenarios' issues: one flat column
    assert list(t.summary["agent"]) == ["boulware", "conceder", "hardliner"]
    assert "boulware" in repr(t) and "<table>" in t._repr_html_()


def test_python_agents_match_builtins_and_jobs(tmp_path):
    scen = [parley.load(JOB)]
    c = parley.tournament(scen, ["boulware", "conceder", "hardliner"], rounds=300, reps=2, seed=9)
    p1 = parley.tournament(scen, [PyBoulware, "conceder", "hardliner"], rounds=300, reps=2, seed=9, jobs=1)
    p2 = parley.tournament(scen, [PyBoulware, "conceder", "hardliner"], rounds=300, reps=2, seed=9, jobs=2,
                           out=tmp_path / "t")
    assert without(p1.rows, "seconds") == without(p2.rows, "seconds")
    assert p1.summary_rows == p2.summary_rows
    rename = {"pyboulware": "boulware"}
    assert len(c.rows) == len(p1.rows) == 12
    for a, b in zip(c.rows, p1.rows):
        b = dict(b, agent_0=rename.get(b["agent_0"], b["agent_0"]), agent_1=rename.get(b["agent_1"], b["agent_1"]))
        # seeds differ (a session's seed comes from its agents' names) and these agents use none: same sessions
        for k in ("session", "status", "reason", "rounds", "actions", "utility_0", "utility_1",
                  "raw_utility_0", "raw_utility_1", "agent_0", "agent_1", "welfare", "pareto_distance",
                  "nash_distance", "agreement.salary", "agreement.title"):
            assert a[k] == b[k] or (isinstance(a[k], float) and a[k] == pytest.approx(b[k])), k
    for a, b in zip(c.summary_rows, p1.summary_rows):
        for k, v in a.items():
            if k != "agent":
                assert v == pytest.approx(b[k]) if v is not None else b[k] is None, k
    assert os.path.exists(tmp_path / "t" / "sessions.csv") and os.path.exists(tmp_path / "t" / "summary.csv")


class PidAgent(parley.Agent):
    folder = None

    def on_start(self):
        with open(os.path.join(self.folder, str(os.getpid())), "a") as f:
            f.write("x")
        time.sleep(0.05)  # long enough that both workers take sessions, however loaded the machine


class Crasher(parley.Agent):
    def respond(self, turn):
        raise RuntimeError("crash %d" % turn.round)


def test_python_tournament_uses_processes_and_survives_failures(tmp_path):
    PidAgent.folder = str(tmp_path)
    t = parley.tournament([JOB], [PidAgent, Crasher, "boulware"], rounds=50, reps=4, seed=1, jobs=2)
    pids = {int(p) for p in os.listdir(tmp_path)}
    assert len(pids) == 2 and os.getpid() not in pids
    crashed = [r for r in t.rows if "crasher" in (r["agent_0"], r["agent_1"])]
    assert crashed and all(r["status"] in ("violation", "agreement") for r in crashed)
    assert any("RuntimeError: crash" in r["reason"] for r in crashed)
    assert all(r["culprit_agent"] == "crasher" for r in crashed if r["status"] == "violation")


def test_tournament_errors():
    with pytest.raises(parley.ParleyError, match="needs scenarios"):
        parley.tournament([], ["boulware"])
    with pytest.raises(parley.ParleyError):
        parley.tournament([JOB], ["boulware"])  # one agent, two parties, no self-play
    with pytest.raises(parley.ParleyError, match="1 agents for 2 parties"):
        parley.tournament([JOB], [PyBoulware])


def test_import_needs_only_the_standard_library(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\nfor m in ('numpy', 'pandas'):\n    sys.modules[m] = None\n")
    code = ("import parley\n"
            "sc = parley.load(%r)\n"
            "t = parley.tournament([sc], ['boulware', 'conceder'], rounds=20)\n"
            "assert len(t.rows) == 2\n"
            "try:\n    t.sessions\nexcept ImportError as e:\n    print(e)\n" % JOB)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), PKG]))
    p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "needs pandas" in p.stdout


def test_keyboard_interrupt_stops_a_library_tournament(tmp_path):
    import _thread
    import threading
    import time

    timer = threading.Timer(0.3, _thread.interrupt_main)
    t0 = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        parley.tournament([JOB, SUPPLY], ["boulware", "conceder", "linear", "hardliner", "tit-for-tat"], rounds=1000,
                          reps=400, seed=1, jobs=2, out=tmp_path / "t")
    elapsed = time.perf_counter() - t0
    timer.cancel()
    assert elapsed < 5
    # what finished is in the database: the command line can resume it
    rc, _, err = cli("tournament", "--resume", str(tmp_path / "t"), "--quiet", "--jobs", "2", check=False)
    assert rc == 0, err


def test_keyboard_interrupt_in_a_python_agent_stops_the_tournament():
    class Stop(parley.Agent):
        def respond(self, turn):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        parley.tournament([JOB], [Stop, "boulware"], rounds=50, jobs=1)


def test_python_agent_named_like_a_builtin():
    class Boulware(PyBoulware):
        name = None  # the class name, which a built-in has: it becomes py-boulware

    t = parley.tournament([JOB], [Boulware, "boulware"], rounds=100, seed=2)
    assert {r["agent_0"] for r in t.rows} == {"py-boulware", "boulware"}
    assert [s["agent"] for s in t.summary_rows] == ["py-boulware", "boulware"]
    # the same decisions as the built-in: both sessions are those of boulware against itself
    assert t.rows[0]["utility_0"] == t.rows[1]["utility_0"] and t.rows[0]["rounds"] == t.rows[1]["rounds"]


def test_spawn_workers_give_the_same_results(monkeypatch):
    import multiprocessing

    scen = [parley.load(JOB)]
    want = parley.tournament(scen, [PyBoulware, "conceder", "hardliner"], rounds=200, seed=3, jobs=1)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    got = parley.tournament(scen, [PyBoulware, "conceder", "hardliner"], rounds=200, seed=3, jobs=2)
    assert without(got.rows, "seconds") == without(want.rows, "seconds")


def test_isolate_options(tmp_path):
    # Built-in agents never run isolated: every isolate setting gives the same rows; the settings are stored.
    a = parley.tournament([JOB], ["boulware", "conceder"], rounds=100, isolate="on", call_limit=0.5,
                          memory_limit=256 << 20, out=tmp_path / "on")
    b = parley.tournament([JOB], ["boulware", "conceder"], rounds=100, isolate="off", out=tmp_path / "off")
    assert without(a.rows, "seconds") == without(b.rows, "seconds")
    with pytest.raises(parley.ParleyError):
        parley.tournament([JOB], ["boulware", "conceder"], isolate="sometimes")
    # A resume that changes the stored call limit is refused.
    _, _, err = cli("tournament", "--resume", str(tmp_path / "on"), "--call-limit", "2", check=False)
    assert "call_limit" in err
