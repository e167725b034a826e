#!/usr/bin/env python3
"""Isolation of untrusted agents, end to end, with the hostile plug-in (tests/plugins/hostile.c).

Usage: hostile.py PARLEY HOSTILE_LIB SCENARIOS

- parley run --isolate with each hostile agent: the status, culprit, reason and exit status, within a time bound;
  --time-limit with a hanging agent returns after about the time limit.
- tournaments of built-ins + each hostile agent, --jobs 1 and --jobs 2: complete; every session the hostile agent
  plays is recorded with its status and the hostile agent as culprit; every other session equals (status, agreement,
  utilities) the same session of a tournament without the hostile agent; --jobs 1 and 2 give the same rows.
- flaky: crashes in some sessions and not others; the sessions that did not crash equal its un-crashed behaviour
  (PARLEY_HOSTILE_SAFE=1, the same spec text and so the same seeds).
- SIGTERM to a tournament with a hanging agent stops it within 1 s (exit 130, nothing half-written), and --resume
  completes it with the same rows as an uninterrupted run.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PARLEY, LIB, SCEN = sys.argv[1], sys.argv[2], sys.argv[3]
JOB = os.path.join(SCEN, "job-offer.json")
SUPPLY = os.path.join(SCEN, "supply-contract.json")
TMP = tempfile.mkdtemp(prefix="parley-hostile-")
CALL = "0.2"  # call limit in tests: short, so hanging agents cost little
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(args, env=None, timeout=120):
    t0 = time.monotonic()
    p = subprocess.run([PARLEY] + args, capture_output=True, text=True, timeout=timeout,
                       env=dict(os.environ, **(env or {})))
    return p, time.monotonic() - t0


# agent -> (status, reason pattern)
EXPECT = {
    "segv": ("crash", r"killed by signal 11 \(SIGSEGV\) in round 3"),
    "abort": ("crash", r"killed by signal 6 \(SIGABRT\) in round 3"),
    "exit": ("crash", r"called exit\(\d+\) in round 3"),
    "loop": ("timeout", r"exceeded the call limit of 0\.2 s in round 3"),
    "hog": ("memory", r"exceeded the memory limit of 32 MiB"),
    "badoutcome": ("violation", r"protocol violation by candidate: offered an invalid outcome"),
}
SANITIZED = os.environ.get("ASAN_OPTIONS") is not None


def limits(agent):
    """The hog gets a generous call limit (touching memory is slow on a shared machine) and a small memory limit."""
    return ["--call-limit", "10", "--memory-limit", "32"] if agent == "hog" else ["--call-limit", CALL,
                                                                                   "--memory-limit", "128"]


# ---- parley run ----
for agent, (status, pattern) in EXPECT.items():
    p, secs = run(["run", JOB, "--agent-lib", LIB, "--agents", "boulware," + agent, "--isolate", "--json"] +
                  limits(agent))
    check(p.returncode == 0, f"run {agent}: exit {p.returncode}: {p.stderr}")
    if p.returncode != 0:
        continue
    r = json.loads(p.stdout)
    check(r["status"] == status, f"run {agent}: status {r['status']}, expected {status}")
    check(re.search(pattern, r["reason"]) is not None, f"run {agent}: reason {r['reason']!r}")
    if agent != "badoutcome":
        check(r["reason"].startswith(f"agent '{agent}' (party 1) "), f"run {agent}: culprit in {r['reason']!r}")
    check(r["culprit"] == "candidate", f"run {agent}: culprit {r['culprit']}")
    check(r["agreement"] is None and r["utilities"] == r["reservation_values"], f"run {agent}: reservation values")
    check(secs < 10, f"run {agent}: took {secs:.1f} s")
# exit(3) exactly outside sanitizer builds (LeakSanitizer may change the child's exit status)
p, _ = run(["run", JOB, "--agent-lib", LIB, "--agents", "exit,boulware", "--isolate"])
check(re.search(r"crash: agent 'exit' \(party 0\) called exit\(3\) in round 3" if not SANITIZED else "called exit",
                p.stdout) is not None, f"run exit text: {p.stdout[:300]}")
# A hanging agent under --time-limit: back after about the time limit, status timeout.
p, secs = run(["run", JOB, "--agent-lib", LIB, "--agents", "loop,boulware", "--isolate", "--time-limit", "1", "--json"])
r = json.loads(p.stdout) if p.returncode == 0 else {}
check(r.get("status") == "timeout" and 0.9 < secs < 3, f"run loop --time-limit 1: {r.get('status')} in {secs:.2f} s")
check("exceeded the call limit of 1 s in round 3" in r.get("reason", ""), f"run loop time limit reason: {r.get('reason')}")
# flaky when it does not crash plays the same session in-process and isolated.
p1, _ = run(["run", JOB, "--agent-lib", LIB, "--agents", "flaky,boulware", "--isolate", "--json", "--seed", "2"])
p2, _ = run(["run", JOB, "--agent-lib", LIB, "--agents", "flaky,boulware", "--json", "--seed", "2"],
            env={"PARLEY_HOSTILE_SAFE": "1"})
check(p1.returncode == 0 and p2.returncode == 0, "run flaky")
if p1.returncode == 0 and p2.returncode == 0:
    a, b = json.loads(p1.stdout), json.loads(p2.stdout)
    if a["status"] != "crash":
        check(all(a[k] == b[k] for k in ("status", "agreement", "utilities", "rounds")), "run flaky isolated = in-process")
# A trace through isolation: the actions reach the parent's file in order, as without isolation.
t1, t2 = os.path.join(TMP, "iso.jsonl"), os.path.join(TMP, "plain.jsonl")
run(["run", JOB, "--agent-lib", LIB, "--agents", "flaky:n=0,boulware", "--isolate", "--trace", t1])
run(["run", JOB, "--agent-lib", LIB, "--agents", "flaky:n=0,boulware", "--trace", t2])
check(os.path.exists(t1) and open(t1).read() == open(t2).read(), "trace isolated = in-process")


# ---- tournaments ----
def rows(folder):
    p, _ = run(["results", folder, "--json"])
    check(p.returncode == 0, f"results {folder}: {p.stderr}")
    return json.loads(p.stdout) if p.returncode == 0 else []


def key(r):
    return (r["scenario"], tuple(r["agents"]), r["repetition"])


def same(a, b):
    return all(a[k] == b[k] for k in ("status", "agreement", "utilities", "raw_utilities", "rounds", "seed"))


def tournament(name, agents, jobs, extra=(), env=None, scenarios=(JOB, SUPPLY)):
    out = os.path.join(TMP, name)
    p, secs = run(["tournament", "--agents", agents, "--scenarios", *scenarios, "--out", out, "--agent-lib", LIB,
                   "--jobs", str(jobs), "-q"] + limits(agents.split(",")[-1]) + list(extra), env=env)
    check(p.returncode == 0, f"tournament {name}: exit {p.returncode}: {p.stderr[-400:]}")
    return {key(r): r for r in rows(out)}, secs


base, _ = tournament("base", "boulware,conceder,linear", 2)
check(len(base) == 2 * 3 + 6, f"base tournament: {len(base)} rows")
for agent, (status, pattern) in EXPECT.items():
    by_jobs = []
    # The slow ones (each of their sessions waits for a limit) on the two-party scenario only.
    scen = (JOB,) if agent in ("loop", "hog") else (JOB, SUPPLY)
    names = {os.path.splitext(os.path.basename(x))[0] for x in scen}
    for jobs in (1, 2):
        got, secs = tournament(f"{agent}-{jobs}", "boulware,conceder,linear," + agent, jobs, scenarios=scen)
        by_jobs.append(got)
        check(len(got) == 12 + (24 if SUPPLY in scen else 0), f"{agent} --jobs {jobs}: {len(got)} rows")
        hostile = [r for k, r in got.items() if agent in k[1]]
        check(hostile and all(r["status"] == status for r in hostile),
              f"{agent} --jobs {jobs}: statuses {sorted(set(r['status'] for r in hostile))}")
        check(all(r["culprit"] is not None and r["agents"][r["culprit"]] == agent for r in hostile),
              f"{agent} --jobs {jobs}: culprits")
        check(all(re.search(pattern.replace("candidate", ".*"), r["reason"]) for r in hostile),
              f"{agent} --jobs {jobs}: reasons {[r['reason'] for r in hostile][:3]}")
        others = [(k, r) for k, r in got.items() if agent not in k[1]]
        check(len(others) == sum(k[0] in names for k in base) and all(k in base and same(r, base[k]) for k, r in others),
              f"{agent} --jobs {jobs}: sessions without it differ from the tournament without it")
    check(by_jobs[0].keys() == by_jobs[1].keys() and
          all(same(by_jobs[0][k], by_jobs[1][k]) and by_jobs[0][k]["reason"] == by_jobs[1][k]["reason"]
              for k in by_jobs[0]), f"{agent}: --jobs 1 and 2 differ")

# flaky: some sessions crash, the others are its un-crashed sessions.
flaky, _ = tournament("flaky", "boulware,conceder,flaky", 2, ["--reps", "3"])
safe, _ = tournament("flaky-safe", "boulware,conceder,flaky", 2, ["--reps", "3"], env={"PARLEY_HOSTILE_SAFE": "1"})
crashed = [k for k, r in flaky.items() if r["status"] == "crash"]
check(0 < len(crashed) < sum("flaky" in k[1] for k in flaky), f"flaky: {len(crashed)} crashed sessions")
check(all(flaky[k]["agents"][flaky[k]["culprit"]] == "flaky" for k in crashed), "flaky: culprits")
check(all(same(r, safe[k]) for k, r in flaky.items() if r["status"] != "crash"),
      "flaky: sessions that did not crash differ from its un-crashed behaviour")
check(all(safe[k]["status"] != "crash" for k in safe), "flaky: PARLEY_HOSTILE_SAFE")

# ---- SIGTERM and --resume ----
full, _ = tournament("loop-full", "boulware,conceder,loop", 2, ["--call-limit", "1"], scenarios=(JOB,))
out = os.path.join(TMP, "loop-term")
proc = subprocess.Popen([PARLEY, "tournament", "--agents", "boulware,conceder,loop", "--scenarios", JOB,
                         "--out", out, "--agent-lib", LIB, "--jobs", "2", "--call-limit", "1", "--memory-limit", "128",
                         "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
time.sleep(0.6)
t0 = time.monotonic()
proc.send_signal(signal.SIGTERM)
try:
    _, err = proc.communicate(timeout=5)
except subprocess.TimeoutExpired:
    proc.kill()
    _, err = proc.communicate()
stopped = time.monotonic() - t0
check(proc.returncode == 130 and stopped < 1.0, f"SIGTERM: exit {proc.returncode} after {stopped:.2f} s")
check("--resume" in err, f"SIGTERM: no resume hint: {err}")
partial = rows(out)
check(len(partial) < len(full), f"SIGTERM: {len(partial)} of {len(full)} rows before resuming")
p, _ = run(["tournament", "--resume", out, "-q"])
check(p.returncode == 0, f"resume: exit {p.returncode}: {p.stderr}")
resumed = {key(r): r for r in rows(out)}
check(resumed.keys() == full.keys() and all(same(resumed[k], full[k]) and resumed[k]["reason"] == full[k]["reason"]
                                             for k in full), "resume: rows differ from an uninterrupted run")

shutil.rmtree(TMP, ignore_errors=True)
print(f"hostile: {checks - len(failures)} of {checks} checks passed")
sys.exit(1 if failures else 0)
