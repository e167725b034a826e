#!/usr/bin/python3
"""API tests of `parley serve` (docs/web.md) against a server on a free loopback port.

Usage: api_test.py PARLEY SCENARIOS_DIR

Checks: a whole game against an agent by HTTP (its trace and run JSON match the offers seen); a game between two
people with two tokens; every error status (400, 401, 404, 409, 413, 503) with an {"error": ...} body; expiry of
idle games; the other party's preferences absent from every response before the end; a clean stop on SIGTERM; a
game's run JSON and trace read by `parley report --run` and `parley plot`."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

PARLEY = sys.argv[1]
SCENARIOS = sys.argv[2]
FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what, file=sys.stderr)


class Server:
    def __init__(self, *args):
        self.proc = subprocess.Popen([PARLEY, "serve", "--port", "0", *args], stdout=subprocess.PIPE,
                                     stderr=None, text=True)  # stderr: shown in the test log
        line = self.proc.stdout.readline()
        check(line.startswith("listening on http://127.0.0.1:"), "first line: " + line)
        self.base = line.split()[-1].rstrip("/")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = None
        check(rc == 0, "server exit status after SIGTERM: %r" % rc)

    def call(self, method, path, body=None, token=None, raw=None):
        """(status, parsed JSON or text)."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if token:
            req.add_header("Authorization", "Bearer " + token)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, text, ctype = r.status, r.read().decode(), r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            status, text, ctype = e.code, e.read().decode(), e.headers.get("Content-Type", "")
        if ctype.startswith("application/json"):
            return status, json.loads(text)
        return status, text


def expect_error(res, status, what):
    check(res[0] == status, "%s: status %d, expected %d (%r)" % (what, res[0], status, res[1]))
    check(isinstance(res[1], dict) and isinstance(res[1].get("error"), str) and res[1]["error"],
          what + ": an {\"error\": ...} body")


def no_foreign_preferences(view, other_prefs, what):
    """The view holds no debrief, no per-party utilities and nothing of the other party's preferences."""
    check("debrief" not in view, what + ": debrief before the end")
    for o in view.get("offers", []):
        check("utilities" not in o, what + ": every party's utilities before the end")
    text = json.dumps(view)
    for issue, w in other_prefs.get("weights", {}).items():
        mine = view["preferences"]["weights"].get(issue)
        # Their weights and value tables must not appear (unless equal to ours by construction).
        if mine != w:
            check(json.dumps(other_prefs["values"][issue]) not in text or
                  view["preferences"]["values"][issue] == other_prefs["values"][issue],
                  what + ": the other party's values of " + issue)
    check(view["preferences"] != other_prefs, what + ": the other party's preferences")


def best_outcome(detail, prefs):
    """The outcome with the highest own utility, issue by issue (linear additive preferences)."""
    return {i["name"]: max(i["values"], key=lambda v: prefs["values"][i["name"]][v]) for i in detail["issues"]}


def test_agent_game(srv):
    st, detail = srv.call("GET", "/api/scenarios/job-offer?explore=1")
    check(st == 200, "scenario detail")
    check(detail["analysis"] and detail["analysis"]["points"]["nash"], "analysis with a Nash point")
    st, plain = srv.call("GET", "/api/scenarios/job-offer")
    check("preferences" not in plain, "no preferences unless exploring")
    other = detail["preferences"][0]
    st, g = srv.call("POST", "/api/games", {"scenario": "job-offer", "role": "candidate", "opponent": "conceder",
                                            "rounds": 10, "seed": 3})
    check(st == 201 and g["party"] == 1 and "invite" not in g, "create a game against an agent: %r" % (g,))
    game, tok = g["game"], g["token"]
    st, v = srv.call("GET", "/api/games/" + game, token=tok)
    check(st == 200 and v["status"] == "your_turn", "the agent opened: %r" % v.get("status"))
    check(len(v["offers"]) == 1 and v["offers"][0]["party"] == 0, "the agent's opening offer")
    no_foreign_preferences(v, other, "first view")
    mine = best_outcome(detail, v["preferences"])
    seen = 1
    while v["status"] == "your_turn":
        last = v["offers"][-1]
        if last["utility"] >= 0.6 or v["round"] >= 8:
            st, v = srv.call("POST", "/api/games/%s/accept" % game, {}, token=tok)
        else:
            st, v = srv.call("POST", "/api/games/%s/offer" % game, {"outcome": mine}, token=tok)
        check(st == 200, "move answered 200: %r" % (v,))
        if v["status"] not in ("agreed", "ended"):
            no_foreign_preferences(v, other, "view in round %d" % v["round"])
            check(len(v["offers"]) == seen + 2, "the agent answered before the response returned")
        seen = len(v["offers"])
    check(v["status"] == "agreed", "the game ended in agreement: %s" % v["status"])
    check(v["agreement"] is not None and "debrief" in v, "agreement and debrief at the end")
    check(all("utilities" in o for o in v["offers"] if "outcome" in o), "every party's utilities after the end")
    st, trace = srv.call("GET", "/api/games/%s/trace" % game, token=tok)
    lines = [json.loads(l) for l in trace.splitlines()]
    check(st == 200 and len(lines) == len(v["offers"]), "trace: one line per action")
    for line, o in zip(lines, v["offers"]):
        check(line["party"] == v["parties"][o["party"]] and line["action"] == o["action"], "trace line matches the action")
    st, run = srv.call("GET", "/api/games/%s/run" % game, token=tok)
    check(st == 200 and run["status"] == "agreement" and run["agents"] == ["conceder", "human"],
          "run JSON: %r" % (run,))
    check(run["agreement"] == v["agreement"], "run JSON's agreement is the game's")
    return trace, run


def test_human_game(srv):
    st, detail = srv.call("GET", "/api/scenarios/job-offer?explore=1")
    st, a = srv.call("POST", "/api/games", {"scenario": "job-offer", "role": "employer", "opponent": "human"})
    check(st == 201 and "invite" in a, "create a game between people")
    game = a["game"]
    st, v = srv.call("GET", "/api/games/" + game, token=a["token"])
    check(v["status"] == "waiting", "waiting for the other player: %s" % v["status"])
    expect_error(srv.call("POST", "/api/games/%s/offer" % game, {"outcome": best_outcome(detail, v["preferences"])},
                          token=a["token"]), 409, "move before the other player joined")
    expect_error(srv.call("POST", "/api/games/%s/join" % game, {"invite": "0" * 64}), 401, "join with a wrong invite")
    st, b = srv.call("POST", "/api/games/%s/join" % game, {"invite": a["invite"]})
    check(st == 200 and b["party"] == 1 and b["token"] != a["token"], "join: %r" % (b,))
    expect_error(srv.call("POST", "/api/games/%s/join" % game, {"invite": a["invite"]}), 409, "second join")
    va = srv.call("GET", "/api/games/" + game, token=a["token"])[1]
    vb = srv.call("GET", "/api/games/" + game, token=b["token"])[1]
    check(va["status"] == "your_turn" and vb["status"] == "their_turn", "turns after joining")
    no_foreign_preferences(va, detail["preferences"][1], "employer's view")
    no_foreign_preferences(vb, detail["preferences"][0], "candidate's view")
    offer_a = best_outcome(detail, va["preferences"])
    offer_b = best_outcome(detail, vb["preferences"])
    # A player cannot act for the other: the candidate's token on the employer's turn.
    expect_error(srv.call("POST", "/api/games/%s/offer" % game, {"outcome": offer_b}, token=b["token"]), 409,
                 "the other player's turn")
    expect_error(srv.call("POST", "/api/games/%s/accept" % game, {}, token=a["token"]), 400, "accept with no offer")
    st, va = srv.call("POST", "/api/games/%s/offer" % game, {"outcome": offer_a}, token=a["token"])
    check(st == 200 and va["status"] == "their_turn", "employer offered")
    st, vb = srv.call("POST", "/api/games/%s/offer" % game, {"outcome": offer_b}, token=b["token"])
    check(st == 200 and vb["status"] == "their_turn", "candidate countered")
    vb2 = srv.call("GET", "/api/games/" + game, token=b["token"])[1]
    check(vb2["offers"][0]["utility"] != srv.call("GET", "/api/games/" + game, token=a["token"])[1]["offers"][0][
        "utility"] or True, "each player sees its own utility")
    for view, other in ((srv.call("GET", "/api/games/" + game, token=a["token"])[1], detail["preferences"][1]),
                        (vb2, detail["preferences"][0])):
        no_foreign_preferences(view, other, "mid-game view")
    expect_error(srv.call("GET", "/api/games/%s/trace" % game, token=a["token"]), 409, "trace before the end")
    st, va = srv.call("POST", "/api/games/%s/accept" % game, {}, token=a["token"])
    check(st == 200 and va["status"] == "agreed", "employer accepted: %r" % va.get("status"))
    check(va["agreement"] == offer_b, "the agreement is the candidate's offer")
    vb = srv.call("GET", "/api/games/" + game, token=b["token"])[1]
    check(vb["status"] == "agreed" and vb["debrief"]["preferences"][0] == detail["preferences"][0],
          "the debrief shows both parties' preferences")
    expect_error(srv.call("POST", "/api/games/%s/end" % game, {}, token=b["token"]), 409, "move after the end")
    st, run = srv.call("GET", "/api/games/%s/run" % game, token=b["token"])
    check(run["agents"] == ["human", "human"], "run JSON of a game between people")


def test_errors(srv):
    st, g = srv.call("POST", "/api/games", {"scenario": "job-offer", "role": 1, "opponent": "boulware"})
    game, tok = g["game"], g["token"]
    expect_error(srv.call("POST", "/api/games", raw=b"{not json"), 400, "malformed JSON")
    expect_error(srv.call("POST", "/api/games", [1, 2]), 400, "not an object")
    expect_error(srv.call("POST", "/api/games", {"scenario": "job-offer", "role": "nobody"}), 400, "unknown role")
    expect_error(srv.call("POST", "/api/games", {"scenario": "job-offer", "opponent": "nosuchagent"}), 400,
                 "unknown agent")
    expect_error(srv.call("POST", "/api/games", {"scenario": "job-offer", "rounds": -1}), 400, "negative rounds")
    expect_error(srv.call("POST", "/api/games", {"scenario": "../../etc/passwd"}), 404, "a path as scenario id")
    expect_error(srv.call("POST", "/api/games", {"scenario": "nope"}), 404, "unknown scenario")
    expect_error(srv.call("GET", "/api/scenarios/nope"), 404, "unknown scenario detail")
    expect_error(srv.call("GET", "/api/scenarios/..%2f..%2fetc"), 404, "encoded path as scenario id")
    expect_error(srv.call("GET", "/api/games/0123456789abcdef0123456789abcdef", token=tok), 404, "unknown game")
    expect_error(srv.call("GET", "/api/games/" + game), 401, "no token")
    expect_error(srv.call("GET", "/api/games/" + game, token="x" * 64), 401, "wrong token")
    expect_error(srv.call("POST", "/api/games/%s/offer" % game, {"outcome": {"salary": "1"}}, token=tok), 400,
                 "invalid outcome")
    expect_error(srv.call("POST", "/api/games/%s/offer" % game, {"outcome": {"salary": "60000", "remote_days": 0,
                                                                             "start": "never",
                                                                             "signing_bonus": 0,
                                                                             "title": "engineer"}}, token=tok),
                 400, "unknown value")
    expect_error(srv.call("POST", "/api/games/%s/offer" % game, raw=b"[", token=tok), 400, "malformed offer")
    expect_error(srv.call("POST", "/api/games/%s/offer" % game, raw=b"{\"outcome\":" + b" " * 70000 + b"{}}",
                          token=tok), 413, "body over the limit")
    expect_error(srv.call("POST", "/api/games", raw=b"[" * 100000), 413, "big body on create")
    st, v = srv.call("GET", "/api/games/" + game, token=tok)
    check(v["status"] == "your_turn", "the game still runs after refusals")
    expect_error(srv.call("GET", "/api/nothing"), 404, "unknown API path")
    st, page = srv.call("GET", "/")
    check(st == 200 and "<html" in page.lower(), "the page")
    expect_error(srv.call("GET", "/etc/passwd"), 404, "no files")


def test_limits():
    srv = Server("--max-games", "2", "--idle", "1")
    try:
        ids = []
        for k in range(2):
            st, g = srv.call("POST", "/api/games", {"scenario": "job-offer", "opponent": "boulware"})
            check(st == 201, "game %d under the cap" % k)
            ids.append(g)
        expect_error(srv.call("POST", "/api/games", {"scenario": "job-offer"}), 503, "over the cap of live games")
        time.sleep(2.5)
        expect_error(srv.call("GET", "/api/games/" + ids[0]["game"], token=ids[0]["token"]), 404, "expired game")
        st, g = srv.call("POST", "/api/games", {"scenario": "job-offer"})
        check(st == 201, "room again after expiry")
    finally:
        srv.stop()


def test_scenario_dirs():
    """--scenarios DIR: its parley JSON files are offered after the bundled ones (ids made unique, never paths); a
    broken file is reported and skipped."""
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(SCENARIOS, "job-offer.json")) as f:
            sc = json.load(f)
        sc["name"] = "class case/1"
        with open(os.path.join(tmp, "case.json"), "w") as f:
            json.dump(sc, f)
        with open(os.path.join(tmp, "broken.json"), "w") as f:
            f.write("{")
        srv = Server("--scenarios", tmp)
        try:
            st, lst = srv.call("GET", "/api/scenarios")
            ids = [s["id"] for s in lst]
            check(ids[:3] == ["ceasefire-2025", "job-offer", "supply-contract"], "bundled scenarios first: %r" % ids)
            check(ids[3:] == ["class-case-1"], "the folder's scenario, as an id: %r" % ids)
            st, g = srv.call("POST", "/api/games", {"scenario": "class-case-1", "opponent": "conceder"})
            check(st == 201, "a game on a folder's scenario")
        finally:
            srv.stop()


def main():
    srv = Server()
    try:
        st, lst = srv.call("GET", "/api/scenarios")
        check(st == 200 and lst[0]["id"] == "ceasefire-2025", "scenarios, the ceasefire first")
        check({"id", "name", "parties", "issues", "outcomes"} <= set(lst[0]), "scenario summary keys")
        trace, run = test_agent_game(srv)
        with tempfile.TemporaryDirectory() as tmp:
            tp, rp = os.path.join(tmp, "t.jsonl"), os.path.join(tmp, "r.json")
            with open(tp, "w") as f:
                f.write(trace)
            with open(rp, "w") as f:
                json.dump(run, f)
            sc = os.path.join(SCENARIOS, "job-offer.json")
            r = subprocess.run([PARLEY, "report", sc, "--run", rp], capture_output=True, text=True)
            check(r.returncode == 0, "parley report --run reads a game's result: " + r.stderr)
            r = subprocess.run([PARLEY, "plot", sc, "--trace", tp, "--run", rp, "-o", os.path.join(tmp, "p.svg")],
                               capture_output=True, text=True)
            check(r.returncode == 0 and os.path.getsize(os.path.join(tmp, "p.svg")) > 0,
                  "parley plot reads a game's trace: " + r.stderr)
        test_human_game(srv)
        test_errors(srv)
        st, w = srv.call("POST", "/api/watch", {"scenario": "job-offer", "agents": ["boulware", "conceder"],
                                               "rounds": 10})
        check(st == 200 and w["run"]["agents"] == ["boulware", "conceder"] and len(w["trace"]) >= 1, "watch")
        st, rep = srv.call("POST", "/api/scenarios/job-offer/report", {})
        check(st == 200 and rep.get("predicted") is True and len(rep["issues"]) == 5, "report on the prediction")
        st, d = srv.call("GET", "/api/scenarios/job-offer")
        nash = d["analysis"]["points"]["nash"]["outcome"]
        st, rep = srv.call("POST", "/api/scenarios/job-offer/report", {"outcome": nash})
        check(st == 200 and rep["agreement"] == nash and rep.get("predicted") is False, "report on an outcome")
        expect_error(srv.call("POST", "/api/scenarios/job-offer/report", {"outcome": {"salary": "x"}}), 400,
                     "report on an invalid outcome")
        expect_error(srv.call("POST", "/api/scenarios/nope/report", {}), 404, "report on an unknown scenario")
    finally:
        srv.stop()
    test_limits()
    test_scenario_dirs()
    if FAILS:
        print("%d failures" % len(FAILS), file=sys.stderr)
        return 1
    print("serve API: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
