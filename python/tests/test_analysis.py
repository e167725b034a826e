import json
import os

import parley
from conftest import SCEN, cli


def strip(d):
    d = dict(d)
    d.pop("seconds", None)
    return d


def test_analyze_is_parley_analyze(job):
    an = parley.analyze(job)
    _, out, _ = cli("analyze", os.path.join(SCEN, "job-offer.json"), "--json")
    want = json.loads(out)
    assert strip(json.loads(an.to_json())) == strip(want)
    assert an.exact is True
    assert len(an.frontier) == want["frontier_size"]
    assert [p.utilities for p in an.frontier] == [tuple(p["utilities"]) for p in want["frontier"]]
    assert an.nash.utilities == tuple(want["nash"]["utilities"])
    assert an.nash.outcome == want["nash"]["outcome"]
    assert an.kalai_smorodinsky.outcome == want["kalai_smorodinsky"]["outcome"]
    assert an.egalitarian.utilities == tuple(want["egalitarian"]["utilities"])
    assert an.max_welfare.utilities == tuple(want["max_welfare"]["utilities"])


def test_points_are_what_they_claim(job):
    an = parley.analyze(job)
    rv = [job.reservation(k) for k in range(2)]
    # Nash: the largest product of gains among frontier points acceptable to both
    ok = [p for p in an.frontier if all(u >= r for u, r in zip(p.utilities, rv))]
    best = max((p.utilities[0] - rv[0]) * (p.utilities[1] - rv[1]) for p in ok)
    assert (an.nash.utilities[0] - rv[0]) * (an.nash.utilities[1] - rv[1]) == best
    assert sum(an.max_welfare.utilities) == max(sum(p.utilities) for p in an.frontier)
    # the point's outcome has the point's utilities
    for p in (an.nash, an.max_welfare):
        assert tuple(job.utility(k, p.outcome) for k in range(2)) == p.utilities
    # frontier points are mutually non-dominated
    us = [p.utilities for p in an.frontier]
    for a in us:
        assert not any(b != a and b[0] >= a[0] and b[1] >= a[1] for b in us)


def test_repr_and_html(job):
    an = parley.analyze(job)
    assert "exact frontier of %d points" % len(an.frontier) in repr(an)
    h = an._repr_html_()
    assert "<table>" in h and "nash" in h
    arr = an.frontier_array()
    assert arr.shape == (len(an.frontier), 2)
