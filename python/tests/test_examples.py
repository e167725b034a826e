"""examples/python/ runs (make test runs them through this file)."""
import os
import runpy
import sys

import parley
from conftest import ROOT

EXAMPLES = os.path.join(ROOT, "examples", "python")


def test_agent_example(capsys):
    sys.path.insert(0, EXAMPLES)
    try:
        mod = runpy.run_path(os.path.join(EXAMPLES, "agent.py"))
        res = mod["main"](os.path.join(ROOT, "scenarios", "job-offer.json"))
    finally:
        sys.path.remove(EXAMPLES)
    out = capsys.readouterr().out
    assert out.count("mirror vs") == 4
    assert isinstance(res, parley.Result) and res.agents == ["mirror", "tit-for-tat"]


def test_tournament_example(tmp_path, capsys):
    mod = runpy.run_path(os.path.join(EXAMPLES, "tournament.py"))
    t = mod["main"](str(tmp_path))
    # 4 agents: 12 assignments on the 2-party scenario and 24 on the 3-party one, twice each
    assert len(t.rows) == 2 * (12 + 24)
    assert set(t.summary["agent"]) == {"boulware", "conceder", "hardliner", "mirror"}
    assert (tmp_path / "mirror-vs-boulware.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "mirror-vs-boulware-time.png").exists()
    assert "plots in" in capsys.readouterr().out
