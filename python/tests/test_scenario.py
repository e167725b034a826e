import json
import os
import pickle

import pytest

import parley
from conftest import SCEN, cli


def test_load_and_describe(job):
    _, out, _ = cli("show", os.path.join(SCEN, "job-offer.json"), "--json")
    d = json.loads(out)
    assert job.name == d["name"] == "job-offer"
    assert job.parties == [p["name"] for p in d["parties"]]
    assert [i.name for i in job.issues] == [i["name"] for i in d["issues"]]
    assert job.n_outcomes == d["outcomes"] == 2520
    n = 1
    for i in job.issues:
        n *= len(i.values)
    assert n == job.n_outcomes
    assert job.issues[0].values[:2] == ["60000", "65000"]
    assert job.reservation("employer") == job.reservation(0) == 0.3
    assert job.reservation(1) == 0.35
    assert 0 < job.discount("candidate") <= 1
    assert "job-offer" in repr(job) and "2,520" in repr(job)


def test_utility_matches_cli_eval(job):
    outcome = {"salary": "70000", "remote_days": "4", "start": "2 weeks", "signing_bonus": "10000",
               "title": "senior engineer"}
    text = ",".join("%s=%s" % kv for kv in outcome.items())
    _, out, _ = cli("eval", os.path.join(SCEN, "job-offer.json"), "--outcome", text, "--json")
    d = json.loads(out)
    got = [job.utility(p, outcome) for p in range(2)]
    assert got == d["results"][0]["utilities"]
    assert job.outcome(d["results"][0]["index"]) == outcome
    assert job.utility("employer", outcome) == got[0]
    # numbers for numeric issues, and value indices, name the same outcome
    as_numbers = dict(outcome, salary=70000, remote_days=4, signing_bonus=10000)
    assert job.utility(0, as_numbers) == got[0]
    idx = job._indices(outcome)
    assert job.utility(0, idx) == got[0]
    # discounted at t: u * d^t
    d1 = job.discount(1)
    assert job.utility(1, outcome, t=0.5) == pytest.approx(got[1] * (d1 ** 0.5 if 0 < d1 <= 1 else 1))


def test_bad_outcomes(job):
    with pytest.raises(ValueError, match="not a value of issue 'salary'"):
        job.utility(0, {"salary": "1", "remote_days": "4", "start": "2 weeks", "signing_bonus": "0",
                        "title": "engineer"})
    with pytest.raises(ValueError, match="missing: title"):
        job.utility(0, {"salary": "60000", "remote_days": "4", "start": "2 weeks", "signing_bonus": "0"})
    with pytest.raises(ValueError, match="no party named"):
        job.reservation("nobody")


def test_errors_as_the_cli_prints_them(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x",\n "parties": [\n')
    rc, _, err = cli("show", str(bad), check=False)
    assert rc == 2
    with pytest.raises(parley.ParleyError) as e:
        parley.load(bad)
    assert isinstance(e.value, ValueError)
    assert err.strip() == "parley: " + str(e.value)
    assert e.value.file == str(bad) and e.value.line == 3
    with pytest.raises(parley.ParleyError, match="cannot open"):
        parley.load(tmp_path / "missing.json")


def test_pickle_reloads_from_paths(job):
    again = pickle.loads(pickle.dumps(job))
    assert again.parties == job.parties and again.n_outcomes == job.n_outcomes


def test_outcome_by_index(job):
    first = job.outcome(0)
    assert first == {i.name: i.values[0] for i in job.issues}
    last = job.outcome(job.n_outcomes - 1)
    assert last == {i.name: i.values[-1] for i in job.issues}
    with pytest.raises(IndexError):
        job.outcome(job.n_outcomes)


def test_agents_registry():
    _, out, _ = cli("agents", "--json")
    want = json.loads(out)
    got = parley.agents()
    assert [a.name for a in got] == [a["name"] for a in want]
    b = {a.name: a for a in got}["boulware"]
    assert b.parameters[0]["name"] == "e" and b.parameters[0]["default"] == "0.2"
    assert "boulware" in repr(b)
