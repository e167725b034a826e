#!/bin/sh
# `make demo`: the flagship ceasefire negotiation (docs/ceasefire.md). Analyses the scenario, runs a mediated
# single-text negotiation with the United States as mediator and a 3-party alternating-offers negotiation, and
# reports agreements and divergences for each; then how robust the prediction is to the model's uncertain numbers.
# Usage: demo.sh PARLEY [SCENARIO] [OUTDIR]   (OUTDIR keeps the runs' and reports' JSON; default: parley-demo)
set -eu
PARLEY=$1
SCENARIO=${2:-scenarios/ceasefire-2025.json}
OUT=${3:-parley-demo}
mkdir -p "$OUT"
say() { printf '\n$ %s\n' "$*"; }

say parley analyze "$SCENARIO" --brief
"$PARLEY" analyze "$SCENARIO" --brief
"$PARLEY" analyze "$SCENARIO" --json --frontier-limit 0 >"$OUT/analysis.json"

MEDIATED="--protocol single-text --mediator united_states --seed 1"
say parley run "$SCENARIO" $MEDIATED --out mediated.json
"$PARLEY" run "$SCENARIO" $MEDIATED --out "$OUT/mediated.json"

say parley report "$SCENARIO" --run mediated.json --summary
"$PARLEY" report "$SCENARIO" --run "$OUT/mediated.json" --summary
"$PARLEY" report "$SCENARIO" --run "$OUT/mediated.json" --json >"$OUT/mediated-report.json"

SAOP="--agents boulware,boulware,boulware --rounds 1000 --seed 1"
say parley run "$SCENARIO" $SAOP --out saop.json
"$PARLEY" run "$SCENARIO" $SAOP --out "$OUT/saop.json"

say parley report "$SCENARIO" --run saop.json --summary
"$PARLEY" report "$SCENARIO" --run "$OUT/saop.json" --summary
"$PARLEY" report "$SCENARIO" --run "$OUT/saop.json" --json >"$OUT/saop-report.json"

say parley report "$SCENARIO" --samples 100 --statuses --summary
"$PARLEY" report "$SCENARIO" --samples 100 --statuses --summary

printf 'The analysis, the runs and their reports (JSON) are in %s/\n' "$OUT"
