import json
import os

import pytest

import parley
from conftest import SCEN, cli

PAIRS = [("boulware", "conceder", 1), ("conceder", "hardliner", 7), ("timebased:e=0.5", "tit-for-tat", 3)]


@pytest.mark.parametrize("a,b,seed", PAIRS)
def test_to_json_is_parley_run_json(job, a, b, seed, tmp_path):
    res = parley.run(job, [a, b], rounds=500, seed=seed)
    trace = tmp_path / "t.jsonl"
    _, out, _ = cli("run", os.path.join(SCEN, "job-offer.json"), "--agents", "%s,%s" % (a, b), "--rounds", "500",
                    "--seed", str(seed), "--json", "--trace", str(trace))
    assert res.to_json() == out
    d = json.loads(out)
    assert res.status == d["status"] and res.reason == d["reason"]
    assert res.agreement == d["agreement"]
    assert list(res.utilities) == d["raw_utilities"]
    assert list(res.discounted) == d["utilities"]
    assert res.rounds == d["rounds"] and res.actions == d["actions"]
    lines = [json.loads(line) for line in trace.read_text().splitlines()]
    assert len(res.trace) == len(lines) == res.actions
    for ev, line in zip(res.trace, lines):
        assert ev.round == line["round"] and ev.action == line["action"]
        assert job.parties[ev.party] == line["party"]
        assert ev.outcome == line.get("outcome")


def test_result_fields(job):
    res = parley.run(job, ["boulware", "conceder"], rounds=1000, seed=1)
    assert res.status == "agreement"
    assert res.agreement is not None and set(res.agreement) == {i.name for i in job.issues}
    assert res.utilities == tuple(job.utility(k, res.agreement) for k in range(2))
    assert res.welfare == pytest.approx(sum(res.utilities))
    last = res.trace[-1]
    assert last.action == "accept" and last.outcome == res.agreement and last.round == res.rounds
    assert "agreement" in repr(res)
    df = res.trace_frame()
    assert len(df) == res.actions and list(df["action"])[-1] == "accept"


def test_no_agreement_gives_reservations(job):
    res = parley.run(job, ["hardliner", "hardliner"], rounds=20, seed=1)
    assert res.agreement is None and res.status == "deadline"
    assert res.utilities == (job.reservation(0), job.reservation(1))


def test_bad_runs_raise_parley_error(job):
    with pytest.raises(parley.ParleyError, match="nosuchagent"):
        parley.run(job, ["boulware", "nosuchagent"])
    with pytest.raises(parley.ParleyError, match="1 agent for 2 parties"):
        parley.run(job, ["boulware"])
    with pytest.raises(parley.ParleyError, match="unknown protocol"):
        parley.run(job, ["boulware", "conceder"], protocol="nope")
    with pytest.raises(TypeError):
        parley.run(job, ["boulware", 3])


def test_protocols(job):
    g = parley.run(job, ["boulware", "conceder"], rounds=100, seed=2, protocol="saop-genius")
    assert json.loads(g.to_json())["protocol"] == "saop-genius"
    _, out, _ = cli("run", os.path.join(SCEN, "job-offer.json"), "--agents", "boulware,conceder", "--rounds", "100",
                    "--seed", "2", "--protocol", "saop-genius", "--json")
    assert g.to_json() == out


def test_plot_is_parley_plot(job, tmp_path):
    res = parley.run(job, ["boulware", "conceder"], rounds=300, seed=1)
    png = tmp_path / "a.png"
    parley.plot(job, res, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    trace, run = tmp_path / "t.jsonl", tmp_path / "r.json"
    cli("run", os.path.join(SCEN, "job-offer.json"), "--agents", "boulware,conceder", "--rounds", "300", "--seed",
        "1", "--trace", str(trace), "--out", str(run))
    svg_py, svg_cli = tmp_path / "p.svg", tmp_path / "c.svg"
    parley.plot(job, res, svg_py)
    cli("plot", os.path.join(SCEN, "job-offer.json"), "--trace", str(trace), "--run", str(run), "-o", str(svg_cli))
    assert svg_py.read_bytes() == svg_cli.read_bytes()
    parley.plot(job, res, tmp_path / "time.png", kind="time")
    parley.plot(job, None, tmp_path / "scenario.png")
    with pytest.raises(parley.ParleyError):
        parley.plot(job, res, tmp_path / "x.gif")


def test_single_text_is_parley_run(job):
    res = parley.run(job, ["hill-climber", "annealer"], rounds=200, seed=3, protocol="single-text")
    _, out, _ = cli("run", os.path.join(SCEN, "job-offer.json"), "--agents", "hill-climber,annealer", "--rounds",
                    "200", "--seed", "3", "--protocol", "single-text", "--json")
    assert res.to_json() == out
    assert res.final_text is not None and all(e.action == "propose" for e in res.trace)
    with pytest.raises(parley.ParleyError):
        parley.run(job, ["boulware", "conceder"], rounds=10, protocol="single-text")  # they cannot vote


def test_threads_running_python_agents(job):
    import threading
    from conftest import PyBoulware

    want = parley.run(job, [PyBoulware, "conceder"], rounds=1000, seed=4).to_json()
    got = []

    def work():
        for _ in range(5):
            got.append(parley.run(job, [PyBoulware, "conceder"], rounds=1000, seed=4).to_json())

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [want] * 15


def test_huge_outcome_count_is_exact(tmp_path):
    issues = [{"name": "i%d" % k, "type": "discrete", "values": ["a%d" % v for v in range(100)]} for k in range(12)]
    import json as _json
    doc = {"name": "huge", "issues": issues, "parties": [
        {"name": p, "utility": {"type": "linear_additive", "weights": {i["name"]: 1 / 12 for i in issues},
                                "values": {i["name"]: {v: 0.5 for v in i["values"]} for i in issues}}}
        for p in ("a", "b")]}
    path = tmp_path / "huge.json"
    path.write_text(_json.dumps(doc))
    sc = parley.load(path)
    assert sc.n_outcomes == 100 ** 12 and "10^24.0" in repr(sc)
