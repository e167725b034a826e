"""A tournament, notebook style: built-in agents and a Python agent on two scenarios, the sessions and the summary
as pandas DataFrames, a plot of one session.

    PYTHONPATH=python python3 examples/python/tournament.py [OUT_FOLDER]
"""
import os
import sys
import tempfile

import parley

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from agent import Mirror  # noqa: E402  (the agent of agent.py)

SCENARIOS = os.path.join(HERE, "..", "..", "scenarios")


def main(out):
    # %% Load two scenarios and look at one
    job = parley.load(os.path.join(SCENARIOS, "job-offer.json"))
    supply = parley.load(os.path.join(SCENARIOS, "supply-contract.json"))
    an = parley.analyze(job)
    print(an)

    # %% Every ordered assignment of agents to parties, twice, on both scenarios (Python agents run in 2 processes)
    t = parley.tournament([job, supply], ["boulware", "conceder", "hardliner", Mirror], rounds=500, reps=2, seed=1,
                          jobs=2)
    print(t)

    # %% The sessions and the ranking as DataFrames
    sessions, summary = t.sessions, t.summary
    print(sessions[["scenario", "agent_0", "agent_1", "status", "utility_0", "utility_1", "welfare"]].head())
    print(summary[["agent", "appearances", "utility_mean", "utility_ci95", "agreement_mean"]]
          .sort_values("utility_mean", ascending=False).to_string(index=False))
    print(sessions.groupby("status").size())

    # %% One session, plotted in utility space and over time
    res = parley.run(job, [Mirror, "boulware"], rounds=500, seed=1)
    os.makedirs(out, exist_ok=True)
    parley.plot(job, res, os.path.join(out, "mirror-vs-boulware.png"))
    parley.plot(job, res, os.path.join(out, "mirror-vs-boulware-time.png"), kind="time")
    print("plots in", out)
    return t


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="parley-example-"))
