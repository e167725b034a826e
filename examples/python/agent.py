"""An agent written in Python: a time-based concession strategy with a simple opponent model, negotiating in parley's
sessions against the built-in C agents.

    PYTHONPATH=python python3 examples/python/agent.py [SCENARIO]
"""
import os
import sys

import parley


class Mirror(parley.Agent):
    """Concedes with time like a Boulware agent (target = best - (best - rv) * t^(1/e)), but never below the best
    utility the opponent has offered it so far; accepts any offer at least as good as its own next offer."""

    name = "mirror"
    e = 0.3

    def on_start(self):
        self.ranked = self.outcomes_by_utility()  # [(utility, outcome dict)], best first, shared between sessions
        self.best = self.ranked[0][0]
        self.rv = self.scenario.reservation(self.party)
        self.best_offered = 0.0  # the best utility the opponents offered so far

    def target(self, t):
        return max(self.best - (self.best - self.rv) * t ** (1 / self.e), self.best_offered, self.rv)

    def propose(self, turn):
        target = self.target(turn.t)
        # the least good outcome still at or above the target (the list is sorted, best first)
        choice = self.ranked[0][1]
        for u, outcome in self.ranked:
            if u < target:
                break
            choice = outcome
        return choice

    def respond(self, turn):
        u = self.utility(turn.offer)
        self.best_offered = max(self.best_offered, u)
        return parley.ACCEPT if u >= self.target(turn.t) else parley.REJECT


def main(path):
    sc = parley.load(path)
    print(sc)
    for opponent in ("boulware", "conceder", "hardliner", "tit-for-tat"):
        res = parley.run(sc, [Mirror, opponent], rounds=1000, seed=1)
        print("mirror vs %-12s %-9s rounds %4d  utilities %s" % (
            opponent, res.status, res.rounds, ", ".join("%.3f" % u for u in res.utilities)))
    return res


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "scenarios", "job-offer.json"))
