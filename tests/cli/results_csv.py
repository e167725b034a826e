#!/usr/bin/python3
"""`parley results --csv` read as a data scientist would (Python's csv module, and pandas when installed), checked
cell by cell against `parley results --json` and the tournament database itself (docs/formats.md):
  - a tournament mixing a 2-party and a 3-party scenario: per-party columns up to 3 (empty beyond a session's
    party count), the agreement as one escaped issue=value;... string; one session turned into a violation (a
    culprit) and one given awkward issue names and values straight in the database;
  - a single-scenario tournament: one agreement.ISSUE column per issue, in the scenario's issue order.
    tests/cli/results_csv.py PARLEY SCENARIOS_DIR"""
import csv
import io
import json
import math
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

PARLEY, SCEN = sys.argv[1], sys.argv[2]
FIXED = ["session", "scenario", "scenario_path", "repetition", "seed", "status", "reason", "rounds", "actions", "t",
         "seconds", "individually_rational", "pareto_distance", "nash_distance", "welfare", "culprit",
         "culprit_agent", "n_parties"]
checks = 0
fails = []


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        fails.append(what)


def parley(*args):
    return subprocess.run([PARLEY, *args], check=True, capture_output=True, text=True).stdout


def num(cell):
    return None if cell == "" else float(cell)


def same_num(cell, value, what):
    if value is None:
        check(cell == "", "%s: %r, expected empty" % (what, cell))
    else:
        check(cell != "" and float(cell) == float(value), "%s: %r, expected %r" % (what, cell, value))


def unflatten(text):
    """The flat agreement string: issue=value pairs joined by ';', with '\\', ';' and '=' escaped by '\\'."""
    if text == "":
        return None
    out = {}
    for pair in re.findall(r"(?:\\.|[^;])+", text):
        key, value = re.fullmatch(r"((?:\\.|[^=\\])*)=(.*)", pair).groups()
        out[re.sub(r"\\(.)", r"\1", key)] = re.sub(r"\\(.)", r"\1", value)
    return out


def export(folder):
    rows = list(csv.DictReader(io.StringIO(parley("results", folder, "--csv"), newline="")))
    header = next(csv.reader(io.StringIO(parley("results", folder, "--csv"))))
    return header, rows, json.loads(parley("results", folder, "--json"))


def check_common(header, rows, js, db, max_parties, label):
    check(header[:len(FIXED)] == FIXED, "%s: header starts %s" % (label, header[:len(FIXED)]))
    for block in ["party_", "agent_", "utility_", "raw_utility_"]:
        cols = [h for h in header if h.startswith(block)]
        check(cols == ["%s%d" % (block, k) for k in range(max_parties)], "%s: %s columns %s" % (label, block, cols))
    check(len(rows) == len(js) and len(rows) > 0, "%s: %d CSV rows, %d JSON objects" % (label, len(rows), len(js)))
    parties = {name: json.loads(p) for name, p in db.execute("SELECT name, parties FROM scenarios")}
    for row, obj in zip(rows, js):
        where = "%s session %s" % (label, obj["session"])
        check(not any(c.startswith("[") or c.startswith("{") for c in row.values()), where + ": JSON in a cell")
        for key in ["session", "repetition", "seed", "rounds", "actions", "individually_rational", "culprit"]:
            want = "" if obj[key] is None else str(obj[key])
            check(row[key] == want, "%s: %s %r, expected %r" % (where, key, row[key], want))
        for key in ["scenario", "scenario_path", "status", "reason"]:
            check(row[key] == obj[key], "%s: %s %r, expected %r" % (where, key, row[key], obj[key]))
        for key in ["t", "seconds", "pareto_distance", "nash_distance", "welfare"]:
            same_num(row[key], obj[key], "%s: %s" % (where, key))
        n = len(obj["agents"])
        check(row["n_parties"] == str(n), "%s: n_parties %s, expected %d" % (where, row["n_parties"], n))
        culprit_agent = "" if obj["culprit"] is None else obj["agents"][obj["culprit"]]
        check(row["culprit_agent"] == culprit_agent, "%s: culprit_agent %r" % (where, row["culprit_agent"]))
        for k in range(max_parties):
            inside = k < n
            want_party = parties[obj["scenario"]][k] if inside else ""
            check(row["party_%d" % k] == want_party, "%s: party_%d %r" % (where, k, row["party_%d" % k]))
            check(row["agent_%d" % k] == (obj["agents"][k] if inside else ""), "%s: agent_%d" % (where, k))
            same_num(row["utility_%d" % k], obj["utilities"][k] if inside else None, "%s: utility_%d" % (where, k))
            same_num(row["raw_utility_%d" % k], obj["raw_utilities"][k] if inside else None,
                     "%s: raw_utility_%d" % (where, k))


def check_pandas(folder, label, expect):
    try:
        import pandas
    except ImportError:
        print("pandas not installed: pandas checks skipped", file=sys.stderr)
        return
    df = pandas.read_csv(io.StringIO(parley("results", folder, "--csv")))
    check(str(df["utility_0"].dtype) == "float64", "%s: pandas utility_0 is %s" % (label, df["utility_0"].dtype))
    check(str(df["session"].dtype) == "int64", "%s: pandas session is %s" % (label, df["session"].dtype))
    expect(df)


tmp = tempfile.mkdtemp(prefix="parley-results-csv.")
try:
    job, sup = os.path.join(SCEN, "job-offer.json"), os.path.join(SCEN, "supply-contract.json")
    # ---- Mixed: 2 and 3 parties, different issues ----
    mixed = os.path.join(tmp, "mixed")
    parley("tournament", "--agents", "boulware,conceder,linear", "--scenarios", job, sup, "--reps", "1",
           "--rounds", "200", "--seed", "3", "--out", mixed, "--jobs", "1", "--quiet")
    db = sqlite3.connect(os.path.join(mixed, "tournament.sqlite"))
    with db:
        # Session 1 becomes a violation by party 1; session 2 gets names and labels that need escaping.
        db.execute("UPDATE sessions SET status = 'violation', culprit = 1, agreement = NULL,"
                   " reason = 'party 1, \"quoted\"; broke the protocol' WHERE session = 1")
        db.execute("UPDATE sessions SET agreement = ? WHERE session = 2",
                   (json.dumps({"a;b": "x=y", "back\\slash": "v;w", "plain": "1,000"}),))
    header, rows, js = export(mixed)
    check_common(header, rows, js, db, 3, "mixed")
    check(header[-1] == "agreement" and len(header) == len(FIXED) + 4 * 3 + 1, "mixed: header %s" % header)
    for row, obj in zip(rows, js):
        check(unflatten(row["agreement"]) == obj["agreement"],
              "mixed session %s: agreement %r vs %r" % (obj["session"], row["agreement"], obj["agreement"]))
    check(rows[1]["culprit"] == "1" and rows[1]["culprit_agent"] == js[1]["agents"][1], "mixed: the culprit row")
    check(rows[2]["agreement"] == "a\\;b=x\\=y;back\\\\slash=v\\;w;plain=1,000",
          "mixed: escaped agreement %r" % rows[2]["agreement"])
    three = [r for r in rows if r["n_parties"] == "3"]
    check(len(three) == 6 and len(rows) == 12, "mixed: %d sessions, %d with three parties" % (len(rows), len(three)))

    def mixed_pandas(df):
        check(df.groupby("culprit_agent").size().to_dict() == {js[1]["agents"][1]: 1},
              "mixed: pandas culprit counts %s" % df.groupby("culprit_agent").size().to_dict())
        check(df.loc[df.n_parties == 2, "utility_2"].isna().all() and df["utility_2"].notna().sum() == 6,
              "mixed: pandas utility_2 empty exactly for the 2-party sessions")
        check(math.isclose(df["utility_0"].sum(), sum(o["utilities"][0] for o in js), rel_tol=1e-12),
              "mixed: pandas utility_0 sum")
        check((df.status == "violation").sum() == 1, "mixed: pandas status counts")
    check_pandas(mixed, "mixed", mixed_pandas)
    db.close()

    # ---- One scenario: one column per issue ----
    single = os.path.join(tmp, "single")
    parley("tournament", "--agents", "boulware,conceder,linear", "--scenarios", job, "--reps", "2", "--rounds",
           "200", "--out", single, "--jobs", "1", "--quiet")
    db = sqlite3.connect(os.path.join(single, "tournament.sqlite"))
    header, rows, js = export(single)
    check_common(header, rows, js, db, 2, "single")
    issues = [i["name"] for i in json.loads(parley("show", job, "--json"))["issues"]]
    check(header[len(FIXED) + 4 * 2:] == ["agreement." + i for i in issues], "single: header %s" % header)
    for row, obj in zip(rows, js):
        for issue in issues:
            want = obj["agreement"][issue] if obj["agreement"] else ""
            check(row["agreement." + issue] == want, "single session %s: %s" % (obj["session"], issue))

    def single_pandas(df):
        agreed = [o for o in js if o["agreement"]]
        check(df["agreement.salary"].notna().sum() == len(agreed), "single: pandas agreement.salary count")
        check(sorted(df["agreement.title"].dropna()) == sorted(o["agreement"]["title"] for o in agreed),
              "single: pandas agreement.title values")
    check_pandas(single, "single", single_pandas)
    db.close()
finally:
    shutil.rmtree(tmp)

for f in fails:
    print("FAIL: " + f)
print("results_csv: %d passed, %d failed" % (checks - len(fails), len(fails)))
sys.exit(1 if fails else 0)
