"""parley: a negotiation engine (C library libparley) from Python.

    import parley
    sc = parley.load("scenarios/job-offer.json")
    an = parley.analyze(sc)                       # Pareto frontier, Nash, Kalai-Smorodinsky, ...
    res = parley.run(sc, ["boulware", "conceder"], rounds=1000, seed=1)
    res.agreement, res.utilities, res.to_json()

Agents written in Python subclass parley.Agent and negotiate in parley's sessions beside the built-in C agents;
parley.tournament runs every assignment of agents to parties on every scenario into pandas DataFrames.
Only the standard library is needed; numpy and pandas are used when present (docs/python.md).
"""
from ._parley import ParleyError
from ._agent import ACCEPT, END, REJECT, Agent, Response
from ._core import (
    AgentInfo,
    Analysis,
    Issue,
    Point,
    Result,
    Scenario,
    TraceEvent,
    agents,
    analyze,
    load,
    plot,
    run,
)
from ._tournament import TournamentResult, tournament
from ._parley import Event, Turn

__version__ = "0.1.0"

__all__ = [
    "ACCEPT",
    "END",
    "REJECT",
    "Agent",
    "AgentInfo",
    "Analysis",
    "Event",
    "Issue",
    "ParleyError",
    "Point",
    "Response",
    "Result",
    "Scenario",
    "TournamentResult",
    "TraceEvent",
    "Turn",
    "agents",
    "analyze",
    "load",
    "plot",
    "run",
    "tournament",
]
