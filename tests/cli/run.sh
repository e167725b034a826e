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

# run --protocol single-text: mediators, votes, the final text, traces, determinism; bad mediators, non-voters.
expect 0 st-run -- "$PARLEY" run "$JOB" --protocol single-text --rounds 200 --seed 3
has "$TMP/out" "^Session: .*single-text, mediator neutral (random order), deadline 200 steps" st-run-session
has "$TMP/out" "^Steps: .*after [0-9]* steps: [0-9]* changes\? stood" st-run-steps
has "$TMP/out" "^Final text: salary=" st-run-final
has "$TMP/out" "employer *hill-climber" st-run-default-agents
STARGS="--protocol single-text --agents annealer,annealer:t0=0.2,hill-climber --mediator supplier --mediator-order systematic --rounds 300 --seed 2"
expect 0 st-json -- "$PARLEY" run "$SCEN/supply-contract.json" $STARGS --json --trace "$TMP/st.jsonl"
cp "$TMP/out" "$TMP/st1.json"
for key in mediator mediator_order final_text final_text_utilities steps changes votes stable; do
    has "$TMP/out" "\"$key\":" "st-json-$key"
done
has "$TMP/out" '"protocol": "single-text"' st-json-protocol
has "$TMP/out" '"mediator": "supplier"' st-json-mediator
has "$TMP/out" '"mediator_order": "systematic"' st-json-order
steps=$(sed -n 's/^ *"steps": \([0-9]*\).*/\1/p' "$TMP/out")
lines=$(wc -l <"$TMP/st.jsonl")
if [ "$steps" = "$lines" ] && [ "$lines" -gt 0 ]; then ok; else bad "st-trace: $lines trace lines for $steps steps"; fi
has "$TMP/st.jsonl" '^{"step": 1, "t": 0, "proposer": "supplier", "action": "propose", "issue": "[a-z_]*", "from": ' st-trace-first
has "$TMP/st.jsonl" '"votes": {"buyer": \(true\|false\), "supplier": \(true\|false\), "logistics": ' st-trace-votes
expect 0 st-again -- "$PARLEY" run "$SCEN/supply-contract.json" $STARGS --json
if cmp -s "$TMP/out" "$TMP/st1.json"; then ok; else bad "st-deterministic: two runs with one seed differ"; fi
expect 0 st-neutral -- "$PARLEY" run "$JOB" --protocol single-text --mediator neutral --agents annealer,annealer --json
has "$TMP/out" '"mediator": "neutral"' st-neutral
if [ -n "$PLUGIN" ] && [ -f "$PLUGIN" ]; then
    expect 0 st-plugin -- "$PARLEY" run "$JOB" --agent-lib "$PLUGIN" --protocol single-text --agents example-floor,hill-climber
fi
expect 2 st-mediator-unknown -- "$PARLEY" run "$JOB" --protocol single-text --mediator nobody
has "$TMP/err" "no party named 'nobody' (parties: employer, candidate; or neutral)" st-mediator-unknown
expect 2 st-order-bad -- "$PARLEY" run "$JOB" --protocol single-text --mediator-order sideways
has "$TMP/err" "mediator-order must be random or systematic" st-order-bad
expect 2 st-saop-agent -- "$PARLEY" run "$JOB" --protocol single-text --agents boulware,hill-climber --trace "$TMP/st-bad.jsonl"
has "$TMP/err" "agent boulware (party employer) cannot vote" st-saop-agent
has "$TMP/err" "voters: hill-climber, annealer" st-saop-agent-voters
[ ! -e "$TMP/st-bad.jsonl" ] && ok || bad "st-saop-agent: a trace was written"
expect 2 st-voter-in-saop -- "$PARLEY" run "$JOB" --agents hill-climber,conceder; has "$TMP/err" "only votes" st-voter-in-saop
expect 2 st-mediator-saop -- "$PARLEY" run "$JOB" --agents boulware,conceder --mediator employer
has "$TMP/err" "needs --protocol single-text" st-mediator-saop
expect 0 st-agents -- "$PARLEY" agents; has "$TMP/out" "^annealer .*single-text voter" st-agents
expect 0 st-agents-json -- "$PARLEY" agents --json; has "$TMP/out" '"single-text"' st-agents-json

# A tournament folder whose database is empty, not SQLite, or truncated is bad input.
mkdir -p "$TMP/baddb/empty" "$TMP/baddb/json"
: >"$TMP/baddb/empty/tournament.sqlite"
echo '{"not": "a database"}' >"$TMP/baddb/json/tournament.sqlite"
for k in empty json; do
    expect 2 "results-bad-db-$k" -- "$PARLEY" results "$TMP/baddb/$k" --csv
    expect 2 "resume-bad-db-$k" -- "$PARLEY" tournament --resume "$TMP/baddb/$k" --quiet
    has "$TMP/err" "not a parley tournament database" "resume-bad-db-$k-message"
done

# Red lines and the status quo: show, eval, the Genius XML refusal, bad red-line files.
CF="$SCEN/ceasefire-2025.json"
expect 0 rl-show -- "$PARLEY" show "$CF"
has "$TMP/out" "^  issue  *type  *values  status quo  *options$" rl-show-sq-column
has "$TMP/out" "^  foreign_military_aid  *discrete  *3  continues  " rl-show-sq-value
has "$TMP/out" "^Red lines" rl-show-section
has "$TMP/out" "^  russia: if general_ceasefire is 30 days or permanent then foreign_military_aid must be halted  (Putin" rl-show-pre
has "$TMP/out" "^  ukraine: territory must not be concessions by Ukraine  (" rl-show-not
expect 0 rl-show-json -- "$PARLEY" show --json "$CF"
has "$TMP/out" '"status_quo": {' rl-show-json-sq
has "$TMP/out" '"territory": "not addressed"' rl-show-json-sq-value
has "$TMP/out" '"red_lines": \[' rl-show-json-lines
has "$TMP/out" '"then": {' rl-show-json-then
has "$TMP/out" '"not": \[' rl-show-json-not
expect 0 rl-show-json-none -- "$PARLEY" show --json "$JOB"
has "$TMP/out" '"status_quo": {}' rl-show-json-no-sq
has "$TMP/out" '"red_lines": \[\]' rl-show-json-no-lines
# A general ceasefire with aid continuing: russia's precondition is broken, whatever else it gets.
CFO='energy_strike_moratorium=30 days,black_sea=talks begin,general_ceasefire=30 days,foreign_military_aid=continues,intelligence_sharing=halted,ukrainian_mobilization=suspended,ukrainian_rearmament=halted,prisoner_exchange=175,wounded_returned=23,territory=not addressed,us_russia_relations=expert teams,hockey_matches=yes'
expect 0 rl-eval -- "$PARLEY" eval "$CF" --outcome "$CFO"
has "$TMP/out" "^  russia  *0.000000000000000  *0.214  no (red line: if general_ceasefire is 30 days or permanent then foreign_military_aid must be halted)$" rl-eval-russia
has "$TMP/out" "^  ukraine  .*no (red line: intelligence_sharing must not be halted)$" rl-eval-ukraine
has "$TMP/out" "^  united_states  .*  yes$" rl-eval-us
expect 0 rl-eval-json -- "$PARLEY" eval --json "$CF" --outcome "$CFO"
tr -d ' \n' <"$TMP/out" >"$TMP/rl-eval.json"
has "$TMP/rl-eval.json" '"acceptable":\[false,false,true\]' rl-eval-json-acceptable
has "$TMP/rl-eval.json" '"red_lines_broken":\[\[0\],\[1\],\[\]\]' rl-eval-json-broken
has "$TMP/rl-eval.json" '"utilities":\[0,' rl-eval-json-zero
has "$TMP/rl-eval.json" '"raw_utilities":\[0\.[0-9]*,' rl-eval-json-raw
# The status quo with the lines frozen: below ukraine's reservation (0.53 < 0.58), breaking nothing.
CFSQ='energy_strike_moratorium=none,black_sea=no talks,general_ceasefire=none,foreign_military_aid=continues,intelligence_sharing=continues,ukrainian_mobilization=continues,ukrainian_rearmament=continues,prisoner_exchange=0,wounded_returned=0,territory=freeze current lines,us_russia_relations=no change,hockey_matches=no'
expect 0 rl-eval-below -- "$PARLEY" eval "$CF" --outcome "$CFSQ" --time 0.5
has "$TMP/out" "^  russia  .*  yes  " rl-eval-below-russia
has "$TMP/out" "^  ukraine  *0.530000000000000  *0.58  no (below reservation)  " rl-eval-below-ukraine
expect 0 rl-eval-below-json -- "$PARLEY" eval --json "$CF" --outcome "$CFSQ"
has "$TMP/out" '"red_lines_broken": \[' rl-eval-below-json
if grep -q '"raw_utilities"' "$TMP/out"; then bad "rl-eval-below-json: raw_utilities without a broken red line"; else ok; fi
# Genius XML cannot hold red lines: exit 2, nothing written.
mkdir "$TMP/rlgx"
expect 2 rl-convert-xml -- "$PARLEY" convert "$CF" -o "$TMP/rlgx/ceasefire.xml"
has "$TMP/err" "Genius XML cannot express red lines; party \"russia\"" rl-convert-xml-message
[ -z "$(ls "$TMP/rlgx")" ] && ok || bad "rl-convert-xml: files were written: $(ls "$TMP/rlgx")"
expect 0 rl-convert-json -- "$PARLEY" convert "$CF" -o "$TMP/rl.json"
expect 0 rl-convert-json-eval -- "$PARLEY" eval "$TMP/rl.json" --outcome "$CFO"
has "$TMP/out" "^  russia  .*no (red line: if general_ceasefire" rl-convert-json-eval
# Bad red-line files: exit 2, the file and the place in the message.
cat >"$TMP/rl-ok.json" <<'EOF'
{"issues": [{"name": "x", "type": "discrete", "values": ["a", "b"]}],
 "status_quo": {"x": "a"},
 "parties": [
  {"name": "p", "utility": {"type": "linear_additive", "weights": {"x": 1}, "values": {"x": [0, 1]}},
   "red_lines": [{"issue": "x", "not": ["a"], "note": "never a"}]},
  {"name": "q", "utility": {"type": "linear_additive", "weights": {"x": 1}, "values": {"x": [1, 0]}}}]}
EOF
expect 0 rl-small -- "$PARLEY" show "$TMP/rl-ok.json"; has "$TMP/out" "^  p: x must not be a  (never a)$" rl-small
sed 's/"not": \["a"\]/"not": ["c"]/' "$TMP/rl-ok.json" >"$TMP/rl-value.json"
expect 2 rl-bad-value -- "$PARLEY" show "$TMP/rl-value.json"
has "$TMP/err" 'rl-value.json: at parties\[0\].red_lines\[0\]: issue "x" has no value "c"' rl-bad-value-message
sed 's/"red_lines": \[{"issue": "x", "not": \["a"\], "note": "never a"}\]/"red_lines": "x not a"/' "$TMP/rl-ok.json" >"$TMP/rl-type.json"
expect 2 rl-bad-type -- "$PARLEY" eval "$TMP/rl-type.json" --index 0
has "$TMP/err" 'rl-type.json: at parties\[0\].red_lines: "red_lines" must be an array' rl-bad-type-message
sed 's/"status_quo": {"x": "a"}/"status_quo": {"y": "a"}/' "$TMP/rl-ok.json" >"$TMP/rl-sq.json"
expect 2 rl-bad-sq -- "$PARLEY" show "$TMP/rl-sq.json"
has "$TMP/err" 'rl-sq.json: at status_quo: unknown issue "y"' rl-bad-sq-message
head -c 200 "$TMP/rl-ok.json" >"$TMP/rl-trunc.json"
expect 2 rl-truncated -- "$PARLEY" show "$TMP/rl-trunc.json"
has "$TMP/err" "rl-trunc.json:[0-9]*:[0-9]*: malformed JSON" rl-truncated-message
: >"$TMP/rl-empty.json"
expect 2 rl-empty -- "$PARLEY" analyze "$TMP/rl-empty.json"
has "$TMP/err" "rl-empty.json:1:1: empty file" rl-empty-message

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
# Flat columns (tests/cli/results_csv.py checks every cell): no JSON inside fields, three parties at most here.
has "$TMP/out" '^session,scenario,scenario_path,repetition,seed,status,reason,rounds,' results-csv-header
has "$TMP/out" ',agent_0,agent_1,agent_2,utility_0,' results-csv-party-columns
grep -q '\[' "$TMP/out" && bad "results-csv: a JSON array in the CSV" || ok
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

# Plots (docs/plots.md): PNG, SVG or PDF by the extension, deterministic, atomic; bad input is exit 2 with the file
# and line, and nothing written.
expect 0 plot-session -- "$PARLEY" run "$JOB" --agents boulware,conceder --rounds 200 --seed 3 --json --trace "$TMP/p.jsonl"
cp "$TMP/out" "$TMP/p-run.json"
PLOT="$JOB --trace $TMP/p.jsonl --run $TMP/p-run.json"
expect 0 plot-png -- "$PARLEY" plot $PLOT -o "$TMP/p.png"
head -c 8 "$TMP/p.png" | od -An -tx1 | tr -d ' \n' >"$TMP/sig"; has "$TMP/sig" "^89504e470d0a1a0a$" plot-png-signature
[ "$(wc -c <"$TMP/p.png")" -gt 10000 ] && ok || bad "plot-png: $(wc -c <"$TMP/p.png") bytes"
expect 0 plot-png-again -- "$PARLEY" plot $PLOT -o "$TMP/p2.png"
cmp -s "$TMP/p.png" "$TMP/p2.png" && ok || bad "plot-deterministic: two PNGs of one input differ"
expect 0 plot-svg -- "$PARLEY" plot $PLOT -o "$TMP/p.svg"; has "$TMP/p.svg" "<svg" plot-svg
if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout "$TMP/p.svg" 2>"$TMP/err" && ok || bad "plot-svg: not well-formed: $(head -c 300 "$TMP/err")"
fi
expect 0 plot-pdf -- "$PARLEY" plot $PLOT -o "$TMP/p.PDF"; head -c 5 "$TMP/p.PDF" >"$TMP/sig"; has "$TMP/sig" "^%PDF-" plot-pdf
expect 0 plot-time -- "$PARLEY" plot $PLOT --utility-over-time --size 900x600 --scale 2 -o "$TMP/time.png"
head -c 24 "$TMP/time.png" | od -An -tx1 | tr -d ' \n' >"$TMP/sig"; has "$TMP/sig" "00000708000004b0$" plot-time-size
expect 0 plot-3-parties -- "$PARLEY" plot "$SUP" -o "$TMP/supply.png"
expect 0 plot-no-session -- "$PARLEY" plot "$JOB" --no-legend --title "Job offer" -o "$TMP/plain.svg"
expect 0 help-plot -- "$PARLEY" help plot; has "$TMP/out" "utility-over-time" help-plot
expect 2 plot-missing-scenario -- "$PARLEY" plot "$TMP/nope.json" -o "$TMP/x.png"; has "$TMP/err" "cannot open" plot-missing-scenario
expect 2 plot-missing-trace -- "$PARLEY" plot "$JOB" --trace "$TMP/nope.jsonl" -o "$TMP/x.png"
has "$TMP/err" "nope.jsonl: cannot open" plot-missing-trace
head -n 3 "$TMP/p.jsonl" >"$TMP/trunc.jsonl"; sed -n 4p "$TMP/p.jsonl" | head -c 90 >>"$TMP/trunc.jsonl"
expect 2 plot-truncated-trace -- "$PARLEY" plot "$JOB" --trace "$TMP/trunc.jsonl" -o "$TMP/x.png"
has "$TMP/err" "trunc.jsonl:4:[0-9]*: malformed JSON" plot-truncated-trace
echo '{"round": "one", "t": 0, "party": "employer", "action": "end", "outcome": null}' >"$TMP/wt.jsonl"
expect 2 plot-wrong-type-trace -- "$PARLEY" plot "$JOB" --trace "$TMP/wt.jsonl" -o "$TMP/x.png"
has "$TMP/err" "wt.jsonl:1: at round: must be a non-negative integer" plot-wrong-type-trace
echo '{"parties": ["employer", "candidate"], "agreement": 5}' >"$TMP/wt.json"
expect 2 plot-wrong-type-run -- "$PARLEY" plot "$JOB" --run "$TMP/wt.json" -o "$TMP/x.png"
has "$TMP/err" "wt.json: at agreement: an outcome must be an object" plot-wrong-type-run
expect 2 plot-other-run -- "$PARLEY" plot "$SUP" --run "$TMP/p-run.json" -o "$TMP/x.png"
has "$TMP/err" "not the scenario's" plot-other-run
: >"$TMP/empty.jsonl"
expect 2 plot-empty-trace -- "$PARLEY" plot "$JOB" --trace "$TMP/empty.jsonl" -o "$TMP/x.png"
has "$TMP/err" "empty.jsonl:1:1: empty file" plot-empty-trace
expect 2 plot-empty-run -- "$PARLEY" plot "$JOB" --run "$TMP/empty.jsonl" -o "$TMP/x.png"
expect 2 plot-unknown-ext -- "$PARLEY" plot "$JOB" -o "$TMP/x.gif"; has "$TMP/err" "unknown image format" plot-unknown-ext
expect 2 plot-no-output -- "$PARLEY" plot "$JOB"
expect 2 plot-time-no-trace -- "$PARLEY" plot "$JOB" --utility-over-time -o "$TMP/x.png"
expect 2 plot-bad-size -- "$PARLEY" plot "$JOB" --size 10x10 -o "$TMP/x.png"
expect 2 plot-bad-scenario -- "$PARLEY" plot "$DATA/bad/truncated.json" -o "$TMP/x.png"
[ ! -e "$TMP/x.png" ] && [ ! -e "$TMP/x.gif" ] && ok || bad "plot: a file was written after bad input"
expect 1 plot-unwritable -- "$PARLEY" plot "$JOB" -o "$TMP/no/such/dir/x.png"
if [ -d "$ANAC/y2011/Energy" ]; then
    expect 0 plot-anac-density -- "$PARLEY" plot "$ANAC/y2011/Energy" -o "$TMP/energy.png"
fi

# Tournament reports: one self-contained, well-formed HTML page; the same folder gives the same bytes.
expect 0 results-report -- "$PARLEY" results "$TMP/tour" --report -o "$TMP/report.html"
has "$TMP/report.html" '<table id="ranking">' results-report-ranking
has "$TMP/report.html" '<td class="l">boulware</td>' results-report-agent
grep -q -e '<script' -e ' src=' "$TMP/report.html" && bad "results-report: not self-contained" || ok
if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout "$TMP/report.html" 2>"$TMP/err" && ok || bad "results-report: not well-formed: $(head -c 300 "$TMP/err")"
fi
expect 0 results-report-default -- "$PARLEY" results "$TMP/tour" --report
cmp -s "$TMP/report.html" "$TMP/tour/report.html" && ok || bad "results-report: two reports of one folder differ"
expect 0 tournament-report -- "$PARLEY" tournament $TARGS --out "$TMP/tour-r" --jobs 2 --quiet --report
has "$TMP/out" "report.html" tournament-report-written
[ -f "$TMP/tour-r/report.html" ] && ok || bad "tournament-report: no report.html"
expect 2 results-report-missing -- "$PARLEY" results "$TMP/nothing" --report
expect 2 results-output-without-report -- "$PARLEY" results "$TMP/tour" -o "$TMP/r.html"
expect 1 results-report-unwritable -- "$PARLEY" results "$TMP/tour" --report -o "$TMP/no/such/dir/r.html"

# parley report: statuses from the model; runs read back; bad input exits 2 with the file named.
CFS="$SCEN/ceasefire-2025.json"
NEWS='energy_strike_moratorium=30 days,black_sea=talks begin,general_ceasefire=none,foreign_military_aid=continues,intelligence_sharing=continues,ukrainian_mobilization=continues,ukrainian_rearmament=continues,prisoner_exchange=175,wounded_returned=23,territory=not addressed,us_russia_relations=expert teams,hockey_matches=yes'
expect 0 report-news -- "$PARLEY" report "$CFS" --agreement "$NEWS"
has "$TMP/out" "^  general_ceasefire  *not reached  *none kept; .*no acceptable deal moves it:$" report-news-not-reached
has "$TMP/out" "russia's precondition: if general_ceasefire is 30 days or permanent then foreign_military_aid must be halted; refused by ukraine's red line: foreign_military_aid must not be halted" report-news-refused
has "$TMP/out" "russia's precondition: if general_ceasefire is 30 days or permanent then ukrainian_rearmament must be halted$" report-news-rearmament
has "$TMP/out" "ukraine's red line (non-negotiable): intelligence_sharing must not be halted" report-news-non-negotiable
has "$TMP/out" "^  territory  *not addressed  *not addressed kept; acceptable deals could move it to freeze current lines" report-news-na
has "$TMP/out" "^  ukrainian_mobilization  *divergent  *continues kept; russia wants suspended, ukraine wants continues$" report-news-divergent
has "$TMP/out" "^  Agreed  *energy_strike_moratorium (30 days), black_sea (talks begin), prisoner_exchange (175), wounded_returned (23), us_russia_relations (expert teams), hockey_matches (yes)$" report-news-agreed
has "$TMP/out" "^  Divergent  *foreign_military_aid, intelligence_sharing, ukrainian_mobilization, ukrainian_rearmament$" report-news-summary
has "$TMP/out" "^  Not reached  *general_ceasefire$" report-news-summary-not-reached
has "$TMP/out" "^  Not addressed  *territory$" report-news-summary-na
grep -q -e contested -e blocked "$TMP/out" && bad "report-news: old vocabulary" || ok
expect 0 report-json -- "$PARLEY" report "$CFS" --agreement "$NEWS" --json
has "$TMP/out" '"source": "agreement"' report-json-source
has "$TMP/out" '"not_reached": \[' report-json-summary
has "$TMP/out" '"status": "not reached"' report-json-vocabulary
grep -q -e '"contested"' -e '"status": "blocked"' "$TMP/out" && bad "report-json: old vocabulary" || ok
expect 0 report-predicted -- "$PARLEY" report "$JOB" --summary
has "$TMP/out" "predicted agreement, the Nash point" report-predicted
expect 0 report-run-save -- "$PARLEY" run "$CFS" --agents boulware,boulware,boulware --rounds 200 --seed 2 --out "$TMP/cf-run.json"
has "$TMP/out" "^Session:" report-run-save-text
expect 0 report-run -- "$PARLEY" report "$CFS" --run "$TMP/cf-run.json" --summary
has "$TMP/out" "saop run" report-run-header
expect 2 report-run-other-scenario -- "$PARLEY" report "$JOB" --run "$TMP/cf-run.json"
has "$TMP/err" 'run of scenario "ceasefire-2025"' report-run-other-scenario-msg
expect 2 report-run-missing -- "$PARLEY" report "$CFS" --run "$TMP/no-such.json"
printf '{"status": "agreement", "agreement": {' >"$TMP/trunc-run.json"
expect 2 report-run-truncated -- "$PARLEY" report "$CFS" --run "$TMP/trunc-run.json"
has "$TMP/err" "trunc-run.json:1:" report-run-truncated-line
: >"$TMP/empty-run.json"
expect 2 report-run-empty -- "$PARLEY" report "$CFS" --run "$TMP/empty-run.json"
echo '{"status": 3, "agreement": null}' >"$TMP/type-run.json"
expect 2 report-run-wrong-type -- "$PARLEY" report "$CFS" --run "$TMP/type-run.json"
expect 2 report-bad-agreement -- "$PARLEY" report "$CFS" --agreement 'territory=mars'
expect 2 report-both -- "$PARLEY" report "$CFS" --agreement "$NEWS" --run "$TMP/cf-run.json"
expect 2 report-bad-limit -- "$PARLEY" report "$CFS" --limit x

# Honest resume: an edited scenario is refused by name; --force resumes and says what it mixes.
mkdir -p "$TMP/edit" && cp "$JOB" "$TMP/edit/job.json"
expect 0 tour-edit-start -- "$PARLEY" tournament -a boulware,conceder --scenarios "$TMP/edit/job.json" --reps 2 --out "$TMP/edit/t" --quiet
sed -i 's/"reservation": 0.3,/"reservation": 0.4,/' "$TMP/edit/job.json"
expect 2 tour-edit-refused -- "$PARLEY" tournament --resume "$TMP/edit/t" --quiet
has "$TMP/err" "cannot resume: a file changed since the tournament started (scenario .*job.json)" tour-edit-refused-msg
expect 0 tour-edit-force -- "$PARLEY" tournament --resume "$TMP/edit/t" --force --quiet
has "$TMP/err" "^parley: warning: resuming although a file changed" tour-edit-force-msg

# parley whatif: minimal removal sets (exactness is checked against brute force in test_whatif); JSON; bad input.
expect 0 whatif -- "$PARLEY" whatif "$CFS"
has "$TMP/out" "^  general_ceasefire (none kept): 6 minimal sets$" whatif-ceasefire
has "$TMP/out" "^    - russia's red line \"if general_ceasefire is 30 days or permanent then foreign_military_aid must be halted\" + russia's red line \"if general_ceasefire is 30 days or permanent then intelligence_sharing must be halted\"$" whatif-first-set
has "$TMP/out" "^  intelligence_sharing (continues kept): 1 minimal set$" whatif-intelligence
has "$TMP/out" "^  ukraine: ukrainian_mobilization must not be suspended (costs it 0.0480; 206986 acceptable deals would remain)$" whatif-breaking-line
expect 0 whatif-json -- "$PARLEY" whatif "$CFS" --json
has "$TMP/out" '"removal_sets": \[' whatif-json-sets
has "$TMP/out" '"breaking_lines": \[' whatif-json-lines
expect 0 whatif-threads -- "$PARLEY" whatif "$CFS" --json --threads 1
expect 2 whatif-limit -- "$PARLEY" whatif "$CFS" --limit 1000
has "$TMP/err" "more than 1000 outcomes" whatif-limit-msg
expect 2 whatif-missing -- "$PARLEY" whatif "$TMP/no-such.json"
expect 2 whatif-bad-option -- "$PARLEY" whatif "$CFS" --frobnicate

# parley report --samples: models drawn from the scenario's ranges; the same output whatever --jobs; bad use exits 2.
expect 0 report-samples -- "$PARLEY" report "$CFS" --samples 30 --seed 5 --jobs 1 --agreement "$NEWS"
has "$TMP/out" "in 30 models drawn from 15 uncertain parameters (seed 5)" report-samples-header
has "$TMP/out" "^  general_ceasefire: agreed in 0.0%; none 100.0%; as in the given deal (none) in 100.0%" report-samples-ceasefire
cp "$TMP/out" "$TMP/samples1"
expect 0 report-samples-jobs -- "$PARLEY" report "$CFS" --samples 30 --seed 5 --jobs 2 --agreement "$NEWS"
cmp -s "$TMP/out" "$TMP/samples1" && ok || bad "report --samples: --jobs 2 differs from --jobs 1"
expect 0 report-samples-summary -- "$PARLEY" report "$CFS" --samples 30 --summary
has "$TMP/out" "^  kept in all    general_ceasefire," report-samples-summary-kept
expect 0 report-samples-statuses -- "$PARLEY" report "$CFS" --samples 6 --statuses --summary
has "$TMP/out" "^  Not reached    general_ceasefire (in every model)$" report-samples-statuses-not-reached
expect 0 report-samples-statuses-detail -- "$PARLEY" report "$CFS" --samples 6 --statuses
has "$TMP/out" "^  intelligence_sharing: agreed in 0.0%; continues 100.0%; divergent 100.0%$" report-samples-statuses-divergent
expect 2 report-statuses-alone -- "$PARLEY" report "$CFS" --statuses
expect 2 report-seed-alone -- "$PARLEY" report "$CFS" --seed 3
expect 0 report-samples-json -- "$PARLEY" report "$CFS" --samples 4 --statuses --json --agreement "$NEWS"
has "$TMP/out" '"not reached": 1' report-samples-json-statuses
has "$TMP/out" '"as_given": ' report-samples-json-given
expect 2 report-samples-run -- "$PARLEY" report "$CFS" --samples 3 --run "$TMP/cf-run.json"
expect 2 report-samples-zero -- "$PARLEY" report "$CFS" --samples 0
printf '{"name": "u", "issues": [{"name": "x", "type": "discrete", "values": ["a", "b"]}], "parties": [{"name": "p", "utility": {"type": "linear_additive", "weights": {"x": 1}, "values": {"x": {"a": 0, "b": 1}}}, "uncertainty": {"weights": {"z": [0, 1]}}}, {"name": "q", "utility": {"type": "linear_additive", "weights": {"x": 1}, "values": {"x": {"a": 1, "b": 0}}}}]}' >"$TMP/unc-bad.json"
expect 2 report-samples-bad-range -- "$PARLEY" report "$TMP/unc-bad.json" --samples 3
has "$TMP/err" "unc-bad.json: at parties\[0\].uncertainty.weights.z: the scenario has no such issue" report-samples-bad-range-msg
# --tornado: the chart of what moves each prediction, beside the text; the same bytes again; only with --samples.
expect 0 report-tornado -- "$PARLEY" report "$CFS" --samples 20 --tornado "$TMP/tornado.png"
has "$TMP/out" "in 20 models drawn from 15 uncertain parameters" report-tornado-text
head -c 8 "$TMP/tornado.png" | od -An -tx1 | tr -d ' \n' >"$TMP/sig"; has "$TMP/sig" "^89504e470d0a1a0a$" report-tornado-png
[ "$(wc -c <"$TMP/tornado.png")" -gt 10000 ] && ok || bad "report-tornado: $(wc -c <"$TMP/tornado.png") bytes"
expect 0 report-tornado-again -- "$PARLEY" report "$CFS" --samples 20 --json --tornado "$TMP/tornado2.png"
cmp -s "$TMP/tornado.png" "$TMP/tornado2.png" && ok || bad "report-tornado: two PNGs of one input differ"
expect 0 report-tornado-svg -- "$PARLEY" report "$CFS" --samples 20 --summary --tornado "$TMP/tornado.svg"
has "$TMP/tornado.svg" "^<svg" report-tornado-svg-root
expect 2 report-tornado-alone -- "$PARLEY" report "$CFS" --tornado "$TMP/t3.png"; has "$TMP/err" "go with --samples" report-tornado-alone-msg
[ ! -e "$TMP/t3.png" ] && ok || bad "report-tornado-alone wrote a file"
expect 2 report-tornado-ext -- "$PARLEY" report "$CFS" --samples 2 --tornado "$TMP/t.gif"

# The option parser (cli/options.c): one table per command gives parsing, value checks and --help.
for cmd in show eval convert analyze run report agents tournament results plot; do
    expect 0 "help-$cmd" -- "$PARLEY" "$cmd" --help; has "$TMP/out" "^Usage: parley $cmd" "help-$cmd-usage"
    has "$TMP/out" "^Options:" "help-$cmd-options"; has "$TMP/out" "^  -h, --help  *this help" "help-$cmd-h"
done
"$PARLEY" help analyze >"$TMP/h1"; "$PARLEY" analyze --help >"$TMP/h2"
if cmp -s "$TMP/h1" "$TMP/h2"; then ok; else bad "help-same: parley help analyze differs from analyze --help"; fi
has "$TMP/h1" "^  --algorithm A  *auto (default), merge, enumerate or search" help-analyze-line
expect 2 opt-rounds-bad -- "$PARLEY" run "$JOB" -a boulware,conceder --rounds=12x
has "$TMP/err" "^parley: --rounds needs an integer from 0 to 1,000,000,000$" opt-rounds-bad-msg
has "$TMP/err" "^Try 'parley help run'.$" opt-rounds-bad-hint
expect 2 opt-rounds-big -- "$PARLEY" run "$JOB" -a boulware,conceder --rounds 1000000001
expect 2 opt-rounds-neg -- "$PARLEY" run "$JOB" -a boulware,conceder --rounds -5
expect 0 opt-equals -- "$PARLEY" run "$JOB" --agents=boulware,conceder --rounds=50 --seed=3 --json
cp "$TMP/out" "$TMP/eq.json"
expect 0 opt-spaced -- "$PARLEY" run "$JOB" --agents boulware,conceder --rounds 50 --seed 3 --json
if cmp -s "$TMP/out" "$TMP/eq.json"; then ok; else bad "opt-equals: --opt=value differs from --opt value"; fi
expect 2 opt-missing-value -- "$PARLEY" run "$JOB" -a boulware,conceder --trace
has "$TMP/err" "^parley: --trace needs a value (FILE)$" opt-missing-value-msg
expect 2 opt-flag-value -- "$PARLEY" show --json=yes "$JOB"; has "$TMP/err" "--json takes no value" opt-flag-value-msg
expect 2 opt-choice -- "$PARLEY" analyze "$JOB" --algorithm=fast
has "$TMP/err" "^parley: --algorithm must be auto, enumerate, merge or search$" opt-choice-msg
expect 2 opt-time-limit -- "$PARLEY" run "$JOB" -a boulware,conceder --time-limit 0
has "$TMP/err" "time-limit needs a positive number of seconds" opt-time-limit-msg
expect 2 opt-eval-time -- "$PARLEY" eval "$JOB" --outcome "$OUTCOME" --time 1.5
has "$TMP/err" "time needs a number in \[0, 1\], got '1.5'" opt-eval-time-msg
expect 2 opt-real-levels -- "$PARLEY" show --real-levels 1 "$JOB"
has "$TMP/err" "real-levels needs an integer from 2 to 1,048,576" opt-real-levels-msg
expect 2 opt-results-two -- "$PARLEY" results "$TMP/a" "$TMP/b"; has "$TMP/err" "one tournament folder at a time" opt-results-two-msg
expect 2 opt-agents-positional -- "$PARLEY" agents extra; has "$TMP/err" "unexpected argument 'extra'" opt-agents-positional-msg
expect 0 opt-dashdash -- "$PARLEY" show -- "$JOB"; has "$TMP/out" "Outcomes: 2,520" opt-dashdash-out
expect 2 opt-short-unknown -- "$PARLEY" run "$JOB" -z; has "$TMP/err" "unknown option '-z'" opt-short-unknown-msg

# Inputs checked (issue 15): what cannot be meant is exit 2 naming the file; what GENIUS accepts but is probably a
# mistake is a warning (an error with --strict); misspelt names get a suggestion; huge files are refused unread.
sed 's/"reservation": 0.3,/"reservation": 1.5,/' "$JOB" >"$TMP/res15.json"
expect 2 check-reservation -- "$PARLEY" show "$TMP/res15.json"
has "$TMP/err" "res15.json: at parties\[0\]: party \"employer\": the reservation value 1.5 is outside \[0, 1\]" check-reservation-msg
sed 's/"discount": 0.9,/"discount": 1.7,/' "$JOB" >"$TMP/disc17.json"
expect 2 check-discount -- "$PARLEY" analyze "$TMP/disc17.json"
has "$TMP/err" "disc17.json: .*the discount factor 1.7 is outside \[0, 1\]" check-discount-msg
sed 's/"weights": {"salary": 0.45, "remote_days": 0.15, "start": 0.2, "signing_bonus": 0.1, "title": 0.1}/"weights": {"salary": 0, "remote_days": 0, "start": 0, "signing_bonus": 0, "title": 0}/' "$JOB" >"$TMP/w0.json"
expect 2 check-zero-weights -- "$PARLEY" show "$TMP/w0.json"
has "$TMP/err" "w0.json: .*every issue weight is 0" check-zero-weights-msg
sed 's/"salary": 0.45, "remote_days"/"salary": 0.9, "remote_days"/' "$JOB" >"$TMP/w145.json"
expect 0 check-weight-sum-warns -- "$PARLEY" show "$TMP/w145.json"
has "$TMP/err" "^parley: warning: .*w145.json: at parties\[0\]: party \"employer\": the issue weights sum to 1.45, not 1" check-weight-sum-msg
has "$TMP/out" "Outcomes: 2,520" check-weight-sum-still-shows
expect 2 check-weight-sum-strict -- "$PARLEY" show --strict "$TMP/w145.json"
has "$TMP/err" "weights sum to 1.45" check-weight-sum-strict-msg
expect 0 check-clean-no-warning -- "$PARLEY" show "$JOB"
if [ -s "$TMP/err" ]; then bad "check-clean-no-warning: stderr not empty: $(cat "$TMP/err")"; else ok; fi
mkdir -p "$TMP/mixed"
"$PARLEY" convert "$JOB" -o "$TMP/mixed/job.xml" >/dev/null 2>&1
head -c 300 /dev/urandom | tr '<{[' 'abc' | sed '1s/^/\x01/' >"$TMP/mixed/blob.bin"
expect 2 check-mixed-binary -- "$PARLEY" show "$TMP/mixed/job.xml" "$TMP/mixed/job-employer.xml" "$TMP/mixed/blob.bin"
has "$TMP/err" "blob.bin: neither XML nor JSON among Genius XML files" check-mixed-binary-msg
expect 2 check-agent-typo -- "$PARLEY" run "$JOB" -a bulware,conceder
has "$TMP/err" "unknown agent 'bulware' (did you mean 'boulware'?" check-agent-typo-msg
expect 2 check-issue-typo -- "$PARLEY" eval "$JOB" --outcome 'salary=75000,remote_day=2,start=1 month,signing_bonus=5000,title=senior engineer'
has "$TMP/err" "unknown issue \"remote_day\" in outcome (did you mean \"remote_days\"?)" check-issue-typo-msg
if truncate -s 300M "$TMP/huge.json" 2>/dev/null; then
    expect 2 check-huge-file -- "$PARLEY" show "$TMP/huge.json"
    has "$TMP/err" "huge.json: file of 314572800 bytes; input files may have at most 268435456" check-huge-file-msg
fi
# Long labels: show shortens the value list without writing past its buffer (checked under ASan).
{
    printf '{"name": "long", "issues": [{"name": "x", "type": "discrete", "values": ['
    i=0; while [ $i -lt 40 ]; do [ $i -gt 0 ] && printf ', '; printf '"%s-%02d"' "a-rather-long-label-with-é-accents" $i; i=$((i + 1)); done
    printf ']}], "parties": ['
    printf '{"name": "a", "utility": {"type": "linear_additive", "weights": {"x": 1}, "values": {"x": ['
    i=0; while [ $i -lt 40 ]; do [ $i -gt 0 ] && printf ', '; printf '%s' "0.$i"; i=$((i + 1)); done
    printf ']}}}, {"name": "b", "utility": {"type": "linear_additive", "weights": {"x": 1}, "values": {"x": ['
    i=0; while [ $i -lt 40 ]; do [ $i -gt 0 ] && printf ', '; printf '%s' "0.$((39 - i))"; i=$((i + 1)); done
    printf ']}}}]}\n'
} >"$TMP/long.json"
expect 0 show-long-labels -- "$PARLEY" show "$TMP/long.json"; has "$TMP/out" ", \.\.\.$" show-long-labels-ellipsis

echo "$pass passed, $failn failed, $skipn skipped"
[ "$failn" -eq 0 ]
