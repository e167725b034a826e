#!/bin/sh
# CLI tests: exit statuses, messages with file and line, real values, atomic outputs.
# Usage: run.sh PARLEY TESTDATA SCENARIOS ANACDIR EXAMPLE_AGENT_LIB
PARLEY=$1
DATA=$2
SCEN=$3
ANAC=$4
PLUGIN=$5
TMP=$(mktemp -d "${TMPDIR:-/tmp}/parley-cli-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
pass=0
failn=0
skipn=0

ok() { pass=$((pass + 1)); }
bad() { failn=$((failn + 1)); echo "FAIL: $*" >&2; }

# expect STATUS NAME -- command...: runs it, keeps stdout/stderr in $TMP/out, $TMP/err
expect() {
    want=$1; name=$2; shift 3
    "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$name: exit $got, expected $want; stderr: $(cat "$TMP/err")"; fi
}
# grep_in FILE PATTERN NAME
has() {
    if grep -q -- "$2" "$1"; then ok; else bad "$3: '$2' not in $(basename "$1"): $(head -c 400 "$1")"; fi
}

JOB="$SCEN/job-offer.json"
OUTCOME='salary=75000,remote_days=2,start=1 month,signing_bonus=5000,title=senior engineer'

# Basics.
expect 0 version -- "$PARLEY" --version; has "$TMP/out" "^parley [0-9]" version
expect 0 help -- "$PARLEY" --help; has "$TMP/out" "convert" help
expect 0 help-show -- "$PARLEY" help show; has "$TMP/out" "Usage: parley show" help-show
expect 2 help-unknown -- "$PARLEY" help frobnicate
expect 2 no-args -- "$PARLEY"
expect 2 unknown-command -- "$PARLEY" frobnicate; has "$TMP/err" "unknown command" unknown-command
expect 2 unknown-option -- "$PARLEY" show --frob "$JOB"; has "$TMP/err" "unknown option" unknown-option
expect 2 show-nothing -- "$PARLEY" show

# show, text and JSON.
expect 0 show -- "$PARLEY" show "$JOB"; has "$TMP/out" "Outcomes: 2,520 (5 issues)" show-count
has "$TMP/out" "employer" show-parties
expect 0 show-json -- "$PARLEY" show --json "$JOB"
has "$TMP/out" '"outcomes": 2520' show-json-outcomes
has "$TMP/out" '"parties": \[' show-json-parties
has "$TMP/out" '"name": "candidate"' show-json-names

# eval: employer 0.625 and candidate 0.63 (see tests/unit/test_parley_json.c for the arithmetic).
expect 0 eval -- "$PARLEY" eval "$JOB" --outcome "$OUTCOME"
has "$TMP/out" "employer *0.625000000000000" eval-employer
has "$TMP/out" "candidate *0.630000000000000" eval-candidate
expect 0 eval-json -- "$PARLEY" eval "$JOB" --outcome "$OUTCOME" --json
has "$TMP/out" '"utilities": \[' eval-json
has "$TMP/out" '0.625' eval-json-value
expect 0 eval-index -- "$PARLEY" eval "$JOB" --index 1222 --json
has "$TMP/out" '"title": "senior engineer"' eval-index
expect 2 eval-index-range -- "$PARLEY" eval "$JOB" --index 2520; has "$TMP/err" "out of range" eval-index-range
expect 2 eval-bad-value -- "$PARLEY" eval "$JOB" --outcome 'salary=75001,remote_days=2,start=1 month,signing_bonus=5000,title=engineer'
has "$TMP/err" 'no value "75001"' eval-bad-value
expect 2 eval-missing-issue -- "$PARLEY" eval "$JOB" --outcome 'salary=75000'
has "$TMP/err" 'no value for issue' eval-missing-issue
expect 2 eval-no-outcome -- "$PARLEY" eval "$JOB"
expect 2 eval-bad-time -- "$PARLEY" eval "$JOB" --outcome "$OUTCOME" --time 2

# convert: JSON and Genius XML, read back with the same utilities.
expect 0 convert-json -- "$PARLEY" convert "$JOB" -o "$TMP/job.json"
expect 0 convert-json-eval -- "$PARLEY" eval "$TMP/job.json" --outcome "$OUTCOME"
has "$TMP/out" "employer *0.625000000000000" convert-json-value
mkdir "$TMP/gx"
expect 0 convert-xml -- "$PARLEY" convert "$JOB" -o "$TMP/gx/job.xml"
[ -f "$TMP/gx/job-employer.xml" ] && [ -f "$TMP/gx/job-candidate.xml" ] && ok || bad "convert-xml: profiles missing"
expect 0 convert-xml-eval -- "$PARLEY" eval "$TMP/gx" --outcome "$OUTCOME"
has "$TMP/out" "employer *0.625000000000000" convert-xml-value
expect 0 convert-stdout -- "$PARLEY" convert "$JOB" -o -; has "$TMP/out" '"format": "parley-scenario"' convert-stdout
expect 2 convert-no-output -- "$PARLEY" convert "$JOB"
expect 2 convert-bad-ext -- "$PARLEY" convert "$JOB" -o "$TMP/job.txt"

# Non-linear parties cannot be written as Genius XML: exit 2, nothing written.
expect 2 convert-rect-xml -- "$PARLEY" convert "$SCEN/supply-contract.json" -o "$TMP/supply.xml"
has "$TMP/err" "linear additive" convert-rect-xml
[ ! -e "$TMP/supply.xml" ] && ok || bad "convert-rect-xml: a file was written"
# Unwritable destination: exit 1, an existing file is left untouched.
echo keep >"$TMP/existing.json"
expect 1 convert-missing-dir -- "$PARLEY" convert "$JOB" -o "$TMP/no/such/dir/x.json"
expect 2 convert-bad-input-keeps -- "$PARLEY" convert "$DATA/bad/truncated.json" -o "$TMP/existing.json"
[ "$(cat "$TMP/existing.json")" = keep ] && ok || bad "convert overwrote a file after a failed load"
ls "$TMP" | grep -q tmp && bad "a temporary file was left behind" || ok

# Bad input: FILE:LINE[:COL]: message, exit 2.
expect 2 truncated-json -- "$PARLEY" show "$DATA/bad/truncated.json"
has "$TMP/err" "truncated.json:[0-9]*:[0-9]*: malformed JSON" truncated-json
expect 2 empty-file -- "$PARLEY" show "$DATA/bad/empty.json"; has "$TMP/err" "empty.json:1:1: empty file" empty-file
expect 2 wrong-type -- "$PARLEY" show "$DATA/bad/wrong-type.json"; has "$TMP/err" "must be a number" wrong-type
expect 2 missing-file -- "$PARLEY" show "$TMP/nope.json"; has "$TMP/err" "cannot open" missing-file
expect 2 xml-no-domain -- "$PARLEY" show "$DATA/bad/no-domain"; has "$TMP/err" "no Genius domain" xml-no-domain
expect 2 xml-malformed -- "$PARLEY" show "$DATA/bad/malformed-xml"
has "$TMP/err" "prof.xml:5:[0-9]*: malformed XML" xml-malformed
expect 2 xml-missing-attr -- "$PARLEY" show "$DATA/bad/missing-attribute"
has "$TMP/err" "a.xml:5:[0-9]*: <item> has no evaluation attribute" xml-missing-attr

# analyze: text and JSON, subsets, bad options.
expect 0 analyze -- "$PARLEY" analyze "$JOB"
has "$TMP/out" "Frontier: [0-9]* points, exact (merge algorithm" analyze-text
has "$TMP/out" "^  nash " analyze-nash
expect 0 analyze-json -- "$PARLEY" analyze --json --frontier-limit 2 "$JOB"
for key in '"frontier": \[' '"nash": {' '"kalai_smorodinsky": {' '"egalitarian": {' '"max_welfare": {' \
    '"parties": \[' '"algorithm": "merge"' '"frontier_truncated": true' '"zopa": [0-9]'; do
    has "$TMP/out" "$key" "analyze-json $key"
done
expect 0 analyze-enumerate -- "$PARLEY" analyze --json --algorithm enumerate "$JOB"
has "$TMP/out" '"algorithm": "enumerate"' analyze-enumerate
expect 0 analyze-subset -- "$PARLEY" analyze --parties logistics,buyer "$SCEN/supply-contract.json"
has "$TMP/out" "^ *logistics *buyer$" analyze-subset-order
expect 2 analyze-subset-bad -- "$PARLEY" analyze --parties nobody "$JOB"; has "$TMP/err" "no party named" analyze-subset-bad
expect 2 analyze-merge-rect -- "$PARLEY" analyze --algorithm merge "$SCEN/supply-contract.json"
has "$TMP/err" "linear additive" analyze-merge-rect
expect 2 analyze-bad-algorithm -- "$PARLEY" analyze --algorithm magic "$JOB"
expect 2 analyze-bad-limit -- "$PARLEY" analyze --frontier-limit -3 "$JOB"
expect 0 analyze-rect -- "$PARLEY" analyze --json "$SCEN/supply-contract.json"
has "$TMP/out" '"algorithm": "enumerate"' analyze-rect

# run: sessions, JSON, traces, determinism, plug-ins, bad input.
expect 0 run -- "$PARLEY" run "$JOB" --agents boulware,conceder
has "$TMP/out" "^Result: *agreement" run-result
has "$TMP/out" "employer *boulware" run-table
expect 0 run-json -- "$PARLEY" run "$JOB" --agents boulware,conceder --rounds 200 --seed 3 --json --trace "$TMP/t.jsonl"
cp "$TMP/out" "$TMP/run1.json"
for key in agreement utilities raw_utilities rounds parties agents reason metrics; do
    has "$TMP/out" "\"$key\":" "run-json-$key"
done
has "$TMP/out" '"deadline_rounds": 200' run-json-deadline
actions=$(sed -n 's/^ *"actions": \([0-9]*\).*/\1/p' "$TMP/out")
lines=$(wc -l <"$TMP/t.jsonl")
if [ "$actions" = "$lines" ] && [ "$lines" -gt 0 ]; then ok; else bad "run-trace: $lines trace lines for $actions actions"; fi
has "$TMP/t.jsonl" '^{"round": 1, "t": 0, "party": "employer", "action": "offer", "outcome": {' run-trace-first
tail -n 1 "$TMP/t.jsonl" >"$TMP/last"; has "$TMP/last" '"action": "accept"' run-trace-last
expect 0 run-again -- "$PARLEY" run "$JOB" --agents boulware,conceder --rounds 200 --seed 3 --json
if cmp -s "$TMP/out" "$TMP/run1.json"; then ok; else bad "run-deterministic: two runs with one seed differ"; fi
expect 0 run-genius -- "$PARLEY" run "$JOB" --agents boulware,conceder --protocol saop-genius
has "$TMP/out" "GENIUS round" run-genius
expect 0 run-3 -- "$PARLEY" run "$SCEN/supply-contract.json" --agents boulware,conceder,timebased:e=0.5 --json
has "$TMP/out" '"agents": \[' run-3
expect 0 run-time-limit -- "$PARLEY" run "$JOB" --agents boulware,boulware --time-limit 0.05 --json
has "$TMP/out" '"deadline_rounds": null' run-time-limit
expect 2 run-unknown-agent -- "$PARLEY" run "$JOB" --agents boulware,nosuch; has "$TMP/err" "unknown agent 'nosuch'" run-unknown-agent
expect 2 run-bad-param -- "$PARLEY" run "$JOB" --agents timebased:e=-1,conceder; has "$TMP/err" "outside" run-bad-param
expect 2 run-agent-count -- "$PARLEY" run "$JOB" --agents boulware; has "$TMP/err" "1 agent for 2 parties" run-agent-count
expect 2 run-no-agents -- "$PARLEY" run "$JOB"
expect 2 run-negative-rounds -- "$PARLEY" run "$JOB" --agents boulware,conceder --rounds " -5"
expect 2 run-huge-rounds -- "$PARLEY" run "$JOB" --agents boulware,conceder --rounds 10000000000
expect 2 run-no-deadline -- "$PARLEY" run "$JOB" --agents boulware,conceder --rounds 0
expect 2 run-bad-protocol -- "$PARLEY" run "$JOB" --agents boulware,conceder --protocol carrier-pigeon
expect 2 run-bad-scenario -- "$PARLEY" run "$DATA/bad/truncated.json" --agents boulware,conceder
expect 1 run-trace-unwritable -- "$PARLEY" run "$JOB" --agents boulware,conceder --trace "$TMP/no/such/dir/t.jsonl"
expect 2 run-bad-lib -- "$PARLEY" run "$JOB" --agent-lib "$TMP/nothing.so" --agents boulware,conceder
has "$TMP/err" "cannot load the agent library" run-bad-lib
expect 2 run-bad-boa -- "$PARLEY" run "$JOB" --agents 'boa:bidding=foo',conceder; has "$TMP/err" "unknown bidding strategy 'foo'" run-bad-boa
expect 0 run-boa -- "$PARLEY" run "$JOB" --agents 'boa:bidding=timebased(e=0.2),model=frequency,accept=combi(t=0.98)',micro --json
has "$TMP/out" '"boa:bidding=timebased(e=0.2),model=frequency,accept=combi(t=0.98)"' run-boa
expect 0 agents -- "$PARLEY" agents; has "$TMP/out" "^boulware" agents-list
expect 0 agents-json -- "$PARLEY" agents --json; has "$TMP/out" '"name": "conceder"' agents-json
if [ -n "$PLUGIN" ] && [ -f "$PLUGIN" ]; then
    expect 0 plugin-agents -- "$PARLEY" agents --agent-lib "$PLUGIN"; has "$TMP/out" "^example-floor" plugin-agents
    expect 0 plugin-run -- "$PARLEY" run "$JOB" --agent-lib "$PLUGIN" --agents example-floor:floor=0.6,conceder --json
    has "$TMP/out" '"status": "agreement"' plugin-run
else
    bad "plugin: example agent library not given or missing ($PLUGIN)"
fi

# A tournament folder whose database is empty, not SQLite, or truncated is bad input.
mkdir -p "$TMP/baddb/empty" "$TMP/baddb/json"
: >"$TMP/baddb/empty/tournament.sqlite"
echo '{"not": "a database"}' >"$TMP/baddb/json/tournament.sqlite"
for k in empty json; do
    expect 2 "results-bad-db-$k" -- "$PARLEY" results "$TMP/baddb/$k" --csv
    expect 2 "resume-bad-db-$k" -- "$PARLEY" tournament --resume "$TMP/baddb/$k" --quiet
    has "$TMP/err" "not a parley tournament database" "resume-bad-db-$k-message"
done

# The ANAC corpus, when present.
if [ -d "$ANAC/y2010/Travel" ]; then
    expect 0 anac-show -- "$PARLEY" show "$ANAC/y2010/Travel"; has "$TMP/out" "Outcomes: 188,160" anac-show
    expect 0 anac-eval -- "$PARLEY" eval "$ANAC/y2010/Travel" --outcome 'Atmosphere=Hospitality,Amusement=Zoo,Culinary=Local cuisine,Shopping=Streets,Culture=Museum,Sport=Hiking,Environment=See, river, etc.'
    has "$TMP/out" "travel_chox *0.717502921528442" anac-eval
    expect 0 anac-files -- "$PARLEY" show "$ANAC/y2010/Travel/travel_fanny.xml" "$ANAC/y2010/Travel/travel_domain.xml" "$ANAC/y2010/Travel/travel_chox.xml"
    expect 0 anac-rect -- "$PARLEY" show --json "$ANAC/y2014/10issues"; has "$TMP/out" '"outcomes": 10000000000' anac-rect
    expect 0 anac-analyze-search -- "$PARLEY" analyze --json --frontier-limit 0 "$ANAC/y2014/10issues"
    has "$TMP/out" '"algorithm": "search"' anac-analyze-search
    has "$TMP/out" '"exact": false' anac-analyze-search-label
    has "$TMP/out" '"frontier_size": 10' anac-analyze-search-size
else
    skipn=$((skipn + 1))
    echo "skipped: ANAC corpus not found at $ANAC" >&2
fi

# Tournaments: run, export, resume refusal, help; an MPI run must equal the threaded one (skipped without mpirun).
SUP="$SCEN/supply-contract.json"
TARGS="--agents boulware,conceder,linear --scenarios $JOB $SUP --reps 2 --rounds 200 --seed 3"
expect 0 tournament -- "$PARLEY" tournament $TARGS --out "$TMP/tour" --jobs 2 --quiet
has "$TMP/out" "boulware" tournament-table
has "$TMP/tour/summary.csv" "^agent,appearances" tournament-summary-csv
has "$TMP/tour/summary.json" '"agents"' tournament-summary-json
expect 0 results-csv -- "$PARLEY" results "$TMP/tour" --csv
[ "$(wc -l <"$TMP/out")" -eq 25 ] && ok || bad "results-csv: $(wc -l <"$TMP/out") lines, expected 25"
expect 0 results-json -- "$PARLEY" results "$TMP/tour" --json
has "$TMP/out" '"agents": \["boulware", "conceder"\]' results-json-agents
sed 's/"seconds": [^,]*, //' "$TMP/out" >"$TMP/threads.json"
expect 2 tournament-resume-changed -- "$PARLEY" tournament --resume "$TMP/tour" --reps 3
has "$TMP/err" "different parameters" tournament-resume-changed
expect 0 tournament-resume-same -- "$PARLEY" tournament --resume "$TMP/tour" --reps 2 --quiet
expect 2 tournament-no-out -- "$PARLEY" tournament $TARGS
expect 2 results-missing -- "$PARLEY" results "$TMP/nothing"
expect 0 help-tournament -- "$PARLEY" help tournament; has "$TMP/out" "resume" help-tournament
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
if command -v mpirun >/dev/null 2>&1 && "$PARLEY" tournament $TARGS --out "$TMP/mpi-probe" --mpi --quiet >/dev/null 2>&1; then
    expect 0 tournament-mpi -- mpirun --allow-run-as-root --oversubscribe -np 2 "$PARLEY" tournament $TARGS --out "$TMP/tour-mpi" --jobs 1 --mpi --quiet
    "$PARLEY" results "$TMP/tour-mpi" --json | sed 's/"seconds": [^,]*, //' >"$TMP/mpi.json"
    if cmp -s "$TMP/threads.json" "$TMP/mpi.json"; then ok; else bad "tournament-mpi: results differ from the threaded run"; fi
else
    skipn=$((skipn + 1))
    echo "skipped: no mpirun or parley built without MPI" >&2
fi

echo "$pass passed, $failn failed, $skipn skipped"
[ "$failn" -eq 0 ]
