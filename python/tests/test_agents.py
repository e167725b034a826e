"""Python agents negotiate in parley's sessions: the same decisions give the identical session; failures are the
agent's; KeyboardInterrupt stops cleanly."""
import json
import os

import pytest

import parley
from conftest import ENERGY, PyBoulware, PyConceder, PyHardliner


def actions(res):
    return [(e.party, e.action, e.outcome, e.round, e.t, e.utility) for e in res.trace]


def same_session(a, b):
    assert actions(a) == actions(b)
    assert (a.status, a.agreement, a.rounds, a.actions, a.utilities, a.discounted) == (
        b.status, b.agreement, b.rounds, b.actions, b.utilities, b.discounted)
    ja, jb = json.loads(a.to_json()), json.loads(b.to_json())
    ja.pop("agents"), jb.pop("agents")
    assert ja == jb


OPPONENTS = ["boulware", "conceder", "linear", "hardliner", "tit-for-tat", "timebased:e=0.5"]


@pytest.mark.parametrize("opp", OPPONENTS)
@pytest.mark.parametrize("first", [True, False])
def test_python_hardliner_is_the_hardliner(job, opp, first):
    py = [PyHardliner, opp] if first else [opp, PyHardliner]
    c = ["hardliner", opp] if first else [opp, "hardliner"]
    same_session(parley.run(job, py, rounds=200, seed=3), parley.run(job, c, rounds=200, seed=3))


@pytest.mark.parametrize("opp", OPPONENTS)
@pytest.mark.parametrize("first", [True, False])
def test_python_boulware_is_boulware(job, supply, opp, first):
    for sc, rounds, more in ((job, 1000, []), (supply, 300, ["linear"])):
        py = ([PyBoulware, opp] if first else [opp, PyBoulware]) + more
        c = (["boulware", opp] if first else [opp, "boulware"]) + more
        a, b = parley.run(sc, py, rounds=rounds, seed=5), parley.run(sc, c, rounds=rounds, seed=5)
        same_session(a, b)
        assert a.agents[0 if first else 1] == "pyboulware"


def test_python_against_python(job):
    same_session(parley.run(job, [PyBoulware, PyConceder], rounds=800, seed=1),
                 parley.run(job, ["boulware", "conceder"], rounds=800, seed=1))


@pytest.mark.skipif(not os.path.isdir(ENERGY), reason="the ANAC 2011 corpus is not in ../shared")
def test_python_boulware_on_anac_energy():
    sc = parley.load(ENERGY)
    for opp in ("conceder", "hardliner"):
        same_session(parley.run(sc, [PyBoulware, opp], rounds=1000, seed=1),
                     parley.run(sc, ["boulware", opp], rounds=1000, seed=1))


def test_agent_sees_the_session(job):
    seen = {}

    class Spy(parley.Agent):
        def on_start(self):
            seen.update(party=self.party, n=self.n_parties, rounds=self.rounds, name=self.party_name,
                        scenario=self.scenario, r=self.rng.random(), seed=self.seed)
            seen["events"] = []
            seen["turns"] = []

        def respond(self, turn):
            seen["turns"].append((turn.round, turn.t, turn.offer, turn.offerer))
            return parley.REJECT

        def observe(self, event):
            seen["events"].append((event.party, event.action, event.outcome, event.round))

    res = parley.run(job, ["conceder", Spy], rounds=50, seed=11)
    assert seen["party"] == 1 and seen["n"] == 2 and seen["rounds"] == 50 and seen["name"] == "candidate"
    assert seen["scenario"] is job
    import random
    assert seen["r"] == random.Random(seen["seed"]).random()
    # every offer of the other party was observed and then responded to, in order
    offers = [(e.party, e.action, e.outcome, e.round) for e in res.trace if e.party == 0]
    assert seen["events"] == offers
    assert [(r, o) for r, _t, o, _p in seen["turns"]] == [(e[3], e[2]) for e in offers]
    assert all(t == pytest.approx((r - 1) / 49) for r, t, _o, _p in seen["turns"])


def test_default_agent_and_instances(job):
    class Stubborn(parley.Agent):
        pass

    a = parley.run(job, [Stubborn(), "hardliner"], rounds=30, seed=1)
    b = parley.run(job, ["hardliner", "hardliner"], rounds=30, seed=1)
    assert [e.outcome for e in a.trace if e.party == 0] == [e.outcome for e in b.trace if e.party == 0]
    inst = PyHardliner()
    with pytest.raises(ValueError, match="same agent instance"):
        parley.run(job, [inst, inst])
    assert "PyHardliner" in repr(inst)


class Raiser(parley.Agent):
    where = "respond"

    def on_start(self):
        if self.where == "on_start":
            raise RuntimeError("cannot start")

    def propose(self, turn):
        if self.where == "propose" and turn.round >= 3:
            raise ZeroDivisionError("division by zero in propose")
        return self.outcomes_by_utility()[0][1]

    def respond(self, turn):
        if self.where == "respond" and turn.round >= 2:
            raise ValueError("bad offer %s" % turn.round)
        return parley.REJECT


@pytest.mark.parametrize("where,status,text", [
    ("respond", "violation", "ValueError: bad offer 2"),
    ("propose", "violation", "ZeroDivisionError: division by zero in propose"),
    ("on_start", "error", "RuntimeError: cannot start"),
])
def test_exception_is_the_agents_failure(job, where, status, text):
    cls = type("Raiser_" + where, (Raiser,), {"where": where})
    res = parley.run(job, ["boulware", cls], rounds=100, seed=1)
    assert res.status == status
    assert text in res.reason
    if status == "violation":
        assert res.culprit == 1
        assert json.loads(res.to_json())["culprit"] == "candidate"


def test_bad_answers_are_violations(job):
    class Weird(parley.Agent):
        def respond(self, turn):
            return "yes"

    class BadOffer(parley.Agent):
        def propose(self, turn):
            return {"salary": "1"}

    r = parley.run(job, ["boulware", Weird], rounds=10)
    assert r.status == "violation" and "parley.ACCEPT" in r.reason
    r = parley.run(job, [BadOffer, "boulware"], rounds=10)
    assert r.status == "violation" and "invalid outcome" in r.reason and r.culprit == 0


def test_keyboard_interrupt_stops_cleanly(job):
    class Interrupted(parley.Agent):
        def propose(self, turn):
            if turn.round == 4:
                raise KeyboardInterrupt
            return self.outcomes_by_utility()[0][1]

    with pytest.raises(KeyboardInterrupt):
        parley.run(job, [Interrupted, "boulware"], rounds=100)
    # and the next session runs normally
    assert parley.run(job, [PyHardliner, "boulware"], rounds=10).status == "deadline"


def test_outcomes_by_utility_is_shared_and_sorted(job):
    got = {}

    class Peek(parley.Agent):
        def on_start(self):
            got[self.party] = self.outcomes_by_utility()

    parley.run(job, [Peek, Peek], rounds=2)
    first = got[0]
    parley.run(job, [Peek, "boulware"], rounds=2)
    assert got[0] is first  # cached per scenario and party
    us = [u for u, _ in first]
    assert us == sorted(us, reverse=True) and len(us) == job.n_outcomes
    assert all(job.utility(0, o) == u for u, o in first[:50])


class RankBoulware(parley.Agent):
    """The time-based logic again, on the library's sorted list through rank_at_least / at_rank (no Python list)."""

    name = "rankboulware"
    e = 0.2

    def on_start(self):
        self.best = self.at_rank(0)[0]
        self.rv = self.scenario.reservation(self.party)
        self.hint = 0
        self.cached = (None, None)

    def next(self, turn):
        if self.cached[0] != turn.turn:
            t = turn.t
            f = 0.0 if t <= 0 else 1.0 if t >= 1 else t ** (1.0 / self.e)
            target = self.best if self.rv >= self.best else self.best - (self.best - self.rv) * f
            r = self.rank_at_least(target, self.hint)
            if r >= 0:
                self.hint = r
            u, first, _ = self.at_rank(max(r, 0), indices=True)
            self.cached = (turn.turn, self.at_rank(first, indices=True))
        return self.cached[1]

    def propose(self, turn):
        return self.next(turn)[2]

    def respond(self, turn):
        theirs = self.utility(turn.offer)
        return parley.ACCEPT if theirs >= self.rv and theirs >= self.next(turn)[0] else parley.REJECT


@pytest.mark.parametrize("opp", ["conceder", "hardliner", "linear"])
def test_rank_helpers_give_the_builtin_session(job, opp):
    same_session(parley.run(job, [opp, RankBoulware], rounds=700, seed=2),
                 parley.run(job, [opp, "boulware"], rounds=700, seed=2))


def test_rank_helpers(job):
    got = {}

    class Probe(parley.Agent):
        def on_start(self):
            lst = self.outcomes_by_utility(indices=True)
            got["n"] = (self.n_ranked(), len(lst))
            got["top"] = (self.at_rank(0, indices=True), lst[0])
            u_mid = lst[100][0]
            r = self.rank_at_least(u_mid)
            got["mid"] = (lst[r][0] >= u_mid, r + 1 == len(lst) or lst[r + 1][0] < u_mid)
            got["none"] = self.rank_at_least(2.0)
            with pytest.raises(IndexError):
                self.at_rank(len(lst))

    parley.run(job, [Probe, "boulware"], rounds=2)
    assert got["n"][0] == got["n"][1] == job.n_outcomes
    (u, first, o), (u2, o2) = got["top"]
    assert (u, first, o) == (u2, 0, o2)
    assert got["mid"] == (True, True) and got["none"] == -1


def test_exception_in_observe_is_the_agents_failure(job):
    class BadObserver(parley.Agent):
        def observe(self, event):
            if event.round == 3:
                raise LookupError("lost")

    res = parley.run(job, ["conceder", BadObserver], rounds=100, seed=1)
    assert res.status == "violation" and res.culprit == 1
    assert "observe: LookupError: lost" in res.reason and res.rounds == 3


def test_session_helpers_after_the_session(job):
    class Keep(parley.Agent):
        pass

    k = Keep()
    parley.run(job, [k, "boulware"], rounds=2)
    with pytest.raises(RuntimeError, match="session is over"):
        k.utility(job.outcome(0))
    with pytest.raises(RuntimeError, match="session is over"):
        k.rank_at_least(0.5)
