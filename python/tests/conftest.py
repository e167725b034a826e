"""Shared fixtures: the repository's paths, the CLI built beside the extension, and Python agents that replay
built-in agents' logic (compared action for action with the built-ins in test_agents.py)."""
import bisect
import os
import subprocess

import pytest

import parley

PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(PKG)
BUILD = os.environ.get("PARLEY_BUILD_DIR") or os.path.join(ROOT, "build")
CLI = os.path.join(BUILD, "parley")
SCEN = os.path.join(ROOT, "scenarios")
ENERGY = os.path.join(ROOT, "..", "shared", "scenarios", "anac", "y2011", "Energy")


@pytest.fixture(scope="session")
def job():
    return parley.load(os.path.join(SCEN, "job-offer.json"))


@pytest.fixture(scope="session")
def supply():
    return parley.load(os.path.join(SCEN, "supply-contract.json"))


def cli(*args, check=True):
    """Run the parley command line; (exit code, stdout, stderr)."""
    if not os.path.exists(CLI):
        pytest.skip("the parley command line is not built (%s)" % CLI)
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError("parley %s: %s" % (" ".join(args), p.stderr))
    return p.returncode, p.stdout, p.stderr


class PyHardliner(parley.Agent):
    """The built-in hardliner's logic (src/agents/hardliner.c): always its best outcome; accepts only its best."""

    def on_start(self):
        self.best_u, self.best = self.outcomes_by_utility()[0]
        self.rv = self.scenario.reservation(self.party)

    def propose(self, turn):
        return self.best

    def respond(self, turn):
        u = self.utility(turn.offer)
        return parley.ACCEPT if u >= self.rv and u >= self.best_u else parley.REJECT


class PyTimeBased(parley.Agent):
    """The built-in time-based agent's logic (src/agents/timebased.c, core.c), written from its description: target
    best - (best - rv) * t^(1/e); offer the first outcome of the group of equal utility holding the lowest utility
    still >= target (the best outcome when none is); accept an offer worth at least the next offer's utility and
    the reservation value (AC_next)."""

    e = 0.2

    def on_start(self):
        lst = self.outcomes_by_utility(indices=True)
        self.us = [u for u, _ in lst]
        self.neg = [-u for u in self.us]
        self.outs = [o for _, o in lst]
        self.best = self.us[0]
        self.rv = self.scenario.reservation(self.party)
        self.cached = (None, 0)

    def rank(self, turn):
        if self.cached[0] != turn.turn:
            t = turn.t
            f = 0.0 if t <= 0 else 1.0 if t >= 1 else t ** (1.0 / self.e)
            target = self.best if self.rv >= self.best else self.best - (self.best - self.rv) * f
            k = bisect.bisect_right(self.neg, -target) - 1  # the last rank whose utility is >= target
            rank = 0 if k < 0 else bisect.bisect_left(self.neg, self.neg[k])
            self.cached = (turn.turn, rank)
        return self.cached[1]

    def propose(self, turn):
        return self.outs[self.rank(turn)]

    def respond(self, turn):
        mine = self.us[self.rank(turn)]
        theirs = self.utility(turn.offer)
        return parley.ACCEPT if theirs >= self.rv and theirs >= mine else parley.REJECT


class PyBoulware(PyTimeBased):
    name = "pyboulware"
    e = 0.2


class PyConceder(PyTimeBased):
    name = "pyconceder"
    e = 2.0
