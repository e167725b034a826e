"""Benchmark of parley's Python package (docs/python.md, "Speed"). From the repository root, after `make python`:

    PYTHONPATH=python /usr/bin/python3 bench/bench_python.py [--quick]

1. Per-callback overhead of a Python agent: a trivial agent (a fixed offer, always reject) in a 100,000-round
   session against the built-in hardliner. Overhead per call = (session time - the same session with a C agent in
   its place - the Python work itself, i.e. calling the agent's methods in a plain Python loop) / callbacks.
2. A 1000-round session between a Python time-based agent (Boulware, e = 0.2, the built-in's logic) and a built-in
   agent on the 2011 ANAC Energy scenario (../shared/scenarios/anac/y2011/Energy, when present), against the
   built-in Boulware in its place.
3. parley.tournament with built-in agents only against the command line's `parley tournament`, in sessions per
   second (the same plan, the same number of threads).
Medians of several repetitions.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import parley

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(os.environ.get("PARLEY_BUILD_DIR", os.path.join(ROOT, "build")), "parley")
JOB = os.path.join(ROOT, "scenarios", "job-offer.json")
SUPPLY = os.path.join(ROOT, "scenarios", "supply-contract.json")
ENERGY = os.path.join(ROOT, "..", "shared", "scenarios", "anac", "y2011", "Energy")


def median_time(fn, reps):
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


class Trivial(parley.Agent):
    """The least a Python agent can do: a fixed offer, always reject."""

    def on_start(self):
        self.offer = self.outcomes_by_utility(indices=True)[0][1]

    def propose(self, turn):
        return self.offer

    def respond(self, turn):
        return parley.REJECT


class PyBoulware(parley.Agent):
    """The built-in Boulware's logic (src/agents/timebased.c; python/tests/test_agents.py checks it gives the
    identical session), on the library's shared sorted list through rank_at_least / at_rank."""

    name = "pyboulware"
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
            first = self.at_rank(max(r, 0), indices=True)[1]
            self.cached = (turn.turn, self.at_rank(first, indices=True))
        return self.cached[1]

    def propose(self, turn):
        return self.next(turn)[2]

    def respond(self, turn):
        theirs = self._view.utility(turn.offer_indices)
        return parley.ACCEPT if theirs >= self.rv and theirs >= self.next(turn)[0] else parley.REJECT


class FakeTurn:
    __slots__ = ("round", "turn", "t", "offer", "offer_indices")


def bench_callbacks(rounds, reps):
    sc = parley.load(JOB)
    # the Python agent plays party 1: it responds to every offer of the hardliner, then proposes
    py = median_time(lambda: parley.run(sc, ["hardliner", Trivial], rounds=rounds, trace=False, metrics=False), reps)
    res = parley.run(sc, ["hardliner", Trivial], rounds=rounds, trace=False, metrics=False)
    c = median_time(lambda: parley.run(sc, ["hardliner", "hardliner"], rounds=rounds, trace=False, metrics=False),
                    reps)
    calls = res.actions  # party 1 acts once per round: one respond and one propose -> two callbacks
    calls = 2 * (res.actions // 2)
    agent = Trivial()
    agent.offer = (0,) * len(sc.issues)
    turn = FakeTurn()
    turn.t = 0.5
    turn.offer = None

    def work():
        r, p = agent.respond, agent.propose
        for k in range(calls // 2):
            turn.round = k
            r(turn)
            p(turn)

    w = median_time(work, reps)
    per = (py - c) / calls * 1e6
    over = (py - c - w) / calls * 1e6
    print("1. callbacks: %d-round session, %d Python callbacks: %.3f s (C agent in its place: %.3f s; the Python "
          "work alone: %.3f s)" % (rounds, calls, py, c, w))
    print("   per callback: %.3f us in all, %.3f us above the Python work itself" % (per, over))
    return over


def bench_energy(reps):
    if not os.path.isdir(ENERGY):
        print("2. ANAC 2011 Energy: not found at %s (skipped)" % ENERGY)
        return
    sc = parley.load(ENERGY)
    t0 = time.perf_counter()
    parley.run(sc, [PyBoulware, "conceder"], rounds=1000, seed=1, trace=False)
    first = time.perf_counter() - t0
    print("2. Energy: the first session (the library sorts each party's outcomes, analyses the scenario for the "
          "metrics): %.0f ms" % (first * 1e3))
    for opp in ("conceder", "hardliner"):
        py = median_time(lambda: parley.run(sc, [PyBoulware, opp], rounds=1000, seed=1, trace=False), reps)
        c = median_time(lambda: parley.run(sc, ["boulware", opp], rounds=1000, seed=1, trace=False), reps)
        a = parley.run(sc, [PyBoulware, opp], rounds=1000, seed=1)
        b = parley.run(sc, ["boulware", opp], rounds=1000, seed=1)
        same = [(e.action, e.outcome) for e in a.trace] == [(e.action, e.outcome) for e in b.trace]
        print("2. Energy (%s outcomes), 1000 rounds, Python Boulware vs %s: %.2f ms (built-in Boulware: %.2f ms); "
              "%d rounds, %s; identical session: %s" % ("{:,}".format(sc.n_outcomes), opp, py * 1e3, c * 1e3,
                                                        a.rounds, a.status, same))


def bench_tournament(reps, jobs):
    agents = ["boulware", "conceder", "linear", "hardliner", "tit-for-tat"]
    n_reps = 40
    tmp = tempfile.mkdtemp(prefix="parley-bench-")
    try:
        def py():
            parley.tournament([JOB, SUPPLY], agents, rounds=1000, reps=n_reps, seed=1, jobs=jobs)

        k = [0]

        def cli():
            k[0] += 1
            subprocess.run([CLI, "tournament", JOB, SUPPLY, "--agents", ",".join(agents), "--rounds", "1000",
                            "--reps", str(n_reps), "--seed", "1", "--jobs", str(jobs), "--quiet", "--out",
                            os.path.join(tmp, "t%d" % k[0])], check=True, stdout=subprocess.DEVNULL)

        n = len(parley.tournament([JOB, SUPPLY], agents, rounds=1000, reps=n_reps, seed=1, jobs=jobs).rows)
        tp = median_time(py, reps)
        tc = median_time(cli, reps) if os.path.exists(CLI) else float("nan")
        print("3. tournament, %d sessions of built-in agents, %d threads: parley.tournament %.0f sessions/s, "
              "parley tournament (CLI) %.0f sessions/s (Python / CLI = %.2f)" % (n, jobs, n / tp, n / tc, tc / tp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    quick = "--quick" in sys.argv
    reps = 2 if quick else 5
    bench_callbacks(20000 if quick else 100000, reps)
    bench_energy(reps)
    bench_tournament(reps, 2)


if __name__ == "__main__":
    main()
